/* SPDX-License-Identifier: ISC */
/*
 * The HTTP endpoint: evhttp serving what emit published.  Each path maps
 * to an immutable copy of a document with a strong ETag, so a feed
 * reader's conditional GET costs a 304 and no body.
 */
#include <sys/socket.h>

#include <netinet/in.h>

#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "feedd/http.h"
#include "feedd/log.h"
#include "feedd/util.h"

struct http_doc {
	char	*path;
	char	*content_type;
	char	*data;
	size_t	 len;
	char	*etag;		/* quoted, as sent */
};

struct http {
	struct evhttp			*evh;
	struct evhttp_bound_socket	*sock;
	struct http_doc			*docs;
	size_t				 ndocs;
};

static void	http_request_cb(struct evhttp_request *, void *);

/* Split "host:port" (or "[v6]:port"); returns -1 if malformed. */
static int
http_split_listen(const char *listen, char **host, ev_uint16_t *port)
{
	const char	*colon;
	char		*end;
	long		 n;

	if ((colon = strrchr(listen, ':')) == NULL)
		return (-1);
	n = strtol(colon + 1, &end, 10);
	if (colon[1] == '\0' || *end != '\0' || n < 0 || n > 65535)
		return (-1);
	if (listen[0] == '[' && colon > listen && colon[-1] == ']')
		*host = xstrndup(listen + 1, (size_t)(colon - listen - 2));
	else
		*host = xstrndup(listen, (size_t)(colon - listen));
	*port = (ev_uint16_t)n;
	return (0);
}

/* Bind the server; NULL with *cause if the address cannot be bound. */
struct http *
http_new(struct event_base *base, const char *listen, char **cause)
{
	struct http	*h;
	char		*host = NULL;
	ev_uint16_t	 port;

	h = xcalloc(1, sizeof *h);
	if (http_split_listen(listen, &host, &port) != 0) {
		xasprintf(cause, "http: bad listen address: %s", listen);
		goto fail;
	}
	if ((h->evh = evhttp_new(base)) == NULL) {
		xasprintf(cause, "http: evhttp_new failed");
		goto fail;
	}
	evhttp_set_allowed_methods(h->evh, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD);
	evhttp_set_gencb(h->evh, http_request_cb, h);
	evhttp_set_timeout(h->evh, 30);
	if ((h->sock = evhttp_bind_socket_with_handle(h->evh, host,
	    port)) == NULL) {
		xasprintf(cause, "http: cannot listen on %s", listen);
		goto fail;
	}
	free(host);
	log_info("http: listening on %s", listen);
	return (h);

fail:
	free(host);
	http_free(h);
	return (NULL);
}

/* Stop serving and free everything; NULL is fine. */
void
http_free(struct http *h)
{
	size_t	 i;

	if (h == NULL)
		return;
	if (h->evh != NULL)
		evhttp_free(h->evh);
	for (i = 0; i < h->ndocs; i++) {
		free(h->docs[i].path);
		free(h->docs[i].content_type);
		free(h->docs[i].data);
		free(h->docs[i].etag);
	}
	free(h->docs);
	free(h);
}

/* The bound port. */
int
http_port(const struct http *h)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof ss;
	evutil_socket_t		 fd;

	fd = evhttp_bound_socket_get_fd(h->sock);
	if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
		return (-1);
	if (ss.ss_family == AF_INET6)
		return (ntohs(((struct sockaddr_in6 *)&ss)->sin6_port));
	return (ntohs(((struct sockaddr_in *)&ss)->sin_port));
}

/* Serve a copy of data at path from now on. */
void
http_publish(struct http *h, const char *path, const char *content_type,
    const char *data, size_t len)
{
	struct http_doc	*d = NULL;
	char		 hex[65];
	size_t		 i;

	for (i = 0; i < h->ndocs; i++) {
		if (strcmp(h->docs[i].path, path) == 0) {
			d = &h->docs[i];
			break;
		}
	}
	if (d == NULL) {
		h->docs = xreallocarray(h->docs, h->ndocs + 1, sizeof *h->docs);
		d = &h->docs[h->ndocs++];
		memset(d, 0, sizeof *d);
		d->path = xstrdup(path);
	}
	free(d->content_type);
	free(d->data);
	free(d->etag);
	d->content_type = xstrdup(content_type);
	d->data = xmalloc(len);
	memcpy(d->data, data, len);
	d->len = len;
	util_sha256_hex(data, len, hex);
	xasprintf(&d->etag, "\"%.32s\"", hex);
}

/* True when an If-None-Match header value names etag (or is "*"). */
static int
http_etag_matches(const char *header, const char *etag)
{
	if (header == NULL)
		return (0);
	if (strcmp(header, "*") == 0)
		return (1);
	/* A list of entity tags; ours are quoted, so a substring is a match. */
	return (strstr(header, etag) != NULL);
}

/* Answer one request from the published documents. */
static void
http_request_cb(struct evhttp_request *req, void *arg)
{
	struct http		*h = arg;
	struct evkeyvalq	*out = evhttp_request_get_output_headers(req);
	struct evbuffer		*body;
	const char		*path, *inm;
	struct http_doc		*d = NULL;
	size_t			 i;

	path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
	if (path == NULL)
		path = "/";
	for (i = 0; i < h->ndocs; i++) {
		if (strcmp(h->docs[i].path, path) == 0)
			d = &h->docs[i];
	}
	if (d == NULL) {
		evhttp_send_error(req, HTTP_NOTFOUND, NULL);
		return;
	}
	evhttp_add_header(out, "ETag", d->etag);
	evhttp_add_header(out, "Cache-Control", "max-age=60");
	inm = evhttp_find_header(evhttp_request_get_input_headers(req),
	    "If-None-Match");
	if (http_etag_matches(inm, d->etag)) {
		evhttp_send_reply(req, HTTP_NOTMODIFIED, "Not Modified", NULL);
		return;
	}
	evhttp_add_header(out, "Content-Type", d->content_type);
	body = evbuffer_new();
	/* A copy: a publish may replace d->data before this is sent. */
	evbuffer_add(body, d->data, d->len);
	evhttp_send_reply(req, HTTP_OK, "OK", body);
	evbuffer_free(body);
}
