/* libFuzzer target: text cleaning, entities, HTML stripping and TeX accents. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "lectern/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0 || size > (1 << 16))
		return 0;
	int flags = data[0] % 4;
	const char *s = (const char *)data + 1;
	size_t n = size - 1;

	char *c = text_clean(s, n, flags);
	fuzz_check_str(c, !(flags & TEXT_COLLAPSE) || (flags & TEXT_KEEP_PARAS));
	/* Without paragraph marking, cleaning is idempotent. */
	if (!(flags & TEXT_KEEP_PARAS)) {
		char *again = text_clean(c, strlen(c), flags);
		if (strcmp(again, c) != 0)
			abort();
		free(again);
	}
	free(c);

	char *z = malloc(n + 1);
	memcpy(z, s, n);
	z[n] = '\0';
	char *fns[3] = {text_html_unescape(z), text_strip_html(z), text_tex_accents(z)};
	for (int i = 0; i < 3; i++) {
		char *cl = text_clean(fns[i], strlen(fns[i]), TEXT_COLLAPSE);
		fuzz_check_str(cl, false);
		free(cl);
		free(fns[i]);
	}
	free(z);
	return 0;
}
