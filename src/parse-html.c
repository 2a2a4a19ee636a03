/* SPDX-License-Identifier: ISC */
/*
 * HTML sanitizing: the allow-list filter applied to every text/html and
 * application/xhtml+xml text construct (titles, summaries, content,
 * rights, subtitles).  It keeps and drops what the Universal Feed Parser
 * 6.0.10 does: its lists of elements, attributes, CSS properties and
 * keywords, SVG and MathML; script, applet and style go with their
 * content; any other unknown element loses its tags but keeps its text;
 * href, src and the like are resolved against the base, and a URL with
 * a scheme outside the safe list becomes "".
 *
 * libxml2's HTML parser reads the fragment (SAX, no tree is built) and
 * the callbacks below write what survives back out.  libxml2 repairs
 * markup (it closes what was left open, and drops end tags nothing
 * opened) where feedparser passes tags through as they come, so an end
 * tag is written only when it was really in the input, and a stray one
 * is picked up from libxml2's error report.
 */
#include <sys/types.h>

#include <ctype.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>

#include "feedd/model.h"
#include "feedd/util.h"
#include "parse-int.h"

/* A lower-case name and its spelling on output (SVG is camel case). */
struct parse_html_name {
	const char	*lower;
	const char	*name;
};

/* Which allow-list of attributes applies to an element. */
enum parse_html_vocab {
	PARSE_HTML_HTML,
	PARSE_HTML_MATHML,
	PARSE_HTML_SVG
};

/* How parse_html_escape escapes. */
enum parse_html_esc {
	PARSE_HTML_RAW,
	PARSE_HTML_TEXT,
	PARSE_HTML_ATTR
};

/* An element libxml2 has open, and what its start tag did. */
struct parse_html_open {
	const char	*name;		/* as written, NULL if dropped */
	bool		 is_unacceptable; /* counted in unacceptable */
	bool		 is_math;	/* counted in math */
	bool		 is_svg;	/* counted in svg */
	bool		 is_raw;	/* script or style: raw text */
	bool		 is_closed;	/* written as <name/> */
	bool		 is_void;	/* has no end tag */
};

/* An (element, attribute) pair. */
struct parse_html_pair {
	const char	*element;
	const char	*attribute;
};

/* One attribute while it is being cleaned. */
struct parse_html_attr {
	const char	*name;		/* lower case, from libxml2 */
	const char	*value;		/* libxml2's, constant or own */
	char		*own;		/* value if allocated here */
};

/*
 * The sanitizer's state across SAX callbacks: the output, the elements
 * open, feedparser's three counters (inside script/applet/style, MathML,
 * SVG), the offset just after the last end tag taken as written, the
 * attribute array reused for each element, and the base parsed once.
 */
struct parse_html_state {
	htmlParserCtxtPtr	 xc;
	const char		*base;
	struct buf		 out;
	struct parse_html_open	*open;
	size_t			 nopen;
	size_t			 opensize;
	int			 unacceptable;
	int			 math;
	int			 svg;
	unsigned long		 last_end;
	struct parse_html_attr	*attrs;
	size_t			 attrsize;
	struct parse_url_base	*urlbase;	/* the caller's, or own */
	struct parse_url_base	 own;
	const char		*fast_base;	/* fast path's input, or NULL */
	const char		*fast_cur;	/* where libxml2 would be */
};

#define PARSE_HTML_MATHML_NS "http://www.w3.org/1998/Math/MathML"
#define PARSE_HTML_SVG_NS "http://www.w3.org/2000/svg"
#define PARSE_HTML_XLINK_NS "http://www.w3.org/1999/xlink"

/* How far back an end tag is looked for before the parser's position. */
#define PARSE_HTML_LOOKBACK 1024

/* The longest tag or attribute name the fast path reads (libxml2: 100). */
#define PARSE_HTML_FAST_NAME 32

/*
 * Entity names remembered by parse_html_entity (a power of two), and
 * the longest it keeps, with its NUL.
 */
#define PARSE_HTML_ENTITY_MEMO	64
#define PARSE_HTML_ENTITY_NAME	12

/* The most attributes on one element, and open elements, it takes. */
#define PARSE_HTML_FAST_ATTRS 32
#define PARSE_HTML_FAST_DEPTH 64

/*
 * A longer <p> start tag goes to libxml2: when it shrinks its buffer it
 * keeps only 80 bytes before its position, which parse_html_last_tag
 * then cannot look behind.
 */
#define PARSE_HTML_FAST_PTAG 64

static char	*parse_html_run(const char *, const char *,
		     struct parse_url_base *, bool);
static void	 parse_html_buf_size(struct buf *, size_t);
static int	 parse_html_strcmp(const void *, const void *);
static int	 parse_html_namecmp(const void *, const void *);
static const char *parse_html_find(const char **, size_t, const char *);
static const struct parse_html_name *parse_html_find_name(
		     const struct parse_html_name *, size_t, const char *);
static bool	 parse_html_is_s(int);
static bool	 parse_html_is_w(int);
static bool	 parse_html_is_unacceptable(const char *);
static inline uint64_t parse_html_has_esc(const char *,
		     enum parse_html_esc);
static void	 parse_html_escape(struct buf *, const char *, size_t,
		     enum parse_html_esc);
static void	 parse_html_add_lf(struct buf *, const char *, size_t);
static const char *parse_html_marked_section(const char *);
static void	 parse_html_prepare(struct buf *, const char *);
static bool	 parse_html_has_scheme(const char *);
static bool	 parse_html_is_safe(const char *);
static char	*parse_html_unescape_url(const char *);
static char	*parse_html_resolve(struct parse_html_state *, const char *);
static int	 parse_html_paircmp(const void *, const void *);
static bool	 parse_html_is_relative(const char *, const char *);
static bool	 parse_html_is_url_attr(const char *);
static const char *parse_html_css_url(const char *);
static bool	 parse_html_css_gauntlet(const char *, size_t);
static bool	 parse_html_css_value(const char *, size_t);
static bool	 parse_html_css_keep(const char *, size_t, const char *,
		     size_t, bool);
static char	*parse_html_style(const char *, bool);
static const xmlChar *parse_html_cur(struct parse_html_state *,
		     const xmlChar **);
static unsigned long parse_html_offset(struct parse_html_state *);
static const xmlChar *parse_html_last_tag(struct parse_html_state *);
static bool	 parse_html_is_start_tag(struct parse_html_state *,
		     const char *);
static bool	 parse_html_is_end_tag(struct parse_html_state *,
		     const char *);
static void	 parse_html_stray_end(struct parse_html_state *,
		     const char *);
static void	 parse_html_raw(struct parse_html_state *, const char *,
		     size_t);
static size_t	 parse_html_attrs(struct parse_html_state *, const char *,
		     const xmlChar **);
static struct parse_html_attr *parse_html_attr_get(struct parse_html_attr *,
		     size_t, const char *);
static void	 parse_html_attr_set(struct parse_html_state *, size_t *,
		     const char *, const char *, char *);
static void	 parse_html_write_attrs(struct parse_html_state *,
		     enum parse_html_vocab, struct parse_html_attr *, size_t);
static void	 parse_html_sax_start(void *, const xmlChar *,
		     const xmlChar **);
static void	 parse_html_sax_end(void *, const xmlChar *);
static void	 parse_html_sax_chars(void *, const xmlChar *, int);
static void	 parse_html_sax_comment(void *, const xmlChar *);
static void	 parse_html_sax_error(void *, xmlErrorPtr);
static inline uint64_t parse_html_fast_stops(const char *);
static inline bool parse_html_is_char(unsigned int);
static inline size_t parse_html_fast_utf8(const unsigned char *);
static bool	 parse_html_fast_is_name0(int);
static bool	 parse_html_fast_is_name(int);
static const htmlEntityDesc *parse_html_entity(const char *);
static int	 parse_html_fast_ref(const char **, struct buf *);
static size_t	 parse_html_fast_name(const char **,
		     char [PARSE_HTML_FAST_NAME]);
static const char *parse_html_fast_blanks(const char *);
static bool	 parse_html_fast_autocloses(const char *, const char *);
static int	 parse_html_fast_attrs(const char **, struct buf *,
		     ssize_t [2 * PARSE_HTML_FAST_ATTRS]);
static int	 parse_html_fast(struct parse_html_state *, const char *,
		     size_t);
static bool	 parse_html_is_alternate(const char *);
static void	 parse_html_links_start(void *, const xmlChar *,
		     const xmlChar **);
static void	 parse_html_links_error(void *, xmlErrorPtr);

/* feedparser's allow-list of HTML elements; sorted by strcmp. */
static const char *parse_html_elements[] = {
	"a", "abbr", "acronym", "address", "area", "article", "aside",
	"audio", "b", "big", "blockquote", "br", "button", "canvas",
	"caption", "center", "cite", "code", "col", "colgroup", "command",
	"datagrid", "datalist", "dd", "del", "details", "dfn", "dialog",
	"dir", "div", "dl", "dt", "em", "event-source", "fieldset",
	"figcaption", "figure", "font", "footer", "form", "h1", "h2", "h3",
	"h4", "h5", "h6", "header", "hr", "i", "img", "input", "ins", "kbd",
	"keygen", "label", "legend", "li", "m", "map", "menu", "meter",
	"multicol", "nav", "nextid", "noscript", "ol", "optgroup", "option",
	"output", "p", "pre", "progress", "q", "s", "samp", "section",
	"select", "small", "sound", "source", "spacer", "span", "strike",
	"strong", "sub", "sup", "table", "tbody", "td", "textarea", "tfoot",
	"th", "thead", "time", "tr", "tt", "u", "ul", "var", "video"
};

static const char *parse_html_attributes[] = {
	"abbr", "accept", "accept-charset", "accesskey", "action", "align",
	"alt", "autocomplete", "autofocus", "axis", "background", "balance",
	"bgcolor", "bgproperties", "border", "bordercolor",
	"bordercolordark", "bordercolorlight", "bottompadding",
	"cellpadding", "cellspacing", "ch", "challenge", "char", "charoff",
	"charset", "checked", "choff", "cite", "class", "clear", "color",
	"cols", "colspan", "compact", "contenteditable", "controls",
	"coords", "data", "datafld", "datapagesize", "datasrc", "datetime",
	"default", "delay", "dir", "disabled", "draggable", "dynsrc",
	"enctype", "end", "face", "for", "form", "frame", "galleryimg",
	"gutter", "headers", "height", "hidden", "hidefocus", "high", "href",
	"hreflang", "hspace", "icon", "id", "inputmode", "ismap", "keytype",
	"label", "lang", "leftspacing", "list", "longdesc", "loop",
	"loopcount", "loopend", "loopstart", "low", "lowsrc", "max",
	"maxlength", "media", "method", "min", "multiple", "name", "nohref",
	"noshade", "nowrap", "open", "optimum", "pattern", "ping",
	"point-size", "poster", "pqg", "preload", "prompt", "radiogroup",
	"readonly", "rel", "repeat-max", "repeat-min", "replace", "required",
	"rev", "rightspacing", "rows", "rowspan", "rules", "scope",
	"selected", "shape", "size", "span", "src", "start", "step", "style",
	"summary", "suppress", "tabindex", "target", "template", "title",
	"toppadding", "type", "unselectable", "urn", "usemap", "valign",
	"value", "variable", "volume", "vrml", "vspace", "width", "wrap",
	"xml:lang"
};

static const char *parse_html_css_properties[] = {
	"azimuth", "background-color", "border-bottom-color",
	"border-collapse", "border-color", "border-left-color",
	"border-right-color", "border-top-color", "clear", "color", "cursor",
	"direction", "display", "elevation", "float", "font", "font-family",
	"font-size", "font-style", "font-variant", "font-weight", "height",
	"letter-spacing", "line-height", "overflow", "pause", "pause-after",
	"pause-before", "pitch", "pitch-range", "richness", "speak",
	"speak-header", "speak-numeral", "speak-punctuation", "speech-rate",
	"stress", "text-align", "text-decoration", "text-indent",
	"unicode-bidi", "vertical-align", "voice-family", "volume",
	"white-space", "width"
};

