/* store — opening the cache, writing papers (merge upserts), user state, reading one paper,
 * per-source state, HTTP validators and search history. Lists and search are in store_query.c,
 * the schema in store_schema.c. */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store_int.h"

enum {
	ST_BEGIN, ST_COMMIT, ST_ROLLBACK,
	ST_GET_BY_ID, ST_GET_BY_PK, ST_MAXPK, ST_INSERT, ST_UPDATE,
	ST_AUTHORS_GET, ST_AUTHORS_DEL, ST_AUTHORS_INS,
	ST_LISTING, ST_FIRST_DAY, ST_SOURCED, ST_SOURCE_TOTAL, ST_FTS_DEL, ST_FTS_INS, ST_FTS_ROW,
	ST_TFTS_DEL, ST_TFTS_INS,
	ST_US_GET,
	ST_LISTINGS_GET,
	ST_SRC_BEGIN, ST_SRC_FINISH, ST_SRC_GET, ST_SRC_SIG_GET, ST_SRC_SIG_PUT, ST_HTTP_GET,
	ST_HTTP_PUT,
	ST_HIST_ADD, ST_HIST_TRIM, ST_HIST_LIST,
	ST_COUNT
};

#define PAPER_COLS \
	"version, title, abstract, authors, first_author, n_authors, published, updated," \
	" primary_category, categories, comment, journal_ref, doi, url_abs, url_pdf, url_code," \
	" url_project, url_hf, upvotes, num_comments, github_stars, organization, submitter," \
	" ai_summary, ai_keywords, hf_day, thumbnail, prov, org_submitter, versions"
#define N_PAPER_COLS 30

static const char *const stmt_sql[ST_COUNT] = {
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	/* cats (last): the category tokens as indexed, for deleting a changed paper's FTS entry */
	[ST_GET_BY_ID] = "SELECT pk, id, " PAPER_COLS ", lectern_cats(categories), withdrawn"
	                 " FROM papers WHERE id = ?1",
	[ST_GET_BY_PK] = "SELECT pk, id, " PAPER_COLS ", lectern_cats(categories), withdrawn"
	                 " FROM papers WHERE pk = ?1",
	[ST_MAXPK] = "SELECT max(pk) FROM papers WHERE pk >= ?1 AND pk < ?2",
	[ST_INSERT] = "INSERT INTO papers (pk, id, " PAPER_COLS ", added) VALUES (?1, ?2, ?3, ?4,"
	              " ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,"
	              " ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33)",
	[ST_UPDATE] = "UPDATE papers SET pk = ?1, id = ?2, version = ?3, title = ?4, abstract = ?5,"
	              " authors = ?6, first_author = ?7, n_authors = ?8, published = ?9,"
	              " updated = ?10, primary_category = ?11, categories = ?12, comment = ?13,"
	              " journal_ref = ?14, doi = ?15, url_abs = ?16, url_pdf = ?17, url_code = ?18,"
	              " url_project = ?19, url_hf = ?20, upvotes = ?21, num_comments = ?22,"
	              " github_stars = ?23, organization = ?24, submitter = ?25, ai_summary = ?26,"
	              " ai_keywords = ?27, hf_day = ?28, thumbnail = ?29, prov = ?30, org_submitter = ?31,"
	              " versions = ?32 WHERE pk = ?33",
	[ST_AUTHORS_GET] = "SELECT name, affiliation FROM paper_authors WHERE paper = ?1 ORDER BY pos",
	[ST_AUTHORS_DEL] = "DELETE FROM paper_authors WHERE paper = ?1",
	[ST_AUTHORS_INS] = "INSERT INTO paper_authors (paper, pos, name, affiliation)"
	                   " VALUES (?1, ?2, ?3, ?4)",
	/* A refetch of the same listing states its position, type and link anew; an import
	 * (which knows none of them) keeps what a fetch recorded. */
	[ST_LISTING] = "INSERT INTO listings (paper, source, day, seen_at, kind, position, type, url)"
	               " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
	               " ON CONFLICT (paper, source, day) DO UPDATE SET seen_at = excluded.seen_at,"
	               " kind = max(kind, excluded.kind),"
	               " position = coalesce(excluded.position, position),"
	               " type = coalesce(excluded.type, type), url = coalesce(excluded.url, url)",
	[ST_FIRST_DAY] = "SELECT min(day) FROM listings WHERE paper = ?1 AND day <> ''",
	[ST_SOURCED] = "INSERT OR IGNORE INTO sourced (paper, source) VALUES (?1, ?2)",
	[ST_SOURCE_TOTAL] = "INSERT INTO sources (name, total) VALUES (?1, 1)"
	                    " ON CONFLICT (name) DO UPDATE SET total = total + 1",
	[ST_FTS_DEL] = "INSERT INTO papers_fts (papers_fts, rowid, " STORE_FTS_COLS ")"
	               " VALUES ('delete', ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	/* Two statements, not INSERT ... SELECT: that form costs twice as much per paper. */
	[ST_FTS_INS] = "INSERT INTO papers_fts (rowid, " STORE_FTS_COLS ")"
	               " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[ST_FTS_ROW] = "SELECT " STORE_FTS_COLS " FROM papers_fview WHERE pk = ?1",
	/* The title index (schema v13): title, authors and organisation; its other columns are
	 * empty (papers_tview). */
	[ST_TFTS_DEL] = "INSERT INTO papers_tfts (papers_tfts, rowid, title, authors, organization)"
	                " VALUES ('delete', ?1, ?2, ?3, ?4)",
	[ST_TFTS_INS] = "INSERT INTO papers_tfts (rowid, title, authors, organization)"
	                " VALUES (?1, ?2, ?3, ?4)",
	[ST_US_GET] = "SELECT favourite, fav_time, read, note, tags, hidden FROM user_state"
	              " WHERE id = ?1",
	[ST_LISTINGS_GET] = "SELECT source, day, url FROM listings WHERE paper = ?1"
	                    " ORDER BY day DESC, seen_at DESC, source",
	[ST_SRC_BEGIN] = "INSERT INTO sources (name, last_attempt, in_progress, pid, host)"
	                 " VALUES (?1, ?2, 1, ?3, ?4)"
	                 " ON CONFLICT (name) DO UPDATE SET last_attempt = excluded.last_attempt,"
	                 " in_progress = 1, pid = excluded.pid, host = excluded.host",
	[ST_SRC_FINISH] = "INSERT INTO sources (name, last_attempt, last_success, last_error,"
	                  " new_count) VALUES (?1, ?2, CASE WHEN ?3 IS NULL THEN ?2 ELSE 0 END,"
	                  " ?3, CASE WHEN ?3 IS NULL THEN ?4 ELSE 0 END)"
	                  " ON CONFLICT (name) DO UPDATE SET in_progress = 0,"
	                  " last_error = excluded.last_error,"
	                  " last_success = CASE WHEN ?3 IS NULL THEN ?2 ELSE last_success END,"
	                  " new_count = CASE WHEN ?3 IS NULL THEN ?4 ELSE new_count END",
	[ST_SRC_GET] = "SELECT name, last_attempt, last_success, last_error, in_progress,"
	               " new_count, total, pid, host FROM sources WHERE name = ?1",
	[ST_SRC_SIG_GET] = "SELECT signature FROM sources WHERE name = ?1",
	[ST_SRC_SIG_PUT] = "INSERT INTO sources (name, signature) VALUES (?1, ?2)"
	                   " ON CONFLICT (name) DO UPDATE SET signature = excluded.signature",
	[ST_HTTP_GET] = "SELECT etag, last_modified FROM http_cache WHERE url = ?1",
	[ST_HTTP_PUT] = "INSERT INTO http_cache (url, etag, last_modified, stored_at)"
	                " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (url) DO UPDATE SET"
	                " etag = excluded.etag, last_modified = excluded.last_modified,"
	                " stored_at = excluded.stored_at",
	/* used_at strictly increases so "newest first" is exact within one second. */
	[ST_HIST_ADD] = "INSERT INTO history (query, used_at) VALUES (?1,"
	                " max(?2, coalesce((SELECT max(used_at) FROM history), 0) + 1))"
	                " ON CONFLICT (query) DO UPDATE SET used_at = excluded.used_at",
	[ST_HIST_TRIM] = "DELETE FROM history WHERE used_at <"
	                 " (SELECT used_at FROM history ORDER BY used_at DESC LIMIT 1 OFFSET 199)",
	[ST_HIST_LIST] = "SELECT query FROM history ORDER BY used_at DESC LIMIT ?1",
};

