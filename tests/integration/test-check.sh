# feedd check: a good config passes; each broken one exits 1 and names
# the file and the line of the mistake as FILE:LINE:, every mistake, not
# only the first.
set -eu
. "$(dirname "$0")/lib.sh"

cat >"$T/good.conf" <<'CONF'
; a good config
[feedd]
database = feedd.db
default_interval = 1h
max_parallel = 32

[output]
directory = out
title = Test river
max_entries = 200

[http]
listen = 127.0.0.1:8080

[feed rss]
url = http://127.0.0.1:8080/files/feeds/rss2.xml
interval = 30m

[feed atom]
url = http://127.0.0.1:8080/files/feeds/atom.xml
CONF
run_feedd good check -c "$T/good.conf"
assert_eq 0 "$RC" "feedd check on a good config exits 0"

# A config without [http] listen (no HTTP server) is good too.
sed '/^\[http\]/,/^listen/d' "$T/good.conf" >"$T/nohttp.conf"
run_feedd nohttp check -c "$T/nohttp.conf"
assert_eq 0 "$RC" "feedd check on a config without [http] exits 0"

# expect_error NAME LINE: feedd check on $T/NAME.conf exits 1 and says
# NAME.conf:LINE: on stderr or stdout.
expect_error() {
	run_feedd "$1" check -c "$T/$1.conf"
	assert_eq 1 "$RC" "feedd check on $1.conf exits 1"
	if ! grep -qF "$T/$1.conf:$2:" "$T/$1.err" "$T/$1.out"; then
		fail "feedd check on $1.conf does not say $T/$1.conf:$2: (got: $(cat "$T/$1.err" "$T/$1.out"))"
	fi
	ok "feedd check on $1.conf names line $2: $(head -n 1 "$T/$1.err")"
}

# An unknown key on line 5.
cat >"$T/unknown-key.conf" <<'CONF'
[feedd]
database = feedd.db

[output]
colour = blue
directory = out

[feed rss]
url = http://127.0.0.1:8080/files/feeds/rss2.xml
CONF
expect_error unknown-key 5

# The same feed name twice: the second section, on line 7, is wrong.
cat >"$T/duplicate-feed.conf" <<'CONF'
[feed news]
url = http://127.0.0.1:8080/a.xml

[feed other]
url = http://127.0.0.1:8080/b.xml

[feed news]
url = http://127.0.0.1:8080/c.xml
CONF
expect_error duplicate-feed 7

# A duration with a unit that does not exist, on line 3.
cat >"$T/bad-duration.conf" <<'CONF'
[feedd]
database = feedd.db
default_interval = 5 fortnights

[feed rss]
url = http://127.0.0.1:8080/files/feeds/rss2.xml
CONF
expect_error bad-duration 3

# A bad per-feed interval, on line 4.
cat >"$T/bad-interval.conf" <<'CONF'
; comment
[feed rss]
url = http://127.0.0.1:8080/files/feeds/rss2.xml
interval = -1h
CONF
expect_error bad-interval 4

# Several mistakes: each is reported, in order, one per line.
cat >"$T/many.conf" <<'CONF'
[feedd]
max_parallel = none
default_interval = 5 fortnights

[output]
colour = blue

[feed rss]
interval = 30m
CONF
run_feedd many check -c "$T/many.conf"
assert_eq 1 "$RC" "feedd check on many.conf exits 1"
check_eq "$T/many.conf:2: bad number \"none\" for max_parallel
$T/many.conf:3: bad duration \"5 fortnights\" for default_interval: use a positive number with s, m, h or d, e.g. 30m
$T/many.conf:6: unknown key \"colour\" in [output]
$T/many.conf:8: feed \"rss\" has no url" "$(cat "$T/many.err")" \
    "feedd check reports every problem, one per line"
[ ! -s "$T/many.out" ] || fail "feedd check says ok on a bad config"
run_feedd many-once once -c "$T/many.conf"
assert_eq 1 "$RC" "feedd once refuses many.conf"
grep -qF "many.conf:2:" "$T/many-once.err" ||
    fail "feedd once does not say what is wrong"
ok "feedd once refuses the config and names the first problem"

# A file that does not exist is an error too (no line to name).
run_feedd missing check -c "$T/no-such.conf"
[ "$RC" != 0 ] || fail "feedd check on a missing file exits 0"
ok "feedd check on a missing file exits $RC"
finish
