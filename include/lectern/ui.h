/* ui — the interactive reader's shared state, split over ui_*.c by job:
 *   ui.c        main loop, signals, poll, headless scripting, dispatch of actions
 *   ui_list.c   the list pane: a window of rows around the viewport (keyset paging)
 *   ui_detail.c the detail pane: one paper rendered and wrapped
 *   ui_search.c the search prompt (results as you type, history, remote search)
 *   ui_status.c the header/status lines, the help screen, drawing helpers
 * Only the UI thread touches any of this (and curses). */
#ifndef LECTERN_UI_H
#define LECTERN_UI_H

#include <curses.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "lectern/cli.h"
#include "lectern/fetch.h"
#include "lectern/paper.h"
#include "lectern/store.h"
#include "lectern/ui_keys.h"
#include "lectern/ui_prompt.h"
#include "lectern/text.h"
#include "lectern/ui_theme.h"

enum ui_view_kind { VIEW_ALL, VIEW_HF, VIEW_FAVOURITES, VIEW_UNREAD, VIEW_SOURCE };
enum ui_focus { FOCUS_LIST, FOCUS_DETAIL };
enum ui_layout { LAYOUT_WIDE, LAYOUT_STACKED, LAYOUT_NARROW, LAYOUT_TOO_SMALL };

struct ui_rect {
	int y, x, h, w;
};

/* The list: rows[0..n) are a contiguous stretch of the view; offset is rows[0]'s position. */
struct ui_list {
	enum ui_view_kind kind;
	size_t source;            /* index into cfg->sources for VIEW_SOURCE */
	char day[11];             /* VIEW_HF */
	enum store_sort sort;
	char *qtext;              /* NULL or the search text as typed (what / re-edits) */
	char *query;              /* what the store runs: qtext, its last word a prefix (word*) */

	struct store_rows rows;
	bool at_start, at_end;    /* rows reach the first / last row of the view */
	int64_t offset;           /* position of rows.v[0]; -1 unknown */
	size_t sel, top;          /* indexes into rows */
	int64_t count;            /* rows in the view, at most count_cap; -1 not known yet */
	bool count_exact;
	bool error;               /* the last query failed (message in the status line) */
};

struct ui_dline {
	char *text;               /* may contain latex style markers */
	enum ui_elem el;
	size_t label_len;         /* the first label_len bytes are a label (EL_LABEL) */
	bool bold, italic;        /* style carried in from the previous line */
};

struct ui_detail {
	char *id;                 /* paper shown, NULL none */
	struct paper p;
	bool loaded;              /* p holds the paper */
	char err[640];            /* why it could not be loaded */
	int width;                /* the lines were wrapped for this width */
	struct ui_dline *lines;
	size_t n, cap;
	size_t scroll;
	char *links[9];           /* numbered links [1]..[9] */
	int n_links;
	bool authors_all;         /* A: every author (else a long list is cut to 3 lines) */
	bool authors_cut;         /* the author list shown is cut */
};

struct ui_search {
	bool active;              /* the prompt is open */
	struct sbuf text;
	bool dirty;               /* text changed: re-query before drawing */
	/* what Esc restores */
	enum ui_view_kind kind;
	size_t source;
	char day[11];
	enum store_sort sort;
	char *qtext;
	char *sel_id;
	struct store_key sel_key;
	size_t sel_line;          /* screen line of the selection */
	char *history[50];
	int n_history, hist_pos;  /* hist_pos -1: editing new text */
	char remote_q[256];       /* the query last sent to arXiv, as typed */
};

/* A one-line prompt in the status line (n: note, t: tags of the paper `id`; D: go to a day). */
enum ui_prompt_kind { PROMPT_NONE, PROMPT_NOTE, PROMPT_TAGS, PROMPT_DAY };
struct ui_prompt {
	enum ui_prompt_kind kind;  /* PROMPT_NONE: closed */
	struct ui_edit ed;
	char *id;                  /* the paper edited */
	char *orig;                /* the text it was opened with (unchanged: nothing is written) */
};

