/* ui — the interactive reader, as panes that own their state (in the manner of tig's views).
 * Modules, each below the ones after it (none calls a module listed after it; no pane calls
 * another pane or ui.c):
 *   ui_theme.c  colours and attributes of the screen elements, theme files
 *   ui_keys.c   key names, the action table and the key map
 *   ui_open.c   opening links: browser command lines, child processes
 *   ui_edit.c   the one line editor (search and every prompt)
 *   ui_draw.c   the drawing context lent to the panes: text to cells, attributes, the status
 *               message and its ring (M)
 *   ui_fetch.c  the bridge to the fetch thread: requests, events by kind, batch summary, days
 *   ui_list.c   the list pane: a window of rows around the viewport (keyset paging)
 *   ui_detail.c the detail pane: one paper rendered and wrapped
 *   ui_search.c the search prompt: text, history, what to run, remote search
 *   ui_prompt.c the note / tags / go-to-day prompt (and the parsing of a day)
 *   ui_status.c the header and the status line
 *   ui_help.c   the help screen (keys, configuration errors) and the messages screen
 *   ui.c        the reader: layout, main loop, signals, headless scripting, the key dispatcher,
 *               and applying what the panes ask for (struct ui, which holds the panes, is
 *               private to it)
 * Each pane draws from its own struct and a struct ui_ctx (ui_draw.h) into the rect it is given.
 * Work that involves more than one pane (a search re-reads the list, a saved note re-reads the
 * list and the detail) is returned as an intent that ui.c applies. Only the UI thread touches
 * any of this (and curses).
 *
 * A new pane: its struct and functions here, each taking the pane and the struct ui_ctx (plus,
 * read-only, whatever else it shows); its file includes ui.h and calls only ui_draw, ui_fetch
 * and the modules below them; ui.c holds it in struct ui, gives it a rect in layout(), draws it
 * in draw_panes(), frees it in teardown(), and applies the intents its keys return in apply().
 * A new key: an ACT_ value (ui_keys.h) and its row in the action table (ui_keys.c: name, default
 * keys, help; the help screen and the man page's KEYS follow, `make test` checks the page), then
 * its case in the act_* handler of ui.c for its group (move, step, focus, paper, view, fetch,
 * screen). */
#ifndef LECTERN_UI_H
#define LECTERN_UI_H

#include <stdbool.h>
#include <stdint.h>

#include "lectern/app.h"
#include "lectern/paper.h"
#include "lectern/pdf.h"
#include "lectern/store.h"
#include "lectern/ui_draw.h"
#include "lectern/ui_edit.h"
#include "lectern/ui_fetch.h"
#include "lectern/ui_keys.h"
#include "lectern/text.h"
#include "lectern/ui_theme.h"

/* The interactive reader (no command, or "ui"): a command like those in cli.h. */
int cmd_ui(const struct app *a, int argc, char **argv);

/* ---- intents: what a pane asks of the reader ------------------------------------------------ */
enum ui_intent_kind {
	UI_DO_NOTHING,
	UI_DO_SEARCH_CANCEL,   /* search Esc: the list goes back to where it was when it opened */
	UI_DO_SEARCH_KEEP,     /* search Enter: run the text now and keep it as the list's search */
	UI_DO_SEARCH_REMOTE,   /* search C-r: run the text now, then send it to arXiv */
	UI_DO_GOTO_DAY,        /* day prompt Enter: go to the day typed (text) */
	UI_DO_SAVED,           /* note / tags prompt: paper `text` was written: re-read it */
};
struct ui_intent {
	enum ui_intent_kind kind;
	char *text;            /* NULL or owned by the intent: the applier frees it */
};

/* ---- the list pane (ui_list.c) ------------------------------------------------------------- */
enum ui_view_kind { VIEW_ALL, VIEW_HF, VIEW_FAVOURITES, VIEW_UNREAD, VIEW_SOURCE, VIEW_REMOTE,
                    VIEW_HIDDEN, VIEW_FOR_YOU, VIEW_SIMILAR, VIEW_WATCHED };

/* The list: rows[0..n) are a contiguous stretch of the view; offset is rows[0]'s position. */
struct ui_list {
	struct ui_rect r;         /* where it is drawn (the layout sets it) */
	enum ui_view_kind kind;
	size_t source;            /* index into cfg->sources for VIEW_SOURCE */
	char day[11];             /* VIEW_HF */
	char *remote;             /* VIEW_REMOTE: the listing of a remote search (owned; its source
	                           * name, fetch_search_source()) */
	enum store_sort sort;
	char *qtext;              /* NULL or the search text as typed (what / re-edits) */
	char *query;              /* what the store runs: qtext, its last word a prefix (word*) */

