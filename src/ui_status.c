/* ui_status — drawing helpers (the only code that turns text into curses cells), the header and
 * status lines, the help screen generated from the action table, and theme colours. */
#include "lectern/ui.h"

#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "lectern/latex.h"
#include "lectern/text.h"

__attribute__((format(printf, 3, 0)))
static void set_msg(struct ui *u, bool error, const char *fmt, va_list ap)
{
	vsnprintf(u->msg, sizeof u->msg, fmt, ap);
	/* messages can quote feed text or file content: never let controls through */
	char *c = text_clean(u->msg, strlen(u->msg), TEXT_COLLAPSE);
	snprintf(u->msg, sizeof u->msg, "%s", c);
	free(c);
	u->msg_error = error;
	u->msg_hint = false;
	u->msg_time = ui_clock(u);
	u->msg_key = u->n_keys;
}

void ui_msg(struct ui *u, bool error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set_msg(u, error, fmt, ap);
	va_end(ap);
	if (!u->msg[0])
		return;
	struct ui_msg_rec *last = u->n_msglog ? &u->msglog[(u->n_msglog - 1) % UI_MSG_LOG] : NULL;
	if (last && last->error == error && strcmp(last->text, u->msg) == 0) {
		last->repeat++;
		return;
	}
	struct ui_msg_rec *r = &u->msglog[u->n_msglog++ % UI_MSG_LOG];
	char iso[24];
	util_fmt_iso(util_now(), iso, sizeof iso);   /* YYYY-MM-DDTHH:MM:SSZ */
	snprintf(r->when, sizeof r->when, "%.8s", iso + 11);
	r->error = error;
	r->repeat = 1;
	snprintf(r->text, sizeof r->text, "%s", u->msg);
}

void ui_hint(struct ui *u, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set_msg(u, false, fmt, ap);
	va_end(ap);
	u->msg_hint = true;
}

void ui_msg_clear(struct ui *u)
{
	u->msg[0] = '\0';
	u->msg_error = false;
}

double ui_clock(const struct ui *u)
{
	return u->headless ? u->vclock : util_monotonic();
}

int ui_msg_expire(struct ui *u)
{
	if (!u->msg[0] || u->msg_error)
		return -1;
	double left = u->msg_time + UI_MSG_SECONDS - ui_clock(u);
	if (left <= 0) {
		ui_msg_clear(u);
		return -1;
	}
	return (int)(left * 1000) + 1;
}

attr_t ui_attr(const struct ui *u, enum ui_elem el)
{
	unsigned a = u->theme.el[el].attrs;
	attr_t r = 0;
	if (a & UI_A_BOLD) r |= A_BOLD;
	if (a & UI_A_UNDERLINE) r |= A_UNDERLINE;
	if (a & UI_A_REVERSE) r |= A_REVERSE;
	if (a & UI_A_DIM) r |= A_DIM;
	if (a & UI_A_ITALIC) r |= A_ITALIC;
	if (a & UI_A_STANDOUT) r |= A_STANDOUT;
	if (u->colors)
		r |= COLOR_PAIR(el + 1);
	else if (!(a & (UI_A_REVERSE | UI_A_STANDOUT)) &&
	         (el == EL_CURSOR || el == EL_STATUS || el == EL_HEADER || el == EL_ERROR))
		r |= A_REVERSE;   /* without colours these must still stand out */
	return r;
}

void ui_theme_apply(struct ui *u)
{
	const char *nc = getenv("NO_COLOR");
	u->colors = has_colors() && !(nc && *nc);
	if (!u->colors)
		return;
	start_color();
	use_default_colors();
	int n = COLORS;
	for (int el = 0; el < EL__COUNT; el++) {
		const struct ui_style *s = &u->theme.el[el];
		init_pair((short)(el + 1), (short)ui_color_resolve(&s->fg, n),
		          (short)ui_color_resolve(&s->bg, n));
	}
}

static void flush_cell(int y, int *x, wchar_t *wc, int nwc, int w, attr_t attr, short pair)
{
	cchar_t cc;
	wc[nwc] = L'\0';
	setcchar(&cc, wc, attr & ~A_COLOR, pair, NULL);
	mvadd_wch(y, *x, &cc);
	*x += w;
}

