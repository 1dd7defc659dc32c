/* latex — LaTeX in titles and abstracts rendered as Unicode (see latex.h). A small recursive
 * renderer over byte ranges: text mode and math mode. Every construct it does not understand is
 * copied through unchanged, so the reader always sees what the authors wrote. */
#include "lectern/latex.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lectern/text.h"
#include "lectern/util.h"

#define MAX_DEPTH 24   /* nesting beyond this is copied verbatim: untrusted input, bounded stack */
/* How far a closing delimiter ($$, \), \end{equation}, '') is looked for: real spans are far
 * shorter, and the bound keeps rendering linear on hostile input ("$$$$...", "``````..."). */
#define SPAN_MAX 4096

static size_t span_end(size_t from, size_t n)
{
	return n - from > SPAN_MAX ? from + SPAN_MAX : n;
}

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
	{"textemdash", "—"}, {"textdegree", "°"}, {"textmu", "µ"}, {"bullet", "•"},
	{"leqslant", "⩽"}, {"geqslant", "⩾"}, {"lessapprox", "⪅"}, {"gtrapprox", "⪆"},
	{"searrow", "↘"}, {"nearrow", "↗"}, {"swarrow", "↙"}, {"nwarrow", "↖"}, {"rtimes", "⋊"},
	{"ltimes", "⋉"}, {"rightrightarrows", "⇉"}, {"Bbbk", "𝕜"}, {"odot", "⊙"}, {"sun", "☉"},
	/* operator names, set upright */
	{"log", "log"}, {"ln", "ln"}, {"exp", "exp"}, {"sin", "sin"}, {"cos", "cos"},
	{"tan", "tan"}, {"tanh", "tanh"}, {"sinh", "sinh"}, {"cosh", "cosh"}, {"coth", "coth"},
	{"max", "max"},
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
	bool failed;     /* something was copied as written: a math span holding it stays whole */
	const char *close_quote;   /* the '' that ends an open `` (text mode) */
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

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

static bool is_alnum(char ch)
{
	return is_alpha(ch) || is_digit(ch);
}

