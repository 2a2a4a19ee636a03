/* SPDX-License-Identifier: ISC */
/*
 * Which entries each combined feed shows.  The views are the main feed,
 * one per tag and one per [output NAME]; a view's entries are read from
 * the store newest first, and each entry read passes through one
 * decision (emit_pick_cb): the output's include and exclude expressions,
 * then the same id or, when collapsing, the same article only once.
 * Filtering happens while reading, before the limit, so an output with a
 * filter still gets max_entries entries when the store has them.
 */
#include <ctype.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "feedd/config.h"
#include "feedd/emit.h"
#include "feedd/store.h"
#include "feedd/util.h"
#include "emit-int.h"

/* What emit_pick_cb keeps while a view's entries are read. */
struct emit_pick {
	const struct config		*cfg;
	const struct emit_filter	*filter;
	struct emit_sel			*sel;
	char				**links; /* canonical links kept */
	size_t				 nlinks;
};

/* What emit_dry_cb counts for one output. */
struct emit_dry_pick {
	const struct emit_filter	*filter;
	time_t				 since;
	struct emit_dry			*dry;
};

static int	 emit_is_tracking(const char *, size_t);
static char	*emit_canonical_link(const char *);
static int	 emit_is_dup(char **, size_t, const char *);
static bool	 emit_pick_cb(const struct store_item *, void *);
static int	 emit_pick(struct store *, const struct store_query *,
		    struct emit_pick *, char **);
static void	 emit_sel_sort(struct emit_sel *);
static int	 emit_item_cmp(const void *, const void *);
static void	 emit_view_feeds(struct emit_view *, const struct config *,
		    const struct config_output *);
static void	 emit_view_add_feed(struct emit_view *, const char *);
static bool	 emit_matches(const regex_t *, const struct store_item *,
		    const char **);
static bool	 emit_matches_text(const regex_t *,
		    const struct feed_text *);
static bool	 emit_dry_keep_cb(const struct store_item *, void *);
static time_t	 emit_since(int64_t);

/* Query parameters that only track the reader, dropped from links. */
static const char *emit_tracking[] = {
	"fbclid", "gclid", "mc_cid", "mc_eid", "msclkid", "yclid"
};

/* Whether a query parameter (name=value) is tracking. */
static int
emit_is_tracking(const char *param, size_t len)
{
	size_t	 i, n;

	if (len >= 4 && strncmp(param, "utm_", 4) == 0)
		return (1);
	for (i = 0; i < nitems(emit_tracking); i++) {
		n = strlen(emit_tracking[i]);
		if (len >= n && strncmp(param, emit_tracking[i], n) == 0 &&
		    (len == n || param[n] == '='))
			return (1);
	}
	return (0);
}

/*
 * The link an article is known by across feeds: host in lower case, no
 * scheme (http and https are the same article), no default port, no
 * trailing slash, no fragment and no tracking parameters (utm_*, ...).
 * NULL when link is not an absolute http(s) URL.  Caller frees.
 */
static char *
emit_canonical_link(const char *link)
{
	CURLU		*u;
	char		*host = NULL, *port = NULL, *path = NULL, *query = NULL;
	char		*out = NULL, *p, *amp;
	struct buf	 b;
	size_t		 len;

	if (link == NULL || (u = curl_url()) == NULL)
		return (NULL);
	buf_init(&b);
	if (curl_url_set(u, CURLUPART_URL, link, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PATH, &path, 0) != CURLUE_OK)
		goto out;
	curl_url_get(u, CURLUPART_PORT, &port, CURLU_NO_DEFAULT_PORT);
	curl_url_get(u, CURLUPART_QUERY, &query, 0);
	for (p = host; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	buf_adds(&b, host);
	if (port != NULL)
		buf_addf(&b, ":%s", port);
	len = strlen(path);
	while (len > 1 && path[len - 1] == '/')
		len--;
	buf_add(&b, path, len);
	for (p = query; p != NULL && *p != '\0'; p = amp) {
		if ((amp = strchr(p, '&')) == NULL)
			amp = p + strlen(p);
		if (!emit_is_tracking(p, (size_t)(amp - p))) {
			buf_addc(&b, strchr(b.data, '?') == NULL ? '?' : '&');
			buf_add(&b, p, (size_t)(amp - p));
		}
		if (*amp == '&')
			amp++;
	}
	out = buf_steal(&b);
out:
	buf_clear(&b);
	curl_free(host);
	curl_free(port);
	curl_free(path);
	curl_free(query);
	curl_url_cleanup(u);
	return (out);
}

/* True when id is among the first n ids. */
static int
emit_is_dup(char **ids, size_t n, const char *id)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (strcmp(ids[i], id) == 0)
			return (1);
	}
	return (0);
}

