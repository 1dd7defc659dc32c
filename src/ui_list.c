/* ui_list — the list pane. Only a window of rows around the viewport is ever in memory: rows are
 * read with store_window() from keyset anchors, so moving through a million papers costs the
 * same as through a hundred. The selection is tracked by paper id, so fetches and resizes never
 * move it under the user. */
#include "lectern/ui.h"

#include <stdlib.h>
#include <string.h>

#include "lectern/latex.h"
#include "lectern/query.h"
#include "lectern/text.h"

#define COUNT_CAP 1000

static size_t chunk(const struct ui_list *l)
{
	size_t c = (size_t)(l->r.h > 0 ? l->r.h : 24) * 2;
	return c < 64 ? 64 : c;
}

void ui_list_init(struct ui_list *l)
{
	memset(l, 0, sizeof *l);
	l->offset = 0;
	l->count = -1;
}

void ui_list_free(struct ui_list *l)
{
	store_rows_clear(&l->rows);
	xfree(&l->query);
	xfree(&l->qtext);
	xfree(&l->remote);
	pdf_index_free(&l->pdfs);
}

void ui_list_set_query(struct ui_list *l, const char *text)
{
	char *t = text && *text ? xstrdup(text) : NULL;
	xfree(&l->qtext);
	xfree(&l->query);
	l->qtext = t;
	if (!t)
		return;
	/* the implicit star lives only in the store's query, never in the text the user edits */
	l->query = query_typing(t);
}

void ui_list_view(const struct ui_list *l, const struct config *cfg, struct store_view *v)
{
	memset(v, 0, sizeof *v);
	v->sort = l->sort;
	v->query = l->query;
	v->hide_replacements = cfg->hide_replacements;
	switch (l->kind) {
	case VIEW_ALL: v->filter = STORE_VIEW_ALL; break;
	case VIEW_FAVOURITES: v->filter = STORE_VIEW_FAVOURITES; break;
	case VIEW_UNREAD: v->filter = STORE_VIEW_UNREAD; break;
	case VIEW_HIDDEN:
		v->filter = STORE_VIEW_ALL;
		v->hidden = STORE_HIDDEN_ONLY;
		break;
	case VIEW_WATCHED:
		v->filter = STORE_VIEW_ALL;
		v->watched = true;
		break;
	case VIEW_FOR_YOU:
	case VIEW_SIMILAR:
		v->filter = STORE_VIEW_RANKED;
		v->list = l->kind == VIEW_FOR_YOU ? STORE_LIST_FOR_YOU : STORE_LIST_SIMILAR;
		break;
	case VIEW_HF:
		v->filter = STORE_VIEW_HF_DAY;
		v->day = l->day;
		break;
	case VIEW_SOURCE:
		v->filter = STORE_VIEW_SOURCE;
		v->source = l->source < cfg->n_sources ? cfg->sources[l->source].name : "";
		break;
	case VIEW_REMOTE:
		v->filter = STORE_VIEW_SOURCE;
		v->source = l->remote ? l->remote : "";
		break;
	}
}

