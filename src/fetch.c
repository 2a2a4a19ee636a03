/* SPDX-License-Identifier: ISC */
/*
 * Transfers on libcurl's multi_socket API driven by libevent, after
 * curl's hiperfifo.c: curl tells us which sockets and which timeout to
 * watch (fetch_sock_cb, fetch_multi_timer_cb), libevent tells curl when
 * they are ready (fetch_event_cb, fetch_timer_cb).  Each body chunk goes
 * straight to a parse job created on the first byte of a 2xx body, so
 * error pages and 304s are never parsed and no body is held whole; the
 * parse pool's threads parse it while the loop goes on fetching, and a
 * transfer is reported once its document is parsed.  When the pool has
 * too many bytes waiting, transfers pause until it catches up.
 * Debian 12's libcurl 7.88 has unsafe defaults for a daemon (unlimited
 * redirects, any protocol), so every limit is set here explicitly.
 */
#include <sys/queue.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#include <event2/event.h>

#include "feedd/fetch.h"
#include "feedd/log.h"
#include "feedd/parse-pool.h"
#include "feedd/parse.h"
#include "feedd/util.h"

/* The types we can read, best first (STANDARDS.md: Accept names them). */
#define FETCH_ACCEPT "Accept: application/atom+xml, application/rss+xml, " \
	"application/rdf+xml;q=0.9, application/feed+json;q=0.9, " \
	"application/xml;q=0.8, text/xml;q=0.8, application/json;q=0.5, " \
	"*/*;q=0.1"

struct fetch_transfer {
	struct fetcher		*fx;
	CURL			*easy;
	char			*name;
	char			*url;
	fetch_done_cb		 cb;
	void			*arg;
	struct curl_slist	*headers;	/* request headers */
	char			 errbuf[CURL_ERROR_SIZE];
	struct parse_job	*job;		/* once a 2xx body starts */
	CURLcode		 rc;		/* how the transfer ended */
	size_t			 nbytes;	/* decoded body bytes */
	int			 is_paused;	/* until the pool drains */
	int			 has_paused;	/* ever: its handle is not reused */
	size_t			 max_body;
	int			 is_too_large;
	int			 is_discarding;	/* non-2xx body */
	char			*content_type;	/* of the final response */
	char			*content_location;
	char			*content_language;
	char			*etag;
	char			*last_modified;
	char			*cache_control;
	char			*expires;
	char			*date;
	char			*retry_after;
	char			*location;
	int			 nhops;		/* redirect responses seen */
	int			 is_temporary;	/* a hop was not 301/308 */
	int			 is_redirect;	/* this response is a redirect */
	char			**visited;	/* URLs that redirected, in order */
	size_t			 nvisited;
	char			*loop;		/* a redirect back to one, or NULL */
	int			 is_proxied;	/* the proxy is trusted */
	char			 blocked[64];	/* address refused, or "" */
	struct event		*failed;	/* reports a failed start */
	LIST_ENTRY(fetch_transfer) entry;
};

/* A socket curl asked us to watch; attached with curl_multi_assign. */
struct fetch_sock {
	struct fetcher		*fx;
	curl_socket_t		 fd;
	struct event		*ev;
};

struct fetcher {
	struct event_base	*base;
	CURLM			*multi;
	struct event		*timer;
	struct fetch_options	 opts;		/* strings copied */
	struct parse_pool	*pool;
	size_t			 nrunning;
	LIST_HEAD(, fetch_transfer) transfers;
	CURL			**idle;		/* handles kept for reuse */
	size_t			 nidle;
};

static int	fetch_sock_cb(CURL *, curl_socket_t, int, void *, void *);
static int	fetch_multi_timer_cb(CURLM *, long, void *);
static void	fetch_timer_cb(evutil_socket_t, short, void *);
static void	fetch_event_cb(evutil_socket_t, short, void *);
static size_t	fetch_write_cb(char *, size_t, size_t, void *);
static size_t	fetch_header_cb(char *, size_t, size_t, void *);
static void	fetch_check_info(struct fetcher *);
static void	fetch_finish(struct fetch_transfer *, CURLcode);
static void	fetch_parsed_cb(struct feed_doc *, const char *, void *);
static void	fetch_report(struct fetch_transfer *, struct feed_doc *,
		    const char *);
static void	fetch_drained_cb(void *);
static void	fetch_transfer_free(struct fetch_transfer *);
static CURL	*fetch_easy_get(struct fetcher *);
static void	 fetch_easy_release(struct fetch_transfer *);
static void	fetch_failed_cb(evutil_socket_t, short, void *);
static void	fetch_status_line(struct fetch_transfer *, const char *);
static void	fetch_private_init(void);
static char	*fetch_discovered(const struct feed_doc *);
static int	fetch_is_blocked(const struct fetcher *,
		    const struct sockaddr *);
