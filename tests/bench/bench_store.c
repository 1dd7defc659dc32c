/* bench_store — the store's performance targets on a synthetic cache (1,000,000 papers by
 * default; LECTERN_BENCH_N shrinks it). The cache is kept at $LECTERN_BENCH_DB or next to this
 * binary (papers-<N>.db) and reused across runs. The text is realistic: real titles, sentences,
 * names and categories from the fixtures, recombined by papergen.h (so word frequencies are the
 * real corpus's), with held-out real papers planted among the old ones. Prints medians / p50 /
 * p95 in milliseconds. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lectern/store.h"
#include "../../src/store_int.h"   /* pfx_mode: the long-prefix rewrite on/off */
#include "papergen.h"

extern char **environ;

/* The pk at `off` rows into the date order, read the way OFFSET paging would (50 rows from
 * there; raw SQL: the store's API pages by keyset only). -1 on error. */
static int64_t pk_at_offset(struct store *s, size_t off)
{
	sqlite3_stmt *st;
	int64_t pk = -1;
	if (sqlite3_prepare_v2(s->db, "SELECT pk, id, title FROM papers ORDER BY pk DESC"
	                       " LIMIT 50 OFFSET ?", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, (int64_t)off);
	if (sqlite3_step(st) == SQLITE_ROW)
		pk = sqlite3_column_int64(st, 0);
	while (sqlite3_step(st) == SQLITE_ROW)
		;
	sqlite3_finalize(st);
	return pk;
}

static struct pgen *gen;

/* xorshift for the bench's own choices (shuffles, date jitter); the papers' text comes from
 * papergen, deterministic per paper. */
static uint64_t rng = 88172645463325252ULL;
static uint64_t next_u64(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}
static double next_unit(void) { return (double)(next_u64() >> 11) / 9007199254740992.0; }

/* Held-out real papers planted across the dates: paper i is the k-th old one when it falls on
 * one of pgen_n_old() evenly spaced indexes. Returns k, or -1. */
static long planted(size_t i, size_t n_total)
{
	size_t no = pgen_n_old(gen), step = n_total / no;
	if (step < 2 || i % step != step / 2 || i / step >= no)
		return -1;
	return (long)(i / step);
}

static void make_paper(struct paper *p, size_t i, int64_t published, size_t n_total)
{
	long k = planted(i, n_total);
	if (k >= 0)
		pgen_old(gen, (size_t)k, published, p);
	else
		pgen_paper(gen, i, published, p);
}

static void die_e(const char *what, const struct lerr *e);

/* CJK titles (a Zipf-like draw from Japanese and Chinese title words, no spaces between them,
 * as CJK is written), for the CJK searches: the index holds one token per CJK character. */
static const char *const cjk_words[] = {
	"の", "と", "に", "による", "における", "モデル", "言語", "大規模", "学習", "推論", "評価",
	"生成", "画像", "深層", "強化", "手法", "データ", "基于", "的", "模型", "大模型", "研究",
	"方法", "神经网络", "数据集", "能力", "に関する", "検索", "知識", "理解", "多言語", "対話",
	"音声", "翻訳", "ロボット", "制御", "最適化", "表現", "拡散", "グラフ", "量子", "物理",
};

static char *cjk_title(void)
{
	struct sbuf b = {0};
	size_t nw = sizeof cjk_words / sizeof *cjk_words;
	for (int k = 0; k < 8; k++) {
		double u = next_unit();
		sbuf_adds(&b, cjk_words[(size_t)((double)nw * u * u) % nw]);   /* head-heavy */
	}
	return sbuf_steal(&b);
}

/* Adds the CJK-titled papers "cjk:0" .. (n / 50, dates across the whole range) once. */
static void add_cjk(struct store *s, size_t n)
{
	struct lerr e = {0};
	struct paper g;
	if (store_get(s, "cjk:0", &g, &e) == 0) {
		paper_clear(&g);
		return;
	}
	size_t m = n / 50 ? n / 50 : 1;
	double t0 = util_monotonic();
	const int64_t d0 = 1420070400;
	const double span = 11.0 * 365 * 86400;
	for (size_t i = 0; i < m;) {
		if (store_begin(s, &e) < 0)
			die_e("begin", &e);
		for (size_t k = 0; k < 1000 && i < m; k++, i++) {
			struct paper p;
			pgen_paper(gen, i, d0 + (int64_t)(span * (double)i / (double)m), &p);
			free(p.id);
			p.id = xasprintf("cjk:%zu", i);
			free(p.title);
			p.title = cjk_title();
			if (store_upsert(s, &p, &(struct store_listing){ .source = "arxiv", .position = -1 },
			                 NULL, &e) < 0)
				die_e("upsert", &e);
			paper_clear(&p);
		}
		if (store_commit(s, &e) < 0)
			die_e("commit", &e);
	}
	printf("store: added %zu CJK-titled papers in %.1f s\n", m, util_monotonic() - t0);
}

static double now_ms(void) { return util_monotonic() * 1000.0; }

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}
static double pct(double *v, size_t n, double q)
{
	qsort(v, n, sizeof *v, cmp_d);
	size_t i = (size_t)ceil(q * (double)n) - 1;
	return v[i >= n ? n - 1 : i];
}