void ui_list_view_name(const struct ui_list *l, const struct config *cfg, char *buf, size_t n)
{
	switch (l->kind) {
	case VIEW_ALL: snprintf(buf, n, "All"); break;
	case VIEW_FAVOURITES: snprintf(buf, n, "Favourites"); break;
	case VIEW_UNREAD: snprintf(buf, n, "Unread"); break;
	case VIEW_HIDDEN: snprintf(buf, n, "Hidden"); break;
	case VIEW_FOR_YOU: snprintf(buf, n, "For you"); break;
	case VIEW_WATCHED: snprintf(buf, n, "Watched"); break;
	case VIEW_SIMILAR: snprintf(buf, n, "Like %s", l->like); break;
	case VIEW_HF: snprintf(buf, n, "HF Daily %s", l->day); break;
	case VIEW_SOURCE:
		snprintf(buf, n, "%s",
		         l->source < cfg->n_sources ? cfg->sources[l->source].name : "?");
		break;
	case VIEW_REMOTE: {   /* "search:QUERY" (fetch_search_source) */
		const char *q = l->remote ? strchr(l->remote, ':') : NULL;
		snprintf(buf, n, "arXiv: %s", q ? q + 1 : "");
		break;
	}
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

static int query(struct ui_list *l, struct ui_ctx *c, const struct store_key *anchor, int dir,
                 size_t limit, struct store_rows *out)
{
	struct store_view v;
	struct lerr e = {0};
	ui_list_view(l, c->cfg, &v);
	size_t before = out->n;
	c->n_windows++;
	if (store_window(c->store, &v, anchor, dir, limit, out, &e) < 0) {
		ui_msg(c, true, "%s", e.msg);
		l->error = true;
		return -1;
	}
	clean_rows(out, before);
	snprintf(l->narrowed, sizeof l->narrowed, "%s", store_narrowed(c->store));
	return 0;
}

static void reset(struct ui_list *l, struct store_rows *rows)
{
	store_rows_clear(&l->rows);
	rows_move(&l->rows, rows);
	l->error = false;
}

int ui_list_load_start(struct ui_list *l, struct ui_ctx *c)
{
	struct store_rows r = {0};
	size_t lim = chunk(l);
	if (query(l, c, NULL, 1, lim, &r) < 0) {
		store_rows_clear(&r);
		return -1;
	}
	reset(l, &r);
	l->at_start = true;
	l->at_end = l->rows.n < lim;
	l->offset = 0;
	l->sel = l->top = 0;
	l->count = -1;
	l->bound = (struct store_bound){0};
	l->n_hidden = store_count_hidden(c->store, NULL);
	if (l->at_end) {
		l->count = (int64_t)l->rows.n;
		l->count_exact = true;
	}
	return 0;
}

int ui_list_load_end(struct ui_list *l, struct ui_ctx *c)
{
	struct store_rows r = {0};
	size_t lim = chunk(l);
	if (query(l, c, NULL, -1, lim, &r) < 0) {
		store_rows_clear(&r);
		return -1;
	}
	reset(l, &r);
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
	ui_list_scroll_to_sel(l, c);
	return 0;
}

int ui_list_reload_around(struct ui_list *l, struct ui_ctx *c, const char *id)
{
	if (!id || l->rows.n == 0)
		return ui_list_load_start(l, c);
	struct store_key key = l->rows.v[l->sel].key;
	return ui_list_reload_at(l, c, &key, id);
}

int ui_list_reload_at(struct ui_list *l, struct ui_ctx *c, const struct store_key *keyp,
                      const char *id)
{
	size_t old_sel = l->sel, old_top = l->top;
	size_t lim = chunk(l);
	struct store_key key = *keyp;
	int64_t count = l->count;
	bool exact = l->count_exact;

	/* rows before the old selection's key, then from the last of those onwards, which includes
	 * the selected paper itself when it is still in the view */
	struct store_rows r = {0};
	if (query(l, c, &key, -1, lim, &r) < 0) {
		store_rows_clear(&r);
		return -1;
	}
	bool at_start = r.n < lim;
	size_t nbefore = r.n;
	int rc;
	if (r.n)
		rc = query(l, c, &r.v[r.n - 1].key, 1, lim * 2, &r);
	else
		rc = query(l, c, NULL, 1, lim * 2, &r);
	if (rc < 0) {
		store_rows_clear(&r);
		return -1;
	}
	bool at_end = r.n - nbefore < lim * 2;
	reset(l, &r);
	l->at_start = at_start;
	l->at_end = at_end;
	l->offset = at_start ? 0 : -1;
	l->count = count;
	l->count_exact = exact;
	if (count >= 0)
		l->count = -1;   /* papers came or went: count again lazily */
	l->n_hidden = store_count_hidden(c->store, NULL);
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
	ui_list_scroll_to_sel(l, c);
	return 0;
}

enum store_sort ui_list_default_sort(enum ui_view_kind kind)
{
	return kind == VIEW_HF ? STORE_SORT_UPVOTES : STORE_SORT_DATE;
}

int ui_list_search(struct ui_list *l, struct ui_ctx *c, const char *text)
{
	char *old = l->qtext ? xstrdup(l->qtext) : NULL;
	enum store_sort old_sort = l->sort;
	ui_list_set_query(l, text);
	/* a new search ranks by relevance (s still cycles); without one the view's order is back */
	if (!old && l->query)
		l->sort = STORE_SORT_RELEVANCE;
	else if (!l->query && l->sort == STORE_SORT_RELEVANCE)
		l->sort = ui_list_default_sort(l->kind);
	int rc = ui_list_load_start(l, c);
	if (rc < 0) {
		/* keep showing the last results that worked; the message says what is wrong */
		ui_list_set_query(l, old);
		l->sort = old_sort;
		l->error = false;
	}
	free(old);
	return rc;
}

void ui_list_mark(const struct ui_list *l, struct ui_list_mark *m)
{
	m->kind = l->kind;
	m->source = l->source;
	memcpy(m->day, l->day, sizeof m->day);
	m->sort = l->sort;
	free(m->qtext);
	m->qtext = xstrdup(l->qtext);
	free(m->sel_id);
	const struct store_row *r = ui_list_selected(l);
	m->sel_id = r ? xstrdup(r->id) : NULL;
	if (r)
		m->sel_key = r->key;
	m->sel_line = l->sel >= l->top ? l->sel - l->top : 0;
}

void ui_list_restore(struct ui_list *l, struct ui_ctx *c, const struct ui_list_mark *m)
{
	l->kind = m->kind;
	l->source = m->source;
	memcpy(l->day, m->day, sizeof m->day);
	l->sort = m->sort;
	ui_list_set_query(l, m->qtext);
	if (!l->query && l->sort == STORE_SORT_RELEVANCE)   /* the search it ranked was dropped */
		l->sort = ui_list_default_sort(l->kind);
	if (m->sel_id) {
		l->sel = m->sel_line;   /* reload_at keeps the selection on this screen line */
		l->top = 0;
		if (ui_list_reload_at(l, c, &m->sel_key, m->sel_id) == 0)
			return;
	}
	ui_list_load_start(l, c);
}

void ui_list_mark_free(struct ui_list_mark *m)
{
	xfree(&m->qtext);
	xfree(&m->sel_id);
}

/* Appends rows after the window; false when there are no more. */
static bool extend_after(struct ui_list *l, struct ui_ctx *c)
{
	if (l->at_end)
		return false;
	size_t lim = chunk(l), before = l->rows.n;
	const struct store_key *anchor = l->rows.n ? &l->rows.v[l->rows.n - 1].key : NULL;
	struct store_key k;
	if (anchor)
		k = *anchor;
	if (query(l, c, anchor ? &k : NULL, 1, lim, &l->rows) < 0)
		return false;
	if (l->rows.n - before < lim)
		l->at_end = true;
	return l->rows.n > before;
}

static bool extend_before(struct ui_list *l, struct ui_ctx *c)
{
	if (l->at_start || l->rows.n == 0)
		return false;
	size_t lim = chunk(l);
	struct store_rows r = {0};
	struct store_key k = l->rows.v[0].key;
	if (query(l, c, &k, -1, lim, &r) < 0) {
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
static void trim(struct ui_list *l)
{
	size_t c = chunk(l), h = (size_t)(l->r.h > 0 ? l->r.h : 1);
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

void ui_list_scroll_to_sel(struct ui_list *l, struct ui_ctx *c)
{
	size_t h = (size_t)(l->r.h > 0 ? l->r.h : 1);
	if (l->sel < l->top)
		l->top = l->sel;
	if (l->sel >= l->top + h)
		l->top = l->sel - h + 1;
	/* fill the screen: no empty lines at the bottom while rows exist above */
	while (l->top + h > l->rows.n && !l->at_end && extend_after(l, c))
		;
	if (l->top + h > l->rows.n && l->top > 0) {
		size_t want = l->rows.n > h ? l->rows.n - h : 0;
		if (want < l->top)
			l->top = want;
	}
	trim(l);
}

void ui_list_move(struct ui_list *l, struct ui_ctx *c, long delta)
{
	if (l->rows.n == 0)
		return;
	if (delta > 0) {
		size_t want = l->sel + (size_t)delta;
		while (want >= l->rows.n && extend_after(l, c))
			;
		l->sel = want < l->rows.n ? want : l->rows.n - 1;
	} else if (delta < 0) {
		size_t back = (size_t)-delta;
		while (back > l->sel && extend_before(l, c))
			;
		l->sel = back > l->sel ? 0 : l->sel - back;
	}
	ui_list_scroll_to_sel(l, c);
}

const struct store_row *ui_list_selected(const struct ui_list *l)
{
	return l->sel < l->rows.n ? &l->rows.v[l->sel] : NULL;
}

void ui_list_count(struct ui_list *l, struct ui_ctx *c, bool exact)
{
	if (l->count >= 0 && (l->count_exact || !exact))
		return;
	struct store_view v;
	ui_list_view(l, c->cfg, &v);
	struct lerr e = {0};
	int64_t cap = exact ? INT64_MAX : COUNT_CAP + 1;
	c->n_counts++;
	/* A ranked search scores a bounded set: count every match once, to say so. Its rows are
	 * those candidates, so store_bound's count is the list's (not counted a second time). */
	struct store_bound b;
	if (store_bound(c->store, &v, INT64_MAX, &b, &e) < 0) {
		if (store_interrupted(&e))
			return;   /* a key came (store_set_interrupt): counted again at the next pause */
		b = (struct store_bound){0};
	}
	l->bound = b;
	int64_t n = l->bound.ranked ? l->bound.candidates : store_count(c->store, &v, cap, &e);
	if (n < 0)
		return;
	l->count_exact = n < cap;
	l->count = n > COUNT_CAP && !l->count_exact ? COUNT_CAP : n;
	if (l->count_exact && l->offset < 0 && l->at_end)
		l->offset = n - (int64_t)l->rows.n;
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
static const char *hf_empty(const struct ui_list *l, const struct ui_fetch *f, char *buf, size_t n)
{
	const char *day = l->day;
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
	switch (ui_fetch_day_state(f, day)) {
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
		if (!f->fetcher)
			snprintf(buf, n, "No Daily Papers cached for %s%s; fetching is off in this session — { } jump to cached days",
			         day, weekend);
		else
			snprintf(buf, n, "No Daily Papers cached for %s — r fetches it, { } jump to cached days", day);
		break;
	}
	return buf;
}

/* The last fetch failed: say why in the list, where the user looks (the status line is cut at
 * the terminal's width and replaced by the next message). */
static const char *fetch_failed(const struct ui_list *l, const struct ui_fetch_state *f, char *buf,
                                size_t n)
{
	struct ui_rect r = l->r;
	if (f->n_failed > 1) {
		/* every failure when they fit the pane, else the first and where the others are */
		snprintf(buf, n, "Nothing fetched: %d sources failed: %s — R retries", f->n_failed,
		         f->all_errors);
		struct text_line *ls;
		size_t nl = text_wrap(buf, r.w > 4 ? r.w - 2 : r.w, 0, &ls);
		free(ls);
		if (nl > (size_t)r.h)
			snprintf(buf, n, "Nothing fetched: %s (and %d more source%s failed — M "
			         "lists them) — R retries", f->first_error, f->n_failed - 1,
			         f->n_failed == 2 ? "" : "s");
	} else {
		snprintf(buf, n, "Nothing fetched: %s — R retries", f->first_error);
	}
	return buf;
}

/* What an empty list says, and what to do about it. */
static const char *empty_text(const struct ui_list *l, const struct ui_fetch *f, char *buf,
                              size_t n)
{
	if (l->error)
		return "The search could not run (see the status line)";
	if (l->qtext)
		return "No matches — Esc restores the previous view";
	if (l->kind == VIEW_HF)
		return hf_empty(l, f, buf, n);
	if (l->kind == VIEW_HIDDEN)
		return "No hidden papers — x hides a paper you are not interested in";
	if (l->kind == VIEW_WATCHED)
		return "Nothing watched — lectern watch author|word|cat VALUE (or watch lines in the config)";
	if (l->kind == VIEW_FOR_YOU || l->kind == VIEW_SIMILAR)
		return l->rank_note[0] ? l->rank_note : "Ranking…";
	if (f->st.busy)
		return "Fetching… (progress in the status line)";
	if (f->st.n_failed && !f->st.n_new)
		return fetch_failed(l, &f->st, buf, n);
	if (l->kind == VIEW_ALL)
		return "No papers yet — press R to fetch";
	if (l->kind == VIEW_FAVOURITES)
		return "No favourites yet — press f on a paper";
	return "Nothing here — r fetches this source";
}

/* m wrapped, each line centred, a third of the way down. */
static void draw_empty(struct ui_list *l, struct ui_ctx *c, const char *m)
{
	struct ui_rect r = l->r;
	struct text_line *ls;
	size_t nl = text_wrap(m, r.w > 4 ? r.w - 2 : r.w, 0, &ls);
	/* raised as far as the text needs (lines piled on the last row would overwrite each other) */
	int top = r.h / 3;
	if ((size_t)(r.h - top) < nl)
		top = (size_t)r.h > nl ? r.h - (int)nl : 0;
	for (size_t i = 0; i < nl && (int)i < r.h; i++) {
		size_t len = ls[i].end - ls[i].start;
		int w = text_width(m + ls[i].start, len);
		int x = r.w > w ? (r.w - w) / 2 : 0;
		int y = top + (int)i;
		ui_put(c, r.y + y, r.x + x, r.w - x, m + ls[i].start, len, EL_LIST);
	}
	free(ls);
}

/* An author column narrower than this says too little: it goes instead. */
#define AUTHOR_MIN 10

/* Column widths of the rows, from the pane's width. */
struct row_cols {
	bool votes;
	int author_w;             /* 0: no author column */
};

/* Draws s in w columns at (y, x), cut with "…" when it does not fit; right-aligned when asked. */
static void put_cut(struct ui_ctx *c, int y, int x, int w, const char *s, bool right,
                    enum ui_elem el)
{
	int used;
	size_t n = strlen(s);
	size_t fit = text_fit(s, n, w, &used);
	if (fit < n && w > 1) {
		fit = text_fit(s, n, w - 1, &used);
		ui_put(c, y, x, w, s, fit, el);
		ui_puts(c, y, x + used, 1, "…", el);
	} else {
		ui_put(c, y, right ? x + (w - used) : x, right ? used : w, s, fit, el);
	}
}

static void draw_row(struct ui_list *l, struct ui_ctx *c, size_t i, int y, struct row_cols k)
{
	struct ui_rect r = l->r;
	const struct store_row *row = &l->rows.v[i];
	bool cur = i == l->sel;
	enum ui_elem base = cur ? EL_CURSOR : (row->read ? EL_LIST : EL_UNREAD);
	int x = r.x, end = r.x + r.w;
	ui_fill(c, y, r.x, r.w, base);
	x += ui_puts(c, y, x, end - x, row->favourite ? "★" : " ", cur ? base : EL_FAVOURITE);
	x += ui_puts(c, y, x, end - x, row->has_note ? "✎" : " ", cur ? base : EL_FAVOURITE);
	/* one mark slot: a watch (lectern watch; W lists them), else the PDF on disk (d) */
	char key[80];
	pdf_key(row->id, row->version, key, sizeof key);
	const char *mark = row->watched ? "◆" : pdf_index_has(&l->pdfs, key) ? "⇩" : " ";
	x += ui_puts(c, y, x, end - x, mark, cur ? base : EL_FAVOURITE);
	char date[16] = "          ";
	/* published, else the earliest listing day, else first seen (the store's choice) */
	int64_t when = row->date ? row->date : row->published;
	if (when)
		util_fmt_date(when, date, sizeof date);
	x += ui_puts(c, y, x, end - x, date, cur ? base : EL_DATE);
	x += ui_puts(c, y, x, end - x, " ", base);
	if (k.votes) {
		char v[16] = "     ";
		if (row->upvotes >= 0)
			snprintf(v, sizeof v, "▲%-4lld", (long long)(row->upvotes > 9999 ? 9999 : row->upvotes));
		x += ui_puts(c, y, x, end - x, v, cur ? base : EL_UPVOTES);
		x += ui_puts(c, y, x, end - x, " ", base);
	}
	if (row->withdrawn)    /* arXiv withdrew it: never shown as if current */
		x += ui_puts(c, y, x, end - x, "withdrawn ", cur ? base : EL_DATE);
	if (row->replaced) {   /* arXiv announced a new version of an older paper: say which */
		char ver[16];
		snprintf(ver, sizeof ver, row->version > 0 ? "v%d " : "v? ", row->version);
		x += ui_puts(c, y, x, end - x, ver, cur ? base : EL_DATE);
	}
	/* the title gets the room first: the author column shrinks, then goes, before it is cut */
	const char *title = row->title ? row->title : row->id;
	char au[256];
	author_text(row, au, sizeof au);
	int aw = 0;
	if (*au && k.author_w) {
		int want = text_width(au, strlen(au));
		int spare = end - x - text_width(title, strlen(title)) - 1;
		if (want > k.author_w)
			want = k.author_w;
		aw = spare >= want ? want : spare >= AUTHOR_MIN ? spare : 0;
	}
	int title_w = end - x - (aw ? aw + 1 : 0);
	if (title_w < 1)
		title_w = 1;
	put_cut(c, y, x, title_w, title, false, base);
	if (aw)
		put_cut(c, y, end - aw, aw, au, true, cur ? base : EL_AUTHOR);
}

void ui_list_draw(struct ui_list *l, struct ui_ctx *c, const struct ui_fetch *f)
{
	struct ui_rect r = l->r;
	for (int y = 0; y < r.h; y++)
		ui_fill(c, r.y + y, r.x, r.w, EL_LIST);
	if (l->rows.n == 0) {
		char buf[2400];        /* room for every failure of a batch (ui_fetch_state.all_errors) */
		draw_empty(l, c, empty_text(l, f, buf, sizeof buf));
		return;
	}
	/* which rows have their PDF on disk: the directory is read again only when it changed */
	char *dir = pdf_dir(c->cfg);
	pdf_index_refresh(&l->pdfs, dir);
	free(dir);
	/* the author column at most: each row gives its title the room first (draw_row) */
	struct row_cols k = {.votes = r.w >= 60, .author_w = r.w >= 50 ? (r.w >= 140 ? 28 : r.w / 5) : 0};
	for (int y = 0; y < r.h && l->top + (size_t)y < l->rows.n; y++)
		draw_row(l, c, l->top + (size_t)y, r.y + y, k);
}

bool ui_list_click(struct ui_list *l, int y)
{
	if (y < l->r.y || y >= l->r.y + l->r.h)
		return false;
	size_t i = l->top + (size_t)(y - l->r.y);
	if (i >= l->rows.n)
		return false;
	l->sel = i;
	return true;
}
