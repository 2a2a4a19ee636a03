#!/bin/sh
# SPDX-License-Identifier: ISC
#
# Polling at scale: feedd against newsboat, sfeed_update and the floors
# (curl --parallel for the network, xmllint --stream for parsing), all on
# the same N generated feeds served by a private nginx on 127.0.0.1 with
# ETag and Last-Modified, all measured in this one run.  For each tool:
# the cold poll (every feed new) and the warm poll (nothing changed): wall
# time, CPU seconds, peak RSS, and from nginx's access log the requests,
# how many were conditional and how many were answered 304.  Prints a
# Markdown report and, unless --no-write, puts it in the poll section of
# docs/benchmarks.md.
#
#   sh bench/poll-bench.sh [--feeds 1000] [--parallel 32] [--runs 3]
#       [--peers "newsboat sfeed"] [--peer-runs 1] [--seed 1]
#       [--rev REV | --head] [--no-write]
#
# --runs: timed runs of feedd and the floors (median quoted); the peers
# are slow (newsboat: minutes per poll), so they run --peer-runs times.
# --peers "": feedd and the floors only.  Every feed is on one host, so
# the per-host cap of every tool that has one is --parallel.
# feedd is built from the working tree into build-pollbench; with --rev
# REV (--head: HEAD) from a clean export of that commit, into
# build-pollbench-rev.  The report replaces the part of the poll section
# (<!-- poll-bench:begin --> ... end) between <!-- poll-bench-NNNN:begin -->
# and its end marker, NNNN the feed count.  Work files go to bench/out/
# (gitignored); the feeds are reused while N, the seed and the generators
# are unchanged.  Needs root to install missing Debian packages.
set -eu

usage() {
	echo "usage: sh bench/poll-bench.sh [--feeds 1000] [--parallel 32]" \
	    "[--runs 3] [--peers 'newsboat sfeed'] [--peer-runs 1]" \
	    "[--seed 1] [--rev REV | --head] [--no-write]" >&2
	exit 2
}

FEEDS=1000
PAR=32
RUNS=3
PEERS="newsboat sfeed"
PEER_RUNS=1
SEED=1
REV=
WRITE=1
while [ $# -gt 0 ]; do
	case "$1" in
	--feeds) FEEDS=$2; shift 2 ;;
	--parallel) PAR=$2; shift 2 ;;
	--runs) RUNS=$2; shift 2 ;;
	--peers) PEERS=$2; shift 2 ;;
	--peer-runs) PEER_RUNS=$2; shift 2 ;;
	--seed) SEED=$2; shift 2 ;;
	--head) REV=HEAD; shift ;;
	--rev) REV=$2; shift 2 ;;
	--no-write) WRITE=0; shift ;;
	-h|--help) usage ;;
	*) echo "poll-bench: unknown argument: $1" >&2; usage ;;
	esac
done
for p in $PEERS; do
	case "$p" in
	newsboat|sfeed) ;;
	*) echo "poll-bench: unknown peer: $p" >&2; usage ;;
	esac
done
CMDLINE="sh bench/poll-bench.sh"
[ "$FEEDS" = 1000 ] || CMDLINE="$CMDLINE --feeds $FEEDS"
[ "$PAR" = 32 ] || CMDLINE="$CMDLINE --parallel $PAR"
[ "$RUNS" = 3 ] || CMDLINE="$CMDLINE --runs $RUNS"
[ "$PEERS" = "newsboat sfeed" ] || CMDLINE="$CMDLINE --peers '$PEERS'"
[ "$PEER_RUNS" = 1 ] || CMDLINE="$CMDLINE --peer-runs $PEER_RUNS"
[ "$SEED" = 1 ] || CMDLINE="$CMDLINE --seed $SEED"
[ -z "$REV" ] || CMDLINE="$CMDLINE --rev $REV"

cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY=/usr/bin/python3
OUT=$ROOT/bench/out
W=$OUT/poll-$FEEDS		# this run's work directory
COMMIT=$(git rev-parse --short "${REV:-HEAD}^{commit}")
log() { printf 'poll-bench: %s\n' "$*" >&2; }

# --- peers and server (Debian packages) --------------------------------------
missing=
command -v nginx >/dev/null 2>&1 || missing="$missing nginx-light"
command -v curl >/dev/null 2>&1 || missing="$missing curl"
command -v xmllint >/dev/null 2>&1 || missing="$missing libxml2-utils"
[ -x /usr/bin/time ] || missing="$missing time"
[ -x $PY ] || missing="$missing python3"
case " $PEERS " in *" newsboat "*)
	command -v newsboat >/dev/null 2>&1 || missing="$missing newsboat" ;;
