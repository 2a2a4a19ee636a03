/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for config: each fixture in tests/data/config is one case.
 * Good files check every parsed value; each bad-*.conf file is one kind of
 * error and checks the exact "FILE:LINE: " prefix and a part of the
 * message.  Fixtures are found through FEEDD_TEST_DATA, set by ctest.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "feedd/config.h"
#include "feedd/util.h"

/* A file that must fail: where and why. */
struct test_error {
	const char	*name;		/* the test's name */
	const char	*file;		/* fixture under config/ */
	int		 line;		/* 0: a "FILE: " message */
	const char	*message;	/* expected part of the message */
};

/* A file that must fail at a line of a file it includes. */
struct test_include_error {
	const char	*name;
	const char	*file;		/* fixture under config/ */
	const char	*where;		/* the included file, under config/ */
	int		 line;
	const char	*message;
};

/* A file that must load, and the function checking what it holds. */
struct test_good {
	const char	*name;
	const char	*file;
	void		(*check)(const struct config *, const char *);
};

static const char	*test_data(void);
static char		*test_fixture(const char *);
static char		*test_config_dir(void);
static char		*test_in_dir(const char *);
static struct config	*test_load(const char *);
static void		 test_expect_error(const char *, const char *, int,
			    const char *);
static void		 test_include_error_case(void **);
static void		 test_good_case(void **);
static void		 test_error_case(void **);
static void		 test_missing_file(void **);
static void		 test_directory(void **);
static void		 test_find_feed(void **);
static void		 test_free_null(void **);
static void		 check_good(const struct config *, const char *);
static void		 check_defaults(const struct config *);
static void		 check_minimal(const struct config *, const char *);
static void		 check_empty(const struct config *, const char *);
static void		 check_late_default(const struct config *,
			    const char *);
static void		 check_no_http(const struct config *, const char *);
static void		 check_listen_v6(const struct config *, const char *);
static void		 check_file_urls(const struct config *, const char *);
static void		 check_tags(const struct config *, const char *);
static void		 check_layout(const struct config *, const char *);
static void		 check_fetch(const struct config *, const char *);
static void		 check_exposed(const struct config *, const char *);
static void		 check_include(const struct config *, const char *);
static void		 test_every_problem(void **);
static void		 check_service(const struct config *, const char *);

static const struct test_good test_goods[] = {
	{ "good_every_key", "good.conf", check_good },
	{ "good_defaults_when_keys_absent", "minimal.conf", check_minimal },
	{ "good_empty_file_has_defaults_no_feeds", "empty.conf",
	  check_empty },
	{ "good_default_interval_after_feeds", "late-default.conf",
	  check_late_default },
	{ "good_empty_listen_disables_http", "no-http.conf", check_no_http },
	{ "good_listen_ipv6", "listen-v6.conf", check_listen_v6 },
	{ "good_file_urls_and_absolute_paths", "file-urls.conf",
	  check_file_urls },
	{ "good_tags_trimmed_empty_and_repeats_dropped", "tags.conf",
	  check_tags },
	{ "good_bom_crlf_indent_comments_colon", "layout.conf",
	  check_layout },
	{ "good_fetch_limits_inherit_and_override", "fetch.conf",
	  check_fetch },
	{ "good_exposed_listener_blocks_private", "exposed.conf",
	  check_exposed },
	{ "good_include_glob_sorted_paths_relative_to_each_file",
	  "include.conf", check_include },
	{ "good_log_level_syslog_and_shutdown_grace", "service.conf",
	  check_service },
};

