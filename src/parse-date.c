/* SPDX-License-Identifier: ISC */
/*
 * Dates as feeds write them.  Two families cover nearly every feed: the
 * W3C profile of ISO 8601 that Atom and Dublin Core use (RFC 3339 and its
 * truncated forms), and RFC 822/1123 as RSS uses it, with the zone names
 * and sloppiness found in the wild.  The first is scanned here, strictly;
 * the second is normalised token by token and handed to curl_getdate,
 * which rejects what it cannot read.  Nothing is guessed: a string that
 * does not fully match gives -1, so a bad date is reported as absent
 * rather than as some other instant.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "feedd/parse.h"
#include "feedd/util.h"
#include "parse-int.h"

/* Longest date string considered; anything longer is not a date. */
#define PARSE_DATE_MAX 128

/*
 * Days in 400 Gregorian years: shifting a year by a multiple of 400 keeps
 * the calendar and the weekdays identical.
 */
#define PARSE_DATE_CYCLE_DAYS 146097

/* A zone name curl_getdate does not know, with its offset in minutes. */
struct parse_date_zone {
	const char	*name;
	int		 minutes;
};

static int	 parse_date_digits(const char **, int, int *);
static bool	 parse_date_is_leap(int);
static int	 parse_date_mdays(int, int);
static int	 parse_date_zone(const char **, int *);
static int	 parse_date_time(const char **, int *, int *, int *, int *);
static int	 parse_date_ymd(const char **, int *, int *, int *, bool *);
static int	 parse_date_w3c(const char *, time_t *);
static int	 parse_date_make(int, int, int, int, int, int, int, time_t *);
static int	 parse_date_token(const char *, size_t, struct buf *,
		     time_t *);
static int	 parse_date_rfc822(const char *, time_t *);
static int	 parse_date_rfc1123(const char *, time_t *);

/*
 * US zone abbreviations of one or two letters that RSS feeds use and
 * curl_getdate does not know (curl reads one letter as a military zone).
 * Sorted by name.
 */
static const struct parse_date_zone parse_date_zones[] = {
	{ "AT", -4 * 60 },
	{ "CT", -6 * 60 },
	{ "ET", -5 * 60 },
	{ "MT", -7 * 60 },
	{ "PT", -8 * 60 },
};

/* Month names curl_getdate only reads as three letters; in month order. */
static const char *parse_date_months[] = {
	"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december"
};

/*
 * Read exactly n ASCII digits at *pp into *val and advance.  Returns -1,
 * without advancing, if there are fewer.
 */
static int
parse_date_digits(const char **pp, int n, int *val)
{
	const char	*p = *pp;
	int		 i, v = 0;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)p[i]))
			return (-1);
		v = v * 10 + (p[i] - '0');
	}
	*pp = p + n;
	*val = v;
	return (0);
}

/* Whether year is a Gregorian leap year. */
static bool
parse_date_is_leap(int year)
{
	return ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0);
}

