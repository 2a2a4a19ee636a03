/* SPDX-License-Identifier: ISC */
/*
 * parse-many: the parse throughput driver for bench/parse-bench.sh.  Parses
 * every file named on the command line (or, with -l LIST, every path
 * listed one a line in LIST) in this one process through parse_new,
 * parse_push in 64 KiB chunks, parse_finish, parse_free and
 * feed_doc_free, taking each entry from the entry callback as it is
 * parsed and freeing it (a consumer that keeps nothing), then prints one
 * line:
 *
 *	files N bytes N entries N bozo N wall S cpu S
 *
 * and with -m also "entmax N": the most bytes of strings one entry held.
 * With -c the entries are collected in the struct feed_doc instead, as
 * the daemon does, and -m reports "docmax N": the most bytes of entry
 * strings one document held after parse_finish.  Both tell the output's
 * own size from the parser's memory in a peak-RSS figure.
 * wall and cpu cover reading and parsing all files (reads come from the
 * page cache once the bench has warmed it).  -r N repeats the whole set N
 * times (the totals cover all passes).  Not part of the build: the bench
 * script compiles it against build-bench's static libraries.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "feedd/model.h"
#include "feedd/parse.h"

#define PARSE_MANY_CHUNK	65536

struct parse_many_total {
	unsigned long long	nfiles;
	unsigned long long	nbytes;
	unsigned long long	nentries;
	unsigned long long	nbozo;
	unsigned long long	docmax;
	unsigned long long	entmax;
};

static int	parse_many_measure;
static int	parse_many_collect;

static char	parse_many_buf[PARSE_MANY_CHUNK];

/* libxml2's global error output is silenced, as in feedd itself. */
static void
parse_many_xml_error_cb(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static double
parse_many_now(clockid_t clk)
{
	struct timespec	ts;

	clock_gettime(clk, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

static size_t
parse_many_len(const char *s)
{
	return (s == NULL ? 0 : strlen(s) + 1);
}

static size_t
parse_many_text_len(const struct feed_text *t)
{
	return (parse_many_len(t->value) + parse_many_len(t->type) +
	    parse_many_len(t->lang) + parse_many_len(t->base) +
	    parse_many_len(t->src));
}

/* Bytes of the strings of entry e. */
static unsigned long long
parse_many_entry_len(const struct feed_entry *e)
{
	unsigned long long	 n = 0;
	size_t			 j;

	n += parse_many_len(e->id) + parse_many_len(e->link) +
	    parse_many_len(e->comments) +
	    parse_many_text_len(&e->title) +
	    parse_many_text_len(&e->summary) +
	    parse_many_len(e->published.raw) +
	    parse_many_len(e->updated.raw);
	for (j = 0; j < e->ncontent; j++)
		n += parse_many_text_len(&e->content[j]);
	for (j = 0; j < e->nlinks; j++)
		n += parse_many_len(e->links[j].href) +
		    parse_many_len(e->links[j].rel) +
		    parse_many_len(e->links[j].type) +
		    parse_many_len(e->links[j].title);
	for (j = 0; j < e->nauthors; j++)
		n += parse_many_len(e->authors[j].name) +
		    parse_many_len(e->authors[j].email) +
		    parse_many_len(e->authors[j].uri) +
		    parse_many_len(e->authors[j].raw);
	for (j = 0; j < e->ncategories; j++)
		n += parse_many_len(e->categories[j].term) +
		    parse_many_len(e->categories[j].scheme) +
		    parse_many_len(e->categories[j].label);
	return (n);
}

/* Bytes of entry strings in doc (the feed-level fields are noise). */
static unsigned long long
parse_many_doc_len(const struct feed_doc *doc)
{
	unsigned long long	 n = 0;
	size_t			 i;

	for (i = 0; i < doc->nentries; i++)
		n += parse_many_entry_len(&doc->entries[i]);
	return (n);
}

/* The entry callback: count the entry (parse frees it on return). */
static void
parse_many_entry_cb(struct feed_entry *e, void *arg)
{
	struct parse_many_total	*tot = arg;
	unsigned long long	 len;

	tot->nentries++;
	if (parse_many_measure && (len = parse_many_entry_len(e)) >
	    tot->entmax)
		tot->entmax = len;
}

/* Parse one file; add to the totals.  Returns -1 if it cannot be read. */
static int
parse_many_file(const char *path, struct parse_many_total *tot)
{
	struct parse_options	 po;
	struct parse_ctx	*ctx;
	struct feed_doc		*doc;
	FILE			*f;
	size_t			 n;
	unsigned long long	 len;

	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "parse-many: %s: %s\n", path, strerror(errno));
		return (-1);
	}
	memset(&po, 0, sizeof po);
	if (!parse_many_collect) {
		po.entry_cb = parse_many_entry_cb;
		po.entry_arg = tot;
	}
	ctx = parse_new(&po);
	while ((n = fread(parse_many_buf, 1, sizeof parse_many_buf, f)) > 0) {
		tot->nbytes += n;
		parse_push(ctx, parse_many_buf, n);
	}
	if (ferror(f)) {
		fprintf(stderr, "parse-many: %s: read error\n", path);
		fclose(f);
		parse_free(ctx);
		return (-1);
	}
	fclose(f);
	doc = parse_finish(ctx);
	parse_free(ctx);
	tot->nfiles++;
	tot->nentries += doc->nentries;
	if (doc->is_bozo)
		tot->nbozo++;
	if (parse_many_measure && (len = parse_many_doc_len(doc)) > tot->docmax)
		tot->docmax = len;
	feed_doc_free(doc);
	return (0);
}

/* Read LIST (one path a line) into a NULL-terminated array. */
static char **
parse_many_read_list(const char *list, size_t *np)
{
	FILE	*f;
	char	**v = NULL, *line = NULL;
	size_t	 n = 0, cap = 0, linecap = 0;
	ssize_t	 len;

	if ((f = fopen(list, "r")) == NULL) {
		fprintf(stderr, "parse-many: %s: %s\n", list, strerror(errno));
		exit(1);
	}
	while ((len = getline(&line, &linecap, f)) != -1) {
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0)
			continue;
		if (n == cap) {
			cap = cap == 0 ? 256 : cap * 2;
			if ((v = realloc(v, cap * sizeof *v)) == NULL)
				abort();
		}
		if ((v[n++] = strdup(line)) == NULL)
			abort();
	}
	free(line);
	fclose(f);
	*np = n;
	return (v);
}