static curl_socket_t fetch_open_socket_cb(void *, curlsocktype,
		    struct curl_sockaddr *);
static void	fetch_freshness(struct fetch_transfer *,
		    struct fetch_result *);
static struct curl_slist *fetch_request_headers(const struct fetch_request *);

/* Create a fetcher on base; opts are copied. */
struct fetcher *
fetch_new(struct event_base *base, const struct fetch_options *opts,
    char **cause)
{
	struct fetcher	*fx;
	CURLMcode	 mc = CURLM_OK;
	char		**hosts;
	size_t		 i;

	fx = xcalloc(1, sizeof *fx);
	fx->base = base;
	fx->opts = *opts;
	fx->opts.user_agent = xstrdup(opts->user_agent);
	fx->opts.allow = NULL;
	if (opts->nallow > 0) {
		fx->opts.allow = xreallocarray(NULL, opts->nallow,
		    sizeof *opts->allow);
		memcpy((void *)fx->opts.allow, opts->allow, opts->nallow *
		    sizeof *opts->allow);
	}
	hosts = xcalloc(opts->nallow_hosts + 1, sizeof *hosts);
	for (i = 0; i < opts->nallow_hosts; i++)
		hosts[i] = xstrdup(opts->allow_hosts[i]);
	fx->opts.allow_hosts = hosts;
	fetch_private_init();
	LIST_INIT(&fx->transfers);
	if ((fx->pool = parse_pool_new(base, parse_pool_threads(),
	    opts->prepare, fetch_drained_cb, fx)) == NULL) {
		xasprintf(cause, "fetch: cannot start the parse threads");
		goto fail;
	}
	if ((fx->multi = curl_multi_init()) == NULL) {
		xasprintf(cause, "fetch: curl_multi_init failed");
		goto fail;
	}
	fx->timer = evtimer_new(base, fetch_timer_cb, fx);
	if ((mc = curl_multi_setopt(fx->multi, CURLMOPT_SOCKETFUNCTION,
	    fetch_sock_cb)) != CURLM_OK ||
	    (mc = curl_multi_setopt(fx->multi, CURLMOPT_SOCKETDATA, fx)) !=
	    CURLM_OK ||
	    (mc = curl_multi_setopt(fx->multi, CURLMOPT_TIMERFUNCTION,
	    fetch_multi_timer_cb)) != CURLM_OK ||
	    (mc = curl_multi_setopt(fx->multi, CURLMOPT_TIMERDATA, fx)) !=
	    CURLM_OK ||
	    (mc = curl_multi_setopt(fx->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
	    (long)opts->max_parallel)) != CURLM_OK ||
	    (mc = curl_multi_setopt(fx->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
	    (long)opts->per_host)) != CURLM_OK ||
	    /*
	     * curl keeps four idle connections per handle it holds, and
	     * closes the rest; while documents are parsed it holds few, so
	     * without this kept-alive connections were closed and opened
	     * again.
	     */
	    (mc = curl_multi_setopt(fx->multi, CURLMOPT_MAXCONNECTS,
	    4L * opts->max_parallel)) != CURLM_OK) {
		xasprintf(cause, "fetch: %s", curl_multi_strerror(mc));
		goto fail;
	}
	return (fx);

fail:
	fetch_free(fx);
	return (NULL);
}

/* Cancel what is running and release everything; NULL is fine. */
void
fetch_free(struct fetcher *fx)
{
	struct fetch_transfer	*t;
	size_t			 i;

	if (fx == NULL)
		return;
	while ((t = LIST_FIRST(&fx->transfers)) != NULL) {
		LIST_REMOVE(t, entry);
		if (t->easy != NULL)
			curl_multi_remove_handle(fx->multi, t->easy);
		fetch_transfer_free(t);
	}
	/* The socket callback may still fire here, so the base must live. */
	if (fx->multi != NULL)
		curl_multi_cleanup(fx->multi);
	while (fx->nidle > 0)
		curl_easy_cleanup(fx->idle[--fx->nidle]);
	free(fx->idle);
	parse_pool_free(fx->pool);
	if (fx->timer != NULL)
		event_free(fx->timer);
	free((char *)fx->opts.user_agent);
	free((void *)fx->opts.allow);
	for (i = 0; i < fx->opts.nallow_hosts; i++)
		free(fx->opts.allow_hosts[i]);
	free((void *)fx->opts.allow_hosts);
	free(fx);
}

/* Transfers in flight. */
size_t
fetch_running(const struct fetcher *fx)
{
	return (fx->nrunning);
}

/* Name of a status for logs. */
const char *
fetch_status_name(enum fetch_status status)
{
	switch (status) {
	case FETCH_OK:
		return ("ok");
	case FETCH_NOT_MODIFIED:
		return ("not modified");
	case FETCH_GONE:
		return ("gone");
	case FETCH_TRANSIENT:
		return ("transient error");
	case FETCH_PERMANENT:
		return ("permanent error");
	}
	return ("unknown");
}

