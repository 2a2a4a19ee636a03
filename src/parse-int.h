/* SPDX-License-Identifier: ISC */
/*
 * Declarations shared by the parse-*.c files and nothing else.
 */
#ifndef FEEDD_PARSE_INT_H
#define FEEDD_PARSE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "feedd/util.h"

#ifndef nitems
#define nitems(a) (sizeof (a) / sizeof (a)[0])
#endif

struct feed_doc;

/*
 * strcmp for the short names of the parser's tables (element, attribute
 * and entity names), inline: a call to the library's strcmp costs more
 * than comparing a few bytes, and a lookup makes several.
 */
static inline int
parse_name_cmp(const char *a, const char *b)
{
	while (*a == *b && *a != '\0') {
		a++;
		b++;
	}
	return ((unsigned char)*a - (unsigned char)*b);
}

/*
 * The index of the first byte of the word w (eight bytes as loaded from
 * memory) whose bit 7 is set in mask, which must not be 0.  Little-endian
 * machines find it with one instruction; others count.
 */
static inline size_t
parse_word_first(uint64_t mask)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return ((size_t)__builtin_ctzll(mask) >> 3);
#else
	unsigned char	 b[8];
	size_t		 i;

	memcpy(b, &mask, 8);
	for (i = 0; i < 7 && (b[i] & 0x80) == 0; i++)
		/* nothing */;
	return (i);
#endif
}

/*
 * Bit 7 set in each byte of w that is c, and perhaps in bytes above
 * such a byte (a borrow carries up), never below it: the lowest byte
 * flagged is exact, which is all parse_word_first needs.
 */
static inline uint64_t
parse_word_has(uint64_t w, unsigned char c)
{
	uint64_t	 x = w ^ (UINT64_C(0x0101010101010101) * c);

	return ((x - UINT64_C(0x0101010101010101)) & ~x &
	    UINT64_C(0x8080808080808080));
}

/*
 * The length of the run of ASCII bytes (below 0x80) that p starts with,
 * at most len: eight bytes at a time, as most of a feed is ASCII.
 */
static inline size_t
parse_ascii_span(const unsigned char *p, size_t len)
{
	uint64_t	 w;
	size_t		 i = 0;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, p + i, 8);
		if ((w & UINT64_C(0x8080808080808080)) != 0)
			return (i + parse_word_first(w &
			    UINT64_C(0x8080808080808080)));
	}
	while (i < len && p[i] < 0x80)
		i++;
	return (i);
}

/*
 * util_utf8_decode (the length of the valid UTF-8 sequence at p, 0 if
 * invalid, -1 if cut short by len; its code point in *cp if cp is not
 * NULL) with the two- and three-byte sequences of most non-ASCII text
 * decoded here without the general loop.
 */
static inline int
parse_utf8_len(const unsigned char *p, size_t len, uint32_t *cp)
{
	uint32_t	 c;

	if (p[0] >= 0xc2 && p[0] <= 0xdf && len >= 2) {
		if ((p[1] & 0xc0) != 0x80)
			return (0);
		if (cp != NULL)
			*cp = ((uint32_t)(p[0] & 0x1f) << 6) | (p[1] & 0x3f);
		return (2);
	}
	if (p[0] >= 0xe0 && p[0] <= 0xef && len >= 3) {
		if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
			return (0);
		c = ((uint32_t)(p[0] & 0x0f) << 12) |
		    ((uint32_t)(p[1] & 0x3f) << 6) | (p[2] & 0x3f);
		if (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))
			return (0);
		if (cp != NULL)
			*cp = c;
		return (3);
	}
	return (util_utf8_decode(p, len, cp));
}

/*
 * Render t as RFC 3339 UTC with whole seconds and a four-digit year
 * ("0099-12-31T23:00:01Z"); out must hold PARSE_DATE_LEN bytes.  Returns
 * -1 if t is outside years 0 to 9999.
 */
#define PARSE_DATE_LEN 80
int	parse_date_format(time_t t, char out[PARSE_DATE_LEN]);

/* URLs (parse-url.c); parse_url_resolve's result is the caller's. */
bool	 parse_url_has_scheme(const char *);
bool	 parse_url_is_safe_scheme(const char *scheme, size_t len);
bool	 parse_url_is_safe(const char *uri);
char	*parse_url_resolve(const char *base, const char *ref,
	    bool is_strict);
bool	 parse_url_is_plain_root(const char *ref);
char	*parse_url_origin(CURLU *base);

/*
 * A base URL parsed once for the many references of a document
 * (parse_url_base_set), with its origin for parse_url_is_plain_root's
 * references.  All zero is empty.
 */
struct parse_url_base {
	char	*base;		/* what it was parsed from, or NULL */
	CURLU	*curl;		/* NULL: curl cannot parse base */
	char	*origin;	/* parse_url_origin's, or NULL */
};
struct parse_url_base *parse_url_base_set(struct parse_url_base *,
	    const char *base);
void	 parse_url_base_clear(struct parse_url_base *);

/*
 * Sanitize an HTML fragment with the allow-list (parse-html.c) and
 * resolve its relative href/src against base (may be NULL).  cache, if
 * not NULL, keeps the parsed base from one fragment of a document to the
 * next.  Returns a new string the caller frees.
 */
char	*parse_html_sanitize(const char *html, const char *base,
	    struct parse_url_base *cache);
/*
 * Feed discovery in a web page (parse-html.c): push the page, then
 * finish, which adds its <link rel="alternate"> to feeds (Atom, RSS, JSON
 * Feed, RDF), resolved, to doc->links and frees the context.
 */
#define PARSE_HTML_LINKS_MAX (1024 * 1024)
struct parse_html_links;
struct parse_html_links *parse_html_links_new(const char *base);
void	 parse_html_links_push(struct parse_html_links *, const char *,
	    size_t);
void	 parse_html_links_finish(struct parse_html_links *,
	    struct feed_doc *);

/* Whether a lower-case HTML element name is on the sanitizer's list. */
bool	 parse_html_is_allowed(const char *name);

/*
 * The same, always with libxml2's HTML parser, never the fast path that
 * stands in for it on plain markup: for tests that compare the two.
 */
char	*parse_html_sanitize_libxml2(const char *html, const char *base);

/*
 * Fill doc from a whole JSON Feed document (parse-jsonfeed.c); base is
 * the document URL for relative references, or NULL.  Problems make the
 * document bozo; returns 0, or -1 if the bytes are not a JSON Feed.
 */
int	parse_jsonfeed(const char *data, size_t len, const char *base,
	    size_t max_entries, struct feed_doc *doc);

#endif
