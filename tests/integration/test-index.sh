# The index page at /: the river of the newest entries (title linked to
# the entry, source, time, a plain-text excerpt) with autodiscovery links
# to the Atom, RSS and JSON outputs; whatever a source puts in a title
# stays text.
set -eu
. "$(dirname "$0")/lib.sh"

cp -R "$FEEDD_TEST_DATA" "$T/docroot"
cat >"$T/docroot/evil.atom" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Evil</title>
<id>urn:evil</id><updated>2030-01-01T00:00:00Z</updated>
<entry><id>urn:evil:1</id><updated>2030-01-01T00:00:00Z</updated>
<title>A &lt;/h2&gt;&lt;script&gt;alert(1)&lt;/script&gt; title</title>
<summary type="html">&lt;b&gt;Bold&lt;/b&gt; &amp;amp; plain</summary>
<link href="javascript:alert(2)"/></entry></feed>
XML
start_server "$T/docroot"
PORT=$(free_port)
cat >"$T/feedd.conf" <<CONF
[feedd]
database = feedd.db
block_private = no

[output]
directory = out
title = Test river

[http]
listen = 127.0.0.1:$PORT

[feed rss]
url = $SERVER_URL/files/feeds/rss2.xml

[feed evil]
url = $SERVER_URL/files/evil.atom
CONF
run_feedd once once -c "$T/feedd.conf"
assert_eq 0 "$RC" "feedd once exits 0"
[ -s "$T/out/index.html" ] || fail "no out/index.html"
"$PYTHON" - "$T/out/index.html" "$PORT" >"$T/index.txt" <<'PY' ||
import sys
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.h2, self.alts, self.scripts = [], [], [], 0
        self.hrefs, self.title = [], ""
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.stack.append(tag)
        if tag == "script":
            self.scripts += 1
        if tag == "link" and a.get("rel") == "alternate":
            self.alts.append((a.get("type"), a.get("href")))
        if tag == "h2":
            self.h2.append("")
        if tag == "a" and "h2" in self.stack:
            self.hrefs.append(a.get("href"))
    def handle_endtag(self, tag):
        while self.stack and self.stack.pop() != tag:
            pass
    def handle_data(self, d):
        if "h2" in self.stack:
            self.h2[-1] += d
        if self.stack and self.stack[-1] == "title":
            self.title += d
p = P()
p.feed(open(sys.argv[1], encoding="utf-8").read())
base = "http://127.0.0.1:%s/" % sys.argv[2]
print("title", p.title)
print("alts", sorted(p.alts) == sorted([
    ("application/atom+xml", base + "feed.atom"),
    ("application/rss+xml", base + "feed.rss"),
    ("application/feed+json", base + "feed.json")]))
print("scripts", p.scripts)
print("entries", len(p.h2))
print("first", p.h2[0])
print("javascript", any(h and h.startswith("javascript") for h in p.hrefs))
PY
    fail "index.html could not be read"
check_eq "title Test river" "$(sed -n 1p "$T/index.txt")" "the page title"
check_eq "alts True" "$(sed -n 2p "$T/index.txt")" \
    "autodiscovery links to the Atom, RSS and JSON outputs"
check_eq "scripts 0" "$(sed -n 3p "$T/index.txt")" \
    "a title holding </h2><script> stays text"
check_eq "entries 5" "$(sed -n 4p "$T/index.txt")" "one article per entry"
check_eq "first A </h2><script>alert(1)</script> title" \
    "$(sed -n 5p "$T/index.txt")" "the newest first, its title as text"
check_eq "javascript False" "$(sed -n 6p "$T/index.txt")" \
    "no javascript: link"
grep -q '<p>Bold &amp; plain</p>' "$T/out/index.html" ||
    fail "the excerpt is not plain text"
ok "the excerpt is plain text"

start_bg feedd "$FEEDD" run -c "$T/feedd.conf"
served() {
	curl -fsS -m 5 -D "$T/h" -o "$T/served.html" \
	    "http://127.0.0.1:$PORT/" 2>/dev/null
}
wait_for 30 served || fail "/ is not served"
check_eq "text/html; charset=utf-8" \
    "$(tr -d '\r' <"$T/h" | sed -n 's/^Content-Type: //Ip')" \
    "/ is text/html with its charset"
cmp -s "$T/served.html" "$T/out/index.html" ||
    fail "/ differs from out/index.html"
ok "/ serves the page"
finish
