/* ui_help — the help screen: every action with its keys (generated from the same table that binds
 * them), the search prompt's keys and the configuration errors; and the messages screen (M):
 * every kept status-line message, newest first. Drawn over the whole screen. */
#include "lectern/ui.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static size_t help_lines(const struct ui_help *hp, const struct ui_ctx *c, struct help_line **out)
{
	if (hp->messages)
		return message_lines(c, out);
	size_t n = 0, cap = ACT__COUNT + 16 + hp->config_errors->n;
	struct help_line *v = xcalloc(cap, sizeof *v);
	for (int a = ACT_NONE + 1; a < ACT__COUNT; a++) {
		const struct ui_action_info *ai = ui_action_info((enum ui_action)a);
		struct help_line *l = &v[n++];
		ui_keymap_keys_of(hp->keys, (enum ui_action)a, l->keys, sizeof l->keys);
		if (!l->keys[0])
			snprintf(l->keys, sizeof l->keys, "(unbound)");
		l->name = ai->name;
		l->text = ai->help;
		l->el = EL_HELP;
		if (!hp->fetching && (a == ACT_SEARCH_REMOTE || a == ACT_REFRESH || a == ACT_REFRESH_ALL ||
		                    a == ACT_DAY_PREV)) {
			l->own = xasprintf("%s — fetching is off in this session", ai->help);
			l->text = l->own;
		}
	}
	const char *const prompt[][2] = {
		{"<Enter>", "keep the results as the list"},
		{"<Esc>", "restore the previous view and selection"},
		{"<Up>, <Down>", "walk the search history"},
		{"<C-r>", hp->fetching ? "send the query to arXiv too"
		                     : "send the query to arXiv too — fetching is off in this session"},
		{"<C-u>", "clear the text"},
	};
	v[n++] = (struct help_line){.el = EL_HELP};
	v[n++] = (struct help_line){.text = "In the search prompt", .el = EL_LABEL};
	for (size_t i = 0; i < ARRAY_LEN(prompt); i++) {
		struct help_line *l = &v[n++];
		snprintf(l->keys, sizeof l->keys, "%s", prompt[i][0]);
		l->name = "";
		l->text = prompt[i][1];
		l->el = EL_HELP;
	}
	if (hp->config_errors->n) {
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
	case ACT_PAGE_DOWN: ui_help_scroll(hp, c, h); return;
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
	ui_puts(c, 0, 0, c->cols, title, EL_HEADER);
	for (size_t i = hp->scroll; i < n && i - hp->scroll < h; i++) {
		int y = 1 + (int)(i - hp->scroll);
		const struct help_line *l = &v[i];
		if (!l->name) {
			if (l->text)
				ui_puts(c, y, 1, c->cols - 1, l->text, l->el);
			continue;
		}
		int x = 1;
		ui_puts(c, y, x, 22, l->keys, EL_LABEL);
		x += 22;
		ui_puts(c, y, x, 19, l->name, EL_HELP);
		x += 19;
		ui_puts(c, y, x, c->cols - x, l->text, l->el);
	}
	help_free(v, n);
	ui_fill(c, c->rows - 1, 0, c->cols, EL_STATUS);
	ui_puts(c, c->rows - 1, 0, c->cols,
	        max && hp->scroll < max ? " more below: PgDn or Space"
	        : hp->messages ? " end of the messages" : " end of the help",
	        EL_STATUS);
}
