# A database written by schema version 1 (tests/data/store/v1.sql, made
# by feedd once before version 3 kept every author, category and
# enclosure) opens with this feedd: it is migrated to the current
# version (4 adds the generation emit's stamp compares, 5 drops the index
# on sort time alone, 6 moves entry digests from SHA-256 to XXH3) in
# place, its entries come out intact with their first author before any
# poll, and the next poll of the same feed finds the plain entry
# unchanged (its SHA-256 digest is the one version 1 stored, and is
# replaced by the new kind) and the entry with an enclosure and a
# category updated, which then carries them; the poll after that finds
# both unchanged by their new digests.
set -eu
. "$(dirname "$0")/lib.sh"

DATA=$FEEDD_TEST_DATA/store
command -v jing >/dev/null 2>&1 || fail "jing is not installed"
"$PYTHON" - "$DATA/v1.sql" "$T/feedd.db" <<'EOF' ||
import sqlite3, sys
db = sqlite3.connect(sys.argv[2])
db.executescript(open(sys.argv[1], encoding="utf-8").read())
db.close()
EOF
    fail "cannot load v1.sql"

# sql QUERY: one line per row, columns joined by "|".
sql() {
	"$PYTHON" - "$T/feedd.db" "$1" <<'EOF'
import sqlite3, sys
for row in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]):
    print("|".join("" if c is None else str(c) for c in row))
EOF
}
assert_eq 1 "$(sql 'PRAGMA user_version')" "the fixture is schema version 1"
BEFORE=$(sql 'SELECT key, first_seen, changed FROM entries ORDER BY key')

# write_config URL: poll the feed "pod" (its name in the fixture) at URL.
write_config() {
	cat >"$T/feedd.conf" <<CONF
[feedd]
database = $T/feedd.db

[output]
directory = $T/out

[http]
listen =

[feed pod]
url = $1
CONF
}

# 1. The source is unreachable: what comes out is what version 1 stored.
write_config "file:$T/missing.xml"
run_feedd once1 once -c "$T/feedd.conf"
assert_eq 6 "$(sql 'PRAGMA user_version')" "feedd migrates it to version 6"
assert_eq 32 \
    "$(sql "SELECT length(value) FROM meta WHERE key = 'generation'")" \
    "the migration draws a generation"
assert_eq entries_changed "$(sql "SELECT name FROM sqlite_master WHERE name = 'entries_changed'")" \
    "the migration adds the index archive pages are counted by"
assert_eq "" "$(sql "SELECT name FROM sqlite_master WHERE name = 'entries_sort'")" \
    "the migration drops the index on sort time alone"
check_eq "$BEFORE" \
    "$(sql 'SELECT key, first_seen, changed FROM entries ORDER BY key')" \
    "every version 1 entry is kept, first seen and changed unchanged"
[ -f "$T/out/feed.atom" ] || fail "no feed.atom: $(cat "$T/once1.err")"
validate_atom "$T/out/feed.atom"
check_eq "2 2 0" "$(count_entries "$T/out/feed.atom") \
$(xpath "$T/out/feed.atom" "count(//*[local-name()='entry']/*[local-name()='author'][*[local-name()='name']='Ann'][*[local-name()='email']='ann@example.org'])") \
$(xpath "$T/out/feed.atom" "count(//*[local-name()='link'][@rel='enclosure'])")" \
    "both entries come out, each with its first author from version 1"

# 2. The same document again: only the entry version 1 cut short changes.
cp "$DATA/v1-pod.xml" "$T/pod.xml"
write_config "file:$T/pod.xml"
run_feedd once2 once -c "$T/feedd.conf"
assert_eq 0 "$RC" "feedd once on the migrated database exits 0"
grep -q "feed pod: ok, 0 new, 1 updated, 1 unchanged" "$T/once2.err" ||
    fail "want 1 updated, 1 unchanged: $(cat "$T/once2.err")"
ok "the plain entry is unchanged, the one with an enclosure updated"
check_eq "$(echo "$BEFORE" | cut -d'|' -f1,2)" \
    "$(sql 'SELECT key, first_seen FROM entries ORDER BY key')" \
    "the entries keep their first-seen times"
validate_atom "$T/out/feed.atom"
check_eq "http://example.org/pod/2.mp3 audio/mpeg 999 Tech" \
    "$(xpath "$T/out/feed.atom" "string(//*[local-name()='link'][@rel='enclosure']/@href)") \
$(xpath "$T/out/feed.atom" "string(//*[local-name()='link'][@rel='enclosure']/@type)") \
$(xpath "$T/out/feed.atom" "string(//*[local-name()='link'][@rel='enclosure']/@length)") \
$(xpath "$T/out/feed.atom" "string(//*[local-name()='category']/@term)")" \
    "the updated entry carries its enclosure and category"
assert_eq "32 32" "$(sql 'SELECT length(digest) FROM entries ORDER BY key' | tr '\n' ' ' | sed 's/ $//')" \
    "both entries now carry a digest of the new kind"

# 3. Once more, the body changed by a blank line so that it is parsed:
# both entries unchanged, by the digests version 6 wrote.
echo >>"$T/pod.xml"
run_feedd once3 once -c "$T/feedd.conf"
grep -q "feed pod: ok, 0 new, 0 updated, 2 unchanged" "$T/once3.err" ||
    fail "want 2 unchanged: $(cat "$T/once3.err")"
ok "the next poll finds both entries unchanged"
finish
