# The index page in a real browser: headless Chromium (Debian's
# chromium) loads / from feedd at a phone's width, its DOM lists the
# newest entries' titles, newest first, whole (non-ASCII to the last
# character; a title holding "</h2><script>" stays text), the oldest
# entry beyond max_entries is not there, no script runs, and a
# screenshot is saved as a test artifact in $FEEDD_ARTIFACTS (default:
# artifacts/ beside the feedd binary, in the build directory).
# Chromium runs as root in CI, hence --no-sandbox; it gets a private
# profile, and a resolver that knows only 127.0.0.1, so it reaches
# nothing but feedd.
set -eu
. "$(dirname "$0")/lib.sh"

command -v chromium >/dev/null 2>&1 ||
    fail "chromium is not installed (scripts/deps.sh installs it)"
ARTIFACTS=${FEEDD_ARTIFACTS:-$(dirname "$FEEDD")/artifacts}
mkdir -p "$ARTIFACTS" || fail "cannot create $ARTIFACTS"
ARTIFACTS=$(cd "$ARTIFACTS" && pwd)
SHOT=$ARTIFACTS/index.png
rm -f "$SHOT"

mkdir -p "$T/docroot"
cat >"$T/docroot/river.xml" <<'EOF'
<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Phone river source</title>
  <id>tag:example.org,2024:phone</id>
  <updated>2024-03-06T10:00:00Z</updated>
  <link rel="alternate" href="http://example.org/phone/"/>
  <author><name>Ana</name></author>
  <entry><title>Newest: naïve café</title><id>tag:example.org,2024:p6</id>
    <link href="http://example.org/p/6"/><updated>2024-03-06T10:00:00Z</updated>
    <summary type="html">&lt;p&gt;An &lt;b&gt;excerpt&lt;/b&gt; here.&lt;/p&gt;</summary></entry>
  <entry><title>Épisode deux —</title><id>tag:example.org,2024:p5</id>
    <link href="http://example.org/p/5"/><updated>2024-03-05T10:00:00Z</updated>
    <summary>Five</summary></entry>
  <entry><title>A &lt;/h2&gt;&lt;script&gt;document.title='x'&lt;/script&gt; title</title>
    <id>tag:example.org,2024:p4</id>
    <link href="http://example.org/p/4"/><updated>2024-03-04T10:00:00Z</updated>
    <summary type="html">&lt;script&gt;document.title='y'&lt;/script&gt;Four</summary></entry>
  <entry><title>日本語のタイトル</title><id>tag:example.org,2024:p3</id>
    <link href="http://example.org/p/3"/><updated>2024-03-03T10:00:00Z</updated>
    <summary>Three</summary></entry>
  <entry><title>Plain two</title><id>tag:example.org,2024:p2</id>
    <link href="http://example.org/p/2"/><updated>2024-03-02T10:00:00Z</updated>
    <summary>Two</summary></entry>
  <entry><title>Oldest, not shown</title><id>tag:example.org,2024:p1</id>
    <link href="http://example.org/p/1"/><updated>2024-03-01T10:00:00Z</updated>
    <summary>One</summary></entry>
</feed>
EOF
cat >"$T/want.txt" <<'EOF'
Newest: naïve café
Épisode deux —
A </h2><script>document.title='x'</script> title
日本語のタイトル
Plain two
EOF

start_server "$T/docroot"
PORT=$(free_port)
URL=http://127.0.0.1:$PORT/
cat >"$T/feedd.conf" <<CONF
[feedd]
database = $T/feedd.db
block_private = no

[output]
directory = $T/out
title = Phone river
max_entries = 5

[http]
listen = 127.0.0.1:$PORT

[feed river]
url = $SERVER_URL/files/river.xml
CONF
start_bg feedd "$FEEDD" run -c "$T/feedd.conf"
FEEDD_PID=$BG_PID
served() {
	alive "$FEEDD_PID" || fail "feedd exited before serving"
	curl -fsS -m 5 "$URL" 2>/dev/null | grep -q 'Plain two'
}
wait_for 60 served || fail "feedd served no index page within 60 s"
ok "feedd serves the index page"

# chromium ARGS...: headless, private profile and home, bounded to 90 s.
chromium_run() {
	HOME=$T/home XDG_CONFIG_HOME=$T/home XDG_CACHE_HOME=$T/home \
	    timeout -k 5 90 chromium --headless=new --no-sandbox \
	    --disable-gpu --user-data-dir="$T/profile" --no-first-run \
	    --disable-background-networking --disable-component-update \
	    --disable-sync --disable-extensions --disable-default-apps \
	    --host-resolver-rules='MAP * ~NOTFOUND, EXCLUDE 127.0.0.1' \
	    --window-size=412,900 "$@" </dev/null
}
mkdir -p "$T/home"
chromium_run --screenshot="$SHOT" "$URL" >"$T/shot.out" 2>&1 ||
    fail "chromium --screenshot failed: $(tail -n 5 "$T/shot.out")"
chromium_run --dump-dom "$URL" >"$T/dom.html" 2>"$T/dom.err" ||
    fail "chromium --dump-dom failed: $(tail -n 5 "$T/dom.err")"

# The screenshot: a PNG of the phone-sized window.
"$PYTHON" - "$SHOT" >"$T/png.out" <<'EOF' ||
import struct, sys
with open(sys.argv[1], "rb") as f:
    head = f.read(24)
if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
    print("not a PNG")
    sys.exit(1)
print("%dx%d" % struct.unpack(">II", head[16:24]))
EOF
    fail "screenshot $SHOT: $(cat "$T/png.out")"
check_eq 412x900 "$(cat "$T/png.out")" "the screenshot is 412x900 (phone width)"
echo "screenshot artifact: $SHOT"

# The DOM after Chromium ran the page: the titles in article headings,
# the document title, and any script element.
"$PYTHON" - "$T/dom.html" >"$T/dom.txt" <<'EOF'
import sys
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.titles, self.scripts, self.doctitle = [], [], 0, ""
    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)
        if tag == "script":
            self.scripts += 1
        if tag == "h2" and "article" in self.stack:
            self.titles.append("")
    def handle_endtag(self, tag):
        while self.stack and self.stack.pop() != tag:
            pass
    def handle_data(self, data):
        if "h2" in self.stack and "article" in self.stack:
            self.titles[-1] += data
        elif self.stack and self.stack[-1] == "title":
            self.doctitle += data
p = P()
p.feed(open(sys.argv[1], encoding="utf-8").read())
print("scripts %d" % p.scripts)
print("doctitle %s" % p.doctitle)
for t in p.titles:
    print(" ".join(t.split()))
EOF
sed -n '3,$p' "$T/dom.txt" >"$T/got.txt"
if cmp -s "$T/want.txt" "$T/got.txt"; then
	ok "the DOM lists the 5 newest titles, newest first, whole"
else
	not_ok "titles in the DOM: $(diff "$T/want.txt" "$T/got.txt" || true)"
fi
check_eq "scripts 0" "$(sed -n 1p "$T/dom.txt")" "no script element in the DOM"
check_eq "doctitle Phone river" "$(sed -n 2p "$T/dom.txt")" \
    "no script ran (the document title is the river's)"
grep -q 'name="viewport"' "$T/dom.html" ||
    not_ok "no viewport meta element: the page would not fit a phone"

kill -TERM "$FEEDD_PID"
wait_pid 30 "$FEEDD_PID"
assert_eq 0 "$WAIT_RC" "feedd exits 0 on SIGTERM"
finish
