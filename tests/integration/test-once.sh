# feedd once against three fixture feeds: the combined feed validates,
# holds every entry exactly once, newest first, stays the same on a second
# run, and takes one new and one edited entry from a changed feed.
set -eu
. "$(dirname "$0")/lib.sh"

SOURCES='RSS item=RSS fixture|rss;Atom entry=Atom fixture|atom;No-guid=No-guid fixture|noguid'

cp -R "$FEEDD_TEST_DATA" "$T/docroot"
start_server "$T/docroot"
ok "test server on port $SERVER_PORT"

cat >"$T/feedd.conf" <<CONF
[feedd]
database = feedd.db
default_interval = 1h
max_parallel = 32

[output]
directory = out
title = Test river
max_entries = 200

[http]
listen =

[feed rss]
url = $SERVER_URL/files/feeds/rss2.xml

[feed atom]
url = $SERVER_URL/files/feeds/atom.xml

[feed noguid]
url = $SERVER_URL/files/feeds/noguid.xml
CONF

# Run from elsewhere: database and output are relative to the config.
cd /
for run in 1 2; do
	run_feedd "once$run" once -c "$T/feedd.conf"
	assert_eq 0 "$RC" "feedd once (run $run) exits 0"
	[ -f "$T/feedd.db" ] || fail "no database at $T/feedd.db"
	check_river "$T/out/feed.atom" \
	    "$FEEDD_TEST_DATA/feeds/expected-order.txt" "$SOURCES"
	assert_eq "Test river" \
	    "$(xpath "$T/out/feed.atom" "string(/*[local-name()='feed']/*[local-name()='title'])")" \
	    "the combined feed has the configured title"
done

for f in rss2.xml atom.xml noguid.xml; do
	assert_eq 2 "$(server_hits "/files/feeds/$f")" "$f fetched once per run"
done
if server_log | grep -v 'User-Agent: feedd' | grep -q .; then
	fail "a request without a feedd User-Agent: $(server_log)"
fi
ok "every request names feedd in its User-Agent"

# The feed changes: one new item, one edited (same guid, new title).
cp "$T/docroot/feeds/rss2-v2.xml" "$T/docroot/feeds/rss2.xml"
run_feedd once3 once -c "$T/feedd.conf"
assert_eq 0 "$RC" "feedd once (after the feed changed) exits 0"
check_river "$T/out/feed.atom" \
    "$FEEDD_TEST_DATA/feeds/expected-order-v2.txt" "$SOURCES"
assert_eq 1 "$(cut -f2 "$T/entries.txt" | grep -cx 'RSS item two, edited')" \
    "the edited entry appears once, with its new title"
assert_eq 0 "$(cut -f2 "$T/entries.txt" | grep -cx 'RSS item two' || true)" \
    "the old title of the edited entry is gone"

# A config with no feeds yet (the packaged example): once writes empty
# outputs and exits, rather than waiting for polls that never come.
mkdir "$T/empty"
printf '[feedd]\ndatabase = e.db\n[output]\ndirectory = out\n[http]\nlisten =\n' \
    >"$T/empty/feedd.conf"
RC=0
timeout -k 2 20 "$FEEDD" once -c "$T/empty/feedd.conf" >"$T/empty.out" \
    2>"$T/empty.err" || RC=$?
assert_eq 0 "$RC" "feedd once with no feeds exits 0 at once"
[ -s "$T/empty/out/feed.atom" ] || not_ok "no feed.atom for an empty config"
validate_atom "$T/empty/out/feed.atom"
finish
