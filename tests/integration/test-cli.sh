# The command line: --version, --help, parse on the fixtures, and verbs
# or options that do not exist.
set -eu
. "$(dirname "$0")/lib.sh"

run_feedd version --version
assert_eq 0 "$RC" "feedd --version exits 0"
grep -Eq '[0-9]+\.[0-9]+' "$T/version.out" ||
    fail "feedd --version printed no version: $(cat "$T/version.out")"
ok "feedd --version prints a version: $(head -n 1 "$T/version.out")"

run_feedd help --help
assert_eq 0 "$RC" "feedd --help exits 0"
grep -q once "$T/help.out" "$T/help.err" ||
    fail "feedd --help does not mention the once verb"
ok "feedd --help lists the verbs"

# parse_summary FILE: "format count" from feedd parse's JSON.
parse_summary() {
	"$PYTHON" -c 'import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
print(d.get("format"), len(d.get("entries") or []), d.get("bozo"))' "$1"
}

for spec in rss2.xml:rss20:4 rss2-v2.xml:rss20:5 atom.xml:atom10:3 \
    noguid.xml:rss20:3; do
	f=${spec%%:*}
	want=${spec#*:}
	want="$(echo "$want" | tr : ' ') False"
	run_feedd "parse-$f" parse "$FEEDD_TEST_DATA/feeds/$f"
	assert_eq 0 "$RC" "feedd parse $f exits 0"
	got=$(parse_summary "$T/parse-$f.out") ||
	    fail "feedd parse $f printed no JSON: $(head -c 300 "$T/parse-$f.out")"
	assert_eq "$want" "$got" "feedd parse $f: format, entries, bozo"
done

# The titles of the RSS fixture's items, in document order.
got=$("$PYTHON" -c 'import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
for e in d["entries"]:
    t = e.get("title")
    print(t["value"] if isinstance(t, dict) else t)' "$T/parse-rss2.xml.out")
assert_eq "RSS item four
RSS item three
RSS item two
RSS item one" "$got" "feedd parse rss2.xml: entry titles in document order"

run_feedd parse-missing parse "$T/no-such-file.xml"
[ "$RC" != 0 ] || fail "feedd parse on a missing file exits 0"
ok "feedd parse on a missing file exits $RC"

run_feedd verb frobnicate
[ "$RC" != 0 ] || fail "feedd frobnicate (an unknown verb) exits 0"
ok "an unknown verb exits $RC"

run_feedd option --no-such-option
[ "$RC" != 0 ] || fail "feedd --no-such-option exits 0"
ok "an unknown option exits $RC"

run_feedd noconf once -c "$T/no-such.conf"
[ "$RC" != 0 ] || fail "feedd once with a missing config exits 0"
ok "feedd once with a missing config exits $RC"
finish
