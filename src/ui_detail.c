/* ui_detail — the detail pane: the selected paper in full, its LaTeX rendered, wrapped to the
 * pane width, with numbered links. Lines are built once per (paper, width). */
#include "lectern/ui.h"

#include <stdlib.h>
#include <string.h>

#include "lectern/latex.h"
#include "lectern/paper_fields.h"
#include "lectern/text.h"

static void lines_clear(struct ui_detail *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->lines[i].text);
	d->n = 0;
	for (int i = 0; i < d->n_links; i++)
		xfree(&d->links[i]);
	d->n_links = 0;
}

void ui_detail_free(struct ui_detail *d)
{
	lines_clear(d);
	xfree(&d->lines);
	d->cap = 0;
	xfree(&d->id);
	xfree(&d->why);
	if (d->loaded)
		paper_clear(&d->p);
	d->loaded = false;
}

static void push(struct ui_detail *d, const char *s, size_t n, enum ui_elem el, size_t label,
                 bool bold, bool italic)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 64;
		d->lines = xreallocarray(d->lines, d->cap, sizeof *d->lines);
	}
	struct ui_dline *l = &d->lines[d->n++];
	l->text = xstrndup(s, n);
	l->el = el;
	l->label_len = label;
	l->bold = bold;
	l->italic = italic;
}

/* Wraps text (already clean) into lines; `label` bytes at its start are drawn as a label. */
static void add_wrapped(struct ui_detail *d, const char *text, enum ui_elem el, size_t label)
{
	struct text_line *ls;
	size_t n = text_wrap(text, d->width, 0, &ls);
	bool bold = false, italic = false;
	for (size_t i = 0; i < n; i++) {
		size_t lab = label > ls[i].start ? label - ls[i].start : 0;
		if (lab > ls[i].end - ls[i].start)
			lab = ls[i].end - ls[i].start;
		push(d, text + ls[i].start, ls[i].end - ls[i].start, el, lab, bold, italic);
		for (size_t k = ls[i].start; k < ls[i].end; k++) {
			if (text[k] == LATEX_BOLD_ON) bold = true;
			else if (text[k] == LATEX_BOLD_OFF) bold = false;
			else if (text[k] == LATEX_ITALIC_ON) italic = true;
			else if (text[k] == LATEX_ITALIC_OFF) italic = false;
		}
	}
	free(ls);
}

static char *cleaned(const char *s, int flags)
{
	return text_clean(s, strlen(s), flags);
}

/* "Label: value" with the value cleaned (and its LaTeX rendered when latex). */
static void field(struct ui_detail *d, const char *label, const char *value, int flags, bool latex)
{
	if (!value || !*value)
		return;
	char *v = cleaned(value, flags);
	if (latex) {
		char *r = latex_render(v, 0);
		free(v);
		v = r;
	}
	char *line = xasprintf("%s: %s", label, v);
	add_wrapped(d, line, EL_TEXT, strlen(label) + 1);
	free(line);
	free(v);
}

static void blank(struct ui_detail *d)
{
	push(d, "", 0, EL_TEXT, 0, false, false);
}

static void section(struct ui_detail *d, const char *title, const char *body, int flags,
                    bool latex, enum ui_elem el)
{
	if (!body || !*body)
		return;
	blank(d);
	push(d, title, strlen(title), EL_LABEL, strlen(title), false, false);
	char *c = cleaned(body, flags);
	if (latex) {
		char *r = latex_render(c, 0);
		free(c);
		c = r;
	}
	add_wrapped(d, c, el, 0);
	free(c);
}

/* paper_links(), numbered [1]..[9] (the keys that open them); the links past the ninth are
 * listed without a number, after a line that says so. */
static void links(struct ui_detail *d, const struct paper *p)
{
	size_t n;
	struct paper_link *ls = paper_links(p, &n);
	size_t keys = sizeof d->links / sizeof d->links[0];
	for (size_t i = 0; i < n; i++) {
		char *line;
		if (i < keys) {
			d->links[d->n_links++] = xstrdup(ls[i].url);
			line = xasprintf("[%zu] %-8s %s", i + 1, ls[i].brief, ls[i].url);
		} else {
			if (i == keys) {
				char *id = cleaned(p->id ? p->id : "", TEXT_COLLAPSE);
				char *more = xasprintf("and %zu more link%s without a key (lectern show %s):",
				                       n - i, n - i > 1 ? "s" : "", id);
				add_wrapped(d, more, EL_TEXT, 0);
				free(more);
				free(id);
			}
			line = xasprintf("    %-8s %s", ls[i].brief, ls[i].url);
		}
		add_wrapped(d, line, EL_LINK, 0);
		free(line);
	}
	free(ls);
	if (n == 0)
		push(d, "(none)", 6, EL_TEXT, 0, false, false);
}

