/* SPDX-License-Identifier: ISC */
/*
 * The daemon's counters, rendered in the Prometheus text exposition
 * format.  Counters live here from start-up on; gauges that the store
 * already knows (each feed's poll state) are read by the owner at scrape
 * time and handed in, so nothing is kept twice.  Labelled counters are
 * small tables searched linearly: their keys (outcomes, feeds, served
 * paths, statuses) are bounded by the config, never by what a client
 * sends.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feedd/metrics.h"
#include "feedd/util.h"

/* Upper bounds of the poll duration histogram, in seconds. */
static const double metrics_buckets[] = {
	0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60
};
#define METRICS_NBUCKETS nitems(metrics_buckets)

/* Feed conditions, as store_feed_condition names them, plus "new". */
static const char *metrics_conditions[] = {
	"new", "ok", "failing", "moved", "gone"
};

/* One row of a counter with up to two labels. */
struct metrics_row {
	char		*a;
	char		*b;		/* NULL for one label */
	uint64_t	 n;
};

struct metrics_table {
	struct metrics_row	*rows;
	size_t			 nrows;
};

struct metrics {
	struct metrics_table	 polls;		/* outcome */
	struct metrics_table	 feed_polls;	/* feed, outcome */
	struct metrics_table	 feed_bytes;	/* feed */
	struct metrics_table	 requests;	/* path, status */
	struct metrics_table	 dropped;	/* reason */
	uint64_t		 buckets[METRICS_NBUCKETS]; /* not cumulative */
	uint64_t		 npolls;
	double			 seconds;	/* sum of poll durations */
	uint64_t		 nbytes;
	uint64_t		 nstored;
	uint64_t		 nupdated;
	uint64_t		 npruned;
	uint64_t		 nparse_errors;
	uint64_t		 nrebuilds;
	size_t			 nconnections;
};

static struct metrics_row *metrics_row(struct metrics_table *, const char *,
		    const char *);
static void	metrics_table_clear(struct metrics_table *);
static void	metrics_family(struct buf *, const char *, const char *,
		    const char *);
static void	metrics_sample(struct buf *, const char *, const char *,
		    const char *, const char *, const char *, const char *);
static void	metrics_render_table(struct buf *,
		    const struct metrics_table *, const char *, const char *,
		    const char *);
static void	metrics_one(struct buf *, const char *, const char *,
		    const char *, uint64_t);
static void	metrics_render_histogram(const struct metrics *,
		    struct buf *);
static long long metrics_feed_value(const struct metrics_feed *, size_t);
static void	metrics_render_feeds(const struct metrics_gauges *,
		    struct buf *);

/* A new set of counters, all zero. */
struct metrics *
metrics_new(void)
{
	struct metrics	*mx;

	mx = xcalloc(1, sizeof *mx);
	/* The usual outcomes show from the start, so rate() has a zero. */
	metrics_row(&mx->polls, "new", NULL);
	metrics_row(&mx->polls, "unchanged", NULL);
	metrics_row(&mx->polls, "not_modified", NULL);
	return (mx);
}

/* Free the counters; NULL is fine. */
void
metrics_free(struct metrics *mx)
{
	if (mx == NULL)
		return;
	metrics_table_clear(&mx->polls);
	metrics_table_clear(&mx->feed_polls);
	metrics_table_clear(&mx->feed_bytes);
	metrics_table_clear(&mx->requests);
	metrics_table_clear(&mx->dropped);
	free(mx);
}

/* Free a table's rows. */
static void
metrics_table_clear(struct metrics_table *t)
{
	size_t	 i;

	for (i = 0; i < t->nrows; i++) {
		free(t->rows[i].a);
		free(t->rows[i].b);
	}
	free(t->rows);
	t->rows = NULL;
	t->nrows = 0;
}

/* Order rows by their labels, a one-label row first. */
static int
metrics_row_cmp(const struct metrics_row *r, const char *a, const char *b)
{
	int	 cmp;

	if ((cmp = strcmp(r->a, a)) != 0)
		return (cmp);
	return (util_strcmp_null(r->b, b));
}

/*
 * The row labelled a (and b), added at zero if it is not there yet.
 * Rows stay sorted, so a lookup is a binary search: with a row per feed,
 * a scan per poll would cost 25 million comparisons for 5,000 feeds.
 */
static struct metrics_row *
metrics_row(struct metrics_table *t, const char *a, const char *b)
{
	struct metrics_row	*r;
	size_t			 lo = 0, hi = t->nrows, mid;
	int			 cmp;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((cmp = metrics_row_cmp(&t->rows[mid], a, b)) == 0)
			return (&t->rows[mid]);
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	t->rows = xreallocarray(t->rows, t->nrows + 1, sizeof *t->rows);
	memmove(&t->rows[lo + 1], &t->rows[lo],
	    (t->nrows - lo) * sizeof *t->rows);
	t->nrows++;
	r = &t->rows[lo];
	r->a = xstrdup(a);
	r->b = b != NULL ? xstrdup(b) : NULL;
	r->n = 0;
	return (r);
}

