/* fetch_int — what fetch.c shares with fetch_thread.c (private to the fetch module).
 * A fetch_env is one worker's equipment: its own store connection and curl client, the time of
 * its last arXiv request (politeness) and where events go. One thread uses it at a time. */
#ifndef LECTERN_FETCH_INT_H
#define LECTERN_FETCH_INT_H

#include "lectern/config.h"
#include "lectern/fetch.h"
#include "lectern/net.h"
#include "lectern/store.h"

struct fetch_env {
	const struct config *cfg;
	struct store *db;
	struct net *net;
	double last_arxiv;        /* monotonic time the last arXiv request ended, 0 none */
	bool background;          /* the reader's worker (fetch_thread): harvests are bounded */
	unsigned rng;             /* jitter state */
	void (*on_event)(void *ctx, const struct fetch_event *ev);
	void *ctx;
	/* Optional: sees every paper stored (borrowed; the transaction may still roll back). */
	int (*on_paper)(void *ctx, const struct paper *p);
	void *paper_ctx;
	/* What the source's DONE event says besides its counts: a page cap that was reached
	 * (cleared when a source starts). */
	char note[256];
};

/* Opens the store (read-write) and the curl client. -1 with e set on failure. */
int fetch_env_init(struct fetch_env *env, const struct config *cfg, const char *db_path,
                   struct lerr *e);
void fetch_env_fini(struct fetch_env *env);

/* Runs one source: events START, PROGRESS..., then DONE or FAILED; the per-source state is
 * recorded in the store. date/since may be NULL. Adds to *sum. Returns 0, or -1 on failure. */
int fetch_source(struct fetch_env *env, const struct config_source *src, const char *date,
                 const char *since, struct fetch_summary *sum);
/* Whether src's definition (type, base URL, arguments) is the one it last succeeded with:
 * SAME, CHANGED, or NONE when no signature is stored (never fetched, or by an older lectern). */
enum fetch_sig { FETCH_SIG_SAME, FETCH_SIG_CHANGED, FETCH_SIG_NONE };
enum fetch_sig fetch_source_signature_check(struct store *db, const struct config *cfg,
                                            const struct config_source *src);
/* True when src has never succeeded, its last success is older than `refresh`, or its
 * definition changed since then (fetch_source_signature_check() is not SAME). */
bool fetch_source_due(struct fetch_env *env, const struct config_source *src);
/* Remote search (events under the name "search"). -1 with e set (may be NULL) on failure. */
int fetch_search_env(struct fetch_env *env, const char *query, long max, long *n_found,
                     struct lerr *e);
/* Translates a query in the local search language into arXiv's search_query (caller frees);
 * "" when arXiv can express none of it, NULL with e set when it does not parse. */
char *fetch_arxiv_query(const char *q, struct lerr *e);

#endif
