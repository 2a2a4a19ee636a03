/* SPDX-License-Identifier: ISC */
/*
 * Read an OPML subscription list ("Subscription lists", dev.opml.org
 * spec2) into feeds for config sections: `feedd opml import`.
 *
 * An outline with an xmlUrl is a feed; an outline without one that holds
 * other outlines is a category, and every category around a feed becomes
 * one of its tags, as does each segment of its category attribute
 * ("/news,/tech/linux": news, tech, linux), the form `feedd opml export`
 * writes.  Readers export the same feed under several categories, so a
 * repeated xmlUrl merges into the first feed.
 *
 * The file is the operator's, but it often comes from elsewhere (a
 * reader's export, a list on the web), so it is parsed like a feed: no
 * network (XML_PARSE_NONET), a loader that refuses every external entity
 * and DTD, no entity substitution, and a document that declares entities
 * is refused outright, since no OPML needs them.
 *
 * Values are written into an INI file, so they are made safe for it:
 * control characters (which would start new lines, and so new keys) are
 * removed, and ";" after white space, which starts an inih comment.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "feedd/opml.h"
#include "feedd/util.h"

/* The largest document read: lists of thousands of feeds are far less. */
#define OPML_MAX_BYTES	(16 * 1024 * 1024)
/* Longest generated name, title and URL written. */
#define OPML_MAX_NAME	48
#define OPML_MAX_TITLE	1000
#define OPML_MAX_URL	4096
/* Categories nested deeper than this are not read. */
#define OPML_MAX_DEPTH	32

/* What opml_read keeps while it walks the document. */
struct opml_reader {
	const char		*path;		/* for messages */
	struct opml_list	*list;
	char			**tags;		/* categories around us */
	size_t			 ntags;
	bool			 has_entities;	/* the DTD declares some */
	char			*error;		/* first XML error */
	int			 error_line;
};

static xmlParserInputPtr opml_deny_loader(const char *, const char *,
		    xmlParserCtxtPtr);
static void	opml_entity_decl(void *, const xmlChar *, int,
		    const xmlChar *, const xmlChar *, xmlChar *);
static void	opml_error_cb(void *, xmlErrorPtr);
static int	opml_slurp(const char *, struct buf *, char **);
static xmlDocPtr opml_parse(struct opml_reader *, const struct buf *,
		    char **);
static void	opml_walk(struct opml_reader *, xmlNodePtr, int);
static void	opml_outline(struct opml_reader *, xmlNodePtr, int);
static void	opml_add_feed(struct opml_reader *, xmlNodePtr, char *);
static struct opml_feed *opml_new_feed(struct opml_list *, xmlNodePtr,
		    char *);
