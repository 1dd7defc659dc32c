/* harvest — an OAI-PMH harvest of arXiv (`source arxiv-oai [SET]`): ListRecords in the arXivRaw
 * format, page by page along the resumptionTokens, each page's papers and the checkpoint that
 * follows them in one transaction, so a harvest that stops (a budget, a failure, a killed
 * process) resumes where it stopped. Private to the fetch module: fetch_source() dispatches here. */
#ifndef LECTERN_HARVEST_H
#define LECTERN_HARVEST_H

#include <stddef.h>

#include "fetch_int.h"

/* Harvests src. Without date/since it resumes the stored list (its resumptionToken), else asks
 * from the latest datestamp stored (nothing stored: the whole set); a token arXiv no longer
 * knows (they expire at UTC midnight) falls back once to from=that datestamp. date asks
 * from=until=date, since from=since; neither reads nor moves the checkpoint. Bounded by
 * `harvest-budget` (unset: none, but 10 minutes when env->background). Writes what it did to
 * note ("3 pages, 7 papers…; resumes next run"; n bytes) and emits PROGRESS after every page; adds
 * to *n_new / *n_upd what committed pages stored. Returns 0, or -1 with err set (the pages
 * committed before it stay, with their checkpoint). */
int harvest_source(struct fetch_env *env, const struct config_source *src, const char *date,
                   const char *since, char *note, size_t note_n, long *n_new, long *n_upd,
                   struct lerr *err);

#endif
