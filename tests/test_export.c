/* Unit tests for export.c: BibTeX escaping and keys, CSV quoting, the JSON mapping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "lectern/export.h"
#include "lectern/paper.h"
#include "lectern/util.h"

/* Runs fn(f, arg) on a memory stream and returns what it wrote (caller frees). */
static char *capture(void (*fn)(FILE *, const void *), const void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	fn(f, arg);
	fclose(f);
	return buf;
}

static void make_paper(struct paper *p, const char *id, const char *first_author, int64_t published,
                       const char *title)
{
	paper_init(p);
	p->id = xstrdup(id);
	p->title = xstrdup(title);
	p->published = published;
	paper_add_author(p, first_author, NULL);
}

/* ---- TeX escaping ------------------------------------------------------------------------------ */

static void check_tex(const char *in, int flags, const char *want)
{
	char *got = export_tex_escape(in, flags);
	assert_string_equal(got, want);
	free(got);
}

static void test_tex_plain(void **state)
{
	(void)state;
	check_tex("A & B 100% $5 #1 a_b {x} ~ ^ \\", 0,
	          "A \\& B 100\\% \\$5 \\#1 a\\_b \\textbraceleft{}x\\textbraceright{} \\textasciitilde{} "
	          "\\textasciicircum{} \\textbackslash{}");
	check_tex("Zoë Ł. Ø", 0, "Zoë Ł. Ø");   /* UTF-8 kept as is */
	check_tex(NULL, 0, "");
}

static void test_tex_title(void **state)
{
	(void)state;
	int t = EXPORT_TEX_LATEX | EXPORT_TEX_PROTECT;
	/* math kept verbatim (no capital protection or escaping inside) */
	check_tex("Scaling $O(N^2_k)$ Attention", t, "Scaling $O(N^2_k)$ Attention");
	check_tex("Bounds via \\(\\mathcal{O}(n)\\) and $$x_{i}$$", t,
	          "Bounds via \\(\\mathcal{O}(n)\\) and $$x_{i}$$");
	/* capitals inside words are protected; a leading capital alone is not */
	check_tex("BERT: Pre-training of GPT-4o and ImageNet in 3D", t,
	          "{BERT}: Pre-training of {GPT}-4o and {ImageNet} in {3D}");
	/* braces already protecting stay as they are, and nothing is added inside them */
	check_tex("{BERT} and {Deep Nets}", t, "{BERT} and {Deep Nets}");
	/* control words and accents kept; specials outside math escaped */
	check_tex("\\emph{Fast} R\\'enyi & 50% of a_b", t, "\\emph{Fast} R\\'enyi \\& 50\\% of a\\_b");
	/* an unpaired $ is a dollar sign */
	check_tex("Costs $5 only", t, "Costs \\$5 only");
	/* unbalanced braces can never break the entry */
	check_tex("a } b { c", t, "a \\textbraceright{} b \\textbraceleft{} c");
	check_tex("$\\{x$ set", t, "$\\lbrace x$ set");
	/* ~ and ^ outside math, a lone backslash */
	check_tex("~100 tokens ^ \\ end", t, "\\textasciitilde{}100 tokens \\textasciicircum{} \\textbackslash{} end");
	/* % # & inside math would be comments/alignment in LaTeX */
	check_tex("$50%$", t, "$50\\%$");
}

static void assert_balanced(const char *s)
{
	int depth = 0;
	for (; *s; s++) {
		depth += *s == '{' ? 1 : *s == '}' ? -1 : 0;
		assert_true(depth >= 0);
	}
	assert_int_equal(depth, 0);
}

static void test_tex_always_balanced(void **state)
{
	(void)state;
	const char *nasty[] = {"}}}{{{", "\\{", "\\}", "$}$", "${$ {", "\\(}\\)", "{\\}", "a\\",
	                       "$$", "$", "\\[{\\]", "{$}$", "}{"};
	for (size_t i = 0; i < ARRAY_LEN(nasty); i++) {
		for (int flags = 0; flags < 4; flags++) {
			char *got = export_tex_escape(nasty[i], flags);
			assert_balanced(got);
			free(got);
		}
	}
}

