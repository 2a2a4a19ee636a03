/* SPDX-License-Identifier: ISC */
/*
 * JSON Feed 1.0 and 1.1 (jsonfeed.org/version/1 and /1.1, "JF11" below).
 * parse.c holds the document whole and hands it here at parse_finish;
 * jansson decodes it (UTF-8 checked, nesting depth bounded) and the
 * tree is mapped onto struct feed_doc the way Atom is: texts with a MIME
 * type, links with a rel, persons, categories.
 *
 * JF11 asks readers not to use partial data from invalid JSON, so a
 * document that does not decode is dropped whole (bozo
 * "not-well-formed").  Inside valid JSON the format is pragmatic: a
 * member of the wrong type is skipped, the rest is kept, and the
 * document is flagged bozo "invalid-jsonfeed" with the path of the first
 * problem.  A JSON null counts as absent, as many generators write null
 * for an optional member they lack.  The one rule JF11 insists on is
 * kept: an item without a usable id is discarded.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <jansson.h>

#include "feedd/model.h"
#include "feedd/parse.h"
#include "feedd/util.h"
#include "parse-int.h"

/* What every version URL starts with, after "https" or "http". */
#define PARSE_JF_VERSION "://jsonfeed.org/version/"

/* The bozo kind for a valid JSON document that breaks JF11. */
#define PARSE_JF_INVALID "invalid-jsonfeed"

/* State of one conversion. */
struct parse_jf {
	struct feed_doc	*doc;
	const char	*base;		/* document URL, or NULL */
	const char	*lang;		/* feed language (in doc), or NULL */
};

static void	 parse_jf_bozo(struct feed_doc *, const char *, int, int,
		     const char *, ...) __attribute__((format(printf, 5, 6)));
static void	 parse_jf_wrong(struct parse_jf *, const char *,
		     const char *, const char *);
static json_t	*parse_jf_get(json_t *, const char *);
static const char *parse_jf_str(struct parse_jf *, json_t *, const char *,
		     const char *);
static char	*parse_jf_url(struct parse_jf *, json_t *, const char *,
		     const char *);
static char	*parse_jf_number(json_t *);
static void	 parse_jf_text(struct parse_jf *, struct feed_text *,
		     const char *, const char *, const char *);
static void	 parse_jf_link(struct feed_link **, size_t *, char *,
		     const char *, const char *);
static bool	 parse_jf_person(struct parse_jf *, json_t *, const char *,
		     struct feed_person **, size_t *);
static void	 parse_jf_authors(struct parse_jf *, json_t *, const char *,
		     struct feed_person **, size_t *);
static void	 parse_jf_hubs(struct parse_jf *, json_t *);
static void	 parse_jf_feed(struct parse_jf *, json_t *);
static void	 parse_jf_item(struct parse_jf *, json_t *, const char *);
static char	*parse_jf_id(struct parse_jf *, json_t *, const char *);
static void	 parse_jf_date(struct parse_jf *, json_t *, const char *,
		     const char *, struct feed_date *);
static void	 parse_jf_tags(struct parse_jf *, json_t *, const char *,
		     struct feed_entry *);
static void	 parse_jf_attachments(struct parse_jf *, json_t *,
		     const char *, struct feed_entry *);
static char	*parse_jf_size(json_t *);
static enum feed_format parse_jf_version(json_t *);
static char	*parse_jf_resolve(const char *, const char *);


/*
 * Read a JSON Feed; see parse-int.h.  Duplicate member names are legal
 * JSON (RFC 8259 4 says only SHOULD be unique) but a sign of a broken
 * generator: the document is decoded once rejecting them and, if that
 * is the only trouble, again keeping the last value (what JavaScript and
 * Python do), and flagged bozo.
 */
