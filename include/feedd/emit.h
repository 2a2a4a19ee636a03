/*
 * emit: builds the combined feed from store and publishes it: written to
 * the output directory atomically (temporary file, fsync, rename) and
 * handed to whoever serves it through a callback.  Rebuilds are
 * debounced: emit_mark_dirty arms one short timer.
 */
#ifndef FEEDD_EMIT_H
#define FEEDD_EMIT_H

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

struct emit	*emit_new(struct event_base *, struct store *,
		    const struct config *, emit_published_cb, void *arg);
void		 emit_free(struct emit *);
/* Rebuild soon; several calls within the debounce delay rebuild once. */
void		 emit_mark_dirty(struct emit *);
/* Rebuild, write and publish now.  Returns -1 with *cause on error. */
int		 emit_now(struct emit *, char **cause);
/* The index page: the river with links to every output; caller frees. */
char		*emit_index(struct store *, const struct config *, size_t *len,
		    char **cause);
/* The subscription list as OPML 2.0; caller frees. */
char		*emit_opml(struct store *, const struct config *, size_t *len,
		    char **cause);
/* The status feed: feeds failing, moved or gone; caller frees. */
char		*emit_status_atom(struct store *, const struct config *,
		    size_t *len, char **cause);

#endif
