# The combined feed in three formats: feedd once writes feed.atom,
# feed.rss (RSS 2.0) and feed.json (JSON Feed 1.1) that validate, hold the
# same entries in the same order under the same ids, and stay byte for
# byte the same on a second run; a title made to break out of its element
# stays text in all three; feedd run serves /feed.rss and /feed.json with
# their media types and self links naming where they are served.
set -eu
. "$(dirname "$0")/lib.sh"

SOURCES='RSS item=RSS fixture|rss;Atom entry=Atom fixture|atom;No-guid=No-guid fixture|noguid'
NWANT=$(expected_lines "$FEEDD_TEST_DATA/feeds/expected-order.txt" | wc -l |
    tr -d ' ')
WEIRD=']]></title><x>'
RSS_SELF="string(/rss/channel/*[local-name()='link' and @rel='self']/@href)"

command -v jing >/dev/null 2>&1 || fail "jing is not installed"
"$PYTHON" -c 'import feedparser, jsonschema' 2>"$T/py.err" ||
    fail "python3-feedparser or python3-jsonschema is missing: $(cat "$T/py.err")"

cp -R "$FEEDD_TEST_DATA" "$T/docroot"
# A feed whose titles try to end their element and open another one.
cat >"$T/docroot/feeds/weird.xml" <<'EOF'
<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="text">Feed ]]&gt;&lt;/title&gt;&lt;x&gt; title</title>
  <id>tag:example.org,2024:weird</id>
  <updated>2024-01-09T10:00:00Z</updated>
  <link rel="alternate" href="http://example.org/weird/"/>
  <author><name>Wendy</name></author>
  <entry>
    <title type="text">Item ]]&gt;&lt;/title&gt;&lt;x&gt; title</title>
    <id>tag:example.org,2024:weird/1</id>
    <link href="http://example.org/weird/1.html"/>
    <updated>2024-01-09T10:00:00Z</updated>
    <summary type="text">Plain text with a &lt; and an &amp; in it.</summary>
  </entry>
</feed>
EOF
start_server "$T/docroot"
ok "test server on port $SERVER_PORT"

# write_config FILE DIR LISTEN FEED...: a configuration with its database
# and output in DIR, serving on LISTEN (empty: no HTTP), polling the
# fixture feeds named.
write_config() {
	_conf=$1
	_dir=$2
	_listen=$3
	shift 3
	mkdir -p "$_dir"
	cat >"$_conf" <<CONF
[feedd]
database = $_dir/feedd.db
default_interval = 1h

[output]
directory = $_dir/out
title = Test river
max_entries = 200

[http]
listen = $_listen
CONF
	for _f in "$@"; do
		printf '\n[feed %s]\nurl = %s/files/feeds/%s.xml\n' \
		    "$_f" "$SERVER_URL" "$(echo "$_f" | sed 's/^rss$/rss2/')" \
		    >>"$_conf"
	done
}

# validate_all DIR: the three files in DIR pass the shared validators
# (jing on atom.rnc, atom-rules.sch and rss20.rnc; check_jsonfeed.py).
validate_all() {
	sh "$FEEDD_SHARED/schemas/validate-feeds.sh" "$1/feed.atom" \
	    "$1/feed.rss" "$1/feed.json" >"$T/validate.out" 2>&1 ||
	    fail "validate-feeds.sh: $(grep -v '^\[warning\]' "$T/validate.out")"
	ok "feed.atom, feed.rss and feed.json pass validate-feeds.sh"
}

