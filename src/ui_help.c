/* ui_help — the help screen: every action with its keys (generated from the same table that binds
 * them), the search prompt's keys and the configuration errors; and the messages screen (M):
 * every kept status-line message, newest first. Drawn over the whole screen. */
#include "lectern/ui.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lectern/text.h"

void ui_help_open(struct ui_help *hp, bool messages)
{
	hp->on = true;
	hp->messages = messages;
	hp->scroll = 0;
}

/* The help screen's lines: every action with its keys (from the same table that binds them), the
 * search prompt's keys, and the configuration errors when there are any. */
struct help_line {
	char keys[128];
	const char *name, *text;
	enum ui_elem el;
	char *own;                /* text, when it is a wrapped piece owned by the line */
	int indent;               /* a line of text alone: columns before it */
};

static void help_free(struct help_line *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].own);
	free(v);
}

/* The messages screen: every kept message, newest first, wrapped under its text (the time stands
 * left of the first line, continuations are indented as far), so no line is wider than the screen. */
static size_t message_lines(const struct ui_ctx *c, struct help_line **out)
{
	size_t n = 0, cap = 16;
	struct help_line *v = xcalloc(cap, sizeof *v);
	size_t kept = c->n_msglog < UI_MSG_LOG ? c->n_msglog : UI_MSG_LOG;
	enum { TIME_W = 10 };     /* "HH:MM:SS  " */
	/* drawn from column 1 to the last but one: the text gets what is left after the time */
	int w = c->cols - 2 - TIME_W > 8 ? c->cols - 2 - TIME_W : 8;
	if (!kept)
		v[n++] = (struct help_line){.text = "No messages yet", .el = EL_HELP};
	for (size_t i = 0; i < kept; i++) {
		const struct ui_msg_rec *r = &c->msglog[(c->n_msglog - 1 - i) % UI_MSG_LOG];
		char *m = r->repeat > 1 ? xasprintf("%s (×%d)", r->text, r->repeat) : xstrdup(r->text);
		struct text_line *ls;
		size_t nl = text_wrap(m, w, 0, &ls);
		if (n + nl > cap) {
			cap = (n + nl) * 2;
			v = xreallocarray(v, cap, sizeof *v);
		}
		for (size_t k = 0; k < nl; k++) {
			char *piece = xasprintf("%-8.8s  %.*s", k ? "" : r->when,
			                        (int)(ls[k].end - ls[k].start), m + ls[k].start);
			v[n++] = (struct help_line){.text = piece, .own = piece,
			                            .el = r->error ? EL_ERROR : EL_HELP};
		}
		free(ls);
		free(m);
	}
	*out = v;
	return n;
}

/* Room for the keys and the action's name before its text. */
enum { KEYS_W = 22, NAME_W = 19, TEXT_X = 1 + KEYS_W + NAME_W, TEXT_MIN = 30 };

/* Appends one entry (keys, name, text), its text wrapped to the screen: beside the name when
 * there is room for it, else on the lines below, indented, so that help reads whole at any width
 * from 40 columns. */
static void add_entry(struct help_line **v, size_t *n, size_t *cap, const char *keys,
                      const char *name, const char *text, enum ui_elem el, int cols)
{
	bool beside = cols - TEXT_X >= TEXT_MIN;
	int w = beside ? cols - TEXT_X : cols - 6;
	struct text_line *ls;
	size_t nl = text_wrap(text, w > 8 ? w : 8, 0, &ls);
	if (*n + nl + 1 > *cap) {
		*cap = (*n + nl + 1) * 2;
		*v = xreallocarray(*v, *cap, sizeof **v);
	}
	struct help_line *l = &(*v)[(*n)++];
	*l = (struct help_line){.name = name, .el = el};
	snprintf(l->keys, sizeof l->keys, "%s", keys);
	for (size_t k = 0; k < nl; k++) {
		char *piece = xstrndup(text + ls[k].start, ls[k].end - ls[k].start);
		if (k == 0 && beside) {
			l->text = l->own = piece;
			continue;
		}
		(*v)[(*n)++] = (struct help_line){.text = piece, .own = piece, .el = el,
		                                   .indent = beside ? TEXT_X - 1 : 4};
	}
	free(ls);
}

