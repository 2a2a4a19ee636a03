/* SPDX-License-Identifier: ISC */
/*
 * The combined feed as RSS 2.0: the entries emit_select chooses for the
 * Atom feed, in the same order under the same ids, written with
 * libxml2's xmlTextWriter so that no text can break out of its element.
 * Each item names the feed it came from in <source url=>.  Dates are RFC
 * 822 with a four-digit year in GMT (RSS 2.0, RSS Best Practices
 * Profile); descriptions are HTML, escaped as text.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/xmlwriter.h>

#include "feedd/config.h"
#include "feedd/emit.h"
#include "feedd/store.h"
#include "feedd/util.h"
#include "emit-int.h"

#define EMIT_RSS_ATOM_NS	"http://www.w3.org/2005/Atom"
#define EMIT_RSS_CONTENT_NS	"http://purl.org/rss/1.0/modules/content/"
#define EMIT_RSS_DC_NS		"http://purl.org/dc/elements/1.1/"
#define EMIT_RSS_DOCS	"https://www.rssboard.org/rss-specification"

/*
 * An RSS document being written into memory.  Every writer call goes
 * through a helper that records a failure, so one check at the end
 * covers them all.
 */
struct emit_rss {
	xmlBufferPtr		 xb;
	xmlTextWriterPtr	 w;
	bool			 is_failed;
};

static void	emit_rss_check(struct emit_rss *, int);
static void	emit_rss_start(struct emit_rss *, const char *);
static void	emit_rss_end(struct emit_rss *);
static void	emit_rss_attribute(struct emit_rss *, const char *,
		    const char *);
static void	emit_rss_element(struct emit_rss *, const char *,
		    const char *);
static void	emit_rss_text(struct emit_rss *, const char *);
static void	emit_rss_date(struct emit_rss *, const char *, time_t);
static void	emit_rss_html(struct emit_rss *, const char *,
		    const struct feed_text *);
static long	emit_rss_ttl(const struct config *);
static void	emit_rss_channel(struct emit_rss *, const struct config *,
		    const struct emit_view *, time_t);
static void	emit_rss_link(struct emit_rss *, const char *,
		    const char *, const char *);
static void	emit_rss_authors(struct emit_rss *,
		    const struct feed_entry *);
static void	emit_rss_extras(struct emit_rss *,
		    const struct feed_entry *);
static void	emit_rss_item(struct emit_rss *, const struct store_item *,
		    const char *);
static void	emit_rss_free(struct emit_rss *);

/* Record a failed writer call (they return -1). */
static void
emit_rss_check(struct emit_rss *r, int rc)
{
	if (rc < 0)
		r->is_failed = true;
}

/* Open an element. */
static void
emit_rss_start(struct emit_rss *r, const char *name)
{
	emit_rss_check(r, xmlTextWriterStartElement(r->w, BAD_CAST name));
}

/* Close the innermost open element. */
static void
emit_rss_end(struct emit_rss *r)
{
	emit_rss_check(r, xmlTextWriterEndElement(r->w));
}

/* Write an attribute holding cleaned text, if s is set. */
static void
emit_rss_attribute(struct emit_rss *r, const char *name, const char *s)
{
	char	*clean;

	if (s == NULL)
		return;
	clean = emit_clean(s);
	emit_rss_check(r, xmlTextWriterWriteAttribute(r->w, BAD_CAST name,
	    BAD_CAST clean));
	free(clean);
}

/*
 * Write an element holding cleaned text, if s is set.  The writer
 * escapes '<', '>' and '&', so "]]>" or "</title>" in a title stays text.
 */
static void
emit_rss_element(struct emit_rss *r, const char *name, const char *s)
{
	char	*clean;

	if (s == NULL)
		return;
	clean = emit_clean(s);
	emit_rss_check(r, xmlTextWriterWriteElement(r->w, BAD_CAST name,
	    BAD_CAST clean));
	free(clean);
}

/* Write cleaned text inside the open element. */
static void
emit_rss_text(struct emit_rss *r, const char *s)
{
	char	*clean;

	clean = emit_clean(s);
	emit_rss_check(r, xmlTextWriterWriteString(r->w, BAD_CAST clean));
	free(clean);
}

/*
 * Write an RFC 822 date, as RSS 2.0 profiles it: a four-digit year and
 * GMT ("Wed, 01 May 2024 12:00:00 GMT").  The names come from tables,
 * not strftime, so that no locale can change them.
 */
static void
emit_rss_date(struct emit_rss *r, const char *name, time_t t)
{
	static const char	*days[] = {
		"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
	};
	static const char	*months[] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
	};
	struct tm		 tm;
	char			*s;

	if (gmtime_r(&t, &tm) == NULL || tm.tm_year + 1900 > 9999 ||
	    tm.tm_year + 1900 < 0) {
		r->is_failed = true;
		return;
	}
	xasprintf(&s, "%s, %02d %s %04d %02d:%02d:%02d GMT",
	    days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
	emit_rss_check(r, xmlTextWriterWriteElement(r->w, BAD_CAST name,
	    BAD_CAST s));
	free(s);
}

