/* query — the search language: a recursive-descent parser over the query text (no separate
 * token list: a term's extent depends on whether it is quoted and on the open parentheses),
 * the table of fields and flags, and the help generated from that table. See query.h. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lectern/paper.h"
#include "lectern/query.h"

const struct query_field_info query_fields[] = {
	{ "au", "author authors", QF_AU, "name", "a word in the authors" },
	{ "ti", "title", QF_TI, "word", "a word in the title" },
	{ "abs", "abstract", QF_ABS, "word", "a word in the abstract or the AI summary" },
	{ "org", "organization organisation", QF_ORG, "word",
	  "a word in the organisation Hugging Face names" },
	{ "cat", "category categories", QF_CAT, "category",
	  "an arXiv category (cs.LG) or archive (cs: any cs.*)" },
	{ "all", "", QF_TEXT, "word", "a word anywhere, as without a field" },
	{ "is", "", QF_IS, "flag", "user state or arXiv's announcement (below)" },
	{ "has", "", QF_HAS, "thing", "user data (below)" },
	{ "tag", "tags", QF_TAG, "name", "one of the paper's tags, whole, in any case ('#' optional)" },
	{ "after", "", QF_AFTER, "date", "first published after the day, month or year (not in it)" },
	{ "before", "", QF_BEFORE, "date", "first published before it (not in it)" },
	{ "since", "", QF_SINCE, "date", "from its first day on" },
	{ "until", "", QF_UNTIL, "date", "up to its last day" },
	{ "date", "", QF_DATE, "date", "within it (2025-01-31, 2025-01, 2025, today, yesterday, -7)" },
	{ "id", "", QF_ID, "id", "that arXiv paper (a bare id or abs URL works too)" },
};
const size_t query_n_fields = sizeof query_fields / sizeof query_fields[0];

const struct query_flag_info query_flags[] = {
	{ QF_IS, "fav", "favourite favorite", QFLAG_FAV, "favourites" },
	{ QF_IS, "unread", "", QFLAG_UNREAD, "papers not marked read" },
	{ QF_IS, "read", "", QFLAG_READ, "papers marked read" },
	{ QF_IS, "new", "", QFLAG_NEW, "announced new by arXiv (the day's or source's listing, "
	  "else the latest)" },
	{ QF_IS, "cross", "crosslist cross-list", QFLAG_CROSS,
	  "cross-listed from another archive (also a replaced cross-list)" },
	{ QF_IS, "replaced", "replace replacement", QFLAG_REPLACED,
	  "a new version of an older paper (also a replaced cross-list)" },
	{ QF_IS, "hidden", "", QFLAG_HIDDEN, "papers hidden with x (left out of everything else)" },
	{ QF_IS, "watched", "watch", QFLAG_WATCHED,
	  "papers a watch marks (lectern watch: an author, words, a category)" },
	{ QF_HAS, "note", "notes", QFLAG_NOTE, "papers with a note" },
	{ QF_HAS, "tags", "tag", QFLAG_TAGS, "papers with tags" },
};
const size_t query_n_flags = sizeof query_flags / sizeof query_flags[0];

bool query_is_text(enum query_field f)
{
	return f <= QF_CAT;
}

/* name is one of the space-separated words of list. */
static bool in_list(const char *list, const char *name, size_t n)
{
	for (const char *w = list; *w;) {
		size_t k = strcspn(w, " ");
		if (k == n && !strncasecmp(w, name, n))
			return true;
		w += k;
		w += strspn(w, " ");
	}
	return false;
}

static const struct query_field_info *field_of(const char *name, size_t n)
{
	for (size_t i = 0; i < query_n_fields; i++)
		if ((strlen(query_fields[i].name) == n && !strncasecmp(query_fields[i].name, name, n)) ||
		    in_list(query_fields[i].aliases, name, n))
			return &query_fields[i];
	return NULL;
}

/* ---- nodes ----------------------------------------------------------------------------------- */

