/* polite — politeness groups and their shared schedule.
 *
 * Every request belongs to a group: all of arXiv (arxiv.org and every *.arxiv.org host, and the
 * arXiv services a config points elsewhere, such as a test server) is one group; any other host
 * (with its port) is a group of its own. A group has one connection at a time and a spacing
 * between the end of one request and the start of the next: arXiv ≥ 3 s (`set arxiv-delay`,
 * which may go lower only for hosts that are not arXiv's), huggingface.co ≥ 1 s (at most 300
 * requests in 5 minutes: well inside its published 500), any other host `set host-delay`
 * (default 1 s).
 *
 * The next allowed start of each group, and the time a host's Retry-After asked to be left
 * alone until, live in a per-user state file ($XDG_STATE_HOME/lectern/polite, one line per group:
 * "KEY NEXT BLOCKED", wall-clock seconds), read and written under an fcntl lock, so that every
 * lectern process of the user — the reader's fetch thread, a cron `lectern fetch`, a second
 * reader on another cache — keeps the same spacing together. While a request runs its group's
 * NEXT is a lease (now + the request's time limit), so that no other process starts one beside
 * it; a process that dies mid-request delays the group by at most that limit.
 *
 * Thread-safe (one mutex; fcntl locks do not exclude threads of one process). When the state file
 * cannot be used (no writable state directory) the schedule is kept in memory only and
 * polite_warning() says so. */
#ifndef LECTERN_POLITE_H
#define LECTERN_POLITE_H

#include <stdbool.h>

#include "lectern/config.h"

struct polite;

struct polite_group {
	char key[160];       /* "arxiv", or the host[:port] */
	double spacing;      /* seconds between the end of one request and the start of the next */
};

/* The group of a request to url. `arxiv_service`: the request goes to one of arXiv's services
 * as the config names them (API, listings), whatever the host. */
void polite_group_of(const struct config *cfg, const char *url, bool arxiv_service,
                     struct polite_group *g);

/* Opens the schedule kept in path (NULL: $XDG_STATE_HOME/lectern/polite). Never fails. */
struct polite *polite_open(const char *path);
void polite_free(struct polite **p);       /* NULL-safe; sets *p = NULL */
/* Why the schedule is not shared with other processes (borrowed), NULL when it is. */
const char *polite_warning(const struct polite *p);

enum polite_claim {
	POLITE_GO,        /* the group's connection is the caller's: polite_release() it */
	POLITE_WAIT,      /* try again after *t seconds */
	POLITE_BLOCKED,   /* the host asked (Retry-After) not to be asked before wall time *t */
};
/* Tries to start a request in g, holding the group for at most `lease` seconds. */
enum polite_claim polite_claim(struct polite *p, const struct polite_group *g, double lease,
                               double *t);
/* The request claimed in g ended: the next may start `spacing` seconds from now. */
void polite_release(struct polite *p, const struct polite_group *g);
/* Remembers that g's host asked not to be asked before wall time `until` (Retry-After). */
void polite_block(struct polite *p, const struct polite_group *g, double until);

/* Wall-clock seconds (the schedule's clock: it is shared between processes). */
double polite_now(void);

#endif
