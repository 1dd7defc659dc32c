/* store_query — the search syntax, and the SQL for every list view.
 *
 * The user's query is parsed here into (a) an FTS5 MATCH expression in which every user term is
 * a quoted string (so user text can never be FTS5 syntax) and (b) SQL conditions whose values
 * are bound parameters. SQL text is assembled only from the fixed fragments below.
 *
 * Orders (pk is the date-ordered rowid, see store_int.h):
 *   date       exact; an index walk of whichever table drives the view (papers, the FTS
 *              doclists, sourced, or the favourites), newest first.
 *   upvotes    exact index walk for the whole cache or one HF day without a query; otherwise
 *              the newest STORE_CANDIDATES rows of the view, ordered by upvotes.
 *   relevance  the newest STORE_CANDIDATES matches, ordered by lectern_rank() (BM25-like term
 *              saturation over title x4, authors and organisation x2, abstract and AI
 *              summary x1; no IDF because every candidate contains every term). Cost
 *              stays bounded for `model` or `gen*`; the price is that an old paper is only
 *              ranked when it is among the newest matches.
 */
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "store_int.h"

/* ---- lectern_rank() ------------------------------------------------------------------------ */

static fts5_api *fts5_api_of(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	sqlite3_finalize(st);
	return api;
}

enum { RANK_MAX_PHRASES = 32, RANK_COLS = STORE_N_FTS_COLS, PFX_MAX_ARGS = 4 };
#define PFX_PROBE 200   /* exact checks before their pass rate may end the rewrite (fetch_rows) */
/* title, abstract, authors, cats (a filter: no weight), organization, ai_summary */
static const double rank_weight[RANK_COLS] = { 4.0, 1.0, 2.0, 0.0, 2.0, 1.0 };

/* ---- the exact check of a long prefix ------------------------------------------------------
 * FTS5 answers `model*` by merging the doclists of every term that starts with "model" before
 * it returns the first row (130 ms on 1M papers, whatever the LIMIT), while `mod*` is one
 * doclist of the prefix index (prefix='2 3'), read lazily in rowid order. So store_window
 * searches a long prefix as its 3-letter prefix, and lectern_pfx() keeps the rows whose
 * matched tokens really start with the whole prefix: it finds the tokens at the phrase's
 * instance offsets by tokenizing those columns with the table's own tokenizer. Arguments after
 * the FTS table: (phrase index, folded prefix) pairs; lectern_rank() takes the same pairs and
 * counts only the instances that pass, so scores equal those of the plain prefix query. */

struct pfx_arg {
	int phrase;
	const char *s;
	int n;
};
struct pfx_hit {
	int col, off, arg;
	bool hit;
};
struct pfx_walk {
	struct pfx_hit *h;
	int n, i, pos;
	const struct pfx_arg *a;
};

static int pfx_token(void *ctx, int flags, const char *tok, int ntok, int start, int end)
{
	(void)start;
	(void)end;
	struct pfx_walk *w = ctx;
	if (flags & FTS5_TOKEN_COLOCATED)
		return SQLITE_OK;
	int pos = w->pos++;
	while (w->i < w->n && w->h[w->i].off < pos)
		w->i++;
	while (w->i < w->n && w->h[w->i].off == pos) {
		const struct pfx_arg *a = &w->a[w->h[w->i].arg];
		w->h[w->i].hit = ntok >= a->n && memcmp(tok, a->s, (size_t)a->n) == 0;
		w->i++;
	}
	return w->i < w->n ? SQLITE_OK : SQLITE_DONE;   /* DONE: every wanted token seen */
}

static int hit_cmp(const void *x, const void *y)
{
	const struct pfx_hit *a = x, *b = y;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	if (a->off != b->off)
		return a->off < b->off ? -1 : 1;
	return (a->arg > b->arg) - (a->arg < b->arg);
}

/* Reads the (phrase, prefix) pairs of val[0..nval). Returns the count, or -1 when malformed. */
static int pfx_args_of(const Fts5ExtensionApi *api, Fts5Context *fts, int nval,
                       sqlite3_value **val, struct pfx_arg *a)
{
	if (nval % 2 || nval / 2 > PFX_MAX_ARGS)
		return -1;
	for (int k = 0; k < nval / 2; k++) {
		a[k].phrase = sqlite3_value_int(val[2 * k]);
		a[k].s = (const char *)sqlite3_value_text(val[2 * k + 1]);
		a[k].n = sqlite3_value_bytes(val[2 * k + 1]);
		if (!a[k].s || a[k].phrase < 0 || a[k].phrase >= api->xPhraseCount(fts))
			return -1;
	}
	return nval / 2;
}

/* The instances of the pairs' phrases in this row, each marked when its token starts with the
 * whole prefix. any_each: stop as soon as every pair has one (*all tells whether they do).
 * *out is sqlite3_malloc'd (caller frees). Returns an SQLite code. */
