/* SPDX-License-Identifier: ISC */
/*
 * The feed parser: a libxml2 SAX2 push parser fed chunk by chunk, with a
 * stack of element frames and a table of known elements mapping each to
 * a field of the feed, an entry or a person.  RSS 0.9x/1.0/2.0 and Atom
 * 0.3/1.0 share one vocabulary, as in the Universal Feed Parser: an
 * element is known by its namespace URI (never its prefix) and its local
 * name, and what it fills depends on the frame it appears in, so that an
 * entry's own <title> is never confused with the <title> of a nested
 * <source> or <image>.
 *
 * The first bytes are held back until the encoding can be decided (BOM,
 * XML declaration, HTTP charset, RFC 3023); then the push parser is
 * created with that encoding forced, and everything else is streamed.
 * The parser never loads a DTD, an external entity or anything from the
 * network; errors go to a per-context handler and make the document
 * bozo, never to stderr.
 */
#include <ctype.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <libxml/HTMLparser.h>
#include <libxml/SAX2.h>
#include <libxml/encoding.h>
#include <libxml/entities.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "feedd/model.h"
#include "feedd/parse.h"
#include "feedd/util.h"
#include "parse-int.h"

/*
 * Bytes held back at most before the encoding is decided: enough for any
 * sane XML declaration, even in UTF-32.
 */
#define PARSE_HEAD_MAX 1024
/*
 * Limits on what a hostile document can make the parser hold or do
 * (each stops the document with a bozo error; entries before are kept):
 * element nesting, the text of the elements open at once, and the
 * characters that entity expansion produces, as a multiple of the
 * input bytes (with a floor, so small documents with a few entities
 * are not caught).  libxml2 2.9.14 has no amplification limit of its
 * own that we can set.
 */
#define PARSE_DEPTH_MAX		200
#define PARSE_TEXT_MAX		(4 * 1024 * 1024)
#define PARSE_AMPLIFY_FLOOR	(1024 * 1024)
#define PARSE_AMPLIFY_FACTOR	4
/* Element namespaces remembered per document (parse_ns_cached). */
#define PARSE_NS_CACHE 4
/* A JSON Feed is parsed whole; this caps what is held (the fetcher's
 * body cap is the real limit). */
#define PARSE_JSON_MAX (64 * 1024 * 1024)

/* Namespaces we know, by URI. */
enum parse_ns {
	PARSE_NS_OTHER = 0,	/* some namespace we do not know */
	PARSE_NS_CORE,		/* no namespace, RSS or Atom: one vocabulary */
	PARSE_NS_CC,		/* Creative Commons, both namespaces */
	PARSE_NS_CONTENT,
	PARSE_NS_DC,
	PARSE_NS_DCTERMS,
	PARSE_NS_ITUNES,
	PARSE_NS_MEDIA,		/* Media RSS */
	PARSE_NS_RDF,
	PARSE_NS_SY,		/* RSS 1.0 syndication module */
	PARSE_NS_XHTML,
	PARSE_NS_XML
};

/* Which core namespace an element came from (format detection). */
enum parse_core {
	PARSE_CORE_NONE = 0,	/* no namespace, or not core */
	PARSE_CORE_RSS090,
	PARSE_CORE_RSS10,
	PARSE_CORE_RSS,		/* Userland's RSS namespaces */
	PARSE_CORE_ATOM03,	/* Atom 0.3 and its draft names */
	PARSE_CORE_ATOM10
};

/* What an element is to the parser. */
enum parse_kind {
	PARSE_K_OTHER = 0,	/* unknown or ignored; its subtree too */
	PARSE_K_ROOT,		/* <rss> or <rdf:RDF>: holds channel, items */
	PARSE_K_FEED,		/* <channel> or Atom <feed> */
	PARSE_K_ENTRY,		/* <item> or <entry> */
	PARSE_K_SOURCE,		/* Atom <source>, RSS <source> */
	PARSE_K_IMAGE,		/* RSS <image> */
	PARSE_K_TEXTINPUT,	/* RSS <textInput> */
	PARSE_K_SKIPLIST,	/* RSS <skipHours> or <skipDays> */
	PARSE_K_EXT,		/* an unknown element kept in ext */
	PARSE_K_PERSON,		/* Atom <author>; also captures bare text */
	PARSE_K_FIELD,		/* a field read as plain text */
	PARSE_K_TEXT,		/* a text construct, children kept as markup */
	PARSE_K_MARKUP,		/* an element inside a text construct */
	PARSE_K_SKIP		/* markup whose tags are dropped (xhtml div) */
};

/* What an element fills. */
enum parse_field {
	PARSE_F_NONE = 0,
	PARSE_F_AUTHOR,		/* person: Atom container or RSS free text */
	PARSE_F_CATEGORY,	/* RSS category text or Atom term= */
	PARSE_F_CLOUD,		/* RSS cloud: attributes */
	PARSE_F_COMMENTS,
	PARSE_F_CONTENT,	/* Atom content */
	PARSE_F_CONTENT_HTML,	/* content:encoded */
	PARSE_F_CONTENT_XHTML,	/* xhtml:body */
	PARSE_F_CONTRIBUTOR,	/* person, as AUTHOR */
	PARSE_F_CREATED,
	PARSE_F_DESCRIPTION,	/* RSS description: html by default */
	PARSE_F_DOCS,
	PARSE_F_EMAIL,
	PARSE_F_ENCLOSURE,
	PARSE_F_EXPIRED,
	PARSE_F_GENERATOR,
	PARSE_F_GUID,
	PARSE_F_HEIGHT,		/* image height */
	PARSE_F_ICON,
	PARSE_F_ID,
	PARSE_F_IMAGE,		/* RSS image: a container */
	PARSE_F_INFO,		/* Atom 0.3 info */
	PARSE_F_LANGUAGE,
	PARSE_F_LICENSE,	/* a link rel="license" */
	PARSE_F_LINK,		/* Atom link with href=, or RSS link text */
	PARSE_F_LOGO,
	PARSE_F_NAME,
	PARSE_F_PUBLISHED,
	PARSE_F_PUBLISHER,	/* person, as AUTHOR, but only one */
	PARSE_F_RIGHTS,
	PARSE_F_SOURCE,		/* Atom source, RSS source url= */
	PARSE_F_SUBJECT,	/* dc:subject: a category term */
	PARSE_F_SUBTITLE,
	PARSE_F_SUMMARY,
	PARSE_F_TAGS,		/* comma-separated category terms */
	PARSE_F_TEXTINPUT,	/* RSS textInput: a container */
	PARSE_F_TITLE,
	PARSE_F_TTL,
	PARSE_F_SKIP_HOURS,	/* <skipHours>: holds <hour> */
	PARSE_F_SKIP_DAYS,	/* <skipDays>: holds <day> */
	PARSE_F_HOUR,
	PARSE_F_DAY,
	PARSE_F_UPDATE_PERIOD,	/* sy:updatePeriod */
	PARSE_F_UPDATE_FREQUENCY, /* sy:updateFrequency */
	PARSE_F_NEW_FEED_URL,	/* itunes:new-feed-url */
	PARSE_F_MEDIA_CONTENT,	/* media:content: an enclosure */
	PARSE_F_UPDATED,
	PARSE_F_URI,
	PARSE_F_URL,		/* image url */
	PARSE_F_VALID,		/* dcterms:valid: start= and end= dates */
	PARSE_F_WIDTH		/* image width */
};

/* A namespace URI and what we call it. */
struct parse_nsmap {
	const char	*uri;
	enum parse_ns	 ns;
	enum parse_core	 core;
	const char	*prefix;	/* conventional prefix for ext keys */
};

/* A known element: what it fills below a feed, an entry, a person. */
struct parse_elem {
	enum parse_ns		 ns;
	const char		*name;
	enum parse_field	 feed;
	enum parse_field	 entry;
	enum parse_field	 person;
	enum parse_field	 image;
	enum parse_field	 textinput;
	enum parse_field	 skip;		/* in skipHours, skipDays */
};

/* A namespace URI as libxml2 handed it, and what parse_ns_lookup said. */
struct parse_ns_seen {
	const xmlChar			*ptr;	/* libxml2's string */
	char				*uri;	/* a copy, to check ptr */
	const struct parse_nsmap	*map;
};

/* One open element. */
struct parse_frame {
	enum parse_kind	 kind;
	enum parse_field field;
	const char	*lang;		/* in-scope xml:lang, or NULL */
	const char	*base;		/* in-scope base URI, or NULL */
	char		*own_lang;	/* set by this element; freed on pop */
	char		*own_base;
	size_t		 text_off;	/* start of this element's text */
	bool		 has_end_tag;	/* markup: write the end tag */
	char		*ext_key;	/* ext: "prefix_localname"; owned */
	bool		 has_ext_value;	/* ext: kept as its attributes */
};

/* The text construct being read; there is at most one at a time. */
struct parse_tc {
	char		*type;		/* MIME type */
	char		*src;		/* Atom content src=, resolved */
	bool		 is_xml;	/* children are XML: escape text */
	bool		 is_base64;
	bool		 is_guess;	/* RSS plain text: may turn out HTML */
	bool		 is_xhtml;	/* Atom 1.0 type="xhtml": drop the div */
	bool		 has_div;	/* the xhtml wrapper div was dropped */
	size_t		 depth;		/* frame index of the construct */
};

/*
 * Where the fields of a holder go: the feed, the open entry or its
 * source.  A NULL member is a field that holder does not have.
 */
struct parse_dst {
	struct feed_text	*title;
	struct feed_text	*subtitle;
	struct feed_text	*rights;
	struct feed_text	*info;
	struct feed_text	*summary;
	char			**id;
	char			**link;
	char			**generator;
	char			**generator_uri;
	char			**generator_version;
	char			**icon;
	char			**logo;
	char			**language;
	char			**docs;
	char			**ttl;
	char			**comments;
	struct feed_link	**links;
	size_t			*nlinks;
	struct feed_date	*updated;
	struct feed_date	*published;
	struct feed_date	*created;
	struct feed_date	*expired;
	struct feed_person	**authors;
	size_t			*nauthors;
	struct feed_person	**contributors;
	size_t			*ncontributors;
	struct feed_person	*publisher;
	struct feed_category	**categories;
	size_t			*ncategories;
	struct feed_ext		**ext;
	size_t			*next;
	bool			 is_entry;
};

struct parse_ctx {
	struct parse_options	 opt;		/* strings owned */
	char			*doc_base;	/* Content-Location or URL */
	xmlParserCtxtPtr	 xc;		/* NULL until the head is in */
	xmlDocPtr		 entdoc;	/* HTML entities handed out */
	struct buf		 head;		/* bytes held back */
	struct parse_url_base	 urlbase;	/* for parse_html_sanitize */
	struct feed_doc		*doc;

	struct parse_frame	*frames;
	size_t			 nframes;
	size_t			 framesize;
	struct buf		 text;		/* text of open elements */
	struct parse_tc		 tc;
	struct feed_entry	*entry;		/* open entry, or NULL */
	struct feed_entry	 open_entry;	/* where entry points */
	size_t			 nentries;	/* entries begun, for the cap */
	struct feed_person	*person;	/* open Atom person, or NULL */

	enum feed_format	 atom_version;	/* from <feed version=> */
	bool			 is_netscape;	/* Netscape RSS 0.91 DOCTYPE */
	bool			 is_atom;	/* Atom rules for texts */
	bool			 check_ascii;	/* us-ascii declared: verify */
	char			*ascii_fallback; /* encoding if it is not */
	char			*feed_lang;	/* xml:lang on the feed */
	int64_t			 sy_period;	/* sy:updatePeriod, seconds */
	long			 sy_frequency;	/* sy:updateFrequency */
	bool			 is_over_cap;
	bool			 is_stopped;	/* a limit was hit */
	size_t			 nin;		/* bytes pushed to libxml2 */
	size_t			 nout;		/* characters it delivered */
	bool			 is_finished;
	bool			 is_json;	/* a JSON Feed, held in head */
	struct parse_html_links	*html;		/* a web page: find its feeds */
	struct parse_ns_seen	 ns_seen[PARSE_NS_CACHE];
	size_t			 ns_next;	/* slot to replace next */
	bool			 is_utf8;	/* bytes checked as UTF-8 */
	unsigned char		 carry[4];	/* a split UTF-8 sequence */
	size_t			 ncarry;
};

static void	 parse_set_bozo(struct parse_ctx *, const char *,
		     const char *, int, int);
static void	 parse_start(struct parse_ctx *);
static bool	 parse_head_ready(const struct buf *);
static int	 parse_is_json(const struct buf *);
static int	 parse_is_html(const struct buf *);
static void	 parse_end_hint(struct parse_ctx *, struct parse_frame *,
		    const char *);
static void	 parse_end_skip(struct parse_ctx *, struct parse_frame *,
		    const char *);
static void	 parse_chunk(struct parse_ctx *, const char *, size_t, bool);
static void	 parse_feed_utf8(struct parse_ctx *, const char *, size_t,
		    bool);
static void	 parse_feed_cp1252(struct parse_ctx *, unsigned char);
static size_t	 parse_head_ascii(const unsigned char *, size_t, char *,
		     size_t, const char **, size_t *);
static size_t	 parse_head_ebcdic(const unsigned char *, size_t, char *,
		     size_t);
static char	*parse_decl_encoding(const char *);
static xmlCharEncodingHandlerPtr parse_find_encoding(const char *);
static char	*parse_norm_encoding(const char *, const char *);
static void	 parse_patch_decl(struct buf *);
static char	*parse_http_charset(const char *, int *);
static void	 parse_feed_bytes(struct parse_ctx *, const char *, size_t,
		     bool);
static char	*parse_resolve(const char *, const char *);
static const struct parse_nsmap *parse_ns_lookup(const xmlChar *);
static const struct parse_nsmap *parse_ns_cached(struct parse_ctx *,
		     const xmlChar *);
static const struct parse_elem *parse_elem_lookup(enum parse_ns,
		     const char *);
static char	*parse_attr(xmlParserCtxtPtr, const xmlChar **, int,
		     enum parse_ns, const char *);
static struct parse_frame *parse_push_frame(struct parse_ctx *);
static void	 parse_pop_frame(struct parse_ctx *);
static char	*parse_take_text(struct parse_ctx *, struct parse_frame *);
static void	 parse_root(struct parse_ctx *, struct parse_frame *,
		     const xmlChar *, const struct parse_nsmap *, int,
		     const xmlChar **, xmlParserCtxtPtr, const xmlChar **, int);
static void	 parse_start_field(struct parse_ctx *, struct parse_frame *,
		     xmlParserCtxtPtr, const xmlChar **, int);
static void	 parse_end_field(struct parse_ctx *, struct parse_frame *);
static void	 parse_start_text(struct parse_ctx *, struct parse_frame *,
		     xmlParserCtxtPtr, const xmlChar **, int);
static void	 parse_end_text(struct parse_ctx *, struct parse_frame *);
static void	 parse_start_markup(struct parse_ctx *, struct parse_frame *,
		     const xmlChar *, const xmlChar *, const struct parse_nsmap *,
		     xmlParserCtxtPtr, const xmlChar **, int);
static void	 parse_end_entry(struct parse_ctx *);
static void	 parse_hand_entry(struct parse_ctx *, struct feed_entry *);
static void	 parse_hand_doc_entries(struct parse_ctx *);
static void	 parse_set_date(struct feed_date *, char *);
static void	 parse_set_str(char **, char *);
static void	 parse_person_raw(struct feed_person *, const char *);
static void	 parse_add_link(struct parse_ctx *, struct parse_frame *,
		     const struct parse_dst *, xmlParserCtxtPtr,
		     const xmlChar **, int);
static void	 parse_get_dst(struct parse_ctx *, enum parse_kind,
		     struct parse_dst *);
static void	 parse_stop(struct parse_ctx *, const char *, const char *);
static char	*parse_attr_value(xmlParserCtxtPtr, const xmlChar *,
		     const xmlChar *);
static void	 parse_start_ext(struct parse_ctx *, struct parse_frame *,
		     const xmlChar *, const xmlChar *,
		     const struct parse_nsmap *, const xmlChar **, int);
static struct feed_ext *parse_ext_slot(struct parse_ctx *,
		     struct parse_frame *);
static void	 parse_end_ext(struct parse_ctx *, struct parse_frame *);
static char	*parse_resolve_id(const char *, char *);
static void	 parse_end_sub(struct parse_ctx *, struct parse_frame *,
		     char *);
static void	 parse_end_date(const struct parse_dst *, enum parse_field,
		     char *);
static void	 parse_end_valid(const struct parse_dst *, const char *);
static void	 parse_end_source(struct parse_ctx *, struct parse_frame *);
static void	 parse_escape(struct buf *, const char *, size_t, bool);
static char	*parse_strip(char *);
static bool	 parse_is_space(int);
static char	*parse_fix_text(struct parse_ctx *, const char *, size_t);
static bool	 parse_is_utf8(const char *, size_t);
static bool	 parse_looks_like_html(const char *);
static bool	 parse_is_html_element(const char *, size_t);
static bool	 parse_is_void_element(const char *);
static bool	 parse_is_url_attr(const char *);
static char	*parse_base64(const char *);

static void	 parse_sax_start(void *, const xmlChar *, const xmlChar *,
		     const xmlChar *, int, const xmlChar **, int, int,
		     const xmlChar **);
static void	 parse_sax_end(void *, const xmlChar *, const xmlChar *,
		     const xmlChar *);
static void	 parse_sax_chars(void *, const xmlChar *, int);
static xmlEntityPtr parse_sax_entity(void *, const xmlChar *);
static void	 parse_sax_subset(void *, const xmlChar *, const xmlChar *,
		     const xmlChar *);
