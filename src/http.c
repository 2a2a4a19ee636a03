/* SPDX-License-Identifier: ISC */
/*
 * The HTTP endpoint: evhttp serving what emit published.  Each path maps
 * to an immutable copy of a document with a strong ETag, so a feed
 * reader's conditional GET costs a 304 and no body.  /metrics and
 * /healthz are answered through the owner's callbacks; an optional
 * token guards everything but /healthz.
 *
 * libevent 2.1's evhttp has no connection cap, and its timeout is one of
 * inactivity that a client trickling a byte a second keeps resetting
 * (slowloris).  So every connection is tracked here: evhttp asks us for
 * each connection's bufferevent (evhttp_set_bevcb), we keep a reference
 * to it, and a once-a-second sweep closes connections whose request
 * headers did not arrive within header_timeout.  Past max_connections,
 * the connections waiting longest for their headers are closed to make
 * room, so a normal GET gets through whatever slow clients hold.  Closing is a
 * shutdown(2) of the socket: evhttp then sees EOF and frees the
 * connection through its own error path.
 */
#include <sys/queue.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <openssl/crypto.h>
#include <zlib.h>

#include "feedd/http.h"
#include "feedd/log.h"
#include "feedd/metrics.h"
#include "feedd/util.h"

/* How often the sweep runs; it is also the /healthz heartbeat. */
#define HTTP_SWEEP_SECONDS	1
/* /healthz fails when the heartbeat is older than this. */
#define HTTP_STALE_SECONDS	10
/* Inactivity timeout once a request is being answered. */
#define HTTP_IDLE_SECONDS	30
/* Feed readers send small requests; anything bigger is refused. */
#define HTTP_MAX_HEADERS	(64 * 1024)
#define HTTP_MAX_BODY		(64 * 1024)
/* File descriptors kept for the database, outputs and transfers. */
#define HTTP_SPARE_FDS		64
/* How much of a waiting request the trim looks at for its headers' end. */
#define HTTP_PEEK		4096
#define HTTP_ATOM_TYPE		"application/atom+xml; charset=utf-8"

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

enum http_conn_state {
	HTTP_CONN_WAITING,	/* for a request's headers */
	HTTP_CONN_SERVING,	/* a request is being answered */
	HTTP_CONN_REFUSED,	/* far over the cap: close once it has its
				   socket */
	HTTP_CONN_CLOSING	/* shut down; evhttp frees it soon */
};

/* One connection evhttp accepted. */
struct http_conn {
	struct bufferevent	*bev;	/* evhttp's, with our reference */
	enum http_conn_state	 state;
	time_t			 since;	/* monotonic: when it began waiting */
	TAILQ_ENTRY(http_conn)	 entry;
};

struct http {
	struct event_base		*base;
	struct evhttp			*evh;
	struct evhttp_bound_socket	*sock;
	struct http_doc			*docs;
	size_t				 ndocs;
	TAILQ_HEAD(, http_conn)		 conns;	/* oldest first */
	size_t				 nopen;	/* not closing */
	int				 max_connections;
	int				 header_timeout;
	struct event			*sweep;
	struct event			*trim;	/* back under the cap */
	time_t				 beat;	/* last sweep, monotonic */
	bool				 has_token;
	char				 token_hex[65]; /* SHA-256 of it */
	char				*archive_dir;	/* or NULL */
	struct metrics			*mx;
	http_metrics_cb			 metrics_cb;
	http_health_cb			 health_cb;
	void				*arg;
};

static int	http_split_listen(const char *, char **, ev_uint16_t *);
static int	http_listen(struct http *, const struct http_options *,
		    char **);
static void	http_request_cb(struct evhttp_request *, void *);
static void	http_complete_cb(struct evhttp_request *, void *);
static struct bufferevent *http_conn_cb(struct event_base *, void *);
static void	http_sweep_cb(evutil_socket_t, short, void *);
static void	http_trim_cb(evutil_socket_t, short, void *);
static void	http_reap(struct http *);
static void	http_close(struct http *, struct http_conn *, const char *);
static bool	http_conn_is_freed(const struct http_conn *);
static struct http_conn *http_conn_find(struct http *,
		    struct evhttp_request *);
static int	http_answer(struct http *, struct evhttp_request *,
		    const char *);
