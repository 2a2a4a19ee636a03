/* SPDX-License-Identifier: ISC */
/*
 * The SQLite store: feeds with their poll state, and entries keyed per
 * feed.  The database runs in WAL mode with synchronous=NORMAL so a crash
 * loses at most the transaction being written; polls that run together
 * share one (store_put_poll), each in a savepoint of its own.
 * Statements are prepared once and reused.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <sqlite3.h>

#include "feedd/log.h"
#include "feedd/store.h"
#include "feedd/util.h"
#include "store-int.h"

#define STORE_SCHEMA_VERSION 6
/* Tombstones unseen in the source for this many days are forgotten. */
#define STORE_TOMB_DAYS 30

/* The poll state columns, in the order store_read_state reads them. */
#define STORE_STATE_COLUMNS "f.url, f.last_attempt, f.next_poll, f.etag," \
	" f.last_modified, f.is_gone, f.fetch_url, f.moved_to," \
	" f.moved_count, f.failures, f.last_error, f.last_status," \
	" f.body_hash, f.next_reason, f.state_since, f.feed_interval," \
	" f.skip_hours, f.skip_days, f.is_discovered"
#define STORE_STATE_NCOLUMNS 19

/* An entry with its feed's columns, in the order store_read_item reads. */
#define STORE_ITEM_SELECT "SELECT e.feed," \
	" COALESCE(f.title_override, f.title), f.url, f.feed_id, f.link," \
	" f.updated, e.key, e.first_seen, e.sort_time, e.entry_id, e.title," \
	" e.title_type, e.link, e.summary, e.summary_type, e.content," \
	" e.content_type, e.author_name, e.author_email, e.author_uri," \
	" e.published_raw, e.published, e.updated_raw, e.updated, e.changed," \
	" e.rowid, e.extras FROM entries e JOIN feeds f ON f.name = e.feed"

/*
 * Reading entries newest first over every feed, or a list of them: the
 * per-feed index (feed, sort_time) is searched once per feed for a
 * window of sort times, the window's rowids sorted, and the rows read in
 * that order; windows reach further back until enough are kept.  An
 * index on sort_time alone would be quicker to read, but a feed's entries
 * land all over it, so a first poll of thousands of feeds rewrote most
 * of its pages with every commit (docs/benchmarks.md).
 */
#define STORE_WINDOW_FIRST	(2 * 86400)	/* seconds back from now */
#define STORE_WINDOW_GROWTH	8		/* each next one is this wider */
#define STORE_WINDOWS		5		/* the last has no lower end */
/* Rowids read at a time: twice those still wanted and a few, or... */
#define STORE_PAGE_MIN		16
/* ...with no limit, this many. */
#define STORE_PAGE_MAX		4096

/* Prepared statements, indexed by enum store_stmt_id. */
enum store_stmt_id {
	STORE_BEGIN,
	STORE_COMMIT,
	STORE_ROLLBACK,
	STORE_SAVEPOINT,
	STORE_RELEASE,
	STORE_ROLLBACK_TO,
	STORE_UPSERT_FEED,
	STORE_SET_STATE,
	STORE_GET_STATE,
	STORE_FIND_ENTRY,
	STORE_FIND_BY_LINK,
	STORE_FIND_TOMB,
	STORE_TOUCH_TOMB,
	STORE_PRUNE_PICK,
	STORE_OVERFLOW_PICK,
	STORE_ADD_TOMB,
	STORE_DELETE_ENTRY,
	STORE_PRUNE_TOMBS,
	STORE_PRUNE_FEED_PICK,
	STORE_DELETE_FEED,
	STORE_INSERT_ENTRY,
	STORE_UPDATE_ENTRY,
	STORE_SET_DIGEST,
	STORE_GET_ITEM,
	STORE_COUNT,
	STORE_LIST_FEEDS,
	STORE_COUNT_FEED,
	STORE_FEED_HAS,
	STORE_GET_GENERATION,
	STORE_NEW_GENERATION,
	STORE_NSTMTS
};

/* Indexed by enum store_stmt_id; column order matters to the binders. */
static const char *store_sql[STORE_NSTMTS] = {
	"BEGIN IMMEDIATE",
	"COMMIT",
	"ROLLBACK",
	"SAVEPOINT poll",
	"RELEASE poll",
	"ROLLBACK TO poll",
	"INSERT INTO feeds (name, url, title, title_override, link, feed_id,"
	" updated) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
	" ON CONFLICT(name) DO UPDATE SET url = ?2, title = ?3,"
	" title_override = ?4, link = ?5, feed_id = ?6, updated = ?7",
	"INSERT INTO feeds (name, url, last_attempt, next_poll, etag,"
	" last_modified, is_gone, fetch_url, moved_to, moved_count,"
	" failures, last_error, last_status, body_hash, next_reason,"
	" state_since, feed_interval, skip_hours, skip_days, is_discovered)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
	" ?14, ?15, ?16, ?17, ?18, ?19, ?20)"
	" ON CONFLICT(name) DO UPDATE SET url = ?2, last_attempt = ?3,"
	" next_poll = ?4, etag = ?5, last_modified = ?6, is_gone = ?7,"
	" fetch_url = ?8, moved_to = ?9, moved_count = ?10, failures = ?11,"
	" last_error = ?12, last_status = ?13, body_hash = ?14,"
	" next_reason = ?15, state_since = ?16, feed_interval = ?17,"
	" skip_hours = ?18, skip_days = ?19, is_discovered = ?20",
	"SELECT " STORE_STATE_COLUMNS " FROM feeds f WHERE name = ?1",
	"SELECT key, digest, link, title FROM entries WHERE feed = ?1 AND"
	" key = ?2",
	"SELECT key, digest, link, title FROM entries WHERE feed = ?1 AND"
	" link = ?2 AND title IS ?3 ORDER BY rowid DESC LIMIT 1",
	"SELECT key, '', NULL, NULL FROM tombstones WHERE feed = ?1 AND"
	" key = ?2",
	"UPDATE tombstones SET seen = ?3 WHERE feed = ?1 AND key = ?2",
	/* Entries first seen before ?1, at most ?2 (entries_first_seen). */
	"SELECT feed, key FROM entries WHERE first_seen < ?1 LIMIT ?2",
	/* The entries of feed ?1 beyond its newest ?2 (entries_feed_sort). */
	"SELECT feed, key FROM entries WHERE feed = ?1"
	" ORDER BY sort_time DESC, rowid DESC LIMIT -1 OFFSET ?2",
	"INSERT INTO tombstones (feed, key, seen) VALUES (?1, ?2, ?3)"
	" ON CONFLICT(feed, key) DO UPDATE SET seen = ?3",
	"DELETE FROM entries WHERE feed = ?1 AND key = ?2",
	"DELETE FROM tombstones WHERE seen < ?1",
	"SELECT feed, key FROM entries WHERE feed = ?1 LIMIT ?2",
	"DELETE FROM feeds WHERE name = ?1 AND NOT EXISTS (SELECT 1 FROM"
	" entries WHERE feed = ?1)",
	/* Does nothing for a key stored already (store_put_entry). */
	"INSERT INTO entries (feed, key, digest, entry_id, title, title_type,"
	" link, summary, summary_type, content, content_type, author_name,"
	" author_email, author_uri, published_raw, published, updated_raw,"
	" updated, first_seen, changed, sort_time, extras) VALUES (?1, ?2,"
	" ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,"
	" ?18, ?19, ?19, ?20, ?21) ON CONFLICT (feed, key) DO NOTHING",
	"UPDATE entries SET digest = ?3, entry_id = ?4, title = ?5,"
	" title_type = ?6, link = ?7, summary = ?8, summary_type = ?9,"
	" content = ?10, content_type = ?11, author_name = ?12,"
	" author_email = ?13, author_uri = ?14, published_raw = ?15,"
	" published = ?16, updated_raw = ?17, updated = ?18, changed = ?19,"
	" sort_time = ?20, extras = ?21 WHERE feed = ?1 AND key = ?2",
	"UPDATE entries SET digest = ?3 WHERE feed = ?1 AND key = ?2",
	STORE_ITEM_SELECT " WHERE e.rowid = ?1",
	"SELECT count(*) FROM entries",
	"SELECT " STORE_STATE_COLUMNS ", f.name FROM feeds f ORDER BY f.name",
	"SELECT count(*) FROM entries WHERE feed = ?1",
	"SELECT EXISTS (SELECT 1 FROM entries WHERE feed = ?1),"
	" EXISTS (SELECT 1 FROM tombstones WHERE feed = ?1)",
	"SELECT value FROM meta WHERE key = 'generation'",
	"UPDATE meta SET value = lower(hex(randomblob(16)))"
	" WHERE key = 'generation'"
};

