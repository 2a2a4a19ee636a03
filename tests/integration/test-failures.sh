# Feeds that fail (HTTP 500, a closed port, a body that is not a feed)
# are reported by name and do not stop the good feed; when every feed
# fails later, what was stored before is still published.
set -eu
. "$(dirname "$0")/lib.sh"

cp -R "$FEEDD_TEST_DATA" "$T/docroot"
start_server "$T/docroot"

cat >"$T/feedd.conf" <<CONF
[feedd]
database = feedd.db
default_interval = 1h

[output]
directory = out
title = Failures

[http]
listen =

[feed good]
url = $SERVER_URL/files/feeds/rss2.xml

[feed status500]
url = $SERVER_URL/script?status=500

[feed closedport]
url = http://127.0.0.1:1/feed.xml

[feed garbage]
url = $SERVER_URL/script?status=200&body=feeds/garbage.txt

[feed garbagexml]
url = $SERVER_URL/script?body=feeds/garbage.txt&content_type=application/xml
CONF

# names_failure FILE NAME: a line of FILE names feed NAME at a level
# above notice (the plain form says "TIME error:" or "TIME warning:").
names_failure() {
	grep -w "$2" "$1" | grep -E '^[^ ]+ (error|warning): ' | grep -q .
}

# good_titles: the titles of the good feed's entries, in the river.
good_titles() {
	atom_entries "$T/out/feed.atom" | cut -f2 | grep '^RSS item' | sort
}
WANT=$(printf '%s\n' 'RSS item four' 'RSS item one' 'RSS item three' \
    'RSS item two')

run_feedd once1 once -c "$T/feedd.conf"
assert_eq 0 "$RC" "feedd once with failing feeds exits 0"
for name in status500 closedport garbage garbagexml; do
	names_failure "$T/once1.err" "$name" ||
	    fail "stderr does not name the failing feed $name"
	ok "stderr names the failing feed $name"
done
[ -s "$T/out/feed.atom" ] || fail "no $T/out/feed.atom"
validate_atom "$T/out/feed.atom"
assert_eq 4 "$(count_entries "$T/out/feed.atom")" \
    "the river holds the good feed's 4 entries"
assert_eq "$WANT" "$(good_titles)" "the good feed's entries are all there"
assert_eq 1 "$(server_hits /script?status=500)" "the 500 feed was tried"
assert_eq 1 "$(server_hits /script?status=200\&body=feeds/garbage.txt)" \
    "the garbage feed was tried"

# Now every feed fails: the good one disappears from the server.
mv "$T/docroot/feeds/rss2.xml" "$T/docroot/feeds/rss2.xml.gone"
rm -f "$T/out/feed.atom"
run_feedd once2 once -c "$T/feedd.conf"
assert_eq 0 "$RC" "feedd once with every feed failing exits 0"
for name in good status500 closedport garbage garbagexml; do
	names_failure "$T/once2.err" "$name" ||
	    fail "stderr does not name the failing feed $name"
	ok "stderr names the failing feed $name"
done
assert_eq 2 "$(server_hits /files/feeds/rss2.xml)" "the good feed was tried again"
[ -s "$T/out/feed.atom" ] ||
    fail "feedd once wrote no feed.atom when every feed failed"
validate_atom "$T/out/feed.atom"
assert_eq "$WANT" "$(good_titles)" "the stored entries are still published"
assert_eq 4 "$(count_entries "$T/out/feed.atom")" "nothing lost, nothing added"
finish
