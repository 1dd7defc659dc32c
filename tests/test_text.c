/* Tests for text.c: cleaning untrusted text, whitespace, entities, HTML and TeX accents. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <locale.h>

#include <cmocka.h>

#include "lectern/latex.h"
#include "lectern/text.h"

/* Asserts text_clean(in, len, flags) == want and frees the result. */
#define CLEAN(want, in, flags) check_clean((want), (in), sizeof(in) - 1, (flags))

static void check_clean(const char *want, const char *in, size_t n, int flags)
{
	char *got = text_clean(in, n, flags);
	assert_string_equal(got, want);
	free(got);
}

static void check_fn(char *(*fn)(const char *), const char *in, const char *want)
{
	char *got = fn(in);
	assert_string_equal(got, want);
	free(got);
}

static void test_clean_plain(void **state)
{
	(void)state;
	CLEAN("hello world", "hello world", 0);
	CLEAN("0", "0", 0);
	CLEAN("", "", 0);
	CLEAN("", "   \n\t  ", TEXT_COLLAPSE);
	CLEAN("trimmed", "  trimmed \n", 0);
	CLEAN("Grüße, 世界 😀", "Grüße, 世界 😀", TEXT_COLLAPSE);
	/* not NUL-terminated: only n bytes are read */
	char *got = text_clean("abcdef", 3, 0);
	assert_string_equal(got, "abc");
	free(got);
	got = text_clean(NULL, 0, 0);
	assert_string_equal(got, "");
	free(got);
}

static void test_clean_controls(void **state)
{
	(void)state;
	CLEAN("abc", "a\x01" "b\x7f" "c", 0);
	CLEAN("a b", "a\x00 b", 0);            /* embedded NUL removed */
	CLEAN("bell", "be\x07ll", 0);
	CLEAN("a\nb c", "a\r\nb\tc", 0);       /* newline kept without COLLAPSE, CRLF -> LF, tab -> space */
	CLEAN("a\nb", "a\rb", 0);
	CLEAN("a b c", "a\nb\tc", TEXT_COLLAPSE);
	/* C1 controls as UTF-8 (U+0080..U+009F) */
	CLEAN("ab", "a\xc2\x85" "b", 0);
	CLEAN("ab", "a\xc2\x80" "b", 0);
	CLEAN("ab", "a\xc2\x9f" "hidden\x07" "b", 0);   /* APC string */
	/* bidi overrides / isolates (U+202A-U+202E, U+2066-U+2069) removed; LRM U+200E kept */
	CLEAN("evil txt", "evil \xe2\x80\xae" "txt", 0);
	CLEAN("ab", "a\xe2\x81\xa6" "b\xe2\x81\xa9", 0);
	CLEAN("a\xe2\x80\x8e" "b", "a\xe2\x80\x8e" "b", 0);
	/* U+00A0 is not a control: kept */
	CLEAN("a\xc2\xa0" "b", "a\xc2\xa0" "b", 0);
}

static void test_clean_escapes(void **state)
{
	(void)state;
	CLEAN("red text", "\x1b[31mred\x1b[0m text", 0);
	CLEAN("clear", "\x1b[2J\x1b[Hclear", 0);
	CLEAN("x", "\x1b[?1049hx", 0);
	/* OSC 8 hyperlink, terminated by ST and by BEL; the link text stays */
	CLEAN("click here now", "click \x1b]8;;http://evil.example/\x1b\\here\x1b]8;;\x1b\\ now", 0);
	CLEAN("title", "\x1b]0;pwned\x07title", 0);
	/* C1 CSI and OSC in their UTF-8 form */
	CLEAN("ab", "a\xc2\x9b" "31mb", 0);
	CLEAN("ab", "a\xc2\x9d" "0;x\xc2\x9c" "b", 0);
	/* charset selection and two-byte escapes */
	CLEAN("ab", "a\x1b(Bb", 0);
	CLEAN("ab", "a\x1b" "cb", 0);
	/* a lone ESC at the end, an unterminated OSC does not swallow later lines */
	CLEAN("a", "a\x1b", 0);
	CLEAN("a\nrest", "a\x1b]0;never ends\nrest", 0);
	/* DCS string */
	CLEAN("ok", "\x1bPq#0;2;0;0;0\x1b\\ok", 0);
}