static void	opml_warn(struct opml_reader *, int, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
static char	*opml_attr(xmlNodePtr, const char *);
static char	*opml_text(const char *);
static char	*opml_slug(const char *, bool);
static char	*opml_host(const char *);
static bool	 opml_is_url(const char *);
static bool	 opml_is_name_taken(const struct opml_list *, const char *);
static char	*opml_unique_name(const struct opml_list *, const char *);
static void	 opml_add_tag(char ***, size_t *, const char *);
static void	 opml_add_categories(struct opml_feed *, const char *);

/* The external entity loader: refuses everything (XXE). */
static xmlParserInputPtr
opml_deny_loader(const char *url, const char *id, xmlParserCtxtPtr xc)
{
	(void)url;
	(void)id;
	(void)xc;
	return (NULL);
}

/*
 * SAX: an entity declaration.  It is not recorded, so nothing can expand
 * it (billion laughs), and the document is refused afterwards.
 */
static void
opml_entity_decl(void *uctx, const xmlChar *name, int type,
    const xmlChar *pubid, const xmlChar *sysid, xmlChar *content)
{
	xmlParserCtxtPtr	 xc = uctx;
	struct opml_reader	*r = xc->_private;

	(void)name;
	(void)type;
	(void)pubid;
	(void)sysid;
	(void)content;
	r->has_entities = true;
}

/* Keep libxml2's first error, with its line, for the message. */
static void
opml_error_cb(void *arg, xmlErrorPtr err)
{
	xmlParserCtxtPtr	 xc = arg;
	struct opml_reader	*r = xc->_private;
	char			*msg;

	if (r->error != NULL || err->level < XML_ERR_ERROR)
		return;
	msg = opml_text(err->message != NULL ? err->message : "XML error");
	r->error = msg;
	r->error_line = err->line;
}

/* Read path ("-": stdin) into b, at most OPML_MAX_BYTES.  Returns -1. */
static int
opml_slurp(const char *path, struct buf *b, char **cause)
{
	FILE	*f;
	char	 chunk[65536];
	size_t	 n;
	int	 ret = 0;

	if (strcmp(path, "-") == 0)
		f = stdin;
	else if ((f = fopen(path, "rb")) == NULL) {
		xasprintf(cause, "%s: cannot open: %s", path, strerror(errno));
		return (-1);
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (b->len + n > OPML_MAX_BYTES) {
			xasprintf(cause, "%s: larger than %d bytes", path,
			    OPML_MAX_BYTES);
			ret = -1;
			break;
		}
		buf_add(b, chunk, n);
	}
	if (ret == 0 && ferror(f)) {
		xasprintf(cause, "%s: cannot read: %s", path, strerror(errno));
		ret = -1;
	}
	if (f != stdin)
		fclose(f);
	return (ret);
}

/*
 * Parse the document in b safely (see the top of the file).  Returns it,
 * or NULL with *cause set.
 */
static xmlDocPtr
opml_parse(struct opml_reader *r, const struct buf *b, char **cause)
{
	xmlParserCtxtPtr	 xc;
	xmlDocPtr		 doc = NULL;

	xmlSetExternalEntityLoader(opml_deny_loader);
	if (b->len > (size_t)INT32_MAX || (xc = xmlNewParserCtxt()) == NULL) {
		xasprintf(cause, "%s: cannot create an XML parser", r->path);
		return (NULL);
	}
	xc->_private = r;
	xc->sax->entityDecl = opml_entity_decl;
	xc->sax->serror = opml_error_cb;
	xc->sax->error = NULL;
	xc->sax->warning = NULL;
	xc->sax->initialized = XML_SAX2_MAGIC;
	doc = xmlCtxtReadMemory(xc, b->len > 0 ? b->data : "", (int)b->len,
	    NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOWARNING);
	if (r->has_entities) {
		xasprintf(cause, "%s: declares entities, which OPML never "
		    "needs: refused", r->path);
		goto fail;
	}
	if (doc == NULL || !xc->wellFormed) {
		if (r->error != NULL)
			xasprintf(cause, "%s:%d: %s", r->path, r->error_line,
			    r->error);
		else
			xasprintf(cause, "%s: not well-formed XML", r->path);
		goto fail;
	}
	xmlFreeParserCtxt(xc);
	return (doc);

fail:
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(xc);
	return (NULL);
}

/* Read the list at path; see opml.h. */
struct opml_list *
opml_read(const char *path, char **cause)
{
	struct opml_reader	 r;
	struct buf		 b;
	xmlDocPtr		 doc = NULL;
	xmlNodePtr		 root, n;

	memset(&r, 0, sizeof r);
	r.path = strcmp(path, "-") == 0 ? "(stdin)" : path;
	r.list = xcalloc(1, sizeof *r.list);
	*cause = NULL;
	buf_init(&b);
	if (opml_slurp(path, &b, cause) != 0 ||
	    (doc = opml_parse(&r, &b, cause)) == NULL)
		goto fail;

	root = xmlDocGetRootElement(doc);
	if (root == NULL || !xmlStrEqual(root->name, BAD_CAST "opml")) {
		xasprintf(cause, "%s: not an OPML document (no <opml>)",
		    r.path);
		goto fail;
	}
	for (n = root->children; n != NULL; n = n->next) {
		if (n->type == XML_ELEMENT_NODE &&
		    xmlStrEqual(n->name, BAD_CAST "body"))
			break;
	}
	if (n == NULL) {
		xasprintf(cause, "%s: not an OPML document (no <body>)",
		    r.path);
		goto fail;
	}
	opml_walk(&r, n, 0);
	xmlFreeDoc(doc);
	buf_clear(&b);
	free(r.error);
	return (r.list);

fail:
	xmlFreeDoc(doc);
	buf_clear(&b);
	free(r.error);
	opml_list_free(r.list);
	return (NULL);
}

/* Free a list and everything it owns; NULL is allowed. */
void
opml_list_free(struct opml_list *list)
{
	struct opml_feed	*f;
	size_t			 i, j;

	if (list == NULL)
		return;
	for (i = 0; i < list->nfeeds; i++) {
		f = &list->feeds[i];
		free(f->name);
		free(f->url);
		free(f->title);
		free(f->html_url);
		for (j = 0; j < f->ntags; j++)
			free(f->tags[j]);
		free(f->tags);
	}
	free(list->feeds);
	for (i = 0; i < list->nwarnings; i++)
		free(list->warnings[i]);
	free(list->warnings);
	free(list);
}

/* Read the outlines under parent, depth categories deep. */
static void
opml_walk(struct opml_reader *r, xmlNodePtr parent, int depth)
{
	xmlNodePtr	 n;

	for (n = parent->children; n != NULL; n = n->next) {
		if (n->type == XML_ELEMENT_NODE &&
		    xmlStrEqual(n->name, BAD_CAST "outline"))
			opml_outline(r, n, depth);
	}
}

/*
 * One outline: a feed when it has an xmlUrl; otherwise a category when
 * it holds outlines, its name a tag of every feed inside; otherwise
 * nothing feedd can poll, said as a warning.
 */
static void
opml_outline(struct opml_reader *r, xmlNodePtr n, int depth)
{
	char	*url, *name, *tag;
	int	 line = (int)xmlGetLineNo(n);
	bool	 has_children;
	size_t	 ntags = r->ntags;

	has_children = xmlFirstElementChild(n) != NULL;
	if ((url = opml_attr(n, "xmlUrl")) != NULL) {
		opml_add_feed(r, n, url);
		if (has_children && depth < OPML_MAX_DEPTH)
			opml_walk(r, n, depth + 1);
		return;
	}
	if ((name = opml_attr(n, "text")) == NULL)
		name = opml_attr(n, "title");
	if (!has_children) {
		opml_warn(r, line, "outline \"%s\" has no xmlUrl: skipped",
		    name != NULL ? name : "");
		free(name);
		return;
	}
	if (depth >= OPML_MAX_DEPTH) {
		opml_warn(r, line, "categories nested more than %d deep: "
		    "skipped", OPML_MAX_DEPTH);
		free(name);
		return;
	}
	if (name != NULL && (tag = opml_slug(name, false)) != NULL) {
		opml_add_tag(&r->tags, &r->ntags, tag);
		free(tag);
	}
	free(name);
	opml_walk(r, n, depth + 1);
	while (r->ntags > ntags)
		free(r->tags[--r->ntags]);
	if (r->ntags == 0) {
		free(r->tags);
		r->tags = NULL;
	}
}

/*
 * Add the feed of outline n, whose xmlUrl is url (taken over), or merge
 * its tags into the earlier feed with that URL.
 */
static void
opml_add_feed(struct opml_reader *r, xmlNodePtr n, char *url)
{
	struct opml_list	*list = r->list;
	struct opml_feed	*f = NULL;
	char			*category;
	size_t			 i;

	util_trim(url);
	if (!opml_is_url(url)) {
		opml_warn(r, (int)xmlGetLineNo(n), "xmlUrl \"%s\" is not an "
		    "http or https URL: skipped", url);
		free(url);
		return;
	}
	for (i = 0; i < list->nfeeds && f == NULL; i++) {
		if (strcmp(list->feeds[i].url, url) == 0)
			f = &list->feeds[i];
	}
	if (f != NULL)
		free(url);
	else
		f = opml_new_feed(list, n, url);
	for (i = 0; i < r->ntags; i++)
		opml_add_tag(&f->tags, &f->ntags, r->tags[i]);
	if ((category = opml_attr(n, "category")) != NULL) {
		opml_add_categories(f, category);
		free(category);
	}
}

/*
 * Append a feed for outline n with url (taken over): its title from text
 * (else title), its name from the title (else the host), its htmlUrl.
 */
static struct opml_feed *
opml_new_feed(struct opml_list *list, xmlNodePtr n, char *url)
{
	struct opml_feed	*f;
	char			*text, *base;

	list->feeds = xreallocarray(list->feeds, list->nfeeds + 1,
	    sizeof *list->feeds);
	f = &list->feeds[list->nfeeds++];
	memset(f, 0, sizeof *f);
	f->url = url;
	f->line = (int)xmlGetLineNo(n);
	if ((text = opml_attr(n, "text")) == NULL)
		text = opml_attr(n, "title");
	if (text != NULL)
		f->title = opml_text(text);
	free(text);
	if (f->title == NULL || (base = opml_slug(f->title, true)) == NULL)
		base = opml_host(url);
	f->name = opml_unique_name(list, base);
	free(base);
	/* A title that says no more than the name is left out. */
	if (f->title != NULL && (*f->title == '\0' ||
	    strcmp(f->title, f->name) == 0)) {
		free(f->title);
		f->title = NULL;
	}
	if ((text = opml_attr(n, "htmlUrl")) != NULL) {
		f->html_url = opml_text(text);
		free(text);
	}
	return (f);
}

/* Record a warning at line: an outline that was skipped. */
static void
opml_warn(struct opml_reader *r, int line, const char *fmt, ...)
{
	struct opml_list	*list = r->list;
	va_list			 ap;
	char			*msg, *clean;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	clean = opml_text(msg);
	list->warnings = xreallocarray(list->warnings, list->nwarnings + 1,
	    sizeof *list->warnings);
	xasprintf(&list->warnings[list->nwarnings++], "%s:%d: %s", r->path,
	    line, clean);
	free(clean);
	free(msg);
}

/*
 * The attribute called name, matched without regard to case (exporters
 * write xmlUrl, xmlurl and XMLURL), as a new string, or NULL when absent.
 */
static char *
opml_attr(xmlNodePtr n, const char *name)
{
	xmlAttrPtr	 a;
	xmlChar		*v;
	char		*out;

	for (a = n->properties; a != NULL; a = a->next) {
		if (xmlStrcasecmp(a->name, BAD_CAST name) == 0)
			break;
	}
	if (a == NULL || (v = xmlNodeGetContent((xmlNodePtr)a)) == NULL)
		return (NULL);
	out = xstrdup((const char *)v);
	xmlFree(v);
	return (out);
}

/*
 * s made safe as one INI value, a new string: control characters and runs
 * of white space become one space, ";" becomes "," (after white space it
 * would start a comment), ends trimmed, at most OPML_MAX_TITLE bytes cut
 * at a character boundary.
 */
static char *
opml_text(const char *s)
{
	struct buf		 b;
	const unsigned char	*p;
	bool			 was_space = true;

	buf_init(&b);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f || *p == ' ') {
			if (!was_space)
				buf_addc(&b, ' ');
			was_space = true;
			continue;
		}
		if (b.len >= OPML_MAX_TITLE && (*p & 0xc0) != 0x80)
			break;
		buf_addc(&b, *p == ';' ? ',' : (char)*p);
		was_space = false;
	}
	while (b.len > 0 && b.data[b.len - 1] == ' ')
		b.data[--b.len] = '\0';
	return (buf_steal(&b));
}