# compare_formats DIR: what a reader gets from feed.rss and feed.json is
# what it gets from feed.atom.  Prints one problem a line; exits 1 if any.
compare_formats() {
	"$PYTHON" - "$1" <<'EOF'
import calendar
import json
import re
import sys

import feedparser

d = sys.argv[1]
bad = []
atom = feedparser.parse(d + "/feed.atom")
rss = feedparser.parse(d + "/feed.rss")
with open(d + "/feed.json", encoding="utf-8") as f:
    raw = f.read()
jf = json.loads(raw)
for name, doc in (("feed.atom", atom), ("feed.rss", rss)):
    if doc.bozo:
        bad.append("%s: feedparser bozo: %s" % (name, doc.bozo_exception))
if rss.version != "rss20":
    bad.append("feed.rss: feedparser reads it as %r" % rss.version)
titles = [e.get("title", "") for e in atom.entries]
ids = [e.id for e in atom.entries]
if [e.get("title", "") for e in rss.entries] != titles:
    bad.append("feed.rss titles %r, want %r"
        % ([e.get("title", "") for e in rss.entries], titles))
if [e.get("id", "") for e in rss.entries] != ids:
    bad.append("feed.rss guids %r, want the Atom ids %r"
        % ([e.get("id", "") for e in rss.entries], ids))
# The version comes first (JSON Feed 1.1); ids are strings, in order.
first = '"version": "https://jsonfeed.org/version/1.1"'
if not raw.lstrip("{ \n").startswith(first):
    bad.append("feed.json does not start with its version")
items = jf.get("items", [])
if [i.get("id") for i in items] != ids:
    bad.append("feed.json ids %r, want the Atom ids %r"
        % ([i.get("id") for i in items], ids))
if [i.get("title", "") for i in items] != titles:
    bad.append("feed.json titles %r, want %r"
        % ([i.get("title", "") for i in items], titles))
for e, r, i in zip(atom.entries, rss.entries, items):
    src = e.get("source", {}).get("title")
    if r.get("source", {}).get("title") != src:
        bad.append("%r: RSS source %r, want %r"
            % (e.title, r.get("source"), src))
    if i.get("_feedd", {}).get("source", {}).get("title") != src:
        bad.append("%r: JSON _feedd %r, want source title %r"
            % (e.title, i.get("_feedd"), src))
    if not (i.get("content_html") is not None or
            i.get("content_text") is not None):
        bad.append("%r: no content_html or content_text" % e.title)
    when = e.get("published_parsed") or e.get("updated_parsed")
    if calendar.timegm(r.published_parsed) != calendar.timegm(when):
        bad.append("%r: RSS pubDate %r, want the Atom %r"
            % (e.title, r.get("published"), e.get("published")))
    if i.get("date_modified") != e.get("updated"):
        bad.append("%r: JSON date_modified %r, want the Atom updated %r"
            % (e.title, i.get("date_modified"), e.get("updated")))
# RSS dates in RFC 822 with a four-digit year, in GMT; the channel's
# lastBuildDate is the newest entry change, the Atom feed's updated.
text = open(d + "/feed.rss", encoding="utf-8").read()
rfc822 = (r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d "
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"\d{4} \d\d:\d\d:\d\d GMT")
for m in re.finditer(r"<(pubDate|lastBuildDate)>([^<]*)<", text):
    if not re.fullmatch(rfc822, m.group(2)):
        bad.append("feed.rss: %s %r is not RFC 822 with a 4-digit year"
            % (m.group(1), m.group(2)))
if rss.feed.get("updated_parsed") is None or calendar.timegm(
        rss.feed.updated_parsed) != calendar.timegm(atom.feed.updated_parsed):
    bad.append("feed.rss lastBuildDate %r, want the Atom updated %r"
        % (rss.feed.get("updated"), atom.feed.get("updated")))
if bad:
    print("\n".join(bad))
    sys.exit(1)
EOF
}

# check_rss_items FILE: guids are permalinks only when they are the http(s)
# link itself; description comes before content:encoded.
check_rss_items() {
	"$PYTHON" - "$1" <<'EOF'
import sys
import xml.etree.ElementTree as ET

C = "{http://purl.org/rss/1.0/modules/content/}encoded"
bad = []
for item in ET.parse(sys.argv[1]).getroot().iter("item"):
    guid = item.find("guid")
    link = item.findtext("link")
    if guid is None or not guid.text:
        bad.append("an item without a guid")
        continue
    perma = guid.get("isPermaLink")
    want = "true" if (guid.text == link and
        guid.text.startswith(("http://", "https://"))) else "false"
    if perma != want:
        bad.append("guid %r (link %r): isPermaLink=%r, want %r"
            % (guid.text, link, perma, want))
    tags = [c.tag for c in item]
    if C in tags and ("description" not in tags or
            tags.index("description") > tags.index(C)):
        bad.append("guid %r: content:encoded without a description "
            "before it" % guid.text)
if bad:
    print("\n".join(bad))
    sys.exit(1)
EOF
}

