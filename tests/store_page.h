/* store_page.h — a test oracle: rows [offset, offset+limit) of a view, read as ONE window of
 * offset+limit rows from the start (so it checks store_window's anchored paging against the
 * same view read in one go). Cost grows with offset; tests and benchmarks only. */
#ifndef LECTERN_TEST_STORE_PAGE_H
#define LECTERN_TEST_STORE_PAGE_H

#include <stdlib.h>
#include <string.h>

#include "lectern/store.h"

static inline int store_page(struct store *s, const struct store_view *view, size_t offset,
                             size_t limit, struct store_rows *out, struct lerr *e)
{
	struct store_rows all = {0};
	if (store_window(s, view, NULL, 1, offset + limit, &all, e) < 0)
		return -1;
	for (size_t i = 0; i < all.n; i++) {
		if (i < offset || i >= offset + limit) {
			store_row_clear(&all.v[i]);
			continue;
		}
		if (out->n == out->cap) {
			out->cap = out->cap ? out->cap * 2 : 64;
			out->v = realloc(out->v, out->cap * sizeof *out->v);
			if (!out->v)
				abort();
		}
		out->v[out->n++] = all.v[i];   /* moved: its strings now belong to out */
	}
	free(all.v);
	return 0;
}

#endif
