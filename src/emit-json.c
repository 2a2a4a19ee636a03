/* SPDX-License-Identifier: ISC */
/*
 * The combined feed as JSON Feed 1.1 (jsonfeed.org/version/1.1): the
 * entries emit_select chooses for the Atom feed, in the same order under
 * the same ids, built with jansson.  The feed an item came from goes in
 * the extension object "_feedd" (extension keys start with '_').  Titles
 * and summaries are plain text in JSON Feed, so HTML ones are reduced to
 * their text; content keeps its HTML in content_html.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "feedd/config.h"
#include "feedd/emit.h"
#include "feedd/store.h"
#include "feedd/util.h"
#include "emit-int.h"

#define EMIT_JSON_VERSION	"https://jsonfeed.org/version/1.1"

static void	 emit_json_set(json_t *, const char *, const char *, bool *);
static void	 emit_json_set_new(json_t *, const char *, json_t *, bool *);
static void	 emit_json_set_date(json_t *, const char *, time_t, bool *);
static json_t	*emit_json_author(const struct feed_person *, bool *);
static void	 emit_json_append(json_t *, const char *, json_t *, bool *);
static void	 emit_json_extras(json_t *, const struct feed_entry *, bool *);
static json_t	*emit_json_hub(const char *, bool *);
static json_t	*emit_json_source(const struct store_item *, bool *);
static json_t	*emit_json_item(const struct store_item *, const char *,
		    bool *);

/*
 * Set key to cleaned text, if s is set.  A failure (jansson refuses
 * invalid UTF-8, or memory runs out) sets *is_failed.
 */
static void
emit_json_set(json_t *o, const char *key, const char *s, bool *is_failed)
{
	char	*clean;

	if (s == NULL)
		return;
	clean = emit_clean(s);
	emit_json_set_new(o, key, json_stringn(clean, strlen(clean)),
	    is_failed);
	free(clean);
}

/* Set key to v, which the object then owns; NULL v is a failure. */
static void
emit_json_set_new(json_t *o, const char *key, json_t *v, bool *is_failed)
{
	if (v == NULL || json_object_set_new(o, key, v) != 0)
		*is_failed = true;
}

/* Set key to an RFC 3339 date. */
static void
emit_json_set_date(json_t *o, const char *key, time_t t, bool *is_failed)
{
	char	 s[21];

	util_rfc3339(t, s);
	emit_json_set_new(o, key, json_string(s), is_failed);
}


/*
 * An author object: its name (else its free-text form, else its email)
 * and its URI (else a mailto: link, which JSON Feed allows).  NULL when
 * there is nothing to say.
 */
static json_t *
emit_json_author(const struct feed_person *a, bool *is_failed)
{
	json_t		*author;
	const char	*name;
	char		*mailto = NULL;
	bool		 has_email;

	has_email = a->email != NULL && strchr(a->email, '@') != NULL;
	name = a->name != NULL ? a->name : a->raw != NULL ? a->raw :
	    has_email ? a->email : NULL;
	if (emit_is_iri(a->uri))
		mailto = xstrdup(a->uri);
	else if (has_email)
		xasprintf(&mailto, "mailto:%s", a->email);
	if (mailto != NULL && !emit_is_iri(mailto)) {
		free(mailto);
		mailto = NULL;
	}
	if (name == NULL && mailto == NULL)
		return (NULL);
	if ((author = json_object()) == NULL)
		*is_failed = true;
	else {
		emit_json_set(author, "name", name, is_failed);
		emit_json_set(author, "url", mailto, is_failed);
	}
	free(mailto);
	return (author);
}

/* Append v (which the array then owns) to the array under key in o. */
static void
emit_json_append(json_t *o, const char *key, json_t *v, bool *is_failed)
{
	json_t	*a;

	if ((a = json_object_get(o, key)) == NULL) {
		a = json_array();
		emit_json_set_new(o, key, a, is_failed);
	}
	if (v == NULL || json_array_append_new(a, v) != 0)
		*is_failed = true;
}

/*
 * An item's authors, its tags (the category terms) and its attachments
 * (the http(s) enclosures; mime_type is required, so an unknown one is
 * application/octet-stream).
 */
static void
emit_json_extras(json_t *item, const struct feed_entry *e, bool *is_failed)
{
	const struct feed_link	*l;
	const char		*type;
	json_t			*o, *tag;
	char			*clean;
	long long		 len;
	size_t			 i;

	for (i = 0; i < e->nauthors; i++) {
		if ((o = emit_json_author(&e->authors[i], is_failed)) != NULL)
			emit_json_append(item, "authors", o, is_failed);
	}
	for (i = 0; i < e->ncategories; i++) {
		if (e->categories[i].term == NULL)
			continue;
		clean = emit_clean(e->categories[i].term);
		tag = json_stringn(clean, strlen(clean));
		free(clean);
		emit_json_append(item, "tags", tag, is_failed);
	}
	for (i = 0; i < e->nlinks; i++) {
		l = &e->links[i];
		if (!emit_is_enclosure(l))
			continue;
		if ((type = emit_media_type(l->type)) == NULL)
			type = "application/octet-stream";
		if ((o = json_object()) == NULL) {
			*is_failed = true;
			continue;
		}
		emit_json_set(o, "url", l->href, is_failed);
		emit_json_set(o, "mime_type", type, is_failed);
		if ((len = emit_length(l->length)) >= 0)
			emit_json_set_new(o, "size_in_bytes",
			    json_integer(len), is_failed);
		emit_json_append(item, "attachments", o, is_failed);
	}
}

