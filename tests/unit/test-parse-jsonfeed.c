/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for the JSON Feed reader (parse-jsonfeed.c): every member of
 * a 1.1 fixture, a 1.0 fixture, relative URLs, members of the wrong type,
 * invalid JSON, JSON that is not a feed, versions, id coercion, the
 * entry cap, a BOM and duplicate keys, and the same document through
 * parse_new/parse_push/parse_finish whole and byte by byte.  Fixtures
 * are in tests/data/jsonfeed, found through FEEDD_TEST_DATA; a missing
 * variable or file fails the test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "feedd/model.h"
#include "feedd/parse.h"
#include "feedd/util.h"
#include "test-common.h"
#include "parse-int.h"

/* The URL relative fixtures are "fetched" from. */
#define TEST_BASE "https://example.org/blog/feed/index.json"

/* One expected string value: what, got, want (NULL: must be absent). */
/* A small document and what parse_jsonfeed must make of it. */
struct test_case {
	const char		*name;
	const char		*json;
	int			 rv;
	enum feed_format	 format;
	const char		*bozo_kind;	/* NULL: not bozo */
	const char		*id;		/* first entry's id, or NULL */
};

static char	*test_fixture(const char *, size_t *);
static struct feed_doc *test_file(const char *, const char *, size_t,
		    int *);
static struct feed_doc *test_str(const char *, int *);
static char	*test_push(const char *, size_t, const char *, bool);
static char	*test_utc(const struct feed_date *);

/*
 * Fixtures whose JSON must not depend on the chunking (bom-dup.json: a
 * BOM and white space before the '{', pushed a byte at a time).
 */
static const char *test_fixtures[] = {
	"full11.json", "v10.json", "relative.json", "wrongtypes.json",
	"invalid.json", "notfeed.json", "many.json", "bom-dup.json"
};

/* Read tests/data/jsonfeed/name whole; fails the test if it cannot. */
static char *
test_fixture(const char *name, size_t *len)
{
	char	*path, *data;

	path = test_path("FEEDD_TEST_DATA", "jsonfeed", name);
	data = test_read(path, len);
	free(path);
	return (data);
}

/* Read a fixture with parse_jsonfeed; OUT: *rv its return value. */
static struct feed_doc *
test_file(const char *name, const char *base, size_t max, int *rv)
{
	struct feed_doc	*doc;
	char		*data;
	size_t		 len;

	data = test_fixture(name, &len);
	doc = feed_doc_new();
	*rv = parse_jsonfeed(data, len, base, max, doc);
	free(data);
	return (doc);
}

/* Read an inline document with no base and no cap. */
static struct feed_doc *
test_str(const char *json, int *rv)
{
	struct feed_doc	*doc;

	doc = feed_doc_new();
	*rv = parse_jsonfeed(json, strlen(json), NULL, 0, doc);
	return (doc);
}

/*
 * The PARSE_JSON of data pushed through the parse module, whole or one
 * byte at a time; the caller frees.
 */
static char *
test_push(const char *data, size_t len, const char *url, bool is_bytewise)
{
	struct parse_options	 opt;
	struct parse_ctx	*ctx;
	struct feed_doc		*doc;
	char			*json;
	size_t			 i;

	memset(&opt, 0, sizeof opt);
	opt.url = url;
	ctx = parse_new(&opt);
	if (!is_bytewise)
		assert_int_equal(parse_push(ctx, data, len), 0);
	else {
		for (i = 0; i < len; i++)
			assert_int_equal(parse_push(ctx, data + i, 1), 0);
	}
	doc = parse_finish(ctx);
	parse_free(ctx);
	json = parse_doc_json(doc);
	feed_doc_free(doc);
	return (json);
}

/* A date's instant as RFC 3339, or NULL; the caller frees. */
static char *
test_utc(const struct feed_date *d)
{
	char	 s[21];

	if (!d->is_valid)
		return (NULL);
	util_rfc3339(d->utc, s);
	return (xstrdup(s));
}

