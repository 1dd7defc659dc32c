/* store_check — is the cache sound (SQLite's integrity_check and lectern's own invariants), and
 * building a new one from what a damaged cache still holds (store.h "check and repair").
 *
 * Repair never writes to the damaged file: it is renamed aside first (with its -wal). What can
 * be read is taken through the sqlite3 shell's .recover (Debian's libsqlite3 has no recovery
 * API; run through argv, never a shell) into a scratch database, or, without the shell, from
 * the damaged file itself. Either way the rows are copied table by table and row by row into a
 * new cache: a scan stops at the first damaged page, so each table is read forward and then
 * backward, which saves what lies on both sides of the damage. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "store_int.h"

extern char **environ;

/* Appends a formatted line to a list of lines (problems, or what repair did). */
static void add_line(char ***v, size_t *n, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
static void add_line(char ***v, size_t *n, const char *fmt, va_list ap)
{
	char buf[1024];
	vsnprintf(buf, sizeof buf, fmt, ap);
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[(*n)++] = xstrdup(buf);
}

static void add_problem(struct store_check *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void add_problem(struct store_check *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add_line(&c->problems, &c->n, fmt, ap);
	va_end(ap);
}

void store_check_clear(struct store_check *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->problems[i]);
	free(c->problems);
	memset(c, 0, sizeof *c);
}

/* One integer from a query; -1 (with a problem noted) when it fails. */
static int64_t count_of(struct store *s, struct store_check *c, const char *what,
                        const char *sql)
{
	sqlite3_stmt *st = NULL;
	int64_t n = -1;
	int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	if (n < 0)
		add_problem(c, "%s: cannot be read (%s)", what, sqlite3_errmsg(s->db));
	sqlite3_finalize(st);
	return n;
}

/* Every row of a one-column query as a problem, after prefix (at most `max`). */
static void rows_as_problems(struct store *s, struct store_check *c, const char *sql,
                             const char *prefix, const char *skip, int max)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL), k = 0;
	while (st && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		if (skip && t && !strcmp(t, skip))
			continue;
		if (k++ < max)
			add_problem(c, "%s%s", prefix, t ? t : "?");
	}
	if (rc != SQLITE_DONE && rc != SQLITE_OK)
		add_problem(c, "%scannot be run: %s", prefix, sqlite3_errmsg(s->db));
	if (k > max)
		add_problem(c, "%s... and %d more", prefix, k - max);
	sqlite3_finalize(st);
}

/* An FTS index (table) agrees with the papers: each once, nothing else. */
static void check_index(struct store *s, struct store_check *c, const char *table,
                        const char *name, int64_t papers)
{
	char *q = xasprintf("SELECT count(*) FROM \"%s_docsize\"", table);
	int64_t indexed = count_of(s, c, name, q);
	free(q);
	q = xasprintf("SELECT count(*) FROM papers p WHERE NOT EXISTS"
	              " (SELECT 1 FROM \"%s_docsize\" d WHERE d.id = p.pk)", table);
	int64_t missing = count_of(s, c, name, q);
	free(q);
	q = xasprintf("SELECT count(*) FROM \"%s_docsize\" d WHERE NOT EXISTS"
	              " (SELECT 1 FROM papers p WHERE p.pk = d.id)", table);
	int64_t stray = count_of(s, c, name, q);
	free(q);
	if (missing > 0)
		add_problem(c, "%s misses %lld of %lld papers", name, (long long)missing,
		            (long long)papers);
	if (stray > 0)
		add_problem(c, "%s has %lld entries of papers that are gone (%lld entries)", name,
		            (long long)stray, (long long)indexed);
}

/* The index's word list (fts_terms, store_terms.c) has every word of papers_fts it should:
 * a missing one would make a typed prefix miss the papers with that word. */
static void check_terms(struct store *s, struct store_check *c)
{
	if (sqlite3_exec(s->db, "CREATE VIRTUAL TABLE temp.lectern_vocab USING"
	                 " fts5vocab(main, papers_fts, row)", NULL, NULL, NULL) != SQLITE_OK) {
		add_problem(c, "the search index's words: cannot be read (%s)", sqlite3_errmsg(s->db));
		return;
	}
	int64_t n = count_of(s, c, "the search index's words",
	                     "SELECT count(*) FROM temp.lectern_vocab v"
	                     " WHERE length(CAST(v.term AS BLOB)) >= " STORE_TERM_MIN_SQL " AND NOT EXISTS"
	                     " (SELECT 1 FROM fts_terms t WHERE t.term = v.term)");
	if (n > 0)
		add_problem(c, "the search index's word list misses %lld of its words", (long long)n);
	sqlite3_exec(s->db, "DROP TABLE temp.lectern_vocab", NULL, NULL, NULL);
}