/* Count one ended poll: totals, the histogram and its feed's rows. */
void
metrics_count_poll(struct metrics *mx, const struct metrics_poll *p)
{
	size_t	 i;

	metrics_row(&mx->polls, p->outcome, NULL)->n++;
	metrics_row(&mx->feed_polls, p->feed, p->outcome)->n++;
	metrics_row(&mx->feed_bytes, p->feed, NULL)->n += p->nbytes;
	mx->npolls++;
	mx->seconds += p->seconds;
	for (i = 0; i < METRICS_NBUCKETS; i++) {
		if (p->seconds <= metrics_buckets[i]) {
			mx->buckets[i]++;
			break;
		}
	}
	mx->nbytes += p->nbytes;
	mx->nstored += p->nnew;
	mx->nupdated += p->nupdated;
	if (p->is_parse_error)
		mx->nparse_errors++;
}

/* Count entries pruned past retention. */
void
metrics_count_pruned(struct metrics *mx, long n)
{
	if (n > 0)
		mx->npruned += (uint64_t)n;
}

/* Count one rebuild of the outputs. */
void
metrics_count_rebuild(struct metrics *mx)
{
	mx->nrebuilds++;
}

/* Count one HTTP response. */
void
metrics_count_request(struct metrics *mx, const char *path, int status)
{
	char	 code[16];

	snprintf(code, sizeof code, "%d", status);
	metrics_row(&mx->requests, path, code)->n++;
}

/* Count one connection the server closed before its request came. */
void
metrics_count_dropped(struct metrics *mx, const char *reason)
{
	metrics_row(&mx->dropped, reason, NULL)->n++;
}

/* The number of open HTTP connections. */
void
metrics_set_connections(struct metrics *mx, size_t n)
{
	mx->nconnections = n;
}

/*
 * Append s as a label value: backslash, double quote and line feed are
 * the three characters the exposition format escapes.
 */
void
metrics_escape_label(struct buf *out, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\')
			buf_adds(out, "\\\\");
		else if (*s == '"')
			buf_adds(out, "\\\"");
		else if (*s == '\n')
			buf_adds(out, "\\n");
		else
			buf_addc(out, *s);
	}
}