static size_t wrapped_lines(const char *s, int width)
{
	struct text_line *ls;
	size_t n = text_wrap(s, width, 0, &ls);
	free(ls);
	return n;
}

/* The authors, at most AUTHOR_LINES lines unless expanded (A): as many as fit, then "… and N
 * more". With the list cut, the distinct affiliations get a line of their own (also capped), so
 * where the work comes from stays visible. */
enum { AUTHOR_LINES = 3 };
static void authors(struct ui_detail *d, const struct paper *p, const char *label)
{
	if (!p->n_authors)
		return;
	struct sbuf b = {0};
	sbuf_printf(&b, "%s: ", label);
	paper_author_list(&b, p, p->n_authors);
	if (d->authors_all || wrapped_lines(b.s, d->width) <= AUTHOR_LINES) {
		add_wrapped(d, b.s, EL_TEXT, strlen(label) + 1);
		sbuf_free(&b);
		d->authors_cut = false;
		return;
	}
	/* the most authors that fit with the "and N more" suffix */
	size_t k = 1;
	for (size_t t = 2; t < p->n_authors; t++) {
		sbuf_reset(&b);
		sbuf_printf(&b, "%s: ", label);
		paper_author_list(&b, p, t);
		sbuf_printf(&b, ", … and %zu more (A shows all)", p->n_authors - t);
		if (wrapped_lines(b.s, d->width) > AUTHOR_LINES)
			break;
		k = t;
	}
	sbuf_reset(&b);
	sbuf_printf(&b, "%s: ", label);
	paper_author_list(&b, p, k);
	sbuf_printf(&b, ", … and %zu more (A shows all)", p->n_authors - k);
	add_wrapped(d, b.s, EL_TEXT, strlen(label) + 1);
	d->authors_cut = true;

	/* distinct affiliations of all the authors, in order of appearance */
	sbuf_reset(&b);
	size_t n_aff = 0, shown = 0;
	for (size_t i = 0; i < p->n_authors; i++) {
		const char *a = p->authors[i].affiliation;
		if (!a || !*a)
			continue;
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen = p->authors[j].affiliation && strcmp(p->authors[j].affiliation, a) == 0;
		if (seen)
			continue;
		n_aff++;
		size_t before = b.len;
		if (b.len)
			sbuf_adds(&b, "; ");
		sbuf_adds(&b, a);
		/* room kept for the count of those left out */
		char *line = xasprintf("Affiliations: %s (and 999 more)", b.s);
		bool fits = wrapped_lines(line, d->width) <= 2;
		free(line);
		if (!fits && shown) {
			b.len = before;
			b.s[before] = '\0';
			continue;
		}
		if (fits)
			shown++;
	}
	if (n_aff) {
		if (n_aff > shown)
			sbuf_printf(&b, " (and %zu more)", n_aff - shown);
		field(d, n_aff > 1 ? "Affiliations" : "Affiliation", b.s, TEXT_COLLAPSE, false);
	}
	sbuf_free(&b);
}

/* One row of the field table (paper_fields.h), as the pane shows it. */
static void add_field(struct ui_detail *d, const struct paper_field *f, const struct paper *p)
{
	const struct paper_field_view *v = &f->view[PAPER_OUT_DETAIL];
	const char *label;
	char *text = paper_field_text(f, p, PAPER_OUT_DETAIL, &label);
	if (f->id == PF_AUTHORS)
		authors(d, p, label);   /* cut to fit the pane */
	else if (v->kind == PAPER_FIELD_SECTION)
		section(d, label, text, v->clean, v->latex,
		        f->id == PF_AI_SUMMARY ? EL_SUMMARY : EL_TEXT);
	else
		field(d, label, text, v->clean, v->latex);
	free(text);
}

static void build(struct ui_detail *d)
{
	const struct paper *p = &d->p;
	lines_clear(d);
	if (!d->loaded) {
		if (d->err[0])
			add_wrapped(d, d->err, EL_TEXT, 0);
		return;
	}
	char *t = cleaned(p->title ? p->title : p->id, TEXT_COLLAPSE);
	char *tr = latex_render(t, 0);
	add_wrapped(d, tr, EL_TITLE, 0);
	free(tr);
	free(t);
	blank(d);
	if (d->why && *d->why) {   /* why the ranked view put it there, first */
		field(d, "Why", d->why, TEXT_COLLAPSE, true);
		blank(d);
	}

	size_t nf;
	const struct paper_field *const *fs = paper_fields(PAPER_OUT_DETAIL, &nf);
	for (size_t i = 0; i < nf; i++)
		add_field(d, fs[i], p);

	blank(d);
	push(d, "Links", 5, EL_LABEL, 5, false, false);
	links(d, p);
}

