# feedd once on a warm database skips building the outputs when nothing
# they show changed, and builds them when anything did: new entries
# stored by another process, a feed that starts or stops failing, a
# config edit, an output file deleted.
set -eu
. "$(dirname "$0")/lib.sh"

cp -R "$FEEDD_TEST_DATA" "$T/docroot"
start_server "$T/docroot"
ok "test server on port $SERVER_PORT"

# write_conf FILE DIR TITLE: a config on the shared database, writing its
# outputs to DIR.  rss2.xml has no validators (the body hash says it is
# unchanged); atom.xml answers 304 to its ETag.
write_conf() {
	cat >"$1" <<CONF
[feedd]
database = $T/feedd.db
default_interval = 1h

[output]
directory = $2
title = $3
archive = no

[http]
listen =

[feed rss]
url = $SERVER_URL/files/feeds/rss2.xml

[feed atom]
url = $SERVER_URL/files/feeds/atom.xml?etag=a1
CONF
}

# stamp_id: the inode and change time (in nanoseconds) of the stamp,
# which every build writes anew.
stamp_id() {
	stat -c '%i %z' "$T/out/.feedd-stamp"
}

# title_of FILE: the title of an Atom feed.
title_of() {
	xpath "$1" "string(/*[local-name()='feed']/*[local-name()='title'])"
}

write_conf "$T/a.conf" "$T/out" "River A"
run_feedd cold once -c "$T/a.conf"
assert_eq 0 "$RC" "the cold feedd once exits 0"
[ -f "$T/out/.feedd-stamp" ] || fail "no stamp after a build"
ok "a build leaves a stamp in the output directory"
N0=$(count_entries "$T/out/feed.atom")

# Nothing changed: no build, no file written.
STAMP=$(stamp_id)
ATOM=$(stat -c '%i %Y' "$T/out/feed.atom")
run_feedd warm1 once -v -c "$T/a.conf"
assert_eq 0 "$RC" "the warm feedd once exits 0"
grep -q 'emit: .* is up to date, nothing to build' "$T/warm1.err" ||
    not_ok "the warm run does not say the outputs are up to date"
check_eq "$STAMP" "$(stamp_id)" "the warm run did not build (stamp kept)"
check_eq "$ATOM" "$(stat -c '%i %Y' "$T/out/feed.atom")" \
    "the warm run left feed.atom as it was"

# A deleted output file is built again.
rm "$T/out/feed.atom"
run_feedd warm2 once -v -c "$T/a.conf"
[ -f "$T/out/feed.atom" ] || not_ok "a deleted feed.atom is not built again"
check_eq "$N0" "$(count_entries "$T/out/feed.atom")" \
    "feed.atom comes back whole"

# A config edit shows at once, though every feed is unchanged.
write_conf "$T/a.conf" "$T/out" "River A, renamed"
run_feedd warm3 once -v -c "$T/a.conf"
check_eq "River A, renamed" "$(title_of "$T/out/feed.atom")" \
    "a new title in the config reaches feed.atom"

# Another config on the same database stores a new entry; this one then
# finds rss2.xml unchanged (same body as stored) but must show it.
cp "$T/docroot/feeds/rss2-v2.xml" "$T/docroot/feeds/rss2.xml"
write_conf "$T/b.conf" "$T/out-b" "River B"
run_feedd other once -c "$T/b.conf"
assert_eq 0 "$RC" "feedd once with the other config exits 0"
NB=$(count_entries "$T/out-b/feed.atom")
[ "$NB" -gt "$N0" ] || fail "the other config stored no new entry"
run_feedd warm4 once -v -c "$T/a.conf"
grep -q 'body unchanged' "$T/warm4.err" ||
    fail "rss2.xml was not found unchanged: $(cat "$T/warm4.err")"
check_eq "$NB" "$(count_entries "$T/out/feed.atom")" \
    "entries another process stored reach feed.atom"

# A feed starts failing, then recovers: the status feed follows.
mv "$T/docroot/feeds/atom.xml" "$T/docroot/feeds/atom.xml.away"
run_feedd warm5 once -v -c "$T/a.conf"
check_eq 1 "$(count_entries "$T/out/status.atom")" \
    "a feed that fails shows in status.atom"
mv "$T/docroot/feeds/atom.xml.away" "$T/docroot/feeds/atom.xml"
run_feedd warm6 once -v -c "$T/a.conf"
check_eq 0 "$(count_entries "$T/out/status.atom")" \
    "a feed that recovers leaves status.atom"

# And once nothing changes again, nothing is built again.
STAMP=$(stamp_id)
run_feedd warm7 once -v -c "$T/a.conf"
grep -q 'emit: .* is up to date, nothing to build' "$T/warm7.err" ||
    not_ok "the next warm run does not say the outputs are up to date"
check_eq "$STAMP" "$(stamp_id)" "the next warm run builds nothing"
finish
