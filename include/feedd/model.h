/*
 * model: the plain data that flows parse -> store -> emit.  parse fills a
 * struct feed_doc; store copies what it keeps into SQLite; emit reads
 * entries back as struct feed_entry.  Every string is UTF-8 and owned by
 * the struct holding it; NULL means absent (never "").
 */
#ifndef FEEDD_MODEL_H
#define FEEDD_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "feedd/util.h"

/* Detected formats, in feedparser's vocabulary (see feed_format_name). */
enum feed_format {
	FEED_FORMAT_NONE = 0,	/* not a feed */
	FEED_FORMAT_RSS090,
	FEED_FORMAT_RSS091N,
	FEED_FORMAT_RSS091U,
	FEED_FORMAT_RSS092,
	FEED_FORMAT_RSS093,
	FEED_FORMAT_RSS094,
	FEED_FORMAT_RSS20,
	FEED_FORMAT_RSS10,
	FEED_FORMAT_RSS,	/* RSS of unknown version */
	FEED_FORMAT_ATOM01,
	FEED_FORMAT_ATOM02,
	FEED_FORMAT_ATOM03,
	FEED_FORMAT_ATOM10,
	FEED_FORMAT_ATOM,	/* Atom of unknown version */
	FEED_FORMAT_JSON10,	/* JSON Feed 1.0 */
	FEED_FORMAT_JSON11	/* JSON Feed 1.1 */
};

/* A text construct: title, subtitle, summary, rights, content. */
struct feed_text {
	char	*value;		/* NULL: absent; HTML is already sanitized */
	char	*type;		/* MIME type: text/plain, text/html, ... */
	char	*lang;		/* in-scope xml:lang, or NULL */
	char	*base;		/* in-scope base URI, or NULL */
	char	*src;		/* Atom content src, or NULL */
};

struct feed_date {
	char	*raw;		/* the text as it appeared; NULL: absent */
	time_t	 utc;		/* valid only when is_valid */
	bool	 is_valid;
};

struct feed_person {
	char	*name;
	char	*email;
	char	*uri;
	char	*raw;		/* free-text form (RSS author, dc:creator) */
};

struct feed_link {
	char	*href;
	char	*rel;
	char	*type;
	char	*title;
	char	*hreflang;
	char	*length;
};

struct feed_category {
	char	*term;
	char	*scheme;
	char	*label;
};

/*
 * An extension or unknown element (PARSE_JSON "Extensions"): a string,
 * the element's attributes, or a date, under a key "prefix_localname".
 */
enum feed_ext_kind {
	FEED_EXT_STRING = 0,
	FEED_EXT_ATTRS,
	FEED_EXT_DATE
};

struct feed_ext {
	char			*key;		/* lower case */
	enum feed_ext_kind	 kind;
	char			*value;		/* STRING */
	char			**attrs;	/* ATTRS: name, value, ... */
	size_t			 nattrs;	/* pairs in attrs */
	struct feed_date	 date;		/* DATE */
	bool			 is_direct;	/* child of its holder */
};

/* RSS <image>. */
struct feed_image {
	char	*url;
	char	*title;
	char	*link;
	char	*description;
	long	 width;		/* -1: absent */
	long	 height;	/* -1: absent */
};

/* RSS <cloud>. */
struct feed_cloud {
	char	*domain;
	char	*port;
	char	*path;
	char	*register_procedure;
	char	*protocol;
};

/* RSS <textInput>. */
struct feed_textinput {
	char	*title;
	char	*description;
	char	*name;
	char	*link;
};

/* Atom <source> or RSS <source url=>: the feed an entry came from. */
struct feed_source {
	struct feed_text	 title;
	struct feed_text	 subtitle;
	struct feed_text	 rights;
	char			*id;
	char			*link;
	struct feed_link	*links;
	size_t			 nlinks;
	struct feed_date	 updated;
	struct feed_date	 published;
	struct feed_person	*authors;
	size_t			 nauthors;
	struct feed_person	*contributors;
	size_t			 ncontributors;
	struct feed_category	*categories;
	size_t			 ncategories;
	char			*generator;
	char			*generator_uri;
	char			*generator_version;
	char			*icon;
	char			*logo;
	char			*url;		/* RSS source url= */
	struct feed_ext		*ext;
	size_t			 next;
};

