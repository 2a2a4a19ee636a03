# A full disk: with the database and the output on a small filesystem
# that fills up, a poll that cannot be stored is logged with SQLite's
# reason, feedd keeps running and serving what it has, nothing stored is
# damaged, and once space returns the next poll stores what was missed.
# Runs in a private mount namespace (root), on a 4 MB tmpfs (the outputs
# take 1.5 MB at the end, the database and its WAL of 16 KiB pages most
# of the rest).
set -eu
if [ -z "${FEEDD_IN_NS:-}" ]; then
	FEEDD_IN_NS=1 exec unshare -m --propagation private sh "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"

mkdir -p "$T/docroot/feeds" "$T/small"
mount -t tmpfs -o size=4m tmpfs "$T/small" || fail "cannot mount a tmpfs"
# When the test ends, unmount before lib.sh removes $T.
trap 'rc=$?; umount "$T/small" 2>/dev/null || true; set +e; (exit $rc); cleanup' \
    EXIT INT TERM HUP
F=$T/docroot/feeds/grow.xml
# publish FROM TO: items FROM..TO with 8 KB bodies, newest first.
publish() {
	"$PYTHON" - "$F" "$1" "$2" <<'PY'
import os, sys
path, lo, hi = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
body = "&lt;p&gt;" + "lorem ipsum dolor sit amet " * 300 + "&lt;/p&gt;"
items = "".join(
    "<item><title>Item %d</title><guid isPermaLink=\"false\">urn:%d</guid>"
    "<description>%d %s</description></item>" % (i, i, i, body)
    for i in range(hi, lo - 1, -1))
with open(path + ".tmp", "w") as f:
    f.write('<?xml version="1.0"?><rss version="2.0"><channel><title>G'
            '</title><link>http://example.com/</link><description>d'
            '</description>' + items + '</channel></rss>')
os.rename(path + ".tmp", path)
PY
}
publish 1 5
start_server "$T/docroot"
PORT=$(free_port)
cat >"$T/feedd.conf" <<CONF
[feedd]
database = small/feedd.db
default_interval = 1s
max_interval = 4s
block_private = no

[output]
directory = small/out

[http]
listen = 127.0.0.1:$PORT

[feed grow]
url = $SERVER_URL/files/feeds/grow.xml
CONF

# stored N: feedd entries lists at least N entries.
stored() {
	_n=$("$FEEDD" entries -c "$T/feedd.conf" 2>/dev/null | grep -c '^20' ||
	    true)
	[ "$_n" -ge "$1" ]
}
served() {
	curl -fsS -m 5 -o "$T/got.atom" "http://127.0.0.1:$PORT/feed.atom"
}
start_bg feedd "$FEEDD" run -c "$T/feedd.conf"
FEEDD_PID=$BG_PID
wait_for 30 stored 5 || fail "the first 5 entries were never stored"
ok "the first poll is stored"

# Fill the filesystem, then publish more than fits.
dd if=/dev/zero of="$T/small/filler" bs=64k 2>/dev/null || true
publish 1 60
wait_for 30 grep -q 'feed grow: store: .*database or disk is full' \
    "$T/feedd.err" || fail "no log line says the disk is full"
ok "a poll that does not fit is logged with SQLite's reason"
alive "$FEEDD_PID" || fail "feedd died on a full disk"
wait_for 10 served || fail "feedd stopped serving on a full disk"
check_eq 5 "$(count_entries "$T/got.atom")" \
    "on a full disk the stored entries are still served"

# Space returns: the next poll stores everything.
rm -f "$T/small/filler"
wait_for 60 stored 60 || fail "after space returned, not all 60 were stored"
ok "once space returns, what was missed is stored"
kill -TERM "$FEEDD_PID"
wait_pid 30 "$FEEDD_PID"
assert_eq 0 "$WAIT_RC" "feedd exits 0 on SIGTERM"
check_eq ok "$("$PYTHON" -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("PRAGMA integrity_check").fetchone()[0])' \
    "$T/small/feedd.db")" "the database passes integrity_check"
finish
