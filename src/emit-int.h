/* SPDX-License-Identifier: ISC */
/*
 * Declarations shared by the emit-*.c files and nothing else: which
 * entries an output shows, and the text helpers every format needs.
 */
#ifndef FEEDD_EMIT_INT_H
#define FEEDD_EMIT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <libxml/xmlwriter.h>

struct config;
struct store;
struct store_item;

/*
 * What one combined feed covers: the main one (every feed) or a tag's
 * (the feeds with that tag), written as BASE.atom, BASE.rss, BASE.json.
 */
struct emit_view {
	char		*base;		/* "feed", or "tag/NAME" */
	char		*title;
	char		**feeds;	/* names; NULL: every feed */
	size_t		 nfeeds;
};

/* The entries an output shows, newest first, each once. */
struct emit_sel {
	struct store_item	*items;		/* from store_newest */
	size_t			 nitems;
	size_t			*shown;		/* indexes into items */
	char			**ids;		/* the id each goes out under */
	size_t			 nshown;
	time_t			 updated;	/* newest shown entry's */
};

/* The entries of view (NULL: every feed). */
int	 emit_select(struct store *, const struct config *,
	    const struct emit_view *, struct emit_sel *, char **cause);

/*
 * The writers of one view's combined feed, from its selection; each
 * returns a new document.
 */
char	*emit_atom(const struct config *, const struct emit_view *,
	    const struct emit_sel *, size_t *len, char **cause);
char	*emit_rss(const struct config *, const struct emit_view *,
	    const struct emit_sel *, size_t *len, char **cause);
char	*emit_json(const struct config *, const struct emit_view *,
	    const struct emit_sel *, size_t *len, char **cause);
void	 emit_sel_clear(struct emit_sel *);

/* Text that XML 1.0 (and JSON) accepts: valid UTF-8, no C0 but TAB, LF,
 * CR.  Caller frees. */
char	*emit_clean(const char *);
/* Whether s is an absolute IRI (a scheme, ':', no white space). */
int	 emit_is_iri(const char *);
/* A stable urn:uuid from two strings.  Caller frees. */
char	*emit_uuid(const char *, const char *);
/* When an entry was last updated, as outputs say it. */
time_t	 emit_entry_updated(const struct store_item *);
/* Whether a text construct's type is HTML or XHTML (sanitized markup). */
bool	 emit_is_html(const char *type);
/* A text construct as cleaned plain text: HTML reduced to its text.
 * Caller frees. */
char	*emit_plain(const struct feed_text *);
/* Write an element or attribute holding cleaned text, if s is set. */
void	 emit_element(xmlTextWriterPtr, const char *name, const char *s);
void	 emit_attribute(xmlTextWriterPtr, const char *name, const char *s);
/* The public URL of output file, for self links and ids.  Caller frees. */
char	*emit_self_url(const struct config *, const char *file);

#endif