/* A 1.1 feed using every member: each lands in its field. */
static void
test_v11_every_member(void **state)
{
	struct feed_doc		*doc;
	struct feed_entry	*e, *e2;
	char			*pub, *upd, *bad;
	int			 rv;

	(void)state;
	doc = test_file("full11.json", NULL, 0, &rv);
	assert_int_equal(rv, 0);
	assert_false(doc->is_bozo);
	assert_int_equal(doc->format, FEED_FORMAT_JSON11);
	assert_string_equal(feed_format_name(doc->format), "json11");
	assert_int_equal(doc->nlinks, 4);
	assert_int_equal(doc->nauthors, 2);
	assert_int_equal(doc->nentries, 2);
	e = &doc->entries[0];
	e2 = &doc->entries[1];
	assert_int_equal(e->nlinks, 3);
	assert_int_equal(e->ncontent, 2);
	assert_int_equal(e->nauthors, 1);
	assert_int_equal(e->ncategories, 2);
	pub = test_utc(&e->published);
	upd = test_utc(&e->updated);
	bad = test_utc(&e2->published);
	{
		const struct test_expect x[] = {
			{ "encoding", doc->encoding, "utf-8" },
			{ "title", doc->title.value, "Full Example" },
			{ "title type", doc->title.type, "text/plain" },
			{ "title lang", doc->title.lang, "en-GB" },
			{ "title base", doc->title.base, NULL },
			{ "subtitle", doc->subtitle.value,
			    "A feed with <everything> & more" },
			{ "subtitle type", doc->subtitle.type, "text/plain" },
			{ "link", doc->link, "https://example.org/" },
			{ "id", doc->id, "https://example.org/feed.json" },
			{ "language", doc->language, "en-GB" },
			{ "logo", doc->logo,
			    "https://example.org/icon-512.png" },
			{ "icon", doc->icon,
			    "https://example.org/favicon-64.png" },
			{ "links[0] href", doc->links[0].href,
			    "https://example.org/" },
			{ "links[0] rel", doc->links[0].rel, "alternate" },
			{ "links[0] type", doc->links[0].type, "text/html" },
			{ "links[1] href", doc->links[1].href,
			    "https://example.org/feed.json" },
			{ "links[1] rel", doc->links[1].rel, "self" },
			{ "links[1] type", doc->links[1].type, NULL },
			{ "links[2] href", doc->links[2].href,
			    "https://example.org/feed.json?page=2" },
			{ "links[2] rel", doc->links[2].rel, "next" },
			{ "links[3] href", doc->links[3].href,
			    "https://hub.example.org/" },
			{ "links[3] rel", doc->links[3].rel, "hub" },
			{ "authors[0] name", doc->authors[0].name,
			    "Jane Doe" },
			{ "authors[0] uri", doc->authors[0].uri,
			    "https://example.org/jane" },
			{ "authors[0] email", doc->authors[0].email, NULL },
			{ "authors[1] name", doc->authors[1].name,
			    "John Roe" },
			{ "authors[1] uri", doc->authors[1].uri,
			    "mailto:john@example.org" },
			{ "authors[1] email", doc->authors[1].email,
			    "john@example.org" },

			{ "item id", e->id, "https://example.org/1" },
			{ "item link", e->link, "https://example.org/1.html" },
			{ "item links[0] href", e->links[0].href,
			    "https://example.org/1.html" },
			{ "item links[0] rel", e->links[0].rel, "alternate" },
			{ "item links[0] type", e->links[0].type,
			    "text/html" },
			{ "item links[1] href", e->links[1].href,
			    "https://elsewhere.example.com/story" },
			{ "item links[1] rel", e->links[1].rel, "related" },
			{ "item links[2] href", e->links[2].href,
			    "https://example.org/1.mp3" },
			{ "item links[2] rel", e->links[2].rel, "enclosure" },
			{ "item links[2] type", e->links[2].type,
			    "audio/mpeg" },
			{ "item links[2] title", e->links[2].title,
			    "Episode 1" },
			{ "item links[2] length", e->links[2].length,
			    "89970236" },
			{ "item title", e->title.value, "First <post>" },
			{ "item title type", e->title.type, "text/plain" },
			{ "item title lang", e->title.lang, "fr" },
			{ "item summary", e->summary.value, "A greeting" },
			{ "item summary type", e->summary.type,
			    "text/plain" },
			{ "item content[0] type", e->content[0].type,
			    "text/html" },
			{ "item content[0] lang", e->content[0].lang, "fr" },
			{ "item content[1] value", e->content[1].value,
			    "Hello, world!" },
			{ "item content[1] type", e->content[1].type,
			    "text/plain" },
			{ "item published raw", e->published.raw,
			    "2020-02-14T10:00:00-05:00" },
			{ "item published utc", pub, "2020-02-14T15:00:00Z" },
			{ "item updated raw", e->updated.raw,
			    "2020-02-15T08:30:00Z" },
			{ "item updated utc", upd, "2020-02-15T08:30:00Z" },
			{ "item authors[0] name", e->authors[0].name,
			    "Item Author" },
			{ "item authors[0] uri", e->authors[0].uri,
			    "https://example.org/item-author" },
			{ "item categories[0]", e->categories[0].term,
			    "news" },
			{ "item categories[1]", e->categories[1].term,
			    "greetings" },

			{ "item 2 id", e2->id, "42" },
			{ "item 2 link", e2->link, NULL },
			{ "item 2 title", e2->title.value, NULL },
			{ "item 2 content lang", e2->content[0].lang,
			    "en-GB" },
			{ "item 2 published raw", e2->published.raw,
			    "not a date" },
			{ "item 2 published utc", bad, NULL },
		};

		test_check(x, nitems(x));
	}
	/* The sanitizer may rewrite markup; the text must survive it. */
	assert_non_null(strstr(e->content[0].value, "world"));
	assert_int_equal(e2->ncontent, 1);
	assert_int_equal(e2->nauthors, 0);
	free(pub);
	free(upd);
	free(bad);
	feed_doc_free(doc);
}

