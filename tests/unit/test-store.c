/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for store: dedup keys, one transaction per poll, updates
 * seen as updates (an added enclosure or category too), every author,
 * category and enclosure kept, newest-first reads, poll state, the
 * generation moving with what the outputs show, and a database from a
 * newer feedd refused.  Each test uses a real SQLite file in a fresh
 * temporary directory.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>
#include <sqlite3.h>

#include "feedd/model.h"
#include "feedd/store.h"
#include "feedd/util.h"
#include "test-common.h"

struct fixture {
	char		 dir[64];
	char		*path;
	struct store	*st;
};

static int
setup(void **state)
{
	struct fixture	*fx = xcalloc(1, sizeof *fx);
	char		*cause = NULL;

	strcpy(fx->dir, "/tmp/feedd-test-store.XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	xasprintf(&fx->path, "%s/feedd.db", fx->dir);
	fx->st = store_open(fx->path, &cause);
	assert_null(cause);
	assert_non_null(fx->st);
	*state = fx;
	return (0);
}

static int
teardown(void **state)
{
	struct fixture	*fx = *state;
	char		*cmd;

	store_close(fx->st);
	xasprintf(&cmd, "rm -rf '%s'", fx->dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(fx->path);
	free(fx);
	return (0);
}

/* Add an entry with the given fields (NULL: absent) to doc. */
static struct feed_entry *
add_entry(struct feed_doc *doc, const char *id, const char *link,
    const char *title, time_t published)
{
	struct feed_entry	*e = feed_doc_add_entry(doc);

	if (id != NULL)
		e->id = xstrdup(id);
	if (link != NULL)
		e->link = xstrdup(link);
	if (title != NULL) {
		e->title.value = xstrdup(title);
		e->title.type = xstrdup("text/plain");
	}
	if (published != 0) {
		xasprintf(&e->published.raw, "%lld", (long long)published);
		e->published.utc = published;
		e->published.is_valid = true;
	}
	return (e);
}

/* A document of three entries, as a feed lists them: newest first. */
static struct feed_doc *
three_entries(void)
{
	struct feed_doc	*doc = feed_doc_new();

	doc->format = FEED_FORMAT_RSS20;
	doc->title.value = xstrdup("Example");
	add_entry(doc, "urn:a", "http://example.org/a", "A", 3000);
	add_entry(doc, NULL, "http://example.org/b", "B", 2000);
	add_entry(doc, NULL, NULL, "C", 1000);
	return (doc);
}

static void
key_prefers_id_then_link_then_hash(void **state)
{
	struct feed_doc	*doc = three_entries();
	char		*k0, *k1, *k2;

	(void)state;
	k0 = store_entry_key(&doc->entries[0], STORE_DEDUP_AUTO);
	k1 = store_entry_key(&doc->entries[1], STORE_DEDUP_AUTO);
	k2 = store_entry_key(&doc->entries[2], STORE_DEDUP_AUTO);
	assert_string_equal(k0, "id:urn:a");
	assert_string_equal(k1, "link:http://example.org/b");
	assert_int_equal(strncmp(k2, "hash:", 5), 0);
	assert_int_equal(strlen(k2), 5 + 64);
	free(k0);
	free(k1);
	free(k2);
	feed_doc_free(doc);
}

static void
key_hash_depends_on_title_date_and_content(void **state)
{
	struct feed_doc	*doc = feed_doc_new();
	struct feed_text *c;
	char		*k0, *k1, *k2, *k3;

	(void)state;
	add_entry(doc, NULL, NULL, "Same", 1000);
	add_entry(doc, NULL, NULL, "Same", 1000);
	add_entry(doc, NULL, NULL, "Same", 1001);
	add_entry(doc, NULL, NULL, "Same", 1000);
	c = feed_texts_add(&doc->entries[3].content,
	    &doc->entries[3].ncontent);
	c->value = xstrdup("other body");
	k0 = store_entry_key(&doc->entries[0], STORE_DEDUP_AUTO);
	k1 = store_entry_key(&doc->entries[1], STORE_DEDUP_AUTO);
	k2 = store_entry_key(&doc->entries[2], STORE_DEDUP_AUTO);
	k3 = store_entry_key(&doc->entries[3], STORE_DEDUP_AUTO);
	assert_string_equal(k0, k1);
	assert_string_not_equal(k0, k2);
	assert_string_not_equal(k0, k3);
	free(k0);
	free(k1);
	free(k2);
	free(k3);
	feed_doc_free(doc);
}

static void
second_poll_of_same_feed_adds_nothing(void **state)
{
	struct fixture		*fx = *state;
	struct feed_doc		*doc = three_entries();
	struct store_counts	 c;
	char			*cause = NULL;

	assert_int_equal(store_commit_poll(fx->st, "ex", "http://e/f", NULL,
	    STORE_DEDUP_AUTO, doc, 5000, &c, &cause), 0);
	assert_int_equal(c.nnew, 3);
	assert_int_equal(store_commit_poll(fx->st, "ex", "http://e/f", NULL,
	    STORE_DEDUP_AUTO, doc, 6000, &c, &cause), 0);
	assert_int_equal(c.nnew, 0);
	assert_int_equal(c.nupdated, 0);
	assert_int_equal(c.nunchanged, 3);
	assert_int_equal(store_count_entries(fx->st), 3);
	feed_doc_free(doc);
}

/*
 * The first column of the one row sql gives, read through a connection
 * of its own; NULL if it gives none, or NULL.
 */
static char *
sql_text(const char *path, const char *sql)
{
	sqlite3		*db;
	sqlite3_stmt	*stmt;
	char		*text = NULL;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL),
	    SQLITE_OK);
	if (sqlite3_step(stmt) == SQLITE_ROW &&
	    sqlite3_column_type(stmt, 0) != SQLITE_NULL)
		text = xstrdup((const char *)sqlite3_column_text(stmt, 0));
	assert_int_equal(sqlite3_step(stmt), SQLITE_DONE);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return (text);
}

/* sql_text's result as a number, -1 without one. */
static int
sql_int(const char *path, const char *sql)
{
	char	*text = sql_text(path, sql);
	int	 n = text != NULL ? atoi(text) : -1;

	free(text);
	return (n);
}

/* Column col of entry id of feed, read through a connection of its own. */
static char *
stored_text(const char *path, const char *col, const char *feed,
    const char *id)
{
	char	*sql, *text;

	sql = sqlite3_mprintf("SELECT %s FROM entries WHERE feed = %Q"
	    " AND entry_id = %Q", col, feed, id);
	text = sql_text(path, sql);
	sqlite3_free(sql);
	return (text);
}