/* ---- errors ------------------------------------------------------------------------------- */

int store_db_error(struct store *s, struct lerr *e, int rc, const char *what)
{
	int base = rc & 0xff;
	const char *msg = s && s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc);
	switch (base) {
	case SQLITE_FULL:
		lerr_set(e, LERR_IO, rc, "%s: the disk is full; the change was rolled back", what);
		break;
	case SQLITE_READONLY:
		lerr_set(e, LERR_IO, rc, "%s: the database is read-only", what);
		break;
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
		lerr_set(e, LERR_IO, rc, "%s: I/O error: %s", what, msg);
		break;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		lerr_set(e, LERR_DB, rc, "%s: another program is writing to the cache; try again "
		         "when it has finished", what);
		break;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		if (s && s->db && !s->readonly) {
			/* Writing more to a damaged file can only lose more: from now on this connection
			 * is read-only (query_only: SQLite refuses every write on it; closing it here
			 * would pull statements from under the caller). Reads of the sound parts go on. */
			sqlite3_exec(s->db, "PRAGMA query_only = ON", NULL, NULL, NULL);
			s->readonly = s->damaged = true;
			lerr_set(e, LERR_DB, rc, "%s: the cache is damaged, so it is now open read-only "
			         "and nothing more is written to it (%s: %s; keep a copy; `lectern export` "
			         "saves what can still be read)", what, s->path, msg);
		} else {
			lerr_set(e, LERR_DB, rc, "%s: the cache%s%s is damaged (%s)%s", what,
			         s ? " " : "", s ? s->path : "", msg,
			         s && s->damaged ? "; it is open read-only" : "");
		}
		break;
	default:
		lerr_set(e, LERR_DB, rc, "%s: %s", what, msg);
	}
	return -1;
}

int store_readonly_error(struct store *s, struct lerr *e)
{
	if (s->damaged)
		lerr_set(e, LERR_IO, SQLITE_READONLY, "%s: the cache is damaged and open read-only; "
		         "nothing is written to it", s->path);
	else if (s->full)
		lerr_set(e, LERR_IO, SQLITE_FULL, "%s: the disk is full, so the cache is open "
		         "read-only: the change was not saved (what is stored is kept)", s->path);
	else
		lerr_set(e, LERR_IO, SQLITE_READONLY, "%s: the database is open read-only", s->path);
	return -1;
}

static sqlite3_stmt *stmt(struct store *s, int which, struct lerr *e)
{
	if (!s->st[which]) {
		int rc = sqlite3_prepare_v3(s->db, stmt_sql[which], -1, SQLITE_PREPARE_PERSISTENT,
		                            &s->st[which], NULL);
		if (rc != SQLITE_OK) {
			store_db_error(s, e, rc, "preparing a statement");
			s->st[which] = NULL;
			return NULL;
		}
	}
	sqlite3_reset(s->st[which]);
	sqlite3_clear_bindings(s->st[which]);
	return s->st[which];
}

sqlite3_stmt *store_cached(struct store *s, const char *sql, struct lerr *e)
{
	size_t victim = 0;
	for (size_t i = 0; i < STORE_QCACHE; i++) {
		if (s->qc[i].sql && strcmp(s->qc[i].sql, sql) == 0) {
			s->qc[i].used = ++s->qtick;
			sqlite3_reset(s->qc[i].st);
			sqlite3_clear_bindings(s->qc[i].st);
			return s->qc[i].st;
		}
		if (s->qc[i].used < s->qc[victim].used)
			victim = i;
	}
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	if (rc != SQLITE_OK) {
		store_db_error(s, e, rc, "preparing a query");
		return NULL;
	}
	sqlite3_finalize(s->qc[victim].st);
	free(s->qc[victim].sql);
	s->qc[victim].sql = xstrdup(sql);
	s->qc[victim].st = st;
	s->qc[victim].used = ++s->qtick;
	return st;
}

/* Steps a write statement to completion; resets it. Returns the SQLite code (DONE on success). */
static int run(sqlite3_stmt *st)
{
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	sqlite3_reset(st);
	return rc;
}

char *store_col_text(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	return t ? xstrdup((const char *)t) : NULL;
}

