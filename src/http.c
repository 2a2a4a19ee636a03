/* SPDX-License-Identifier: ISC */
/*
 * The HTTP endpoint: evhttp serving what emit published.  Each path maps
 * to an immutable copy of a document with a strong ETag, so a feed
 * reader's conditional GET costs a 304 and no body.
 */
#include <sys/socket.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <zlib.h>

#include "feedd/http.h"
#include "feedd/log.h"
#include "feedd/util.h"

struct http_doc {
	char	*path;
	char	*content_type;
	char	*data;
	size_t	 len;
	char	*gz;		/* gzip of data, made once per publish */
	size_t	 gzlen;		/* 0: not worth compressing */
	/*
	 * data and gz as buffers that responses reference instead of
	 * copying; they own data and gz, which live until the last
	 * response sending them is done.
	 */
	struct evbuffer	*body;
	struct evbuffer	*gzbody;	/* NULL when gz is */
	char	*etag;		/* quoted, as sent; "-gz" before the quote
				   for the gzip form */
	char	 hex[65];	/* SHA-256 of data */
	time_t	 modified;	/* when data last changed */
	char	 last_modified[40]; /* the same as an HTTP date */
};

struct http {
	struct evhttp			*evh;
	struct evhttp_bound_socket	*sock;
	struct http_doc			*docs;
	size_t				 ndocs;
};

static void	http_request_cb(struct evhttp_request *, void *);
static char	*http_gzip(const char *, size_t, size_t *);
static time_t	http_parse_date(const char *);
static void	http_send_fast(struct evhttp_request *);
static struct evbuffer *http_share(char *, size_t);
static void	http_unshare(struct http_doc *);
static int	http_takes_gzip(const char *);

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
	/* Every method reaches us, so that others get a 405 with Allow. */
	evhttp_set_allowed_methods(h->evh, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD |
	    EVHTTP_REQ_POST | EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |
	    EVHTTP_REQ_OPTIONS | EVHTTP_REQ_TRACE | EVHTTP_REQ_CONNECT |
	    EVHTTP_REQ_PATCH);
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
		http_unshare(&h->docs[i]);
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

/*
 * The gzip form of data, or NULL when it would not be smaller.  Made once
 * per publish, so a request costs no compression.
 */
static char *
http_gzip(const char *data, size_t len, size_t *gzlen)
{
	z_stream	 z;
	char		*out;
	size_t		 size = len + len / 1000 + 64;

	memset(&z, 0, sizeof z);
	/* 16 + MAX_WBITS: a gzip header and trailer, not zlib's. */
	if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS,
	    8, Z_DEFAULT_STRATEGY) != Z_OK)
		return (NULL);
	out = xmalloc(size);
	z.next_in = (Bytef *)(uintptr_t)data;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)out;
	z.avail_out = (uInt)size;
	if (len > UINT32_MAX || deflate(&z, Z_FINISH) != Z_STREAM_END ||
	    z.total_out >= len) {
		deflateEnd(&z);
		free(out);
		return (NULL);
	}
	*gzlen = z.total_out;
	deflateEnd(&z);
	return (out);
}

/* evbuffer cleanup: the last reference to published data is gone. */
static void
http_share_free(const void *data, size_t len, void *arg)
{
	(void)len;
	(void)arg;
	free((void *)(uintptr_t)data);
}

/* A buffer that owns p and that responses can reference. */
static struct evbuffer *
http_share(char *p, size_t len)
{
	struct evbuffer	*b;

	if ((b = evbuffer_new()) == NULL ||
	    evbuffer_add_reference(b, p, len, http_share_free, NULL) != 0)
		fatalx("http: out of memory");
	return (b);
}

/* Let go of a document's data; responses still sending it keep it. */
static void
http_unshare(struct http_doc *d)
{
	if (d->body != NULL)
		evbuffer_free(d->body);
	if (d->gzbody != NULL)
		evbuffer_free(d->gzbody);
	d->body = d->gzbody = NULL;
	d->data = d->gz = NULL;
}

/*
 * Serve a copy of data at path from now on.  Publishing the same bytes
 * again changes nothing, so the ETag and Last-Modified stay.
 */
