/* test_query — the search language's parser: tree shapes, precedence, positions in errors,
 * the typing helper and the field table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lectern/query.h"

/* The tree as a compact string: leaves as field:text (plus * for a prefix, "" for a phrase),
 * operators as (and ...), (or ...), (not ...). */
static void shape(struct sbuf *b, const struct query_node *n)
{
	static const char *const op[] = { "", "and", "or", "not" };
	if (n->op != QOP_LEAF) {
		sbuf_printf(b, "(%s", op[n->op]);
		for (size_t i = 0; i < n->n_kid; i++) {
			sbuf_addc(b, ' ');
			shape(b, n->kid[i]);
		}
		sbuf_addc(b, ')');
		return;
	}
	static const char *const fn[] = { "text", "ti", "abs", "au", "org", "cat", "is", "has",
	                                   "tag", "after", "before", "since", "until", "date", "id" };
	sbuf_printf(b, "%s:%s%s%s%s", fn[n->field], n->quoted ? "\"" : "", n->text,
	            n->quoted ? "\"" : "", n->prefix ? "*" : "");
}

static void assert_shape(const char *q, const char *want)
{
	struct query_node *t;
	struct lerr e = {0};
	if (query_parse(q, &t, &e) < 0)
		fail_msg("'%s': %s", q, e.msg);
	struct sbuf b = {0};
	if (t)
		shape(&b, t);
	if (strcmp(b.s ? b.s : "", want))
		fail_msg("'%s' -> '%s', want '%s'", q, b.s ? b.s : "", want);
	sbuf_free(&b);
	query_free(t);
}

static void test_shapes(void **state)
{
	(void)state;
	assert_shape("", "");
	assert_shape("   ", "");
	assert_shape("neural", "text:neural");
	assert_shape("neural net*", "(and text:neural text:net*)");
	assert_shape("\"deep learning\" au:hinton", "(and text:\"deep learning\" au:hinton)");
	assert_shape("Title:x authors:y category:cs.LG", "(and ti:x au:y cat:cs.LG)");
	assert_shape("all:x", "text:x");
	assert_shape("note:x C++:y", "(and text:note:x text:C++:y)");   /* unknown fields: text */
	assert_shape("is:favourite has:notes tag:#ToRead", "(and is:favourite has:notes tag:toread)");
	assert_shape("2405.12090v3 arXiv:2405.12091 id:hep-th/9901001",
	             "(and id:2405.12090 id:2405.12091 id:hep-th/9901001)");
	assert_shape("arxiv.org/abs/2405.12090", "id:2405.12090");
	assert_shape("\"2405.12090\"", "text:\"2405.12090\"");    /* quoted: a phrase */
	assert_shape("-x", "(not text:x)");
	assert_shape("--x", "(not text:-x)");
	assert_shape("x - y", "(and text:x text:y)");             /* a lone '-' searches nothing */
	/* precedence: NOT > AND > OR; AND may be written; nested ANDs and ORs flatten */
	assert_shape("a b OR c", "(or (and text:a text:b) text:c)");
	assert_shape("a OR b c", "(or text:a (and text:b text:c))");
	assert_shape("a AND b", "(and text:a text:b)");
	assert_shape("NOT a b", "(and (not text:a) text:b)");
	assert_shape("a (b OR c)", "(and text:a (or text:b text:c))");
	assert_shape("(a OR b) OR c", "(or text:a text:b text:c)");
	assert_shape("a (b c)", "(and text:a text:b text:c)");
	assert_shape("-(a OR b)", "(not (or text:a text:b))");
	assert_shape("NOT NOT a", "(not (not text:a))");
	assert_shape("a ANDNOT b", "(and text:a (not text:b))");
	assert_shape("((a))", "text:a");
	assert_shape("(a)(b)", "(and text:a text:b)");
	assert_shape("f(x)", "text:f(x)");                        /* no group open: a word */
	assert_shape("or and not", "(and text:or text:and text:not)");   /* lower case: words */
	assert_shape("\"OR\"", "text:\"OR\"");
	assert_shape("(ti:\"a b\"* OR x)", "(or ti:\"a b\"* text:x)");
}

