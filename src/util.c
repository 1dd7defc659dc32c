/* util — allocation, growable strings, errors, time and path helpers. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "lectern/util.h"

static void (*die_hook)(void);

void util_set_die_hook(void (*hook)(void)) { die_hook = hook; }

_Noreturn void die(const char *fmt, ...)
{
	va_list ap;

	if (die_hook)
		die_hook();
	fputs("lectern: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		die("out of memory (%zu bytes)", n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		die("out of memory");
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die("out of memory (%zu bytes)", n);
	return p;
}

void *xreallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		die("allocation overflow");
	return xrealloc(p, n * size);
}

char *xstrdup(const char *s)
{
	return s ? xstrndup(s, strlen(s)) : NULL;
}

char *xstrndup(const char *s, size_t n)
{
	char *p;

	if (!s)
		return NULL;
	p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	struct sbuf b = {0};
	va_list ap;

	va_start(ap, fmt);
	{
		va_list ap2;
		int n;

		va_copy(ap2, ap);
		n = vsnprintf(NULL, 0, fmt, ap2);
		va_end(ap2);
		if (n < 0)
			die("bad format");
		b.cap = (size_t)n + 1;
		b.s = xmalloc(b.cap);
		vsnprintf(b.s, b.cap, fmt, ap);
		b.len = (size_t)n;
	}
	va_end(ap);
	return b.s;
}

void xfree(void *pp)
{
	void **p = pp;

	free(*p);
	*p = NULL;
}

void lerr_set(struct lerr *e, enum lerr_kind kind, int code, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return;
	e->kind = kind;
	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
}

void lerr_clear(struct lerr *e)
{
	if (e) {
		e->kind = LERR_NONE;
		e->code = 0;
		e->msg[0] = '\0';
	}
}

/* ---- sbuf ---------------------------------------------------------------------------------- */

static void sbuf_grow(struct sbuf *b, size_t extra)
{
	size_t need = b->len + extra + 1;

	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	b->s = xrealloc(b->s, cap);
	b->cap = cap;
}

void sbuf_add(struct sbuf *b, const char *s, size_t n)
{
	sbuf_grow(b, n);
	if (n)
		memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void sbuf_adds(struct sbuf *b, const char *s)
{
	sbuf_add(b, s, strlen(s));
}

void sbuf_addc(struct sbuf *b, char c)
{
	sbuf_add(b, &c, 1);
}

void sbuf_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap, ap2;
	int n;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n > 0) {
		sbuf_grow(b, (size_t)n);
		vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
		b->len += (size_t)n;
	}
	va_end(ap);
}

