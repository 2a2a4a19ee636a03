# A database that can no longer be written (its files made immutable with
# chattr +i under the running daemon): a poll that cannot be stored is
# logged with SQLite's reason, feedd keeps running and serving what it
# has, and once the files are writable again the next poll stores what
# was missed, and the database is intact.  Needs root and a filesystem
# with chattr (ext4, as /tmp here).
set -eu
. "$(dirname "$0")/lib.sh"

mkdir -p "$T/docroot/feeds"
trap 'rc=$?; chattr -i "$T"/feedd.db* 2>/dev/null || true; set +e; (exit $rc); cleanup' \
    EXIT INT TERM HUP
F=$T/docroot/feeds/grow.xml
# publish N: items 1..N, newest first.
publish() {
	"$PYTHON" - "$F" "$1" <<'PY'
import os, sys
path, n = sys.argv[1], int(sys.argv[2])
items = "".join("<item><title>Item %d</title><guid>urn:%d</guid></item>"
                % (i, i) for i in range(n, 0, -1))
with open(path + ".tmp", "w") as f:
    f.write('<?xml version="1.0"?><rss version="2.0"><channel><title>G'
            '</title><link>http://example.com/</link><description>d'
            '</description>' + items + '</channel></rss>')
os.rename(path + ".tmp", path)
PY
}
publish 5
start_server "$T/docroot"
PORT=$(free_port)
cat >"$T/feedd.conf" <<CONF
[feedd]
database = feedd.db
default_interval = 1s
max_interval = 4s
block_private = no

[output]
directory = out

[http]
listen = 127.0.0.1:$PORT

[feed grow]
url = $SERVER_URL/files/feeds/grow.xml
CONF
stored() {
	_n=$("$FEEDD" entries -c "$T/feedd.conf" 2>/dev/null | grep -c '^20' ||
	    true)
	[ "$_n" -ge "$1" ]
}
served() {
	curl -fsS -m 5 -o "$T/got.atom" "http://127.0.0.1:$PORT/feed.atom" &&
	    [ "$(count_entries "$T/got.atom")" = "$1" ]
}
start_bg feedd "$FEEDD" run -c "$T/feedd.conf"
FEEDD_PID=$BG_PID
wait_for 30 stored 5 || fail "the first 5 entries were never stored"
wait_for 30 served 5 || fail "the first 5 entries were never served"
ok "the first poll is stored and served"

chattr +i "$T/feedd.db" "$T/feedd.db-wal" ||
    fail "chattr +i failed (root and ext4 are needed)"
publish 9
wait_for 30 grep -q 'feed grow: store: .*disk I/O error' "$T/feedd.err" ||
    fail "no log line gives SQLite's reason"
ok "a poll that cannot be written is logged with SQLite's reason"
alive "$FEEDD_PID" || fail "feedd died on a database it cannot write"
served 5 || fail "feedd stopped serving what it had"
ok "what was stored is still served"

chattr -i "$T/feedd.db" "$T/feedd.db-wal"
wait_for 60 stored 9 || fail "once writable again, the missed entries never came"
ok "once writable again, what was missed is stored"
kill -TERM "$FEEDD_PID"
wait_pid 30 "$FEEDD_PID"
assert_eq 0 "$WAIT_RC" "feedd exits 0 on SIGTERM"
check_eq ok "$("$PYTHON" -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("PRAGMA integrity_check").fetchone()[0])' \
    "$T/feedd.db")" "the database passes integrity_check"
finish
