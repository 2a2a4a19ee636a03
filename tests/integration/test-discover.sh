# Feed autodiscovery: a configured URL that answers with a web page is
# read for its <link rel="alternate"> to a feed; feedd logs it, polls that
# feed at once and from then on (the configured URL stays the feed's key),
# and `feedd check` says so.  A page that names no feed is an error.
set -eu
. "$(dirname "$0")/lib.sh"

cp -R "$FEEDD_TEST_DATA" "$T/docroot"
cat >"$T/docroot/blog.html" <<'HTML'
<!DOCTYPE html>
<html><head><title>A blog</title>
<link rel="stylesheet" href="/style.css">
<link rel="alternate" type="application/rss+xml" title="Posts"
      href="feeds/rss2.xml">
</head><body><p>Hello.</p></body></html>
HTML
cat >"$T/docroot/plain.html" <<'HTML'
<html><head><title>No feed here</title></head><body></body></html>
HTML
start_server "$T/docroot"
cat >"$T/feedd.conf" <<CONF
[feedd]
database = feedd.db
block_private = no

[output]
directory = out

[http]
listen =

[feed blog]
url = $SERVER_URL/files/blog.html

[feed plain]
url = $SERVER_URL/files/plain.html
CONF

run_feedd once1 once -c "$T/feedd.conf"
assert_eq 0 "$RC" "feedd once exits 0"
grep -q "feed blog: $SERVER_URL/files/blog.html is a web page; polling the feed it names, $SERVER_URL/files/feeds/rss2.xml" \
    "$T/once1.err" || fail "the discovery is not logged"
ok "the discovery is logged"
check_eq 4 "$(count_entries "$T/out/feed.atom")" \
    "the feed the page names is polled in the same run"
grep -q 'feed plain: permanent error: not a feed: document is a web page' \
    "$T/once1.err" || fail "a page without a feed is not reported"
ok "a page naming no feed is an error"

run_feedd once2 once -c "$T/feedd.conf"
check_eq 1 "$(server_hits /files/blog.html)" \
    "later polls go to the feed, not the page"
check_eq 2 "$(server_hits /files/feeds/rss2.xml)" "the feed is polled"
run_feedd check check -c "$T/feedd.conf"
assert_eq 0 "$RC" "feedd check exits 0"
grep -q "feed blog: $SERVER_URL/files/blog.html is a web page; feedd polls the feed it names" \
    "$T/check.out" || fail "feedd check does not report the discovery"
ok "feedd check reports the discovered feed"
finish