/* The id an entry carries out: its own if an IRI, else a minted one. */
char *
emit_entry_id(const struct store_item *it)
{
	if (emit_is_iri(it->e.id))
		return (xstrdup(it->e.id));
	return (emit_uuid(it->feed_url, it->key));
}

/* Whether one text construct, as plain text, matches re. */
static bool
emit_matches_text(const regex_t *re, const struct feed_text *t)
{
	char	*plain;
	bool	 is_match;

	if ((plain = emit_plain(t, SIZE_MAX)) == NULL)
		return (false);
	is_match = regexec(re, plain, 0, NULL, 0) == 0;
	free(plain);
	return (is_match);
}

/*
 * Whether re matches the entry's title, content (summary or content, as
 * plain text) or author (name or email); *where says which.
 */
static bool
emit_matches(const regex_t *re, const struct store_item *it,
    const char **where)
{
	const struct feed_entry	*e = &it->e;
	size_t			 i;

	*where = "title";
	if (emit_matches_text(re, &e->title))
		return (true);
	*where = "content";
	if (emit_matches_text(re, &e->summary))
		return (true);
	for (i = 0; i < e->ncontent; i++) {
		if (emit_matches_text(re, &e->content[i]))
			return (true);
	}
	*where = "author";
	for (i = 0; i < e->nauthors; i++) {
		if ((e->authors[i].name != NULL &&
		    regexec(re, e->authors[i].name, 0, NULL, 0) == 0) ||
		    (e->authors[i].email != NULL &&
		    regexec(re, e->authors[i].email, 0, NULL, 0) == 0))
			return (true);
	}
	return (false);
}

/* NULL when f keeps the entry, else why it is dropped. */
const char *
emit_filter_why(const struct emit_filter *f, const struct store_item *it)
{
	const char	*where;

	if (f == NULL)
		return (NULL);
	if (f->has_include && !emit_matches(&f->include, it, &where))
		return ("matches no include");
	if (f->has_exclude && emit_matches(&f->exclude, it, &where)) {
		if (strcmp(where, "title") == 0)
			return ("title matches exclude");
		if (strcmp(where, "content") == 0)
			return ("content matches exclude");
		return ("author matches exclude");
	}
	return (NULL);
}

/*
 * Compile an output's expressions: POSIX extended, case-insensitive when
 * ignore_case is set.  config checked them already, so a failure here is
 * unexpected but still reported, never fatal.
 */
int
emit_filter_init(struct emit_filter *f, const struct config_output *o,
    char **cause)
{
	int	 flags = REG_EXTENDED | REG_NOSUB, rc;
	char	 msg[256];

	memset(f, 0, sizeof *f);
	if (o->is_ignoring_case)
		flags |= REG_ICASE;
	if (o->include != NULL) {
		if ((rc = regcomp(&f->include, o->include, flags)) != 0) {
			regerror(rc, &f->include, msg, sizeof msg);
			goto fail;
		}
		f->has_include = true;
	}
	if (o->exclude != NULL) {
		if ((rc = regcomp(&f->exclude, o->exclude, flags)) != 0) {
			regerror(rc, &f->exclude, msg, sizeof msg);
			goto fail;
		}
		f->has_exclude = true;
	}
	return (0);
fail:
	xasprintf(cause, "emit: output %s: bad regular expression: %s",
	    o->name, msg);
	emit_filter_clear(f);
	return (-1);
}

/* Free what emit_filter_init compiled. */
void
emit_filter_clear(struct emit_filter *f)
{
	if (f->has_include)
		regfree(&f->include);
	if (f->has_exclude)
		regfree(&f->exclude);
	memset(f, 0, sizeof *f);
}

/* Add name to a view's feeds unless it is there. */
static void
emit_view_add_feed(struct emit_view *v, const char *name)
{
	size_t	 i;

	for (i = 0; i < v->nfeeds; i++) {
		if (strcmp(v->feeds[i], name) == 0)
			return;
	}
	v->feeds = xreallocarray(v->feeds, v->nfeeds + 1, sizeof *v->feeds);
	v->feeds[v->nfeeds++] = xstrdup(name);
}

