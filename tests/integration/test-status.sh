# Seeing the health of every feed: `feedd status` lists each configured
# feed with its state, and out/status.atom (also served at /status.atom)
# holds one entry per feed that is failing, moved or gone, and none for
# feeds that are fine.
set -eu
. "$(dirname "$0")/lib.sh"

cp -R "$FEEDD_TEST_DATA" "$T/docroot"
start_server "$T/docroot"
cat >"$T/feedd.conf" <<CONF
[feedd]
database = feedd.db

[output]
directory = out
title = Test river

[http]
listen =

[feed fine]
url = $SERVER_URL/files/feeds/rss2.xml

[feed broken]
url = $SERVER_URL/script?status=500

[feed gone]
url = $SERVER_URL/script?status=410

[feed moved]
url = $SERVER_URL/script?status=301&location=/files/feeds/atom.xml
CONF

run_feedd status0 status -c "$T/feedd.conf"
assert_eq 0 "$RC" "feedd status works before any poll"
grep -q '^fine  *new ' "$T/status0.out" || fail "a new feed is not shown as new"
ok "a feed never polled is new"

for run in 1 2; do
	run_feedd "once$run" once -c "$T/feedd.conf"
	assert_eq 0 "$RC" "feedd once (run $run) exits 0"
done
run_feedd status status -c "$T/feedd.conf"
assert_eq 0 "$RC" "feedd status exits 0"
# state FEED: the STATE column of a feed's line.
state() {
	awk -v n="$1" '/^[^ ]/ && $1 == n { print $2 }' "$T/status.out"
}
check_eq ok "$(state fine)" "a healthy feed is ok"
check_eq failing "$(state broken)" "a feed answering 500 is failing"
check_eq gone "$(state gone)" "a feed answering 410 is gone"
check_eq moved "$(state moved)" "a feed moved by 301s is moved"
grep -q 'error: HTTP status 500' "$T/status.out" ||
    not_ok "the last error is shown"
grep -q "moved to $SERVER_URL/files/feeds/atom.xml" "$T/status.out" ||
    not_ok "the new URL is shown"
awk '/^[^ ]/ && $1 == "broken" { print $6 }' "$T/status.out" | grep -q backoff ||
    not_ok "the failing feed's next poll says backoff"
awk '/^[^ ]/ && $1 == "fine" { print $8 }' "$T/status.out" | grep -q '^4$' ||
    not_ok "entries stored are counted"

validate_atom "$T/out/status.atom"
titles=$(xpath "$T/out/status.atom" \
    "//*[local-name()='entry']/*[local-name()='title']/text()" | sort |
    tr '\n' ' ')
check_eq "broken: failing gone: gone moved: moved " "$titles" \
    "status.atom has one entry per feed in trouble, none for fine"

# Once the broken feed recovers, its entry leaves the status feed.
sed -i 's|/script?status=500|/files/feeds/noguid.xml|' "$T/feedd.conf"
run_feedd once3 once -c "$T/feedd.conf"
if grep -q 'broken: failing' "$T/out/status.atom"; then
	not_ok "a recovered feed stays in status.atom"
else
	ok "a recovered feed leaves status.atom"
fi
# The daemon commits a healthy poll's state while other polls still run
# (a burst of them shares one commit, at most a second later): feedd
# status shows the quick feed polled long before the slow one answers.
cat >"$T/live.conf" <<CONF
[feedd]
database = live.db
shutdown_grace = 1s

[output]
directory = live-out

[http]
listen =

[feed quick]
url = $SERVER_URL/files/feeds/rss2.xml?delay_ms=1500

[feed slow]
url = $SERVER_URL/files/feeds/atom.xml?delay_ms=60000
CONF
start_bg live "$FEEDD" -c "$T/live.conf"
LIVE_PID=$BG_PID
# live_state FEED: its STATE column in a fresh feedd status.
live_state() {
	"$FEEDD" status -c "$T/live.conf" >"$T/live-status.out" 2>&1 || return 1
	awk -v n="$1" '/^[^ ]/ && $1 == n { print $2 }' "$T/live-status.out"
}
quick_is_ok() {
	[ "$(live_state quick)" = ok ]
}
# Within 8 s: the retention timer's first pass, 10 s after start-up,
# would commit it anyway.
if wait_for 8 quick_is_ok; then
	ok "a poll's state is committed while another poll runs"
else
	not_ok "the quick feed's poll state never showed while the slow one ran"
fi
check_eq new "$(live_state slow)" "the slow feed is still being polled"
kill -TERM "$LIVE_PID"
wait_pid 30 "$LIVE_PID" || not_ok "feedd did not stop on SIGTERM"

finish