static const char *parse_html_css_keywords[] = {
	"!important", "aqua", "auto", "black", "block", "blue", "bold",
	"both", "bottom", "brown", "center", "collapse", "dashed", "dotted",
	"fuchsia", "gray", "green", "italic", "left", "lime", "maroon",
	"medium", "navy", "none", "normal", "nowrap", "olive", "pointer",
	"purple", "red", "right", "silver", "solid", "teal", "top",
	"transparent", "underline", "white", "yellow"
};

static const char *parse_html_mathml_elements[] = {
	"annotation", "annotation-xml", "maction", "maligngroup",
	"malignmark", "math", "menclose", "merror", "mfenced", "mfrac",
	"mglyph", "mi", "mlabeledtr", "mlongdiv", "mmultiscripts", "mn",
	"mo", "mover", "mpadded", "mphantom", "mprescripts", "mroot", "mrow",
	"ms", "mscarries", "mscarry", "msgroup", "msline", "mspace", "msqrt",
	"msrow", "mstack", "mstyle", "msub", "msubsup", "msup", "mtable",
	"mtd", "mtext", "mtr", "munder", "munderover", "none", "semantics"
};

static const char *parse_html_mathml_attributes[] = {
	"accent", "accentunder", "actiontype", "align", "alignmentscope",
	"altimg", "altimg-height", "altimg-valign", "altimg-width",
	"alttext", "bevelled", "charalign", "close", "columnalign",
	"columnlines", "columnspacing", "columnspan", "columnwidth",
	"crossout", "decimalpoint", "denomalign", "depth", "dir", "display",
	"displaystyle", "edge", "encoding", "equalcolumns", "equalrows",
	"fence", "fontstyle", "fontweight", "form", "frame", "framespacing",
	"groupalign", "height", "href", "id", "indentalign",
	"indentalignfirst", "indentalignlast", "indentshift",
	"indentshiftfirst", "indentshiftlast", "indenttarget",
	"infixlinebreakstyle", "largeop", "length", "linebreak",
	"linebreakmultchar", "linebreakstyle", "lineleading",
	"linethickness", "location", "longdivstyle", "lquote", "lspace",
	"mathbackground", "mathcolor", "mathsize", "mathvariant", "maxsize",
	"minlabelspacing", "minsize", "movablelimits", "notation",
	"numalign", "open", "other", "overflow", "position", "rowalign",
	"rowlines", "rowspacing", "rowspan", "rquote", "rspace",
	"scriptlevel", "scriptminsize", "scriptsizemultiplier", "selection",
	"separator", "separators", "shift", "side", "src", "stackalign",
	"stretchy", "subscriptshift", "superscriptshift", "symmetric",
	"voffset", "width", "xlink:href", "xlink:show", "xlink:type",
	"xmlns", "xmlns:xlink"
};

static const struct parse_html_name parse_html_svg_elements[] = {
	{ "a", "a" },
	{ "animate", "animate" },
	{ "animatecolor", "animateColor" },
	{ "animatemotion", "animateMotion" },
	{ "animatetransform", "animateTransform" },
	{ "circle", "circle" },
	{ "defs", "defs" },
	{ "desc", "desc" },
	{ "ellipse", "ellipse" },
	{ "font-face", "font-face" },
	{ "font-face-name", "font-face-name" },
	{ "font-face-src", "font-face-src" },
	{ "foreignobject", "foreignObject" },
	{ "g", "g" },
	{ "glyph", "glyph" },
	{ "hkern", "hkern" },
	{ "line", "line" },
	{ "lineargradient", "linearGradient" },
	{ "marker", "marker" },
	{ "metadata", "metadata" },
	{ "missing-glyph", "missing-glyph" },
	{ "mpath", "mpath" },
	{ "path", "path" },
	{ "polygon", "polygon" },
	{ "polyline", "polyline" },
	{ "radialgradient", "radialGradient" },
	{ "rect", "rect" },
	{ "set", "set" },
	{ "stop", "stop" },
	{ "svg", "svg" },
	{ "switch", "switch" },
	{ "text", "text" },
	{ "title", "title" },
	{ "tspan", "tspan" },
	{ "use", "use" },
};

static const struct parse_html_name parse_html_svg_attributes[] = {
	{ "accent-height", "accent-height" },
	{ "accumulate", "accumulate" },
	{ "additive", "additive" },
	{ "alphabetic", "alphabetic" },
	{ "arabic-form", "arabic-form" },
	{ "ascent", "ascent" },
	{ "attributename", "attributeName" },
	{ "attributetype", "attributeType" },
	{ "baseprofile", "baseProfile" },
	{ "bbox", "bbox" },
	{ "begin", "begin" },
	{ "by", "by" },
	{ "calcmode", "calcMode" },
	{ "cap-height", "cap-height" },
	{ "class", "class" },
	{ "color", "color" },
	{ "color-rendering", "color-rendering" },
	{ "content", "content" },
	{ "cx", "cx" },
	{ "cy", "cy" },
	{ "d", "d" },
	{ "descent", "descent" },
	{ "display", "display" },
	{ "dur", "dur" },
	{ "dx", "dx" },
	{ "dy", "dy" },
	{ "end", "end" },
	{ "fill", "fill" },
	{ "fill-opacity", "fill-opacity" },
	{ "fill-rule", "fill-rule" },
	{ "font-family", "font-family" },
	{ "font-size", "font-size" },
	{ "font-stretch", "font-stretch" },
	{ "font-style", "font-style" },
	{ "font-variant", "font-variant" },
	{ "font-weight", "font-weight" },
	{ "from", "from" },
	{ "fx", "fx" },
	{ "fy", "fy" },
	{ "g1", "g1" },
	{ "g2", "g2" },
	{ "glyph-name", "glyph-name" },
	{ "gradientunits", "gradientUnits" },
	{ "hanging", "hanging" },
	{ "height", "height" },
	{ "horiz-adv-x", "horiz-adv-x" },
	{ "horiz-origin-x", "horiz-origin-x" },
	{ "id", "id" },
	{ "ideographic", "ideographic" },
	{ "k", "k" },
	{ "keypoints", "keyPoints" },
	{ "keysplines", "keySplines" },
	{ "keytimes", "keyTimes" },
	{ "lang", "lang" },
	{ "marker-end", "marker-end" },
	{ "marker-mid", "marker-mid" },
	{ "marker-start", "marker-start" },
	{ "markerheight", "markerHeight" },
	{ "markerunits", "markerUnits" },
	{ "markerwidth", "markerWidth" },
	{ "mathematical", "mathematical" },
	{ "max", "max" },
	{ "min", "min" },
	{ "name", "name" },
	{ "offset", "offset" },
	{ "opacity", "opacity" },
	{ "orient", "orient" },
	{ "origin", "origin" },
	{ "overline-position", "overline-position" },
	{ "overline-thickness", "overline-thickness" },
	{ "panose-1", "panose-1" },
	{ "path", "path" },
	{ "pathlength", "pathLength" },
	{ "points", "points" },
	{ "preserveaspectratio", "preserveAspectRatio" },
	{ "r", "r" },
	{ "refx", "refX" },
	{ "refy", "refY" },
	{ "repeatcount", "repeatCount" },
	{ "repeatdur", "repeatDur" },
	{ "requiredextensions", "requiredExtensions" },
	{ "requiredfeatures", "requiredFeatures" },
	{ "restart", "restart" },
	{ "rotate", "rotate" },
	{ "rx", "rx" },
	{ "ry", "ry" },
	{ "slope", "slope" },
	{ "stemh", "stemh" },
	{ "stemv", "stemv" },
	{ "stop-color", "stop-color" },
	{ "stop-opacity", "stop-opacity" },
	{ "strikethrough-position", "strikethrough-position" },
	{ "strikethrough-thickness", "strikethrough-thickness" },
	{ "stroke", "stroke" },
	{ "stroke-dasharray", "stroke-dasharray" },
	{ "stroke-dashoffset", "stroke-dashoffset" },
	{ "stroke-linecap", "stroke-linecap" },
	{ "stroke-linejoin", "stroke-linejoin" },
	{ "stroke-miterlimit", "stroke-miterlimit" },
	{ "stroke-opacity", "stroke-opacity" },
	{ "stroke-width", "stroke-width" },
	{ "systemlanguage", "systemLanguage" },
	{ "target", "target" },
	{ "text-anchor", "text-anchor" },
	{ "to", "to" },
	{ "transform", "transform" },
	{ "type", "type" },
	{ "u1", "u1" },
	{ "u2", "u2" },
	{ "underline-position", "underline-position" },
	{ "underline-thickness", "underline-thickness" },
	{ "unicode", "unicode" },
	{ "unicode-range", "unicode-range" },
	{ "units-per-em", "units-per-em" },
	{ "values", "values" },
	{ "version", "version" },
	{ "viewbox", "viewBox" },
	{ "visibility", "visibility" },
	{ "width", "width" },
	{ "widths", "widths" },
	{ "x", "x" },
	{ "x-height", "x-height" },
	{ "x1", "x1" },
	{ "x2", "x2" },
	{ "xlink:actuate", "xlink:actuate" },
	{ "xlink:arcrole", "xlink:arcrole" },
	{ "xlink:href", "xlink:href" },
	{ "xlink:role", "xlink:role" },
	{ "xlink:show", "xlink:show" },
	{ "xlink:title", "xlink:title" },
	{ "xlink:type", "xlink:type" },
	{ "xml:base", "xml:base" },
	{ "xml:lang", "xml:lang" },
	{ "xml:space", "xml:space" },
	{ "xmlns", "xmlns" },
	{ "xmlns:xlink", "xmlns:xlink" },
	{ "y", "y" },
	{ "y1", "y1" },
	{ "y2", "y2" },
	{ "zoomandpan", "zoomAndPan" },
};

static const char *parse_html_svg_properties[] = {
	"fill", "fill-opacity", "fill-rule", "stroke", "stroke-linecap",
	"stroke-linejoin", "stroke-opacity", "stroke-width"
};

static const char *parse_html_void_elements[] = {
	"area", "base", "basefont", "br", "col", "command", "embed", "frame",
	"hr", "img", "input", "isindex", "keygen", "link", "meta", "param",
	"source", "track", "wbr"
};



/*
 * What U+0080 to U+009F stand for in windows-1252 (feedparser's map);
 * 0 where windows-1252 has nothing either.
 */
static const unsigned short parse_html_cp1252[32] = {
	0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
	0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178
};

/*
 * The (element, attribute) pairs whose value is a URL resolved against
 * the base (feedparser's RelativeURIResolver), sorted.
 */
static const struct parse_html_pair parse_html_relative[] = {
	{ "a", "href" }, { "applet", "codebase" }, { "area", "href" },
	{ "audio", "src" }, { "blockquote", "cite" }, { "body", "background" },
	{ "del", "cite" }, { "form", "action" }, { "frame", "longdesc" },
	{ "frame", "src" }, { "head", "profile" }, { "iframe", "longdesc" },
	{ "iframe", "src" }, { "img", "longdesc" }, { "img", "src" },
	{ "img", "usemap" }, { "input", "src" }, { "input", "usemap" },
	{ "ins", "cite" }, { "link", "href" }, { "object", "classid" },
	{ "object", "codebase" }, { "object", "data" }, { "object", "usemap" },
	{ "q", "cite" }, { "script", "src" }, { "source", "src" },
	{ "video", "poster" }, { "video", "src" }
};

/*
 * Attributes holding a URL: a value with an unsafe scheme is emptied
 * whatever the element, even where feedparser only checks href.
 */
