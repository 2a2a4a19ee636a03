/* SPDX-License-Identifier: ISC */
/*
 * Declarations shared by main.c and main-verbs.c and nothing else.
 */
#ifndef FEEDD_MAIN_INT_H
#define FEEDD_MAIN_INT_H

#include <stdio.h>

/* Print the usage summary to f. */
void	main_usage(FILE *f);

/* Each returns the process exit status. */
int	main_check(const char *path);
int	main_check_filters(const char *path);
int	main_status(const char *path);
int	main_parse(int argc, char **argv);
int	main_entries(const char *path, const char *feed, long limit,
	    int is_json);
int	main_prune_removed(const char *path);
int	main_opml_export(const char *path);

#endif