static int	http_reply(struct evhttp_request *, int, const char *,
		    const char *, const char *, size_t);
static int	http_reply_text(struct evhttp_request *, int, const char *,
		    const char *);
static bool	http_is_fresh(struct evhttp_request *, const char *, time_t);
static bool	http_is_archive_path(const char *);
static int	http_serve_archive(struct http *, struct evhttp_request *,
		    const char *);
static int	http_serve_doc(struct evhttp_request *,
		    const struct http_doc *);
static int	http_serve_metrics(struct http *, struct evhttp_request *);
static int	http_serve_health(struct http *, struct evhttp_request *);
static bool	http_is_authorized(struct http *, struct evhttp_request *,
		    bool *);
static const char *http_label(struct http *, const char *);
static struct http_doc *http_find_doc(struct http *, const char *);
static void	http_raise_fd_limit(int);
static time_t	http_now(void);
static char	*http_gzip(const char *, size_t, size_t *);
static time_t	http_parse_date(const char *);
static int	http_takes_gzip(const char *);
static void	http_send_fast(struct evhttp_request *);
static struct evbuffer *http_share(char *, size_t);
static void	http_unshare(struct http_doc *);
static int	http_etag_matches(const char *, const char *);

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

/* Seconds on the monotonic clock: wall clock steps must not expire. */
static time_t
http_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec);
}

/*
 * Every connection costs a file descriptor: raise the soft limit to the
 * hard one, and say so when the cap does not fit under it.
 */
static void
http_raise_fd_limit(int max_connections)
{
	struct rlimit	 rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
			getrlimit(RLIMIT_NOFILE, &rl);
	}
	/* A burst may hold twice the cap for a moment. */
	if (rl.rlim_cur != RLIM_INFINITY &&
	    2 * (rlim_t)max_connections + HTTP_SPARE_FDS > rl.rlim_cur)
		log_warn("http: max_connections %d is close to the open file "
		    "limit %llu", max_connections,
		    (unsigned long long)rl.rlim_cur);
}

/* Listen on the socket given, or bind the listen address. */
static int
http_listen(struct http *h, const struct http_options *o, char **cause)
{
	char		*host = NULL;
	ev_uint16_t	 port;

	if (o->fd >= 0) {
		evutil_make_socket_nonblocking(o->fd);
		if ((h->sock = evhttp_accept_socket_with_handle(h->evh,
		    o->fd)) == NULL) {
			xasprintf(cause, "http: cannot serve on socket %d",
			    o->fd);
			return (-1);
		}
		log_info("http: serving on the socket systemd passed (fd %d)",
		    o->fd);
		return (0);
	}
	if (http_split_listen(o->listen, &host, &port) != 0) {
		xasprintf(cause, "http: bad listen address: %s", o->listen);
		return (-1);
	}
	h->sock = evhttp_bind_socket_with_handle(h->evh, host, port);
	free(host);
	if (h->sock == NULL) {
		xasprintf(cause, "http: cannot listen on %s", o->listen);
		return (-1);
	}
	log_info("http: listening on %s", o->listen);
	return (0);
}

/* Start serving; NULL with *cause if it cannot listen. */
struct http *
http_new(struct event_base *base, const struct http_options *o,
    char **cause)
{
	struct http	*h;
	struct timeval	 tv = { HTTP_SWEEP_SECONDS, 0 };

	h = xcalloc(1, sizeof *h);
	h->base = base;
	TAILQ_INIT(&h->conns);
	h->max_connections = o->max_connections;
	h->header_timeout = o->header_timeout;
	h->mx = o->metrics;
	h->metrics_cb = o->metrics_cb;
	h->health_cb = o->health_cb;
	h->arg = o->arg;
	if (o->archive_dir != NULL)
		h->archive_dir = xstrdup(o->archive_dir);
	if (o->token != NULL) {
		h->has_token = true;
		util_sha256_hex(o->token, strlen(o->token), h->token_hex);
	}
	http_raise_fd_limit(h->max_connections);
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
	evhttp_set_bevcb(h->evh, http_conn_cb, h);
	evhttp_set_timeout(h->evh, HTTP_IDLE_SECONDS);
	evhttp_set_max_headers_size(h->evh, HTTP_MAX_HEADERS);
	evhttp_set_max_body_size(h->evh, HTTP_MAX_BODY);
	if (http_listen(h, o, cause) != 0)
		goto fail;
	h->beat = http_now();
	h->sweep = event_new(base, -1, EV_PERSIST, http_sweep_cb, h);
	h->trim = evtimer_new(base, http_trim_cb, h);
	evtimer_add(h->sweep, &tv);
	return (h);

fail:
	http_free(h);
	return (NULL);
}

