#!/bin/sh
# SPDX-License-Identifier: ISC
#
# Parse throughput and peak RSS: feedd against sfeed, python3-feedparser
# and `xmllint --stream --noout`, all measured in this one run on the same
# generated corpus.  Prints a Markdown report and, unless --no-write,
# replaces the parse section of docs/benchmarks.md with it.
#
#   sh bench/parse-bench.sh [--size-mb 100] [--runs 5] [--py-mb 12]
#       [--mem-mb "1 10 100"] [--seed 1] [--rev REV | --head]
#       [--label TEXT] [--section NAME] [--no-write]
#
# feedd is built from the working tree into build-bench; with --rev REV
# (--head: --rev HEAD), from a clean export of that commit into
# build-bench-rev instead, so that others' uncommitted work in progress is
# not what gets measured.  The report replaces the part of
# docs/benchmarks.md between <!-- NAME:begin --> and <!-- NAME:end -->
# (NAME: parse-bench unless --section), appending it if absent.
# Work files go to bench/out/ (gitignored); the corpus is reused while its
# parameters and bench/gen-feeds.py are unchanged.
set -eu

usage() {
	echo "usage: sh bench/parse-bench.sh [--size-mb 100] [--runs 5]" \
	    "[--py-mb 12] [--mem-mb '1 10 100'] [--seed 1]" \
	    "[--rev REV | --head] [--label TEXT] [--section NAME]" \
	    "[--no-write]" >&2
	exit 2
}

SIZE_MB=100
RUNS=5
PY_MB=12
MEM_MB="1 10 100"
SEED=1
LABEL=
WRITE=1
REV=
SECTION=parse-bench
while [ $# -gt 0 ]; do
	case "$1" in
	--size-mb) SIZE_MB=$2; shift 2 ;;
	--runs) RUNS=$2; shift 2 ;;
	--py-mb) PY_MB=$2; shift 2 ;;
	--mem-mb) MEM_MB=$2; shift 2 ;;
	--seed) SEED=$2; shift 2 ;;
	--label) LABEL=$2; shift 2 ;;
	--no-write) WRITE=0; shift ;;
	--head) REV=HEAD; shift ;;
	--rev) REV=$2; shift 2 ;;
	--section) SECTION=$2; shift 2 ;;
	-h|--help) usage ;;
	*) echo "parse-bench: unknown argument: $1" >&2; usage ;;
	esac
done
CMDLINE="sh bench/parse-bench.sh"
[ "$SIZE_MB" = 100 ] || CMDLINE="$CMDLINE --size-mb $SIZE_MB"
[ "$RUNS" = 5 ] || CMDLINE="$CMDLINE --runs $RUNS"
[ "$PY_MB" = 12 ] || CMDLINE="$CMDLINE --py-mb $PY_MB"
[ "$MEM_MB" = "1 10 100" ] || CMDLINE="$CMDLINE --mem-mb '$MEM_MB'"
[ "$SEED" = 1 ] || CMDLINE="$CMDLINE --seed $SEED"
[ -z "$REV" ] || CMDLINE="$CMDLINE --rev $REV"
[ "$SECTION" = parse-bench ] || CMDLINE="$CMDLINE --section $SECTION"
[ -z "$LABEL" ] || CMDLINE="$CMDLINE --label '$LABEL'"

cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY=/usr/bin/python3		# Debian's, where python3-feedparser lives
TIME=/usr/bin/time
OUT=$ROOT/bench/out
COMMIT=$(git rev-parse --short "${REV:-HEAD}^{commit}")
if [ -n "$REV" ]; then
	SRC=$OUT/src-rev
	B=$ROOT/build-bench-rev
	rm -rf "$SRC"
	mkdir -p "$SRC"
	# -m: fresh mtimes, or make keeps objects built from another commit
	git archive "$COMMIT" | tar -x -m -C "$SRC"
else
	SRC=$ROOT
	B=$ROOT/build-bench
fi
log() { printf 'parse-bench: %s\n' "$*" >&2; }

# --- peers (Debian packages) -----------------------------------------------
missing=
command -v sfeed >/dev/null 2>&1 || missing="$missing sfeed"
command -v xmllint >/dev/null 2>&1 || missing="$missing libxml2-utils"
[ -x $TIME ] || missing="$missing time"
[ -x $PY ] || missing="$missing python3"
$PY -c 'import feedparser' 2>/dev/null || missing="$missing python3-feedparser"
if [ -n "$missing" ]; then
	if [ "$(id -u)" != 0 ]; then
		log "missing:$missing; run: apt-get install$missing"
		exit 1
	fi
	log "installing:$missing"
	apt-get install -y $missing >&2 ||
	    { apt-get update >&2 && apt-get install -y $missing >&2; }
