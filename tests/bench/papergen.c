/* papergen — realistic synthetic papers recombined from real metadata (see papergen.h). */
#include "papergen.h"

#include <ctype.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lectern/feed.h"

/* A word inside the corpus: pointer and length (not NUL-terminated). */
struct span {
	const char *s;
	size_t n;
};

struct spans {
	struct span *v;
	size_t n, cap;
};

struct base {               /* one real paper, kept in the pools */
	char *title;
	char *categories, *primary;
	size_t first_sent, n_sent;   /* its sentences in g->sent */
	size_t n_authors;
	char *org;                   /* HF organisation or NULL */
};

struct pgen {
	uint64_t seed;
	struct base *base;
	size_t n_base;
	struct paper *old;           /* held-out real papers */
	size_t n_old;
	struct spans sent;           /* sentences (NUL-terminated copies, span.s owned) */
	struct spans title_words;    /* frequency-weighted draws: every title word of 4+ letters */
	struct spans abs_words;      /* every abstract word of 4+ letters */
	struct spans given, surname; /* every author's given name(s) and surname */
	struct spans orgs;           /* every organisation / affiliation occurrence */
	size_t *by_cat;              /* base indexes grouped by primary category */
	size_t *cat_start;           /* for base b: where its category group starts in by_cat */
	size_t *cat_len;
	char **rare;                 /* hapax abstract words of 6+ letters */
	size_t n_rare;
	char **surname_rank, **org_rank;
	size_t n_surname_rank, n_org_rank;
	char **kept;                 /* strings the spans point into */
	size_t n_kept, cap_kept;
};

static void spans_add(struct spans *a, const char *s, size_t n)
{
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 1024;
		a->v = xreallocarray(a->v, a->cap, sizeof *a->v);
	}
	a->v[a->n++] = (struct span){ s, n };
}

/* splitmix64: one stream per paper, seeded by (seed, i). */
struct rng {
	uint64_t x;
};
static uint64_t rnd(struct rng *r)
{
	uint64_t z = (r->x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}
static size_t rnd_below(struct rng *r, size_t n) { return n ? (size_t)(rnd(r) % n) : 0; }
static const struct span *draw(struct rng *r, const struct spans *a)
{
	return &a->v[rnd_below(r, a->n)];
}

/* Strings the spans point into live as long as the generator (g->kept). */
static const char *keep(struct pgen *g, char *s)
{
	if (g->n_kept == g->cap_kept) {
		g->cap_kept = g->cap_kept ? g->cap_kept * 2 : 256;
		g->kept = xreallocarray(g->kept, g->cap_kept, sizeof *g->kept);
	}
	g->kept[g->n_kept++] = s;
	return s;
}

/* ---- loading ------------------------------------------------------------------------------ */

struct load {
	struct paper *v;
	size_t n, cap;
};

static int on_paper(void *ctx, const struct paper *p)
{
	struct load *l = ctx;
	if (!p->id || !p->title || !*p->title || !p->abstract || strlen(p->abstract) < 200)
		return 0;
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].id, p->id))
			return 0;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 512;
		l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
	}
	paper_copy(&l->v[l->n++], p);
	return 0;
}

static int load_dir(struct load *l, const char *dir, struct lerr *e)
{
	DIR *d = opendir(dir);
	if (!d) {
		lerr_set(e, LERR_IO, 0, "%s: cannot open", dir);
		return -1;
	}
	struct dirent *de;
	char **names = NULL;
	size_t nn = 0;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.') {
			names = xreallocarray(names, nn + 1, sizeof *names);
			names[nn++] = xasprintf("%s/%s", dir, de->d_name);
		}
	closedir(d);
	/* readdir order is the file system's: sort for determinism */
	for (size_t i = 1; i < nn; i++)
		for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			char *t = names[j];
			names[j] = names[j - 1];
			names[j - 1] = t;
		}
	for (size_t i = 0; i < nn; i++) {
		size_t len;
		struct lerr fe = {0};
		char *buf = util_read_file(names[i], &len, &fe);
		if (buf) {
			struct feed_info fi;
			/* error feeds and empty results are part of the fixtures: skipped */
			feed_parse(FEED_AUTO, buf, len, NULL, on_paper, l, &fi, &fe);
			feed_info_clear(&fi);
			free(buf);
		}
		free(names[i]);
	}
	free(names);
	return 0;
}

/* ---- splitting ---------------------------------------------------------------------------- */

static bool is_word_char(unsigned char c) { return isalnum(c) || c == '-' || c >= 0x80; }

/* Adds the tokens of s (runs of word characters) of at least `min` letters to a; lower_only
 * keeps only alphabetic lower-case-able words (for swaps). */
