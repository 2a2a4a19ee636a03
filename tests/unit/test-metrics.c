/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for metrics: label escaping, and the rendered text of
 * counters, the histogram and per-feed gauges (exact sample lines).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "feedd/metrics.h"
#include "feedd/util.h"

/* A label value and its escaped form. */
struct test_escape {
	const char	*in;
	const char	*out;
};

/* The three characters the exposition format escapes, and no other. */
static void
test_escape_label(void **state)
{
	static const struct test_escape cases[] = {
		{ "plain", "plain" },
		{ "a\\b", "a\\\\b" },
		{ "say \"hi\"", "say \\\"hi\\\"" },
		{ "two\nlines", "two\\nlines" },
		{ "tab\tand \xc3\xa9", "tab\tand \xc3\xa9" },
		{ "", "" },
	};
	struct buf	 b;
	size_t		 i;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		buf_init(&b);
		metrics_escape_label(&b, cases[i].in);
		buf_addc(&b, '\0');
		assert_string_equal(b.data, cases[i].out);
		buf_clear(&b);
	}
}

/* Whether text holds line as a whole line. */
static int
has_line(const char *text, const char *line)
{
	const char	*p = text;
	size_t		 len = strlen(line);

	while ((p = strstr(p, line)) != NULL) {
		if ((p == text || p[-1] == '\n') && p[len] == '\n')
			return (1);
		p += len;
	}
	return (0);
}

/* Render mx with one feed named name into an allocated string. */
static char *
render(struct metrics *mx, const char *name)
{
	struct metrics_feed	 f;
	struct metrics_gauges	 g;
	struct buf		 b;

	memset(&f, 0, sizeof f);
	f.name = name;
	f.condition = "failing";
	f.last_status = 404;
	f.failures = 3;
	f.next_poll = 1700000000;
	memset(&g, 0, sizeof g);
	g.feeds = &f;
	g.nfeeds = 1;
	g.database_bytes = 4096;
	buf_init(&b);
	metrics_render(mx, &g, &b);
	return (buf_steal(&b));
}

/* Polls land in their outcome, the feed's rows and the histogram. */
static void
test_render_polls(void **state)
{
	struct metrics		*mx = metrics_new();
	struct metrics_poll	 p;
	char			*text;

	(void)state;
	memset(&p, 0, sizeof p);
	p.feed = "a";
	p.outcome = "new";
	p.nbytes = 100;
	p.seconds = 0.2;
	p.nnew = 5;
	metrics_count_poll(mx, &p);
	p.outcome = "not_modified";
	p.nbytes = 0;
	p.seconds = 3;
	p.nnew = 0;
	metrics_count_poll(mx, &p);
	p.feed = "b";
	p.outcome = "transient";
	p.seconds = 100;
	p.is_parse_error = true;
	metrics_count_poll(mx, &p);
	metrics_count_pruned(mx, 7);
	metrics_count_rebuild(mx);
	metrics_count_request(mx, "/feed.atom", 200);
	metrics_count_request(mx, "/feed.atom", 200);
	metrics_count_request(mx, "other", 404);
	metrics_count_dropped(mx, "header_timeout");
	metrics_set_connections(mx, 3);
	text = render(mx, "x");

	assert_true(has_line(text, "feedd_polls_total{outcome=\"new\"} 1"));
	assert_true(has_line(text,
	    "feedd_polls_total{outcome=\"not_modified\"} 1"));
	assert_true(has_line(text,
	    "feedd_polls_total{outcome=\"unchanged\"} 0"));
	assert_true(has_line(text,
	    "feedd_polls_total{outcome=\"transient\"} 1"));
	assert_true(has_line(text,
	    "feedd_poll_duration_seconds_bucket{le=\"0.1\"} 0"));
	assert_true(has_line(text,
	    "feedd_poll_duration_seconds_bucket{le=\"0.25\"} 1"));
	assert_true(has_line(text,
	    "feedd_poll_duration_seconds_bucket{le=\"5\"} 2"));
	assert_true(has_line(text,
	    "feedd_poll_duration_seconds_bucket{le=\"60\"} 2"));
	assert_true(has_line(text,
	    "feedd_poll_duration_seconds_bucket{le=\"+Inf\"} 3"));
	assert_true(has_line(text, "feedd_poll_duration_seconds_count 3"));
	assert_true(has_line(text,
	    "feedd_poll_duration_seconds_sum 103.200000"));
	assert_true(has_line(text, "feedd_fetched_bytes_total 100"));
	assert_true(has_line(text, "feedd_entries_stored_total 5"));
	assert_true(has_line(text, "feedd_entries_pruned_total 7"));
	assert_true(has_line(text, "feedd_parse_errors_total 1"));
	assert_true(has_line(text, "feedd_output_rebuilds_total 1"));
	assert_true(has_line(text, "feedd_http_requests_total"
	    "{path=\"/feed.atom\",status=\"200\"} 2"));
	assert_true(has_line(text, "feedd_http_requests_total"
	    "{path=\"other\",status=\"404\"} 1"));
	assert_true(has_line(text, "feedd_http_connections 3"));
	assert_true(has_line(text, "feedd_http_connections_dropped_total"
	    "{reason=\"header_timeout\"} 1"));
	assert_true(has_line(text, "feedd_database_bytes 4096"));
	assert_true(has_line(text,
	    "feedd_feed_polls_total{feed=\"a\",outcome=\"new\"} 1"));
	assert_true(has_line(text,
	    "feedd_feed_polls_total{feed=\"a\",outcome=\"not_modified\"} 1"));
	assert_true(has_line(text,
	    "feedd_feed_polls_total{feed=\"b\",outcome=\"transient\"} 1"));
	assert_true(has_line(text,
	    "feedd_feed_fetched_bytes_total{feed=\"a\"} 100"));
	assert_true(has_line(text, "feedd_feeds{state=\"failing\"} 1"));
	assert_true(has_line(text, "feedd_feeds{state=\"ok\"} 0"));
	assert_true(has_line(text, "# TYPE feedd_polls_total counter"));
	assert_true(has_line(text,
	    "# TYPE feedd_poll_duration_seconds histogram"));
	free(text);
	metrics_free(mx);
}

/* Per-feed gauges carry the feed's name, escaped. */
static void
test_render_feed_gauges(void **state)
{
	struct metrics	*mx = metrics_new();
	char		*text;

	(void)state;
	text = render(mx, "we\"ird\\name");
	assert_true(has_line(text,
	    "feedd_feed_last_status{feed=\"we\\\"ird\\\\name\"} 404"));
	assert_true(has_line(text,
	    "feedd_feed_consecutive_errors{feed=\"we\\\"ird\\\\name\"} 3"));
	assert_true(has_line(text, "feedd_feed_next_poll_timestamp_seconds"
	    "{feed=\"we\\\"ird\\\\name\"} 1700000000"));
	assert_true(has_line(text, "feedd_feed_state"
	    "{feed=\"we\\\"ird\\\\name\",state=\"failing\"} 1"));
	free(text);
	metrics_free(mx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_label),
		cmocka_unit_test(test_render_polls),
		cmocka_unit_test(test_render_feed_gauges),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
