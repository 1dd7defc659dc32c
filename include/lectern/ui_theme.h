/* ui_theme — colours and attributes of every screen element, from theme files and `color` lines:
 *
 *   color ELEMENT FG BG [ATTR...]
 *
 * Colours: default, black red green yellow blue magenta cyan white, their bright variants
 * (brightred or bright-red), 0-255, #rrggbb (exact on a direct-colour terminal, else mapped to the
 * nearest colour the terminal has).
 * Attributes: bold underline reverse dim italic standout normal.
 * Parsing knows nothing about curses; ui_theme_apply() (in ui.c's world) resolves for the terminal. */
#ifndef LECTERN_UI_THEME_H
#define LECTERN_UI_THEME_H

#include <stdbool.h>
#include <stddef.h>

#include "lectern/util.h"

enum ui_elem {
	EL_DEFAULT, EL_HEADER, EL_LIST, EL_CURSOR, EL_UNREAD, EL_FAVOURITE, EL_DATE, EL_UPVOTES,
	EL_AUTHOR, EL_TITLE, EL_LABEL, EL_TEXT, EL_SUMMARY, EL_LINK, EL_STATUS, EL_ERROR, EL_PROMPT,
	EL_HELP, EL_BORDER,
	EL__COUNT
};

enum ui_color_kind { UI_COLOR_DEFAULT = 0, UI_COLOR_INDEX, UI_COLOR_RGB };
struct ui_color {
	enum ui_color_kind kind;
	int index;          /* 0-255 for UI_COLOR_INDEX */
	unsigned rgb;       /* 0xRRGGBB for UI_COLOR_RGB */
};

enum ui_attr {
	UI_A_BOLD = 1, UI_A_UNDERLINE = 2, UI_A_REVERSE = 4, UI_A_DIM = 8, UI_A_ITALIC = 16,
	UI_A_STANDOUT = 32,
};
struct ui_style {
	struct ui_color fg, bg;
	unsigned attrs;     /* enum ui_attr bits */
};
struct ui_theme {
	struct ui_style el[EL__COUNT];
};

/* A list of messages ("FILE:LINE: what is wrong"), each malloc'd. Zero-initialise. */
struct ui_msgs {
	char **v;
	size_t n;
};
void ui_msgs_add(struct ui_msgs *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ui_msgs_free(struct ui_msgs *m);

/* Element names as used in `color` lines ("cursor", "unread", ...). NULL out of range. */
const char *ui_elem_name(enum ui_elem el);
/* The compiled-in "dark" theme (identical to themes/dark.theme). */
void ui_theme_default(struct ui_theme *t);
/* The compiled-in theme text (for the test that compares it with themes/dark.theme). */
const char *ui_theme_default_text(void);
int ui_color_parse(const char *s, struct ui_color *c);
/* Applies one `color` line (argv[0] == "color"). Returns 0, or -1 with e->msg. */
int ui_theme_color(struct ui_theme *t, char *const *argv, size_t argc, struct lerr *e);
/* Applies every line of a theme text; `file` names it in errors. Stops at nothing: every valid
 * line applies. Returns the number of bad lines; the first one's "FILE:LINE: msg" goes to e. */
int ui_theme_parse(struct ui_theme *t, const char *text, const char *file, struct lerr *e);
/* The same, also appending every bad line's "FILE:LINE: msg" to all (may be NULL). */
int ui_theme_parse_all(struct ui_theme *t, const char *text, const char *file, struct lerr *e,
                       struct ui_msgs *all);
/* Finds and loads theme `name`: $XDG_CONFIG_HOME/lectern/themes/NAME.theme, then
 * LECTERN_DATADIR/themes, then ./themes; "dark" falls back to the compiled-in text. Returns 0, or
 * -1 with e set (theme not found, or bad lines: valid lines still applied). */
int ui_theme_load(struct ui_theme *t, const char *name, struct lerr *e);
/* The same, also appending every bad line of the theme file to all (may be NULL); e->kind is
 * LERR_NOTFOUND when no such theme exists (t is then untouched). */
int ui_theme_load_all(struct ui_theme *t, const char *name, struct lerr *e, struct ui_msgs *all);
/* The colour to use on a terminal with `ncolors` colours: -1 for the default colour, else an index
 * below ncolors. Indexes and RGB beyond the palette map to the nearest colour it has. A terminal
 * with direct colour (terminfo RGB, ncolors >= UI_DIRECT_COLORS, e.g. xterm-direct) gets #rrggbb
 * exactly (the colour number is 0xRRGGBB) and palette indexes above 7 as their xterm RGB. */
#define UI_DIRECT_COLORS 0x1000000
int ui_color_resolve(const struct ui_color *c, int ncolors);

#endif
