/* Tests for the OAI-PMH parser (feed_oai.c through feed_parse) against real ListRecords pages
 * (tests/data/oai-pmh/, tests/data/http/oai/; see tests/data/http/README.md) and crafted
 * envelopes in arXiv's template: records in the three formats, tokens, deleted records, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lectern/feed.h"
#include "lectern/paper.h"
#include "lectern/util.h"

#define OAI "tests/data/oai-pmh/"
#define RAW "tests/data/http/oai/listrecords-arxivraw.xml"

struct coll {
	struct paper *v;
	size_t n, cap;
};

static int collect(void *ctx, const struct paper *p)
{
	struct coll *c = ctx;
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->v = xreallocarray(c->v, c->cap, sizeof *c->v);
	}
	paper_init(&c->v[c->n]);
	paper_copy(&c->v[c->n], p);
	c->n++;
	return 0;
}

static void coll_free(struct coll *c)
{
	for (size_t i = 0; i < c->n; i++)
		paper_clear(&c->v[i]);
	free(c->v);
	memset(c, 0, sizeof *c);
}

static int parse_mem(const char *buf, size_t len, struct coll *c, struct feed_info *fi,
                     struct lerr *e)
{
	return feed_parse(FEED_OAI_PMH, buf, len, NULL, collect, c, fi, e);
}

static int parse_file(const char *path, struct coll *c, struct feed_info *fi, struct lerr *e)
{
	size_t len;
	struct lerr le;
	char *buf = util_read_file(path, &len, &le);
	if (!buf)
		fail_msg("cannot read %s: %s (run from the repository root)", path, le.msg);
	int rc = parse_mem(buf, len, c, fi, e);
	free(buf);
	return rc;
}

static int64_t ts(const char *s)
{
	int64_t t = 0;
	assert_int_equal(util_parse_time(s, &t), 0);
	return t;
}

static const struct paper *find(const struct coll *c, const char *id)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].id && !strcmp(c->v[i].id, id))
			return &c->v[i];
	fail_msg("paper %s not found", id);
	return NULL;
}

/* The new endpoint's arXivRaw page: raw TeX, every version dated, one authors string. */
static void test_arxivraw_page(void **state)
{
	(void)state;
	struct coll c = {0};
	struct feed_info fi;
	struct lerr e;
	assert_int_equal(parse_file(RAW, &c, &fi, &e), 0);
	assert_int_equal(fi.format, FEED_OAI_PMH);
	assert_int_equal(c.n, 3);
	assert_int_equal(fi.n_items, 3);
	assert_string_equal(fi.oai_token, "verb%3DListRecords%26metadataPrefix%3DarXivRaw%26from%3D"
	                                  "2024-03-05%26until%3D2024-03-05%26skip%3D3");
	assert_int_equal(fi.oai_cursor, -1);   /* the new server's token has neither */
	assert_int_equal(fi.oai_list_size, -1);
	assert_string_equal(fi.oai_datestamp, "2024-03-05");
	assert_string_equal(fi.oai_error, "");
	assert_int_equal(fi.oai_deleted, 0);

	const struct paper *p = find(&c, "math/9602216");   /* an old-style id, three versions */
	assert_int_equal(p->source_kind, PAPER_SRC_ARXIV);
	assert_int_equal(p->version, 3);
	assert_int_equal(p->published, ts("1996-02-15T00:00:00Z"));
	assert_int_equal(p->updated, ts("2024-03-03T11:58:08Z"));
	/* every version with its date (the one between the first and the last too) */
	char want[96];
	snprintf(want, sizeof want, "1:%lld 2:%lld 3:%lld", (long long)ts("1996-02-15T00:00:00Z"),
	         (long long)ts("2023-05-18T13:38:36Z"), (long long)ts("2024-03-03T11:58:08Z"));
	assert_string_equal(p->versions, want);
	int v[4];
	int64_t t[4];
	assert_int_equal(paper_versions(p->versions, v, t, 4), 3);
	assert_true(v[1] == 2 && t[1] == ts("2023-05-18T13:38:36Z"));
	assert_int_equal(paper_versions(p->versions, v, t, 2), 2);   /* at most max */
	assert_int_equal(paper_versions("x 2:5 3: 4:7", v, t, 4), 2);   /* bad entries skipped */
	assert_true(v[0] == 2 && t[0] == 5 && v[1] == 4 && t[1] == 7);
	assert_string_equal(p->title, "Categoricity and amalgamation for AEC and $ \\kappa $ measurable");
	assert_int_equal(p->n_authors, 2);
	assert_string_equal(p->authors[0].name, "Oren Kolman");
	assert_string_equal(p->authors[1].name, "Saharon Shelah");
	assert_string_equal(p->categories, "math.LO");
	assert_string_equal(p->primary_category, "math.LO");
	assert_string_equal(p->comment, "We now use the framework of AECs rather than models of a fixed theory");
	assert_string_equal(p->journal_ref, "[Sh:362]: Fund. Math. 151 (1996), 209--240");
	assert_null(p->doi);
	assert_false(p->withdrawn);
	/* entities decoded, TeX kept, the indented lines are paragraphs */
	assert_non_null(strstr(p->abstract, "categorical in a cardinal $\\lambda > \\kappa$"));
	assert_non_null(strstr(p->abstract, "classes of models.\nIn this revised version"));
	assert_non_null(strstr(p->abstract, "context of AEC."));
	assert_string_equal(p->url_abs, "https://arxiv.org/abs/math/9602216");

	p = find(&c, "1907.01743");   /* "A, B, ..., and J": ten authors */
	assert_int_equal(p->n_authors, 10);
	assert_string_equal(p->authors[0].name, "Yi Wang");
	assert_string_equal(p->authors[8].name, "Tianfu Wang");
	assert_string_equal(p->authors[9].name, "Dong Ni");
	assert_string_equal(p->doi, "10.1109/TMI.2019.2913184");
	assert_string_equal(p->categories, "eess.IV cs.AI cs.CV cs.LG");
	assert_string_equal(p->primary_category, "eess.IV");
	assert_int_equal(p->version, 2);
	assert_int_equal(p->published, ts("2019-07-03T05:21:52Z"));

	p = find(&c, "1711.03463");
	assert_int_equal(p->version, 3);
	assert_int_equal(p->updated, ts("2021-12-05T11:29:23Z"));
	assert_string_equal(p->journal_ref, "Commun. Math. Phys. (2024) 405:70");
	coll_free(&c);
	feed_info_clear(&fi);
}

