/* rank — features, the LIBLINEAR model, scores and their reasons (see rank.h). */
#include "lectern/rank.h"

#include <linear.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lectern/paper.h"
#include "lectern/util.h"

#define MODEL_MAGIC 0x314b4e52u   /* "RNK1": the feature scheme; another one is not warm-started */
#define DF_MAGIC 0x31464452u      /* "RDF1" */
enum { WHY_MAX = 4, SIM_CANDIDATES = 300, SIM_TERMS = 10, DF_SAMPLE = 20000 };
/* LIBLINEAR's C: chosen on tests/bench/bench_rank.c (0.1, 0.3, 1, 4, 16 tried; BENCHMARKS.md) */
#define RANK_C 0.1

/* ---- features -------------------------------------------------------------------------------- */

struct feat {
	uint32_t idx;              /* 1..RANK_DIM (LIBLINEAR counts from 1) */
	float v;
	int32_t name;              /* offset of its display name in doc.names, -1 none kept */
};

struct doc {
	struct feat *f;            /* one per idx; sorted by idx after doc_sort (dot needs it) */
	size_t n;
	struct sbuf names;         /* display names (only for scored documents) */
	int64_t pk;
	char *id, *title;
	bool fav;
};

static void doc_free(struct doc *d)
{
	free(d->f);
	sbuf_free(&d->names);
	free(d->id);
	free(d->title);
	memset(d, 0, sizeof *d);
}

static const char *const stopwords[] = {
	"a", "about", "above", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be",
	"been", "being", "between", "both", "but", "by", "can", "could", "do", "does", "each", "et",
	"for", "from", "further", "has", "have", "here", "how", "however", "if", "in", "into", "is",
	"it", "its", "may", "more", "most", "new", "not", "of", "on", "one", "only", "or", "other",
	"our", "over", "paper", "propose", "proposed", "show", "such", "than", "that", "the",
	"their", "them", "then", "there", "these", "they", "this", "those", "through", "to", "two",
	"under", "up", "us", "use", "used", "using", "via", "was", "we", "were", "what", "when",
	"where", "which", "while", "with", "within", "without", "work", "would",
};

