/* SPDX-License-Identifier: ISC */
/*
 * feedd: the command line and the wiring.  main is the only place that
 * knows every module: it reads the config, opens the store, and connects
 * schedule -> store -> emit -> http through their callbacks.  Signals
 * arrive as libevent events and are handled in one switch: SIGHUP
 * reloads the config, SIGTERM drains.  systemd hears of all of it
 * through sd_notify.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <event2/event.h>
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
/*
 * Status lines for systemd wait this long after a poll starts or ends,
 * so that a burst of polls is told once.
 */
#define MAIN_STATUS_DELAY 1

/* Everything a running daemon holds, for the callbacks. */
struct main_ctx {
	const char		*path;		/* the config file */
	int			 nverbose;	/* -v given this often */
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
	struct event		*status;	/* STATUS= to systemd, soon */
	long			 npruned;	/* in the current pass */
	int			 is_once;
	int			 is_stopping;
	int			 is_activated;	/* serving systemd's socket */
};

static int	main_daemon(const char *, int, int);
static enum log_level main_log_level(const struct main_ctx *);
static void	main_apply_log(struct main_ctx *);
static void	main_reload(struct main_ctx *);
static void	main_reload_http(struct main_ctx *, struct config *);
static struct http *main_http_new(struct main_ctx *, const struct config *,
		    char **);
static int	main_http_same(const struct config *, const struct config *);
static void	main_reload_fixed(const struct config *, struct config *);
static bool	main_same_strings(char *const *, size_t, char *const *, size_t);
static void	main_status_send(struct main_ctx *, const char *);
static void	main_activity_cb(void *);
static void	main_status_cb(evutil_socket_t, short, void *);
static void	main_idle_cb(void *);
static void	main_metrics_cb(struct buf *, void *);
static const char *main_health_cb(void *);
static void	main_drain_start(struct main_ctx *);
static long	main_prune_batch(struct main_ctx *);
static void	main_prune_cb(evutil_socket_t, short, void *);
static struct event_base *main_base_new(void);

