/*
 * fetch: HTTP(S) transfers on libcurl's multi_socket API, driven by the
 * libevent loop.  The only module that knows both libraries.  Each body
 * chunk goes straight into a parse context created once the status is
 * known, so a 304 or an error page is never parsed and no body is held
 * whole.  fetch reports one result per transfer through a callback.
 */
#ifndef FEEDD_FETCH_H
#define FEEDD_FETCH_H

#include <stdbool.h>
#include <stddef.h>

#include "feedd/model.h"
#include "feedd/util.h"

struct event_base;
struct fetcher;

enum fetch_status {
	FETCH_OK,		/* 2xx with a parsed document */
	FETCH_NOT_MODIFIED,	/* 304 */
	FETCH_GONE,		/* 410 */
	FETCH_TRANSIENT,	/* network error, 5xx, 429, 404: try later */
	FETCH_PERMANENT		/* other 4xx, bad URL, body too large */
};

/* What holds for every transfer of a fetcher. */
struct fetch_options {
	const char	*user_agent;		/* unless a request has one */
	size_t		 max_entries;		/* per feed */
	int		 max_parallel;		/* in flight, for curl's pool */
	int		 per_host;		/* connections per host */
	bool		 is_private_blocked;	/* refuse private addresses */
	const struct util_cidr *allow;		/* ...except these; copied */
	size_t		 nallow;
	char *const	*allow_hosts;	/* ...and these hosts (lower case) */
	size_t		 nallow_hosts;
	/* Run on each parsed document on a parse thread, or NULL. */
	void		(*prepare)(struct feed_doc *);
};

struct fetch_request {
	const char	*name;		/* feed name, for logs */
	const char	*url;
	bool		 is_file_allowed; /* the config named a file: URL */
	const char	*etag;		/* sent as If-None-Match, or NULL */
	const char	*last_modified;	/* sent as If-Modified-Since */
	const char	*user_agent;	/* NULL: the fetcher's */
	long		 connect_timeout; /* seconds */
	long		 timeout;	/* seconds, the whole transfer */
	long		 max_redirects;
	size_t		 max_body;	/* decoded body bytes */
	char *const	*headers;	/* extra "Name: value" lines */
	size_t		 nheaders;
	const char	*username;	/* HTTP basic auth, or NULL */
	const char	*password;
	const char	*proxy;		/* NULL: the environment's */
	const char	*ca_file;	/* extra CA certificates, or NULL */
};

/* What a finished transfer reports; -1 marks an absent number. */
struct fetch_result {
	const char		*name;
	const char		*url;
	enum fetch_status	 status;
	long			 http_code;	/* 0 for file: or no response */
	char			*error;		/* why, when not OK */
	struct feed_doc		*doc;		/* OK only; a callback may take it */
	char			*etag;		/* of the final response, or NULL */
	char			*last_modified;	/* of the final response */
	long			 max_age;	/* Cache-Control max-age, s */
	long			 expires_in;	/* Expires - Date, s */
	long			 retry_after;	/* Retry-After, s from now */
	char			*moved_to;	/* final URL when every hop was
						   301 or 308, else NULL */
	char			 body_hash[UTIL_HASH_HEX]; /* of the decoded body */
	bool			 is_truncated;	/* OK, but cut off at max_body:
						   doc has what came before */
	char			*discovered;	/* not a feed, but a web page
						   naming this feed URL */
	size_t			 nbytes;	/* decoded body bytes */
	double			 seconds;
};

typedef void (*fetch_done_cb)(struct fetch_result *, void *arg);

struct fetcher	*fetch_new(struct event_base *, const struct fetch_options *,
		     char **cause);
/* Cancels transfers in flight without calling their callbacks. */
void		 fetch_free(struct fetcher *);
/*
 * Start a transfer; cb runs once from the event loop when it ends, even
 * when it could not start.  Strings in req are copied.
 */
int		 fetch_start(struct fetcher *, const struct fetch_request *,
		     fetch_done_cb cb, void *arg);
size_t		 fetch_running(const struct fetcher *);
const char	*fetch_status_name(enum fetch_status);

#endif