static uint64_t fnv(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

/* The stop words as a sorted array of their hashes (made once): a token is one hash and a
 * binary search of integers, not of strings (the hot loop of scoring). */
static uint64_t stop_hash[ARRAY_LEN(stopwords)];
static pthread_once_t stop_once = PTHREAD_ONCE_INIT;

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static void stop_init(void)
{
	for (size_t i = 0; i < ARRAY_LEN(stopwords); i++)
		stop_hash[i] = fnv(stopwords[i], strlen(stopwords[i]));
	qsort(stop_hash, ARRAY_LEN(stop_hash), sizeof *stop_hash, cmp_u64);
}

static bool stopword(const char *t, size_t n)
{
	pthread_once(&stop_once, stop_init);
	uint64_t h = fnv(t, n);
	return bsearch(&h, stop_hash, ARRAY_LEN(stop_hash), sizeof h, cmp_u64) != NULL;
}

static uint32_t slot(const char *s, size_t n)
{
	return (uint32_t)(fnv(s, n) % RANK_DIM) + 1;
}

/* A document being built: an open-addressed table of its slots. */
struct builder {
	struct feat *t;
	size_t cap, n;
	struct sbuf *names;        /* NULL: no names kept */
	char prev[128];            /* the previous kept token of the field ("" none) */
	float w;                   /* the weight of the field's tokens */
};

static void add_feat(struct builder *b, const char *key, size_t n, const char *show, float w)
{
	if (2 * (b->n + 1) > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 256;
		struct feat *t = xcalloc(cap, sizeof *t);
		for (size_t i = 0; i < b->cap; i++)
			if (b->t[i].idx) {
				size_t j = b->t[i].idx & (cap - 1);
				while (t[j].idx)
					j = (j + 1) & (cap - 1);
				t[j] = b->t[i];
			}
		free(b->t);
		b->t = t;
		b->cap = cap;
	}
	uint32_t idx = slot(key, n);
	size_t j = idx & (b->cap - 1);
	while (b->t[j].idx && b->t[j].idx != idx)
		j = (j + 1) & (b->cap - 1);
	if (!b->t[j].idx) {
		b->t[j] = (struct feat){ .idx = idx, .v = 0, .name = -1 };
		b->n++;
		if (b->names && show) {
			b->t[j].name = (int32_t)b->names->len;
			sbuf_add(b->names, show, strlen(show) + 1);
		}
	}
	b->t[j].v += w;
}

/* One token of a title or an abstract: the word, and the bigram with the previous kept one
 * (the hot loop of scoring: no printf here). */
static int on_token(void *ctx, const char *tok, size_t n)
{
	struct builder *b = ctx;
	bool digits = true;
	for (size_t i = 0; i < n && digits; i++)
		digits = tok[i] >= '0' && tok[i] <= '9';
	if (n < 2 || n > 60 || digits || (n <= 8 && stopword(tok, n))) {
		b->prev[0] = 0;   /* a bigram never spans a left-out word */
		return 0;
	}
	char key[130];
	memcpy(key, tok, n);
	key[n] = 0;
	add_feat(b, key, n, key, b->w);
	size_t p = strlen(b->prev);
	if (p) {
		char bi[200];
		memcpy(bi, b->prev, p);
		bi[p] = ' ';
		memcpy(bi + p + 1, tok, n);
		bi[p + 1 + n] = 0;
		add_feat(b, bi, p + 1 + n, bi, b->w);
	}
	memcpy(b->prev, key, n + 1);
	return 0;
}

static void text_feats(struct store *s, struct builder *b, const char *text, float w)
{
	if (!text)
		return;
	b->prev[0] = 0;
	b->w = w;
	store_tokenize(s, text, strlen(text), on_token, b);
}

/* "a:" + the initial and last word of the name key: one feature for every spelling. */
static void author_feats(struct builder *b, const char *authors)
{
	for (const char *a = authors; a && *a;) {
		size_t n = strcspn(a, ",");
		char *name = xstrndup(a, n), *key = paper_name_key(name);
		const char *last = strrchr(key, ' ');
		if (*key) {
			char k[200], show[200];
			int m = snprintf(k, sizeof k, "a:%c %s", key[0], last ? last + 1 : key);
			const char *t = name;
			while (*t == ' ')
				t++;
			snprintf(show, sizeof show, "author %s", t);
			add_feat(b, k, (size_t)m, show, 1.0f);
		}
		free(name);
		free(key);
		a += n;
		while (*a == ',' || *a == ' ')
			a++;
	}
}

static void cat_feats(struct builder *b, const char *cats)
{
	for (const char *c = cats; c && *c;) {
		size_t n = strcspn(c, " ");
		if (n) {
			char k[80];
			int m = snprintf(k, sizeof k, "cat:%.*s", (int)n, c);
			add_feat(b, k, (size_t)m, k, 3.0f);   /* a category says much: weigh it up */
		}
		c += n;
		while (*c == ' ')
			c++;
	}
}

static int cmp_feat(const void *a, const void *b)
{
	uint32_t x = ((const struct feat *)a)->idx, y = ((const struct feat *)b)->idx;
	return x < y ? -1 : x > y;
}

/* The raw term counts of a paper (weights come with weigh()). */
static void doc_make(struct store *s, const struct store_text *t, bool names, struct doc *d)
{
	memset(d, 0, sizeof *d);
	struct builder b = { .names = names ? &d->names : NULL };
	text_feats(s, &b, t->title, 2.0f);
	text_feats(s, &b, t->abstract, 1.0f);
	author_feats(&b, t->authors);
	cat_feats(&b, t->categories);
	d->f = xreallocarray(NULL, b.n ? b.n : 1, sizeof *d->f);
	for (size_t i = 0; i < b.cap; i++)
		if (b.t[i].idx)
			d->f[d->n++] = b.t[i];
	free(b.t);
	d->pk = t->pk;
	d->id = xstrdup(t->id ? t->id : "");
	d->title = xstrdup(t->title ? t->title : "");
	d->fav = t->favourite;
}

/* Sorting costs a fifth of scoring a day: only the documents compared with others are sorted. */
static void doc_sort(struct doc *d)
{
	qsort(d->f, d->n, sizeof *d->f, cmp_feat);
}

/* ---- document frequencies -------------------------------------------------------------------- */

struct df {
	uint32_t *n;               /* RANK_DIM + 1 counts */
	uint32_t docs;
};

static double idf(const struct df *df, uint32_t idx)
{
	return log((df->docs + 1.0) / (df->n[idx] + 1.0)) + 1.0;
}

/* tf-idf with a sublinear tf, normalised to length 1. */
static void weigh(struct doc *d, const struct df *df)
{
	double norm = 0;
	for (size_t i = 0; i < d->n; i++) {
		double v = (1.0 + log(d->f[i].v)) * idf(df, d->f[i].idx);
		d->f[i].v = (float)v;
		norm += v * v;
	}
	norm = norm > 0 ? 1.0 / sqrt(norm) : 0;
	for (size_t i = 0; i < d->n; i++)
		d->f[i].v = (float)(d->f[i].v * norm);
}

struct docs {
	struct doc *v;
	size_t n, cap;
	struct store *s;
	bool names, skip_fav;
};

static int collect(void *ctx, const struct store_text *t)
{
	struct docs *ds = ctx;
	if (ds->skip_fav && t->favourite)
		return 0;
	if (ds->n == ds->cap) {
		ds->cap = ds->cap ? ds->cap * 2 : 64;
		ds->v = xreallocarray(ds->v, ds->cap, sizeof *ds->v);
	}
	doc_make(ds->s, t, ds->names, &ds->v[ds->n++]);
	return 0;
}

static void docs_free(struct docs *ds)
{
	for (size_t i = 0; i < ds->n; i++)
		doc_free(&ds->v[i]);
	free(ds->v);
	memset(ds, 0, sizeof *ds);
}

static int load(struct store *s, enum store_text_set set, const char *arg, int64_t n, bool names,
                bool skip_fav, struct docs *out, struct lerr *e)
{
	memset(out, 0, sizeof *out);
	out->s = s;
	out->names = names;
	out->skip_fav = skip_fav;
	if (store_texts(s, set, arg, n, collect, out, e) < 0) {
		docs_free(out);
		return -1;
	}
	return 0;
}

static void df_count(struct df *df, const struct docs *ds)
{
	for (size_t i = 0; i < ds->n; i++)
		for (size_t j = 0; j < ds->v[i].n; j++)
			df->n[ds->v[i].f[j].idx]++;
	df->docs += (uint32_t)ds->n;
}

static int df_save(struct store *s, const struct df *df, struct lerr *e)
{
	size_t cnt = 0;
	for (uint32_t i = 1; i <= RANK_DIM; i++)
		cnt += df->n[i] != 0;
	uint32_t *b = xreallocarray(NULL, 3 + 2 * cnt, sizeof *b), *p = b + 3;
	b[0] = DF_MAGIC, b[1] = df->docs, b[2] = (uint32_t)cnt;
	for (uint32_t i = 1; i <= RANK_DIM; i++)
		if (df->n[i])
			*p++ = i, *p++ = df->n[i];
	int rc = store_blob_put(s, "df", b, (3 + 2 * cnt) * sizeof *b, 0, df->docs, e);
	free(b);
	return rc;
}

/* The stored frequencies, else counted on a sample (and stored when the cache is writable). */
static int df_get(struct store *s, struct df *df, struct lerr *e)
{
	df->n = xcalloc(RANK_DIM + 1, sizeof *df->n);
	df->docs = 0;
	void *blob;
	size_t len;
	if (store_blob_get(s, "df", &blob, &len, NULL, e) < 0)
		return -1;
	const uint32_t *b = blob;
	if (blob && len >= 12 && b[0] == DF_MAGIC && len == (3 + 2 * (size_t)b[2]) * 4) {
		df->docs = b[1];
		for (size_t i = 0; i < b[2]; i++)
			if (b[3 + 2 * i] >= 1 && b[3 + 2 * i] <= RANK_DIM)
				df->n[b[3 + 2 * i]] = b[4 + 2 * i];
		free(blob);
		return 0;
	}
	free(blob);
	struct docs ds;
	if (load(s, STORE_TEXT_SAMPLE, "1", DF_SAMPLE, false, false, &ds, e) < 0)
		return -1;
	df_count(df, &ds);
	docs_free(&ds);
	if (!store_is_readonly(s))
		df_save(s, df, NULL);   /* a cache: if it cannot be kept it is counted again */
	return 0;
}

/* ---- scoring and reasons --------------------------------------------------------------------- */

static double dot(const struct doc *a, const struct doc *b)
{
	double s = 0;
	for (size_t i = 0, j = 0; i < a->n && j < b->n;) {
		if (a->f[i].idx < b->f[j].idx)
			i++;
		else if (a->f[i].idx > b->f[j].idx)
			j++;
		else
			s += (double)a->f[i++].v * b->f[j++].v;
	}
	return s;
}

static double dot_w(const struct doc *d, const double *w)
{
	double s = 0;
	for (size_t i = 0; i < d->n; i++)
		s += w[d->f[i].idx] * d->f[i].v;
	return s;
}

/* The reasons: d's features with the largest contributions c[i] (> 0, at least a fifth of the
 * largest), 2 to 4 of them, "; "-separated. */
static char *why_of(const struct doc *d, const double *c)
{
	size_t top[WHY_MAX];
	size_t k = 0;
	for (size_t i = 0; i < d->n; i++) {
		if (c[i] <= 0 || d->f[i].name < 0)
			continue;
		size_t j = k < WHY_MAX ? k++ : WHY_MAX;
		if (j == WHY_MAX && c[i] <= c[top[WHY_MAX - 1]])
			continue;
		if (j == WHY_MAX)
			j = WHY_MAX - 1;
		while (j > 0 && c[top[j - 1]] < c[i]) {
			top[j] = top[j - 1];
			j--;
		}
		top[j] = i;
	}
	struct sbuf b = {0};
	for (size_t i = 0; i < k; i++) {
		if (i >= 2 && c[top[i]] < c[top[0]] / 5)
			break;
		sbuf_printf(&b, "%s%s", i ? "; " : "", d->names.s + d->f[top[i]].name);
	}
	return sbuf_steal(&b);
}

static void item_set(struct rank_item *it, struct doc *d, double score)
{
	it->pk = d->pk;
	it->id = d->id;
	it->title = d->title;
	d->id = d->title = NULL;
	it->score = score;
}

/* The favourite nearest d (index into favs), -1 none. */
static long nearest(const struct doc *d, const struct docs *favs, double *sim)
{
	long best = -1;
	*sim = 0;
	for (size_t i = 0; i < favs->n; i++) {
		double x = dot(d, &favs->v[i]);
		if (best < 0 || x > *sim)
			best = (long)i, *sim = x;
	}
	return best;
}

/* Contributions of d's features to its similarity with doc f. */
static void shared(const struct doc *d, const struct doc *f, double *c)
{
	for (size_t i = 0, j = 0; i < d->n; i++) {
		c[i] = 0;
		while (j < f->n && f->f[j].idx < d->f[i].idx)
			j++;
		if (j < f->n && f->f[j].idx == d->f[i].idx)
			c[i] = (double)d->f[i].v * f->f[j].v;
	}
}

struct scored {
	size_t doc;
	double score;
};

static int cmp_scored(const void *a, const void *b)
{
	double x = ((const struct scored *)a)->score, y = ((const struct scored *)b)->score;
	return x > y ? -1 : x < y;
}

/* Sorts, keeps the best `limit`, and writes them with their reasons: the model's (w) or, without
 * one, the features shared with the nearest favourite (or with `like`, rank_similar's paper). */
struct names {   /* how finish() gets the display names of documents scored without them */
	struct store *s;
	const struct df *df;
};

static void weigh(struct doc *d, const struct df *df);

/* d read again with its display names (scoring reads thousands without: a name a feature is a
 * fifth of the cost). The same text gives the same features. */
static void renamed(const struct names *nm, struct doc *d)
{
	struct docs one = {0};
	if (load(nm->s, STORE_TEXT_ID, d->id, 0, true, false, &one, NULL) < 0 || one.n != 1) {
		docs_free(&one);
		return;
	}
	weigh(&one.v[0], nm->df);
	doc_free(d);
	*d = one.v[0];
	free(one.v);
}

static void finish(struct docs *cand, struct scored *sc, size_t n, size_t limit, const double *w,
                   const struct docs *favs, const struct doc *like, const struct names *nm,
                   struct rank_result *out)
{
	qsort(sc, n, sizeof *sc, cmp_scored);
	if (limit && n > limit)
		n = limit;
	out->v = xcalloc(n ? n : 1, sizeof *out->v);
	for (size_t i = 0; i < n; i++) {
		struct doc *d = &cand->v[sc[i].doc];
		if (!cand->names && nm)
			renamed(nm, d);
		if (w || !cand->names)   /* compared below: sorted now (the others never were) */
			doc_sort(d);
		double *c = xcalloc(d->n ? d->n : 1, sizeof *c), sim;
		long f = favs ? nearest(d, favs, &sim) : -1;
		if (w)
			for (size_t j = 0; j < d->n; j++)
				c[j] = w[d->f[j].idx] * d->f[j].v;
		else if (like || f >= 0)
			shared(d, like ? like : &favs->v[f], c);
		struct rank_item *it = &out->v[out->n++];
		it->why = why_of(d, c);
		if (f >= 0 && sim > 0)
			it->close = xstrdup(favs->v[f].title);
		item_set(it, d, sc[i].score);
		free(c);
	}
}

/* ---- the model ------------------------------------------------------------------------------- */

static void quiet(const char *s) { (void)s; }

/* The stored weights (w[0..RANK_DIM], w[RANK_DIM + 1] the bias) into w; false when none. */
static bool model_get(struct store *s, double *w, struct lerr *e)
{
	void *blob;
	size_t len;
	if (store_blob_get(s, "model", &blob, &len, NULL, e) < 0 || !blob)
		return false;
	const uint32_t *b = blob;
	bool ok = len >= 16 && b[0] == MODEL_MAGIC && b[1] == RANK_DIM &&
	          len == 16 + 8 * (size_t)b[2];
	if (ok) {
		float bias;
		memcpy(&bias, b + 3, sizeof bias);
		w[RANK_DIM + 1] = bias;
		for (size_t i = 0; i < b[2]; i++) {
			float v;
			memcpy(&v, b + 5 + 2 * i, sizeof v);
			if (b[4 + 2 * i] >= 1 && b[4 + 2 * i] <= RANK_DIM)
				w[b[4 + 2 * i]] = v;
		}
	}
	free(blob);
	return ok;
}

static int model_put(struct store *s, const double *w, size_t n_pos, size_t n_neg,
                     struct lerr *e)
{
	size_t cnt = 0;
	for (size_t i = 1; i <= RANK_DIM; i++)
		cnt += fabs(w[i]) > 1e-6;
	uint32_t *b = xreallocarray(NULL, 4 + 2 * cnt, sizeof *b), *p = b + 4;
	float bias = (float)w[RANK_DIM + 1];
	b[0] = MODEL_MAGIC, b[1] = RANK_DIM, b[2] = (uint32_t)cnt;
	memcpy(b + 3, &bias, sizeof bias);
	for (uint32_t i = 1; i <= RANK_DIM; i++)
		if (fabs(w[i]) > 1e-6) {
			float v = (float)w[i];
			*p++ = i;
			memcpy(p++, &v, sizeof v);
		}
	int rc = store_blob_put(s, "model", b, (4 + 2 * cnt) * sizeof *b, (int64_t)n_pos,
	                        (int64_t)n_neg, e);
	free(b);
	return rc;
}

/* LIBLINEAR's rows: each document's features, then the bias term, then the end marker. */
static struct feature_node *rows_of(const struct docs *const *sets, size_t nsets,
                                    struct feature_node ***x)
{
	size_t n = 0, docs = 0;
	for (size_t k = 0; k < nsets; k++)
		for (size_t i = 0; i < sets[k]->n; i++)
			n += sets[k]->v[i].n + 2, docs++;
	struct feature_node *pool = xreallocarray(NULL, n ? n : 1, sizeof *pool), *p = pool;
	*x = xreallocarray(NULL, docs ? docs : 1, sizeof **x);
	size_t r = 0;
	for (size_t k = 0; k < nsets; k++)
		for (size_t i = 0; i < sets[k]->n; i++) {
			const struct doc *d = &sets[k]->v[i];
			(*x)[r++] = p;
			for (size_t j = 0; j < d->n; j++)
				*p++ = (struct feature_node){ (int)d->f[j].idx, d->f[j].v };
			*p++ = (struct feature_node){ RANK_DIM + 1, 1.0 };
			*p++ = (struct feature_node){ -1, 0 };
		}
	return pool;
}

/* Trains w (RANK_DIM + 2 doubles, warm-started from what w holds when warm). */
static int train_model(const struct docs *pos, const struct docs *hid, const struct docs *neg,
                       double *w, bool warm, struct lerr *e)
{
	/* a hidden paper is in the problem RANK_HIDDEN_WEIGHT times: LIBLINEAR weighs classes,
	 * not instances */
	const struct docs *sets[2 + RANK_HIDDEN_WEIGHT];
	size_t ns = 0;
	sets[ns++] = pos;
	for (int i = 0; i < RANK_HIDDEN_WEIGHT; i++)
		sets[ns++] = hid;
	sets[ns++] = neg;
	struct problem prob = { .bias = -1, .n = RANK_DIM + 1 };
	struct feature_node *pool = rows_of(sets, ns, &prob.x);
	size_t l = pos->n + RANK_HIDDEN_WEIGHT * hid->n + neg->n;
	prob.l = (int)l;
	prob.y = xreallocarray(NULL, l, sizeof *prob.y);
	for (size_t i = 0; i < l; i++)
		prob.y[i] = i < pos->n ? 1 : -1;
	int labels[2] = { 1, -1 };
	double weights[2] = { (double)(l - pos->n) / (double)(pos->n ? pos->n : 1), 1.0 };
	double *init = NULL;
	if (warm) {   /* LIBLINEAR's w is 0-based: slot i is w[i - 1] */
		init = xreallocarray(NULL, RANK_DIM + 1, sizeof *init);
		memcpy(init, w + 1, (RANK_DIM + 1) * sizeof *init);
	}
	struct parameter par = { .solver_type = L2R_LR, .eps = 0.01, .C = RANK_C, .nr_weight = 2,
	                         .weight_label = labels, .weight = weights, .init_sol = init };
	set_print_string_function(quiet);
	const char *bad = check_parameter(&prob, &par);
	int rc = -1;
	if (bad) {
		lerr_set(e, LERR_USAGE, 0, "the ranker: %s", bad);
	} else {
		struct model *m = train(&prob, &par);
		/* the weights are for label m->label[0]: make them "towards +1" */
		double sign = m->label[0] == 1 ? 1 : -1;
		w[0] = 0;
		for (int i = 0; i < RANK_DIM + 1; i++)
			w[i + 1] = sign * m->w[i];
		free_and_destroy_model(&m);
		rc = 0;
	}
	free(init);
	free(prob.y);
	free(prob.x);
	free(pool);
	return rc;
}

static void weigh_all(struct docs *ds, const struct df *df, bool sort)
{
	for (size_t i = 0; i < ds->n; i++) {
		weigh(&ds->v[i], df);
		if (sort)
			doc_sort(&ds->v[i]);
	}
}

int rank_recommend(struct store *s, const struct rank_opts *o, struct rank_result *out,
                   struct lerr *e)
{
	memset(out, 0, sizeof *out);
	struct docs favs = {0}, hid = {0}, neg = {0}, cand = {0};
	struct df df = {0};
	double *w = NULL;
	int rc = -1;
	if (load(s, STORE_TEXT_FAVOURITES, NULL, 0, true, false, &favs, e) < 0)
		return -1;
	out->n_pos = favs.n;
	if (favs.n == 0) {
		out->mode = RANK_NO_FAVOURITES;
		docs_free(&favs);
		return 0;
	}
	out->mode = favs.n < RANK_MIN_MODEL ? RANK_SIMILARITY : RANK_MODEL;
	if (out->mode == RANK_MODEL) {
		w = xcalloc(RANK_DIM + 2, sizeof *w);
		bool have = model_get(s, w, e);
		if (!have || !o->no_train) {
			char seed[32];
			snprintf(seed, sizeof seed, "%llu", (unsigned long long)o->seed);
			df.n = xcalloc(RANK_DIM + 1, sizeof *df.n);
			if (load(s, STORE_TEXT_HIDDEN, NULL, 0, false, false, &hid, e) < 0 ||
			    load(s, STORE_TEXT_SAMPLE, seed, (int64_t)(o->sample ? o->sample : RANK_SAMPLE),
			         false, true, &neg, e) < 0)
				goto done;
			df_count(&df, &neg);   /* the sample is the cache in small */
			if (!store_is_readonly(s))
				df_save(s, &df, NULL);
			weigh_all(&favs, &df, true);
			weigh_all(&hid, &df, false);
			weigh_all(&neg, &df, false);
			out->n_neg = hid.n + neg.n;
			if (train_model(&favs, &hid, &neg, w, have, e) < 0)
				goto done;
			if (!store_is_readonly(s))
				model_put(s, w, favs.n, hid.n + neg.n, NULL);
			docs_free(&hid);
			docs_free(&neg);
		} else if (df_get(s, &df, e) < 0) {
			goto done;
		} else {
			weigh_all(&favs, &df, true);
		}
	} else if (df_get(s, &df, e) < 0) {
		goto done;
	} else {
		weigh_all(&favs, &df, true);
	}
	/* names (for the why) now only when every paper is returned; else for the best, later */
	bool names = !o->limit || o->limit > 200;
	if (load(s, STORE_TEXT_SINCE, NULL, o->since, names, true, &cand, e) < 0)
		goto done;
	weigh_all(&cand, &df, !w);
	struct scored *sc = xcalloc(cand.n ? cand.n : 1, sizeof *sc);
	for (size_t i = 0; i < cand.n; i++) {
		double sim;
		sc[i].doc = i;
		if (w)
			sc[i].score = dot_w(&cand.v[i], w) + w[RANK_DIM + 1];
		else
			nearest(&cand.v[i], &favs, &sim), sc[i].score = sim;
	}
	out->considered = cand.n;
	finish(&cand, sc, cand.n, o->limit, w, &favs, NULL, &(struct names){ s, &df }, out);
	free(sc);
	rc = 0;
done:
	docs_free(&favs);
	docs_free(&hid);
	docs_free(&neg);
	docs_free(&cand);
	free(df.n);
	free(w);
	return rc;
}

/* The FTS5 expression of d's strongest words: each a quoted token, OR'ed. Frequent words (in
 * more than 0.5% of the papers, in a cache big enough to fill most of the sample) come only when
 * there are not SIM_TERMS others: FTS5 scores every match (10 words of 2% took 150 ms at 1M); a
 * small cache is cheap to search whole. */
static char *strong_terms(const struct doc *d, const struct df *df)
{
	struct scored *sc = xcalloc(d->n ? d->n : 1, sizeof *sc);
	size_t n = 0;
	for (size_t i = 0; i < d->n; i++) {
		const char *name = d->f[i].name >= 0 ? d->names.s + d->f[i].name : "";
		if (!*name || strchr(name, ' ') || strchr(name, ':') || strchr(name, '"'))
			continue;
		/* frequent words last (a small cache has none that is rare: keep them, after) */
		bool common = df->docs >= DF_SAMPLE / 2 && df->n[d->f[i].idx] * 200.0 > df->docs;
		sc[n].doc = i;
		sc[n++].score = d->f[i].v - (common ? 10.0 : 0.0);
	}
	qsort(sc, n, sizeof *sc, cmp_scored);
	struct sbuf b = {0};
	for (size_t i = 0; i < n && i < SIM_TERMS; i++)
		sbuf_printf(&b, "%s\"%s\"", i ? " OR " : "", d->names.s + d->f[sc[i].doc].name);
	free(sc);
	return b.s;
}

int rank_similar(struct store *s, const char *id, size_t limit, struct rank_result *out,
                 struct lerr *e)
{
	memset(out, 0, sizeof *out);
	out->mode = RANK_SIMILAR_TO;
	struct docs one = {0}, cand = {0};
	struct df df = {0};
	int rc = -1;
	if (load(s, STORE_TEXT_ID, id, 0, true, false, &one, e) < 0)
		return -1;
	if (one.n == 0) {
		lerr_set(e, LERR_NOTFOUND, 0, "no paper %s in the cache", id);
		goto done;
	}
	if (df_get(s, &df, e) < 0)
		goto done;
	weigh(&one.v[0], &df);
	doc_sort(&one.v[0]);
	char *match = strong_terms(&one.v[0], &df);
	if (match && load(s, STORE_TEXT_MATCH, match, SIM_CANDIDATES, true, false, &cand, e) < 0) {
		free(match);
		goto done;
	}
	free(match);
	weigh_all(&cand, &df, true);
	struct scored *sc = xcalloc(cand.n ? cand.n : 1, sizeof *sc);
	size_t n = 0;
	for (size_t i = 0; i < cand.n; i++)
		if (cand.v[i].pk != one.v[0].pk) {
			sc[n].doc = i;
			sc[n++].score = dot(&cand.v[i], &one.v[0]);
		}
	out->considered = n;
	finish(&cand, sc, n, limit, NULL, NULL, &one.v[0], NULL, out);
	free(sc);
	rc = 0;
done:
	docs_free(&one);
	docs_free(&cand);
	free(df.n);
	return rc;
}

int rank_centroid(struct store *s, int64_t since, size_t limit, struct rank_result *out,
                  struct lerr *e)
{
	memset(out, 0, sizeof *out);
	out->mode = RANK_SIMILARITY;
	struct docs favs = {0}, cand = {0};
	struct df df = {0};
	double *c = NULL;
	int rc = -1;
	if (load(s, STORE_TEXT_FAVOURITES, NULL, 0, false, false, &favs, e) < 0 ||
	    df_get(s, &df, e) < 0 || load(s, STORE_TEXT_SINCE, NULL, since, true, true, &cand, e) < 0)
		goto done;
	c = xcalloc(RANK_DIM + 2, sizeof *c);
	weigh_all(&favs, &df, true);
	weigh_all(&cand, &df, false);
	for (size_t i = 0; i < favs.n; i++)
		for (size_t j = 0; j < favs.v[i].n; j++)
			c[favs.v[i].f[j].idx] += favs.v[i].f[j].v / (double)favs.n;
	struct scored *sc = xcalloc(cand.n ? cand.n : 1, sizeof *sc);
	for (size_t i = 0; i < cand.n; i++)
		sc[i] = (struct scored){ i, dot_w(&cand.v[i], c) };
	out->n_pos = favs.n;
	out->considered = cand.n;
	finish(&cand, sc, cand.n, limit, c, NULL, NULL, &(struct names){ s, &df }, out);
	free(sc);
	rc = 0;
done:
	docs_free(&favs);
	docs_free(&cand);
	free(df.n);
	free(c);
	return rc;
}

void rank_result_free(struct rank_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].id);
		free(r->v[i].title);
		free(r->v[i].why);
		free(r->v[i].close);
	}
	free(r->v);
	memset(r, 0, sizeof *r);
}
