/* SPDX-License-Identifier: ISC */
/*
 * What main hands the HTTP server: its options from the config (and the
 * socket systemd passed, if any), and the /metrics body, where counters
 * kept since start-up meet the per-feed state the store holds now.
 * Poll outcomes come in through schedule's callback.
 */
#include <sys/stat.h>

#include <stdlib.h>
#include <string.h>

#include <systemd/sd-daemon.h>

#include "feedd/config.h"
#include "feedd/http.h"
#include "feedd/log.h"
#include "feedd/metrics.h"
#include "feedd/store.h"
#include "feedd/util.h"
#include "main-int.h"

static int	main_listen_fd(void);
static int64_t	main_database_bytes(const char *);

/*
 * The listening socket systemd passed (socket activation), or -1.  The
 * environment is cleared so that nothing we start inherits it.
 */
static int
main_listen_fd(void)
{
	int	 n;

	if ((n = sd_listen_fds(1)) < 0) {
		log_warn("systemd: cannot take the sockets passed: %s",
		    strerror(-n));
		return (-1);
	}
	if (n == 0)
		return (-1);
	if (n > 1)
		log_warn("systemd passed %d sockets; serving on the first", n);
	if (sd_is_socket(SD_LISTEN_FDS_START, AF_UNSPEC, SOCK_STREAM,
	    1) <= 0) {
		log_warn("systemd passed fd %d, which is not a listening "
		    "stream socket", SD_LISTEN_FDS_START);
		return (-1);
	}
	return (SD_LISTEN_FDS_START);
}

/* Fill o from the config; o->fd is systemd's socket, if it passed one. */
void
main_http_options(const struct config *cfg, struct http_options *o)
{
	memset(o, 0, sizeof *o);
	o->listen = cfg->listen;
	o->fd = main_listen_fd();
	o->max_connections = cfg->http_max_connections;
	o->header_timeout = (int)cfg->http_header_timeout;
	o->token = cfg->http_token;
	/* emit writes the archive pages there; http reads them from disk. */
	if (cfg->is_archiving)
		o->archive_dir = cfg->output_dir;
}

/* schedule's callback: count the poll. */
void
main_polled_cb(const struct metrics_poll *p, void *arg)
{
	metrics_count_poll(arg, p);
}

/* Bytes of the database and its write-ahead log, or -1. */
static int64_t
main_database_bytes(const char *path)
{
	struct stat	 sb;
	char		*wal;
	int64_t		 n;

	if (stat(path, &sb) != 0)
		return (-1);
	n = (int64_t)sb.st_size;
	xasprintf(&wal, "%s-wal", path);
	if (stat(wal, &sb) == 0)
		n += (int64_t)sb.st_size;
	free(wal);
	return (n);
}

/*
 * The /metrics body: the counters, and each configured feed's state as
 * stored (read now, so it is never stale and never kept twice).
 */
void
main_render_metrics(const struct config *cfg, struct store *st,
    const struct metrics *mx, struct buf *out)
{
	struct store_feed_row		*rows = NULL;
	const struct store_feed_row	*row;
	struct store_feed_state		 none;
	const struct store_feed_state	*state;
	struct metrics_feed		*feeds;
	struct metrics_gauges		 g;
	char				*cause = NULL;
	size_t				 nrows = 0, i;

	if (store_list_feeds(st, &rows, &nrows, &cause) != 0) {
		log_warn("metrics: %s", cause);
		free(cause);
		nrows = 0;
	}
	memset(&none, 0, sizeof none);
	feeds = xcalloc(cfg->nfeeds, sizeof *feeds);
	for (i = 0; i < cfg->nfeeds; i++) {
		row = store_feed_row_find(rows, nrows, cfg->feeds[i].name);
		state = row != NULL ? &row->state : &none;
		feeds[i].name = cfg->feeds[i].name;
		feeds[i].condition = store_feed_condition(state);
		feeds[i].last_status = state->last_status;
		feeds[i].failures = state->failures;
		feeds[i].last_attempt = state->last_attempt;
		feeds[i].next_poll = state->next_poll;
	}
	memset(&g, 0, sizeof g);
	g.feeds = feeds;
	g.nfeeds = cfg->nfeeds;
	g.database_bytes = main_database_bytes(cfg->database);
	metrics_render(mx, &g, out);
	free(feeds);
	store_feed_rows_free(rows, nrows);
}
