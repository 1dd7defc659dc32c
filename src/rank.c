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

/* The feature scheme (the hash of keys into slots, hash_key): a stored model or df of another
 * is not read (not warm-started from, not scored with): it is made again. RNK1/RDF1: FNV-1a. */
#define MODEL_MAGIC 0x324b4e52u   /* "RNK2" */
#define DF_MAGIC 0x32464452u      /* "RDF2" */
enum { WHY_MAX = 4, SIM_CANDIDATES = 300, SIM_TERMS = 10, DF_SAMPLE = 20000,
       DF_TABLE_MAX = 1 << 24 };
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
	double score;              /* the model's, when scored as read (docs.sw; f is then empty) */
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

/* Keys are hashed a machine word at a time: the hot loop of scoring hashes every token of every
 * paper, and FNV-1a byte by byte (a multiply a byte, one chain) was most of the feature
 * builder's time. A key's bytes go in 8 at a time (loads of native byte order: a blob written on
 * a machine of the other order fails its magic and is made again), each word absorbed by a
 * multiply, then murmur3's finaliser mixes every bit into the slot's bits. Changing this
 * changes every slot: MODEL_MAGIC and DF_MAGIC say which scheme a stored blob was made with. */
#define HASH_K1 0x9e3779b97f4a7c15ULL
#define HASH_K2 0xc2b2ae3d27d4eb4fULL

static inline uint64_t fmix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static uint64_t load64(const char *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof v);
	return v;
}

static uint32_t load32(const char *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof v);
	return v;
}

/* The hash of n bytes; nothing outside them is read. */
static inline uint64_t hash_key(const char *p, size_t n)
{
	uint64_t h = n * HASH_K1, v;
	if (n > 8) {
		for (; n > 8; p += 8, n -= 8) {
			h = (h ^ load64(p)) * HASH_K2;
			h = h << 31 | h >> 33;
		}
		v = load64(p + n - 8);   /* the last 8 bytes (some hashed above already) */
	} else if (n >= 4) {
		v = load32(p) | (uint64_t)load32(p + n - 4) << 32;
	} else {
		v = n ? (unsigned char)p[0] | (unsigned)(unsigned char)p[n / 2] << 8 |
		        (unsigned)(unsigned char)p[n - 1] << 16
		      : 0;
	}
	return fmix64(h ^ v);
}

/* A bigram's hash from its words' hashes (ordered: "a b" is not "b a"). */
static uint64_t hash_pair(uint64_t a, uint64_t b)
{
	return fmix64((a << 23 | a >> 41) ^ b ^ HASH_K2);
}

/* The stop words as a set of their hashes (made once): a token's one hash serves both for this
 * test and for its slot (the hot loop of scoring). STOP_SET slots, linear probing, 0 empty. */
enum { STOP_SET = 512, LOG_TAB = 256 };
static uint64_t stop_set[STOP_SET];
static double log_tab[LOG_TAB];   /* log(k): term counts are small whole numbers */
static pthread_once_t tab_once = PTHREAD_ONCE_INIT;

static void tab_init(void)
{
	for (size_t i = 0; i < ARRAY_LEN(stopwords); i++) {
		uint64_t h = hash_key(stopwords[i], strlen(stopwords[i]));
		size_t j = h & (STOP_SET - 1);
		while (stop_set[j] && stop_set[j] != h)
			j = (j + 1) & (STOP_SET - 1);
		stop_set[j] = h;
	}
	for (int k = 1; k < LOG_TAB; k++)
		log_tab[k] = log((double)k);
}

static bool stop_hashed(uint64_t h)
{
	for (size_t j = h & (STOP_SET - 1); stop_set[j]; j = (j + 1) & (STOP_SET - 1))
		if (stop_set[j] == h)
			return true;
	return false;
}

static uint32_t slot_of(uint64_t h)
{
	return (uint32_t)(h % RANK_DIM) + 1;
}

/* A slot's weight in the model and its idf side by side: scoring a day looks both up for each
 * of a million features, mostly cache misses (the weight, the df count and the idf by count
 * were three). */
struct slot_w {
	float w, idf;
};

/* A document being built: its features in the order first seen (f), found by slot through an
 * open-addressed table of indices into f (t). Both are kept for the next document; t is
 * cleared through f (no pass over all of it) and only grows. */
struct cell {
	uint32_t idx;              /* the slot (0: empty) */
	uint32_t at;               /* its feature: f[at] */
};