static void test_clean_utf8(void **state)
{
	(void)state;
	CLEAN("a\xef\xbf\xbd" "b", "a\xff" "b", 0);               /* invalid byte */
	CLEAN("\xef\xbf\xbd\xef\xbf\xbd", "\xc0\xaf", 0);         /* overlong '/' */
	CLEAN("\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", "\xe0\x80\xaf", 0);   /* overlong 3-byte */
	CLEAN("\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", "\xed\xa0\x80", 0);   /* surrogate D800 */
	CLEAN("x\xef\xbf\xbd\xef\xbf\xbd", "x\xe2\x82", 0);        /* truncated: 1 byte each */
	CLEAN("\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", "\xf4\x90\x80\x80", 0); /* > U+10FFFF */
	CLEAN("\xef\xbf\xbd" "A", "\x80" "A", 0);                  /* stray continuation */
	CLEAN("\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80", 0);          /* valid 4-byte */

	unsigned cp;
	assert_int_equal(text_utf8_decode("\xc3\xa9", 2, &cp), 2);
	assert_int_equal(cp, 0xE9);
	assert_int_equal(text_utf8_decode("\xc3\xa9", 1, &cp), 1);
	assert_int_equal(cp, 0xFFFD);
	assert_int_equal(text_utf8_decode("\xef\xbf\xbf", 3, &cp), 3);
	assert_int_equal(cp, 0xFFFF);
	assert_int_equal(text_utf8_decode("\xf4\x8f\xbf\xbf", 4, &cp), 4);
	assert_int_equal(cp, 0x10FFFF);

	char out[4];
	assert_int_equal(text_utf8_encode(0x41, out), 1);
	assert_int_equal(text_utf8_encode(0x10D, out), 2);
	assert_memory_equal(out, "\xc4\x8d", 2);
	assert_int_equal(text_utf8_encode(0x20AC, out), 3);
	assert_memory_equal(out, "\xe2\x82\xac", 3);
	assert_int_equal(text_utf8_encode(0x1F600, out), 4);
	assert_memory_equal(out, "\xf0\x9f\x98\x80", 4);
	assert_int_equal(text_utf8_encode(0xD800, out), 3);       /* surrogate -> U+FFFD */
	assert_memory_equal(out, "\xef\xbf\xbd", 3);
}

static void test_clean_collapse(void **state)
{
	(void)state;
	/* legacy arXiv API title wrap */
	CLEAN("Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large Connectivity Limit",
	      "Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large\n  Connectivity Limit",
	      TEXT_COLLAPSE);
	/* titles: even an indented wrap is no paragraph without KEEP_PARAS */
	CLEAN("a b", "a\n\nb", TEXT_COLLAPSE);
	CLEAN("a b c", "  a   b\t\tc  ", TEXT_COLLAPSE);
}

static void test_clean_paragraphs(void **state)
{
	(void)state;
	int f = TEXT_COLLAPSE | TEXT_KEEP_PARAS;
	/* legacy summary: leading indent, lines wrapped with a bare "\n", trailing newline */
	CLEAN("Theoretical description of anisotropic systems, such as layered superconductors",
	      "  Theoretical description of anisotropic systems, such as layered\nsuperconductors\n", f);
	/* arXiv marks a new paragraph by a newline followed by indentation */
	CLEAN("First para.\nObjective. Second.", "First para.\n  Objective. Second.", f);
	/* a blank line is a paragraph break too, however many */
	CLEAN("one\ntwo", "one\n\n\ntwo", f);
	CLEAN("one\ntwo", "one \r\n\r\n two", f);
	/* escapes inside a whitespace run do not break it */
	CLEAN("a b", "a \x1b[0m b", f);
	CLEAN("a\nb", "a\n\x1b[0m  b", f);
}

/* Zero-width characters go; the Unicode line and paragraph separators become the breaks they
 * mean (issue 9: they passed through and could truncate the detail pane). */
