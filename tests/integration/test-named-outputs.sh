# Named outputs: each [output NAME] is written as out/NAME.atom, .rss and
# .json under the output directory and served at /out/NAME.*, holding the
# entries of its feeds and tags (the union; neither means every feed)
# that pass its include and exclude expressions (title, content or
# author; ignore_case), at most max_entries of them counted after the
# filter, none older than max_age; the index page links to each.  A bad
# expression, an unknown feed or tag is a FILE:LINE error.  An entry
# edited upstream stays one entry, same id, new updated, in a named
# output too.  [output] max_age leaves old entries out of feed.atom but
# keeps them stored.
set -eu
. "$(dirname "$0")/lib.sh"

cp -R "$FEEDD_TEST_DATA" "$T/docroot"
NOW=$(date -u +%s)
HOUR_AGO=$(date -u -d "@$((NOW - 3600))" +%Y-%m-%dT%H:%M:%SZ)
OLD=$(date -u -d "@$((NOW - 60 * 86400))" +%Y-%m-%dT%H:%M:%SZ)
# Two entries with dates relative to now: one an hour old, one 60 days.
cat >"$T/docroot/feeds/fresh.xml" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Fresh</title>
  <id>tag:example.org,2024:fresh</id>
  <updated>$HOUR_AGO</updated>
  <author><name>Erin</name></author>
  <entry>
    <title>Fresh news</title>
    <id>tag:example.org,2024:fresh/1</id>
    <link href="http://example.org/fresh/1.html"/>
    <updated>$HOUR_AGO</updated>
  </entry>
  <entry>
    <title>Stale news</title>
    <id>tag:example.org,2024:fresh/2</id>
    <link href="http://example.org/fresh/2.html"/>
    <updated>$OLD</updated>
  </entry>
</feed>
EOF
start_server "$T/docroot"
PORT=$(free_port)

# write_config FILE EXTRA_OUTPUT_KEYS: the feeds, the named outputs.
write_config() {
	cat >"$1" <<CONF
[feedd]
database = feedd.db

[output]
directory = out
title = Test river
$2

[http]
listen = 127.0.0.1:$PORT

[output atomonly]
title = Only Atom
feeds = atom

[output mixed]
feeds = noguid
tags = tech

[output notfour]
feeds = rss
exclude = four
max_entries = 2

[output icase]
include = ATOM ENTRY (ONE|TWO)
ignore_case = yes

[output cased]
include = ATOM ENTRY

[output byauthor]
include = Dave

[output bycontent]
include = in full

[output recent]
feeds = fresh
max_age = 30d

[output everything]

[feed rss]
url = $SERVER_URL/files/feeds/rss2.xml
tags = news

[feed atom]
url = $SERVER_URL/files/feeds/atom.xml
tags = tech, news

[feed noguid]
url = $SERVER_URL/files/feeds/noguid.xml

[feed fresh]
url = $SERVER_URL/files/feeds/fresh.xml
CONF
}

write_config "$T/feedd.conf" ""
run_feedd once once -c "$T/feedd.conf"
assert_eq 0 "$RC" "feedd once exits 0"

# titles NAME: the entry titles of out/out/NAME.atom, one a line.
titles() {
	atom_entries "$T/out/out/$1.atom" | cut -f2
}
for f in atomonly mixed notfour icase cased byauthor bycontent recent \
    everything; do
	for ext in atom rss json; do
		[ -s "$T/out/out/$f.$ext" ] || fail "no out/out/$f.$ext"
	done
