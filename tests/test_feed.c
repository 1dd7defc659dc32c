/* Tests for the feed parsers against real recorded responses (tests/data/, see SOURCES.md in
 * /work/shared/fixtures/real) and crafted edge cases. Run from the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <cmocka.h>

#include "lectern/feed.h"
#include "lectern/paper.h"
#include "lectern/util.h"

#define API "tests/data/arxiv-api/"
#define RSS "tests/data/arxiv-rss/"
#define HF  "tests/data/hf-daily/"
#define FEEDS "tests/data/feeds/"

struct coll {
	struct paper *v;
	size_t n, cap;
	size_t stop_after;   /* 0: never stop */
};

static int collect(void *ctx, const struct paper *p)
{
	struct coll *c = ctx;

	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->v = xreallocarray(c->v, c->cap, sizeof(*c->v));
	}
	paper_init(&c->v[c->n]);
	paper_copy(&c->v[c->n], p);
	c->n++;
	return c->stop_after && c->n >= c->stop_after;
}

static void coll_free(struct coll *c)
{
	for (size_t i = 0; i < c->n; i++)
		paper_clear(&c->v[i]);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

static const struct paper *find(const struct coll *c, const char *id)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].id && strcmp(c->v[i].id, id) == 0)
			return &c->v[i];
	fail_msg("paper %s not found", id);
	return NULL;
}

static int parse_mem(enum feed_format fmt, const char *buf, size_t len, struct coll *c,
                     struct feed_info *fi, struct lerr *e)
{
	return feed_parse(fmt, buf, len, NULL, collect, c, fi, e);
}

static int parse_str_url(const char *s, const char *url, struct coll *c)
{
	struct feed_info fi;
	struct lerr e;
	int rc = feed_parse(FEED_AUTO, s, strlen(s), url, collect, c, &fi, &e);

	feed_info_clear(&fi);
	return rc;
}

static int parse_str(enum feed_format fmt, const char *s, struct coll *c, struct feed_info *fi,
                     struct lerr *e)
{
	return parse_mem(fmt, s, strlen(s), c, fi, e);
}

static char *load(const char *path, size_t *len)
{
	struct lerr e;
	char *buf = util_read_file(path, len, &e);

	if (!buf)
		fail_msg("cannot read %s: %s (run from the repository root)", path, e.msg);
	return buf;
}

static int parse_file(enum feed_format fmt, const char *path, struct coll *c, struct feed_info *fi,
                      struct lerr *e)
{
	size_t len;
	char *buf = load(path, &len);
	int rc = parse_mem(fmt, buf, len, c, fi, e);

	free(buf);
	return rc;
}

static int64_t ts(const char *s)
{
	int64_t t = 0;

	assert_int_equal(util_parse_time(s, &t), 0);
	return t;
}

static void assert_prefix(const char *s, const char *prefix)
{
	assert_non_null(s);
	if (strncmp(s, prefix, strlen(prefix)) != 0)
		fail_msg("\"%.80s\" does not start with \"%s\"", s, prefix);
}

static void assert_contains(const char *s, const char *needle)
{
	assert_non_null(s);
	if (!strstr(s, needle))
		fail_msg("\"%.120s...\" does not contain \"%s\"", s, needle);
}

static size_t count_char(const char *s, char c)
{
	size_t n = 0;

	for (; s && *s; s++)
		n += *s == c;
	return n;
}

/* ---- arXiv API, legacy (2016) serialization ------------------------------------------------ */

static void test_api_legacy(void **state)
{
	struct coll c = {0};
	struct feed_info fi;
	struct lerr e;
	(void)state;

	assert_int_equal(parse_file(FEED_AUTO, API "arxivpy-2016-id_list_1111.2011v2.xml", &c, &fi, &e), 0);
	assert_int_equal(fi.format, FEED_ARXIV_API);
	assert_int_equal(fi.total_results, 1);
	assert_int_equal(fi.start_index, 0);
	assert_int_equal(fi.items_per_page, 10);
	assert_int_equal(fi.n_items, 1);
	assert_int_equal(c.n, 1);
	const struct paper *p = &c.v[0];
	assert_string_equal(p->id, "1111.2011");
	assert_int_equal(p->version, 2);
	/* the title wraps onto a second line in the feed */
	assert_string_equal(p->title, "Quantum Criticality for Extended Nodes on a Bethe Lattice in the "
	                              "Large Connectivity Limit");
	assert_prefix(p->abstract, "Theoretical description of anisotropic systems, such as layered "
	                           "superconductors and coupled spin chains");
	assert_null(strchr(p->abstract, '\n'));   /* wrapped lines are not paragraphs */
	assert_contains(p->abstract, "dimension to the theory describing a single node.");
	assert_int_equal(p->n_authors, 3);
	assert_string_equal(p->authors[0].name, "James M. Murray");
	assert_string_equal(p->authors[1].name, "Adrian Del Maestro");
	assert_string_equal(p->authors[2].name, "Zlatko Tesanovic");
	assert_null(p->authors[0].affiliation);
	assert_string_equal(p->doi, "10.1103/PhysRevB.85.115117");
	assert_string_equal(p->comment, "8 pages, 3 figures. Published version");
	assert_string_equal(p->journal_ref, "Phys. Rev. B 85, 115117 (2012)");
	assert_string_equal(p->primary_category, "cond-mat.str-el");
	assert_string_equal(p->categories, "cond-mat.str-el cond-mat.stat-mech");
	assert_true(p->published == ts("2011-11-08T18:48:36Z"));
	assert_true(p->updated == ts("2012-04-02T12:38:54Z"));
	assert_string_equal(p->url_abs, "http://arxiv.org/abs/1111.2011v2");
	assert_string_equal(p->url_pdf, "http://arxiv.org/pdf/1111.2011v2");
	assert_prefix(fi.title, "ArXiv Query: search_query=&id_list=1111.2011v2");
	feed_info_clear(&fi);
	coll_free(&c);

	assert_int_equal(parse_file(FEED_ARXIV_API, API "arxivpy-2016-q_au_del_maestro.xml", &c, &fi, &e), 0);
	assert_int_equal(c.n, 10);
	assert_int_equal(fi.total_results, 31);
	for (size_t i = 0; i < c.n; i++) {
		assert_true(paper_is_arxiv_id(c.v[i].id));
		assert_true(c.v[i].version >= 1);
		assert_non_null(c.v[i].title);
		assert_null(strchr(c.v[i].title, '\n'));
		bool found = false;
		for (size_t a = 0; a < c.v[i].n_authors; a++)
			found |= strstr(c.v[i].authors[a].name, "Del Maestro") != NULL;
		assert_true(found);
	}
	feed_info_clear(&fi);
	coll_free(&c);
}

/* ---- arXiv API, current (2026) serialization ---------------------------------------------- */

static void test_api_old_style_id(void **state)
{
	struct coll c = {0};
	struct feed_info fi;
	struct lerr e;
	(void)state;

	assert_int_equal(parse_file(FEED_AUTO, API "arxivpy-2026-id_astro-ph_0601001_s0_m100_3150dca9dc76.xml",
	                            &c, &fi, &e), 0);
	assert_int_equal(fi.format, FEED_ARXIV_API);
	assert_int_equal(fi.items_per_page, 100);
	assert_int_equal(c.n, 1);
	const struct paper *p = &c.v[0];
	assert_string_equal(p->id, "astro-ph/0601001");
	assert_int_equal(p->version, 1);
	assert_string_equal(p->title, "Frequency of Hot Jupiters and Very Hot Jupiters from the OGLE-III "
	                              "Transit Surveys Toward the Galactic Bulge and Carina");
	/* the summary starts with two spaces; entities decoded once */
	assert_prefix(p->abstract, "We derive the frequencies of hot Jupiters (HJs)");
	assert_contains(p->abstract, "following Gould & Morgan (2003)");
	assert_contains(p->abstract, "limit of V_max<17.5.");
	assert_contains(p->abstract, "(1/310)(1^{+1.39}_{-0.59})");
	assert_int_equal(p->n_authors, 4);
	assert_string_equal(p->authors[0].name, "Andrew Gould");
	assert_string_equal(p->authors[0].affiliation, "Ohio State");
	assert_string_equal(p->authors[2].name, "B. Scott Gaudi");
	assert_string_equal(p->authors[2].affiliation, "CfA");
	assert_string_equal(p->authors[3].affiliation, "Warsaw University Observatory");
	assert_string_equal(p->journal_ref, "ActaAstron.56:1-50,2006");
	assert_prefix(p->comment, "62 pages including 16 figures and 9 tables.");
	assert_null(p->doi);
	assert_string_equal(p->categories, "astro-ph");
	assert_string_equal(p->primary_category, "astro-ph");
	assert_string_equal(p->url_abs, "https://arxiv.org/abs/astro-ph/0601001v1");
	assert_string_equal(p->url_pdf, "https://arxiv.org/pdf/astro-ph/0601001v1");
	assert_true(p->published == ts("2006-01-02T14:57:58Z"));
	feed_info_clear(&fi);
	coll_free(&c);

	assert_int_equal(parse_file(FEED_AUTO, API "arxivpy-2026-id_quant-ph_0201082v1_s0_m100_86989fe779ef.xml",
	                            &c, &fi, &e), 0);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.v[0].id, "quant-ph/0201082");
	assert_int_equal(c.v[0].version, 1);
	assert_string_equal(c.v[0].categories, "quant-ph cs.PL");
	assert_string_equal(c.v[0].primary_category, "quant-ph");
	assert_string_equal(c.v[0].comment, "32 pages");
	assert_string_equal(c.v[0].authors[0].name, "Stephen Blaha");
	feed_info_clear(&fi);
	coll_free(&c);
}

