/* SPDX-License-Identifier: ISC */
/*
 * timeit: run one command and print, to the file named by -o (or stderr),
 *
 *	wall user sys maxrss_kib
 *
 * with wall from CLOCK_MONOTONIC around fork..wait4 and user, sys,
 * maxrss from wait4's rusage (the command and the descendants it waited
 * for), all in microsecond resolution; /usr/bin/time prints hundredths.
 * Exits with the command's status.  Built by bench/parse-bench.sh.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double
timeit_tv(struct timeval tv)
{
	return ((double)tv.tv_sec + (double)tv.tv_usec / 1e6);
}

int
main(int argc, char **argv)
{
	struct timespec	 t0, t1;
	struct rusage	 ru;
	FILE		*out = stderr;
	pid_t		 pid;
	int		 status;

	if (argc > 2 && strcmp(argv[1], "-o") == 0) {
		if ((out = fopen(argv[2], "w")) == NULL) {
			perror(argv[2]);
			return (125);
		}
		argv += 2;
		argc -= 2;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: timeit [-o FILE] command [arg...]\n");
		return (125);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((pid = fork()) == -1) {
		perror("fork");
		return (125);
	}
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		fprintf(stderr, "timeit: %s: %s\n", argv[1], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) == -1) {
		if (errno != EINTR) {
			perror("wait4");
			return (125);
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fprintf(out, "%.6f %.6f %.6f %ld\n", (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, timeit_tv(ru.ru_utime),
	    timeit_tv(ru.ru_stime), ru.ru_maxrss);
	if (out != stderr)
		fclose(out);
	if (WIFEXITED(status))
		return (WEXITSTATUS(status));
	return (128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0));
}