static size_t help_lines(const struct ui_help *hp, const struct ui_ctx *c, struct help_line **out)
{
	if (hp->messages)
		return message_lines(c, out);
	size_t n = 0, cap = ACT__COUNT * 2 + 16 + hp->config_errors->n;
	struct help_line *v = xcalloc(cap, sizeof *v);
	for (int a = ACT_NONE + 1; a < ACT__COUNT; a++) {
		const struct ui_action_info *ai = ui_action_info((enum ui_action)a);
		char keys[128];
		ui_keymap_keys_of(hp->keys, (enum ui_action)a, keys, sizeof keys);
		char *off = NULL;
		if (!hp->fetching && (a == ACT_SEARCH_REMOTE || a == ACT_REFRESH || a == ACT_REFRESH_ALL ||
		                    a == ACT_DAY_PREV))
			off = xasprintf("%s — fetching is off in this session", ai->help);
		add_entry(&v, &n, &cap, keys[0] ? keys : "(unbound)", ai->name, off ? off : ai->help,
		          EL_HELP, c->cols);
		free(off);
	}
	const char *const prompt[][2] = {
		{"<Enter>", "keep the results as the list"},
		{"<Esc>", "restore the previous view and selection"},
		{"<Up>, <Down>", "walk the search history (Up recalls the last search)"},
		{"<C-r>", hp->fetching ? "send the query to arXiv too"
		                     : "send the query to arXiv too — fetching is off in this session"},
		{"<C-u>", "clear the text"},
	};
	v[n++] = (struct help_line){.el = EL_HELP};
	v[n++] = (struct help_line){.text = "In the search prompt", .el = EL_LABEL};
	for (size_t i = 0; i < ARRAY_LEN(prompt); i++)
		add_entry(&v, &n, &cap, prompt[i][0], "", prompt[i][1], EL_HELP, c->cols);
	if (hp->config_errors->n) {
		if (n + 2 > cap) {
			cap = n + 8;
			v = xreallocarray(v, cap, sizeof *v);
		}
		v[n++] = (struct help_line){.el = EL_HELP};
		v[n++] = (struct help_line){.text = "Configuration errors (those lines were ignored)",
		                            .el = EL_LABEL};
		/* messages can be long (paths): wrapped, continuation lines indented */
		int w = c->cols > 8 ? c->cols - 4 : 4;
		for (size_t i = 0; i < hp->config_errors->n; i++) {
			const char *m = hp->config_errors->v[i];
			struct text_line *ls;
			size_t nl = text_wrap(m, w, 0, &ls);
			if (n + nl > cap) {
				cap = n + nl + 8;
				v = xreallocarray(v, cap, sizeof *v);
			}
			for (size_t k = 0; k < nl; k++) {
				char *piece = xasprintf("%s%.*s", k ? "  " : "", (int)(ls[k].end - ls[k].start),
				                        m + ls[k].start);
				v[n++] = (struct help_line){.text = piece, .own = piece, .el = EL_ERROR};
			}
			free(ls);
		}
	}
	*out = v;
	return n;
}

static size_t help_max_scroll(const struct ui_ctx *c, size_t n)
{
	size_t h = c->rows > 2 ? (size_t)(c->rows - 2) : 1;
	return n > h ? n - h : 0;
}

void ui_help_scroll(struct ui_help *hp, const struct ui_ctx *c, long delta)
{
	struct help_line *v;
	size_t n = help_lines(hp, c, &v), max = help_max_scroll(c, n);
	help_free(v, n);
	if (delta == LONG_MIN || (delta < 0 && (size_t)-delta >= hp->scroll))
		hp->scroll = 0;
	else if (delta == LONG_MAX || (delta > 0 && hp->scroll + (size_t)delta >= max))
		hp->scroll = max;
	else
		hp->scroll = delta < 0 ? hp->scroll - (size_t)-delta : hp->scroll + (size_t)delta;
	if (hp->scroll > max)
		hp->scroll = max;
}

