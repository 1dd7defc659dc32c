/* libFuzzer target: the XML feed parsers (Atom, RSS, RDF, arXiv API) on arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_check.h"
#include "lectern/feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum feed_format fmts[] = {FEED_AUTO, FEED_ARXIV_API, FEED_RSS, FEED_ATOM};
	struct feed_info fi;
	struct lerr e;

	if (size > (1 << 16))   /* big seeds (the 2.8 MB RSS) only slow the search down */
		return 0;
	enum feed_format fmt = fmts[size ? data[size - 1] % 4 : 0];
	if (feed_parse(fmt, (const char *)data, size, "https://example.org/feeds/a.xml", fuzz_check_paper, NULL, &fi, &e) != 0 &&
	    e.kind != LERR_PARSE)
		abort();   /* the only failure a parser reports is a parse error */
	fuzz_check_str(fi.title, false);
	feed_info_clear(&fi);
	return 0;
}
