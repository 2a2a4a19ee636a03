# The test server itself: files, scripted statuses and headers, 304 on
# matching validators, delayed and trickled replies, hit counters, the
# request log, reset, path checks, and exit 0 on SIGTERM.
set -eu
. "$(dirname "$0")/lib.sh"

cp -R "$FEEDD_TEST_DATA" "$T/docroot"
start_server "$T/docroot"
assert_eq "$SERVER_PORT" "$(cat "$T/server.out")" "the port is printed on stdout"

# get URL [CURL-ARGS...]: "STATUS CONTENT-TYPE" of a GET, body in $T/body.
get() {
	_u=$1
	shift
	rm -f "$T/body"
	curl -sS -m 10 -o "$T/body" -D "$T/headers" \
	    -w '%{http_code} %{content_type}' "$@" "$SERVER_URL$_u"
}

# header NAME: the value of a response header from the last get.
header() {
	tr -d '\r' <"$T/headers" | awk -v n="$1" 'BEGIN { n = tolower(n) }
	    { i = index($0, ":"); if (tolower(substr($0, 1, i - 1)) == n)
	    print substr($0, i + 2) }'
}

assert_eq "200 application/xml" "$(get /files/feeds/rss2.xml)" "a file"
cmp -s "$T/body" "$T/docroot/feeds/rss2.xml" || fail "file body differs"
ok "the file's bytes are served"
cp "$T/docroot/feeds/atom.xml" "$T/docroot/feeds/x.atom"
cp "$T/docroot/feeds/rss2.xml" "$T/docroot/feeds/x.rss"
printf '{}' >"$T/docroot/feeds/x.json"
printf 'x' >"$T/docroot/feeds/x.bin"
assert_eq "200 application/atom+xml" "$(get /files/feeds/x.atom)" ".atom type"
assert_eq "200 application/rss+xml" "$(get /files/feeds/x.rss)" ".rss type"
assert_eq "200 application/feed+json" "$(get /files/feeds/x.json)" ".json type"
assert_eq "200 application/octet-stream" "$(get /files/feeds/x.bin)" "other type"
assert_eq 404 "$(get /files/feeds/nope.xml | cut -d' ' -f1)" "a missing file"
assert_eq 404 "$(get /files/feeds | cut -d' ' -f1)" "a directory"
assert_eq 404 "$(get /files/feeds/%2E%2E/feeds/rss2.xml --path-as-is |
    cut -d' ' -f1)" "an encoded .. is refused"
assert_eq 404 "$(get /files/../feeds/rss2.xml --path-as-is | cut -d' ' -f1)" \
    "a .. is refused"

assert_eq 500 "$(get '/script?status=500' | cut -d' ' -f1)" "status=500"
get '/script?status=301&location=/files/feeds/rss2.xml&retry_after=120' \
    >/dev/null
assert_eq "/files/feeds/rss2.xml" "$(header Location)" "location="
assert_eq 120 "$(header Retry-After)" "retry_after="
assert_eq "200 text/html" \
    "$(get '/script?body=feeds/rss2.xml&content_type=text/html')" \
    "content_type="
cmp -s "$T/body" "$T/docroot/feeds/rss2.xml" || fail "body= differs"
ok "body= serves the file"
assert_eq 400 "$(get '/script?status=abc' | cut -d' ' -f1)" "a bad status"

LM='Sat, 06 Jan 2024 09:00:00 GMT'
S='/script?body=feeds/atom.xml&etag=v1&last_modified=Sat,%2006%20Jan%202024%2009:00:00%20GMT'
assert_eq 200 "$(get "$S" | cut -d' ' -f1)" "unconditional GET"
assert_eq '"v1"' "$(header ETag)" "a bare etag is sent quoted"
assert_eq "$LM" "$(header Last-Modified)" "last_modified="
assert_eq 304 "$(get "$S" -H 'If-None-Match: "v1"' | cut -d' ' -f1)" \
    "If-None-Match matching: 304"
