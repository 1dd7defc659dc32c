/* Unit tests for util, paper and config. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lectern/config.h"
#include "lectern/paper.h"
#include "lectern/pdf.h"
#include "lectern/util.h"

static void test_parse_time(void **state)
{
	int64_t t;

	(void)state;
	assert_int_equal(util_parse_time("2025-11-19", &t), 0);
	assert_int_equal(t, 1763510400);
	assert_int_equal(util_parse_time("2025-11-19T10:00:00Z", &t), 0);
	assert_int_equal(t, 1763510400 + 36000);
	assert_int_equal(util_parse_time("2026-06-12T00:00:00.000Z", &t), 0);
	assert_int_equal(t, 1781222400);
	assert_int_equal(util_parse_time("2016-05-04T00:00:00-04:00", &t), 0);
	assert_int_equal(t, 1462334400);
	/* RFC 822 with a numeric zone, as arXiv RSS pubDate. */
	assert_int_equal(util_parse_time("Thu, 24 Sep 2026 00:00:00 -0400", &t), 0);
	assert_int_equal(t, 1790222400);
	assert_int_equal(util_parse_time("Thu, 24 Sep 2026 08:58:05 +0000", &t), 0);
	assert_int_equal(t, 1790240285);
	assert_int_equal(util_parse_time("24 Sep 2026 08:58 GMT", &t), 0);
	assert_int_equal(t, 1790240280);
	/* Invalid dates are refused, not normalised. */
	assert_int_equal(util_parse_time("2025-02-30", &t), -1);
	assert_int_equal(util_parse_time("2025-13-01", &t), -1);
	assert_int_equal(util_parse_time("yesterday", &t), -1);
	assert_int_equal(util_parse_time("", &t), -1);
	assert_int_equal(util_parse_time(NULL, &t), -1);
	assert_int_equal(util_parse_time("2025-11-19T10:00:00Zjunk", &t), -1);
	/* numbers an int cannot hold are refused, not overflowed (UBSan watches) */
	assert_int_equal(util_parse_time("Thu, 99999999999 Sep 2026 00:00:00 +0000", &t), -1);
	assert_int_equal(util_parse_time("24 Sep 99999999999 08:58 GMT", &t), -1);
	assert_int_equal(util_parse_time("24 Sep 2026 99999999999:58 GMT", &t), -1);
	assert_int_equal(util_parse_time("24 Sep 2026 08:58:99999999999 GMT", &t), -1);
	assert_int_equal(util_parse_time("24 Sep 2026 08:58 +99999999999", &t), -1);
}

/* Lines are read with a bound: the rest of a longer line is dropped, its length told. */
static void test_read_line(void **state)
{
	(void)state;
	FILE *f = tmpfile();
	assert_non_null(f);
	fputs("short\n\n", f);
	for (int i = 0; i < 100000; i++)
		fputc('x', f);
	fputs("\nafter\r\nlast", f);
	rewind(f);
	struct sbuf b = {0};
	size_t len;
	assert_int_equal(util_read_line(f, &b, 10, &len), 1);
	assert_string_equal(b.s, "short");
	assert_int_equal(len, 5);
	assert_int_equal(util_read_line(f, &b, 10, &len), 1);
	assert_string_equal(b.s, "");
	assert_int_equal(len, 0);
	assert_int_equal(util_read_line(f, &b, 10, &len), 1);
	assert_string_equal(b.s, "xxxxxxxxxx");
	assert_int_equal(len, 100000);
	assert_int_equal(util_read_line(f, &b, 10, &len), 1);
	assert_string_equal(b.s, "after\r");
	assert_int_equal(util_read_line(f, &b, 10, &len), 1);
	assert_string_equal(b.s, "last");
	assert_int_equal(util_read_line(f, &b, 10, &len), 0);
	sbuf_free(&b);
	fclose(f);

	assert_true(util_double_to_i64(1e30) == INT64_MAX);
	assert_true(util_double_to_i64(-1e30) == INT64_MIN);
	assert_true(util_double_to_i64(0.0 / 0.0) == 0);
	assert_true(util_double_to_i64(-7.9) == -7);
	assert_true(paper_count_from_double(1e300) == PAPER_COUNT_MAX);
	assert_true(paper_count_from_double(-1) == -1);
	assert_true(paper_count_from_double(0.0 / 0.0) == -1);
	assert_true(paper_count_from_double(41.5) == 41);
}

