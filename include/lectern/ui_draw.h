/* ui_draw — the drawing context every pane of the reader gets, below the panes: the screen's
 * size, the theme's curses attributes, the only code that turns text into curses cells, the
 * status-line message with the ring of kept messages (M), and the store connection the panes
 * read. Panes draw into a rect they are given and speak through ui_msg(); they never reach the
 * reader (ui.c) or each other. Only the UI thread calls anything here (curses). */
#ifndef LECTERN_UI_DRAW_H
#define LECTERN_UI_DRAW_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

#include "lectern/config.h"
#include "lectern/store.h"
#include "lectern/ui_edit.h"
#include "lectern/ui_theme.h"
#include "lectern/util.h"

struct ui_rect {
	int y, x, h, w;
};

/* One status-line message as kept for the messages screen (M). */
struct ui_msg_rec {
	char when[9];             /* HH:MM:SS (UTC) */
	bool error;
	int repeat;               /* shown this many times in a row */
	char text[512];
};
#define UI_MSG_LOG 40
/* Informational messages leave the status line after this long; errors at the next key. */
#define UI_MSG_SECONDS 5.0

/* Owned by ui.c, lent to the panes for the session. */
struct ui_ctx {
	const struct config *cfg;
	struct store *store;      /* the UI thread's connection */
	bool headless;            /* a script drives the reader (no cursor, virtual clock) */

	int rows, cols;           /* the screen */
	struct ui_theme theme;
	bool colors;              /* colour pairs in use (not NO_COLOR / no colour terminal) */

	char msg[512];            /* last message for the status line */
	bool msg_error;
	bool msg_hint;            /* msg is a hint for the prompt just opened (shown until typing) */
	/* status-line message life: set at msg_time (ui_clock) during key number msg_key */
	double msg_time;
	unsigned long msg_key, n_keys;
	double vclock;            /* headless: the script's clock (advanced by <Sleep>/<Tick>) */
	struct ui_msg_rec msglog[UI_MSG_LOG];   /* a ring, the last n_msglog % UI_MSG_LOG newest */
	size_t n_msglog;

	/* store queries run so far (headless --timings reports them per key) */
	long n_windows, n_counts;
};

/* Sets the status message (printf-style) and keeps it for the messages screen (M). */
void ui_msg(struct ui_ctx *c, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A passing hint (how to use the prompt just opened): shown like ui_msg, not kept. */
void ui_hint(struct ui_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ui_msg_clear(struct ui_ctx *c);
/* Seconds on the message clock (monotonic; headless: the script's virtual clock). */
double ui_clock(const struct ui_ctx *c);
/* Clears an informational message older than UI_MSG_SECONDS; returns ms until that happens for
 * the message shown now (-1: none pending). */
int ui_msg_expire(struct ui_ctx *c);

/* Curses attribute and pair of an element. */
attr_t ui_attr(const struct ui_ctx *c, enum ui_elem el);
/* Draws s[0..n) at (y, x) within w columns in style el, handling wide characters, combining
 * marks, U+FFFD for the unprintable and latex style markers. Returns the columns used. */
int ui_put(struct ui_ctx *c, int y, int x, int w, const char *s, size_t n, enum ui_elem el);
int ui_puts(struct ui_ctx *c, int y, int x, int w, const char *s, enum ui_elem el);
/* Draws the line being edited at (y, x) in w columns, scrolled so that the cursor stays visible
 * (characters drop off the left while the text up to the cursor does not fit in w - 1 columns).
 * Returns the columns used; *cursor gets the cursor's column, relative to x. */
int ui_put_edit(struct ui_ctx *c, int y, int x, int w, const struct ui_edit *ed, enum ui_elem el,
                int *cursor);
/* Fills the rest of a line (from x, w columns) with spaces in style el. */
void ui_fill(struct ui_ctx *c, int y, int x, int w, enum ui_elem el);
/* Applies the theme to the terminal (colour pairs). */
void ui_theme_apply(struct ui_ctx *c);
/* True when $TERM's terminfo entry can address the cursor (the reader needs it); otherwise
 * prints why on stderr, pointing at the CLI commands, and returns false. Call before curses
 * starts: it asks terminfo only. */
bool ui_term_can_draw(void);
/* Puts the terminal cursor at (y, x) and shows it (an open prompt); not headless. */
void ui_show_cursor(const struct ui_ctx *c, int y, int x);
/* Hides the terminal cursor; not headless. */
void ui_hide_cursor(const struct ui_ctx *c);
/* The UTF-8 text of screen line y (trailing spaces removed) into b. */
void ui_screen_line(int y, struct sbuf *b);

#endif
