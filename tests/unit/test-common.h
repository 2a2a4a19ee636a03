/* SPDX-License-Identifier: ISC */
/*
 * Helpers the unit tests share: finding and reading fixtures, checking a
 * table of expected strings, and finding the threads a module started.
 * Included after cmocka.h.
 */
#ifndef FEEDD_TEST_COMMON_H
#define FEEDD_TEST_COMMON_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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

/* A thread's name and nice value from /proc; -1 if it is gone. */
static __attribute__((unused)) int
test_thread_stat(const char *tid, char *name, size_t size, long *nice)
{
	char	 path[64], stat[1024], *p, *end;
	FILE	*f;
	size_t	 len;
	int	 field;

	snprintf(path, sizeof path, "/proc/self/task/%s/comm", tid);
	if ((f = fopen(path, "r")) == NULL)
		return (-1);
	if (fgets(name, (int)size, f) == NULL)
		*name = '\0';
	name[strcspn(name, "\n")] = '\0';
	fclose(f);
	snprintf(path, sizeof path, "/proc/self/task/%s/stat", tid);
	if ((f = fopen(path, "r")) == NULL)
		return (-1);
	len = fread(stat, 1, sizeof stat - 1, f);
	fclose(f);
	stat[len] = '\0';
	/* The name may hold spaces: fields count from the last ')'. */
	if ((p = strrchr(stat, ')')) == NULL)
		return (-1);
	for (field = 2; field < 19 && p != NULL; field++)
		p = strchr(p + 1, ' ');
	if (p == NULL)
		return (-1);
	*nice = strtol(p + 1, &end, 10);
	return (0);
}

/*
 * Wait (up to ten seconds) until want threads are named name, and check
 * that each runs UTIL_BACKGROUND_NICE nicer than the calling thread.
 */
static __attribute__((unused)) void
test_background_threads(const char *name, int want)
{
	struct timespec	 tick = { 0, 10 * 1000 * 1000 };
	struct dirent	*d;
	DIR		*dir;
	char		 self[32], got[64];
	long		 nice, own, want_nice;
	int		 n = 0, i;

	snprintf(self, sizeof self, "%ld", (long)gettid());
	assert_int_equal(test_thread_stat(self, got, sizeof got, &own), 0);
	/* Linux caps nice at 19, as for a suite run under nice(1). */
	want_nice = own + UTIL_BACKGROUND_NICE > 19 ? 19 :
	    own + UTIL_BACKGROUND_NICE;
	for (i = 0; i < 1000; i++) {
		assert_non_null(dir = opendir("/proc/self/task"));
		n = 0;
		while ((d = readdir(dir)) != NULL) {
			if (*d->d_name == '.' || test_thread_stat(d->d_name,
			    got, sizeof got, &nice) != 0 ||
			    strcmp(got, name) != 0)
				continue;
			if (nice != want_nice)
				fail_msg("thread %s (%s) runs at nice %ld, "
				    "not %ld", d->d_name, name, nice,
				    want_nice);
			n++;
		}
		closedir(dir);
		if (n >= want)
			break;
		nanosleep(&tick, NULL);
	}
	assert_int_equal(n, want);
}

#endif
