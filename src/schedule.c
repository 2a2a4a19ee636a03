/* SPDX-License-Identifier: ISC */
/*
 * Who is due when.  Each configured feed has a timer; when it fires the
 * feed joins a queue, and the queue drains into fetch while fewer than
 * max_parallel transfers run.  A finished poll is stored in one
 * transaction, its outcome logged on one line, and the next due time
 * recorded in the store so a restart never polls early.  A reload swaps
 * in a new feed list: feeds that stay keep their state and their poll in
 * flight; a removed feed's poll in flight ends with its result dropped.
 */
#include <sys/queue.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "feedd/config.h"
#include "feedd/fetch.h"
#include "feedd/log.h"
#include "feedd/metrics.h"
#include "feedd/schedule.h"
#include "feedd/store.h"
#include "feedd/util.h"

/*
 * Polls due at start-up are spread over 20 ms per feed, at least 1 s and
 * at most 60 s (and never more than a feed's interval), so a thousand
 * feeds do not all fire in the same second.
 */
#define SCHEDULE_SPREAD_PER_FEED_MS 20
#define SCHEDULE_SPREAD_MIN_MS 1000
#define SCHEDULE_SPREAD_MAX_MS 60000
/*
 * Polls that must see the same permanent redirect before the stored URL
 * follows it, so that one hijacked response cannot steal a subscription.
 */
#define SCHEDULE_MOVE_CONFIRMATIONS 2
/*
 * Poll states that wait for a commit (store_flush) wait at most this
 * long while other polls run: a crash loses no more than that, and
 * losing them costs only a poll that could have been conditional.
 */
#define SCHEDULE_FLUSH_SECS 1
/*
 * Polls stored in one commit at most, while polls run (store_put_poll):
 * each commit rewrites the interior and last pages of every index, so a
 * cold poll of 5,000 feeds wrote the WAL 2.3 times the database's size
 * when every poll was a commit of its own.
 */
#define SCHEDULE_BATCH_POLLS 32
/* Backoff doubles per consecutive failure, up to 2^this times the floor. */
#define SCHEDULE_MAX_BACKOFF_SHIFT 20

struct schedule_feed {
	struct schedule			*sch;
	const struct config_feed	*cf;	/* borrowed from sch->cfg;
						   NULL once removed */
	struct store_feed_state		 state;	/* as last stored */
	struct event			*timer;
	int				 is_queued;
	int				 is_running;
	int				 is_rediscovered; /* poll again now */
	TAILQ_ENTRY(schedule_feed)	 entry;	/* queue, or removed list */
};

struct schedule {
	struct event_base	*base;
	struct fetcher		*fx;
	struct store		*st;
	const struct config	*cfg;
	struct schedule_feed	**feeds;	/* one per configured feed */
	size_t			 nfeeds;
	size_t			 nrunning;	/* removed feeds' polls too */
	size_t			 npending;	/* poll_all: polls not ended */
	size_t			 nfailures;
	char			*last_error;	/* "feed NAME: why", or NULL */
	int			 is_daemon;	/* re-arm timers after polls */
	int			 is_stopping;	/* start nothing new */
	schedule_changed_cb	 changed_cb;
	void			*changed_arg;
	schedule_polled_cb	 polled_cb;
	void			*polled_arg;
	schedule_idle_cb	 idle_cb;
	void			*idle_arg;
	schedule_activity_cb	 activity_cb;
	void			*activity_arg;
	TAILQ_HEAD(, schedule_feed) queue;
	TAILQ_HEAD(, schedule_feed) removed;	/* removed while polling */
	struct event		*flush;		/* commits waiting poll states */
	unsigned short		 seed[3];	/* nrand48's, for jitter */
};

/* Every stored feed's poll state, read in one query (store_list_feeds). */
struct schedule_stored {
	struct store_feed_row	*rows;		/* states are taken out */
	size_t			 nrows;
};

static void	schedule_timer_cb(evutil_socket_t, short, void *);
static void	schedule_idle_now_cb(evutil_socket_t, short, void *);
static void	schedule_flush_cb(evutil_socket_t, short, void *);
static void	schedule_done_cb(struct fetch_result *, void *);
static void	schedule_lost_cb(const char *, const char *, void *);
static void	schedule_enqueue(struct schedule_feed *);
static void	schedule_drain(struct schedule *);
static void	schedule_arm(struct schedule_feed *, time_t, long);
static void	schedule_load_state(struct schedule_feed *,
		    struct schedule_stored *);
static void	schedule_set_error(struct schedule_feed *, const char *);
static int	schedule_store(struct schedule_feed *, struct fetch_result *,
		    time_t, struct metrics_poll *);
static void	schedule_report(struct schedule_feed *, struct fetch_result *,
		    struct metrics_poll *);
static void	schedule_keep_validators(struct schedule_feed *,
		    struct fetch_result *);
static void	schedule_note_move(struct schedule_feed *, const char *);
static int64_t	schedule_delay(struct schedule_feed *, struct fetch_result *,
		    const char **);
static bool	schedule_discover(struct schedule_feed *,
		    struct fetch_result *);
static void	schedule_keep_hints(struct schedule_feed *,
		    const struct feed_doc *);
static time_t	schedule_skip(const struct store_feed_state *, time_t,
		    const char **);