/* Days in month (1 to 12) of year. */
static int
parse_date_mdays(int year, int month)
{
	static const int days[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (month == 2 && parse_date_is_leap(year))
		return (29);
	return (days[month - 1]);
}

/*
 * Read the date part of an ISO 8601 string: YYYY, YYYY-MM, YYYY-MM-DD,
 * YYYYMMDD, YYYY-DDD (ordinal) and YYYY-0MM-DD, plus the two-digit-year
 * forms -YYMM, -YY-MM, YY-MM-DD and YYMMDD from ISO 8601:1988.  Sets
 * *month to 1 and *day to the ordinal day when given one.  OUT:
 * *is_full tells whether a full date was read, which a time needs.
 */
static int
parse_date_ymd(const char **pp, int *year, int *month, int *day,
    bool *is_full)
{
	const char	*p = *pp, *q;
	size_t		 n;

	*month = 1;
	*day = 1;
	*is_full = false;
	for (n = 0; isdigit((unsigned char)p[n]); n++)
		;
	if (p[0] == '-' && isdigit((unsigned char)p[1])) {
		/* -YYMM or -YY-MM: a month of the current century. */
		p++;
		if (parse_date_digits(&p, 2, year) == -1)
			return (-1);
		*year += 2000;
		if (*p == '-')
			p++;
		if (parse_date_digits(&p, 2, month) == -1)
			return (-1);
		goto out;
	}
	if (n == 6) {
		/* YYMMDD. */
		if (parse_date_digits(&p, 2, year) == -1 ||
		    parse_date_digits(&p, 2, month) == -1 ||
		    parse_date_digits(&p, 2, day) == -1)
			return (-1);
		*year += 2000;
		*is_full = true;
		goto out;
	}
	if (n == 2 && p[2] == '-') {
		/* YY-MM-DD. */
		if (parse_date_digits(&p, 2, year) == -1 || *p++ != '-' ||
		    parse_date_digits(&p, 2, month) == -1 || *p++ != '-' ||
		    parse_date_digits(&p, 2, day) == -1)
			return (-1);
		*year += 2000;
		*is_full = true;
		goto out;
	}
	if (n == 8) {
		/* YYYYMMDD. */
		if (parse_date_digits(&p, 4, year) == -1 ||
		    parse_date_digits(&p, 2, month) == -1 ||
		    parse_date_digits(&p, 2, day) == -1)
			return (-1);
		*is_full = true;
		goto out;
	}
	if (n != 4 || parse_date_digits(&p, 4, year) == -1)
		return (-1);
	if (*p != '-')
		goto out;
	p++;
	for (q = p; isdigit((unsigned char)*q); q++)
		;
	if (q - p == 3 && *q == '-' && *p == '0') {
		/* YYYY-0MM-DD, a padded month some generators write. */
		p++;
		if (parse_date_digits(&p, 2, month) == -1)
			return (-1);
	} else if (q - p == 3) {
		/* YYYY-DDD. */
		if (parse_date_digits(&p, 3, day) == -1)
			return (-1);
		if (*day < 1 || *day > (parse_date_is_leap(*year) ? 366 : 365))
			return (-1);
		*is_full = true;
		*pp = p;
		return (0);
	} else if (parse_date_digits(&p, 2, month) == -1)
		return (-1);
	if (*p == '-') {
		p++;
		if (parse_date_digits(&p, 2, day) == -1)
			return (-1);
		*is_full = true;
	}
out:
	if (*month < 1 || *month > 12)
		return (-1);
	if (*day < 1 || *day > parse_date_mdays(*year, *month))
		return (-1);
	*pp = p;
	return (0);
}

/* Read hh:mm[:ss[.fraction]]; the fraction is dropped. */
static int
parse_date_time(const char **pp, int *hour, int *min, int *sec, int *zone)
{
	const char	*p = *pp;

	*sec = 0;
	*zone = 0;
	if (parse_date_digits(&p, 2, hour) == -1 || *p++ != ':' ||
	    parse_date_digits(&p, 2, min) == -1)
		return (-1);
	if (*p == ':') {
		p++;
		if (parse_date_digits(&p, 2, sec) == -1)
			return (-1);
		if (*p == '.' || *p == ',') {
			p++;
			if (!isdigit((unsigned char)*p))
				return (-1);
			while (isdigit((unsigned char)*p))
				p++;
		}
	}
	/* A leap second (60) is allowed; timegm carries it. */
	if (*hour > 23 || *min > 59 || *sec > 60)
		return (-1);
	if (*p == ' ' && (p[1] == '+' || p[1] == '-' || p[1] == 'Z'))
		p++;
	if (*p != '\0' && parse_date_zone(&p, zone) == -1)
		return (-1);
	*pp = p;
	return (0);
}

/* Read a zone: Z, +hh, +hhmm or +hh:mm, as minutes east of UTC. */
static int
parse_date_zone(const char **pp, int *zone)
{
	const char	*p = *pp;
	int		 sign, h, m = 0;

	if (*p == 'Z' || *p == 'z') {
		*zone = 0;
		*pp = p + 1;
		return (0);
	}
	if (*p != '+' && *p != '-')
		return (-1);
	sign = (*p++ == '-') ? -1 : 1;
	if (parse_date_digits(&p, 2, &h) == -1)
		return (-1);
	if (*p == ':')
		p++;
	if (isdigit((unsigned char)*p) &&
	    parse_date_digits(&p, 2, &m) == -1)
		return (-1);
	if (h > 23 || m > 59)
		return (-1);
	*zone = sign * (h * 60 + m);
	*pp = p;
	return (0);
}

/*
 * Turn broken-down UTC fields, minus a zone offset in minutes, into
 * *utc.  The fields were range-checked by the caller; timegm carries an
 * ordinal day or a leap second over.
 */
static int
parse_date_make(int year, int month, int day, int hour, int min, int sec,
    int zone, time_t *utc)
{
	struct tm	 tm;
	time_t		 t;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = year - 1900;
	tm.tm_mon = month - 1;
	tm.tm_mday = day;
	tm.tm_hour = hour;
	tm.tm_min = min;
	tm.tm_sec = sec;
	/* Years are at most four digits, so a 64-bit timegm cannot fail. */
	t = timegm(&tm);
	*utc = t - (time_t)zone * 60;
	return (0);
}

/*
 * W3CDTF / RFC 3339 / ISO 8601: a date as parse_date_ymd reads it,
 * optionally followed by T (or a space) and a time with an optional
 * zone.  A missing zone means UTC.  The whole string must match.
 */
static int
parse_date_w3c(const char *s, time_t *utc)
{
	const char	*p = s;
	int		 year, month, day, hour = 0, min = 0, sec = 0;
	int		 zone = 0;
	bool		 is_full;

	if (parse_date_ymd(&p, &year, &month, &day, &is_full) == -1)
		return (-1);
	if (*p == 'T' || *p == 't' || (*p == ' ' && is_full)) {
		if (!is_full)
			return (-1);
		p++;
		if (parse_date_time(&p, &hour, &min, &sec, &zone) == -1)
			return (-1);
	}
	if (*p != '\0')
		return (-1);
	return (parse_date_make(year, month, day, hour, min, sec, zone, utc));
}

/*
 * Append one RFC 822 token, normalised for curl_getdate, to b: full
 * month names become three letters, GMT+hh:mm and +hh:mm become +hhmm,
 * Etc/GMT becomes GMT, the US zones in parse_date_zones become offsets,
 * a Perforce YYYY/MM/DD becomes "DD Mon YYYY", and a four-digit year
 * before 1600 (which curl refuses) is moved forward by whole 400-year
 * cycles, *shift recording the seconds to take back.
 */
static int
parse_date_token(const char *tok, size_t len, struct buf *b, time_t *shift)
{
	static const char	*abbr[] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
		"Sep", "Oct", "Nov", "Dec"
	};
	const char		*p;
	char			 t[PARSE_DATE_MAX];
	size_t			 i;
	int			 year, month, day, zone;

	memcpy(t, tok, len);
	t[len] = '\0';
	if (b->len != 0)
		buf_addc(b, ' ');

	/* Full month names are longer than three, these zones two. */
	for (i = 0; len > 3 && i < nitems(parse_date_months); i++) {
		if (strcasecmp(t, parse_date_months[i]) == 0) {
			buf_adds(b, abbr[i]);
			return (0);
		}
	}
	for (i = 0; len == 2 && i < nitems(parse_date_zones); i++) {
		if (strcasecmp(t, parse_date_zones[i].name) == 0) {
			zone = parse_date_zones[i].minutes;
			buf_addf(b, "%c%02d%02d", zone < 0 ? '-' : '+',
			    abs(zone) / 60, abs(zone) % 60);
			return (0);
		}
	}
	if (strcasecmp(t, "Etc/GMT") == 0 || strcasecmp(t, "Etc/UTC") == 0) {
		buf_adds(b, "GMT");
		return (0);
	}

	p = t;
	if (strncasecmp(p, "GMT", 3) == 0 || strncasecmp(p, "UTC", 3) == 0)
		p += 3;
	if ((*p == '+' || *p == '-') && strchr(p, ':') != NULL) {
		if (parse_date_zone(&p, &zone) == -1 || *p != '\0')
			return (-1);
		buf_addf(b, "%c%02d%02d", zone < 0 ? '-' : '+',
		    abs(zone) / 60, abs(zone) % 60);
		return (0);
	}

	p = t;
	if (len == 10 && t[4] == '/' && t[7] == '/') {
		if (parse_date_digits(&p, 4, &year) == -1 || *p++ != '/' ||
		    parse_date_digits(&p, 2, &month) == -1 || *p++ != '/' ||
		    parse_date_digits(&p, 2, &day) == -1)
			return (-1);
		if (month < 1 || month > 12)
			return (-1);
		buf_addf(b, "%02d %s %04d", day, abbr[month - 1], year);
		return (0);
	}

	if (len == 4 && parse_date_digits(&p, 4, &year) == 0 && year < 1600) {
		buf_addf(b, "%04d", year + 2000);
		*shift = (time_t)5 * PARSE_DATE_CYCLE_DAYS * 86400;
		return (0);
	}

	buf_add(b, tok, len);
	return (0);
}