void query_free(struct query_node *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->n_kid; i++)
		query_free(n->kid[i]);
	free(n->kid);
	free(n->text);
	free(n);
}

static struct query_node *node_new(enum query_op op, size_t pos)
{
	struct query_node *n = xcalloc(1, sizeof *n);
	n->op = op;
	n->pos = pos;
	return n;
}

/* Appends kid to n, taking a kid of the same operator apart ((a b) c is a b c). */
static void node_add(struct query_node *n, struct query_node *kid)
{
	if (kid->op == n->op && n->op != QOP_NOT) {
		for (size_t i = 0; i < kid->n_kid; i++)
			node_add(n, kid->kid[i]);
		kid->n_kid = 0;
		query_free(kid);
		return;
	}
	n->kid = xreallocarray(n->kid, n->n_kid + 1, sizeof *n->kid);
	n->kid[n->n_kid++] = kid;
}

/* ---- the parser ------------------------------------------------------------------------------ */

struct parser {
	const char *s;
	size_t i;
	int depth;           /* open parentheses */
	struct lerr *e;
};

static int usage(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int usage(struct parser *p, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	lerr_set(p->e, LERR_USAGE, 0, "search: %s", msg);
	return -1;
}

/* True when the tokenizer will find at least one token (letters, digits or non-ASCII). */
static bool has_word(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (isalnum((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80)
			return true;
	return false;
}

static void skip_space(struct parser *p)
{
	while (isspace((unsigned char)p->s[p->i]))
		p->i++;
}

/* Where an unquoted word ends: a space, or a ')' that closes an open group. */
static bool word_end(const struct parser *p, size_t i)
{
	char c = p->s[i];
	return !c || isspace((unsigned char)c) || (c == ')' && p->depth > 0);
}

enum kw { KW_NONE, KW_AND, KW_OR, KW_NOT, KW_ANDNOT };

/* The operator keyword at the current position (upper case, a whole word), or KW_NONE. */
static enum kw keyword(const struct parser *p)
{
	static const struct { const char *w; enum kw k; } kws[] = {
		{ "AND", KW_AND }, { "OR", KW_OR }, { "NOT", KW_NOT }, { "ANDNOT", KW_ANDNOT },
	};
	for (size_t k = 0; k < sizeof kws / sizeof kws[0]; k++) {
		size_t n = strlen(kws[k].w);
		if (!strncmp(p->s + p->i, kws[k].w, n) &&
		    (word_end(p, p->i + n) || p->s[p->i + n] == '('))
			return kws[k].k;
	}
	return KW_NONE;
}

/* The id a term names (`2405.12090v3`, `arXiv:2405.12090`, an abs URL with or without its
 * scheme) into id (n >= 64); false when it is none. */
static bool term_id(const char *t, char *id, size_t n)
{
	if (paper_parse_arxiv_id(t, id, n, NULL) == 0)
		return true;
	if (strncasecmp(t, "arxiv.org/", 10) && strncasecmp(t, "www.arxiv.org/", 14))
		return false;
	char *url = xasprintf("https://%s", t);
	bool ok = paper_parse_arxiv_id(url, id, n, NULL) == 0;
	free(url);
	return ok;
}

static int leaf_flag(struct parser *p, struct query_node *n, const struct query_field_info *f)
{
	for (size_t i = 0; i < query_n_flags; i++)
		if (query_flags[i].field == f->field &&
		    (!strcasecmp(query_flags[i].name, n->text) ||
		     in_list(query_flags[i].aliases, n->text, strlen(n->text)))) {
			n->flag = query_flags[i].flag;
			return 0;
		}
	return f->field == QF_IS ? usage(p, "is:%s: unknown (use is:fav, is:read, is:unread, is:new, "
	                                       "is:cross or is:replaced)", n->text)
	                         : usage(p, "has:%s: unknown (use has:note or has:tags)", n->text);
}

static int leaf_category(struct parser *p, const char *v)
{
	size_t n = strlen(v);
	if (strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_") != n)
		return usage(p, "cat:%s: not a category (e.g. cat:cs.LG or cat:hep-th)", v);
	if (n >= 79)
		return usage(p, "cat:%s: too long for a category", v);
	return 0;
}

static int leaf_tag(struct parser *p, struct query_node *n)
{
	const char *v = n->text;
	while (*v == '#')
		v++;
	if (!*v || strpbrk(v, " \t,"))
		return usage(p, "tag:%s: expects one tag name (e.g. tag:to-read)", v);
	char *t = xstrdup(v);
	for (char *c = t; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	free(n->text);
	n->text = t;
	return 0;
}

/* Fills a leaf from one term already split off. *out stays NULL for a term with nothing to
 * search (punctuation). neg: written with '-' (dates refuse it, as before OR existed). */
static int leaf_make(struct parser *p, bool neg, const char *field, size_t flen, const char *val,
                     size_t vlen, bool quoted, bool prefix, struct query_node *n)
{
	const struct query_field_info *f = field ? field_of(field, flen) : NULL;
	n->quoted = quoted;
	n->prefix = prefix;
	if (f && vlen == 0 && !(prefix && f->field <= QF_ORG))   /* `ti:*`: see below */
		return usage(p, "%s: needs a value (e.g. au:hinton, cat:cs.LG, after:2025-01-01)",
		             f->name);
	if ((!quoted && !prefix && (!f || f->field == QF_ID)) || (f && f->field == QF_ID)) {
		char id[64];
		char *raw = field && !f ? xasprintf("%.*s:%.*s", (int)flen, field, (int)vlen, val)
		                        : xstrndup(val, vlen);
		bool ok = !prefix && term_id(raw, id, sizeof id);
		int r = 0;
		if (ok) {
			n->field = QF_ID;
			n->text = xstrdup(id);
		} else if (f) {
			r = usage(p, "id:%s%s: not an arXiv id (e.g. id:2405.12090 or id:hep-th/9901001)",
			          raw, prefix ? "*" : "");
		}
		free(raw);
		if (ok || r)
			return r;
	}
	n->field = f ? f->field : QF_TEXT;
	n->text = field && !f ? xasprintf("%.*s:%.*s", (int)flen, field, (int)vlen, val)
	                      : xstrndup(val, vlen);
	switch (n->field) {
	case QF_TEXT: case QF_TI: case QF_ABS: case QF_AU: case QF_ORG:
		if (prefix && vlen < 2)
			return usage(p, "%s*: a prefix needs at least two letters before the '*' (e.g. "
			             "gen*)", n->text);
		return 0;
	case QF_CAT:
		return leaf_category(p, n->text);
	case QF_IS:
	case QF_HAS:
		return leaf_flag(p, n, f);
	case QF_TAG:
		return leaf_tag(p, n);
	case QF_ID:
		return 0;
	case QF_AFTER: case QF_BEFORE: case QF_SINCE: case QF_UNTIL: case QF_DATE:
		if (neg)
			return usage(p, "-%s: dates cannot be excluded; use before: and after:", f->name);
		if (util_parse_period(n->text, &n->lo, &n->hi) < 0)
			return usage(p, "%s: expects a date like 2025-01-31, 2025-01, 2025, today, "
			             "yesterday or -7 (days ago)", f->name);
		return 0;
	}
	return 0;
}

/* One term at p->i: [field:](word|"phrase")[*]. *out NULL when it has nothing to search. */
static int parse_term(struct parser *p, bool neg, struct query_node **out)
{
	const char *s = p->s + p->i, *start = s;
	*out = NULL;
	const char *field = NULL, *val;
	size_t flen = 0, vlen;
	bool quoted = false, prefix = false;
	const char *t = s;
	while (isalpha((unsigned char)*t))
		t++;
	if (t > s && *t == ':') {
		field = s;
		flen = (size_t)(t - s);
		s = t + 1;
	}
	if (*s == '"') {
		const char *close = strchr(s + 1, '"');
		if (!close)
			return usage(p, "%s: unclosed quote; phrases look like \"neural network\"", s);
		val = s + 1;
		vlen = (size_t)(close - val);
		quoted = true;
		s = close + 1;
		for (; *s == '*'; s++)
			prefix = true;
		/* Glued text after a phrase ("ab"cd) starts the next term. */
	} else {
		val = s;
		while (!word_end(p, (size_t)(s - p->s)))
			s++;
		vlen = (size_t)(s - val);
		/* `f(x)` is a word; `word)` with no group open is a mistake */
		if (vlen && val[vlen - 1] == ')' && !memchr(val, '(', vlen))
			return usage(p, "unbalanced ')' at %zu", (size_t)(s - p->s));
		for (; vlen && val[vlen - 1] == '*'; vlen--)
			prefix = true;
	}
	p->i = (size_t)(s - p->s);
	struct query_node *n = node_new(QOP_LEAF, (size_t)(start - p->s));
	n->len = (size_t)(s - start);
	if (leaf_make(p, neg, field, flen, val, vlen, quoted, prefix, n) < 0) {
		query_free(n);
		return -1;
	}
	if (query_is_text(n->field) && n->field != QF_CAT && !has_word(n->text, strlen(n->text))) {
		query_free(n);   /* nothing the tokenizer would index: no condition */
		return 0;
	}
	*out = n;
	return 0;
}

static int parse_or(struct parser *p, struct query_node **out);

static struct query_node *negate(struct query_node *kid, size_t pos)
{
	struct query_node *n = node_new(QOP_NOT, pos);
	n->len = kid->pos + kid->len - pos;
	node_add(n, kid);
	return n;
}

/* all op n (all may be NULL: n alone), extending an `op` node rather than nesting one. */
static struct query_node *join(enum query_op op, struct query_node *all, struct query_node *n)
{
	if (!all)
		return n;
	if (all->op != op) {
		struct query_node *a = node_new(op, all->pos);
		node_add(a, all);
		all = a;
	}
	size_t end = n->pos + n->len;   /* (node_add may free n: it takes an `op` node apart) */
	node_add(all, n);
	all->len = end - all->pos;
	return all;
}

/* NOT x | -x | ( or ) | term. */
static int parse_unary(struct parser *p, struct query_node **out)
{
	*out = NULL;
	skip_space(p);
	size_t at = p->i;
	const char *s = p->s + at;
	if (keyword(p) == KW_NOT) {
		p->i += 3;
		if (parse_unary(p, out) < 0)
			return -1;
		if (!*out)
			return usage(p, "NOT needs a term after it at %zu", at + 1);
		*out = negate(*out, at);
		return 0;
	}
	if (*s == '-' && s[1] && !isspace((unsigned char)s[1])) {
		p->i++;
		struct query_node *kid;
		if (s[1] == '(' ? parse_unary(p, &kid) : parse_term(p, true, &kid))
			return -1;
		if (kid)
			*out = negate(kid, at);
		return 0;
	}
	if (*s == '(') {
		p->i++;
		p->depth++;
		if (parse_or(p, out) < 0)
			return -1;
		skip_space(p);
		if (p->s[p->i] != ')') {
			query_free(*out);
			*out = NULL;
			return usage(p, "unbalanced '(' at %zu", at + 1);
		}
		p->i++;
		p->depth--;
		if (!*out)
			return usage(p, "nothing inside the parentheses at %zu", at + 1);
		(*out)->pos = at;   /* the group's extent, for messages */
		(*out)->len = p->i - at;
		return 0;
	}
	return parse_term(p, false, out);
}

/* unary ([AND] unary)* up to OR, ')' or the end. */
static int parse_and(struct parser *p, struct query_node **out)
{
	struct query_node *all = NULL;
	*out = NULL;
	for (;;) {
		skip_space(p);
		size_t at = p->i;
		char c = p->s[at];
		if (!c || (c == ')' && p->depth > 0) || keyword(p) == KW_OR)
			break;
		if (c == ')') {
			query_free(all);
			return usage(p, "unbalanced ')' at %zu", at + 1);
		}
		enum kw k = keyword(p);
		bool not = false;
		if (k == KW_AND || k == KW_ANDNOT) {
			p->i += k == KW_AND ? 3 : 6;
			not = k == KW_ANDNOT;
			skip_space(p);
			c = p->s[p->i];
			if (!all || !c || c == ')' || keyword(p) == KW_OR || keyword(p) == KW_AND) {
				query_free(all);
				return usage(p, "%s needs a term on each side at %zu", not ? "ANDNOT" : "AND",
				             at + 1);
			}
		}
		struct query_node *n;
		if (parse_unary(p, &n) < 0) {
			query_free(all);
			return -1;
		}
		if (!n)
			continue;
		if (not)
			n = negate(n, at);
		all = join(QOP_AND, all, n);
	}
	*out = all;
	return 0;
}

/* and (OR and)*. */
static int parse_or(struct parser *p, struct query_node **out)
{
	struct query_node *all = NULL;
	*out = NULL;
	for (;;) {
		struct query_node *n;
		size_t at = p->i;
		if (parse_and(p, &n) < 0) {
			query_free(all);
			return -1;
		}
		skip_space(p);
		bool more = keyword(p) == KW_OR;
		if (!n && (all || more)) {
			query_free(all);
			return usage(p, "OR needs a term on each side at %zu", (more ? p->i : at) + 1);
		}
		all = join(QOP_OR, all, n);
		if (!more)
			break;
		p->i += 2;
	}
	*out = all;
	return 0;
}

int query_parse(const char *s, struct query_node **out, struct lerr *e)
{
	struct parser p = { .s = s ? s : "", .e = e };
	*out = NULL;
	if (parse_or(&p, out) < 0)
		return -1;
	skip_space(&p);
	if (p.s[p.i]) {   /* only a stray ')' stops parse_or early */
		query_free(*out);
		*out = NULL;
		return usage(&p, "unbalanced ')' at %zu", p.i + 1);
	}
	return 0;
}

/* ---- typing ---------------------------------------------------------------------------------- */

static bool is_operator(const char *w, size_t n)
{
	static const char *const ops[] = { "AND", "OR", "NOT", "ANDNOT" };
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if (strlen(ops[i]) == n && !strncmp(w, ops[i], n))
			return true;
	return false;
}

char *query_typing(const char *text)
{
	const char *t = text ? text : "";
	size_t n = strlen(t), end = n;
	while (end && t[end - 1] == ' ')
		end--;
	size_t w = end;
	while (w && t[w - 1] != ' ' && t[w - 1] != '(')
		w--;
	/* an operator being typed waits for its right-hand side ("neural OR" runs as "neural") */
	if (w < end && is_operator(t + w, end - w))
		n = w;
	struct sbuf b = {0};
	sbuf_add(&b, t, n);
	w = n;
	while (w && t[w - 1] != ' ' && t[w - 1] != '(')
		w--;
	static const char alnum[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	/* (a one-letter prefix would match nearly everything: the store refuses it) */
	bool quotes = memchr(t, '"', n) != NULL;
	if (n - w >= 2 && strspn(t + w, alnum) >= n - w && !quotes)
		sbuf_addc(&b, '*');
	/* groups still open are closed, so that "(neural OR gen" already runs */
	long open = 0;
	for (size_t i = 0; i < n && !quotes; i++)
		open += t[i] == '(' ? 1 : t[i] == ')' && open > 0 ? -1 : 0;
	while (open-- > 0)
		sbuf_addc(&b, ')');
	return sbuf_steal(&b);
}

/* ---- help ------------------------------------------------------------------------------------ */

/* The words of list as pre-word-suf, separated by sep ("a b" -> "a:, b:"). */
static void put_names(struct sbuf *b, const char *list, const char *pre, const char *sep,
                      const char *suf)
{
	for (const char *w = list; *w;) {
		size_t k = strcspn(w, " ");
		sbuf_printf(b, "%s%s%.*s%s", w == list ? "" : sep, pre, (int)k, w, suf);
		w += k;
		w += strspn(w, " ");
	}
}

void query_help_text(struct sbuf *b, int indent)
{
	const int w = 22;
	sbuf_printf(b, "%*s%-*s%s\n", indent, "", w, "word \"phrase\" pre*",
	            "words anywhere; a prefix needs two letters");
	sbuf_printf(b, "%*s%-*s%s\n", indent, "", w, "a b, a OR b",
	            "both (AND may be written), either");
	sbuf_printf(b, "%*s%-*s%s\n", indent, "", w, "-a, NOT a, ( )",
	            "without; grouping (NOT binds tighter than AND, AND than OR)");
	for (size_t i = 0; i < query_n_fields; i++) {
		const struct query_field_info *f = &query_fields[i];
		char lhs[64];
		snprintf(lhs, sizeof lhs, "%s:%s", f->name, f->value);
		sbuf_printf(b, "%*s%-*s%s", indent, "", w, lhs, f->help);
		if (*f->aliases) {
			sbuf_adds(b, " (also ");
			put_names(b, f->aliases, "", " ", ":");
			sbuf_addc(b, ')');
		}
		sbuf_addc(b, '\n');
	}
	for (size_t i = 0; i < query_n_flags; i++) {
		const struct query_flag_info *f = &query_flags[i];
		char lhs[64];
		snprintf(lhs, sizeof lhs, "%s:%s", f->field == QF_IS ? "is" : "has", f->name);
		sbuf_printf(b, "%*s%-*s%s\n", indent, "", w, lhs, f->help);
	}
}

void query_help_mdoc(struct sbuf *b)
{
	sbuf_adds(b, ".Bl -tag -width Ds\n");
	for (size_t i = 0; i < query_n_fields; i++) {
		const struct query_field_info *f = &query_fields[i];
		sbuf_printf(b, ".It Cm %s\\&: Ns Ar %s\n%c%s", f->name, f->value,
		            toupper((unsigned char)f->help[0]), f->help + 1);
		if (*f->aliases) {
			sbuf_adds(b, ";\nalso\n.Cm ");
			put_names(b, f->aliases, "", " , ", "\\&:");
			sbuf_adds(b, " .\n");
		} else {
			sbuf_adds(b, ".\n");
		}
	}
	for (size_t i = 0; i < query_n_flags; i++) {
		const struct query_flag_info *f = &query_flags[i];
		const char *fn = f->field == QF_IS ? "is" : "has";
		sbuf_printf(b, ".It Cm %s\\&:%s\n%c%s", fn, f->name, toupper((unsigned char)f->help[0]),
		            f->help + 1);
		if (*f->aliases) {
			sbuf_printf(b, ";\nalso\n.Cm ");
			char pre[8];
			snprintf(pre, sizeof pre, "%s\\&:", fn);
			put_names(b, f->aliases, pre, " , ", "");
			sbuf_adds(b, " .\n");
		} else {
			sbuf_adds(b, ".\n");
		}
	}
	sbuf_adds(b, ".El\n");
}

void query_help_line(struct sbuf *b)
{
	sbuf_adds(b, "words \"phrases\" pre* OR -word ( )");
	/* the text fields, then the flags, then the rest: what a narrow status line keeps first */
	for (size_t i = 0; i < query_n_fields; i++)
		if (query_fields[i].field > QF_TEXT && query_fields[i].field <= QF_CAT)
			sbuf_printf(b, " %s:", query_fields[i].name);
	for (size_t i = 0; i < query_n_flags; i++)
		sbuf_printf(b, " %s:%s", query_flags[i].field == QF_IS ? "is" : "has", query_flags[i].name);
	for (size_t i = 0; i < query_n_fields; i++)
		if (query_fields[i].field > QF_HAS)
			sbuf_printf(b, " %s:", query_fields[i].name);
}