static void test_api_edge_entries(void **state)
{
	struct coll c = {0};
	struct feed_info fi;
	struct lerr e;
	(void)state;

	/* 34 authors, a non-ASCII name, a comment */
	assert_int_equal(parse_file(FEED_AUTO, API "arxivpy-2026-id_1707.08567_s0_m100_6a1afebfc6a3.xml",
	                            &c, &fi, &e), 0);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.v[0].n_authors, 34);
	assert_string_equal(c.v[0].authors[0].name, "Kees A. Schouhamer Immink");
	assert_string_equal(c.v[0].authors[4].name, "Peter H. N. de With");
	assert_string_equal(c.v[0].authors[32].name, "Dirk W\xc3\xbc" "bben");
	assert_string_equal(c.v[0].comment,
	                    "44 pages, editors for the proceedings: Yanling Chen and A. J. Han Vinck");
	feed_info_clear(&fi);
	coll_free(&c);

	/* the title "0"; a "$" that is not LaTeX */
	assert_int_equal(parse_file(FEED_AUTO, API "arxivpy-2026-id_2104.12255v1_s0_m100_6ae69987ffe1.xml",
	                            &c, &fi, &e), 0);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.v[0].title, "0");
	assert_string_equal(c.v[0].id, "2104.12255");
	assert_contains(c.v[0].abstract, "generously awarded $35,000 in total");
	feed_info_clear(&fi);
	coll_free(&c);

	assert_int_equal(parse_file(FEED_AUTO, API "arxivpy-2026-id_1605.08386_s0_m100_199195aa31ad.xml",
	                            &c, &fi, &e), 0);
	assert_string_equal(c.v[0].categories, "math.CO math.ST");
	assert_string_equal(c.v[0].primary_category, "math.CO");
	assert_int_equal(c.v[0].n_authors, 2);
	assert_string_equal(c.v[0].authors[1].name, "Tobias Windisch");
	feed_info_clear(&fi);
	coll_free(&c);
}

static void test_api_100(void **state)
{
	struct coll c = {0};
	struct feed_info fi;
	struct lerr e;
	size_t dois = 0, jrefs = 0, multi = 0;
	(void)state;

	assert_int_equal(parse_file(FEED_AUTO, API "arxivpy-2026-q_testing_s0_m100_cfe7536492ca.xml",
	                            &c, &fi, &e), 0);
	assert_int_equal(c.n, 100);
	assert_int_equal(fi.n_items, 100);
	assert_int_equal(fi.total_results, 214881);
	for (size_t i = 0; i < c.n; i++) {
		dois += c.v[i].doi != NULL;
		jrefs += c.v[i].journal_ref != NULL;
		multi += strchr(c.v[i].abstract, '\n') != NULL;
		assert_non_null(c.v[i].primary_category);
		assert_prefix(c.v[i].categories, c.v[i].primary_category);
	}
	assert_int_equal(dois, 32);
	assert_int_equal(jrefs, 18);
	assert_int_equal(multi, 11);
	assert_string_equal(c.v[0].id, "2202.12139");

	/* paragraphs: "\n  Objective." in the feed is a paragraph break */
	const struct paper *p = find(&c, "1812.11470");
	assert_int_equal(count_char(p->abstract, '\n'), 3);
	assert_prefix(p->abstract, "Context. Multiple automated techniques");
	assert_contains(p->abstract, "community as a whole.\nObjective. In this systematic review");
	assert_contains(p->abstract, "\nConclusion. For effectiveness");
	/* LaTeX verbatim in titles and abstracts */
	assert_string_equal(find(&c, "2306.03845")->title,
	                    "$\xcf\x89$Test: WebView-Oriented Testing for Android Applications");
	assert_contains(find(&c, "2106.13414")->abstract,
	                "\\[\\tilde \xce\x98\\left(\\frac{\\sqrt{n}}{\\varepsilon_2^{2}} + \\frac{n}{\\log n}");
	feed_info_clear(&fi);
	coll_free(&c);

	assert_int_equal(parse_file(FEED_AUTO, API "sotawhat-2026-q_all_transformer_AND_cat_cs.LG_m5.xml",
	                            &c, &fi, &e), 0);
	assert_int_equal(c.n, 5);
	assert_int_equal(fi.total_results, 28946);
	size_t four = 0;
	for (size_t i = 0; i < c.n; i++)
		four += count_char(c.v[i].categories, ' ') == 3;
	assert_true(four >= 1);
	feed_info_clear(&fi);
	coll_free(&c);
}

static void test_api_error_and_empty(void **state)
{
	struct coll c = {0};
	struct feed_info fi;
	struct lerr e;
	(void)state;

	assert_int_equal(parse_file(FEED_AUTO, API "arxivpy-2026-id_abc_s0_m100_b79c8dcf6bc3.xml",
	                            &c, &fi, &e), -1);
	assert_int_equal(e.kind, LERR_PARSE);
	assert_contains(e.msg, "incorrect id format for abc");
	assert_int_equal(c.n, 0);   /* never a paper titled "Error" */
	assert_int_equal(fi.n_items, 0);
	feed_info_clear(&fi);

	/* a well-formed id that does not exist: success, nothing */
	assert_int_equal(parse_file(FEED_AUTO, API "arxivpy-2026-id_0000.0000_s0_m100_8b51d9633a68.xml",
	                            &c, &fi, &e), 0);
	assert_int_equal(c.n, 0);
	assert_int_equal(fi.total_results, 0);
	assert_int_equal(fi.format, FEED_ARXIV_API);
	feed_info_clear(&fi);

	/* the sort error has another id form */
	const char *sort_err =
		"<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry>"
		"<id>https://arxiv.org/help/api/user-manual#sort</id><title>Error</title>"
		"<summary>sortBy must be in: relevance, lastUpdatedDate, submittedDate</summary>"
		"<author><name>arXiv api core</name></author></entry></feed>";
	assert_int_equal(parse_str(FEED_ARXIV_API, sort_err, &c, &fi, &e), -1);
	assert_int_equal(e.kind, LERR_PARSE);
	assert_contains(e.msg, "sortBy must be in");
	assert_int_equal(c.n, 0);
	feed_info_clear(&fi);
}

