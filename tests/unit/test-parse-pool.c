/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the parse pool, on a real libevent loop and real
 * threads: documents pushed in chunks across many jobs at once come back
 * whole, each with the SHA-256 of its bytes; finished documents the loop
 * has not collected stop the workers, so bytes pile up, the pool says it
 * is full, and once the loop collects, the drained callback runs (also
 * when the bytes go with a cancelled job); a cancelled job never calls
 * back, whatever state it was in.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <event2/event.h>

#include "feedd/model.h"
#include "feedd/parse-pool.h"
#include "feedd/parse.h"
#include "feedd/util.h"
#include "test-common.h"

#define TEST_JOBS	24

struct test_result {
	int		 ncalls;
	size_t		 nentries;
	char		*title;
	char		 hash[65];
};

struct test_loop {
	struct event_base	*base;
	struct parse_pool	*pool;
	int			 ndrained;
};

/* An RSS document with n items, padded so it is about size bytes. */
static char *
test_rss(int id, size_t n, size_t size, size_t *len)
{
	struct buf	 b;
	size_t		 i, pad = size / (n + 1);

	buf_init(&b);
	buf_addf(&b, "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel>"
	    "<title>feed %d</title>", id);
	for (i = 0; i < n; i++) {
		buf_addf(&b, "<item><guid>%d-%zu</guid><title>item %zu</title>"
		    "<description>", id, i, i);
		while (b.len % pad != 0 || b.len == 0)
			buf_adds(&b, "x");
		buf_adds(&b, "</description></item>");
	}
	buf_adds(&b, "</channel></rss>");
	*len = b.len;
	return (buf_steal(&b));
}

static void
test_done_cb(struct feed_doc *doc, const char *hash, void *arg)
{
	struct test_result	*r = arg;

	r->ncalls++;
	r->nentries = doc->nentries;
	free(r->title);
	r->title = doc->title.value != NULL ? xstrdup(doc->title.value) : NULL;
	snprintf(r->hash, sizeof r->hash, "%s", hash);
	feed_doc_free(doc);
}

static void
test_drained_cb(void *arg)
{
	struct test_loop	*l = arg;

	l->ndrained++;
}

static void
test_loop_init(struct test_loop *l, int nthreads)
{
	memset(l, 0, sizeof *l);
	l->base = event_base_new();
	assert_non_null(l->base);
	l->pool = parse_pool_new(l->base, nthreads, NULL, test_drained_cb, l);
	assert_non_null(l->pool);
}

static void
test_loop_free(struct test_loop *l)
{
	parse_pool_free(l->pool);
	event_base_free(l->base);
}

/* Run the loop until done() holds, failing after ten seconds. */
static void
test_loop_until(struct test_loop *l, int (*done)(void *), void *arg)
{
	struct timeval	 tick = { 0, 10 * 1000 };
	int		 i;

	for (i = 0; i < 1000 && !done(arg); i++)
		event_base_loopexit(l->base, &tick),
		event_base_dispatch(l->base);
	assert_true(done(arg));
}

static int
test_all_called(void *arg)
{
	struct test_result	*r = arg;
	int			 i;

	for (i = 0; i < TEST_JOBS; i++) {
		if (r[i].ncalls == 0)
			return (0);
	}
	return (1);
}

/* Workers are named and yield a shared core to the loop thread. */
static void
test_pool_workers_are_background(void **state)
{
	struct test_loop	 l;

	(void)state;
	test_loop_init(&l, 3);
	test_background_threads("feedd parse", 3);
	test_loop_free(&l);
}

/* Many jobs at once, their chunks interleaved: each comes back whole. */
static void
test_pool_interleaved(void **state)
{
	struct test_loop	 l;
	struct test_result	 r[TEST_JOBS];
	struct parse_job	*jobs[TEST_JOBS];
	struct util_hash	*h;
	char			*body[TEST_JOBS], want[UTIL_HASH_HEX], title[32];
	size_t			 len[TEST_JOBS], off, chunk = 1000;
	int			 i, more;

	(void)state;
	memset(r, 0, sizeof r);
	test_loop_init(&l, 2);
	for (i = 0; i < TEST_JOBS; i++) {
		body[i] = test_rss(i, 10 + (size_t)i, 20000 + 3000 *
		    (size_t)i, &len[i]);
		jobs[i] = parse_job_new(l.pool, NULL);
	}
	for (off = 0, more = 1; more; off += chunk) {
		more = 0;
		for (i = 0; i < TEST_JOBS; i++) {
			if (off >= len[i])
				continue;
			more = 1;
			parse_job_push(jobs[i], body[i] + off,
			    len[i] - off < chunk ? len[i] - off : chunk);
		}
	}
	for (i = 0; i < TEST_JOBS; i++)
		parse_job_finish(jobs[i], test_done_cb, &r[i]);
	test_loop_until(&l, test_all_called, r);
	for (i = 0; i < TEST_JOBS; i++) {
		assert_int_equal(r[i].ncalls, 1);
		assert_int_equal(r[i].nentries, 10 + i);
		snprintf(title, sizeof title, "feed %d", i);
		assert_string_equal(r[i].title, title);
		h = util_hash_new();
		util_hash_add(h, body[i], len[i]);
		util_hash_end(h, want);
		assert_string_equal(r[i].hash, want);
		free(r[i].title);
		free(body[i]);
	}
	test_loop_free(&l);
}

static int
test_called(void *arg)
{
	struct test_result	*r = arg;

	return (r->ncalls > 0);
}

static int
test_is_drained(void *arg)
{
	struct test_loop	*l = arg;

	return (l->ndrained > 0);
}