static const char *parse_html_url_attrs[] = {
	"action", "background", "cite", "classid", "codebase", "data",
	"dynsrc", "href", "longdesc", "lowsrc", "ping", "poster", "profile",
	"src", "usemap", "xlink:href"
};

/*
 * strcmp, with the first bytes compared inline: most probes of a lookup
 * differ there.
 */
static inline int
parse_html_cmp(const char *a, const char *b)
{
	return (parse_name_cmp(a, b));
}

/* bsearch comparator for arrays of strings. */
static int
parse_html_strcmp(const void *key, const void *elem)
{
	return (parse_html_cmp(key, *(const char * const *)elem));
}

/* bsearch comparator for arrays of struct parse_html_name. */
static int
parse_html_namecmp(const void *key, const void *elem)
{
	return (parse_html_cmp(key,
	    ((const struct parse_html_name *)elem)->lower));
}

/* Look name up in a sorted array; returns the array's string or NULL. */
static const char *
parse_html_find(const char **tab, size_t n, const char *name)
{
	const char	**p;

	p = bsearch(name, tab, n, sizeof *tab, parse_html_strcmp);
	return (p != NULL ? *p : NULL);
}

/* Look a lower-case name up in a sorted array of names. */
static const struct parse_html_name *
parse_html_find_name(const struct parse_html_name *tab, size_t n,
    const char *name)
{
	return (bsearch(name, tab, n, sizeof *tab, parse_html_namecmp));
}

/* Python's \s for ASCII: what feedparser's regular expressions match. */
static bool
parse_html_is_s(int c)
{
	return (c == ' ' || (c >= '\t' && c <= '\r') ||
	    (c >= 0x1c && c <= 0x1f));
}

/* Python's \w for ASCII. */
static bool
parse_html_is_w(int c)
{
	return (isascii(c) && (isalnum(c) || c == '_'));
}

/* Whether an element goes with all its content (script, applet, style). */
static bool
parse_html_is_unacceptable(const char *name)
{
	return (parse_name_cmp(name, "script") == 0 ||
	    parse_name_cmp(name, "applet") == 0 ||
	    parse_name_cmp(name, "style") == 0);
}

/*
 * Bit 7 set in the bytes of the eight at p that parse_html_escape may
 * have to change with esc, tested a word at a time, as most text has
 * none; the lowest one flagged is exact (see parse_word_has).
 */
static inline uint64_t
parse_html_has_esc(const char *p, enum parse_html_esc esc)
{
	uint64_t	 w, m;

	memcpy(&w, p, 8);
	m = parse_word_has(w, 0xc2);
	if (esc != PARSE_HTML_RAW)
		m |= parse_word_has(w, '&') | parse_word_has(w, '<') |
		    parse_word_has(w, '>');
	if (esc == PARSE_HTML_ATTR)
		m |= parse_word_has(w, '"');
	return (m);
}

/*
 * Append s to b, escaped for HTML text (&, <, >) or for a double-quoted
 * attribute value (also "), or not at all.  Either way U+0080 to U+009F
 * become the windows-1252 characters they stand for, as feedparser maps
 * them (a "&#146;" is meant as a quote, not a C1 control).
 */
static void
parse_html_escape(struct buf *b, const char *s, size_t len,
    enum parse_html_esc esc)
{
	const char	*end = s + len, *p;
	const char	*rep;
	char		 u8[4];
	unsigned int	 cp;
	uint64_t	 w;

	for (p = s; p < end; p++) {
		/* Skip plain bytes quickly; the switch sees only these. */
		while (end - p >= 8) {
			if ((w = parse_html_has_esc(p, esc)) != 0) {
				p += parse_word_first(w);
				break;
			}
			p += 8;
		}
		while (p < end && *p != '&' && *p != '<' && *p != '>' &&
		    *p != '"' && *p != '\xc2')
			p++;
		if (p == end)
			break;
		switch (*p) {
		case '&':
			rep = esc != PARSE_HTML_RAW ? "&amp;" : NULL;
			break;
		case '<':
			rep = esc != PARSE_HTML_RAW ? "&lt;" : NULL;
			break;
		case '>':
			rep = esc != PARSE_HTML_RAW ? "&gt;" : NULL;
			break;
		case '"':
			rep = esc == PARSE_HTML_ATTR ? "&quot;" : NULL;
			break;
		case '\xc2':
			rep = NULL;
			if (p + 1 < end && (unsigned char)p[1] >= 0x80 &&
			    (unsigned char)p[1] <= 0x9f &&
			    (cp = parse_html_cp1252[p[1] & 0x1f]) != 0) {
				u8[0] = 0xe0 | (cp >> 12);
				u8[1] = 0x80 | ((cp >> 6) & 0x3f);
				u8[2] = 0x80 | (cp & 0x3f);
				u8[3] = '\0';
				if (cp < 0x800) {
					u8[0] = 0xc0 | (cp >> 6);
					u8[1] = 0x80 | (cp & 0x3f);
					u8[2] = '\0';
				}
				rep = u8;
			}
			break;
		default:
			rep = NULL;
			break;
		}
		if (rep == NULL)
			continue;
		buf_add(b, s, p - s);
		buf_adds(b, rep);
		if (*p == '\xc2')
			p++;
		s = p + 1;
	}
	buf_add(b, s, end - s);
}

/* Append s to b with each CRLF as LF. */
static void
parse_html_add_lf(struct buf *b, const char *s, size_t len)
{
	const char	*end = s + len, *p;

	while ((p = memchr(s, '\r', end - s)) != NULL) {
		/* Copy up to the CR, and the CR itself unless LF follows. */
		buf_add(b, s, p + (p + 1 < end && p[1] == '\n' ? 0 : 1) - s);
		s = p + 1;
	}
	buf_add(b, s, end - s);
}

/*
 * The end of the marked section at s ("<![CDATA[x]]>", "<![if IE]>"), as
 * Python's markupbase finds it, or NULL if there is none.
 */
static const char *
parse_html_marked_section(const char *s)
{
	static const char	*doubles[] = {
		"cdata", "ignore", "include", "rcdata", "temp"
	};
	static const char	*singles[] = { "else", "endif", "if" };
	char			 name[8];
	const char		*p = s + 3, *r;
	size_t			 n = 0;
	bool			 is_double;

	while (isalpha((unsigned char)*p) && n + 1 < sizeof name)
		name[n++] = tolower((unsigned char)*p++);
	name[n] = '\0';
	if (parse_html_find(doubles, nitems(doubles), name) != NULL)
		is_double = true;
	else if (parse_html_find(singles, nitems(singles), name) != NULL)
		is_double = false;
	else
		return (NULL);
	for (r = strchr(p, ']'); r != NULL; r = strchr(r + 1, ']')) {
		p = r + 1;
		while (parse_html_is_s((unsigned char)*p))
			p++;
		if (is_double) {
			if (*p++ != ']')
				continue;
			while (parse_html_is_s((unsigned char)*p))
				p++;
		}
		if (*p == '>')
			return (p + 1);
	}
	return (NULL);
}

/*
 * Copy the fragment into b behind "<html><body>", so that libxml2 takes
 * it as body content and implies no element of its own, and make the
 * changes feedparser makes before it tokenizes: a marked section
 * ("<![CDATA[...]]>") goes, a "<!" that opens neither a DOCTYPE, a
 * comment nor a marked section is text (so is a DOCTYPE without its
 * '>');
 * a comment without "-->" ends at the next "--" followed somewhere by
 * ">", or else takes the rest of the fragment with it.  A CRLF becomes LF
 * (feedparser does it to its output, where "&#13;" is still a reference).
 */
static void
parse_html_prepare(struct buf *b, const char *html)
{
	const char	*p = html, *q, *end, *gt;

	buf_adds(b, "<html><body>");
	while ((q = strstr(p, "<!")) != NULL) {
		parse_html_add_lf(b, p, q - p);
		if (strncmp(q, "<!--", 4) == 0) {
			end = strstr(q + 4, "-->");
			if (end != NULL) {
				parse_html_add_lf(b, q, end + 3 - q);
				p = end + 3;
				continue;
			}
			end = strstr(q + 4, "--");
			if (end == NULL || (gt = strchr(end + 2, '>')) == NULL)
				return;
			p = gt + 1;
			continue;
		}
		if (q[2] == '[') {
			if ((end = parse_html_marked_section(q)) != NULL) {
				p = end;
				continue;
			}
			buf_adds(b, "&lt;![");
			p = q + 3;
		} else if (strncmp(q, "<!DOCTYPE", 9) == 0 &&
		    strchr(q + 9, '>') != NULL) {
			buf_add(b, q, 2);
			p = q + 2;
		} else {
			buf_adds(b, "&lt;!");
			p = q + 2;
		}
	}
	parse_html_add_lf(b, p, strlen(p));
}

/* Whether s starts with a URI scheme (RFC 3986 3.1) followed by ':'. */
static bool
parse_html_has_scheme(const char *s)
{
	const char	*p = s;

	if (!isalpha((unsigned char)*p))
		return (false);
	while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' ||
	    *p == '.')
		p++;
	return (*p == ':');
}

/*
 * Whether a URL may stay: it has no scheme, or one in the safe list.
 * The scheme is found as Python's urlsplit finds it (leading control
 * characters and spaces skipped, tabs and newlines ignored), so that
 * "java&#9;script:" is caught too.
 */
static bool
parse_html_is_safe(const char *url)
{
	char		 scheme[16];
	const char	*p = url;
	size_t		 n = 0;
	int		 c;
	bool		 is_alpha;

	while (*p != '\0' && (unsigned char)*p <= ' ')
		p++;
	/* ASCII by hand: the ctype functions cost a call per byte. */
	for (; *p != ':'; p++) {
		if (*p == '\t' || *p == '\n' || *p == '\r')
			continue;
		c = (unsigned char)*p;
		is_alpha = (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
		if (!is_alpha && !(c >= '0' && c <= '9') && c != '+' &&
		    c != '-' && c != '.')
			return (true);	/* no scheme: relative */
		if (n == 0 && !is_alpha)
			return (true);
		if (n + 1 >= sizeof scheme)
			return (false);
		scheme[n++] = is_alpha ? (char)(c | 0x20) : (char)c;
	}
	if (n == 0)
		return (true);
	scheme[n] = '\0';
	return (parse_url_is_safe_scheme(scheme, n));
}

/* Copy a URL with its %XX escapes decoded (none of them is "%00"). */
static char *
parse_html_unescape_url(const char *url)
{
	char		*s, *t;
	unsigned int	 c;

	s = t = xmalloc(strlen(url) + 1);
	while (*url != '\0') {
		if (url[0] == '%' && isxdigit((unsigned char)url[1]) &&
		    isxdigit((unsigned char)url[2]) &&
		    sscanf(url + 1, "%2x", &c) == 1 && c != 0) {
			*t++ = (char)c;
			url += 3;
		} else
			*t++ = *url++;
	}
	*t = '\0';
	return (s);
}

/*
 * Resolve a reference against the base with curl's URL API, as
 * parse_resolve in parse.c does: without a base the reference stays as
 * it is, an absolute reference is kept as written, and a result with an
 * unsafe scheme is dropped (NULL).  feedparser leaves spaces and
 * non-ASCII characters as they are where curl percent-encodes them, so
 * when neither string had a '%', curl's escapes are undone.  The base
 * is parsed once per document (or fragment, without the caller's
 * cache), and a plain root-relative reference is joined to its origin
 * without asking curl again (parse_url_is_plain_root).
 */
static char *
parse_html_resolve(struct parse_html_state *st, const char *ref)
{
	CURLU			*u;
	struct parse_url_base	*b;
	char			*out = NULL, *s;
	const char		*base = st->base;
	unsigned int		 flags;
	size_t			 n;

	flags = CURLU_NON_SUPPORT_SCHEME | CURLU_ALLOW_SPACE;
	if (parse_html_has_scheme(ref)) {
		if (base != NULL && !parse_html_is_safe(ref))
			return (NULL);
		return (xstrdup(ref));
	}
	if (base == NULL || !parse_html_has_scheme(base))
		return (xstrdup(ref));
	if (*ref == '\0')
		return (xstrdup(base));

	b = parse_url_base_set(st->urlbase, base);
	if (b->origin != NULL && parse_url_is_plain_root(ref)) {
		n = strlen(b->origin);
		s = xmalloc(n + strlen(ref) + 1);
		memcpy(s, b->origin, n);
		strcpy(s + n, ref);
		return (s);
	}
	if (b->curl == NULL || (u = curl_url_dup(b->curl)) == NULL)
		return (xstrdup(ref));
	if (curl_url_set(u, CURLUPART_URL, ref, flags) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_URL, &out, 0) != CURLUE_OK) {
		curl_url_cleanup(u);
		return (xstrdup(ref));
	}
	if (strchr(base, '%') == NULL && strchr(ref, '%') == NULL)
		s = parse_html_unescape_url(out);
	else
		s = xstrdup(out);
	curl_free(out);
	curl_url_cleanup(u);
	if (!parse_html_is_safe(s)) {
		free(s);
		return (NULL);
	}
	return (s);
}

