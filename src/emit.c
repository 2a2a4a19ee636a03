/* SPDX-License-Identifier: ISC */
/*
 * The combined feed: the newest entries of every feed, read back from
 * the store and written as Atom 1.0 with libxml2's xmlTextWriter.  Each
 * entry keeps its source id and carries an atom:source naming its feed.
 * Files are replaced atomically (temporary file, fsync, rename), and a
 * rebuild that produces the same bytes writes nothing, so readers'
 * conditional GETs keep getting 304.  A stamp in the output directory
 * says what the files were built from, so that feedd once, when nothing
 * changed, need not build them at all.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <curl/curl.h>
#include <event2/event.h>
#include <libxml/xmlwriter.h>

#include "feedd/config.h"
#include "feedd/emit.h"
#include "feedd/log.h"
#include "feedd/store.h"
#include "feedd/util.h"
#include "emit-int.h"

#define ATOM_NS "http://www.w3.org/2005/Atom"
/* Rebuilds wait this long so a burst of polls costs one rebuild. */
#define EMIT_DEBOUNCE_MS 500
/*
 * What the files of the output directory were built from (a fingerprint,
 * emit_fingerprint) and each file's size and modification time.  The
 * name escapes emit_remove_stale, which takes ".NAME.XXXXXX".
 */
#define EMIT_STAMP ".feedd-stamp"

/* The formats of a combined feed: written as BASE.EXT, served at /BASE.EXT. */
struct emit_format {
	const char	*ext;
	const char	*content_type;
	char		*(*build)(const struct config *,
			    const struct emit_view *, const struct emit_sel *,
			    size_t *, char **);
};
static const struct emit_format emit_formats[] = {
	{ "atom", "application/atom+xml; charset=utf-8", emit_atom },
	{ "rss", "application/rss+xml; charset=utf-8", emit_rss },
	{ "json", "application/feed+json; charset=utf-8", emit_json },
};

/* The other documents: one each. */
struct emit_page {
	const char	*file;
	const char	*path;
	const char	*content_type;
	char		*(*build)(struct store *, const struct config *,
			    size_t *, char **);
};
static const struct emit_page emit_pages[] = {
	{ "status.atom", "/status.atom", "application/atom+xml; charset=utf-8",
	    emit_status_atom },
	{ "feeds.opml", "/opml", "text/x-opml; charset=utf-8", emit_opml },
	{ "index.html", "/", "text/html; charset=utf-8", emit_index },
};

/* The SHA-256 of what was last written to a file of the output. */
struct emit_last {
	char	*file;		/* relative to the output directory */
	char	 hex[65];
};

struct emit {
	struct event_base	*base;
	struct store		*st;
	const struct config	*cfg;
	struct event		*timer;
	emit_published_cb	 cb;
	void			*arg;
	struct emit_last	*lasts;
	size_t			 nlasts;
	struct emit_archive	*archive;
};

static void	emit_timer_cb(evutil_socket_t, short, void *);
static void	emit_hash_file(const char *, const char *, char[65]);
static struct emit_last *emit_last(struct emit *, const char *);
static int	emit_save(struct emit *, const char *, const char *, size_t,
		    char **);
static void	emit_remove_stale(const char *, int);
static int	emit_view_put(struct emit *, struct emit_view *, char **);
static size_t	emit_entity(const char *, struct buf *);
static int	emit_is_trouble(const struct store_feed_state *);
static void	emit_status_entry(xmlTextWriterPtr,
		    const struct store_feed_row *, const char *, long);
static int	emit_write_file(const char *, const char *, const char *,
		    size_t, char **);
static int	emit_build(struct emit *, char **);
static bool	emit_fingerprint(struct emit *, char[65]);
static bool	emit_stamp_matches(struct emit *, const char[65]);
static void	emit_stamp_write(struct emit *, const char[65]);
static int	emit_stamp_add(struct emit *, struct buf *, const char *);
static void	emit_stamp_remove(struct emit *);

/* Create the emitter; nothing is built until asked. */
struct emit *
emit_new(struct event_base *base, struct store *st, const struct config *cfg,
    emit_published_cb cb, void *arg)
{
	struct emit	*em;

	em = xcalloc(1, sizeof *em);
	em->base = base;
	em->st = st;
	em->cfg = cfg;
	em->cb = cb;
	em->arg = arg;
	if (base != NULL)
		em->timer = evtimer_new(base, emit_timer_cb, em);
	em->archive = emit_archive_new();
	emit_remove_stale(cfg->output_dir, 1);
	return (em);
}

/*
 * Remove temporary files a killed feedd left in the output directory and,
 * when is_top, its tag/, out/ and archive/ directories (".NAME.XXXXXX"
 * from emit_write_file): only this process writes there.
 */
static void
emit_remove_stale(const char *dir, int is_top)
{
	static const char *subdirs[] = { "tag", "out", "archive" };
	DIR		*d;
	struct dirent	*de;
	char		*path, *sub;
	size_t		 len, i;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (de->d_name[0] != '.' || len < 9 ||
		    de->d_name[len - 7] != '.' || strcmp(de->d_name, "..") == 0)
			continue;
		xasprintf(&path, "%s/%s", dir, de->d_name);
		if (unlink(path) == 0)
			log_info("emit: removed %s, left by an earlier run",
			    path);
		free(path);
	}
	closedir(d);
	for (i = 0; is_top && i < nitems(subdirs); i++) {
		xasprintf(&sub, "%s/%s", dir, subdirs[i]);
		emit_remove_stale(sub, 0);
		free(sub);
	}
}