static const struct test_error test_errors[] = {
	{ "error_syntax_no_equals", "bad-syntax.conf", 3,
	  "expected \"key = value\"" },
	{ "error_syntax_reported_before_later_error", "bad-syntax-first.conf",
	  3, "expected \"key = value\"" },
	{ "error_unclosed_section", "bad-unclosed-section.conf", 3,
	  "missing ']'" },
	{ "error_text_after_section", "bad-text-after-section.conf", 1,
	  "unexpected text after ']'" },
	{ "error_unknown_section", "bad-unknown-section.conf", 4,
	  "unknown section [server]" },
	{ "error_unknown_key", "bad-unknown-key.conf", 3,
	  "unknown key \"colour\" in [feedd]" },
	{ "error_unknown_feed_key", "bad-unknown-feed-key.conf", 3,
	  "unknown key \"link\" in [feed news]" },
	{ "error_key_outside_section", "bad-key-outside-section.conf", 2,
	  "key \"database\" outside any section" },
	{ "error_missing_key_name", "bad-missing-key.conf", 2,
	  "missing key" },
	{ "error_bad_duration", "bad-duration.conf", 2,
	  "bad duration \"1x\" for default_interval" },
	{ "error_zero_feed_interval", "bad-feed-interval.conf", 3,
	  "bad duration \"0\" for interval" },
	{ "error_interval_out_of_range", "bad-interval-range.conf", 3,
	  "interval \"400d\" is out of range" },
	{ "error_hub_not_http", "bad-hub.conf", 2,
	  "bad hub \"ftp://hub.example.org/\": use an http or https URL" },
	{ "error_not_a_number", "bad-number.conf", 2,
	  "bad number \"lots\" for max_parallel" },
	{ "error_max_parallel_too_big", "bad-max-parallel.conf", 2,
	  "max_parallel 10001 is out of range 1..10000" },
	{ "error_max_parallel_zero", "bad-max-parallel-zero.conf", 2,
	  "max_parallel 0 is out of range 1..10000" },
	{ "error_max_entries_too_big", "bad-max-entries.conf", 3,
	  "max_entries 100001 is out of range 1..100000" },
	{ "error_empty_url", "bad-empty-url.conf", 2, "empty url" },
	{ "error_url_scheme", "bad-url-scheme.conf", 2,
	  "unsupported url scheme \"ftp\"" },
	{ "error_url_without_scheme", "bad-url-no-scheme.conf", 2,
	  "has no scheme" },
	{ "error_url_without_host", "bad-url-no-host.conf", 2,
	  "has no host" },
	{ "error_file_url_with_host", "bad-url-file-host.conf", 2,
	  "names a host" },
	{ "error_listen_without_port", "bad-listen.conf", 2,
	  "bad listen address \"localhost\"" },
	{ "error_listen_port_too_big", "bad-listen-port.conf", 2,
	  "bad listen address \"127.0.0.1:70000\"" },
	{ "error_duplicate_feed_at_second", "bad-duplicate-feed.conf", 7,
	  "duplicate feed \"news\" (first defined on line 1)" },
	{ "error_duplicate_key", "bad-duplicate-key.conf", 4,
	  "duplicate key \"url\" (first set on line 2)" },
	{ "error_duplicate_key_across_sections",
	  "bad-duplicate-key-sections.conf", 8,
	  "duplicate key \"max_parallel\" (first set on line 2)" },
	{ "error_feed_without_url_at_header", "bad-feed-no-url.conf", 4,
	  "feed \"second\" has no url" },
	{ "error_empty_feed_section_at_end", "bad-feed-no-url-last.conf", 4,
	  "feed \"empty\" has no url" },
	{ "error_feed_name_empty", "bad-feed-name-empty.conf", 1,
	  "bad feed name: empty" },
	{ "error_feed_name_characters", "bad-feed-name-chars.conf", 1,
	  "bad feed name \"news/tech\"" },
	{ "error_bad_tag", "bad-tag.conf", 3, "bad tag \"not ok\"" },
	{ "error_empty_value", "bad-empty-value.conf", 2,
	  "empty value for title" },
	{ "error_line_too_long", "bad-long-line.conf", 2, "line too long" },
	{ "error_bad_size_unit", "bad-size.conf", 2,
	  "bad size \"16X\" for max_body" },
	{ "error_size_too_big", "bad-size-big.conf", 2,
	  "max_body 5G is larger than 4G" },
	{ "error_max_redirects_out_of_range", "bad-redirects.conf", 3,
	  "max_redirects 21 is out of range 0..20" },
	{ "error_header_feedd_manages", "bad-header-managed.conf", 3,
	  "header Host is set by feedd itself" },
	{ "error_header_without_colon", "bad-header.conf", 3,
	  "bad header \"no colon\"" },
	{ "error_password_without_username", "bad-password-no-user.conf",
	  1, "has a password but no username" },
	{ "error_password_file_missing", "bad-password-file.conf", 4,
	  "no-such-secret: No such file or directory" },
	{ "error_bad_network", "bad-network.conf", 2,
	  "bad network \"10.1.0.300\": use an address, address/bits or a "
	  "host name" },
	{ "error_bad_host_name", "bad-host-name.conf", 2,
	  "bad network \"intranet-.example\"" },
	{ "error_bad_choice", "bad-choice.conf", 2,
	  "bad value \"maybe\" for block_private" },
	{ "error_bad_dedup", "bad-dedup.conf", 3,
	  "bad value \"guid\" for dedup: use auto, id, link or content" },
	{ "error_bad_bool", "bad-bool.conf", 2,
	  "bad value \"maybe\" for collapse_duplicates: use yes or no" },
	{ "error_include_missing_plain_path", "bad-include-missing.conf", 2,
	  "no-such-dir/x.conf: cannot open: No such file or directory" },
	{ "error_include_only_in_feedd_section", "bad-include-in-feed.conf",
	  3, "unknown key \"include\" in [feed x]" },
	{ "error_bad_log_level", "bad-log-level.conf", 2,
	  "bad value \"loud\" for log_level: use error, warning, notice, "
	  "info or debug" },
};

