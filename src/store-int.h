/* SPDX-License-Identifier: ISC */
#ifndef FEEDD_STORE_INT_H
#define FEEDD_STORE_INT_H

#include <sqlite3.h>

/* Checkpoints of a connection's WAL, on a thread of their own. */
struct store_wal;

struct store_wal *store_wal_new(sqlite3 *, const char *path);
void		 store_wal_free(struct store_wal *);

#endif