/* Run sql through a connection of its own, which must succeed. */
static void
sql_exec(const char *path, const char *sql)
{
	sqlite3		*db;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

/* Put a one-entry poll of feed name, titled title; store_put_poll's result. */
static int
put_one(struct fixture *fx, const char *name, const char *title,
    char **cause)
{
	struct feed_doc		*doc = feed_doc_new();
	struct store_counts	 c;
	char			 id[64];
	int			 rc;

	doc->format = FEED_FORMAT_RSS20;
	snprintf(id, sizeof id, "urn:%s", name);
	add_entry(doc, id, NULL, title, 1000);
	rc = store_put_poll(fx->st, name, "http://e/f", NULL,
	    STORE_DEDUP_AUTO, doc, 5000, &c, cause);
	feed_doc_free(doc);
	return (rc);
}

/*
 * Polls put in a batch are seen by other connections only once it is
 * flushed, all at once; a poll that fails in it (a trigger aborts its
 * insert) is rolled back alone, and the polls before and after it stay.
 */
static void
batched_polls_commit_together_and_fail_alone(void **state)
{
	struct fixture	*fx = *state;
	char		*cause = NULL;

	sql_exec(fx->path, "CREATE TRIGGER boom BEFORE INSERT ON entries"
	    " WHEN NEW.title = 'boom' BEGIN SELECT RAISE(ABORT, 'boom'); END");
	assert_int_equal(put_one(fx, "a", "A", &cause), 0);
	assert_int_equal(put_one(fx, "b", "boom", &cause), -1);
	assert_non_null(strstr(cause, "boom"));
	free(cause);
	assert_int_equal(put_one(fx, "c", "C", &cause), 0);
	assert_int_equal(store_batched(fx->st), 2);
	/* This connection sees the batch; another does not, yet. */
	assert_int_equal(store_count_entries(fx->st), 2);
	assert_int_equal(sql_int(fx->path, "SELECT count(*) FROM entries"), 0);
	store_flush(fx->st);
	assert_int_equal(store_batched(fx->st), 0);
	assert_int_equal(sql_int(fx->path, "SELECT count(*) FROM entries"), 2);
	assert_int_equal(sql_int(fx->path, "SELECT count(*) FROM entries"
	    " WHERE feed IN ('a', 'c')"), 2);
	assert_int_equal(sql_int(fx->path, "SELECT count(*) FROM feeds"
	    " WHERE name = 'b'"), 0);
}

/* What the lost callback was told. */
struct lost {
	char	 names[64];
	char	*cause;
};

static void
lost_cb(const char *name, const char *cause, void *arg)
{
	struct lost	*l = arg;

	strncat(l->names, name, sizeof l->names - strlen(l->names) - 1);
	strncat(l->names, " ", sizeof l->names - strlen(l->names) - 1);
	free(l->cause);
	l->cause = xstrdup(cause);
}

/*
 * A batch whose commit fails (a deferred foreign key, checked only at
 * COMMIT) loses every poll in it: each goes to the lost callback with
 * the reason, nothing of them is stored, and the store goes on working.
 */
static void
failed_commit_tells_each_lost_poll(void **state)
{
	struct fixture	*fx = *state;
	struct lost	 l;
	char		*cause = NULL;

	memset(&l, 0, sizeof l);
	sql_exec(fx->path, "CREATE TABLE u (y TEXT PRIMARY KEY);"
	    " CREATE TABLE t (x TEXT REFERENCES u(y)"
	    " DEFERRABLE INITIALLY DEFERRED);"
	    " CREATE TRIGGER late AFTER INSERT ON entries"
	    " WHEN NEW.title = 'late' BEGIN INSERT INTO t VALUES ('no'); END");
	store_set_lost_cb(fx->st, lost_cb, &l);
	assert_int_equal(put_one(fx, "a", "A", &cause), 0);
	assert_int_equal(put_one(fx, "b", "late", &cause), 0);
	store_flush(fx->st);
	assert_string_equal(l.names, "a b ");
	assert_non_null(l.cause);
	assert_non_null(strstr(l.cause, "FOREIGN KEY"));
	assert_int_equal(store_batched(fx->st), 0);
	assert_int_equal(sql_int(fx->path, "SELECT count(*) FROM entries"), 0);
	assert_int_equal(store_count_entries(fx->st), 0);
	assert_int_equal(put_one(fx, "c", "C", &cause), 0);
	store_flush(fx->st);
	assert_string_equal(l.names, "a b ");
	assert_int_equal(sql_int(fx->path, "SELECT count(*) FROM entries"), 1);
	store_set_lost_cb(fx->st, NULL, NULL);
	free(l.cause);
}

/*
 * A document that lists a key twice: entries are stored oldest (last
 * listed) first, so the first listed is an update of the other, or
 * unchanged, whether the feed is polled for the first time
 * (store_put_entry inserts without looking up) or not.
 */
static void
repeated_key_in_one_document_counts_alike(void **state)
{
	static const char *const feeds[] = { "new", "old" };
	struct fixture		*fx = *state;
	struct feed_doc		*doc, *old;
	struct store_counts	 c;
	char			*cause = NULL, *title;
	size_t			 i;

	old = feed_doc_new();
	old->format = FEED_FORMAT_RSS20;
	add_entry(old, "urn:z", NULL, "zed", 500);
	assert_int_equal(store_commit_poll(fx->st, "old", "http://e/o", NULL,
	    STORE_DEDUP_AUTO, old, 4000, &c, &cause), 0);
	feed_doc_free(old);

	doc = feed_doc_new();
	doc->format = FEED_FORMAT_RSS20;
	add_entry(doc, "urn:1", NULL, "one, edited", 1000);
	add_entry(doc, "urn:2", NULL, "two", 2000);
	add_entry(doc, "urn:1", NULL, "one", 1000);
	add_entry(doc, "urn:2", NULL, "two", 2000);
	for (i = 0; i < nitems(feeds); i++) {
		assert_int_equal(store_commit_poll(fx->st, feeds[i],
		    "http://e/f", NULL, STORE_DEDUP_AUTO, doc, 5000, &c,
		    &cause), 0);
		assert_int_equal(c.nnew, 2);
		assert_int_equal(c.nupdated, 1);
		assert_int_equal(c.nunchanged, 1);
		title = stored_text(fx->path, "title", feeds[i], "urn:1");
		assert_non_null(title);
		assert_string_equal(title, "one, edited");
		free(title);
	}
	assert_int_equal(store_count_entries(fx->st), 5);
	feed_doc_free(doc);
}

static void
same_entry_in_two_feeds_is_stored_per_feed(void **state)
{
	struct fixture		*fx = *state;
	struct feed_doc		*doc = three_entries();
	struct store_counts	 c;
	char			*cause = NULL;

	assert_int_equal(store_commit_poll(fx->st, "one", "http://e/1", NULL,
	    STORE_DEDUP_AUTO, doc, 5000, &c, &cause), 0);
	assert_int_equal(store_commit_poll(fx->st, "two", "http://e/2", NULL,
	    STORE_DEDUP_AUTO, doc, 5000, &c, &cause), 0);
	assert_int_equal(c.nnew, 3);
	assert_int_equal(store_count_entries(fx->st), 6);
	feed_doc_free(doc);
}

static void
changed_title_is_an_update_keeping_first_seen(void **state)
{
	struct fixture		*fx = *state;
	struct feed_doc		*doc = three_entries();
	struct store_counts	 c;
	struct store_item	*items;
	size_t			 n;
	char			*cause = NULL;

	assert_int_equal(store_commit_poll(fx->st, "ex", "http://e/f", NULL,
	    STORE_DEDUP_AUTO, doc, 5000, &c, &cause), 0);
	free(doc->entries[0].title.value);
	doc->entries[0].title.value = xstrdup("A, edited");
	assert_int_equal(store_commit_poll(fx->st, "ex", "http://e/f", NULL,
	    STORE_DEDUP_AUTO, doc, 7000, &c, &cause), 0);
	assert_int_equal(c.nnew, 0);
	assert_int_equal(c.nupdated, 1);
	assert_int_equal(c.nunchanged, 2);
	assert_int_equal(store_newest(fx->st, NULL, 10, &items, &n, &cause), 0);
	assert_int_equal(n, 3);
	assert_string_equal(items[0].e.title.value, "A, edited");
	assert_int_equal(items[0].first_seen, 5000);
	assert_int_equal(items[0].changed, 7000);
	store_items_free(items, n);
	feed_doc_free(doc);
}

/* Give e a related link, then an enclosure of this type and length. */
static void
add_enclosure(struct feed_entry *e, const char *type, const char *length)
{
	struct feed_link	*l;

	l = feed_links_add(&e->links, &e->nlinks);
	l->rel = xstrdup("related");
	l->href = xstrdup("http://example.org/related");
	l = feed_links_add(&e->links, &e->nlinks);
	l->rel = xstrdup("enclosure");
	l->href = xstrdup("http://example.org/a.mp3");
	l->type = xstrdup(type);
	l->length = xstrdup(length);
}

/* Give e two authors, two categories, an enclosure and another link. */
static void
add_extras(struct feed_entry *e)
{
	struct feed_person	*a;
	struct feed_category	*c;

	a = feed_persons_add(&e->authors, &e->nauthors);
	a->name = xstrdup("Ann");
	a->email = xstrdup("ann@example.org");
	a = feed_persons_add(&e->authors, &e->nauthors);
	a->name = xstrdup("Bob");
	a->uri = xstrdup("http://example.org/bob");
	c = feed_categories_add(&e->categories, &e->ncategories);
	c->term = xstrdup("audio");
	c->scheme = xstrdup("http://example.org/cats");
	c->label = xstrdup("Audio");
	c = feed_categories_add(&e->categories, &e->ncategories);
	c->term = xstrdup("talk");
	add_enclosure(e, "audio/mpeg", "12345");
}

static void
authors_categories_enclosures_round_trip(void **state)
{
	struct fixture		*fx = *state;
	struct feed_doc		*doc = three_entries();
	struct store_counts	 c;
	struct store_item	*items;
	struct feed_entry	*e;
	size_t			 n;
	char			*cause = NULL;

	add_extras(&doc->entries[0]);
	assert_int_equal(store_commit_poll(fx->st, "ex", "http://e/f", NULL,
	    STORE_DEDUP_AUTO, doc, 5000, &c, &cause), 0);
	assert_int_equal(store_newest(fx->st, NULL, 10, &items, &n, &cause), 0);
	assert_int_equal(n, 3);
	e = &items[0].e;
	assert_int_equal(e->nauthors, 2);
	assert_string_equal(e->authors[0].name, "Ann");
	assert_string_equal(e->authors[0].email, "ann@example.org");
	assert_null(e->authors[0].uri);
	assert_string_equal(e->authors[1].name, "Bob");
	assert_string_equal(e->authors[1].uri, "http://example.org/bob");
	assert_int_equal(e->ncategories, 2);
	assert_string_equal(e->categories[0].term, "audio");
	assert_string_equal(e->categories[0].scheme, "http://example.org/cats");
	assert_string_equal(e->categories[0].label, "Audio");
	assert_string_equal(e->categories[1].term, "talk");
	assert_null(e->categories[1].scheme);
	/* Only the enclosure is kept of the entry's other links. */
	assert_int_equal(e->nlinks, 1);
	assert_string_equal(e->links[0].rel, "enclosure");
	assert_string_equal(e->links[0].href, "http://example.org/a.mp3");
	assert_string_equal(e->links[0].type, "audio/mpeg");
	assert_string_equal(e->links[0].length, "12345");
	assert_int_equal(items[1].e.nauthors, 0);
	assert_int_equal(items[1].e.ncategories, 0);
	assert_int_equal(items[1].e.nlinks, 0);
	store_items_free(items, n);
	feed_doc_free(doc);
}

/*
 * A string a JSON writer can get wrong: a quote, a backslash, a slash,
 * DEL, UTF-8 of two, three and four bytes, and every control character.
 */
static char *
awkward_string(void)
{
	struct buf	 b;
	int		 c;

	buf_init(&b);
	buf_adds(&b, "q\"b\\s/ del\x7f \xc3\xa9 \xe2\x82\xac \xf0\x9d\x84\x9e ");
	for (c = 1; c < 0x20; c++)
		buf_addc(&b, (char)c);
	return (buf_steal(&b));
}

/* Set key of o to s as jansson would keep it (not invalid UTF-8). */
static void
json_set(json_t *o, const char *key, const char *s)
{
	if (s != NULL)
		json_object_set_new(o, key, json_string(s));
}

/* Append to the array a an object of up to four fields. */
static void
json_add(json_t *a, const char *k1, const char *v1, const char *k2,
    const char *v2, const char *k3, const char *v3)
{
	json_t	*o = json_object();

	json_set(o, k1, v1);
	json_set(o, k2, v2);
	json_set(o, k3, v3);
	json_array_append_new(a, o);
}

/*
 * The extras column is written without jansson's tree, so check it is
 * byte for byte what jansson writes from the same values: awkward
 * strings escaped alike, a value that is not UTF-8 left out, a category
 * without a term and a link that is no enclosure skipped.  It then
 * reads back to the same strings.
 */
static void
extras_column_is_what_jansson_writes(void **state)
{
	struct fixture		*fx = *state;
	struct feed_doc		*doc = three_entries();
	struct feed_entry	*e = &doc->entries[0];
	struct feed_person	*a;
	struct feed_category	*cat;
	struct store_counts	 c;
	struct store_item	*items;
	json_t			*root, *arr;
	char			*cause = NULL, *odd = awkward_string();
	char			*want, *got;
	size_t			 n;

	a = feed_persons_add(&e->authors, &e->nauthors);
	a->name = xstrdup(odd);
	a->email = xstrdup("ann@example.org");
	a = feed_persons_add(&e->authors, &e->nauthors);
	a->raw = xstrdup("Bob <bob@example.org>");
	cat = feed_categories_add(&e->categories, &e->ncategories);
	cat->term = xstrdup(odd);
	cat->label = xstrdup("bad \xff\xfe bytes");
	cat = feed_categories_add(&e->categories, &e->ncategories);
	cat->label = xstrdup("no term");
	cat = feed_categories_add(&e->categories, &e->ncategories);
	cat->term = xstrdup("t");
	add_enclosure(e, odd, "1");

	root = json_object();
	json_object_set_new(root, "authors", arr = json_array());
	json_add(arr, "name", odd, "email", "ann@example.org", "uri", NULL);
	json_add(arr, "raw", "Bob <bob@example.org>", NULL, NULL, NULL, NULL);
	json_object_set_new(root, "categories", arr = json_array());
	json_add(arr, "term", odd, "label", "bad \xff\xfe bytes", NULL, NULL);
	json_add(arr, "term", "t", NULL, NULL, NULL, NULL);
	json_object_set_new(root, "enclosures", arr = json_array());
	json_add(arr, "url", "http://example.org/a.mp3", "type", odd,
	    "length", "1");
	want = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(root);

	assert_int_equal(store_commit_poll(fx->st, "ex", "http://e/f", NULL,
	    STORE_DEDUP_AUTO, doc, 5000, &c, &cause), 0);
	got = stored_text(fx->path, "extras", "ex", "urn:a");
	assert_non_null(got);
	assert_string_equal(got, want);
	assert_int_equal(store_newest(fx->st, NULL, 10, &items, &n, &cause), 0);
	e = &items[0].e;
	assert_int_equal(e->nauthors, 2);
	assert_string_equal(e->authors[0].name, odd);
	assert_string_equal(e->authors[1].raw, "Bob <bob@example.org>");
	assert_int_equal(e->ncategories, 2);
	assert_string_equal(e->categories[0].term, odd);
	assert_null(e->categories[0].label);
	assert_string_equal(e->links[0].type, odd);
	store_items_free(items, n);
	free(got);
	free(want);
	free(odd);
	feed_doc_free(doc);
}

static void
added_enclosure_or_category_is_an_update(void **state)
{
	struct fixture		*fx = *state;
	struct feed_doc		*doc = three_entries();
	struct store_counts	 c;
	struct feed_link	*l;
	struct feed_category	*cat;
	char			*cause = NULL;

	assert_int_equal(store_commit_poll(fx->st, "ex", "http://e/f", NULL,
	    STORE_DEDUP_AUTO, doc, 5000, &c, &cause), 0);
	l = feed_links_add(&doc->entries[1].links, &doc->entries[1].nlinks);
	l->rel = xstrdup("enclosure");
	l->href = xstrdup("http://example.org/b.mp3");
	assert_int_equal(store_commit_poll(fx->st, "ex", "http://e/f", NULL,
	    STORE_DEDUP_AUTO, doc, 6000, &c, &cause), 0);
	assert_int_equal(c.nupdated, 1);
	assert_int_equal(c.nunchanged, 2);
	cat = feed_categories_add(&doc->entries[2].categories,
	    &doc->entries[2].ncategories);
	cat->term = xstrdup("new");
	assert_int_equal(store_commit_poll(fx->st, "ex", "http://e/f", NULL,
	    STORE_DEDUP_AUTO, doc, 7000, &c, &cause), 0);
	assert_int_equal(c.nupdated, 1);
	assert_int_equal(c.nunchanged, 2);
	feed_doc_free(doc);
}

static void
newest_lists_by_date_newest_first_with_feed(void **state)
{
	struct fixture		*fx = *state;
	struct feed_doc		*doc = three_entries();
	struct store_counts	 c;
	struct store_item	*items;
	size_t			 n;
	char			*cause = NULL;

	assert_int_equal(store_commit_poll(fx->st, "ex", "http://e/f",
	    "My title", STORE_DEDUP_AUTO, doc, 5000, &c, &cause), 0);
	assert_int_equal(store_newest(fx->st, NULL, 2, &items, &n, &cause), 0);
	assert_int_equal(n, 2);
	assert_string_equal(items[0].e.title.value, "A");
	assert_string_equal(items[1].e.title.value, "B");
	assert_string_equal(items[0].feed_name, "ex");
	assert_string_equal(items[0].feed_title, "My title");
	assert_string_equal(items[0].feed_url, "http://e/f");
	assert_int_equal(items[0].e.published.utc, 3000);
	store_items_free(items, n);
	feed_doc_free(doc);
}

static void
future_dates_sort_as_first_seen(void **state)
{
	struct fixture		*fx = *state;
	struct feed_doc		*doc = three_entries();
	struct store_counts	 c;
	struct store_item	*items;
	size_t			 n;
	char			*cause = NULL;

	add_entry(doc, "urn:future", NULL, "Future", 999999);
	assert_int_equal(store_commit_poll(fx->st, "ex", "http://e/f", NULL,
	    STORE_DEDUP_AUTO, doc, 5000, &c, &cause), 0);
	assert_int_equal(store_newest(fx->st, NULL, 10, &items, &n, &cause), 0);
	assert_int_equal(n, 4);
	assert_string_equal(items[0].e.title.value, "Future");
	assert_int_equal(items[0].sort_time, 5000);
	store_items_free(items, n);
	feed_doc_free(doc);
}

static void
poll_state_round_trips_and_survives_reopen(void **state)
{
	struct fixture		*fx = *state;
	struct store_feed_state	 in, out;
	char			*cause = NULL;

	assert_int_equal(store_get_poll_state(fx->st, "new", &out, &cause), 0);
	assert_null(out.url);
	assert_int_equal(out.last_attempt, 0);
	assert_int_equal(out.next_poll, 0);
	assert_null(out.etag);
	assert_false(out.is_gone);
	memset(&in, 0, sizeof in);
	in.url = xstrdup("http://e/f");
	in.last_attempt = 1234;
	in.next_poll = 5678;
	/* Validators are opaque: quotes and W/ are kept byte for byte. */
	in.etag = xstrdup("W/\"abc\"");
	in.last_modified = xstrdup("Wed, 01 May 2024 12:00:00 GMT");
	in.is_gone = true;
	in.fetch_url = xstrdup("http://e/moved");
	in.moved_to = xstrdup("http://e/moved2");
	in.moved_count = 1;
	in.failures = 3;
	in.last_error = xstrdup("HTTP status 503");
	in.last_status = 503;
	in.body_hash = xstrdup("abc123");
	in.next_reason = xstrdup("Retry-After");
	in.state_since = 1200;
	in.feed_interval = 10800;
	in.skip_hours = 1U << 23;
	in.skip_days = 1U << 6;
	assert_int_equal(store_set_poll_state(fx->st, "ex", &in, NULL,
	    &cause), 0);
	store_close(fx->st);
	fx->st = store_open(fx->path, &cause);
	assert_non_null(fx->st);
	assert_int_equal(store_get_poll_state(fx->st, "ex", &out, &cause), 0);
	assert_string_equal(out.url, "http://e/f");
	assert_int_equal(out.last_attempt, 1234);
	assert_int_equal(out.next_poll, 5678);
	assert_string_equal(out.etag, "W/\"abc\"");
	assert_string_equal(out.last_modified,
	    "Wed, 01 May 2024 12:00:00 GMT");
	assert_true(out.is_gone);
	assert_string_equal(out.fetch_url, "http://e/moved");
	assert_string_equal(out.moved_to, "http://e/moved2");
	assert_int_equal(out.moved_count, 1);
	assert_int_equal(out.failures, 3);
	assert_string_equal(out.last_error, "HTTP status 503");
	assert_int_equal(out.last_status, 503);
	assert_string_equal(out.body_hash, "abc123");
	assert_string_equal(out.next_reason, "Retry-After");
	assert_int_equal(out.state_since, 1200);
	assert_int_equal(out.feed_interval, 10800);
	assert_int_equal(out.skip_hours, 1U << 23);
	assert_int_equal(out.skip_days, 1U << 6);
	store_feed_state_clear(&out);
	store_feed_state_clear(&in);
}

static void
poll_state_and_entries_share_the_feed_row(void **state)
{
	struct fixture		*fx = *state;
	struct feed_doc		*doc = three_entries();
	struct store_feed_state	 in, out;
	struct store_counts	 c;
	char			*cause = NULL;

	memset(&in, 0, sizeof in);
	in.url = xstrdup("http://e/f");
	in.etag = xstrdup("\"v1\"");
	assert_int_equal(store_set_poll_state(fx->st, "ex", &in, NULL,
	    &cause), 0);
	assert_int_equal(store_commit_poll(fx->st, "ex", "http://e/f", NULL,
	    STORE_DEDUP_AUTO, doc, 5000, &c, &cause), 0);
	assert_int_equal(store_get_poll_state(fx->st, "ex", &out, &cause), 0);
	assert_string_equal(out.etag, "\"v1\"");
	store_feed_state_clear(&out);
	store_feed_state_clear(&in);
	feed_doc_free(doc);
}

static void
list_feeds_gives_state_count_feed_entries(void **state)
{
	struct fixture		*fx = *state;
	struct feed_doc		*doc = three_entries();
	struct store_feed_state	 in;
	struct store_feed_row	*rows;
	struct store_counts	 c;
	size_t			 n;
	char			*cause = NULL;

	memset(&in, 0, sizeof in);
	in.url = xstrdup("http://e/2");
	in.failures = 2;
	assert_int_equal(store_set_poll_state(fx->st, "two", &in, NULL,
	    &cause), 0);
	assert_int_equal(store_commit_poll(fx->st, "one", "http://e/1", NULL,
	    STORE_DEDUP_AUTO, doc, 5000, &c, &cause), 0);
	assert_int_equal(store_list_feeds(fx->st, &rows, &n, &cause), 0);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].name, "one");
	assert_int_equal(store_count_feed(fx->st, "one"), 3);
	assert_string_equal(rows[1].name, "two");
	assert_int_equal(store_count_feed(fx->st, "two"), 0);
	assert_int_equal(rows[1].state.failures, 2);
	assert_string_equal(rows[1].state.url, "http://e/2");
	store_feed_rows_free(rows, n);
	store_feed_state_clear(&in);
	feed_doc_free(doc);
}