/* Set the options that make a transfer safe and polite. */
static CURLcode
fetch_setopts(struct fetch_transfer *t, const struct fetch_request *req)
{
	CURL		*c = t->easy;
	const char	*ua;
	CURLcode	 rc;

#define SET(opt, val) do {						\
	if ((rc = curl_easy_setopt(c, opt, val)) != CURLE_OK)		\
		return (rc);						\
} while (0)
	SET(CURLOPT_URL, t->url);
	SET(CURLOPT_PRIVATE, t);
	SET(CURLOPT_ERRORBUFFER, t->errbuf);
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_PROTOCOLS_STR, req->is_file_allowed ? "http,https,file" :
	    "http,https");
	SET(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	SET(CURLOPT_FOLLOWLOCATION, 1L);
	SET(CURLOPT_MAXREDIRS, req->max_redirects);
	SET(CURLOPT_CONNECTTIMEOUT, req->connect_timeout);
	SET(CURLOPT_TIMEOUT, req->timeout);
	/* A server that trickles a byte a minute is a stalled transfer. */
	SET(CURLOPT_LOW_SPEED_LIMIT, 1L);
	SET(CURLOPT_LOW_SPEED_TIME, req->connect_timeout > 0 ?
	    req->connect_timeout : 30L);
	/* Catches honest Content-Lengths early; the write callback the rest. */
	SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)req->max_body);
	SET(CURLOPT_ACCEPT_ENCODING, "");
	ua = req->user_agent != NULL ? req->user_agent :
	    t->fx->opts.user_agent;
	SET(CURLOPT_USERAGENT, ua);
	/* Never a cookie or a Referer: the feed URL exactly as configured. */
	SET(CURLOPT_AUTOREFERER, 0L);
	SET(CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	if (req->username != NULL) {
		SET(CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		SET(CURLOPT_USERNAME, req->username);
		SET(CURLOPT_PASSWORD, req->password != NULL ?
		    req->password : "");
	}
	if (req->proxy != NULL)
		SET(CURLOPT_PROXY, req->proxy);
	if (req->ca_file != NULL)
		SET(CURLOPT_CAINFO, req->ca_file);
	if (t->fx->opts.is_private_blocked) {
		SET(CURLOPT_OPENSOCKETFUNCTION, fetch_open_socket_cb);
		SET(CURLOPT_OPENSOCKETDATA, t);
	}
	SET(CURLOPT_HTTPHEADER, t->headers);
	SET(CURLOPT_WRITEFUNCTION, fetch_write_cb);
	SET(CURLOPT_WRITEDATA, t);
	SET(CURLOPT_HEADERFUNCTION, fetch_header_cb);
	SET(CURLOPT_HEADERDATA, t);
#undef SET
	return (CURLE_OK);
}

/*
 * The request headers: the types we read, and the validators exactly as
 * the server sent them (never made up: STANDARDS.md 1.1).
 */
static struct curl_slist *
fetch_request_headers(const struct fetch_request *req)
{
	struct curl_slist	*h, *tmp;
	char			*line;
	size_t			 i;

	h = curl_slist_append(NULL, FETCH_ACCEPT);
	for (i = 0; h != NULL && i < req->nheaders; i++) {
		tmp = curl_slist_append(h, req->headers[i]);
		h = tmp != NULL ? tmp : h;
	}
	if (h != NULL && req->etag != NULL) {
		xasprintf(&line, "If-None-Match: %s", req->etag);
		tmp = curl_slist_append(h, line);
		free(line);
		h = tmp != NULL ? tmp : h;
	}
	if (h != NULL && req->last_modified != NULL) {
		xasprintf(&line, "If-Modified-Since: %s", req->last_modified);
		tmp = curl_slist_append(h, line);
		free(line);
		h = tmp != NULL ? tmp : h;
	}
	return (h);
}

/*
 * Networks a feed fetcher must not reach when block_private is on: this
 * host, private and shared address space, link-local, multicast and
 * reserved ranges (RFC 6890).
 */
static const char *fetch_private_nets[] = {
	"0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8",
	"169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.168.0.0/16",
	"198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4",
	"::/128", "::1/128", "fc00::/7", "fe80::/10", "ff00::/8"
};
static struct util_cidr fetch_private[nitems(fetch_private_nets)];

/* Parse the private networks once. */
static void
fetch_private_init(void)
{
	size_t	 i;

	for (i = 0; i < nitems(fetch_private_nets); i++) {
		if (util_parse_cidr(fetch_private_nets[i],
		    &fetch_private[i]) != 0)
			fatalx("bad built-in network %s",
			    fetch_private_nets[i]);
	}
}

/* Whether block_private refuses sa. */
static int
fetch_is_blocked(const struct fetcher *fx, const struct sockaddr *sa)
{
	size_t	 i;

	for (i = 0; i < fx->opts.nallow; i++) {
		if (util_cidr_match(&fx->opts.allow[i], sa))
			return (0);
	}
	for (i = 0; i < nitems(fetch_private); i++) {
		if (util_cidr_match(&fetch_private[i], sa))
			return (1);
	}
	return (0);
}

/*
 * Whether the host this transfer is connecting to (after any redirect:
 * curl's effective URL) is one allow_networks names.  Only the name the
 * feed's URL or a redirect gives counts, never a reverse lookup.
 */
static int
fetch_is_allowed_host(const struct fetch_transfer *t)
{
	const struct fetcher	*fx = t->fx;
	CURLU			*u;
	char			*url = NULL, *host = NULL;
	size_t			 i, len;
	int			 is_allowed = 0;

	if (fx->opts.nallow_hosts == 0 || curl_easy_getinfo(t->easy,
	    CURLINFO_EFFECTIVE_URL, &url) != CURLE_OK || url == NULL ||
	    (u = curl_url()) == NULL)
		return (0);
	if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
		len = strlen(host);
		if (len > 0 && host[len - 1] == '.')
			host[--len] = '\0';
		for (i = 0; i < fx->opts.nallow_hosts && !is_allowed; i++)
			is_allowed = strcasecmp(host,
			    fx->opts.allow_hosts[i]) == 0;
	}
	curl_free(host);
	curl_url_cleanup(u);
	return (is_allowed);
}