/* Schema version 1: the whole schema. */
static const char store_schema_v1[] =
	"CREATE TABLE feeds ("
	" name TEXT PRIMARY KEY,"	/* the config's feed name */
	" url TEXT NOT NULL,"
	" title TEXT, title_override TEXT, link TEXT, feed_id TEXT,"
	" updated INTEGER,"
	" last_attempt INTEGER NOT NULL DEFAULT 0,"
	" next_poll INTEGER NOT NULL DEFAULT 0,"
	" etag TEXT, last_modified TEXT,"	/* validators, as received */
	" is_gone INTEGER NOT NULL DEFAULT 0,"
	" fetch_url TEXT,"		/* after a confirmed 301/308 */
	" moved_to TEXT, moved_count INTEGER NOT NULL DEFAULT 0,"
	" failures INTEGER NOT NULL DEFAULT 0, last_error TEXT,"
	" last_status INTEGER NOT NULL DEFAULT 0, body_hash TEXT,"
	" next_reason TEXT, state_since INTEGER NOT NULL DEFAULT 0,"
	" feed_interval INTEGER NOT NULL DEFAULT 0,"
	" skip_hours INTEGER NOT NULL DEFAULT 0,"
	" skip_days INTEGER NOT NULL DEFAULT 0,"
	" is_discovered INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE entries ("
	" feed TEXT NOT NULL REFERENCES feeds(name),"
	" key TEXT NOT NULL,"		/* dedup key within the feed */
	" digest TEXT NOT NULL,"	/* of what is stored (see v6) */
	" entry_id TEXT, title TEXT, title_type TEXT, link TEXT,"
	" summary TEXT, summary_type TEXT, content TEXT, content_type TEXT,"
	" author_name TEXT, author_email TEXT, author_uri TEXT,"
	" published_raw TEXT, published INTEGER,"
	" updated_raw TEXT, updated INTEGER,"
	" first_seen INTEGER NOT NULL,"
	" changed INTEGER NOT NULL,"	/* last time its content changed */
	" sort_time INTEGER NOT NULL,"
	" PRIMARY KEY (feed, key));"
	"CREATE INDEX entries_sort ON entries (sort_time DESC);"
	"CREATE INDEX entries_link ON entries (feed, link);"
	"CREATE INDEX entries_first_seen ON entries (first_seen);"
	"CREATE INDEX entries_feed_sort ON entries (feed, sort_time);"
	/* Keys of pruned entries, so a source still listing one does not
	 * bring it back as new; forgotten once unseen for a while. */
	"CREATE TABLE tombstones ("
	" feed TEXT NOT NULL, key TEXT NOT NULL, seen INTEGER NOT NULL,"
	" PRIMARY KEY (feed, key));";

/*
 * v2: the archive pages are counted by rowid and latest change on every
 * rebuild; with this index that reads the index, not every entry's
 * content (a full table scan of 1.25 GB at 553,000 entries).
 */
static const char store_schema_v2[] =
	"CREATE INDEX entries_changed ON entries (changed)";

/*
 * v3: every author, category and enclosure of an entry, as one JSON
 * object (store_extras_json), NULL when it has none.  The author_*
 * columns keep the first author, as version 1 did.
 */
static const char store_schema_v3[] =
	"ALTER TABLE entries ADD COLUMN extras TEXT";

/*
 * v4: the generation, a random token drawn anew by every change the
 * outputs show (store_generation), so that feedd once can tell that the
 * files it built last time still say what the store holds.  Random
 * rather than counted: a database deleted and made again must not
 * repeat an old value.
 */
static const char store_schema_v4[] =
	"CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"INSERT INTO meta VALUES ('generation', lower(hex(randomblob(16))))";

/*
 * v5: no index on sort_time alone.  Each feed's entries landed on pages
 * all over it, so every commit of a poll rewrote many of them: at 5,000
 * feeds that index was most of what a first poll wrote to the WAL.
 * store_select reads newest first through entries_feed_sort instead.
 */
static const char store_schema_v5[] =
	"DROP INDEX IF EXISTS entries_sort";

/*
 * v6: entry digests are util_hash (32 hex digits) instead of SHA-256,
 * which took a tenth of a parse thread's time in a first poll.  They
 * cannot be redone in SQL: each SHA-256 one is checked and replaced when
 * its entry is next polled (store_same_digest).  The step changes
 * nothing but the version, so that an older feedd, which would take
 * every such digest for a change, refuses the file.
 */
static const char store_schema_v6[] = "";

/*
 * store_migrations[v] takes a database from user_version v to v + 1.
 * Append a step for each new version; never edit a shipped one.
 */
static const char *store_migrations[STORE_SCHEMA_VERSION] = {
	store_schema_v1,
	store_schema_v2,
	store_schema_v3,
	store_schema_v4,
	store_schema_v5,
	store_schema_v6
};

/* A stored entry found by key or link. */
struct store_found {
	bool	 is_found;
	char	*key;
	char	*digest;
	char	*link;
	char	*title;
};

/* What one commit knows of its feed. */
struct store_poll {
	const char		*name;
	enum store_dedup	 dedup;
	bool			 has_entries;	/* before this poll */
	bool			 has_tombs;
};

struct store {
	sqlite3		*db;
	struct store_wal *wal;
	char		*path;
	int		 retain_days;	/* 0: keep entries forever */
	int		 retain_per_feed; /* 0: no limit */
	/*
	 * The open transaction, if any, holds batched writes: poll states
	 * and polls (store_flush).  The names of the polls' feeds are kept
	 * to say which were lost if it cannot commit.
	 */
	bool		 is_batched;
	bool		 is_in_poll;	/* store_put_poll's writes run */
	char		**polls;
	size_t		 npolls;
	store_lost_cb	*lost_cb;
	void		*lost_arg;
	sqlite3_stmt	*stmts[STORE_NSTMTS];
};

static int	store_exec(struct store *, const char *, char **);
static int	store_migrate(struct store *, char **);
static int	store_version(struct store *, int *, char **);
static int	store_step_done(struct store *, enum store_stmt_id, char **);
static int	store_batch_open(struct store *, char **);
static void	store_batch_end(struct store *, const char *);
static int	store_batch_commit(struct store *, char **);
static void	store_bind_text(sqlite3_stmt *, int, const char *);
static void	store_bind_kept(sqlite3_stmt *, int, const char *);
static void	store_bind_instant(sqlite3_stmt *, int,
		    const struct feed_date *);
static int	store_put_entry(struct store *, const struct store_poll *,
		    const struct feed_entry *, time_t, struct store_counts *,
		    char **);
static int	store_feed_has(struct store *, struct store_poll *, char **);
static int	store_same_digest(struct store *, const char *, const char *,
		    const struct feed_entry *, const char *, const char *,
		    char **);
static int	store_write_entry(struct store *, enum store_stmt_id,
		    const char *, const char *, const struct feed_entry *,
		    const char *, time_t, char **);
static char	*store_col_text(sqlite3_stmt *, int);
static void	store_read_state(sqlite3_stmt *, struct store_feed_state *);
static long	store_prune_overflow(struct store *, const char *, time_t,
		    char **);
static void	store_found_clear(struct store_found *);
static int	store_find(struct store *, enum store_stmt_id, const char *,
		    const char *, const char *, struct store_found *, char **);
static bool	store_differ(const char *, const char *);
static int	store_find_auto(struct store *, const char *,
		    const struct feed_entry *, char **, struct store_found *,
		    char **);
static long	store_delete_picked(struct store *, sqlite3_stmt *, bool,
		    bool, time_t, char **);
static void	store_read_item(sqlite3_stmt *, struct store_item *);
static void	store_item_clear(struct store_item *);
static sqlite3_stmt *store_select_prepare(struct store *,
		    const struct store_query *, char **);

/* Set *cause from the database's last error, prefixed by what failed. */
static void
store_set_cause(struct store *st, const char *what, char **cause)
{
	if (cause != NULL)
		xasprintf(cause, "store: %s: %s: %s", st->path, what,
		    sqlite3_errmsg(st->db));
}

/* Set the connection's pragmas and bring the schema up to date. */
static int
store_setup_once(struct store *st, char **cause)
{
	/*
	 * 16 KiB pages, for a new file only (SQLite keeps an existing
	 * file's size): an entry with its HTML is about 2 KiB, and with 4
	 * KiB pages most of the pages a cold poll writes, twice over (to
	 * the WAL, then the checkpoint), were overflow pages, one system
	 * call each.  A cold poll of 5,000 feeds took 8% less CPU.
	 */
	if (store_exec(st, "PRAGMA page_size = 16384", cause) != 0 ||
	    store_exec(st, "PRAGMA journal_mode = WAL", cause) != 0 ||
	    store_exec(st, "PRAGMA synchronous = NORMAL", cause) != 0 ||
	    /*
	     * 4 MiB: the indexes of a million entries (over 150 MB) fit in
	     * no cache a small daemon can afford, the OS caches them anyway,
	     * and 8 MiB stored 300,000 entries no faster (7.9 s against 7.3
	     * s) while it held a cold poll of 5,000 feeds near the issue's
	     * 64 MiB (peak RSS 54-56 MiB against 47-49 MiB).
	     */
	    store_exec(st, "PRAGMA cache_size = -4096", cause) != 0 ||
	    /*
	     * A poll's savepoint copies each page it changes that the
	     * database had before (some hundreds of KiB): in memory, not
	     * in a temporary file, which had doubled the writes.
	     */
	    store_exec(st, "PRAGMA temp_store = MEMORY", cause) != 0 ||
	    store_exec(st, "PRAGMA foreign_keys = ON", cause) != 0)
		return (-1);
	return (store_migrate(st, cause));
}

/*
 * Two processes opening a new file at once (the daemon and "feedd
 * entries", say) both switch it to WAL; SQLite resolves that deadlock by
 * failing one of them at once with SQLITE_BUSY, without the busy handler.
 * Such a failure is retried for as long as the busy timeout would wait.
 */
static int
store_setup(struct store *st, char **cause)
{
	const struct timespec	 pause = { 0, 10 * 1000 * 1000 };
	int			 tries;

	for (tries = 0;; tries++) {
		if (store_setup_once(st, cause) == 0)
			return (0);
		if ((sqlite3_errcode(st->db) & 0xff) != SQLITE_BUSY ||
		    tries == 500)
			return (-1);
		if (cause != NULL) {
			free(*cause);
			*cause = NULL;
		}
		nanosleep(&pause, NULL);
	}
}

/* Open (creating if need be) the database at path and migrate it. */
struct store *
store_open(const char *path, char **cause)
{
	struct store	*st;
	int		 i;

	st = xcalloc(1, sizeof *st);
	st->path = xstrdup(path);
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		store_set_cause(st, "cannot open", cause);
		goto fail;
	}
	sqlite3_extended_result_codes(st->db, 1);
	if (sqlite3_busy_timeout(st->db, 5000) != SQLITE_OK)
		goto fail_msg;
	if (store_setup(st, cause) != 0)
		goto fail;
	st->wal = store_wal_new(st->db, path);
	for (i = 0; i < STORE_NSTMTS; i++) {
		if (sqlite3_prepare_v3(st->db, store_sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &st->stmts[i], NULL) !=
		    SQLITE_OK)
			goto fail_msg;
	}
	return (st);

