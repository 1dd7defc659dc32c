/* feed_priv — the format parsers, called by the dispatcher feed_parse() (feed.c). Not part of the
 * public API: only src/feed*.c include this. The helpers the parsers share are in feed_util.h. */
#ifndef LECTERN_FEED_PRIV_H
#define LECTERN_FEED_PRIV_H

#include <stddef.h>

#include "lectern/feed.h"

/* The format parsers. Same contract as feed_parse(); info is already initialised, e is non-NULL. */
int feed_parse_xml(enum feed_format fmt, const char *buf, size_t len, const char *url,
                   feed_paper_cb cb, void *ctx, struct feed_info *info, struct lerr *e);
int feed_parse_hf(const char *buf, size_t len, feed_paper_cb cb, void *ctx,
                  struct feed_info *info, struct lerr *e);
int feed_parse_oai(const char *buf, size_t len, const char *url, feed_paper_cb cb, void *ctx,
                   struct feed_info *info, struct lerr *e);

#endif
