/* rank — the personal ranker: "for you", "more like this", and why.
 *
 * Features: tf-idf of the title (counted twice) and abstract — words and bigrams of the index's
 * own tokens (store_tokenize), common English words left out — plus each author (by initial and
 * last name, so "Y. Bengio" and "Yoshua Bengio" are one feature) and each category. Features are
 * hashed into RANK_DIM slots (no vocabulary to keep in step with the cache); document
 * frequencies are counted on a seeded sample of the cache and kept as the blob "df" in
 * rank_model. Nothing per paper is stored: a paper's features are made when it is scored.
 *
 * The model: L2-regularised logistic regression (LIBLINEAR), favourites positive; hidden papers
 * (x) and a seeded sample of at most RANK_SAMPLE other papers negative, hidden ones counted
 * RANK_HIDDEN_WEIGHT times, the classes balanced by LIBLINEAR's class weights. Retraining starts
 * from the stored weights (init_sol). With fewer than RANK_MIN_MODEL favourites there is no model:
 * a paper's score is its cosine similarity to the nearest favourite.
 *
 * Threads: every function uses the store it is given on the calling thread only; the reader calls
 * them from its ranker thread (rank_thread), never from the UI thread. */
#ifndef LECTERN_RANK_H
#define LECTERN_RANK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lectern/store.h"

enum {
	RANK_DIM = 1 << 19,        /* hashed feature slots */
	RANK_SAMPLE = 20000,       /* negatives drawn from the cache */
	RANK_MIN_MODEL = 5,        /* favourites before a model is trained */
	RANK_HIDDEN_WEIGHT = 5,    /* a hidden paper weighs as much as this many sampled ones */
};

enum rank_mode {
	RANK_NO_FAVOURITES,        /* nothing to learn from: "mark papers with f" */
	RANK_SIMILARITY,           /* 1-4 favourites: similarity to the nearest */
	RANK_MODEL,                /* the trained model */
	RANK_SIMILAR_TO,           /* rank_similar: papers like one paper */
};

struct rank_item {
	int64_t pk;
	char *id, *title;
	double score;
	char *why;                 /* the 2-4 features that weigh most for it, "; "-separated:
	                            * words as indexed, "author NAME", "cat:CAT" */
	char *close;               /* the title of the favourite it is closest to (NULL: none) */
};

struct rank_result {
	struct rank_item *v;
	size_t n;
	enum rank_mode mode;
	size_t n_pos, n_neg;       /* training: favourites, negatives (hidden + sample) */
	size_t considered;         /* papers scored */
};

struct rank_opts {
	int64_t since;             /* candidates dated at or after this unix time */
	size_t limit;              /* at most this many results (0: all) */
	uint64_t seed;             /* the sample's draw */
	size_t sample;             /* negatives drawn (0: RANK_SAMPLE) */
	bool no_train;             /* score with the stored model (train only when there is none) */
};

/* Ranks the papers since o->since (favourites and hidden papers left out), best first.
 * Trains (and stores) the model first unless o->no_train and one is stored. Returns 0, or -1
 * with e set. out is cleared with rank_result_free. */
int rank_recommend(struct store *s, const struct rank_opts *o, struct rank_result *out,
                   struct lerr *e);

/* Papers like paper `id` (itself left out): the index's best matches of its strongest terms,
 * reranked by similarity of every feature. LERR_NOTFOUND when id is not cached. */
int rank_similar(struct store *s, const char *id, size_t limit, struct rank_result *out,
                 struct lerr *e);

void rank_result_free(struct rank_result *r);

/* A plain tf-idf centroid ranker (the baseline of tests/bench/bench_rank.c): the papers since
 * `since` by cosine similarity to the mean of the favourites' vectors. */
int rank_centroid(struct store *s, int64_t since, size_t limit, struct rank_result *out,
                  struct lerr *e);

#endif
