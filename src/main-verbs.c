/* SPDX-License-Identifier: ISC */
/*
 * The verbs that do their work and exit without the event loop: check,
 * status, entries, prune, parse, opml export and opml import.  Each reads
 * the config (or a feed or OPML file), does one thing and prints the
 * result.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <jansson.h>

#include "feedd/config.h"
#include "feedd/emit.h"
#include "feedd/log.h"
#include "feedd/opml.h"
#include "feedd/parse.h"
#include "feedd/store.h"
#include "feedd/util.h"
#include "main-int.h"

/* Entries deleted per transaction by prune --removed. */
#define MAIN_PRUNE_BATCH 500

/*
 * feedd parse's entries, rendered as each is parsed and kept in a
 * temporary file until the feed-level fields (which come first in the
 * output but may come last in the feed) are known.
 */
struct main_spool {
	FILE	*f;
	size_t	 nentries;
	bool	 has_failed;	/* a write failed */
};

static const char *main_time(time_t, char[21]);
static void	main_status_row(const char *, const char *, const char *,
		    const struct store_feed_state *, long);
static int	main_parse_header(char *, struct parse_options *);
static void	main_parse_entry_cb(struct feed_entry *, void *);
static int	main_parse_print(const struct feed_doc *, struct main_spool *);
static void	main_entry_json(const struct store_item *);
static void	main_entry_line(const struct store_item *);
static void	main_check_note(const struct config *,
		    const struct store_feed_row *);
static void	main_json_date(json_t *, const char *,
		    const struct feed_date *);
static void	main_json_str(json_t *, const char *, const char *);
static void	main_dry_cb(const struct emit_dry *, void *);

/*
 * Log config_load's problems, one log line each: the log escapes
 * newlines, so one call would run them together.
 */
void
main_log_problems(const char *cause)
{
	const char	*p, *nl;

	for (p = cause; *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL) {
			log_err("%s", p);
			break;
		}
		log_err("%.*s", (int)(nl - p), p);
	}
}

/*
 * feedd check: load the config and say what is wrong with it; with a
 * database already there, also which feeds are polled elsewhere than
 * configured (a web page that named its feed, a permanent move).
 */
int
main_check(const char *path)
{
	struct config		*cfg;
	struct store		*st;
	struct store_feed_row	*rows = NULL;
	size_t			 nrows = 0, i;
	char			*cause = NULL;

	if ((cfg = config_load(path, &cause)) == NULL) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
		return (1);
	}
	printf("%s: ok, %zu feeds\n", path, cfg->nfeeds);
	if (access(cfg->database, F_OK) == 0 &&
	    (st = store_open(cfg->database, &cause)) != NULL) {
		if (store_list_feeds(st, &rows, &nrows, &cause) == 0) {
			for (i = 0; i < nrows; i++)
				main_check_note(cfg, &rows[i]);
		}
		store_feed_rows_free(rows, nrows);
		store_close(st);
	}
	if (cause != NULL)
		fprintf(stderr, "%s\n", cause);
	free(cause);
	config_free(cfg);
	return (0);
}

/* Print what one named output's filters would keep and drop. */
static void
main_dry_cb(const struct emit_dry *dry, void *arg)
{
	size_t	 i;

	(void)arg;
	printf("output %s: %zu entries stored: %zu kept", dry->name,
	    dry->nentries, dry->nkept);
	if (dry->has_filter)
		printf(", %zu dropped by include/exclude", dry->ndropped);
	else
		printf(" (no include or exclude)");
	if (dry->nold > 0)
		printf(", %zu older than max_age", dry->nold);
	printf("\n");
	for (i = 0; i < dry->ndropped && i < EMIT_DRY_TITLES; i++)
		printf("    dropped: %s (%s)\n", dry->titles[i], dry->whys[i]);
	if (dry->ndropped > EMIT_DRY_TITLES)
		printf("    ... and %zu more\n",
		    dry->ndropped - EMIT_DRY_TITLES);
}

/*
 * feedd check --filters: check the config, then dry-run every named
 * output's filters against the stored entries, so a wrong regular
 * expression is seen before it hides anything.
 */
int
main_check_filters(const char *path)
{
	struct config	*cfg = NULL;
	struct store	*st = NULL;
	char		*cause = NULL;
	int		 ret;

	if ((ret = main_check(path)) != 0)
		return (ret);
	if ((cfg = config_load(path, &cause)) == NULL)
		goto fail;
	if (cfg->noutputs == 0) {
		printf("no [output NAME] sections: no filters to try\n");
		goto out;
	}
	if (access(cfg->database, F_OK) != 0) {
		printf("no database at %s yet: no entries to try the filters "
		    "on\n", cfg->database);
		goto out;
	}
	if ((st = store_open(cfg->database, &cause)) == NULL ||
	    emit_dry_run(st, cfg, main_dry_cb, NULL, &cause) != 0)
		goto fail;
	goto out;
fail:
	fprintf(stderr, "%s\n", cause);
	ret = 1;
out:
	free(cause);
	store_close(st);
	config_free(cfg);
	return (ret);
}

