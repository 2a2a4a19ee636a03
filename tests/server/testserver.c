/* SPDX-License-Identifier: ISC */
/*
 * feedd-testserver: a small scriptable HTTP server for the integration
 * tests (newsboat's httptestserver idea, in the shape of libevent's
 * sample/http-server.c).  It binds 127.0.0.1 on a port the kernel picks,
 * prints the port on stdout (and with -p writes it to a file, atomically,
 * so a script can wait for the file), and serves:
 *
 *   /files/PATH        the file DOCROOT/PATH as it is on disk right now,
 *                      Content-Type by extension.  The /script parameters
 *                      below apply here too (body defaults to PATH).
 *   /script?...        a scripted reply: status=N, body=FILE (under the
 *                      docroot), etag=, last_modified=, location= (self:
 *                      this request's own path and query; toggle: that
 *                      with &hop=1 added or taken off, a loop of two),
 *                      retry_after=, cache_control=, content_encoding=,
 *                      expires_in=N
 *                      (Expires N seconds from now), content_type=,
 *                      delay_ms=N (reply
 *                      later, from a timer), trickle=N (send the body N
 *                      bytes at a time, trickle_ms=N apart, default 10).
 *                      If-None-Match matching the ETag, or
 *                      If-Modified-Since equal to last_modified, gets a
 *                      304 with no body.
 *   /_hits?path=P      how many requests had the path-and-query P (a
 *                      request with a query also counts under its bare
 *                      path); without path=, every counter as "N KEY".
 *   /_log              one line per request: "METHOD URI" followed by
 *                      "\tName: value" for the request headers the tests
 *                      look at.
 *   /_stats            "maxinflight N" (most delayed or trickled replies
 *                      open at once) and "connections N" (distinct client
 *                      connections) since the last reset.
 *   /_reset            zeroes the counters and empties the log.
 *
 * The /_ control endpoints are neither counted nor logged.  SIGTERM or
 * SIGINT stops the loop; everything is freed and the exit status is 0.
 */
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#define TS_MAX_DELAY_MS		600000	/* a scripted delay is at most 10 min */
#define TS_DEFAULT_TRICKLE_MS	10
#define TS_MAX_BODY		(64 * 1024 * 1024)

/* One counter: requests seen for one path-and-query. */
struct ts_hit {
	char			*key;
	unsigned long		 n;
	LIST_ENTRY(ts_hit)	 entry;
};

/* A reply waiting for its timer: a delayed reply or a trickle. */
struct ts_pending {
	struct ts_server		*srv;
	struct evhttp_request		*req;	/* owned by evhttp */
	struct event			*timer;
	struct evbuffer			*body;	/* what is left to send */
	int				 status;
	size_t				 trickle;	/* bytes per chunk; 0 = whole */
	int				 trickle_ms;
	int				 is_started;	/* reply_start was sent */
	TAILQ_ENTRY(ts_pending)		 entry;
};

/* The server: one event base, one evhttp, counters and log. */
/* Distinct client connections remembered for /_stats. */
#define TS_MAX_CONNS 1024

struct ts_server {
	struct event_base		*base;
	struct evhttp			*http;
	const char			*docroot;
	struct event			*sigterm;
	struct event			*sigint;
	struct evbuffer			*log;	/* the request log, as served */
	LIST_HEAD(, ts_hit)		 hits;
	TAILQ_HEAD(, ts_pending)	 pending;
	int				 ninflight;	/* delayed replies */
	int				 maxinflight;
	unsigned short			 ports[TS_MAX_CONNS]; /* peers seen */
	int				 nports;
};

/* A script: what one reply should look like. */
struct ts_script {
	int		 status;
	const char	*body;		/* file under the docroot, or NULL */
	const char	*etag;
	const char	*last_modified;
	const char	*location;
	const char	*retry_after;
	const char	*cache_control;
	const char	*content_encoding;
	long		 expires_in;	/* Expires = now + this; -1: none */
	const char	*content_type;
	int		 delay_ms;
	size_t		 trickle;
	int		 trickle_ms;
};

