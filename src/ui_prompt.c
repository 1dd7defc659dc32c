/* ui_prompt — one-line prompts in the status line: edit the selected paper's note (n) or tags
 * (t), go to a Daily Papers day (D). The line editor and the parsing of what is typed are curses-free (ui_prompt.h). */
#include "lectern/ui_prompt.h"

#include "lectern/paper.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lectern/text.h"
#include "lectern/ui.h"

/* ---- the line editor ----------------------------------------------------------------------- */

void ui_edit_set(struct ui_edit *ed, const char *s)
{
	sbuf_reset(&ed->text);
	sbuf_adds(&ed->text, s ? s : "");
	if (!ed->text.s)
		sbuf_add(&ed->text, "", 0);
	ed->cur = ed->text.len;
}

void ui_edit_free(struct ui_edit *ed)
{
	sbuf_free(&ed->text);
	ed->cur = 0;
}

static size_t prev_char(const struct ui_edit *ed, size_t i)
{
	if (i == 0)
		return 0;
	i--;
	while (i > 0 && ((unsigned char)ed->text.s[i] & 0xC0) == 0x80)
		i--;
	return i;
}

static size_t next_char(const struct ui_edit *ed, size_t i)
{
	if (i >= ed->text.len)
		return ed->text.len;
	i++;
	while (i < ed->text.len && ((unsigned char)ed->text.s[i] & 0xC0) == 0x80)
		i++;
	return i;
}

/* Removes bytes [a, b) and leaves the cursor at a. */
static void cut(struct ui_edit *ed, size_t a, size_t b)
{
	if (b <= a)
		return;
	memmove(ed->text.s + a, ed->text.s + b, ed->text.len - b + 1);
	ed->text.len -= b - a;
	ed->cur = a;
}

bool ui_edit_key(struct ui_edit *ed, int key)
{
	if (!ed->text.s)
		ui_edit_set(ed, "");
	if (ed->cur > ed->text.len)
		ed->cur = ed->text.len;
	switch (key) {
	case 127: case 8: case UI_KEY_SPECIAL + KEY_BACKSPACE:
		cut(ed, prev_char(ed, ed->cur), ed->cur);
		return true;
	case 4: case UI_KEY_SPECIAL + KEY_DC:
		cut(ed, ed->cur, next_char(ed, ed->cur));
		return true;
	case 2: case UI_KEY_SPECIAL + KEY_LEFT:
		ed->cur = prev_char(ed, ed->cur);
		return true;
	case 6: case UI_KEY_SPECIAL + KEY_RIGHT:
		ed->cur = next_char(ed, ed->cur);
		return true;
	case 1: case UI_KEY_SPECIAL + KEY_HOME:
		ed->cur = 0;
		return true;
	case 5: case UI_KEY_SPECIAL + KEY_END:
		ed->cur = ed->text.len;
		return true;
	case 21:
		cut(ed, 0, ed->text.len);
		return true;
	case 11:
		cut(ed, ed->cur, ed->text.len);
		return true;
	case 23: {
		size_t i = ed->cur;
		while (i > 0 && ed->text.s[i - 1] == ' ')
			i--;
		while (i > 0 && ed->text.s[i - 1] != ' ')
			i--;
		cut(ed, i, ed->cur);
		return true;
	}
	default: break;
	}
	if (key >= 0x20 && key < UI_KEY_SPECIAL && key != 0x7f && !text_cp_bad((unsigned)key)) {
		char enc[4];
		size_t k = text_utf8_encode((unsigned)key, enc);
		/* insert at the cursor: append, then rotate the tail */
		size_t at = ed->cur;
		sbuf_add(&ed->text, enc, k);
		memmove(ed->text.s + at + k, ed->text.s + at, ed->text.len - k - at);
		memcpy(ed->text.s + at, enc, k);
		ed->cur = at + k;
		return true;
	}
	return false;
}

/* ---- parsing ------------------------------------------------------------------------------- */

/* Hugging Face Daily Papers began in May 2023: an earlier day can only be empty, and asking the
 * server for year 0 or 1752 is a wasted request (it answers 400 for some). */
