/* fetch — keeps the cache fresh: runs sources (HF Daily Papers, arXiv RSS listings, arXiv API
 * queries, other feeds) over HTTP and writes what they return through its own store connection,
 * one transaction per response.
 *
 * Two ways to use it:
 *  - fetch_run(): synchronous, for `lectern fetch` (the calling thread blocks).
 *  - fetch_start(): a background thread for the UI. The UI never blocks on it: it polls
 *    fetch_wake_fd() beside stdin, then drains events with fetch_next_event().
 * The thread owns its store connection and curl handles; the UI only touches the queue. */
#ifndef LECTERN_FETCH_H
#define LECTERN_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lectern/config.h"
#include "lectern/util.h"

/* ---- requests ---------------------------------------------------------------------------- */
enum fetch_req_kind {
	FETCH_REQ_DUE,        /* every source older than `refresh` (sent at start-up and periodically) */
	FETCH_REQ_ALL,        /* every source now */
	FETCH_REQ_SOURCE,     /* the source named `arg` now */
	FETCH_REQ_HF_DAY,     /* Hugging Face Daily Papers of day `arg` (YYYY-MM-DD) */
	FETCH_REQ_SEARCH,     /* remote search for `arg` on arXiv (and HF where available) */
	FETCH_REQ_PDF,        /* the PDF of the cached paper `arg` to pdf-dir (events named "pdf") */
};

/* ---- events (worker -> UI) ------------------------------------------------------------------ */
enum fetch_event_kind {
	FETCH_EV_START,       /* source started: name (remote search: "search", message = the query
	                       * as the user typed it) */
	FETCH_EV_PROGRESS,    /* name, done/total requests (total 0 when unknown) */
	FETCH_EV_DONE,        /* name, n_new, n_updated: committed to the database (remote search:
	                       * also n_found, n_total, and message = the query sent to arXiv) */
	FETCH_EV_FAILED,      /* name, message: a reason the user can act on; nothing was changed */
	FETCH_EV_IDLE,        /* the worker has nothing left to do */
};
struct fetch_event {
	enum fetch_event_kind kind;
	/* Background thread: the kind of request the event belongs to, which the UI dispatches on
	 * (meaningless for IDLE). Events from fetch_run()/fetch_search(): 0. */
	enum fetch_req_kind req;
	char name[64];        /* source name, "search" for remote search */
	long done, total;
	long n_new, n_updated;
	char message[512];
	/* Remote search, FETCH_EV_DONE only (0 otherwise): */
	long n_found;         /* results arXiv returned (all merged into the cache: n_new of them
	                       * were not there before, n_updated changed) */
	long n_total;         /* arXiv's count of all matches (opensearch:totalResults), of which
	                       * n_found were asked for; -1 when arXiv did not say */
};

/* The source a remote search's results are listed under (store_upsert's source): "search:"
 * and the query as typed, so that each search is a view of its own (STORE_VIEW_SOURCE).
 * Caller frees. */
char *fetch_search_source(const char *query);

/* ---- synchronous use ---------------------------------------------------------------------- */
struct fetch_opts {
	const char *const *sources;   /* names to fetch; NULL/0 = all configured sources */
	size_t n_sources;
	const char *date;             /* --date: one day (HF day; arXiv API submittedDate) */
	const char *since;            /* --since: from this day to today */
	bool offline;                 /* --offline: touch no network; report what the cache has */
	bool only_due;                /* only sources older than refresh */
	/* Progress callback (may be NULL), called on the calling thread for every event. */
	void (*on_event)(void *ctx, const struct fetch_event *ev);
	void *ctx;
};
struct fetch_summary {
	long sources, failed, n_new, n_updated;
	char note[320];    /* something about the run as a whole the user should hear, "" none
	                    * (the request spacing could not be shared with other processes) */
};
/* What fetch_run() did. */
enum fetch_run_result {
	FETCH_RUN_OK = 0,          /* every source requested succeeded (or --offline: nothing to do) */
	FETCH_RUN_FAILED,          /* the sources ran and some failed: each failure was reported
	                            * through on_event and is counted in sum->failed */
	FETCH_RUN_NOT_STARTED,     /* nothing ran: bad options (LERR_USAGE) or the database could
	                            * not be opened; e says why */
};
/* Runs the requested sources once against the database at db_path, all at once (within the
 * politeness groups; see fetch_int.h's fetch_sources); each source's events arrive in order,
 * those of different sources interleave. */
enum fetch_run_result fetch_run(const struct config *cfg, const char *db_path,
                                const struct fetch_opts *o, struct fetch_summary *sum,
                                struct lerr *e);

/* ---- background thread ---------------------------------------------------------------------- */
struct fetcher;
/* Starts the worker. cfg must outlive the fetcher. Queues FETCH_REQ_DUE when `refresh_due`.
 * Opens the worker's database connection here, on the calling thread, so that errors reach the
 * caller; when another process is creating the same database at that moment this waits for it
 * (up to about 5 s). */
struct fetcher *fetch_start(const struct config *cfg, const char *db_path, bool refresh_due,
                            struct lerr *e);
/* Queues a request (arg copied; may be NULL). Never blocks on the network. */
void fetch_request(struct fetcher *f, enum fetch_req_kind kind, const char *arg);
/* A file descriptor that becomes readable when events are queued. Poll it for POLLIN. */
int fetch_wake_fd(const struct fetcher *f);
/* Pops one event; returns true when *ev was filled. Also clears the wake-up fd when drained. */
bool fetch_next_event(struct fetcher *f, struct fetch_event *ev);
/* Asks the worker to stop, aborts transfers in flight (the current transaction rolls back) and
 * joins it. NULL-safe; sets *f = NULL. Returns within about a second. */
void fetch_stop(struct fetcher **f);

#endif
