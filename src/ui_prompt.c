/* ui_prompt — one-line prompts in the status line: edit the selected paper's note (n) or tags
 * (t), go to a Daily Papers day (D). The parsing of what is typed is curses-free (ui_prompt.h);
 * the text is edited with the one line editor (ui_edit.h). */
#include "lectern/ui_prompt.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lectern/paper.h"
#include "lectern/text.h"
#include "lectern/ui.h"

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

void ui_prompt_free(struct ui_prompt *pr)
{
	ui_edit_free(&pr->ed);
	xfree(&pr->id);
	xfree(&pr->orig);
	pr->kind = PROMPT_NONE;
}

void ui_prompt_reopen(struct ui_prompt *pr, enum ui_prompt_kind kind, const char *text)
{
	ui_prompt_free(pr);
	pr->kind = kind;
	ui_edit_set(&pr->ed, text);
}

void ui_prompt_open(struct ui_prompt *pr, struct ui_ctx *c, enum ui_prompt_kind kind,
                    const char *id, const struct paper *p)
{
	const char *init = NULL;
	ui_prompt_free(pr);
	if (kind == PROMPT_DAY) {
		ui_msg_clear(c);
		ui_edit_set(&pr->ed, NULL);
		pr->kind = kind;
		return;
	}
	pr->id = xstrdup(id);
	init = kind == PROMPT_NOTE ? p->note : p->tags;
	/* a one-line editor: a note imported with line breaks is shown on one line, and is only
	 * rewritten (breaks and all) when the text is actually changed */
	char *one = text_clean(init ? init : "", init ? strlen(init) : 0, TEXT_COLLAPSE);
	pr->orig = one;
	if (kind == PROMPT_TAGS && *one) {
		/* ready for the next tag: typing after "ml" must not make "mlnew" */
		char *spaced = xasprintf("%s ", one);
		ui_edit_set(&pr->ed, spaced);
		free(spaced);
	} else {
		ui_edit_set(&pr->ed, one);
	}
	pr->kind = kind;
	ui_hint(c, kind == PROMPT_NOTE
	                 ? "Enter saves the note (empty removes it), Esc cancels"
	                 : "Tags separated by spaces or commas; Enter saves (empty removes), Esc cancels");
}

/* Writes the note or tags typed; true when the paper changed. */
static bool commit(struct ui_prompt *pr, struct ui_ctx *c)
{
	const char *t = pr->ed.text.s ? pr->ed.text.s : "";
	struct lerr e = {0};
	char *val = pr->kind == PROMPT_TAGS ? paper_normalise_tags(t) : xstrdup(t);
	/* trailing/leading spaces are not part of a note */
	char *v = val;
	while (*v == ' ')
		v++;
	size_t n = strlen(v);
	while (n && v[n - 1] == ' ')
		v[--n] = '\0';
	const char *what = pr->kind == PROMPT_NOTE ? "Note" : "Tags";
	bool saved = false;
	if (strcmp(v, pr->orig ? pr->orig : "") == 0) {
		ui_msg(c, false, "%s unchanged", what);
	} else {
		int rc = pr->kind == PROMPT_NOTE ? store_set_note(c->store, pr->id, *v ? v : NULL, &e)
		                                 : store_set_tags(c->store, pr->id, *v ? v : NULL, &e);
		if (rc < 0)
			ui_msg(c, true, "%s not saved: %s", what, e.msg);
		else if (!*v)
			ui_msg(c, false, "%s removed", what);
		else if (pr->kind == PROMPT_NOTE)
			ui_msg(c, false, "Note saved");
		else
			ui_msg(c, false, "Tags saved: %s", v);
		saved = rc == 0;
	}
	free(val);
	return saved;
}

struct ui_intent ui_prompt_key(struct ui_prompt *pr, struct ui_ctx *c, int key)
{
	struct ui_intent none = {UI_DO_NOTHING, NULL};
	if (key == 27) {
		if (pr->kind == PROMPT_DAY)
			ui_msg_clear(c);
		else
			ui_msg(c, false, "%s not changed", pr->kind == PROMPT_NOTE ? "Note" : "Tags");
		ui_prompt_free(pr);
		return none;
	}
	if (key == '\r' || key == '\n' || key == UI_KEY_SPECIAL + KEY_ENTER) {
		struct ui_intent it = none;
		if (pr->kind == PROMPT_DAY)
			/* a mistyped day reopens the prompt (ui_prompt_reopen), the reason beside it */
			it = (struct ui_intent){UI_DO_GOTO_DAY, xstrdup(pr->ed.text.s ? pr->ed.text.s : "")};
		else if (commit(pr, c))
			/* the list's ✎ (and a has:note / tag: view) comes from the rows: re-read them */
			it = (struct ui_intent){UI_DO_SAVED, xstrdup(pr->id)};
		ui_prompt_free(pr);
		return it;
	}
	ui_edit_key(&pr->ed, key);
	return none;
}

void ui_prompt_draw(struct ui_prompt *pr, struct ui_ctx *c, struct ui_rect s)
{
	ui_fill(c, s.y, s.x, s.w, EL_PROMPT);
	int x = ui_puts(c, s.y, s.x, s.w, prompt_label(pr->kind), EL_PROMPT);
	int cur, cx = x;
	x += ui_put_edit(c, s.y, s.x + x, s.w - x, &pr->ed, EL_PROMPT, &cur);
	cx += cur;
	if (c->msg_error && c->msg[0] && s.w - x > 8) {
		char m[600];
		snprintf(m, sizeof m, "  %s", c->msg);
		ui_puts(c, s.y, s.x + x, s.w - x, m, EL_ERROR);
	} else if (pr->kind == PROMPT_DAY && !pr->ed.text.len) {
		ui_puts(c, s.y, s.x + x, s.w - x, " (YYYY-MM-DD, today, yesterday or -N days ago)",
		        EL_PROMPT);
	}
	ui_show_cursor(c, s.y, s.x + (cx < s.w ? cx : s.w - 1));
}