/* File name extension to Content-Type; sorted by extension. */
static const struct {
	const char	*ext;
	const char	*type;
} ts_types[] = {
	{ "atom",	"application/atom+xml" },
	{ "json",	"application/feed+json" },
	{ "rss",	"application/rss+xml" },
	{ "txt",	"text/plain; charset=utf-8" },
	{ "xml",	"application/xml" },
};

/* The request headers the log shows, in this order. */
static const char *ts_log_headers[] = {
	"User-Agent",
	"If-None-Match",
	"If-Modified-Since",
	"Accept",
	"Accept-Encoding",
	"Authorization",
	"Cookie",
	"Referer",
	"X-Test",
};

static void		 usage(void) __attribute__((noreturn));
static void		 ts_fatal(const char *, ...)
			    __attribute__((noreturn, format(printf, 1, 2)));
static int		 ts_write_portfile(const char *, int);
static const char	*ts_content_type(const char *);
static int		 ts_safe_path(const char *);
static struct evbuffer	*ts_read_file(struct ts_server *, const char *,
			    int *);
static void		 ts_count(struct ts_server *, const char *);
static unsigned long	 ts_hits(struct ts_server *, const char *);
static void		 ts_reset(struct ts_server *);
static void		 ts_log_escaped(struct evbuffer *, const char *);
static void		 ts_log_request(struct ts_server *,
			    struct evhttp_request *);
static int		 ts_number(const char *, long, long, long *);
static void		 ts_add_expires(struct evkeyvalq *, long);
static void		 ts_note_connection(struct ts_server *,
			    struct evhttp_request *);
static int		 ts_script_parse(struct ts_script *,
			    const struct evkeyvalq *, char **);
static int		 ts_is_not_modified(struct evhttp_request *,
			    const struct ts_script *, const char *);
static void		 ts_add_location(struct evkeyvalq *,
			    struct evhttp_request *, const char *);
static void		 ts_reply_text(struct evhttp_request *, int,
			    const char *, ...)
			    __attribute__((format(printf, 3, 4)));
static void		 ts_serve(struct ts_server *, struct evhttp_request *,
			    const char *, const struct evkeyvalq *);
static void		 ts_pending_free(struct ts_pending *);
static void		 ts_pending_send(struct ts_pending *);
static void		 ts_timer_cb(evutil_socket_t, short, void *);
static void		 ts_control(struct ts_server *,
			    struct evhttp_request *, const char *,
			    const struct evkeyvalq *);
static void		 ts_request_cb(struct evhttp_request *, void *);
static void		 ts_signal_cb(evutil_socket_t, short, void *);

/* Print the usage line and exit 1. */
static void
usage(void)
{
	fprintf(stderr, "usage: feedd-testserver [-d DOCROOT] [-p PORTFILE]\n");
	exit(1);
}

