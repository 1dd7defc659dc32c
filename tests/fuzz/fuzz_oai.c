/* libFuzzer target: the OAI-PMH ListRecords parser and arXiv's snapshot records on arbitrary
 * bytes (the last byte chooses: even, an OAI-PMH page; odd, one snapshot line). */
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "fuzz_check.h"
#include "lectern/feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct feed_info fi;
	struct lerr e;

	if (size > (1 << 16))
		return 0;
	if (size && data[size - 1] % 2) {
		struct json_tokener *tok = json_tokener_new();
		struct json_object *o = json_tokener_parse_ex(tok, (const char *)data, (int)size);
		json_tokener_free(tok);
		struct paper p;
		if (o && feed_snapshot_paper(o, &p, &e) == 0)
			fuzz_check_paper(NULL, &p);
		else if (o && e.kind != LERR_PARSE)
			abort();
		if (o)
			paper_clear(&p);
		json_object_put(o);
		return 0;
	}
	if (feed_parse(FEED_OAI_PMH, (const char *)data, size, NULL, fuzz_check_paper, NULL, &fi, &e) != 0 &&
	    e.kind != LERR_PARSE)
		abort();
	fuzz_check_str(fi.oai_token, false);
	fuzz_check_str(fi.oai_datestamp, false);
	feed_info_clear(&fi);
	return 0;
}
