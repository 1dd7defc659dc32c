/* Unit tests for the store: merge semantics, user state, refusal of foreign files, read-only
 * and concurrent use, full-disk rollback, the search syntax, windows and counts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <grp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lectern/export.h"
#include "lectern/paper_fields.h"
#include "lectern/store.h"
#include "../src/store_int.h"   /* s->db, for PRAGMA max_page_count and integrity checks */
#include "undo.h"

static char tmpdir[256];

static const char *tmp_path(const char *name)
{
	static char buf[512];
	snprintf(buf, sizeof buf, "%s/%s", tmpdir, name);
	return buf;
}

static int64_t day(const char *ymd)
{
	int64_t t = 0;
	assert_int_equal(util_parse_time(ymd, &t), 0);
	return t;
}

static void mk(struct paper *p, const char *id, const char *title, const char *abstract,
               const char *published)
{
	paper_init(p);
	paper_set(&p->id, id);
	paper_set(&p->title, title);
	paper_set(&p->abstract, abstract);
	if (published)
		p->published = day(published);
}

static struct store *open_mem(void)
{
	struct lerr e = {0};
	struct store *s = store_open(":memory:", 0, &e);
	assert_non_null(s);
	return s;
}

static void put(struct store *s, struct paper *p, const char *src, const char *d,
                enum store_upsert_result want)
{
	struct lerr e = {0};
	enum store_upsert_result r;
	if (store_upsert(s, p, &(struct store_listing){ .source = src, .day = d, .position = -1 }, &r, &e) != 0)
		fail_msg("upsert %s: %s", p->id, e.msg);
	assert_int_equal(r, want);
}

static void fts_ok(struct store *s)
{
	char *err = NULL;
	int rc = sqlite3_exec(s->db, "INSERT INTO papers_fts(papers_fts, rank) VALUES"
	                             " ('integrity-check', 1);"
	                             "INSERT INTO papers_tfts(papers_tfts, rank) VALUES"
	                             " ('integrity-check', 1)", NULL, NULL, &err);
	if (rc != SQLITE_OK)
		fail_msg("FTS integrity: %s", err);
	/* the index's word list has every word of 4 bytes or more of the index (store_terms.c) */
	sqlite3_stmt *st;
	rc = sqlite3_exec(s->db, "CREATE VIRTUAL TABLE temp.t_vocab USING"
	                  " fts5vocab(main, papers_fts, row)", NULL, NULL, &err);
	if (rc != SQLITE_OK)
		fail_msg("vocab: %s", err);
	assert_int_equal(sqlite3_prepare_v2(s->db, "SELECT count(*), (SELECT count(*) FROM temp.t_vocab v"
	                                    " WHERE length(CAST(v.term AS BLOB)) >= 2 AND NOT EXISTS"
	                                    " (SELECT 1 FROM fts_terms t WHERE t.term = v.term))"
	                                    " FROM temp.t_vocab", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	if (sqlite3_column_int64(st, 1) != 0)
		fail_msg("fts_terms misses %lld of the index's %lld words",
		         (long long)sqlite3_column_int64(st, 1), (long long)sqlite3_column_int64(st, 0));
	sqlite3_finalize(st);
	sqlite3_exec(s->db, "DROP TABLE temp.t_vocab", NULL, NULL, NULL);
}

static uint64_t checksum(const char *path)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	uint64_t h = 1469598103934665603ULL;
	int c;
	while ((c = fgetc(f)) != EOF)
		h = (h ^ (uint64_t)c) * 1099511628211ULL;
	fclose(f);
	return h;
}

static void raw_exec(const char *path, const char *sql)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	char *err = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", sql, err);
	sqlite3_close(db);
}

/* raw_exec through a store's connection: the one that knows the tokenizer "lectern", which
 * dropping an FTS table that uses it needs (the downgrades of the migration tests). */
static void store_exec(const char *path, const char *sql)
{
	struct lerr e = {0};
	struct store *s = store_open(path, 0, &e);
	if (!s)
		fail_msg("%s: %s", path, e.msg);
	char *err = NULL;
	if (sqlite3_exec(s->db, sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", sql, err);
	store_close(&s);
}

/* Runs sql on the cache at path (an undo chain: the cache as an older lectern left it), then
 * opens it again, which migrates it: the store, or the test fails. */
static struct store *downgrade_and_open(const char *path, const char *sql)
{
	store_exec(path, sql);
	struct lerr e = {0};
	struct store *s = store_open(path, 0, &e);
	if (!s)
		fail_msg("migrating %s: %s", path, e.msg);
	return s;
}

/* The test oracle for paging: rows [offset, offset+limit) of a view, read as ONE window of
 * offset+limit rows from the start (so anchored paging is checked against the same view read
 * in one go). */
static int store_page(struct store *s, const struct store_view *view, size_t offset,
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

/* ids of a window, space-separated */
static char *ids_of(const struct store_rows *r)
{
	struct sbuf b = {0};
	for (size_t i = 0; i < r->n; i++) {
		if (i)
			sbuf_addc(&b, ' ');
		sbuf_adds(&b, r->v[i].id);
	}
	return sbuf_steal(&b);
}

static char *search(struct store *s, enum store_sort sort, const char *q)
{
	struct store_view v = { .sort = sort, .query = q };
	struct store_rows r = {0};
	struct lerr e = {0};
	if (store_window(s, &v, NULL, 1, 100, &r, &e) != 0)
		fail_msg("query '%s': %s", q, e.msg);
	char *ids = ids_of(&r);
	int64_t n = store_count(s, &v, -1, &e);
	assert_int_equal((int64_t)r.n, n);
	store_rows_clear(&r);
	return ids;
}

#define assert_search(s, q, want)                         \
	do {                                              \
		char *got_ = search(s, STORE_SORT_DATE, q); \
		assert_string_equal(got_, want);          \
		free(got_);                               \
	} while (0)

/* ---- merge semantics ------------------------------------------------------------------------ */

static void test_roundtrip_all_fields(void **state)
{
	struct store *s = open_mem();
	struct paper p, g;
	mk(&p, "2501.01234", "A title", "An abstract\nwith two paragraphs", "2025-01-02T03:04:05Z");
	p.version = 3;
	p.updated = day("2025-02-01");
	paper_add_author(&p, "Ada Lovelace", "Analytical Engines Ltd");
	paper_add_author(&p, "Charles Babbage", NULL);
	paper_set(&p.primary_category, "cs.LG");
	paper_set(&p.categories, "cs.LG cs.AI");
	paper_set(&p.comment, "12 pages");
	paper_set(&p.journal_ref, "J. Foo 1 (2025)");
	paper_set(&p.doi, "10.1000/xyz");
	paper_set(&p.url_abs, "https://arxiv.org/abs/2501.01234");
	paper_set(&p.url_pdf, "https://arxiv.org/pdf/2501.01234");
	paper_set(&p.url_code, "https://github.com/a/b");
	paper_set(&p.url_project, "https://a.b");
	paper_set(&p.url_hf, "https://huggingface.co/papers/2501.01234");
	p.upvotes = 7;
	p.num_comments = 2;
	p.github_stars = 40;
	paper_set(&p.organization, "Google DeepMind");
	paper_set(&p.submitter, "Someone");
	paper_set(&p.ai_summary, "Summary");
	paper_set(&p.ai_keywords, "a, b");
	paper_set(&p.hf_day, "2025-01-03");
	paper_set(&p.thumbnail, "https://x/t.png");
	p.favourite = true;   /* ignored by upsert */
	put(s, &p, "hf-daily", "2025-01-03", STORE_INSERTED);

	struct lerr e = {0};
	assert_int_equal(store_get(s, "arXiv:2501.01234v3", &g, &e), 0);
	assert_string_equal(g.id, "2501.01234");
	assert_int_equal(g.version, 3);
	assert_string_equal(g.abstract, p.abstract);
	assert_int_equal(g.published, p.published);
	assert_int_equal(g.updated, p.updated);
	assert_int_equal(g.n_authors, 2);
	assert_string_equal(g.authors[0].name, "Ada Lovelace");
	assert_string_equal(g.authors[0].affiliation, "Analytical Engines Ltd");
	assert_null(g.authors[1].affiliation);
	const char *fields[][2] = {
		{ g.primary_category, "cs.LG" }, { g.categories, "cs.LG cs.AI" },
		{ g.comment, "12 pages" }, { g.journal_ref, "J. Foo 1 (2025)" }, { g.doi, "10.1000/xyz" },
		{ g.url_code, "https://github.com/a/b" }, { g.url_project, "https://a.b" },
		{ g.organization, "Google DeepMind" }, { g.submitter, "Someone" },
		{ g.ai_summary, "Summary" }, { g.ai_keywords, "a, b" }, { g.hf_day, "2025-01-03" },
		{ g.thumbnail, "https://x/t.png" }, { g.listings, "hf-daily 2025-01-03" },
	};
	for (size_t i = 0; i < ARRAY_LEN(fields); i++)
		assert_string_equal(fields[i][0], fields[i][1]);
	assert_int_equal(g.upvotes, 7);
	assert_int_equal(g.num_comments, 2);
	assert_int_equal(g.github_stars, 40);
	assert_false(g.favourite);
	paper_clear(&g);

	/* The same paper again: nothing changes. */
	put(s, &p, "hf-daily", "2025-01-03", STORE_UNCHANGED);
	assert_int_equal(store_get(s, "nope", &g, &e), -1);
	assert_int_equal(e.kind, LERR_NOTFOUND);
	paper_clear(&p);
	store_close(&s);
	assert_null(s);
}

static void test_merge(void **state)
{
	struct store *s = open_mem();
	struct paper a, b, c, g;
	struct lerr e = {0};
	mk(&a, "2501.00001v1", "Title from arXiv", "Abstract from arXiv", "2025-01-10");
	paper_add_author(&a, "Ann One", "MIT");
	paper_add_author(&a, "Bob Two", "ETH; CERN");
	paper_add_author(&a, "Cy Three", NULL);
	paper_set(&a.comment, "NeurIPS");
	paper_set(&a.categories, "cs.LG");
	put(s, &a, "arxiv", "2025-01-11", STORE_INSERTED);

	/* HF: no comment, no affiliations, counters, a later (+hours) publication time. */
	mk(&b, "2501.00001", "Title from arXiv", NULL, "2025-01-10T04:00:00Z");
	paper_add_author(&b, "Ann One", NULL);
	paper_add_author(&b, "Bob Two", NULL);
	paper_add_author(&b, "Cy Three", "Stanford");
	paper_add_author(&b, "Dee Four", NULL);
	b.upvotes = 10;
	b.github_stars = 5;
	paper_set(&b.organization, "Org");
	paper_set(&b.comment, "");   /* empty strings never blank */
	put(s, &b, "hf-daily", "2025-01-12", STORE_UPDATED);

	assert_int_equal(store_get(s, "2501.00001", &g, &e), 0);
	assert_string_equal(g.abstract, "Abstract from arXiv");
	assert_string_equal(g.comment, "NeurIPS");
	assert_string_equal(g.categories, "cs.LG");
	assert_int_equal(g.published, day("2025-01-10"));   /* earliest v1 date kept */
	assert_int_equal(g.version, 1);
	assert_int_equal(g.n_authors, 4);
	assert_string_equal(g.authors[0].name, "Ann One");
	assert_string_equal(g.authors[0].affiliation, "MIT");
	assert_string_equal(g.authors[1].affiliation, "ETH; CERN");
	assert_string_equal(g.authors[2].affiliation, "Stanford");
	assert_string_equal(g.authors[3].name, "Dee Four");
	assert_null(g.authors[3].affiliation);
	assert_int_equal(g.upvotes, 10);
	assert_string_equal(g.listings, "hf-daily 2025-01-12\narxiv 2025-01-11");
	paper_clear(&g);

	/* Counters: newest wins even when lower; unknown (-1) leaves them; version keeps highest. */
	mk(&c, "2501.00001v4", NULL, NULL, NULL);
	c.upvotes = 3;
	put(s, &c, NULL, NULL, STORE_UPDATED);
	paper_clear(&c);
	mk(&c, "2501.00001v2", "New title v2", NULL, NULL);
	put(s, &c, NULL, NULL, STORE_UPDATED);
	assert_int_equal(store_get(s, "2501.00001", &g, &e), 0);
	assert_int_equal(g.upvotes, 3);
	assert_int_equal(g.github_stars, 5);
	assert_int_equal(g.version, 4);
	assert_string_equal(g.title, "New title v2");
	assert_int_equal(g.n_authors, 4);   /* no authors in c: list kept */
	paper_clear(&g);
	/* FTS follows the title change, and the old title is gone from the index. */
	assert_search(s, "ti:v2", "2501.00001");
	assert_search(s, "ti:arxiv", "");
	fts_ok(s);

	paper_clear(&a);
	paper_clear(&b);
	paper_clear(&c);
	store_close(&s);
}

static void test_rekey_on_date(void **state)
{
	struct store *s = open_mem();
	struct paper p, q;
	/* Unknown date: placed by first-seen time (now), i.e. on top. */
	mk(&p, "url:https://blog/x", "Undated essay", "about transformers", NULL);
	put(s, &p, "feed", NULL, STORE_INSERTED);
	mk(&q, "2401.00002", "Older paper", "about transformers too", "2024-01-05");
	put(s, &q, NULL, NULL, STORE_INSERTED);
	assert_search(s, "transformers", "url:https://blog/x 2401.00002");
	assert_int_equal(store_set_favourite(s, "url:https://blog/x", true, NULL), 0);
	/* Now its date becomes known (older): it moves, keeps its listing, favourite and FTS. */
	paper_clear(&p);
	mk(&p, "url:https://blog/x", NULL, NULL, "2023-06-01");
	put(s, &p, NULL, NULL, STORE_UPDATED);
	assert_search(s, "transformers", "2401.00002 url:https://blog/x");
	assert_search(s, "is:fav transformers", "url:https://blog/x");
	struct store_view v = { .filter = STORE_VIEW_SOURCE, .source = "feed" };
	assert_int_equal(store_count(s, &v, -1, NULL), 1);
	assert_search(s, "date:2023", "url:https://blog/x");
	fts_ok(s);
	paper_clear(&p);
	paper_clear(&q);
	store_close(&s);
}

/* The first row of a view (its date and published), for the date tests. */
static void first_row(struct store *s, const char *q, const char *want_id, int64_t want_date,
                      int64_t want_published)
{
	struct store_view v = { .query = q };
	struct store_rows r = {0};
	struct lerr e = {0};
	assert_int_equal(store_window(s, &v, NULL, 1, 1, &r, &e), 0);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.v[0].id, want_id);
	assert_int_equal(r.v[0].date, want_date);
	assert_int_equal(r.v[0].published, want_published);
	store_rows_clear(&r);
}

/* The organisation a Daily Papers submitter named (HF submitterOrganization) is kept with its
 * flag, read back in full and in list rows, and never replaces the authors' organisation. */
static void org_is(struct store *s, const char *id, const char *org, bool submitter)
{
	struct paper g;
	struct lerr e = {0};
	assert_int_equal(store_get(s, id, &g, &e), 0);
	assert_string_equal(g.organization, org);
	assert_int_equal(g.org_submitter, submitter);
	paper_clear(&g);
	struct store_view v = { .query = id };
	struct store_rows r = {0};
	assert_int_equal(store_window(s, &v, NULL, 1, 1, &r, &e), 0);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.v[0].organization, org);
	assert_int_equal(r.v[0].org_submitter, submitter);
	store_rows_clear(&r);
}

static void test_org_submitter(void **state)
{
	(void)state;
	struct store *s = open_mem();
	struct paper p;

	mk(&p, "2509.22622", "LongLive", "We present LongLive.", "2025-09-26");
	paper_set(&p.organization, "NVIDIA");
	p.org_submitter = true;
	put(s, &p, "hf-daily", "2025-09-29", STORE_INSERTED);
	org_is(s, "2509.22622", "NVIDIA", true);
	put(s, &p, "hf-daily", "2025-09-29", STORE_UNCHANGED);
	/* another submitter's organisation replaces it */
	paper_set(&p.organization, "Sea AI Lab");
	put(s, &p, "hf-daily", "2025-09-30", STORE_UPDATED);
	org_is(s, "2509.22622", "Sea AI Lab", true);
	/* the authors' organisation replaces a submitter's, even with the same name... */
	p.org_submitter = false;
	put(s, &p, "hf-daily", "2025-09-30", STORE_UPDATED);
	org_is(s, "2509.22622", "Sea AI Lab", false);
	/* ...and is never replaced by one */
	paper_set(&p.organization, "NVIDIA");
	p.org_submitter = true;
	put(s, &p, "hf-daily", "2025-10-01", STORE_UNCHANGED);
	org_is(s, "2509.22622", "Sea AI Lab", false);
	paper_clear(&p);

	char *l = paper_org_label("NVIDIA", true);
	assert_string_equal(l, "submitted by NVIDIA");
	free(l);
	l = paper_org_label("Google", false);
	assert_string_equal(l, "Google");
	free(l);
	assert_null(paper_org_label("", true));
	store_close(&s);
}

/* Papers without a publication date (arXiv RSS items) are dated by their listing day, not by
 * when they were fetched: an old listing fetched today must not sort above newer papers. */
static void test_undated_listing_day(void **state)
{
	setenv("LECTERN_NOW", "2026-06-14T12:00:00Z", 1);
	struct store *s = open_mem();
	struct paper p, hf, old;
	mk(&hf, "2606.13106", "Hugging Face paper", "recurrence words", "2026-06-11");
	put(s, &hf, "hf-daily", "2026-06-12", STORE_INSERTED);
	mk(&old, "2401.00001", "Old dated paper", "recurrence words", "2024-01-05");
	put(s, &old, NULL, NULL, STORE_INSERTED);
	mk(&p, "2411.17699", "RSS item", "recurrence words", NULL);
	put(s, &p, "arxiv", "2024-11-28", STORE_INSERTED);
	assert_search(s, "recurrence", "2606.13106 2411.17699 2401.00001");
	first_row(s, "RSS", "2411.17699", day("2024-11-28"), 0);
	assert_search(s, "date:2024-11-28", "2411.17699");
	assert_search(s, "since:2024-11-28 until:2024-11-28", "2411.17699");
	assert_search(s, "after:2024-11-27 before:2024-11-29", "2411.17699");
	assert_search(s, "after:2024-11-28 before:2024-11-29", "");

	/* A later listing does not move it; an earlier one does (the earliest day wins). */
	put(s, &p, "arxiv", "2024-11-29", STORE_UNCHANGED);
	first_row(s, "RSS", "2411.17699", day("2024-11-28"), 0);
	assert_int_equal(store_set_favourite(s, "2411.17699", true, NULL), 0);
	put(s, &p, "other", "2024-11-27", STORE_UPDATED);
	first_row(s, "RSS", "2411.17699", day("2024-11-27"), 0);
	assert_search(s, "is:fav recurrence", "2411.17699");

	/* Seen first without a day (dated "now", on top), then listed: the day replaces it. */
	struct paper u;
	mk(&u, "2411.17000", "Undated first", "recurrence words", NULL);
	put(s, &u, NULL, NULL, STORE_INSERTED);
	assert_search(s, "recurrence", "2411.17000 2606.13106 2411.17699 2401.00001");
	first_row(s, "Undated", "2411.17000", day("2026-06-14T12:00:00Z"), 0);
	put(s, &u, "arxiv", "2024-11-28", STORE_UPDATED);
	assert_search(s, "recurrence", "2606.13106 2411.17000 2411.17699 2401.00001");
	first_row(s, "Undated", "2411.17000", day("2024-11-28"), 0);

	/* Once a publication date is known it is what counts, and it is what rows show. */
	paper_clear(&u);
	mk(&u, "2411.17000", NULL, NULL, "2024-11-20T18:00:00Z");
	put(s, &u, "arxiv", "2024-11-28", STORE_UPDATED);
	first_row(s, "Undated", "2411.17000", day("2024-11-20T18:00:00Z"),
	          day("2024-11-20T18:00:00Z"));
	assert_search(s, "recurrence", "2606.13106 2411.17699 2411.17000 2401.00001");
	struct paper g;
	assert_int_equal(store_get(s, "2411.17699", &g, NULL), 0);
	assert_int_equal(g.published, 0);   /* the true value stays unknown */
	assert_true(g.favourite);
	paper_clear(&g);
	fts_ok(s);
	paper_clear(&p);
	paper_clear(&u);
	paper_clear(&hf);
	paper_clear(&old);
	store_close(&s);
	unsetenv("LECTERN_NOW");
}

/* Many changes inside one explicit transaction, in descending date order, with re-keys and
 * repeated text edits of one paper: the FTS index must end up exactly right. */
static void test_batch_fts_consistency(void **state)
{
	struct store *s = open_mem();
	struct lerr e = {0};
	assert_int_equal(store_begin(s, &e), 0);
	for (int i = 50; i > 0; i--) {
		struct paper p;
		char id[32], title[64];
		snprintf(id, sizeof id, "2501.%05d", i);
		snprintf(title, sizeof title, "paper number w%d", i);
		mk(&p, id, title, "batch words", NULL);
		p.published = day("2025-01-01") + i * 60;
		put(s, &p, "arxiv", "2025-01-02", STORE_INSERTED);
		paper_clear(&p);
	}
	struct paper p;
	mk(&p, "2501.00007", "retitled once", NULL, "2024-12-01");
	put(s, &p, NULL, NULL, STORE_UPDATED);
	paper_clear(&p);
	mk(&p, "2501.00007", "retitled twice", NULL, "2024-11-01");
	put(s, &p, NULL, NULL, STORE_UPDATED);
	paper_clear(&p);
	assert_int_equal(store_commit(s, &e), 0);
	fts_ok(s);
	assert_search(s, "retitled", "2501.00007");
	assert_search(s, "once", "");
	assert_search(s, "w7", "");
	char *ids = search(s, STORE_SORT_DATE, "batch");
	assert_true(strncmp(ids, "2501.00050 2501.00049", 21) == 0);
	assert_non_null(strstr(ids, "2501.00001 2501.00007"));   /* moved to the end (oldest) */
	free(ids);
	store_close(&s);
}

/* ---- user state -------------------------------------------------------------------------- */

static void test_favourite_survives(void **state)
{
	const char *path = tmp_path("fav/papers.db");   /* the directory is created */
	struct lerr e = {0};
	struct store *s = store_open(path, 0, &e);
	assert_non_null(s);
	struct paper p, g;
	mk(&p, "hep-th/9901001v2", "Old style", "Strings", "1999-01-05");
	put(s, &p, "arxiv", NULL, STORE_INSERTED);
	bool on = false;
	int64_t before = util_now();
	assert_int_equal(store_toggle_favourite(s, "hep-th/9901001", &on, &e), 0);
	assert_true(on);
	assert_int_equal(store_set_read(s, "hep-th/9901001v1", true, &e), 0);
	assert_int_equal(store_set_note(s, "hep-th/9901001", "read again", &e), 0);
	assert_int_equal(store_set_tags(s, "hep-th/9901001", "strings classic", &e), 0);
	paper_set(&p.title, "Old style, retitled");
	put(s, &p, "hf-daily", "2025-01-01", STORE_UPDATED);
	store_close(&s);

	s = store_open(path, 0, &e);
	assert_non_null(s);
	assert_int_equal(store_get(s, "hep-th/9901001", &g, &e), 0);
	assert_true(g.favourite);
	assert_true(g.fav_time >= before && g.fav_time <= util_now());
	assert_true(g.read);
	assert_string_equal(g.note, "read again");
	assert_string_equal(g.tags, "strings classic");
	assert_int_equal(g.version, 2);
	paper_clear(&g);
	struct store_view fav = { .filter = STORE_VIEW_FAVOURITES };
	assert_int_equal(store_count(s, &fav, -1, &e), 1);
	assert_int_equal(store_toggle_favourite(s, "hep-th/9901001", &on, &e), 0);
	assert_false(on);
	assert_int_equal(store_count(s, &fav, -1, &e), 0);
	assert_int_equal(store_get(s, "hep-th/9901001", &g, &e), 0);
	assert_false(g.favourite);
	assert_int_equal(g.fav_time, 0);
	assert_string_equal(g.note, "read again");
	paper_clear(&g);
	/* State for a paper not (yet) cached is kept and shows up once it arrives. */
	assert_int_equal(store_set_favourite(s, "2502.99999", true, &e), 0);
	paper_clear(&p);
	mk(&p, "2502.99999", "Arrives later", "x", "2025-02-01");
	put(s, &p, NULL, NULL, STORE_INSERTED);
	assert_int_equal(store_count(s, &fav, -1, &e), 1);
	paper_clear(&p);

	/* A favourite with a given time (import): kept exactly; an existing favourite keeps the
	 * earlier of the two times; a later unfavourite/favourite starts afresh. */
	int64_t t1 = day("2025-02-03T04:05:06Z"), t0 = day("2024-12-24T00:00:00Z");
	assert_int_equal(store_set_favourite_at(s, "2502.99998v2", t1, &e), 0);
	assert_int_equal(store_get(s, "2502.99998", &g, &e), -1);   /* not cached: state waits */
	mk(&p, "2502.99998", "Imported favourite", "x", "2025-02-01");
	put(s, &p, NULL, NULL, STORE_INSERTED);
	paper_clear(&p);
	assert_int_equal(store_get(s, "2502.99998", &g, &e), 0);
	assert_true(g.favourite);
	assert_int_equal(g.fav_time, t1);
	paper_clear(&g);
	assert_int_equal(store_set_favourite_at(s, "2502.99998", t1 + 86400, &e), 0);
	assert_int_equal(store_get(s, "2502.99998", &g, &e), 0);
	assert_int_equal(g.fav_time, t1);   /* the earlier time stays */
	paper_clear(&g);
	assert_int_equal(store_set_favourite_at(s, "2502.99998", t0, &e), 0);
	assert_int_equal(store_get(s, "2502.99998", &g, &e), 0);
	assert_int_equal(g.fav_time, t0);   /* an earlier one replaces it */
	paper_clear(&g);
	assert_int_equal(store_set_favourite(s, "2502.99998", false, &e), 0);
	assert_int_equal(store_set_favourite_at(s, "2502.99998", t1, &e), 0);
	assert_int_equal(store_get(s, "2502.99998", &g, &e), 0);
	assert_true(g.favourite);
	assert_int_equal(g.fav_time, t1);   /* unfavourited in between: the new time */
	paper_clear(&g);
	before = util_now();
	assert_int_equal(store_set_favourite_at(s, "2502.99997", 0, &e), 0);   /* 0: now */
	mk(&p, "2502.99997", "Now favourite", "x", "2025-02-01");
	put(s, &p, NULL, NULL, STORE_INSERTED);
	paper_clear(&p);
	assert_int_equal(store_get(s, "2502.99997", &g, &e), 0);
	assert_true(g.favourite && g.fav_time >= before && g.fav_time <= util_now());
	paper_clear(&g);
	assert_int_equal(store_set_favourite_at(s, "", t1, &e), -1);
	assert_int_equal(e.kind, LERR_USAGE);
	store_close(&s);
	s = store_open(path, STORE_READONLY, &e);
	assert_int_equal(store_set_favourite_at(s, "2502.99998", t1, &e), -1);
	store_close(&s);
}

/* ---- refusing files ----------------------------------------------------------------------- */

static void expect_refused(const char *path, const char *needle)
{
	uint64_t before = checksum(path);
	struct stat sb0, sb1;
	assert_int_equal(stat(path, &sb0), 0);
	struct lerr e = {0};
	struct store *s = store_open(path, 0, &e);
	assert_null(s);
	assert_int_equal(e.kind, LERR_DB);
	if (!strstr(e.msg, needle))
		fail_msg("message '%s' lacks '%s'", e.msg, needle);
	assert_int_equal(checksum(path), before);
	assert_int_equal(stat(path, &sb1), 0);
	assert_int_equal(sb0.st_size, sb1.st_size);
	char wal[600];
	snprintf(wal, sizeof wal, "%s-wal", path);
	assert_int_equal(access(wal, F_OK), -1);
}

static void test_refuse_foreign(void **state)
{
	const char *other = tmp_path("other.db");
	raw_exec(other, "CREATE TABLE t(x); INSERT INTO t VALUES (1);");
	expect_refused(other, "not a lectern");

	const char *garbage = tmp_path("garbage.db");
	FILE *f = fopen(garbage, "wb");
	for (int i = 0; i < 5000; i++)
		fputc((i * 7919) & 0xff, f);
	fclose(f);
	expect_refused(garbage, "not an SQLite database");

	/* Valid header, corrupt body. */
	const char *corrupt = tmp_path("corrupt.db");
	raw_exec(corrupt, "PRAGMA journal_mode=DELETE; CREATE TABLE t(x);");
	f = fopen(corrupt, "r+b");
	fseek(f, 100, SEEK_SET);
	for (int i = 0; i < 300; i++)
		fputc(0xA5, f);
	fclose(f);
	expect_refused(corrupt, "corrupt");

	/* A lectern database from the future. */
	const char *newer = tmp_path("newer.db");
	struct lerr e = {0};
	struct store *s = store_open(newer, 0, &e);
	assert_non_null(s);
	store_close(&s);
	raw_exec(newer, "PRAGMA user_version = 99; PRAGMA journal_mode = DELETE;");
	expect_refused(newer, "newer lectern");

	/* An empty file (`touch`) reads as an empty cache, untouched; a write initialises it. */
	const char *empty = tmp_path("empty.db");
	fclose(fopen(empty, "wb"));
	s = store_open(empty, STORE_READONLY | STORE_NOCREATE, &e);
	if (!s)
		fail_msg("read of an empty file: %s", e.msg);
	assert_true(store_is_readonly(s));
	assert_string_equal(store_path(s), empty);
	assert_int_equal(store_count(s, NULL, -1, &e), 0);
	struct store_rows rows = {0};
	struct store_view q = { .query = "model" };
	assert_int_equal(store_window(s, &q, NULL, 1, 10, &rows, &e), 0);
	assert_int_equal(rows.n, 0);
	struct paper p;
	mk(&p, "2501.00001", "t", "a", "2025-01-01");
	assert_int_equal(store_upsert(s, &p, NULL, NULL, &e), -1);
	assert_non_null(strstr(e.msg, "read-only"));
	assert_int_equal(store_set_favourite(s, "2501.00001", true, &e), -1);
	assert_int_equal(store_history_add(s, "x", &e), -1);
	store_close(&s);
	struct stat est;
	assert_int_equal(stat(empty, &est), 0);
	assert_int_equal(est.st_size, 0);
	char side[600];
	snprintf(side, sizeof side, "%s-wal", empty);
	assert_int_equal(access(side, F_OK), -1);
	snprintf(side, sizeof side, "%s-shm", empty);
	assert_int_equal(access(side, F_OK), -1);
	s = store_open(empty, STORE_NOCREATE, &e);
	assert_non_null(s);
	assert_false(store_is_readonly(s));
	put(s, &p, NULL, NULL, STORE_INSERTED);
	store_close(&s);
	paper_clear(&p);
	s = store_open(empty, STORE_READONLY, &e);
	assert_non_null(s);
	assert_int_equal(store_count(s, NULL, -1, &e), 1);
	store_close(&s);

	assert_null(store_open(tmp_path("missing.db"), STORE_NOCREATE, &e));
	assert_int_equal(e.kind, LERR_NOTFOUND);
}

/* ---- read-only, concurrency, full disk -------------------------------------------------- */

static void test_readonly(void **state)
{
	const char *path = tmp_path("ro.db");
	struct lerr e = {0};
	struct store *s = store_open(path, 0, &e);
	struct paper p, g;
	mk(&p, "2501.00100", "Read only", "x", "2025-01-01");
	put(s, &p, NULL, NULL, STORE_INSERTED);
	store_close(&s);
	uint64_t before = checksum(path);

	s = store_open(path, STORE_READONLY, &e);
	assert_non_null(s);
	assert_true(store_is_readonly(s));
	assert_int_equal(store_get(s, "2501.00100", &g, &e), 0);
	paper_clear(&g);
	assert_int_equal(store_upsert(s, &p, NULL, NULL, &e), -1);
	assert_int_equal(e.kind, LERR_IO);
	assert_non_null(strstr(e.msg, "read-only"));
	assert_int_equal(store_set_favourite(s, "2501.00100", true, &e), -1);
	assert_int_equal(store_begin(s, &e), -1);
	store_close(&s);
	assert_int_equal(checksum(path), before);

	/* Permissions: root ignores them, so this half only runs as a normal user. */
	if (geteuid() != 0) {
		chmod(path, 0444);
		s = store_open(path, 0, &e);
		assert_non_null(s);
		assert_true(store_is_readonly(s));
		assert_int_equal(store_set_read(s, "2501.00100", true, &e), -1);
		store_close(&s);
		chmod(path, 0644);
	}
	paper_clear(&p);
}

static void test_two_connections(void **state)
{
	const char *path = tmp_path("two.db");
	struct lerr e = {0};
	struct store *w = store_open(path, 0, &e), *r = store_open(path, 0, &e);
	assert_non_null(w);
	assert_non_null(r);
	struct paper p;
	mk(&p, "2501.00200", "First", "concurrent", "2025-01-01");
	put(w, &p, NULL, NULL, STORE_INSERTED);
	paper_clear(&p);

	assert_int_equal(store_begin(w, &e), 0);
	mk(&p, "2501.00201", "Second", "concurrent", "2025-01-02");
	put(w, &p, NULL, NULL, STORE_INSERTED);
	paper_clear(&p);
	/* The reader is not blocked and sees the committed state only. */
	assert_int_equal(store_count(r, NULL, -1, &e), 1);
	assert_search(r, "concurrent", "2501.00200");
	assert_int_equal(store_commit(w, &e), 0);
	assert_int_equal(store_count(r, NULL, -1, &e), 2);
	assert_search(r, "concurrent", "2501.00201 2501.00200");
	/* And the other one can write too. */
	assert_int_equal(store_set_favourite(r, "2501.00201", true, &e), 0);
	struct store_view fav = { .filter = STORE_VIEW_FAVOURITES };
	assert_int_equal(store_count(w, &fav, -1, &e), 1);
	store_close(&w);
	store_close(&r);
}

/* ---- concurrent creation of one new file ---------------------------------------------------- */

enum { CC_PROCS = 4, CC_THREADS = 3, CC_ROUNDS = 25 };

struct creator {
	pthread_barrier_t *go;
	const char *path;
	int n;               /* which opener: its favourite is 9999.<n> */
	char msg[600];       /* empty on success */
};

static void *create_and_write(void *arg)
{
	struct creator *c = arg;
	struct lerr e = {0};
	char id[32];
	snprintf(id, sizeof id, "9999.%05d", c->n);
	pthread_barrier_wait(c->go);
	struct store *s = store_open(c->path, 0, &e);
	if (!s) {
		snprintf(c->msg, sizeof c->msg, "open: %s", e.msg);
		return NULL;
	}
	struct paper p;
	mk(&p, id, "Concurrent creation", "created at once", "2025-01-01");
	if (store_is_readonly(s))
		snprintf(c->msg, sizeof c->msg, "opened read-only");
	else if (store_upsert(s, &p, &(struct store_listing){ .source = "cc", .day = NULL, .position = -1 }, NULL, &e) < 0 ||
	         store_set_favourite(s, id, true, &e) < 0)
		snprintf(c->msg, sizeof c->msg, "write: %s", e.msg);
	paper_clear(&p);
	store_close(&s);
	return NULL;
}

/* One process's openers; returns 0 when all of them opened and wrote, else prints why. */
static int create_in_threads(const char *path, int proc)
{
	pthread_barrier_t go;
	pthread_barrier_init(&go, NULL, CC_THREADS);
	struct creator c[CC_THREADS];
	pthread_t t[CC_THREADS];
	for (int i = 0; i < CC_THREADS; i++) {
		c[i] = (struct creator){ .go = &go, .path = path, .n = proc * CC_THREADS + i };
		if (pthread_create(&t[i], NULL, create_and_write, &c[i]) != 0)
			return -1;
	}
	int bad = 0;
	for (int i = 0; i < CC_THREADS; i++) {
		pthread_join(t[i], NULL);
		if (c[i].msg[0]) {
			fprintf(stderr, "%s, opener %d: %s\n", path, c[i].n, c[i].msg);
			bad = -1;
		}
	}
	pthread_barrier_destroy(&go);
	return bad;
}

/* Several processes, each with several threads, create one new file at the same moment: each
 * of them opens it read-write (none sees a half-created file as "not a lectern database", none
 * gives up on "busy" while another switches it to WAL) and their writes all land. (Before
 * the fix, 4 x 3 openers failed in about one round of 25.) */
static void test_concurrent_create(void **state)
{
	for (int round = 0; round < CC_ROUNDS; round++) {
		char name[64];
		snprintf(name, sizeof name, "cc/new-%d.db", round);
		char path[512];
		snprintf(path, sizeof path, "%s", tmp_path(name));
		int gate[2];
		assert_int_equal(pipe(gate), 0);
		pid_t kids[CC_PROCS];
		for (int p = 0; p < CC_PROCS; p++) {
			kids[p] = fork();
			assert_true(kids[p] >= 0);
			if (kids[p] == 0) {
				char b;
				close(gate[1]);
				(void)!read(gate[0], &b, 1);   /* EOF: all start together */
				_exit(create_in_threads(path, p) == 0 ? 0 : 1);
			}
		}
		close(gate[0]);
		close(gate[1]);
		int failed = 0;
		for (int p = 0; p < CC_PROCS; p++) {
			int st = 0;
			assert_int_equal(waitpid(kids[p], &st, 0), kids[p]);
			failed += !WIFEXITED(st) || WEXITSTATUS(st) != 0;
		}
		if (failed)
			fail_msg("round %d: %d of %d processes failed to create %s", round, failed,
			         CC_PROCS, path);
		struct lerr e = {0};
		struct store *s = store_open(path, STORE_NOCREATE, &e);
		assert_non_null(s);
		struct store_view fav = { .filter = STORE_VIEW_FAVOURITES };
		assert_int_equal(store_count(s, &fav, -1, &e), CC_PROCS * CC_THREADS);
		sqlite3_stmt *st;
		assert_int_equal(sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL),
		                 SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int64(st, 0), STORE_SCHEMA_VERSION);
		sqlite3_finalize(st);
		store_close(&s);
	}
}