esac
case " $PEERS " in *" sfeed "*)
	command -v sfeed_update >/dev/null 2>&1 || missing="$missing sfeed" ;;
esac
if [ -n "$missing" ]; then
	if [ "$(id -u)" != 0 ]; then
		log "missing:$missing; run: apt-get install$missing"
		exit 1
	fi
	log "installing:$missing"
	apt-get install -y $missing >&2 ||
	    { apt-get update >&2 && apt-get install -y $missing >&2; }
fi

# --- build feedd (Release) and the timer ------------------------------------
mkdir -p "$OUT"
if [ -n "$REV" ]; then
	SRC=$OUT/poll-src-rev
	B=$ROOT/build-pollbench-rev
	rm -rf "$SRC"
	mkdir -p "$SRC"
	git archive "$COMMIT" | tar -x -m -C "$SRC"
else
	SRC=$ROOT
	B=$ROOT/build-pollbench
fi
log "building feedd (Release) from $SRC in $B"
try=1
until cmake -S "$SRC" -B "$B" -DCMAKE_BUILD_TYPE=Release >"$OUT/poll-cmake.log" 2>&1 &&
    cmake --build "$B" -j2 --target feedd >>"$OUT/poll-cmake.log" 2>&1; do
	if [ $try -ge 3 ]; then
		cat "$OUT/poll-cmake.log" >&2
		log "Release build failed $try times; giving up"
		exit 1
	fi
	log "Release build failed (work in progress elsewhere?); retry in 60 s"
	try=$((try + 1))
	sleep 60
done
FEEDD=$B/feedd
TIMEIT=$B/poll-timeit
cc -std=c11 -O2 -D_GNU_SOURCE -Wall -Wextra -o "$TIMEIT" "$ROOT/bench/timeit.c"
# feedd's parser alone over the same files (the parse benchmark's driver),
# to tell parsing from the rest of a cold poll; optional.
PARSE_MANY=$B/poll-parse-many
# shellcheck disable=SC2046
cc -std=c11 -O2 -D_GNU_SOURCE -Wall -Wextra -I"$SRC/include" \
    $(pkg-config --cflags libxml-2.0) -o "$PARSE_MANY" \
    "$ROOT/bench/parse-many.c" "$B/libfeedd_parse.a" "$B/libfeedd_util.a" \
    $(pkg-config --libs libxml-2.0 libcurl jansson libcrypto libxxhash) -lm \
    2>"$OUT/poll-parse-many.log" || {
	log "bench/parse-many.c did not build against $B; no parse-only row"
	PARSE_MANY=
}

# --- feeds -------------------------------------------------------------------
CORPUS=$OUT/poll-feeds-$FEEDS-seed$SEED
if [ ! -s "$CORPUS/MANIFEST" ] || [ "$ROOT/bench/poll-gen.py" -nt "$CORPUS/MANIFEST" ] ||
    [ "$ROOT/bench/gen-feeds.py" -nt "$CORPUS/MANIFEST" ]; then
	log "generating $FEEDS feeds in $CORPUS"
	rm -rf "$CORPUS"
	$PY "$ROOT/bench/poll-gen.py" "$CORPUS" --feeds "$FEEDS" --seed "$SEED"
fi

# --- nginx on 127.0.0.1 -----------------------------------------------------
rm -rf "$W"
mkdir -p "$W/nginx/tmp" "$W/logs"
PORT=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE=http://127.0.0.1:$PORT
ACCESS=$W/nginx/access.log
# $pb_inm / $pb_ims: 1 when the request carried If-None-Match /
# If-Modified-Since; first on the line so that awk can split on blanks.
cat >"$W/nginx/nginx.conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
error_log $W/nginx/error.log;
pid $W/nginx/nginx.pid;
events { worker_connections 4096; }
http {
	types { text/xml xml; }
	default_type application/octet-stream;
	map \$http_if_none_match \$pb_inm { "" 0; default 1; }
	map \$http_if_modified_since \$pb_ims { "" 0; default 1; }
	log_format pb '\$status \$body_bytes_sent \$connection \$pb_inm \$pb_ims '
	    '\$request_uri "\$http_if_none_match" "\$http_if_modified_since" '
	    '"\$http_user_agent"';
	access_log $ACCESS pb;
	client_body_temp_path $W/nginx/tmp;
	proxy_temp_path $W/nginx/tmp;
	fastcgi_temp_path $W/nginx/tmp;
	uwsgi_temp_path $W/nginx/tmp;
	scgi_temp_path $W/nginx/tmp;
	sendfile on;
	server {
		listen 127.0.0.1:$PORT;
		root $CORPUS;
		etag on;
		if_modified_since exact;
	}
}
EOF
nginx -c "$W/nginx/nginx.conf" -p "$W/nginx/" >"$W/nginx/stderr" 2>&1 &
NGINX_PID=$!
trap 'kill $NGINX_PID 2>/dev/null || :' EXIT
trap 'exit 130' INT TERM
i=0
until curl -s -o /dev/null "$BASE/MANIFEST" 2>/dev/null; do
	i=$((i + 1))
	if [ $i -ge 50 ] || ! kill -0 $NGINX_PID 2>/dev/null; then
		cat "$W/nginx/stderr" "$W/nginx/error.log" >&2 || :
		log "nginx did not start"
		exit 1
	fi
	sleep 0.1
