/* Tests for paper_fields.c: the field table the detail pane, `lectern show` and CSV share. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lectern/paper_fields.h"

/* The text of field id for out, or NULL; *label gets its label. */
static char *text_of(const struct paper *p, enum paper_out out, enum paper_field_id id,
                     const char **label)
{
	size_t n;
	const struct paper_field *const *fs = paper_fields(out, &n);
	for (size_t i = 0; i < n; i++)
		if (fs[i]->id == id)
			return paper_field_text(fs[i], p, out, label);
	fail_msg("field %d not shown by output %d", (int)id, (int)out);
	return NULL;
}

static void test_table(void **st)
{
	(void)st;
	for (int out = 0; out < PAPER_OUT_N; out++) {
		size_t n;
		const struct paper_field *const *fs = paper_fields((enum paper_out)out, &n);
		assert_true(n > 15);
		bool seen[PF_N] = {0};
		for (size_t i = 0; i < n; i++) {
			assert_false(seen[fs[i]->id]);   /* each field once per output */
			seen[fs[i]->id] = true;
			if (fs[i]->view[out].kind == PAPER_FIELD_LINE)
				assert_non_null(fs[i]->view[out].label);
		}
	}
}

/* Asserts the text (NULL: none) and, when want_label is not NULL, the label of field id. */
static void expect(const struct paper *p, enum paper_out out, enum paper_field_id id,
                   const char *want, const char *want_label)
{
	const char *label;
	char *s = text_of(p, out, id, &label);
	if (want)
		assert_string_equal(s, want);
	else
		assert_null(s);
	if (want_label)
		assert_string_equal(label, want_label);
	free(s);
}

static void test_values(void **st)
{
	(void)st;
	struct paper p;
	paper_init(&p);
	p.id = strdup("2501.01234");
	p.version = 2;
	paper_add_author(&p, "Ada Lovelace", "");
	p.upvotes = 3;
	p.github_stars = 7;
	p.doi = strdup("10.1000/x");
	p.listings = strdup("hf-daily 2025-01-03\narxiv 2025-01-02");

	/* an empty affiliation is left out */
	expect(&p, PAPER_OUT_DETAIL, PF_AUTHORS, "Ada Lovelace", "Author");
	expect(&p, PAPER_OUT_DETAIL, PF_ID, "2501.01234v2", "arXiv");
	expect(&p, PAPER_OUT_DETAIL, PF_HUGGING_FACE, "3 upvotes", NULL);
	expect(&p, PAPER_OUT_SHOW, PF_HUGGING_FACE, "3 upvotes, 7 GitHub stars", NULL);
	/* one of each is singular */
	p.upvotes = p.github_stars = p.num_comments = 1;
	expect(&p, PAPER_OUT_SHOW, PF_HUGGING_FACE, "1 upvote, 1 comment, 1 GitHub star", NULL);
	p.upvotes = 3;
	p.github_stars = 7;
	p.num_comments = -1;
	/* the pane: oldest first; show: as stored */
	expect(&p, PAPER_OUT_DETAIL, PF_LISTED, "arxiv 2025-01-02, hf-daily 2025-01-03", NULL);
	expect(&p, PAPER_OUT_SHOW, PF_LISTED, "hf-daily 2025-01-03,arxiv 2025-01-02", NULL);
	expect(&p, PAPER_OUT_SHOW, PF_DOI, "10.1000/x", "doi");
	expect(&p, PAPER_OUT_DETAIL, PF_STATE, NULL, NULL);   /* nothing set */
	expect(&p, PAPER_OUT_SHOW, PF_STATE, "unread", NULL);
	expect(&p, PAPER_OUT_SHOW, PF_COMMENT, NULL, NULL);

	/* CSV: data, not prose */
	paper_add_author(&p, "Charles Babbage", "Cambridge");
	expect(&p, PAPER_OUT_CSV, PF_AUTHORS, "Ada Lovelace; Charles Babbage", "authors");
	expect(&p, PAPER_OUT_CSV, PF_ID, "2501.01234", "id");
	expect(&p, PAPER_OUT_CSV, PF_GITHUB, "7", "github_stars");
	expect(&p, PAPER_OUT_CSV, PF_NUM_COMMENTS, NULL, "num_comments");
	paper_clear(&p);
}

