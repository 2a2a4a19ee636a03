#!/bin/sh
# SPDX-License-Identifier: ISC
#
# Store ingest throughput: entries stored per second from already-parsed
# feeds (~2 KB HTML bodies) through store_commit_poll, one transaction per
# feed as feedd polls, for 10^4, 10^5 and 10^6 stored entries; the time of
# a re-poll of a stored feed (pure dedup lookups) at each size; and the
# floor: the sqlite3 shell inserting the very same rows, in one
# transaction, into the same schema.  Prints a Markdown report and, unless
# --no-write, replaces the ingest section of docs/benchmarks.md with it.
#
#   sh bench/ingest-bench.sh [--max N] [--runs R] [--rev REV] [--no-write]
#
# --max caps the sizes (default 1000000; 100000 skips the ~4 GB run).
# Sizes up to 10^5 are measured --runs times (default 3, interleaved:
# feedd 100 entries per commit, feedd 1000 per commit, then the floor for
# each size) and reported as medians; 10^6 runs once, in run 1 (single
# run: it takes minutes and ~12 GB of disk for a while).
# feedd's libraries are built from the working tree into build-ingest; with
# --rev REV from a clean export of that commit instead (bench/out/ingest/
# src-rev), so that others' uncommitted work in progress is not what gets
# measured.  Work files go to bench/out/ingest/ (gitignored) and are
# deleted as soon as they are measured.
set -eu

usage() {
	echo "usage: sh bench/ingest-bench.sh [--max N] [--runs R]" \
	    "[--rev REV] [--no-write]" >&2
	exit 2
}

MAX=1000000
RUNS=3
REV=
WRITE=1
while [ $# -gt 0 ]; do
	case "$1" in
	--max) MAX=$2; shift 2 ;;
	--runs) RUNS=$2; shift 2 ;;
	--rev) REV=$2; shift 2 ;;
	--no-write) WRITE=0; shift ;;
	-h|--help) usage ;;
	*) echo "ingest-bench: unknown argument: $1" >&2; usage ;;
	esac
done
case "$MAX" in 10000|100000|1000000) ;; *)
	echo "ingest-bench: --max is 10000, 100000 or 1000000" >&2; exit 2 ;;
esac
[ "$RUNS" -ge 1 ] 2>/dev/null || usage
CMDLINE="sh bench/ingest-bench.sh"
[ "$MAX" = 1000000 ] || CMDLINE="$CMDLINE --max $MAX"
[ "$RUNS" = 3 ] || CMDLINE="$CMDLINE --runs $RUNS"
[ -z "$REV" ] || CMDLINE="$CMDLINE --rev $REV"

cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=$ROOT/bench/out/ingest
B=$ROOT/build-ingest
PY=/usr/bin/python3
log() { printf 'ingest-bench: %s\n' "$*" >&2; }
mkdir -p "$OUT"

SIZES=
for n in 10000 100000 1000000; do
	[ "$n" -le "$MAX" ] && SIZES="$SIZES $n"
done
SMALL=
for n in $SIZES; do
	[ "$n" -le 100000 ] && SMALL="$SMALL $n"
done

# --- the floor's tool (Debian package) --------------------------------------
if ! command -v sqlite3 >/dev/null 2>&1; then
	if [ "$(id -u)" != 0 ]; then
		log "missing sqlite3; run: apt-get install sqlite3"
		exit 1
	fi
	apt-get install -y sqlite3 >&2 ||
	    { apt-get update >&2 && apt-get install -y sqlite3 >&2; }
fi

# --- build -------------------------------------------------------------------
if [ -n "$REV" ]; then
	COMMIT=$(git rev-parse --short "$REV^{commit}")
	SRC=$OUT/src-rev
	B=$ROOT/build-ingest-rev
	rm -rf "$SRC"
	mkdir -p "$SRC"
	git archive "$COMMIT" | tar -x -m -C "$SRC"
	TREE="commit $COMMIT (clean export)"