/* Free the emitter; NULL is fine. */
void
emit_free(struct emit *em)
{
	size_t	 i;

	if (em == NULL)
		return;
	if (em->timer != NULL)
		event_free(em->timer);
	for (i = 0; i < em->nlasts; i++)
		free(em->lasts[i].file);
	free(em->lasts);
	emit_archive_free(em->archive);
	free(em);
}

/* Arm one rebuild unless one is already pending. */
void
emit_mark_dirty(struct emit *em)
{
	struct timeval	 tv = { 0, EMIT_DEBOUNCE_MS * 1000 };

	if (em->timer != NULL && !evtimer_pending(em->timer, NULL))
		evtimer_add(em->timer, &tv);
}

/* The debounce delay ran out: rebuild. */
static void
emit_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct emit	*em = arg;
	char		*cause = NULL;

	(void)fd;
	(void)what;
	if (emit_now(em, &cause) != 0) {
		log_err("emit: %s", cause);
		free(cause);
	}
}

/* What was last written to file, found or added. */
static struct emit_last *
emit_last(struct emit *em, const char *file)
{
	struct emit_last	*l;
	size_t			 i;

	for (i = 0; i < em->nlasts; i++) {
		if (strcmp(em->lasts[i].file, file) == 0)
			return (&em->lasts[i]);
	}
	em->lasts = xreallocarray(em->lasts, em->nlasts + 1,
	    sizeof *em->lasts);
	l = &em->lasts[em->nlasts++];
	l->file = xstrdup(file);
	emit_hash_file(em->cfg->output_dir, file, l->hex);
	return (l);
}

/* Write data to file unless it holds that already. */
static int
emit_save(struct emit *em, const char *file, const char *data, size_t len,
    char **cause)
{
	struct emit_last	*l = emit_last(em, file);
	char			 hex[65];

	util_sha256_hex(data, len, hex);
	if (strcmp(hex, l->hex) == 0)
		return (0);
	if (emit_write_file(em->cfg->output_dir, file, data, len, cause) != 0)
		return (-1);
	memcpy(l->hex, hex, sizeof l->hex);
	log_info("emit: wrote %s/%s (%zu bytes)", em->cfg->output_dir, file,
	    len);
	return (0);
}

/*
 * Write one built document (taking data) to file if it changed, and
 * publish it at path.  A full disk stops the file, not what is served.
 */
int
emit_put(struct emit *em, const char *file, const char *path,
    const char *content_type, char *data, size_t len, char **cause)
{
	struct emit_doc		 doc;
	int			 ret;

	ret = emit_save(em, file, data, len, cause);
	if (em->cb != NULL) {
		doc.path = path;
		doc.content_type = content_type;
		doc.data = data;
		doc.len = len;
		em->cb(&doc, em->arg);
	}
	free(data);
	return (ret);
}

/* Write one built document (taking data) to file if it changed. */
int
emit_put_file(struct emit *em, const char *file, char *data, size_t len,
    char **cause)
{
	int	 ret;

	ret = emit_save(em, file, data, len, cause);
	free(data);
	return (ret);
}

/*
 * Build, write and publish one view's combined feed in every format from
 * one selection.  Each format is tried even when one fails; the first
 * failure is the one reported.
 */
static int
emit_view_put(struct emit *em, struct emit_view *view, char **cause)
{
	struct emit_sel	 sel;
	size_t		 i, len;
	char		*why = NULL, *data, *file, *path;
	int		 ret = 0;

	if (emit_select(em->st, em->cfg, view, &sel, cause) != 0) {
		emit_sel_clear(&sel);
		return (-1);
	}
	for (i = 0; i < nitems(emit_formats); i++) {
		data = emit_formats[i].build(em->cfg, view, &sel, &len,
		    ret == 0 ? cause : &why);
		xasprintf(&file, "%s.%s", view->base, emit_formats[i].ext);
		xasprintf(&path, "/%s", file);
		if (data == NULL || emit_put(em, file, path,
		    emit_formats[i].content_type, data, len,
		    ret == 0 ? cause : &why) != 0)
			ret = -1;
		free(file);
		free(path);
		free(why);
		why = NULL;
	}
	emit_sel_clear(&sel);
	return (ret);
}

/*
 * Build, write and publish every output, then stamp them with what they
 * were built from.  The stamp goes first: until the build has completed,
 * the files may say something else.
 */
int
emit_now(struct emit *em, char **cause)
{
	char	 fp[65];
	bool	 has_fp;
	int	 ret;

	/* Read before building: a change made meanwhile makes it stale. */
	has_fp = emit_fingerprint(em, fp);
	emit_stamp_remove(em);
	ret = emit_build(em, cause);
	if (ret == 0 && has_fp)
		emit_stamp_write(em, fp);
	return (ret);
}

/*
 * Build the outputs unless the stamp says the files on disk were built
 * from this very config and store and are still there as written.
 * Skipped documents are not handed to the callback: this is for a
 * caller that serves nothing (feedd once).
 */
int
emit_if_stale(struct emit *em, char **cause)
{
	char	 fp[65];

	if (emit_fingerprint(em, fp) && emit_stamp_matches(em, fp)) {
		log_info("emit: %s is up to date, nothing to build",
		    em->cfg->output_dir);
		return (0);
	}
	return (emit_now(em, cause));
}

/*
 * What the outputs are built from, hashed: this feedd (its version and
 * the very binary, so that a rebuilt emitter does not trust files an
 * older one wrote), the text of the config, where the database and the
 * outputs are, and the store's generation.  False when the outputs
 * depend on the clock too (max_age) or a part cannot be read: then
 * nothing is skipped.
 */