static void test_clean_invisible(void **state)
{
	(void)state;
	int paras = TEXT_COLLAPSE | TEXT_KEEP_PARAS;
	/* U+200B zero-width space, U+200C ZWNJ, U+200D ZWJ, U+2060 word joiner, U+FEFF BOM */
	CLEAN("abcdef", "a\xe2\x80\x8b" "b\xe2\x80\x8c" "c\xe2\x80\x8d" "d\xe2\x81\xa0" "e\xef\xbb\xbf" "f", 0);
	CLEAN("Title", "\xef\xbb\xbf" "Title\xe2\x80\x8b", TEXT_COLLAPSE);
	CLEAN("a b", "a \xe2\x80\x8b b", TEXT_COLLAPSE);   /* inside a whitespace run */
	/* U+2028 line separator, U+2029 paragraph separator */
	CLEAN("one\ntwo", "one\xe2\x80\xa8" "two", 0);
	CLEAN("one\n\ntwo", "one\xe2\x80\xa9" "two", 0);
	CLEAN("one two", "one\xe2\x80\xa8" "two", TEXT_COLLAPSE);
	CLEAN("one two", "one\xe2\x80\xa9" "two", TEXT_COLLAPSE);
	CLEAN("one two", "one\xe2\x80\xa8" "two", paras);         /* a line break is no paragraph */
	CLEAN("one\ntwo", "one \xe2\x80\xa9 two", paras);
	CLEAN("one\ntwo", "one\n\xe2\x80\xa8" "two", paras);    /* two breaks make a paragraph */
	CLEAN("x", "\xe2\x80\xa9" "x\xe2\x80\xa8", 0);          /* trimmed like other whitespace */
	/* the predicate drawing shares */
	assert_true(text_cp_hidden(0x200B) && text_cp_hidden(0xFEFF) && text_cp_hidden(0x202E));
	assert_false(text_cp_hidden(0x200E) || text_cp_hidden(0x2028) || text_cp_hidden('a'));
}

static void test_html_unescape(void **state)
{
	(void)state;
	check_fn(text_html_unescape, "Gould &amp; Morgan", "Gould & Morgan");
	check_fn(text_html_unescape, "&lt;b&gt; &quot;q&quot; &apos;a&apos;", "<b> \"q\" 'a'");
	check_fn(text_html_unescape, "R&eacute;my &#233; &#xE9; &#XE9;", "Rémy é é é");
	check_fn(text_html_unescape, "a&nbsp;b", "a\xc2\xa0" "b");
	check_fn(text_html_unescape, "&mdash;&hellip;&alpha;", "—…α");
	check_fn(text_html_unescape, "&amp;amp;", "&amp;");                  /* one level only */
	check_fn(text_html_unescape, "&unknown; & &; &#; &#xZZ; AT&T", "&unknown; & &; &#; &#xZZ; AT&T");
	check_fn(text_html_unescape, "&#0; &#xD800; &#x110000;", "\xef\xbf\xbd \xef\xbf\xbd \xef\xbf\xbd");
	check_fn(text_html_unescape, "no entities", "no entities");
}

static void test_strip_html(void **state)
{
	(void)state;
	check_fn(text_strip_html, "<p>First <b>bold</b> para.</p><p>Second&nbsp;one &amp; more</p>",
	         "First bold para.\nSecond\xc2\xa0one & more");
	check_fn(text_strip_html, "line one<br/>line two", "line one\nline two");
	check_fn(text_strip_html, "a <i>Drosophila</i>\n   study", "a Drosophila study");
	check_fn(text_strip_html, "<script>alert(1)</script>safe", "safe");
	check_fn(text_strip_html, "plain &amp; simple", "plain & simple");
	check_fn(text_strip_html, "x < y and <p>unclosed", "x < y and\nunclosed");
	check_fn(text_strip_html, "<ul><li>one</li><li>two</li></ul>", "one\ntwo");
	check_fn(text_strip_html, "", "");
	/* <sup>/<sub>: Unicode where every character has a form, else ^/_ notation */
	check_fn(text_strip_html, "x<sup>6</sup> and H<sub>2</sub>O", "x⁶ and H₂O");
	check_fn(text_strip_html, "x<sup>n+1</sup>, T<sub>max</sub>, T<sub>eff</sub>, 10<sup>th</sup>",
	         "xⁿ⁺¹, Tₘₐₓ, T_{eff}, 10ᵗʰ");
	check_fn(text_strip_html, "x<sup>q</sup> y<sup>1,2</sup> z<sup> </sup>.", "x^q y^{1,2} z.");
	check_fn(text_strip_html, "<p>CO<sub>2</sub> at 10<sup>&minus;3</sup></p><div>next</div>",
	         "CO₂ at 10⁻³\nnext");
	check_fn(text_strip_html, "<style>p{}</style><p>a<br>b</p><ol><li>c</li></ol>", "a\nb\nc");
}

