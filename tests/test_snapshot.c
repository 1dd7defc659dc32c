/* Tests for arXiv's metadata snapshot records (feed_snapshot.c). tests/data/snapshot/ holds real
 * papers of the OAI-PMH and API fixtures written in the snapshot's shape (make_snapshot.py): each
 * must come out exactly as those sources give the same paper — title, abstract, authors with
 * their affiliations, versions and dates, categories, comment, journal ref, DOI. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "lectern/feed.h"
#include "lectern/paper.h"
#include "lectern/util.h"

#define SNAPSHOT "tests/data/snapshot/arxiv-snapshot.jsonl"

static int keep(void *ctx, const struct paper *p)
{
	struct paper *want = ctx;
	if (want->id && p->id && !strcmp(want->id, p->id)) {
		char *id = want->id;
		want->id = NULL;
		paper_clear(want);
		paper_copy(want, p);
		free(id);
	}
	return 0;
}

/* The paper `id` as the file at path (an OAI-PMH page or an arXiv API answer) gives it. */
static void from_source(const char *path, enum feed_format fmt, const char *id, struct paper *out)
{
	size_t len;
	struct lerr e;
	char *buf = util_read_file(path, &len, &e);
	if (!buf)
		fail_msg("cannot read %s: %s", path, e.msg);
	paper_init(out);
	out->id = xstrdup(id);
	struct feed_info fi;
	assert_int_equal(feed_parse(fmt, buf, len, NULL, keep, out, &fi, &e), 0);
	feed_info_clear(&fi);
	free(buf);
	if (!out->title)
		fail_msg("%s is not in %s", id, path);
}

/* The snapshot's record of `id`. */
static void from_snapshot(const char *id, struct paper *out)
{
	FILE *f = fopen(SNAPSHOT, "r");
	assert_non_null(f);
	char *line = NULL;
	size_t cap = 0;
	bool found = false;
	while (!found && getline(&line, &cap, f) > 0) {
		struct json_object *o = json_tokener_parse(line);
		assert_non_null(o);
		assert_true(feed_snapshot_is(o));
		struct lerr e;
		assert_int_equal(feed_snapshot_paper(o, out, &e), 0);
		found = !strcmp(out->id, id);
		if (!found)
			paper_clear(out);
		json_object_put(o);
	}
	free(line);
	fclose(f);
	if (!found)
		fail_msg("%s is not in the snapshot file", id);
}

#define SAME_STR(a, b, what) \
	do { if (((a) == NULL) != ((b) == NULL) || ((a) && strcmp((a), (b)))) \
		fail_msg("%s %s: \"%s\" != \"%s\"", id, what, (a) ? (a) : "(null)", (b) ? (b) : "(null)"); } while (0)

static void assert_same(const char *id, const struct paper *s, const struct paper *w, bool dates)
{
	SAME_STR(s->title, w->title, "title");
	SAME_STR(s->abstract, w->abstract, "abstract");
	assert_int_equal(s->n_authors, w->n_authors);
	for (size_t i = 0; i < s->n_authors; i++) {
		SAME_STR(s->authors[i].name, w->authors[i].name, "author");
		SAME_STR(s->authors[i].affiliation, w->authors[i].affiliation, "affiliation");
	}
	SAME_STR(s->categories, w->categories, "categories");
	SAME_STR(s->primary_category, w->primary_category, "primary category");
	SAME_STR(s->comment, w->comment, "comment");
	SAME_STR(s->journal_ref, w->journal_ref, "journal ref");
	SAME_STR(s->doi, w->doi, "doi");
	assert_int_equal(s->published, w->published);
	if (dates) {   /* the arXivRaw versions: the same versions and their dates */
		assert_int_equal(s->version, w->version);
		assert_int_equal(s->updated, w->updated);
		SAME_STR(s->versions, w->versions, "versions");
	}
	assert_int_equal(s->source_kind, PAPER_SRC_ARXIV);
}

/* The three papers of the real arXivRaw page: every version, raw TeX, wrapped text unwrapped. */
static void test_snapshot_as_oai(void **state)
{
	(void)state;
	static const char *const ids[] = { "math/9602216", "1907.01743", "1711.03463" };
	for (size_t i = 0; i < sizeof ids / sizeof *ids; i++) {
		const char *id = ids[i];
		struct paper s, w;
		from_snapshot(id, &s);
		from_source("tests/data/http/oai/listrecords-arxivraw.xml", FEED_OAI_PMH, id, &w);
		assert_same(id, &s, &w, true);
		paper_clear(&s);
		paper_clear(&w);
	}
	struct paper s;
	from_snapshot("math/9602216", &s);
	assert_int_equal(s.version, 3);
	assert_string_equal(s.title, "Categoricity and amalgamation for AEC and $ \\kappa $ measurable");
	assert_non_null(strstr(s.abstract, "classes of models.\nIn this revised version"));
	paper_clear(&s);
}

