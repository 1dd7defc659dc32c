/* ui_search — the search prompt: results update as you type (the query runs once per burst of
 * keys, before the next screen is drawn), Enter keeps them, Esc restores the view and selection
 * from before, Up/Down walk the history, C-r (or S in the list) asks the remote sources. */
#include "lectern/ui.h"

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

void ui_search_free(struct ui *u)
{
	struct ui_search *s = &u->search;
	history_free(s);
	sbuf_free(&s->text);
	xfree(&s->qtext);
	xfree(&s->sel_id);
}

void ui_search_open(struct ui *u)
{
	struct ui_search *s = &u->search;
	s->active = true;
	s->dirty = false;
	sbuf_reset(&s->text);
	/* remember what Esc goes back to (unless a kept search is being refined) */
	s->kind = u->list.kind;
	s->source = u->list.source;
	memcpy(s->day, u->list.day, sizeof s->day);
	s->sort = u->list.sort;
	free(s->qtext);
	s->qtext = xstrdup(u->list.qtext);
	free(s->sel_id);
	const struct store_row *r = ui_list_selected(u);
	s->sel_id = r ? xstrdup(r->id) : NULL;
	if (r)
		s->sel_key = r->key;
	s->sel_line = u->list.sel >= u->list.top ? u->list.sel - u->list.top : 0;
	/* a kept search is re-edited as typed (its implicit prefix star is not text) */
	if (u->list.qtext)
		sbuf_adds(&s->text, u->list.qtext);
	history_free(s);
	struct lerr e = {0};
	int n = store_history_list(u->store, s->history, ARRAY_LEN(s->history), &e);
	s->n_history = n > 0 ? n : 0;
	s->hist_pos = -1;
	ui_hint(u, "Search: words \"phrases\" pre* au: ti: abs: org: cat: is:fav is:unread tag: has:note since: before: -word");
}

static void restore(struct ui *u)
{
	struct ui_search *s = &u->search;
	u->list.kind = s->kind;
	u->list.source = s->source;
	memcpy(u->list.day, s->day, sizeof s->day);
	u->list.sort = s->sort;
	ui_list_set_query(u, s->qtext);
	if (s->sel_id) {
		u->list.sel = s->sel_line;   /* reload_at keeps the selection on this screen line */
		u->list.top = 0;
		if (ui_list_reload_at(u, &s->sel_key, s->sel_id) == 0)
			return;
	}
	ui_list_load_start(u);
}

bool ui_search_restore(struct ui *u)
{
	if (!u->list.qtext)
		return false;
	struct ui_search *s = &u->search;
	/* the state saved when the prompt opened may itself have had a query: drop it */
	if (s->qtext && strcmp(s->qtext, u->list.qtext) == 0)
		xfree(&s->qtext);
	restore(u);
	ui_msg(u, false, "Search cleared");
	return true;
}

static void backspace(struct sbuf *b)
{
	if (!b->len)
		return;
	size_t i = b->len - 1;
	while (i > 0 && ((unsigned char)b->s[i] & 0xC0) == 0x80)
		i--;
	b->len = i;
	b->s[i] = '\0';
}

static void set_text(struct ui_search *s, const char *t)
{
	sbuf_reset(&s->text);
	sbuf_adds(&s->text, t);
	s->dirty = true;
}

void ui_search_key(struct ui *u, int key)
{
	struct ui_search *s = &u->search;
	if (key == 27) {                              /* Esc: back to where we were */
		s->active = false;
		s->dirty = false;
		restore(u);
		ui_msg(u, false, "Search cancelled");
		return;
	}
	if (key == '\r' || key == '\n' || key == UI_KEY_SPECIAL + KEY_ENTER) {
		s->active = false;
		/* the text as typed, a one-letter last word included */
		const char *t = s->text.s ? s->text.s : "";
		if (s->dirty || strcmp(t, u->list.qtext ? u->list.qtext : "") != 0)
			s->dirty = true;
		ui_search_update(u);
		if (u->list.qtext) {
			struct lerr e = {0};
			if (store_history_add(u->store, u->list.qtext, &e) < 0)
				ui_msg(u, true, "search history not saved: %s", e.msg);
			else if (!u->list.error)
				ui_msg(u, false, "Search kept — Esc in the list restores the previous view");
		}
		return;
	}
	if (key == 18) {                              /* C-r: ask arXiv too */
		ui_search_update(u);
		ui_search_remote(u);
		return;
	}
	if (key == 127 || key == 8 || key == UI_KEY_SPECIAL + KEY_BACKSPACE) {
		backspace(&s->text);
		s->dirty = true;
		return;
	}
	if (key == 21) {                              /* C-u: clear the line */
		set_text(s, "");
		return;
	}
	if (key == UI_KEY_SPECIAL + KEY_UP) {
		if (s->hist_pos + 1 < s->n_history)
			set_text(s, s->history[++s->hist_pos]);
		return;
	}
	if (key == UI_KEY_SPECIAL + KEY_DOWN) {
		if (s->hist_pos > 0)
			set_text(s, s->history[--s->hist_pos]);
		else if (s->hist_pos == 0) {
			s->hist_pos = -1;
			set_text(s, "");
		}
		return;
	}
	if (key >= 0x20 && key < UI_KEY_SPECIAL && key != 0x7f && !ui_cp_bad((unsigned)key)) {
		char enc[4];
		sbuf_add(&s->text, enc, text_utf8_encode((unsigned)key, enc));
		s->dirty = true;
	}
}