static void test_positions(void **state)
{
	(void)state;
	struct query_node *t;
	struct lerr e = {0};
	assert_int_equal(query_parse("ab (cd OR ef", &t, &e), -1);
	assert_string_equal(e.msg, "search: unbalanced '(' at 4");
	assert_int_equal(query_parse("ab cd) ef", &t, &e), -1);
	assert_string_equal(e.msg, "search: unbalanced ')' at 6");
	assert_int_equal(query_parse("(ab) cd )", &t, &e), -1);
	assert_string_equal(e.msg, "search: unbalanced ')' at 9");
	assert_int_equal(query_parse("ab OR OR cd", &t, &e), -1);
	assert_string_equal(e.msg, "search: OR needs a term on each side at 7");
	assert_int_equal(query_parse("ab NOT", &t, &e), -1);
	assert_string_equal(e.msg, "search: NOT needs a term after it at 4");
	assert_int_equal(query_parse("x ()", &t, &e), -1);
	assert_string_equal(e.msg, "search: nothing inside the parentheses at 3");
	assert_int_equal(e.kind, LERR_USAGE);
	/* leaf errors keep their wording */
	assert_int_equal(query_parse("is:maybe", &t, &e), -1);
	assert_non_null(strstr(e.msg, "is:maybe: unknown"));
	assert_int_equal(query_parse("-since:2025", &t, &e), -1);
	assert_non_null(strstr(e.msg, "cannot be excluded"));
	/* nodes know where they were written */
	assert_int_equal(query_parse("ab (cd OR ef) -gh", &t, NULL), 0);
	assert_int_equal(t->op, QOP_AND);
	assert_int_equal(t->n_kid, 3);
	assert_int_equal(t->kid[1]->pos, 3);
	assert_int_equal(t->kid[1]->len, 10);
	assert_int_equal(t->kid[2]->pos, 14);
	assert_int_equal(t->kid[2]->kid[0]->pos, 15);
	query_free(t);
}

static void test_values(void **state)
{
	(void)state;
	struct query_node *t;
	assert_int_equal(query_parse("date:2025-01", &t, NULL), 0);
	int64_t lo, hi;
	assert_int_equal(util_parse_period("2025-01", &lo, &hi), 0);
	assert_int_equal(t->lo, lo);
	assert_int_equal(t->hi, hi);
	query_free(t);
	assert_int_equal(query_parse("is:unread has:tags", &t, NULL), 0);
	assert_int_equal(t->kid[0]->flag, QFLAG_UNREAD);
	assert_int_equal(t->kid[1]->flag, QFLAG_TAGS);
	query_free(t);
}

static void test_typing(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{ "neural net", "neural net*" }, { "neural n", "neural n" }, { "neural ", "neural " },
		{ "au:hin", "au:hin" }, { "\"deep le", "\"deep le" }, { "neural OR", "neural " },
		{ "neural OR ", "neural " }, { "(neural OR gen", "(neural OR gen*)" },
		{ "(ab (cd", "(ab (cd*))" }, { "OR", "" }, { "(ab)", "(ab)" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *q = query_typing(cases[i][0]);
		if (strcmp(q, cases[i][1]))
			fail_msg("'%s' -> '%s', want '%s'", cases[i][0], q, cases[i][1]);
		struct query_node *t;
		struct lerr e = {0};
		if (*q && q[strlen(q) - 1] != 'n' && query_parse(q, &t, &e) == 0)   /* it runs */
			query_free(t);
		free(q);
	}
}

/* Every field and flag of the table parses, under each of its names. */
static void test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < query_n_fields; i++) {
		const struct query_field_info *f = &query_fields[i];
		const char *v = f->field == QF_IS ? "fav" : f->field == QF_HAS ? "note"
		                : f->field >= QF_AFTER && f->field <= QF_DATE ? "2025"
		                : f->field == QF_ID ? "2405.12090" : "x";
		char q[64];
		snprintf(q, sizeof q, "%s:%s", f->name, v);
		struct query_node *t;
		struct lerr e = {0};
		if (query_parse(q, &t, &e) < 0)
			fail_msg("'%s': %s", q, e.msg);
		assert_int_equal(t->field, f->field);
		query_free(t);
	}
	for (size_t i = 0; i < query_n_flags; i++) {
		char q[64];
		snprintf(q, sizeof q, "%s:%s", query_flags[i].field == QF_IS ? "is" : "has",
		         query_flags[i].name);
		struct query_node *t;
		assert_int_equal(query_parse(q, &t, NULL), 0);
		assert_int_equal(t->flag, query_flags[i].flag);
		query_free(t);
	}
	struct sbuf b = {0};
	query_help_text(&b, 2);
	assert_non_null(strstr(b.s, "au:name"));
	assert_non_null(strstr(b.s, "is:fav"));
	sbuf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_positions),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_typing),
		cmocka_unit_test(test_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
