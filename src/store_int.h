/* store_int.h — internals shared by the store's files (store.c, store_schema.c, store_fts.c,
 * store_tok.c, store_query.c). Not a public API.
 *
 * Key design point: papers.pk (the rowid, which is also the FTS rowid) encodes the date order:
 *   pk = (published, else the earliest listing day, else first-seen time) << STORE_PK_SHIFT
 *        | sequence
 * so "newest first" is a walk of the rowid b-tree — for plain lists, for every FTS query (FTS5
 * iterates its doclists in rowid order) and for date filters (a rowid range). The price: a paper
 * whose key date changes (unknown -> known, an earlier v1 date from another source, or a first
 * or earlier listing day while the publication date is unknown)
 * is moved to a new pk (children follow by ON UPDATE CASCADE, its FTS entry is re-indexed). */
#ifndef LECTERN_STORE_INT_H
#define LECTERN_STORE_INT_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "lectern/store.h"

#define STORE_PK_SHIFT 20                 /* up to 2^20 papers per second of publication */
#define STORE_APP_ID 0x4C435452           /* "LCTR" in PRAGMA application_id */
#define STORE_SCHEMA_VERSION 17
/* The columns of papers_fts (schema v5), all columns of papers (cats is generated). */
#define STORE_FTS_COLS "title, abstract, authors, cats, organization, ai_summary"
#define STORE_N_FTS_COLS 6
enum { STORE_RANK_MAX_PHRASES = 32 };   /* phrases lectern_rank() scores; later ones count 0 */
#define STORE_CANDIDATES 1000             /* ranked / upvote orders: the newest N rows of the view */
#define STORE_PFX_CANDIDATES 250         /* ... or N with a long prefix in the query (`learni*`:
                                           * each candidate's text is checked, see store_query.c) */
#define STORE_TITLE_CANDIDATES 1000       /* relevance also scores the newest N title/author/
                                           * organisation matches, whatever their age */
#define STORE_PFX_TITLE_CANDIDATES 250   /* ... or N with a long prefix (a word being typed:
                                           * `robu*` checked ~3,800 `rob*` rows for 1,000) */
#define STORE_FETCH_STALE 7200            /* a fetch "running" longer than this is not believed */
#define STORE_BUSY_TIMEOUT_MS 5000        /* how long a write (or opening) waits for another */

/* One pending FTS operation (applied in rowid order at commit; FTS5 flushes its pending-data
 * hash whenever a rowid goes backwards, so unsorted writes would cost one segment per row). */
struct store_ftsop {
	int64_t rowid;
	int del;                              /* 1: delete with the old text below; 0: (re)index */
	/* only for deletes: the indexed text, one per FTS column (STORE_FTS_COLS) */
	char *title, *abstract, *authors, *cats, *organization, *ai_summary;
};

struct store_stmt_cache {
	char *sql;
	sqlite3_stmt *st;
	uint64_t used;
};

enum { STORE_QCACHE = 12 };

struct store {
	sqlite3 *db;
	char *path;
	bool readonly;
	bool in_txn;                          /* explicit store_begin() transaction open */
	bool txn_failed;                      /* SQLite rolled the explicit transaction back */
	char cut_note[256];                   /* what the last upsert cut to the limits, or "" */
	bool damaged;                         /* SQLITE_CORRUPT met: made read-only (store_db_error) */
	bool full;                            /* opened read-only because the disk is full */

	/* Fixed statements, prepared once (indexed by enum in store.c). */
	sqlite3_stmt **st;

	/* Dynamic view queries (text depends on the view shape, never on user text). */
	struct store_stmt_cache qc[STORE_QCACHE];
	uint64_t qtick;

	char narrowed[64];                    /* store_narrowed() */

	struct store_ftsop *ops;
	size_t n_ops, cap_ops;

	/* Long prefixes (store_query.c): the budget of exact checks for one window query (0: no
	 * limit), the checks made, whether the budget ran out, whether the last query searched
	 * them as the OR of their words (pfx_terms); pfx_mode (tests and bench): STORE_PFX_AUTO
	 * (their words when listed, else the rewrite within a budget), STORE_PFX_NEVER (plain prefix
	 * query), STORE_PFX_ALWAYS (the rewrite, no budget) or STORE_PFX_TINY (the rewrite with a
	 * budget of one check: exercises the fallback). */
	int64_t pfx_budget, pfx_checks, pfx_passes, pfx_ratio;
	bool pfx_over, pfx_terms;
	int pfx_mode;