/* Stop serving and free everything; NULL is fine. */
void
http_free(struct http *h)
{
	struct http_conn	*c;

	if (h == NULL)
		return;
	if (h->sweep != NULL)
		event_free(h->sweep);
	if (h->trim != NULL)
		event_free(h->trim);
	/* evhttp frees its connections; then our references go. */
	if (h->evh != NULL)
		evhttp_free(h->evh);
	while ((c = TAILQ_FIRST(&h->conns)) != NULL) {
		TAILQ_REMOVE(&h->conns, c, entry);
		bufferevent_decref(c->bev);
		free(c);
	}
	http_unpublish_all(h);
	free(h->archive_dir);
	explicit_bzero(h->token_hex, sizeof h->token_hex);
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
 * Whether evhttp has freed the connection's bufferevent (only our
 * reference keeps it).  bufferevent_free clears all three callbacks
 * first, while evhttp keeps its error callback set for as long as the
 * connection lives (it clears only the read callback while writing).
 */
static bool
http_conn_is_freed(const struct http_conn *c)
{
	bufferevent_data_cb	 readcb, writecb;
	bufferevent_event_cb	 eventcb;
	void			*cbarg;

	bufferevent_getcb(c->bev, &readcb, &writecb, &eventcb, &cbarg);
	return (readcb == NULL && writecb == NULL && eventcb == NULL);
}

/* Forget connections evhttp has freed, dropping our references. */
static void
http_reap(struct http *h)
{
	struct http_conn	*c, *next;

	for (c = TAILQ_FIRST(&h->conns); c != NULL; c = next) {
		next = TAILQ_NEXT(c, entry);
		if (!http_conn_is_freed(c))
			continue;
		if (c->state == HTTP_CONN_WAITING ||
		    c->state == HTTP_CONN_SERVING)
			h->nopen--;
		TAILQ_REMOVE(&h->conns, c, entry);
		bufferevent_decref(c->bev);
		free(c);
	}
	if (h->mx != NULL)
		metrics_set_connections(h->mx, h->nopen);
}

/*
 * Close a connection: shut its socket down, so that evhttp reads EOF and
 * frees it through its own error path (never from under its feet).
 */
static void
http_close(struct http *h, struct http_conn *c, const char *reason)
{
	evutil_socket_t	 fd;

	if (c->state == HTTP_CONN_CLOSING)
		return;
	if (c->state != HTTP_CONN_REFUSED) {
		h->nopen--;
		if (h->mx != NULL)
			metrics_count_dropped(h->mx, reason);
	}
	log_debug("http: closing a connection (%s)", reason);
	if ((fd = bufferevent_getfd(c->bev)) >= 0)
		shutdown(fd, SHUT_RDWR);
	c->state = HTTP_CONN_CLOSING;
}

/*
 * evhttp accepted a connection and asks for its bufferevent.  Past the
 * cap, the trim runs as soon as the loop turns; past twice the cap (a
 * burst), the new connection is refused outright, so the descriptors
 * used stay bounded.
 */
static struct bufferevent *
http_conn_cb(struct event_base *base, void *arg)
{
	struct http		*h = arg;
	struct http_conn	*c;
	struct timeval		 tv = { 0, 0 };

	http_reap(h);
	c = xcalloc(1, sizeof *c);
	/* No BEV_OPT_CLOSE_ON_FREE: evhttp closes the socket itself. */
	if ((c->bev = bufferevent_socket_new(base, -1, 0)) == NULL) {
		log_warn("http: cannot make a bufferevent");
		free(c);
		return (NULL);
	}
	bufferevent_incref(c->bev);
	c->since = http_now();
	if (h->nopen >= 2 * (size_t)h->max_connections) {
		/* Its socket is set after we return: the trim closes it. */
		c->state = HTTP_CONN_REFUSED;
		if (h->mx != NULL)
			metrics_count_dropped(h->mx, "over_cap");
	} else
		h->nopen++;
	TAILQ_INSERT_TAIL(&h->conns, c, entry);
	if (h->nopen > (size_t)h->max_connections ||
	    c->state == HTTP_CONN_REFUSED)
		evtimer_add(h->trim, &tv);
	if (h->mx != NULL)
		metrics_set_connections(h->mx, h->nopen);
	return (c->bev);
}