/* Another program holds a write transaction longer than the busy timeout: the cache still
 * opens (no migration is attempted on a current schema) and reads, and a write says what is
 * going on instead of a raw "database is locked". */
static void test_locked(void **state)
{
	const char *path = tmp_path("lk.db");
	struct lerr e = {0};
	struct store *s = store_open(path, 0, &e);
	struct paper p;
	mk(&p, "2501.00300", "Locked", "locked cache", "2025-01-01");
	put(s, &p, NULL, NULL, STORE_INSERTED);
	paper_clear(&p);
	store_close(&s);

	sqlite3 *other;
	assert_int_equal(sqlite3_open(path, &other), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE; INSERT INTO history VALUES ('q', 1);",
	                              NULL, NULL, NULL), SQLITE_OK);
	s = store_open(path, 0, &e);
	if (!s)
		fail_msg("open while another program writes: %s", e.msg);
	assert_false(store_is_readonly(s));
	sqlite3_busy_timeout(s->db, 50);   /* the test need not wait the full 5 s */
	assert_int_equal(store_count(s, NULL, -1, &e), 1);
	assert_search(s, "locked", "2501.00300");
	assert_int_equal(store_set_favourite(s, "2501.00300", true, &e), -1);
	if (!strstr(e.msg, "another program is writing") || !strstr(e.msg, "try again"))
		fail_msg("locked write says '%s'", e.msg);
	assert_int_equal(store_begin(s, &e), -1);
	assert_non_null(strstr(e.msg, "another program is writing"));
	struct store *r = store_open(path, STORE_READONLY, &e);
	assert_non_null(r);
	assert_int_equal(store_count(r, NULL, -1, &e), 1);
	store_close(&r);

	assert_int_equal(sqlite3_exec(other, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(other);
	assert_int_equal(store_set_favourite(s, "2501.00300", true, &e), 0);
	store_close(&s);
}

/* The chmod-444 steps of test_readonly_leaves_nothing, run by a user whom permissions bind.
 * Returns NULL or what went wrong. */
static const char *ro_cache_steps(const char *dir)
{
	static char msg[600];
	char db[512], wal[600], shm[600];
	snprintf(db, sizeof db, "%s/x.db", dir);
	snprintf(wal, sizeof wal, "%s-wal", db);
	snprintf(shm, sizeof shm, "%s-shm", db);
	struct lerr e = {0};
	struct store *s = store_open(db, 0, &e);
	if (!s)
		return snprintf(msg, sizeof msg, "create: %s", e.msg), msg;
	struct paper p;
	mk(&p, "2501.00400", "Read only cache", "permissions", "2025-01-01");
	int rc = store_upsert(s, &p, NULL, NULL, &e);
	paper_clear(&p);
	store_close(&s);
	if (rc < 0)
		return snprintf(msg, sizeof msg, "upsert: %s", e.msg), msg;
	if (chmod(db, 0444) < 0)
		return "chmod 444 failed";
	if (access(db, W_OK) == 0)
		return "the file is still writable after chmod 444 (running as root?)";
	for (int flags = 0; flags < 2; flags++) {   /* a read command, then a write command */
		s = store_open(db, flags ? 0 : STORE_READONLY | STORE_NOCREATE, &e);
		if (!s)
			return snprintf(msg, sizeof msg, "open 0444: %s", e.msg), msg;
		int64_t n = store_count(s, NULL, -1, &e);
		bool ro = store_is_readonly(s);
		int w = store_set_read(s, "2501.00400", true, &e);
		store_close(&s);
		if (n != 1 || !ro || w != -1)
			return "a 0444 cache did not read as a read-only cache of 1 paper";
		if (access(wal, F_OK) == 0 || access(shm, F_OK) == 0)
			return "reading a 0444 cache left x.db-wal or x.db-shm behind";
	}
	if (chmod(db, 0644) < 0)
		return "chmod 644 failed";
	s = store_open(db, 0, &e);
	if (!s)
		return snprintf(msg, sizeof msg, "reopen 644: %s", e.msg), msg;
	rc = store_set_favourite(s, "2501.00400", true, &e);
	store_close(&s);
	if (rc < 0)
		return snprintf(msg, sizeof msg, "write after chmod 644: %s", e.msg), msg;
	sqlite3 *db3;
	if (sqlite3_open(db, &db3) != SQLITE_OK)
		return "sqlite3 cannot open it";
	rc = sqlite3_exec(db3, "INSERT INTO history VALUES ('sqlite3', 1)", NULL, NULL, NULL);
	sqlite3_close(db3);
	return rc == SQLITE_OK ? NULL : "sqlite3 cannot write it after chmod 644";
}

static void test_readonly_leaves_nothing(void **state)
{
	char dir[] = "/tmp/lectern-ro-XXXXXX";
	assert_non_null(mkdtemp(dir));
	uid_t uid = geteuid() == 0 ? 65534 : geteuid();   /* root: run the steps as nobody */
	gid_t gid = geteuid() == 0 ? 65534 : getegid();
	assert_int_equal(chown(dir, uid, gid), 0);
	int fd[2];
	assert_int_equal(pipe(fd), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fd[0]);
		if (geteuid() == 0 && (setgroups(0, NULL) < 0 || setgid(gid) < 0 || setuid(uid) < 0))
			_exit(77);
		const char *err = ro_cache_steps(dir);
		if (err && write(fd[1], err, strlen(err)) < 0)
			_exit(2);
		_exit(err ? 1 : 0);
	}
	close(fd[1]);
	char msg[700] = "";
	ssize_t n = read(fd[0], msg, sizeof msg - 1);
	msg[n > 0 ? n : 0] = 0;
	close(fd[0]);
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 77) {
		print_message("cannot drop root privileges to test a 0444 cache; skipped\n");
		skip();
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		fail_msg("0444 cache: %s", msg[0] ? msg : "the child failed");
}

static void test_full_disk(void **state)
{
	const char *path = tmp_path("full.db");
	struct lerr e = {0};
	struct store *s = store_open(path, 0, &e);
	struct paper p;
	mk(&p, "2501.00300", "Kept", "survivor", "2025-01-01");
	put(s, &p, NULL, NULL, STORE_INSERTED);
	paper_clear(&p);
	assert_int_equal(sqlite3_exec(s->db, "PRAGMA max_page_count = 60", NULL, NULL, NULL),
	                 SQLITE_OK);
	char *big = xmalloc(20001);
	memset(big, 'w', 20000);
	big[20000] = 0;
	for (int i = 0; i < 20000; i += 9)
		big[i] = ' ';
	/* Autocommit upserts until the "disk" is full: the failing one leaves nothing behind. */
	int i, failed = 0;
	for (i = 0; i < 200 && !failed; i++) {
		char id[32];
		snprintf(id, sizeof id, "2501.1%04d", i);
		mk(&p, id, "Filler", big, "2025-01-02");
		failed = store_upsert(s, &p, &(struct store_listing){ .source = "arxiv", .day = "2025-01-02", .position = -1 }, NULL, &e) != 0;
		paper_clear(&p);
	}
	assert_true(failed);
	assert_int_equal(e.kind, LERR_IO);
	assert_non_null(strstr(e.msg, "full"));
	int64_t kept = store_count(s, NULL, -1, &e);
	assert_int_equal(kept, i);   /* i-1 fillers + the first paper */

	/* A failing explicit transaction: commit (or an upsert) fails, and all of it is gone. */
	assert_int_equal(store_begin(s, &e), 0);
	int rc = 0;
	for (int j = 0; j < 50 && rc == 0; j++) {
		char id[32];
		snprintf(id, sizeof id, "2502.2%04d", j);
		mk(&p, id, "Filler", big, "2025-02-02");
		rc = store_upsert(s, &p, NULL, NULL, &e);
		paper_clear(&p);
	}
	if (rc == 0) {
		rc = store_commit(s, &e);
	} else {
		/* The failed upsert failed the transaction: later writes are refused, the commit
		 * reports it, and nothing of the transaction is kept. */
		mk(&p, "2502.30000", "Small", "tiny", "2025-02-03");
		assert_int_equal(store_upsert(s, &p, NULL, NULL, &e), -1);
		assert_non_null(strstr(e.msg, "rolled back"));
		paper_clear(&p);
		assert_int_equal(store_set_read(s, "2501.00300", true, &e), -1);
		assert_int_equal(store_commit(s, &e), -1);
		assert_true(sqlite3_get_autocommit(s->db));
		assert_int_equal(store_begin(s, &e), 0);   /* the store is usable again */
		store_rollback(s);
	}
	assert_int_equal(rc, -1);
	assert_int_equal(store_count(s, NULL, -1, &e), kept);
	assert_search(s, "survivor", "2501.00300");
	fts_ok(s);
	free(big);
	store_close(&s);

	s = store_open(path, 0, &e);
	assert_non_null(s);
	assert_int_equal(store_count(s, NULL, -1, &e), kept);
	store_close(&s);
}

/* ---- one merge rule (store_merge.c): a test per rule ---------------------------------------- */

/* A paper as a source of `kind` sends it. */
static void mk_from(struct paper *p, enum paper_source_kind kind, const char *id,
                    const char *title, const char *abstract, const char *published)
{
	mk(p, id, title, abstract, published);
	p->source_kind = kind;
}

/* "field: kind" lines of store_field_sources(). */
static int add_source_line(void *ctx, const char *field, enum paper_source_kind kind)
{
	sbuf_printf(ctx, "%s: %s\n", field, paper_source_kind_name(kind));
	return 0;
}

static char *sources_of(struct store *s, const char *id)
{
	struct paper g;
	struct lerr e = {0};
	assert_int_equal(store_get(s, id, &g, &e), 0);
	struct sbuf b = {0};
	store_field_sources(&g, add_source_line, &b);
	paper_clear(&g);
	return sbuf_steal(&b);
}

#define assert_source(s, id, line)                                 \
	do {                                                       \
		char *got_ = sources_of(s, id);                    \
		if (!strstr(got_, line "\n"))                      \
			fail_msg("no \"%s\" in:\n%s", line, got_); \
		free(got_);                                        \
	} while (0)

/* The arXiv API's record of 2405.12090v2 (as parsed), the reference text of these tests. */
static void arxiv_kv(struct paper *p, const char *id)
{
	mk_from(p, PAPER_SRC_ARXIV, id, "KV-Cache Compression for Long-Context Inference",
	        "Large language models spend most of their decoding memory on the key-value cache. "
	        "We propose a compression scheme that keeps 98% of accuracy at a quarter of the "
	        "memory.", "2024-05-20T17:59:01Z");
	paper_add_author(p, "Wei Zhang", "Tsinghua University");
	paper_add_author(p, "Maria Garcia", NULL);
	paper_set(&p->primary_category, "cs.CL");
	paper_set(&p->categories, "cs.CL cs.LG");
	paper_set(&p->comment, "21 pages, 9 figures");
	paper_set(&p->url_abs, "https://arxiv.org/abs/2405.12090v2");
	paper_set(&p->url_pdf, "https://arxiv.org/pdf/2405.12090v2");
}

/* A cache holding only arxiv_kv()'s v2, listed by "arxiv" on 2024-05-21; *a is that paper. */
static struct store *with_arxiv_kv(struct paper *a)
{
	struct store *s = open_mem();
	arxiv_kv(a, "2405.12090v2");
	put(s, a, "arxiv", "2024-05-21", STORE_INSERTED);
	return s;
}

static void test_merge_feed_after_arxiv(void **state)
{
	struct paper a, f, g;
	struct lerr e = {0};
	struct store *s = with_arxiv_kv(&a);
	/* A blog's RSS item that links the paper: its own words, its own link, and a DOI. */
	mk_from(&f, PAPER_SRC_FEED, "2405.12090", "This trick cuts your LLM's memory by 4x",
	        "Our favourite paper this week: a neat way to squeeze the KV cache.", NULL);
	paper_add_author(&f, "The ML Blog", NULL);
	paper_set(&f.url_abs, "https://blog.example.org/2024/05/kv-cache");
	paper_set(&f.doi, "10.48550/arXiv.2405.12090");
	put(s, &f, "ml-blog", "2024-05-24", STORE_UPDATED);
	assert_int_equal(store_get(s, "2405.12090", &g, &e), 0);
	assert_string_equal(g.title, a.title);
	assert_string_equal(g.abstract, a.abstract);
	assert_int_equal(g.n_authors, 2);
	assert_string_equal(g.authors[0].name, "Wei Zhang");
	assert_string_equal(g.url_abs, "https://arxiv.org/abs/2405.12090v2");
	assert_string_equal(g.doi, "10.48550/arXiv.2405.12090");   /* what arXiv lacked */
	assert_string_equal(g.listings, "ml-blog 2024-05-24\narxiv 2024-05-21");
	assert_int_equal(g.version, 2);
	paper_clear(&g);
	assert_source(s, "2405.12090", "title: arXiv");
	assert_source(s, "2405.12090", "authors: arXiv");
	assert_source(s, "2405.12090", "doi: feed");
	assert_search(s, "squeeze", "");   /* the blog's words are not indexed either */
	fts_ok(s);
	paper_clear(&a);
	paper_clear(&f);
	store_close(&s);
}