/* bsearch comparator for parse_html_relative. */
static int
parse_html_paircmp(const void *key, const void *elem)
{
	const struct parse_html_pair	*k = key, *e = elem;
	int				 c;

	if ((c = parse_html_cmp(k->element, e->element)) != 0)
		return (c);
	return (parse_html_cmp(k->attribute, e->attribute));
}

/* Whether element's attribute holds a URL to resolve against the base. */
static bool
parse_html_is_relative(const char *element, const char *attribute)
{
	struct parse_html_pair	 key;

	if (!parse_html_is_url_attr(attribute))
		return (false);
	key.element = element;
	key.attribute = attribute;
	return (bsearch(&key, parse_html_relative, nitems(parse_html_relative),
	    sizeof parse_html_relative[0], parse_html_paircmp) != NULL);
}

/* Whether an attribute holds a URL whose scheme must be checked. */
static bool
parse_html_is_url_attr(const char *name)
{
	return (parse_html_find(parse_html_url_attrs,
	    nitems(parse_html_url_attrs), name) != NULL);
}

/*
 * Match feedparser's url\s*\(\s*[^\s)]+?\s*\)\s* at s, just after "url";
 * returns the end of the match or NULL.
 */
static const char *
parse_html_css_url(const char *s)
{
	const char	*p = s, *q;

	while (parse_html_is_s((unsigned char)*p))
		p++;
	if (*p++ != '(')
		return (NULL);
	while (parse_html_is_s((unsigned char)*p))
		p++;
	for (q = p; *q != '\0' && *q != ')' &&
	    !parse_html_is_s((unsigned char)*q); q++)
		/* nothing */;
	if (q == p)
		return (NULL);
	while (parse_html_is_s((unsigned char)*q))
		q++;
	if (*q++ != ')')
		return (NULL);
	while (parse_html_is_s((unsigned char)*q))
		q++;
	return (q);
}

/*
 * feedparser's first test of a style attribute: the whole value must be
 * a run of ([:,;#%.\sa-zA-Z0-9!]|\w-\w|'[\s\w]+'|"[\s\w]+"|\([\d,\s]+\)).
 * Decided by marking which offsets a run can reach, in linear time.
 */
static bool
parse_html_css_gauntlet(const char *s, size_t len)
{
	unsigned char	*reach;
	size_t		 i, j;
	int		 c;
	bool		 ok;

	reach = xcalloc(len + 1, 1);
	reach[0] = 1;
	for (i = 0; i < len; i++) {
		if (!reach[i])
			continue;
		c = (unsigned char)s[i];
		if (parse_html_is_s(c) || (isascii(c) && isalnum(c)) ||
		    strchr(":,;#%.!", c) != NULL)
			reach[i + 1] = 1;
		if (i + 2 < len && parse_html_is_w(c) && s[i + 1] == '-' &&
		    parse_html_is_w((unsigned char)s[i + 2]))
			reach[i + 3] = 1;
		if (c == '\'' || c == '"') {
			for (j = i + 1; j < len &&
			    (parse_html_is_s((unsigned char)s[j]) ||
			    parse_html_is_w((unsigned char)s[j])); j++)
				/* nothing */;
			if (j > i + 1 && j < len && s[j] == c)
				reach[j + 1] = 1;
		}
		if (c == '(') {
			for (j = i + 1; j < len &&
			    (isdigit((unsigned char)s[j]) || s[j] == ',' ||
			    parse_html_is_s((unsigned char)s[j])); j++)
				/* nothing */;
			if (j > i + 1 && j < len && s[j] == ')')
				reach[j + 1] = 1;
		}
	}
	ok = reach[len];
	free(reach);
	return (ok);
}

/*
 * Whether one word of a background, border, margin or padding value
 * matches feedparser's valid_css_values: #hex, rgb(...), or a number of
 * up to four digits (two and two around a point) with an optional unit.
 */
static bool
parse_html_css_value(const char *w, size_t len)
{
	static const char	*units[] = {
		"%", ")", ",", "cm", "em", "ex", "in", "mm", "pc", "pt", "px"
	};
	size_t			 i, n, u;

	if (len > 0 && w[0] == '#') {
		for (i = 1; i < len; i++) {
			if (!isdigit((unsigned char)w[i]) &&
			    (w[i] < 'a' || w[i] > 'f'))
				return (false);
		}
		return (len > 1);
	}
	if (len >= 4 && memcmp(w, "rgb(", 4) == 0) {
		i = 4;
		for (n = i; i < len && isdigit((unsigned char)w[i]); i++)
			/* nothing */;
		if (i == n)
			return (false);
		if (i < len && w[i] == '%')
			i++;
		if (i >= len || w[i++] != ',')
			return (false);
		while (i < len && isdigit((unsigned char)w[i]))
			i++;
		if (i < len && w[i] == '%')
			i++;
		if (i < len && w[i] == ',')
			i++;
		while (i < len && isdigit((unsigned char)w[i]))
			i++;
		if (i < len && w[i] == '%')
			i++;
		if (i < len && w[i] == ')')
			i++;
		return (i == len);
	}
	for (i = 0; i < len && isdigit((unsigned char)w[i]); i++)
		/* nothing */;
	if (i < len && w[i] == '.') {
		if (i > 2)
			return (false);
		for (n = ++i; i < len && isdigit((unsigned char)w[i]); i++)
			/* nothing */;
		if (i - n > 2)
			return (false);
	} else if (i > 4)
		return (false);
	if (i == len)
		return (true);
	for (u = 0; u < nitems(units); u++) {
		if (strlen(units[u]) == len - i &&
		    memcmp(units[u], w + i, len - i) == 0)
			return (true);
	}
	return (false);
}

/*
 * Whether one declaration (prop: value) survives: an allowed property;
 * a background, border, margin or padding one whose words are all
 * allowed keywords or values; or, inside SVG, an SVG paint property.
 */
static bool
parse_html_css_keep(const char *prop, size_t plen, const char *value,
    size_t vlen, bool is_svg)
{
	static const char	*groups[] = {
		"background", "border", "margin", "padding"
	};
	char			 lower[32], word[32];
	size_t			 i, n, g;

	if (plen >= sizeof lower)
		return (false);
	for (i = 0; i < plen; i++)
		lower[i] = tolower((unsigned char)prop[i]);
	lower[plen] = '\0';
	if (parse_html_find(parse_html_css_properties,
	    nitems(parse_html_css_properties), lower) != NULL)
		return (true);

	n = strcspn(lower, "-");
	for (g = 0; g < nitems(groups); g++) {
		if (strlen(groups[g]) == n && memcmp(groups[g], lower, n) == 0)
			break;
	}
	if (g < nitems(groups)) {
		i = 0;
		for (;;) {
			while (i < vlen &&
			    parse_html_is_s((unsigned char)value[i]))
				i++;
			if (i == vlen)
				return (true);
			for (n = i; i < vlen &&
			    !parse_html_is_s((unsigned char)value[i]); i++)
				/* nothing */;
			if (i - n < sizeof word) {
				memcpy(word, value + n, i - n);
				word[i - n] = '\0';
				if (parse_html_find(parse_html_css_keywords,
				    nitems(parse_html_css_keywords),
				    word) != NULL)
					continue;
			}
			if (!parse_html_css_value(value + n, i - n))
				return (false);
		}
	}
	return (is_svg && parse_html_find(parse_html_svg_properties,
	    nitems(parse_html_svg_properties), lower) != NULL);
}

/*
 * Clean a style attribute as feedparser does: url(...) removed; the
 * value rejected as a whole if it holds anything but the characters and
 * tokens of its gauntlet, or anything but a list of name: value
 * declarations; then only the declarations parse_html_css_keep allows,
 * written "name: value;" and joined by spaces.  Returns NULL if nothing
 * is left.
 */
static char *
parse_html_style(const char *style, bool is_svg)
{
	struct buf	 b, out;
	const char	*p, *q, *s, *prop, *value;
	size_t		 plen, vlen;

	buf_init(&b);
	buf_init(&out);
	for (p = style; *p != '\0';) {
		if (strncmp(p, "url", 3) == 0 &&
		    (q = parse_html_css_url(p + 3)) != NULL) {
			buf_addc(&b, ' ');
			p = q;
		} else
			buf_addc(&b, *p++);
	}
	if (b.len == 0 || !parse_html_css_gauntlet(b.data, b.len))
		goto fail;

	s = b.data;
	for (;;) {
		while (parse_html_is_s((unsigned char)*s))
			s++;
		if (*s == '\0')
			break;
		prop = s;
		while (*s == '-' || parse_html_is_w((unsigned char)*s))
			s++;
		plen = s - prop;
		if (plen == 0)
			goto fail;
		while (parse_html_is_s((unsigned char)*s))
			s++;
		if (*s++ != ':')
			goto fail;
		while (parse_html_is_s((unsigned char)*s))
			s++;
		value = s;
		s += strcspn(s, ":;");
		vlen = s - value;
		if (*s == ';')
			s++;
		if (vlen == 0 || !parse_html_css_keep(prop, plen, value, vlen,
		    is_svg))
			continue;
		if (out.len > 0)
			buf_addc(&out, ' ');
		buf_add(&out, prop, plen);
		buf_adds(&out, ": ");
		buf_add(&out, value, vlen);
		buf_addc(&out, ';');
	}
	buf_clear(&b);
	if (out.len == 0)
		return (NULL);
	return (buf_steal(&out));

fail:
	buf_clear(&b);
	buf_clear(&out);
	return (NULL);
}

/*
 * The input being read and the position in it: libxml2's, or where the
 * fast path stands in for it (parse_html_fast).  *base is NULL if there
 * is no input.
 */
static const xmlChar *
parse_html_cur(struct parse_html_state *st, const xmlChar **base)
{
	xmlParserInputPtr	 in;

	if (st->fast_base != NULL) {
		*base = (const xmlChar *)st->fast_base;
		return ((const xmlChar *)st->fast_cur);
	}
	in = st->xc->input;
	if (in == NULL || in->cur == NULL || in->base == NULL) {
		*base = NULL;
		return (NULL);
	}
	*base = in->base;
	return (in->cur);
}

/* The parser's offset in the whole input. */
static unsigned long
parse_html_offset(struct parse_html_state *st)
{
	xmlParserInputPtr	 in;

	if (st->fast_base != NULL)
		return ((unsigned long)(st->fast_cur - st->fast_base));
	in = st->xc->input;
	return (in->consumed + (in->cur - in->base));
}

/*
 * The last '<' before the parser's position, within PARSE_HTML_LOOKBACK
 * bytes, or NULL.  A start or end tag libxml2 reports was read there if
 * it is really in the input.
 */
