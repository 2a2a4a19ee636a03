/*
 * parse: bytes of one feed document -> struct feed_doc.  Callers push the
 * body in chunks of any size as it arrives (fetch's write callback, or
 * `feedd parse` reading a file) and finish once; the result is the same
 * whatever the chunking.  parse performs no I/O and never fails the whole
 * document for one bad byte: ill-formed input is recovered as far as it
 * goes and flagged bozo.
 *
 * Entries are collected in the document, or, with an entry callback,
 * handed over one at a time as soon as each is complete, so that a
 * consumer that does not keep them parses a feed of any size in memory
 * that does not grow with it; the feed-level fields still come with
 * parse_finish (a channel's <title> may follow its items).
 */
#ifndef FEEDD_PARSE_H
#define FEEDD_PARSE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "feedd/model.h"

struct parse_ctx;

/*
 * Called with each entry once it is complete, in document order, from
 * inside parse_push or parse_finish.  The entry is lent for the call:
 * parse clears it afterwards, so a consumer that keeps it moves it out
 * (copies the struct and zeroes *e).  The callback must not call parse
 * functions on the same context.
 */
typedef void (*parse_entry_cb)(struct feed_entry *e, void *arg);

/* What is known about the document before its first byte. */
struct parse_options {
	const char	*url;			/* document URL, or NULL */
	const char	*content_type;		/* HTTP Content-Type, or NULL */
	const char	*content_location;	/* HTTP Content-Location */
	const char	*content_language;	/* HTTP Content-Language */
	size_t		 max_entries;		/* 0: no cap */
	parse_entry_cb	 entry_cb;		/* NULL: collect in the doc */
	void		*entry_arg;
};

void			 parse_thread_init(void);
/* The options are copied; NULL means all defaults. */
struct parse_ctx	*parse_new(const struct parse_options *);
void			 parse_free(struct parse_ctx *);
/* Feed the next chunk.  Returns -1 only once the entry cap is exceeded. */
int			 parse_push(struct parse_ctx *, const char *, size_t);
/*
 * End of input.  Returns the document, which the caller owns and frees
 * with feed_doc_free; never NULL (a non-feed has format NONE and is bozo).
 * With an entry callback, every entry has gone to it by then and the
 * document holds none.
 */
struct feed_doc		*parse_finish(struct parse_ctx *);

/*
 * Parse a date in any form feeds use (RFC 822/1123, RFC 3339, W3CDTF,
 * ISO 8601 variants).  Returns 0 and sets *utc, or -1 if not understood.
 */
int			 parse_date(const char *, time_t *utc);

/* The PARSE_JSON rendering of doc (shared/corpus/PARSE_JSON.md); caller frees. */
char			*parse_doc_json(const struct feed_doc *);
/*
 * The same in pieces, for entries taken one at a time: the head (doc up
 * to the opening of its "entries" array), entry i of that array, and the
 * tail after nentries entries.  Concatenated they are parse_doc_json of
 * doc holding those entries.  The head and entries are the caller's to
 * free; the tail is a constant.
 */
char			*parse_doc_json_head(const struct feed_doc *);
char			*parse_entry_json(const struct feed_entry *, size_t i);
const char		*parse_doc_json_tail(size_t nentries);

#endif