static void
key_follows_the_dedup_rule(void **state)
{
	struct feed_doc	*doc = three_entries();
	char		*k;

	(void)state;
	k = store_entry_key(&doc->entries[0], STORE_DEDUP_ID);
	assert_string_equal(k, "id:urn:a");
	free(k);
	k = store_entry_key(&doc->entries[0], STORE_DEDUP_LINK);
	assert_string_equal(k, "link:http://example.org/a");
	free(k);
	k = store_entry_key(&doc->entries[0], STORE_DEDUP_CONTENT);
	assert_int_equal(strncmp(k, "hash:", 5), 0);
	free(k);
	/* id: an entry with only a link is keyed by its content. */
	k = store_entry_key(&doc->entries[1], STORE_DEDUP_ID);
	assert_int_equal(strncmp(k, "hash:", 5), 0);
	free(k);
	feed_doc_free(doc);
}

/* Commit doc as feed "ex" at time now under mode; returns the counts. */
static struct store_counts
commit(struct fixture *fx, struct feed_doc *doc, enum store_dedup mode,
    time_t now)
{
	struct store_counts	 c;
	char			*cause = NULL;

	assert_int_equal(store_commit_poll(fx->st, "ex", "http://e/f", NULL,
	    mode, doc, now, &c, &cause), 0);
	return (c);
}