	/* store_sync.c: its statements, this cache's writer id ("" until read), the hook and the
	 * operations of the open transaction waiting for it (owned copies). */
	sqlite3_stmt *sync_st[20];
	char writer[24];
	int64_t hlc_seen;         /* the newest clock this connection recorded as seen */
	store_op_hook op_hook;
	void *op_ctx;
	struct store_pending *pend;
	size_t n_pend, cap_pend;
	/* Watches (store_watch.c): the config's ("KIND\tVALUE", set by store_watch_config) and the
	 * compiled list of all of them (made when first needed, dropped when one changes; freed
	 * through wl_free, store_watch.c's). */
	char **watch_cfg;
	size_t n_watch_cfg;
	struct store_wlist *wl;
	void (*wl_free)(struct store_wlist *wl);
	bool wl_fn;                           /* lectern_watched() is registered on db */

	/* The tokenizer "lectern" as the index runs it, for store_tokenize (made when first used). */
	fts5_tokenizer tok_api;
	Fts5Tokenizer *tok;

	/* What lectern_pfx() found in the row it last passed (FTS cursor, rowid): the rewritten
	 * phrases' passing instances per column, handed once to lectern_rank() for the same row so
	 * the text is not tokenized twice (store_fts.c). */
	const void *pfx_row_cursor;
	int64_t pfx_row_id;
	int pfx_row_tf[STORE_RANK_MAX_PHRASES][STORE_N_FTS_COLS];

	/* store_set_interrupt: the running statement gives up when stop(stop_arg) is true. */
	bool (*stop)(void *arg);
	void *stop_arg;

	/* The words of the papers indexed in this transaction, and store_terms.c's statements. */
	struct store_termset *terms;
	sqlite3_stmt *terms_ins, *terms_get;
};
enum { STORE_PFX_AUTO = 0, STORE_PFX_NEVER, STORE_PFX_ALWAYS, STORE_PFX_TINY };

/* store_schema.c */
/* What store_schema_check_file() found. */
struct store_file {
	bool exists;
	bool readonly;      /* the file or its directory cannot be written: open read-only */
	bool immutable;     /* read it with immutable=1 (creates no -wal/-shm; see the .c) */
	bool full;          /* the disk is full (no -shm could be made): read-only, through
	                     * store_sqlite_open_full */
	bool fresh;         /* no lectern schema yet (0 bytes, or SQLite without any table) */
	int64_t version;    /* user_version of a lectern database */
};
/* Inspects a file without writing to it or leaving anything next to a read-only one. Returns 0
 * when it may be opened (a lectern database this build understands, an empty/new one, or a
 * missing file: out->exists false), -1 with e set otherwise. */
int store_schema_check_file(const char *path, struct store_file *out, struct lerr *e);
bool store_dir_writable(const char *path);
/* sqlite3_open_v2 read-only; immutable as a percent-encoded URI. */
int store_sqlite_open_ro(const char *path, bool immutable, sqlite3 **db);
/* Read-only on a full disk: the WAL index is kept in memory (exclusive locking mode), so no
 * -shm has to grow, and the WAL's committed pages are still read (immutable would skip them). */
int store_sqlite_open_full(const char *path, sqlite3 **db);
/* Applies pending migrations (each in its own transaction) on a read-write connection. */
int store_schema_migrate(sqlite3 *db, struct lerr *e);
/* Verifies a connection's database is a lectern one of a known version (read-only use). */
int store_schema_verify(sqlite3 *db, struct lerr *e);

/* store.c */
int store_db_error(struct store *s, struct lerr *e, int rc, const char *what);
/* The error of a write refused on a read-only cache (why: damaged, disk full, opened so); -1. */
int store_readonly_error(struct store *s, struct lerr *e);
sqlite3_stmt *store_cached(struct store *s, const char *sql, struct lerr *e);
int store_read_paper_pk(struct store *s, int64_t pk, struct paper *out, struct lerr *e);
/* The id as stored (a version or URL prefix taken away) into buf. */
void store_canon_id(const char *id, char *buf, size_t n);
/* An operation of the open transaction (store_sync.c makes them), copied; with_paper: the
 * cached paper goes with it (a favourite). The hook gets them just before COMMIT (store_commit);
 * a rollback discards them. */
void store_op_push(struct store *s, const char *op, const char *id, const char *arg,
                   const struct store_clock *c, const struct store_clock *prev, int64_t when,
                   bool with_paper);
