# The bundled demo (etc/demo, what the README's first command runs): its
# three sample feeds, read through relative file: URLs, come out as one
# schema-valid combined feed served over HTTP, and a conditional GET of
# it gets a 304.
set -eu
. "$(dirname "$0")/lib.sh"

cp -R "$FEEDD_SOURCE_DIR/etc/demo" "$T/demo"
PORT=$(free_port)
sed "s/^listen = .*/listen = 127.0.0.1:$PORT/" "$FEEDD_SOURCE_DIR/etc/demo/demo.conf" \
    >"$T/demo/demo.conf"
NWANT=$(cat "$T"/demo/feeds/* | grep -c -e '<item>' -e '<entry>')

# served_all: /feed.atom holds every demo entry.
served_all() {
	alive "$FEEDD_PID" || fail "feedd exited early"
	curl -fsS -m 5 -o "$T/got.atom" "http://127.0.0.1:$PORT/feed.atom" \
	    2>/dev/null || return 1
	[ "$(count_entries "$T/got.atom")" = "$NWANT" ]
}

start_bg feedd "$FEEDD" run -c "$T/demo/demo.conf"
FEEDD_PID=$BG_PID
wait_for 60 served_all || fail "the demo feed never held all $NWANT entries"
ok "the demo serves all $NWANT entries"
validate_atom "$T/got.atom"
ok "the served demo feed is valid Atom"
cmp -s "$T/got.atom" "$T/demo/out/feed.atom" ||
    fail "out/feed.atom differs from what is served"
ok "out/feed.atom is what is served"

etag=$(curl -fsS -m 5 -D - -o /dev/null "http://127.0.0.1:$PORT/feed.atom" |
    tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')
[ -n "$etag" ] || fail "no ETag on /feed.atom"
code=$(curl -sS -m 5 -o /dev/null -w '%{http_code}' \
    -H "If-None-Match: $etag" "http://127.0.0.1:$PORT/feed.atom")
assert_eq 304 "$code" "a conditional GET with the ETag gets 304"

kill -TERM "$FEEDD_PID"
wait_pid 30 "$FEEDD_PID"
assert_eq 0 "$WAIT_RC" "feedd exits 0 on SIGTERM"
finish
