#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Generate realistic RSS 2.0 / Atom 1.0 feeds for bench/parse-bench.sh.

Deterministic for a given seed (no clock, no network, stdlib only).

  gen-feeds.py corpus DIR [--size-mb 100] [--seed 1]
      DIR/feed-NNNN.{rss,atom}.xml: RSS 2.0 and Atom 1.0 mixed, 20-200
      items each, ~2 KB HTML bodies with work for a sanitizer (script,
      style, on* attributes, javascript: links, iframes, relative URLs),
      entities, CDATA in some; ~70% UTF-8, the rest ISO-8859-1, GBK or
      GB18030 (declared in the XML declaration).  Writes DIR/MANIFEST
      (one "path<TAB>bytes<TAB>items<TAB>format<TAB>encoding" a line).

  gen-feeds.py single FILE --size-mb 10 [--format rss|atom] [--seed 1]
      ONE feed of about the given size (for the peak-RSS test).

MB means 10^6 bytes.  Every document is well-formed XML, so
`xmllint --stream` is a clean floor.
"""
import argparse
import datetime
import os
import random
import sys

EN_WORDS = """the of and to in is that for it as was with be by on not he
this are or his from at which but have an they you were her she there been
one all we their has would when if so no will more can out about up what
them some could into than only other new time these two may first then do
any like my now over such our man me even most made after also did many
before must through back years where much your way well down should because
each just those people how too little state good very make world still own
see men work long get here between both life being under never day same
another know while last might us great old year off come since against go
came right used take three kernel release server network database cache
latency throughput parser feed update security patch version build compiler
memory allocator thread scheduler protocol browser render pipeline storage
cluster replica benchmark regression library module interface upstream
downstream maintainer contributor review merge branch commit""".split()

LATIN1_WORDS = """café naïve über señor façade crème brûlée Zürich São
año garçon Müller Ångström déjà vu Málaga Köln Genève résumé élève
pâté fiancée Ærø smørrebrød Øresund Île-de-France Bjørn Ñandú""".split()

CJK_WORDS = """新闻 技术 开源软件 数据库 网络 服务器 发布 更新 中国 北京 上海
研究 报告 社区 项目 安全 漏洞 修复 性能 测试 版本 内核 编译器 内存
线程 协议 浏览器 存储 集群 基准 分析 用户 开发者 维护者 文档 社交
经济 市场 政策 教育 科学 天气 体育 文化 旅游 健康 的 了 是 在 和 有""".split()

UTF8_EXTRA = """— “quoted” ‘single’ … € ™ Ελληνικά Русский 日本語 한국어
עברית العربية 😀 🚀 ✓ →""".split()

ENCODINGS = [  # (weight, python codec, declared name, word mix)
	(70, "utf-8", "UTF-8", "utf8"),
	(12, "iso-8859-1", "ISO-8859-1", "latin1"),
	(10, "gb18030", "GB18030", "cjk"),
	(8, "gbk", "GBK", "cjk"),
]

HTML_ENTITIES = ["&amp;", "&lt;", "&gt;", "&quot;", "&nbsp;", "&copy;",
    "&mdash;", "&eacute;", "&hellip;", "&#8217;", "&#x2014;"]
XML_ENTITIES = ["&amp;", "&lt;", "&gt;", "&quot;", "&#160;", "&#169;",
    "&#8212;", "&#233;", "&#8230;", "&#8217;", "&#x2014;"]

BASE = datetime.datetime(2024, 6, 1, 12, 0, 0,
    tzinfo=datetime.timezone.utc)
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
    "Oct", "Nov", "Dec"]


def xesc(s):
	return (s.replace("&", "&amp;").replace("<", "&lt;")
	    .replace(">", "&gt;"))


def aesc(s):
	return xesc(s).replace('"', "&quot;")


class Words:
	"""A pool of sentences in one language mix, drawn once per seed."""

	def __init__(self, rng, mix, n=2500):
		self.rng = rng
		self.sentences = [self._sentence(mix) for _ in range(n)]
		self.titles = [self._sentence(mix, 4, 11).rstrip(".")
		    for _ in range(n)]

	def _word(self, mix):
		r = self.rng.random()
		if mix == "cjk":
			return (self.rng.choice(CJK_WORDS) if r < 0.75 else
			    self.rng.choice(EN_WORDS))
		if mix == "latin1" and r < 0.12:
			return self.rng.choice(LATIN1_WORDS)
		if mix == "utf8" and r < 0.06:
			return self.rng.choice(UTF8_EXTRA + LATIN1_WORDS +
			    CJK_WORDS[:10])
		return self.rng.choice(EN_WORDS)

	def _sentence(self, mix, lo=6, hi=22):
		w = [self._word(mix) for _ in range(self.rng.randint(lo, hi))]
		sep = "" if mix == "cjk" and self.rng.random() < 0.5 else " "
		s = sep.join(w)
		return s[:1].upper() + s[1:] + "."

	def sentence(self):
		return self.rng.choice(self.sentences)

	def title(self):
		return self.rng.choice(self.titles)


class Gen:
	def __init__(self, seed):
		self.rng = random.Random(seed)
		self.words = {m: Words(self.rng, m)
		    for m in ("utf8", "latin1", "cjk")}

	# --- HTML bodies ---------------------------------------------------

	def text_run(self, w, xml_safe):
		"""A sentence or two with inline markup and entities."""
		rng = self.rng
		ents = XML_ENTITIES if xml_safe else HTML_ENTITIES
		out = []
		for _ in range(rng.randint(1, 3)):
			s = xesc(w.sentence())
			r = rng.random()
			if r < 0.15:
				s = "<em>" + s + "</em>"
			elif r < 0.25:
				s = "<strong>" + s + "</strong>"
			elif r < 0.30:
				s = "<code>x &lt; y &amp;&amp; z</code> " + s
			if rng.random() < 0.3:
				s += " " + rng.choice(ents)
			out.append(s)
		return " ".join(out)

	def link(self, host, w, xml_safe):
		rng = self.rng
		r = rng.random()
		if r < 0.07:
			href = "javascript:alert(document.cookie)"
		elif r < 0.10:
			href = "JaVaScRiPt:void(0)"
		elif r < 0.35:
			href = "/%d/%02d/post-%d.html" % (rng.randint(2010, 2024),
			    rng.randint(1, 12), rng.randint(1, 99999))
		elif r < 0.45:
			href = "../images/%d.png" % rng.randint(1, 9999)
		else:
			href = "https://%s/articles/%d?utm_source=feed&amp;utm_medium=rss" % (
			    rng.choice([host, "example.org", "news.example.net",
			    "blog.example.com"]), rng.randint(1, 10 ** 6))
		extra = ""
		if rng.random() < 0.1:
			extra = ' onclick="track(this); return false;"'
		if rng.random() < 0.1:
			extra += ' target="_blank" rel="noopener"'
		return '<a href="%s"%s>%s</a>' % (href, extra,
		    xesc(w.title()))

	def img(self, host, xml_safe):
		rng = self.rng
		extra = ""
		if rng.random() < 0.15:
			extra = ' onerror="this.src=\'/x.gif\'"'
		if rng.random() < 0.1:
			extra += ' style="width:100%;border:0"'
		src = rng.choice(["https://cdn.%s/img/%d.jpg" % (host,
		    rng.randint(1, 99999)), "/media/%d.png" % rng.randint(1, 999),
		    "data:image/gif;base64,R0lGODlhAQABAAAAACw="])
		return '<img src="%s" alt="photo %d" width="%d" height="%d"%s%s>' % (
		    src, rng.randint(1, 999), rng.choice([320, 640, 800]),
		    rng.choice([240, 480, 600]), extra,
		    " /" if xml_safe else "")

	def html_body(self, host, w, target, xml_safe=False):
		"""HTML of about target bytes (UTF-8 text length)."""
		rng = self.rng
		parts = []
		n = 0
		while n < target:
			r = rng.random()
			if r < 0.45:
				p = "<p>%s %s %s</p>" % (self.text_run(w, xml_safe),
				    self.link(host, w, xml_safe),
				    self.text_run(w, xml_safe))
			elif r < 0.55:
				p = "<p>%s</p>" % self.img(host, xml_safe)
			elif r < 0.60:
				p = ("<script>var _gaq = _gaq || []; _gaq.push(['_track', "
				    "'%d']); if (a &lt; b) { document.write('x'); }</script>"
				    % rng.randint(1, 9999)) if xml_safe else (
				    "<script type=\"text/javascript\">var _gaq = _gaq || [];"
				    " _gaq.push(['_track', '%d']); if (a < b && c) "
				    "{ document.write('<b>x</b>'); }</script>" %
				    rng.randint(1, 9999))
			elif r < 0.63:
				p = "<style>p { color: red; } .ad { display: block; }</style>"
			elif r < 0.66:
				p = ('<iframe src="https://video.example.com/embed/%d" '
				    'width="560" height="315" allowfullscreen="allowfullscreen">'
				    '</iframe>' % rng.randint(1, 99999))
			elif r < 0.74:
				p = "<ul>%s</ul>" % "".join("<li>%s</li>" %
				    self.text_run(w, xml_safe)
				    for _ in range(rng.randint(2, 5)))
			elif r < 0.80:
				p = "<blockquote><p>%s</p></blockquote>" % \
				    self.text_run(w, xml_safe)
			elif r < 0.84:
				p = "<pre><code>if (n &lt; 0 &amp;&amp; p != NULL)\n\treturn (-1);\n</code></pre>"
			elif r < 0.88:
				p = ('<div class="ad" onmouseover="show()" style="'
				    'background:url(javascript:x)">%s</div>' %
				    self.text_run(w, xml_safe))
			elif r < 0.91:
				p = "<h2>%s</h2>" % xesc(w.title())
			elif r < 0.93:
				p = ('<form action="/subscribe"><input type="text" '
				    'name="email"%s><button>OK</button></form>' %
				    (" /" if xml_safe else ""))
			else:
				p = "<p>%s</p>" % self.text_run(w, xml_safe)
			parts.append(p)
			n += len(p)
		return "\n".join(parts)

	# --- dates, people ------------------------------------------------

	@staticmethod
	def rfc822(t):
		return "%s, %02d %s %04d %02d:%02d:%02d +0000" % (
		    DAYS[t.weekday()], t.day, MONTHS[t.month - 1], t.year,
		    t.hour, t.minute, t.second)

	@staticmethod
	def rfc3339(t):
		return t.strftime("%Y-%m-%dT%H:%M:%SZ")

	def person(self, w):
		rng = self.rng
		first = rng.choice(["Alice", "Bob", "Chloé", "Dmitri", "Eva",
		    "François", "李", "王", "Zoë", "Jürgen", "María", "Sam"])
		last = rng.choice(["Smith", "Müller", "García", "伟", "芳",
		    "Nguyen", "O'Brien", "Dubois", "Kowalski", "Tanaka"])
		if w is self.words["latin1"]:
			first = first.replace("李", "Li").replace("王", "Wang")
			last = last.replace("伟", "Wei").replace("芳", "Fang")
		name = first + " " + last
		email = "%s.%d@example.com" % (rng.choice(["alice", "bob",
		    "editor", "news", "dev"]), rng.randint(1, 999))
		return name, email

	# --- feeds ----------------------------------------------------------

	def pick_encoding(self):
		r = self.rng.uniform(0, sum(e[0] for e in ENCODINGS))
		for e in ENCODINGS:
			if r < e[0]:
				return e
			r -= e[0]
		return ENCODINGS[0]

	def rss_head(self, host, w, declared):
		t = BASE - datetime.timedelta(minutes=self.rng.randint(0, 999))
		lang = {"cjk": "zh-cn", "latin1": "fr-fr"}.get(
		    [k for k, v in self.words.items() if v is w][0], "en-us")
		return ('<?xml version="1.0" encoding="%s"?>\n'
		    '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"'
		    ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
		    ' xmlns:atom="http://www.w3.org/2005/Atom">\n<channel>\n'
		    "<title>%s</title>\n<link>https://%s/</link>\n"
		    "<description>%s</description>\n<language>%s</language>\n"
		    '<atom:link href="https://%s/feed.xml" rel="self" '
		    'type="application/rss+xml"/>\n'
		    "<lastBuildDate>%s</lastBuildDate>\n"
		    "<generator>WordPress 6.%d</generator>\n<ttl>60</ttl>\n"
		    "<image><url>https://%s/logo.png</url><title>%s</title>"
		    "<link>https://%s/</link></image>\n" % (
		    declared, xesc(w.title()), host, xesc(w.sentence()), lang,
		    host, self.rfc822(t), self.rng.randint(0, 5), host,
		    xesc(w.title()), host))

	def rss_item(self, host, w, t, i):
		rng = self.rng
		body = self.html_body(host, w, rng.randint(1600, 2400))
		slug = "/%d/%02d/%d-post.html" % (t.year, t.month, i)
		out = ["<item>\n<title>%s</title>\n<link>https://%s%s</link>\n" % (
		    xesc(w.title()), host, slug)]
		if rng.random() < 0.5:
			out.append('<guid isPermaLink="true">https://%s%s</guid>\n' %
			    (host, slug))
		else:
			out.append('<guid isPermaLink="false">%s-%d-%d</guid>\n' %
			    (host, i, rng.randint(1, 10 ** 9)))
		out.append("<pubDate>%s</pubDate>\n" % self.rfc822(t))
		name, email = self.person(w)
		if rng.random() < 0.6:
			out.append("<dc:creator><![CDATA[%s]]></dc:creator>\n" % name)
		else:
			out.append("<author>%s (%s)</author>\n" % (email, xesc(name)))
		for _ in range(rng.randint(1, 4)):
			c = xesc(w.title().split(" ")[0])
			if rng.random() < 0.3:
				out.append('<category domain="https://%s/tags">%s</category>\n'
				    % (host, c))
			else:
				out.append("<category>%s</category>\n" % c)
		out.append("<comments>https://%s%s#comments</comments>\n" % (host, slug))
		r = rng.random()
		if r < 0.35:
			# summary in description, full body in content:encoded
			out.append("<description>%s</description>\n" %
			    xesc("<p>" + xesc(w.sentence()) + " [&#8230;]</p>"))
			out.append("<content:encoded><![CDATA[%s]]></content:encoded>\n"
			    % body)
		elif r < 0.60:
			out.append("<description><![CDATA[%s]]></description>\n" % body)
		else:
			out.append("<description>%s</description>\n" % xesc(body))
		if rng.random() < 0.1:
			out.append('<enclosure url="https://%s/media/%d.mp3" '
			    'length="%d" type="audio/mpeg"/>\n' % (host,
			    rng.randint(1, 9999), rng.randint(10 ** 5, 10 ** 8)))
		out.append("</item>\n")
		return "".join(out)

	def atom_head(self, host, w, declared):
		t = BASE - datetime.timedelta(minutes=self.rng.randint(0, 999))
		name, email = self.person(w)
		return ('<?xml version="1.0" encoding="%s"?>\n'
		    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">\n'
		    '<title type="text">%s</title>\n<subtitle type="html">%s</subtitle>\n'
		    "<id>tag:%s,2005:/feed</id>\n"
		    '<link rel="alternate" type="text/html" href="https://%s/"/>\n'
		    '<link rel="self" type="application/atom+xml" href="https://%s/atom.xml"/>\n'
		    "<updated>%s</updated>\n"
		    "<author><name>%s</name><email>%s</email><uri>https://%s/about</uri></author>\n"
		    '<generator uri="https://gohugo.io/" version="0.1%d">Hugo</generator>\n'
		    "<icon>https://%s/favicon.ico</icon>\n<logo>https://%s/logo.png</logo>\n"
		    "<rights>&#169; 2024 %s</rights>\n" % (
		    declared, xesc(w.title()), xesc(xesc("<em>" + w.sentence() + "</em>")),
		    host, host, host, self.rfc3339(t), xesc(name), email, host,
		    self.rng.randint(0, 99), host, host, xesc(name)))

	def atom_entry(self, host, w, t, i):
		rng = self.rng
		slug = "/posts/%d-%d/" % (t.year, i)
		out = ["<entry"]
		if rng.random() < 0.1:
			out.append(' xml:base="https://%s/posts/"' % host)
		out.append(">\n")
		out.append('<title type="%s">%s</title>\n' % (
		    "html" if rng.random() < 0.3 else "text", xesc(w.title())))
		out.append('<link rel="alternate" type="text/html" href="https://%s%s"/>\n'
		    % (host, slug))
		if rng.random() < 0.2:
			out.append('<link rel="replies" type="text/html" href="https://%s%s#comments" thr:count="%d" xmlns:thr="http://purl.org/syndication/thread/1.0"/>\n'
			    % (host, slug, rng.randint(0, 50)))
		out.append("<id>tag:%s,%d:%s</id>\n" % (host, t.year, slug))
		out.append("<published>%s</published>\n<updated>%s</updated>\n" % (
		    self.rfc3339(t - datetime.timedelta(hours=rng.randint(0, 48))),
		    self.rfc3339(t)))
		name, email = self.person(w)
		out.append("<author><name>%s</name><email>%s</email></author>\n" % (
		    xesc(name), email))
		for _ in range(rng.randint(1, 4)):
			c = aesc(w.title().split(" ")[0])
			out.append('<category term="%s" scheme="https://%s/tags" label="%s"/>\n'
			    % (c, host, c))
		out.append('<summary type="text">%s</summary>\n' % xesc(w.sentence()))
		r = rng.random()
		target = rng.randint(1600, 2400)
		if r < 0.25:
			body = self.html_body(host, w, target, xml_safe=True)
			out.append('<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">'
			    "%s</div></content>\n" % body)
		elif r < 0.45:
			body = self.html_body(host, w, target)
			out.append('<content type="html"><![CDATA[%s]]></content>\n' % body)
		else:
			body = self.html_body(host, w, target)
			out.append('<content type="html">%s</content>\n' % xesc(body))
		out.append("</entry>\n")
		return "".join(out)

	def feed(self, fmt, enc, nitems, fileno):
		"""Yield encoded chunks of one feed document."""
		codec, declared, mix = enc[1], enc[2], enc[3]
		w = self.words[mix]
		host = "site%d.example.com" % fileno
		head = (self.rss_head if fmt == "rss" else self.atom_head)(
		    host, w, declared)
		yield head.encode(codec, "xmlcharrefreplace")
		t = BASE
		item = self.rss_item if fmt == "rss" else self.atom_entry
		i = 0
		while nitems is None or i < nitems:
			t -= datetime.timedelta(minutes=self.rng.randint(5, 600))
			stop = yield item(host, w, t, i).encode(codec,
			    "xmlcharrefreplace")
			i += 1
			if stop:
				yield b""  # answer to send()
				break
		yield ("</channel>\n</rss>\n" if fmt == "rss" else
		    "</feed>\n").encode(codec)


def write_corpus(dirpath, size_mb, seed):
	g = Gen(seed)
	os.makedirs(dirpath, exist_ok=True)
	target = int(size_mb * 1000 * 1000)
	total = 0
	fileno = 0
	manifest = []
	while total < target:
		fileno += 1
		fmt = "rss" if g.rng.random() < 0.55 else "atom"
		enc = g.pick_encoding()
		nitems = g.rng.randint(20, 200)
		name = "feed-%04d.%s.xml" % (fileno, fmt)
		path = os.path.join(dirpath, name)
		n = 0
		with open(path, "wb") as fp:
			for chunk in g.feed(fmt, enc, nitems, fileno):
				fp.write(chunk)
				n += len(chunk)
		total += n
		manifest.append("%s\t%d\t%d\t%s\t%s" % (name, n, nitems, fmt,
		    enc[2]))
	with open(os.path.join(dirpath, "MANIFEST"), "w") as fp:
		fp.write("\n".join(manifest) + "\n")
	sys.stderr.write("gen-feeds: %d feeds, %d bytes, %d items in %s\n" % (
	    fileno, total, sum(int(m.split("\t")[2]) for m in manifest),
	    dirpath))


def write_single(path, size_mb, seed, fmt):
	g = Gen(seed)
	target = int(size_mb * 1000 * 1000)
	enc = ENCODINGS[0]
	n = 0
	items = 0
	with open(path, "wb") as fp:
		gen = g.feed(fmt, enc, None, 1)
		chunk = next(gen)
		while True:
			fp.write(chunk)
			n += len(chunk)
			if n >= target - 4096:
				gen.send(True)		# stop after this item
				for chunk in gen:
					fp.write(chunk)
					n += len(chunk)
				break
			chunk = next(gen)
			items += 1
	sys.stderr.write("gen-feeds: %s: %d bytes, %d items\n" % (path, n, items))


def main():
	ap = argparse.ArgumentParser(description=__doc__,
	    formatter_class=argparse.RawDescriptionHelpFormatter)
	ap.add_argument("mode", choices=["corpus", "single"])
	ap.add_argument("out", help="directory (corpus) or file (single)")
	ap.add_argument("--size-mb", type=float, default=100.0)
	ap.add_argument("--seed", type=int, default=1)
	ap.add_argument("--format", choices=["rss", "atom"], default="rss",
	    help="single mode only")
	a = ap.parse_args()
	if a.mode == "corpus":
		write_corpus(a.out, a.size_mb, a.seed)
	else:
		write_single(a.out, a.size_mb, a.seed, a.format)


if __name__ == "__main__":
	main()