/*
 * curl is about to open a socket to the address it resolved: the check
 * is on the address really connected to, after DNS and after every
 * redirect, so neither can get round it.  A configured proxy is trusted,
 * and so is a host allow_networks names, whatever its address.
 */
static curl_socket_t
fetch_open_socket_cb(void *arg, curlsocktype purpose,
    struct curl_sockaddr *a)
{
	struct fetch_transfer	*t = arg;
	char			 host[INET6_ADDRSTRLEN];
	const void		*in;

	(void)purpose;
	if (!t->is_proxied && fetch_is_blocked(t->fx, &a->addr) &&
	    !fetch_is_allowed_host(t)) {
		if (a->family == AF_INET6)
			in = &((struct sockaddr_in6 *)&a->addr)->sin6_addr;
		else
			in = &((struct sockaddr_in *)&a->addr)->sin_addr;
		if (inet_ntop(a->family, in, host, sizeof host) == NULL)
			snprintf(host, sizeof host, "?");
		snprintf(t->blocked, sizeof t->blocked, "%s", host);
		return (CURL_SOCKET_BAD);
	}
	return (socket(a->family, a->socktype, a->protocol));
}

/*
 * An easy handle: one a finished transfer left, reset to the defaults,
 * or a new one.  A warm poll of 1,000 feeds spent a twentieth of its time
 * making and tearing down handles.
 */
static CURL *
fetch_easy_get(struct fetcher *fx)
{
	CURL	*easy;

	if (fx->nidle == 0)
		return (curl_easy_init());
	easy = fx->idle[--fx->nidle];
	curl_easy_reset(easy);
	return (easy);
}

/*
 * A transfer is done with its handle (no longer in the multi handle):
 * keep it for reuse, up to max_parallel, unless the transfer ever paused
 * (what curl kept for a paused transfer that ended is not something to
 * trust curl_easy_reset with).
 */
static void
fetch_easy_release(struct fetch_transfer *t)
{
	struct fetcher	*fx = t->fx;
	size_t		 max = fx->opts.max_parallel > 0 ?
			    (size_t)fx->opts.max_parallel : 1;

	if (t->easy == NULL)
		return;
	if (fx->idle == NULL)
		fx->idle = xreallocarray(NULL, max, sizeof *fx->idle);
	if (t->has_paused || fx->nidle == max)
		curl_easy_cleanup(t->easy);
	else
		fx->idle[fx->nidle++] = t->easy;
	t->easy = NULL;
}

/* Start a transfer; cb always runs once, later, from the loop. */
int
fetch_start(struct fetcher *fx, const struct fetch_request *req,
    fetch_done_cb cb, void *arg)
{
	struct fetch_transfer	*t;
	struct timeval		 zero = { 0, 0 };
	CURLcode		 rc = CURLE_OK;
	CURLMcode		 mc;

	t = xcalloc(1, sizeof *t);
	t->fx = fx;
	t->name = xstrdup(req->name);
	t->url = xstrdup(req->url);
	t->cb = cb;
	t->arg = arg;
	t->max_body = req->max_body;
	t->is_proxied = req->proxy != NULL;
	t->headers = fetch_request_headers(req);
	LIST_INSERT_HEAD(&fx->transfers, t, entry);
	fx->nrunning++;
	if ((t->easy = fetch_easy_get(fx)) == NULL || t->headers == NULL) {
		snprintf(t->errbuf, sizeof t->errbuf, "curl_easy_init failed");
		goto fail;
	}
	if ((rc = fetch_setopts(t, req)) != CURLE_OK) {
		snprintf(t->errbuf, sizeof t->errbuf, "%s",
		    curl_easy_strerror(rc));
		goto fail;
	}
	if ((mc = curl_multi_add_handle(fx->multi, t->easy)) != CURLM_OK) {
		snprintf(t->errbuf, sizeof t->errbuf, "%s",
		    curl_multi_strerror(mc));
		goto fail;
	}
	return (0);

fail:
	/* Report from the loop, never from inside the caller's call. */
	t->failed = evtimer_new(fx->base, fetch_failed_cb, t);
	if (t->failed == NULL || evtimer_add(t->failed, &zero) != 0) {
		LIST_REMOVE(t, entry);
		fx->nrunning--;
		fetch_transfer_free(t);
		return (-1);
	}
	return (0);
}

