/*
 * schedule: who is due when.  Owns a poll from "due" to "next due":
 * starts the transfer through fetch, hands the document to store in one
 * transaction, records the poll state, and tells its owner that entries
 * changed.  At most max_parallel transfers run at once.
 */
#ifndef FEEDD_SCHEDULE_H
#define FEEDD_SCHEDULE_H

#include <stddef.h>

struct config;
struct event_base;
struct fetcher;
struct metrics_poll;
struct store;
struct schedule;

/* Called after a poll stored new or updated entries. */
typedef void (*schedule_changed_cb)(void *arg);
/* Called after every poll with what it came to, borrowed for the call. */
typedef void (*schedule_polled_cb)(const struct metrics_poll *, void *arg);
/* Called once every feed has been polled (schedule_poll_all only). */
typedef void (*schedule_idle_cb)(void *arg);
/* Called when polls started or ended. */
typedef void (*schedule_activity_cb)(void *arg);

/* What the schedule is doing, for status lines. */
struct schedule_stats {
	size_t		 nfeeds;
	size_t		 ndue;		/* waiting for a free slot */
	size_t		 nrunning;	/* polls in flight */
	size_t		 nfailing;	/* feeds whose last poll failed */
	const char	*last_error;	/* "feed NAME: why", borrowed; NULL
					   if no poll failed yet */
};

/* What a reload changed. */
struct schedule_reload_counts {
	size_t		 nadded;
	size_t		 nremoved;
	size_t		 nchanged;	/* same name, new URL */
};

struct schedule	*schedule_new(struct event_base *, struct fetcher *,
		     struct store *, const struct config *,
		     schedule_changed_cb, void *arg);
void		 schedule_free(struct schedule *);
/* Daemon mode: poll each feed when due, forever. */
int		 schedule_start(struct schedule *);
/* Poll every feed once now; cb when the last poll has ended. */
int		 schedule_poll_all(struct schedule *, schedule_idle_cb cb,
		     void *arg);
/* Start no new poll; cb once those in flight have ended (maybe at once). */
void		 schedule_stop(struct schedule *, schedule_idle_cb cb,
		     void *arg);
/* Tell cb about every poll from now on. */
void		 schedule_set_polled_cb(struct schedule *, schedule_polled_cb,
		     void *arg);
/*
 * Use cfg's feed list from now on (SIGHUP).  Feeds are matched by name;
 * polls in flight go on; the old config is no longer referenced after.
 */
void		 schedule_reload(struct schedule *, const struct config *cfg,
		     struct schedule_reload_counts *);
/* Polls that failed, since schedule_new. */
size_t		 schedule_failures(const struct schedule *);
void		 schedule_get_stats(const struct schedule *,
		     struct schedule_stats *);
void		 schedule_set_activity_cb(struct schedule *,
		     schedule_activity_cb, void *arg);

#endif
