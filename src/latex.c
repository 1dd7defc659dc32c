/* latex — LaTeX in titles and abstracts rendered as Unicode (see latex.h). A small recursive
 * renderer over byte ranges: text mode and math mode. Every construct it does not understand is
 * copied through unchanged, so the reader always sees what the authors wrote. */
#include "lectern/latex.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lectern/text.h"
#include "lectern/util.h"

#define MAX_DEPTH 24   /* nesting beyond this is copied verbatim: untrusted input, bounded stack */

struct sym { const char *name; const char *utf8; };

/* Commands that stand for one symbol or word (math and text mode). */
static const struct sym symbols[] = {
	{"alpha", "α"}, {"beta", "β"}, {"gamma", "γ"}, {"delta", "δ"}, {"epsilon", "ϵ"},
	{"varepsilon", "ε"}, {"zeta", "ζ"}, {"eta", "η"}, {"theta", "θ"}, {"vartheta", "ϑ"},
	{"iota", "ι"}, {"kappa", "κ"}, {"lambda", "λ"}, {"mu", "μ"}, {"nu", "ν"}, {"xi", "ξ"},
	{"pi", "π"}, {"varpi", "ϖ"}, {"rho", "ρ"}, {"varrho", "ϱ"}, {"sigma", "σ"},
	{"varsigma", "ς"}, {"tau", "τ"}, {"upsilon", "υ"}, {"phi", "ϕ"}, {"varphi", "φ"},
	{"chi", "χ"}, {"psi", "ψ"}, {"omega", "ω"}, {"Gamma", "Γ"}, {"Delta", "Δ"},
	{"Theta", "Θ"}, {"Lambda", "Λ"}, {"Xi", "Ξ"}, {"Pi", "Π"}, {"Sigma", "Σ"},
	{"Upsilon", "Υ"}, {"Phi", "Φ"}, {"Psi", "Ψ"}, {"Omega", "Ω"},
	{"times", "×"}, {"cdot", "·"}, {"pm", "±"}, {"mp", "∓"}, {"div", "÷"}, {"leq", "≤"},
	{"le", "≤"}, {"geq", "≥"}, {"ge", "≥"}, {"neq", "≠"}, {"ne", "≠"}, {"approx", "≈"},
	{"sim", "∼"}, {"simeq", "≃"}, {"equiv", "≡"}, {"cong", "≅"}, {"propto", "∝"},
	{"infty", "∞"}, {"partial", "∂"}, {"nabla", "∇"}, {"sum", "∑"}, {"prod", "∏"},
	{"int", "∫"}, {"oint", "∮"}, {"in", "∈"}, {"notin", "∉"}, {"ni", "∋"}, {"subset", "⊂"},
	{"subseteq", "⊆"}, {"supset", "⊃"}, {"supseteq", "⊇"}, {"cup", "∪"}, {"cap", "∩"},
	{"emptyset", "∅"}, {"varnothing", "∅"}, {"forall", "∀"}, {"exists", "∃"}, {"neg", "¬"},
	{"lnot", "¬"}, {"land", "∧"}, {"wedge", "∧"}, {"lor", "∨"}, {"vee", "∨"}, {"to", "→"},
	{"rightarrow", "→"}, {"leftarrow", "←"}, {"gets", "←"}, {"Rightarrow", "⇒"},
	{"Leftarrow", "⇐"}, {"leftrightarrow", "↔"}, {"Leftrightarrow", "⇔"}, {"mapsto", "↦"},
	{"iff", "⟺"}, {"implies", "⟹"}, {"uparrow", "↑"}, {"downarrow", "↓"},
	{"longrightarrow", "⟶"}, {"ldots", "…"}, {"dots", "…"}, {"cdots", "⋯"}, {"vdots", "⋮"},
	{"ddots", "⋱"}, {"langle", "⟨"}, {"rangle", "⟩"}, {"lceil", "⌈"}, {"rceil", "⌉"},
	{"lfloor", "⌊"}, {"rfloor", "⌋"}, {"ell", "ℓ"}, {"hbar", "ℏ"}, {"circ", "∘"},
	{"star", "⋆"}, {"ast", "∗"}, {"oplus", "⊕"}, {"otimes", "⊗"}, {"odot", "⊙"},
	{"dagger", "†"}, {"top", "⊤"}, {"bot", "⊥"}, {"perp", "⊥"}, {"parallel", "∥"},
	{"mid", "∣"}, {"ll", "≪"}, {"gg", "≫"}, {"prec", "≺"}, {"succ", "≻"}, {"preceq", "⪯"},
	{"succeq", "⪰"}, {"lesssim", "≲"}, {"gtrsim", "≳"}, {"setminus", "∖"}, {"prime", "′"},
	{"degree", "°"}, {"angle", "∠"}, {"triangle", "△"}, {"square", "□"}, {"checkmark", "✓"},
	{"aleph", "ℵ"}, {"Re", "ℜ"}, {"Im", "ℑ"}, {"wp", "℘"}, {"imath", "ı"}, {"vert", "|"},
	{"Vert", "‖"}, {"colon", ":"}, {"coloneqq", "≔"}, {"triangleq", "≜"}, {"models", "⊨"},
	{"vdash", "⊢"}, {"bigcup", "⋃"}, {"bigcap", "⋂"}, {"bigoplus", "⨁"}, {"bigotimes", "⨂"},
	{"quad", "  "}, {"qquad", "    "}, {"LaTeX", "LaTeX"}, {"TeX", "TeX"},
	{"textasciitilde", "~"}, {"textbackslash", "\\"}, {"S", "§"}, {"P", "¶"},
	{"copyright", "©"}, {"textregistered", "®"}, {"texttrademark", "™"}, {"textendash", "–"},
	{"textemdash", "—"}, {"textdegree", "°"}, {"textmu", "µ"},
	/* operator names, set upright */
	{"log", "log"}, {"ln", "ln"}, {"exp", "exp"}, {"sin", "sin"}, {"cos", "cos"},
	{"tan", "tan"}, {"tanh", "tanh"}, {"sinh", "sinh"}, {"cosh", "cosh"}, {"max", "max"},
	{"min", "min"}, {"arg", "arg"}, {"lim", "lim"}, {"sup", "sup"}, {"inf", "inf"},
	{"det", "det"}, {"dim", "dim"}, {"ker", "ker"}, {"Pr", "Pr"}, {"deg", "deg"},
	{"gcd", "gcd"}, {"limsup", "lim sup"}, {"liminf", "lim inf"}, {"argmax", "argmax"},
	{"argmin", "argmin"}, {"mod", "mod"}, {"bmod", "mod"}, {"tr", "tr"}, {"Tr", "Tr"},
	{"rank", "rank"}, {"softmax", "softmax"},
};