/* Daily Papers days asked of the fetcher in this session (ui.c). */
enum ui_day_fetch { UI_DAY_UNKNOWN, UI_DAY_PENDING, UI_DAY_FETCHED, UI_DAY_FAILED };
struct ui_day_state {
	char day[11];
	enum ui_day_fetch state;
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

struct ui_fetch_state {
	char name[64];
	long done, total;
	bool busy;                /* a request is queued or running (until the worker is idle) */
	/* the batch of work since the worker was last idle, summed up when it is idle again */
	long n_new, n_updated;
	int n_done, n_failed;
	int n_search;             /* of n_done: remote searches (they report themselves) */
	char first_error[600];
	char all_errors[1600];    /* every failure of the batch, "name: why; name: why" (may be cut) */
};

struct ui {
	const struct app *app;
	const struct config *cfg;
	struct store *store;
	struct fetcher *fetcher;

	bool headless;
	SCREEN *screen;
	FILE *term_in, *term_out;
	int rows, cols;
	enum ui_layout layout;
	struct ui_rect r_header, r_list, r_detail, r_status, r_sep;
	bool sep_vertical;

	enum ui_focus focus;
	bool help;
	size_t help_scroll;
	bool quit;

	struct ui_keymap keys;
	struct ui_theme theme;
	bool colors;              /* colour pairs in use (not NO_COLOR / no colour terminal) */

	struct ui_list list;
	struct ui_detail detail;
	struct ui_search search;

	struct ui_fetch_state fetch;
	char msg[512];            /* last message for the status line */
	bool msg_error;
	bool msg_hint;            /* msg is a hint for the prompt just opened (shown until typing) */

	pid_t children[32];
	int n_children;
	bool show_osc52;          /* write OSC 52 to the terminal (stdout is a tty) */

	/* every configuration problem, "FILE:LINE: message" (config.c's and the UI's own) */
	struct ui_msgs config_errors;

	/* store queries run so far (headless --timings reports them per key) */
	long n_windows, n_counts;

	struct ui_prompt prompt;
	struct ui_day_state days[64];   /* a ring */
	size_t n_days;

