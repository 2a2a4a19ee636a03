/* SPDX-License-Identifier: ISC */
/*
 * Parsing on worker threads, so that a poll's CPU is spread over the
 * machine's cores: the loop thread fetches and stores while workers
 * parse (DESIGN.md, decision 2: parsing sits behind a narrow interface).
 *
 * The loop thread pushes a transfer's body as it arrives; a worker feeds
 * the bytes, in order, to the job's parse context and hashes them.  When
 * the loop asks for the result, the finished job goes on the done list,
 * a byte on a pipe wakes the loop, and the callback runs there.  One job
 * is on one worker at a time; different jobs run on different workers.
 *
 * Bytes waiting for a worker are capped: past the high mark the pool is
 * full (the fetcher pauses its transfers), and the loop hears once they
 * fall under the low mark, so a fast network cannot fill memory.
 */
#include <sys/queue.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "feedd/log.h"
#include "feedd/parse-pool.h"
#include "feedd/util.h"

#define PARSE_POOL_LOW		(1024 * 1024)
#define PARSE_POOL_MAX_THREADS	4
/* A buffer bigger than this is freed after use, not kept for reuse. */
#define PARSE_POOL_KEEP		(64 * 1024)
/*
 * The most handed to the parser at once.  libxml2's push parser copies a
 * whole chunk into its input buffer (through a decoder, twice) before it
 * parses any of it, and a worker may take megabytes that waited for one
 * job: in pieces, peak RSS of a cold poll of 5,000 feeds fell from 57-65
 * to 54-56 MiB, at the same speed.
 */
#define PARSE_POOL_PIECE	(64 * 1024)

TAILQ_HEAD(parse_jobs, parse_job);

struct parse_job {
	struct parse_pool	*pool;
	struct parse_ctx	*parse;
	struct util_hash	*hash;
	struct buf		 in;		/* pushed, not yet taken */
	int			 is_finishing;	/* no more bytes will come */
	int			 is_canceled;	/* the worker frees it */
	int			 is_busy;	/* a worker holds it */
	struct parse_jobs	*on;		/* the list it is on, or NULL */
	parse_job_done_cb	 cb;
	void			*arg;
	struct feed_doc		*doc;
	char			 hex[UTIL_HASH_HEX];
	TAILQ_ENTRY(parse_job)	 entry;
};

struct parse_pool {
	struct event_base	*base;
	pthread_mutex_t		 lock;
	pthread_cond_t		 cond;
	pthread_t		 threads[PARSE_POOL_MAX_THREADS];
	int			 nthreads;
	int			 is_stopping;
	struct parse_jobs	 ready;		/* bytes or the end to handle */
	struct parse_jobs	 done;		/* finished, for the loop */
	int			 ndone;		/* on done */
	size_t			 waiting;	/* bytes pushed, not yet taken */
	int			 is_draining;	/* the loop waits for LOW */
	int			 is_drained;	/* ...and it was reached */
	int			 wake[2];	/* workers to the loop */
	struct event		*ev;
	parse_job_prepare_cb	 prepare;	/* NULL: none */
	parse_pool_drained_cb	 drained_cb;
	void			*drained_arg;
};

static void	*parse_pool_main(void *);
static void	 parse_pool_wake_cb(evutil_socket_t, short, void *);
static void	 parse_job_free(struct parse_job *);

/* Workers for this machine: one per core, within reason. */
int
parse_pool_threads(void)
{
	long	 n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		return (1);
	return (n > PARSE_POOL_MAX_THREADS ? PARSE_POOL_MAX_THREADS : (int)n);
}