static void add_tokens(struct spans *a, const char *s, size_t min, bool alpha_only)
{
	const char *p = s;
	while (*p) {
		while (*p && !is_word_char((unsigned char)*p))
			p++;
		const char *w = p;
		bool alpha = true;
		while (*p && is_word_char((unsigned char)*p)) {
			if (!isalpha((unsigned char)*p))
				alpha = false;
			p++;
		}
		if ((size_t)(p - w) >= min && (!alpha_only || alpha))
			spans_add(a, w, (size_t)(p - w));
	}
}

/* Splits an abstract into sentences (". ", "? ", "! " before a capital, or the end); paragraph
 * breaks become spaces. Each sentence is a kept copy. */
static void add_sentences(struct pgen *g, struct spans *sent, const char *abs)
{
	char *t = xstrdup(abs);
	for (char *q = t; *q; q++)
		if (*q == '\n')
			*q = ' ';
	char *p = t;
	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		char *start = p;
		for (;;) {
			char *q = strpbrk(p, ".?!");
			if (!q) {
				p = start + strlen(start);
				break;
			}
			if (q[1] == '\0' || (q[1] == ' ' && isupper((unsigned char)q[2]))) {
				p = q + 1;
				break;
			}
			p = q + 1;
		}
		size_t n = (size_t)(p - start);
		char *s = xasprintf("%.*s", (int)n, start);
		spans_add(sent, keep(g, s), n);
	}
	free(t);
}

/* Distinct lower-cased words of a span list, sorted by count (descending, then by word);
 * `pick` keeps only some. */
struct wc {
	char *w;
	size_t c;
};
static int cmp_wc_word(const void *a, const void *b)
{
	return strcmp(((const struct wc *)a)->w, ((const struct wc *)b)->w);
}
static int cmp_wc_count(const void *a, const void *b)
{
	const struct wc *x = a, *y = b;
	if (x->c != y->c)
		return x->c < y->c ? 1 : -1;
	return strcmp(x->w, y->w);
}
static struct wc *count_words(const struct spans *a, size_t *n_out)
{
	struct wc *v = xcalloc(a->n ? a->n : 1, sizeof *v);
	for (size_t i = 0; i < a->n; i++) {
		v[i].w = xasprintf("%.*s", (int)a->v[i].n, a->v[i].s);
		for (char *q = v[i].w; *q; q++)
			*q = (char)tolower((unsigned char)*q);
		v[i].c = 1;
	}
	qsort(v, a->n, sizeof *v, cmp_wc_word);
	size_t m = 0;
	for (size_t i = 0; i < a->n; i++) {
		if (m && !strcmp(v[m - 1].w, v[i].w)) {
			v[m - 1].c++;
			free(v[i].w);
		} else {
			v[m++] = v[i];
		}
	}
	qsort(v, m, sizeof *v, cmp_wc_count);
	*n_out = m;
	return v;
}

/* ---- the generator ------------------------------------------------------------------------ */

static struct base *g_sort_base;   /* qsort has no context argument in C17 */
static int cmp_base_cat(const void *a, const void *b)
{
	const struct base *x = &g_sort_base[*(const size_t *)a], *y = &g_sort_base[*(const size_t *)b];
	int c = strcmp(x->primary, y->primary);
	return c ? c : (*(const size_t *)a > *(const size_t *)b) - (*(const size_t *)a < *(const size_t *)b);
}