done
ok "every named output is written as out/NAME.atom, .rss and .json"
sh "$FEEDD_SHARED/schemas/validate-feeds.sh" "$T"/out/out/*.atom \
    "$T"/out/out/*.rss "$T"/out/out/*.json >"$T/validate.out" 2>&1 ||
    fail "a named output is invalid: $(grep -v warning "$T/validate.out")"
ok "every named output is valid Atom, RSS 2.0 and JSON Feed"

check_eq "Atom entry three
Atom entry two
Atom entry one" "$(titles atomonly)" "feeds = atom: the entries of that feed"
check_eq "Only Atom" "$(xpath "$T/out/out/atomonly.atom" \
    "string(/*[local-name()='feed']/*[local-name()='title'])")" \
    "a named output has its title"
check_eq "Test river: mixed" "$(xpath "$T/out/out/mixed.atom" \
    "string(/*[local-name()='feed']/*[local-name()='title'])")" \
    "without a title, it is named after the main title and its name"
check_eq 6 "$(count_entries "$T/out/out/mixed.atom")" \
    "feeds and tags together select the union (3 + 3)"
check_eq "RSS item three
RSS item two" "$(titles notfour)" \
    "max_entries counts entries after the filter (exclude = four)"
check_eq "Atom entry two
Atom entry one" "$(titles icase)" "ignore_case = yes matches across case"
check_eq 0 "$(count_entries "$T/out/out/cased.atom")" \
    "without ignore_case the same expression matches case exactly"
check_eq "Atom entry two" "$(titles byauthor)" "include matches the author"
check_eq "RSS item three" "$(titles bycontent)" "include matches the content"
check_eq "Fresh news" "$(titles recent)" \
    "max_age leaves out the entry 60 days old"
check_eq 12 "$(count_entries "$T/out/out/everything.atom")" \
    "neither feeds nor tags: every feed"
check_eq "http://127.0.0.1:$PORT/out/atomonly.atom" \
    "$(xpath "$T/out/out/atomonly.atom" \
    "string(//*[local-name()='link'][@rel='self']/@href)")" \
    "its self link is /out/NAME.atom"
grep -q "href=\"http://127.0.0.1:$PORT/out/atomonly.atom\"" \
    "$T/out/index.html" || fail "index.html does not link out/atomonly.atom"
check_eq 1 "$("$PYTHON" - "$T/out/index.html" "$PORT" <<'EOF'
import sys
from html.parser import HTMLParser
alts = []
class P(HTMLParser):
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and a.get("rel") == "alternate":
            alts.append((a.get("type"), a.get("title"), a.get("href")))
P().feed(open(sys.argv[1], encoding="utf-8").read())
want = ("application/atom+xml", "Only Atom",
    "http://127.0.0.1:%s/out/atomonly.atom" % sys.argv[2])
print(alts.count(want))
EOF
)" "the index page has an autodiscovery link to each named output"

# An edit upstream: the same entry, its id kept, a new updated.
ID_BEFORE=$(atom_entries "$T/out/out/everything.atom" |
    awk -F'\t' '$2 == "RSS item two" { print $1 }')
[ -n "$ID_BEFORE" ] || fail "RSS item two is not in the everything output"
UPD_BEFORE=$(xpath "$T/out/out/everything.atom" "string(//*[local-name()='entry'][*[local-name()='title']='RSS item two']/*[local-name()='updated'])")
sleep 1
cp "$T/docroot/feeds/rss2-v2.xml" "$T/docroot/feeds/rss2.xml"
run_feedd once2 once -c "$T/feedd.conf"
assert_eq 0 "$RC" "feedd once (after an edit upstream) exits 0"
check_eq "$ID_BEFORE" "$(atom_entries "$T/out/out/everything.atom" |
    awk -F'\t' '$2 == "RSS item two, edited" { print $1 }')" \
    "the edited entry keeps its id in a named output"
check_eq 0 "$(titles everything | grep -cx 'RSS item two' || true)" \
    "the old version is gone from the named output"
UPD_AFTER=$(xpath "$T/out/out/everything.atom" "string(//*[local-name()='entry'][*[local-name()='title']='RSS item two, edited']/*[local-name()='updated'])")
[ -n "$UPD_AFTER" ] && [ "$UPD_AFTER" != "$UPD_BEFORE" ] ||
    fail "updated did not change with the edit: '$UPD_BEFORE' then '$UPD_AFTER'"
ok "the edited entry has a new updated ($UPD_BEFORE, then $UPD_AFTER)"

# Served at /out/NAME.* with the bytes of the files.
start_bg feedd "$FEEDD" run -c "$T/feedd.conf"
served() {
	curl -fsS -m 5 -D "$T/h" -o "$T/got.rss" \
	    "http://127.0.0.1:$PORT/out/notfour.rss" 2>/dev/null
}
wait_for 30 served || fail "/out/notfour.rss is not served"
cmp -s "$T/got.rss" "$T/out/out/notfour.rss" ||
    fail "/out/notfour.rss differs from out/out/notfour.rss"
ok "/out/notfour.rss serves the file"
check_eq "application/rss+xml; charset=utf-8" \
    "$(tr -d '\r' <"$T/h" | sed -n 's/^Content-Type: //Ip')" \
    "/out/notfour.rss has the RSS media type"
kill -TERM "$BG_PID"
wait_pid 30 "$BG_PID"

# [output] max_age: old entries leave feed.atom but stay stored.
write_config "$T/age.conf" "max_age = 30d"
sed -i 's/^directory = out$/directory = out-age/' "$T/age.conf"
run_feedd age once -c "$T/age.conf"
assert_eq 0 "$RC" "feedd once with [output] max_age exits 0"
check_eq "Fresh news" "$(atom_entries "$T/out-age/feed.atom" | cut -f2)" \
    "[output] max_age = 30d: feed.atom holds only the fresh entry"
run_feedd entries entries -c "$T/age.conf"
check_eq 13 "$(grep -c '^[0-9]' "$T/entries.out")" \
    "every entry is still stored"

# Errors name FILE:LINE.
# bad_config WHAT KEY_LINE EXPECTED: check fails naming the line.
bad_config() {
	printf '[feed a]\nurl = http://example.org/\ntags = t\n\n[output x]\n%s\n' \
	    "$2" >"$T/bad.conf"
	run_feedd bad check -c "$T/bad.conf"
	check_eq 1 "$RC" "$1: check exits 1"
	case $(cat "$T/bad.err") in
	"$T/bad.conf:6: "*"$3"*) ok "$1: reported at $T/bad.conf:6" ;;
	*) not_ok "$1: got '$(cat "$T/bad.err")'" ;;
	esac
}
bad_config "a bad regular expression" "include = (unclosed" \
    "bad regular expression"
bad_config "an unknown feed" "feeds = a nosuch" "unknown feed \"nosuch\""
bad_config "an unknown tag" "tags = nosuch" "tag \"nosuch\""
finish
