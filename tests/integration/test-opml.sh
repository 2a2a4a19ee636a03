# The subscription list: `feedd opml export` prints OPML 2.0 with one
# outline per configured feed, the URL feedd really polls (after a
# confirmed permanent move) and the tags as categories; the daemon
# serves the same at /opml.
set -eu
. "$(dirname "$0")/lib.sh"

cp -R "$FEEDD_TEST_DATA" "$T/docroot"
start_server "$T/docroot"
PORT=$(free_port)
MOVED="/script?status=301&location=/files/feeds/atom.xml"
cat >"$T/feedd.conf" <<CONF
[feedd]
database = feedd.db
block_private = no

[output]
directory = out

[http]
listen = 127.0.0.1:$PORT

[feed news]
url = $SERVER_URL/files/feeds/rss2.xml
title = The news
tags = news, daily

[feed moved]
url = $SERVER_URL$MOVED
CONF
run_feedd once1 once -c "$T/feedd.conf"
run_feedd once2 once -c "$T/feedd.conf"
run_feedd opml opml export -c "$T/feedd.conf"
assert_eq 0 "$RC" "feedd opml export exits 0"
"$PYTHON" - "$T/opml.out" "$SERVER_URL" >"$T/opml.txt" <<'PY' ||
import sys
import xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "opml" and root.get("version") == "2.0"
for o in root.find("body").findall("outline"):
    print(o.get("type"), o.get("text"), o.get("xmlUrl"),
          o.get("category") or "-")
PY
    fail "the OPML is not well-formed: $(cat "$T/opml.out")"
check_eq "rss The news $SERVER_URL/files/feeds/rss2.xml /news,/daily" \
    "$(sed -n 1p "$T/opml.txt")" "a feed with its title, URL and tags"
check_eq "rss moved $SERVER_URL/files/feeds/atom.xml -" \
    "$(sed -n 2p "$T/opml.txt")" "a moved feed with the URL it moved to"

start_bg feedd "$FEEDD" run -c "$T/feedd.conf"
served() {
	curl -fsS -m 5 -D "$T/h" -o "$T/served.opml" \
	    "http://127.0.0.1:$PORT/opml" 2>/dev/null
}
wait_for 30 served || fail "/opml is not served"
cmp -s "$T/served.opml" "$T/opml.out" || fail "/opml differs from opml export"
ok "/opml serves the same list"
tr -d '\r' <"$T/h" | grep -qi '^Content-Type: text/x-opml' ||
    fail "/opml is not text/x-opml"
ok "/opml is text/x-opml"
finish