static void	schedule_lengthen(int64_t *, const char **, int64_t,
		    const char *);

static int	schedule_is_gone(struct schedule_feed *);
static struct schedule_feed *schedule_feed_new(struct schedule *,
		    const struct config_feed *, struct schedule_stored *);
static void	schedule_feed_free(struct schedule_feed *);
static void	schedule_retire(struct schedule_feed *);
static void	schedule_apply(struct schedule_feed *,
		    const struct config_feed *);
static int	schedule_cmp_name(const void *, const void *);
static struct schedule_feed **schedule_match(struct schedule_feed **,
		    size_t, const struct config *);
static void	schedule_activity(struct schedule *);
static long	schedule_random(struct schedule *, long);
static void	schedule_done_removed(struct schedule_feed *,
		    struct fetch_result *);

/*
 * Take a feed's poll state out of stored (one query at start-up rather
 * than one per feed), or read it from the store when stored is NULL.
 * State recorded for
 * another URL (the config changed it) does not apply: validators belong
 * to the URL they came from, and a new URL deserves a first poll.
 */
static void
schedule_load_state(struct schedule_feed *sf, struct schedule_stored *stored)
{
	const struct store_feed_row	*row;
	struct store_feed_state		*state;
	char				*cause = NULL;

	if (stored != NULL) {
		row = store_feed_row_find(stored->rows, stored->nrows,
		    sf->cf->name);
		if (row != NULL) {
			state = &stored->rows[row - stored->rows].state;
			sf->state = *state;
			memset(state, 0, sizeof *state);
		}
	} else if (store_get_poll_state(sf->sch->st, sf->cf->name, &sf->state,
	    &cause) != 0) {
		log_err("feed %s: %s", sf->cf->name, cause);
		free(cause);
	}
	if (sf->state.url != NULL && strcmp(sf->state.url, sf->cf->url) != 0)
		store_feed_state_clear(&sf->state);
	if (sf->state.url == NULL)
		sf->state.url = xstrdup(sf->cf->url);
}

/*
 * A feed of the schedule, with its stored state (taken out of stored
 * unless NULL); its timer is not armed.
 */
static struct schedule_feed *
schedule_feed_new(struct schedule *sch, const struct config_feed *cf,
    struct schedule_stored *stored)
{
	struct schedule_feed	*sf;

	sf = xcalloc(1, sizeof *sf);
	sf->sch = sch;
	sf->cf = cf;
	sf->timer = evtimer_new(sch->base, schedule_timer_cb, sf);
	schedule_load_state(sf, stored);
	return (sf);
}

/* Free a feed that is neither queued nor polling. */
static void
schedule_feed_free(struct schedule_feed *sf)
{
	if (sf == NULL)
		return;
	event_free(sf->timer);
	store_feed_state_clear(&sf->state);
	free(sf);
}

/* Create a schedule for cfg's feeds; nothing runs until started. */
struct schedule *
schedule_new(struct event_base *base, struct fetcher *fx, struct store *st,
    const struct config *cfg, schedule_changed_cb cb, void *arg)
{
	struct schedule		*sch;
	struct schedule_stored	 stored;
	size_t			 i;
	char			*cause = NULL;
	bool			 is_listed;

	sch = xcalloc(1, sizeof *sch);
	sch->base = base;
	sch->fx = fx;
	sch->st = st;
	sch->cfg = cfg;
	sch->changed_cb = cb;
	sch->changed_arg = arg;
	arc4random_buf(sch->seed, sizeof sch->seed);
	TAILQ_INIT(&sch->queue);
	TAILQ_INIT(&sch->removed);
	sch->flush = evtimer_new(base, schedule_flush_cb, sch);
	store_set_lost_cb(st, schedule_lost_cb, sch);
	sch->nfeeds = cfg->nfeeds;
	sch->feeds = xcalloc(cfg->nfeeds, sizeof *sch->feeds);
	/* On failure each feed reads its own, and logs why it cannot. */
	is_listed = store_list_feeds(st, &stored.rows, &stored.nrows,
	    &cause) == 0;
	free(cause);
	for (i = 0; i < cfg->nfeeds; i++) {
		sch->feeds[i] = schedule_feed_new(sch, &cfg->feeds[i],
		    is_listed ? &stored : NULL);
	}
	if (is_listed)
		store_feed_rows_free(stored.rows, stored.nrows);
	return (sch);
}

/* Free the schedule; transfers in flight must already be cancelled. */
void
schedule_free(struct schedule *sch)
{
	struct schedule_feed	*sf;
	size_t			 i;

	if (sch == NULL)
		return;
	store_flush(sch->st);
	store_set_lost_cb(sch->st, NULL, NULL);
	if (sch->flush != NULL)
		event_free(sch->flush);
	for (i = 0; i < sch->nfeeds; i++)
		schedule_feed_free(sch->feeds[i]);
	while ((sf = TAILQ_FIRST(&sch->removed)) != NULL) {
		TAILQ_REMOVE(&sch->removed, sf, entry);
		schedule_feed_free(sf);
	}
	free(sch->feeds);
	free(sch->last_error);
	free(sch);
}

/* Tell cb about every poll from now on. */
void
schedule_set_polled_cb(struct schedule *sch, schedule_polled_cb cb,
    void *arg)
{
	sch->polled_cb = cb;
	sch->polled_arg = arg;
}

