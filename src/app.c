/* app — the front ends' shared error report (see app.h). */
#include "lectern/app.h"

#include <stdarg.h>
#include <stdio.h>

void app_error(const char *fmt, ...)
{
	va_list ap;

	fputs("lectern: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