int
parse_jsonfeed(const char *data, size_t len, const char *base,
    size_t max_entries, struct feed_doc *doc)
{
	struct parse_jf	 jf;
	json_t		*root, *items, *item;
	json_error_t	 err, dup;
	bool		 has_dup = false, has_bom = false;
	size_t		 i;
	char		 where[64];
	int		 rv = -1;

	memset(&dup, 0, sizeof dup);
	if (doc->encoding == NULL)
		doc->encoding = xstrdup("utf-8");

	/* RFC 8259 8.1: a parser MAY ignore a BOM; jansson does not. */
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		len -= 3;
		has_bom = true;
	}
	root = json_loadb(data, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL,
	    &err);
	if (root == NULL && json_error_code(&err) == json_error_duplicate_key) {
		dup = err;
		has_dup = true;
		root = json_loadb(data, len, JSON_ALLOW_NUL, &err);
	}
	if (root == NULL) {
		/* The column counts characters; the BOM was one. */
		parse_jf_bozo(doc, "not-well-formed", err.line, err.column +
		    (has_bom && err.line == 1), "%s", err.text);
		return (-1);
	}

	doc->format = parse_jf_version(root);
	if (doc->format == FEED_FORMAT_NONE) {
		parse_jf_bozo(doc, "not-a-feed", 0, 0, "JSON document has no "
		    "JSON Feed version");
		goto out;
	}
	rv = 0;
	if (has_dup)
		parse_jf_bozo(doc, PARSE_JF_INVALID, dup.line, dup.column +
		    (has_bom && dup.line == 1), "%s", dup.text);

	memset(&jf, 0, sizeof jf);
	jf.doc = doc;
	jf.base = base;
	parse_jf_feed(&jf, root);

	/* JF11: items is required. */
	items = parse_jf_get(root, "items");
	if (items == NULL)
		parse_jf_bozo(doc, PARSE_JF_INVALID, 0, 0, "items is missing");
	else if (!json_is_array(items))
		parse_jf_wrong(&jf, "", "items", "an array");
	else {
		json_array_foreach(items, i, item) {
			if (max_entries != 0 && doc->nentries >= max_entries)
				break;
			snprintf(where, sizeof where, "items[%zu]", i);
			parse_jf_item(&jf, item, where);
		}
	}

out:
	json_decref(root);
	return (rv);
}

/*
 * Flag the document bozo, unless it already is: the first problem is
 * the one reported, as in parse.c.
 */
static void
parse_jf_bozo(struct feed_doc *doc, const char *kind, int line, int column,
    const char *fmt, ...)
{
	va_list	 ap;

	if (doc->is_bozo)
		return;
	doc->is_bozo = true;
	doc->bozo_kind = xstrdup(kind);
	va_start(ap, fmt);
	xvasprintf(&doc->bozo_message, fmt, ap);
	va_end(ap);
	doc->bozo_line = line;
	doc->bozo_column = column;
}

/*
 * Report a member of the wrong type: where is the path of the object
 * holding it ("" for the top level, "items[3]"), want what it should be.
 */
static void
parse_jf_wrong(struct parse_jf *jf, const char *where, const char *key,
    const char *want)
{
	parse_jf_bozo(jf->doc, PARSE_JF_INVALID, 0, 0, "%s%s%s is not %s",
	    where, *where != '\0' ? "." : "", key, want);
}

/* The member key of obj, or NULL if it is absent or JSON null. */
static json_t *
parse_jf_get(json_t *obj, const char *key)
{
	json_t	*v;

	v = json_object_get(obj, key);
	if (v == NULL || json_is_null(v))
		return (NULL);
	return (v);
}

/*
 * The string member key of obj, borrowed from the tree, or NULL if it
 * is absent or empty (the model has no empty strings).  Another type, or
 * a string holding U+0000 (which a C string cannot carry), is skipped
 * and makes the document bozo.
 */
static const char *
parse_jf_str(struct parse_jf *jf, json_t *obj, const char *key,
    const char *where)
{
	json_t		*v;
	const char	*s;

	if ((v = parse_jf_get(obj, key)) == NULL)
		return (NULL);
	if (!json_is_string(v)) {
		parse_jf_wrong(jf, where, key, "a string");
		return (NULL);
	}
	s = json_string_value(v);
	if (strlen(s) != json_string_length(v)) {
		parse_jf_wrong(jf, where, key, "a string without U+0000");
		return (NULL);
	}
	return (*s != '\0' ? s : NULL);
}

/*
 * The URL member key of obj, trimmed and resolved against the document
 * URL; NULL if absent, blank or of an unsafe scheme.  The caller frees.
 */
static char *
parse_jf_url(struct parse_jf *jf, json_t *obj, const char *key,
    const char *where)
{
	const char	*s;
	char		*t, *u;

	if ((s = parse_jf_str(jf, obj, key, where)) == NULL)
		return (NULL);
	t = xstrdup(s);
	u = util_trim(t);
	u = *u != '\0' ? parse_jf_resolve(jf->base, u) : NULL;
	free(t);
	return (u);
}

/*
 * A JSON number as a string, the way JavaScript's String() writes it
 * for the values feeds use: integers in full ("1e3" is "1000"), other
 * reals in the shortest form that reads back the same.
 */