static void bind_text(sqlite3_stmt *st, int i, const char *t)
{
	if (t)
		sqlite3_bind_text(st, i, t, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/* ---- open / close ------------------------------------------------------------------------- */

char *store_default_path(void)
{
	const char *env = getenv("LECTERN_DB");
	if (env && *env)
		return xstrdup(env);
	char *dir = util_data_dir();
	if (!dir)
		return NULL;
	char *p = xasprintf("%s/papers.db", dir);
	free(dir);
	return p;
}

static int make_parent_dir(const char *path, struct lerr *e)
{
	const char *slash = strrchr(path, '/');
	if (!slash || slash == path)
		return 0;
	char *dir = xstrndup(path, (size_t)(slash - path));
	int rc = util_mkdir_p(dir, 0700);
	if (rc < 0)
		lerr_set(e, LERR_IO, errno, "cannot create %s: %s", dir, strerror(errno));
	free(dir);
	return rc;
}

static int exec(struct store *s, const char *sql, struct lerr *e)
{
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : store_db_error(s, e, rc, s->path);
}

static bool is_busy(int code)
{
	return (code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED;
}

/* The migrations, then WAL mode, retried while "busy" for up to the busy timeout.
 * A new file is created under the rollback journal (whose locks and busy handler serialise
 * several creators) and switched to WAL only once it has its schema, so it is never an empty
 * file in WAL mode (SQLite treats a -wal next to a zero-length database as stale). An existing
 * lectern file already is in WAL mode (it is persistent) and is migrated in it.
 * SQLite answers a journal-mode change that would have to wait with "busy" at once, without
 * calling the busy handler, so the waiting is ours; the migration's BEGIN IMMEDIATE waits in
 * the busy handler, and a busy answer from anywhere else in it is retried too. Every caller
 * (reader, CLI, fetch) gets this, not only the fetcher. */
static int setup_and_migrate(struct store *s, bool memory, struct lerr *e)
{
	double deadline = util_monotonic() + STORE_BUSY_TIMEOUT_MS / 1000.0;
	for (unsigned delay_ms = 1;; delay_ms = delay_ms < 32 ? delay_ms * 2 : 32) {
		struct lerr le = {0};
		int rc = SQLITE_OK;
		if (store_schema_migrate(s->db, &le) < 0)
			rc = le.code;
		else if (!memory && (rc = sqlite3_exec(s->db, "PRAGMA journal_mode = WAL", NULL, NULL,
		                                       NULL)) != SQLITE_OK)
			store_db_error(s, &le, rc, s->path);
		if (rc == SQLITE_OK)
			return 0;
		if (!is_busy(rc) || util_monotonic() >= deadline) {
			if (e)
				*e = le;
			return -1;
		}
		usleep(delay_ms * 1000);
	}
}

/* A read of an empty file (what `touch` makes) shows an empty cache without initialising the
 * file: an in-memory database with the schema, read-only. */
static struct store *open_empty(const char *path, struct lerr *e)
{
	struct store *s = store_open(":memory:", 0, e);
	if (!s)
		return NULL;
	free(s->path);
	s->path = xstrdup(path);
	s->readonly = true;
	if (exec(s, "PRAGMA query_only = ON", e) < 0)
		store_close(&s);
	return s;
}

struct store *store_open(const char *path, int flags, struct lerr *e)
{
	if (!path || !*path) {
		lerr_set(e, LERR_USAGE, 0, "no database path given");
		return NULL;
	}
	bool memory = strcmp(path, ":memory:") == 0;
	bool ro = flags & STORE_READONLY;
	struct store_file f = {0};
	if (!memory) {
		if (store_schema_check_file(path, &f, e) < 0)
			return NULL;
		if (!f.exists) {
			if (flags & STORE_NOCREATE) {
				lerr_set(e, LERR_NOTFOUND, ENOENT, "%s: no such database", path);
				return NULL;
			}
			if (ro) {
				lerr_set(e, LERR_NOTFOUND, ENOENT,
				         "%s: no such database (cannot create it read-only)", path);
				return NULL;
			}
			if (make_parent_dir(path, e) < 0)
				return NULL;
		} else {
			if (ro && !f.readonly && !f.fresh && f.version < STORE_SCHEMA_VERSION) {
				/* Written by an older lectern and we may write it: upgrade it with a
				 * read-write connection, then read it as asked. */
				struct store *w = store_open(path, flags & ~STORE_READONLY, e);
				if (!w)
					return NULL;
				store_close(&w);
			}
			ro = ro || f.readonly;
			if (f.fresh && ro)
				return open_empty(path, e);
		}
	}

	struct store *s = xcalloc(1, sizeof *s);
	s->path = xstrdup(path);
	s->readonly = ro;
	s->st = xcalloc(ST_COUNT, sizeof *s->st);
	int rc;
	s->full = f.full;
	if (f.full)
		rc = store_sqlite_open_full(path, &s->db);
	else if (ro)
		rc = store_sqlite_open_ro(path, f.immutable, &s->db);
	else
		rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		store_db_error(s, e, rc, path);
		store_close(&s);
		return NULL;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT_MS);
	/* Before anything touches papers_fts (a migration creates it with this tokenizer). */
	if (store_fts_register(s) != SQLITE_OK) {
		lerr_set(e, LERR_DB, 0, "this SQLite has no FTS5 support");
		goto fail;
	}
	/* Modest page cache (8 MiB) and no mmap: a query's memory must not grow with the cache. */
	if (exec(s, "PRAGMA cache_size = -8192; PRAGMA foreign_keys = ON;", e) < 0)
		goto fail;
	if (ro) {
		if (store_schema_verify(s->db, e) < 0)
			goto fail;
	} else {
		/* 8 KiB pages for a new file (FTS segments and 1.5 KB abstracts pack better: ~8 %
		 * faster bulk loads); an existing file keeps its page size. */
		if (exec(s, "PRAGMA page_size = 8192", e) < 0)
			goto fail;
		if (exec(s, "PRAGMA synchronous = NORMAL", e) < 0)
			goto fail;
		if (setup_and_migrate(s, memory, e) < 0)
			goto fail;
	}
	return s;
fail:
	store_close(&s);
	return NULL;
}

void store_limit_memory(int64_t bytes)
{
	sqlite3_soft_heap_limit64(bytes);
}

static int on_progress(void *arg)
{
	struct store *s = arg;
	return s->stop && s->stop(s->stop_arg);
}

bool store_interrupted(const struct lerr *e)
{
	return e->kind == LERR_DB && (e->code & 0xff) == SQLITE_INTERRUPT;
}

void store_set_interrupt(struct store *s, bool (*stop)(void *arg), void *arg)
{
	if (!s)
		return;
	s->stop = stop;
	s->stop_arg = arg;
	sqlite3_progress_handler(s->db, stop ? 4000 : 0, stop ? on_progress : NULL, s);
}

static void ops_free(struct store *s, size_t keep)
{
	for (size_t i = keep; i < s->n_ops; i++) {
		free(s->ops[i].title);
		free(s->ops[i].abstract);
		free(s->ops[i].authors);
		free(s->ops[i].cats);
		free(s->ops[i].organization);
		free(s->ops[i].ai_summary);
	}
	s->n_ops = keep;
}

/* Forgets the pending index writes from keep on; all of them (a rollback) with their words. */
static void ops_clear(struct store *s, size_t keep)
{
	ops_free(s, keep);
	if (!keep)
		store_terms_drop(s);
}

void store_close(struct store **sp)
{
	struct store *s = sp ? *sp : NULL;
	if (!s)
		return;
	if (s->in_txn)
		store_rollback(s);
	ops_clear(s, 0);
	free(s->ops);
	store_op_discard(s);
	free(s->pend);
	for (size_t i = 0; i < ARRAY_LEN(s->sync_st); i++)
		sqlite3_finalize(s->sync_st[i]);
	if (s->st)
		for (int i = 0; i < ST_COUNT; i++)
			sqlite3_finalize(s->st[i]);
	free(s->st);
	for (size_t i = 0; i < STORE_QCACHE; i++) {
		sqlite3_finalize(s->qc[i].st);
		free(s->qc[i].sql);
	}
	store_terms_free(s);
	store_fts_free(s);
	if (s->wl && s->wl_free)
		s->wl_free(s->wl);
	for (size_t i = 0; i < s->n_watch_cfg; i++)
		free(s->watch_cfg[i]);
	free(s->watch_cfg);
	sqlite3_close_v2(s->db);
	free(s->path);
	free(s);
	*sp = NULL;
}

bool store_is_readonly(const struct store *s) { return s->readonly; }
const char *store_readonly_reason(const struct store *s)
{
	return s->full ? "the disk is full" : s->damaged ? "the cache is damaged" : NULL;
}
const char *store_path(const struct store *s) { return s->path; }

/* ---- the operations of the open transaction (store_sync.c makes them) ---------------------- */

/* An operation waiting for the commit, with its own copies. */
struct store_pending {
	const char *op;            /* static */
	char *id, *arg;
	struct store_clock clock, prev;
	int64_t when;
	struct paper *paper;
};

void store_set_op_hook(struct store *s, store_op_hook write, void *ctx)
{
	s->op_hook = write;
	s->op_ctx = ctx;
}

static void pending_free(struct store_pending *p)
{
	free(p->id);
	free(p->arg);
	if (p->paper) {
		paper_clear(p->paper);
		free(p->paper);
	}
}

void store_op_discard(struct store *s)
{
	for (size_t i = 0; i < s->n_pend; i++)
		pending_free(&s->pend[i]);
	s->n_pend = 0;
}

static int op_flush(struct store *s, struct lerr *e)
{
	int rc = 0;
	if (s->n_pend && s->op_hook) {
		struct store_op *ops = xcalloc(s->n_pend, sizeof *ops);
		for (size_t i = 0; i < s->n_pend; i++) {
			struct store_pending *p = &s->pend[i];
			ops[i] = (struct store_op){p->op, p->id, p->arg, p->clock, p->prev, p->when,
			                           p->paper};
		}
		rc = s->op_hook(s->op_ctx, ops, s->n_pend, e);
		free(ops);
	}
	store_op_discard(s);
	return rc < 0 ? -1 : 0;
}

void store_op_push(struct store *s, const char *op, const char *id, const char *arg,
                   const struct store_clock *c, const struct store_clock *prev, int64_t when,
                   bool with_paper)
{
	if (s->n_pend == s->cap_pend) {
		s->cap_pend = s->cap_pend ? s->cap_pend * 2 : 8;
		s->pend = xreallocarray(s->pend, s->cap_pend, sizeof *s->pend);
	}
	struct store_pending *p = &s->pend[s->n_pend++];
	memset(p, 0, sizeof *p);
	p->op = op;
	p->id = xstrdup(id);
	p->arg = xstrdup(arg);
	p->clock = *c;
	if (prev)
		p->prev = *prev;
	p->when = when;
	if (with_paper) {
		p->paper = xmalloc(sizeof *p->paper);
		paper_init(p->paper);
		if (store_get(s, id, p->paper, NULL) < 0) {
			paper_clear(p->paper);
			free(p->paper);
			p->paper = NULL;
		}
	}
}

/* ---- transactions ------------------------------------------------------------------------- */

static int ftsop_cmp(const void *a, const void *b)
{
	const struct store_ftsop *x = a, *y = b;
	if (x->rowid != y->rowid)
		return x->rowid < y->rowid ? -1 : 1;
	return y->del - x->del;   /* deletes before inserts of the same rowid */
}

/* Applies the buffered FTS changes in rowid order. */
static int fts_flush(struct store *s, struct lerr *e)
{
	if (s->n_ops == 0)
		return 0;
	qsort(s->ops, s->n_ops, sizeof *s->ops, ftsop_cmp);
	for (size_t i = 0; i < s->n_ops; i++) {
		struct store_ftsop *o = &s->ops[i];
		sqlite3_stmt *st;
		if (o->del) {
			if (!(st = stmt(s, ST_FTS_DEL, e)))
				return -1;
			sqlite3_bind_int64(st, 1, o->rowid);
			bind_text(st, 2, o->title);
			bind_text(st, 3, o->abstract);
			bind_text(st, 4, o->authors);
			bind_text(st, 5, o->cats);
			bind_text(st, 6, o->organization);
			bind_text(st, 7, o->ai_summary);
			int rc = run(st);
			if (rc != SQLITE_DONE || !(st = stmt(s, ST_TFTS_DEL, e)))
				return rc != SQLITE_DONE ? store_db_error(s, e, rc, "updating the search index")
				                         : -1;
			sqlite3_bind_int64(st, 1, o->rowid);
			bind_text(st, 2, o->title);
			bind_text(st, 3, o->authors);
			bind_text(st, 4, o->organization);
		} else {
			if (i > 0 && !s->ops[i - 1].del && s->ops[i - 1].rowid == o->rowid)
				continue;
			sqlite3_stmt *row = stmt(s, ST_FTS_ROW, e);
			if (!row || !(st = stmt(s, ST_FTS_INS, e)))
				return -1;
			sqlite3_bind_int64(row, 1, o->rowid);
			int rc = sqlite3_step(row);
			if (rc == SQLITE_DONE) {   /* moved again later in this transaction */
				sqlite3_reset(row);
				continue;
			}
			if (rc != SQLITE_ROW) {
				sqlite3_reset(row);
				return store_db_error(s, e, rc, "updating the search index");
			}
			sqlite3_bind_int64(st, 1, o->rowid);
			rc = SQLITE_OK;
			for (int c = 0; c < STORE_N_FTS_COLS && rc == SQLITE_OK; c++) {
				sqlite3_bind_value(st, 2 + c, sqlite3_column_value(row, c));
				rc = store_terms_add(s, (const char *)sqlite3_column_text(row, c),
				                     (size_t)sqlite3_column_bytes(row, c));
			}
			if (rc != SQLITE_OK) {
				sqlite3_reset(row);
				return store_db_error(s, e, rc, "updating the search index's words");
			}
			rc = run(st);
			if (rc == SQLITE_DONE) {
				if (!(st = stmt(s, ST_TFTS_INS, e))) {
					sqlite3_reset(row);
					return -1;
				}
				sqlite3_bind_int64(st, 1, o->rowid);
				sqlite3_bind_value(st, 2, sqlite3_column_value(row, 0));   /* title */
				sqlite3_bind_value(st, 3, sqlite3_column_value(row, 2));   /* authors */
				sqlite3_bind_value(st, 4, sqlite3_column_value(row, 4));   /* organization */
				rc = run(st);
			}
			sqlite3_reset(row);
			if (rc != SQLITE_DONE)
				return store_db_error(s, e, rc, "updating the search index");
			continue;
		}
		int rc = run(st);
		if (rc != SQLITE_DONE)
			return store_db_error(s, e, rc, "updating the search index");
	}
	int rc = store_terms_flush(s);
	if (rc != SQLITE_OK)
		return store_db_error(s, e, rc, "updating the search index's words");
	ops_free(s, 0);   /* the words stay for store_terms_committed() */
	return 0;
}

int store_begin(struct store *s, struct lerr *e)
{
	if (s->readonly)
		return store_readonly_error(s, e);
	if (s->in_txn) {
		lerr_set(e, LERR_USAGE, 0, "a transaction is already open");
		return -1;
	}
	sqlite3_stmt *st = stmt(s, ST_BEGIN, e);
	if (!st)
		return -1;
	int rc = run(st);
	if (rc != SQLITE_DONE)
		return store_db_error(s, e, rc, "cannot start a transaction");
	s->in_txn = true;
	s->txn_failed = false;
	ops_clear(s, 0);
	return 0;
}

static int commit_now(struct store *s, struct lerr *e)
{
	if (fts_flush(s, e) < 0)
		goto fail;
	sqlite3_stmt *st = stmt(s, ST_COMMIT, e);
	if (!st)
		goto fail;
	int rc = run(st);
	if (rc != SQLITE_DONE) {
		store_db_error(s, e, rc, "saving changes");
		goto fail;
	}
	store_terms_committed(s);
	return 0;
fail:
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	ops_clear(s, 0);
	return -1;
}

int store_commit(struct store *s, struct lerr *e)
{
	if (!s->in_txn) {
		lerr_set(e, LERR_USAGE, 0, "no transaction is open");
		return -1;
	}
	s->in_txn = false;
	if (s->txn_failed || sqlite3_get_autocommit(s->db)) {
		s->txn_failed = false;
		if (!sqlite3_get_autocommit(s->db))
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		ops_clear(s, 0);
		lerr_set(e, LERR_DB, 0, "the transaction was rolled back after an earlier error");
		store_op_discard(s);
		return -1;
	}
	/* the operation log first: a change it could not log is not made */
	if (op_flush(s, e) < 0) {
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		ops_clear(s, 0);
		return -1;
	}
	return commit_now(s, e);
}

void store_rollback(struct store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	ops_clear(s, 0);
	store_op_discard(s);
	s->in_txn = false;
	s->txn_failed = false;
}

/* ---- reading rows --------------------------------------------------------------------------- */

/* Fills p from a row of "pk, id, PAPER_COLS"; *authors_text (may be NULL) gets that column.
 * p->sources gets papers.prov (the kinds that gave the fields, see store_merge.c). */
static void read_paper_row(sqlite3_stmt *st, struct paper *p, char **authors_text)
{
	paper_init(p);
	p->id = store_col_text(st, 1);
	p->version = sqlite3_column_int(st, 2);
	p->title = store_col_text(st, 3);
	p->abstract = store_col_text(st, 4);
	if (authors_text)
		*authors_text = store_col_text(st, 5);
	/* 6 first_author, 7 n_authors: derived from paper_authors */
	p->published = sqlite3_column_int64(st, 8);
	p->updated = sqlite3_column_int64(st, 9);
	char **str[] = {
		&p->primary_category, &p->categories, &p->comment, &p->journal_ref, &p->doi,
		&p->url_abs, &p->url_pdf, &p->url_code, &p->url_project, &p->url_hf,
	};
	for (size_t i = 0; i < ARRAY_LEN(str); i++)
		*str[i] = store_col_text(st, 10 + (int)i);
	p->upvotes = sqlite3_column_int64(st, 20);
	p->num_comments = sqlite3_column_int64(st, 21);
	p->github_stars = sqlite3_column_int64(st, 22);
	char **str2[] = { &p->organization, &p->submitter, &p->ai_summary, &p->ai_keywords,
	                  &p->hf_day, &p->thumbnail };
	for (size_t i = 0; i < ARRAY_LEN(str2); i++)
		*str2[i] = store_col_text(st, 23 + (int)i);
	p->sources = (uint64_t)sqlite3_column_int64(st, 29);
	p->org_submitter = sqlite3_column_int(st, 30) != 0;
	p->versions = store_col_text(st, 31);
}

static int read_authors(struct store *s, int64_t pk, struct paper *p, struct lerr *e)
{
	sqlite3_stmt *st = stmt(s, ST_AUTHORS_GET, e);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, pk);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		paper_add_author(p, (const char *)sqlite3_column_text(st, 0),
		                 (const char *)sqlite3_column_text(st, 1));
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_db_error(s, e, rc, "reading authors");
}

static int read_user_state(struct store *s, struct paper *p, struct lerr *e)
{
	sqlite3_stmt *st = stmt(s, ST_US_GET, e);
	if (!st)
		return -1;
	bind_text(st, 1, p->id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		p->favourite = sqlite3_column_int(st, 0) != 0;
		p->fav_time = p->favourite ? sqlite3_column_int64(st, 1) : 0;
		p->read = sqlite3_column_int(st, 2) != 0;
		p->note = store_col_text(st, 3);
		p->tags = store_col_text(st, 4);
		p->hidden = sqlite3_column_int(st, 5) != 0;
		rc = SQLITE_DONE;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_db_error(s, e, rc, "reading user state");
}

static int read_listings(struct store *s, int64_t pk, struct paper *p, struct lerr *e)
{
	sqlite3_stmt *st = stmt(s, ST_LISTINGS_GET, e);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, pk);
	struct sbuf b = {0}, urls = {0};
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (b.len)
			sbuf_addc(&b, '\n');
		sbuf_adds(&b, (const char *)sqlite3_column_text(st, 0));
		const char *day = (const char *)sqlite3_column_text(st, 1);
		if (day && *day)
			sbuf_printf(&b, " %s", day);
		/* the links feeds gave for it, once each (paper_links lists them) */
		const char *url = (const char *)sqlite3_column_text(st, 2);
		if (url && *url && !util_has_line(urls.s, url)) {
			if (urls.len)
				sbuf_addc(&urls, '\n');
			sbuf_adds(&urls, url);
		}
	}
	sqlite3_reset(st);
	if (b.len)
		p->listings = sbuf_steal(&b);
	if (urls.len)
		p->listing_url = sbuf_steal(&urls);
	sbuf_free(&b);
	sbuf_free(&urls);
	return rc == SQLITE_DONE ? 0 : store_db_error(s, e, rc, "reading listings");
}