static bool
emit_fingerprint(struct emit *em, char out[65])
{
	const struct config	*cfg = em->cfg;
	struct stat		 sb;
	char			*gen, *text;
	size_t			 i;

	if (cfg->digest[0] == '\0' || cfg->max_age > 0)
		return (false);
	for (i = 0; i < cfg->noutputs; i++) {
		if (cfg->outputs[i].max_age > 0)
			return (false);
	}
	if (stat("/proc/self/exe", &sb) != 0 ||
	    (gen = store_generation(em->st, NULL)) == NULL)
		return (false);
	xasprintf(&text, "feedd %s\n%ju %ju %jd %lld.%09ld\n%s\n%s\n%s\n%s\n",
	    FEEDD_VERSION, (uintmax_t)sb.st_dev, (uintmax_t)sb.st_ino,
	    (intmax_t)sb.st_size, (long long)sb.st_mtim.tv_sec,
	    (long)sb.st_mtim.tv_nsec, cfg->digest, cfg->database,
	    cfg->output_dir, gen);
	util_sha256_hex(text, strlen(text), out);
	free(text);
	free(gen);
	return (true);
}

/*
 * Whether the stamp holds fp and every file it lists has the size and
 * modification time it had when stamped (one deleted or replaced since
 * is built again).
 */
static bool
emit_stamp_matches(struct emit *em, const char fp[65])
{
	struct stat	 sb;
	char		*line = NULL, *path;
	size_t		 size = 0, nfiles = 0;
	ssize_t		 n;
	intmax_t	 len;
	long long	 sec;
	long		 nsec;
	int		 off, rc;
	bool		 is_match = false;
	FILE		*f;

	xasprintf(&path, "%s/%s", em->cfg->output_dir, EMIT_STAMP);
	f = fopen(path, "r");
	free(path);
	if (f == NULL)
		return (false);
	if (getline(&line, &size, f) != 65 || strncmp(line, fp, 64) != 0)
		goto out;
	while ((n = getline(&line, &size, f)) > 0) {
		if (line[n - 1] == '\n')
			line[n - 1] = '\0';
		if (sscanf(line, "%jd %lld.%ld %n", &len, &sec, &nsec,
		    &off) != 3)
			goto out;
		xasprintf(&path, "%s/%s", em->cfg->output_dir, line + off);
		rc = stat(path, &sb);
		free(path);
		if (rc != 0 || sb.st_size != len ||
		    sb.st_mtim.tv_sec != sec || sb.st_mtim.tv_nsec != nsec)
			goto out;
		nfiles++;
	}
	is_match = !ferror(f) && nfiles > 0;
out:
	free(line);
	fclose(f);
	return (is_match);
}

/* Add file's line to a stamp; -1 if it is not there. */
static int
emit_stamp_add(struct emit *em, struct buf *b, const char *file)
{
	struct stat	 sb;
	char		*path;
	int		 rc;

	xasprintf(&path, "%s/%s", em->cfg->output_dir, file);
	rc = stat(path, &sb);
	free(path);
	if (rc != 0)
		return (-1);
	buf_addf(b, "%jd %lld.%09ld %s\n", (intmax_t)sb.st_size,
	    (long long)sb.st_mtim.tv_sec, (long)sb.st_mtim.tv_nsec, file);
	return (0);
}

/*
 * Stamp the files just built with fp: every document, and every archive
 * page (a new process writes only those that changed); a failure only
 * costs a rebuild.
 */
static void
emit_stamp_write(struct emit *em, const char fp[65])
{
	struct buf	 b;
	char		*cause = NULL, *file;
	size_t		 i;
	int64_t		 n, npages = 0;
	int		 rc;

	buf_init(&b);
	buf_addf(&b, "%s\n", fp);
	for (i = 0; i < em->nlasts; i++) {
		/* The pages come below; archive/.pages only saves work. */
		if (strncmp(em->lasts[i].file, "archive/", 8) != 0 &&
		    emit_stamp_add(em, &b, em->lasts[i].file) != 0)
			goto out;
	}
	if (em->cfg->is_archiving)
		npages = emit_archive_npages(em->archive);
	for (n = 1; n <= npages; n++) {
		xasprintf(&file, "archive/%lld.atom", (long long)n);
		rc = emit_stamp_add(em, &b, file);
		free(file);
		if (rc != 0)
			goto out;
	}
	if (emit_write_file(em->cfg->output_dir, EMIT_STAMP, b.data, b.len,
	    &cause) != 0) {
		log_warn("emit: %s", cause);
		free(cause);
	}
out:
	buf_clear(&b);
}

/* Remove the stamp, if any. */
static void
emit_stamp_remove(struct emit *em)
{
	char	*path;

	xasprintf(&path, "%s/%s", em->cfg->output_dir, EMIT_STAMP);
	if (unlink(path) != 0 && errno != ENOENT)
		log_warn("emit: %s: cannot remove: %s", path, strerror(errno));
	free(path);
}

/*
 * Build, write and publish every output: the archive pages, each view's
 * combined feed in every format, then the other pages.  Each is tried
 * even when one fails; the first failure is the one reported.
 */