static void	 parse_sax_error(void *, xmlErrorPtr);
static xmlParserInputPtr parse_sax_resolve(void *, const xmlChar *,
		     const xmlChar *);
static xmlParserInputPtr parse_deny_loader(const char *, const char *,
		     xmlParserCtxtPtr);

/*
 * Namespace URIs, sorted by strcasecmp for bsearch.  The core ones are
 * those feedparser maps to no prefix: Userland's and Harvard's RSS, RSS
 * 0.90 and 1.0, Atom 1.0, and Atom 0.3 with its pre-release names.
 * PARSE_NS_OTHER rows are extensions known only for their prefix
 * (PARSE_JSON.md "Extensions").
 */
static const struct parse_nsmap parse_nsmaps[] = {
	{ "http://a9.com/-/spec/opensearch/1.1/", PARSE_NS_OTHER,
	    PARSE_CORE_NONE, "opensearch" },
	{ "http://backend.userland.com/creativeCommonsRssModule", PARSE_NS_CC,
	    PARSE_CORE_NONE, "creativecommons" },
	{ "http://backend.userland.com/rss", PARSE_NS_CORE,
	    PARSE_CORE_RSS, NULL },
	{ "http://backend.userland.com/rss2", PARSE_NS_CORE,
	    PARSE_CORE_RSS, NULL },
	{ "http://blogs.law.harvard.edu/tech/rss", PARSE_NS_CORE,
	    PARSE_CORE_RSS, NULL },
	{ "http://example.com/necho", PARSE_NS_CORE, PARSE_CORE_ATOM03, NULL },
	{ "http://example.com/newformat#", PARSE_NS_CORE,
	    PARSE_CORE_ATOM03, NULL },
	{ "http://my.netscape.com/rdf/simple/0.9/", PARSE_NS_CORE,
	    PARSE_CORE_RSS090, NULL },
	{ "http://podlove.org/simple-chapters", PARSE_NS_OTHER,
	    PARSE_CORE_NONE, "psc" },
	{ "http://purl.org/atom/ns#", PARSE_NS_CORE, PARSE_CORE_ATOM03, NULL },
	{ "http://purl.org/dc/elements/1.1/", PARSE_NS_DC,
	    PARSE_CORE_NONE, "dc" },
	{ "http://purl.org/dc/terms/", PARSE_NS_DCTERMS,
	    PARSE_CORE_NONE, "dcterms" },
	{ "http://purl.org/echo/", PARSE_NS_CORE, PARSE_CORE_ATOM03, NULL },
	{ "http://purl.org/pie/", PARSE_NS_CORE, PARSE_CORE_ATOM03, NULL },
	{ "http://purl.org/rss/1.0/", PARSE_NS_CORE, PARSE_CORE_RSS10, NULL },
	{ "http://purl.org/rss/1.0/modules/content/", PARSE_NS_CONTENT,
	    PARSE_CORE_NONE, "content" },
	{ "http://purl.org/rss/1.0/modules/slash/", PARSE_NS_OTHER,
	    PARSE_CORE_NONE, "slash" },
	{ "http://purl.org/rss/1.0/modules/syndication/", PARSE_NS_SY,
	    PARSE_CORE_NONE, "sy" },
	{ "http://purl.org/syndication/thread/1.0", PARSE_NS_OTHER,
	    PARSE_CORE_NONE, "thr" },
	{ "http://rssnamespace.org/feedburner/ext/1.0", PARSE_NS_OTHER,
	    PARSE_CORE_NONE, "feedburner" },
	{ "http://search.yahoo.com/mrss", PARSE_NS_MEDIA,
	    PARSE_CORE_NONE, "media" },
	{ "http://search.yahoo.com/mrss/", PARSE_NS_MEDIA,
	    PARSE_CORE_NONE, "media" },
	{ "http://web.resource.org/cc/", PARSE_NS_CC, PARSE_CORE_NONE, "cc" },
	{ "http://webns.net/mvcb/", PARSE_NS_OTHER, PARSE_CORE_NONE, "admin" },
	{ "http://wellformedweb.org/CommentAPI/", PARSE_NS_OTHER,
	    PARSE_CORE_NONE, "wfw" },
	{ "http://www.georss.org/georss", PARSE_NS_OTHER,
	    PARSE_CORE_NONE, "georss" },
	{ "http://www.itunes.com/dtds/podcast-1.0.dtd", PARSE_NS_ITUNES,
	    PARSE_CORE_NONE, "itunes" },
	{ "http://www.w3.org/1999/02/22-rdf-syntax-ns#", PARSE_NS_RDF,
	    PARSE_CORE_NONE, "rdf" },
	{ "http://www.w3.org/1999/xhtml", PARSE_NS_XHTML,
	    PARSE_CORE_NONE, "xhtml" },
	{ "http://www.w3.org/2005/atom", PARSE_NS_CORE,
	    PARSE_CORE_ATOM10, NULL },
	{ "http://www.w3.org/xml/1998/namespace", PARSE_NS_XML,
	    PARSE_CORE_NONE, "xml" },
	{ "uri/of/echo/namespace#", PARSE_NS_CORE, PARSE_CORE_ATOM03, NULL },
};

/* What stands for an element in no namespace. */
static const struct parse_nsmap parse_ns_none = {
	"", PARSE_NS_CORE, PARSE_CORE_NONE, NULL
};

/* What stands for an unknown namespace: the document's prefix is used. */
static const struct parse_nsmap parse_ns_other = {
	"", PARSE_NS_OTHER, PARSE_CORE_NONE, NULL
};

/*
 * Known elements, sorted by namespace (enum order) and then by strcmp of
 * the local name, for bsearch.  Columns: what the element fills as a
 * child of the feed (channel, also an Atom source and the RSS root), of
 * an entry (item), of an Atom person, of an RSS image and textInput;
 * absent columns are PARSE_F_NONE.
 */
static const struct parse_elem parse_elems[] = {
	{ PARSE_NS_CORE, "author", .feed = PARSE_F_AUTHOR,
	    .entry = PARSE_F_AUTHOR },
	{ PARSE_NS_CORE, "body", .entry = PARSE_F_CONTENT_XHTML },
	{ PARSE_NS_CORE, "category", .feed = PARSE_F_CATEGORY,
	    .entry = PARSE_F_CATEGORY },
	{ PARSE_NS_CORE, "cloud", .feed = PARSE_F_CLOUD },
	{ PARSE_NS_CORE, "comments", .entry = PARSE_F_COMMENTS },
	{ PARSE_NS_CORE, "content", .entry = PARSE_F_CONTENT },
	{ PARSE_NS_CORE, "contributor", .feed = PARSE_F_CONTRIBUTOR,
	    .entry = PARSE_F_CONTRIBUTOR },
	{ PARSE_NS_CORE, "copyright", .feed = PARSE_F_RIGHTS,
	    .entry = PARSE_F_RIGHTS },
	{ PARSE_NS_CORE, "created", .feed = PARSE_F_CREATED,
	    .entry = PARSE_F_CREATED },
	{ PARSE_NS_CORE, "day", .skip = PARSE_F_DAY },
	{ PARSE_NS_CORE, "description", .feed = PARSE_F_DESCRIPTION,
	    .entry = PARSE_F_DESCRIPTION, .image = PARSE_F_DESCRIPTION,
	    .textinput = PARSE_F_DESCRIPTION },
	{ PARSE_NS_CORE, "docs", .feed = PARSE_F_DOCS },
	{ PARSE_NS_CORE, "email", .person = PARSE_F_EMAIL },
	{ PARSE_NS_CORE, "enclosure", .entry = PARSE_F_ENCLOSURE },
	{ PARSE_NS_CORE, "expirationDate", .entry = PARSE_F_EXPIRED },
	{ PARSE_NS_CORE, "fullitem", .entry = PARSE_F_CONTENT_HTML },
	{ PARSE_NS_CORE, "generator", .feed = PARSE_F_GENERATOR },
	{ PARSE_NS_CORE, "guid", .entry = PARSE_F_GUID },
	{ PARSE_NS_CORE, "height", .image = PARSE_F_HEIGHT },
	{ PARSE_NS_CORE, "homepage", .person = PARSE_F_URI },
	{ PARSE_NS_CORE, "hour", .skip = PARSE_F_HOUR },
	{ PARSE_NS_CORE, "icon", .feed = PARSE_F_ICON },
	{ PARSE_NS_CORE, "id", .feed = PARSE_F_ID, .entry = PARSE_F_ID },
	{ PARSE_NS_CORE, "image", .feed = PARSE_F_IMAGE },
	{ PARSE_NS_CORE, "info", .feed = PARSE_F_INFO },
	{ PARSE_NS_CORE, "issued", .feed = PARSE_F_PUBLISHED,
	    .entry = PARSE_F_PUBLISHED },
	{ PARSE_NS_CORE, "language", .feed = PARSE_F_LANGUAGE,
	    .entry = PARSE_F_LANGUAGE },
	{ PARSE_NS_CORE, "lastBuildDate", .feed = PARSE_F_UPDATED },
	{ PARSE_NS_CORE, "link", .feed = PARSE_F_LINK, .entry = PARSE_F_LINK,
	    .image = PARSE_F_LINK, .textinput = PARSE_F_LINK },
	{ PARSE_NS_CORE, "logo", .feed = PARSE_F_LOGO },
	{ PARSE_NS_CORE, "managingEditor", .feed = PARSE_F_AUTHOR },
	{ PARSE_NS_CORE, "modified", .feed = PARSE_F_UPDATED,
	    .entry = PARSE_F_UPDATED },
	{ PARSE_NS_CORE, "name", .person = PARSE_F_NAME,
	    .textinput = PARSE_F_NAME },
	{ PARSE_NS_CORE, "pubDate", .feed = PARSE_F_PUBLISHED,
	    .entry = PARSE_F_PUBLISHED },
	{ PARSE_NS_CORE, "published", .feed = PARSE_F_PUBLISHED,
	    .entry = PARSE_F_PUBLISHED },
	{ PARSE_NS_CORE, "rights", .feed = PARSE_F_RIGHTS,
	    .entry = PARSE_F_RIGHTS },
	{ PARSE_NS_CORE, "skipDays", .feed = PARSE_F_SKIP_DAYS },
	{ PARSE_NS_CORE, "skipHours", .feed = PARSE_F_SKIP_HOURS },
	{ PARSE_NS_CORE, "source", .entry = PARSE_F_SOURCE },
	{ PARSE_NS_CORE, "subtitle", .feed = PARSE_F_SUBTITLE },
	{ PARSE_NS_CORE, "summary", .entry = PARSE_F_SUMMARY },
	{ PARSE_NS_CORE, "tagline", .feed = PARSE_F_SUBTITLE },
	{ PARSE_NS_CORE, "tags", .entry = PARSE_F_TAGS },
	{ PARSE_NS_CORE, "textInput", .feed = PARSE_F_TEXTINPUT },
	{ PARSE_NS_CORE, "textinput", .feed = PARSE_F_TEXTINPUT },
	{ PARSE_NS_CORE, "title", .feed = PARSE_F_TITLE, .entry = PARSE_F_TITLE,
	    .image = PARSE_F_TITLE, .textinput = PARSE_F_TITLE },
	{ PARSE_NS_CORE, "ttl", .feed = PARSE_F_TTL },
	{ PARSE_NS_CORE, "updated", .feed = PARSE_F_UPDATED,
	    .entry = PARSE_F_UPDATED },
	{ PARSE_NS_CORE, "uri", .person = PARSE_F_URI },
	{ PARSE_NS_CORE, "url", .person = PARSE_F_URI, .image = PARSE_F_URL },
	{ PARSE_NS_CORE, "webMaster", .feed = PARSE_F_PUBLISHER },
	{ PARSE_NS_CORE, "width", .image = PARSE_F_WIDTH },
	{ PARSE_NS_CC, "license", .feed = PARSE_F_LICENSE,
	    .entry = PARSE_F_LICENSE },
	{ PARSE_NS_CONTENT, "encoded", .entry = PARSE_F_CONTENT_HTML },
	{ PARSE_NS_DC, "author", .feed = PARSE_F_AUTHOR,
	    .entry = PARSE_F_AUTHOR },
	{ PARSE_NS_DC, "contributor", .feed = PARSE_F_CONTRIBUTOR,
	    .entry = PARSE_F_CONTRIBUTOR },
	{ PARSE_NS_DC, "creator", .feed = PARSE_F_AUTHOR,
	    .entry = PARSE_F_AUTHOR },
	{ PARSE_NS_DC, "date", .feed = PARSE_F_UPDATED,
	    .entry = PARSE_F_UPDATED },
	{ PARSE_NS_DC, "description", .feed = PARSE_F_DESCRIPTION,
	    .entry = PARSE_F_DESCRIPTION },
	{ PARSE_NS_DC, "language", .feed = PARSE_F_LANGUAGE,
	    .entry = PARSE_F_LANGUAGE },
	{ PARSE_NS_DC, "publisher", .feed = PARSE_F_PUBLISHER,
	    .entry = PARSE_F_PUBLISHER },
	{ PARSE_NS_DC, "rights", .feed = PARSE_F_RIGHTS,
	    .entry = PARSE_F_RIGHTS },
	{ PARSE_NS_DC, "subject", .feed = PARSE_F_SUBJECT,
	    .entry = PARSE_F_SUBJECT },
	{ PARSE_NS_DC, "title", .feed = PARSE_F_TITLE, .entry = PARSE_F_TITLE },
	{ PARSE_NS_DCTERMS, "created", .feed = PARSE_F_CREATED,
	    .entry = PARSE_F_CREATED },
	{ PARSE_NS_DCTERMS, "issued", .feed = PARSE_F_PUBLISHED,
	    .entry = PARSE_F_PUBLISHED },
	{ PARSE_NS_DCTERMS, "modified", .feed = PARSE_F_UPDATED,
	    .entry = PARSE_F_UPDATED },
	{ PARSE_NS_DCTERMS, "valid", .feed = PARSE_F_VALID,
	    .entry = PARSE_F_VALID },
	{ PARSE_NS_ITUNES, "author", .feed = PARSE_F_AUTHOR,
	    .entry = PARSE_F_AUTHOR },
	{ PARSE_NS_ITUNES, "new-feed-url", .feed = PARSE_F_NEW_FEED_URL },
	{ PARSE_NS_MEDIA, "content", .entry = PARSE_F_MEDIA_CONTENT },
	{ PARSE_NS_SY, "updateFrequency", .feed = PARSE_F_UPDATE_FREQUENCY },
	{ PARSE_NS_SY, "updatePeriod", .feed = PARSE_F_UPDATE_PERIOD },
	{ PARSE_NS_XHTML, "body", .entry = PARSE_F_CONTENT_XHTML },
};

/* HTML void elements, written <br /> with no end tag; sorted. */
static const char *parse_void_elements[] = {
	"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
	"meta", "param", "source", "track", "wbr"
};

/* bsearch comparator for arrays of strings. */
static int
parse_strcmp(const void *key, const void *elem)
{
	return (parse_name_cmp(key, *(const char *const *)elem));
}