struct pgen *pgen_new(const char *datadir, uint64_t seed, struct lerr *e)
{
	static const char *const dirs[] = { "arxiv-rss", "arxiv-api", "hf-daily" };
	struct load l = {0};
	for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
		char *d = xasprintf("%s/%s", datadir, dirs[i]);
		int rc = load_dir(&l, d, e);
		free(d);
		if (rc < 0)
			return NULL;
	}
	if (l.n < 100) {
		lerr_set(e, LERR_PARSE, 0, "%s: only %zu papers with abstracts in the fixtures", datadir, l.n);
		return NULL;
	}
	struct pgen *g = xcalloc(1, sizeof *g);
	g->seed = seed;
	/* Hold out every 64th paper whole (the "old papers"); the rest feed the pools. */
	g->old = xcalloc(l.n / 64 + 1, sizeof *g->old);
	g->base = xcalloc(l.n, sizeof *g->base);
	for (size_t i = 0; i < l.n; i++) {
		struct paper *p = &l.v[i];
		if (i % 64 == 63) {
			g->old[g->n_old++] = *p;
			continue;
		}
		struct base *b = &g->base[g->n_base++];
		b->title = (char *)keep(g, xstrdup(p->title));
		b->primary = xstrdup(p->primary_category ? p->primary_category : "cs.LG");
		b->categories = xstrdup(p->categories ? p->categories : b->primary);
		b->org = p->organization ? (char *)keep(g, xstrdup(p->organization)) : NULL;
		b->n_authors = p->n_authors ? p->n_authors : 1;
		b->first_sent = g->sent.n;
		add_sentences(g, &g->sent, p->abstract);
		b->n_sent = g->sent.n - b->first_sent;
		add_tokens(&g->title_words, b->title, 4, true);
		for (size_t s = b->first_sent; s < g->sent.n; s++)
			add_tokens(&g->abs_words, g->sent.v[s].s, 4, true);
		for (size_t a = 0; a < p->n_authors; a++) {
			const char *nm = keep(g, xstrdup(p->authors[a].name));
			const char *sp = strrchr(nm, ' ');
			if (!sp || sp == nm)
				continue;
			spans_add(&g->given, nm, (size_t)(sp - nm));
			spans_add(&g->surname, sp + 1, strlen(sp + 1));
			if (p->authors[a].affiliation)
				spans_add(&g->orgs, keep(g, xstrdup(p->authors[a].affiliation)),
				          strlen(p->authors[a].affiliation));
		}
		if (b->org)
			spans_add(&g->orgs, b->org, strlen(b->org));
		paper_clear(p);
	}
	free(l.v);
	if (!g->orgs.n)
		spans_add(&g->orgs, "University of Cambridge", strlen("University of Cambridge"));
	/* category groups */
	g->by_cat = xcalloc(g->n_base, sizeof *g->by_cat);
	g->cat_start = xcalloc(g->n_base, sizeof *g->cat_start);
	g->cat_len = xcalloc(g->n_base, sizeof *g->cat_len);
	for (size_t i = 0; i < g->n_base; i++)
		g->by_cat[i] = i;
	g_sort_base = g->base;
	qsort(g->by_cat, g->n_base, sizeof *g->by_cat, cmp_base_cat);
	for (size_t i = 0; i < g->n_base;) {
		size_t j = i;
		while (j < g->n_base && !strcmp(g->base[g->by_cat[j]].primary, g->base[g->by_cat[i]].primary))
			j++;
		for (size_t k = i; k < j; k++) {
			g->cat_start[g->by_cat[k]] = i;
			g->cat_len[g->by_cat[k]] = j - i;
		}
		i = j;
	}
	/* probe words */
	size_t n;
	struct wc *w = count_words(&g->abs_words, &n);
	g->rare = xcalloc(n, sizeof *g->rare);
	for (size_t i = 0; i < n; i++) {
		if (w[i].c == 1 && strlen(w[i].w) >= 6 && !strchr(w[i].w, '-'))
			g->rare[g->n_rare++] = w[i].w;
		else
			free(w[i].w);
	}
	free(w);
	w = count_words(&g->surname, &n);
	g->surname_rank = xcalloc(n, sizeof *g->surname_rank);
	for (size_t i = 0; i < n; i++)
		g->surname_rank[g->n_surname_rank++] = w[i].w;
	free(w);
	struct spans ow = {0};
	for (size_t i = 0; i < g->orgs.n; i++) {   /* first word of 3+ letters of each */
		struct spans one = {0};
		char *o = xasprintf("%.*s", (int)g->orgs.v[i].n, g->orgs.v[i].s);
		add_tokens(&one, keep(g, o), 3, true);
		if (one.n)
			spans_add(&ow, one.v[0].s, one.v[0].n);
		free(one.v);
	}
	w = count_words(&ow, &n);
	free(ow.v);
	g->org_rank = xcalloc(n ? n : 1, sizeof *g->org_rank);
	for (size_t i = 0; i < n; i++)
		g->org_rank[g->n_org_rank++] = w[i].w;
	free(w);
	return g;
}

void pgen_free(struct pgen *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->n_base; i++) {
		free(g->base[i].primary);
		free(g->base[i].categories);
	}
	free(g->base);
	for (size_t i = 0; i < g->n_old; i++)
		paper_clear(&g->old[i]);
	free(g->old);
	free(g->sent.v);
	free(g->title_words.v);
	free(g->abs_words.v);
	free(g->given.v);
	free(g->surname.v);
	free(g->orgs.v);
	free(g->by_cat);
	free(g->cat_start);
	free(g->cat_len);
	for (size_t i = 0; i < g->n_rare; i++)
		free(g->rare[i]);
	free(g->rare);
	for (size_t i = 0; i < g->n_surname_rank; i++)
		free(g->surname_rank[i]);
	free(g->surname_rank);
	for (size_t i = 0; i < g->n_org_rank; i++)
		free(g->org_rank[i]);
	free(g->org_rank);
	for (size_t i = 0; i < g->n_kept; i++)
		free(g->kept[i]);
	free(g->kept);
	free(g);
}

/* Copies the text s, swapping each word of `min`+ letters for a draw from `pool` with
 * probability 1/every (keeping an initial capital). */