/* ---- BibTeX entries and keys ------------------------------------------------------------------- */

static void write_entry(FILE *f, const void *arg)
{
	const struct paper *p = arg;
	char *key = export_bibtex_base_key(p);
	export_bibtex_entry(f, p, key);
	free(key);
}

static void test_bibtex_entry_old_id_doi_specials(void **state)
{
	(void)state;
	struct paper p;
	make_paper(&p, "hep-th/9901001", "José Müller", 915148800 /* 1999-01-01 */,
	           "D-branes & $\\alpha'$ corrections: 100% of AdS_5 in QCD");
	p.version = 2;
	paper_add_author(&p, "Jane Smith Jr.", NULL);
	paper_add_author(&p, "Alice and Bob Lab", NULL);
	paper_add_author(&p, "R. #1 {Fan}", NULL);
	p.primary_category = xstrdup("hep-th");
	p.doi = xstrdup("10.1016/S0550-3213(99)00001-1");
	p.journal_ref = xstrdup("Nucl.Phys. B550 (1999) 1-20");
	p.comment = xstrdup("12 pages, 3 figures; v2: typos_fixed");

	char *got = capture(write_entry, &p);
	assert_string_equal(got,
		"@misc{muller1999dbranes,\n"
		"  title={D-branes \\& $\\alpha'$ corrections: 100\\% of {AdS}\\_5 in {QCD}},\n"
		"  author={José Müller and Jane Smith Jr. and {Alice and Bob Lab} and R. \\#1 "
		"\\textbraceleft{}Fan\\textbraceright{}},\n"
		"  year={1999},\n"
		"  eprint={hep-th/9901001},\n"
		"  archivePrefix={arXiv},\n"
		"  primaryClass={hep-th},\n"
		"  url={https://arxiv.org/abs/hep-th/9901001},\n"
		"  doi={10.1016/S0550-3213(99)00001-1},\n"
		"  journal={Nucl.Phys. B550 (1999) 1-20},\n"
		"  note={12 pages, 3 figures; v2: typos\\_fixed},\n"
		"}\n\n");
	free(got);
	paper_clear(&p);
}

static void test_bibtex_entry_new_id_minimal(void **state)
{
	(void)state;
	struct paper p;
	make_paper(&p, "1706.03762", "Ashish Vaswani", 1497019269 /* 2017-06-09 */,
	           "Attention Is All You Need");
	paper_add_author(&p, "Noam Shazeer", NULL);
	p.primary_category = xstrdup("cs.CL");

	char *got = capture(write_entry, &p);
	assert_string_equal(got,
		"@misc{vaswani2017attention,\n"
		"  title={Attention Is All You Need},\n"
		"  author={Ashish Vaswani and Noam Shazeer},\n"
		"  year={2017},\n"
		"  eprint={1706.03762},\n"
		"  archivePrefix={arXiv},\n"
		"  primaryClass={cs.CL},\n"
		"  url={https://arxiv.org/abs/1706.03762},\n"
		"}\n\n");
	free(got);
	paper_clear(&p);
}

static void check_base(const char *author, int64_t published, const char *title, const char *want)
{
	struct paper p;
	make_paper(&p, "2501.00001", author, published, title);
	char *k = export_bibtex_base_key(&p);
	assert_string_equal(k, want);
	free(k);
	paper_clear(&p);
}

