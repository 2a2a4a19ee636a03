/* SPDX-License-Identifier: ISC */
/*
 * ingest-many: the store ingest driver for bench/ingest-bench.sh.  Opens
 * (creating) the store at -d DB and commits generated, already-parsed
 * feeds of -f N entries each (default 100) through store_commit_poll, one
 * transaction per feed as schedule does, until the entries table holds
 * the largest of the -m milestones (default "10000 100000 1000000").
 * Every entry is new: an id, a title, a link, a ~200-byte summary, a
 * ~2 KB HTML body, an author and two dates.
 *
 * Only the store_commit_poll calls are timed (wall: CLOCK_MONOTONIC; cpu:
 * CLOCK_PROCESS_CPUTIME_ID), never the generation of the documents.  At
 * each milestone it prints one line:
 *
 *	milestone N feed F entries N commits C wall S cpu S
 *	    last_entries L last_wall S last_cpu S last_commit_median S
 *	    repoll_n K repoll_median S repoll_min S repoll_max S
 *	    repoll_unchanged U
 *
 * (one line; wrapped here).  wall and cpu cover the whole ingest from an
 * empty store to N entries; last_* the last tenth of it (the commits
 * that took the table from 0.9 N to N entries), with the median wall
 * time of one commit there.  repoll_* time K re-polls of feeds already
 * stored (the oldest and the newest, alternately), each the same document
 * again: every entry known and unchanged, so store_put_entry does only
 * dedup lookups and digest comparisons.  repoll_unchanged is the number
 * of unchanged entries the last re-poll counted (F when all went well).
 * Re-polls are not part of the ingest figures.  -k 0 skips them.
 *
 * Not part of the build: the bench script compiles it against the
 * project's static libraries.  Output is deterministic for a given -s.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "feedd/model.h"
#include "feedd/store.h"
#include "feedd/util.h"

#define INGEST_NOW	1795000000	/* 2026-11-18, a fixed "now" */
#define INGEST_BODY	2048		/* mean HTML body size, bytes */

static const char *ingest_words[] = {
	"the", "of", "and", "a", "to", "in", "is", "you", "that", "it",
	"feed", "server", "release", "update", "kernel", "network", "packet",
	"latency", "memory", "cache", "build", "compiler", "library", "test",
	"benchmark", "database", "index", "query", "transaction", "journal",
	"storage", "disk", "throughput", "design", "protocol", "security",
	"patch", "review", "maintainer", "version", "support", "feature",
	"performance", "bug", "fix", "documentation", "community", "project",
	"open", "source", "developer", "system", "process", "thread", "signal",
	"socket", "buffer", "stream", "parser", "syntax", "history", "future",
	"simple", "fast", "small", "reliable", "portable", "modern", "legacy",
	"weekly", "notes", "announcing", "introducing", "understanding",
	"why", "how", "what", "when", "we", "our", "this", "with", "for",
	"from", "about", "into", "over", "after", "before", "between", "new"
};
#define INGEST_NWORDS (sizeof ingest_words / sizeof ingest_words[0])

static const char *ingest_names[] = {
	"Alice Martin", "Bob Nguyen", "Chiara Rossi", "Dmitri Volkov",
	"Emma Schmidt", "Farid Haddad", "Grace Okafor", "Hiro Tanaka"
};

static const char *ingest_days[] = {
	"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"
};
static const char *ingest_months[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
	"Nov", "Dec"
};

/* xorshift64*, seeded per entry so a re-poll regenerates it exactly. */
static uint64_t
ingest_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return (*s * 2685821657736338717ULL);
}

static uint64_t
ingest_seed(uint64_t seed, long feed, long i)
{
	uint64_t	 s;

	s = seed * 0x9e3779b97f4a7c15ULL ^ (uint64_t)feed * 0xbf58476d1ce4e5b9ULL
	    ^ (uint64_t)(i + 1) * 0x94d049bb133111ebULL;
	if (s == 0)
		s = 1;
	ingest_rand(&s);
	return (s);
}