# 1. feedd once against the three fixture feeds.
write_config "$T/once.conf" "$T/once" "" rss atom noguid
for run in 1 2; do
	run_feedd "once$run" once -c "$T/once.conf"
	assert_eq 0 "$RC" "feedd once (run $run) exits 0"
	for f in feed.atom feed.rss feed.json; do
		[ -s "$T/once/out/$f" ] || fail "feedd once wrote no out/$f"
	done
	if [ "$run" = 1 ]; then
		check_river "$T/once/out/feed.atom" \
		    "$FEEDD_TEST_DATA/feeds/expected-order.txt" "$SOURCES"
		validate_all "$T/once/out"
		compare_formats "$T/once/out" >"$T/compare.out" ||
		    fail "the formats disagree: $(cat "$T/compare.out")"
		ok "feed.rss and feed.json: the Atom entries (ids, titles," \
		    "order, sources, dates)"
		check_rss_items "$T/once/out/feed.rss" >"$T/rss.out" ||
		    fail "RSS items: $(cat "$T/rss.out")"
		ok "RSS guids are permalinks only when they are the link"
		check_eq "$NWANT" "$("$PYTHON" -c 'import json, sys
print(len(json.load(open(sys.argv[1]))["items"]))' "$T/once/out/feed.json")" \
		    "feed.json has all $NWANT items"
		check_eq "file://$T/once/out/feed.rss" \
		    "$(xpath "$T/once/out/feed.rss" "$RSS_SELF")" \
		    "feed.rss has its self link"
		cp "$T/once/out/feed.rss" "$T/first.rss"
		cp "$T/once/out/feed.json" "$T/first.json"
	fi
done
# Nothing changed, so no byte changed (no "now" in the documents).
cmp -s "$T/first.rss" "$T/once/out/feed.rss" ||
    fail "feed.rss changed between two runs over the same entries"
cmp -s "$T/first.json" "$T/once/out/feed.json" ||
    fail "feed.json changed between two runs over the same entries"
ok "feed.rss and feed.json are the same bytes on a second run"

# 2. Titles with "]]></title><x>" in them stay text in all three formats.
write_config "$T/weird.conf" "$T/weird" "" weird
run_feedd weird once -c "$T/weird.conf"
assert_eq 0 "$RC" "feedd once (weird titles) exits 0"
validate_all "$T/weird/out"
"$PYTHON" - "$T/weird/out" "$WEIRD" >"$T/weird.out" <<'EOF' ||
import json
import sys
import xml.etree.ElementTree as ET

import feedparser

d, weird = sys.argv[1], sys.argv[2]
want_item = "Item %s title" % weird
want_feed = "Feed %s title" % weird
A = "{http://www.w3.org/2005/Atom}"
bad = []
def check(what, got, want):
    if got != want:
        bad.append("%s: %r, want %r" % (what, got, want))
# The XML parsed as XML: one entry, its title an element's whole text.
atom = ET.parse(d + "/feed.atom").getroot()
entries = atom.findall(A + "entry")
if len(entries) != 1:
    bad.append("feed.atom has %d entries, want 1" % len(entries))
else:
    check("atom title", entries[0].findtext(A + "title"), want_item)
    check("atom:source title",
        entries[0].find(A + "source").findtext(A + "title"), want_feed)
rss = ET.parse(d + "/feed.rss").getroot()
items = rss.findall("channel/item")
if len(items) != 1:
    bad.append("feed.rss has %d items, want 1" % len(items))
else:
    check("rss title", items[0].findtext("title"), want_item)
    check("rss source", items[0].findtext("source"), want_feed)
    check("rss description", items[0].findtext("description"),
        "Plain text with a &lt; and an &amp; in it.")