static void recombine(struct sbuf *b, const char *s, const struct spans *pool, size_t min,
                      unsigned every, struct rng *r)
{
	const char *p = s;
	while (*p) {
		const char *q = p;
		while (*q && !is_word_char((unsigned char)*q))
			q++;
		sbuf_add(b, p, (size_t)(q - p));
		if (!*q)
			break;
		const char *w = q;
		bool alpha = true;
		while (*q && is_word_char((unsigned char)*q)) {
			if (!isalpha((unsigned char)*q))
				alpha = false;
			q++;
		}
		size_t n = (size_t)(q - w);
		if (alpha && n >= min && rnd(r) % every == 0) {
			const struct span *d = draw(r, pool);
			size_t at = b->len;
			sbuf_add(b, d->s, d->n);
			if (isupper((unsigned char)w[0]))
				b->s[at] = (char)toupper((unsigned char)b->s[at]);
			else if (islower((unsigned char)w[0]) && !isupper((unsigned char)d->s[1]))
				b->s[at] = (char)tolower((unsigned char)b->s[at]);
		} else {
			sbuf_add(b, w, n);
		}
		p = q;
	}
}

static char *span_dup(const struct span *s) { return xasprintf("%.*s", (int)s->n, s->s); }

void pgen_paper(struct pgen *g, size_t i, int64_t published, struct paper *p)
{
	struct rng r = { g->seed ^ ((uint64_t)i * 0xd1342543de82ef95ULL) };
	rnd(&r);
	paper_init(p);
	const struct base *b = &g->base[rnd_below(&r, g->n_base)];
	p->id = xasprintf("syn:%zu", i);
	p->version = 1 + (int)(i % 3);
	p->source_kind = PAPER_SRC_ARXIV;
	struct sbuf t = {0};
	recombine(&t, b->title, &g->title_words, 4, 5, &r);
	p->title = sbuf_steal(&t);
	/* abstract: the base's sentences, then same-category sentences, to 1.5-2 KB */
	size_t target = 1500 + rnd_below(&r, 500);
	struct sbuf a = {0};
	size_t s = b->first_sent, left = b->n_sent;
	while (a.len < target) {
		if (!left) {
			const struct base *o = &g->base[g->by_cat[g->cat_start[b - g->base] +
			                                          rnd_below(&r, g->cat_len[b - g->base])]];
			s = o->first_sent;
			left = o->n_sent;
			if (!left)
				continue;
			/* from a random sentence of the other paper on */
			size_t skip = rnd_below(&r, left);
			s += skip;
			left -= skip;
		}
		if (a.len)
			sbuf_addc(&a, ' ');
		recombine(&a, g->sent.v[s].s, &g->abs_words, 4, 25, &r);
		s++;
		left--;
	}
	p->abstract = sbuf_steal(&a);
	size_t na = b->n_authors > 30 ? 30 : b->n_authors;
	for (size_t k = 0; k < na; k++) {
		const struct span *gn = draw(&r, &g->given), *sn = draw(&r, &g->surname);
		char *name = xasprintf("%.*s %.*s", (int)gn->n, gn->s, (int)sn->n, sn->s);
		char *aff = k == 0 && rnd(&r) % 3 == 0 ? span_dup(draw(&r, &g->orgs)) : NULL;
		paper_add_author(p, name, aff);
		free(name);
		free(aff);
	}
	p->published = published;
	p->updated = published;
	p->primary_category = xstrdup(b->primary);
	p->categories = xstrdup(b->categories);
	p->url_abs = xasprintf("https://arxiv.org/abs/%s", p->id);
	if (i % 20 == 0) {
		p->source_kind = PAPER_SRC_HF;
		p->upvotes = (int64_t)rnd_below(&r, 200);
		char d[11];
		util_fmt_date(published, d, sizeof d);
		p->hf_day = xstrdup(d);
		p->organization = b->org ? xstrdup(b->org) : span_dup(draw(&r, &g->orgs));
	}
}

size_t pgen_n_old(const struct pgen *g) { return g->n_old; }

void pgen_old(struct pgen *g, size_t k, int64_t published, struct paper *p)
{
	paper_copy(p, &g->old[k % g->n_old]);
	free(p->id);
	p->id = xasprintf("old:%zu", k);
	p->source_kind = PAPER_SRC_ARXIV;
	p->published = published;
	p->updated = published;
	free(p->hf_day);
	p->hf_day = NULL;
	p->upvotes = -1;
}

const char *pgen_surname(const struct pgen *g, size_t rank)
{
	return g->surname_rank[rank < g->n_surname_rank ? rank : g->n_surname_rank - 1];
}

const char *pgen_rare_word(const struct pgen *g, size_t k)
{
	return g->n_rare ? g->rare[k % g->n_rare] : "zzzz";
}

const char *pgen_org_word(const struct pgen *g, size_t rank)
{
	return g->n_org_rank ? g->org_rank[rank < g->n_org_rank ? rank : g->n_org_rank - 1] : "lab";
}
