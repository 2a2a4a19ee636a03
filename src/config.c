/* SPDX-License-Identifier: ISC */
/*
 * Read and check the configuration file into a struct config.
 *
 * inih does the INI syntax; this file checks sections, keys and values and
 * reports every problem, each as "FILE:LINE: message", so one run of
 * feedd check shows all that is wrong.  The Debian build of
 * inih does not pass line numbers to the handler and only calls it for
 * keys, so the file is fed to ini_parse_stream through config_read_cb,
 * which counts lines and notices section headers itself (a [feed NAME]
 * without keys must still be seen, and inih truncates long section names).
 * The reader also removes leading white space, so an indented line is an
 * ordinary line and never an inih multi-line continuation, and it finds
 * syntax errors itself: inih only remembers the first.
 *
 * "include = GLOB" in [feedd] reads other files at that point, each with
 * its own name, directory and line count for messages and relative paths;
 * the rest of the state (keys seen, feeds, errors) is shared.
 *
 * Relative paths and file: URLs are made absolute against the directory of
 * the configuration file, so the daemon may change directory later.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ini.h>
#include <regex.h>

#include "feedd/config.h"
#include "feedd/util.h"

#define CONFIG_MAX_LINE			8192
#define CONFIG_DEFAULT_DATABASE		"feedd.db"
#define CONFIG_DEFAULT_INTERVAL		3600
#define CONFIG_DEFAULT_MAX_PARALLEL	32
#define CONFIG_DEFAULT_USER_AGENT \
	"feedd/" FEEDD_VERSION " (+" FEEDD_URL ")"
#define CONFIG_DEFAULT_OUTPUT_DIR	"out"
#define CONFIG_DEFAULT_OUTPUT_TITLE	"feedd"
#define CONFIG_DEFAULT_MAX_ENTRIES	200
#define CONFIG_DEFAULT_ARCHIVE_PAGE	100
#define CONFIG_DEFAULT_LISTEN		"127.0.0.1:8080"
#define CONFIG_DEFAULT_HTTP_MAX_CONNECTIONS 256
#define CONFIG_DEFAULT_HTTP_HEADER_TIMEOUT 10
#define CONFIG_DEFAULT_CONNECT_TIMEOUT	10
#define CONFIG_DEFAULT_TIMEOUT		60
#define CONFIG_DEFAULT_MAX_BODY		(16 * 1024 * 1024)
#define CONFIG_DEFAULT_MAX_REDIRECTS	5
#define CONFIG_DEFAULT_PER_HOST		2
#define CONFIG_DEFAULT_MAX_INTERVAL	86400
#define CONFIG_DEFAULT_DEDUP		"auto"
#define CONFIG_DEFAULT_RETAIN_DAYS	90
#define CONFIG_DEFAULT_RETAIN_PER_FEED	1000
#define CONFIG_DEFAULT_LOG_LEVEL	6	/* info */
#define CONFIG_DEFAULT_SHUTDOWN_GRACE	10
/* The largest body cap: 4 GiB, far past any feed. */
#define CONFIG_MAX_BODY			(INT64_C(4) << 30)

/* Past this many problems the rest are not worth reading. */
#define CONFIG_MAX_ERRORS		100

/* The longest interval: a year keeps due-time arithmetic far from overflow. */
#define CONFIG_MAX_INTERVAL		(365 * 86400)

/* Characters allowed in feed names and tags. */
#define CONFIG_NAME_CHARS \
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-"

enum config_section {
	CONFIG_SECTION_NONE,		/* before the first header */
	CONFIG_SECTION_FEEDD,
	CONFIG_SECTION_OUTPUT,
	CONFIG_SECTION_HTTP,
	CONFIG_SECTION_FEED,
	CONFIG_SECTION_SKIP,		/* after a bad header: keys ignored */
	CONFIG_SECTION_NAMED_OUTPUT	/* [output NAME] */
};

enum config_type {
	CONFIG_TYPE_STRING,		/* any non-empty text */
	CONFIG_TYPE_PATH,		/* non-empty; made absolute later */
	CONFIG_TYPE_DURATION,		/* int64_t seconds, 1s to a year */
	CONFIG_TYPE_INT,		/* int between min and max */
	CONFIG_TYPE_SIZE,		/* int64_t bytes: 512, 64K, 16M, 1G */
	CONFIG_TYPE_LISTEN,		/* host:port, or empty for none */
	CONFIG_TYPE_URL,		/* http, https or file */
	CONFIG_TYPE_TAGS,		/* comma-separated names */
	CONFIG_TYPE_HEADER,		/* "Name: value", repeatable */
	CONFIG_TYPE_SECRET_FILE,	/* a file whose first line is read */
	CONFIG_TYPE_CHOICE,		/* auto, yes or no */
	CONFIG_TYPE_NETWORKS,		/* comma-separated CIDR networks */
	CONFIG_TYPE_BOOL,		/* yes or no */
	CONFIG_TYPE_DEDUP,		/* auto, id, link or content */
	CONFIG_TYPE_INCLUDE,		/* a path or glob, repeatable */
	CONFIG_TYPE_NAMES,		/* names, comma or space separated */
	CONFIG_TYPE_REGEX,		/* a POSIX extended regex */
	CONFIG_TYPE_BASE_URL,		/* an http(s) URL, stored ending "/" */
	CONFIG_TYPE_HTTP_URL,		/* an http(s) URL */
	CONFIG_TYPE_LOG_LEVEL		/* error, warning, notice, info, debug */
};

/* block_private: yes unless the HTTP listener is loopback-only. */
enum config_choice {
	CONFIG_AUTO = 0,
	CONFIG_YES,
	CONFIG_NO
};

/* One known key: where it lives, what it holds and where it is stored. */
struct config_key {
	enum config_section	 section;
	const char		*name;
	enum config_type	 type;
	size_t			 off;	/* into struct config, or into
					   struct config_feed for feeds */
	int			 min;	/* CONFIG_TYPE_INT only */
	int			 max;
};

/*
 * Every key, grouped by section.  Searched linearly; the index of a key is
 * also its slot in config_state's key_line.
 */
