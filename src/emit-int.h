/* SPDX-License-Identifier: ISC */
/*
 * Declarations shared by the emit-*.c files and nothing else: which
 * entries an output shows, and the text helpers every format needs.
 */
#ifndef FEEDD_EMIT_INT_H
#define FEEDD_EMIT_INT_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <libxml/xmlwriter.h>

struct config;
struct config_output;
struct store;
struct store_item;
struct feed_text;
struct feed_link;

/*
 * An output's include and exclude expressions, compiled: an entry is
 * kept if its title, content or author matches include (when set) and
 * none of them matches exclude.
 */
struct emit_filter {
	regex_t		 include;
	regex_t		 exclude;
	bool		 has_include;
	bool		 has_exclude;
};

/*
 * What one combined feed covers: the main one (every feed), a tag's
 * (the feeds with that tag) or a named output's, written as BASE.atom,
 * BASE.rss, BASE.json.
 */
struct emit_view {
	char		*base;		/* "feed", "tag/NAME" or "out/NAME" */
	char		*title;
	char		*description;	/* what it holds, in a sentence */
	char		**feeds;	/* names; NULL: every feed */
	size_t		 nfeeds;
	size_t		 max;		/* entries shown */
	int64_t		 max_age;	/* seconds; 0: any age */
	struct emit_filter *filter;	/* NULL: every entry */
	int64_t		 open_rowid;	/* rowids from here on are in no
					   archive page yet: shown beyond
					   max; 0: none */
	int64_t		 prev_archive;	/* newest archive page; 0: none */
};

/* The entries an output shows, newest first, each once. */
struct emit_sel {
	struct store_item	*items;		/* from store_select */
	size_t			 nitems;
	char			**ids;		/* the id each goes out under */
	time_t			 updated;	/* newest shown entry's */
};

/* The combined feeds the config asks for; free with emit_views_free. */
struct emit_view *emit_views(const struct config *, size_t *n, char **cause);
void	 emit_views_free(struct emit_view *, size_t);
/* The entries of view (NULL: the main feed's, without archive extras). */
int	 emit_select(struct store *, const struct config *,
	    const struct emit_view *, struct emit_sel *, char **cause);
/* The entries stored with rowids lo to hi, each once, newest first. */
int	 emit_select_rows(struct store *, const struct config *, int64_t lo,
	    int64_t hi, struct emit_sel *, char **cause);
/* Compile o's expressions; -1 with *cause when one does not compile. */
int	 emit_filter_init(struct emit_filter *, const struct config_output *,
	    char **cause);
void	 emit_filter_clear(struct emit_filter *);
/* NULL when f keeps the entry, else why it is dropped. */
const char *emit_filter_why(const struct emit_filter *,
	    const struct store_item *);
/* The id an entry carries out: its own if an IRI, else a minted one. */
char	*emit_entry_id(const struct store_item *);
/* Plain text of up to max characters of t (HTML reduced to its text). */
char	*emit_plain(const struct feed_text *, size_t max);

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
/* Whether s is an absolute http or https URL. */
bool	 emit_is_http(const char *);
/* Whether l is an enclosure with an http(s) URL, the only ones sent. */
bool	 emit_is_enclosure(const struct feed_link *);
/* t if it is a MIME type ("type/subtype"), else NULL. */
const char *emit_media_type(const char *t);
/* The length in bytes s says, or -1 if it is no decimal number. */
long long emit_length(const char *s);
/* A stable urn:uuid from two strings.  Caller frees. */
char	*emit_uuid(const char *, const char *);
/* When an entry was last updated, as outputs say it. */
time_t	 emit_entry_updated(const struct store_item *);
/* Whether a text construct's type is HTML or XHTML (sanitized markup). */
bool	 emit_is_html(const char *type);
/* Write an element or attribute holding cleaned text, if s is set. */
void	 emit_element(xmlTextWriterPtr, const char *name, const char *s);
void	 emit_attribute(xmlTextWriterPtr, const char *name, const char *s);
/* The public URL of output file, for self links and ids.  Caller frees. */
char	*emit_self_url(const struct config *, const char *file);

/* An Atom document being written into memory. */
struct emit_writer {
	xmlBufferPtr		 xb;
	xmlTextWriterPtr	 w;
};
/*
 * Start an Atom document: its head with a self link to file and an id
 * derived from the public URL of id_file (archive pages share the id of
 * the feed they archive).
 */
int	 emit_feed_start(struct emit_writer *, const struct config *,
	    const char *file, const char *id_file, const char *title,
	    time_t updated, char **cause);
/* Finish it and return a copy; the writer is freed. */
char	*emit_feed_end(struct emit_writer *, size_t *len, char **cause);
void	 emit_writer_free(struct emit_writer *);
void	 emit_link(xmlTextWriterPtr, const char *rel, const char *type,
	    const char *href);
void	 emit_entry(xmlTextWriterPtr, const struct store_item *,
	    const char *id);

/* Write one built document (taking data) to file if it changed, and
 * publish it at path. */
struct emit;
int	 emit_put(struct emit *, const char *file, const char *path,
	    const char *content_type, char *data, size_t len, char **cause);
int	 emit_put_file(struct emit *, const char *file, char *data, size_t len,
	    char **cause);

/*
 * RFC 5005 archive pages of the main feed (emit-archive.c): what was
 * built, kept between rebuilds.
 */
struct emit_archive;
struct emit_archive *emit_archive_new(void);
void	 emit_archive_free(struct emit_archive *);
/*
 * Look at the store: how many pages are complete.  Sets *open_rowid to
 * the first rowid not archived and *newest to the newest complete page
 * (0: none).
 */
int	 emit_archive_scan(struct emit_archive *, struct store *,
	    const struct config *, int64_t *open_rowid, int64_t *newest,
	    char **cause);
/* Build, write and publish the pages that changed since the last call. */
int	 emit_archive_put(struct emit_archive *, struct emit *,
	    struct store *, const struct config *, char **cause);
/* How many pages are complete: archive/1.atom to archive/N.atom. */
int64_t	 emit_archive_npages(const struct emit_archive *);

#endif