/* A transfer that could not start ends here. */
static void
fetch_failed_cb(evutil_socket_t fd, short what, void *arg)
{
	struct fetch_transfer	*t = arg;

	(void)fd;
	(void)what;
	fetch_finish(t, CURLE_FAILED_INIT);
}

/* curl wants a socket watched differently (hiperfifo's sock_cb). */
static int
fetch_sock_cb(CURL *easy, curl_socket_t fd, int what, void *userp,
    void *sockp)
{
	struct fetcher		*fx = userp;
	struct fetch_sock	*s = sockp;
	short			 kind;

	(void)easy;
	if (what == CURL_POLL_REMOVE) {
		if (s != NULL) {
			event_free(s->ev);
			free(s);
		}
		return (0);
	}
	kind = EV_PERSIST;
	if (what & CURL_POLL_IN)
		kind |= EV_READ;
	if (what & CURL_POLL_OUT)
		kind |= EV_WRITE;
	if (s == NULL) {
		s = xcalloc(1, sizeof *s);
		s->fx = fx;
		s->fd = fd;
		curl_multi_assign(fx->multi, fd, s);
	} else {
		event_free(s->ev);
	}
	s->ev = event_new(fx->base, fd, kind, fetch_event_cb, s);
	event_add(s->ev, NULL);
	return (0);
}

/*
 * curl wants its timeout changed.  Never call curl from here: a zero
 * timeout just arms an immediate timer.
 */
static int
fetch_multi_timer_cb(CURLM *multi, long timeout_ms, void *userp)
{
	struct fetcher	*fx = userp;
	struct timeval	 tv;

	(void)multi;
	if (timeout_ms < 0) {
		evtimer_del(fx->timer);
		return (0);
	}
	tv.tv_sec = timeout_ms / 1000;
	tv.tv_usec = (timeout_ms % 1000) * 1000;
	evtimer_add(fx->timer, &tv);
	return (0);
}

/* curl's timeout expired. */
static void
fetch_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct fetcher	*fx = arg;
	int		 running;
	CURLMcode	 mc;

	(void)fd;
	(void)what;
	mc = curl_multi_socket_action(fx->multi, CURL_SOCKET_TIMEOUT, 0,
	    &running);
	(void)mc;	/* a failed transfer surfaces in fetch_check_info */
	fetch_check_info(fx);
}

/* A socket is ready. */
static void
fetch_event_cb(evutil_socket_t fd, short what, void *arg)
{
	struct fetch_sock	*s = arg;
	struct fetcher		*fx = s->fx;
	int			 action = 0, running;

	if (what & EV_READ)
		action |= CURL_CSELECT_IN;
	if (what & EV_WRITE)
		action |= CURL_CSELECT_OUT;
	curl_multi_socket_action(fx->multi, fd, action, &running);
	fetch_check_info(fx);
}

/* Response headers kept, each in its slot of the transfer. */
static const struct {
	const char	*name;
	size_t		 off;
} fetch_headers[] = {
	{ "cache-control", offsetof(struct fetch_transfer, cache_control) },
	{ "content-language",
	    offsetof(struct fetch_transfer, content_language) },
	{ "content-location",
	    offsetof(struct fetch_transfer, content_location) },
	{ "content-type", offsetof(struct fetch_transfer, content_type) },
	{ "date", offsetof(struct fetch_transfer, date) },
	{ "etag", offsetof(struct fetch_transfer, etag) },
	{ "expires", offsetof(struct fetch_transfer, expires) },
	{ "last-modified", offsetof(struct fetch_transfer, last_modified) },
	{ "location", offsetof(struct fetch_transfer, location) },
	{ "retry-after", offsetof(struct fetch_transfer, retry_after) },
};

/*
 * A status line starts a response.  A redirect that curl will follow
 * counts as a hop; the chain is permanent only if every hop was 301 or
 * 308 (RFC 9110 15.4).
 */