struct ctx {
	struct sbuf *out;
	bool plain;      /* no style markers */
	int depth;
};

static void render(struct ctx *c, const char *s, size_t n, bool math);

static const char *sym_lookup(const char *name, size_t len)
{
	for (size_t i = 0; i < ARRAY_LEN(symbols); i++)
		if (strlen(symbols[i].name) == len && memcmp(symbols[i].name, name, len) == 0)
			return symbols[i].utf8;
	return NULL;
}

static bool is_cmd(const char *name, size_t len, const char *want)
{
	return strlen(want) == len && memcmp(want, name, len) == 0;
}

static bool is_alpha(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n';
}

/* Index of the '}' matching the '{' at s[i], or n when unbalanced. Skips \{ and \}. */
static size_t match_brace(const char *s, size_t n, size_t i)
{
	int d = 0;
	for (; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n) {
			i++;
			continue;
		}
		if (s[i] == '{')
			d++;
		else if (s[i] == '}' && --d == 0)
			return i;
	}
	return n;
}

/* One argument at s[*i]: a {group} (inner range) or a single token (one code point, or one
 * \command). Leading spaces are skipped. Returns false when there is none. *grouped tells which. */
static bool get_arg(const char *s, size_t n, size_t *i, size_t *a0, size_t *a1, bool *grouped)
{
	size_t j = *i;
	while (j < n && is_space(s[j]))
		j++;
	if (j >= n || s[j] == '}')
		return false;
	*grouped = false;
	if (s[j] == '{') {
		size_t e = match_brace(s, n, j);
		if (e >= n)
			return false;
		*a0 = j + 1;
		*a1 = e;
		*i = e + 1;
		*grouped = true;
		return true;
	}
	if (s[j] == '\\' && j + 1 < n) {
		size_t k = j + 1;
		if (is_alpha(s[k]))
			while (k < n && is_alpha(s[k]))
				k++;
		else
			k++;
		*a0 = j;
		*a1 = k;
		*i = k;
		return true;
	}
	unsigned cp;
	size_t len = text_utf8_decode(s + j, n - j, &cp);
	*a0 = j;
	*a1 = j + len;
	*i = j + len;
	return true;
}