/* Say where a configured feed is really polled, if elsewhere. */
static void
main_check_note(const struct config *cfg, const struct store_feed_row *row)
{
	const struct config_feed	*cf;
	const struct store_feed_state	*state = &row->state;

	if ((cf = config_find_feed(cfg, row->name)) == NULL ||
	    state->fetch_url == NULL || state->url == NULL ||
	    strcmp(state->url, cf->url) != 0)
		return;
	if (state->is_discovered)
		printf("feed %s: %s is a web page; feedd polls the feed it "
		    "names, %s\n", row->name, cf->url, state->fetch_url);
	else
		printf("feed %s: moved permanently; feedd polls %s\n",
		    row->name, state->fetch_url);
}

/* Format a time for the status table: RFC 3339 UTC, or "-" for none. */
static const char *
main_time(time_t t, char out[21])
{
	if (t == 0)
		return ("-");
	util_rfc3339(t, out);
	return (out);
}

/* Print one line of the status table, and its URL and error below it. */
static void
main_status_row(const char *name, const char *url, const char *condition,
    const struct store_feed_state *state, long nentries)
{
	char	 last[21], next[21];

	printf("%-16s %-8s %-20s %4ld  %-20s %-22s %5d %7ld\n", name,
	    condition, main_time(state->last_attempt, last),
	    state->last_status, state->is_gone ? "-" :
	    main_time(state->next_poll, next), state->next_reason != NULL ?
	    state->next_reason : "-", state->failures, nentries);
	printf("    %s\n", url);
	if (state->fetch_url != NULL)
		printf("    moved to %s\n", state->fetch_url);
	if (state->last_error != NULL && state->failures + state->is_gone > 0)
		printf("    error: %s\n", state->last_error);
}

/*
 * feedd status: each configured feed's poll state from the database, and
 * feeds still stored but no longer configured.
 */
int
main_status(const char *path)
{
	static const struct store_feed_state none;
	struct config		*cfg;
	struct store		*st = NULL;
	struct store_feed_row	*rows = NULL;
	const struct store_feed_row *row;
	size_t			 nrows = 0, i, j;
	char			*cause = NULL;
	int			 ret = 1;

	if ((cfg = config_load(path, &cause)) == NULL) {
		fprintf(stderr, "%s\n", cause);
		goto out;
	}
	if ((st = store_open(cfg->database, &cause)) == NULL ||
	    store_list_feeds(st, &rows, &nrows, &cause) != 0) {
		fprintf(stderr, "%s\n", cause);
		goto out;
	}
	printf("%-16s %-8s %-20s %4s  %-20s %-22s %5s %7s\n", "FEED", "STATE",
	    "LAST POLL", "HTTP", "NEXT POLL", "BECAUSE", "FAILS", "ENTRIES");
	for (i = 0; i < cfg->nfeeds; i++) {
		row = store_feed_row_find(rows, nrows, cfg->feeds[i].name);
		main_status_row(cfg->feeds[i].name, cfg->feeds[i].url,
		    store_feed_condition(row != NULL ? &row->state : &none),
		    row != NULL ? &row->state : &none,
		    store_count_feed(st, cfg->feeds[i].name));
	}
	for (j = 0; j < nrows; j++) {
		if (config_find_feed(cfg, rows[j].name) == NULL)
			main_status_row(rows[j].name, rows[j].state.url != NULL ?
			    rows[j].state.url : "-", "removed",
			    &rows[j].state, store_count_feed(st, rows[j].name));
	}
	ret = 0;
out:
	free(cause);
	store_feed_rows_free(rows, nrows);
	store_close(st);
	config_free(cfg);
	return (ret);
}

/* Read a "Name: value" header into the parse options it matters to. */
static int
main_parse_header(char *h, struct parse_options *po)
{
	char	*value;

	if ((value = strchr(h, ':')) == NULL)
		return (-1);
	*value++ = '\0';
	value = util_trim(value);
	h = util_trim(h);
	if (strcasecmp(h, "Content-Type") == 0)
		po->content_type = value;
	else if (strcasecmp(h, "Content-Location") == 0)
		po->content_location = value;
	else if (strcasecmp(h, "Content-Language") == 0)
		po->content_language = value;
	return (0);
}

