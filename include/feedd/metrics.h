/*
 * metrics: the daemon's counters and their rendering in the Prometheus
 * text exposition format (version 0.0.4).  A leaf module: main counts
 * poll outcomes, rebuilds and pruning, http counts requests and
 * connections, and gauges read at scrape time (per-feed poll state,
 * database size) are handed in as plain data.  metrics performs no I/O.
 */
#ifndef FEEDD_METRICS_H
#define FEEDD_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "feedd/util.h"

struct metrics;

/* One ended poll, as schedule reports it. */
struct metrics_poll {
	const char	*feed;
	const char	*outcome;	/* new, unchanged, not_modified, or
					   what failed: truncated, store_error,
					   discovered, transient, permanent,
					   gone */
	long		 http_code;	/* 0: none */
	size_t		 nbytes;	/* decoded body bytes */
	double		 seconds;
	size_t		 nnew;		/* entries stored */
	size_t		 nupdated;
	bool		 is_parse_error; /* the document was malformed */
};

/* A configured feed's state as stored, read at scrape time. */
struct metrics_feed {
	const char	*name;
	const char	*condition;	/* new, ok, failing, moved, gone */
	long		 last_status;	/* HTTP status of the last poll, 0 */
	int		 failures;	/* consecutive */
	time_t		 last_attempt;	/* 0: never */
	time_t		 next_poll;	/* 0: due now */
};

/* Gauges the owner reads when /metrics is asked for. */
struct metrics_gauges {
	const struct metrics_feed *feeds;
	size_t			 nfeeds;
	int64_t			 database_bytes; /* -1: unknown */
};

struct metrics	*metrics_new(void);
void		 metrics_free(struct metrics *);

void		 metrics_count_poll(struct metrics *,
		     const struct metrics_poll *);
void		 metrics_count_pruned(struct metrics *, long n);
void		 metrics_count_rebuild(struct metrics *);
/* path is a label: pass a known path or "other", never raw input. */
void		 metrics_count_request(struct metrics *, const char *path,
		     int status);
/* Connections dropped for reason ("header_timeout", "over_cap"). */
void		 metrics_count_dropped(struct metrics *, const char *reason);
void		 metrics_set_connections(struct metrics *, size_t n);

/* Append every metric, counters and the gauges g, to out. */
void		 metrics_render(const struct metrics *,
		     const struct metrics_gauges *g, struct buf *out);
/* Append s as an escaped label value (backslash, quote, newline). */
void		 metrics_escape_label(struct buf *out, const char *s);

#endif