/* Report a start-up failure and exit 1. */
static void
ts_fatal(const char *fmt, ...)
{
	va_list	ap;

	fputs("feedd-testserver: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/*
 * Write the port to path through a temporary file and a rename, so a
 * script polling for the file never reads it half written.
 */
static int
ts_write_portfile(const char *path, int port)
{
	char	tmp[PATH_MAX];
	FILE	*fp;
	int	 n;

	n = snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
	if (n < 0 || (size_t)n >= sizeof tmp)
		return (-1);
	if ((fp = fopen(tmp, "w")) == NULL)
		return (-1);
	fprintf(fp, "%d\n", port);
	if (fclose(fp) != 0) {
		unlink(tmp);
		return (-1);
	}
	if (rename(tmp, path) != 0) {
		unlink(tmp);
		return (-1);
	}
	return (0);
}

/* The Content-Type for a file name, by its extension. */
static const char *
ts_content_type(const char *name)
{
	const char	*dot, *slash;
	size_t		 i;

	dot = strrchr(name, '.');
	slash = strrchr(name, '/');
	if (dot == NULL || (slash != NULL && dot < slash))
		return ("application/octet-stream");
	for (i = 0; i < sizeof ts_types / sizeof ts_types[0]; i++) {
		if (strcasecmp(dot + 1, ts_types[i].ext) == 0)
			return (ts_types[i].type);
	}
	return ("application/octet-stream");
}

/*
 * Whether a decoded relative path stays under the docroot: not empty,
 * not absolute, no ".." component.
 */
static int
ts_safe_path(const char *path)
{
	const char	*p;
	size_t		 len;

	if (*path == '\0' || *path == '/')
		return (0);
	for (p = path; *p != '\0'; p += len) {
		len = strcspn(p, "/");
		if (len == 2 && p[0] == '.' && p[1] == '.')
			return (0);
		if (p[len] == '/')
			len++;
	}
	return (1);
}

/*
 * Read DOCROOT/name into a new buffer.  On failure return NULL with an
 * HTTP status in *status (404 missing or unsafe, 500 unreadable).
 */
static struct evbuffer *
ts_read_file(struct ts_server *srv, const char *name, int *status)
{
	struct evbuffer	*buf = NULL;
	struct stat	 sb;
	char		 path[PATH_MAX], chunk[8192];
	ssize_t		 n;
	int		 fd = -1, len;

	*status = 404;
	if (!ts_safe_path(name))
		return (NULL);
	len = snprintf(path, sizeof path, "%s/%s", srv->docroot, name);
	if (len < 0 || (size_t)len >= sizeof path)
		return (NULL);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return (NULL);
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode) ||
	    sb.st_size > TS_MAX_BODY)
		goto fail;
	*status = 500;
	if ((buf = evbuffer_new()) == NULL)
		goto fail;
	for (;;) {
		n = read(fd, chunk, sizeof chunk);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			goto fail;
		if (n == 0)
			break;
		if (evbuffer_add(buf, chunk, (size_t)n) != 0)
			goto fail;
	}
	close(fd);
	return (buf);

fail:
	if (buf != NULL)
		evbuffer_free(buf);
	close(fd);
	return (NULL);
}

/* Add one to the counter for key, creating it at zero if new. */
static void
ts_count(struct ts_server *srv, const char *key)
{
	struct ts_hit	*h;

	LIST_FOREACH(h, &srv->hits, entry) {
		if (strcmp(h->key, key) == 0) {
			h->n++;
			return;
		}
	}
	if ((h = calloc(1, sizeof *h)) == NULL ||
	    (h->key = strdup(key)) == NULL)
		ts_fatal("out of memory");
	h->n = 1;
	LIST_INSERT_HEAD(&srv->hits, h, entry);
}

/* The counter for key; 0 if it was never hit. */
static unsigned long
ts_hits(struct ts_server *srv, const char *key)
{
	struct ts_hit	*h;

	LIST_FOREACH(h, &srv->hits, entry) {
		if (strcmp(h->key, key) == 0)
			return (h->n);
	}
	return (0);
}

/* Forget every counter and empty the log. */
static void
ts_reset(struct ts_server *srv)
{
	struct ts_hit	*h;

	while ((h = LIST_FIRST(&srv->hits)) != NULL) {
		LIST_REMOVE(h, entry);
		free(h->key);
		free(h);
	}
	evbuffer_drain(srv->log, evbuffer_get_length(srv->log));
	srv->maxinflight = srv->ninflight;
	srv->nports = 0;
}

/* Remember the client port of a request's connection, once each. */
static void
ts_note_connection(struct ts_server *srv, struct evhttp_request *req)
{
	struct evhttp_connection	*conn;
	char				*addr;
	ev_uint16_t			 port;
	int				 i;

	if ((conn = evhttp_request_get_connection(req)) == NULL)
		return;
	evhttp_connection_get_peer(conn, &addr, &port);
	for (i = 0; i < srv->nports; i++) {
		if (srv->ports[i] == port)
			return;
	}
	if (srv->nports < TS_MAX_CONNS)
		srv->ports[srv->nports++] = port;
}

/*
 * Append s to the log with control characters written as \xNN, so a
 * header value cannot break the one-line-per-request shape.
 */
