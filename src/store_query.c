/* store_query — the search language compiled to SQL, and the SQL for every list view. The top
 * of the store: it calls store.c for statements and papers; store.c never calls it.
 *
 * The user's query, parsed by query_parse() (query.h), is compiled here into (a) an FTS5 MATCH
 * expression in which every user term is a quoted string (so user text can never be FTS5
 * syntax) and (b) SQL conditions whose values are bound parameters. SQL text is assembled only
 * from the fixed fragments below.
 *
 * Orders (pk is the date-ordered rowid, see store_int.h):
 *   date       exact; an index walk of whichever table drives the view (papers, the FTS
 *              doclists, sourced, or the favourites), newest first.
 *   upvotes    exact index walk for the whole cache or one HF day without a query; otherwise
 *              the newest STORE_CANDIDATES rows of the view, ordered by upvotes.
 *   relevance  lectern_rank() (BM25-like term saturation over title x4, authors and
 *              organisation x2, abstract and AI summary x1; no IDF because every candidate
 *              contains every term) over the newest STORE_CANDIDATES matches (STORE_PFX_
 *              CANDIDATES when the query has a long prefix) plus the newest
 *              STORE_TITLE_CANDIDATES (STORE_PFX_TITLE_CANDIDATES) matches of the query in the title, authors or
 *              organisation, read from the title index papers_tfts (schema v13): a paper
 *              found by its own title words is ranked whatever its age, while `model` or
 *              `gen*` stays bounded. store_bound() tells whether matches were left out (the
 *              reader's header says so); rank_all (the CLI's --limit 0) scores every match.
 *              The window is cut from the scored candidates before their papers are read.
 */
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "lectern/query.h"
#include "store_int.h"


/* ---- the search syntax, compiled ------------------------------------------------------------
 * query_parse() (query.c) gives the tree. The common shape — an AND of terms, some negated — is
 * compiled as before OR existed: the positive FTS terms become one MATCH that drives the query
 * (FTS5 walks its doclists in rowid order, which is date order), the rest become conditions on
 * the row. A part of the AND that is an OR or a NOT of a group becomes one more FTS5 group when
 * it only holds text terms (FTS5 has AND, OR, NOT and parentheses), and otherwise one SQL
 * predicate over the paper `p` (struct squery.where), in which a text part is
 * `p.pk IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?)`. User text is always a
 * quoted FTS5 string inside a bound parameter, never SQL. */

enum { SQUERY_MAX_IDS = 8, SQUERY_MAX_TAGS = 8, SQUERY_MAX_OR_DATES = 4 };

/* A long prefix (`model*`) rewritten to its indexed 3-letter prefix (`mod*`) plus an exact
 * check of the matched tokens (lectern_pfx() in store_fts.c). */
enum { SQUERY_MAX_PFX = 4, PFX_INDEXED = 3, PFX_MAX = STORE_TERM_PFX_MAX };
/* A long prefix with up to SQUERY_MAX_TERMS words is searched as their OR (their doclists read
 * lazily); with more, by the rewrite or the plain prefix query. SQUERY_MAX_MAP: phrases of such
 * a MATCH (lectern_rank's argument). */
enum { SQUERY_MAX_TERMS = 48, SQUERY_MAX_MAP = 240 };
struct squery_pfx {
	int phrase;                   /* index of the phrase in the positive MATCH expression */
	char text[PFX_MAX + 1];       /* the whole prefix, folded as the tokenizer folds it */
};

/* A value bound to a '?' of squery.where (owned). */
struct wbind {
	char *s;                      /* text, or NULL for i */
	int64_t i;
};

struct squery {
	struct sbuf pos;          /* FTS5: positive terms joined by AND */
	struct sbuf pos_short;    /* the same with long prefixes cut to PFX_INDEXED letters */
	struct squery_pfx pfx[SQUERY_MAX_PFX];
	int n_pfx;
	int n_phrases;            /* phrases in pos so far */
	/* The same with each long prefix as the OR of its words (fts_terms, store_terms.c), and
	 * for each of its phrases the phrase of pos it stands for (lectern_rank's groups). Used
	 * when every long prefix could be listed (!terms_bad). */
	struct sbuf pos_terms;
	char map[SQUERY_MAX_MAP + 1];   /* 'A' + phrase; 'A' + STORE_RANK_MAX_PHRASES: unscored */
	int n_map;
	bool terms_bad;
	bool wide;                /* a positive term may match outside the title, authors and
	                           * organisation (else the title index answers the whole MATCH) */
	/* Prefixes that their words do not answer (more than SQUERY_MAX_TERMS words, or not
	 * ASCII; papers_fts has no prefix index, schema 16). First try (!exact): each in
	 * the title index's columns of its own (narrowed, the first one's text kept for the note)
	 * — right when the title index runs the whole search (plan_make). Else (exact) each is
	 * checked by lectern_has_prefix() on the rows the rest of the search finds, in all its
	 * columns; n_checked counts the positive ones. */
	bool exact;
	int n_words;              /* prefixes searched as their words (pos_terms) */
	int n_narrowed, n_checked, n_checks;   /* (n_checks: with the excluded ones) */
	bool narrow_none;         /* a prefix with none of the title index's columns (abs:tr*) */
	bool where_other;         /* `where` holds more than such checks */
	char narrowed[PFX_MAX + 1];
	struct sbuf neg;          /* FTS5: excluded terms joined by OR */
	int fav;                  /* 1 only favourites, -1 no favourites, 0 either */
	int read;                 /* 1 only read, -1 only unread, 0 either */
	int64_t lo, hi;           /* publication time range [lo, hi); hi 0 = open */
	bool empty_range;
	char *ids[SQUERY_MAX_IDS];    /* arXiv ids the paper must have (bare, no version) */
	char *xids[SQUERY_MAX_IDS];   /* arXiv ids excluded */
	size_t n_ids, n_xids;
	/* tag:NAME, -tag:NAME as " name " (lower case, between spaces: see user_conds) */
	char *tags[SQUERY_MAX_TAGS], *xtags[SQUERY_MAX_TAGS];
	size_t n_tags, n_xtags;
	int note, has_tags;       /* has:note, has:tags: 1 with, -1 without, 0 either */
	int hidden;               /* is:hidden 1, -is:hidden -1, 0 not said at the top */
	bool hidden_named;        /* is:hidden inside an OR/NOT: hidden papers are not left out */
	struct sbuf where;        /* SQL over `p` for the parts with OR / NOT of a group */
	const struct store_view *v;   /* the view: is:new & co. read its listing (borrowed) */
	struct store *s;          /* is:watched compiles the store's watches */
	struct wbind *wb;         /* its parameters, in order */
	size_t n_wb;
	/* A top-level OR of text, dates and prefixes of many words (`neural OR date:2025`, `neural
	 * OR gen*`), kept also as its arms for the merged walk (D_MERGE) when it is the whole of
	 * `where`: or_match the text kids as one FTS5 OR (empty if none), then a walk of the papers
	 * for each other kid: or_lo/or_hi a date's pk range (0: open), or or_pfx a prefix checked
	 * on every paper (lectern_has_prefix in the columns or_mask; "" for a date). */
	struct sbuf or_match;
	int64_t or_lo[SQUERY_MAX_OR_DATES], or_hi[SQUERY_MAX_OR_DATES];
	char or_pfx[SQUERY_MAX_OR_DATES][PFX_MAX + 1];
	int or_mask[SQUERY_MAX_OR_DATES];
	int n_or_dates;
	size_t or_end;            /* where.len right after the OR (0: no such OR) */
};

static void squery_free(struct squery *q)
{
	sbuf_free(&q->pos);
	sbuf_free(&q->pos_short);
	sbuf_free(&q->pos_terms);
	sbuf_free(&q->neg);
	sbuf_free(&q->where);
	sbuf_free(&q->or_match);
	for (size_t i = 0; i < q->n_ids; i++)
		free(q->ids[i]);
	for (size_t i = 0; i < q->n_xids; i++)
		free(q->xids[i]);
	for (size_t i = 0; i < q->n_tags; i++)
		free(q->tags[i]);
	for (size_t i = 0; i < q->n_xtags; i++)
		free(q->xtags[i]);
	for (size_t i = 0; i < q->n_wb; i++)
		free(q->wb[i].s);
	free(q->wb);
	memset(q, 0, sizeof *q);
}

static void put_phrase(struct sbuf *b, const char *joiner, const char *col, const char *s,
                       size_t n, bool prefix)
{
	if (b->len)
		sbuf_adds(b, joiner);
	if (col)
		sbuf_printf(b, "%s : ", col);
	sbuf_addc(b, '"');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			sbuf_addc(b, '"');
		sbuf_addc(b, s[i]);
	}
	sbuf_addc(b, '"');
	if (prefix)
		sbuf_adds(b, " *");
}

/* A prefix the tokenizer keeps as one token, folded by lower-casing: ASCII letters and digits
 * (unicode61 folds those exactly so; other text keeps the plain prefix query), of at least
 * `min` bytes: listable (its words) from 2, rewritable (cut to its indexed 3 letters) from 4. */
static bool pfx_ascii(const char *s, size_t n, size_t min)
{
	if (n < min || n > PFX_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80)
			return false;
	return true;
}

static char map_of(int phrase)
{
	return (char)('A' + (phrase < STORE_RANK_MAX_PHRASES ? phrase : STORE_RANK_MAX_PHRASES));
}

/* The next n phrases of pos (about to be counted in n_phrases) are pos_terms' next n. */
static void map_same(struct squery *q, int n)
{
	for (int i = 0; i < n; i++) {
		if (q->n_map == SQUERY_MAX_MAP) {
			q->terms_bad = true;
			return;
		}
		q->map[q->n_map++] = map_of(q->n_phrases + i);
	}
}

/* The long prefix pfx (folded, n bytes) into pos_terms as `col : ("w1" OR "w2" ...)`, the
 * index's words that start with it, all mapped to the phrase it is in pos. With no such word
 * the prefix itself as a word: it is not one of the index's either, so it matches nothing.
 * False (nothing written) when they cannot be listed or are more than SQUERY_MAX_TERMS. */
static bool put_words(struct squery *q, const char *col, const char *pfx, size_t n)
{
	struct store_terms w = {0};
	if (!q->s || store_terms_prefix(q->s, pfx, n, SQUERY_MAX_TERMS, &w) != SQLITE_OK ||
	    w.more || q->n_map + (int)(w.n ? w.n : 1) > SQUERY_MAX_MAP) {
		store_terms_clear(&w);
		return false;
	}
	struct sbuf or = {0};
	for (size_t i = 0; i < (w.n ? w.n : 1); i++) {
		const char *t = w.n ? w.v[i] : pfx;
		put_phrase(&or, " OR ", NULL, t, w.n ? strlen(t) : n, false);
		q->map[q->n_map++] = map_of(q->n_phrases);
	}
	sbuf_printf(&q->pos_terms, "%s%s : (%s)", q->pos_terms.len ? " AND " : "", col, or.s);
	sbuf_free(&or);
	store_terms_clear(&w);
	return true;
}

