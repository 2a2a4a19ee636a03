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
 * entries of a page than it did, the page on disk is left as it is.
 * Only pages whose entries changed are rebuilt: what each page was when
 * written is kept in archive/.pages, so a new process (every "feedd
 * once") does not rebuild thousands of pages to find them unchanged.
 * The pages are not published to http, which serves them from disk.
 */
#include <sys/stat.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "feedd/config.h"
#include "feedd/emit.h"
#include "feedd/log.h"
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
	bool			  is_loaded;	/* archive/.pages read */
	struct store_page	 *now;		/* from the last scan */
	size_t			  nnow;
};

static char	*emit_archive_atom(const struct config *, int64_t, bool,
		    const struct emit_sel *, size_t *, char **);
static int	 emit_archive_page(struct emit_archive *, struct emit *,
		    struct store *, const struct config *, int64_t,
		    const struct store_page *, char **);
static void	 emit_archive_load(struct emit_archive *, const char *);
static int	 emit_archive_save(const struct emit_archive *, struct emit *,
		    char **);
static bool	 emit_archive_exists(const char *, int64_t);

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
		ar->is_loaded = false;
	}
	n = max_rowid / (int64_t)size;
	if (n > ar->ncomplete) {
		ar->pages = xreallocarray(ar->pages, (size_t)n,
		    sizeof *ar->pages);
		memset(&ar->pages[ar->ncomplete], 0,
		    (size_t)(n - ar->ncomplete) * sizeof *ar->pages);
		ar->ncomplete = n;
	}
	if (!ar->is_loaded) {
		ar->is_loaded = true;
		emit_archive_load(ar, cfg->output_dir);
	}
	*open_rowid = ar->ncomplete * (int64_t)size + 1;
	*newest = ar->ncomplete;
	return (0);
}

/* How many pages are complete, as of the last scan. */
int64_t
emit_archive_npages(const struct emit_archive *ar)
{
	return (ar->ncomplete);
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
	int				 ret = 0, nput = 0;

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
		else
			nput++;
		free(why);
		why = NULL;
	}
	if (nput > 0) {
		log_info("emit: %d archive pages updated", nput);
		if (emit_archive_save(ar, em, ret == 0 ? cause : &why) != 0)
			ret = -1;
		free(why);
	}
	return (ret);
}

/*
 * What the pages were when written, from archive/.pages of an earlier
 * run, for the complete pages whose file is still there.
 * The file is only a cache: anything odd in it means pages are rebuilt.
 */
static void
emit_archive_load(struct emit_archive *ar, const char *dir)
{
	struct emit_archive_page	*p;
	char				*path, line[128];
	long long			 n, changed;
	unsigned long long		 nentries;
	size_t				 size;
	int				 has_next;
	FILE				*f;

	xasprintf(&path, "%s/archive/.pages", dir);
	f = fopen(path, "r");
	free(path);
	if (f == NULL)
		return;
	if (fgets(line, sizeof line, f) == NULL ||
	    sscanf(line, "feedd-archive 1 %zu", &size) != 1 ||
	    size != ar->size) {
		fclose(f);
		return;
	}
	while (fgets(line, sizeof line, f) != NULL) {
		if (sscanf(line, "%lld %llu %lld %d", &n, &nentries, &changed,
		    &has_next) != 4 || n < 1 || n > ar->ncomplete ||
		    !emit_archive_exists(dir, n))
			continue;
		p = &ar->pages[n - 1];
		p->nentries = (size_t)nentries;
		p->changed = (time_t)changed;
		p->has_next = has_next != 0;
		p->is_put = true;
	}
	fclose(f);
}

/*
 * Write page n, built from the store; a page that lost entries to
 * retention is left as it was written, if it was.
 */
static int
emit_archive_page(struct emit_archive *ar, struct emit *em,
    struct store *st, const struct config *cfg, int64_t n,
    const struct store_page *sp, char **cause)
{
	struct emit_archive_page	*p = &ar->pages[n - 1];
	struct emit_sel			 sel;
	char				*file, *data = NULL;
	size_t				 len;
	bool				 has_next = n < ar->ncomplete;
	int				 ret = -1;

	xasprintf(&file, "archive/%lld.atom", (long long)n);
	if (sp->nentries < ar->size && emit_archive_exists(cfg->output_dir,
	    n))
		ret = 0;
	else {
		if (emit_select_rows(st, cfg, (n - 1) * (int64_t)ar->size + 1,
		    n * (int64_t)ar->size, &sel, cause) == 0)
			data = emit_archive_atom(cfg, n, has_next, &sel, &len,
			    cause);
		emit_sel_clear(&sel);
		if (data != NULL)
			ret = emit_put_file(em, file, data, len, cause);
	}
	if (ret == 0) {
		p->nentries = sp->nentries;
		p->changed = sp->changed;
		p->has_next = has_next;
		p->is_put = true;
	}
	free(file);
	return (ret);
}

/* Whether archive page n is on disk. */
static bool
emit_archive_exists(const char *dir, int64_t n)
{
	struct stat	 sb;
	char		*path;
	bool		 is_there;

	xasprintf(&path, "%s/archive/%lld.atom", dir, (long long)n);
	is_there = stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
	free(path);
	return (is_there);
}

/* Record what every page written is, for the next process. */
static int
emit_archive_save(const struct emit_archive *ar, struct emit *em,
    char **cause)
{
	const struct emit_archive_page	*p;
	struct buf			 b;
	size_t				 len;
	int64_t				 n;

	buf_init(&b);
	buf_addf(&b, "feedd-archive 1 %zu\n", ar->size);
	for (n = 1; n <= ar->ncomplete; n++) {
		p = &ar->pages[n - 1];
		if (p->is_put)
			buf_addf(&b, "%lld %zu %lld %d\n", (long long)n,
			    p->nentries, (long long)p->changed,
			    p->has_next ? 1 : 0);
	}
	len = b.len;
	return (emit_put_file(em, "archive/.pages", buf_steal(&b), len,
	    cause));
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
