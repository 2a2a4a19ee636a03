/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for util: durations (a table of good and bad strings), the
 * growable buffer, RFC 3339 formatting, trimming and SHA-256.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "feedd/util.h"

/* A duration string and what util_parse_duration makes of it. */
struct test_duration {
	const char	*in;
	int		 ret;	/* 0 or -1 */
	int64_t		 secs;	/* when ret is 0 */
};

/* A string before and after util_trim. */
struct test_trim {
	const char	*in;
	const char	*out;
};

static void	test_duration_table(void **);
static void	test_duration_null(void **);
static void	test_duration_keeps_output_on_error(void **);
static void	test_buf_add_grows(void **);
static void	test_buf_addf_grows(void **);
static void	test_buf_steal_and_reset(void **);
static void	test_rfc3339(void **);
static void	test_trim_table(void **);
static void	test_sha256_abc(void **);
static void	test_sha256_empty(void **);
static void	test_sha256_in_pieces(void **);
static void	test_hash_in_pieces(void **);
static bool	cidr_has(const char *, const char *);
static void	test_utf8_decode(void **);
static void	test_cidr_match(void **);
static void	test_cidr_parse_errors(void **);

static const struct test_duration test_durations[] = {
	{ "45s", 0, 45 },
	{ "30m", 0, 30 * 60 },
	{ "1h", 0, 3600 },
	{ "2d", 0, 2 * 86400 },
	{ "3600", 0, 3600 },
	{ "1", 0, 1 },
	{ "90m", 0, 5400 },
	{ "", -1, 0 },
	{ "h", -1, 0 },
	{ "1x", -1, 0 },
	{ "0", -1, 0 },
	{ "0s", -1, 0 },
	{ "-5", -1, 0 },
	{ "+5", -1, 0 },
	{ "1h2", -1, 0 },
	{ "1hh", -1, 0 },
	{ " 1h", -1, 0 },
	{ "1h ", -1, 0 },
	{ "1.5h", -1, 0 },
	{ "1H", -1, 0 },
	{ "922337203685477580", 0, INT64_C(922337203685477580) },
	{ "9223372036854775807", 0, INT64_MAX },
	{ "9223372036854775808", -1, 0 },
	{ "99999999999999999999s", -1, 0 },
	{ "106751991167300d", 0, INT64_C(106751991167300) * 86400 },
	{ "106751991167301d", -1, 0 },
	{ "153722867280912931m", -1, 0 },
};

static const struct test_trim test_trims[] = {
	{ "", "" },
	{ "   ", "" },
	{ "abc", "abc" },
	{ "  abc", "abc" },
	{ "abc  ", "abc" },
	{ " \t\r\n a b \n\t", "a b" },
	{ "a\tb", "a\tb" },
};

/* Every row of test_durations parses, or fails, as the table says. */
static void
test_duration_table(void **state)
{
	const struct test_duration	*t;
	size_t				 i;
	int64_t				 secs;
	int				 ret;

	(void)state;
	for (i = 0; i < sizeof test_durations / sizeof test_durations[0];
	    i++) {
		t = &test_durations[i];
		secs = -1;
		ret = util_parse_duration(t->in, &secs);
		if (ret != t->ret)
			fail_msg("\"%s\": returned %d, want %d", t->in, ret,
			    t->ret);
		if (ret == 0 && secs != t->secs)
			fail_msg("\"%s\": %lld seconds, want %lld", t->in,
			    (long long)secs, (long long)t->secs);
	}
}

/* NULL is rejected, not dereferenced. */
static void
test_duration_null(void **state)
{
	int64_t	 secs;

	(void)state;
	assert_int_equal(util_parse_duration(NULL, &secs), -1);
}

/* A failed parse leaves the output alone. */
static void
test_duration_keeps_output_on_error(void **state)
{
	int64_t	 secs = 77;

	(void)state;
	assert_int_equal(util_parse_duration("1x", &secs), -1);
	assert_int_equal(secs, 77);
}

