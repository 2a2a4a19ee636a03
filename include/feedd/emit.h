/*
 * emit: builds the combined feed from store and publishes it: written to
 * the output directory atomically (temporary file, fsync, rename) and
 * handed to whoever serves it through a callback.  Rebuilds are
 * debounced: emit_mark_dirty arms one short timer.
 */
#ifndef FEEDD_EMIT_H
#define FEEDD_EMIT_H

#include <stdbool.h>
#include <stddef.h>

struct config;
struct event_base;
struct store;
struct emit;

/* One built document; data is borrowed for the call only. */
struct emit_doc {
	const char	*path;		/* URL path, "/feed.atom" */
	const char	*content_type;
	const char	*data;
	size_t		 len;
};

typedef void (*emit_published_cb)(const struct emit_doc *, void *arg);

/* Titles of dropped entries an emit_dry names. */
#define EMIT_DRY_TITLES 5

/* What one [output NAME] would keep of the stored entries of its feeds. */
struct emit_dry {
	const char	*name;
	bool		 has_filter;	/* include or exclude is set */
	size_t		 nentries;	/* stored entries of its feeds */
	size_t		 nold;		/* older than its max_age */
	size_t		 nkept;		/* kept by its filter */
	size_t		 ndropped;	/* dropped by its filter */
	char		*titles[EMIT_DRY_TITLES]; /* the first dropped */
	const char	*whys[EMIT_DRY_TITLES];	/* why each was dropped */
};

typedef void (*emit_dry_cb)(const struct emit_dry *, void *arg);

struct emit	*emit_new(struct event_base *, struct store *,
		    const struct config *, emit_published_cb, void *arg);
void		 emit_free(struct emit *);
/* Rebuild soon; several calls within the debounce delay rebuild once. */
void		 emit_mark_dirty(struct emit *);
/* Rebuild, write and publish now.  Returns -1 with *cause on error. */
int		 emit_now(struct emit *, char **cause);
/*
 * Rebuild and write now unless the files in the output directory were
 * built from the same config, feedd and stored data (and are still as
 * written); skipped documents are not published.  For feedd once.
 */
int		 emit_if_stale(struct emit *, char **cause);
/* The index page: the river with links to every output; caller frees. */
char		*emit_index(struct store *, const struct config *, size_t *len,
		    char **cause);
/* The subscription list as OPML 2.0; caller frees. */
char		*emit_opml(struct store *, const struct config *, size_t *len,
		    char **cause);
/*
 * Run every named output's filters over the stored entries of its feeds
 * (no limit) and report each output to cb, in config order.
 */
int		 emit_dry_run(struct store *, const struct config *,
		    emit_dry_cb, void *arg, char **cause);
/* The status feed: feeds failing, moved or gone; caller frees. */
char		*emit_status_atom(struct store *, const struct config *,
		    size_t *len, char **cause);

#endif