void ui_search_update(struct ui *u)
{
	struct ui_search *s = &u->search;
	if (!s->dirty)
		return;
	s->dirty = false;
	char *old = u->list.qtext ? xstrdup(u->list.qtext) : NULL;
	/* One window query per burst of keys: the text as it is now. While typing, a last word of
	 * one letter waits for the next (a one-letter prefix would match nearly everything, and
	 * the store refuses it): the list keeps showing the text before it. */
	char *t = xstrdup(s->text.s ? s->text.s : "");
	size_t n = strlen(t);
	if (s->active && n && isalnum((unsigned char)t[n - 1]) && (n == 1 || t[n - 2] == ' '))
		t[--n] = '\0';   /* "model d" runs as "model " (not as the prefix "model*") */
	bool same = strcmp(t, old ? old : "") == 0;
	if (same) {
		free(t);
		free(old);
		return;
	}
	ui_list_set_query(u, t);
	free(t);
	if (ui_list_load_start(u) < 0) {
		/* keep showing the last results that worked; the message says what is wrong */
		ui_list_set_query(u, old);
		u->list.error = false;
	} else if (u->msg_error) {
		ui_msg_clear(u);
	}
	free(old);
}

/* 0 when the cache can run query q in the current view, else -1 with the store's reason. */
static int local_check(struct ui *u, const char *q, struct lerr *e)
{
	struct store_view v;
	ui_list_view(u, &v);
	v.query = q;
	return store_count(u->store, &v, 1, e) < 0 && e->kind == LERR_USAGE ? -1 : 0;
}

void ui_search_remote(struct ui *u)
{
	const char *q = u->search.active ? u->search.text.s : u->list.qtext;
	if (!q || !*q) {
		ui_msg(u, true, "Type a search first (/), then C-r or S sends it to arXiv");
		return;
	}
	if (!u->fetcher) {
		ui_msg(u, true, "Fetching is off in this session (ui --no-fetch): nothing is sent to arXiv");
		return;
	}
	bool words = false;
	for (const char *c = q; *c && !words; c++)
		words = isalnum((unsigned char)*c) || (unsigned char)*c >= 0x80;
	if (!words) {
		ui_msg(u, true, "Nothing to search for on arXiv in \u201c%s\u201d", q);
		return;
	}
	/* one language (query.h): what the cache refuses is not sent to arXiv either */
	struct lerr e = {0};
	if (local_check(u, q, &e) < 0) {
		ui_msg(u, true, "%s", e.msg);
		return;
	}
	char *sent = xstrdup(q);
	snprintf(u->search.remote_q, sizeof u->search.remote_q, "%s", sent);
	/* the messages below say what was sent: no "Fetching arXiv search…" before them */
	if (ui_request_quiet(u, FETCH_REQ_SEARCH, sent, "arXiv search"))
		ui_msg(u, false, "Searching arXiv for \u201c%s\u201d…", sent);
	free(sent);
}

void ui_search_landed(struct ui *u, const struct fetch_event *ev)
{
	const char *q = ev->message[0] && !u->search.remote_q[0] ? ev->message : u->search.remote_q;
	char of[48] = "";
	if (ev->n_total > ev->n_found)
		snprintf(of, sizeof of, " of %ld", ev->n_total);
	if (ev->n_found == 0)
		ui_msg(u, false, "arXiv: no results for \u201c%s\u201d", q);
	else
		ui_msg(u, false, "arXiv: %ld%s result%s for \u201c%s\u201d, %ld new, %ld updated", ev->n_found,
		       of, ev->n_found == 1 && !of[0] ? "" : "s", q, ev->n_new, ev->n_updated);
	if (!ev->n_new && !ev->n_updated)
		return;
	/* on the first row the user sees the best matches, new ones included; elsewhere the
	 * selected paper stays where it is */
	const struct ui_list *l = &u->list;
	if (l->offset == 0 && l->sel == 0) {
		ui_list_load_start(u);
		const struct store_row *r = ui_list_selected(u);
		if (u->detail.id)
			ui_detail_show(u, r ? r->id : NULL, true);
	} else {
		ui_refresh_data(u);
	}
}
