/* ui_theme — theme files and `color` lines (see ui_theme.h). */
#include "lectern/ui_theme.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lectern/config.h"

static const char *const elem_names[EL__COUNT] = {
	[EL_DEFAULT] = "default", [EL_HEADER] = "header", [EL_LIST] = "list",
	[EL_CURSOR] = "cursor", [EL_UNREAD] = "unread", [EL_FAVOURITE] = "favourite",
	[EL_DATE] = "date", [EL_UPVOTES] = "upvotes", [EL_AUTHOR] = "author", [EL_TITLE] = "title",
	[EL_LABEL] = "label", [EL_TEXT] = "text", [EL_SUMMARY] = "summary", [EL_LINK] = "link",
	[EL_STATUS] = "status", [EL_ERROR] = "error", [EL_PROMPT] = "prompt", [EL_HELP] = "help",
	[EL_BORDER] = "border",
};

/* Keep identical to themes/dark.theme (a unit test compares them). */
static const char default_text[] =
	"# dark — the default theme (compiled in)\n"
	"color default   default default\n"
	"color header    white   blue    bold\n"
	"color list      default default\n"
	"color cursor    black   cyan\n"
	"color unread    default default bold\n"
	"color favourite yellow  default bold\n"
	"color date      cyan    default\n"
	"color upvotes   green   default\n"
	"color author    magenta default\n"
	"color title     default default bold\n"
	"color label     cyan    default bold\n"
	"color text      default default\n"
	"color summary   green   default\n"
	"color link      blue    default underline\n"
	"color status    black   white\n"
	"color error     white   red     bold\n"
	"color prompt    yellow  default bold\n"
	"color help      default default\n"
	"color border    blue    default\n";

static const char *const basic[8] = {"black", "red", "green", "yellow", "blue", "magenta",
                                     "cyan", "white"};

void ui_msgs_add(struct ui_msgs *m, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = NULL;
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (!msg)
		return;
	m->v = xreallocarray(m->v, m->n + 1, sizeof *m->v);
	m->v[m->n++] = msg;
}

void ui_msgs_free(struct ui_msgs *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->v[i]);
	xfree(&m->v);
	m->n = 0;
}

const char *ui_elem_name(enum ui_elem el)
{
	return (el >= 0 && el < EL__COUNT) ? elem_names[el] : NULL;
}

const char *ui_theme_default_text(void)
{
	return default_text;
}

void ui_theme_default(struct ui_theme *t)
{
	memset(t, 0, sizeof *t);
	ui_theme_parse(t, default_text, "(built-in)", NULL);
}

int ui_color_parse(const char *s, struct ui_color *c)
{
	memset(c, 0, sizeof *c);
	if (strcasecmp(s, "default") == 0) {
		c->kind = UI_COLOR_DEFAULT;
		return 0;
	}
	const char *name = s;
	int bright = 0;
	if (strncasecmp(s, "bright-", 7) == 0)
		name = s + 7, bright = 8;
	else if (strncasecmp(s, "bright", 6) == 0)
		name = s + 6, bright = 8;
	for (int i = 0; i < 8; i++)
		if (strcasecmp(name, basic[i]) == 0) {
			c->kind = UI_COLOR_INDEX;
			c->index = i + bright;
			return 0;
		}
	if (s[0] == '#') {
		if (strlen(s) != 7 || strspn(s + 1, "0123456789abcdefABCDEF") != 6)
			return -1;
		c->kind = UI_COLOR_RGB;
		c->rgb = (unsigned)strtoul(s + 1, NULL, 16);
		return 0;
	}
	if (s[0] >= '0' && s[0] <= '9' && strlen(s) <= 3 && strspn(s, "0123456789") == strlen(s)) {
		int v = atoi(s);
		if (v > 255)
			return -1;
		c->kind = UI_COLOR_INDEX;
		c->index = v;
		return 0;
	}
	return -1;
}