/* Spin (without the loop) until the workers have parked n documents. */
static void
test_wait_done(struct parse_pool *pool, int n)
{
	struct parse_pool_stats	 ps;
	struct timespec		 tick = { 0, 5 * 1000 * 1000 };
	int			 i;

	for (i = 0; i < 2000; i++) {
		parse_pool_get_stats(pool, &ps);
		if (ps.ndone >= n)
			break;
		nanosleep(&tick, NULL);
	}
	assert_int_equal(ps.ndone, n);
}

/* Finish PARSE_POOL_MAX_DONE small jobs into r, left uncollected. */
static void
test_park_done(struct test_loop *l, struct test_result *r)
{
	struct parse_job	*job;
	char			*body;
	size_t			 len;
	int			 i;

	for (i = 0; i < PARSE_POOL_MAX_DONE; i++) {
		body = test_rss(i, 1, 100, &len);
		job = parse_job_new(l->pool, NULL);
		parse_job_push(job, body, len);
		parse_job_finish(job, test_done_cb, &r[i]);
		free(body);
	}
	test_wait_done(l->pool, PARSE_POOL_MAX_DONE);
}

/*
 * Documents the loop has not collected stop the workers: bytes pushed
 * meanwhile wait, the pool is full past its mark, and collecting lets
 * the workers on until the drained callback says the bytes went down.
 */
static void
test_pool_backpressure(void **state)
{
	struct test_loop	 l;
	struct test_result	 r[TEST_JOBS];
	struct parse_pool_stats	 ps;
	struct timespec		 pause = { 0, 300 * 1000 * 1000 };
	struct parse_job	*big;
	char			*body;
	size_t			 len;
	int			 i;

	(void)state;
	memset(r, 0, sizeof r);
	test_loop_init(&l, 2);
	test_park_done(&l, r);
	assert_false(parse_pool_is_full(l.pool));

	body = test_rss(99, 50, PARSE_POOL_HIGH + 1024 * 1024, &len);
	big = parse_job_new(l.pool, NULL);
	parse_job_push(big, body, len);
	/* Time for an idle worker to take them, were any allowed to. */
	nanosleep(&pause, NULL);
	parse_pool_get_stats(l.pool, &ps);
	assert_int_equal(ps.waiting, len);
	assert_true(parse_pool_is_full(l.pool));
	assert_int_equal(l.ndrained, 0);

	test_loop_until(&l, test_is_drained, &l);
	for (i = 0; i < PARSE_POOL_MAX_DONE; i++)
		assert_int_equal(r[i].ncalls, 1);
	assert_false(parse_pool_is_full(l.pool));
	parse_job_finish(big, test_done_cb, &r[10]);
	test_loop_until(&l, test_called, &r[10]);
	assert_int_equal(r[10].nentries, 50);
	free(body);
	for (i = 0; i < TEST_JOBS; i++)
		free(r[i].title);
	test_loop_free(&l);
}

/*
 * Cancel jobs idle, queued with bytes, and parsed but not collected:
 * none calls back, and the one left alone still does (ASan checks that
 * nothing leaks or is used after it is freed).
 */
static void
test_pool_cancel(void **state)
{
	struct test_loop	 l;
	struct test_result	 r[4];
	struct parse_job	*idle, *queued, *parsed, *kept;
	char			*body;
	size_t			 len;

	(void)state;
	memset(r, 0, sizeof r);
	test_loop_init(&l, 1);
	body = test_rss(1, 20, 200000, &len);
	idle = parse_job_new(l.pool, NULL);
	parsed = parse_job_new(l.pool, NULL);
	parse_job_push(parsed, body, len);
	parse_job_finish(parsed, test_done_cb, &r[0]);
	test_wait_done(l.pool, 1);
	queued = parse_job_new(l.pool, NULL);
	parse_job_push(queued, body, len);
	parse_job_finish(queued, test_done_cb, &r[1]);
	kept = parse_job_new(l.pool, NULL);
	parse_job_push(kept, body, len);
	parse_job_finish(kept, test_done_cb, &r[2]);
	parse_job_cancel(idle);
	parse_job_cancel(queued);
	parse_job_cancel(parsed);
	test_loop_until(&l, test_called, &r[2]);
	assert_int_equal(r[0].ncalls, 0);
	assert_int_equal(r[1].ncalls, 0);
	assert_int_equal(r[2].ncalls, 1);
	assert_int_equal(r[2].nentries, 20);
	free(r[2].title);
	free(body);
	test_loop_free(&l);
}

/*
 * Bytes that made the pool full go away with their cancelled job: the
 * drained callback still runs, or transfers paused for them would wait
 * for ever.
 */
static void
test_pool_cancel_drains(void **state)
{
	struct test_loop	 l;
	struct test_result	 r[PARSE_POOL_MAX_DONE];
	struct parse_job	*job;
	char			*body;
	size_t			 len;
	int			 i;

	(void)state;
	memset(r, 0, sizeof r);
	test_loop_init(&l, 1);
	test_park_done(&l, r);
	body = test_rss(7, 10, PARSE_POOL_HIGH + 1024 * 1024, &len);
	job = parse_job_new(l.pool, NULL);
	parse_job_push(job, body, len);
	assert_true(parse_pool_is_full(l.pool));
	parse_job_cancel(job);
	test_loop_until(&l, test_is_drained, &l);
	assert_false(parse_pool_is_full(l.pool));
	free(body);
	for (i = 0; i < PARSE_POOL_MAX_DONE; i++)
		free(r[i].title);
	test_loop_free(&l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pool_workers_are_background),
		cmocka_unit_test(test_pool_interleaved),
		cmocka_unit_test(test_pool_backpressure),
		cmocka_unit_test(test_pool_cancel),
		cmocka_unit_test(test_pool_cancel_drains),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