/* The arXiv format: keyname/forenames, created/updated; the legacy page and the new one. */
static void test_arxiv_format(void **state)
{
	(void)state;
	struct coll c = {0};
	struct feed_info fi;
	struct lerr e;
	assert_int_equal(parse_file(OAI "tamnd-2026-09-14-ListRecords-arXiv-format-tex-to-unicode-EDITED.xml",
	                            &c, &fi, &e), 0);
	assert_int_equal(c.n, 1);
	assert_null(fi.oai_token);   /* no token: the list is complete */
	const struct paper *p = &c.v[0];
	assert_string_equal(p->id, "math/9602216");
	assert_int_equal(p->n_authors, 2);
	assert_string_equal(p->authors[0].name, "Oren Kolman");
	assert_string_equal(p->title, "Categoricity and amalgamation for AEC and $ κ$ measurable");
	assert_int_equal(p->updated, ts("2024-03-05"));
	coll_free(&c);
	feed_info_clear(&fi);

	assert_int_equal(parse_file(OAI "hepcrawl-2017-ListRecords-arXiv-set-physics_hep-th.xml", &c,
	                            &fi, &e), 0);
	assert_true(c.n >= 2);
	p = find(&c, "1412.8323");
	assert_int_equal(p->n_authors, 1);
	assert_string_equal(p->authors[0].name, "Philipp A Hoehn");
	assert_string_equal(p->title, "Toolbox for reconstructing quantum theory from rules on "
	                              "information acquisition");
	assert_int_equal(p->published, ts("2014-12-29"));
	assert_int_equal(p->updated, ts("2017-12-13"));
	assert_string_equal(p->categories, "quant-ph gr-qc hep-th math-ph math.MP physics.hist-ph");
	assert_non_null(strstr(p->abstract, "We develop an operational approach for reconstructing the "
	                                    "quantum theory of qubit systems"));
	assert_string_equal(fi.oai_datestamp, "2017-12-14");
	coll_free(&c);
	feed_info_clear(&fi);
}

