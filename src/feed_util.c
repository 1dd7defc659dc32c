/* feed_util — the helpers the feed parsers share (cleaning, creator lists, days, line numbers).
 * It sits below the parsers and the dispatcher and calls none of them. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>

#include "feed_util.h"
#include "lectern/text.h"
#include "lectern/util.h"

char *feed_clean(const char *s, int flags)
{
	if (!s)
		return NULL;
	char *c = text_clean(s, strlen(s), flags);
	if (!*c)
		xfree(&c);
	return c;
}

char *feed_clean_name(const char *s)
{
	if (!s)
		return NULL;
	char *t = text_tex_accents(s);
	char *c = feed_clean(t, TEXT_COLLAPSE);
	free(t);
	return c;
}

int feed_line_at(const char *buf, size_t len, size_t offset)
{
	int line = 1;

	if (offset > len)
		offset = len;
	for (const char *p = buf, *end = buf + offset; (p = memchr(p, '\n', (size_t)(end - p))); p++)
		line++;
	return line;
}

/* ---- creator lists ------------------------------------------------------------------------- */

struct span {
	const char *s;
	size_t n;
};

static struct span trim(const char *s, size_t n)
{
	while (n > 0 && isspace((unsigned char)*s))
		s++, n--;
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	return (struct span){s, n};
}

/* Splits s[0..n) at top-level (outside parentheses) separators: ',', ';' and the word " and ".
 * Stores up to max non-empty pieces in out; returns their number. */
static size_t split_top(const char *s, size_t n, struct span *out, size_t max)
{
	size_t count = 0, start = 0, i = 0;
	int depth = 0;

	while (i <= n) {
		size_t sep = 0;
		if (i == n)
			sep = 1;
		else if (s[i] == '(')
			depth++;
		else if (s[i] == ')' && depth > 0)
			depth--;
		else if (depth == 0 && (s[i] == ',' || s[i] == ';'))
			sep = 1;
		else if (depth == 0 && n - i >= 5 && memcmp(s + i, " and ", 5) == 0)
			sep = 5;
		if (!sep) {
			i++;
			continue;
		}
		struct span t = trim(s + start, i - start);
		/* ", and C": the piece after the comma starts with "and ". */
		if (t.n > 4 && memcmp(t.s, "and ", 4) == 0)
			t = trim(t.s + 4, t.n - 4);
		if (t.n > 0 && count < max)
			out[count++] = t;
		i += sep;
		start = i;
	}
	return count;
}

/* One "Name (Affiliation, more)" piece: the name, and the parenthesised groups joined by "; ". */
static void add_one_creator(struct paper *p, struct span t)
{
	struct sbuf name = {0}, aff = {0};
	int depth = 0;
	size_t group = 0;

	for (size_t i = 0; i < t.n; i++) {
		char c = t.s[i];
		if (c == '(') {
			if (depth++ == 0) {
				group = i + 1;
				continue;
			}
		} else if (c == ')' && depth > 0) {
			if (--depth == 0) {
				struct span g = trim(t.s + group, i - group);
				if (g.n) {
					if (aff.len)
						sbuf_adds(&aff, "; ");
					sbuf_add(&aff, g.s, g.n);
				}
				continue;
			}
		}
		if (depth == 0)
			sbuf_addc(&name, c);
	}
	if (depth > 0) {   /* unbalanced "(": keep it as part of the name */
		sbuf_reset(&name);
		sbuf_reset(&aff);
		sbuf_add(&name, t.s, t.n);
	}
	char *n = feed_clean_name(name.s);
	if (n) {
		char *a = aff.len ? text_tex_accents(aff.s) : NULL;
		char *ac = feed_clean(a, TEXT_COLLAPSE);
		paper_add_author(p, n, ac);
		free(ac);
		free(a);
		free(n);
	}
	sbuf_free(&name);
	sbuf_free(&aff);
}

/* Initials as they follow a surname in "Last, I." lists: "Y.", "J. R.", "J.-P.", "A.B.", "Th.". */
static bool is_initials(struct span t)
{
	size_t i = 0;

	if (t.n == 0)
		return false;
	while (i < t.n) {
		unsigned cp;
		i += text_utf8_decode(t.s + i, t.n - i, &cp);
		if (cp == 0xFFFD || (cp < 0x80 && !isupper((int)cp)))
			return false;
		if (i < t.n && islower((unsigned char)t.s[i]))
			i++;
		if (i >= t.n || t.s[i++] != '.')
			return false;
		if (i < t.n && (t.s[i] == ' ' || t.s[i] == '-'))
			i++;
	}
	return true;
}

/* "Zhang, Y., Li, X." (bioRxiv, RSS 1.0 journals): every other piece is the initials of the
 * surname before it. */
static bool last_initials_pairs(const struct span *parts, size_t count)
{
	if (count < 2 || count % 2)
		return false;
	for (size_t i = 0; i < count; i += 2)
		if (is_initials(parts[i]) || !is_initials(parts[i + 1]))
			return false;
	return true;
}