static const struct test_include_error test_include_errors[] = {
	{ "error_include_cycle_at_the_closing_include",
	  "bad-include-cycle.conf", "include-cycle/loop.conf", 2,
	  "include cycle" },
	{ "error_include_duplicate_feed_names_both_files",
	  "bad-include-duplicate.conf", "include-dup/one.conf", 1,
	  "duplicate feed \"one\" (first defined at " },
	{ "error_include_problem_names_included_file_and_line",
	  "bad-include-inside.conf", "include-bad/x.conf", 3,
	  "unknown key \"colour\" in [feed x]" },
	{ "error_include_duplicate_key_across_files",
	  "bad-include-dup-key.conf", "include-plain/extra.conf", 2,
	  "duplicate key \"title\" (first set at " },
};

/* The test data directory; fails the test when ctest did not set it. */
static const char *
test_data(void)
{
	const char	*dir;

	dir = getenv("FEEDD_TEST_DATA");
	if (dir == NULL || *dir == '\0')
		fail_msg("FEEDD_TEST_DATA is not set (run through ctest)");
	return (dir);
}

/* The path of a fixture, as given to config_load; caller frees. */
static char *
test_fixture(const char *file)
{
	char	*path;

	xasprintf(&path, "%s/config/%s", test_data(), file);
	return (path);
}

/* The absolute, resolved fixture directory; caller frees. */
static char *
test_config_dir(void)
{
	char	*path, *dir;

	path = test_fixture(".");
	dir = realpath(path, NULL);
	assert_non_null(dir);
	free(path);
	return (dir);
}

/* The fixture directory joined with rel; caller frees. */
static char *
test_in_dir(const char *rel)
{
	char	*dir, *out;

	dir = test_config_dir();
	xasprintf(&out, "%s/%s", dir, rel);
	free(dir);
	return (out);
}

/* Load a fixture that must load, failing with its cause otherwise. */
static struct config *
test_load(const char *file)
{
	struct config	*cfg;
	char		*path, *cause = NULL;

	path = test_fixture(file);
	cfg = config_load(path, &cause);
	if (cfg == NULL)
		fail_msg("%s: %s", file, cause);
	assert_null(cause);
	assert_string_equal(cfg->path, path);
	free(path);
	return (cfg);
}

/* Run one row of test_goods. */
static void
test_good_case(void **state)
{
	const struct test_good	*t = *state;
	struct config		*cfg;

	cfg = test_load(t->file);
	t->check(cfg, t->file);
	config_free(cfg);
}

/*
 * Load file, which must fail with a cause starting with the exact
 * "WHERE:LINE: " prefix (where is file itself when NULL) and containing
 * message.
 */
static void
test_expect_error(const char *file, const char *where, int line,
    const char *message)
{
	struct config	*cfg;
	char		*path, *prefix, *cause = NULL;

	path = test_fixture(file);
	cfg = config_load(path, &cause);
	if (cfg != NULL)
		fail_msg("%s loaded but should fail", file);
	assert_non_null(cause);
	if (where != NULL) {
		free(path);
		path = test_in_dir(where);
	}
	xasprintf(&prefix, "%s:%d: ", path, line);
	if (strncmp(cause, prefix, strlen(prefix)) != 0)
		fail_msg("cause \"%s\" does not start with \"%s\"", cause,
		    prefix);
	if (strstr(cause + strlen(prefix), message) == NULL)
		fail_msg("cause \"%s\" does not contain \"%s\"", cause,
		    message);
	free(prefix);
	free(path);
	free(cause);
}