fail_msg:
	store_set_cause(st, "cannot prepare", cause);
fail:
	store_close(st);
	return (NULL);
}

/* Finalize statements and close the database; NULL is fine. */
void
store_close(struct store *st)
{
	int	 i;

	if (st == NULL)
		return;
	store_flush(st);
	free(st->polls);
	for (i = 0; i < STORE_NSTMTS; i++)
		sqlite3_finalize(st->stmts[i]);
	/* Its connection closes first, so ours checkpoints what is left. */
	store_wal_free(st->wal);
	if (st->db != NULL && sqlite3_close(st->db) != SQLITE_OK)
		sqlite3_close_v2(st->db);
	free(st->path);
	free(st);
}

/* Run SQL that returns no rows we need. */
static int
store_exec(struct store *st, const char *sql, char **cause)
{
	char	*msg = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		if (cause != NULL)
			xasprintf(cause, "store: %s: %s", st->path,
			    msg != NULL ? msg : sqlite3_errmsg(st->db));
		sqlite3_free(msg);
		return (-1);
	}
	return (0);
}

/* Read PRAGMA user_version into *version. */
static int
store_version(struct store *st, int *version, char **cause)
{
	sqlite3_stmt	*stmt = NULL;
	int		 ret = -1;

	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &stmt,
	    NULL) != SQLITE_OK || sqlite3_step(stmt) != SQLITE_ROW)
		store_set_cause(st, "cannot read schema version", cause);
	else {
		*version = sqlite3_column_int(stmt, 0);
		ret = 0;
	}
	sqlite3_finalize(stmt);
	return (ret);
}

/*
 * Bring the schema to STORE_SCHEMA_VERSION, one step per version, in one
 * write transaction: a second feedd (or feedd entries) opening the same
 * new file waits for it and then finds the work done.  A database from a
 * newer feedd is refused rather than touched.
 */
static int
store_migrate(struct store *st, char **cause)
{
	char	*sql;
	int	 version;

	if (store_version(st, &version, cause) != 0)
		return (-1);
	if (version == STORE_SCHEMA_VERSION)
		return (0);
	if (version < STORE_SCHEMA_VERSION &&
	    (store_exec(st, "BEGIN IMMEDIATE", cause) != 0 ||
	    store_version(st, &version, cause) != 0))
		goto fail;
	if (version > STORE_SCHEMA_VERSION) {
		xasprintf(cause, "store: %s: schema version %d is newer than "
		    "this feedd understands (%d); refusing to touch it",
		    st->path, version, STORE_SCHEMA_VERSION);
		goto fail;
	}
	for (; version < STORE_SCHEMA_VERSION; version++) {
		xasprintf(&sql, "%s; PRAGMA user_version = %d",
		    store_migrations[version], version + 1);
		if (store_exec(st, sql, cause) != 0) {
			free(sql);
			goto fail;
		}
		free(sql);
	}
	return (store_exec(st, "COMMIT", cause));

fail:
	if (!sqlite3_get_autocommit(st->db))
		store_exec(st, "ROLLBACK", NULL);
	return (-1);
}

/*
 * Step a statement that returns no row, then reset it.  Every explicit
 * transaction changes what the outputs show (a poll's entries, a prune,
 * a shown poll state), so COMMIT first draws a new generation within it.
 * Any write but a poll state's or a batched poll's commits the batch
 * first, so that it never shares a transaction with anything else.
 */
static int
store_step_done(struct store *st, enum store_stmt_id id, char **cause)
{
	sqlite3_stmt	*stmt = st->stmts[id];
	int		 rc;

	if (id != STORE_SET_STATE && !st->is_in_poll)
		store_flush(st);
	if (id == STORE_COMMIT &&
	    store_step_done(st, STORE_NEW_GENERATION, cause) != 0)
		return (-1);
	rc = sqlite3_step(stmt);
	if (rc != SQLITE_DONE) {
		store_set_cause(st, "write failed", cause);
		sqlite3_reset(stmt);
		sqlite3_clear_bindings(stmt);
		return (-1);
	}
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	return (0);
}

/* Bind a string, or NULL when absent. */
static void
store_bind_text(sqlite3_stmt *stmt, int i, const char *s)
{
	if (s == NULL)
		sqlite3_bind_null(stmt, i);
	else
		sqlite3_bind_text(stmt, i, s, -1, SQLITE_TRANSIENT);
}

/* Bind a string that outlives the statement's next reset, uncopied. */
static void
store_bind_kept(sqlite3_stmt *stmt, int i, const char *s)
{
	if (s == NULL)
		sqlite3_bind_null(stmt, i);
	else
		sqlite3_bind_text(stmt, i, s, -1, SQLITE_STATIC);
}

/* Bind a date's instant, or NULL when it has none. */
static void
store_bind_instant(sqlite3_stmt *stmt, int i, const struct feed_date *d)
{
	if (d->is_valid)
		sqlite3_bind_int64(stmt, i, (sqlite3_int64)d->utc);
	else
		sqlite3_bind_null(stmt, i);
}

/*
 * A digest being worked out: SHA-256 for keys (and for entry digests
 * stored before schema version 6), else the fast hash.
 */
struct store_digest {
	struct util_hash	*fast;
	struct util_sha256	*sha;
};

/* Feed bytes to whichever hash the digest uses. */
static void
store_digest_bytes(struct store_digest *d, const void *p, size_t len)
{
	if (d->fast != NULL)
		util_hash_add(d->fast, p, len);
	else
		util_sha256_add(d->sha, p, len);
}

/*
 * Feed a string and a separator to a digest, straight from the entry,
 * rather than copied into one growing buffer first.
 */
static void
store_digest_add(struct store_digest *d, const char *s)
{
	if (s != NULL)
		store_digest_bytes(d, s, strlen(s));
	store_digest_bytes(d, "\x1f", 1);
}

/*
 * The key of e within its feed, by the feed's dedup rule (docs/dedup.md):
 * auto, its id, else its link, else a content hash; id, its id, else the
 * hash; link, its link, else the hash; content, always the hash of its
 * title, published date and content.
 */
char *
store_entry_key(const struct feed_entry *e, enum store_dedup mode)
{
	struct store_digest d = { NULL, NULL };
	char		 hex[65], *key;
	bool		 has_id = e->id != NULL && *e->id != '\0';
	bool		 has_link = e->link != NULL && *e->link != '\0';

	if (has_id && (mode == STORE_DEDUP_AUTO || mode == STORE_DEDUP_ID)) {
		xasprintf(&key, "id:%s", e->id);
		return (key);
	}
	if (has_link && (mode == STORE_DEDUP_AUTO ||
	    mode == STORE_DEDUP_LINK)) {
		xasprintf(&key, "link:%s", e->link);
		return (key);
	}
	d.sha = util_sha256_new();
	store_digest_add(&d, e->title.value);
	store_digest_add(&d, e->published.raw);
	store_digest_add(&d, e->ncontent > 0 ? e->content[0].value :
	    e->summary.value);
	util_sha256_end(d.sha, hex);
	xasprintf(&key, "hash:%s", hex);
	return (key);
}

/* The dedup rule named s, or -1. */
int
store_dedup_parse(const char *s, enum store_dedup *mode)
{
	static const char *names[] = { "auto", "id", "link", "content" };
	size_t	 i;

	for (i = 0; i < nitems(names); i++) {
		if (strcmp(s, names[i]) == 0) {
			*mode = (enum store_dedup)i;
			return (0);
		}
	}
	return (-1);
}

/* Whether l is an enclosure (RSS enclosure, media:content, Atom rel). */
static bool
store_is_enclosure(const struct feed_link *l)
{
	return (l->href != NULL && l->rel != NULL &&
	    strcmp(l->rel, "enclosure") == 0);
}

/*
 * Feed the digest what schema version 2 added: the authors after the
 * first, the categories and the enclosures.  Nothing is added for an
 * entry without them, so its digest is the one version 1 stored and an
 * upgrade does not turn every entry into an update.
 */
static void
store_digest_extras(struct store_digest *h, const struct feed_entry *e)
{
	const struct feed_person	*a;
	const struct feed_category	*c;
	const struct feed_link		*l;
	size_t				 i;

	for (i = 1; i < e->nauthors; i++) {
		a = &e->authors[i];
		store_digest_add(h, "author");
		store_digest_add(h, a->name);
		store_digest_add(h, a->email);
		store_digest_add(h, a->uri);
	}
	for (i = 0; i < e->ncategories; i++) {
		c = &e->categories[i];
		store_digest_add(h, "category");
		store_digest_add(h, c->term);
		store_digest_add(h, c->scheme);
		store_digest_add(h, c->label);
	}
	for (i = 0; i < e->nlinks; i++) {
		l = &e->links[i];
		if (!store_is_enclosure(l))
			continue;
		store_digest_add(h, "enclosure");
		store_digest_add(h, l->href);
		store_digest_add(h, l->type);
		store_digest_add(h, l->length);
	}
}

/* Feed a digest everything stored for e: a change means an update. */
static void
store_digest_entry(struct store_digest *h, const struct feed_entry *e)
{
	const struct feed_text	 *c = e->ncontent > 0 ? &e->content[0] : NULL;
	const struct feed_person *a = e->nauthors > 0 ? &e->authors[0] : NULL;

	/* Not the id: a guid that changes on every fetch is no update. */
	store_digest_add(h, e->title.value);
	store_digest_add(h, e->title.type);
	store_digest_add(h, e->link);
	store_digest_add(h, e->summary.value);
	store_digest_add(h, e->summary.type);
	store_digest_add(h, c != NULL ? c->value : NULL);
	store_digest_add(h, c != NULL ? c->type : NULL);
	store_digest_add(h, a != NULL ? a->name : NULL);
	store_digest_add(h, a != NULL ? a->email : NULL);
	store_digest_add(h, a != NULL ? a->uri : NULL);
	store_digest_add(h, e->published.raw);
	store_digest_add(h, e->updated.raw);
	store_digest_extras(h, e);
}

