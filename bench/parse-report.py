#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Turn bench/parse-bench.sh's records into the Markdown parse section.

  parse-report.py                 report from BENCH_* variables to stdout
  parse-report.py --splice FILE [NAME]
      replace the part of FILE between <!-- NAME:begin --> and
      <!-- NAME:end --> (NAME: parse-bench) with stdin; append it if
      absent, create FILE if need be
"""
import datetime
import os
import platform
import statistics
import subprocess
import sys

DOC_HEAD = """# feedd benchmarks

Speed is measured here, never asserted in tests.  Every figure is a median
over the runs of one invocation, quoted next to the peers measured in the
same run, with the command that produced it; rerunning the command
replaces its section.
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
	BEGIN, END = "<!-- %s:begin -->" % name, "<!-- %s:end -->" % name
	section = sys.stdin.read().rstrip("\n") + "\n"
	block = BEGIN + "\n" + section + END + "\n"
	try:
		with open(path) as fp:
			old = fp.read()
	except FileNotFoundError:
		old = DOC_HEAD
	b, e = old.find(BEGIN), old.find(END)
	if b != -1 and e > b:
		new = old[:b] + block + old[e + len(END):].lstrip("\n")
	else:
		new = old.rstrip("\n") + "\n\n" + block
	with open(path, "w") as fp:
		fp.write(new)


def parse_kv(words):
	"""'files 1 bytes 2 ...' -> dict"""
	return {words[i]: words[i + 1] for i in range(0, len(words) - 1, 2)}


