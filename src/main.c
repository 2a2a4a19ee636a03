/* SPDX-License-Identifier: ISC */
/*
 * feedd: the command line and the wiring.  main is the only place that
 * knows every module: it reads the config, opens the store, and connects
 * schedule -> store -> emit -> http through their callbacks.  Signals
 * arrive as libevent events and are handled in one switch.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <curl/curl.h>
#include <event2/event.h>
#include <libxml/parser.h>
#include <systemd/sd-daemon.h>

#include "feedd/config.h"
#include "feedd/emit.h"
#include "feedd/fetch.h"
#include "feedd/http.h"
#include "feedd/log.h"
#include "feedd/parse.h"
#include "feedd/schedule.h"
#include "feedd/store.h"
#include "feedd/util.h"

#define MAIN_DEFAULT_CONFIG "/etc/feedd.conf"
/* How long SIGTERM waits for transfers in flight. */
#define MAIN_DRAIN_SECONDS 10

/* Everything a running daemon holds, for the callbacks. */
struct main_ctx {
	struct config		*cfg;
	struct event_base	*base;
	struct store		*st;
	struct fetcher		*fx;
	struct emit		*em;
	struct http		*http;
	struct schedule		*sch;
	struct event		*signals[5];
	struct event		*watchdog;
	struct event		*drain;		/* SIGTERM: drain deadline */
	int			 is_once;
	int			 is_stopping;
};

static void	main_usage(FILE *);
static int	main_check(const char *);
static int	main_parse(int, char **);
static int	main_status(const char *);
static const char *main_time(time_t, char[21]);
static void	main_status_row(const char *, const char *, const char *,
		    const struct store_feed_state *, long);
static int	main_daemon(const char *, int);
static void	main_idle_cb(void *);
static void	main_drain_start(struct main_ctx *);

/* Print usage to f. */
static void
main_usage(FILE *f)
{
	fprintf(f,
	    "usage: feedd [run] [-d] [-c FILE]   run the daemon in the foreground\n"
	    "       feedd once [-d] [-c FILE]    poll every feed once, write the outputs, exit\n"
	    "       feedd check [-c FILE]        check the config file\n"
	    "       feedd status [-c FILE]       show every feed's poll state\n"
	    "       feedd parse [--url URL] [--header 'Name: value']... FILE|-\n"
	    "                                    parse one feed and print it as JSON\n"
	    "       feedd --version | --help\n"
	    "The default config file is " MAIN_DEFAULT_CONFIG ".\n");
}

/* Route libevent's own messages through our log. */
static void
main_event_log_cb(int severity, const char *msg)
{
	if (severity >= EVENT_LOG_ERR)
		log_err("libevent: %s", msg);
	else if (severity == EVENT_LOG_WARN)
		log_warn("libevent: %s", msg);
	else
		log_debug("libevent: %s", msg);
}

/* libxml2's global error output is silenced: parse reports per context. */
static void
main_xml_error_cb(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "debug", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char	*verb = "run", *path = MAIN_DEFAULT_CONFIG;
	int		 ch, is_debug = 0;

	log_open(LOG_LEVEL_INFO, !isatty(STDERR_FILENO));
	xmlSetGenericErrorFunc(NULL, main_xml_error_cb);
	if (argc > 1 && argv[1][0] != '-') {
		verb = argv[1];
		argc--;
		argv++;
	}
	if (strcmp(verb, "parse") == 0)
		return (main_parse(argc, argv));
	while ((ch = getopt_long(argc, argv, "c:dhV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			path = optarg;
			break;
		case 'd':
			is_debug = 1;
			break;
		case 'h':
			main_usage(stdout);
			return (0);
		case 'V':
			printf("feedd %s\n", FEEDD_VERSION);
			return (0);
		default:
			main_usage(stderr);
			return (2);
		}
	}
	if (optind != argc) {
		main_usage(stderr);
		return (2);
	}
	if (is_debug)
		log_set_level(LOG_LEVEL_DEBUG);
	if (strcmp(verb, "check") == 0)
		return (main_check(path));
	if (strcmp(verb, "status") == 0)
		return (main_status(path));
	if (strcmp(verb, "run") == 0)
		return (main_daemon(path, 0));
	if (strcmp(verb, "once") == 0)
		return (main_daemon(path, 1));
	fprintf(stderr, "feedd: unknown command: %s\n", verb);
	main_usage(stderr);
	return (2);
}

/* feedd check: load the config and say what is wrong with it. */
static int
main_check(const char *path)
{
	struct config	*cfg;
	char		*cause = NULL;

	if ((cfg = config_load(path, &cause)) == NULL) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
		return (1);
	}
	printf("%s: ok, %zu feeds\n", path, cfg->nfeeds);
	config_free(cfg);
	return (0);
}