static void
fetch_status_line(struct fetch_transfer *t, const char *line)
{
	const char	*p;
	char		*url = NULL;
	long		 code;

	t->is_redirect = 0;
	if ((p = strchr(line, ' ')) == NULL)
		return;
	code = strtol(p + 1, NULL, 10);
	if (code < 300 || code > 399 || code == 304)
		return;
	t->nhops++;
	t->is_redirect = 1;
	if (code != 301 && code != 308)
		t->is_temporary = 1;
	/* Only a URL that redirected can be gone back to in a loop. */
	if (curl_easy_getinfo(t->easy, CURLINFO_EFFECTIVE_URL, &url) ==
	    CURLE_OK && url != NULL) {
		t->visited = xreallocarray(t->visited, t->nvisited + 1,
		    sizeof *t->visited);
		t->visited[t->nvisited++] = xstrdup(url);
	}
}

/*
 * The headers of a redirect are in: if it leads back to a URL that
 * redirected earlier in this poll (this one included), say so and stop,
 * rather than go round the loop until max_redirects runs out.
 */
static int
fetch_is_loop(struct fetch_transfer *t)
{
	CURLU	*u;
	char	*target = NULL;
	size_t	 i, len;

	if (!t->is_redirect || t->location == NULL || t->nvisited == 0 ||
	    (u = curl_url()) == NULL)
		return (0);
	/* Resolved as curl will, against the URL that answered. */
	if (curl_url_set(u, CURLUPART_URL, t->visited[t->nvisited - 1], 0) !=
	    CURLUE_OK || curl_url_set(u, CURLUPART_URL, t->location, 0) !=
	    CURLUE_OK || curl_url_get(u, CURLUPART_URL, &target, 0) !=
	    CURLUE_OK)
		target = NULL;
	curl_url_cleanup(u);
	if (target == NULL)
		return (0);
	/* The fragment is never sent: "#top" asks for the same again. */
	len = strcspn(target, "#");
	for (i = 0; i < t->nvisited && t->loop == NULL; i++) {
		if (strcspn(t->visited[i], "#") == len &&
		    strncmp(t->visited[i], target, len) == 0)
			t->loop = xstrdup(target);
	}
	curl_free(target);
	return (t->loop != NULL);
}

/* Seconds in a header value that is a number, or -1. */
static long
fetch_seconds(const char *s)
{
	char	*end;
	long	 n;

	if (s == NULL || *s < '0' || *s > '9')
		return (-1);
	n = strtol(s, &end, 10);
	while (*end == ' ' || *end == '\t')
		end++;
	if (*end != '\0' && *end != ',' && *end != ';')
		return (-1);
	return (n < 0 ? -1 : n);
}

/* The max-age directive of a Cache-Control value, or -1. */
static long
fetch_max_age(const char *cc)
{
	const char	*p;

	for (p = cc; p != NULL && *p != '\0'; p++) {
		if ((p == cc || p[-1] == ',' || p[-1] == ' ') &&
		    strncasecmp(p, "max-age=", 8) == 0)
			return (fetch_seconds(p + 8));
	}
	return (-1);
}

/*
 * What the server said about when to come back: Cache-Control max-age
 * (which beats Expires, RFC 9111 5.3), Expires relative to the server's
 * own Date, and Retry-After in seconds or as an HTTP date.  Dates are
 * read with curl_getdate.
 */
static void
fetch_freshness(struct fetch_transfer *t, struct fetch_result *r)
{
	time_t	 now = time(NULL), exp, date, when;

	r->max_age = fetch_max_age(t->cache_control);
	r->expires_in = -1;
	if (t->expires != NULL && (exp = curl_getdate(t->expires, NULL)) != -1) {
		date = t->date != NULL ? curl_getdate(t->date, NULL) : -1;
		if (date == -1)
			date = now;
		r->expires_in = exp > date ? (long)(exp - date) : 0;
	}
	r->retry_after = fetch_seconds(t->retry_after);
	if (r->retry_after == -1 && t->retry_after != NULL &&
	    (when = curl_getdate(t->retry_after, NULL)) != -1)
		r->retry_after = when > now ? (long)(when - now) : 0;
}

/* Remember a header of the response; a new status line starts afresh. */
static size_t
fetch_header_cb(char *data, size_t size, size_t n, void *arg)
{
	struct fetch_transfer	*t = arg;
	size_t			 len = size * n, i;
	char			*line, *value, **slot = NULL;

	line = xstrndup(data, len);
	if (strcmp(line, "\r\n") == 0 || strcmp(line, "\n") == 0) {
		if (fetch_is_loop(t))
			len = 0;	/* curl stops the transfer */
	} else if (strncmp(line, "HTTP/", 5) == 0) {
		fetch_status_line(t, line);
		for (i = 0; i < nitems(fetch_headers); i++) {
			slot = (char **)((char *)t + fetch_headers[i].off);
			free(*slot);
			*slot = NULL;
		}
	} else if ((value = strchr(line, ':')) != NULL) {
		*value++ = '\0';
		for (i = 0; i < nitems(fetch_headers); i++) {
			if (strcasecmp(line, fetch_headers[i].name) == 0)
				slot = (char **)((char *)t +
				    fetch_headers[i].off);
		}
		if (slot != NULL) {
			free(*slot);
			*slot = xstrdup(util_trim(value));
		}
	}
	free(line);
	return (len);
}

