/* bench_ingest — ingest against SQLite's floor (issue 13 item 3), side by side in one run.
 *
 * The same papergen papers (realistic text: papergen.h; 100,000 by default, LECTERN_BENCH_N
 * overrides, 0 works) are
 *   - the floor: a fresh SQLite file (defaults: 4 KiB pages, rollback journal) holding only
 *     CREATE VIRTUAL TABLE f USING fts5(title, abstract, authors) (default tokenizer, no prefix
 *     index), filled in one transaction through one prepared statement;
 *   - `lectern import FILE` (the real binary, LECTERN_BIN, into a fresh cache) of the papers
 *     written as arXiv's metadata snapshot (JSON Lines, feed_snapshot.c's fields): wall, CPU and
 *     peak RSS of the process (wait4), the cache's size once it has exited (WAL checkpointed);
 *   - the same papers through store_upsert() in this process (the import without reading JSON);
 *   - layouts as raw SQL in this harness, filled with the same rows the same way (one
 *     transaction, prepared statements; the papers table, paper_authors and the FTS rows lectern
 *     writes, on a cache store_open() created, so pragmas and tokenizer are lectern's): lectern's
 *     layout (schema 16), schema 15's, and variants of its two FTS indexes.
 * Then the peak RSS of `lectern fetch` of one Atom feed of >= LECTERN_BENCH_FEED_MB MB (default
 * 100; 0 skips) served by tests/server.py on loopback.
 * Text generation and JSON parsing are outside every timed span of this process. Wall and CPU
 * of a layout include its commit, WAL checkpoint and close. Prints one table. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "lectern/feed.h"
#include "lectern/store.h"
#include "../../src/store_int.h"   /* s->db, store_tok_register, STORE_PK_SHIFT */
#include "papergen.h"

extern char **environ;

static struct pgen *gen;
static size_t n_papers = 100000;
static char tmpdir[] = "/tmp/lectern-bench-ingest-XXXXXX";