int store_check(const char *path, struct store_check *c, struct lerr *e)
{
	memset(c, 0, sizeof *c);
	struct lerr oe = {0};
	struct store *s = store_open(path, STORE_READONLY | STORE_NOCREATE, &oe);
	if (!s) {
		if (oe.kind == LERR_NOTFOUND) {
			*e = oe;
			return -1;
		}
		add_problem(c, "the cache cannot be opened: %s", oe.msg);
		return 0;
	}
	rows_as_problems(s, c, "PRAGMA integrity_check(100)", "SQLite integrity_check: ", "ok", 100);
	/* lectern's invariants: each search index has each paper once, and nothing else */
	int64_t papers = count_of(s, c, "the papers", "SELECT count(*) FROM papers");
	check_index(s, c, "papers_fts", "the search index", papers);
	check_index(s, c, "papers_tfts", "the title index", papers);
	check_terms(s, c);
	/* listings, authors and sources point at papers */
	rows_as_problems(s, c, "SELECT \"table\" || ' has ' || count(*) || ' rows pointing at"
	                 " papers that are gone' FROM pragma_foreign_key_check GROUP BY \"table\"",
	                 "", NULL, 20);
	store_close(&s);
	return 0;
}

/* ---- repair ----------------------------------------------------------------------------------- */

void store_repair_clear(struct store_repair *r)
{
	free(r->damaged);
	for (size_t i = 0; i < r->n; i++)
		free(r->lines[i]);
	free(r->lines);
	memset(r, 0, sizeof *r);
}

static void say(struct store_repair *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct store_repair *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add_line(&r->lines, &r->n, fmt, ap);
	va_end(ap);
}

/* The sqlite3 shell's .recover of damaged into the SQL file out: 0 when it succeeded, -2 when
 * there is no shell, -1 when it failed (Debian 12's shell fails on every file). */
static int run_recover(const char *damaged, const char *out)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	char *argv[] = {(char *)"sqlite3", (char *)damaged, (char *)".recover", NULL};
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	int rc = posix_spawnp(&pid, "sqlite3", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0)
		return -2;   /* not installed */
	int status = 0;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* Runs the recovered SQL into a scratch database, statement by statement (one that fails, such
 * as the search index's, which needs lectern's tokenizer, is passed over). */
static int load_sql(const char *sql_path, const char *db_path)
{
	size_t len;
	char *sql = util_read_file(sql_path, &len, NULL);
	sqlite3 *db = NULL;
	if (!sql || sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
	                            NULL) != SQLITE_OK) {
		free(sql);
		sqlite3_close(db);
		return -1;
	}
	const char *p = sql;
	while (*p) {
		sqlite3_stmt *st = NULL;
		const char *tail = NULL;
		int rc = sqlite3_prepare_v2(db, p, -1, &st, &tail);
		if (st) {
			while (sqlite3_step(st) == SQLITE_ROW)
				;
			sqlite3_finalize(st);
		}
		if (!tail || tail == p) {   /* a statement that does not parse: past its ';' */
			const char *semi = strchr(p, ';');
			if (!semi)
				break;
			tail = semi + 1;
		}
		(void)rc;
		p = tail;
	}
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);   /* .recover wraps it in BEGIN */
	sqlite3_close(db);
	free(sql);
	return 0;
}

/* The columns of table t in schema sch (generated ones are not listed), comma-separated. */
static char *columns(sqlite3 *db, const char *sch, const char *t, char **pk)
{
	sqlite3_stmt *st = NULL;
	struct sbuf b = {0}, k = {0};
	char *sql = sqlite3_mprintf("SELECT name, pk FROM pragma_table_info(%Q, %Q) ORDER BY cid",
	                            t, sch);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK)
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *n = (const char *)sqlite3_column_text(st, 0);
			char *q = sqlite3_mprintf("\"%w\"", n);
			sbuf_printf(&b, "%s%s", b.len ? ", " : "", q);
			if (sqlite3_column_int(st, 1) > 0)
				sbuf_printf(&k, "%s%s", k.len ? ", " : "", q);
			sqlite3_free(q);
		}
	sqlite3_finalize(st);
	sqlite3_free(sql);
	if (pk)
		*pk = k.len ? sbuf_steal(&k) : (sbuf_free(&k), xstrdup("rowid"));
	else
		sbuf_free(&k);
	return b.len ? sbuf_steal(&b) : (sbuf_free(&b), NULL);
}