/* Renders s[a0,a1) into a fresh string without markers. */
static char *render_plain(struct ctx *c, const char *s, size_t a0, size_t a1, bool math)
{
	struct sbuf b = {0};
	struct ctx sub = {&b, true, c->depth + 1};
	render(&sub, s + a0, a1 - a0, math);
	return sbuf_steal(&b);
}

static size_t count_cps(const char *r)
{
	size_t n = 0;
	for (; *r; r++)
		if (((unsigned char)*r & 0xC0) != 0x80)
			n++;
	return n;
}

/* A fraction part needs parentheses when it is more than one simple token. */
static bool needs_parens(const char *r)
{
	if (count_cps(r) <= 1)
		return false;
	for (const char *p = r; *p; p++)
		if (strchr("+-*/ =,<>", *p) || (unsigned char)*p >= 0x80)
			return true;
	return false;
}

static void add_part(struct sbuf *out, const char *r)
{
	if (needs_parens(r)) {
		sbuf_addc(out, '(');
		sbuf_adds(out, r);
		sbuf_addc(out, ')');
	} else {
		sbuf_adds(out, r);
	}
}

static void style_on(struct ctx *c, char m)
{
	if (!c->plain)
		sbuf_addc(c->out, m);
}

/* Double-struck (\mathbb) and script (\mathcal) letters. 0 when there is none. */
static unsigned bb_cp(unsigned ch)
{
	switch (ch) {
	case 'C': return 0x2102;
	case 'H': return 0x210D;
	case 'N': return 0x2115;
	case 'P': return 0x2119;
	case 'Q': return 0x211A;
	case 'R': return 0x211D;
	case 'Z': return 0x2124;
	}
	if (ch >= 'A' && ch <= 'Z')
		return 0x1D538 + (ch - 'A');
	if (ch >= 'a' && ch <= 'z')
		return 0x1D552 + (ch - 'a');
	if (ch >= '0' && ch <= '9')
		return 0x1D7D8 + (ch - '0');
	return 0;
}

static unsigned cal_cp(unsigned ch)
{
	switch (ch) {
	case 'B': return 0x212C;
	case 'E': return 0x2130;
	case 'F': return 0x2131;
	case 'H': return 0x210B;
	case 'I': return 0x2110;
	case 'L': return 0x2112;
	case 'M': return 0x2133;
	case 'R': return 0x211B;
	}
	if (ch >= 'A' && ch <= 'Z')
		return 0x1D49C + (ch - 'A');
	return 0;
}

static bool map_letters(const char *s, size_t a0, size_t a1, unsigned (*f)(unsigned),
                        struct sbuf *out)
{
	struct sbuf b = {0};
	for (size_t i = a0; i < a1; i++) {
		if (is_space(s[i]))
			continue;
		unsigned cp = f((unsigned char)s[i]);
		if (!cp) {
			sbuf_free(&b);
			return false;
		}
		char enc[4];
		sbuf_add(&b, enc, text_utf8_encode(cp, enc));
	}
	if (b.len == 0)
		return false;
	sbuf_add(out, b.s, b.len);
	sbuf_free(&b);
	return true;
}

static unsigned accent_cp(const char *name, size_t len)
{
	static const struct { const char *n; unsigned cp; } acc[] = {
		{"hat", 0x302}, {"widehat", 0x302}, {"bar", 0x304}, {"overline", 0x305},
		{"tilde", 0x303}, {"widetilde", 0x303}, {"vec", 0x20D7}, {"dot", 0x307},
		{"ddot", 0x308}, {"breve", 0x306}, {"check", 0x30C}, {"acute", 0x301},
		{"grave", 0x300},
	};
	for (size_t i = 0; i < ARRAY_LEN(acc); i++)
		if (is_cmd(name, len, acc[i].n))
			return acc[i].cp;
	return 0;
}

enum style { ST_NONE, ST_BOLD, ST_ITALIC, ST_UPRIGHT };

