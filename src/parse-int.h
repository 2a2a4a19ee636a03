/* SPDX-License-Identifier: ISC */
/*
 * Declarations shared by the parse-*.c files and nothing else.
 */
#ifndef FEEDD_PARSE_INT_H
#define FEEDD_PARSE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#ifndef nitems
#define nitems(a) (sizeof (a) / sizeof (a)[0])
#endif

/*
 * Render t as RFC 3339 UTC with whole seconds and a four-digit year
 * ("0099-12-31T23:00:01Z"); out must hold PARSE_DATE_LEN bytes.  Returns
 * -1 if t is outside years 0 to 9999.
 */
#define PARSE_DATE_LEN 80
int	parse_date_format(time_t t, char out[PARSE_DATE_LEN]);

#endif