void ui_detail_show(struct ui_detail *d, struct ui_ctx *c, const char *id, bool force)
{
	int width = d->r.w > 2 ? d->r.w - 2 : 1;
	bool same = id && d->id && strcmp(id, d->id) == 0;
	if (!id) {
		ui_detail_free(d);
		return;
	}
	if (!same || force) {
		if (d->loaded)
			paper_clear(&d->p);
		d->loaded = false;
		d->err[0] = '\0';
		paper_init(&d->p);
		struct lerr e = {0};
		if (store_get(c->store, id, &d->p, &e) == 0)
			d->loaded = true;
		else
			snprintf(d->err, sizeof d->err, "Cannot show %s: %s", id, e.msg);
		xfree(&d->why);
		if (d->loaded && d->why_list >= 0)
			store_rank_why(c->store, id, d->why_list, &d->why, NULL);
		if (!same) {
			free(d->id);
			d->id = xstrdup(id);
			d->scroll = 0;
			d->authors_all = false;
		}
		d->width = 0;
	}
	if (d->width != width) {
		d->width = width;
		build(d);
	}
}

static size_t max_scroll(const struct ui_detail *d)
{
	size_t h = (size_t)(d->r.h > 0 ? d->r.h : 1);
	return d->n > h ? d->n - h : 0;
}

void ui_detail_scroll(struct ui_detail *d, long delta)
{
	long s = (long)d->scroll + delta;
	if (s < 0)
		s = 0;
	if ((size_t)s > max_scroll(d))
		s = (long)max_scroll(d);
	d->scroll = (size_t)s;
}

bool ui_detail_at_end(const struct ui_detail *d)
{
	return d->scroll >= max_scroll(d);
}

void ui_detail_toggle_authors(struct ui_detail *d, struct ui_ctx *c)
{
	if (!d->loaded || (!d->authors_cut && !d->authors_all)) {
		ui_msg(c, false, "All the authors are shown");
		return;
	}
	d->authors_all = !d->authors_all;
	d->width = 0;   /* rebuilt at the next show */
	ui_detail_show(d, c, d->id, false);
}

void ui_detail_scroll_end(struct ui_detail *d)
{
	d->scroll = max_scroll(d);
}

void ui_detail_draw(struct ui_detail *d, struct ui_ctx *c)
{
	struct ui_rect r = d->r;
	for (int y = 0; y < r.h; y++)
		ui_fill(c, r.y + y, r.x, r.w, EL_TEXT);
	if (!d->id) {
		ui_puts(c, r.y, r.x + 1, r.w - 1, "No paper selected", EL_TEXT);
		return;
	}
	if (d->scroll > max_scroll(d))
		d->scroll = max_scroll(d);
	for (int y = 0; y < r.h; y++) {
		size_t i = d->scroll + (size_t)y;
		if (i >= d->n)
			break;
		const struct ui_dline *l = &d->lines[i];
		int x = r.x + 1, w = r.w - 1;
		/* a style carried over from the previous line is re-opened */
		char pre[3] = {0};
		int np = 0;
		if (l->bold)
			pre[np++] = LATEX_BOLD_ON;
		if (l->italic)
			pre[np++] = LATEX_ITALIC_ON;
		size_t len = strlen(l->text);
		int used = 0;
		if (l->label_len) {
			used = ui_put(c, r.y + y, x, w, l->text, l->label_len, EL_LABEL);
		}
		struct sbuf b = {0};
		sbuf_add(&b, pre, (size_t)np);
		sbuf_add(&b, l->text + l->label_len, len - l->label_len);
		if (b.s)
			ui_put(c, r.y + y, x + used, w - used, b.s, b.len, l->el);
		sbuf_free(&b);
	}
	if (max_scroll(d) > 0 && r.w > 4) {
		char pct[16];
		snprintf(pct, sizeof pct, "%3d%%", (int)(100 * (d->scroll + (size_t)r.h) / (d->n ? d->n : 1)));
		if (d->scroll + (size_t)r.h >= d->n)
			snprintf(pct, sizeof pct, " end");
		ui_puts(c, r.y + r.h - 1, r.x + r.w - 4, 4, pct, EL_BORDER);
	}
}
