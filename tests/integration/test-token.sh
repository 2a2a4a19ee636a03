# [http] token_file: every path but /healthz needs the token, as
# "Authorization: Bearer TOKEN" or "?token=TOKEN" (URL-encoded); without
# it 401 with WWW-Authenticate: Bearer, and the token never reaches the
# log.  A missing token_file is a config error naming FILE:LINE.
set -eu
. "$(dirname "$0")/lib.sh"

TOKEN='s3cret+/=x'
TOKEN_Q='s3cret%2B%2F%3Dx'
PORT=$(free_port)
URL="http://127.0.0.1:$PORT"
printf '%s\n' "$TOKEN" >"$T/token"
cat >"$T/feedd.conf" <<CONF
[feedd]
database = feedd.db

[output]
directory = out

[http]
listen = 127.0.0.1:$PORT
token_file = token

[feed local]
url = file:$FEEDD_TEST_DATA/feeds/rss2.xml
CONF
start_bg feedd "$FEEDD" run -d -c "$T/feedd.conf"
FEEDD_PID=$BG_PID

# code ARGS...: the status of a request.
code() {
	curl -sS -m 5 -o /dev/null -w '%{http_code}' "$@"
}
polled() {
	alive "$FEEDD_PID" || fail "feedd exited"
	curl -fsS -m 5 -o "$T/got.atom" \
	    -H "Authorization: Bearer $TOKEN" "$URL/feed.atom" 2>/dev/null &&
	    [ "$(count_entries "$T/got.atom")" = 4 ]
}
wait_for 30 polled || fail "feedd did not serve the feed with the token"

check_eq 401 "$(code "$URL/feed.atom")" "no token: 401"
curl -sS -m 5 -D "$T/h" -o /dev/null "$URL/feed.atom" || true
check_eq 'Bearer realm="feedd"' \
    "$(tr -d '\r' <"$T/h" | sed -n 's/^WWW-Authenticate: //Ip')" \
    "the 401 asks for a bearer token"
check_eq 401 "$(code "$URL/")" "the index needs it too"
check_eq 401 "$(code "$URL/metrics")" "/metrics needs it too"
check_eq 401 "$(code "$URL/no-such-path")" "unknown paths too (no probing)"
check_eq 401 "$(code -H 'Authorization: Bearer wrong' "$URL/feed.atom")" \
    "a wrong bearer token: 401"
curl -sS -m 5 -D "$T/h" -o /dev/null -H 'Authorization: Bearer wrong' \
    "$URL/feed.atom" || true
check_eq 'Bearer realm="feedd", error="invalid_token"' \
    "$(tr -d '\r' <"$T/h" | sed -n 's/^WWW-Authenticate: //Ip')" \
    "a wrong token is invalid_token"
check_eq 401 "$(code -H "Authorization: Bearer ${TOKEN}x" "$URL/feed.atom")" \
    "the token with a byte more: 401"
check_eq 401 "$(code "$URL/feed.atom?token=s3cret")" "a prefix of it: 401"

check_eq 200 "$(code -H "Authorization: Bearer $TOKEN" "$URL/feed.atom")" \
    "the bearer token: 200"
check_eq 200 "$(code "$URL/feed.atom?token=$TOKEN_Q")" \
    "?token= (URL-encoded): 200, the query not taken as the path"
check_eq 200 "$(code "$URL/metrics?x=1&token=$TOKEN_Q")" \
    "?token= among other parameters: 200"
check_eq 200 "$(code -I -H "Authorization: Bearer $TOKEN" "$URL/feed.atom")" \
    "HEAD with the token: 200"
curl -fsS -m 5 -o "$T/got.atom" "$URL/feed.atom?token=$TOKEN_Q" ||
    fail "GET with the token"
check_eq 4 "$(count_entries "$T/got.atom")" "the feed served with the token"
check_eq 404 "$(code -H "Authorization: Bearer $TOKEN" "$URL/nope")" \
    "an unknown path with the token: 404"
check_eq 200 "$(code "$URL/healthz")" "/healthz needs no token"

# A reload with a new token on the same address: the new one is needed,
# the old one refused, and the outputs are served again at once.
printf 'n3w-token\n' >"$T/token"
kill -HUP "$FEEDD_PID"
new_token() {
	[ "$(code -H "Authorization: Bearer n3w-token" "$URL/feed.atom")" = 200 ]
}
wait_for 30 new_token || fail "the new token is not accepted after SIGHUP"
ok "after a reload the new token is accepted on the same address"
check_eq 401 "$(code -H "Authorization: Bearer $TOKEN" "$URL/feed.atom")" \
    "after a reload the old token is refused"
printf '%s\n' "$TOKEN" >"$T/token"

kill -TERM "$FEEDD_PID"
wait_pid 30 "$FEEDD_PID"
check_eq 0 "$WAIT_RC" "feedd exits 0"
if grep -F -e "$TOKEN" -e "$TOKEN_Q" "$T/feedd.err" >/dev/null; then
	not_ok "the token is in the log"
else
	ok "the token is not in the (debug) log"
fi

rm "$T/token"
run_feedd check check -c "$T/feedd.conf"
check_eq 1 "$RC" "feedd check fails without the token file"
grep -q "feedd.conf:9: token_file $T/token: No such file" "$T/check.err" &&
    ok "the error names FILE:LINE and the file" ||
    not_ok "no FILE:LINE error: $(cat "$T/check.err")"
finish