/* A 1.0 feed: its singular author, on the feed and on an item. */
static void
test_v10_singular_author(void **state)
{
	struct feed_doc		*doc;
	struct feed_entry	*e;
	int			 rv;

	(void)state;
	doc = test_file("v10.json", NULL, 0, &rv);
	assert_int_equal(rv, 0);
	assert_false(doc->is_bozo);
	assert_int_equal(doc->format, FEED_FORMAT_JSON10);
	assert_string_equal(feed_format_name(doc->format), "json1");
	assert_int_equal(doc->nauthors, 1);
	assert_int_equal(doc->nentries, 1);
	e = &doc->entries[0];
	assert_int_equal(e->nauthors, 1);
	{
		const struct test_expect x[] = {
			{ "title", doc->title.value, "Version One" },
			{ "author name", doc->authors[0].name, "Solo Writer" },
			{ "author uri", doc->authors[0].uri,
			    "https://example.com/me" },
			{ "item author name", e->authors[0].name, "Guest" },
			{ "item author uri", e->authors[0].uri, NULL },
			{ "item content type", e->content[0].type,
			    "text/html" },
			{ "item published", e->published.raw,
			    "2017-05-17T12:00:00+02:00" },
		};

		test_check(x, nitems(x));
	}
	feed_doc_free(doc);
}

/*
 * Relative URLs are resolved against the document URL; an absolute one
 * is kept as written; a javascript: one is dropped.
 */
static void
test_relative_urls_resolved(void **state)
{
	struct feed_doc		*doc;
	struct feed_entry	*e;
	int			 rv;

	(void)state;
	doc = test_file("relative.json", TEST_BASE, 0, &rv);
	assert_int_equal(rv, 0);
	assert_false(doc->is_bozo);
	assert_int_equal(doc->nentries, 1);
	e = &doc->entries[0];
	/* alternate, two enclosures: the javascript: related link is gone. */
	assert_int_equal(e->nlinks, 3);
	{
		const struct test_expect x[] = {
			{ "link", doc->link, "https://example.org/" },
			{ "self", doc->links[1].href,
			    "https://example.org/blog/feed/feed.json" },
			{ "logo", doc->logo,
			    "https://example.org/blog/img/icon.png" },
			{ "icon", doc->icon,
			    "https://cdn.example.net/fav.ico" },
			{ "author uri", doc->authors[0].uri,
			    "https://example.org/blog/feed/about.html" },
			{ "item link", e->link,
			    "https://example.org/blog/feed/posts/r1.html" },
			{ "item links[1]", e->links[1].href,
			    "https://example.org/blog/feed/media/r1.ogg" },
			{ "item links[2]", e->links[2].href,
			    "HTTPS://Other.Example.COM/A B" },
			{ "item content base", e->content[0].base, TEST_BASE },
			{ "title base", doc->title.base, TEST_BASE },
		};

		test_check(x, nitems(x));
	}
	feed_doc_free(doc);

	/* Without a base, relative references stay as written. */
	doc = test_file("relative.json", NULL, 0, &rv);
	assert_int_equal(rv, 0);
	assert_string_equal(doc->link, "/");
	assert_string_equal(doc->entries[0].link, "posts/r1.html");
	assert_int_equal(doc->entries[0].nlinks, 3);
	assert_null(doc->entries[0].content[0].base);
	feed_doc_free(doc);
}

/*
 * Members of the wrong type are skipped, the rest is kept, and the
 * first problem is reported; items without a usable id are discarded.
 */
