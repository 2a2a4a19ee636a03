# feedd check --filters: after checking the config, dry-runs every named
# output's include and exclude expressions against the stored entries of
# its feeds and prints, per output, how many it would keep and drop, the
# first dropped titles with the reason, and how many more; it writes
# nothing.  Without a database or without named outputs it says so.
set -eu
. "$(dirname "$0")/lib.sh"

cp -R "$FEEDD_TEST_DATA" "$T/docroot"
start_server "$T/docroot"
cat >"$T/feedd.conf" <<CONF
[feedd]
database = feedd.db

[output]
directory = out

[http]
listen =

[output some]
feeds = rss
exclude = item (two|four)

[output wrong]
include = ZZZ

[output plain]
feeds = atom

[output author]
feeds = atom
exclude = ^Dave

[feed rss]
url = $SERVER_URL/files/feeds/rss2.xml

[feed atom]
url = $SERVER_URL/files/feeds/atom.xml

[feed noguid]
url = $SERVER_URL/files/feeds/noguid.xml
CONF

run_feedd nodb check -c "$T/feedd.conf" --filters
check_eq 0 "$RC" "check --filters without a database exits 0"
check_eq "$T/feedd.conf: ok, 3 feeds
no database at $T/feedd.db yet: no entries to try the filters on" \
    "$(cat "$T/nodb.out")" "without a database it says there is nothing to try"

run_feedd once once -c "$T/feedd.conf"
assert_eq 0 "$RC" "feedd once exits 0"
rm -rf "$T/out"
run_feedd filters check -c "$T/feedd.conf" --filters
check_eq 0 "$RC" "check --filters exits 0"
check_eq "$T/feedd.conf: ok, 3 feeds
output some: 4 entries stored: 2 kept, 2 dropped by include/exclude
    dropped: RSS item four (title matches exclude)
    dropped: RSS item two (title matches exclude)
output wrong: 10 entries stored: 0 kept, 10 dropped by include/exclude
    dropped: No-guid item B (matches no include)
    dropped: RSS item four (matches no include)
    dropped: Atom entry three (matches no include)
    dropped: RSS item three (matches no include)
    dropped: Atom entry two (matches no include)
    ... and 5 more
output plain: 3 entries stored: 3 kept (no include or exclude)
output author: 3 entries stored: 2 kept, 1 dropped by include/exclude
    dropped: Atom entry two (author matches exclude)" \
    "$(cat "$T/filters.out")" \
    "per output: kept, dropped, the first dropped titles and why"
[ ! -e "$T/out" ] || fail "check --filters wrote outputs"
ok "check --filters writes nothing"

# No named outputs.
sed '/^\[output [a-z]*\]$/,/^$/d' "$T/feedd.conf" >"$T/none.conf"
run_feedd none check -c "$T/none.conf" --filters
check_eq "$T/none.conf: ok, 3 feeds
no [output NAME] sections: no filters to try" "$(cat "$T/none.out")" \
    "without named outputs it says there are no filters"

# A config error is reported as by check, and nothing is tried.
printf '[output x]\ninclude = (\n' >"$T/bad.conf"
run_feedd bad check -c "$T/bad.conf" --filters
check_eq 1 "$RC" "check --filters on a bad config exits 1"
case $(cat "$T/bad.err") in
"$T/bad.conf:2: bad regular expression"*) ok "the bad expression is named at FILE:LINE" ;;
*) not_ok "got '$(cat "$T/bad.err")'" ;;
esac
finish
