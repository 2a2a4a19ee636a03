/* SPDX-License-Identifier: ISC */
/*
 * JSON Feed 1.0 and 1.1.  Placeholder until the reader lands: the
 * document is flagged as not understood.
 */
#include <stdlib.h>

#include "feedd/model.h"
#include "feedd/util.h"
#include "parse-int.h"

/* Read a JSON Feed; see parse-int.h. */
int
parse_jsonfeed(const char *data, size_t len, const char *base,
    size_t max_entries, struct feed_doc *doc)
{
	(void)data;
	(void)len;
	(void)base;
	(void)max_entries;
	doc->is_bozo = true;
	doc->bozo_kind = xstrdup("unsupported");
	doc->bozo_message = xstrdup("JSON Feed is not supported yet");
	return (-1);
}
