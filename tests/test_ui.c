/* Unit tests for the reader's curses-free parts: widths and wrapping, keys and binds, themes,
 * browser argv building, base64. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <locale.h>
#include <cmocka.h>
#include <curses.h>

#include "lectern/ui_keys.h"
#include "lectern/ui_open.h"
#include "lectern/ui_prompt.h"
#include "lectern/ui_theme.h"
#include "lectern/util.h"

static int setup(void **st)
{
	(void)st;
	setlocale(LC_ALL, "C.UTF-8");
	return 0;
}

static void test_keys(void **st)
{
	(void)st;
	int k;
	assert_int_equal(ui_key_parse("j", &k), 0);
	assert_int_equal(k, 'j');
	assert_int_equal(ui_key_parse("<C-d>", &k), 0);
	assert_int_equal(k, 4);
	assert_int_equal(ui_key_parse("^U", &k), 0);
	assert_int_equal(k, 21);
	assert_int_equal(ui_key_parse("<Enter>", &k), 0);
	assert_int_equal(k, '\r');
	assert_int_equal(ui_key_parse("é", &k), 0);
	assert_int_equal(k, 0xE9);
	assert_int_equal(ui_key_parse("<Nope>", &k), -1);
	assert_int_equal(ui_key_parse("ab", &k), -1);
	assert_int_equal(ui_key_parse("<F13>", &k), -1);
	char name[32];
	assert_int_equal(ui_key_parse("<PgDn>", &k), 0);
	ui_key_name(k, name, sizeof name);
	assert_string_equal(name, "<PgDn>");

	struct ui_keymap km;
	ui_keymap_init(&km);
	assert_int_equal(ui_keymap_lookup(&km, 'j'), ACT_DOWN);
	assert_int_equal(ui_keymap_lookup(&km, 'q'), ACT_QUIT);
	char *bind[] = {(char *)"bind", (char *)"x", (char *)"toggle-favourite"};
	struct lerr e = {0};
	assert_int_equal(ui_keymap_bind(&km, bind, 3, &e), 0);
	assert_int_equal(ui_keymap_lookup(&km, 'x'), ACT_FAVOURITE);
	char *unbind[] = {(char *)"bind", (char *)"q", (char *)"none"};
	assert_int_equal(ui_keymap_bind(&km, unbind, 3, &e), 0);
	assert_int_equal(ui_keymap_lookup(&km, 'q'), ACT_NONE);
	char *bad[] = {(char *)"bind", (char *)"x", (char *)"fly"};
	assert_int_equal(ui_keymap_bind(&km, bad, 3, &e), -1);
	assert_non_null(strstr(e.msg, "unknown action 'fly'"));
	char *badkey[] = {(char *)"bind", (char *)"<Bogus>", (char *)"quit"};
	assert_int_equal(ui_keymap_bind(&km, badkey, 3, &e), -1);
	char keys[128];
	ui_keymap_keys_of(&km, ACT_FAVOURITE, keys, sizeof keys);
	assert_string_equal(keys, "f, x");
	ui_keymap_free(&km);

	/* every action has a name, default keys that parse, and help */
	for (int a = ACT_NONE + 1; a < ACT__COUNT; a++) {
		const struct ui_action_info *ai = ui_action_info((enum ui_action)a);
		assert_non_null(ai->name);
		assert_non_null(ai->help);
		assert_int_equal(ui_action_by_name(ai->name), a);
		char *copy = xstrdup(ai->keys);
		for (char *sv, *t = strtok_r(copy, " ", &sv); t; t = strtok_r(NULL, " ", &sv))
			assert_int_equal(ui_key_parse(t, &k), 0);
		free(copy);
	}
}

