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
#include "feedd/metrics.h"
#include "feedd/parse.h"
#include "feedd/schedule.h"
#include "feedd/store.h"
#include "feedd/util.h"
#include "main-int.h"

/* Where cmake --install puts the example config (GNUInstallDirs). */
#define MAIN_DEFAULT_CONFIG FEEDD_SYSCONFDIR "/feedd/feedd.conf"
/* Retention runs this often, in transactions of at most this many rows. */
#define MAIN_PRUNE_EVERY 3600
#define MAIN_PRUNE_FIRST 10
#define MAIN_PRUNE_BATCH 500
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
	struct metrics		*mx;
	struct schedule		*sch;
	struct event		*signals[5];
	struct event		*watchdog;
	struct event		*drain;		/* SIGTERM: drain deadline */
	struct event		*prune;		/* retention timer */
	long			 npruned;	/* in the current pass */
	int			 is_once;
	int			 is_stopping;
};

static int	main_daemon(const char *, int);
static void	main_idle_cb(void *);
static void	main_metrics_cb(struct buf *, void *);
static const char *main_health_cb(void *);
static void	main_drain_start(struct main_ctx *);
static long	main_prune_batch(struct main_ctx *);
static void	main_prune_cb(evutil_socket_t, short, void *);

/* Print usage to f. */
void
main_usage(FILE *f)
{
	fprintf(f,
	    "usage: feedd [run] [-d] [-c FILE]   run the daemon in the foreground\n"
	    "       feedd once [-d] [-c FILE]    poll every feed once, write the outputs, exit\n"
	    "       feedd check [-c FILE] [--filters]\n"
	    "                                    check the config file; with\n"
	    "                                    --filters, dry-run output filters\n"
	    "       feedd status [-c FILE]       show every feed's poll state\n"
	    "       feedd entries [-c FILE] [--feed NAME] [--limit N] [--json]\n"
	    "                                    list stored entries, newest first\n"
	    "       feedd prune --removed [-c FILE]\n"
	    "                                    delete feeds no longer configured\n"
	    "       feedd opml export [-c FILE]  the subscription list as OPML\n"
	    "       feedd opml import FILE|-     an OPML list as [feed] sections\n"
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
		{ "feed", required_argument, NULL, 'f' },
		{ "filters", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, 'j' },
		{ "limit", required_argument, NULL, 'l' },
		{ "removed", no_argument, NULL, 'r' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char	*verb = "run", *path = MAIN_DEFAULT_CONFIG;
	const char	*feed = NULL;
	char		*end;
	long		 limit = 0;
	int		 ch, is_debug = 0, is_json = 0, is_removed = 0;
	int		 is_filters = 0;

	log_open(LOG_LEVEL_INFO, !isatty(STDERR_FILENO));
	xmlSetGenericErrorFunc(NULL, main_xml_error_cb);
	if (argc > 1 && argv[1][0] != '-') {
		verb = argv[1];
		argc--;
		argv++;
	}
	if (strcmp(verb, "parse") == 0)
		return (main_parse(argc, argv));
	/* Two-word verbs: opml export, opml import FILE. */
	if (strcmp(verb, "opml") == 0 && argc >= 2 &&
	    strcmp(argv[1], "import") == 0)
		return (main_opml_import(argc - 1, argv + 1));
	if (strcmp(verb, "opml") == 0) {
		if (argc < 2 || strcmp(argv[1], "export") != 0) {
			fprintf(stderr, "feedd: opml needs export or import\n");
			return (2);
		}
		verb = "opml export";
		argc--;
		argv++;
	}
	while ((ch = getopt_long(argc, argv, "c:df:Fhjl:rV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c':
			path = optarg;
			break;
		case 'd':
			is_debug = 1;
			break;
		case 'f':
			feed = optarg;
			break;
		case 'F':
			is_filters = 1;
			break;
		case 'j':
			is_json = 1;
			break;
		case 'l':
			limit = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || limit <= 0) {
				fprintf(stderr, "feedd: bad --limit: %s\n",
				    optarg);
				return (2);
			}
			break;
		case 'r':
			is_removed = 1;
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
	if (strcmp(verb, "check") == 0 && is_filters)
		return (main_check_filters(path));
	if (strcmp(verb, "check") == 0)
		return (main_check(path));
	if (strcmp(verb, "status") == 0)
		return (main_status(path));
	if (strcmp(verb, "opml export") == 0)
		return (main_opml_export(path));
	if (strcmp(verb, "entries") == 0)
		return (main_entries(path, feed, limit, is_json));
	if (strcmp(verb, "prune") == 0 && is_removed)
		return (main_prune_removed(path));
	if (strcmp(verb, "prune") == 0) {
		fprintf(stderr, "feedd: prune needs --removed\n");
		return (2);
	}
	if (strcmp(verb, "run") == 0)
		return (main_daemon(path, 0));
	if (strcmp(verb, "once") == 0)
		return (main_daemon(path, 1));
	fprintf(stderr, "feedd: unknown command: %s\n", verb);
	main_usage(stderr);
	return (2);
}

/* Polls stored something: rebuild the outputs soon. */
static void
main_changed_cb(void *arg)
{
	struct main_ctx	*m = arg;

	/* feedd once builds the outputs once, at the end. */
	if (!m->is_once)
		emit_mark_dirty(m->em);
}

/* emit built a document: serve it. */
static void
main_published_cb(const struct emit_doc *doc, void *arg)
{
	struct main_ctx	*m = arg;

	/* Every rebuild publishes the main feed first, and once. */
	if (strcmp(doc->path, "/feed.atom") == 0)
		metrics_count_rebuild(m->mx);
	if (m->http != NULL)
		http_publish(m->http, doc->path, doc->content_type, doc->data,
		    doc->len);
}

/* /metrics: the counters and what the store says now. */
static void
main_metrics_cb(struct buf *out, void *arg)
{
	struct main_ctx	*m = arg;

	main_render_metrics(m->cfg, m->st, m->mx, out);
}

/* /healthz: unhealthy while stopping or without a database. */
static const char *
main_health_cb(void *arg)
{
	struct main_ctx	*m = arg;

	if (m->is_stopping)
		return ("stopping");
	return (m->st == NULL ? "database not open" : NULL);
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

/*
 * Prune one batch of entries past retention.  Returns how many went, or
 * -1 (logged).  Pruned entries change the outputs.
 */
static long
main_prune_batch(struct main_ctx *m)
{
	char	*cause = NULL;
	long	 n;

	n = store_prune(m->st, time(NULL), MAIN_PRUNE_BATCH, &cause);
	if (n < 0) {
		log_err("%s", cause);
		free(cause);
		return (-1);
	}
	if (n > 0) {
		metrics_count_pruned(m->mx, n);
		m->npruned += n;
		emit_mark_dirty(m->em);
	}
	return (n);
}

/*
 * The retention timer: one short transaction per turn of the loop until
 * nothing is left to prune, so the loop is never held for long; then
 * again in an hour.
 */
static void
main_prune_cb(evutil_socket_t fd, short what, void *arg)
{
	struct main_ctx	*m = arg;
	struct timeval	 tv = { 0, 0 };

	(void)fd;
	(void)what;
	if (main_prune_batch(m) != MAIN_PRUNE_BATCH) {
		if (m->npruned > 0)
			log_info("store: pruned %ld entries past retention",
			    m->npruned);
		m->npruned = 0;
		tv.tv_sec = MAIN_PRUNE_EVERY;
	}
	evtimer_add(m->prune, &tv);
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
	if (m->prune != NULL)
		event_free(m->prune);
	/* Transfers first: their callbacks point into the schedule. */
	fetch_free(m->fx);
	schedule_free(m->sch);
	http_free(m->http);
	emit_free(m->em);
	store_close(m->st);
	metrics_free(m->mx);
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
	struct http_options	 ho;
	struct timeval		 tv = { 0, 0 };
	char			*cause = NULL;
	int			 ret = 1;

	memset(&m, 0, sizeof m);
	m.is_once = is_once;
	m.mx = metrics_new();
	if ((m.cfg = config_load(path, &cause)) == NULL) {
		main_log_problems(cause);
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
	store_set_retention(m.st, m.cfg->retain_days, m.cfg->retain_per_feed);
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
	main_http_options(m.cfg, &ho);
	ho.metrics = m.mx;
	ho.metrics_cb = main_metrics_cb;
	ho.health_cb = main_health_cb;
	ho.arg = &m;
	if (!is_once && (ho.listen != NULL || ho.fd >= 0) &&
	    (m.http = http_new(m.base, &ho, &cause)) == NULL) {
		log_err("%s", cause);
		goto out;
	}
	m.sch = schedule_new(m.base, m.fx, m.st, m.cfg, main_changed_cb, &m);
	schedule_set_polled_cb(m.sch, main_polled_cb, m.mx);
	main_events(&m);

	if (is_once)
		schedule_poll_all(m.sch, main_idle_cb, &m);
	else {
		m.prune = evtimer_new(m.base, main_prune_cb, &m);
		tv.tv_sec = MAIN_PRUNE_FIRST;
		evtimer_add(m.prune, &tv);
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
	if (is_once) {
		while (main_prune_batch(&m) == MAIN_PRUNE_BATCH)
			/* nothing */;
		if (m.npruned > 0)
			log_info("store: pruned %ld entries past retention",
			    m.npruned);
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
