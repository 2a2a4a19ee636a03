# How the HTTP endpoint serves an output: a strong ETag and Last-Modified,
# 304 for If-None-Match and for If-Modified-Since, HEAD without a body,
# gzip (its own ETag) when the client accepts it, the media type with
# its charset, 405 with Allow for other methods, 404 for unknown paths.
set -eu
. "$(dirname "$0")/lib.sh"

cp -R "$FEEDD_SOURCE_DIR/etc/demo" "$T/demo"
PORT=$(free_port)
sed -i "s/^listen = .*/listen = 127.0.0.1:$PORT/" "$T/demo/demo.conf"
URL=http://127.0.0.1:$PORT/feed.atom
start_bg feedd "$FEEDD" run -c "$T/demo/demo.conf"
full() {
	curl -fsS -m 5 -o "$T/plain" "$URL" 2>/dev/null &&
	    [ "$(count_entries "$T/plain")" = 6 ]
}
wait_for 30 full || fail "the demo feed was never served whole"
# header NAME FILE: a response header's value.
header() {
	tr -d '\r' <"$2" | sed -n "s/^$1: //Ip" | head -n 1
}
curl -fsS -m 5 -D "$T/h1" -o /dev/null "$URL"
ETAG=$(header ETag "$T/h1")
LM=$(header Last-Modified "$T/h1")
case $ETAG in \"*\") ok "a strong ETag: $ETAG" ;; *) fail "ETag '$ETAG'" ;; esac
[ -n "$LM" ] || fail "no Last-Modified"
ok "Last-Modified: $LM"
check_eq "application/atom+xml; charset=utf-8" "$(header Content-Type "$T/h1")" \
    "the media type names its charset"

code() {
	curl -sS -m 5 -o /dev/null -w '%{http_code}' "$@"
}
check_eq 304 "$(code -H "If-None-Match: $ETAG" "$URL")" \
    "If-None-Match with the ETag: 304"
check_eq 304 "$(code -H "If-Modified-Since: $LM" "$URL")" \
    "If-Modified-Since with Last-Modified: 304"
check_eq 200 "$(code -H 'If-Modified-Since: Sat, 01 Jan 2000 00:00:00 GMT' "$URL")" \
    "If-Modified-Since long before: 200"
check_eq 200 "$(code -H 'If-None-Match: "other"' -H "If-Modified-Since: $LM" "$URL")" \
    "If-None-Match that does not match wins over If-Modified-Since"

curl -fsS -m 5 -I "$URL" >"$T/head"
check_eq "$ETAG" "$(header ETag "$T/head")" "HEAD answers with the same ETag"
check_eq "$(wc -c <"$T/plain" | tr -d ' ')" "$(header Content-Length "$T/head")" \
    "HEAD gives the length of the GET"
# What really comes back after a HEAD: the headers and nothing else.
"$PYTHON" - "$PORT" >"$T/headraw" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"HEAD /feed.atom HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
data = b""
while True:
    d = s.recv(65536)
    if not d:
        break
    data += d
print(len(data.partition(b"\r\n\r\n")[2]))
PY
check_eq 0 "$(cat "$T/headraw")" "HEAD has no body"

curl -fsS -m 5 -H 'Accept-Encoding: gzip' -D "$T/hz" -o "$T/gz" "$URL"
check_eq gzip "$(header Content-Encoding "$T/hz")" "gzip when accepted"
ZETAG=$(header ETag "$T/hz")
[ "$ZETAG" != "$ETAG" ] || fail "the gzip form has the same ETag"
ok "the gzip form has its own ETag"
gzip -dc <"$T/gz" >"$T/unz" || fail "the gzip body does not decompress"
cmp -s "$T/unz" "$T/plain" || fail "the gzip body differs from the plain one"
ok "the gzip body is the same document"
check_eq 304 "$(code -H 'Accept-Encoding: gzip' -H "If-None-Match: $ZETAG" "$URL")" \
    "If-None-Match with the gzip ETag: 304"

check_eq 405 "$(code -X POST "$URL")" "POST: 405"
curl -sS -m 5 -X DELETE -D "$T/h405" -o /dev/null "$URL" || true
check_eq "GET, HEAD" "$(header Allow "$T/h405")" "405 names what is allowed"
check_eq 404 "$(code "http://127.0.0.1:$PORT/nope")" "an unknown path: 404"
finish
