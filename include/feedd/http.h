/*
 * http: an evhttp server for what emit published.  Each path maps to one
 * immutable buffer with its ETag; a conditional GET gets 304.  http never
 * builds content itself.
 */
#ifndef FEEDD_HTTP_H
#define FEEDD_HTTP_H

#include <stddef.h>

struct event_base;
struct http;

/* listen is "host:port"; returns NULL with *cause if it cannot bind. */
struct http	*http_new(struct event_base *, const char *listen,
		    char **cause);
void		 http_free(struct http *);
/* Serve a copy of data at path from now on, replacing what was there. */
void		 http_publish(struct http *, const char *path,
		    const char *content_type, const char *data, size_t len);
/* The port actually bound (useful with port 0). */
int		 http_port(const struct http *);

#endif
