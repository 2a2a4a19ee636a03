#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Generate N feeds for bench/poll-bench.sh (the polling scale benchmark).

  poll-gen.py DIR --feeds 1000 [--seed 1] [--jobs 2]

Writes DIR/fNNNNN.xml (RSS 2.0, Atom 1.0 and RSS 1.0/RDF mixed, 20-200
items each, HTML bodies of 0.5-8 KB, most under 1 KB; ~70% UTF-8,
the rest ISO-8859-1, GBK or GB18030) and DIR/MANIFEST (one
"name<TAB>bytes<TAB>items<TAB>format<TAB>encoding" a line).  About 200 KB a
feed on average: 1,000 feeds ~ 200 MB, 5,000 ~ 1 GB.

It reuses bench/gen-feeds.py (the parse benchmark's generator) for words,
HTML bodies, RSS items and Atom entries, and adds RDF and the body-size
spread.  Deterministic for a given seed and count, whatever --jobs: each
feed reseeds the generator from (seed, feed number).
"""
import argparse
import datetime
import importlib.util
import multiprocessing
import os
import sys

_spec = importlib.util.spec_from_file_location("gen_feeds",
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "gen-feeds.py"))
gf = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gf)

FORMATS = [(45, "rss"), (40, "atom"), (15, "rdf")]
BODY_MIN, BODY_MAX = 500, 8000


class PollGen(gf.Gen):
	"""gen-feeds.Gen with RDF and bodies of 0.5-8 KB."""

	def html_body(self, host, w, target, xml_safe=False):
		# Log-scale draw skewed to the short end: 500 * 16^(u^4), so
		# the median is ~0.6 KB, the mean ~1.25 KB and a few reach 8 KB.
		# gen-feeds stops at the first paragraph past its target, ~230
		# bytes over on average, hence the subtraction.
		u = self.rng.random()
		size = BODY_MIN * (BODY_MAX / BODY_MIN) ** (u ** 4)
		return super().html_body(host, w, max(int(size) - 230, 270),
		    xml_safe)

	def rdf_feed(self, enc, nitems, fileno):
		rng = self.rng
		codec, declared, mix = enc[1], enc[2], enc[3]
		w = self.words[mix]
		host = "site%d.example.com" % fileno
		t = gf.BASE
		items = []
		links = []
		for i in range(nitems):
			t -= datetime.timedelta(minutes=rng.randint(5, 600))
			link = "https://%s/%d/%02d/%d.html" % (host, t.year,
			    t.month, i)
			links.append(link)
			body = self.html_body(host, w, 0)
			name, _ = self.person(w)
			out = ['<item rdf:about="%s">\n<title>%s</title>\n'
			    "<link>%s</link>\n" % (link, gf.xesc(w.title()), link)]
			out.append("<description>%s</description>\n" %
			    gf.xesc(w.sentence()))
			if rng.random() < 0.5:
				out.append("<content:encoded><![CDATA[%s]]>"
				    "</content:encoded>\n" % body)
			else:
				out.append("<content:encoded>%s</content:encoded>\n"
				    % gf.xesc(body))
			out.append("<dc:creator>%s</dc:creator>\n<dc:date>%s"
			    "</dc:date>\n" % (gf.xesc(name), self.rfc3339(t)))
			for _ in range(rng.randint(0, 3)):
				out.append("<dc:subject>%s</dc:subject>\n" %
				    gf.xesc(w.title().split(" ")[0]))
			out.append("</item>\n")
			items.append("".join(out))
		head = ('<?xml version="1.0" encoding="%s"?>\n'
		    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
		    ' xmlns="http://purl.org/rss/1.0/"'
		    ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
		    ' xmlns:content="http://purl.org/rss/1.0/modules/content/"'
		    ' xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">\n'
		    '<channel rdf:about="https://%s/index.rdf">\n'
		    "<title>%s</title>\n<link>https://%s/</link>\n"
		    "<description>%s</description>\n<dc:language>%s</dc:language>\n"
		    "<dc:date>%s</dc:date>\n<sy:updatePeriod>hourly</sy:updatePeriod>\n"
		    "<items>\n<rdf:Seq>\n%s</rdf:Seq>\n</items>\n</channel>\n" % (
		    declared, host, gf.xesc(w.title()), host,
		    gf.xesc(w.sentence()),
		    {"cjk": "zh-cn", "latin1": "fr"}.get(mix, "en"),
		    self.rfc3339(gf.BASE), "".join('<rdf:li rdf:resource="%s"/>\n'
		    % l for l in links)))
		yield head.encode(codec, "xmlcharrefreplace")
		for it in items:
			yield it.encode(codec, "xmlcharrefreplace")
		yield b"</rdf:RDF>\n"

	def pick_format(self):
		r = self.rng.uniform(0, sum(f[0] for f in FORMATS))
		for f in FORMATS:
			if r < f[0]:
				return f[1]
			r -= f[0]
		return FORMATS[0][1]


_gen = None
_args = None


def _init(seed, outdir):
	global _gen, _args
	_gen = PollGen(seed)		# word pools drawn once per process
	_args = (seed, outdir)


def _one(fileno):
	g = _gen
	seed, outdir = _args
	g.rng.seed(seed * 1000003 + fileno)
	fmt = g.pick_format()
	enc = g.pick_encoding()
	nitems = g.rng.randint(20, 200)
	name = "f%05d.xml" % fileno
	chunks = (g.rdf_feed(enc, nitems, fileno) if fmt == "rdf" else
	    g.feed(fmt, enc, nitems, fileno))
	n = 0
	tmp = os.path.join(outdir, "." + name)
	with open(tmp, "wb") as fp:
		for c in chunks:
			fp.write(c)
			n += len(c)
	os.rename(tmp, os.path.join(outdir, name))
	return "%s\t%d\t%d\t%s\t%s" % (name, n, nitems, fmt, enc[2])


def main():
	ap = argparse.ArgumentParser(description=__doc__,
	    formatter_class=argparse.RawDescriptionHelpFormatter)
	ap.add_argument("out")
	ap.add_argument("--feeds", type=int, default=1000)
	ap.add_argument("--seed", type=int, default=1)
	ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
	a = ap.parse_args()
	os.makedirs(a.out, exist_ok=True)
	nums = range(1, a.feeds + 1)
	if a.jobs > 1:
		with multiprocessing.Pool(a.jobs, _init, (a.seed, a.out)) as pool:
			manifest = pool.map(_one, nums, chunksize=8)
	else:
		_init(a.seed, a.out)
		manifest = [_one(i) for i in nums]
	with open(os.path.join(a.out, "MANIFEST"), "w") as fp:
		fp.write("\n".join(manifest) + "\n")
	tot = sum(int(m.split("\t")[1]) for m in manifest)
	sys.stderr.write("poll-gen: %d feeds, %d bytes, %d items in %s\n" % (
	    a.feeds, tot, sum(int(m.split("\t")[2]) for m in manifest), a.out))


if __name__ == "__main__":
	main()