fi

# --- build: feedd in Release, then the driver against its libraries -------
mkdir -p "$OUT"
log "building feedd (Release) from $SRC in $B"
try=1
until cmake -S "$SRC" -B "$B" -DCMAKE_BUILD_TYPE=Release >"$OUT/cmake.log" 2>&1 &&
    cmake --build "$B" -j2 --target feedd >>"$OUT/cmake.log" 2>&1; do
	if [ $try -ge 3 ]; then
		cat "$OUT/cmake.log" >&2
		log "Release build failed $try times; giving up"
		exit 1
	fi
	log "Release build failed (work in progress elsewhere?); retry in 60 s"
	try=$((try + 1))
	sleep 60
done
# shellcheck disable=SC2046
cc -std=c11 -O2 -D_GNU_SOURCE -Wall -Wextra -I"$SRC/include" \
    $(pkg-config --cflags libxml-2.0) -o "$B/parse-many" \
    "$ROOT/bench/parse-many.c" "$B/libfeedd_parse.a" "$B/libfeedd_util.a" \
    $(pkg-config --libs libxml-2.0 libcurl jansson libcrypto libxxhash) -lm
cc -std=c11 -O2 -D_GNU_SOURCE -Wall -Wextra -o "$B/timeit" \
    "$ROOT/bench/timeit.c"

# --- corpus --------------------------------------------------------------
GEN=$ROOT/bench/gen-feeds.py
CORPUS=$OUT/corpus-${SIZE_MB}mb-seed$SEED
if [ ! -s "$CORPUS/MANIFEST" ] || [ "$GEN" -nt "$CORPUS/MANIFEST" ]; then
	log "generating $CORPUS"
	rm -rf "$CORPUS"
	$PY "$GEN" corpus "$CORPUS" --size-mb "$SIZE_MB" --seed "$SEED"
fi
cut -f1 "$CORPUS/MANIFEST" | sed "s|^|$CORPUS/|" >"$OUT/all.list"
NFILES=$(wc -l <"$OUT/all.list")
# feedparser's subset: the first files, up to PY_MB.
awk -F'\t' -v lim="$PY_MB" -v dir="$CORPUS" \
    'n < lim * 1e6 { print dir "/" $1; n += $2 }' \
    "$CORPUS/MANIFEST" >"$OUT/py.list"
for mb in $MEM_MB; do
	f=$OUT/single-${mb}mb-seed$SEED.xml
	if [ ! -s "$f" ] || [ "$GEN" -nt "$f" ]; then
		$PY "$GEN" single "$f" --size-mb "$mb" --seed "$SEED"
	fi
done
# sfeed start-up: a one-item feed, parsed once per corpus file.
cat >"$OUT/tiny.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>t</title><link>https://example.com/</link>
<item><title>x</title><link>https://example.com/1</link></item>
</channel></rss>
EOF
awk -v f="$OUT/tiny.xml" '{ print f }' "$OUT/all.list" >"$OUT/tiny.list"

# --- commands --------------------------------------------------------------
PM=$B/parse-many
SFEED_LOOP='while IFS= read -r f; do sfeed <"$f" >/dev/null; done <"$1"'
FP_CODE='import feedparser,sys
print(sum(len(feedparser.parse(f).entries) for f in sys.argv[1:]))'

REC=$OUT/records
: >"$REC"
# measure TOOL RUN CMD...: one timed run (bench/timeit.c: microseconds);
# "TOOL RUN wall user sys maxrss_kib" goes to records, the command's stdout
# to $OUT/last.out.
measure() {
	tool=$1 run=$2
	shift 2
	if ! "$B/timeit" -o "$OUT/last.time" "$@" \
	    >"$OUT/last.out" 2>"$OUT/last.err"; then
		log "$tool failed:"
		cat "$OUT/last.err" "$OUT/last.time" >&2
		exit 1
	fi
	echo "$tool $run $(tail -n 1 "$OUT/last.time")" >>"$REC"
}

log "warming the page cache and counting entries"
xargs cat <"$OUT/all.list" >/dev/null
"$PM" -l "$OUT/all.list" >"$OUT/feedd.count"
SFEED_ENTRIES=$(while IFS= read -r f; do sfeed <"$f"; done <"$OUT/all.list" |
    wc -l)
# shellcheck disable=SC2046
xmllint --stream --noout $(cat "$OUT/all.list")

