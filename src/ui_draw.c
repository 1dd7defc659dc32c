/* ui_draw — the panes' drawing context: messages, attributes and the text-to-cells code
 * (ui_draw.h). */
#include "lectern/ui_draw.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "lectern/app.h"
#include "lectern/latex.h"
#include "lectern/text.h"
#include "lectern/text.h"

__attribute__((format(printf, 3, 0)))
static void set_msg(struct ui_ctx *c, bool error, const char *fmt, va_list ap)
{
	vsnprintf(c->msg, sizeof c->msg, fmt, ap);
	/* messages can quote feed text or file content: never let controls through */
	char *clean = text_clean(c->msg, strlen(c->msg), TEXT_COLLAPSE);
	snprintf(c->msg, sizeof c->msg, "%s", clean);
	free(clean);
	c->msg_error = error;
	c->msg_hint = false;
	c->msg_time = ui_clock(c);
	c->msg_key = c->n_keys;
}

void ui_msg(struct ui_ctx *c, bool error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set_msg(c, error, fmt, ap);
	va_end(ap);
	if (!c->msg[0])
		return;
	struct ui_msg_rec *last = c->n_msglog ? &c->msglog[(c->n_msglog - 1) % UI_MSG_LOG] : NULL;
	if (last && last->error == error && strcmp(last->text, c->msg) == 0) {
		last->repeat++;
		return;
	}
	struct ui_msg_rec *r = &c->msglog[c->n_msglog++ % UI_MSG_LOG];
	char iso[24];
	util_fmt_iso(util_now(), iso, sizeof iso);   /* YYYY-MM-DDTHH:MM:SSZ */
	snprintf(r->when, sizeof r->when, "%.8s", iso + 11);
	r->error = error;
	r->repeat = 1;
	snprintf(r->text, sizeof r->text, "%s", c->msg);
}

void ui_hint(struct ui_ctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set_msg(c, false, fmt, ap);
	va_end(ap);
	c->msg_hint = true;
}

void ui_msg_clear(struct ui_ctx *c)
{
	c->msg[0] = '\0';
	c->msg_error = false;
}

double ui_clock(const struct ui_ctx *c)
{
	return c->headless ? c->vclock : util_monotonic();
}

int ui_msg_expire(struct ui_ctx *c)
{
	if (!c->msg[0] || c->msg_error)
		return -1;
	double left = c->msg_time + UI_MSG_SECONDS - ui_clock(c);
	if (left <= 0) {
		ui_msg_clear(c);
		return -1;
	}
	return (int)(left * 1000) + 1;
}

attr_t ui_attr(const struct ui_ctx *c, enum ui_elem el)
{
	unsigned a = c->theme.el[el].attrs;
	attr_t r = 0;
	if (a & UI_A_BOLD) r |= A_BOLD;
	if (a & UI_A_UNDERLINE) r |= A_UNDERLINE;
	if (a & UI_A_REVERSE) r |= A_REVERSE;
	if (a & UI_A_DIM) r |= A_DIM;
	if (a & UI_A_ITALIC) r |= A_ITALIC;
	if (a & UI_A_STANDOUT) r |= A_STANDOUT;
	if (c->colors)
		r |= COLOR_PAIR(el + 1);
	else if (!(a & (UI_A_REVERSE | UI_A_STANDOUT)) &&
	         (el == EL_CURSOR || el == EL_STATUS || el == EL_HEADER || el == EL_ERROR))
		r |= A_REVERSE;   /* without colours these must still stand out */
	return r;
}

void ui_theme_apply(struct ui_ctx *c)
{
	const char *nc = getenv("NO_COLOR");
	c->colors = has_colors() && !(nc && *nc);
	if (!c->colors)
		return;
	start_color();
	use_default_colors();
	/* terminfo's RGB flag: colour numbers are 0xRRGGBB (ncurses then reports 2^24 colours) */
	int n = COLORS;
	if (tigetflag("RGB") <= 0 && n >= UI_DIRECT_COLORS)
		n = 256;
	for (int el = 0; el < EL__COUNT; el++) {
		const struct ui_style *s = &c->theme.el[el];
		init_extended_pair(el + 1, ui_color_resolve(&s->fg, n), ui_color_resolve(&s->bg, n));
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

int ui_put(struct ui_ctx *c, int y, int x, int w, const char *s, size_t n, enum ui_elem el)
{
	if (w <= 0 || y < 0 || y >= c->rows)
		return 0;
	if (x + w > c->cols)
		w = c->cols - x;
	attr_t base = ui_attr(c, el);
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
		if (brk || text_cp_bad(cp))
			cp = brk ? ' ' : 0xFFFD;
		int cpw = text_cp_width(cp);
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

int ui_puts(struct ui_ctx *c, int y, int x, int w, const char *s, enum ui_elem el)
{
	return ui_put(c, y, x, w, s, strlen(s), el);
}

int ui_put_edit(struct ui_ctx *c, int y, int x, int w, const struct ui_edit *ed, enum ui_elem el,
                int *cursor)
{
	const char *t = ed->text.s ? ed->text.s : "";
	size_t cur = ed->cur <= ed->text.len ? ed->cur : ed->text.len;
	size_t from = 0;
	while (from < cur && text_width(t + from, cur - from) > w - 1) {
		unsigned cp;
		from += text_utf8_decode(t + from, cur - from, &cp);
	}
	*cursor = text_width(t + from, cur - from);
	return ui_put(c, y, x, w, t + from, strlen(t + from), el);
}

void ui_fill(struct ui_ctx *c, int y, int x, int w, enum ui_elem el)
{
	if (y < 0 || y >= c->rows || w <= 0)
		return;
	if (x + w > c->cols)
		w = c->cols - x;
	attr_t a = ui_attr(c, el);
	cchar_t cc;
	setcchar(&cc, L" ", a & ~A_COLOR, (short)PAIR_NUMBER(a), NULL);
	for (int i = 0; i < w; i++)
		mvadd_wch(y, x + i, &cc);
}

void ui_show_cursor(const struct ui_ctx *c, int y, int x)
{
	if (c->headless)
		return;
	move(y, x);
	curs_set(1);
}

void ui_hide_cursor(const struct ui_ctx *c)
{
	if (!c->headless)
		curs_set(0);
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

/* Last: term.h defines macros (lines, columns...) that clash with ordinary names. */
#include <term.h>

/* The reader moves the cursor; a terminal whose terminfo entry cannot (TERM=dumb, an emacs
 * shell buffer) or that terminfo does not know would get garbage. Asked of terminfo alone,
 * before curses draws anything; says so and points at the commands. */
bool ui_term_can_draw(void)
{
	const char *term = getenv("TERM");
	int err = 0;
	bool ok = false;
	if (term && *term && setupterm(term, STDOUT_FILENO, &err) == OK) {
		const char *cup = tigetstr("cup");
		ok = cup && cup != (char *)-1;
		del_curterm(cur_term);
	}
	if (!ok)
		app_error("ui: the terminal \"%s\" %s, so the reader cannot draw; the commands work "
		          "without it: `lectern list`, `lectern show ID`, `lectern fetch` (see "
		          "`lectern --help`), or set TERM to your terminal's type (e.g. xterm-256color)",
		          term && *term ? term : "(TERM is not set)",
		          term && *term && err == 1 ? "cannot move the cursor"
		                                   : "is not known to terminfo");
	return ok;
}