static const struct config_key config_keys[] = {
	{ CONFIG_SECTION_FEEDD, "allow_networks", CONFIG_TYPE_NETWORKS,
	  0, 0, 0 },
	{ CONFIG_SECTION_FEEDD, "block_private", CONFIG_TYPE_CHOICE,
	  0, 0, 0 },
	{ CONFIG_SECTION_FEEDD, "connect_timeout", CONFIG_TYPE_DURATION,
	  offsetof(struct config, fetch.connect_timeout), 0, 0 },
	{ CONFIG_SECTION_FEEDD, "database", CONFIG_TYPE_PATH,
	  offsetof(struct config, database), 0, 0 },
	{ CONFIG_SECTION_FEEDD, "dedup", CONFIG_TYPE_DEDUP,
	  offsetof(struct config, dedup), 0, 0 },
	{ CONFIG_SECTION_FEEDD, "default_interval", CONFIG_TYPE_DURATION,
	  offsetof(struct config, default_interval), 0, 0 },
	{ CONFIG_SECTION_FEEDD, "include", CONFIG_TYPE_INCLUDE,
	  0, 0, 0 },
	{ CONFIG_SECTION_FEEDD, "log_level", CONFIG_TYPE_LOG_LEVEL,
	  offsetof(struct config, log_level), 0, 0 },
	{ CONFIG_SECTION_FEEDD, "log_syslog", CONFIG_TYPE_BOOL,
	  offsetof(struct config, is_syslog), 0, 0 },
	{ CONFIG_SECTION_FEEDD, "max_body", CONFIG_TYPE_SIZE,
	  offsetof(struct config, fetch.max_body), 0, 0 },
	{ CONFIG_SECTION_FEEDD, "max_interval", CONFIG_TYPE_DURATION,
	  offsetof(struct config, max_interval), 0, 0 },
	{ CONFIG_SECTION_FEEDD, "max_parallel", CONFIG_TYPE_INT,
	  offsetof(struct config, max_parallel), 1, 10000 },
	{ CONFIG_SECTION_FEEDD, "max_redirects", CONFIG_TYPE_INT,
	  offsetof(struct config, fetch.max_redirects), 0, 20 },
	{ CONFIG_SECTION_FEEDD, "per_host", CONFIG_TYPE_INT,
	  offsetof(struct config, per_host), 1, 1000 },
	{ CONFIG_SECTION_FEEDD, "retain_days", CONFIG_TYPE_INT,
	  offsetof(struct config, retain_days), 0, 36500 },
	{ CONFIG_SECTION_FEEDD, "retain_per_feed", CONFIG_TYPE_INT,
	  offsetof(struct config, retain_per_feed), 0, 10000000 },
	{ CONFIG_SECTION_FEEDD, "shutdown_grace", CONFIG_TYPE_DURATION,
	  offsetof(struct config, shutdown_grace), 0, 0 },
	{ CONFIG_SECTION_FEEDD, "timeout", CONFIG_TYPE_DURATION,
	  offsetof(struct config, fetch.timeout), 0, 0 },
	{ CONFIG_SECTION_FEEDD, "user_agent", CONFIG_TYPE_STRING,
	  offsetof(struct config, fetch.user_agent), 0, 0 },
	{ CONFIG_SECTION_OUTPUT, "archive", CONFIG_TYPE_BOOL,
	  offsetof(struct config, is_archiving), 0, 0 },
	{ CONFIG_SECTION_OUTPUT, "archive_page", CONFIG_TYPE_INT,
	  offsetof(struct config, archive_page), 1, 100000 },
	{ CONFIG_SECTION_OUTPUT, "collapse_duplicates", CONFIG_TYPE_BOOL,
	  offsetof(struct config, is_collapsing), 0, 0 },
	{ CONFIG_SECTION_OUTPUT, "directory", CONFIG_TYPE_PATH,
	  offsetof(struct config, output_dir), 0, 0 },
	{ CONFIG_SECTION_OUTPUT, "hub", CONFIG_TYPE_HTTP_URL,
	  offsetof(struct config, hub), 0, 0 },
	{ CONFIG_SECTION_OUTPUT, "max_age", CONFIG_TYPE_DURATION,
	  offsetof(struct config, max_age), 0, 0 },
	{ CONFIG_SECTION_OUTPUT, "max_entries", CONFIG_TYPE_INT,
	  offsetof(struct config, max_entries), 1, 100000 },
	{ CONFIG_SECTION_OUTPUT, "title", CONFIG_TYPE_STRING,
	  offsetof(struct config, output_title), 0, 0 },
	{ CONFIG_SECTION_HTTP, "header_timeout", CONFIG_TYPE_DURATION,
	  offsetof(struct config, http_header_timeout), 0, 0 },
	{ CONFIG_SECTION_HTTP, "listen", CONFIG_TYPE_LISTEN,
	  offsetof(struct config, listen), 0, 0 },
	{ CONFIG_SECTION_HTTP, "max_connections", CONFIG_TYPE_INT,
	  offsetof(struct config, http_max_connections), 1, 1000000 },
	{ CONFIG_SECTION_HTTP, "token", CONFIG_TYPE_STRING,
	  offsetof(struct config, http_token), 0, 0 },
	{ CONFIG_SECTION_HTTP, "token_file", CONFIG_TYPE_SECRET_FILE,
	  offsetof(struct config, http_token), 0, 0 },
	{ CONFIG_SECTION_HTTP, "public_url", CONFIG_TYPE_BASE_URL,
	  offsetof(struct config, public_url), 0, 0 },
	{ CONFIG_SECTION_FEED, "ca_file", CONFIG_TYPE_PATH,
	  offsetof(struct config_feed, ca_file), 0, 0 },
	{ CONFIG_SECTION_FEED, "connect_timeout", CONFIG_TYPE_DURATION,
	  offsetof(struct config_feed, fetch.connect_timeout), 0, 0 },
	{ CONFIG_SECTION_FEED, "dedup", CONFIG_TYPE_DEDUP,
	  offsetof(struct config_feed, dedup), 0, 0 },
	{ CONFIG_SECTION_FEED, "header", CONFIG_TYPE_HEADER, 0, 0, 0 },
	{ CONFIG_SECTION_FEED, "interval", CONFIG_TYPE_DURATION,
	  offsetof(struct config_feed, interval), 0, 0 },
	{ CONFIG_SECTION_FEED, "max_body", CONFIG_TYPE_SIZE,
	  offsetof(struct config_feed, fetch.max_body), 0, 0 },
	{ CONFIG_SECTION_FEED, "max_redirects", CONFIG_TYPE_INT,
	  offsetof(struct config_feed, fetch.max_redirects), 0, 20 },
	{ CONFIG_SECTION_FEED, "password", CONFIG_TYPE_STRING,
	  offsetof(struct config_feed, password), 0, 0 },
	{ CONFIG_SECTION_FEED, "password_file", CONFIG_TYPE_SECRET_FILE,
	  offsetof(struct config_feed, password), 0, 0 },
	{ CONFIG_SECTION_FEED, "proxy", CONFIG_TYPE_STRING,
	  offsetof(struct config_feed, proxy), 0, 0 },
	{ CONFIG_SECTION_FEED, "tags", CONFIG_TYPE_TAGS,
	  offsetof(struct config_feed, tags), 0, 0 },
	{ CONFIG_SECTION_FEED, "timeout", CONFIG_TYPE_DURATION,
	  offsetof(struct config_feed, fetch.timeout), 0, 0 },
	{ CONFIG_SECTION_FEED, "title", CONFIG_TYPE_STRING,
	  offsetof(struct config_feed, title), 0, 0 },
	{ CONFIG_SECTION_FEED, "url", CONFIG_TYPE_URL,
	  offsetof(struct config_feed, url), 0, 0 },
	{ CONFIG_SECTION_FEED, "user_agent", CONFIG_TYPE_STRING,
	  offsetof(struct config_feed, fetch.user_agent), 0, 0 },
	{ CONFIG_SECTION_FEED, "username", CONFIG_TYPE_STRING,
	  offsetof(struct config_feed, username), 0, 0 },
	{ CONFIG_SECTION_NAMED_OUTPUT, "exclude", CONFIG_TYPE_REGEX,
	  offsetof(struct config_output, exclude), 0, 0 },
	{ CONFIG_SECTION_NAMED_OUTPUT, "feeds", CONFIG_TYPE_NAMES,
	  offsetof(struct config_output, feeds), 0, 0 },
	{ CONFIG_SECTION_NAMED_OUTPUT, "ignore_case", CONFIG_TYPE_BOOL,
	  offsetof(struct config_output, is_ignoring_case), 0, 0 },
	{ CONFIG_SECTION_NAMED_OUTPUT, "include", CONFIG_TYPE_REGEX,
	  offsetof(struct config_output, include), 0, 0 },
	{ CONFIG_SECTION_NAMED_OUTPUT, "max_age", CONFIG_TYPE_DURATION,
	  offsetof(struct config_output, max_age), 0, 0 },
	{ CONFIG_SECTION_NAMED_OUTPUT, "max_entries", CONFIG_TYPE_INT,
	  offsetof(struct config_output, max_entries), 1, 100000 },
	{ CONFIG_SECTION_NAMED_OUTPUT, "tags", CONFIG_TYPE_NAMES,
	  offsetof(struct config_output, tags), 0, 0 },
	{ CONFIG_SECTION_NAMED_OUTPUT, "title", CONFIG_TYPE_STRING,
	  offsetof(struct config_output, title), 0, 0 },
};
#define CONFIG_NKEYS (sizeof config_keys / sizeof config_keys[0])

/* Section names in headers, other than "feed NAME". */
static const struct {
	const char		*name;
	enum config_section	 section;
} config_sections[] = {
	{ "feedd", CONFIG_SECTION_FEEDD },
	{ "http", CONFIG_SECTION_HTTP },
	{ "output", CONFIG_SECTION_OUTPUT },
};

/*
 * The file being read: what config_read_file saves and restores around an
 * included file, so that messages and relative paths follow the file.
 */
struct config_file {
	const char		*path;
	char			*dir;
	FILE			*f;
	int			 lineno;
	int			 read_errno;
	enum config_section	 section;
	const char		*section_name;
	struct config_feed	*feed;
};

/* What config_load keeps while inih reads the files. */
struct config_state {
	struct config		*cfg;
	const char		*path;		/* file being read, as named */
	char			*dir;		/* absolute directory of path */
	FILE			*f;
	char			*line;		/* getline buffer, shared */
	size_t			 linesize;
	int			 lineno;	/* lines handed to inih */
	int			 read_errno;	/* set when reading failed */

	enum config_section	 section;
	const char		*section_name;	/* for messages; not feeds */
	struct config_feed	*feed;		/* the current [feed NAME] */
	struct config_output	*output;	/* the current [output NAME] */
	int			 key_line[CONFIG_NKEYS]; /* 0: not set yet */
	const char		*key_file[CONFIG_NKEYS]; /* file of key_line */
	enum config_choice	 block_private;

	char			**paths;	/* every file read, owned */
	size_t			 npaths;
	struct util_sha256	*digest;	/* of every line read */
	char			**reading;	/* real paths open now: cycles */
	size_t			 nreading;
	char			**errors;	/* "FILE:LINE: message" each */
	size_t			 nerrors;
	size_t			*by_name;	/* feed indexes, sorted by name */
	size_t			 nby_name;	/* duplicates are not in it */
};