static int check_first_day(const char *day, struct lerr *e)
{
	static const char first[] = "2023-05-01";
	if (strcmp(day, first) < 0) {
		lerr_set(e, LERR_USAGE, 0, "%s is before Daily Papers began (%s)", day, first);
		return -1;
	}
	return 0;
}

int ui_parse_day(const char *s, const char *today, char *out, size_t n, struct lerr *e)
{
	static const char accepted[] = "not a day: YYYY-MM-DD, today, yesterday or -N (days ago)";
	while (*s == ' ')
		s++;
	size_t len = strlen(s);
	while (len && s[len - 1] == ' ')
		len--;
	char w[32];
	if (len == 0 || len >= sizeof w) {
		lerr_set(e, LERR_USAGE, 0, "%s", accepted);
		return -1;
	}
	memcpy(w, s, len);
	w[len] = '\0';
	long back = -1;
	if (strcasecmp(w, "today") == 0) {
		back = 0;
	} else if (strcasecmp(w, "yesterday") == 0) {
		back = 1;
	} else if (w[0] == '-' && len > 1 && strspn(w + 1, "0123456789") == len - 1 && len <= 7) {
		back = strtol(w + 1, NULL, 10);
	} else if (util_valid_date(w)) {
		if (strcmp(w, today) > 0) {
			lerr_set(e, LERR_USAGE, 0, "%s is after today (%s)", w, today);
			return -1;
		}
		snprintf(out, n, "%s", w);
		return check_first_day(out, e);
	} else {
		lerr_set(e, LERR_USAGE, 0, "%s", accepted);
		return -1;
	}
	int64_t t;
	if (util_parse_time(today, &t) < 0) {
		lerr_set(e, LERR_USAGE, 0, "today (%s) is not a date", today);
		return -1;
	}
	util_fmt_date(t - (int64_t)back * 86400, out, n);
	return check_first_day(out, e);
}

/* ---- the prompt ------------------------------------------------------------------------------ */

static const char *prompt_label(enum ui_prompt_kind k)
{
	switch (k) {
	case PROMPT_NOTE: return "Note: ";
	case PROMPT_TAGS: return "Tags: ";
	case PROMPT_DAY: return "Go to day: ";
	case PROMPT_NONE: break;
	}
	return "";
}

void ui_prompt_free(struct ui *u)
{
	struct ui_prompt *p = &u->prompt;
	ui_edit_free(&p->ed);
	xfree(&p->id);
	xfree(&p->orig);
	p->kind = PROMPT_NONE;
}

void ui_prompt_open(struct ui *u, enum ui_prompt_kind kind)
{
	struct ui_prompt *p = &u->prompt;
	const char *init = NULL;
	ui_prompt_free(u);
	if (kind == PROMPT_DAY) {
		ui_msg_clear(u);
		ui_edit_set(&p->ed, NULL);
		p->kind = kind;
		return;
	}
	const struct store_row *r = ui_list_selected(u);
	if (!r) {
		ui_msg(u, true, "No paper selected");
		return;
	}
	ui_detail_show(u, r->id, false);
	if (!u->detail.loaded) {
		ui_msg(u, true, "%s", u->detail.err[0] ? u->detail.err : "Cannot load the paper");
		return;
	}
	p->id = xstrdup(r->id);
	init = kind == PROMPT_NOTE ? u->detail.p.note : u->detail.p.tags;
	/* a one-line editor: a note imported with line breaks is shown on one line, and is only
	 * rewritten (breaks and all) when the text is actually changed */
	char *one = text_clean(init ? init : "", init ? strlen(init) : 0, TEXT_COLLAPSE);
	p->orig = one;
	if (kind == PROMPT_TAGS && *one) {
		/* ready for the next tag: typing after "ml" must not make "mlnew" */
		char *spaced = xasprintf("%s ", one);
		ui_edit_set(&p->ed, spaced);
		free(spaced);
	} else {
		ui_edit_set(&p->ed, one);
	}
	p->kind = kind;
	ui_hint(u, kind == PROMPT_NOTE
	                 ? "Enter saves the note (empty removes it), Esc cancels"
	                 : "Tags separated by spaces or commas; Enter saves (empty removes), Esc cancels");
}