/* libxml2's per-thread generic error output: parse reports per context. */
static void
parse_silent(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/*
 * Ready the calling thread for parsing.  libxml2 initialises itself on
 * first use, which is not safe from two threads at once, and keeps its
 * generic error handler per thread; so the thread that starts parsing
 * threads calls this first, and each of them calls it too.
 */
void
parse_thread_init(void)
{
	xmlInitParser();
	xmlSetGenericErrorFunc(NULL, parse_silent);
}

/* Create a parse context; see parse.h. */
struct parse_ctx *
parse_new(const struct parse_options *opt)
{
	struct parse_ctx	*ctx;
	char			*loc;

	/*
	 * Belt and braces: no option we set loads anything external, but
	 * should one ever slip in, the loader refuses every URL and path.
	 */
	xmlSetExternalEntityLoader(parse_deny_loader);

	ctx = xcalloc(1, sizeof *ctx);
	if (opt != NULL) {
		if (opt->url != NULL)
			ctx->opt.url = xstrdup(opt->url);
		if (opt->content_type != NULL)
			ctx->opt.content_type = xstrdup(opt->content_type);
		if (opt->content_location != NULL)
			ctx->opt.content_location =
			    xstrdup(opt->content_location);
		if (opt->content_language != NULL)
			ctx->opt.content_language =
			    xstrdup(opt->content_language);
		ctx->opt.max_entries = opt->max_entries;
		ctx->opt.entry_cb = opt->entry_cb;
		ctx->opt.entry_arg = opt->entry_arg;
	}
	buf_init(&ctx->head);
	buf_init(&ctx->text);
	ctx->doc = feed_doc_new();

	/*
	 * The document base: Content-Location resolved against the URL
	 * (RFC 2616 14.14), if its scheme is safe; else the URL itself.
	 */
	if (ctx->opt.url != NULL && parse_url_has_scheme(ctx->opt.url) &&
	    parse_url_is_safe(ctx->opt.url))
		ctx->doc_base = xstrdup(ctx->opt.url);
	if (ctx->opt.content_location != NULL) {
		loc = parse_resolve(ctx->doc_base,
		    ctx->opt.content_location);
		if (loc != NULL && parse_url_has_scheme(loc)) {
			free(ctx->doc_base);
			ctx->doc_base = loc;
		} else
			free(loc);
	}
	return (ctx);
}

/* Free a parse context and whatever it still holds. */
void
parse_free(struct parse_ctx *ctx)
{
	size_t	 i;

	if (ctx == NULL)
		return;
	while (ctx->nframes > 0)
		parse_pop_frame(ctx);
	free(ctx->frames);
	if (ctx->xc != NULL) {
		if (ctx->xc->myDoc != NULL)
			xmlFreeDoc(ctx->xc->myDoc);
		xmlFreeParserCtxt(ctx->xc);
	}
	if (ctx->entdoc != NULL)
		xmlFreeDoc(ctx->entdoc);
	if (ctx->html != NULL)
		parse_html_links_finish(ctx->html, ctx->doc);
	free(ctx->tc.type);
	free(ctx->tc.src);
	for (i = 0; i < PARSE_NS_CACHE; i++)
		free(ctx->ns_seen[i].uri);
	buf_clear(&ctx->head);
	buf_clear(&ctx->text);
	parse_url_base_clear(&ctx->urlbase);
	feed_entry_clear(&ctx->open_entry);
	feed_doc_free(ctx->doc);
	free(ctx->doc_base);
	free(ctx->ascii_fallback);
	free(ctx->feed_lang);
	free((char *)ctx->opt.url);
	free((char *)ctx->opt.content_type);
	free((char *)ctx->opt.content_location);
	free((char *)ctx->opt.content_language);
	free(ctx);
}

/*
 * Push the next chunk.  The first bytes are held back until the
 * encoding is known (parse_head_ready); that decision looks only at a
 * prefix of the document, so it is the same whatever the chunking.
 */
int
parse_push(struct parse_ctx *ctx, const char *data, size_t len)
{
	int	 json, html;

	if (ctx->is_finished || ctx->is_over_cap)
		return (ctx->is_over_cap ? -1 : 0);
	if (ctx->is_json) {
		/* jansson has no push interface: hold the document, capped. */
		if (len > PARSE_JSON_MAX - ctx->head.len) {
			parse_set_bozo(ctx, "too-large", "JSON document larger "
			    "than the parser's cap", 0, 0);
			ctx->is_over_cap = true;
			return (-1);
		}
		buf_add(&ctx->head, data, len);
		return (0);
	}
	if (ctx->html != NULL) {
		parse_html_links_push(ctx->html, data, len);
		return (0);
	}
	if (ctx->xc == NULL) {
		buf_add(&ctx->head, data, len);
		json = parse_is_json(&ctx->head);
		if (json == 1) {
			ctx->is_json = true;
			return (0);
		}
		if (json == -1 && ctx->head.len < PARSE_HEAD_MAX)
			return (0);
		if (!parse_head_ready(&ctx->head))
			return (0);
		html = parse_is_html(&ctx->head);
		if (html == -1 && ctx->head.len < PARSE_HEAD_MAX)
			return (0);
		if (html == 1) {
			ctx->html = parse_html_links_new(ctx->doc_base);
			parse_html_links_push(ctx->html, ctx->head.data,
			    ctx->head.len);
			buf_clear(&ctx->head);
			return (0);
		}
		parse_start(ctx);
	} else
		parse_feed_bytes(ctx, data, len, false);
	return (ctx->is_over_cap ? -1 : 0);
}

/* End of input: finish parsing and hand the document over. */
struct feed_doc *
parse_finish(struct parse_ctx *ctx)
{
	struct feed_doc		*doc;

	if (ctx->is_finished)
		return (feed_doc_new());
	if (ctx->xc == NULL && !ctx->is_json &&
	    parse_is_json(&ctx->head) == 1)
		ctx->is_json = true;
	if (ctx->xc == NULL && ctx->html == NULL && !ctx->is_json &&
	    parse_is_html(&ctx->head) == 1) {
		ctx->html = parse_html_links_new(ctx->doc_base);
		parse_html_links_push(ctx->html, ctx->head.data,
		    ctx->head.len);
		buf_clear(&ctx->head);
	}
	if (ctx->html != NULL) {
		parse_html_links_finish(ctx->html, ctx->doc);
		ctx->html = NULL;
		parse_set_bozo(ctx, "not-a-feed", "document is a web page, "
		    "not a feed", 0, 0);
	} else if (ctx->is_json) {
		if (!ctx->is_over_cap)
			parse_jsonfeed(ctx->head.data, ctx->head.len,
			    ctx->doc_base, ctx->opt.max_entries, ctx->doc);
		buf_clear(&ctx->head);
		parse_hand_doc_entries(ctx);
	} else {
		if (ctx->xc == NULL)
			parse_start(ctx);
		if (!ctx->is_over_cap)
			parse_feed_bytes(ctx, NULL, 0, true);
	}
	/*
	 * An entry still open (the document ended or was stopped inside
	 * it) is kept as far as it was read.
	 */
	if (ctx->entry != NULL) {
		parse_hand_entry(ctx, ctx->entry);
		ctx->entry = NULL;
		ctx->person = NULL;
	}
	ctx->is_finished = true;
	doc = ctx->doc;

	/* Language: RSS <language>, else xml:lang, else the header. */
	if (doc->language == NULL && ctx->feed_lang != NULL)
		doc->language = xstrdup(ctx->feed_lang);
	if (doc->language == NULL && ctx->opt.content_language != NULL)
		doc->language = xstrdup(ctx->opt.content_language);
	if (doc->encoding == NULL)
		doc->encoding = xstrdup("utf-8");
	/* The syndication module: updateFrequency times per updatePeriod. */
	if (ctx->sy_period > 0)
		doc->update_period = ctx->sy_period / (ctx->sy_frequency > 0 ?
		    ctx->sy_frequency : 1);
	if (doc->format == FEED_FORMAT_NONE && !doc->is_bozo)
		parse_set_bozo(ctx, "not-a-feed",
		    "document is not a feed", 0, 0);
	ctx->doc = NULL;
	while (ctx->nframes > 0)
		parse_pop_frame(ctx);
	return (doc);
}

/*
 * Flag the document bozo, unless it already is: the first problem is
 * the one reported.
 */
static void
parse_set_bozo(struct parse_ctx *ctx, const char *kind, const char *msg,
    int line, int column)
{
	struct feed_doc	*doc = ctx->doc;

	if (doc == NULL || doc->is_bozo)
		return;
	doc->is_bozo = true;
	doc->bozo_kind = xstrdup(kind);
	doc->bozo_message = xstrdup(msg);
	doc->bozo_line = line;
	doc->bozo_column = column;
}

/*
 * Whether the document is JSON (a JSON Feed): its first byte after any
 * UTF-8 BOM and white space is '{'; XML never starts so.  Returns 1 for
 * JSON, 0 for anything else, and -1 while only (part of) a BOM and white
 * space have arrived, so the answer does not depend on the chunking.
 */
static int
parse_is_json(const struct buf *head)
{
	const unsigned char	*p = (const unsigned char *)head->data;
	size_t			 i = 0;

	static const unsigned char bom[] = { 0xef, 0xbb, 0xbf };

	while (i < head->len && i < sizeof bom && p[i] == bom[i])
		i++;
	if (i < sizeof bom) {
		if (i == head->len)
			return (-1);
		i = 0;
	}
	while (i < head->len && (p[i] == ' ' || p[i] == '\t' ||
	    p[i] == '\r' || p[i] == '\n'))
		i++;
	if (i == head->len)
		return (-1);
	return (p[i] == '{');
}

/*
 * Whether the document is a web page rather than a feed: it starts
 * (after a BOM and white space) with an HTML doctype or an <html> tag.
 * Feeds never do, whatever their Content-Type says.  Returns 1 or 0, or
 * -1 while what has arrived could still begin either, so the answer does
 * not depend on the chunking.
 */
static int
parse_is_html(const struct buf *head)
{
	static const char *starts[] = { "<!doctype html", "<html>", "<html " };
	const char	*p = head->data;
	size_t		 n = head->len, i, len;
	int		 ret = 0;

	if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
		p += 3;
		n -= 3;
	}
	while (n > 0 && (*p == ' ' || *p == '\t' || *p == '\r' ||
	    *p == '\n')) {
		p++;
		n--;
	}
	if (n == 0)
		return (-1);
	for (i = 0; i < nitems(starts); i++) {
		len = strlen(starts[i]);
		if (strncasecmp(p, starts[i], n < len ? n : len) != 0)
			continue;
		if (n >= len)
			return (1);
		ret = -1;
	}
	return (ret);
}

/*
 * Whether enough of the document is held back to decide its encoding:
 * four bytes for the BOM, then the whole XML declaration if there is one
 * (up to PARSE_HEAD_MAX bytes).
 */
static bool
parse_head_ready(const struct buf *head)
{
	char		 ascii[PARSE_HEAD_MAX + 1];
	const char	*enc;
	size_t		 n, bomlen;

	if (head->len < 4)
		return (false);
	if (head->len >= PARSE_HEAD_MAX)
		return (true);
	n = parse_head_ascii((const unsigned char *)head->data, head->len,
	    ascii, sizeof ascii, &enc, &bomlen);
	if (n < 5)
		return (strncmp(ascii, "<?xml", n) != 0);
	if (strncmp(ascii, "<?xml", 5) != 0)
		return (true);
	return (strstr(ascii, "?>") != NULL);
}

/*
 * Project the first bytes of the document onto ASCII, undoing UTF-16 or
 * UTF-32 byte layout, so the XML declaration can be read; a non-ASCII
 * code unit becomes '?'.  OUT: *bom names the encoding given by a BOM or
 * by the layout of "<?" (XML 1.0 appendix F), or NULL, and *bomlen the
 * length of the BOM (0 if there is none).  Returns the number of
 * characters written to out (NUL ended).
 */
static size_t
parse_head_ascii(const unsigned char *p, size_t len, char *out,
    size_t outsize, const char **bom, size_t *bomlen)
{
	size_t	 skip = 0, width = 1, i, j, n = 0;
	bool	 is_be = true, is_ascii;

	*bom = NULL;
	if (len >= 4 && memcmp(p, "\x00\x00\xfe\xff", 4) == 0) {
		*bom = "utf-32be"; skip = 4; width = 4;
	} else if (len >= 4 && memcmp(p, "\xff\xfe\x00\x00", 4) == 0) {
		*bom = "utf-32le"; skip = 4; width = 4; is_be = false;
	} else if (len >= 2 && memcmp(p, "\xfe\xff", 2) == 0) {
		*bom = "utf-16be"; skip = 2; width = 2;
	} else if (len >= 2 && memcmp(p, "\xff\xfe", 2) == 0) {
		*bom = "utf-16le"; skip = 2; width = 2; is_be = false;
	} else if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
		*bom = "utf-8"; skip = 3;
	} else if (len >= 4 && memcmp(p, "\x00\x00\x00\x3c", 4) == 0) {
		*bom = "utf-32be"; width = 4;
	} else if (len >= 4 && memcmp(p, "\x3c\x00\x00\x00", 4) == 0) {
		*bom = "utf-32le"; width = 4; is_be = false;
	} else if (len >= 4 && memcmp(p, "\x00\x3c\x00\x3f", 4) == 0) {
		*bom = "utf-16be"; width = 2;
	} else if (len >= 4 && memcmp(p, "\x3c\x00\x3f\x00", 4) == 0) {
		*bom = "utf-16le"; width = 2; is_be = false;
	} else if (len >= 4 && memcmp(p, "\x4c\x6f\xa7\x94", 4) == 0) {
		*bom = "ebcdic";
		*bomlen = 0;
		return (parse_head_ebcdic(p, len, out, outsize));
	}
	*bomlen = skip;
	for (i = skip; i + width <= len && n + 1 < outsize; i += width) {
		is_ascii = true;
		for (j = 0; j < width - 1; j++) {
			if (p[i + (is_be ? j : j + 1)] != 0)
				is_ascii = false;
		}
		j = p[i + (is_be ? width - 1 : 0)];
		out[n++] = (is_ascii && j > 0 && j < 0x80) ? (char)j : '?';
	}
	out[n] = '\0';
	return (n);
}

/*
 * Project the head of an EBCDIC document ("<?xm" in code page 037) onto
 * ASCII with libxml2's converter: the XML declaration is written in the
 * invariant part that every EBCDIC code page shares.
 */
static size_t
parse_head_ebcdic(const unsigned char *p, size_t len, char *out,
    size_t outsize)
{
	xmlCharEncodingHandlerPtr	 h;
	xmlBufferPtr			 in, conv;
	size_t				 n = 0, i;

	out[0] = '\0';
	h = xmlFindCharEncodingHandler("IBM037");
	if (h == NULL)
		return (0);
	in = xmlBufferCreate();
	conv = xmlBufferCreate();
	if (in != NULL && conv != NULL &&
	    xmlBufferAdd(in, p, (int)len) == 0 &&
	    xmlCharEncInFunc(h, conv, in) >= 0) {
		for (i = 0; i < (size_t)xmlBufferLength(conv) &&
		    n + 1 < outsize; i++) {
			out[n] = (char)xmlBufferContent(conv)[i];
			if ((unsigned char)out[n] >= 0x80)
				out[n] = '?';
			n++;
		}
		out[n] = '\0';
	}
	if (in != NULL)
		xmlBufferFree(in);
	if (conv != NULL)
		xmlBufferFree(conv);
	xmlCharEncCloseFunc(h);
	return (n);
}

/*
 * Find a converter for an encoding name as feeds write it: the name
 * itself, then the spelling iconv knows for Python's aliases ("437",
 * "csibm500", "ebcdic_cp_us", "ms-ee", ...).  NULL if none.
 */
static xmlCharEncodingHandlerPtr
parse_find_encoding(const char *name)
{
	static const struct {
		const char	*alias;
		const char	*iconv;
	} aliases[] = {		/* sorted by alias */
		{ "cp_is", "CP861" },
		{ "csmacintosh", "MACINTOSH" },
		{ "cspc775baltic", "CP775" },
		{ "cspc850multilingual", "CP850" },
		{ "cspc862latinhebrew", "CP862" },
		{ "cspc8codepage437", "CP437" },
		{ "cspcp852", "CP852" },
		{ "ibm039", "IBM037" },
		{ "maccentraleurope", "MAC-CENTRALEUROPE" },
		{ "maciceland", "MAC-IS" },
		{ "maclatin2", "MAC-CENTRALEUROPE" },
		{ "macroman", "MACINTOSH" },
		{ "ms-ansi", "CP1252" },
		{ "ms-arab", "CP1256" },
		{ "ms-cyrl", "CP1251" },
		{ "ms-ee", "CP1250" },
		{ "ms-greek", "CP1253" },
		{ "ms-hebr", "CP1255" },
		{ "ms-turk", "CP1254" },
		{ "winbaltrim", "CP1257" },
	};
	xmlCharEncodingHandlerPtr	 h;
	char				 alt[64];
	size_t				 i;

	if ((h = xmlFindCharEncodingHandler(name)) != NULL)
		return (h);
	for (i = 0; i < nitems(aliases); i++) {
		if (strcmp(name, aliases[i].alias) == 0)
			return (xmlFindCharEncodingHandler(aliases[i].iconv));
	}
	if (strlen(name) + 3 >= sizeof alt)
		return (NULL);
	if (strspn(name, "0123456789") == strlen(name)) {
		snprintf(alt, sizeof alt, "CP%s", name);
		return (xmlFindCharEncodingHandler(alt));
	}
	if (strncmp(name, "csibm", 5) == 0) {
		snprintf(alt, sizeof alt, "IBM%s", name + 5);
		return (xmlFindCharEncodingHandler(alt));
	}
	snprintf(alt, sizeof alt, "%s", name);
	for (i = 0; alt[i] != '\0'; i++) {
		if (alt[i] == '_')
			alt[i] = '-';
	}
	return (xmlFindCharEncodingHandler(alt));
}

/*
 * The encoding= of an XML declaration at the start of head (projected
 * to ASCII), lower case; NULL if there is none.
 */
static char *
parse_decl_encoding(const char *head)
{
	const char	*p, *end;
	char		 quote;
	char		*enc;
	size_t		 i;

	if (strncmp(head, "<?xml", 5) != 0)
		return (NULL);
	end = strstr(head, "?>");
	if (end == NULL)
		return (NULL);
	p = strstr(head, "encoding");
	if (p == NULL || p > end)
		return (NULL);
	p += 8;
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	if (*p++ != '=')
		return (NULL);
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	if (*p != '"' && *p != '\'')
		return (NULL);
	quote = *p++;
	for (i = 0; p[i] != '\0' && p[i] != quote && &p[i] < end; i++)
		;
	if (p[i] != quote || i == 0)
		return (NULL);
	enc = xstrndup(p, i);
	for (i = 0; enc[i] != '\0'; i++)
		enc[i] = tolower((unsigned char)enc[i]);
	return (enc);
}

/*
 * The charset= parameter of a Content-Type, lower case, or NULL.  OUT:
 * *cls is the media type class for RFC 3023: 0 none, 1 application XML,
 * 2 text XML, 3 other text, 4 anything else.
 */
static char *
parse_http_charset(const char *ct, int *cls)
{
	const char	*p, *semi;
	char		*type, *cs = NULL;
	size_t		 len, i;

	*cls = 0;
	if (ct == NULL)
		return (NULL);
	semi = strchr(ct, ';');
	len = semi != NULL ? (size_t)(semi - ct) : strlen(ct);
	type = xstrndup(ct, len);
	parse_strip(type);
	for (i = 0; type[i] != '\0'; i++)
		type[i] = tolower((unsigned char)type[i]);
	len = strlen(type);
	if (strcmp(type, "application/xml") == 0 ||
	    strcmp(type, "application/xml-dtd") == 0 ||
	    strcmp(type, "application/xml-external-parsed-entity") == 0 ||
	    (strncmp(type, "application/", 12) == 0 && len > 4 &&
	    strcmp(type + len - 4, "+xml") == 0))
		*cls = 1;
	else if (strcmp(type, "text/xml") == 0 ||
	    strcmp(type, "text/xml-external-parsed-entity") == 0 ||
	    (strncmp(type, "text/", 5) == 0 && len > 4 &&
	    strcmp(type + len - 4, "+xml") == 0))
		*cls = 2;
	else if (strncmp(type, "text/", 5) == 0)
		*cls = 3;
	else
		*cls = 4;
	free(type);

	for (p = semi; p != NULL; p = strchr(p + 1, ';')) {
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncasecmp(p, "charset", 7) != 0) {
			p--;
			continue;
		}
		p += 7;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != '=') {
			p--;
			continue;
		}
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '"' || *p == '\'')
			p++;
		for (len = 0; p[len] != '\0' && p[len] != ';' &&
		    p[len] != '"' && p[len] != '\'' && p[len] != ' '; len++)
			;
		if (len == 0)
			break;
		cs = xstrndup(p, len);
		for (i = 0; cs[i] != '\0'; i++)
			cs[i] = tolower((unsigned char)cs[i]);
		break;
	}
	return (cs);
}