int
main(int argc, char **argv)
{
	struct parse_many_total	 tot;
	char			**files;
	size_t			 nfiles, i;
	double			 w0, c0, w1, c1;
	int			 ch, nrepeat = 1, r, rc = 0;
	const char		*list = NULL;

	while ((ch = getopt(argc, argv, "cl:mr:")) != -1) {
		switch (ch) {
		case 'c':
			parse_many_collect = 1;
			break;
		case 'm':
			parse_many_measure = 1;
			break;
		case 'l':
			list = optarg;
			break;
		case 'r':
			nrepeat = atoi(optarg);
			break;
		default:
			fprintf(stderr, "usage: parse-many [-cm] [-r N] "
			    "[-l LIST] [FILE...]\n");
			return (2);
		}
	}
	if (list != NULL)
		files = parse_many_read_list(list, &nfiles);
	else {
		files = argv + optind;
		nfiles = (size_t)(argc - optind);
	}
	xmlSetGenericErrorFunc(NULL, parse_many_xml_error_cb);

	memset(&tot, 0, sizeof tot);
	w0 = parse_many_now(CLOCK_MONOTONIC);
	c0 = parse_many_now(CLOCK_PROCESS_CPUTIME_ID);
	for (r = 0; r < nrepeat; r++) {
		for (i = 0; i < nfiles; i++) {
			if (parse_many_file(files[i], &tot) != 0)
				rc = 1;
		}
	}
	w1 = parse_many_now(CLOCK_MONOTONIC);
	c1 = parse_many_now(CLOCK_PROCESS_CPUTIME_ID);
	printf("files %llu bytes %llu entries %llu bozo %llu wall %.6f "
	    "cpu %.6f", tot.nfiles, tot.nbytes, tot.nentries, tot.nbozo,
	    w1 - w0, c1 - c0);
	if (parse_many_measure && parse_many_collect)
		printf(" docmax %llu", tot.docmax);
	else if (parse_many_measure)
		printf(" entmax %llu", tot.entmax);
	printf("\n");
	return (rc);
}