static const xmlChar *
parse_html_last_tag(struct parse_html_state *st)
{
	const xmlChar	*base, *cur, *p, *lim;

	if ((cur = parse_html_cur(st, &base)) == NULL || base == NULL)
		return (NULL);
	lim = cur - base > PARSE_HTML_LOOKBACK ?
	    cur - PARSE_HTML_LOOKBACK : base;
	for (p = cur; p > lim; p--) {
		if (p[-1] == '<')
			return (p - 1);
	}
	return (NULL);
}

/*
 * Whether a start tag libxml2 reports was in the input rather than
 * implied (libxml2 opens a <p> for text it finds outside the body).
 */
static bool
parse_html_is_start_tag(struct parse_html_state *st, const char *name)
{
	const xmlChar	*base, *p;
	size_t		 len = strlen(name);

	if ((p = parse_html_last_tag(st)) == NULL)
		return (false);
	if ((size_t)(parse_html_cur(st, &base) - p) < len + 1 ||
	    strncasecmp((const char *)p + 1, name, len) != 0)
		return (false);
	return (!isalnum(p[len + 1]) && strchr("-_.:", p[len + 1]) == NULL);
}

/*
 * Whether an end tag libxml2 reports is the one just read, rather than
 * one it implied (an element closed by another's start or end tag, or
 * still open at the end).  Only one end tag counts per "</name>".
 */
static bool
parse_html_is_end_tag(struct parse_html_state *st, const char *name)
{
	const xmlChar	*base, *p;
	size_t		 len = strlen(name);
	unsigned long	 off;

	off = parse_html_offset(st);
	if (off == st->last_end || (p = parse_html_last_tag(st)) == NULL)
		return (false);
	if ((size_t)(parse_html_cur(st, &base) - p) < len + 2 || p[1] != '/' ||
	    strncasecmp((const char *)p + 2, name, len) != 0 ||
	    isalnum(p[len + 2]) || strchr("-_.:", p[len + 2]) != NULL)
		return (false);
	st->last_end = off;
	return (true);
}

/*
 * An end tag that closes nothing, which libxml2 drops: feedparser still
 * writes it if the element is allowed, and counts a stray </script>
 * (so that the text after it is dropped until the next <script>).
 */
static void
parse_html_stray_end(struct parse_html_state *st, const char *name)
{
	const char	*out;

	out = parse_html_find(parse_html_elements,
	    nitems(parse_html_elements), name);
	if (out == NULL) {
		if (parse_html_is_unacceptable(name))
			st->unacceptable--;
		return;
	}
	if (parse_html_find(parse_html_void_elements,
	    nitems(parse_html_void_elements), out) == NULL) {
		buf_add(&st->out, "</", 2);
		buf_adds(&st->out, out);
		buf_addc(&st->out, '>');
	}
}

/*
 * Text of a script or style that starts while a stray </script> is
 * still counted.  feedparser tokenizes such text as markup, so a
 * <script> inside it hides what follows: written text stops at such a
 * start tag and resumes after the matching end tag.
 */
static void
parse_html_raw(struct parse_html_state *st, const char *s, size_t len)
{
	const char	*end = s + len, *p, *q, *gt;
	char		 name[16];
	size_t		 n;
	bool		 is_end;

	while (s < end) {
		p = memchr(s, '<', end - s);
		if (p == NULL)
			p = end;
		if (st->unacceptable == 0)
			parse_html_escape(&st->out, s, p - s,
			    PARSE_HTML_TEXT);
		if (p == end)
			break;
		is_end = p + 1 < end && p[1] == '/';
		q = p + (is_end ? 2 : 1);
		if (q >= end || !isalpha((unsigned char)*q) ||
		    (gt = memchr(q, '>', end - q)) == NULL) {
			if (st->unacceptable == 0)
				buf_adds(&st->out, "&lt;");
			s = p + 1;
			continue;
		}
		for (n = 0; q < end && n + 1 < sizeof name &&
		    (isalnum((unsigned char)*q) || strchr("-_.", *q) != NULL);
		    q++)
			name[n++] = tolower((unsigned char)*q);
		name[n] = '\0';
		if (parse_html_is_unacceptable(name))
			st->unacceptable += is_end ? -1 : 1;
		s = gt + 1;
	}
}

/* The attribute called name in a[0..n), or NULL. */
static struct parse_html_attr *
parse_html_attr_get(struct parse_html_attr *a, size_t n, const char *name)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (strcmp(a[i].name, name) == 0)
			return (&a[i]);
	}
	return (NULL);
}

/*
 * Set attribute name (a constant string) of the element's n to value (a
 * constant string or one handed over in own), adding it if new.
 */
static void
parse_html_attr_set(struct parse_html_state *st, size_t *n, const char *name,
    const char *value, char *own)
{
	struct parse_html_attr	*at;

	if ((at = parse_html_attr_get(st->attrs, *n, name)) == NULL) {
		if (*n == st->attrsize) {
			st->attrsize = st->attrsize == 0 ? 8 : st->attrsize * 2;
			st->attrs = xreallocarray(st->attrs, st->attrsize,
			    sizeof *st->attrs);
		}
		at = &st->attrs[(*n)++];
		at->name = name;
	} else
		free(at->own);
	at->value = value;
	at->own = own;
}

/*
 * Collect an element's attributes into st->attrs as feedparser sees
 * them: a name without a value has itself as value, a repeated name
 * keeps its last value, rel and type values are lower-cased, and the
 * URL of a (element, attribute) pair in parse_html_relative is trimmed
 * and resolved against the base ("" if unsafe).  Returns the count.
 */
static size_t
parse_html_attrs(struct parse_html_state *st, const char *element,
    const xmlChar **atts)
{
	size_t		 n = 0, len;
	const char	*name, *value;
	char		*v, *r, *p;

	for (; atts != NULL && atts[0] != NULL; atts += 2) {
		name = (const char *)atts[0];
		value = atts[1] != NULL ? (const char *)atts[1] : name;
		v = NULL;
		if (strcmp(name, "rel") == 0 || strcmp(name, "type") == 0) {
			value = v = xstrdup(value);
			for (p = v; *p != '\0'; p++)
				*p = tolower((unsigned char)*p);
		} else if (parse_html_is_relative(element, name)) {
			while (parse_html_is_s((unsigned char)*value))
				value++;
			len = strlen(value);
			while (len > 0 &&
			    parse_html_is_s((unsigned char)value[len - 1]))
				len--;
			p = xstrndup(value, len);
			r = parse_html_resolve(st, p);
			free(p);
			value = v = r != NULL ? r : xstrdup("");
		}
		parse_html_attr_set(st, &n, name, value, v);
	}
	return (n);
}

/*
 * Write the attributes the vocabulary allows: style cleaned (HTML only),
 * SVG names in their camel case, and href and other URLs emptied when
 * their scheme is unsafe.
 */
static void
parse_html_write_attrs(struct parse_html_state *st,
    enum parse_html_vocab vocab, struct parse_html_attr *a, size_t n)
{
	const struct parse_html_name	*sn;
	const char			*name, *value;
	char				*style;
	size_t				 i;

	for (i = 0; i < n; i++) {
		name = a[i].name;
		value = a[i].value;
		style = NULL;
		if (strcmp(name, "style") == 0) {
			if (vocab != PARSE_HTML_HTML ||
			    (style = parse_html_style(value,
			    st->svg > 0)) == NULL)
				continue;
			value = style;
		} else if (vocab == PARSE_HTML_HTML) {
			if (parse_html_find(parse_html_attributes,
			    nitems(parse_html_attributes), name) == NULL)
				continue;
		} else if (vocab == PARSE_HTML_MATHML) {
			if (parse_html_find(parse_html_mathml_attributes,
			    nitems(parse_html_mathml_attributes), name) == NULL)
				continue;
		} else {
			sn = parse_html_find_name(parse_html_svg_attributes,
			    nitems(parse_html_svg_attributes), name);
			if (sn == NULL)
				continue;
			name = sn->name;
		}
		if (parse_html_is_url_attr(name) && !parse_html_is_safe(value))
			value = "";
		buf_addc(&st->out, ' ');
		buf_adds(&st->out, name);
		buf_adds(&st->out, "=\"");
		parse_html_escape(&st->out, value, strlen(value),
		    PARSE_HTML_ATTR);
		buf_addc(&st->out, '"');
		free(style);
	}
}

/*
 * SAX start tag: feedparser's decision.  An allowed HTML element is
 * written with its allowed attributes; script, applet and style start
 * dropping text; <math> and <svg> with their namespace (implied if
 * absent) switch to the MathML or SVG lists; anything else is dropped
 * but its content stays.
 */
static void
parse_html_sax_start(void *ctx, const xmlChar *xname, const xmlChar **atts)
{
	struct parse_html_state		*st = ctx;
	struct parse_html_open		*o;
	struct parse_html_attr		*a, *at;
	const struct parse_html_name	*sn;
	const char			*name = (const char *)xname, *out;
	const xmlChar			*base, *cur;
	enum parse_html_vocab		 vocab = PARSE_HTML_HTML;
	size_t				 n, i;
	bool				 has_xlink;

	if (st->nopen == st->opensize) {
		st->opensize = st->opensize == 0 ? 16 : st->opensize * 2;
		st->open = xreallocarray(st->open, st->opensize,
		    sizeof *st->open);
	}
	o = &st->open[st->nopen++];
	memset(o, 0, sizeof *o);
	o->is_raw = parse_name_cmp(name, "script") == 0 ||
	    parse_name_cmp(name, "style") == 0;
	if (strcmp(name, "p") == 0 && !parse_html_is_start_tag(st, name))
		return;

	n = parse_html_attrs(st, name, atts);
	a = st->attrs;
	out = parse_html_find(parse_html_elements, nitems(parse_html_elements),
	    name);
	if (out == NULL || st->svg > 0) {
		if (parse_html_is_unacceptable(name)) {
			st->unacceptable++;
			o->is_unacceptable = true;
		}
		at = parse_html_attr_get(a, n, "xmlns");
		if (at == NULL || *at->value == '\0') {
			if (strcmp(name, "svg") == 0)
				parse_html_attr_set(st, &n, "xmlns",
				    PARSE_HTML_SVG_NS, NULL);
			else if (strcmp(name, "math") == 0)
				parse_html_attr_set(st, &n, "xmlns",
				    PARSE_HTML_MATHML_NS, NULL);
			a = st->attrs;
			at = parse_html_attr_get(a, n, "xmlns");
		}
		if (at != NULL && strcmp(name, "math") == 0 &&
		    strcmp(at->value, PARSE_HTML_MATHML_NS) == 0) {
			st->math++;
			o->is_math = true;
		}
		if (at != NULL && strcmp(name, "svg") == 0 &&
		    strcmp(at->value, PARSE_HTML_SVG_NS) == 0) {
			st->svg++;
			o->is_svg = true;
		}
		if (st->math > 0 && (out = parse_html_find(
		    parse_html_mathml_elements,
		    nitems(parse_html_mathml_elements), name)) != NULL)
			vocab = PARSE_HTML_MATHML;
		else if (st->svg > 0 && (sn = parse_html_find_name(
		    parse_html_svg_elements, nitems(parse_html_svg_elements),
		    name)) != NULL) {
			vocab = PARSE_HTML_SVG;
			out = sn->name;
		} else if ((out = parse_html_find(parse_html_elements,
		    nitems(parse_html_elements), name)) == NULL)
			goto out;
	}
	o->name = out;

	if (st->math > 0 || st->svg > 0) {
		has_xlink = false;
		for (i = 0; i < n; i++) {
			if (strncmp(a[i].name, "xlink:", 6) == 0)
				has_xlink = true;
		}
		at = parse_html_attr_get(a, n, "xmlns:xlink");
		if (has_xlink && (at == NULL ||
		    strcmp(at->value, PARSE_HTML_XLINK_NS) != 0))
			parse_html_attr_set(st, &n, "xmlns:xlink",
			    PARSE_HTML_XLINK_NS, NULL);
		a = st->attrs;
	}
	buf_addc(&st->out, '<');
	buf_adds(&st->out, out);
	parse_html_write_attrs(st, vocab, a, n);
	o->is_void = parse_html_find(parse_html_void_elements,
	    nitems(parse_html_void_elements), out) != NULL;
	if (o->is_void)
		buf_adds(&st->out, " />");
	else
		buf_addc(&st->out, '>');

	/* <span/> is an empty element to feedparser, <span a="b"/> is not. */
	if (n == 0 && (cur = parse_html_cur(st, &base)) != NULL &&
	    cur[0] == '/' && cur[1] == '>')
		o->is_closed = true;
out:
	for (i = 0; i < n; i++) {
		free(a[i].own);
		a[i].own = NULL;
	}
}

