# TLS and HTTP/2 against a real server: nginx on 127.0.0.1 with a
# certificate from a CA made for this test.  With the CA as the feed's
# ca_file, the feed is fetched over HTTP/2 and stored; without it,
# certificate verification (on by default) refuses the server, the log
# names the feed and why, and nothing is stored for it.
set -eu
. "$(dirname "$0")/lib.sh"

command -v nginx >/dev/null || fail "nginx is not installed (scripts/deps.sh)"
command -v openssl >/dev/null || fail "openssl is not installed"

# A CA, and a server certificate it signs for IP 127.0.0.1.
mkdir -p "$T/pki" "$T/docroot" "$T/nginx"
(
	cd "$T/pki"
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=feedd test CA" \
	    -keyout ca.key -out ca.pem 2>/dev/null
	openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
	    -keyout server.key -out server.csr 2>/dev/null
	printf 'subjectAltName=IP:127.0.0.1\n' >ext.cnf
	openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key \
	    -CAcreateserial -days 2 -extfile ext.cnf -out server.pem 2>/dev/null
) || fail "cannot make the test certificates"
cp "$FEEDD_TEST_DATA/feeds/rss2.xml" "$T/docroot/feed.xml"

PORT=$(free_port)
cat >"$T/nginx/nginx.conf" <<CONF
daemon off;
master_process off;
worker_processes 1;
pid $T/nginx/nginx.pid;
error_log $T/nginx/error.log;
events { worker_connections 64; }
http {
	access_log $T/nginx/access.log;
	log_format proto '\$request_uri \$server_protocol \$status \$http_user_agent';
	client_body_temp_path $T/nginx/tmp;
	proxy_temp_path $T/nginx/tmp;
	fastcgi_temp_path $T/nginx/tmp;
	uwsgi_temp_path $T/nginx/tmp;
	scgi_temp_path $T/nginx/tmp;
	types { application/rss+xml xml; }
	server {
		listen 127.0.0.1:$PORT ssl http2;
		ssl_certificate $T/pki/server.pem;
		ssl_certificate_key $T/pki/server.key;
		access_log $T/nginx/proto.log proto;
		root $T/docroot;
	}
}
CONF
mkdir -p "$T/nginx/tmp"
start_bg nginx nginx -c "$T/nginx/nginx.conf" -p "$T/nginx/"
# tls_ready: nginx answers a TLS request verified against the test CA.
tls_ready() {
	curl -fsS -o /dev/null --cacert "$T/pki/ca.pem" \
	    "https://127.0.0.1:$PORT/feed.xml" 2>/dev/null
}
wait_for 10 tls_ready || fail "nginx did not start: $(cat "$T/nginx.err" \
    "$T/nginx/error.log" 2>/dev/null)"

cat >"$T/feedd.conf" <<CONF
[feedd]
database = feedd.db
block_private = no

[output]
directory = out

[http]
listen =

[feed trusted]
url = https://127.0.0.1:$PORT/feed.xml
ca_file = pki/ca.pem

[feed untrusted]
url = https://127.0.0.1:$PORT/feed.xml?untrusted
CONF

run_feedd once once -c "$T/feedd.conf"
assert_eq 0 "$RC" "feedd once exits 0 when a feed fails verification"

run_feedd trusted entries -c "$T/feedd.conf" --feed trusted
n=$(grep -c '^20' "$T/trusted.out" || true)
[ "$n" -gt 0 ] || fail "the feed with ca_file stored nothing: $(cat \
    "$T/once.err")"
ok "a feed with ca_file is fetched over verified TLS and stored"
grep -q '^/feed.xml HTTP/2.0 200 feedd' "$T/nginx/proto.log" ||
    fail "not fetched over HTTP/2: $(cat "$T/nginx/proto.log")"
ok "HTTP/2 is used where the server offers it"

grep -q 'untrusted.*certificate' "$T/once.err" ||
    fail "no log line names the feed and the certificate problem: $(cat \
    "$T/once.err")"
ok "verification is on by default and its failure is logged for the feed"
run_feedd untrusted entries -c "$T/feedd.conf" --feed untrusted
check_eq 0 "$(grep -c '^20' "$T/untrusted.out" || true)" \
    "nothing is stored from a server that fails verification"
if grep -q 'untrusted HTTP' "$T/nginx/proto.log"; then
	not_ok "a request was completed for the untrusted feed"
else
	ok "no request is sent to a server that fails verification"
fi
finish