/* The bits of papers_fts's columns named in a column filter (text_cols), 1 << column. */
enum { COL_TITLE = 1, COL_ABSTRACT = 2, COL_AUTHORS = 4, COL_ORG = 16, COL_AI = 32,
       COL_TINDEX = COL_TITLE | COL_AUTHORS | COL_ORG };
static int col_mask(const char *col)
{
	static const struct { const char *name; int bit; } c[] = {
		{ "title", COL_TITLE }, { "abstract", COL_ABSTRACT }, { "authors", COL_AUTHORS },
		{ "organization", COL_ORG }, { "ai_summary", COL_AI } };
	int m = 0;
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
		m |= strstr(col, c[i].name) ? c[i].bit : 0;
	return m;
}

/* A column filter of the title index's columns in mask. */
static const char *tindex_cols(int mask)
{
	static const char *const f[8] = { "", "title", "authors", "{title authors}", "organization",
		"{title organization}", "{authors organization}", "{title authors organization}" };
	return f[(mask & COL_TITLE ? 1 : 0) | (mask & COL_AUTHORS ? 2 : 0) | (mask & COL_ORG ? 4 : 0)];
}

struct one_tok {
	char *out;
	size_t n;
	int count;
};

static int one_tok(void *ctx, const char *t, size_t n)
{
	struct one_tok *o = ctx;
	if (o->count++ == 0 && n <= PFX_MAX) {
		memcpy(o->out, t, n);
		o->n = n;
	}
	return o->count > 1;
}

/* The prefix s (n bytes) folded as the index folds it into out (PFX_MAX + 1 bytes): its length,
 * or 0 when it is not one token of at most PFX_MAX bytes (then FTS5 searches it as it is). */
static size_t fold_prefix(struct squery *q, const char *s, size_t n, char *out)
{
	struct one_tok o = { out, 0, 0 };
	if (!q->s || n > 4 * PFX_MAX || store_tokenize(q->s, s, n, one_tok, &o) < 0 || o.count != 1)
		return 0;
	out[o.n] = 0;
	return o.n;
}

static void wbind_add(struct squery *q, char *s, int64_t i);

/* A prefix (the bound text) checked on the paper `p` in the columns of a mask (the %d). */
#define HAS_PREFIX_SQL \
	"lectern_has_prefix(?, %d, p.title, p.abstract, p.authors, p.organization, p.ai_summary)"

/* The prefix f (folded) checked on the row: lectern_has_prefix() in the columns of mask. */
static void put_has_prefix(struct squery *q, const char *f, int mask)
{
	sbuf_printf(&q->where, HAS_PREFIX_SQL, mask);
	wbind_add(q, xstrdup(f), 0);
}

static void put_check(struct squery *q, bool neg, const char *f, int mask)
{
	sbuf_adds(&q->where, q->where.len ? " AND " : "");
	sbuf_adds(&q->where, neg ? "NOT " : "");
	put_has_prefix(q, f, mask);
	q->n_checked += !neg;
	q->n_checks++;
}

/* Appends one FTS5 phrase (optional column filter, the text as a quoted string, optional '*')
 * to the excluded or the positive terms; positives also go to pos_short, where a long prefix
 * is cut to its indexed length and recorded for the exact check. A prefix its words do not
 * answer is narrowed or checked on the row (see squery.exact). */
static void add_phrase(struct squery *q, bool neg, const char *col, const char *s, size_t n,
                       bool prefix)
{
	char f[PFX_MAX + 1];
	size_t fn = prefix ? fold_prefix(q, s, n, f) : 0;
	if (neg) {
		if (fn)
			put_check(q, true, f, col_mask(col));
		else
			put_phrase(&q->neg, " OR ", col, s, n, prefix);
		return;
	}
	bool listable = prefix && q->n_pfx < SQUERY_MAX_PFX && q->n_phrases < STORE_RANK_MAX_PHRASES &&
	                pfx_ascii(s, n, STORE_TERM_MIN);
	bool long_pfx = listable && pfx_ascii(s, n, PFX_INDEXED + 1);
	bool words = listable && put_words(q, col, f, fn);
	q->n_words += words;
	if (fn && !words) {
		int mask = col_mask(col);
		if (q->exact || !(mask & COL_TINDEX)) {
			q->narrow_none |= !(mask & COL_TINDEX);
			put_check(q, false, f, mask);
			return;
		}
		if (!q->n_narrowed++)
			memcpy(q->narrowed, f, fn + 1);
		col = tindex_cols(mask);
		s = f;
		n = fn;
		q->terms_bad |= long_pfx;   /* the title index's rewrite (pos_short) searches it */
	} else if (strcmp(col, "title") && strcmp(col, "authors") && strcmp(col, "organization")) {
		q->wide = true;
	}
	put_phrase(&q->pos, " AND ", col, s, n, prefix);
	if (long_pfx) {
		struct squery_pfx *x = &q->pfx[q->n_pfx++];
		x->phrase = q->n_phrases;
		memcpy(x->text, f, fn + 1);
		put_phrase(&q->pos_short, " AND ", col, x->text, PFX_INDEXED, true);
	} else {
		put_phrase(&q->pos_short, " AND ", col, s, n, prefix);
	}
	if (!words) {
		put_phrase(&q->pos_terms, " AND ", col, s, n, prefix);
		map_same(q, 1);
	}
	q->n_phrases++;
}

/* The FTS5 column filter of a text field. Words without a field search the text columns, not
 * the category tokens (`he*` must not find every hep-th paper through its token hep1th); abs:
 * also searches the AI summary (Hugging Face's short abstract). */
static const char *text_cols(enum query_field f)
{
	switch (f) {
	case QF_TI: return "title";
	case QF_ABS: return "{abstract ai_summary}";
	case QF_AU: return "authors";
	case QF_ORG: return "organization";
	default: return "{title abstract authors organization ai_summary}";
	}
}

/* cat:X as FTS: the `cats` column holds each category as one token, and each archive of a
 * category with a subject (lectern_cats(), schema 16): cat:cs.LG is the token cs0lg, cat:cs
 * (an archive) the token cs. Appends the expression to b; returns its number of phrases. The
 * value was checked by the parser (letters, digits, . - _; short). */
static int put_category(struct sbuf *b, const char *v)
{
	struct sbuf t = {0};
	store_cat_token(&t, v, strlen(v));
	sbuf_printf(b, "cats : \"%s\"", t.s ? t.s : "");
	sbuf_free(&t);
	return 1;
}

static void add_category(struct squery *q, bool neg, const char *v)
{
	for (int k = 0; k < (neg ? 1 : 3); k++) {
		struct sbuf *b = neg ? &q->neg : k == 2 ? &q->pos_terms : k ? &q->pos_short : &q->pos;
		q->wide |= !neg;
		if (b->len)
			sbuf_adds(b, neg ? " OR " : " AND ");
		int n = put_category(b, v);
		if (k == 2) {   /* (only for positives) */
			map_same(q, n);
			q->n_phrases += n;
		}
	}
}

/* The store's date range of a date leaf: [*lo, *hi), 0 open. A day, month or year X:
 * after:X and before:X leave X out, since:X and until:X take it in, date:X is X (store.h). */
static void date_range(const struct query_node *n, int64_t *lo, int64_t *hi)
{
	*lo = n->field == QF_AFTER ? n->hi : n->field == QF_SINCE || n->field == QF_DATE ? n->lo : 0;
	*hi = n->field == QF_BEFORE ? n->lo : n->field == QF_UNTIL || n->field == QF_DATE ? n->hi : 0;
}

static bool listing_flag(enum query_flag f);
static void put_sql(struct squery *q, const struct query_node *n);

#define WATCHED_SQL "lectern_watched(p.title, p.abstract, p.authors, p.categories)"

/* is:watched at the top of the query: the index finds a superset of the watched papers (FTS
 * drives), lectern_watched() keeps the ones a watch marks; with no watch, nothing. */
static void add_watched(struct squery *q, bool neg)
{
	size_t nw = 0;
	const struct store_wlist *wl = q->s ? store_watch_compiled(q->s, &nw) : NULL;
	if (!nw && neg)
		return;   /* nothing is watched: -is:watched is every paper */
	q->where_other = true;
	sbuf_adds(&q->where, q->where.len ? " AND " : "");
	if (!nw) {
		sbuf_adds(&q->where, "0");
		return;
	}
	if (neg) {
		sbuf_adds(&q->where, "NOT " WATCHED_SQL);
		return;
	}
	sbuf_adds(&q->where, WATCHED_SQL);
	q->wide = true;   /* word watches look into the abstract: never the title index alone */
	sbuf_adds(&q->pos, q->pos.len ? " AND " : "");
	sbuf_adds(&q->pos_short, q->pos_short.len ? " AND " : "");
	sbuf_adds(&q->pos_terms, q->pos_terms.len ? " AND " : "");
	int n = store_watch_fts(wl, &q->pos);
	store_watch_fts(wl, &q->pos_short);
	store_watch_fts(wl, &q->pos_terms);
	map_same(q, n);
	q->n_phrases += n;
}

