# Real feed readers read what feedd serves, every entry intact: Python's
# feedparser (feed.atom, feed.rss and two tag feeds, fetched over HTTP),
# newsboat (`newsboat -x reload`, then its SQLite cache) and sfeed (its
# TSV) each find every entry, newest first, with the title a person would
# read and the entry's own link, even for titles holding "]]>",
# "</title>" or "</entry>", HTML and non-ASCII text; feedparser also
# finds the WebSub hub and every entry's http(s) enclosures, categories
# and authors (feed.json too), and newsboat's cache the enclosure URLs.
# Every document served passes the shared validators (RELAX NG,
# Schematron, RSS 2.0, JSON Feed).  No Debian reader takes JSON Feed (newsboat 2.21 answers
# "XML root node is NULL"), so feed.json is checked for the same titles
# by its schema and by JSON itself.
set -eu
. "$(dirname "$0")/lib.sh"

for tool in newsboat sfeed curl jing; do
	command -v "$tool" >/dev/null 2>&1 ||
	    fail "$tool is not installed (scripts/deps.sh installs it)"
done
"$PYTHON" -c 'import feedparser, sqlite3' 2>"$T/py.err" ||
    fail "python3-feedparser is missing: $(cat "$T/py.err")"

mkdir -p "$T/docroot"
# An Atom feed whose titles and contents try to break out of their
# elements (each as text, as HTML and as XHTML), in several scripts.
cat >"$T/docroot/tricky.xml" <<'EOF'
<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Tricky Atom</title>
  <id>tag:example.org,2024:tricky</id>
  <updated>2024-02-09T10:00:00Z</updated>
  <link rel="alternate" href="http://example.org/tricky/"/>
  <author><name>Zoë Ünicode</name></author>
  <entry>
    <title type="text">Ends a CDATA ]]&gt; here</title>
    <id>tag:example.org,2024:tricky/1</id>
    <link href="http://example.org/tricky/1.html"/>
    <updated>2024-02-09T10:00:00Z</updated>
    <content type="html">&lt;p&gt;Some &lt;b&gt;bold&lt;/b&gt; and ]]&gt; and &lt;script&gt;alert(1)&lt;/script&gt;&lt;/p&gt;</content>
  </entry>
  <entry>
    <title type="html">Closes &amp;lt;/title&amp;gt; &lt;i&gt;early&lt;/i&gt;</title>
    <id>tag:example.org,2024:tricky/2</id>
    <link href="http://example.org/tricky/2.html"/>
    <link rel="enclosure" type="audio/mpeg" length="12345" href="http://example.org/tricky/2.mp3"/>
    <link rel="enclosure" type="audio/mpeg" href="ftp://example.org/tricky/2.mp3"/>
    <author><name>Ann</name><email>ann@example.org</email></author>
    <author><name>Bob</name><uri>http://example.org/bob</uri></author>
    <category term="audio" scheme="http://example.org/cats" label="Audio"/>
    <category term="talk"/>
    <updated>2024-02-08T10:00:00Z</updated>
    <summary type="text">An episode with an enclosure.</summary>
  </entry>
  <entry>
    <title>Ünïcödé 日本語 ✓ 🎉 naïve café</title>
    <id>tag:example.org,2024:tricky/3</id>
    <link href="http://example.org/tricky/3.html"/>
    <updated>2024-02-07T10:00:00Z</updated>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>XHTML <em>content</em> &amp; more</p></div></content>
  </entry>
  <entry>
    <title type="text">Text &lt;/title&gt;&lt;/entry&gt;&lt;entry&gt; stays</title>
    <id>tag:example.org,2024:tricky/4</id>
    <link href="http://example.org/tricky/4.html"/>
    <updated>2024-02-06T10:00:00Z</updated>
    <content type="text">&lt;/content&gt;&lt;/entry&gt;&lt;entry&gt;&lt;title&gt;Injected&lt;/title&gt;</content>
  </entry>
</feed>
EOF
# An RSS podcast: entities and markup in a title, a CDATA description
# holding "]]>", two enclosures and a category, an item without a link.
cat >"$T/docroot/pod.xml" <<'EOF'
<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0">
  <channel>
    <title>Pod &amp; cast</title>
    <link>http://example.org/pod/</link>
    <description>A podcast</description>
    <item>
      <title>Episode &lt;1&gt; &amp; "quotes"</title>
      <link>http://example.org/pod/1.html</link>
      <guid isPermaLink="false">pod-1</guid>
      <description><![CDATA[<p>Show notes with <a href="http://example.org/x">a link</a> and ]]]]><![CDATA[> inside.</p>]]></description>
      <enclosure url="http://example.org/pod/1.mp3" length="999" type="audio/mpeg"/>
      <enclosure url="http://example.org/pod/1.ogg" length="1000" type="audio/ogg"/>
      <category domain="http://example.org/genres">Tech</category>
      <pubDate>Sat, 10 Feb 2024 09:00:00 GMT</pubDate>
    </item>
    <item>
      <title>Épisode deux — </title>
      <guid isPermaLink="false">pod-2</guid>
      <description>Only a description, no link</description>
      <pubDate>Fri, 09 Feb 2024 08:00:00 GMT</pubDate>
    </item>
  </channel>