static int pfx_hits(const Fts5ExtensionApi *api, Fts5Context *fts, const struct pfx_arg *a,
                    int na, bool any_each, struct pfx_hit **out, int *nout, bool *all)
{
	struct pfx_hit *h = NULL;
	int n = 0, cap = 0, rc = SQLITE_OK;
	*out = NULL;
	*nout = 0;
	*all = false;
	for (int k = 0; k < na; k++) {
		Fts5PhraseIter it;
		int col = -1, off = 0;
		for (rc = api->xPhraseFirst(fts, a[k].phrase, &it, &col, &off);
		     rc == SQLITE_OK && col >= 0; api->xPhraseNext(fts, &it, &col, &off)) {
			if (n == cap) {
				cap = cap ? cap * 2 : 32;
				struct pfx_hit *nh = sqlite3_realloc64(h, (sqlite3_uint64)cap * sizeof *h);
				if (!nh) {
					sqlite3_free(h);
					return SQLITE_NOMEM;
				}
				h = nh;
			}
			h[n++] = (struct pfx_hit){ .col = col, .off = off, .arg = k };
		}
		if (rc != SQLITE_OK) {
			sqlite3_free(h);
			return rc;
		}
	}
	if (n > 1)
		qsort(h, (size_t)n, sizeof *h, hit_cmp);
	bool got[PFX_MAX_ARGS] = { false };
	int ngot = 0;
	for (int i = 0; i < n;) {
		int j = i;
		while (j < n && h[j].col == h[i].col)
			j++;
		const char *z = NULL;
		int nz = 0;
		rc = api->xColumnText(fts, h[i].col, &z, &nz);
		if (rc == SQLITE_OK && z) {
			struct pfx_walk w = { .h = h + i, .n = j - i, .a = a };
			rc = api->xTokenize(fts, z, nz, &w, pfx_token);
			if (rc == SQLITE_DONE)
				rc = SQLITE_OK;
		}
		if (rc != SQLITE_OK) {
			sqlite3_free(h);
			return rc;
		}
		for (; i < j; i++)
			if (h[i].hit && !got[h[i].arg]) {
				got[h[i].arg] = true;
				ngot++;
			}
		if (any_each && ngot == na)
			break;
	}
	*all = ngot == na;
	*out = h;
	*nout = n;
	return SQLITE_OK;
}

/* lectern_pfx(papers_fts, phrase, prefix, ...): 1 when every pair's phrase matched a token
 * that starts with its whole prefix. Counts its calls against the store's budget (see
 * fetch_rows): past it, it fails the statement and the caller runs the plain query. */