/* One term of the top-level AND, negated or not. */
static int add_leaf(struct squery *q, bool neg, const struct query_node *n, struct lerr *e)
{
	switch (n->field) {
	case QF_TEXT: case QF_TI: case QF_ABS: case QF_AU: case QF_ORG:
		add_phrase(q, neg, text_cols(n->field), n->text, strlen(n->text), n->prefix);
		return 0;
	case QF_CAT:
		add_category(q, neg, n->text);
		return 0;
	case QF_IS:
		if (listing_flag(n->flag)) {   /* a condition on the row, as inside an OR */
			q->where_other = true;
			sbuf_adds(&q->where, q->where.len ? " AND " : "");
			sbuf_adds(&q->where, neg ? "NOT " : "");
			put_sql(q, n);
			return 0;
		}
		if (n->flag == QFLAG_FAV)
			q->fav = neg ? -1 : 1;
		else if (n->flag == QFLAG_HIDDEN)
			q->hidden = neg ? -1 : 1;
		else if (n->flag == QFLAG_WATCHED)
			add_watched(q, neg);
		else
			q->read = (n->flag == QFLAG_READ) != neg ? 1 : -1;
		return 0;
	case QF_HAS:
		*(n->flag == QFLAG_NOTE ? &q->note : &q->has_tags) = neg ? -1 : 1;
		return 0;
	case QF_TAG:
		if ((neg ? q->n_xtags : q->n_tags) >= SQUERY_MAX_TAGS) {
			lerr_set(e, LERR_USAGE, 0, "search: too many tags in one search (at most %d)",
			         SQUERY_MAX_TAGS);
			return -1;
		}
		*(neg ? &q->xtags[q->n_xtags++] : &q->tags[q->n_tags++]) = xasprintf(" %s ", n->text);
		return 0;
	case QF_ID:
		if ((neg ? q->n_xids : q->n_ids) >= SQUERY_MAX_IDS) {
			lerr_set(e, LERR_USAGE, 0, "search: too many arXiv ids in one search (at most %d)",
			         SQUERY_MAX_IDS);
			return -1;
		}
		*(neg ? &q->xids[q->n_xids++] : &q->ids[q->n_ids++]) = xstrdup(n->text);
		return 0;
	case QF_AFTER: case QF_BEFORE: case QF_SINCE: case QF_UNTIL: case QF_DATE: {
		int64_t lo, hi;   /* (the parser refuses a negated date) */
		date_range(n, &lo, &hi);
		if (lo > q->lo)
			q->lo = lo;
		if (hi && (!q->hi || hi < q->hi))
			q->hi = hi;
		if (q->hi && q->lo >= q->hi)
			q->empty_range = true;
		return 0;
	}
	}
	return 0;
}

/* Whether a subtree is one FTS5 expression: text terms only, with NOT only beside a positive
 * term of an AND (FTS5's NOT is binary: `a NOT b`). */
static bool fts_ok(const struct query_node *n)
{
	size_t pos = 0;
	switch (n->op) {
	case QOP_LEAF:   /* (a prefix: no prefix index, put_sql checks it on the row) */
		return query_is_text(n->field) && !n->prefix;
	case QOP_NOT:
		return false;
	case QOP_OR:
		for (size_t i = 0; i < n->n_kid; i++)
			if (!fts_ok(n->kid[i]))
				return false;
		return true;
	case QOP_AND:
		for (size_t i = 0; i < n->n_kid; i++) {
			const struct query_node *k = n->kid[i];
			if (!fts_ok(k->op == QOP_NOT ? k->kid[0] : k))
				return false;
			pos += k->op != QOP_NOT;
		}
		return pos > 0;
	}
	return false;
}

/* Appends the FTS5 expression of an fts_ok() subtree; returns its number of phrases. */
static int put_fts(struct sbuf *b, const struct query_node *n)
{
	int np = 0;
	if (n->op == QOP_LEAF) {
		if (n->field == QF_CAT)
			return put_category(b, n->text);
		put_phrase(b, "", text_cols(n->field), n->text, strlen(n->text), n->prefix);
		return 1;
	}
	if (n->op == QOP_OR) {
		sbuf_addc(b, '(');
		for (size_t i = 0; i < n->n_kid; i++) {
			sbuf_adds(b, i ? " OR " : "");
			np += put_fts(b, n->kid[i]);
		}
		sbuf_addc(b, ')');
		return np;
	}
	/* AND: "((a AND b) NOT c) NOT d" — the positives first, each exclusion around them */
	for (size_t i = 0; i < n->n_kid; i++)
		if (n->kid[i]->op == QOP_NOT)
			sbuf_addc(b, '(');
	sbuf_addc(b, '(');
	bool first = true;
	for (size_t i = 0; i < n->n_kid; i++)
		if (n->kid[i]->op != QOP_NOT) {
			sbuf_adds(b, first ? "" : " AND ");
			first = false;
			np += put_fts(b, n->kid[i]);
		}
	sbuf_addc(b, ')');
	for (size_t i = 0; i < n->n_kid; i++)
		if (n->kid[i]->op == QOP_NOT) {
			sbuf_adds(b, " NOT ");
			np += put_fts(b, n->kid[i]->kid[0]);
			sbuf_addc(b, ')');
		}
	return np;
}

static void wbind_add(struct squery *q, char *s, int64_t i)
{
	q->wb = xreallocarray(q->wb, q->n_wb + 1, sizeof *q->wb);
	q->wb[q->n_wb++] = (struct wbind){ .s = s, .i = i };
}

#define USER_ROW "EXISTS (SELECT 1 FROM user_state u WHERE u.id = p.id AND "

/* A day view: a Daily Papers day, or a source's listing day (an arXiv announcement day). */
static bool day_view(const struct store_view *v)
{
	return (v->filter == STORE_VIEW_HF_DAY || v->filter == STORE_VIEW_SOURCE) &&
	       v->day && *v->day;
}

/* A listing view: the papers some listing gave (a day, a source). */
static bool listing_view(const struct store_view *v)
{
	return v->filter == STORE_VIEW_HF_DAY || v->filter == STORE_VIEW_SOURCE;
}

/* The announce type of the listing that is:new & co., the replacement mark and
 * hide-replacements read: the listing of the view's day (its source's, or Daily Papers'),
 * else the view's source's latest, else the paper's latest. A scalar subquery over `p` (one
 * primary-key range of listings); its '?' take args[0..] in order (NULL ends them). */
static const char *ltype_sql(const struct store_view *v, const char *args[3])
{
	args[0] = args[1] = args[2] = NULL;
	if (v && day_view(v) && v->filter == STORE_VIEW_HF_DAY) {
		args[0] = v->day;
		return "(SELECT l.type FROM listings l WHERE l.paper = p.pk AND l.kind = 3"
		       " AND l.day = ? ORDER BY l.source LIMIT 1)";
	}
	if (v && day_view(v)) {
		args[0] = v->source, args[1] = v->day;
		return "(SELECT l.type FROM listings l WHERE l.paper = p.pk AND l.source = ?"
		       " AND l.day = ?)";
	}
	if (v && v->filter == STORE_VIEW_SOURCE) {
		args[0] = v->source;
		return "(SELECT l.type FROM listings l WHERE l.paper = p.pk AND l.source = ?"
		       " ORDER BY l.day DESC LIMIT 1)";
	}
	return "(SELECT l.type FROM listings l WHERE l.paper = p.pk"
	       " ORDER BY l.day DESC, l.seen_at DESC LIMIT 1)";
}

/* The announce types (paper_announce) a listing flag accepts, as an SQL list. */
static const char *flag_types(enum query_flag f)
{
	return f == QFLAG_NEW ? "(1)" : f == QFLAG_CROSS ? "(2, 4)" : "(3, 4)";
}

static bool listing_flag(enum query_flag f)
{
	return f == QFLAG_NEW || f == QFLAG_CROSS || f == QFLAG_REPLACED;
}

/* Appends to q->where the SQL predicate over `p` of any subtree. `+p.pk` keeps SQLite from
 * answering an OR by a union of index lookups (which collects and sorts every match, 600 ms
 * for `neural OR date:2025` on 200k papers): the view's walk in pk order stays, and it stops
 * after its window. The IN list is built once per statement. */
static void put_sql(struct squery *q, const struct query_node *n)
{
	struct sbuf *w = &q->where;
	if (n->op != QOP_NOT && fts_ok(n)) {
		struct sbuf m = {0};
		put_fts(&m, n);
		sbuf_adds(w, "+p.pk IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?)");
		wbind_add(q, sbuf_steal(&m), 0);
		return;
	}
	switch (n->op) {
	case QOP_NOT:
		sbuf_adds(w, "NOT (");
		put_sql(q, n->kid[0]);
		sbuf_addc(w, ')');
		return;
	case QOP_AND:
	case QOP_OR:
		sbuf_addc(w, '(');
		for (size_t i = 0; i < n->n_kid; i++) {
			sbuf_adds(w, !i ? "" : n->op == QOP_AND ? " AND " : " OR ");
			put_sql(q, n->kid[i]);
		}
		sbuf_addc(w, ')');
		return;
	case QOP_LEAF:
		break;
	}
	switch (n->field) {
	case QF_IS:
		if (listing_flag(n->flag)) {
			const char *args[3];
			sbuf_printf(w, "coalesce(%s, 0) IN %s", ltype_sql(q->v, args),
			            flag_types(n->flag));
			for (int i = 0; i < 3 && args[i]; i++)
				wbind_add(q, xstrdup(args[i]), 0);
			return;
		}
		if (n->flag == QFLAG_WATCHED) {
			size_t nw = 0;
			if (q->s)
				store_watch_compiled(q->s, &nw);
			sbuf_adds(w, nw ? WATCHED_SQL : "0");
			return;
		}
		sbuf_adds(w, n->flag == QFLAG_UNREAD ? "NOT " USER_ROW : USER_ROW);
		if (n->flag == QFLAG_HIDDEN)
			q->hidden_named = true;
		sbuf_adds(w, n->flag == QFLAG_FAV ? "u.favourite = 1)" : n->flag == QFLAG_HIDDEN
		          ? "u.hidden = 1)" : "u.read = 1)");
		return;
	case QF_HAS:
		sbuf_adds(w, USER_ROW);
		sbuf_adds(w, n->flag == QFLAG_NOTE ? "u.note <> '')" : "u.tags <> '')");
		return;
	case QF_TAG:
		sbuf_adds(w, USER_ROW "instr(' ' || lower(u.tags) || ' ', ?) > 0)");
		wbind_add(q, xasprintf(" %s ", n->text), 0);
		return;
	case QF_ID:
		sbuf_adds(w, "p.id = ?");
		wbind_add(q, xstrdup(n->text), 0);
		return;
	case QF_AFTER: case QF_BEFORE: case QF_SINCE: case QF_UNTIL: case QF_DATE: {
		int64_t lo, hi;
		date_range(n, &lo, &hi);
		sbuf_adds(w, "(+p.pk >= ?");
		wbind_add(q, NULL, lo << STORE_PK_SHIFT);
		if (hi) {
			sbuf_adds(w, " AND +p.pk < ?");
			wbind_add(q, NULL, hi << STORE_PK_SHIFT);
		}
		sbuf_addc(w, ')');
		return;
	}
	default: {   /* text: a prefix (else fts_ok above) */
		char f[PFX_MAX + 1];
		size_t len = strlen(n->text);
		if (fold_prefix(q, n->text, len, f)) {
			put_has_prefix(q, f, col_mask(text_cols(n->field)));
			return;
		}
		struct sbuf m = {0};   /* not one token: FTS5's own prefix query */
		put_phrase(&m, "", text_cols(n->field), n->text, len, true);
		sbuf_adds(w, "+p.pk IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?)");
		wbind_add(q, sbuf_steal(&m), 0);
		return;
	}
	}
}

static bool date_field(enum query_field f)
{
	return f == QF_AFTER || f == QF_BEFORE || f == QF_SINCE || f == QF_UNTIL || f == QF_DATE;
}

