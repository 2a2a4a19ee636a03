/* SPDX-License-Identifier: ISC */
/*
 * The index page served at /: the river of the newest entries (title,
 * source, time, a short plain-text excerpt) with autodiscovery links to
 * every output, readable on a phone, without JavaScript.  Written as
 * XHTML-compatible HTML with xmlTextWriter, so nothing a source sends can
 * break out of its element.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/xmlwriter.h>

#include "feedd/config.h"
#include "feedd/emit.h"
#include "feedd/store.h"
#include "feedd/util.h"
#include "emit-int.h"

/* Characters of an entry's text shown under its title. */
#define EMIT_INDEX_EXCERPT 280

static const char emit_index_style[] =
    "body{font:16px/1.5 system-ui,sans-serif;max-width:42em;margin:auto;"
    "padding:0 1em;color:#222}h1{font-size:1.4em}"
    "article{border-top:1px solid #ddd;padding:.6em 0}"
    "article h2{font-size:1.05em;margin:0}"
    "p{margin:.3em 0}.meta{color:#666;font-size:.85em}"
    "a{color:#0645ad}";

static char	*emit_index_plain(const struct feed_text *, size_t);
static void	 emit_index_text(xmlTextWriterPtr, const char *);
static void	 emit_index_item(xmlTextWriterPtr, const struct store_item *);

/*
 * Up to max characters of a text construct as plain text: for HTML, tags
 * dropped and the usual entities decoded; white space folded.  Caller
 * frees; NULL when there is no text.
 */
static char *
emit_index_plain(const struct feed_text *t, size_t max)
{
	static const struct {
		const char	*name;
		char		 c;
	} ents[] = {
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
		{ "&quot;", '"' }, { "&#39;", '\'' }, { "&nbsp;", ' ' }
	};
	const char		*p, *end;
	struct buf		 b;
	size_t			 i, n = 0, len;
	int			 is_html, is_space = 1;

	if (t == NULL || t->value == NULL)
		return (NULL);
	is_html = emit_is_html(t->type);
	buf_init(&b);
	/* Past max, only the rest of a UTF-8 sequence begun is copied. */
	for (p = t->value; *p != '\0' && (n < max ||
	    ((unsigned char)*p & 0xc0) == 0x80); p++) {
		if (is_html && *p == '<') {
			if ((end = strchr(p, '>')) == NULL) {
				p += strlen(p);	/* the '\0' the ellipsis test reads */
				break;
			}
			p = end;
			if (!is_space) {
				buf_addc(&b, ' ');
				is_space = 1;
			}
			continue;
		}
		if (is_html && *p == '&') {
			for (i = 0; i < nitems(ents); i++) {
				len = strlen(ents[i].name);
				if (strncmp(p, ents[i].name, len) == 0)
					break;
			}
			if (i < nitems(ents)) {
				buf_addc(&b, ents[i].c);
				p += strlen(ents[i].name) - 1;
				is_space = 0;
				n++;
				continue;
			}
		}
		if (isspace((unsigned char)*p)) {
			if (!is_space)
				buf_addc(&b, ' ');
			is_space = 1;
			continue;
		}
		buf_addc(&b, *p);
		is_space = 0;
		/* Count characters, not UTF-8 continuation bytes. */
		if (((unsigned char)*p & 0xc0) != 0x80)
			n++;
	}
	while (b.len > 0 && b.data[b.len - 1] == ' ')
		b.len--;
	if (b.data != NULL)
		b.data[b.len] = '\0';
	if (*p != '\0' && b.len > 0)
		buf_adds(&b, "\xe2\x80\xa6");
	if (b.len == 0) {
		buf_clear(&b);
		return (NULL);
	}
	return (buf_steal(&b));
}

/* Write cleaned text inside the open element. */
static void
emit_index_text(xmlTextWriterPtr w, const char *s)
{
	char	*clean = emit_clean(s);

	xmlTextWriterWriteString(w, BAD_CAST clean);
	free(clean);
}

