# feedd as an HTTP client: conditional GET with the stored ETag and
# Last-Modified (a 304 keeps what is stored), redirects followed, a
# feedd User-Agent and compression offered.
set -eu
. "$(dirname "$0")/lib.sh"

SOURCES='RSS item=RSS fixture|rss;Atom entry=Atom fixture|atom;No-guid=No-guid fixture|noguid'
LM='Sat, 06 Jan 2024 09:00:00 GMT'
ETAG_URL='/files/feeds/rss2.xml?etag=v1'
LM_URL='/files/feeds/atom.xml?last_modified=Sat,%2006%20Jan%202024%2009:00:00%20GMT'
MOVED_URL='/script?status=302&location=/files/feeds/noguid.xml'

cp -R "$FEEDD_TEST_DATA" "$T/docroot"
start_server "$T/docroot"

cat >"$T/feedd.conf" <<CONF
[feedd]
database = feedd.db
default_interval = 1h

[output]
directory = out
title = Test river

[http]
listen =

[feed rss]
url = $SERVER_URL$ETAG_URL

[feed atom]
url = $SERVER_URL$LM_URL

[feed noguid]
url = $SERVER_URL$MOVED_URL
CONF

# log_for URI: the server's log lines for requests of URI.
log_for() {
	server_log | awk -F '\t' -v u="GET $1" '$1 == u'
}

run_feedd once1 once -c "$T/feedd.conf"
assert_eq 0 "$RC" "feedd once (first) exits 0"
check_river "$T/out/feed.atom" "$FEEDD_TEST_DATA/feeds/expected-order.txt" \
    "$SOURCES"
assert_eq 1 "$(server_hits /files/feeds/noguid.xml)" \
    "the 302 was followed to its Location"
if log_for "$ETAG_URL" | grep -q 'If-None-Match'; then
	fail "the first request sent If-None-Match: $(log_for "$ETAG_URL")"
fi
ok "the first request is unconditional"
log_for "$ETAG_URL" | grep -q 'Accept-Encoding: .*gzip' ||
    fail "no Accept-Encoding with gzip: $(log_for "$ETAG_URL")"
ok "the request offers gzip"
log_for "$ETAG_URL" | grep -q 'User-Agent: feedd/' ||
    fail "no feedd User-Agent: $(log_for "$ETAG_URL")"
ok "the User-Agent names feedd"

curl -fsS "$SERVER_URL/_reset" >/dev/null
run_feedd once2 once -c "$T/feedd.conf"
assert_eq 0 "$RC" "feedd once (second) exits 0"
if log_for "$ETAG_URL" | grep -qF 'If-None-Match: "v1"'; then
	ok "the ETag is sent back as If-None-Match"
else
	not_ok "the second request did not send If-None-Match: \"v1\": $(log_for "$ETAG_URL")"
fi
if log_for "$LM_URL" | grep -qF "If-Modified-Since: $LM"; then
	ok "Last-Modified is sent back as If-Modified-Since"
else
	not_ok "the second request did not send If-Modified-Since: $LM: $(log_for "$LM_URL")"
fi
check_river "$T/out/feed.atom" "$FEEDD_TEST_DATA/feeds/expected-order.txt" \
    "$SOURCES"
finish
