#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""The Markdown report of bench/serve-bench.sh from its records file.

Records, one a line:
  rebuild N RUN changed|unchanged wall S cpu S docs D bytes B
  outbytes N BYTES          outfiles N FILES
  wrk 304|gzip feedd|nginx RUN REQS_PER_S TRANSFER_PER_S
  docbytes PLAIN GZIP
"""
import argparse
import statistics


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("records")
    for a in ("command", "runs", "duration", "date", "machine", "build"):
        ap.add_argument("--" + a, required=True)
    o = ap.parse_args()

    rebuild, outbytes, outfiles, wrk, doc = {}, {}, {}, {}, None
    for line in open(o.records):
        f = line.split()
        if not f:
            continue
        if f[0] == "rebuild":
            n, kind = int(f[1]), f[3]
            d = dict(zip(f[4::2], f[5::2]))
            rebuild.setdefault((n, kind), []).append(
                (float(d["wall"]), float(d["cpu"]), int(d["docs"]),
                 int(d["bytes"])))
        elif f[0] == "outbytes":
            outbytes[int(f[1])] = int(f[2])
        elif f[0] == "outfiles":
            outfiles[int(f[1])] = int(f[2])
        elif f[0] == "wrk":
            wrk.setdefault((f[1], f[2]), []).append(float(f[4]))
        elif f[0] == "docbytes":
            doc = (int(f[1]), int(f[2]))

    p = print
    p("## Serving: rebuild time and requests per second")
    p()
    p("Command: `%s` (from the repository root)." % o.command)
    p()
    p("- Date: %s" % o.date)
    p("- Machine: %s" % o.machine)
    p("- Build: %s" % o.build)
    p()
    p("**Rebuild** is `bench/serve-emit`: feedd's own `emit_now` over a "
      "store made by `bench/ingest-many` (entries with ~2 KB HTML bodies, "
      "100 per feed), with `max_entries` = N so every output holds every "
      "entry; feeds alternately tagged `even` and `odd`. It builds "
      "feed.atom, feed.rss and feed.json, the two tag feeds in each "
      "format, index.html, status.atom and feeds.opml, and publishes each "
      "to a real `http` object, which gzips it (level 9) and makes its "
      "ETags, as `feedd run` does after a burst of polls. *All changed*: "
      "a fresh emit over an empty output directory, so every file is "
      "written, fsynced and renamed and every document gzipped (what a "
      "rebuild after new entries costs, at most). *Same again*: the next "
      "rebuild with nothing changed (built and hashed; no file written, "
      "nothing recompressed). Only `emit_now` is timed; median of %s "
      "runs, CPU = user + sys of the process." % o.runs)
    p()
    p("| entries | files | output bytes | rebuild | wall s (median; "
      "min–max) | CPU s | MB built per s (wall) |")
    p("|---:|---:|---:|---|---:|---:|---:|")
    for n in sorted({k[0] for k in rebuild}):
        for kind, name in (("changed", "all changed"),
                           ("unchanged", "same again")):
            rs = rebuild.get((n, kind), [])
            if not rs:
                continue
            walls = [r[0] for r in rs]
            cpus = [r[1] for r in rs]
            built = rs[0][3]
            p("| %d | %s | %s | %s | %.3f (%.3f–%.3f) | %.3f | %.0f |" % (
                n, outfiles.get(n, "?"),
                "{:,}".format(outbytes.get(n, 0)), name, med(walls),
                min(walls), max(walls), med(cpus),
                built / 1e6 / med(walls)))
    p()
    if doc:
        p("**Requests per second**: `wrk -t1 -c32 -d%ss` on loopback "
          "against `/feed.atom` of 200 entries (%s bytes; %s bytes "
          "gzipped), served by `feedd run` and by nginx from the very "
          "same bytes (two files: `feed.atom` and `feed.atom.gz`, taken "
          "from feedd). nginx is the floor: one worker (feedd is one "
          "thread), `master_process off`, Debian's stock static-file "
          "settings (`sendfile on; tcp_nopush on; tcp_nodelay on;`), "
          "`etag on`, `gzip_static on`, `keepalive_requests 1000000`. "
          "*304*: every request has `If-None-Match` with the server's "
          "ETag. *gzip*: every request has `Accept-Encoding: gzip` and "
          "gets the whole gzip body. Runs interleaved (304 feedd, 304 "
          "nginx, gzip feedd, gzip nginx), median of %s; wrk and the "
          "server share the 2 cores with whatever else runs." % (
              o.duration, "{:,}".format(doc[0]), "{:,}".format(doc[1]),
              o.runs))
        p()
        p("| response | feedd req/s (median; min–max) | nginx req/s "
          "(median; min–max) | nginx / feedd | within 1.5× |")
        p("|---|---:|---:|---:|---|")
        for case, name in (("304", "304 Not Modified"),
                           ("gzip", "200, whole gzip body")):
            fr = wrk.get((case, "feedd"), [])
            nr = wrk.get((case, "nginx"), [])
            if not fr or not nr:
                continue
            ratio = med(nr) / med(fr)
            p("| %s | %.0f (%.0f–%.0f) | %.0f (%.0f–%.0f) | %.2f× | %s |" % (
                name, med(fr), min(fr), max(fr), med(nr), min(nr), max(nr),
                ratio, "yes" if ratio <= 1.5 else "**no**"))


if __name__ == "__main__":
    main()