static char *
parse_jf_number(json_t *v)
{
	char	 s[64];
	double	 d;
	int	 prec;

	if (json_is_integer(v)) {
		snprintf(s, sizeof s, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		return (xstrdup(s));
	}
	d = json_real_value(v);
	if (d > -1e15 && d < 1e15 && d == (double)(long long)d) {
		snprintf(s, sizeof s, "%lld", (long long)d);
		return (xstrdup(s));
	}
	for (prec = 15; prec < 17; prec++) {
		snprintf(s, sizeof s, "%.*g", prec, d);
		if (strtod(s, NULL) == d)
			break;
	}
	if (prec == 17)
		snprintf(s, sizeof s, "%.17g", d);
	return (xstrdup(s));
}

/*
 * Fill a text construct with a copy of value.  Its language is the
 * item's, else the feed's (JF11: an item's language may differ from the
 * feed's); its base is the document URL when there is one.
 */
static void
parse_jf_text(struct parse_jf *jf, struct feed_text *t, const char *value,
    const char *type, const char *lang)
{
	feed_text_clear(t);
	t->value = xstrdup(value);
	t->type = xstrdup(type);
	if (lang == NULL)
		lang = jf->lang;
	if (lang != NULL)
		t->lang = xstrdup(lang);
	if (jf->base != NULL)
		t->base = xstrdup(jf->base);
}

/* Append a link; href is taken over and must not be NULL. */
static void
parse_jf_link(struct feed_link **links, size_t *nlinks, char *href,
    const char *rel, const char *type)
{
	struct feed_link	*l;

	l = feed_links_add(links, nlinks);
	l->href = href;
	l->rel = xstrdup(rel);
	if (type != NULL)
		l->type = xstrdup(type);
}

/*
 * Append the person described by author object o (name, url, avatar).
 * The avatar has no place in the model and is dropped; a mailto: url
 * also gives the e-mail address.  An object with none of the three
 * members breaks JF11 ("at least one is required").  Returns whether o
 * was an object.
 */
static bool
parse_jf_person(struct parse_jf *jf, json_t *o, const char *where,
    struct feed_person **persons, size_t *npersons)
{
	struct feed_person	*p;
	const char		*name;
	char			*uri;
	size_t			 n;

	if (!json_is_object(o))
		return (false);
	name = parse_jf_str(jf, o, "name", where);
	uri = parse_jf_url(jf, o, "url", where);
	if (name == NULL && uri == NULL) {
		if (parse_jf_get(o, "name") == NULL &&
		    parse_jf_get(o, "url") == NULL &&
		    parse_jf_get(o, "avatar") == NULL)
			parse_jf_bozo(jf->doc, PARSE_JF_INVALID, 0, 0,
			    "%s has no name, url or avatar", where);
		return (true);
	}
	p = feed_persons_add(persons, npersons);
	if (name != NULL)
		p->name = xstrdup(name);
	if (uri != NULL && strncasecmp(uri, "mailto:", 7) == 0) {
		n = strcspn(uri + 7, "?");
		if (n > 0)
			p->email = xstrndup(uri + 7, n);
	}
	p->uri = uri;
	return (true);
}

/*
 * The authors of the feed or an item: the 1.1 authors array, else the
 * 1.0 author object (JF11: "readers should always prefer authors if
 * present"; the deprecated author stays valid in 1.1).  A wrong authors
 * falls back to author.  Item authors are not copied from the feed
 * when absent: as for Atom, the feed's authors stay on the feed.
 */
static void
parse_jf_authors(struct parse_jf *jf, json_t *obj, const char *where,
    struct feed_person **persons, size_t *npersons)
{
	json_t	*v, *a;
	size_t	 i;
	char	 path[128];

	if ((v = parse_jf_get(obj, "authors")) != NULL) {
		if (json_is_array(v)) {
			json_array_foreach(v, i, a) {
				snprintf(path, sizeof path, "%s%sauthors[%zu]",
				    where, *where != '\0' ? "." : "", i);
				if (!parse_jf_person(jf, a, path, persons,
				    npersons))
					parse_jf_bozo(jf->doc, PARSE_JF_INVALID,
					    0, 0, "%s is not an object", path);
			}
			return;
		}
		parse_jf_wrong(jf, where, "authors", "an array");
	}
	if ((v = parse_jf_get(obj, "author")) != NULL) {
		snprintf(path, sizeof path, "%s%sauthor", where,
		    *where != '\0' ? "." : "");
		if (!parse_jf_person(jf, v, path, persons, npersons))
			parse_jf_wrong(jf, where, "author", "an object");
	}
}

/*
 * Hubs (JF11 "Subscribing to Real-time Notifications"): only WebSub
 * hubs become links rel="hub", the meaning that rel has in Atom; an
 * rssCloud hub or another protocol is not something a hub link can say.
 */
static void
parse_jf_hubs(struct parse_jf *jf, json_t *root)
{
	struct feed_doc	*doc = jf->doc;
	json_t		*hubs, *h;
	const char	*type;
	char		*url, where[32];
	size_t		 i;

	if ((hubs = parse_jf_get(root, "hubs")) == NULL)
		return;
	if (!json_is_array(hubs)) {
		parse_jf_wrong(jf, "", "hubs", "an array");
		return;
	}
	json_array_foreach(hubs, i, h) {
		snprintf(where, sizeof where, "hubs[%zu]", i);
		if (!json_is_object(h)) {
			parse_jf_bozo(doc, PARSE_JF_INVALID, 0, 0,
			    "%s is not an object", where);
			continue;
		}
		type = parse_jf_str(jf, h, "type", where);
		url = parse_jf_url(jf, h, "url", where);
		if (type == NULL || parse_jf_get(h, "url") == NULL)
			parse_jf_bozo(doc, PARSE_JF_INVALID, 0, 0,
			    "%s lacks type or url", where);
		if (type != NULL && url != NULL &&
		    strcasecmp(type, "WebSub") == 0)
			parse_jf_link(&doc->links, &doc->nlinks, url, "hub",
			    NULL);
		else
			free(url);
	}
}

/*
 * The top-level members.  home_page_url is the main alternate link (an
 * HTML page, JF11); feed_url is the self link and, as JF11 says it
 * "serves as the unique identifier for the feed", also the feed id;
 * next_url is a paging link rel="next" (RFC 5005).  icon, "square and
 * relatively large", is Atom's logo; favicon is Atom's icon.
 * user_comment and expired are for people and are ignored.
 */
static void
parse_jf_feed(struct parse_jf *jf, json_t *root)
{
	struct feed_doc	*doc = jf->doc;
	const char	*s;
	char		*u;

	if ((s = parse_jf_str(jf, root, "language", "")) != NULL) {
		doc->language = xstrdup(s);
		jf->lang = doc->language;
	}
	if ((s = parse_jf_str(jf, root, "title", "")) != NULL)
		parse_jf_text(jf, &doc->title, s, "text/plain", NULL);
	else if (parse_jf_get(root, "title") == NULL)
		parse_jf_bozo(doc, PARSE_JF_INVALID, 0, 0, "title is missing");
	if ((u = parse_jf_url(jf, root, "home_page_url", "")) != NULL) {
		doc->link = xstrdup(u);
		parse_jf_link(&doc->links, &doc->nlinks, u, "alternate",
		    "text/html");
	}
	if ((u = parse_jf_url(jf, root, "feed_url", "")) != NULL) {
		doc->id = xstrdup(u);
		parse_jf_link(&doc->links, &doc->nlinks, u, "self", NULL);
	}
	if ((u = parse_jf_url(jf, root, "next_url", "")) != NULL)
		parse_jf_link(&doc->links, &doc->nlinks, u, "next", NULL);
	parse_jf_hubs(jf, root);
	if ((s = parse_jf_str(jf, root, "description", "")) != NULL)
		parse_jf_text(jf, &doc->subtitle, s, "text/plain", NULL);
	doc->logo = parse_jf_url(jf, root, "icon", "");
	doc->icon = parse_jf_url(jf, root, "favicon", "");
	parse_jf_authors(jf, root, "", &doc->authors, &doc->nauthors);
}

/*
 * The id of an item: a string as written, a number coerced to a string
 * (JF11).  NULL, and the document bozo, when it is missing, blank or
 * of a type that cannot be coerced: JF11 says the item "must be
 * discarded" then.
 */
static char *
parse_jf_id(struct parse_jf *jf, json_t *item, const char *where)
{
	json_t		*v;
	const char	*s;

	v = parse_jf_get(item, "id");
	if (v != NULL && json_is_number(v))
		return (parse_jf_number(v));
	if (v != NULL && json_is_string(v)) {
		s = json_string_value(v);
		if (strlen(s) == json_string_length(v)) {
			while (isspace((unsigned char)*s))
				s++;
			if (*s != '\0')
				return (xstrdup(json_string_value(v)));
		}
	}
	parse_jf_bozo(jf->doc, PARSE_JF_INVALID, 0, 0,
	    "%s has no usable id and was discarded", where);
	return (NULL);
}

/*
 * A date member (RFC 3339 in JF11).  One that cannot be read keeps its
 * raw text and no instant, without making the document bozo: JF11 lists
 * it among the tolerable faults, and parse.c treats RSS and Atom dates
 * the same way.
 */
static void
parse_jf_date(struct parse_jf *jf, json_t *item, const char *key,
    const char *where, struct feed_date *d)
{
	const char	*s;

	if ((s = parse_jf_str(jf, item, key, where)) == NULL)
		return;
	feed_date_clear(d);
	d->raw = xstrdup(s);
	d->is_valid = parse_date(s, &d->utc) == 0;
}

/* Tags, an array of strings, as categories with a term only. */
static void
parse_jf_tags(struct parse_jf *jf, json_t *item, const char *where,
    struct feed_entry *e)
{
	struct feed_category	*c;
	json_t			*tags, *t;
	const char		*s;
	size_t			 i;

	if ((tags = parse_jf_get(item, "tags")) == NULL)
		return;
	if (!json_is_array(tags)) {
		parse_jf_wrong(jf, where, "tags", "an array");
		return;
	}
	json_array_foreach(tags, i, t) {
		if (!json_is_string(t) ||
		    strlen(json_string_value(t)) != json_string_length(t)) {
			parse_jf_bozo(jf->doc, PARSE_JF_INVALID, 0, 0,
			    "%s.tags[%zu] is not a string", where, i);
			continue;
		}
		s = json_string_value(t);
		if (*s == '\0')
			continue;
		c = feed_categories_add(&e->categories, &e->ncategories);
		c->term = xstrdup(s);
	}
}

/*
 * size_in_bytes as a decimal string, or NULL if it is not a whole
 * number of bytes (some generators write 1.2e6, which is fine).
 */
static char *
parse_jf_size(json_t *v)
{
	char	 s[32];
	double	 d;

	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		snprintf(s, sizeof s, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		return (xstrdup(s));
	}
	if (!json_is_real(v))
		return (NULL);
	d = json_real_value(v);
	if (d < 0 || d >= 9e18 || d != (double)(long long)d)
		return (NULL);
	snprintf(s, sizeof s, "%lld", (long long)d);
	return (xstrdup(s));
}

/*
 * Attachments as links rel="enclosure", the way RSS enclosures are
 * kept: url, mime_type, title, size_in_bytes.  One without a url is
 * skipped; one without a mime_type is kept (JF11: a reader "can
 * probably deal with it fine") but still makes the document bozo.
 * duration_in_seconds has no place in a link and is dropped.
 */
static void
parse_jf_attachments(struct parse_jf *jf, json_t *item, const char *where,
    struct feed_entry *e)
{
	struct feed_link	*l;
	json_t			*atts, *a, *v;
	const char		*type, *title;
	char			*url, path[128];
	size_t			 i;

	if ((atts = parse_jf_get(item, "attachments")) == NULL)
		return;
	if (!json_is_array(atts)) {
		parse_jf_wrong(jf, where, "attachments", "an array");
		return;
	}
	json_array_foreach(atts, i, a) {
		snprintf(path, sizeof path, "%s.attachments[%zu]", where, i);
		if (!json_is_object(a)) {
			parse_jf_bozo(jf->doc, PARSE_JF_INVALID, 0, 0,
			    "%s is not an object", path);
			continue;
		}
		url = parse_jf_url(jf, a, "url", path);
		type = parse_jf_str(jf, a, "mime_type", path);
		title = parse_jf_str(jf, a, "title", path);
		if (parse_jf_get(a, "url") == NULL ||
		    parse_jf_get(a, "mime_type") == NULL)
			parse_jf_bozo(jf->doc, PARSE_JF_INVALID, 0, 0,
			    "%s lacks url or mime_type", path);
		if (url == NULL)
			continue;
		parse_jf_link(&e->links, &e->nlinks, url, "enclosure", type);
		l = &e->links[e->nlinks - 1];
		if (title != NULL)
			l->title = xstrdup(title);
		if ((v = parse_jf_get(a, "size_in_bytes")) != NULL &&
		    (l->length = parse_jf_size(v)) == NULL)
			parse_jf_wrong(jf, path, "size_in_bytes",
			    "a whole number");
	}
}

/*
 * One item.  url is the main alternate link (the permalink);
 * external_url, the thing a linkblog talks about, is a link
 * rel="related" as in Atom.  content_html (sanitized) and content_text
 * both go into content, HTML first.  image and banner_image have no
 * place in the model and are ignored: an enclosure would make them
 * podcast media, and Atom has no link relation for them.  The item's
 * language applies to its texts; the model has no entry language.
 */
static void
parse_jf_item(struct parse_jf *jf, json_t *item, const char *where)
{
	struct feed_entry	*e;
	struct feed_text	*t;
	const char		*s, *html, *text, *lang;
	char			*id, *u;

	if (!json_is_object(item)) {
		parse_jf_bozo(jf->doc, PARSE_JF_INVALID, 0, 0,
		    "%s is not an object", where);
		return;
	}
	if ((id = parse_jf_id(jf, item, where)) == NULL)
		return;
	e = feed_doc_add_entry(jf->doc);
	e->id = id;
	lang = parse_jf_str(jf, item, "language", where);

	if ((u = parse_jf_url(jf, item, "url", where)) != NULL) {
		e->link = xstrdup(u);
		parse_jf_link(&e->links, &e->nlinks, u, "alternate",
		    "text/html");
	}
	if ((u = parse_jf_url(jf, item, "external_url", where)) != NULL)
		parse_jf_link(&e->links, &e->nlinks, u, "related", NULL);
	if ((s = parse_jf_str(jf, item, "title", where)) != NULL)
		parse_jf_text(jf, &e->title, s, "text/plain", lang);
	if ((s = parse_jf_str(jf, item, "summary", where)) != NULL)
		parse_jf_text(jf, &e->summary, s, "text/plain", lang);

	html = parse_jf_str(jf, item, "content_html", where);
	text = parse_jf_str(jf, item, "content_text", where);
	if (html != NULL) {
		t = feed_texts_add(&e->content, &e->ncontent);
		u = parse_html_sanitize(html, jf->base, NULL);
		parse_jf_text(jf, t, u, "text/html", lang);
		free(u);
	}
	if (text != NULL) {
		t = feed_texts_add(&e->content, &e->ncontent);
		parse_jf_text(jf, t, text, "text/plain", lang);
	}
	if (parse_jf_get(item, "content_html") == NULL &&
	    parse_jf_get(item, "content_text") == NULL)
		parse_jf_bozo(jf->doc, PARSE_JF_INVALID, 0, 0,
		    "%s has neither content_html nor content_text", where);

	parse_jf_date(jf, item, "date_published", where, &e->published);
	parse_jf_date(jf, item, "date_modified", where, &e->updated);
	parse_jf_authors(jf, item, where, &e->authors, &e->nauthors);
	parse_jf_tags(jf, item, where, e);
	parse_jf_attachments(jf, item, where, e);
}

/*
 * The format a root object declares: version 1 (also written 1.0) or
 * 1.1, with an https or http URL.  A later version is read as 1.1, since
 * JF11 promises that "a version 1 feed will be a valid version 2 feed"
 * and that new versions only add; FEED_FORMAT_NONE when root is not a
 * JSON Feed at all.
 */
static enum feed_format
parse_jf_version(json_t *root)
{
	const char	*v, *n;

	if (!json_is_object(root))
		return (FEED_FORMAT_NONE);
	v = json_string_value(json_object_get(root, "version"));
	if (v == NULL)
		return (FEED_FORMAT_NONE);
	if (strncasecmp(v, "https", 5) == 0)
		v += 5;
	else if (strncasecmp(v, "http", 4) == 0)
		v += 4;
	else
		return (FEED_FORMAT_NONE);
	if (strncasecmp(v, PARSE_JF_VERSION, strlen(PARSE_JF_VERSION)) != 0)
		return (FEED_FORMAT_NONE);
	n = v + strlen(PARSE_JF_VERSION);
	if (strcmp(n, "1") == 0 || strcmp(n, "1/") == 0 ||
	    strcmp(n, "1.0") == 0 || strcmp(n, "1.0/") == 0)
		return (FEED_FORMAT_JSON10);
	return (FEED_FORMAT_JSON11);
}

/*
 * Resolve a reference against the document URL (parse-url.c).  Unlike
 * the XML reader, an unsafe absolute reference is dropped even without a
 * base: only the feedparser corpus asks to keep it, and not of JSON.
 */
static char *
parse_jf_resolve(const char *base, const char *ref)
{
	return (parse_url_resolve(base, ref, true));
}