static int attr_parse(const char *s, unsigned *a)
{
	static const struct { const char *n; unsigned bit; } t[] = {
		{"bold", UI_A_BOLD}, {"underline", UI_A_UNDERLINE}, {"reverse", UI_A_REVERSE},
		{"dim", UI_A_DIM}, {"italic", UI_A_ITALIC}, {"standout", UI_A_STANDOUT},
		{"normal", 0},
	};
	for (size_t i = 0; i < ARRAY_LEN(t); i++)
		if (strcasecmp(s, t[i].n) == 0) {
			*a |= t[i].bit;
			return 0;
		}
	return -1;
}

int ui_theme_color(struct ui_theme *t, char *const *argv, size_t argc, struct lerr *e)
{
	if (argc < 4) {
		lerr_set(e, LERR_USAGE, 0, "color takes ELEMENT FG BG [ATTR...]");
		return -1;
	}
	int el = -1;
	for (int i = 0; i < EL__COUNT; i++)
		if (strcmp(argv[1], elem_names[i]) == 0)
			el = i;
	if (el < 0) {
		lerr_set(e, LERR_USAGE, 0, "unknown element '%s'", argv[1]);
		return -1;
	}
	struct ui_style st = {0};
	if (ui_color_parse(argv[2], &st.fg) < 0 || ui_color_parse(argv[3], &st.bg) < 0) {
		lerr_set(e, LERR_USAGE, 0, "bad colour '%s' (a name, 0-255 or #rrggbb)",
		         ui_color_parse(argv[2], &st.fg) < 0 ? argv[2] : argv[3]);
		return -1;
	}
	for (size_t i = 4; i < argc; i++)
		if (attr_parse(argv[i], &st.attrs) < 0) {
			lerr_set(e, LERR_USAGE, 0,
			         "unknown attribute '%s' (bold underline reverse dim italic standout)",
			         argv[i]);
			return -1;
		}
	t->el[el] = st;
	return 0;
}

/* One bad line: the first goes to e, every one to all. */
static void bad_line(int *bad, struct lerr *e, struct ui_msgs *all, const char *file, int lineno,
                     const char *msg)
{
	if (!(*bad)++)
		lerr_set(e, LERR_PARSE, lineno, "%s:%d: %s", file, lineno, msg);
	if (all)
		ui_msgs_add(all, "%s:%d: %s", file, lineno, msg);
}

int ui_theme_parse_all(struct ui_theme *t, const char *text, const char *file, struct lerr *e,
                       struct ui_msgs *all)
{
	int bad = 0, lineno = 0;
	const char *p = text;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *line = xstrndup(p, len);
		lineno++;
		char **argv = NULL;
		struct lerr le = {0};
		int argc = config_split(line, &argv, &le);
		if (argc < 0) {
			bad_line(&bad, e, all, file, lineno, le.msg);
		} else if (argc > 0) {
			if (strcmp(argv[0], "color") != 0)
				bad_line(&bad, e, all, file, lineno, "only color lines belong in a theme");
			else if (ui_theme_color(t, argv, (size_t)argc, &le) < 0)
				bad_line(&bad, e, all, file, lineno, le.msg);
		}
		if (argc >= 0)
			config_free_words(argv, (size_t)argc);
		free(line);
		p += len;
		if (*p == '\n')
			p++;
	}
	return bad;
}

int ui_theme_parse(struct ui_theme *t, const char *text, const char *file, struct lerr *e)
{
	return ui_theme_parse_all(t, text, file, e, NULL);
}

int ui_theme_load(struct ui_theme *t, const char *name, struct lerr *e)
{
	return ui_theme_load_all(t, name, e, NULL);
}

