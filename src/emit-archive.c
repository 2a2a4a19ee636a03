/* SPDX-License-Identifier: ISC */
/*
 * RFC 5005 archived feeds for the main combined feed.  Besides the
 * sliding window of feed.atom, the entries are cut into pages of
 * archive_page entries by the order they were first stored (rowid), so an
 * entry stored later never moves an older one to another page.  A page
 * is published as archive/N.atom (N = 1 the oldest) once complete, that
 * is once an entry past its end has been stored; feed.atom links to the
 * newest page with prev-archive and itself shows every entry not yet in
 * a complete page, so a reader walking prev-archive from feed.atom
 * collects every entry.
 *
 * A complete page keeps its set of entries.  An entry updated upstream
 * appears in its page with its new content (and the same id); an entry
 * retention prunes does not leave its page: once the store holds fewer
 * entries of a page than it did, the page on disk is served as it is.
 * Only pages whose entries changed are rebuilt.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "feedd/config.h"
#include "feedd/emit.h"
#include "feedd/store.h"
#include "feedd/util.h"
#include "emit-int.h"

#define EMIT_FH_NS	"http://purl.org/syndication/history/1.0"
#define EMIT_ATOM_TYPE	"application/atom+xml; charset=utf-8"

/* What a page was when last published: rebuilt when this changes. */
struct emit_archive_page {
	size_t	 nentries;
	time_t	 changed;
	bool	 has_next;	/* linked to a following page */
	bool	 is_put;
};

struct emit_archive {
	size_t			  size;	/* entries a page */
	int64_t			  ncomplete;	/* never goes down */
	struct emit_archive_page *pages;	/* ncomplete of them */
	struct store_page	 *now;		/* from the last scan */
	size_t			  nnow;
};

static char	*emit_archive_atom(const struct config *, int64_t, bool,
		    const struct emit_sel *, size_t *, char **);
static int	 emit_archive_page(struct emit_archive *, struct emit *,
		    struct store *, const struct config *, int64_t,
		    const struct store_page *, char **);
static char	*emit_archive_read(const char *, const char *, size_t *);

/* Nothing known yet: the first emit_archive_put publishes every page. */
struct emit_archive *
emit_archive_new(void)
{
	return (xcalloc(1, sizeof (struct emit_archive)));
}

/* Free the archive state; NULL is fine. */
void
emit_archive_free(struct emit_archive *ar)
{
	if (ar == NULL)
		return;
	free(ar->pages);
	free(ar->now);
	free(ar);
}

/*
 * Read the pages from the store and work out which are complete.  A page
 * is complete once the highest rowid is past its end; the count never
 * goes down, so deleting the newest entries cannot reopen a page.
 */
int
emit_archive_scan(struct emit_archive *ar, struct store *st,
    const struct config *cfg, int64_t *open_rowid, int64_t *newest,
    char **cause)
{
	size_t		 size = (size_t)cfg->archive_page;
	int64_t		 max_rowid, n;

	free(ar->now);
	ar->now = NULL;
	ar->nnow = 0;
	if (store_pages(st, size, &ar->now, &ar->nnow, &max_rowid,
	    cause) != 0)
		return (-1);
	if (ar->size != size) {
		/* A new page size (a reload): every page is new. */
		free(ar->pages);
		ar->pages = NULL;
		ar->ncomplete = 0;
		ar->size = size;
	}
	n = max_rowid / (int64_t)size;
	if (n > ar->ncomplete) {
		ar->pages = xreallocarray(ar->pages, (size_t)n,
		    sizeof *ar->pages);
		memset(&ar->pages[ar->ncomplete], 0,
		    (size_t)(n - ar->ncomplete) * sizeof *ar->pages);
		ar->ncomplete = n;
	}
	*open_rowid = ar->ncomplete * (int64_t)size + 1;
	*newest = ar->ncomplete;
	return (0);
}

/*
 * Publish every complete page whose entries, content or following page
 * changed since it was last published (every page, the first time).
 * Each page is tried; the first failure is the one reported.
 */
int
emit_archive_put(struct emit_archive *ar, struct emit *em,
    struct store *st, const struct config *cfg, char **cause)
{
	static const struct store_page	 empty;
	const struct store_page		*sp;
	struct emit_archive_page	*p;
	size_t				 k = 0;
	int64_t				 n;
	char				*why = NULL;
	int				 ret = 0;