void
http_publish(struct http *h, const char *path, const char *content_type,
    const char *data, size_t len)
{
	struct http_doc	*d = NULL;
	struct tm	 tm;
	char		 hex[65];
	size_t		 i;

	util_sha256_hex(data, len, hex);
	for (i = 0; i < h->ndocs; i++) {
		if (strcmp(h->docs[i].path, path) == 0) {
			d = &h->docs[i];
			break;
		}
	}
	if (d != NULL && strcmp(d->hex, hex) == 0)
		return;
	if (d == NULL) {
		h->docs = xreallocarray(h->docs, h->ndocs + 1, sizeof *h->docs);
		d = &h->docs[h->ndocs++];
		memset(d, 0, sizeof *d);
		d->path = xstrdup(path);
	}
	free(d->content_type);
	http_unshare(d);
	free(d->etag);
	d->content_type = xstrdup(content_type);
	d->data = xmalloc(len);
	memcpy(d->data, data, len);
	d->len = len;
	d->gzlen = 0;
	d->gz = http_gzip(data, len, &d->gzlen);
	d->body = http_share(d->data, d->len);
	d->gzbody = d->gz != NULL ? http_share(d->gz, d->gzlen) : NULL;
	memcpy(d->hex, hex, sizeof d->hex);
	xasprintf(&d->etag, "\"%.32s\"", hex);
	d->modified = time(NULL);
	gmtime_r(&d->modified, &tm);
	strftime(d->last_modified, sizeof d->last_modified,
	    "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

/* An HTTP date (IMF-fixdate, RFC 9110 5.6.7) as a time, or -1. */
static time_t
http_parse_date(const char *s)
{
	struct tm	 tm;
	const char	*end;

	memset(&tm, 0, sizeof tm);
	end = strptime(s, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	if (end == NULL || *end != '\0')
		return (-1);
	return (timegm(&tm));
}

/* Whether the client takes gzip (Accept-Encoding names it, q not 0). */
static int
http_takes_gzip(const char *accept)
{
	const char	*p;

	if (accept == NULL || (p = strcasestr(accept, "gzip")) == NULL)
		return (0);
	p += 4;
	while (*p == ' ')
		p++;
	return (strncmp(p, ";q=0", 4) != 0 || strncmp(p, ";q=0.", 5) == 0);
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

/*
 * Send a body at once, in few system calls.  With Nagle's algorithm the
 * tail of a body larger than a segment waits for the client's delayed
 * ACK, about 40 ms a response on keep-alive, and evhttp never sets
 * TCP_NODELAY; a bufferevent writes at most 16 KB a call unless told
 * otherwise (bench/serve-bench.sh measured both).  A failure here only
 * costs speed.
 */
static void
http_send_fast(struct evhttp_request *req)
{
	struct evhttp_connection	*conn;
	struct bufferevent		*bev;
	int				 on = 1;

	if ((conn = evhttp_request_get_connection(req)) != NULL &&
	    (bev = evhttp_connection_get_bufferevent(conn)) != NULL) {
		(void)setsockopt(bufferevent_getfd(bev), IPPROTO_TCP,
		    TCP_NODELAY, &on, sizeof on);
		bufferevent_set_max_single_write(bev, 1 << 20);
	}
}

/* Answer one request from the published documents. */
static void
http_request_cb(struct evhttp_request *req, void *arg)
{
	struct http		*h = arg;
	struct evkeyvalq	*in = evhttp_request_get_input_headers(req);
	struct evkeyvalq	*out = evhttp_request_get_output_headers(req);
	struct evbuffer		*body;
	const char		*path, *inm, *ims;
	struct http_doc		*d = NULL;
	char			*etag, *len;
	size_t			 i;
	int			 is_gz;
	time_t			 since;

	if (evhttp_request_get_command(req) != EVHTTP_REQ_GET &&
	    evhttp_request_get_command(req) != EVHTTP_REQ_HEAD) {
		/* evhttp_send_error would drop the Allow header. */
		evhttp_add_header(out, "Allow", "GET, HEAD");
		evhttp_add_header(out, "Content-Type",
		    "text/plain; charset=utf-8");
		body = evbuffer_new();
		evbuffer_add_printf(body, "405 method not allowed\n");
		evhttp_send_reply(req, 405, "Method Not Allowed", body);
		evbuffer_free(body);
		return;
	}
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
	/* The gzip form is another representation: its own ETag. */
	is_gz = d->gz != NULL &&
	    http_takes_gzip(evhttp_find_header(in, "Accept-Encoding"));
	if (is_gz)
		xasprintf(&etag, "\"%.32s-gz\"", d->hex);
	else
		etag = xstrdup(d->etag);
	evhttp_add_header(out, "ETag", etag);
	evhttp_add_header(out, "Last-Modified", d->last_modified);
	evhttp_add_header(out, "Cache-Control", "max-age=60");
	evhttp_add_header(out, "Vary", "Accept-Encoding");
	inm = evhttp_find_header(in, "If-None-Match");
	ims = evhttp_find_header(in, "If-Modified-Since");
	/* If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2). */
	if ((inm != NULL && http_etag_matches(inm, etag)) || (inm == NULL &&
	    ims != NULL && (since = http_parse_date(ims)) != -1 &&
	    since >= d->modified)) {
		free(etag);
		evhttp_send_reply(req, HTTP_NOTMODIFIED, "Not Modified", NULL);
		return;
	}
	free(etag);
	evhttp_add_header(out, "Content-Type", d->content_type);
	if (is_gz)
		evhttp_add_header(out, "Content-Encoding", "gzip");
	/*
	 * libevent 2.1 would send the body after a HEAD: send none, with
	 * the length the GET would have had.
	 */
	if (evhttp_request_get_command(req) == EVHTTP_REQ_HEAD) {
		xasprintf(&len, "%zu", is_gz ? d->gzlen : d->len);
		evhttp_add_header(out, "Content-Length", len);
		free(len);
		evhttp_send_reply(req, HTTP_OK, "OK", NULL);
		return;
	}
	http_send_fast(req);
	body = evbuffer_new();
	/*
	 * A reference, not a copy: a publish may replace the document
	 * before this is sent, and the reference keeps the bytes alive.
	 */
	evbuffer_add_buffer_reference(body, is_gz ? d->gzbody : d->body);
	evhttp_send_reply(req, HTTP_OK, "OK", body);
	evbuffer_free(body);
}
