# Helpers for the integration tests (POSIX sh; sourced, not run).
#
# A test starts with
#
#	set -eu
#	. "$(dirname "$0")/lib.sh"
#
# and gets: $T, a fresh temporary directory removed on exit; every
# process started with start_server, start_bg or start_feedd stopped by
# pid on exit; fail, ok, assert_eq, wait_for, run_feedd, and helpers to
# validate and read Atom documents.  The environment comes from ctest:
# FEEDD, TESTSERVER, FEEDD_TEST_DATA, FEEDD_SHARED, FEEDD_SOURCE_DIR.
# Set FEEDD_TEST_KEEP=1 to keep $T for a look afterwards.

PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || PYTHON=python3

NPASSED=0
NFAILED=0
BG_PIDS=
TEST_NAME=$(basename "$0" .sh)

# Print a failure, show the logs of what ran, and exit 1.
fail() {
	printf 'FAIL: %s: %s\n' "$TEST_NAME" "$*" >&2
	if [ -n "${T:-}" ] && [ -d "$T" ]; then
		for f in "$T"/*.err "$T"/*.out; do
			[ -s "$f" ] || continue
			printf -- '--- %s (last 40 lines)\n' "${f#"$T"/}" >&2
			tail -n 40 "$f" >&2
		done
	fi
	printf '%d passed, %d failed\n' "$NPASSED" $((NFAILED + 1))
	exit 1
}

# Count and print one passed check.
ok() {
	NPASSED=$((NPASSED + 1))
	printf 'ok %d - %s\n' "$NPASSED" "$*"
}

# Count and print one failed check, and go on (finish exits 1).
not_ok() {
	NFAILED=$((NFAILED + 1))
	printf 'not ok - %s\n' "$*"
	printf 'FAIL: %s: %s\n' "$TEST_NAME" "$*" >&2
}

# End a test that got this far: exit 0 if no check failed.
finish() {
	printf '%d passed, %d failed\n' "$NPASSED" "$NFAILED"
	[ "$NFAILED" = 0 ] || exit 1
	exit 0
}

# check_eq EXPECTED ACTUAL WHAT: like assert_eq, but a mismatch is
# counted and the test goes on, for checks independent of each other.
check_eq() {
	if [ "$1" = "$2" ]; then
		ok "$3"
	else
		not_ok "$3: expected '$1', got '$2'"
	fi
}

# assert_eq EXPECTED ACTUAL WHAT: pass if the two strings are equal.
assert_eq() {
	if [ "$1" = "$2" ]; then
		ok "$3"
	else
		fail "$3: expected '$1', got '$2'"
	fi
}

# reap SECONDS PID: wait for PID (a child of this shell) to exit and set
# WAIT_RC to its status; a watchdog kills it if it is still running after
# SECONDS (memcached's timedrun), which shows as WAIT_RC 137.
reap() {
	_secs=$1
	_pid=$2
	(
		trap 'kill "$_s" 2>/dev/null; exit 0' TERM
		sleep "$_secs" &
		_s=$!
		wait "$_s"
		kill -KILL "$_pid" 2>/dev/null
	) >/dev/null 2>&1 &
	_dog=$!
	WAIT_RC=0
	wait "$_pid" || WAIT_RC=$?
	kill -TERM "$_dog" 2>/dev/null || true
	wait "$_dog" 2>/dev/null || true
	forget_pid "$_pid"
}

# wait_pid SECONDS PID: reap PID, failing if it had to be killed.
wait_pid() {
	reap "$1" "$2"
	if [ "$WAIT_RC" = 137 ]; then
		fail "pid $2 did not exit within $1 s (killed)"
	fi
}

# Stop every background process we started, by pid, then remove $T.
cleanup() {
	_rc=$?
	trap - EXIT INT TERM HUP
	for _bg in $BG_PIDS; do
		kill -TERM "$_bg" 2>/dev/null || true
		reap 15 "$_bg"
	done
	if [ -n "${T:-}" ] && [ -d "$T" ]; then
		if [ "${FEEDD_TEST_KEEP:-0}" = 1 ]; then
			echo "kept $T" >&2
		else
			rm -rf "$T"
		fi
	fi
	exit "$_rc"
}

# Remove a pid from the list cleanup stops (after we waited for it).
forget_pid() {
	_keep=
	for _p in $BG_PIDS; do
		[ "$_p" = "$1" ] || _keep="$_keep $_p"
	done
	BG_PIDS=$_keep
}

# wait_for SECONDS COMMAND...: run COMMAND every 0.1 s until it succeeds;
# return 1 if it never did within SECONDS.
wait_for() {
	_limit=$(($1 * 10))
	shift
	_i=0
	while [ "$_i" -lt "$_limit" ]; do
		if "$@"; then
			return 0
		fi
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}

# alive PID: whether PID is running (a zombie, exited but not yet reaped,
# counts as gone).
alive() {
	kill -0 "$1" 2>/dev/null || return 1
	if [ -r "/proc/$1/stat" ]; then
		case $(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null) in
		Z*|X*) return 1 ;;
		esac
	fi
	return 0
}

# start_bg NAME COMMAND...: run COMMAND in the background with its output
# in $T/NAME.out and $T/NAME.err; its pid is in BG_PID.
start_bg() {
	_name=$1
	shift
	"$@" >"$T/$_name.out" 2>"$T/$_name.err" &
	BG_PID=$!
	BG_PIDS="$BG_PIDS $BG_PID"
}

# port_ready: whether the test server's port file is there.
port_ready() {
	[ -s "$T/server.port" ]
}

# start_server DOCROOT: start feedd-testserver and wait up to 10 s for
# its port; sets SERVER_PID, SERVER_PORT and SERVER_URL.
start_server() {
	rm -f "$T/server.port"
	start_bg server "$TESTSERVER" -d "$1" -p "$T/server.port"
	SERVER_PID=$BG_PID
	wait_for 10 port_ready || fail "test server wrote no port within 10 s"
	SERVER_PORT=$(cat "$T/server.port")
	SERVER_URL="http://127.0.0.1:$SERVER_PORT"
}

# server_hits PATH_AND_QUERY: how many requests the test server saw.
server_hits() {
	curl -fsS -G --data-urlencode "path=$1" "$SERVER_URL/_hits"
}

# server_log: the test server's request log, one line per request.
server_log() {
	curl -fsS "$SERVER_URL/_log"
}

# free_port: a TCP port on 127.0.0.1 that was free a moment ago.
free_port() {
	"$PYTHON" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

# stored CONFIG FEED: how many entries the database of CONFIG holds for
# FEED (feedd entries, which reads while a daemon writes).
stored() {
	"$FEEDD" entries -c "$1" --json --feed "$2" 2>/dev/null |
	    wc -l | tr -d ' '
}

# hits_at_least N PATH: the test server saw PATH at least N times.
hits_at_least() {
	[ "$(server_hits "$2")" -ge "$1" ]
}

# start_dgram_stub NAME SOCKET LOG: a Unix datagram socket at SOCKET (as
# systemd's notify socket or syslog's /dev/log are) that appends every
# datagram to LOG on one line, its newlines as '|'; waits until bound.
start_dgram_stub() {
	start_bg "$1" "$PYTHON" -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "a") as log:
    while True:
        msg = s.recv(65536).decode("utf-8", "replace").rstrip("\n")
        log.write(msg.replace("\n", "|") + "\n")
        log.flush()
' "$2" "$3"
	wait_for 10 test -S "$2" || fail "the datagram socket $2 was not bound"
}

# run_feedd NAME ARGS...: run feedd in the foreground, bounded to 120 s,
# with its output in $T/NAME.out and $T/NAME.err; sets RC.
run_feedd() {
	_name=$1
	shift
	RC=0
	timeout -k 5 120 "$FEEDD" "$@" >"$T/$_name.out" 2>"$T/$_name.err" ||
	    RC=$?
	if [ "$RC" = 124 ] || [ "$RC" = 137 ]; then
		fail "feedd $* did not finish within 120 s"
	fi
}

# validate_atom FILE: FILE is Atom 1.0 by the RFC 4287 RELAX NG schema.
validate_atom() {
	xmllint --noout --relaxng "$FEEDD_SHARED/schemas/atom.rng" "$1" \
	    >"$T/xmllint.out" 2>&1 ||
	    fail "$1 does not validate: $(cat "$T/xmllint.out")"
	ok "$(basename "$1") validates against atom.rng"
	# The RFC 4287 rules a grammar cannot state (scripts/deps.sh installs
	# jing; a missing checker is a failure, not a skip).
	command -v jing >/dev/null 2>&1 || fail "jing is not installed"
	jing "$FEEDD_SHARED/schemas/atom-rules.sch" "$1" >"$T/jing.out" 2>&1 ||
	    fail "$1 breaks atom-rules.sch: $(grep -v '^\[warning\]' "$T/jing.out")"
	ok "$(basename "$1") passes atom-rules.sch"
}

# xpath FILE EXPR: the value of an XPath expression (namespace-agnostic
# expressions use local-name(), e.g. count(//*[local-name()='entry'])).
xpath() {
	xmllint --xpath "$2" "$1" 2>/dev/null
}

# count_entries FILE: the number of Atom entries in FILE.
count_entries() {
	xpath "$1" "count(//*[local-name()='entry'])"
}

# atom_entries FILE: one line per entry, in document order:
# id TAB title TAB source-title (tabs and newlines in text become spaces).
atom_entries() {
	"$PYTHON" - "$1" <<'EOF'
import sys
import xml.etree.ElementTree as ET
A = "{http://www.w3.org/2005/Atom}"
def text(el):
    if el is None:
        return ""
    return " ".join("".join(el.itertext()).split())
root = ET.parse(sys.argv[1]).getroot()
for e in root.findall(A + "entry"):
    src = e.find(A + "source")
    st = text(src.find(A + "title")) if src is not None else ""
    print("%s\t%s\t%s" % (text(e.find(A + "id")), text(e.find(A + "title")), st))
EOF
}

# expected_lines FILE: the entry lines of an expected-order file.
expected_lines() {
	grep -v '^#' "$1" | grep -v '^$'
}

# check_river FILE EXPECTED_ORDER_FILE SOURCES: the combined feed holds
# exactly the expected entries, each once, newest first, Atom ids kept,
# each with an atom:source whose title names its feed.  SOURCES maps a
# title prefix to the allowed source titles: "prefix=title|name;...".
check_river() {
	_feed=$1
	_exp=$2
	_sources=$3
	[ -s "$_feed" ] || fail "$_feed is missing or empty"
	validate_atom "$_feed"
	atom_entries "$_feed" >"$T/entries.txt" ||
	    fail "cannot read the entries of $_feed"
	expected_lines "$_exp" >"$T/expected.txt"
	assert_eq "$(wc -l <"$T/expected.txt" | tr -d ' ')" \
	    "$(count_entries "$_feed")" "entry count of $(basename "$_feed")"
	_dups=$(cut -f1 "$T/entries.txt" | sort | uniq -d)
	[ -z "$_dups" ] || fail "duplicate atom:id values: $_dups"
	if cut -f1 "$T/entries.txt" | grep -q '^$'; then
		fail "an entry has no atom:id"
	fi
	ok "no duplicate or empty atom:id"
	cut -f2 "$T/entries.txt" >"$T/titles.got"
	cut -f2 "$T/expected.txt" >"$T/titles.want"
	if ! cmp -s "$T/titles.want" "$T/titles.got"; then
		fail "entries not as expected, newest first:
$(diff "$T/titles.want" "$T/titles.got" || true)"
	fi
	ok "entries newest first, as in $(basename "$_exp")"
	# Atom sources keep their atom:id.
	_want_ids=$(grep '^tag:' "$T/expected.txt" | cut -f1,2 | sort)
	_got_ids=$(grep '^tag:' "$T/entries.txt" | cut -f1,2 | sort)
	assert_eq "$_want_ids" "$_got_ids" "Atom entries keep their atom:id"
	"$PYTHON" - "$T/entries.txt" "$_sources" <<'EOF' >"$T/sources.out" ||
import sys
rules = [r.split("=", 1) for r in sys.argv[2].split(";") if r]
bad = []
for line in open(sys.argv[1], encoding="utf-8"):
    eid, title, src = line.rstrip("\n").split("\t")
    for prefix, allowed in rules:
        if title.startswith(prefix):
            if src not in allowed.split("|"):
                bad.append("%r has source title %r, want one of %r"
                    % (title, src, allowed))
            break
    else:
        if not src:
            bad.append("%r has no atom:source title" % title)
if bad:
    print("\n".join(bad))
    sys.exit(1)
EOF
	    fail "atom:source titles: $(cat "$T/sources.out")"
	ok "each entry has an atom:source naming its feed"
}

[ -n "${FEEDD:-}" ] || fail "FEEDD is not set (run through ctest)"
[ -x "$FEEDD" ] || fail "FEEDD=$FEEDD is not an executable"
[ -n "${TESTSERVER:-}" ] && [ -x "$TESTSERVER" ] ||
    fail "TESTSERVER is not set to an executable"
[ -d "${FEEDD_TEST_DATA:-}" ] || fail "FEEDD_TEST_DATA is not a directory"
[ -f "${FEEDD_SHARED:-}/schemas/atom.rng" ] ||
    fail "FEEDD_SHARED has no schemas/atom.rng"

T=$(mktemp -d "${TMPDIR:-/tmp}/feedd-$TEST_NAME.XXXXXX") ||
    fail "mktemp failed"
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
