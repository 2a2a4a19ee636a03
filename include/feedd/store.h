/*
 * store: everything feedd keeps, in one SQLite file (WAL): feeds, their
 * poll state, and entries keyed per feed.  schedule writes one
 * transaction per polled feed; emit reads the newest entries back.  No
 * SQLite type shows here, so another backend can fit behind it.
 */
#ifndef FEEDD_STORE_H
#define FEEDD_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "feedd/model.h"

struct store;

/* How entries of a feed are told apart (docs/dedup.md). */
enum store_dedup {
	STORE_DEDUP_AUTO = 0,	/* id, else link, else hash; broken guids */
	STORE_DEDUP_ID,		/* id, else hash */
	STORE_DEDUP_LINK,	/* link, else hash */
	STORE_DEDUP_CONTENT	/* hash of title, date and content */
};

/* What one committed poll changed. */
struct store_counts {
	size_t	nnew;
	size_t	nupdated;
	size_t	nunchanged;
	size_t	npruned_seen;	/* pruned entries the source still lists */
};

/*
 * Poll state kept per feed between polls and across restarts.  The
 * strings are owned; free them with store_feed_state_clear.
 */
struct store_feed_state {
	char	*url;		/* the URL the state belongs to */
	time_t	 last_attempt;	/* 0: never polled */
	time_t	 next_poll;	/* 0: due now */
	char	*etag;		/* exactly as the server sent it, or NULL */
	char	*last_modified;	/* exactly as the server sent it, or NULL */
	bool	 is_gone;	/* the server said 410: poll no more */
	char	*fetch_url;	/* where a permanent move led, or NULL */
	char	*moved_to;	/* a 301/308 target seen moved_count times */
	int	 moved_count;	/* consecutive polls that saw moved_to */
	int	 failures;	/* consecutive failed polls */
	char	*last_error;	/* why the last poll failed, or NULL */
	long	 last_status;	/* HTTP status of the last poll, 0: none */
	char	*body_hash;	/* util_hash of the last 200 body, or NULL */
	char	*next_reason;	/* why next_poll is when it is, or NULL */
	time_t	 state_since;	/* when it last became ok, failing, moved
				   or gone; 0: never polled */
	/* What the last document asked of the fetcher. */
	int64_t	 feed_interval;	/* RSS ttl or sy:update*, seconds; 0: none */
	uint32_t skip_hours;	/* bit h: skip hour h, GMT */
	uint8_t	 skip_days;	/* bit 0 Monday .. bit 6 Sunday */
	bool	 is_discovered;	/* fetch_url was found in the web page at
				   url (feed autodiscovery) */
};

/* A stored feed, for status listings. */
struct store_feed_row {
	char			*name;
	struct store_feed_state	 state;
};

/* A stored entry with where it came from, for emit. */
struct store_item {
	char			*feed_name;
	char			*feed_title;	/* config title, else the feed's */
	char			*feed_url;
	char			*feed_id;	/* the source feed's id, or NULL */
	char			*feed_link;
	time_t			 feed_updated;	/* 0: unknown */
	char			*key;		/* dedup key within its feed */
	time_t			 first_seen;
	time_t			 changed;	/* last content change */
	time_t			 sort_time;	/* updated/published/first seen */
	int64_t			 rowid;		/* order first stored in */
	struct feed_entry	 e;
};

/*
 * Which entries store_select reads, newest first (sort time, then the
 * order stored).  keep, when set, sees each entry read and says whether
 * it goes into the result; reading stops once max are kept.
 */
struct store_query {
	char *const	*feeds;		/* names; NULL: every feed */
	size_t		 nfeeds;
	time_t		 since;		/* sort time at least; 0: any */
	int64_t		 min_rowid;	/* rowid at least; 0: any */
	int64_t		 max_rowid;	/* rowid at most; 0: any */
	size_t		 max;		/* entries kept; 0: no limit */
	bool		(*keep)(const struct store_item *, void *arg);
	void		*arg;
};

/*
 * Stored entries in pages of a fixed size by the order they were first
 * stored: page p holds rowids (p - 1) * size + 1 to p * size, so entries
 * stored later never move an entry to another page.
 */
struct store_page {
	int64_t	 page;		/* 1: the first entries stored */
	size_t	 nentries;	/* fewer than size: some were pruned */
	time_t	 changed;	/* the latest content change in it */
};

struct store	*store_open(const char *path, char **cause);
void		 store_close(struct store *);

/*
 * Store one successful poll of feed name: the feed's metadata and every
 * entry of doc, new or changed.  title_override is the configured title
 * or NULL.  The poll joins a batch, a transaction shared with other
 * polls and poll states, in a savepoint of its own: -1 with *cause on
 * error rolls back this poll only.  The batch commits at store_flush,
 * before any other write, and before the generation is read; until then
 * only this connection sees it.  If the commit fails, every poll it held
 * goes to the lost callback.
 */