/*
 * The feeds of a named output: those it names and those with a tag it
 * names; neither given means every feed (feeds stays NULL).
 */
static void
emit_view_feeds(struct emit_view *v, const struct config *cfg,
    const struct config_output *o)
{
	const struct config_feed	*f;
	size_t				 i, j, k;

	for (i = 0; i < o->feeds.n; i++)
		emit_view_add_feed(v, o->feeds.names[i]);
	for (i = 0; i < cfg->nfeeds; i++) {
		f = &cfg->feeds[i];
		for (j = 0; j < f->ntags; j++) {
			for (k = 0; k < o->tags.n; k++) {
				if (strcmp(f->tags[j], o->tags.names[k]) == 0)
					emit_view_add_feed(v, f->name);
			}
		}
	}
}

/*
 * The combined feeds to build: the main one, one per tag used in the
 * config (in the order tags first appear), then one per [output NAME].
 * NULL with *cause when an output's filter does not compile.
 */
struct emit_view *
emit_views(const struct config *cfg, size_t *n, char **cause)
{
	struct emit_view		*v, *nv;
	const struct config_feed	*f;
	const struct config_output	*o;
	size_t				 i, j, k;

	v = xcalloc(1 + cfg->noutputs, sizeof *v);
	v[0].base = xstrdup("feed");
	v[0].title = xstrdup(cfg->output_title);
	v[0].description = xstrdup("The newest entries of every feed, "
	    "combined by feedd");
	*n = 1;
	for (i = 0; i < cfg->nfeeds; i++) {
		f = &cfg->feeds[i];
		for (j = 0; j < f->ntags; j++) {
			for (k = 1; k < *n; k++) {
				if (strcmp(v[k].base + 4, f->tags[j]) == 0)
					break;
			}
			if (k < *n)
				continue;
			v = xreallocarray(v, *n + 1 + cfg->noutputs,
			    sizeof *v);
			nv = &v[(*n)++];
			memset(nv, 0, sizeof *nv);
			xasprintf(&nv->base, "tag/%s", f->tags[j]);
			xasprintf(&nv->title, "%s: %s", cfg->output_title,
			    f->tags[j]);
			xasprintf(&nv->description, "The newest entries of "
			    "the feeds tagged %s, combined by feedd",
			    f->tags[j]);
		}
	}
	/* Each tag's feeds. */
	for (k = 1; k < *n; k++) {
		for (i = 0; i < cfg->nfeeds; i++) {
			f = &cfg->feeds[i];
			for (j = 0; j < f->ntags; j++) {
				if (strcmp(f->tags[j], v[k].base + 4) == 0)
					emit_view_add_feed(&v[k], f->name);
			}
		}
	}
	for (k = 0; k < *n; k++) {
		v[k].max = (size_t)cfg->max_entries;
		v[k].max_age = cfg->max_age;
	}
	for (i = 0; i < cfg->noutputs; i++) {
		o = &cfg->outputs[i];
		nv = &v[(*n)++];
		memset(nv, 0, sizeof *nv);
		xasprintf(&nv->base, "out/%s", o->name);
		if (o->title != NULL)
			nv->title = xstrdup(o->title);
		else
			xasprintf(&nv->title, "%s: %s", cfg->output_title,
			    o->name);
		xasprintf(&nv->description, "The entries feedd's output %s "
		    "selects", o->name);
		emit_view_feeds(nv, cfg, o);
		nv->max = (size_t)(o->max_entries > 0 ? o->max_entries :
		    cfg->max_entries);
		nv->max_age = o->max_age;
		if (o->include == NULL && o->exclude == NULL)
			continue;
		nv->filter = xcalloc(1, sizeof *nv->filter);
		if (emit_filter_init(nv->filter, o, cause) != 0) {
			emit_views_free(v, *n);
			return (NULL);
		}
	}
	return (v);
}

/* Free what emit_views made. */
void
emit_views_free(struct emit_view *v, size_t n)
{
	size_t	 i, j;

	for (i = 0; i < n; i++) {
		free(v[i].base);
		free(v[i].title);
		free(v[i].description);
		for (j = 0; j < v[i].nfeeds; j++)
			free(v[i].feeds[j]);
		free(v[i].feeds);
		if (v[i].filter != NULL)
			emit_filter_clear(v[i].filter);
		free(v[i].filter);
	}
	free(v);
}

