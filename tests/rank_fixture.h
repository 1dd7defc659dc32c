/* rank_fixture.h — the real arXiv day of the fixtures (1,504 papers of every archive, RSS of
 * 2024-11-28) loaded into a store, for tests/test_rank.c and tests/bench/bench_rank.c. */
#ifndef LECTERN_RANK_FIXTURE_H
#define LECTERN_RANK_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lectern/feed.h"
#include "lectern/store.h"

#define RANK_FIXTURE "tests/data/arxiv-rss/aioarxiv-2024-11-28-rss-all-archives-1504-items.xml"

struct fixture_ctx {
	struct store *s;
	long n;
};

static int fixture_put(void *ctx, const struct paper *p)
{
	struct fixture_ctx *x = ctx;
	struct lerr e = {0};
	struct store_listing l = { .source = "arxiv", .day = "2024-11-28", .position = x->n,
	                           .type = p->announce };
	if (store_upsert(x->s, p, &l, NULL, &e) == 0)
		x->n++;
	return 0;
}

/* Loads the day into s (one transaction); returns the number of papers, -1 on error. */
static long fixture_load(struct store *s, const char *dir)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", dir ? dir : ".", RANK_FIXTURE);
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)len + 1);
	size_t got = buf ? fread(buf, 1, (size_t)len, f) : 0;
	fclose(f);
	struct fixture_ctx x = { s, 0 };
	struct lerr e = {0};
	int rc = -1;
	if (buf && got == (size_t)len && store_begin(s, &e) == 0) {
		rc = feed_parse(FEED_AUTO, buf, got, NULL, fixture_put, &x, NULL, &e);
		if (store_commit(s, &e) < 0)
			rc = -1;
	}
	free(buf);
	return rc < 0 ? -1 : x.n;
}

#endif