/* Element order and namespace prefixes must not matter. */
static void test_api_order_and_prefixes(void **state)
{
	struct coll c = {0};
	struct feed_info fi;
	struct lerr e;
	(void)state;
	const char *doc =
		"<?xml version='1.0' encoding='UTF-8'?>\n"
		"<a:feed xmlns:a=\"http://www.w3.org/2005/Atom\" xmlns:x=\"http://arxiv.org/schemas/atom\"\n"
		"        xmlns:os=\"http://a9.com/-/spec/opensearch/1.1/\">\n"
		" <a:entry>\n"
		"  <a:author><x:affiliation>MIT</x:affiliation><a:name>Ren\\'e Fran\\c{c}ois</a:name>"
		"<x:affiliation>CERN</x:affiliation></a:author>\n"
		"  <a:author><a:name>B. Second</a:name></a:author>\n"
		"  <a:category term=\"cs.AI\"/><a:category term=\"cs.LG\"/><a:category term=\"cs.AI\"/>\n"
		"  <x:primary_category term=\"cs.LG\"/>\n"
		"  <a:link title=\"pdf\" href=\"https://arxiv.org/pdf/2501.01234v3\" rel=\"related\"/>\n"
		"  <a:link href=\"https://arxiv.org/abs/2501.01234v3\" rel=\"alternate\"/>\n"
		"  <x:doi>10.1000/xyz</x:doi>\n"
		"  <a:summary>Line one\nwrapped.\n\nSecond para with $\\alpha &lt; 1$.</a:summary>\n"
		"  <a:title>  A   title\n  wrapped  </a:title>\n"
		"  <a:updated>2025-01-03T00:00:00Z</a:updated><a:published>2025-01-01T00:00:00Z</a:published>\n"
		"  <a:id>http://arxiv.org/abs/2501.01234v3</a:id>\n"
		" </a:entry>\n"
		" <os:totalResults>7</os:totalResults>\n"
		"</a:feed>\n";

	assert_int_equal(parse_str(FEED_AUTO, doc, &c, &fi, &e), 0);
	assert_int_equal(fi.format, FEED_ARXIV_API);
	assert_int_equal(fi.total_results, 7);
	assert_int_equal(c.n, 1);
	const struct paper *p = &c.v[0];
	assert_string_equal(p->id, "2501.01234");
	assert_int_equal(p->version, 3);
	assert_string_equal(p->title, "A title wrapped");
	assert_string_equal(p->abstract, "Line one wrapped.\nSecond para with $\\alpha < 1$.");
	assert_int_equal(p->n_authors, 2);
	assert_string_equal(p->authors[0].name, "Ren\xc3\xa9 Fran\xc3\xa7ois");
	assert_string_equal(p->authors[0].affiliation, "MIT; CERN");
	assert_string_equal(p->authors[1].name, "B. Second");
	assert_null(p->authors[1].affiliation);
	assert_string_equal(p->categories, "cs.LG cs.AI");
	assert_string_equal(p->primary_category, "cs.LG");
	assert_string_equal(p->doi, "10.1000/xyz");
	assert_string_equal(p->url_pdf, "https://arxiv.org/pdf/2501.01234v3");
	assert_true(p->published == ts("2025-01-01T00:00:00Z"));
	assert_true(p->updated == ts("2025-01-03T00:00:00Z"));
	feed_info_clear(&fi);
	coll_free(&c);
}

/* ---- arXiv RSS ------------------------------------------------------------------------------ */

static const struct paper *find_author_paper(const struct coll *c, const char *name, size_t *idx)
{
	for (size_t i = 0; i < c->n; i++)
		for (size_t a = 0; a < c->v[i].n_authors; a++)
			if (strcmp(c->v[i].authors[a].name, name) == 0) {
				*idx = a;
				return &c->v[i];
			}
	fail_msg("author %s not found", name);
	return NULL;
}

static void test_rss_big(void **state)
{
	struct coll c = {0};
	struct feed_info fi;
	struct lerr e;
	size_t dois = 0, jrefs = 0, max_authors = 0, v1 = 0, backslash = 0, types[5] = {0};
	(void)state;

	assert_int_equal(parse_file(FEED_AUTO, RSS "aioarxiv-2024-11-28-rss-all-archives-1504-items.xml",
	                            &c, &fi, &e), 0);
	assert_int_equal(fi.format, FEED_RSS);
	assert_int_equal(c.n, 1504);
	assert_int_equal(fi.n_items, 1504);
	assert_string_equal(fi.day, "2024-11-28");   /* 00:00 -0500: the announce day itself */
	assert_int_equal(fi.total_results, -1);
	for (size_t i = 0; i < c.n; i++) {
		const struct paper *p = &c.v[i];
		assert_true(paper_is_arxiv_id(p->id));
		assert_true(p->version >= 1);
		/* the listing names no primary, but puts it first */
		assert_non_null(p->categories);
		assert_non_null(p->primary_category);
		assert_prefix(p->categories, p->primary_category);
		assert_non_null(p->abstract);
		assert_null(strstr(p->abstract, "Announce Type"));
		assert_true(p->n_authors >= 1);
		dois += p->doi != NULL;
		jrefs += p->journal_ref != NULL;
		v1 += p->version == 1;
		if (p->n_authors > max_authors)
			max_authors = p->n_authors;
		for (size_t a = 0; a < p->n_authors; a++) {
			backslash += strchr(p->authors[a].name, '\\') != NULL;
			assert_null(strchr(p->authors[a].name, '('));
			assert_null(strchr(p->authors[a].name, ','));
		}
		assert_true(p->updated == ts("2024-11-28T05:00:00Z"));
		assert_true(p->version == 1 ? p->published == p->updated : p->published == 0);
		types[p->announce]++;
		/* the item's own link goes with the listing (store_upsert) */
		assert_non_null(p->listing_url);
		assert_prefix(p->listing_url, "https://arxiv.org/abs/");
	}
	/* arXiv's announce types, as the feed counts them (no replace-cross that day) */
	assert_int_equal(types[PAPER_ANN_NEW], 926);
	assert_int_equal(types[PAPER_ANN_CROSS], 9);
	assert_int_equal(types[PAPER_ANN_REPLACE], 569);
	assert_int_equal(types[PAPER_ANN_REPLACE_CROSS], 0);
	assert_int_equal(types[PAPER_ANN_UNKNOWN], 0);
	assert_int_equal(dois, 111);
	assert_int_equal(jrefs, 97);
	assert_int_equal(max_authors, 207);
	assert_int_equal(backslash, 0);   /* every TeX accent in a name decoded */
	assert_true(v1 > 900);

	size_t a;
	const struct paper *p = find_author_paper(&c, "Benjamin R\xc3\xa9my", &a);
	assert_string_equal(p->id, "2411.17748");
	assert_int_equal(a, 4);
	assert_string_equal(p->authors[a].affiliation, "LEMTA");
	assert_string_equal(p->authors[0].name, "Mohammed Riadh Berramdane");
	assert_string_equal(p->authors[0].affiliation, "IFPEN");
	assert_int_equal(p->n_authors, 6);
	assert_string_equal(p->categories, "eess.SP cs.LG stat.ML");
	assert_string_equal(p->title, "Deployment of ARX Models for Thermal Forecasting in Power "
	                              "Electronics Boards Using WBG Semiconductors");
	assert_prefix(p->abstract, "Facing the thermal management challenges");
	assert_string_equal(p->url_abs, "https://arxiv.org/abs/2411.17748");

	p = find_author_paper(&c, "V\xc3\xa1" "clav Vavry\xc4\x8d" "uk", &a);
	assert_int_equal(p->n_authors, 1);

	p = find(&c, "2411.17709");
	assert_int_equal(p->n_authors, 8);
	assert_string_equal(p->authors[2].name, "Przemys\xc5\x82" "aw Olbratowski");
	assert_string_equal(p->authors[7].name, "Jaros\xc5\x82" "aw \xc5\xbb" "ygierewicz");
	assert_string_equal(p->categories, "eess.SP cs.LG");

	/* affiliations with commas stay whole */
	p = find_author_paper(&c, "Aleteia Araujo", &a);
	assert_string_equal(p->authors[a].affiliation,
	                    "University of Brasilia Brazil, The University of Melbourne Australia");
	assert_string_equal(p->authors[a + 1].name, "Breno Costa");
	assert_int_equal(p->n_authors, 5);

	/* "\&amp;" in a title is TeX as sent */
	bool amp = false;
	for (size_t i = 0; i < c.n; i++)
		amp |= c.v[i].title && strstr(c.v[i].title, "Attributes \\& Preferences") != NULL;
	assert_true(amp);
	/* multi-paragraph abstracts: 75 in this feed */
	size_t multi = 0;
	for (size_t i = 0; i < c.n; i++)
		multi += strchr(c.v[i].abstract, '\n') != NULL;
	assert_int_equal(multi, 75);
	feed_info_clear(&fi);
	coll_free(&c);
}