/* One entry of the river. */
static void
emit_index_item(xmlTextWriterPtr w, const struct store_item *it)
{
	const struct feed_entry	*e = &it->e;
	const struct feed_text	*body = e->summary.value != NULL ? &e->summary :
	    e->ncontent > 0 ? &e->content[0] : NULL;
	char			 when[21], *title, *excerpt;

	xmlTextWriterStartElement(w, BAD_CAST "article");
	xmlTextWriterStartElement(w, BAD_CAST "h2");
	if ((title = emit_index_plain(&e->title, SIZE_MAX)) == NULL)
		title = xstrdup("(untitled)");
	if (e->link != NULL && (strncmp(e->link, "http://", 7) == 0 ||
	    strncmp(e->link, "https://", 8) == 0)) {
		xmlTextWriterStartElement(w, BAD_CAST "a");
		emit_attribute(w, "href", e->link);
		emit_index_text(w, title);
		xmlTextWriterEndElement(w);
	} else
		emit_index_text(w, title);
	free(title);
	xmlTextWriterEndElement(w);
	xmlTextWriterStartElement(w, BAD_CAST "p");
	emit_attribute(w, "class", "meta");
	emit_index_text(w, it->feed_title != NULL ? it->feed_title :
	    it->feed_name);
	emit_index_text(w, " \xc2\xb7 ");
	util_rfc3339(emit_entry_updated(it), when);
	xmlTextWriterStartElement(w, BAD_CAST "time");
	emit_attribute(w, "datetime", when);
	emit_index_text(w, when);
	xmlTextWriterEndElement(w);
	xmlTextWriterEndElement(w);
	if (body != NULL &&
	    (excerpt = emit_index_plain(body, EMIT_INDEX_EXCERPT)) != NULL) {
		emit_element(w, "p", excerpt);
		free(excerpt);
	}
	xmlTextWriterEndElement(w);
}

/* The index page.  Caller frees. */
char *
emit_index(struct store *st, const struct config *cfg, size_t *len,
    char **cause)
{
	static const struct {
		const char	*type;
		const char	*file;
		const char	*title;
	} alts[] = {
		{ "application/atom+xml", "feed.atom", "Atom" },
		{ "application/rss+xml", "feed.rss", "RSS" },
		{ "application/feed+json", "feed.json", "JSON Feed" }
	};
	struct emit_sel		 sel;
	xmlBufferPtr		 xb = NULL;
	xmlTextWriterPtr	 w = NULL;
	char			*out = NULL, *url;
	size_t			 i;

	if (emit_select(st, cfg, NULL, &sel, cause) != 0)
		return (NULL);
	if ((xb = xmlBufferCreate()) == NULL ||
	    (w = xmlNewTextWriterMemory(xb, 0)) == NULL) {
		xasprintf(cause, "emit: cannot create XML writer");
		goto out;
	}
	xmlTextWriterWriteRaw(w, BAD_CAST "<!DOCTYPE html>\n");
	xmlTextWriterStartElement(w, BAD_CAST "html");
	emit_attribute(w, "lang", "en");
	xmlTextWriterStartElement(w, BAD_CAST "head");
	xmlTextWriterStartElement(w, BAD_CAST "meta");
	emit_attribute(w, "charset", "utf-8");
	xmlTextWriterEndElement(w);
	xmlTextWriterStartElement(w, BAD_CAST "meta");
	emit_attribute(w, "name", "viewport");
	emit_attribute(w, "content", "width=device-width, initial-scale=1");
	xmlTextWriterEndElement(w);
	emit_element(w, "title", cfg->output_title);
	for (i = 0; i < nitems(alts); i++) {
		url = emit_self_url(cfg, alts[i].file);
		xmlTextWriterStartElement(w, BAD_CAST "link");
		emit_attribute(w, "rel", "alternate");
		emit_attribute(w, "type", alts[i].type);
		emit_attribute(w, "title", alts[i].title);
		emit_attribute(w, "href", url);
		xmlTextWriterEndElement(w);
		free(url);
	}
	emit_element(w, "style", emit_index_style);
	xmlTextWriterEndElement(w);
	xmlTextWriterStartElement(w, BAD_CAST "body");
	emit_element(w, "h1", cfg->output_title);
	xmlTextWriterStartElement(w, BAD_CAST "p");
	for (i = 0; i < nitems(alts); i++) {
		url = emit_self_url(cfg, alts[i].file);
		xmlTextWriterStartElement(w, BAD_CAST "a");
		emit_attribute(w, "href", url);
		emit_index_text(w, alts[i].title);
		xmlTextWriterEndElement(w);
		emit_index_text(w, " ");
		free(url);
	}
	xmlTextWriterEndElement(w);
	for (i = 0; i < sel.nshown; i++)
		emit_index_item(w, &sel.items[sel.shown[i]]);
	if (xmlTextWriterEndDocument(w) < 0) {
		xasprintf(cause, "emit: cannot finish the index page");
		goto out;
	}
	xmlFreeTextWriter(w);
	w = NULL;
	*len = (size_t)xmlBufferLength(xb);
	out = xstrndup((const char *)xmlBufferContent(xb), *len);
out:
	if (w != NULL)
		xmlFreeTextWriter(w);
	if (xb != NULL)
		xmlBufferFree(xb);
	emit_sel_clear(&sel);
	return (out);
}
