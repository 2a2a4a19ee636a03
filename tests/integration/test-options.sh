# Per-feed request options and the private-address guard, against the
# test server: extra headers and HTTP basic auth (from the config or from
# a file) are sent; a proxy is used when set, or from the environment
# (http_proxy, no_proxy); no Cookie or Referer is ever
# sent; block_private refuses 127.0.0.1 with a clear error unless
# allow_networks lets it through; and one feed's options never reach the
# next feed polled on the same reused transfer handle.
set -eu
. "$(dirname "$0")/lib.sh"

cp -R "$FEEDD_TEST_DATA" "$T/docroot"
start_server "$T/docroot"
printf 's3cret\n' >"$T/password"
cat >"$T/feedd.conf" <<CONF
[feedd]
database = feedd.db
block_private = no

[output]
directory = out

[http]
listen =

[feed headers]
url = $SERVER_URL/files/feeds/rss2.xml
header = X-Test: hello there

[feed auth]
url = $SERVER_URL/files/feeds/atom.xml
username = reader
password = open sesame

[feed authfile]
url = $SERVER_URL/files/feeds/noguid.xml
username = reader
password_file = password

[feed proxied]
url = http://feeds.invalid/files/feeds/ttl.xml
proxy = $SERVER_URL
CONF

run_feedd once once -c "$T/feedd.conf"
assert_eq 0 "$RC" "feedd once exits 0"
server_log >"$T/log.txt"
# b64 TEXT: base64 of TEXT, as in a Basic Authorization header.
b64() {
	printf '%s' "$1" | base64
}
grep -q "/files/feeds/rss2.xml.*X-Test: hello there" "$T/log.txt" ||
    fail "the extra header was not sent"
ok "a feed's header lines are sent"
grep -q "/files/feeds/atom.xml.*Authorization: Basic $(b64 'reader:open sesame')" \
    "$T/log.txt" || fail "basic auth from the config was not sent"
ok "username and password are sent as basic auth"
grep -q "/files/feeds/noguid.xml.*Authorization: Basic $(b64 'reader:s3cret')" \
    "$T/log.txt" || fail "basic auth from password_file was not sent"
ok "password_file is read"
grep -q "^GET http://feeds.invalid/files/feeds/ttl.xml" "$T/log.txt" ||
    fail "the proxy was not used"
ok "a feed's proxy is used"
assert_eq 11 "$(count_entries "$T/out/feed.atom")" \
    "every feed, the proxied one too, was stored"
if grep -q -e 'Cookie:' -e 'Referer:' "$T/log.txt"; then
	fail "a Cookie or Referer was sent"
fi
ok "no Cookie and no Referer are sent"
if grep -q "Authorization" "$T/once.err"; then
	fail "a secret reached the log"
fi

# The guard: 127.0.0.1 is refused, naming the address and the option.
sed -i 's/^block_private = no/block_private = yes/' "$T/feedd.conf"
server_hits /files/feeds/rss2.xml >"$T/before"
run_feedd blocked once -c "$T/feedd.conf"
assert_eq 0 "$RC" "feedd once exits 0 when feeds are refused"
grep -q 'feed headers: permanent error: refused to connect to 127.0.0.1: .*block_private' \
    "$T/blocked.err" || fail "the refusal is not logged with the address"
ok "block_private refuses a loopback address, and says so"
assert_eq "$(cat "$T/before")" "$(server_hits /files/feeds/rss2.xml)" \
    "no request reached the server"
grep -q 'feed proxied: ok' "$T/blocked.err" ||
    fail "a configured proxy was refused"
ok "a configured proxy is trusted"

sed -i 's/^block_private = yes/block_private = yes\nallow_networks = 10.0.0.0\/8, 127.0.0.0\/8/' \
    "$T/feedd.conf"
run_feedd allowed once -c "$T/feedd.conf"
if grep -q 'refused' "$T/allowed.err"; then
	fail "allow_networks did not let 127.0.0.1 through"
fi
ok "allow_networks makes an exception"