/* Be told whenever a poll starts or ends (for status lines). */
void
schedule_set_activity_cb(struct schedule *sch, schedule_activity_cb cb,
    void *arg)
{
	sch->activity_cb = cb;
	sch->activity_arg = arg;
}

/* Tell the owner that polls started or ended. */
static void
schedule_activity(struct schedule *sch)
{
	if (sch->activity_cb != NULL)
		sch->activity_cb(sch->activity_arg);
}

/* What the schedule is doing, for status lines. */
void
schedule_get_stats(const struct schedule *sch, struct schedule_stats *ss)
{
	struct schedule_feed	*sf;
	size_t			 i;

	memset(ss, 0, sizeof *ss);
	ss->nfeeds = sch->nfeeds;
	ss->nrunning = sch->nrunning;
	TAILQ_FOREACH(sf, &sch->queue, entry)
		ss->ndue++;
	for (i = 0; i < sch->nfeeds; i++) {
		if (sch->feeds[i]->state.last_error != NULL)
			ss->nfailing++;
	}
	ss->last_error = sch->last_error;
}

/* Order feeds by name, for bsearch. */
static int
schedule_cmp_name(const void *a, const void *b)
{
	const struct schedule_feed *const *x = a, *const *y = b;

	return (strcmp((*x)->cf->name, (*y)->cf->name));
}

/*
 * A feed left the config: stop its timer and queue slot.  A poll in
 * flight goes on (its result is dropped when it ends); anything else is
 * freed now.  What the store holds for the feed stays there.
 */
static void
schedule_retire(struct schedule_feed *sf)
{
	struct schedule	*sch = sf->sch;

	evtimer_del(sf->timer);
	if (sf->is_queued) {
		TAILQ_REMOVE(&sch->queue, sf, entry);
		sf->is_queued = 0;
	}
	log_debug("feed %s: removed from the schedule%s", sf->cf->name,
	    sf->is_running ? "; its poll in flight will be dropped" : "");
	sf->cf = NULL;
	if (sf->is_running)
		TAILQ_INSERT_TAIL(&sch->removed, sf, entry);
	else
		schedule_feed_free(sf);
}

/*
 * A feed stays with the same URL: use its new settings from the next
 * poll on.  A new interval moves a waiting poll to the last attempt plus
 * that interval.
 */
static void
schedule_apply(struct schedule_feed *sf, const struct config_feed *cf)
{
	struct schedule	*sch = sf->sch;
	time_t		 due;

	if (cf->interval != sf->cf->interval && !sf->is_running &&
	    !sf->is_queued && sch->is_daemon && !sf->state.is_gone &&
	    sf->state.failures == 0 && sf->state.last_attempt > 0) {
		due = sf->state.last_attempt + cf->interval;
		if (sf->state.next_poll == 0 || due < sf->state.next_poll)
			sf->state.next_poll = due;
		evtimer_del(sf->timer);
		schedule_arm(sf, sf->state.next_poll, 0);
		log_info("feed %s: interval now %llds", cf->name,
		    (long long)cf->interval);
	}
	sf->cf = cf;
}

/*
 * For each of cfg's feeds, the feed of old with its name, or NULL; the
 * feeds found are taken out of old (set to NULL there).  old is sorted
 * by name on the way; all lookups are done before anything changes.
 */
static struct schedule_feed **
schedule_match(struct schedule_feed **old, size_t nold,
    const struct config *cfg)
{
	struct schedule_feed	**feeds, ***slots, key, *sf = &key;
	struct config_feed	 keycf;
	size_t			 i;

	qsort(old, nold, sizeof *old, schedule_cmp_name);
	feeds = xcalloc(cfg->nfeeds, sizeof *feeds);
	slots = xcalloc(cfg->nfeeds, sizeof *slots);
	key.cf = &keycf;
	for (i = 0; i < cfg->nfeeds; i++) {
		keycf.name = cfg->feeds[i].name;
		slots[i] = bsearch(&sf, old, nold, sizeof *old,
		    schedule_cmp_name);
		if (slots[i] != NULL)
			feeds[i] = *slots[i];
	}
	/* Config names are unique, so each old feed is found at most once. */
	for (i = 0; i < cfg->nfeeds; i++) {
		if (slots[i] != NULL)
			*slots[i] = NULL;
	}
	free(slots);
	return (feeds);
}

/*
 * Swap in a new config's feed list.  Feeds are matched by name: one whose
 * URL is unchanged keeps its state (validators, failures, next poll) and
 * its poll in flight; a new feed, or one with a new URL, is due soon; a
 * feed no longer listed is no longer polled.  cfg must outlive the
 * schedule or the next reload; the old config is no longer referenced
 * when this returns.
 */
void
schedule_reload(struct schedule *sch, const struct config *cfg,
    struct schedule_reload_counts *rc)
{
	struct schedule_feed	**old, **feeds;
	size_t			 i, nold = sch->nfeeds;

