/* feed_util — helpers shared by the feed parsers (feed_xml.c, feed_oai.c, feed_hf.c,
 * feed_snapshot.c) and the dispatcher (feed.c). Below all of them: it calls no parser. Not part
 * of the public API: only src/feed*.c include this. */
#ifndef LECTERN_FEED_UTIL_H
#define LECTERN_FEED_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include <libxml/xmlreader.h>

#include "lectern/paper.h"
#include "lectern/util.h"

/* text_clean() of a NUL-terminated string; NULL when s is NULL or the result is empty. */
char *feed_clean(const char *s, int flags);
/* An author name as feeds send it: TeX accents decoded, whitespace collapsed. NULL when empty. */
char *feed_clean_name(const char *s);

/* Adds the authors of one creator string ("A (Aff, X), B, C and D") to p. With `strict` false
 * (feeds other than arXiv) a list of "Last, Initials" ("Zhang, Y., Li, X.", as bioRxiv and RSS
 * 1.0 journals write it) becomes "Y. Zhang", "X. Li"; any other string that does not look like
 * a list of "First Last" names is kept as one author rather than cut at every comma. */
void feed_add_creators(struct paper *p, const char *s, bool strict);

/* The calendar day of a date as written (RFC 822 or ISO 8601), in its own time zone, as
 * "YYYY-MM-DD" into out (>= 11 bytes). Returns 0, or -1 when s is not a date. */
int feed_day_of(const char *s, char *out);

/* The first libxml2 error of a document: line 0 while there is none. */
struct feed_xml_error {
	int line;
	char msg[256];            /* libxml2's message, trailing newline and spaces cut */
};

/* A libxml2 reader over untrusted bytes (the one place its options are chosen): no network, no
 * DTD loading, no entity substitution, no messages to stderr: the first error goes to *xe
 * (borrowed; it must outlive the reader). Returns NULL with *e set (LERR_PARSE) when len is over
 * INT32_MAX or the bytes cannot be read; free with xmlFreeTextReader(). */
xmlTextReaderPtr feed_xml_reader(const char *buf, size_t len, const char *url,
                                 struct feed_xml_error *xe, struct lerr *e);

/* The line the reader is at (1 when it cannot tell). */
int feed_xml_line(xmlTextReaderPtr r);
/* Sets *e to "parse error at line N: <fmt ...>" (LERR_PARSE, code N): every XML parser's
 * failure reads the same. */
void feed_parse_fail(struct lerr *e, int line, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

/* Gives the pages of buf (len bytes, the document r reads) that r has read past back to the
 * system, every few MB; call it once per node read (it looks at the reader every few hundred
 * calls, and never for a document under a few MB). A body over a few MB is a mapping of its
 * spooled file (net.c), so a parser walking it would otherwise hold the whole document in
 * memory; MADV_PAGEOUT keeps the bytes (touched again, they are read from the file; anonymous
 * memory without swap stays as it is), so it is safe on any buffer. */
struct feed_release {
	size_t done;              /* bytes given back so far */
	unsigned calls;
};
void feed_xml_release(xmlTextReaderPtr r, const char *buf, size_t len, struct feed_release *rel);

/* Counts the lines before offset in buf (1-based line number of that offset). */
int feed_line_at(const char *buf, size_t len, size_t offset);

#endif
