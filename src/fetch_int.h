/* fetch_int — what fetch.c shares with fetch_thread.c and fetch_cli.c (private to the fetch
 * module). A fetch_env is one worker's equipment: its own store connection, its curl client (one
 * multi handle), the politeness schedule and where events go. One thread calls into it at a
 * time; fetch_sources() runs the sources it is given on threads of its own, which share the env
 * under its two locks: `db_mu` (the one store connection: one writer, one transaction per
 * response) and `ev_mu` (events and the summary). */
#ifndef LECTERN_FETCH_INT_H
#define LECTERN_FETCH_INT_H

#include "lectern/config.h"
#include "lectern/fetch.h"
#include <pthread.h>

#include "lectern/net.h"
#include "lectern/polite.h"
#include "lectern/store.h"

struct fetch_env {
	const struct config *cfg;
	struct store *db;
	struct net *net;
	struct polite *polite;
	pthread_mutex_t db_mu;    /* held while a source thread uses db */
	pthread_mutex_t ev_mu;    /* held while an event is delivered or a summary added to */
	bool background;          /* the reader's worker (fetch_thread): harvests are bounded */
	void (*on_event)(void *ctx, const struct fetch_event *ev);
	void *ctx;
	/* Optional: sees every paper stored (borrowed; the transaction may still roll back). */
	int (*on_paper)(void *ctx, const struct paper *p);
	void *paper_ctx;
};

/* lerr code of a source that ran out of its deadline (or was asked to wait beyond it). */
enum { FETCH_DEADLINE = -102 };

/* Opens the store (read-write) and the curl client. -1 with e set on failure. */
int fetch_env_init(struct fetch_env *env, const struct config *cfg, const char *db_path,
                   struct lerr *e);
void fetch_env_fini(struct fetch_env *env);

/* Runs one source: events START, PROGRESS..., then DONE or FAILED; the per-source state is
 * recorded in the store. date/since may be NULL. Adds to *sum. Returns 0, or -1 on failure.
 * All its tries together stop at `set source-deadline` ("no answer within N s; skipped"). */
int fetch_source(struct fetch_env *env, const struct config_source *src, const char *date,
                 const char *since, struct fetch_summary *sum);
/* Runs n sources at once (fetch_source each, on threads of their own), within the politeness
 * groups: their transfers share env's multi handle, a slow host delays only its own group, and
 * every response is stored under db_mu. Events of different sources interleave (each source's
 * own events keep their order). Returns when all have ended. */
void fetch_sources(struct fetch_env *env, const struct config_source *const *list, size_t n,
                   const char *date, const char *since, struct fetch_summary *sum);
/* Whether src's definition (type, base URL, arguments) is the one it last succeeded with:
 * SAME, CHANGED, or NONE when no signature is stored (never fetched, or by an older lectern). */
enum fetch_sig { FETCH_SIG_SAME, FETCH_SIG_CHANGED, FETCH_SIG_NONE };
enum fetch_sig fetch_source_signature_check(struct store *db, const struct config *cfg,
                                            const struct config_source *src);
/* True when src has never succeeded, its last success is older than `refresh`, or its
 * definition changed since then (fetch_source_signature_check() is not SAME). */
bool fetch_source_due(struct fetch_env *env, const struct config_source *src);
/* Delivers an event to env's listener (under ev_mu; any thread). */
void fetch_emit(struct fetch_env *env, const struct fetch_event *ev);
/* Waits for the turn of politeness group g (one connection, its spacing, every process of the
 * user), for at most `set source-deadline`; the turn is held for at most `lease` seconds.
 * 0: go (then polite_release(env->polite, g)); -1 with e set: the deadline passed, the host
 * asked to be left alone longer (Retry-After), or stopped. */
int fetch_polite_wait(struct fetch_env *env, const struct polite_group *g, double lease,
                      struct lerr *e);
/* Downloads the PDF of the cached paper `id` to pdf-dir (see pdf.h for the name), in its host's
 * politeness group, resuming a ".part" file; events under the name "pdf": START (message: the
 * id), PROGRESS (done/total bytes, total 0 when unknown), then DONE (message: the path) or
 * FAILED (message: "ID: why"). A file already there is not fetched again. Returns 0 with
 * *path (caller frees), or -1 with e set. */
int fetch_pdf(struct fetch_env *env, const char *id, char **path, struct lerr *e);
/* Remote search (events under the name "search"). -1 with e set (may be NULL) on failure. */
int fetch_search_env(struct fetch_env *env, const char *query, long max, long *n_found,
                     struct lerr *e);
/* Translates a query in the local search language into arXiv's search_query (caller frees);
 * "" when arXiv can express none of it, NULL with e set when it does not parse. */
char *fetch_arxiv_query(const char *q, struct lerr *e);

#endif