static bool is_alnum_hex(char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
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
		unsigned cp;
		if (is_alpha(s[k]))
			while (k < n && is_alpha(s[k]))
				k++;
		else
			k += text_utf8_decode(s + k, n - k, &cp);   /* a whole character: \é */
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
	struct ctx sub = {&b, true, c->depth + 1, false, NULL};
	render(&sub, s + a0, a1 - a0, math);
	c->failed |= sub.failed;
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

/* A mathematical alphabet (\mathbb, \mathcal, \mathfrak): where its A-Z, a-z and 0-9 start in
 * Unicode (0: it has none), and the letters that Unicode placed earlier, in Letterlike Symbols. */
struct alphabet {
	const char *cmd;
	unsigned upper, lower, digit;
	const char *held;
	unsigned held_cp[8];
};

static const struct alphabet alphabets[] = {
	{"mathbb", 0x1D538, 0x1D552, 0x1D7D8, "CHNPQRZ",
	 {0x2102, 0x210D, 0x2115, 0x2119, 0x211A, 0x211D, 0x2124}},
	{"mathds", 0x1D538, 0x1D552, 0x1D7D8, "CHNPQRZ",
	 {0x2102, 0x210D, 0x2115, 0x2119, 0x211A, 0x211D, 0x2124}},
	{"mathcal", 0x1D49C, 0, 0, "BEFHILMR",
	 {0x212C, 0x2130, 0x2131, 0x210B, 0x2110, 0x2112, 0x2133, 0x211B}},
	{"mathscr", 0x1D49C, 0, 0, "BEFHILMR",
	 {0x212C, 0x2130, 0x2131, 0x210B, 0x2110, 0x2112, 0x2133, 0x211B}},
	{"mathfrak", 0x1D504, 0x1D51E, 0, "CHIRZ", {0x212D, 0x210C, 0x2111, 0x211C, 0x2128}},
};

/* The letter or digit ch in alphabet a; 0 when it has none. */
static unsigned alpha_cp(const struct alphabet *a, unsigned ch)
{
	const char *h = ch >= 'A' && ch <= 'Z' ? strchr(a->held, (int)ch) : NULL;
	if (h)
		return a->held_cp[h - a->held];
	if (ch >= 'A' && ch <= 'Z')
		return a->upper + (ch - 'A');
	if (ch >= 'a' && ch <= 'z' && a->lower)
		return a->lower + (ch - 'a');
	if (ch >= '0' && ch <= '9' && a->digit)
		return a->digit + (ch - '0');
	return 0;
}

static bool map_letters(const char *s, size_t a0, size_t a1, const struct alphabet *a,
                        struct sbuf *out)
{
	struct sbuf b = {0};
	for (size_t i = a0; i < a1; i++) {
		if (is_space(s[i]))
			continue;
		unsigned cp = alpha_cp(a, (unsigned char)s[i]);
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
		{"grave", 0x300}, {"underline", 0x332},
	};
	for (size_t i = 0; i < ARRAY_LEN(acc); i++)
		if (is_cmd(name, len, acc[i].n))
			return acc[i].cp;
	return 0;
}

/* The alphabet of \mathbb, \mathcal and their kin, or NULL. */
static const struct alphabet *font_map(const char *name, size_t len)
{
	for (size_t i = 0; i < ARRAY_LEN(alphabets); i++)
		if (is_cmd(name, len, alphabets[i].cmd))
			return &alphabets[i];
	return NULL;
}

enum style { ST_NONE, ST_BOLD, ST_ITALIC, ST_UPRIGHT };

/* Commands that render their argument in a style; math tells the mode of the argument. */
static enum style style_cmd(const char *name, size_t len, bool *arg_math)
{
	static const struct { const char *n; enum style st; int mode; } t[] = {
		/* mode: 0 text, 1 math */
		{"textbf", ST_BOLD, 0}, {"mathbf", ST_BOLD, 1}, {"boldsymbol", ST_BOLD, 1},
		{"bm", ST_BOLD, 1}, {"emph", ST_ITALIC, 0}, {"textit", ST_ITALIC, 0},
		{"textsl", ST_ITALIC, 0}, {"mathit", ST_ITALIC, 1}, {"texttt", ST_UPRIGHT, 0},
		{"textrm", ST_UPRIGHT, 0}, {"textsf", ST_UPRIGHT, 0}, {"textsc", ST_UPRIGHT, 0},
		{"textup", ST_UPRIGHT, 0}, {"textnormal", ST_UPRIGHT, 0}, {"text", ST_UPRIGHT, 0},
		{"mbox", ST_UPRIGHT, 0}, {"mathrm", ST_UPRIGHT, 1}, {"mathsf", ST_UPRIGHT, 1},
		{"mathtt", ST_UPRIGHT, 1}, {"operatorname", ST_UPRIGHT, 1}, {"mathnormal", ST_UPRIGHT, 1},
	};
	for (size_t i = 0; i < ARRAY_LEN(t); i++)
		if (is_cmd(name, len, t[i].n)) {
			*arg_math = t[i].mode == 1;
			return t[i].st;
		}
	return ST_NONE;
}

/* Commands that only size or space a formula: nothing to draw in a terminal. */
static bool sizing_cmd(const char *name, size_t len)
{
	static const char *const t[] = {
		"left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr",
		"displaystyle", "textstyle", "limits", "nolimits",
	};
	for (size_t i = 0; i < ARRAY_LEN(t); i++)
		if (is_cmd(name, len, t[i]))
			return true;
	return false;
}

/* Old-style switches: 'b' bold, 'i' italic, 'u' upright (nothing to do), 'c' \cal; 0 for others. */
static char switch_cmd(const char *name, size_t len)
{
	static const struct { const char *n; char sw; } t[] = {
		{"bf", 'b'}, {"bfseries", 'b'}, {"it", 'i'}, {"itshape", 'i'}, {"em", 'i'}, {"sl", 'i'},
		{"slshape", 'i'}, {"rm", 'u'}, {"sf", 'u'}, {"tt", 'u'}, {"sc", 'u'}, {"normalfont", 'u'},
		{"rmfamily", 'u'}, {"sffamily", 'u'}, {"ttfamily", 'u'}, {"scshape", 'u'}, {"upshape", 'u'},
		{"tiny", 'u'}, {"scriptsize", 'u'}, {"footnotesize", 'u'}, {"small", 'u'}, {"large", 'u'},
		{"Large", 'u'}, {"cal", 'c'},
	};
	for (size_t i = 0; i < ARRAY_LEN(t); i++)
		if (is_cmd(name, len, t[i].n))
			return t[i].sw;
	return 0;
}

/* The URL of \url{x} or \href{x}{...} at s[k] == '{': sets [*u0,*u1); false when there is none. */
static bool url_arg(const char *s, size_t n, size_t k, size_t *u0, size_t *u1)
{
	if (k >= n || s[k] != '{')
		return false;
	size_t e = match_brace(s, n, k);
	if (e >= n || e == k + 1)
		return false;
	*u0 = k + 1;
	*u1 = e;
	return true;
}

/* A URL as \url prints it: \% \# \_ \& \~ \$ unescaped, the rest verbatim. */
static void add_url(struct sbuf *out, const char *s, size_t a, size_t b)
{
	for (size_t i = a; i < b; i++) {
		if (s[i] == '\\' && i + 1 < b && strchr("%#_&~$", s[i + 1]))
			i++;
		sbuf_addc(out, s[i]);
	}
}

static bool is_marker(char ch)
{
	return ch == LATEX_BOLD_ON || ch == LATEX_BOLD_OFF || ch == LATEX_ITALIC_ON ||
	       ch == LATEX_ITALIC_OFF;
}

/* Index + 1 of the last byte written that is not a style marker, 0 when there is none: spacing
 * looks past the markers, so that styling never changes the text. */
static size_t last_visible(const struct sbuf *b)
{
	size_t i = b->len;
	while (i > 0 && is_marker(b->s[i - 1]))
		i--;
	return i;
}

static char last_char(const struct sbuf *b)
{
	size_t i = last_visible(b);
	return i ? b->s[i - 1] : '\0';
}

static bool ends_in_space(const struct sbuf *b)
{
	return last_char(b) == ' ';
}

/* The space TeX sets around an operator name ("n\log n" -> "n log n", "\log\log x"): before it
 * after a letter, digit or ")" already written; after it before a letter, digit or command. */
static void op_space(struct ctx *c, const char *s, size_t n, size_t k, bool before)
{
	if (before) {
		char last = last_char(c->out);
		if (is_alnum(last) || last == ')' || (unsigned char)last >= 0x80)   /* ℓ\log n */
			sbuf_addc(c->out, ' ');
	} else if (k < n && (is_alpha(s[k]) || is_digit(s[k]) ||
	                     (s[k] == '\\' && k + 1 < n && is_alpha(s[k + 1])))) {
		sbuf_addc(c->out, ' ');
	}
}

/* Copies a command and the brace groups right after it verbatim ("\cite{x}" stays). */
static size_t copy_verbatim_cmd(struct ctx *c, const char *s, size_t n, size_t i, size_t end)
{
	c->failed = true;
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
		size_t used;
		if (!math && (used = text_tex_macro(s + i, n - i, c->out))) {
			return i + used;   /* \'e, \"{o}, \~n: text accents, one table with author names */
		} else if (strchr("%&$#_{}", ch)) {
			sbuf_addc(c->out, ch);
		} else if (ch == '|') {
			sbuf_adds(c->out, "‖");
		} else if (ch == ',' || ch == ' ' || (math && (ch == ';' || ch == ':'))) {
			if (!(math && ends_in_space(c->out)))
				sbuf_addc(c->out, ' ');
		} else if (math && ch == '!') {
			/* negative thin space: nothing to draw */
		} else {
			unsigned cp;
			size_t len = text_utf8_decode(s + j, n - j, &cp);
			c->failed = true;
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

	char sw = switch_cmd(name, len);
	if (sw) {
		/* {\bf x}, {\rm x}, ${\cal O}$: a switch acts on the rest of its group */
		size_t p = k;
		while (p < n && is_space(s[p]))
			p++;
		if (sw == 'u')
			return p;
		if (sw == 'c') {
			char *r = render_plain(c, s, p, n, true);
			const struct alphabet *cal = font_map("mathcal", strlen("mathcal"));
			for (size_t q = 0, rn = strlen(r); q < rn;) {
				unsigned cp;
				q += text_utf8_decode(r + q, rn - q, &cp);
				char enc[4];
				unsigned m = alpha_cp(cal, cp);   /* letters only; the rest as it is */
				sbuf_add(c->out, enc, text_utf8_encode(m ? m : cp, enc));
			}
			free(r);
			return n;
		}
		style_on(c, sw == 'b' ? LATEX_BOLD_ON : LATEX_ITALIC_ON);
		c->depth++;
		render(c, s + p, n - p, math);
		c->depth--;
		style_on(c, sw == 'b' ? LATEX_BOLD_OFF : LATEX_ITALIC_OFF);
		return n;
	}
	if (is_cmd(name, len, "unicode") && url_arg(s, n, k, &a0, &a1)) {
		/* MathJax's \unicode{x2013} (or {8211}): the code point itself */
		char *end;
		bool hex = s[a0] == 'x' || s[a0] == 'X';
		unsigned long cp = strtoul(s + a0 + hex, &end, hex ? 16 : 10);
		if (end == s + a1 && is_alnum_hex(s[a0 + hex]) && cp >= 0x20 && cp <= 0x10FFFF &&
		    !(cp >= 0x7F && cp < 0xA0) && !(cp >= 0xD800 && cp <= 0xDFFF) &&
		    !text_cp_hidden((unsigned)cp) && cp != 0x2028 && cp != 0x2029) {
			char enc[4];
			sbuf_add(c->out, enc, text_utf8_encode((unsigned)cp, enc));
			return a1 + 1;
		}
	}
	if (is_cmd(name, len, "url") && url_arg(s, n, k, &a0, &a1)) {
		add_url(c->out, s, a0, a1);
		return a1 + 1;
	}
	size_t b0, b1;
	if (is_cmd(name, len, "href") && url_arg(s, n, k, &a0, &a1) &&
	    url_arg(s, n, a1 + 1, &b0, &b1)) {
		/* the link text; the URL is the paper's (latex_urls) */
		c->depth++;
		render(c, s + b0, b1 - b0, false);
		c->depth--;
		return b1 + 1;
	}
	bool arg_math;
	enum style st = style_cmd(name, len, &arg_math);
	if (st != ST_NONE && get_arg(s, n, &after, &a0, &a1, &grouped)) {
		char on = st == ST_BOLD ? LATEX_BOLD_ON : LATEX_ITALIC_ON;
		char off = st == ST_BOLD ? LATEX_BOLD_OFF : LATEX_ITALIC_OFF;
		bool op = math && is_cmd(name, len, "operatorname");
		if (op)
			op_space(c, s, n, after, true);
		if (st != ST_UPRIGHT)
			style_on(c, on);
		c->depth++;
		render(c, s + a0, a1 - a0, arg_math);
		c->depth--;
		if (st != ST_UPRIGHT)
			style_on(c, off);
		if (op)
			op_space(c, s, n, after, false);
		return after;
	}
	const struct alphabet *f = font_map(name, len);
	if (f && get_arg(s, n, &after, &a0, &a1, &grouped)) {
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
		bool g2;
		if (get_arg(s, n, &after, &a0, &a1, &grouped) &&
		    get_arg(s, n, &after, &b0, &b1, &g2)) {
			char *num = render_plain(c, s, a0, a1, true);
			char *den = render_plain(c, s, b0, b1, true);
			/* "\frac{9}{4}n" is (9/4)n, not 9/4n: a fraction next to a factor is bracketed */
			bool wrap = (i > 0 && (is_alnum(s[i - 1]) || s[i - 1] == ')')) ||
			            (after < n && (is_alnum(s[after]) || strchr("(\\{", s[after])));
			if (wrap)
				sbuf_addc(c->out, '(');
			add_part(c->out, num);
			sbuf_addc(c->out, '/');
			add_part(c->out, den);
			if (wrap)
				sbuf_addc(c->out, ')');
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
	if (math && sizing_cmd(name, len)) {
		/* sizing only; an invisible "." delimiter goes too */
		if (k < n && s[k] == '.' && (name[0] == 'l' || name[0] == 'r'))
			k++;
		return k;
	}
	const char *sym = sym_lookup(name, len);
	if (sym) {
		bool op = math && is_alpha(sym[0]);   /* \log, \max: an operator name */
		if (op)
			op_space(c, s, n, k, true);
		sbuf_adds(c->out, sym);
		/* In text, "\LaTeX{}" and "\ldots{}" end with an empty group. */
		if (k + 1 < n && s[k] == '{' && s[k + 1] == '}')
			k += 2;
		if (op)
			op_space(c, s, n, k, false);
		return k;
	}
	size_t used = text_tex_macro(s + i, n - i, c->out);   /* \c{c}, \v{s}, \ss, \AA, \l, \i */
	if (used)
		return i + used;
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
	/* x_\mathrm{max}, 10^\text{th}: a font or accent command brings its argument along */
	bool am;
	if (!grouped && s[a0] == '\\' && a1 < n && s[a1] == '{' &&
	    (style_cmd(s + a0 + 1, a1 - a0 - 1, &am) != ST_NONE || font_map(s + a0 + 1, a1 - a0 - 1) ||
	     accent_cp(s + a0 + 1, a1 - a0 - 1))) {
		size_t e = match_brace(s, n, a1);
		if (e < n)
			a1 = after = e + 1;
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

/* Whether s[a,b) is, spaces aside, one non-ASCII character: "$ κ$" from a server that already
 * turned \kappa into κ is math, never money. */
static bool one_symbol(const char *s, size_t a, size_t b)
{
	while (a < b && is_space(s[a]))
		a++;
	while (b > a && is_space(s[b - 1]))
		b--;
	unsigned cp;
	return a < b && (unsigned char)s[a] >= 0x80 && text_utf8_decode(s + a, b - a, &cp) == b - a;
}

/* Whether s[a,b) starts like an amount of money: a number, whitespace, then a letter ("5 bill",
 * "5 and "). No math span of the real abstracts starts so; prices in prose do. */
static bool money(const char *s, size_t a, size_t b)
{
	if (a >= b || !is_digit(s[a]))
		return false;
	while (a < b && (is_digit(s[a]) || s[a] == '.' || s[a] == ','))
		a++;
	if (a >= b || !is_space(s[a]))
		return false;
	while (a < b && is_space(s[a]))
		a++;
	return a < b && is_alpha(s[a]);
}

/* The rule for a single "$" at s[i], as latex.h states it. Returns the index after the closing
 * "$", 0 when this "$" opens no math. */
static size_t inline_dollar(const char *s, size_t n, size_t i, size_t *m0, size_t *m1)
{
	bool cmd = false, blank = true;
	size_t j = i + 1;
	for (; j < n && s[j] != '$'; j++) {
		if (!is_space(s[j]))
			blank = false;
		if (s[j] == '\\' && j + 1 < n) {
			cmd = true;
			j++;
		}
	}
	if (j >= n || blank || money(s, i + 1, j))
		return 0;
	if (!cmd && !one_symbol(s, i + 1, j) && (is_space(s[i + 1]) || is_space(s[j - 1]) ||
	                                         (is_digit(s[i + 1]) && j + 1 < n && is_digit(s[j + 1]))))
		return 0;
	*m0 = i + 1;
	*m1 = j;
	return j + 1;
}

/* If s[i] opens math ($...$, $$...$$, \(...\), \[...\], \begin{equation}...), sets [*m0,*m1)
 * to its content and returns the index after the closing delimiter; returns 0 otherwise. */
static size_t math_span(const char *s, size_t n, size_t i, size_t *m0, size_t *m1)
{
	if (s[i] == '$') {
		if (i + 1 < n && s[i + 1] == '$') {
			for (size_t j = i + 2, e = span_end(i, n); j + 1 < e; j++) {
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
		return inline_dollar(s, n, i, m0, m1);
	}
	if (s[i] == '\\' && i + 1 < n && (s[i + 1] == '(' || s[i + 1] == '[')) {
		char close = s[i + 1] == '(' ? ')' : ']';
		for (size_t j = i + 2, e = span_end(i, n); j + 1 < e; j++)
			if (s[j] == '\\' && s[j + 1] == close) {
				*m0 = i + 2;
				*m1 = j;
				return j + 2;
			}
	}
	static const char *const envs[] = {
		"equation", "equation*", "displaymath", "math", "align", "align*", "gather", "gather*",
		"multline", "multline*", "eqnarray", "eqnarray*",
	};
	for (size_t e = 0; s[i] == '\\' && e < ARRAY_LEN(envs); e++) {
		char open[32], close[32];
		snprintf(open, sizeof open, "\\begin{%s}", envs[e]);
		snprintf(close, sizeof close, "\\end{%s}", envs[e]);
		size_t ol = strlen(open), cl = strlen(close);
		if (n - i < ol || memcmp(s + i, open, ol) != 0)
			continue;
		for (size_t j = i + ol, lim = span_end(i, n); j + cl <= lim; j++)
			if (memcmp(s + j, close, cl) == 0) {
				*m0 = i + ol;
				*m1 = j;
				return j + cl;
			}
	}
	return 0;
}

/* Renders the math s[m0,m1) of the span s[i,next). A span any part of which cannot be rendered
 * stays whole, delimiters included: half a formula would read as something the authors did not
 * write. Whitespace just inside the delimiters becomes one space where the text outside has none. */
static void render_math(struct ctx *c, const char *s, size_t n, size_t i, size_t next, size_t m0,
                        size_t m1)
{
	bool lead = is_space(s[m0]), trail = m1 > m0 && is_space(s[m1 - 1]);
	while (m0 < m1 && is_space(s[m0]))
		m0++;
	while (m1 > m0 && is_space(s[m1 - 1]))
		m1--;
	struct sbuf b = {0};
	struct ctx sub = {&b, c->plain, c->depth + 1, false, NULL};
	render(&sub, s + m0, m1 - m0, true);
	if (sub.failed) {
		sbuf_add(c->out, s + i, next - i);
	} else {
		if (lead && i > 0 && !is_space(s[i - 1]))
			sbuf_addc(c->out, ' ');
		if (ends_in_space(&b) && (next >= n || is_space(s[next]))) {
			/* "$4.4(6)~$ s": one space, not two */
			size_t sp = last_visible(&b) - 1;
			memmove(b.s + sp, b.s + sp + 1, b.len - sp);   /* with the NUL */
			b.len--;
		}
		sbuf_add(c->out, b.s ? b.s : "", b.len);
		if (trail && next < n && !is_space(s[next]))
			sbuf_addc(c->out, ' ');
	}
	sbuf_free(&b);
}

/* Whether s[i] is inside a written-out URL ("https://host/~user/"): its word has "://" before i.
 * The look back is bounded like the other scans. */
static bool in_url(const char *s, size_t i)
{
	size_t lo = i > 2048 ? i - 2048 : 0;
	for (size_t j = i; j > lo && !is_space(s[j - 1]); j--)
		if (j >= 3 && s[j - 1] == '/' && s[j - 2] == '/' && s[j - 3] == ':')
			return true;
	return false;
}

/* Text-mode typography: "--" "---" dashes, "~" ties, ``quotes''. Returns the bytes consumed, 0
 * when s[i] starts none of them. A URL written out keeps its characters. */
static size_t text_punct(struct ctx *c, const char *s, size_t n, size_t i)
{
	if ((s[i] == '-' || s[i] == '~') && in_url(s, i))
		return 0;
	if (s[i] == '-' && i + 1 < n && s[i + 1] == '-') {
		bool em = i + 2 < n && s[i + 2] == '-';
		sbuf_adds(c->out, em ? "—" : "–");
		return em ? 3 : 2;
	}
	/* A tie joins a word to what follows ("Section~3" aside): "of~$x$", "20~MHz", "it~is",
	 * "\textit{et al.~}\cite{x}".
	 * A tilde after a space or before a digit is the author's "approximately" (~70%, z~2). */
	if (s[i] == '~' && i > 0 && !is_space(s[i - 1]) &&
	    (i + 1 == n || is_alpha(s[i + 1]) || strchr("\\$({", s[i + 1]))) {
		sbuf_addc(c->out, ' ');
		return 1;
	}
	if (s[i] == '`' && i + 1 < n && s[i + 1] == '`') {
		for (size_t j = i + 2, e = span_end(i, n); j + 1 < e; j++)
			if (s[j] == '\'' && s[j + 1] == '\'') {
				sbuf_adds(c->out, "“");
				c->close_quote = s + j;
				return 2;
			}
	}
	if (s + i == c->close_quote) {
		sbuf_adds(c->out, "”");
		c->close_quote = NULL;
		return 2;
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
			render_math(c, s, n, i, next, m0, m1);
			i = next;
			continue;
		}
		if (!math && (next = text_punct(c, s, n, i))) {
			i += next;
			continue;
		}
		if (ch == '\\') {
			i = do_command(c, s, n, i, math);
			continue;
		}
		if (ch == '{') {
			size_t e = match_brace(s, n, i);
			if (!math && e < n && i > 0 && (s[i - 1] == '^' || s[i - 1] == '_')) {
				/* x^{2} outside math: TeX notation, kept whole rather than half undone */
				sbuf_add(c->out, s + i, e + 1 - i);
				i = e + 1;
				continue;
			}
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
		if (math && (ch == '~' || is_space(ch))) {
			/* spacing in math is TeX's business: one space however the source spells it */
			if (!ends_in_space(c->out))
				sbuf_addc(c->out, ' ');
			i++;
			continue;
		}
		if (math && ch == '\'') {
			sbuf_adds(c->out, "′");
			i++;
			continue;
		}
		if (math && ch == '-') {
			sbuf_adds(c->out, "−");   /* a minus sign, as TeX sets it: J1843$-$0757 */
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
	struct ctx c = {&b, (flags & LATEX_PLAIN) != 0, 0, false, NULL};
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


char **latex_urls(const char *s)
{
	struct sbuf all = {0};   /* the URLs found so far, each ending in NUL */
	size_t cnt = 0, n = s ? strlen(s) : 0;

	for (size_t i = 0; i + 1 < n; i++) {
		if (s[i] != '\\')
			continue;
		size_t k = i + 1, a0, a1;
		while (k < n && is_alpha(s[k]))
			k++;
		if ((is_cmd(s + i + 1, k - i - 1, "url") || is_cmd(s + i + 1, k - i - 1, "href")) &&
		    url_arg(s, n, k, &a0, &a1)) {
			struct sbuf u = {0};
			add_url(&u, s, a0, a1);
			bool dup = false;
			for (size_t p = 0; p < all.len && !dup; p += strlen(all.s + p) + 1)
				dup = strcmp(all.s + p, u.s) == 0;
			if (!dup) {
				sbuf_add(&all, u.s, u.len + 1);
				cnt++;
			}
			sbuf_free(&u);
			k = a1;
		}
		i = k > i + 1 ? k - 1 : i + 1;   /* past the command, or past an escaped character */
	}
	/* One allocation: the pointers, then the strings they point to. */
	char **v = xmalloc((cnt + 1) * sizeof *v + all.len);
	char *text = (char *)(v + cnt + 1);
	if (all.len)
		memcpy(text, all.s, all.len);
	for (size_t j = 0, p = 0; j < cnt; j++, p += strlen(text + p) + 1)
		v[j] = text + p;
	v[cnt] = NULL;
	sbuf_free(&all);
	return v;
}
