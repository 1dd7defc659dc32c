/* ui_text — display width and wrapping of UTF-8 text (see ui_text.h). */
#include "lectern/ui_text.h"

#include <stdbool.h>
#include <string.h>
#include <wchar.h>

#include "lectern/latex.h"
#include "lectern/text.h"
#include "lectern/util.h"

static bool is_marker(unsigned cp)
{
	return cp == (unsigned char)LATEX_BOLD_ON || cp == (unsigned char)LATEX_BOLD_OFF ||
	       cp == (unsigned char)LATEX_ITALIC_ON || cp == (unsigned char)LATEX_ITALIC_OFF;
}

int ui_cp_bad(unsigned cp)
{
	if (is_marker(cp))
		return 0;
	if (cp == 0xFFFD)
		return 0;
	return cp > 0x10FFFF || wcwidth((wchar_t)cp) < 0;
}

int ui_cp_width(unsigned cp)
{
	if (is_marker(cp))
		return 0;
	int w = cp > 0x10FFFF ? -1 : wcwidth((wchar_t)cp);
	return w < 0 ? 1 : w;
}

int ui_text_width(const char *s, size_t n)
{
	int w = 0;
	for (size_t i = 0; i < n;) {
		unsigned cp;
		i += text_utf8_decode(s + i, n - i, &cp);
		w += ui_cp_width(cp);
	}
	return w;
}

size_t ui_text_fit(const char *s, size_t n, int width, int *used)
{
	int w = 0;
	size_t i = 0;
	while (i < n) {
		unsigned cp;
		size_t len = text_utf8_decode(s + i, n - i, &cp);
		int cw = ui_cp_width(cp);
		if (w + cw > width)
			break;
		w += cw;
		i += len;
	}
	/* zero-width code points right after belong to the last cluster */
	while (i < n) {
		unsigned cp;
		size_t len = text_utf8_decode(s + i, n - i, &cp);
		if (ui_cp_width(cp) != 0 || w == 0)
			break;
		i += len;
	}
	if (used)
		*used = w;
	return i;
}

static void push(struct ui_line **v, size_t *n, size_t *cap, size_t a, size_t b)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*v = xreallocarray(*v, *cap, sizeof **v);
	}
	(*v)[*n].start = a;
	(*v)[*n].end = b;
	(*n)++;
}

size_t ui_wrap(const char *s, int width, struct ui_line **lines)
{
	struct ui_line *v = NULL;
	size_t n = 0, cap = 0, len = strlen(s);
	if (width < 1)
		width = 1;
	size_t i = 0;
	for (;;) {
		/* one paragraph: up to the next '\n' */
		const char *nl = memchr(s + i, '\n', len - i);
		size_t pend = nl ? (size_t)(nl - s) : len;
		size_t p = i;
		if (p == pend)
			push(&v, &n, &cap, p, p);
		while (p < pend) {
			int used;
			size_t fit = ui_text_fit(s + p, pend - p, width, &used);
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
			push(&v, &n, &cap, p, e);
			p = end;
			while (p < pend && s[p] == ' ')
				p++;
		}
		if (!nl)
			break;
		i = pend + 1;
	}
	if (n == 0)
		push(&v, &n, &cap, 0, 0);
	*lines = v;
	return n;
}
