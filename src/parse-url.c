/* SPDX-License-Identifier: ISC */
/*
 * URLs in feeds: which schemes may come out of the parser, and resolving
 * a reference against a base with curl's URL API (RFC 3986 section 5).
 * Shared by the XML, HTML and JSON Feed readers.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "feedd/util.h"
#include "parse-int.h"

/*
 * URI schemes a resolved URL may have (feedparser's list): anything else,
 * javascript: above all, is dropped.  Sorted by strcmp for bsearch.
 */
static const char *parse_url_safe_schemes[] = {
	"aim", "callto", "cvs", "facetime", "feed", "file", "ftp", "git",
	"gopher", "gtalk", "h323", "hdl", "http", "https", "imap", "irc",
	"irc6", "ircs", "itms", "magnet", "mailto", "mms", "msnim", "news",
	"nntp", "prospero", "rsync", "rtsp", "rtspu", "sftp", "shttp", "sip",
	"sips", "skype", "smb", "snews", "ssh", "svn", "svn+ssh", "telnet",
	"wais", "ymsg"
};

static int	parse_url_strcmp(const void *, const void *);

/* bsearch comparator for arrays of strings. */
static int
parse_url_strcmp(const void *key, const void *elem)
{
	return (strcmp(key, *(const char *const *)elem));
}

/* Whether s starts with a URI scheme (RFC 3986 3.1) followed by ':'. */
bool
parse_url_has_scheme(const char *s)
{
	const char	*p = s;

	if (!isalpha((unsigned char)*p))
		return (false);
	while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' ||
	    *p == '.')
		p++;
	return (*p == ':');
}

/* Whether a scheme (without its ':'; any case) is a safe one. */
bool
parse_url_is_safe_scheme(const char *scheme, size_t len)
{
	char	 lower[16];
	size_t	 i;

	if (len == 0 || len >= sizeof lower)
		return (false);
	for (i = 0; i < len; i++)
		lower[i] = (char)tolower((unsigned char)scheme[i]);
	lower[len] = '\0';
	return (bsearch(lower, parse_url_safe_schemes,
	    nitems(parse_url_safe_schemes), sizeof parse_url_safe_schemes[0],
	    parse_url_strcmp) != NULL);
}

/* Whether an absolute URI's scheme is a safe one. */
bool
parse_url_is_safe(const char *uri)
{
	return (parse_url_is_safe_scheme(uri, strcspn(uri, ":")));
}

/*
 * Resolve ref against base.  Without a base a relative reference is
 * returned as it is; an absolute reference is kept as written (curl
 * would normalise it); a result whose scheme is not safe is dropped
 * (NULL), as feedparser does, and so is an unsafe absolute reference
 * when there is a base or is_strict.  If curl cannot parse the pair, the
 * reference is kept unresolved.  Caller frees.
 */
char *
parse_url_resolve(const char *base, const char *ref, bool is_strict)
{
	CURLU		*u;
	char		*out = NULL, *s;
	unsigned int	 flags = CURLU_NON_SUPPORT_SCHEME | CURLU_ALLOW_SPACE;

	if (ref == NULL)
		return (NULL);
	if (parse_url_has_scheme(ref)) {
		if ((base != NULL || is_strict) && !parse_url_is_safe(ref))
			return (NULL);
		return (xstrdup(ref));
	}
	if (base == NULL || !parse_url_has_scheme(base))
		return (xstrdup(ref));
	if (*ref == '\0')
		return (xstrdup(base));

	if ((u = curl_url()) == NULL)
		return (xstrdup(ref));
	if (curl_url_set(u, CURLUPART_URL, base, flags) != CURLUE_OK ||
	    curl_url_set(u, CURLUPART_URL, ref, flags) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_URL, &out, 0) != CURLUE_OK) {
		curl_url_cleanup(u);
		return (xstrdup(ref));
	}
	s = xstrdup(out);
	curl_free(out);
	curl_url_cleanup(u);
	if (!parse_url_is_safe(s)) {
		free(s);
		return (NULL);
	}
	return (s);
}

/*
 * Whether ref is a root-relative reference ("/path?query#fragment") that
 * resolves to its base's origin followed by ref as written, so that
 * parse_url_origin can stand in for a whole resolution by curl: only
 * characters curl keeps as they are (RFC 3986's unreserved and
 * sub-delims, ':', '@', '/', '?' and one '#'), no dot segment, and no
 * empty query or fragment (curl drops those).  Three in four relative
 * references in feeds are of this kind.
 */
bool
parse_url_is_plain_root(const char *ref)
{
	static const char	 other[] = "-._~!$&'()*+,;=:@/?";
	const char		*p;
	bool			 has_hash = false;
	int			 c;

	if (ref[0] != '/' || ref[1] == '/' || strstr(ref, "/.") != NULL)
		return (false);
	for (p = ref; (c = (unsigned char)*p) != '\0'; p++) {
		if ((c == '?' || c == '#') && (p[1] == '\0' || p[1] == '#'))
			return (false);
		if (c == '#') {
			if (has_hash)
				return (false);
			has_hash = true;
		} else if (!isalnum(c) || c >= 0x80) {
			if (strchr(other, c) == NULL)
				return (false);
		}
	}
	return (true);
}

/*
 * The base parsed for resolving references against it: cache as it is
 * when it was parsed from base already, else parsed anew.  Either may
 * leave cache->curl or cache->origin NULL.
 */
struct parse_url_base *
parse_url_base_set(struct parse_url_base *cache, const char *base)
{
	if (cache->base != NULL && strcmp(cache->base, base) == 0)
		return (cache);
	parse_url_base_clear(cache);
	cache->base = xstrdup(base);
	if ((cache->curl = curl_url()) != NULL &&
	    curl_url_set(cache->curl, CURLUPART_URL, base,
	    CURLU_NON_SUPPORT_SCHEME | CURLU_ALLOW_SPACE) != CURLUE_OK) {
		curl_url_cleanup(cache->curl);
		cache->curl = NULL;
	}
	if (cache->curl != NULL)
		cache->origin = parse_url_origin(cache->curl);
	return (cache);
}

/* Free what parse_url_base_set kept; the cache can be set again. */
void
parse_url_base_clear(struct parse_url_base *cache)
{
	free(cache->base);
	if (cache->curl != NULL)
		curl_url_cleanup(cache->curl);
	free(cache->origin);
	memset(cache, 0, sizeof *cache);
}

/*
 * The origin of a parsed base, "scheme://authority" as curl writes it
 * when it resolves a reference against base, for the references
 * parse_url_is_plain_root accepts: the result is the origin followed by
 * the reference.  NULL unless the scheme is http or https (others were
 * not checked against curl's resolution), or if the origin has a '%'
 * (parse-html.c undoes curl's escapes).  Caller frees.
 */
char *
parse_url_origin(CURLU *base)
{
	CURLU	*u;
	char	*url = NULL, *s = NULL;
	size_t	 len;

	if ((u = curl_url_dup(base)) == NULL)
		return (NULL);
	if (curl_url_set(u, CURLUPART_PATH, "/", 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_QUERY, NULL, 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_URL, &url, 0) == CURLUE_OK &&
	    (strncmp(url, "http://", 7) == 0 ||
	    strncmp(url, "https://", 8) == 0) &&
	    (len = strlen(url)) > 0 && url[len - 1] == '/' &&
	    strchr(url, '%') == NULL)
		s = xstrndup(url, len - 1);
	curl_free(url);
	curl_url_cleanup(u);
	return (s);
}
