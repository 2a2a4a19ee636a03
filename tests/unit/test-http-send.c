/* SPDX-License-Identifier: ISC */
/*
 * Unit test for http's sending of bodies: a response references the
 * published bytes instead of copying them, so a publish that replaces a
 * document while a slow client is still receiving it must leave that
 * client the old document, byte for byte (and, under ASan, no use after
 * free).  A real evhttp server on 127.0.0.1 and a real TCP client with
 * a small receive buffer, so most of the body waits in the server.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <event2/event.h>

#include "feedd/http.h"

/* Larger than what the kernel buffers (tcp_wmem's 4 MB maximum). */
#define TEST_DOC_LEN	(12u << 20)
#define TEST_ROUNDS	200000

static void	test_publish_during_send(void **);
static char	*test_doc(unsigned);
static int	test_client(int);
static size_t	test_recv(int, char **, size_t *, size_t *, int *);

/* Bytes that gzip cannot shrink (so none is made), seeded. */
static char *
test_doc(unsigned seed)
{
	char		*d = malloc(TEST_DOC_LEN);
	uint32_t	 x = seed * 2654435761u + 1;
	size_t		 i;

	assert_non_null(d);
	for (i = 0; i < TEST_DOC_LEN; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		d[i] = (char)(x >> 24);
	}
	return (d);
}

/* Connect to port with a small receive buffer and send a GET. */
static int
test_client(int port)
{
	struct sockaddr_in	 sin;
	const char		*req = "GET /doc HTTP/1.1\r\nHost: t\r\n"
	    "Connection: close\r\n\r\n";
	int			 fd, small = 4096;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_true(fd >= 0);
	assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small,
	    sizeof small), 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sin, sizeof sin) != 0)
		assert_int_equal(errno, EINPROGRESS);
	/* The loopback handshake completes at once; retry until then. */
	while (send(fd, req, strlen(req), MSG_NOSIGNAL) < 0)
		assert_true(errno == EAGAIN || errno == ENOTCONN);
	return (fd);
}

/* Read what is there onto *buf; *is_eof when the server closed. */
static size_t
test_recv(int fd, char **buf, size_t *len, size_t *size, int *is_eof)
{
	ssize_t	 n;
	size_t	 got = 0;

	for (;;) {
		if (*size - *len < 65536) {
			*size = *size * 2 + 65536;
			*buf = realloc(*buf, *size);
			assert_non_null(*buf);
		}
		n = recv(fd, *buf + *len, *size - *len, 0);
		if (n == 0)
			*is_eof = 1;
		if (n <= 0)
			return (got);
		*len += (size_t)n;
		got += (size_t)n;
	}
}

static void
test_publish_during_send(void **state)
{
	struct event_base	*base;
	struct http		*h;
	char			*a = test_doc(1), *b = test_doc(2);
	char			*buf = NULL, *body;
	size_t			 len = 0, size = 0;
	int			 fd, i, is_eof = 0;
	char			*cause = NULL;
	struct http_options	 opts;

	(void)state;
	assert_non_null(base = event_base_new());
	memset(&opts, 0, sizeof opts);
	opts.listen = "127.0.0.1:0";
	opts.fd = -1;
	opts.max_connections = 16;
	opts.header_timeout = 10;
	h = http_new(base, &opts, &cause);
	assert_non_null(h);
	http_publish(h, "/doc", "application/octet-stream", a,
	    TEST_DOC_LEN);
	fd = test_client(http_port(h));
	/* Until the response has begun to arrive. */
	for (i = 0; i < TEST_ROUNDS && len == 0; i++) {
		event_base_loop(base, EVLOOP_NONBLOCK);
		test_recv(fd, &buf, &len, &size, &is_eof);
	}
	assert_true(len > 0);
	/* Most of the body is still in the server: replace the document. */
	http_publish(h, "/doc", "application/octet-stream", b,
	    TEST_DOC_LEN);
	for (i = 0; i < TEST_ROUNDS && !is_eof; i++) {
		event_base_loop(base, EVLOOP_NONBLOCK);
		if (test_recv(fd, &buf, &len, &size, &is_eof) == 0)
			usleep(100);
	}
	assert_true(is_eof);
	body = memmem(buf, len, "\r\n\r\n", 4);
	assert_non_null(body);
	body += 4;
	assert_int_equal(len - (size_t)(body - buf), TEST_DOC_LEN);
	assert_memory_equal(body, a, TEST_DOC_LEN);
	close(fd);
	free(buf);
	free(a);
	free(b);
	http_free(h);
	event_base_free(base);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_publish_during_send),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
