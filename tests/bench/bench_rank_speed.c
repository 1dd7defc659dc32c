/* bench_rank_speed — the ranker's speed targets on a big synthetic cache (bench_store's: Zipfian
 * word salad with real academic words at its head). Give the cache with LECTERN_BENCH_DB (it is
 * written: schema 10 and the model); without one it says so and exits 0. Measures: training with
 * 200 favourites and the 20,000-paper sample (target <= 2 s at 1M), scoring the newest <= 2,000
 * papers with the stored model (<= 50 ms), "similar" of a paper (<= 100 ms at 1M); medians of 5. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lectern/rank.h"
#include "lectern/store.h"

/* CPU time of this process: the machine the figures come from is shared, so wall time says
 * as much about the neighbours as about lectern (both are printed). */
static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static double wall_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_d);
	return v[n / 2];
}

struct ids {
	char (*v)[32];
	size_t n;
	int64_t oldest;   /* date of the last row seen */
};

static int take(void *ctx, const struct store_row *r)
{
	struct ids *x = ctx;
	snprintf(x->v[x->n++], 32, "%s", r->id);
	x->oldest = r->date;
	return 0;
}

int main(void)
{
	const char *path = getenv("LECTERN_BENCH_DB");
	if (!path || !*path) {
		printf("bench_rank_speed: set LECTERN_BENCH_DB to a big cache (bench_store builds one)\n");
		return 0;
	}
	struct lerr e = {0};
	struct store *s = store_open(path, 0, &e);
	if (!s) {
		fprintf(stderr, "bench_rank_speed: %s: %s\n", path, e.msg);
		return 1;
	}
	int64_t n = store_count(s, NULL, -1, &e);
	/* 200 favourites spread over the cache: every 1/200th of the newest 100,000 */
	struct ids x = { calloc(2000, 32), 0, 0 };
	struct store_view all = {0};
	struct ids fav = { calloc(100000, 32), 0, 0 };
	store_each_row(s, &all, 100000, take, &fav, &e);
	for (size_t i = 0; i < 200 && i * 500 < fav.n; i++)
		store_set_favourite(s, fav.v[i * 500], true, &e);
	/* a day: the newest 2,000 papers */
	store_each_row(s, &all, 2000, take, &x, &e);
	double tr[5], sc[5], si[5], wtr[5], wsc[5], wsi[5];
	struct rank_result r;
	for (int k = 0; k < 5; k++) {
		double t0 = now_ms(), w0 = wall_ms();
		if (rank_recommend(s, &(struct rank_opts){ .since = 4102444800 /* 2100: train only */, .seed = 1 }, &r, &e) < 0) {
			fprintf(stderr, "bench_rank_speed: %s\n", e.msg);
			return 1;
		}
		tr[k] = now_ms() - t0, wtr[k] = wall_ms() - w0;
		size_t pos = r.n_pos, neg = r.n_neg;
		rank_result_free(&r);
		t0 = now_ms(), w0 = wall_ms();
		rank_recommend(s, &(struct rank_opts){ .since = x.oldest, .limit = 50, .no_train = true },
		               &r, &e);
		sc[k] = now_ms() - t0, wsc[k] = wall_ms() - w0;
		if (k == 0)
			printf("cache %lld papers; model of %zu favourites and %zu others; a day of %zu "
			       "papers scored\n", (long long)n, pos, neg, r.considered);
		rank_result_free(&r);
		t0 = now_ms(), w0 = wall_ms();
		rank_similar(s, fav.v[k * 7], 20, &r, &e);
		si[k] = now_ms() - t0, wsi[k] = wall_ms() - w0;
		rank_result_free(&r);
	}
	double first = tr[0], wfirst = wtr[0];
	printf("train (with the sample, warm-started after the first): %.0f ms CPU median (first "
	       "%.0f), wall %.0f (first %.0f)\n", median(tr, 5), first, median(wtr, 5), wfirst);
	printf("score a day of <= 2,000 papers with the stored model: %.1f ms CPU median, wall %.1f\n",
	       median(sc, 5), median(wsc, 5));
	printf("similar (candidates from the index, reranked): %.1f ms CPU median, wall %.1f\n",
	       median(si, 5), median(wsi, 5));
	for (size_t i = 0; i < 200 && i * 500 < fav.n; i++)
		store_set_favourite(s, fav.v[i * 500], false, &e);
	free(x.v);
	free(fav.v);
	store_close(&s);
	return 0;
}