/* Run one row of test_errors: exact "FILE:LINE: " prefix, then message. */
static void
test_error_case(void **state)
{
	const struct test_error	*t = *state;

	test_expect_error(t->file, NULL, t->line, t->message);
}

/* Run one row of test_include_errors. */
static void
test_include_error_case(void **state)
{
	const struct test_include_error	*t = *state;

	test_expect_error(t->file, t->where, t->line, t->message);
}

/*
 * Every problem is reported, one per line in the order found, with the
 * keys under a broken header skipped rather than misreported; feeds
 * without a url come last, at their headers.
 */
static void
test_every_problem(void **state)
{
	static const char *want[] = {
		"2: bad number \"lots\" for max_parallel",
		"3: expected \"key = value\" or \"[section]\"",
		"4: missing ']' in section header",
		"7: bad listen address \"nowhere\"",
		"9: bad duration \"5 fortnights\" for interval",
		"10: duplicate feed \"a\" (first defined on line 8)",
		"11: unsupported url scheme \"ftp\"",
		"12: unknown section [server]",
		"8: feed \"a\" has no url",
		"14: feed \"b\" has no url",
	};
	struct config	*cfg;
	char		*path, *cause = NULL, *line, *next, *prefix;
	size_t		 i = 0;

	(void)state;
	path = test_fixture("bad-many.conf");
	cfg = config_load(path, &cause);
	assert_null(cfg);
	assert_non_null(cause);
	next = cause;
	while ((line = strsep(&next, "\n")) != NULL) {
		if (i == sizeof want / sizeof want[0])
			fail_msg("unexpected problem: %s", line);
		xasprintf(&prefix, "%s:%s", path, want[i]);
		if (strncmp(line, prefix, strlen(prefix)) != 0)
			fail_msg("problem %zu is \"%s\", not \"%s...\"", i,
			    line, prefix);
		free(prefix);
		i++;
	}
	assert_int_equal(i, sizeof want / sizeof want[0]);
	free(path);
	free(cause);
}

/* A missing file says "FILE: cannot open: " and strerror. */
static void
test_missing_file(void **state)
{
	struct config	*cfg;
	char		*path, *want, *cause = NULL;

	(void)state;
	path = test_fixture("does-not-exist.conf");
	cfg = config_load(path, &cause);
	assert_null(cfg);
	assert_non_null(cause);
	xasprintf(&want, "%s: cannot open: No such file or directory", path);
	assert_string_equal(cause, want);
	free(want);
	free(path);
	free(cause);
}

/* A directory is not a configuration file. */
static void
test_directory(void **state)
{
	struct config	*cfg;
	char		*path, *want, *cause = NULL;

	(void)state;
	path = test_fixture("");
	cfg = config_load(path, &cause);
	assert_null(cfg);
	xasprintf(&want, "%s: cannot open: Is a directory", path);
	assert_string_equal(cause, want);
	free(want);
	free(path);
	free(cause);
}

/* config_find_feed finds feeds by exact name and nothing else. */
static void
test_find_feed(void **state)
{
	struct config			*cfg;
	const struct config_feed	*f;

	(void)state;
	cfg = test_load("good.conf");
	f = config_find_feed(cfg, "local");
	assert_non_null(f);
	assert_ptr_equal(f, &cfg->feeds[1]);
	f = config_find_feed(cfg, "example");
	assert_ptr_equal(f, &cfg->feeds[0]);
	assert_null(config_find_feed(cfg, "Example"));
	assert_null(config_find_feed(cfg, "exam"));
	assert_null(config_find_feed(cfg, ""));
	assert_null(config_find_feed(cfg, NULL));
	assert_null(config_find_feed(NULL, "local"));
	config_free(cfg);
}

/* config_free accepts NULL. */
static void
test_free_null(void **state)
{
	(void)state;
	config_free(NULL);
}