static void
test_wrong_types_skipped_and_bozo(void **state)
{
	struct feed_doc		*doc;
	struct feed_entry	*e;
	int			 rv;

	(void)state;
	doc = test_file("wrongtypes.json", NULL, 0, &rv);
	assert_int_equal(rv, 0);
	assert_true(doc->is_bozo);
	assert_string_equal(doc->bozo_kind, "invalid-jsonfeed");
	assert_string_equal(doc->bozo_message, "title is not a string");
	assert_int_equal(doc->format, FEED_FORMAT_JSON11);
	assert_null(doc->title.value);
	assert_null(doc->subtitle.value);
	assert_string_equal(doc->link, "https://example.org/");
	/* authors is not an array: the 1.0 author is used instead. */
	assert_int_equal(doc->nauthors, 1);
	assert_string_equal(doc->authors[0].name, "Fallback Author");

	assert_int_equal(doc->nentries, 2);
	e = &doc->entries[0];
	assert_string_equal(e->id, "kept");
	assert_null(e->title.value);
	assert_null(e->link);
	assert_int_equal(e->ncontent, 1);
	assert_string_equal(e->content[0].value,
	    "the rest of this item is kept");
	assert_string_equal(e->summary.value, "a summary");
	assert_string_equal(e->updated.raw, "2021-01-01T00:00:00Z");
	assert_int_equal(e->ncategories, 2);
	assert_string_equal(e->categories[0].term, "ok");
	assert_string_equal(e->categories[1].term, "also ok");
	/* The attachment with a url is kept, without its string size. */
	assert_int_equal(e->nlinks, 1);
	assert_string_equal(e->links[0].href, "https://example.org/a.bin");
	assert_null(e->links[0].type);
	assert_null(e->links[0].length);

	e = &doc->entries[1];
	assert_string_equal(e->id, "1.5");
	assert_int_equal(e->ncategories, 0);
	feed_doc_free(doc);
}

/* Invalid JSON is dropped whole, with jansson's line and column. */
static void
test_invalid_json_bozo_with_line(void **state)
{
	struct feed_doc	*doc;
	int		 rv;

	(void)state;
	doc = test_file("invalid.json", NULL, 0, &rv);
	assert_int_equal(rv, -1);
	assert_true(doc->is_bozo);
	assert_string_equal(doc->bozo_kind, "not-well-formed");
	assert_int_equal(doc->bozo_line, 6);
	assert_true(doc->bozo_column > 0);
	assert_non_null(doc->bozo_message);
	assert_int_equal(doc->format, FEED_FORMAT_NONE);
	assert_null(doc->title.value);
	assert_int_equal(doc->nentries, 0);
	feed_doc_free(doc);
}

/* Which documents are JSON Feeds, of which version (table). */
static void
test_versions_and_non_feeds(void **state)
{
	static const struct test_case cases[] = {
		{ "version 1", "{\"version\": \"https://jsonfeed.org/"
		    "version/1\", \"title\": \"t\", \"items\": []}", 0,
		    FEED_FORMAT_JSON10, NULL, NULL },
		{ "version 1.1", "{\"version\": \"https://jsonfeed.org/"
		    "version/1.1\", \"title\": \"t\", \"items\": []}", 0,
		    FEED_FORMAT_JSON11, NULL, NULL },
		{ "http version URL", "{\"version\": \"http://jsonfeed.org/"
		    "version/1\", \"title\": \"t\", \"items\": []}", 0,
		    FEED_FORMAT_JSON10, NULL, NULL },
		{ "future version read as 1.1", "{\"version\": \"https://"
		    "jsonfeed.org/version/2\", \"title\": \"t\", "
		    "\"items\": []}", 0, FEED_FORMAT_JSON11, NULL, NULL },
		{ "missing title and items", "{\"version\": \"https://"
		    "jsonfeed.org/version/1.1\"}", 0, FEED_FORMAT_JSON11,
		    "invalid-jsonfeed", NULL },
		{ "no version", "{\"title\": \"t\", \"items\": []}", -1,
		    FEED_FORMAT_NONE, "not-a-feed", NULL },
		{ "version not a string", "{\"version\": 1.1, \"items\": []}",
		    -1, FEED_FORMAT_NONE, "not-a-feed", NULL },
		{ "other version URL", "{\"version\": \"https://example.org/"
		    "version/1\", \"items\": []}", -1, FEED_FORMAT_NONE,
		    "not-a-feed", NULL },
		{ "an array", "[{\"version\": \"https://jsonfeed.org/version/"
		    "1\"}]", -1, FEED_FORMAT_NONE, "not-a-feed", NULL },
		{ "trailing garbage", "{\"version\": \"https://jsonfeed.org/"
		    "version/1\"} x", -1, FEED_FORMAT_NONE, "not-well-formed",
		    NULL },
		{ "invalid UTF-8", "{\"version\": \"https://jsonfeed.org/"
		    "version/1\", \"title\": \"\xff\"}", -1, FEED_FORMAT_NONE,
		    "not-well-formed", NULL },
	};
	struct feed_doc	*doc;
	size_t		 i;
	int		 rv;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		doc = test_str(cases[i].json, &rv);
		if (rv != cases[i].rv || doc->format != cases[i].format)
			fail_msg("%s: rv %d format %d", cases[i].name, rv,
			    (int)doc->format);
		if (cases[i].bozo_kind == NULL && doc->is_bozo)
			fail_msg("%s: bozo %s", cases[i].name,
			    doc->bozo_message);
		if (cases[i].bozo_kind != NULL && (!doc->is_bozo ||
		    strcmp(doc->bozo_kind, cases[i].bozo_kind) != 0))
			fail_msg("%s: bozo kind %s", cases[i].name,
			    doc->is_bozo ? doc->bozo_kind : "(none)");
		feed_doc_free(doc);
	}
}