/* Commands that render their argument in a style; math tells the mode of the argument. */
static enum style style_cmd(const char *name, size_t len, bool *arg_math, bool math)
{
	static const struct { const char *n; enum style st; int mode; } t[] = {
		/* mode: 0 text, 1 math, 2 same as outside */
		{"textbf", ST_BOLD, 0}, {"mathbf", ST_BOLD, 1}, {"boldsymbol", ST_BOLD, 1},
		{"bm", ST_BOLD, 1}, {"bf", ST_BOLD, 2}, {"emph", ST_ITALIC, 0}, {"textit", ST_ITALIC, 0},
		{"textsl", ST_ITALIC, 0}, {"mathit", ST_ITALIC, 1}, {"texttt", ST_UPRIGHT, 0},
		{"textrm", ST_UPRIGHT, 0}, {"textsf", ST_UPRIGHT, 0}, {"textsc", ST_UPRIGHT, 0},
		{"textup", ST_UPRIGHT, 0}, {"textnormal", ST_UPRIGHT, 0}, {"text", ST_UPRIGHT, 0},
		{"mbox", ST_UPRIGHT, 0}, {"mathrm", ST_UPRIGHT, 1}, {"mathsf", ST_UPRIGHT, 1},
		{"mathtt", ST_UPRIGHT, 1}, {"operatorname", ST_UPRIGHT, 1}, {"mathnormal", ST_UPRIGHT, 1},
	};
	for (size_t i = 0; i < ARRAY_LEN(t); i++)
		if (is_cmd(name, len, t[i].n)) {
			*arg_math = t[i].mode == 2 ? math : t[i].mode == 1;
			return t[i].st;
		}
	return ST_NONE;
}

/* Copies a command and the brace groups right after it verbatim ("\cite{x}" stays). */
static size_t copy_verbatim_cmd(struct ctx *c, const char *s, size_t n, size_t i, size_t end)
{
	sbuf_add(c->out, s + i, end - i);
	while (end < n && s[end] == '{') {
		size_t e = match_brace(s, n, end);
		if (e >= n)
			break;
		sbuf_add(c->out, s + end, e + 1 - end);
		end = e + 1;
	}
	return end;
}