/* Asserts paper_links(p): "label url" lines joined by "\n". */
static void expect_links(const struct paper *p, const char *want)
{
	size_t n;
	struct paper_link *l = paper_links(p, &n);
	char got[4096] = "";
	for (size_t i = 0; i < n; i++) {
		assert_non_null(l[i].url);
		assert_true(l[i].kind != PAPER_LINK_FOUND || !strcmp(l[i].label, "link"));
		snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s %s", i ? "\n" : "", l[i].label,
		         l[i].url);
	}
	assert_null(l[n].url);
	assert_string_equal(got, want);
	free(l);
}

static void test_links(void **st)
{
	(void)st;
	struct paper p;
	paper_init(&p);
	expect_links(&p, "");
	/* an arXiv paper: abstract page and PDF derived from the id when not stored */
	p.id = strdup("2411.18363");
	expect_links(&p, "abstract https://arxiv.org/abs/2411.18363\npdf https://arxiv.org/pdf/2411.18363");

	/* fixed links in their order; the abstract's \url and \href (arXiv 2411.18363, 2411.17923),
	 * the one that repeats the code link (other scheme, trailing "/") not again; written-out
	 * URLs less trailing punctuation and an unopened ")", TeX's \_ read as "_"; no javascript:,
	 * file: or scheme-less URL; the comment's after the abstract's */
	p.url_pdf = strdup("https://arxiv.org/pdf/2411.18363v1");
	p.url_hf = strdup("https://huggingface.co/papers/2411.18363");
	p.url_project = strdup("https://chatrex.example.org/");
	p.url_code = strdup("https://github.com/IDEA-Research/ChatRex");
	p.abstract = strdup(
		"Code is available at \\url{http://github.com/IDEA-Research/ChatRex/}. The experiment code is "
		"open-sourced at \\href{https://github.com/Kanyooo/EEG-DCNet}{here}, the \\url{cat-4d.github.io} "
		"page and \\url{javascript:alert(1)} \\href{file:///etc/passwd}{x} are not links. Data "
		"(https://github.com/AllanMSouza/ACSP-FL), see https://github.com/JokerJohn/Cloud\\_Map\\_Evaluation "
		"and https://en.wikipedia.org/wiki/Kappa_(statistic). JAVASCRIPT:x https:// nothttps://x.org");
	p.comment = strdup("Project page: https://chatrex.example.org; models at "
	                   "\\url{https://huggingface.co/IDEA-Research/ChatRex-7B} and "
	                   "https://github.com/Kanyooo/EEG-DCNet.");
	expect_links(&p,
		"abstract https://arxiv.org/abs/2411.18363\n"
		"pdf https://arxiv.org/pdf/2411.18363v1\n"
		"code https://github.com/IDEA-Research/ChatRex\n"
		"project https://chatrex.example.org/\n"
		"hugging face https://huggingface.co/papers/2411.18363\n"
		"link https://github.com/Kanyooo/EEG-DCNet\n"
		"link https://github.com/AllanMSouza/ACSP-FL\n"
		"link https://github.com/JokerJohn/Cloud_Map_Evaluation\n"
		"link https://en.wikipedia.org/wiki/Kappa_(statistic)\n"
		"link https://huggingface.co/IDEA-Research/ChatRex-7B");
	size_t n;
	struct paper_link *l = paper_links(&p, &n);
	assert_string_equal(l[0].brief, "abs");
	assert_int_equal(l[4].kind, PAPER_LINK_HF);
	assert_string_equal(l[4].brief, "hf");
	free(l);

	/* at most 50 found links */
	struct sbuf many = {0};
	for (int i = 0; i < 200; i++)
		sbuf_printf(&many, "https://x.org/%d ", i % 120);
	free(p.comment);
	p.comment = sbuf_steal(&many);
	l = paper_links(&p, &n);
	assert_int_equal(n, 5 + 50);
	assert_string_equal(l[n - 1].url, "https://x.org/45");   /* 4 were found in the abstract */
	free(l);

	/* a stored link that is no http(s) URL is not listed either */
	free(p.url_code);
	p.url_code = strdup("javascript:alert(1)");
	free(p.abstract);
	p.abstract = NULL;
	free(p.comment);
	p.comment = strdup("file:///etc/passwd");
	expect_links(&p,
		"abstract https://arxiv.org/abs/2411.18363\n"
		"pdf https://arxiv.org/pdf/2411.18363v1\n"
		"project https://chatrex.example.org/\n"
		"hugging face https://huggingface.co/papers/2411.18363");
	paper_clear(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_links),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