/*
 * A name or tag made from free text, a new string or NULL when nothing is
 * left: ASCII letters and digits kept (lower-cased for a name), every
 * other run of bytes one "-" (tags also keep "." and "_"), no "-" at
 * either end, at most OPML_MAX_NAME bytes.
 */
static char *
opml_slug(const char *s, bool is_name)
{
	struct buf		 b;
	const unsigned char	*p;
	bool			 was_dash = true;

	buf_init(&b);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (b.len >= OPML_MAX_NAME)
			break;
		if (isascii(*p) && (isalnum(*p) ||
		    (!is_name && (*p == '.' || *p == '_')))) {
			buf_addc(&b, is_name ? (char)tolower(*p) : (char)*p);
			was_dash = false;
		} else if (!was_dash) {
			buf_addc(&b, '-');
			was_dash = true;
		}
	}
	while (b.len > 0 && b.data[b.len - 1] == '-')
		b.data[--b.len] = '\0';
	if (b.len == 0) {
		buf_clear(&b);
		return (NULL);
	}
	return (buf_steal(&b));
}

/* A name from the host of url, without "www.": the fallback name. */
static char *
opml_host(const char *url)
{
	const char	*host;
	char		*copy, *name;

	host = strstr(url, "://") + 3;
	if (strncasecmp(host, "www.", 4) == 0)
		host += 4;
	copy = xstrndup(host, strcspn(host, "/:?#"));
	if ((name = opml_slug(copy, true)) == NULL)
		name = xstrdup("feed");
	free(copy);
	return (name);
}

