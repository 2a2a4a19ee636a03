/* SPDX-License-Identifier: ISC */
/*
 * Allocators that never return NULL, the growable buffer every module
 * accumulates strings in, durations and time formatting, and the set-up
 * of the threads that work beside the loop.
 */
#include <sys/resource.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <xxhash.h>

#include "feedd/log.h"
#include "feedd/util.h"

static void	util_hex(const unsigned char *, unsigned int, char *);
static bool	util_prefix_equal(const unsigned char *, const unsigned char *,
		    int);

/* Allocate size bytes or die. */
void *
xmalloc(size_t size)
{
	void	*p;

	if (size == 0)
		size = 1;
	if ((p = malloc(size)) == NULL)
		fatalx("xmalloc: out of memory allocating %zu bytes", size);
	return (p);
}

/* Allocate a zeroed array or die, also on a size that overflows. */
void *
xcalloc(size_t n, size_t size)
{
	void	*p;

	if (n == 0 || size == 0)
		n = size = 1;
	if ((p = calloc(n, size)) == NULL)
		fatalx("xcalloc: out of memory allocating %zu * %zu", n, size);
	return (p);
}

/* Resize an array or die, also on a size that overflows. */
void *
xreallocarray(void *ptr, size_t n, size_t size)
{
	void	*p;

	if (n == 0 || size == 0)
		n = size = 1;
	if (SIZE_MAX / n < size)
		fatalx("xreallocarray: %zu * %zu overflows", n, size);
	if ((p = realloc(ptr, n * size)) == NULL)
		fatalx("xreallocarray: out of memory allocating %zu * %zu",
		    n, size);
	return (p);
}

/* Copy a string or die. */
char *
xstrdup(const char *s)
{
	char	*p;

	if ((p = strdup(s)) == NULL)
		fatalx("xstrdup: out of memory");
	return (p);
}

/* Copy at most len bytes of a string or die. */
char *
xstrndup(const char *s, size_t len)
{
	char	*p;

	if ((p = strndup(s, len)) == NULL)
		fatalx("xstrndup: out of memory");
	return (p);
}

/* Format into a new string or die. */
int
xvasprintf(char **ret, const char *fmt, va_list ap)
{
	int	 n;

	if ((n = vasprintf(ret, fmt, ap)) < 0)
		fatalx("xvasprintf: out of memory");
	return (n);
}

/* Format into a new string or die. */
int
xasprintf(char **ret, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = xvasprintf(ret, fmt, ap);
	va_end(ap);
	return (n);
}

/* Start an empty buffer. */
void
buf_init(struct buf *b)
{
	b->data = NULL;
	b->len = b->size = 0;
}

/* Release a buffer's memory. */
void
buf_clear(struct buf *b)
{
	free(b->data);
	buf_init(b);
}

/* Empty a buffer but keep its memory for reuse. */
void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

/* Make room for need more bytes plus the NUL, doubling. */
static void
buf_grow(struct buf *b, size_t need)
{
	size_t	 size;

	if (need > SIZE_MAX - b->len - 1)
		fatalx("buf_grow: size overflows");
	if (b->len + need + 1 <= b->size)
		return;
	size = b->size == 0 ? 64 : b->size;
	while (size < b->len + need + 1) {
		if (size > SIZE_MAX / 2) {
			size = b->len + need + 1;
			break;
		}
		size *= 2;
	}
	b->data = xreallocarray(b->data, 1, size);
	b->size = size;
}

/*
 * Append len bytes, growing the buffer first: buf_add's (util.h) way
 * when they do not fit.
 */
void
buf_add_slow(struct buf *b, const void *data, size_t len)
{
	buf_grow(b, len);
	if (len > 0)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

/* Append formatted text. */
void
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 n;

	va_start(ap, fmt);
	n = xvasprintf(&s, fmt, ap);
	va_end(ap);
	buf_add(b, s, (size_t)n);
	free(s);
}

/* Hand the string to the caller and leave the buffer empty. */
char *
buf_steal(struct buf *b)
{
	char	*s;

	s = b->data != NULL ? b->data : xstrdup("");
	buf_init(b);
	return (s);
}