/* Item ids: strings as written, numbers coerced, the rest discarded. */
static void
test_item_ids(void **state)
{
	static const struct test_case cases[] = {
		{ "string", "\" a b \"", 0, 0, NULL, " a b " },
		{ "integer", "12345678901234", 0, 0, NULL, "12345678901234" },
		{ "negative", "-7", 0, 0, NULL, "-7" },
		{ "real", "0.1", 0, 0, NULL, "0.1" },
		{ "whole real", "1e3", 0, 0, NULL, "1000" },
		{ "big real", "1.5e300", 0, 0, NULL, "1.5e+300" },
		{ "blank", "\" \\t\"", 0, 0, "invalid-jsonfeed", NULL },
		{ "empty", "\"\"", 0, 0, "invalid-jsonfeed", NULL },
		{ "null", "null", 0, 0, "invalid-jsonfeed", NULL },
		{ "object", "{\"x\": 1}", 0, 0, "invalid-jsonfeed", NULL },
		{ "U+0000", "\"a\\u0000b\"", 0, 0, "invalid-jsonfeed", NULL },
	};
	struct feed_doc	*doc;
	char		*json;
	size_t		 i;
	int		 rv;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		xasprintf(&json, "{\"version\": \"https://jsonfeed.org/"
		    "version/1.1\", \"title\": \"t\", \"items\": [{\"id\": "
		    "%s, \"content_text\": \"c\"}]}", cases[i].json);
		doc = test_str(json, &rv);
		free(json);
		assert_int_equal(rv, 0);
		if (cases[i].id != NULL) {
			if (doc->nentries != 1 || doc->is_bozo)
				fail_msg("%s: %zu entries, bozo %d",
				    cases[i].name, doc->nentries,
				    doc->is_bozo);
			if (strcmp(doc->entries[0].id, cases[i].id) != 0)
				fail_msg("%s: id \"%s\", want \"%s\"",
				    cases[i].name, doc->entries[0].id,
				    cases[i].id);
		} else if (doc->nentries != 0 || !doc->is_bozo ||
		    strcmp(doc->bozo_kind, cases[i].bozo_kind) != 0)
			fail_msg("%s: %zu entries, want it discarded",
			    cases[i].name, doc->nentries);
		feed_doc_free(doc);
	}
}

/* The entry cap keeps the first items that are kept at all. */
static void
test_max_entries(void **state)
{
	static const struct {
		size_t		 max;
		size_t		 want;
	} cases[] = {
		{ 0, 7 }, { 1, 1 }, { 3, 3 }, { 7, 7 }, { 100, 7 }
	};
	struct feed_doc	*doc;
	char		 id[32];
	size_t		 i, j;
	int		 rv;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		doc = test_file("many.json", NULL, cases[i].max, &rv);
		assert_int_equal(rv, 0);
		if (doc->nentries != cases[i].want)
			fail_msg("max %zu: %zu entries, want %zu",
			    cases[i].max, doc->nentries, cases[i].want);
		for (j = 0; j < doc->nentries; j++) {
			snprintf(id, sizeof id, "item-%zu", j + 1);
			assert_string_equal(doc->entries[j].id, id);
		}
		feed_doc_free(doc);
	}
}