struct feed_entry {
	char			*id;		/* guid / atom:id / rdf:about */
	bool			 has_guid;	/* RSS guid seen */
	bool			 guid_is_link;
	struct feed_text	 title;
	struct feed_text	 summary;
	struct feed_text	*content;
	size_t			 ncontent;
	char			*link;		/* main alternate link */
	struct feed_link	*links;
	size_t			 nlinks;
	struct feed_date	 published;
	struct feed_date	 updated;
	struct feed_person	*authors;
	size_t			 nauthors;
	struct feed_category	*categories;
	size_t			 ncategories;
	char			*comments;
	struct feed_text	 rights;
	struct feed_date	 created;
	struct feed_date	 expired;
	struct feed_person	*contributors;
	size_t			 ncontributors;
	struct feed_person	 publisher;	/* all NULL: absent */
	char			*language;	/* dc:language of the item */
	struct feed_source	*source;	/* NULL: absent */
	struct feed_ext		*ext;
	size_t			 next;
	/*
	 * What storing needs worked out, done ahead on a parse thread
	 * (store_prepare_doc) so the loop does less.
	 */
	bool			 is_prepared;
	char			 digest[UTIL_HASH_HEX]; /* store_entry_digest */
	char			*extras;	/* extras JSON, or NULL */
};

struct feed_doc {
	enum feed_format	 format;
	char			*encoding;	/* charset really used */
	bool			 is_bozo;
	char			*bozo_kind;	/* "not-well-formed", ... */
	char			*bozo_message;
	int			 bozo_line;
	int			 bozo_column;

	struct feed_text	 title;
	struct feed_text	 subtitle;
	struct feed_text	 rights;
	char			*id;
	char			*link;
	struct feed_link	*links;
	size_t			 nlinks;
	struct feed_date	 updated;
	struct feed_date	 published;
	struct feed_person	*authors;
	size_t			 nauthors;
	char			*language;
	char			*generator;	/* its name */
	char			*icon;
	char			*logo;
	char			*ttl;
	/* Hints for the fetcher (RSS 2.0, the syndication module, iTunes). */
	uint32_t		 skip_hours;	/* bit h: skip hour h, GMT */
	uint8_t			 skip_days;	/* bit 0 Monday .. bit 6 Sunday */
	int64_t			 update_period;	/* sy:update*, seconds; 0: none */
	char			*new_feed_url;	/* itunes:new-feed-url */
	char			*generator_uri;
	char			*generator_version;
	struct feed_text	 info;		/* Atom 0.3 info */
	struct feed_date	 created;
	struct feed_person	*contributors;
	size_t			 ncontributors;
	struct feed_person	 publisher;	/* all NULL: absent */
	struct feed_category	*categories;
	size_t			 ncategories;
	char			*docs;
	struct feed_image	*image;		/* NULL: absent */
	struct feed_cloud	*cloud;		/* NULL: absent */
	struct feed_textinput	*textinput;	/* NULL: absent */
	struct feed_ext		*ext;
	size_t			 next;

	struct feed_entry	*entries;
	size_t			 nentries;
};

const char	*feed_format_name(enum feed_format);

struct feed_doc	*feed_doc_new(void);
void		 feed_doc_free(struct feed_doc *);
void		 feed_text_clear(struct feed_text *);
void		 feed_date_clear(struct feed_date *);
void		 feed_person_clear(struct feed_person *);
void		 feed_link_clear(struct feed_link *);
void		 feed_category_clear(struct feed_category *);
void		 feed_entry_clear(struct feed_entry *);
void		 feed_ext_clear(struct feed_ext *);
void		 feed_source_free(struct feed_source *);

/* Append a zeroed element to an array and return it. */
struct feed_entry	*feed_doc_add_entry(struct feed_doc *);
struct feed_link	*feed_links_add(struct feed_link **, size_t *);
struct feed_person	*feed_persons_add(struct feed_person **, size_t *);
struct feed_category	*feed_categories_add(struct feed_category **,
			    size_t *);
struct feed_text	*feed_texts_add(struct feed_text **, size_t *);
struct feed_ext		*feed_exts_add(struct feed_ext **, size_t *);

#endif