static void test_merge_feed_only(void **state)
{
	struct store *s = open_mem();
	struct paper f, f2, g;
	struct lerr e = {0};
	const char *id = "url:https://www.biorxiv.org/content/10.1101/2024.05.01.592001v1";
	mk_from(&f, PAPER_SRC_FEED, id, "Single-cell atlas of the developing zebrafish heart",
	        "We profile 120,000 cells across six stages.", "2024-05-03");
	paper_add_author(&f, "Kenji Sato", NULL);
	put(s, &f, "biorxiv", "2024-05-03", STORE_INSERTED);
	/* A second feed listing it with a teaser: one feed never replaces another's text. */
	mk_from(&f2, PAPER_SRC_FEED, id, "Zebrafish heart atlas", "A teaser.", NULL);
	put(s, &f2, "science-news", "2024-05-04", STORE_UNCHANGED);
	assert_int_equal(store_get(s, id, &g, &e), 0);
	assert_string_equal(g.title, "Single-cell atlas of the developing zebrafish heart");
	assert_string_equal(g.abstract, "We profile 120,000 cells across six stages.");
	assert_string_equal(g.authors[0].name, "Kenji Sato");
	paper_clear(&g);
	assert_source(s, id, "title: feed");
	assert_source(s, id, "abstract: feed");
	assert_search(s, "zebrafish", id);
	paper_clear(&f);
	paper_clear(&f2);
	store_close(&s);
}

static void test_merge_versions(void **state)
{
	struct store *s = open_mem();
	struct paper a, old, same, next, g;
	struct lerr e = {0};
	arxiv_kv(&a, "2405.12090v3");
	paper_set(&a.title, "KV-Cache Compression for Long-Context Inference (v3)");
	put(s, &a, "arxiv-api", NULL, STORE_INSERTED);
	/* v1 from an old listing arrives after v3: it never overwrites. */
	arxiv_kv(&old, "2405.12090v1");
	paper_set(&old.title, "Compressing the KV cache");
	paper_set(&old.comment, "12 pages");
	put(s, &old, "arxiv", "2024-05-21", STORE_UNCHANGED);
	assert_int_equal(store_get(s, "2405.12090", &g, &e), 0);
	assert_string_equal(g.title, "KV-Cache Compression for Long-Context Inference (v3)");
	assert_string_equal(g.comment, "21 pages, 9 figures");
	assert_int_equal(g.version, 3);
	paper_clear(&g);
	/* An equal version keeps what is stored (a listing's variant text does not flip it). */
	arxiv_kv(&same, "2405.12090v3");
	paper_set(&same.abstract, "Abstract: Large language models spend most of their memory.");
	put(s, &same, "arxiv", "2024-06-02", STORE_UNCHANGED);
	assert_int_equal(store_get(s, "2405.12090", &g, &e), 0);
	assert_string_equal(g.abstract, a.abstract);
	paper_clear(&g);
	/* A higher version wins. */
	arxiv_kv(&next, "2405.12090v4");
	paper_set(&next.title, "KV-Cache Compression, revisited");
	put(s, &next, "arxiv-api", NULL, STORE_UPDATED);
	assert_int_equal(store_get(s, "2405.12090", &g, &e), 0);
	assert_string_equal(g.title, "KV-Cache Compression, revisited");
	assert_int_equal(g.version, 4);
	paper_clear(&g);
	assert_search(s, "revisited", "2405.12090");
	assert_search(s, "ti:v3", "");
	fts_ok(s);
	paper_clear(&a);
	paper_clear(&old);
	paper_clear(&same);
	paper_clear(&next);
	store_close(&s);
}

/* Hugging Face's record of the same paper: its own rendering of the abstract, no affiliations,
 * and what only it knows. */
static void hf_kv(struct paper *p)
{
	mk_from(p, PAPER_SRC_HF, "2405.12090", "KV-Cache Compression for Long-Context inference",
	        "Large language models spend most of their decoding memory on the key-value "
	        "cache.\nWe propose a compression scheme.", "2024-05-20T00:00:00Z");
	paper_add_author(p, "Wei Zhang", NULL);
	paper_add_author(p, "Maria Garcia", NULL);
	p->upvotes = 42;
	p->num_comments = 3;
	paper_set(&p->organization, "Tsinghua University");
	paper_set(&p->ai_summary, "A KV-cache compression keeps accuracy at a quarter of memory.");
	paper_set(&p->url_code, "https://github.com/example/kvpress");
	paper_set(&p->url_project, "https://example.github.io/kvpress");
	paper_set(&p->url_hf, "https://huggingface.co/papers/2405.12090");
}

static void test_merge_hf_fills(void **state)
{
	struct paper a, h, g;
	struct lerr e = {0};
	struct store *s = with_arxiv_kv(&a);
	hf_kv(&h);
	put(s, &h, "hf-daily", "2024-05-21", STORE_UPDATED);
	assert_int_equal(store_get(s, "2405.12090", &g, &e), 0);
	assert_string_equal(g.title, a.title);
	assert_string_equal(g.abstract, a.abstract);
	assert_string_equal(g.authors[0].affiliation, "Tsinghua University");
	assert_int_equal(g.upvotes, 42);
	assert_int_equal(g.num_comments, 3);
	assert_string_equal(g.organization, "Tsinghua University");
	assert_string_equal(g.ai_summary, h.ai_summary);
	assert_string_equal(g.url_code, "https://github.com/example/kvpress");
	assert_string_equal(g.url_project, "https://example.github.io/kvpress");
	assert_int_equal(g.published, day("2024-05-20"));   /* the earliest date */
	paper_clear(&g);
	/* Counters: the newest value, also a lower one. */
	h.upvotes = 40;
	put(s, &h, "hf-daily", "2024-05-22", STORE_UPDATED);
	assert_int_equal(store_get(s, "2405.12090", &g, &e), 0);
	assert_int_equal(g.upvotes, 40);
	paper_clear(&g);
	assert_source(s, "2405.12090", "abstract: arXiv");
	assert_source(s, "2405.12090", "upvotes: Hugging Face");
	assert_source(s, "2405.12090", "organisation: Hugging Face");
	assert_source(s, "2405.12090", "ai summary: Hugging Face");
	paper_clear(&a);
	paper_clear(&h);
	store_close(&s);
}

static void test_merge_arxiv_after_hf(void **state)
{
	struct store *s = open_mem();
	struct paper a, h, g;
	struct lerr e = {0};
	hf_kv(&h);
	put(s, &h, "hf-daily", "2024-05-21", STORE_INSERTED);
	assert_source(s, "2405.12090", "title: Hugging Face");
	arxiv_kv(&a, "2405.12090v2");
	put(s, &a, "arxiv", "2024-05-21", STORE_UPDATED);
	assert_int_equal(store_get(s, "2405.12090", &g, &e), 0);
	assert_string_equal(g.title, a.title);
	assert_string_equal(g.abstract, a.abstract);
	assert_string_equal(g.authors[0].affiliation, "Tsinghua University");
	assert_int_equal(g.upvotes, 42);
	assert_string_equal(g.ai_summary, h.ai_summary);
	paper_clear(&g);
	/* Hugging Face again: its text no longer replaces arXiv's. */
	put(s, &h, "hf-daily", "2024-05-22", STORE_UNCHANGED);
	assert_int_equal(store_get(s, "2405.12090", &g, &e), 0);
	assert_string_equal(g.title, a.title);
	paper_clear(&g);
	assert_source(s, "2405.12090", "title: arXiv");
	assert_source(s, "2405.12090", "version: arXiv");
	assert_source(s, "2405.12090", "upvotes: Hugging Face");
	assert_search(s, "ti:inference", "2405.12090");
	fts_ok(s);
	paper_clear(&a);
	paper_clear(&h);
	store_close(&s);
}

/* `lectern import`: an exported paper's text ranks below arXiv's and Hugging Face's; every one
 * of its listings is recorded; a paper only the file knows gets its text. */
static void test_merge_import(void **state)
{
	struct paper a, x, g;
	struct lerr e = {0};
	enum store_upsert_result r;
	struct store *s = with_arxiv_kv(&a);
	mk_from(&x, PAPER_SRC_IMPORT, "2405.12090v1", "An older export's title", "Old words.",
	        "2024-05-20");
	x.upvotes = 7;
	paper_set(&x.listings, "hf-daily 2024-05-22\narxiv 2024-05-21");
	assert_int_equal(store_import(s, &x, &r, &e), 0);
	assert_int_equal(r, STORE_UPDATED);   /* the upvotes */
	assert_int_equal(store_get(s, "2405.12090", &g, &e), 0);
	assert_string_equal(g.title, a.title);
	assert_int_equal(g.upvotes, 7);
	assert_string_equal(g.listings, "hf-daily 2024-05-22\narxiv 2024-05-21");
	paper_clear(&g);
	assert_source(s, "2405.12090", "title: arXiv");
	assert_source(s, "2405.12090", "upvotes: import");
	paper_set(&x.id, "2405.99999");
	assert_int_equal(store_import(s, &x, &r, &e), 0);
	assert_int_equal(r, STORE_INSERTED);
	assert_source(s, "2405.99999", "title: import");
	paper_clear(&a);
	paper_clear(&x);
	store_close(&s);
	(void)state;
}

static void test_name_key(void **state)
{
	const char *cases[][2] = {
		{ "J. Smith", "j smith" }, { "j smith", "j smith" }, { "J.Smith", "j smith" },
		{ "  John   SMITH ", "john smith" }, { "Jean-Luc Godard", "jean luc godard" },
		{ "Zoë Müller", "zoe muller" }, { "Łukasz Kaiser", "lukasz kaiser" },
		{ "Søren Ørsted", "soren orsted" }, { "Hans Straße", "hans strasse" },
		{ "José Ramón Núñez", "jose ramon nunez" }, { "Ze\xcc\x81 Silva", "ze silva" },
		{ "李飞飞", "李飞飞" }, { "", "" }, { "\xc6sop \xff-", "\xc6sop \xff" },
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char *k = paper_name_key(cases[i][0]);
		assert_string_equal(k, cases[i][1]);
		free(k);
	}
	assert_true(paper_name_keys_compatible("j smith", "john smith"));
	assert_true(paper_name_keys_compatible("john smith", "j smith"));
	assert_true(paper_name_keys_compatible("john r smith", "j smith"));
	assert_false(paper_name_keys_compatible("jane smith", "john smith"));
	assert_false(paper_name_keys_compatible("j smith", "j smyth"));
	assert_false(paper_name_keys_compatible("smith", "j smith"));
	(void)state;
}

/* An import gave affiliations; arXiv's listing (which wins) spells the names its own way, in
 * its own order. */
static void test_merge_affiliations(void **state)
{
	struct store *s = open_mem();
	struct paper i, a, g;
	struct lerr e = {0};
	mk_from(&i, PAPER_SRC_IMPORT, "2406.00777", "Sparse autoencoders at scale", "We train.",
	        "2024-06-01");
	paper_add_author(&i, "John Smith", "University of Oxford");
	paper_add_author(&i, "Zoë Müller", "ETH Zürich");
	paper_add_author(&i, "Wei Zhang", "Tsinghua University");
	put(s, &i, NULL, NULL, STORE_INSERTED);
	mk_from(&a, PAPER_SRC_ARXIV, "2406.00777v1", "Sparse Autoencoders at Scale",
	        "We train sparse autoencoders.", "2024-06-01");
	paper_add_author(&a, "Zoe Muller", NULL);
	paper_add_author(&a, "J. Smith", NULL);
	paper_add_author(&a, "Wei Zhang", NULL);
	paper_add_author(&a, "Ann Lee", NULL);
	put(s, &a, "arxiv", "2024-06-03", STORE_UPDATED);
	assert_int_equal(store_get(s, "2406.00777", &g, &e), 0);
	assert_int_equal(g.n_authors, 4);
	assert_string_equal(g.authors[0].name, "Zoe Muller");
	assert_string_equal(g.authors[0].affiliation, "ETH Zürich");          /* by key */
	assert_string_equal(g.authors[1].name, "J. Smith");
	assert_string_equal(g.authors[1].affiliation, "University of Oxford"); /* by initial */
	assert_string_equal(g.authors[2].affiliation, "Tsinghua University");  /* by position */
	assert_null(g.authors[3].affiliation);
	paper_clear(&g);
	assert_source(s, "2406.00777", "authors: arXiv");
	paper_clear(&i);
	paper_clear(&a);
	store_close(&s);
}

static void test_merge_affiliations_ambiguous(void **state)
{
	struct store *s = open_mem();
	struct paper i, a, g;
	struct lerr e = {0};
	mk_from(&i, PAPER_SRC_IMPORT, "2406.00778", "Two Smiths", "We train.", "2024-06-01");
	paper_add_author(&i, "John Smith", "University of Oxford");
	paper_add_author(&i, "Jane Smith", "University of Cambridge");
	paper_add_author(&i, "Ann Lee", "UCL");
	put(s, &i, NULL, NULL, STORE_INSERTED);
	mk_from(&a, PAPER_SRC_ARXIV, "2406.00778v1", "Two Smiths", "We train.", "2024-06-01");
	paper_add_author(&a, "Ann Lee", NULL);
	paper_add_author(&a, "Bo Li", NULL);
	paper_add_author(&a, "J. Smith", NULL);
	put(s, &a, "arxiv", "2024-06-03", STORE_UPDATED);
	assert_int_equal(store_get(s, "2406.00778", &g, &e), 0);
	assert_string_equal(g.authors[0].affiliation, "UCL");
	assert_null(g.authors[1].affiliation);
	assert_null(g.authors[2].affiliation);   /* "J. Smith" is John or Jane: neither */
	paper_clear(&g);
	/* Two "J. Smith"s in the arriving list: neither takes John Smith's. */
	paper_clear(&a);
	mk_from(&a, PAPER_SRC_ARXIV, "2406.00778v2", "Two Smiths", "We train.", "2024-06-01");
	paper_add_author(&a, "Ann Lee", NULL);
	paper_add_author(&a, "J. Smith", NULL);
	paper_add_author(&a, "J. Smith", NULL);
	struct paper i2;
	mk_from(&i2, PAPER_SRC_IMPORT, "2406.00779", "One Smith", "x", "2024-06-01");
	paper_add_author(&i2, "Ann Lee", "UCL");
	paper_add_author(&i2, "Bo Li", NULL);
	paper_add_author(&i2, "Bob Jones", NULL);
	paper_add_author(&i2, "John Smith", "University of Oxford");
	put(s, &i2, NULL, NULL, STORE_INSERTED);
	paper_set(&a.id, "2406.00779v1");
	put(s, &a, "arxiv", NULL, STORE_UPDATED);
	assert_int_equal(store_get(s, "2406.00779", &g, &e), 0);
	assert_string_equal(g.authors[0].affiliation, "UCL");
	assert_null(g.authors[1].affiliation);
	assert_null(g.authors[2].affiliation);
	paper_clear(&g);
	paper_clear(&i);
	paper_clear(&i2);
	paper_clear(&a);
	store_close(&s);
}

/* ---- migrations ------------------------------------------------------------------------------ */

/* The schema of version 1 exactly as the first lectern release created it. */
static const char schema_v1_sql[] =
	"CREATE TABLE papers ("
	" pk INTEGER PRIMARY KEY,"
	" id TEXT NOT NULL UNIQUE,"
	" version INTEGER NOT NULL DEFAULT 0,"
	" title TEXT, abstract TEXT, authors TEXT,"
	" first_author TEXT, n_authors INTEGER NOT NULL DEFAULT 0,"
	" published INTEGER NOT NULL DEFAULT 0, updated INTEGER NOT NULL DEFAULT 0,"
	" primary_category TEXT, categories TEXT, comment TEXT, journal_ref TEXT, doi TEXT,"
	" url_abs TEXT, url_pdf TEXT, url_code TEXT, url_project TEXT, url_hf TEXT,"
	" upvotes INTEGER NOT NULL DEFAULT -1, num_comments INTEGER NOT NULL DEFAULT -1,"
	" github_stars INTEGER NOT NULL DEFAULT -1,"
	" organization TEXT, submitter TEXT, ai_summary TEXT, ai_keywords TEXT, hf_day TEXT,"
	" thumbnail TEXT,"
	" added INTEGER NOT NULL);"
	"CREATE INDEX papers_upvotes ON papers(upvotes);"
	"CREATE INDEX papers_hf_day ON papers(hf_day) WHERE hf_day IS NOT NULL;"
	"CREATE INDEX papers_hf_day_upvotes ON papers(hf_day, upvotes) WHERE hf_day IS NOT NULL;"
	"CREATE TABLE paper_authors ("
	" paper INTEGER NOT NULL REFERENCES papers(pk) ON DELETE CASCADE ON UPDATE CASCADE,"
	" pos INTEGER NOT NULL, name TEXT NOT NULL, affiliation TEXT,"
	" PRIMARY KEY (paper, pos)) WITHOUT ROWID;"
	"CREATE TABLE listings ("
	" paper INTEGER NOT NULL REFERENCES papers(pk) ON DELETE CASCADE ON UPDATE CASCADE,"
	" source TEXT NOT NULL, day TEXT NOT NULL DEFAULT '', seen_at INTEGER NOT NULL,"
	" PRIMARY KEY (paper, source, day)) WITHOUT ROWID;"
	"CREATE TABLE sourced ("
	" paper INTEGER NOT NULL REFERENCES papers(pk) ON DELETE CASCADE ON UPDATE CASCADE,"
	" source TEXT NOT NULL,"
	" PRIMARY KEY (paper, source)) WITHOUT ROWID;"
	"CREATE INDEX sourced_source ON sourced(source, paper);"
	"CREATE TABLE user_state ("
	" id TEXT PRIMARY KEY,"
	" favourite INTEGER NOT NULL DEFAULT 0, fav_time INTEGER NOT NULL DEFAULT 0,"
	" read INTEGER NOT NULL DEFAULT 0, note TEXT, tags TEXT) WITHOUT ROWID;"
	"CREATE INDEX user_state_fav ON user_state(id) WHERE favourite = 1;"
	"CREATE TABLE sources ("
	" name TEXT PRIMARY KEY, last_attempt INTEGER NOT NULL DEFAULT 0,"
	" last_success INTEGER NOT NULL DEFAULT 0, last_error TEXT,"
	" in_progress INTEGER NOT NULL DEFAULT 0, new_count INTEGER NOT NULL DEFAULT 0,"
	" total INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;"
	"CREATE TABLE http_cache ("
	" url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, stored_at INTEGER NOT NULL)"
	" WITHOUT ROWID;"
	"CREATE TABLE history (query TEXT PRIMARY KEY, used_at INTEGER NOT NULL);"
	"CREATE INDEX history_used ON history(used_at);"
	"CREATE VIRTUAL TABLE papers_fts USING fts5(title, abstract, authors,"
	" content='papers', content_rowid='pk',"
	" tokenize='unicode61 remove_diacritics 2', prefix='2 3');"
	"PRAGMA application_id = 1279480914;"
	"PRAGMA user_version = 1;";

/* A version-1 cache (written as the previous release did) is migrated without losing anything:
 * papers, authors, listings, user state, source state, validators, history; search works with
 * categories in the index, and the undated paper (keyed by first-seen time) moves to its
 * listing day. */
static void test_migrate_v1(void **state)
{
	const char *path = tmp_path("v1.db");
	unlink(path);
	/* 2026-06-14T12:00:00Z = 1781438400 (first seen), 2024-11-28 = 1732752000,
	 * 2025-01-05 = 1736035200 (published). */
	char sql[8192];
	snprintf(sql, sizeof sql, "%s"
		"INSERT INTO papers (pk, id, version, title, abstract, authors, first_author,"
		" n_authors, published, categories, upvotes, added, organization, ai_summary) VALUES"
		" (%lld, '2501.00001', 2, 'Generative models: 大規模言語モデルの評価', 'We train a model.',"
		"  'Ada Lovelace, Alan Turing', 'Ada Lovelace', 2, 1736035200, 'cs.LG stat.ML', 7,"
		"  1736035200, 'Nanjing University', 'Summarised by a bot'),"
		" (%lld, '2411.17699', 1, 'Mock modularity', 'Calabi-Yau threefolds model.',"
		"  'Sergey Alexandrov', 'Sergey Alexandrov', 1, 0, 'hep-th math.AG', -1, 1781438400,"
		"  NULL, NULL);"
		"INSERT INTO paper_authors VALUES (%lld, 0, 'Ada Lovelace', 'Analytical Engines'),"
		" (%lld, 1, 'Alan Turing', NULL), (%lld, 0, 'Sergey Alexandrov', NULL);"
		"INSERT INTO listings VALUES (%lld, 'hf-daily', '2025-01-06', 1736121600),"
		" (%lld, 'arxiv', '2024-11-28', 1781438400);"
		"INSERT INTO sourced VALUES (%lld, 'hf-daily'), (%lld, 'arxiv');"
		"INSERT INTO user_state VALUES ('2411.17699', 1, 1781438500, 1, 'a note', 'x y'),"
		" ('2999.99999', 1, 1700000000, 0, NULL, NULL);"
		"INSERT INTO sources (name, last_attempt, last_success, total) VALUES"
		" ('arxiv', 1781438400, 1781438400, 1);"
		"INSERT INTO http_cache VALUES ('https://x/rss', '\"e1\"', NULL, 1781438400);"
		"INSERT INTO history VALUES ('neural nets', 1781438400);"
		"INSERT INTO papers_fts (rowid, title, abstract, authors)"
		" SELECT pk, title, abstract, authors FROM papers;",
		schema_v1_sql, 1736035200LL << 20, 1781438400LL << 20, 1736035200LL << 20,
		1736035200LL << 20, 1781438400LL << 20, 1736035200LL << 20, 1781438400LL << 20,
		1736035200LL << 20, 1781438400LL << 20);
	raw_exec(path, sql);

	struct lerr e = {0};
	struct store *s = store_open(path, 0, &e);
	if (!s)
		fail_msg("open v1: %s", e.msg);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), STORE_SCHEMA_VERSION);
	sqlite3_finalize(st);
	fts_ok(s);

	struct paper g;
	assert_int_equal(store_get(s, "2411.17699", &g, &e), 0);
	assert_int_equal(g.published, 0);
	assert_true(g.favourite && g.read);
	assert_int_equal(g.fav_time, 1781438500);
	assert_string_equal(g.note, "a note");
	assert_string_equal(g.tags, "x y");
	assert_int_equal(g.n_authors, 1);
	assert_string_equal(g.authors[0].name, "Sergey Alexandrov");
	assert_string_equal(g.listings, "arxiv 2024-11-28");
	paper_clear(&g);
	assert_int_equal(store_get(s, "2501.00001", &g, &e), 0);
	assert_int_equal(g.version, 2);
	assert_int_equal(g.n_authors, 2);
	assert_string_equal(g.authors[0].affiliation, "Analytical Engines");
	assert_int_equal(g.upvotes, 7);
	assert_string_equal(g.organization, "Nanjing University");
	assert_false(g.org_submitter);   /* v6: old organisations are the authors' */
	assert_string_equal(g.listings, "hf-daily 2025-01-06");
	paper_clear(&g);

	/* The undated paper now sorts (and shows) by its listing day, below the 2025 paper. */
	assert_search(s, "model", "2501.00001 2411.17699");
	first_row(s, "threefolds", "2411.17699", day("2024-11-28"), 0);
	assert_search(s, "cat:hep-th", "2411.17699");
	assert_search(s, "cat:stat.ML model", "2501.00001");
	assert_search(s, "cat:math", "2411.17699");
	assert_search(s, "is:fav", "2411.17699");
	/* v5: the index was rebuilt with CJK split, organisation and AI summary in it. */
	assert_search(s, "大規模", "2501.00001");
	assert_search(s, "言語モデル", "2501.00001");
	assert_search(s, "nanjing", "2501.00001");
	assert_search(s, "summarised", "2501.00001");
	assert_search(s, "tag:y is:fav", "2411.17699");
	assert_search(s, "has:note", "2411.17699");
	struct store_view src = { .filter = STORE_VIEW_SOURCE, .source = "arxiv" };
	assert_int_equal(store_count(s, &src, -1, &e), 1);
	struct store_source_state ss;
	assert_int_equal(store_source_get(s, "arxiv", &ss, &e), 0);
	assert_int_equal(ss.total, 1);
	store_source_state_clear(&ss);
	char *etag = NULL;
	assert_int_equal(store_http_get(s, "https://x/rss", &etag, NULL, &e), 0);
	assert_string_equal(etag, "\"e1\"");
	free(etag);
	char *h[4];
	assert_int_equal(store_history_list(s, h, 4, &e), 1);
	assert_string_equal(h[0], "neural nets");
	free(h[0]);

	/* The state of a paper not cached yet waits for it, as before. */
	struct paper p;
	mk(&p, "2999.99999", "Arrives after the migration", "late", "2029-01-01");
	paper_set(&p.categories, "cs.CL");
	put(s, &p, NULL, NULL, STORE_INSERTED);
	paper_clear(&p);
	assert_search(s, "is:fav", "2999.99999 2411.17699");
	assert_search(s, "cat:cs.CL late", "2999.99999");
	/* Changing categories re-indexes them. */
	mk(&p, "2999.99999", NULL, NULL, NULL);
	paper_set(&p.categories, "cs.AI");
	put(s, &p, NULL, NULL, STORE_UPDATED);
	paper_clear(&p);
	assert_search(s, "cat:cs.CL", "");
	assert_search(s, "cat:cs.AI", "2999.99999");
	fts_ok(s);
	store_close(&s);

	/* An old cache that is read-only cannot be upgraded: refused clearly, left untouched. */
	char ro[1024];   /* tmp_path() reuses its buffer, which `path` points to */
	snprintf(ro, sizeof ro, "%s.ro", path);
	char keep[512];
	snprintf(keep, sizeof keep, "%s", path);
	path = keep;
	unlink(ro);
	raw_exec(ro, schema_v1_sql);
	raw_exec(ro, "PRAGMA journal_mode = DELETE");
	assert_int_equal(chmod(ro, 0444), 0);
	uint64_t sum = checksum(ro);
	struct store *r = store_open(ro, STORE_READONLY, &e);
	assert_null(r);
	assert_int_equal(e.kind, LERR_DB);
	assert_non_null(strstr(e.msg, "older lectern"));
	assert_non_null(strstr(e.msg, "write access"));
	assert_int_equal(checksum(ro), sum);
	if (geteuid() != 0) {   /* root may write a 0444 file (and would just migrate it) */
		assert_null(store_open(ro, 0, &e));
		assert_non_null(strstr(e.msg, "older lectern"));
		assert_int_equal(checksum(ro), sum);
	}

	/* A read (STORE_READONLY) of an old cache we may write upgrades it, then reads it. */
	char rw[1024];
	snprintf(rw, sizeof rw, "%s.rw", path);
	unlink(rw);
	raw_exec(rw, schema_v1_sql);
	raw_exec(rw, "INSERT INTO papers (pk, id, title, abstract, authors, published, added)"
	             " VALUES (1, '2501.00009', 'Old cache', 'upgraded on read', 'Ada', 1736035200,"
	             " 1736035200);"
	             "INSERT INTO papers_fts (rowid, title, abstract, authors)"
	             " SELECT pk, title, abstract, authors FROM papers;");
	r = store_open(rw, STORE_READONLY | STORE_NOCREATE, &e);
	if (!r)
		fail_msg("read of a writable v1 cache: %s", e.msg);
	assert_true(store_is_readonly(r));
	assert_int_equal(sqlite3_prepare_v2(r->db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), STORE_SCHEMA_VERSION);
	sqlite3_finalize(st);
	assert_search(r, "upgraded", "2501.00009");
	assert_int_equal(store_set_read(r, "2501.00009", true, &e), -1);   /* still read-only */
	store_close(&r);

	/* Reopening does not migrate again. */
	s = store_open(path, 0, &e);
	assert_non_null(s);
	assert_search(s, "cat:cs", "2999.99999 2501.00001");
	store_close(&s);
}

