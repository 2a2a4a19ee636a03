/* SPDX-License-Identifier: ISC */
#ifndef FEEDD_PARSE_POOL_H
#define FEEDD_PARSE_POOL_H

#include <stdbool.h>
#include <stddef.h>

#include "feedd/model.h"
#include "feedd/parse.h"

/* Past this many bytes waiting to be parsed, the pool is full. */
#define PARSE_POOL_HIGH		(4 * 1024 * 1024)
/* Workers stop while the loop has this many documents to collect. */
#define PARSE_POOL_MAX_DONE	4

struct event_base;
struct parse_pool;
struct parse_job;

/*
 * A finished job: doc (the callee owns it) and the util_hash of the
 * bytes pushed, in hex.  Runs on the loop thread.
 */
typedef void (*parse_job_done_cb)(struct feed_doc *doc, const char *hash,
		    void *arg);
/* Runs on the worker after a document is parsed, before the loop gets it. */
typedef void (*parse_job_prepare_cb)(struct feed_doc *doc);
/* The bytes waiting fell back under the pool's low mark; loop thread. */
typedef void (*parse_pool_drained_cb)(void *arg);

struct parse_pool_stats {
	int		 nthreads;
	int		 ndone;		/* parsed, not yet collected */
	size_t		 waiting;	/* bytes pushed, not yet parsed */
};

struct parse_pool *parse_pool_new(struct event_base *, int nthreads,
		    parse_job_prepare_cb, parse_pool_drained_cb, void *arg);
void		 parse_pool_free(struct parse_pool *);
bool		 parse_pool_is_full(struct parse_pool *);
int		 parse_pool_threads(void);
void		 parse_pool_get_stats(struct parse_pool *,
		    struct parse_pool_stats *);

struct parse_job *parse_job_new(struct parse_pool *,
		    const struct parse_options *);
void		 parse_job_push(struct parse_job *, const char *, size_t);
void		 parse_job_finish(struct parse_job *, parse_job_done_cb,
		    void *arg);
void		 parse_job_cancel(struct parse_job *);

#endif