/*
 * SAX end tag: undo what the start tag counted, and write the end tag
 * if the element was written and the end tag was really in the input.
 */
static void
parse_html_sax_end(void *ctx, const xmlChar *xname)
{
	struct parse_html_state	*st = ctx;
	struct parse_html_open	*o;
	bool			 is_explicit;

	if (st->nopen == 0)
		return;
	o = &st->open[--st->nopen];
	if (o->is_unacceptable)
		st->unacceptable--;
	if (o->is_math)
		st->math--;
	if (o->is_svg)
		st->svg--;
	is_explicit = parse_html_is_end_tag(st, (const char *)xname) ||
	    o->is_closed;
	if (!is_explicit || o->name == NULL || o->is_void)
		return;
	buf_add(&st->out, "</", 2);
	buf_adds(&st->out, o->name);
	buf_addc(&st->out, '>');
}

/* SAX text: written unless inside script, applet or style. */
static void
parse_html_sax_chars(void *ctx, const xmlChar *s, int len)
{
	struct parse_html_state	*st = ctx;

	if (st->nopen > 0 && st->open[st->nopen - 1].is_raw &&
	    st->unacceptable == 0)
		parse_html_raw(st, (const char *)s, len);
	else if (st->unacceptable == 0)
		parse_html_escape(&st->out, (const char *)s, len,
		    PARSE_HTML_TEXT);
}

/* SAX comment: kept, as feedparser keeps comments. */
static void
parse_html_sax_comment(void *ctx, const xmlChar *s)
{
	struct parse_html_state	*st = ctx;

	buf_adds(&st->out, "<!--");
	buf_adds(&st->out, (const char *)s);
	buf_adds(&st->out, "-->");
}

/*
 * libxml2's errors are not reported (the fragment is parsed as far as it
 * goes), but an end tag that closes nothing is written as feedparser
 * would (parse_html_stray_end).
 */
static void
parse_html_sax_error(void *ctx, xmlErrorPtr err)
{
	struct parse_html_state	*st = ctx;

	if (err == NULL || err->code != XML_ERR_TAG_NAME_MISMATCH ||
	    err->str1 == NULL || err->message == NULL ||
	    strncmp(err->message, "Unexpected end tag", 18) != 0)
		return;
	parse_html_stray_end(st, err->str1);
}

/*
 * Tags whose start autocloses the element on top of libxml2's stack
 * (its htmlStartClose), as (open element, new tag), sorted: found by
 * parsing "<old><new>" with libxml2 2.9.14 for every pair of its HTML 4
 * elements.  The fast path leaves such markup to libxml2.
 */
static const struct parse_html_pair parse_html_autoclose[] = {
	{ "a", "a" }, { "a", "fieldset" }, { "a", "table" }, { "a", "td" },
	{ "a", "th" }, { "address", "dd" }, { "address", "dl" },
	{ "address", "dt" }, { "address", "form" }, { "address", "li" },
	{ "address", "ul" }, { "b", "center" }, { "b", "p" }, { "b", "td" },
	{ "b", "th" }, { "big", "p" }, { "caption", "col" },
	{ "caption", "colgroup" }, { "caption", "tbody" },
	{ "caption", "tfoot" }, { "caption", "thead" }, { "caption", "tr" },
	{ "colgroup", "colgroup" }, { "colgroup", "tbody" },
	{ "colgroup", "tfoot" }, { "colgroup", "thead" },
	{ "colgroup", "tr" }, { "dd", "dt" }, { "dir", "dd" },
	{ "dir", "dl" }, { "dir", "dt" }, { "dir", "form" }, { "dir", "ul" },
	{ "dl", "form" }, { "dl", "li" }, { "dt", "dd" }, { "dt", "dl" },
	{ "font", "center" }, { "font", "td" }, { "font", "th" },
	{ "form", "form" }, { "h1", "fieldset" }, { "h1", "form" },
	{ "h1", "li" }, { "h1", "p" }, { "h1", "table" },
	{ "h2", "fieldset" }, { "h2", "form" }, { "h2", "li" }, { "h2", "p" },
	{ "h2", "table" }, { "h3", "fieldset" }, { "h3", "form" },
	{ "h3", "li" }, { "h3", "p" }, { "h3", "table" },
	{ "h4", "fieldset" }, { "h4", "form" }, { "h4", "li" }, { "h4", "p" },
	{ "h4", "table" }, { "h5", "fieldset" }, { "h5", "form" },
	{ "h5", "li" }, { "h5", "p" }, { "h5", "table" },
	{ "h6", "fieldset" }, { "h6", "form" }, { "h6", "li" }, { "h6", "p" },
	{ "h6", "table" }, { "i", "center" }, { "i", "p" }, { "i", "td" },
	{ "i", "th" }, { "legend", "fieldset" }, { "li", "li" },
	{ "menu", "dd" }, { "menu", "dl" }, { "menu", "dt" },
	{ "menu", "form" }, { "menu", "ul" }, { "ol", "form" },
	{ "ol", "ul" }, { "option", "optgroup" }, { "option", "option" },
	{ "p", "address" }, { "p", "blockquote" }, { "p", "caption" },
	{ "p", "center" }, { "p", "col" }, { "p", "colgroup" }, { "p", "dd" },
	{ "p", "dir" }, { "p", "div" }, { "p", "dl" }, { "p", "dt" },
	{ "p", "fieldset" }, { "p", "form" }, { "p", "frameset" },
	{ "p", "h1" }, { "p", "h2" }, { "p", "h3" }, { "p", "h4" },
	{ "p", "h5" }, { "p", "h6" }, { "p", "hr" }, { "p", "li" },
	{ "p", "menu" }, { "p", "ol" }, { "p", "p" }, { "p", "pre" },
	{ "p", "table" }, { "p", "tbody" }, { "p", "td" }, { "p", "tfoot" },
	{ "p", "th" }, { "p", "title" }, { "p", "tr" }, { "p", "ul" },
	{ "pre", "dd" }, { "pre", "dl" }, { "pre", "dt" },
	{ "pre", "fieldset" }, { "pre", "form" }, { "pre", "li" },
	{ "pre", "table" }, { "pre", "ul" }, { "s", "p" }, { "small", "p" },
	{ "span", "td" }, { "span", "th" }, { "strike", "p" },
	{ "tbody", "tbody" }, { "tbody", "tfoot" }, { "td", "tbody" },
	{ "td", "td" }, { "td", "tfoot" }, { "td", "th" }, { "td", "tr" },
	{ "tfoot", "tbody" }, { "th", "tbody" }, { "th", "td" },
	{ "th", "tfoot" }, { "th", "th" }, { "th", "tr" },
	{ "thead", "tbody" }, { "thead", "tfoot" }, { "title", "frameset" },
	{ "tr", "tbody" }, { "tr", "tfoot" }, { "tr", "tr" }, { "tt", "p" },
	{ "u", "p" }, { "u", "td" }, { "u", "th" }, { "ul", "address" },
	{ "ul", "form" }, { "ul", "menu" }, { "ul", "ol" }, { "ul", "pre" }
};

/* The elements libxml2 knows to be empty (its htmlElemDesc.empty). */
static const char *parse_html_fast_empty[] = {
	"area", "base", "basefont", "br", "col", "frame", "hr", "img",
	"input", "isindex", "link", "meta", "param"
};

/*
 * Elements libxml2 treats specially (structure it implies or ignores, a
 * <meta> charset switching the encoding) or that browsers read as raw
 * text: the fast path leaves them to libxml2.  Sorted.
 */
static const char *parse_html_fast_deny[] = {
	"base", "basefont", "body", "frame", "frameset", "head", "html",
	"isindex", "link", "listing", "meta", "noembed", "noframes",
	"plaintext", "xmp"
};

/*
 * What the fast path does with each byte of text: 0 copy, 1 stop
 * ('<', '&', the end, control characters), 2 a UTF-8 sequence, 3 copy
 * but escape ('>').
 */
static const unsigned char parse_html_fast_class[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 3, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2
};

/*
 * Bit 7 set in the bytes of the eight at p that are not class 0 in
 * parse_html_fast_class (or are a tab or newline, which are): '<', '&',
 * '>', a control character or a byte above 0x7f.  The lowest one
 * flagged is exact (see parse_word_has).
 */
static inline uint64_t
parse_html_fast_stops(const char *p)
{
	uint64_t	 w;

	memcpy(&w, p, 8);
	return ((w & UINT64_C(0x8080808080808080)) |
	    ((w - UINT64_C(0x2020202020202020)) & ~w &
	    UINT64_C(0x8080808080808080)) |
	    parse_word_has(w, '<') | parse_word_has(w, '&') |
	    parse_word_has(w, '>'));
}

/* Whether c is a character XML allows (libxml2's IS_CHAR). */
static inline bool
parse_html_is_char(unsigned int c)
{
	return (c == 0x9 || c == 0xa || c == 0xd ||
	    (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) ||
	    (c >= 0x10000 && c <= 0x10ffff));
}

/*
 * The length of the UTF-8 sequence at p if it is valid (RFC 3629) and
 * a character libxml2 allows, else 0.
 */
static inline size_t
parse_html_fast_utf8(const unsigned char *p)
{
	uint32_t	 c;
	int		 n;

	/*
	 * p is NUL-terminated, and the decoder reads a byte only after a
	 * continuation byte, so 4 never takes it past the NUL.
	 */
	n = parse_utf8_len(p, 4, &c);
	if (n <= 1 || !parse_html_is_char(c))
		return (0);
	return ((size_t)n);
}


/* Whether c may start a name in libxml2's htmlParseName (ASCII). */
static bool
parse_html_fast_is_name0(int c)
{
	return (isascii(c) && (isalpha(c) || c == '_' || c == ':'));
}

/* Whether c may continue such a name. */
static bool
parse_html_fast_is_name(int c)
{
	return (isascii(c) && (isalnum(c) || c == '_' || c == ':' ||
	    c == '.' || c == '-'));
}

/*
 * htmlEntityLookup, which walks libxml2's table of 253 entities from
 * the start, for the few a feed's text uses over and over (&nbsp;,
 * &hellip;, &rsquo;): answers are remembered by name in a small table,
 * static as feedd parses on one thread and the answers never change.
 */
static const htmlEntityDesc *
parse_html_entity(const char *name)
{
	static struct {
		char			 name[PARSE_HTML_ENTITY_NAME];
		const htmlEntityDesc	*ent;
	}			 memo[PARSE_HTML_ENTITY_MEMO];
	const htmlEntityDesc	*ent;
	uint32_t		 h = 2166136261U;
	size_t			 len;

	for (len = 0; name[len] != '\0'; len++)
		h = (h ^ (unsigned char)name[len]) * 16777619U;
	h %= PARSE_HTML_ENTITY_MEMO;
	if (len < PARSE_HTML_ENTITY_NAME &&
	    memcmp(memo[h].name, name, len + 1) == 0)
		return (memo[h].ent);
	ent = htmlEntityLookup((const xmlChar *)name);
	if (len < PARSE_HTML_ENTITY_NAME) {
		memcpy(memo[h].name, name, len + 1);
		memo[h].ent = ent;
	}
	return (ent);
}