/*
 * Whether all of a connection's request headers are there, read by
 * evhttp or still in the socket: such a client sent its request at once
 * and is no slow one, however many of those came in the same burst.
 */
static bool
http_conn_has_request(struct http_conn *c)
{
	char			 buf[HTTP_PEEK];
	struct evbuffer_ptr	 end;
	evutil_socket_t		 fd;
	ssize_t			 n;

	end = evbuffer_search(bufferevent_get_input(c->bev), "\r\n\r\n", 4,
	    NULL);
	if (end.pos != -1)
		return (true);
	if ((fd = bufferevent_getfd(c->bev)) < 0)
		return (false);
	n = recv(fd, buf, sizeof buf, MSG_PEEK | MSG_DONTWAIT);
	return (n > 0 && memmem(buf, (size_t)n, "\r\n\r\n", 4) != NULL);
}

/*
 * Back under the cap: close refused connections, then those that have
 * waited longest for a request, oldest first.  It runs a turn of the
 * loop after the accepts; a client whose whole request is there by then
 * is being answered, or is kept and counted, even refused in a burst:
 * the slow ones pay.
 */
static void
http_trim_cb(evutil_socket_t fd, short what, void *arg)
{
	struct http		*h = arg;
	struct http_conn	*c;

	(void)fd;
	(void)what;
	TAILQ_FOREACH(c, &h->conns, entry) {
		if (c->state != HTTP_CONN_REFUSED || http_conn_is_freed(c))
			continue;
		if (http_conn_has_request(c)) {
			c->state = HTTP_CONN_WAITING;
			h->nopen++;
		} else
			http_close(h, c, "over_cap");
	}
	TAILQ_FOREACH(c, &h->conns, entry) {
		if (h->nopen <= (size_t)h->max_connections)
			break;
		if (c->state == HTTP_CONN_WAITING && !http_conn_is_freed(c) &&
		    !http_conn_has_request(c))
			http_close(h, c, "over_cap");
	}
}

/*
 * Once a second: forget freed connections and close those whose request
 * headers took longer than header_timeout in all.  Also the heartbeat
 * /healthz looks at.
 */
static void
http_sweep_cb(evutil_socket_t fd, short what, void *arg)
{
	struct http		*h = arg;
	struct http_conn	*c;
	time_t			 now = http_now();

	(void)fd;
	(void)what;
	h->beat = now;
	http_reap(h);
	TAILQ_FOREACH(c, &h->conns, entry) {
		if (c->state == HTTP_CONN_WAITING &&
		    now - c->since >= h->header_timeout)
			http_close(h, c, "header_timeout");
	}
}

/* The tracked connection a request came on, or NULL. */
static struct http_conn *
http_conn_find(struct http *h, struct evhttp_request *req)
{
	struct evhttp_connection	*evcon;
	struct bufferevent		*bev;
	struct http_conn		*c;

	if ((evcon = evhttp_request_get_connection(req)) == NULL)
		return (NULL);
	bev = evhttp_connection_get_bufferevent(evcon);
	TAILQ_FOREACH(c, &h->conns, entry) {
		if (c->bev == bev)
			return (c);
	}
	return (NULL);
}

/*
 * A response was sent whole: a kept-alive connection waits for its next
 * request's headers, under the same deadline as the first.
 */