int		 store_put_poll(struct store *, const char *name,
		     const char *url, const char *title_override,
		     enum store_dedup dedup, const struct feed_doc *doc,
		     time_t now, struct store_counts *counts, char **cause);
/* store_put_poll, then commit: -1 with *cause if the poll was not stored. */
int		 store_commit_poll(struct store *, const char *name,
		     const char *url, const char *title_override,
		     enum store_dedup dedup, const struct feed_doc *doc,
		     time_t now, struct store_counts *counts, char **cause);
/*
 * Told of each batched poll a failed commit lost (the feed's name and
 * why), so that it is polled again, unconditionally.  Without one, the
 * loss is logged.
 */
typedef void	 store_lost_cb(const char *name, const char *cause,
		     void *arg);
void		 store_set_lost_cb(struct store *, store_lost_cb *, void *);
/* How many polls the batch holds. */
size_t		 store_batched(struct store *);
/*
 * Record an attempt (success or failure), validators, next poll time.
 * was is the feed's condition before it (store_feed_condition), or NULL
 * if not known: a feed the outputs show, before or after (failing,
 * moved or gone), also moves the generation, committed at once.  A state
 * the outputs do not show (most polls: a healthy feed's 304) waits in an
 * open transaction for others like it, until store_flush, the next other
 * write or store_close commits them: a thousand 304s, one commit.  This
 * connection reads them at once; others only once committed.
 */
int		 store_set_poll_state(struct store *, const char *name,
		     const struct store_feed_state *, const char *was,
		     char **cause);
/*
 * Commit the poll states and polls waiting, if any; a failure is logged,
 * and each poll lost goes to the lost callback.
 */
void		 store_flush(struct store *);
/*
 * Returns 0 with *state filled (zeroes and NULLs for an unknown feed),
 * or -1.  Clear the state afterwards.
 */
int		 store_get_poll_state(struct store *, const char *name,
		     struct store_feed_state *state, char **cause);
void		 store_feed_state_clear(struct store_feed_state *);
/*
 * A token that changes with every change the outputs show: entries
 * stored, updated or pruned, a feed's metadata, a shown poll state.
 * Equal tokens from one database mean the outputs would be built the
 * same.  Caller frees; NULL with *cause on error.
 */
char		*store_generation(struct store *, char **cause);
/*
 * A feed's condition in one word, from its state: "new" (never polled),
 * "gone", "failing", "moved" (polled at a new URL), else "ok".
 */
const char	*store_feed_condition(const struct store_feed_state *);
/* Every stored feed with its poll state, by name. */
int		 store_list_feeds(struct store *, struct store_feed_row **rows,
		     size_t *nrows, char **cause);
void		 store_feed_rows_free(struct store_feed_row *, size_t);
const struct store_feed_row *store_feed_row_find(const struct store_feed_row *,
		     size_t, const char *name);

/*
 * The newest max entries of feed (NULL: of all feeds), newest
 * first.  *items is allocated; free with store_items_free.
 */
int		 store_newest(struct store *, const char *feed, size_t max,
		     struct store_item **items, size_t *nitems, char **cause);
/*
 * Append the entries query selects to *items, of which there are
 * *nitems; free with store_items_free, also after an error.
 */
int		 store_select(struct store *, const struct store_query *,
		     struct store_item **items, size_t *nitems, char **cause);
/*
 * Every page of size entries that holds an entry, first page first, and
 * the highest rowid used.  *pages is allocated; the caller frees it.
 */
int		 store_pages(struct store *, size_t size,
		     struct store_page **pages, size_t *npages,
		     int64_t *max_rowid, char **cause);
void		 store_items_free(struct store_item *, size_t);
/* Number of stored entries (all feeds, or one feed), or -1. */
long		 store_count_entries(struct store *);
long		 store_count_feed(struct store *, const char *name);

/*
 * The dedup key of e within its feed under mode: "id:" + id, "link:" +
 * link or "hash:" + SHA-256 of title, published date and content (see
 * docs/dedup.md).  Caller frees.
 */
char		*store_entry_key(const struct feed_entry *e,
		     enum store_dedup mode);
/* Read a dedup rule name (auto, id, link, content); -1 if unknown. */
int		 store_dedup_parse(const char *, enum store_dedup *);
void		 store_prepare_doc(struct feed_doc *);

/*
 * Retention: entries first stored more than retain_days ago, and those
 * beyond the newest retain_per_feed of their feed (0 disables either),
 * are pruned, each leaving a tombstone so a source still listing it does
 * not bring it back.  The per-feed limit applies as each poll is stored;
 * store_prune applies the age, up to batch entries in one short
 * transaction: call it again while it returns batch.  -1 on error.
 */
void		 store_set_retention(struct store *, int retain_days,
		     int retain_per_feed);
long		 store_prune(struct store *, time_t now, size_t batch,
		     char **cause);
/* Delete up to batch entries of a removed feed; 0 once it is gone. */
long		 store_prune_feed(struct store *, const char *name,
		     size_t batch, char **cause);

#endif
