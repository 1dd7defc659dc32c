/* text — cleaning untrusted feed text: UTF-8 validation, control and escape-sequence removal,
 * whitespace collapsing, HTML entities/tags and TeX accents in names. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "lectern/text.h"
#include "lectern/util.h"

/* ---- UTF-8 ------------------------------------------------------------------------------------ */

size_t text_utf8_decode(const char *str, size_t n, unsigned *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned c, lo = 0x80, hi = 0xBF;
	size_t len;

	if (n == 0) {
		*cp = 0xFFFD;
		return 1;
	}
	c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	/* The table of well-formed sequences (Unicode 3.9, table 3-7): the second byte's range
	 * excludes overlong forms, surrogates and code points above U+10FFFF. */
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		c &= 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
		c &= 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
		c &= 0x07;
	} else {
		*cp = 0xFFFD;
		return 1;
	}
	if (n < len || s[1] < lo || s[1] > hi) {
		*cp = 0xFFFD;
		return 1;
	}
	for (size_t i = 1; i < len; i++) {
		if (i > 1 && (s[i] < 0x80 || s[i] > 0xBF)) {
			*cp = 0xFFFD;
			return 1;
		}
		c = (c << 6) | (s[i] & 0x3F);
	}
	*cp = c;
	return len;
}