/* e's digest, as stored from schema version 6 on: the fast hash. */
static void
store_entry_digest(const struct feed_entry *e, char hex[UTIL_HASH_HEX])
{
	struct store_digest	 d = { util_hash_new(), NULL };

	store_digest_entry(&d, e);
	util_hash_end(d.fast, hex);
}

/* e's digest as versions before 6 stored it: SHA-256. */
static void
store_entry_digest_v5(const struct feed_entry *e, char hex[65])
{
	struct store_digest	 d = { NULL, util_sha256_new() };

	store_digest_entry(&d, e);
	util_sha256_end(d.sha, hex);
}

/*
 * The time an entry sorts by: its published date, else its updated
 * date, else when we first saw it; a date in the future sorts as now so
 * a misdated entry cannot pin itself to the top.
 */
static time_t
store_sort_time(const struct feed_entry *e, time_t now)
{
	time_t	 t = now;

	if (e->published.is_valid)
		t = e->published.utc;
	else if (e->updated.is_valid)
		t = e->updated.utc;
	return (t > now ? now : t);
}

/*
 * Append s to b as a JSON string, escaped as jansson's compact dump
 * escapes it.  A string that is not valid UTF-8 is refused, as jansson
 * refuses it: false, with part of it appended, for the caller to drop.
 */
static bool
store_json_string(struct buf *b, const char *s)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 len = strlen(s), i, run;
	int			 n;

	buf_addc(b, '"');
	for (i = run = 0; i < len; i += (size_t)n) {
		n = 1;
		if (p[i] >= 0x80 && (n = util_utf8_decode(p + i, len - i,
		    NULL)) <= 0)
			return (false);
		if (p[i] >= 0x20 && p[i] != '"' && p[i] != '\\')
			continue;
		buf_add(b, p + run, i - run);
		run = i + 1;
		buf_addc(b, '\\');
		switch (p[i]) {
		case '"': case '\\':
			buf_addc(b, (char)p[i]);
			break;
		case '\b': buf_addc(b, 'b'); break;
		case '\f': buf_addc(b, 'f'); break;
		case '\n': buf_addc(b, 'n'); break;
		case '\r': buf_addc(b, 'r'); break;
		case '\t': buf_addc(b, 't'); break;
		default:
			buf_adds(b, "u00");
			buf_addc(b, hex[p[i] >> 4]);
			buf_addc(b, hex[p[i] & 0xf]);
			break;
		}
	}
	buf_add(b, p + run, len - run);
	buf_addc(b, '"');
	return (true);
}

/* Append "key":s to the object b holds open, when s is set and valid. */
static void
store_json_field(struct buf *b, const char *key, const char *s)
{
	size_t	 mark = b->len;

	if (s == NULL)
		return;
	if (b->data[b->len - 1] != '{')
		buf_addc(b, ',');
	buf_addc(b, '"');
	buf_adds(b, key);
	buf_add(b, "\":", 2);
	if (!store_json_string(b, s)) {
		b->len = mark;
		b->data[mark] = '\0';
	}
}

/*
 * Open the object of element i of the array under key: the root and the
 * array open before the first element.  The array is closed by
 * store_json_close.
 */
static void
store_json_element(struct buf *b, const char *key, size_t i)
{
	if (i == 0) {
		buf_addc(b, b->len == 0 ? '{' : ',');
		buf_addc(b, '"');
		buf_adds(b, key);
		buf_add(b, "\":[", 3);
	} else
		buf_add(b, "},", 2);
	buf_addc(b, '{');
}

/* Close the array store_json_element opened, if it has elements. */
static void
store_json_close(struct buf *b, size_t n)
{
	if (n > 0)
		buf_add(b, "}]", 2);
}

/*
 * The extras column of e: {"authors": [{name, email, uri, raw}],
 * "categories": [{term, scheme, label}], "enclosures": [{url, type,
 * length}]}, each key only when e has some.  NULL when it has none.
 * Written by hand rather than as a jansson tree: building and dumping
 * one tree an entry took 3 of the 11 million allocations of a cold poll
 * of 1,000 feeds, and a sixteenth of its CPU.  jansson reads it back
 * (store_read_extras).  b is scratch space, kept by the caller so that
 * a document's entries share it.  Caller frees.
 */
static char *
store_extras_json(const struct feed_entry *e, struct buf *scratch)
{
	const struct feed_person *a;
	const struct feed_category *c;
	const struct feed_link	*l;
	struct buf		*b = scratch;
	size_t			 i, n;

	buf_reset(b);
	/*
	 * One author the author_* columns hold whole needs no copy here:
	 * most entries then need no JSON at all.
	 */
	a = e->nauthors == 1 ? &e->authors[0] : NULL;
	if (a == NULL || (a->name == NULL &&
	    (a->email == NULL || a->raw != NULL))) {
		for (i = 0; i < e->nauthors; i++) {
			a = &e->authors[i];
			store_json_element(b, "authors", i);
			store_json_field(b, "name", a->name);
			store_json_field(b, "email", a->email);
			store_json_field(b, "uri", a->uri);
			store_json_field(b, "raw", a->raw);
		}
		store_json_close(b, e->nauthors);
	}
	for (i = n = 0; i < e->ncategories; i++) {
		c = &e->categories[i];
		if (c->term == NULL)
			continue;
		store_json_element(b, "categories", n++);
		store_json_field(b, "term", c->term);
		store_json_field(b, "scheme", c->scheme);
		store_json_field(b, "label", c->label);
	}
	store_json_close(b, n);
	for (i = n = 0; i < e->nlinks; i++) {
		l = &e->links[i];
		if (!store_is_enclosure(l))
			continue;
		store_json_element(b, "enclosures", n++);
		store_json_field(b, "url", l->href);
		store_json_field(b, "type", l->type);
		store_json_field(b, "length", l->length);
	}
	store_json_close(b, n);
	if (b->len == 0)
		return (NULL);
	buf_addc(b, '}');
	return (xstrndup(b->data, b->len));
}

/*
 * Work out each entry's digest and extras column ahead of storing: pure
 * functions of the entry, so a parse thread can do them (fetch_options'
 * prepare) and the loop only looks them up.
 */
void
store_prepare_doc(struct feed_doc *doc)
{
	struct feed_entry	*e;
	struct buf		 scratch;
	size_t			 i;

	buf_init(&scratch);
	for (i = 0; i < doc->nentries; i++) {
		e = &doc->entries[i];
		store_entry_digest(e, e->digest);
		free(e->extras);
		e->extras = store_extras_json(e, &scratch);
		e->is_prepared = true;
	}
	buf_clear(&scratch);
}

/*
 * Bind the columns INSERT and UPDATE share (?3 to ?18, ?20, ?21).  The
 * entry outlives the statement's step and reset, so nothing is copied.
 */
static void
store_bind_entry(sqlite3_stmt *stmt, const struct feed_entry *e,
    const char *digest, time_t now)
{
	const struct feed_text	 *c = e->ncontent > 0 ? &e->content[0] : NULL;
	const struct feed_person *a = e->nauthors > 0 ? &e->authors[0] : NULL;
	struct buf		  scratch;
	char			 *extras;

	store_bind_kept(stmt, 3, digest);
	store_bind_kept(stmt, 4, e->id);
	store_bind_kept(stmt, 5, e->title.value);
	store_bind_kept(stmt, 6, e->title.type);
	store_bind_kept(stmt, 7, e->link);
	store_bind_kept(stmt, 8, e->summary.value);
	store_bind_kept(stmt, 9, e->summary.type);
	store_bind_kept(stmt, 10, c != NULL ? c->value : NULL);
	store_bind_kept(stmt, 11, c != NULL ? c->type : NULL);
	store_bind_kept(stmt, 12, a != NULL ? a->name : NULL);
	store_bind_kept(stmt, 13, a != NULL ? a->email : NULL);
	store_bind_kept(stmt, 14, a != NULL ? a->uri : NULL);
	store_bind_kept(stmt, 15, e->published.raw);
	store_bind_instant(stmt, 16, &e->published);
	store_bind_kept(stmt, 17, e->updated.raw);
	store_bind_instant(stmt, 18, &e->updated);
	sqlite3_bind_int64(stmt, 19, (sqlite3_int64)now);
	sqlite3_bind_int64(stmt, 20, (sqlite3_int64)store_sort_time(e, now));
	if (e->is_prepared) {
		store_bind_kept(stmt, 21, e->extras);
		return;
	}
	buf_init(&scratch);
	if ((extras = store_extras_json(e, &scratch)) != NULL)
		sqlite3_bind_text(stmt, 21, extras, -1, free);
	else
		sqlite3_bind_null(stmt, 21);
	buf_clear(&scratch);
}

/* Free what a lookup found. */
static void
store_found_clear(struct store_found *f)
{
	free(f->key);
	free(f->digest);
	free(f->link);
	free(f->title);
	memset(f, 0, sizeof *f);
}

/*
 * Run a lookup statement bound to (name, a[, b]) that returns key,
 * digest, link, title.  Returns 0 (found or not) or -1 on error.
 */
static int
store_find(struct store *st, enum store_stmt_id id, const char *name,
    const char *a, const char *b, struct store_found *out, char **cause)
{
	sqlite3_stmt	*stmt = st->stmts[id];
	int		 rc;

	store_found_clear(out);
	store_bind_text(stmt, 1, name);
	store_bind_text(stmt, 2, a);
	if (id == STORE_FIND_BY_LINK)
		store_bind_text(stmt, 3, b);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		out->is_found = true;
		out->key = store_col_text(stmt, 0);
		out->digest = store_col_text(stmt, 1);
		out->link = store_col_text(stmt, 2);
		out->title = store_col_text(stmt, 3);
	}
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_set_cause(st, "read failed", cause);
		return (-1);
	}
	return (0);
}