int ui_put(struct ui *u, int y, int x, int w, const char *s, size_t n, enum ui_elem el)
{
	if (w <= 0 || y < 0 || y >= u->rows)
		return 0;
	if (x + w > u->cols)
		w = u->cols - x;
	attr_t base = ui_attr(u, el);
	short pair = (short)PAIR_NUMBER(base);
	bool bold = false, italic = false;
	int x0 = x, end = x + w;
	wchar_t wc[CCHARW_MAX + 1];
	int nwc = 0, cw = 0;
	attr_t cattr = base;
	for (size_t i = 0; i < n;) {
		unsigned cp;
		i += text_utf8_decode(s + i, n - i, &cp);
		if (cp == (unsigned char)LATEX_BOLD_ON) { bold = true; continue; }
		if (cp == (unsigned char)LATEX_BOLD_OFF) { bold = false; continue; }
		if (cp == (unsigned char)LATEX_ITALIC_ON) { italic = true; continue; }
		if (cp == (unsigned char)LATEX_ITALIC_OFF) { italic = false; continue; }
		if (text_cp_hidden(cp))
			continue;   /* cleaned text has none; never let one reach the terminal */
		bool brk = cp == '\t' || cp == '\n' || cp == 0x2028 || cp == 0x2029;
		if (brk || ui_cp_bad(cp))
			cp = brk ? ' ' : 0xFFFD;
		int cpw = ui_cp_width(cp);
		if (cpw == 0) {
			/* a combining mark joins the cell before it (or a space when there is none) */
			if (nwc == 0) {
				if (x + 1 > end)
					break;
				wc[nwc++] = L' ';
				cw = 1;
				cattr = base;
			}
			if (nwc < CCHARW_MAX)
				wc[nwc++] = (wchar_t)cp;
			continue;
		}
		if (nwc) {
			flush_cell(y, &x, wc, nwc, cw, cattr, pair);
			nwc = 0;
		}
		if (x + cpw > end)
			break;
		wc[nwc++] = (wchar_t)cp;
		cw = cpw;
		cattr = base | (bold ? A_BOLD : 0) | (italic ? A_ITALIC : 0);
	}
	if (nwc)
		flush_cell(y, &x, wc, nwc, cw, cattr, pair);
	return x - x0;
}

int ui_puts(struct ui *u, int y, int x, int w, const char *s, enum ui_elem el)
{
	return ui_put(u, y, x, w, s, strlen(s), el);
}

void ui_fill(struct ui *u, int y, int x, int w, enum ui_elem el)
{
	if (y < 0 || y >= u->rows || w <= 0)
		return;
	if (x + w > u->cols)
		w = u->cols - x;
	attr_t a = ui_attr(u, el);
	cchar_t cc;
	setcchar(&cc, L" ", a & ~A_COLOR, (short)PAIR_NUMBER(a), NULL);
	for (int i = 0; i < w; i++)
		mvadd_wch(y, x + i, &cc);
}

static const char *sort_name(enum store_sort s)
{
	return s == STORE_SORT_UPVOTES ? "upvotes" : s == STORE_SORT_RELEVANCE ? "relevance" : "date";
}