[ ! -s "$T/body" ] || fail "a 304 with a body"
ok "the 304 has no body"
assert_eq 304 "$(get "$S" -H 'If-None-Match: "x", "v1"' | cut -d' ' -f1)" \
    "If-None-Match list: 304"
assert_eq 200 "$(get "$S" -H 'If-None-Match: "v2"' | cut -d' ' -f1)" \
    "If-None-Match other: 200"
assert_eq 304 "$(get "$S" -H "If-Modified-Since: $LM" | cut -d' ' -f1)" \
    "If-Modified-Since equal: 304"
assert_eq 200 "$(get "$S" -H 'If-Modified-Since: Sun, 07 Jan 2024 09:00:00 GMT' |
    cut -d' ' -f1)" "If-Modified-Since other: 200"

assert_eq 200 "$(get '/script?body=feeds/rss2.xml&delay_ms=300' |
    cut -d' ' -f1)" "delay_ms="
cmp -s "$T/body" "$T/docroot/feeds/rss2.xml" || fail "delayed body differs"
ok "the delayed body is whole"
assert_eq 200 "$(get '/script?body=feeds/rss2.xml&trickle=100&trickle_ms=1' |
    cut -d' ' -f1)" "trickle="
cmp -s "$T/body" "$T/docroot/feeds/rss2.xml" || fail "trickled body differs"
ok "the trickled body is whole"
assert_eq chunked "$(header Transfer-Encoding)" "a trickle is chunked"
# A client that leaves early does not upset the server.
curl -sS -m 0.2 -o /dev/null "$SERVER_URL/script?delay_ms=1000" 2>/dev/null ||
    true
curl -sS -m 0.2 -o /dev/null \
    "$SERVER_URL/script?body=feeds/rss2.xml&trickle=10&trickle_ms=50" \
    2>/dev/null || true
sleep 1.2
assert_eq 200 "$(get /files/feeds/rss2.xml | cut -d' ' -f1)" \
    "still serving after clients left early"

# A file rewritten on disk is served as it is now.
cp "$T/docroot/feeds/rss2-v2.xml" "$T/docroot/feeds/rss2.xml"
get /files/feeds/rss2.xml >/dev/null
cmp -s "$T/body" "$T/docroot/feeds/rss2-v2.xml" || fail "stale file served"
ok "a rewritten file is served new"

assert_eq 3 "$(server_hits /files/feeds/rss2.xml)" "hits of a path"
assert_eq 0 "$(server_hits /files/never)" "hits of a path never asked"
assert_eq 1 "$(server_hits '/script?status=500')" "hits of a path and query"
assert_eq 1 "$(server_hits /script?body=feeds/rss2.xml\&delay_ms=300)" \
    "hits of another query"
server_log >"$T/log"
grep -q "^GET /script?status=500	User-Agent: curl/" "$T/log" ||
    fail "no log line for /script?status=500: $(cat "$T/log")"
ok "the log has METHOD URI and User-Agent"
grep -q "	If-None-Match: \"x\", \"v1\"" "$T/log" ||
    fail "no If-None-Match in the log"
ok "the log shows If-None-Match"
grep -q "	If-Modified-Since: $LM" "$T/log" ||
    fail "no If-Modified-Since in the log"
ok "the log shows If-Modified-Since"
if grep -q '/_hits' "$T/log"; then
	fail "control requests are logged"
fi
ok "control requests are not logged"
curl -fsS "$SERVER_URL/_reset" >/dev/null
assert_eq 0 "$(server_hits /files/feeds/rss2.xml)" "/_reset zeroes counters"
assert_eq "" "$(server_log)" "/_reset empties the log"

kill -TERM "$SERVER_PID"
wait_pid 10 "$SERVER_PID"
assert_eq 0 "$WAIT_RC" "the server exits 0 on SIGTERM"
finish