static void
ts_log_escaped(struct evbuffer *log, const char *s)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f || *p == '\\')
			evbuffer_add_printf(log, "\\x%02x", *p);
		else
			evbuffer_add(log, p, 1);
	}
}

/* Append one line for a request: method, URI and selected headers. */
static void
ts_log_request(struct ts_server *srv, struct evhttp_request *req)
{
	struct evkeyvalq	*in = evhttp_request_get_input_headers(req);
	const char		*method, *value;
	size_t			 i;

	switch (evhttp_request_get_command(req)) {
	case EVHTTP_REQ_GET:
		method = "GET";
		break;
	case EVHTTP_REQ_HEAD:
		method = "HEAD";
		break;
	case EVHTTP_REQ_POST:
		method = "POST";
		break;
	case EVHTTP_REQ_PUT:
		method = "PUT";
		break;
	case EVHTTP_REQ_DELETE:
		method = "DELETE";
		break;
	default:
		method = "OTHER";
		break;
	}
	evbuffer_add_printf(srv->log, "%s ", method);
	ts_log_escaped(srv->log, evhttp_request_get_uri(req));
	for (i = 0; i < sizeof ts_log_headers / sizeof ts_log_headers[0];
	    i++) {
		value = evhttp_find_header(in, ts_log_headers[i]);
		if (value == NULL)
			continue;
		evbuffer_add_printf(srv->log, "\t%s: ", ts_log_headers[i]);
		ts_log_escaped(srv->log, value);
	}
	evbuffer_add(srv->log, "\n", 1);
}

/* Read a decimal number in [min, max] from s into *out. */
static int
ts_number(const char *s, long min, long max, long *out)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < min || v > max)
		return (-1);
	*out = v;
	return (0);
}