/* Format a time for the status table: RFC 3339 UTC, or "-" for none. */
static const char *
main_time(time_t t, char out[21])
{
	if (t == 0)
		return ("-");
	util_rfc3339(t, out);
	return (out);
}

/* Print one line of the status table, and its URL and error below it. */
static void
main_status_row(const char *name, const char *url, const char *condition,
    const struct store_feed_state *state, long nentries)
{
	char	 last[21], next[21];

	printf("%-16s %-8s %-20s %4ld  %-20s %-22s %5d %7ld\n", name,
	    condition, main_time(state->last_attempt, last),
	    state->last_status, state->is_gone ? "-" :
	    main_time(state->next_poll, next), state->next_reason != NULL ?
	    state->next_reason : "-", state->failures, nentries);
	printf("    %s\n", url);
	if (state->fetch_url != NULL)
		printf("    moved to %s\n", state->fetch_url);
	if (state->last_error != NULL && state->failures + state->is_gone > 0)
		printf("    error: %s\n", state->last_error);
}

/*
 * feedd status: each configured feed's poll state from the database, and
 * feeds still stored but no longer configured.
 */
static int
main_status(const char *path)
{
	static const struct store_feed_state none;
	struct config		*cfg;
	struct store		*st = NULL;
	struct store_feed_row	*rows = NULL, *row;
	size_t			 nrows = 0, i, j;
	char			*cause = NULL;
	int			 ret = 1;

	if ((cfg = config_load(path, &cause)) == NULL) {
		fprintf(stderr, "%s\n", cause);
		goto out;
	}
	if ((st = store_open(cfg->database, &cause)) == NULL ||
	    store_list_feeds(st, &rows, &nrows, &cause) != 0) {
		fprintf(stderr, "%s\n", cause);
		goto out;
	}
	printf("%-16s %-8s %-20s %4s  %-20s %-22s %5s %7s\n", "FEED", "STATE",
	    "LAST POLL", "HTTP", "NEXT POLL", "BECAUSE", "FAILS", "ENTRIES");
	for (i = 0; i < cfg->nfeeds; i++) {
		row = NULL;
		for (j = 0; j < nrows; j++) {
			if (strcmp(rows[j].name, cfg->feeds[i].name) == 0)
				row = &rows[j];
		}
		main_status_row(cfg->feeds[i].name, cfg->feeds[i].url,
		    store_feed_condition(row != NULL ? &row->state : &none),
		    row != NULL ? &row->state : &none,
		    row != NULL ? row->nentries : 0);
	}
	for (j = 0; j < nrows; j++) {
		if (config_find_feed(cfg, rows[j].name) == NULL)
			main_status_row(rows[j].name, rows[j].state.url != NULL ?
			    rows[j].state.url : "-", "removed",
			    &rows[j].state, rows[j].nentries);
	}
	ret = 0;
out:
	free(cause);
	store_feed_rows_free(rows, nrows);
	store_close(st);
	config_free(cfg);
	return (ret);
}

/* Read a "Name: value" header into the parse options it matters to. */
static int
main_parse_header(char *h, struct parse_options *po)
{
	char	*value;

	if ((value = strchr(h, ':')) == NULL)
		return (-1);
	*value++ = '\0';
	value = util_trim(value);
	h = util_trim(h);
	if (strcasecmp(h, "Content-Type") == 0)
		po->content_type = value;
	else if (strcasecmp(h, "Content-Location") == 0)
		po->content_location = value;
	else if (strcasecmp(h, "Content-Language") == 0)
		po->content_language = value;
	return (0);
}