static void	 config_error(struct config_state *, int, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
static void	 config_error_at(struct config_state *, const char *, int,
		    const char *, ...) __attribute__((format(printf, 4, 5)));
static char	*config_read_cb(char *, int, void *);
static struct config_feed *config_feed_named(struct config_state *,
		    const char *, size_t *);
static bool	 config_is_key_line(const char *);
static int	 config_ini_cb(void *, const char *, const char *,
		    const char *);
static int	 config_header(struct config_state *, char *);
static int	 config_begin_section(struct config_state *, const char *);
static int	 config_begin_feed(struct config_state *, const char *);
static int	 config_set(struct config_state *, const struct config_key *,
		    const char *);
static int	 config_set_duration(struct config_state *,
		    const struct config_key *, const char *, int64_t *);
static int	 config_set_int(struct config_state *,
		    const struct config_key *, const char *, int *);
static int	 config_set_listen(struct config_state *, const char *);
static int	 config_set_url(struct config_state *, const char *);
static int	 config_set_tags(struct config_state *, const char *);
static int	 config_finish(struct config_state *);
static bool	 config_is_name(const char *);
static char	*config_dir(const char *, char **);
static char	*config_path(const char *, const char *);
static void	 config_add_encoded(struct buf *, const char *);
static void	 config_feed_clear(struct config_feed *);
static int	 config_add_header(struct config_state *, const char *);
static int	 config_read_secret(struct config_state *,
		    const struct config_key *, const char *, char **);
static int	 config_set_choice(struct config_state *,
		    const struct config_key *, const char *);
static int	 config_set_networks(struct config_state *, const char *);
static int	 config_set_bool(struct config_state *,
		    const struct config_key *, const char *, bool *);
static int	 config_set_dedup(struct config_state *,
		    const struct config_key *, const char *, char **);
static bool	 config_is_loopback(const char *);
static int	 config_set_log_level(struct config_state *,
		    const struct config_key *, const char *, int *);
static int	 config_set_size(struct config_state *,
		    const struct config_key *, const char *, int64_t *);
static void	 config_inherit_fetch(struct config_fetch *,
		    const struct config_fetch *);
static int	 config_include(struct config_state *, const char *);
static char	*config_glob_pattern(const char *, const char *);
static int	 config_read_file(struct config_state *, const char *);
static int	 config_open_file(struct config_state *, const char *,
		    FILE **, char **);
static void	 config_file_swap(struct config_state *,
		    struct config_file *);
static int	 config_begin_output(struct config_state *, const char *);
static int	 config_set_names(struct config_state *, const char *,
		    struct config_names *);
static int	 config_split_names(struct config_state *, const char *,
		    const char *, const char *, char ***, size_t *);
static int	 config_set_regex(struct config_state *,
		    const struct config_key *, const char *, char **);
static int	 config_set_base_url(struct config_state *, const char *);
static bool	 config_is_http_url(const char *, const char *);
static int	 config_set_http_url(struct config_state *,
		    const struct config_key *, const char *, char **);
static int	 config_finish_outputs(struct config_state *);
static void	 config_output_clear(struct config_output *);

/*
 * Record a problem at line of path (line 0: the file as a whole).  Every
 * problem is kept, up to CONFIG_MAX_ERRORS, so one check shows them all.
 */
static void
config_verror(struct config_state *st, const char *path, int line,
    const char *fmt, va_list ap)
{
	char	*msg, *full;

	if (st->nerrors > CONFIG_MAX_ERRORS)
		return;
	if (st->nerrors == CONFIG_MAX_ERRORS)
		xasprintf(&full, "%s: more problems not shown", st->paths[0]);
	else {
		xvasprintf(&msg, fmt, ap);
		if (line > 0)
			xasprintf(&full, "%s:%d: %s", path, line, msg);
		else
			xasprintf(&full, "%s: %s", path, msg);
		free(msg);
	}
	st->errors = xreallocarray(st->errors, st->nerrors + 1,
	    sizeof *st->errors);
	st->errors[st->nerrors++] = full;
}

/* Record a problem at line of the file being read. */
static void
config_error(struct config_state *st, int line, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	config_verror(st, st->path, line, fmt, ap);
	va_end(ap);
}

/* Record a problem at line of path, a file read earlier or now. */
static void
config_error_at(struct config_state *st, const char *path, int line,
    const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	config_verror(st, path, line, fmt, ap);
	va_end(ap);
}

/*
 * Hand inih the next line, fgets style, into str of num bytes.  Counts
 * lines, strips leading white space (so there are no continuation lines),
 * handles section headers and reports syntax errors.  A line in error is
 * handed on empty, so inih reads on and every later problem is seen too.
 * A line that does not fit is an error rather than being split in two
 * the way fgets would.
 */
static char *
config_read_cb(char *str, int num, void *arg)
{
	struct config_state	*st = arg;
	ssize_t			 n;
	size_t			 len;
	char			*s;

	errno = 0;
	if ((n = getline(&st->line, &st->linesize, st->f)) == -1) {
		if (ferror(st->f))
			st->read_errno = errno != 0 ? errno : EIO;
		return (NULL);
	}
	st->lineno++;
	util_sha256_add(st->digest, st->line, (size_t)n);

	s = st->line;
	len = (size_t)n;
	while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r'))
		len--;
	s[len] = '\0';
	if (st->lineno == 1 && strncmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3;
	while (isspace((unsigned char)*s))
		s++;
	len = strlen(s);
	if (num < 2 || len > (size_t)num - 2) {
		config_error(st, st->lineno, "line too long (more than %d "
		    "bytes)", num - 2);
		len = 0;
	} else if (*s == '[') {
		if (config_header(st, s) != 0)
			len = 0;
	} else if (!config_is_key_line(s)) {
		config_error(st, st->lineno, "expected \"key = value\" or "
		    "\"[section]\"");
		len = 0;
	}

	memcpy(str, s, len);
	str[len] = '\n';
	str[len + 1] = '\0';
	return (str);
}

/*
 * Whether inih will take line s (leading white space gone, not a header)
 * as a comment, a blank or a key: a "=" or ":" must come before any " ;"
 * comment, as inih's find_chars_or_comment sees it.
 */
static bool
config_is_key_line(const char *s)
{
	bool	 was_space = false;

	if (*s == '\0' || *s == ';' || *s == '#')
		return (true);
	for (; *s != '\0'; s++) {
		if (*s == '=' || *s == ':')
			return (true);
		if (*s == ';' && was_space)
			return (false);
		was_space = isspace((unsigned char)*s);
	}
	return (false);
}

/*
 * Add an extra request header.  The name must be an HTTP token; headers
 * that feedd itself manages are refused, so a config line cannot break
 * conditional requests or smuggle a second request.
 */
static int
config_add_header(struct config_state *st, const char *value)
{
	static const char *managed[] = {
		"accept-encoding", "connection", "content-length", "host",
		"if-modified-since", "if-none-match", "transfer-encoding",
		"user-agent"
	};
	struct config_feed	*f = st->feed;
	const char		*colon;
	size_t			 len, i;

	colon = strchr(value, ':');
	len = colon != NULL ? (size_t)(colon - value) : 0;
	if (len == 0 || strspn(value, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij"
	    "klmnopqrstuvwxyz0123456789!#$%&'*+-.^_`|~") != len ||
	    strpbrk(value, "\r\n") != NULL) {
		config_error(st, st->lineno, "bad header \"%s\": use "
		    "\"Name: value\"", value);
		return (-1);
	}
	for (i = 0; i < nitems(managed); i++) {
		if (strlen(managed[i]) == len &&
		    strncasecmp(value, managed[i], len) == 0) {
			config_error(st, st->lineno, "header %.*s is set by "
			    "feedd itself", (int)len, value);
			return (-1);
		}
	}
	f->headers = xreallocarray(f->headers, f->nheaders + 1,
	    sizeof *f->headers);
	f->headers[f->nheaders++] = xstrdup(value);
	return (0);
}

/*
 * Read a secret from the first line of a file (relative to the config
 * file's directory), so it can stay out of the main config.
 */
static int
config_read_secret(struct config_state *st, const struct config_key *k,
    const char *value, char **out)
{
	char	*path, *line = NULL;
	size_t	 size = 0;
	ssize_t	 n;
	FILE	*f;

	path = config_path(st->dir, value);
	if ((f = fopen(path, "r")) == NULL) {
		config_error(st, st->lineno, "%s %s: %s", k->name, path,
		    strerror(errno));
		free(path);
		return (-1);
	}
	n = getline(&line, &size, f);
	fclose(f);
	if (n <= 0) {
		config_error(st, st->lineno, "%s %s is empty", k->name, path);
		free(line);
		free(path);
		return (-1);
	}
	free(path);
	line[strcspn(line, "\r\n")] = '\0';
	if (*out != NULL)
		explicit_bzero(*out, strlen(*out));
	free(*out);
	*out = line;
	return (0);
}

/* auto, yes or no. */
static int
config_set_choice(struct config_state *st, const struct config_key *k,
    const char *value)
{
	if (strcmp(value, "auto") == 0)
		st->block_private = CONFIG_AUTO;
	else if (strcmp(value, "yes") == 0)
		st->block_private = CONFIG_YES;
	else if (strcmp(value, "no") == 0)
		st->block_private = CONFIG_NO;
	else {
		config_error(st, st->lineno, "bad value \"%s\" for %s: use "
		    "auto, yes or no", value, k->name);
		return (-1);
	}
	return (0);
}

/* yes or no. */
static int
config_set_bool(struct config_state *st, const struct config_key *k,
    const char *value, bool *out)
{
	if (strcmp(value, "yes") == 0)
		*out = true;
	else if (strcmp(value, "no") == 0)
		*out = false;
	else {
		config_error(st, st->lineno, "bad value \"%s\" for %s: use "
		    "yes or no", value, k->name);
		return (-1);
	}
	return (0);
}

/*
 * A log level by name, stored as its syslog priority (enum log_level in
 * log.h has the same numbers).  Sorted by priority.
 */
static int
config_set_log_level(struct config_state *st, const struct config_key *k,
    const char *value, int *out)
{
	static const char *const names[] = {
		"error", "warning", "notice", "info", "debug"
	};
	size_t	 i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strcmp(value, names[i]) == 0) {
			*out = 3 + (int)i;
			return (0);
		}
	}
	config_error(st, st->lineno, "bad value \"%s\" for %s: use error, "
	    "warning, notice, info or debug", value, k->name);
	return (-1);
}