/*
 * Write a text as HTML: RSS descriptions and content:encoded hold
 * HTML, which the writer then escapes once more as XML text.  Plain text
 * is made HTML first, or "a < b" would read as a tag.  Stored HTML is
 * already sanitized.
 */
static void
emit_rss_html(struct emit_rss *r, const char *name, const struct feed_text *t)
{
	struct buf	 b;
	char		*clean, *p;

	clean = emit_clean(t->value);
	if (emit_is_html(t->type)) {
		emit_rss_check(r, xmlTextWriterWriteElement(r->w,
		    BAD_CAST name, BAD_CAST clean));
		free(clean);
		return;
	}
	buf_init(&b);
	buf_add(&b, "", 0);
	for (p = clean; *p != '\0'; p++) {
		switch (*p) {
		case '&':
			buf_adds(&b, "&amp;");
			break;
		case '<':
			buf_adds(&b, "&lt;");
			break;
		case '>':
			buf_adds(&b, "&gt;");
			break;
		default:
			buf_addc(&b, *p);
			break;
		}
	}
	emit_rss_check(r, xmlTextWriterWriteElement(r->w, BAD_CAST name,
	    BAD_CAST b.data));
	buf_clear(&b);
	free(clean);
}

/*
 * The channel's ttl in minutes: the shortest poll interval, since the
 * feed cannot change more often than some feed is polled.
 */
static long
emit_rss_ttl(const struct config *cfg)
{
	int64_t	 secs = 0;
	size_t	 i;

	for (i = 0; i < cfg->nfeeds; i++) {
		if (cfg->feeds[i].interval > 0 && (secs == 0 ||
		    cfg->feeds[i].interval < secs))
			secs = cfg->feeds[i].interval;
	}
	if (secs == 0)
		secs = cfg->default_interval;
	if (secs < 60)
		return (1);
	return ((long)((secs + 59) / 60));
}

/*
 * Write the channel's head: title, link (the index page at the root of
 * what we serve), description, self link, the newest entry's change as
 * lastBuildDate (never "now", so an unchanged feed stays byte for byte
 * the same), generator, docs and ttl.
 */
static void
emit_rss_channel(struct emit_rss *r, const struct config *cfg,
    const struct emit_view *view, time_t updated)
{
	char	*self, *home, *ttl, *file;

	xasprintf(&file, "%s.rss", view->base);
	self = emit_self_url(cfg, file);
	free(file);
	home = emit_self_url(cfg, "");
	xasprintf(&ttl, "%ld", emit_rss_ttl(cfg));
	emit_rss_element(r, "title", view->title);
	emit_rss_element(r, "link", home);
	emit_rss_element(r, "description", view->description);
	emit_rss_link(r, "self", "application/rss+xml", self);
	emit_rss_link(r, "hub", NULL, cfg->hub);
	if (updated != 0)
		emit_rss_date(r, "lastBuildDate", updated);
	emit_rss_element(r, "generator", "feedd " FEEDD_VERSION);
	emit_rss_element(r, "docs", EMIT_RSS_DOCS);
	emit_rss_element(r, "ttl", ttl);
	free(ttl);
	free(home);
	free(self);
}

/* Write <atom:link rel= [type=] href=/>, if href is set. */
static void
emit_rss_link(struct emit_rss *r, const char *rel, const char *type,
    const char *href)
{
	if (href == NULL)
		return;
	emit_rss_start(r, "atom:link");
	emit_rss_attribute(r, "href", href);
	emit_rss_attribute(r, "rel", rel);
	emit_rss_attribute(r, "type", type);
	emit_rss_end(r);
}

/*
 * Write an entry's authors.  RSS <author> is one email address
 * ("ann@example.com (Ann)"), once per item: the first author with an
 * email goes there, every other author by name in dc:creator.
 */
static void
emit_rss_authors(struct emit_rss *r, const struct feed_entry *e)
{
	const struct feed_person *a;
	const char		 *name;
	char			 *s;
	size_t			  i;
	bool			  has_author = false;

	for (i = 0; i < e->nauthors; i++) {
		a = &e->authors[i];
		name = a->name != NULL ? a->name : a->raw;
		if (!has_author && a->email != NULL &&
		    strchr(a->email, '@') != NULL) {
			if (name != NULL && strcmp(name, a->email) != 0)
				xasprintf(&s, "%s (%s)", a->email, name);
			else
				s = xstrdup(a->email);
			emit_rss_element(r, "author", s);
			free(s);
			has_author = true;
		} else
			emit_rss_element(r, "dc:creator", name != NULL ?
			    name : a->email);
	}
}

/*
 * Write an entry's categories (the scheme as domain=) and its first
 * http(s) enclosure: RSS 2.0 allows one per item, and readers take only
 * the first.  length and type are required: 0 (RSS Best Practices:
 * unknown) and application/octet-stream when the source gave none.
 */
