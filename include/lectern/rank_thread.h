/* rank_thread — the ranker's background worker for the reader: a request slot per kind in, an
 * event queue out, and a pipe that becomes readable when events wait (the reader polls it beside
 * stdin and the fetcher's). The worker owns its own store connection; training and scoring never
 * run on the UI thread nor in the fetch queue. Results go to rank_scores (store_rank_put), which
 * the views STORE_VIEW_RANKED read; the event says how it went. */
#ifndef LECTERN_RANK_THREAD_H
#define LECTERN_RANK_THREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lectern/rank.h"
#include "lectern/util.h"

enum rank_req_kind { RANK_REQ_FOR_YOU, RANK_REQ_SIMILAR, RANK_REQ_KINDS };

struct rank_event {
	enum rank_req_kind kind;
	bool ok;
	enum rank_mode mode;
	size_t n, n_pos, n_neg;   /* papers ranked; favourites and negatives trained on */
	double ms;                /* how long it took */
	char arg[64];             /* RANK_REQ_SIMILAR: the paper's id */
	char msg[512];            /* the error when !ok */
};

struct ranker;
/* Starts the worker on its own connection to db_path. NULL with e set on failure. */
struct ranker *rank_start(const char *db_path, struct lerr *e);
/* Asks for a ranking: "for you" of the papers since `since`, or the papers like paper arg. A
 * request of a kind replaces one of that kind still waiting. */
void rank_request(struct ranker *r, enum rank_req_kind kind, const char *arg, int64_t since);
int rank_wake_fd(const struct ranker *r);
/* Pops one event; true when *ev was filled (the pipe is drained when the queue is). */
bool rank_next_event(struct ranker *r, struct rank_event *ev);
/* Whether a request waits or runs. */
bool rank_busy(struct ranker *r);
void rank_stop(struct ranker **r);   /* NULL-safe: waits for the running request to end */

#endif