static void commit(struct ui *u)
{
	struct ui_prompt *p = &u->prompt;
	const char *t = p->ed.text.s ? p->ed.text.s : "";
	struct lerr e = {0};
	char *val = p->kind == PROMPT_TAGS ? paper_normalise_tags(t) : xstrdup(t);
	/* trailing/leading spaces are not part of a note */
	char *v = val;
	while (*v == ' ')
		v++;
	size_t n = strlen(v);
	while (n && v[n - 1] == ' ')
		v[--n] = '\0';
	const char *what = p->kind == PROMPT_NOTE ? "Note" : "Tags";
	if (strcmp(v, p->orig ? p->orig : "") == 0) {
		ui_msg(u, false, "%s unchanged", what);
	} else {
		int rc = p->kind == PROMPT_NOTE ? store_set_note(u->store, p->id, *v ? v : NULL, &e)
		                                : store_set_tags(u->store, p->id, *v ? v : NULL, &e);
		if (rc < 0)
			ui_msg(u, true, "%s not saved: %s", what, e.msg);
		else if (!*v)
			ui_msg(u, false, "%s removed", what);
		else if (p->kind == PROMPT_NOTE)
			ui_msg(u, false, "Note saved");
		else
			ui_msg(u, false, "Tags saved: %s", v);
		if (rc == 0) {
			/* the list's ✎ (and a has:note / tag: view) comes from the rows: re-read them */
			const struct store_row *sel = ui_list_selected(u);
			char *sel_id = sel ? xstrdup(sel->id) : NULL;
			ui_list_reload_around(u, sel_id);
			free(sel_id);
			if (u->detail.id && strcmp(u->detail.id, p->id) == 0)
				ui_detail_show(u, p->id, true);
		}
	}
	free(val);
}

void ui_prompt_key(struct ui *u, int key)
{
	struct ui_prompt *p = &u->prompt;
	if (key == 27) {
		if (p->kind == PROMPT_DAY)
			ui_msg_clear(u);
		else
			ui_msg(u, false, "%s not changed", p->kind == PROMPT_NOTE ? "Note" : "Tags");
		ui_prompt_free(u);
		return;
	}
	if (key == '\r' || key == '\n' || key == UI_KEY_SPECIAL + KEY_ENTER) {
		if (p->kind == PROMPT_DAY) {
			/* a mistyped day keeps the prompt open, the reason beside it */
			char *t = xstrdup(p->ed.text.s ? p->ed.text.s : "");
			ui_prompt_free(u);
			if (!ui_goto_day_text(u, t)) {
				p->kind = PROMPT_DAY;
				ui_edit_set(&p->ed, t);
			}
			free(t);
			return;
		}
		commit(u);
		ui_prompt_free(u);
		return;
	}
	ui_edit_key(&p->ed, key);
}

void ui_prompt_draw(struct ui *u)
{
	struct ui_prompt *p = &u->prompt;
	struct ui_rect s = u->r_status;
	ui_fill(u, s.y, s.x, s.w, EL_PROMPT);
	int x = ui_puts(u, s.y, s.x, s.w, prompt_label(p->kind), EL_PROMPT);
	const char *t = p->ed.text.s ? p->ed.text.s : "";
	size_t cur = p->ed.cur <= p->ed.text.len ? p->ed.cur : p->ed.text.len;
	/* keep the cursor visible: drop characters from the left while the part up to it overflows */
	size_t from = 0;
	while (from < cur && text_width(t + from, cur - from) > s.w - x - 1) {
		unsigned cp;
		from += text_utf8_decode(t + from, cur - from, &cp);
	}
	int cx = x + text_width(t + from, cur - from);
	x += ui_put(u, s.y, s.x + x, s.w - x, t + from, strlen(t + from), EL_PROMPT);
	if (u->msg_error && u->msg[0] && s.w - x > 8) {
		char m[600];
		snprintf(m, sizeof m, "  %s", u->msg);
		ui_puts(u, s.y, s.x + x, s.w - x, m, EL_ERROR);
	} else if (p->kind == PROMPT_DAY && !*t) {
		ui_puts(u, s.y, s.x + x, s.w - x, " (YYYY-MM-DD, today, yesterday or -N days ago)",
		        EL_PROMPT);
	}
	if (!u->headless) {
		move(s.y, s.x + (cx < s.w ? cx : s.w - 1));
		curs_set(1);
	}
}