/* feedd parse: one document from a file or stdin, printed as JSON. */
static int
main_parse(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "url", required_argument, NULL, 'u' },
		{ "header", required_argument, NULL, 'H' },
		{ NULL, 0, NULL, 0 }
	};
	struct parse_options	 po;
	struct parse_ctx	*ctx;
	struct feed_doc		*doc;
	FILE			*f;
	char			 chunk[65536], *json;
	size_t			 n;
	int			 ch;

	memset(&po, 0, sizeof po);
	while ((ch = getopt_long(argc, argv, "u:H:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'u':
			po.url = optarg;
			break;
		case 'H':
			if (main_parse_header(optarg, &po) != 0) {
				fprintf(stderr, "feedd: bad header: %s\n",
				    optarg);
				return (2);
			}
			break;
		default:
			main_usage(stderr);
			return (2);
		}
	}
	if (optind + 1 != argc) {
		main_usage(stderr);
		return (2);
	}
	if (strcmp(argv[optind], "-") == 0)
		f = stdin;
	else if ((f = fopen(argv[optind], "rb")) == NULL) {
		fprintf(stderr, "feedd: %s: %s\n", argv[optind],
		    strerror(errno));
		return (1);
	}
	ctx = parse_new(&po);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		parse_push(ctx, chunk, n);
	if (ferror(f)) {
		fprintf(stderr, "feedd: %s: read error\n", argv[optind]);
		parse_free(ctx);
		return (1);
	}
	if (f != stdin)
		fclose(f);
	doc = parse_finish(ctx);
	parse_free(ctx);
	json = parse_doc_json(doc);
	printf("%s\n", json);
	free(json);
	feed_doc_free(doc);
	return (0);
}

/* Polls stored something: rebuild the outputs soon. */
static void
main_changed_cb(void *arg)
{
	struct main_ctx	*m = arg;

	emit_mark_dirty(m->em);
}

/* emit built a document: serve it. */
static void
main_published_cb(const struct emit_doc *doc, void *arg)
{
	struct main_ctx	*m = arg;

	if (m->http != NULL)
		http_publish(m->http, doc->path, doc->content_type, doc->data,
		    doc->len);
}

/* Every poll asked for has ended (once, or draining): stop the loop. */
static void
main_idle_cb(void *arg)
{
	struct main_ctx	*m = arg;

	event_base_loopbreak(m->base);
}

/* The one switch for signals. */
static void
main_signal_cb(evutil_socket_t sig, short what, void *arg)
{
	struct main_ctx	*m = arg;

	(void)what;
	switch (sig) {
	case SIGTERM:
	case SIGINT:
		if (m->is_stopping) {
			log_notice("received %s again, stopping now",
			    strsignal((int)sig));
			event_base_loopbreak(m->base);
			break;
		}
		m->is_stopping = 1;
		log_notice("received %s, stopping after %zu transfers in "
		    "flight", strsignal((int)sig), fetch_running(m->fx));
		sd_notify(0, "STOPPING=1");
		main_drain_start(m);
		break;
	case SIGHUP:
		log_notice("reload is not supported yet; restart feedd to "
		    "apply config changes");
		break;
	case SIGUSR2:
		log_set_level(log_get_level() == LOG_LEVEL_DEBUG ?
		    LOG_LEVEL_INFO : LOG_LEVEL_DEBUG);
		log_notice("log level now %s", log_get_level() ==
		    LOG_LEVEL_DEBUG ? "debug" : "info");
		break;
	}
}

/* Draining took too long: stop anyway, cancelling what still runs. */
static void
main_drain_timeout_cb(evutil_socket_t fd, short what, void *arg)
{
	struct main_ctx	*m = arg;

	(void)fd;
	(void)what;
	log_warn("transfers still running after %ds, cancelling them",
	    MAIN_DRAIN_SECONDS);
	event_base_loopbreak(m->base);
}

/*
 * Let transfers in flight finish and be stored, so a restart does not
 * poll them again, but never wait longer than MAIN_DRAIN_SECONDS.
 */
static void
main_drain_start(struct main_ctx *m)
{
	struct timeval	 tv = { MAIN_DRAIN_SECONDS, 0 };

	m->drain = evtimer_new(m->base, main_drain_timeout_cb, m);
	evtimer_add(m->drain, &tv);
	schedule_stop(m->sch, main_idle_cb, m);
}

/* Tell systemd we are alive. */
static void
main_watchdog_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	sd_notify(0, "WATCHDOG=1");
}