void store_op_discard(struct store *s);
/* Adds (on) or removes a kept watch, logged as an operation (store_watch.c's add and remove
 * come here; the config's watches are never logged). *did: the table changed. */
int store_sync_watch(struct store *s, const char *kind, const char *value, bool on, bool *did,
                     struct lerr *e);
char *store_col_text(sqlite3_stmt *st, int col);


/* store_merge.c */
enum { STORE_MERGE_CHANGED = 1, STORE_MERGE_AUTHORS = 2 };
/* Merges the arriving paper p (its version and published already normalised) into the stored
 * paper m (with its authors and m->sources, the packed kinds of papers.prov), by the table in
 * store_merge.c; m->sources is updated. Returns STORE_MERGE_* bits: anything changed, and the
 * author list changed. */
unsigned store_merge(struct paper *m, const struct paper *p);
/* papers.prov of a new paper: p->source_kind for every tracked field p has. */
uint64_t store_merge_sources(const struct paper *p);

/* store_fts.c (below every other store file but store_tok.c) */
/* The tokenizer "lectern", lectern_rank() and lectern_pfx() for FTS5: needed before papers_fts
 * is created or used on a connection. */
int store_fts_register(struct store *s);
#define STORE_PFX_PROBE 200   /* exact prefix checks before their pass rate may end the rewrite */

/* store_watch.c */
/* The compiled watches (loading them when needed); NULL on error. n: how many. */
const struct store_wlist *store_watch_compiled(struct store *s, size_t *n);
/* Appends to b the FTS5 expression that every watched paper matches (a superset: authors by
 * their last name); returns its number of phrases (0: no watch). */
int store_watch_fts(const struct store_wlist *wl, struct sbuf *b);

/* store_terms.c (the index's vocabulary, schema v14; calls store_fts.c only) */
#define STORE_TERM_MIN_SQL "2"           /* STORE_TERM_MIN in SQL text (store_schema.c checks) */
enum { STORE_TERM_MIN = 2,           /* bytes (a prefix has 2 letters at least: query.c) */
       STORE_TERM_PFX_MAX = 62 };    /* longest prefix expanded */
/* Fills fts_terms from papers_fts itself (the v14 migration, repair), on a transaction. */
#define STORE_TERMS_FILL \
	"CREATE VIRTUAL TABLE temp.lectern_vocab USING fts5vocab(main, papers_fts, row);" \
	"INSERT OR IGNORE INTO fts_terms (term) SELECT term FROM temp.lectern_vocab" \
	" WHERE length(CAST(term AS BLOB)) >= " STORE_TERM_MIN_SQL ";" \
	"DROP TABLE temp.lectern_vocab;"
/* Collects the words of text (the index's own tokens) for the next store_terms_flush() (or
 * writes them at once when a transaction's words grow large). Returns an SQLite code. */
int store_terms_add(struct store *s, const char *text, size_t n);
/* Adds the words collected to fts_terms (call inside the transaction that indexed them;
 * returns an SQLite code); then store_terms_committed() once COMMIT succeeded (the words are
 * remembered as in the table, and not looked up again) or store_terms_drop() (a rollback:
 * forgotten). */
int store_terms_flush(struct store *s);
void store_terms_committed(struct store *s);
void store_terms_drop(struct store *s);
/* The index's words that start with pfx (n bytes, STORE_TERM_MIN..STORE_TERM_PFX_MAX, folded
 * as the tokenizer folds), in order, at most max; more is set when there are others. Free with
 * store_terms_clear(). Returns an SQLite code (SQLITE_MISUSE: pfx cannot be listed). */
struct store_terms {
	char **v;
	size_t n;
	bool more;
};
int store_terms_prefix(struct store *s, const char *pfx, size_t n, size_t max,
                       struct store_terms *out);
void store_terms_clear(struct store_terms *t);
void store_terms_free(struct store *s);   /* store_close */

/* store_tok.c */
int store_tok_register(fts5_api *api);   /* the FTS5 tokenizer "lectern" (see the .c) */
void store_fts_free(struct store *s);    /* frees what store_tokenize made (store_close) */
struct sbuf;
/* The category tokens papers_fts indexes for a space-separated category list (lectern_cats(),
 * store_fts.c), appended to out. */
void store_cats_tokens(const char *cats, struct sbuf *out);
/* One category (n bytes) as its token (cs.LG -> cs0lg), after a space when b is not empty. */
void store_cat_token(struct sbuf *b, const char *c, size_t n);

#endif