# The usual proxy environment variables apply to feeds without a proxy of
# their own: http_proxy is used, and no_proxy is honoured.
cat >"$T/env.conf" <<CONF
[feedd]
database = env.db
block_private = no
[output]
directory = env
[http]
listen =
[feed viaenv]
url = http://feeds.invalid/files/feeds/rss2.xml?viaenv=1
[feed direct]
url = $SERVER_URL/files/feeds/atom.xml?direct=1
CONF
export http_proxy="$SERVER_URL" no_proxy=127.0.0.1
run_feedd env once -c "$T/env.conf"
unset http_proxy no_proxy
assert_eq 0 "$RC" "feedd once exits 0"
server_log >"$T/env-log.txt"
grep -q "^GET http://feeds.invalid/files/feeds/rss2.xml?viaenv=1" \
    "$T/env-log.txt" || fail "http_proxy from the environment was not used"
grep -q "^GET /files/feeds/atom.xml?direct=1" "$T/env-log.txt" ||
    fail "no_proxy from the environment was not honoured"
grep -q 'feed viaenv: ok' "$T/env.err" || fail "the proxied feed failed"
ok "the proxy environment variables apply"

# A host name in allow_networks lets that host through, whatever its
# address; the same server by address, or reached through a redirect from
# the named host, is still refused.
HOST_URL="http://localhost:$SERVER_PORT"
cat >"$T/hosts.conf" <<CONF
[feedd]
database = hosts.db
block_private = yes
allow_networks = 10.0.0.0/8, LocalHost
[output]
directory = hosts
[http]
listen =
[feed named]
url = $HOST_URL/files/feeds/rss2.xml?named=1
[feed numeric]
url = $SERVER_URL/files/feeds/atom.xml?numeric=1
[feed hop]
url = $HOST_URL/script?status=302&location=$SERVER_URL/files/feeds/rss2.xml%3Fhop%3D1
CONF
run_feedd hosts once -c "$T/hosts.conf"
assert_eq 0 "$RC" "feedd once exits 0"
grep -q 'feed named: ok' "$T/hosts.err" ||
    fail "a host allow_networks names was refused"
ok "allow_networks lets a named host through"
grep -q 'feed numeric: permanent error: refused to connect to 127.0.0.1' \
    "$T/hosts.err" || fail "the same server by address was let through"
grep -q 'feed hop: permanent error: refused to connect to 127.0.0.1' \
    "$T/hosts.err" || fail "a redirect from the named host got round the guard"
assert_eq 0 "$(server_hits '/files/feeds/rss2.xml?hop=1')" \
    "the redirect's target was never requested"
ok "a host name does not let its redirects or its address through"

# One transfer at a time, so each poll reuses the last one's handle: a
# plain feed after one with a header, auth and a proxy sends none of them.
{
	printf '[feedd]\ndatabase = serial.db\nblock_private = no\n'
	printf 'max_parallel = 1\n[output]\ndirectory = serial\n'
	printf '[http]\nlisten =\n'
	for i in 1 2 3; do
		printf '[feed dressed%s]\nurl = %s/files/feeds/rss2.xml?dressed=%s\n' \
		    "$i" "$SERVER_URL" "$i"
		printf 'header = X-Test: dressed\nusername = u\npassword = p\n'
		printf '[feed plain%s]\nurl = %s/files/feeds/rss2.xml?plain=%s\n' \
		    "$i" "$SERVER_URL" "$i"
	done
} >"$T/serial.conf"
run_feedd serial once -c "$T/serial.conf"
assert_eq 0 "$RC" "feedd once exits 0"
server_log >"$T/serial-log.txt"
assert_eq 3 "$(grep -c 'rss2.xml?dressed=.*Authorization.*X-Test: dressed' \
    "$T/serial-log.txt")" "each dressed feed sent its header and auth"
assert_eq 3 "$(grep -c 'rss2.xml?plain=' "$T/serial-log.txt")" \
    "each plain feed was polled"
if grep 'rss2.xml?plain=' "$T/serial-log.txt" |
    grep -q -e 'X-Test' -e 'Authorization'; then
	fail "a plain feed sent another feed's header or auth"
fi
ok "a reused transfer handle carries no option of the feed before"
finish
