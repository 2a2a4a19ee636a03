# feedd run speaks systemd's notify protocol: a stub notify socket (a real
# AF_UNIX datagram socket, as systemd's) sees READY=1, then RELOADING=1
# (with MONOTONIC_USEC=) and READY=1 again around a reload (the SIGHUP
# the unit's ExecReload sends, as systemctl reload would), then
# STOPPING=1 on SIGTERM, in that order; STATUS= lines name the feeds,
# and WATCHDOG=1 pings come when WATCHDOG_USEC is set.
set -eu
. "$(dirname "$0")/lib.sh"

cp -R "$FEEDD_TEST_DATA" "$T/docroot"
start_server "$T/docroot"

# The stub: every datagram on one line of notify.log, newlines as '|'.
start_dgram_stub notify "$T/notify.sock" "$T/notify.log"

cat >"$T/feedd.conf" <<CONF
[feedd]
database = feedd.db

[output]
directory = out

[http]
listen =

[feed rss]
url = $SERVER_URL/files/feeds/rss2.xml

[feed atom]
url = $SERVER_URL/files/feeds/atom.xml

[feed broken]
url = $SERVER_URL/script?status=500
CONF

# fields: every KEY=VALUE the stub got, one per line, in order.
fields() {
	tr '|' '\n' <"$T/notify.log"
}

# said FIELD [N]: the stub got the field FIELD, whole, N times (1).
said() {
	[ "$(fields 2>/dev/null | grep -c -x -- "$1")" -ge "${2:-1}" ]
}

NOTIFY_SOCKET=$T/notify.sock WATCHDOG_USEC=400000 \
    start_bg feedd "$FEEDD" run -c "$T/feedd.conf"
FEEDD_PID=$BG_PID
wait_for 30 said READY=1 || fail "no READY=1 within 30 s"
ok "READY=1 once the config is loaded and the database open"

# status_settled: a STATUS= line for the three feeds polled, one failed.
STATUS_WANT='^STATUS=3 feeds, 0 due, 0 in flight, 1 failing; '
STATUS_WANT="${STATUS_WANT}last error: feed broken: .*500"
status_settled() {
	fields | grep -q "$STATUS_WANT"
}
wait_for 30 status_settled ||
    fail "no STATUS= line for 3 polled feeds, one failing"
ok "a STATUS= line counts feeds, due, in flight, failing, and the last error"

wait_for 10 said WATCHDOG=1 || fail "no WATCHDOG=1 with WATCHDOG_USEC set"
ok "WATCHDOG=1 pings while WATCHDOG_USEC is set"

# Reload as systemctl reload does: the unit's ExecReload, with $MAINPID.
reload=$(sed -n 's/^ExecReload=//p' "$FEEDD_SOURCE_DIR/systemd/feedd.service")
[ -n "$reload" ] || fail "the unit has no ExecReload"
MAINPID=$FEEDD_PID sh -c "$reload" || fail "ExecReload failed: $reload"
wait_for 30 said READY=1 2 || fail "no second READY=1 after ExecReload"
ok "READY=1 again after the unit's ExecReload ($reload)"
grep -q '^RELOADING=1|MONOTONIC_USEC=[0-9][0-9]*|' "$T/notify.log" ||
    fail "RELOADING=1 comes without MONOTONIC_USEC="
ok "RELOADING=1 carries MONOTONIC_USEC="

kill -TERM "$FEEDD_PID"
wait_pid 30 "$FEEDD_PID"
assert_eq 0 "$WAIT_RC" "feedd exits 0 on SIGTERM"
wait_for 10 said STOPPING=1 || fail "no STOPPING=1 after SIGTERM"

# The order of the state messages, watchdog pings and status lines aside.
order=$(fields | grep -x -E 'READY=1|RELOADING=1|STOPPING=1' | tr '\n' ' ')
assert_eq 'READY=1 RELOADING=1 READY=1 STOPPING=1 ' "$order" \
    "READY, RELOADING, READY, STOPPING in order"
finish
