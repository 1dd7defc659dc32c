/* ui_status — the header (view, position, count, order, search) and the status line (the
 * message, fetch activity on the right, the search prompt when it is open). */
#include "lectern/ui.h"

#include <stdio.h>
#include <string.h>

#include "lectern/text.h"

/* n >= 0 with thousands separators ("75,659"). */
static void fmt_count(int64_t n, char *buf, size_t size)
{
	char d[24];
	int len = snprintf(d, sizeof d, "%lld", (long long)n), o = 0;
	for (int i = 0; i < len && (size_t)o + 2 < size; i++) {
		if (i && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = d[i];
	}
	buf[o] = '\0';
}

/* " │ best of 1,000 newest + 12 by title · 75,659 match" when a ranked search left matches
 * out; " │ tr*: titles & authors only (type more)" when a prefix was searched so (store.h). */
static void bound_text(const struct ui_list *l, char *buf, size_t n)
{
	buf[0] = '\0';
	if (l->narrowed[0] && l->qtext)
		snprintf(buf, n, " │ %s*: titles & authors only (type more)", l->narrowed);
	if (l->count < 0 || !l->bound.bounded)
		return;
	size_t used = strlen(buf);
	buf += used;
	n -= used;
	char newest[32], title[32], all[32];
	fmt_count(l->bound.newest, newest, sizeof newest);
	fmt_count(l->bound.candidates - l->bound.newest, title, sizeof title);
	fmt_count(l->bound.matches, all, sizeof all);
	bool extra = l->bound.candidates > l->bound.newest;
	snprintf(buf, n, " │ best of %s newest%s%s%s · %s match", newest, extra ? " + " : "",
	         extra ? title : "", extra ? " by title" : "", all);
}

/* A day view's date order is the order its source listed the day in (store.h). */
static const char *sort_name(enum store_sort s, const struct ui_list *l)
{
	if (l->kind == VIEW_FOR_YOU || l->kind == VIEW_SIMILAR)
		return l->kind == VIEW_FOR_YOU ? "for you" : "alike";   /* a ranked list's own order */
	return s == STORE_SORT_UPVOTES ? "upvotes" : s == STORE_SORT_RELEVANCE ? "relevance"
	       : l->kind == VIEW_HF ? "listed" : "date";
}

void ui_status_header(struct ui_ctx *c, struct ui_rect h, const struct ui_list *l,
                      const char *view)
{
	char pos[64], count[32], line[800], bound[300];
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
	bound_text(l, bound, sizeof bound);
	char hidden[48] = "";
	if (l->n_hidden > 0 && l->kind != VIEW_HIDDEN)   /* what no view shows: X lists them */
		snprintf(hidden, sizeof hidden, " │ %lld hidden", (long long)l->n_hidden);
	snprintf(line, sizeof line, " lectern │ %s │ %s%s │ sort: %s%s%s%s", view, pos, hidden,
	         sort_name(l->sort, l), bound, l->qtext ? " │ search: " : "", l->qtext ? l->qtext : "");
	ui_fill(c, h.y, h.x, h.w, EL_HEADER);
	int used = ui_puts(c, h.y, h.x, h.w, line, EL_HEADER);
	const char *help = "? help ";
	int hw = (int)strlen(help);
	if (used + hw + 1 <= h.w)
		ui_puts(c, h.y, h.x + h.w - hw, hw, help, EL_HEADER);
}

/* The search prompt: the text, then the last message (errors stand out), fetch activity on the
 * right. */
static void search_line(struct ui_ctx *c, struct ui_rect s, const struct ui_search *se,
                        const char *act)
{
	int aw = text_width(act, strlen(act));
	int tw = s.w - (aw < s.w / 3 ? aw : 0);
	ui_fill(c, s.y, s.x, s.w, EL_PROMPT);
	int x = ui_puts(c, s.y, s.x, tw, "/", EL_PROMPT);
	int cur, cx = x;
	x += ui_put_edit(c, s.y, s.x + x, tw - x, &se->ed, EL_PROMPT, &cur);
	cx += cur;
	if (c->msg[0] && tw - x > 8 && (!c->msg_hint || !se->ed.text.len)) {
		char m[600];
		snprintf(m, sizeof m, "  %s", c->msg);
		ui_puts(c, s.y, s.x + x, tw - x, m, c->msg_error ? EL_ERROR : EL_PROMPT);
	}
	if (tw < s.w)
		ui_puts(c, s.y, s.x + tw, aw, act, EL_STATUS);
	ui_show_cursor(c, s.y, s.x + cx);
}

void ui_status_line(struct ui_ctx *c, struct ui_rect s, const struct ui_fetch_state *f,
                    const struct ui_search *se)
{
	char act[160] = "";
	if (f->busy) {
		if (f->total > 0)
			snprintf(act, sizeof act, " ⟳ %s %ld/%ld ", f->name, f->done, f->total);
		else
			snprintf(act, sizeof act, " ⟳ %s… ", f->name);
	}
	if (se->active) {
		search_line(c, s, se, act);
		return;
	}
	ui_hide_cursor(c);
	ui_fill(c, s.y, s.x, s.w, c->msg_error ? EL_ERROR : EL_STATUS);
	int aw = text_width(act, strlen(act));
	int mw = s.w - aw;
	if (c->msg[0] && mw > 1) {
		char m[600];
		snprintf(m, sizeof m, " %s", c->msg);
		ui_puts(c, s.y, s.x, mw, m, c->msg_error ? EL_ERROR : EL_STATUS);
	}
	if (aw && aw <= s.w)
		ui_puts(c, s.y, s.x + s.w - aw, aw, act, EL_STATUS);
}
