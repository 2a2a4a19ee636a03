# What feedd remembers from HTTP statuses between runs: a 302 is followed
# for one poll only, a single 301 does not yet move the subscription (one
# hijacked response must not steal it; moving after N consecutive 301s
# is the fetcher issue's work), and a 410 stops polling for good
# (DESIGN.md, decision 5).
set -eu
. "$(dirname "$0")/lib.sh"

MOVED_URL='/script?status=301&location=/files/feeds/noguid.xml'
FOUND_URL='/script?status=302&location=/files/feeds/atom.xml'
GONE_URL='/script?status=410'

cp -R "$FEEDD_TEST_DATA" "$T/docroot"
start_server "$T/docroot"

cat >"$T/feedd.conf" <<CONF
[feedd]
database = feedd.db
default_interval = 1h

[output]
directory = out

[http]
listen =

[feed moved]
url = $SERVER_URL$MOVED_URL

[feed found]
url = $SERVER_URL$FOUND_URL

[feed gone]
url = $SERVER_URL$GONE_URL

[feed rss]
url = $SERVER_URL/files/feeds/rss2.xml
CONF

for run in 1 2; do
	run_feedd "once$run" once -c "$T/feedd.conf"
	assert_eq 0 "$RC" "feedd once (run $run) exits 0"
	assert_eq 10 "$(count_entries "$T/out/feed.atom")" \
	    "every entry is published after run $run"
done
names_gone=$(grep -w gone "$T/once1.err" | grep -E '^[^ ]+ (error|warning): ' ||
    true)
[ -n "$names_gone" ] || fail "the 410 was not reported for feed gone"
ok "the 410 is reported: $names_gone"

check_eq 2 "$(server_hits "$FOUND_URL")" "a 302 keeps the feed's URL"
check_eq 2 "$(server_hits /files/feeds/atom.xml)" "the 302 was followed twice"
check_eq 2 "$(server_hits /files/feeds/noguid.xml)" \
    "the 301 target was polled on both runs"
check_eq 2 "$(server_hits "$MOVED_URL")" \
    "one 301 does not move the subscription yet"
check_eq 1 "$(server_hits "$GONE_URL")" "after a 410 the feed is not polled"
finish