size_t text_utf8_encode(unsigned cp, char *out)
{
	unsigned char *o = (unsigned char *)out;

	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

static void add_cp(struct sbuf *b, unsigned cp)
{
	char u[4];

	sbuf_add(b, u, text_utf8_encode(cp, u));
}

/* ---- cleaning ---------------------------------------------------------------------------------- */

/* Skips a control string (OSC, DCS, SOS, PM, APC) starting at i (just after its introducer).
 * It ends at BEL, ESC \ or the C1 ST; we also end it at any other C0 control or the end of input,
 * so that a stray introducer cannot swallow the rest of an abstract (what remains is plain text
 * either way, since every ESC is removed). */
static size_t skip_string(const unsigned char *s, size_t n, size_t i)
{
	while (i < n) {
		if (s[i] == 0x07)
			return i + 1;
		if (s[i] == 0x1B)
			return (i + 1 < n && s[i + 1] == '\\') ? i + 2 : i;
		if (s[i] == 0xC2 && i + 1 < n && s[i + 1] == 0x9C)
			return i + 2;
		if (s[i] < 0x20)
			return i;
		i++;
	}
	return n;
}

/* Skips CSI parameters, intermediates and the final byte starting at i. */
static size_t skip_csi(const unsigned char *s, size_t n, size_t i)
{
	while (i < n && s[i] >= 0x30 && s[i] <= 0x3F)
		i++;
	while (i < n && s[i] >= 0x20 && s[i] <= 0x2F)
		i++;
	if (i < n && s[i] >= 0x40 && s[i] <= 0x7E)
		i++;
	return i;
}

/* i points at ESC; returns the index after the whole sequence. */
static size_t skip_escape(const unsigned char *s, size_t n, size_t i)
{
	i++;
	if (i >= n)
		return i;
	switch (s[i]) {
	case '[':
		return skip_csi(s, n, i + 1);
	case ']': case 'P': case 'X': case '^': case '_':
		return skip_string(s, n, i + 1);
	default:
		break;
	}
	while (i < n && s[i] >= 0x20 && s[i] <= 0x2F)   /* intermediates (ESC ( B ...) */
		i++;
	if (i < n && s[i] >= 0x30 && s[i] <= 0x7E)
		i++;
	return i;
}

static bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

int text_cp_hidden(unsigned cp)
{
	/* Bidi embeddings, overrides and isolates can make text display in an order other than it
	 * is stored (a "Trojan Source" trick); zero-width spaces and joiners, the word joiner and
	 * the byte order mark are invisible, and terminals disagree on their width. */
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
	       (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF;
}

char *text_clean(const char *str, size_t n, int flags)
{
	const unsigned char *s = (const unsigned char *)str;
	struct sbuf b = {0};
	bool collapse = flags & TEXT_COLLAPSE, paras = flags & TEXT_KEEP_PARAS;
	/* Pending whitespace run (collapse mode): newlines seen, indentation after the last one. */
	bool in_ws = false, indented = false;
	int newlines = 0;
	size_t i = 0;

	if (!s)
		return xstrdup("");
	/* The output is rarely longer than the input (only U+FFFD replacements grow it). */
	b.cap = n + 1;
	b.s = xmalloc(b.cap);
	b.s[0] = '\0';
	while (i < n) {
		unsigned char c = s[i];

		if (c == 0x1B) {
			i = skip_escape(s, n, i);
			continue;
		}
		if (is_space(c)) {
			if (collapse) {
				if (c == '\n' || (c == '\r' && !(i + 1 < n && s[i + 1] == '\n'))) {
					newlines++;
					indented = false;
				} else if (newlines > 0 && (c == ' ' || c == '\t')) {
					indented = true;
				}
				in_ws = true;
			} else if (b.len > 0) {
				if (c == '\r') {
					if (!(i + 1 < n && s[i + 1] == '\n'))
						sbuf_addc(&b, '\n');
				} else {
					sbuf_addc(&b, c == '\n' ? '\n' : ' ');   /* tabs would break layout */
				}
			}
			i++;
			continue;
		}
		if (c < 0x20 || c == 0x7F) {
			i++;
			continue;
		}
		/* A printable character or a UTF-8 sequence: first flush the whitespace run. */
		size_t len = 1;
		unsigned cp = c;
		if (c >= 0x80) {
			len = text_utf8_decode(str + i, n - i, &cp);
			if (cp >= 0x80 && cp <= 0x9F) {
				i += len;
				if (cp == 0x9B)
					i = skip_csi(s, n, i);
				else if (cp == 0x9D || cp == 0x90 || cp == 0x98 || cp == 0x9E || cp == 0x9F)
					i = skip_string(s, n, i);
				continue;
			}
			if (text_cp_hidden(cp)) {
				i += len;
				continue;
			}
			/* The line and paragraph separators are the breaks they stand for: a paragraph
			 * is a blank line, which TEXT_KEEP_PARAS keeps as one "\n". */
			if (cp == 0x2028 || cp == 0x2029) {
				int breaks = cp == 0x2029 ? 2 : 1;
				if (collapse) {
					newlines += breaks;
					indented = false;
					in_ws = true;
				} else if (b.len > 0) {
					sbuf_adds(&b, breaks == 2 ? "\n\n" : "\n");
				}
				i += len;
				continue;
			}
		}
		if (in_ws) {
			if (b.len > 0)
				sbuf_addc(&b, (paras && (newlines >= 2 || (newlines == 1 && indented)))
				                      ? '\n' : ' ');
			in_ws = false;
			indented = false;
			newlines = 0;
		}
		if (cp == 0xFFFD && len == 1) {
			add_cp(&b, 0xFFFD);
			i++;
			continue;
		}
		/* Copy the run of ordinary bytes in one go: printable ASCII, and single spaces
		 * between printable characters (which both modes keep as they are). */
		size_t j = i + len;
		while (j < n) {
			if (s[j] >= 0x21 && s[j] < 0x7F)
				j++;
			else if (s[j] == ' ' && j + 1 < n && s[j + 1] >= 0x21 && s[j + 1] < 0x7F)
				j += 2;
			else
				break;
		}
		sbuf_add(&b, str + i, j - i);
		i = j;
	}
	while (b.len > 0 && is_space((unsigned char)b.s[b.len - 1]))
		b.s[--b.len] = '\0';
	return sbuf_steal(&b);
}

/* ---- HTML ------------------------------------------------------------------------------------ */

/* Decodes the reference at s[0] == '&' into b; returns the bytes consumed, 0 when it is not one. */
static size_t decode_entity(const char *s, struct sbuf *b)
{
	char name[40];
	size_t k = 1;

	while (k < sizeof(name) && s[k] && s[k] != ';' && s[k] != '&' && !is_space((unsigned char)s[k]))
		k++;
	if (s[k] != ';' || k == 1)
		return 0;
	memcpy(name, s + 1, k - 1);
	name[k - 1] = '\0';
	if (name[0] == '#') {
		char *end;
		unsigned long v;
		bool hex = name[1] == 'x' || name[1] == 'X';
		const char *digits = name + (hex ? 2 : 1);

		if (!*digits)
			return 0;
		v = strtoul(digits, &end, hex ? 16 : 10);
		if (*end)
			return 0;
		if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
			v = 0xFFFD;
		add_cp(b, (unsigned)v);
		return k + 1;
	}
	if (strcmp(name, "apos") == 0) {   /* XML's, not in the HTML 4 table */
		sbuf_addc(b, '\'');
		return k + 1;
	}
	const htmlEntityDesc *d = htmlEntityLookup((const xmlChar *)name);
	if (!d)
		return 0;
	add_cp(b, d->value);
	return k + 1;
}

char *text_html_unescape(const char *s)
{
	struct sbuf b = {0};

	if (!s)
		return xstrdup("");
	while (*s) {
		const char *amp = strchr(s, '&');
		if (!amp) {
			sbuf_adds(&b, s);
			break;
		}
		sbuf_add(&b, s, (size_t)(amp - s));
		size_t used = decode_entity(amp, &b);
		if (used == 0) {
			sbuf_addc(&b, '&');
			used = 1;
		}
		s = amp + used;
	}
	return sbuf_steal(&b);
}

/* ---- super- and subscripts ------------------------------------------------------------------ */

struct cpmap { unsigned from, to; };

static const struct cpmap sup_map[] = {
	{'0', 0x2070}, {'1', 0xB9}, {'2', 0xB2}, {'3', 0xB3}, {'4', 0x2074}, {'5', 0x2075},
	{'6', 0x2076}, {'7', 0x2077}, {'8', 0x2078}, {'9', 0x2079}, {'+', 0x207A}, {'-', 0x207B},
	{0x2212, 0x207B}, {'=', 0x207C}, {'(', 0x207D}, {')', 0x207E}, {'n', 0x207F},
	{'i', 0x2071}, {'a', 0x1D43}, {'b', 0x1D47}, {'c', 0x1D9C}, {'d', 0x1D48}, {'e', 0x1D49},
	{'f', 0x1DA0}, {'g', 0x1D4D}, {'h', 0x2B0}, {'j', 0x2B2}, {'k', 0x1D4F}, {'l', 0x2E1},
	{'m', 0x1D50}, {'o', 0x1D52}, {'p', 0x1D56}, {'r', 0x2B3}, {'s', 0x2E2}, {'t', 0x1D57},
	{'u', 0x1D58}, {'v', 0x1D5B}, {'w', 0x2B7}, {'x', 0x2E3}, {'y', 0x2B8}, {'z', 0x1DBB},
	{'A', 0x1D2C}, {'B', 0x1D2E}, {'D', 0x1D30}, {'E', 0x1D31}, {'G', 0x1D33}, {'H', 0x1D34},
	{'I', 0x1D35}, {'J', 0x1D36}, {'K', 0x1D37}, {'L', 0x1D38}, {'M', 0x1D39}, {'N', 0x1D3A},
	{'O', 0x1D3C}, {'P', 0x1D3E}, {'R', 0x1D3F}, {'T', 0x1D40}, {'U', 0x1D41}, {'V', 0x2C7D},
	{'W', 0x1D42}, {0x3B1, 0x1D45}, {0x3B2, 0x1D5D}, {0x3B3, 0x1D5E}, {0x3B4, 0x1D5F},
	{0x3B5, 0x1D4B}, {0x3F5, 0x1D4B}, {0x3B8, 0x1DBF}, {0x3B9, 0x1DA5}, {0x3C6, 0x1D60},
	{0x3D5, 0x1D60}, {0x3C7, 0x1D61}, {0x22A4, 0x1D40}, {0x2032, 0x2032}, {'\'', 0x2032},
	{'*', '*'}, {0x2217, '*'}, {0x2020, 0x2020}, {0x2218, 0xB0},   /* ^\circ: degrees */
};

static const struct cpmap sub_map[] = {
	{'0', 0x2080}, {'1', 0x2081}, {'2', 0x2082}, {'3', 0x2083}, {'4', 0x2084}, {'5', 0x2085},
	{'6', 0x2086}, {'7', 0x2087}, {'8', 0x2088}, {'9', 0x2089}, {'+', 0x208A}, {'-', 0x208B},
	{0x2212, 0x208B}, {'=', 0x208C}, {'(', 0x208D}, {')', 0x208E}, {'a', 0x2090},
	{'e', 0x2091}, {'o', 0x2092}, {'x', 0x2093}, {'h', 0x2095}, {'k', 0x2096}, {'l', 0x2097},
	{'m', 0x2098}, {'n', 0x2099}, {'p', 0x209A}, {'s', 0x209B}, {'t', 0x209C}, {'i', 0x1D62},
	{'r', 0x1D63}, {'u', 0x1D64}, {'v', 0x1D65}, {'j', 0x2C7C}, {0x3B2, 0x1D66},
	{0x3B3, 0x1D67}, {0x3C1, 0x1D68}, {0x3C6, 0x1D69}, {0x3D5, 0x1D69}, {0x3C7, 0x1D6A},
};

static unsigned map_cp(const struct cpmap *m, size_t n, unsigned cp)
{
	for (size_t i = 0; i < n; i++)
		if (m[i].from == cp)
			return m[i].to;
	return 0;
}

bool text_script(const char *s, bool sup, struct sbuf *out)
{
	const struct cpmap *m = sup ? sup_map : sub_map;
	size_t mn = sup ? ARRAY_LEN(sup_map) : ARRAY_LEN(sub_map);
	size_t n = strlen(s), i = 0, mark = out->len;
	bool any = false;

	while (i < n) {
		unsigned cp, to;
		i += text_utf8_decode(s + i, n - i, &cp);
		if (cp == ' ')
			continue;
		if (!(to = map_cp(m, mn, cp))) {
			out->len = mark;   /* all or nothing */
			if (out->s)
				out->s[mark] = '\0';
			return false;
		}
		char enc[4];
		sbuf_add(out, enc, text_utf8_encode(to, enc));
		any = true;
	}
	return any;
}

void text_script_or_mark(const char *s, bool sup, struct sbuf *out)
{
	size_t n = strlen(s);

	while (n > 0 && is_space((unsigned char)s[n - 1]))
		n--;
	while (n > 0 && is_space((unsigned char)*s))
		s++, n--;
	if (n == 0)
		return;
	char *t = xstrndup(s, n);
	if (!text_script(t, sup, out)) {
		unsigned cp;
		bool one = text_utf8_decode(t, n, &cp) == n;
		sbuf_printf(out, one ? "%c%s" : "%c{%s}", sup ? '^' : '_', t);
	}
	free(t);
}

static bool html_is_break(const char *name)
{
	static const char *const blocks[] = {
		"p", "br", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
		"pre", "ul", "ol", "table", "dd", "dt", "hr", "section", "article",
	};

	for (size_t i = 0; i < ARRAY_LEN(blocks); i++)
		if (strcmp(name, blocks[i]) == 0)
			return true;
	return false;
}

/* Appends text with HTML whitespace rules: every run becomes one space; none after a break. */
static void html_add_text(struct sbuf *b, const char *t)
{
	for (; *t; t++) {
		if (is_space((unsigned char)*t)) {
			if (b->len > 0 && b->s[b->len - 1] != ' ' && b->s[b->len - 1] != '\n')
				sbuf_addc(b, ' ');
		} else {
			sbuf_addc(b, *t);
		}
	}
}

static void html_break(struct sbuf *b)
{
	while (b->len > 0 && b->s[b->len - 1] == ' ')
		b->s[--b->len] = '\0';
	if (b->len > 0 && b->s[b->len - 1] != '\n')
		sbuf_addc(b, '\n');
}

static void html_walk(xmlNode *n, struct sbuf *b)
{
	for (; n; n = n->next) {
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			if (n->content)
				html_add_text(b, (const char *)n->content);
		} else if (n->type == XML_ELEMENT_NODE) {
			const char *name = (const char *)n->name;
			if (strcmp(name, "script") == 0 || strcmp(name, "style") == 0 ||
			    strcmp(name, "head") == 0)
				continue;
			if (strcmp(name, "sup") == 0 || strcmp(name, "sub") == 0) {
				struct sbuf t = {0};
				html_walk(n->children, &t);
				text_script_or_mark(t.s ? t.s : "", name[2] == 'p', b);
				sbuf_free(&t);
				continue;
			}
			bool brk = html_is_break(name);
			if (brk)
				html_break(b);
			html_walk(n->children, b);
			if (brk)
				html_break(b);
		}
	}
}

char *text_strip_html(const char *s)
{
	struct sbuf b = {0};

	if (!s)
		return xstrdup("");
	if (!strchr(s, '<'))
		return text_html_unescape(s);
	/* libxml2's HTML parser copes with the tag soup of real feeds (unclosed <p>, stray '<');
	 * NONET: never fetch anything a document refers to. */
	size_t len = strlen(s);
	htmlDocPtr doc = len > INT32_MAX ? NULL :
		htmlReadMemory(s, (int)len, NULL, "UTF-8",
		               HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
		               HTML_PARSE_NONET);
	if (!doc)
		return text_html_unescape(s);
	html_walk(xmlDocGetRootElement(doc), &b);
	xmlFreeDoc(doc);
	while (b.len > 0 && is_space((unsigned char)b.s[b.len - 1]))
		b.s[--b.len] = '\0';
	return sbuf_steal(&b);
}

/* ---- TeX accents ------------------------------------------------------------------------------ */

/* Precomposed forms of accent + ASCII letter (generated from Unicode NFC). */
static const struct { char accent, base; unsigned cp; } tex_compose[] = {
	{'\'','A',0xC1}, {'\'','C',0x106}, {'\'','E',0xC9}, {'\'','G',0x1F4}, {'\'','I',0xCD},
	{'\'','K',0x1E30}, {'\'','L',0x139}, {'\'','M',0x1E3E}, {'\'','N',0x143}, {'\'','O',0xD3},
	{'\'','P',0x1E54}, {'\'','R',0x154}, {'\'','S',0x15A}, {'\'','U',0xDA}, {'\'','W',0x1E82},
	{'\'','Y',0xDD}, {'\'','Z',0x179}, {'\'','a',0xE1}, {'\'','c',0x107}, {'\'','e',0xE9},
	{'\'','g',0x1F5}, {'\'','i',0xED}, {'\'','k',0x1E31}, {'\'','l',0x13A}, {'\'','m',0x1E3F},
	{'\'','n',0x144}, {'\'','o',0xF3}, {'\'','p',0x1E55}, {'\'','r',0x155}, {'\'','s',0x15B},
	{'\'','u',0xFA}, {'\'','w',0x1E83}, {'\'','y',0xFD}, {'\'','z',0x17A}, {'`','A',0xC0},
	{'`','E',0xC8}, {'`','I',0xCC}, {'`','N',0x1F8}, {'`','O',0xD2}, {'`','U',0xD9}, {'`','W',0x1E80},
	{'`','Y',0x1EF2}, {'`','a',0xE0}, {'`','e',0xE8}, {'`','i',0xEC}, {'`','n',0x1F9}, {'`','o',0xF2},
	{'`','u',0xF9}, {'`','w',0x1E81}, {'`','y',0x1EF3}, {'^','A',0xC2}, {'^','C',0x108},
	{'^','E',0xCA}, {'^','G',0x11C}, {'^','H',0x124}, {'^','I',0xCE}, {'^','J',0x134}, {'^','O',0xD4},
	{'^','S',0x15C}, {'^','U',0xDB}, {'^','W',0x174}, {'^','Y',0x176}, {'^','Z',0x1E90},
	{'^','a',0xE2}, {'^','c',0x109}, {'^','e',0xEA}, {'^','g',0x11D}, {'^','h',0x125}, {'^','i',0xEE},
	{'^','j',0x135}, {'^','o',0xF4}, {'^','s',0x15D}, {'^','u',0xFB}, {'^','w',0x175},
	{'^','y',0x177}, {'^','z',0x1E91}, {'\"','A',0xC4}, {'\"','E',0xCB}, {'\"','H',0x1E26},
	{'\"','I',0xCF}, {'\"','O',0xD6}, {'\"','U',0xDC}, {'\"','W',0x1E84}, {'\"','X',0x1E8C},
	{'\"','Y',0x178}, {'\"','a',0xE4}, {'\"','e',0xEB}, {'\"','h',0x1E27}, {'\"','i',0xEF},
	{'\"','o',0xF6}, {'\"','t',0x1E97}, {'\"','u',0xFC}, {'\"','w',0x1E85}, {'\"','x',0x1E8D},
	{'\"','y',0xFF}, {'~','A',0xC3}, {'~','E',0x1EBC}, {'~','I',0x128}, {'~','N',0xD1},
	{'~','O',0xD5}, {'~','U',0x168}, {'~','V',0x1E7C}, {'~','Y',0x1EF8}, {'~','a',0xE3},
	{'~','e',0x1EBD}, {'~','i',0x129}, {'~','n',0xF1}, {'~','o',0xF5}, {'~','u',0x169},
	{'~','v',0x1E7D}, {'~','y',0x1EF9}, {'=','A',0x100}, {'=','E',0x112}, {'=','G',0x1E20},
	{'=','I',0x12A}, {'=','O',0x14C}, {'=','U',0x16A}, {'=','Y',0x232}, {'=','a',0x101},
	{'=','e',0x113}, {'=','g',0x1E21}, {'=','i',0x12B}, {'=','o',0x14D}, {'=','u',0x16B},
	{'=','y',0x233}, {'.','A',0x226}, {'.','B',0x1E02}, {'.','C',0x10A}, {'.','D',0x1E0A},
	{'.','E',0x116}, {'.','F',0x1E1E}, {'.','G',0x120}, {'.','H',0x1E22}, {'.','I',0x130},
	{'.','M',0x1E40}, {'.','N',0x1E44}, {'.','O',0x22E}, {'.','P',0x1E56}, {'.','R',0x1E58},
	{'.','S',0x1E60}, {'.','T',0x1E6A}, {'.','W',0x1E86}, {'.','X',0x1E8A}, {'.','Y',0x1E8E},
	{'.','Z',0x17B}, {'.','a',0x227}, {'.','b',0x1E03}, {'.','c',0x10B}, {'.','d',0x1E0B},
	{'.','e',0x117}, {'.','f',0x1E1F}, {'.','g',0x121}, {'.','h',0x1E23}, {'.','m',0x1E41},
	{'.','n',0x1E45}, {'.','o',0x22F}, {'.','p',0x1E57}, {'.','r',0x1E59}, {'.','s',0x1E61},
	{'.','t',0x1E6B}, {'.','w',0x1E87}, {'.','x',0x1E8B}, {'.','y',0x1E8F}, {'.','z',0x17C},
	{'u','A',0x102}, {'u','E',0x114}, {'u','G',0x11E}, {'u','I',0x12C}, {'u','O',0x14E},
	{'u','U',0x16C}, {'u','a',0x103}, {'u','e',0x115}, {'u','g',0x11F}, {'u','i',0x12D},
	{'u','o',0x14F}, {'u','u',0x16D}, {'v','A',0x1CD}, {'v','C',0x10C}, {'v','D',0x10E},
	{'v','E',0x11A}, {'v','G',0x1E6}, {'v','H',0x21E}, {'v','I',0x1CF}, {'v','K',0x1E8},
	{'v','L',0x13D}, {'v','N',0x147}, {'v','O',0x1D1}, {'v','R',0x158}, {'v','S',0x160},
	{'v','T',0x164}, {'v','U',0x1D3}, {'v','Z',0x17D}, {'v','a',0x1CE}, {'v','c',0x10D},
	{'v','d',0x10F}, {'v','e',0x11B}, {'v','g',0x1E7}, {'v','h',0x21F}, {'v','i',0x1D0},
	{'v','j',0x1F0}, {'v','k',0x1E9}, {'v','l',0x13E}, {'v','n',0x148}, {'v','o',0x1D2},
	{'v','r',0x159}, {'v','s',0x161}, {'v','t',0x165}, {'v','u',0x1D4}, {'v','z',0x17E},
	{'H','O',0x150}, {'H','U',0x170}, {'H','o',0x151}, {'H','u',0x171}, {'c','C',0xC7},
	{'c','D',0x1E10}, {'c','E',0x228}, {'c','G',0x122}, {'c','H',0x1E28}, {'c','K',0x136},
	{'c','L',0x13B}, {'c','N',0x145}, {'c','R',0x156}, {'c','S',0x15E}, {'c','T',0x162},
	{'c','c',0xE7}, {'c','d',0x1E11}, {'c','e',0x229}, {'c','g',0x123}, {'c','h',0x1E29},
	{'c','k',0x137}, {'c','l',0x13C}, {'c','n',0x146}, {'c','r',0x157}, {'c','s',0x15F},
	{'c','t',0x163}, {'k','A',0x104}, {'k','E',0x118}, {'k','I',0x12E}, {'k','O',0x1EA},
	{'k','U',0x172}, {'k','a',0x105}, {'k','e',0x119}, {'k','i',0x12F}, {'k','o',0x1EB},
	{'k','u',0x173}, {'r','A',0xC5}, {'r','U',0x16E}, {'r','a',0xE5}, {'r','u',0x16F},
	{'r','w',0x1E98}, {'r','y',0x1E99}, {'d','A',0x1EA0}, {'d','B',0x1E04}, {'d','D',0x1E0C},
	{'d','E',0x1EB8}, {'d','H',0x1E24}, {'d','I',0x1ECA}, {'d','K',0x1E32}, {'d','L',0x1E36},
	{'d','M',0x1E42}, {'d','N',0x1E46}, {'d','O',0x1ECC}, {'d','R',0x1E5A}, {'d','S',0x1E62},
	{'d','T',0x1E6C}, {'d','U',0x1EE4}, {'d','V',0x1E7E}, {'d','W',0x1E88}, {'d','Y',0x1EF4},
	{'d','Z',0x1E92}, {'d','a',0x1EA1}, {'d','b',0x1E05}, {'d','d',0x1E0D}, {'d','e',0x1EB9},
	{'d','h',0x1E25}, {'d','i',0x1ECB}, {'d','k',0x1E33}, {'d','l',0x1E37}, {'d','m',0x1E43},
	{'d','n',0x1E47}, {'d','o',0x1ECD}, {'d','r',0x1E5B}, {'d','s',0x1E63}, {'d','t',0x1E6D},
	{'d','u',0x1EE5}, {'d','v',0x1E7F}, {'d','w',0x1E89}, {'d','y',0x1EF5}, {'d','z',0x1E93},
	{'b','B',0x1E06}, {'b','D',0x1E0E}, {'b','K',0x1E34}, {'b','L',0x1E3A}, {'b','N',0x1E48},
	{'b','R',0x1E5E}, {'b','T',0x1E6E}, {'b','Z',0x1E94}, {'b','b',0x1E07}, {'b','d',0x1E0F},
	{'b','h',0x1E96}, {'b','k',0x1E35}, {'b','l',0x1E3B}, {'b','n',0x1E49}, {'b','r',0x1E5F},
	{'b','t',0x1E6F}, {'b','z',0x1E95},
};

/* Combining mark for each accent, used when no precomposed character exists. */
static unsigned tex_mark(char accent)
{
	switch (accent) {
	case '\'': return 0x301;
	case '`': return 0x300;
	case '^': return 0x302;
	case '"': return 0x308;
	case '~': return 0x303;
	case '=': return 0x304;
	case '.': return 0x307;
	case 'u': return 0x306;
	case 'v': return 0x30C;
	case 'H': return 0x30B;
	case 'c': return 0x327;
	case 'k': return 0x328;
	case 'r': return 0x30A;
	case 'd': return 0x323;
	case 'b': return 0x331;
	default: return 0;
	}
}

static const struct { const char *name; unsigned cp; } tex_letters[] = {
	{"o", 0xF8}, {"O", 0xD8}, {"l", 0x142}, {"L", 0x141}, {"ss", 0xDF}, {"aa", 0xE5},
	{"AA", 0xC5}, {"ae", 0xE6}, {"AE", 0xC6}, {"oe", 0x153}, {"OE", 0x152}, {"i", 0x131},
	{"j", 0x237}, {"dh", 0xF0}, {"DH", 0xD0}, {"th", 0xFE}, {"TH", 0xDE}, {"ng", 0x14B},
	{"NG", 0x14A}, {"dj", 0x111}, {"DJ", 0x110},
};

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Index of the '}' closing the '{' at s[0], or 0. Groups in names are short: looking no further
 * than TEX_GROUP_MAX bytes keeps decoding linear on hostile input ("{{{{..."). */
#define TEX_GROUP_MAX 256

static size_t match_brace(const char *s, size_t n)
{
	int depth = 0;

	if (n > TEX_GROUP_MAX)
		n = TEX_GROUP_MAX;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n) {
			i++;
			continue;
		}
		if (s[i] == '{')
			depth++;
		else if (s[i] == '}' && --depth == 0)
			return i;
	}
	return 0;
}