/*
 * The name to decode with and report for encoding enc, given the BOM or
 * byte layout found (layout, may be NULL): UTF-16/32 and their UCS
 * aliases take their byte order from the layout, GB2312 and GBK are read
 * as their superset GB18030.
 */
static char *
parse_norm_encoding(const char *enc, const char *layout)
{
	static const char	*u16[] = {
		"utf-16", "utf16", "utf_16", "u16", "ucs-2", "ucs2",
		"iso-10646-ucs-2", "csunicode"
	};
	static const char	*u32[] = {
		"utf-32", "utf32", "utf_32", "u32", "ucs-4", "ucs4",
		"iso-10646-ucs-4", "csucs4"
	};
	size_t			 i;
	bool			 is_le;

	is_le = layout != NULL && strstr(layout, "le") != NULL;
	for (i = 0; i < nitems(u16); i++) {
		if (strcmp(enc, u16[i]) == 0)
			return (xstrdup(is_le ? "utf-16le" : "utf-16be"));
	}
	for (i = 0; i < nitems(u32); i++) {
		if (strcmp(enc, u32[i]) == 0)
			return (xstrdup(is_le ? "utf-32le" : "utf-32be"));
	}
	if (strcmp(enc, "utf8") == 0)
		return (xstrdup("utf-8"));
	if (strcmp(enc, "gb2312") == 0 || strcmp(enc, "gbk") == 0)
		return (xstrdup("gb18030"));
	return (xstrdup(enc));
}

/*
 * Decide the encoding (RFC 3023, as PARSE_JSON.md "Encoding" sets out),
 * create the push parser with it forced, and push the held-back bytes.
 */
static void
parse_start(struct parse_ctx *ctx)
{
	xmlSAXHandler			 sax;
	xmlCharEncodingHandlerPtr	 handler = NULL;
	char				 ascii[PARSE_HEAD_MAX + 1];
	const char			*layout, *want;
	char				*decl, *http, *enc = NULL, *msg;
	size_t				 skip = 0, len;
	int				 cls, options;

	len = ctx->head.len < PARSE_HEAD_MAX ? ctx->head.len : PARSE_HEAD_MAX;
	parse_head_ascii((const unsigned char *)ctx->head.data, len, ascii,
	    sizeof ascii, &layout, &skip);
	decl = parse_decl_encoding(ascii);
	http = parse_http_charset(ctx->opt.content_type, &cls);

	/* A BOM wins; then RFC 3023 by media type class. */
	if (skip > 0)
		want = layout;
	else if ((cls == 2 || cls == 3) && http == NULL)
		want = "us-ascii";
	else if (cls != 0 && http != NULL)
		want = http;
	else if (decl != NULL)
		want = decl;
	else if (layout != NULL && strcmp(layout, "ebcdic") != 0)
		want = layout;
	else if (layout != NULL)
		want = "cp037";
	else
		want = "utf-8";
	if (cls == 3 || cls == 4) {
		xasprintf(&msg, "%s is not an XML media type",
		    ctx->opt.content_type);
		parse_set_bozo(ctx, "non-xml-content-type", msg, 0, 0);
		free(msg);
	}
	enc = parse_norm_encoding(want, layout);

	/*
	 * us-ascii is what text/xml without a charset means, but feeds so
	 * served are rarely ASCII: decode with what the document declares
	 * and flag it once a byte above 0x7f shows up.
	 */
	if (strcmp(enc, "us-ascii") == 0 || strcmp(enc, "ascii") == 0) {
		ctx->check_ascii = true;
		ctx->ascii_fallback = parse_norm_encoding(decl != NULL ? decl :
		    "utf-8", layout);
		handler = parse_find_encoding(ctx->ascii_fallback);
		if (handler == NULL) {
			free(ctx->ascii_fallback);
			ctx->ascii_fallback = xstrdup("utf-8");
		}
	}
	if (handler == NULL)
		handler = parse_find_encoding(enc);
	if (handler == NULL) {
		/* Unknown name: try the declaration, then UTF-8. */
		xasprintf(&msg, "document declared as %s, but parsed as %s",
		    enc, decl != NULL ? decl : "utf-8");
		free(enc);
		enc = parse_norm_encoding(decl != NULL ? decl : "utf-8",
		    layout);
		handler = parse_find_encoding(enc);
		if (handler == NULL) {
			free(enc);
			enc = xstrdup("utf-8");
			handler = parse_find_encoding(enc);
		}
		parse_set_bozo(ctx, "encoding-override", msg, 0, 0);
		free(msg);
	}
	ctx->doc->encoding = enc;
	/* A text/xml document in us-ascii is decoded with its fallback. */
	ctx->is_utf8 = strcmp(ctx->check_ascii ? ctx->ascii_fallback : enc,
	    "utf-8") == 0;
	/*
	 * Python's codec names "437" or "855" are not XML encoding names,
	 * and libxml2 would flag the declaration ill-formed although the
	 * encoding is forced: make the name's first letter one.  Only in an
	 * ASCII layout, where the head is the declaration as written.
	 */
	if (decl != NULL && !isalpha((unsigned char)decl[0]) &&
	    layout == NULL)
		parse_patch_decl(&ctx->head);
	free(decl);
	free(http);

	/*
	 * SAX2 with the default handlers for the DTD, so internal entities
	 * work, but none that load anything, build nodes or print.
	 */
	memset(&sax, 0, sizeof sax);
	xmlSAXVersion(&sax, 2);
	sax.startElementNs = parse_sax_start;
	sax.endElementNs = parse_sax_end;
	sax.characters = parse_sax_chars;
	sax.ignorableWhitespace = parse_sax_chars;
	sax.cdataBlock = parse_sax_chars;
	sax.getEntity = parse_sax_entity;
	sax.internalSubset = parse_sax_subset;
	sax.externalSubset = NULL;
	sax.resolveEntity = parse_sax_resolve;
	sax.reference = NULL;
	sax.comment = NULL;
	sax.processingInstruction = NULL;
	sax.warning = NULL;
	sax.error = NULL;
	sax.fatalError = NULL;
	sax.serror = parse_sax_error;

	ctx->xc = xmlCreatePushParserCtxt(&sax, NULL, NULL, 0, NULL);
	if (ctx->xc == NULL) {
		if (handler != NULL)
			xmlCharEncCloseFunc(handler);
		parse_set_bozo(ctx, "internal", "cannot create XML parser",
		    0, 0);
		ctx->is_finished = true;
		return;
	}
	ctx->xc->_private = ctx;
	/* No NOENT, DTDLOAD or HUGE: nothing external, bounded expansion. */
	options = XML_PARSE_RECOVER | XML_PARSE_NONET | XML_PARSE_IGNORE_ENC;
	xmlCtxtUseOptions(ctx->xc, options);
	if (handler != NULL)
		xmlSwitchToEncoding(ctx->xc, handler);

	parse_feed_bytes(ctx, ctx->head.data + skip,
	    ctx->head.len > skip ? ctx->head.len - skip : 0, false);
	buf_clear(&ctx->head);
}

/* Replace the first character of the declared encoding name by 'x'. */
static void
parse_patch_decl(struct buf *head)
{
	char	*p, *end;

	end = memmem(head->data, head->len, "?>", 2);
	if (end == NULL)
		return;
	p = memmem(head->data, end - head->data, "encoding", 8);
	if (p == NULL)
		return;
	for (p += 8; p < end && *p != '"' && *p != '\''; p++)
		;
	if (p + 1 < end)
		p[1] = 'x';
}

/* Hand bytes to libxml2, in pieces that fit its int length. */
static void
parse_feed_bytes(struct parse_ctx *ctx, const char *data, size_t len,
    bool is_last)
{
	size_t	 i;
	char	*msg;

	if (ctx->xc == NULL || ctx->is_stopped)
		return;
	ctx->nin += len;
	if (ctx->check_ascii) {
		for (i = 0; i < len; i++) {
			if ((unsigned char)data[i] < 0x80)
				continue;
			xasprintf(&msg, "document declared as us-ascii, "
			    "but parsed as %s", ctx->ascii_fallback);
			parse_set_bozo(ctx, "encoding-override", msg, 0, 0);
			free(msg);
			free(ctx->doc->encoding);
			ctx->doc->encoding = xstrdup(ctx->ascii_fallback);
			ctx->check_ascii = false;
			break;
		}
	}
	if (ctx->is_utf8)
		parse_feed_utf8(ctx, data, len, is_last);
	else
		parse_chunk(ctx, data, len, is_last);
}

/* Call xmlParseChunk, in pieces that fit its int length. */
static void
parse_chunk(struct parse_ctx *ctx, const char *data, size_t len,
    bool is_last)
{
	size_t	 n;

	do {
		n = len > INT_MAX / 2 ? INT_MAX / 2 : len;
		xmlParseChunk(ctx->xc, data, (int)n, is_last && n == len);
		data += n;
		len -= n;
	} while (len > 0 && !ctx->is_over_cap && !ctx->is_stopped);
}

/*
 * Bytes of a document decoded as UTF-8.  A byte that is not part of a
 * valid sequence is read as Windows-1252, the usual truth behind a feed
 * declared UTF-8 (or undeclared) but written by a Windows tool, and the
 * document is flagged; libxml2 would stop or put U+FFFD there instead.
 * A sequence split between two chunks is held back until the next one,
 * so the result does not depend on the chunking.
 */
static void
parse_feed_utf8(struct parse_ctx *ctx, const char *data, size_t len,
    bool is_last)
{
	const unsigned char	*p;
	struct buf		 joined;
	size_t			 i = 0, start = 0;
	int			 n;

	buf_init(&joined);
	if (ctx->ncarry > 0) {
		buf_add(&joined, ctx->carry, ctx->ncarry);
		buf_add(&joined, data, len);
		data = joined.data;
		len = joined.len;
		ctx->ncarry = 0;
	}
	p = (const unsigned char *)data;
	while (i < len && !ctx->is_stopped) {
		if (p[i] < 0x80) {
			i += parse_ascii_span(p + i, len - i);
			continue;
		}
		n = parse_utf8_len(p + i, len - i, NULL);
		if (n > 0) {
			i += (size_t)n;
			continue;
		}
		if (n < 0 && !is_last) {
			/* Wait for the rest of the sequence. */
			memcpy(ctx->carry, p + i, len - i);
			ctx->ncarry = len - i;
			len = i;
			break;
		}
		parse_chunk(ctx, data + start, i - start, false);
		parse_feed_cp1252(ctx, p[i]);
		start = ++i;
	}
	if (len == 0)
		parse_chunk(ctx, data, 0, is_last);
	else if (!ctx->is_stopped)
		parse_chunk(ctx, data + start, len - start, is_last);
	buf_clear(&joined);
}

/* Push one byte as the Windows-1252 character it stands for. */
static void
parse_feed_cp1252(struct parse_ctx *ctx, unsigned char byte)
{
	/* Windows-1252 0x80 to 0x9f; U+FFFD where it has no character. */
	static const unsigned short cp1252[32] = {
		0x20ac, 0xfffd, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
		0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0xfffd, 0x017d, 0xfffd,
		0xfffd, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
		0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0xfffd, 0x017e, 0x0178
	};
	unsigned int	 c = byte < 0xa0 ? cp1252[byte - 0x80] : byte;
	struct buf	 out;

	parse_set_bozo(ctx, "encoding-override", "document declared as "
	    "utf-8 has bytes that are not UTF-8; they were read as "
	    "windows-1252", 0, 0);
	buf_init(&out);
	util_utf8_add(&out, c);
	parse_chunk(ctx, out.data, out.len, false);
	buf_clear(&out);
}

/*
 * The structured error handler: the first error (not warning) makes the
 * document bozo.  libxml2 never prints anything itself.
 */
static void
parse_sax_error(void *uctx, xmlErrorPtr err)
{
	xmlParserCtxtPtr	 xc = uctx;
	struct parse_ctx	*ctx;
	const char		*kind = "not-well-formed";
	char			*msg;

	if (xc == NULL || err == NULL || err->level < XML_ERR_ERROR)
		return;
	/*
	 * The encoding is forced, so the declaration's name does not
	 * matter: "437" or "855" are not XML names, but Python's codecs.
	 */
	if (err->code == XML_ERR_ENCODING_NAME)
		return;
	ctx = xc->_private;
	if (ctx == NULL)
		return;
	if (err->domain == XML_FROM_NAMESPACE &&
	    err->code == XML_NS_ERR_UNDEFINED_NAMESPACE)
		kind = "undeclared-namespace";
	else if (err->domain == XML_FROM_I18N ||
	    err->code == XML_ERR_UNSUPPORTED_ENCODING)
		kind = "encoding-unknown";
	msg = xstrdup(err->message != NULL ? err->message : "XML error");
	parse_strip(msg);
	parse_set_bozo(ctx, kind, msg, err->line, err->int2);
	free(msg);
}

/*
 * SAX: an external entity or DTD would be read here; it never is (no
 * file, no network: XXE).
 */
static xmlParserInputPtr
parse_sax_resolve(void *uctx, const xmlChar *pubid, const xmlChar *sysid)
{
	(void)uctx;
	(void)pubid;
	(void)sysid;
	return (NULL);
}

/* The external entity loader: refuses everything. */
static xmlParserInputPtr
parse_deny_loader(const char *url, const char *id, xmlParserCtxtPtr xc)
{
	(void)url;
	(void)id;
	(void)xc;
	return (NULL);
}

/*
 * Look up an entity: those declared in the document first, then, as
 * feedparser does, the HTML 4 entities (&nbsp;, &hellip;) that feeds use
 * without declaring.  Those are kept in a private document so that they
 * are freed with the context.
 */
static xmlEntityPtr
parse_sax_entity(void *uctx, const xmlChar *name)
{
	xmlParserCtxtPtr	 xc = uctx;
	struct parse_ctx	*ctx = xc->_private;
	const htmlEntityDesc	*hd;
	xmlEntityPtr		 ent;
	xmlChar			 utf8[8];
	int			 n;

	ent = xmlSAX2GetEntity(xc, name);
	if (ent != NULL)
		return (ent);
	/* One handed out before: htmlEntityLookup searches linearly. */
	if (ctx->entdoc != NULL &&
	    (ent = xmlGetDocEntity(ctx->entdoc, name)) != NULL)
		return (ent);
	hd = htmlEntityLookup(name);
	if (hd == NULL)
		return (NULL);
	if (ctx->entdoc == NULL) {
		ctx->entdoc = xmlNewDoc(BAD_CAST "1.0");
		if (ctx->entdoc == NULL)
			return (NULL);
		if (xmlCreateIntSubset(ctx->entdoc, BAD_CAST "html", NULL,
		    NULL) == NULL)
			return (NULL);
	}
	n = xmlCopyCharMultiByte(utf8, (int)hd->value);
	if (n <= 0)
		return (NULL);
	utf8[n] = '\0';
	return (xmlAddDocEntity(ctx->entdoc, name,
	    XML_INTERNAL_GENERAL_ENTITY, NULL, NULL, utf8));
}

/*
 * The DOCTYPE: keep libxml2's handling (it records internal entity
 * declarations) and note a Netscape RSS 0.91 DOCTYPE, which is what tells
 * rss091n from rss091u.
 */
static void
parse_sax_subset(void *uctx, const xmlChar *name, const xmlChar *eid,
    const xmlChar *sid)
{
	xmlParserCtxtPtr	 xc = uctx;
	struct parse_ctx	*ctx = xc->_private;

	if ((eid != NULL && strcasestr((const char *)eid, "netscape")) ||
	    (sid != NULL && strcasestr((const char *)sid, "netscape")))
		ctx->is_netscape = true;
	xmlSAX2InternalSubset(uctx, name, eid, sid);
}

/* Find a namespace URI in parse_nsmaps. */
static int
parse_nsmap_cmp(const void *key, const void *elem)
{
	return (strcasecmp(key, ((const struct parse_nsmap *)elem)->uri));
}

/* What a namespace URI is to us; never NULL. */
static const struct parse_nsmap *
parse_ns_lookup(const xmlChar *uri)
{
	const struct parse_nsmap	*m;

	if (uri == NULL || *uri == '\0')
		return (&parse_ns_none);
	m = bsearch(uri, parse_nsmaps, nitems(parse_nsmaps),
	    sizeof parse_nsmaps[0], parse_nsmap_cmp);
	if (m != NULL)
		return (m);
	/* feedparser: any backend.userland.com namespace is RSS. */
	if (strcasestr((const char *)uri, "backend.userland.com/rss") != NULL)
		return (bsearch("http://backend.userland.com/rss",
		    parse_nsmaps, nitems(parse_nsmaps), sizeof parse_nsmaps[0],
		    parse_nsmap_cmp));
	return (&parse_ns_other);
}

