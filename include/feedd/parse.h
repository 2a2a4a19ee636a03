/*
 * parse: bytes of one feed document -> struct feed_doc.  Callers push the
 * body in chunks of any size as it arrives (fetch's write callback, or
 * `feedd parse` reading a file) and finish once; the result is the same
 * whatever the chunking.  parse performs no I/O and never fails the whole
 * document for one bad byte: ill-formed input is recovered as far as it
 * goes and flagged bozo.
 */
#ifndef FEEDD_PARSE_H
#define FEEDD_PARSE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "feedd/model.h"

struct parse_ctx;

/* What is known about the document before its first byte. */
struct parse_options {
	const char	*url;			/* document URL, or NULL */
	const char	*content_type;		/* HTTP Content-Type, or NULL */
	const char	*content_location;	/* HTTP Content-Location */
	const char	*content_language;	/* HTTP Content-Language */
	size_t		 max_entries;		/* 0: no cap */
};

/* The options are copied; NULL means all defaults. */
struct parse_ctx	*parse_new(const struct parse_options *);
void			 parse_free(struct parse_ctx *);
/* Feed the next chunk.  Returns -1 only once the entry cap is exceeded. */
int			 parse_push(struct parse_ctx *, const char *, size_t);
/*
 * End of input.  Returns the document, which the caller owns and frees
 * with feed_doc_free; never NULL (a non-feed has format NONE and is bozo).
 */
struct feed_doc		*parse_finish(struct parse_ctx *);

/*
 * Parse a date in any form feeds use (RFC 822/1123, RFC 3339, W3CDTF,
 * ISO 8601 variants).  Returns 0 and sets *utc, or -1 if not understood.
 */
int			 parse_date(const char *, time_t *utc);

/* The PARSE_JSON rendering of doc (shared/corpus/PARSE_JSON.md); caller frees. */
char			*parse_doc_json(const struct feed_doc *);

#endif