static void tex_decode(const char *s, size_t n, struct sbuf *b);

/* Decodes the single base letter of an accent argument; returns its code point or 0. */
static unsigned tex_base(const char *s, size_t n)
{
	unsigned cp;

	if (n == 1 && is_alpha(s[0]))
		return (unsigned char)s[0];
	if (n == 2 && s[0] == '\\' && (s[1] == 'i' || s[1] == 'j'))
		return (unsigned char)s[1];   /* dotless i/j under an accent: the plain letter */
	if (n > 1 && (unsigned char)s[0] >= 0x80 && text_utf8_decode(s, n, &cp) == n && cp != 0xFFFD)
		return cp;
	return 0;
}

static void tex_compose_add(struct sbuf *b, char accent, unsigned base)
{
	if (base < 0x80) {
		for (size_t i = 0; i < ARRAY_LEN(tex_compose); i++)
			if (tex_compose[i].accent == accent && (unsigned char)tex_compose[i].base == base) {
				add_cp(b, tex_compose[i].cp);
				return;
			}
	}
	add_cp(b, base);
	add_cp(b, tex_mark(accent));
}

size_t text_tex_macro(const char *s, size_t n, struct sbuf *b)
{
	size_t p;
	char accent;

	if (n < 2)
		return 0;
	if (strchr("'`^\"~=.", s[1])) {
		accent = s[1];
		p = 2;
	} else if (strchr("&_%$#", s[1])) {
		sbuf_addc(b, s[1]);
		return 2;
	} else if (is_alpha(s[1])) {
		size_t k = 1;
		while (k < n && is_alpha(s[k]))
			k++;
		size_t len = k - 1;
		if (len == 1 && tex_mark(s[1]) && !strchr("'`^\"~=.", s[1])) {
			accent = s[1];
			p = k;
			while (p < n && s[p] == ' ')
				p++;
		} else {
			for (size_t i = 0; i < ARRAY_LEN(tex_letters); i++) {
				if (strlen(tex_letters[i].name) == len &&
				    memcmp(tex_letters[i].name, s + 1, len) == 0) {
					add_cp(b, tex_letters[i].cp);
					/* A control word ends at the spaces that follow it, or at "{}". */
					if (k + 1 < n && s[k] == '{' && s[k + 1] == '}')
						return k + 2;
					while (k < n && s[k] == ' ')
						k++;
					return k;
				}
			}
			return 0;
		}
	} else {
		return 0;
	}
	/* The accent's argument: {x}, {\i}, x, \i or a UTF-8 letter. */
	if (p >= n)
		return 0;
	unsigned base;
	size_t end;
	if (s[p] == '{') {
		size_t close = match_brace(s + p, n - p);
		if (close == 0)
			return 0;
		base = tex_base(s + p + 1, close - 1);
		end = p + close + 1;
	} else if (s[p] == '\\') {
		if (p + 1 >= n || (s[p + 1] != 'i' && s[p + 1] != 'j') ||
		    (p + 2 < n && is_alpha(s[p + 2])))
			return 0;
		base = (unsigned char)s[p + 1];
		end = p + 2;
		while (end < n && s[end] == ' ')
			end++;
	} else if (is_alpha(s[p])) {
		base = (unsigned char)s[p];
		end = p + 1;
	} else if ((unsigned char)s[p] >= 0x80) {
		size_t l = text_utf8_decode(s + p, n - p, &base);
		if (base == 0xFFFD)
			return 0;
		end = p + l;
	} else {
		return 0;
	}
	if (!base)
		return 0;
	tex_compose_add(b, accent, base);
	return end;
}