/* The columns both tables have. */
static char *common_columns(sqlite3 *db, sqlite3 *src, const char *t, char **pk)
{
	char *mine = columns(db, "main", t, pk), *theirs = columns(src, "main", t, NULL);
	struct sbuf b = {0};
	for (char *c = mine; c && *c;) {
		size_t n = strcspn(c, ",");
		char *one = xstrndup(c, n);
		/* whole-name match in theirs ("a", "b") */
		char *needle = xasprintf("%s", one);
		bool has = false;
		for (char *x = theirs; x && *x && !has;) {
			size_t m = strcspn(x, ",");
			has = m == strlen(needle) && !strncmp(x, needle, m);
			x += m;
			x += strspn(x, ", ");
		}
		if (has)
			sbuf_printf(&b, "%s%s", b.len ? ", " : "", one);
		free(one);
		free(needle);
		c += n;
		c += strspn(c, ", ");
	}
	free(mine);
	free(theirs);
	return b.len ? sbuf_steal(&b) : (sbuf_free(&b), NULL);
}

/* One row of st (its first n columns) into the new cache through w. */
static void copy_row(struct store *s, sqlite3_stmt *st, sqlite3_stmt *w, int n, int64_t *saved,
                     int64_t *failed)
{
	for (int i = 0; i < n; i++)
		sqlite3_bind_value(w, i + 1, sqlite3_column_value(st, i));
	int wr = sqlite3_step(w);
	sqlite3_reset(w);
	if (wr == SQLITE_DONE)
		*saved += sqlite3_changes(s->db);
	else
		(*failed)++;
}

/* Copies what can be read of table t of src (its own connection: a damaged page there must not
 * touch the new cache's transaction) into the new cache, row by row, forward then backward. */
static void copy_table(struct store *s, sqlite3 *src, const char *t, struct store_repair *r,
                       int64_t *saved)
{
	char *pk = NULL, *cols = common_columns(s->db, src, t, &pk);
	*saved = 0;
	if (!cols) {
		say(r, "%s: not found in the damaged cache (nothing saved)", t);
		free(pk);
		return;
	}
	size_t ncol = 1;
	for (const char *c = cols; *c; c++)
		ncol += *c == ',';
	struct sbuf ins = {0};
	sbuf_printf(&ins, "INSERT OR IGNORE INTO main.\"%s\" (%s) VALUES (", t, cols);
	for (size_t i = 0; i < ncol; i++)
		sbuf_printf(&ins, "%s?", i ? ", " : "");
	sbuf_adds(&ins, ")");
	sqlite3_stmt *w = NULL;
	bool damaged = false;
	int64_t failed = 0;
	if (sqlite3_prepare_v2(s->db, ins.s, -1, &w, NULL) != SQLITE_OK) {
		say(r, "%s: cannot be written (%s)", t, sqlite3_errmsg(s->db));
		goto out;
	}
	/* A rowid table: read forward; past a damaged page, seek further and further ahead (a
	 * damaged leaf hides only its own rows, an interior page a range of them). */
	char *fwd = xasprintf("SELECT %s, rowid FROM \"%s\" WHERE rowid > ?1 ORDER BY rowid", cols,
	                      t);
	sqlite3_stmt *st = NULL;
	bool whole = false;
	if (sqlite3_prepare_v2(src, fwd, -1, &st, NULL) == SQLITE_OK) {
		int64_t from = INT64_MIN, gap = 1;
		for (int tries = 0; tries < 200 && !whole; tries++) {
			int64_t got = 0, last = from;
			sqlite3_reset(st);
			sqlite3_bind_int64(st, 1, from);
			int rc;
			while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
				copy_row(s, st, w, (int)ncol, saved, &failed);
				last = sqlite3_column_int64(st, (int)ncol);
				got++;
			}
			if (rc == SQLITE_DONE) {
				whole = tries == 0;
				break;
			}
			damaged = true;
			gap = got ? 1 : gap * 4;
			if (last > INT64_MAX - gap)
				break;
			from = last + gap;
		}
	}
	sqlite3_finalize(st);
	free(fwd);
	/* then (or for a table keyed otherwise) forward and backward by its key */
	for (int dir = 0; dir < 2 && !whole; dir++) {
		char *sel = xasprintf("SELECT %s FROM \"%s\" ORDER BY %s%s", cols, t, pk,
		                      dir ? " DESC" : "");
		int rc = sqlite3_prepare_v2(src, sel, -1, &st, NULL);
		free(sel);
		if (rc != SQLITE_OK) {   /* the table's root page itself is unreadable */
			damaged = true;
			break;
		}
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			copy_row(s, st, w, (int)ncol, saved, &failed);
		sqlite3_finalize(st);
		st = NULL;
		if (rc == SQLITE_DONE && !damaged)
			break;   /* read to the end: nothing to read backward */
		damaged = true;
	}
	if (damaged)
		say(r, "%s: damaged; %lld rows saved, the rows on its damaged pages are lost", t,
		    (long long)*saved);
	if (failed)
		say(r, "%s: %lld rows could not be stored (they point at papers that were lost)", t,
		    (long long)failed);
