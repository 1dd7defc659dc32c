/* bench_rank — the ranker's quality on the real arXiv day of the fixtures (1,504 papers of every
 * archive, 2024-11-28): for each of quant-ph, gr-qc, cs.CL and hep-ph, 15 papers whose primary
 * category it is are made favourites at random (10 seeded draws), and precision@20 is measured
 * (favourites left out; a hit lists the category among its categories) for lectern's ranking
 * (rank_recommend) and a plain tf-idf centroid ranker (rank_centroid) on the same favourites;
 * then the misses among lectern's top 20 are hidden and it is measured again. Prints a table
 * (BENCHMARKS.md) and the time to train and score. Run from the repository root. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lectern/rank.h"
#include "lectern/store.h"
#include "../rank_fixture.h"

enum { DRAWS = 10, FAVS = 15, TOP = 20 };

struct paper_ref {
	char id[32], primary[32];
	char *cats;
};
struct all {
	struct paper_ref *v;
	size_t n;
};

static int collect(void *ctx, const struct paper *p)
{
	struct all *a = ctx;
	a->v = realloc(a->v, (a->n + 1) * sizeof *a->v);
	struct paper_ref *r = &a->v[a->n++];
	snprintf(r->id, sizeof r->id, "%s", p->id);
	snprintf(r->primary, sizeof r->primary, "%s", p->primary_category ? p->primary_category : "");
	r->cats = strdup(p->categories ? p->categories : "");
	return 0;
}

static bool has_cat(const struct all *a, const char *id, const char *cat)
{
	for (size_t i = 0; i < a->n; i++)
		if (!strcmp(a->v[i].id, id)) {
			for (const char *c = a->v[i].cats; *c;) {
				size_t n = strcspn(c, " ");
				if (n == strlen(cat) && !strncmp(c, cat, n))
					return true;
				c += n + (c[n] == ' ');
			}
			return false;
		}
	return false;
}

static double precision(const struct all *a, const struct rank_result *r, const char *cat)
{
	int hits = 0;
	for (size_t i = 0; i < r->n && i < TOP; i++)
		hits += has_cat(a, r->v[i].id, cat);
	return hits / (double)TOP;
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1e3 + (t1.tv_nsec - t0->tv_nsec) / 1e6;
}

int main(void)
{
	struct lerr e = {0};
	struct store *s = store_open(":memory:", 0, &e);
	if (!s || fixture_load(s, ".") != 1504) {
		fprintf(stderr, "bench_rank: cannot load %s (run from the repository root)\n", RANK_FIXTURE);
		return 1;
	}
	struct all a = {0};
	struct store_view v = { .filter = STORE_VIEW_SOURCE, .source = "arxiv", .day = "2024-11-28" };
	store_each(s, &v, 0, collect, &a, &e);
	const char *cats[] = {"quant-ph", "gr-qc", "cs.CL", "hep-ph"};
	double tot[3] = {0}, train_ms = 0;
	int n_train = 0;
	printf("precision@%d, mean of %d draws of %d favourites (1,504 papers of 2024-11-28)\n",
	       TOP, DRAWS, FAVS);
	printf("%-10s %10s %10s %14s\n", "category", "centroid", "lectern", "after hiding");
	for (size_t c = 0; c < 4; c++) {
		double sum[3] = {0};
		size_t n_cat = 0;
		for (size_t i = 0; i < a.n; i++)
			n_cat += !strcmp(a.v[i].primary, cats[c]);
		for (unsigned draw = 1; draw <= DRAWS; draw++) {
			srand(draw * 7919u + (unsigned)c);
			char fav[FAVS][32];
			int nf = 0;
			while (nf < FAVS) {   /* 15 distinct papers of the category, at random */
				size_t k = (size_t)rand() % a.n, seen = 0;
				if (strcmp(a.v[k].primary, cats[c]))
					continue;
				for (int j = 0; j < nf; j++)
					seen |= !strcmp(fav[j], a.v[k].id);
				if (!seen)
					snprintf(fav[nf++], sizeof fav[0], "%s", a.v[k].id);
			}
			for (int j = 0; j < nf; j++)
				store_set_favourite(s, fav[j], true, &e);
			store_blob_put(s, "model", "", 0, 0, 0, &e);   /* each draw from scratch */
			struct rank_result r, base;
			struct rank_opts o = { .limit = TOP, .seed = 1 };
			struct timespec t0;
			clock_gettime(CLOCK_MONOTONIC, &t0);
			if (rank_recommend(s, &o, &r, &e) < 0 || rank_centroid(s, 0, TOP, &base, &e) < 0) {
				fprintf(stderr, "bench_rank: %s\n", e.msg);
				return 1;
			}
			train_ms += ms_since(&t0), n_train++;
			sum[0] += precision(&a, &base, cats[c]);
			sum[1] += precision(&a, &r, cats[c]);
			char hid[TOP][32];
			int nh = 0;
			for (size_t i = 0; i < r.n && i < TOP; i++)
				if (!has_cat(&a, r.v[i].id, cats[c]) && store_set_hidden(s, r.v[i].id, true, &e) == 0)
					snprintf(hid[nh++], sizeof hid[0], "%s", r.v[i].id);
			rank_result_free(&r);
			if (rank_recommend(s, &o, &r, &e) < 0)
				return 1;
			sum[2] += precision(&a, &r, cats[c]);
			rank_result_free(&r);
			rank_result_free(&base);
			for (int j = 0; j < nh; j++)
				store_set_hidden(s, hid[j], false, &e);
			for (int j = 0; j < nf; j++)
				store_set_favourite(s, fav[j], false, &e);
		}
		printf("%-10s %10.3f %10.3f %14.3f   (%zu papers with it as primary)\n", cats[c],
		       sum[0] / DRAWS, sum[1] / DRAWS, sum[2] / DRAWS, n_cat);
		for (int k = 0; k < 3; k++)
			tot[k] += sum[k] / DRAWS;
	}
	printf("%-10s %10.3f %10.3f %14.3f\n", "mean", tot[0] / 4, tot[1] / 4, tot[2] / 4);
	printf("train (15 favourites, sample = the day) + score the day + centroid: %.0f ms a draw\n",
	       train_ms / n_train);
	for (size_t i = 0; i < a.n; i++)
		free(a.v[i].cats);
	free(a.v);
	store_close(&s);
	return 0;
}
