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

static void test_values(void **st)
{
	(void)st;
	struct paper p;
	const char *label;
	paper_init(&p);
	p.id = strdup("2501.01234");
	p.version = 2;
	paper_add_author(&p, "Ada Lovelace", "");
	p.upvotes = 3;
	p.github_stars = 7;
	p.doi = strdup("10.1000/x");
	p.listings = strdup("hf-daily 2025-01-03\narxiv 2025-01-02");

	char *s = text_of(&p, PAPER_OUT_DETAIL, PF_AUTHORS, &label);
	assert_string_equal(s, "Ada Lovelace");   /* an empty affiliation is left out */
	assert_string_equal(label, "Author");
	free(s);
	s = text_of(&p, PAPER_OUT_DETAIL, PF_ID, &label);
	assert_string_equal(label, "arXiv");
	assert_string_equal(s, "2501.01234v2");
	free(s);
	s = text_of(&p, PAPER_OUT_DETAIL, PF_HUGGING_FACE, &label);
	assert_string_equal(s, "3 upvotes");
	free(s);
	s = text_of(&p, PAPER_OUT_SHOW, PF_HUGGING_FACE, &label);
	assert_string_equal(s, "3 upvotes, 7 GitHub stars");
	free(s);
	s = text_of(&p, PAPER_OUT_DETAIL, PF_LISTED, &label);
	assert_string_equal(s, "arxiv 2025-01-02, hf-daily 2025-01-03");   /* oldest first */
	free(s);
	s = text_of(&p, PAPER_OUT_SHOW, PF_LISTED, &label);
	assert_string_equal(s, "hf-daily 2025-01-03,arxiv 2025-01-02");
	free(s);
	s = text_of(&p, PAPER_OUT_SHOW, PF_DOI, &label);
	assert_string_equal(label, "doi");
	assert_string_equal(s, "10.1000/x");
	free(s);
	assert_null(text_of(&p, PAPER_OUT_DETAIL, PF_STATE, &label));   /* nothing set */
	s = text_of(&p, PAPER_OUT_SHOW, PF_STATE, &label);
	assert_string_equal(s, "unread");
	free(s);
	assert_null(text_of(&p, PAPER_OUT_SHOW, PF_COMMENT, &label));

	/* CSV: data, not prose */
	paper_add_author(&p, "Charles Babbage", "Cambridge");
	s = text_of(&p, PAPER_OUT_CSV, PF_AUTHORS, &label);
	assert_string_equal(s, "Ada Lovelace; Charles Babbage");
	assert_string_equal(label, "authors");
	free(s);
	s = text_of(&p, PAPER_OUT_CSV, PF_ID, &label);
	assert_string_equal(s, "2501.01234");
	free(s);
	s = text_of(&p, PAPER_OUT_CSV, PF_GITHUB, &label);
	assert_string_equal(s, "7");
	assert_string_equal(label, "github_stars");
	free(s);
	assert_null(text_of(&p, PAPER_OUT_CSV, PF_NUM_COMMENTS, &label));
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
