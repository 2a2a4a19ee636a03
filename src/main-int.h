/* SPDX-License-Identifier: ISC */
/*
 * Declarations shared by main.c and main-verbs.c and nothing else.
 */
#ifndef FEEDD_MAIN_INT_H
#define FEEDD_MAIN_INT_H

#include <stdio.h>

#include "feedd/util.h"

struct config;
struct http_options;
struct metrics;
struct metrics_poll;
struct store;

/* Print the usage summary to f. */
void	main_usage(FILE *f);

/* Log each line of config_load's cause as an error line of its own. */
void	main_log_problems(const char *cause);

/* Each returns the process exit status. */
int	main_check(const char *path);
int	main_check_filters(const char *path);
int	main_status(const char *path);
int	main_parse(int argc, char **argv);
int	main_entries(const char *path, const char *feed, long limit,
	    int is_json);
int	main_prune_removed(const char *path);
int	main_opml_export(const char *path);
int	main_opml_import(int argc, char **argv);

/* main-serve.c: what the HTTP server gets. */
void	main_http_options(const struct config *, struct http_options *);
void	main_polled_cb(const struct metrics_poll *, void *arg);
void	main_render_metrics(const struct config *, struct store *,
	    const struct metrics *, struct buf *);

#endif
