/* text — UTF-8 text: cleaning untrusted text from feeds before it is stored or shown (text.c:
 * these return a newly malloc'd UTF-8 string, caller frees, and never fail), decoding, and its
 * width on a terminal and word wrapping (text_width.c). The one implementation of each: every
 * other module (the reader, the CLI, exports, the FTS tokenizer) calls these. */
#ifndef LECTERN_TEXT_H
#define LECTERN_TEXT_H

#include <stdbool.h>
#include <stddef.h>

struct sbuf;

enum text_flags {
	TEXT_COLLAPSE   = 1 << 0,  /* collapse every whitespace run (incl. newlines) into one space */
	TEXT_KEEP_PARAS = 1 << 1,  /* with COLLAPSE: keep paragraph breaks (a blank line, or a newline
	                            * followed by indentation in wrapped arXiv text) as one "\n" */
};

/* Makes s safe and tidy: invalid UTF-8 becomes U+FFFD (one per bad byte); C0 controls, DEL,
 * C1 controls (U+0080-U+009F), whole escape sequences (ESC [ ... final, ESC ] ... BEL/ST,
 * other ESC x, and their C1 forms) and the text_cp_hidden code points are removed.
 * Whitespace: \t, \f, \v become spaces; \r\n and \r become \n, and so does U+2028 (line
 * separator); U+2029 (paragraph separator) becomes "\n\n"; \n is kept unless TEXT_COLLAPSE,
 * which treats these breaks as any other whitespace. The result is trimmed; flags as above.
 * n is the byte length (s need not be NUL-terminated). */
char *text_clean(const char *s, size_t n, int flags);

/* True for the code points that are never shown: bidi embeddings, overrides and isolates
 * (U+202A-U+202E, U+2066-U+2069), zero-width space, non-joiner and joiner (U+200B-U+200D), word
 * joiner (U+2060) and the byte order mark (U+FEFF). text_clean removes them; drawing skips them. */
int text_cp_hidden(unsigned cp);

/* Decodes HTML/XML character references and the common named entities (&amp; &lt; &gt; &quot;
 * &apos; &nbsp; &eacute;... and numeric &#233; &#xE9;). Unknown entities stay as written. */
char *text_html_unescape(const char *s);

/* HTML as text (for the descriptions and content of generic feeds): block elements (<p>, <br>,
 * <div>, <li>, headings...) become line breaks "\n", entities are decoded, <script>, <style> and
 * <head> are dropped, <sup>/<sub> become text_script_or_mark(). */
char *text_strip_html(const char *s);

/* Appends s written in Unicode superscript (sup) or subscript characters to out when every
 * character has such a form ("6" -> "⁶", "n+1" -> "ⁿ⁺¹", "2" -> "₂"; spaces are dropped) and
 * returns true; otherwise (or when s has no character) appends nothing and returns false. */
bool text_script(const char *s, bool sup, struct sbuf *out);

/* The text of an HTML <sup> (sup) or <sub> element: text_script() when every character has a
 * Unicode form, else TeX-like notation as the LaTeX renderer leaves what it cannot render: "^q"
 * or "_q" for one character, "^{n+1}" / "_{max}" for more. Surrounding space is trimmed. */
void text_script_or_mark(const char *s, bool sup, struct sbuf *out);

/* Decodes TeX accents and escapes used in author names: \'e é, \"o ö, \`a à, \^o ô, \~n ñ,
 * \v{c} č, \c{c} ç, \u{a} ă, \H{o} ő, \={a} ā, \.{z} ż, \r{a} å, {\o} ø, \ss ß, \l ł, \aa å,
 * braces around single letters, \& &. Forms with and without braces ({\'e}, \'{e}, \'e).
 * Unknown macros stay as written. */
char *text_tex_accents(const char *s);
/* The one accent or letter macro of text_tex_accents at s[0] == '\\' (n bytes available), for
 * renderers that walk TeX themselves: appends its character to b and returns the bytes consumed,
 * or returns 0 (b untouched) when s does not start with one. */
struct sbuf;
size_t text_tex_macro(const char *s, size_t n, struct sbuf *b);

/* Strict UTF-8 decode of one code point at s (n bytes available). Returns the number of bytes
 * consumed (>= 1) and sets *cp; invalid or truncated input consumes 1 byte and gives 0xFFFD. */
size_t text_utf8_decode(const char *s, size_t n, unsigned *cp);
/* Encodes cp into out (>= 4 bytes); returns the length. */
size_t text_utf8_encode(unsigned cp, char *out);

/* ---- width and wrapping (text_width.c) ---------------------------------------------------------
 * Columns on a terminal, from wcwidth(): setlocale(LC_CTYPE) must select a UTF-8 locale. CJK and
 * emoji take 2 columns, combining marks 0. Invalid UTF-8 counts as U+FFFD (1 column, see
 * text_utf8_decode). Code points a terminal cannot print (controls, unassigned: wcwidth < 0) count
 * 1 column, as the U+FFFD they are drawn as. The in-band style markers U+0001..U+0004
 * (TEXT_MARK_FIRST..TEXT_MARK_LAST; latex.h's LATEX_*_ON/OFF) take 0 columns. */
enum { TEXT_MARK_FIRST = 0x01, TEXT_MARK_LAST = 0x04 };

/* Columns of one code point: 0, 1 or 2. */
int text_cp_width(unsigned cp);
/* True when cp must be drawn as U+FFFD (a control other than a marker, or unprintable). */
bool text_cp_bad(unsigned cp);
/* Columns of s[0..n). */
int text_width(const char *s, size_t n);
/* Bytes of the longest prefix of s[0..n) that fits in `width` columns (whole clusters only:
 * zero-width code points after the last fitted one stay with it); *used (may be NULL) gets its
 * columns. */
size_t text_fit(const char *s, size_t n, int width, int *used);

/* One wrapped line: the byte range s[start, end); `para` when it is the first line after a
 * "\n" (a new paragraph; false for the very first line). */
struct text_line {
	size_t start, end;
	bool para;
};
enum text_wrap_flags {
	/* For text printed as words (lectern show): runs of spaces count as one, spaces at the start
	 * of a paragraph are dropped, and a word longer than the width stays whole on a line of its
	 * own (the terminal folds it, and a URL stays one piece to copy) instead of being split. */
	TEXT_WRAP_WORDS = 1 << 0,
};
/* Wraps s (NUL-terminated) to `width` columns (< 1 counts as 1): breaks at spaces, "\n" forces a
 * break (a "\n" at the end gives an empty last line), a word longer than the width is split at
 * the width (whole clusters) unless TEXT_WRAP_WORDS. Spaces at a break are dropped from both
 * lines. Returns the number of lines (>= 1 for any s, "" gives one empty line) and sets *lines
 * (malloc'd; caller frees). */
size_t text_wrap(const char *s, int width, int flags, struct text_line **lines);

#endif
