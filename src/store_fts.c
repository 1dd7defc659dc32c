/* store_fts — the SQLite functions the store's FTS5 table needs on every connection: the
 * tokenizer "lectern" (store_tok.c), lectern_rank() and lectern_pfx(). Registered by store_open()
 * before papers_fts is created or used; store_query.c names them in the SQL it builds.
 *
 * This file sits below the rest of the store: it calls no other store file except store_tok.c
 * (it reads the prefix-check budget from struct store, which store_query.c sets per query). */
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lectern/util.h"
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

enum { RANK_COLS = STORE_N_FTS_COLS, PFX_MAX_ARGS = 4 };
/* title, abstract, authors, cats (a filter: no weight), organization, ai_summary */
static const double rank_weight[RANK_COLS] = { 4.0, 1.0, 2.0, 0.0, 2.0, 1.0 };

/* ---- the exact check of a long prefix ------------------------------------------------------
 * FTS5 answers `model*` by merging the doclists of every term that starts with "model" before
 * it returns the first row (130 ms on 1M papers, whatever the LIMIT), while `mod*` is one
 * doclist of the title index's prefix index (prefix='2 3'; papers_fts has none since schema 16),
 * read lazily in rowid order. So a long prefix that begins too many words to be searched as
 * them (store_terms.c) is searched in the title index as its 3-letter prefix, and
 * lectern_pfx() keeps the rows whose
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
	     (s->pfx_checks > STORE_PFX_PROBE && s->pfx_passes * s->pfx_ratio < s->pfx_checks))) {
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
	/* Every instance, not only the first of each: lectern_rank() of a passing row counts them
	 * (it is always evaluated after this check, on the same row). */
	int rc = pfx_hits(api, fts, a, na, s == NULL, &h, &n, &all);
	if (rc == SQLITE_OK && s && all) {
		s->pfx_passes++;
		memset(s->pfx_row_tf, 0, sizeof s->pfx_row_tf);
		for (int i = 0; i < n; i++)
			if (h[i].hit && a[h[i].arg].phrase < STORE_RANK_MAX_PHRASES &&
			    h[i].col < STORE_N_FTS_COLS)
				s->pfx_row_tf[a[h[i].arg].phrase][h[i].col]++;
		s->pfx_row_cursor = fts;
		s->pfx_row_id = api->xRowid(fts);
	}
	sqlite3_free(h);
	if (rc != SQLITE_OK) {
		sqlite3_result_error_code(ctx, rc);
		return;
	}
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
	int tf[STORE_RANK_MAX_PHRASES][RANK_COLS] = {{0}};
	int ninst = 0, nphrase = api->xPhraseCount(fts);
	if (nphrase > STORE_RANK_MAX_PHRASES)
		nphrase = STORE_RANK_MAX_PHRASES;
	/* Long prefixes as ORs of their words: one argument, each phrase's group ('A' + the phrase
	 * of the query it stands for), so a prefix's words count together as the prefix would. */
	const char *map = NULL;
	int nmap = 0;
	if (nval == 1) {
		map = (const char *)sqlite3_value_text(val[0]);
		nmap = sqlite3_value_bytes(val[0]);
		nval = 0;
		nphrase = STORE_RANK_MAX_PHRASES;
	}
	/* Rewritten long prefixes: count only the instances whose token has the whole prefix. */
	struct pfx_arg a[PFX_MAX_ARGS];
	bool rewritten[STORE_RANK_MAX_PHRASES] = { false };
	int na = pfx_args_of(api, fts, nval, val, a);
	if (na < 0) {
		sqlite3_result_error(ctx, "lectern_rank: bad arguments", -1);
		return;
	}
	struct store *s = api->xUserData(fts);
	if (na > 0 && s && s->pfx_row_cursor == fts && s->pfx_row_id == api->xRowid(fts)) {
		/* the row lectern_pfx() just passed: its instances are counted already */
		for (int k = 0; k < na; k++)
			if (a[k].phrase < nphrase) {
				rewritten[a[k].phrase] = true;
				for (int c = 0; c < ncol; c++)
					tf[a[k].phrase][c] = s->pfx_row_tf[a[k].phrase][c];
			}
		s->pfx_row_cursor = NULL;
	} else if (na > 0) {
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
		if (api->xInst(fts, i, &ph, &col, &off) != SQLITE_OK || col >= ncol)
			continue;
		if (map)
			ph = ph < nmap ? map[ph] - 'A' : nphrase;
		if (ph >= 0 && ph < nphrase && !rewritten[ph])
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

/* ---- the index's tokens for the ranker (store.h) ---------------------------------------------- */

struct tok_ctx {
	store_token_cb cb;
	void *ctx;
};

static int tok_one(void *p, int flags, const char *t, int n, int start, int end)
{
	struct tok_ctx *x = p;
	(void)flags, (void)start, (void)end;
	return n > 0 && x->cb(x->ctx, t, (size_t)n) ? SQLITE_DONE : SQLITE_OK;
}

/* The classes of bytes for unicode61 with the index's options (its token characters are the
 * categories L*, N* and Co; no tokenchars/separators): an ASCII letter or digit, another ASCII
 * byte (a separator), or part of a longer UTF-8 character (its top bit set). tok_classify does
 * 8 bytes at once: each byte's top bit is free once it is known to be ASCII, and adding to the
 * low 7 bits sets it exactly when the byte is at least a bound (no carry leaves the byte). */
#define B8(x) (0x0101010101010101ULL * (x))

static uint64_t load_le64(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof v);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

static void store_le64(unsigned char *p, uint64_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	memcpy(p, &v, sizeof v);
}

/* The top bit of each byte of x, byte k to bit k. */
static inline unsigned top_bits(uint64_t x)
{
	return (unsigned)(((x >> 7 & B8(1)) * 0x0102040810204080ULL) >> 56);
}

/* 8 bytes (byte k of the text in bits 8k..8k+7): *low gets them folded to lower case (A-Z; the
 * rest kept), *sep a bit for each separator, *oth a bit for each byte of a longer character. */
static inline void tok_classify(uint64_t x, uint64_t *low, unsigned *sep, unsigned *oth)
{
	uint64_t hi = x & B8(0x80), h = x & B8(0x7f), l = h | B8(0x20);
	uint64_t digit = (h + B8(0x80 - '0')) & ~(h + B8(0x80 - '9' - 1));
	uint64_t letter = (l + B8(0x80 - 'a')) & ~(l + B8(0x80 - 'z' - 1));
	uint64_t upper = (h + B8(0x80 - 'A')) & ~(h + B8(0x80 - 'Z' - 1)) & ~hi & B8(0x80);
	*low = x | upper >> 2;   /* 0x80 >> 2: the 0x20 of lower case */
	*sep = top_bits(~(digit | letter | hi) & B8(0x80));
	*oth = top_bits(hi);
}

/* Whether a bit of b in [i, j) is set (i < j). */
static bool bits_any(const uint64_t *b, size_t i, size_t j)
{
	size_t wi = i / 64, wj = (j - 1) / 64;
	uint64_t first = ~0ULL << (i % 64), last = ~0ULL >> (63 - (j - 1) % 64);
	if (wi == wj)
		return b[wi] & first & last;
	if (b[wi] & first)
		return true;
	for (size_t w = wi + 1; w < wj; w++)
		if (b[w])
			return true;
	return b[wj] & last;
}

/* The tokenizer's own tokens, the common case first: no token spans an ASCII separator, so the
 * text is cut at them; a piece that is all ASCII is one token, folded to lower case here (what
 * unicode61 does to it), and only a piece with other bytes (accents, CJK, emoji, bad UTF-8)
 * goes to the tokenizer. It gives what tokenizing the whole text gives (tests/test_rank.c
 * compares every title and abstract of the real day with the index) at a fraction of the
 * cost: the ranker tokenizes every paper it scores.
 * One pass without a branch a byte folds the text and marks its separators and its bytes of
 * longer characters in bitmaps (64 bytes a word); the pieces are then found a word at a time
 * (a loop a byte mispredicted both ends of every token: most of the cost). */
int store_tokenize(struct store *s, const char *text, size_t n, store_token_cb cb, void *ctx)
{
	if (!text || !n)
		return 0;
	if (!s->tok) {
		fts5_api *api = fts5_api_of(s->db);
		void *ud = NULL;
		const char *argv[] = {"remove_diacritics", "2"};   /* as papers_fts (schema v5) */
		if (!api || api->xFindTokenizer(api, "lectern", &ud, &s->tok_api) != SQLITE_OK ||
		    s->tok_api.xCreate(ud, argv, 2, &s->tok) != SQLITE_OK) {
			s->tok = NULL;
			return -1;
		}
	}
	enum { SMALL = 4096 };
	unsigned char small[SMALL];
	uint64_t small_bits[2 * (SMALL / 64 + 1)];
	size_t nw = n / 64 + 1;   /* a word more than the bytes fill: the end is a separator */
	unsigned char *low = n <= SMALL ? small : xmalloc(n);
	uint64_t *sep = n <= SMALL ? small_bits : xreallocarray(NULL, 2 * nw, sizeof *sep);
	uint64_t *oth = sep + nw, any_oth = 0;
	const unsigned char *t = (const unsigned char *)text;
	for (size_t w = 0; w < nw; w++) {
		uint64_t sb = 0, ob = 0;
		for (size_t q = 0, base = 64 * w; q < 8; q++, base += 8) {
			uint64_t v;
			unsigned sq = 0xff, oq = 0;   /* past the end: separators */
			if (base + 8 <= n) {
				tok_classify(load_le64(t + base), &v, &sq, &oq);
				store_le64(low + base, v);
			} else if (base < n) {   /* the last bytes, then zeros (separators) */
				unsigned char last[8] = {0};
				memcpy(last, t + base, n - base);
				tok_classify(load_le64(last), &v, &sq, &oq);
				store_le64(last, v);
				memcpy(low + base, last, n - base);
			}
			sb |= (uint64_t)sq << 8 * q;
			ob |= (uint64_t)oq << 8 * q;
		}
		sep[w] = sb;
		oth[w] = ob;
		any_oth |= ob;
	}
	struct tok_ctx x = { cb, ctx };
	int rc = SQLITE_OK;
	for (size_t i = 0; rc == SQLITE_OK;) {
		/* the next piece's first byte, then its end (a separator: the last word has them) */
		size_t w = i / 64;
		uint64_t m = ~sep[w] & ~0ULL << (i % 64);
		while (!m && ++w < nw)
			m = ~sep[w];
		if (!m)
			break;
		i = 64 * w + (size_t)__builtin_ctzll(m);
		m = sep[w] & ~0ULL << (i % 64);
		while (!m)
			m = sep[++w];
		size_t j = 64 * w + (size_t)__builtin_ctzll(m);
		if (!any_oth || !bits_any(oth, i, j))
			rc = cb(ctx, (const char *)low + i, j - i) ? SQLITE_DONE : SQLITE_OK;
		else
			rc = s->tok_api.xTokenize(s->tok, &x, FTS5_TOKENIZE_DOCUMENT, text + i,
			                          j - i > INT32_MAX ? INT32_MAX : (int)(j - i), tok_one);
		i = j;
	}
	if (low != small)
		free(low);
	if (sep != small_bits)
		free(sep);
	return rc == SQLITE_OK || rc == SQLITE_DONE ? 0 : -1;
}

void store_fts_free(struct store *s)
{
	if (s->tok)
		s->tok_api.xDelete(s->tok);
	s->tok = NULL;
}

/* ---- lectern_has_prefix() ------------------------------------------------------------------
 * papers_fts has no prefix index (schema 16), so a prefix that its words (fts_terms) do not
 * answer is checked on the rows another term of the query finds: lectern_has_prefix(prefix,
 * mask, title, abstract, authors, organization, ai_summary) is 1 when a token of a column in
 * mask (bit 1 << the column's number in papers_fts) starts with prefix (folded as the index
 * folds, store_query.c). The tokens are the index's own (store_tokenize). */

struct has_pfx {
	const char *p;
	size_t n;
	bool hit;
};

static int has_pfx_token(void *ctx, const char *tok, size_t n)
{
	struct has_pfx *h = ctx;
	h->hit = n >= h->n && memcmp(tok, h->p, h->n) == 0;
	return h->hit;   /* non-zero: stop */
}

static void has_prefix_fn(sqlite3_context *ctx, int nval, sqlite3_value **val)
{
	static const int col[] = { 0, 1, 2, 4, 5 };   /* the arguments' columns in papers_fts */
	struct store *s = sqlite3_user_data(ctx);
	struct has_pfx h = { (const char *)sqlite3_value_text(val[0]),
	                     (size_t)sqlite3_value_bytes(val[0]), false };
	int64_t mask = sqlite3_value_int64(val[1]);
	for (int i = 0; h.p && !h.hit && i < nval - 2 && i < (int)(sizeof col / sizeof col[0]); i++) {
		const char *t = (const char *)sqlite3_value_text(val[2 + i]);
		if ((mask >> col[i] & 1) && t &&
		    store_tokenize(s, t, (size_t)sqlite3_value_bytes(val[2 + i]), has_pfx_token, &h) < 0) {
			sqlite3_result_error(ctx, "lectern_has_prefix: the tokenizer failed", -1);
			return;
		}
	}
	sqlite3_result_int(ctx, h.hit);
}

/* ---- lectern_cats() --------------------------------------------------------------------------
 * The `cats` column papers_fts indexes (schema 16, through the view papers_fview): each
 * category of the space-separated list as one token, lower case with '.' -> 0, '-' -> 1,
 * '_' -> 2 ("cs.LG" -> cs0lg, arXiv categories have no digits), then each archive of a
 * category with a subject once ("cs"), so cat:cs is one word, not a prefix. */
void store_cat_token(struct sbuf *b, const char *c, size_t n)
{
	if (b->len)
		sbuf_addc(b, ' ');
	for (size_t i = 0; i < n; i++) {
		char t = (char)tolower((unsigned char)c[i]);
		sbuf_addc(b, t == '.' ? '0' : t == '-' ? '1' : t == '_' ? '2' : t);
	}
}

/* The length of category w's archive (n bytes: "cs" of "cs.LG"), 0 when it has no subject. */
static size_t archive_len(const char *w, size_t n)
{
	const char *dot = memchr(w, '.', n);
	return dot ? (size_t)(dot - w) : 0;
}

void store_cats_tokens(const char *cats, struct sbuf *out)
{
	const char *c = cats ? cats : "", *start = c + strspn(c, " ");
	for (const char *w = start; *w; w += strspn(w, " ")) {   /* each category */
		size_t n = strcspn(w, " ");
		store_cat_token(out, w, n);
		w += n;
	}
	for (const char *w = start; *w; w += strspn(w, " ")) {   /* each archive, once */
		size_t n = strcspn(w, " "), a = archive_len(w, n);
		bool seen = false;
		for (const char *v = start; a && !seen && v < w; v += strspn(v, " ")) {
			size_t m = strcspn(v, " ");
			seen = archive_len(v, m) == a && !strncasecmp(v, w, a);
			v += m;
		}
		if (a && !seen)
			store_cat_token(out, w, a);
		w += n;
	}
}

static void cats_fn(sqlite3_context *ctx, int nval, sqlite3_value **val)
{
	(void)nval;
	if (sqlite3_value_type(val[0]) == SQLITE_NULL) {
		sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
		return;
	}
	struct sbuf b = {0};
	store_cats_tokens((const char *)sqlite3_value_text(val[0]), &b);
	sqlite3_result_text(ctx, b.s ? b.s : "", (int)b.len, SQLITE_TRANSIENT);
	sbuf_free(&b);
}

int store_fts_register(struct store *s)
{
	fts5_api *api = fts5_api_of(s->db);
	if (!api)
		return SQLITE_ERROR;
	int rc = sqlite3_create_function_v2(s->db, "lectern_cats", 1,
	                                    SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
	                                    NULL, cats_fn, NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_create_function_v2(s->db, "lectern_has_prefix", 7,
		                                SQLITE_UTF8 | SQLITE_DETERMINISTIC, s, has_prefix_fn,
		                                NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = store_tok_register(api);
	if (rc == SQLITE_OK)
		rc = api->xCreateFunction(api, "lectern_rank", s, rank_fn, NULL);
	return rc == SQLITE_OK ? api->xCreateFunction(api, "lectern_pfx", s, pfx_fn, NULL) : rc;
}