/* Parse "45s", "30m", "1h", "2d" or plain seconds. */
int
util_parse_duration(const char *s, int64_t *secs)
{
	static const struct {
		char	 suffix;
		int64_t	 mult;
	} units[] = {	/* sorted by nothing: four entries */
		{ 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 }
	};
	const char	*p = s;
	int64_t		 n = 0, mult = 1;
	size_t		 i;

	if (s == NULL || !isdigit((unsigned char)*p))
		return (-1);
	while (isdigit((unsigned char)*p)) {
		if (n > (INT64_MAX - (*p - '0')) / 10)
			return (-1);
		n = n * 10 + (*p++ - '0');
	}
	if (*p != '\0') {
		for (i = 0; i < sizeof units / sizeof units[0]; i++) {
			if (units[i].suffix == *p)
				break;
		}
		if (i == sizeof units / sizeof units[0] || p[1] != '\0')
			return (-1);
		mult = units[i].mult;
	}
	if (n == 0 || n > INT64_MAX / mult)
		return (-1);
	*secs = n * mult;
	return (0);
}

/* Format t as RFC 3339 in UTC. */
void
util_rfc3339(time_t t, char out[21])
{
	struct tm	 tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		strcpy(out, "1970-01-01T00:00:00Z");
}

/* Trim ASCII white space at both ends in place. */
char *
util_trim(char *s)
{
	char	*end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return (s);
}

/* strcmp where NULL equals NULL and sorts before any string. */
int
util_strcmp_null(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a == NULL ? (b == NULL ? 0 : -1) : 1);
	return (strcmp(a, b));
}

/* Hex SHA-256 of data. */
void
util_sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 mdlen = 0;

	if (EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) != 1)
		fatalx("EVP_Digest failed");
	util_hex(md, mdlen, out);
}

/* Write the hex form of a digest of up to 32 bytes (out: 2 * len + 1). */
static void
util_hex(const unsigned char *md, unsigned int len, char *out)
{
	static const char	 digits[] = "0123456789abcdef";
	unsigned int		 i;

	/* Not snprintf: this runs twice for every entry stored. */
	for (i = 0; i < len && i < 32; i++) {
		out[2 * i] = digits[md[i] >> 4];
		out[2 * i + 1] = digits[md[i] & 0xf];
	}
	out[2 * i] = '\0';
}

