/* papergen — realistic synthetic papers for the benchmarks, recombined from real metadata.
 *
 * The corpus is the real recorded responses in tests/data (the 1,504-item arXiv RSS day, the
 * arXiv API Atom pages, the Hugging Face Daily Papers JSON days), parsed with lectern's own
 * feed parsers. A generated paper takes a real paper as its base and recombines:
 *   - title: the base's real title, each word of 4+ letters swapped with probability 1/5 for a
 *     title word (4+ letters) drawn by its frequency in real titles (so title words stay Zipfian and real
 *     phrases such as "neural network" co-occur as often as they do in real titles);
 *   - abstract: the base's real sentences, then real sentences of other papers of the same
 *     primary category until 1.5–2 KB; 1 word in 25 (4+ letters) swapped for an abstract word
 *     of 4+ letters drawn by its frequency;
 *   - authors: as many as a real paper has (at most 30), each a real given name and a real
 *     surname drawn by frequency; organisations (HF papers) and first-author affiliations from
 *     the real ones;
 *   - categories: the base's (so their distribution is the real day's);
 *   - 1 paper in 20 is a Daily Papers paper (upvotes, day, organisation).
 * A few real papers are held out of the pools: pgen_old() gives them back whole (title, abstract,
 * authors), for "an old paper found by its own title words" probes.
 *
 * Deterministic: paper i depends only on (seed, i), so a half-built cache can be resumed.
 * Not thread-safe per generator (one per thread). Ownership: the generator owns its corpus; the
 * papers it fills belong to the caller (paper_clear). */
#ifndef LECTERN_BENCH_PAPERGEN_H
#define LECTERN_BENCH_PAPERGEN_H

#include <stddef.h>
#include <stdint.h>

#include "lectern/paper.h"
#include "lectern/util.h"

struct pgen;

/* Loads the corpus from datadir (tests/data). NULL with *e set when a fixture is missing or
 * does not parse. */
struct pgen *pgen_new(const char *datadir, uint64_t seed, struct lerr *e);
void pgen_free(struct pgen *g);

/* Fills p (paper_init'd here) with generated paper i: id "syn:<i>", version 1-3, published and
 * updated = `published`; source_kind ARXIV, or HF for the Daily Papers ones (hf_day set). */
void pgen_paper(struct pgen *g, size_t i, int64_t published, struct paper *p);

/* Held-out real papers: how many, and the k-th whole (id "old:<k>"). */
size_t pgen_n_old(const struct pgen *g);
void pgen_old(struct pgen *g, size_t k, int64_t published, struct paper *p);

/* Probe words from the real corpus, lower case, owned by the generator:
 * a surname by frequency rank (0 = the most common), an abstract word of 6+ letters that occurs
 * exactly once in the corpus (the k-th such word, wrapping), and an organisation by frequency
 * rank (its first word of 3+ letters). */
const char *pgen_surname(const struct pgen *g, size_t rank);
const char *pgen_rare_word(const struct pgen *g, size_t k);
const char *pgen_org_word(const struct pgen *g, size_t rank);

#endif
