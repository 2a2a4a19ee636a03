/* SPDX-License-Identifier: ISC */
/*
 * serve-emit: the rebuild driver for bench/serve-bench.sh.  Loads the
 * config -c FILE, opens its store, and rebuilds every output the way
 * feedd does after a burst of polls: emit_now, publishing each document
 * to a real http server object (which gzips it and computes its ETags,
 * as main's callback does), bound to 127.0.0.1:0 and never serving.
 *
 * It rebuilds twice and prints one line for each:
 *
 *	changed wall S cpu S docs D bytes B
 *	unchanged wall S cpu S docs D bytes B
 *
 * "changed" is the first rebuild of a fresh emit over an empty output
 * directory (the caller empties it): every document differs from the
 * disk, so each is built, hashed, written, fsynced, renamed and
 * published.  "unchanged" is the next one, same entries: built, hashed
 * and published, nothing written.  Only emit_now is timed (wall:
 * CLOCK_MONOTONIC; cpu: CLOCK_PROCESS_CPUTIME_ID), never loading the
 * config or opening the store.
 *
 * Not part of the build: the bench script compiles it against the
 * project's static libraries.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "feedd/config.h"
#include "feedd/emit.h"
#include "feedd/http.h"
#include "feedd/log.h"
#include "feedd/store.h"

struct serve_count {
	struct http	*http;
	size_t		 docs;
	size_t		 bytes;
};

/* What main's callback does, and a count of it. */
static void
serve_published_cb(const struct emit_doc *doc, void *arg)
{
	struct serve_count	*c = arg;

	http_publish(c->http, doc->path, doc->content_type, doc->data,
	    doc->len);
	c->docs++;
	c->bytes += doc->len;
}

static double
serve_seconds(clockid_t clock)
{
	struct timespec	ts;

	clock_gettime(clock, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

/* Time one emit_now and print its line. */
static int
serve_rebuild(struct emit *em, struct serve_count *c, const char *what)
{
	double	 w0, c0, w1, c1;
	char	*cause = NULL;

	c->docs = c->bytes = 0;
	w0 = serve_seconds(CLOCK_MONOTONIC);
	c0 = serve_seconds(CLOCK_PROCESS_CPUTIME_ID);
	if (emit_now(em, &cause) != 0) {
		fprintf(stderr, "serve-emit: %s\n", cause);
		free(cause);
		return (-1);
	}
	w1 = serve_seconds(CLOCK_MONOTONIC);
	c1 = serve_seconds(CLOCK_PROCESS_CPUTIME_ID);
	printf("%s wall %.6f cpu %.6f docs %zu bytes %zu\n", what, w1 - w0,
	    c1 - c0, c->docs, c->bytes);
	return (0);
}

int
main(int argc, char **argv)
{
	struct config		*cfg;
	struct store		*st;
	struct event_base	*base;
	struct emit		*em;
	struct serve_count	 c = { NULL, 0, 0 };
	struct http_options	 ho;
	char			*cause = NULL;
	int			 ch, ret = 0;
	const char		*path = NULL;

	while ((ch = getopt(argc, argv, "c:")) != -1) {
		if (ch != 'c') {
			fprintf(stderr, "usage: serve-emit -c config\n");
			return (2);
		}
		path = optarg;
	}
	if (path == NULL) {
		fprintf(stderr, "usage: serve-emit -c config\n");
		return (2);
	}
	log_open(LOG_LEVEL_WARN);
	if ((cfg = config_load(path, &cause)) == NULL ||
	    (st = store_open(cfg->database, &cause)) == NULL) {
		fprintf(stderr, "serve-emit: %s\n", cause);
		return (1);
	}
	memset(&ho, 0, sizeof ho);
	ho.listen = "127.0.0.1:0";
	ho.fd = -1;
	if ((base = event_base_new()) == NULL ||
	    (c.http = http_new(base, &ho, &cause)) == NULL) {
		fprintf(stderr, "serve-emit: %s\n", cause != NULL ? cause :
		    "event_base_new failed");
		return (1);
	}
	em = emit_new(base, st, cfg, serve_published_cb, &c);
	if (serve_rebuild(em, &c, "changed") != 0 ||
	    serve_rebuild(em, &c, "unchanged") != 0)
		ret = 1;
	emit_free(em);
	http_free(c.http);
	event_base_free(base);
	store_close(st);
	config_free(cfg);
	return (ret);
}