static void
auto_new_guid_same_link_and_title_is_the_same_entry(void **state)
{
	struct fixture		*fx = *state;
	struct feed_doc		*doc = three_entries();
	struct store_counts	 c;

	commit(fx, doc, STORE_DEDUP_AUTO, 5000);
	/* A session token in the guid: it changes on every fetch. */
	free(doc->entries[0].id);
	doc->entries[0].id = xstrdup("urn:a?session=42");
	c = commit(fx, doc, STORE_DEDUP_AUTO, 6000);
	assert_int_equal(c.nnew, 0);
	assert_int_equal(c.nunchanged, 3);
	assert_int_equal(store_count_entries(fx->st), 3);
	feed_doc_free(doc);
}

static void
auto_reused_guid_for_another_entry_is_new(void **state)
{
	struct fixture		*fx = *state;
	struct feed_doc		*doc = three_entries();
	struct feed_doc		*next = feed_doc_new();
	struct store_counts	 c;

	commit(fx, doc, STORE_DEDUP_AUTO, 5000);
	/* The same guid, but another link and another title. */
	add_entry(next, "urn:a", "http://example.org/z", "Z", 4000);
	c = commit(fx, next, STORE_DEDUP_AUTO, 6000);
	assert_int_equal(c.nnew, 1);
	assert_int_equal(c.nupdated, 0);
	assert_int_equal(store_count_entries(fx->st), 4);
	/* Seen again, it is the same new entry. */
	c = commit(fx, next, STORE_DEDUP_AUTO, 7000);
	assert_int_equal(c.nunchanged, 1);
	feed_doc_free(doc);
	feed_doc_free(next);
}

