/* text — cleaning untrusted text from feeds before it is stored or shown.
 * All functions return a newly malloc'd UTF-8 string (caller frees) and never fail. */
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
 * C1 controls (U+0080-U+009F) and whole escape sequences (ESC [ ... final, ESC ] ... BEL/ST,
 * other ESC x, and their C1 forms) are removed. Whitespace: \t, \f, \v become spaces; \r\n and
 * \r become \n; \n is kept unless TEXT_COLLAPSE. The result is trimmed; flags as above.
 * n is the byte length (s need not be NUL-terminated). */
char *text_clean(const char *s, size_t n, int flags);

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

/* Strict UTF-8 decode of one code point at s (n bytes available). Returns the number of bytes
 * consumed (>= 1) and sets *cp; invalid or truncated input consumes 1 byte and gives 0xFFFD. */
size_t text_utf8_decode(const char *s, size_t n, unsigned *cp);
/* Encodes cp into out (>= 4 bytes); returns the length. */
size_t text_utf8_encode(unsigned cp, char *out);

#endif
