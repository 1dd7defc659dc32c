/* ui_list — the list pane. Only a window of rows around the viewport is ever in memory: rows are
 * read with store_window() from keyset anchors, so moving through a million papers costs the
 * same as through a hundred. The selection is tracked by paper id, so fetches and resizes never
 * move it under the user. */
#include "lectern/ui.h"

#include <stdlib.h>
#include <string.h>

#include "lectern/latex.h"
#include "lectern/text.h"

#define COUNT_CAP 1000

static size_t chunk(const struct ui *u)
{
	size_t c = (size_t)(u->r_list.h > 0 ? u->r_list.h : 24) * 2;
	return c < 64 ? 64 : c;
}

void ui_list_init(struct ui *u)
{
	memset(&u->list, 0, sizeof u->list);
	u->list.offset = 0;
	u->list.count = -1;
}

void ui_list_free(struct ui *u)
{
	store_rows_clear(&u->list.rows);
	xfree(&u->list.query);
	xfree(&u->list.qtext);
}

void ui_list_set_query(struct ui *u, const char *text)
{
	struct ui_list *l = &u->list;
	char *t = text && *text ? xstrdup(text) : NULL;
	xfree(&l->qtext);
	xfree(&l->query);
	l->qtext = t;
	if (!t)
		return;
	/* the implicit star lives only in the store's query, never in the text the user edits */
	size_t n = strlen(t);
	const char *w = t + n;
	while (w > t && w[-1] != ' ')
		w--;
	static const char alnum[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	/* (a one-letter prefix would match nearly everything: the store refuses it) */
	bool prefix = strlen(w) >= 2 && strspn(w, alnum) == strlen(w) && !strchr(t, '"');
	l->query = prefix ? xasprintf("%s*", t) : xstrdup(t);
}

void ui_list_view(const struct ui *u, struct store_view *v)
{
	const struct ui_list *l = &u->list;
	memset(v, 0, sizeof *v);
	v->sort = l->sort;
	v->query = l->query;
	switch (l->kind) {
	case VIEW_ALL: v->filter = STORE_VIEW_ALL; break;
	case VIEW_FAVOURITES: v->filter = STORE_VIEW_FAVOURITES; break;
	case VIEW_UNREAD: v->filter = STORE_VIEW_UNREAD; break;
	case VIEW_HF:
		v->filter = STORE_VIEW_HF_DAY;
		v->day = l->day;
		break;
	case VIEW_SOURCE:
		v->filter = STORE_VIEW_SOURCE;
		v->source = l->source < u->cfg->n_sources ? u->cfg->sources[l->source].name : "";
		break;
	}
}

void ui_list_view_name(const struct ui *u, char *buf, size_t n)
{
	const struct ui_list *l = &u->list;
	switch (l->kind) {
	case VIEW_ALL: snprintf(buf, n, "All"); break;
	case VIEW_FAVOURITES: snprintf(buf, n, "Favourites"); break;
	case VIEW_UNREAD: snprintf(buf, n, "Unread"); break;
	case VIEW_HF: snprintf(buf, n, "HF Daily %s", l->day); break;
	case VIEW_SOURCE:
		snprintf(buf, n, "%s",
		         l->source < u->cfg->n_sources ? u->cfg->sources[l->source].name : "?");
		break;
	}
}

/* Feed text is untrusted: clean it again and render its LaTeX before it can reach the screen. */
static char *clean(char *s, bool latex)
{
	if (!s)
		return NULL;
	char *c = text_clean(s, strlen(s), TEXT_COLLAPSE);
	free(s);
	if (!latex)
		return c;
	char *r = latex_render(c, LATEX_PLAIN);
	free(c);
	return r;
}

static void clean_rows(struct store_rows *r, size_t from)
{
	for (size_t i = from; i < r->n; i++) {
		struct store_row *row = &r->v[i];
		row->title = clean(row->title, true);
		row->first_author = clean(row->first_author, false);
		row->organization = clean(row->organization, false);
	}
}

static void rows_move(struct store_rows *dst, struct store_rows *src)
{
	*dst = *src;
	memset(src, 0, sizeof *src);
}

/* Frees rows [a, b) and closes the gap. */
static void rows_drop(struct store_rows *r, size_t a, size_t b)
{
	for (size_t i = a; i < b; i++)
		store_row_clear(&r->v[i]);
	memmove(r->v + a, r->v + b, (r->n - b) * sizeof *r->v);
	r->n -= b - a;
}

static int query(struct ui *u, const struct store_key *anchor, int dir, size_t limit,
                 struct store_rows *out)
{
	struct store_view v;
	struct lerr e = {0};
	ui_list_view(u, &v);
	size_t before = out->n;
	u->n_windows++;
	if (store_window(u->store, &v, anchor, dir, limit, out, &e) < 0) {
		ui_msg(u, true, "%s", e.msg);
		u->list.error = true;
		return -1;
	}
	clean_rows(out, before);
	return 0;
}

static void reset(struct ui *u, struct store_rows *rows)
{
	store_rows_clear(&u->list.rows);
	rows_move(&u->list.rows, rows);
	u->list.error = false;
}

int ui_list_load_start(struct ui *u)
{
	struct store_rows r = {0};
	size_t lim = chunk(u);
	if (query(u, NULL, 1, lim, &r) < 0) {
		store_rows_clear(&r);
		return -1;
	}
	reset(u, &r);
	struct ui_list *l = &u->list;
	l->at_start = true;
	l->at_end = l->rows.n < lim;
	l->offset = 0;
	l->sel = l->top = 0;
	l->count = -1;
	if (l->at_end) {
		l->count = (int64_t)l->rows.n;
		l->count_exact = true;
	}
	return 0;
}

int ui_list_load_end(struct ui *u)
{
	struct store_rows r = {0};
	size_t lim = chunk(u);
	if (query(u, NULL, -1, lim, &r) < 0) {
		store_rows_clear(&r);
		return -1;
	}
	reset(u, &r);
	struct ui_list *l = &u->list;
	l->at_end = true;
	l->at_start = l->rows.n < lim;
	if (l->at_start)
		l->offset = 0;
	else if (l->count >= 0 && l->count_exact)
		l->offset = l->count - (int64_t)l->rows.n;
	else
		l->offset = -1;
	l->sel = l->rows.n ? l->rows.n - 1 : 0;
	l->top = 0;
	ui_list_scroll_to_sel(u);
	return 0;
}

int ui_list_reload_around(struct ui *u, const char *id)
{
	struct ui_list *l = &u->list;
	if (!id || l->rows.n == 0)
		return ui_list_load_start(u);
	struct store_key key = l->rows.v[l->sel].key;
	return ui_list_reload_at(u, &key, id);
}

int ui_list_reload_at(struct ui *u, const struct store_key *keyp, const char *id)
{
	struct ui_list *l = &u->list;
	size_t old_sel = l->sel, old_top = l->top;
	size_t lim = chunk(u);
	struct store_key key = *keyp;
	int64_t count = l->count;
	bool exact = l->count_exact;

	/* rows before the old selection's key, then from the last of those onwards, which includes
	 * the selected paper itself when it is still in the view */
	struct store_rows r = {0};
	if (query(u, &key, -1, lim, &r) < 0) {
		store_rows_clear(&r);
		return -1;
	}
	bool at_start = r.n < lim;
	size_t nbefore = r.n;
	int rc;
	if (r.n)
		rc = query(u, &r.v[r.n - 1].key, 1, lim * 2, &r);
	else
		rc = query(u, NULL, 1, lim * 2, &r);
	if (rc < 0) {
		store_rows_clear(&r);
		return -1;
	}
	bool at_end = r.n - nbefore < lim * 2;
	reset(u, &r);
	l->at_start = at_start;
	l->at_end = at_end;
	l->offset = at_start ? 0 : -1;
	l->count = count;
	l->count_exact = exact;
	if (count >= 0)
		l->count = -1;   /* papers came or went: count again lazily */
	size_t sel = nbefore < l->rows.n ? nbefore : (l->rows.n ? l->rows.n - 1 : 0);
	for (size_t i = 0; i < l->rows.n; i++)
		if (strcmp(l->rows.v[i].id, id) == 0) {
			sel = i;
			break;
		}
	l->sel = sel;
	/* keep the selected row on the same screen line */
	size_t line = old_sel >= old_top ? old_sel - old_top : 0;
	l->top = sel >= line ? sel - line : 0;
	ui_list_scroll_to_sel(u);
	return 0;
}

/* Appends rows after the window; false when there are no more. */
static bool extend_after(struct ui *u)
{
	struct ui_list *l = &u->list;
	if (l->at_end)
		return false;
	size_t lim = chunk(u), before = l->rows.n;
	const struct store_key *anchor = l->rows.n ? &l->rows.v[l->rows.n - 1].key : NULL;
	struct store_key k;
	if (anchor)
		k = *anchor;
	if (query(u, anchor ? &k : NULL, 1, lim, &l->rows) < 0)
		return false;
	if (l->rows.n - before < lim)
		l->at_end = true;
	return l->rows.n > before;
}

static bool extend_before(struct ui *u)
{
	struct ui_list *l = &u->list;
	if (l->at_start || l->rows.n == 0)
		return false;
	size_t lim = chunk(u);
	struct store_rows r = {0};
	struct store_key k = l->rows.v[0].key;
	if (query(u, &k, -1, lim, &r) < 0) {
		store_rows_clear(&r);
		return false;
	}
	size_t add = r.n;
	if (add < lim)
		l->at_start = true;
	if (add) {
		/* r = new rows + old rows */
		for (size_t i = 0; i < l->rows.n; i++) {
			if (r.n == r.cap) {
				r.cap = r.cap ? r.cap * 2 : 64;
				r.v = xreallocarray(r.v, r.cap, sizeof *r.v);
			}
			r.v[r.n++] = l->rows.v[i];
		}
		free(l->rows.v);
		l->rows = r;
		l->sel += add;
		l->top += add;
		if (l->offset >= 0)
			l->offset -= (int64_t)add;
	} else {
		store_rows_clear(&r);
	}
	if (l->at_start)
		l->offset = 0;
	return add > 0;
}

/* Bounds memory: drops rows far from the viewport. */
static void trim(struct ui *u)
{
	struct ui_list *l = &u->list;
	size_t c = chunk(u), h = (size_t)(u->r_list.h > 0 ? u->r_list.h : 1);
	if (l->rows.n <= 4 * c)
		return;
	if (l->top > c) {
		size_t d = l->top - c;
		rows_drop(&l->rows, 0, d);
		l->sel -= d;
		l->top -= d;
		l->at_start = false;
		if (l->offset >= 0)
			l->offset += (int64_t)d;
	}
	if (l->rows.n > l->top + h + c) {
		rows_drop(&l->rows, l->top + h + c, l->rows.n);
		l->at_end = false;
	}
}

void ui_list_scroll_to_sel(struct ui *u)
{
	struct ui_list *l = &u->list;
	size_t h = (size_t)(u->r_list.h > 0 ? u->r_list.h : 1);
	if (l->sel < l->top)
		l->top = l->sel;
	if (l->sel >= l->top + h)
		l->top = l->sel - h + 1;
	/* fill the screen: no empty lines at the bottom while rows exist above */
	while (l->top + h > l->rows.n && !l->at_end && extend_after(u))
		;
	if (l->top + h > l->rows.n && l->top > 0) {
		size_t want = l->rows.n > h ? l->rows.n - h : 0;
		if (want < l->top)
			l->top = want;
	}
	trim(u);
}

void ui_list_move(struct ui *u, long delta)
{
	struct ui_list *l = &u->list;
	if (l->rows.n == 0)
		return;
	if (delta > 0) {
		size_t want = l->sel + (size_t)delta;
		while (want >= l->rows.n && extend_after(u))
			;
		l->sel = want < l->rows.n ? want : l->rows.n - 1;
	} else if (delta < 0) {
		size_t back = (size_t)-delta;
		while (back > l->sel && extend_before(u))
			;
		l->sel = back > l->sel ? 0 : l->sel - back;
	}
	ui_list_scroll_to_sel(u);
}

const struct store_row *ui_list_selected(const struct ui *u)
{
	const struct ui_list *l = &u->list;
	return l->sel < l->rows.n ? &l->rows.v[l->sel] : NULL;
}

void ui_list_count(struct ui *u, bool exact)
{
	struct ui_list *l = &u->list;
	if (l->count >= 0 && (l->count_exact || !exact))
		return;
	struct store_view v;
	ui_list_view(u, &v);
	struct lerr e = {0};
	int64_t cap = exact ? INT64_MAX : COUNT_CAP + 1;
	u->n_counts++;
	int64_t c = store_count(u->store, &v, cap, &e);
	if (c < 0)
		return;
	l->count_exact = c < cap;
	l->count = c > COUNT_CAP && !l->count_exact ? COUNT_CAP : c;
	if (l->count_exact && l->offset < 0 && l->at_end)
		l->offset = c - (int64_t)l->rows.n;
}

static void author_text(const struct store_row *r, char *buf, size_t n)
{
	char *org = paper_org_label(r->organization, r->org_submitter);
	if (org)
		snprintf(buf, n, "%s", org);
	else if (r->first_author && *r->first_author)
		snprintf(buf, n, "%s%s", r->first_author, r->n_authors > 1 ? " et al." : "");
	else
		buf[0] = '\0';
	free(org);
}

/* Why a Daily Papers day shows nothing, and what to do about it. */
static const char *hf_empty(struct ui *u, char *buf, size_t n)
{
	const char *day = u->list.day;
	static const char *const wd[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday",
	                                 "Friday", "Saturday"};
	int64_t t;
	const char *weekend = "";
	char tmp[64] = "";
	if (util_parse_time(day, &t) == 0) {
		int w = (int)(((t / 86400) % 7 + 11) % 7);   /* 1970-01-01 was a Thursday */
		if (w == 0 || w == 6) {
			snprintf(tmp, sizeof tmp, " (a %s: weekends are often empty)", wd[w]);
			weekend = tmp;
		}
	}
	switch (ui_day_fetch_state(u, day)) {
	case UI_DAY_PENDING:
		snprintf(buf, n, "Fetching Daily Papers of %s…", day);
		break;
	case UI_DAY_FETCHED:
		snprintf(buf, n, "No Daily Papers for %s%s — { } jump to days with papers", day, weekend);
		break;
	case UI_DAY_FAILED:
		snprintf(buf, n, "Daily Papers of %s could not be fetched (see the status line) — r retries",
		         day);
		break;
	case UI_DAY_UNKNOWN:
		if (!u->fetcher)
			snprintf(buf, n, "No Daily Papers cached for %s%s; fetching is off in this session — { } jump to cached days",
			         day, weekend);
		else
			snprintf(buf, n, "No Daily Papers cached for %s — r fetches it, { } jump to cached days", day);
		break;
	}
	return buf;
}

void ui_list_draw(struct ui *u)
{
	struct ui_list *l = &u->list;
	struct ui_rect r = u->r_list;
	for (int y = 0; y < r.h; y++)
		ui_fill(u, r.y + y, r.x, r.w, EL_LIST);
	if (l->rows.n == 0) {
		const char *m;
		char buf[2400];        /* room for every failure of a batch (ui_fetch_state.all_errors) */
		if (l->error)
			m = "The search could not run (see the status line)";
		else if (l->qtext)
			m = "No matches — Esc restores the previous view";
		else if (l->kind == VIEW_HF)
			m = hf_empty(u, buf, sizeof buf);
		else if (u->fetch.busy)
			m = "Fetching… (progress in the status line)";
		else if (u->fetch.n_failed && !u->fetch.n_new) {
			/* the last fetch failed: say why here, where the user looks (the status line is cut
			 * at the terminal's width and replaced by the next message) */
			const struct ui_fetch_state *f = &u->fetch;
			if (f->n_failed > 1) {
				/* every failure when they fit the pane, else the first and where the others are */
				snprintf(buf, sizeof buf, "Nothing fetched: %d sources failed: %s — R retries",
				         f->n_failed, f->all_errors);
				struct ui_line *ls;
				size_t nl = ui_wrap(buf, r.w > 4 ? r.w - 2 : r.w, &ls);
				free(ls);
				if (nl > (size_t)r.h)
					snprintf(buf, sizeof buf, "Nothing fetched: %s (and %d more source%s failed — M "
					         "lists them) — R retries", f->first_error, f->n_failed - 1,
					         f->n_failed == 2 ? "" : "s");
			} else {
				snprintf(buf, sizeof buf, "Nothing fetched: %s — R retries", f->first_error);
			}
			m = buf;
		} else if (l->kind == VIEW_ALL)
			m = "No papers yet — press R to fetch";
		else if (l->kind == VIEW_FAVOURITES)
			m = "No favourites yet — press f on a paper";
		else
			m = "Nothing here — r fetches this source";
		/* wrapped, each line centred */
		struct ui_line *ls;
		size_t nl = ui_wrap(m, r.w > 4 ? r.w - 2 : r.w, &ls);
		/* a third of the way down, raised as far as the text needs (lines piled on the last row
		 * would overwrite each other) */
		int top = r.h / 3;
		if ((size_t)(r.h - top) < nl)
			top = (size_t)r.h > nl ? r.h - (int)nl : 0;
		for (size_t i = 0; i < nl && (int)i < r.h; i++) {
			size_t len = ls[i].end - ls[i].start;
			int w = ui_text_width(m + ls[i].start, len);
			int x = r.w > w ? (r.w - w) / 2 : 0;
			int y = top + (int)i;
			ui_put(u, r.y + y, r.x + x, r.w - x, m + ls[i].start, len, EL_LIST);
		}
		free(ls);
		return;
	}
	bool show_votes = r.w >= 60, show_author = r.w >= 50;
	/* the title gets what is left after a modest author column */
	int author_w = show_author ? (r.w >= 140 ? 28 : r.w / 5) : 0;
	for (int y = 0; y < r.h; y++) {
		size_t i = l->top + (size_t)y;
		if (i >= l->rows.n)
			break;
		const struct store_row *row = &l->rows.v[i];
		bool cur = i == l->sel;
		enum ui_elem base = cur ? EL_CURSOR : (row->read ? EL_LIST : EL_UNREAD);
		int x = r.x, end = r.x + r.w;
		ui_fill(u, r.y + y, r.x, r.w, base);
		x += ui_puts(u, r.y + y, x, end - x, row->favourite ? "★" : " ",
		             cur ? base : EL_FAVOURITE);
		x += ui_puts(u, r.y + y, x, end - x, row->has_note ? "✎ " : "  ",
		             cur ? base : EL_FAVOURITE);
		char date[16] = "          ";
		/* published, else the earliest listing day, else first seen (the store's choice) */
		int64_t when = row->date ? row->date : row->published;
		if (when)
			util_fmt_date(when, date, sizeof date);
		x += ui_puts(u, r.y + y, x, end - x, date, cur ? base : EL_DATE);
		x += ui_puts(u, r.y + y, x, end - x, " ", base);
		if (show_votes) {
			char v[16] = "     ";
			if (row->upvotes >= 0)
				snprintf(v, sizeof v, "▲%-4lld", (long long)(row->upvotes > 9999 ? 9999 : row->upvotes));
			x += ui_puts(u, r.y + y, x, end - x, v, cur ? base : EL_UPVOTES);
			x += ui_puts(u, r.y + y, x, end - x, " ", base);
		}
		char au[256];
		author_text(row, au, sizeof au);
		int aw = show_author && *au ? author_w : 0;
		int title_w = end - x - (aw ? aw + 1 : 0);
		if (title_w < 1)
			title_w = 1;
		const char *t = row->title ? row->title : row->id;
		size_t tl = strlen(t);
		int used;
		size_t fit = ui_text_fit(t, tl, title_w, &used);
		if (fit < tl && title_w > 1) {
			fit = ui_text_fit(t, tl, title_w - 1, &used);
			ui_put(u, r.y + y, x, title_w, t, fit, base);
			ui_puts(u, r.y + y, x + used, 1, "…", base);
		} else {
			ui_put(u, r.y + y, x, title_w, t, fit, base);
		}
		if (aw) {
			int ax = end - aw;
			size_t al = strlen(au);
			size_t af = ui_text_fit(au, al, aw, &used);
			if (af < al) {
				af = ui_text_fit(au, al, aw - 1, &used);
				ui_put(u, r.y + y, ax, aw, au, af, cur ? base : EL_AUTHOR);
				ui_puts(u, r.y + y, ax + used, 1, "…", cur ? base : EL_AUTHOR);
			} else {
				ui_put(u, r.y + y, ax + (aw - used), used, au, af, cur ? base : EL_AUTHOR);
			}
		}
	}
}

bool ui_list_click(struct ui *u, int y)
{
	struct ui_list *l = &u->list;
	if (y < u->r_list.y || y >= u->r_list.y + u->r_list.h)
		return false;
	size_t i = l->top + (size_t)(y - u->r_list.y);
	if (i >= l->rows.n)
		return false;
	l->sel = i;
	return true;
}