static void test_fmt_and_valid_date(void **state)
{
	char buf[32];

	(void)state;
	util_fmt_date(1763510400 + 86399, buf, sizeof buf);
	assert_string_equal(buf, "2025-11-19");
	util_fmt_iso(1763510400 + 3661, buf, sizeof buf);
	assert_string_equal(buf, "2025-11-19T01:01:01Z");
	assert_true(util_valid_date("2024-02-29"));
	assert_false(util_valid_date("2023-02-29"));
	assert_false(util_valid_date("2024-2-29"));
	assert_false(util_valid_date("2024-02-29T00:00:00Z"));
}

static void test_parse_period(void **state)
{
	int64_t a, z;

	(void)state;
	assert_int_equal(util_parse_period("2025", &a, &z), 0);
	assert_int_equal(a, 1735689600);             /* 2025-01-01 */
	assert_int_equal(z, 1767225600);             /* 2026-01-01 */
	assert_int_equal(util_parse_period("2024-02", &a, &z), 0);
	assert_int_equal(z - a, 29 * 86400);         /* a leap February */
	assert_int_equal(util_parse_period("2025-12", &a, &z), 0);
	assert_int_equal(z, 1767225600);             /* December ends at the next year */
	assert_int_equal(util_parse_period("2025-11-19", &a, &z), 0);
	assert_int_equal(a, 1763510400);
	assert_int_equal(z - a, 86400);
	setenv("LECTERN_NOW", "2026-06-14T09:30:00Z", 1);
	assert_int_equal(util_parse_period("today", &a, &z), 0);
	assert_int_equal(a, 1781395200);             /* 2026-06-14 */
	assert_int_equal(util_parse_period("yesterday", &a, &z), 0);
	assert_int_equal(a, 1781395200 - 86400);
	assert_int_equal(util_parse_period("-7", &a, &z), 0);
	assert_int_equal(a, 1781395200 - 7 * 86400);
	unsetenv("LECTERN_NOW");
	assert_int_equal(util_parse_period("2025-13", &a, &z), -1);
	assert_int_equal(util_parse_period("1969", &a, &z), -1);
	assert_int_equal(util_parse_period("-", &a, &z), -1);
	assert_int_equal(util_parse_period("soon", &a, &z), -1);
	assert_int_equal(util_parse_period("2025-1-01", &a, &z), -1);
}

static void test_duration(void **state)
{
	(void)state;
	assert_int_equal(util_parse_duration("30m"), 1800);
	assert_int_equal(util_parse_duration("2h"), 7200);
	assert_int_equal(util_parse_duration("1d"), 86400);
	assert_int_equal(util_parse_duration("45"), 45);
	assert_int_equal(util_parse_duration("45s"), 45);
	assert_int_equal(util_parse_duration("m"), -1);
	assert_int_equal(util_parse_duration("5x"), -1);
	assert_int_equal(util_parse_duration("5mm"), -1);
	assert_int_equal(util_parse_duration("-5"), -1);
}

static void test_sbuf(void **state)
{
	struct sbuf b = {0};

	(void)state;
	for (int i = 0; i < 1000; i++)
		sbuf_printf(&b, "%d,", i);
	assert_int_equal(b.len, strlen(b.s));
	assert_memory_equal(b.s, "0,1,2,", 6);
	sbuf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.s, "");
	sbuf_adds(&b, "x");
	char *s = sbuf_steal(&b);
	assert_string_equal(s, "x");
	assert_null(b.s);
	free(s);
	s = sbuf_steal(&b);
	assert_string_equal(s, "");
	free(s);
}