/*
 * parse_ns_lookup for element and attribute namespaces, which are few
 * in a document and looked up for every element: the last few are
 * remembered by the pointer libxml2 passes (the same string from its
 * dictionary each time) and checked against a copy, which costs less
 * than the case-insensitive search.
 */
static const struct parse_nsmap *
parse_ns_cached(struct parse_ctx *ctx, const xmlChar *uri)
{
	struct parse_ns_seen	*seen;
	size_t			 i;

	if (uri == NULL || *uri == '\0')
		return (parse_ns_lookup(uri));
	for (i = 0; i < PARSE_NS_CACHE; i++) {
		seen = &ctx->ns_seen[i];
		if (seen->ptr == uri &&
		    strcmp(seen->uri, (const char *)uri) == 0)
			return (seen->map);
	}
	seen = &ctx->ns_seen[ctx->ns_next++ % PARSE_NS_CACHE];
	free(seen->uri);
	seen->ptr = uri;
	seen->uri = xstrdup((const char *)uri);
	seen->map = parse_ns_lookup(uri);
	return (seen->map);
}

/* Key for parse_elem_lookup. */
struct parse_elem_key {
	enum parse_ns	 ns;
	const char	*name;
};

/* Compare a key with a row of parse_elems. */
static int
parse_elem_cmp(const void *key, const void *elem)
{
	const struct parse_elem_key	*k = key;
	const struct parse_elem		*e = elem;

	if (k->ns != e->ns)
		return (k->ns < e->ns ? -1 : 1);
	return (parse_name_cmp(k->name, e->name));
}

/* The row of parse_elems for an element, or NULL. */
static const struct parse_elem *
parse_elem_lookup(enum parse_ns ns, const char *name)
{
	struct parse_elem_key	 key = { ns, name };

	return (bsearch(&key, parse_elems, nitems(parse_elems),
	    sizeof parse_elems[0], parse_elem_cmp));
}

/*
 * The value of attribute name in namespace ns (PARSE_NS_CORE: no
 * namespace) as a new string, or NULL.  With entity substitution off,
 * libxml2 leaves "&#38;" and references to declared entities in
 * attribute values, so they are decoded here.
 */
static char *
parse_attr(xmlParserCtxtPtr xc, const xmlChar **attrs, int nattrs,
    enum parse_ns ns, const char *name)
{
	int		 i;

	for (i = 0; i < nattrs; i++, attrs += 5) {
		if (parse_name_cmp((const char *)attrs[0], name) != 0)
			continue;
		if (parse_ns_lookup(attrs[2])->ns != ns)
			continue;
		return (parse_attr_value(xc, attrs[3], attrs[4]));
	}
	return (NULL);
}

/* An attribute value from value to end, its references decoded. */
static char *
parse_attr_value(xmlParserCtxtPtr xc, const xmlChar *value,
    const xmlChar *end)
{
	xmlChar		*dec;
	char		*s;

	if (memchr(value, '&', end - value) == NULL)
		return (xstrndup((const char *)value, end - value));
	dec = xmlStringLenDecodeEntities(xc, value, (int)(end - value),
	    XML_SUBSTITUTE_REF, 0, 0, 0);
	if (dec == NULL)
		return (xstrndup((const char *)value, end - value));
	s = xstrdup((const char *)dec);
	xmlFree(dec);
	return (s);
}

/* Resolve ref against base, feedparser's way (parse-url.c). */
static char *
parse_resolve(const char *base, const char *ref)
{
	return (parse_url_resolve(base, ref, false));
}

/* Push a frame inheriting lang and base from its parent. */
static struct parse_frame *
parse_push_frame(struct parse_ctx *ctx)
{
	struct parse_frame	*f;

	if (ctx->nframes == ctx->framesize) {
		ctx->framesize = ctx->framesize == 0 ? 16 : ctx->framesize * 2;
		ctx->frames = xreallocarray(ctx->frames, ctx->framesize,
		    sizeof *ctx->frames);
	}
	f = &ctx->frames[ctx->nframes++];
	memset(f, 0, sizeof *f);
	if (ctx->nframes > 1) {
		f->lang = f[-1].lang;
		f->base = f[-1].base;
	} else
		f->base = ctx->doc_base;
	f->text_off = ctx->text.len;
	return (f);
}

/* Pop the innermost frame. */
static void
parse_pop_frame(struct parse_ctx *ctx)
{
	struct parse_frame	*f;

	if (ctx->nframes == 0)
		return;
	f = &ctx->frames[--ctx->nframes];
	free(f->own_lang);
	free(f->own_base);
	free(f->ext_key);
	f->own_lang = f->own_base = f->ext_key = NULL;
}

/* Whether c is ASCII white space, as isspace in the C locale. */
static bool
parse_is_space(int c)
{
	return (c == ' ' || (c >= '\t' && c <= '\r'));
}

/*
 * Take the text an element collected (from its text_off) as a new
 * trimmed string, and drop it from the shared buffer so the parent's own
 * text continues where it was.
 */
static char *
parse_take_text(struct parse_ctx *ctx, struct parse_frame *f)
{
	const char	*p, *end;
	char		*s;

	if (ctx->text.len <= f->text_off)
		return (xstrdup(""));
	p = ctx->text.data + f->text_off;
	end = ctx->text.data + ctx->text.len;
	while (p < end && parse_is_space((unsigned char)*p))
		p++;
	while (end > p && parse_is_space((unsigned char)end[-1]))
		end--;
	s = parse_fix_text(ctx, p, end - p);
	ctx->text.len = f->text_off;
	ctx->text.data[f->text_off] = '\0';
	return (s);
}

/*
 * What feedparser does to every element's text: in a UTF-8 document,
 * text that is UTF-8 read as ISO-8859-1 and encoded again is decoded
 * once more (encoding/double-encoded-html); then the C1 controls
 * U+0080 to U+009F become the Windows-1252 characters they stand for
 * (encoding/demoronize-*).  Returns the len bytes at src so fixed, as a
 * new string.  One scan decides both, from the first byte above 0x7f
 * on, and ASCII runs go eight bytes at a time: most text is copied once.
 */
static char *
parse_fix_text(struct parse_ctx *ctx, const char *src, size_t len)
{
	/* Windows-1252 0x80 to 0x9f; 0 where it has no character. */
	static const unsigned short cp1252[32] = {
		0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
		0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
		0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
		0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178
	};
	const unsigned char	*s = (const unsigned char *)src;
	const unsigned char	*p, *end = s + len;
	unsigned char		*out, *q;
	unsigned int		 c;
	size_t			 i, nc1 = 0;
	bool			 is_latin1;

	i = parse_ascii_span(s, len);
	if (i == len) {
		out = xmalloc(len + 1);
		memcpy(out, s, len);
		out[len] = '\0';
		return ((char *)out);
	}
	/* Double encoding is only looked for in a UTF-8 document. */
	is_latin1 = ctx->doc != NULL && ctx->doc->encoding != NULL &&
	    strcmp(ctx->doc->encoding, "utf-8") == 0;
	/*
	 * Every 0xc2 is looked at as a lead byte here (a skipped byte is a
	 * continuation byte, never 0xc2), so C1 characters are counted too.
	 * Once the text is known not to be all Latin-1, only the C1
	 * characters are counted, from one 0xc2 to the next.
	 */
	for (p = s + i; p < end && is_latin1; p++) {
		if (*p < 0x80) {
			p += parse_ascii_span(p, end - p) - 1;
			continue;
		}
		if (*p == 0xc2 && p + 1 < end && p[1] >= 0x80 &&
		    p[1] <= 0x9f && cp1252[p[1] - 0x80] != 0)
			nc1++;
		if ((*p != 0xc2 && *p != 0xc3) || p + 1 == end ||
		    (p[1] & 0xc0) != 0x80)
			is_latin1 = false;
		else
			p++;
	}
	if (!is_latin1 && p < end) {
		while ((p = memchr(p, 0xc2, end - p)) != NULL) {
			if (p + 1 < end && p[1] >= 0x80 && p[1] <= 0x9f &&
			    cp1252[p[1] - 0x80] != 0)
				nc1++;
			if (++p == end)
				break;
		}
	}

	/* All of it is U+0000 to U+00FF: is it UTF-8 as bytes? */
	if (is_latin1) {
		out = xmalloc(len + 1);
		memcpy(out, s, i);
		for (p = s + i, q = out + i; p < end; p++, q++) {
			if (*p >= 0x80) {
				*q = (unsigned char)(((p[0] & 0x03) << 6) |
				    (p[1] & 0x3f));
				p++;
			} else
				*q = *p;
		}
		*q = '\0';
		if (parse_is_utf8((char *)out, q - out))
			return ((char *)out);
		/* Not UTF-8: the text stays as it was. */
		free(out);
	}

	/* Each C1 character grows by one byte (two bytes become three). */
	out = xmalloc(len + nc1 + 1);
	if (nc1 == 0) {
		memcpy(out, s, len);
		out[len] = '\0';
		return ((char *)out);
	}
	q = out;
	for (p = s; p < end; p++) {
		if (p[0] == 0xc2 && p + 1 < end && p[1] >= 0x80 &&
		    p[1] <= 0x9f && (c = cp1252[p[1] - 0x80]) != 0) {
			*q++ = (unsigned char)(0xe0 | (c >> 12));
			*q++ = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
			*q++ = (unsigned char)(0x80 | (c & 0x3f));
			p++;
		} else
			*q++ = *p;
	}
	*q = '\0';
	return ((char *)out);
}

/* Whether the len bytes at s are valid UTF-8 (RFC 3629). */
static bool
parse_is_utf8(const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n;
	int			 k;

	while (len > 0) {
		n = parse_ascii_span(p, len);
		p += n;
		len -= n;
		if (len == 0)
			break;
		if ((k = parse_utf8_len(p, len, NULL)) <= 0)
			return (false);
		p += k;
		len -= (size_t)k;
	}
	return (true);
}

/* Trim white space from both ends of s, in place, and return s. */
static char *
parse_strip(char *s)
{
	char	*t;

	t = util_trim(s);
	if (t != s)
		memmove(s, t, strlen(t) + 1);
	return (s);
}

/* Replace *dst by src (owned), freeing the old value; "" means NULL. */
static void
parse_set_str(char **dst, char *src)
{
	free(*dst);
	if (src != NULL && *src == '\0') {
		free(src);
		src = NULL;
	}
	*dst = src;
}

/* Set a date from its raw text (owned); the last one seen wins. */
static void
parse_set_date(struct feed_date *d, char *raw)
{
	feed_date_clear(d);
	if (*raw == '\0') {
		free(raw);
		return;
	}
	d->raw = raw;
	d->is_valid = parse_date(raw, &d->utc) == 0;
}

/*
 * Fill a person from free text (RSS author, dc:creator): keep it as raw,
 * and take an e-mail address out of it the way feedparser does, leaving
 * the name ("jane@example.org (Jane Doe)", "Jane Doe <jane@...>").
 */
static void
parse_person_raw(struct feed_person *p, const char *raw)
{
	const char	*at, *s, *e;
	char		*name, *q;
	size_t		 len;

	p->raw = xstrdup(raw);
	at = strchr(raw, '@');
	s = e = at;
	if (at != NULL) {
		while (s > raw && (isalnum((unsigned char)s[-1]) ||
		    strchr("_-.+", s[-1]) != NULL))
			s--;
		e = at + 1;
		while (isalnum((unsigned char)*e) || *e == '-' || *e == '.')
			e++;
		while (e > at + 1 && e[-1] == '.')
			e--;
		if (s == at || memchr(at + 1, '.', e - at - 1) == NULL)
			at = NULL;
	}
	if (at == NULL) {
		p->name = xstrdup(raw);
		parse_strip(p->name);
		return;
	}
	if (strncmp(e, "?subject=", 9) == 0) {
		e += 9;
		while (*e != '\0' && !isspace((unsigned char)*e))
			e++;
	}
	p->email = xstrndup(s, e - s);

	/* The rest, less the address, its brackets and parentheses. */
	len = strlen(raw);
	name = xmalloc(len + 1);
	memcpy(name, raw, s - raw);
	strcpy(name + (s - raw), e);
	while ((q = strstr(name, "()")) != NULL || (q = strstr(name, "<>"))
	    != NULL)
		memmove(q, q + 2, strlen(q + 2) + 1);
	parse_strip(name);
	len = strlen(name);
	if (len > 0 && name[len - 1] == ')')
		name[--len] = '\0';
	if (name[0] == '(')
		memmove(name, name + 1, len--);
	q = xstrdup(parse_strip(name));
	free(name);
	if (*q != '\0')
		p->name = q;
	else
		free(q);
}

/* SAX: start of an element. */
static void
parse_sax_start(void *uctx, const xmlChar *local, const xmlChar *prefix,
    const xmlChar *uri, int nns, const xmlChar **nss, int nattrs,
    int ndefaulted, const xmlChar **attrs)
{
	xmlParserCtxtPtr		 xc = uctx;
	struct parse_ctx		*ctx = xc->_private;
	const struct parse_nsmap	*m = parse_ns_cached(ctx, uri);
	const struct parse_elem		*el;
	struct parse_frame		*f, *parent;
	struct feed_doc			*doc = ctx->doc;
	enum parse_kind			 pkind;
	char				*v, *b;
	const char			*name = (const char *)local;

	(void)ndefaulted;
	if (ctx->is_over_cap || ctx->is_stopped)
		return;
	if (ctx->nframes >= PARSE_DEPTH_MAX) {
		parse_stop(ctx, "too-deep", "elements nested too deep");
		return;
	}
	/* The push may move the frames: parent is taken after it. */
	f = parse_push_frame(ctx);
	parent = ctx->nframes > 1 ? f - 1 : NULL;

	/* xml:lang and xml:base apply to the element itself. */
	if ((v = parse_attr(xc, attrs, nattrs, PARSE_NS_XML, "lang")) != NULL) {
		for (b = v; *b != '\0'; b++) {
			if (*b == '_')
				*b = '-';
		}
		f->own_lang = v;
		f->lang = *v != '\0' ? v : NULL;
	}
	if ((v = parse_attr(xc, attrs, nattrs, PARSE_NS_XML, "base")) != NULL) {
		b = parse_resolve(f->base, v);
		free(v);
		if (b != NULL) {
			f->own_base = b;
			f->base = b;
		}
	}

	pkind = parent != NULL ? parent->kind : PARSE_K_OTHER;
	if (pkind == PARSE_K_TEXT || pkind == PARSE_K_MARKUP ||
	    pkind == PARSE_K_SKIP) {
		parse_start_markup(ctx, f, local, prefix, m, xc, attrs, nattrs);
		return;
	}
	if (parent == NULL) {
		parse_root(ctx, f, local, m, nns, nss, xc, attrs, nattrs);
		if (f->kind == PARSE_K_FEED && f->lang != NULL)
			ctx->feed_lang = xstrdup(f->lang);
		return;
	}

	/* A channel inside the root; entries inside it or the root. */
	if (m->ns == PARSE_NS_CORE && strcmp(name, "channel") == 0 &&
	    pkind == PARSE_K_ROOT) {
		f->kind = PARSE_K_FEED;
		if (f->lang != NULL && ctx->feed_lang == NULL)
			ctx->feed_lang = xstrdup(f->lang);
		if (m->core == PARSE_CORE_RSS090)
			doc->format = FEED_FORMAT_RSS090;
		else if (m->core == PARSE_CORE_RSS10)
			doc->format = FEED_FORMAT_RSS10;
		return;
	}
	if (m->ns == PARSE_NS_CORE && (strcmp(name, "item") == 0 ||
	    strcmp(name, "entry") == 0) &&
	    (pkind == PARSE_K_FEED || pkind == PARSE_K_ROOT)) {
		if (ctx->opt.max_entries != 0 &&
		    ctx->nentries >= ctx->opt.max_entries) {
			ctx->is_over_cap = true;
			xmlStopParser(xc);
			return;
		}
		f->kind = PARSE_K_ENTRY;
		ctx->nentries++;
		ctx->entry = &ctx->open_entry;
		if (m->core == PARSE_CORE_RSS10 &&
		    doc->format == FEED_FORMAT_NONE)
			doc->format = FEED_FORMAT_RSS10;
		v = parse_attr(xc, attrs, nattrs, PARSE_NS_RDF, "about");
		if (v != NULL)
			parse_set_str(&ctx->entry->id, v);
		return;
	}

	el = parse_elem_lookup(m->ns, name);
	if (el != NULL) {
		switch (pkind) {
		case PARSE_K_ROOT:
		case PARSE_K_FEED:
		case PARSE_K_SOURCE:
			f->field = el->feed;
			break;
		case PARSE_K_ENTRY:
			f->field = el->entry;
			break;
		case PARSE_K_PERSON:
			f->field = el->person;
			break;
		case PARSE_K_IMAGE:
			f->field = el->image;
			break;
		case PARSE_K_TEXTINPUT:
			f->field = el->textinput;
			break;
		case PARSE_K_SKIPLIST:
			f->field = el->skip;
			break;
		default:
			break;
		}
	}
	if (f->field != PARSE_F_NONE) {
		parse_start_field(ctx, f, xc, attrs, nattrs);
		return;
	}
	/* Unknown elements of a feed, entry or source go to its ext. */
	if (el == NULL && (pkind == PARSE_K_ROOT || pkind == PARSE_K_FEED ||
	    pkind == PARSE_K_ENTRY || pkind == PARSE_K_SOURCE ||
	    pkind == PARSE_K_EXT))
		parse_start_ext(ctx, f, local, prefix, m, attrs, nattrs);
}

/*
 * The root element decides the format: <rss version=>, <rdf:RDF> (the
 * version comes from the channel's namespace), Atom <feed>.
 */
