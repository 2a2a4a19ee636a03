# A thousand slowloris clients (each trickling header bytes, one a
# second, reconnecting when closed) cannot starve feedd's HTTP server:
# normal GETs of /feed.atom still succeed and feeds are still polled
# while they run, and every slow connection is closed once header_timeout
# has passed.  feedd runs under a file limit of 700, so without the
# connection cap the slow clients would use up its descriptors, and
# header_timeout is longer than the GETs may take, so that it alone
# cannot save them.
set -eu
. "$(dirname "$0")/lib.sh"

cp -R "$FEEDD_TEST_DATA" "$T/docroot"
start_server "$T/docroot"
PORT=$(free_port)
URL="http://127.0.0.1:$PORT"
cat >"$T/feedd.conf" <<CONF
[feedd]
database = feedd.db

[output]
directory = out

[http]
listen = 127.0.0.1:$PORT
max_connections = 256
header_timeout = 20s

[feed rss]
url = $SERVER_URL/files/feeds/rss2.xml
interval = 1s
CONF
# shellcheck disable=SC2016
start_bg feedd sh -c 'ulimit -n 700 && exec "$0" run -c "$1"' "$FEEDD" \
    "$T/feedd.conf"
FEEDD_PID=$BG_PID

feed_served() {
	alive "$FEEDD_PID" || fail "feedd exited"
	curl -fsS -m 5 -o "$T/first.atom" "$URL/feed.atom" 2>/dev/null &&
	    [ "$(count_entries "$T/first.atom")" -gt 0 ]
}
wait_for 30 feed_served || fail "feedd served no entries within 30 s"
ok "feedd serves /feed.atom with entries"

start_bg slow "$PYTHON" "$FEEDD_SOURCE_DIR/tests/integration/slowloris.py" \
    "$PORT" 1000 10 60 "$T/slow.ready"
SLOW_PID=$BG_PID
slow_ready() {
	[ -s "$T/slow.ready" ]
}
wait_for 60 slow_ready || fail "the slow clients did not connect"
ok "1000 slow clients connected"

polls_before=$(server_hits /files/feeds/rss2.xml)
ngot=0
for i in 1 2 3 4 5; do
	if curl -fsS -m 5 -o "$T/got$i.atom" "$URL/feed.atom" 2>"$T/curl.err" &&
	    [ "$(count_entries "$T/got$i.atom")" -gt 0 ]; then
		ngot=$((ngot + 1))
	else
		printf 'GET %d failed: %s\n' "$i" "$(cat "$T/curl.err")"
	fi
	sleep 1
done
check_eq 5 "$ngot" "every GET of /feed.atom succeeds under the attack"
alive "$SLOW_PID" || fail "the slow clients stopped before the GETs ended"
polls_after=$(server_hits /files/feeds/rss2.xml)
if [ "$polls_after" -gt "$polls_before" ]; then
	ok "feeds are polled under the attack ($polls_before, then $polls_after)"
else
	not_ok "no poll under the attack ($polls_before polls before and after)"
fi

wait_pid 120 "$SLOW_PID"
result=$(cat "$T/slow.out")
printf '# slow clients: %s\n' "$result"
case $result in
*" open_at_end=0") ok "every slow connection was closed by feedd" ;;
*) not_ok "slow connections left open: $result" ;;
esac

curl -fsS -m 10 -o "$T/metrics" "$URL/metrics" || fail "no /metrics"
timeouts=$(sed -n 's/^feedd_http_connections_dropped_total{reason="header_timeout"} //p' \
    "$T/metrics")
[ "${timeouts:-0}" -gt 0 ] && ok "connections dropped for header_timeout: $timeouts" ||
    not_ok "no connection counted as dropped for header_timeout"
over=$(sed -n 's/^feedd_http_connections_dropped_total{reason="over_cap"} //p' \
    "$T/metrics")
[ "${over:-0}" -gt 0 ] && ok "connections dropped over the cap: $over" ||
    not_ok "no connection counted as dropped over the cap"
# Closed connections give their descriptors back.
nfds=$(ls "/proc/$FEEDD_PID/fd" | wc -l)
if [ "$nfds" -lt 64 ]; then
	ok "feedd holds $nfds descriptors afterwards"
else
	not_ok "feedd still holds $nfds descriptors"
fi
alive "$FEEDD_PID" || fail "feedd exited"
kill -TERM "$FEEDD_PID"
wait_pid 30 "$FEEDD_PID"
check_eq 0 "$WAIT_RC" "feedd exits 0 on SIGTERM"
finish