	for (n = 1; n <= ar->ncomplete; n++) {
		while (k < ar->nnow && ar->now[k].page < n)
			k++;
		sp = k < ar->nnow && ar->now[k].page == n ? &ar->now[k] :
		    &empty;
		p = &ar->pages[n - 1];
		if (p->is_put && p->nentries == sp->nentries &&
		    p->changed == sp->changed &&
		    p->has_next == (n < ar->ncomplete))
			continue;
		if (emit_archive_page(ar, em, st, cfg, n, sp,
		    ret == 0 ? cause : &why) != 0)
			ret = -1;
		free(why);
		why = NULL;
	}
	return (ret);
}

/*
 * Publish page n: built from the store when it holds every entry of the
 * page (or the page was never written), else the file as written when
 * it did.
 */
static int
emit_archive_page(struct emit_archive *ar, struct emit *em,
    struct store *st, const struct config *cfg, int64_t n,
    const struct store_page *sp, char **cause)
{
	struct emit_archive_page	*p = &ar->pages[n - 1];
	struct emit_sel			 sel;
	char				*file, *path, *data = NULL;
	size_t				 len;
	bool				 has_next = n < ar->ncomplete;
	int				 ret = -1;

	xasprintf(&file, "archive/%lld.atom", (long long)n);
	xasprintf(&path, "/%s", file);
	if (sp->nentries < ar->size)
		data = emit_archive_read(cfg->output_dir, file, &len);
	if (data == NULL) {
		if (emit_select_rows(st, cfg, (n - 1) * (int64_t)ar->size + 1,
		    n * (int64_t)ar->size, &sel, cause) == 0)
			data = emit_archive_atom(cfg, n, has_next, &sel, &len,
			    cause);
		emit_sel_clear(&sel);
	}
	if (data != NULL &&
	    emit_put(em, file, path, EMIT_ATOM_TYPE, data, len, cause) == 0) {
		p->nentries = sp->nentries;
		p->changed = sp->changed;
		p->has_next = has_next;
		p->is_put = true;
		ret = 0;
	}
	free(file);
	free(path);
	return (ret);
}

/* The contents of dir/file, or NULL when it cannot be read. */
static char *
emit_archive_read(const char *dir, const char *file, size_t *len)
{
	struct buf	 b;
	char		*path, chunk[65536];
	size_t		 n;
	FILE		*f;

	xasprintf(&path, "%s/%s", dir, file);
	f = fopen(path, "rb");
	free(path);
	if (f == NULL)
		return (NULL);
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	if (ferror(f) || b.len == 0) {
		fclose(f);
		buf_clear(&b);
		return (NULL);
	}
	fclose(f);
	*len = b.len;
	return (buf_steal(&b));
}

/*
 * Archive page n as Atom: the main feed's id and title, a self link,
 * rel="current" to feed.atom, prev-archive and next-archive to its
 * neighbours, and fh:archive (RFC 5005 section 4).
 */
static char *
emit_archive_atom(const struct config *cfg, int64_t n, bool has_next,
    const struct emit_sel *sel, size_t *len, char **cause)
{
	struct emit_writer	 ew;
	char			*file, *url, *out = NULL;
	size_t			 i;

	xasprintf(&file, "archive/%lld.atom", (long long)n);
	if (emit_feed_start(&ew, cfg, file, "feed.atom", cfg->output_title,
	    sel->updated, cause) != 0)
		goto out;
	url = emit_self_url(cfg, "feed.atom");
	emit_link(ew.w, "current", "application/atom+xml", url);
	free(url);
	if (n > 1) {
		free(file);
		xasprintf(&file, "archive/%lld.atom", (long long)(n - 1));
		url = emit_self_url(cfg, file);
		emit_link(ew.w, "prev-archive", "application/atom+xml", url);
		free(url);
	}
	if (has_next) {
		free(file);
		xasprintf(&file, "archive/%lld.atom", (long long)(n + 1));
		url = emit_self_url(cfg, file);
		emit_link(ew.w, "next-archive", "application/atom+xml", url);
		free(url);
	}
	xmlTextWriterStartElementNS(ew.w, BAD_CAST "fh", BAD_CAST "archive",
	    BAD_CAST EMIT_FH_NS);
	xmlTextWriterEndElement(ew.w);
	for (i = 0; i < sel->nitems; i++)
		emit_entry(ew.w, &sel->items[i], sel->ids[i]);
	out = emit_feed_end(&ew, len, cause);
out:
	emit_writer_free(&ew);
	free(file);
	return (out);
}
