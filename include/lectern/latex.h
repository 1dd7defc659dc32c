/* latex — renders the LaTeX found in paper titles and abstracts as readable Unicode.
 *
 * Math ($...$, $$...$$, \(...\), \[...\]) and text commands are rendered: Greek letters and
 * symbols (\alpha -> α, \leq -> ≤), \mathbb{R} -> ℝ, x^2 -> x², x_i -> xᵢ, T_\mathrm{max} -> Tₘₐₓ,
 * \frac{a}{b} -> a/b, \sqrt{x} -> √x, math accents (\hat{x} -> x̂), "-" in math -> "−",
 * \textbf/\mathbf/{\bf } -> bold, \emph/\textit/{\it } -> italic, {\rm }, {\cal L} -> ℒ; in text
 * the accents and letters of text_tex_accents ({\"o} -> ö, \c{c} -> ç, \ss -> ß, \AA -> Å), "--" -> –,
 * "---" -> —, a tie "~" between a word and what follows -> space, ``x'' -> “x”, \url{x} -> x,
 * \href{x}{text} -> text, \% \& \$ \# \_ \{ \} unescaped, \cite{a,b} and \citep{a,b} -> [a, b]
 * (plain keys only). A subscript or superscript with no Unicode form keeps TeX's notation
 * (x^{q}, T_{best}).
 *
 * What cannot be rendered faithfully stays exactly as written, never dropped and never half
 * translated: unknown commands, \ref/\eqref (a label is not the number it prints), \citet (prints
 * author names), a citation with an optional argument (\cite[p.~3]{x}) — and a math span holding
 * any of these stays whole, its dollars included.
 *
 * When "$" is math. A "$$" opens display math closed by the next "$$". A single "$" is paired
 * with the next unescaped "$", and the content between them is math unless
 *   - it is blank, or
 *   - it starts like money: a number, whitespace, then a letter ("a $5 bill, see $\beta$",
 *     "costs $5 and $10 total"), or
 *   - it holds no TeX command (no backslash), is not a single non-ASCII symbol ("$ κ$", from a
 *     server that converts \kappa), and either begins or ends with whitespace ("$ x$"), or
 *     begins with a digit while a digit follows the closing "$" ("$5-$10").
 * A "$" that opens no math is an ordinary character and pairing goes on from the next "$"; an
 * unpaired "$" stays ("a $5 bill", "unpaired $x", "trailing $"). So $\sim$10 -> ∼10,
 * $>$90% -> >90%, J1843$-$0757 -> J1843−0757, $ \kappa $ -> κ (whitespace just inside the
 * dollars is trimmed), $x$-axis -> x-axis, and "$0.84 \pm $0.04" -> "0.84 ± 0.04". Unlike
 * Pandoc's rule (no space after the opener, no digit after the closer) this renders what real
 * abstracts write; it was checked against every title and abstract of the arXiv and Hugging
 * Face fixtures.
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

/* The URLs of the \url{x} and \href{x}{text} in s (NULL gives none), in order, each once, as
 * \url prints them: a NULL-terminated array, never NULL, in one allocation (free() it). */
char **latex_urls(const char *s);

/* Removes the style markers from s in place; returns s. */
char *latex_strip_markers(char *s);

#endif