static void test_bibtex_base_keys(void **state)
{
	(void)state;
	const int64_t y2025 = 1735732800;   /* 2025-01-01T12:00:00Z */
	check_base("Łukasz Kaiser", y2025, "On the Origin of Læyers", "kaiser2025origin");
	check_base("Jürgen Schmidhuber", y2025, "The $\\alpha$-Net", "schmidhuber2025alphanet");
	check_base("Martin Luther King Jr.", y2025, "A Dream", "king2025dream");
	check_base("Zoë Ågren-Ćosić", y2025, "Über Alles", "agrencosic2025uber");
	check_base("李明", y2025, "深度学习 Deep Learning", "anon2025deep");
	/* No date: a new-style arXiv id gives the year of its first version, as arXiv's BibTeX. */
	check_base("Ada Lovelace", 0, "Notes", "lovelace2025notes");
	/* A name that folds to digits never starts a key. */
	check_base("Author 7", y2025, "Paper", "anon2025paper");

	struct paper p;
	make_paper(&p, "url:https://example.org/x", "Ada Lovelace", 0, "Notes");
	char *k = export_bibtex_base_key(&p);
	assert_string_equal(k, "lovelacenotes");
	free(k);
	paper_clear(&p);
}

static void test_bibtex_unique_keys_stable(void **state)
{
	(void)state;
	struct paper a, b, c, d;
	/* Same first author, year and first word: suffixes follow publication time, not add order. */
	make_paper(&a, "2502.00002", "John Smith", 1738411200 /* 2025-02-01 */, "Learning to Rank");
	make_paper(&b, "2501.00001", "J. Smith", 1735732800 /* 2025-01-01 */, "Learning Fast");
	make_paper(&c, "2503.00003", "Wei Zhang", 1740830400, "Learning Slow");
	make_paper(&d, "2504.00004", "Smith", 1743508800, "Learning More");

	for (int order = 0; order < 2; order++) {
		struct export_keys *k = export_keys_new();
		if (order == 0) {
			export_keys_add(k, &a);
			export_keys_add(k, &b);
		} else {
			export_keys_add(k, &b);
			export_keys_add(k, &a);
			export_keys_add(k, &a);   /* twice: no effect */
		}
		export_keys_add(k, &c);
		export_keys_finish(k);
		assert_string_equal(export_keys_get(k, &b), "smith2025learninga");
		assert_string_equal(export_keys_get(k, &a), "smith2025learningb");
		assert_string_equal(export_keys_get(k, &c), "zhang2025learning");
		/* one never added still gets a key nobody has */
		assert_string_equal(export_keys_get(k, &d), "smith2025learningc");
		assert_string_equal(export_keys_get(k, &d), "smith2025learningc");
		export_keys_free(&k);
		assert_null(k);
	}
	paper_clear(&a);
	paper_clear(&b);
	paper_clear(&c);
	paper_clear(&d);
}

/* ---- CSV ------------------------------------------------------------------------------------- */

static void write_fields(FILE *f, const void *arg)
{
	(void)arg;
	export_csv_field(f, "plain");
	fputc(',', f);
	export_csv_field(f, "a, b");
	fputc(',', f);
	export_csv_field(f, "say \"hi\"");
	fputc(',', f);
	export_csv_field(f, "line1\nline2");
	fputc(',', f);
	export_csv_field(f, NULL);
	fputc(',', f);
	export_csv_field(f, "cr\r");
}

static void test_csv_quoting(void **state)
{
	(void)state;
	char *got = capture(write_fields, NULL);
	assert_string_equal(got, "plain,\"a, b\",\"say \"\"hi\"\"\",\"line1\nline2\",,\"cr\r\"");
	free(got);
}

static void write_row(FILE *f, const void *arg)
{
	export_csv_header(f);
	export_csv_row(f, arg);
}