/* A WebSub hub object of the feed's "hubs". */
static json_t *
emit_json_hub(const char *url, bool *is_failed)
{
	json_t	*hub;

	if ((hub = json_object()) == NULL)
		return (NULL);
	emit_json_set(hub, "type", "WebSub", is_failed);
	emit_json_set(hub, "url", url, is_failed);
	return (hub);
}

/* The "_feedd" extension of an item: the feed it came from. */
static json_t *
emit_json_source(const struct store_item *it, bool *is_failed)
{
	json_t	*ext, *source = NULL;

	if ((ext = json_object()) == NULL ||
	    (source = json_object()) == NULL) {
		json_decref(ext);
		*is_failed = true;
		return (NULL);
	}
	emit_json_set(source, "title", it->feed_title != NULL ?
	    it->feed_title : it->feed_name, is_failed);
	if (emit_is_iri(it->feed_url))
		emit_json_set(source, "url", it->feed_url, is_failed);
	if (emit_is_iri(it->feed_link))
		emit_json_set(source, "home_page_url", it->feed_link,
		    is_failed);
	emit_json_set_new(ext, "source", source, is_failed);
	return (ext);
}

/*
 * One item.  JSON Feed 1.1 wants content_html or content_text: the
 * content, else the summary, else the title (as Atom's emit_entry does
 * for an entry with no link), else an empty text.
 */
static json_t *
emit_json_item(const struct store_item *it, const char *id, bool *is_failed)
{
	const struct feed_entry	*e = &it->e;
	const struct feed_text	*content = NULL;
	json_t			*item;
	char			*s;

	if ((item = json_object()) == NULL) {
		*is_failed = true;
		return (NULL);
	}
	emit_json_set(item, "id", id, is_failed);
	if (emit_is_iri(e->link))
		emit_json_set(item, "url", e->link, is_failed);
	if (e->title.value != NULL) {
		s = emit_plain(&e->title, SIZE_MAX);
		emit_json_set(item, "title", s, is_failed);
		free(s);
	}
	if (e->ncontent > 0 && e->content[0].value != NULL)
		content = &e->content[0];
	else if (e->summary.value != NULL)
		content = &e->summary;
	if (content == NULL) {
		s = e->title.value != NULL ? emit_plain(&e->title, SIZE_MAX) :
		    xstrdup("");
		emit_json_set(item, "content_text", s, is_failed);
		free(s);
	} else if (emit_is_html(content->type))
		emit_json_set(item, "content_html", content->value, is_failed);
	else
		emit_json_set(item, "content_text", content->value, is_failed);
	if (content != &e->summary && e->summary.value != NULL) {
		s = emit_plain(&e->summary, SIZE_MAX);
		emit_json_set(item, "summary", s, is_failed);
		free(s);
	}
	if (e->published.is_valid)
		emit_json_set_date(item, "date_published", e->published.utc,
		    is_failed);
	emit_json_set_date(item, "date_modified", emit_entry_updated(it),
	    is_failed);
	emit_json_extras(item, e, is_failed);
	emit_json_set_new(item, "_feedd", emit_json_source(it, is_failed),
	    is_failed);
	return (item);
}

/*
 * Build the combined feed as JSON Feed 1.1: the same entries as
 * emit_atom, in the same order, under the same ids.  home_page_url is
 * the root of what we serve, given only when we serve over HTTP.
 */
char *
emit_json(const struct config *cfg, const struct emit_view *view,
    const struct emit_sel *sel, size_t *len, char **cause)
{
	json_t		*root = NULL, *items = NULL, *item;
	json_malloc_t	 jmalloc;
	json_free_t	 jfree;
	char		*self, *home, *s = NULL, *out = NULL, *file;
	size_t		 i;
	bool		 is_failed = false;

	xasprintf(&file, "%s.json", view->base);
	self = emit_self_url(cfg, file);
	free(file);
	home = cfg->listen != NULL || cfg->public_url != NULL ?
	    emit_self_url(cfg, "") : NULL;
	if ((root = json_object()) == NULL ||
	    (items = json_array()) == NULL) {
		xasprintf(cause, "emit: cannot create the JSON Feed");
		goto out;
	}
	/* The version first, as JSON Feed 1.1 asks (jansson keeps order). */
	emit_json_set(root, "version", EMIT_JSON_VERSION, &is_failed);
	emit_json_set(root, "title", view->title, &is_failed);
	emit_json_set(root, "home_page_url", home, &is_failed);
	emit_json_set(root, "feed_url", self, &is_failed);
	emit_json_set(root, "description", view->description, &is_failed);
	if (cfg->hub != NULL)
		emit_json_append(root, "hubs", emit_json_hub(cfg->hub,
		    &is_failed), &is_failed);
	for (i = 0; i < sel->nitems; i++) {
		item = emit_json_item(&sel->items[i], sel->ids[i],
		    &is_failed);
		if (item == NULL || json_array_append_new(items, item) != 0)
			is_failed = true;
	}
	emit_json_set_new(root, "items", items, &is_failed);
	if (is_failed || (s = json_dumps(root, JSON_INDENT(2) |
	    JSON_PRESERVE_ORDER)) == NULL) {
		xasprintf(cause, "emit: cannot write the JSON Feed");
		goto out;
	}
	xasprintf(&out, "%s\n", s);
	*len = strlen(out);
	/* jansson's memory goes back through jansson's allocator. */
	json_get_alloc_funcs(&jmalloc, &jfree);
	jfree(s);
out:
	json_decref(root);
	free(home);
	free(self);
	return (out);
}
