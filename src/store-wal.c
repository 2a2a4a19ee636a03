/* SPDX-License-Identifier: ISC */
/*
 * WAL checkpoints mostly off the loop thread.  SQLite's automatic
 * checkpoint runs inside the commit that crosses its threshold: it copies
 * the WAL into the database and waits for two fsyncs, a fifth of a cold
 * poll spent where the loop can neither fetch nor store.  Instead the
 * commit hook wakes a thread with its own connection for a PASSIVE
 * checkpoint, which blocks neither the writer nor readers.  Commits go on
 * meanwhile, so that one cannot copy everything; once it is done, the
 * next commit over the threshold checkpoints the rest inline (little to
 * copy, little to sync), and the WAL starts over from its beginning
 * instead of growing.  Closing the last connection checkpoints what is
 * left.
 */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>

#include <sqlite3.h>

#include "feedd/log.h"
#include "feedd/util.h"
#include "store-int.h"

/*
 * Four times SQLite's own threshold (1000 pages of 4 KiB): a cold poll
 * rewrites the same index pages commit after commit, and each checkpoint
 * copies a page once however often it was rewritten.
 */
#define STORE_WAL_BYTES		(16000 * 1024)
/* Frames left to copy that the loop thread copies itself, at most... */
#define STORE_WAL_INLINE	32
/* ...unless the WAL grew this many times the threshold meanwhile. */
#define STORE_WAL_MAX		4

struct store_wal {
	sqlite3		*db;		/* the writer's connection */
	char		*path;
	pthread_mutex_t	 lock;
	pthread_cond_t	 cond;
	pthread_cond_t	 done;		/* the thread finished a checkpoint */
	pthread_t	 thread;
	int		 is_started;
	int		 is_failed;	/* no thread: checkpoint inline */
	int		 is_running;	/* the thread checkpoints */
	int		 is_done;	/* ...and finished: the rest inline */
	int		 ncopied;	/* frames in the WAL it left copied */
	int		 npages;	/* the threshold, in pages */
	int		 is_stopping;
};

static void	*store_wal_main(void *);

/* Start the thread, with signals left to the loop thread. */
static void
store_wal_start(struct store_wal *w)
{
	sigset_t	 all, old;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	if (pthread_create(&w->thread, NULL, store_wal_main, w) == 0)
		w->is_started = 1;
	else {
		log_warn("store: %s: no checkpoint thread; checkpointing "
		    "inline", w->path);
		w->is_failed = 1;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

/*
 * After each commit: past the threshold, have the thread checkpoint; or
 * if it has, copy inline what came since.
 */
static int
store_wal_hook(void *arg, sqlite3 *db, const char *name, int npages)
{
	struct store_wal	*w = arg;
	int			 is_inline = 0;

	if (npages < w->npages)
		return (SQLITE_OK);
	if (!w->is_started && !w->is_failed)
		store_wal_start(w);
	pthread_mutex_lock(&w->lock);
	/*
	 * The thread runs niced, and on a busy machine it can be starved
	 * while commits go on: past the ceiling the writer waits for it,
	 * then copies the rest itself, so the WAL stays bounded.
	 */
	while (w->is_running && !w->is_failed &&
	    npages >= STORE_WAL_MAX * w->npages)
		pthread_cond_wait(&w->done, &w->lock);
	if (w->is_failed || (w->is_done &&
	    (npages >= STORE_WAL_MAX * w->npages ||
	    npages - w->ncopied < STORE_WAL_INLINE))) {
		w->is_done = 0;
		is_inline = 1;
	} else if (!w->is_running) {
		w->is_done = 0;
		w->is_running = 1;
		pthread_cond_signal(&w->cond);
	}
	pthread_mutex_unlock(&w->lock);
	if (is_inline)
		sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE,
		    NULL, NULL);
	return (SQLITE_OK);
}

/* The database's page size in bytes (SQLite's default if unknown). */
static int
store_wal_page_size(sqlite3 *db)
{
	sqlite3_stmt	*stmt;
	int		 size = 4096;

	if (sqlite3_prepare_v2(db, "PRAGMA page_size", -1, &stmt, NULL) !=
	    SQLITE_OK)
		return (size);
	if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_int(stmt, 0) > 0)
		size = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	return (size);
}

/* Take over db's automatic checkpoints; the thread starts when first needed. */
struct store_wal *
store_wal_new(sqlite3 *db, const char *path)
{
	struct store_wal	*w;

	w = xcalloc(1, sizeof *w);
	w->db = db;
	w->path = xstrdup(path);
	w->npages = STORE_WAL_BYTES / store_wal_page_size(db);
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	pthread_cond_init(&w->done, NULL);
	sqlite3_wal_hook(db, store_wal_hook, w);
	return (w);
}

/* Stop the thread; db goes back to checkpointing itself.  NULL is fine. */
void
store_wal_free(struct store_wal *w)
{
	if (w == NULL)
		return;
	if (w->is_started) {
		pthread_mutex_lock(&w->lock);
		w->is_stopping = 1;
		pthread_cond_signal(&w->cond);
		pthread_mutex_unlock(&w->lock);
		pthread_join(w->thread, NULL);
	}
	sqlite3_wal_autocheckpoint(w->db, w->npages);
	pthread_cond_destroy(&w->cond);
	pthread_cond_destroy(&w->done);
	pthread_mutex_destroy(&w->lock);
	free(w->path);
	free(w);
}

/* The thread: a connection of its own, one checkpoint per wake-up. */
static void *
store_wal_main(void *arg)
{
	struct store_wal	*w = arg;
	sqlite3			*db = NULL;
	int			 ncopied;

	util_thread_background("feedd wal");
	/* A first read opens the WAL; until then there is nothing to copy. */
	if (sqlite3_open_v2(w->path, &db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA schema_version", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		log_warn("store: %s: checkpoint thread: %s; checkpointing "
		    "inline", w->path, sqlite3_errmsg(db));
		sqlite3_close(db);
		db = NULL;
	}
	pthread_mutex_lock(&w->lock);
	if (db == NULL) {
		w->is_failed = 1;
		pthread_cond_signal(&w->done);
	}
	while (!w->is_stopping && !w->is_failed) {
		if (!w->is_running) {
			pthread_cond_wait(&w->cond, &w->lock);
			continue;
		}
		pthread_mutex_unlock(&w->lock);
		if (sqlite3_wal_checkpoint_v2(db, NULL,
		    SQLITE_CHECKPOINT_PASSIVE, NULL, &ncopied) != SQLITE_OK)
			ncopied = 0;
		pthread_mutex_lock(&w->lock);
		w->is_running = 0;
		w->is_done = 1;
		w->ncopied = ncopied;
		pthread_cond_signal(&w->done);
	}
	pthread_mutex_unlock(&w->lock);
	sqlite3_close(db);
	return (NULL);
}