static int
emit_build(struct emit *em, char **cause)
{
	struct emit_view	*views;
	size_t			 nviews, i, len;
	char			*why = NULL, *data;
	int64_t			 open_rowid = 0, newest = 0;
	int			 ret = 0;

	if (em->cfg->is_archiving &&
	    (emit_archive_scan(em->archive, em->st, em->cfg, &open_rowid,
	    &newest, cause) != 0 ||
	    emit_archive_put(em->archive, em, em->st, em->cfg, cause) != 0))
		ret = -1;
	if ((views = emit_views(em->cfg, &nviews, ret == 0 ? cause :
	    &why)) == NULL)
		ret = -1;
	free(why);
	why = NULL;
	for (i = 0; views != NULL && i < nviews; i++) {
		/* The main feed links to the archive and shows what is not
		 * archived yet. */
		if (i == 0) {
			views[0].open_rowid = open_rowid;
			views[0].prev_archive = newest;
		}
		if (emit_view_put(em, &views[i], ret == 0 ? cause : &why) != 0)
			ret = -1;
		free(why);
		why = NULL;
	}
	if (views != NULL)
		emit_views_free(views, nviews);
	for (i = 0; i < nitems(emit_pages); i++) {
		data = emit_pages[i].build(em->st, em->cfg, &len,
		    ret == 0 ? cause : &why);
		if (data == NULL || emit_put(em, emit_pages[i].file,
		    emit_pages[i].path, emit_pages[i].content_type, data, len,
		    ret == 0 ? cause : &why) != 0)
			ret = -1;
		free(why);
		why = NULL;
	}
	return (ret);
}

/*
 * The SHA-256 of dir/name as it is on disk, or "" if it cannot be read:
 * a restart that builds the same feed then writes nothing.
 */
static void
emit_hash_file(const char *dir, const char *name, char out[65])
{
	struct util_sha256	*h;
	char			*path, chunk[65536];
	size_t			 n;
	FILE			*f;

	out[0] = '\0';
	xasprintf(&path, "%s/%s", dir, name);
	f = fopen(path, "rb");
	free(path);
	if (f == NULL)
		return;
	h = util_sha256_new();
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		util_sha256_add(h, chunk, n);
	if (ferror(f))
		util_sha256_free(h);
	else
		util_sha256_end(h, out);
	fclose(f);
}

/* Create dir and its parents as needed. */
static int
emit_mkdirs(const char *dir, char **cause)
{
	char	*p, *copy, c;
	int	 ret = 0;

	copy = xstrdup(dir);
	for (p = copy + 1; ret == 0; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		c = *p;
		*p = '\0';
		if (mkdir(copy, 0755) != 0 && errno != EEXIST) {
			xasprintf(cause, "%s: cannot create: %s", copy,
			    strerror(errno));
			ret = -1;
		}
		*p = c;
		if (c == '\0')
			break;
	}
	free(copy);
	return (ret);
}

/*
 * Replace dir/name with data atomically: a reader (or the HTTP server
 * after a crash) sees the old file or the new one, never half of one.
 */
static int
emit_write_file(const char *dir, const char *name, const char *data,
    size_t len, char **cause)
{
	char	*tmp = NULL, *path = NULL, *sub;
	const char *slash;
	size_t	 off = 0;
	ssize_t	 n;
	int	 fd = -1, dfd, ret = -1;

	if ((slash = strrchr(name, '/')) != NULL) {
		/* tag/NAME.atom: the file's own directory, then its name. */
		xasprintf(&sub, "%s/%.*s", dir, (int)(slash - name), name);
		ret = emit_write_file(sub, slash + 1, data, len, cause);
		free(sub);
		return (ret);
	}
	if (emit_mkdirs(dir, cause) != 0)
		return (-1);
	xasprintf(&tmp, "%s/.%s.XXXXXX", dir, name);
	xasprintf(&path, "%s/%s", dir, name);
	if ((fd = mkstemp(tmp)) == -1) {
		xasprintf(cause, "%s: cannot create: %s", tmp, strerror(errno));
		goto out;
	}
	while (off < len) {
		if ((n = write(fd, data + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			xasprintf(cause, "%s: write: %s", tmp, strerror(errno));
			goto out;
		}
		off += (size_t)n;
	}
	if (fchmod(fd, 0644) != 0 || fsync(fd) != 0) {
		xasprintf(cause, "%s: fsync: %s", tmp, strerror(errno));
		goto out;
	}
	if (close(fd) != 0) {
		fd = -1;
		xasprintf(cause, "%s: close: %s", tmp, strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) != 0) {
		xasprintf(cause, "%s: rename: %s", path, strerror(errno));
		goto out;
	}
	/* The rename itself survives a crash only once the directory is synced. */
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY)) != -1) {
		fsync(dfd);
		close(dfd);
	}
	ret = 0;
out:
	if (fd != -1) {
		close(fd);
		unlink(tmp);
	} else if (ret != 0)
		unlink(tmp);
	free(tmp);
	free(path);
	return (ret);
}

/*
 * Copy s keeping only what XML 1.0 allows: valid UTF-8 without C0
 * controls (other than tab, newline, return), U+FFFE or U+FFFF.  One bad
 * byte in one source must not make the whole combined feed invalid.
 * Invalid sequences become U+FFFD.
 */
char *
emit_clean(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	struct buf		 b;
	uint32_t		 cp;
	size_t			 len = strlen(s);
	int			 n;

	buf_init(&b);
	buf_add(&b, "", 0);
	while (len > 0) {
		n = util_utf8_decode(p, len, &cp);
		if (n <= 0 || cp == 0xfffe || cp == 0xffff) {
			buf_adds(&b, "\xef\xbf\xbd");
			n = 1;
		} else if (cp >= 0x20 || cp == '\t' || cp == '\n' ||
		    cp == '\r')
			buf_add(&b, p, (size_t)n);
		p += n;
		len -= (size_t)n;
	}
	return (buf_steal(&b));
}