	struct store_rows rows;
	bool at_start, at_end;    /* rows reach the first / last row of the view */
	int64_t offset;           /* position of rows.v[0]; -1 unknown */
	size_t sel, top;          /* indexes into rows */
	int64_t count;            /* rows in the view, at most count_cap; -1 not known yet */
	bool count_exact;
	char narrowed[64];        /* the search's prefix searched in titles only (store_narrowed) */
	struct store_bound bound; /* a ranked order's candidates of all matches (counted with the
	                           * count, then valid while count >= 0; the header says it) */
	bool error;               /* the last query failed (message in the status line) */
	struct pdf_index pdfs;    /* the PDFs on disk, for the list's mark (pdf.h) */
	int64_t n_hidden;         /* papers hidden with x in the whole cache (the header says it) */
	char like[64];            /* VIEW_SIMILAR: the paper the others are like */
	char rank_note[200];      /* VIEW_FOR_YOU / VIEW_SIMILAR: shown when the list is empty
	                           * (ranking…, no favourites yet…) */
};

/* Where the list was (view, order, search, selection and its screen line), to go back to. */
struct ui_list_mark {
	enum ui_view_kind kind;
	size_t source;
	char day[11];
	enum store_sort sort;
	char *qtext;
	char *sel_id;
	struct store_key sel_key;
	size_t sel_line;          /* screen line of the selection */
};

void ui_list_init(struct ui_list *l);
void ui_list_free(struct ui_list *l);
/* Sets the search text narrowing the list (NULL or "" for none; copied). The query the store
 * runs is derived from it: the word being typed matches as a prefix ("scal" finds "scaling"). */
void ui_list_set_query(struct ui_list *l, const char *text);
/* The order a view opens in: Daily Papers most upvoted first (as on huggingface.co/papers),
 * everything else newest first. */
enum store_sort ui_list_default_sort(enum ui_view_kind kind);
/* Runs text as the list's search from the first row; a new search ranks by relevance. When the store refuses it, the query and
 * rows before it stay (the message says what is wrong) and -1 is returned. */
int ui_list_search(struct ui_list *l, struct ui_ctx *c, const char *text);
/* Builds the store_view of the current list (strings borrowed from l and cfg). */
void ui_list_view(const struct ui_list *l, const struct config *cfg, struct store_view *v);
/* Reloads from the first row, or from the last (end), or around the row with id (falls back to
 * the same neighbourhood when it left the view). Return 0, or -1 with the error in the status. */
int ui_list_load_start(struct ui_list *l, struct ui_ctx *c);
int ui_list_load_end(struct ui_list *l, struct ui_ctx *c);
int ui_list_reload_around(struct ui_list *l, struct ui_ctx *c, const char *id);
/* The same from a saved position: the row at `key` (in the current view's order) with `id`. */
int ui_list_reload_at(struct ui_list *l, struct ui_ctx *c, const struct store_key *key,
                      const char *id);
/* Remembers where the list is (m is overwritten: free it with ui_list_mark_free). */
void ui_list_mark(const struct ui_list *l, struct ui_list_mark *m);
/* Goes back to a mark: its view, search and selection on the same screen line. */
void ui_list_restore(struct ui_list *l, struct ui_ctx *c, const struct ui_list_mark *m);
void ui_list_mark_free(struct ui_list_mark *m);
/* Moves the selection by delta rows (clamped at the ends of the view). */
void ui_list_move(struct ui_list *l, struct ui_ctx *c, long delta);
/* Keeps the selected row on screen after a move or a resize. */
void ui_list_scroll_to_sel(struct ui_list *l, struct ui_ctx *c);
/* The current paper: the one selected in the list (NULL: none). */
const struct store_row *ui_list_selected(const struct ui_list *l);
/* The count, computing it (up to the cap, or exactly when `exact`) when unknown. */
void ui_list_count(struct ui_list *l, struct ui_ctx *c, bool exact);
/* View name for the header ("All", "HF 2025-11-19", "Favourites", a source name). */
void ui_list_view_name(const struct ui_list *l, const struct config *cfg, char *buf, size_t n);
/* Draws the rows, or why there are none (what fetching did, from f). */
void ui_list_draw(struct ui_list *l, struct ui_ctx *c, const struct ui_fetch *f);
/* Selects the row drawn at screen line y (mouse); false when there is none. */
bool ui_list_click(struct ui_list *l, int y);

/* ---- the detail pane (ui_detail.c) --------------------------------------------------------- */
struct ui_dline {
	char *text;               /* may contain latex style markers */
	enum ui_elem el;
	size_t label_len;         /* the first label_len bytes are a label (EL_LABEL) */
	bool bold, italic;        /* style carried in from the previous line */
};

struct ui_detail {
	struct ui_rect r;         /* where it is drawn (the layout sets it) */
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
	int why_list;             /* the ranked list (STORE_LIST_*) whose why is shown at the top,
	                           * -1 none (the reader sets it with the view) */
	char *why;                /* the shown paper's why in it, NULL none */
};

void ui_detail_free(struct ui_detail *d);
/* Makes the detail show paper id (NULL: nothing); reloads when forced (user state changed). */
void ui_detail_show(struct ui_detail *d, struct ui_ctx *c, const char *id, bool force);
void ui_detail_draw(struct ui_detail *d, struct ui_ctx *c);
void ui_detail_scroll(struct ui_detail *d, long delta);
void ui_detail_scroll_end(struct ui_detail *d);
/* True when the last line of the paper is on screen (nothing more to page through). */
bool ui_detail_at_end(const struct ui_detail *d);
/* A: shows every author of a long author list, or cuts it again. */
void ui_detail_toggle_authors(struct ui_detail *d, struct ui_ctx *c);