/*
 * A UTF-8 BOM is skipped; a duplicate key keeps the last value and
 * makes the document bozo with its position.
 */
static void
test_bom_and_duplicate_key(void **state)
{
	struct feed_doc	*doc;
	int		 rv;

	(void)state;
	doc = test_file("bom-dup.json", NULL, 0, &rv);
	assert_int_equal(rv, 0);
	assert_int_equal(doc->format, FEED_FORMAT_JSON11);
	assert_true(doc->is_bozo);
	assert_string_equal(doc->bozo_kind, "invalid-jsonfeed");
	assert_non_null(strstr(doc->bozo_message, "duplicate"));
	assert_int_equal(doc->bozo_line, 1);
	assert_string_equal(doc->title.value, "Dup");
	assert_int_equal(doc->nentries, 1);
	assert_string_equal(doc->entries[0].content[0].value,
	    "\xc3\xa9t\xc3\xa9 \xf0\x9f\x98\x80");
	feed_doc_free(doc);
}

/* Attachment sizes: whole numbers only, as decimal strings (table). */
static void
test_attachment_sizes(void **state)
{
	static const struct {
		const char	*json;
		const char	*want;	/* NULL: dropped and bozo */
	} cases[] = {
		{ "0", "0" }, { "123", "123" }, { "1.2e6", "1200000" },
		{ "-5", NULL }, { "3.5", NULL }, { "\"12\"", NULL },
	};
	struct feed_doc	*doc;
	struct feed_link *l;
	char		*json;
	size_t		 i;
	int		 rv;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		xasprintf(&json, "{\"version\": \"https://jsonfeed.org/"
		    "version/1.1\", \"title\": \"t\", \"items\": [{\"id\": "
		    "\"1\", \"content_text\": \"c\", \"attachments\": "
		    "[{\"url\": \"http://x.example/a\", \"mime_type\": "
		    "\"a/b\", \"size_in_bytes\": %s}]}]}", cases[i].json);
		doc = test_str(json, &rv);
		free(json);
		assert_int_equal(rv, 0);
		assert_int_equal(doc->nentries, 1);
		assert_int_equal(doc->entries[0].nlinks, 1);
		l = &doc->entries[0].links[0];
		if (cases[i].want == NULL) {
			if (l->length != NULL || !doc->is_bozo)
				fail_msg("%s: kept or not bozo",
				    cases[i].json);
		} else if (l->length == NULL || doc->is_bozo ||
		    strcmp(l->length, cases[i].want) != 0)
			fail_msg("%s: length %s", cases[i].json,
			    l->length != NULL ? l->length : "(none)");
		feed_doc_free(doc);
	}
}

/*
 * Through the parse module, each fixture gives the same PARSE_JSON
 * whether pushed whole or one byte at a time, and is detected as JSON.
 */
static void
test_push_bytewise_same_json(void **state)
{
	char	*data, *whole, *bytes;
	size_t	 i, len;

	(void)state;
	for (i = 0; i < nitems(test_fixtures); i++) {
		data = test_fixture(test_fixtures[i], &len);
		whole = test_push(data, len, TEST_BASE, false);
		bytes = test_push(data, len, TEST_BASE, true);
		if (strcmp(whole, bytes) != 0)
			fail_msg("%s: whole %s\nbyte by byte %s",
			    test_fixtures[i], whole, bytes);
		free(whole);
		free(bytes);
		free(data);
	}

	data = test_fixture("full11.json", &len);
	whole = test_push(data, len, NULL, true);
	assert_non_null(strstr(whole, "\"json11\""));
	assert_non_null(strstr(whole, "Full Example"));
	free(whole);
	free(data);

	data = test_fixture("notfeed.json", &len);
	whole = test_push(data, len, NULL, true);
	assert_non_null(strstr(whole, "not-a-feed"));
	free(whole);
	free(data);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v11_every_member),
		cmocka_unit_test(test_v10_singular_author),
		cmocka_unit_test(test_relative_urls_resolved),
		cmocka_unit_test(test_wrong_types_skipped_and_bozo),
		cmocka_unit_test(test_invalid_json_bozo_with_line),
		cmocka_unit_test(test_versions_and_non_feeds),
		cmocka_unit_test(test_item_ids),
		cmocka_unit_test(test_max_entries),
		cmocka_unit_test(test_bom_and_duplicate_key),
		cmocka_unit_test(test_attachment_sizes),
		cmocka_unit_test(test_push_bytewise_same_json),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
