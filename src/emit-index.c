/* SPDX-License-Identifier: ISC */
/*
 * The index page served at /: the river of the newest entries (title,
 * source, time, a short plain-text excerpt) with autodiscovery links to
 * every output, readable on a phone, without JavaScript.  Written as
 * XHTML-compatible HTML with xmlTextWriter, so nothing a source sends can
 * break out of its element.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/xmlwriter.h>

#include "feedd/config.h"
#include "feedd/emit.h"
#include "feedd/store.h"
#include "feedd/log.h"
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

static void	 emit_index_text(xmlTextWriterPtr, const char *);
static void	 emit_index_item(xmlTextWriterPtr, const struct store_item *);
static void	 emit_index_links(xmlTextWriterPtr, const struct config *,
		    bool);

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
	if ((title = emit_plain(&e->title, SIZE_MAX)) == NULL ||
	    *title == '\0') {
		free(title);
		title = xstrdup("(untitled)");
	}
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
	if ((excerpt = emit_plain(body, EMIT_INDEX_EXCERPT)) != NULL &&
	    *excerpt != '\0')
		emit_element(w, "p", excerpt);
	free(excerpt);
	xmlTextWriterEndElement(w);
}

/*
 * The outputs a reader can subscribe to, the main feed, each tag's feed
 * and each named output in every format: as autodiscovery <link
 * rel="alternate"> in the head when is_head, else as a paragraph of
 * links per output.
 */
static void
emit_index_links(xmlTextWriterPtr w, const struct config *cfg, bool is_head)
{
	static const struct {
		const char	*type;
		const char	*ext;
		const char	*name;
	} alts[] = {
		{ "application/atom+xml", "atom", "Atom" },
		{ "application/rss+xml", "rss", "RSS" },
		{ "application/feed+json", "json", "JSON Feed" }
	};
	struct emit_view	*views;
	char			*file, *url, *cause = NULL;
	size_t			 i, j, nviews;

	if ((views = emit_views(cfg, &nviews, &cause)) == NULL) {
		/* The config was checked: a filter that fails now is odd. */
		log_warn("emit: index: %s", cause);
		free(cause);
		return;
	}
	for (j = 0; j < nviews; j++) {
		if (!is_head) {
			xmlTextWriterStartElement(w, BAD_CAST "p");
			if (j > 0) {
				emit_index_text(w, views[j].title);
				emit_index_text(w, ": ");
			}
		}
		for (i = 0; i < nitems(alts); i++) {
			xasprintf(&file, "%s.%s", views[j].base, alts[i].ext);
			url = emit_self_url(cfg, file);
			if (is_head) {
				xmlTextWriterStartElement(w, BAD_CAST "link");
				emit_attribute(w, "rel", "alternate");
				emit_attribute(w, "type", alts[i].type);
				emit_attribute(w, "title", j == 0 ?
				    alts[i].name : views[j].title);
				emit_attribute(w, "href", url);
				xmlTextWriterEndElement(w);
			} else {
				xmlTextWriterStartElement(w, BAD_CAST "a");
				emit_attribute(w, "href", url);
				emit_index_text(w, alts[i].name);
				xmlTextWriterEndElement(w);
				emit_index_text(w, " ");
			}
			free(url);
			free(file);
		}
		if (!is_head)
			xmlTextWriterEndElement(w);
	}
	emit_views_free(views, nviews);
}

/* The index page.  Caller frees. */
char *
emit_index(struct store *st, const struct config *cfg, size_t *len,
    char **cause)
{
	struct emit_sel		 sel;
	xmlBufferPtr		 xb = NULL;
	xmlTextWriterPtr	 w = NULL;
	char			*out = NULL;
	size_t			 i;

	if (emit_select(st, cfg, NULL, &sel, cause) != 0) {
		emit_sel_clear(&sel);
		return (NULL);
	}
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
	emit_index_links(w, cfg, true);
	emit_element(w, "style", emit_index_style);
	xmlTextWriterEndElement(w);
	xmlTextWriterStartElement(w, BAD_CAST "body");
	emit_element(w, "h1", cfg->output_title);
	emit_index_links(w, cfg, false);
	for (i = 0; i < sel.nitems; i++)
		emit_index_item(w, &sel.items[i]);
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
