#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Markdown report for bench/poll-bench.sh.

  poll-report.py                   read PB_* from the environment and the
                                   run's work directory; print the report
  poll-report.py --splice FILE NAME
                                   put stdin between <!-- NAME:begin -->
                                   and <!-- NAME:end --> inside the poll
                                   section of FILE (<!-- poll-bench:... -->),
                                   creating either if absent
"""
import collections
import datetime
import os
import re
import statistics
import subprocess
import sys

OUTER = "poll-bench"
OUTER_HEAD = """## Polling at scale

`bench/poll-bench.sh` serves N generated feeds (`bench/poll-gen.py`: RSS
2.0, Atom 1.0 and RSS 1.0/RDF, 20-200 items, 0.5-8 KB HTML bodies, some
ISO-8859-1, GBK and GB18030) from a private nginx on 127.0.0.1 (ETag and
Last-Modified on) and polls them all, cold (every feed new: fresh
database) and warm (the same database again; nothing changed on the
server), with feedd, newsboat (`newsboat -x reload`) and `sfeed_update` at
the same parallelism, next to two floors measured in the same run:
`curl --parallel` fetching the same URLs (bodies to /dev/null; warm: with
the ETag and Last-Modified it got back) and one `xmllint --stream --noout`
over the same files.  Requests, conditional requests and 304s are counted
from nginx's access log, per tool and run.  Each subsection below is one
invocation and is replaced when that command is run again.
"""


def sh(cmd):
	try:
		return subprocess.run(cmd, shell=True, capture_output=True,
		    text=True).stdout.strip()
	except OSError:
		return ""


def dpkg_version(pkg):
	return sh("dpkg-query -W -f='${Version}' %s 2>/dev/null" % pkg) or "?"


def splice(path, name):
	text = sys.stdin.read().rstrip("\n") + "\n"
	inner = "<!-- %s:begin -->\n%s<!-- %s:end -->\n" % (name, text, name)
	try:
		doc = open(path).read()
	except FileNotFoundError:
		doc = ""
	ob, oe = "<!-- %s:begin -->" % OUTER, "<!-- %s:end -->" % OUTER
	if ob not in doc or oe not in doc:
		if doc and not doc.endswith("\n\n"):
			doc = doc.rstrip("\n") + "\n\n"
		doc += "%s\n%s\n%s\n" % (ob, OUTER_HEAD, oe)
	i, j = doc.index(ob), doc.index(oe)
	section = doc[i:j]
	ib, ie = "<!-- %s:begin -->" % name, "<!-- %s:end -->" % name
	if ib in section and ie in section:
		a = section.index(ib)
		b = section.index(ie) + len(ie) + 1
		section = section[:a] + inner + section[b:]
	else:
		section = section.rstrip("\n") + "\n\n" + inner
	doc = doc[:i] + section + doc[j:]
	with open(path + ".tmp", "w") as fp:
		fp.write(doc)
	os.rename(path + ".tmp", path)


Rec = collections.namedtuple("Rec", "tool phase run wall user sys rss_kib "
    "req cond inm ims s304 s200 sother bytes conns nginx_cpu status")


def load(env):
	recs = []
	extra = collections.defaultdict(dict)
	with open(os.path.join(env["PB_W"], "records")) as fp:
		for line in fp:
			f = line.split()
			if len(f) == 3:
				extra[f[0]][int(f[1])] = int(f[2])
				continue
			recs.append(Rec(f[0], f[1], int(f[2]), float(f[3]),
			    float(f[4]), float(f[5]), int(f[6]),
			    *(int(x) for x in f[7:15]), int(f[15]), float(f[16]),
			    int(f[17])))
	return recs, extra


# syslog priorities of the level names feedd's log lines carry
LEVELS = {"emerg": 0, "alert": 1, "crit": 2, "err": 3, "error": 3,
    "warning": 4, "warn": 4, "notice": 5, "info": 6, "debug": 7}


def feedd_log(path):
	"""What feedd said about one poll, from its stderr."""
	c = collections.Counter()
	new = 0
	with open(path, errors="replace") as fp:
		for line in fp:
			# journald's "<N>" prefix (under systemd), else
			# "TIMESTAMP LEVEL: " (src/log.c).
			m = re.match(r"<(\d)>", line)
			if m:
				lvl = int(m.group(1))
			else:
				m = re.match(r"\S+ (\w+): ", line)
				if not m or m.group(1) not in LEVELS:
					continue
				lvl = LEVELS[m.group(1)]
			if ": ok, " in line:
				c["parsed"] += 1
				m2 = re.search(r"ok, (\d+) new", line)
				if m2:
					new += int(m2.group(1))
			elif ": not modified" in line:
				c["notmod"] += 1
			if ("encoding-override" in line or
			    re.search(r"declared as \S+, but parsed as", line)):
				c["encoding-override"] += 1
			elif lvl <= 3:
				c["errors"] += 1
			elif lvl == 4:
				c["warnings"] += 1
	c["new"] = new
	return c


def med(xs):
	return statistics.median(xs)


def rng(xs, fmt="%.3f"):
	if len(xs) == 1:
		return fmt % xs[0]
	return (fmt + " (" + fmt + "–" + fmt + ")") % (med(xs), min(xs), max(xs))


def same(xs, fmt="%d"):
	if min(xs) == max(xs):
		return fmt % xs[0]
	return (fmt + "–" + fmt) % (min(xs), max(xs))


def secs(x):
	return "%.3f" % x if x < 10 else "%.1f" % x


def report(env):
	recs, extra = load(env)
	W = env["PB_W"]
	N = int(env["PB_FEEDS"])
	P = env["PB_PAR"]
	runs = int(env["PB_RUNS"])
	by = collections.defaultdict(list)
	for r in recs:
		by[(r.tool, r.phase)].append(r)

	def m(tool, phase, attr):
		return med([getattr(r, attr) for r in by[(tool, phase)]])

	# the floors, per run, then their medians
	floor_runs = {}
	for r in by[("curl", "cold")]:
		x = [q for q in by[("xmllint", "cold")] if q.run == r.run]
		if x:
			floor_runs[r.run] = r.wall + x[0].wall
	floor_cold = med(list(floor_runs.values()))
	floor_cold_cpu = med([r.user + r.sys for r in by[("curl", "cold")]]) + \
	    med([r.user + r.sys for r in by[("xmllint", "cold")]])
	floor_warm = m("curl", "warm", "wall")

	# corpus
	man = [l.split("\t") for l in open(os.path.join(env["PB_CORPUS"],
	    "MANIFEST")).read().splitlines() if l]
	nbytes = sum(int(x[1]) for x in man)
	nitems = sum(int(x[2]) for x in man)
	fmts = collections.Counter(x[3] for x in man)
	encs = collections.Counter(x[4] for x in man)

	fl = {}
	for r in by[("feedd", "cold")] + by[("feedd", "warm")]:
		fl[(r.phase, r.run)] = feedd_log(os.path.join(W, "logs",
		    "feedd-%s-%d.err" % (r.phase, r.run)))

	out = []
	p = out.append
	now = datetime.datetime.now(datetime.timezone.utc)
	p("### %d feeds (%.0f MB), parallelism %s" % (N, nbytes / 1e6, P))
	p("")
	p("Command: `%s` (from the repository root)." % env["PB_CMDLINE"])
	p("")
	cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip()
	mem = sh("awk '/MemTotal/ { printf \"%.1f GiB\", $2 / 1048576 }' /proc/meminfo")
	p("- Date: %s; the timed part took %s s" % (now.strftime("%Y-%m-%d %H:%M UTC"),
	    env.get("PB_ELAPSED", "?")))
	p("- Machine: %s, nproc %s, %s RAM, Linux %s; load average %s "
	    "(shared machine: other work may have run meanwhile)" % (
	    cpu, sh("nproc"), mem, sh("uname -r"), env["PB_LOAD"]))
	src = ("clean export of %s" % env["PB_REV"]) if env.get("PB_REV") else \
	    "working tree"
	p("- feedd: commit %s (%s), Release build (`%s`), `feedd once -c "
	    "feedd.conf` with `max_parallel = %s`, `per_host = %s`, "
	    "`block_private = no`, `[output] archive = no` (the peers write "
	    "no outputs; with RFC 5005 archive pages on, a cold poll also "
	    "writes every entry once more, as pages)" % (env["PB_COMMIT"], src,
	    os.path.basename(env["PB_BUILD"]), P, P))
	p("- Peers (Debian packages): newsboat %s (`reload-threads %s`; it has "
	    "no per-host cap), sfeed %s (`sfeed_update` with `maxjobs=%s`; one "
	    "curl and one sfeed process per feed), curl %s (`--parallel "
	    "--parallel-max %s`; no per-host cap in this version), libxml2-utils "
	    "%s" % (dpkg_version("newsboat"), P, dpkg_version("sfeed"), P,
	    dpkg_version("curl"), P, dpkg_version("libxml2-utils")))
	p("- Server: nginx %s (`nginx-light`), one process (`master_process "
	    "off`) on the same %s cores as the clients; `etag on`, Last-Modified "
	    "from the files' mtime, `Content-Type: text/xml` (nginx's type for "
	    ".xml, no charset), sendfile, keep-alive defaults" % (
	    dpkg_version("nginx-light") if dpkg_version("nginx-light") != "?"
	    else dpkg_version("nginx"), sh("nproc")))
	p("- Feeds: `bench/poll-gen.py --feeds %d --seed %s`: %d feeds (%s; %s), "
	    "%.1f MB, %d items" % (N, env["PB_SEED"], N,
	    ", ".join("%d %s" % (fmts[k], {"rss": "RSS 2.0", "atom": "Atom 1.0",
	    "rdf": "RSS 1.0/RDF"}[k]) for k in ("rss", "atom", "rdf") if fmts[k]),
	    ", ".join("%d %s" % (v, k) for k, v in encs.most_common()),
	    nbytes / 1e6, nitems))
	p("")
	peer_runs = int(env["PB_PEER_RUNS"])
	ran = [t for t in ("newsboat", "sfeed") if by.get((t, "cold"))]
	names = {"newsboat": "newsboat", "sfeed": "sfeed_update"}
	if ran:
		peer_note = "%s: %s, as each poll takes long: that run's figures." % (
		    " and ".join(names[t] for t in ran), "one run" if
		    peer_runs == 1 else "median of %d runs" % peer_runs)
	else:
		peer_note = ""
	skipped = [names[t] for t in ("newsboat", "sfeed") if t not in ran]
	if skipped:
		peer_note += " Not run (`--peers`): %s." % ", ".join(skipped)
	p("feedd and the floors: median of %d runs (min–max in brackets). "
	    "%s Runs interleave the tools; files are in the page cache. "
	    "Wall and CPU (user + sys, the tool and the children it waited "
	    "for) from `bench/timeit.c`; peak RSS is the largest resident set "
	    "of any one process of the tool (`wait4` rusage: for sfeed_update "
	    "that is one of its many curl/sfeed/sh processes, up to %s of "
	    "which run at once). Requests and the rest from nginx's access log, "
	    "for that tool's poll only; \"nginx CPU\" is the server's CPU "
	    "during it. \"vs floor\": wall time over the cold floor (curl "
	    "cold + xmllint, medians: %s s) or the warm floor (curl warm: %s "
	    "s)." % (runs, peer_note.strip(), P, secs(floor_cold),
	    secs(floor_warm)))
	p("")
	p("| tool | poll | wall s | CPU s | peak RSS MiB | requests | "
	    "conditional | 304 | 200 | MB sent | connections | nginx CPU s | "
	    "vs floor |")
	p("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	labels = {
	    "feedd": "**feedd** (`feedd once`)",
	    "curl": "`curl --parallel` (network floor)",
	    "xmllint": "`xmllint --stream --noout` (parse floor)",
	    "newsboat": "newsboat (`newsboat -x reload`)",
	    "sfeed": "`sfeed_update`",
	    "feedd-parse": "feedd's parser alone (`bench/parse-many`: same "
		"files, no network or database)",
	}
	order = [("feedd", "cold"), ("feedd", "warm"), ("feedd-parse", "cold"),
	    ("curl", "cold"),
	    ("xmllint", "cold"), ("floor", "cold"), ("curl", "warm"),
	    ("newsboat", "cold"), ("newsboat", "warm"), ("sfeed", "cold"),
	    ("sfeed", "warm")]
	for tool, phase in order:
		if tool == "floor":
			p("| cold floor = curl + xmllint (per run) | cold | %s | "
			    "%.3f | — | | | | | | | | 1.00× |" % (
			    rng(list(floor_runs.values())), floor_cold_cpu))
			continue
		rs = by.get((tool, phase))
		if not rs:
			continue
		walls = [r.wall for r in rs]
		cpus = [r.user + r.sys for r in rs]
		rss = [r.rss_kib / 1024 for r in rs]
		if tool in ("xmllint", "feedd-parse"):
			reqcols = "— | — | — | — | — | — | —"
			ph = "(parse)"
		else:
			reqs = [r.req for r in rs]
			cond = [r.cond for r in rs]
			pct = ["%.0f%%" % (100 * c / q) if q else "—" for c, q in
			    zip(cond, reqs)]
			reqcols = "%s | %s (%s) | %s | %s | %s | %s | %s" % (
			    same(reqs), same(cond), "/".join(sorted(set(pct))),
			    same([r.s304 for r in rs]), same([r.s200 for r in rs]),
			    same([r.bytes / 1e6 for r in rs], "%.1f"),
			    same([r.conns for r in rs]),
			    "%.2f" % med([r.nginx_cpu for r in rs]))
			ph = phase
		if tool == "xmllint":
			vs = "(part)"
		elif tool == "feedd-parse":
			vs = "%.2f× xmllint" % (med(walls) /
			    m("xmllint", "cold", "wall"))
		else:
			vs = "%.2f×" % (med(walls) / (floor_cold if phase == "cold"
			    else floor_warm))
		if tool == "curl":
			vs = "1.00×" if phase == "warm" else "(part)"
		bad = [r for r in rs if r.status != 0]
		p("| %s | %s | %s | %s | %s | %s | %s |" % (
		    labels[tool], ph,
		    rng([w for w in walls], "%.3f") if med(walls) < 10 else
		    rng(walls, "%.1f"), "%.3f" % med(cpus) if med(cpus) < 10 else
		    "%.1f" % med(cpus), "%.1f" % max(rss), reqcols, vs +
		    (" (exit %s)" % ",".join(str(r.status) for r in bad) if bad
		    else "")))
	p("")

	# --- what each tool did, from its own output ---------------------------
	p("What the tools did (from their own output, every run):")
	p("")
	if fl:
		cold = [v for (ph, _), v in fl.items() if ph == "cold"]
		warm = [v for (ph, _), v in fl.items() if ph == "warm"]
		p("- feedd cold: %s feeds parsed and stored, %s new entries (the "
		    "feeds hold %d items); %s warnings besides %s encoding-override "
		    "notices, %s errors." % (same([c["parsed"] for c in cold]),
		    same([c["new"] for c in cold]), nitems,
		    same([c["warnings"] for c in cold]),
		    same([c["encoding-override"] for c in cold]),
		    same([c["errors"] for c in cold])))
		p("- feedd warm: %s feeds \"not modified\", %s parsed, %s errors." % (
		    same([c["notmod"] for c in warm]),
		    same([c["parsed"] for c in warm]),
		    same([c["errors"] for c in warm])))
		if any(c["encoding-override"] for c in cold):
			p("- feedd logs a warning for every feed nginx serves as "
			    "`text/xml` with no charset: \"encoding-override at "
			    "line 0: document declared as us-ascii, but parsed as "
			    "<the XML declaration's encoding>\". That is RFC 3023's "
			    "us-ascii default for text/xml, which feedd follows by "
			    "design (docs/parsing.md; RFC 7303, which obsoletes "
			    "3023, makes text/xml an alias of application/xml). "
			    "The entries come out decoded right; the warning is "
			    "noise, one per feed per cold poll.")
	if "newsboat-items" in extra:
		p("- newsboat cold: %s items in its cache (`rss_item` rows)." %
		    same(list(extra["newsboat-items"].values())))
	if "sfeed-items" in extra:
		fails = []
		for r in by[("sfeed", "cold")] + by[("sfeed", "warm")]:
			o = open(os.path.join(W, "logs", "sfeed-%s-%d.out" % (
			    r.phase, r.run)), errors="replace").read()
			fails.append(o.count("FAIL"))
		p("- sfeed_update cold: %s items written (TSV lines); %s feeds "
		    "reported FAIL over its polls." % (
		    same(list(extra["sfeed-items"].values())), same(fails)))
	p("")

	# --- targets -----------------------------------------------------------
	fc, fw = by[("feedd", "cold")], by[("feedd", "warm")]
	p("Targets (issue: polling scale benchmark), this run:")
	p("")
	p("| target | measured | met |")
	p("|---|---|---|")
	if fc:
		ratio = med([r.wall for r in fc]) / floor_cold
		per = ", ".join("%.2f×" % (r.wall / floor_runs[r.run])
		    for r in fc if r.run in floor_runs)
		cpu_ratio = med([r.user + r.sys for r in fc]) / floor_cold_cpu
		p("| cold poll within 1.5× of curl --parallel + xmllint --stream | "
		    "wall %s s vs %s s floor: %.2f× (per run: %s); CPU %.2f s vs "
		    "%.2f s: %.2f× | %s |" % (secs(m("feedd", "cold", "wall")),
		    secs(floor_cold), ratio, per, med([r.user + r.sys for r in
		    fc]), floor_cold_cpu, cpu_ratio,
		    "yes" if ratio <= 1.5 else "**no**"))
		peak = max(r.rss_kib for r in fc + fw) / 1024
		if N >= 5000:
			p("| peak RSS under 64 MiB at 5,000 feeds | %.1f MiB at %d "
			    "feeds | %s |" % (peak, N, "yes" if peak < 64 else "**no**"))
		else:
			p("| peak RSS under 64 MiB at 5,000 feeds | %.1f MiB at %d "
			    "feeds (see the 5,000-feed run) | n/a here |" % (peak, N))
	if fw:
		cond = sum(r.cond for r in fw)
		req = sum(r.req for r in fw)
		p("| warm poll: 100%% conditional requests | %d of %d (%.1f%%), %d "
		    "answered 304 | %s |" % (cond, req, 100 * cond / req if req
		    else 0, sum(r.s304 for r in fw), "yes" if req and cond == req
		    else "**no**"))
		parsed = sum(fl[("warm", r.run)]["parsed"] for r in fw)
		p("| warm poll parses nothing | %d feeds parsed over %d warm "
		    "polls (feedd's log) | %s |" % (parsed, len(fw),
		    "yes" if parsed == 0 else "**no**"))
		ratio = med([r.wall for r in fw]) / floor_warm
		cw = {r.run: r.wall for r in by[("curl", "warm")]}
		per = ", ".join("%.2f×" % (r.wall / cw[r.run]) for r in fw
		    if r.run in cw)
		cpu_w = med([r.user + r.sys for r in by[("curl", "warm")]])
		p("| warm poll within 2× of curl --parallel's conditional floor | "
		    "wall %s s vs %s s: %.2f× (per run: %s); CPU %.3f s vs %.3f "
		    "s: %.2f× | %s |" % (secs(m("feedd", "warm", "wall")),
		    secs(floor_warm), ratio, per, med([r.user + r.sys for r in
		    fw]), cpu_w, med([r.user + r.sys for r in fw]) / cpu_w,
		    "yes" if ratio <= 2 else "**no**"))
	p("")
	return "\n".join(out) + "\n"


def main():
	if len(sys.argv) == 4 and sys.argv[1] == "--splice":
		splice(sys.argv[2], sys.argv[3])
		return
	if len(sys.argv) != 1:
		sys.exit(__doc__)
	sys.stdout.write(report(os.environ))


if __name__ == "__main__":
	main()