if rss.find(".//x") is not None or atom.find(".//x") is not None:
    bad.append("an <x> element came out of a title")
# And as a feed reader reads them.
for name in ("feed.atom", "feed.rss"):
    doc = feedparser.parse(d + "/" + name)
    check(name + " bozo", bool(doc.bozo), False)
    check(name + " feedparser title",
        doc.entries[0].get("title") if doc.entries else None, want_item)
    check(name + " feedparser source title",
        doc.entries[0].get("source", {}).get("title") if doc.entries
        else None, want_feed)
jf = json.load(open(d + "/feed.json", encoding="utf-8"))
check("json title", jf["items"][0].get("title"), want_item)
check("json _feedd source title",
    jf["items"][0].get("_feedd", {}).get("source", {}).get("title"),
    want_feed)
check("json content_text", jf["items"][0].get("content_text"),
    "Plain text with a < and an & in it.")
if bad:
    print("\n".join(bad))
    sys.exit(1)
EOF
    fail "weird titles: $(cat "$T/weird.out")"
ok "titles with $WEIRD stay text in Atom, RSS and JSON Feed"

# 3. feedd run serves both with their media types and self links.
PORT=$(free_port)
write_config "$T/run.conf" "$T/run" "127.0.0.1:$PORT" rss atom noguid

# served_complete: /feed.rss and /feed.json are served with every entry;
# fail at once if feedd has exited.
served_complete() {
	alive "$FEEDD_PID" || fail "feedd exited before serving the feeds"
	curl -fsS -m 5 -o "$T/got.rss" "http://127.0.0.1:$PORT/feed.rss" \
	    2>/dev/null || return 1
	curl -fsS -m 5 -o "$T/got.json" "http://127.0.0.1:$PORT/feed.json" \
	    2>/dev/null || return 1
	[ "$(xpath "$T/got.rss" "count(/rss/channel/item)")" = "$NWANT" ] &&
	    [ "$("$PYTHON" -c 'import json, sys
print(len(json.load(open(sys.argv[1]))["items"]))' "$T/got.json" \
	    2>/dev/null)" = "$NWANT" ]
}

start_bg feedd "$FEEDD" -c "$T/run.conf"
FEEDD_PID=$BG_PID
wait_for 60 served_complete ||
    fail "no complete /feed.rss and /feed.json on port $PORT within 60 s"
ok "feedd serves /feed.rss and /feed.json with all $NWANT entries"

for pair in 'feed.rss application/rss+xml; charset=utf-8' \
    'feed.json application/feed+json; charset=utf-8'; do
	f=${pair%% *}
	want=${pair#* }
	check_eq "$want" "$(curl -fsS -m 5 -o /dev/null \
	    -w '%{content_type}' "http://127.0.0.1:$PORT/$f")" \
	    "Content-Type of /$f"
done
check_eq "http://127.0.0.1:$PORT/feed.rss" \
    "$(xpath "$T/got.rss" "$RSS_SELF")" \
    "the RSS self link is the URL it is served at"
check_eq "http://127.0.0.1:$PORT/feed.json" \
    "$("$PYTHON" -c 'import json, sys
print(json.load(open(sys.argv[1]))["feed_url"])' "$T/got.json")" \
    "the JSON Feed feed_url is the URL it is served at"
check_eq "http://127.0.0.1:$PORT/" "$(xpath "$T/run/out/feed.atom" \
    "string(/*[local-name()='feed']/*[local-name()='link'][@rel='alternate' and @type='text/html']/@href)")" \
    "feed.atom links the index page as its alternate (the feed's web site)"
# What is served is what was written.
if cmp -s "$T/got.rss" "$T/run/out/feed.rss" &&
    cmp -s "$T/got.json" "$T/run/out/feed.json"; then
	ok "what is served is what is in the output directory"
else
	not_ok "served /feed.rss or /feed.json differs from the file in out/"
fi

kill -TERM "$FEEDD_PID"
wait_pid 30 "$FEEDD_PID"
assert_eq 0 "$WAIT_RC" "feedd exits 0 on SIGTERM"
finish
