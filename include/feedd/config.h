/*
 * config: read and check the INI file (inih) into a struct config.  Errors
 * name FILE:LINE.  Relative paths are made relative to the config file's
 * directory.  config never touches the network or the database.
 */
#ifndef FEEDD_CONFIG_H
#define FEEDD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feedd/util.h"

/*
 * Per-transfer limits: [feedd] holds the defaults and a [feed NAME] may
 * override each; after config_load every feed's copy is complete.
 */
struct config_fetch {
	int64_t	 connect_timeout;	/* seconds */
	int64_t	 timeout;		/* seconds, the whole transfer */
	int64_t	 max_body;		/* decoded body bytes */
	int	 max_redirects;
	char	*user_agent;
};

struct config_feed {
	char	*name;		/* section name after "feed " */
	char	*file;		/* the file of its [feed NAME] header */
	char	*url;		/* as configured; relative file: made absolute */
	int64_t	 interval;	/* seconds; the default when not set */
	char	*title;		/* overrides the feed's own title, or NULL */
	char	**tags;
	size_t	 ntags;
	int	 line;		/* line of the [feed NAME] header */
	struct config_fetch fetch;
	char	**headers;	/* extra "Name: value" request headers */
	size_t	 nheaders;
	char	*username;	/* HTTP basic auth, or NULL */
	char	*password;	/* given, or read from password_file */
	char	*proxy;		/* proxy URL; NULL: the environment's */
	char	*ca_file;	/* extra CA certificates (absolute path) */
	char	*dedup;		/* auto, id, link or content */
};

/* Names from a value such as "a, b c": commas or white space apart. */
struct config_names {
	char	**names;
	size_t	 n;
};

/* An [output NAME] section: a combined feed of chosen entries. */
struct config_output {
	char			*name;		/* section name after "output " */
	char			*title;		/* NULL: "[output] title: NAME" */
	struct config_names	 feeds;		/* feed names */
	struct config_names	 tags;		/* neither set: every feed */
	char			*include;	/* POSIX extended regex, or NULL */
	char			*exclude;	/* POSIX extended regex, or NULL */
	bool			 is_ignoring_case;
	int			 max_entries;	/* 0: [output] max_entries */
	int64_t			 max_age;	/* seconds; 0: no limit */
	int			 line;		/* line of the header */
	int			 feeds_line;	/* lines of the keys, for errors */
	int			 tags_line;
};

struct config {
	char			*path;		/* the file read */
	char			 digest[65];	/* SHA-256 of the text of
						   every file read */
	char			*database;	/* absolute path */
	int64_t			 default_interval;	/* seconds */
	int			 max_parallel;
	int			 per_host;	/* connections per host */
	int64_t			 max_interval;	/* ceiling on delays, seconds */
	struct config_fetch	 fetch;		/* defaults for every feed */
	bool			 is_private_blocked; /* block_private, resolved */
	char			*dedup;		/* default for every feed */
	int			 retain_days;	/* 0: keep entries forever */
	int			 retain_per_feed; /* 0: no limit */
	bool			 is_collapsing;	/* one entry per article */
	struct util_cidr	*allow_networks; /* exceptions to it */
	size_t			 nallow_networks;
	char			**allow_hosts;	/* ...by host name, lower case */
	size_t			 nallow_hosts;
	char			*output_dir;	/* absolute path */
	char			*output_title;
	int			 max_entries;
	int64_t			 max_age;	/* seconds; 0: no limit */
	bool			 is_archiving;	/* RFC 5005 archive/N.atom */
	int			 archive_page;	/* entries per archive page */
	char			*hub;		/* WebSub hub URL, or NULL */
	struct config_output	*outputs;	/* [output NAME] sections */
	size_t			 noutputs;
	char			*listen;	/* host:port, or NULL: no HTTP */
	char			*http_token;	/* needed to read, or NULL */
	int			 http_max_connections;
	int64_t			 http_header_timeout;	/* seconds */
	char			*public_url;	/* base of self links, ends in
						   "/"; NULL: from listen */
	int			 log_level;	/* 3 error ... 7 debug, as
						   enum log_level */
	bool			 is_syslog;	/* log_syslog: copy to syslog */
	int64_t			 shutdown_grace; /* seconds SIGTERM waits */
	struct config_feed	*feeds;
	size_t			 nfeeds;
};

/*
 * Read and check path and the files it includes.  On error returns NULL
 * and sets *cause to every problem found, one per line, each
 * "FILE:LINE: message" (or "FILE: message"), allocated; the caller frees
 * it.  The first line is the first problem.
 */
struct config		*config_load(const char *path, char **cause);
void			 config_free(struct config *);
const struct config_feed *config_find_feed(const struct config *,
			    const char *name);
/* Whether some feed has tag. */
bool			 config_has_tag(const struct config *, const char *);

#endif