/* Whether two optional strings are both set and differ. */
static bool
store_differ(const char *a, const char *b)
{
	return (a != NULL && b != NULL && strcmp(a, b) != 0);
}

/*
 * Find what e is in its feed under the auto rule's repairs for broken
 * guids: a guid reused for a different entry (another link and another
 * title) keys the new one by guid and link; a new guid on an entry with
 * the same link and title (a session token in the guid) is the entry
 * already stored.  OUT: *key is the key to store under.
 */
static int
store_find_auto(struct store *st, const char *name, const struct feed_entry *e,
    char **key, struct store_found *f, char **cause)
{
	if (e->id == NULL || *e->id == '\0' || e->link == NULL)
		return (0);
	if (f->is_found && store_differ(f->link, e->link) &&
	    store_differ(f->title, e->title.value)) {
		free(*key);
		xasprintf(key, "id:%s\nlink:%s", e->id, e->link);
		return (store_find(st, STORE_FIND_ENTRY, name, *key, NULL, f,
		    cause));
	}
	if (f->is_found)
		return (0);
	if (store_find(st, STORE_FIND_BY_LINK, name, e->link, e->title.value,
	    f, cause) != 0)
		return (-1);
	if (f->is_found) {
		free(*key);
		*key = xstrdup(f->key);
	}
	return (0);
}

/*
 * Whether stored, the digest found for e under key, says e is unchanged
 * (1) or not (0); -1 on error.  Before schema version 6 digests were
 * SHA-256 (64 hex digits): such a one is checked the old way and, when
 * it matches, replaced by the fast one, so that an upgrade neither turns
 * every entry into an update nor hashes it twice on every poll.
 */
static int
store_same_digest(struct store *st, const char *name, const char *key,
    const struct feed_entry *e, const char *stored, const char *digest,
    char **cause)
{
	sqlite3_stmt	*stmt = st->stmts[STORE_SET_DIGEST];
	char		 old[65];

	if (strcmp(stored, digest) == 0)
		return (1);
	if (strlen(stored) != 64)
		return (0);
	store_entry_digest_v5(e, old);
	if (strcmp(stored, old) != 0)
		return (0);
	store_bind_text(stmt, 1, name);
	store_bind_text(stmt, 2, key);
	store_bind_kept(stmt, 3, digest);
	if (store_step_done(st, STORE_SET_DIGEST, cause) != 0)
		return (-1);
	return (1);
}

/* Run the INSERT or UPDATE id for e under key. */
static int
store_write_entry(struct store *st, enum store_stmt_id id, const char *name,
    const char *key, const struct feed_entry *e, const char *digest,
    time_t now, char **cause)
{
	sqlite3_stmt	*stmt = st->stmts[id];

	store_bind_text(stmt, 1, name);
	store_bind_text(stmt, 2, key);
	store_bind_entry(stmt, e, digest, now);
	return (store_step_done(st, id, cause));
}

/*
 * Insert e, or update it when its stored digest differs.  A key that was
 * pruned stays pruned while its source still lists it.
 */
static int
store_put_entry(struct store *st, const struct store_poll *poll,
    const struct feed_entry *e, time_t now, struct store_counts *counts,
    char **cause)
{
	const char		*name = poll->name;
	enum store_dedup	 mode = poll->dedup;
	struct store_found	 f;
	sqlite3_stmt		*stmt;
	char			*key, digest[UTIL_HASH_HEX];
	int			 ret = -1, same;
	enum store_stmt_id	 id;

	memset(&f, 0, sizeof f);
	key = store_entry_key(e, mode);
	if (e->is_prepared)
		memcpy(digest, e->digest, sizeof digest);
	else
		store_entry_digest(e, digest);
	/*
	 * A feed's first poll has nothing to look up, unless the document
	 * repeats a key: insert, and look up only if that did nothing.
	 */
	if (!poll->has_entries && !poll->has_tombs) {
		if (store_write_entry(st, STORE_INSERT_ENTRY, name, key, e,
		    digest, now, cause) != 0)
			goto out;
		if (sqlite3_changes(st->db) > 0) {
			counts->nnew++;
			ret = 0;
			goto out;
		}
	}
	if (store_find(st, STORE_FIND_ENTRY, name, key, NULL, &f,
	    cause) != 0)
		goto out;
	if (mode == STORE_DEDUP_AUTO && poll->has_entries &&
	    store_find_auto(st, name, e, &key, &f, cause) != 0)
		goto out;
	if (!f.is_found && poll->has_tombs) {
		if (store_find(st, STORE_FIND_TOMB, name, key, NULL, &f,
		    cause) != 0)
			goto out;
		if (f.is_found) {
			stmt = st->stmts[STORE_TOUCH_TOMB];
			store_bind_text(stmt, 1, name);
			store_bind_text(stmt, 2, key);
			sqlite3_bind_int64(stmt, 3, (sqlite3_int64)now);
			if (store_step_done(st, STORE_TOUCH_TOMB, cause) == 0) {
				counts->npruned_seen++;
				ret = 0;
			}
			goto out;
		}
	} else if (f.is_found) {
		if ((same = store_same_digest(st, name, key, e, f.digest,
		    digest, cause)) < 0)
			goto out;
		if (same) {
			counts->nunchanged++;
			ret = 0;
			goto out;
		}
	}
	id = f.is_found ? STORE_UPDATE_ENTRY : STORE_INSERT_ENTRY;
	if (store_write_entry(st, id, name, key, e, digest, now, cause) != 0)
		goto out;
	if (f.is_found)
		counts->nupdated++;
	else
		counts->nnew++;
	ret = 0;
out:
	store_found_clear(&f);
	free(key);
	return (ret);
}

/*
 * Whether the feed has entries and tombstones, once per poll: a feed
 * polled for the first time needs neither the auto rule's lookups by link
 * nor the tombstone lookups, which on a cold start are most of the work.
 */
static int
store_feed_has(struct store *st, struct store_poll *poll, char **cause)
{
	sqlite3_stmt	*stmt = st->stmts[STORE_FEED_HAS];
	int		 rc;

	store_bind_text(stmt, 1, poll->name);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		poll->has_entries = sqlite3_column_int(stmt, 0) != 0;
		poll->has_tombs = sqlite3_column_int(stmt, 1) != 0;
	}
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	if (rc != SQLITE_ROW) {
		store_set_cause(st, "read failed", cause);
		return (-1);
	}
	return (0);
}

/* Store one successful poll in one transaction. */
int
store_put_poll(struct store *st, const char *name, const char *url,
    const char *title_override, enum store_dedup dedup,
    const struct feed_doc *doc, time_t now, struct store_counts *counts,
    char **cause)
{
	sqlite3_stmt	*stmt = st->stmts[STORE_UPSERT_FEED];
	struct store_poll poll;
	size_t		 i;

	memset(&poll, 0, sizeof poll);
	memset(counts, 0, sizeof *counts);
	if (store_batch_open(st, cause) != 0)
		return (-1);
	st->is_in_poll = true;
	if (store_step_done(st, STORE_SAVEPOINT, cause) != 0) {
		st->is_in_poll = false;
		return (-1);
	}
	poll.name = name;
	poll.dedup = dedup;
	if (store_feed_has(st, &poll, cause) != 0)
		goto fail;
	store_bind_text(stmt, 1, name);
	store_bind_text(stmt, 2, url);
	store_bind_text(stmt, 3, doc->title.value);
	store_bind_text(stmt, 4, title_override);
	store_bind_text(stmt, 5, doc->link);
	store_bind_text(stmt, 6, doc->id);
	if (doc->updated.is_valid)
		sqlite3_bind_int64(stmt, 7, (sqlite3_int64)doc->updated.utc);
	if (store_step_done(st, STORE_UPSERT_FEED, cause) != 0)
		goto fail;
	/*
	 * Entries go in reverse document order: feeds list newest first, so
	 * among entries with equal dates the first listed gets the larger
	 * rowid and sorts first.
	 */
	for (i = doc->nentries; i > 0; i--) {
		if (store_put_entry(st, &poll, &doc->entries[i - 1], now,
		    counts, cause) != 0)
			goto fail;
	}
	if (counts->nnew > 0 && st->retain_per_feed > 0 &&
	    store_prune_overflow(st, name, now, cause) < 0)
		goto fail;
	if (store_step_done(st, STORE_RELEASE, cause) != 0)
		goto fail;
	st->is_in_poll = false;
	st->polls = xreallocarray(st->polls, st->npolls + 1,
	    sizeof *st->polls);
	st->polls[st->npolls++] = xstrdup(name);
	return (0);

fail:
	/* SQLite ends the whole transaction on some errors (a full disk). */
	if (sqlite3_get_autocommit(st->db)) {
		st->is_in_poll = false;
		store_batch_end(st, *cause != NULL ? *cause : "store: "
		    "the transaction was rolled back");
		return (-1);
	}
	store_step_done(st, STORE_ROLLBACK_TO, NULL);
	store_step_done(st, STORE_RELEASE, NULL);
	st->is_in_poll = false;
	return (-1);
}

/* See store.h: store_put_poll, then commit. */
int
store_commit_poll(struct store *st, const char *name, const char *url,
    const char *title_override, enum store_dedup dedup,
    const struct feed_doc *doc, time_t now, struct store_counts *counts,
    char **cause)
{
	if (store_put_poll(st, name, url, title_override, dedup, doc, now,
	    counts, cause) != 0)
		return (-1);
	return (store_batch_commit(st, cause));
}