void sbuf_reset(struct sbuf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

char *sbuf_steal(struct sbuf *b)
{
	char *s = b->s ? b->s : xstrdup("");

	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

void sbuf_free(struct sbuf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

/* ---- time ---------------------------------------------------------------------------------- */

int64_t util_now(void)
{
	const char *fake = getenv("LECTERN_NOW");
	int64_t t;

	/* Tests pin the clock so screens and "last N days" windows are reproducible. */
	if (fake && *fake && util_parse_time(fake, &t) == 0)
		return t;
	return (int64_t)time(NULL);
}

double util_monotonic(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	const int64_t era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static int days_in_month(int y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

static int parse_digits(const char **p, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

static int parse_iso(const char *s, int64_t *t)
{
	int y, mo, d, h = 0, mi = 0, se = 0;
	int64_t off = 0;
	const char *p = s;

	if (parse_digits(&p, 4, &y) || *p++ != '-' || parse_digits(&p, 2, &mo) || *p++ != '-' ||
	    parse_digits(&p, 2, &d))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
		return -1;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (parse_digits(&p, 2, &h) || *p++ != ':' || parse_digits(&p, 2, &mi))
			return -1;
		if (*p == ':') {
			p++;
			if (parse_digits(&p, 2, &se))
				return -1;
			if (*p == '.' || *p == ',') {
				p++;
				while (isdigit((unsigned char)*p))
					p++;
			}
		}
		if (h > 23 || mi > 59 || se > 60)
			return -1;
		if (*p == 'Z' || *p == 'z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			int sign = *p == '-' ? -1 : 1, oh, om = 0;
			p++;
			if (parse_digits(&p, 2, &oh))
				return -1;
			if (*p == ':')
				p++;
			if (isdigit((unsigned char)*p) && parse_digits(&p, 2, &om))
				return -1;
			off = sign * (oh * 3600 + om * 60);
		}
	}
	if (*p != '\0')
		return -1;
	*t = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + se - off;
	return 0;
}

static int parse_rfc822(const char *s, int64_t *t)
{
	static const char *const months[] = {"jan", "feb", "mar", "apr", "may", "jun",
	                                     "jul", "aug", "sep", "oct", "nov", "dec"};
	char mon[4] = {0}, zone[8] = {0};
	int d, y, h = 0, mi = 0, se = 0, n = 0, mo = -1;
	const char *p = s;
	const char *comma = strchr(s, ',');

	if (comma)
		p = comma + 1;
	/* Widths bound every number: sscanf's %d on more digits than an int holds is undefined. */
	if (sscanf(p, " %2d %3s %4d %2d:%2d%n", &d, mon, &y, &h, &mi, &n) < 5)
		return -1;
	p += n;
	if (*p == ':') {
		if (sscanf(p, ":%2d%n", &se, &n) < 1)
			return -1;
		p += n;
	}
	if (sscanf(p, " %7s", zone) < 1)
		zone[0] = '\0';
	for (int i = 0; i < 12; i++)
		if (strncasecmp(mon, months[i], 3) == 0)
			mo = i + 1;
	if (mo < 0 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || se > 60)
		return -1;
	if (y < 100)
		y += y < 70 ? 2000 : 1900;
	int64_t off = 0;
	if (zone[0] == '+' || zone[0] == '-') {
		if (strlen(zone) != 5 || strspn(zone + 1, "0123456789") != 4)   /* +hhmm */
			return -1;
		int v = atoi(zone + 1);
		off = (zone[0] == '-' ? -1 : 1) * ((v / 100) * 3600 + (v % 100) * 60);
	} else if (zone[0] && strcasecmp(zone, "GMT") && strcasecmp(zone, "UT") &&
	           strcasecmp(zone, "UTC") && strcasecmp(zone, "Z")) {
		static const struct { const char *n; int h; } zones[] = {
			{"EST", -5}, {"EDT", -4}, {"CST", -6}, {"CDT", -5},
			{"MST", -7}, {"MDT", -6}, {"PST", -8}, {"PDT", -7},
		};
		for (size_t i = 0; i < ARRAY_LEN(zones); i++)
			if (strcasecmp(zone, zones[i].n) == 0)
				off = zones[i].h * 3600;
	}
	*t = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + se - off;
	return 0;
}

int util_parse_time(const char *s, int64_t *t)
{
	if (!s)
		return -1;
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	char buf[64];
	if (n == 0 || n >= sizeof buf)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (isdigit((unsigned char)buf[0]) && n >= 10 && buf[4] == '-')
		return parse_iso(buf, t);
	return parse_rfc822(buf, t);
}

static void civil(int64_t t, struct tm *tm)
{
	time_t tt = (time_t)t;

	gmtime_r(&tt, tm);
}

void util_fmt_date(int64_t t, char *buf, size_t n)
{
	struct tm tm;

	civil(t, &tm);
	strftime(buf, n, "%Y-%m-%d", &tm);
}

void util_fmt_iso(int64_t t, char *buf, size_t n)
{
	struct tm tm;

	civil(t, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int util_parse_period(const char *s, int64_t *start, int64_t *end)
{
	int y, m = 1, d = 1, n = 0;
	size_t len = s ? strlen(s) : 0;

	if (!s)
		return -1;
	if (!strcmp(s, "today") || !strcmp(s, "yesterday") ||
	    (s[0] == '-' && len > 1 && len <= 6 && strspn(s + 1, "0123456789") == len - 1)) {
		long back = s[0] == 't' ? 0 : s[0] == 'y' ? 1 : strtol(s + 1, NULL, 10);
		int64_t day = util_now() / 86400 - back;
		*start = day * 86400;
		*end = *start + 86400;
		return 0;
	}
	if (len == 4 && sscanf(s, "%4d%n", &y, &n) == 1 && n == 4) {
		*start = days_from_civil(y, 1, 1) * 86400;
		*end = days_from_civil(y + 1, 1, 1) * 86400;
	} else if (len == 7 && sscanf(s, "%4d-%2d%n", &y, &m, &n) == 2 && n == 7 && m >= 1 && m <= 12) {
		*start = days_from_civil(y, (unsigned)m, 1) * 86400;
		*end = days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : (unsigned)m + 1, 1) * 86400;
	} else if (len == 10 && util_valid_date(s) && sscanf(s, "%4d-%2d-%2d", &y, &m, &d) == 3) {
		*start = days_from_civil(y, (unsigned)m, (unsigned)d) * 86400;
		*end = *start + 86400;
	} else {
		return -1;
	}
	return y < 1970 ? -1 : 0;
}

int util_valid_date(const char *s)
{
	int64_t t;

	return s && strlen(s) == 10 && parse_iso(s, &t) == 0;
}

int64_t util_parse_duration(const char *s)
{
	char *end;
	long long v;

	if (!s || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || v < 0)
		return -1;
	int64_t mul = 1;
	if (*end) {
		switch (*end) {
		case 's': mul = 1; break;
		case 'm': mul = 60; break;
		case 'h': mul = 3600; break;
		case 'd': mul = 86400; break;
		default: return -1;
		}
		if (end[1])
			return -1;
	}
	if (v > INT64_MAX / mul)
		return -1;
	return (int64_t)v * mul;
}

/* ---- paths --------------------------------------------------------------------------------- */

int util_mkdir_p(const char *path, unsigned mode)
{
	char *p = xstrdup(path);
	int rc = 0;

	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, mode) != 0 && errno != EEXIST) {
			rc = -1;
			break;
		}
		*s = '/';
	}
	if (rc == 0 && mkdir(p, mode) != 0 && errno != EEXIST)
		rc = -1;
	int saved = errno;
	free(p);
	errno = saved;
	return rc;
}

static char *xdg_dir(const char *var, const char *fallback)
{
	const char *v = getenv(var);

	if (v && v[0] == '/')
		return xasprintf("%s/lectern", v);
	const char *home = getenv("HOME");
	if (!home || *home != '/')   /* never a cache in whatever directory lectern runs from */
		return NULL;
	return xasprintf("%s/%s/lectern", home, fallback);
}

char *util_data_dir(void) { return xdg_dir("XDG_DATA_HOME", ".local/share"); }
char *util_config_dir(void) { return xdg_dir("XDG_CONFIG_HOME", ".config"); }
char *util_state_dir(void) { return xdg_dir("XDG_STATE_HOME", ".local/state"); }

char *util_read_file(const char *path, size_t *len, struct lerr *e)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	struct sbuf b = {0};
	char chunk[65536];
	size_t n;

	if (!f) {
		lerr_set(e, errno == ENOENT ? LERR_NOTFOUND : LERR_IO, errno, "%s: %s", path,
		         strerror(errno));
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		sbuf_add(&b, chunk, n);
	if (ferror(f)) {
		lerr_set(e, LERR_IO, errno, "%s: read error: %s", path, strerror(errno));
		if (f != stdin)
			fclose(f);
		sbuf_free(&b);
		return NULL;
	}
	if (f != stdin)
		fclose(f);
	if (len)
		*len = b.len;
	return sbuf_steal(&b);
}

int64_t util_double_to_i64(double d)
{
	if (d != d)
		return 0;
	if (d >= 9223372036854775807.0)   /* 2^63: the first double past INT64_MAX */
		return INT64_MAX;
	if (d <= -9223372036854775808.0)
		return INT64_MIN;
	return (int64_t)d;
}

int util_read_line(FILE *f, struct sbuf *b, size_t max, size_t *len)
{
	char chunk[4096];
	size_t n = 0, total = 0;
	int c = EOF;
	sbuf_reset(b);
	flockfile(f);
	while ((c = getc_unlocked(f)) != EOF && c != '\n') {
		if (total++ < max)
			chunk[n++] = (char)c;
		if (n == sizeof chunk) {
			sbuf_add(b, chunk, n);
			n = 0;
		}
	}
	funlockfile(f);
	sbuf_add(b, chunk, n);   /* also makes b->s "" for an empty line */
	*len = total;
	return c == EOF && total == 0 ? 0 : 1;
}

bool util_has_line(const char *lines, const char *s)
{
	size_t n = strlen(s);
	for (const char *l = lines; l && *l;) {
		size_t len = strcspn(l, "\n");
		if (len == n && !memcmp(l, s, n))
			return true;
		l += len;
		l += *l == '\n';
	}
	return false;
}
