/* store_rank — what the ranker (rank.c) reads from and keeps in the cache: the text of sets of
 * papers (favourites, hidden, a day range, a seeded sample, the best FTS5 matches), and its
 * blobs in rank_model (schema 10). SQL is fixed text here; values are bound. */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

#define TEXT_COLS "p.pk, p.id, p.title, p.abstract, p.authors, p.categories, p.published," \
                  " coalesce((SELECT u.favourite FROM user_state u WHERE u.id = p.id), 0)"
#define NOT_HIDDEN " NOT EXISTS (SELECT 1 FROM user_state h WHERE h.id = p.id AND h.hidden = 1)"

/* The sample: a pseudo-random order of the pks (a Lehmer step of pk mod 2^31-1, offset by the
 * seed), read from the narrow index papers_upvotes (pk is in every index), not the table. */
static const char *const text_sql[] = {
	[STORE_TEXT_FAVOURITES] = "SELECT " TEXT_COLS " FROM user_state f CROSS JOIN papers p"
	                          " ON p.id = f.id WHERE f.favourite = 1 ORDER BY p.pk DESC",
	[STORE_TEXT_HIDDEN] = "SELECT " TEXT_COLS " FROM user_state f CROSS JOIN papers p"
	                      " ON p.id = f.id WHERE f.hidden = 1 ORDER BY p.pk DESC",
	[STORE_TEXT_SINCE] = "SELECT " TEXT_COLS " FROM papers p WHERE p.pk >= ?2 AND" NOT_HIDDEN
	                     " ORDER BY p.pk DESC",
	[STORE_TEXT_SAMPLE] = "SELECT " TEXT_COLS " FROM papers p WHERE p.pk IN (SELECT pk FROM"
	                      " papers INDEXED BY papers_upvotes ORDER BY"
	                      " ((pk % 2147483647) * 48271 + ?1) % 2147483647 LIMIT ?2) AND" NOT_HIDDEN,
	/* ranked inside FTS5 alone (its ORDER BY rank LIMIT), joined to papers after: joined
	 * first, every match was read from papers before the sort (1.5 s at 1M) */
	[STORE_TEXT_MATCH] = "SELECT " TEXT_COLS " FROM papers p WHERE p.pk IN (SELECT rowid FROM"
	                     " papers_fts WHERE papers_fts MATCH ?1 ORDER BY rank LIMIT ?2) AND"
	                     NOT_HIDDEN,
	[STORE_TEXT_ID] = "SELECT " TEXT_COLS " FROM papers p WHERE p.id = ?1",
};

