/* app — what every front end (the commands in cli*.c, the reader in ui*.c) shares, below both:
 * the resolved application context, the exit statuses and the one way to report an error on
 * stderr. It holds no logic of either front end. */
#ifndef LECTERN_APP_H
#define LECTERN_APP_H

#include "lectern/config.h"

/* Exit statuses of every command: 0 success, 1 runtime error, 2 usage error. */
enum { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_USAGE = 2 };

/* Built once by main.c; borrowed (read-only) by the command that runs. */
struct app {
	const char *db_path;        /* resolved: --db, $LECTERN_DB or the XDG default */
	const struct config *cfg;   /* loaded configuration (defaults when no file) */
	const char *config_error;   /* "FILE:LINE: message" of the first bad config line, or NULL
	                             * (main.c already printed it for non-UI commands) */
};

/* Prints "lectern: <msg>\n" to stderr, the message cleaned by text_clean() (escape sequences
 * and control characters removed, invalid UTF-8 replaced) since it may echo arguments. */
void app_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same without the "lectern: " prefix, for notes and per-line reports ("FILE:LINE: ..."). */
void app_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