/* Add an Expires header secs seconds from now, as an HTTP date. */
static void
ts_add_expires(struct evkeyvalq *out, long secs)
{
	char		 date[64];
	time_t		 t = time(NULL) + secs;
	struct tm	 tm;

	gmtime_r(&t, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	evhttp_add_header(out, "Expires", date);
}

/*
 * Fill a script from the query parameters.  On a bad parameter return
 * -1 and point *bad at its name.
 */
static int
ts_script_parse(struct ts_script *sc, const struct evkeyvalq *q, char **bad)
{
	struct evkeyval	*kv;
	long		 v;

	memset(sc, 0, sizeof *sc);
	sc->status = 200;
	sc->trickle_ms = TS_DEFAULT_TRICKLE_MS;
	sc->expires_in = -1;
	TAILQ_FOREACH(kv, q, next) {
		*bad = kv->key;
		if (strcmp(kv->key, "status") == 0) {
			if (ts_number(kv->value, 100, 599, &v) != 0)
				return (-1);
			sc->status = (int)v;
		} else if (strcmp(kv->key, "body") == 0)
			sc->body = kv->value;
		else if (strcmp(kv->key, "etag") == 0)
			sc->etag = kv->value;
		else if (strcmp(kv->key, "last_modified") == 0)
			sc->last_modified = kv->value;
		else if (strcmp(kv->key, "location") == 0)
			sc->location = kv->value;
		else if (strcmp(kv->key, "retry_after") == 0)
			sc->retry_after = kv->value;
		else if (strcmp(kv->key, "cache_control") == 0)
			sc->cache_control = kv->value;
		else if (strcmp(kv->key, "content_encoding") == 0)
			sc->content_encoding = kv->value;
		else if (strcmp(kv->key, "expires_in") == 0) {
			if (ts_number(kv->value, 0, 100L * 86400, &v) != 0)
				return (-1);
			sc->expires_in = v;
		}
		else if (strcmp(kv->key, "content_type") == 0)
			sc->content_type = kv->value;
		else if (strcmp(kv->key, "delay_ms") == 0) {
			if (ts_number(kv->value, 0, TS_MAX_DELAY_MS, &v) != 0)
				return (-1);
			sc->delay_ms = (int)v;
		} else if (strcmp(kv->key, "trickle") == 0) {
			if (ts_number(kv->value, 0, TS_MAX_BODY, &v) != 0)
				return (-1);
			sc->trickle = (size_t)v;
		} else if (strcmp(kv->key, "trickle_ms") == 0) {
			if (ts_number(kv->value, 0, TS_MAX_DELAY_MS, &v) != 0)
				return (-1);
			sc->trickle_ms = (int)v;
		}
		/* Unknown parameters are ignored: they can bust caches. */
	}
	*bad = NULL;
	return (0);
}

/*
 * Whether the request's validators match the script's: If-None-Match
 * naming the ETag we send (or "*"), or If-Modified-Since equal to the
 * configured Last-Modified string.
 */
static int
ts_is_not_modified(struct evhttp_request *req, const struct ts_script *sc,
    const char *etag)
{
	struct evkeyvalq	*in = evhttp_request_get_input_headers(req);
	const char		*inm, *ims, *p;
	size_t			 len, tlen, elen;

	if (etag != NULL &&
	    (inm = evhttp_find_header(in, "If-None-Match")) != NULL) {
		elen = strlen(etag);
		p = inm;
		while (*p != '\0') {
			p += strspn(p, " \t,");
			len = strcspn(p, ",");
			tlen = len;
			while (tlen > 0 && (p[tlen - 1] == ' ' ||
			    p[tlen - 1] == '\t'))
				tlen--;
			if ((tlen == 1 && *p == '*') ||
			    (tlen == elen && tlen > 0 &&
			    strncmp(p, etag, tlen) == 0))
				return (1);
			p += len;
		}
	}
	if (sc->last_modified != NULL &&
	    (ims = evhttp_find_header(in, "If-Modified-Since")) != NULL &&
	    strcmp(ims, sc->last_modified) == 0)
		return (1);
	return (0);
}


/*
 * The Location header: location as given, or for "self" this request's
 * own URI, and for "toggle" that URI with "&hop=1" added or taken off
 * (two URLs that send a client back and forth).
 */
static void
ts_add_location(struct evkeyvalq *out, struct evhttp_request *req,
    const char *location)
{
	const char	*uri = evhttp_request_get_uri(req);
	char		*to;
	size_t		 len = strlen(uri);

	if (strcmp(location, "toggle") == 0) {
		if (len > 6 && strcmp(uri + len - 6, "&hop=1") == 0)
			to = strndup(uri, len - 6);
		else if (asprintf(&to, "%s&hop=1", uri) == -1)
			to = NULL;
		if (to == NULL)
			ts_fatal("out of memory");
		evhttp_add_header(out, "Location", to);
		free(to);
	} else
		evhttp_add_header(out, "Location", strcmp(location, "self") == 0 ?
		    uri : location);
}
/* Send a short text/plain reply right away. */
static void
ts_reply_text(struct evhttp_request *req, int status, const char *fmt, ...)
{
	struct evbuffer	*buf;
	va_list		 ap;

	if ((buf = evbuffer_new()) == NULL)
		ts_fatal("out of memory");
	va_start(ap, fmt);
	evbuffer_add_vprintf(buf, fmt, ap);
	va_end(ap);
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", "text/plain; charset=utf-8");
	evhttp_send_reply(req, status, NULL, buf);
	evbuffer_free(buf);
}

/*
 * Answer a /files or /script request as the script says: now, or from a
 * timer when it asks for a delay or a trickle.  body_default is the file
 * served when the script names none (the /files path), or NULL.
 */
static void
ts_serve(struct ts_server *srv, struct evhttp_request *req,
    const char *body_default, const struct evkeyvalq *q)
{
	struct evkeyvalq	*out = evhttp_request_get_output_headers(req);
	struct ts_script	 sc;
	struct ts_pending	*pd;
	struct timeval		 tv;
	char			*bad, *etag = NULL;
	int			 status;

	if (ts_script_parse(&sc, q, &bad) != 0) {
		ts_reply_text(req, 400, "bad parameter: %s\n", bad);
		return;
	}
	if (sc.body == NULL)
		sc.body = body_default;

	if ((pd = calloc(1, sizeof *pd)) == NULL)
		ts_fatal("out of memory");
	pd->srv = srv;
	pd->req = req;
	pd->status = sc.status;
	pd->trickle = sc.trickle;
	pd->trickle_ms = sc.trickle_ms;
	if (sc.body != NULL) {
		pd->body = ts_read_file(srv, sc.body, &status);
		if (pd->body == NULL) {
			ts_pending_free(pd);
			ts_reply_text(req, status, "cannot serve %s\n",
			    sc.body);
			return;
		}
	} else if ((pd->body = evbuffer_new()) == NULL)
		ts_fatal("out of memory");

	/* An ETag is a quoted string (RFC 9110 8.8.3); quote a bare one. */
	if (sc.etag != NULL) {
		if (sc.etag[0] == '"' || strncmp(sc.etag, "W/\"", 3) == 0)
			etag = strdup(sc.etag);
		else if (asprintf(&etag, "\"%s\"", sc.etag) == -1)
			etag = NULL;
		if (etag == NULL)
			ts_fatal("out of memory");
		evhttp_add_header(out, "ETag", etag);
	}
	if (sc.last_modified != NULL)
		evhttp_add_header(out, "Last-Modified", sc.last_modified);
	if (sc.location != NULL)
		ts_add_location(out, req, sc.location);
	if (sc.retry_after != NULL)
		evhttp_add_header(out, "Retry-After", sc.retry_after);
	if (sc.cache_control != NULL)
		evhttp_add_header(out, "Cache-Control", sc.cache_control);
	if (sc.content_encoding != NULL)
		evhttp_add_header(out, "Content-Encoding",
		    sc.content_encoding);
	if (sc.expires_in >= 0)
		ts_add_expires(out, sc.expires_in);
	if (ts_is_not_modified(req, &sc, etag)) {
		pd->status = 304;
		pd->trickle = 0;
		evbuffer_drain(pd->body, evbuffer_get_length(pd->body));
	} else if (sc.content_type != NULL)
		evhttp_add_header(out, "Content-Type", sc.content_type);
	else if (sc.body != NULL)
		evhttp_add_header(out, "Content-Type",
		    ts_content_type(sc.body));
	else
		evhttp_add_header(out, "Content-Type",
		    "text/plain; charset=utf-8");
	free(etag);

	if (sc.delay_ms == 0 && pd->trickle == 0) {
		ts_pending_send(pd);
		ts_pending_free(pd);
		return;
	}
	pd->timer = evtimer_new(srv->base, ts_timer_cb, pd);
	if (pd->timer == NULL)
		ts_fatal("evtimer_new failed");
	TAILQ_INSERT_TAIL(&srv->pending, pd, entry);
	if (++srv->ninflight > srv->maxinflight)
		srv->maxinflight = srv->ninflight;
	tv.tv_sec = sc.delay_ms / 1000;
	tv.tv_usec = (sc.delay_ms % 1000) * 1000;
	evtimer_add(pd->timer, &tv);
}

/* Free a pending reply (not its request, which evhttp owns). */
static void
ts_pending_free(struct ts_pending *pd)
{
	if (pd == NULL)
		return;
	if (pd->timer != NULL)
		event_free(pd->timer);
	if (pd->body != NULL)
		evbuffer_free(pd->body);
	free(pd);
}

/*
 * Send the whole remaining reply at once: a plain reply, or the rest of
 * a trickle and its end.  The request is evhttp's again afterwards.
 */
static void
ts_pending_send(struct ts_pending *pd)
{
	if (!pd->is_started) {
		evhttp_send_reply(pd->req, pd->status, NULL, pd->body);
		return;
	}
	if (evbuffer_get_length(pd->body) > 0)
		evhttp_send_reply_chunk(pd->req, pd->body);
	evhttp_send_reply_end(pd->req);
}

/*
 * A pending reply's timer: the delay is over, or the next trickle chunk
 * is due.  A client that went away meanwhile is fine: evhttp then frees
 * the request when the reply or its end is sent.
 */
static void
ts_timer_cb(evutil_socket_t fd, short events, void *arg)
{
	struct ts_pending	*pd = arg;
	struct ts_server	*srv = pd->srv;
	struct evbuffer		*chunk;
	struct timeval		 tv;

	(void)fd;
	(void)events;
	if (pd->trickle == 0 || evbuffer_get_length(pd->body) == 0) {
		ts_pending_send(pd);
		goto done;
	}
	if (!pd->is_started) {
		evhttp_send_reply_start(pd->req, pd->status, NULL);
		pd->is_started = 1;
	}
	if ((chunk = evbuffer_new()) == NULL)
		ts_fatal("out of memory");
	evbuffer_remove_buffer(pd->body, chunk, pd->trickle);
	evhttp_send_reply_chunk(pd->req, chunk);
	evbuffer_free(chunk);
	if (evbuffer_get_length(pd->body) == 0) {
		evhttp_send_reply_end(pd->req);
		goto done;
	}
	tv.tv_sec = pd->trickle_ms / 1000;
	tv.tv_usec = (pd->trickle_ms % 1000) * 1000;
	evtimer_add(pd->timer, &tv);
	return;

done:
	TAILQ_REMOVE(&srv->pending, pd, entry);
	srv->ninflight--;
	ts_pending_free(pd);
}

/* The /_ endpoints: hit counters, the request log and reset. */
static void
ts_control(struct ts_server *srv, struct evhttp_request *req,
    const char *path, const struct evkeyvalq *q)
{
	struct evkeyvalq	*out = evhttp_request_get_output_headers(req);
	struct ts_hit		*h;
	struct evbuffer		*buf;
	const char		*key;

	if (strcmp(path, "/_hits") == 0) {
		if ((key = evhttp_find_header(q, "path")) != NULL) {
			ts_reply_text(req, 200, "%lu\n", ts_hits(srv, key));
			return;
		}
		if ((buf = evbuffer_new()) == NULL)
			ts_fatal("out of memory");
		LIST_FOREACH(h, &srv->hits, entry)
			evbuffer_add_printf(buf, "%lu %s\n", h->n, h->key);
		evhttp_add_header(out, "Content-Type",
		    "text/plain; charset=utf-8");
		evhttp_send_reply(req, 200, NULL, buf);
		evbuffer_free(buf);
	} else if (strcmp(path, "/_log") == 0) {
		if ((buf = evbuffer_new()) == NULL)
			ts_fatal("out of memory");
		evbuffer_add_buffer_reference(buf, srv->log);
		evhttp_add_header(out, "Content-Type",
		    "text/plain; charset=utf-8");
		evhttp_send_reply(req, 200, NULL, buf);
		evbuffer_free(buf);
	} else if (strcmp(path, "/_stats") == 0) {
		ts_reply_text(req, 200, "maxinflight %d\nconnections %d\n",
		    srv->maxinflight, srv->nports);
	} else if (strcmp(path, "/_reset") == 0) {
		ts_reset(srv);
		ts_reply_text(req, 200, "ok\n");
	} else
		ts_reply_text(req, 404, "no such control endpoint\n");
}

/* Every request: count and log it, then dispatch on the path. */
static void
ts_request_cb(struct evhttp_request *req, void *arg)
{
	struct ts_server		*srv = arg;
	const struct evhttp_uri		*uri;
	const char			*rawpath, *query;
	char				*path = NULL;
	struct evkeyvalq		 q;
	size_t				 len;

	TAILQ_INIT(&q);
	uri = evhttp_request_get_evhttp_uri(req);
	if (uri == NULL || (rawpath = evhttp_uri_get_path(uri)) == NULL) {
		ts_reply_text(req, 400, "bad request URI\n");
		return;
	}
	query = evhttp_uri_get_query(uri);
	path = evhttp_uridecode(rawpath, 0, &len);
	if (path == NULL || strlen(path) != len) {
		ts_reply_text(req, 400, "bad path\n");
		goto out;
	}
	if (query != NULL && evhttp_parse_query_str(query, &q) != 0) {
		ts_reply_text(req, 400, "bad query\n");
		goto out;
	}

	if (strncmp(path, "/_", 2) == 0) {
		ts_control(srv, req, path, &q);
		goto out;
	}
	ts_log_request(srv, req);
	ts_note_connection(srv, req);
	ts_count(srv, evhttp_request_get_uri(req));
	if (query != NULL)
		ts_count(srv, rawpath);

	if (strncmp(path, "/files/", 7) == 0)
		ts_serve(srv, req, path + 7, &q);
	else if (strcmp(path, "/script") == 0)
		ts_serve(srv, req, NULL, &q);
	else
		ts_reply_text(req, 404, "not found\n");

out:
	evhttp_clear_headers(&q);
	free(path);
}

/* SIGTERM and SIGINT: leave the loop, so main frees everything. */
static void
ts_signal_cb(evutil_socket_t sig, short events, void *arg)
{
	struct ts_server	*srv = arg;

	(void)sig;
	(void)events;
	event_base_loopbreak(srv->base);
}

int
main(int argc, char **argv)
{
	struct ts_server		 srv;
	struct evhttp_bound_socket	*sock;
	struct ts_pending		*pd;
	struct sockaddr_storage		 ss;
	socklen_t			 sslen = sizeof ss;
	const char			*portfile = NULL;
	int				 ch, port;

	memset(&srv, 0, sizeof srv);
	srv.docroot = ".";
	LIST_INIT(&srv.hits);
	TAILQ_INIT(&srv.pending);
	while ((ch = getopt(argc, argv, "d:p:")) != -1) {
		switch (ch) {
		case 'd':
			srv.docroot = optarg;
			break;
		case 'p':
			portfile = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();

	/* A client hanging up mid-reply must not kill the server. */
	signal(SIGPIPE, SIG_IGN);

	if ((srv.base = event_base_new()) == NULL)
		ts_fatal("event_base_new failed");
	if ((srv.http = evhttp_new(srv.base)) == NULL)
		ts_fatal("evhttp_new failed");
	if ((srv.log = evbuffer_new()) == NULL)
		ts_fatal("out of memory");
	evhttp_set_allowed_methods(srv.http, EVHTTP_REQ_GET |
	    EVHTTP_REQ_HEAD | EVHTTP_REQ_POST | EVHTTP_REQ_PUT |
	    EVHTTP_REQ_DELETE);
	evhttp_set_gencb(srv.http, ts_request_cb, &srv);
	sock = evhttp_bind_socket_with_handle(srv.http, "127.0.0.1", 0);
	if (sock == NULL)
		ts_fatal("cannot bind 127.0.0.1");
	if (getsockname(evhttp_bound_socket_get_fd(sock),
	    (struct sockaddr *)&ss, &sslen) != 0 || ss.ss_family != AF_INET)
		ts_fatal("getsockname: %s", strerror(errno));
	port = ntohs(((struct sockaddr_in *)&ss)->sin_port);

	srv.sigterm = evsignal_new(srv.base, SIGTERM, ts_signal_cb, &srv);
	srv.sigint = evsignal_new(srv.base, SIGINT, ts_signal_cb, &srv);
	if (srv.sigterm == NULL || srv.sigint == NULL ||
	    evsignal_add(srv.sigterm, NULL) != 0 ||
	    evsignal_add(srv.sigint, NULL) != 0)
		ts_fatal("cannot set up signal events");

	printf("%d\n", port);
	fflush(stdout);
	if (portfile != NULL && ts_write_portfile(portfile, port) != 0)
		ts_fatal("%s: %s", portfile, strerror(errno));

	event_base_dispatch(srv.base);

	/* Answer what is still waiting, so evhttp can free its requests. */
	while ((pd = TAILQ_FIRST(&srv.pending)) != NULL) {
		TAILQ_REMOVE(&srv.pending, pd, entry);
		ts_pending_send(pd);
		ts_pending_free(pd);
	}
	evhttp_free(srv.http);
	event_free(srv.sigterm);
	event_free(srv.sigint);
	ts_reset(&srv);
	evbuffer_free(srv.log);
	event_base_free(srv.base);
	return (0);
}
