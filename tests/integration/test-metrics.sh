# /metrics after a poll round with a 200, a 304, a 404 and a malformed
# feed: the body passes promtool's check (Prometheus text format) and
# the counters and per-feed gauges say what happened.
set -eu
. "$(dirname "$0")/lib.sh"

command -v promtool >/dev/null 2>&1 ||
    fail "promtool is not installed (scripts/deps.sh installs prometheus)"
cp -R "$FEEDD_TEST_DATA" "$T/docroot"
start_server "$T/docroot"
PORT=$(free_port)
URL="http://127.0.0.1:$PORT"
COND='/script?status=200&body=feeds/atom.xml&etag=v1'
cat >"$T/feedd.conf" <<CONF
[feedd]
database = feedd.db
default_interval = 1h

[output]
directory = out
collapse_duplicates = no

[http]
listen = 127.0.0.1:$PORT

[feed plain]
url = $SERVER_URL/files/feeds/rss2.xml

# 200 with an ETag, then 304 on every later poll.
[feed cond]
url = $SERVER_URL$COND
interval = 1s

[feed missing]
url = $SERVER_URL/script?status=404

[feed broken]
url = $SERVER_URL/files/parse/illformed.xml
CONF
start_bg feedd "$FEEDD" run -c "$T/feedd.conf"
FEEDD_PID=$BG_PID

# scrape: fetch /metrics into $T/metrics.
scrape() {
	alive "$FEEDD_PID" || fail "feedd exited"
	curl -fsS -m 5 -o "$T/metrics" "$URL/metrics" 2>/dev/null
}
# value SAMPLE: the value of one sample line ("name{labels}"), or empty.
value() {
	awk -v k="$1" '$1 == k { print $2 }' "$T/metrics"
}
# polled: every feed was polled once, and cond also got its 304.
polled() {
	scrape || return 1
	[ -n "$(value 'feedd_feed_polls_total{feed="broken",outcome="new"}')" ] &&
	[ -n "$(value 'feedd_feed_polls_total{feed="missing",outcome="transient"}')" ] &&
	[ -n "$(value 'feedd_feed_polls_total{feed="plain",outcome="new"}')" ] &&
	[ -n "$(value 'feedd_feed_polls_total{feed="cond",outcome="not_modified"}')" ]
}
wait_for 60 polled || fail "the poll round did not show in /metrics within 60 s"
ok "/metrics shows the poll round"

curl -fsS -m 5 -o /dev/null "$URL/feed.atom" || fail "GET /feed.atom"
curl -fsS -m 5 -o /dev/null "$URL/feed.atom" || fail "GET /feed.atom"
curl -sS -m 5 -o /dev/null "$URL/no-such-path" || true
curl -sS -m 5 -o /dev/null "$URL/another?x=1" || true
scrape || fail "no /metrics"
ctype=$(curl -fsS -m 5 -o /dev/null -w '%{content_type}' "$URL/metrics")
check_eq "text/plain; version=0.0.4; charset=utf-8" "$ctype" \
    "/metrics has the exposition format's Content-Type"

promtool check metrics <"$T/metrics" >"$T/promtool.out" 2>&1 ||
    fail "promtool check metrics: $(cat "$T/promtool.out")"
[ ! -s "$T/promtool.out" ] ||
    fail "promtool check metrics complains: $(cat "$T/promtool.out")"
ok "promtool check metrics accepts /metrics"

nnm=$(value 'feedd_feed_polls_total{feed="cond",outcome="not_modified"}')
check_eq 3 "$(value 'feedd_polls_total{outcome="new"}')" \
    "three polls brought new entries (plain, cond, broken)"
check_eq "$nnm" "$(value 'feedd_polls_total{outcome="not_modified"}')" \
    "every 304 is counted in the total"
check_eq 1 "$(value 'feedd_polls_total{outcome="transient"}')" \
    "the 404 is one transient error"
check_eq 1 "$(value 'feedd_parse_errors_total')" "one parse error (broken)"
check_eq $((4 + nnm)) "$(value 'feedd_poll_duration_seconds_count')" \
    "the histogram counts every poll"
check_eq $((4 + nnm)) "$(value 'feedd_poll_duration_seconds_bucket{le="+Inf"}')" \
    "the +Inf bucket holds every poll"
nentries=$("$FEEDD" entries --json -c "$T/feedd.conf" | grep -c "^{")
check_eq "$nentries" "$(value 'feedd_entries_stored_total')" \
    "entries stored: as many as the store holds"
bytes=$(awk '$1 ~ /^feedd_feed_fetched_bytes_total/ { n += $2 } END { print n }' \
    "$T/metrics")
check_eq "$bytes" "$(value 'feedd_fetched_bytes_total')" \
    "bytes fetched: the sum of the feeds'"
[ "$bytes" -gt 0 ] && ok "bytes were fetched" || not_ok "no bytes fetched"

check_eq 304 "$(value 'feedd_feed_last_status{feed="cond"}')" \
    "cond's last status is 304"
check_eq 404 "$(value 'feedd_feed_last_status{feed="missing"}')" \
    "missing's last status is 404"
check_eq 1 "$(value 'feedd_feed_consecutive_errors{feed="missing"}')" \
    "missing failed once in a row"
check_eq 0 "$(value 'feedd_feed_consecutive_errors{feed="plain"}')" \
    "plain has no errors"
check_eq 1 "$(value 'feedd_feeds{state="failing"}')" "one feed is failing"
check_eq 3 "$(value 'feedd_feeds{state="ok"}')" "three feeds are ok"
check_eq 1 "$(value 'feedd_feed_state{feed="missing",state="failing"}')" \
    "missing is labelled failing"
next=$(value 'feedd_feed_next_poll_timestamp_seconds{feed="missing"}')
[ "${next:-0}" -gt "$(date +%s)" ] && ok "missing's next poll is ahead" ||
    not_ok "missing's next poll is not ahead: '$next'"

check_eq 2 "$(value 'feedd_http_requests_total{path="/feed.atom",status="200"}')" \
    "the two GETs of /feed.atom are counted"
check_eq 2 "$(value 'feedd_http_requests_total{path="other",status="404"}')" \
    "unknown paths are counted together as other"
rebuilds=$(value 'feedd_output_rebuilds_total')
[ "${rebuilds:-0}" -ge 1 ] && ok "outputs rebuilt $rebuilds times" ||
    not_ok "no output rebuild counted"
dbsize=$(value 'feedd_database_bytes')
[ "${dbsize:-0}" -gt 0 ] && ok "database size $dbsize bytes" ||
    not_ok "no database size"

kill -TERM "$FEEDD_PID"
wait_pid 30 "$FEEDD_PID"
check_eq 0 "$WAIT_RC" "feedd exits 0 on SIGTERM"
finish