void feed_add_creators(struct paper *p, const char *s, bool strict)
{
	if (!s)
		return;
	size_t n = strlen(s), max = n / 2 + 1;
	struct span *parts = xreallocarray(NULL, max, sizeof(*parts));
	size_t count = split_top(s, n, parts, max);

	if (!strict && last_initials_pairs(parts, count)) {
		/* Shown as the other sources show names: "Y. Zhang". */
		struct sbuf one = {0};
		for (size_t i = 0; i < count; i += 2) {
			sbuf_reset(&one);
			sbuf_add(&one, parts[i + 1].s, parts[i + 1].n);
			sbuf_addc(&one, ' ');
			sbuf_add(&one, parts[i].s, parts[i].n);
			add_one_creator(p, (struct span){one.s, one.len});
		}
		sbuf_free(&one);
		free(parts);
		return;
	}
	if (!strict && count > 1) {
		/* "Zhang, Y., Li, X." is a list of "Last, Initials": cutting it would make nonsense. */
		for (size_t i = 0; i < count; i++) {
			size_t k = 0;
			while (k < parts[i].n && parts[i].s[k] != ' ' && parts[i].s[k] != '(')
				k++;
			if (k >= parts[i].n || parts[i].s[k] == '(') {
				count = 1;
				parts[0] = trim(s, n);
				break;
			}
		}
	}
	for (size_t i = 0; i < count; i++)
		add_one_creator(p, parts[i]);
	free(parts);
}

/* ---- dates --------------------------------------------------------------------------------- */

int feed_day_of(const char *s, char *out)
{
	static const char months[][4] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
	};
	char mon[4] = "";
	int d, y;

	if (!s)
		return -1;
	while (isspace((unsigned char)*s))
		s++;
	if (isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) &&
	    isdigit((unsigned char)s[2]) && isdigit((unsigned char)s[3]) && s[4] == '-') {
		if (strnlen(s, 10) < 10)   /* "2025-0": too short to be a day, and not to be read past */
			return -1;
		memcpy(out, s, 10);
		out[10] = '\0';
		return util_valid_date(out) ? 0 : -1;
	}
	const char *comma = strchr(s, ',');
	if (comma && comma - s <= 10)
		s = comma + 1;
	if (sscanf(s, "%2d %3s %4d", &d, mon, &y) != 3)   /* widths: no int overflow */
		return -1;
	for (int m = 0; m < 12; m++) {
		if (strcasecmp(mon, months[m]) == 0) {
			if (y < 100)
				y += y < 70 ? 2000 : 1900;
			if (y < 1 || y > 9999 || d < 1 || d > 31)
				return -1;
			snprintf(out, 11, "%04d-%02d-%02d", y, m + 1, d);
			return util_valid_date(out) ? 0 : -1;
		}
	}
	return -1;
}

#if LIBXML_VERSION >= 21200
static void on_xml_error(void *arg, const xmlError *err)
#else
static void on_xml_error(void *arg, xmlErrorPtr err)
#endif
{
	struct feed_xml_error *xe = arg;
	if (xe->line || !err || err->level < XML_ERR_ERROR)
		return;
	xe->line = err->line > 0 ? err->line : 1;
	snprintf(xe->msg, sizeof xe->msg, "%s", err->message ? err->message : "malformed XML");
	size_t n = strlen(xe->msg);
	while (n > 0 && (xe->msg[n - 1] == '\n' || xe->msg[n - 1] == ' '))
		xe->msg[--n] = '\0';
}

int feed_xml_line(xmlTextReaderPtr r)
{
	int l = xmlTextReaderGetParserLineNumber(r);
	return l > 0 ? l : 1;
}

void feed_parse_fail(struct lerr *e, int line, const char *fmt, va_list ap)
{
	char msg[400];
	vsnprintf(msg, sizeof msg, fmt, ap);
	lerr_set(e, LERR_PARSE, line, "parse error at line %d: %s", line, msg);
}

void feed_xml_release(xmlTextReaderPtr r, const char *buf, size_t len, struct feed_release *rel)
{
#ifdef MADV_PAGEOUT
	enum { STEP = 4 << 20, MARGIN = 1 << 20 };   /* MARGIN: left behind the parser */
	/* the bytes consumed cost a recount of the unparsed input in a non-UTF-8 document: looked
	 * at every 256 nodes, and only in a document big enough to give pages back */
	if (len < STEP + MARGIN || ++rel->calls % 256)
		return;
	long c = xmlTextReaderByteConsumed(r);
	if (c <= 0 || (size_t)c > len || (size_t)c < rel->done + STEP)
		return;
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t from = ((uintptr_t)buf + rel->done + page - 1) & ~(page - 1);
	uintptr_t to = ((uintptr_t)buf + (size_t)c - MARGIN) & ~(page - 1);
	if (to > from)
		madvise((void *)from, to - from, MADV_PAGEOUT);   /* advice: a failure changes nothing */
	rel->done = (size_t)c - MARGIN;
#else
	(void)r, (void)buf, (void)len, (void)rel;
#endif
}

xmlTextReaderPtr feed_xml_reader(const char *buf, size_t len, const char *url,
                                 struct feed_xml_error *xe, struct lerr *e)
{
	memset(xe, 0, sizeof *xe);
	if (len > INT32_MAX) {
		lerr_set(e, LERR_PARSE, 0, "parse error: document too large (%zu bytes)", len);
		return NULL;
	}
	/* NOENT is not set: entities are never substituted (no billion laughs, no external files) */
	xmlTextReaderPtr r = xmlReaderForMemory(buf, (int)len, url, NULL,
	                                        XML_PARSE_NONET | XML_PARSE_NOERROR |
	                                        XML_PARSE_NOWARNING | XML_PARSE_COMPACT |
	                                        XML_PARSE_NOCDATA);
	if (!r)
		lerr_set(e, LERR_PARSE, 1, "parse error at line 1: cannot read the document");
	else
		xmlTextReaderSetStructuredErrorHandler(r, on_xml_error, xe);
	return r;
}