/* buf_add keeps every byte and the NUL while the buffer doubles. */
static void
test_buf_add_grows(void **state)
{
	struct buf	 b;
	size_t		 i, last;
	char		 c;

	(void)state;
	buf_init(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	last = 0;
	for (i = 0; i < 10000; i++) {
		c = (char)('a' + i % 26);
		buf_add(&b, &c, 1);
		assert_int_equal(b.len, i + 1);
		assert_true(b.size > b.len);
		assert_int_equal(b.data[b.len], '\0');
		assert_true(b.size >= last);
		last = b.size;
	}
	for (i = 0; i < 10000; i++)
		assert_int_equal(b.data[i], (char)('a' + i % 26));
	buf_add(&b, "", 0);
	assert_int_equal(b.len, 10000);
	buf_clear(&b);
	assert_null(b.data);
	assert_int_equal(b.size, 0);
}

/* buf_addf appends formatted text past the first allocation. */
static void
test_buf_addf_grows(void **state)
{
	struct buf	 b;
	char		 want[64];
	size_t		 i, len = 0;

	(void)state;
	buf_init(&b);
	for (i = 0; i < 1000; i++) {
		buf_addf(&b, "<%zu:%s>", i, "x");
		len += (size_t)snprintf(want, sizeof want, "<%zu:%s>", i, "x");
		assert_int_equal(b.len, len);
	}
	assert_int_equal(strlen(b.data), b.len);
	assert_memory_equal(b.data, "<0:x><1:x><2:x>", 15);
	snprintf(want, sizeof want, "<%d:x>", 999);
	assert_string_equal(b.data + b.len - strlen(want), want);
	buf_adds(&b, "!");
	buf_addc(&b, '?');
	assert_string_equal(b.data + b.len - 2, "!?");
	buf_clear(&b);
}

/* buf_steal hands over the string; buf_reset empties but keeps memory. */
static void
test_buf_steal_and_reset(void **state)
{
	struct buf	 b;
	char		*s;
	size_t		 size;

	(void)state;
	buf_init(&b);
	s = buf_steal(&b);
	assert_string_equal(s, "");
	free(s);

	buf_adds(&b, "hello");
	size = b.size;
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.size, size);
	assert_string_equal(b.data, "");
	buf_adds(&b, "world");
	s = buf_steal(&b);
	assert_string_equal(s, "world");
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	free(s);
}

/* RFC 3339 in UTC with a "Z". */
static void
test_rfc3339(void **state)
{
	char	 out[21];

	(void)state;
	util_rfc3339(0, out);
	assert_string_equal(out, "1970-01-01T00:00:00Z");
	util_rfc3339(1714564800, out);
	assert_string_equal(out, "2024-05-01T12:00:00Z");
	util_rfc3339(951782400, out);
	assert_string_equal(out, "2000-02-29T00:00:00Z");
	util_rfc3339(4102444799, out);
	assert_string_equal(out, "2099-12-31T23:59:59Z");
}

/* util_trim strips both ends in place and returns the start. */
static void
test_trim_table(void **state)
{
	char	*copy, *r;
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof test_trims / sizeof test_trims[0]; i++) {
		copy = xstrdup(test_trims[i].in);
		r = util_trim(copy);
		assert_true(r >= copy && r <= copy + strlen(test_trims[i].in));
		assert_string_equal(r, test_trims[i].out);
		free(copy);
	}
}

/* The FIPS 180-2 test vector. */
static void
test_sha256_abc(void **state)
{
	char	 out[65];

	(void)state;
	util_sha256_hex("abc", 3, out);
	assert_string_equal(out, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
}

/* Valid sequences decode and re-encode; bad and cut ones are told apart. */
static void
test_utf8_decode(void **state)
{
	static const struct {
		const char	*s;
		size_t		 len;
		int		 n;
		uint32_t	 cp;
	} cases[] = {
		{ "A", 1, 1, 0x41 },
		{ "\xc3\xa9", 2, 2, 0xe9 },
		{ "\xe2\x82\xac", 3, 3, 0x20ac },
		{ "\xf0\x9f\x98\x80", 4, 4, 0x1f600 },
		{ "\xe2\x82", 2, -1, 0 },		/* cut short */
		{ "\xc0\xaf", 2, 0, 0 },		/* overlong */
		{ "\xe0\x80\xaf", 3, 0, 0 },		/* overlong */
		{ "\xed\xa0\x80", 3, 0, 0 },		/* surrogate */
		{ "\xf4\x90\x80\x80", 4, 0, 0 },	/* past U+10FFFF */
		{ "\x80", 1, 0, 0 },			/* lone continuation */
		{ "\xe9 ", 2, 0, 0 },			/* Latin-1, not UTF-8 */
	};
	struct buf	 b;
	uint32_t	 cp;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cp = 0;
		assert_int_equal(util_utf8_decode(
		    (const unsigned char *)cases[i].s, cases[i].len, &cp),
		    cases[i].n);
		if (cases[i].n <= 0)
			continue;
		assert_int_equal(cp, cases[i].cp);
		buf_init(&b);
		util_utf8_add(&b, cp);
		assert_int_equal(b.len, (size_t)cases[i].n);
		assert_memory_equal(b.data, cases[i].s, b.len);
		buf_clear(&b);
	}
}