</rss>
EOF
# What a person should read: title TAB link, newest first.
TAB=$(printf '\t')
cat >"$T/want-all.tsv" <<EOF
Episode <1> & "quotes"${TAB}http://example.org/pod/1.html
Ends a CDATA ]]> here${TAB}http://example.org/tricky/1.html
Épisode deux —${TAB}
Closes </title> early${TAB}http://example.org/tricky/2.html
Ünïcödé 日本語 ✓ 🎉 naïve café${TAB}http://example.org/tricky/3.html
Text </title></entry><entry> stays${TAB}http://example.org/tricky/4.html
EOF
grep -e '^Episode <1>' -e '^Épisode deux' "$T/want-all.tsv" >"$T/want-audio.tsv"

start_server "$T/docroot"
PORT=$(free_port)
BASE=http://127.0.0.1:$PORT
cat >"$T/feedd.conf" <<CONF
[feedd]
database = $T/feedd.db
block_private = no

[output]
directory = $T/out
title = Clients river
hub = http://hub.example.org/websub

[http]
listen = 127.0.0.1:$PORT

[feed tricky]
url = $SERVER_URL/files/tricky.xml
tags = mix

[feed pod]
url = $SERVER_URL/files/pod.xml
tags = mix, audio
CONF
start_bg feedd "$FEEDD" run -c "$T/feedd.conf"
FEEDD_PID=$BG_PID
served() {
	alive "$FEEDD_PID" || fail "feedd exited before serving"
	curl -fsS -m 5 -o "$T/probe.atom" "$BASE/tag/audio.atom" \
	    2>/dev/null &&
	    curl -fsS -m 5 -o "$T/probe2.atom" "$BASE/feed.atom" \
	    2>/dev/null &&
	    [ "$(count_entries "$T/probe2.atom")" = 6 ] &&
	    [ "$(count_entries "$T/probe.atom")" = 2 ]
}
wait_for 60 served || fail "feedd served no complete /feed.atom within 60 s"
ok "feedd serves the river and its tag feeds"

# The outputs under test, PATH:WANT-FILE.
OUTPUTS="feed.atom:want-all feed.rss:want-all tag/mix.atom:want-all
tag/audio.rss:want-audio"

# compare WANT GOT WHAT: GOT (title TAB link a line, from a reader) has
# WANT's titles in WANT's order, and each entry's own link where WANT
# has one.  An entry without a link may show its feed's home page: sfeed
# reads atom:source's alternate link as the entry's own.
compare() {
	"$PYTHON" - "$1" "$2" <<'EOF' >"$T/compare.out" ||
import sys
def rows(path):
    with open(path, encoding="utf-8") as f:
        return [(l.rstrip("\n").split("\t") + [""])[:2] for l in f]
want, got = rows(sys.argv[1]), rows(sys.argv[2])
bad = []
if [w[0] for w in want] != [g[0] for g in got]:
    bad.append("titles %r, want %r" % ([g[0] for g in got],
        [w[0] for w in want]))
else:
    for w, g in zip(want, got):
        if w[1] and w[1] != g[1]:
            bad.append("%r: link %r, want %r" % (w[0], g[1], w[1]))
if bad:
    print("\n".join(bad))
    sys.exit(1)
EOF
	    { not_ok "$3: $(cat "$T/compare.out")"; return 0; }
	ok "$3"
}