static void pfx_fn(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
                   int nval, sqlite3_value **val)
{
	struct store *s = api->xUserData(fts);
	if (s && ++s->pfx_checks > 0 && s->pfx_budget > 0 &&
	    (s->pfx_checks > s->pfx_budget ||
	     (s->pfx_checks > PFX_PROBE && s->pfx_passes * s->pfx_ratio < s->pfx_checks))) {
		s->pfx_over = true;
		sqlite3_result_error(ctx, "lectern: prefix check over budget", -1);
		return;
	}
	struct pfx_arg a[PFX_MAX_ARGS];
	int na = pfx_args_of(api, fts, nval, val, a);
	if (na < 0) {
		sqlite3_result_error(ctx, "lectern_pfx: bad arguments", -1);
		return;
	}
	struct pfx_hit *h;
	int n;
	bool all;
	int rc = pfx_hits(api, fts, a, na, true, &h, &n, &all);
	sqlite3_free(h);
	if (rc != SQLITE_OK) {
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	if (s && all)
		s->pfx_passes++;
	sqlite3_result_int(ctx, all);
}

static void rank_fn(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
                    int nval, sqlite3_value **val)
{
	double *avg = api->xGetAuxdata(fts, 0);
	int ncol = api->xColumnCount(fts);
	if (ncol > RANK_COLS)
		ncol = RANK_COLS;
	if (!avg) {
		/* Average column lengths: read once per query from the FTS totals record. */
		avg = sqlite3_malloc(sizeof(double) * RANK_COLS);
		if (!avg) {
			sqlite3_result_error_nomem(ctx);
			return;
		}
		sqlite3_int64 rows = 0, total = 0;
		api->xRowCount(fts, &rows);
		for (int c = 0; c < RANK_COLS; c++) {
			total = 0;
			if (c < ncol)
				api->xColumnTotalSize(fts, c, &total);
			avg[c] = rows > 0 && total > 0 ? (double)total / (double)rows : 1.0;
		}
		if (api->xSetAuxdata(fts, avg, sqlite3_free) != SQLITE_OK) {
			sqlite3_result_error_nomem(ctx);
			return;
		}
	}
	int tf[RANK_MAX_PHRASES][RANK_COLS] = {{0}};
	int ninst = 0, nphrase = api->xPhraseCount(fts);
	if (nphrase > RANK_MAX_PHRASES)
		nphrase = RANK_MAX_PHRASES;
	/* Rewritten long prefixes: count only the instances whose token has the whole prefix. */
	struct pfx_arg a[PFX_MAX_ARGS];
	bool rewritten[RANK_MAX_PHRASES] = { false };
	int na = pfx_args_of(api, fts, nval, val, a);
	if (na < 0) {
		sqlite3_result_error(ctx, "lectern_rank: bad arguments", -1);
		return;
	}
	if (na > 0) {
		struct pfx_hit *h;
		int n, rc;
		bool all;
		if ((rc = pfx_hits(api, fts, a, na, false, &h, &n, &all)) != SQLITE_OK) {
			sqlite3_result_error_code(ctx, rc);
			return;
		}
		for (int k = 0; k < na; k++)
			if (a[k].phrase < nphrase)
				rewritten[a[k].phrase] = true;
		for (int i = 0; i < n; i++)
			if (h[i].hit && a[h[i].arg].phrase < nphrase && h[i].col < ncol)
				tf[a[h[i].arg].phrase][h[i].col]++;
		sqlite3_free(h);
	}
	if (api->xInstCount(fts, &ninst) != SQLITE_OK) {
		sqlite3_result_double(ctx, 0);
		return;
	}
	for (int i = 0; i < ninst; i++) {
		int ph, col, off;
		if (api->xInst(fts, i, &ph, &col, &off) == SQLITE_OK && ph < nphrase && col < ncol &&
		    !rewritten[ph])
			tf[ph][col]++;
	}
	const double k1 = 1.2, b = 0.75;
	double score = 0;
	for (int c = 0; c < ncol; c++) {
		if (rank_weight[c] == 0)
			continue;
		int len = 0;
		api->xColumnSize(fts, c, &len);
		double norm = k1 * (1 - b + b * (double)len / avg[c]);
		for (int p = 0; p < nphrase; p++)
			if (tf[p][c])
				score += rank_weight[c] * tf[p][c] * (k1 + 1) / (tf[p][c] + norm);
	}
	sqlite3_result_double(ctx, score);
}

int store_query_register(struct store *s)
{
	fts5_api *api = fts5_api_of(s->db);
	if (!api)
		return SQLITE_ERROR;
	int rc = store_tok_register(api);
	if (rc == SQLITE_OK)
		rc = api->xCreateFunction(api, "lectern_rank", NULL, rank_fn, NULL);
	return rc == SQLITE_OK ? api->xCreateFunction(api, "lectern_pfx", s, pfx_fn, NULL) : rc;
}

/* ---- the search syntax ---------------------------------------------------------------------- */

enum { SQUERY_MAX_IDS = 8, SQUERY_MAX_TAGS = 8 };

/* A long prefix (`model*`) rewritten to its indexed 3-letter prefix (`mod*`) plus an exact
 * check of the matched tokens (see lectern_pfx() below). */
enum { SQUERY_MAX_PFX = 4, PFX_INDEXED = 3, PFX_MAX = 62 };
struct squery_pfx {
	int phrase;                   /* index of the phrase in the positive MATCH expression */
	char text[PFX_MAX + 1];       /* the whole prefix, folded as the tokenizer folds it */
};

struct squery {
	struct sbuf pos;          /* FTS5: positive terms joined by AND */
	struct sbuf pos_short;    /* the same with long prefixes cut to PFX_INDEXED letters */
	struct squery_pfx pfx[SQUERY_MAX_PFX];
	int n_pfx;
	int n_phrases;            /* phrases in pos so far */
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
};

static void squery_free(struct squery *q)
{
	sbuf_free(&q->pos);
	sbuf_free(&q->pos_short);
	sbuf_free(&q->neg);
	for (size_t i = 0; i < q->n_ids; i++)
		free(q->ids[i]);
	for (size_t i = 0; i < q->n_xids; i++)
		free(q->xids[i]);
	for (size_t i = 0; i < q->n_tags; i++)
		free(q->tags[i]);
	for (size_t i = 0; i < q->n_xtags; i++)
		free(q->xtags[i]);
	memset(q, 0, sizeof *q);
}

static int usage(struct lerr *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int usage(struct lerr *e, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	lerr_set(e, LERR_USAGE, 0, "search: %s", msg);
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
 * (unicode61 folds those exactly so; other text keeps the plain prefix query). */
static bool pfx_rewritable(const char *s, size_t n)
{
	if (n <= PFX_INDEXED || n > PFX_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80)
			return false;
	return true;
}

/* Appends one FTS5 phrase (optional column filter, the text as a quoted string, optional '*')
 * to the excluded or the positive terms; positives also go to pos_short, where a long prefix
 * is cut to its indexed length and recorded for the exact check. */
static void add_phrase(struct squery *q, bool neg, const char *col, const char *s, size_t n,
                       bool prefix)
{
	if (neg) {
		put_phrase(&q->neg, " OR ", col, s, n, prefix);
		return;
	}
	put_phrase(&q->pos, " AND ", col, s, n, prefix);
	if (prefix && q->n_pfx < SQUERY_MAX_PFX && q->n_phrases < RANK_MAX_PHRASES &&
	    pfx_rewritable(s, n)) {
		struct squery_pfx *x = &q->pfx[q->n_pfx++];
		x->phrase = q->n_phrases;
		for (size_t i = 0; i < n; i++)
			x->text[i] = (char)tolower((unsigned char)s[i]);
		x->text[n] = 0;
		put_phrase(&q->pos_short, " AND ", col, x->text, PFX_INDEXED, true);
	} else {
		put_phrase(&q->pos_short, " AND ", col, s, n, prefix);
	}
	q->n_phrases++;
}

/* Words without a field search the text columns, not the category tokens (`he*` must not
 * find every hep-th paper through its token hep1th). */
#define TEXT_COLS "{title abstract authors organization ai_summary}"

/* cat:X as FTS: the `cats` column holds each category as one token, lower case with '.' -> 0,
 * '-' -> 1, '_' -> 2 (see schema v3 in store_schema.c). cat:cs.LG is the token cs0lg; a value
 * without a dot (cat:cs, cat:hep-th) is an archive: its own token or any token of its
 * subjects (cs0...). */
static int add_category(struct squery *q, bool neg, const char *v, struct lerr *e)
{
	char tok[80];
	size_t n = 0;
	bool dot = false;
	for (const char *c = v; *c; c++) {
		char t = (char)tolower((unsigned char)*c);
		if (isalnum((unsigned char)t))
			;
		else if (t == '.')
			t = '0', dot = true;
		else if (t == '-')
			t = '1';
		else if (t == '_')
			t = '2';
		else
			return usage(e, "cat:%s: not a category (e.g. cat:cs.LG or cat:hep-th)", v);
		if (n + 1 >= sizeof tok)
			return usage(e, "cat:%s: too long for a category", v);
		tok[n++] = t;
	}
	tok[n] = 0;
	for (int k = 0; k < (neg ? 1 : 2); k++) {
		struct sbuf *b = neg ? &q->neg : k ? &q->pos_short : &q->pos;
		if (b->len)
			sbuf_adds(b, neg ? " OR " : " AND ");
		if (dot)
			sbuf_printf(b, "cats : \"%s\"", tok);
		else
			sbuf_printf(b, "(cats : \"%s\" OR cats : \"%s0\" *)", tok, tok);
	}
	if (!neg)
		q->n_phrases += dot ? 1 : 2;
	return 0;
}

/* tag:NAME (a leading '#' dropped; letters compared without case, as SQLite's lower() does). */
static int add_tag(struct squery *q, bool neg, const char *v, struct lerr *e)
{
	while (*v == '#')
		v++;
	if (!*v || strpbrk(v, " \t,"))
		return usage(e, "tag:%s: expects one tag name (e.g. tag:to-read)", v);
	if ((neg ? q->n_xtags : q->n_tags) >= SQUERY_MAX_TAGS)
		return usage(e, "too many tags in one search (at most %d)", SQUERY_MAX_TAGS);
	char *t = xasprintf(" %s ", v);
	for (char *c = t; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	if (neg)
		q->xtags[q->n_xtags++] = t;
	else
		q->tags[q->n_tags++] = t;
	return 0;
}

static bool is_field(const char *name)
{
	static const char *const fields[] = { "ti", "abs", "au", "org", "cat", "is", "has",
	                                      "tag", "after", "before", "since", "until", "date",
	                                      "id" };
	for (size_t i = 0; i < ARRAY_LEN(fields); i++)
		if (!strcmp(name, fields[i]))
			return true;
	return false;
}

/* An arXiv id as a search term (`2405.12090`, `2405.12090v3`, `arXiv:2405.12090`, an
 * arxiv.org/abs/ URL, `id:2405.12090`) selects that paper. Returns 1 when the term was an id
 * (recorded in q), 0 when it is not one, -1 on a usage error. */
static int add_id(struct squery *q, bool neg, const char *field, size_t flen, const char *name,
                  const char *val, size_t vlen, bool prefix, struct lerr *e)
{
	bool id_field = field && !strcmp(name, "id");
	if (field && !id_field && is_field(name))
		return 0;
	struct sbuf raw = {0};
	if (field && !id_field) {
		sbuf_add(&raw, field, flen);
		sbuf_addc(&raw, ':');
	}
	sbuf_add(&raw, val, vlen);
	char id[64];
	int ret = 0;
	const char *t = raw.s ? raw.s : "";
	bool ok = !prefix && paper_parse_arxiv_id(t, id, sizeof id, NULL) == 0;
	if (!ok && (!strncasecmp(t, "arxiv.org/", 10) || !strncasecmp(t, "www.arxiv.org/", 14))) {
		char *url = xasprintf("https://%s", t);   /* a URL without its scheme */
		ok = paper_parse_arxiv_id(url, id, sizeof id, NULL) == 0;
		free(url);
	}
	if (!ok) {
		if (id_field)
			ret = usage(e, "id:%s%s: not an arXiv id (e.g. id:2405.12090 or "
			               "id:hep-th/9901001)", t, prefix ? "*" : "");
	} else if ((neg ? q->n_xids : q->n_ids) >= SQUERY_MAX_IDS) {
		ret = usage(e, "too many arXiv ids in one search (at most %d)", SQUERY_MAX_IDS);
	} else {
		if (neg)
			q->xids[q->n_xids++] = xstrdup(id);
		else
			q->ids[q->n_ids++] = xstrdup(id);
		ret = 1;
	}
	sbuf_free(&raw);
	return ret;
}

/* One term (already split off): field filters, is:, dates, ids, words and phrases. */
static int parse_term(struct squery *q, bool neg, const char *field, size_t flen,
                      const char *val, size_t vlen, bool quoted, bool prefix, struct lerr *e)
{
	char name[16] = "";
	if (field) {
		/* Long names are aliases of the short ones; anything else is not a field. */
		static const char *const alias[][2] = {
			{ "title", "ti" }, { "abstract", "abs" }, { "author", "au" }, { "authors", "au" },
			{ "category", "cat" }, { "categories", "cat" }, { "organization", "org" },
			{ "organisation", "org" }, { "tags", "tag" },
		};
		if (flen < sizeof name) {
			for (size_t i = 0; i < flen; i++)
				name[i] = (char)tolower((unsigned char)field[i]);
			name[flen] = 0;
		}
		for (size_t i = 0; i < ARRAY_LEN(alias); i++)
			if (!strcmp(name, alias[i][0]))
				snprintf(name, sizeof name, "%s", alias[i][1]);
		bool text = !strcmp(name, "ti") || !strcmp(name, "abs") || !strcmp(name, "au") ||
		            !strcmp(name, "org");
		if (vlen == 0 && is_field(name) && !(prefix && text))   /* `ti:*`: see below */
			return usage(e, "%s: needs a value (e.g. au:hinton, cat:cs.LG, after:2025-01-01)",
			             name);
	}
	if ((!quoted && !prefix) || (field && !strcmp(name, "id"))) {
		int r = add_id(q, neg, field, flen, name, val, vlen, prefix, e);
		if (r != 0)
			return r < 0 ? -1 : 0;
	}
	char *v = xstrndup(val, vlen);
	int ret = 0;
	if (!field || !strcmp(name, "ti") || !strcmp(name, "abs") || !strcmp(name, "au") ||
	    !strcmp(name, "org")) {
		/* abs: also searches the AI summary (Hugging Face's short abstract) */
		const char *col = !field ? NULL : !strcmp(name, "ti") ? "title"
		                  : !strcmp(name, "abs") ? "{abstract ai_summary}"
		                  : !strcmp(name, "org") ? "organization" : "authors";
		if (prefix && vlen < 2)
			ret = usage(e, "%s*: a prefix needs at least two letters before the '*' (e.g. "
			               "gen*)", v);
		else if (!quoted && !field && (!strcmp(v, "AND") || !strcmp(v, "OR") ||
		                               !strcmp(v, "NOT")))
			ret = usage(e, "%s is not an operator here: all words must match; put '-' before "
			               "a word to exclude it", v);
		else if (!quoted && !field && vlen && strspn(v, "()") == vlen)
			ret = usage(e, "%s: grouping with parentheses is not supported; all words must "
			               "match, '-word' excludes", v);
		else if (has_word(v, vlen))
			add_phrase(q, neg, col ? col : TEXT_COLS, v, vlen, prefix);
	} else if (!strcmp(name, "cat")) {
		ret = add_category(q, neg, v, e);
	} else if (!strcmp(name, "is")) {
		for (char *c = v; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		if (!strcmp(v, "fav") || !strcmp(v, "favourite") || !strcmp(v, "favorite"))
			q->fav = neg ? -1 : 1;
		else if (!strcmp(v, "unread"))
			q->read = neg ? 1 : -1;
		else if (!strcmp(v, "read"))
			q->read = neg ? -1 : 1;
		else
			ret = usage(e, "is:%s: unknown (use is:fav, is:read or is:unread)", v);
	} else if (!strcmp(name, "has")) {
		for (char *c = v; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		if (!strcmp(v, "note") || !strcmp(v, "notes"))
			q->note = neg ? -1 : 1;
		else if (!strcmp(v, "tag") || !strcmp(v, "tags"))
			q->has_tags = neg ? -1 : 1;
		else
			ret = usage(e, "has:%s: unknown (use has:note or has:tags)", v);
	} else if (!strcmp(name, "tag")) {
		ret = add_tag(q, neg, v, e);
	} else if (!strcmp(name, "after") || !strcmp(name, "before") || !strcmp(name, "since") ||
	           !strcmp(name, "until") || !strcmp(name, "date")) {
		/* A day, month or year X: after:X and before:X leave X out, since:X and until:X
		 * take it in, date:X is X (store.h). */
		int64_t start, end;
		if (neg)
			ret = usage(e, "-%s: dates cannot be excluded; use before: and after:", name);
		else if (util_parse_period(v, &start, &end) < 0)
			ret = usage(e, "%s: expects a date like 2025-01-31, 2025-01, 2025, today, "
			            "yesterday or -7 (days ago)", name);
		else {
			int64_t lo = !strcmp(name, "after") ? end
			             : !strcmp(name, "since") || !strcmp(name, "date") ? start : 0;
			int64_t hi = !strcmp(name, "before") ? start
			             : !strcmp(name, "until") || !strcmp(name, "date") ? end : 0;
			if (lo > q->lo)
				q->lo = lo;
			if (hi && (!q->hi || hi < q->hi))
				q->hi = hi;
			if (q->hi && q->lo >= q->hi)
				q->empty_range = true;
		}
	} else {
		/* Not one of our fields ("arXiv:2501.01234", "C++:"): plain text. */
		size_t n = flen + 1 + vlen;
		char *t = xmalloc(n + 1);
		memcpy(t, field, flen);
		t[flen] = ':';
		memcpy(t + flen + 1, val, vlen);
		t[n] = 0;
		if (has_word(t, n))
			add_phrase(q, neg, TEXT_COLS, t, n, prefix);
		free(t);
	}
	free(v);
	return ret;
}

static int squery_parse(const char *s, struct squery *q, struct lerr *e)
{
	memset(q, 0, sizeof *q);
	if (!s)
		return 0;
	while (*s) {
		while (isspace((unsigned char)*s))
			s++;
		if (!*s)
			break;
		bool neg = false;
		if (*s == '-' && s[1] && !isspace((unsigned char)s[1])) {
			neg = true;
			s++;
		}
		const char *field = NULL, *val;
		size_t flen = 0, vlen;
		bool quoted = false, prefix = false;
		/* field:  — letters then ':' */
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
			if (!close) {
				squery_free(q);
				return usage(e, "%s: unclosed quote; phrases look like \"neural network\"",
				             s);
			}
			val = s + 1;
			vlen = (size_t)(close - val);
			quoted = true;
			s = close + 1;
			if (*s == '*') {
				prefix = true;
				while (*s == '*')
					s++;
			}
			/* Glued text after a phrase ("ab"cd) starts the next term. */
		} else {
			val = s;
			while (*s && !isspace((unsigned char)*s))
				s++;
			vlen = (size_t)(s - val);
			while (vlen && val[vlen - 1] == '*') {
				prefix = true;
				vlen--;
			}
		}
		if (parse_term(q, neg, field, flen, val, vlen, quoted, prefix, e) < 0) {
			squery_free(q);
			return -1;
		}
	}
	return 0;
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
	struct bind b[96];
	int nb;
};

static void bi(struct qb *q, int64_t v) { q->b[q->nb++] = (struct bind){ .t = B_INT, .i = v }; }
static void br(struct qb *q, double v) { q->b[q->nb++] = (struct bind){ .t = B_REAL, .r = v }; }
static void bt(struct qb *q, const char *v) { q->b[q->nb++] = (struct bind){ .t = B_TEXT, .s = v }; }

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

enum driver { D_ALL, D_FTS, D_USER, D_SRC, D_HF, D_ID };
enum mode { M_DATE, M_UPVOTES, M_CAND_UPVOTES, M_CAND_RANK };

struct plan {
	struct squery q;
	char *match;              /* FTS MATCH for positives (with NOT part), or NULL */
	char *notmatch;           /* FTS MATCH of exclusions when there are no positives */
	enum driver drv;
	enum mode mode;
	bool pfx;                 /* match has long prefixes cut short: check with lectern_pfx() */
	const char *key;          /* the driver's pk expression */
	const struct store_view *v;
};

static void plan_free(struct plan *p)
{
	squery_free(&p->q);
	free(p->match);
	free(p->notmatch);
}

/* rewrite: search long prefixes by their indexed prefix + the exact check (see lectern_pfx). */
static int plan_make(const struct store_view *v, struct plan *p, bool rewrite, struct lerr *e)
{
	memset(p, 0, sizeof *p);
	p->v = v;
	if ((v->filter == STORE_VIEW_SOURCE && !(v->source && *v->source)) ||
	    (v->filter == STORE_VIEW_HF_DAY && !(v->day && *v->day))) {
		lerr_set(e, LERR_USAGE, 0, "this view needs a %s",
		         v->filter == STORE_VIEW_SOURCE ? "source name" : "day");
		return -1;
	}
	if (squery_parse(v->query, &p->q, e) < 0)
		return -1;
	struct squery *q = &p->q;
	p->pfx = rewrite && q->n_pfx > 0;
	const struct sbuf *pos = p->pfx ? &q->pos_short : &q->pos;
	if (pos->len && q->neg.len)
		p->match = xasprintf("(%s) NOT (%s)", pos->s, q->neg.s);
	else if (pos->len)
		p->match = xstrdup(pos->s);
	else if (q->neg.len)
		p->notmatch = xstrdup(q->neg.s);

	/* Favourites, tags and notes are made by hand: few rows, so they drive the query. */
	bool user = v->filter == STORE_VIEW_FAVOURITES || q->fav == 1 || q->n_tags ||
	            q->note == 1 || q->has_tags == 1;
	if (q->n_ids)   /* one paper at most: look it up by id, check the rest on it */
		p->drv = D_ID, p->key = "p.pk";
	else if (user)
		p->drv = D_USER, p->key = "p.pk";
	else if (p->match)
		p->drv = D_FTS, p->key = "papers_fts.rowid";
	else if (v->filter == STORE_VIEW_SOURCE)
		p->drv = D_SRC, p->key = "sc.paper";
	else if (v->filter == STORE_VIEW_HF_DAY)
		p->drv = D_HF, p->key = "p.pk";
	else
		p->drv = D_ALL, p->key = "p.pk";

	bool plain = !p->match && !p->notmatch && !q->fav && !q->read && !q->lo && !q->hi &&
	             !q->n_ids && !q->n_xids && !q->n_tags && !q->n_xtags && !q->note &&
	             !q->has_tags;
	if (v->sort == STORE_SORT_RELEVANCE && p->match)
		p->mode = M_CAND_RANK;
	else if (v->sort == STORE_SORT_UPVOTES)
		p->mode = plain && (v->filter == STORE_VIEW_ALL || v->filter == STORE_VIEW_HF_DAY)
		                  ? M_UPVOTES : M_CAND_UPVOTES;
	else
		p->mode = M_DATE;
	return 0;
}

/* ", phrase, prefix" for each long prefix (the arguments of lectern_pfx / lectern_rank). */
static void pfx_args(struct qb *b, const struct plan *p)
{
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
	sbuf_adds(&b->sql, " AND lectern_pfx(papers_fts");
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

/* FROM ... WHERE ... of the view (without ORDER/LIMIT). */
static void add_from_where(struct qb *b, const struct plan *p)
{
	const struct squery *q = &p->q;
	const struct store_view *v = p->v;
	switch (p->drv) {
	case D_FTS:
		sbuf_adds(&b->sql, " FROM papers_fts CROSS JOIN papers p ON p.pk = papers_fts.rowid"
		                   " WHERE papers_fts MATCH ?");
		bt(b, p->match);
		pfx_check(b, p);
		break;
	case D_USER:
		sbuf_adds(&b->sql, " FROM user_state f CROSS JOIN papers p ON p.id = f.id WHERE 1");
		if (v->filter == STORE_VIEW_FAVOURITES || q->fav == 1)
			sbuf_adds(&b->sql, " AND f.favourite = 1");
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
	case D_HF:
	case D_ALL:
		sbuf_adds(&b->sql, " FROM papers p WHERE 1");
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
	if (p->drv == D_ID && (v->filter == STORE_VIEW_FAVOURITES || q->fav == 1))
		sbuf_adds(&b->sql, " AND EXISTS (SELECT 1 FROM user_state f WHERE f.id = p.id"
		                   " AND f.favourite = 1)");
	if (p->drv == D_ID && (q->n_tags || q->note == 1 || q->has_tags == 1)) {
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
	if (q->has_tags == -1)
		sbuf_adds(&b->sql, " AND NOT EXISTS (SELECT 1 FROM user_state u WHERE u.id = p.id"
		                   " AND u.tags <> '')");
	if (v->filter == STORE_VIEW_SOURCE && p->drv != D_SRC) {
		sbuf_adds(&b->sql, " AND EXISTS (SELECT 1 FROM sourced s2 WHERE s2.paper = p.pk"
		                   " AND s2.source = ?)");
		bt(b, v->source);
	}
	if (v->filter == STORE_VIEW_HF_DAY) {
		sbuf_adds(&b->sql, " AND p.hf_day = ?");
		bt(b, v->day);
	}
	if (p->drv != D_FTS && p->match) {
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
#define ROW_ORG_SUBMITTER 8   /* not user state, but a flag of the row all the same */
#define ROW_COLS                                                                           \
	"p.pk, p.id, p.title, p.first_author, p.n_authors, p.organization, p.published,"   \
	" p.upvotes, coalesce((SELECT (u.favourite <> 0) + 2 * (u.read <> 0)"                 \
	" + 4 * (coalesce(u.note, '') <> '') FROM user_state u WHERE u.id = p.id), 0)"     \
	" + 8 * (p.org_submitter <> 0)"

/* Builds the row query. fwd: view order; else reverse order (caller reverses the rows).
 * count_cap >= 0 builds the count query instead. */
static void build(struct qb *b, const struct plan *p, const struct store_key *anchor, bool fwd,
                  int64_t limit, int64_t offset, int64_t count_cap)
{
	const char *lt = fwd ? "<" : ">", *desc = fwd ? "DESC" : "ASC";
	if (p->mode == M_CAND_RANK || p->mode == M_CAND_UPVOTES) {
		sbuf_printf(&b->sql, "WITH c(r, s) AS (SELECT %s, ", p->key);
		if (p->mode == M_CAND_UPVOTES) {
			sbuf_adds(&b->sql, "p.upvotes");
		} else if (p->drv == D_FTS) {
			sbuf_adds(&b->sql, "lectern_rank(papers_fts");
			pfx_args(b, p);
			sbuf_addc(&b->sql, ')');
		} else {
			sbuf_adds(&b->sql, "(SELECT lectern_rank(papers_fts");
			pfx_args(b, p);
			sbuf_adds(&b->sql, ") FROM papers_fts WHERE papers_fts MATCH ? AND"
			                   " papers_fts.rowid = p.pk)");
			bt(b, p->match);
		}
		add_from_where(b, p);
		sbuf_printf(&b->sql, " ORDER BY %s DESC LIMIT %d)", p->key, STORE_CANDIDATES);
		if (count_cap >= 0) {
			sbuf_adds(&b->sql, " SELECT count(*) FROM (SELECT 1 FROM c LIMIT ?)");
			bi(b, count_cap);
			return;
		}
		sbuf_adds(&b->sql, " SELECT " ROW_COLS ", c.s, c.s FROM c CROSS JOIN papers p"
		                   " ON p.pk = c.r");
		if (anchor) {
			sbuf_printf(&b->sql, " WHERE (c.s, c.r) %s (?, ?)", lt);
			br(b, anchor->score);
			bi(b, anchor->k2);
		}
		sbuf_printf(&b->sql, " ORDER BY c.s %s, c.r %s", desc, desc);
	} else {
		if (count_cap >= 0) {
			sbuf_adds(&b->sql, "SELECT count(*) FROM (SELECT 1");
			add_from_where(b, p);
			sbuf_adds(&b->sql, " LIMIT ?)");
			bi(b, count_cap);
			return;
		}
		if (p->mode == M_UPVOTES) {
			sbuf_adds(&b->sql, "SELECT " ROW_COLS ", p.upvotes, 0.0");
			add_from_where(b, p);
			if (anchor) {
				sbuf_printf(&b->sql, " AND (p.upvotes, p.pk) %s (?, ?)", lt);
				bi(b, anchor->k1);
				bi(b, anchor->k2);
			}
			sbuf_printf(&b->sql, " ORDER BY p.upvotes %s, p.pk %s", desc, desc);
		} else {
			sbuf_printf(&b->sql, "SELECT " ROW_COLS ", %s, 0.0", p->key);
			add_from_where(b, p);
			if (anchor) {
				sbuf_printf(&b->sql, " AND %s %s ?", p->key, lt);
				bi(b, anchor->k1);
			}
			sbuf_printf(&b->sql, " ORDER BY %s %s", p->key, desc);
		}
	}
	sbuf_adds(&b->sql, " LIMIT ? OFFSET ?");
	bi(b, limit);
	bi(b, offset);
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
	if (mode == M_CAND_RANK || mode == M_CAND_UPVOTES) {
		r->key.score = sqlite3_column_double(st, 10);
		r->key.k1 = (int64_t)r->key.score;
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
	r->id = r->title = r->first_author = r->organization = NULL;
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
 * per row that passed (after a first PFX_PROBE checks, to measure d), or need x ratio +
 * PFX_PROBE in all. ratio = sqrt(10000 / need), from the measured break-even (BENCHMARKS.md):
 * a window of 50 allows 14 checks per passing row, the 1,000 candidates of a ranked search 3. */
static int64_t pfx_ratio(int64_t need)
{
	int64_t q = 10000 / (need > 0 ? need : 1), r = 1;
	while ((r + 1) * (r + 1) <= q)
		r++;
	return r < 2 ? 2 : r;
}

static int fetch_rows(struct store *s, const struct store_view *view,
                      const struct store_key *anchor, int dir, size_t limit, size_t offset,
                      struct store_rows *out, struct lerr *e)
{
	static const struct store_view all = { 0 };
	if (!view)
		view = &all;
	if (limit == 0)
		return 0;
	int64_t lim = limit > INT64_MAX ? INT64_MAX : (int64_t)limit;
	int64_t off = offset > INT64_MAX ? INT64_MAX : (int64_t)offset;
	bool fwd = dir >= 0;
	size_t first = out->n;
	int ret = -1;
	for (int attempt = 0; attempt < 2; attempt++) {
		struct plan p;
		if (plan_make(view, &p, attempt == 0 && s->pfx_mode != STORE_PFX_NEVER, e) < 0)
			return -1;
		struct qb b = {0};
		build(&b, &p, anchor, fwd, lim, off, -1);
		/* Rows the query must produce: the window, or the whole candidate set. */
		int64_t need = p.mode == M_CAND_RANK || p.mode == M_CAND_UPVOTES
		               ? STORE_CANDIDATES : lim > INT64_MAX - off ? INT64_MAX : lim + off;
		if (attempt == 0) {   /* after a fallback they tell what happened */
			s->pfx_checks = s->pfx_passes = 0;
			s->pfx_over = false;
		}
		s->pfx_ratio = pfx_ratio(need);
		s->pfx_budget = !p.pfx || s->pfx_mode == STORE_PFX_ALWAYS ? 0
		                : s->pfx_mode == STORE_PFX_TINY ? 1
		                : need < (INT64_MAX - PFX_PROBE) / s->pfx_ratio
		                ? need * s->pfx_ratio + PFX_PROBE : 0;
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
		sbuf_free(&b.sql);
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
	return fetch_rows(s, view, anchor, dir, limit, 0, out, e);
}

int store_page(struct store *s, const struct store_view *view, size_t offset, size_t limit,
               struct store_rows *out, struct lerr *e)
{
	return fetch_rows(s, view, NULL, 1, limit, offset, out, e);
}

int64_t store_count(struct store *s, const struct store_view *view, int64_t cap, struct lerr *e)
{
	static const struct store_view all = { 0 };
	struct plan p;
	if (plan_make(view ? view : &all, &p, false, e) < 0)   /* a count reads every match */
		return -1;
	struct qb b = {0};
	build(&b, &p, NULL, true, 0, 0, cap < 0 ? INT64_MAX : cap);
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
	sbuf_free(&b.sql);
	plan_free(&p);
	return n;
}

int store_each(struct store *s, const struct store_view *view, size_t limit, store_paper_cb cb,
               void *ctx, struct lerr *e)
{
	enum { CHUNK = 128 };
	struct store_key key;
	bool have_key = false;
	size_t done = 0;
	for (;;) {
		size_t want = CHUNK;
		if (limit && limit - done < want)
			want = limit - done;
		if (want == 0)
			return 0;
		struct store_rows rows = {0};
		if (store_window(s, view, have_key ? &key : NULL, 1, want, &rows, e) < 0)
			return -1;
		for (size_t i = 0; i < rows.n; i++) {
			struct paper p;
			if (store_read_paper_pk(s, rows.v[i].rowid, &p, e) < 0) {
				if (e && e->kind == LERR_NOTFOUND)
					continue;   /* re-keyed by a concurrent writer; skip it */
				store_rows_clear(&rows);
				return -1;
			}
			int stop = cb(ctx, &p);
			paper_clear(&p);
			if (stop) {
				store_rows_clear(&rows);
				return 0;
			}
		}
		done += rows.n;
		bool more = rows.n == want;
		if (rows.n) {
			key = rows.v[rows.n - 1].key;
			have_key = true;
		}
		store_rows_clear(&rows);
		if (!more)
			return 0;
	}
}

int store_hf_day_step(struct store *s, const char *day, int dir, char *out, size_t n,
                      struct lerr *e)
{
	const char *sql = dir < 0
		? "SELECT hf_day FROM papers WHERE hf_day < ?1 ORDER BY hf_day DESC LIMIT 1"
		: "SELECT hf_day FROM papers WHERE hf_day > ?1 ORDER BY hf_day ASC LIMIT 1";
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