static void test_rss_small_error_empty(void **state)
{
	struct coll c = {0};
	struct feed_info fi;
	struct lerr e;
	(void)state;

	assert_int_equal(parse_file(FEED_RSS,
	                            RSS "layareader-2026-09-24-rss-multicat-cs.LG+cs.AI+cs.CL+stat.ML-4items.xml",
	                            &c, &fi, &e), 0);
	assert_int_equal(c.n, 4);
	assert_string_equal(fi.day, "2026-09-24");
	assert_string_equal(fi.title, "cs.LG, cs.AI, cs.CL, stat.ML updates on arXiv.org");
	assert_string_equal(c.v[0].id, "2609.26811");
	assert_int_equal(c.v[0].version, 1);
	assert_string_equal(c.v[0].authors[0].name, "Fabien Polly");
	assert_true(c.v[0].published == ts("2026-09-24T04:00:00Z"));
	/* the cross-listing: categories outside the request, a DOI, an older version */
	assert_string_equal(c.v[2].id, "2205.06398");
	assert_int_equal(c.v[2].version, 2);
	assert_string_equal(c.v[2].doi, "10.1093/bioinformatics/btac431");
	assert_string_equal(c.v[2].categories, "stat.ME stat.AP stat.ML");
	assert_string_equal(c.v[2].primary_category, "stat.ME");   /* a cross-list: primary elsewhere */
	assert_int_equal(c.v[2].published, 0);
	/* the replacement */
	assert_string_equal(c.v[3].id, "2009.13987");
	assert_int_equal(c.v[3].version, 3);
	assert_int_equal(c.v[3].published, 0);
	assert_true(c.v[3].updated == ts("2026-09-24T04:00:00Z"));
	feed_info_clear(&fi);
	coll_free(&c);

	assert_int_equal(parse_file(FEED_AUTO, RSS "aioarxiv-2024-11-28-rss-error-bad-archive.xml",
	                            &c, &fi, &e), -1);
	assert_int_equal(e.kind, LERR_PARSE);
	assert_contains(e.msg, "Bad archive 'astroph'");
	assert_int_equal(c.n, 0);
	feed_info_clear(&fi);

	assert_int_equal(parse_file(FEED_AUTO, RSS "aioarxiv-2024-11-28-rss-empty-test-archive.xml",
	                            &c, &fi, &e), 0);
	assert_int_equal(c.n, 0);
	assert_int_equal(fi.n_items, 0);
	assert_int_equal(fi.format, FEED_RSS);
	assert_string_equal(fi.day, "2024-11-28");
	feed_info_clear(&fi);
}

/* rss.arxiv.org/atom: the same listing as Atom (structure from arXiv's serializer). */
static void test_arxiv_listing_atom(void **state)
{
	struct coll c = {0};
	struct feed_info fi;
	struct lerr e;
	(void)state;
	const char *doc =
		"<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:arxiv=\"http://arxiv.org/schemas/atom\"\n"
		" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
		"<title>cs.LG updates on arXiv.org</title>\n"
		"<entry><id>oai:arXiv.org:2411.00001v2</id><title>T</title>\n"
		"<updated>2024-11-28T00:00:00-05:00</updated>\n"
		"<link href=\"https://arxiv.org/abs/2411.00001\" rel=\"alternate\" type=\"text/html\"/>\n"
		"<summary>arXiv:2411.00001v2 Announce Type: replace \nAbstract: The abstract.</summary>\n"
		"<category term=\"cs.LG\" scheme=\"http://arxiv.org/schemas/atom\"/>\n"
		"<published>2024-11-28T00:00:00-05:00</published>\n"
		"<arxiv:announce_type>replace</arxiv:announce_type>\n"
		"<dc:creator>A. One, B. Two, and C. Three</dc:creator></entry></feed>";

	/* replace-cross (no sample in the recorded feeds: synthesised), stated only in the
	 * summary's "Announce Type:" line */
	const char *rc =
		"<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:arxiv=\"http://arxiv.org/schemas/atom\">\n"
		"<title>cs.LG updates on arXiv.org</title>\n"
		"<entry><id>oai:arXiv.org:2301.00002v3</id><title>T</title>\n"
		"<updated>2024-11-28T00:00:00-05:00</updated>\n"
		"<link href=\"https://arxiv.org/abs/2301.00002\" rel=\"alternate\" type=\"text/html\"/>\n"
		"<summary>arXiv:2301.00002v3 Announce Type: replace-cross \nAbstract: A.</summary>\n"
		"</entry></feed>";

	assert_int_equal(parse_str(FEED_AUTO, doc, &c, &fi, &e), 0);
	assert_int_equal(fi.format, FEED_ATOM);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.v[0].id, "2411.00001");
	assert_int_equal(c.v[0].version, 2);
	assert_string_equal(c.v[0].abstract, "The abstract.");
	assert_int_equal(c.v[0].n_authors, 3);
	assert_string_equal(c.v[0].authors[2].name, "C. Three");
	assert_string_equal(c.v[0].url_abs, "https://arxiv.org/abs/2411.00001");
	assert_int_equal(c.v[0].published, 0);
	assert_int_equal(c.v[0].announce, PAPER_ANN_REPLACE);
	assert_string_equal(c.v[0].listing_url, "https://arxiv.org/abs/2411.00001");
	feed_info_clear(&fi);
	coll_free(&c);

	/* replace-cross, stated only in the summary */
	assert_int_equal(parse_str(FEED_AUTO, rc, &c, &fi, &e), 0);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.v[0].announce, PAPER_ANN_REPLACE_CROSS);
	feed_info_clear(&fi);
	coll_free(&c);
}

/* ---- other feeds ---------------------------------------------------------------------------- */

static void test_generic_rss(void **state)
{
	struct coll c = {0};
	struct feed_info fi;
	struct lerr e;
	(void)state;
	const char *doc =
		"<?xml version=\"1.0\"?>\n"
		"<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
		"     xmlns:prism=\"http://prismstandard.org/namespaces/basic/2.0/\"\n"
		"     xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\n"
		"<channel><title>A Journal</title><pubDate>Mon, 03 Feb 2025 10:00:00 GMT</pubDate>\n"
		"<image><title>not the feed title</title></image>\n"
		/* bioRxiv style: "Last, I." list, DOI in dc:identifier, HTML description */
		"<item><title>Gene &lt;i&gt;X&lt;/i&gt; &amp;amp; friends</title>\n"
		"<link>https://www.biorxiv.org/content/10.1101/2025.01.01.123456v1</link>\n"
		"<description>&lt;p&gt;We study &lt;b&gt;X&lt;/b&gt;.&lt;/p&gt;&lt;p&gt;Then Y.&lt;/p&gt;</description>\n"
		"<dc:creator>Zhang, Y., Li, X.</dc:creator>\n"
		"<dc:identifier>doi:10.1101/2025.01.01.123456</dc:identifier>\n"
		"<dc:date>2025-01-02</dc:date></item>\n"
		/* journal TOC: prism:doi, one dc:creator per author */
		"<item><title>Paper two</title><link>https://journal.example/a/2</link>\n"
		"<prism:doi>10.1000/two</prism:doi><dc:creator>Ann Smith</dc:creator>"
		"<dc:creator>Bob Jones</dc:creator><category>Physics</category>"
		"<category>Machine Learning</category>"
		"<pubDate>Sun, 02 Feb 2025 08:00:00 +0000</pubDate></item>\n"
		/* an arXiv link makes it an arXiv paper */
		"<item><title>From arXiv</title><link>http://arxiv.org/abs/2501.00002v2</link>"
		"<author>jdoe@example.com (Jane Doe)</author></item>\n"
		/* only a link */
		"<item><title>Only a link</title><link>https://blog.example/post</link>"
		"<content:encoded>&lt;div&gt;Body&lt;/div&gt;</content:encoded></item>\n"
		/* only a guid */
		"<item><title>Guid</title><guid>tag:example,2025:1</guid></item>\n"
		/* nothing to identify it: skipped */
		"<item><title>Nothing</title></item>\n"
		"</channel></rss>\n";

	assert_int_equal(parse_str(FEED_AUTO, doc, &c, &fi, &e), 0);
	assert_int_equal(fi.format, FEED_RSS);
	assert_string_equal(fi.title, "A Journal");
	assert_string_equal(fi.day, "2025-02-03");
	assert_int_equal(c.n, 5);

	const struct paper *p = &c.v[0];
	assert_string_equal(p->id, "doi:10.1101/2025.01.01.123456");
	assert_string_equal(p->doi, "10.1101/2025.01.01.123456");
	assert_string_equal(p->title, "Gene X & friends");
	assert_string_equal(p->abstract, "We study X.\nThen Y.");
	assert_int_equal(p->n_authors, 2);   /* "Last, I." pairs, not "Zhang", "Y.", ... */
	assert_string_equal(p->authors[0].name, "Y. Zhang");
	assert_string_equal(p->authors[1].name, "X. Li");
	assert_true(p->published == ts("2025-01-02"));
	assert_string_equal(p->url_abs, "https://www.biorxiv.org/content/10.1101/2025.01.01.123456v1");

	p = &c.v[1];
	assert_string_equal(p->id, "doi:10.1000/two");
	assert_int_equal(p->n_authors, 2);
	assert_string_equal(p->authors[1].name, "Bob Jones");
	assert_string_equal(p->categories, "Physics Machine_Learning");
	assert_null(p->primary_category);
	assert_true(p->published == ts("2025-02-02T08:00:00Z"));

	p = &c.v[2];
	assert_string_equal(p->id, "2501.00002");
	assert_int_equal(p->version, 2);
	assert_string_equal(p->authors[0].name, "Jane Doe");

	assert_string_equal(c.v[3].id, "url:https://blog.example/post");
	assert_string_equal(c.v[3].abstract, "Body");
	assert_string_equal(c.v[4].id, "url:tag:example,2025:1");
	feed_info_clear(&fi);
	coll_free(&c);
}