static double cpu_now(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static long long file_size(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 ? (long long)sb.st_size : 0;
}

/* ---- one row of the table ------------------------------------------------------------------ */

struct row {
	char what[96];
	double wall, cpu;
	long long size;
	long rss_kb;   /* -1: not measured (in this process) */
	bool ok;
};
static struct row rows[32];
static size_t n_rows;
static const struct row *floor_row;

static struct row *add_row(const char *what)
{
	struct row *r = &rows[n_rows++];
	snprintf(r->what, sizeof r->what, "%s", what);
	r->rss_kb = -1;
	return r;
}

/* ---- child processes, measured from a helper forked while this process was small ------------
 * Linux carries the pre-exec address space's high-water mark into a child's ru_maxrss, and
 * posix_spawn shares the parent's: spawned from this (large) process a child would report this
 * process's RSS. So a helper forked first spawns each command and sends back what wait4 says. */
struct child_res {
	int ok;
	double wall, cpu;
	long maxrss_kb;
};
static int helper_req = -1, helper_ans = -1;
static pid_t helper_pid = -1;

static bool read_all(int fd, void *buf, size_t n)
{
	for (char *p = buf; n > 0;) {
		ssize_t k = read(fd, p, n);
		if (k <= 0)
			return false;
		p += k;
		n -= (size_t)k;
	}
	return true;
}

static void helper_loop(int req, int ans)
{
	size_t len;
	while (read_all(req, &len, sizeof len)) {
		char *blob = xmalloc(len);
		if (!read_all(req, blob, len))
			_exit(1);
		char *argv[32];
		int argc = 0;
		for (size_t i = 0; i < len && argc < 31; i += strlen(blob + i) + 1)
			argv[argc++] = blob + i;
		argv[argc] = NULL;
		struct child_res res = { .maxrss_kb = -1 };
		char errpath[sizeof tmpdir + 16];
		snprintf(errpath, sizeof errpath, "%s/child.err", tmpdir);
		posix_spawn_file_actions_t fa;
		posix_spawn_file_actions_init(&fa);
		posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
		posix_spawn_file_actions_addopen(&fa, 2, errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		pid_t c;
		int status;
		struct rusage ru;
		double t0 = util_monotonic();
		if (posix_spawn(&c, argv[0], &fa, NULL, argv, environ) == 0 &&
		    wait4(c, &status, 0, &ru) == c) {
			res.wall = util_monotonic() - t0;
			res.cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
			          (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
			res.maxrss_kb = ru.ru_maxrss;
			res.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
		}
		posix_spawn_file_actions_destroy(&fa);
		free(blob);
		if (write(ans, &res, sizeof res) != sizeof res)
			_exit(1);
	}
	_exit(0);
}

static void helper_start(void)
{
	int req[2], ans[2];
	if (pipe(req) < 0 || pipe(ans) < 0)
		die("pipe: %s", strerror(errno));
	helper_pid = fork();
	if (helper_pid < 0)
		die("fork: %s", strerror(errno));
	if (helper_pid == 0) {
		close(req[1]);
		close(ans[0]);
		helper_loop(req[0], ans[1]);
	}
	close(req[0]);
	close(ans[1]);
	helper_req = req[1];
	helper_ans = ans[0];
}

static struct child_res helper_run(char *const argv[])
{
	struct sbuf b = {0};
	for (int i = 0; argv[i]; i++)
		sbuf_add(&b, argv[i], strlen(argv[i]) + 1);
	struct child_res res = { .maxrss_kb = -1 };
	size_t len = b.len;
	if (write(helper_req, &len, sizeof len) != sizeof len || write(helper_req, b.s, len) != (ssize_t)len ||
	    !read_all(helper_ans, &res, sizeof res))
		res.ok = 0;
	sbuf_free(&b);
	if (!res.ok) {   /* show why */
		char errpath[sizeof tmpdir + 16];
		snprintf(errpath, sizeof errpath, "%s/child.err", tmpdir);
		struct lerr e = {0};
		size_t n;
		char *msg = util_read_file(errpath, &n, &e);
		fprintf(stderr, "bench_ingest: %s failed: %.2000s\n", argv[0], msg ? msg : "");
		free(msg);
	}
	return res;
}

/* ---- the papers ------------------------------------------------------------------------------ */

static const int64_t T0 = 1420070400;                   /* 2015-01-01 */
static const double SPAN = 11.0 * 365 * 86400;           /* to 2026 */

static int64_t published_of(size_t i, size_t n)
{
	return T0 + (int64_t)(SPAN * (double)i / (double)(n ? n : 1));
}

/* A new-style arXiv id per index: 90,000 a month from 2015-01. */
static void arxiv_id(size_t i, char *buf, size_t n)
{
	size_t m = i / 90000;
	snprintf(buf, n, "%02zu%02zu.%05zu", 15 + m / 12, 1 + m % 12, i % 90000 + 1);
}

static void json_str(struct sbuf *b, const char *s)
{
	sbuf_addc(b, '"');
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		if (*p == '"' || *p == '\\') {
			sbuf_addc(b, '\\');
			sbuf_addc(b, (char)*p);
		} else if (*p == '\n') {
			sbuf_adds(b, "\\n");
		} else if (*p < 0x20) {
			sbuf_printf(b, "\\u%04x", *p);
		} else {
			sbuf_addc(b, (char)*p);
		}
	}
	sbuf_addc(b, '"');
}

static void rfc822(int64_t t, char *buf, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, n, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

/* Paper i as one line of arXiv's snapshot (with its newline) appended to b. */
static void snapshot_line(struct sbuf *b, size_t i, size_t n)
{
	struct paper p;
	pgen_paper(gen, i, published_of(i, n), &p);
	char id[32], d[40];
	arxiv_id(i, id, sizeof id);
	sbuf_adds(b, "{\"id\":");
	json_str(b, id);
	sbuf_adds(b, ",\"submitter\":");
	json_str(b, p.n_authors ? p.authors[0].name : "");
	sbuf_adds(b, ",\"authors\":");
	struct sbuf a = {0};
	for (size_t k = 0; k < p.n_authors; k++)
		sbuf_printf(&a, "%s%s", k ? ", " : "", p.authors[k].name);
	json_str(b, a.s);
	sbuf_free(&a);
	sbuf_adds(b, ",\"title\":");
	json_str(b, p.title);
	sbuf_adds(b, ",\"comments\":null,\"journal-ref\":null,\"doi\":null,\"report-no\":null,"
	             "\"categories\":");
	json_str(b, p.categories);
	sbuf_adds(b, ",\"license\":null,\"abstract\":");
	json_str(b, p.abstract);
	sbuf_adds(b, ",\"versions\":[");
	for (int v = 1; v <= (p.version > 0 ? p.version : 1); v++) {
		rfc822(p.published + (v - 1) * 86400 * 30, d, sizeof d);
		sbuf_printf(b, "%s{\"version\":\"v%d\",\"created\":\"%s\"}", v > 1 ? "," : "", v, d);
	}
	util_fmt_date(p.published, d, sizeof d);
	sbuf_printf(b, "],\"update_date\":\"%s\",\"authors_parsed\":[", d);
	for (size_t k = 0; k < p.n_authors; k++) {
		const char *nm = p.authors[k].name ? p.authors[k].name : "";
		const char *sp = strrchr(nm, ' ');
		char *first = sp ? xstrndup(nm, (size_t)(sp - nm)) : xstrdup("");
		sbuf_adds(b, k ? ",[" : "[");
		json_str(b, sp ? sp + 1 : nm);
		sbuf_addc(b, ',');
		json_str(b, first);
		sbuf_adds(b, ",\"\"");
		if (p.authors[k].affiliation) {
			sbuf_addc(b, ',');
			json_str(b, p.authors[k].affiliation);
		}
		sbuf_addc(b, ']');
		free(first);
	}
	sbuf_adds(b, "]}\n");
	paper_clear(&p);
}

/* ---- the floor and the layouts, in this process ----------------------------------------------
 * Each fills its rows through fill(): the same papers (generated once, untimed), inserted
 * (timed, 1,000 at a time) inside one transaction. */

struct layout {
	const char *what;
	bool lectern;          /* store_open()'s file: lectern's tables, pragmas, tokenizer */
	const char *ddl;       /* run before the transaction (lectern: after store_open) */
	bool tfts;             /* the title index is filled */
	bool upsert;           /* store_upsert() rather than raw SQL */
	bool extra;            /* only with LECTERN_BENCH_LAYOUTS=all (keeps `make bench` short) */
};

enum { BATCH = 1000 };

static const char *authors_joined(const struct paper *p, struct sbuf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
	for (size_t k = 0; k < p->n_authors; k++)
		sbuf_printf(b, "%s%s", k ? ", " : "", p->authors[k].name ? p->authors[k].name : "");
	return p->n_authors ? b->s : NULL;
}

static void bind_t(sqlite3_stmt *st, int i, const char *t)
{
	if (t)
		sqlite3_bind_text(st, i, t, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static void step(sqlite3 *db, sqlite3_stmt *st)
{
	if (sqlite3_step(st) != SQLITE_DONE)
		die("insert: %s", sqlite3_errmsg(db));
	sqlite3_reset(st);
}

static void exec_or_die(sqlite3 *db, const char *sql)
{
	char *err = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		die("%s: %s", sql, err ? err : "?");
}

/* Registers lectern's tokenizer on a bare connection. */
static void register_tok(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
		die("fts5: %s", sqlite3_errmsg(db));
	sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	sqlite3_finalize(st);
	if (!api || store_tok_register(api) != SQLITE_OK)
		die("cannot register the lectern tokenizer");
}

static void unlink_db(const char *path)
{
	char side[600];
	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-journal", path);
	unlink(side);
}

/* The papers as the import reads them, generated once (papers[i] is paper i). */
static struct paper *papers;

static void fill(const struct layout *L, struct row *r)
{
	char path[512];
	snprintf(path, sizeof path, "%s/layout.db", tmpdir);
	unlink_db(path);
	struct lerr e = {0};
	struct store *s = NULL;
	sqlite3 *db;
	double w0 = util_monotonic(), c0 = cpu_now(), wall = 0, cpu = 0;
	if (L->lectern) {
		if (!(s = store_open(path, 0, &e)))
			die("%s: %s", path, e.msg);
		db = s->db;
	} else {
		if (sqlite3_open(path, &db) != SQLITE_OK)
			die("%s: %s", path, sqlite3_errmsg(db));
		register_tok(db);
	}
	if (L->ddl)
		exec_or_die(db, L->ddl);
	sqlite3_stmt *ins = NULL, *au = NULL, *fts = NULL, *tfts = NULL;
	if (L->lectern && !L->upsert) {
		const char *sql[] = {
			"INSERT INTO papers (pk, id, version, title, abstract, authors, first_author,"
			" n_authors, published, updated, primary_category, categories, url_abs, url_pdf,"
			" added) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
			"INSERT INTO paper_authors (paper, pos, name, affiliation) VALUES (?1, ?2, ?3, ?4)",
			"INSERT INTO papers_fts (rowid, " STORE_FTS_COLS ") VALUES (?1, ?2, ?3, ?4,"
			" lectern_cats(?5), NULL, NULL)",
			"INSERT INTO papers_tfts (rowid, title, authors, organization) VALUES (?1, ?2, ?3, NULL)",
		};
		sqlite3_stmt **st[] = { &ins, &au, &fts, &tfts };
		for (size_t k = 0; k < 4; k++)
			if ((k < 3 || L->tfts) && sqlite3_prepare_v2(db, sql[k], -1, st[k], NULL) != SQLITE_OK)
				die("%s: %s", sql[k], sqlite3_errmsg(db));
	} else if (!L->lectern) {
		if (sqlite3_prepare_v2(db, "INSERT INTO f (title, abstract, authors) VALUES (?1, ?2, ?3)",
		                       -1, &ins, NULL) != SQLITE_OK)
			die("prepare: %s", sqlite3_errmsg(db));
	}
	if (L->upsert) {
		if (store_begin(s, &e) < 0)
			die("begin: %s", e.msg);
	} else {
		exec_or_die(db, "BEGIN");
	}
	wall += util_monotonic() - w0;
	cpu += cpu_now() - c0;

	struct sbuf ab = {0};
	size_t done_upserts = 0;
	for (size_t i = 0; i < n_papers;) {
		size_t m = n_papers - i < BATCH ? n_papers - i : BATCH;
		struct paper *batch = papers + i;
		w0 = util_monotonic();
		c0 = cpu_now();
		for (size_t k = 0; k < m; k++) {
			struct paper *p = &batch[k];
			if (L->upsert) {
				/* as the import does: 1,000 papers a transaction */
				if (store_upsert(s, p, NULL, NULL, &e) < 0)
					die("upsert: %s", e.msg);
				if (++done_upserts % 1000 == 0 &&
				    (store_commit(s, &e) < 0 || store_begin(s, &e) < 0))
					die("commit: %s", e.msg);
				continue;
			}
			const char *authors = authors_joined(p, &ab);
			if (!L->lectern) {
				bind_t(ins, 1, p->title);
				bind_t(ins, 2, p->abstract);
				bind_t(ins, 3, authors);
				step(db, ins);
				continue;
			}
			int64_t pk = (p->published << STORE_PK_SHIFT) + (int64_t)((i + k) % 1000);
			sqlite3_bind_int64(ins, 1, pk);
			bind_t(ins, 2, p->id);
			sqlite3_bind_int(ins, 3, p->version);
			bind_t(ins, 4, p->title);
			bind_t(ins, 5, p->abstract);
			bind_t(ins, 6, authors);
			bind_t(ins, 7, p->n_authors ? p->authors[0].name : NULL);
			sqlite3_bind_int64(ins, 8, (int64_t)p->n_authors);
			sqlite3_bind_int64(ins, 9, p->published);
			sqlite3_bind_int64(ins, 10, p->updated);
			bind_t(ins, 11, p->primary_category);
			bind_t(ins, 12, p->categories);
			bind_t(ins, 13, p->url_abs);
			bind_t(ins, 14, p->url_pdf);
			sqlite3_bind_int64(ins, 15, util_now());
			step(db, ins);
			for (size_t a = 0; a < p->n_authors; a++) {
				sqlite3_bind_int64(au, 1, pk);
				sqlite3_bind_int64(au, 2, (int64_t)a);
				bind_t(au, 3, p->authors[a].name ? p->authors[a].name : "");
				bind_t(au, 4, p->authors[a].affiliation);
				step(db, au);
			}
			sqlite3_bind_int64(fts, 1, pk);
			bind_t(fts, 2, p->title);
			bind_t(fts, 3, p->abstract);
			bind_t(fts, 4, authors);
			bind_t(fts, 5, p->categories);
			step(db, fts);
			if (tfts) {
				sqlite3_bind_int64(tfts, 1, pk);
				bind_t(tfts, 2, p->title);
				bind_t(tfts, 3, authors);
				step(db, tfts);
			}
		}
		wall += util_monotonic() - w0;
		cpu += cpu_now() - c0;
		i += m;
	}
	w0 = util_monotonic();
	c0 = cpu_now();
	if (L->upsert) {
		if (store_commit(s, &e) < 0)
			die("commit: %s", e.msg);
	} else {
		exec_or_die(db, "COMMIT");
	}
	sqlite3_finalize(ins);
	sqlite3_finalize(au);
	sqlite3_finalize(fts);
	sqlite3_finalize(tfts);
	if (s)
		store_close(&s);   /* the last connection: checkpoints the WAL into the file */
	else
		sqlite3_close(db);
	wall += util_monotonic() - w0;
	cpu += cpu_now() - c0;
	r->wall = wall;
	r->cpu = cpu;
	r->size = file_size(path);
	r->ok = true;
	sbuf_free(&ab);
	unlink_db(path);
}

/* papers_fts as store_schema.c creates it (schema 16), with `opts`. */
#define PAPERS_FTS(opts) \
	"DROP TABLE papers_fts; CREATE VIRTUAL TABLE papers_fts USING fts5(" STORE_FTS_COLS "," \
	" content='papers_fview', content_rowid='pk', tokenize='lectern remove_diacritics 2'" \
	opts ");" \
	"INSERT INTO papers_fts (papers_fts, rank) VALUES ('hashsize', 6291456);" \
	"INSERT INTO papers_fts (papers_fts, rank) VALUES ('automerge', 16);" \
	"INSERT INTO papers_fts (papers_fts, rank) VALUES ('crisismerge', 64);"
#define NO_TFTS "DROP TABLE papers_tfts;"
#define V15 PAPERS_FTS(", prefix='2 3'")   /* schema 15: the prefix index on papers_fts */

static const struct layout layouts[] = {
	{ "floor, lectern tokenizer", false,
	  "CREATE VIRTUAL TABLE f USING fts5(title, abstract, authors,"
	  " tokenize='lectern remove_diacritics 2')", false, false, true },
	{ "store_upsert (the import minus JSON)", true, NULL, true, true, true },
	{ "SQL: lectern layout (schema 16)", true, NULL, true, false, false },
	{ "SQL: schema 15 (prefix='2 3' on papers_fts)", true, V15, true, false, false },
	{ "SQL: schema 15, no title index", true, NO_TFTS V15, false, false, true },
	{ "SQL: no title index", true, NO_TFTS, false, false, false },
	{ "SQL: prefix='3' on papers_fts", true, PAPERS_FTS(", prefix='3'"), true, false, true },
	{ "SQL: no prefix on either index", true,
	  "DROP TABLE papers_tfts; CREATE VIRTUAL TABLE papers_tfts USING fts5("
	  STORE_FTS_COLS ", content='papers_tview', content_rowid='pk',"
	  " tokenize='lectern remove_diacritics 2');", true, false, true },
	{ "SQL: detail=column on papers_fts", true, PAPERS_FTS(", detail=column"), true, false,
	  false },
	{ "SQL: no title index, detail=column", true, NO_TFTS PAPERS_FTS(", detail=column"), false,
	  false, true },
	/* settings that leave the schema as it is */
	{ "SQL: cache_size 64 MiB", true, "PRAGMA cache_size = -65536", true, false, true },
	{ "SQL: no automerge (diagnostic)", true,
	  "INSERT INTO papers_fts (papers_fts, rank) VALUES ('automerge', 0);"
	  "INSERT INTO papers_tfts (papers_tfts, rank) VALUES ('automerge', 0);"
	  "INSERT INTO papers_fts (papers_fts, rank) VALUES ('crisismerge', 100000);"
	  "INSERT INTO papers_tfts (papers_tfts, rank) VALUES ('crisismerge', 100000);",
	  true, false, true },
	{ "SQL: hashsize 64 MiB", true,
	  "INSERT INTO papers_fts (papers_fts, rank) VALUES ('hashsize', 67108864);"
	  "INSERT INTO papers_tfts (papers_tfts, rank) VALUES ('hashsize', 67108864);",
	  true, false, true },
	{ "SQL: synchronous OFF (diagnostic)", true, "PRAGMA synchronous = OFF", true, false,
	  true },
};

/* ---- the feed ------------------------------------------------------------------------------ */

static void xml_text(struct sbuf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': sbuf_adds(b, "&lt;"); break;
		case '>': sbuf_adds(b, "&gt;"); break;
		case '&': sbuf_adds(b, "&amp;"); break;
		default: sbuf_addc(b, *s);
		}
	}
}

/* An Atom feed of at least `mb` MB of papergen papers (arXiv API shape); returns the entries. */
static size_t write_feed(const char *path, size_t mb, long long *bytes)
{
	FILE *f = fopen(path, "w");
	if (!f)
		die("%s: %s", path, strerror(errno));
	fputs("<?xml version='1.0' encoding='UTF-8'?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\""
	      " xmlns:arxiv=\"http://arxiv.org/schemas/atom\">\n  <id>https://example.org/big</id>\n"
	      "  <title>big feed</title>\n  <updated>2026-01-01T00:00:00Z</updated>\n", f);
	struct sbuf b = {0};
	size_t n = 0;
	long long total = 0;
	const size_t per_feed = 2000000;   /* dates spread as if there were this many */
	for (; total < (long long)mb * 1000000; n++) {
		struct paper p;
		pgen_paper(gen, n_papers + n, published_of(n, per_feed), &p);
		char id[32], d[32];
		arxiv_id(n_papers + n, id, sizeof id);
		b.len = 0;
		sbuf_printf(&b, "  <entry>\n    <id>http://arxiv.org/abs/%sv1</id>\n    <title>", id);
		xml_text(&b, p.title);
		time_t tt = (time_t)p.published;
		struct tm tm;
		gmtime_r(&tt, &tm);
		strftime(d, sizeof d, "%Y-%m-%dT%H:%M:%SZ", &tm);
		sbuf_printf(&b, "</title>\n    <updated>%s</updated>\n    <published>%s</published>\n"
		                "    <summary>", d, d);
		xml_text(&b, p.abstract);
		sbuf_adds(&b, "</summary>\n");
		for (size_t k = 0; k < p.n_authors; k++) {
			sbuf_adds(&b, "    <author><name>");
			xml_text(&b, p.authors[k].name);
			sbuf_adds(&b, "</name></author>\n");
		}
		sbuf_printf(&b, "    <link href=\"https://arxiv.org/abs/%sv1\" rel=\"alternate\""
		                " type=\"text/html\"/>\n", id);
		for (const char *c = p.categories; c && *c;) {
			size_t k = strcspn(c, " ");
			sbuf_printf(&b, "    <category term=\"%.*s\" scheme=\"http://arxiv.org/schemas/atom\"/>\n",
			            (int)k, c);
			c += k + strspn(c + k, " ");
		}
		sbuf_adds(&b, "  </entry>\n");
		fwrite(b.s, 1, b.len, f);
		total += (long long)b.len;
		paper_clear(&p);
	}
	fputs("</feed>\n", f);
	if (fclose(f) != 0)
		die("%s: %s", path, strerror(errno));
	sbuf_free(&b);
	*bytes = file_size(path);
	return n;
}

/* Starts tests/server.py over root (its /feed/NAME serves root/feed/NAME); returns its port. */
static pid_t server_pid = -1;
static int server_stdin = -1;

static int server_start(const char *root)
{
	int out[2], in[2];
	if (pipe(out) < 0 || pipe(in) < 0)
		die("pipe: %s", strerror(errno));
	server_pid = fork();
	if (server_pid < 0)
		die("fork: %s", strerror(errno));
	if (server_pid == 0) {
		dup2(out[1], 1);
		dup2(in[0], 0);
		close(out[0]);
		close(in[1]);
		int null = open("/dev/null", O_WRONLY);
		if (null >= 0)
			dup2(null, 2);
		execlp("python3", "python3", BENCH_DATA "/../server.py", "--root", root,
		       "--exit-on-eof", (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	close(in[0]);
	server_stdin = in[1];
	char line[32] = "";
	size_t k = 0;
	while (k < sizeof line - 1 && read(out[0], line + k, 1) == 1 && line[k] != '\n')
		k++;
	line[k] = '\0';
	close(out[0]);
	return atoi(line);
}

static void server_stop(void)
{
	if (server_pid <= 0)
		return;
	close(server_stdin);
	kill(server_pid, SIGTERM);
	waitpid(server_pid, NULL, 0);
	server_pid = -1;
}

/* ---- main ---------------------------------------------------------------------------------- */

/* Wall time is what the targets name; CPU time is the steadier figure on a shared machine. */
static void print_table(void)
{
	printf("\n%-46s %7s %7s %8s %7s %7s %7s %9s\n", "what", "wall s", "CPU s", "size MB",
	       "x floor", "x floor", "x floor", "peak RSS");
	printf("%-46s %7s %7s %8s %7s %7s %7s\n", "", "", "", "", "time", "CPU", "size");
	for (size_t i = 0; i < n_rows; i++) {
		const struct row *r = &rows[i];
		if (!r->ok) {
			printf("%-46s%s\n", r->what, strstr(r->what, "skipped") ? "" : " (failed)");
			continue;
		}
		printf("%-46s %7.2f %7.2f %8.1f", r->what, r->wall, r->cpu, (double)r->size / 1e6);
		if (floor_row && floor_row->wall > 0 && floor_row->cpu > 0 && floor_row->size > 0)
			printf(" %7.2f %7.2f %7.2f", r->wall / floor_row->wall, r->cpu / floor_row->cpu,
			       (double)r->size / (double)floor_row->size);
		else
			printf(" %7s %7s %7s", "-", "-", "-");
		if (r->rss_kb >= 0)
			printf(" %6.1f MB", (double)r->rss_kb * 1024.0 / 1e6);
		else
			printf(" %9s", "-");
		printf("\n");
	}
}

static void cleanup_dir(void)
{
	char cmd[128];
	const char *names[] = { "papers.jsonl", "child.err", "import.db", "fetch.db", "config",
	                        "feed/big.xml", "layout.db", "import.db-wal", "import.db-shm",
	                        "fetch.db-wal", "fetch.db-shm", "lectern/polite" };
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		snprintf(cmd, sizeof cmd, "%s/%s", tmpdir, names[i]);
		unlink(cmd);
	}
	snprintf(cmd, sizeof cmd, "%s/feed", tmpdir);
	rmdir(cmd);
	snprintf(cmd, sizeof cmd, "%s/lectern", tmpdir);   /* the fetch's politeness state */
	rmdir(cmd);
	rmdir(tmpdir);
}

int main(void)
{
	const char *env = getenv("LECTERN_BENCH_N");
	if (env && *env)
		n_papers = (size_t)atol(env);
	size_t feed_mb = 100;
	if ((env = getenv("LECTERN_BENCH_FEED_MB")) && *env)
		feed_mb = (size_t)atol(env);
	if (!mkdtemp(tmpdir))
		die("mkdtemp: %s", strerror(errno));
	/* The binary must not read or write the user's files. */
	setenv("HOME", tmpdir, 1);
	setenv("XDG_CONFIG_HOME", tmpdir, 1);
	setenv("XDG_DATA_HOME", tmpdir, 1);
	setenv("XDG_CACHE_HOME", tmpdir, 1);
	setenv("XDG_STATE_HOME", tmpdir, 1);
	helper_start();   /* first, while this process is small */

	const char *bin = getenv("LECTERN_BIN");
	bool have_bin = bin && access(bin, X_OK) == 0;
	struct lerr e = {0};
	if (!(gen = pgen_new(BENCH_DATA, 1, &e)))
		die("papergen: %s", e.msg);
	double la[3] = {0};
	if (getloadavg(la, 3) < 0)
		la[0] = -1;
	printf("ingest: %zu papergen papers; load average at start %.2f\n", n_papers, la[0]);

	/* The papers, once: written as the snapshot file the import reads, and parsed back from
	 * it as the import does (papers[], what every layout stores). */
	char jsonl[512], db[512], cfg[512];
	const char *keep = getenv("LECTERN_BENCH_JSONL");   /* write the file there, and stop */
	snprintf(jsonl, sizeof jsonl, "%s", keep && *keep ? keep : "");
	if (!jsonl[0])
		snprintf(jsonl, sizeof jsonl, "%s/papers.jsonl", tmpdir);
	snprintf(db, sizeof db, "%s/import.db", tmpdir);
	snprintf(cfg, sizeof cfg, "%s/config", tmpdir);
	FILE *f = fopen(jsonl, "w");
	if (!f)
		die("%s: %s", jsonl, strerror(errno));
	struct sbuf b = {0};
	struct json_tokener *tok = json_tokener_new();
	papers = xcalloc(n_papers ? n_papers : 1, sizeof *papers);
	for (size_t i = 0; i < n_papers; i++) {
		b.len = 0;
		snapshot_line(&b, i, n_papers);
		fwrite(b.s, 1, b.len, f);
		if (keep && *keep)
			continue;
		json_tokener_reset(tok);
		struct json_object *o = json_tokener_parse_ex(tok, b.s, (int)b.len);
		if (!o || feed_snapshot_paper(o, &papers[i], &e) != 0)
			die("paper %zu: %s", i, o ? e.msg : "not JSON");
		json_object_put(o);
	}
	json_tokener_free(tok);
	sbuf_free(&b);
	if (fclose(f) != 0)
		die("%s: %s", jsonl, strerror(errno));
	if (keep && *keep) {
		printf("ingest: wrote %zu papers to %s\n", n_papers, jsonl);
		close(helper_req);
		waitpid(helper_pid, NULL, 0);
		cleanup_dir();
		return 0;
	}

	/* 1. the floor */
	struct row *r = add_row("floor: fts5(title, abstract, authors), 1 txn");
	fill(&(struct layout){ "floor", false,
	                       "CREATE VIRTUAL TABLE f USING fts5(title, abstract, authors)",
	                       false, false, false }, r);
	floor_row = r;
	fprintf(stderr, "  floor: %.1f s\n", r->wall);

	/* 2. lectern import of the snapshot file */
	FILE *cf = fopen(cfg, "w");
	if (!cf)
		die("%s: %s", cfg, strerror(errno));
	fprintf(cf, "set host-delay 0\nset arxiv-delay 0\nset timeout 120\nset max-body %lld\n",
	        (long long)(feed_mb + 50) * 1000000);
	fclose(cf);
	char label[96];
	snprintf(label, sizeof label, "lectern import (snapshot JSONL, %.0f MB)",
	         (double)file_size(jsonl) / 1e6);
	r = add_row(label);
	if (getenv("LECTERN_BENCH_LAYOUTS") && strcmp(getenv("LECTERN_BENCH_LAYOUTS"), "all")) {
		snprintf(r->what, sizeof r->what, "lectern import: skipped (LECTERN_BENCH_LAYOUTS)");
	} else if (have_bin) {
		char o1[] = "--db", o2[] = "--config", o3[] = "import";
		char *argv[] = { (char *)bin, o1, db, o2, cfg, o3, jsonl, NULL };
		struct child_res c = helper_run(argv);
		*r = (struct row){ .wall = c.wall, .cpu = c.cpu, .size = file_size(db),
		                   .rss_kb = c.maxrss_kb, .ok = c.ok };
		snprintf(r->what, sizeof r->what, "%s", label);
		fprintf(stderr, "  import: %.1f s\n", r->wall);
	} else {
		snprintf(r->what, sizeof r->what, "lectern import: skipped (LECTERN_BIN not set)");
	}
	unlink_db(db);
	unlink(jsonl);

	/* 3. the layouts */
	env = getenv("LECTERN_BENCH_LAYOUTS");
	bool all = env && !strcmp(env, "all");
	/* LECTERN_BENCH_LAYOUTS=TEXT: only the layouts whose name has TEXT (and no import or fetch) */
	const char *only = env && *env && !all ? env : NULL;
	for (size_t i = 0; i < sizeof layouts / sizeof *layouts; i++) {
		if ((layouts[i].extra && !all && !only) || (only && !strstr(layouts[i].what, only)))
			continue;
		r = add_row(layouts[i].what);
		fill(&layouts[i], r);
		fprintf(stderr, "  %s: %.1f s\n", r->what, r->wall);
	}

	/* 4. a fetch of a large feed */
	if (feed_mb > 0 && have_bin && !only) {
		char dir[512], feed[512], fdb[512];
		snprintf(dir, sizeof dir, "%s/feed", tmpdir);
		snprintf(feed, sizeof feed, "%s/feed/big.xml", tmpdir);
		snprintf(fdb, sizeof fdb, "%s/fetch.db", tmpdir);
		mkdir(dir, 0700);
		long long bytes = 0;
		size_t entries = write_feed(feed, feed_mb, &bytes);
		int port = server_start(tmpdir);
		cf = fopen(cfg, "a");
		if (!cf || port <= 0)
			die("no loopback server (tests/server.py)");
		fprintf(cf, "source feed http://127.0.0.1:%d/feed/big.xml name big\n", port);
		fclose(cf);
		snprintf(label, sizeof label, "lectern fetch (Atom feed, %.0f MB, %zu entries)",
		         (double)bytes / 1e6, entries);
		char o1[] = "--db", o2[] = "--config", o3[] = "fetch", o4[] = "big";
		char *argv[] = { (char *)bin, o1, fdb, o2, cfg, o3, o4, NULL };
		struct child_res c = helper_run(argv);
		r = add_row(label);
		*r = (struct row){ .wall = c.wall, .cpu = c.cpu, .size = file_size(fdb),
		                   .rss_kb = c.maxrss_kb, .ok = c.ok };
		snprintf(r->what, sizeof r->what, "%s", label);
		server_stop();
		unlink_db(fdb);
		unlink(feed);
	}

	if (getloadavg(la, 3) < 0)
		la[0] = -1;
	print_table();
	printf("MB = 10^6 bytes; sizes after the WAL checkpoint. Load average at end %.2f.%s\n", la[0],
	       feed_mb > 0 && have_bin && !only ? " The fetch row's ratios are not comparable (other "
	       "papers, fewer)." : "");
	close(helper_req);
	waitpid(helper_pid, NULL, 0);
	for (size_t i = 0; i < n_papers; i++)
		paper_clear(&papers[i]);
	free(papers);
	pgen_free(gen);
	cleanup_dir();
	return 0;
}
