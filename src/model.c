/* SPDX-License-Identifier: ISC */
/*
 * Constructors and destructors for the plain data of model.h, so that
 * every module frees a document the same way.
 */
#include <stdlib.h>
#include <string.h>

#include "feedd/model.h"
#include "feedd/util.h"

/* Indexed by enum feed_format. */
static const char *feed_format_names[] = {
	"", "rss090", "rss091n", "rss091u", "rss092", "rss093", "rss094",
	"rss20", "rss10", "rss", "atom01", "atom02", "atom03", "atom10",
	"atom", "json1", "json11"
};

/* feedparser's name for a format. */
const char *
feed_format_name(enum feed_format format)
{
	if ((size_t)format >= sizeof feed_format_names /
	    sizeof feed_format_names[0])
		return ("");
	return (feed_format_names[format]);
}

/* A new empty document. */
struct feed_doc *
feed_doc_new(void)
{
	return (xcalloc(1, sizeof(struct feed_doc)));
}

/* Free a text construct's strings. */
void
feed_text_clear(struct feed_text *t)
{
	free(t->value);
	free(t->type);
	free(t->lang);
	free(t->base);
	free(t->src);
	memset(t, 0, sizeof *t);
}

/* Free a date's string. */
void
feed_date_clear(struct feed_date *d)
{
	free(d->raw);
	memset(d, 0, sizeof *d);
}

/* Free a person's strings. */
void
feed_person_clear(struct feed_person *p)
{
	free(p->name);
	free(p->email);
	free(p->uri);
	free(p->raw);
	memset(p, 0, sizeof *p);
}

/* Free a link's strings. */
void
feed_link_clear(struct feed_link *l)
{
	free(l->href);
	free(l->rel);
	free(l->type);
	free(l->title);
	free(l->hreflang);
	free(l->length);
	memset(l, 0, sizeof *l);
}

/* Free a category's strings. */
void
feed_category_clear(struct feed_category *c)
{
	free(c->term);
	free(c->scheme);
	free(c->label);
	memset(c, 0, sizeof *c);
}

/* Free the arrays of links and persons that docs and entries share. */
static void
feed_links_free(struct feed_link *links, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		feed_link_clear(&links[i]);
	free(links);
}

static void
feed_persons_free(struct feed_person *persons, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		feed_person_clear(&persons[i]);
	free(persons);
}

static void
feed_categories_free(struct feed_category *categories, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		feed_category_clear(&categories[i]);
	free(categories);
}

/* Free an extension element's strings. */
void
feed_ext_clear(struct feed_ext *x)
{
	size_t	 i;

	free(x->key);
	free(x->value);
	for (i = 0; i < 2 * x->nattrs; i++)
		free(x->attrs[i]);
	free(x->attrs);
	feed_date_clear(&x->date);
	memset(x, 0, sizeof *x);
}

static void
feed_exts_free(struct feed_ext *ext, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		feed_ext_clear(&ext[i]);
	free(ext);
}

/* Free a source and all it holds; NULL is fine. */
void
feed_source_free(struct feed_source *s)
{
	if (s == NULL)
		return;
	feed_text_clear(&s->title);
	feed_text_clear(&s->subtitle);
	feed_text_clear(&s->rights);
	free(s->id);
	free(s->link);
	feed_links_free(s->links, s->nlinks);
	feed_date_clear(&s->updated);
	feed_date_clear(&s->published);
	feed_persons_free(s->authors, s->nauthors);
	feed_persons_free(s->contributors, s->ncontributors);
	feed_categories_free(s->categories, s->ncategories);
	free(s->generator);
	free(s->generator_uri);
	free(s->generator_version);
	free(s->icon);
	free(s->logo);
	free(s->url);
	feed_exts_free(s->ext, s->next);
	free(s);
}

/* Free everything an entry holds. */
void
feed_entry_clear(struct feed_entry *e)
{
	size_t	 i;

	free(e->id);
	free(e->extras);
	feed_text_clear(&e->title);
	feed_text_clear(&e->summary);
	for (i = 0; i < e->ncontent; i++)
		feed_text_clear(&e->content[i]);
	free(e->content);
	free(e->link);
	feed_links_free(e->links, e->nlinks);
	feed_date_clear(&e->published);
	feed_date_clear(&e->updated);
	feed_persons_free(e->authors, e->nauthors);
	for (i = 0; i < e->ncategories; i++)
		feed_category_clear(&e->categories[i]);
	free(e->categories);
	free(e->comments);
	feed_text_clear(&e->rights);
	feed_date_clear(&e->created);
	feed_date_clear(&e->expired);
	feed_persons_free(e->contributors, e->ncontributors);
	feed_person_clear(&e->publisher);
	free(e->language);
	feed_source_free(e->source);
	feed_exts_free(e->ext, e->next);
	memset(e, 0, sizeof *e);
}