/* Loads one full paper by statement (already bound). 1 found, 0 absent, -1 error. */
static int load_full(struct store *s, sqlite3_stmt *st, struct paper *out, struct lerr *e)
{
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? 0 : store_db_error(s, e, rc, "reading a paper");
	}
	int64_t pk = sqlite3_column_int64(st, 0);
	read_paper_row(st, out, NULL);
	out->withdrawn = sqlite3_column_int(st, 3 + N_PAPER_COLS) != 0;   /* after cats */
	sqlite3_reset(st);
	if (read_authors(s, pk, out, e) < 0 || read_user_state(s, out, e) < 0 ||
	    read_listings(s, pk, out, e) < 0) {
		paper_clear(out);
		return -1;
	}
	return 1;
}

int store_read_paper_pk(struct store *s, int64_t pk, struct paper *out, struct lerr *e)
{
	sqlite3_stmt *st = stmt(s, ST_GET_BY_PK, e);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, pk);
	int rc = load_full(s, st, out, e);
	if (rc == 0)
		lerr_set(e, LERR_NOTFOUND, 0, "paper vanished while reading");
	return rc == 1 ? 0 : -1;
}

/* Canonical id: arXiv ids lose version and URL prefix; anything else is kept as given. */
static void norm_id(const char *id, char *buf, size_t n, int *version)
{
	*version = 0;
	if (paper_parse_arxiv_id(id, buf, n, version) == 0)
		return;
	*version = 0;
	buf[0] = 0;
}