struct builder {
	struct cell *t;
	size_t cap;                /* a power of 2, at least twice n */
	struct feat *f;
	uint32_t *cell;            /* f[i]'s place in t */
	size_t n, fcap;
	struct sbuf *names;        /* NULL: no names kept */
	const struct slot_w *pf;   /* what the document is scored with (NULL: none): a new slot's
	                            * entry is fetched while the rest is built */
	char prev[64];             /* the previous kept token of the field (only when names are kept:
	                            * a tokenizer may reuse its buffer) */
	size_t prev_n;             /* its length (0: none) */
	uint64_t prev_h;           /* its hash */
	float w;                   /* the weight of the field's tokens */
};

/* The next document starts empty. */
static void builder_reset(struct builder *b)
{
	for (size_t i = 0; i < b->n; i++)
		b->t[b->cell[i]].idx = 0;
	b->n = 0;
}

static void builder_free(struct builder *b)
{
	free(b->t);
	free(b->f);
	free(b->cell);
	memset(b, 0, sizeof *b);
}

static void builder_grow(struct builder *b)
{
	size_t cap = b->cap ? 2 * b->cap : 1024;
	free(b->t);
	b->t = xcalloc(cap, sizeof *b->t);
	b->cap = cap;
	b->fcap = cap / 2;
	b->f = xreallocarray(b->f, b->fcap, sizeof *b->f);
	b->cell = xreallocarray(b->cell, b->fcap, sizeof *b->cell);
	for (size_t i = 0; i < b->n; i++) {
		size_t j = b->f[i].idx & (cap - 1);
		while (b->t[j].idx)
			j = (j + 1) & (cap - 1);
		b->t[j] = (struct cell){ b->f[i].idx, (uint32_t)i };
		b->cell[i] = (uint32_t)j;
	}
}

/* The feature of slot idx (made with value 0 when new: *fresh set). Valid until the next one. */
static inline struct feat *add_slot(struct builder *b, uint32_t idx, bool *fresh)
{
	if (b->n >= b->fcap)
		builder_grow(b);
	size_t j = idx & (b->cap - 1);
	while (b->t[j].idx) {
		if (b->t[j].idx == idx) {
			*fresh = false;
			return &b->f[b->t[j].at];
		}
		j = (j + 1) & (b->cap - 1);
	}
	*fresh = true;
	if (b->pf)
		__builtin_prefetch(&b->pf[idx]);
	b->t[j] = (struct cell){ idx, (uint32_t)b->n };
	b->cell[b->n] = (uint32_t)j;
	b->f[b->n] = (struct feat){ .idx = idx, .v = 0, .name = -1 };
	return &b->f[b->n++];
}

static void add_feat(struct builder *b, const char *key, size_t n, const char *show, float w)
{
	bool fresh;
	struct feat *f = add_slot(b, slot_of(hash_key(key, n)), &fresh);
	if (fresh && b->names && show) {
		f->name = (int32_t)b->names->len;
		sbuf_add(b->names, show, strlen(show) + 1);
	}
	f->v += w;
}

/* One token of a title or an abstract: the word, and the bigram with the previous kept one
 * (the hot loop of scoring: one hash a token, one a bigram, no copy unless names are kept). */
static int on_token(void *ctx, const char *tok, size_t n)
{
	struct builder *b = ctx;
	if (n < 2 || n > 60) {
		b->prev_n = 0;   /* a bigram never spans a left-out word */
		return 0;
	}
	uint64_t h = hash_key(tok, n);
	bool digits = (unsigned char)(tok[0] - '0') < 10;   /* all digits: left out */
	for (size_t i = 1; digits && i < n; i++)
		digits = (unsigned char)(tok[i] - '0') < 10;
	if (digits || (n <= 8 && stop_hashed(h))) {
		b->prev_n = 0;
		return 0;
	}
	bool fresh;
	struct feat *f = add_slot(b, slot_of(h), &fresh);
	if (fresh && b->names) {
		f->name = (int32_t)b->names->len;
		sbuf_add(b->names, tok, n);
		sbuf_add(b->names, "", 1);
	}
	f->v += b->w;
	if (b->prev_n) {
		f = add_slot(b, slot_of(hash_pair(b->prev_h, h)), &fresh);
		if (fresh && b->names) {
			f->name = (int32_t)b->names->len;
			sbuf_add(b->names, b->prev, b->prev_n);
			sbuf_add(b->names, " ", 1);
			sbuf_add(b->names, tok, n);
			sbuf_add(b->names, "", 1);
		}
		f->v += b->w;
	}
	if (b->names)
		memcpy(b->prev, tok, n);
	b->prev_n = n;
	b->prev_h = h;
	return 0;
}