void ui_help_key(struct ui_help *hp, const struct ui_ctx *c, int k, enum ui_action a)
{
	long h = c->rows > 3 ? c->rows - 3 : 1;
	switch (a) {
	case ACT_DOWN: ui_help_scroll(hp, c, 1); return;
	case ACT_UP: ui_help_scroll(hp, c, -1); return;
	case ACT_PAGE_DOWN: case ACT_PAGE_OR_NEXT: ui_help_scroll(hp, c, h); return;
	case ACT_PAGE_UP: ui_help_scroll(hp, c, -h); return;
	case ACT_HALF_DOWN: ui_help_scroll(hp, c, (h + 1) / 2); return;
	case ACT_HALF_UP: ui_help_scroll(hp, c, -(h + 1) / 2); return;
	case ACT_TOP: ui_help_scroll(hp, c, LONG_MIN); return;
	case ACT_BOTTOM: ui_help_scroll(hp, c, LONG_MAX); return;
	case ACT_BACK: case ACT_QUIT: case ACT_HELP: case ACT_MESSAGES: hp->on = false; return;
	default: break;
	}
	if (k == 'q' || k == 27 || k == '?')
		hp->on = false;
}

void ui_help_draw(struct ui_help *hp, struct ui_ctx *c)
{
	struct help_line *v;
	size_t n = help_lines(hp, c, &v), max = help_max_scroll(c, n);
	if (hp->scroll > max)
		hp->scroll = max;
	for (int y = 0; y < c->rows; y++)
		ui_fill(c, y, 0, c->cols, EL_HELP);
	ui_fill(c, 0, 0, c->cols, EL_HEADER);
	char title[160];
	size_t h = c->rows > 2 ? (size_t)(c->rows - 2) : 1;
	const char *what = hp->messages ? "recent messages (newest first)" : "keys";
	const char *close = hp->messages ? "q, Esc or M closes" : "q, Esc or ? closes";
	if (max)
		snprintf(title, sizeof title, " lectern — %s %zu-%zu of %zu (j/k, PgDn/PgUp, g/G scroll; %s)",
		         what, hp->scroll + 1, hp->scroll + (h < n ? h : n), n, close);
	else
		snprintf(title, sizeof title, " lectern — %s (%s)", what, close);
	if (text_width(title, strlen(title)) > c->cols && max)   /* narrow: the position first */
		snprintf(title, sizeof title, " lectern — %s %zu-%zu of %zu (%s)", what, hp->scroll + 1,
		         hp->scroll + (h < n ? h : n), n, hp->messages ? "M closes" : "? closes");
	ui_puts(c, 0, 0, c->cols, title, EL_HEADER);
	for (size_t i = hp->scroll; i < n && i - hp->scroll < h; i++) {
		int y = 1 + (int)(i - hp->scroll);
		const struct help_line *l = &v[i];
		if (!l->name) {
			if (l->text)
				ui_puts(c, y, 1 + l->indent, c->cols - 1 - l->indent, l->text, l->el);
			continue;
		}
		int x = 1;
		ui_puts(c, y, x, KEYS_W, l->keys, EL_LABEL);
		x += KEYS_W;
		ui_puts(c, y, x, c->cols - x < NAME_W ? c->cols - x : NAME_W, l->name, EL_HELP);
		x += NAME_W;
		if (l->text && x < c->cols)
			ui_puts(c, y, x, c->cols - x, l->text, l->el);
	}
	help_free(v, n);
	ui_fill(c, c->rows - 1, 0, c->cols, EL_STATUS);
	ui_puts(c, c->rows - 1, 0, c->cols,
	        max && hp->scroll < max ? " more below: PgDn or Space"
	        : hp->messages ? " end of the messages" : " end of the help",
	        EL_STATUS);
}
