# Per-tag feeds: every tag used in the config gets its own combined feed
# as tag/TAG.atom, .rss and .json in the output directory and at
# /tag/TAG.atom|.rss|.json, holding only the entries of the feeds with
# that tag; each is valid.
set -eu
. "$(dirname "$0")/lib.sh"

cp -R "$FEEDD_TEST_DATA" "$T/docroot"
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
tags = news

[feed atom]
url = $SERVER_URL/files/feeds/atom.xml
tags = tech, news

[feed noguid]
url = $SERVER_URL/files/feeds/noguid.xml
CONF
run_feedd once once -c "$T/feedd.conf"
assert_eq 0 "$RC" "feedd once exits 0"
check_eq 10 "$(count_entries "$T/out/feed.atom")" "the main feed has every entry"
check_eq 7 "$(count_entries "$T/out/tag/news.atom")" \
    "tag/news.atom has the entries of the two feeds tagged news"
check_eq 3 "$(count_entries "$T/out/tag/tech.atom")" \
    "tag/tech.atom has the entries of the feed tagged tech"
sh "$FEEDD_SHARED/schemas/validate-feeds.sh" "$T"/out/tag/*.atom \
    "$T"/out/tag/*.rss "$T"/out/tag/*.json >"$T/validate.out" 2>&1 ||
    fail "a tag feed is invalid: $(grep -v warning "$T/validate.out")"
ok "every tag feed is valid Atom, RSS 2.0 and JSON Feed"
check_eq "Test river: news" "$(xpath "$T/out/tag/news.atom" \
    "string(/*[local-name()='feed']/*[local-name()='title'])")" \
    "a tag feed is titled by its tag"
check_eq "http://127.0.0.1:$PORT/tag/news.atom" "$(xpath "$T/out/tag/news.atom" \
    "string(//*[local-name()='link'][@rel='self']/@href)")" \
    "its self link is where it is served"

check_eq "The newest entries of the feeds tagged news, combined by feedd" \
    "$(xpath "$T/out/tag/news.rss" 'string(/rss/channel/description)')" \
    "a tag's RSS description names the tag"
check_eq "The newest entries of the feeds tagged tech, combined by feedd" \
    "$("$PYTHON" -c 'import json, sys
print(json.load(open(sys.argv[1]))["description"])' "$T/out/tag/tech.json")" \
    "a tag's JSON Feed description names the tag"
# The index page offers every tag's feeds, for autodiscovery and to click.
for tag in news tech; do
	for ext in atom rss json; do
		n=$(grep -o "href=\"http://127.0.0.1:$PORT/tag/$tag.$ext\"" \
		    "$T/out/index.html" | wc -l | tr -d ' ')
		check_eq 2 "$n" "index.html links tag/$tag.$ext in its head and body"
	done
done

start_bg feedd "$FEEDD" run -c "$T/feedd.conf"
served() {
	curl -fsS -m 5 -D "$T/h" -o "$T/news.rss" \
	    "http://127.0.0.1:$PORT/tag/news.rss" 2>/dev/null
}
wait_for 30 served || fail "/tag/news.rss is not served"
cmp -s "$T/news.rss" "$T/out/tag/news.rss" ||
    fail "/tag/news.rss differs from out/tag/news.rss"
ok "/tag/news.rss serves the file"
check_eq "application/rss+xml; charset=utf-8" \
    "$(tr -d '\r' <"$T/h" | sed -n 's/^Content-Type: //Ip')" \
    "/tag/news.rss has the RSS media type"

# A reload that drops the tag tech: its feeds are no longer served.
# code PATH: the status of a GET of PATH.
code() {
	curl -sS -m 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/$1"
}
check_eq 200 "$(code tag/tech.atom)" "/tag/tech.atom is served"
sed -i 's/^tags = tech, news$/tags = news/' "$T/feedd.conf"
kill -HUP "$BG_PID"
gone() {
	[ "$(code tag/tech.atom)" = 404 ]
}
wait_for 30 gone || fail "/tag/tech.atom is still served after the reload"
ok "a tag no longer in the config is no longer served after a reload"
check_eq 200 "$(code tag/news.rss)" "/tag/news.rss is still served"
check_eq 200 "$(code feed.atom)" "/feed.atom is still served"
finish