/* A paper as `lectern export` writes it (all fields, listings and user state). */
static char *json_of(const struct paper *p)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	assert_non_null(f);
	export_json_line(f, p);
	fclose(f);
	return buf;
}

/* A cache of the schema before papers.prov (version 5, made by taking the column away again)
 * migrates without losing anything: every field, author, listing and user state is as it was,
 * every field's kind is "unknown" (the lowest), and the next source's text replaces it. */
static void test_migrate_prov(void **state)
{
	char path[600];
	snprintf(path, sizeof path, "%s", tmp_path("v6.db"));
	unlink(path);
	struct lerr e = {0};
	struct store *s = store_open(path, 0, &e);
	assert_non_null(s);
	struct paper a, h, want, g;
	arxiv_kv(&a, "2405.12090v2");
	put(s, &a, "arxiv", "2024-05-21", STORE_INSERTED);
	hf_kv(&h);
	put(s, &h, "hf-daily", "2024-05-21", STORE_UPDATED);
	assert_int_equal(store_set_favourite_at(s, "2405.12090", 1716300000, &e), 0);
	assert_int_equal(store_set_note(s, "2405.12090", "read §3", &e), 0);
	assert_int_equal(store_get(s, "2405.12090", &want, &e), 0);
	store_close(&s);
	s = downgrade_and_open(path, UNDO_V9 "ALTER TABLE papers DROP COLUMN org_submitter;"
	                        "ALTER TABLE papers DROP COLUMN prov; PRAGMA user_version = 6;");
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), STORE_SCHEMA_VERSION);
	sqlite3_finalize(st);
	fts_ok(s);
	assert_int_equal(store_get(s, "2405.12090", &g, &e), 0);
	assert_int_equal(g.sources, 0);   /* every field "unknown" */
	g.sources = want.sources;
	char *x = json_of(&want), *y = json_of(&g);
	assert_string_equal(y, x);   /* every field, author, listing and user state */
	assert_non_null(strstr(y, "read §3"));
	free(x);
	free(y);
	assert_int_equal(g.version, 2);
	paper_clear(&g);
	assert_source(s, "2405.12090", "title: unknown");
	assert_search(s, "ti:compression", "2405.12090");

	/* The lowest kind: even a feed's text replaces it, and is then its own. */
	struct paper f;
	mk_from(&f, PAPER_SRC_FEED, "2405.12090", "Blog title", NULL, NULL);
	put(s, &f, "blog", NULL, STORE_UPDATED);
	assert_source(s, "2405.12090", "title: feed");
	assert_source(s, "2405.12090", "abstract: unknown");
	put(s, &a, "arxiv", "2024-05-21", STORE_UPDATED);
	assert_source(s, "2405.12090", "title: arXiv");
	fts_ok(s);
	store_close(&s);
	paper_clear(&a);
	paper_clear(&h);
	paper_clear(&f);
	paper_clear(&want);
	(void)state;
}

/* ---- search --------------------------------------------------------------------------------- */

static struct store *search_fixture(void)
{
	struct store *s = open_mem();
	struct {
		const char *id, *title, *abstract, *authors, *cats, *date;
	} d[] = {
		{ "2501.00001", "Generative models of language", "We train a generative model.",
		  "Geoffrey Hinton", "cs.LG cs.CL", "2025-01-05" },
		{ "2501.00002", "Neural network pruning", "Pruning a neural network is generic.",
		  "Yann LeCun", "cs.CV", "2025-01-20" },
		{ "2502.00003", "Network science", "A neural approach to network graphs.",
		  "Ada Lovelace", "physics.soc-ph", "2025-02-10" },
		{ "2411.00004", "Diffusion for genomics", "Genes and proteins, C++ code.",
		  "Renée Müller", "q-bio.GN cs.LG", "2024-11-30" },
		{ "2503.00005", "AND OR NOT: logic gates", "Boolean (logic) for \"quoted\" tests.",
		  "Hinton Jr", "cs.LO", "2025-03-01" },
	};
	for (size_t i = 0; i < ARRAY_LEN(d); i++) {
		struct paper p;
		mk(&p, d[i].id, d[i].title, d[i].abstract, d[i].date);
		paper_add_author(&p, d[i].authors, NULL);
		paper_set(&p.categories, d[i].cats);
		p.upvotes = (int64_t)i * 10;
		put(s, &p, i % 2 ? "arxiv" : "hf-daily", "2025-03-02", STORE_INSERTED);
		paper_clear(&p);
	}
	assert_int_equal(store_set_favourite(s, "2501.00002", true, NULL), 0);
	assert_int_equal(store_set_favourite(s, "2411.00004", true, NULL), 0);
	assert_int_equal(store_set_read(s, "2502.00003", true, NULL), 0);
	return s;
}

static void test_search_syntax(void **state)
{
	struct store *s = search_fixture();
	assert_search(s, "", "2503.00005 2502.00003 2501.00002 2501.00001 2411.00004");
	assert_search(s, "neural", "2502.00003 2501.00002");
	assert_search(s, "NEURAL network", "2502.00003 2501.00002");
	assert_search(s, "\"neural network\"", "2501.00002");
	/* (papers_fts has no prefix index: a prefix is searched as its words; test_many_words) */
	assert_search(s, "gen*", "2501.00002 2501.00001 2411.00004");
	assert_search(s, "gene*", "2501.00002 2501.00001 2411.00004");
	assert_search(s, "network gen*", "2501.00002");
	assert_search(s, "network -gen*", "2502.00003");
	assert_search(s, "gen* -models", "2501.00002 2411.00004");
	assert_search(s, "ti:net*", "2502.00003 2501.00002");
	assert_search(s, "au:hin*", "2503.00005 2501.00001");
	assert_search(s, "network (gen* OR graphs)", "2502.00003 2501.00002");
	assert_search(s, "abs:gen* since:2025", "2501.00002 2501.00001");
	assert_search(s, "\"generative mod\"*", "2501.00001");
	assert_search(s, "au:hinton", "2503.00005 2501.00001");
	assert_search(s, "au:\"geoffrey hinton\"", "2501.00001");
	assert_search(s, "ti:network", "2502.00003 2501.00002");
	assert_search(s, "abs:network", "2502.00003 2501.00002");
	assert_search(s, "abs:pruning ti:neural", "2501.00002");
	assert_search(s, "au:renee", "2411.00004");   /* diacritics folded */
	assert_search(s, "cat:cs.LG", "2501.00001 2411.00004");
	assert_search(s, "cat:cs", "2503.00005 2501.00002 2501.00001 2411.00004");
	assert_search(s, "-cat:cs", "2502.00003");
	assert_search(s, "cat:q-bio.GN", "2411.00004");
	assert_search(s, "cat:Q-BIO", "2411.00004");
	assert_search(s, "cat:physics", "2502.00003");     /* archive of physics.soc-ph */
	assert_search(s, "cat:soc-ph", "");                /* a subject alone is no category */
	assert_search(s, "cat:cs.L", "");                  /* categories match whole */
	assert_search(s, "cat:cs.LG neural", "");
	assert_search(s, "cat:cs.LG -cat:q-bio", "2501.00001");
	assert_search(s, "cat:cs generative", "2501.00001");
	/* Words do not match category tokens (cs.LG is indexed as cs0lg). */
	assert_search(s, "cs*", "");
	assert_search(s, "ph*", "");
	assert_search(s, "lg", "");
	char *ranked = search(s, STORE_SORT_RELEVANCE, "cat:cs.LG gene*");
	/* gene* in 2501.00001's title and abstract, only in 2411.00004's abstract (genomics is
	 * not gene*); a prefix checked on the row (`gen*` here) is not scored */
	assert_string_equal(ranked, "2501.00001 2411.00004");
	free(ranked);
	assert_search(s, "is:fav", "2501.00002 2411.00004");
	assert_search(s, "is:fav neural", "2501.00002");
	assert_search(s, "-is:fav neural", "2502.00003");
	assert_search(s, "is:read", "2502.00003");
	assert_search(s, "is:unread network", "2501.00002");
	/* after: and before: leave the named day/month/year out; since: and until: take it in */
	assert_search(s, "after:2025-01-20", "2503.00005 2502.00003");
	assert_search(s, "since:2025-01-20", "2503.00005 2502.00003 2501.00002");
	assert_search(s, "before:2025-01-20", "2501.00001 2411.00004");
	assert_search(s, "until:2025-01-20", "2501.00002 2501.00001 2411.00004");
	assert_search(s, "after:2025-01", "2503.00005 2502.00003");
	assert_search(s, "after:2024", "2503.00005 2502.00003 2501.00002 2501.00001");
	assert_search(s, "since:2025-01 until:2025-02", "2502.00003 2501.00002 2501.00001");
	assert_search(s, "before:2025-02 since:2025", "2501.00002 2501.00001");
	assert_search(s, "after:2025-01-20 until:2025-01-20", "");
	assert_search(s, "date:2025-01", "2501.00002 2501.00001");
	assert_search(s, "date:2024", "2411.00004");
	assert_search(s, "date:2025-01-05", "2501.00001");
	assert_search(s, "after:2025-02-01 before:2025-01-01", "");
	/* days relative to the clock: today, yesterday, -N */
	setenv("LECTERN_NOW", "2025-01-21T08:00:00Z", 1);
	assert_search(s, "date:yesterday", "2501.00002");
	assert_search(s, "since:-16", "2503.00005 2502.00003 2501.00002 2501.00001");
	assert_search(s, "since:today", "2503.00005 2502.00003");
	unsetenv("LECTERN_NOW");
	/* OR, NOT and parentheses: NOT binds tighter than AND, AND tighter than OR; text terms
	 * stay one FTS5 expression, flags, dates and ids mix in as SQL */
	assert_search(s, "neural OR au:hinton", "2503.00005 2502.00003 2501.00002 2501.00001");
	assert_search(s, "neural AND network", "2502.00003 2501.00002");
	assert_search(s, "neural pruning OR hinton", "2503.00005 2501.00002 2501.00001");
	assert_search(s, "neural (pruning OR hinton)", "2501.00002");
	assert_search(s, "(cat:cs.LG OR neural) -pruning", "2502.00003 2501.00001 2411.00004");
	assert_search(s, "hinton ANDNOT generative", "2503.00005");
	assert_search(s, "NOT (neural OR gen*)", "2503.00005");
	assert_search(s, "pruning OR is:read", "2502.00003 2501.00002");
	assert_search(s, "is:fav OR date:2025-01-05", "2501.00002 2501.00001 2411.00004");
	/* An OR of text and dates is a merged walk (its text in FTS order, each date a pk range):
	 * every arm, each paper once, the view's conditions on each arm */
	assert_search(s, "pruning OR date:2024", "2501.00002 2411.00004");
	assert_search(s, "network OR date:2025-01", "2502.00003 2501.00002 2501.00001");
	assert_search(s, "date:2024 OR after:2025-01-20 OR pruning",
	              "2503.00005 2502.00003 2501.00002 2411.00004");
	assert_search(s, "(network OR date:2024) -is:fav", "2502.00003");
	assert_search(s, "(network OR date:2024) date:2025", "2502.00003 2501.00002");
	assert_search(s, "date:2030 OR zzzz", "");
	char *m1 = search(s, STORE_SORT_RELEVANCE, "network OR date:2025-01");
	assert_string_equal(m1, "2502.00003 2501.00002 2501.00001");   /* the same walk */
	free(m1);
	m1 = search(s, STORE_SORT_UPVOTES, "network OR date:2025-01");
	assert_int_equal(strlen(m1), strlen("2502.00003 2501.00002 2501.00001"));
	free(m1);
	{   /* paged both ways from an anchor (the window's key: the pk) */
		struct store_view v = { .sort = STORE_SORT_DATE, .query = "network OR date:2025-01" };
		struct store_rows w = {0}, next = {0}, prev = {0};
		struct lerr e = {0};
		assert_int_equal(store_window(s, &v, NULL, 1, 1, &w, &e), 0);
		assert_int_equal(store_window(s, &v, &w.v[0].key, 1, 5, &next, &e), 0);
		char *ids = ids_of(&next);
		assert_string_equal(ids, "2501.00002 2501.00001");
		free(ids);
		assert_int_equal(store_window(s, &v, &next.v[1].key, -1, 5, &prev, &e), 0);
		ids = ids_of(&prev);
		assert_string_equal(ids, "2502.00003 2501.00002");
		free(ids);
		store_rows_clear(&w);
		store_rows_clear(&next);
		store_rows_clear(&prev);
	}
	assert_search(s, "-(is:fav OR is:read)", "2503.00005 2501.00001");
	assert_search(s, "NOT is:fav", "2503.00005 2502.00003 2501.00001");
	assert_search(s, "(neural OR hinton) is:fav", "2501.00002");
	assert_search(s, "(neural OR hinton) after:2025-01-20", "2503.00005 2502.00003");
	assert_search(s, "(after:2025-01-20 OR cat:q-bio) -is:read", "2503.00005 2411.00004");
	assert_search(s, "2501.00001 OR 2502.00003", "2502.00003 2501.00001");
	assert_search(s, "(2501.00001 OR neural) NOT is:fav", "2502.00003 2501.00001");
	assert_search(s, "(is:read OR (hinton -logic)) OR cat:q-bio",
	              "2502.00003 2501.00001 2411.00004");
	assert_search(s, "\"OR\" network", "");   /* a quoted OR is a word */
	char *r2 = search(s, STORE_SORT_RELEVANCE, "neural OR hinton");
	assert_int_equal(strlen(r2), strlen("2503.00005 2502.00003 2501.00002 2501.00001"));
	free(r2);
	r2 = search(s, STORE_SORT_UPVOTES, "neural OR is:fav");
	assert_int_equal(strlen(r2), strlen("2502.00003 2501.00002 2411.00004"));
	free(r2);
	assert_search(s, "network -pruning", "2502.00003");
	assert_search(s, "-neural -gen*", "2503.00005");
	assert_search(s, "-au:hinton cat:cs", "2501.00002 2411.00004");
	/* Quotes and operators in user text are text, not FTS5 syntax. */
	assert_search(s, "\"quoted\"", "2503.00005");
	assert_search(s, "c++", "2411.00004");
	assert_search(s, "\"and or not\"", "2503.00005");
	assert_search(s, "logic:gates", "2503.00005");
	assert_search(s, "NEAR(logic", "");
	assert_search(s, "not:logic", "2503.00005");   /* unknown field: plain text */
	assert_search(s, "zzzz", "");
	/* Long field names are aliases; an unknown field word is plain text. */
	assert_search(s, "title:network", "2502.00003 2501.00002");
	assert_search(s, "Abstract:pruning TITLE:neural", "2501.00002");
	assert_search(s, "author:hinton", "2503.00005 2501.00001");
	assert_search(s, "authors:lecun", "2501.00002");
	assert_search(s, "category:cs.LG", "2501.00001 2411.00004");
	assert_search(s, "-category:cs", "2502.00003");
	assert_search(s, "gates:", "2503.00005");
	assert_search(s, "titles:network", "");   /* not a field: the phrase "titles network" */

	/* An arXiv id (any spelling) selects that paper, ANDed with the other terms. */
	assert_search(s, "2501.00002", "2501.00002");
	assert_search(s, "2501.00002v3", "2501.00002");
	assert_search(s, "arXiv:2501.00002", "2501.00002");
	assert_search(s, "https://arxiv.org/abs/2501.00002v2", "2501.00002");
	assert_search(s, "arxiv.org/abs/2501.00002", "2501.00002");
	assert_search(s, "id:2501.00002", "2501.00002");
	assert_search(s, "ID:2501.00002 neural", "2501.00002");
	assert_search(s, "neural 2501.00002 is:fav", "2501.00002");
	assert_search(s, "2501.00002 generative", "");
	assert_search(s, "2501.00001 is:fav", "");
	assert_search(s, "2501.00001 2501.00002", "");
	assert_search(s, "2501.00001 cat:cs.LG after:2025-01-01", "2501.00001");
	assert_search(s, "2501.00001 before:2025-01-01", "");
	assert_search(s, "-2501.00002 neural", "2502.00003");
	assert_search(s, "-id:2501.00002 -2502.00003 network", "");
	assert_search(s, "2599.99999", "");
	assert_search(s, "id:hep-th/9901001", "");
	char *r1 = search(s, STORE_SORT_RELEVANCE, "network 2502.00003");
	assert_string_equal(r1, "2502.00003");
	free(r1);
	r1 = search(s, STORE_SORT_UPVOTES, "2411.00004");
	assert_string_equal(r1, "2411.00004");
	free(r1);
	struct store_view favs = { .filter = STORE_VIEW_FAVOURITES, .query = "2411.00004" };
	assert_int_equal(store_count(s, &favs, -1, NULL), 1);
	favs.query = "2502.00003";
	assert_int_equal(store_count(s, &favs, -1, NULL), 0);

	const char *bad[][2] = {
		{ "\"unclosed", "unclosed quote" }, { "au:", "needs a value" },
		{ "(neural", "unbalanced '(' at 1" }, { "neural)", "unbalanced ')' at 7" },
		{ "a (b OR c", "unbalanced '(' at 3" }, { "a OR", "OR needs a term" },
		{ "OR a", "OR needs a term" }, { "NOT", "NOT needs a term" }, { "a ()", "nothing inside" },
		{ "neural AND", "AND needs a term" }, { "AND neural", "AND needs a term" },
		{ "is:bogus", "is:" }, { "after:2025-13", "date" },
		{ "date:someday", "date" }, { "cat:cs;drop", "not a category" }, { "g*", "two letters" },
		{ "-after:2025", "excluded" }, { "ti:\"", "unclosed" },
		{ "*", "at least two letters" }, { "**", "at least two letters" },
		{ "diffusion *", "at least two letters" }, { "-*", "at least two letters" },
		{ "ti:*", "at least two letters" }, { "\"\"*", "at least two letters" },
		{ "title:", "needs a value" }, { "cat:*", "needs a value" }, { "id:", "needs a value" },
		{ "id:bogus", "not an arXiv id" }, { "id:2501.00002*", "not an arXiv id" },
		{ "1 2 3 4 5 6 7 8 9 2501.00001 2501.00002 2501.00003 2501.00004 2501.00005 "
		  "2501.00006 2501.00007 2501.00008 2501.00009", "too many" },
	};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		struct store_view v = { .query = bad[i][0] };
		struct store_rows r = {0};
		struct lerr e = {0};
		assert_int_equal(store_window(s, &v, NULL, 1, 10, &r, &e), -1);
		assert_int_equal(e.kind, LERR_USAGE);
		if (!strstr(e.msg, bad[i][1]))
			fail_msg("'%s' -> '%s' lacks '%s'", bad[i][0], e.msg, bad[i][1]);
		assert_int_equal(store_count(s, &v, -1, &e), -1);
		assert_int_equal(r.n, 0);
	}
	store_close(&s);
}

/* Schema 6: signatures that lectern 5 kept in http_cache as pseudo-URLs move to sources. */
static void test_migrate_v6_signature(void **state)
{
	(void)state;
	char path[512];
	snprintf(path, sizeof path, "%s", tmp_path("v5sig.db"));
	unlink(path);
	struct lerr e = {0};
	struct store *s = store_open(path, 0, &e);
	assert_non_null(s);
	store_close(&s);
	/* back to what lectern 5 wrote */
	s = downgrade_and_open(path, UNDO_V9 "ALTER TABLE sources DROP COLUMN signature;"
	                        "ALTER TABLE papers DROP COLUMN prov;"
	                        "ALTER TABLE papers DROP COLUMN org_submitter;"
	                        "INSERT INTO sources (name, last_attempt, last_success) VALUES ('arxiv', 5, 5);"
	                        "INSERT INTO http_cache VALUES"
	                        " ('lectern:source-signature:arxiv', '[\"arxiv\",\"u\",\"cs.LG\"]', NULL, 5),"
	                        " ('lectern:source-signature:my feed', '[\"feed\"]', NULL, 5),"
	                        " ('https://x/rss', '\"e1\"', NULL, 5);"
	                        "PRAGMA user_version = 5;");
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), STORE_SCHEMA_VERSION);
	sqlite3_finalize(st);
	char *sig;
	assert_int_equal(store_source_signature_get(s, "arxiv", &sig, &e), 0);
	assert_string_equal(sig, "[\"arxiv\",\"u\",\"cs.LG\"]");
	free(sig);
	assert_int_equal(store_source_signature_get(s, "my feed", &sig, &e), 0);
	assert_string_equal(sig, "[\"feed\"]");
	free(sig);
	assert_int_equal(store_source_signature_get(s, "other", &sig, &e), 0);
	assert_null(sig);
	struct store_source_state ss;
	assert_int_equal(store_source_get(s, "arxiv", &ss, &e), 0);
	assert_int_equal(ss.last_success, 5);   /* the rest of the state is kept */
	store_source_state_clear(&ss);
	/* the pseudo-URL rows are gone; real validators stay */
	assert_int_equal(sqlite3_prepare_v2(s->db, "SELECT count(*) FROM http_cache WHERE url LIKE"
	                                    " 'lectern:%'", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 0);
	sqlite3_finalize(st);
	char *etag;
	assert_int_equal(store_http_get(s, "https://x/rss", &etag, NULL, &e), 0);
	assert_string_equal(etag, "\"e1\"");
	free(etag);
	/* and the API writes the column */
	assert_int_equal(store_source_signature_put(s, "arxiv", "[\"arxiv\"]", &e), 0);
	assert_int_equal(store_source_signature_get(s, "arxiv", &sig, &e), 0);
	assert_string_equal(sig, "[\"arxiv\"]");
	free(sig);
	store_close(&s);
}

