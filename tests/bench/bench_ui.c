/* bench_ui — key-to-screen latency of the reader on a large cache (1,000,000 papers by default;
 * LECTERN_BENCH_N shrinks it), driven through the real binary's headless mode with --timings.
 * The cache follows the store benchmark's convention and is shared with it: $LECTERN_BENCH_DB,
 * else papers-<N>.db next to this binary (`make bench` runs bench_store first, which builds it).
 * When it is missing, bench_ui builds it with bench_store only for N <= 100,000 or when
 * LECTERN_BENCH_BUILD=1 (a 1M cache takes minutes and ~6 GB); otherwise it says how and stops.
 * Targets: p95 <= 5 ms per key (moves, pages, jumps, detail), <= 30 ms per search keystroke
 * (issues 10 and 13: a search reads the index), start-up to the first full screen <= 50 ms, the
 * reader's peak RSS over the run <= 30 MB (issue 13). Exits 1 when a target is missed. */
#include <errno.h>
#include <stdbool.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lectern/store.h"

extern char **environ;

static long last_rss_kb;   /* peak RSS of the last run() */

static int run(char *const *argv)
{
	pid_t pid;
	int rc = posix_spawn(&pid, argv[0], NULL, NULL, argv, environ);
	if (rc != 0) {
		fprintf(stderr, "bench_ui: cannot run %s: %s\n", argv[0], strerror(rc));
		return -1;
	}
	int st;
	struct rusage ru;
	while (wait4(pid, &st, 0, &ru) < 0)
		if (errno != EINTR)
			return -1;
	last_rss_kb = ru.ru_maxrss;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

struct series {
	const char *name;
	double v[4096];
	size_t n;
};

static void report(struct series *s, double *worst_p95)
{
	if (!s->n)
		return;
	qsort(s->v, s->n, sizeof s->v[0], cmp);
	double p50 = s->v[s->n / 2], p95 = s->v[(s->n * 95) / 100 < s->n ? (s->n * 95) / 100 : s->n - 1];
	printf("ui: %-26s n=%4zu  p50 %6.2f ms  p95 %6.2f ms  max %6.2f ms\n", s->name, s->n, p50, p95,
	       s->v[s->n - 1]);
	if (p95 > *worst_p95)
		*worst_p95 = p95;
}

int main(int argc, char **argv)
{
	(void)argc;
	const char *bin = getenv("LECTERN_BIN");
	if (!bin || !*bin) {
		fprintf(stderr, "bench_ui: set LECTERN_BIN to the lectern binary (make bench does)\n");
		return 2;
	}
	size_t n = 1000000;
	const char *env = getenv("LECTERN_BENCH_N");
	if (env && atol(env) > 0)
		n = (size_t)atol(env);
	const char *slash = strrchr(argv[0], '/');
	int dl = slash ? (int)(slash - argv[0]) : 1;
	const char *dir = slash ? argv[0] : ".";
	char db[1024], tmp[1024], keys[1100], tim[1100];
	env = getenv("LECTERN_BENCH_DB");
	if (env && *env)
		snprintf(db, sizeof db, "%s", env);
	else
		snprintf(db, sizeof db, "%.*s/papers-%zu.db", dl, dir, n);
	struct stat sb;
	if (stat(db, &sb) != 0) {
		char store_bench[1100];
		snprintf(store_bench, sizeof store_bench, "%.*s/bench_store", dl, dir);
		const char *build = getenv("LECTERN_BENCH_BUILD");
		if (n > 100000 && !(build && strcmp(build, "1") == 0)) {
			fprintf(stderr,
			        "bench_ui: no cache at %s. Building %zu papers takes minutes and GBs; run\n"
			        "  LECTERN_BENCH_N=%zu LECTERN_BENCH_DB=%s %s\n"
			        "first (or set LECTERN_BENCH_BUILD=1, or a smaller LECTERN_BENCH_N, or\n"
			        "LECTERN_BENCH_DB to an existing cache).\n",
			        db, n, n, db, store_bench);
			return 2;
		}
		printf("bench_ui: no cache at %s: building it (%zu papers) with %s, which also runs the "
		       "store benchmark; it is reused next time\n", db, n, store_bench);
		fflush(stdout);
		setenv("LECTERN_BENCH_DB", db, 1);
		char *av[] = {store_bench, NULL};
		if (run(av) != 0) {
			fprintf(stderr, "bench_ui: could not build the cache\n");
			return 1;
		}
	}
	/* the figures are for what the cache holds, whatever N asked for */
	struct lerr e = {0};
	struct store *st = store_open(db, STORE_READONLY | STORE_NOCREATE, &e);
	if (!st) {
		fprintf(stderr, "bench_ui: %s: %s\n", db, e.msg);
		return 1;
	}
	struct store_view all = {0};
	int64_t have = store_count(st, &all, INT64_MAX, &e);
	store_close(&st);
	if (have < 0) {
		fprintf(stderr, "bench_ui: %s: %s\n", db, e.msg);
		return 1;
	}
	if ((size_t)have != n)
		printf("bench_ui: note: the cache holds %lld papers (LECTERN_BENCH_N asks for %zu)\n",
		       (long long)have, n);
	n = (size_t)have;
	printf("bench_ui: cache %s (%zu papers); driving %s headless at 120x40\n", db, n, bin);
	fflush(stdout);
	snprintf(tmp, sizeof tmp, "%.*s/bench-ui-%ld", dl, dir, (long)getpid());
	mkdir(tmp, 0700);
	/* absolute: a relative XDG_CONFIG_HOME is ignored (XDG spec), and with it the config */
	char *abs = realpath(tmp, NULL);
	if (abs) {
		snprintf(tmp, sizeof tmp, "%s", abs);
		free(abs);
	}
	snprintf(keys, sizeof keys, "%s/keys", tmp);
	snprintf(tim, sizeof tim, "%s/timings", tmp);
	FILE *f = fopen(keys, "w");
	if (!f)
		return 1;
	/* moves, pages, jumps to the end and back, detail, and a search typed key by key */
	for (int i = 0; i < 300; i++)
		fputs("j\n", f);
	for (int i = 0; i < 100; i++)
		fputs("<PgDn>\n", f);
	for (int i = 0; i < 20; i++)
		fputs("<C-d>\n", f);
	for (int i = 0; i < 50; i++)
		fputs("<PgUp>\n", f);
	for (int i = 0; i < 20; i++)
		fputs("G\nk\ng\n", f);
	for (int i = 0; i < 30; i++)
		fputs("<Enter>\nj\nh\nj\n", f);
	/* typed key by key (one query per key), then the idle-time count the kept search gets */
	for (int i = 0; i < 10; i++)
		fputs("/\nm\no\nd\ne\nl\n<Space>\nd\na\nt\na\n<Enter>\n<Idle>\n<Esc>\n<Idle>\n", f);
	/* typed ahead: a word's letters arrive at once, one query for the burst */
	for (int i = 0; i < 10; i++)
		fputs("/\nmodel\n<Space>\ndata\n<Enter>\n<Esc>\n", f);
	fclose(f);

	/* defaults, except the view: All, so that moving crosses the whole cache (the default
	 * opens on one Daily Papers day) */
	char conf[1100];
	snprintf(conf, sizeof conf, "%s/lectern", tmp);
	mkdir(conf, 0700);
	snprintf(conf, sizeof conf, "%s/lectern/config", tmp);
	FILE *cf = fopen(conf, "w");
	if (!cf)
		return 1;
	fputs("set start-view all\n", cf);
	fclose(cf);
	setenv("XDG_CONFIG_HOME", tmp, 1);
	setenv("LC_ALL", "C.UTF-8", 1);
	char *av[] = {(char *)bin, (char *)"--db", db, (char *)"ui", (char *)"--headless",
	              (char *)"--size", (char *)"120x40", (char *)"--keys", keys,
	              (char *)"--timings", tim, NULL};
	if (run(av) != 0) {
		fprintf(stderr, "bench_ui: the headless run failed\n");
		return 1;
	}
	long reader_kb = last_rss_kb;
	static struct series move = {"move (j/k)", {0}, 0}, page = {"page (PgDn/PgUp/C-d)", {0}, 0},
	                     jump = {"jump (G/g)", {0}, 0}, detail = {"detail (Enter/h)", {0}, 0},
	                     search = {"search keystroke", {0}, 0}, start = {"start-up (in process)", {0}, 0},
	                     ahead = {"search, word typed ahead", {0}, 0},
	                     idle = {"idle count (not per key)", {0}, 0};
	char line[256], name[128];
	double ms;
	bool in_search = false;
	f = fopen(tim, "r");
	if (!f)
		return 1;
	while (fgets(line, sizeof line, f)) {
		if (sscanf(line, "%127s %lf", name, &ms) != 2)
			continue;
		struct series *s = NULL;
		if (!strcmp(name, "startup")) s = &start;
		else if (!strcmp(name, "<Idle>")) s = &idle;
		else if (!strcmp(name, "/")) { in_search = true; s = &search; }
		else if (in_search && strlen(name) > 1 && name[0] != '<') s = &ahead;
		else if (in_search) { s = &search; if (!strcmp(name, "<Esc>")) in_search = false; }
		else if (!strcmp(name, "j") || !strcmp(name, "k")) s = &move;
		else if (!strcmp(name, "G") || !strcmp(name, "g")) s = &jump;
		else if (!strcmp(name, "<Enter>") || !strcmp(name, "h")) s = &detail;
		else s = &page;
		if (s->n < 4096)
			s->v[s->n++] = ms;
	}
	fclose(f);

	/* whole-process start-up to the first full screen: spawn, open, first window, draw, exit */
	FILE *q = fopen(keys, "w");
	if (q) {
		fputs("q\n", q);
		fclose(q);
	}
	static struct series wall = {"start-up (process, wall)", {0}, 0};
	for (int i = 0; i < 9; i++) {
		double t0 = now_ms();
		char *av2[] = {(char *)bin, (char *)"--db", db, (char *)"ui", (char *)"--headless",
		               (char *)"--size", (char *)"120x40", (char *)"--keys", keys, NULL};
		if (run(av2) != 0)
			return 1;
		wall.v[wall.n++] = now_ms() - t0;
	}
	double worst_key = 0, worst_search = 0, worst_start = 0, ignored = 0;
	report(&move, &worst_key);
	report(&page, &worst_key);
	report(&jump, &worst_key);
	report(&detail, &worst_key);
	report(&search, &worst_search);
	report(&ahead, &worst_search);
	report(&idle, &ignored);
	report(&start, &worst_start);
	report(&wall, &worst_start);
	unlink(keys);
	unlink(tim);
	unlink(conf);
	snprintf(conf, sizeof conf, "%s/lectern", tmp);
	rmdir(conf);
	rmdir(tmp);
	/* the reader's memory after all of the above (20 searches of common words by relevance) */
	printf("ui: reader peak RSS over the run (moves, pages, 20 searches): %.1f MB (target <= 30 MB)\n",
	       (double)reader_kb / 1024.0);
	int ok = worst_key <= 5.0 && worst_search <= 30.0 && worst_start <= 50.0 &&
	         reader_kb <= 30 * 1024;
	printf("ui: targets p95 <= 5 ms per key, <= 30 ms per search keystroke, start-up <= 50 ms, "
	       "RSS <= 30 MB: %s\n", ok ? "met" : "MISSED");
	return ok ? 0 : 1;
}
