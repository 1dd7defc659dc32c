/* util — memory, growable strings, errors and time helpers shared by every layer.
 * Nothing here knows about curses, SQLite, curl or XML. */
#ifndef LECTERN_UTIL_H
#define LECTERN_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Allocation that never returns NULL: on exhaustion they print and abort (through die()). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);          /* xstrdup(NULL) == NULL */
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Frees *p and sets it to NULL. */
void xfree(void *pp);

/* Called before a fatal message is printed (the UI registers a hook that restores the terminal). */
void util_set_die_hook(void (*hook)(void));
_Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* An error report: a message for a person, and a short category for code. Functions that take a
 * `struct lerr *` fill it when they return failure; a NULL pointer is allowed and ignores it. */
enum lerr_kind {
	LERR_NONE = 0,
	LERR_USAGE,    /* the caller / user asked for something invalid */
	LERR_IO,       /* file system, disk full, permissions */
	LERR_DB,       /* SQLite error (corrupt, locked, ...) */
	LERR_NET,      /* connection, timeout, TLS */
	LERR_HTTP,     /* HTTP status not 2xx/304 */
	LERR_PARSE,    /* malformed input */
	LERR_NOTFOUND,
};
struct lerr {
	enum lerr_kind kind;
	int code;       /* kind-specific: HTTP status, SQLite code, errno, line number... */
	char msg[512];
};
void lerr_set(struct lerr *e, enum lerr_kind kind, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void lerr_clear(struct lerr *e);

/* Growable NUL-terminated byte string. Zero-initialise (`struct sbuf b = {0};`); sbuf_free() or
 * take ownership with sbuf_steal(). b.s is NULL until something is appended. */
struct sbuf {
	char *s;
	size_t len, cap;
};
void sbuf_add(struct sbuf *b, const char *s, size_t n);
void sbuf_adds(struct sbuf *b, const char *s);
void sbuf_addc(struct sbuf *b, char c);
void sbuf_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sbuf_reset(struct sbuf *b);       /* len = 0, keeps the buffer */
char *sbuf_steal(struct sbuf *b);      /* returns the string ("" if empty), leaves b empty */
void sbuf_free(struct sbuf *b);

/* Time. Timestamps are UTC. */
int64_t util_now(void);                /* seconds since the epoch */
double util_monotonic(void);           /* seconds, monotonic clock */
/* Parses RFC 3339 / ISO 8601 ("2025-11-19", "2025-11-19T10:00:00Z", "...+02:00", fractional
 * seconds) or RFC 822 ("Thu, 24 Sep 2026 00:00:00 -0400"). Returns 0 and sets *t, or -1. */
int util_parse_time(const char *s, int64_t *t);
/* Formats t as "YYYY-MM-DD" (buf >= 11) or "YYYY-MM-DDTHH:MM:SSZ" (buf >= 21). */
void util_fmt_date(int64_t t, char *buf, size_t n);
void util_fmt_iso(int64_t t, char *buf, size_t n);
/* The period a date names, as [*start, *end) in UTC: a year "2025", a month "2025-11", a day
 * "2025-11-19", or a day relative to util_now(): "today", "yesterday", "-N" (N days ago).
 * Returns 0, or -1 when s is none of these (or before 1970). */
int util_parse_period(const char *s, int64_t *start, int64_t *end);
/* Validates "YYYY-MM-DD" (a real calendar date). */
int util_valid_date(const char *s);
/* Parses durations like "30m", "2h", "1d", "45s", "90" (seconds). Returns -1 when malformed. */
int64_t util_parse_duration(const char *s);

/* d as an int64, saturating at its limits (NaN gives 0): a plain cast of a double out of
 * int64's range is undefined behaviour. */
int64_t util_double_to_i64(double d);

/* Paths. */
int util_mkdir_p(const char *path, unsigned mode);  /* 0 or -1 with errno */
/* $XDG_DATA_HOME/lectern (or ~/.local/share/lectern) and the config analogue. Caller frees.
 * NULL when neither the XDG variable nor $HOME is an absolute path (a cron job or a service
 * without HOME): the caller says so instead of writing under the current directory. */
char *util_data_dir(void);
char *util_config_dir(void);
char *util_state_dir(void);   /* $XDG_STATE_HOME/lectern (~/.local/state/lectern) */
/* Reads a whole file; returns NULL with *e set on failure. *len gets the size. Caller frees. */
char *util_read_file(const char *path, size_t *len, struct lerr *e);

/* Reads one line of f (up to "\n", which is not kept) into b (reset first), keeping at most
 * `max` bytes of it, so memory stays bounded whatever the input: the rest of a longer line is
 * read and dropped. *len gets the line's whole length (> max: it was cut). Returns 1 for a
 * line, 0 at the end of the file (or an error: check ferror) with nothing read. */
int util_read_line(FILE *f, struct sbuf *b, size_t max, size_t *len);

/* Whether s is one of the "\n"-separated lines of `lines` (NULL: no lines). */
bool util_has_line(const char *lines, const char *s);

#endif