/* Whether a text construct's type is HTML or XHTML (sanitized markup). */
bool
emit_is_html(const char *type)
{
	return (type != NULL && (strcmp(type, "text/html") == 0 ||
	    strcmp(type, "application/xhtml+xml") == 0 ||
	    strcmp(type, "html") == 0 || strcmp(type, "xhtml") == 0));
}

/*
 * Decode the character reference at s (which starts with '&') onto b:
 * the named ones sanitized HTML keeps, and numeric ones.  Returns the
 * bytes used, or 0 when it is none of those (the '&' is then text).
 */
static size_t
emit_entity(const char *s, struct buf *b)
{
	static const struct {
		const char	*name;
		uint32_t	 cp;
	} names[] = {
		{ "&amp;", '&' }, { "&apos;", '\'' }, { "&gt;", '>' },
		{ "&lt;", '<' }, { "&nbsp;", 0xa0 }, { "&quot;", '"' }
	};
	const char	*p;
	char		*end;
	unsigned long	 cp;
	size_t		 i, n;

	for (i = 0; i < nitems(names); i++) {
		n = strlen(names[i].name);
		if (strncmp(s, names[i].name, n) == 0) {
			util_utf8_add(b, names[i].cp);
			return (n);
		}
	}
	if (s[1] != '#')
		return (0);
	p = s + 2;
	if (*p == 'x' || *p == 'X')
		cp = strtoul(p + 1, &end, 16);
	else
		cp = strtoul(p, &end, 10);
	if (end == p || end == p + 1 || *end != ';')
		return (0);
	/* emit_clean later drops what XML and JSON readers cannot take. */
	if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd;
	util_utf8_add(b, (uint32_t)cp);
	return ((size_t)(end + 1 - s));
}

/*
 * Cut plain text after max characters (not bytes: a UTF-8 sequence stays
 * whole), at a word's end when there is one, and mark the cut with "…".
 */
static void
emit_plain_cut(struct buf *b, size_t max)
{
	size_t	 i, n = 0;

	for (i = 0; i < b->len; i++) {
		if (((unsigned char)b->data[i] & 0xc0) != 0x80 && n++ == max)
			break;
	}
	if (i == b->len)
		return;
	while (i > 0 && b->data[i - 1] == ' ')
		i--;
	b->len = i;
	b->data[i] = '\0';
	if (i > 0)
		buf_adds(b, "\xe2\x80\xa6");
}

/*
 * A text construct as plain text, for titles in every format, JSON
 * Feed's summary, the index page's excerpts and output filters (readers
 * such as sfeed show a title's markup as is): HTML loses its tags and
 * comments, its character references are decoded, and its white space
 * runs become one space.  At most max characters (SIZE_MAX: all).
 * Caller frees; NULL when t has no value.
 */
char *
emit_plain(const struct feed_text *t, size_t max)
{
	struct buf	 b;
	const char	*p, *end;
	char		*text, *clean;
	size_t		 n;
	bool		 is_space = false;

	if (t == NULL || t->value == NULL)
		return (NULL);
	if (!emit_is_html(t->type) && max == SIZE_MAX)
		return (emit_clean(t->value));
	buf_init(&b);
	buf_add(&b, "", 0);
	for (p = t->value; *p != '\0';) {
		if (!emit_is_html(t->type)) {
			if (*p == ' ' || *p == '\t' || *p == '\n' ||
			    *p == '\r') {
				is_space = b.len > 0;
				p++;
				continue;
			}
		} else if (strncmp(p, "<!--", 4) == 0) {
			end = strstr(p + 4, "-->");
			p = end != NULL ? end + 3 : p + strlen(p);
			continue;
		} else if (*p == '<') {
			/* A tag separates words ("a<br>b"). */
			end = strchr(p, '>');
			p = end != NULL ? end + 1 : p + strlen(p);
			is_space = b.len > 0;
			continue;
		} else if (*p == ' ' || *p == '\t' || *p == '\n' ||
		    *p == '\r') {
			is_space = b.len > 0;
			p++;
			continue;
		}
		if (is_space) {
			buf_addc(&b, ' ');
			is_space = false;
		}
		if (emit_is_html(t->type) && *p == '&' &&
		    (n = emit_entity(p, &b)) > 0)
			p += n;
		else
			buf_addc(&b, *p++);
	}
	if (max != SIZE_MAX)
		emit_plain_cut(&b, max);
	text = buf_steal(&b);
	clean = emit_clean(text);
	free(text);
	return (clean);
}

/* Write an element holding cleaned text, if s is set. */
void
emit_element(xmlTextWriterPtr w, const char *name, const char *s)
{
	char	*clean;

	if (s == NULL)
		return;
	clean = emit_clean(s);
	xmlTextWriterWriteElement(w, BAD_CAST name, BAD_CAST clean);
	free(clean);
}

/* Write an attribute holding cleaned text, if s is set. */
void
emit_attribute(xmlTextWriterPtr w, const char *name, const char *s)
{
	char	*clean;

	if (s == NULL)
		return;
	clean = emit_clean(s);
	xmlTextWriterWriteAttribute(w, BAD_CAST name, BAD_CAST clean);
	free(clean);
}

/* Write an RFC 3339 date element. */
static void
emit_date(xmlTextWriterPtr w, const char *name, time_t t)
{
	char	 s[21];

	util_rfc3339(t, s);
	xmlTextWriterWriteElement(w, BAD_CAST name, BAD_CAST s);
}

