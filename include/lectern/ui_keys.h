/* ui_keys — the action table (names, default keys, help text) and the key map built from it and
 * from `bind KEY ACTION` config lines. The help screen and the man page's KEYS section are
 * generated from the same table, so they cannot drift.
 *
 * Keys are ints: a Unicode code point (control keys are their control codes, "<C-d>" == 4), or
 * UI_KEY_SPECIAL + a curses KEY_* code (arrows, pages, function keys, resize, mouse). */
#ifndef LECTERN_UI_KEYS_H
#define LECTERN_UI_KEYS_H

#include <stddef.h>

#include "lectern/util.h"

#define UI_KEY_SPECIAL 0x1000000

enum ui_action {
	ACT_NONE = 0,
	ACT_DOWN, ACT_UP, ACT_TOP, ACT_BOTTOM, ACT_PAGE_DOWN, ACT_PAGE_UP, ACT_HALF_DOWN,
	ACT_HALF_UP, ACT_NEXT_PAPER, ACT_PREV_PAPER, ACT_PAGE_OR_NEXT, ACT_OPEN, ACT_BACK,
	ACT_SWITCH_PANE,
	ACT_FAVOURITE, ACT_READ, ACT_HIDE, ACT_CATCH_UP, ACT_UNDO, ACT_COPY, ACT_NOTE, ACT_TAGS, ACT_AUTHORS,
	ACT_VIEW_ALL, ACT_VIEW_FAVOURITES, ACT_VIEW_UNREAD, ACT_VIEW_HIDDEN, ACT_VIEW_FOR_YOU,
	ACT_MORE_LIKE, ACT_VIEW_WATCHED, ACT_VIEW_HF, ACT_DAY_PREV, ACT_DAY_NEXT,
	ACT_DAY_PREV_CACHED, ACT_DAY_NEXT_CACHED, ACT_GOTO_DAY,
	ACT_VIEW_SOURCE, ACT_SORT, ACT_SEARCH, ACT_SEARCH_REMOTE, ACT_REFRESH, ACT_REFRESH_ALL,
	ACT_OPEN_ABS, ACT_OPEN_PDF, ACT_DOWNLOAD_PDF, ACT_OPEN_CODE, ACT_OPEN_HF, ACT_OPEN_PROJECT,
	ACT_LINK_1, ACT_LINK_2, ACT_LINK_3, ACT_LINK_4, ACT_LINK_5, ACT_LINK_6, ACT_LINK_7,
	ACT_LINK_8, ACT_LINK_9,
	ACT_HELP, ACT_MESSAGES, ACT_REDRAW, ACT_QUIT,
	ACT__COUNT
};

struct ui_action_info {
	const char *name;   /* "move-down": what `bind` takes */
	const char *keys;   /* default keys, space-separated key names */
	const char *help;   /* one line for the help screen */
};
/* Info for a in (ACT_NONE, ACT__COUNT). */
const struct ui_action_info *ui_action_info(enum ui_action a);
/* ACT_NONE when unknown. "none" is also ACT_NONE (used to unbind): check with strcmp. */
enum ui_action ui_action_by_name(const char *name);

/* Parses a key name: a single character ("j", "G", "/", "é"), "<Name>" (Down Up Left Right
 * PgDn PgUp Home End Enter Esc Tab BackTab Space Backspace Del Insert F1..F12), "<C-x>" /
 * "^x" (control). Returns 0 and sets *key, or -1 when malformed. */
int ui_key_parse(const char *s, int *key);
/* The canonical name of key into buf ("j", "<Down>", "<C-d>"). */
void ui_key_name(int key, char *buf, size_t n);

struct ui_keymap {
	struct ui_keybind { int key; enum ui_action act; } *v;
	size_t n, cap;
};
/* The defaults from the table. */
void ui_keymap_init(struct ui_keymap *km);
void ui_keymap_free(struct ui_keymap *km);
/* Applies one `bind KEY ACTION` (argv[0] == "bind"; ACTION "none" unbinds). Returns 0, or -1 with
 * e->msg telling what is wrong (the caller prefixes FILE:LINE). */
int ui_keymap_bind(struct ui_keymap *km, char *const *argv, size_t argc, struct lerr *e);
enum ui_action ui_keymap_lookup(const struct ui_keymap *km, int key);
/* The keys bound to a, as names joined by ", " (into buf; "" when none). */
void ui_keymap_keys_of(const struct ui_keymap *km, enum ui_action a, char *buf, size_t n);

#endif