	memset(rc, 0, sizeof *rc);
	old = sch->feeds;
	feeds = schedule_match(old, nold, cfg);
	for (i = 0; i < cfg->nfeeds; i++) {
		if (feeds[i] != NULL && strcmp(feeds[i]->cf->url,
		    cfg->feeds[i].url) == 0) {
			schedule_apply(feeds[i], &cfg->feeds[i]);
			continue;
		}
		if (feeds[i] != NULL) {
			log_info("feed %s: url changed to %s", cfg->feeds[i].name,
			    cfg->feeds[i].url);
			schedule_retire(feeds[i]);
			rc->nchanged++;
		} else {
			log_info("feed %s: added", cfg->feeds[i].name);
			rc->nadded++;
		}
		feeds[i] = schedule_feed_new(sch, &cfg->feeds[i], NULL);
		if (sch->is_daemon && !schedule_is_gone(feeds[i]))
			schedule_arm(feeds[i], feeds[i]->state.next_poll,
			    schedule_random(sch, SCHEDULE_SPREAD_MIN_MS));
	}
	/* schedule_match took the feeds that stay out of old. */
	for (i = 0; i < nold; i++) {
		if (old[i] == NULL)
			continue;
		log_info("feed %s: removed; its stored entries are kept",
		    old[i]->cf->name);
		schedule_retire(old[i]);
		rc->nremoved++;
	}
	free(old);
	sch->feeds = feeds;
	sch->nfeeds = cfg->nfeeds;
	sch->cfg = cfg;
	schedule_drain(sch);
}

/* Feeds whose poll failed. */
size_t
schedule_failures(const struct schedule *sch)
{
	return (sch->nfailures);
}

/*
 * A random number in [0, n), to spread polls.  Jitter needs spread, not
 * secrecy: nrand48 from a seed drawn once, since each arc4random call of
 * glibc 2.36 is a getrandom system call, one per poll.
 */
static long
schedule_random(struct schedule *sch, long n)
{
	return (n > 0 ? nrand48(sch->seed) % n : 0);
}

/* Arm sf's timer to fire at due plus extra_ms. */
static void
schedule_arm(struct schedule_feed *sf, time_t due, long extra_ms)
{
	struct timeval	 tv;
	time_t		 now = time(NULL);
	long		 ms;

	ms = (due > now ? (long)(due - now) * 1000 : 0) + extra_ms;
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	evtimer_add(sf->timer, &tv);
}

/* True, and said once, when the server told us the feed is gone. */
static int
schedule_is_gone(struct schedule_feed *sf)
{
	if (!sf->state.is_gone)
		return (0);
	log_notice("feed %s: gone (HTTP 410 earlier); not polled until its "
	    "url changes", sf->cf->name);
	return (1);
}

/*
 * Daemon mode: every feed is due at the time the store recorded, or now
 * (spread over a second) if it was never polled or is overdue.
 */
int
schedule_start(struct schedule *sch)
{
	struct schedule_feed	*sf;
	size_t			 i;
	long			 spread, feed_spread;
	time_t			 now = time(NULL);

	sch->is_daemon = 1;
	spread = (long)sch->nfeeds * SCHEDULE_SPREAD_PER_FEED_MS;
	if (spread < SCHEDULE_SPREAD_MIN_MS)
		spread = SCHEDULE_SPREAD_MIN_MS;
	if (spread > SCHEDULE_SPREAD_MAX_MS)
		spread = SCHEDULE_SPREAD_MAX_MS;
	for (i = 0; i < sch->nfeeds; i++) {
		sf = sch->feeds[i];
		if (schedule_is_gone(sf))
			continue;
		feed_spread = spread;
		if (sf->cf->interval * 1000 < feed_spread)
			feed_spread = (long)sf->cf->interval * 1000;
		/* Feeds due later were jittered when their time was set. */
		schedule_arm(sf, sf->state.next_poll,
		    sf->state.next_poll <= now ?
		    schedule_random(sch, feed_spread) : 0);
		if (sf->state.next_poll > time(NULL))
			log_debug("feed %s: next poll in %lds", sf->cf->name,
			    (long)(sf->state.next_poll - time(NULL)));
	}
	return (0);
}

/* Poll every feed once now; cb when the last one ends. */
int
schedule_poll_all(struct schedule *sch, schedule_idle_cb cb, void *arg)
{
	size_t	 i;

	sch->idle_cb = cb;
	sch->idle_arg = arg;
	for (i = 0; i < sch->nfeeds; i++) {
		if (schedule_is_gone(sch->feeds[i]))
			continue;
		schedule_enqueue(sch->feeds[i]);
		sch->npending++;
	}
	if (sch->npending == 0) {
		/*
		 * Nothing to poll: call back from the loop, as for any other
		 * end, since a loop break before the loop runs is forgotten.
		 */
		return (event_base_once(sch->base, -1, EV_TIMEOUT,
		    schedule_idle_now_cb, sch, NULL));
	}
	schedule_drain(sch);
	return (0);
}

/* The deferred idle callback of a poll_all with nothing to poll. */
static void
schedule_idle_now_cb(evutil_socket_t fd, short what, void *arg)
{
	struct schedule	*sch = arg;

	(void)fd;
	(void)what;
	sch->idle_cb(sch->idle_arg);
}

/*
 * Start nothing new and call cb once the polls in flight have ended (at
 * once if none is running).
 */
