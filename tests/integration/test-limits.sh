# What a server cannot make feedd do: more than per_host connections at
# once to one host (and connections are reused), more redirects than
# max_redirects, a compressed body that inflates past
# max_body (counted on decoded bytes; what came before is kept), a
# transfer that stalls (a byte every few seconds), and bodies that come
# faster than they are parsed (transfers pause, then resume: all kept).
set -eu
. "$(dirname "$0")/lib.sh"

cp -R "$FEEDD_TEST_DATA" "$T/docroot"
# A gzip bomb: a small feed, then 4 MB of white space, compressed.
"$PYTHON" - "$T/docroot/bomb.gz" <<'PY'
import gzip, sys
head = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>B</title>'
        b'<link>http://example.com/</link><description>d</description>'
        b'<item><title>Before</title><guid>urn:before</guid></item>')
with gzip.open(sys.argv[1], "wb") as f:
    f.write(head + b" " * (4 << 20) + b"</channel></rss>")
PY
start_server "$T/docroot"
stats() {
	curl -fsS "$SERVER_URL/_stats" | awk -v k="$1" '$1 == k { print $2 }'
}

# 1. At most per_host at once, on reused connections.
{
	printf '[feedd]\ndatabase = feedd.db\nblock_private = no\n'
	printf 'max_parallel = 32\nper_host = 2\n'
	printf '[output]\ndirectory = out\n[http]\nlisten =\n'
	for i in 1 2 3 4 5 6; do
		printf '[feed slow%s]\nurl = %s/script?body=feeds/rss2.xml&delay_ms=300&n=%s\n' \
		    "$i" "$SERVER_URL" "$i"
	done
} >"$T/host.conf"
run_feedd host once -c "$T/host.conf"
assert_eq 0 "$RC" "feedd once exits 0"
check_eq 2 "$(stats maxinflight)" "per_host = 2: never more than 2 at once"
conns=$(stats connections)
if [ "$conns" -le 2 ]; then
	ok "six polls of one host used $conns connections (kept alive)"
else
	not_ok "six polls of one host opened $conns connections"
fi

# 2. Redirects: a chain longer than max_redirects, max_redirects = 0, and
# a loop, stopped at the first redirect back to a URL already requested
# (here the same one).
CHAIN=$("$PYTHON" -c 'from urllib.parse import quote
u = "/files/feeds/atom.xml"
for i in range(5):
    u = "/script?status=301&location=" + quote(u, safe="")
print(u)')
cat >"$T/redir.conf" <<CONF
[feedd]
database = feedd.db
block_private = no
max_redirects = 3

[output]
directory = out

[http]
listen =

[feed chain]
url = $SERVER_URL$CHAIN

[feed short]
url = $SERVER_URL/script?status=302&location=/files/feeds/atom.xml
max_redirects = 0

[feed loop]
url = $SERVER_URL/script?status=301&location=self

[feed pingpong]
url = $SERVER_URL/script?status=302&location=toggle
CONF
run_feedd redir once -c "$T/redir.conf"
assert_eq 0 "$RC" "feedd once exits 0"
grep -q 'feed chain: transient error: Maximum (3) redirects followed' \
    "$T/redir.err" || fail "five redirects were followed with max_redirects = 3"
ok "a chain of redirects stops at max_redirects"
grep -q 'feed short: .*Maximum (0) redirects followed' "$T/redir.err" ||
    fail "max_redirects = 0 followed a redirect"
ok "max_redirects = 0 follows no redirect"
grep -q "feed loop: transient error: redirect loop: back to $SERVER_URL/script?status=301&location=self after 1 redirect (" \
    "$T/redir.err" || fail "a redirect back to the same URL was not called a loop"
assert_eq 1 "$(server_hits '/script?status=301&location=self')" \
    "a redirect loop is stopped before it is followed"
grep -q "feed pingpong: transient error: redirect loop: back to $SERVER_URL/script?status=302&location=toggle after 2 redirects (" \
    "$T/redir.err" || fail "a loop of two URLs was not called a loop"
assert_eq 1 "$(server_hits '/script?status=302&location=toggle')" \
    "the first URL of a loop of two is requested once"
ok "a redirect loop is named as one, at the first redirect back"

# 3. A gzip bomb and a stalled transfer.
cat >"$T/bomb.conf" <<CONF
[feedd]
database = bomb.db
block_private = no

[output]
directory = bomb-out

[http]
listen =

[feed bomb]
url = $SERVER_URL/script?body=bomb.gz&content_encoding=gzip&content_type=application/rss%2Bxml
max_body = 64K

[feed stall]
url = $SERVER_URL/script?body=feeds/rss2.xml&trickle=1&trickle_ms=3000
connect_timeout = 1s
timeout = 30s
CONF
run_feedd bomb once -c "$T/bomb.conf"
assert_eq 0 "$RC" "feedd once exits 0"
grep -q 'feed bomb: body larger than 65536 bytes, cut off; kept the 1 entries before it' \
    "$T/bomb.err" || fail "the decoded body was not capped"
ok "a gzip bomb is cut off at max_body of decoded bytes, keeping what came before"
assert_eq 1 "$(count_entries "$T/bomb-out/feed.atom")" \
    "the entry before the cut is stored"
grep -q 'feed stall: transient error: Operation too slow' "$T/bomb.err" ||
    fail "a stalled transfer was not abandoned"
ok "a transfer that stalls is abandoned"

# 4. Eight 3 MB feeds at once arrive faster than they are parsed: more
# than the parse threads may have waiting, so transfers pause until the
# threads catch up, and every entry of every feed is stored.
"$PYTHON" - "$T/docroot" <<'PY'
import sys
for f in range(8):
    with open("%s/big%d.xml" % (sys.argv[1], f), "w") as out:
        out.write('<?xml version="1.0"?><rss version="2.0"><channel>'
                  '<title>Big %d</title>' % f)
        for i in range(300):
            out.write('<item><guid>urn:big:%d:%d</guid><title>Item %d</title>'
                      '<description>%s</description></item>'
                      % (f, i, i, ("<p>text %d</p>" % i) * 700))
        out.write('</channel></rss>')
PY
{
	printf '[feedd]
database = big.db
block_private = no
max_parallel = 8
'
	printf 'per_host = 8
log_level = debug
retain_per_feed = 0
'
	printf '[output]
directory = big-out
[http]
listen =
'
	for f in 0 1 2 3 4 5 6 7; do
		printf '[feed big%s]
url = %s/files/big%s.xml
' "$f" \
		    "$SERVER_URL" "$f"
	done
} >"$T/big.conf"
run_feedd big once -c "$T/big.conf"
assert_eq 0 "$RC" "feedd once exits 0"
grep -q 'feed big[0-7]: parsing is behind; transfer paused' "$T/big.err" ||
    fail "no transfer paused with 24 MB arriving at once"
ok "transfers pause while the parse threads are behind"
grep -q 'feed big[0-7]: transfer resumed' "$T/big.err" ||
    fail "no paused transfer was resumed"
for f in 0 1 2 3 4 5 6 7; do
	n=$(stored "$T/big.conf" "big$f")
	[ "$n" = 300 ] || fail "feed big$f: $n of 300 entries stored"
done
ok "paused and resumed transfers stored all 2400 entries"
finish