int store_get(struct store *s, const char *id, struct paper *out, struct lerr *e)
{
	paper_init(out);
	if (!id || !*id) {
		lerr_set(e, LERR_USAGE, 0, "no paper id given");
		return -1;
	}
	char buf[64];
	int ver;
	norm_id(id, buf, sizeof buf, &ver);
	sqlite3_stmt *st = stmt(s, ST_GET_BY_ID, e);
	if (!st)
		return -1;
	bind_text(st, 1, buf[0] ? buf : id);
	int rc = load_full(s, st, out, e);
	if (rc == 0)
		lerr_set(e, LERR_NOTFOUND, 0, "%s: no such paper in the cache", id);
	return rc == 1 ? 0 : -1;
}

/* ---- upsert ------------------------------------------------------------------------------- */

static bool str_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

static bool nonempty(const char *s) { return s && *s; }

static int64_t pk_time(int64_t t)
{
	/* Clamp so the shift cannot overflow; 0 or nonsense means "unknown". */
	if (t <= 0 || t >= (INT64_MAX >> STORE_PK_SHIFT) - 1)
		return 0;
	return t;
}

/* A listing day "YYYY-MM-DD" as the time of its midnight UTC; 0 when absent or malformed. */
static int64_t day_time(const char *day)
{
	int64_t t = 0;
	if (!day || !util_valid_date(day) || util_parse_time(day, &t) < 0)
		return 0;
	return pk_time(t);
}

static int alloc_pk(struct store *s, int64_t t, int64_t *pk, struct lerr *e)
{
	int64_t base = t << STORE_PK_SHIFT, end = base + ((int64_t)1 << STORE_PK_SHIFT);
	sqlite3_stmt *st = stmt(s, ST_MAXPK, e);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, base);
	sqlite3_bind_int64(st, 2, end);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return store_db_error(s, e, rc, "allocating a paper key");
	}
	int64_t next = sqlite3_column_type(st, 0) == SQLITE_NULL ? base
	                                                         : sqlite3_column_int64(st, 0) + 1;
	sqlite3_reset(st);
	if (next >= end) {
		lerr_set(e, LERR_DB, 0, "too many papers with the same publication second");
		return -1;
	}
	*pk = next;
	return 0;
}

static void bind_paper(sqlite3_stmt *st, int64_t pk, const struct paper *m, const char *authors,
                       const char *first_author, size_t n_authors)
{
	sqlite3_bind_int64(st, 1, pk);
	bind_text(st, 2, m->id);
	sqlite3_bind_int(st, 3, m->version);
	bind_text(st, 4, m->title);
	bind_text(st, 5, m->abstract);
	bind_text(st, 6, authors);
	bind_text(st, 7, first_author);
	sqlite3_bind_int64(st, 8, (int64_t)n_authors);
	sqlite3_bind_int64(st, 9, m->published);
	sqlite3_bind_int64(st, 10, m->updated);
	const char *str[] = { m->primary_category, m->categories, m->comment, m->journal_ref,
	                      m->doi, m->url_abs, m->url_pdf, m->url_code, m->url_project,
	                      m->url_hf };
	for (size_t i = 0; i < ARRAY_LEN(str); i++)
		bind_text(st, 11 + (int)i, str[i]);
	sqlite3_bind_int64(st, 21, m->upvotes);
	sqlite3_bind_int64(st, 22, m->num_comments);
	sqlite3_bind_int64(st, 23, m->github_stars);
	const char *str2[] = { m->organization, m->submitter, m->ai_summary, m->ai_keywords,
	                       m->hf_day, m->thumbnail };
	for (size_t i = 0; i < ARRAY_LEN(str2); i++)
		bind_text(st, 24 + (int)i, str2[i]);
	sqlite3_bind_int64(st, 30, (int64_t)m->sources);
	sqlite3_bind_int(st, 31, m->org_submitter && m->organization);
	bind_text(st, 32, m->versions);
}

static char *authors_text(const struct paper *p)
{
	if (p->n_authors == 0)
		return NULL;
	struct sbuf b = {0};
	for (size_t i = 0; i < p->n_authors; i++) {
		if (i)
			sbuf_adds(&b, ", ");
		sbuf_adds(&b, p->authors[i].name ? p->authors[i].name : "");
	}
	return sbuf_steal(&b);
}

static int write_authors(struct store *s, int64_t pk, const struct paper *p, bool fresh,
                         struct lerr *e)
{
	sqlite3_stmt *st;
	int rc = SQLITE_DONE;
	if (!fresh) {   /* a new paper has none to delete */
		if (!(st = stmt(s, ST_AUTHORS_DEL, e)))
			return -1;
		sqlite3_bind_int64(st, 1, pk);
		rc = run(st);
	}
	for (size_t i = 0; rc == SQLITE_DONE && i < p->n_authors; i++) {
		if (!(st = stmt(s, ST_AUTHORS_INS, e)))
			return -1;
		sqlite3_bind_int64(st, 1, pk);
		sqlite3_bind_int64(st, 2, (int64_t)i);
		bind_text(st, 3, p->authors[i].name ? p->authors[i].name : "");
		bind_text(st, 4, nonempty(p->authors[i].affiliation) ? p->authors[i].affiliation : NULL);
		rc = run(st);
	}
	return rc == SQLITE_DONE ? 0 : store_db_error(s, e, rc, "writing authors");
}

/* old: the indexed text to delete (del), else NULL. */
static void push_op(struct store *s, int64_t rowid, int del, const struct store_ftsop *old)
{
	if (s->n_ops == s->cap_ops) {
		s->cap_ops = s->cap_ops ? s->cap_ops * 2 : 256;
		s->ops = xreallocarray(s->ops, s->cap_ops, sizeof *s->ops);
	}
	struct store_ftsop o = { .rowid = rowid, .del = del };
	if (old) {
		o.title = xstrdup(old->title);
		o.abstract = xstrdup(old->abstract);
		o.authors = xstrdup(old->authors);
		o.cats = xstrdup(old->cats);
		o.organization = xstrdup(old->organization);
		o.ai_summary = xstrdup(old->ai_summary);
	}
	s->ops[s->n_ops++] = o;
}

/* The FTS currently holds `rowid` unless this transaction already deleted it or will (re)index
 * it itself (in both cases its committed FTS entry is handled already). */
static bool fts_pending(const struct store *s, int64_t rowid)
{
	for (size_t i = s->n_ops; i-- > 0;)
		if (s->ops[i].rowid == rowid)
			return true;
	return false;
}

static int record_listing(struct store *s, int64_t pk, enum paper_source_kind kind,
                          const struct store_listing *l, struct lerr *e)
{
	if (!l || !nonempty(l->source))
		return 0;
	const char *source = l->source;
	sqlite3_stmt *st = stmt(s, ST_LISTING, e);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, pk);
	bind_text(st, 2, source);
	bind_text(st, 3, l->day ? l->day : "");
	sqlite3_bind_int64(st, 4, util_now());
	sqlite3_bind_int(st, 5, (int)kind);
	if (l->position >= 0)
		sqlite3_bind_int64(st, 6, l->position);
	if (l->type != PAPER_ANN_UNKNOWN)
		sqlite3_bind_int(st, 7, (int)l->type);
	bind_text(st, 8, l->url);
	int rc = run(st);
	if (rc == SQLITE_DONE) {
		if (!(st = stmt(s, ST_SOURCED, e)))
			return -1;
		sqlite3_bind_int64(st, 1, pk);
		bind_text(st, 2, source);
		rc = run(st);
		if (rc == SQLITE_DONE && sqlite3_changes(s->db) > 0) {
			if (!(st = stmt(s, ST_SOURCE_TOTAL, e)))
				return -1;
			bind_text(st, 1, source);
			rc = run(st);
		}
	}
	return rc == SQLITE_DONE ? 0 : store_db_error(s, e, rc, "recording the listing");
}