/* Handles the command at s[i] == '\\'; returns the index after what it consumed. */
static size_t do_command(struct ctx *c, const char *s, size_t n, size_t i, bool math)
{
	size_t j = i + 1;
	if (j >= n) {
		sbuf_addc(c->out, '\\');
		return n;
	}
	if (!is_alpha(s[j])) {
		char ch = s[j];
		if (strchr("%&$#_{}", ch)) {
			sbuf_addc(c->out, ch);
		} else if (ch == '|') {
			sbuf_adds(c->out, "‖");
		} else if (math && (ch == ',' || ch == ';' || ch == ':' || ch == ' ')) {
			sbuf_addc(c->out, ' ');
		} else if (math && ch == '!') {
			/* negative thin space: nothing to draw */
		} else {
			unsigned cp;
			size_t len = text_utf8_decode(s + j, n - j, &cp);
			sbuf_add(c->out, s + i, 1 + len);
			return j + len;
		}
		return j + 1;
	}
	size_t k = j;
	while (k < n && is_alpha(s[k]))
		k++;
	const char *name = s + j;
	size_t len = k - j;
	size_t a0, a1, after = k;
	bool grouped;

	bool arg_math;
	enum style st = style_cmd(name, len, &arg_math, math);
	if (st != ST_NONE && get_arg(s, n, &after, &a0, &a1, &grouped)) {
		char on = st == ST_BOLD ? LATEX_BOLD_ON : LATEX_ITALIC_ON;
		char off = st == ST_BOLD ? LATEX_BOLD_OFF : LATEX_ITALIC_OFF;
		if (st != ST_UPRIGHT)
			style_on(c, on);
		c->depth++;
		render(c, s + a0, a1 - a0, arg_math);
		c->depth--;
		if (st != ST_UPRIGHT)
			style_on(c, off);
		return after;
	}
	if ((is_cmd(name, len, "mathbb") || is_cmd(name, len, "mathds") ||
	     is_cmd(name, len, "mathcal") || is_cmd(name, len, "mathscr")) &&
	    get_arg(s, n, &after, &a0, &a1, &grouped)) {
		unsigned (*f)(unsigned) = name[4] == 'b' || name[4] == 'd' ? bb_cp : cal_cp;
		if (map_letters(s, a0, a1, f, c->out))
			return after;
		return copy_verbatim_cmd(c, s, n, i, k);
	}
	/* \cite{a,b} and \citep{a,b} read as "[a, b]": the keys are all there is to show. A
	 * citation with an optional argument (\cite[p.~3]{x}) or odd keys, \citet (an author
	 * name in print) and \ref/\eqref (a label is not the number it prints) stay as written. */
	bool cite = is_cmd(name, len, "cite") || is_cmd(name, len, "citep") || is_cmd(name, len, "citet");
	if (cite && k < n && s[k] == '[') {
		/* \cite[p.~3]{x}: the optional part and the keys, all as written */
		const char *close = memchr(s + k, ']', n - k);
		if (close && (size_t)(close - s) + 1 < n && close[1] == '{')
			return copy_verbatim_cmd(c, s, n, i, (size_t)(close - s) + 1);
	}
	if (cite && !is_cmd(name, len, "citet") && k < n && s[k] == '{') {
		size_t e = match_brace(s, n, k);
		size_t kl = e < n ? e - k - 1 : 0;
		const char *keys = s + k + 1;
		if (e < n && kl && strspn(keys, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		                          "0123456789:_-./+, ") >= kl) {
			sbuf_addc(c->out, '[');
			bool first = true;
			for (size_t p = 0; p < kl;) {
				size_t q = p;
				while (q < kl && keys[q] != ',')
					q++;
				size_t a = p, b = q;
				while (a < b && keys[a] == ' ')
					a++;
				while (b > a && keys[b - 1] == ' ')
					b--;
				if (b > a) {
					if (!first)
						sbuf_adds(c->out, ", ");
					sbuf_add(c->out, keys + a, b - a);
					first = false;
				}
				p = q + 1;
			}
			sbuf_addc(c->out, ']');
			return e + 1;
		}
		return copy_verbatim_cmd(c, s, n, i, k);
	}
	if (is_cmd(name, len, "frac") || is_cmd(name, len, "dfrac") || is_cmd(name, len, "tfrac")) {
		size_t b0, b1;
		bool g2;
		if (get_arg(s, n, &after, &a0, &a1, &grouped) &&
		    get_arg(s, n, &after, &b0, &b1, &g2)) {
			char *num = render_plain(c, s, a0, a1, true);
			char *den = render_plain(c, s, b0, b1, true);
			add_part(c->out, num);
			sbuf_addc(c->out, '/');
			add_part(c->out, den);
			free(num);
			free(den);
			return after;
		}
		return copy_verbatim_cmd(c, s, n, i, k);
	}
	if (is_cmd(name, len, "sqrt")) {
		const char *root = "√";
		size_t p = after;
		if (p < n && s[p] == '[') {
			const char *close = memchr(s + p, ']', n - p);
			size_t rl = close ? (size_t)(close - (s + p)) - 1 : 0;
			if (close && rl == 1 && s[p + 1] == '3')
				root = "∛";
			else if (close && rl == 1 && s[p + 1] == '4')
				root = "∜";
			else
				return copy_verbatim_cmd(c, s, n, i, k);
			after = (size_t)(close - s) + 1;
		}
		if (get_arg(s, n, &after, &a0, &a1, &grouped)) {
			char *r = render_plain(c, s, a0, a1, true);
			sbuf_adds(c->out, root);
			add_part(c->out, r);
			free(r);
			return after;
		}
		return copy_verbatim_cmd(c, s, n, i, k);
	}
	unsigned acc = accent_cp(name, len);
	if (acc && get_arg(s, n, &after, &a0, &a1, &grouped)) {
		char *r = render_plain(c, s, a0, a1, true);
		if (count_cps(r) == 1) {
			char enc[4];
			sbuf_adds(c->out, r);
			sbuf_add(c->out, enc, text_utf8_encode(acc, enc));
			free(r);
			return after;
		}
		free(r);
		return copy_verbatim_cmd(c, s, n, i, k);
	}
	if (is_cmd(name, len, "left") || is_cmd(name, len, "right") || is_cmd(name, len, "big") ||
	    is_cmd(name, len, "Big") || is_cmd(name, len, "bigg") || is_cmd(name, len, "Bigg") ||
	    is_cmd(name, len, "bigl") || is_cmd(name, len, "bigr") || is_cmd(name, len, "Bigl") ||
	    is_cmd(name, len, "Bigr") || is_cmd(name, len, "displaystyle") ||
	    is_cmd(name, len, "textstyle") || is_cmd(name, len, "limits")) {
		/* sizing only; an invisible "." delimiter goes too */
		if (k < n && s[k] == '.' && (name[0] == 'l' || name[0] == 'r'))
			k++;
		return k;
	}
	const char *sym = sym_lookup(name, len);
	if (sym) {
		sbuf_adds(c->out, sym);
		/* In text, "\LaTeX{}" and "\ldots{}" end with an empty group. */
		if (k + 1 < n && s[k] == '{' && s[k + 1] == '}')
			k += 2;
		return k;
	}
	return copy_verbatim_cmd(c, s, n, i, k);
}