/*
 * Decide on one entry read for a view: dropped by the filter, or by being
 * the same entry (same id) or, when collapsing, the same article (same
 * canonical link) as one already kept; else kept under its id.
 */
static bool
emit_pick_cb(const struct store_item *it, void *arg)
{
	struct emit_pick	*pk = arg;
	struct emit_sel		*sel = pk->sel;
	char			*id, *link;

	if (emit_filter_why(pk->filter, it) != NULL)
		return (false);
	id = emit_entry_id(it);
	if (emit_is_dup(sel->ids, sel->nitems, id)) {
		free(id);
		return (false);
	}
	link = pk->cfg->is_collapsing ? emit_canonical_link(it->e.link) :
	    NULL;
	if (link != NULL && emit_is_dup(pk->links, pk->nlinks, link)) {
		free(link);
		free(id);
		return (false);
	}
	if (link != NULL) {
		pk->links = xreallocarray(pk->links, pk->nlinks + 1,
		    sizeof *pk->links);
		pk->links[pk->nlinks++] = link;
	}
	/* store_select appends the item at sel->nitems next. */
	sel->ids = xreallocarray(sel->ids, sel->nitems + 1, sizeof *sel->ids);
	sel->ids[sel->nitems] = id;
	return (true);
}

/* Read the entries of q into pk's selection. */
static int
emit_pick(struct store *st, const struct store_query *q,
    struct emit_pick *pk, char **cause)
{
	struct emit_sel	*sel = pk->sel;
	size_t		 i;
	time_t		 t;
	int		 ret;

	ret = store_select(st, q, &sel->items, &sel->nitems, cause);
	for (i = 0; i < sel->nitems; i++) {
		if ((t = emit_entry_updated(&sel->items[i])) > sel->updated)
			sel->updated = t;
	}
	return (ret);
}

/* Order for qsort: newest sort time first, then the last stored first. */
static int
emit_item_cmp(const void *a, const void *b)
{
	const struct store_item	*x, *y;

	x = *(const struct store_item *const *)a;
	y = *(const struct store_item *const *)b;

	if (x->sort_time != y->sort_time)
		return (x->sort_time > y->sort_time ? -1 : 1);
	if (x->rowid != y->rowid)
		return (x->rowid > y->rowid ? -1 : 1);
	return (0);
}

/* Sort a selection newest first, keeping each id with its entry. */
static void
emit_sel_sort(struct emit_sel *sel)
{
	struct store_item	**order, *items;
	char			**ids;
	size_t			 i, k;

	order = xcalloc(sel->nitems, sizeof *order);
	for (i = 0; i < sel->nitems; i++)
		order[i] = &sel->items[i];
	qsort(order, sel->nitems, sizeof *order, emit_item_cmp);
	items = xcalloc(sel->nitems, sizeof *items);
	ids = xcalloc(sel->nitems, sizeof *ids);
	for (i = 0; i < sel->nitems; i++) {
		k = (size_t)(order[i] - sel->items);
		items[i] = sel->items[k];
		ids[i] = sel->ids[k];
	}
	free(sel->items);
	free(sel->ids);
	free(order);
	sel->items = items;
	sel->ids = ids;
}

/* The earliest sort time max_age seconds allow; 0: any. */
static time_t
emit_since(int64_t max_age)
{
	return (max_age > 0 ? time(NULL) - (time_t)max_age : 0);
}

/*
 * The entries a view shows: the newest max that pass its filter, newer
 * than max_age, each once; for the main feed with archives, also every
 * entry no archive page holds yet, so a reader walking the archives
 * misses nothing.
 */