static void test_generic_atom_and_rdf(void **state)
{
	struct coll c = {0};
	struct feed_info fi;
	struct lerr e;
	(void)state;
	const char *atom =
		"<feed xmlns=\"http://www.w3.org/2005/Atom\"><title type=\"text\">Blog</title>\n"
		"<entry><id>urn:uuid:1</id><title type=\"html\">A &lt;b&gt;bold&lt;/b&gt; &amp;amp; title</title>\n"
		"<link href=\"https://blog.example/1\"/><updated>2025-03-01T12:00:00+02:00</updated>\n"
		"<author><name>Ann</name></author><author><name>Bo</name></author>\n"
		"<content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Para <em>one</em></p>"
		"<p>two</p></div></content></entry></feed>";

	assert_int_equal(parse_str(FEED_AUTO, atom, &c, &fi, &e), 0);
	assert_int_equal(fi.format, FEED_ATOM);
	assert_string_equal(fi.title, "Blog");
	assert_int_equal(c.n, 1);
	assert_string_equal(c.v[0].id, "url:https://blog.example/1");
	assert_string_equal(c.v[0].title, "A bold & title");
	assert_string_equal(c.v[0].abstract, "Para one\ntwo");
	assert_int_equal(c.v[0].n_authors, 2);
	assert_true(c.v[0].published == ts("2025-03-01T10:00:00Z"));
	feed_info_clear(&fi);
	coll_free(&c);

	const char *rdf =
		"<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"\n"
		" xmlns=\"http://purl.org/rss/1.0/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
		"<channel rdf:about=\"x\"><title>RDF feed</title><dc:date>2025-04-05T00:00:00Z</dc:date></channel>\n"
		"<image><title>img</title></image>\n"
		"<item rdf:about=\"https://j.example/1\"><title>R1</title><link>https://j.example/1</link>\n"
		"<description>Abs</description><dc:creator>A. Author</dc:creator><dc:subject>Topic</dc:subject></item>\n"
		"</rdf:RDF>";
	assert_int_equal(parse_str(FEED_AUTO, rdf, &c, &fi, &e), 0);
	assert_int_equal(fi.format, FEED_RSS);
	assert_string_equal(fi.title, "RDF feed");
	assert_string_equal(fi.day, "2025-04-05");
	assert_int_equal(c.n, 1);
	assert_string_equal(c.v[0].title, "R1");
	assert_string_equal(c.v[0].abstract, "Abs");
	assert_string_equal(c.v[0].categories, "Topic");
	assert_string_equal(c.v[0].authors[0].name, "A. Author");
	feed_info_clear(&fi);
	coll_free(&c);
}

/* Realistic blog and preprint-server feeds (tests/data/feeds/): the text as a reader expects it
 * (content over a teaser, HTML as paragraphs, sub/superscripts) and links made absolute. */
static void test_feed_text_and_links(void **state)
{
	struct coll c = {0};
	size_t len;
	char *buf;
	(void)state;

	/* A Jekyll blog (Atom, xml:base on the feed and on <content>). */
	buf = load(FEEDS "jekyll-lab-blog-atom.xml", &len);
	assert_int_equal(feed_parse(FEED_AUTO, buf, len, "https://elsewhere.example/feed.xml",
	                            collect, &c, NULL, NULL), 0);
	free(buf);
	assert_int_equal(c.n, 4);
	/* an arXiv id and its text only in <content>: that is its abstract */
	const struct paper *p = &c.v[0];
	assert_string_equal(p->id, "2501.17234");
	assert_int_equal(p->version, 1);
	assert_string_equal(p->abstract,
		"Video transformers spend most of their compute on attention between frames that "
		"barely change. We propose SparseClip, which attends only to tokens whose features "
		"moved.\nOn Kinetics-400 SparseClip matches dense attention while using 6\u00d7 fewer "
		"FLOPs, and its cost grows as O(n^{1.5}) rather than O(n\u00b2) in the number of frames.");
	assert_string_equal(p->url_abs, "https://lab.example.org/papers/2025/01/30/sparse-attention/");
	assert_string_equal(p->url_pdf, "https://lab.example.org/pdf/sparse-attention.pdf");
	assert_int_equal(p->n_authors, 2);
	/* xhtml content: sub/superscripts, <style> dropped; a rel="related" arXiv link does not
	 * make a blog post the paper */
	p = &c.v[1];
	assert_string_equal(p->id, "url:https://lab.example.org/papers/2025/01/21/co2-screening/");
	assert_string_equal(p->abstract,
		"We screen 12,000 bimetallic surfaces for the reduction of CO\u2082 to CH\u2083OH with "
		"a graph network trained on DFT energies.\nThe best candidates bind *CO with energies "
		"within 0.1 eV of Cu(211), at a cost 10\u2074 times lower than a DFT scan; rates are "
		"given in s\u207b\u00b9 site\u207b\u00b9 and turnover above T_c.");
	/* not an arXiv paper, content only: kept as it was, list items as lines */
	p = &c.v[2];
	assert_string_equal(p->id, "url:https://lab.example.org/notes/2025/01/15/reading-group/");
	assert_string_equal(p->abstract, "This week we read three papers on fast samplers for "
	                    "diffusion models.\nDPM-Solver\nConsistency models");
	/* a summary that is the first paragraph of the content: the content wins */
	p = &c.v[3];
	assert_string_equal(p->id, "2412.09981");
	assert_int_equal(p->version, 2);
	assert_string_equal(p->abstract,
		"Event cameras report brightness changes with microsecond latency. We train a network "
		"to predict dense depth from a single event stream, without frames.\nOn MVSEC it "
		"halves the error of the best frame-free method.");
	coll_free(&c);

	/* WordPress RSS: a relative <link> resolves against the feed's URL; a teaser description
	 * gives way to content:encoded; a longer description that is not a prefix stays. */
	buf = load(FEEDS "wordpress-group-rss.xml", &len);
	assert_int_equal(feed_parse(FEED_AUTO, buf, len, "https://qmg.example.edu/feed/", collect,
	                            &c, NULL, NULL), 0);
	free(buf);
	assert_int_equal(c.n, 3);
	p = &c.v[0];
	assert_string_equal(p->id, "url:https://qmg.example.edu/2025/02/03/twisted-wse2-preprint/");
	assert_string_equal(p->url_abs, "https://qmg.example.edu/2025/02/03/twisted-wse2-preprint/");
	assert_prefix(p->abstract,
		"Our new preprint reports superconductivity in twisted bilayer WSe\u2082 near a twist "
		"angle of 5\u00b0. The critical temperature reaches 426\u00a0mK, and the "
		"superconducting dome sits next to a correlated insulator at half filling.\nTransport "
		"down to 20\u00a0mK shows a critical field B_{c2} of 0.4\u00a0T, well above the Pauli "
		"limit.\nThe sample was made by the tear-and-stack method.\n");
	assert_string_equal(c.v[1].abstract, "Two postdocs joined the group this month: Dr. Lena "
	                    "Vogt, who works on ARPES, and Dr. Kenji Mori, who grows thin films by "
	                    "molecular-beam epitaxy.");
	assert_prefix(c.v[2].abstract, "Prof. Ana Lima (Lisbon) will speak on topological phonons "
	              "in kagome metals on 17 January");
	coll_free(&c);

	/* bioRxiv (RSS 1.0): "Last, I." creators, superscripts in the description */
	buf = load(FEEDS "biorxiv-rdf.xml", &len);
	assert_int_equal(feed_parse(FEED_AUTO, buf, len, NULL, collect, &c, NULL, NULL), 0);
	free(buf);
	assert_int_equal(c.n, 2);
	p = &c.v[0];
	assert_string_equal(p->id, "doi:10.1101/2025.01.28.635210");
	assert_int_equal(p->n_authors, 4);
	assert_string_equal(p->authors[0].name, "C. N. Okafor");
	assert_string_equal(p->authors[2].name, "J.-P. Martinez-Soto");
	assert_string_equal(p->authors[3].name, "H. Tanaka");
	assert_contains(p->abstract, "and Ca\u00b2\u207a imaging");
	assert_int_equal(c.v[1].n_authors, 1);
	assert_string_equal(c.v[1].authors[0].name, "The Interneuron Atlas Consortium");
	coll_free(&c);

	/* Links without any base stay as written; xml:base on an item beats the feed URL; an
	 * absolute link is kept byte for byte. */
	const char *rss =
		"<rss version=\"2.0\"><channel><title>t</title>"
		"<item><link>posts/1.html</link><title>a</title></item>"
		"<item xml:base=\"https://mirror.example/blog/\"><link>posts/2.html</link></item>"
		"<item><link> https://x.example/a%7Eb?q=1&amp;r=|2 </link></item>"
		"</channel></rss>";
	assert_int_equal(parse_str_url(rss, NULL, &c), 0);
	assert_string_equal(c.v[0].url_abs, "posts/1.html");
	assert_string_equal(c.v[1].url_abs, "https://mirror.example/blog/posts/2.html");
	coll_free(&c);
	assert_int_equal(parse_str_url(rss, "https://site.example/feeds/all.rss", &c), 0);
	assert_string_equal(c.v[0].url_abs, "https://site.example/feeds/posts/1.html");
	assert_string_equal(c.v[1].url_abs, "https://mirror.example/blog/posts/2.html");
	assert_string_equal(c.v[2].url_abs, "https://x.example/a%7Eb?q=1&r=|2");
	coll_free(&c);
}