/*
 * RFC 822 / RFC 1123 and their relatives (asctime, missing seconds or
 * time, stray commas, two-digit years): normalise the tokens, then let
 * curl_getdate read the result.  curl reads two-digit years as 1970 to
 * 2069 and fails on unknown words, bad numbers and out-of-range fields.
 */
static int
parse_date_rfc822(const char *s, time_t *utc)
{
	struct buf	 b;
	const char	*p = s, *start;
	time_t		 t, shift = 0;
	int		 ret = -1;

	if (parse_date_rfc1123(s, utc) == 0)
		return (0);
	buf_init(&b);
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '\0')
			break;
		start = p;
		while (*p != '\0' && *p != ' ' && *p != '\t' && *p != ',')
			p++;
		if (parse_date_token(start, p - start, &b, &shift) == -1)
			goto out;
	}
	if (b.len == 0)
		goto out;
	t = curl_getdate(b.data, NULL);
	if (t == -1)
		goto out;
	*utc = t - shift;
	ret = 0;
out:
	buf_clear(&b);
	return (ret);
}

/*
 * The form nearly every RSS feed writes, "Sat, 01 Jun 2024 10:08:00
 * +0000" (RFC 1123 with a numeric zone, GMT or UTC), read directly into
 * the instant curl_getdate gives for it: the general path tokenizes,
 * rebuilds the string and has curl scan it again.  Returns -1 for
 * anything else, down to a day past the end of its month or a zone
 * beyond curl's +1400, and the general path decides.
 */
