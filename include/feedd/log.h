/*
 * log: the one place that writes log lines.  Lines go to stderr: under
 * systemd (JOURNAL_STREAM names stderr) each is prefixed with its
 * journald priority ("<3>" error ... "<7>" debug), elsewhere with a UTC
 * timestamp and the level ("2026-11-24T13:00:00Z warning: ...").  They
 * can be copied to syslog.  Control characters in a message are escaped,
 * so text that came from a feed or a server cannot forge or break lines.
 */
#ifndef FEEDD_LOG_H
#define FEEDD_LOG_H

enum log_level {
	LOG_LEVEL_ERR = 3,
	LOG_LEVEL_WARN = 4,
	LOG_LEVEL_NOTICE = 5,
	LOG_LEVEL_INFO = 6,
	LOG_LEVEL_DEBUG = 7
};

/* Set the level and pick the journal or the plain form for stderr. */
void	log_open(enum log_level);
/* Also send every line to syslog (facility daemon), or stop. */
void	log_set_syslog(int is_syslog);
void	log_set_level(enum log_level);
enum log_level log_get_level(void);
/* "error", "warning", "notice", "info" or "debug". */
const char *log_level_name(enum log_level);

void	log_err(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_notice(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
/* Log and exit(1); fatal appends strerror(errno).  Start-up only. */
void	fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#endif