done
log "nginx (pid $NGINX_PID) serving $CORPUS on $BASE"

# --- per-tool configuration -------------------------------------------------
NAMES=$W/names
cut -f1 "$CORPUS/MANIFEST" | sed 's/\.xml$//' >"$NAMES"
cut -f1 "$CORPUS/MANIFEST" | sed "s|^|$CORPUS/|" >"$W/files"

{
	printf '[feedd]\ndatabase = feedd.db\ndefault_interval = 1h\n'
	printf 'max_parallel = %s\nper_host = %s\nblock_private = no\n' "$PAR" "$PAR"
	# Polling is measured: no RFC 5005 archive pages (the peers write none).
	printf '[output]\ndirectory = out\nmax_entries = 200\narchive = no\n'
	printf '[http]\nlisten =\n'
	awk -v b="$BASE" '{ printf "[feed %s]\nurl = %s/%s.xml\n", $1, b, $1 }' "$NAMES"
} >"$W/feedd.conf"
"$FEEDD" check -c "$W/feedd.conf" >&2

awk -v b="$BASE" '{ printf "url = \"%s/%s.xml\"\noutput = \"/dev/null\"\n", b, $1 }' \
    "$NAMES" >"$W/curl-cold.cfg"

mkdir -p "$W/newsboat"
awk -v b="$BASE" '{ print b "/" $1 ".xml" }' "$NAMES" >"$W/newsboat/urls"
printf 'reload-threads %s\n' "$PAR" >"$W/newsboat/config"
# newsboat wants a HOME and XDG directories: all in the work directory.
cat >"$W/newsboat/run.sh" <<EOF
export HOME="$W/newsboat/home" XDG_CONFIG_HOME="$W/newsboat/home/.config" \\
    XDG_DATA_HOME="$W/newsboat/home/.local/share"
exec timeout 3600 newsboat -u "$W/newsboat/urls" -c "$W/newsboat/cache.db" \\
    -C "$W/newsboat/config" -x reload
EOF

mkdir -p "$W/sfeed"
{
	printf 'sfeedpath="%s/sfeed/feeds"\nmaxjobs=%s\nfeeds() {\n' "$W" "$PAR"
	awk -v b="$BASE" '{ printf "\tfeed \"%s\" \"%s/%s.xml\"\n", $1, b, $1 }' "$NAMES"
	printf '}\n'
} >"$W/sfeed/sfeedrc"

# --- measuring ----------------------------------------------------------------
REC=$W/records
: >"$REC"
nginx_cpu() {	# nginx's user + sys CPU so far, in clock ticks
	awk '{ print $14 + $15 }' "/proc/$NGINX_PID/stat"
}
# measure TOOL PHASE RUN CMD...: one timed run (bench/timeit.c) with its
# slice of the access log; appends to records "TOOL PHASE RUN wall user
# sys maxrss_kib requests conditional inm ims s304 s200 sother bytes
# connections nginx_cpu_s"; the command's stdout/stderr go to
# logs/TOOL-PHASE-RUN.{out,err}.
measure() {
	tool=$1 phase=$2 run=$3
	shift 3
	base=$W/logs/$tool-$phase-$run
	l0=$(wc -l <"$ACCESS")
	c0=$(nginx_cpu)
	st=0
	"$TIMEIT" -o "$base.time" "$@" >"$base.out" 2>"$base.err" || st=$?
	c1=$(nginx_cpu)
	tail -n +$((l0 + 1)) "$ACCESS" >"$base.access"
	if [ $st -ne 0 ]; then
		log "$tool $phase run $run exited with status $st (see $base.err)"
		tail -n 5 "$base.err" >&2
	fi
	awk -v t="$tool" -v p="$phase" -v r="$run" -v st="$st" \
	    -v cpu="$(awk -v a="$c0" -v b="$c1" -v hz="$(getconf CLK_TCK)" \
	    'BEGIN { printf "%.2f", (b - a) / hz }')" \
	    -v tm="$(cat "$base.time" 2>/dev/null || echo '0 0 0 0')" '
	    { n++; inm += $4; ims += $5; if ($4 || $5) c++
	      if ($1 == 304) s304++; else if ($1 == 200) s200++; else so++
	      bytes += $2; conn[$3] = 1 }
	    END { nc = 0; for (k in conn) nc++
		print t, p, r, tm, n + 0, c + 0, inm + 0, ims + 0, s304 + 0,
		    s200 + 0, so + 0, bytes + 0, nc, cpu, st }' \
	    "$base.access" >>"$REC"
}

