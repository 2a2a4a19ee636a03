# SIGTERM and SIGINT stop feedd cleanly: no poll starts after the
# signal, polls in flight finish and are stored within shutdown_grace,
# the outputs are written, the database is closed intact, and the exit
# status is 0.  A poll still running when shutdown_grace ends is
# cancelled and feedd still exits 0 with an intact database.
set -eu
. "$(dirname "$0")/lib.sh"

cp -R "$FEEDD_TEST_DATA" "$T/docroot"
start_server "$T/docroot"

SLOW=/script?body=feeds/rss2.xml\&delay_ms=3000
STUCK=/script?body=feeds/atom.xml\&delay_ms=8000
TICK=/script?body=feeds/noguid.xml

# has N FEED: the store holds N entries of FEED.
has() {
	[ "$(stored "$T/feedd.conf" "$2")" = "$1" ]
}

# intact: SQLite's integrity_check passes on the database.
intact() {
	"$PYTHON" -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
r = c.execute("PRAGMA integrity_check").fetchall()
sys.exit(0 if r == [("ok",)] else 1)' "$T/feedd.db"
}

cat >"$T/feedd.conf" <<CONF
[feedd]
database = feedd.db
per_host = 10

[output]
directory = out

[http]
listen =

[feed slow]
url = $SERVER_URL$SLOW

[feed tick]
url = $SERVER_URL$TICK
interval = 1s
CONF

start_bg feedd "$FEEDD" run -d -c "$T/feedd.conf"
FEEDD_PID=$BG_PID
wait_for 30 has 3 tick || fail "feed tick stored nothing"
wait_for 30 hits_at_least 1 "$SLOW" || fail "feed slow was not polled"
has 0 slow || fail "feed slow ended before SIGTERM: raise its delay"
kill -TERM "$FEEDD_PID"
wait_pid 30 "$FEEDD_PID"
assert_eq 0 "$WAIT_RC" "feedd exits 0 on SIGTERM with a poll in flight"
check_eq 4 "$(stored "$T/feedd.conf" slow)" \
    "the poll in flight is stored before exit"
if intact; then ok "the database passes integrity_check"; else
	not_ok "the database fails integrity_check"; fi
if sed -n '/received Terminated/,$p' "$T/feedd.err" | grep -q 'polling'; then
	not_ok "a poll started after SIGTERM"
else
	ok "no poll starts after SIGTERM"
fi
if grep -q 'RSS item' "$T/out/feed.atom"; then
	ok "the outputs are written with the last poll's entries"
else
	not_ok "out/feed.atom lacks the entries stored while stopping"
fi

# shutdown_grace ends: the poll still running is cancelled (with the
# default of 10s the 8 s poll would end and be stored).
cat >"$T/feedd.conf" <<CONF
[feedd]
database = feedd.db
shutdown_grace = 1s

[output]
directory = out

[http]
listen =

[feed stuck]
url = $SERVER_URL$STUCK
CONF
start_bg feedd2 "$FEEDD" run -c "$T/feedd.conf"
FEEDD_PID=$BG_PID
wait_for 30 hits_at_least 1 "$STUCK" || fail "feed stuck was not polled"
kill -INT "$FEEDD_PID"
wait_pid 60 "$FEEDD_PID"
assert_eq 0 "$WAIT_RC" "feedd exits 0 on SIGINT when shutdown_grace ends"
grep -q 'still running after shutdown_grace (1s), cancelling' \
    "$T/feedd2.err" || fail "the cancelled poll was not logged"
ok "the poll past shutdown_grace is cancelled and logged"
check_eq 0 "$(stored "$T/feedd.conf" stuck)" \
    "nothing of the cancelled poll is stored"
if intact; then ok "the database passes integrity_check"; else
	not_ok "the database fails integrity_check"; fi
finish