/* A dedup rule: auto, id, link or content (docs/dedup.md). */
static int
config_set_dedup(struct config_state *st, const struct config_key *k,
    const char *value, char **out)
{
	static const char *rules[] = { "auto", "id", "link", "content" };
	size_t	 i;

	for (i = 0; i < nitems(rules); i++) {
		if (strcmp(value, rules[i]) == 0) {
			free(*out);
			*out = xstrdup(value);
			return (0);
		}
	}
	config_error(st, st->lineno, "bad value \"%s\" for %s: use auto, "
	    "id, link or content", value, k->name);
	return (-1);
}

/*
 * Whether s is a DNS host name: dot-separated labels of letters, digits
 * and hyphens, one at least with a letter (so a mistyped address is not
 * taken for a name), and an optional final dot.
 */
static bool
config_is_host_name(const char *s)
{
	size_t	 len = strlen(s), label = 0;
	bool	 has_letter = false;

	if (len > 0 && s[len - 1] == '.')
		len--;
	if (len == 0 || len > 253)
		return (false);
	for (; len > 0; s++, len--) {
		if (*s == '.') {
			if (label == 0 || s[-1] == '-')
				return (false);
			label = 0;
		} else if (isalnum((unsigned char)*s) ||
		    (*s == '-' && label > 0)) {
			if (isalpha((unsigned char)*s))
				has_letter = true;
			if (++label > 63)
				return (false);
		} else
			return (false);
	}
	return (label > 0 && s[-1] != '-' && has_letter);
}