static int
parse_date_rfc1123(const char *s, time_t *utc)
{
	static const char	 days[] = "MonTueWedThuFriSatSun";
	static const char	 months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	const char		*p = s, *m;
	int			 day, month, year, hour, min, sec, zone, zh, zm;

	if (strlen(p) < 29 || p[3] != ',' || p[4] != ' ')
		return (-1);
	for (m = days; *m != '\0' && memcmp(m, p, 3) != 0; m += 3)
		/* nothing */;
	if (*m == '\0')
		return (-1);
	p += 5;
	if (parse_date_digits(&p, 2, &day) == -1 || *p++ != ' ')
		return (-1);
	for (m = months; *m != '\0' && memcmp(m, p, 3) != 0; m += 3)
		/* nothing */;
	if (*m == '\0' || p[3] != ' ')
		return (-1);
	month = (int)(m - months) / 3 + 1;
	p += 4;
	if (parse_date_digits(&p, 4, &year) == -1 || *p++ != ' ' ||
	    parse_date_digits(&p, 2, &hour) == -1 || *p++ != ':' ||
	    parse_date_digits(&p, 2, &min) == -1 || *p++ != ':' ||
	    parse_date_digits(&p, 2, &sec) == -1 || *p++ != ' ')
		return (-1);
	if (year < 1970 || day < 1 || day > parse_date_mdays(year, month) ||
	    hour > 23 || min > 59 || sec > 59)
		return (-1);
	if (strcmp(p, "GMT") == 0 || strcmp(p, "UTC") == 0)
		zone = 0;
	else if ((*p == '+' || *p == '-') && strlen(p) == 5) {
		m = p + 1;
		if (parse_date_digits(&m, 2, &zh) == -1 ||
		    parse_date_digits(&m, 2, &zm) == -1 ||
		    zh * 100 + zm > 1400 || zm > 59)
			return (-1);
		zone = (*p == '-' ? -1 : 1) * (zh * 60 + zm);
	} else
		return (-1);
	return (parse_date_make(year, month, day, hour, min, sec, zone, utc));
}

/* Parse a date in any form feeds use; see parse.h. */
int
parse_date(const char *s, time_t *utc)
{
	char	 copy[PARSE_DATE_MAX];
	char	*t;
	size_t	 len;

	if (s == NULL)
		return (-1);
	len = strlen(s);
	if (len >= sizeof copy)
		return (-1);
	memcpy(copy, s, len + 1);
	t = util_trim(copy);
	if (*t == '\0')
		return (-1);
	if (parse_date_w3c(t, utc) == 0)
		return (0);
	if (isdigit((unsigned char)t[0]) && strchr(t, ' ') == NULL)
		return (-1);	/* a mangled ISO date; do not let curl guess */
	return (parse_date_rfc822(t, utc));
}

/* Format t as RFC 3339 UTC with a four-digit year; see parse-int.h. */
int
parse_date_format(time_t t, char out[PARSE_DATE_LEN])
{
	struct tm	 tm;

	if (gmtime_r(&t, &tm) == NULL || tm.tm_year < -1900 ||
	    tm.tm_year > 9999 - 1900)
		return (-1);
	snprintf(out, PARSE_DATE_LEN, "%04d-%02d-%02dT%02d:%02d:%02dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec);
	return (0);
}