static void
parse_root(struct parse_ctx *ctx, struct parse_frame *f, const xmlChar *local,
    const struct parse_nsmap *m, int nns, const xmlChar **nss,
    xmlParserCtxtPtr xc, const xmlChar **attrs, int nattrs)
{
	struct feed_doc	*doc = ctx->doc;
	const char	*name = (const char *)local;
	enum parse_core	 core;
	char		*v;
	int		 i;

	if (m->ns == PARSE_NS_CORE && strcmp(name, "rss") == 0) {
		f->kind = PARSE_K_ROOT;
		v = parse_attr(xc, attrs, nattrs, PARSE_NS_CORE, "version");
		if (ctx->is_netscape)
			doc->format = FEED_FORMAT_RSS091N;
		else if (v == NULL)
			doc->format = FEED_FORMAT_RSS;
		else if (strcmp(v, "0.91") == 0)
			doc->format = FEED_FORMAT_RSS091U;
		else if (strcmp(v, "0.92") == 0)
			doc->format = FEED_FORMAT_RSS092;
		else if (strcmp(v, "0.93") == 0)
			doc->format = FEED_FORMAT_RSS093;
		else if (strcmp(v, "0.94") == 0)
			doc->format = FEED_FORMAT_RSS094;
		else if (strncmp(v, "2.", 2) == 0)
			doc->format = FEED_FORMAT_RSS20;
		else
			doc->format = FEED_FORMAT_RSS;
		free(v);
	} else if (m->ns == PARSE_NS_RDF && strcmp(name, "RDF") == 0) {
		/*
		 * RSS 0.90 or 1.0 by the namespaces declared here, as
		 * feedparser does; a channel or item may still say.
		 */
		f->kind = PARSE_K_ROOT;
		for (i = 0; i < nns; i++) {
			core = parse_ns_lookup(nss[2 * i + 1])->core;
			if (core == PARSE_CORE_RSS10)
				doc->format = FEED_FORMAT_RSS10;
			else if (core == PARSE_CORE_RSS090 &&
			    doc->format == FEED_FORMAT_NONE)
				doc->format = FEED_FORMAT_RSS090;
		}
	} else if (m->ns == PARSE_NS_CORE && strcmp(name, "feed") == 0) {
		f->kind = PARSE_K_FEED;
		ctx->is_atom = true;
		v = parse_attr(xc, attrs, nattrs, PARSE_NS_CORE, "version");
		if (m->core == PARSE_CORE_ATOM10)
			doc->format = FEED_FORMAT_ATOM10;
		else if (v != NULL && strcmp(v, "0.1") == 0)
			doc->format = FEED_FORMAT_ATOM01;
		else if (v != NULL && strcmp(v, "0.2") == 0)
			doc->format = FEED_FORMAT_ATOM02;
		else if (v != NULL && strcmp(v, "0.3") == 0)
			doc->format = FEED_FORMAT_ATOM03;
		else
			doc->format = FEED_FORMAT_ATOM;
		free(v);
	} else if (m->ns == PARSE_NS_CORE && strcmp(name, "channel") == 0) {
		f->kind = PARSE_K_FEED;
		doc->format = FEED_FORMAT_RSS;
	}
}

/*
 * The fields of the holder whose frame kind is kind (PARSE_K_FEED,
 * PARSE_K_ROOT, PARSE_K_ENTRY or PARSE_K_SOURCE).  OUT: *d; every member
 * is NULL for anything else.
 */
static void
parse_get_dst(struct parse_ctx *ctx, enum parse_kind kind,
    struct parse_dst *d)
{
	struct feed_doc		*doc = ctx->doc;
	struct feed_entry	*e = ctx->entry;
	struct feed_source	*src;

	memset(d, 0, sizeof *d);
	switch (kind) {
	case PARSE_K_ROOT:
	case PARSE_K_FEED:
		d->title = &doc->title;
		d->subtitle = &doc->subtitle;
		d->rights = &doc->rights;
		d->info = &doc->info;
		d->id = &doc->id;
		d->link = &doc->link;
		d->generator = &doc->generator;
		d->generator_uri = &doc->generator_uri;
		d->generator_version = &doc->generator_version;
		d->icon = &doc->icon;
		d->logo = &doc->logo;
		d->language = &doc->language;
		d->docs = &doc->docs;
		d->ttl = &doc->ttl;
		d->links = &doc->links;
		d->nlinks = &doc->nlinks;
		d->updated = &doc->updated;
		d->published = &doc->published;
		d->created = &doc->created;
		d->authors = &doc->authors;
		d->nauthors = &doc->nauthors;
		d->contributors = &doc->contributors;
		d->ncontributors = &doc->ncontributors;
		d->publisher = &doc->publisher;
		d->categories = &doc->categories;
		d->ncategories = &doc->ncategories;
		d->ext = &doc->ext;
		d->next = &doc->next;
		break;
	case PARSE_K_ENTRY:
		if (e == NULL)
			break;
		d->is_entry = true;
		d->title = &e->title;
		d->subtitle = NULL;
		d->rights = &e->rights;
		d->summary = &e->summary;
		d->id = &e->id;
		d->link = &e->link;
		d->language = &e->language;
		d->comments = &e->comments;
		d->links = &e->links;
		d->nlinks = &e->nlinks;
		d->updated = &e->updated;
		d->published = &e->published;
		d->created = &e->created;
		d->expired = &e->expired;
		d->authors = &e->authors;
		d->nauthors = &e->nauthors;
		d->contributors = &e->contributors;
		d->ncontributors = &e->ncontributors;
		d->publisher = &e->publisher;
		d->categories = &e->categories;
		d->ncategories = &e->ncategories;
		d->ext = &e->ext;
		d->next = &e->next;
		break;
	case PARSE_K_SOURCE:
		if (e == NULL || e->source == NULL)
			break;
		src = e->source;
		d->title = &src->title;
		d->subtitle = &src->subtitle;
		d->rights = &src->rights;
		d->id = &src->id;
		d->link = &src->link;
		d->generator = &src->generator;
		d->generator_uri = &src->generator_uri;
		d->generator_version = &src->generator_version;
		d->icon = &src->icon;
		d->logo = &src->logo;
		d->links = &src->links;
		d->nlinks = &src->nlinks;
		d->updated = &src->updated;
		d->published = &src->published;
		d->authors = &src->authors;
		d->nauthors = &src->nauthors;
		d->contributors = &src->contributors;
		d->ncontributors = &src->ncontributors;
		d->categories = &src->categories;
		d->ncategories = &src->ncategories;
		d->ext = &src->ext;
		d->next = &src->next;
		break;
	default:
		break;
	}
}

/*
 * Start a known field: text constructs, persons, links and the RSS
 * containers are set up here; everything else just collects its text
 * until the end tag.  Inside an RSS image or textInput every field is
 * plain text.
 */
static void
parse_start_field(struct parse_ctx *ctx, struct parse_frame *f,
    xmlParserCtxtPtr xc, const xmlChar **attrs, int nattrs)
{
	struct feed_entry	*e = ctx->entry;
	struct feed_doc		*doc = ctx->doc;
	struct feed_category	*c;
	struct feed_link	*l;
	struct feed_cloud	*cl;
	struct parse_dst	 d;
	char			*v;
	enum parse_kind		 holder = f[-1].kind;

	f->kind = PARSE_K_FIELD;
	if (holder == PARSE_K_IMAGE || holder == PARSE_K_TEXTINPUT ||
	    holder == PARSE_K_PERSON || holder == PARSE_K_SKIPLIST)
		return;
	parse_get_dst(ctx, holder, &d);
	switch (f->field) {
	case PARSE_F_TITLE:
	case PARSE_F_SUBTITLE:
	case PARSE_F_SUMMARY:
	case PARSE_F_DESCRIPTION:
	case PARSE_F_RIGHTS:
	case PARSE_F_INFO:
	case PARSE_F_CONTENT:
	case PARSE_F_CONTENT_HTML:
	case PARSE_F_CONTENT_XHTML:
		parse_start_text(ctx, f, xc, attrs, nattrs);
		break;
	case PARSE_F_AUTHOR:
	case PARSE_F_CONTRIBUTOR:
	case PARSE_F_PUBLISHER:
		f->kind = PARSE_K_PERSON;
		if (f->field == PARSE_F_AUTHOR && d.authors != NULL)
			ctx->person = feed_persons_add(d.authors, d.nauthors);
		else if (f->field == PARSE_F_CONTRIBUTOR &&
		    d.contributors != NULL)
			ctx->person = feed_persons_add(d.contributors,
			    d.ncontributors);
		else if (f->field == PARSE_F_PUBLISHER && d.publisher != NULL) {
			feed_person_clear(d.publisher);
			ctx->person = d.publisher;
		} else
			ctx->person = NULL;
		break;
	case PARSE_F_LINK:
		v = parse_attr(xc, attrs, nattrs, PARSE_NS_CORE, "href");
		if (v == NULL)
			break;		/* RSS: the link is the text */
		free(v);
		if (d.links != NULL)
			parse_add_link(ctx, f, &d, xc, attrs, nattrs);
		f->kind = PARSE_K_OTHER;
		break;
	case PARSE_F_LICENSE:
		/* cc:license rdf:resource=; creativeCommons: the text. */
		v = parse_attr(xc, attrs, nattrs, PARSE_NS_RDF, "resource");
		if (v == NULL)
			break;
		if (d.links != NULL) {
			l = feed_links_add(d.links, d.nlinks);
			l->rel = xstrdup("license");
			l->href = parse_resolve(f->base, v);
		}
		free(v);
		f->kind = PARSE_K_OTHER;
		break;
	case PARSE_F_ENCLOSURE:
	case PARSE_F_MEDIA_CONTENT:
		/* Media RSS says fileSize where RSS says length. */
		v = parse_attr(xc, attrs, nattrs, PARSE_NS_CORE, "url");
		f->kind = PARSE_K_OTHER;
		if (v == NULL && f->field == PARSE_F_MEDIA_CONTENT)
			break;
		l = feed_links_add(&e->links, &e->nlinks);
		l->rel = xstrdup("enclosure");
		if (v != NULL) {
			l->href = parse_resolve(f->base, v);
			free(v);
		}
		parse_set_str(&l->type, parse_attr(xc, attrs, nattrs,
		    PARSE_NS_CORE, "type"));
		parse_set_str(&l->length, parse_attr(xc, attrs, nattrs,
		    PARSE_NS_CORE, f->field == PARSE_F_ENCLOSURE ? "length" :
		    "fileSize"));
		break;
	case PARSE_F_CATEGORY:
		if (d.categories == NULL) {
			f->kind = PARSE_K_OTHER;
			break;
		}
		v = parse_attr(xc, attrs, nattrs, PARSE_NS_CORE, "term");
		c = feed_categories_add(d.categories, d.ncategories);
		if (v == NULL) {
			/* RSS: the text is the term, domain= the scheme. */
			parse_set_str(&c->scheme, parse_attr(xc, attrs,
			    nattrs, PARSE_NS_CORE, "domain"));
			break;
		}
		parse_set_str(&c->term, v);
		parse_set_str(&c->scheme, parse_attr(xc, attrs, nattrs,
		    PARSE_NS_CORE, "scheme"));
		parse_set_str(&c->label, parse_attr(xc, attrs, nattrs,
		    PARSE_NS_CORE, "label"));
		f->kind = PARSE_K_OTHER;
		break;
	case PARSE_F_GUID:
		e->has_guid = true;
		v = parse_attr(xc, attrs, nattrs, PARSE_NS_CORE,
		    "isPermaLink");
		e->guid_is_link = v == NULL || strcasecmp(v, "true") == 0;
		free(v);
		break;
	case PARSE_F_GENERATOR:
		if (d.generator_uri == NULL)
			break;
		v = parse_attr(xc, attrs, nattrs, PARSE_NS_CORE, "uri");
		if (v == NULL)
			v = parse_attr(xc, attrs, nattrs, PARSE_NS_CORE, "url");
		if (v != NULL) {
			parse_set_str(d.generator_uri, parse_resolve(f->base,
			    v));
			free(v);
		}
		parse_set_str(d.generator_version, parse_attr(xc, attrs,
		    nattrs, PARSE_NS_CORE, "version"));
		break;
	case PARSE_F_SOURCE:
		f->kind = PARSE_K_SOURCE;
		feed_source_free(e->source);
		e->source = xcalloc(1, sizeof *e->source);
		v = parse_attr(xc, attrs, nattrs, PARSE_NS_CORE, "url");
		if (v != NULL) {
			parse_set_str(&e->source->url, parse_resolve(f->base,
			    v));
			free(v);
		}
		break;
	case PARSE_F_IMAGE:
		if (holder != PARSE_K_FEED && holder != PARSE_K_ROOT) {
			f->kind = PARSE_K_OTHER;
			break;
		}
		f->kind = PARSE_K_IMAGE;
		if (doc->image == NULL) {
			doc->image = xcalloc(1, sizeof *doc->image);
			doc->image->width = doc->image->height = -1;
		}
		break;
	case PARSE_F_SKIP_HOURS:
	case PARSE_F_SKIP_DAYS:
		f->kind = holder == PARSE_K_FEED ? PARSE_K_SKIPLIST :
		    PARSE_K_OTHER;
		break;
	case PARSE_F_TEXTINPUT:
		if (holder != PARSE_K_FEED && holder != PARSE_K_ROOT) {
			f->kind = PARSE_K_OTHER;
			break;
		}
		f->kind = PARSE_K_TEXTINPUT;
		if (doc->textinput == NULL)
			doc->textinput = xcalloc(1, sizeof *doc->textinput);
		break;
	case PARSE_F_CLOUD:
		f->kind = PARSE_K_OTHER;
		if (holder != PARSE_K_FEED)
			break;
		if (doc->cloud == NULL)
			doc->cloud = xcalloc(1, sizeof *doc->cloud);
		cl = doc->cloud;
		parse_set_str(&cl->domain, parse_attr(xc, attrs, nattrs,
		    PARSE_NS_CORE, "domain"));
		parse_set_str(&cl->port, parse_attr(xc, attrs, nattrs,
		    PARSE_NS_CORE, "port"));
		parse_set_str(&cl->path, parse_attr(xc, attrs, nattrs,
		    PARSE_NS_CORE, "path"));
		parse_set_str(&cl->register_procedure, parse_attr(xc, attrs,
		    nattrs, PARSE_NS_CORE, "registerProcedure"));
		parse_set_str(&cl->protocol, parse_attr(xc, attrs, nattrs,
		    PARSE_NS_CORE, "protocol"));
		break;
	default:
		break;
	}
}

/*
 * An Atom <link>: every attribute as given, rel defaulting to alternate
 * and type to what feedparser assumes; an alternate HTML link is also
 * the holder's main link.
 */
static void
parse_add_link(struct parse_ctx *ctx, struct parse_frame *f,
    const struct parse_dst *d, xmlParserCtxtPtr xc, const xmlChar **attrs,
    int nattrs)
{
	struct feed_link	*l;
	char			*href;

	(void)ctx;
	href = parse_attr(xc, attrs, nattrs, PARSE_NS_CORE, "href");
	l = feed_links_add(d->links, d->nlinks);
	l->href = parse_resolve(f->base, href);
	free(href);
	parse_set_str(&l->rel, parse_attr(xc, attrs, nattrs, PARSE_NS_CORE,
	    "rel"));
	if (l->rel == NULL)
		l->rel = xstrdup("alternate");
	parse_set_str(&l->type, parse_attr(xc, attrs, nattrs, PARSE_NS_CORE,
	    "type"));
	if (l->type == NULL)
		l->type = xstrdup(strcmp(l->rel, "self") == 0 ?
		    "application/atom+xml" : "text/html");
	parse_set_str(&l->title, parse_attr(xc, attrs, nattrs, PARSE_NS_CORE,
	    "title"));
	parse_set_str(&l->hreflang, parse_attr(xc, attrs, nattrs,
	    PARSE_NS_CORE, "hreflang"));
	parse_set_str(&l->length, parse_attr(xc, attrs, nattrs,
	    PARSE_NS_CORE, "length"));
	if (l->href == NULL || strcmp(l->rel, "alternate") != 0)
		return;
	if (strcasecmp(l->type, "text/html") != 0 &&
	    strcasecmp(l->type, "application/xhtml+xml") != 0)
		return;
	/* As in feedparser, the last alternate link wins. */
	parse_set_str(d->link, xstrdup(l->href));
}

/*
 * An element the model does not cover, below a feed, entry or source:
 * kept in the holder's ext as "prefix_localname" (PARSE_JSON.md
 * "Extensions").  An element with attributes is kept as them now; one
 * without, as its text at the end tag.
 */