/* good.conf: every key set. */
static void
check_good(const struct config *cfg, const char *file)
{
	const struct config_feed	*f;
	char				*want, *dir;

	(void)file;
	want = test_in_dir("state/feedd.db");
	assert_string_equal(cfg->database, want);
	free(want);
	assert_int_equal(cfg->default_interval, 2 * 3600);
	assert_int_equal(cfg->max_parallel, 8);
	assert_string_equal(cfg->fetch.user_agent,
	    "feedd-test/1.0 (+https://example.org/)");
	want = test_in_dir("public");
	assert_string_equal(cfg->output_dir, want);
	free(want);
	assert_string_equal(cfg->output_title, "My river");
	assert_string_equal(cfg->hub, "https://hub.example.org/websub");
	assert_int_equal(cfg->max_entries, 50);
	assert_string_equal(cfg->listen, "127.0.0.1:9090");

	assert_int_equal(cfg->nfeeds, 2);
	f = &cfg->feeds[0];
	assert_string_equal(f->name, "example");
	assert_string_equal(f->url, "https://example.org/feed.xml");
	assert_int_equal(f->interval, 30 * 60);
	assert_string_equal(f->title, "Example, overridden");
	assert_int_equal(f->ntags, 2);
	assert_string_equal(f->tags[0], "tech");
	assert_string_equal(f->tags[1], "news");
	assert_int_equal(f->line, 17);

	f = &cfg->feeds[1];
	assert_string_equal(f->name, "local");
	dir = test_config_dir();
	xasprintf(&want, "file://%s/feeds/local.xml", dir);
	assert_string_equal(f->url, want);
	free(want);
	free(dir);
	assert_int_equal(f->interval, 2 * 3600);
	assert_null(f->title);
	assert_int_equal(f->ntags, 0);
	assert_null(f->tags);
	assert_int_equal(f->line, 23);
}

/* Checks every default but the feeds. */
static void
check_defaults(const struct config *cfg)
{
	char	*want;

	want = test_in_dir("feedd.db");
	assert_string_equal(cfg->database, want);
	free(want);
	assert_int_equal(cfg->default_interval, 3600);
	assert_int_equal(cfg->max_parallel, 32);
	assert_string_equal(cfg->fetch.user_agent,
	    "feedd/" FEEDD_VERSION " (+" FEEDD_URL ")");
	want = test_in_dir("out");
	assert_string_equal(cfg->output_dir, want);
	free(want);
	assert_string_equal(cfg->output_title, "feedd");
	assert_null(cfg->hub);
	assert_int_equal(cfg->max_entries, 200);
	assert_string_equal(cfg->listen, "127.0.0.1:8080");
	assert_int_equal(cfg->log_level, 6);
	assert_false(cfg->is_syslog);
	assert_int_equal(cfg->shutdown_grace, 10);
}

/* service.conf: log_level by name, log_syslog, shutdown_grace. */
static void
check_service(const struct config *cfg, const char *file)
{
	(void)file;
	assert_int_equal(cfg->log_level, 4);
	assert_true(cfg->is_syslog);
	assert_int_equal(cfg->shutdown_grace, 30);
}

/*
 * exposed.conf: auto blocks private addresses, but for the networks and
 * host names (lower case, no final dot) allowed; per-feed request options.
 */
static void
check_exposed(const struct config *cfg, const char *file)
{
	const struct config_feed	*f = &cfg->feeds[0];
	char				*want;

	(void)file;
	assert_true(cfg->is_private_blocked);
	assert_int_equal(cfg->nallow_networks, 2);
	assert_int_equal(cfg->nallow_hosts, 2);
	assert_string_equal(cfg->allow_hosts[0], "intranet.example");
	assert_string_equal(cfg->allow_hosts[1], "build-01.lan");
	assert_int_equal(f->nheaders, 2);
	assert_string_equal(f->headers[0], "X-One: 1");
	assert_string_equal(f->headers[1], "X-Two: two words");
	assert_string_equal(f->username, "me");
	assert_string_equal(f->password, "pw");
	assert_string_equal(f->proxy, "http://proxy.example:3128");
	want = test_in_dir("certs/ca.pem");
	assert_string_equal(f->ca_file, want);
	free(want);
}