void
schedule_stop(struct schedule *sch, schedule_idle_cb cb, void *arg)
{
	struct schedule_feed	*sf;
	size_t			 i;

	sch->is_stopping = 1;
	while ((sf = TAILQ_FIRST(&sch->queue)) != NULL) {
		TAILQ_REMOVE(&sch->queue, sf, entry);
		sf->is_queued = 0;
	}
	for (i = 0; i < sch->nfeeds; i++)
		evtimer_del(sch->feeds[i]->timer);
	sch->idle_cb = cb;
	sch->idle_arg = arg;
	sch->npending = sch->nrunning;
	if (sch->npending == 0)
		cb(arg);
}

/* A feed's timer fired: it is due. */
static void
schedule_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct schedule_feed	*sf = arg;

	(void)fd;
	(void)what;
	schedule_enqueue(sf);
	schedule_drain(sf->sch);
}

/* Queue a due feed unless it is queued, running or gone. */
static void
schedule_enqueue(struct schedule_feed *sf)
{
	if (sf->is_queued || sf->is_running || sf->state.is_gone ||
	    sf->sch->is_stopping)
		return;
	sf->is_queued = 1;
	TAILQ_INSERT_TAIL(&sf->sch->queue, sf, entry);
}

/* Start queued polls while there is room under max_parallel. */
static void
schedule_drain(struct schedule *sch)
{
	struct schedule_feed	*sf;
	struct fetch_request	 req;
	size_t			 nstarted = 0;

	while ((int)sch->nrunning < sch->cfg->max_parallel &&
	    (sf = TAILQ_FIRST(&sch->queue)) != NULL) {
		TAILQ_REMOVE(&sch->queue, sf, entry);
		sf->is_queued = 0;
		sf->is_running = 1;
		sch->nrunning++;
		memset(&req, 0, sizeof req);
		req.name = sf->cf->name;
		req.url = sf->state.fetch_url != NULL ? sf->state.fetch_url :
		    sf->cf->url;
		req.is_file_allowed = strncmp(sf->cf->url, "file:", 5) == 0;
		req.etag = sf->state.etag;
		req.last_modified = sf->state.last_modified;
		req.user_agent = sf->cf->fetch.user_agent;
		req.connect_timeout = (long)sf->cf->fetch.connect_timeout;
		req.timeout = (long)sf->cf->fetch.timeout;
		req.max_redirects = sf->cf->fetch.max_redirects;
		req.max_body = (size_t)sf->cf->fetch.max_body;
		req.headers = sf->cf->headers;
		req.nheaders = sf->cf->nheaders;
		req.username = sf->cf->username;
		req.password = sf->cf->password;
		req.proxy = sf->cf->proxy;
		req.ca_file = sf->cf->ca_file;
		log_debug("feed %s: polling %s", sf->cf->name, sf->cf->url);
		nstarted++;
		if (fetch_start(sch->fx, &req, schedule_done_cb, sf) != 0) {
			log_err("feed %s: cannot start transfer", sf->cf->name);
			sf->is_running = 0;
			sch->nrunning--;
			sch->nfailures++;
			if (sch->is_daemon)
				schedule_arm(sf, time(NULL) +
				    sf->cf->interval, 0);
		}
	}
	if (nstarted > 0)
		schedule_activity(sch);
}

/* Remember why a poll failed, for the next one and for status. */
static void
schedule_set_error(struct schedule_feed *sf, const char *error)
{
	free(sf->state.last_error);
	sf->state.last_error = error != NULL ? xstrdup(error) : NULL;
	if (error != NULL) {
		free(sf->sch->last_error);
		xasprintf(&sf->sch->last_error, "feed %s: %s", sf->cf->name,
		    error);
	}
}

/*
 * Store a successful poll and log its counts (also into *p); -1 if it
 * was not stored.  A body identical to the last one stored is not
 * written again: some servers change their validators when nothing
 * changed.
 */
static int
schedule_store(struct schedule_feed *sf, struct fetch_result *r, time_t now,
    struct metrics_poll *p)
{
	struct schedule		*sch = sf->sch;
	struct store_counts	 counts;
	enum store_dedup	 dedup;
	char			*cause = NULL;

	if (sf->state.body_hash != NULL && r->body_hash[0] != '\0' &&
	    strcmp(sf->state.body_hash, r->body_hash) == 0) {
		log_info("feed %s: ok, body unchanged, %zu bytes, %.3fs",
		    sf->cf->name, r->nbytes, r->seconds);
		return (0);
	}
	/* A charset that had to be guessed is common and harmless. */
	if (r->doc->is_bozo && r->doc->bozo_kind != NULL &&
	    strcmp(r->doc->bozo_kind, "encoding-override") == 0)
		log_info("feed %s: %s", sf->cf->name, r->doc->bozo_message);
	else if (r->doc->is_bozo)
		p->is_parse_error = true;
	if (p->is_parse_error)
		log_warn("feed %s: %s at line %d: %s; kept %zu entries",
		    sf->cf->name, r->doc->bozo_kind != NULL ?
		    r->doc->bozo_kind : "malformed", r->doc->bozo_line,
		    r->doc->bozo_message != NULL ? r->doc->bozo_message : "",
		    r->doc->nentries);
	if (store_dedup_parse(sf->cf->dedup, &dedup) != 0)
		dedup = STORE_DEDUP_AUTO;
	if (store_put_poll(sch->st, sf->cf->name, sf->cf->url,
	    sf->cf->title, dedup, r->doc, now, &counts, &cause) != 0) {
		log_err("feed %s: %s", sf->cf->name, cause);
		schedule_set_error(sf, cause);
		free(cause);
		return (-1);
	}
	free(sf->state.body_hash);
	sf->state.body_hash = r->body_hash[0] != '\0' ?
	    xstrdup(r->body_hash) : NULL;
	log_info("feed %s: ok, %zu new, %zu updated, %zu unchanged, "
	    "%zu bytes, %.3fs", sf->cf->name, counts.nnew, counts.nupdated,
	    counts.nunchanged, r->nbytes, r->seconds);
	p->nnew = counts.nnew;
	p->nupdated = counts.nupdated;
	if (counts.nnew + counts.nupdated > 0 && sch->changed_cb != NULL)
		sch->changed_cb(sch->changed_arg);
	return (0);
}