/* ---- Hugging Face ----------------------------------------------------------------------- */

static void test_hf_2024(void **state)
{
	struct coll c = {0};
	struct feed_info fi;
	struct lerr e;
	(void)state;

	assert_int_equal(parse_file(FEED_AUTO, HF "hfnewsletter-2024-05-27-reserialized.json", &c, &fi, &e), 0);
	assert_int_equal(fi.format, FEED_HF_DAILY);
	assert_int_equal(c.n, 13);
	assert_string_equal(fi.day, "2024-05-27");
	const struct paper *p = find(&c, "2405.15738");
	/* 2024 titles keep arXiv line wraps */
	assert_string_equal(p->title,
	                    "ConvLLaVA: Hierarchical Backbones as Visual Encoder for Large Multimodal Models");
	assert_int_equal(p->upvotes, 32);
	assert_int_equal(p->num_comments, 3);
	assert_int_equal(p->n_authors, 9);
	assert_string_equal(p->authors[0].name, "Chunjiang Ge");
	assert_null(p->submitter);
	assert_null(p->organization);
	assert_null(p->ai_summary);
	assert_string_equal(p->hf_day, "2024-05-27");
	assert_prefix(p->thumbnail, "https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2405.15738");
	assert_true(p->published == ts("2024-05-24T17:34:15.000Z"));
	assert_string_equal(p->url_hf, "https://huggingface.co/papers/2405.15738");
	assert_string_equal(p->url_abs, "https://arxiv.org/abs/2405.15738");
	assert_string_equal(p->url_pdf, "https://arxiv.org/pdf/2405.15738");
	assert_int_equal(p->github_stars, -1);
	feed_info_clear(&fi);
	coll_free(&c);

	/* 664 authors */
	assert_int_equal(parse_file(FEED_HF_DAILY, HF "hfnewsletter-2025-01-27-reserialized.json", &c, &fi, &e), 0);
	assert_int_equal(c.n, 4);
	assert_int_equal(find(&c, "2501.14249")->n_authors, 664);
	feed_info_clear(&fi);
	coll_free(&c);
}

static void test_hf_2025_2026(void **state)
{
	struct coll c = {0};
	struct feed_info fi;
	struct lerr e;
	(void)state;

	assert_int_equal(parse_file(FEED_AUTO, HF "hfnewsletter-2025-09-29-reserialized.json", &c, &fi, &e), 0);
	assert_int_equal(c.n, 30);
	const struct paper *p = find(&c, "2509.22622");
	assert_string_equal(p->title, "LongLive: Real-time Interactive Long Video Generation");
	assert_int_equal(p->upvotes, 100);
	assert_int_equal(p->num_comments, 1);
	assert_string_equal(p->submitter, "Syang");
	assert_string_equal(p->hf_day, "2025-09-29");
	assert_string_equal(p->url_code, "https://github.com/NVlabs/LongLive");
	assert_int_equal(p->github_stars, 137);
	assert_string_equal(p->url_project, "https://nvlabs.github.io/LongLive/");
	assert_prefix(p->ai_summary, "LongLive is a frame-level autoregressive framework");
	assert_prefix(p->ai_keywords, "frame-level autoregressive, diffusion models, diffusion-forcing models");
	assert_prefix(p->abstract, "We present LongLive, a frame-level autoregressive (AR) framework for real");
	assert_int_equal(p->n_authors, 12);
	/* 13 of these 30 items name only the submitter's organisation: kept as such */
	assert_string_equal(p->organization, "NVIDIA");
	assert_true(p->org_submitter);
	size_t subs = 0;
	for (size_t i = 0; i < c.n; i++)
		subs += c.v[i].organization && c.v[i].org_submitter;
	assert_int_equal(subs, 13);
	p = find(&c, "2509.19768");
	assert_string_equal(p->organization, "Stanford Open Virtual Assistant Lab (OVAL)");
	feed_info_clear(&fi);
	coll_free(&c);

	assert_int_equal(parse_file(FEED_AUTO, HF "hfnewsletter-2026-08-21-reserialized.json", &c, &fi, &e), 0);
	assert_int_equal(c.n, 17);
	p = find(&c, "2608.19880");
	assert_string_equal(p->organization, "Google");
	assert_string_equal(p->submitter, "taesiri");
	assert_int_equal(p->upvotes, 163);
	assert_int_equal(p->github_stars, 8);
	assert_string_equal(p->url_code, "https://github.com/google-research/envharness");
	assert_string_equal(p->hf_day, "2026-08-21");
	assert_int_equal(p->n_authors, 17);
	assert_string_equal(p->authors[0].name, "Chengsong Huang");
	feed_info_clear(&fi);
	coll_free(&c);

	assert_int_equal(parse_file(FEED_AUTO, HF "sotawhat-2026-06-12-raw.json", &c, &fi, &e), 0);
	assert_int_equal(c.n, 30);
	assert_string_equal(fi.day, "2026-06-12");
	size_t orgs = 0;
	for (size_t i = 0; i < c.n; i++) {
		orgs += c.v[i].organization != NULL;
		assert_string_equal(c.v[i].hf_day, "2026-06-12");
		assert_true(c.v[i].upvotes >= 0);
	}
	assert_int_equal(orgs, 16);
	p = find(&c, "2606.00467");
	assert_string_equal(p->organization, "California institute of technology");
	assert_string_equal(p->submitter, "Rafal Kocielnik");
	assert_int_equal(p->num_comments, 2);
	p = find(&c, "2606.12730");
	assert_int_equal(p->github_stars, 1);
	assert_int_equal(p->upvotes, 5);
	feed_info_clear(&fi);
	coll_free(&c);
}

