# RFC 5005 archives: with archive_page = 3, entries are cut into pages of
# three by the order first stored and each complete page is written as
# archive/N.atom (N = 1 the oldest), valid Atom with fh:archive, linked
# by prev-archive / next-archive / current; feed.atom links the newest
# page with prev-archive and holds every entry not yet archived.  Across
# several polls a complete page keeps its entries, a page nothing changed
# in is not rewritten, an entry edited upstream appears in its page with
# its new title under the same id, and a reader walking prev-archive from
# /feed.atom over HTTP collects every entry, each archived exactly once.
set -eu
. "$(dirname "$0")/lib.sh"

mkdir -p "$T/docroot/feeds"
# make_feed N [EDITED]: an RSS feed with items 1 to N, item i dated
# January i, 2024, except item 11, dated 2023 (stored late, sorted old);
# item EDITED, if given, has a new title.
make_feed() {
	"$PYTHON" - "$1" "${2:-}" >"$T/docroot/feeds/grow.xml" <<'EOF'
import sys
n, edited = int(sys.argv[1]), int(sys.argv[2] or 0)
print('<?xml version="1.0" encoding="utf-8"?>')
print('<rss version="2.0"><channel><title>Growing</title>')
print('<link>http://example.org/grow/</link><description>d</description>')
for i in range(n, 0, -1):
    title = "Item %d" % i
    if i == edited:
        title = "Item %d, edited" % i
    date = ("Sun, 31 Dec 2023 10:00:00 GMT" if i == 11 else
        "%02d Jan 2024 10:00:00 GMT" % i)
    print('<item><title>%s</title><guid>http://example.org/grow/%d</guid>'
        '<link>http://example.org/grow/%d.html</link>'
        '<description>Item %d.</description><pubDate>%s</pubDate></item>'
        % (title, i, i, i, date))
print('</channel></rss>')
EOF
}
start_server "$T/docroot"
PORT=$(free_port)
cat >"$T/feedd.conf" <<CONF
[feedd]
database = feedd.db

[output]
directory = out
title = Archived river
max_entries = 2
archive_page = 3

[http]
listen = 127.0.0.1:$PORT

[feed grow]
url = $SERVER_URL/files/feeds/grow.xml
CONF

# ids FILE: the entry ids of an Atom file, sorted.
ids() {
	atom_entries "$1" | cut -f1 | sort
}
# link FILE REL: the href of the feed-level link with rel REL.
link() {
	xpath "$1" "string(/*[local-name()='feed']/*[local-name()='link'][@rel='$2']/@href)"
}
# poll N [EDITED]: serve items 1 to N and run feedd once.
poll() {
	make_feed "$@"
	run_feedd "poll$1" once -c "$T/feedd.conf"
	assert_eq 0 "$RC" "feedd once with $1 items exits 0"
}

poll 4
[ -s "$T/out/archive/1.atom" ] || fail "no archive/1.atom after 4 entries"
[ ! -e "$T/out/archive/2.atom" ] || fail "archive/2.atom before it is complete"
ok "4 entries: one complete page, archive/1.atom"
ids "$T/out/archive/1.atom" >"$T/page1.ids"
check_eq 3 "$(wc -l <"$T/page1.ids" | tr -d ' ')" "a page holds archive_page entries"
check_eq "http://127.0.0.1:$PORT/archive/1.atom" \
    "$(link "$T/out/feed.atom" prev-archive)" \
    "feed.atom links the newest page with prev-archive"