/*
 * A stored poll of feed name was lost with the batch it was in
 * (store_put_poll): count it as failed, and forget its validators and
 * body hash, so that the next poll fetches and stores the feed whole.
 */
static void
schedule_lost_cb(const char *name, const char *cause, void *arg)
{
	struct schedule		*sch = arg;
	struct schedule_feed	*sf;
	size_t			 i;

	log_err("feed %s: %s; the poll logged before was not saved, the "
	    "next one fetches the feed whole", name, cause);
	sch->nfailures++;
	for (i = 0; i < sch->nfeeds; i++) {
		sf = sch->feeds[i];
		if (sf == NULL || strcmp(sf->cf->name, name) != 0)
			continue;
		sf->state.failures++;
		schedule_set_error(sf, cause);
		free(sf->state.etag);
		free(sf->state.last_modified);
		free(sf->state.body_hash);
		sf->state.etag = sf->state.last_modified = NULL;
		sf->state.body_hash = NULL;
		break;
	}
}

/*
 * Keep the validators of a response: a 200 brings its own (or none); a
 * 304 keeps the old ones unless it carries new ones (RFC 9110 15.4.5).
 */
static void
schedule_keep_validators(struct schedule_feed *sf, struct fetch_result *r)
{
	struct store_feed_state	*state = &sf->state;

	if (r->status == FETCH_OK || r->etag != NULL) {
		free(state->etag);
		state->etag = r->etag != NULL ? xstrdup(r->etag) : NULL;
	}
	if (r->status == FETCH_OK || r->last_modified != NULL) {
		free(state->last_modified);
		state->last_modified = r->last_modified != NULL ?
		    xstrdup(r->last_modified) : NULL;
	}
}

/*
 * Follow a permanent redirect once every hop of the same chain was 301
 * or 308 (or the feed named its new URL in itunes:new-feed-url) on
 * SCHEDULE_MOVE_CONFIRMATIONS consecutive successful polls.
 * The configured URL stays the feed's key; only where it is fetched
 * from changes.
 */
static void
schedule_note_move(struct schedule_feed *sf, const char *moved_to)
{
	struct store_feed_state	*state = &sf->state;

	/* Already there (itunes:new-feed-url names the URL polled). */
	if (moved_to != NULL && strcmp(moved_to, state->fetch_url != NULL ?
	    state->fetch_url : sf->cf->url) == 0)
		moved_to = NULL;
	if (moved_to == NULL) {
		free(state->moved_to);
		state->moved_to = NULL;
		state->moved_count = 0;
		return;
	}
	if (state->moved_to != NULL && strcmp(state->moved_to, moved_to) == 0)
		state->moved_count++;
	else {
		free(state->moved_to);
		state->moved_to = xstrdup(moved_to);
		state->moved_count = 1;
	}
	if (state->moved_count < SCHEDULE_MOVE_CONFIRMATIONS) {
		log_info("feed %s: permanent redirect to %s (%d of %d polls "
		    "before following it)", sf->cf->name, state->moved_to,
		    state->moved_count, SCHEDULE_MOVE_CONFIRMATIONS);
		return;
	}
	log_notice("feed %s: moved permanently to %s (seen on %d "
	    "consecutive polls); polling it from now on", sf->cf->name,
	    state->moved_to, state->moved_count);
	free(state->fetch_url);
	state->fetch_url = state->moved_to;
	state->moved_to = NULL;
	state->moved_count = 0;
}

/*
 * The configured URL is a web page naming its feed: poll that from now
 * on (the configured URL stays the key), at once.  Returns false when
 * it names the URL just polled, so that it fails as not a feed.
 */
static bool
schedule_discover(struct schedule_feed *sf, struct fetch_result *r)
{
	struct store_feed_state	*state = &sf->state;

	if (strcmp(r->discovered, r->url) == 0 || state->is_discovered)
		return (false);
	log_notice("feed %s: %s is a web page; polling the feed it names, "
	    "%s", sf->cf->name, r->url, r->discovered);
	free(state->fetch_url);
	state->fetch_url = xstrdup(r->discovered);
	state->is_discovered = true;
	sf->is_rediscovered = 1;
	return (true);
}

/* The larger of a and b. */
static int64_t
schedule_max(int64_t a, int64_t b)
{
	return (a > b ? a : b);
}