/* p: id, version and published already normalised (upsert_inner). */
static int insert_new(struct store *s, const struct paper *p, int64_t day_t, int64_t *pk_out,
                      struct lerr *e)
{
	/* The key date: published, else the listing day, else now (first seen). */
	int64_t pk;
	if (alloc_pk(s, p->published ? p->published : day_t ? day_t : util_now(), &pk, e) < 0)
		return -1;
	struct paper m = *p;   /* shallow: only the kinds of its fields are added */
	m.sources = store_merge_sources(p);
	/* Authors without a name are kept as "" (order matters); list row caches the first. */
	char *at = authors_text(p);
	sqlite3_stmt *st = stmt(s, ST_INSERT, e);
	int rc = SQLITE_ERROR;
	if (st) {
		bind_paper(st, pk, &m, at, p->n_authors ? p->authors[0].name : NULL, p->n_authors);
		sqlite3_bind_int64(st, 33, util_now());
		rc = run(st);
	}
	free(at);
	if (!st)
		return -1;
	if (rc != SQLITE_DONE)
		return store_db_error(s, e, rc, "storing a paper");
	if (write_authors(s, pk, p, true, e) < 0)
		return -1;
	push_op(s, pk, 0, NULL);
	*pk_out = pk;
	return 0;
}

/* The key date of a paper whose publication date is unknown, now listed on day_t (0 none):
 * its earliest listing day, else (never listed with a day) the first-seen time in its key.
 * Returns the key time, or -1 on error. */