/* Print usage to f. */
void
main_usage(FILE *f)
{
	fprintf(f,
	    "usage: feedd [run] [-dv] [-c FILE]  run the daemon in the foreground\n"
	    "       feedd once [-dv] [-c FILE]   poll every feed once, write the outputs, exit\n"
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
	    "-v logs more (info, then debug); -d logs everything (debug).\n"
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

/*
 * The event base.  epoll's change list folds the removal and re-adding
 * of a socket within one turn of the loop (curl does that for every
 * transfer on a kept-alive connection) into at most one epoll_ctl.
 */
static struct event_base *
main_base_new(void)
{
	struct event_config	*ec;
	struct event_base	*base;

	if ((ec = event_config_new()) == NULL)
		return (NULL);
	event_config_set_flag(ec, EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST);
	base = event_base_new_with_config(ec);
	event_config_free(ec);
	return (base);
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
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char	*verb = "run", *path = MAIN_DEFAULT_CONFIG;
	const char	*feed = NULL;
	char		*end;
	long		 limit = 0;
	int		 ch, is_json = 0, is_removed = 0, nverbose = 0;
	int		 is_filters = 0;

	log_open(LOG_LEVEL_INFO);
	/* libxml2's generic error output is silenced: parse reports per
	 * document, and the parse threads start from a ready libxml2. */
	parse_thread_init();
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
	while ((ch = getopt_long(argc, argv, "c:df:Fhjl:rvV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c':
			path = optarg;
			break;
		case 'd':
			nverbose = LOG_LEVEL_DEBUG;
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
		case 'v':
			nverbose++;
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
	if (nverbose > 0)
		log_set_level(LOG_LEVEL_INFO + nverbose > LOG_LEVEL_DEBUG ?
		    LOG_LEVEL_DEBUG : LOG_LEVEL_INFO + nverbose);
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
		return (main_daemon(path, 0, nverbose));
	if (strcmp(verb, "once") == 0)
		return (main_daemon(path, 1, nverbose));
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
		sd_notify(0, "STOPPING=1\nSTATUS=stopping");
		main_drain_start(m);
		break;
	case SIGHUP:
		if (m->is_once || m->is_stopping)
			log_notice("received SIGHUP, ignored: %s",
			    m->is_once ? "feedd once does not reload" :
			    "stopping");
		else
			main_reload(m);
		break;
	case SIGUSR2:
		/*
		 * Debug, or back to what the config and -v say, logged
		 * while debug is still on so the line is seen.
		 */
		if (log_get_level() != LOG_LEVEL_DEBUG) {
			log_set_level(LOG_LEVEL_DEBUG);
			log_notice("log level now debug");
		} else {
			log_notice("log level back to %s",
			    log_level_name(main_log_level(m)));
			main_apply_log(m);
		}
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
	log_warn("%zu transfers still running after shutdown_grace (%llds), "
	    "cancelling them", fetch_running(m->fx),
	    (long long)m->cfg->shutdown_grace);
	event_base_loopbreak(m->base);
}

/*
 * Let transfers in flight finish and be stored, so a restart does not
 * poll them again, but never wait longer than shutdown_grace.  Nothing
 * else is started: no poll, no retention pass.
 */
static void
main_drain_start(struct main_ctx *m)
{
	struct timeval	 tv = { (time_t)m->cfg->shutdown_grace, 0 };

	if (m->prune != NULL)
		evtimer_del(m->prune);
	if (m->status != NULL)
		evtimer_del(m->status);
	m->drain = evtimer_new(m->base, main_drain_timeout_cb, m);
	evtimer_add(m->drain, &tv);
	schedule_stop(m->sch, main_idle_cb, m);
}

/* The log level the config and -v ask for. */
static enum log_level
main_log_level(const struct main_ctx *m)
{
	int	 level = m->cfg->log_level + m->nverbose;

	return (level > LOG_LEVEL_DEBUG ? LOG_LEVEL_DEBUG :
	    (enum log_level)level);
}

/* Set the log level and syslog copy from the config and -v. */
static void
main_apply_log(struct main_ctx *m)
{
	log_set_level(main_log_level(m));
	log_set_syslog(m->cfg->is_syslog);
}

/*
 * Tell systemd what we are doing: feeds, polls due and in flight, and
 * the last error.  extra comes first ("READY=1\n"), or is "".
 */
static void
main_status_send(struct main_ctx *m, const char *extra)
{
	struct schedule_stats	 ss;

	schedule_get_stats(m->sch, &ss);
	sd_notifyf(0, "%sSTATUS=%zu feeds, %zu due, %zu in flight, %zu "
	    "failing%s%s", extra, ss.nfeeds, ss.ndue, ss.nrunning,
	    ss.nfailing, ss.last_error != NULL ? "; last error: " : "",
	    ss.last_error != NULL ? ss.last_error : "");
}

/* The status timer: polls started or ended a moment ago. */
static void
main_status_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	main_status_send(arg, "");
}

/* Polls started or ended: tell systemd soon, once per burst. */
static void
main_activity_cb(void *arg)
{
	struct main_ctx	*m = arg;
	struct timeval	 tv = { MAIN_STATUS_DELAY, 0 };

	if (m->status != NULL && !m->is_stopping &&
	    !evtimer_pending(m->status, NULL))
		evtimer_add(m->status, &tv);
}

/* Whether two lists hold the same strings in the same order. */
static bool
main_same_strings(char *const *a, size_t na, char *const *b, size_t nb)
{
	size_t	 i;

	if (na != nb)
		return (false);
	for (i = 0; i < na; i++) {
		if (strcmp(a[i], b[i]) != 0)
			return (false);
	}
	return (true);
}

/*
 * Settings that only a restart can change: say so, and keep the running
 * ones in the new config so that everything reads what is in effect.
 */
static void
main_reload_fixed(const struct config *old, struct config *cfg)
{
	if (strcmp(old->database, cfg->database) != 0) {
		log_warn("%s: database changed; restart feedd to use %s, "
		    "still using %s", cfg->path, cfg->database, old->database);
		free(cfg->database);
		cfg->database = xstrdup(old->database);
	}
	/* The fetcher sized curl's connection pool with these. */
	if (old->max_parallel != cfg->max_parallel ||
	    old->per_host != cfg->per_host ||
	    old->is_private_blocked != cfg->is_private_blocked ||
	    old->nallow_networks != cfg->nallow_networks ||
	    (old->nallow_networks > 0 && memcmp(old->allow_networks,
	    cfg->allow_networks, old->nallow_networks *
	    sizeof *old->allow_networks) != 0) ||
	    !main_same_strings(old->allow_hosts, old->nallow_hosts,
	    cfg->allow_hosts, cfg->nallow_hosts))
		log_warn("%s: max_parallel, per_host, block_private and "
		    "allow_networks change only on restart", cfg->path);
	cfg->max_parallel = old->max_parallel;
}

/*
 * The HTTP server for cfg, with main's callbacks; NULL with *cause NULL
 * when cfg serves nothing.  systemd's socket, if it passed one, is taken
 * the first time only.
 */
static struct http *
main_http_new(struct main_ctx *m, const struct config *cfg, char **cause)
{
	struct http_options	 ho;
	struct http		*h;

	*cause = NULL;
	main_http_options(cfg, &ho);
	ho.metrics = m->mx;
	ho.metrics_cb = main_metrics_cb;
	ho.health_cb = main_health_cb;
	ho.arg = m;
	if (ho.listen == NULL && ho.fd < 0)
		return (NULL);
	if ((h = http_new(m->base, &ho, cause)) != NULL && ho.fd >= 0)
		m->is_activated = 1;
	return (h);
}

/* Whether two configs ask for the same HTTP server. */
static int
main_http_same(const struct config *a, const struct config *b)
{
	return (util_strcmp_null(a->listen, b->listen) == 0 &&
	    util_strcmp_null(a->http_token, b->http_token) == 0 &&
	    a->http_max_connections == b->http_max_connections &&
	    a->http_header_timeout == b->http_header_timeout &&
	    a->is_archiving == b->is_archiving &&
	    strcmp(a->output_dir, b->output_dir) == 0);
}

/*
 * Serve as the new config says.  A new address is bound before the old
 * listener goes, and if that fails the old one is kept, and so is its
 * address in cfg.  New settings on the same address need the address
 * let go first; if the new server then fails, the old settings are
 * tried again.  systemd's socket cannot be taken twice: under socket
 * activation the server stays as it is until a restart.
 */
static void
main_reload_http(struct main_ctx *m, struct config *cfg)
{
	struct http	*h;
	char		*cause = NULL;
	int		 is_same_address;

	if (main_http_same(m->cfg, cfg))
		return;
	if (m->is_activated) {
		log_warn("%s: [http] settings change only on restart under "
		    "socket activation", cfg->path);
		return;
	}
	is_same_address = util_strcmp_null(m->cfg->listen, cfg->listen) == 0;
	if (is_same_address) {
		http_free(m->http);
		m->http = NULL;
	}
	if ((h = main_http_new(m, cfg, &cause)) == NULL && cause != NULL) {
		log_err("%s; still listening on %s with the settings in use",
		    cause, m->cfg->listen != NULL ? m->cfg->listen : "nothing");
		free(cause);
		free(cfg->listen);
		cfg->listen = m->cfg->listen != NULL ?
		    xstrdup(m->cfg->listen) : NULL;
		if (is_same_address &&
		    (m->http = main_http_new(m, m->cfg, &cause)) == NULL &&
		    cause != NULL) {
			log_err("%s", cause);
			free(cause);
		}
		return;
	}
	log_notice("http: serving on %s", cfg->listen != NULL ? cfg->listen :
	    "nothing");
	http_free(m->http);
	m->http = h;
}

/*
 * SIGHUP: read the config again and apply the difference.  A config with
 * errors is reported and the running one kept.  Feeds added, removed or
 * changed go to the schedule (polls in flight go on); the outputs are
 * rebuilt with the new settings; the listener moves if it changed.
 */
static void
main_reload(struct main_ctx *m)
{
	struct schedule_reload_counts	 rc;
	struct timespec			 ts;
	struct config			*cfg;
	char				*cause = NULL;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu\nSTATUS=reloading "
	    "%s", (unsigned long long)ts.tv_sec * 1000000 +
	    (unsigned long long)ts.tv_nsec / 1000, m->path);
	log_notice("received SIGHUP, reloading %s", m->path);
	if ((cfg = config_load(m->path, &cause)) == NULL) {
		log_err("%s; keeping the running config", cause);
		free(cause);
		main_status_send(m, "READY=1\n");
		return;
	}
	main_reload_fixed(m->cfg, cfg);
	main_reload_http(m, cfg);
	/* emit reads the config it was made with: make it anew. */
	emit_free(m->em);
	m->em = emit_new(m->base, m->st, cfg, main_published_cb, m);
	schedule_reload(m->sch, cfg, &rc);
	store_set_retention(m->st, cfg->retain_days, cfg->retain_per_feed);
	config_free(m->cfg);
	m->cfg = cfg;
	main_apply_log(m);
	/* A removed tag's or output's feed must not stay served. */
	if (m->http != NULL)
		http_unpublish_all(m->http);
	if (emit_now(m->em, &cause) != 0) {
		log_err("%s", cause);
		free(cause);
	}
	log_notice("reloaded %s: %zu feeds, %zu added, %zu removed, %zu with "
	    "a new url", m->path, cfg->nfeeds, rc.nadded, rc.nremoved,
	    rc.nchanged);
	main_status_send(m, "READY=1\n");
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
	m->status = evtimer_new(m->base, main_status_cb, m);
	schedule_set_activity_cb(m->sch, main_activity_cb, m);
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
	if (m->status != NULL)
		event_free(m->status);
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
main_daemon(const char *path, int is_once, int nverbose)
{
	struct main_ctx		 m;
	struct fetch_options	 fo;
	struct timeval		 tv = { 0, 0 };
	char			*cause = NULL;
	int			 ret = 1;

	memset(&m, 0, sizeof m);
	m.is_once = is_once;
	m.mx = metrics_new();
	m.path = path;
	m.nverbose = nverbose;
	if ((m.cfg = config_load(path, &cause)) == NULL) {
		main_log_problems(cause);
		goto out;
	}
	main_apply_log(&m);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		log_err("curl_global_init failed");
		goto out;
	}
	event_set_log_callback(main_event_log_cb);
	if ((m.base = main_base_new()) == NULL) {
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
	fo.allow_hosts = m.cfg->allow_hosts;
	fo.nallow_hosts = m.cfg->nallow_hosts;
	/* What storing can work out ahead, off the loop. */
	fo.prepare = store_prepare_doc;
	if ((m.fx = fetch_new(m.base, &fo, &cause)) == NULL) {
		log_err("%s", cause);
		goto out;
	}
	m.em = emit_new(m.base, m.st, m.cfg, main_published_cb, &m);
	if (!is_once && (m.http = main_http_new(&m, m.cfg, &cause)) == NULL &&
	    cause != NULL) {
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
		main_status_send(&m, "READY=1\n");
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
	/* feedd once serves nothing: files still up to date can stay. */
	if ((is_once ? emit_if_stale(m.em, &cause) :
	    emit_now(m.em, &cause)) != 0) {
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
	log_set_syslog(0);
	curl_global_cleanup();
	return (ret);
}