static void
ingest_words_add(struct buf *b, uint64_t *s, int n, bool is_cap)
{
	const char	*w;
	int		 i;

	for (i = 0; i < n; i++) {
		w = ingest_words[ingest_rand(s) % INGEST_NWORDS];
		if (i > 0)
			buf_addc(b, ' ');
		if (i == 0 && is_cap) {
			buf_addc(b, (char)(w[0] - 'a' + 'A'));
			buf_adds(b, w + 1);
		} else
			buf_adds(b, w);
	}
}

/* An HTML body of about INGEST_BODY bytes (±25%), like a blog post. */
static char *
ingest_body(uint64_t *s, const char *link)
{
	struct buf	 b;
	size_t		 want;
	int		 k;

	want = INGEST_BODY * 3 / 4 + ingest_rand(s) % (INGEST_BODY / 2);
	buf_init(&b);
	for (k = 0; b.len < want; k++) {
		switch (ingest_rand(s) % 6) {
		case 0:
			buf_adds(&b, "<h2>");
			ingest_words_add(&b, s, 3 + ingest_rand(s) % 4, true);
			buf_adds(&b, "</h2>\n");
			break;
		case 1:
			buf_adds(&b, "<pre><code>$ ");
			ingest_words_add(&b, s, 2 + ingest_rand(s) % 5, false);
			buf_adds(&b, " --verbose &gt; out.log</code></pre>\n");
			break;
		case 2:
			buf_addf(&b, "<p><img src=\"%simg/%d.png\" alt=\"",
			    link, k);
			ingest_words_add(&b, s, 3, false);
			buf_adds(&b, "\" width=\"640\" height=\"360\"></p>\n");
			break;
		default:
			buf_adds(&b, "<p>");
			ingest_words_add(&b, s, 10 + ingest_rand(s) % 20, true);
			buf_adds(&b, ", <a href=\"https://example.net/");
			ingest_words_add(&b, s, 1, false);
			buf_adds(&b, "\">");
			ingest_words_add(&b, s, 2, false);
			buf_adds(&b, "</a> <em>");
			ingest_words_add(&b, s, 2, false);
			buf_adds(&b, "</em> ");
			ingest_words_add(&b, s, 10 + ingest_rand(s) % 25, false);
			buf_adds(&b, ".</p>\n");
			break;
		}
	}
	return (buf_steal(&b));
}

static char *
ingest_text(uint64_t *s, int n, bool is_cap)
{
	struct buf	 b;

	buf_init(&b);
	ingest_words_add(&b, s, n, is_cap);
	return (buf_steal(&b));
}

static void
ingest_date(struct feed_date *d, time_t t, bool is_rfc822)
{
	struct tm	 tm;
	char		 raw[64];

	gmtime_r(&t, &tm);
	if (is_rfc822)
		snprintf(raw, sizeof raw, "%s, %02d %s %04d %02d:%02d:%02d "
		    "+0000", ingest_days[(t / 86400) % 7], tm.tm_mday,
		    ingest_months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour,
		    tm.tm_min, tm.tm_sec);
	else
		strftime(raw, sizeof raw, "%Y-%m-%dT%H:%M:%SZ", &tm);
	d->raw = xstrdup(raw);
	d->utc = t;
	d->is_valid = true;
}

/*
 * Feed number feed, entries first .. first + n - 1 (newest first, as
 * feeds list them).  Even feeds look like RSS 2.0 from a blog engine,
 * odd ones like Atom.
 */