/* oai_dc on the legacy server: "Last, First" creators, the legacy token's cursor and size. */
static void test_oai_dc(void **state)
{
	(void)state;
	struct coll c = {0};
	struct feed_info fi;
	struct lerr e;
	assert_int_equal(parse_file(OAI "atomiklabs-2024-01-27-ListRecords-oai_dc-set-cs-with-token.xml",
	                            &c, &fi, &e), 0);
	assert_int_equal(c.n, 5);
	assert_string_equal(fi.oai_token, "6960524|1001");
	assert_int_equal(fi.oai_cursor, 0);
	assert_int_equal(fi.oai_list_size, 1162);
	const struct paper *p = find(&c, "1303.2033");
	assert_string_equal(p->title, "Extended Fourier analysis of signals");
	assert_int_equal(p->n_authors, 1);
	assert_string_equal(p->authors[0].name, "Vilnis Liepins");
	assert_non_null(p->abstract);
	assert_true(!strncmp(p->abstract, "This summary of the doctoral thesis", 35));
	assert_null(strstr(p->abstract, "Comment:"));   /* the comment is a second description */
	assert_true(p->published > 0);
	coll_free(&c);
	feed_info_clear(&fi);
}

#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" \
	"<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\">\n" \
	"    <responseDate>2026-09-14T10:49:50Z</responseDate>\n" \
	"    <request verb=\"ListRecords\">http://oaipmh.arxiv.org/oai</request>\n"

/* A deleted record is delivered as the id and `withdrawn`; the empty token ends the list. */
static void test_deleted_record(void **state)
{
	(void)state;
	const char *doc = HEAD "<ListRecords><record><header status=\"deleted\">\n"
		"<identifier>oai:arXiv.org:1907.01743</identifier><datestamp>2024-03-06</datestamp>\n"
		"<setSpec>cs:cs:AI</setSpec></header></record>\n"
		"<resumptionToken/></ListRecords></OAI-PMH>\n";
	struct coll c = {0};
	struct feed_info fi;
	struct lerr e;
	assert_int_equal(parse_mem(doc, strlen(doc), &c, &fi, &e), 0);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.v[0].id, "1907.01743");
	assert_true(c.v[0].withdrawn);
	assert_null(c.v[0].title);
	assert_int_equal(fi.oai_deleted, 1);
	assert_null(fi.oai_token);
	assert_string_equal(fi.oai_datestamp, "2024-03-06");
	coll_free(&c);
	feed_info_clear(&fi);
}

/* Errors in arXiv's template (HTTP 200): noRecordsMatch is an empty success, the others fail
 * with their code and text; a document that is not OAI-PMH says so. */
static void test_errors(void **state)
{
	(void)state;
	static const char *const codes[] = { "badArgument", "badResumptionToken", "badVerb",
	                                     "cannotDisseminateFormat", "idDoesNotExist",
	                                     "noMetadataFormats" };
	char doc[1024];
	struct coll c = {0};
	struct feed_info fi;
	struct lerr e;
	snprintf(doc, sizeof doc, HEAD "    <error code='noRecordsMatch'>No records match</error>\n</OAI-PMH>\n");
	assert_int_equal(parse_mem(doc, strlen(doc), &c, &fi, &e), 0);
	assert_int_equal(c.n, 0);
	assert_string_equal(fi.oai_error, "noRecordsMatch");
	assert_null(fi.oai_token);
	feed_info_clear(&fi);
	for (size_t i = 0; i < sizeof codes / sizeof *codes; i++) {
		snprintf(doc, sizeof doc, HEAD "    <error code='%s'>Invalid\n   thing &amp; more</error>\n</OAI-PMH>\n",
		         codes[i]);
		assert_int_equal(parse_mem(doc, strlen(doc), &c, &fi, &e), -1);
		assert_int_equal(e.kind, LERR_PARSE);
		assert_string_equal(fi.oai_error, codes[i]);
		char want[128];
		snprintf(want, sizeof want, "OAI-PMH error %s: Invalid thing & more", codes[i]);
		assert_string_equal(e.msg, want);   /* one line */
		feed_info_clear(&fi);
	}
	const char *atom = "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>x</title></feed>";
	assert_int_equal(parse_mem(atom, strlen(atom), &c, &fi, &e), -1);
	assert_non_null(strstr(e.msg, "not an OAI-PMH response"));
	feed_info_clear(&fi);
	const char *cut = HEAD "<ListRecords><record><header>";
	assert_int_equal(parse_mem(cut, strlen(cut), &c, &fi, &e), -1);
	assert_int_equal(e.kind, LERR_PARSE);
	assert_int_equal(c.n, 0);
	feed_info_clear(&fi);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arxivraw_page),
		cmocka_unit_test(test_arxiv_format),
		cmocka_unit_test(test_oai_dc),
		cmocka_unit_test(test_deleted_record),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