static void test_hf_shapes(void **state)
{
	struct coll c = {0};
	struct feed_info fi;
	struct lerr e;
	(void)state;

	/* flat array (search), organisation name fallback, escapes in JSON strings stripped */
	const char *flat =
		"[{\"id\":\"2501.00001\",\"title\":\"Flat \\u001b[31mred\\u001b[0m\",\"upvotes\":5,"
		"\"summary\":\"S \\u001b]8;;http://evil/\\u0007link\\u001b]8;;\\u0007.\","
		"\"organization\":{\"name\":\"acme\"},\"authors\":[{\"name\":\"Ann\"},{\"x\":1},"
		"{\"name\":\"Bo\"}],\"publishedAt\":\"2025-01-01T00:00:00.000Z\"},"
		" 42, {\"title\":\"no id: skipped\"}]";
	assert_int_equal(parse_str(FEED_AUTO, flat, &c, &fi, &e), 0);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.v[0].title, "Flat red");
	assert_string_equal(c.v[0].abstract, "S link.");
	assert_string_equal(c.v[0].organization, "acme");
	assert_int_equal(c.v[0].upvotes, 5);
	assert_int_equal(c.v[0].n_authors, 2);
	assert_null(c.v[0].hf_day);
	feed_info_clear(&fi);
	coll_free(&c);

	/* a single paper object with an old-style versioned id; wrong types are ignored */
	const char *one = "{\"id\":\"hep-th/9901001v2\",\"title\":123,\"upvotes\":\"many\","
	                  "\"ai_keywords\":[\"a\",1,\"b\"],\"submittedOnDailyAt\":\"2025-02-03T04:05:06Z\"}";
	assert_int_equal(parse_str(FEED_HF_DAILY, one, &c, &fi, &e), 0);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.v[0].id, "hep-th/9901001");
	assert_int_equal(c.v[0].version, 2);
	assert_null(c.v[0].title);
	assert_int_equal(c.v[0].upvotes, -1);
	assert_string_equal(c.v[0].ai_keywords, "a, b");
	assert_string_equal(c.v[0].hf_day, "2025-02-03");
	assert_string_equal(c.v[0].url_hf, "https://huggingface.co/papers/hep-th/9901001");
	feed_info_clear(&fi);
	coll_free(&c);

	/* a date cut after "YYYY-" is no day, and is not read past its end (json-c sizes strings
	 * exactly, so ASan sees an over-read) */
	assert_int_equal(parse_str(FEED_HF_DAILY, "{\"id\":\"2502.00001\",\"submittedOnDailyAt\":\"2025-\"}",
	                           &c, &fi, &e), 0);
	assert_int_equal(c.n, 1);
	assert_null(c.v[0].hf_day);
	feed_info_clear(&fi);
	coll_free(&c);

	/* numbers out of range are clamped or unknown, never cast (a double past int64 is UB) */
	const char *nums =
		"[{\"id\":\"2501.00001\",\"upvotes\":1e30,\"githubStars\":-1e300,\"numComments\":7.9},"
		" {\"id\":\"2501.00002\",\"upvotes\":99999999999999999999999,\"githubStars\":-5,"
		"\"numComments\":-0.5},"
		" {\"id\":\"2501.00003v99999999999\",\"upvotes\":1e308}]";
	assert_int_equal(parse_str(FEED_AUTO, nums, &c, &fi, &e), 0);
	assert_int_equal(c.n, 3);
	assert_true(c.v[0].upvotes == PAPER_COUNT_MAX);
	assert_int_equal(c.v[0].github_stars, -1);
	assert_int_equal(c.v[0].num_comments, 7);
	assert_true(c.v[1].upvotes == PAPER_COUNT_MAX);
	assert_int_equal(c.v[1].github_stars, -1);
	assert_int_equal(c.v[1].num_comments, -1);
	/* a version of 11 digits is no arXiv id (atoi would overflow): kept as given */
	assert_string_equal(c.v[2].id, "2501.00003v99999999999");
	assert_int_equal(c.v[2].version, 0);
	assert_true(c.v[2].upvotes == PAPER_COUNT_MAX);
	feed_info_clear(&fi);
	coll_free(&c);

	/* paging past the end */
	assert_int_equal(parse_str(FEED_AUTO, "[]", &c, &fi, &e), 0);
	assert_int_equal(c.n, 0);
	assert_int_equal(fi.format, FEED_HF_DAILY);
	feed_info_clear(&fi);

	assert_int_equal(parse_str(FEED_AUTO, "{\"error\":\"Invalid date\"}", &c, &fi, &e), -1);
	assert_int_equal(e.kind, LERR_PARSE);
	assert_contains(e.msg, "Invalid date");
	feed_info_clear(&fi);
	assert_int_equal(parse_str(FEED_HF_DAILY, "\"just a string\"", &c, &fi, &e), -1);
	assert_int_equal(e.kind, LERR_PARSE);
	feed_info_clear(&fi);
}

/* ---- bad input ---------------------------------------------------------------------------- */

static void expect_parse_error(enum feed_format fmt, const char *buf, size_t len, int line)
{
	struct coll c = {0};
	struct feed_info fi;
	struct lerr e;

	assert_int_equal(parse_mem(fmt, buf, len, &c, &fi, &e), -1);
	assert_int_equal(e.kind, LERR_PARSE);
	assert_prefix(e.msg, "parse error at line ");
	if (line > 0) {
		char want[64];
		snprintf(want, sizeof(want), "parse error at line %d:", line);
		assert_prefix(e.msg, want);
		assert_int_equal(e.code, line);
	}
	feed_info_clear(&fi);
	coll_free(&c);
}

static void test_bad_input(void **state)
{
	size_t len;
	char *buf;
	(void)state;

	/* truncated XML: the papers before the cut were delivered, then an error */
	buf = load(API "arxivpy-2016-q_au_del_maestro.xml", &len);
	{
		struct coll c = {0};
		struct feed_info fi;
		struct lerr e;
		assert_int_equal(parse_mem(FEED_AUTO, buf, len / 2, &c, &fi, &e), -1);
		assert_int_equal(e.kind, LERR_PARSE);
		assert_prefix(e.msg, "parse error at line ");
		assert_true(e.code > 100);
		assert_true(c.n >= 1 && c.n < 10);
		feed_info_clear(&fi);
		coll_free(&c);
	}
	for (size_t cut = 1; cut < len; cut += len / 37)
		expect_parse_error(FEED_AUTO, buf, cut, 0);
	free(buf);

	buf = load(HF "hfnewsletter-2025-09-29-reserialized.json", &len);
	expect_parse_error(FEED_AUTO, buf, len - 10, 0);
	for (size_t cut = 1; cut < len; cut += len / 29)
		expect_parse_error(FEED_HF_DAILY, buf, cut, 0);
	free(buf);

	const char *html = "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head></html>";
	expect_parse_error(FEED_AUTO, html, strlen(html), 1);
	expect_parse_error(FEED_RSS, html, strlen(html), 1);
	const char *xhtml = "<?xml version=\"1.0\"?>\n\n<html xmlns=\"http://www.w3.org/1999/xhtml\"><body/></html>";
	expect_parse_error(FEED_ARXIV_API, xhtml, strlen(xhtml), 3);
	const char *garbled = "<rss><channel>\n<item><title>a</title>\n</chanel></rss>";
	expect_parse_error(FEED_AUTO, garbled, strlen(garbled), 3);
	const char *json_bad = "[\n{\"paper\": {\"id\": \"2501.00001\"}},\n{\"paper\": nope}\n]";
	expect_parse_error(FEED_AUTO, json_bad, strlen(json_bad), 3);
	const char *json_trailing = "[]\n\nx";
	expect_parse_error(FEED_AUTO, json_trailing, strlen(json_trailing), 3);
	expect_parse_error(FEED_AUTO, "", 0, 1);
	expect_parse_error(FEED_AUTO, "  \n ", 4, 0);
	expect_parse_error(FEED_AUTO, "hello", 5, 1);
	expect_parse_error(FEED_RSS, "[1,2]", 5, 1);                  /* JSON where XML was asked */
	expect_parse_error(FEED_AUTO, "<opml><body/></opml>", 20, 1);  /* XML but not a feed */
	expect_parse_error(FEED_AUTO, "\x00\x01\xff\xfe<", 5, 0);
}

/* Untrusted XML: no external entities, no network, no escape sequences to the terminal. */
static void test_xml_security(void **state)
{
	struct coll c = {0};
	struct feed_info fi;
	struct lerr e;
	(void)state;
	const char *xxe =
		"<?xml version=\"1.0\"?>\n<!DOCTYPE rss [<!ENTITY x SYSTEM \"file:///etc/passwd\">\n"
		"<!ENTITY y SYSTEM \"http://127.0.0.1:1/evil\">]>\n"
		"<rss><channel><item><title>A&x;B&y;C \xc2\x9b" "31mred &#x9b;0m</title><link>http://a/b</link>"
		"<description>&#x9d;0;title&#x9c;ok</description></item></channel></rss>";

	assert_int_equal(parse_str(FEED_AUTO, xxe, &c, &fi, &e), 0);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.v[0].title, "ABC red");
	assert_string_equal(c.v[0].abstract, "ok");
	feed_info_clear(&fi);
	coll_free(&c);

	/* the billion laughs stay unexpanded */
	const char *lol =
		"<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\">"
		"<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
		"<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]>"
		"<rss><channel><item><title>&d;&d;&d;&d;</title><guid>g</guid></item></channel></rss>";
	int rc = parse_str(FEED_AUTO, lol, &c, &fi, &e);
	if (rc == 0) {
		assert_int_equal(c.n, 1);
		assert_true(c.v[0].title == NULL || strlen(c.v[0].title) < 1000);
	}
	feed_info_clear(&fi);
	coll_free(&c);
}