/*
 * Decode the reference at *pp ('&') into b as libxml2 does (its
 * htmlParseReference and htmlParseHTMLAttribute): a valid character
 * reference or a known entity followed by ';' becomes the character; a
 * name that is not one stays as "&name"; a lone '&' stays.  Returns -1
 * for what libxml2 reads otherwise or in more involved ways.
 */
static int
parse_html_fast_ref(const char **pp, struct buf *b)
{
	const htmlEntityDesc	*ent;
	const char		*p = *pp, *q;
	char			 name[PARSE_HTML_FAST_NAME];
	unsigned int		 c = 0;
	size_t			 n;

	if (p[1] == '#') {
		q = p + 2;
		if (*q == 'x' || *q == 'X') {
			for (q++; isxdigit((unsigned char)*q) &&
			    c <= 0x10ffff; q++)
				c = c * 16 + (isdigit((unsigned char)*q) ?
				    *q - '0' : (tolower((unsigned char)*q) -
				    'a' + 10));
		} else {
			for (; isdigit((unsigned char)*q) && c <= 0x10ffff; q++)
				c = c * 10 + (*q - '0');
		}
		if (*q != ';' || !parse_html_is_char(c))
			return (-1);
		util_utf8_add(b, c);
		*pp = q + 1;
		return (0);
	}
	if ((unsigned char)p[1] >= 0x80)
		return (-1);
	if (!parse_html_fast_is_name0((unsigned char)p[1])) {
		buf_addc(b, '&');
		*pp = p + 1;
		return (0);
	}
	for (q = p + 1; parse_html_fast_is_name((unsigned char)*q); q++)
		/* nothing */;
	if ((unsigned char)*q >= 0x80 || *q == '\0')
		return (-1);
	n = q - (p + 1);
	if (*q == ';' && n < sizeof name) {
		memcpy(name, p + 1, n);
		name[n] = '\0';
		ent = parse_html_entity(name);
		if (ent != NULL && ent->value > 0) {
			util_utf8_add(b, ent->value);
			*pp = q + 1;
			return (0);
		}
	} else if (*q == ';')
		return (-1);
	buf_add(b, p, q - p);
	*pp = q;
	return (0);
}

/*
 * Read a tag or attribute name at *pp as libxml2's htmlParseHTMLName
 * does, lower case, into name; returns its length, or 0 if there is none
 * or it is too long.
 */