static int64_t undated_key(struct store *s, int64_t pk, int64_t day_t, struct lerr *e)
{
	int64_t cur = pk >> STORE_PK_SHIFT;
	if (!day_t)
		return cur;
	sqlite3_stmt *st = stmt(s, ST_FIRST_DAY, e);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, pk);
	int rc = sqlite3_step(st);
	int64_t first = 0;
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		first = day_time((const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return store_db_error(s, e, rc, "reading listing days");
	if (!first)             /* keyed by first-seen time so far: a listing day beats it */
		return day_t;
	return day_t < first ? day_t : first;
}

/* A stored paper being merged into: its fields and authors (m), and its indexed text as it is
 * now (old, to delete from the FTS when it changes; old_categories: the categories' source). */
struct stored {
	int64_t pk;
	struct paper m;
	struct store_ftsop old;
	char *old_categories;
};

static void stored_clear(struct stored *o)
{
	free(o->old.title);
	free(o->old.abstract);
	free(o->old.authors);
	free(o->old.cats);
	free(o->old.organization);
	free(o->old.ai_summary);
	free(o->old_categories);
	paper_clear(&o->m);
}

/* Reads the row `cur` stands on (and resets it). */
static int load_stored(struct store *s, sqlite3_stmt *cur, struct stored *o, struct lerr *e)
{
	o->pk = sqlite3_column_int64(cur, 0);
	read_paper_row(cur, &o->m, &o->old.authors);
	o->old.cats = store_col_text(cur, 2 + N_PAPER_COLS);
	sqlite3_reset(cur);
	o->old.title = xstrdup(o->m.title);
	o->old.abstract = xstrdup(o->m.abstract);
	o->old.organization = xstrdup(o->m.organization);
	o->old.ai_summary = xstrdup(o->m.ai_summary);
	o->old_categories = xstrdup(o->m.categories);
	return read_authors(s, o->pk, &o->m, e);
}

/* Whether the indexed text changed (categories by their source: the tokens are derived in SQL). */
static bool fts_text_changed(const struct stored *o, const char *authors)
{
	const struct paper *m = &o->m;
	return !str_eq(o->old.title, m->title) || !str_eq(o->old.abstract, m->abstract) ||
	       !str_eq(o->old.authors, authors) || !str_eq(o->old_categories, m->categories) ||
	       !str_eq(o->old.organization, m->organization) ||
	       !str_eq(o->old.ai_summary, m->ai_summary);
}

/* Writes the merged o->m under new_pk (== o->pk unless its date moved it) and queues its FTS
 * update. */
static int write_update(struct store *s, struct stored *o, int64_t new_pk, bool authors_changed,
                        struct lerr *e)
{
	const struct paper *m = &o->m;
	char *at = authors_changed ? authors_text(m) : xstrdup(o->old.authors);
	bool text_changed = fts_text_changed(o, at);
	sqlite3_stmt *st = stmt(s, ST_UPDATE, e);
	int rc = SQLITE_ERROR;
	if (st) {
		bind_paper(st, new_pk, m, at, m->n_authors ? m->authors[0].name : NULL, m->n_authors);
		sqlite3_bind_int64(st, 33, o->pk);
		rc = run(st);
	}
	free(at);
	if (!st)
		return -1;
	if (rc != SQLITE_DONE)
		return store_db_error(s, e, rc, "updating a paper");
	if (authors_changed && write_authors(s, new_pk, m, false, e) < 0)
		return -1;
	if (text_changed || new_pk != o->pk) {
		if (!fts_pending(s, o->pk))
			push_op(s, o->pk, 1, &o->old);
		push_op(s, new_pk, 0, NULL);
	}
	return 0;
}

/* Merges p into the stored paper `cur` stands on (store_merge: the rule), moving it in date
 * order when its key date changed (see store_int.h). */
static int update_existing(struct store *s, sqlite3_stmt *cur, const struct paper *p,
                           int64_t day_t, enum store_upsert_result *res, int64_t *pk_out,
                           struct lerr *e)
{
	struct stored o = {0};
	int ret = -1;
	if (load_stored(s, cur, &o, e) < 0)
		goto out;
	unsigned what = store_merge(&o.m, p);
	int64_t key_t = pk_time(o.m.published) ? o.m.published : undated_key(s, o.pk, day_t, e);
	if (key_t < 0)
		goto out;
	int64_t new_pk = o.pk;
	*res = STORE_UNCHANGED;
	if (key_t != o.pk >> STORE_PK_SHIFT) {
		if (alloc_pk(s, key_t, &new_pk, e) < 0)
			goto out;
	} else if (!what) {
		*pk_out = o.pk;
		ret = 0;
		goto out;
	}
	if (write_update(s, &o, new_pk, what & STORE_MERGE_AUTHORS, e) < 0)
		goto out;
	*res = STORE_UPDATED;
	*pk_out = new_pk;
	ret = 0;
out:
	stored_clear(&o);
	return ret;
}

static int upsert_inner(struct store *s, const struct paper *p, const struct store_listing *l,
                        enum paper_source_kind lkind, enum store_upsert_result *res,
                        struct lerr *e)
{
	const char *day = l ? l->day : NULL;
	char buf[64];
	struct paper q = *p;   /* shallow: the id, version and date as stored */
	norm_id(p->id, buf, sizeof buf, &q.version);
	if (buf[0])
		q.id = buf;
	if (p->version > 0)
		q.version = p->version;
	q.published = pk_time(p->published);
	int64_t day_t = day_time(day);
	sqlite3_stmt *cur = stmt(s, ST_GET_BY_ID, e);
	if (!cur)
		return -1;
	bind_text(cur, 1, q.id);
	int rc = sqlite3_step(cur);
	int64_t pk = 0;
	if (rc == SQLITE_DONE) {
		sqlite3_reset(cur);
		if (insert_new(s, &q, day_t, &pk, e) < 0)
			return -1;
		*res = STORE_INSERTED;
	} else if (rc == SQLITE_ROW) {
		if (update_existing(s, cur, &q, day_t, res, &pk, e) < 0)
			return -1;
	} else {
		sqlite3_reset(cur);
		return store_db_error(s, e, rc, "looking up a paper");
	}
	return record_listing(s, pk, lkind, l, e);
}

/* Splits the "SOURCE DAY" line at *l into src and d ("" when absent); returns the next line. */
static const char *listing_line(const char *l, char src[128], char d[16])
{
	size_t n = strcspn(l, "\n");
	const char *sp = memchr(l, ' ', n);
	size_t sn = sp ? (size_t)(sp - l) : n;
	snprintf(src, 128, "%.*s", (int)sn, l);
	snprintf(d, 16, "%.*s", sp ? (int)(n - sn - 1) : 0, sp ? sp + 1 : "");
	l += n;
	return l + (*l == '\n');
}

/* One upsert per "SOURCE DAY" line of `listings` (store_import), or one with source and day. */
static int upsert_listed(struct store *s, const struct paper *p, const struct store_listing *one,
                         bool import, const char *listings, enum store_upsert_result *res,
                         struct lerr *e)
{
	if (!import)
		return upsert_inner(s, p, one, p->source_kind, res, e);
	/* An export does not say which kind of source a listing came from: the source that
	 * listed the paper on its Daily Papers day is a Daily Papers source (what day views read),
	 * on each of its days. */
	char src[128], d[16], hf[128] = "";
	for (const char *l = listings; l && *l && p->hf_day && !hf[0];) {
		l = listing_line(l, src, d);
		if (*src && strcmp(d, p->hf_day) == 0)
			memcpy(hf, src, sizeof hf);
	}
	/* A Daily Papers day no listing names (a hand-written file) is one by "hf-daily". */
	if (!hf[0] && p->hf_day && util_valid_date(p->hf_day)) {
		struct store_listing day_l = { .source = "hf-daily", .day = p->hf_day,
		                               .position = -1 };
		if (upsert_inner(s, p, &day_l, PAPER_SRC_HF, res, e) < 0)
			return -1;
	} else if (!listings || !*listings) {
		return upsert_inner(s, p, NULL, p->source_kind, res, e);
	}
	for (const char *l = listings; l && *l;) {
		l = listing_line(l, src, d);
		enum store_upsert_result r1;
		struct store_listing one_l = { .source = *src ? src : NULL, .day = *d ? d : NULL,
		                               .position = -1 };
		enum paper_source_kind k = hf[0] && !strcmp(src, hf) ? PAPER_SRC_HF : PAPER_SRC_UNKNOWN;
		if (upsert_inner(s, p, &one_l, k, &r1, e) < 0)
			return -1;
		if (r1 == STORE_INSERTED || *res == STORE_UNCHANGED)
			*res = r1;
	}
	return 0;
}

/* Runs upsert_listed() in its own transaction, or in the caller's (store_begin). */
static int upsert_txn(struct store *s, const struct paper *p, const struct store_listing *l,
                      bool import, const char *listings, enum store_upsert_result *result,
                      struct lerr *e);

/* The one place papers enter the cache: fields over paper.h's limits are cut here (on a copy),
 * for every source and for imports alike; what was cut is kept for store_cut_note(). */
static int upsert_limited(struct store *s, const struct paper *p, const struct store_listing *l,
                          bool import, const char *listings, enum store_upsert_result *result,
                          struct lerr *e)
{
	s->cut_note[0] = '\0';
	if (p && p->id && strlen(p->id) > PAPER_ID_MAX) {
		if (result)
			*result = STORE_UNCHANGED;
		lerr_set(e, LERR_USAGE, 0, "an id of %zu bytes (the most is %d) cannot be stored",
		         strlen(p->id), PAPER_ID_MAX);
		return -1;
	}
	if (!p || !paper_over_limits(p))
		return upsert_txn(s, p, l, import, listings, result, e);
	struct paper q;
	paper_copy(&q, p);
	paper_apply_limits(&q, s->cut_note, sizeof s->cut_note);
	int rc = upsert_txn(s, &q, l, import, listings, result, e);
	paper_clear(&q);
	return rc;
}

const char *store_cut_note(const struct store *s)
{
	return s->cut_note[0] ? s->cut_note : NULL;
}

static int upsert_txn(struct store *s, const struct paper *p, const struct store_listing *l,
                      bool import, const char *listings, enum store_upsert_result *result,
                      struct lerr *e)
{
	enum store_upsert_result dummy;
	if (!result)
		result = &dummy;
	*result = STORE_UNCHANGED;
	if (!p || !nonempty(p->id)) {
		lerr_set(e, LERR_USAGE, 0, "a paper without an id cannot be stored");
		return -1;
	}
	if (s->readonly)
		return store_readonly_error(s, e);
	if (s->in_txn && s->txn_failed) {
		lerr_set(e, LERR_DB, 0, "the transaction was rolled back after an earlier error");
		return -1;
	}
	bool own = !s->in_txn;
	if (own) {
		sqlite3_stmt *st = stmt(s, ST_BEGIN, e);
		if (!st)
			return -1;
		int rc = run(st);
		if (rc != SQLITE_DONE)
			return store_db_error(s, e, rc, "cannot start a transaction");
	}
	/* No savepoint per paper inside store_begin(): a savepoint makes SQLite copy every page
	 * the upsert touches to a statement journal (~20 page writes a paper, half the cost of a
	 * bulk load). Instead a failed upsert fails the whole transaction (see store.h). */
	if (upsert_listed(s, p, l, import, listings, result, e) < 0) {
		if (own) {
			store_rollback(s);
		} else {
			/* Undo everything now (the upsert may have written part of the paper);
			 * store_commit() will report the failure. */
			if (!sqlite3_get_autocommit(s->db))
				sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
			s->txn_failed = true;
			ops_clear(s, 0);
		}
		*result = STORE_UNCHANGED;
		return -1;
	}
	if (own)
		return commit_now(s, e) < 0 ? (*result = STORE_UNCHANGED, -1) : 0;
	return 0;
}

int store_upsert(struct store *s, const struct paper *p, const struct store_listing *l,
                 enum store_upsert_result *result, struct lerr *e)
{
	return upsert_limited(s, p, l, false, NULL, result, e);
}

int store_import(struct store *s, const struct paper *p, enum store_upsert_result *result,
                 struct lerr *e)
{
	return upsert_limited(s, p, NULL, true, p ? p->listings : NULL, result, e);
}

/* ---- user state --------------------------------------------------------------------------- */

/* Runs one prepared single-row write (atomic by itself). */
static int user_write(struct store *s, int which, const char *id, struct lerr *e,
                      sqlite3_stmt **out)
{
	if (s->readonly)
		return store_readonly_error(s, e);
	if (!nonempty(id)) {
		lerr_set(e, LERR_USAGE, 0, "no paper id given");
		return -1;
	}
	if (s->in_txn && s->txn_failed) {
		lerr_set(e, LERR_DB, 0, "the transaction was rolled back after an earlier error");
		return -1;
	}
	sqlite3_stmt *st = stmt(s, which, e);
	if (!st)
		return -1;
	*out = st;
	return 0;
}

/* id without its version or URL (in buf), or id itself when it is not an arXiv id. */
static const char *canon(const char *id, char *buf, size_t n)
{
	int v;
	norm_id(id, buf, n, &v);
	return buf[0] ? buf : id;
}

void store_canon_id(const char *id, char *buf, size_t n)
{
	if (canon(id, buf, n) != buf)
		snprintf(buf, n, "%s", id);
}


static int finish_write(struct store *s, sqlite3_stmt *st, const char *what, struct lerr *e)
{
	int rc = run(st);
	if (rc != SQLITE_DONE) {
		store_db_error(s, e, rc, what);
		if (s->in_txn) {   /* a failed write fails the whole transaction (store.h) */
			if (!sqlite3_get_autocommit(s->db))
				sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
			s->txn_failed = true;
			ops_clear(s, 0);
		}
		return -1;
	}
	return 0;
}

int64_t store_count_hidden(struct store *s, struct lerr *e)
{
	sqlite3_stmt *st = store_cached(s, "SELECT count(*) FROM user_state WHERE hidden = 1", e);
	if (!st)
		return -1;
	int rc = sqlite3_step(st);
	int64_t n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_reset(st);
	if (n < 0)
		store_db_error(s, e, rc, "counting hidden papers");
	return n;
}

/* ---- per-source state --------------------------------------------------------------------- */

/* This machine's name ("" when unknown), to tell whether a recorded pid is ours to check. */
static void host_name(char *buf, size_t n)
{
	if (gethostname(buf, n) < 0)
		buf[0] = 0;
	buf[n - 1] = 0;
}

int store_source_begin(struct store *s, const char *name, struct lerr *e)
{
	sqlite3_stmt *st;
	char host[256];
	if (user_write(s, ST_SRC_BEGIN, name, e, &st) < 0)
		return -1;
	host_name(host, sizeof host);
	bind_text(st, 1, name);
	sqlite3_bind_int64(st, 2, util_now());
	sqlite3_bind_int64(st, 3, (int64_t)getpid());
	bind_text(st, 4, host[0] ? host : NULL);
	return finish_write(s, st, "saving source state", e);
}

/* Whether a fetch recorded as running (by process pid on host, started at `started`) still
 * runs: its process is alive on this machine, and it started less than STORE_FETCH_STALE
 * seconds ago (a bound on pid reuse). A fetch recorded on another machine (a shared cache) can
 * only be judged by its age. */
static bool fetch_alive(int64_t pid, const char *host, int64_t started)
{
	if (util_now() - started >= STORE_FETCH_STALE)
		return false;
	char here[256];
	host_name(here, sizeof here);
	bool ours = pid > 0 && pid <= INT_MAX && host && here[0] && strcmp(host, here) == 0;
	if (!ours)   /* another machine's fetch, or one recorded by a lectern without pids */
		return true;
	return kill((pid_t)pid, 0) == 0 || errno == EPERM;
}

int store_source_finish(struct store *s, const char *name, const char *error,
                        int64_t new_count, struct lerr *e)
{
	sqlite3_stmt *st;
	if (user_write(s, ST_SRC_FINISH, name, e, &st) < 0)
		return -1;
	bind_text(st, 1, name);
	sqlite3_bind_int64(st, 2, util_now());
	bind_text(st, 3, error);
	sqlite3_bind_int64(st, 4, new_count);
	return finish_write(s, st, "saving source state", e);
}

int store_source_get(struct store *s, const char *name, struct store_source_state *out,
                     struct lerr *e)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = stmt(s, ST_SRC_GET, e);
	if (!st)
		return -1;
	bind_text(st, 1, name);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->name = store_col_text(st, 0);
		out->last_attempt = sqlite3_column_int64(st, 1);
		out->last_success = sqlite3_column_int64(st, 2);
		out->last_error = store_col_text(st, 3);
		/* A fetch whose process died leaves the flag set: report it as interrupted. */
		if (sqlite3_column_int(st, 4)) {
			const char *host = (const char *)sqlite3_column_text(st, 8);
			out->in_progress = fetch_alive(sqlite3_column_int64(st, 7), host,
			                               out->last_attempt);
			if (!out->in_progress) {
				free(out->last_error);
				out->last_error = xstrdup("interrupted (lectern exited during the fetch)");
			}
		}
		out->new_count = sqlite3_column_int64(st, 5);
		out->total = sqlite3_column_int64(st, 6);
		rc = SQLITE_DONE;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_db_error(s, e, rc, "reading source state");
}

