/* ui_fetch — the reader's bridge to the fetch thread (fetch.h), below the panes: requests with
 * their status-line wording, the events drained and dispatched by kind (and by the kind of
 * request they belong to, never by name), the batch summary when the worker is idle again, and
 * which Daily Papers days were asked for in this session. What a finished fetch changes on the
 * screen is the reader's business: it is called back (on_done). UI thread only. */
#ifndef LECTERN_UI_FETCH_H
#define LECTERN_UI_FETCH_H

#include <stdbool.h>
#include <stddef.h>

#include "lectern/fetch.h"
#include "lectern/ui_draw.h"

/* Daily Papers days asked of the fetcher in this session. */
enum ui_day_fetch { UI_DAY_UNKNOWN, UI_DAY_PENDING, UI_DAY_FETCHED, UI_DAY_FAILED };
struct ui_day_state {
	char day[11];
	enum ui_day_fetch state;
};

struct ui_fetch_state {
	char name[64];
	long done, total;
	bool busy;                /* a request is queued or running (until the worker is idle) */
	/* the batch of work since the worker was last idle, summed up when it is idle again */
	long n_new, n_updated;
	int n_done, n_failed;
	int n_search;             /* of n_done: remote searches (they report themselves) */
	char first_error[600];
	char all_errors[1600];    /* every failure of the batch, "name: why; name: why" (may be cut) */
};

struct ui_fetch {
	struct fetcher *fetcher;  /* NULL: fetching is off in this session */
	struct ui_fetch_state st;
	struct ui_day_state days[64];   /* a ring */
	size_t n_days;
	/* Called for every FETCH_EV_DONE after its bookkeeping and message (a source's result is
	 * said here; a remote search's is left to the callee): the reader re-reads what changed. */
	void (*on_done)(void *arg, const struct fetch_event *ev);
	void *arg;
};

/* Starts the fetch thread (fetch_start: refresh_due queues the sources due). Returns 0, or -1
 * with e set (fetching stays off). */
int ui_fetch_start(struct ui_fetch *f, const struct config *cfg, const char *db_path,
                   bool refresh_due, struct lerr *e);
/* Stops the thread (NULL-safe; fetching is off afterwards). */
void ui_fetch_stop(struct ui_fetch *f);
/* The fd to poll for events (POLLIN), -1 when fetching is off. */
int ui_fetch_fd(const struct ui_fetch *f);
/* Asks the fetcher for work (`what` names it in the status line: "Fetching what…"); says so
 * when fetching is off. */
void ui_fetch_request(struct ui_fetch *f, struct ui_ctx *c, enum fetch_req_kind k, const char *arg,
                      const char *what);
/* The same without the "Fetching …" message, for a caller that says itself what it asked for
 * (one line in the message list per request). Returns false (and says so) when fetching is off. */
bool ui_fetch_request_quiet(struct ui_fetch *f, struct ui_ctx *c, enum fetch_req_kind k,
                            const char *arg, const char *what);
/* Asks for the Daily Papers of `day` unless it was asked for in this session already (force:
 * again); the day is then pending until the worker is idle. */
void ui_fetch_day(struct ui_fetch *f, struct ui_ctx *c, const char *day, bool force);
/* What became of the request for a day's Daily Papers in this session. */
enum ui_day_fetch ui_fetch_day_state(const struct ui_fetch *f, const char *day);
/* Handles every event queued (none when fetching is off). */
void ui_fetch_drain(struct ui_fetch *f, struct ui_ctx *c);
/* Until the worker has done everything asked of it, at most max_s seconds (headless <Wait>). */
void ui_fetch_wait_idle(struct ui_fetch *f, struct ui_ctx *c, double max_s);

#endif