/* CJK words inside a title, emoji, the organisation, the AI summary; tag: and has:. */
static void test_search_cjk_org_tags(void **state)
{
	struct store *s = open_mem();
	struct {
		const char *id, *title, *abstract, *org, *summary, *date;
	} d[] = {
		{ "2501.10001", "大規模言語モデルの推論能力に関する研究", "We study reasoning.",
		  "Nanjing University", NULL, "2025-01-01" },
		{ "2501.10002", "GPTモデルと大模型 benchmark", "A benchmark 🚀 for models.",
		  "Google DeepMind", "This paper launches a rocket of a benchmark.", "2025-01-02" },
		{ "2501.10003", "한국어 언어모델 평가", "Korean evaluation ✨.", NULL,
		  "Korean models, evaluated.", "2025-01-03" },
		{ "2501.10004", "Plain English title", "Nothing in CJK here; nanjing is a word.",
		  NULL, NULL, "2025-01-04" },
	};
	for (size_t i = 0; i < ARRAY_LEN(d); i++) {
		struct paper p;
		mk(&p, d[i].id, d[i].title, d[i].abstract, d[i].date);
		paper_add_author(&p, "Li Wei", NULL);
		paper_set(&p.organization, d[i].org);
		paper_set(&p.ai_summary, d[i].summary);
		put(s, &p, NULL, NULL, STORE_INSERTED);
		paper_clear(&p);
	}
	fts_ok(s);
	/* A CJK word inside a run of CJK text: the exact sequence, anywhere. */
	assert_search(s, "大規模", "2501.10001");
	assert_search(s, "言語モデル", "2501.10001");
	assert_search(s, "モデル", "2501.10002 2501.10001");
	assert_search(s, "推論 大規模", "2501.10001");
	assert_search(s, "大模", "2501.10002");          /* 大模型, not 大規模 */
	assert_search(s, "規大", "");                    /* order matters */
	assert_search(s, "ti:研究", "2501.10001");
	assert_search(s, "abs:研究", "");
	assert_search(s, "-モデル", "2501.10004 2501.10003");
	assert_search(s, "gpt", "2501.10002");           /* Latin glued to Katakana */
	assert_search(s, "\"gptモデル\"", "2501.10002");
	assert_search(s, "언어모델", "2501.10003");
	assert_search(s, "모델", "2501.10003");
	assert_search(s, "🚀", "2501.10002");
	assert_search(s, "✨", "2501.10003");
	assert_search(s, "大*", "2501.10002 2501.10001");
	char *r = search(s, STORE_SORT_RELEVANCE, "モデル");
	assert_string_equal(r, "2501.10002 2501.10001");   /* the shorter title first */
	free(r);
	/* The organisation: with the words, and org:; au: stays the authors. */
	assert_search(s, "nanjing", "2501.10004 2501.10001");
	assert_search(s, "org:nanjing", "2501.10001");
	assert_search(s, "organization:\"google deepmind\"", "2501.10002");
	assert_search(s, "organisation:deep*", "2501.10002");
	assert_search(s, "au:nanjing", "");
	assert_search(s, "au:wei org:google", "2501.10002");
	assert_search(s, "-org:google benchmark", "");
	/* The AI summary: with the words and abs:. */
	assert_search(s, "rocket", "2501.10002");
	assert_search(s, "abs:rocket", "2501.10002");
	assert_search(s, "ti:rocket", "");
	assert_search(s, "evaluated", "2501.10003");
	/* A changed organisation or summary is re-indexed (the old text deleted). */
	struct paper p;
	mk(&p, "2501.10001", NULL, NULL, NULL);
	paper_set(&p.organization, "Peking University");
	paper_set(&p.ai_summary, "Reasoning of large models.");
	put(s, &p, NULL, NULL, STORE_UPDATED);
	paper_clear(&p);
	assert_search(s, "org:nanjing", "");
	assert_search(s, "org:peking", "2501.10001");
	assert_search(s, "large", "2501.10001");
	fts_ok(s);

	/* tag: (space-separated tags, letters without case, '#' optional) and has:. */
	assert_int_equal(store_set_tags(s, "2501.10001", "to-read ML", NULL), 0);
	assert_int_equal(store_set_tags(s, "2501.10002", "ml-ops", NULL), 0);
	assert_int_equal(store_set_tags(s, "2501.10003", "survey to-read", NULL), 0);
	assert_int_equal(store_set_note(s, "2501.10003", "read §3", NULL), 0);
	assert_int_equal(store_set_note(s, "2501.10004", "", NULL), 0);
	assert_int_equal(store_set_favourite(s, "2501.10003", true, NULL), 0);
	assert_search(s, "tag:to-read", "2501.10003 2501.10001");
	assert_search(s, "tag:ml", "2501.10001");        /* whole tags: not ml-ops */
	assert_search(s, "tag:#ML", "2501.10001");
	assert_search(s, "tags:ml-ops", "2501.10002");
	assert_search(s, "tag:to-read tag:survey", "2501.10003");
	assert_search(s, "tag:to-read -tag:survey", "2501.10001");
	assert_search(s, "-tag:to-read", "2501.10004 2501.10002");
	assert_search(s, "tag:to-read 모델", "2501.10003");
	assert_search(s, "tag:to-read is:fav", "2501.10003");
	assert_search(s, "tag:to", "");
	assert_search(s, "has:note", "2501.10003");       /* an empty note is none */
	assert_search(s, "-has:note", "2501.10004 2501.10002 2501.10001");
	assert_search(s, "has:tags", "2501.10003 2501.10002 2501.10001");
	assert_search(s, "-has:tags", "2501.10004");
	assert_search(s, "has:note since:2025-01-03", "2501.10003");
	assert_search(s, "has:note after:2025-01-03", "");
	struct store_view favs = { .filter = STORE_VIEW_FAVOURITES, .query = "tag:to-read" };
	assert_int_equal(store_count(s, &favs, -1, NULL), 1);
	r = search(s, STORE_SORT_UPVOTES, "tag:to-read");
	assert_string_equal(r, "2501.10003 2501.10001");
	free(r);
	r = search(s, STORE_SORT_RELEVANCE, "tag:to-read 모델");
	assert_string_equal(r, "2501.10003");
	free(r);
	assert_search(s, "2501.10001 tag:ml", "2501.10001");
	assert_search(s, "2501.10002 tag:ml", "");
	assert_search(s, "2501.10003 has:note", "2501.10003");

	const char *bad[][2] = {
		{ "has:pdf", "has:" }, { "tag:", "needs a value" }, { "tag:#", "one tag" },
		{ "since:2025-13", "date" }, { "until:soon", "date" }, { "-since:2025", "excluded" },
	};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		struct store_view v = { .query = bad[i][0] };
		struct store_rows rows = {0};
		struct lerr e = {0};
		assert_int_equal(store_window(s, &v, NULL, 1, 10, &rows, &e), -1);
		assert_int_equal(e.kind, LERR_USAGE);
		if (!strstr(e.msg, bad[i][1]))
			fail_msg("'%s' says '%s', not '%s'", bad[i][0], e.msg, bad[i][1]);
	}
	store_close(&s);
}

static void test_relevance_and_views(void **state)
{
	struct store *s = search_fixture();
	/* Title hits outrank abstract-only hits, whatever the date. */
	char *ids = search(s, STORE_SORT_RELEVANCE, "network");
	assert_string_equal(ids, "2502.00003 2501.00002");   /* title "Network science" shorter */
	free(ids);
	ids = search(s, STORE_SORT_RELEVANCE, "generative");
	assert_string_equal(ids, "2501.00001");
	free(ids);
	ids = search(s, STORE_SORT_RELEVANCE, "neural");   /* title hit beats abstract hit */
	assert_string_equal(ids, "2501.00002 2502.00003");
	free(ids);
	ids = search(s, STORE_SORT_UPVOTES, "");
	assert_string_equal(ids, "2503.00005 2411.00004 2502.00003 2501.00002 2501.00001");
	free(ids);
	ids = search(s, STORE_SORT_UPVOTES, "cat:cs");
	assert_string_equal(ids, "2503.00005 2411.00004 2501.00002 2501.00001");
	free(ids);
	ids = search(s, STORE_SORT_RELEVANCE, "is:fav");   /* no words: date order */
	assert_string_equal(ids, "2501.00002 2411.00004");
	free(ids);

	struct lerr e = {0};
	struct store_rows r = {0};
	struct store_view v = { .filter = STORE_VIEW_SOURCE, .source = "hf-daily" };
	assert_int_equal(store_window(s, &v, NULL, 1, 10, &r, &e), 0);
	ids = ids_of(&r);
	assert_string_equal(ids, "2503.00005 2502.00003 2501.00001");
	free(ids);
	store_rows_clear(&r);
	v.query = "neural";
	assert_int_equal(store_count(s, &v, -1, &e), 1);
	v = (struct store_view){ .filter = STORE_VIEW_UNREAD, .query = "network" };
	assert_int_equal(store_window(s, &v, NULL, 1, 10, &r, &e), 0);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.v[0].id, "2501.00002");
	assert_true(r.v[0].favourite);
	assert_false(r.v[0].read);
	assert_string_equal(r.v[0].first_author, "Yann LeCun");
	assert_int_equal(r.v[0].n_authors, 1);
	assert_int_equal(r.v[0].upvotes, 10);
	store_rows_clear(&r);
	v = (struct store_view){ .filter = STORE_VIEW_SOURCE };
	assert_int_equal(store_window(s, &v, NULL, 1, 10, &r, &e), -1);
	assert_int_equal(e.kind, LERR_USAGE);
	assert_int_equal(store_count(s, NULL, 3, &e), 3);
	assert_int_equal(store_count(s, NULL, (int64_t)SIZE_MAX, &e), 5);
	store_close(&s);
}

/* ---- windows ------------------------------------------------------------------------------ */

static void check_paging(struct store *s, const struct store_view *v, size_t total)
{
	struct lerr e = {0};
	struct store_rows all = {0};
	assert_int_equal(store_page(s, v, 0, 100000, &all, &e), 0);
	assert_int_equal(all.n, total);
	assert_int_equal(store_count(s, v, -1, &e), (int64_t)total);
	/* Forward by windows of 7 with anchors == store_page at each offset. */
	struct store_key key;
	size_t at = 0;
	for (;;) {
		struct store_rows w = {0}, pg = {0};
		assert_int_equal(store_window(s, v, at ? &key : NULL, 1, 7, &w, &e), 0);
		assert_int_equal(store_page(s, v, at, 7, &pg, &e), 0);
		assert_int_equal(w.n, pg.n);
		for (size_t i = 0; i < w.n; i++) {
			assert_int_equal(w.v[i].rowid, pg.v[i].rowid);
			assert_int_equal(w.v[i].rowid, all.v[at + i].rowid);
		}
		at += w.n;
		size_t n = w.n;
		if (n)
			key = w.v[n - 1].key;
		store_rows_clear(&w);
		store_rows_clear(&pg);
		if (n < 7)
			break;
	}
	assert_int_equal(at, total);
	/* Backward from the end, then from a middle anchor. */
	size_t end = total;
	bool have = false;
	while (end > 0) {
		struct store_rows w = {0};
		assert_int_equal(store_window(s, v, have ? &key : NULL, -1, 5, &w, &e), 0);
		size_t want = end < 5 ? end : 5;
		assert_int_equal(w.n, want);
		for (size_t i = 0; i < w.n; i++)
			assert_int_equal(w.v[i].rowid, all.v[end - want + i].rowid);
		key = w.v[0].key;
		have = true;
		end -= want;
		store_rows_clear(&w);
	}
	struct store_rows w = {0};
	assert_int_equal(store_window(s, v, &key, -1, 5, &w, &e), 0);
	assert_int_equal(w.n, 0);   /* nothing before the first row */
	store_rows_clear(&w);
	store_rows_clear(&all);
}

/* A search inside a day view: the day's papers published within two weeks are searched by one
 * walk of their pk range, others each by rowid; both give the rows of the day view that the same
 * search finds in the whole cache, in the day's order. */
static int day_ids_of(void *ctx, const struct store_row *r)
{
	sbuf_printf(ctx, "%s ", r->id);
	return 0;
}

static void test_day_search(void **state)
{
	(void)state;
	struct store *s = open_mem();
	struct lerr e = {0};
	assert_int_equal(store_begin(s, &e), 0);
	for (int i = 0; i < 24; i++) {
		char id[32], abs[96];
		snprintf(id, sizeof id, "2503.%05d", i);
		snprintf(abs, sizeof abs, "%s words %s", i % 3 ? "alpha" : "gamma",
		         i % 4 ? "delta" : "alphabet beta");
		struct paper p;
		mk(&p, id, i % 5 ? "A title" : "Alpha title", abs, NULL);
		/* day 1: 12 papers of three days; day 2: the same and one of two years before */
		p.published = i == 23 ? day("2023-03-01") : day("2025-03-01") + (i % 12) * 6 * 3600;
		p.upvotes = i;
		p.source_kind = PAPER_SRC_HF;
		put(s, &p, "hf-daily", i < 12 ? "2025-03-05" : "2025-03-06", STORE_INSERTED);
		paper_clear(&p);
	}
	assert_int_equal(store_commit(s, &e), 0);
	static const char *const queries[] = { "alpha", "alpha -beta", "alph*", "alphab*",
	                                       "ti:alpha", "gamma OR beta", "-delta" };
	static const char *const days[] = { "2025-03-05", "2025-03-06" };
	for (size_t d = 0; d < 2; d++)
		for (size_t qi = 0; qi < ARRAY_LEN(queries); qi++)
			for (int sort = 0; sort < 2; sort++) {
				/* want: the day's rows (its own order) that the search finds anywhere */
				struct sbuf all = {0}, day_rows = {0}, want = {0}, got = {0};
				struct store_view v = { .query = queries[qi] };
				assert_int_equal(store_each_row(s, &v, 0, day_ids_of, &all, &e), 0);
				struct store_view dv = { .filter = STORE_VIEW_HF_DAY, .day = days[d],
				                         .sort = sort ? STORE_SORT_RELEVANCE : STORE_SORT_UPVOTES };
				assert_int_equal(store_each_row(s, &dv, 0, day_ids_of, &day_rows, &e), 0);
				for (char *t = strtok(day_rows.s, " "); t; t = strtok(NULL, " ")) {
					char key[40];
					snprintf(key, sizeof key, "%s ", t);
					if (all.s && strstr(all.s, key))
						sbuf_printf(&want, "%s ", t);
				}
				dv.query = queries[qi];
				dv.sort = STORE_SORT_UPVOTES;
				assert_int_equal(store_each_row(s, &dv, 0, day_ids_of, &got, &e), 0);
				if (strcmp(got.s ? got.s : "", want.s ? want.s : ""))
					fail_msg("day %s '%s': got %s want %s", days[d], queries[qi],
					         got.s ? got.s : "", want.s ? want.s : "");
				/* by relevance: the same papers */
				dv.sort = STORE_SORT_RELEVANCE;
				int64_t n = store_count(s, &dv, -1, &e);
				size_t nw = 0;
				for (const char *c = want.s; c && *c; c++)
					nw += *c == ' ';
				assert_int_equal(n, (int64_t)nw);
				sbuf_free(&all);
				sbuf_free(&day_rows);
				sbuf_free(&want);
				sbuf_free(&got);
			}
	/* the old paper is found on its day (the per-rowid path) */
	struct sbuf got = {0};
	assert_int_equal(store_each_row(s, &(struct store_view){ .filter = STORE_VIEW_HF_DAY,
	                                 .day = "2025-03-06", .query = "gamma" }, 0, day_ids_of, &got, &e), 0);
	assert_non_null(strstr(got.s, "2503.00021 "));   /* 21 % 3 == 0: gamma, listed on day 2 */
	sbuf_free(&got);
	store_close(&s);
}

static void test_windows(void **state)
{
	struct store *s = open_mem();
	struct lerr e = {0};
	assert_int_equal(store_begin(s, &e), 0);
	for (int i = 0; i < 60; i++) {
		struct paper p;
		char id[32], abs[128];
		snprintf(id, sizeof id, "2501.%05d", i);
		snprintf(abs, sizeof abs, "common words %s", i % 3 ? "alpha" : "alpha alpha beta");
		mk(&p, id, i % 4 ? "Some title" : "Alpha title", abs, NULL);
		p.published = day("2025-01-01") + (i % 20) * 3600;   /* ties in publication time */
		p.upvotes = i % 7;
		paper_set(&p.hf_day, i % 2 ? "2025-01-02" : "2025-01-03");
		/* a third listed by Daily Papers on their day (what day views read) */
		p.source_kind = i % 3 ? PAPER_SRC_ARXIV : PAPER_SRC_HF;
		put(s, &p, i % 3 ? "arxiv" : "hf-daily", i % 3 ? NULL : p.hf_day, STORE_INSERTED);
		paper_clear(&p);
		if (i % 5 == 0)
			assert_int_equal(store_set_favourite(s, id, true, &e), 0);
	}
	assert_int_equal(store_commit(s, &e), 0);
	struct store_view views[] = {
		{ .sort = STORE_SORT_DATE },
		{ .sort = STORE_SORT_UPVOTES },
		{ .sort = STORE_SORT_RELEVANCE, .query = "alpha" },
		{ .sort = STORE_SORT_UPVOTES, .query = "common" },
		{ .sort = STORE_SORT_DATE, .query = "alpha" },
		{ .filter = STORE_VIEW_FAVOURITES },
		{ .filter = STORE_VIEW_FAVOURITES, .sort = STORE_SORT_RELEVANCE, .query = "alpha" },
		{ .filter = STORE_VIEW_SOURCE, .source = "arxiv" },
		{ .filter = STORE_VIEW_HF_DAY, .day = "2025-01-02", .sort = STORE_SORT_UPVOTES },
		{ .filter = STORE_VIEW_UNREAD, .query = "-beta" },
		{ .filter = STORE_VIEW_HF_DAY, .day = "2025-01-03" },
		{ .filter = STORE_VIEW_HF_DAY, .day = "2025-01-03", .query = "alpha" },
		{ .filter = STORE_VIEW_HF_DAY, .day = "2025-01-03", .sort = STORE_SORT_RELEVANCE,
		  .query = "alpha" },
		{ .filter = STORE_VIEW_SOURCE, .source = "hf-daily", .day = "2025-01-02" },
	};
	size_t totals[] = { 60, 60, 60, 60, 60, 12, 12, 40, 10, 40, 10, 10, 10, 10 };
	for (size_t i = 0; i < ARRAY_LEN(views); i++)
		check_paging(s, &views[i], totals[i]);

	/* Date order really is newest first, ties by rowid. */
	struct store_rows r = {0};
	assert_int_equal(store_page(s, &views[0], 0, 60, &r, &e), 0);
	for (size_t i = 1; i < r.n; i++)
		assert_true(r.v[i - 1].published > r.v[i].published ||
		            (r.v[i - 1].published == r.v[i].published &&
		             r.v[i - 1].rowid > r.v[i].rowid));
	store_rows_clear(&r);
	assert_int_equal(store_page(s, &views[1], 0, 60, &r, &e), 0);
	for (size_t i = 1; i < r.n; i++)
		assert_true(r.v[i - 1].upvotes >= r.v[i].upvotes);
	store_rows_clear(&r);
	assert_int_equal(store_page(s, &views[2], 0, 60, &r, &e), 0);
	for (size_t i = 1; i < r.n; i++)
		assert_true(r.v[i - 1].key.score >= r.v[i].key.score);
	assert_non_null(strstr(r.v[0].title, "Alpha"));
	/* One row can be freed on its own (the UI drops rows off a window); clearing the window
	 * afterwards frees the rest exactly once (ASan checks both). */
	assert_non_null(r.v[1].id);
	store_row_clear(&r.v[1]);
	assert_null(r.v[1].id);
	assert_null(r.v[1].title);
	assert_null(r.v[1].first_author);
	assert_null(r.v[1].organization);
	store_row_clear(&r.v[1]);
	store_row_clear(NULL);
	assert_non_null(r.v[2].id);
	store_rows_clear(&r);

	char d[16];
	assert_int_equal(store_hf_day_step(s, "2025-01-03", -1, d, sizeof d, &e), 1);
	assert_string_equal(d, "2025-01-02");
	assert_int_equal(store_hf_day_step(s, "2025-01-02", -1, d, sizeof d, &e), 0);
	assert_int_equal(store_hf_day_step(s, "2025-01-02", 1, d, sizeof d, &e), 1);
	assert_string_equal(d, "2025-01-03");
	assert_int_equal(store_hf_day_step(s, NULL, -1, d, sizeof d, &e), 1);
	assert_string_equal(d, "2025-01-03");
	store_close(&s);
}

/* ---- listings drive the listing views ------------------------------------------------------ */

/* Stores paper id as listed by source on day at pos (type, url as given). */
static void list_one(struct store *s, const char *id, int64_t upvotes, int version,
                     enum paper_source_kind kind, const char *src, const char *d, int64_t pos,
                     enum paper_announce type, const char *url)
{
	struct paper p;
	struct lerr e = {0};
	mk(&p, id, "A title", "words", "2025-01-01");
	p.upvotes = upvotes;
	p.version = version;
	p.source_kind = kind;
	if (kind == PAPER_SRC_HF)
		paper_set(&p.hf_day, d);   /* what HF says: the newest listing day overwrites it */
	struct store_listing l = { .source = src, .day = d, .position = pos, .type = type,
	                           .url = url };
	if (store_upsert(s, &p, &l, NULL, &e) != 0)
		fail_msg("upsert %s: %s", id, e.msg);
	paper_clear(&p);
}

static char *view_ids(struct store *s, const struct store_view *v)
{
	struct store_rows r = {0};
	struct lerr e = {0};
	if (store_window(s, v, NULL, 1, 100, &r, &e) != 0)
		fail_msg("window: %s", e.msg);
	char *ids = ids_of(&r);
	store_rows_clear(&r);
	return ids;
}

#define VIEW_IS(s, v, want)                         \
	do {                                            \
		char *got_ = view_ids((s), (v));            \
		assert_string_equal(got_, (want));          \
		free(got_);                                 \
	} while (0)

/* A day that re-lists papers shown on earlier days keeps them on every day, each day in its
 * source's order (or by upvotes); day stepping walks the listed days. */
static void test_listings_days(void **state)
{
	(void)state;
	struct store *s = open_mem();
	struct lerr e = {0};
	enum paper_source_kind hf = PAPER_SRC_HF;
	list_one(s, "2501.00001", 5, 1, hf, "hf-daily", "2025-01-02", 0, 0, NULL);
	list_one(s, "2501.00002", 50, 1, hf, "hf-daily", "2025-01-02", 1, 0, NULL);
	list_one(s, "2501.00003", 9, 1, hf, "hf-daily", "2025-01-02", 2, 0, NULL);
	/* the next day re-lists 3 and 1 around a new paper */
	list_one(s, "2501.00003", 9, 1, hf, "hf-daily", "2025-01-03", 0, 0, NULL);
	list_one(s, "2501.00004", 1, 1, hf, "hf-daily", "2025-01-03", 1, 0, NULL);
	list_one(s, "2501.00001", 5, 1, hf, "hf-daily", "2025-01-03", 2, 0, NULL);
	/* a second Daily Papers source listing the same paper that day shows it once */
	list_one(s, "2501.00004", 1, 1, hf, "hf-mirror", "2025-01-03", 0, 0, NULL);
	/* an arXiv listing of the same day is not a Daily Papers one */
	list_one(s, "2501.00005", 1, 1, PAPER_SRC_ARXIV, "arxiv", "2025-01-03", 0, 0, NULL);

	struct store_view v = { .filter = STORE_VIEW_HF_DAY, .day = "2025-01-02" };
	VIEW_IS(s, &v, "2501.00001 2501.00002 2501.00003");
	assert_int_equal(store_count(s, &v, -1, &e), 3);
	v.day = "2025-01-03";
	VIEW_IS(s, &v, "2501.00003 2501.00004 2501.00001");
	assert_int_equal(store_count(s, &v, -1, &e), 3);
	v.sort = STORE_SORT_UPVOTES;
	VIEW_IS(s, &v, "2501.00003 2501.00001 2501.00004");
	v.day = "2025-01-02";
	VIEW_IS(s, &v, "2501.00002 2501.00003 2501.00001");
	v = (struct store_view){ .filter = STORE_VIEW_SOURCE, .source = "hf-daily",
	                         .day = "2025-01-03" };
	VIEW_IS(s, &v, "2501.00003 2501.00004 2501.00001");
	v.source = "arxiv";
	VIEW_IS(s, &v, "2501.00005");

	/* positions are kept; a refetch of the same listing states them anew */
	list_one(s, "2501.00004", 1, 1, hf, "hf-daily", "2025-01-03", 5, 0, NULL);
	v = (struct store_view){ .filter = STORE_VIEW_HF_DAY, .day = "2025-01-03" };
	VIEW_IS(s, &v, "2501.00003 2501.00001 2501.00004");

	char d[16];
	assert_int_equal(store_hf_day_step(s, "9999-12-31", -1, d, sizeof d, &e), 1);
	assert_string_equal(d, "2025-01-03");
	assert_int_equal(store_hf_day_step(s, d, -1, d, sizeof d, &e), 1);
	assert_string_equal(d, "2025-01-02");
	assert_int_equal(store_hf_day_step(s, d, -1, d, sizeof d, &e), 0);
	assert_int_equal(store_hf_day_step(s, "2025-01-02", 1, d, sizeof d, &e), 1);
	assert_string_equal(d, "2025-01-03");
	store_close(&s);
}

/* A feed's own link to a paper (a blog post about it) is kept with its listing and joins the
 * paper's links once, after the fixed ones; arXiv's text stays. */
static void test_listing_links(void **state)
{
	(void)state;
	struct store *s = open_mem();
	struct lerr e = {0};
	list_one(s, "2411.00001", -1, 1, PAPER_SRC_ARXIV, "arxiv", "2024-11-28", 0, PAPER_ANN_NEW,
	         "https://arxiv.org/abs/2411.00001");
	list_one(s, "2411.00001", -1, 1, PAPER_SRC_FEED, "blog", "2024-11-30", 0, 0,
	         "https://blog.example/2024/11/reading-group");
	list_one(s, "2411.00001", -1, 1, PAPER_SRC_FEED, "blog2", "2024-12-01", 0, 0,
	         "https://blog.example/2024/11/reading-group");
	struct paper g;
	assert_int_equal(store_get(s, "2411.00001", &g, &e), 0);
	/* each listing's link once (arXiv's own is its abstract page) */
	assert_non_null(g.listing_url);
	assert_true(util_has_line(g.listing_url, "https://blog.example/2024/11/reading-group"));
	assert_true(util_has_line(g.listing_url, "https://arxiv.org/abs/2411.00001"));
	assert_false(util_has_line(g.listing_url, "https://blog.example/"));
	assert_int_equal(strlen(g.listing_url), strlen("https://blog.example/2024/11/reading-group\n"
	                                               "https://arxiv.org/abs/2411.00001"));
	size_t n;
	struct paper_link *l = paper_links(&g, &n);
	assert_int_equal(n, 3);   /* abstract page, PDF (from the id), the blog's post */
	assert_string_equal(l[0].url, "https://arxiv.org/abs/2411.00001");
	assert_string_equal(l[2].url, "https://blog.example/2024/11/reading-group");
	free(l);
	paper_clear(&g);
	store_close(&s);
}

/* arXiv's announce types live on the listing: is:new, is:cross, is:replaced read the view's
 * listing (elsewhere the latest), rows carry the replacement mark, hide_replacements hides
 * them in listing views. new and replace come from the real feed; the rarer cross and
 * replace-cross are synthesised here. */