int store_texts(struct store *s, enum store_text_set set, const char *arg, int64_t n,
                store_text_cb cb, void *ctx, struct lerr *e)
{
	sqlite3_stmt *st = store_cached(s, text_sql[set], e);
	if (!st)
		return -1;
	if (set == STORE_TEXT_SINCE) {
		sqlite3_bind_int64(st, 2, n < 0 ? 0 : n << STORE_PK_SHIFT);
	} else if (set == STORE_TEXT_SAMPLE) {
		sqlite3_bind_int64(st, 1, arg ? strtoll(arg, NULL, 10) % 2147483647 : 0);
		sqlite3_bind_int64(st, 2, n);
	} else if (set == STORE_TEXT_MATCH || set == STORE_TEXT_ID) {
		char buf[64];
		const char *v = arg ? arg : "";
		if (set == STORE_TEXT_ID) {
			int ver;
			if (paper_parse_arxiv_id(v, buf, sizeof buf, &ver) == 0)
				v = buf;
		}
		sqlite3_bind_text(st, 1, v, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, n);
	}
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t pk = sqlite3_column_int64(st, 0), pub = sqlite3_column_int64(st, 6);
		struct store_text t = {
			.pk = pk,
			.id = (const char *)sqlite3_column_text(st, 1),
			.title = (const char *)sqlite3_column_text(st, 2),
			.abstract = (const char *)sqlite3_column_text(st, 3),
			.authors = (const char *)sqlite3_column_text(st, 4),
			.categories = (const char *)sqlite3_column_text(st, 5),
			.date = pub ? pub : pk >> STORE_PK_SHIFT,
			.favourite = sqlite3_column_int(st, 7) != 0,
		};
		if (cb(ctx, &t)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_db_error(s, e, rc, "reading papers for the ranker");
}

int store_blob_get(struct store *s, const char *name, void **data, size_t *n, int64_t *when,
                   struct lerr *e)
{
	*data = NULL;
	*n = 0;
	sqlite3_stmt *st = store_cached(s, "SELECT model, trained_at FROM rank_model WHERE name = ?1",
	                                e);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		int len = sqlite3_column_bytes(st, 0);
		const void *b = sqlite3_column_blob(st, 0);
		if (b && len > 0) {
			*data = xmalloc((size_t)len);
			memcpy(*data, b, (size_t)len);
			*n = (size_t)len;
		}
		if (when)
			*when = sqlite3_column_int64(st, 1);
		rc = SQLITE_DONE;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_db_error(s, e, rc, "reading the ranker's model");
}

int store_blob_put(struct store *s, const char *name, const void *data, size_t n, int64_t n_pos,
                   int64_t n_neg, struct lerr *e)
{
	if (s->readonly) {
		lerr_set(e, LERR_DB, 0, "the cache is read-only: the model is not saved");
		return -1;
	}
	sqlite3_stmt *st = store_cached(s, "INSERT OR REPLACE INTO rank_model (name, trained_at,"
	                                " n_pos, n_neg, model) VALUES (?1, ?2, ?3, ?4, ?5)", e);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, util_now());
	sqlite3_bind_int64(st, 3, n_pos);
	sqlite3_bind_int64(st, 4, n_neg);
	sqlite3_bind_blob(st, 5, data, (int)n, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_db_error(s, e, rc, "saving the ranker's model");
}

int store_rank_put(struct store *s, int list, const int64_t *pk, const double *score,
                   char *const *why, size_t n, struct lerr *e)
{
	if (store_begin(s, e) < 0)
		return -1;
	sqlite3_stmt *del = store_cached(s, "DELETE FROM rank_scores WHERE list = ?1", e);
	int rc = del ? SQLITE_OK : SQLITE_ERROR;
	if (del) {
		sqlite3_bind_int(del, 1, list);
		rc = sqlite3_step(del) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
		sqlite3_reset(del);
	}
	sqlite3_stmt *ins = rc == SQLITE_OK ? store_cached(s, "INSERT OR REPLACE INTO rank_scores"
	                                                   " (list, paper, score, why) VALUES"
	                                                   " (?1, ?2, ?3, ?4)", e) : NULL;
	for (size_t i = 0; ins && rc == SQLITE_OK && i < n; i++) {
		sqlite3_bind_int(ins, 1, list);
		sqlite3_bind_int64(ins, 2, pk[i]);
		sqlite3_bind_double(ins, 3, score[i]);
		sqlite3_bind_text(ins, 4, why[i], -1, SQLITE_TRANSIENT);
		rc = sqlite3_step(ins) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
		sqlite3_reset(ins);
	}
	if (rc != SQLITE_OK || !ins) {
		if (!e || !e->msg[0])
			store_db_error(s, e, sqlite3_errcode(s->db), "saving the ranking");
		store_rollback(s);
		return -1;
	}
	return store_commit(s, e);
}

int store_rank_why(struct store *s, const char *id, int list, char **why, struct lerr *e)
{
	*why = NULL;
	sqlite3_stmt *st = store_cached(s, "SELECT rs.why FROM papers p CROSS JOIN rank_scores rs"
	                                " ON rs.list = ?2 AND rs.paper = p.pk WHERE p.id = ?1", e);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 2, list);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*why = store_col_text(st, 0);
		rc = SQLITE_DONE;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_db_error(s, e, rc, "reading why a paper ranks");
}