/* Write <link rel= href= [type=]/>. */
void
emit_link(xmlTextWriterPtr w, const char *rel, const char *type,
    const char *href)
{
	if (href == NULL)
		return;
	xmlTextWriterStartElement(w, BAD_CAST "link");
	emit_attribute(w, "rel", rel);
	emit_attribute(w, "type", type);
	emit_attribute(w, "href", href);
	xmlTextWriterEndElement(w);
}

/*
 * Write a text construct.  HTML and XHTML both go out escaped as
 * type="html": stored XHTML is markup that HTML readers understand, and
 * escaping cannot produce an ill-formed document.
 */
static void
emit_text(xmlTextWriterPtr w, const char *name, const struct feed_text *t)
{
	const char	*type = "text";
	char		*clean;

	if (t->value == NULL)
		return;
	if (emit_is_html(t->type))
		type = "html";
	clean = emit_clean(t->value);
	xmlTextWriterStartElement(w, BAD_CAST name);
	xmlTextWriterWriteAttribute(w, BAD_CAST "type", BAD_CAST type);
	xmlTextWriterWriteString(w, BAD_CAST clean);
	xmlTextWriterEndElement(w);
	free(clean);
}

/* True when s is an absolute IRI (a scheme, then ':', no white space). */
int
emit_is_iri(const char *s)
{
	const char	*p = s;

	if (s == NULL || !((*p >= 'a' && *p <= 'z') ||
	    (*p >= 'A' && *p <= 'Z')))
		return (0);
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
	    (*p >= '0' && *p <= '9') || *p == '+' || *p == '-' || *p == '.')
		p++;
	if (*p != ':' || p[1] == '\0')
		return (0);
	return (strpbrk(s, " \t\r\n<>\"") == NULL);
}

/* Whether s is an absolute http or https URL. */
bool
emit_is_http(const char *s)
{
	return (emit_is_iri(s) && (strncasecmp(s, "http://", 7) == 0 ||
	    strncasecmp(s, "https://", 8) == 0));
}

/*
 * Whether l is an enclosure that goes out: only http(s) ones, so no
 * source can hand readers a javascript: or file: download.
 */
bool
emit_is_enclosure(const struct feed_link *l)
{
	return (l->rel != NULL && strcmp(l->rel, "enclosure") == 0 &&
	    emit_is_http(l->href));
}

/* t when it is a MIME type ("type/subtype", no white space), else NULL. */
const char *
emit_media_type(const char *t)
{
	const char	*slash;

	if (t == NULL || (slash = strchr(t, '/')) == NULL || slash == t ||
	    slash[1] == '\0' || strchr(slash + 1, '/') != NULL ||
	    strpbrk(t, " \t\r\n\"<>") != NULL)
		return (NULL);
	return (t);
}

/* A length in bytes, or -1 when s is not a plain decimal number. */
long long
emit_length(const char *s)
{
	char		*end;
	long long	 n;

	if (s == NULL || *s < '0' || *s > '9')
		return (-1);
	errno = 0;
	n = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return (-1);
	return (n);
}

/*
 * A stable urn:uuid from text, for ids that are not IRIs: RFC 9562
 * version 8 (custom) over the first 16 bytes of SHA-256.
 */
char *
emit_uuid(const char *a, const char *b)
{
	char	*in, hex[65], *id;

	xasprintf(&in, "%s\n%s", a != NULL ? a : "", b != NULL ? b : "");
	util_sha256_hex(in, strlen(in), hex);
	free(in);
	hex[12] = '8';
	hex[16] = "89ab"[(hex[16] >= 'a' ? hex[16] - 'a' + 10 :
	    hex[16] - '0') & 3];
	xasprintf(&id, "urn:uuid:%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8,
	    hex + 12, hex + 16, hex + 20);
	return (id);
}

/*
 * The entry's updated time: its own, else the time we saw its content
 * change, else its published time, else when it was first seen.
 */
time_t
emit_entry_updated(const struct store_item *it)
{
	if (it->e.updated.is_valid)
		return (it->e.updated.utc);
	if (it->changed > it->first_seen)
		return (it->changed);
	if (it->e.published.is_valid)
		return (it->e.published.utc);
	return (it->first_seen);
}

/* Write an atom:source naming the feed the entry came from. */
static void
emit_source(xmlTextWriterPtr w, const struct store_item *it)
{
	xmlTextWriterStartElement(w, BAD_CAST "source");
	emit_element(w, "id", emit_is_iri(it->feed_id) ? it->feed_id :
	    it->feed_url);
	emit_element(w, "title", it->feed_title != NULL ? it->feed_title :
	    it->feed_name);
	if (it->feed_updated != 0)
		emit_date(w, "updated", it->feed_updated);
	emit_link(w, "self", NULL, it->feed_url);
	if (emit_is_iri(it->feed_link))
		emit_link(w, "alternate", "text/html", it->feed_link);
	xmlTextWriterEndElement(w);
}

/*
 * Write an entry's authors, categories and enclosures.  A person
 * construct needs a name: the free-text form or the email stand in.
 */