/* An address, given as text, is in a network given as text. */
static bool
cidr_has(const char *net, const char *addr)
{
	struct util_cidr	 n;
	struct sockaddr_in	 sin;
	struct sockaddr_in6	 sin6;

	assert_int_equal(util_parse_cidr(net, &n), 0);
	memset(&sin, 0, sizeof sin);
	memset(&sin6, 0, sizeof sin6);
	if (inet_pton(AF_INET, addr, &sin.sin_addr) == 1) {
		sin.sin_family = AF_INET;
		return (util_cidr_match(&n, (struct sockaddr *)&sin));
	}
	assert_int_equal(inet_pton(AF_INET6, addr, &sin6.sin6_addr), 1);
	sin6.sin6_family = AF_INET6;
	return (util_cidr_match(&n, (struct sockaddr *)&sin6));
}

/* Networks match by prefix, per family; IPv4-mapped IPv6 is IPv4. */
static void
test_cidr_match(void **state)
{
	(void)state;
	assert_true(cidr_has("10.0.0.0/8", "10.200.3.4"));
	assert_false(cidr_has("10.0.0.0/8", "11.0.0.1"));
	assert_true(cidr_has("172.16.0.0/12", "172.31.255.255"));
	assert_false(cidr_has("172.16.0.0/12", "172.32.0.0"));
	assert_true(cidr_has("127.0.0.1", "127.0.0.1"));
	assert_false(cidr_has("127.0.0.1", "127.0.0.2"));
	assert_true(cidr_has("0.0.0.0/0", "8.8.8.8"));
	assert_true(cidr_has("fc00::/7", "fd12::1"));
	assert_false(cidr_has("fc00::/7", "fe80::1"));
	assert_true(cidr_has("127.0.0.0/8", "::ffff:127.0.0.1"));
	assert_false(cidr_has("::1/128", "127.0.0.1"));
}

/* Text that is not an address or a prefix is refused. */
static void
test_cidr_parse_errors(void **state)
{
	struct util_cidr	 n;

	(void)state;
	assert_int_equal(util_parse_cidr("10.0.0.0/33", &n), -1);
	assert_int_equal(util_parse_cidr("10.0.0.0/", &n), -1);
	assert_int_equal(util_parse_cidr("10.0.0/8", &n), -1);
	assert_int_equal(util_parse_cidr("example.org", &n), -1);
	assert_int_equal(util_parse_cidr("::1/129", &n), -1);
	assert_int_equal(util_parse_cidr("::1/64", &n), 0);
	assert_int_equal(n.prefix, 64);
}

/* A digest fed in pieces equals the one-shot digest. */
static void
test_sha256_in_pieces(void **state)
{
	struct util_sha256	*h;
	char			 out[65];

	(void)state;
	h = util_sha256_new();
	util_sha256_add(h, "a", 1);
	util_sha256_add(h, "", 0);
	util_sha256_add(h, "bc", 2);
	util_sha256_end(h, out);
	assert_string_equal(out, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	util_sha256_free(NULL);
}

/*
 * The fast hash (XXH3-128) in its canonical hex, fed in pieces; the
 * empty string's is the value xxHash documents.
 */
static void
test_hash_in_pieces(void **state)
{
	struct util_hash	*h;
	char			 out[UTIL_HASH_HEX];

	(void)state;
	h = util_hash_new();
	util_hash_end(h, out);
	assert_string_equal(out, "99aa06d3014798d86001c324468d497f");
	h = util_hash_new();
	util_hash_add(h, "a", 1);
	util_hash_add(h, "", 0);
	util_hash_add(h, "bc", 2);
	util_hash_end(h, out);
	assert_string_equal(out, "06b05ab6733a618578af5f94892f3950");
	util_hash_free(NULL);
}

/* The digest of nothing. */
static void
test_sha256_empty(void **state)
{
	char	 out[65];

	(void)state;
	util_sha256_hex("", 0, out);
	assert_string_equal(out, "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855");
}

/* Run every test. */
int
main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_duration_table),
		cmocka_unit_test(test_duration_null),
		cmocka_unit_test(test_duration_keeps_output_on_error),
		cmocka_unit_test(test_buf_add_grows),
		cmocka_unit_test(test_buf_addf_grows),
		cmocka_unit_test(test_buf_steal_and_reset),
		cmocka_unit_test(test_rfc3339),
		cmocka_unit_test(test_trim_table),
		cmocka_unit_test(test_sha256_abc),
		cmocka_unit_test(test_sha256_empty),
		cmocka_unit_test(test_sha256_in_pieces),
		cmocka_unit_test(test_hash_in_pieces),
		cmocka_unit_test(test_utf8_decode),
		cmocka_unit_test(test_cidr_match),
		cmocka_unit_test(test_cidr_parse_errors),
	};

	return (cmocka_run_group_tests_name("util", tests, NULL, NULL));
}
