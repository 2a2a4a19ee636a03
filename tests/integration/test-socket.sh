# Socket activation: started by systemd-socket-activate (LISTEN_FDS and
# LISTEN_PID as systemd sets them), feedd serves on the socket it was
# passed and does not bind its configured listen address.
set -eu
. "$(dirname "$0")/lib.sh"

command -v systemd-socket-activate >/dev/null 2>&1 ||
    fail "systemd-socket-activate is not installed (package systemd)"
PORT=$(free_port)
OTHER=$(free_port)
cat >"$T/feedd.conf" <<CONF
[feedd]
database = feedd.db

[output]
directory = out

[http]
listen = 127.0.0.1:$OTHER

[feed local]
url = file:$FEEDD_TEST_DATA/feeds/rss2.xml
CONF
start_bg feedd systemd-socket-activate -l "127.0.0.1:$PORT" \
    "$FEEDD" run -c "$T/feedd.conf"
FEEDD_PID=$BG_PID

served() {
	alive "$FEEDD_PID" || fail "feedd (or the launcher) exited"
	curl -fsS -m 5 -o "$T/got.atom" "http://127.0.0.1:$PORT/feed.atom" \
	    2>/dev/null && [ "$(count_entries "$T/got.atom")" = 4 ]
}
wait_for 30 served || fail "nothing served on the passed socket"
ok "feedd serves /feed.atom on the socket systemd passed"
check_eq 200 "$(curl -sS -m 5 -o /dev/null -w '%{http_code}' \
    "http://127.0.0.1:$PORT/healthz")" "/healthz on it too"
grep -q "serving on the socket systemd passed" "$T/feedd.err" &&
    ok "the log says so" || not_ok "the log does not say so"
if curl -sS -m 5 -o /dev/null "http://127.0.0.1:$OTHER/feed.atom" 2>/dev/null
then
	not_ok "feedd also bound its listen address"
else
	ok "the listen address is not bound"
fi
# The launcher execs feedd: the pid is feedd's own.
case $(cat "/proc/$FEEDD_PID/comm") in
feedd) ok "feedd runs as the launcher's pid" ;;
*) not_ok "pid $FEEDD_PID is $(cat "/proc/$FEEDD_PID/comm")" ;;
esac
kill -TERM "$FEEDD_PID"
wait_pid 30 "$FEEDD_PID"
check_eq 0 "$WAIT_RC" "feedd exits 0"
finish