poll 8
poll 11
for n in 1 2 3; do
	validate_atom "$T/out/archive/$n.atom"
	check_eq 1 "$(xpath "$T/out/archive/$n.atom" "count(/*[local-name()='feed']/*[local-name()='archive' and namespace-uri()='http://purl.org/syndication/history/1.0'])")" \
	    "archive/$n.atom has fh:archive"
	check_eq "http://127.0.0.1:$PORT/feed.atom" \
	    "$(link "$T/out/archive/$n.atom" current)" \
	    "archive/$n.atom links feed.atom as current"
done
[ ! -e "$T/out/archive/4.atom" ] || fail "archive/4.atom before it is complete"
validate_atom "$T/out/feed.atom"
check_eq 0 "$(xpath "$T/out/feed.atom" "count(//*[local-name()='archive'])")" \
    "feed.atom is no archive document"
check_eq "http://127.0.0.1:$PORT/archive/3.atom" \
    "$(link "$T/out/feed.atom" prev-archive)" \
    "feed.atom: prev-archive is the newest page"
check_eq "http://127.0.0.1:$PORT/archive/2.atom|" \
    "$(link "$T/out/archive/3.atom" prev-archive)|$(link "$T/out/archive/3.atom" next-archive)" \
    "archive/3.atom: prev-archive 2, no next-archive"
check_eq "http://127.0.0.1:$PORT/archive/1.atom|http://127.0.0.1:$PORT/archive/3.atom" \
    "$(link "$T/out/archive/2.atom" prev-archive)|$(link "$T/out/archive/2.atom" next-archive)" \
    "archive/2.atom: prev-archive 1, next-archive 3"
check_eq "|http://127.0.0.1:$PORT/archive/2.atom" \
    "$(link "$T/out/archive/1.atom" prev-archive)|$(link "$T/out/archive/1.atom" next-archive)" \
    "archive/1.atom: no prev-archive, next-archive 2"
ids "$T/out/archive/1.atom" >"$T/page1.after"
cmp -s "$T/page1.ids" "$T/page1.after" ||
    fail "archive/1.atom changed its entries: $(diff "$T/page1.ids" "$T/page1.after")"
ok "archive/1.atom keeps its entries as more are stored"
# Item 11 was stored last but sorts oldest: not archived yet, so
# feed.atom holds it beyond max_entries.
atom_entries "$T/out/feed.atom" | cut -f2 >"$T/feed.titles"
grep -qx "Item 11" "$T/feed.titles" ||
    fail "feed.atom lacks Item 11, which no page holds yet: $(cat "$T/feed.titles")"
ok "feed.atom holds the entries no complete page holds yet"
# An edit upstream of an entry of page 1: the same id with the new title
# in page 1, which alone is rewritten.
EDIT=$(sed -n '1s|.*/||p' "$T/page1.ids")
INODE1=$(stat -c %i "$T/out/archive/1.atom")
INODE2=$(stat -c %i "$T/out/archive/2.atom")
INODE3=$(stat -c %i "$T/out/archive/3.atom")
poll 11 "$EDIT"
check_eq "http://example.org/grow/$EDIT" "$(atom_entries \
    "$T/out/archive/1.atom" | awk -F'\t' -v t="Item $EDIT, edited" \
    '$2 == t { print $1 }')" \
    "the entry edited upstream is in page 1 with its new title, same id"
check_eq 0 "$(grep -c "<title[^>]*>Item $EDIT</title>" "$T"/out/archive/*.atom |
    awk -F: '{ s += $2 } END { print s }')" \
    "its old title is in no page"
ids "$T/out/archive/1.atom" >"$T/page1.after"
cmp -s "$T/page1.ids" "$T/page1.after" ||
    fail "the edit changed the entries of page 1"
ok "page 1 keeps its set of entries after the edit"
[ "$INODE1" != "$(stat -c %i "$T/out/archive/1.atom")" ] ||
    fail "archive/1.atom was not rewritten after its entry was edited"
ok "the page whose entry was edited is rewritten"
check_eq "$INODE2 $INODE3" "$(stat -c %i "$T/out/archive/2.atom") $(stat -c \
    %i "$T/out/archive/3.atom")" "pages nothing changed in are not rewritten"

# A reader walks prev-archive from /feed.atom over HTTP.
start_bg feedd "$FEEDD" run -c "$T/feedd.conf"
served() {
	curl -fsS -m 5 -o /dev/null "http://127.0.0.1:$PORT/archive/3.atom" \
	    2>/dev/null
}
wait_for 30 served || fail "/archive/3.atom is not served"
"$PYTHON" - "http://127.0.0.1:$PORT/feed.atom" >"$T/walk.out" <<'EOF' ||
import sys
import urllib.request
import xml.etree.ElementTree as ET
A = "{http://www.w3.org/2005/Atom}"
def get(url):
    with urllib.request.urlopen(url, timeout=10) as r:
        return ET.fromstring(r.read())