static void die_e(const char *what, const struct lerr *e)
{
	fprintf(stderr, "bench_store: %s: %s\n", what, e->msg);
	exit(1);
}

/* Ingests papers [from, to) in batches of 1000 (one transaction each, shuffled within the
 * batch like a real listing). Returns papers/s. */
static double cpu_s(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* Time spent inside the store only (generating the text is not counted). */
static double ingest_cpu;

static double ingest(struct store *s, size_t from, size_t to, size_t n_total)
{
	double spent = 0;
	ingest_cpu = 0;
	const int64_t t0 = 1420070400;                 /* 2015-01-01 */
	const double span = 11.0 * 365 * 86400;        /* to 2026 */
	struct lerr e = {0};
	double start = now_ms();
	enum { BATCH = 1000 };
	struct paper *batch = xcalloc(BATCH, sizeof *batch);
	for (size_t i = from; i < to;) {
		size_t n = to - i < BATCH ? to - i : BATCH;
		for (size_t k = 0; k < n; k++) {
			size_t j = i + k;
			make_paper(&batch[k], j, t0 + (int64_t)(span * (double)j / (double)n_total) +
			                             (int64_t)(next_u64() % 600), n_total);
		}
		for (size_t k = n; k > 1; k--) {   /* shuffle */
			size_t r = next_u64() % k;
			struct paper t = batch[k - 1];
			batch[k - 1] = batch[r];
			batch[r] = t;
		}
		double w0 = now_ms(), c0 = cpu_s();
		if (store_begin(s, &e) < 0)
			die_e("begin", &e);
		for (size_t k = 0; k < n; k++) {
			/* as fetched: Daily Papers papers listed by hf-daily on their day, the others
			 * by arxiv on their announcement day */
			bool hf = batch[k].hf_day != NULL;
			char d[11];
			util_fmt_date(batch[k].published, d, sizeof d);
			if (store_upsert(s, &batch[k], &(struct store_listing){ .source = hf ? "hf-daily" : "arxiv",
			             .day = d, .position = hf ? (int64_t)(k % 50) : (int64_t)k }, NULL, &e) < 0)
				die_e("upsert", &e);
			paper_clear(&batch[k]);
		}
		if (store_commit(s, &e) < 0)
			die_e("commit", &e);
		spent += now_ms() - w0;
		ingest_cpu += cpu_s() - c0;
		i += n;
		if ((i - from) % 100000 == 0)
			fprintf(stderr, "  ... %zu papers, %.0f/s\n", i,
			        (double)(i - from) / (spent / 1000));
	}
	free(batch);
	(void)start;
	ingest_cpu = (double)(to - from) / ingest_cpu;
	return (double)(to - from) / (spent / 1000);
}

static double time_window(struct store *s, const struct store_view *v,
                          const struct store_key *anchor, size_t *got)
{
	struct store_rows r = {0};
	struct lerr e = {0};
	double t = now_ms();
	if (store_window(s, v, anchor, 1, 50, &r, &e) < 0)
		die_e("window", &e);
	t = now_ms() - t;
	if (got)
		*got = r.n;
	store_rows_clear(&r);
	return t;
}

/* Peak RSS of a child: Linux carries the pre-exec address space's high-water mark into the
 * child's ru_maxrss, and a child spawned from this (large) process would report this
 * process's RSS. So a helper forked while the bench is still small spawns the command when
 * asked and sends back its ru_maxrss (KiB, or -1 when it failed). */
static int rss_req = -1, rss_ans = -1;

static void rss_helper_start(char **args)
{
	int req[2], ans[2];
	if (pipe(req) < 0 || pipe(ans) < 0)
		return;
	pid_t pid = fork();
	if (pid < 0)
		return;
	if (pid == 0) {
		close(req[1]);
		close(ans[0]);
		char go;
		long kb = -1;
		if (read(req[0], &go, 1) == 1) {
			posix_spawn_file_actions_t fa;
			posix_spawn_file_actions_init(&fa);
			posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
			pid_t c;
			int status;
			struct rusage ru;
			if (posix_spawn(&c, args[0], &fa, NULL, args, environ) == 0 &&
			    wait4(c, &status, 0, &ru) == c && WIFEXITED(status) &&
			    WEXITSTATUS(status) == 0)
				kb = ru.ru_maxrss;
		}
		if (write(ans[1], &kb, sizeof kb) < 0)
			_exit(1);
		_exit(0);
	}
	close(req[0]);
	close(ans[1]);
	rss_req = req[1];
	rss_ans = ans[0];
}

/* Runs the command in the helper; returns its peak RSS in KiB or -1. */
static long rss_helper_run(void)
{
	long kb = -1;
	if (rss_req < 0 || write(rss_req, "g", 1) != 1 || read(rss_ans, &kb, sizeof kb) != sizeof kb)
		kb = -1;
	wait(NULL);
	return kb;
}

static long long file_size(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 ? (long long)sb.st_size : 0;
}

int main(int argc, char **argv)
{
	size_t n = 1000000;
	const char *env = getenv("LECTERN_BENCH_N");
	if (env && atol(env) > 0)
		n = (size_t)atol(env);
	char path[1024];
	env = getenv("LECTERN_BENCH_DB");
	if (env && *env) {
		snprintf(path, sizeof path, "%s", env);
	} else {
		const char *slash = strrchr(argv[0], '/');
		int dl = slash ? (int)(slash - argv[0]) : 1;
		snprintf(path, sizeof path, "%.*s/papers-%zu.db", dl, slash ? argv[0] : ".", n);
	}
	/* The RSS helper is forked first, while this process is small. */
	const char *bin = getenv("LECTERN_BIN");
	char a1[] = "--db", a3[] = "list", a4[] = "--limit", a5[] = "50", a6[] = "--query",
	     a7[] = "model";
	char *args[] = { (char *)bin, a1, path, a3, a4, a5, a6, a7, NULL };
	bool have_bin = bin && access(bin, X_OK) == 0;
	if (have_bin)
		rss_helper_start(args);
	struct lerr e = {0};
	gen = pgen_new(BENCH_DATA, 1, &e);
	if (!gen)
		die_e("papergen", &e);

	/* Ingest rate on a fresh file (20,000 papers, or N if smaller). LECTERN_BENCH_SEARCH_ONLY
	 * skips it (and the RSS line) to time searches on an existing cache. */
	bool search_only = getenv("LECTERN_BENCH_SEARCH_ONLY") != NULL;
	char fresh[1100];
	snprintf(fresh, sizeof fresh, "%s.ingest-tmp", path);
	unlink(fresh);
	struct store *s = NULL;
	size_t ni = n < 20000 ? n : 20000;
	if (!search_only) {
		s = store_open(fresh, 0, &e);
		if (!s)
			die_e(fresh, &e);
		double rate = ingest(s, 0, ni, ni);
		store_close(&s);
		printf("store: ingest (fresh file, %zu papers of realistic text (papergen), with "
		       "FTS): %.0f papers/s wall, %.0f papers/s per CPU second\n", ni, rate,
		       ingest_cpu);
	}
	char side[1200];
	unlink(fresh);
	snprintf(side, sizeof side, "%s-wal", fresh);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", fresh);
	unlink(side);
	if (getenv("LECTERN_BENCH_INGEST_ONLY"))
		return 0;

	double open0 = now_ms();
	s = store_open(path, 0, &e);
	if (!s)
		die_e(path, &e);
	printf("store: first open of the cache (schema migrations, if any): %.1f s\n",
	       (now_ms() - open0) / 1000);
	int64_t have = store_count(s, NULL, -1, &e);
	if (have < (int64_t)n) {
		fprintf(stderr, "bench_store: building %s (%zu papers; reused next time)\n", path, n);
		double r = ingest(s, (size_t)have, n, n);
		printf("store: ingest (building the %zu-paper cache): %.0f papers/s wall, %.0f per CPU "
		       "second\n", n, r, ingest_cpu);
	}
	add_cjk(s, n);
	store_close(&s);
	printf("store: cache %s: %zu papers, %.1f MB\n", path, n,
	       (double)file_size(path) / 1048576.0);

	enum { RUNS = 9, QRUNS = 21 };
	double t[QRUNS];
	/* open + first screen, newest first */
	for (int i = 0; i < RUNS; i++) {
		double t0 = now_ms();
		s = store_open(path, 0, &e);
		if (!s)
			die_e(path, &e);
		struct store_view v = { 0 };
		time_window(s, &v, NULL, NULL);
		t[i] = now_ms() - t0;
		store_close(&s);
	}
	printf("store: open + first screen (50 rows, newest first): median %.2f ms\n",
	       pct(t, RUNS, 0.5));

	s = store_open(path, 0, &e);
	struct store_view all = { 0 };
	/* deep in the list: keyset from an anchor in the middle, and the offset equivalent */
	size_t deep = n / 2;
	int64_t deep_pk = pk_at_offset(s, deep);
	if (deep_pk < 0) {
		fprintf(stderr, "bench_store: deep page: %s\n", sqlite3_errmsg(s->db));
		exit(1);
	}
	/* in date order a row's key is its pk (store_query.c) */
	struct store_key anchor = { .k1 = deep_pk, .k2 = deep_pk };
	for (int i = 0; i < RUNS; i++)
		t[i] = time_window(s, &all, &anchor, NULL);
	printf("store: screen at row %zu by keyset anchor: median %.2f ms\n", deep,
	       pct(t, RUNS, 0.5));
	for (int i = 0; i < 3; i++) {
		double t0 = now_ms();
		pk_at_offset(s, deep);
		t[i] = now_ms() - t0;
	}
	printf("store: screen at row %zu by OFFSET: median %.2f ms\n", deep, pct(t, 3, 0.5));
	struct store_view up = { .sort = STORE_SORT_UPVOTES };
	for (int i = 0; i < RUNS; i++)
		t[i] = time_window(s, &up, NULL, NULL);
	printf("store: first screen by upvotes: median %.2f ms\n", pct(t, RUNS, 0.5));
	/* A Daily Papers day view (the reader's default sort, upvotes, and the date/listed order),
	 * the newest day and one in the middle, and stepping to the previous day. */
	{
		char newest[16], mid[16];
		if (store_hf_day_step(s, "9999-12-31", -1, newest, sizeof newest, &e) != 1)
			die_e("newest day", &e);
		util_fmt_date(1420070400 + (int64_t)(5.5 * 365 * 86400), mid, sizeof mid);
		const char *days[] = { newest, mid };
		for (int dd = 0; dd < 2; dd++)
			for (int so = 0; so < 2; so++) {
				struct store_view dv = { .filter = STORE_VIEW_HF_DAY, .day = days[dd],
				                         .sort = so ? STORE_SORT_DATE : STORE_SORT_UPVOTES };
				size_t got = 0;
				for (int i = 0; i < RUNS; i++)
					t[i] = time_window(s, &dv, NULL, &got);
				printf("store: day view %s (%s, %zu rows): median %.3f ms\n", days[dd],
				       so ? "date/listed" : "upvotes", got, pct(t, RUNS, 0.5));
			}
		/* A search typed in a day view (the reader opens on one), by relevance. */
		const char *dq[] = { "model", "neural network", "learni*" };
		for (size_t qi = 0; qi < sizeof dq / sizeof *dq; qi++) {
			struct store_view dv = { .filter = STORE_VIEW_HF_DAY, .day = newest,
			                         .sort = STORE_SORT_RELEVANCE, .query = dq[qi] };
			size_t got = 0;
			for (int i = 0; i < QRUNS; i++)
				t[i] = time_window(s, &dv, NULL, &got);
			printf("store: search %s in day view %s (relevance, %zu rows): p50 %.2f ms, p95 "
			       "%.2f ms\n", dq[qi], newest, got, pct(t, QRUNS, 0.5), pct(t, QRUNS, 0.95));
		}
		char prev[16];
		for (int i = 0; i < QRUNS; i++) {
			double t0 = now_ms();
			store_hf_day_step(s, mid, -1, prev, sizeof prev, &e);
			t[i] = now_ms() - t0;
		}
		printf("store: day step from %s to %s: median %.3f ms\n", mid, prev,
		       pct(t, QRUNS, 0.5));
	}
	if (getenv("LECTERN_BENCH_DAY_ONLY"))
		return 0;

	/* Probe words from the real corpus: the most common surname and a mid-frequency one, the
	 * most common organisation word, a word that occurs once in the fixtures. */
	char au1[96], au2[96], org[96], orq[96], rare[96];
	snprintf(au1, sizeof au1, "au:%s model", pgen_surname(gen, 0));
	snprintf(au2, sizeof au2, "au:%s learning", pgen_surname(gen, 40));
	snprintf(org, sizeof org, "org:%s model", pgen_org_word(gen, 0));
	snprintf(orq, sizeof orq, "org:%s", pgen_org_word(gen, 5));
	snprintf(rare, sizeof rare, "%s", pgen_rare_word(gen, 7));
	const char *queries[] = { "model", rare, "neural network", "large language models",
	                          "gen*", au1, au2, "cat:cs.LG model", "言語モデル", "大規模",
	                          "量子 ロボット", org, orq, "neural OR quantum",
	                          "(neural OR quantum) -is:read", "neural OR date:2025",
	                          "cat:cs model", "cat:physics" };
	const char *names[] = { "1 common word", "1 rare word", "2 words", "3 words", "prefix",
	                        "author + word", "author 2 + word", "category + word", "CJK word",
	                        "CJK word 2", "2 CJK words", "org + word", "org", "OR of words",
	                        "OR + flag", "OR mixing a date", "archive + word", "archive" };
	/* LECTERN_BENCH_Q=TEXT runs only the searches whose query contains TEXT (while tuning). */
	const char *only = getenv("LECTERN_BENCH_Q");
	enum store_sort sorts[] = { STORE_SORT_RELEVANCE, STORE_SORT_DATE };
	for (size_t qi = 0; qi < sizeof queries / sizeof *queries; qi++)
		for (int si = 0; si < 2; si++) {
			if (only && !strstr(queries[qi], only))
				continue;
			struct store_view v = { .sort = sorts[si], .query = queries[qi] };
			size_t got = 0;
			for (int i = 0; i < QRUNS; i++)
				t[i] = time_window(s, &v, NULL, &got);
			double p50 = pct(t, QRUNS, 0.5), p95 = pct(t, QRUNS, 0.95);
			int64_t cnt = store_count(s, &v, 10000, &e);
			printf("store: search %-16s %-22s (%s): p50 %.2f ms, p95 %.2f ms (%zu rows; "
			       "%lld%s matches)\n", names[qi], queries[qi],
			       si ? "date" : "relevance", p50, p95, got, (long long)cnt,
			       cnt == 10000 || (si == 0 && cnt == 1000) ? "+" : "");
		}

	/* An old paper by its own title words (issue 10): held-out real papers planted in the
	 * oldest half of the cache, the first four words of 4+ letters of their titles, by
	 * relevance; where the paper ranks among the newer papers that share those words. */
	for (size_t k = 1; k < pgen_n_old(gen) / 2; k += 3) {
		char id[32], q[256] = "";
		snprintf(id, sizeof id, "old:%zu", k);
		struct paper op;
		if (store_get(s, id, &op, &e) < 0)
			continue;   /* a cache too small to hold this one */
		char *tt = xstrdup(op.title), *save = NULL;
		paper_clear(&op);
		int nw = 0;
		for (char *w = strtok_r(tt, " ,.:;()", &save); w && nw < 4;
		     w = strtok_r(NULL, " ,.:;()", &save))
			if (strlen(w) >= 4 && isalpha((unsigned char)w[0]) && !strchr(w, '-') &&
			    !strchr(w, '$'))
				nw++, strncat(q, w, sizeof q - strlen(q) - 2), strcat(q, " ");
		free(tt);
		if (only && !strstr(q, only) && strcmp(only, "old"))
			continue;
		struct store_view v = { .sort = STORE_SORT_RELEVANCE, .query = q };
		for (int i = 0; i < QRUNS; i++)
			t[i] = time_window(s, &v, NULL, NULL);
		struct store_rows r = {0};
		store_window(s, &v, NULL, 1, 50, &r, &e);
		int rank = 0;
		for (size_t i = 0; i < r.n && !rank; i++)
			if (!strcmp(r.v[i].id, id))
				rank = (int)i + 1;
		store_rows_clear(&r);
		struct store_bound b;
		store_bound(s, &v, 100000, &b, &e);
		printf("store: search old title words \"%s\" (relevance): p50 %.2f ms, p95 %.2f ms; "
		       "the paper ranks %s%d; %lld candidates of %lld matches\n", q, pct(t, QRUNS, 0.5),
		       pct(t, QRUNS, 0.95), rank ? "#" : "not in the first 50: ", rank,
		       (long long)b.candidates, (long long)b.matches);
	}

	/* Search as you type: prefixes of 2 to 6 letters, newest first and by relevance; long
	 * prefixes as lectern searches them (the OR of their words, else mod* + exact check: see
	 * store_query.c) and as the plain FTS5 prefix query. */
	/* Schema 16 has no prefix index on papers_fts: 2-3 letters alone (and comp*, which begins
	 * more than 48 words) search the title index; beside a word they are checked on its rows
	 * (model zy*: a prefix that begins almost nothing, so every `model` paper is checked). */
	const char *typed[] = { "mo*", "mod*", "mode*", "model*", "data*", "gene*", "gener*",
	                        "learni*", "netw*", "genom*", "genet*", "robu*", "modu*",
	                        "model data*", "qu*", "quan*", "comp*", "neural tr*",
	                        "neural comp*", "quantum ne*", "model zy*", "(neural OR gen*)",
	                        "-tr* model" };
	for (size_t qi = 0; qi < sizeof typed / sizeof *typed; qi++)
		for (int si = 0; si < 2; si++)
			for (int plain = 0; plain < 2; plain++) {
				if (only && !strstr(typed[qi], only))
					continue;
				struct store_view v = { .sort = sorts[si], .query = typed[qi] };
				size_t got = 0;
				s->pfx_mode = plain ? STORE_PFX_NEVER : STORE_PFX_AUTO;
				s->pfx_terms = false;
				for (int i = 0; i < QRUNS; i++)
					t[i] = time_window(s, &v, NULL, &got);
				int64_t checks = s->pfx_checks;
				printf("store: typed %-12s (%-9s, %s): p50 %.2f ms, p95 %.2f ms (%zu rows, %lld "
				       "checks%s%s)\n", typed[qi], si ? "date" : "relevance",
				       plain ? "plain" : "auto ", pct(t, QRUNS, 0.5),
				       pct(t, QRUNS, 0.95), got, (long long)checks,
				       s->pfx_over ? ", fell back" : "", s->pfx_terms ? ", as words" : "");
			}
	s->pfx_mode = STORE_PFX_AUTO;

	/* favourite toggle (an autocommit write) */
	struct store_rows first = {0};
	store_window(s, &all, NULL, 1, 1, &first, &e);
	for (int i = 0; i < QRUNS; i++) {
		double t0 = now_ms();
		if (store_toggle_favourite(s, first.v[0].id, NULL, &e) < 0)
			die_e("toggle", &e);
		t[i] = now_ms() - t0;
	}
	store_rows_clear(&first);
	printf("store: favourite toggle: median %.2f ms\n", pct(t, QRUNS, 0.5));
	store_close(&s);

	/* Peak RSS of the CLI running a search on this cache. */
	if (!have_bin) {
		printf("store: peak RSS of `lectern list --query model`: skipped (LECTERN_BIN not "
		       "set or not executable)\n");
		return 0;
	}
	long kb = rss_helper_run();
	if (kb < 0)
		printf("store: peak RSS of `lectern list --query model`: skipped (the command "
		       "failed)\n");
	else
		printf("store: peak RSS of `lectern --db FILE list --limit 50 --query model`: %.1f MB\n",
		       (double)kb / 1024.0);
	(void)argc;
	return 0;
}