static void test_callback_stop(void **state)
{
	struct coll c = {.stop_after = 2};
	struct feed_info fi;
	struct lerr e;
	(void)state;

	assert_int_equal(parse_file(FEED_AUTO, API "arxivpy-2016-q_au_del_maestro.xml", &c, &fi, &e), -1);
	assert_int_equal(e.kind, LERR_NONE);
	assert_int_equal(c.n, 2);
	feed_info_clear(&fi);
	coll_free(&c);

	c.stop_after = 1;
	assert_int_equal(parse_file(FEED_AUTO, HF "sotawhat-2026-06-12-raw.json", &c, &fi, &e), -1);
	assert_int_equal(e.kind, LERR_NONE);
	assert_int_equal(c.n, 1);
	feed_info_clear(&fi);
	coll_free(&c);

	/* NULL callback, info and error pointers are allowed */
	size_t len;
	char *buf = load(RSS "layareader-2026-09-24-rss-multicat-cs.LG+cs.AI+cs.CL+stat.ML-4items.xml", &len);
	assert_int_equal(feed_parse(FEED_AUTO, buf, len, NULL, NULL, NULL, NULL, NULL), 0);
	assert_int_equal(feed_parse(FEED_AUTO, buf, len / 3, NULL, NULL, NULL, NULL, NULL), -1);
	free(buf);
}

/* Creator lists as arXiv writes them. */
/* A document of many MB, read from a file mapping as net.c hands spooled bodies over, and from
 * the heap: the pages the parser has read past are given back as it goes (feed_xml_release), and
 * every entry still comes out whole, the last as the first. */
static void test_big_document_released(void **state)
{
	(void)state;
	enum { N = 40000 };   /* ~12 MB */
	FILE *f = tmpfile();
	assert_non_null(f);
	fputs("<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>t</title>\n", f);
	for (int i = 0; i < N; i++)
		fprintf(f, "<entry><id>https://b.example/%d</id><title>Entry number %d</title>"
		        "<link href=\"https://b.example/%d\"/><updated>2025-01-01T00:00:00Z</updated>"
		        "<summary>%0200d words</summary></entry>\n", i, i, i, i);
	fputs("</feed>\n", f);
	fflush(f);
	size_t len = (size_t)ftello(f);
	assert_true(len > (10u << 20));
	char *map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fileno(f), 0);
	assert_true(map != MAP_FAILED);
	char *heap = xmalloc(len);
	memcpy(heap, map, len);
	const char *bufs[] = { map, heap };
	for (int k = 0; k < 2; k++) {
		struct coll c = {0};
		struct feed_info fi;
		struct lerr e;
		assert_int_equal(feed_parse(FEED_AUTO, bufs[k], len, NULL, collect, &c, &fi, &e), 0);
		assert_int_equal(c.n, N);
		assert_string_equal(c.v[0].title, "Entry number 0");
		assert_string_equal(c.v[N - 1].title, "Entry number 39999");
		assert_string_equal(c.v[N / 2].url_abs, "https://b.example/20000");
		feed_info_clear(&fi);
		coll_free(&c);
	}
	/* the bytes are all still there (given back, not dropped) */
	assert_int_equal(memcmp(map, heap, len), 0);
	free(heap);
	munmap(map, len);
	fclose(f);
}

static void test_creators(void **state)
{
	struct coll c = {0};
	struct feed_info fi;
	struct lerr e;
	(void)state;
	const char *doc =
		"<rss xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel>"
		"<item><guid>oai:arXiv.org:2411.00002v1</guid>"
		"<dc:creator>A. One (Univ. X, Dept. Y), B. Two and C. Three</dc:creator></item>"
		"<item><guid>oai:arXiv.org:2411.00003v1</guid>"
		"<dc:creator>Jiahuei Lin (Justina), Dayi Lin, Sky Zhang, and Ahmed E. Hassan</dc:creator></item>"
		"<item><guid>oai:arXiv.org:2411.00004v1</guid>"
		"<dc:creator>Solo (A (nested) lab), Mononym</dc:creator></item>"
		"<item><guid>oai:arXiv.org:2411.00005v1</guid>"
		"<dc:creator>Broken (unclosed, Other</dc:creator></item>"
		"</channel></rss>";

	assert_int_equal(parse_str(FEED_AUTO, doc, &c, &fi, &e), 0);
	assert_int_equal(c.n, 4);
	assert_int_equal(c.v[0].n_authors, 3);
	assert_string_equal(c.v[0].authors[0].name, "A. One");
	assert_string_equal(c.v[0].authors[0].affiliation, "Univ. X, Dept. Y");
	assert_string_equal(c.v[0].authors[1].name, "B. Two");
	assert_string_equal(c.v[0].authors[2].name, "C. Three");
	assert_null(c.v[0].authors[2].affiliation);
	assert_int_equal(c.v[1].n_authors, 4);
	assert_string_equal(c.v[1].authors[3].name, "Ahmed E. Hassan");
	assert_int_equal(c.v[2].n_authors, 2);
	assert_string_equal(c.v[2].authors[0].name, "Solo");
	assert_string_equal(c.v[2].authors[0].affiliation, "A (nested) lab");
	assert_string_equal(c.v[2].authors[1].name, "Mononym");
	assert_int_equal(c.v[3].n_authors, 1);
	assert_string_equal(c.v[3].authors[0].name, "Broken (unclosed, Other");
	feed_info_clear(&fi);
	coll_free(&c);

	/* Other feeds: "Last, I." lists split into "I. Last"; any other comma list stays whole. */
	static const struct { const char *in; size_t n; const char *first, *last; } cases[] = {
		{"Zhang, Y., Li, X.", 2, "Y. Zhang", "X. Li"},
		{"Zhang, Y.", 1, "Y. Zhang", "Y. Zhang"},
		{"Ruiz-Orera, J., Villanueva-Ca\\~nas, J. L., Alb\u00e0, M. M.", 3, "J. Ruiz-Orera",
		 "M. M. Alb\u00e0"},
		{"van der Berg, A.-M.; Schmidt, Th.", 2, "A.-M. van der Berg", "Th. Schmidt"},
		{"Smith, J. and Doe, A.B.", 2, "J. Smith", "A.B. Doe"},
		{"Zhang, Yi, Li, Xiao", 1, "Zhang, Yi, Li, Xiao", NULL},      /* not initials */
		{"Zhang, Y., Li", 1, "Zhang, Y., Li", NULL},                  /* odd count */
		{"Y., Zhang", 1, "Y., Zhang", NULL},                          /* initials first */
		{"Zhang, y.", 1, "Zhang, y.", NULL},
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char *d = xasprintf("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\""
		                    " xmlns=\"http://purl.org/rss/1.0/\""
		                    " xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
		                    "<item><link>https://j.example/%zu</link>"
		                    "<dc:creator>%s</dc:creator></item></rdf:RDF>", i, cases[i].in);
		assert_int_equal(parse_str(FEED_AUTO, d, &c, &fi, &e), 0);
		assert_int_equal(c.n, 1);
		if (c.v[0].n_authors != cases[i].n)
			fail_msg("%s: %zu authors", cases[i].in, c.v[0].n_authors);
		assert_string_equal(c.v[0].authors[0].name, cases[i].first);
		if (cases[i].last)
			assert_string_equal(c.v[0].authors[cases[i].n - 1].name, cases[i].last);
		free(d);
		feed_info_clear(&fi);
		coll_free(&c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_api_legacy),
		cmocka_unit_test(test_api_old_style_id),
		cmocka_unit_test(test_api_edge_entries),
		cmocka_unit_test(test_api_100),
		cmocka_unit_test(test_api_error_and_empty),
		cmocka_unit_test(test_api_order_and_prefixes),
		cmocka_unit_test(test_rss_big),
		cmocka_unit_test(test_rss_small_error_empty),
		cmocka_unit_test(test_arxiv_listing_atom),
		cmocka_unit_test(test_generic_rss),
		cmocka_unit_test(test_generic_atom_and_rdf),
		cmocka_unit_test(test_feed_text_and_links),
		cmocka_unit_test(test_hf_2024),
		cmocka_unit_test(test_hf_2025_2026),
		cmocka_unit_test(test_hf_shapes),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_xml_security),
		cmocka_unit_test(test_callback_stop),
		cmocka_unit_test(test_big_document_released),
		cmocka_unit_test(test_creators),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