static void
emit_entry_extras(xmlTextWriterPtr w, const struct feed_entry *e)
{
	const struct feed_person	*a;
	const struct feed_category	*c;
	const struct feed_link		*l;
	long long			 len;
	char				 s[24];
	size_t				 i;

	for (i = 0; i < e->nauthors; i++) {
		a = &e->authors[i];
		xmlTextWriterStartElement(w, BAD_CAST "author");
		emit_element(w, "name", a->name != NULL ? a->name :
		    a->raw != NULL ? a->raw : a->email != NULL ? a->email :
		    "unknown");
		if (a->email != NULL && strchr(a->email, '@') != NULL)
			emit_element(w, "email", a->email);
		if (emit_is_iri(a->uri))
			emit_element(w, "uri", a->uri);
		xmlTextWriterEndElement(w);
	}
	for (i = 0; i < e->ncategories; i++) {
		c = &e->categories[i];
		if (c->term == NULL)
			continue;
		xmlTextWriterStartElement(w, BAD_CAST "category");
		emit_attribute(w, "term", c->term);
		emit_attribute(w, "scheme", c->scheme);
		emit_attribute(w, "label", c->label);
		xmlTextWriterEndElement(w);
	}
	for (i = 0; i < e->nlinks; i++) {
		l = &e->links[i];
		if (!emit_is_enclosure(l))
			continue;
		xmlTextWriterStartElement(w, BAD_CAST "link");
		emit_attribute(w, "rel", "enclosure");
		emit_attribute(w, "type", emit_media_type(l->type));
		if ((len = emit_length(l->length)) >= 0) {
			snprintf(s, sizeof s, "%lld", len);
			emit_attribute(w, "length", s);
		}
		emit_attribute(w, "href", l->href);
		xmlTextWriterEndElement(w);
	}
}

/* Write one entry. */
void
emit_entry(xmlTextWriterPtr w, const struct store_item *it, const char *id)
{
	const struct feed_entry	 *e = &it->e;
	const struct feed_text	 *content = NULL;
	struct feed_text	  title = { .value = NULL };

	xmlTextWriterStartElement(w, BAD_CAST "entry");
	emit_element(w, "id", id);
	/* Titles are plain text: readers such as sfeed ignore type="html". */
	title.value = e->title.value != NULL ? emit_plain(&e->title, SIZE_MAX) :
	    xstrdup("");
	emit_text(w, "title", &title);
	emit_date(w, "updated", emit_entry_updated(it));
	if (e->published.is_valid)
		emit_date(w, "published", e->published.utc);
	emit_entry_extras(w, e);
	if (emit_is_iri(e->link))
		emit_link(w, "alternate", NULL, e->link);
	if (e->ncontent > 0 && e->content[0].value != NULL)
		content = &e->content[0];
	/* RFC 4287 4.1.1: no content and no alternate link is invalid. */
	if (content == NULL && !emit_is_iri(e->link) &&
	    e->summary.value != NULL)
		content = &e->summary;
	else
		emit_text(w, "summary", &e->summary);
	if (content != NULL)
		emit_text(w, "content", content);
	else if (!emit_is_iri(e->link))
		emit_text(w, "content", &title);
	emit_source(w, it);
	xmlTextWriterEndElement(w);
	free(title.value);
}

/*
 * The public URL of an output, for its self link and id: under
 * public_url when set, else under the listen address, else the file.
 */
char *
emit_self_url(const struct config *cfg, const char *file)
{
	char	*url;

	if (cfg->public_url != NULL)
		xasprintf(&url, "%s%s", cfg->public_url, file);
	else if (cfg->listen != NULL)
		xasprintf(&url, "http://%s/%s", cfg->listen, file);
	else
		xasprintf(&url, "file://%s/%s", cfg->output_dir, file);
	return (url);
}

/*
 * Start an Atom document in memory and write the feed's head: a stable
 * id derived from the public URL of id_file, title, updated, self link,
 * an author (so entries without one stay valid) and the generator.
 */
int
emit_feed_start(struct emit_writer *ew, const struct config *cfg,
    const char *file, const char *id_file, const char *title,
    time_t updated, char **cause)
{
	xmlTextWriterPtr	 w;
	char			*self, *id, *id_url, *home;

	memset(ew, 0, sizeof *ew);
	if ((ew->xb = xmlBufferCreate()) == NULL ||
	    (ew->w = xmlNewTextWriterMemory(ew->xb, 0)) == NULL) {
		xasprintf(cause, "emit: cannot create XML writer");
		return (-1);
	}
	w = ew->w;
	self = emit_self_url(cfg, file);
	id_url = emit_self_url(cfg, id_file);
	id = emit_uuid("feedd combined feed", id_url);
	free(id_url);
	xmlTextWriterSetIndent(w, 1);
	xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL);
	xmlTextWriterStartElementNS(w, NULL, BAD_CAST "feed", BAD_CAST ATOM_NS);
	emit_element(w, "id", id);
	emit_element(w, "title", title);
	emit_date(w, "updated", updated);
	emit_link(w, "self", "application/atom+xml", self);
	/* The index page: what readers show as the feed's web site. */
	home = emit_self_url(cfg, "");
	emit_link(w, "alternate", "text/html", home);
	free(home);
	/* WebSub: subscribers find the hub here (W3C WebSub 4). */
	emit_link(w, "hub", NULL, cfg->hub);
	xmlTextWriterStartElement(w, BAD_CAST "author");
	emit_element(w, "name", cfg->output_title);
	xmlTextWriterEndElement(w);
	xmlTextWriterStartElement(w, BAD_CAST "generator");
	emit_attribute(w, "uri", FEEDD_URL);
	emit_attribute(w, "version", FEEDD_VERSION);
	xmlTextWriterWriteString(w, BAD_CAST "feedd");
	xmlTextWriterEndElement(w);
	free(self);
	free(id);
	return (0);
}