/* Open the transaction batched writes share, unless it is open. */
static int
store_batch_open(struct store *st, char **cause)
{
	if (st->is_batched)
		return (0);
	if (store_step_done(st, STORE_BEGIN, cause) != 0)
		return (-1);
	st->is_batched = true;
	return (0);
}

/*
 * The batch's transaction ended: committed (cause NULL), or not, and then
 * the polls it held were not stored.  Say so for each, to the callback
 * (which polls them again) or the log.
 */
static void
store_batch_end(struct store *st, const char *cause)
{
	size_t	 i;

	st->is_batched = false;
	for (i = 0; i < st->npolls; i++) {
		if (cause != NULL && st->lost_cb != NULL)
			st->lost_cb(st->polls[i], cause, st->lost_arg);
		else if (cause != NULL)
			log_warn("feed %s: %s", st->polls[i], cause);
		free(st->polls[i]);
	}
	st->npolls = 0;
}

/*
 * Commit the batch, if any: with polls in it, within a new generation.
 * Returns -1 with *cause if it could not, having rolled back.
 */
static int
store_batch_commit(struct store *st, char **cause)
{
	sqlite3_stmt	*stmt = st->stmts[STORE_COMMIT];
	int		 rc;

	if (!st->is_batched)
		return (0);
	st->is_batched = false;
	if (st->npolls > 0)
		rc = store_step_done(st, STORE_COMMIT, cause);
	else {
		rc = sqlite3_step(stmt) == SQLITE_DONE ? 0 : -1;
		sqlite3_reset(stmt);
		if (rc != 0)
			store_set_cause(st, "poll states not saved", cause);
	}
	if (rc != 0 && !sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	store_batch_end(st, rc == 0 ? NULL : *cause);
	return (rc);
}

/* See store.h. */
size_t
store_batched(struct store *st)
{
	return (st->npolls);
}

/* See store.h. */
void
store_set_lost_cb(struct store *st, store_lost_cb *cb, void *arg)
{
	st->lost_cb = cb;
	st->lost_arg = arg;
}

/*
 * Whether the outputs show a feed in this condition: the status feed
 * lists a feed that is failing, moved or gone, with its next poll, and
 * the OPML names where a moved feed is polled.  NULL (not known) counts
 * as shown.
 */
static bool
store_condition_is_shown(const char *c)
{
	return (c == NULL || (strcmp(c, "ok") != 0 && strcmp(c, "new") != 0));
}

/*
 * Record when a feed was last tried, its validators, when it is due.
 * Most polls (a 304 of a healthy feed) change nothing the outputs show:
 * one statement, batched with others like it (store_flush).  A shown
 * state also moves the generation, in one transaction with it.
 */
int
store_set_poll_state(struct store *st, const char *name,
    const struct store_feed_state *state, const char *was, char **cause)
{
	sqlite3_stmt	*stmt = st->stmts[STORE_SET_STATE];
	bool		 is_shown;

	is_shown = store_condition_is_shown(was) ||
	    store_condition_is_shown(store_feed_condition(state));

	if (is_shown && store_step_done(st, STORE_BEGIN, cause) != 0)
		return (-1);
	if (!is_shown && store_batch_open(st, cause) != 0)
		return (-1);
	store_bind_text(stmt, 1, name);
	store_bind_text(stmt, 2, state->url);
	sqlite3_bind_int64(stmt, 3, (sqlite3_int64)state->last_attempt);
	sqlite3_bind_int64(stmt, 4, (sqlite3_int64)state->next_poll);
	store_bind_text(stmt, 5, state->etag);
	store_bind_text(stmt, 6, state->last_modified);
	sqlite3_bind_int(stmt, 7, state->is_gone ? 1 : 0);
	store_bind_text(stmt, 8, state->fetch_url);
	store_bind_text(stmt, 9, state->moved_to);
	sqlite3_bind_int(stmt, 10, state->moved_count);
	sqlite3_bind_int(stmt, 11, state->failures);
	store_bind_text(stmt, 12, state->last_error);
	sqlite3_bind_int64(stmt, 13, (sqlite3_int64)state->last_status);
	store_bind_text(stmt, 14, state->body_hash);
	store_bind_text(stmt, 15, state->next_reason);
	sqlite3_bind_int64(stmt, 16, (sqlite3_int64)state->state_since);
	sqlite3_bind_int64(stmt, 17, (sqlite3_int64)state->feed_interval);
	sqlite3_bind_int64(stmt, 18, (sqlite3_int64)state->skip_hours);
	sqlite3_bind_int(stmt, 19, state->skip_days);
	sqlite3_bind_int(stmt, 20, state->is_discovered ? 1 : 0);
	if (store_step_done(st, STORE_SET_STATE, cause) != 0 ||
	    (is_shown && store_step_done(st, STORE_COMMIT, cause) != 0)) {
		if (is_shown)
			store_step_done(st, STORE_ROLLBACK, NULL);
		return (-1);
	}
	return (0);
}

/*
 * Commit what store_set_poll_state and store_put_poll batched, if any.
 * A failure must not fail the write that flushed: it is logged, and each
 * poll lost goes to the lost callback.  Losing poll states costs only a
 * poll that could have been conditional.
 */
void
store_flush(struct store *st)
{
	char	*cause = NULL;

	if (store_batch_commit(st, &cause) != 0) {
		log_warn("%s", cause);
		free(cause);
	}
}

/* The generation now; caller frees. */
char *
store_generation(struct store *st, char **cause)
{
	sqlite3_stmt	*stmt = st->stmts[STORE_GET_GENERATION];
	char		*value = NULL;

	/* Batched polls draw theirs as they commit. */
	store_flush(st);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		value = store_col_text(stmt, 0);
	else
		store_set_cause(st, "cannot read the generation", cause);
	sqlite3_reset(stmt);
	return (value);
}

/* Free a poll state's strings. */
void
store_feed_state_clear(struct store_feed_state *state)
{
	free(state->url);
	free(state->etag);
	free(state->last_modified);
	free(state->fetch_url);
	free(state->moved_to);
	free(state->last_error);
	free(state->body_hash);
	free(state->next_reason);
	memset(state, 0, sizeof *state);
}

/* Read a feed's poll state; an unknown feed has all zeroes. */
int
store_get_poll_state(struct store *st, const char *name,
    struct store_feed_state *state, char **cause)
{
	sqlite3_stmt	*stmt = st->stmts[STORE_GET_STATE];
	int		 rc;

	memset(state, 0, sizeof *state);
	store_bind_text(stmt, 1, name);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		store_read_state(stmt, state);
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_set_cause(st, "read failed", cause);
		return (-1);
	}
	return (0);
}

/* Fill a poll state from the STORE_STATE_COLUMNS of a row. */
static void
store_read_state(sqlite3_stmt *stmt, struct store_feed_state *state)
{
	state->url = store_col_text(stmt, 0);
	state->last_attempt = (time_t)sqlite3_column_int64(stmt, 1);
	state->next_poll = (time_t)sqlite3_column_int64(stmt, 2);
	state->etag = store_col_text(stmt, 3);
	state->last_modified = store_col_text(stmt, 4);
	state->is_gone = sqlite3_column_int(stmt, 5) != 0;
	state->fetch_url = store_col_text(stmt, 6);
	state->moved_to = store_col_text(stmt, 7);
	state->moved_count = sqlite3_column_int(stmt, 8);
	state->failures = sqlite3_column_int(stmt, 9);
	state->last_error = store_col_text(stmt, 10);
	state->last_status = (long)sqlite3_column_int64(stmt, 11);
	state->body_hash = store_col_text(stmt, 12);
	state->next_reason = store_col_text(stmt, 13);
	state->state_since = (time_t)sqlite3_column_int64(stmt, 14);
	state->feed_interval = (int64_t)sqlite3_column_int64(stmt, 15);
	state->skip_hours = (uint32_t)sqlite3_column_int64(stmt, 16);
	state->skip_days = (uint8_t)sqlite3_column_int(stmt, 17);
	state->is_discovered = sqlite3_column_int(stmt, 18) != 0;
}

/* A feed's condition in one word. */
const char *
store_feed_condition(const struct store_feed_state *state)
{
	if (state->is_gone)
		return ("gone");
	if (state->last_attempt == 0)
		return ("new");
	if (state->failures > 0)
		return ("failing");
	if (state->fetch_url != NULL)
		return ("moved");
	return ("ok");
}

/* Every stored feed with its state and entry count. */
int
store_list_feeds(struct store *st, struct store_feed_row **rows,
    size_t *nrows, char **cause)
{
	sqlite3_stmt		*stmt = st->stmts[STORE_LIST_FEEDS];
	struct store_feed_row	*row;
	size_t			 n = 0, cap = 0;
	int			 rc;

	*rows = NULL;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap == 0 ? 64 : cap * 2;
			*rows = xreallocarray(*rows, cap, sizeof **rows);
		}
		row = &(*rows)[n++];
		memset(row, 0, sizeof *row);
		store_read_state(stmt, &row->state);
		row->name = store_col_text(stmt, STORE_STATE_NCOLUMNS);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		store_set_cause(st, "read failed", cause);
		store_feed_rows_free(*rows, n);
		*rows = NULL;
		*nrows = 0;
		return (-1);
	}
	*nrows = n;
	return (0);
}

static int
store_feed_row_cmp(const void *key, const void *elem)
{
	const struct store_feed_row	*row = elem;

	return (strcmp(key, row->name));
}

/*
 * The row of the feed called name in rows from store_list_feeds, or
 * NULL.  Rows come sorted by name (SQLite's BINARY collation compares as
 * strcmp does), so this is a binary search: 5,000 feeds looked up one by
 * one must not cost 25 million comparisons.
 */
const struct store_feed_row *
store_feed_row_find(const struct store_feed_row *rows, size_t n,
    const char *name)
{
	if (n == 0)
		return (NULL);
	return (bsearch(name, rows, n, sizeof *rows, store_feed_row_cmp));
}

