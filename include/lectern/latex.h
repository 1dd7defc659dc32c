/* latex — renders the LaTeX found in paper titles and abstracts as readable Unicode.
 *
 * Math ($...$, $$...$$, \(...\), \[...\]) and a few text commands are rendered: Greek letters and
 * symbols (\alpha -> α, \leq -> ≤), \mathbb{R} -> ℝ, x^2 -> x², x_i -> xᵢ, \frac{a}{b} -> a/b,
 * \sqrt{x} -> √x, accents (\hat{x} -> x̂), \textbf/\mathbf -> bold, \emph/\textit -> italic,
 * \% \& \$ \# \_ \{ \} unescaped, \cite{a,b} and \citep{a,b} -> [a, b] (plain keys only). What
 * cannot be rendered faithfully stays as written: unknown commands, \ref/\eqref (a label is not
 * the number it prints), \citet (prints author names), a citation with an optional argument
 * (\cite[p.~3]{x}), x^{abc} when one of the characters has no superscript form (also x^{q}: q has
 * none in common fonts), and a `$` that does not delimit math ("$5 bill", unpaired). Nothing is
 * silently dropped.
 *
 * Styling is carried in the returned string by marker bytes (never present in cleaned feed text,
 * which has no C0 controls): LATEX_BOLD_ON ... LATEX_BOLD_OFF, LATEX_ITALIC_ON ... LATEX_ITALIC_OFF.
 * With LATEX_PLAIN no markers are emitted. */
#ifndef LECTERN_LATEX_H
#define LECTERN_LATEX_H

#include <stddef.h>

#define LATEX_BOLD_ON    '\x01'
#define LATEX_BOLD_OFF   '\x02'
#define LATEX_ITALIC_ON  '\x03'
#define LATEX_ITALIC_OFF '\x04'

enum latex_flags {
	LATEX_PLAIN = 1 << 0,   /* emit no style markers */
};

/* Renders s (UTF-8, NUL-terminated; NULL gives ""). Returns a malloc'd string; never fails. */
char *latex_render(const char *s, int flags);

/* Removes the style markers from s in place; returns s. */
char *latex_strip_markers(char *s);

#endif
