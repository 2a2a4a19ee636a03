# The store seen from outside: `feedd entries` lists what is stored;
# per-feed dedup rules decide what is the same entry (a guid that changes
# on every fetch is no new entry under auto, but is under id); the same
# article through two feeds appears once in the combined feed unless
# collapse_duplicates = no; retain_per_feed prunes, and a pruned entry
# does not come back; prune --removed forgets a feed that left the config.
set -eu
. "$(dirname "$0")/lib.sh"

mkdir -p "$T/docroot/feeds"
D=$T/docroot/feeds
# rss FILE GUID-SUFFIX ITEMS...: an RSS feed; each item is "n|link".
rss() {
	_f=$1
	_sfx=$2
	shift 2
	{
		echo '<?xml version="1.0"?><rss version="2.0"><channel>'
		echo "<title>$_f</title><link>http://example.com/</link>"
		echo '<description>d</description>'
		for _it in "$@"; do
			_n=${_it%%|*}
			echo "<item><title>Post $_n</title><link>${_it#*|}</link>"
			echo "<guid isPermaLink=\"false\">$_f-$_n$_sfx</guid>"
			echo "<pubDate>Mon, 0$_n May 2024 10:00:00 GMT</pubDate></item>"
		done
		echo '</channel></rss>'
	} >"$D/$_f.xml"
}
rss one "" "1|http://example.com/1" "2|http://example.com/2" \
    "3|http://Example.com:80/shared/?utm_source=one"
rss two "" "4|https://example.com/shared" "5|http://example.com/5"
rss tokens "?s=1" "6|http://example.com/6" "7|http://example.com/7"
rss ids "?s=1" "8|http://example.com/8"
rss capped "" "1|http://example.com/c1" "2|http://example.com/c2" \
    "3|http://example.com/c3"
start_server "$T/docroot"

cat >"$T/feedd.conf" <<CONF
[feedd]
database = feedd.db
block_private = no

[output]
directory = out

[http]
listen =

[feed one]
url = $SERVER_URL/files/feeds/one.xml

[feed two]
url = $SERVER_URL/files/feeds/two.xml

[feed tokens]
url = $SERVER_URL/files/feeds/tokens.xml

[feed ids]
url = $SERVER_URL/files/feeds/ids.xml
dedup = id
CONF

run_feedd once1 once -c "$T/feedd.conf"
assert_eq 0 "$RC" "feedd once exits 0"
run_feedd entries entries -c "$T/feedd.conf" --json
assert_eq 0 "$RC" "feedd entries --json exits 0"
check_eq 8 "$(wc -l <"$T/entries.out" | tr -d ' ')" "every entry is listed"
"$PYTHON" - "$T/entries.out" <<'PY' || fail "entries --json lacks a field"
import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    for k in ("feed", "key", "id", "title", "link", "published", "updated",
              "first_seen"):
        assert k in e, k
    assert e["first_seen"].endswith("Z")
PY
ok "each line has feed, key, id, title, link, published, updated, first_seen"
run_feedd entries1 entries -c "$T/feedd.conf" --feed one --limit 2 --json
check_eq "Post 3
Post 2" "$("$PYTHON" -c 'import json,sys
for l in open(sys.argv[1]): print(json.loads(l)["title"])' "$T/entries1.out")" \
    "--feed and --limit select the newest of one feed"

check_eq 7 "$(count_entries "$T/out/feed.atom")" \
    "the article shared by two feeds appears once in the combined feed"

# New guids on the same posts: no new entry under auto, new ones under id.
rss tokens "?s=2" "6|http://example.com/6" "7|http://example.com/7"
rss ids "?s=2" "8|http://example.com/8"
run_feedd once2 once -c "$T/feedd.conf"
grep -q 'feed tokens: ok, 0 new' "$T/once2.err" ||
    not_ok "a guid that changes on every fetch made new entries"
grep -q 'feed tokens: ok, 0 new' "$T/once2.err" &&
    ok "auto: a new guid with the same link and title is the same entry"
grep -q 'feed ids: ok, 1 new' "$T/once2.err" ||
    not_ok "dedup = id did not take the new guid as new"
grep -q 'feed ids: ok, 1 new' "$T/once2.err" &&
    ok "dedup = id: a new guid is a new entry"

printf '\n[output]\ncollapse_duplicates = no\n' >>"$T/feedd.conf"
run_feedd once3 once -c "$T/feedd.conf"
check_eq 9 "$(count_entries "$T/out/feed.atom")" \
    "collapse_duplicates = no keeps both copies"

# Retention: keep 2 per feed; what is pruned stays pruned.
cat >>"$T/feedd.conf" <<CONF

[feed capped]
url = $SERVER_URL/files/feeds/capped.xml
CONF
sed -i 's/^block_private = no/block_private = no\nretain_per_feed = 2/' \
    "$T/feedd.conf"
run_feedd once4 once -c "$T/feedd.conf"
run_feedd capped4 entries -c "$T/feedd.conf" --feed capped
check_eq 2 "$(grep -c '^20' "$T/capped4.out")" "retain_per_feed keeps 2"
run_feedd once5 once -c "$T/feedd.conf"
run_feedd capped5 entries -c "$T/feedd.conf" --feed capped
check_eq 2 "$(grep -c '^20' "$T/capped5.out")" \
    "a pruned entry the source still lists does not come back"

# A feed removed from the config keeps its entries until prune --removed.
sed -i '/^\[feed one\]/,+1d' "$T/feedd.conf"
run_feedd left entries -c "$T/feedd.conf" --feed one
check_eq 3 "$(grep -c '^20' "$T/left.out")" \
    "a removed feed's entries stay stored"
run_feedd prune prune --removed -c "$T/feedd.conf"
assert_eq 0 "$RC" "feedd prune --removed exits 0"
grep -q 'removed feed one' "$T/prune.out" || not_ok "prune names the feed"
run_feedd gone entries -c "$T/feedd.conf" --feed one
check_eq 0 "$(grep -c '^20' "$T/gone.out" || true)" \
    "prune --removed deletes the removed feed's entries"

# Two processes opening a new database at once both switch it to WAL;
# neither may fail with "database is locked" (the daemon would exit).
mkdir "$T/race"
sed 's|^database = .*|database = race/feedd.db|' "$T/feedd.conf" \
    >"$T/race.conf"
locked=0
for i in $(seq 1 60); do
	rm -f "$T"/race/feedd.db*
	"$FEEDD" entries -c "$T/race.conf" >/dev/null 2>"$T/race1.err" &
	"$FEEDD" entries -c "$T/race.conf" >/dev/null 2>"$T/race2.err" || true
	wait $! || true
	if grep -q 'locked' "$T/race1.err" "$T/race2.err"; then
		locked=$((locked + 1))
	fi
done
check_eq 0 "$locked" "concurrent opens of a new database never fail"
finish
