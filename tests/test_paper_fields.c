/* Tests for paper_fields.c: the field table the detail pane, `lectern show` and CSV share. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