static void test_tex_accents(void **state)
{
	(void)state;
	check_fn(text_tex_accents, "Benjamin R\\'emy", "Benjamin Rémy");
	check_fn(text_tex_accents, "V\\'aclav Vavry\\v{c}uk", "Václav Vavryčuk");
	check_fn(text_tex_accents, "Schr\\\"odinger", "Schrödinger");
	check_fn(text_tex_accents, "Aragon\\`es Fontbot\\'e", "Aragonès Fontboté");
	check_fn(text_tex_accents, "{\\'e}t{\\'{e}} \\'{e}", "été é");
	check_fn(text_tex_accents, "Przemys{\\l}aw Jaros{\\l}aw \\.Zygierewicz",
	         "Przemysław Jarosław Żygierewicz");
	check_fn(text_tex_accents, "Kad{\\i}o\\u{g}lu", "Kadıoğlu");
	check_fn(text_tex_accents, "Holb{\\ae}k Mar{\\aa}k {\\o}st \\O{}rsted", "Holbæk Maråk øst Ørsted");
	check_fn(text_tex_accents, "Stra\\ss e, Gau\\ss", "Straße, Gauß");
	check_fn(text_tex_accents, "Fran\\c{c}ois \\c c", "François ç");
	check_fn(text_tex_accents, "Erd\\H{o}s Pe\\~na \\^ole \\={a}", "Erdős Peña ôle ā");
	check_fn(text_tex_accents, "Ma\\'\\i a \\'{\\i}", "Maía í");
	check_fn(text_tex_accents, "\\r{A}ngstr\\\"om \\k{a}", "Ångström ą");
	check_fn(text_tex_accents, "Smith \\& Sons", "Smith & Sons");
	check_fn(text_tex_accents, "{M}c{D}onald", "McDonald");
	/* no precomposed form: base + combining mark */
	check_fn(text_tex_accents, "\\v{q}", "q\xcc\x8c");
	/* unknown macros and unbalanced braces stay as written */
	check_fn(text_tex_accents, "\\foo{x} \\mathcal{A}", "\\foo{x} \\mathcal{A}");
	check_fn(text_tex_accents, "{unclosed \\'", "{unclosed \\'");
	check_fn(text_tex_accents, "{van der} Waals", "{van der} Waals");
	check_fn(text_tex_accents, "plain name", "plain name");
	check_fn(text_tex_accents, "Jos\\'e already é", "José already é");
	check_fn(text_tex_accents, "\\'", "\\'");
}

/* ---- decoding, width, wrapping ------------------------------------------------------------- */

/* The renderer's style markers are the ones text_width counts as 0 columns. */
_Static_assert(LATEX_BOLD_ON >= TEXT_MARK_FIRST && LATEX_ITALIC_OFF <= TEXT_MARK_LAST &&
               LATEX_BOLD_OFF >= TEXT_MARK_FIRST && LATEX_ITALIC_ON <= TEXT_MARK_LAST,
               "latex markers outside the range text_width skips");

static int utf8_setup(void **st)
{
	(void)st;
	setlocale(LC_ALL, "C.UTF-8");
	return 0;
}

static void test_utf8_decode(void **st)
{
	(void)st;
	unsigned cp;
	assert_int_equal(text_utf8_decode("a", 1, &cp), 1);
	assert_int_equal(cp, 'a');
	assert_int_equal(text_utf8_decode("é", 2, &cp), 2);
	assert_int_equal(cp, 0xE9);
	assert_int_equal(text_utf8_decode("🚀", 4, &cp), 4);
	assert_int_equal(cp, 0x1F680);
	/* invalid: one byte consumed, U+FFFD */
	const char *bad[] = {"\xff", "\x80", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(text_utf8_decode(bad[i], strlen(bad[i]), &cp), 1);
		assert_int_equal(cp, 0xFFFD);
	}
	assert_int_equal(text_utf8_decode("\xe6\x97", 2, &cp), 1);   /* truncated */
	assert_int_equal(cp, 0xFFFD);
}

static void test_width(void **st)
{
	(void)st;
	assert_int_equal(text_width("abc", 3), 3);
	assert_int_equal(text_width("日本", strlen("日本")), 4);           /* CJK: 2 columns each */
	assert_int_equal(text_width("🚀", strlen("🚀")), 2);               /* emoji */
	assert_int_equal(text_width("e\xcc\x81", 3), 1);                   /* e + combining acute */
	assert_int_equal(text_width("\xff", 1), 1);                        /* invalid byte: U+FFFD */
	assert_int_equal(text_width("\xe6\x97", 2), 2);                    /* truncated: two U+FFFD */
	assert_int_equal(text_width("\x01x\x02", 3), 1);                   /* style markers: 0 */
	assert_int_equal(text_width("", 0), 0);
	assert_true(text_cp_bad(0x1b));
	assert_true(text_cp_bad(0x9b));
	assert_true(text_cp_bad('\n'));
	assert_false(text_cp_bad('a'));
	assert_false(text_cp_bad(0xFFFD));
	assert_false(text_cp_bad(TEXT_MARK_FIRST));
	assert_int_equal(text_cp_width(0x1b), 1);                          /* drawn as U+FFFD */
	assert_int_equal(text_cp_width(0x301), 0);
}