/* Install the signal events and the systemd watchdog. */
static void
main_events(struct main_ctx *m)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGUSR2 };
	struct timeval	 tv;
	uint64_t	 usec;
	size_t		 i;

	signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		m->signals[i] = evsignal_new(m->base, sigs[i], main_signal_cb,
		    m);
		evsignal_add(m->signals[i], NULL);
	}
	if (sd_watchdog_enabled(0, &usec) > 0) {
		tv.tv_sec = (time_t)(usec / 2 / 1000000);
		tv.tv_usec = (suseconds_t)(usec / 2 % 1000000);
		m->watchdog = event_new(m->base, -1, EV_PERSIST,
		    main_watchdog_cb, m);
		evtimer_add(m->watchdog, &tv);
	}
}

/* Release everything in reverse order of acquisition. */
static void
main_teardown(struct main_ctx *m)
{
	size_t	 i;

	for (i = 0; i < sizeof m->signals / sizeof m->signals[0]; i++) {
		if (m->signals[i] != NULL)
			event_free(m->signals[i]);
	}
	if (m->watchdog != NULL)
		event_free(m->watchdog);
	if (m->drain != NULL)
		event_free(m->drain);
	/* Transfers first: their callbacks point into the schedule. */
	fetch_free(m->fx);
	schedule_free(m->sch);
	http_free(m->http);
	emit_free(m->em);
	store_close(m->st);
	if (m->base != NULL)
		event_base_free(m->base);
	config_free(m->cfg);
}

/* feedd run and feedd once. */
static int
main_daemon(const char *path, int is_once)
{
	struct main_ctx		 m;
	struct fetch_options	 fo;
	char			*cause = NULL;
	int			 ret = 1;

	memset(&m, 0, sizeof m);
	m.is_once = is_once;
	if ((m.cfg = config_load(path, &cause)) == NULL) {
		log_err("%s", cause);
		goto out;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		log_err("curl_global_init failed");
		goto out;
	}
	event_set_log_callback(main_event_log_cb);
	if ((m.base = event_base_new()) == NULL) {
		log_err("event_base_new failed");
		goto out;
	}
	if ((m.st = store_open(m.cfg->database, &cause)) == NULL) {
		log_err("%s", cause);
		goto out;
	}
	memset(&fo, 0, sizeof fo);
	fo.user_agent = m.cfg->fetch.user_agent;
	fo.max_entries = 10000;
	fo.max_parallel = m.cfg->max_parallel;
	fo.per_host = m.cfg->per_host;
	fo.is_private_blocked = m.cfg->is_private_blocked;
	fo.allow = m.cfg->allow_networks;
	fo.nallow = m.cfg->nallow_networks;
	if ((m.fx = fetch_new(m.base, &fo, &cause)) == NULL) {
		log_err("%s", cause);
		goto out;
	}
	m.em = emit_new(m.base, m.st, m.cfg, main_published_cb, &m);
	if (!is_once && m.cfg->listen != NULL &&
	    (m.http = http_new(m.base, m.cfg->listen, &cause)) == NULL) {
		log_err("%s", cause);
		goto out;
	}
	m.sch = schedule_new(m.base, m.fx, m.st, m.cfg, main_changed_cb, &m);
	main_events(&m);

	if (is_once)
		schedule_poll_all(m.sch, main_idle_cb, &m);
	else {
		/* Serve what is stored at once, before any poll ends. */
		if (emit_now(m.em, &cause) != 0) {
			log_err("%s", cause);
			free(cause);
			cause = NULL;
		}
		schedule_start(m.sch);
		log_notice("feedd %s started: %zu feeds, database %s",
		    FEEDD_VERSION, m.cfg->nfeeds, m.cfg->database);
		sd_notifyf(0, "READY=1\nSTATUS=polling %zu feeds",
		    m.cfg->nfeeds);
	}
	if (event_base_dispatch(m.base) == -1) {
		log_err("event loop failed");
		goto out;
	}
	if (emit_now(m.em, &cause) != 0) {
		log_err("%s", cause);
		goto out;
	}
	if (is_once && schedule_failures(m.sch) > 0)
		log_notice("%zu of %zu feeds failed", schedule_failures(m.sch),
		    m.cfg->nfeeds);
	ret = 0;
out:
	free(cause);
	main_teardown(&m);
	curl_global_cleanup();
	return (ret);
}
