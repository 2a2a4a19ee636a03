/* SPDX-License-Identifier: ISC */
/*
 * The one place that writes log lines: stderr, one line per message.
 * Under systemd (stderr is the journal stream named by JOURNAL_STREAM)
 * each line starts with its journald priority, "<4>", so the journal
 * files it at the right level and adds its own time; anywhere else a
 * line starts with a UTC timestamp and the level's name.  Lines can be
 * copied to syslog as well.  Control characters are escaped as \n, \t
 * or \xNN so text from feeds and servers cannot break or forge lines.
 */
#include <sys/stat.h>

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "feedd/log.h"
#include "feedd/util.h"

static enum log_level	log_level = LOG_LEVEL_INFO;
static int		log_is_journal;
static int		log_is_syslog;

/* Level names for the plain form, by priority (3 to 7). */
static const char *const log_names[] = {
	"error", "warning", "notice", "info", "debug"
};

static void	log_vwrite(enum log_level, const char *, va_list)
		    __attribute__((format(printf, 2, 0)));
static int	log_stderr_is_journal(void);
static void	log_escape(struct buf *, const char *);

/*
 * Whether stderr is connected to the journal: systemd sets JOURNAL_STREAM
 * to the device and inode of the stream it passed, and a match means
 * stderr was not redirected since (sd_journal_stream_fd(3)).
 */
static int
log_stderr_is_journal(void)
{
	struct stat	 sb;
	const char	*env;
	uintmax_t	 dev, ino;
	char		 end;

	if ((env = getenv("JOURNAL_STREAM")) == NULL)
		return (0);
	if (sscanf(env, "%ju:%ju%c", &dev, &ino, &end) != 2)
		return (0);
	if (fstat(STDERR_FILENO, &sb) != 0)
		return (0);
	return ((uintmax_t)sb.st_dev == dev && (uintmax_t)sb.st_ino == ino);
}

/* Set the level and choose the form of lines for where stderr goes. */
void
log_open(enum log_level level)
{
	log_level = level;
	log_is_journal = log_stderr_is_journal();
}

/* Copy every line to syslog (facility daemon) as well, or stop. */
void
log_set_syslog(int is_syslog)
{
	if (is_syslog && !log_is_syslog)
		openlog("feedd", LOG_PID | LOG_NDELAY, LOG_DAEMON);
	else if (!is_syslog && log_is_syslog)
		closelog();
	log_is_syslog = is_syslog;
}

/* Change the level (config, -v, SIGUSR2). */
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

/* The name of a level, "warning" for LOG_LEVEL_WARN. */
const char *
log_level_name(enum log_level level)
{
	if (level < LOG_LEVEL_ERR || level > LOG_LEVEL_DEBUG)
		return ("unknown");
	return (log_names[level - LOG_LEVEL_ERR]);
}

/* Append msg to out with control characters escaped. */
static void
log_escape(struct buf *out, const char *msg)
{
	const unsigned char *p;

	for (p = (const unsigned char *)msg; *p != '\0'; p++) {
		if (*p == '\n')
			buf_adds(out, "\\n");
		else if (*p == '\t')
			buf_adds(out, "\\t");
		else if (*p < 0x20 || *p == 0x7f)
			buf_addf(out, "\\x%02x", *p);
		else
			buf_addc(out, (char)*p);
	}
}

/* Format, escape and write one line if level is enabled. */
static void
log_vwrite(enum log_level level, const char *fmt, va_list ap)
{
	struct buf	 out;
	struct tm	 tm;
	time_t		 now;
	char		*msg, stamp[32];
	size_t		 start;

	if (level > log_level)
		return;
	if (vasprintf(&msg, fmt, ap) < 0)
		return;
	buf_init(&out);
	if (log_is_journal)
		buf_addf(&out, "<%d>", (int)level);
	else {
		now = time(NULL);
		if (gmtime_r(&now, &tm) == NULL ||
		    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ",
		    &tm) == 0)
			snprintf(stamp, sizeof stamp, "-");
		buf_addf(&out, "%s %s: ", stamp, log_level_name(level));
	}
	start = out.len;
	log_escape(&out, msg);
	if (log_is_syslog) {
		buf_addc(&out, '\0');
		syslog((int)level, "%s", out.data + start);
		out.len--;
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