/*
 * A chunk of decoded body.  The first chunk of a 2xx (or file:) body
 * creates the parse job with what the headers said; any other body is
 * counted and dropped.  While the parse pool is full, the transfer
 * pauses and curl keeps the chunk for later.
 */
static size_t
fetch_write_cb(char *data, size_t size, size_t n, void *arg)
{
	struct fetch_transfer	*t = arg;
	struct parse_options	 po;
	size_t			 len = size * n;
	long			 code = 0;

	if (len > t->max_body - t->nbytes) {
		t->is_too_large = 1;
		return (0);
	}
	if (t->job == NULL && !t->is_discarding) {
		curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &code);
		if (code != 0 && (code < 200 || code > 299))
			t->is_discarding = 1;
		else {
			memset(&po, 0, sizeof po);
			po.url = t->url;
			po.content_type = t->content_type;
			po.content_location = t->content_location;
			po.content_language = t->content_language;
			po.max_entries = t->fx->opts.max_entries;
			t->job = parse_job_new(t->fx->pool, &po);
		}
	}
	if (t->job != NULL) {
		if (parse_pool_is_full(t->fx->pool)) {
			log_debug("feed %s: parsing is behind; transfer "
			    "paused", t->name);
			t->is_paused = t->has_paused = 1;
			return (CURL_WRITEFUNC_PAUSE);
		}
		parse_job_push(t->job, data, len);
	}
	t->nbytes += len;
	return (len);
}

/* The parse pool caught up: resume the transfers that paused for it. */
static void
fetch_drained_cb(void *arg)
{
	struct fetcher		*fx = arg;
	struct fetch_transfer	*t;

	LIST_FOREACH(t, &fx->transfers, entry) {
		if (!t->is_paused)
			continue;
		t->is_paused = 0;
		log_debug("feed %s: transfer resumed", t->name);
		/* This may deliver the kept chunk, and pause again. */
		curl_easy_pause(t->easy, CURLPAUSE_CONT);
	}
}

/* Report every transfer curl says has ended. */
static void
fetch_check_info(struct fetcher *fx)
{
	CURLMsg			*msg;
	int			 left;
	struct fetch_transfer	*t;
	CURLcode		 rc;

	while ((msg = curl_multi_info_read(fx->multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		/* msg dies with the handle: copy what we need first. */
		rc = msg->data.result;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
		    (char **)&t);
		curl_multi_remove_handle(fx->multi, t->easy);
		fetch_finish(t, rc);
	}
}

/*
 * The feed a web page names (feed autodiscovery): its first
 * <link rel="alternate"> to a feed over http or https, or NULL.
 */
static char *
fetch_discovered(const struct feed_doc *doc)
{
	size_t	 i;

	for (i = 0; i < doc->nlinks; i++) {
		if (doc->links[i].href != NULL &&
		    (strncmp(doc->links[i].href, "http://", 7) == 0 ||
		    strncmp(doc->links[i].href, "https://", 8) == 0))
			return (xstrdup(doc->links[i].href));
	}
	return (NULL);
}

/* Map an HTTP status of a finished transfer to an outcome. */
static enum fetch_status
fetch_http_status(long code)
{
	if (code == 0 || (code >= 200 && code <= 299))
		return (FETCH_OK);
	if (code == 304)
		return (FETCH_NOT_MODIFIED);
	if (code == 410)
		return (FETCH_GONE);
	/* Not found, timeouts, rate limits and server faults may pass. */
	if (code == 404 || code == 408 || code == 429 || code >= 500)
		return (FETCH_TRANSIENT);
	return (FETCH_PERMANENT);
}

/* Whether a finished transfer has a body to parse for its result. */
static int
fetch_wants_doc(struct fetch_transfer *t)
{
	long	 code = 0;

	if (t->blocked[0] != '\0')
		return (0);
	if (t->is_too_large)
		return (t->job != NULL);
	if (t->rc != CURLE_OK)
		return (0);
	if (t->easy != NULL)
		curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &code);
	return (fetch_http_status(code) == FETCH_OK);
}

/*
 * A transfer ended: report it now, or once the parse pool has its
 * document (an empty body still makes one, which says so).
 */
static void
fetch_finish(struct fetch_transfer *t, CURLcode rc)
{
	t->rc = rc;
	t->is_paused = 0;
	if (!fetch_wants_doc(t)) {
		fetch_report(t, NULL, NULL);
		return;
	}
	if (t->job == NULL)
		t->job = parse_job_new(t->fx->pool, NULL);
	parse_job_finish(t->job, fetch_parsed_cb, t);
}