	/* status-line message life: set at msg_time (ui_clock) during key number msg_key */
	double msg_time;
	unsigned long msg_key, n_keys;
	double vclock;            /* headless: the script's clock (advanced by <Sleep>/<Tick>) */
	struct ui_msg_rec msglog[UI_MSG_LOG];   /* a ring, the last n_msglog % UI_MSG_LOG newest */
	size_t n_msglog;
	bool help_messages;       /* the help screen shows the recent messages instead of the keys */
};

/* ui_list.c */
void ui_list_init(struct ui *u);
void ui_list_free(struct ui *u);
/* Sets the search text narrowing the list (NULL or "" for none; copied). The query the store
 * runs is derived from it: the word being typed matches as a prefix ("scal" finds "scaling"). */
void ui_list_set_query(struct ui *u, const char *text);
/* Builds the store_view of the current list (strings borrowed from u). */
void ui_list_view(const struct ui *u, struct store_view *v);
/* Reloads from the first row, or from the last (end), or around the row with id (falls back to
 * the same neighbourhood when it left the view). Return 0, or -1 with the error in the status. */
int ui_list_load_start(struct ui *u);
int ui_list_load_end(struct ui *u);
int ui_list_reload_around(struct ui *u, const char *id);
/* The same from a saved position: the row at `key` (in the current view's order) with `id`. */
int ui_list_reload_at(struct ui *u, const struct store_key *key, const char *id);
/* Moves the selection by delta rows (clamped at the ends of the view). */
void ui_list_move(struct ui *u, long delta);
/* Keeps the selected row on screen after a move or a resize. */
void ui_list_scroll_to_sel(struct ui *u);
const struct store_row *ui_list_selected(const struct ui *u);
/* The count, computing it (up to the cap, or exactly when `exact`) when unknown. */
void ui_list_count(struct ui *u, bool exact);
/* View name for the header ("All", "HF 2025-11-19", "Favourites", a source name). */
void ui_list_view_name(const struct ui *u, char *buf, size_t n);
void ui_list_draw(struct ui *u);
/* Selects the row drawn at screen line y (mouse); false when there is none. */
bool ui_list_click(struct ui *u, int y);

/* ui_detail.c */
void ui_detail_free(struct ui_detail *d);
/* Makes the detail show paper id (NULL: nothing); reloads when forced (user state changed). */
void ui_detail_show(struct ui *u, const char *id, bool force);
void ui_detail_draw(struct ui *u);
void ui_detail_scroll(struct ui *u, long delta);
void ui_detail_scroll_end(struct ui *u);
/* A: shows every author of a long author list, or cuts it again. */
void ui_detail_toggle_authors(struct ui *u);

/* ui_search.c */
void ui_search_open(struct ui *u);
/* Handles one key while the prompt is open. */
void ui_search_key(struct ui *u, int key);
/* Runs the query when the text changed (once per burst of keys). */
void ui_search_update(struct ui *u);
/* Sends the query (the prompt's text or the list's) to the remote sources. */
void ui_search_remote(struct ui *u);
/* A remote search's results were merged: says what came and re-reads the list (the selection
 * stays on its paper, unless it was on the first row: then the list shows the new first rows). */
void ui_search_landed(struct ui *u, const struct fetch_event *ev);
/* Esc in the list with a kept search: back to the view before it. Returns false when none. */
bool ui_search_restore(struct ui *u);
void ui_search_free(struct ui *u);

/* ui_prompt.c: the note / tags prompt (the line editor and parsing are in ui_prompt.h) */
/* Opens the prompt for the selected paper, prefilled with its note or tags. */
void ui_prompt_open(struct ui *u, enum ui_prompt_kind kind);
/* Handles one key while the prompt is open: Enter saves, Esc cancels, the rest edits. */
void ui_prompt_key(struct ui *u, int key);
void ui_prompt_draw(struct ui *u);
void ui_prompt_free(struct ui *u);

/* ui_status.c: drawing helpers, header, status line, help */
/* Sets the status message (printf-style) and keeps it for the messages screen (M). */
void ui_msg(struct ui *u, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A passing hint (how to use the prompt just opened): shown like ui_msg, not kept. */
void ui_hint(struct ui *u, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ui_msg_clear(struct ui *u);
/* Seconds on the message clock (monotonic; headless: the script's virtual clock). */
double ui_clock(const struct ui *u);
/* Clears an informational message older than UI_MSG_SECONDS; returns ms until that happens for
 * the message shown now (-1: none pending). */
int ui_msg_expire(struct ui *u);
/* Curses attribute and pair of an element. */
attr_t ui_attr(const struct ui *u, enum ui_elem el);
/* Draws s[0..n) at (y, x) within w columns in style el, handling wide characters, combining
 * marks, U+FFFD for the unprintable and latex style markers. Returns the columns used. */
int ui_put(struct ui *u, int y, int x, int w, const char *s, size_t n, enum ui_elem el);
int ui_puts(struct ui *u, int y, int x, int w, const char *s, enum ui_elem el);
/* Fills the rest of a line (from x, w columns) with spaces in style el. */
void ui_fill(struct ui *u, int y, int x, int w, enum ui_elem el);
void ui_status_draw(struct ui *u);
void ui_help_draw(struct ui *u);
/* Scrolls the help by delta lines (LONG_MIN: top, LONG_MAX: end), clamped. */
void ui_help_scroll(struct ui *u, long delta);
/* Applies the theme to the terminal (colour pairs). */
void ui_theme_apply(struct ui *u);
/* The UTF-8 text of screen line y (trailing spaces removed) into b. */
void ui_screen_line(int y, struct sbuf *b);

/* ui.c */
/* Re-queries the list around the selection and refreshes the detail (after a write or fetch). */
void ui_refresh_data(struct ui *u);
/* Asks the fetcher for work (`what` names it in the status line); says so when fetching is off. */
void ui_request(struct ui *u, enum fetch_req_kind k, const char *arg, const char *what);
/* The same without the "Fetching …" message, for a caller that says itself what it asked for
 * (one line in the message list per request). Returns false (and says so) when fetching is off. */
bool ui_request_quiet(struct ui *u, enum fetch_req_kind k, const char *arg, const char *what);
/* Goes to the Daily Papers of the day typed (ui_parse_day syntax), fetching it when it is not
 * cached. Returns false (message in the status line) when the text is not a day. */
bool ui_goto_day_text(struct ui *u, const char *text);
/* What became of the request for a day's Daily Papers in this session. */
enum ui_day_fetch ui_day_fetch_state(struct ui *u, const char *day);

#endif
