/* libFuzzer target: the configuration file parser and the date/duration parsers it relies on.
 * Invariants: config_load never crashes, always leaves a usable configuration (at least one
 * source, positive refresh), and reports every bad line as "FILE:LINE: ...". */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lectern/config.h"
#include "lectern/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	if (size > (1 << 16))
		return 0;
	if (!path[0])
		snprintf(path, sizeof path, "/tmp/lectern-fuzz-config-%d", (int)getpid());
	FILE *f = fopen(path, "wb");
	if (!f)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);

	struct config c;
	struct lerr e = {0};
	int rc = config_load(&c, path, &e);
	if (c.n_sources == 0 || c.refresh <= 0 || c.hf_days < 1 || !c.theme)
		abort();
	if ((rc == 0) != (c.n_errors == 0))
		abort();
	for (size_t i = 0; i < c.n_errors; i++)
		if (strncmp(c.errors[i], path, strlen(path)) != 0 || c.errors[i][strlen(path)] != ':')
			abort();
	config_free(&c);

	/* The same bytes as a date and a duration. */
	char buf[80];
	size_t n = size < sizeof buf - 1 ? size : sizeof buf - 1;
	memcpy(buf, data, n);
	buf[n] = '\0';
	int64_t t;
	if (util_parse_time(buf, &t) == 0) {
		char iso[32];
		util_fmt_iso(t, iso, sizeof iso);
	}
	(void)util_parse_duration(buf);
	return 0;
}