/* Whether leaf k is a prefix that begins more than SQUERY_MAX_TERMS of the cache's words (so
 * common that a walk of the newest papers meets it soon), folded into f. */
static bool many_words(struct squery *q, const struct query_node *k, char *f)
{
	if (k->op != QOP_LEAF || !k->prefix || !query_is_text(k->field))
		return false;
	size_t fn = fold_prefix(q, k->text, strlen(k->text), f);
	struct store_terms w = {0};
	bool many = fn >= STORE_TERM_MIN &&
	            store_terms_prefix(q->s, f, fn, SQUERY_MAX_TERMS, &w) == SQLITE_OK && w.more;
	store_terms_clear(&w);
	return many;
}

/* Records the arms of an OR of text groups, dates and common prefixes (see squery.or_match):
 * walked as one FTS stream and a walk of the papers each (a pk range, or every paper with the
 * prefix checked), merged in pk order, the walk stops after its window; as an IN list
 * (put_sql) every text match was collected first (34-37 ms for `neural OR date:2025` at 1M,
 * 31 for `neural OR gen*`). */
static void or_arms(struct squery *q, const struct query_node *n)
{
	if (n->op != QOP_OR)
		return;
	for (size_t i = 0; i < n->n_kid; i++) {
		const struct query_node *k = n->kid[i];
		bool walk = q->n_or_dates < SQUERY_MAX_OR_DATES;
		if (walk && k->op == QOP_LEAF && date_field(k->field)) {
			int64_t lo, hi;
			date_range(k, &lo, &hi);
			q->or_pfx[q->n_or_dates][0] = '\0';
			q->or_lo[q->n_or_dates] = lo << STORE_PK_SHIFT;
			q->or_hi[q->n_or_dates++] = hi << STORE_PK_SHIFT;
		} else if (walk && many_words(q, k, q->or_pfx[q->n_or_dates])) {
			q->or_mask[q->n_or_dates] = col_mask(text_cols(k->field));
			q->or_lo[q->n_or_dates] = q->or_hi[q->n_or_dates] = 0;
			q->n_or_dates++;
		} else if (fts_ok(k)) {
			sbuf_adds(&q->or_match, q->or_match.len ? " OR (" : "(");
			put_fts(&q->or_match, k);
			sbuf_addc(&q->or_match, ')');
		} else {   /* (a date past the arms' number, or a kid that is neither: no arms) */
			q->n_or_dates = 0;
			break;
		}
	}
	if (!q->n_or_dates) {   /* no walk: the IN list (put_sql) is as good */
		sbuf_reset(&q->or_match);
		return;
	}
	q->or_end = q->where.len;
}

/* One part of the top-level AND. */
static int add_part(struct squery *q, const struct query_node *n, struct lerr *e)
{
	if (n->op == QOP_LEAF)
		return add_leaf(q, false, n, e);
	if (n->op == QOP_NOT && n->kid[0]->op == QOP_LEAF)
		return add_leaf(q, true, n->kid[0], e);
	bool neg = n->op == QOP_NOT;
	const struct query_node *g = neg ? n->kid[0] : n;
	if (fts_ok(g)) {   /* one more FTS5 group */
		if (neg) {
			sbuf_adds(&q->neg, q->neg.len ? " OR " : "");
			put_fts(&q->neg, g);
		} else {
			q->wide = true;   /* (not looked into) */
			sbuf_adds(&q->pos, q->pos.len ? " AND " : "");
			sbuf_adds(&q->pos_short, q->pos_short.len ? " AND " : "");
			sbuf_adds(&q->pos_terms, q->pos_terms.len ? " AND " : "");
			int k = put_fts(&q->pos, g);
			put_fts(&q->pos_short, g);
			put_fts(&q->pos_terms, g);
			map_same(q, k);
			q->n_phrases += k;
		}
		return 0;
	}
	bool first = !q->where.len;
	sbuf_adds(&q->where, q->where.len ? " AND " : "");
	put_sql(q, n);
	q->where_other = true;
	if (first && !neg)
		or_arms(q, n);
	return 0;
}

static int squery_parse(struct store *st, const char *s, const struct store_view *v,
                        bool exact, struct squery *q, struct lerr *e)
{
	memset(q, 0, sizeof *q);
	q->v = v;
	q->s = st;
	q->exact = exact;
	if (v->watched)
		add_watched(q, false);
	struct query_node *t;
	if (query_parse(s, &t, e) < 0)
		return -1;
	int rc = 0;
	if (t && t->op == QOP_AND)
		for (size_t i = 0; i < t->n_kid && rc == 0; i++)
			rc = add_part(q, t->kid[i], e);
	else if (t)
		rc = add_part(q, t, e);
	query_free(t);
	if (rc < 0)
		squery_free(q);
	return rc;
}

/* ---- SQL assembly ---------------------------------------------------------------------------- */

enum bind_type { B_INT, B_REAL, B_TEXT };
struct bind {
	enum bind_type t;
	int64_t i;
	double r;
	const char *s;
};
struct qb {
	struct sbuf sql;
	struct bind *b;
	int nb, cap;
};

static void qb_push(struct qb *q, struct bind b)
{
	if (q->nb == q->cap) {
		q->cap = q->cap ? 2 * q->cap : 32;
		q->b = xreallocarray(q->b, (size_t)q->cap, sizeof *q->b);
	}
	q->b[q->nb++] = b;
}
static void bi(struct qb *q, int64_t v) { qb_push(q, (struct bind){ .t = B_INT, .i = v }); }
static void br(struct qb *q, double v) { qb_push(q, (struct bind){ .t = B_REAL, .r = v }); }
static void bt(struct qb *q, const char *v) { qb_push(q, (struct bind){ .t = B_TEXT, .s = v }); }

static void qb_free(struct qb *q)
{
	sbuf_free(&q->sql);
	free(q->b);
}

static void bind_all(sqlite3_stmt *st, const struct qb *q)
{
	for (int i = 0; i < q->nb; i++) {
		const struct bind *b = &q->b[i];
		if (b->t == B_INT)
			sqlite3_bind_int64(st, i + 1, b->i);
		else if (b->t == B_REAL)
			sqlite3_bind_double(st, i + 1, b->r);
		else
			sqlite3_bind_text(st, i + 1, b->s, -1, SQLITE_TRANSIENT);
	}
}

/* D_MERGE: the arms of a top-level OR of text and dates (squery.or_match), each walked in pk
 * order (D_FTS, D_ALL over a pk range), merged by a compound SELECT that stops at its LIMIT. */
enum driver { D_ALL, D_FTS, D_USER, D_SRC, D_DAY, D_ID, D_RANK, D_MERGE };
/* M_DAY: a day view in its listing's order (or by upvotes); the whole day is the candidate set
 * (a day is a few hundred papers, an arXiv day some thousands: one index range). */
enum mode { M_DATE, M_UPVOTES, M_CAND_UPVOTES, M_CAND_RANK, M_DAY };

struct plan {
	struct squery q;
	char *match;              /* FTS MATCH for positives (with NOT part), or NULL */
	char *notmatch;           /* FTS MATCH of exclusions when there are no positives */
	char *tmatch;             /* relevance: match with its positives in the title/author/
	                           * organisation columns (older candidates), or NULL */
	enum driver drv;
	enum mode mode;
	bool pfx;                 /* match has long prefixes cut short: check with lectern_pfx() */
	bool terms;               /* match has long prefixes as the OR of their words (q.map) */
	int hidden;               /* 1 only hidden papers, -1 no hidden paper, 0 both */
	const char *fts;          /* the FTS table D_FTS walks: papers_fts, or papers_tfts (the
	                           * title index) for the title candidates */
	const char *key;          /* the driver's pk expression */
	int newest;               /* the newest-N part of a ranked order's candidates */
	int titles;               /* the newest-N title matches among them (with tmatch) */
	bool arm;                 /* writing an arm of D_MERGE: its OR is not in the WHERE */
	/* D_DAY with a match whose papers span at most DAY_SPAN: their pk range, searched once */
	bool day_range;
	int64_t day_lo, day_hi;
	const struct store_view *v;
};

/* A day's search looks each of its papers up in the index (a seek per word in every segment:
 * 66 ms for a 37-paper day at 3M papers), unless the day's papers were published within this
 * many seconds of each other: then one FTS5 walk of that pk range finds the matches. */
enum { DAY_SPAN = 14 * 86400 };

static void plan_free(struct plan *p)
{
	squery_free(&p->q);
	free(p->match);
	free(p->notmatch);
	free(p->tmatch);
}

static void day_cond(struct qb *b, const struct store_view *v);

/* p->day_range and its bounds: the pks of the day's papers, when they span at most DAY_SPAN. */
static int day_span(struct store *s, struct plan *p, struct lerr *e)
{
	struct qb b = {0};
	sbuf_adds(&b.sql, "SELECT min(l.paper), max(l.paper) FROM listings l WHERE");
	day_cond(&b, p->v);
	sqlite3_stmt *st = store_cached(s, b.sql.s, e);
	int ret = -1;
	if (st) {
		bind_all(st, &b);
		int rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			ret = 0;
			if (sqlite3_column_type(st, 0) == SQLITE_INTEGER) {
				p->day_lo = sqlite3_column_int64(st, 0);
				p->day_hi = sqlite3_column_int64(st, 1);
				p->day_range = (p->day_hi >> STORE_PK_SHIFT) - (p->day_lo >> STORE_PK_SHIFT) <=
				               DAY_SPAN;
			}
		} else {
			store_db_error(s, e, rc, "reading the day's papers");
		}
		sqlite3_reset(st);
	}
	qb_free(&b);
	return ret;
}

static int plan_once(struct store *s, const struct store_view *v, struct plan *p, bool rewrite,
                     bool exact, struct lerr *e);

/* Long prefixes are searched as the OR of their words when they can be listed (every query);
 * else, with rewrite, by their indexed prefix + the exact check (see lectern_pfx). A prefix its
 * words do not answer is searched in its title-index columns when the title index runs the
 * whole search; otherwise it is checked on the rows the rest of the search finds — which
 * needs a rest that finds them (squery.exact). */
static int plan_make(struct store *s, const struct store_view *v, struct plan *p, bool rewrite,
                     struct lerr *e)
{
	s->narrowed[0] = '\0';
	if (plan_once(s, v, p, rewrite, false, e) < 0)
		return -1;
	if (!p->q.n_narrowed && !p->q.narrow_none)
		return 0;
	if (strcmp(p->fts, "papers_tfts") || p->q.narrow_none) {
		plan_free(p);
		if (plan_once(s, v, p, rewrite, true, e) < 0)
			return -1;
	}
	/* Nothing else narrows the rows the check reads: it would read every paper's text. */
	if (p->q.n_checked && !p->match && (p->drv == D_ALL || p->drv == D_MERGE) &&
	    !p->q.lo && !p->q.hi && !p->q.where_other && !p->q.empty_range) {
		lerr_set(e, LERR_USAGE, 0, "search: a prefix that begins more than %d of the cache's "
		         "words is searched in abstracts only beside a word that finds the papers; "
		         "type more letters, or add a word", SQUERY_MAX_TERMS);
		plan_free(p);
		return -1;
	}
	if (p->q.n_narrowed)
		snprintf(s->narrowed, sizeof s->narrowed, "%s", p->q.narrowed);
	return 0;
}