/* fetch.conf: limits set in [feedd], inherited or overridden per feed. */
static void
check_fetch(const struct config *cfg, const char *file)
{
	const struct config_feed	*f;

	(void)file;
	assert_int_equal(cfg->fetch.connect_timeout, 5);
	assert_int_equal(cfg->fetch.timeout, 120);
	assert_int_equal(cfg->fetch.max_body, 8 * 1024 * 1024);
	assert_int_equal(cfg->fetch.max_redirects, 3);
	assert_int_equal(cfg->per_host, 4);
	assert_int_equal(cfg->max_interval, 12 * 3600);
	/* auto, with the default loopback listener: no. */
	assert_false(cfg->is_private_blocked);
	assert_int_equal(cfg->nfeeds, 2);
	f = &cfg->feeds[0];
	assert_int_equal(f->fetch.connect_timeout, 5);
	assert_int_equal(f->fetch.timeout, 120);
	assert_int_equal(f->fetch.max_body, 8 * 1024 * 1024);
	assert_int_equal(f->fetch.max_redirects, 3);
	assert_string_equal(f->fetch.user_agent, "agent/1");
	assert_string_equal(f->dedup, "link");
	assert_string_equal(cfg->dedup, "link");
	assert_int_equal(cfg->retain_days, 30);
	assert_int_equal(cfg->retain_per_feed, 0);
	assert_false(cfg->is_collapsing);
	f = &cfg->feeds[1];
	assert_int_equal(f->fetch.connect_timeout, 1);
	assert_int_equal(f->fetch.timeout, 30);
	assert_int_equal(f->fetch.max_body, 512 * 1024);
	assert_int_equal(f->fetch.max_redirects, 0);
	assert_string_equal(f->fetch.user_agent, "agent/2");
	assert_string_equal(f->dedup, "content");
}

/*
 * minimal.conf: one feed, defaults everywhere else, including the fetch
 * limits the feed inherits.
 */
static void
check_minimal(const struct config *cfg, const char *file)
{
	(void)file;
	check_defaults(cfg);
	assert_int_equal(cfg->nfeeds, 1);
	assert_string_equal(cfg->feeds[0].name, "only");
	assert_string_equal(cfg->feeds[0].url, "http://example.com/rss");
	assert_int_equal(cfg->feeds[0].interval, 3600);
	assert_null(cfg->feeds[0].title);
	assert_int_equal(cfg->feeds[0].ntags, 0);
	assert_int_equal(cfg->feeds[0].line, 2);
	assert_int_equal(cfg->per_host, 2);
	assert_int_equal(cfg->max_interval, 86400);
	assert_int_equal(cfg->feeds[0].fetch.connect_timeout, 10);
	assert_int_equal(cfg->feeds[0].fetch.timeout, 60);
	assert_int_equal(cfg->feeds[0].fetch.max_body, 16 * 1024 * 1024);
	assert_int_equal(cfg->feeds[0].fetch.max_redirects, 5);
	assert_string_equal(cfg->feeds[0].fetch.user_agent,
	    cfg->fetch.user_agent);
	assert_string_equal(cfg->feeds[0].dedup, "auto");
	assert_int_equal(cfg->retain_days, 90);
	assert_int_equal(cfg->retain_per_feed, 1000);
	assert_true(cfg->is_collapsing);
}

/* empty.conf: defaults and no feeds. */
static void
check_empty(const struct config *cfg, const char *file)
{
	(void)file;
	check_defaults(cfg);
	assert_int_equal(cfg->nfeeds, 0);
	assert_null(cfg->feeds);
}

/* late-default.conf: default_interval applies to feeds read before it. */
static void
check_late_default(const struct config *cfg, const char *file)
{
	(void)file;
	assert_int_equal(cfg->default_interval, 45);
	assert_int_equal(cfg->nfeeds, 2);
	assert_int_equal(cfg->feeds[0].interval, 45);
	assert_int_equal(cfg->feeds[1].interval, 600);
}

/* no-http.conf: "listen =" means no HTTP server. */
static void
check_no_http(const struct config *cfg, const char *file)
{
	(void)file;
	assert_null(cfg->listen);
}

/* listen-v6.conf: a bracketed IPv6 address is kept as written. */
static void
check_listen_v6(const struct config *cfg, const char *file)
{
	(void)file;
	assert_string_equal(cfg->listen, "[::1]:8081");
}

/* file-urls.conf: file: forms and absolute or "./" paths. */
static void
check_file_urls(const struct config *cfg, const char *file)
{
	char	*dir, *want;

	(void)file;
	assert_string_equal(cfg->database, "/var/lib/feedd/feedd.db");
	want = test_in_dir("www");
	assert_string_equal(cfg->output_dir, want);
	free(want);
	assert_int_equal(cfg->nfeeds, 3);
	assert_string_equal(cfg->feeds[0].url, "file:///srv/feeds/a.xml");
	assert_string_equal(cfg->feeds[1].url, "file:///srv/feeds/b.xml");
	dir = test_config_dir();
	xasprintf(&want, "file://%s/../feeds/c.xml", dir);
	assert_string_equal(cfg->feeds[2].url, want);
	free(want);
	free(dir);
}