static void
parse_start_ext(struct parse_ctx *ctx, struct parse_frame *f,
    const xmlChar *local, const xmlChar *prefix, const struct parse_nsmap *m,
    const xmlChar **attrs, int nattrs)
{
	struct feed_ext	*x;
	struct buf	 key;
	char		*name;
	int		 i, n;

	f->kind = PARSE_K_EXT;
	buf_init(&key);
	if (m->ns != PARSE_NS_CORE) {
		if (m->prefix != NULL)
			buf_adds(&key, m->prefix);
		else if (prefix != NULL)
			buf_adds(&key, (const char *)prefix);
		if (key.len > 0)
			buf_addc(&key, '_');
	}
	buf_adds(&key, (const char *)local);
	for (i = 0; i < (int)key.len; i++)
		key.data[i] = tolower((unsigned char)key.data[i]);
	f->ext_key = buf_steal(&key);

	for (i = n = 0; i < nattrs; i++) {
		if (parse_ns_lookup(attrs[5 * i + 2])->ns != PARSE_NS_XML)
			n++;
	}
	if (n == 0)
		return;
	x = parse_ext_slot(ctx, f);
	if (x == NULL)
		return;
	x->kind = FEED_EXT_ATTRS;
	x->attrs = xreallocarray(NULL, 2 * (size_t)n, sizeof *x->attrs);
	for (i = 0; i < nattrs; i++, attrs += 5) {
		if (parse_ns_lookup(attrs[2])->ns == PARSE_NS_XML)
			continue;
		if (attrs[1] != NULL)
			xasprintf(&name, "%s:%s", attrs[1], attrs[0]);
		else
			name = xstrdup((const char *)attrs[0]);
		x->attrs[2 * x->nattrs] = name;
		x->attrs[2 * x->nattrs + 1] = parse_attr_value(ctx->xc,
		    attrs[3], attrs[4]);
		x->nattrs++;
	}
	f->has_ext_value = true;
}

/*
 * The ext slot for frame f's key in the nearest feed, entry or source,
 * cleared for a new value; NULL when an existing value must stay.  The
 * holder's own child wins over a deeper element of the same name
 * (wellformed/node_precedence); otherwise the last one wins.
 */
static struct feed_ext *
parse_ext_slot(struct parse_ctx *ctx, struct parse_frame *f)
{
	struct parse_frame	*h;
	struct parse_dst	 d;
	struct feed_ext		*x = NULL;
	bool			 is_direct;
	size_t			 i;

	for (h = f - 1; h > ctx->frames && h->kind == PARSE_K_EXT; h--)
		;
	is_direct = h == f - 1;
	parse_get_dst(ctx, h->kind, &d);
	if (d.ext == NULL)
		return (NULL);
	for (i = 0; i < *d.next; i++) {
		if (strcmp((*d.ext)[i].key, f->ext_key) == 0) {
			x = &(*d.ext)[i];
			break;
		}
	}
	if (x != NULL) {
		if (x->is_direct && !is_direct)
			return (NULL);
		feed_ext_clear(x);
	} else
		x = feed_exts_add(d.ext, d.next);
	x->key = xstrdup(f->ext_key);
	x->is_direct = is_direct;
	return (x);
}

/* End of an ext element: keep its text, if it has some. */
static void
parse_end_ext(struct parse_ctx *ctx, struct parse_frame *f)
{
	struct feed_ext	*x;
	char		*v, *r;

	v = parse_take_text(ctx, f);
	if (f->has_ext_value || *v == '\0') {
		free(v);
		return;
	}
	x = parse_ext_slot(ctx, f);
	if (x == NULL) {
		free(v);
		return;
	}
	x->kind = FEED_EXT_STRING;
	/* Comment links of the CommentAPI are URLs. */
	if (strcmp(x->key, "wfw_comment") == 0 ||
	    strcmp(x->key, "wfw_commentrss") == 0) {
		r = parse_resolve(f->base, v);
		free(v);
		v = r != NULL ? r : xstrdup("");
	}
	x->value = v;
}


/*
 * Start a text construct: work out its MIME type (Atom type= and 0.3
 * mode=, or the RSS default for the element) and how its children are
 * read.
 */
static void
parse_start_text(struct parse_ctx *ctx, struct parse_frame *f,
    xmlParserCtxtPtr xc, const xmlChar **attrs, int nattrs)
{
	struct parse_tc	*tc = &ctx->tc;
	char		*type, *mode, *src;
	size_t		 i;

	free(tc->type);
	free(tc->src);
	memset(tc, 0, sizeof *tc);
	f->kind = PARSE_K_TEXT;
	tc->depth = ctx->nframes - 1;

	if (f->field == PARSE_F_CONTENT_XHTML) {
		tc->type = xstrdup("application/xhtml+xml");
		tc->is_xml = true;
		tc->is_xhtml = true;
		return;
	}
	type = parse_attr(xc, attrs, nattrs, PARSE_NS_CORE, "type");
	mode = parse_attr(xc, attrs, nattrs, PARSE_NS_CORE, "mode");
	src = parse_attr(xc, attrs, nattrs, PARSE_NS_CORE, "src");
	if (src != NULL) {
		tc->src = parse_resolve(f->base, src);
		free(src);
	}
	if (type != NULL) {
		for (i = 0; type[i] != '\0'; i++)
			type[i] = tolower((unsigned char)type[i]);
		parse_strip(type);
	}
	if (type != NULL && (strcmp(type, "text") == 0 ||
	    strcmp(type, "text/plain") == 0))
		tc->type = xstrdup("text/plain");
	else if (type != NULL && strcmp(type, "html") == 0)
		tc->type = xstrdup("text/html");
	else if (type != NULL && strcmp(type, "xhtml") == 0) {
		tc->type = xstrdup("application/xhtml+xml");
		tc->is_xhtml = true;
	}
	else if (type != NULL && *type != '\0') {
		tc->type = xstrdup(type);
		/* feedparser drops the wrapping div for this spelling too. */
		if (strcmp(type, "application/xhtml+xml") == 0 &&
		    ctx->doc->format == FEED_FORMAT_ATOM10)
			tc->is_xhtml = true;
	} else if (f->field == PARSE_F_DESCRIPTION ||
	    f->field == PARSE_F_CONTENT_HTML)
		tc->type = xstrdup("text/html");
	else
		tc->type = xstrdup("text/plain");
	free(type);

	if (strcmp(tc->type, "application/xhtml+xml") == 0 ||
	    (strlen(tc->type) > 4 && (strcmp(tc->type + strlen(tc->type) - 4,
	    "+xml") == 0 || strcmp(tc->type + strlen(tc->type) - 4,
	    "/xml") == 0)))
		tc->is_xml = true;
	else if (strncmp(tc->type, "text/", 5) != 0 && ctx->is_atom &&
	    ctx->doc->format == FEED_FORMAT_ATOM10)
		tc->is_base64 = true;	/* RFC 4287 3.1.1.3 */
	if (mode != NULL && strcmp(mode, "base64") == 0)
		tc->is_base64 = true;
	else if (mode != NULL && strcmp(mode, "escaped") == 0)
		tc->is_xml = false;
	else if (mode != NULL && strcmp(mode, "xml") == 0 &&
	    strcmp(tc->type, "text/plain") != 0)
		tc->is_xml = true;
	free(mode);
	tc->is_guess = !ctx->is_atom && strcmp(tc->type, "text/plain") == 0;
}

/*
 * An element inside a text construct: written back as markup.  The
 * <div> that wraps Atom XHTML content is dropped (RFC 4287 3.1.1.3);
 * elements in the XHTML namespace lose their prefix.
 */
static void
parse_start_markup(struct parse_ctx *ctx, struct parse_frame *f,
    const xmlChar *local, const xmlChar *prefix, const struct parse_nsmap *m,
    xmlParserCtxtPtr xc, const xmlChar **attrs, int nattrs)
{
	struct parse_tc	*tc = &ctx->tc;
	const char	*name = (const char *)local;
	char		*v, *r;
	int		 i;

	f->kind = PARSE_K_MARKUP;
	if (tc->is_xhtml && !tc->has_div && ctx->nframes - 1 == tc->depth + 1 &&
	    m->ns == PARSE_NS_XHTML && strcmp(name, "div") == 0) {
		tc->has_div = true;
		f->kind = PARSE_K_SKIP;
		return;
	}
	/* A div around escaped HTML (TypePad, 2007): its tags are dropped. */
	if (!tc->is_xml && strcmp(name, "div") == 0 &&
	    (m->ns == PARSE_NS_XHTML || prefix == NULL)) {
		f->kind = PARSE_K_SKIP;
		return;
	}
	buf_addc(&ctx->text, '<');
	if (prefix != NULL && m->ns != PARSE_NS_XHTML) {
		buf_adds(&ctx->text, (const char *)prefix);
		buf_addc(&ctx->text, ':');
	}
	buf_adds(&ctx->text, name);
	for (i = 0; i < nattrs; i++, attrs += 5) {
		v = parse_attr_value(xc, attrs[3], attrs[4]);

		/* Relative URLs in markup resolve against its base. */
		if (attrs[1] == NULL && parse_is_url_attr(
		    (const char *)attrs[0])) {
			r = parse_resolve(f->base, v);
			free(v);
			if (r == NULL)
				continue;	/* an unsafe scheme */
			v = r;
		}
		buf_addc(&ctx->text, ' ');
		if (attrs[1] != NULL) {
			buf_adds(&ctx->text, (const char *)attrs[1]);
			buf_addc(&ctx->text, ':');
		}
		buf_adds(&ctx->text, (const char *)attrs[0]);
		buf_adds(&ctx->text, "=\"");
		parse_escape(&ctx->text, v, strlen(v), true);
		buf_addc(&ctx->text, '"');
		free(v);
	}
	if (parse_is_void_element(name)) {
		buf_adds(&ctx->text, " />");
		return;
	}
	buf_addc(&ctx->text, '>');
	f->has_end_tag = true;
}

/* Append s escaped for XML text (and for attribute values if is_attr). */
static void
parse_escape(struct buf *b, const char *s, size_t len, bool is_attr)
{
	size_t	 i, start = 0;

	for (i = 0; i < len; i++) {
		if (s[i] != '&' && s[i] != '<' && s[i] != '>' &&
		    (s[i] != '"' || !is_attr))
			continue;
		buf_add(b, s + start, i - start);
		start = i + 1;
		switch (s[i]) {
		case '&':
			buf_adds(b, "&amp;");
			break;
		case '<':
			buf_adds(b, "&lt;");
			break;
		case '>':
			buf_adds(b, "&gt;");
			break;
		default:
			buf_adds(b, "&quot;");
			break;
		}
	}
	buf_add(b, s + start, len - start);
}

/*
 * Whether an HTML attribute holds a URL (feedparser's relative_uris:
 * a href, img src, blockquote cite, ...).  Sorted by strcmp.
 */
static bool
parse_is_url_attr(const char *name)
{
	static const char	*attrs[] = {
		"action", "background", "cite", "classid", "codebase",
		"data", "href", "longdesc", "poster", "profile", "src",
		"usemap"
	};

	return (bsearch(name, attrs, nitems(attrs), sizeof attrs[0],
	    parse_strcmp) != NULL);
}

/* Whether name is an HTML void element. */
static bool
parse_is_void_element(const char *name)
{
	return (bsearch(name, parse_void_elements,
	    nitems(parse_void_elements), sizeof parse_void_elements[0],
	    parse_strcmp) != NULL);
}

/* SAX: end of an element. */
static void
parse_sax_end(void *uctx, const xmlChar *local, const xmlChar *prefix,
    const xmlChar *uri)
{
	xmlParserCtxtPtr	 xc = uctx;
	struct parse_ctx	*ctx = xc->_private;
	struct parse_frame	*f;
	const struct parse_nsmap *m;

	if (ctx->nframes == 0 || ctx->is_over_cap || ctx->is_stopped)
		return;
	f = &ctx->frames[ctx->nframes - 1];
	switch (f->kind) {
	case PARSE_K_MARKUP:
		if (!f->has_end_tag)
			break;
		m = parse_ns_cached(ctx, uri);
		buf_adds(&ctx->text, "</");
		if (prefix != NULL && m->ns != PARSE_NS_XHTML) {
			buf_adds(&ctx->text, (const char *)prefix);
			buf_addc(&ctx->text, ':');
		}
		buf_adds(&ctx->text, (const char *)local);
		buf_addc(&ctx->text, '>');
		break;
	case PARSE_K_TEXT:
		parse_end_text(ctx, f);
		break;
	case PARSE_K_FIELD:
	case PARSE_K_PERSON:
		parse_end_field(ctx, f);
		break;
	case PARSE_K_SOURCE:
		parse_end_source(ctx, f);
		break;
	case PARSE_K_EXT:
		parse_end_ext(ctx, f);
		break;
	case PARSE_K_ENTRY:
		parse_end_entry(ctx);
		break;
	default:
		break;
	}
	parse_pop_frame(ctx);
}



/*
 * Stop the document at a limit: flag it bozo with kind and keep what
 * was parsed before.
 */
static void
parse_stop(struct parse_ctx *ctx, const char *kind, const char *msg)
{
	int	 line = 0, column = 0;

	if (ctx->xc != NULL && ctx->xc->input != NULL) {
		line = ctx->xc->input->line;
		column = ctx->xc->input->col;
	}
	/* A limit is the error to report, whatever came before. */
	if (ctx->doc != NULL && ctx->doc->is_bozo) {
		free(ctx->doc->bozo_kind);
		free(ctx->doc->bozo_message);
		ctx->doc->bozo_kind = ctx->doc->bozo_message = NULL;
		ctx->doc->is_bozo = false;
	}
	parse_set_bozo(ctx, kind, msg, line, column);
	ctx->is_stopped = true;
	if (ctx->xc != NULL)
		xmlStopParser(ctx->xc);
}



/*
 * A URI-valued id (Atom id, RSS guid that is a permalink): resolved
 * against the base as feedparser does, unless it already has a scheme
 * (tag:, urn:).  Takes v.
 */
static char *
parse_resolve_id(const char *base, char *v)
{
	char	*r;

	if (*v == '\0' || parse_url_has_scheme(v) || base == NULL)
		return (v);
	r = parse_resolve(base, v);
	if (r == NULL)
		return (v);
	free(v);
	return (r);
}

/*
 * SAX: character data and CDATA sections.  What libxml2 delivers is
 * counted against the input (entity amplification), and what open
 * elements hold is capped.
 */
static void
parse_sax_chars(void *uctx, const xmlChar *s, int len)
{
	xmlParserCtxtPtr	 xc = uctx;
	struct parse_ctx	*ctx = xc->_private;
	struct parse_frame	*f;
	size_t			 cap;

	if (ctx->nframes == 0 || ctx->is_over_cap || ctx->is_stopped ||
	    len <= 0)
		return;
	ctx->nout += (size_t)len;
	cap = ctx->nin > PARSE_AMPLIFY_FLOOR / PARSE_AMPLIFY_FACTOR ?
	    ctx->nin * PARSE_AMPLIFY_FACTOR : PARSE_AMPLIFY_FLOOR;
	if (ctx->nout > cap) {
		parse_stop(ctx, "entity-amplification", "entity expansion "
		    "produced too much text for the size of the document");
		return;
	}
	if (ctx->text.len + (size_t)len > PARSE_TEXT_MAX) {
		parse_stop(ctx, "text-too-large", "an element's text is "
		    "larger than the parser's cap");
		return;
	}
	f = &ctx->frames[ctx->nframes - 1];
	switch (f->kind) {
	case PARSE_K_TEXT:
	case PARSE_K_MARKUP:
	case PARSE_K_SKIP:
		if (ctx->tc.is_xml)
			parse_escape(&ctx->text, (const char *)s, len, false);
		else
			buf_add(&ctx->text, s, len);
		break;
	case PARSE_K_FIELD:
	case PARSE_K_PERSON:
	case PARSE_K_SOURCE:
	case PARSE_K_EXT:
		buf_add(&ctx->text, s, len);
		break;
	default:
		break;
	}
}

/* End of a text construct: store it where its field says. */
static void
parse_end_text(struct parse_ctx *ctx, struct parse_frame *f)
{
	struct parse_tc		*tc = &ctx->tc;
	struct feed_entry	*e = ctx->entry;
	struct feed_text	*t = NULL;
	struct parse_dst	 d;
	char			*v, *dec;

	parse_get_dst(ctx, f[-1].kind, &d);
	v = parse_take_text(ctx, f);
	if (tc->is_base64) {
		dec = parse_base64(v);
		free(v);
		v = dec;
	}
	if (tc->is_guess && parse_looks_like_html(v)) {
		free(tc->type);
		tc->type = xstrdup("text/html");
	}
	if (tc->type != NULL && (strcmp(tc->type, "text/html") == 0 ||
	    strcmp(tc->type, "application/xhtml+xml") == 0)) {
		dec = parse_html_sanitize(v, f->base, &ctx->urlbase);
		free(v);
		v = dec;
	}
	switch (f->field) {
	case PARSE_F_TITLE:
		t = d.title;
		break;
	case PARSE_F_SUBTITLE:
		t = d.subtitle;
		break;
	case PARSE_F_DESCRIPTION:
	case PARSE_F_SUMMARY:
		t = d.is_entry ? d.summary : d.subtitle;
		/*
		 * feedparser: in RSS, a second description or summary of
		 * an item becomes its content.
		 */
		if (d.is_entry && !ctx->is_atom && t->value != NULL)
			t = feed_texts_add(&e->content, &e->ncontent);
		break;
	case PARSE_F_RIGHTS:
		t = d.rights;
		break;
	case PARSE_F_INFO:
		t = d.info;
		break;
	case PARSE_F_CONTENT:
	case PARSE_F_CONTENT_HTML:
	case PARSE_F_CONTENT_XHTML:
		if (d.is_entry)
			t = feed_texts_add(&e->content, &e->ncontent);
		break;
	default:
		break;
	}
	if (t == NULL) {
		free(v);
		return;
	}
	feed_text_clear(t);
	if (*v != '\0' || tc->src == NULL)
		t->value = v;
	else
		free(v);
	t->type = tc->type;
	t->src = tc->src;
	tc->type = tc->src = NULL;
	if (f->lang != NULL)
		t->lang = xstrdup(f->lang);
	else if (ctx->opt.content_language != NULL)
		t->lang = xstrdup(ctx->opt.content_language);
	if (f->base != NULL)
		t->base = xstrdup(f->base);
}