/* Start nthreads workers reporting on base; NULL if they cannot start. */
struct parse_pool *
parse_pool_new(struct event_base *base, int nthreads,
    parse_job_prepare_cb prepare, parse_pool_drained_cb drained_cb, void *arg)
{
	struct parse_pool	*pool;
	sigset_t		 all, old;
	int			 i;

	pool = xcalloc(1, sizeof *pool);
	pool->base = base;
	pool->prepare = prepare;
	pool->drained_cb = drained_cb;
	pool->drained_arg = arg;
	TAILQ_INIT(&pool->ready);
	TAILQ_INIT(&pool->done);
	pthread_mutex_init(&pool->lock, NULL);
	pthread_cond_init(&pool->cond, NULL);
	if (pipe2(pool->wake, O_CLOEXEC | O_NONBLOCK) != 0) {
		log_warn("parse pool: pipe: %s", strerror(errno));
		pool->wake[0] = pool->wake[1] = -1;
		parse_pool_free(pool);
		return (NULL);
	}
	pool->ev = event_new(base, pool->wake[0], EV_READ | EV_PERSIST,
	    parse_pool_wake_cb, pool);
	if (pool->ev == NULL || event_add(pool->ev, NULL) != 0) {
		parse_pool_free(pool);
		return (NULL);
	}
	parse_thread_init();
	if (nthreads < 1)
		nthreads = 1;
	if (nthreads > PARSE_POOL_MAX_THREADS)
		nthreads = PARSE_POOL_MAX_THREADS;
	/* Signals are the loop thread's (libevent's handlers). */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (i = 0; i < nthreads; i++) {
		if (pthread_create(&pool->threads[i], NULL, parse_pool_main,
		    pool) != 0)
			break;
		pool->nthreads++;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (pool->nthreads == 0) {
		log_warn("parse pool: cannot start a thread");
		parse_pool_free(pool);
		return (NULL);
	}
	return (pool);
}

/*
 * Stop the workers and free what they hold.  Jobs still owned by a
 * caller must have been cancelled first; NULL is fine.
 */
void
parse_pool_free(struct parse_pool *pool)
{
	struct parse_job	*job;
	int			 i;

	if (pool == NULL)
		return;
	pthread_mutex_lock(&pool->lock);
	pool->is_stopping = 1;
	pthread_cond_broadcast(&pool->cond);
	pthread_mutex_unlock(&pool->lock);
	for (i = 0; i < pool->nthreads; i++)
		pthread_join(pool->threads[i], NULL);
	while ((job = TAILQ_FIRST(&pool->ready)) != NULL) {
		TAILQ_REMOVE(&pool->ready, job, entry);
		parse_job_free(job);
	}
	while ((job = TAILQ_FIRST(&pool->done)) != NULL) {
		TAILQ_REMOVE(&pool->done, job, entry);
		parse_job_free(job);
	}
	if (pool->ev != NULL)
		event_free(pool->ev);
	if (pool->wake[0] != -1) {
		close(pool->wake[0]);
		close(pool->wake[1]);
	}
	pthread_cond_destroy(&pool->cond);
	pthread_mutex_destroy(&pool->lock);
	free(pool);
}

/* Tell the loop there is news; a full pipe already says so. */
static void
parse_pool_wake(struct parse_pool *pool)
{
	ssize_t	 n;

	do
		n = write(pool->wake[1], "", 1);
	while (n == -1 && errno == EINTR);
}

/* Tell the loop once the bytes waiting fell under the low mark; locked. */
static void
parse_pool_check_drained(struct parse_pool *pool)
{
	if (pool->is_draining && pool->waiting < PARSE_POOL_LOW) {
		pool->is_draining = 0;
		pool->is_drained = 1;
		parse_pool_wake(pool);
	}
}

/*
 * Whether the bytes waiting passed the high mark.  When they did, the
 * drained callback runs once they are back under the low mark.
 */
bool
parse_pool_is_full(struct parse_pool *pool)
{
	bool	 full;

	pthread_mutex_lock(&pool->lock);
	full = pool->waiting > PARSE_POOL_HIGH;
	if (full)
		pool->is_draining = 1;
	pthread_mutex_unlock(&pool->lock);
	return (full);
}

/* What the pool holds now. */
void
parse_pool_get_stats(struct parse_pool *pool, struct parse_pool_stats *ps)
{
	pthread_mutex_lock(&pool->lock);
	ps->nthreads = pool->nthreads;
	ps->ndone = pool->ndone;
	ps->waiting = pool->waiting;
	pthread_mutex_unlock(&pool->lock);
}

/* A new job with its own parse context; the options are copied. */
struct parse_job *
parse_job_new(struct parse_pool *pool, const struct parse_options *po)
{
	struct parse_job	*job;

	job = xcalloc(1, sizeof *job);
	job->pool = pool;
	job->parse = parse_new(po);
	job->hash = util_hash_new();
	return (job);
}

static void
parse_job_free(struct parse_job *job)
{
	parse_free(job->parse);
	util_hash_free(job->hash);
	feed_doc_free(job->doc);
	buf_clear(&job->in);
	free(job);
}

/* Put an idle job where a worker finds it; the lock is held. */
static void
parse_job_ready(struct parse_job *job)
{
	if (job->is_busy || job->on != NULL)
		return;
	job->on = &job->pool->ready;
	TAILQ_INSERT_TAIL(job->on, job, entry);
	pthread_cond_signal(&job->pool->cond);
}

/* Hand the next bytes of the body to the job; they are copied. */
void
parse_job_push(struct parse_job *job, const char *data, size_t len)
{
	struct parse_pool	*pool = job->pool;

	if (len == 0)
		return;
	pthread_mutex_lock(&pool->lock);
	buf_add(&job->in, data, len);
	pool->waiting += len;
	parse_job_ready(job);
	pthread_mutex_unlock(&pool->lock);
}

/*
 * The body is complete: cb gets the document on the loop thread, and the
 * pool frees the job afterwards.
 */
void
parse_job_finish(struct parse_job *job, parse_job_done_cb cb, void *arg)
{
	struct parse_pool	*pool = job->pool;

	pthread_mutex_lock(&pool->lock);
	job->cb = cb;
	job->arg = arg;
	job->is_finishing = 1;
	parse_job_ready(job);
	pthread_mutex_unlock(&pool->lock);
}

/* Drop a job and whatever it would have produced; no callback runs. */
void
parse_job_cancel(struct parse_job *job)
{
	struct parse_pool	*pool = job->pool;

	pthread_mutex_lock(&pool->lock);
	pool->waiting -= job->in.len;
	buf_reset(&job->in);
	parse_pool_check_drained(pool);
	if (job->is_busy) {
		job->is_canceled = 1;
		pthread_mutex_unlock(&pool->lock);
		return;
	}
	if (job->on == &pool->done && pool->ndone-- == PARSE_POOL_MAX_DONE)
		pthread_cond_broadcast(&pool->cond);
	if (job->on != NULL)
		TAILQ_REMOVE(job->on, job, entry);
	pthread_mutex_unlock(&pool->lock);
	parse_job_free(job);
}

/* Parse what a job had waiting (and finish it if asked); unlocked. */
static void
parse_job_run(struct parse_job *job, struct buf *in, int is_end)
{
	size_t	 off, n;

	if (in->len > 0)
		util_hash_add(job->hash, in->data, in->len);
	for (off = 0; off < in->len; off += n) {
		n = in->len - off;
		if (n > PARSE_POOL_PIECE)
			n = PARSE_POOL_PIECE;
		parse_push(job->parse, in->data + off, n);
	}
	if (in->size > PARSE_POOL_KEEP)
		buf_clear(in);
	else
		buf_reset(in);
	if (is_end) {
		job->doc = parse_finish(job->parse);
		util_hash_end(job->hash, job->hex);
		job->hash = NULL;
		if (job->pool->prepare != NULL &&
		    job->doc->format != FEED_FORMAT_NONE)
			job->pool->prepare(job->doc);
	}
}

/*
 * Take what a job has waiting into in; the lock is held.  Returns
 * whether that is all it will ever have.
 */
static int
parse_job_take(struct parse_job *job, struct buf *in)
{
	struct parse_pool	*pool = job->pool;
	struct buf		 swap;

	swap = job->in;
	job->in = *in;
	*in = swap;
	pool->waiting -= in->len;
	parse_pool_check_drained(pool);
	return (job->is_finishing);
}

/* A finished job goes to the loop; the lock is held. */
static void
parse_job_done(struct parse_job *job)
{
	struct parse_pool	*pool = job->pool;

	if (TAILQ_EMPTY(&pool->done))
		parse_pool_wake(pool);
	job->on = &pool->done;
	TAILQ_INSERT_TAIL(job->on, job, entry);
	pool->ndone++;
}

/*
 * Run one job for as long as it has bytes waiting, so that jobs finish
 * one after another rather than all grow half-parsed documents at
 * once; the lock is held, and dropped while parsing.
 */
static void
parse_pool_work(struct parse_pool *pool, struct parse_job *job,
    struct buf *in)
{
	int	 is_end;

	job->is_busy = 1;
	do {
		is_end = parse_job_take(job, in);
		pthread_mutex_unlock(&pool->lock);
		parse_job_run(job, in, is_end);
		pthread_mutex_lock(&pool->lock);
	} while (!is_end && !job->is_canceled && job->in.len > 0);
	job->is_busy = 0;
	if (job->is_canceled) {
		pthread_mutex_unlock(&pool->lock);
		parse_job_free(job);
		pthread_mutex_lock(&pool->lock);
	} else if (is_end)
		parse_job_done(job);
	else if (job->is_finishing)
		parse_job_ready(job);
}

/*
 * A worker: take a ready job and run it, while the loop has not too
 * many documents still to collect (it stores them no faster than that).
 */
static void *
parse_pool_main(void *arg)
{
	struct parse_pool	*pool = arg;
	struct parse_job	*job;
	struct buf		 in;

	util_thread_background("feedd parse");
	parse_thread_init();
	buf_init(&in);
	pthread_mutex_lock(&pool->lock);
	while (!pool->is_stopping) {
		if (pool->ndone >= PARSE_POOL_MAX_DONE ||
		    (job = TAILQ_FIRST(&pool->ready)) == NULL) {
			pthread_cond_wait(&pool->cond, &pool->lock);
			continue;
		}
		TAILQ_REMOVE(&pool->ready, job, entry);
		job->on = NULL;
		parse_pool_work(pool, job, &in);
	}
	pthread_mutex_unlock(&pool->lock);
	buf_clear(&in);
	return (NULL);
}

/* On the loop: report finished jobs one at a time, then a drained pool. */
static void
parse_pool_wake_cb(evutil_socket_t fd, short what, void *arg)
{
	struct parse_pool	*pool = arg;
	struct parse_job	*job;
	char			 drain[64];
	int			 is_drained;

	(void)what;
	while (read(fd, drain, sizeof drain) > 0)
		/* nothing */;
	/* A callback may cancel a job still listed, so take one by one. */
	for (;;) {
		pthread_mutex_lock(&pool->lock);
		if ((job = TAILQ_FIRST(&pool->done)) != NULL) {
			TAILQ_REMOVE(&pool->done, job, entry);
			job->on = NULL;
			if (pool->ndone-- == PARSE_POOL_MAX_DONE)
				pthread_cond_broadcast(&pool->cond);
		}
		pthread_mutex_unlock(&pool->lock);
		if (job == NULL)
			break;
		job->cb(job->doc, job->hex, job->arg);
		job->doc = NULL;
		parse_job_free(job);
	}
	pthread_mutex_lock(&pool->lock);
	is_drained = pool->is_drained;
	pool->is_drained = 0;
	pthread_mutex_unlock(&pool->lock);
	if (is_drained && pool->drained_cb != NULL)
		pool->drained_cb(pool->drained_arg);
}