static void
http_complete_cb(struct evhttp_request *req, void *arg)
{
	struct http_conn	*c = arg;

	(void)req;
	if (c->state == HTTP_CONN_SERVING) {
		c->state = HTTP_CONN_WAITING;
		c->since = http_now();
	}
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
 * Serve nothing published any more (a reload: what the new config
 * still makes is published again at once).  Responses being sent keep
 * their bytes.
 */
void
http_unpublish_all(struct http *h)
{
	size_t	 i;

	for (i = 0; i < h->ndocs; i++) {
		free(h->docs[i].path);
		free(h->docs[i].content_type);
		http_unshare(&h->docs[i]);
		free(h->docs[i].etag);
	}
	free(h->docs);
	h->docs = NULL;
	h->ndocs = 0;
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

/* The published document at path, or NULL. */
static struct http_doc *
http_find_doc(struct http *h, const char *path)
{
	size_t	 i;

	for (i = 0; i < h->ndocs; i++) {
		if (strcmp(h->docs[i].path, path) == 0)
			return (&h->docs[i]);
	}
	return (NULL);
}

/*
 * The path as a metrics label: paths we serve, else "other", so that a
 * client probing random paths cannot grow the counters.
 */
static const char *
http_label(struct http *h, const char *path)
{
	if (strcmp(path, "/healthz") == 0 || (strcmp(path, "/metrics") == 0 &&
	    h->metrics_cb != NULL) || http_find_doc(h, path) != NULL)
		return (path);
	/* One label for every page, however many there are. */
	if (h->archive_dir != NULL && http_is_archive_path(path))
		return ("/archive/");
	return ("other");
}

/*
 * Whether the request carries the token, as "Authorization: Bearer
 * TOKEN" or "?token=TOKEN".  Both sides are hashed and the digests
 * compared in constant time, so neither the length nor the first
 * differing byte shows in the timing.  *is_given: a token was sent.
 */
static bool
http_is_authorized(struct http *h, struct evhttp_request *req,
    bool *is_given)
{
	struct evkeyvalq	 params;
	const char		*auth, *query, *given = NULL;
	char			 hex[65];
	bool			 is_ok;

	*is_given = false;
	if (!h->has_token)
		return (true);
	TAILQ_INIT(&params);
	auth = evhttp_find_header(evhttp_request_get_input_headers(req),
	    "Authorization");
	if (auth != NULL && strncasecmp(auth, "Bearer ", 7) == 0) {
		for (given = auth + 7; *given == ' '; given++)
			/* nothing */;
	} else {
		query = evhttp_uri_get_query(
		    evhttp_request_get_evhttp_uri(req));
		if (query != NULL && evhttp_parse_query_str(query,
		    &params) == 0)
			given = evhttp_find_header(&params, "token");
	}
	if (given == NULL) {
		evhttp_clear_headers(&params);
		return (false);
	}
	*is_given = true;
	util_sha256_hex(given, strlen(given), hex);
	is_ok = CRYPTO_memcmp(hex, h->token_hex, sizeof hex) == 0;
	evhttp_clear_headers(&params);
	return (is_ok);
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

/*
 * Send a response and return its status.  The body is shared (a
 * published document's buffer, referenced: a publish may replace the
 * document before this is sent, and the reference keeps the bytes
 * alive), else a copy of data.  libevent 2.1 would send the body after
 * a HEAD: send none, with the length the GET would have had.
 */
static int
http_reply_body(struct evhttp_request *req, int code, const char *reason,
    const char *content_type, struct evbuffer *shared, const char *data,
    size_t len)
{
	struct evkeyvalq	*out = evhttp_request_get_output_headers(req);
	struct evbuffer		*body;
	char			*n;

	if (content_type != NULL)
		evhttp_add_header(out, "Content-Type", content_type);
	if (evhttp_request_get_command(req) == EVHTTP_REQ_HEAD) {
		xasprintf(&n, "%zu", len);
		evhttp_add_header(out, "Content-Length", n);
		free(n);
		evhttp_send_reply(req, code, reason, NULL);
		return (code);
	}
	body = evbuffer_new();
	if (shared != NULL) {
		http_send_fast(req);
		evbuffer_add_buffer_reference(body, shared);
	} else
		evbuffer_add(body, data, len);
	evhttp_send_reply(req, code, reason, body);
	evbuffer_free(body);
	return (code);
}

/* Send a response with a copy of data as its body. */
static int
http_reply(struct evhttp_request *req, int code, const char *reason,
    const char *content_type, const char *data, size_t len)
{
	return (http_reply_body(req, code, reason, content_type, NULL, data,
	    len));
}

/* A short plain text response. */
static int
http_reply_text(struct evhttp_request *req, int code, const char *reason,
    const char *text)
{
	return (http_reply(req, code, reason, "text/plain; charset=utf-8",
	    text, strlen(text)));
}

/* Answer from a published document: 200, or 304 when the client has it. */
static int
http_serve_doc(struct evhttp_request *req, const struct http_doc *d)
{
	struct evkeyvalq	*in = evhttp_request_get_input_headers(req);
	struct evkeyvalq	*out = evhttp_request_get_output_headers(req);
	char			*etag;
	int			 is_gz;

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
	if (http_is_fresh(req, etag, d->modified)) {
		free(etag);
		evhttp_send_reply(req, HTTP_NOTMODIFIED, "Not Modified", NULL);
		return (HTTP_NOTMODIFIED);
	}
	free(etag);
	if (is_gz) {
		evhttp_add_header(out, "Content-Encoding", "gzip");
		return (http_reply_body(req, HTTP_OK, "OK", d->content_type,
		    d->gzbody, NULL, d->gzlen));
	}
	return (http_reply_body(req, HTTP_OK, "OK", d->content_type, d->body,
	    NULL, d->len));
}

/*
 * Whether the client's copy, validated by If-None-Match or else
 * If-Modified-Since, is the one with etag, modified then.  If-None-Match
 * wins over If-Modified-Since (RFC 9110 13.2.2).
 */
static bool
http_is_fresh(struct evhttp_request *req, const char *etag, time_t modified)
{
	struct evkeyvalq	*in = evhttp_request_get_input_headers(req);
	const char		*inm, *ims;
	time_t			 since;

	inm = evhttp_find_header(in, "If-None-Match");
	ims = evhttp_find_header(in, "If-Modified-Since");
	if (inm != NULL)
		return (http_etag_matches(inm, etag));
	return (ims != NULL && (since = http_parse_date(ims)) != -1 &&
	    since >= modified);
}

/* Whether path is /archive/N.atom, N a page number. */
static bool
http_is_archive_path(const char *path)
{
	const char	*p;

	if (strncmp(path, "/archive/", 9) != 0)
		return (false);
	for (p = path + 9; *p >= '0' && *p <= '9'; p++)
		/* nothing */;
	return (p > path + 9 && p - (path + 9) < 20 && path[9] != '0' &&
	    strcmp(p, ".atom") == 0);
}

/*
 * An RFC 5005 archive page, from the file emit wrote: there may be
 * thousands of them, each written once and rarely read, so they are not
 * held in memory like the live feeds.  The file is sent as it is (no
 * gzip), with validators from its size and modification time.
 */
static int
http_serve_archive(struct http *h, struct evhttp_request *req,
    const char *path)
{
	struct evkeyvalq	*out = evhttp_request_get_output_headers(req);
	struct evbuffer		*body;
	struct stat		 sb;
	struct tm		 tm;
	char			*file, etag[64], modified[64];
	int			 fd;

	xasprintf(&file, "%s%s", h->archive_dir, path);
	fd = open(file, O_RDONLY | O_CLOEXEC);
	free(file);
	if (fd == -1 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		if (fd != -1)
			close(fd);
		return (http_reply_text(req, HTTP_NOTFOUND, "Not Found",
		    "404 not found\n"));
	}
	snprintf(etag, sizeof etag, "\"%llx-%llx\"",
	    (unsigned long long)sb.st_mtim.tv_sec * 1000000000ULL +
	    (unsigned long long)sb.st_mtim.tv_nsec,
	    (unsigned long long)sb.st_size);
	gmtime_r(&sb.st_mtime, &tm);
	strftime(modified, sizeof modified, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	evhttp_add_header(out, "ETag", etag);
	evhttp_add_header(out, "Last-Modified", modified);
	evhttp_add_header(out, "Cache-Control", "max-age=3600");
	if (http_is_fresh(req, etag, sb.st_mtime)) {
		close(fd);
		evhttp_send_reply(req, HTTP_NOTMODIFIED, "Not Modified", NULL);
		return (HTTP_NOTMODIFIED);
	}
	if (evhttp_request_get_command(req) == EVHTTP_REQ_HEAD) {
		close(fd);
		return (http_reply(req, HTTP_OK, "OK", HTTP_ATOM_TYPE, NULL,
		    (size_t)sb.st_size));
	}
	evhttp_add_header(out, "Content-Type", HTTP_ATOM_TYPE);
	body = evbuffer_new();
	/* The buffer owns fd from here; sendfile where it can. */
	if (evbuffer_add_file(body, fd, 0, sb.st_size) != 0) {
		evbuffer_free(body);
		return (http_reply_text(req, HTTP_INTERNAL, "Internal Error",
		    "500 cannot read the page\n"));
	}
	http_send_fast(req);
	evhttp_send_reply(req, HTTP_OK, "OK", body);
	evbuffer_free(body);
	return (HTTP_OK);
}

/* /metrics: the owner renders it. */
static int
http_serve_metrics(struct http *h, struct evhttp_request *req)
{
	struct buf	 b;
	int		 code;

	buf_init(&b);
	h->metrics_cb(&b, h->arg);
	code = http_reply(req, HTTP_OK, "OK",
	    "text/plain; version=0.0.4; charset=utf-8", b.data, b.len);
	buf_clear(&b);
	return (code);
}

/*
 * /healthz: 200 while the loop turns (the sweep ran lately) and the
 * owner says all is well, else 503 with the reason.
 */
static int
http_serve_health(struct http *h, struct evhttp_request *req)
{
	const char	*why = NULL;
	char		*text;
	int		 code;

	if (http_now() - h->beat > HTTP_STALE_SECONDS)
		why = "event loop stalled";
	else if (h->health_cb != NULL)
		why = h->health_cb(h->arg);
	if (why == NULL)
		return (http_reply_text(req, HTTP_OK, "OK", "ok\n"));
	xasprintf(&text, "unhealthy: %s\n", why);
	code = http_reply_text(req, 503, "Service Unavailable", text);
	free(text);
	return (code);
}

/* Answer one request; returns the status sent. */
static int
http_answer(struct http *h, struct evhttp_request *req, const char *path)
{
	struct evkeyvalq	*out = evhttp_request_get_output_headers(req);
	struct http_doc		*d;
	bool			 is_given;

	if (evhttp_request_get_command(req) != EVHTTP_REQ_GET &&
	    evhttp_request_get_command(req) != EVHTTP_REQ_HEAD) {
		/* evhttp_send_error would drop the Allow header. */
		evhttp_add_header(out, "Allow", "GET, HEAD");
		return (http_reply_text(req, 405, "Method Not Allowed",
		    "405 method not allowed\n"));
	}
	/* Probes must not need the secret. */
	if (strcmp(path, "/healthz") == 0)
		return (http_serve_health(h, req));
	if (!http_is_authorized(h, req, &is_given)) {
		/* RFC 6750 3: a wrong token is invalid_token. */
		evhttp_add_header(out, "WWW-Authenticate", is_given ?
		    "Bearer realm=\"feedd\", error=\"invalid_token\"" :
		    "Bearer realm=\"feedd\"");
		return (http_reply_text(req, 401, "Unauthorized",
		    "401 unauthorized\n"));
	}
	if (strcmp(path, "/metrics") == 0 && h->metrics_cb != NULL)
		return (http_serve_metrics(h, req));
	if ((d = http_find_doc(h, path)) != NULL)
		return (http_serve_doc(req, d));
	if (h->archive_dir != NULL && http_is_archive_path(path))
		return (http_serve_archive(h, req, path));
	return (http_reply_text(req, HTTP_NOTFOUND, "Not Found",
	    "404 not found\n"));
}

/*
 * A request's headers are in: its connection is being served now, and
 * waits again once the response is sent.  The path never includes the
 * query string (?token= must not change what is served).
 */
static void
http_request_cb(struct evhttp_request *req, void *arg)
{
	struct http		*h = arg;
	struct http_conn	*c;
	const char		*path;
	int			 code;

	/* A refused connection that got its request in is answered too. */
	if ((c = http_conn_find(h, req)) != NULL &&
	    (c->state == HTTP_CONN_WAITING || c->state == HTTP_CONN_REFUSED)) {
		if (c->state == HTTP_CONN_REFUSED)
			h->nopen++;
		c->state = HTTP_CONN_SERVING;
		evhttp_request_set_on_complete_cb(req, http_complete_cb, c);
	}
	path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
	if (path == NULL || *path == '\0')
		path = "/";
	code = http_answer(h, req, path);
	if (h->mx != NULL)
		metrics_count_request(h->mx, http_label(h, path), code);
}