/* Entry callback of feedd parse: render the entry into the spool. */
static void
main_parse_entry_cb(struct feed_entry *e, void *arg)
{
	struct main_spool	*sp = arg;
	char			*s;

	s = parse_entry_json(e, sp->nentries++);
	if (fputs(s, sp->f) == EOF)
		sp->has_failed = true;
	free(s);
}

/*
 * Print doc as JSON: its head, the entries from the spool (if any, else
 * those in doc) and the tail, the bytes parse_doc_json would give.
 */
static int
main_parse_print(const struct feed_doc *doc, struct main_spool *sp)
{
	char	*s, chunk[65536];
	size_t	 i, n, nentries = doc->nentries;

	s = parse_doc_json_head(doc);
	fputs(s, stdout);
	free(s);
	if (sp->f != NULL) {
		nentries = sp->nentries;
		if (fflush(sp->f) == EOF || sp->has_failed ||
		    fseek(sp->f, 0, SEEK_SET) != 0)
			return (-1);
		while ((n = fread(chunk, 1, sizeof chunk, sp->f)) > 0)
			fwrite(chunk, 1, n, stdout);
		if (ferror(sp->f))
			return (-1);
	}
	for (i = 0; i < doc->nentries; i++) {
		s = parse_entry_json(&doc->entries[i], i);
		fputs(s, stdout);
		free(s);
	}
	printf("%s\n", parse_doc_json_tail(nentries));
	return (0);
}

/*
 * feedd parse: one document from a file or stdin, printed as JSON.  The
 * entries are streamed to a temporary file as they are parsed, so that
 * memory does not grow with the feed (without one, they are collected).
 */
int
main_parse(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "url", required_argument, NULL, 'u' },
		{ "header", required_argument, NULL, 'H' },
		{ NULL, 0, NULL, 0 }
	};
	struct parse_options	 po;
	struct parse_ctx	*ctx;
	struct feed_doc		*doc;
	struct main_spool	 sp;
	FILE			*f;
	char			 chunk[65536];
	size_t			 n;
	int			 ch, ret = 0;

	memset(&po, 0, sizeof po);
	while ((ch = getopt_long(argc, argv, "u:H:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'u':
			po.url = optarg;
			break;
		case 'H':
			if (main_parse_header(optarg, &po) != 0) {
				fprintf(stderr, "feedd: bad header: %s\n",
				    optarg);
				return (2);
			}
			break;
		default:
			main_usage(stderr);
			return (2);
		}
	}
	if (optind + 1 != argc) {
		main_usage(stderr);
		return (2);
	}
	if (strcmp(argv[optind], "-") == 0)
		f = stdin;
	else if ((f = fopen(argv[optind], "rb")) == NULL) {
		fprintf(stderr, "feedd: %s: %s\n", argv[optind],
		    strerror(errno));
		return (1);
	}
	memset(&sp, 0, sizeof sp);
	if ((sp.f = tmpfile()) != NULL) {
		po.entry_cb = main_parse_entry_cb;
		po.entry_arg = &sp;
	}
	ctx = parse_new(&po);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		parse_push(ctx, chunk, n);
	if (ferror(f)) {
		fprintf(stderr, "feedd: %s: read error\n", argv[optind]);
		parse_free(ctx);
		ret = 1;
		goto out;
	}
	doc = parse_finish(ctx);
	parse_free(ctx);
	if (main_parse_print(doc, &sp) != 0) {
		fprintf(stderr, "feedd: temporary file: %s\n",
		    strerror(errno));
		ret = 1;
	}
	feed_doc_free(doc);
out:
	if (sp.f != NULL)
		fclose(sp.f);
	if (f != stdin)
		fclose(f);
	return (ret);
}

/* Set key to an RFC 3339 date, or null when there is none. */
static void
main_json_date(json_t *obj, const char *key, const struct feed_date *d)
{
	char	 s[21];

	if (d->is_valid) {
		util_rfc3339(d->utc, s);
		json_object_set_new(obj, key, json_string(s));
	} else
		json_object_set_new(obj, key, json_null());
}

/* Set key to a string, or null. */
static void
main_json_str(json_t *obj, const char *key, const char *s)
{
	json_object_set_new(obj, key, s != NULL ? json_string(s) :
	    json_null());
}

/* One stored entry as one line of JSON. */
static void
main_entry_json(const struct store_item *it)
{
	json_t	*obj = json_object();
	char	*line, first[21];

	util_rfc3339(it->first_seen, first);
	main_json_str(obj, "feed", it->feed_name);
	main_json_str(obj, "key", it->key);
	main_json_str(obj, "id", it->e.id);
	main_json_str(obj, "title", it->e.title.value);
	main_json_str(obj, "link", it->e.link);
	main_json_date(obj, "published", &it->e.published);
	main_json_date(obj, "updated", &it->e.updated);
	json_object_set_new(obj, "first_seen", json_string(first));
	if ((line = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER)) !=
	    NULL) {
		printf("%s\n", line);
		free(line);
	}
	json_decref(obj);
}

