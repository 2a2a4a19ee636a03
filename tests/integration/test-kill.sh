# Nothing lost on a crash: feedd is killed with SIGKILL at random moments,
# 50 times, while it ingests a feed that grows between its lives, and
# restarted each time.  Afterwards the database passes integrity_check,
# every entry the server ever published is stored exactly once, the
# combined feed was a whole, valid document after every kill, and no
# temporary file is left behind.
set -eu
. "$(dirname "$0")/lib.sh"

KILLS=${FEEDD_KILLS:-50}
mkdir -p "$T/docroot/feeds"
F=$T/docroot/feeds/grow.xml
# publish N: the feed lists items 1..N, newest first (written atomically,
# so the server never serves half a file).
publish() {
	{
		echo '<?xml version="1.0"?><rss version="2.0"><channel>'
		echo '<title>Growing</title><link>http://example.com/</link>'
		echo '<description>d</description>'
		_i=$1
		while [ "$_i" -ge 1 ]; do
			echo "<item><title>Item $_i</title><guid isPermaLink=\"false\">urn:item:$_i</guid>"
			echo "<link>http://example.com/$_i</link><description>Body $_i</description></item>"
			_i=$((_i - 1))
		done
		echo '</channel></rss>'
	} >"$F.tmp"
	mv "$F.tmp" "$F"
}
publish 1
start_server "$T/docroot"
PORT=$(free_port)
cat >"$T/feedd.conf" <<CONF
[feedd]
database = feedd.db
default_interval = 1s
block_private = no

[output]
directory = out

[http]
listen = 127.0.0.1:$PORT

[feed grow]
url = $SERVER_URL/files/feeds/grow.xml
CONF

# A random delay between 0.05 and 1.25 s, from the kernel's entropy.
pause() {
	sleep "$(od -An -N1 -tu1 /dev/urandom |
	    awk '{ printf "%.2f", 0.05 + $1 / 255 * 1.2 }')"
}

n=1
k=0
while [ "$k" -lt "$KILLS" ]; do
	start_bg "feedd$k" "$FEEDD" run -c "$T/feedd.conf"
	pid=$BG_PID
	pause
	kill -KILL "$pid" 2>/dev/null || true
	reap 10 "$pid"
	k=$((k + 1))
	if [ -f "$T/out/feed.atom" ] &&
	    ! xmllint --noout "$T/out/feed.atom" 2>"$T/xmllint.err"; then
		fail "after kill $k, out/feed.atom is not a whole document"
	fi
	n=$((n + 1))
	publish "$n"
done
ok "$KILLS kills, after each the combined feed was whole or absent"

# A last life, long enough to catch up with everything published.
start_bg final "$FEEDD" run -c "$T/feedd.conf"
FINAL=$BG_PID
# caught_up: every published item is stored.
caught_up() {
	"$FEEDD" entries -c "$T/feedd.conf" --json >"$T/entries.json" \
	    2>/dev/null || return 1
	[ "$(wc -l <"$T/entries.json" | tr -d ' ')" -ge "$n" ]
}
wait_for 60 caught_up || fail "feedd never stored all $n items"
kill -TERM "$FINAL"
wait_pid 30 "$FINAL"
assert_eq 0 "$WAIT_RC" "the last feedd exits 0 on SIGTERM"

"$PYTHON" - "$T/feedd.db" "$T/entries.json" "$n" <<'PY' >"$T/check.txt" ||
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print("integrity", db.execute("PRAGMA integrity_check").fetchone()[0])
ids = [json.loads(l)["id"] for l in open(sys.argv[2])]
want = {"urn:item:%d" % i for i in range(1, int(sys.argv[3]) + 1)}
print("count", len(ids), "unique", len(set(ids)),
      "missing", len(want - set(ids)), "extra", len(set(ids) - want))
PY
    fail "could not check the database"
check_eq "integrity ok" "$(sed -n 1p "$T/check.txt")" \
    "PRAGMA integrity_check is ok"
check_eq "count $n unique $n missing 0 extra 0" "$(sed -n 2p "$T/check.txt")" \
    "every published entry is stored exactly once"
validate_atom "$T/out/feed.atom"
# (.feedd-stamp is no temporary file: it says what the outputs are.)
check_eq "" "$(ls -A "$T/out" | grep '^\.' | grep -vx '\.feedd-stamp' ||
    true)" "no temporary file is left in the output directory"
finish
