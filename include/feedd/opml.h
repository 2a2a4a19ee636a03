/*
 * opml: read an OPML subscription list (a local file or stdin) into feeds
 * ready to be written as [feed NAME] config sections, for `feedd opml
 * import`.  Category outlines, nested or in the category attribute,
 * become tags; names are made unique and safe.  It is config-side input:
 * opml never touches the network, loads nothing external and expands no
 * entity a document declares.
 */
#ifndef FEEDD_OPML_H
#define FEEDD_OPML_H

#include <stddef.h>

/* One subscription. */
struct opml_feed {
	char	*name;		/* unique; lower case [a-z0-9-] */
	char	*url;		/* xmlUrl */
	char	*title;		/* text or title; NULL when it is the name */
	char	*html_url;	/* htmlUrl, or NULL */
	char	**tags;		/* [A-Za-z0-9._-], no repeats */
	size_t	 ntags;
	int	 line;		/* of its outline */
};

/* A subscription list, in document order. */
struct opml_list {
	struct opml_feed *feeds;
	size_t		  nfeeds;
	char		**warnings;	/* "FILE:LINE: message": outlines
					   skipped */
	size_t		  nwarnings;
};

/*
 * Read the OPML document at path ("-": stdin).  Returns the list, or NULL
 * with *cause set to "FILE:LINE: message" (or "FILE: message"), which the
 * caller frees.  An outline with the same xmlUrl as an earlier one adds
 * its tags to that feed.
 */
struct opml_list	*opml_read(const char *path, char **cause);
void			 opml_list_free(struct opml_list *);

/*
 * The list as config text: a comment naming source, then one [feed NAME]
 * section per feed with url, title and tags keys, and htmlUrl as a
 * comment.  Caller frees.
 */
char			*opml_config(const struct opml_list *,
			    const char *source);

#endif