log "timing $RUNS runs of each, interleaved"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
r=0
while [ $r -le "$RUNS" ]; do	# run 0 is a warm-up, not reported
	measure feedd $r "$PM" -l "$OUT/all.list"
	[ $r -eq 0 ] || cat "$OUT/last.out" >>"$OUT/feedd.runs"
	# shellcheck disable=SC2046
	measure xmllint $r xmllint --stream --noout $(cat "$OUT/all.list")
	measure sfeed $r sh -c "$SFEED_LOOP" sh "$OUT/all.list"
	measure sfeed-startup $r sh -c "$SFEED_LOOP" sh "$OUT/tiny.list"
	# shellcheck disable=SC2046
	measure feedparser $r $PY -c "$FP_CODE" $(cat "$OUT/py.list")
	FP_ENTRIES=$(cat "$OUT/last.out")
	measure feedparser-startup $r $PY -c "$FP_CODE"
	log "run $r of $RUNS done"
	r=$((r + 1))
done

# memory TOOL CMD...: peak RSS from `/usr/bin/time -v`; "TOOL 0 wall user
# sys maxrss_kib" goes to records, the command's stdout to $OUT/last.out.
memory() {
	tool=$1
	shift
	if ! $TIME -v -o "$OUT/last.time" "$@" >"$OUT/last.out" \
	    2>"$OUT/last.err"; then
		log "$tool failed:"
		cat "$OUT/last.err" "$OUT/last.time" >&2
		exit 1
	fi
	awk -F': ' -v t="$tool" '
	    /Elapsed \(wall clock\)/ {
		n = split($2, a, ":"); w = 0
		for (i = 1; i <= n; i++) w = w * 60 + a[i]
	    }
	    /User time/ { u = $2 }
	    /System time/ { s = $2 }
	    /Maximum resident set size/ { m = $2 }
	    END { print t, 0, w, u, s, m }' "$OUT/last.time" >>"$REC"
}

LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
log "peak RSS on one feed of $MEM_MB MB"
for mb in $MEM_MB; do
	f=$OUT/single-${mb}mb-seed$SEED.xml
	# streamed (entries taken one by one), collected (the daemon's
	# way), and `feedd parse` (streamed into its temporary file)
	memory "mem-feedd-$mb" "$PM" -m "$f"
	echo "mem-feedd-count-$mb $(cat "$OUT/last.out")" >>"$REC"
	memory "mem-feedd-collect-$mb" "$PM" -c -m "$f"
	echo "mem-feedd-collect-count-$mb $(cat "$OUT/last.out")" >>"$REC"
	memory "mem-feedd-verb-$mb" sh -c 'exec "$1" parse "$2" >/dev/null' \
	    sh "$B/feedd" "$f"
	memory "mem-xmllint-$mb" xmllint --stream --noout "$f"
	memory "mem-sfeed-$mb" sh -c 'exec sfeed <"$1" >/dev/null' sh "$f"
	if [ "$mb" -le 10 ] 2>/dev/null; then
		memory "mem-feedparser-$mb" $PY -c "$FP_CODE" "$f"
	fi
done
memory mem-feedd-empty "$PM"

# --- report ----------------------------------------------------------------
if grep -q -i 'placeholder' "$SRC/src/parse-html.c" 2>/dev/null; then
	: "${LABEL:=before sanitizing (src/parse-html.c is a passthrough placeholder)}"
else
	: "${LABEL:=with sanitizing}"
fi
export BENCH_RECORDS="$REC" BENCH_MANIFEST="$CORPUS/MANIFEST" \
    BENCH_PY_LIST="$OUT/py.list" BENCH_FEEDD_COUNT="$OUT/feedd.count" \
    BENCH_SFEED_ENTRIES="$SFEED_ENTRIES" BENCH_FP_ENTRIES="$FP_ENTRIES" \
    BENCH_NFILES="$NFILES" BENCH_RUNS="$RUNS" BENCH_MEM_MB="$MEM_MB" \
    BENCH_SEED="$SEED" BENCH_SIZE_MB="$SIZE_MB" BENCH_LABEL="$LABEL" BENCH_CMDLINE="$CMDLINE" \
    BENCH_OUT="$OUT" BENCH_ROOT="$ROOT" BENCH_REV="$REV" \
    BENCH_COMMIT="$COMMIT" \
    BENCH_LOAD="$LOAD_START before the timed runs, $LOAD_END after"
$PY "$ROOT/bench/parse-report.py" >"$OUT/report.md"
cat "$OUT/report.md"
if [ "$WRITE" = 1 ]; then
	$PY "$ROOT/bench/parse-report.py" --splice "$ROOT/docs/benchmarks.md" \
	    "$SECTION" <"$OUT/report.md"
	log "wrote section $SECTION of docs/benchmarks.md"
fi
