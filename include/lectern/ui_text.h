/* ui_text — terminal width of UTF-8 text and word wrapping (no curses here).
 * Widths come from wcwidth(): CJK and emoji take 2 columns, combining marks 0. Code points the
 * terminal cannot print (controls, unassigned: wcwidth < 0) count as U+FFFD, 1 column. The
 * latex style markers (LATEX_*_ON/OFF) take 0 columns. setlocale(LC_CTYPE) must select UTF-8. */
#ifndef LECTERN_UI_TEXT_H
#define LECTERN_UI_TEXT_H

#include <stddef.h>

/* Columns of one code point: 0, 1 or 2 (markers 0; unprintable 1, drawn as U+FFFD). */
int ui_cp_width(unsigned cp);
/* True when cp must be drawn as U+FFFD (a control or unprintable code point). */
int ui_cp_bad(unsigned cp);
/* Columns of s[0..n). */
int ui_text_width(const char *s, size_t n);
/* Bytes of the longest prefix of s[0..n) that fits in `width` columns (whole clusters only:
 * trailing combining marks stay with their base); *used (may be NULL) gets its columns. */
size_t ui_text_fit(const char *s, size_t n, int width, int *used);

/* One wrapped line: the byte range s[start, end). */
struct ui_line {
	size_t start, end;
};
/* Wraps s (NUL-terminated) to `width` columns: breaks at spaces, "\n" forces a break, a word
 * longer than the width is split. Spaces at a break are dropped. Returns the number of lines
 * (>= 1 for any s, 0 never) and sets *lines (malloc'd; caller frees). */
size_t ui_wrap(const char *s, int width, struct ui_line **lines);

#endif