/* Free rows from store_list_feeds. */
void
store_feed_rows_free(struct store_feed_row *rows, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free(rows[i].name);
		store_feed_state_clear(&rows[i].state);
	}
	free(rows);
}

/* Copy a text column, NULL when SQL NULL. */
static char *
store_col_text(sqlite3_stmt *stmt, int i)
{
	const unsigned char	*s = sqlite3_column_text(stmt, i);

	return (s != NULL ? xstrdup((const char *)s) : NULL);
}

/* Read a date from its raw column i and instant column i + 1. */
static void
store_col_date(sqlite3_stmt *stmt, int i, struct feed_date *d)
{
	d->raw = store_col_text(stmt, i);
	d->is_valid = sqlite3_column_type(stmt, i + 1) != SQLITE_NULL;
	if (d->is_valid)
		d->utc = (time_t)sqlite3_column_int64(stmt, i + 1);
}

/* A copy of the string under key in o, or NULL. */
static char *
store_json_str(json_t *o, const char *key)
{
	const char	*s = json_string_value(json_object_get(o, key));

	return (s != NULL ? xstrdup(s) : NULL);
}

/*
 * Read the extras column i (store_extras_json) into e.  A row from
 * schema version 1 has none; its first author is in the author_*
 * columns.
 */
static void
store_read_extras(sqlite3_stmt *stmt, int i, struct feed_entry *e)
{
	const char		*s;
	json_t			*root, *o;
	struct feed_person	*a;
	struct feed_category	*c;
	struct feed_link	*l;
	size_t			 j;

	s = (const char *)sqlite3_column_text(stmt, i);
	if (s == NULL || (root = json_loads(s, 0, NULL)) == NULL)
		return;
	json_array_foreach(json_object_get(root, "authors"), j, o) {
		a = feed_persons_add(&e->authors, &e->nauthors);
		a->name = store_json_str(o, "name");
		a->email = store_json_str(o, "email");
		a->uri = store_json_str(o, "uri");
		a->raw = store_json_str(o, "raw");
	}
	json_array_foreach(json_object_get(root, "categories"), j, o) {
		c = feed_categories_add(&e->categories, &e->ncategories);
		c->term = store_json_str(o, "term");
		c->scheme = store_json_str(o, "scheme");
		c->label = store_json_str(o, "label");
	}
	json_array_foreach(json_object_get(root, "enclosures"), j, o) {
		l = feed_links_add(&e->links, &e->nlinks);
		l->rel = xstrdup("enclosure");
		l->href = store_json_str(o, "url");
		l->type = store_json_str(o, "type");
		l->length = store_json_str(o, "length");
	}
	json_decref(root);
}

/* Fill one item from a row of STORE_ITEM_SELECT. */
static void
store_read_item(sqlite3_stmt *stmt, struct store_item *it)
{
	struct feed_entry	*e = &it->e;
	struct feed_text	*c;
	struct feed_person	*a;

	it->feed_name = store_col_text(stmt, 0);
	it->feed_title = store_col_text(stmt, 1);
	it->feed_url = store_col_text(stmt, 2);
	it->feed_id = store_col_text(stmt, 3);
	it->feed_link = store_col_text(stmt, 4);
	it->feed_updated = (time_t)sqlite3_column_int64(stmt, 5);
	it->key = store_col_text(stmt, 6);
	it->first_seen = (time_t)sqlite3_column_int64(stmt, 7);
	it->sort_time = (time_t)sqlite3_column_int64(stmt, 8);
	e->id = store_col_text(stmt, 9);
	e->title.value = store_col_text(stmt, 10);
	e->title.type = store_col_text(stmt, 11);
	e->link = store_col_text(stmt, 12);
	e->summary.value = store_col_text(stmt, 13);
	e->summary.type = store_col_text(stmt, 14);
	if (sqlite3_column_type(stmt, 15) != SQLITE_NULL) {
		c = feed_texts_add(&e->content, &e->ncontent);
		c->value = store_col_text(stmt, 15);
		c->type = store_col_text(stmt, 16);
	}
	store_read_extras(stmt, 26, e);
	if (e->nauthors == 0 && (sqlite3_column_type(stmt, 17) !=
	    SQLITE_NULL || sqlite3_column_type(stmt, 18) != SQLITE_NULL)) {
		a = feed_persons_add(&e->authors, &e->nauthors);
		a->name = store_col_text(stmt, 17);
		a->email = store_col_text(stmt, 18);
		a->uri = store_col_text(stmt, 19);
	}
	store_col_date(stmt, 20, &e->published);
	store_col_date(stmt, 22, &e->updated);
	it->changed = (time_t)sqlite3_column_int64(stmt, 24);
	it->rowid = sqlite3_column_int64(stmt, 25);
}

/* The newest max entries of feed, or of all feeds, newest first. */
int
store_newest(struct store *st, const char *feed, size_t max,
    struct store_item **items, size_t *nitems, char **cause)
{
	struct store_query	 q;
	char			*one[1];

	memset(&q, 0, sizeof q);
	if (feed != NULL) {
		one[0] = (char *)feed;
		q.feeds = one;
		q.nfeeds = 1;
	}
	q.max = max == SIZE_MAX ? 0 : max;
	*items = NULL;
	*nitems = 0;
	if (store_select(st, &q, items, nitems, cause) != 0) {
		store_items_free(*items, *nitems);
		*items = NULL;
		*nitems = 0;
		return (-1);
	}
	return (0);
}

/*
 * Prepare the statement for query.  With a rowid range (an archive page):
 * the rows themselves, newest first, found by rowid.  Otherwise one page
 * of the rowids and sort times of a window of sort times (?1 to before
 * ?2), newest first after (?3, ?4), at most ?5 of them, found through the
 * per-feed index: with a limit SQLite keeps only that many while it
 * reads, instead of sorting the whole window.  Feed names are ?6 on.
 * Only the conditions asked for are written: without statistics SQLite
 * would take any rowid range for the best index.  Prepared per call:
 * outputs are rebuilt rarely.
 */
static sqlite3_stmt *
store_select_prepare(struct store *st, const struct store_query *q,
    char **cause)
{
	sqlite3_stmt	*stmt = NULL;
	struct buf	 sql;
	bool		 is_range = q->min_rowid > 0 || q->max_rowid > 0;
	size_t		 i;

	buf_init(&sql);
	if (is_range) {
		buf_adds(&sql, STORE_ITEM_SELECT " WHERE e.rowid BETWEEN ?2 AND"
		    " ?3");
		if (q->since != 0)
			buf_adds(&sql, " AND e.sort_time >= ?1");
	} else
		buf_adds(&sql, "SELECT e.rowid, e.sort_time FROM entries e"
		    " WHERE e.sort_time >= ?1 AND e.sort_time < ?2 AND"
		    " (e.sort_time, e.rowid) < (?3, ?4)");
	if (q->feeds != NULL) {
		buf_adds(&sql, " AND e.feed IN (");
		for (i = 0; i < q->nfeeds; i++)
			buf_addf(&sql, "%s?%zu", i == 0 ? "" : ", ", i + 6);
		buf_adds(&sql, ")");
	} else if (!is_range)
		buf_adds(&sql, " AND e.feed IN (SELECT name FROM feeds)");
	buf_adds(&sql, " ORDER BY e.sort_time DESC, e.rowid DESC");
	if (!is_range)
		buf_adds(&sql, " LIMIT ?5");
	if (sqlite3_prepare_v2(st->db, sql.data, -1, &stmt, NULL) !=
	    SQLITE_OK) {
		store_set_cause(st, "cannot prepare", cause);
		stmt = NULL;
	} else {
		if (is_range) {
			sqlite3_bind_int64(stmt, 1, (sqlite3_int64)q->since);
			sqlite3_bind_int64(stmt, 2, q->min_rowid);
			sqlite3_bind_int64(stmt, 3, q->max_rowid > 0 ?
			    q->max_rowid : INT64_MAX);
		}
		for (i = 0; q->feeds != NULL && i < q->nfeeds; i++)
			store_bind_text(stmt, (int)i + 6, q->feeds[i]);
	}
	buf_clear(&sql);
	return (stmt);
}

/*
 * Offer the item in stmt's row to q->keep and append it if kept; returns
 * whether q wants more.
 */
static bool
store_select_offer(const struct store_query *q, sqlite3_stmt *stmt,
    struct store_item **items, size_t *nitems, size_t *nkept)
{
	struct store_item	 it;

	memset(&it, 0, sizeof it);
	store_read_item(stmt, &it);
	if (q->keep != NULL && !q->keep(&it, q->arg))
		store_item_clear(&it);
	else {
		*items = xreallocarray(*items, *nitems + 1, sizeof **items);
		(*items)[(*nitems)++] = it;
		(*nkept)++;
	}
	return (q->max == 0 || *nkept < q->max);
}

/*
 * Step one window's rowids (stmt, bound and reset here) page by page,
 * reading and offering each row; returns SQLITE_DONE when the window is
 * used up, SQLITE_ROW when q has enough, or an error.
 */
static int
store_select_window(struct store *st, const struct store_query *q,
    sqlite3_stmt *keys, int64_t lo, int64_t hi, struct store_item **items,
    size_t *nitems, size_t *nkept)
{
	sqlite3_stmt	*row = st->stmts[STORE_GET_ITEM];
	int64_t		 after_time = INT64_MAX, after_rowid = INT64_MAX;
	size_t		 page, nread = 0;
	bool		 is_more = true;
	int		 rc = SQLITE_DONE, rrc;

	do {
		page = q->max == 0 ? STORE_PAGE_MAX : 2 * (q->max - *nkept) +
		    STORE_PAGE_MIN;
		sqlite3_reset(keys);
		sqlite3_bind_int64(keys, 1, lo);
		sqlite3_bind_int64(keys, 2, hi);
		sqlite3_bind_int64(keys, 3, after_time);
		sqlite3_bind_int64(keys, 4, after_rowid);
		sqlite3_bind_int64(keys, 5, (sqlite3_int64)page);
		for (nread = 0; is_more &&
		    (rc = sqlite3_step(keys)) == SQLITE_ROW; nread++) {
			after_rowid = sqlite3_column_int64(keys, 0);
			after_time = sqlite3_column_int64(keys, 1);
			sqlite3_bind_int64(row, 1, after_rowid);
			if ((rrc = sqlite3_step(row)) == SQLITE_ROW)
				is_more = store_select_offer(q, row, items,
				    nitems, nkept);
			sqlite3_reset(row);
			if (rrc != SQLITE_ROW && rrc != SQLITE_DONE)
				return (rrc);
		}
	} while (is_more && rc == SQLITE_DONE && nread == page);
	return (is_more ? rc : SQLITE_ROW);
}