/* One stored entry as one line of text: when, feed, title, link. */
static void
main_entry_line(const struct store_item *it)
{
	char	 first[21];

	util_rfc3339(it->first_seen, first);
	printf("%s  %-16s %s\n", first, it->feed_name,
	    it->e.title.value != NULL ? it->e.title.value : "(untitled)");
	if (it->e.link != NULL)
		printf("    %s\n", it->e.link);
}

/*
 * feedd entries: stored entries, newest first, of one feed or of all;
 * with is_json, one JSON object per line.
 */
int
main_entries(const char *path, const char *feed, long limit, int is_json)
{
	struct config		*cfg;
	struct store		*st = NULL;
	struct store_item	*items = NULL;
	size_t			 nitems = 0, i;
	char			*cause = NULL;
	int			 ret = 1;

	if ((cfg = config_load(path, &cause)) == NULL ||
	    (st = store_open(cfg->database, &cause)) == NULL ||
	    store_newest(st, feed, limit > 0 ? (size_t)limit : SIZE_MAX,
	    &items, &nitems, &cause) != 0) {
		fprintf(stderr, "%s\n", cause);
		goto out;
	}
	for (i = 0; i < nitems; i++) {
		if (is_json)
			main_entry_json(&items[i]);
		else
			main_entry_line(&items[i]);
	}
	ret = 0;
out:
	free(cause);
	store_items_free(items, nitems);
	store_close(st);
	config_free(cfg);
	return (ret);
}

/*
 * feedd prune --removed: delete the entries and state of feeds that are
 * stored but no longer in the config, in short transactions.
 */
int
main_prune_removed(const char *path)
{
	struct config		*cfg;
	struct store		*st = NULL;
	struct store_feed_row	*rows = NULL;
	size_t			 nrows = 0, i;
	long			 n, total;
	char			*cause = NULL;
	int			 ret = 1;

	if ((cfg = config_load(path, &cause)) == NULL ||
	    (st = store_open(cfg->database, &cause)) == NULL ||
	    store_list_feeds(st, &rows, &nrows, &cause) != 0)
		goto fail;
	for (i = 0; i < nrows; i++) {
		if (config_find_feed(cfg, rows[i].name) != NULL)
			continue;
		total = 0;
		while ((n = store_prune_feed(st, rows[i].name,
		    MAIN_PRUNE_BATCH, &cause)) > 0)
			total += n;
		if (n < 0)
			goto fail;
		printf("removed feed %s: %ld entries deleted\n", rows[i].name,
		    total);
	}
	ret = 0;
	goto out;
fail:
	fprintf(stderr, "%s\n", cause);
out:
	free(cause);
	store_feed_rows_free(rows, nrows);
	store_close(st);
	config_free(cfg);
	return (ret);
}

/* feedd opml export: the subscription list as OPML 2.0 on stdout. */
int
main_opml_export(const char *path)
{
	struct config	*cfg;
	struct store	*st = NULL;
	char		*cause = NULL, *opml = NULL;
	size_t		 len;
	int		 ret = 1;

	if ((cfg = config_load(path, &cause)) == NULL ||
	    (st = store_open(cfg->database, &cause)) == NULL ||
	    (opml = emit_opml(st, cfg, &len, &cause)) == NULL) {
		fprintf(stderr, "%s\n", cause);
		goto out;
	}
	fwrite(opml, 1, len, stdout);
	ret = 0;
out:
	free(opml);
	free(cause);
	store_close(st);
	config_free(cfg);
	return (ret);
}

/*
 * feedd opml import FILE: an OPML subscription list as [feed NAME]
 * sections on stdout, for a feeds.d file; outlines skipped are said on
 * stderr.
 */
int
main_opml_import(int argc, char **argv)
{
	struct opml_list	*list;
	char			*cause = NULL, *text;
	size_t			 i;

	if (argc != 2 || (argv[1][0] == '-' && argv[1][1] != '\0')) {
		main_usage(stderr);
		return (2);
	}
	if ((list = opml_read(argv[1], &cause)) == NULL) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
		return (1);
	}
	for (i = 0; i < list->nwarnings; i++)
		fprintf(stderr, "%s\n", list->warnings[i]);
	text = opml_config(list, argv[1]);
	fputs(text, stdout);
	free(text);
	opml_list_free(list);
	return (fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1);
}