else
	COMMIT=$(git rev-parse --short HEAD)
	SRC=$ROOT
	if git diff --quiet HEAD -- src/store.c src/util.c src/log.c \
	    src/model.c include CMakeLists.txt; then
		TREE="commit $COMMIT (working tree; store and util sources as committed)"
	else
		TREE="commit $COMMIT plus uncommitted changes to store or util sources"
	fi
fi
log "building feedd_store and feedd_util (Release) from $SRC in $B"
cmake -S "$SRC" -B "$B" -DCMAKE_BUILD_TYPE=Release >"$OUT/cmake.log" 2>&1 &&
    cmake --build "$B" -j2 --target feedd_store feedd_util \
    >>"$OUT/cmake.log" 2>&1 || { cat "$OUT/cmake.log" >&2; exit 1; }
# shellcheck disable=SC2046
cc -std=c11 -O2 -D_GNU_SOURCE -Wall -Wextra -I"$SRC/include" \
    -o "$B/ingest-many" "$ROOT/bench/ingest-many.c" \
    "$B/libfeedd_store.a" "$B/libfeedd_util.a" \
    $(pkg-config --libs sqlite3 jansson libcrypto libxxhash) -lpthread
cc -std=c11 -O2 -D_GNU_SOURCE -Wall -Wextra -o "$B/timeit" \
    "$ROOT/bench/timeit.c"
IM=$B/ingest-many

REC=$OUT/records
: >"$REC"
dbrm() { rm -f "$1" "$1-wal" "$1-shm" "$1-journal"; }

# feedd PER RUN MILESTONES: one ingest from an empty store.
feedd() {
	per=$1 run=$2 ms=$3 db=$OUT/feedd-$1.db
	dbrm "$db"
	sync
	k=20
	[ "$per" = 100 ] || k=0
	"$IM" -d "$db" -f "$per" -m "$ms" -k $k |
	    sed "s/^/feedd-$per $run /" >>"$REC"
}

# floor RUN N: the sqlite3 shell runs floor-N.sql into an empty database.
floor() {
	db=$OUT/floor.db
	dbrm "$db"
	cat "$OUT/floor-$2.sql" >/dev/null	# in the page cache
	sync
	"$B/timeit" -o "$OUT/last.time" sqlite3 -batch "$db" \
	    <"$OUT/floor-$2.sql" >"$OUT/last.out" 2>&1 ||
	    { cat "$OUT/last.out" >&2; exit 1; }
	got=$(sqlite3 "$db" 'SELECT count(*) FROM entries')
	[ "$got" = "$2" ] || { log "floor $2: $got rows"; exit 1; }
	echo "floor $1 $2 $(cat "$OUT/last.time")" >>"$REC"
	dbrm "$db"
}

# makefloor N DB: the first N entries feedd stored in DB, as the SQL the
# floor runs: the pragmas feedd's store_open sets, DB's own schema (so
# the same tables and indexes), then one transaction of INSERTs of the
# same rows (every column as feedd wrote it).
makefloor() {
	{
		echo "PRAGMA journal_mode = WAL;"
		echo "PRAGMA synchronous = NORMAL;"
		echo "PRAGMA foreign_keys = ON;"
		sqlite3 "$2" .schema
		echo "BEGIN;"
		sqlite3 "$2" ".mode insert feeds" "SELECT * FROM feeds WHERE
		    name IN (SELECT DISTINCT feed FROM entries WHERE
		    rowid <= $1) ORDER BY rowid"
		sqlite3 "$2" ".mode insert entries" "SELECT * FROM entries
		    WHERE rowid <= $1 ORDER BY rowid"
		echo "COMMIT;"
	} >"$OUT/floor-$1.sql"
}