static void test_listings_types(void **state)
{
	(void)state;
	struct store *s = open_mem();
	struct lerr e = {0};
	enum paper_source_kind ax = PAPER_SRC_ARXIV;
	list_one(s, "2411.00001", -1, 1, ax, "arxiv", "2024-11-28", 0, PAPER_ANN_NEW,
	         "https://arxiv.org/abs/2411.00001");
	list_one(s, "2411.00002", -1, 1, ax, "arxiv", "2024-11-28", 1, PAPER_ANN_CROSS, NULL);
	list_one(s, "2301.00003", -1, 3, ax, "arxiv", "2024-11-28", 2, PAPER_ANN_REPLACE, NULL);
	list_one(s, "2301.00004", -1, 2, ax, "arxiv", "2024-11-28", 3, PAPER_ANN_REPLACE_CROSS,
	         NULL);
	/* the next day: 2411.00001 replaced, the cross-list announced new elsewhere */
	list_one(s, "2411.00001", -1, 2, ax, "arxiv", "2024-11-29", 0, PAPER_ANN_REPLACE, NULL);

	struct store_view v = { .filter = STORE_VIEW_SOURCE, .source = "arxiv",
	                        .day = "2024-11-28" };
	VIEW_IS(s, &v, "2411.00001 2411.00002 2301.00003 2301.00004");
	v.query = "is:new";
	VIEW_IS(s, &v, "2411.00001");
	v.query = "is:cross";
	VIEW_IS(s, &v, "2411.00002 2301.00004");
	v.query = "is:replaced";
	VIEW_IS(s, &v, "2301.00003 2301.00004");
	v.query = "-is:replaced";
	VIEW_IS(s, &v, "2411.00001 2411.00002");
	v.query = "is:new OR is:cross";
	VIEW_IS(s, &v, "2411.00001 2411.00002 2301.00004");
	v.query = NULL;
	v.hide_replacements = true;
	VIEW_IS(s, &v, "2411.00001 2411.00002");
	assert_int_equal(store_count(s, &v, -1, &e), 2);

	/* the replacement mark and version on the rows */
	v.hide_replacements = false;
	struct store_rows r = {0};
	assert_int_equal(store_window(s, &v, NULL, 1, 10, &r, &e), 0);
	assert_int_equal(r.n, 4);
	assert_false(r.v[0].replaced);
	assert_true(r.v[2].replaced);
	assert_int_equal(r.v[2].version, 3);
	assert_true(r.v[3].replaced);
	store_rows_clear(&r);

	/* the next day's listing of the same source; elsewhere the paper's latest listing */
	v.day = "2024-11-29";
	v.query = "is:replaced";
	VIEW_IS(s, &v, "2411.00001");
	struct store_view all = { .query = "is:new" };
	VIEW_IS(s, &all, "");   /* 2411.00001's latest listing is its replacement */
	all.query = "is:replaced";
	VIEW_IS(s, &all, "2301.00004 2301.00003 2411.00001");
	struct store_view src = { .filter = STORE_VIEW_SOURCE, .source = "arxiv",
	                          .hide_replacements = true };
	VIEW_IS(s, &src, "2411.00002");

	/* the listing keeps the source's own link */
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(s->db, "SELECT url, position, type FROM listings"
	                                    " WHERE day = '2024-11-28' AND position = 0",
	                                    -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0),
	                    "https://arxiv.org/abs/2411.00001");
	assert_int_equal(sqlite3_column_int(st, 2), PAPER_ANN_NEW);
	sqlite3_finalize(st);
	assert_int_equal(paper_announce_parse("Replace-Cross"), PAPER_ANN_REPLACE_CROSS);
	assert_int_equal(paper_announce_parse("new"), PAPER_ANN_NEW);
	assert_int_equal(paper_announce_parse("other"), PAPER_ANN_UNKNOWN);
	assert_int_equal(paper_announce_parse(NULL), PAPER_ANN_UNKNOWN);
	store_close(&s);
}

/* A version-8 cache migrates without loss: every listing kept, the Daily Papers ones (their
 * source mostly lists papers on their hf_day) found by the day view, positions unknown
 * (upvotes order), the hf_day indexes gone. */
static void test_migrate_v8_listings(void **state)
{
	(void)state;
	char path[512];
	snprintf(path, sizeof path, "%s", tmp_path("v8.db"));
	unlink(path);
	struct lerr e = {0};
	struct store *s = store_open(path, 0, &e);
	assert_non_null(s);
	enum paper_source_kind hf = PAPER_SRC_HF;
	list_one(s, "2501.00001", 5, 1, hf, "hf-daily", "2025-01-02", 0, 0, NULL);
	list_one(s, "2501.00002", 50, 1, hf, "hf-daily", "2025-01-02", 1, 0, NULL);
	list_one(s, "2501.00003", 9, 1, hf, "hf-daily", "2025-01-03", 0, 0, NULL);
	list_one(s, "2501.00001", 5, 1, hf, "hf-daily", "2025-01-03", 1, 0, NULL);   /* re-listed */
	list_one(s, "2501.00004", 1, 1, PAPER_SRC_ARXIV, "arxiv", "2025-01-03", 0, 0, NULL);
	store_close(&s);
	s = downgrade_and_open(path, UNDO_V9 "PRAGMA user_version = 8;");
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(s->db, "SELECT (SELECT user_version FROM"
	                                    " pragma_user_version), (SELECT count(*) FROM listings),"
	                                    " (SELECT count(*) FROM listings WHERE kind = 3),"
	                                    " (SELECT count(*) FROM sqlite_schema WHERE name LIKE"
	                                    " 'papers_hf_day%')", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), STORE_SCHEMA_VERSION);
	assert_int_equal(sqlite3_column_int(st, 1), 5);
	assert_int_equal(sqlite3_column_int(st, 2), 4);
	assert_int_equal(sqlite3_column_int(st, 3), 0);
	sqlite3_finalize(st);
	/* 2501.00001's hf_day is 2025-01-03 now, yet it stays on 2025-01-02 */
	struct store_view v = { .filter = STORE_VIEW_HF_DAY, .day = "2025-01-02" };
	VIEW_IS(s, &v, "2501.00002 2501.00001");   /* no positions: by upvotes */
	v.day = "2025-01-03";
	VIEW_IS(s, &v, "2501.00003 2501.00001");
	struct paper p;
	assert_int_equal(store_get(s, "2501.00001", &p, &e), 0);
	assert_string_equal(p.listings, "hf-daily 2025-01-03\nhf-daily 2025-01-02");
	paper_clear(&p);
	store_close(&s);
	unlink(path);
}

/* A hidden paper leaves every view and search (all, a day, a source, favourites, unread,
 * relevance, upvotes, counts, each) but is:hidden, --hidden (STORE_HIDDEN_IN) and X
 * (STORE_HIDDEN_ONLY); a favourite cannot be hidden, and making one a favourite unhides it. */
static void test_hidden(void **state)
{
	(void)state;
	struct store *s = open_mem();
	struct lerr e = {0};
	enum paper_source_kind ax = PAPER_SRC_ARXIV;
	list_one(s, "2501.00001", 5, 1, ax, "arxiv", "2025-01-02", 0, PAPER_ANN_NEW, NULL);
	list_one(s, "2501.00002", 9, 1, ax, "arxiv", "2025-01-02", 1, PAPER_ANN_NEW, NULL);
	list_one(s, "2501.00003", 7, 1, ax, "arxiv", "2025-01-02", 2, PAPER_ANN_NEW, NULL);
	assert_int_equal(store_set_hidden(s, "2501.00002v1", true, &e), 0);
	struct paper p;
	assert_int_equal(store_get(s, "2501.00002", &p, &e), 0);
	assert_true(p.hidden);
	paper_clear(&p);

	struct store_view v = { .filter = STORE_VIEW_ALL, .query = "title" };
	VIEW_IS(s, &v, "2501.00003 2501.00001");
	v.sort = STORE_SORT_RELEVANCE;
	VIEW_IS(s, &v, "2501.00003 2501.00001");
	v.sort = STORE_SORT_UPVOTES;
	v.query = NULL;
	VIEW_IS(s, &v, "2501.00003 2501.00001");
	assert_int_equal(store_count(s, &v, INT64_MAX, &e), 2);
	v = (struct store_view){ .filter = STORE_VIEW_SOURCE, .source = "arxiv", .day = "2025-01-02" };
	VIEW_IS(s, &v, "2501.00001 2501.00003");
	v.day = NULL;
	VIEW_IS(s, &v, "2501.00003 2501.00001");
	v = (struct store_view){ .filter = STORE_VIEW_UNREAD, .query = "is:new id:2501.00002" };
	VIEW_IS(s, &v, "");
	/* brought back: by is:hidden (also inside an OR), --hidden and X */
	v = (struct store_view){ .filter = STORE_VIEW_ALL, .query = "is:hidden" };
	VIEW_IS(s, &v, "2501.00002");
	v.query = "is:hidden OR id:2501.00001";
	VIEW_IS(s, &v, "2501.00002 2501.00001");
	v.query = "-is:hidden";
	VIEW_IS(s, &v, "2501.00003 2501.00001");
	v.query = NULL;
	v.hidden = STORE_HIDDEN_IN;
	VIEW_IS(s, &v, "2501.00003 2501.00002 2501.00001");
	v.hidden = STORE_HIDDEN_ONLY;
	VIEW_IS(s, &v, "2501.00002");
	struct store_rows r = {0};
	assert_int_equal(store_window(s, &v, NULL, 1, 10, &r, &e), 0);
	assert_true(r.n == 1 && r.v[0].hidden);
	store_rows_clear(&r);
	v = (struct store_view){ .filter = STORE_VIEW_SOURCE, .source = "arxiv", .day = "2025-01-02",
	                         .hidden = STORE_HIDDEN_ONLY };
	VIEW_IS(s, &v, "2501.00002");

	/* a favourite cannot be hidden; a hidden paper made a favourite is shown again */
	assert_int_equal(store_set_favourite(s, "2501.00001", true, &e), 0);
	assert_int_equal(store_set_hidden(s, "2501.00001", true, &e), -1);
	assert_int_equal(e.kind, LERR_USAGE);
	assert_non_null(strstr(e.msg, "a favourite cannot be hidden"));
	e = (struct lerr){0};
	assert_int_equal(store_set_favourite(s, "2501.00002", true, &e), 0);
	v = (struct store_view){ .filter = STORE_VIEW_ALL };
	VIEW_IS(s, &v, "2501.00003 2501.00002 2501.00001");
	assert_int_equal(store_set_favourite(s, "2501.00002", false, &e), 0);
	assert_int_equal(store_set_hidden(s, "2501.00003", true, &e), 0);
	assert_int_equal(store_set_hidden(s, "2501.00003", false, &e), 0);
	VIEW_IS(s, &v, "2501.00003 2501.00002 2501.00001");
	store_close(&s);
}

/* Watches: an author by name key ("Y. Bengio" is Yoshua Bengio, not Samy Bengio), words in a
 * row in the title or abstract, a category; is:watched and the view flag find all of them and
 * nothing else, rows carry the mark; a config watch cannot be removed. */
static void put_authors(struct store *s, const char *id, const char *title, const char *abs,
                        const char *cats, const char *a1, const char *a2)
{
	struct paper p;
	struct lerr e = {0};
	mk(&p, id, title, abs, "2025-01-01");
	paper_set(&p.categories, cats);
	paper_add_author(&p, a1, NULL);
	if (a2)
		paper_add_author(&p, a2, NULL);
	if (store_upsert(s, &p, NULL, NULL, &e) != 0)
		fail_msg("upsert %s: %s", id, e.msg);
	paper_clear(&p);
}

static void test_watches(void **state)
{
	(void)state;
	struct store *s = open_mem();
	struct lerr e = {0};
	put_authors(s, "2501.00001", "Deep nets", "We train.", "cs.LG", "Yoshua Bengio", "Ada L");
	put_authors(s, "2501.00002", "Other nets", "We test.", "cs.LG", "Samy Bengio", NULL);
	put_authors(s, "2501.00003", "Graphs", "Mixture of experts routing.", "cs.DS", "A. Turing", NULL);
	put_authors(s, "2501.00004", "Experts", "Routing a mixture.", "q-bio.GN", "B. Hopper", NULL);
	put_authors(s, "2501.00005", "Plain", "Nothing here.", "math.AG", "Y. Bengio", NULL);
	struct store_view v = { .filter = STORE_VIEW_ALL, .query = "is:watched" };
	VIEW_IS(s, &v, "");   /* no watch: nothing */
	assert_int_equal(store_watch_add(s, STORE_WATCH_AUTHOR, "Y. Bengio", &e), 0);
	VIEW_IS(s, &v, "2501.00005 2501.00001");
	assert_int_equal(store_watch_add(s, STORE_WATCH_WORD, "mixture of experts", &e), 0);
	VIEW_IS(s, &v, "2501.00005 2501.00003 2501.00001");   /* not "routing a mixture" */
	store_watch_config(s, STORE_WATCH_CAT, "q-bio.GN");
	VIEW_IS(s, &v, "2501.00005 2501.00004 2501.00003 2501.00001");
	v.query = "-is:watched";
	VIEW_IS(s, &v, "2501.00002");
	v.query = "is:watched OR id:2501.00002";
	VIEW_IS(s, &v, "2501.00005 2501.00004 2501.00003 2501.00002 2501.00001");
	v = (struct store_view){ .filter = STORE_VIEW_ALL, .watched = true, .query = "cat:cs" };
	VIEW_IS(s, &v, "2501.00003 2501.00001");
	struct store_rows r = {0};
	v = (struct store_view){ .filter = STORE_VIEW_ALL };
	assert_int_equal(store_window(s, &v, NULL, 1, 10, &r, &e), 0);
	assert_int_equal(r.n, 5);
	for (size_t i = 0; i < r.n; i++)
		assert_int_equal(r.v[i].watched, strcmp(r.v[i].id, "2501.00002") != 0);
	store_rows_clear(&r);
	struct store_watch *w;
	size_t n;
	assert_int_equal(store_watch_list(s, &w, &n, &e), 0);
	assert_int_equal(n, 3);
	assert_true(w[0].config && w[0].kind == STORE_WATCH_CAT && !strcmp(w[0].value, "q-bio.GN"));
	assert_false(w[1].config);
	store_watches_free(w, n);
	assert_int_equal(store_watch_remove(s, STORE_WATCH_CAT, "q-bio.GN", &e), -1);
	assert_int_equal(e.kind, LERR_USAGE);
	assert_non_null(strstr(e.msg, "edit it there"));
	assert_int_equal(store_watch_remove(s, STORE_WATCH_AUTHOR, "J. Nobody", &e), -1);
	assert_int_equal(e.kind, LERR_NOTFOUND);
	assert_int_equal(store_watch_remove(s, STORE_WATCH_AUTHOR, "Y. Bengio", &e), 0);
	v = (struct store_view){ .filter = STORE_VIEW_ALL, .query = "is:watched" };
	VIEW_IS(s, &v, "2501.00004 2501.00003");
	store_close(&s);
}

/* A version-11 cache migrates to 12: nothing lost, no paper withdrawn, no checkpoint yet; then a
 * paper marked withdrawn keeps its text and user state, and says so in store_get and the rows. */
static void test_migrate_v11_withdrawn(void **state)
{
	(void)state;
	char path[512];
	snprintf(path, sizeof path, "%s", tmp_path("v11.db"));
	unlink(path);
	struct lerr e = {0};
	struct store *s = store_open(path, 0, &e);
	assert_non_null(s);
	list_one(s, "2501.00001", 5, 1, PAPER_SRC_ARXIV, "arxiv", "2025-01-02", 0, 0, NULL);
	list_one(s, "2501.00002", 5, 1, PAPER_SRC_ARXIV, "arxiv", "2025-01-02", 1, 0, NULL);
	assert_int_equal(store_set_favourite(s, "2501.00001", true, &e), 0);
	assert_int_equal(store_set_note(s, "2501.00001", "keep me", &e), 0);
	store_close(&s);
	s = downgrade_and_open(path, UNDO_V12 "PRAGMA user_version = 11;");
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(s->db, "SELECT (SELECT user_version FROM"
	                                    " pragma_user_version), (SELECT count(*) FROM papers),"
	                                    " (SELECT sum(withdrawn) FROM papers),"
	                                    " (SELECT count(*) FROM harvest)", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), STORE_SCHEMA_VERSION);
	assert_int_equal(sqlite3_column_int(st, 1), 2);
	assert_int_equal(sqlite3_column_int(st, 2), 0);
	assert_int_equal(sqlite3_column_int(st, 3), 0);
	sqlite3_finalize(st);

	struct paper p;
	assert_int_equal(store_get(s, "2501.00001", &p, &e), 0);
	assert_false(p.withdrawn);
	char *title = xstrdup(p.title);
	paper_clear(&p);
	bool found = false;
	assert_int_equal(store_set_withdrawn(s, "2501.00001v3", true, &found, &e), 0);
	assert_true(found);
	assert_int_equal(store_set_withdrawn(s, "2501.09999", true, &found, &e), 0);
	assert_false(found);
	assert_int_equal(store_get(s, "2501.00001", &p, &e), 0);
	assert_true(p.withdrawn);
	assert_true(p.favourite);
	assert_string_equal(p.note, "keep me");
	assert_string_equal(p.title, title);
	paper_clear(&p);
	free(title);
	struct store_view v = { .filter = STORE_VIEW_ALL };
	struct store_rows r = {0};
	assert_int_equal(store_window(s, &v, NULL, 1, 10, &r, &e), 0);
	assert_int_equal(r.n, 2);
	for (size_t i = 0; i < r.n; i++)
		assert_int_equal(r.v[i].withdrawn, strcmp(r.v[i].id, "2501.00001") == 0);
	store_rows_clear(&r);
	store_close(&s);
	unlink(path);
}

/* The harvest checkpoint: absent, written, replaced, and inside a transaction all or nothing. */
static void test_harvest_checkpoint(void **state)
{
	(void)state;
	struct lerr e = {0};
	struct store *s = store_open(":memory:", 0, &e);
	assert_non_null(s);
	struct store_harvest h;
	assert_int_equal(store_harvest_get(s, "oai", &h, &e), 0);
	assert_null(h.spec);
	assert_null(h.token);
	assert_null(h.datestamp);
	char spec[] = "u cs arXivRaw", token[] = "verb%3DListRecords%26skip%3D3";
	char day1[] = "2024-03-05", day2[] = "2024-03-06";
	struct store_harvest w = { .spec = spec, .token = token, .datestamp = day1 };
	assert_int_equal(store_harvest_put(s, "oai", &w, &e), 0);
	assert_int_equal(store_harvest_get(s, "oai", &h, &e), 0);
	assert_string_equal(h.spec, "u cs arXivRaw");
	assert_string_equal(h.token, w.token);
	assert_string_equal(h.datestamp, "2024-03-05");
	assert_true(h.updated_at > 0);
	store_harvest_clear(&h);
	/* a rolled-back page takes its checkpoint with it */
	assert_int_equal(store_begin(s, &e), 0);
	w.token = NULL;
	w.datestamp = day2;
	assert_int_equal(store_harvest_put(s, "oai", &w, &e), 0);
	store_rollback(s);
	assert_int_equal(store_harvest_get(s, "oai", &h, &e), 0);
	assert_string_equal(h.datestamp, "2024-03-05");
	assert_non_null(h.token);
	store_harvest_clear(&h);
	assert_int_equal(store_harvest_put(s, "oai", &w, &e), 0);   /* the list is complete */
	assert_int_equal(store_harvest_get(s, "oai", &h, &e), 0);
	assert_null(h.token);
	assert_string_equal(h.datestamp, "2024-03-06");
	store_harvest_clear(&h);
	store_close(&s);
}

/* A version-9 cache migrates to 10 keeping every user state; nothing is hidden, and hiding
 * works at once. */
static void test_migrate_v9_hidden(void **state)
{
	(void)state;
	char path[600];
	snprintf(path, sizeof path, "%s", tmp_path("v9.db"));
	unlink(path);
	struct lerr e = {0};
	struct store *s = store_open(path, 0, &e);
	assert_non_null(s);
	list_one(s, "2501.00001", 5, 1, PAPER_SRC_ARXIV, "arxiv", "2025-01-02", 0, 0, NULL);
	list_one(s, "2501.00002", 5, 1, PAPER_SRC_ARXIV, "arxiv", "2025-01-02", 1, 0, NULL);
	assert_int_equal(store_set_favourite(s, "2501.00001", true, &e), 0);
	assert_int_equal(store_set_note(s, "2501.00002", "later", &e), 0);
	store_close(&s);
	s = downgrade_and_open(path, UNDO_V10 "; PRAGMA user_version = 9;");
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(s->db, "SELECT (SELECT user_version FROM"
	                                    " pragma_user_version), (SELECT count(*) FROM"
	                                    " user_state WHERE hidden), (SELECT count(*) FROM"
	                                    " rank_scores) + (SELECT count(*) FROM watches)",
	                                    -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), STORE_SCHEMA_VERSION);
	assert_int_equal(sqlite3_column_int(st, 1), 0);
	assert_int_equal(sqlite3_column_int(st, 2), 0);
	sqlite3_finalize(st);
	struct paper p;
	assert_int_equal(store_get(s, "2501.00002", &p, &e), 0);
	assert_string_equal(p.note, "later");
	assert_false(p.hidden);
	paper_clear(&p);
	assert_int_equal(store_set_hidden(s, "2501.00002", true, &e), 0);
	struct store_view v = { .filter = STORE_VIEW_ALL };
	VIEW_IS(s, &v, "2501.00001");
	store_close(&s);
	unlink(path);
}

/* ---- store_row.has_note: the list's ✎ comes from the row queries ----------------------------- */

/* The row of `id` in a window of view v (fails when absent); copies its flags out. */
static bool row_flags(struct store *s, const struct store_view *v, const char *id, bool *fav,
                      bool *read, bool *note)
{
	struct store_rows r = {0};
	struct lerr e = {0};
	if (store_window(s, v, NULL, 1, 50, &r, &e) != 0)
		fail_msg("window: %s", e.msg);
	bool found = false;
	for (size_t i = 0; i < r.n; i++)
		if (strcmp(r.v[i].id, id) == 0) {
			*fav = r.v[i].favourite;
			*read = r.v[i].read;
			*note = r.v[i].has_note;
			found = true;
		}
	store_rows_clear(&r);
	return found;
}

static void test_row_has_note(void **state)
{
	struct store *s = open_mem();
	struct lerr e = {0};
	for (int i = 0; i < 8; i++) {
		struct paper p;
		char id[32];
		snprintf(id, sizeof id, "2502.%05d", i);
		mk(&p, id, "Noted title", "gamma words", NULL);
		p.published = day("2025-02-01") + i * 3600;
		p.upvotes = i;
		put(s, &p, "arxiv", NULL, STORE_INSERTED);
		paper_clear(&p);
	}
	/* every combination of favourite / read / note on papers 0..7 (bit 0, 1, 2 of i) */
	for (int i = 0; i < 8; i++) {
		char id[32];
		snprintf(id, sizeof id, "2502.%05d", i);
		if (i & 1)
			assert_int_equal(store_set_favourite(s, id, true, &e), 0);
		if (i & 2)
			assert_int_equal(store_set_read(s, id, true, &e), 0);
		if (i & 4)
			assert_int_equal(store_set_note(s, id, "see section 3", &e), 0);
	}
	struct store_view views[] = {
		{ .sort = STORE_SORT_DATE },
		{ .sort = STORE_SORT_UPVOTES },
		{ .sort = STORE_SORT_RELEVANCE, .query = "gamma" },     /* ranked candidates */
		{ .filter = STORE_VIEW_SOURCE, .source = "arxiv" },
	};
	for (size_t v = 0; v < ARRAY_LEN(views); v++)
		for (int i = 0; i < 8; i++) {
			char id[32];
			bool fav, read, note;
			snprintf(id, sizeof id, "2502.%05d", i);
			assert_true(row_flags(s, &views[v], id, &fav, &read, &note));
			assert_int_equal(fav, (i & 1) != 0);
			assert_int_equal(read, (i & 2) != 0);
			assert_int_equal(note, (i & 4) != 0);
		}
	/* store_page fills it too */
	struct store_rows r = {0};
	assert_int_equal(store_page(s, &views[0], 0, 8, &r, &e), 0);
	assert_int_equal(r.n, 8);
	for (size_t i = 0; i < r.n; i++)   /* newest first: row i is paper 7 - i */
		assert_int_equal(r.v[i].has_note, ((7 - i) & 4) != 0);
	store_rows_clear(&r);

	/* set on a paper with no user state at all, then cleared (NULL and empty): the other
	 * flags stay */
	bool fav, read, note;
	struct store_view all = { .sort = STORE_SORT_DATE };
	assert_int_equal(store_set_note(s, "2502.00000", "first", &e), 0);
	assert_true(row_flags(s, &all, "2502.00000", &fav, &read, &note));
	assert_true(note);
	assert_false(fav);
	assert_false(read);
	assert_int_equal(store_set_note(s, "2502.00000", NULL, &e), 0);
	assert_true(row_flags(s, &all, "2502.00000", &fav, &read, &note));
	assert_false(note);
	assert_int_equal(store_set_note(s, "2502.00007", "", &e), 0);
	assert_true(row_flags(s, &all, "2502.00007", &fav, &read, &note));
	assert_false(note);
	assert_true(fav);
	assert_true(read);
	/* tags are not a note */
	assert_int_equal(store_set_tags(s, "2502.00003", "ml", &e), 0);
	assert_true(row_flags(s, &all, "2502.00003", &fav, &read, &note));
	assert_false(note);
	assert_true(fav);
	assert_true(read);
	/* has:note agrees with the rows: exactly 4, 5, 6 are left with a note */
	struct store_view noted = { .sort = STORE_SORT_DATE, .query = "has:note" };
	assert_int_equal(store_window(s, &noted, NULL, 1, 50, &r, &e), 0);
	assert_int_equal(r.n, 3);
	for (size_t i = 0; i < r.n; i++)
		assert_true(r.v[i].has_note);
	store_rows_clear(&r);
	store_close(&s);
}

/* ---- long prefixes: the rewrite to the indexed 3-letter prefix + exact check ------------- */

/* Every row of the view (ids, keys) by windows of 7 from anchors, and the count. */
static char *all_rows(struct store *s, const struct store_view *v, int64_t *count)
{
	struct sbuf b = {0};
	struct store_key key;
	bool have = false;
	for (;;) {
		struct store_rows r = {0};
		struct lerr e = {0};
		if (store_window(s, v, have ? &key : NULL, 1, 7, &r, &e) != 0)
			fail_msg("'%s': %s", v->query, e.msg);
		for (size_t i = 0; i < r.n; i++)
			sbuf_printf(&b, "%s:%.6f ", r.v[i].id, r.v[i].key.score);
		size_t n = r.n;
		if (n) {
			key = r.v[n - 1].key;
			have = true;
		}
		store_rows_clear(&r);
		if (n < 7)
			break;
	}
	*count = store_count(s, v, -1, NULL);
	return b.s ? sbuf_steal(&b) : xstrdup("");
}