/*
 * Whether url can go in the config as it is: http or https with a host,
 * no white space or control characters, not too long.
 */
static bool
opml_is_url(const char *url)
{
	const char	*p, *rest;

	if (strncasecmp(url, "http://", 7) == 0)
		rest = url + 7;
	else if (strncasecmp(url, "https://", 8) == 0)
		rest = url + 8;
	else
		return (false);
	if (*rest == '\0' || *rest == '/' || strlen(url) > OPML_MAX_URL)
		return (false);
	for (p = url; *p != '\0'; p++) {
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			return (false);
	}
	return (true);
}

/* Whether a feed of list is already called name. */
static bool
opml_is_name_taken(const struct opml_list *list, const char *name)
{
	size_t	 i;

	for (i = 0; i < list->nfeeds; i++) {
		if (list->feeds[i].name != NULL &&
		    strcmp(list->feeds[i].name, name) == 0)
			return (true);
	}
	return (false);
}

/* base, or base-2, base-3, ...: the first not taken, a new string. */
static char *
opml_unique_name(const struct opml_list *list, const char *base)
{
	char	*name;
	int	 n;

	name = xstrdup(base);
	for (n = 2; opml_is_name_taken(list, name); n++) {
		free(name);
		xasprintf(&name, "%s-%d", base, n);
	}
	return (name);
}

