# include = GLOB: feed sections in their own files (feeds.d/*.conf) are
# read in sorted order, relative to the including file, and polled like
# any other; a problem in an included file names that file and its line;
# a duplicated feed names both places; a cycle and a missing plain path
# are errors, a glob matching nothing is not.
set -eu
. "$(dirname "$0")/lib.sh"

cp -R "$FEEDD_TEST_DATA" "$T/docroot"
start_server "$T/docroot"
mkdir -p "$T/etc/feeds.d" "$T/etc/empty.d"
cat >"$T/etc/feedd.conf" <<CONF
[feedd]
database = feedd.db
block_private = no
include = feeds.d/*.conf
include = empty.d/*.conf

[output]
directory = out

[http]
listen =
CONF
cat >"$T/etc/feeds.d/20-atom.conf" <<CONF
[feed atom]
url = $SERVER_URL/files/feeds/atom.xml
tags = b
CONF
cat >"$T/etc/feeds.d/10-rss.conf" <<CONF
[feed rss]
url = $SERVER_URL/files/feeds/rss2.xml
tags = a
CONF
# Not matched by the glob: must not be read.
echo 'this is not a config' >"$T/etc/feeds.d/README"

run_feedd check check -c "$T/etc/feedd.conf"
assert_eq 0 "$RC" "check accepts a config whose feeds are included"
check_eq "$T/etc/feedd.conf: ok, 2 feeds" "$(cat "$T/check.out")" \
    "check counts the included feeds"

run_feedd once once -c "$T/etc/feedd.conf"
assert_eq 0 "$RC" "once polls the included feeds"
check_eq 1 "$(server_hits /files/feeds/rss2.xml)" "the rss feed was polled"
check_eq 1 "$(server_hits /files/feeds/atom.xml)" "the atom feed was polled"
[ -s "$T/etc/out/tag/a.atom" ] && [ -s "$T/etc/out/tag/b.atom" ] ||
    fail "the included feeds' tags have no outputs"
ok "the included feeds' tags have their outputs"
run_feedd opml opml export -c "$T/etc/feedd.conf"
check_eq "rss atom" "$(grep -o 'text="[a-z]*"' "$T/opml.out" |
    sed 's/text="\(.*\)"/\1/' | tr '\n' ' ' | sed 's/ $//')" \
    "feeds come in glob order (10-rss.conf before 20-atom.conf)"

# A problem inside an included file names that file and its line.
cat >"$T/etc/feeds.d/30-bad.conf" <<CONF
[feed bad]
url = $SERVER_URL/files/feeds/atom.xml
interval = soon
CONF
run_feedd bad check -c "$T/etc/feedd.conf"
assert_eq 1 "$RC" "check fails on a problem in an included file"
grep -qF "$T/etc/feeds.d/30-bad.conf:3: bad duration \"soon\"" \
    "$T/bad.err" || fail "the included file's line is not named"
ok "the included file and its line are named"
run_feedd badrun once -c "$T/etc/feedd.conf"
assert_eq 1 "$RC" "once refuses a config with a bad included file"
grep -qF "30-bad.conf:3:" "$T/badrun.err" ||
    fail "once does not name the included file's line"
ok "once names the included file's line"
rm "$T/etc/feeds.d/30-bad.conf"

# The same feed in two files: an error naming both places.
cat >"$T/etc/feeds.d/30-again.conf" <<CONF
; the same name again
[feed rss]
url = $SERVER_URL/files/feeds/rss2-v2.xml
CONF
run_feedd dup check -c "$T/etc/feedd.conf"
assert_eq 1 "$RC" "check fails on a feed defined in two files"
grep -qF "$T/etc/feeds.d/30-again.conf:2: duplicate feed \"rss\" (first defined at $T/etc/feeds.d/10-rss.conf:1)" \
    "$T/dup.err" || fail "the duplicate does not name both places"
ok "a duplicated feed names both files and lines"
rm "$T/etc/feeds.d/30-again.conf"

# A cycle: an included file including the main one.
printf '[feedd]\ninclude = ../feedd.conf\n' >"$T/etc/feeds.d/30-loop.conf"
run_feedd loop check -c "$T/etc/feedd.conf"
assert_eq 1 "$RC" "check fails on an include cycle"
grep -qF "$T/etc/feeds.d/30-loop.conf:2: include" "$T/loop.err" &&
    grep -qF "include cycle" "$T/loop.err" ||
    fail "the cycle is not reported at the including line"
ok "an include cycle is reported where it closes"
rm "$T/etc/feeds.d/30-loop.conf"

# A missing plain path is an error; a glob matching nothing is not.
sed -i 's|^include = empty.d/\*.conf$|include = empty.d/*.conf\ninclude = missing.conf|' \
    "$T/etc/feedd.conf"
run_feedd missing check -c "$T/etc/feedd.conf"
assert_eq 1 "$RC" "check fails on a missing plain include"
grep -qF "$T/etc/feedd.conf:6: include $T/etc/missing.conf: cannot open: No such file or directory" \
    "$T/missing.err" || fail "the missing include is not named"
ok "a missing plain include is named with its line"
finish