static void test_long_prefix(void **state)
{
	struct store *s = open_mem();
	struct lerr e = {0};
	static const char *const words[] = { "model", "models", "modern", "mode", "modular",
	                                     "modulation", "Modèle", "MODELLING", "mod", "mo",
	                                     "remodel", "data", "dataset", "date", "neural" };
	assert_int_equal(store_begin(s, &e), 0);
	uint32_t rnd = 12345;
	for (int i = 0; i < 400; i++) {
		char id[32], title[200] = "", abs[400] = "", au[64];
		for (int k = 0; k < 3; k++) {
			rnd = rnd * 1103515245 + 12345;
			strcat(title, words[(rnd >> 16) % ARRAY_LEN(words)]);
			strcat(title, k < 2 ? " " : "");
		}
		for (int k = 0; k < 12; k++) {
			rnd = rnd * 1103515245 + 12345;
			strcat(abs, (rnd >> 16) % 3 ? "filler" : words[(rnd >> 8) % ARRAY_LEN(words)]);
			strcat(abs, k % 5 == 4 ? ", " : " ");
		}
		snprintf(id, sizeof id, "2501.%05d", i);
		snprintf(au, sizeof au, "%s Smith", i % 9 ? "Ann" : "Modesto");
		struct paper p;
		mk(&p, id, title, abs, NULL);
		p.published = day("2025-01-01") + (i % 50) * 86400;
		p.upvotes = (int64_t)((rnd >> 4) % 40);
		paper_add_author(&p, au, NULL);
		paper_set(&p.categories, i % 4 ? "cs.LG" : "stat.ML");
		put(s, &p, i % 3 ? "arxiv" : "hf-daily", NULL, STORE_INSERTED);
		paper_clear(&p);
		if (i % 6 == 0)
			assert_int_equal(store_set_favourite(s, id, true, &e), 0);
	}
	assert_int_equal(store_commit(s, &e), 0);

	static const char *const queries[] = {
		"mode*", "model*", "modu*", "modul*", "modern*", "MODEL*", "modele*", "modell*",
		"ti:mode*", "au:mode*", "abs:model*", "mode* -modern", "mode* mod*", "model* modu*",
		"neural mode*", "\"model\"*", "\"modu\"*", "cat:cs mode*", "cat:cs.LG model* data*",
		"is:fav mode*", "-is:read model*", "data* model* modu* neural*", "modè*", "remo*",
		"date* after:2025-01-20", "modelx*", "model* 2501.00010",
		/* groups before a rewritten prefix shift its phrase index */
		"(neural OR data*) model*", "(cat:cs OR neural) -(modern OR remo*) modu*",
		"(model* OR is:fav) data*", "model* OR modu*",
	};
	static const struct { enum store_filter f; enum store_sort sort; } views[] = {
		{ STORE_VIEW_ALL, STORE_SORT_DATE }, { STORE_VIEW_ALL, STORE_SORT_RELEVANCE },
		{ STORE_VIEW_ALL, STORE_SORT_UPVOTES }, { STORE_VIEW_FAVOURITES, STORE_SORT_DATE },
		{ STORE_VIEW_FAVOURITES, STORE_SORT_RELEVANCE }, { STORE_VIEW_SOURCE, STORE_SORT_DATE },
		{ STORE_VIEW_SOURCE, STORE_SORT_RELEVANCE }, { STORE_VIEW_UNREAD, STORE_SORT_DATE },
	};
	int rewritten = 0, as_words = 0;
	for (size_t qi = 0; qi < ARRAY_LEN(queries); qi++)
		for (size_t vi = 0; vi < ARRAY_LEN(views); vi++) {
			struct store_view v = { .filter = views[vi].f, .sort = views[vi].sort,
			                        .source = "arxiv", .query = queries[qi] };
			int64_t n0, n;
			s->pfx_mode = STORE_PFX_NEVER;
			char *want = all_rows(s, &v, &n0);
			static const int modes[] = { STORE_PFX_ALWAYS, STORE_PFX_TINY, STORE_PFX_AUTO };
			for (size_t m = 0; m < ARRAY_LEN(modes); m++) {
				s->pfx_mode = modes[m];
				s->pfx_checks = 0;
				char *got = all_rows(s, &v, &n);
				if (strcmp(got, want) != 0)
					fail_msg("'%s' view %zu mode %d:\n got  %s\n want %s", queries[qi], vi,
					         modes[m], got, want);
				assert_int_equal(n, n0);
				if (modes[m] == STORE_PFX_ALWAYS && s->pfx_checks > 0)
					rewritten++;
				if (modes[m] == STORE_PFX_AUTO && s->pfx_terms)
					as_words++;
				free(got);
			}
			free(want);
		}
	/* The rewrite and the OR of the words really ran (most queries above have a long ASCII
	 * prefix): same rows, same scores, same counts as the plain prefix query. */
	assert_true(rewritten > 100);
	assert_true(as_words > 100);
	fts_ok(s);
	s->pfx_mode = STORE_PFX_AUTO;
	/* Non-empty results, so the comparisons above compared something. */
	assert_true(store_count(s, &(struct store_view){ .query = "modu*" }, -1, &e) > 10);
	assert_true(store_count(s, &(struct store_view){ .query = "modele*" }, -1, &e) > 10);
	assert_true(store_count(s, &(struct store_view){ .query = "model* modu*" }, -1, &e) > 3);
	store_close(&s);
}

/* Issue 10: relevance finds an old paper by its own title words among thousands of newer
 * matches (which hold the words in their abstracts, and some in their titles), says when
 * matches were left out, and ranks every match with rank_all. */
static int old_first(void *ctx, const struct store_row *r)
{
	int *n = ctx;
	if ((*n)++ == 0)
		assert_string_equal(r->id, "1706.00001");
	return 0;
}

static void test_rank_old_title(void **state)
{
	struct store *s = open_mem();
	struct lerr e = {0};
	enum { NEWER = 3000 };
	assert_int_equal(store_begin(s, &e), 0);
	struct paper p;
	mk(&p, "1706.00001", "Sparse mixture routing for long documents",
	   "We route tokens.", "2017-06-01");
	put(s, &p, NULL, NULL, STORE_INSERTED);
	paper_clear(&p);
	for (int i = 0; i < NEWER; i++) {
		char id[32], title[96];
		snprintf(id, sizeof id, "2501.%05d", i);
		/* one in ten newer titles holds two of the words */
		snprintf(title, sizeof title, i % 10 ? "Vision study %d" : "Sparse routing study %d", i);
		mk(&p, id, title, "Sparse mixture routing of long documents, then long documents "
		   "again: sparse mixture routing.", NULL);
		p.published = day("2025-01-01") + i * 60;
		put(s, &p, NULL, NULL, STORE_INSERTED);
		paper_clear(&p);
	}
	assert_int_equal(store_commit(s, &e), 0);
	struct store_view v = { .sort = STORE_SORT_RELEVANCE,
	                        .query = "sparse mixture routing long documents" };
	struct store_rows r = {0};
	assert_int_equal(store_window(s, &v, NULL, 1, 3, &r, &e), 0);
	assert_int_equal(r.n, 3);
	assert_string_equal(r.v[0].id, "1706.00001");
	store_rows_clear(&r);
	struct store_bound b;
	assert_int_equal(store_bound(s, &v, -1, &b, &e), 0);
	assert_true(b.ranked && b.bounded);
	assert_int_equal(b.matches, NEWER + 1);
	assert_int_equal(b.newest, 1000);
	assert_int_equal(b.candidates, 1001);   /* the newest 1,000 and the old title match */
	/* A date order is exact. */
	v.sort = STORE_SORT_DATE;
	assert_int_equal(store_bound(s, &v, -1, &b, &e), 0);
	assert_false(b.ranked || b.bounded);
	/* rank_all: every match, ranked, in one pass. */
	v.sort = STORE_SORT_RELEVANCE;
	v.rank_all = true;
	int n = 0;
	assert_int_equal(store_each_row(s, &v, 0, old_first, &n, &e), 0);
	assert_int_equal(n, NEWER + 1);
	store_close(&s);
}

/* Schema v13: the title index is built from the papers of an older cache, follows a changed
 * title (the old words stop finding it, the new ones do) and ranks an old paper by its title. */
static void test_migrate_v12_title_index(void **state)
{
	(void)state;
	char path[512];
	snprintf(path, sizeof path, "%s", tmp_path("v9.db"));
	unlink(path);
	struct lerr e = {0};
	struct store *s = store_open(path, 0, &e);
	assert_non_null(s);
	assert_int_equal(store_begin(s, &e), 0);
	struct paper p;
	mk(&p, "1706.00001", "Sparse mixture routing for long documents", "We route tokens.",
	   "2017-06-01");
	put(s, &p, NULL, NULL, STORE_INSERTED);
	paper_clear(&p);
	for (int i = 0; i < 1500; i++) {
		char id[32], title[96];
		snprintf(id, sizeof id, "2501.%05d", i);
		snprintf(title, sizeof title, i % 10 ? "Vision study %d" : "Sparse routing study %d", i);
		mk(&p, id, title, "Sparse mixture routing of long documents, then long documents again: sparse "
		   "mixture routing.", NULL);
		p.published = day("2025-01-01") + i * 60;
		put(s, &p, NULL, NULL, STORE_INSERTED);
		paper_clear(&p);
	}
	assert_int_equal(store_commit(s, &e), 0);
	store_close(&s);
	s = downgrade_and_open(path, UNDO_V13 "; PRAGMA user_version = 12;");
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(s->db, "SELECT (SELECT user_version FROM"
	                                    " pragma_user_version), (SELECT count(*) FROM papers_tfts"
	                                    " WHERE papers_tfts MATCH 'sparse')", -1, &st, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), STORE_SCHEMA_VERSION);
	assert_int_equal(sqlite3_column_int(st, 1), 151);   /* titles only, not the abstracts */
	sqlite3_finalize(st);
	fts_ok(s);
	struct store_view v = { .sort = STORE_SORT_RELEVANCE,
	                        .query = "sparse mixture routing long documents" };
	struct store_rows r = {0};
	assert_int_equal(store_window(s, &v, NULL, 1, 3, &r, &e), 0);
	assert_true(r.n == 3 && !strcmp(r.v[0].id, "1706.00001"));
	store_rows_clear(&r);
	/* A new title replaces the old one in the title index. */
	mk(&p, "1706.00001", "Dense gating for short texts", "We route tokens.", "2017-06-01");
	p.source_kind = PAPER_SRC_ARXIV;
	p.version = 2;
	assert_int_equal(store_begin(s, &e), 0);
	put(s, &p, NULL, NULL, STORE_UPDATED);
	assert_int_equal(store_commit(s, &e), 0);
	paper_clear(&p);
	fts_ok(s);
	assert_int_equal(store_window(s, &v, NULL, 1, 50, &r, &e), 0);
	for (size_t i = 0; i < r.n; i++)
		assert_string_not_equal(r.v[i].id, "1706.00001");
	store_rows_clear(&r);
	v.query = "dense gating short";
	assert_int_equal(store_window(s, &v, NULL, 1, 3, &r, &e), 0);
	assert_true(r.n == 1 && !strcmp(r.v[0].id, "1706.00001"));
	store_rows_clear(&r);
	store_close(&s);
	unlink(path);
}

/* Schema v14: the index's word list is filled from an older cache's index, grows with the
 * papers written after, and a long prefix is then searched as the OR of its words: the same
 * rows and scores as the plain prefix query, for words of the title and of the abstract only. */
static char *upgrade_told;
static void tell_upgrade(const char *what)
{
	free(upgrade_told);
	upgrade_told = strdup(what);
}

/* The category tokens the index holds (lectern_cats): each category, then each archive once. */
static void test_cats_tokens(void **state)
{
	(void)state;
	static const char *const c[][2] = {
		{ "cs.LG cs.AI stat.ML", "cs0lg cs0ai stat0ml cs stat" },
		{ "hep-th", "hep1th" },
		{ "q-bio.GN q-bio.NC physics.soc-ph", "q1bio0gn q1bio0nc physics0soc1ph q1bio physics" },
		{ " CS.LG  cs.CV ", "cs0lg cs0cv cs" },
		{ "", "" },
	};
	for (size_t i = 0; i < ARRAY_LEN(c); i++) {
		struct sbuf b = {0};
		store_cats_tokens(c[i][0], &b);
		assert_string_equal(b.s ? b.s : "", c[i][1]);
		sbuf_free(&b);
	}
}

/* Every version's date (schema 17): kept, read back, and a longer list from any source wins
 * (a later list holds the earlier's); a source without one, or with fewer, changes nothing. */
static void test_versions(void **state)
{
	(void)state;
	struct store *s = open_mem();
	static const struct { const char *versions; enum store_upsert_result r; const char *want; } step[] = {
		{ "1:100", STORE_INSERTED, "1:100" },
		{ "1:100 2:200", STORE_UPDATED, "1:100 2:200" },
		{ NULL, STORE_UNCHANGED, "1:100 2:200" },
		{ "1:100", STORE_UNCHANGED, "1:100 2:200" },
		{ "1:100 2:200 3:300", STORE_UPDATED, "1:100 2:200 3:300" },
	};
	for (size_t i = 0; i < ARRAY_LEN(step); i++) {
		struct paper p;
		mk(&p, "2501.00001", "Versions", "Text.", "2025-01-01");
		p.source_kind = i % 2 ? PAPER_SRC_IMPORT : PAPER_SRC_ARXIV;
		if (step[i].versions)
			paper_set(&p.versions, step[i].versions);
		put(s, &p, NULL, NULL, step[i].r);
		paper_clear(&p);
		struct lerr e = {0};
		assert_int_equal(store_get(s, "2501.00001", &p, &e), 0);
		assert_string_equal(p.versions, step[i].want);
		paper_clear(&p);
	}
	char *list = NULL;   /* paper_add_version keeps them ascending, each once */
	paper_add_version(&list, 2, 200);
	paper_add_version(&list, 1, 100);
	paper_add_version(&list, 2, 999);
	paper_add_version(&list, 0, 5);
	assert_string_equal(list, "1:100 2:200");
	free(list);
	store_close(&s);
}

/* A prefix that begins more than 48 of the cache's words, searched alone, is searched in the
 * title index (store_narrowed says so); beside a word that finds papers, or in a bounded view,
 * it is checked on their rows in every column; alone in the abstracts it is refused. */
static void test_many_words(void **state)
{
	(void)state;
	struct store *s = open_mem();
	struct paper p;
	for (int i = 0; i < 60; i++) {   /* 60 words tr<a-z><a-z> in the abstracts */
		char id[32], title[64], abs[96];
		snprintf(id, sizeof id, "2501.%05d", i);
		snprintf(title, sizeof title, i % 10 ? "Vision study %d" : "Trust study %d", i);
		snprintf(abs, sizeof abs, "%s tr%c%c method.", i % 2 ? "Graph" : "Other",
		         'a' + i / 26, 'a' + i % 26);
		mk(&p, id, title, abs, NULL);
		p.published = day("2025-01-01") + i * 60;
		put(s, &p, "arxiv", "2025-01-02", STORE_INSERTED);
		paper_clear(&p);
	}
	struct lerr e = {0};
	struct store_view v = { .query = "tr*" };
	assert_int_equal(store_count(s, &v, 100, &e), 6);   /* Trust study: the titles */
	assert_string_equal(store_narrowed(s), "tr");
	v.query = "TR* -trust";   /* narrowed; the exclusion checked on its rows */
	assert_int_equal(store_count(s, &v, 100, &e), 0);
	v.query = "tr* -study";
	assert_int_equal(store_count(s, &v, 100, &e), 0);
	v.query = "graph tr*";   /* beside a word: checked everywhere */
	assert_int_equal(store_count(s, &v, 100, &e), 30);
	assert_string_equal(store_narrowed(s), "");
	v.query = "graph -tr*";
	assert_int_equal(store_count(s, &v, 100, &e), 0);
	v.query = "(graph OR vision) tr*";   /* all but the six even Trust studies */
	assert_int_equal(store_count(s, &v, 100, &e), 54);
	/* an OR with such a prefix: the FTS arm and a walk checking the prefix, merged in date
	 * order (D_MERGE), the same rows as the OR checked on every paper */
	char *ids = search(s, STORE_SORT_DATE, "(ti:tr* OR nothingsuch)");
	assert_string_equal(ids, "2501.00050 2501.00040 2501.00030 2501.00020 2501.00010 2501.00000");
	free(ids);
	ids = search(s, STORE_SORT_DATE, "(ti:tr* OR 2501.00007 OR abs:trbb)");
	assert_string_equal(ids, "2501.00050 2501.00040 2501.00030 2501.00027 2501.00020 2501.00010 "
	                         "2501.00007 2501.00000");
	free(ids);
	v.query = "(ti:tr* OR abs:trbb)";
	assert_int_equal(store_count(s, &v, 100, &e), 7);
	v.query = "trab*";   /* few words: their OR, everywhere */
	assert_int_equal(store_count(s, &v, 100, &e), 1);
	assert_string_equal(store_narrowed(s), "");
	v.filter = STORE_VIEW_SOURCE;   /* a source may be all of arXiv: the title index too */
	v.source = "arxiv";
	v.query = "tr*";
	assert_int_equal(store_count(s, &v, 100, &e), 6);
	assert_string_equal(store_narrowed(s), "tr");
	v.filter = STORE_VIEW_HF_DAY;   /* a day: checked on its rows */
	v.day = "2025-01-02";
	assert_int_equal(store_count(s, &v, 100, &e), 0);   /* (no Daily Papers listing) */
	assert_string_equal(store_narrowed(s), "");
	v.filter = STORE_VIEW_FAVOURITES;
	assert_int_equal(store_set_favourite(s, "2501.00001", true, NULL), 0);
	assert_int_equal(store_count(s, &v, 100, &e), 1);
	assert_string_equal(store_narrowed(s), "");
	v = (struct store_view){ .query = "abs:tr*" };   /* nothing else finds the papers */
	assert_int_equal(store_count(s, &v, 10, &e), -1);
	assert_int_equal(e.kind, LERR_USAGE);
	assert_non_null(strstr(e.msg, "type more letters"));
	v.query = "abs:tr* since:2025";
	assert_int_equal(store_count(s, &v, 100, &e), 60);
	ids = search(s, STORE_SORT_DATE, "tr*");
	assert_string_equal(ids, "2501.00050 2501.00040 2501.00030 2501.00020 2501.00010 2501.00000");
	free(ids);
	store_close(&s);
}

/* Schemas 16 and 17: papers_fts without its prefix index, categories with their archives; the
 * versions column. */