out:
	sqlite3_finalize(w);
	sbuf_free(&ins);
	free(cols);
	free(pk);
}

static int move_aside(const char *from, const char *to, struct lerr *e)
{
	if (rename(from, to) == 0 || errno == ENOENT)
		return 0;
	lerr_set(e, LERR_IO, errno, "cannot move %s to %s: %s", from, to, strerror(errno));
	return -1;
}

int store_repair(const char *path, struct store_repair *r, struct lerr *e)
{
	memset(r, 0, sizeof *r);
	struct stat sb;
	if (stat(path, &sb) < 0) {
		lerr_set(e, LERR_NOTFOUND, errno, "%s: %s", path, strerror(errno));
		return -1;
	}
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	r->damaged = xasprintf("%s.damaged-%s", path, stamp);
	char *dwal = xasprintf("%s-wal", r->damaged), *wal = xasprintf("%s-wal", path);
	char *dshm = xasprintf("%s-shm", r->damaged), *shm = xasprintf("%s-shm", path);
	char *sql = xasprintf("%s.recover.sql", r->damaged);
	char *scratch = xasprintf("%s.recovered", r->damaged);
	int rc = -1;
	struct store *s = NULL;
	sqlite3 *src = NULL;
	if (move_aside(path, r->damaged, e) < 0 || move_aside(wal, dwal, e) < 0 ||
	    move_aside(shm, dshm, e) < 0)
		goto out;
	say(r, "the damaged cache was kept as %s", r->damaged);
	if (!(s = store_open(path, 0, e)))
		goto out;
	const char *from = r->damaged;
	unlink(scratch);
	int rec = run_recover(r->damaged, sql);
	if (rec == 0 && load_sql(sql, scratch) == 0) {
		from = scratch;
		r->recovered = true;
		say(r, "read with the sqlite3 shell's .recover");
	} else {
		say(r, "%s: copying what SQLite can read, table by table",
		    rec == -2 ? "the sqlite3 shell is not installed" : "the sqlite3 shell's .recover failed");
	}
	unlink(sql);
	if (sqlite3_open_v2(from, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		say(r, "the damaged cache cannot be read at all: %s", sqlite3_errmsg(src));
		rc = 0;
		goto out;
	}
	/* papers first: the others point at them. The writer id and the sync positions stay the
	 * new cache's: the sync folder is read again from the start; the ranker's scores are
	 * made again from its model. */
	static const char *const tables[] = {"papers", "paper_authors", "listings", "sourced",
	                                     "user_state", "sync_clock", "watches", "rank_model",
	                                     "harvest", "sources", "http_cache", "history"};
	if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		store_db_error(s, e, SQLITE_ERROR, "cannot start the repair");
		goto out;
	}
	for (size_t i = 0; i < ARRAY_LEN(tables); i++) {
		int64_t n = 0;
		copy_table(s, src, tables[i], r, &n);
		if (!strcmp(tables[i], "papers"))
			r->papers = n;
		else if (!strcmp(tables[i], "user_state"))
			r->user_states = n;
	}
	/* .recover's rows whose table it could not tell */
	sqlite3_stmt *lf = NULL;
	if (r->recovered && sqlite3_prepare_v2(src, "SELECT count(*) FROM lost_and_found",
	                                       -1, &lf, NULL) == SQLITE_OK &&
	    sqlite3_step(lf) == SQLITE_ROW && sqlite3_column_int64(lf, 0) > 0)
		say(r, "%lld rows could not be told apart from which table they came (left in %s)",
		    (long long)sqlite3_column_int64(lf, 0), r->damaged);
	sqlite3_finalize(lf);
	int xrc = sqlite3_exec(s->db, "INSERT INTO papers_fts (papers_fts) VALUES ('rebuild');"
	                       "INSERT INTO papers_tfts (papers_tfts) VALUES ('rebuild');"
	                       "DELETE FROM fts_terms;" STORE_TERMS_FILL
	                       "COMMIT", NULL, NULL, NULL);
	if (xrc != SQLITE_OK) {
		store_db_error(s, e, xrc, "rebuilding the search index");
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		goto out;
	}
	rc = 0;
out:
	sqlite3_close(src);
	store_close(&s);
	unlink(scratch);
	free(dwal);
	free(wal);
	free(dshm);
	free(shm);
	free(sql);
	free(scratch);
	return rc;
}