/*
 * Seconds until the next poll.  The configured interval is the floor;
 * consecutive failures double it; what the server asks for (max-age,
 * Expires, Retry-After) and the feed's RSS ttl can only lengthen it;
 * max_interval caps all of that (but never goes below the floor).
 */
static int64_t
schedule_delay(struct schedule_feed *sf, struct fetch_result *r,
    const char **why)
{
	int64_t	 floor = sf->cf->interval, d = floor, cap;
	int	 shift;

	*why = "interval";
	cap = schedule_max(sf->sch->cfg->max_interval, floor);
	if (sf->state.failures > 0) {
		shift = sf->state.failures < SCHEDULE_MAX_BACKOFF_SHIFT ?
		    sf->state.failures : SCHEDULE_MAX_BACKOFF_SHIFT;
		d = floor > cap >> shift ? cap : floor << shift;
		*why = "backoff";
	}
	schedule_lengthen(&d, why, r->max_age, "Cache-Control max-age");
	schedule_lengthen(&d, why, r->expires_in, "Expires");
	schedule_lengthen(&d, why, r->retry_after, "Retry-After");
	schedule_lengthen(&d, why, sf->state.feed_interval,
	    "the feed's ttl or sy:updatePeriod");
	if (d > cap) {
		d = cap;
		*why = "max_interval";
	}
	return (d);
}

/* Raise *d to n, naming why, when n is longer. */
static void
schedule_lengthen(int64_t *d, const char **why, int64_t n, const char *what)
{
	if (n > *d) {
		*d = n;
		*why = what;
	}
}

/*
 * Keep what a new document asks of the fetcher: its RSS ttl (minutes) or
 * syndication period, whichever is longer, and the hours and days to
 * skip.  A 304 keeps what the last document said.
 */
static void
schedule_keep_hints(struct schedule_feed *sf, const struct feed_doc *doc)
{
	struct store_feed_state	*state = &sf->state;
	char			*end;
	long			 minutes;

	if (doc == NULL)
		return;
	state->feed_interval = doc->update_period;
	if (doc->ttl != NULL) {
		minutes = strtol(doc->ttl, &end, 10);
		if (end != doc->ttl && minutes > 0 &&
		    minutes <= 366L * 24 * 60 &&
		    (int64_t)minutes * 60 > state->feed_interval)
			state->feed_interval = (int64_t)minutes * 60;
	}
	state->skip_hours = doc->skip_hours;
	state->skip_days = doc->skip_days;
}

/*
 * Move a poll time out of the hours (GMT) and days the feed asked to be
 * skipped (RSS 2.0 skipHours, skipDays), to the start of the next allowed
 * hour.  Hints that would skip every hour are ignored.
 */
static time_t
schedule_skip(const struct store_feed_state *state, time_t t,
    const char **why)
{
	struct tm	 tm;
	int		 i, day;

	if ((state->skip_hours & 0xffffffU) == 0xffffffU ||
	    (state->skip_days & 0x7f) == 0x7f)
		return (t);
	for (i = 0; i < 24 * 7 + 1; i++) {
		if (gmtime_r(&t, &tm) == NULL)
			return (t);
		day = (tm.tm_wday + 6) % 7;	/* Monday is 0 */
		if (!(state->skip_hours & (UINT32_C(1) << tm.tm_hour)) &&
		    !(state->skip_days & (1U << day)))
			return (t);
		*why = state->skip_days & (1U << day) ? "skipDays" :
		    "skipHours";
		t += 3600 - tm.tm_min * 60 - tm.tm_sec;
	}
	return (t);
}

/* Tell the owner what a poll came to. */
static void
schedule_report(struct schedule_feed *sf, struct fetch_result *r,
    struct metrics_poll *p)
{
	if (sf->sch->polled_cb == NULL)
		return;
	p->feed = sf->cf->name;
	p->http_code = r->http_code;
	p->nbytes = r->nbytes;
	p->seconds = r->seconds;
	sf->sch->polled_cb(p, sf->sch->polled_arg);
}

/*
 * The poll of a feed removed from the config ended: drop its result, as
 * the feed is no longer wanted, and free it.
 */
static void
schedule_done_removed(struct schedule_feed *sf, struct fetch_result *r)
{
	struct schedule	*sch = sf->sch;

	log_info("feed %s: removed from the config; result of its last poll "
	    "dropped", r->name);
	TAILQ_REMOVE(&sch->removed, sf, entry);
	schedule_feed_free(sf);
	sch->nrunning--;
	schedule_drain(sch);
	schedule_activity(sch);
	if (sch->idle_cb != NULL && --sch->npending == 0)
		sch->idle_cb(sch->idle_arg);
}

static void
schedule_flush_cb(evutil_socket_t fd, short what, void *arg)
{
	struct schedule	*sch = arg;

	(void)fd;
	(void)what;
	store_flush(sch->st);
}

/*
 * Commit the polls and poll states written so far once no poll runs, or
 * SCHEDULE_BATCH_POLLS polls wait; while polls come back in a burst, a
 * little later, so that they share one commit.
 */