/* ---- the search prompt (ui_search.c) ------------------------------------------------------- */
struct ui_search {
	bool active;              /* the prompt is open */
	struct ui_edit ed;        /* the text */
	bool dirty;               /* text changed: re-query before drawing */
	char *history[50];
	int n_history, hist_pos;  /* hist_pos -1: editing new text */
	char remote_q[256];       /* the query last sent to arXiv, as typed */
};

/* Opens the prompt empty, as vim, less and mutt do: Up recalls `kept` (the list's search as typed,
 * NULL none) first, then the older searches of the history. */
void ui_search_open(struct ui_search *s, struct ui_ctx *c, const char *kept);
/* Handles one key while the prompt is open. */
struct ui_intent ui_search_key(struct ui_search *s, struct ui_ctx *c, int key);
/* The text the list should run now (malloc'd), or NULL when the text did not change or the list
 * runs it already (`current`: the list's search text): once per burst of keys. */
char *ui_search_take(struct ui_search *s, const char *current);
/* Enter: saves the search kept (qtext, the list's search now) in the history and says so. */
void ui_search_keep(struct ui_search *s, struct ui_ctx *c, const char *qtext, bool failed);
/* Sends the query (the prompt's text, else qtext) to the remote sources; v is the list's view.
 * One language (query.h): a query the cache refuses is not sent either (the status says why). */
void ui_search_remote(struct ui_search *s, struct ui_ctx *c, struct ui_fetch *f,
                      const struct store_view *v, const char *qtext);
/* A remote search's results were merged: says what came. */
void ui_search_landed(struct ui_search *s, struct ui_ctx *c, const struct fetch_event *ev);
void ui_search_free(struct ui_search *s);

/* ---- the note / tags / day prompt (ui_prompt.c; parsing in ui_prompt.h) ---------------------- */
enum ui_prompt_kind { PROMPT_NONE, PROMPT_NOTE, PROMPT_TAGS, PROMPT_DAY };
struct ui_prompt {
	enum ui_prompt_kind kind;  /* PROMPT_NONE: closed */
	struct ui_edit ed;
	char *id;                  /* the paper edited */
	char *orig;                /* the text it was opened with (unchanged: nothing is written) */
};

/* Opens the prompt: for a note or tags, of paper `id` (p: its loaded record) prefilled with
 * them; for a day, empty (id, p NULL). */
void ui_prompt_open(struct ui_prompt *pr, struct ui_ctx *c, enum ui_prompt_kind kind,
                    const char *id, const struct paper *p);
/* Opens the prompt of `kind` with text, as it was (a mistyped day keeps the prompt open). */
void ui_prompt_reopen(struct ui_prompt *pr, enum ui_prompt_kind kind, const char *text);
/* Handles one key while the prompt is open: Enter saves (or asks to go to the day), Esc
 * cancels, the rest edits. The prompt is closed when the key ends it. */
struct ui_intent ui_prompt_key(struct ui_prompt *pr, struct ui_ctx *c, int key);
void ui_prompt_draw(struct ui_prompt *pr, struct ui_ctx *c, struct ui_rect r);
void ui_prompt_free(struct ui_prompt *pr);

/* ---- the header and status line (ui_status.c) ---------------------------------------------- */
/* The header: the view (its name given), position, count, order and search of the list. */
void ui_status_header(struct ui_ctx *c, struct ui_rect r, const struct ui_list *l,
                      const char *view_name);
/* The status line: the message, fetch activity, and the search prompt when it is open. */
void ui_status_line(struct ui_ctx *c, struct ui_rect r, const struct ui_fetch_state *f,
                    const struct ui_search *s);

/* ---- the help and messages screens (ui_help.c) --------------------------------------------- */
struct ui_help {
	bool on;                  /* the screen is shown (instead of the panes) */
	bool messages;            /* the recent messages instead of the keys */
	size_t scroll;
	/* what the keys screen lists, set by the reader */
	const struct ui_keymap *keys;
	const struct ui_msgs *config_errors;
	bool fetching;            /* a fetcher runs (else some keys say fetching is off) */
};

void ui_help_open(struct ui_help *h, bool messages);
/* Scrolls by delta lines (LONG_MIN: top, LONG_MAX: end), clamped. */
void ui_help_scroll(struct ui_help *h, const struct ui_ctx *c, long delta);
/* A key while the screen is shown (k, and a: its action; redraw is the caller's): the movement
 * keys scroll; q, Esc and ? (whatever they are bound to) close it; other keys do nothing. */
void ui_help_key(struct ui_help *h, const struct ui_ctx *c, int k, enum ui_action a);
void ui_help_draw(struct ui_help *h, struct ui_ctx *c);

#endif