const char *store_narrowed(const struct store *s)
{
	return s->narrowed;
}

static int plan_once(struct store *s, const struct store_view *v, struct plan *p, bool rewrite,
                     bool exact, struct lerr *e)
{
	memset(p, 0, sizeof *p);
	p->v = v;
	p->fts = "papers_fts";
	p->newest = STORE_CANDIDATES;
	p->titles = STORE_TITLE_CANDIDATES;
	if ((v->filter == STORE_VIEW_SOURCE && !(v->source && *v->source)) ||
	    (v->filter == STORE_VIEW_HF_DAY && !(v->day && *v->day))) {
		lerr_set(e, LERR_USAGE, 0, "this view needs a %s",
		         v->filter == STORE_VIEW_SOURCE ? "source name" : "day");
		return -1;
	}
	if (squery_parse(s, v->query, v, exact, &p->q, e) < 0)
		return -1;
	struct squery *q = &p->q;
	/* a long prefix: the OR of its words when they could be listed, else the rewrite */
	p->terms = (q->n_pfx > 0 || q->n_words > 0) && !q->terms_bad &&
	           s->pfx_mode == STORE_PFX_AUTO;
	if (rewrite)   /* a window's query (tests and the bench read it after one) */
		s->pfx_terms = p->terms;
	p->pfx = rewrite && q->n_pfx > 0 && !p->terms;
	/* A prefix (a word being typed) matches many words, or costs a check of each candidate's
	 * text: fewer of the newest and of the title matches are scored. */
	if (q->n_pfx > 0 || q->n_words > 0 || q->n_narrowed > 0 || q->n_checks > 0)
		p->newest = STORE_PFX_CANDIDATES, p->titles = STORE_PFX_TITLE_CANDIDATES;
	const struct sbuf *pos = p->terms ? &q->pos_terms : p->pfx ? &q->pos_short : &q->pos;
	if (pos->len && q->neg.len)
		p->match = xasprintf("(%s) NOT (%s)", pos->s, q->neg.s);
	else if (pos->len)
		p->match = xstrdup(pos->s);
	else if (q->neg.len)
		p->notmatch = xstrdup(q->neg.s);

	/* Favourites, tags and notes are made by hand: few rows, so they drive the query. */
	p->hidden = v->hidden == STORE_HIDDEN_ONLY || q->hidden == 1 ? 1
	            : v->hidden == STORE_HIDDEN_IN || q->hidden_named ? 0 : -1;
	bool user = v->filter == STORE_VIEW_FAVOURITES || q->fav == 1 || q->n_tags ||
	            q->note == 1 || q->has_tags == 1 || p->hidden == 1;
	if (v->filter == STORE_VIEW_RANKED)   /* a ranked list is small: walk it, order by score */
		p->drv = D_RANK, p->key = "rs.paper";
	else if (q->n_ids)   /* one paper at most: look it up by id, check the rest on it */
		p->drv = D_ID, p->key = "p.pk";
	else if (day_view(v))   /* a day is small: walk its listings (a search too: driven by the
	                         * FTS, it read every match of `model` to find the day's few) */
		p->drv = D_DAY, p->key = "l.paper";
	else if (user)
		p->drv = D_USER, p->key = "p.pk";
	else if (p->match)
		p->drv = D_FTS, p->key = "papers_fts.rowid";
	else if (v->filter == STORE_VIEW_SOURCE)
		p->drv = D_SRC, p->key = "sc.paper";
	else
		p->drv = D_ALL, p->key = "p.pk";

	if (p->drv == D_DAY && p->match && day_span(s, p, e) < 0) {
		plan_free(p);
		return -1;
	}

	bool plain = !p->match && !p->notmatch && !q->fav && !q->read && !q->lo && !q->hi &&
	             p->hidden != 1 &&
	             !q->n_ids && !q->n_xids && !q->n_tags && !q->n_xtags && !q->note &&
	             !q->has_tags && !q->where.len;
	if ((p->drv == D_DAY && !(v->sort == STORE_SORT_RELEVANCE && p->match)) || p->drv == D_RANK)
		p->mode = M_DAY;
	else if (v->sort == STORE_SORT_RELEVANCE && p->match)
		p->mode = M_CAND_RANK;
	else if (v->sort == STORE_SORT_UPVOTES)
		p->mode = plain && v->filter == STORE_VIEW_ALL ? M_UPVOTES : M_CAND_UPVOTES;
	else
		p->mode = M_DATE;
	if (p->drv == D_ALL && p->mode == M_DATE && q->or_end && q->where.len == q->or_end &&
	    !q->empty_range)
		p->drv = D_MERGE, p->key = "w.k";
	/* Only title, author and organisation words (ti: au: org:), nothing excluded: the title
	 * index holds every match, with shorter doclists, and scores them the same. With a prefix
	 * narrowed to it (squery.exact) the exclusions are checked on its rows instead. */
	if (p->drv == D_FTS && !q->wide && (!q->neg.len || q->n_narrowed)) {
		if (q->neg.len) {
			free(p->match);
			p->match = xstrdup(pos->s);
			p->notmatch = xstrdup(q->neg.s);
		}
		p->fts = "papers_tfts";
		p->key = "papers_tfts.rowid";
		return 0;
	}
	/* A column filter only narrows the positives: the exclusions keep every column. */
	if (p->mode == M_CAND_RANK && p->drv == D_FTS && !v->rank_all)
		p->tmatch = q->neg.len ? xasprintf("({title authors organization} : (%s)) NOT (%s)",
		                                   pos->s, q->neg.s)
		                       : xasprintf("{title authors organization} : (%s)", pos->s);
	return 0;
}

/* ", phrase, prefix" for each long prefix (the arguments of lectern_pfx / lectern_rank), or
 * ", map" when the prefixes are ORs of their words (lectern_rank sums each OR's words). */
static void pfx_args(struct qb *b, const struct plan *p)
{
	if (p->terms) {
		sbuf_adds(&b->sql, ", ?");
		bt(b, p->q.map);
		return;
	}
	if (!p->pfx)
		return;
	for (int k = 0; k < p->q.n_pfx; k++) {
		sbuf_adds(&b->sql, ", ?, ?");
		bi(b, p->q.pfx[k].phrase);
		bt(b, p->q.pfx[k].text);
	}
}

static void pfx_check(struct qb *b, const struct plan *p)
{
	if (!p->pfx)
		return;
	sbuf_printf(&b->sql, " AND lectern_pfx(%s", p->fts);
	pfx_args(b, p);
	sbuf_addc(&b->sql, ')');
}

/* The positive tag:/has: conditions on the user_state row `u` (an alias). Tags are stored
 * separated by single spaces (paper_normalise_tags), so " name " inside " tags " is the tag. */
static void user_conds(struct qb *b, const struct squery *q, const char *u)
{
	for (size_t i = 0; i < q->n_tags; i++) {
		sbuf_printf(&b->sql, " AND instr(' ' || lower(%s.tags) || ' ', ?) > 0", u);
		bt(b, q->tags[i]);
	}
	if (q->note == 1)
		sbuf_printf(&b->sql, " AND %s.note <> ''", u);
	if (q->has_tags == 1)
		sbuf_printf(&b->sql, " AND %s.tags <> ''", u);
}

/* The SQL here spells kinds and announce types as numbers (they are stored). */
_Static_assert(PAPER_SRC_HF == 3 && PAPER_SRC_KINDS == 5, "listings.kind literals");
_Static_assert(PAPER_ANN_NEW == 1 && PAPER_ANN_CROSS == 2 && PAPER_ANN_REPLACE == 3 &&
               PAPER_ANN_REPLACE_CROSS == 4, "listings.type literals");

/* The listings `l` of a day view (listings_kind_day): Daily Papers of a day is one index
 * range; a source's day one per kind (the IN list), so no index on (source, day) is needed. */
static void day_cond(struct qb *b, const struct store_view *v)
{
	if (v->filter == STORE_VIEW_HF_DAY) {
		sbuf_adds(&b->sql, " l.kind = 3 AND l.day = ?");
		bt(b, v->day);
		return;
	}
	sbuf_adds(&b->sql, " l.kind IN (0, 1, 2, 3, 4) AND l.day = ? AND l.source = ?");
	bt(b, v->day);
	bt(b, v->source);
}

