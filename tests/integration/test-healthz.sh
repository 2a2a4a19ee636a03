# /healthz answers 200 "ok" while the loop turns and the database is
# open, with no token even when one guards everything else, and 503
# once feedd is stopping (draining a slow transfer after SIGTERM).
set -eu
. "$(dirname "$0")/lib.sh"

cp -R "$FEEDD_TEST_DATA" "$T/docroot"
start_server "$T/docroot"
PORT=$(free_port)
URL="http://127.0.0.1:$PORT"
SLOW='/script?status=200&body=feeds/rss2.xml&delay_ms=8000'
cat >"$T/feedd.conf" <<CONF
[feedd]
database = feedd.db

[output]
directory = out

[http]
listen = 127.0.0.1:$PORT
token = not-needed-for-health

[feed slow]
url = $SERVER_URL$SLOW
CONF
start_bg feedd "$FEEDD" run -c "$T/feedd.conf"
FEEDD_PID=$BG_PID

healthy() {
	alive "$FEEDD_PID" || fail "feedd exited"
	curl -fsS -m 5 -o "$T/health" "$URL/healthz" 2>/dev/null
}
wait_for 30 healthy || fail "/healthz never answered 200"
ok "/healthz answers 200 without the token"
check_eq ok "$(cat "$T/health")" "its body is ok"
check_eq 401 "$(curl -sS -m 5 -o /dev/null -w '%{http_code}' "$URL/feed.atom")" \
    "the outputs need the token"
check_eq 200 "$(curl -sS -m 5 -I -o /dev/null -w '%{http_code}' "$URL/healthz")" \
    "HEAD /healthz: 200"

# Stop while the slow poll is in flight: feedd drains it, and is not
# healthy meanwhile.
in_flight() {
	[ "$(server_hits "$SLOW")" -ge 1 ]
}
wait_for 30 in_flight || fail "the slow feed was never polled"
kill -TERM "$FEEDD_PID"
unhealthy() {
	code=$(curl -sS -m 5 -o "$T/health" -w '%{http_code}' "$URL/healthz") ||
	    return 1
	[ "$code" = 503 ]
}
if wait_for 5 unhealthy; then
	ok "/healthz answers 503 while stopping"
	check_eq "unhealthy: stopping" "$(cat "$T/health")" "and says why"
else
	not_ok "/healthz did not answer 503 while stopping"
fi
wait_pid 30 "$FEEDD_PID"
check_eq 0 "$WAIT_RC" "feedd exits 0 after draining"
finish