static void test_theme(void **st)
{
	(void)st;
	struct ui_color c;
	assert_int_equal(ui_color_parse("red", &c), 0);
	assert_int_equal(c.index, 1);
	assert_int_equal(ui_color_parse("brightblue", &c), 0);
	assert_int_equal(c.index, 12);
	assert_int_equal(ui_color_parse("bright-white", &c), 0);
	assert_int_equal(c.index, 15);
	assert_int_equal(ui_color_parse("208", &c), 0);
	assert_int_equal(ui_color_parse("256", &c), -1);
	assert_int_equal(ui_color_parse("#ff0000", &c), 0);
	assert_int_equal(ui_color_resolve(&c, 8), 1);      /* nearest of 8: red */
	assert_int_equal(ui_color_resolve(&c, 256), 9);    /* exact: bright red */
	assert_int_equal(ui_color_parse("#5f87af", &c), 0);
	assert_int_equal(ui_color_resolve(&c, 256), 67);   /* a cube colour */
	/* a direct-colour terminal (terminfo RGB): #rrggbb exact, palette indexes as their RGB */
	assert_int_equal(ui_color_resolve(&c, UI_DIRECT_COLORS), 0x5f87af);
	assert_int_equal(ui_color_parse("#ff8800", &c), 0);
	assert_int_equal(ui_color_resolve(&c, UI_DIRECT_COLORS), 0xff8800);
	assert_int_equal(ui_color_resolve(&c, 256), 208);   /* the nearest of 256 */
	assert_int_equal(ui_color_parse("red", &c), 0);
	assert_int_equal(ui_color_resolve(&c, UI_DIRECT_COLORS), 1);   /* ANSI stays ANSI */
	assert_int_equal(ui_color_parse("208", &c), 0);
	assert_int_equal(ui_color_resolve(&c, UI_DIRECT_COLORS), 0xff8700);
	assert_int_equal(ui_color_parse("#12345", &c), -1);
	assert_int_equal(ui_color_parse("default", &c), 0);
	assert_int_equal(ui_color_resolve(&c, 256), -1);
	ui_color_parse("brightred", &c);
	assert_int_equal(ui_color_resolve(&c, 8), 1);

	struct ui_theme t;
	ui_theme_default(&t);
	assert_int_equal(t.el[EL_UNREAD].attrs, UI_A_BOLD);
	struct lerr e = {0};
	int bad = ui_theme_parse(&t, "# c\ncolor cursor red blue bold underline\ncolor nope red red\n"
	                             "color title red blue blink\nset x y\n", "t.theme", &e);
	assert_int_equal(bad, 3);
	assert_string_equal(e.msg, "t.theme:3: unknown element 'nope'");
	assert_int_equal(t.el[EL_CURSOR].attrs, UI_A_BOLD | UI_A_UNDERLINE);
	assert_int_equal(t.el[EL_CURSOR].fg.index, 1);

	/* every bad line is collected, in order, each with FILE:LINE */
	struct ui_msgs all = {0};
	bad = ui_theme_parse_all(&t, "color nope red red\ncolor list red red\n\"open\nset x y\n",
	                         "u.theme", &e, &all);
	assert_int_equal(bad, 3);
	assert_int_equal(all.n, 3);
	assert_string_equal(all.v[0], "u.theme:1: unknown element 'nope'");
	assert_true(strncmp(all.v[1], "u.theme:3: ", 11) == 0);
	assert_string_equal(all.v[2], "u.theme:4: only color lines belong in a theme");
	assert_string_equal(e.msg, all.v[0]);
	ui_msgs_free(&all);
	assert_int_equal(all.n, 0);
}

static void test_shipped_themes(void **st)
{
	(void)st;
	/* the compiled-in theme is exactly themes/dark.theme; every shipped theme parses */
	size_t len;
	struct lerr e = {0};
	char *dark = util_read_file("themes/dark.theme", &len, &e);
	assert_non_null(dark);
	assert_string_equal(dark, ui_theme_default_text());
	free(dark);
	const char *names[] = {"dark", "light", "solarized", "mono"};
	for (size_t i = 0; i < 4; i++) {
		struct ui_theme t;
		assert_int_equal(ui_theme_load(&t, names[i], &e), 0);
	}
	struct ui_theme t;
	assert_int_equal(ui_theme_load(&t, "no-such-theme", &e), -1);
	assert_int_equal(ui_theme_load(&t, "../etc/passwd", &e), -1);
}