static void test_csv_row(void **state)
{
	(void)state;
	struct paper p;
	make_paper(&p, "2501.01234", "Ada \"The Countess\" Lovelace", 1735732800, "Commas, \"quotes\"");
	paper_add_author(&p, "Charles Babbage", NULL);
	p.abstract = xstrdup("Para one.\nPara two.");
	p.upvotes = 7;
	p.favourite = true;

	char *got = capture(write_row, &p);
	assert_string_equal(got,
		"id,version,title,authors,published,updated,primary_category,categories,doi,journal_ref,"
		"comment,url_abs,url_pdf,url_code,url_project,url_hf,upvotes,num_comments,github_stars,"
		"organization,favourite,read,tags,note,abstract,withdrawn\r\n"
		"2501.01234,,\"Commas, \"\"quotes\"\"\",\"Ada \"\"The Countess\"\" Lovelace; Charles Babbage\","
		"2025-01-01,,,,,,,,,,,,7,,,,yes,no,,,\"Para one.\nPara two.\",no\r\n");
	free(got);
	p.withdrawn = true;
	got = capture(write_row, &p);
	assert_non_null(strstr(got, "\"Para one.\nPara two.\",yes\r\n"));
	free(got);
	paper_clear(&p);
}

/* ---- JSON -------------------------------------------------------------------------------------- */

static void full_paper(struct paper *p)
{
	paper_init(p);
	p->id = xstrdup("2501.01234");
	p->version = 3;
	p->title = xstrdup("Ünïcode & \"quotes\" $\\alpha$");
	p->abstract = xstrdup("First paragraph.\nSecond \\emph{paragraph}.");
	paper_add_author(p, "Ada Lovelace", "Analytical Engines Ltd; Royal Society");
	paper_add_author(p, "Charles Babbage", NULL);
	p->published = 1735732800;
	p->updated = 1736000000;
	p->primary_category = xstrdup("cs.LG");
	p->categories = xstrdup("cs.LG cs.AI stat.ML");
	p->comment = xstrdup("10 pages");
	p->journal_ref = xstrdup("J. Irreproducible Results 1 (2025)");
	p->doi = xstrdup("10.1000/xyz");
	p->url_abs = xstrdup("https://arxiv.org/abs/2501.01234");
	p->url_pdf = xstrdup("https://arxiv.org/pdf/2501.01234");
	p->url_code = xstrdup("https://github.com/a/b");
	p->url_project = xstrdup("https://example.org/");
	p->url_hf = xstrdup("https://huggingface.co/papers/2501.01234");
	p->upvotes = 42;
	p->num_comments = 0;
	p->github_stars = 1234;
	p->organization = xstrdup("Google DeepMind");
	p->submitter = xstrdup("Someone");
	p->ai_summary = xstrdup("It does things.");
	p->ai_keywords = xstrdup("deep learning, engines");
	p->hf_day = xstrdup("2025-01-02");
	p->thumbnail = xstrdup("https://cdn.example/t.png");
	p->favourite = true;
	p->fav_time = 1736100000;
	p->read = true;
	p->note = xstrdup("my note\nline 2");
	p->tags = xstrdup("to-read ml");
	p->listings = xstrdup("hf-daily 2025-01-02\narxiv 2025-01-01");
}

