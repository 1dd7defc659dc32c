/* libFuzzer target: the search language (query.h) through everything that reads a query — the
 * parser, the compiler to SQL/FTS5 run against a small cache (store_count), the typing hint and
 * the translation to arXiv's search_query. Invariants: a query either parses or fails with a
 * usage error; one that parses compiles and runs (or fails with an error, never a crash); the
 * arXiv form is NULL exactly when the parse failed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/fetch_int.h"   /* fetch_arxiv_query */
#include "lectern/query.h"
#include "lectern/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct store *cache(void)
{
	static struct store *s;
	if (s)
		return s;
	struct lerr e = {0};
	s = store_open(":memory:", 0, &e);
	if (!s)
		abort();
	static const char *const rows[][4] = {
		{"2501.01234", "Scaling $\\alpha$-Nets: BERT & GPT-4o in 3D", "Ada Lovelace", "cs.LG"},
		{"2502.00002", "Learning to Rank Everything", "John Smith", "cs.IR cs.LG"},
		{"hep-th/9901001", "Strings on the lattice", "Émile Zola", "hep-th"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		struct paper p;
		paper_init(&p);
		paper_set(&p.id, rows[i][0]);
		paper_set(&p.title, rows[i][1]);
		paper_set(&p.abstract, "We study robust parsing of queries: words, \"phrases\" and dates.");
		paper_add_author(&p, rows[i][2], "Analytical Engine Society");
		paper_set(&p.categories, rows[i][3]);
		p.published = 1735776000 + (int64_t)i * 86400;
		p.upvotes = (int64_t)i * 7;
		if (store_upsert(s, &p, &(struct store_listing){.source = "arxiv", .day = "2025-01-02",
		                                                .position = -1}, NULL, &e) < 0)
			abort();
		paper_clear(&p);
	}
	store_set_tags(s, "2501.01234", "ml to-read", &e);
	store_set_favourite(s, "2502.00002", true, &e);
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	char *q = malloc(size + 1);
	memcpy(q, data, size);
	q[size] = '\0';

	struct lerr e = {0};
	struct query_node *t = NULL;
	int parsed = query_parse(q, &t, &e);
	if (parsed < 0 && e.kind != LERR_USAGE && e.kind != LERR_PARSE)
		abort();
	query_free(t);

	struct lerr ae = {0};
	char *arxiv = fetch_arxiv_query(q, &ae);
	if ((arxiv == NULL) != (parsed < 0))
		abort();
	free(arxiv);

	free(query_typing(q));

	if (parsed == 0) {
		static const enum store_sort sorts[] = {STORE_SORT_DATE, STORE_SORT_RELEVANCE,
		                                        STORE_SORT_UPVOTES};
		struct store_view v = {.filter = STORE_VIEW_ALL, .query = q,
		                       .sort = sorts[size % 3]};
		struct lerr ce = {0};
		int64_t n = store_count(cache(), &v, -1, &ce);
		if (n > 3)
			abort();
	}
	free(q);
	return 0;
}