static size_t utf8_count(const char *s, size_t n)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			c++;
	return c;
}

static void tex_decode(const char *s, size_t n, struct sbuf *b)
{
	size_t i = 0;

	while (i < n) {
		if (s[i] == '\\') {
			size_t used = text_tex_macro(s + i, n - i, b);
			if (used) {
				i += used;
			} else {
				/* An unknown macro stays as written, with its {arguments}. */
				size_t j = i + 1;
				if (j < n && is_alpha(s[j])) {
					while (j < n && is_alpha(s[j]))
						j++;
				} else if (j < n && s[j] != '{' && s[j] != '}') {
					j++;
				}
				size_t close;
				while (j < n && s[j] == '{' && (close = match_brace(s + j, n - j)) > 0)
					j += close + 1;
				sbuf_add(b, s + i, j - i);
				i = j;
			}
		} else if (s[i] == '{') {
			size_t close = match_brace(s + i, n - i);
			if (close == 0) {
				sbuf_addc(b, '{');
				i++;
				continue;
			}
			/* Braces around one (decoded) character, or around a macro, only protect it. */
			struct sbuf in = {0};
			tex_decode(s + i + 1, close - 1, &in);
			bool had_macro = memchr(s + i + 1, '\\', close - 1) != NULL;
			if (in.len > 0 && !memchr(in.s, '\\', in.len) &&
			    (had_macro || utf8_count(in.s, in.len) == 1)) {
				sbuf_add(b, in.s, in.len);
			} else {
				sbuf_addc(b, '{');
				if (in.len)
					sbuf_add(b, in.s, in.len);
				sbuf_addc(b, '}');
			}
			sbuf_free(&in);
			i += close + 1;
		} else {
			const char *next = s + i;
			size_t j = i;
			while (j < n && s[j] != '\\' && s[j] != '{')
				j++;
			sbuf_add(b, next, j - i);
			i = j;
		}
	}
}

char *text_tex_accents(const char *s)
{
	struct sbuf b = {0};

	if (!s)
		return xstrdup("");
	if (!strpbrk(s, "\\{"))
		return xstrdup(s);
	tex_decode(s, strlen(s), &b);
	return sbuf_steal(&b);
}