/* Free a document and all it holds; NULL is fine. */
void
feed_doc_free(struct feed_doc *doc)
{
	size_t	 i;

	if (doc == NULL)
		return;
	free(doc->encoding);
	free(doc->bozo_kind);
	free(doc->bozo_message);
	feed_text_clear(&doc->title);
	feed_text_clear(&doc->subtitle);
	feed_text_clear(&doc->rights);
	free(doc->id);
	free(doc->link);
	feed_links_free(doc->links, doc->nlinks);
	feed_date_clear(&doc->updated);
	feed_date_clear(&doc->published);
	feed_persons_free(doc->authors, doc->nauthors);
	free(doc->language);
	free(doc->generator);
	free(doc->icon);
	free(doc->logo);
	free(doc->ttl);
	free(doc->new_feed_url);
	free(doc->generator_uri);
	free(doc->generator_version);
	feed_text_clear(&doc->info);
	feed_date_clear(&doc->created);
	feed_persons_free(doc->contributors, doc->ncontributors);
	feed_person_clear(&doc->publisher);
	feed_categories_free(doc->categories, doc->ncategories);
	free(doc->docs);
	if (doc->image != NULL) {
		free(doc->image->url);
		free(doc->image->title);
		free(doc->image->link);
		free(doc->image->description);
		free(doc->image);
	}
	if (doc->cloud != NULL) {
		free(doc->cloud->domain);
		free(doc->cloud->port);
		free(doc->cloud->path);
		free(doc->cloud->register_procedure);
		free(doc->cloud->protocol);
		free(doc->cloud);
	}
	if (doc->textinput != NULL) {
		free(doc->textinput->title);
		free(doc->textinput->description);
		free(doc->textinput->name);
		free(doc->textinput->link);
		free(doc->textinput);
	}
	feed_exts_free(doc->ext, doc->next);
	for (i = 0; i < doc->nentries; i++)
		feed_entry_clear(&doc->entries[i]);
	free(doc->entries);
	free(doc);
}

/* Grow an array of n elements by one zeroed element; returns the array. */
static void *
feed_array_grow(void *array, size_t n, size_t size)
{
	/*
	 * Room for the smallest power of two not below n, so that growing
	 * reallocates only when n reaches one: a realloc per element copied
	 * a feed's entries again and again (a twentieth of parsing).  Arrays
	 * are only ever made here, and shrink only by n going down.
	 */
	if ((n & (n - 1)) == 0)
		array = xreallocarray(array, n == 0 ? 1 : 2 * n, size);
	memset((char *)array + n * size, 0, size);
	return (array);
}

struct feed_entry *
feed_doc_add_entry(struct feed_doc *doc)
{
	doc->entries = feed_array_grow(doc->entries, doc->nentries,
	    sizeof *doc->entries);
	return (&doc->entries[doc->nentries++]);
}

struct feed_link *
feed_links_add(struct feed_link **links, size_t *n)
{
	*links = feed_array_grow(*links, *n, sizeof **links);
	return (&(*links)[(*n)++]);
}

struct feed_person *
feed_persons_add(struct feed_person **persons, size_t *n)
{
	*persons = feed_array_grow(*persons, *n, sizeof **persons);
	return (&(*persons)[(*n)++]);
}

struct feed_category *
feed_categories_add(struct feed_category **categories, size_t *n)
{
	*categories = feed_array_grow(*categories, *n, sizeof **categories);
	return (&(*categories)[(*n)++]);
}

struct feed_ext *
feed_exts_add(struct feed_ext **ext, size_t *n)
{
	*ext = feed_array_grow(*ext, *n, sizeof **ext);
	return (&(*ext)[(*n)++]);
}

struct feed_text *
feed_texts_add(struct feed_text **texts, size_t *n)
{
	*texts = feed_array_grow(*texts, *n, sizeof **texts);
	return (&(*texts)[(*n)++]);
}
