/*
 * http: an evhttp server for what emit published.  Each path maps to one
 * immutable buffer with its ETag; a conditional GET gets 304.  http never
 * builds content itself: /metrics and /healthz ask its owner through
 * callbacks.  It caps connections and the time a request's headers may
 * take, which evhttp does not.
 */
#ifndef FEEDD_HTTP_H
#define FEEDD_HTTP_H

#include <stddef.h>

#include "feedd/util.h"

struct event_base;
struct metrics;
struct http;

/* Append the /metrics body (Prometheus text) to out. */
typedef void (*http_metrics_cb)(struct buf *out, void *arg);
/* NULL while the daemon is healthy, else why not (for /healthz). */
typedef const char *(*http_health_cb)(void *arg);

struct http_options {
	const char	*listen;	/* "host:port"; unused when fd >= 0 */
	int		 fd;		/* a listening socket to serve on
					   (systemd socket activation), or -1 */
	int		 max_connections; /* open at once */
	int		 header_timeout; /* seconds for a request's headers */
	const char	*token;		/* needed on every path but /healthz,
					   or NULL; copied */
	const char	*archive_dir;	/* the output directory: its
					   archive/N.atom files are served
					   from disk at that path; or NULL */
	struct metrics	*metrics;	/* counts requests, or NULL */
	http_metrics_cb	 metrics_cb;	/* NULL: no /metrics */
	http_health_cb	 health_cb;	/* NULL: always healthy */
	void		*arg;		/* for both callbacks */
};

/* Returns NULL with *cause if it cannot listen. */
struct http	*http_new(struct event_base *, const struct http_options *,
		    char **cause);
void		 http_free(struct http *);
void		 http_unpublish_all(struct http *);
/* Serve a copy of data at path from now on, replacing what was there. */
void		 http_publish(struct http *, const char *path,
		    const char *content_type, const char *data, size_t len);
/* The port actually bound (useful with port 0). */
int		 http_port(const struct http *);

#endif