/* ^ or _ at s[i] in math mode. */
static size_t do_script(struct ctx *c, const char *s, size_t n, size_t i)
{
	bool sup = s[i] == '^';
	size_t after = i + 1, a0, a1;
	bool grouped;
	if (!get_arg(s, n, &after, &a0, &a1, &grouped)) {
		sbuf_addc(c->out, s[i]);
		return i + 1;
	}
	char *r = render_plain(c, s, a0, a1, true);
	if (!text_script(r, sup, c->out)) {
		sbuf_addc(c->out, s[i]);
		if (grouped)
			sbuf_addc(c->out, '{');
		sbuf_adds(c->out, r);
		if (grouped)
			sbuf_addc(c->out, '}');
	}
	free(r);
	return after;
}

/* If s[i] opens inline math, sets [*m0,*m1) to its content and returns the index after the
 * closing delimiter; returns 0 otherwise. Pandoc's rule: "$" must be followed by a non-space,
 * the closing "$" preceded by a non-space and not followed by a digit. */
static size_t math_span(const char *s, size_t n, size_t i, size_t *m0, size_t *m1)
{
	if (s[i] == '$') {
		if (i + 1 < n && s[i + 1] == '$') {
			for (size_t j = i + 2; j + 1 < n; j++) {
				if (s[j] == '\\') {
					j++;
					continue;
				}
				if (s[j] == '$' && s[j + 1] == '$' && j > i + 2) {
					*m0 = i + 2;
					*m1 = j;
					return j + 2;
				}
			}
			return 0;
		}
		if (i + 1 >= n || is_space(s[i + 1]))
			return 0;
		for (size_t j = i + 1; j < n; j++) {
			if (s[j] == '\\') {
				j++;
				continue;
			}
			if (s[j] == '$') {
				/* the first unescaped '$' decides: a closer, or this was no math at all */
				if (!is_space(s[j - 1]) && !(j + 1 < n && s[j + 1] >= '0' && s[j + 1] <= '9')) {
					*m0 = i + 1;
					*m1 = j;
					return j + 1;
				}
				return 0;
			}
		}
		return 0;
	}
	if (s[i] == '\\' && i + 1 < n && (s[i + 1] == '(' || s[i + 1] == '[')) {
		char close = s[i + 1] == '(' ? ')' : ']';
		for (size_t j = i + 2; j + 1 < n; j++)
			if (s[j] == '\\' && s[j + 1] == close) {
				*m0 = i + 2;
				*m1 = j;
				return j + 2;
			}
	}
	return 0;
}

static void render(struct ctx *c, const char *s, size_t n, bool math)
{
	if (c->depth > MAX_DEPTH) {
		sbuf_add(c->out, s, n);
		return;
	}
	size_t i = 0;
	while (i < n) {
		char ch = s[i];
		size_t m0, m1, next;
		if (!math && (ch == '$' || ch == '\\') && (next = math_span(s, n, i, &m0, &m1))) {
			c->depth++;
			render(c, s + m0, m1 - m0, true);
			c->depth--;
			i = next;
			continue;
		}
		if (ch == '\\') {
			i = do_command(c, s, n, i, math);
			continue;
		}
		if (ch == '{') {
			size_t e = match_brace(s, n, i);
			if (e < n) {
				c->depth++;
				render(c, s + i + 1, e - i - 1, math);
				c->depth--;
				i = e + 1;
				continue;
			}
		}
		if (math && (ch == '^' || ch == '_')) {
			i = do_script(c, s, n, i);
			continue;
		}
		if (math && ch == '~') {
			sbuf_addc(c->out, ' ');
			i++;
			continue;
		}
		if (math && ch == '\'') {
			sbuf_adds(c->out, "′");
			i++;
			continue;
		}
		sbuf_addc(c->out, ch);
		i++;
	}
}

char *latex_render(const char *s, int flags)
{
	struct sbuf b = {0};
	if (!s)
		return sbuf_steal(&b);
	struct ctx c = {&b, (flags & LATEX_PLAIN) != 0, 0};
	render(&c, s, strlen(s), false);
	return sbuf_steal(&b);
}

char *latex_strip_markers(char *s)
{
	char *w = s;
	for (char *r = s; *r; r++)
		if (*r != LATEX_BOLD_ON && *r != LATEX_BOLD_OFF && *r != LATEX_ITALIC_ON &&
		    *r != LATEX_ITALIC_OFF)
			*w++ = *r;
	*w = '\0';
	return s;
}