static void
link_rule_ignores_guids(void **state)
{
	struct fixture		*fx = *state;
	struct feed_doc		*doc = three_entries();
	struct store_counts	 c;

	commit(fx, doc, STORE_DEDUP_LINK, 5000);
	free(doc->entries[0].id);
	doc->entries[0].id = xstrdup("urn:other");
	free(doc->entries[0].title.value);
	doc->entries[0].title.value = xstrdup("A, retitled");
	c = commit(fx, doc, STORE_DEDUP_LINK, 6000);
	assert_int_equal(c.nnew, 0);
	assert_int_equal(c.nupdated, 1);
	feed_doc_free(doc);
}

static void
pruned_entries_leave_tombstones(void **state)
{
	struct fixture		*fx = *state;
	struct feed_doc		*doc = three_entries();
	struct store_counts	 c;
	char			*cause = NULL;
	time_t			 day = 86400;

	store_set_retention(fx->st, 90, 0);
	commit(fx, doc, STORE_DEDUP_AUTO, 10 * day);
	/* Over 90 days later, with 90 days kept: all go, in batches. */
	assert_int_equal(store_prune(fx->st, 90 * day, 2, &cause), 0);
	assert_int_equal(store_prune(fx->st, 101 * day, 2, &cause), 2);
	assert_int_equal(store_prune(fx->st, 101 * day, 2, &cause), 1);
	assert_int_equal(store_prune(fx->st, 101 * day, 2, &cause), 0);
	assert_int_equal(store_count_entries(fx->st), 0);
	/* The source still lists them: they do not come back. */
	c = commit(fx, doc, STORE_DEDUP_AUTO, 101 * day);
	assert_int_equal(c.nnew, 0);
	assert_int_equal(c.npruned_seen, 3);
	assert_int_equal(store_count_entries(fx->st), 0);
	/* Once unseen for a month, a tombstone is forgotten. */
	assert_int_equal(store_prune(fx->st, 140 * day, 2, &cause), 0);
	c = commit(fx, doc, STORE_DEDUP_AUTO, 141 * day);
	assert_int_equal(c.nnew, 3);
	feed_doc_free(doc);
}

