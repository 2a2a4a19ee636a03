# A daemon's life across a stop and a start: SIGTERM lets a transfer in
# flight finish and be stored, and a restart does not poll early (the
# next poll time lives in the database).
set -eu
. "$(dirname "$0")/lib.sh"

SLOW_URL='/script?body=feeds/atom.xml&delay_ms=1500'
cp -R "$FEEDD_TEST_DATA" "$T/docroot"
start_server "$T/docroot"
PORT=$(free_port)
cat >"$T/feedd.conf" <<CONF
[feedd]
database = feedd.db
default_interval = 1h

[output]
directory = out

[http]
listen = 127.0.0.1:$PORT

[feed rss]
url = $SERVER_URL/files/feeds/rss2.xml

[feed slow]
url = $SERVER_URL$SLOW_URL
CONF

# hit_once PATH: the server has seen exactly one request for PATH.
hit_once() {
	[ "$(server_hits "$1")" = 1 ]
}

start_bg feedd "$FEEDD" run -c "$T/feedd.conf"
FEEDD_PID=$BG_PID
wait_for 30 hit_once /files/feeds/rss2.xml || fail "rss was never polled"
wait_for 30 hit_once "$SLOW_URL" || fail "slow was never polled"
# The slow answer is still on its way: stop now.
kill -TERM "$FEEDD_PID"
wait_pid 30 "$FEEDD_PID"
assert_eq 0 "$WAIT_RC" "feedd exits 0 on SIGTERM"
assert_eq 7 "$(count_entries "$T/out/feed.atom")" \
    "the transfer in flight at SIGTERM was finished and stored"

start_bg feedd2 "$FEEDD" run -c "$T/feedd.conf"
FEEDD_PID=$BG_PID
served() {
	curl -fsS -m 5 -o "$T/got.atom" "http://127.0.0.1:$PORT/feed.atom" \
	    2>/dev/null
}
wait_for 30 served || fail "the restarted feedd serves nothing"
assert_eq 7 "$(count_entries "$T/got.atom")" \
    "after a restart the stored entries are served at once"
# First polls are spread over a second after start-up: wait past that.
sleep 3
assert_eq 1 "$(server_hits /files/feeds/rss2.xml)" \
    "a restart does not poll a feed before its interval"
assert_eq 1 "$(server_hits "$SLOW_URL")" \
    "nor the feed that was drained at SIGTERM"
kill -TERM "$FEEDD_PID"
wait_pid 30 "$FEEDD_PID"
assert_eq 0 "$WAIT_RC" "the restarted feedd exits 0 on SIGTERM"
finish
