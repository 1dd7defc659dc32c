/* test_rank — the ranker on the real arXiv day of the fixtures (1,504 papers): modes, why,
 * hidden papers, similar papers, the stored model. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <string.h>

#include "lectern/rank.h"
#include "lectern/store.h"
#include "lectern/util.h"
#include "rank_fixture.h"
#include "../src/store_int.h"   /* s->db: the index's own tokens, through fts5vocab */

static struct store *day_store(void)
{
	struct lerr e = {0};
	struct store *s = store_open(":memory:", 0, &e);
	assert_non_null(s);
	assert_int_equal(fixture_load(s, "."), 1504);
	return s;
}

/* Whether `text` holds every token of `term` (words as the index folds them: compared without
 * case; the why names tokens, which drop accents and punctuation). */
static bool has_words(const char *text, const char *term)
{
	char *low = strdup(text ? text : "");
	for (char *c = low; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	bool ok = true;
	char *t = strdup(term), *save = NULL;
	for (char *w = strtok_r(t, " ", &save); w && ok; w = strtok_r(NULL, " ", &save))
		ok = strstr(low, w) != NULL;
	free(t);
	free(low);
	return ok;
}

/* Every reason of the item names something the paper has: a word of its title or abstract,
 * one of its authors, one of its categories. Returns the number of reasons. */
static int check_why(struct store *s, const struct rank_item *it)
{
	struct paper p;
	struct lerr e = {0};
	assert_int_equal(store_get(s, it->id, &p, &e), 0);
	assert_non_null(it->why);
	int n = 0;
	char *w = strdup(it->why), *save = NULL;
	for (char *r = strtok_r(w, ";", &save); r; r = strtok_r(NULL, ";", &save), n++) {
		while (*r == ' ')
			r++;
		if (!strncmp(r, "cat:", 4)) {
			if (!strstr(p.categories, r + 4))
				fail_msg("%s: why \"%s\" is not a category of %s", it->id, r, p.categories);
		} else if (!strncmp(r, "author ", 7)) {
			bool found = false;
			for (size_t i = 0; i < p.n_authors; i++)
				found |= !strcmp(p.authors[i].name, r + 7);
			if (!found)
				fail_msg("%s: why \"%s\" is not an author", it->id, r);
		} else {
			struct sbuf t = {0};
			sbuf_printf(&t, "%s %s", p.title, p.abstract ? p.abstract : "");
			if (!has_words(t.s, r))
				fail_msg("%s: why \"%s\" is not in its text", it->id, r);
			sbuf_free(&t);
		}
	}
	free(w);
	paper_clear(&p);
	return n;
}

static bool in_cat(struct store *s, const char *id, const char *cat)
{
	struct paper p;
	struct lerr e = {0};
	assert_int_equal(store_get(s, id, &p, &e), 0);
	bool yes = false;
	for (const char *c = p.categories; c && *c;) {
		size_t n = strcspn(c, " ");
		yes |= n == strlen(cat) && !strncmp(c, cat, n);
		c += n + (c[n] == ' ');
	}
	paper_clear(&p);
	return yes;
}

/* Whether two category lists share a field: an archive ("hep" of hep-ph and hep-th, "cs" of
 * cs.CL, "astro" of astro-ph.CO). */
static void field_of(const char *cat, size_t n, char *out, size_t m)
{
	size_t k = strcspn(cat, ".-");
	snprintf(out, m, "%.*s", (int)(k < n ? k : n), cat);
}

static bool same_field(const char *a, const char *b)
{
	for (const char *c = a; c && *c;) {
		size_t n = strcspn(c, " ");
		char fa[32];
		field_of(c, n, fa, sizeof fa);
		for (const char *d = b; d && *d;) {
			size_t m = strcspn(d, " ");
			char fb[32];
			field_of(d, m, fb, sizeof fb);
			if (!strcmp(fa, fb))
				return true;
			d += m + (d[m] == ' ');
		}
		c += n + (c[n] == ' ');
	}
	return false;
}

static char *cats_of(struct store *s, const char *id)
{
	struct paper p;
	struct lerr e = {0};
	assert_int_equal(store_get(s, id, &p, &e), 0);
	char *c = strdup(p.categories ? p.categories : "");
	paper_clear(&p);
	return c;
}

/* The first n papers (in the day's order) whose primary category is cat. */
struct pick {
	const char *cat;
	char ids[32][32];
	int n, want;
};

static int pick_one(void *ctx, const struct paper *p)
{
	struct pick *k = ctx;
	if (k->n < k->want && p->primary_category && !strcmp(p->primary_category, k->cat))
		snprintf(k->ids[k->n++], sizeof k->ids[0], "%s", p->id);
	return 0;
}

static void pick(struct store *s, const char *cat, int n, struct pick *k)
{
	memset(k, 0, sizeof *k);
	k->cat = cat;
	k->want = n;
	struct lerr e = {0};
	struct store_view v = { .filter = STORE_VIEW_SOURCE, .source = "arxiv", .day = "2024-11-28" };
	assert_int_equal(store_each(s, &v, 0, pick_one, k, &e), 0);
	assert_int_equal(k->n, n);
}

/* The day with the first n papers of primary category cat made favourites. */
static struct store *day_with_favourites(const char *cat, int n)
{
	struct store *s = day_store();
	struct lerr e = {0};
	struct pick k;
	pick(s, cat, n, &k);
	for (int i = 0; i < k.n; i++)
		assert_int_equal(store_set_favourite(s, k.ids[i], true, &e), 0);
	return s;
}

static void test_no_and_few_favourites(void **state)
{
	(void)state;
	struct store *s = day_store();
	struct rank_result r;
	struct lerr e = {0};
	struct rank_opts o = { .limit = 20, .seed = 1 };
	assert_int_equal(rank_recommend(s, &o, &r, &e), 0);
	assert_int_equal(r.mode, RANK_NO_FAVOURITES);
	assert_int_equal(r.n, 0);
	rank_result_free(&r);

	struct pick k;
	pick(s, "gr-qc", 2, &k);
	for (int i = 0; i < k.n; i++)
		assert_int_equal(store_set_favourite(s, k.ids[i], true, &e), 0);
	assert_int_equal(rank_recommend(s, &o, &r, &e), 0);
	assert_int_equal(r.mode, RANK_SIMILARITY);
	assert_int_equal(r.n, 20);
	int hits = 0;
	for (size_t i = 0; i < r.n; i++) {
		assert_true(strcmp(r.v[i].id, k.ids[0]) && strcmp(r.v[i].id, k.ids[1]));
		assert_true(check_why(s, &r.v[i]) >= 1);
		assert_non_null(r.v[i].close);   /* the nearest favourite */
		hits += in_cat(s, r.v[i].id, "gr-qc");
		assert_true(i == 0 || r.v[i].score <= r.v[i - 1].score);
	}
	assert_true(hits >= 8);   /* the rest: cosmology in astro-ph.CO (11 of 20 measured) */
	rank_result_free(&r);
	store_close(&s);
}

/* 15 favourites of one field: a model; its top 20 is mostly that field, each with 2-4 reasons
 * that are real features of the paper; a hidden paper never comes back; the model is kept and
 * a retraining starts from it. */
static void test_model(void **state)
{
	(void)state;
	struct store *s = day_with_favourites("quant-ph", 15);
	struct lerr e = {0};
	struct rank_result r;
	struct rank_opts o = { .limit = 20, .seed = 1 };
	assert_int_equal(rank_recommend(s, &o, &r, &e), 0);
	assert_int_equal(r.mode, RANK_MODEL);
	assert_int_equal(r.n_pos, 15);
	assert_true(r.n_neg > 1000);
	assert_int_equal(r.considered, 1504 - 15);
	assert_int_equal(r.n, 20);
	int hits = 0;
	for (size_t i = 0; i < r.n; i++) {
		int n = check_why(s, &r.v[i]);
		assert_true(n >= 2 && n <= 4);
		assert_non_null(r.v[i].close);
		hits += in_cat(s, r.v[i].id, "quant-ph");
	}
	assert_true(hits >= 15);
	char top[32];
	snprintf(top, sizeof top, "%s", r.v[0].id);
	rank_result_free(&r);

	assert_int_equal(store_set_hidden(s, top, true, &e), 0);
	o.limit = 0;
	assert_int_equal(rank_recommend(s, &o, &r, &e), 0);
	assert_int_equal(r.considered, 1504 - 16);
	for (size_t i = 0; i < r.n; i++)
		assert_string_not_equal(r.v[i].id, top);
	rank_result_free(&r);
	/* scoring with the stored model (no training) gives the same order */
	struct rank_result r2;
	o.no_train = true;
	o.limit = 10;
	assert_int_equal(rank_recommend(s, &o, &r2, &e), 0);
	o.no_train = false;
	assert_int_equal(rank_recommend(s, &o, &r, &e), 0);   /* warm-started from the model */
	for (size_t i = 0; i < 10; i++)
		assert_string_equal(r.v[i].id, r2.v[i].id);
	rank_result_free(&r);
	rank_result_free(&r2);
	void *blob;
	size_t len;
	assert_int_equal(store_blob_get(s, "model", &blob, &len, NULL, &e), 0);
	assert_non_null(blob);
	assert_true(len > 1000);
	free(blob);
	store_close(&s);
}

/* A model or df blob of the previous feature scheme (RNK1/RDF1: FNV-1a slots) is never scored
 * with: the first scoring trains and keeps the new scheme's, the next one uses it. */
static void test_old_model_made_again(void **state)
{
	(void)state;
	struct store *s = day_with_favourites("quant-ph", 15);
	struct lerr e = {0};
	float bias = 9, v = 5;
	uint32_t old_model[6] = { 0x314b4e52u /* "RNK1" */, RANK_DIM, 1, 0, 1, 0 };
	memcpy(&old_model[3], &bias, sizeof bias);
	memcpy(&old_model[5], &v, sizeof v);
	uint32_t old_df[5] = { 0x31464452u /* "RDF1" */, 10, 1, 1, 3 };
	assert_int_equal(store_blob_put(s, "model", old_model, sizeof old_model, 15, 1, &e), 0);
	assert_int_equal(store_blob_put(s, "df", old_df, sizeof old_df, 0, 10, &e), 0);
	struct rank_result r;
	struct rank_opts o = { .limit = 20, .seed = 1, .no_train = true };
	assert_int_equal(rank_recommend(s, &o, &r, &e), 0);
	assert_int_equal(r.mode, RANK_MODEL);
	assert_true(r.n_neg > 1000);   /* trained: the old model was not read */
	assert_int_equal(r.n, 20);
	int hits = 0;
	for (size_t i = 0; i < r.n; i++)
		hits += in_cat(s, r.v[i].id, "quant-ph");
	assert_true(hits >= 15);
	rank_result_free(&r);
	const char *names[] = { "model", "df" };
	for (size_t i = 0; i < 2; i++) {
		void *blob;
		size_t len;
		assert_int_equal(store_blob_get(s, names[i], &blob, &len, NULL, &e), 0);
		assert_true(len > 1000);   /* made again from the cache */
		uint32_t magic;
		memcpy(&magic, blob, sizeof magic);
		assert_true(magic != old_model[0] && magic != old_df[0]);
		free(blob);
	}
	assert_int_equal(rank_recommend(s, &o, &r, &e), 0);
	assert_int_equal(r.n_neg, 0);   /* the kept model scores: no training */
	assert_int_equal(r.n, 20);
	rank_result_free(&r);
	store_close(&s);
}

/* Papers like a paper stay in its field, and say what they share with it. */
static void test_similar(void **state)
{
	(void)state;
	struct store *s = day_store();
	struct lerr e = {0};
	const char *cats[] = {"hep-ph", "cs.CL", "gr-qc", "quant-ph"};
	for (size_t c = 0; c < 4; c++) {
		struct pick k;
		pick(s, cats[c], 3, &k);
		for (int i = 0; i < k.n; i++) {
			struct rank_result r;
			assert_int_equal(rank_similar(s, k.ids[i], 10, &r, &e), 0);
			assert_int_equal(r.mode, RANK_SIMILAR_TO);
			assert_true(r.n >= 5);
			int hits = 0;
			char *mine = cats_of(s, k.ids[i]);
			for (size_t j = 0; j < r.n; j++) {
				assert_string_not_equal(r.v[j].id, k.ids[i]);
				assert_true(check_why(s, &r.v[j]) >= 1);
				char *theirs = cats_of(s, r.v[j].id);
				hits += same_field(mine, theirs);
				free(theirs);
			}
			free(mine);
			if (hits * 10 < (int)r.n * 5)   /* half at least (measured: 5 to 10 of 10) */
				fail_msg("similar %s (%s): %d of %zu in the field", k.ids[i], cats[c], hits, r.n);
			rank_result_free(&r);
		}
	}
	struct rank_result r;
	assert_int_equal(rank_similar(s, "2411.99999", 10, &r, &e), -1);
	assert_int_equal(e.kind, LERR_NOTFOUND);
	store_close(&s);
}

static int join_token(void *ctx, const char *t, size_t n)
{
	sbuf_add(ctx, t, n);
	sbuf_add(ctx, "\n", 1);
	return 0;
}

/* Each text FTS5 indexed, as vocab (an fts5vocab "instance" table) lists its tokens, against
 * store_tokenize of the same text (text_sql: the text of ?1 doc, ?2 column). Returns the number
 * of texts compared. */
static long compare_tokens(struct store *s, const char *vocab, const char *where,
                           const char *text_sql)
{
	char sql[512];
	snprintf(sql, sizeof sql, "SELECT doc, col, term FROM %s %s ORDER BY doc, col, offset",
	         vocab, where);
	sqlite3_stmt *st, *tx;
	assert_int_equal(sqlite3_prepare_v2(s->db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(s->db, text_sql, -1, &tx, NULL), SQLITE_OK);
	long texts = 0;
	int rc = sqlite3_step(st);
	while (rc == SQLITE_ROW) {
		int64_t doc = sqlite3_column_int64(st, 0);
		char *col = strdup((const char *)sqlite3_column_text(st, 1));
		struct sbuf index = {0}, ours = {0};
		while (rc == SQLITE_ROW && sqlite3_column_int64(st, 0) == doc &&
		       !strcmp((const char *)sqlite3_column_text(st, 1), col)) {
			sbuf_add(&index, (const char *)sqlite3_column_text(st, 2),
			         (size_t)sqlite3_column_bytes(st, 2));
			sbuf_add(&index, "\n", 1);
			rc = sqlite3_step(st);
		}
		sqlite3_bind_int64(tx, 1, doc);
		sqlite3_bind_text(tx, 2, col, -1, SQLITE_TRANSIENT);
		assert_int_equal(sqlite3_step(tx), SQLITE_ROW);
		const char *text = (const char *)sqlite3_column_text(tx, 0);
		assert_int_equal(store_tokenize(s, text, (size_t)sqlite3_column_bytes(tx, 0), join_token,
		                                &ours), 0);
		if (strcmp(index.s, ours.s ? ours.s : ""))
			fail_msg("doc %lld %s: \"%s\"\nindex:\n%s\nstore_tokenize:\n%s", (long long)doc, col,
			         text, index.s, ours.s ? ours.s : "");
		sqlite3_reset(tx);
		sbuf_free(&index);
		sbuf_free(&ours);
		free(col);
		texts++;
	}
	assert_int_equal(rc, SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_finalize(tx);
	return texts;
}

/* store_tokenize (the ranker's features) gives the index's own tokens, in order: for every title
 * and abstract of the real day, as papers_fts indexed them, and for text made to be hard (its
 * ASCII shortcut must hand everything else to the tokenizer) in a table tokenized the same way. */
static void test_tokens_are_the_index(void **state)
{
	(void)state;
	struct store *s = day_store();
	assert_int_equal(sqlite3_exec(s->db, "CREATE VIRTUAL TABLE temp.day_vocab USING"
	                              " fts5vocab(main, papers_fts, instance)", NULL, NULL, NULL),
	                 SQLITE_OK);
	long n = compare_tokens(s, "temp.day_vocab", "WHERE col IN ('title', 'abstract')",
	                        "SELECT CASE ?2 WHEN 'title' THEN title ELSE abstract END"
	                        " FROM papers WHERE pk = ?1");
	assert_true(n >= 2 * 1504 - 10);   /* a title and an abstract a paper (a few are empty) */

	char long_word[600], long_text[9000];
	memset(long_word, 'Q', sizeof long_word - 1);
	long_word[sizeof long_word - 1] = 0;
	long_text[0] = 0;
	while (strlen(long_text) + 80 < sizeof long_text)
		strcat(long_text, "Graph Neural Networks, (GNNs) learn; naïve 大模型 x2 — ");
	const char *hard[] = {
		"Naïve Bayes über alles — façade café, Ærø, Øresund, straße",
		"大規模言語モデルの推論 GPTモデルと大模型 benchmark 🚀 ✨ 한국어 언어모델",
		"MiXeD CaSe, digits 123abc 4.5e-3; under_score hyphen-ated O(n^2) x86_64 H2O",
		"bad \xff\xfe bytes abc\xc3 def\xe2\x82 ghi \xe2\x28\xa1 end\xc3",
		"cafe\xcc\x81 re\xcc\x81sume\xcc\x81 \xcc\x81lead",
		"Ｆｕｌｌ ｗｉｄｔｈ ＡＢＣ１２３ and İstanbul ǅ ẞ ß ﬁne",
		"α-helix Ωmega μ-opioid Δ𝑥 ∑ℏ 👍🏽ok 🤗🤗 ☀x",
		"  \t\n ...leading and trailing separators!!! ",
		"a b c d e 1 2 3",
		long_word,
		long_text,
	};
	assert_int_equal(sqlite3_exec(s->db, "CREATE VIRTUAL TABLE temp.hard USING fts5(x,"
	                              " tokenize='lectern remove_diacritics 2');"
	                              "CREATE VIRTUAL TABLE temp.hard_vocab USING"
	                              " fts5vocab(temp, hard, instance)", NULL, NULL, NULL),
	                 SQLITE_OK);
	sqlite3_stmt *ins;
	assert_int_equal(sqlite3_prepare_v2(s->db, "INSERT INTO temp.hard (rowid, x) VALUES (?1, ?2)",
	                                    -1, &ins, NULL), SQLITE_OK);
	for (size_t i = 0; i < ARRAY_LEN(hard); i++) {
		sqlite3_bind_int64(ins, 1, (int64_t)i + 1);
		sqlite3_bind_text(ins, 2, hard[i], -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(ins), SQLITE_DONE);
		sqlite3_reset(ins);
	}
	/* store_tokenize classifies 8 bytes at a time and finds tokens 64 bytes at a time: every
	 * ASCII byte between letters and in every lane of a word, and texts of every length across
	 * a few words (tokens cut at each boundary), with and without other bytes */
	struct sbuf gen[8 + 1 + 2 * 140] = {0};
	size_t ng = 0;
	for (int lane = 0; lane < 8; lane++, ng++) {
		sbuf_add(&gen[ng], "xYzWvUtS", (size_t)lane);
		for (int c = 1; c < 128; c++)
			sbuf_addc(&gen[ng], (char)c);
	}
	for (int c = 1; c < 128; c++)
		sbuf_printf(&gen[ng], "a%cB ", c);
	ng++;
	for (size_t len = 1; len <= 140; len++, ng += 2) {
		static const char ascii[] = "Word9-xY_z0", other[] = "Aé大bC-Ωd";
		for (size_t k = 0; k < len; k++) {
			sbuf_addc(&gen[ng], ascii[k % (sizeof ascii - 1)]);
			sbuf_addc(&gen[ng + 1], other[k % (sizeof other - 1)]);
		}
	}
	for (size_t i = 0; i < ng; i++) {
		sqlite3_bind_int64(ins, 1, (int64_t)(ARRAY_LEN(hard) + i) + 1);
		sqlite3_bind_text(ins, 2, gen[i].s, (int)gen[i].len, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(ins), SQLITE_DONE);
		sqlite3_reset(ins);
	}
	sqlite3_finalize(ins);
	n = compare_tokens(s, "temp.hard_vocab", "", "SELECT x FROM temp.hard WHERE rowid = ?1"
	                   " AND ?2 IS NOT NULL");
	assert_int_equal(n, (long)(ARRAY_LEN(hard) + ng));   /* each has a token */
	for (size_t i = 0; i < ng; i++)
		sbuf_free(&gen[i]);
	store_close(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_and_few_favourites),
		cmocka_unit_test(test_model),
		cmocka_unit_test(test_old_model_made_again),
		cmocka_unit_test(test_similar),
		cmocka_unit_test(test_tokens_are_the_index),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