/* Finish the document and return a copy of it; the writer is freed. */
char *
emit_feed_end(struct emit_writer *ew, size_t *len, char **cause)
{
	char	*out = NULL;

	if (xmlTextWriterEndDocument(ew->w) < 0) {
		xasprintf(cause, "emit: cannot finish the Atom document");
		goto out;
	}
	xmlFreeTextWriter(ew->w);
	ew->w = NULL;
	*len = (size_t)xmlBufferLength(ew->xb);
	out = xstrndup((const char *)xmlBufferContent(ew->xb), *len);
out:
	emit_writer_free(ew);
	return (out);
}

/* Free what a writer still holds. */
void
emit_writer_free(struct emit_writer *ew)
{
	if (ew->w != NULL)
		xmlFreeTextWriter(ew->w);
	if (ew->xb != NULL)
		xmlBufferFree(ew->xb);
	memset(ew, 0, sizeof *ew);
}

/* Build the combined Atom feed of the newest entries. */
char *
emit_atom(const struct config *cfg, const struct emit_view *view,
    const struct emit_sel *sel, size_t *len, char **cause)
{
	struct emit_writer	 ew;
	char			*out = NULL, *file, *url;
	size_t			 i;

	memset(&ew, 0, sizeof ew);
	xasprintf(&file, "%s.atom", view->base);
	if (emit_feed_start(&ew, cfg, file, file, view->title, sel->updated,
	    cause) != 0) {
		free(file);
		goto out;
	}
	free(file);
	/* RFC 5005 section 4: the newest archive page comes before us. */
	if (view->prev_archive > 0) {
		xasprintf(&file, "archive/%lld.atom",
		    (long long)view->prev_archive);
		url = emit_self_url(cfg, file);
		emit_link(ew.w, "prev-archive", "application/atom+xml", url);
		free(url);
		free(file);
	}
	for (i = 0; i < sel->nitems; i++)
		emit_entry(ew.w, &sel->items[i], sel->ids[i]);
	out = emit_feed_end(&ew, len, cause);
out:
	emit_writer_free(&ew);
	return (out);
}

/* Write one status entry: what is wrong with a feed, since when. */
static void
emit_status_entry(xmlTextWriterPtr w, const struct store_feed_row *row,
    const char *condition, long nentries)
{
	const struct store_feed_state *state = &row->state;
	struct buf	 b;
	char		*id, *title, when[21];

	buf_init(&b);
	buf_addf(&b, "Feed %s is %s.\n", row->name, condition);
	buf_addf(&b, "URL: %s\n", state->url != NULL ? state->url : "-");
	if (state->fetch_url != NULL)
		buf_addf(&b, "Now polled at: %s\n", state->fetch_url);
	if (state->last_status != 0)
		buf_addf(&b, "Last HTTP status: %ld\n", state->last_status);
	if (state->failures > 0)
		buf_addf(&b, "Failed polls in a row: %d\n", state->failures);
	if (state->last_error != NULL)
		buf_addf(&b, "Last error: %s\n", state->last_error);
	if (!state->is_gone && state->next_poll != 0) {
		util_rfc3339(state->next_poll, when);
		buf_addf(&b, "Next poll: %s (%s)\n", when,
		    state->next_reason != NULL ? state->next_reason : "-");
	}
	buf_addf(&b, "Entries stored: %ld\n", nentries);

	id = emit_uuid("feedd status", row->name);
	xasprintf(&title, "%s: %s", row->name, condition);
	xmlTextWriterStartElement(w, BAD_CAST "entry");
	emit_element(w, "id", id);
	emit_element(w, "title", title);
	emit_date(w, "updated", state->state_since);
	emit_element(w, "content", b.data);
	xmlTextWriterEndElement(w);
	free(id);
	free(title);
	buf_clear(&b);
}

/*
 * The status feed: one entry per feed that is failing, moved or gone,
 * updated when its condition changed, so operators see broken sources in
 * the reader they already use.
 */
char *
emit_status_atom(struct store *st, const struct config *cfg, size_t *len,
    char **cause)
{
	struct store_feed_row	*rows = NULL;
	struct emit_writer	 ew;
	const char		*condition;
	char			*title, *out = NULL;
	size_t			 nrows = 0, i;
	time_t			 updated = 0;

	memset(&ew, 0, sizeof ew);
	if (store_list_feeds(st, &rows, &nrows, cause) != 0)
		return (NULL);
	for (i = 0; i < nrows; i++) {
		if (emit_is_trouble(&rows[i].state) &&
		    rows[i].state.state_since > updated)
			updated = rows[i].state.state_since;
	}
	xasprintf(&title, "%s: feed status", cfg->output_title);
	if (emit_feed_start(&ew, cfg, "status.atom", "status.atom", title,
	    updated, cause) != 0)
		goto out;
	for (i = 0; i < nrows; i++) {
		condition = store_feed_condition(&rows[i].state);
		/* Feeds no longer configured are not news any more. */
		if (emit_is_trouble(&rows[i].state) &&
		    config_find_feed(cfg, rows[i].name) != NULL)
			emit_status_entry(ew.w, &rows[i], condition,
			    store_count_feed(st, rows[i].name));
	}
	out = emit_feed_end(&ew, len, cause);
out:
	emit_writer_free(&ew);
	free(title);
	store_feed_rows_free(rows, nrows);
	return (out);
}

/* Whether a feed's condition belongs in the status feed. */
static int
emit_is_trouble(const struct store_feed_state *state)
{
	const char	*c = store_feed_condition(state);

	return (strcmp(c, "failing") == 0 || strcmp(c, "moved") == 0 ||
	    strcmp(c, "gone") == 0);
}