log "warming the page cache and nginx"
cat "$CORPUS"/*.xml >/dev/null
curl --parallel --parallel-max "$PAR" --no-progress-meter -K "$W/curl-cold.cfg" >/dev/null
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
T_START=$(date +%s)

r=1
while [ $r -le "$RUNS" ]; do
	# network floor: every feed fetched, bodies dropped; the validators
	# it got back make the conditional requests of the warm floor.
	measure curl cold $r curl --parallel --parallel-max "$PAR" --no-progress-meter \
	    -K "$W/curl-cold.cfg" \
	    -w '%{url_effective}\t%{http_code}\t%header{etag}\t%header{last-modified}\n'
	awk -F'\t' '{ gsub(/"/, "\\\"", $3)
	    if (n++) print "next"
	    printf "url = \"%s\"\noutput = \"/dev/null\"\n", $1
	    if ($3 != "") printf "header = \"If-None-Match: %s\"\n", $3
	    if ($4 != "") printf "header = \"If-Modified-Since: %s\"\n", $4 }' \
	    "$W/logs/curl-cold-$r.out" >"$W/curl-warm.cfg"
	measure curl warm $r curl --parallel --parallel-max "$PAR" --no-progress-meter \
	    -K "$W/curl-warm.cfg"
	# parse floor: one xmllint over every file, from the page cache
	measure xmllint cold $r sh -c 'cd "$1" && exec xmllint --stream --noout f*.xml' \
	    sh "$CORPUS"
	if [ -n "$PARSE_MANY" ]; then
		measure feedd-parse cold $r "$PARSE_MANY" -l "$W/files"
	fi
	# feedd: fresh database, then the same database again
	rm -rf "$W/feedd.db" "$W/feedd.db-wal" "$W/feedd.db-shm" "$W/out"
	measure feedd cold $r "$FEEDD" once -c "$W/feedd.conf"
	measure feedd warm $r "$FEEDD" once -c "$W/feedd.conf"
	if [ $r -le "$PEER_RUNS" ]; then
		for p in $PEERS; do
			case $p in
			newsboat)
				rm -rf "$W/newsboat/home" "$W/newsboat/cache.db"*
				mkdir -p "$W/newsboat/home/.config" \
				    "$W/newsboat/home/.local/share"
				measure newsboat cold $r sh "$W/newsboat/run.sh"
				if command -v sqlite3 >/dev/null 2>&1; then
					echo "newsboat-items $r $(sqlite3 "$W/newsboat/cache.db" \
					    'select count(*) from rss_item')" >>"$REC"
				fi
				measure newsboat warm $r sh "$W/newsboat/run.sh"
				;;
			sfeed)
				rm -rf "$W/sfeed/feeds"
				measure sfeed cold $r sfeed_update "$W/sfeed/sfeedrc"
				echo "sfeed-items $r $(cat "$W/sfeed/feeds"/* | wc -l)" >>"$REC"
				measure sfeed warm $r sfeed_update "$W/sfeed/sfeedrc"
				;;
			esac
		done
	fi
	log "run $r of $RUNS done ($(($(date +%s) - T_START)) s so far)"
	r=$((r + 1))
done
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
kill $NGINX_PID 2>/dev/null || :
wait $NGINX_PID 2>/dev/null || :
trap - EXIT

# --- report ---------------------------------------------------------------------
export PB_W="$W" PB_CORPUS="$CORPUS" PB_FEEDS="$FEEDS" PB_PAR="$PAR" \
    PB_RUNS="$RUNS" PB_PEERS="$PEERS" PB_PEER_RUNS="$PEER_RUNS" \
    PB_SEED="$SEED" PB_CMDLINE="$CMDLINE" PB_COMMIT="$COMMIT" PB_REV="$REV" \
    PB_BUILD="$B" PB_ROOT="$ROOT" PB_ELAPSED=$(($(date +%s) - T_START)) \
    PB_LOAD="$LOAD_START before the timed runs, $LOAD_END after"
$PY "$ROOT/bench/poll-report.py" >"$W/report.md"
cat "$W/report.md"
if [ "$WRITE" = 1 ]; then
	$PY "$ROOT/bench/poll-report.py" --splice "$ROOT/docs/benchmarks.md" \
	    "poll-bench-$FEEDS" <"$W/report.md"
	log "wrote the $FEEDS-feed part of the poll section of docs/benchmarks.md"
fi