/* FROM ... WHERE ... of the view (without ORDER/LIMIT); drive: the MATCH of the FTS driver. */
static void add_from_where(struct qb *b, const struct plan *p, const char *drive)
{
	const struct squery *q = &p->q;
	const struct store_view *v = p->v;
	switch (p->drv) {
	case D_FTS:
		sbuf_printf(&b->sql, " FROM %s CROSS JOIN papers p ON p.pk = %s.rowid WHERE %s MATCH ?",
		            p->fts, p->fts, p->fts);
		bt(b, drive);
		pfx_check(b, p);
		break;
	case D_USER:
		sbuf_adds(&b->sql, " FROM user_state f CROSS JOIN papers p ON p.id = f.id WHERE 1");
		if (v->filter == STORE_VIEW_FAVOURITES || q->fav == 1)
			sbuf_adds(&b->sql, " AND f.favourite = 1");
		if (p->hidden == 1)
			sbuf_adds(&b->sql, " AND f.hidden = 1");
		user_conds(b, q, "f");
		break;
	case D_SRC:
		sbuf_adds(&b->sql, " FROM sourced sc CROSS JOIN papers p ON p.pk = sc.paper"
		                   " WHERE sc.source = ?");
		bt(b, v->source);
		break;
	case D_ID:
		sbuf_adds(&b->sql, " FROM papers p WHERE p.id = ?");
		bt(b, q->ids[0]);
		break;
	case D_DAY:
		sbuf_adds(&b->sql, " FROM listings l CROSS JOIN papers p ON p.pk = l.paper WHERE");
		day_cond(b, v);
		if (v->filter == STORE_VIEW_HF_DAY)   /* two Daily Papers sources: the paper once */
			sbuf_adds(&b->sql, " AND NOT EXISTS (SELECT 1 FROM listings l2 WHERE"
			                   " l2.paper = l.paper AND l2.kind = 3 AND l2.day = l.day"
			                   " AND l2.source < l.source)");
		if (v->hide_replacements)
			sbuf_adds(&b->sql, " AND coalesce(l.type, 0) NOT IN (3, 4)");
		break;
	case D_ALL:
		sbuf_adds(&b->sql, " FROM papers p WHERE 1");
		break;
	case D_RANK:
		sbuf_adds(&b->sql, " FROM rank_scores rs CROSS JOIN papers p ON p.pk = rs.paper"
		                   " WHERE rs.list = ?");
		bi(b, v->list);
		break;
	case D_MERGE:   /* written by merge_arms(), whose arms are D_FTS and D_ALL */
		break;
	}
	for (size_t i = 1; i < q->n_ids; i++) {
		sbuf_adds(&b->sql, " AND p.id = ?");
		bt(b, q->ids[i]);
	}
	for (size_t i = 0; i < q->n_xids; i++) {
		sbuf_adds(&b->sql, " AND p.id <> ?");
		bt(b, q->xids[i]);
	}
	if ((p->drv == D_ID || p->drv == D_DAY) && (v->filter == STORE_VIEW_FAVOURITES || q->fav == 1))
		sbuf_adds(&b->sql, " AND EXISTS (SELECT 1 FROM user_state f WHERE f.id = p.id"
		                   " AND f.favourite = 1)");
	if ((p->drv == D_ID || p->drv == D_DAY) && (q->n_tags || q->note == 1 || q->has_tags == 1)) {
		sbuf_adds(&b->sql, " AND EXISTS (SELECT 1 FROM user_state u WHERE u.id = p.id");
		user_conds(b, q, "u");
		sbuf_addc(&b->sql, ')');
	}
	for (size_t i = 0; i < q->n_xtags; i++) {
		sbuf_adds(&b->sql, " AND NOT EXISTS (SELECT 1 FROM user_state u WHERE u.id = p.id"
		                   " AND instr(' ' || lower(u.tags) || ' ', ?) > 0)");
		bt(b, q->xtags[i]);
	}
	if (q->note == -1)
		sbuf_adds(&b->sql, " AND NOT EXISTS (SELECT 1 FROM user_state u WHERE u.id = p.id"
		                   " AND u.note <> '')");
	/* hidden papers: one primary-key probe of user_state a row (rank.h: "not interested") */
	if (p->hidden == 1 && p->drv != D_USER)
		sbuf_adds(&b->sql, " AND EXISTS (SELECT 1 FROM user_state h WHERE h.id = p.id"
		                   " AND h.hidden = 1)");
	else if (p->hidden == -1)
		sbuf_adds(&b->sql, " AND NOT EXISTS (SELECT 1 FROM user_state h WHERE h.id = p.id"
		                   " AND h.hidden = 1)");
	if (q->has_tags == -1)
		sbuf_adds(&b->sql, " AND NOT EXISTS (SELECT 1 FROM user_state u WHERE u.id = p.id"
		                   " AND u.tags <> '')");
	if (day_view(v) && p->drv != D_DAY) {   /* (a ranked search of the day) */
		sbuf_adds(&b->sql, " AND EXISTS (SELECT 1 FROM listings l WHERE l.paper = p.pk AND");
		day_cond(b, v);
		sbuf_addc(&b->sql, ')');
	} else if (v->filter == STORE_VIEW_SOURCE && p->drv != D_SRC && p->drv != D_DAY) {
		sbuf_adds(&b->sql, " AND EXISTS (SELECT 1 FROM sourced s2 WHERE s2.paper = p.pk"
		                   " AND s2.source = ?)");
		bt(b, v->source);
	}
	if (v->hide_replacements && listing_view(v) && p->drv != D_DAY) {
		const char *args[3];
		sbuf_printf(&b->sql, " AND coalesce(%s, 0) NOT IN (3, 4)", ltype_sql(v, args));
		for (int i = 0; i < 3 && args[i]; i++)
			bt(b, args[i]);
	}
	if (p->drv != D_FTS && p->match && p->day_range) {
		sbuf_adds(&b->sql, " AND p.pk IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?"
		                   " AND papers_fts.rowid BETWEEN ? AND ?");
		bt(b, p->match);
		bi(b, p->day_lo);
		bi(b, p->day_hi);
		pfx_check(b, p);
		sbuf_addc(&b->sql, ')');
	} else if (p->drv != D_FTS && p->match) {
		sbuf_adds(&b->sql, " AND EXISTS (SELECT 1 FROM papers_fts WHERE papers_fts MATCH ?"
		                   " AND papers_fts.rowid = p.pk");
		bt(b, p->match);
		pfx_check(b, p);
		sbuf_addc(&b->sql, ')');
	}
	if (p->notmatch) {
		sbuf_adds(&b->sql, " AND NOT EXISTS (SELECT 1 FROM papers_fts WHERE papers_fts MATCH"
		                   " ? AND papers_fts.rowid = p.pk)");
		bt(b, p->notmatch);
	}
	if (v->filter == STORE_VIEW_UNREAD || q->read == -1)
		sbuf_adds(&b->sql, " AND NOT EXISTS (SELECT 1 FROM user_state r WHERE r.id = p.id"
		                   " AND r.read = 1)");
	else if (q->read == 1)
		sbuf_adds(&b->sql, " AND EXISTS (SELECT 1 FROM user_state r WHERE r.id = p.id"
		                   " AND r.read = 1)");
	if (q->fav == -1 && v->filter != STORE_VIEW_FAVOURITES)
		sbuf_adds(&b->sql, " AND NOT EXISTS (SELECT 1 FROM user_state r WHERE r.id = p.id"
		                   " AND r.favourite = 1)");
	if (q->where.len && !p->arm) {
		sbuf_printf(&b->sql, " AND (%s)", q->where.s);
		for (size_t i = 0; i < q->n_wb; i++) {
			if (q->wb[i].s)
				bt(b, q->wb[i].s);
			else
				bi(b, q->wb[i].i);
		}
	}
	if (q->empty_range) {
		sbuf_adds(&b->sql, " AND 0");
	} else {
		if (q->lo) {
			sbuf_printf(&b->sql, " AND %s >= ?", p->key);
			bi(b, q->lo << STORE_PK_SHIFT);
		}
		if (q->hi) {
			sbuf_printf(&b->sql, " AND %s < ?", p->key);
			bi(b, q->hi << STORE_PK_SHIFT);
		}
	}
}

/* The user state comes from one primary-key lookup per row (not one per flag): favourite, read
 * and "has a non-empty note" packed as bits 0, 1, 2 (coalesce: note is NULL when absent). */
#define ROW_FAV 1
#define ROW_READ 2
#define ROW_NOTE 4
#define ROW_ORG_SUBMITTER 8   /* not user state, but flags of the row all the same */
#define ROW_REPLACED 16       /* the view's listing (ltype_sql) announced a replacement */
#define ROW_HIDDEN 32
#define ROW_WATCHED 64
#define ROW_WITHDRAWN 128     /* arXiv withdrew the paper (papers.withdrawn) */

/* "SELECT <the row's columns>" (0..8, then p.version as 11 after the caller's 9 and 10 — see
 * row_from) and their binds. The replacement mark is a listing's, so only listing views read
 * it: a day view from its walk (c.t), a source view by one lookup a row. */
static void row_cols(struct qb *b, const struct plan *p)
{
	const char *args[3] = {0};
	const char *t = p->mode == M_DAY ? "c.t" : listing_view(p->v) ? ltype_sql(p->v, args) : "0";
	sbuf_printf(&b->sql, "SELECT p.pk, p.id, p.title, p.first_author, p.n_authors,"
	            " p.organization, p.published, p.upvotes, coalesce((SELECT (u.favourite <> 0)"
	            " + 2 * (u.read <> 0) + 4 * (coalesce(u.note, '') <> '') + 32 * (u.hidden <> 0)"
	            " FROM user_state u"
	            " WHERE u.id = p.id), 0) + 8 * (p.org_submitter <> 0) + 128 * (p.withdrawn <> 0)"
	            " + 16 * (coalesce(%s, 0) IN (3, 4))", t);
	size_t nw = 0;   /* the mark of watched papers: only when there are watches */
	if (p->q.s)
		store_watch_compiled(p->q.s, &nw);
	if (nw)
		sbuf_adds(&b->sql, " + 64 * " WATCHED_SQL);
	for (int i = 0; i < 3 && args[i]; i++)
		bt(b, args[i]);
}

/* lectern_rank() of the row whose pk is `pk` under the whole match (NULL when it does not match). */
static void rank_of(struct qb *b, const struct plan *p, const char *pk)
{
	sbuf_adds(&b->sql, "(SELECT lectern_rank(papers_fts");
	pfx_args(b, p);
	sbuf_adds(&b->sql, ") FROM papers_fts WHERE papers_fts MATCH ?");
	bt(b, p->match);
	sbuf_printf(&b->sql, " AND papers_fts.rowid = %s", pk);
	pfx_check(b, p);
	sbuf_addc(&b->sql, ')');
}

/* Takes the join with papers out of the FTS walk written since sql[from] when nothing in it
 * reads the paper `p`: each candidate would otherwise read its row (~2 KB, a page) only to
 * find it exists. The fragments of this file name the paper "p." and nothing else ends so. */
static void drop_unused_join(struct qb *b, size_t from, const char *fts)
{
	char join[96];
	snprintf(join, sizeof join, " CROSS JOIN papers p ON p.pk = %s.rowid", fts);
	char *at = strstr(b->sql.s + from, join);
	if (!at)
		return;
	size_t n = strlen(join);
	for (const char *c = b->sql.s + from; (c = strstr(c, "p.")); c += 2)
		if ((c < at || c >= at + n) && c > b->sql.s &&
		    !isalnum((unsigned char)c[-1]) && c[-1] != '_')
			return;   /* the paper is read: keep the join */
	memmove(at, at + n, strlen(at + n) + 1);
	b->sql.len -= n;
}

/* The candidates c(r, s) of a ranked order: the newest p->newest rows (all with rank_all),
 * and for relevance the newest STORE_TITLE_CANDIDATES title matches (p->tmatch) not among
 * them, from the title index (a column filter on papers_fts would read the words' whole
 * doclists, abstracts included). Those are scored by their title, author and organisation
 * hits only: re-scoring each under the whole match costs a doclist seek per row (seconds for
 * `model` at 1M), and the title's weight dominates the score anyway. */