/* The document of a finished transfer is parsed; the pool frees the job. */
static void
fetch_parsed_cb(struct feed_doc *doc, const char *hash, void *arg)
{
	struct fetch_transfer	*t = arg;

	t->job = NULL;
	fetch_report(t, doc, hash);
}

/*
 * Build the result of a finished transfer from how it ended and its
 * document (which this takes), report it, free the transfer.
 */
static void
fetch_report(struct fetch_transfer *t, struct feed_doc *doc,
    const char *hash)
{
	struct fetcher		*fx = t->fx;
	struct fetch_result	 r;
	curl_off_t		 us = 0;
	char			*final = NULL;

	memset(&r, 0, sizeof r);
	r.name = t->name;
	r.url = t->url;
	r.nbytes = t->nbytes;
	if (t->easy != NULL) {
		curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE,
		    &r.http_code);
		curl_easy_getinfo(t->easy, CURLINFO_TOTAL_TIME_T, &us);
	}
	r.seconds = (double)us / 1e6;
	r.etag = t->etag;
	r.last_modified = t->last_modified;
	fetch_freshness(t, &r);
	if (hash != NULL && t->nbytes > 0)
		snprintf(r.body_hash, sizeof r.body_hash, "%s", hash);
	if (t->blocked[0] != '\0') {
		r.status = FETCH_PERMANENT;
		xasprintf(&r.error, "refused to connect to %s: a private, "
		    "loopback or link-local address (block_private; see "
		    "allow_networks)", t->blocked);
	} else if (t->is_too_large && doc != NULL) {
		/* Cut off: keep the entries that came before the cap. */
		r.status = FETCH_OK;
		r.is_truncated = true;
		xasprintf(&r.error, "body larger than %zu bytes, cut off",
		    t->max_body);
		r.doc = doc;
	} else if (t->loop != NULL) {
		r.status = FETCH_TRANSIENT;
		xasprintf(&r.error, "redirect loop: back to %s after %d "
		    "redirect%s", t->loop, t->nhops, t->nhops == 1 ? "" : "s");
	} else if (t->is_too_large || t->rc == CURLE_FILESIZE_EXCEEDED) {
		r.status = FETCH_PERMANENT;
		xasprintf(&r.error, "body larger than %zu bytes",
		    t->max_body);
	} else if (t->rc != CURLE_OK) {
		r.status = t->rc == CURLE_UNSUPPORTED_PROTOCOL ||
		    t->rc == CURLE_URL_MALFORMAT ? FETCH_PERMANENT :
		    FETCH_TRANSIENT;
		xasprintf(&r.error, "%s", t->errbuf[0] != '\0' ? t->errbuf :
		    curl_easy_strerror(t->rc));
	} else if ((r.status = fetch_http_status(r.http_code)) != FETCH_OK) {
		if (r.status != FETCH_NOT_MODIFIED)
			xasprintf(&r.error, "HTTP status %ld", r.http_code);
	} else if (doc->format == FEED_FORMAT_NONE) {
		r.status = FETCH_PERMANENT;
		xasprintf(&r.error, "not a feed%s%s",
		    doc->bozo_message != NULL ? ": " : "",
		    doc->bozo_message != NULL ? doc->bozo_message : "");
		r.discovered = fetch_discovered(doc);
	} else
		r.doc = doc;
	if (r.doc != doc)
		feed_doc_free(doc);
	if (t->easy != NULL && t->nhops > 0 && !t->is_temporary &&
	    curl_easy_getinfo(t->easy, CURLINFO_EFFECTIVE_URL, &final) ==
	    CURLE_OK && final != NULL)
		r.moved_to = xstrdup(final);
	/* The poll this callback may start can have the handle. */
	fetch_easy_release(t);
	LIST_REMOVE(t, entry);
	fx->nrunning--;
	t->cb(&r, t->arg);
	feed_doc_free(r.doc);
	free(r.error);
	free(r.moved_to);
	free(r.discovered);
	fetch_transfer_free(t);
}

/* Free a transfer that is no longer in the multi handle. */
static void
fetch_transfer_free(struct fetch_transfer *t)
{
	size_t	 i;

	if (t->failed != NULL)
		event_free(t->failed);
	fetch_easy_release(t);
	curl_slist_free_all(t->headers);
	if (t->job != NULL)
		parse_job_cancel(t->job);
	free(t->content_type);
	free(t->content_location);
	free(t->content_language);
	free(t->etag);
	free(t->last_modified);
	free(t->cache_control);
	free(t->expires);
	free(t->date);
	free(t->retry_after);
	free(t->location);
	for (i = 0; i < t->nvisited; i++)
		free(t->visited[i]);
	free(t->visited);
	free(t->loop);
	free(t->name);
	free(t->url);
	free(t);
}