def main():
	if len(sys.argv) in (3, 4) and sys.argv[1] == "--splice":
		splice(sys.argv[2], sys.argv[3] if len(sys.argv) == 4 else
		    "parse-bench")
		return
	env = os.environ
	runs = int(env["BENCH_RUNS"])
	rec = {}		# tool -> list of (wall, cpu, maxrss_kb), runs >= 1
	mem = {}		# mem-* -> (wall, cpu, maxrss_kb)
	memcount = {}		# MB -> parse-many's counts, streamed
	collcount = {}		# MB -> the same, entries collected
	with open(env["BENCH_RECORDS"]) as fp:
		for line in fp:
			w = line.split()
			if w[0].startswith("mem-feedd-count-"):
				memcount[w[0][len("mem-feedd-count-"):]] = parse_kv(w[1:])
				continue
			if w[0].startswith("mem-feedd-collect-count-"):
				collcount[w[0][len("mem-feedd-collect-count-"):]] = \
				    parse_kv(w[1:])
				continue
			tool, run = w[0], int(w[1])
			wall, cpu = float(w[2]), float(w[3]) + float(w[4])
			rss = int(w[5])
			if tool.startswith("mem-"):
				mem[tool] = (wall, cpu, rss)
			elif run >= 1:
				rec.setdefault(tool, []).append((wall, cpu, rss))

	manifest = [l.rstrip("\n").split("\t") for l in open(env["BENCH_MANIFEST"])]
	corpus_bytes = sum(int(m[1]) for m in manifest)
	corpus_items = sum(int(m[2]) for m in manifest)
	nfeeds = len(manifest)
	nrss = sum(1 for m in manifest if m[3] == "rss")
	encs = {}
	for m in manifest:
		encs[m[4]] = encs.get(m[4], 0) + 1
	py_files = [l.strip() for l in open(env["BENCH_PY_LIST"]) if l.strip()]
	py_bytes = sum(os.path.getsize(f) for f in py_files)
	py_names = {os.path.basename(f) for f in py_files}
	py_items = sum(int(m[2]) for m in manifest if m[0] in py_names)
	fcount = parse_kv(open(env["BENCH_FEEDD_COUNT"]).read().split())

	def med(tool, i):
		return statistics.median(r[i] for r in rec[tool])

	def spread(tool, minus=None):
		d = med(minus, 0) if minus else 0.0
		v = [r[0] - d for r in rec[tool]]
		return min(v), max(v)

	rows = []
	# name, input description, bytes, entries, wall, cpu, (min,max), note
	fw, fc = med("feedd", 0), med("feedd", 1)
	rows.append(("**feedd** (`bench/parse-many`, 1 process)",
	    "corpus, %d files" % nfeeds, corpus_bytes, int(fcount["entries"]),
	    fw, fc, spread("feedd")))
	xw, xc = med("xmllint", 0), med("xmllint", 1)
	rows.append(("`xmllint --stream --noout` (1 process; libxml2 floor)",
	    "corpus, %d files" % nfeeds, corpus_bytes, None, xw, xc,
	    spread("xmllint")))
	sw = med("sfeed", 0) - med("sfeed-startup", 0)
	sc = med("sfeed", 1) - med("sfeed-startup", 1)
	rows.append(("`sfeed` (1 process per file, start-up subtracted)",
	    "corpus, %d files" % nfeeds, corpus_bytes,
	    int(env["BENCH_SFEED_ENTRIES"]), sw, sc,
	    spread("sfeed", "sfeed-startup")))
	pw = med("feedparser", 0) - med("feedparser-startup", 0)
	pc = med("feedparser", 1) - med("feedparser-startup", 1)
	rows.append(("python3-feedparser (1 process, import subtracted)",
	    "subset, %d files" % len(py_files), py_bytes,
	    int(env["BENCH_FP_ENTRIES"]), pw, pc,
	    spread("feedparser", "feedparser-startup")))

	feedd_mbs = corpus_bytes / 1e6 / fc	# per core: CPU time
	out = []
	p = out.append
	now = datetime.datetime.now(datetime.timezone.utc)
	cpu_model = "?"
	try:
		for line in open("/proc/cpuinfo"):
			if line.startswith("model name"):
				cpu_model = line.split(":", 1)[1].strip()
				break
	except OSError:
		pass
	memtotal = sh("awk '/MemTotal/ { printf \"%.1f GiB\", $2 / 1048576 }' /proc/meminfo")
	root = env["BENCH_ROOT"]
	commit = env.get("BENCH_COMMIT") or "?"
	dirty = sh("git -C %s status --porcelain -- src include CMakeLists.txt"
	    % root)

	p("## Parse throughput — %s" % env["BENCH_LABEL"])
	p("")
	p("Command: `%s` (from the repository root)." % env["BENCH_CMDLINE"])
	p("")
	p("- Date: %s" % now.strftime("%Y-%m-%d %H:%M UTC"))
	p("- Machine: %s, nproc %s, %s RAM, Linux %s; load average %s "
	    "(the machine is shared: other builds may have run meanwhile)"
	    % (cpu_model, os.cpu_count(), memtotal, platform.release(),
	    env.get("BENCH_LOAD", "?")))
	if env.get("BENCH_REV"):
		tree, bdir = (" (clean export of %s)" % env["BENCH_REV"],
		    "build-bench-rev")
	elif dirty:
		tree, bdir = (" + uncommitted changes under src/ or include/ "
		    "(working tree)", "build-bench")
	else:
		tree, bdir = " (working tree, clean)", "build-bench"
	p("- feedd: commit %s%s, Release build (`%s`, %s), "
	    "libxml2 %s" % (commit, tree, bdir,
	    sh("cc --version | head -n 1"),
	    sh("pkg-config --modversion libxml-2.0")))
	p("- Peers (Debian packages): sfeed %s, python3-feedparser %s "
	    "(Python %s), libxml2-utils %s"
	    % (dpkg_version("sfeed"), dpkg_version("python3-feedparser"),
	    sh("/usr/bin/python3 -c 'import platform; print(platform.python_version())'"),
	    dpkg_version("libxml2-utils")))
	p("- Corpus: `bench/gen-feeds.py corpus --size-mb %s --seed %s`: %d feeds "
	    "(%d RSS 2.0, %d Atom 1.0; %s), %.1f MB, %d entries, ~2 KB HTML "
	    "bodies with script/style/on*/javascript: for a sanitizer"
	    % (env["BENCH_SIZE_MB"], env["BENCH_SEED"],
	    nfeeds, nrss, nfeeds - nrss,
	    ", ".join("%d %s" % (n, e) for e, n in sorted(encs.items(),
	    key=lambda x: -x[1])), corpus_bytes / 1e6, corpus_items))
	p("")
	p("Median of %d runs (after one warm-up run), runs of all tools "
	    "interleaved, files in the page cache. MB = 10^6 bytes. "
	    "\"MB/s per core\" divides by CPU time (user + sys); every tool "
	    "here is single-threaded, and CPU time is the figure least disturbed "
	    "by other load on a shared machine. \"vs feedd\" is the tool's MB/s "
	    "per core over feedd's (below 1: slower than feedd); the targets "
	    "below compare the same per-core figures." % runs)
	p("")
	p("| parser | input | MB | wall s (median; min–max) | CPU s | MB/s | "
	    "MB/s per core | entries/s | vs feedd |")
	p("|---|---|---:|---:|---:|---:|---:|---:|---:|")
	for name, inp, nbytes, nent, wall, cpu, (lo, hi) in rows:
		p("| %s | %s | %.1f | %.3f (%.3f–%.3f) | %.3f | %.1f | %.1f | %s | %s |"
		    % (name, inp, nbytes / 1e6, wall, lo, hi, cpu,
		    nbytes / 1e6 / wall, nbytes / 1e6 / cpu,
		    "%.0f" % (nent / wall) if nent is not None else "—",
		    "%.2f×" % (nbytes / 1e6 / cpu / feedd_mbs)))
	p("")
	p("Notes on the peers:")
	p("")
	p("- sfeed reads one feed on stdin per process, so it ran once per "
	    "file (%d processes from one `sh` loop); the same loop over a "
	    "one-item feed (%d processes) took %.3f s wall / %.3f s CPU "
	    "(median), which is subtracted. Raw: %.3f s wall."
	    % (nfeeds, nfeeds, med("sfeed-startup", 0), med("sfeed-startup", 1),
	    med("sfeed", 0)))
	p("- python3-feedparser is too slow for the whole corpus; it parsed the "
	    "first %d files (%.1f MB, %d entries expected). Its rate is "
	    "scaled from that subset: the whole corpus would take about %.0f s. "
	    "Python start-up plus `import feedparser` (%.3f s wall, median) "
	    "is subtracted." % (len(py_files), py_bytes / 1e6, py_items,
	    corpus_bytes / (py_bytes / pw), med("feedparser-startup", 0)))
	p("- Entries: feedd %s, sfeed %s (output lines), corpus %d; "
	    "feedd flagged %s of %d documents bozo. xmllint does not count entries."
	    % (fcount["entries"], env["BENCH_SFEED_ENTRIES"], corpus_items,
	    fcount["bozo"], nfeeds))
	p("")

	# targets
	mems = env["BENCH_MEM_MB"].split()
	fp_mbs = py_bytes / 1e6 / pc
	x_mbs = corpus_bytes / 1e6 / xc
	s_mbs = corpus_bytes / 1e6 / sc
	percore = feedd_mbs
	p("Targets (issue: parse throughput), as measured in this run:")
	p("")
	p("| target | measured | met |")
	p("|---|---|---|")

	def yes(b):
		return "yes" if b else "**no**"
	p("| ≥ 100 MB/s per core, one process over many files | %.1f MB/s per "
	    "core | %s |" % (percore, yes(percore >= 100)))
	p("| ≥ ½ of `xmllint --stream` (per core) | %.2f× xmllint | %s |" % (
	    feedd_mbs / x_mbs, yes(feedd_mbs >= x_mbs / 2)))
	p("| ≥ 30× python3-feedparser (per core) | %.1f× feedparser | %s |" % (
	    feedd_mbs / fp_mbs, yes(feedd_mbs >= 30 * fp_mbs)))
	p("| above sfeed (per core) | %.2f× sfeed | %s |" % (feedd_mbs / s_mbs,
	    yes(feedd_mbs > s_mbs)))
	if len(mems) >= 2 and "mem-feedd-%s" % mems[0] in mem:
		a = mem["mem-feedd-%s" % mems[0]][2]
		z = mem["mem-feedd-%s" % mems[-1]][2]
		p("| peak RSS flat from a %s MB to a %s MB feed (taken as: within "
		    "1.5×; streamed) | %.1f → %.1f MiB (%.1f×) | %s |" % (mems[0], mems[-1],
		    a / 1024, z / 1024, z / a, yes(z <= 1.5 * a)))
	p("")

	# memory
	p("Peak RSS (`/usr/bin/time -v`, \"Maximum resident set size\", one "
	    "run) parsing ONE RSS 2.0 feed of the given size "
	    "(`bench/gen-feeds.py single`, UTF-8). \"feedd, streamed\" is "
	    "`bench/parse-many -m FILE`: each entry goes to the entry callback "
	    "(`parse_options.entry_cb`) as soon as it is parsed and is freed "
	    "there, so memory does not grow with the feed; with no file it "
	    "peaks at %.1f MiB. \"Largest entry\" is the most bytes of strings "
	    "one entry held. \"`feedd parse`\" is the verb printing the whole "
	    "JSON (it spools entries to a temporary file). \"Collected\" is "
	    "`parse-many -c -m`, entries kept in the returned `struct feed_doc` "
	    "as the daemon does (its body is capped by max_body), and \"entry "
	    "strings\" what that document held in entry strings alone. feedd "
	    "MB/s is parse-many's own timer on that one file, streamed (one "
	    "run, wall time)." % (mem["mem-feedd-empty"][2] / 1024))
	p("")
	p("| feed | entries | feedd, streamed: peak RSS | largest entry | "
	    "feedd MB/s | `feedd parse` RSS | collected: RSS | entry strings | "
	    "xmllint --stream RSS | sfeed RSS | feedparser RSS |")
	p("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for mb in mems:
		c = memcount.get(mb, {})
		cc = collcount.get(mb, {})
		nbytes = int(c.get("bytes", 0))
		wall = float(c.get("wall", 0))

		def rss(k):
			return ("%.1f MiB" % (mem[k][2] / 1024)) if k in mem else "not run"
		p("| %s MB | %s | %s | %.1f KiB | %.1f | %s | %s | %.1f MiB | %s | "
		    "%s | %s |" % (mb,
		    c.get("entries", "?"), rss("mem-feedd-%s" % mb),
		    int(c.get("entmax", 0)) / 1024,
		    nbytes / 1e6 / wall if wall > 0 else 0,
		    rss("mem-feedd-verb-%s" % mb),
		    rss("mem-feedd-collect-%s" % mb),
		    int(cc.get("docmax", 0)) / 1048576,
		    rss("mem-xmllint-%s" % mb), rss("mem-sfeed-%s" % mb),
		    rss("mem-feedparser-%s" % mb)))
	p("")
	p("feedparser is not run on feeds over 10 MB (minutes, and GBs of RSS).")
	sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
	main()
