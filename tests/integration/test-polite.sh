# How often feedd comes back, and what it sends: the configured interval
# is a floor; Cache-Control max-age, Expires, Retry-After and RSS ttl can
# only lengthen it, up to max_interval; failures back off exponentially
# and success resets them; a permanent redirect is followed once seen on
# two consecutive polls; an unchanged body is not stored again; per-feed
# user_agent, max_body and timeout apply.  The delays are read back from
# the SQLite file (next_poll - last_attempt), never timed.
set -eu
. "$(dirname "$0")/lib.sh"

cp -R "$FEEDD_TEST_DATA" "$T/docroot"
start_server "$T/docroot"
MOVED='/script?status=301&location=/files/feeds/atom.xml'
SLOW='/script?body=feeds/atom.xml&delay_ms=5000'
cat >"$T/feedd.conf" <<CONF
[feedd]
database = feedd.db
default_interval = 1s
max_interval = 12h

[output]
directory = out

[http]
listen =

[feed maxage]
url = $SERVER_URL/script?body=feeds/rss2.xml&cache_control=public,%20max-age%3D7200

[feed capped]
url = $SERVER_URL/script?body=feeds/rss2.xml&cache_control=max-age%3D100000

[feed expires]
url = $SERVER_URL/script?body=feeds/atom.xml&expires_in=5000

[feed ttl]
url = $SERVER_URL/files/feeds/ttl.xml

[feed retry]
url = $SERVER_URL/script?status=429&retry_after=4000

[feed toomany]
url = $SERVER_URL/script?status=429
interval = 100s

[feed failing]
url = $SERVER_URL/script?status=503
interval = 100s

[feed moved]
url = $SERVER_URL$MOVED

[feed plain]
url = $SERVER_URL/files/feeds/noguid.xml
user_agent = test-agent/9

[feed small]
url = $SERVER_URL/script?body=feeds/rss2.xml&trickle=256&trickle_ms=1
max_body = 1K

[feed big]
url = $SERVER_URL/files/feeds/rss2.xml
max_body = 1K

[feed slow]
url = $SERVER_URL$SLOW
timeout = 1s
CONF

# state: one line per feed: name, delay, failures, fetch_url.
state() {
	"$PYTHON" - "$T/feedd.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for row in db.execute("SELECT name, next_poll - last_attempt, failures,"
                      " COALESCE(fetch_url, '-') FROM feeds ORDER BY name"):
    print(*row)
PY
}
# field FEED COLUMN: one value of the state table.
field() {
	awk -v n="$1" -v c="$2" '$1 == n { print $c }' "$T/state.txt"
}
# between LOW HIGH VALUE WHAT
between() {
	if [ "$3" -ge "$1" ] && [ "$3" -le "$2" ]; then
		ok "$4 ($3 s)"
	else
		not_ok "$4: $3 s is not within $1..$2"
	fi
}

for run in 1 2 3; do
	run_feedd "once$run" once -c "$T/feedd.conf"
	assert_eq 0 "$RC" "feedd once (run $run) exits 0"
	state >"$T/state.txt"
	cp "$T/state.txt" "$T/state$run.txt"
done
T1=$T/state1.txt

between 7200 7921 "$(awk '$1 == "maxage" { print $2 }' "$T1")" \
    "Cache-Control max-age raises the interval"
between 43200 47521 "$(awk '$1 == "capped" { print $2 }' "$T1")" \
    "max_interval caps what the server asks for"
between 4990 5501 "$(awk '$1 == "expires" { print $2 }' "$T1")" \
    "Expires (against the server's Date) raises the interval"
between 10800 11881 "$(awk '$1 == "ttl" { print $2 }' "$T1")" \
    "RSS ttl raises the interval"
between 4000 4401 "$(awk '$1 == "retry" { print $2 }' "$T1")" \
    "Retry-After on a 429 is waited for"
between 200 221 "$(awk '$1 == "toomany" { print $2 }' "$T1")" \
    "a 429 without Retry-After at least doubles the interval"
between 800 881 "$(field failing 2)" \
    "three 503s in a row back off to 8 times the interval"
check_eq 3 "$(field failing 3)" "consecutive failures are counted"

check_eq 2 "$(server_hits "$MOVED")" \
    "a 301 is followed from the old URL until seen twice"
check_eq "$SERVER_URL/files/feeds/atom.xml" "$(field moved 4)" \
    "after two polls the permanent redirect is the URL polled"

grep -q 'feed plain: ok, body unchanged' "$T/once2.err" ||
    not_ok "an identical body is not stored again"
grep -q 'feed plain: ok, body unchanged' "$T/once2.err" &&
    ok "an identical body is not stored again"
server_log | grep -q 'User-Agent: test-agent/9' ||
    fail "the per-feed user_agent was not sent"
ok "a feed's own user_agent is sent"
grep -q 'feed small: body larger than 1024 bytes, cut off; kept the' \
    "$T/once1.err" || fail "max_body did not stop the small feed"
ok "max_body cuts off a larger body"
check_eq 1 "$(awk '$1 == "small" { print $3 }' "$T1")" \
    "a body cut off counts as a failed poll"
grep -q 'feed big: permanent error: body larger than 1024 bytes' \
    "$T/once1.err" || fail "a Content-Length over max_body was read"
ok "a Content-Length over max_body is refused before the body"
grep -q 'feed slow: transient error: .*[Tt]ime' "$T/once1.err" ||
    fail "timeout did not stop the slow feed"
ok "timeout stops a slow server"

# Success resets the backoff: the failing feed recovers.
sed -i 's|/script?status=503|/files/feeds/rss2.xml|' "$T/feedd.conf"
run_feedd once4 once -c "$T/feedd.conf"
state >"$T/state.txt"
check_eq 0 "$(field failing 3)" "a success resets the failure count"
between 100 111 "$(field failing 2)" \
    "after a success the interval is the floor again"
finish