mkdir -p "$T/got"
for o in $OUTPUTS; do
	path=${o%%:*}
	want=${o#*:}
	f=$T/got/$(echo "$path" | tr / -)
	curl -fsS -m 10 -o "$f" "$BASE/$path" || fail "cannot GET /$path"
done
curl -fsS -m 10 -o "$T/got/feed.json" "$BASE/feed.json" ||
    fail "cannot GET /feed.json"
sh "$FEEDD_SHARED/schemas/validate-feeds.sh" "$T"/got/* \
    >"$T/validate.out" 2>&1 ||
    fail "validate-feeds.sh: $(grep -v '^\[warning\]' "$T/validate.out")"
ok "every output served passes validate-feeds.sh (RELAX NG, Schematron," \
    "RSS 2.0, JSON Feed)"

# feed.json: the same titles and links, read as JSON.
"$PYTHON" - "$T/got/feed.json" >"$T/json.tsv" <<'EOF'
import json, sys
for i in json.load(open(sys.argv[1], encoding="utf-8"))["items"]:
    print("%s\t%s" % (i.get("title", ""), i.get("url", "")))
EOF
compare "$T/want-all.tsv" "$T/json.tsv" "feed.json: every item intact"

# 1. feedparser, fetching each URL itself (it asks for gzip).
# feedparser URL: title TAB link a line; exits 1 on bozo documents.  An
# HTML title is read as a person would see it: tags dropped, entities
# decoded.
feedparser_read() {
	"$PYTHON" - "$1" <<'EOF'
import html, re, sys
import feedparser
d = feedparser.parse(sys.argv[1])
if d.bozo or d.get("status") != 200:
    sys.stderr.write("bozo %r, status %r\n"
        % (d.get("bozo_exception"), d.get("status")))
    sys.exit(1)
for e in d.entries:
    t = e.get("title", "")
    if e.get("title_detail", {}).get("type") == "text/html":
        t = html.unescape(re.sub(r"<[^>]*>", "", t))
    print("%s\t%s" % (t, e.get("link", "")))
    c = " ".join(x.value for x in e.get("content", [])) + e.get("summary", "")
    if "<script" in c:
        sys.stderr.write("%r: content %r\n" % (t, c))
        sys.exit(1)
EOF
}
for o in $OUTPUTS; do
	path=${o%%:*}
	want=${o#*:}
	feedparser_read "$BASE/$path" >"$T/fp.tsv" 2>"$T/fp.err" ||
	    { not_ok "feedparser reads /$path: $(cat "$T/fp.err")"; continue; }
	compare "$T/$want.tsv" "$T/fp.tsv" \
	    "feedparser: /$path, bozo false, every entry intact"
done

# feedparser URL: the hub link, then per entry with an enclosure or a tag,
# link TAB enclosures (href type length, comma-separated) TAB tag terms TAB
# author names.
feedparser_extras() {
	"$PYTHON" - "$1" <<'EOF'
import sys
import feedparser
d = feedparser.parse(sys.argv[1])
print("hub " + " ".join(l.href for l in d.feed.get("links", [])
    if l.get("rel") == "hub"))
for e in d.entries:
    encs = ",".join("%s %s %s" % (l.href, l.get("type"), l.get("length"))
        for l in e.get("links", []) if l.get("rel") == "enclosure")
    tags = ",".join(t.term for t in e.get("tags", []))
    if encs or tags:
        names = ",".join(a.get("name", "") for a in e.get("authors", []))
        print("%s\t%s\t%s\t%s" % (e.get("link", ""), encs, tags, names))
EOF
}
HUB=http://hub.example.org/websub
T2=http://example.org/tricky/2
P1=http://example.org/pod/1
# Atom keeps every enclosure; RSS has room for one (and names an author
# without an email in dc:creator).  The ftp: enclosure never goes out.
cat >"$T/want-extras-atom" <<EOF
hub $HUB
$P1.html${TAB}$P1.mp3 audio/mpeg 999,$P1.ogg audio/ogg 1000${TAB}Tech${TAB}
$T2.html${TAB}$T2.mp3 audio/mpeg 12345${TAB}audio,talk${TAB}Ann,Bob
EOF
cat >"$T/want-extras-rss" <<EOF
hub $HUB
$P1.html${TAB}$P1.mp3 audio/mpeg 999${TAB}Tech${TAB}
$T2.html${TAB}$T2.mp3 audio/mpeg 12345${TAB}audio,talk${TAB}Ann,Bob
EOF
head -2 "$T/want-extras-rss" >"$T/want-extras-audio"
for o in feed.atom:atom feed.rss:rss tag/mix.atom:atom tag/audio.rss:audio; do
	path=${o%%:*}
	feedparser_extras "$BASE/$path" >"$T/fpx.out" 2>&1
	if cmp -s "$T/want-extras-${o#*:}" "$T/fpx.out"; then
		ok "feedparser: /$path has the hub, enclosures, tags and authors"
	else
		not_ok "feedparser: /$path extras: $(diff "$T/want-extras-${o#*:}" \
		    "$T/fpx.out")"
	fi
done
"$PYTHON" - "$T/got/feed.json" >"$T/jsonx.out" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
print("hub " + " ".join("%s %s" % (h["type"], h["url"])
    for h in d.get("hubs", [])))
for i in d["items"]:
    encs = ",".join("%s %s %s" % (a["url"], a["mime_type"],
        a.get("size_in_bytes")) for a in i.get("attachments", []))
    tags = ",".join(i.get("tags", []))
    if encs or tags:
        names = ",".join(a.get("name", "") for a in i.get("authors", []))
        print("%s\t%s\t%s\t%s" % (i.get("url", ""), encs, tags, names))
EOF
sed "s|^hub |hub WebSub |" "$T/want-extras-atom" >"$T/want-extras-json"
if cmp -s "$T/want-extras-json" "$T/jsonx.out"; then
	ok "feed.json has the hub, attachments, tags and authors"
else
	not_ok "feed.json extras: $(diff "$T/want-extras-json" "$T/jsonx.out")"
fi

# 2. newsboat: one private home, config, URL list and cache per output
# (newsboat keys its items by guid across feeds).
newsboat_read() {
	_d=$T/nb/$(echo "$1" | tr / -)
	mkdir -p "$_d/home"
	echo "$BASE/$1" >"$_d/urls"
	: >"$_d/config"
	HOME=$_d/home XDG_CONFIG_HOME=$_d/home XDG_DATA_HOME=$_d/home \
	    timeout -k 5 60 newsboat -C "$_d/config" -u "$_d/urls" \
	    -c "$_d/cache.db" -x reload -l 4 -d "$_d/log" \
	    >"$_d/out" 2>&1 </dev/null ||
	    { cat "$_d/out"; return 1; }
	grep -E '(USERERROR|CRITICAL|ERROR):' "$_d/log" && return 1
	"$PYTHON" - "$_d/cache.db" "$BASE/$1" <<'EOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("SELECT title, url FROM rss_item WHERE feedurl = ? "
    "AND deleted = 0 ORDER BY pubDate DESC", (sys.argv[2],)).fetchall()
for title, url in rows:
    print("%s\t%s" % (title, url))
EOF
}
for o in $OUTPUTS; do
	path=${o%%:*}
	want=${o#*:}
	newsboat_read "$path" >"$T/nb.tsv" 2>&1 ||
	    { not_ok "newsboat reads /$path: $(cat "$T/nb.tsv")"; continue; }
	compare "$T/$want.tsv" "$T/nb.tsv" \
	    "newsboat: /$path, every entry in its cache"
done
if "$PYTHON" - "$T/nb/feed.atom/cache.db" <<'EOF' >"$T/nbc.out" 2>&1; then
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
c = db.execute("SELECT content FROM rss_item WHERE guid = ?",
    ("tag:example.org,2024:tricky/1",)).fetchone()
if c is None or "<b>bold</b>" not in c[0] or "<script" in c[0]:
    print("content %r" % (c,))
    sys.exit(1)
EOF
	ok "newsboat: HTML content stays HTML, sanitized"
else
	not_ok "newsboat: HTML content: $(cat "$T/nbc.out")"
fi

# newsboat keeps one enclosure per item: RSS's only one, Atom's last.
for o in feed.atom:$P1.ogg feed.rss:$P1.mp3 tag-audio.rss:$P1.mp3; do
	got=$("$PYTHON" - "$T/nb/${o%%:*}/cache.db" <<'EOF' 2>&1
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(" ".join(r[0] for r in db.execute("SELECT enclosure_url FROM "
    "rss_item WHERE enclosure_url != '' ORDER BY pubDate DESC")))
EOF
)
	want=${o#*:}
	[ "${o%%:*}" = tag-audio.rss ] || want="$want $T2.mp3"
	check_eq "$want" "$got" "newsboat: /${o%%:*} enclosures in its cache"
done

# 3. sfeed reads Atom and RSS from its standard input.
for o in $OUTPUTS; do
	path=${o%%:*}
	want=${o#*:}
	curl -fsS -m 10 "$BASE/$path" | sfeed >"$T/sfeed.out" 2>"$T/sfeed.err" ||
	    { not_ok "sfeed reads /$path: $(cat "$T/sfeed.err")"; continue; }
	cut -f2,3 "$T/sfeed.out" >"$T/sfeed.tsv"
	compare "$T/$want.tsv" "$T/sfeed.tsv" "sfeed: /$path, every entry intact"
done
curl -fsS -m 10 "$BASE/feed.atom" | sfeed |
    awk -F '\t' '$6 == "tag:example.org,2024:tricky/1" { print $5 "|" $4 }' \
    >"$T/sfeed-html.out"
case $(cat "$T/sfeed-html.out") in
html\|*'<b>bold</b>'*)
	if grep -q '<script' "$T/sfeed-html.out"; then
		not_ok "sfeed: a script came through: $(cat "$T/sfeed-html.out")"
	else
		ok "sfeed: HTML content stays HTML, sanitized"
	fi ;;
*)	not_ok "sfeed: HTML content: $(cat "$T/sfeed-html.out")" ;;
esac

kill -TERM "$FEEDD_PID"
wait_pid 30 "$FEEDD_PID"
assert_eq 0 "$WAIT_RC" "feedd exits 0 on SIGTERM"
finish