static void
emit_rss_extras(struct emit_rss *r, const struct feed_entry *e)
{
	const struct feed_link	*l;
	const char		*type;
	long long		 len;
	char			 s[24];
	size_t			 i;

	for (i = 0; i < e->ncategories; i++) {
		if (e->categories[i].term == NULL)
			continue;
		emit_rss_start(r, "category");
		emit_rss_attribute(r, "domain", e->categories[i].scheme);
		emit_rss_text(r, e->categories[i].term);
		emit_rss_end(r);
	}
	for (i = 0; i < e->nlinks; i++) {
		l = &e->links[i];
		if (!emit_is_enclosure(l))
			continue;
		if ((len = emit_length(l->length)) < 0)
			len = 0;
		if ((type = emit_media_type(l->type)) == NULL)
			type = "application/octet-stream";
		snprintf(s, sizeof s, "%lld", len);
		emit_rss_start(r, "enclosure");
		emit_rss_attribute(r, "url", l->href);
		emit_rss_attribute(r, "length", s);
		emit_rss_attribute(r, "type", type);
		emit_rss_end(r);
		break;
	}
}

/* Write one item. */
static void
emit_rss_item(struct emit_rss *r, const struct store_item *it,
    const char *id)
{
	const struct feed_entry	*e = &it->e;
	const struct feed_text	*desc = NULL, *content = NULL;
	char			*title;

	if (e->ncontent > 0 && e->content[0].value != NULL)
		content = &e->content[0];
	if (e->summary.value != NULL)
		desc = &e->summary;
	else {
		/* The content is the description; no need to send it twice. */
		desc = content;
		content = NULL;
	}

	emit_rss_start(r, "item");
	/* RSS 2.0: an item needs a title or a description. */
	title = e->title.value != NULL ? emit_plain(&e->title, SIZE_MAX) : NULL;
	if (title != NULL || desc == NULL)
		emit_rss_element(r, "title", title != NULL ? title : "");
	free(title);
	if (emit_is_http(e->link))
		emit_rss_element(r, "link", e->link);
	emit_rss_start(r, "guid");
	/* A permalink only when the id is the very link readers follow. */
	emit_rss_attribute(r, "isPermaLink", emit_is_http(id) &&
	    e->link != NULL && strcmp(id, e->link) == 0 ? "true" : "false");
	emit_rss_text(r, id);
	emit_rss_end(r);
	emit_rss_date(r, "pubDate", e->published.is_valid ?
	    e->published.utc : emit_entry_updated(it));
	/* description before content:encoded (a feedvalidator warning). */
	if (desc != NULL)
		emit_rss_html(r, "description", desc);
	if (content != NULL)
		emit_rss_html(r, "content:encoded", content);
	emit_rss_authors(r, e);
	emit_rss_extras(r, e);
	if (emit_is_iri(it->feed_url)) {
		emit_rss_start(r, "source");
		emit_rss_attribute(r, "url", it->feed_url);
		emit_rss_text(r, it->feed_title != NULL ? it->feed_title :
		    it->feed_name);
		emit_rss_end(r);
	}
	emit_rss_end(r);
}

/* Free what the writer still holds. */
static void
emit_rss_free(struct emit_rss *r)
{
	if (r->w != NULL)
		xmlFreeTextWriter(r->w);
	if (r->xb != NULL)
		xmlBufferFree(r->xb);
	memset(r, 0, sizeof *r);
}

/*
 * Build the combined feed as RSS 2.0: the same entries as emit_atom, in
 * the same order, under the same ids.
 */
char *
emit_rss(const struct config *cfg, const struct emit_view *view,
    const struct emit_sel *sel, size_t *len, char **cause)
{
	struct emit_rss	 r;
	char		*out = NULL;
	size_t		 i;

	memset(&r, 0, sizeof r);
	if ((r.xb = xmlBufferCreate()) == NULL ||
	    (r.w = xmlNewTextWriterMemory(r.xb, 0)) == NULL) {
		xasprintf(cause, "emit: cannot create XML writer");
		goto out;
	}
	emit_rss_check(&r, xmlTextWriterSetIndent(r.w, 1));
	emit_rss_check(&r, xmlTextWriterStartDocument(r.w, NULL, "UTF-8",
	    NULL));
	emit_rss_start(&r, "rss");
	emit_rss_attribute(&r, "version", "2.0");
	emit_rss_attribute(&r, "xmlns:atom", EMIT_RSS_ATOM_NS);
	emit_rss_attribute(&r, "xmlns:content", EMIT_RSS_CONTENT_NS);
	emit_rss_attribute(&r, "xmlns:dc", EMIT_RSS_DC_NS);
	emit_rss_start(&r, "channel");
	emit_rss_channel(&r, cfg, view, sel->updated);
	for (i = 0; i < sel->nitems; i++)
		emit_rss_item(&r, &sel->items[i], sel->ids[i]);
	emit_rss_check(&r, xmlTextWriterEndDocument(r.w));
	if (r.is_failed) {
		xasprintf(cause, "emit: cannot write the RSS document");
		goto out;
	}
	xmlFreeTextWriter(r.w);
	r.w = NULL;
	*len = (size_t)xmlBufferLength(r.xb);
	out = xstrndup((const char *)xmlBufferContent(r.xb), *len);
out:
	emit_rss_free(&r);
	return (out);
}