int
emit_select(struct store *st, const struct config *cfg,
    const struct emit_view *view, struct emit_sel *sel, char **cause)
{
	struct emit_view	 main_view;
	struct emit_pick	 pk;
	struct store_query	 q;
	size_t			 i, n;
	int			 ret;

	if (view == NULL) {
		memset(&main_view, 0, sizeof main_view);
		main_view.max = (size_t)cfg->max_entries;
		main_view.max_age = cfg->max_age;
		view = &main_view;
	}
	memset(sel, 0, sizeof *sel);
	memset(&pk, 0, sizeof pk);
	pk.cfg = cfg;
	pk.filter = view->filter;
	pk.sel = sel;
	memset(&q, 0, sizeof q);
	q.feeds = view->feeds;
	q.nfeeds = view->nfeeds;
	q.since = emit_since(view->max_age);
	q.max = view->max;
	q.keep = emit_pick_cb;
	q.arg = &pk;
	ret = emit_pick(st, &q, &pk, cause);
	if (ret == 0 && view->open_rowid > 0) {
		n = sel->nitems;
		q.min_rowid = view->open_rowid;
		q.max = 0;
		ret = emit_pick(st, &q, &pk, cause);
		if (sel->nitems > n)
			emit_sel_sort(sel);
	}
	for (i = 0; i < pk.nlinks; i++)
		free(pk.links[i]);
	free(pk.links);
	return (ret);
}

/* The entries stored with rowids lo to hi (an archive page). */
int
emit_select_rows(struct store *st, const struct config *cfg, int64_t lo,
    int64_t hi, struct emit_sel *sel, char **cause)
{
	struct emit_pick	 pk;
	struct store_query	 q;
	size_t			 i;
	int			 ret;

	memset(sel, 0, sizeof *sel);
	memset(&pk, 0, sizeof pk);
	pk.cfg = cfg;
	pk.sel = sel;
	memset(&q, 0, sizeof q);
	q.min_rowid = lo;
	q.max_rowid = hi;
	q.keep = emit_pick_cb;
	q.arg = &pk;
	ret = emit_pick(st, &q, &pk, cause);
	for (i = 0; i < pk.nlinks; i++)
		free(pk.links[i]);
	free(pk.links);
	return (ret);
}

/* Free what emit_select made. */
void
emit_sel_clear(struct emit_sel *sel)
{
	size_t	 i;

	for (i = 0; i < sel->nitems; i++)
		free(sel->ids[i]);
	free(sel->ids);
	store_items_free(sel->items, sel->nitems);
	memset(sel, 0, sizeof *sel);
}

/* Count one stored entry for check --filters; never keeps it. */
static bool
emit_dry_keep_cb(const struct store_item *it, void *arg)
{
	struct emit_dry_pick	*dp = arg;
	struct emit_dry		*dry = dp->dry;
	const char		*why;

	dry->nentries++;
	if (dp->since != 0 && it->sort_time < dp->since) {
		dry->nold++;
		return (false);
	}
	if ((why = emit_filter_why(dp->filter, it)) == NULL) {
		dry->nkept++;
		return (false);
	}
	if (dry->ndropped < EMIT_DRY_TITLES) {
		dry->titles[dry->ndropped] = xstrdup(it->e.title.value !=
		    NULL ? it->e.title.value : "(untitled)");
		dry->whys[dry->ndropped] = why;
	}
	dry->ndropped++;
	return (false);
}

/*
 * check --filters: run every named output's selection over all stored
 * entries of its feeds, without a limit, and report to cb what it would
 * keep and drop.
 */
int
emit_dry_run(struct store *st, const struct config *cfg, emit_dry_cb cb,
    void *arg, char **cause)
{
	struct emit_view	*views;
	struct emit_dry_pick	 dp;
	struct emit_dry		 dry;
	struct store_query	 q;
	struct store_item	*none = NULL;
	size_t			 nviews, nnone = 0, i, j;
	int			 ret = 0;

	if ((views = emit_views(cfg, &nviews, cause)) == NULL)
		return (-1);
	for (i = nviews - cfg->noutputs; i < nviews && ret == 0; i++) {
		memset(&dry, 0, sizeof dry);
		dry.name = views[i].base + 4;
		dry.has_filter = views[i].filter != NULL;
		dp.filter = views[i].filter;
		dp.since = emit_since(views[i].max_age);
		dp.dry = &dry;
		memset(&q, 0, sizeof q);
		q.feeds = views[i].feeds;
		q.nfeeds = views[i].nfeeds;
		q.keep = emit_dry_keep_cb;
		q.arg = &dp;
		ret = store_select(st, &q, &none, &nnone, cause);
		if (ret == 0)
			cb(&dry, arg);
		for (j = 0; j < EMIT_DRY_TITLES; j++)
			free(dry.titles[j]);
	}
	emit_views_free(views, nviews);
	return (ret);
}
