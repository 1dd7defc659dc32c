/* ui_search — the search prompt: results update as you type (the reader runs the text taken here
 * once per burst of keys, before the next screen is drawn), Enter keeps them, Esc restores the
 * view and selection from before, Up/Down walk the history, C-r (or S in the list) asks the
 * remote sources. The text is edited with the one line editor (ui_edit.h). */
#include "lectern/ui.h"

#include "lectern/query.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lectern/text.h"

static void history_free(struct ui_search *s)
{
	for (int i = 0; i < s->n_history; i++)
		xfree(&s->history[i]);
	s->n_history = 0;
}

void ui_search_free(struct ui_search *s)
{
	history_free(s);
	ui_edit_free(&s->ed);
}

void ui_search_open(struct ui_search *s, struct ui_ctx *c, const char *kept)
{
	s->active = true;
	s->dirty = false;
	/* a new search is typed from scratch; the kept one is the first the history recalls */
	ui_edit_set(&s->ed, NULL);
	history_free(s);
	struct lerr e = {0};
	/* the kept search first, unless the history already starts with it */
	size_t first = 0;
	if (kept && *kept)
		s->history[first++] = xstrdup(kept);
	int n = store_history_list(c->store, s->history + first, ARRAY_LEN(s->history) - first, &e);
	s->n_history = (int)first + (n > 0 ? n : 0);
	if (first && s->n_history > 1 && strcmp(s->history[0], s->history[1]) == 0) {
		free(s->history[1]);
		memmove(s->history + 1, s->history + 2, (size_t)(s->n_history - 2) * sizeof *s->history);
		s->n_history--;
	}
	s->hist_pos = -1;
	struct sbuf h = {0};
	query_help_line(&h);   /* the syntax from the one table (query.h) */
	ui_hint(c, "Search: %s", h.s);
	sbuf_free(&h);
}

static void set_text(struct ui_search *s, const char *t)
{
	ui_edit_set(&s->ed, t);
	s->dirty = true;
}

static const char *text(const struct ui_search *s)
{
	return s->ed.text.s ? s->ed.text.s : "";
}

struct ui_intent ui_search_key(struct ui_search *s, struct ui_ctx *c, int key)
{
	/* Esc, or Enter on nothing typed (the prompt opens empty): back to where we were */
	if (key == 27 || (!*text(s) && (key == '\r' || key == '\n' || key == UI_KEY_SPECIAL + KEY_ENTER))) {
		s->active = false;
		s->dirty = false;
		return (struct ui_intent){UI_DO_SEARCH_CANCEL, NULL};
	}
	if (key == '\r' || key == '\n' || key == UI_KEY_SPECIAL + KEY_ENTER) {
		s->active = false;
		/* the text as typed, a one-letter last word included (run unless the list has it) */
		s->dirty = true;
		return (struct ui_intent){UI_DO_SEARCH_KEEP, NULL};
	}
	if (key == 18)                                /* C-r: ask arXiv too */
		return (struct ui_intent){UI_DO_SEARCH_REMOTE, NULL};
	if (key == UI_KEY_SPECIAL + KEY_UP) {
		if (s->hist_pos + 1 < s->n_history)
			set_text(s, s->history[++s->hist_pos]);
	} else if (key == UI_KEY_SPECIAL + KEY_DOWN) {
		if (s->hist_pos > 0)
			set_text(s, s->history[--s->hist_pos]);
		else if (s->hist_pos == 0) {
			s->hist_pos = -1;
			set_text(s, "");
		}
	} else if (ui_edit_key(&s->ed, key)) {
		s->dirty = true;
	}
	return (struct ui_intent){UI_DO_NOTHING, NULL};
}

char *ui_search_take(struct ui_search *s, const char *current)
{
	if (!s->dirty)
		return NULL;
	s->dirty = false;
	/* One window query per burst of keys: the text as it is now. While typing, a last word of
	 * one letter waits for the next (a one-letter prefix would match nearly everything, and
	 * the store refuses it): the list keeps showing the text before it. */
	char *t = xstrdup(text(s));
	size_t n = strlen(t);
	if (s->active && n && isalnum((unsigned char)t[n - 1]) && (n == 1 || t[n - 2] == ' '))
		t[--n] = '\0';   /* "model d" runs as "model " (not as the prefix "model*") */
	bool same = strcmp(t, current ? current : "") == 0;
	if (same) {
		free(t);
		return NULL;
	}
	return t;
}

void ui_search_keep(struct ui_search *s, struct ui_ctx *c, const char *qtext, bool failed)
{
	if (!qtext)
		return;
	struct lerr e = {0};
	if (store_history_add(c->store, qtext, &e) < 0)
		ui_msg(c, true, "search history not saved: %s", e.msg);
	else if (!failed)
		ui_msg(c, false, "Search kept — Esc in the list restores the previous view");
}

/* 0 when the cache can run query q in the view v, else -1 with the store's reason. */
static int local_check(struct ui_ctx *c, const struct store_view *v, const char *q, struct lerr *e)
{
	struct store_view qv = *v;
	qv.query = q;
	return store_count(c->store, &qv, 1, e) < 0 && e->kind == LERR_USAGE ? -1 : 0;
}

void ui_search_remote(struct ui_search *s, struct ui_ctx *c, struct ui_fetch *f,
                       const struct store_view *v, const char *qtext)
{
	const char *q = s->active ? text(s) : qtext;
	if (!q || !*q) {
		ui_msg(c, true, "Type a search first (/), then C-r or S sends it to arXiv");
		return;
	}
	if (!f->fetcher) {
		ui_msg(c, true, "Fetching is off in this session (ui --no-fetch): nothing is sent to arXiv");
		return;
	}
	bool words = false;
	for (const char *p = q; *p && !words; p++)
		words = isalnum((unsigned char)*p) || (unsigned char)*p >= 0x80;
	if (!words) {
		ui_msg(c, true, "Nothing to search for on arXiv in \u201c%s\u201d", q);
		return;
	}
	/* one language (query.h): what the cache refuses is not sent to arXiv either */
	struct lerr e = {0};
	if (local_check(c, v, q, &e) < 0) {
		ui_msg(c, true, "%s", e.msg);
		return;
	}
	char *sent = xstrdup(q);
	snprintf(s->remote_q, sizeof s->remote_q, "%s", sent);
	/* the messages below say what was sent: no "Fetching arXiv search…" before them */
	if (ui_fetch_request_quiet(f, c, FETCH_REQ_SEARCH, sent, "arXiv search"))
		ui_msg(c, false, "Searching arXiv for \u201c%s\u201d…", sent);
	free(sent);
}

void ui_search_landed(struct ui_search *s, struct ui_ctx *c, const struct fetch_event *ev)
{
	const char *q = ev->message[0] && !s->remote_q[0] ? ev->message : s->remote_q;
	char of[48] = "";
	if (ev->n_total > ev->n_found)
		snprintf(of, sizeof of, " of %ld", ev->n_total);
	if (ev->n_found == 0)
		ui_msg(c, false, "arXiv: no results for \u201c%s\u201d", q);
	else
		ui_msg(c, false, "arXiv: %ld%s result%s for \u201c%s\u201d, %ld new, %ld updated", ev->n_found,
		       of, ev->n_found == 1 && !of[0] ? "" : "s", q, ev->n_new, ev->n_updated);
}