static size_t
parse_html_fast_name(const char **pp, char name[PARSE_HTML_FAST_NAME])
{
	const char	*p = *pp;
	size_t		 n = 0;
	int		 c = (unsigned char)*p;
	bool		 is_alpha;

	/* ASCII by hand: isalnum and tolower cost a call per byte. */
	is_alpha = (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
	if (!is_alpha && c != '_' && c != ':' && c != '.')
		return (0);
	while (is_alpha || (c >= '0' && c <= '9') || c == ':' || c == '-' ||
	    c == '_' || c == '.') {
		if (n + 1 >= PARSE_HTML_FAST_NAME)
			return (0);
		name[n++] = is_alpha ? (char)(c | 0x20) : (char)c;
		c = (unsigned char)*++p;
		is_alpha = (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
	}
	name[n] = '\0';
	*pp = p;
	return (n);
}

/* Skip libxml2's blanks (IS_BLANK_CH). */
static const char *
parse_html_fast_blanks(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return (p);
}

/* Whether starting element new closes the open element old in libxml2. */
static bool
parse_html_fast_autocloses(const char *old, const char *new)
{
	struct parse_html_pair	 key;

	key.element = old;
	key.attribute = new;
	return (bsearch(&key, parse_html_autoclose,
	    nitems(parse_html_autoclose), sizeof parse_html_autoclose[0],
	    parse_html_paircmp) != NULL);
}

/*
 * Read the attributes of a start tag from *pp up to its '>' or "/>" as
 * libxml2's htmlParseStartTag does, names and decoded values into b,
 * their offsets into off (-1: no value).  Returns the count, or -1 for
 * anything the fast path leaves to libxml2.
 */
static int
parse_html_fast_attrs(const char **pp, struct buf *b,
    ssize_t off[2 * PARSE_HTML_FAST_ATTRS])
{
	const char	*p = *pp, *q;
	char		 name[PARSE_HTML_FAST_NAME], quote;
	int		 n = 0, i;
	size_t		 len;

	p = parse_html_fast_blanks(p);
	while (*p != '>' && (*p != '/' || p[1] != '>')) {
		if (n == PARSE_HTML_FAST_ATTRS ||
		    (len = parse_html_fast_name(&p, name)) == 0)
			return (-1);
		for (i = 0; i < n; i++) {
			if (parse_name_cmp(b->data + off[2 * i], name) == 0)
				return (-1);
		}
		off[2 * n] = (ssize_t)b->len;
		buf_add(b, name, len + 1);
		off[2 * n + 1] = -1;
		p = parse_html_fast_blanks(p);
		if (*p == '=') {
			p = parse_html_fast_blanks(p + 1);
			quote = *p == '"' || *p == '\'' ? *p++ : '\0';
			off[2 * n + 1] = (ssize_t)b->len;
			len = b->len;
			for (;;) {
				if (*p == quote && quote != '\0')
					break;
				if (quote == '\0' && (*p == '>' || *p == ' ' ||
				    *p == '\t' || *p == '\n' || *p == '\r'))
					break;
				switch (parse_html_fast_class[(unsigned char)*p]) {
				case 0:
				case 3:
					for (q = p + 1; parse_html_fast_class[
					    (unsigned char)*q] == 0 && *q != quote &&
					    *q != '>' && *q != ' ' && *q != '\t' &&
					    *q != '\n'; q++)
						/* nothing */;
					buf_add(b, p, q - p);
					p = q;
					continue;
				case 2:
					if ((i = (int)parse_html_fast_utf8(
					    (const unsigned char *)p)) == 0)
						return (-1);
					buf_add(b, p, i);
					p += i;
					continue;
				}
				if (*p == '<') {
					buf_addc(b, *p++);
					continue;
				}
				if (*p != '&' || parse_html_fast_ref(&p, b) != 0)
					return (-1);
			}
			if (quote != '\0')
				p++;
			else if (b->len == len)
				return (-1);
			buf_addc(b, '\0');
		}
		n++;
		p = parse_html_fast_blanks(p);
	}
	*pp = p;
	return (n);
}

/*
 * Sanitize the prepared input (parse_html_prepare) without libxml2 when
 * it is the plain markup most feeds carry, by calling the SAX callbacks
 * as libxml2 would call them, at the positions it would be at.  Returns
 * -1, having perhaps written some output, at the first construct whose
 * reading by libxml2 it does not follow (a comment, a misnested or stray
 * end tag, an autoclosed element, a reference it cannot decode, a
 * control character or bad UTF-8): the caller starts over with libxml2.
 */
static int
parse_html_fast(struct parse_html_state *st, const char *in, size_t len)
{
	char		 open[PARSE_HTML_FAST_DEPTH][PARSE_HTML_FAST_NAME];
	char		 name[PARSE_HTML_FAST_NAME];
	const xmlChar	*atts[2 * PARSE_HTML_FAST_ATTRS + 1];
	ssize_t		 off[2 * PARSE_HTML_FAST_ATTRS];
	struct buf	 b;
	const char	*p, *s, *q, *tag, *end = in + len;
	size_t		 nopen = 0, n;
	uint64_t	 w;
	int		 nattrs, i, rc = -1;
	bool		 is_plain;

	if (len < 12 || memcmp(in, "<html><body>", 12) != 0)
		return (-1);
	buf_init(&b);
	st->fast_base = in;
	st->fast_cur = in + 5;
	parse_html_sax_start(st, (const xmlChar *)"html", NULL);
	strcpy(open[nopen++], "html");
	st->fast_cur = in + 11;
	parse_html_sax_start(st, (const xmlChar *)"body", NULL);
	strcpy(open[nopen++], "body");

	p = in + 12;
	for (;;) {
		/*
		 * Text, up to a tag, a reference or the end; plain if it
		 * has nothing to escape ('>', a C1 character), as most.
		 */
		s = p;
		is_plain = true;
		for (;;) {
			while (end - p >= 8) {
				if ((w = parse_html_fast_stops(p)) != 0) {
					p += parse_word_first(w);
					break;
				}
				p += 8;
			}
			/*
			 * A tab or newline stops the word scan but not the
			 * text; nor does a character beyond ASCII.
			 */
			switch (parse_html_fast_class[(unsigned char)*p]) {
			case 0:
				p++;
				continue;
			case 2:
				if (p[0] == '\xc2' && (unsigned char)p[1] <= 0x9f)
					is_plain = false;
				if ((n = parse_html_fast_utf8(
				    (const unsigned char *)p)) == 0)
					goto out;
				p += n;
				continue;
			case 3:
				is_plain = false;
				p++;
				continue;
			}
			break;
		}
		if (p > s && is_plain && st->unacceptable == 0 &&
		    !st->open[st->nopen - 1].is_raw)
			buf_add(&st->out, s, p - s);
		else if (p > s)
			parse_html_sax_chars(st, (const xmlChar *)s,
			    (int)(p - s));
		if (*p == '&') {
			buf_reset(&b);
			if (parse_html_fast_ref(&p, &b) != 0)
				goto out;
			parse_html_sax_chars(st, (const xmlChar *)b.data,
			    (int)b.len);
			continue;
		}
		if (*p != '<')
			break;
		tag = p;

		if (p[1] == '/') {
			q = p + 2;
			if (!isalpha((unsigned char)*q) ||
			    parse_html_fast_name(&q, name) == 0)
				goto out;
			q = parse_html_fast_blanks(q);
			if (*q != '>' ||
			    parse_name_cmp(open[nopen - 1], name) != 0 ||
			    nopen <= 2)
				goto out;
			p = q + 1;
			st->fast_cur = p;
			parse_html_sax_end(st, (const xmlChar *)name);
			nopen--;
			continue;
		}

		q = p + 1;
		if (!isalpha((unsigned char)*q) ||
		    parse_html_fast_name(&q, name) == 0 ||
		    parse_html_find(parse_html_fast_deny,
		    nitems(parse_html_fast_deny), name) != NULL ||
		    parse_html_fast_autocloses(open[nopen - 1], name))
			goto out;
		if (*q != '>' && *q != '/' && *q != ' ' && *q != '\t' &&
		    *q != '\n' && *q != '\r')
			goto out;
		buf_reset(&b);
		if ((nattrs = parse_html_fast_attrs(&q, &b, off)) < 0)
			goto out;
		if (strcmp(name, "p") == 0 && q - tag > PARSE_HTML_FAST_PTAG)
			goto out;
		for (i = 0; i < nattrs; i++) {
			atts[2 * i] = (const xmlChar *)b.data + off[2 * i];
			atts[2 * i + 1] = off[2 * i + 1] < 0 ? NULL :
			    (const xmlChar *)b.data + off[2 * i + 1];
		}
		atts[2 * nattrs] = NULL;
		st->fast_cur = q;
		parse_html_sax_start(st, (const xmlChar *)name,
		    nattrs > 0 ? atts : NULL);
		if (*q == '/') {
			p = q + 2;
			st->fast_cur = p;
			parse_html_sax_end(st, (const xmlChar *)name);
			continue;
		}
		p = q + 1;
		if (parse_html_find(parse_html_fast_empty,
		    nitems(parse_html_fast_empty), name) != NULL) {
			st->fast_cur = p;
			parse_html_sax_end(st, (const xmlChar *)name);
			continue;
		}
		if (nopen == PARSE_HTML_FAST_DEPTH)
			goto out;
		memcpy(open[nopen++], name, strlen(name) + 1);
		if (parse_name_cmp(name, "script") != 0 &&
		    parse_name_cmp(name, "style") != 0)
			continue;

		/*
		 * Raw text up to the first "</name", which must end there.
		 * libxml2 reads markup at the very start of the text as tags
		 * (<noscript> closes a <script>), which is left to it.
		 */
		n = strlen(name);
		if (*p == '<' && (p[1] != '/' ||
		    strncasecmp(p + 2, name, n) != 0))
			goto out;
		for (s = p; *p != '\0'; p++) {
			if ((unsigned char)*p >= 0x80) {
				if ((i = (int)parse_html_fast_utf8(
				    (const unsigned char *)p)) == 0)
					goto out;
				p += i - 1;
				continue;
			}
			if (p[0] == '<' && p[1] == '/' &&
			    strncasecmp(p + 2, name, n) == 0)
				break;
		}
		if (*p == '\0' || p[2 + n] != '>')
			goto out;
		if (p > s)
			parse_html_sax_chars(st, (const xmlChar *)s,
			    (int)(p - s));
	}
	if (p != end)
		goto out;

	/* libxml2 closes what is still open at the end, implied. */
	st->fast_cur = end;
	while (nopen > 0)
		parse_html_sax_end(st, (const xmlChar *)open[--nopen]);
	rc = 0;
out:
	buf_clear(&b);
	st->fast_base = st->fast_cur = NULL;
	return (rc);
}

/*
 * Sanitize html; see parse-int.h.  Like feedparser, the result has no
 * white space at either end and CRLF becomes LF.  Text without markup or
 * references (the usual title) is only trimmed, without running the
 * HTML parser.
 */
char *
parse_html_sanitize(const char *html, const char *base,
    struct parse_url_base *cache)
{
#ifdef PARSE_HTML_CROSSCHECK
	char	*s, *t;

	s = parse_html_run(html, base, cache, true);
	t = parse_html_run(html, base, cache, false);
	if (strcmp(s, t) != 0) {
		fprintf(stderr, "parse_html crosscheck: %s\n--- fast\n%s\n"
		    "--- libxml2\n%s\n", html, s, t);
		abort();
	}
	free(t);
	return (s);
#else
	return (parse_html_run(html, base, cache, true));
#endif
}

/* See parse-int.h: the sanitizer without its fast path, for tests. */
char *
parse_html_sanitize_libxml2(const char *html, const char *base)
{
	return (parse_html_run(html, base, NULL, false));
}

/* Start b empty with room for size bytes (size > 0). */
static void
parse_html_buf_size(struct buf *b, size_t size)
{
	b->data = xmalloc(size);
	b->data[0] = '\0';
	b->len = 0;
	b->size = size;
}

/*
 * Sanitize html, first with parse_html_fast if is_fast, else (or if it
 * gives up) with libxml2's HTML parser.
 */
static char *
parse_html_run(const char *html, const char *base,
    struct parse_url_base *cache, bool is_fast)
{
	struct parse_html_state	 st;
	struct buf		 in;
	xmlSAXHandlerPtr	 sax;
	char			*s, *t;
	size_t			 len;

	if (strpbrk(html, "<&") == NULL) {
		while (parse_html_is_s((unsigned char)*html))
			html++;
		len = strlen(html);
		while (len > 0 && parse_html_is_s((unsigned char)html[len - 1]))
			len--;
		if (memchr(html, '\xc2', len) == NULL &&
		    memchr(html, '\r', len) == NULL)
			return (xstrndup(html, len));
		buf_init(&in);
		buf_init(&st.out);
		parse_html_add_lf(&in, html, len);
		parse_html_escape(&st.out, in.data, in.len, PARSE_HTML_RAW);
		buf_clear(&in);
		return (buf_steal(&st.out));
	}

	memset(&st, 0, sizeof st);
	st.base = base;
	st.urlbase = cache != NULL ? cache : &st.own;
	st.last_end = (unsigned long)-1;
	/*
	 * Sized for the whole fragment at once, not doubled up to it: the
	 * input gains "<html><body>", the output is rarely much longer.
	 */
	len = strlen(html);
	parse_html_buf_size(&in, len + 16);
	parse_html_buf_size(&st.out, len + 64);
	parse_html_prepare(&in, html);
	if (in.len > INT_MAX)
		goto out;
	if (is_fast) {
		if (parse_html_fast(&st, in.data, in.len) == 0)
			goto out;
		/* Start over with libxml2. */
		buf_reset(&st.out);
		st.nopen = 0;
		st.unacceptable = st.math = st.svg = 0;
		st.last_end = (unsigned long)-1;
	}

	st.xc = htmlCreateMemoryParserCtxt(in.data, (int)in.len);
	if (st.xc == NULL)
		goto out;
	htmlCtxtUseOptions(st.xc, HTML_PARSE_RECOVER | HTML_PARSE_NONET |
	    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NODEFDTD |
	    HTML_PARSE_NOIMPLIED | HTML_PARSE_IGNORE_ENC);
	xmlSwitchEncoding(st.xc, XML_CHAR_ENCODING_UTF8);
	sax = st.xc->sax;
	memset(sax, 0, sizeof *sax);
	sax->initialized = XML_SAX2_MAGIC;
	sax->startElement = parse_html_sax_start;
	sax->endElement = parse_html_sax_end;
	sax->characters = parse_html_sax_chars;
	sax->ignorableWhitespace = parse_html_sax_chars;
	sax->cdataBlock = parse_html_sax_chars;
	sax->comment = parse_html_sax_comment;
	sax->serror = parse_html_sax_error;
	st.xc->userData = &st;
	htmlParseDocument(st.xc);
	htmlFreeParserCtxt(st.xc);
	st.xc = NULL;

out:
	buf_clear(&in);
	free(st.open);
	free(st.attrs);
	parse_url_base_clear(&st.own);
	s = buf_steal(&st.out);

	/* Trim, in place. */
	for (t = s; parse_html_is_s((unsigned char)*t); t++)
		/* nothing */;
	len = strlen(t);
	while (len > 0 && parse_html_is_s((unsigned char)t[len - 1]))
		len--;
	memmove(s, t, len);
	s[len] = '\0';
	return (s);
}

/* Whether a lower-case element name is on the allow-list. */
bool
parse_html_is_allowed(const char *name)
{
	return (parse_html_find(parse_html_elements,
	    nitems(parse_html_elements), name) != NULL);
}

/* Feed discovery in a web page: its <link rel="alternate"> to feeds. */
struct parse_html_links {
	htmlParserCtxtPtr	 hc;
	char			*base;		/* the page's, or <base href> */
	struct feed_link	*links;
	size_t			 nlinks;
	size_t			 nbytes;	/* pushed so far */
	bool			 is_done;	/* the head is over */
};

/* The types of feed a page may point to, in order of preference. */
static const char *parse_html_feed_types[] = {
	"application/atom+xml", "application/rss+xml",
	"application/feed+json", "application/rdf+xml"
};

/* Whether rel (space-separated tokens) contains "alternate". */
static bool
parse_html_is_alternate(const char *rel)
{
	const char	*p = rel;
	size_t		 n;

	while (*p != '\0') {
		p += strspn(p, " \t\r\n");
		n = strcspn(p, " \t\r\n");
		if (n == 9 && strncasecmp(p, "alternate", 9) == 0)
			return (true);
		p += n;
	}
	return (false);
}

/* A start tag in the page: <base>, <link>, and <body> ends the search. */
static void
parse_html_links_start(void *arg, const xmlChar *name, const xmlChar **atts)
{
	struct parse_html_links	*pl = arg;
	const char		*rel = NULL, *type = NULL, *href = NULL;
	const char		*title = NULL, *n = (const char *)name;
	struct feed_link	*l;
	size_t			 i;

	if (pl->is_done)
		return;
	if (strcasecmp(n, "body") == 0) {
		pl->is_done = true;
		return;
	}
	for (i = 0; atts != NULL && atts[i] != NULL; i += 2) {
		if (atts[i + 1] == NULL)
			continue;
		if (strcasecmp((const char *)atts[i], "rel") == 0)
			rel = (const char *)atts[i + 1];
		else if (strcasecmp((const char *)atts[i], "type") == 0)
			type = (const char *)atts[i + 1];
		else if (strcasecmp((const char *)atts[i], "href") == 0)
			href = (const char *)atts[i + 1];
		else if (strcasecmp((const char *)atts[i], "title") == 0)
			title = (const char *)atts[i + 1];
	}
	if (strcasecmp(n, "base") == 0 && href != NULL) {
		free(pl->base);
		pl->base = parse_url_resolve(NULL, href, true);
		return;
	}
	if (strcasecmp(n, "link") != 0 || rel == NULL || type == NULL ||
	    href == NULL || !parse_html_is_alternate(rel))
		return;
	for (i = 0; i < nitems(parse_html_feed_types); i++) {
		if (strcasecmp(type, parse_html_feed_types[i]) == 0)
			break;
	}
	if (i == nitems(parse_html_feed_types))
		return;
	l = feed_links_add(&pl->links, &pl->nlinks);
	l->rel = xstrdup("alternate");
	l->type = xstrdup(parse_html_feed_types[i]);
	l->href = parse_url_resolve(pl->base, href, true);
	if (title != NULL)
		l->title = xstrdup(title);
}

/* libxml2's messages about the page are not ours to report. */
static void
parse_html_links_error(void *arg, xmlErrorPtr err)
{
	(void)arg;
	(void)err;
}

/* Start looking for feeds in a web page found at base. */
struct parse_html_links *
parse_html_links_new(const char *base)
{
	struct parse_html_links	*pl;
	htmlSAXHandler		 sax;

	pl = xcalloc(1, sizeof *pl);
	if (base != NULL)
		pl->base = xstrdup(base);
	memset(&sax, 0, sizeof sax);
	sax.startElement = parse_html_links_start;
	sax.serror = parse_html_links_error;
	pl->hc = htmlCreatePushParserCtxt(&sax, pl, NULL, 0, NULL,
	    XML_CHAR_ENCODING_NONE);
	if (pl->hc != NULL)
		htmlCtxtUseOptions(pl->hc, HTML_PARSE_RECOVER |
		    HTML_PARSE_NONET | HTML_PARSE_NOERROR |
		    HTML_PARSE_NOWARNING);
	return (pl);
}

/*
 * More of the page.  Only its head matters, and never more than
 * PARSE_HTML_LINKS_MAX bytes of it.
 */
void
parse_html_links_push(struct parse_html_links *pl, const char *data,
    size_t len)
{
	if (pl->hc == NULL || pl->is_done)
		return;
	if (len > PARSE_HTML_LINKS_MAX - pl->nbytes)
		len = PARSE_HTML_LINKS_MAX - pl->nbytes;
	pl->nbytes += len;
	htmlParseChunk(pl->hc, data, (int)len, 0);
	if (pl->nbytes >= PARSE_HTML_LINKS_MAX)
		pl->is_done = true;
}

/* End of the page: add the feeds it named to doc's links, and free pl. */
void
parse_html_links_finish(struct parse_html_links *pl, struct feed_doc *doc)
{
	struct feed_link	*l;
	size_t			 i;

	if (pl->hc != NULL && !pl->is_done)
		htmlParseChunk(pl->hc, NULL, 0, 1);
	for (i = 0; i < pl->nlinks; i++) {
		if (pl->links[i].href == NULL) {
			feed_link_clear(&pl->links[i]);
			continue;
		}
		l = feed_links_add(&doc->links, &doc->nlinks);
		*l = pl->links[i];
	}
	free(pl->links);
	if (pl->hc != NULL) {
		if (pl->hc->myDoc != NULL)
			xmlFreeDoc(pl->hc->myDoc);
		htmlFreeParserCtxt(pl->hc);
	}
	free(pl->base);
	free(pl);
}