static void candidates(struct qb *b, struct plan *p)
{
	/* Materialised: a flattened CTE would evaluate lectern_rank() off its FTS5 row. */
	sbuf_printf(&b->sql, "WITH %s(r, s) AS %s(SELECT %s, ", p->tmatch ? "a" : "c",
	            p->tmatch || p->v->rank_all ? "MATERIALIZED " : "", p->key);
	size_t from = b->sql.len;
	if (p->mode == M_CAND_UPVOTES) {
		sbuf_adds(&b->sql, "p.upvotes");
	} else if (p->drv == D_FTS) {
		sbuf_printf(&b->sql, "lectern_rank(%s", p->fts);
		pfx_args(b, p);
		sbuf_addc(&b->sql, ')');
	} else {
		rank_of(b, p, "p.pk");
	}
	add_from_where(b, p, p->match);
	if (p->drv == D_FTS)
		drop_unused_join(b, from, p->fts);
	if (!p->v->rank_all)
		sbuf_printf(&b->sql, " ORDER BY %s DESC LIMIT %d", p->key, p->newest);
	sbuf_addc(&b->sql, ')');
	if (!p->tmatch)
		return;
	/* From the title index: its doclists hold title/author/organisation words only. (The plan
	 * is switched over and back: the binds point into it, so it cannot be a copy.) */
	const char *fts = p->fts, *key = p->key;
	p->fts = "papers_tfts";
	p->key = "papers_tfts.rowid";
	sbuf_printf(&b->sql, ", t(r, s) AS MATERIALIZED (SELECT %s, lectern_rank(%s", p->key, p->fts);
	from = b->sql.len;
	pfx_args(b, p);
	sbuf_addc(&b->sql, ')');
	add_from_where(b, p, p->tmatch);
	drop_unused_join(b, from, p->fts);
	sbuf_printf(&b->sql, " ORDER BY %s DESC LIMIT %d)", p->key, p->titles);
	p->fts = fts;
	p->key = key;
	sbuf_adds(&b->sql, ", c(r, s) AS (SELECT r, s FROM a UNION ALL"
	                   " SELECT r, s FROM t WHERE r NOT IN (SELECT r FROM a))");
}

/* The rows c(r, t, s) of a day view: its listings, t their announce type, s the order (the
 * source's, or upvotes). A day is small: it is read whole and sorted. */
static void day_rows(struct qb *b, const struct plan *p)
{
	sbuf_printf(&b->sql, "WITH c(r, t, s) AS (SELECT %s, %s, ", p->key,
	            p->drv == D_RANK ? "0" : "l.type");
	if (p->drv == D_RANK)
		sbuf_adds(&b->sql, "rs.score");
	else if (p->v->sort == STORE_SORT_UPVOTES)
		sbuf_adds(&b->sql, "p.upvotes");
	else   /* listings without a position (older caches) after the others, by upvotes */
		sbuf_adds(&b->sql, "CASE WHEN l.position IS NULL THEN p.upvotes - 1e15"
		                   " ELSE -l.position END");
	add_from_where(b, p, p->match);
	sbuf_addc(&b->sql, ')');
}

/* The pks w.k of D_MERGE's window: its text arm (an FTS walk) UNION each date arm (a pk range),
 * every arm with the view's conditions, merged in pk order (SQLite's MERGE of a compound with
 * ORDER BY, so no arm is read past the LIMIT); anchor_lt: "<" or ">" with an anchor, else NULL. */
static void merge_arms(struct qb *b, struct plan *p, const struct store_key *anchor,
                       const char *anchor_lt, const char *desc, int64_t limit)
{
	const struct squery *q = &p->q;
	p->arm = true;
	for (int i = q->or_match.len ? -1 : 0; i < q->n_or_dates; i++) {
		sbuf_adds(&b->sql, i > (q->or_match.len ? -1 : 0) ? " UNION " : "");
		if (i < 0)
			p->drv = D_FTS, p->fts = "papers_fts", p->key = "papers_fts.rowid";
		else
			p->drv = D_ALL, p->key = "p.pk";
		sbuf_printf(&b->sql, "SELECT %s AS k", p->key);
		add_from_where(b, p, i < 0 ? q->or_match.s : NULL);
		if (i >= 0 && q->or_pfx[i][0]) {
			sbuf_printf(&b->sql, " AND " HAS_PREFIX_SQL, q->or_mask[i]);
			bt(b, q->or_pfx[i]);
		} else if (i >= 0) {
			sbuf_adds(&b->sql, " AND p.pk >= ?");
			bi(b, q->or_lo[i]);
			if (q->or_hi[i]) {
				sbuf_adds(&b->sql, " AND p.pk < ?");
				bi(b, q->or_hi[i]);
			}
		}
		if (anchor) {
			sbuf_printf(&b->sql, " AND %s %s ?", p->key, anchor_lt);
			bi(b, anchor->k1);
		}
	}
	p->arm = false;
	p->drv = D_MERGE, p->key = "w.k";
	sbuf_printf(&b->sql, " ORDER BY 1 %s LIMIT ?", desc);
	bi(b, limit);
}

/* Builds the row query. fwd: view order; else reverse order (caller reverses the rows).
 * count_cap >= 0 builds the count query instead. */
static void build(struct qb *b, struct plan *p, const struct store_key *anchor, bool fwd,
                  int64_t limit, int64_t count_cap)
{
	const char *lt = fwd ? "<" : ">", *desc = fwd ? "DESC" : "ASC";
	if (p->mode == M_CAND_RANK || p->mode == M_CAND_UPVOTES || p->mode == M_DAY) {
		if (p->mode == M_DAY)
			day_rows(b, p);
		else
			candidates(b, p);
		if (count_cap >= 0) {
			sbuf_adds(&b->sql, " SELECT count(*) FROM (SELECT 1 FROM c LIMIT ?)");
			bi(b, count_cap);
			return;
		}
		/* The window is cut from the scored candidates before any paper is read: joined
		 * first, every candidate's row (and user state) would be read to keep 50. */
		sbuf_addc(&b->sql, ' ');
		row_cols(b, p);
		sbuf_adds(&b->sql, ", c.s, c.s, p.version");
		if (p->drv == D_RANK) {   /* the reasons, column 12 (row_from) */
			sbuf_adds(&b->sql, ", (SELECT x.why FROM rank_scores x WHERE x.list = ?"
			                   " AND x.paper = c.r)");
			bi(b, p->v->list);
		}
		sbuf_adds(&b->sql, " FROM (SELECT * FROM c");
		if (anchor) {
			sbuf_printf(&b->sql, " WHERE (s, r) %s (?, ?)", lt);
			br(b, anchor->score);
			bi(b, anchor->k2);
		}
		sbuf_printf(&b->sql, " ORDER BY s %s, r %s LIMIT ?) c CROSS JOIN papers p ON p.pk = c.r"
		            " ORDER BY c.s %s, c.r %s", desc, desc, desc, desc);
		bi(b, limit);
		return;
	} else if (p->drv == D_MERGE) {
		if (count_cap >= 0) {
			sbuf_adds(&b->sql, "SELECT count(*) FROM (");
			merge_arms(b, p, NULL, NULL, "DESC", count_cap);
			sbuf_addc(&b->sql, ')');
			return;
		}
		row_cols(b, p);
		sbuf_adds(&b->sql, ", w.k, 0.0, p.version FROM (");
		merge_arms(b, p, anchor, lt, desc, limit);
		sbuf_printf(&b->sql, ") w CROSS JOIN papers p ON p.pk = w.k ORDER BY w.k %s", desc);
		return;
	} else {
		if (count_cap >= 0) {
			sbuf_adds(&b->sql, "SELECT count(*) FROM (SELECT 1");
			add_from_where(b, p, p->match);
			sbuf_adds(&b->sql, " LIMIT ?)");
			bi(b, count_cap);
			return;
		}
		if (p->mode == M_UPVOTES) {
			row_cols(b, p);
			sbuf_adds(&b->sql, ", p.upvotes, 0.0, p.version");
			add_from_where(b, p, p->match);
			if (anchor) {
				sbuf_printf(&b->sql, " AND (p.upvotes, p.pk) %s (?, ?)", lt);
				bi(b, anchor->k1);
				bi(b, anchor->k2);
			}
			sbuf_printf(&b->sql, " ORDER BY p.upvotes %s, p.pk %s", desc, desc);
		} else {
			row_cols(b, p);
			sbuf_printf(&b->sql, ", %s, 0.0, p.version", p->key);
			add_from_where(b, p, p->match);
			if (anchor) {
				sbuf_printf(&b->sql, " AND %s %s ?", p->key, lt);
				bi(b, anchor->k1);
			}
			sbuf_printf(&b->sql, " ORDER BY %s %s", p->key, desc);
		}
	}
	sbuf_adds(&b->sql, " LIMIT ?");
	bi(b, limit);
}

static void row_from(sqlite3_stmt *st, struct store_row *r, enum mode mode)
{
	memset(r, 0, sizeof *r);
	r->rowid = sqlite3_column_int64(st, 0);
	r->id = store_col_text(st, 1);
	r->title = store_col_text(st, 2);
	r->first_author = store_col_text(st, 3);
	r->n_authors = (size_t)sqlite3_column_int64(st, 4);
	r->organization = store_col_text(st, 5);
	r->published = sqlite3_column_int64(st, 6);
	r->upvotes = sqlite3_column_int64(st, 7);
	int user = sqlite3_column_int(st, 8);
	r->favourite = (user & ROW_FAV) != 0;
	r->read = (user & ROW_READ) != 0;
	r->has_note = (user & ROW_NOTE) != 0;
	r->org_submitter = (user & ROW_ORG_SUBMITTER) != 0;
	r->replaced = (user & ROW_REPLACED) != 0;
	r->hidden = (user & ROW_HIDDEN) != 0;
	r->watched = (user & ROW_WATCHED) != 0;
	if (sqlite3_column_count(st) > 12)
		r->why = store_col_text(st, 12);
	r->withdrawn = (user & ROW_WITHDRAWN) != 0;
	r->version = sqlite3_column_int(st, 11);
	if (mode == M_CAND_RANK || mode == M_CAND_UPVOTES || mode == M_DAY) {
		r->key.score = sqlite3_column_double(st, 10);
		r->key.k1 = util_double_to_i64(r->key.score);
	} else {
		r->key.k1 = sqlite3_column_int64(st, 9);
	}
	r->key.k2 = r->rowid;
	r->date = r->published ? r->published : r->rowid >> STORE_PK_SHIFT;
}

void store_row_clear(struct store_row *r)
{
	if (!r)
		return;
	free(r->id);
	free(r->title);
	free(r->first_author);
	free(r->organization);
	free(r->why);
	r->id = r->title = r->first_author = r->organization = r->why = NULL;
}

void store_rows_clear(struct store_rows *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		store_row_clear(&r->v[i]);
	free(r->v);
	memset(r, 0, sizeof *r);
}