ALLMS=$(echo $SIZES)
SMALLMS=$(echo $SMALL)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
T0=$(date +%s)
r=1
while [ "$r" -le "$RUNS" ]; do
	if [ $r = 1 ]; then ms=$ALLMS; else ms=$SMALLMS; fi
	log "run $r of $RUNS: feedd, 100 entries per commit, to ${ms##* }"
	feedd 100 $r "$ms"
	if [ $r = 1 ]; then
		db=$OUT/feedd-100.db
		log "writing the floor's SQL from feedd's rows (not timed)"
		for n in $SIZES; do
			makefloor "$n" "$db"
		done
		# What the dedup lookups of store.c (STORE_FIND_ENTRY,
		# STORE_FIND_BY_LINK, STORE_FIND_TOMB, copied) do.
		sqlite3 "$db" >"$OUT/plan.txt" <<-'EOF'
		EXPLAIN QUERY PLAN SELECT key, digest, link, title FROM entries WHERE feed = ?1 AND key = ?2;
		EXPLAIN QUERY PLAN SELECT key, digest, link, title FROM entries WHERE feed = ?1 AND link = ?2 AND title IS ?3 ORDER BY rowid DESC LIMIT 1;
		EXPLAIN QUERY PLAN SELECT key, '', NULL, NULL FROM tombstones WHERE feed = ?1 AND key = ?2;
		EOF
		sqlite3 -separator ' ' "$db" 'SELECT count(*),
		    avg(length(content)), avg(length(summary)),
		    avg(length(feed) + length(key) + length(digest) +
		    length(entry_id) + length(title) + length(title_type) +
		    length(link) + length(summary) + length(summary_type) +
		    length(content) + length(content_type) +
		    length(author_name) + length(author_email) +
		    ifnull(length(author_uri), 0) + length(published_raw) +
		    ifnull(length(updated_raw), 0) + 5 * 8) FROM entries;
		    PRAGMA page_size; PRAGMA page_count;' |
		    tr '\n' ' ' >"$OUT/rows.txt"
	fi
	dbrm "$OUT/feedd-100.db"
	log "run $r of $RUNS: feedd, 1000 entries per commit"
	feedd 1000 $r "$ms"
	dbrm "$OUT/feedd-1000.db"
	for n in $ms; do
		log "run $r of $RUNS: floor, $n rows"
		floor $r "$n"
	done
	r=$((r + 1))
done
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
ELAPSED=$(( $(date +%s) - T0 ))
for n in $SIZES; do
	echo "sqlbytes $n $(wc -c <"$OUT/floor-$n.sql")" >>"$REC"
	rm -f "$OUT/floor-$n.sql"
done

# --- report ------------------------------------------------------------------
CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
MEM=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
CC=$(cc --version | head -n 1)
SQLV=$(dpkg-query -W -f '${Version}' sqlite3 2>/dev/null || echo unknown)
LIBV=$(dpkg-query -W -f '${Version}' libsqlite3-0 2>/dev/null || echo unknown)
OSSLV=$(dpkg-query -W -f '${Version}' libssl3 2>/dev/null || echo unknown)
FS=$(df -hT "$OUT" | awk 'NR == 2 { print $2 ", " $5 " free" }')
$PY "$ROOT/bench/ingest-report.py" "$REC" \
    --plan "$OUT/plan.txt" --rows "$(cat "$OUT/rows.txt")" \
    --command "$CMDLINE" --runs "$RUNS" --max "$MAX" \
    --date "$(date -u '+%Y-%m-%d %H:%M UTC')" \
    --machine "$CPU, nproc $(nproc), $MEM RAM, Linux $(uname -r), $FS; load average $LOAD_START before, $LOAD_END after (the machine is shared: other benchmarks may have run meanwhile); $ELAPSED s for the whole run" \
    --build "feedd: $TREE, Release build of feedd_store and feedd_util ($(basename "$B"), $CC), libsqlite3-0 $LIBV, libssl3 $OSSLV; floor: sqlite3 $SQLV (Debian)" \
    >"$OUT/report.md"
cat "$OUT/report.md"
if [ "$WRITE" = 1 ]; then
	# One splicer for every bench: replace the section, or append it.
	$PY "$ROOT/bench/parse-report.py" --splice "$ROOT/docs/benchmarks.md" \
	    ingest-bench <"$OUT/report.md"
	log "wrote the ingest-bench section of docs/benchmarks.md"
fi