static void assert_same_str(const char *a, const char *b)
{
	if (!a || !b)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

static void assert_same_paper(const struct paper *a, const struct paper *b)
{
	assert_same_str(a->id, b->id);
	assert_int_equal(a->version, b->version);
	assert_same_str(a->title, b->title);
	assert_same_str(a->abstract, b->abstract);
	assert_int_equal(a->n_authors, b->n_authors);
	for (size_t i = 0; i < a->n_authors; i++) {
		assert_same_str(a->authors[i].name, b->authors[i].name);
		assert_same_str(a->authors[i].affiliation, b->authors[i].affiliation);
	}
	assert_int_equal(a->published, b->published);
	assert_int_equal(a->updated, b->updated);
	const char *const *fa[] = {
		(const char *const *)&a->primary_category, (const char *const *)&a->categories,
		(const char *const *)&a->comment, (const char *const *)&a->journal_ref,
		(const char *const *)&a->doi, (const char *const *)&a->url_abs,
		(const char *const *)&a->url_pdf, (const char *const *)&a->url_code,
		(const char *const *)&a->url_project, (const char *const *)&a->url_hf,
		(const char *const *)&a->organization, (const char *const *)&a->submitter,
		(const char *const *)&a->ai_summary, (const char *const *)&a->ai_keywords,
		(const char *const *)&a->hf_day, (const char *const *)&a->thumbnail,
		(const char *const *)&a->note, (const char *const *)&a->tags,
		(const char *const *)&a->listings,
	};
	const char *const *fb[] = {
		(const char *const *)&b->primary_category, (const char *const *)&b->categories,
		(const char *const *)&b->comment, (const char *const *)&b->journal_ref,
		(const char *const *)&b->doi, (const char *const *)&b->url_abs,
		(const char *const *)&b->url_pdf, (const char *const *)&b->url_code,
		(const char *const *)&b->url_project, (const char *const *)&b->url_hf,
		(const char *const *)&b->organization, (const char *const *)&b->submitter,
		(const char *const *)&b->ai_summary, (const char *const *)&b->ai_keywords,
		(const char *const *)&b->hf_day, (const char *const *)&b->thumbnail,
		(const char *const *)&b->note, (const char *const *)&b->tags,
		(const char *const *)&b->listings,
	};
	for (size_t i = 0; i < ARRAY_LEN(fa); i++)
		assert_same_str(*fa[i], *fb[i]);
	assert_int_equal(a->upvotes, b->upvotes);
	assert_int_equal(a->num_comments, b->num_comments);
	assert_int_equal(a->github_stars, b->github_stars);
	assert_int_equal(a->favourite, b->favourite);
	assert_int_equal(a->fav_time, b->fav_time);
	assert_int_equal(a->read, b->read);
	assert_int_equal(a->org_submitter, b->org_submitter);
}

static void test_json_keys(void **state)
{
	(void)state;
	struct paper p;
	full_paper(&p);
	struct json_object *o = export_paper_json(&p), *v, *w;

	assert_true(json_object_object_get_ex(o, "published", &v));
	assert_string_equal(json_object_get_string(v), "2025-01-01");
	assert_true(json_object_object_get_ex(o, "authors", &v));
	assert_int_equal(json_object_array_length(v), 2);
	assert_string_equal(json_object_get_string(json_object_array_get_idx(v, 1)), "Charles Babbage");
	assert_true(json_object_object_get_ex(o, "categories", &v));
	assert_int_equal(json_object_array_length(v), 3);
	assert_true(json_object_object_get_ex(o, "links", &v));
	assert_true(json_object_object_get_ex(v, "pdf", &w));
	assert_string_equal(json_object_get_string(w), "https://arxiv.org/pdf/2501.01234");
	assert_false(json_object_object_get_ex(v, "found", &w));   /* no links in the text */
	assert_true(json_object_object_get_ex(o, "favourite", &v));
	assert_true(json_object_is_type(v, json_type_boolean) && json_object_get_boolean(v));
	assert_true(json_object_object_get_ex(o, "upvotes", &v));
	assert_int_equal(json_object_get_int64(v), 42);
	json_object_put(o);

	/* unknown values are null, links only those known */
	paper_clear(&p);
	make_paper(&p, "2501.00001", "A B", 0, "T");
	o = export_paper_json(&p);
	assert_true(json_object_object_get_ex(o, "upvotes", &v));
	assert_null(v);
	assert_true(json_object_object_get_ex(o, "published", &v));
	assert_null(v);
	assert_true(json_object_object_get_ex(o, "links", &v));
	assert_int_equal(json_object_object_length(v), 0);
	json_object_put(o);

	/* the links written in the abstract and comment: links.found, the other keys as before;
	 * import ignores it (the text it comes from is imported) */
	p.url_code = xstrdup("https://github.com/x/y");
	p.abstract = xstrdup("Code: \\url{https://github.com/x/y/}, \\href{https://x.org/p}{project}, "
	                     "\\url{javascript:alert(1)}.");
	p.comment = xstrdup("Demo at https://x.org/demo. Not file:///etc/passwd");
	o = export_paper_json(&p);
	assert_true(json_object_object_get_ex(o, "links", &v));
	assert_int_equal(json_object_object_length(v), 2);
	assert_true(json_object_object_get_ex(v, "code", &w));
	assert_string_equal(json_object_get_string(w), "https://github.com/x/y");
	assert_true(json_object_object_get_ex(v, "found", &w));
	assert_int_equal(json_object_array_length(w), 2);
	assert_string_equal(json_object_get_string(json_object_array_get_idx(w, 0)), "https://x.org/p");
	assert_string_equal(json_object_get_string(json_object_array_get_idx(w, 1)), "https://x.org/demo");
	struct paper q;
	struct lerr e = {0};
	assert_int_equal(export_paper_from_json(o, &q, &e), 0);
	assert_string_equal(q.url_code, "https://github.com/x/y");
	paper_clear(&q);
	json_object_put(o);
	paper_clear(&p);
}

static void test_json_round_trip(void **state)
{
	(void)state;
	struct paper p, q;
	full_paper(&p);
	struct json_object *o = export_paper_json(&p);
	/* through text, as import sees it */
	const char *text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	struct json_object *o2 = json_tokener_parse(text);
	assert_non_null(o2);
	struct lerr e = {0};
	if (export_paper_from_json(o2, &q, &e) != 0)
		fail_msg("%s", e.msg);
	assert_same_paper(&p, &q);
	/* and the second trip writes the same bytes */
	struct json_object *o3 = export_paper_json(&q);
	assert_string_equal(json_object_to_json_string_ext(o3, JSON_C_TO_STRING_PLAIN), text);
	json_object_put(o);
	json_object_put(o2);
	json_object_put(o3);
	paper_clear(&q);

	/* a submitter's organisation keeps its flag (the key appears only when it is set) */
	p.org_submitter = true;
	o = export_paper_json(&p);
	o2 = json_tokener_parse(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	assert_int_equal(export_paper_from_json(o2, &q, &e), 0);
	assert_same_paper(&p, &q);
	json_object_put(o);
	json_object_put(o2);
	paper_clear(&q);

	/* a paper arXiv withdrew says so (the key appears only when it is set); import leaves it
	 * to the store, which only a harvest sets it in */
	struct json_object *w = NULL;
	o = export_paper_json(&p);
	assert_false(json_object_object_get_ex(o, "withdrawn", &w));
	json_object_put(o);
	p.withdrawn = true;
	o = export_paper_json(&p);
	assert_true(json_object_object_get_ex(o, "withdrawn", &w) && json_object_get_boolean(w));
	json_object_put(o);
	paper_clear(&p);
}

static void check_bad_json(const char *text, const char *want_in_msg)
{
	struct json_object *o = json_tokener_parse(text);
	struct paper p;
	struct lerr e = {0};

	assert_non_null(o);
	assert_int_equal(export_paper_from_json(o, &p, &e), -1);
	assert_int_equal(e.kind, LERR_PARSE);
	if (!strstr(e.msg, want_in_msg))
		fail_msg("message \"%s\" lacks \"%s\"", e.msg, want_in_msg);
	assert_null(p.id);   /* nothing half-filled left behind */
	json_object_put(o);
}

static void test_json_errors(void **state)
{
	(void)state;
	check_bad_json("{\"title\": \"x\"}", "missing \"id\"");
	check_bad_json("{\"id\": \"\"}", "missing \"id\"");
	check_bad_json("{\"id\": 5}", "\"id\" must be a string");
	check_bad_json("[1, 2]", "not a JSON object");
	check_bad_json("{\"id\": \"2501.00001\", \"title\": 3}", "\"title\"");
	check_bad_json("{\"id\": \"2501.00001\", \"authors\": \"Ada\"}", "\"authors\"");
	check_bad_json("{\"id\": \"2501.00001\", \"upvotes\": \"many\"}", "\"upvotes\"");
	check_bad_json("{\"id\": \"2501.00001\", \"favourite\": 1}", "\"favourite\"");
	check_bad_json("{\"id\": \"2501.00001\", \"published\": \"yesterday\"}", "\"published\"");
	check_bad_json("{\"id\": \"2501.00001\", \"links\": {\"pdf\": 1}}", "\"links.pdf\"");
	check_bad_json("{\"id\": \"2501.00001\", \"listings\": [{\"source\": \"a b\"}]}", "\"listings\"");
	check_bad_json("{\"id\": \"2501.00001\", \"listings\": [{\"source\": \"a\", \"day\": \"2025-13-01\"}]}", "\"listings\"");
	check_bad_json("{\"id\": \"2501.00001\", \"hf_day\": \"soon\"}", "\"hf_day\"");
}

static void test_json_id_normalised(void **state)
{
	(void)state;
	struct json_object *o = json_tokener_parse("{\"id\": \"https://arxiv.org/abs/2501.01234v4\", "
	                                           "\"published\": \"2025-01-31\", \"authors\": [\"A\"]}");
	struct paper p;
	struct lerr e = {0};

	assert_int_equal(export_paper_from_json(o, &p, &e), 0);
	assert_string_equal(p.id, "2501.01234");
	assert_int_equal(p.version, 4);
	assert_int_equal(p.published, 1738281600);   /* a bare day is midnight UTC */
	assert_int_equal(p.n_authors, 1);
	assert_int_equal(p.upvotes, -1);
	paper_clear(&p);
	json_object_put(o);
}

static void test_markdown_item(void **state)
{
	(void)state;
	struct paper p;
	make_paper(&p, "2501.01234", "Ada *Star* Lovelace", 1735732800, "Fast [links] & `code`");
	p.url_pdf = xstrdup("https://arxiv.org/pdf/2501.01234");
	p.url_code = xstrdup("javascript:alert(1)");   /* never made a link */
	p.url_project = xstrdup("https://example.org/a (b)");
	p.abstract = xstrdup("Data at \\url{https://x.org/d}.");

	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	export_markdown_item(f, &p, 3);
	fclose(f);
	assert_string_equal(buf,
		"3. **Fast \\[links\\] & \\`code\\`** — Ada \\*Star\\* Lovelace (2025-01-01)  \n"
		"   arXiv:2501.01234 · [abstract](https://arxiv.org/abs/2501.01234)"
		" · [PDF](https://arxiv.org/pdf/2501.01234) · [project](https://example.org/a%20%28b%29)"
		" · [link](https://x.org/d)\n");
	free(buf);
	paper_clear(&p);
}

static void test_parse_format(void **state)
{
	(void)state;
	enum export_format f;
	assert_int_equal(export_parse_format("bibtex", &f), 0);
	assert_int_equal(f, EXPORT_BIBTEX);
	assert_int_equal(export_parse_format("md", &f), 0);
	assert_int_equal(f, EXPORT_MARKDOWN);
	assert_int_equal(export_parse_format("xml", &f), -1);
	assert_int_equal(export_parse_format(NULL, &f), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tex_plain),
		cmocka_unit_test(test_tex_title),
		cmocka_unit_test(test_tex_always_balanced),
		cmocka_unit_test(test_bibtex_entry_old_id_doi_specials),
		cmocka_unit_test(test_bibtex_entry_new_id_minimal),
		cmocka_unit_test(test_bibtex_base_keys),
		cmocka_unit_test(test_bibtex_unique_keys_stable),
		cmocka_unit_test(test_csv_quoting),
		cmocka_unit_test(test_csv_row),
		cmocka_unit_test(test_json_keys),
		cmocka_unit_test(test_json_round_trip),
		cmocka_unit_test(test_json_errors),
		cmocka_unit_test(test_json_id_normalised),
		cmocka_unit_test(test_markdown_item),
		cmocka_unit_test(test_parse_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