/* End of a plain field or a person: store its text. */
static void
parse_end_field(struct parse_ctx *ctx, struct parse_frame *f)
{
	struct feed_entry	*e = ctx->entry;
	struct feed_doc		*doc = ctx->doc;
	struct feed_person	*p = ctx->person;
	struct feed_link	*l;
	struct feed_category	*c;
	struct parse_dst	 d;
	char			*v, *tok, *next;

	v = parse_take_text(ctx, f);
	if (f[-1].kind == PARSE_K_SKIPLIST) {
		parse_end_skip(ctx, f, parse_strip(v));
		free(v);
		return;
	}
	if (f[-1].kind == PARSE_K_IMAGE || f[-1].kind == PARSE_K_TEXTINPUT) {
		parse_end_sub(ctx, f, v);
		return;
	}
	parse_get_dst(ctx, f[-1].kind, &d);
	switch (f->field) {
	case PARSE_F_AUTHOR:
	case PARSE_F_CONTRIBUTOR:
	case PARSE_F_PUBLISHER:
		/* An Atom person with children, or free text. */
		if (p != NULL && p->name == NULL && p->email == NULL &&
		    p->uri == NULL && *v != '\0')
			parse_person_raw(p, v);
		if (p != NULL && p->name == NULL && p->email == NULL &&
		    p->uri == NULL && p->raw == NULL) {
			if (f->field == PARSE_F_AUTHOR && d.authors != NULL)
				feed_person_clear(
				    &(*d.authors)[--*d.nauthors]);
			else if (f->field == PARSE_F_CONTRIBUTOR &&
			    d.contributors != NULL)
				feed_person_clear(
				    &(*d.contributors)[--*d.ncontributors]);
		}
		ctx->person = NULL;
		break;
	case PARSE_F_NAME:
		if (p != NULL) {
			parse_set_str(&p->name, v);
			v = NULL;
		}
		break;
	case PARSE_F_EMAIL:
		if (p != NULL) {
			parse_set_str(&p->email, v);
			v = NULL;
		}
		break;
	case PARSE_F_URI:
		if (p != NULL)
			parse_set_str(&p->uri, parse_resolve(f->base, v));
		break;
	case PARSE_F_ID:
		if (d.id != NULL) {
			parse_set_str(d.id, parse_resolve_id(f->base, v));
			v = NULL;
		}
		break;
	case PARSE_F_GUID:
		if (e->guid_is_link)
			v = parse_resolve_id(f->base, v);
		parse_set_str(&e->id, v);
		v = NULL;
		break;
	case PARSE_F_LINK:
		if (*v == '\0' || d.links == NULL)
			break;
		l = feed_links_add(d.links, d.nlinks);
		l->rel = xstrdup("alternate");
		l->type = xstrdup("text/html");
		l->href = parse_resolve(f->base, v);
		if (l->href != NULL)
			parse_set_str(d.link, xstrdup(l->href));
		break;
	case PARSE_F_LICENSE:
		if (*v == '\0' || d.links == NULL)
			break;
		l = feed_links_add(d.links, d.nlinks);
		l->rel = xstrdup("license");
		l->href = parse_resolve(f->base, v);
		break;
	case PARSE_F_COMMENTS:
		if (d.comments != NULL)
			parse_set_str(d.comments, parse_resolve(f->base, v));
		break;
	case PARSE_F_DOCS:
		if (d.docs != NULL)
			parse_set_str(d.docs, parse_resolve(f->base, v));
		break;
	case PARSE_F_CATEGORY:
		if (d.categories != NULL && *d.ncategories > 0) {
			c = &(*d.categories)[*d.ncategories - 1];
			parse_set_str(&c->term, v);
			v = NULL;
			if (c->term == NULL && c->scheme == NULL)
				feed_category_clear(
				    &(*d.categories)[--*d.ncategories]);
		}
		break;
	case PARSE_F_SUBJECT:
		if (*v != '\0' && d.categories != NULL) {
			c = feed_categories_add(d.categories, d.ncategories);
			c->term = v;
			v = NULL;
		}
		break;
	case PARSE_F_TAGS:
		/* Comma-separated terms, as feedparser reads <tags>. */
		for (tok = v; tok != NULL && d.categories != NULL;
		    tok = next) {
			next = strchr(tok, ',');
			if (next != NULL)
				*next++ = '\0';
			tok = xstrdup(tok);
			parse_strip(tok);
			if (*tok == '\0') {
				free(tok);
				continue;
			}
			c = feed_categories_add(d.categories, d.ncategories);
			c->term = tok;
		}
		break;
	case PARSE_F_PUBLISHED:
	case PARSE_F_UPDATED:
	case PARSE_F_CREATED:
	case PARSE_F_EXPIRED:
		parse_end_date(&d, f->field, v);
		v = NULL;
		break;
	case PARSE_F_VALID:
		parse_end_valid(&d, v);
		break;
	case PARSE_F_LANGUAGE:
		if (d.language != NULL) {
			parse_set_str(d.language, v);
			v = NULL;
		}
		break;
	case PARSE_F_GENERATOR:
		if (d.generator != NULL) {
			parse_set_str(d.generator, v);
			v = NULL;
		}
		break;
	case PARSE_F_ICON:
		if (d.icon != NULL)
			parse_set_str(d.icon, parse_resolve(f->base, v));
		break;
	case PARSE_F_LOGO:
		if (d.logo != NULL)
			parse_set_str(d.logo, parse_resolve(f->base, v));
		break;
	case PARSE_F_TTL:
		if (d.ttl != NULL) {
			parse_set_str(d.ttl, v);
			v = NULL;
		}
		break;
	case PARSE_F_UPDATE_PERIOD:
	case PARSE_F_UPDATE_FREQUENCY:
	case PARSE_F_NEW_FEED_URL:
		if (f[-1].kind == PARSE_K_FEED)
			parse_end_hint(ctx, f, v);
		break;
	default:
		break;
	}
	(void)doc;
	free(v);
}

/*
 * The syndication module's update period and frequency, and where an
 * iTunes feed says it moved: hints for the fetcher, feed level only.
 */
static void
parse_end_hint(struct parse_ctx *ctx, struct parse_frame *f, const char *v)
{
	/* sy:updatePeriod values, in seconds.  Sorted for reading only. */
	static const struct {
		const char	*name;
		int64_t		 seconds;
	} periods[] = {
		{ "daily", 86400 }, { "hourly", 3600 }, { "monthly", 2592000 },
		{ "weekly", 604800 }, { "yearly", 31536000 }
	};
	char	*end, *url;
	long	 n;
	size_t	 i;

	switch (f->field) {
	case PARSE_F_UPDATE_PERIOD:
		for (i = 0; i < nitems(periods); i++) {
			if (strcasecmp(v, periods[i].name) == 0)
				ctx->sy_period = periods[i].seconds;
		}
		break;
	case PARSE_F_UPDATE_FREQUENCY:
		n = strtol(v, &end, 10);
		if (end != v && *end == '\0' && n > 0 && n <= 1000000)
			ctx->sy_frequency = n;
		break;
	case PARSE_F_NEW_FEED_URL:
		url = parse_resolve(f->base, v);
		if (url != NULL && (strncmp(url, "http://", 7) == 0 ||
		    strncmp(url, "https://", 8) == 0))
			parse_set_str(&ctx->doc->new_feed_url, url);
		else
			free(url);
		break;
	default:
		break;
	}
}

/* An <hour> (0 to 23, GMT) or <day> (Monday to Sunday) to skip. */
static void
parse_end_skip(struct parse_ctx *ctx, struct parse_frame *f, const char *v)
{
	static const char *days[] = {
		"Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
		"Saturday", "Sunday"
	};
	char	*end;
	long	 n;
	size_t	 i;

	if (f->field == PARSE_F_HOUR) {
		n = strtol(v, &end, 10);
		if (end != v && *end == '\0' && n >= 0 && n <= 23)
			ctx->doc->skip_hours |= UINT32_C(1) << n;
	} else if (f->field == PARSE_F_DAY) {
		for (i = 0; i < nitems(days); i++) {
			if (strcasecmp(v, days[i]) == 0)
				ctx->doc->skip_days |= (uint8_t)(1U << i);
		}
	}
}

/* End of a field of an RSS image or textInput. */
static void
parse_end_sub(struct parse_ctx *ctx, struct parse_frame *f, char *v)
{
	struct feed_image	*img = ctx->doc->image;
	struct feed_textinput	*ti = ctx->doc->textinput;
	char			**dst = NULL, *end;
	long			 n;
	bool			 is_url = false;

	if (f[-1].kind == PARSE_K_IMAGE && img != NULL) {
		switch (f->field) {
		case PARSE_F_TITLE:
			dst = &img->title;
			break;
		case PARSE_F_DESCRIPTION:
			dst = &img->description;
			break;
		case PARSE_F_LINK:
			dst = &img->link;
			is_url = true;
			break;
		case PARSE_F_URL:
			dst = &img->url;
			is_url = true;
			break;
		case PARSE_F_WIDTH:
		case PARSE_F_HEIGHT:
			n = strtol(v, &end, 10);
			if (end != v && *end == '\0' && n >= 0) {
				if (f->field == PARSE_F_WIDTH)
					img->width = n;
				else
					img->height = n;
			}
			break;
		default:
			break;
		}
	} else if (f[-1].kind == PARSE_K_TEXTINPUT && ti != NULL) {
		switch (f->field) {
		case PARSE_F_TITLE:
			dst = &ti->title;
			break;
		case PARSE_F_DESCRIPTION:
			dst = &ti->description;
			break;
		case PARSE_F_NAME:
			dst = &ti->name;
			break;
		case PARSE_F_LINK:
			dst = &ti->link;
			is_url = true;
			break;
		default:
			break;
		}
	}
	if (dst == NULL) {
		free(v);
		return;
	}
	if (is_url) {
		parse_set_str(dst, parse_resolve(f->base, v));
		free(v);
	} else
		parse_set_str(dst, v);
}



/* Store a date field (v owned) where the holder keeps it. */
static void
parse_end_date(const struct parse_dst *d, enum parse_field field, char *v)
{
	struct feed_date	*date = NULL;

	switch (field) {
	case PARSE_F_PUBLISHED:
		date = d->published;
		break;
	case PARSE_F_UPDATED:
		date = d->updated;
		break;
	case PARSE_F_CREATED:
		date = d->created;
		break;
	case PARSE_F_EXPIRED:
		date = d->expired;
		break;
	default:
		break;
	}
	if (date == NULL) {
		free(v);
		return;
	}
	parse_set_date(date, v);
}

/*
 * dcterms:valid ("start=2002-10-13T09:00+01:00;end=...", DCMI Period):
 * the start and end as ext dates validity_start and validity_end.
 */
static void
parse_end_valid(const struct parse_dst *d, const char *v)
{
	static const struct {
		const char	*name;
		const char	*key;
	} parts[] = {
		{ "start", "validity_start" },
		{ "end", "validity_end" }
	};
	struct feed_ext	*x;
	const char	*p, *eq, *semi;
	size_t		 i, j, len;

	if (d->ext == NULL)
		return;
	for (p = v; *p != '\0'; p = *semi != '\0' ? semi + 1 : semi) {
		semi = strchr(p, ';');
		if (semi == NULL)
			semi = p + strlen(p);
		eq = memchr(p, '=', semi - p);
		if (eq == NULL)
			continue;
		while (p < eq && isspace((unsigned char)*p))
			p++;
		len = eq - p;
		while (len > 0 && isspace((unsigned char)p[len - 1]))
			len--;
		for (i = 0; i < nitems(parts); i++) {
			if (strlen(parts[i].name) != len ||
			    strncmp(p, parts[i].name, len) != 0)
				continue;
			for (j = 0; j < *d->next; j++) {
				if (strcmp((*d->ext)[j].key, parts[i].key) == 0)
					break;
			}
			if (j < *d->next) {
				x = &(*d->ext)[j];
				feed_ext_clear(x);
			} else
				x = feed_exts_add(d->ext, d->next);
			x->key = xstrdup(parts[i].key);
			x->kind = FEED_EXT_DATE;
			x->is_direct = true;
			parse_set_date(&x->date, parse_strip(xstrndup(eq + 1,
			    semi - eq - 1)));
		}
	}
}

/*
 * End of a source: an RSS <source url=> has only text, its title.
 * An empty source is dropped.
 */
static void
parse_end_source(struct parse_ctx *ctx, struct parse_frame *f)
{
	struct feed_source	*src;
	char			*v;

	v = parse_take_text(ctx, f);
	if (ctx->entry == NULL || (src = ctx->entry->source) == NULL) {
		free(v);
		return;
	}
	if (*v != '\0' && src->title.value == NULL) {
		src->title.value = v;
		src->title.type = xstrdup("text/plain");
		if (f->lang != NULL)
			src->title.lang = xstrdup(f->lang);
		if (f->base != NULL)
			src->title.base = xstrdup(f->base);
	} else
		free(v);
}







/*
 * End of an entry: an RSS guid that is a permalink stands in for a
 * missing <link> (feedparser's guidislink).
 */
static void
parse_end_entry(struct parse_ctx *ctx)
{
	struct feed_entry	*e = ctx->entry;

	if (e == NULL)
		return;
	if (e->has_guid) {
		e->guid_is_link = e->guid_is_link && e->link == NULL &&
		    e->id != NULL;
		if (e->guid_is_link)
			e->link = xstrdup(e->id);
	}
	parse_hand_entry(ctx, e);
	ctx->entry = NULL;
	ctx->person = NULL;
}

/*
 * Hand a complete entry on: to the entry callback, which may move it
 * out, or else to the end of the document's entries.  Either way e is
 * left empty for the next one.
 */
static void
parse_hand_entry(struct parse_ctx *ctx, struct feed_entry *e)
{
	if (ctx->opt.entry_cb != NULL) {
		ctx->opt.entry_cb(e, ctx->opt.entry_arg);
		feed_entry_clear(e);
	} else {
		*feed_doc_add_entry(ctx->doc) = *e;
		memset(e, 0, sizeof *e);
	}
}

/*
 * With an entry callback, hand it the entries a whole-document parser
 * (JSON Feed) put in the document, in order, and leave none there.
 */
static void
parse_hand_doc_entries(struct parse_ctx *ctx)
{
	struct feed_doc	*doc = ctx->doc;
	size_t		 i;

	if (ctx->opt.entry_cb == NULL)
		return;
	for (i = 0; i < doc->nentries; i++) {
		ctx->opt.entry_cb(&doc->entries[i], ctx->opt.entry_arg);
		feed_entry_clear(&doc->entries[i]);
	}
	free(doc->entries);
	doc->entries = NULL;
	doc->nentries = 0;
}

/*
 * Whether plain text from an RSS element looks like HTML, feedparser's
 * test: a closing tag or an entity reference, every tag a known HTML
 * element and every entity a known HTML entity.
 */
static bool
parse_looks_like_html(const char *s)
{
	const char	*p;
	size_t		 n;
	char		 name[32];
	bool		 has_sign = false;

	for (p = s; (p = strchr(p, '<')) != NULL; p++) {
		if (p[1] == '/' && isalnum((unsigned char)p[2])) {
			for (n = 2; isalnum((unsigned char)p[n]) ||
			    p[n] == '_'; n++)
				;
			if (p[n] == '>')
				has_sign = true;
		}
	}
	for (p = s; (p = strchr(p, '&')) != NULL; p++) {
		n = 1;
		if (p[n] == '#')
			n++;
		if (!isalnum((unsigned char)p[n]))
			continue;
		while (isalnum((unsigned char)p[n]) || p[n] == '_')
			n++;
		if (p[n] == ';')
			has_sign = true;
	}
	if (!has_sign)
		return (false);

	for (p = s; (p = strchr(p, '<')) != NULL; p++) {
		n = p[1] == '/' ? 2 : 1;
		p += n;
		for (n = 0; isalnum((unsigned char)p[n]) || p[n] == '_'; n++)
			;
		if (n > 0 && !parse_is_html_element(p, n))
			return (false);
		p--;
	}
	for (p = s; (p = strchr(p, '&')) != NULL; p++) {
		for (n = 1; isalnum((unsigned char)p[n]) || p[n] == '_'; n++)
			;
		if (n == 1 || p[n] != ';')
			continue;
		if (n - 1 >= sizeof name)
			return (false);
		memcpy(name, p + 1, n - 1);
		name[n - 1] = '\0';
		if (htmlEntityLookup(BAD_CAST name) == NULL)
			return (false);
	}
	return (true);
}

/*
 * Whether the n bytes at s name an element of the sanitizer's
 * allow-list: HTML that makes RSS plain text count as HTML.
 */
static bool
parse_is_html_element(const char *s, size_t n)
{
	char	 name[32];
	size_t	 i;

	if (n >= sizeof name)
		return (false);
	for (i = 0; i < n; i++)
		name[i] = tolower((unsigned char)s[i]);
	name[n] = '\0';
	return (parse_html_is_allowed(name));
}

/*
 * Decode base64 (Atom 0.3 mode="base64", Atom 1.0 binary types),
 * skipping white space; stops at the first character that is not
 * base64.  Returns a new string.
 */
static char *
parse_base64(const char *s)
{
	static const char	 alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	struct buf		 b;
	const char		*q;
	unsigned int		 acc = 0;
	int			 bits = 0;

	buf_init(&b);
	for (; *s != '\0' && *s != '='; s++) {
		if (isspace((unsigned char)*s))
			continue;
		q = strchr(alpha, *s);
		if (q == NULL)
			break;
		acc = (acc << 6) | (unsigned int)(q - alpha);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf_addc(&b, (char)((acc >> bits) & 0xff));
		}
	}
	if (b.len == 0) {
		buf_clear(&b);
		return (xstrdup(""));
	}
	return (buf_steal(&b));
}
