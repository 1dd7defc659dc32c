/* text_width — columns of UTF-8 text on a terminal and word wrapping (see text.h). */
#include <stdbool.h>
#include <string.h>
#include <wchar.h>

#include "lectern/text.h"
#include "lectern/util.h"

static bool is_marker(unsigned cp)
{
	return cp >= TEXT_MARK_FIRST && cp <= TEXT_MARK_LAST;
}

bool text_cp_bad(unsigned cp)
{
	if (is_marker(cp) || cp == 0xFFFD)
		return false;
	return cp > 0x10FFFF || wcwidth((wchar_t)cp) < 0;
}

int text_cp_width(unsigned cp)
{
	if (is_marker(cp))
		return 0;
	int w = cp > 0x10FFFF ? -1 : wcwidth((wchar_t)cp);
	return w < 0 ? 1 : w;
}

int text_width(const char *s, size_t n)
{
	int w = 0;
	for (size_t i = 0; i < n;) {
		unsigned cp;
		i += text_utf8_decode(s + i, n - i, &cp);
		w += text_cp_width(cp);
	}
	return w;
}

size_t text_fit(const char *s, size_t n, int width, int *used)
{
	int w = 0;
	size_t i = 0;
	while (i < n) {
		unsigned cp;
		size_t len = text_utf8_decode(s + i, n - i, &cp);
		int cw = text_cp_width(cp);
		if (w + cw > width)
			break;
		w += cw;
		i += len;
	}
	/* zero-width code points right after belong to the last cluster */
	while (i < n) {
		unsigned cp;
		size_t len = text_utf8_decode(s + i, n - i, &cp);
		if (text_cp_width(cp) != 0 || w == 0)
			break;
		i += len;
	}
	if (used)
		*used = w;
	return i;
}

struct lines {
	struct text_line *v;
	size_t n, cap;
};

static void push(struct lines *l, size_t a, size_t b, bool para)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
	}
	l->v[l->n++] = (struct text_line){a, b, para};
}

static size_t skip_spaces(const char *s, size_t p, size_t end)
{
	while (p < end && s[p] == ' ')
		p++;
	return p;
}

/* One paragraph s[p, pend) cut into cells: a line is the longest prefix that fits, shortened to
 * its last space; a word longer than the width is split. */
static void wrap_cells(struct lines *l, const char *s, size_t p, size_t pend, int width, bool para)
{
	if (p == pend)
		push(l, p, p, para);
	while (p < pend) {
		size_t fit = text_fit(s + p, pend - p, width, NULL);
		size_t end = p + fit;
		if (end < pend) {
			/* break after the last space inside the fitted part, if any */
			size_t b = end;
			while (b > p && s[b] != ' ')
				b--;
			if (b > p)
				end = b;
			else if (fit == 0)
				end = p + text_utf8_decode(s + p, pend - p, &(unsigned){0});
		}
		size_t e = end;
		while (e > p && s[e - 1] == ' ')
			e--;
		push(l, p, e, para);
		para = false;
		p = skip_spaces(s, end, pend);
	}
}

/* One paragraph s[p, pend) as words (TEXT_WRAP_WORDS): words join with one space while they fit;
 * a word that does not fit on an empty line stays whole. */
static void wrap_words(struct lines *l, const char *s, size_t p, size_t pend, int width, bool para)
{
	p = skip_spaces(s, p, pend);
	if (p == pend)
		push(l, p, p, para);
	while (p < pend) {
		size_t start = p, end = p;
		int col = 0;
		while (p < pend) {
			size_t wl = 0;
			while (p + wl < pend && s[p + wl] != ' ')
				wl++;
			int w = text_width(s + p, wl);
			if (end > start && col + 1 + w > width)
				break;
			col += (end > start) + w;
			end = p + wl;
			p = skip_spaces(s, end, pend);
		}
		push(l, start, end, para);
		para = false;
	}
}

size_t text_wrap(const char *s, int width, int flags, struct text_line **lines)
{
	struct lines l = {0};
	size_t len = strlen(s), i = 0;
	if (width < 1)
		width = 1;
	for (bool para = false;; para = true) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t pend = nl ? (size_t)(nl - s) : len;
		if (flags & TEXT_WRAP_WORDS)
			wrap_words(&l, s, i, pend, width, para);
		else
			wrap_cells(&l, s, i, pend, width, para);
		if (!nl)
			break;
		i = pend + 1;
	}
	*lines = l.v;
	return l.n;
}