void store_source_state_clear(struct store_source_state *st)
{
	free(st->name);
	free(st->last_error);
	memset(st, 0, sizeof *st);
}

int store_source_signature_get(struct store *s, const char *name, char **sig, struct lerr *e)
{
	*sig = NULL;
	sqlite3_stmt *st = stmt(s, ST_SRC_SIG_GET, e);
	if (!st)
		return -1;
	bind_text(st, 1, name);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*sig = store_col_text(st, 0);
		rc = SQLITE_DONE;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_db_error(s, e, rc, "reading a source's signature");
}

int store_source_signature_put(struct store *s, const char *name, const char *sig,
                               struct lerr *e)
{
	sqlite3_stmt *st;
	if (user_write(s, ST_SRC_SIG_PUT, name, e, &st) < 0)
		return -1;
	bind_text(st, 1, name);
	bind_text(st, 2, nonempty(sig) ? sig : NULL);
	return finish_write(s, st, "saving a source's signature", e);
}

/* ---- harvest checkpoints and withdrawn papers (schema v12) --------------------------------- */

void store_harvest_clear(struct store_harvest *h)
{
	free(h->spec);
	free(h->token);
	free(h->datestamp);
	memset(h, 0, sizeof *h);
}

int store_harvest_get(struct store *s, const char *source, struct store_harvest *out,
                      struct lerr *e)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = store_cached(s, "SELECT spec, token, datestamp, updated_at FROM harvest"
	                                   " WHERE source = ?1", e);
	if (!st)
		return -1;
	bind_text(st, 1, source);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->spec = store_col_text(st, 0);
		out->token = store_col_text(st, 1);
		out->datestamp = store_col_text(st, 2);
		out->updated_at = sqlite3_column_int64(st, 3);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_db_error(s, e, rc, "reading a harvest checkpoint");
}

/* Runs a cached write statement like the fixed ones (user_write, finish_write). */
static sqlite3_stmt *cached_write(struct store *s, const char *sql, struct lerr *e)
{
	if (s->readonly) {
		store_readonly_error(s, e);
		return NULL;
	}
	if (s->in_txn && s->txn_failed) {
		lerr_set(e, LERR_DB, 0, "the transaction was rolled back after an earlier error");
		return NULL;
	}
	return store_cached(s, sql, e);
}

int store_harvest_put(struct store *s, const char *source, const struct store_harvest *h,
                      struct lerr *e)
{
	sqlite3_stmt *st = cached_write(s, "INSERT INTO harvest (source, spec, token, datestamp,"
	                                   " updated_at) VALUES (?1, ?2, ?3, ?4, ?5)"
	                                   " ON CONFLICT (source) DO UPDATE SET spec = excluded.spec,"
	                                   " token = excluded.token, datestamp = excluded.datestamp,"
	                                   " updated_at = excluded.updated_at", e);
	if (!st)
		return -1;
	bind_text(st, 1, source);
	bind_text(st, 2, h->spec ? h->spec : "");
	bind_text(st, 3, nonempty(h->token) ? h->token : NULL);
	bind_text(st, 4, nonempty(h->datestamp) ? h->datestamp : NULL);
	sqlite3_bind_int64(st, 5, util_now());
	return finish_write(s, st, "saving the harvest checkpoint", e);
}

int store_set_withdrawn(struct store *s, const char *id, bool on, bool *found, struct lerr *e)
{
	char buf[64];
	if (found)
		*found = false;
	if (!nonempty(id)) {
		lerr_set(e, LERR_USAGE, 0, "no paper id given");
		return -1;
	}
	sqlite3_stmt *st = cached_write(s, "UPDATE papers SET withdrawn = ?2 WHERE id = ?1", e);
	if (!st)
		return -1;
	bind_text(st, 1, canon(id, buf, sizeof buf));
	sqlite3_bind_int(st, 2, on);
	if (finish_write(s, st, "marking a paper withdrawn", e) < 0)
		return -1;
	if (found)
		*found = sqlite3_changes(s->db) > 0;
	return 0;
}

/* ---- HTTP validators ---------------------------------------------------------------------- */

int store_http_get(struct store *s, const char *url, char **etag, char **last_modified,
                   struct lerr *e)
{
	if (etag)
		*etag = NULL;
	if (last_modified)
		*last_modified = NULL;
	sqlite3_stmt *st = stmt(s, ST_HTTP_GET, e);
	if (!st)
		return -1;
	bind_text(st, 1, url);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if (etag)
			*etag = store_col_text(st, 0);
		if (last_modified)
			*last_modified = store_col_text(st, 1);
		rc = SQLITE_DONE;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_db_error(s, e, rc, "reading HTTP validators");
}

int store_http_put(struct store *s, const char *url, const char *etag, const char *last_modified,
                   struct lerr *e)
{
	sqlite3_stmt *st;
	if (user_write(s, ST_HTTP_PUT, url, e, &st) < 0)
		return -1;
	bind_text(st, 1, url);
	bind_text(st, 2, nonempty(etag) ? etag : NULL);
	bind_text(st, 3, nonempty(last_modified) ? last_modified : NULL);
	sqlite3_bind_int64(st, 4, util_now());
	return finish_write(s, st, "saving HTTP validators", e);
}

/* ---- search history ----------------------------------------------------------------------- */

int store_history_add(struct store *s, const char *query, struct lerr *e)
{
	sqlite3_stmt *st;
	if (user_write(s, ST_HIST_ADD, query, e, &st) < 0)
		return -1;
	bind_text(st, 1, query);
	sqlite3_bind_int64(st, 2, util_now());
	if (finish_write(s, st, "saving search history", e) < 0)
		return -1;
	if (!(st = stmt(s, ST_HIST_TRIM, e)))
		return -1;
	return finish_write(s, st, "trimming search history", e);
}

int store_history_list(struct store *s, char **out, size_t n, struct lerr *e)
{
	sqlite3_stmt *st = stmt(s, ST_HIST_LIST, e);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, n > INT_MAX ? INT_MAX : (int64_t)n);
	int rc, count = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && (size_t)count < n)
		out[count++] = store_col_text(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		while (count > 0)
			free(out[--count]);
		return store_db_error(s, e, rc, "reading search history");
	}
	return count;
}

void store_ids_free(char **ids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
}
