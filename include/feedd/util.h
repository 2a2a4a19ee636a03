/*
 * util: never-failing allocators, the one growable buffer, durations and
 * time formatting.  Every module may use it; it uses nothing of ours.
 */
#ifndef FEEDD_UTIL_H
#define FEEDD_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#define FEEDD_VERSION "0.1.0"
#define FEEDD_URL "https://github.com/feedd/feedd"

#ifndef nitems
#define nitems(a) (sizeof (a) / sizeof (a)[0])
#endif

/* A growable byte string, always NUL-terminated once it holds anything. */
struct buf {
	char	*data;
	size_t	 len;	/* bytes used, excluding the NUL */
	size_t	 size;	/* bytes allocated */
};

/* These abort on exhaustion or overflow, so callers never check NULL. */
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
int	 xasprintf(char **, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
int	 xvasprintf(char **, const char *, va_list)
	    __attribute__((format(printf, 2, 0)));

void	 buf_init(struct buf *);
void	 buf_clear(struct buf *);
void	 buf_reset(struct buf *);
/* buf_add's way when the bytes do not fit: grows, with the overflow check. */
void	 buf_add_slow(struct buf *, const void *, size_t);
void	 buf_addf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* Returns the buffer's string, which the caller then owns; buf is reset. */
char	*buf_steal(struct buf *);

/*
 * Append len bytes.  Inline, as it sits in the parser's hot loops: the
 * call goes out only when the buffer must grow (size - len is never
 * zero once there is memory, so the test cannot wrap).
 */
static inline void
buf_add(struct buf *b, const void *data, size_t len)
{
	if (len < b->size - b->len) {
		if (len > 0)
			memcpy(b->data + b->len, data, len);
		b->len += len;
		b->data[b->len] = '\0';
		return;
	}
	buf_add_slow(b, data, len);
}

/* Append one byte. */
static inline void
buf_addc(struct buf *b, char c)
{
	if (b->size - b->len > 1) {
		b->data[b->len++] = c;
		b->data[b->len] = '\0';
		return;
	}
	buf_add_slow(b, &c, 1);
}

/* Append a string. */
static inline void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

/* An IPv4 or IPv6 network, as in 10.0.0.0/8 or fc00::/7. */
struct util_cidr {
	int		 family;	/* AF_INET or AF_INET6 */
	unsigned char	 addr[16];	/* network byte order */
	int		 prefix;	/* bits */
};

/* Parse "ADDR" or "ADDR/BITS"; returns -1 if it is neither. */
int	 util_parse_cidr(const char *, struct util_cidr *);
/*
 * Whether the address (an AF_INET or AF_INET6 sockaddr; IPv4-mapped IPv6
 * addresses count as IPv4) is inside the network.
 */
struct sockaddr;
bool	 util_cidr_match(const struct util_cidr *, const struct sockaddr *);

/*
 * Parse a duration such as 45s, 30m, 1h, 2d or a bare number of seconds
 * into *secs.  Returns -1 for anything else, including zero and overflow.
 */
int	 util_parse_duration(const char *, int64_t *secs);

/*
 * The valid UTF-8 sequence at p, of at most len bytes (RFC 3629: no
 * overlong forms, surrogates or values past U+10FFFF): returns its
 * length (1 to 4) and, when cp is not NULL, sets *cp; returns 0 if it is
 * not one, and -1 if the len bytes end inside what may still be one.
 * Inline: it sits in the parser's hot loops.
 */
static inline int
util_utf8_decode(const unsigned char *p, size_t len, uint32_t *cp)
{
	uint32_t	 c;
	size_t		 n, i;

	if (len == 0)
		return (-1);
	if (p[0] < 0x80) {
		c = p[0];
		n = 1;
	} else if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		c = p[0] & 0x1f;
		n = 2;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		c = p[0] & 0x0f;
		n = 3;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		c = p[0] & 0x07;
		n = 4;
	} else
		return (0);
	for (i = 1; i < n; i++) {
		if (i == len)
			return (-1);
		if ((p[i] & 0xc0) != 0x80)
			return (0);
		c = (c << 6) | (p[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return (0);
	if (cp != NULL)
		*cp = c;
	return ((int)n);
}

/* Append code point cp to b as UTF-8. */
void	 util_utf8_add(struct buf *b, uint32_t cp);

/* Format t as RFC 3339 UTC ("2024-05-01T12:00:00Z") into a 21-byte buffer. */
void	 util_rfc3339(time_t t, char out[21]);

/* Trim ASCII white space from both ends, in place; returns s. */
char	*util_trim(char *s);

/* Lower-case hex SHA-256 of data (65 bytes with the NUL). */
void	 util_sha256_hex(const void *data, size_t len, char out[65]);
/* strcmp where NULL equals NULL and sorts before any string. */
int	 util_strcmp_null(const char *, const char *);

/* The same, over data that arrives in pieces. */
struct util_sha256;
struct util_sha256 *util_sha256_new(void);
void	 util_sha256_add(struct util_sha256 *, const void *, size_t);
/* Write the hex digest and free the context. */
void	 util_sha256_end(struct util_sha256 *, char out[65]);
/* Free a context without a digest; NULL is fine. */
void	 util_sha256_free(struct util_sha256 *);

/*
 * A fast 128-bit hash (XXH3), in hex, over data that arrives in pieces:
 * for telling a changed body or entry from an unchanged one, ten times
 * quicker than SHA-256 and as good for that.  Not for anything a forged
 * collision could win (keys, tokens, ETags stay SHA-256).
 */
#define UTIL_HASH_HEX	33	/* 32 hex digits and the NUL */
struct util_hash;
struct util_hash *util_hash_new(void);
void	 util_hash_add(struct util_hash *, const void *, size_t);
/* Write the hex digest and free the context. */
void	 util_hash_end(struct util_hash *, char out[UTIL_HASH_HEX]);
/* Free a context without a digest; NULL is fine. */
void	 util_hash_free(struct util_hash *);

/* How much nicer than the process a background thread runs. */
#define UTIL_BACKGROUND_NICE	5
/*
 * Make the calling thread a background one: named (for top -H and ps -L)
 * and UTIL_BACKGROUND_NICE lower in priority than the process.
 */
void	 util_thread_background(const char *name);

#endif