int ui_theme_load_all(struct ui_theme *t, const char *name, struct lerr *e, struct ui_msgs *all)
{
	if (!name || !*name || strchr(name, '/')) {
		lerr_set(e, LERR_USAGE, 0, "theme '%s': a theme is a plain name", name ? name : "");
		return -1;
	}
	char *cfg = util_config_dir();
	char *cands[3] = {
		cfg ? xasprintf("%s/themes/%s.theme", cfg, name) : NULL,
		xasprintf("%s/themes/%s.theme", LECTERN_DATADIR, name),
		xasprintf("themes/%s.theme", name),
	};
	free(cfg);
	int rc = -1;
	bool found = false;
	for (size_t i = 0; i < ARRAY_LEN(cands) && !found; i++) {
		size_t len;
		struct lerr le = {0};
		char *text = cands[i] ? util_read_file(cands[i], &len, &le) : NULL;
		if (!text)
			continue;
		found = true;
		/* a theme starts from the defaults so a partial file still gives a usable screen */
		ui_theme_default(t);
		rc = ui_theme_parse_all(t, text, cands[i], e, all) ? -1 : 0;
		free(text);
	}
	if (!found && strcmp(name, "dark") == 0) {
		ui_theme_default(t);
		rc = 0;
	} else if (!found) {
		lerr_set(e, LERR_NOTFOUND, 0, "theme '%s' not found (looked in %s, %s/themes, ./themes)",
		         name, cands[0] ? cands[0] : "$XDG_CONFIG_HOME/lectern/themes", LECTERN_DATADIR);
	}
	for (size_t i = 0; i < ARRAY_LEN(cands); i++)
		free(cands[i]);
	return rc;
}

/* The xterm palette, for mapping between palettes. */
static unsigned xterm_rgb(int i)
{
	static const unsigned base[16] = {
		0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
		0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
	};
	if (i < 16)
		return base[i];
	if (i < 232) {
		static const int lv[6] = {0, 95, 135, 175, 215, 255};
		i -= 16;
		return (unsigned)(lv[i / 36] << 16 | lv[i / 6 % 6] << 8 | lv[i % 6]);
	}
	int g = 8 + (i - 232) * 10;
	return (unsigned)(g << 16 | g << 8 | g);
}

static int nearest(unsigned rgb, int ncolors)
{
	int best = 0;
	long bestd = -1;
	for (int i = 0; i < ncolors && i < 256; i++) {
		unsigned c = xterm_rgb(i);
		long dr = (long)(rgb >> 16 & 255) - (long)(c >> 16 & 255);
		long dg = (long)(rgb >> 8 & 255) - (long)(c >> 8 & 255);
		long db = (long)(rgb & 255) - (long)(c & 255);
		long d = dr * dr * 3 + dg * dg * 4 + db * db * 2;
		if (bestd < 0 || d < bestd)
			bestd = d, best = i;
	}
	return best;
}

/* A direct-colour terminal takes 0xRRGGBB as the colour number, except 0-7, its ANSI colours. */
static int direct(unsigned rgb)
{
	return rgb < 8 ? 0 : (int)rgb;
}

int ui_color_resolve(const struct ui_color *c, int ncolors)
{
	if (ncolors >= UI_DIRECT_COLORS) {
		switch (c->kind) {
		case UI_COLOR_DEFAULT: return -1;
		case UI_COLOR_INDEX: return c->index < 8 ? c->index : direct(xterm_rgb(c->index));
		case UI_COLOR_RGB: return direct(c->rgb);
		}
		return -1;
	}
	if (ncolors > 256)
		ncolors = 256;
	switch (c->kind) {
	case UI_COLOR_DEFAULT:
		return -1;
	case UI_COLOR_INDEX:
		if (c->index < ncolors)
			return c->index;
		if (c->index < 16 && c->index >= 8 && ncolors >= 8)
			return c->index - 8;     /* bright on an 8-colour terminal: the plain colour */
		return nearest(xterm_rgb(c->index), ncolors);
	case UI_COLOR_RGB:
		return ncolors > 0 ? nearest(c->rgb, ncolors) : -1;
	}
	return -1;
}