static void text_feats(struct store *s, struct builder *b, const char *text, float w)
{
	if (!text)
		return;
	b->prev_n = 0;
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
			/* "a:" initial " " last name, cut to fit (snprintf's length was the uncut one) */
			char k[200], show[200];
			const char *l = last ? last + 1 : key;
			size_t m = strlen(l);
			if (m > sizeof k - 5)
				m = sizeof k - 5;
			k[0] = 'a', k[1] = ':', k[2] = key[0], k[3] = ' ';
			memcpy(k + 4, l, m);
			m += 4;
			k[m] = 0;
			if (b->names) {   /* shown only when names are kept */
				const char *t = name;
				while (*t == ' ')
					t++;
				snprintf(show, sizeof show, "author %s", t);
			}
			add_feat(b, k, m, b->names ? show : NULL, 1.0f);
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
			size_t m = n < sizeof k - 5 ? n : sizeof k - 5;
			memcpy(k, "cat:", 4);
			memcpy(k + 4, c, m);
			m += 4;
			k[m] = 0;
			add_feat(b, k, m, k, 3.0f);   /* a category says much: weigh it up */
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

/* The raw term counts of a paper into b (weights come with weigh()); names: where the display
 * names go (NULL: none kept). */
static void feats_make(struct store *s, struct builder *b, const struct store_text *t,
                       struct sbuf *names)
{
	pthread_once(&tab_once, tab_init);
	b->names = names;
	text_feats(s, b, t->title, 2.0f);
	text_feats(s, b, t->abstract, 1.0f);
	author_feats(b, t->authors);
	cat_feats(b, t->categories);
	b->names = NULL;
}

static void doc_head(struct doc *d, const struct store_text *t)
{
	d->pk = t->pk;
	d->id = xstrdup(t->id ? t->id : "");
	d->title = xstrdup(t->title ? t->title : "");
	d->fav = t->favourite;
}

/* A paper's raw term counts as a document. */
static void doc_make(struct store *s, struct builder *b, const struct store_text *t, bool names,
                     struct doc *d)
{
	memset(d, 0, sizeof *d);
	feats_make(s, b, t, names ? &d->names : NULL);
	d->f = xreallocarray(NULL, b->n ? b->n : 1, sizeof *d->f);
	memcpy(d->f, b->f, b->n * sizeof *d->f);
	d->n = b->n;
	builder_reset(b);
	doc_head(d, t);
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
	double *idf;               /* idf by count, 0..docs (df_ready; NULL: computed each time) */
};

static double idf_of(uint32_t docs, uint32_t n)
{
	return log((docs + 1.0) / (n + 1.0)) + 1.0;
}

/* The idf of every count made once (the counts are done): a log a count, not a feature. */
static void df_ready(struct df *df)
{
	free(df->idf);
	df->idf = NULL;
	if (df->docs > DF_TABLE_MAX)   /* a stored count this big is not ours: no table */
		return;
	df->idf = xreallocarray(NULL, (size_t)df->docs + 1, sizeof *df->idf);
	for (uint32_t n = 0; n <= df->docs; n++)
		df->idf[n] = idf_of(df->docs, n);
}

static void df_free(struct df *df)
{
	free(df->n);
	free(df->idf);
	memset(df, 0, sizeof *df);
}

static double idf(const struct df *df, uint32_t idx)
{
	uint32_t n = df->n[idx];
	return df->idf && n <= df->docs ? df->idf[n] : idf_of(df->docs, n);
}

/* log(v) of a term count: a table for whole numbers (the same value libm gives). */
static double log_count(float v)
{
	if (v >= 1 && v < LOG_TAB && (float)(int)v == v)   /* range first: (int) of a huge v is UB */
		return log_tab[(int)v];
	return log(v);
}

/* tf-idf with a sublinear tf, normalised to length 1. */
static void weigh(struct doc *d, const struct df *df)
{
	pthread_once(&tab_once, tab_init);
	double norm = 0;
	for (size_t i = 0; i < d->n; i++) {
		double v = (1.0 + log_count(d->f[i].v)) * idf(df, d->f[i].idx);
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
	struct builder b;          /* reused from one document to the next */
	const struct slot_w *sw;   /* a model: each document is scored as it is read and its
	                            * features are not kept (finish reads the best again) */
};

static struct slot_w *slot_w_make(const double *w, const struct df *df)
{
	struct slot_w *sw = xreallocarray(NULL, RANK_DIM + 2, sizeof *sw);
	for (uint32_t i = 0; i <= RANK_DIM + 1; i++)
		sw[i] = (struct slot_w){ (float)w[i], i <= RANK_DIM ? (float)idf(df, i) : 0 };
	return sw;
}

/* The model's score of the document in b: its tf-idf vector (weigh()), normalised, dotted with
 * the weights, in one pass over the features. */
static double score_built(const struct builder *b, const struct slot_w *sw)
{
	double dot = 0, norm = 0;
	for (size_t i = 0; i < b->n; i++) {
		struct slot_w x = sw[b->f[i].idx];
		double v = (1.0 + log_count(b->f[i].v)) * x.idf;
		dot += x.w * v;
		norm += v * v;
	}
	return (norm > 0 ? dot / sqrt(norm) : 0) + sw[RANK_DIM + 1].w;
}

static int collect(void *ctx, const struct store_text *t)
{
	struct docs *ds = ctx;
	if (ds->skip_fav && t->favourite)
		return 0;
	if (ds->n == ds->cap) {
		ds->cap = ds->cap ? ds->cap * 2 : 64;
		ds->v = xreallocarray(ds->v, ds->cap, sizeof *ds->v);
	}
	struct doc *d = &ds->v[ds->n++];
	if (ds->sw) {
		memset(d, 0, sizeof *d);
		ds->b.pf = ds->sw;
		feats_make(ds->s, &ds->b, t, NULL);
		d->score = score_built(&ds->b, ds->sw);
		builder_reset(&ds->b);
		doc_head(d, t);
	} else {
		doc_make(ds->s, &ds->b, t, ds->names, d);
	}
	return 0;
}

static void docs_free(struct docs *ds)
{
	for (size_t i = 0; i < ds->n; i++)
		doc_free(&ds->v[i]);
	free(ds->v);
	memset(ds, 0, sizeof *ds);
}

/* Reads a set of papers into out, whose s, names, skip_fav (and w, df) the caller set. */
static int load_into(struct docs *out, enum store_text_set set, const char *arg, int64_t n,
                     struct lerr *e)
{
	int rc = store_texts(out->s, set, arg, n, collect, out, e);
	builder_free(&out->b);
	if (rc < 0) {
		docs_free(out);
		return -1;
	}
	return 0;
}

static int load(struct store *s, enum store_text_set set, const char *arg, int64_t n, bool names,
                bool skip_fav, struct docs *out, struct lerr *e)
{
	*out = (struct docs){ .s = s, .names = names, .skip_fav = skip_fav };
	return load_into(out, set, arg, n, e);
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
		df_ready(df);
		return 0;
	}
	free(blob);
	struct docs ds;
	if (load(s, STORE_TEXT_SAMPLE, "1", DF_SAMPLE, false, false, &ds, e) < 0)
		return -1;
	df_count(df, &ds);
	docs_free(&ds);
	df_ready(df);
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

/* The favourites by slot: which of them have it, with what weight. A paper's similarity to every
 * favourite is then one pass over its own features (a merge with each of 200 favourites, for each
 * paper shown, was a fifth of scoring a day). Each sum adds the same products in the same order
 * (the paper's features, by slot) as dot() does. */
struct favix {
	const struct docs *favs;
	uint32_t *key, *head;      /* open addressing on the slot; head: its first posting + 1 */
	size_t cap;
	struct posting {
		uint32_t fav, next;    /* next: the slot's next posting + 1 (0: none) */
		float v;
	} *post;
	double *sim;               /* favs->n sums, for nearest() */
};

static void favix_make(struct favix *x, const struct docs *favs)
{
	size_t total = 0, np = 0, cap = 16;
	for (size_t i = 0; i < favs->n; i++)
		total += favs->v[i].n;
	while (cap < 2 * total)
		cap *= 2;
	*x = (struct favix){ .favs = favs, .cap = cap, .key = xcalloc(cap, sizeof *x->key),
	                     .head = xcalloc(cap, sizeof *x->head),
	                     .post = xreallocarray(NULL, total ? total : 1, sizeof *x->post),
	                     .sim = xcalloc(favs->n ? favs->n : 1, sizeof *x->sim) };
	for (size_t i = 0; i < favs->n; i++)
		for (size_t j = 0; j < favs->v[i].n; j++) {
			uint32_t idx = favs->v[i].f[j].idx;
			size_t h = idx & (cap - 1);
			while (x->key[h] && x->key[h] != idx)
				h = (h + 1) & (cap - 1);
			x->key[h] = idx;
			x->post[np] = (struct posting){ (uint32_t)i, x->head[h], favs->v[i].f[j].v };
			x->head[h] = (uint32_t)++np;
		}
}

static void favix_free(struct favix *x)
{
	free(x->key);
	free(x->head);
	free(x->post);
	free(x->sim);
	memset(x, 0, sizeof *x);
}

/* The favourite nearest d (index into the favourites), -1 none; d sorted. */
static long nearest(const struct doc *d, struct favix *x, double *sim)
{
	size_t nf = x->favs->n;
	memset(x->sim, 0, nf * sizeof *x->sim);
	for (size_t i = 0; i < d->n; i++) {
		uint32_t idx = d->f[i].idx;
		size_t h = idx & (x->cap - 1);
		while (x->key[h] && x->key[h] != idx)
			h = (h + 1) & (x->cap - 1);
		for (uint32_t p = x->head[h]; p; p = x->post[p - 1].next)
			x->sim[x->post[p - 1].fav] += (double)d->f[i].v * x->post[p - 1].v;
	}
	long best = -1;
	*sim = 0;
	for (size_t i = 0; i < nf; i++)
		if (best < 0 || x->sim[i] > *sim)
			best = (long)i, *sim = x->sim[i];
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
                   struct favix *fx, const struct doc *like, const struct names *nm,
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
		if (!w && !cand->names)   /* merged with (shared) below: sorted now */
			doc_sort(d);
		double *c = xcalloc(d->n ? d->n : 1, sizeof *c), sim;
		long f = fx ? nearest(d, fx, &sim) : -1;
		if (w)
			for (size_t j = 0; j < d->n; j++)
				c[j] = w[d->f[j].idx] * d->f[j].v;
		else if (like || f >= 0)
			shared(d, like ? like : &fx->favs->v[f], c);
		struct rank_item *it = &out->v[out->n++];
		it->why = why_of(d, c);
		if (f >= 0 && sim > 0)
			it->close = xstrdup(fx->favs->v[f].title);
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
	struct favix fx = {0};
	struct df df = {0};
	double *w = NULL;
	struct slot_w *sw = NULL;
	int rc = -1;
	/* the favourites' display names are never shown (the why names the paper's own features) */
	if (load(s, STORE_TEXT_FAVOURITES, NULL, 0, false, false, &favs, e) < 0)
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
			df_ready(&df);
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
			weigh_all(&favs, &df, false);   /* only merged with (shared) without a model */
		}
	} else if (df_get(s, &df, e) < 0) {
		goto done;
	} else {
		weigh_all(&favs, &df, true);
	}
	/* names (for the why) now only when every paper is returned; else for the best, later */
	bool names = !o->limit || o->limit > 200;
	/* with a model and no names, each paper is scored as it is read (the best are read again) */
	if (w && !names)
		sw = slot_w_make(w, &df);
	cand = (struct docs){ .s = s, .names = names, .skip_fav = true, .sw = sw };
	if (load_into(&cand, STORE_TEXT_SINCE, NULL, o->since, e) < 0)
		goto done;
	favix_make(&fx, &favs);
	if (!sw)
		weigh_all(&cand, &df, !w);
	struct scored *sc = xcalloc(cand.n ? cand.n : 1, sizeof *sc);
	for (size_t i = 0; i < cand.n; i++) {
		double sim;
		sc[i].doc = i;
		if (sw)
			sc[i].score = cand.v[i].score;
		else if (w)
			sc[i].score = dot_w(&cand.v[i], w) + w[RANK_DIM + 1];
		else
			nearest(&cand.v[i], &fx, &sim), sc[i].score = sim;
	}
	out->considered = cand.n;
	finish(&cand, sc, cand.n, o->limit, w, &fx, NULL, &(struct names){ s, &df }, out);
	free(sc);
	rc = 0;
done:
	favix_free(&fx);
	docs_free(&favs);
	docs_free(&hid);
	docs_free(&neg);
	docs_free(&cand);
	df_free(&df);
	free(w);
	free(sw);
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
	df_free(&df);
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
	df_free(&df);
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
