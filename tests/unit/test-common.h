/* SPDX-License-Identifier: ISC */
/*
 * Helpers the parser's unit tests share: finding and reading fixtures,
 * and checking a table of expected strings.  Included after cmocka.h.
 */
#ifndef FEEDD_TEST_COMMON_H
#define FEEDD_TEST_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feedd/util.h"

/* One expected string: what it is, what came out, what should have. */
struct test_expect {
	const char	*what;
	const char	*got;
	const char	*want;	/* NULL: must be absent */
};

/* env/dir/name, with env a directory ctest sets; fails if it is not set. */
static __attribute__((unused)) char *
test_path(const char *env, const char *dir, const char *name)
{
	const char	*root = getenv(env);
	char		*path;

	if (root == NULL || *root == '\0')
		fail_msg("%s is not set (run through ctest)", env);
	xasprintf(&path, "%s/%s/%s", root, dir, name);
	return (path);
}

/* Read a whole file; fails the test if it cannot. */
static __attribute__((unused)) char *
test_read(const char *path, size_t *len)
{
	FILE		*f;
	struct buf	 b;
	char		 tmp[4096];
	size_t		 n;

	f = fopen(path, "rb");
	if (f == NULL)
		fail_msg("cannot open %s", path);
	buf_init(&b);
	while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
		buf_add(&b, tmp, n);
	fclose(f);
	*len = b.len;
	if (b.data == NULL)
		return (xstrdup(""));
	return (buf_steal(&b));
}

/* Check a table of expected strings, naming the first mismatch. */
static __attribute__((unused)) void
test_check(const struct test_expect *x, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (x[i].want == NULL) {
			if (x[i].got != NULL)
				fail_msg("%s: got \"%s\", want absent",
				    x[i].what, x[i].got);
			continue;
		}
		if (x[i].got == NULL)
			fail_msg("%s: absent, want \"%s\"", x[i].what,
			    x[i].want);
		if (strcmp(x[i].got, x[i].want) != 0)
			fail_msg("%s: got \"%s\", want \"%s\"", x[i].what,
			    x[i].got, x[i].want);
	}
}

#endif
