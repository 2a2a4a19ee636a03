#!/bin/sh
# SPDX-License-Identifier: ISC
#
# Serving: (1) the time to rebuild every output (feed.atom, feed.rss,
# feed.json, two tag feeds in each format, index.html, status.atom,
# feeds.opml) for 200, 2,000 and 20,000 entries, the way feedd does after
# a burst of polls: emit_now writing each file and publishing it to the
# HTTP server, which gzips it once; and (2) requests per second under wrk
# on loopback for a 304 (If-None-Match) and for a full gzip response of
# /feed.atom (200 entries), against nginx serving the very same bytes
# (the floor).  Prints a Markdown report and, unless --no-write, replaces
# the serve-bench section of docs/benchmarks.md with it.
#
#   sh bench/serve-bench.sh [--runs R] [--duration S] [--max N] [--no-write]
#
# --runs: rebuilds per size and wrk runs per case (default 5; medians).
# --duration: seconds per wrk run (default 5).  --max caps the rebuild
# sizes (200, 2000 or 20000, the default).  Stores come from
# bench/ingest-many (the ingest bench's generator: ~2 KB HTML bodies);
# feedd is built (Release) from the working tree into build-serve; work
# files go to bench/out/serve/ (gitignored).  Only 127.0.0.1 is used.
set -eu

usage() {
	echo "usage: sh bench/serve-bench.sh [--runs R] [--duration S]" \
	    "[--max N] [--no-write]" >&2
	exit 2
}

RUNS=5
DUR=5
MAX=20000
WRITE=1
while [ $# -gt 0 ]; do
	case "$1" in
	--runs) RUNS=$2; shift 2 ;;
	--duration) DUR=$2; shift 2 ;;
	--max) MAX=$2; shift 2 ;;
	--no-write) WRITE=0; shift ;;
	-h|--help) usage ;;
	*) echo "serve-bench: unknown argument: $1" >&2; usage ;;
	esac
done
case "$MAX" in 200|2000|20000) ;; *) usage ;; esac
[ "$RUNS" -ge 1 ] 2>/dev/null && [ "$DUR" -ge 1 ] 2>/dev/null || usage
CMDLINE="sh bench/serve-bench.sh"
[ "$RUNS" = 5 ] || CMDLINE="$CMDLINE --runs $RUNS"
[ "$DUR" = 5 ] || CMDLINE="$CMDLINE --duration $DUR"
[ "$MAX" = 20000 ] || CMDLINE="$CMDLINE --max $MAX"

cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=$ROOT/bench/out/serve
B=$ROOT/build-serve
PY=/usr/bin/python3
log() { printf 'serve-bench: %s\n' "$*" >&2; }
rm -rf "$OUT"
mkdir -p "$OUT"
PIDS=
cleanup() {
	for p in $PIDS; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- tools (Debian packages) ---------------------------------------------------
for tool in wrk:wrk nginx:nginx-light curl:curl; do
	command -v "${tool%%:*}" >/dev/null 2>&1 && continue
	if [ "$(id -u)" != 0 ]; then
		log "missing ${tool%%:*}; run: apt-get install ${tool#*:}"
		exit 1
	fi
	apt-get install -y "${tool#*:}" >&2 ||
	    { apt-get update >&2 && apt-get install -y "${tool#*:}" >&2; }
done

# --- build -------------------------------------------------------------------
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if git diff --quiet HEAD -- src include CMakeLists.txt 2>/dev/null; then
	TREE="commit $COMMIT"
else
	TREE="commit $COMMIT plus uncommitted changes"
fi
log "building feedd (Release) in $B"
cmake -S "$ROOT" -B "$B" -DCMAKE_BUILD_TYPE=Release -DFEEDD_SANITIZE=OFF \
    >"$OUT/cmake.log" 2>&1 &&
    cmake --build "$B" -j2 --target feedd feedd_emit feedd_http \
    feedd_store feedd_config feedd_util >>"$OUT/cmake.log" 2>&1 ||
    { cat "$OUT/cmake.log" >&2; exit 1; }
# shellcheck disable=SC2046
cc -std=c11 -O2 -D_GNU_SOURCE -Wall -Wextra -I"$ROOT/include" \
    -o "$B/serve-emit" "$ROOT/bench/serve-emit.c" \
    -Wl,--start-group "$B"/libfeedd_*.a -Wl,--end-group \
    $(pkg-config --libs libcurl libevent_core libevent_extra libxml-2.0 \
    sqlite3 inih jansson libcrypto libxxhash zlib libsystemd)
# shellcheck disable=SC2046
cc -std=c11 -O2 -D_GNU_SOURCE -Wall -Wextra -I"$ROOT/include" \
    -o "$B/ingest-many" "$ROOT/bench/ingest-many.c" \
    "$B/libfeedd_store.a" "$B/libfeedd_util.a" \
    $(pkg-config --libs sqlite3 jansson libcrypto libxxhash) -lpthread

REC=$OUT/records
: >"$REC"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
T0=$(date +%s)

# config N: a config over store N, every entry in every output; feeds
# alternately tagged even and odd, so two tag feeds are built too.
config() {
	n=$1
	cat <<-EOF
	[feedd]
	database = $OUT/s$n.db

	[output]
	directory = $OUT/out$n
	title = Bench river
	max_entries = $n

	[http]
	listen = 127.0.0.1:0
	EOF
	i=0
	while [ $i -lt $((n / 100)) ]; do
		f=$(printf '%05d' $i)
		tag=even
		[ $((i % 2)) = 0 ] || tag=odd
		printf '\n[feed feed-%s]\nurl = https://feed%s.example.org/feed\ntags = %s\n' \
		    "$f" "$f" "$tag"
		i=$((i + 1))
	done
}

# --- 1. rebuilds ---------------------------------------------------------------
SIZES=
for n in 200 2000 20000; do
	[ "$n" -le "$MAX" ] && SIZES="$SIZES $n"
done
for n in $SIZES; do
	log "store of $n entries"
	"$B/ingest-many" -d "$OUT/s$n.db" -f 100 -m "$n" -k 0 >/dev/null
	config "$n" >"$OUT/s$n.conf"
	r=1
	while [ $r -le "$RUNS" ]; do
		log "rebuild $r of $RUNS, $n entries"
		rm -rf "$OUT/out$n"
		sync
		"$B/serve-emit" -c "$OUT/s$n.conf" |
		    sed "s/^/rebuild $n $r /" >>"$REC"
		r=$((r + 1))
	done
	du -sb "$OUT/out$n" | awk -v n="$n" '{ print "outbytes", n, $1 }' \
	    >>"$REC"
	echo "outfiles $n $(find "$OUT/out$n" -type f | wc -l)" >>"$REC"
	[ "$n" = 200 ] || rm -rf "$OUT/s$n.db" "$OUT/s$n.db-wal" \
	    "$OUT/s$n.db-shm" "$OUT/out$n"
done

# --- 2. serving ------------------------------------------------------------------
free_port() {
	$PY -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}
[ -f "$OUT/s200.db" ] ||
    "$B/ingest-many" -d "$OUT/s200.db" -f 100 -m 200 -k 0 >/dev/null
FPORT=$(free_port)
cat >"$OUT/serve.conf" <<EOF
[feedd]
database = $OUT/s200.db

[output]
directory = $OUT/serve-out
title = Bench river
max_entries = 200

[http]
listen = 127.0.0.1:$FPORT
EOF
"$B/feedd" run -c "$OUT/serve.conf" >"$OUT/feedd.log" 2>&1 &
PIDS="$PIDS $!"
FURL=http://127.0.0.1:$FPORT/feed.atom
i=0
until curl -fsS -o "$OUT/feed.atom" "$FURL" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 100 ] || { log "feedd does not serve"; cat "$OUT/feedd.log" >&2; exit 1; }
	sleep 0.1
done
curl -fsS -H 'Accept-Encoding: gzip' -o "$OUT/feed.atom.gz" "$FURL"

# nginx, the floor: the same two files, Debian's stock settings for
# static files (sendfile, tcp_nopush, tcp_nodelay), ETags, gzip_static;
# one worker like feedd's one thread; keep-alive not cut at 1000.
NPORT=$(free_port)
N=$OUT/nginx
mkdir -p "$N/root" "$N/tmp"
cp "$OUT/feed.atom" "$OUT/feed.atom.gz" "$N/root/"
touch -r "$N/root/feed.atom" "$N/root/feed.atom.gz"
cat >"$N/nginx.conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
error_log $N/error.log warn;
pid $N/nginx.pid;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $N/tmp;
    proxy_temp_path $N/tmp;
    fastcgi_temp_path $N/tmp;
    uwsgi_temp_path $N/tmp;
    scgi_temp_path $N/tmp;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_requests 1000000;
    types { application/atom+xml atom; }
    charset utf-8;
    charset_types application/atom+xml;
    server {
        listen 127.0.0.1:$NPORT;
        root $N/root;
        etag on;
        gzip_static on;
        gzip_vary on;
        add_header Cache-Control "max-age=60";
    }
}
EOF
nginx -p "$N" -c "$N/nginx.conf" >"$N/out" 2>&1 &
PIDS="$PIDS $!"
NURL=http://127.0.0.1:$NPORT/feed.atom
i=0
until curl -fsS -o /dev/null "$NURL" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 100 ] || { log "nginx does not serve"; cat "$N/out" >&2; exit 1; }
	sleep 0.1