/* Papers of the API fixtures: old-style ids, affiliations, 34 authors with a TeX accent. */
static void test_snapshot_as_api(void **state)
{
	(void)state;
	static const struct { const char *id, *file; } t[] = {
		{ "astro-ph/0601001", "arxivpy-2026-id_astro-ph_0601001_s0_m100_3150dca9dc76.xml" },
		{ "quant-ph/0201082", "arxivpy-2026-id_quant-ph_0201082v1_s0_m100_86989fe779ef.xml" },
		{ "1707.08567", "arxivpy-2026-id_1707.08567_s0_m100_6a1afebfc6a3.xml" },
		{ "2104.12255", "arxivpy-2026-id_2104.12255v1_s0_m100_6ae69987ffe1.xml" },
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		const char *id = t[i].id;
		char path[256];
		snprintf(path, sizeof path, "tests/data/arxiv-api/%s", t[i].file);
		struct paper s, w;
		from_snapshot(id, &s);
		from_source(path, FEED_ARXIV_API, id, &w);
		assert_same(id, &s, &w, false);
		assert_int_equal(s.version, 1);
		paper_clear(&s);
		paper_clear(&w);
	}
}

static int one(const char *json, struct paper *p, struct lerr *e)
{
	struct json_object *o = json_tokener_parse(json);
	assert_non_null(o);
	int rc = feed_snapshot_paper(o, p, e);
	json_object_put(o);
	return rc;
}

/* Edge cases: a suffix, no authors_parsed (the string is split), no versions (update_date), nulls,
 * lectern's own JSON Lines (no snapshot record), an id that is not arXiv's. */
static void test_snapshot_edges(void **state)
{
	(void)state;
	struct paper p;
	struct lerr e;
	assert_int_equal(one("{\"id\":\"hep-th/9901001\",\"title\":\"On\\n  $N=4$ things\","
	                     "\"abstract\":\"  One.\\n  Two\\nlines.\\n\",\"doi\":null,\"license\":null,"
	                     "\"versions\":[{\"version\":\"v2\",\"created\":\"Sat, 2 Jan 1999 10:00:00 GMT\"},"
	                     "{\"version\":\"v1\",\"created\":\"Fri, 1 Jan 1999 09:00:00 GMT\"}],"
	                     "\"update_date\":\"2008-11-13\","
	                     "\"authors_parsed\":[[\"Smith\",\"John\",\"Jr.\"],[\"M\\u00fcller\",\"A.\",\"\",\"CERN\",\"ETH\"]]}",
	                     &p, &e), 0);
	assert_string_equal(p.id, "hep-th/9901001");
	assert_string_equal(p.title, "On $N=4$ things");
	assert_string_equal(p.abstract, "One.\nTwo lines.");
	assert_int_equal(p.n_authors, 2);
	assert_string_equal(p.authors[0].name, "John Smith Jr.");
	assert_null(p.authors[0].affiliation);
	assert_string_equal(p.authors[1].name, "A. Müller");
	assert_string_equal(p.authors[1].affiliation, "CERN; ETH");
	assert_int_equal(p.version, 2);   /* versions in any order */
	assert_string_equal(p.versions, "1:915181200 2:915271200");
	int64_t t;
	assert_int_equal(util_parse_time("1999-01-01T09:00:00Z", &t), 0);
	assert_int_equal(p.published, t);
	assert_int_equal(util_parse_time("1999-01-02T10:00:00Z", &t), 0);
	assert_int_equal(p.updated, t);
	assert_null(p.doi);
	paper_clear(&p);

	assert_int_equal(one("{\"id\":\"2501.01234\",\"title\":\"T\",\"authors\":\"A. B\\\\'ezout, C. D, and E. F\","
	                     "\"versions\":[],\"update_date\":\"2025-01-05\"}", &p, &e), 0);
	assert_int_equal(p.n_authors, 3);
	assert_string_equal(p.authors[0].name, "A. Bézout");
	assert_string_equal(p.authors[2].name, "E. F");
	assert_int_equal(util_parse_time("2025-01-05", &t), 0);
	assert_int_equal(p.updated, t);
	assert_int_equal(p.published, 0);
	paper_clear(&p);

	struct json_object *o = json_tokener_parse("{\"id\":\"2501.01234\",\"title\":\"T\",\"authors\":[{\"name\":\"A\"}]}");
	assert_false(feed_snapshot_is(o));   /* lectern's own export */
	assert_int_equal(feed_snapshot_paper(o, &p, &e), -1);
	assert_int_equal(e.kind, LERR_PARSE);
	json_object_put(o);
	paper_clear(&p);
	assert_int_equal(one("{\"id\":\"not an id\",\"authors_parsed\":[]}", &p, &e), -1);
	assert_non_null(strstr(e.msg, "is not an arXiv id"));
	paper_clear(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_snapshot_as_oai),
		cmocka_unit_test(test_snapshot_as_api),
		cmocka_unit_test(test_snapshot_edges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