static void test_fit(void **st)
{
	(void)st;
	int used;
	/* a wide character never gets split: 3 columns fit one CJK char plus nothing */
	assert_int_equal(text_fit("日本", strlen("日本"), 3, &used), 3);
	assert_int_equal(used, 2);
	/* the combining mark stays with its base */
	assert_int_equal(text_fit("ae\xcc\x81x", 5, 2, &used), 4);
	assert_int_equal(used, 2);
	assert_int_equal(text_fit("abc", 3, 0, &used), 0);
	assert_int_equal(text_fit("abc", 3, 10, NULL), 3);
}

/* Asserts that wrapping s gives the lines in want (NULL-terminated). */
static void check_wrap(const char *s, int width, int flags, const char *const *want)
{
	struct text_line *l;
	size_t n = text_wrap(s, width, flags, &l), k = 0;
	for (; want[k]; k++) {
		assert_true(k < n);
		size_t len = l[k].end - l[k].start;
		assert_int_equal(len, strlen(want[k]));
		assert_memory_equal(s + l[k].start, want[k], len);
	}
	assert_int_equal(n, k);
	free(l);
}

static void test_wrap(void **st)
{
	(void)st;
	check_wrap("the quick brown fox\njumps", 10, 0,
	           (const char *[]){"the quick", "brown fox", "jumps", NULL});
	check_wrap("exactly10c next", 10, 0, (const char *[]){"exactly10c", "next", NULL});
	check_wrap("abcdefghij", 4, 0, (const char *[]){"abcd", "efgh", "ij", NULL});  /* split */
	check_wrap("", 10, 0, (const char *[]){"", NULL});
	check_wrap("a\n", 10, 0, (const char *[]){"a", "", NULL});
	check_wrap("日本語の文", 4, 0, (const char *[]){"日本", "語の", "文", NULL});
	check_wrap("ab 日本", 3, 0, (const char *[]){"ab", "日", "本", NULL});
	check_wrap("e\xcc\x81\xcc\x81te", 2, 0, (const char *[]){"e\xcc\x81\xcc\x81t", "e", NULL});
	check_wrap("🚀🚀 go", 4, 0, (const char *[]){"🚀🚀", "go", NULL});
	check_wrap("\xff\xff\xff", 2, 0, (const char *[]){"\xff\xff", "\xff", NULL});
	check_wrap("x", 0, 0, (const char *[]){"x", NULL});

	/* as words: a long word stays whole, runs of spaces count once */
	check_wrap("see https://example.org/long/path now", 10, TEXT_WRAP_WORDS,
	           (const char *[]){"see", "https://example.org/long/path", "now", NULL});
	check_wrap("  a   b  c", 4, TEXT_WRAP_WORDS, (const char *[]){"a   b", "c", NULL});
	check_wrap("a\n\nb", 5, TEXT_WRAP_WORDS, (const char *[]){"a", "", "b", NULL});

	struct text_line *l;
	size_t n = text_wrap("one two\nthree", 5, 0, &l);
	assert_int_equal(n, 3);
	assert_false(l[0].para);
	assert_false(l[1].para);
	assert_true(l[2].para);   /* first line after the "\n" */
	free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_plain),
		cmocka_unit_test(test_clean_controls),
		cmocka_unit_test(test_clean_escapes),
		cmocka_unit_test(test_clean_utf8),
		cmocka_unit_test(test_clean_collapse),
		cmocka_unit_test(test_clean_paragraphs),
		cmocka_unit_test(test_clean_invisible),
		cmocka_unit_test(test_html_unescape),
		cmocka_unit_test(test_strip_html),
		cmocka_unit_test(test_tex_accents),
		cmocka_unit_test_setup(test_utf8_decode, utf8_setup),
		cmocka_unit_test_setup(test_width, utf8_setup),
		cmocka_unit_test_setup(test_fit, utf8_setup),
		cmocka_unit_test_setup(test_wrap, utf8_setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