static void test_migrate_v15_prefix_index(void **state)
{
	(void)state;
	char path[512];
	snprintf(path, sizeof path, "%s", tmp_path("v15.db"));
	unlink(path);
	struct lerr e = {0};
	struct store *s = store_open(path, 0, &e);
	assert_non_null(s);
	assert_int_equal(store_begin(s, &e), 0);
	static const char *const cats[] = { "cs.LG stat.ML", "physics.optics cs.CV", "hep-th",
	                                    "q-bio.GN q-bio.NC" };
	struct paper p;
	for (int i = 0; i < 10000; i++) {   /* (a cache this big is told of the upgrade) */
		char id[32];
		snprintf(id, sizeof id, "2501.%05d", i);
		mk(&p, id, i % 3 ? "Optical transformers" : "Graph transport", "Tropical training.",
		   NULL);
		paper_set(&p.categories, cats[i % 4]);
		p.published = day("2025-01-01") + i * 60;
		put(s, &p, NULL, NULL, STORE_INSERTED);
		paper_clear(&p);
	}
	assert_int_equal(store_commit(s, &e), 0);
	store_close(&s);
	store_set_upgrade_note(tell_upgrade);
	s = downgrade_and_open(path, UNDO_V16 " PRAGMA user_version = 15;");
	store_set_upgrade_note(NULL);
	assert_non_null(upgrade_told);
	assert_non_null(strstr(upgrade_told, "rebuilding the search index without its prefix "
	                                     "index of 10000 papers"));
	free(upgrade_told);
	upgrade_told = NULL;
	fts_ok(s);   /* the index equals its content (the view), the archives' words are listed */
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(s->db, "SELECT sql FROM sqlite_schema WHERE name ="
	                                    " 'papers_fts'", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_null(strstr((const char *)sqlite3_column_text(st, 0), "prefix"));
	sqlite3_finalize(st);
	struct store_view v = { .query = "cat:physics" };
	assert_int_equal(store_count(s, &v, INT64_MAX, &e), 2500);
	v.query = "cat:cs";
	assert_int_equal(store_count(s, &v, INT64_MAX, &e), 5000);
	v.query = "cat:q-bio";
	assert_int_equal(store_count(s, &v, INT64_MAX, &e), 2500);
	v.query = "cat:hep-th";
	assert_int_equal(store_count(s, &v, INT64_MAX, &e), 2500);
	v.query = "tr*";   /* in titles (the title index) */
	assert_int_equal(store_count(s, &v, INT64_MAX, &e), 10000);
	v.query = "gra*";
	assert_int_equal(store_count(s, &v, INT64_MAX, &e), 3334);
	v.query = "tro*";   /* its words (the migration listed those of 2-3 bytes too) */
	assert_int_equal(store_count(s, &v, INT64_MAX, &e), 10000);
	v.query = "trop*";
	assert_int_equal(store_count(s, &v, INT64_MAX, &e), 10000);
	v.query = "graph tro*";   /* beside a word: checked everywhere */
	assert_int_equal(store_count(s, &v, INT64_MAX, &e), 3334);
	/* v17: old rows list no versions; a source that dates them adds them */
	assert_int_equal(store_get(s, "2501.00001", &p, &e), 0);
	assert_null(p.versions);
	paper_clear(&p);
	/* a changed paper's old categories leave the index (deleted as they were indexed) */
	mk(&p, "2501.00001", "Optical transformers", "Tropical training.", NULL);
	paper_add_version(&p.versions, 1, day("2025-01-01") + 60);
	paper_set(&p.categories, "math.AG");
	p.published = day("2025-01-01") + 60;
	put(s, &p, NULL, NULL, STORE_UPDATED);
	paper_clear(&p);
	v.query = "cat:math";
	assert_int_equal(store_count(s, &v, INT64_MAX, &e), 1);
	v.query = "cat:physics";
	assert_int_equal(store_count(s, &v, INT64_MAX, &e), 2499);
	assert_int_equal(store_get(s, "2501.00001", &p, &e), 0);
	assert_non_null(p.versions);
	paper_clear(&p);
	fts_ok(s);
	store_close(&s);
}

static void test_migrate_v13_terms(void **state)
{
	(void)state;
	char path[512];
	snprintf(path, sizeof path, "%s", tmp_path("v13.db"));
	unlink(path);
	struct lerr e = {0};
	struct store *s = store_open(path, 0, &e);
	assert_non_null(s);
	assert_int_equal(store_begin(s, &e), 0);
	static const char *const abs[] = { "A modular design.", "Signal modulation here.",
	                                   "One module, then modules.", "Nothing of the kind." };
	struct paper p;
	for (int i = 0; i < 40; i++) {
		char id[32];
		snprintf(id, sizeof id, "2501.%05d", i);
		mk(&p, id, i % 5 ? "Vision study" : "Modular vision", abs[i % 4], NULL);
		p.published = day("2025-01-01") + i * 60;
		put(s, &p, NULL, NULL, STORE_INSERTED);
		paper_clear(&p);
	}
	assert_int_equal(store_commit(s, &e), 0);
	store_close(&s);
	s = downgrade_and_open(path, UNDO_V14 "; PRAGMA user_version = 13;");
	fts_ok(s);   /* filled from the index */
	/* v15: both indexes flush a transaction's terms at 6 MB (a big response's memory) */
	sqlite3_stmt *hs;
	assert_int_equal(sqlite3_prepare_v2(s->db, "SELECT (SELECT v FROM papers_fts_config WHERE"
	                                    " k = 'hashsize'), (SELECT v FROM papers_tfts_config"
	                                    " WHERE k = 'hashsize')", -1, &hs, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(hs), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(hs, 0), 6 << 20);
	assert_int_equal(sqlite3_column_int(hs, 1), 6 << 20);
	sqlite3_finalize(hs);
	struct store_terms w = {0};
	assert_int_equal(store_terms_prefix(s, "modu", 4, 10, &w), SQLITE_OK);
	assert_int_equal(w.n, 4);
	assert_false(w.more);
	assert_string_equal(w.v[0], "modular");
	assert_string_equal(w.v[1], "modulation");
	assert_string_equal(w.v[2], "module");
	assert_string_equal(w.v[3], "modules");
	store_terms_clear(&w);
	assert_int_equal(store_terms_prefix(s, "modu", 4, 3, &w), SQLITE_OK);
	assert_true(w.n == 3 && w.more);   /* more than asked: said, not cut silently */
	store_terms_clear(&w);
	assert_int_equal(store_terms_prefix(s, "m", 1, 10, &w), SQLITE_MISUSE);

	/* a word first written after the migration is listed (kept at commit) */
	assert_int_equal(store_begin(s, &e), 0);
	mk(&p, "2502.00001", "Late paper", "The modulus of it.", NULL);
	p.published = day("2025-02-01");
	put(s, &p, NULL, NULL, STORE_INSERTED);
	paper_clear(&p);
	assert_int_equal(store_commit(s, &e), 0);
	fts_ok(s);
	/* ... and not by a transaction rolled back */
	assert_int_equal(store_begin(s, &e), 0);
	mk(&p, "2502.00002", "Gone paper", "The modulator.", NULL);
	p.published = day("2025-02-02");
	put(s, &p, NULL, NULL, STORE_INSERTED);
	paper_clear(&p);
	store_rollback(s);
	assert_int_equal(store_terms_prefix(s, "modu", 4, 10, &w), SQLITE_OK);
	assert_int_equal(w.n, 5);
	assert_string_equal(w.v[4], "modulus");
	store_terms_clear(&w);
	/* a word this connection wrote before (remembered, not looked up again) and a new one */
	assert_int_equal(store_begin(s, &e), 0);
	mk(&p, "2502.00003", "Later paper", "The modulus, modulo two.", NULL);
	p.published = day("2025-02-03");
	put(s, &p, NULL, NULL, STORE_INSERTED);
	paper_clear(&p);
	assert_int_equal(store_commit(s, &e), 0);
	fts_ok(s);
	assert_int_equal(store_terms_prefix(s, "modu", 4, 10, &w), SQLITE_OK);
	assert_true(w.n == 6 && !strcmp(w.v[4], "modulo") && !strcmp(w.v[5], "modulus"));
	store_terms_clear(&w);

	static const char *const queries[] = { "modu*", "modul*", "modulu*", "modux*",
	                                       "ti:modu*", "modu* vision", "vision -modu*" };
	for (size_t qi = 0; qi < ARRAY_LEN(queries); qi++)
		for (int sort = 0; sort < 2; sort++) {
			struct store_view v = { .sort = sort ? STORE_SORT_RELEVANCE : STORE_SORT_DATE,
			                        .query = queries[qi] };
			int64_t n0, n;
			s->pfx_mode = STORE_PFX_NEVER;
			char *want = all_rows(s, &v, &n0);
			s->pfx_mode = STORE_PFX_AUTO;
			char *got = all_rows(s, &v, &n);
			if (strcmp(got, want) != 0)
				fail_msg("'%s':\n got  %s\n want %s", queries[qi], got, want);
			assert_int_equal(n, n0);
			if (strcmp(queries[qi], "vision -modu*"))   /* a negated prefix is not listed */
				assert_true(s->pfx_terms);
			free(got);
			free(want);
		}
	/* 30 abstracts, 2 more titles (i = 15, 35), the two later papers */
	assert_int_equal(store_count(s, &(struct store_view){ .query = "modu*" }, -1, &e), 34);
	assert_int_equal(store_count(s, &(struct store_view){ .query = "modux*" }, -1, &e), 0);
	store_close(&s);
	unlink(path);
}

/* A transaction of many new words (hostile text, a huge feed) writes them out as it goes, in
 * bounded memory, and the list still has every word of the index after commit. */
static void test_terms_many_words(void **state)
{
	(void)state;
	struct store *s = open_mem();
	struct lerr e = {0};
	assert_int_equal(store_begin(s, &e), 0);
	char *abs = xmalloc(64 * 1024);
	int w = 0;
	for (int i = 0; i < 120; i++) {   /* 120 x ~6,500 words of 9 bytes: ~7 MB of new words */
		size_t n = 0;
		while (n + 12 < 60 * 1024)
			n += (size_t)snprintf(abs + n, 64 * 1024 - n, "zq%07d ", w++);
		char id[32];
		snprintf(id, sizeof id, "2504.%05d", i);
		struct paper p;
		mk(&p, id, "Many words", abs, NULL);
		p.published = day("2025-04-01") + i;
		put(s, &p, NULL, NULL, STORE_INSERTED);
		paper_clear(&p);
	}
	free(abs);
	assert_int_equal(store_commit(s, &e), 0);
	fts_ok(s);
	struct store_terms t = {0};
	assert_int_equal(store_terms_prefix(s, "zq00000", 7, 100, &t), SQLITE_OK);
	assert_int_equal(t.n, 100);   /* zq0000000 .. zq0000099, all */
	assert_false(t.more);
	store_terms_clear(&t);
	assert_int_equal(store_terms_prefix(s, "zq00000", 7, 60, &t), SQLITE_OK);
	assert_true(t.n == 60 && t.more);
	store_terms_clear(&t);
	char last[16];
	snprintf(last, sizeof last, "zq%07d", w - 1);
	assert_int_equal(store_terms_prefix(s, last, strlen(last), 2, &t), SQLITE_OK);
	assert_int_equal(t.n, 1);
	store_terms_clear(&t);
	store_close(&s);
}

/* store_set_interrupt: a statement gives up when told (the reader's idle count, when a key
 * comes), says so, changes nothing, and the connection works on once it is removed. */
static bool stop_after(void *arg)
{
	int *calls = arg;
	return ++*calls > 2;
}

static void test_interrupt(void **state)
{
	(void)state;
	struct store *s = open_mem();
	struct lerr e = {0};
	assert_int_equal(store_begin(s, &e), 0);
	for (int i = 0; i < 3000; i++) {
		char id[32];
		snprintf(id, sizeof id, "2501.%05d", i);
		struct paper p;
		mk(&p, id, "Sparse routing", "Sparse mixture routing of long documents.", NULL);
		p.published = day("2025-01-01") + i * 60;
		put(s, &p, NULL, NULL, STORE_INSERTED);
		paper_clear(&p);
	}
	assert_int_equal(store_commit(s, &e), 0);
	struct store_view v = { .query = "routing" };
	int calls = 0;
	store_set_interrupt(s, stop_after, &calls);
	assert_int_equal(store_count(s, &v, -1, &e), -1);
	assert_true(store_interrupted(&e));
	assert_true(calls > 2);
	v.sort = STORE_SORT_RELEVANCE;
	struct store_bound b;
	calls = 0;
	assert_int_equal(store_bound(s, &v, INT64_MAX, &b, &e), -1);
	assert_true(store_interrupted(&e));
	store_set_interrupt(s, NULL, NULL);
	assert_int_equal(store_count(s, &(struct store_view){ .query = "routing" }, -1, &e), 3000);
	assert_int_equal(store_bound(s, &v, INT64_MAX, &b, &e), 0);
	assert_true(b.matches == 3000);
	/* another error is not an interruption */
	lerr_set(&e, LERR_DB, 1, "x");
	assert_false(store_interrupted(&e));
	store_close(&s);
}

struct each_ctx {
	int n;
	int64_t last;
	int stop_at;
};

static int each_cb(void *ctx, const struct paper *p)
{
	struct each_ctx *c = ctx;
	assert_non_null(p->abstract);
	assert_int_equal(p->n_authors, 1);
	if (c->n)
		assert_true(p->published <= c->last);
	c->last = p->published;
	return ++c->n == c->stop_at;
}

static void test_each(void **state)
{
	struct store *s = open_mem();
	struct lerr e = {0};
	assert_int_equal(store_begin(s, &e), 0);
	for (int i = 0; i < 300; i++) {
		struct paper p;
		char id[32];
		snprintf(id, sizeof id, "2501.%05d", i);
		mk(&p, id, "t", "streamed", NULL);
		p.published = day("2025-01-01") + i * 17 % 1000;
		paper_add_author(&p, "A", "B");
		put(s, &p, NULL, NULL, STORE_INSERTED);
		paper_clear(&p);
	}
	assert_int_equal(store_commit(s, &e), 0);
	struct each_ctx c = {0};
	assert_int_equal(store_each(s, NULL, 0, each_cb, &c, &e), 0);
	assert_int_equal(c.n, 300);
	c = (struct each_ctx){ .stop_at = 0 };
	assert_int_equal(store_each(s, NULL, 130, each_cb, &c, &e), 0);
	assert_int_equal(c.n, 130);
	c = (struct each_ctx){ .stop_at = 5 };
	struct store_view v = { .query = "streamed" };
	assert_int_equal(store_each(s, &v, 0, each_cb, &c, &e), 0);
	assert_int_equal(c.n, 5);
	store_close(&s);
}

/* C (catch-up): every paper of a view marked read in one transaction, the changed ids returned
 * for an undo; papers outside the view and those already read are left alone. */
static void test_view_mark_read(void **state)
{
	(void)state;
	struct store *s = open_mem();
	struct lerr e = {0};
	assert_int_equal(store_begin(s, &e), 0);
	for (int i = 0; i < 700; i++) {    /* more than one window */
		struct paper p;
		char id[32];
		snprintf(id, sizeof id, "2501.%05d", i);
		mk(&p, id, "t", i % 2 ? "odd" : "even", NULL);
		p.published = day("2025-01-01") + i;
		put(s, &p, NULL, NULL, STORE_INSERTED);
		paper_clear(&p);
	}
	assert_int_equal(store_commit(s, &e), 0);
	assert_int_equal(store_set_read(s, "2501.00001", true, &e), 0);
	struct store_view odd = {.filter = STORE_VIEW_ALL, .query = "odd"};
	char **ids;
	size_t n;
	assert_int_equal(store_view_mark_read(s, &odd, &ids, &n, &e), 349);
	assert_int_equal(n, 349);
	struct store_view unread = {.filter = STORE_VIEW_UNREAD};
	assert_int_equal(store_count(s, &unread, INT64_MAX, &e), 350);   /* the even ones */
	/* undo: the same papers unread again, the one read before stays read */
	assert_int_equal(store_begin(s, &e), 0);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(store_set_read(s, ids[i], false, &e), 0);
	assert_int_equal(store_commit(s, &e), 0);
	assert_int_equal(store_count(s, &unread, INT64_MAX, &e), 699);
	store_ids_free(ids, n);
	/* nothing to do: no ids, no transaction */
	assert_int_equal(store_view_mark_read(s, &unread, &ids, &n, &e), 699);
	store_ids_free(ids, n);
	assert_int_equal(store_view_mark_read(s, &unread, &ids, &n, &e), 0);
	assert_null(ids);
	assert_int_equal(n, 0);
	store_close(&s);
}

/* ---- sources, validators, history ------------------------------------------------------ */

static void test_sources_http_history(void **state)
{
	struct store *s = open_mem();
	struct lerr e = {0};
	struct store_source_state st;
	assert_int_equal(store_source_get(s, "arxiv", &st, &e), 0);
	assert_null(st.name);
	assert_int_equal(store_source_begin(s, "arxiv", &e), 0);
	assert_int_equal(store_source_get(s, "arxiv", &st, &e), 0);
	assert_string_equal(st.name, "arxiv");
	assert_true(st.in_progress);
	assert_true(st.last_attempt > 0);
	store_source_state_clear(&st);
	struct paper p;
	mk(&p, "2501.00001", "t", "a", "2025-01-01");
	put(s, &p, "arxiv", "2025-01-02", STORE_INSERTED);
	put(s, &p, "arxiv", "2025-01-03", STORE_UNCHANGED);   /* listed again: one paper */
	paper_clear(&p);
	assert_int_equal(store_source_finish(s, "arxiv", NULL, 1, &e), 0);
	assert_int_equal(store_source_get(s, "arxiv", &st, &e), 0);
	assert_false(st.in_progress);
	assert_null(st.last_error);
	assert_int_equal(st.new_count, 1);
	assert_int_equal(st.total, 1);
	assert_true(st.last_success > 0);
	int64_t ok_at = st.last_success;
	store_source_state_clear(&st);
	assert_int_equal(store_source_begin(s, "arxiv", &e), 0);
	assert_int_equal(store_source_finish(s, "arxiv", "HTTP 503", 0, &e), 0);
	assert_int_equal(store_source_get(s, "arxiv", &st, &e), 0);
	assert_string_equal(st.last_error, "HTTP 503");
	assert_int_equal(st.last_success, ok_at);
	assert_int_equal(st.new_count, 1);
	store_source_state_clear(&st);
	struct paper g;
	assert_int_equal(store_get(s, "2501.00001", &g, &e), 0);
	assert_string_equal(g.listings, "arxiv 2025-01-03\narxiv 2025-01-02");
	paper_clear(&g);

	char *etag, *lm;
	assert_int_equal(store_http_get(s, "https://x/a", &etag, &lm, &e), 0);
	assert_null(etag);
	assert_null(lm);
	assert_int_equal(store_http_put(s, "https://x/a", "\"abc\"", NULL, &e), 0);
	assert_int_equal(store_http_put(s, "https://x/a", "\"def\"", "Mon, 01 Jan 2025", &e), 0);
	assert_int_equal(store_http_get(s, "https://x/a", &etag, &lm, &e), 0);
	assert_string_equal(etag, "\"def\"");
	assert_string_equal(lm, "Mon, 01 Jan 2025");
	free(etag);
	free(lm);

	assert_int_equal(store_history_add(s, "neural", &e), 0);
	assert_int_equal(store_history_add(s, "au:hinton", &e), 0);
	assert_int_equal(store_history_add(s, "neural", &e), 0);
	char *h[5];
	assert_int_equal(store_history_list(s, h, 5, &e), 2);
	assert_string_equal(h[0], "neural");
	assert_string_equal(h[1], "au:hinton");
	free(h[0]);
	free(h[1]);
	for (int i = 0; i < 250; i++) {
		char q[16];
		snprintf(q, sizeof q, "q%d", i);
		assert_int_equal(store_history_add(s, q, &e), 0);
	}
	char *many[300];
	int n = store_history_list(s, many, 300, &e);
	assert_int_equal(n, 200);
	assert_string_equal(many[0], "q249");
	for (int i = 0; i < n; i++)
		free(many[i]);
	store_close(&s);
}

/* A fetch whose process died is not "fetching" forever: it is reported as interrupted. */
static void set_fetcher(struct store *s, long long pid, const char *host, int64_t started)
{
	char sql[300];
	snprintf(sql, sizeof sql, "UPDATE sources SET pid = %lld, host = %s%s%s, last_attempt = %lld"
	         " WHERE name = 'arxiv'", pid, host ? "'" : "", host ? host : "NULL",
	         host ? "'" : "", (long long)started);
	assert_int_equal(sqlite3_exec(s->db, sql, NULL, NULL, NULL), SQLITE_OK);
}

static void expect_fetching(struct store *s, bool running)
{
	struct store_source_state st;
	struct lerr e = {0};
	assert_int_equal(store_source_get(s, "arxiv", &st, &e), 0);
	assert_int_equal(st.in_progress, running);
	if (running)
		assert_null(st.last_error);
	else
		assert_string_equal(st.last_error, "interrupted (lectern exited during the fetch)");
	assert_int_equal(st.last_success, 1700000000);
	store_source_state_clear(&st);
}

static void test_stale_fetch(void **state)
{
	const char *path = tmp_path("stale.db");
	unlink(path);
	struct lerr e = {0};
	struct store *s = store_open(path, 0, &e), *other = store_open(path, 0, &e);
	assert_non_null(s);
	assert_non_null(other);
	assert_int_equal(store_source_begin(s, "arxiv", &e), 0);
	assert_int_equal(sqlite3_exec(s->db, "UPDATE sources SET last_success = 1700000000", NULL,
	                              NULL, NULL), SQLITE_OK);
	expect_fetching(s, true);
	expect_fetching(other, true);   /* another lectern on this machine sees it running */

	char host[256];
	assert_int_equal(gethostname(host, sizeof host), 0);
	host[sizeof host - 1] = 0;
	int64_t now = util_now();
	pid_t dead = fork();
	assert_true(dead >= 0);
	if (dead == 0)
		_exit(0);
	assert_int_equal(waitpid(dead, NULL, 0), dead);
	set_fetcher(s, dead, host, now);
	expect_fetching(other, false);              /* its process is gone */
	set_fetcher(s, getpid(), host, now - 3 * 3600);
	expect_fetching(other, false);              /* alive, but started hours ago (pid reuse) */
	set_fetcher(s, 1, host, now - 60);
	expect_fetching(other, true);               /* alive (kill() may say EPERM) */
	set_fetcher(s, dead, "another-machine", now - 60);
	expect_fetching(other, true);               /* elsewhere: judged by age only */
	set_fetcher(s, dead, "another-machine", now - 3 * 3600);
	expect_fetching(other, false);
	set_fetcher(s, 0, NULL, now - 60);          /* recorded before pids were */
	expect_fetching(other, true);

	/* A new fetch by this process, then its normal end. */
	assert_int_equal(store_source_begin(other, "arxiv", &e), 0);
	expect_fetching(s, true);
	assert_int_equal(store_source_finish(other, "arxiv", "HTTP 503", 0, &e), 0);
	struct store_source_state st;
	assert_int_equal(store_source_get(s, "arxiv", &st, &e), 0);
	assert_false(st.in_progress);
	assert_string_equal(st.last_error, "HTTP 503");
	store_source_state_clear(&st);
	store_close(&other);
	store_close(&s);
}

static void test_default_path(void **state)
{
	setenv("LECTERN_DB", "/x/y.db", 1);
	char *p = store_default_path();
	assert_string_equal(p, "/x/y.db");
	free(p);
	unsetenv("LECTERN_DB");
	setenv("XDG_DATA_HOME", "/data", 1);
	p = store_default_path();
	assert_string_equal(p, "/data/lectern/papers.db");
	free(p);
	/* neither a HOME nor an XDG variable (nor a relative one): no path, never ./.local */
	const char *home = getenv("HOME"), *cfg = getenv("XDG_CONFIG_HOME");
	char *saved = home ? xstrdup(home) : NULL, *saved_cfg = cfg ? xstrdup(cfg) : NULL;
	unsetenv("HOME");
	unsetenv("XDG_CONFIG_HOME");
	setenv("XDG_DATA_HOME", "relative/dir", 1);
	assert_null(store_default_path());
	unsetenv("XDG_DATA_HOME");
	assert_null(store_default_path());
	assert_null(util_data_dir());
	assert_null(util_config_dir());
	setenv("HOME", "/home/x", 1);
	p = store_default_path();
	assert_string_equal(p, "/home/x/.local/share/lectern/papers.db");
	free(p);
	if (saved)
		setenv("HOME", saved, 1);
	if (saved_cfg)
		setenv("XDG_CONFIG_HOME", saved_cfg, 1);
	free(saved);
	free(saved_cfg);
}

/* Field limits apply where papers enter (store_upsert), on a copy, said by store_cut_note. */
static void test_field_limits(void **state)
{
	(void)state;
	struct store *s = open_mem();
	struct lerr e = {0};
	struct paper p;
	mk(&p, "2501.00001", "Short", "fine", "2025-01-01");
	put(s, &p, "arxiv", "2025-01-01", STORE_INSERTED);
	assert_null(store_cut_note(s));
	paper_clear(&p);

	/* a 3-byte character straddles the 2048th byte of the title: cut before it */
	struct sbuf t = {0};
	for (int i = 0; i < 2046; i++)
		sbuf_addc(&t, 'a');
	for (int i = 0; i < 10; i++)
		sbuf_adds(&t, "\xe2\x82\xac");   /* € */
	struct sbuf a = {0};
	for (int i = 0; i < 70000; i++)
		sbuf_addc(&a, 'b');
	mk(&p, "2501.00002", t.s, a.s, "2025-01-01");
	for (int i = 0; i < PAPER_AUTHORS_MAX + 5; i++) {
		char name[32];
		snprintf(name, sizeof name, "Author %d", i);
		paper_add_author(&p, name, i == 3 ? a.s : NULL);
	}
	p.upvotes = INT64_MAX;
	p.github_stars = 12;
	assert_true(paper_over_limits(&p));
	put(s, &p, "arxiv", "2025-01-01", STORE_INSERTED);
	const char *note = store_cut_note(s);
	assert_non_null(note);
	assert_non_null(strstr(note, "title cut from 2076 to 2046 bytes"));
	assert_non_null(strstr(note, "abstract cut from 70000 to 65536 bytes"));
	assert_non_null(strstr(note, "10005 authors: kept the first 10000"));
	assert_non_null(strstr(note, "1 author name or affiliation cut to 2048 bytes"));
	assert_non_null(strstr(note, "a count over 10^12 clamped"));
	assert_int_equal(strlen(p.title), 2076);   /* the caller's paper is untouched */
	paper_clear(&p);

	assert_int_equal(store_get(s, "2501.00002", &p, &e), 0);
	assert_int_equal(strlen(p.title), 2046);
	assert_int_equal(strlen(p.abstract), PAPER_TEXT_MAX);
	assert_int_equal(p.n_authors, PAPER_AUTHORS_MAX);
	assert_int_equal(strlen(p.authors[3].affiliation), PAPER_NAME_MAX);
	assert_true(p.upvotes == PAPER_COUNT_MAX);
	assert_int_equal(p.github_stars, 12);
	paper_clear(&p);

	/* an id is identity: refused, not cut */
	struct sbuf id = {0};
	sbuf_adds(&id, "url:https://example.org/");
	for (int i = 0; i < PAPER_ID_MAX; i++)
		sbuf_addc(&id, 'x');
	mk(&p, id.s, "Long id", NULL, NULL);
	assert_int_equal(store_upsert(s, &p, NULL, NULL, &e), -1);
	assert_non_null(strstr(e.msg, "cannot be stored"));
	paper_clear(&p);
	/* the next upsert forgets the last note */
	mk(&p, "2501.00003", "Short", "fine", "2025-01-01");
	put(s, &p, "arxiv", "2025-01-01", STORE_INSERTED);
	assert_null(store_cut_note(s));
	paper_clear(&p);
	sbuf_free(&t);
	sbuf_free(&a);
	sbuf_free(&id);
	store_close(&s);
}

/* SQLITE_CORRUPT met by a read-write connection: it turns read-only and says so; reads go on. */
static void test_damaged_readonly(void **state)
{
	(void)state;
	struct lerr e = {0};
	struct store *s = store_open(tmp_path("damaged.db"), 0, &e);
	assert_non_null(s);
	struct paper p;
	mk(&p, "2501.00001", "Kept", "fine", "2025-01-01");
	put(s, &p, "arxiv", "2025-01-01", STORE_INSERTED);
	paper_clear(&p);
	assert_int_equal(store_set_favourite(s, "2501.00001", true, &e), 0);
	assert_false(store_is_readonly(s));
	assert_null(store_readonly_reason(s));
	/* what any statement of the store gives when it meets a damaged page */
	store_db_error(s, &e, SQLITE_CORRUPT, "reading the list");
	assert_non_null(strstr(e.msg, "the cache is damaged, so it is now open read-only"));
	assert_true(store_is_readonly(s));
	assert_string_equal(store_readonly_reason(s), "the cache is damaged");
	assert_int_equal(store_set_favourite(s, "2501.00001", false, &e), -1);
	assert_non_null(strstr(e.msg, "damaged and open read-only"));
	mk(&p, "2501.00002", "New", "x", "2025-01-01");
	assert_int_equal(store_upsert(s, &p, NULL, NULL, &e), -1);
	paper_clear(&p);
	/* even past the store's own checks, SQLite refuses a write on this connection */
	assert_int_not_equal(sqlite3_exec(s->db, "DELETE FROM user_state", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(store_get(s, "2501.00001", &p, &e), 0);
	assert_true(p.favourite);
	paper_clear(&p);
	store_close(&s);
}

int main(void)
{
	const char *base = getenv("TMPDIR_TEST");
	snprintf(tmpdir, sizeof tmpdir, "%s/store-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip_all_fields),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_merge_feed_after_arxiv),
		cmocka_unit_test(test_merge_feed_only),
		cmocka_unit_test(test_merge_versions),
		cmocka_unit_test(test_merge_hf_fills),
		cmocka_unit_test(test_merge_arxiv_after_hf),
		cmocka_unit_test(test_merge_import),
		cmocka_unit_test(test_name_key),
		cmocka_unit_test(test_merge_affiliations),
		cmocka_unit_test(test_merge_affiliations_ambiguous),
		cmocka_unit_test(test_rekey_on_date),
		cmocka_unit_test(test_undated_listing_day),
		cmocka_unit_test(test_batch_fts_consistency),
		cmocka_unit_test(test_favourite_survives),
		cmocka_unit_test(test_refuse_foreign),
		cmocka_unit_test(test_readonly),
		cmocka_unit_test(test_two_connections),
		cmocka_unit_test(test_locked),
		cmocka_unit_test(test_concurrent_create),
		cmocka_unit_test(test_readonly_leaves_nothing),
		cmocka_unit_test(test_full_disk),
		cmocka_unit_test(test_migrate_v1),
		cmocka_unit_test(test_migrate_v6_signature),
		cmocka_unit_test(test_migrate_prov),
		cmocka_unit_test(test_org_submitter),
		cmocka_unit_test(test_search_syntax),
		cmocka_unit_test(test_search_cjk_org_tags),
		cmocka_unit_test(test_relevance_and_views),
		cmocka_unit_test(test_windows),
		cmocka_unit_test(test_listings_days),
		cmocka_unit_test(test_listings_types),
		cmocka_unit_test(test_listing_links),
		cmocka_unit_test(test_migrate_v8_listings),
		cmocka_unit_test(test_hidden),
		cmocka_unit_test(test_watches),
		cmocka_unit_test(test_migrate_v9_hidden),
		cmocka_unit_test(test_migrate_v11_withdrawn),
		cmocka_unit_test(test_harvest_checkpoint),
		cmocka_unit_test(test_migrate_v12_title_index),
		cmocka_unit_test(test_migrate_v13_terms),
		cmocka_unit_test(test_migrate_v15_prefix_index),
		cmocka_unit_test(test_many_words),
		cmocka_unit_test(test_versions),
		cmocka_unit_test(test_cats_tokens),
		cmocka_unit_test(test_interrupt),
		cmocka_unit_test(test_terms_many_words),
		cmocka_unit_test(test_day_search),
		cmocka_unit_test(test_row_has_note),
		cmocka_unit_test(test_long_prefix),
		cmocka_unit_test(test_each),
		cmocka_unit_test(test_view_mark_read),
		cmocka_unit_test(test_rank_old_title),
		cmocka_unit_test(test_sources_http_history),
		cmocka_unit_test(test_stale_fetch),
		cmocka_unit_test(test_default_path),
		cmocka_unit_test(test_field_limits),
		cmocka_unit_test(test_damaged_readonly),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
	return rc;
}