/* When the rewrite is given up for the plain prefix query. Walking `mod*` costs ~5 us per row
 * checked (1M papers); the plain `model*` costs up to ~150 ms, less the rarer the long prefix
 * is. For a query that needs `need` rows the walk costs need/d checks at a density d
 * (`model*` rows per `mod*` row), so the walk stops once it has made more than `ratio` checks
 * per row that passed (after a first STORE_PFX_PROBE checks, to measure d), or need x ratio +
 * STORE_PFX_PROBE in all. ratio = sqrt(10000 / need), from the measured break-even (BENCHMARKS.md):
 * a window of 50 allows 14 checks per passing row; at least 4, since on real text the plain
 * query merges many long doclists (`robu*` at 1M: 75 ms plain, 57 ms with 3,800 checks). */
static int64_t pfx_ratio(int64_t need)
{
	int64_t q = 10000 / (need > 0 ? need : 1), r = 1;
	while ((r + 1) * (r + 1) <= q)
		r++;
	return r < 4 ? 4 : r;
}

static int fetch_rows(struct store *s, const struct store_view *view,
                      const struct store_key *anchor, int dir, size_t limit,
                      struct store_rows *out, struct lerr *e)
{
	static const struct store_view all = { 0 };
	if (!view)
		view = &all;
	if (limit == 0)
		return 0;
	int64_t lim = limit > INT64_MAX ? INT64_MAX : (int64_t)limit;
	bool fwd = dir >= 0;
	size_t first = out->n;
	int ret = -1;
	for (int attempt = 0; attempt < 2; attempt++) {
		struct plan p;
		if (plan_make(s, view, &p, attempt == 0 && s->pfx_mode != STORE_PFX_NEVER, e) < 0)
			return -1;
		struct qb b = {0};
		build(&b, &p, anchor, fwd, lim, -1);
		/* Rows the query must produce: the window, or the whole candidate set. */
		int64_t need = p.mode == M_CAND_UPVOTES ? p.newest
		               : p.mode == M_CAND_RANK ? p.newest + p.titles : lim;
		if (attempt == 0) {   /* after a fallback they tell what happened */
			s->pfx_checks = s->pfx_passes = 0;
			s->pfx_over = false;
		}
		s->pfx_ratio = pfx_ratio(need);
		s->pfx_budget = !p.pfx || s->pfx_mode == STORE_PFX_ALWAYS ? 0
		                : s->pfx_mode == STORE_PFX_TINY ? 1
		                : need < (INT64_MAX - STORE_PFX_PROBE) / s->pfx_ratio
		                ? need * s->pfx_ratio + STORE_PFX_PROBE : 0;
		sqlite3_stmt *st = store_cached(s, b.sql.s, e);
		int rc = SQLITE_ERROR;
		if (st) {
			bind_all(st, &b);
			while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
				if (out->n == out->cap) {
					out->cap = out->cap ? out->cap * 2 : 64;
					out->v = xreallocarray(out->v, out->cap, sizeof *out->v);
				}
				row_from(st, &out->v[out->n++], p.mode);
			}
			sqlite3_reset(st);
		}
		bool retry = attempt == 0 && st && rc != SQLITE_DONE && s->pfx_over;
		s->pfx_budget = 0;
		qb_free(&b);
		plan_free(&p);
		if (retry) {   /* a rare long prefix: the plain query is the cheaper one */
			while (out->n > first)
				store_row_clear(&out->v[--out->n]);
			continue;
		}
		if (!st)
			break;
		if (rc != SQLITE_DONE) {
			store_db_error(s, e, rc, "reading the list");
			while (out->n > first)
				store_row_clear(&out->v[--out->n]);
			break;
		}
		if (!fwd)   /* fetched in reverse: put them back in view order */
			for (size_t i = first, j = out->n; i + 1 < j; i++, j--) {
				struct store_row t = out->v[i];
				out->v[i] = out->v[j - 1];
				out->v[j - 1] = t;
			}
		ret = 0;
		break;
	}
	return ret;
}

int store_window(struct store *s, const struct store_view *view, const struct store_key *anchor,
                 int dir, size_t limit, struct store_rows *out, struct lerr *e)
{
	return fetch_rows(s, view, anchor, dir, limit, out, e);
}

/* The rows of a plan, counting at most cap. */
static int64_t count_plan(struct store *s, struct plan *p, int64_t cap, struct lerr *e)
{
	struct qb b = {0};
	build(&b, p, NULL, true, 0, cap < 0 ? INT64_MAX : cap);
	sqlite3_stmt *st = store_cached(s, b.sql.s, e);
	int64_t n = -1;
	if (st) {
		bind_all(st, &b);
		int rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			n = sqlite3_column_int64(st, 0);
		else
			store_db_error(s, e, rc, "counting");
		sqlite3_reset(st);
	}
	qb_free(&b);
	return n;
}

int64_t store_count(struct store *s, const struct store_view *view, int64_t cap, struct lerr *e)
{
	static const struct store_view all = { 0 };
	struct plan p;
	if (plan_make(s, view ? view : &all, &p, false, e) < 0)
		return -1;
	int64_t n = count_plan(s, &p, cap, e);
	plan_free(&p);
	return n;
}

int store_each_row(struct store *s, const struct store_view *view, size_t limit, store_row_cb cb,
                   void *ctx, struct lerr *e)
{
	static const struct store_view all = { 0 };
	struct plan p;
	/* No prefix rewrite (its budget is for windows): a long prefix as its words, else the
	 * plain prefix query. */
	if (plan_make(s, view ? view : &all, &p, false, e) < 0)
		return -1;
	struct qb b = {0};
	build(&b, &p, NULL, true, limit && limit < INT64_MAX ? (int64_t)limit : INT64_MAX, -1);
	/* Its own statement, not the cache: callbacks may use cached ones while it steps. */
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(s->db, b.sql.s, -1, &st, NULL), ret = 0;
	if (rc == SQLITE_OK) {
		bind_all(st, &b);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			struct store_row r;
			row_from(st, &r, p.mode);
			int stop = cb(ctx, &r);
			store_row_clear(&r);
			if (stop) {
				rc = SQLITE_DONE;
				break;
			}
		}
	}
	if (rc != SQLITE_DONE)
		ret = store_db_error(s, e, rc, "reading the list");
	sqlite3_finalize(st);
	qb_free(&b);
	plan_free(&p);
	return ret;
}

struct each_ctx {
	struct store *s;
	store_paper_cb cb;
	void *ctx;
	struct lerr *e;
	bool failed;
};

static int each_paper(void *ctx, const struct store_row *r)
{
	struct each_ctx *x = ctx;
	struct paper p;
	if (store_read_paper_pk(x->s, r->rowid, &p, x->e) < 0) {
		if (x->e && x->e->kind == LERR_NOTFOUND) {
			*x->e = (struct lerr){0};
			return 0;   /* re-keyed by a concurrent writer; skip it */
		}
		x->failed = true;
		return 1;
	}
	int stop = x->cb(x->ctx, &p);
	paper_clear(&p);
	return stop;
}

int store_each(struct store *s, const struct store_view *view, size_t limit, store_paper_cb cb,
               void *ctx, struct lerr *e)
{
	struct each_ctx x = { s, cb, ctx, e, false };
	if (store_each_row(s, view, limit, each_paper, &x, e) < 0)
		return -1;
	return x.failed ? -1 : 0;
}

int store_bound(struct store *s, const struct store_view *view, int64_t cap,
                struct store_bound *out, struct lerr *e)
{
	static const struct store_view all = { 0 };
	memset(out, 0, sizeof *out);
	struct plan p;
	if (plan_make(s, view ? view : &all, &p, false, e) < 0)
		return -1;
	int ret = 0;
	if ((p.mode == M_CAND_RANK || p.mode == M_CAND_UPVOTES) && !p.v->rank_all) {
		out->ranked = true;
		out->newest = p.newest;
		out->candidates = count_plan(s, &p, cap, e);
		p.mode = M_DATE;   /* the same rows in date order: every match */
		out->matches = out->candidates < 0 ? -1 : count_plan(s, &p, cap, e);
		if (out->candidates < 0 || out->matches < 0)
			ret = -1;
		out->bounded = ret == 0 && out->matches > out->candidates;
	}
	plan_free(&p);
	return ret;
}

int store_hf_day_step(struct store *s, const char *day, int dir, char *out, size_t n,
                      struct lerr *e)
{
	const char *sql = dir < 0
		? "SELECT day FROM listings WHERE kind = 3 AND day < ?1 AND day <> ''"
		  " ORDER BY day DESC LIMIT 1"
		: "SELECT day FROM listings WHERE kind = 3 AND day > ?1 ORDER BY day ASC LIMIT 1";
	sqlite3_stmt *st = store_cached(s, sql, e);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, day ? day : dir < 0 ? "9999" : "", -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st), ret = 0;
	if (rc == SQLITE_ROW) {
		const char *d = (const char *)sqlite3_column_text(st, 0);
		snprintf(out, n, "%s", d ? d : "");
		ret = 1;
	} else if (rc != SQLITE_DONE) {
		ret = store_db_error(s, e, rc, "finding a Daily Papers day");
	}
	sqlite3_reset(st);
	return ret;
}

/* ---- bulk user state over a view (store.h) ---------------------------------------------------
 * Here, above store.c: it walks the view with store_window() and writes through store.c. */
int64_t store_view_mark_read(struct store *s, const struct store_view *view, char ***ids,
                             size_t *n_ids, struct lerr *e)
{
	enum { STEP = 512 };
	char **v = NULL;
	size_t n = 0, cap = 0;
	struct store_rows rows = {0};
	struct store_key key;
	bool more = true, from_start = true;
	*ids = NULL;
	*n_ids = 0;
	/* the unread papers first, a window at a time (memory bounded by their ids) */
	while (more) {
		if (store_window(s, view, from_start ? NULL : &key, 1, STEP, &rows, e) < 0) {
			store_rows_clear(&rows);
			store_ids_free(v, n);
			return -1;
		}
		more = rows.n == STEP;
		from_start = false;
		for (size_t i = 0; i < rows.n; i++) {
			if (rows.v[i].read)
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				v = xreallocarray(v, cap, sizeof *v);
			}
			v[n++] = xstrdup(rows.v[i].id);
		}
		if (rows.n)
			key = rows.v[rows.n - 1].key;
		store_rows_clear(&rows);
	}
	if (n == 0)
		return 0;
	if (store_begin(s, e) < 0) {
		store_ids_free(v, n);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (store_set_read(s, v[i], true, e) < 0) {
			store_rollback(s);
			store_ids_free(v, n);
			return -1;
		}
	if (store_commit(s, e) < 0) {
		store_rollback(s);
		store_ids_free(v, n);
		return -1;
	}
	*ids = v;
	*n_ids = n;
	return (int64_t)n;
}