/*
 * Whether the generation moved since *last, which it then becomes: the
 * outputs are stale exactly when it did.
 */
static bool
generation_moved(struct fixture *fx, char **last)
{
	char	*now, *cause = NULL;
	bool	 has_moved;

	now = store_generation(fx->st, &cause);
	assert_null(cause);
	assert_non_null(now);
	assert_int_equal(strlen(now), 32);
	has_moved = strcmp(now, *last) != 0;
	free(*last);
	*last = now;
	return (has_moved);
}

/* Set the poll state of feed "ex": failing or not, was its condition. */
static void
set_state(struct fixture *fx, int failures, const char *was)
{
	struct store_feed_state	 in;
	char			*cause = NULL;

	memset(&in, 0, sizeof in);
	in.url = xstrdup("http://e/f");
	in.last_attempt = 5000;
	in.next_poll = 9000 + failures;
	in.failures = failures;
	assert_int_equal(store_set_poll_state(fx->st, "ex", &in, was,
	    &cause), 0);
	store_feed_state_clear(&in);
}

/* feed "ex"'s next poll as another connection reads it, or -1. */
static long long
next_poll_elsewhere(struct fixture *fx)
{
	sqlite3		*db;
	sqlite3_stmt	*stmt;
	long long	 next = -1;

	assert_int_equal(sqlite3_open_v2(fx->path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT next_poll FROM feeds"
	    " WHERE name = 'ex'", -1, &stmt, NULL), SQLITE_OK);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		next = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return (next);
}

/* Set feed "ex"'s next poll, its condition healthy before and after. */
static void
set_quiet_state(struct fixture *fx, time_t next)
{
	struct store_feed_state	 in;
	char			*cause = NULL;

	memset(&in, 0, sizeof in);
	in.url = xstrdup("http://e/f");
	in.next_poll = next;
	assert_int_equal(store_set_poll_state(fx->st, "ex", &in, "ok",
	    &cause), 0);
	store_feed_state_clear(&in);
}

static void
quiet_poll_states_wait_for_a_flush(void **state)
{
	struct fixture		*fx = *state;
	struct store_feed_state	 out;
	struct feed_doc		*doc = three_entries();
	char			*cause = NULL;

	commit(fx, doc, STORE_DEDUP_AUTO, 10 * 86400);
	/* A 304's state: read here at once, elsewhere once flushed. */
	set_quiet_state(fx, 100);
	set_quiet_state(fx, 200);
	assert_int_equal(store_get_poll_state(fx->st, "ex", &out, &cause), 0);
	assert_int_equal(out.next_poll, 200);
	store_feed_state_clear(&out);
	assert_int_equal(next_poll_elsewhere(fx), 0);
	store_flush(fx->st);
	assert_int_equal(next_poll_elsewhere(fx), 200);
	store_flush(fx->st);
	/* Any other write commits them first: a poll stored... */
	set_quiet_state(fx, 300);
	commit(fx, doc, STORE_DEDUP_AUTO, 10 * 86400);
	assert_int_equal(next_poll_elsewhere(fx), 300);
	/* ...a shown state (a failure), in a transaction of its own... */
	set_quiet_state(fx, 400);
	set_state(fx, 1, "ok");
	assert_int_equal(next_poll_elsewhere(fx), 9001);
	/* ...and closing the store. */
	set_state(fx, 0, "failing");
	set_quiet_state(fx, 500);
	assert_int_equal(next_poll_elsewhere(fx), 9000);
	store_close(fx->st);
	assert_int_equal(next_poll_elsewhere(fx), 500);
	fx->st = store_open(fx->path, &cause);
	assert_non_null(fx->st);
	feed_doc_free(doc);
}

static void
generation_moves_with_what_the_outputs_show(void **state)
{
	struct fixture		*fx = *state;
	struct feed_doc		*doc = three_entries();
	char			*last, *cause = NULL;

	last = store_generation(fx->st, &cause);
	assert_non_null(last);
	/* A poll stored: entries and the feed's title. */
	commit(fx, doc, STORE_DEDUP_AUTO, 10 * 86400);
	assert_true(generation_moved(fx, &last));
	/* A healthy feed polled again (a 304): nothing shown changes. */
	set_state(fx, 0, "ok");
	assert_false(generation_moved(fx, &last));
	set_state(fx, 0, "ok");
	assert_false(generation_moved(fx, &last));
	/* It fails: the status feed lists it; failing again, its next poll. */
	set_state(fx, 1, "ok");
	assert_true(generation_moved(fx, &last));
	set_state(fx, 2, "failing");
	assert_true(generation_moved(fx, &last));
	/* It recovers: the status feed drops it. */
	set_state(fx, 0, "failing");
	assert_true(generation_moved(fx, &last));
	/* Entries pruned. */
	store_set_retention(fx->st, 90, 0);
	assert_int_equal(store_prune(fx->st, 101 * 86400, 10, &cause), 3);
	assert_true(generation_moved(fx, &last));
	/* Nothing left to prune: nothing changes. */
	assert_int_equal(store_prune(fx->st, 101 * 86400, 10, &cause), 0);
	assert_false(generation_moved(fx, &last));
	free(last);
	feed_doc_free(doc);
}

static void
generation_differs_between_databases(void **state)
{
	struct fixture	*fx = *state;
	struct store	*st2;
	char		*path, *a, *b, *cause = NULL;

	xasprintf(&path, "%s/other.db", fx->dir);
	st2 = store_open(path, &cause);
	assert_non_null(st2);
	a = store_generation(fx->st, &cause);
	b = store_generation(st2, &cause);
	assert_non_null(a);
	assert_non_null(b);
	/* A database made again must not repeat an old generation. */
	assert_string_not_equal(a, b);
	free(a);
	free(b);
	store_close(st2);
	free(path);
}

static void
retain_per_feed_keeps_the_newest(void **state)
{
	struct fixture		*fx = *state;
	struct feed_doc		*doc = three_entries();
	struct store_counts	 c;
	struct store_item	*items;
	size_t			 n;
	char			*cause = NULL;

	/* Applied as the poll is stored. */
	store_set_retention(fx->st, 0, 2);
	c = commit(fx, doc, STORE_DEDUP_AUTO, 5000);
	assert_int_equal(c.nnew, 3);
	assert_int_equal(store_newest(fx->st, "ex", 10, &items, &n, &cause),
	    0);
	assert_int_equal(n, 2);
	assert_string_equal(items[0].e.title.value, "A");
	assert_string_equal(items[1].e.title.value, "B");
	store_items_free(items, n);
	feed_doc_free(doc);
}