/* tags.conf: items trimmed, empty ones and repeats dropped. */
static void
check_tags(const struct config *cfg, const char *file)
{
	const struct config_feed	*f = &cfg->feeds[0];

	(void)file;
	assert_int_equal(f->ntags, 3);
	assert_string_equal(f->tags[0], "tech");
	assert_string_equal(f->tags[1], "news");
	assert_string_equal(f->tags[2], "a.b_c-9");
}

/* layout.conf: BOM, CRLF, indentation, comments, "key: value". */
static void
check_layout(const struct config *cfg, const char *file)
{
	(void)file;
	assert_int_equal(cfg->max_parallel, 4);
	assert_string_equal(cfg->fetch.user_agent, "tabbed agent");
	assert_int_equal(cfg->nfeeds, 1);
	assert_string_equal(cfg->feeds[0].name, "spaced");
	assert_string_equal(cfg->feeds[0].url, "https://example.org/a;b.xml");
	assert_string_equal(cfg->feeds[0].title, "Semi;colon");
	assert_int_equal(cfg->feeds[0].line, 6);
}

/*
 * include.conf: the glob's files are read in sorted order where the
 * include stands, each feed knows its file, and relative paths and file:
 * URLs follow the file that names them.
 */
static void
check_include(const struct config *cfg, const char *file)
{
	char	*path, *want, *dir;

	path = test_fixture(file);
	assert_int_equal(cfg->nfeeds, 3);
	assert_string_equal(cfg->feeds[0].name, "alpha");
	assert_string_equal(cfg->feeds[1].name, "beta");
	assert_string_equal(cfg->feeds[2].name, "main");
	want = test_in_dir("include.d/a.conf");
	assert_string_equal(cfg->feeds[0].file, want);
	assert_int_equal(cfg->feeds[0].line, 2);
	free(want);
	want = test_in_dir("include.d/b.conf");
	assert_string_equal(cfg->feeds[1].file, want);
	assert_int_equal(cfg->feeds[1].line, 1);
	free(want);
	assert_string_equal(cfg->feeds[2].file, path);
	assert_int_equal(cfg->feeds[2].line, 10);

	want = test_in_dir("include.d/ca.pem");
	assert_string_equal(cfg->feeds[0].ca_file, want);
	free(want);
	dir = test_config_dir();
	xasprintf(&want, "file://%s/include.d/alpha.xml", dir);
	assert_string_equal(cfg->feeds[0].url, want);
	free(want);
	xasprintf(&want, "%s/state/feedd.db", dir);
	assert_string_equal(cfg->database, want);
	free(want);
	free(dir);
	assert_string_equal(cfg->output_title, "included title");
	assert_int_equal(cfg->max_parallel, 3);
	free(path);
}

/* Build one named test per table row, then the single ones, and run. */
int
main(void)
{
	static const struct CMUnitTest	 single[] = {
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_directory),
		cmocka_unit_test(test_find_feed),
		cmocka_unit_test(test_free_null),
		cmocka_unit_test(test_every_problem),
	};
	struct CMUnitTest		*tests;
	size_t				 ngood, nerror, ninclude, nsingle, n;
	size_t				 i;
	int				 failed;

	ngood = sizeof test_goods / sizeof test_goods[0];
	nerror = sizeof test_errors / sizeof test_errors[0];
	ninclude = sizeof test_include_errors / sizeof test_include_errors[0];
	nsingle = sizeof single / sizeof single[0];
	tests = xcalloc(ngood + nerror + ninclude + nsingle, sizeof *tests);
	n = 0;
	for (i = 0; i < ngood; i++) {
		tests[n].name = test_goods[i].name;
		tests[n].test_func = test_good_case;
		tests[n++].initial_state = (void *)&test_goods[i];
	}
	for (i = 0; i < nerror; i++) {
		tests[n].name = test_errors[i].name;
		tests[n].test_func = test_error_case;
		tests[n++].initial_state = (void *)&test_errors[i];
	}
	for (i = 0; i < ninclude; i++) {
		tests[n].name = test_include_errors[i].name;
		tests[n].test_func = test_include_error_case;
		tests[n++].initial_state = (void *)&test_include_errors[i];
	}
	for (i = 0; i < nsingle; i++)
		tests[n++] = single[i];

	failed = _cmocka_run_group_tests("config", tests, n, NULL, NULL);
	free(tests);
	return (failed);
}