static void test_arxiv_ids(void **state)
{
	char id[64];
	int v;

	(void)state;
	assert_int_equal(paper_parse_arxiv_id("2501.01234v3", id, sizeof id, &v), 0);
	assert_string_equal(id, "2501.01234");
	assert_int_equal(v, 3);
	assert_int_equal(paper_parse_arxiv_id("http://arxiv.org/abs/hep-th/9901001v2", id, sizeof id, &v), 0);
	assert_string_equal(id, "hep-th/9901001");
	assert_int_equal(v, 2);
	assert_int_equal(paper_parse_arxiv_id("oai:arXiv.org:2609.26811v1", id, sizeof id, &v), 0);
	assert_string_equal(id, "2609.26811");
	assert_int_equal(paper_parse_arxiv_id("astro-ph/0601001", id, sizeof id, &v), 0);
	assert_string_equal(id, "astro-ph/0601001");
	assert_int_equal(v, 0);
	assert_int_equal(paper_parse_arxiv_id("math.CO/0309136", id, sizeof id, &v), 0);
	assert_string_equal(id, "math.CO/0309136");
	assert_int_equal(paper_parse_arxiv_id("0704.0001", id, sizeof id, &v), 0);
	assert_int_equal(paper_parse_arxiv_id("https://arxiv.org/pdf/2501.01234v1.pdf", id, sizeof id, &v), 0);
	assert_string_equal(id, "2501.01234");
	assert_int_equal(paper_parse_arxiv_id("arXiv:2501.01234", id, sizeof id, &v), 0);
	/* Not ids. */
	assert_int_equal(paper_parse_arxiv_id("abc", id, sizeof id, &v), -1);
	assert_int_equal(paper_parse_arxiv_id("2513.01234", id, sizeof id, &v), -1);
	assert_int_equal(paper_parse_arxiv_id("2501.123", id, sizeof id, &v), -1);
	assert_int_equal(paper_parse_arxiv_id("2501.01234; rm -rf", id, sizeof id, &v), -1);
	assert_int_equal(paper_parse_arxiv_id("hep-th/990100", id, sizeof id, &v), -1);
	assert_true(paper_is_arxiv_id("2501.01234"));
	assert_false(paper_is_arxiv_id("2501.01234v1"));
	assert_false(paper_is_arxiv_id("doi:10.1/x"));
}

static void test_paper_copy_clear(void **state)
{
	struct paper a, b;

	(void)state;
	paper_init(&a);
	assert_int_equal(a.upvotes, -1);
	paper_set(&a.id, "2501.01234");
	paper_set(&a.title, "T");
	paper_set(&a.listings, "hf-daily 2025-01-02");
	paper_add_author(&a, "Ada", "Analytical Engines; Cambridge");
	paper_add_author(&a, "Bob", "");
	a.upvotes = 7;
	paper_copy(&b, &a);
	paper_clear(&a);
	assert_null(a.id);
	assert_int_equal(a.n_authors, 0);
	assert_string_equal(b.id, "2501.01234");
	assert_string_equal(b.listings, "hf-daily 2025-01-02");
	assert_int_equal(b.n_authors, 2);
	assert_string_equal(b.authors[0].affiliation, "Analytical Engines; Cambridge");
	assert_null(b.authors[1].affiliation);
	assert_int_equal(b.upvotes, 7);
	paper_clear(&b);
}

static void test_normalise_tags(void **state)
{
	(void)state;
	char *t = paper_normalise_tags(" ml, to-read  ml #survey,,#ml  日本 ");
	assert_string_equal(t, "ml to-read survey 日本");
	free(t);
	t = paper_normalise_tags("ML ml Ml survey");   /* one tag whatever its case */
	assert_string_equal(t, "ML survey");
	free(t);
	t = paper_normalise_tags(" , # ");
	assert_string_equal(t, "");
	free(t);
	t = paper_normalise_tags(NULL);
	assert_string_equal(t, "");
	free(t);
}