/* Start an incremental SHA-256. */
struct util_sha256 *
util_sha256_new(void)
{
	EVP_MD_CTX	*md;

	if ((md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1)
		fatalx("EVP_DigestInit_ex failed");
	return ((struct util_sha256 *)md);
}

/* Add data to an incremental SHA-256. */
void
util_sha256_add(struct util_sha256 *h, const void *data, size_t len)
{
	if (EVP_DigestUpdate((EVP_MD_CTX *)h, data, len) != 1)
		fatalx("EVP_DigestUpdate failed");
}

/* Finish an incremental SHA-256 into hex, and free it. */
void
util_sha256_end(struct util_sha256 *h, char out[65])
{
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 len = 0;

	if (EVP_DigestFinal_ex((EVP_MD_CTX *)h, md, &len) != 1)
		fatalx("EVP_DigestFinal_ex failed");
	util_hex(md, len, out);
	EVP_MD_CTX_free((EVP_MD_CTX *)h);
}

/* Free an incremental SHA-256 that will not be finished. */
void
util_sha256_free(struct util_sha256 *h)
{
	EVP_MD_CTX_free((EVP_MD_CTX *)h);
}

/* Start an incremental XXH3-128. */
struct util_hash *
util_hash_new(void)
{
	XXH3_state_t	*st;

	if ((st = XXH3_createState()) == NULL)
		fatalx("XXH3_createState failed");
	XXH3_128bits_reset(st);
	return ((struct util_hash *)st);
}

/* Add data to an incremental XXH3-128. */
void
util_hash_add(struct util_hash *h, const void *data, size_t len)
{
	XXH3_128bits_update((XXH3_state_t *)h, data, len);
}

/* Finish an incremental XXH3-128 into hex (canonical form); free it. */
void
util_hash_end(struct util_hash *h, char out[UTIL_HASH_HEX])
{
	XXH128_canonical_t	 c;

	XXH128_canonicalFromHash(&c,
	    XXH3_128bits_digest((XXH3_state_t *)h));
	util_hex(c.digest, sizeof c.digest, out);
	XXH3_freeState((XXH3_state_t *)h);
}

/* Free an incremental XXH3-128 that will not be finished. */
void
util_hash_free(struct util_hash *h)
{
	XXH3_freeState((XXH3_state_t *)h);
}

/*
 * The loop thread fetches, stores and answers HTTP; the threads beside it
 * (parsing, checkpoints) only ever have work it handed them.  Where they
 * compete for a core, the loop should win: it keeps transfers and
 * readers moving, and on a busy machine a cold poll finished sooner
 * (docs/benchmarks.md).  Linux gives each thread its own nice value.
 */
void
util_thread_background(const char *name)
{
	int	 nice;

	errno = 0;
	nice = getpriority(PRIO_PROCESS, 0);
	if (errno == 0 && setpriority(PRIO_PROCESS, (id_t)gettid(),
	    nice + UTIL_BACKGROUND_NICE) != 0)
		log_debug("%s: cannot lower the thread's priority: %s", name,
		    strerror(errno));
	pthread_setname_np(pthread_self(), name);
}

/* Parse an address with an optional prefix length. */
int
util_parse_cidr(const char *s, struct util_cidr *net)
{
	char		*copy, *slash, *end;
	long		 bits;
	int		 max, ret = -1;

	memset(net, 0, sizeof *net);
	copy = xstrdup(s);
	if ((slash = strchr(copy, '/')) != NULL)
		*slash++ = '\0';
	if (inet_pton(AF_INET, copy, net->addr) == 1) {
		net->family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, copy, net->addr) == 1) {
		net->family = AF_INET6;
		max = 128;
	} else
		goto out;
	net->prefix = max;
	if (slash != NULL) {
		bits = strtol(slash, &end, 10);
		if (*slash == '\0' || *end != '\0' || bits < 0 || bits > max)
			goto out;
		net->prefix = (int)bits;
	}
	ret = 0;
out:
	free(copy);
	return (ret);
}

/* Whether the first bits of a and b agree. */
static bool
util_prefix_equal(const unsigned char *a, const unsigned char *b, int bits)
{
	int	 whole = bits / 8, rest = bits % 8;

	if (memcmp(a, b, (size_t)whole) != 0)
		return (false);
	if (rest == 0)
		return (true);
	return (((a[whole] ^ b[whole]) & (0xff << (8 - rest))) == 0);
}

/* Whether an address is inside a network. */
bool
util_cidr_match(const struct util_cidr *net, const struct sockaddr *sa)
{
	static const unsigned char mapped[12] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
	};
	const unsigned char	*addr;
	int			 family = sa->sa_family;

	if (family == AF_INET)
		addr = (const unsigned char *)
		    &((const struct sockaddr_in *)sa)->sin_addr;
	else if (family == AF_INET6) {
		addr = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
		if (memcmp(addr, mapped, sizeof mapped) == 0) {
			family = AF_INET;
			addr += 12;
		}
	} else
		return (false);
	return (family == net->family &&
	    util_prefix_equal(addr, net->addr, net->prefix));
}

/* Append code point cp to b as UTF-8. */
void
util_utf8_add(struct buf *b, uint32_t cp)
{
	char	 u8[4];
	size_t	 n;

	if (cp < 0x80) {
		u8[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u8[0] = (char)(0xc0 | (cp >> 6));
		u8[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u8[0] = (char)(0xe0 | (cp >> 12));
		u8[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u8[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u8[0] = (char)(0xf0 | (cp >> 18));
		u8[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		u8[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u8[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	buf_add(b, u8, n);
}