/* A host name as fetch compares it: lower case, without a final dot. */
static char *
config_host_name(const char *s)
{
	char	*name = xstrdup(s), *p;

	for (p = name; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	if (p > name && p[-1] == '.')
		p[-1] = '\0';
	return (name);
}

/* A comma-separated list of networks and host names: 10.0.0.0/8, ::1 */
static int
config_set_networks(struct config_state *st, const char *value)
{
	struct config		*cfg = st->cfg;
	struct util_cidr	 net;
	char			*copy, *next, *item;
	int			 error = 0;

	next = copy = xstrdup(value);
	while ((item = strsep(&next, ",")) != NULL) {
		item = util_trim(item);
		if (*item == '\0')
			continue;
		if (util_parse_cidr(item, &net) == 0) {
			cfg->allow_networks = xreallocarray(
			    cfg->allow_networks, cfg->nallow_networks + 1,
			    sizeof *cfg->allow_networks);
			cfg->allow_networks[cfg->nallow_networks++] = net;
		} else if (config_is_host_name(item)) {
			cfg->allow_hosts = xreallocarray(cfg->allow_hosts,
			    cfg->nallow_hosts + 1, sizeof *cfg->allow_hosts);
			cfg->allow_hosts[cfg->nallow_hosts++] =
			    config_host_name(item);
		} else {
			config_error(st, st->lineno, "bad network \"%s\": use "
			    "an address, address/bits or a host name", item);
			error = -1;
			break;
		}
	}
	free(copy);
	return (error);
}

/* Whether a listen address reaches only this machine (none does). */
static bool
config_is_loopback(const char *listen)
{
	if (listen == NULL)
		return (true);
	return (strncmp(listen, "127.", 4) == 0 ||
	    strncmp(listen, "localhost:", 10) == 0 ||
	    strncmp(listen, "[::1]:", 6) == 0);
}

/* Parse a byte count with an optional K, M or G (powers of 1024). */
static int
config_set_size(struct config_state *st, const struct config_key *k,
    const char *value, int64_t *out)
{
	const char	*p;
	int64_t		 n = 0, mult = 1;

	for (p = value; isdigit((unsigned char)*p); p++) {
		if (n > CONFIG_MAX_BODY)
			break;
		n = n * 10 + (*p - '0');
	}
	if (*p == 'K' || *p == 'k')
		mult = 1024;
	else if (*p == 'M' || *p == 'm')
		mult = 1024 * 1024;
	else if (*p == 'G' || *p == 'g')
		mult = 1024 * 1024 * 1024;
	if (mult != 1)
		p++;
	if (p == value || !isdigit((unsigned char)*value) || *p != '\0' ||
	    n == 0) {
		config_error(st, st->lineno, "bad size \"%s\" for %s (use e.g. "
		    "512, 64K, 16M, 1G)", value, k->name);
		return (-1);
	}
	if (n > CONFIG_MAX_BODY / mult) {
		config_error(st, st->lineno, "%s %s is larger than 4G",
		    k->name, value);
		return (-1);
	}
	*out = n * mult;
	return (0);
}

/* Fill what a feed left unset (-1 or NULL) from the defaults. */
static void
config_inherit_fetch(struct config_fetch *f, const struct config_fetch *d)
{
	if (f->connect_timeout < 0)
		f->connect_timeout = d->connect_timeout;
	if (f->timeout < 0)
		f->timeout = d->timeout;
	if (f->max_body < 0)
		f->max_body = d->max_body;
	if (f->max_redirects < 0)
		f->max_redirects = d->max_redirects;
	if (f->user_agent == NULL)
		f->user_agent = xstrdup(d->user_agent);
}

/*
 * Called by inih for each "key = value" line.  The section argument is
 * ignored: st->section, kept by the reader, is the same but untruncated.
 * Returns 0 to make inih note the line as failed.
 */
static int
config_ini_cb(void *arg, const char *section, const char *name,
    const char *value)
{
	struct config_state	*st = arg;
	const struct config_key	*k;
	size_t			 i;

	(void)section;
	if (st->section == CONFIG_SECTION_SKIP)
		return (1);
	if (*name == '\0') {
		config_error(st, st->lineno, "missing key before '='");
		return (0);
	}
	if (st->section == CONFIG_SECTION_NONE) {
		config_error(st, st->lineno, "key \"%s\" outside any section",
		    name);
		return (0);
	}

	for (i = 0; i < CONFIG_NKEYS; i++) {
		k = &config_keys[i];
		if (k->section == st->section && strcmp(k->name, name) == 0)
			break;
	}
	if (i == CONFIG_NKEYS) {
		if (st->section == CONFIG_SECTION_FEED) {
			config_error(st, st->lineno, "unknown key \"%s\" in "
			    "[feed %s]", name, st->feed->name);
		} else if (st->section == CONFIG_SECTION_NAMED_OUTPUT) {
			config_error(st, st->lineno, "unknown key \"%s\" in "
			    "[output %s]", name, st->output->name);
		} else {
			config_error(st, st->lineno, "unknown key \"%s\" in "
			    "[%s]", name, st->section_name);
		}
		return (0);
	}
	if (st->key_line[i] != 0 && k->type != CONFIG_TYPE_HEADER &&
	    k->type != CONFIG_TYPE_INCLUDE) {
		if (strcmp(st->key_file[i], st->path) == 0) {
			config_error(st, st->lineno, "duplicate key \"%s\" "
			    "(first set on line %d)", name, st->key_line[i]);
		} else {
			config_error(st, st->lineno, "duplicate key \"%s\" "
			    "(first set at %s:%d)", name, st->key_file[i],
			    st->key_line[i]);
		}
		return (0);
	}
	st->key_line[i] = st->lineno;
	st->key_file[i] = st->path;

	if (config_set(st, k, value) == 0)
		return (1);
	/*
	 * A bad url is reported once: kept as given, it is not also a
	 * missing one.  A config with errors is never returned.
	 */
	if (k->type == CONFIG_TYPE_URL && st->feed->url == NULL)
		st->feed->url = xstrdup(value);
	return (0);
}

/*
 * Look at a section header line s, which starts with "[".  The name ends
 * where inih ends it: at "]" or at an inline ";" comment after white
 * space.  Returns -1 on error; the keys under a header in error are then
 * skipped rather than reported against the wrong section.
 */
static int
config_header(struct config_state *st, char *s)
{
	char	*p, *name;
	bool	 was_space = false;
	int	 error;

	for (p = s + 1; *p != '\0' && *p != ']'; p++) {
		if (was_space && *p == ';')
			break;
		was_space = isspace((unsigned char)*p);
	}
	if (*p != ']') {
		config_error(st, st->lineno, "missing ']' in section header");
		st->section = CONFIG_SECTION_SKIP;
		return (-1);
	}

	name = xstrndup(s + 1, (size_t)(p - s - 1));
	for (p++; isspace((unsigned char)*p); p++)
		/* nothing */;
	if (*p != '\0' && *p != ';') {
		config_error(st, st->lineno, "unexpected text after ']'");
		st->section = CONFIG_SECTION_SKIP;
		error = -1;
	} else
		error = config_begin_section(st, util_trim(name));
	free(name);
	return (error);
}

/* Start the section called name: [feedd], [output], [http] or [feed N]. */
static int
config_begin_section(struct config_state *st, const char *name)
{
	size_t	 i;

	for (i = 0; i < sizeof config_sections / sizeof config_sections[0];
	    i++) {
		if (strcmp(name, config_sections[i].name) == 0) {
			st->section = config_sections[i].section;
			st->section_name = config_sections[i].name;
			st->feed = NULL;
			return (0);
		}
	}
	if (strncmp(name, "feed", 4) == 0 &&
	    (name[4] == '\0' || isspace((unsigned char)name[4])))
		return (config_begin_feed(st, name + 4));
	if (strncmp(name, "output", 6) == 0 &&
	    isspace((unsigned char)name[6]))
		return (config_begin_output(st, name + 6));

	config_error(st, st->lineno, "unknown section [%s]", name);
	st->section = CONFIG_SECTION_SKIP;
	return (-1);
}

/*
 * The feed already called name, or NULL with *at set to where it would
 * go in st->by_name: a binary search, as a config may list thousands.
 */
static struct config_feed *
config_feed_named(struct config_state *st, const char *name, size_t *at)
{
	struct config	*cfg = st->cfg;
	size_t		 lo = 0, hi = st->nby_name, mid;
	int		 cmp;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		cmp = strcmp(name, cfg->feeds[st->by_name[mid]].name);
		if (cmp == 0)
			return (&cfg->feeds[st->by_name[mid]]);
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	*at = lo;
	return (NULL);
}

/*
 * Add the feed named in a [feed NAME] header and make it current.  Its
 * keys may appear again, so their lines are forgotten.  A feed whose name
 * is wrong or taken is still added, so that its keys are checked too.
 */
static int
config_begin_feed(struct config_state *st, const char *name)
{
	struct config		*cfg = st->cfg;
	struct config_feed	*f;
	size_t			 i;
	int			 error = 0;

	while (isspace((unsigned char)*name))
		name++;
	if (*name == '\0') {
		config_error(st, st->lineno, "bad feed name: empty, use "
		    "[feed NAME]");
		st->section = CONFIG_SECTION_SKIP;
		return (-1);
	}
	if (!config_is_name(name)) {
		config_error(st, st->lineno, "bad feed name \"%s\": use only "
		    "letters, digits, '.', '_' and '-'", name);
		error = -1;
	}
	if ((f = config_feed_named(st, name, &i)) != NULL) {
		if (strcmp(f->file, st->path) == 0) {
			config_error(st, st->lineno, "duplicate feed \"%s\" "
			    "(first defined on line %d)", name, f->line);
		} else {
			config_error(st, st->lineno, "duplicate feed \"%s\" "
			    "(first defined at %s:%d)", name, f->file, f->line);
		}
		error = -1;
	} else {
		/* Insert at i, so by_name stays sorted. */
		st->by_name = xreallocarray(st->by_name, st->nby_name + 1,
		    sizeof *st->by_name);
		memmove(&st->by_name[i + 1], &st->by_name[i],
		    (st->nby_name - i) * sizeof *st->by_name);
		st->by_name[i] = cfg->nfeeds;
		st->nby_name++;
	}

	cfg->feeds = xreallocarray(cfg->feeds, cfg->nfeeds + 1,
	    sizeof *cfg->feeds);
	f = &cfg->feeds[cfg->nfeeds++];
	memset(f, 0, sizeof *f);
	f->name = xstrdup(name);
	f->file = xstrdup(st->path);
	f->line = st->lineno;
	f->fetch.connect_timeout = f->fetch.timeout = f->fetch.max_body = -1;
	f->fetch.max_redirects = -1;

	st->section = CONFIG_SECTION_FEED;
	st->feed = f;
	for (i = 0; i < CONFIG_NKEYS; i++) {
		if (config_keys[i].section == CONFIG_SECTION_FEED)
			st->key_line[i] = 0;
	}
	return (error);
}

/* Check value for key k and store it.  Returns -1 on error. */
static int
config_set(struct config_state *st, const struct config_key *k,
    const char *value)
{
	char	*base, **sp;

	if (k->section == CONFIG_SECTION_FEED)
		base = (char *)st->feed;
	else if (k->section == CONFIG_SECTION_NAMED_OUTPUT)
		base = (char *)st->output;
	else
		base = (char *)st->cfg;

	switch (k->type) {
	case CONFIG_TYPE_STRING:
	case CONFIG_TYPE_PATH:
		if (*value == '\0') {
			config_error(st, st->lineno, "empty value for %s",
			    k->name);
			return (-1);
		}
		sp = (char **)(base + k->off);
		free(*sp);
		/* Relative to the file that names it, which may be included. */
		if (k->type == CONFIG_TYPE_PATH)
			*sp = config_path(st->dir, value);
		else
			*sp = xstrdup(value);
		return (0);
	case CONFIG_TYPE_DURATION:
		return (config_set_duration(st, k, value,
		    (int64_t *)(base + k->off)));
	case CONFIG_TYPE_INT:
		return (config_set_int(st, k, value, (int *)(base + k->off)));
	case CONFIG_TYPE_SIZE:
		return (config_set_size(st, k, value,
		    (int64_t *)(base + k->off)));
	case CONFIG_TYPE_LISTEN:
		return (config_set_listen(st, value));
	case CONFIG_TYPE_URL:
		return (config_set_url(st, value));
	case CONFIG_TYPE_TAGS:
		return (config_set_tags(st, value));
	case CONFIG_TYPE_HEADER:
		return (config_add_header(st, value));
	case CONFIG_TYPE_SECRET_FILE:
		return (config_read_secret(st, k, value,
		    (char **)(base + k->off)));
	case CONFIG_TYPE_CHOICE:
		return (config_set_choice(st, k, value));
	case CONFIG_TYPE_NETWORKS:
		return (config_set_networks(st, value));
	case CONFIG_TYPE_BOOL:
		return (config_set_bool(st, k, value,
		    (bool *)(base + k->off)));
	case CONFIG_TYPE_DEDUP:
		return (config_set_dedup(st, k, value,
		    (char **)(base + k->off)));
	case CONFIG_TYPE_INCLUDE:
		return (config_include(st, value));
	case CONFIG_TYPE_NAMES:
		/* Remembered so an unknown name is reported on its line. */
		if (strcmp(k->name, "feeds") == 0)
			st->output->feeds_line = st->lineno;
		else
			st->output->tags_line = st->lineno;
		return (config_set_names(st, value,
		    (struct config_names *)(base + k->off)));
	case CONFIG_TYPE_REGEX:
		return (config_set_regex(st, k, value,
		    (char **)(base + k->off)));
	case CONFIG_TYPE_BASE_URL:
		return (config_set_base_url(st, value));
	case CONFIG_TYPE_HTTP_URL:
		return (config_set_http_url(st, k, value,
		    (char **)(base + k->off)));
	case CONFIG_TYPE_LOG_LEVEL:
		return (config_set_log_level(st, k, value,
		    (int *)(base + k->off)));
	}
	return (-1);
}

/* Parse a duration such as 30m into *out; one second to a year. */
static int
config_set_duration(struct config_state *st, const struct config_key *k,
    const char *value, int64_t *out)
{
	int64_t	 secs;

	if (util_parse_duration(value, &secs) != 0) {
		config_error(st, st->lineno, "bad duration \"%s\" for %s: use "
		    "a positive number with s, m, h or d, e.g. 30m", value,
		    k->name);
		return (-1);
	}
	if (secs > CONFIG_MAX_INTERVAL) {
		config_error(st, st->lineno, "%s \"%s\" is out of range: at "
		    "most 365d", k->name, value);
		return (-1);
	}
	*out = secs;
	return (0);
}

/* Parse a decimal number between k->min and k->max into *out. */
static int
config_set_int(struct config_state *st, const struct config_key *k,
    const char *value, int *out)
{
	const char	*p;
	long long	 n;

	for (p = value; isdigit((unsigned char)*p); p++)
		/* nothing */;
	if (p == value || *p != '\0') {
		config_error(st, st->lineno, "bad number \"%s\" for %s", value,
		    k->name);
		return (-1);
	}
	errno = 0;
	n = strtoll(value, NULL, 10);
	if (errno == ERANGE || n < k->min || n > k->max) {
		config_error(st, st->lineno, "%s %s is out of range %d..%d",
		    k->name, value, k->min, k->max);
		return (-1);
	}
	*out = (int)n;
	return (0);
}

/*
 * Check a listen address: host:port or [v6-address]:port, port 0 to
 * 65535.  Empty means no HTTP server.
 */
static int
config_set_listen(struct config_state *st, const char *value)
{
	const char	*p, *host_end, *port;
	size_t		 hostlen;
	long		 n;

	if (*value == '\0') {
		free(st->cfg->listen);
		st->cfg->listen = NULL;
		return (0);
	}

	if (*value == '[') {
		host_end = strchr(value, ']');
		if (host_end == NULL || host_end == value + 1 ||
		    host_end[1] != ':')
			goto bad;
		for (p = value + 1; p < host_end; p++) {
			if (!isxdigit((unsigned char)*p) && *p != ':' &&
			    *p != '.')
				goto bad;
		}
		port = host_end + 2;
	} else {
		if ((host_end = strrchr(value, ':')) == NULL)
			goto bad;
		hostlen = (size_t)(host_end - value);
		if (hostlen == 0 || strspn(value, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "abcdefghijklmnopqrstuvwxyz0123456789.-") != hostlen)
			goto bad;
		port = host_end + 1;
	}
	if (*port == '\0' || strlen(port) > 5 ||
	    strspn(port, "0123456789") != strlen(port))
		goto bad;
	n = strtol(port, NULL, 10);
	if (n > 65535)
		goto bad;

	free(st->cfg->listen);
	st->cfg->listen = xstrdup(value);
	return (0);

bad:
	config_error(st, st->lineno, "bad listen address \"%s\": use "
	    "host:port, e.g. 127.0.0.1:8080, or nothing for no HTTP server",
	    value);
	return (-1);
}

/*
 * Check a feed URL and store it in the current feed.  Only http, https
 * and file are fetched.  A file: URL with a relative path ("file:a.xml")
 * is made absolute against the configuration's directory, and
 * "file:/abs" becomes "file:///abs", the form every library accepts.
 */
static int
config_set_url(struct config_state *st, const char *value)
{
	struct config_feed	*f = st->feed;
	const char		*p, *rest;
	struct buf		 b;
	size_t			 slen;

	if (*value == '\0') {
		config_error(st, st->lineno, "empty url");
		return (-1);
	}
	for (p = value; *p != '\0'; p++) {
		if ((unsigned char)*p <= 0x20 || *p == 0x7f) {
			config_error(st, st->lineno, "url \"%s\" contains "
			    "white space or control characters", value);
			return (-1);
		}
	}
	slen = strspn(value, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+.-");
	if (slen == 0 || !isalpha((unsigned char)value[0]) ||
	    value[slen] != ':') {
		config_error(st, st->lineno, "url \"%s\" has no scheme: use "
		    "http://, https:// or file:", value);
		return (-1);
	}
	rest = value + slen + 1;

	if ((slen == 4 && strncasecmp(value, "http", 4) == 0) ||
	    (slen == 5 && strncasecmp(value, "https", 5) == 0)) {
		if (strncmp(rest, "//", 2) != 0 || rest[2] == '\0' ||
		    rest[2] == '/') {
			config_error(st, st->lineno, "url \"%s\" has no host",
			    value);
			return (-1);
		}
		free(f->url);
		f->url = xstrdup(value);
		return (0);
	}
	if (slen != 4 || strncasecmp(value, "file", 4) != 0) {
		config_error(st, st->lineno, "unsupported url scheme \"%.*s\": "
		    "use http, https or file", (int)slen, value);
		return (-1);
	}

	buf_init(&b);
	if (*rest == '\0') {
		config_error(st, st->lineno, "url \"%s\" has an empty path",
		    value);
		return (-1);
	} else if (strncmp(rest, "///", 3) == 0 ||
	    strncasecmp(rest, "//localhost/", 12) == 0)
		buf_adds(&b, value);
	else if (strncmp(rest, "//", 2) == 0) {
		config_error(st, st->lineno, "url \"%s\" names a host: use "
		    "file:///path or file:relative/path", value);
		return (-1);
	} else if (*rest == '/') {
		buf_adds(&b, "file://");
		buf_adds(&b, rest);
	} else {
		buf_adds(&b, "file://");
		config_add_encoded(&b, st->dir);
		if (b.data[b.len - 1] != '/')
			buf_addc(&b, '/');
		buf_adds(&b, rest);
	}
	free(f->url);
	f->url = buf_steal(&b);
	return (0);
}

/*
 * Split a comma-separated tag list into the current feed's tags.  Items
 * are trimmed; empty ones and repeats are dropped.
 */
static int
config_set_tags(struct config_state *st, const char *value)
{
	return (config_split_names(st, value, ",", "tag", &st->feed->tags,
	    &st->feed->ntags));
}

/*
 * Checks and defaults that need every file: every feed has a url
 * (reported at its header), intervals not set take default_interval
 * wherever that was set, and default paths become absolute against the
 * main file's directory (paths set in a file are already absolute).
 */
static int
config_finish(struct config_state *st)
{
	struct config		*cfg = st->cfg;
	struct config_feed	*f;
	size_t			 i;
	char			*p;

	for (i = 0; i < cfg->nfeeds; i++) {
		f = &cfg->feeds[i];
		if (f->url == NULL) {
			config_error_at(st, f->file, f->line, "feed \"%s\" has "
			    "no url", f->name);
		}
		if (f->password != NULL && f->username == NULL) {
			config_error_at(st, f->file, f->line, "feed \"%s\" has "
			    "a password but no username", f->name);
		}
		if (f->interval == 0)
			f->interval = cfg->default_interval;
		config_inherit_fetch(&f->fetch, &cfg->fetch);
		if (f->dedup == NULL)
			f->dedup = xstrdup(cfg->dedup);
	}
	if (st->block_private == CONFIG_AUTO)
		cfg->is_private_blocked = !config_is_loopback(cfg->listen);
	else
		cfg->is_private_blocked = st->block_private == CONFIG_YES;

	p = config_path(st->dir, cfg->database);
	free(cfg->database);
	cfg->database = p;
	p = config_path(st->dir, cfg->output_dir);
	free(cfg->output_dir);
	cfg->output_dir = p;
	if (config_finish_outputs(st) != 0)
		return (-1);
	return (st->nerrors > 0 ? -1 : 0);
}

/*
 * Add the output named in an [output NAME] header and make it current.
 * Its keys may appear again, so their lines are forgotten.
 */
static int
config_begin_output(struct config_state *st, const char *name)
{
	struct config		*cfg = st->cfg;
	struct config_output	*o;
	size_t			 i;

	while (isspace((unsigned char)*name))
		name++;
	if (!config_is_name(name)) {
		config_error(st, st->lineno, "bad output name \"%s\": use only "
		    "letters, digits, '.', '_' and '-'", name);
		return (-1);
	}
	for (i = 0; i < cfg->noutputs; i++) {
		if (strcmp(cfg->outputs[i].name, name) == 0) {
			config_error(st, st->lineno, "duplicate output \"%s\" "
			    "(first defined on line %d)", name,
			    cfg->outputs[i].line);
			return (-1);
		}
	}
	cfg->outputs = xreallocarray(cfg->outputs, cfg->noutputs + 1,
	    sizeof *cfg->outputs);
	o = &cfg->outputs[cfg->noutputs++];
	memset(o, 0, sizeof *o);
	o->name = xstrdup(name);
	o->line = st->lineno;

	st->section = CONFIG_SECTION_NAMED_OUTPUT;
	st->output = o;
	st->feed = NULL;
	for (i = 0; i < CONFIG_NKEYS; i++) {
		if (config_keys[i].section == CONFIG_SECTION_NAMED_OUTPUT)
			st->key_line[i] = 0;
	}
	return (0);
}

/*
 * Add the names in value, separated by any of seps and trimmed, to
 * *names (*n of them); each must be a valid name (what names the kind in
 * the message); empty items and repeats are dropped.
 */
static int
config_split_names(struct config_state *st, const char *value,
    const char *seps, const char *what, char ***names, size_t *n)
{
	char	*copy, *next, *item, *name;
	size_t	 i;
	int	 error = 0;

	next = copy = xstrdup(value);
	while ((item = strsep(&next, seps)) != NULL) {
		name = util_trim(item);
		if (*name == '\0')
			continue;
		if (!config_is_name(name)) {
			config_error(st, st->lineno, "bad %s \"%s\": use only "
			    "letters, digits, '.', '_' and '-'", what, name);
			error = -1;
			break;
		}
		for (i = 0; i < *n; i++) {
			if (strcmp((*names)[i], name) == 0)
				break;
		}
		if (i < *n)
			continue;
		*names = xreallocarray(*names, *n + 1, sizeof **names);
		(*names)[(*n)++] = xstrdup(name);
	}
	free(copy);
	return (error);
}

/* Read names separated by commas or white space into *out, replacing it. */
static int
config_set_names(struct config_state *st, const char *value,
    struct config_names *out)
{
	size_t	 i;

	for (i = 0; i < out->n; i++)
		free(out->names[i]);
	free(out->names);
	memset(out, 0, sizeof *out);
	return (config_split_names(st, value, ", \t", "name", &out->names,
	    &out->n));
}

/*
 * Check a regular expression by compiling it as emit will (POSIX
 * extended; REG_ICASE does not change what compiles) and store its text.
 */
static int
config_set_regex(struct config_state *st, const struct config_key *k,
    const char *value, char **out)
{
	regex_t	 re;
	char	 msg[256];
	int	 rc;

	if (*value == '\0') {
		config_error(st, st->lineno, "empty value for %s", k->name);
		return (-1);
	}
	if ((rc = regcomp(&re, value, REG_EXTENDED | REG_NOSUB)) != 0) {
		regerror(rc, &re, msg, sizeof msg);
		config_error(st, st->lineno, "bad regular expression \"%s\" "
		    "for %s: %s", value, k->name, msg);
		return (-1);
	}
	regfree(&re);
	free(*out);
	*out = xstrdup(value);
	return (0);
}

/*
 * Whether value is an absolute http or https URL with a host and nothing
 * that could break out of an attribute; bad lists the characters also
 * refused.
 */
static bool
config_is_http_url(const char *value, const char *bad)
{
	const char	*rest;

	if (strncasecmp(value, "http://", 7) == 0)
		rest = value + 7;
	else if (strncasecmp(value, "https://", 8) == 0)
		rest = value + 8;
	else
		return (false);
	return (*rest != '\0' && *rest != '/' &&
	    strpbrk(value, " \t\"<>") == NULL && strpbrk(value, bad) == NULL);
}

/* Check and store an http(s) URL, such as the WebSub hub's. */
static int
config_set_http_url(struct config_state *st, const struct config_key *k,
    const char *value, char **out)
{
	if (!config_is_http_url(value, "")) {
		config_error(st, st->lineno, "bad %s \"%s\": use an http or "
		    "https URL, e.g. https://hub.example.org/", k->name, value);
		return (-1);
	}
	free(*out);
	*out = xstrdup(value);
	return (0);
}

/*
 * Check public_url, the base of every self link and feed id: an absolute
 * http or https URL with a host; stored with a final "/" so a file name
 * can be appended.
 */
static int
config_set_base_url(struct config_state *st, const char *value)
{
	size_t		 len = strlen(value);

	if (!config_is_http_url(value, "?#")) {
		config_error(st, st->lineno, "bad public_url \"%s\": use an "
		    "http or https URL without query or fragment, e.g. "
		    "https://feeds.example.org/", value);
		return (-1);
	}
	free(st->cfg->public_url);
	if (value[len - 1] == '/')
		st->cfg->public_url = xstrdup(value);
	else
		xasprintf(&st->cfg->public_url, "%s/", value);
	return (0);
}

/* Whether some feed has tag. */
bool
config_has_tag(const struct config *cfg, const char *tag)
{
	size_t	 i, j;

	for (i = 0; i < cfg->nfeeds; i++) {
		for (j = 0; j < cfg->feeds[i].ntags; j++) {
			if (strcmp(cfg->feeds[i].tags[j], tag) == 0)
				return (true);
		}
	}
	return (false);
}

/*
 * Checks of [output NAME] sections that need every feed: each feed named
 * is configured and each tag is some feed's.
 */
static int
config_finish_outputs(struct config_state *st)
{
	struct config		*cfg = st->cfg;
	struct config_output	*o;
	size_t			 i, j;

	for (i = 0; i < cfg->noutputs; i++) {
		o = &cfg->outputs[i];
		for (j = 0; j < o->feeds.n; j++) {
			if (config_find_feed(cfg, o->feeds.names[j]) == NULL) {
				config_error(st, o->feeds_line, "output \"%s\" "
				    "names unknown feed \"%s\"", o->name,
				    o->feeds.names[j]);
				return (-1);
			}
		}
		for (j = 0; j < o->tags.n; j++) {
			if (!config_has_tag(cfg, o->tags.names[j])) {
				config_error(st, o->tags_line, "output \"%s\" "
				    "names tag \"%s\", which no feed has",
				    o->name, o->tags.names[j]);
				return (-1);
			}
		}
	}
	return (0);
}

/* Free what one output owns. */
static void
config_output_clear(struct config_output *o)
{
	size_t	 i;

	free(o->name);
	free(o->title);
	for (i = 0; i < o->feeds.n; i++)
		free(o->feeds.names[i]);
	free(o->feeds.names);
	for (i = 0; i < o->tags.n; i++)
		free(o->tags.names[i]);
	free(o->tags.names);
	free(o->include);
	free(o->exclude);
	memset(o, 0, sizeof *o);
}

/* Whether s is a non-empty run of [A-Za-z0-9._-]. */
static bool
config_is_name(const char *s)
{
	return (*s != '\0' && strspn(s, CONFIG_NAME_CHARS) == strlen(s));
}

/*
 * Return the absolute directory holding path, symbolic links resolved, or
 * NULL with *cause set to why (without path).
 */
static char *
config_dir(const char *path, char **cause)
{
	char	*copy, *slash, *dir;

	copy = xstrdup(path);
	if ((slash = strrchr(copy, '/')) == NULL) {
		free(copy);
		copy = xstrdup(".");
	} else if (slash == copy)
		slash[1] = '\0';
	else
		*slash = '\0';
	if ((dir = realpath(copy, NULL)) == NULL)
		xasprintf(cause, "cannot resolve directory: %s",
		    strerror(errno));
	free(copy);
	return (dir);
}

/*
 * Return path made absolute against dir, a new string.  Leading "./"
 * components are dropped; nothing else is rewritten.
 */
static char *
config_path(const char *dir, const char *path)
{
	char	*out;

	if (*path == '/')
		return (xstrdup(path));
	while (strncmp(path, "./", 2) == 0) {
		path += 2;
		while (*path == '/')
			path++;
	}
	if (*path == '\0' || strcmp(path, ".") == 0)
		return (xstrdup(dir));
	if (dir[strlen(dir) - 1] == '/')
		xasprintf(&out, "%s%s", dir, path);
	else
		xasprintf(&out, "%s/%s", dir, path);
	return (out);
}

/*
 * Append an absolute file system path to a URL, percent-encoding bytes
 * that may not appear in a URL path (RFC 3986 section 3.3).
 */
static void
config_add_encoded(struct buf *b, const char *path)
{
	static const char	 safe[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/";
	const unsigned char	*p;

	for (p = (const unsigned char *)path; *p != '\0'; p++) {
		if (strchr(safe, *p) != NULL)
			buf_addc(b, (char)*p);
		else
			buf_addf(b, "%%%02X", *p);
	}
}

/* Free what one feed owns. */
static void
config_feed_clear(struct config_feed *f)
{
	size_t	 i;

	free(f->name);
	free(f->file);
	free(f->url);
	free(f->title);
	for (i = 0; i < f->ntags; i++)
		free(f->tags[i]);
	free(f->tags);
	free(f->fetch.user_agent);
	for (i = 0; i < f->nheaders; i++)
		free(f->headers[i]);
	free(f->headers);
	free(f->username);
	if (f->password != NULL)
		explicit_bzero(f->password, strlen(f->password));
	free(f->password);
	free(f->proxy);
	free(f->ca_file);
	free(f->dedup);
	memset(f, 0, sizeof *f);
}

/*
 * include = PATH-or-GLOB: read the files it names now, relative to the
 * directory of the file being read, a glob's matches in glob(3)'s sorted
 * order.  A glob matching nothing is fine (an empty feeds.d); a plain
 * path that does not exist is a mistake.
 */
static int
config_include(struct config_state *st, const char *value)
{
	glob_t	 g;
	char	*pattern;
	size_t	 i;
	int	 r, error = 0;

	assert(st->feed == NULL);
	if (value[strcspn(value, "*?[")] == '\0') {
		pattern = config_path(st->dir, value);
		error = config_read_file(st, pattern);
		free(pattern);
		return (error);
	}

	pattern = config_glob_pattern(st->dir, value);
	memset(&g, 0, sizeof g);
	r = glob(pattern, 0, NULL, &g);
	if (r != 0 && r != GLOB_NOMATCH) {
		config_error(st, st->lineno, "include %s: cannot list: %s",
		    value, r == GLOB_NOSPACE ? "out of memory" : "read error");
		error = -1;
	}
	for (i = 0; r == 0 && i < g.gl_pathc; i++) {
		if (config_read_file(st, g.gl_pathv[i]) != 0)
			error = -1;
	}
	globfree(&g);
	free(pattern);
	return (error);
}

/*
 * Return the glob pattern for value relative to dir, a new string.  The
 * directory is escaped: its name is not a pattern.
 */
static char *
config_glob_pattern(const char *dir, const char *value)
{
	struct buf	 b;
	const char	*p;

	if (*value == '/')
		return (xstrdup(value));
	buf_init(&b);
	for (p = dir; *p != '\0'; p++) {
		if (strchr("*?[\\", *p) != NULL)
			buf_addc(&b, '\\');
		buf_addc(&b, *p);
	}
	if (b.len == 0 || b.data[b.len - 1] != '/')
		buf_addc(&b, '/');
	buf_adds(&b, value);
	return (buf_steal(&b));
}

/*
 * Open path to be read: the main file, or one named by an include at the
 * current line, which is where a problem opening it is reported.  Sets
 * *real to its resolved path.  Returns -1 on error.
 */
static int
config_open_file(struct config_state *st, const char *path, FILE **out,
    char **real)
{
	struct stat	 sb;
	const char	*why = NULL;
	size_t		 i;

	*real = NULL;
	if ((*out = fopen(path, "r")) == NULL)
		why = strerror(errno);
	else if (fstat(fileno(*out), &sb) == 0 && S_ISDIR(sb.st_mode))
		why = strerror(EISDIR);
	else if ((*real = realpath(path, NULL)) == NULL)
		why = strerror(errno);
	if (why != NULL) {
		if (st->path == NULL)
			config_error_at(st, path, 0, "cannot open: %s", why);
		else {
			config_error(st, st->lineno, "include %s: cannot "
			    "open: %s", path, why);
		}
		goto fail;
	}
	for (i = 0; i < st->nreading; i++) {
		if (strcmp(st->reading[i], *real) == 0) {
			config_error(st, st->lineno, "include %s: include "
			    "cycle, the file is already being read", path);
			goto fail;
		}
	}
	return (0);

fail:
	free(*real);
	*real = NULL;
	if (*out != NULL)
		fclose(*out);
	*out = NULL;
	return (-1);
}

/* Exchange the file being read with the one saved in *file. */
static void
config_file_swap(struct config_state *st, struct config_file *file)
{
	struct config_file	 old;

	old.path = st->path;
	old.dir = st->dir;
	old.f = st->f;
	old.lineno = st->lineno;
	old.read_errno = st->read_errno;
	old.section = st->section;
	old.section_name = st->section_name;
	old.feed = st->feed;

	st->path = file->path;
	st->dir = file->dir;
	st->f = file->f;
	st->lineno = file->lineno;
	st->read_errno = file->read_errno;
	st->section = file->section;
	st->section_name = file->section_name;
	st->feed = file->feed;

	*file = old;
}

/*
 * Read the file at path into the state: the main file, or an included
 * one, read where the include line stands.  Returns -1 when the file
 * could not be read at all; the problems inside it are recorded.
 */
static int
config_read_file(struct config_state *st, const char *path)
{
	struct config_file	 file;
	size_t			 before = st->nerrors;
	char			*real, *cause = NULL;
	int			 r, ret = -1;

	memset(&file, 0, sizeof file);
	if (config_open_file(st, path, &file.f, &real) != 0)
		return (-1);
	if ((file.dir = config_dir(path, &cause)) == NULL) {
		config_error_at(st, path, 0, "%s", cause);
		goto out;
	}
	st->paths = xreallocarray(st->paths, st->npaths + 1,
	    sizeof *st->paths);
	st->paths[st->npaths++] = xstrdup(path);
	file.path = st->paths[st->npaths - 1];
	file.section = CONFIG_SECTION_NONE;
	st->reading = xreallocarray(st->reading, st->nreading + 1,
	    sizeof *st->reading);
	st->reading[st->nreading++] = real;

	config_file_swap(st, &file);
	r = ini_parse_stream(config_read_cb, st, config_ini_cb, st);
	if (r == -2)
		config_error_at(st, st->path, 0, "out of memory");
	else if (r > 0 && st->nerrors == before) {
		/* inih refused a line the reader let through. */
		config_error(st, r, "expected \"key = value\" or "
		    "\"[section]\"");
	}
	if (st->read_errno != 0) {
		config_error_at(st, st->path, 0, "cannot read: %s",
		    strerror(st->read_errno));
	}
	config_file_swap(st, &file);

	st->nreading--;
	ret = 0;
out:
	free(real);
	free(cause);
	free(file.dir);
	fclose(file.f);
	return (ret);
}

/*
 * Read and check the file at path and those it includes.  Returns the
 * configuration, or NULL with *cause set to every problem found, one per
 * line, which the caller frees.
 */
struct config *
config_load(const char *path, char **cause)
{
	struct config_state	 st;
	struct config		*cfg;
	struct buf		 b;
	size_t			 i;

	memset(&st, 0, sizeof st);
	*cause = NULL;

	cfg = xcalloc(1, sizeof *cfg);
	cfg->path = xstrdup(path);
	cfg->database = xstrdup(CONFIG_DEFAULT_DATABASE);
	cfg->default_interval = CONFIG_DEFAULT_INTERVAL;
	cfg->max_parallel = CONFIG_DEFAULT_MAX_PARALLEL;
	cfg->fetch.user_agent = xstrdup(CONFIG_DEFAULT_USER_AGENT);
	cfg->fetch.connect_timeout = CONFIG_DEFAULT_CONNECT_TIMEOUT;
	cfg->fetch.timeout = CONFIG_DEFAULT_TIMEOUT;
	cfg->fetch.max_body = CONFIG_DEFAULT_MAX_BODY;
	cfg->fetch.max_redirects = CONFIG_DEFAULT_MAX_REDIRECTS;
	cfg->per_host = CONFIG_DEFAULT_PER_HOST;
	cfg->max_interval = CONFIG_DEFAULT_MAX_INTERVAL;
	cfg->dedup = xstrdup(CONFIG_DEFAULT_DEDUP);
	cfg->retain_days = CONFIG_DEFAULT_RETAIN_DAYS;
	cfg->retain_per_feed = CONFIG_DEFAULT_RETAIN_PER_FEED;
	cfg->is_collapsing = true;
	cfg->log_level = CONFIG_DEFAULT_LOG_LEVEL;
	cfg->shutdown_grace = CONFIG_DEFAULT_SHUTDOWN_GRACE;
	cfg->output_dir = xstrdup(CONFIG_DEFAULT_OUTPUT_DIR);
	cfg->output_title = xstrdup(CONFIG_DEFAULT_OUTPUT_TITLE);
	cfg->max_entries = CONFIG_DEFAULT_MAX_ENTRIES;
	cfg->is_archiving = true;
	cfg->archive_page = CONFIG_DEFAULT_ARCHIVE_PAGE;
	cfg->listen = xstrdup(CONFIG_DEFAULT_LISTEN);
	cfg->http_max_connections = CONFIG_DEFAULT_HTTP_MAX_CONNECTIONS;
	cfg->http_header_timeout = CONFIG_DEFAULT_HTTP_HEADER_TIMEOUT;
	st.cfg = cfg;

	/*
	 * Feed URLs with long query strings are common: Debian's inih lets
	 * the line buffer be sized at run time instead of 200 bytes.
	 */
	ini_use_stack = false;
	ini_max_line = CONFIG_MAX_LINE;
	ini_initial_alloc = CONFIG_MAX_LINE;
	st.digest = util_sha256_new();
	if (config_read_file(&st, path) == 0) {
		/* Defaults are relative to the main file. */
		st.path = path;
		st.dir = config_dir(path, cause);
		if (st.dir != NULL)
			config_finish(&st);
		else {
			config_error_at(&st, path, 0, "%s", *cause);
			free(*cause);
			*cause = NULL;
		}
	}

	util_sha256_end(st.digest, cfg->digest);
	if (st.nerrors > 0) {
		buf_init(&b);
		for (i = 0; i < st.nerrors; i++)
			buf_addf(&b, "%s%s", i > 0 ? "\n" : "", st.errors[i]);
		*cause = buf_steal(&b);
		config_free(cfg);
		cfg = NULL;
	}
	for (i = 0; i < st.nerrors; i++)
		free(st.errors[i]);
	free(st.errors);
	for (i = 0; i < st.npaths; i++)
		free(st.paths[i]);
	free(st.paths);
	free(st.reading);
	free(st.by_name);
	free(st.line);
	free(st.dir);
	return (cfg);
}

/* Free a configuration and everything it owns; NULL is allowed. */
void
config_free(struct config *cfg)
{
	size_t	 i;

	if (cfg == NULL)
		return;
	for (i = 0; i < cfg->nfeeds; i++)
		config_feed_clear(&cfg->feeds[i]);
	free(cfg->feeds);
	for (i = 0; i < cfg->noutputs; i++)
		config_output_clear(&cfg->outputs[i]);
	free(cfg->outputs);
	free(cfg->public_url);
	free(cfg->hub);
	free(cfg->path);
	free(cfg->database);
	free(cfg->fetch.user_agent);
	free(cfg->allow_networks);
	for (i = 0; i < cfg->nallow_hosts; i++)
		free(cfg->allow_hosts[i]);
	free(cfg->allow_hosts);
	free(cfg->dedup);
	free(cfg->output_dir);
	free(cfg->output_title);
	free(cfg->listen);
	if (cfg->http_token != NULL)
		explicit_bzero(cfg->http_token, strlen(cfg->http_token));
	free(cfg->http_token);
	free(cfg);
}

/* Return the feed called name, or NULL; borrowed from cfg. */
const struct config_feed *
config_find_feed(const struct config *cfg, const char *name)
{
	size_t	 i;

	if (cfg == NULL || name == NULL)
		return (NULL);
	for (i = 0; i < cfg->nfeeds; i++) {
		if (strcmp(cfg->feeds[i].name, name) == 0)
			return (&cfg->feeds[i]);
	}
	return (NULL);
}