static char *write_temp(const char *text)
{
	char *path = xstrdup("/tmp/lectern-config-XXXXXX");
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static void test_config_defaults(void **state)
{
	struct config c;
	struct lerr e = {0};

	(void)state;
	setenv("XDG_CONFIG_HOME", "/nonexistent-lectern-dir", 1);
	assert_int_equal(config_load(&c, NULL, &e), 0);
	assert_int_equal(c.n_sources, 2);
	assert_string_equal(c.sources[0].name, "hf-daily");
	assert_int_equal(c.sources[1].type, SOURCE_ARXIV);
	assert_int_equal(c.sources[1].n_args, 4);
	assert_string_equal(c.sources[1].args[3], "cs.LG");
	assert_int_equal(c.refresh, 1800);
	assert_int_equal(c.hf_days, 7);
	assert_int_equal(c.arxiv_delay_ms, 3000);
	assert_string_equal(c.hf_url, "https://huggingface.co");
	assert_string_equal(c.theme, "dark");
	assert_true(c.mouse);
	assert_null(c.browser);
	assert_null(c.start_view);          /* daily when hf-daily is configured, else unread */
	assert_int_equal(c.mark_read_after, 3);
	assert_int_equal(c.list_width, 0);
	config_free(&c);
}

/* c->errors are, in this order, messages containing want[0], want[1]... (NULL-terminated). */
static void expect_errors(const struct config *c, const char *const *want)
{
	size_t n = 0;
	for (; want[n]; n++) {
		assert_true(n < c->n_errors);
		assert_non_null(strstr(c->errors[n], want[n]));
	}
	assert_int_equal(c->n_errors, n);
}

static void test_config_reader(void **state)
{
	struct config c;
	struct lerr e = {0};
	(void)state;
	char *path = write_temp("set start-view source:later\n"
	                        "set mark-read-after never\n"
	                        "set list-width 70%\n"
	                        "set start-view yesterday\n"
	                        "set list-width 5%\n"
	                        "set mark-read-after soon\n"
	                        "source arxiv cs.LG name later\n");
	assert_int_equal(config_load(&c, path, &e), -1);
	assert_string_equal(c.start_view, "source:later");   /* a source defined after it */
	assert_int_equal(c.mark_read_after, -1);
	assert_int_equal(c.list_width, 70);
	assert_true(c.list_width_pct);
	expect_errors(&c, (const char *[]){":4: start-view: expected daily", ":5: list-width",
	                                    ":6: mark-read-after", NULL});
	config_free(&c);
	unlink(path);
	free(path);

	/* an unknown source is found out after the file is read, and listed in line order */
	path = write_temp("set nope 1\nset start-view source:nowhere\nset list-width 90\nset x y\n"
	                  "set mark-read-after 0\n");
	assert_int_equal(config_load(&c, path, &e), -1);
	assert_null(c.start_view);
	assert_int_equal(c.mark_read_after, 0);
	assert_int_equal(c.list_width, 90);
	assert_false(c.list_width_pct);
	expect_errors(&c, (const char *[]){":1: unknown option",
	                                    ":2: start-view: no source named \"nowhere\"",
	                                    ":4: unknown option", NULL});
	assert_non_null(strstr(e.msg, ":1: unknown option"));
	config_free(&c);
	unlink(path);
	free(path);
}

static void test_config_file(void **state)
{
	struct config c;
	struct lerr e = {0};
	char *path = write_temp(
		"# my sources\n"
		"source hf-daily\n"
		"source arxiv cs.LG cs.CL   # two\n"
		"source arxiv-query \"au:hinton AND ti:\\\"deep learning\\\"\" name hinton\n"
		"source feed https://example.org/rss.xml name journal\n"
		"set refresh 2h\n"
		"set hf-url http://127.0.0.1:8080\n"
		"set browser \"firefox --new-tab\"\n"
		"set browser-in-terminal yes\n"
		"theme light\n"
		"bind Q quit\n"
		"color title yellow default bold\n");

	(void)state;
	assert_int_equal(config_load(&c, path, &e), 0);
	assert_int_equal(c.n_sources, 4);
	assert_string_equal(c.sources[2].name, "hinton");
	assert_string_equal(c.sources[2].args[0], "au:hinton AND ti:\"deep learning\"");
	assert_int_equal(c.sources[1].n_args, 2);
	assert_string_equal(c.sources[3].args[0], "https://example.org/rss.xml");
	assert_int_equal(c.refresh, 7200);
	assert_string_equal(c.hf_url, "http://127.0.0.1:8080");
	assert_string_equal(c.browser, "firefox --new-tab");
	assert_true(c.browser_in_terminal);
	assert_string_equal(c.theme, "light");
	assert_int_equal(c.theme_line, 10);
	assert_int_equal(c.n_binds, 1);
	assert_string_equal(c.binds[0].argv[1], "Q");
	assert_int_equal(c.binds[0].line, 11);
	assert_int_equal(c.n_colors, 1);
	assert_int_equal(c.colors[0].argc, 5);
	assert_ptr_equal(config_find_source(&c, "journal"), &c.sources[3]);
	assert_ptr_equal(config_find_source(&c, "feed"), &c.sources[3]);
	assert_ptr_equal(config_find_source(&c, "arxiv-query"), &c.sources[2]);
	assert_null(config_find_source(&c, "nope"));
	assert_int_equal(c.n_warnings, 0);
	config_free(&c);
	unlink(path);
	free(path);
}

/* A browser that runs a shell is kept (it is the user's choice) but warned about, with its line. */
static void test_config_shell_warning(void **state)
{
	(void)state;
	static const char *const shells[] = {
		"sh -c 'firefox %u'", "/bin/bash -lc \"x %u\"", "env BROWSER=x dash -c 'y %u'",
		"/usr/bin/env -i zsh -ec z", "busybox sh -c 'w %u'",
	};
	for (size_t i = 0; i < sizeof shells / sizeof *shells; i++) {
		char *w = config_shell_warning("browser", shells[i]);
		assert_non_null(w);
		assert_non_null(strstr(w, "browser runs a shell"));
		assert_non_null(strstr(w, "lectern(5)"));
		free(w);
	}
	static const char *const fine[] = {
		"firefox --new-tab", "sh-browser -c", "/opt/bash/firefox -c x", "xdg-open", "sh script.sh",
		"bash --login", "",
	};
	for (size_t i = 0; i < sizeof fine / sizeof *fine; i++)
		assert_null(config_shell_warning("browser", fine[i]));
	assert_null(config_shell_warning("browser", NULL));

	struct config c;
	struct lerr e = {0};
	char *path = write_temp("set refresh 2h\nset browser \"sh -c 'firefox %u'\"\n");
	assert_int_equal(config_load(&c, path, &e), 0);
	assert_string_equal(c.browser, "sh -c 'firefox %u'");
	assert_int_equal(c.n_warnings, 1);
	char *want = xasprintf("%s:2: browser runs a shell (sh -c)", path);
	assert_true(!strncmp(c.warnings[0], want, strlen(want)));
	free(want);
	config_free(&c);
	unlink(path);
	free(path);
}

static void test_config_errors(void **state)
{
	struct config c;
	struct lerr e = {0};
	char *path = write_temp("set refresh 30m\n"
	                        "set refresh soon\n"
	                        "set colour blue\n"
	                        "source arxiv\n"
	                        "source arxiv-query \"unterminated\n"
	                        "frobnicate\n"
	                        "set hf-days 3\n");

	(void)state;
	assert_int_equal(config_load(&c, path, &e), -1);
	/* The first error is reported as FILE:LINE; valid lines still apply. */
	char *want = xasprintf("%s:2: ", path);
	assert_memory_equal(e.msg, want, strlen(want));
	assert_non_null(strstr(e.msg, "refresh"));
	assert_int_equal(e.code, 2);
	/* Every bad line is listed, not only the first. */
	assert_int_equal(c.n_errors, 5);
	assert_non_null(strstr(c.errors[1], ":3: unknown option \"colour\""));
	assert_non_null(strstr(c.errors[2], ":4: source arxiv needs"));
	assert_non_null(strstr(c.errors[3], ":5: unterminated"));
	assert_non_null(strstr(c.errors[4], ":6: unknown command"));
	assert_int_equal(c.hf_days, 3);
	assert_int_equal(c.refresh, 1800);
	/* No valid source line: the defaults stay. */
	assert_int_equal(c.n_sources, 2);
	config_free(&c);
	unlink(path);
	free(path);
	free(want);

	path = write_temp("set hf-url ftp://example.org\nset arxiv-api-url http://127.0.0.1:1/api\n");
	assert_int_equal(config_load(&c, path, &e), -1);
	assert_non_null(strstr(e.msg, ":1: hf-url: expected an http"));
	assert_string_equal(c.hf_url, "https://huggingface.co");
	assert_string_equal(c.arxiv_api_url, "http://127.0.0.1:1/api");
	config_free(&c);
	unlink(path);
	free(path);

	/* An explicit missing file is an error. */
	assert_int_equal(config_load(&c, "/nonexistent/lectern.conf", &e), -1);
	assert_int_equal(e.kind, LERR_IO);
	config_free(&c);
}

static void test_config_split(void **state)
{
	char **v;
	struct lerr e = {0};

	(void)state;
	assert_int_equal(config_split("  a \"b c\" d\\e \"x\\\"y\" # c", &v, &e), 4);
	assert_string_equal(v[1], "b c");
	assert_string_equal(v[2], "d\\e");
	assert_string_equal(v[3], "x\"y");
	config_free_words(v, 4);
	/* A hex colour is a word, not a comment; other '#' words start one. */
	assert_int_equal(config_split("color title #ff8800 #000 bold # comment", &v, &e), 5);
	assert_string_equal(v[2], "#ff8800");
	assert_string_equal(v[3], "#000");
	assert_string_equal(v[4], "bold");
	config_free_words(v, 5);
	assert_int_equal(config_split("set x y #ff8800x", &v, &e), 3);
	config_free_words(v, 3);
	assert_int_equal(config_split("a \"b", &v, &e), -1);
	assert_int_equal(config_split("   # only a comment", &v, &e), 0);
	config_free_words(v, 0);
}

/* PDF file names: the key, '/' and controls replaced, at most 200 bytes cut on a character;
 * a paper without an arXiv id by a hash; the index finds a file by its key whatever its title. */
static void test_pdf_names(void **state)
{
	(void)state;
	char *n = pdf_file_name("2501.01234", 2, "A/B \x1b[31mred\x07 title");
	assert_string_equal(n, "2501.01234v2 A_B _[31mred_ title.pdf");
	free(n);
	n = pdf_file_name("hep-th/9901001", 0, "Old");
	assert_string_equal(n, "hep-th_9901001 Old.pdf");
	free(n);
	n = pdf_file_name("url:https://example.org/a/b", 0, "Blog post");
	assert_int_equal(strlen(n), 16 + strlen(" Blog post.pdf"));
	assert_null(strchr(n, '/'));
	free(n);
	char title[600] = "";
	for (int i = 0; i < 150; i++)
		strcat(title, "é");   /* two bytes each: the cut must not split one */
	n = pdf_file_name("2501.01234", 1, title);
	assert_true(strlen(n) <= PDF_NAME_MAX);
	assert_string_equal(n + strlen(n) - 4, ".pdf");
	assert_int_equal((strlen(n) - strlen("2501.01234v1 ") - 4) % 2, 0);
	free(n);

	char dir[300], path[400], key[80];
	const char *tmp = getenv("TMPDIR_TEST");
	snprintf(dir, sizeof dir, "%s/pdfidx-%d", tmp ? tmp : "/tmp", (int)getpid());
	assert_int_equal(util_mkdir_p(dir, 0700), 0);
	struct pdf_index x = {0};
	pdf_index_refresh(&x, dir);
	pdf_key("2501.01234", 2, key, sizeof key);
	assert_false(pdf_index_has(&x, key));
	snprintf(path, sizeof path, "%s/2501.01234v2 An older title.pdf", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	snprintf(path, sizeof path, "%s/2501.09999v1 Half.pdf.part", dir);   /* not finished */
	f = fopen(path, "w");
	fclose(f);
	pdf_index_refresh(&x, dir);
	assert_true(pdf_index_has(&x, key));
	pdf_key("2501.09999", 1, key, sizeof key);
	assert_false(pdf_index_has(&x, key));
	pdf_key("2501.01234", 2, key, sizeof key);
	char *found = pdf_find(dir, key);
	assert_non_null(found);
	assert_non_null(strstr(found, "An older title.pdf"));
	unlink(found);
	free(found);
	unlink(path);
	rmdir(dir);
	pdf_index_free(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pdf_names),
		cmocka_unit_test(test_parse_time),
		cmocka_unit_test(test_fmt_and_valid_date),
		cmocka_unit_test(test_parse_period),
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_sbuf),
		cmocka_unit_test(test_arxiv_ids),
		cmocka_unit_test(test_paper_copy_clear),
		cmocka_unit_test(test_normalise_tags),
		cmocka_unit_test(test_config_defaults),
		cmocka_unit_test(test_config_reader),
		cmocka_unit_test(test_config_file),
		cmocka_unit_test(test_read_line),
		cmocka_unit_test(test_config_errors),
		cmocka_unit_test(test_config_shell_warning),
		cmocka_unit_test(test_config_split),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