static void
prune_feed_removes_a_feed_and_its_entries(void **state)
{
	struct fixture		*fx = *state;
	struct feed_doc		*doc = three_entries();
	struct store_feed_row	*rows;
	struct store_counts	 c;
	size_t			 n;
	char			*cause = NULL;

	commit(fx, doc, STORE_DEDUP_AUTO, 5000);
	assert_int_equal(store_commit_poll(fx->st, "other", "http://e/o",
	    NULL, STORE_DEDUP_AUTO, doc, 5000, &c, &cause), 0);
	assert_int_equal(store_prune_feed(fx->st, "ex", 2, &cause), 2);
	assert_int_equal(store_prune_feed(fx->st, "ex", 2, &cause), 1);
	assert_int_equal(store_prune_feed(fx->st, "ex", 2, &cause), 0);
	assert_int_equal(store_count_entries(fx->st), 3);
	assert_int_equal(store_list_feeds(fx->st, &rows, &n, &cause), 0);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].name, "other");
	store_feed_rows_free(rows, n);
	feed_doc_free(doc);
}

/* The first column of the one row a PRAGMA gives, as text. */
static void
assert_pragma(const char *path, const char *pragma, const char *want)
{
	sqlite3		*db;
	sqlite3_stmt	*stmt;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, pragma, -1, &stmt, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(stmt, 0), want);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
}

/* A new database is in WAL mode, with 16 KiB pages. */
static void
database_in_wal_mode(void **state)
{
	struct fixture	*fx = *state;

	assert_pragma(fx->path, "PRAGMA journal_mode", "wal");
	assert_pragma(fx->path, "PRAGMA page_size", "16384");
}

/* An existing database keeps its page size, and works. */
static void
existing_database_keeps_its_page_size(void **state)
{
	struct fixture		*fx = *state;
	struct feed_doc		*doc;
	struct store_counts	 c;
	struct store		*st;
	char			*cause = NULL, *path;
	sqlite3			*db;

	xasprintf(&path, "%s.4k", fx->path);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA page_size = 4096;"
	    " CREATE TABLE t (x)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	st = store_open(path, &cause);
	assert_non_null(st);
	doc = feed_doc_new();
	doc->format = FEED_FORMAT_RSS20;
	add_entry(doc, "urn:1", NULL, "one", 1000);
	assert_int_equal(store_commit_poll(st, "ex", "http://e/f", NULL,
	    STORE_DEDUP_AUTO, doc, 5000, &c, &cause), 0);
	assert_int_equal(c.nnew, 1);
	feed_doc_free(doc);
	store_close(st);
	assert_pragma(path, "PRAGMA page_size", "4096");
	assert_pragma(path, "PRAGMA journal_mode", "wal");
	free(path);
}

/* An entry of newest_first_across_every_window. */
struct test_dated {
	const char	*feed;
	const char	*id;
	long long	 age;		/* seconds before now */
};

/* Keep every other entry offered (a filter that drops some). */
static bool
keep_every_other(const struct store_item *it, void *arg)
{
	int	*n = arg;

	(void)it;
	return ((*n)++ % 2 == 0);
}

/* Keep only m-2 and m-4 (a filter that drops almost everything). */
static bool
keep_two(const struct store_item *it, void *arg)
{
	(void)arg;
	return (strcmp(it->e.id, "m-2") == 0 || strcmp(it->e.id, "m-4") == 0);
}

/* Store one entry, published at t, as a poll of feed of its own. */
static void
commit_one(struct fixture *fx, const char *feed, const char *id, time_t t,
    time_t now)
{
	struct feed_doc		*doc = feed_doc_new();
	struct store_counts	 c;
	char			*cause = NULL;

	doc->format = FEED_FORMAT_RSS20;
	add_entry(doc, id, NULL, id, t);
	assert_int_equal(store_commit_poll(fx->st, feed, "http://e/f", NULL,
	    STORE_DEDUP_AUTO, doc, now, &c, &cause), 0);
	feed_doc_free(doc);
}

/* store_select of q gives exactly the entries want, in that order. */
static void
assert_selects(struct fixture *fx, const struct store_query *q,
    const char *const *want, size_t nwant)
{
	struct store_item	*items = NULL;
	char			*cause = NULL;
	size_t			 i, n = 0;

	assert_int_equal(store_select(fx->st, q, &items, &n, &cause), 0);
	assert_int_equal(n, nwant);
	for (i = 0; i < n; i++)
		assert_string_equal(items[i].e.id, want[i]);
	store_items_free(items, n);
}

/*
 * Entries are read newest first (sort time, then the last stored) across
 * every window store_select reads through, from a minute to a century
 * old, with a limit, a lower bound, a list of feeds and a filter, and
 * across the pages of one window; and no index on sort time alone is
 * left for polls to rewrite.
 */
static void
newest_first_across_every_window(void **state)
{
	static const struct test_dated dated[] = {
		{ "b", "b-century", 100LL * 365 * 86400 },
		{ "a", "a-minute", 60 },
		{ "c", "c-year", 400LL * 86400 },
		{ "a", "a-tie", 10LL * 86400 },
		{ "b", "b-hour", 3600 },
		{ "c", "c-days", 3LL * 86400 },
		{ "b", "b-decade", 3000LL * 86400 },
		{ "c", "c-tie", 10LL * 86400 },		/* stored later */
		{ "a", "a-months", 100LL * 86400 },
		{ "b", "b-weeks", 20LL * 86400 },
	};
	static const char *const want[] = { "a-minute", "b-hour", "c-days",
	    "c-tie", "a-tie", "b-weeks", "a-months", "c-year", "b-decade",
	    "b-century" };
	static const char *const want_b[] = { "b-hour", "b-weeks",
	    "b-decade", "b-century" };
	static const char *const want_other[] = { "a-minute", "c-days",
	    "a-tie", "a-months" };
	static const char *const want_two[] = { "m-4", "m-2" };
	struct fixture		*fx = *state;
	struct store_query	 q;
	struct store_item	*items = NULL;
	char			*cause = NULL, b[] = "b", *feeds[] = { b };
	char			 id[16];
	time_t			 now = time(NULL);
	size_t			 i, n = 0;
	int			 nseen = 0;
	sqlite3			*db;
	sqlite3_stmt		*stmt;

	/* One entry a commit, so rowids follow the table's order. */
	for (i = 0; i < sizeof dated / sizeof dated[0]; i++)
		commit_one(fx, dated[i].feed, dated[i].id,
		    now - (time_t)dated[i].age, now);

	memset(&q, 0, sizeof q);
	assert_selects(fx, &q, want, 10);
	q.max = 4;
	assert_selects(fx, &q, want, 4);
	memset(&q, 0, sizeof q);
	q.since = now - 50 * 86400;
	assert_selects(fx, &q, want, 6);
	memset(&q, 0, sizeof q);
	q.feeds = feeds;
	q.nfeeds = 1;
	assert_selects(fx, &q, want_b, 4);
	memset(&q, 0, sizeof q);
	q.max = 4;
	q.keep = keep_every_other;
	q.arg = &nseen;
	assert_selects(fx, &q, want_other, 4);
	assert_int_equal(nseen, 7);

	/* store_newest reads the same way. */
	assert_int_equal(store_newest(fx->st, NULL, 3, &items, &n, &cause),
	    0);
	assert_int_equal(n, 3);
	assert_string_equal(items[2].e.id, "c-days");
	store_items_free(items, n);

	/*
	 * Fifty entries of one date, stored one by one: read in pages, the
	 * two a filter keeps come last (the first stored), in order.
	 */
	for (i = 0; i < 50; i++) {
		snprintf(id, sizeof id, "m-%zu", i);
		commit_one(fx, "many", id, now - 5 * 86400, now);
	}
	memset(&q, 0, sizeof q);
	q.max = 2;
	q.keep = keep_two;
	assert_selects(fx, &q, want_two, 2);

	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM"
	    " sqlite_master WHERE name = 'entries_sort'", -1, &stmt, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(stmt, 0), 0);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
}