static void
schedule_flush(struct schedule *sch)
{
	struct timeval	 tv = { SCHEDULE_FLUSH_SECS, 0 };

	if (sch->nrunning == 0 || sch->flush == NULL ||
	    store_batched(sch->st) >= SCHEDULE_BATCH_POLLS) {
		if (sch->flush != NULL)
			evtimer_del(sch->flush);
		store_flush(sch->st);
	} else if (!evtimer_pending(sch->flush, NULL))
		evtimer_add(sch->flush, &tv);
}

/* A poll ended: store it, record when it is due next, start the next. */
static void
schedule_done_cb(struct fetch_result *r, void *arg)
{
	struct schedule_feed	*sf = arg;
	struct schedule		*sch = sf->sch;
	struct metrics_poll	 p;
	char			*cause = NULL;
	const char		*why, *was;
	time_t			 now = time(NULL);
	int64_t			 delay;

	if (sf->cf == NULL) {
		schedule_done_removed(sf, r);
		return;
	}
	memset(&p, 0, sizeof p);
	p.outcome = r->status == FETCH_NOT_MODIFIED ? "not_modified" : "new";

	was = store_feed_condition(&sf->state);
	sf->is_running = 0;
	sch->nrunning--;
	sf->state.last_status = r->http_code;
	switch (r->status) {
	case FETCH_OK:
	case FETCH_NOT_MODIFIED:
		if (r->status == FETCH_NOT_MODIFIED)
			log_info("feed %s: not modified, %.3fs",
			    sf->cf->name, r->seconds);
		/* Validators count only once the entries are stored. */
		if (r->status == FETCH_OK &&
		    schedule_store(sf, r, now, &p) != 0) {
			p.outcome = "store_error";
			sf->state.failures++;
			sch->nfailures++;
			break;
		}
		/*
		 * A body cut off at max_body: what came before it is stored,
		 * but the poll failed, and its validators and hash describe
		 * a document we did not read whole.
		 */
		if (r->is_truncated) {
			p.outcome = "truncated";
			sf->state.failures++;
			log_warn("feed %s: %s; kept the %zu entries before it "
			    "(%d in a row)", sf->cf->name, r->error,
			    r->doc->nentries, sf->state.failures);
			schedule_set_error(sf, r->error);
			free(sf->state.body_hash);
			sf->state.body_hash = NULL;
			sch->nfailures++;
			break;
		}
		schedule_keep_validators(sf, r);
		schedule_keep_hints(sf, r->doc);
		schedule_note_move(sf, r->moved_to != NULL ? r->moved_to :
		    r->doc != NULL ? r->doc->new_feed_url : NULL);
		sf->state.failures = 0;
		schedule_set_error(sf, NULL);
		if (r->status == FETCH_OK && p.nnew + p.nupdated == 0)
			p.outcome = "unchanged";
		break;
	case FETCH_GONE:
		log_warn("feed %s: gone (HTTP 410); polling stops, its "
		    "entries are kept", sf->cf->name);
		p.outcome = "gone";
		sf->state.is_gone = true;
		schedule_set_error(sf, "gone (HTTP 410)");
		sch->nfailures++;
		break;
	case FETCH_PERMANENT:
		if (r->discovered != NULL && schedule_discover(sf, r)) {
			p.outcome = "discovered";
			break;
		}
		/* FALLTHROUGH */
	case FETCH_TRANSIENT:
		p.outcome = r->status == FETCH_TRANSIENT ? "transient" :
		    "permanent";
		sf->state.failures++;
		log_warn("feed %s: %s: %s (%d in a row)", sf->cf->name,
		    fetch_status_name(r->status), r->error,
		    sf->state.failures);
		schedule_set_error(sf, r->error);
		sch->nfailures++;
		break;
	}

	/*
	 * Up to 10% later, never earlier, so the interval stays a floor;
	 * then out of the hours and days the feed asks us to skip.
	 */
	delay = schedule_delay(sf, r, &why);
	sf->state.last_attempt = now;
	sf->state.next_poll = schedule_skip(&sf->state, now + delay +
	    schedule_random(sch, (long)(delay / 10) + 1), &why);
	free(sf->state.next_reason);
	sf->state.next_reason = xstrdup(sf->state.is_gone ? "gone" : why);
	if (strcmp(was, store_feed_condition(&sf->state)) != 0) {
		sf->state.state_since = now;
		/* The status feed shows this change. */
		if (sch->changed_cb != NULL)
			sch->changed_cb(sch->changed_arg);
	}
	log_debug("feed %s: next poll in %llds", sf->cf->name,
	    (long long)(sf->state.next_poll - now));
	if (store_set_poll_state(sch->st, sf->cf->name, &sf->state, was,
	    &cause) != 0) {
		log_err("feed %s: %s", sf->cf->name, cause);
		free(cause);
	}
	schedule_flush(sch);
	if (sf->is_rediscovered && !sch->is_stopping) {
		/* The feed a page named is polled now, in once mode too. */
		sf->is_rediscovered = 0;
		sf->state.next_poll = now;
		if (sch->idle_cb != NULL)
			sch->npending++;
		schedule_enqueue(sf);
	} else if (sch->is_daemon && !sf->state.is_gone && !sch->is_stopping)
		schedule_arm(sf, sf->state.next_poll, 0);

	schedule_report(sf, r, &p);
	schedule_drain(sch);
	schedule_activity(sch);
	if (sch->idle_cb != NULL && --sch->npending == 0)
		sch->idle_cb(sch->idle_arg);
}
