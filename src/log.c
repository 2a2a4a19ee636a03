/* SPDX-License-Identifier: ISC */
/*
 * The one place that writes log lines: stderr, one line per message,
 * prefixed with the journald priority so systemd files each line at the
 * right level.  Control characters are escaped as \n, \t or \xNN so text
 * from feeds and servers cannot break or forge lines.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feedd/log.h"
#include "feedd/util.h"

static enum log_level	log_level = LOG_LEVEL_INFO;
static int		log_is_prefixed = 1;

static void	log_vwrite(enum log_level, const char *, va_list)
		    __attribute__((format(printf, 2, 0)));

/* Set the level and whether lines carry a priority prefix. */
void
log_open(enum log_level level, int is_prefixed)
{
	log_level = level;
	log_is_prefixed = is_prefixed;
}

/* Change the level (SIGUSR2 toggles debug). */
void
log_set_level(enum log_level level)
{
	log_level = level;
}

/* The current level. */
enum log_level
log_get_level(void)
{
	return (log_level);
}

/* Format, escape and write one line if level is enabled. */
static void
log_vwrite(enum log_level level, const char *fmt, va_list ap)
{
	struct buf	 out;
	char		*msg;
	const unsigned char *p;

	if (level > log_level)
		return;
	if (vasprintf(&msg, fmt, ap) < 0)
		return;
	buf_init(&out);
	if (log_is_prefixed)
		buf_addf(&out, "<%d>", (int)level);
	for (p = (const unsigned char *)msg; *p != '\0'; p++) {
		if (*p == '\n')
			buf_adds(&out, "\\n");
		else if (*p == '\t')
			buf_adds(&out, "\\t");
		else if (*p < 0x20 || *p == 0x7f)
			buf_addf(&out, "\\x%02x", *p);
		else
			buf_addc(&out, (char)*p);
	}
	buf_addc(&out, '\n');
	fwrite(out.data, 1, out.len, stderr);
	fflush(stderr);
	buf_clear(&out);
	free(msg);
}

#define LOG_FUNC(name, level)					\
void								\
name(const char *fmt, ...)					\
{								\
	va_list	 ap;						\
								\
	va_start(ap, fmt);					\
	log_vwrite(level, fmt, ap);				\
	va_end(ap);						\
}

LOG_FUNC(log_err, LOG_LEVEL_ERR)
LOG_FUNC(log_warn, LOG_LEVEL_WARN)
LOG_FUNC(log_notice, LOG_LEVEL_NOTICE)
LOG_FUNC(log_info, LOG_LEVEL_INFO)
LOG_FUNC(log_debug, LOG_LEVEL_DEBUG)

/* Log with strerror(errno) and exit. */
void
fatal(const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;
	int	 saved = errno;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	log_err("fatal: %s: %s", msg != NULL ? msg : fmt, strerror(saved));
	exit(1);
}

/* Log and exit. */
void
fatalx(const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	log_err("fatal: %s", msg != NULL ? msg : fmt);
	exit(1);
}
