# What a feed asks of its reader: RSS skipHours and skipDays (GMT) move
# the next poll out of them; sy:updatePeriod and updateFrequency lengthen
# the interval; itunes:new-feed-url moves the subscription like a
# permanent redirect (once seen on two consecutive polls).  Read back
# from the SQLite file, never timed.
set -eu
. "$(dirname "$0")/lib.sh"

cp -R "$FEEDD_TEST_DATA" "$T/docroot"
D=$T/docroot/feeds
# Not in the last seconds of a UTC day, so "today" stays today.
if [ $(($(date -u +%s) % 86400)) -gt 86370 ]; then
	sleep 31
fi
NOW=$(date -u +%s)
H=$(date -u -d "@$NOW" +%H | sed 's/^0//')
TODAY=$(date -u -d "@$NOW" +%A)
# feed FILE EXTRA: a small RSS 2.0 feed with EXTRA in its channel.
feed() {
	cat >"$D/$1" <<XML
<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"
    xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
<channel><title>$1</title><link>http://example.com/</link>
<description>d</description>
$2
<item><title>one</title><guid>urn:$1:1</guid></item>
</channel></rss>
XML
}
feed hours.xml "<skipHours><hour>$H</hour><hour>$(((H + 1) % 24))</hour><hour>$(((H + 2) % 24))</hour></skipHours>"
feed days.xml "<skipDays><day>$TODAY</day></skipDays>"
feed period.xml "<sy:updatePeriod>hourly</sy:updatePeriod><sy:updateFrequency>1</sy:updateFrequency>"
start_server "$T/docroot"
feed moving.xml "<itunes:new-feed-url>$SERVER_URL/files/feeds/rss2.xml</itunes:new-feed-url>"

cat >"$T/feedd.conf" <<CONF
[feedd]
database = feedd.db
default_interval = 1s
block_private = no

[output]
directory = out

[http]
listen =

[feed hours]
url = $SERVER_URL/files/feeds/hours.xml

[feed days]
url = $SERVER_URL/files/feeds/days.xml

[feed period]
url = $SERVER_URL/files/feeds/period.xml

[feed moving]
url = $SERVER_URL/files/feeds/moving.xml
CONF

# row FEED: next_poll, next_reason and fetch_url of a feed.
row() {
	"$PYTHON" - "$T/feedd.db" "$1" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
r = db.execute("SELECT next_poll, next_reason, COALESCE(fetch_url, '-')"
               " FROM feeds WHERE name = ?", (sys.argv[2],)).fetchone()
print(*r)
PY
}

run_feedd once1 once -c "$T/feedd.conf"
assert_eq 0 "$RC" "feedd once exits 0"

set -- $(row hours)
HOUR_START=$((NOW - NOW % 3600))
if [ "$1" -ge $((HOUR_START + 3 * 3600)) ] && [ "$1" -le $((HOUR_START + 3 * 3600 + 60)) ]; then
	ok "skipHours moves the poll to the first hour not skipped"
else
	not_ok "skipHours: next poll $1, want the hour starting $((HOUR_START + 3 * 3600))"
fi
check_eq skipHours "$2" "the next poll says skipHours"

set -- $(row days)
DAY_START=$((NOW - NOW % 86400))
if [ "$1" -ge $((DAY_START + 86400)) ] && [ "$1" -le $((DAY_START + 86400 + 60)) ]; then
	ok "skipDays moves the poll to the start of the next day"
else
	not_ok "skipDays: next poll $1, want $((DAY_START + 86400))"
fi
check_eq skipDays "$2" "the next poll says skipDays"

set -- $(row period)
if [ "$1" -ge $((NOW + 3600)) ] && [ "$1" -le $((NOW + 3960 + 60)) ]; then
	ok "sy:updatePeriod hourly lengthens a 1 s interval to an hour"
else
	not_ok "sy:updatePeriod: next poll $1, want about $((NOW + 3600))"
fi

set -- $(row moving)
check_eq - "$3" "one itunes:new-feed-url does not move the feed yet"
run_feedd once2 once -c "$T/feedd.conf"
set -- $(row moving)
check_eq "$SERVER_URL/files/feeds/rss2.xml" "$3" \
    "after two polls itunes:new-feed-url is the URL polled"
run_feedd once3 once -c "$T/feedd.conf"
check_eq 2 "$(server_hits /files/feeds/moving.xml)" \
    "the old URL is not polled once the feed moved"
check_eq 1 "$(server_hits /files/feeds/rss2.xml)" "the new URL is polled"
finish