static struct feed_doc *
ingest_doc(uint64_t seed, long feed, long first, long n)
{
	struct feed_doc		*doc;
	struct feed_entry	*e;
	struct feed_text	*c;
	struct feed_person	*a;
	bool			 is_rss = feed % 2 == 0;
	uint64_t		 s;
	char			*slug, *p;
	time_t			 t;
	long			 i, k;

	doc = feed_doc_new();
	doc->format = is_rss ? FEED_FORMAT_RSS20 : FEED_FORMAT_ATOM10;
	xasprintf(&doc->title.value, "Feed %ld: notes on systems", feed);
	doc->title.type = xstrdup("text/plain");
	xasprintf(&doc->link, "https://feed%05ld.example.org/", feed);
	if (!is_rss)
		xasprintf(&doc->id, "tag:feed%05ld.example.org,2026:feed",
		    feed);
	ingest_date(&doc->updated, INGEST_NOW, is_rss);
	for (k = first + n - 1; k >= first; k--) {
		s = ingest_seed(seed, feed, k);
		e = feed_doc_add_entry(doc);
		t = INGEST_NOW - 3600 * (time_t)(100000 - k) -
		    (time_t)(ingest_rand(&s) % 3600);
		e->title.value = ingest_text(&s, 4 + ingest_rand(&s) % 8,
		    true);
		e->title.type = xstrdup("text/plain");
		slug = xstrdup(e->title.value);
		for (p = slug; *p != '\0'; p++)
			*p = *p == ' ' ? '-' : (*p | 0x20);
		xasprintf(&e->link, "https://feed%05ld.example.org/2026/11/"
		    "%s-%ld/", feed, slug, k);
		free(slug);
		if (is_rss) {
			xasprintf(&e->id, "https://feed%05ld.example.org/?p=%ld",
			    feed, 1000 + k);
			e->has_guid = true;
		} else
			xasprintf(&e->id, "tag:feed%05ld.example.org,2026:"
			    "entry-%ld", feed, k);
		e->summary.value = ingest_text(&s, 25 + ingest_rand(&s) % 15,
		    true);
		e->summary.type = xstrdup("text/html");
		c = feed_texts_add(&e->content, &e->ncontent);
		c->value = ingest_body(&s, e->link);
		c->type = xstrdup("text/html");
		a = feed_persons_add(&e->authors, &e->nauthors);
		i = (long)(ingest_rand(&s) % (sizeof ingest_names /
		    sizeof ingest_names[0]));
		a->name = xstrdup(ingest_names[i]);
		xasprintf(&a->email, "author%ld@feed%05ld.example.org", i,
		    feed);
		ingest_date(&e->published, t, is_rss);
		if (!is_rss)
			ingest_date(&e->updated, t + 600, false);
	}
	return (doc);
}

