/* app — the front ends' shared error report (see app.h). */
#include "lectern/app.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "lectern/text.h"

/* Messages echo ids, paths, option values and server text: the feed-text cleaner keeps an escape
 * sequence pasted into an argument (or sent by a server) from reaching the terminal raw. */
__attribute__((format(printf, 2, 0)))
static void report(const char *prefix, const char *fmt, va_list ap)
{
	char *msg = NULL;
	int n = vasprintf(&msg, fmt, ap);
	if (n < 0) {
		fputs("lectern: out of memory\n", stderr);
		return;
	}
	char *clean = text_clean(msg, (size_t)n, 0);
	fprintf(stderr, "%s%s\n", prefix, clean);
	free(clean);
	free(msg);
}

void app_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report("lectern: ", fmt, ap);
	va_end(ap);
}

void app_note(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report("", fmt, ap);
	va_end(ap);
}