/* Add tag to a tag list unless it is there already. */
static void
opml_add_tag(char ***tags, size_t *ntags, const char *tag)
{
	size_t	 i;

	for (i = 0; i < *ntags; i++) {
		if (strcmp((*tags)[i], tag) == 0)
			return;
	}
	*tags = xreallocarray(*tags, *ntags + 1, sizeof **tags);
	(*tags)[(*ntags)++] = xstrdup(tag);
}

/*
 * The category attribute: comma-separated, each a slash-delimited path
 * ("/news,/tech/linux"); every segment is a tag.
 */
static void
opml_add_categories(struct opml_feed *f, const char *value)
{
	char	*copy, *next, *seg, *tag;

	next = copy = xstrdup(value);
	while ((seg = strsep(&next, ",/")) != NULL) {
		if ((tag = opml_slug(seg, false)) == NULL)
			continue;
		opml_add_tag(&f->tags, &f->ntags, tag);
		free(tag);
	}
	free(copy);
}

/* The list as config sections; see opml.h. */
char *
opml_config(const struct opml_list *list, const char *source)
{
	const struct opml_feed	*f;
	struct buf		 b;
	char			*clean;
	size_t			 i, j;

	buf_init(&b);
	clean = opml_text(source);
	buf_addf(&b, "; %zu feed%s imported from %s by feedd opml import.\n",
	    list->nfeeds, list->nfeeds == 1 ? "" : "s", clean);
	free(clean);
	for (i = 0; i < list->nfeeds; i++) {
		f = &list->feeds[i];
		buf_addf(&b, "\n[feed %s]\nurl = %s\n", f->name, f->url);
		if (f->title != NULL)
			buf_addf(&b, "title = %s\n", f->title);
		for (j = 0; j < f->ntags; j++) {
			buf_addf(&b, "%s%s", j == 0 ? "tags = " : ", ",
			    f->tags[j]);
		}
		if (f->ntags > 0)
			buf_addc(&b, '\n');
		if (f->html_url != NULL)
			buf_addf(&b, "; site: %s\n", f->html_url);
	}
	return (buf_steal(&b));
}