/* Append the entries query selects, asking query->keep about each. */
int
store_select(struct store *st, const struct store_query *q,
    struct store_item **items, size_t *nitems, char **cause)
{
	sqlite3_stmt	*stmt;
	size_t		 nkept = 0;
	int64_t		 now = (int64_t)time(NULL), lo, hi = INT64_MAX;
	int64_t		 span = STORE_WINDOW_FIRST;
	int		 rc = SQLITE_DONE, i;

	if (q->feeds != NULL && q->nfeeds == 0)
		return (0);
	if ((stmt = store_select_prepare(st, q, cause)) == NULL)
		return (-1);
	if (q->min_rowid > 0 || q->max_rowid > 0) {
		while ((rc = sqlite3_step(stmt)) == SQLITE_ROW &&
		    store_select_offer(q, stmt, items, nitems, &nkept))
			;
	} else {
		for (i = 0; i < STORE_WINDOWS && rc == SQLITE_DONE; i++) {
			lo = i == STORE_WINDOWS - 1 ? INT64_MIN : now - span;
			if (q->since != 0 && lo <= (int64_t)q->since) {
				lo = (int64_t)q->since;
				i = STORE_WINDOWS - 1;	/* the last one */
			}
			rc = store_select_window(st, q, stmt, lo, hi, items,
			    nitems, &nkept);
			hi = lo;
			span *= STORE_WINDOW_GROWTH;
		}
	}
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		store_set_cause(st, "read failed", cause);
	sqlite3_finalize(stmt);
	return (rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1);
}

/* The pages of size entries that hold entries, and the highest rowid. */
int
store_pages(struct store *st, size_t size, struct store_page **pages,
    size_t *npages, int64_t *max_rowid, char **cause)
{
	static const char sql[] = "SELECT (rowid - 1) / ?1 + 1, count(*),"
	    " max(changed) FROM entries GROUP BY 1 ORDER BY 1";
	sqlite3_stmt	*stmt = NULL;
	struct store_page *p;
	int		 rc;

	*pages = NULL;
	*npages = 0;
	*max_rowid = 0;
	if (sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
		store_set_cause(st, "cannot prepare", cause);
		return (-1);
	}
	sqlite3_bind_int64(stmt, 1, (sqlite3_int64)size);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		*pages = xreallocarray(*pages, *npages + 1, sizeof **pages);
		p = &(*pages)[(*npages)++];
		p->page = sqlite3_column_int64(stmt, 0);
		p->nentries = (size_t)sqlite3_column_int64(stmt, 1);
		p->changed = (time_t)sqlite3_column_int64(stmt, 2);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE ||
	    sqlite3_prepare_v2(st->db, "SELECT max(rowid) FROM entries", -1,
	    &stmt, NULL) != SQLITE_OK) {
		store_set_cause(st, "read failed", cause);
		free(*pages);
		*pages = NULL;
		*npages = 0;
		return (-1);
	}
	if (sqlite3_step(stmt) == SQLITE_ROW)
		*max_rowid = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return (0);
}

/* Free what one item owns. */
static void
store_item_clear(struct store_item *it)
{
	free(it->feed_name);
	free(it->feed_title);
	free(it->feed_url);
	free(it->feed_id);
	free(it->feed_link);
	free(it->key);
	feed_entry_clear(&it->e);
	memset(it, 0, sizeof *it);
}

/* Free items from store_newest. */
void
store_items_free(struct store_item *items, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		store_item_clear(&items[i]);
	free(items);
}

/*
 * How many entries of one feed are stored, or -1.  By index, but still
 * a walk over the feed's keys: for listings, not for every poll.
 */
long
store_count_feed(struct store *st, const char *name)
{
	sqlite3_stmt	*stmt = st->stmts[STORE_COUNT_FEED];
	long		 n = -1;

	store_bind_text(stmt, 1, name);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	return (n);
}

/* How many entries are stored, or -1. */
long
store_count_entries(struct store *st)
{
	sqlite3_stmt	*stmt = st->stmts[STORE_COUNT];
	long		 n = -1;

	if (sqlite3_step(stmt) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	return (n);
}

/*
 * Delete the rows picked by stmt (feed, key), leaving a tombstone for
 * each when is_tomb; in a transaction of its own when is_own_txn, else
 * in the caller's.  Returns the number deleted or -1.
 */
static long
store_delete_picked(struct store *st, sqlite3_stmt *pick, bool is_tomb,
    bool is_own_txn, time_t now, char **cause)
{
	sqlite3_stmt	*del = st->stmts[STORE_DELETE_ENTRY];
	sqlite3_stmt	*tomb = st->stmts[STORE_ADD_TOMB];
	char		**keys = NULL;
	size_t		 n = 0, i;
	long		 ret = -1;
	int		 rc;

	while ((rc = sqlite3_step(pick)) == SQLITE_ROW) {
		keys = xreallocarray(keys, n + 2, sizeof *keys);
		keys[n++] = store_col_text(pick, 0);
		keys[n++] = store_col_text(pick, 1);
	}
	sqlite3_reset(pick);
	sqlite3_clear_bindings(pick);
	if (rc != SQLITE_DONE) {
		store_set_cause(st, "read failed", cause);
		goto out;
	}
	if (n == 0) {
		ret = 0;
		goto out;
	}
	if (is_own_txn && store_step_done(st, STORE_BEGIN, cause) != 0)
		goto out;
	for (i = 0; i < n; i += 2) {
		if (is_tomb) {
			store_bind_text(tomb, 1, keys[i]);
			store_bind_text(tomb, 2, keys[i + 1]);
			sqlite3_bind_int64(tomb, 3, (sqlite3_int64)now);
			if (store_step_done(st, STORE_ADD_TOMB, cause) != 0)
				goto rollback;
		}
		store_bind_text(del, 1, keys[i]);
		store_bind_text(del, 2, keys[i + 1]);
		if (store_step_done(st, STORE_DELETE_ENTRY, cause) != 0)
			goto rollback;
	}
	if (is_own_txn && store_step_done(st, STORE_COMMIT, cause) != 0)
		goto rollback;
	ret = (long)(n / 2);
	goto out;
rollback:
	if (is_own_txn)
		store_step_done(st, STORE_ROLLBACK, NULL);
out:
	for (i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
	return (ret);
}

/* Keep entries retain_days, and at most retain_per_feed per feed. */
void
store_set_retention(struct store *st, int retain_days, int retain_per_feed)
{
	st->retain_days = retain_days;
	st->retain_per_feed = retain_per_feed;
}

/*
 * Prune up to batch entries first seen more than retain_days ago, each
 * leaving a tombstone, in one short transaction, by index; and forget
 * tombstones unseen for STORE_TOMB_DAYS.  Returns the number pruned
 * (call again while it equals batch) or -1.
 */
long
store_prune(struct store *st, time_t now, size_t batch, char **cause)
{
	sqlite3_stmt	*pick = st->stmts[STORE_PRUNE_PICK];
	sqlite3_stmt	*tombs = st->stmts[STORE_PRUNE_TOMBS];

	sqlite3_bind_int64(tombs, 1, (sqlite3_int64)(now -
	    (time_t)STORE_TOMB_DAYS * 86400));
	if (store_step_done(st, STORE_PRUNE_TOMBS, cause) != 0)
		return (-1);
	if (st->retain_days <= 0)
		return (0);
	sqlite3_bind_int64(pick, 1, (sqlite3_int64)(now -
	    (time_t)st->retain_days * 86400));
	sqlite3_bind_int64(pick, 2, (sqlite3_int64)batch);
	return (store_delete_picked(st, pick, true, true, now, cause));
}

/*
 * Within a poll's transaction: the entries of feed name beyond its
 * newest retain_per_feed go, leaving tombstones.  Only a feed that got
 * new entries can have grown past it, so this costs nothing otherwise.
 */
static long
store_prune_overflow(struct store *st, const char *name, time_t now,
    char **cause)
{
	sqlite3_stmt	*pick = st->stmts[STORE_OVERFLOW_PICK];

	store_bind_text(pick, 1, name);
	sqlite3_bind_int(pick, 2, st->retain_per_feed);
	return (store_delete_picked(st, pick, true, false, now, cause));
}

/*
 * Delete up to batch entries of a feed that left the config, without
 * tombstones, and the feed itself once it has none.  Returns the number
 * deleted (call again while it equals batch) or -1.
 */
long
store_prune_feed(struct store *st, const char *name, size_t batch,
    char **cause)
{
	sqlite3_stmt	*pick = st->stmts[STORE_PRUNE_FEED_PICK];
	sqlite3_stmt	*del = st->stmts[STORE_DELETE_FEED];
	long		 n;

	store_bind_text(pick, 1, name);
	sqlite3_bind_int64(pick, 2, (sqlite3_int64)batch);
	if ((n = store_delete_picked(st, pick, false, true, 0, cause)) != 0)
		return (n);
	store_bind_text(del, 1, name);
	if (store_step_done(st, STORE_DELETE_FEED, cause) != 0)
		return (-1);
	return (0);
}
