/* SPDX-License-Identifier: ISC */
/*
 * The subscription list as OPML 2.0 ("Subscription lists", dev.opml.org
 * spec2): one outline per configured feed, with the URL feedd really
 * polls (after a confirmed move or autodiscovery), the feed's own link
 * and title when known, and its tags as the category attribute.  Served
 * at /opml and printed by `feedd opml export`.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/xmlwriter.h>

#include "feedd/config.h"
#include "feedd/emit.h"
#include "feedd/store.h"
#include "feedd/util.h"
#include "emit-int.h"

static void	emit_opml_outline(xmlTextWriterPtr, const struct config_feed *,
		    const struct store_feed_state *);


/* One <outline type="rss"> for a configured feed. */
static void
emit_opml_outline(xmlTextWriterPtr w, const struct config_feed *cf,
    const struct store_feed_state *state)
{
	struct buf	 tags;
	size_t		 i;

	xmlTextWriterStartElement(w, BAD_CAST "outline");
	emit_attribute(w, "type", "rss");
	emit_attribute(w, "text", cf->title != NULL ? cf->title : cf->name);
	emit_attribute(w, "title", cf->title != NULL ? cf->title : cf->name);
	emit_attribute(w, "xmlUrl", state != NULL && state->fetch_url != NULL ?
	    state->fetch_url : cf->url);
	if (cf->ntags > 0) {
		/* OPML 2.0: comma-separated, each a slash-delimited path. */
		buf_init(&tags);
		for (i = 0; i < cf->ntags; i++)
			buf_addf(&tags, "%s/%s", i > 0 ? "," : "", cf->tags[i]);
		emit_attribute(w, "category", tags.data);
		buf_clear(&tags);
	}
	xmlTextWriterEndElement(w);
}

/* The subscription list.  Caller frees. */
char *
emit_opml(struct store *st, const struct config *cfg, size_t *len,
    char **cause)
{
	struct store_feed_row	*rows = NULL;
	const struct store_feed_row *row;
	xmlBufferPtr		 xb = NULL;
	xmlTextWriterPtr	 w = NULL;
	size_t			 nrows = 0, i;
	char			*out = NULL;

	if (store_list_feeds(st, &rows, &nrows, cause) != 0)
		return (NULL);
	if ((xb = xmlBufferCreate()) == NULL ||
	    (w = xmlNewTextWriterMemory(xb, 0)) == NULL) {
		xasprintf(cause, "emit: cannot create XML writer");
		goto out;
	}
	xmlTextWriterSetIndent(w, 1);
	xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL);
	xmlTextWriterStartElement(w, BAD_CAST "opml");
	emit_attribute(w, "version", "2.0");
	xmlTextWriterStartElement(w, BAD_CAST "head");
	xmlTextWriterWriteElement(w, BAD_CAST "title",
	    BAD_CAST cfg->output_title);
	xmlTextWriterEndElement(w);
	xmlTextWriterStartElement(w, BAD_CAST "body");
	for (i = 0; i < cfg->nfeeds; i++) {
		row = store_feed_row_find(rows, nrows, cfg->feeds[i].name);
		emit_opml_outline(w, &cfg->feeds[i],
		    row != NULL ? &row->state : NULL);
	}
	if (xmlTextWriterEndDocument(w) < 0) {
		xasprintf(cause, "emit: cannot finish the OPML document");
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
	store_feed_rows_free(rows, nrows);
	return (out);
}