done

# Both answer as the bench assumes: the same gzip bytes, and a 304.
etag() {
	curl -fsS -D - -o /dev/null "$@" | tr -d '\r' | sed -n 's/^ETag: //Ip'
}
FETAG=$(etag "$FURL")
NETAG=$(etag "$NURL")
for u in "$FURL" "$NURL"; do
	curl -fsS -H 'Accept-Encoding: gzip' "$u" | cmp -s - "$OUT/feed.atom.gz" ||
	    { log "$u: not the same gzip bytes"; exit 1; }
done
[ "$(curl -sS -o /dev/null -w '%{http_code}' -H "If-None-Match: $FETAG" "$FURL")" = 304 ] &&
    [ "$(curl -sS -o /dev/null -w '%{http_code}' -H "If-None-Match: $NETAG" "$NURL")" = 304 ] ||
    { log "no 304 for If-None-Match"; exit 1; }

# wrk CASE SERVER URL HEADER RUN: one run, its requests/s recorded.
bench() {
	wrk -t1 -c32 -d"${DUR}s" -H "$4" "$3" >"$OUT/wrk.out" 2>&1 ||
	    { cat "$OUT/wrk.out" >&2; exit 1; }
	if grep -q -e 'Socket errors' -e 'Non-2xx' "$OUT/wrk.out"; then
		cat "$OUT/wrk.out" >&2
		log "$1 $2: errors"
		exit 1
	fi
	echo "wrk $1 $2 $5 $(awk '/^Requests\/sec/ { print $2 }' "$OUT/wrk.out")" \
	    "$(awk '/^Transfer\/sec/ { print $2 }' "$OUT/wrk.out")" >>"$REC"
}
r=1
while [ $r -le "$RUNS" ]; do
	log "wrk run $r of $RUNS (${DUR} s each, 4 cases)"
	bench 304 feedd "$FURL" "If-None-Match: $FETAG" $r
	bench 304 nginx "$NURL" "If-None-Match: $NETAG" $r
	bench gzip feedd "$FURL" "Accept-Encoding: gzip" $r
	bench gzip nginx "$NURL" "Accept-Encoding: gzip" $r
	r=$((r + 1))
done
echo "docbytes $(wc -c <"$OUT/feed.atom") $(wc -c <"$OUT/feed.atom.gz")" >>"$REC"
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
ELAPSED=$(( $(date +%s) - T0 ))

# --- report --------------------------------------------------------------------
CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
MEM=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
V() { dpkg-query -W -f '${Version}' "$1" 2>/dev/null || echo unknown; }
$PY "$ROOT/bench/serve-report.py" "$REC" --command "$CMDLINE" \
    --runs "$RUNS" --duration "$DUR" \
    --date "$(date -u '+%Y-%m-%d %H:%M UTC')" \
    --machine "$CPU, nproc $(nproc), $MEM RAM, Linux $(uname -r); load average $LOAD_START before, $LOAD_END after (the machine is shared: others' builds and tests may have run meanwhile); $ELAPSED s for the whole run" \
    --build "feedd: $TREE, Release build ($(basename "$B"), $(cc --version | head -n 1)), libevent-2.1-7 $(V libevent-2.1-7), zlib1g $(V zlib1g); floor: nginx-light $(V nginx-light); client: wrk $(V wrk)" \
    >"$OUT/report.md"
cat "$OUT/report.md"
if [ "$WRITE" = 1 ]; then
	# One splicer for every bench: replace the section, or append it.
	$PY "$ROOT/bench/parse-report.py" --splice "$ROOT/docs/benchmarks.md" \
	    serve-bench <"$OUT/report.md"
	log "wrote the serve-bench section of docs/benchmarks.md"
fi
