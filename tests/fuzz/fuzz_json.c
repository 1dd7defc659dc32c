/* libFuzzer target: the Hugging Face JSON parser on arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_check.h"
#include "lectern/feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct feed_info fi;
	struct lerr e;

	if (size > (1 << 18))   /* the HF fixtures are 64-210 KB */
		return 0;
	if (feed_parse(FEED_HF_DAILY, (const char *)data, size, NULL, fuzz_check_paper, NULL, &fi, &e) != 0 &&
	    e.kind != LERR_PARSE)
		abort();
	feed_info_clear(&fi);
	return 0;
}