void ui_status_draw(struct ui *u)
{
	struct ui_list *l = &u->list;
	char view[128], pos[64], count[32], line[512];
	ui_list_view_name(u, view, sizeof view);
	if (l->count < 0)
		snprintf(count, sizeof count, "…");
	else if (l->count_exact)
		snprintf(count, sizeof count, "%lld", (long long)l->count);
	else
		snprintf(count, sizeof count, "%lld+", (long long)l->count);
	if (l->rows.n == 0)
		snprintf(pos, sizeof pos, "0/%s", count);
	else if (l->offset >= 0)
		snprintf(pos, sizeof pos, "%lld/%s", (long long)(l->offset + (int64_t)l->sel + 1), count);
	else
		snprintf(pos, sizeof pos, "?/%s", count);
	snprintf(line, sizeof line, " lectern │ %s │ %s │ sort: %s%s%s", view, pos, sort_name(l->sort),
	         l->qtext ? " │ search: " : "", l->qtext ? l->qtext : "");
	struct ui_rect h = u->r_header;
	ui_fill(u, h.y, h.x, h.w, EL_HEADER);
	int used = ui_puts(u, h.y, h.x, h.w, line, EL_HEADER);
	const char *help = "? help ";
	int hw = (int)strlen(help);
	if (used + hw + 1 <= h.w)
		ui_puts(u, h.y, h.x + h.w - hw, hw, help, EL_HEADER);

	struct ui_rect s = u->r_status;
	if (u->prompt.kind != PROMPT_NONE) {
		ui_prompt_draw(u);
		return;
	}
	char act[160] = "";
	if (u->fetch.busy) {
		if (u->fetch.total > 0)
			snprintf(act, sizeof act, " ⟳ %s %ld/%ld ", u->fetch.name, u->fetch.done, u->fetch.total);
		else
			snprintf(act, sizeof act, " ⟳ %s… ", u->fetch.name);
	}
	if (u->search.active) {
		/* the text, then the last message (errors stand out), fetch activity on the right */
		int aw = ui_text_width(act, strlen(act));
		int tw = s.w - (aw < s.w / 3 ? aw : 0);
		ui_fill(u, s.y, s.x, s.w, EL_PROMPT);
		int x = ui_puts(u, s.y, s.x, tw, "/", EL_PROMPT);
		const char *t = u->search.text.s ? u->search.text.s : "";
		size_t tl = strlen(t);
		/* show the end of a long query */
		while (ui_text_width(t, tl) > tw - 2 && tl) {
			unsigned cp;
			size_t k = text_utf8_decode(t, tl, &cp);
			t += k;
			tl -= k;
		}
		x += ui_put(u, s.y, s.x + x, tw - x, t, tl, EL_PROMPT);
		int cx = x;
		if (u->msg[0] && tw - x > 8 && (!u->msg_hint || !u->search.text.len)) {
			char m[600];
			snprintf(m, sizeof m, "  %s", u->msg);
			ui_puts(u, s.y, s.x + x, tw - x, m, u->msg_error ? EL_ERROR : EL_PROMPT);
		}
		if (tw < s.w)
			ui_puts(u, s.y, s.x + tw, aw, act, EL_STATUS);
		if (!u->headless) {
			move(s.y, s.x + cx);
			curs_set(1);
		}
		return;
	}
	if (!u->headless)
		curs_set(0);
	ui_fill(u, s.y, s.x, s.w, u->msg_error ? EL_ERROR : EL_STATUS);
	int aw = ui_text_width(act, strlen(act));
	int mw = s.w - aw;
	if (u->msg[0] && mw > 1) {
		char m[600];
		snprintf(m, sizeof m, " %s", u->msg);
		ui_puts(u, s.y, s.x, mw, m, u->msg_error ? EL_ERROR : EL_STATUS);
	}
	if (aw && aw <= s.w)
		ui_puts(u, s.y, s.x + s.w - aw, aw, act, EL_STATUS);
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
static size_t message_lines(const struct ui *u, struct help_line **out)
{
	size_t n = 0, cap = 16;
	struct help_line *v = xcalloc(cap, sizeof *v);
	size_t kept = u->n_msglog < UI_MSG_LOG ? u->n_msglog : UI_MSG_LOG;
	enum { TIME_W = 10 };     /* "HH:MM:SS  " */
	/* drawn from column 1 to the last but one: the text gets what is left after the time */
	int w = u->cols - 2 - TIME_W > 8 ? u->cols - 2 - TIME_W : 8;
	if (!kept)
		v[n++] = (struct help_line){.text = "No messages yet", .el = EL_HELP};
	for (size_t i = 0; i < kept; i++) {
		const struct ui_msg_rec *r = &u->msglog[(u->n_msglog - 1 - i) % UI_MSG_LOG];
		char *m = r->repeat > 1 ? xasprintf("%s (×%d)", r->text, r->repeat) : xstrdup(r->text);
		struct ui_line *ls;
		size_t nl = ui_wrap(m, w, &ls);
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

static size_t help_lines(const struct ui *u, struct help_line **out)
{
	if (u->help_messages)
		return message_lines(u, out);
	size_t n = 0, cap = ACT__COUNT + 16 + u->config_errors.n;
	struct help_line *v = xcalloc(cap, sizeof *v);
	for (int a = ACT_NONE + 1; a < ACT__COUNT; a++) {
		const struct ui_action_info *ai = ui_action_info((enum ui_action)a);
		struct help_line *l = &v[n++];
		ui_keymap_keys_of(&u->keys, (enum ui_action)a, l->keys, sizeof l->keys);
		if (!l->keys[0])
			snprintf(l->keys, sizeof l->keys, "(unbound)");
		l->name = ai->name;
		l->text = ai->help;
		l->el = EL_HELP;
		if (!u->fetcher && (a == ACT_SEARCH_REMOTE || a == ACT_REFRESH || a == ACT_REFRESH_ALL ||
		                    a == ACT_DAY_PREV)) {
			l->own = xasprintf("%s — fetching is off in this session", ai->help);
			l->text = l->own;
		}
	}
	const char *const prompt[][2] = {
		{"<Enter>", "keep the results as the list"},
		{"<Esc>", "restore the previous view and selection"},
		{"<Up>, <Down>", "walk the search history"},
		{"<C-r>", u->fetcher ? "send the query to arXiv too"
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
	if (u->config_errors.n) {
		v[n++] = (struct help_line){.el = EL_HELP};
		v[n++] = (struct help_line){.text = "Configuration errors (those lines were ignored)",
		                            .el = EL_LABEL};
		/* messages can be long (paths): wrapped, continuation lines indented */
		int w = u->cols > 8 ? u->cols - 4 : 4;
		for (size_t i = 0; i < u->config_errors.n; i++) {
			const char *m = u->config_errors.v[i];
			struct ui_line *ls;
			size_t nl = ui_wrap(m, w, &ls);
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

static size_t help_max_scroll(const struct ui *u, size_t n)
{
	size_t h = u->rows > 2 ? (size_t)(u->rows - 2) : 1;
	return n > h ? n - h : 0;
}

void ui_help_scroll(struct ui *u, long delta)
{
	struct help_line *v;
	size_t n = help_lines(u, &v), max = help_max_scroll(u, n);
	help_free(v, n);
	if (delta == LONG_MIN || (delta < 0 && (size_t)-delta >= u->help_scroll))
		u->help_scroll = 0;
	else if (delta == LONG_MAX || (delta > 0 && u->help_scroll + (size_t)delta >= max))
		u->help_scroll = max;
	else
		u->help_scroll = delta < 0 ? u->help_scroll - (size_t)-delta : u->help_scroll + (size_t)delta;
	if (u->help_scroll > max)
		u->help_scroll = max;
}

void ui_help_draw(struct ui *u)
{
	struct help_line *v;
	size_t n = help_lines(u, &v), max = help_max_scroll(u, n);
	if (u->help_scroll > max)
		u->help_scroll = max;
	for (int y = 0; y < u->rows; y++)
		ui_fill(u, y, 0, u->cols, EL_HELP);
	ui_fill(u, 0, 0, u->cols, EL_HEADER);
	char title[160];
	size_t h = u->rows > 2 ? (size_t)(u->rows - 2) : 1;
	const char *what = u->help_messages ? "recent messages (newest first)" : "keys";
	const char *close = u->help_messages ? "q, Esc or M closes" : "q, Esc or ? closes";
	if (max)
		snprintf(title, sizeof title, " lectern — %s %zu-%zu of %zu (j/k, PgDn/PgUp, g/G scroll; %s)",
		         what, u->help_scroll + 1, u->help_scroll + (h < n ? h : n), n, close);
	else
		snprintf(title, sizeof title, " lectern — %s (%s)", what, close);
	ui_puts(u, 0, 0, u->cols, title, EL_HEADER);
	for (size_t i = u->help_scroll; i < n && i - u->help_scroll < h; i++) {
		int y = 1 + (int)(i - u->help_scroll);
		const struct help_line *l = &v[i];
		if (!l->name) {
			if (l->text)
				ui_puts(u, y, 1, u->cols - 1, l->text, l->el);
			continue;
		}
		int x = 1;
		ui_puts(u, y, x, 22, l->keys, EL_LABEL);
		x += 22;
		ui_puts(u, y, x, 19, l->name, EL_HELP);
		x += 19;
		ui_puts(u, y, x, u->cols - x, l->text, l->el);
	}
	help_free(v, n);
	ui_fill(u, u->rows - 1, 0, u->cols, EL_STATUS);
	ui_puts(u, u->rows - 1, 0, u->cols,
	        max && u->help_scroll < max ? " more below: PgDn or Space"
	        : u->help_messages ? " end of the messages" : " end of the help",
	        EL_STATUS);
}

void ui_screen_line(int y, struct sbuf *b)
{
	int cols = COLS;
	wchar_t *buf = xcalloc((size_t)cols * CCHARW_MAX + 1, sizeof *buf);
	mvinnwstr(y, 0, buf, cols * CCHARW_MAX);
	size_t start = b->len;
	for (wchar_t *p = buf; *p; p++) {
		char enc[8];
		size_t k = text_utf8_encode((unsigned)*p, enc);
		sbuf_add(b, enc, k);
	}
	while (b->len > start && b->s[b->len - 1] == ' ')
		b->s[--b->len] = '\0';
	free(buf);
}