static double
ingest_clock(clockid_t id)
{
	struct timespec	 ts;

	clock_gettime(id, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

static int
ingest_cmp(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return (x < y ? -1 : x > y);
}

static double
ingest_median(double *v, size_t n)
{
	if (n == 0)
		return (0);
	qsort(v, n, sizeof *v, ingest_cmp);
	return (n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2);
}

/* Commit feed number feed; adds its time to *wall and *cpu. */
static void
ingest_commit(struct store *st, uint64_t seed, long feed, long n,
    double *wall, double *cpu, struct store_counts *counts)
{
	struct feed_doc	*doc;
	char		 name[32], url[64], *cause = NULL;
	double		 w0, c0;

	doc = ingest_doc(seed, feed, 0, n);
	snprintf(name, sizeof name, "feed-%05ld", feed);
	snprintf(url, sizeof url, "https://feed%05ld.example.org/feed", feed);
	w0 = ingest_clock(CLOCK_MONOTONIC);
	c0 = ingest_clock(CLOCK_PROCESS_CPUTIME_ID);
	if (store_commit_poll(st, name, url, NULL, STORE_DEDUP_AUTO, doc,
	    INGEST_NOW + feed, counts, &cause) != 0) {
		fprintf(stderr, "ingest-many: %s\n", cause);
		exit(1);
	}
	*cpu = ingest_clock(CLOCK_PROCESS_CPUTIME_ID) - c0;
	*wall = ingest_clock(CLOCK_MONOTONIC) - w0;
	feed_doc_free(doc);
}

static void
usage(void)
{
	fprintf(stderr, "usage: ingest-many -d DB [-f per-feed] "
	    "[-m \"N ...\"] [-k repolls] [-s seed]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct store		*st;
	struct store_counts	 counts;
	const char		*path = NULL, *ms = "10000 100000 1000000";
	char			*cause = NULL, *end, *dup, *tok;
	long			 per = 100, nrepoll = 20, mil[16], nmil = 0;
	long			 maxn, ncommits, c, j, m, lastc;
	uint64_t		 seed = 1;
	double			*cw, *cc, *tmp, w, u, rw[256], rmin, rmax;
	int			 ch;

	while ((ch = getopt(argc, argv, "d:f:m:k:s:")) != -1) {
		switch (ch) {
		case 'd':
			path = optarg;
			break;
		case 'f':
			per = strtol(optarg, NULL, 10);
			break;
		case 'm':
			ms = optarg;
			break;
		case 'k':
			nrepoll = strtol(optarg, NULL, 10);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 10);
			break;
		default:
			usage();
		}
	}
	if (path == NULL || per < 1 || nrepoll < 0 || nrepoll > 256)
		usage();
	dup = xstrdup(ms);
	for (tok = strtok(dup, " ,"); tok != NULL; tok = strtok(NULL, " ,")) {
		if (nmil == 16)
			usage();
		mil[nmil] = strtol(tok, &end, 10);
		if (*end != '\0' || mil[nmil] < per || mil[nmil] % per != 0 ||
		    (nmil > 0 && mil[nmil] <= mil[nmil - 1])) {
			fprintf(stderr, "ingest-many: milestone %s: not a "
			    "growing multiple of %ld\n", tok, per);
			exit(2);
		}
		nmil++;
	}
	free(dup);
	if (nmil == 0)
		usage();
	maxn = mil[nmil - 1];
	ncommits = maxn / per;

	if ((st = store_open(path, &cause)) == NULL) {
		fprintf(stderr, "ingest-many: %s\n", cause);
		return (1);
	}
	if (store_count_entries(st) != 0) {
		fprintf(stderr, "ingest-many: %s: not empty\n", path);
		return (1);
	}
	/* cw[c], cc[c]: wall and cpu time of commit c. */
	cw = xcalloc((size_t)ncommits, sizeof *cw);
	cc = xcalloc((size_t)ncommits, sizeof *cc);
	tmp = xcalloc((size_t)ncommits, sizeof *tmp);
	c = 0;
	for (m = 0; m < nmil; m++) {
		for (; c < mil[m] / per; c++) {
			ingest_commit(st, seed, c, per, &cw[c], &cc[c],
			    &counts);
			if (counts.nnew != (size_t)per) {
				fprintf(stderr, "ingest-many: feed %ld: %zu "
				    "new of %ld\n", c, counts.nnew, per);
				return (1);
			}
		}
		if (store_count_entries(st) != mil[m]) {
			fprintf(stderr, "ingest-many: %ld entries stored, "
			    "expected %ld\n", store_count_entries(st), mil[m]);
			return (1);
		}
		w = u = 0;
		for (j = 0; j < c; j++) {
			w += cw[j];
			u += cc[j];
		}
		printf("milestone %ld feed %ld entries %ld commits %ld "
		    "wall %.6f cpu %.6f", mil[m], per, mil[m], c, w, u);
		/* The last tenth (at least one commit). */
		lastc = c / 10 > 0 ? c / 10 : 1;
		w = u = 0;
		for (j = c - lastc; j < c; j++) {
			w += cw[j];
			u += cc[j];
			tmp[j - (c - lastc)] = cw[j];
		}
		printf(" last_entries %ld last_wall %.6f last_cpu %.6f "
		    "last_commit_median %.6f", lastc * per, w, u,
		    ingest_median(tmp, (size_t)lastc));
		memset(&counts, 0, sizeof counts);
		rmin = rmax = 0;
		for (j = 0; j < nrepoll; j++) {
			ingest_commit(st, seed, j % 2 ? c - 1 : 0, per, &rw[j],
			    &u, &counts);
			if (counts.nunchanged != (size_t)per) {
				fprintf(stderr, "ingest-many: re-poll: %zu "
				    "unchanged of %ld\n", counts.nunchanged,
				    per);
				return (1);
			}
			if (j == 0 || rw[j] < rmin)
				rmin = rw[j];
			if (j == 0 || rw[j] > rmax)
				rmax = rw[j];
		}
		printf(" repoll_n %ld repoll_median %.6f repoll_min %.6f "
		    "repoll_max %.6f repoll_unchanged %zu\n", nrepoll,
		    ingest_median(rw, (size_t)nrepoll), rmin, rmax,
		    counts.nunchanged);
		fflush(stdout);
	}
	store_close(st);
	free(cw);
	free(cc);
	free(tmp);
	return (0);
}
