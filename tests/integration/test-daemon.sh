# feedd run in the foreground: it polls, serves /feed.atom over HTTP with
# the Atom media type, and exits 0 on SIGTERM.
set -eu
. "$(dirname "$0")/lib.sh"

SOURCES='RSS item=RSS fixture|rss;Atom entry=Atom fixture|atom;No-guid=No-guid fixture|noguid'
NWANT=$(expected_lines "$FEEDD_TEST_DATA/feeds/expected-order.txt" | wc -l |
    tr -d ' ')

cp -R "$FEEDD_TEST_DATA" "$T/docroot"
start_server "$T/docroot"

# feed_complete: /feed.atom is served and holds every fixture entry;
# fail at once if feedd has exited.
feed_complete() {
	alive "$FEEDD_PID" || fail "feedd exited before serving the feed"
	curl -fsS -m 5 -o "$T/got.atom" "http://127.0.0.1:$PORT/feed.atom" \
	    2>/dev/null || return 1
	[ "$(count_entries "$T/got.atom")" = "$NWANT" ]
}

# The port was free a moment ago; the kernel picks it at random, so a
# clash before feedd binds it is unlikely enough not to retry.
PORT=$(free_port)
cat >"$T/feedd.conf" <<CONF
[feedd]
database = feedd.db
default_interval = 1h

[output]
directory = out
title = Test river

[http]
listen = 127.0.0.1:$PORT

[feed rss]
url = $SERVER_URL/files/feeds/rss2.xml

[feed atom]
url = $SERVER_URL/files/feeds/atom.xml

[feed noguid]
url = $SERVER_URL/files/feeds/noguid.xml
CONF
start_bg feedd "$FEEDD" -c "$T/feedd.conf"
FEEDD_PID=$BG_PID
wait_for 60 feed_complete ||
    fail "feedd served no complete /feed.atom on port $PORT within 60 s"
ok "feedd serves /feed.atom with all $NWANT entries (port $PORT)"

check_river "$T/got.atom" "$FEEDD_TEST_DATA/feeds/expected-order.txt" \
    "$SOURCES"

ctype=$(curl -fsS -m 5 -o /dev/null -w '%{content_type}' \
    "http://127.0.0.1:$PORT/feed.atom")
case $ctype in
application/atom+xml|"application/atom+xml;"*|"application/atom+xml "*)
	ok "Content-Type is $ctype" ;;
*)
	fail "Content-Type of /feed.atom is '$ctype', want application/atom+xml" ;;
esac

# The file written to the output directory is the same feed.
[ -s "$T/out/feed.atom" ] || fail "no $T/out/feed.atom"
assert_eq "$NWANT" "$(count_entries "$T/out/feed.atom")" \
    "out/feed.atom holds every entry too"

code=$(curl -sS -m 5 -o /dev/null -w '%{http_code}' \
    "http://127.0.0.1:$PORT/no-such-thing") || true
assert_eq 404 "$code" "an unknown path is 404"

kill -TERM "$FEEDD_PID"
wait_pid 30 "$FEEDD_PID"
assert_eq 0 "$WAIT_RC" "feedd exits 0 on SIGTERM"
finish
