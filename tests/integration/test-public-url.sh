# [http] public_url: the base of self links and feed ids in every output
# (combined feed in all formats, tag feeds, named outputs, archive pages,
# status feed, index page); the listen address then appears in none.
# Without it the base is built from listen.  Two configs with the same
# public_url and different listen addresses give the same feed ids.  A
# public_url that is not an http(s) URL is a FILE:LINE error.
set -eu
. "$(dirname "$0")/lib.sh"

cp -R "$FEEDD_TEST_DATA" "$T/docroot"
start_server "$T/docroot"
PORT=$(free_port)
BASE=https://feeds.example.org/river/

# write_config FILE DIR LISTEN PUBLIC_URL_LINE
write_config() {
	mkdir -p "$2"
	cat >"$1" <<CONF
[feedd]
database = $2/feedd.db

[output]
directory = $2/out
title = Test river
archive_page = 3

[http]
listen = $3
$4

[output picked]
feeds = atom

[feed rss]
url = $SERVER_URL/files/feeds/rss2.xml
tags = news

[feed atom]
url = $SERVER_URL/files/feeds/atom.xml

[feed noguid]
url = $SERVER_URL/files/feeds/noguid.xml
CONF
}
# self FILE: the Atom feed's self link.
self() {
	xpath "$1" "string(/*[local-name()='feed']/*[local-name()='link'][@rel='self']/@href)"
}
# feed_id FILE: the Atom feed's id.
feed_id() {
	xpath "$1" "string(/*[local-name()='feed']/*[local-name()='id'])"
}

# The trailing slash is optional.
write_config "$T/a.conf" "$T/a" "127.0.0.1:$PORT" \
    "public_url = https://feeds.example.org/river"
run_feedd a once -c "$T/a.conf"
assert_eq 0 "$RC" "feedd once with public_url exits 0"
O=$T/a/out
[ -s "$O/archive/1.atom" ] || fail "no archive page was written"
check_eq "${BASE}feed.atom" "$(self "$O/feed.atom")" "feed.atom self link"
check_eq "${BASE}tag/news.atom" "$(self "$O/tag/news.atom")" \
    "a tag feed's self link"
check_eq "${BASE}out/picked.atom" "$(self "$O/out/picked.atom")" \
    "a named output's self link"
check_eq "${BASE}archive/1.atom" "$(self "$O/archive/1.atom")" \
    "an archive page's self link"
check_eq "${BASE}status.atom" "$(self "$O/status.atom")" \
    "the status feed's self link"
check_eq "${BASE}archive/3.atom" "$(xpath "$O/feed.atom" \
    "string(//*[local-name()='link'][@rel='prev-archive']/@href)")" \
    "feed.atom's prev-archive link"
check_eq "${BASE}feed.rss" "$(xpath "$O/feed.rss" \
    "string(/rss/channel/*[local-name()='link' and @rel='self']/@href)")" \
    "feed.rss self link"
check_eq "${BASE}feed.json $BASE" "$("$PYTHON" -c 'import json, sys
j = json.load(open(sys.argv[1]))
print(j["feed_url"], j["home_page_url"])' "$O/feed.json")" \
    "feed.json feed_url and home_page_url"
grep -q "href=\"${BASE}out/picked.atom\"" "$O/index.html" ||
    fail "index.html does not link ${BASE}out/picked.atom"
ok "the index page links the outputs under public_url"
LEAKS=$(grep -rl "127.0.0.1:$PORT" "$O" || true)
check_eq "" "$LEAKS" "the listen address is in no output"
ID_A=$(feed_id "$O/feed.atom")
check_eq "$ID_A" "$(feed_id "$O/archive/1.atom")" \
    "archive pages share the id of feed.atom"

# Another listen address, same public_url: the same ids.
PORT2=$(free_port)
write_config "$T/b.conf" "$T/b" "127.0.0.1:$PORT2" "public_url = $BASE"
run_feedd b once -c "$T/b.conf"
assert_eq 0 "$RC" "feedd once on another listen address exits 0"
check_eq "$ID_A" "$(feed_id "$T/b/out/feed.atom")" \
    "the feed id follows public_url, not listen"
check_eq "$(feed_id "$O/out/picked.atom")" \
    "$(feed_id "$T/b/out/out/picked.atom")" \
    "a named output's id follows public_url too"

# Without public_url: built from listen.
write_config "$T/c.conf" "$T/c" "127.0.0.1:$PORT" ""
run_feedd c once -c "$T/c.conf"
assert_eq 0 "$RC" "feedd once without public_url exits 0"
check_eq "http://127.0.0.1:$PORT/feed.atom" "$(self "$T/c/out/feed.atom")" \
    "without public_url the self link is built from listen"
[ "$(feed_id "$T/c/out/feed.atom")" != "$ID_A" ] ||
    fail "the feed id does not depend on the base URL"
ok "the feed id depends on the base URL"

# Bad values name FILE:LINE.
for bad in ftp://feeds.example.org/ feeds.example.org/ "https://" \
    "https://x.org/?a=b"; do
	printf '[http]\npublic_url = %s\n' "$bad" >"$T/bad.conf"
	run_feedd bad check -c "$T/bad.conf"
	case "$RC $(cat "$T/bad.err")" in
	"1 $T/bad.conf:2: bad public_url"*) ok "public_url = $bad: FILE:LINE error" ;;
	*) not_ok "public_url = $bad: got $RC '$(cat "$T/bad.err")'" ;;
	esac
done
finish
