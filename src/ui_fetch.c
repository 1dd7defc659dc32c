/* ui_fetch — the reader's side of the fetch thread (ui_fetch.h). The status line follows the
 * worker: the source running and its progress on the right, each result as it lands, and when
 * the worker is idle again a summary of the whole batch (the first failure in words when any
 * source failed). */
#include "lectern/ui_fetch.h"

#include <poll.h>
#include <stdio.h>
#include <string.h>

int ui_fetch_start(struct ui_fetch *f, const struct config *cfg, const char *db_path,
                   bool refresh_due, struct lerr *e)
{
	f->fetcher = fetch_start(cfg, db_path, refresh_due, e);
	return f->fetcher ? 0 : -1;
}

void ui_fetch_stop(struct ui_fetch *f)
{
	fetch_stop(&f->fetcher);
}

int ui_fetch_fd(const struct ui_fetch *f)
{
	return f->fetcher ? fetch_wake_fd(f->fetcher) : -1;
}

static void batch_start(struct ui_fetch *f, const char *what)
{
	struct ui_fetch_state *s = &f->st;
	memset(s, 0, sizeof *s);
	s->busy = true;
	snprintf(s->name, sizeof s->name, "%s", what);
}

bool ui_fetch_request_quiet(struct ui_fetch *f, struct ui_ctx *c, enum fetch_req_kind k,
                            const char *arg, const char *what)
{
	if (!f->fetcher) {
		ui_msg(c, true, "Fetching is off in this session");
		return false;
	}
	/* earlier events first, so an "idle" from before this request cannot end it */
	ui_fetch_drain(f, c);
	if (!f->st.busy)
		batch_start(f, what);
	fetch_request(f->fetcher, k, arg);
	return true;
}

void ui_fetch_request(struct ui_fetch *f, struct ui_ctx *c, enum fetch_req_kind k, const char *arg,
                      const char *what)
{
	if (ui_fetch_request_quiet(f, c, k, arg, what))
		ui_msg(c, false, "Fetching %s…", what);
}

/* Days asked of the fetcher in this session and what came of it, so that the empty-day screen
 * can say "fetching", "nothing that day" or "failed", and a day is not asked for twice. */
static long day_find(const struct ui_fetch *f, const char *day)
{
	for (size_t i = 0; i < ARRAY_LEN(f->days); i++)
		if (strcmp(f->days[i].day, day) == 0)
			return (long)i;
	return -1;
}

static struct ui_day_state *day_add(struct ui_fetch *f, const char *day)
{
	long i = day_find(f, day);
	if (i >= 0)
		return &f->days[i];
	struct ui_day_state *d = &f->days[f->n_days++ % ARRAY_LEN(f->days)];
	snprintf(d->day, sizeof d->day, "%s", day);
	d->state = UI_DAY_UNKNOWN;
	return d;
}

enum ui_day_fetch ui_fetch_day_state(const struct ui_fetch *f, const char *day)
{
	long i = day_find(f, day);
	return i >= 0 ? f->days[i].state : UI_DAY_UNKNOWN;
}

void ui_fetch_day(struct ui_fetch *f, struct ui_ctx *c, const char *day, bool force)
{
	struct ui_day_state *d = f->fetcher ? day_add(f, day) : NULL;
	if (d && !force && d->state != UI_DAY_UNKNOWN)
		return;
	char what[64];
	snprintf(what, sizeof what, "Daily Papers of %s", day);
	ui_fetch_request(f, c, FETCH_REQ_HF_DAY, day, what);
	if (d)
		d->state = UI_DAY_PENDING;
}

static void on_failed(struct ui_fetch *f, struct ui_ctx *c, const struct fetch_event *ev)
{
	struct ui_fetch_state *s = &f->st;
	const char *who = ev->req == FETCH_REQ_SEARCH ? "arXiv search"
	                  : ev->req == FETCH_REQ_PDF ? "PDF" : ev->name;
	if (!s->n_failed++)
		snprintf(s->first_error, sizeof s->first_error, "%s: %s", who, ev->message);
	size_t len = strlen(s->all_errors);
	snprintf(s->all_errors + len, sizeof s->all_errors - len, "%s%s: %s", len ? "; " : "", who,
	         ev->message);
	ui_msg(c, true, "%s: %s", who, ev->message);
}