/* The HELP and TYPE lines that open a family. */
static void
metrics_family(struct buf *out, const char *name, const char *type,
    const char *help)
{
	buf_addf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/*
 * One sample line: name, up to two labels (NULL names are left out) and
 * the value, already formatted.
 */
static void
metrics_sample(struct buf *out, const char *name, const char *l1,
    const char *v1, const char *l2, const char *v2, const char *value)
{
	buf_adds(out, name);
	if (l1 != NULL) {
		buf_addf(out, "{%s=\"", l1);
		metrics_escape_label(out, v1);
		if (l2 != NULL) {
			buf_addf(out, "\",%s=\"", l2);
			metrics_escape_label(out, v2);
		}
		buf_adds(out, "\"}");
	}
	buf_addf(out, " %s\n", value);
}

/* A whole labelled counter family from a table. */
static void
metrics_render_table(struct buf *out, const struct metrics_table *t,
    const char *name, const char *la, const char *lb)
{
	char	 v[32];
	size_t	 i;

	for (i = 0; i < t->nrows; i++) {
		snprintf(v, sizeof v, "%llu", (unsigned long long)t->rows[i].n);
		metrics_sample(out, name, la, t->rows[i].a, lb, t->rows[i].b,
		    v);
	}
}

/* An unlabelled counter or gauge with its HELP and TYPE. */
static void
metrics_one(struct buf *out, const char *name, const char *type,
    const char *help, uint64_t n)
{
	char	 v[32];

	metrics_family(out, name, type, help);
	snprintf(v, sizeof v, "%llu", (unsigned long long)n);
	metrics_sample(out, name, NULL, NULL, NULL, NULL, v);
}

/* The poll duration histogram: cumulative buckets, sum and count. */
static void
metrics_render_histogram(const struct metrics *mx, struct buf *out)
{
	const char	*name = "feedd_poll_duration_seconds";
	char		 le[32], v[32];
	uint64_t	 n = 0;
	size_t		 i;

	metrics_family(out, name, "histogram",
	    "Time from the start of a transfer to its end.");
	for (i = 0; i < METRICS_NBUCKETS; i++) {
		n += mx->buckets[i];
		snprintf(le, sizeof le, "%g", metrics_buckets[i]);
		snprintf(v, sizeof v, "%llu", (unsigned long long)n);
		metrics_sample(out, "feedd_poll_duration_seconds_bucket",
		    "le", le, NULL, NULL, v);
	}
	snprintf(v, sizeof v, "%llu", (unsigned long long)mx->npolls);
	metrics_sample(out, "feedd_poll_duration_seconds_bucket", "le",
	    "+Inf", NULL, NULL, v);
	snprintf(v, sizeof v, "%.6f", mx->seconds);
	metrics_sample(out, "feedd_poll_duration_seconds_sum", NULL, NULL,
	    NULL, NULL, v);
	snprintf(v, sizeof v, "%llu", (unsigned long long)mx->npolls);
	metrics_sample(out, "feedd_poll_duration_seconds_count", NULL, NULL,
	    NULL, NULL, v);
}

/* Per-feed gauges, in the order metrics_feed_value knows them. */
static const struct {
	const char	*name;
	const char	*help;
} metrics_feed_gauges[] = {
	{ "feedd_feed_last_status",
	  "HTTP status of the feed's last poll (0: none)." },
	{ "feedd_feed_consecutive_errors",
	  "Polls of the feed that failed in a row." },
	{ "feedd_feed_last_poll_timestamp_seconds",
	  "When the feed was last polled (0: never)." },
	{ "feedd_feed_next_poll_timestamp_seconds",
	  "When the feed is due next (0: now)." },
};

/* The value of per-feed gauge i (an index into metrics_feed_gauges). */
static long long
metrics_feed_value(const struct metrics_feed *f, size_t i)
{
	switch (i) {
	case 0:
		return (f->last_status);
	case 1:
		return (f->failures);
	case 2:
		return ((long long)f->last_attempt);
	default:
		return ((long long)f->next_poll);
	}
}

/* Feeds by condition, and each feed's state as stored. */
static void
metrics_render_feeds(const struct metrics_gauges *g, struct buf *out)
{
	char	 v[32];
	size_t	 i, j, n;

	metrics_family(out, "feedd_feeds", "gauge",
	    "Configured feeds by condition.");
	for (j = 0; j < nitems(metrics_conditions); j++) {
		for (n = i = 0; i < g->nfeeds; i++)
			n += strcmp(g->feeds[i].condition,
			    metrics_conditions[j]) == 0;
		snprintf(v, sizeof v, "%zu", n);
		metrics_sample(out, "feedd_feeds", "state",
		    metrics_conditions[j], NULL, NULL, v);
	}
	metrics_family(out, "feedd_feed_state", "gauge",
	    "1 for each feed, labelled with its condition.");
	for (i = 0; i < g->nfeeds; i++)
		metrics_sample(out, "feedd_feed_state", "feed",
		    g->feeds[i].name, "state", g->feeds[i].condition, "1");
	for (j = 0; j < nitems(metrics_feed_gauges); j++) {
		metrics_family(out, metrics_feed_gauges[j].name, "gauge",
		    metrics_feed_gauges[j].help);
		for (i = 0; i < g->nfeeds; i++) {
			snprintf(v, sizeof v, "%lld",
			    metrics_feed_value(&g->feeds[i], j));
			metrics_sample(out, metrics_feed_gauges[j].name,
			    "feed", g->feeds[i].name, NULL, NULL, v);
		}
	}
}

/* Append every metric to out. */
void
metrics_render(const struct metrics *mx, const struct metrics_gauges *g,
    struct buf *out)
{
	metrics_family(out, "feedd_polls_total", "counter",
	    "Polls ended, by outcome (new entries, unchanged, not_modified "
	    "for 304, or the error class).");
	metrics_render_table(out, &mx->polls, "feedd_polls_total", "outcome",
	    NULL);
	metrics_render_histogram(mx, out);
	metrics_one(out, "feedd_fetched_bytes_total", "counter",
	    "Decoded body bytes fetched.", mx->nbytes);
	metrics_one(out, "feedd_entries_stored_total", "counter",
	    "New entries stored.", mx->nstored);
	metrics_one(out, "feedd_entries_updated_total", "counter",
	    "Stored entries whose content changed upstream.", mx->nupdated);
	metrics_one(out, "feedd_entries_pruned_total", "counter",
	    "Entries pruned past retention.", mx->npruned);
	metrics_one(out, "feedd_parse_errors_total", "counter",
	    "Polls whose document was malformed (parsed as far as it went).",
	    mx->nparse_errors);
	metrics_one(out, "feedd_output_rebuilds_total", "counter",
	    "Rebuilds of the outputs.", mx->nrebuilds);
	metrics_family(out, "feedd_http_requests_total", "counter",
	    "HTTP responses by path (\"other\" for unknown paths) and "
	    "status.");
	metrics_render_table(out, &mx->requests, "feedd_http_requests_total",
	    "path", "status");
	metrics_one(out, "feedd_http_connections", "gauge",
	    "Open HTTP connections.", mx->nconnections);
	metrics_family(out, "feedd_http_connections_dropped_total", "counter",
	    "HTTP connections closed before a whole request came, by "
	    "reason.");
	metrics_render_table(out, &mx->dropped,
	    "feedd_http_connections_dropped_total", "reason", NULL);
	if (g->database_bytes >= 0)
		metrics_one(out, "feedd_database_bytes", "gauge",
		    "Size of the database with its write-ahead log.",
		    (uint64_t)g->database_bytes);
	metrics_render_feeds(g, out);
	metrics_family(out, "feedd_feed_polls_total", "counter",
	    "Polls of each feed by outcome.");
	metrics_render_table(out, &mx->feed_polls, "feedd_feed_polls_total",
	    "feed", "outcome");
	metrics_family(out, "feedd_feed_fetched_bytes_total", "counter",
	    "Decoded body bytes fetched per feed.");
	metrics_render_table(out, &mx->feed_bytes,
	    "feedd_feed_fetched_bytes_total", "feed", NULL);
}