/* Bytes RFC 3986 never allows reach the browser percent-encoded; a valid URL is unchanged. */
static void test_url_normalise(void **st)
{
	(void)st;
	static const char *const same[] = {
		"https://arxiv.org/abs/2501.01234v2",
		"https://example.com/a;b,c/d:e@f?q=a%20b&r=1+2#frag!$'()*=~_-.",
		"http://[::1]:8080/x%2Fy",
	};
	for (size_t i = 0; i < sizeof same / sizeof *same; i++) {
		char *n = ui_url_normalise(same[i]);
		assert_string_equal(n, same[i]);
		free(n);
	}
	static const char *const cases[][2] = {
		{"https://x.org/a b", "https://x.org/a%20b"},
		{"https://x.org/\"q\"<s>`{}|\\^", "https://x.org/%22q%22%3Cs%3E%60%7B%7D%7C%5C%5E"},
		{"https://x.org/\x1b[31m\x7f\t", "https://x.org/%1B[31m%7F%09"},
		{"https://x.org/caf\xc3\xa9", "https://x.org/caf%C3%A9"},
		{"https://x.org/100%", "https://x.org/100%25"},
		{"https://x.org/%zz%4", "https://x.org/%25zz%254"},
		{"https://x.org/`touch /tmp/p`", "https://x.org/%60touch%20/tmp/p%60"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *n = ui_url_normalise(cases[i][0]);
		assert_string_equal(n, cases[i][1]);
		free(n);
	}
	struct lerr e = {0};
	char **av = ui_open_argv("firefox", "https://x.org/a b\"", &e);
	assert_string_equal(av[1], "https://x.org/a%20b%22");
	ui_argv_free(av);
	av = ui_open_argv("br --u=%u", "https://x.org/<x>", &e);
	assert_string_equal(av[1], "--u=https://x.org/%3Cx%3E");
	ui_argv_free(av);
}

static void test_open_argv(void **st)
{
	(void)st;
	const char *url = "https://example.com/x;echo$(id)?q=a%20b&r=1";
	struct lerr e = {0};
	char **av = ui_open_argv("firefox --new-tab", url, &e);
	assert_non_null(av);
	assert_string_equal(av[0], "firefox");
	assert_string_equal(av[1], "--new-tab");
	assert_string_equal(av[2], url);
	assert_null(av[3]);
	ui_argv_free(av);
	av = ui_open_argv("\"/opt/my browser/run\" --url=%u --x", url, &e);
	assert_string_equal(av[0], "/opt/my browser/run");
	assert_string_equal(av[1], "--url=https://example.com/x;echo$(id)?q=a%20b&r=1");
	assert_string_equal(av[2], "--x");
	assert_null(av[3]);
	ui_argv_free(av);
	assert_null(ui_open_argv("", url, &e));

	assert_true(ui_url_allowed("https://a.b/"));
	assert_true(ui_url_allowed("HTTP://a.b/"));
	assert_false(ui_url_allowed("javascript:alert(1)"));
	assert_false(ui_url_allowed("file:///etc/passwd"));
	assert_false(ui_url_allowed("https://a.b/\x1b[31m"));
	assert_false(ui_url_allowed(NULL));
	assert_true(ui_browser_is_terminal("/usr/bin/w3m"));
	assert_false(ui_browser_is_terminal("firefox"));

	char *b = ui_base64((const unsigned char *)"2501.01234", 10);
	assert_string_equal(b, "MjUwMS4wMTIzNA==");
	free(b);
	b = ui_base64((const unsigned char *)"abc", 3);
	assert_string_equal(b, "YWJj");
	free(b);

	/* a command that does not exist fails with a reason, not silently */
	char *bad[] = {(char *)"/nonexistent/lectern-browser", (char *)"https://x.y/", NULL};
	assert_int_equal(ui_spawn_detached(bad, &e), -1);
	assert_non_null(strstr(e.msg, "cannot start"));
}

static void type(struct ui_edit *ed, const char *s)
{
	for (; *s; s++)
		assert_true(ui_edit_key(ed, (unsigned char)*s));
}

static void test_edit(void **st)
{
	(void)st;
	struct ui_edit ed = {0};
	ui_edit_set(&ed, "good paper");
	assert_int_equal(ed.cur, 10);
	type(&ed, "!");
	assert_string_equal(ed.text.s, "good paper!");
	assert_true(ui_edit_key(&ed, 1));                        /* C-a */
	type(&ed, "A ");
	assert_string_equal(ed.text.s, "A good paper!");
	assert_true(ui_edit_key(&ed, UI_KEY_SPECIAL + KEY_END));
	assert_true(ui_edit_key(&ed, 23));                       /* C-w: the last word */
	assert_string_equal(ed.text.s, "A good ");
	/* a multibyte character is inserted and deleted whole, also before the cursor's end */
	assert_true(ui_edit_key(&ed, 0x65E5));                   /* 日 */
	assert_true(ui_edit_key(&ed, UI_KEY_SPECIAL + KEY_LEFT));
	assert_true(ui_edit_key(&ed, 'x'));
	assert_string_equal(ed.text.s, "A good x日");
	assert_true(ui_edit_key(&ed, 127));                      /* Backspace: the x */
	assert_true(ui_edit_key(&ed, UI_KEY_SPECIAL + KEY_DC));  /* Del: the 日 */
	assert_string_equal(ed.text.s, "A good ");
	assert_true(ui_edit_key(&ed, UI_KEY_SPECIAL + KEY_HOME));
	assert_true(ui_edit_key(&ed, UI_KEY_SPECIAL + KEY_RIGHT));
	assert_true(ui_edit_key(&ed, 11));                       /* C-k */
	assert_string_equal(ed.text.s, "A");
	assert_true(ui_edit_key(&ed, 127));
	assert_true(ui_edit_key(&ed, 127));                      /* nothing left: no harm */
	assert_string_equal(ed.text.s, "");
	/* controls are not text; Enter and Esc are the caller's */
	assert_false(ui_edit_key(&ed, 27));
	assert_false(ui_edit_key(&ed, '\r'));
	assert_false(ui_edit_key(&ed, 0x9b));
	assert_string_equal(ed.text.s, "");
	ui_edit_set(&ed, "abc");
	assert_true(ui_edit_key(&ed, 21));                       /* C-u */
	assert_string_equal(ed.text.s, "");
	ui_edit_free(&ed);
}

static void test_days(void **st)
{
	(void)st;
	char d[11];
	struct lerr e = {0};
	assert_int_equal(ui_parse_day("2026-06-12", "2026-06-14", d, sizeof d, &e), 0);
	assert_string_equal(d, "2026-06-12");
	assert_int_equal(ui_parse_day(" today ", "2026-06-14", d, sizeof d, &e), 0);
	assert_string_equal(d, "2026-06-14");
	assert_int_equal(ui_parse_day("Yesterday", "2026-03-01", d, sizeof d, &e), 0);
	assert_string_equal(d, "2026-02-28");
	assert_int_equal(ui_parse_day("-3", "2026-01-02", d, sizeof d, &e), 0);
	assert_string_equal(d, "2025-12-30");
	assert_int_equal(ui_parse_day("-0", "2026-01-02", d, sizeof d, &e), 0);
	assert_string_equal(d, "2026-01-02");
	assert_int_equal(ui_parse_day("2026-06-15", "2026-06-14", d, sizeof d, &e), -1);
	assert_non_null(strstr(e.msg, "after today"));
	assert_int_equal(ui_parse_day("2026-02-30", "2026-06-14", d, sizeof d, &e), -1);
	assert_non_null(strstr(e.msg, "YYYY-MM-DD"));
	assert_int_equal(ui_parse_day("+1", "2026-06-14", d, sizeof d, &e), -1);
	assert_int_equal(ui_parse_day("", "2026-06-14", d, sizeof d, &e), -1);
	assert_int_equal(ui_parse_day("-", "2026-06-14", d, sizeof d, &e), -1);
	assert_int_equal(ui_parse_day("-99999999", "2026-06-14", d, sizeof d, &e), -1);
	/* before Daily Papers began: refused, never sent to the server */
	assert_int_equal(ui_parse_day("0000-01-01", "2026-06-14", d, sizeof d, &e), -1);
	assert_non_null(strstr(e.msg, "before Daily Papers began"));
	assert_int_equal(ui_parse_day("-100000", "2026-06-14", d, sizeof d, &e), -1);
	assert_int_equal(ui_parse_day("2023-05-01", "2026-06-14", d, sizeof d, &e), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_theme),
		cmocka_unit_test(test_shipped_themes),
		cmocka_unit_test(test_open_argv),
		cmocka_unit_test(test_url_normalise),
		cmocka_unit_test(test_edit),
		cmocka_unit_test(test_days),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