def prev(doc):
    for l in doc.findall(A + "link"):
        if l.get("rel") == "prev-archive":
            return l.get("href")
    return None
current = get(sys.argv[1])
seen = {e.findtext(A + "id") for e in current.findall(A + "entry")}
archived = []
url, pages = prev(current), 0
while url is not None and pages < 100:
    doc = get(url)
    archived += [e.findtext(A + "id") for e in doc.findall(A + "entry")]
    url, pages = prev(doc), pages + 1
want = {"http://example.org/grow/%d" % i for i in range(1, 12)}
dups = sorted({i for i in archived if archived.count(i) > 1})
print("pages", pages)
print("dups", dups)
print("missing", sorted(want - seen - set(archived)))
print("archived", len(archived))
EOF
    fail "the walk failed: $(cat "$T/walk.out")"
check_eq "pages 3" "$(sed -n 1p "$T/walk.out")" "the walk visits three pages"
check_eq "dups []" "$(sed -n 2p "$T/walk.out")" "no entry is in two pages"
check_eq "missing []" "$(sed -n 3p "$T/walk.out")" \
    "feed.atom and the pages together hold every entry"
check_eq "archived 9" "$(sed -n 4p "$T/walk.out")" "the pages hold 9 entries"

# Pages are served from the files, with validators of their own.
A=http://127.0.0.1:$PORT/archive
etag=$(curl -fsS -m 5 -D - -o "$T/page2.got" "$A/2.atom" |
    sed -n 's/^[Ee][Tt]ag: *\([^\r]*\).*/\1/p')
cmp -s "$T/page2.got" "$T/out/archive/2.atom" ||
    fail "/archive/2.atom is not the file's bytes"
[ -n "$etag" ] || fail "/archive/2.atom has no ETag"
ok "/archive/2.atom is served from the file, with an ETag"
check_eq 304 "$(curl -sS -m 5 -o /dev/null -w '%{http_code}' \
    -H "If-None-Match: $etag" "$A/2.atom")" "a known page's ETag gets a 304"
check_eq "$(wc -c <"$T/out/archive/2.atom" | tr -d ' ')" \
    "$(curl -fsS -m 5 -I "$A/2.atom" | tr -d '\r' |
    sed -n 's/^[Cc]ontent-[Ll]ength: *//p')" "HEAD gives the page's length"
for bad in 0.atom 9.atom 01.atom 2.atomx .pages ..%2Ffeedd.conf; do
	check_eq 404 "$(curl -sS -m 5 -o /dev/null -w '%{http_code}' \
	    "$A/$bad")" "/archive/$bad is not found"
done
kill -TERM "$BG_PID"
wait_pid 30 "$BG_PID"

# A new process finds the pages as it left them: none is built again
# (archive/.pages says what each was); one deleted is built again.
run_feedd again once -c "$T/feedd.conf"
if grep -q 'archive pages updated' "$T/again.err"; then
	not_ok "a second feedd once rebuilt archive pages: $(grep archive \
	    "$T/again.err")"
else
	ok "a new process rebuilds no unchanged archive page"
fi
rm "$T/out/archive/2.atom"
run_feedd again2 once -c "$T/feedd.conf"
grep -q 'emit: 1 archive pages updated' "$T/again2.err" ||
    not_ok "a deleted page was not the one rebuilt: $(cat "$T/again2.err")"
cmp -s "$T/page2.got" "$T/out/archive/2.atom" ||
    not_ok "the rebuilt page differs from the one served before"
ok "a deleted page is built again, as it was"

# archive = no: no pages, no link.
sed -e 's/^archive_page = 3$/archive = no/' \
    -e 's/^directory = out$/directory = out-no/' \
    "$T/feedd.conf" >"$T/no.conf"
run_feedd no once -c "$T/no.conf"
assert_eq 0 "$RC" "feedd once with archive = no exits 0"
[ ! -e "$T/out-no/archive" ] || fail "archive = no still wrote archive/"
check_eq "" "$(link "$T/out-no/feed.atom" prev-archive)" \
    "archive = no: feed.atom has no prev-archive"
check_eq 2 "$(count_entries "$T/out-no/feed.atom")" \
    "archive = no: feed.atom holds max_entries entries"
finish