/* How many entries of feeds a and b have the same key, digest, extras. */
static int
count_same(const char *path, const char *a, const char *b)
{
	sqlite3		*db;
	sqlite3_stmt	*stmt;
	int		 n;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM"
	    " entries x JOIN entries y ON x.key = y.key WHERE x.feed = ?1"
	    " AND y.feed = ?2 AND x.digest = y.digest AND x.extras IS"
	    " y.extras AND x.extras IS NOT NULL", -1, &stmt, NULL),
	    SQLITE_OK);
	sqlite3_bind_text(stmt, 1, a, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, b, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	n = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return (n);
}

/*
 * What a parse thread works out ahead (store_prepare_doc) is what the
 * store would have: the same digests and extras, so a prepared poll of
 * an unchanged feed changes nothing.
 */
static void
prepared_doc_stores_the_same(void **state)
{
	struct fixture		*fx = *state;
	struct feed_doc		*doc = three_entries();
	struct store_counts	 c;
	char			*cause = NULL;
	size_t			 i;

	for (i = 0; i < doc->nentries; i++)
		add_extras(&doc->entries[i]);
	assert_int_equal(store_commit_poll(fx->st, "plain", "http://e/f",
	    NULL, STORE_DEDUP_AUTO, doc, 5000, &c, &cause), 0);
	store_prepare_doc(doc);
	for (i = 0; i < doc->nentries; i++)
		assert_true(doc->entries[i].is_prepared);
	assert_int_equal(store_commit_poll(fx->st, "plain", "http://e/f",
	    NULL, STORE_DEDUP_AUTO, doc, 6000, &c, &cause), 0);
	assert_int_equal(c.nunchanged, 3);
	assert_int_equal(c.nupdated, 0);
	assert_int_equal(store_commit_poll(fx->st, "prepared", "http://e/g",
	    NULL, STORE_DEDUP_AUTO, doc, 6000, &c, &cause), 0);
	assert_int_equal(c.nnew, 3);
	assert_int_equal(count_same(fx->path, "plain", "prepared"), 3);
	feed_doc_free(doc);
}

/* The size of path in bytes, 0 if it is not there. */
static long long
file_size(const char *path)
{
	FILE		*f = fopen(path, "rb");
	long long	 n;

	if (f == NULL)
		return (0);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fclose(f);
	return (n);
}

/*
 * Checkpoints (on their own thread, in the background) keep the WAL
 * bounded: 144 MB of polls committed back to back leave a WAL well under
 * 100 MB, and every entry is there.
 */
static void
wal_stays_bounded_under_a_stream_of_polls(void **state)
{
	struct fixture		*fx = *state;
	struct feed_doc		*doc;
	struct feed_entry	*e;
	struct store_counts	 c;
	char			*cause = NULL, *wal, name[32], id[64];
	size_t			 body = 8000;
	long long		 max = 0, n;
	int			 feed, i;

	xasprintf(&wal, "%s-wal", fx->path);
	for (feed = 0; feed < 450; feed++) {
		doc = feed_doc_new();
		doc->format = FEED_FORMAT_RSS20;
		for (i = 0; i < 40; i++) {
			snprintf(id, sizeof id, "urn:%d:%d", feed, i);
			e = add_entry(doc, id, NULL, id, 1000 + i);
			e->summary.value = xmalloc(body + 1);
			memset(e->summary.value, 'a' + (feed + i) % 26, body);
			e->summary.value[body] = '\0';
		}
		snprintf(name, sizeof name, "f%d", feed);
		assert_int_equal(store_commit_poll(fx->st, name, "http://e/f",
		    NULL, STORE_DEDUP_AUTO, doc, 5000, &c, &cause), 0);
		assert_int_equal(c.nnew, 40);
		feed_doc_free(doc);
		if ((n = file_size(wal)) > max)
			max = n;
	}
	assert_int_equal(store_count_entries(fx->st), 450 * 40);
	/* The checkpoints ran on a thread that yields to the writer's. */
	test_background_threads("feedd wal", 1);
	if (max >= 100LL * 1024 * 1024)
		fail_msg("the WAL grew to %lld bytes", max);
	free(wal);
}

static void
newer_schema_is_refused_untouched(void **state)
{
	struct fixture	*fx = *state;
	sqlite3		*db;
	char		*cause = NULL;

	store_close(fx->st);
	fx->st = NULL;
	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL,
	    NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_null(store_open(fx->path, &cause));
	assert_non_null(cause);
	assert_non_null(strstr(cause, "newer"));
	free(cause);
}

static void
unwritable_path_gives_a_cause(void **state)
{
	char	*cause = NULL;

	(void)state;
	assert_null(store_open("/nonexistent-dir/x/feedd.db", &cause));
	assert_non_null(cause);
	assert_non_null(strstr(cause, "/nonexistent-dir/x/feedd.db"));
	free(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(key_prefers_id_then_link_then_hash),
		cmocka_unit_test(key_hash_depends_on_title_date_and_content),
		cmocka_unit_test_setup_teardown(
		    second_poll_of_same_feed_adds_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    same_entry_in_two_feeds_is_stored_per_feed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    changed_title_is_an_update_keeping_first_seen, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    authors_categories_enclosures_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    extras_column_is_what_jansson_writes, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    batched_polls_commit_together_and_fail_alone, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    failed_commit_tells_each_lost_poll, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    added_enclosure_or_category_is_an_update, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    newest_lists_by_date_newest_first_with_feed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    future_dates_sort_as_first_seen, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    poll_state_round_trips_and_survives_reopen, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    poll_state_and_entries_share_the_feed_row, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    list_feeds_gives_state_count_feed_entries, setup, teardown),
		cmocka_unit_test(key_follows_the_dedup_rule),
		cmocka_unit_test_setup_teardown(
		    repeated_key_in_one_document_counts_alike, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    auto_new_guid_same_link_and_title_is_the_same_entry, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    auto_reused_guid_for_another_entry_is_new, setup, teardown),
		cmocka_unit_test_setup_teardown(link_rule_ignores_guids, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(pruned_entries_leave_tombstones,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    retain_per_feed_keeps_the_newest, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    generation_moves_with_what_the_outputs_show, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    generation_differs_between_databases, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    prune_feed_removes_a_feed_and_its_entries, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    quiet_poll_states_wait_for_a_flush, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    existing_database_keeps_its_page_size, setup, teardown),
		cmocka_unit_test_setup_teardown(database_in_wal_mode, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(prepared_doc_stores_the_same,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    newest_first_across_every_window, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    wal_stays_bounded_under_a_stream_of_polls, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    newer_schema_is_refused_untouched, setup, teardown),
		cmocka_unit_test(unwritable_path_gives_a_cause),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