static void on_idle(struct ui_fetch *f, struct ui_ctx *c)
{
	struct ui_fetch_state *s = &f->st;
	if (!s->busy)
		return;
	s->busy = false;
	for (size_t i = 0; i < ARRAY_LEN(f->days); i++)
		if (f->days[i].state == UI_DAY_PENDING)
			f->days[i].state = s->n_failed ? UI_DAY_FAILED : UI_DAY_FETCHED;
	s->name[0] = '\0';
	if (s->n_failed && s->n_done)
		ui_msg(c, true, "%s (%d of %d failed; %ld new, %ld updated from the others)",
		       s->first_error, s->n_failed, s->n_failed + s->n_done, s->n_new, s->n_updated);
	else if (s->n_failed > 1)   /* the count first: the status line is cut at the width */
		ui_msg(c, true, "%d sources failed (M lists them): %s", s->n_failed, s->all_errors);
	else if (s->n_failed)
		ui_msg(c, true, "%s", s->first_error);
	else if (s->n_done && s->n_done > s->n_search)   /* a search has said what it found */
		ui_msg(c, false, "Fetched: %ld new, %ld updated (%d source%s)", s->n_new,
		       s->n_updated, s->n_done, s->n_done == 1 ? "" : "s");
}

/* A PDF download: its progress and result are messages of their own; a success is no "source"
 * in the batch summary. */
static void on_pdf(struct ui_fetch *f, struct ui_ctx *c, const struct fetch_event *ev)
{
	struct ui_fetch_state *s = &f->st;
	switch (ev->kind) {
	case FETCH_EV_START:
		snprintf(s->name, sizeof s->name, "PDF");
		s->done = s->total = 0;
		break;
	case FETCH_EV_PROGRESS:
		if (ev->total > 0)
			ui_msg(c, false, "Downloading the PDF of %s: %.1f of %.1f MB (%d%%)", ev->message,
			       (double)ev->done / 1e6, (double)ev->total / 1e6,
			       (int)(100.0 * (double)ev->done / (double)ev->total));
		else
			ui_msg(c, false, "Downloading the PDF of %s: %.1f MB", ev->message,
			       (double)ev->done / 1e6);
		break;
	case FETCH_EV_DONE:
		s->n_done++;
		s->n_search++;   /* it says itself what came of it */
		ui_msg(c, false, "PDF saved: %s (p opens it)", ev->message);
		if (f->on_done)
			f->on_done(f->arg, ev);
		break;
	case FETCH_EV_FAILED: on_failed(f, c, ev); break;
	case FETCH_EV_IDLE: break;
	}
}

static void on_event(struct ui_fetch *f, struct ui_ctx *c, const struct fetch_event *ev)
{
	struct ui_fetch_state *s = &f->st;
	if (!s->busy && ev->kind != FETCH_EV_IDLE)
		batch_start(f, ev->name);   /* work the UI did not ask for (periodic refresh) */
	if (ev->req == FETCH_REQ_PDF && ev->kind != FETCH_EV_IDLE) {
		on_pdf(f, c, ev);
		return;
	}
	switch (ev->kind) {
	case FETCH_EV_START:
		snprintf(s->name, sizeof s->name, "%s", ev->name);
		s->done = s->total = 0;
		break;
	case FETCH_EV_PROGRESS:
		snprintf(s->name, sizeof s->name, "%s", ev->name);
		s->done = ev->done;
		s->total = ev->total;
		break;
	case FETCH_EV_DONE:
		s->n_done++;
		s->n_new += ev->n_new;
		s->n_updated += ev->n_updated;
		if (ev->req == FETCH_REQ_SEARCH)
			s->n_search++;
		else if (!s->n_failed)
			ui_msg(c, false, "%s: %ld new, %ld updated%s%s", ev->name, ev->n_new,
			       ev->n_updated, ev->message[0] ? "; " : "", ev->message);
		if (f->on_done)
			f->on_done(f->arg, ev);
		break;
	case FETCH_EV_FAILED: on_failed(f, c, ev); break;
	case FETCH_EV_IDLE: on_idle(f, c); break;
	}
}

void ui_fetch_drain(struct ui_fetch *f, struct ui_ctx *c)
{
	struct fetch_event ev;
	while (f->fetcher && fetch_next_event(f->fetcher, &ev))
		on_event(f, c, &ev);
}

void ui_fetch_wait_idle(struct ui_fetch *f, struct ui_ctx *c, double max_s)
{
	double end = util_monotonic() + max_s;
	ui_fetch_drain(f, c);
	while (f->fetcher && f->st.busy && util_monotonic() < end) {
		struct pollfd p = {fetch_wake_fd(f->fetcher), POLLIN, 0};
		poll(&p, 1, 50);
		ui_fetch_drain(f, c);
	}
}
