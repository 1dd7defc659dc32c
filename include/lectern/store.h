/* store — the local paper cache in SQLite.
 *
 * One `struct store` is one SQLite connection; it must only be used by one thread at a time.
 * Each thread (UI, fetch worker) opens its own. The database is in WAL mode with
 * synchronous=NORMAL, a busy timeout and foreign keys on; the schema is versioned with
 * PRAGMA user_version and migrated on open (each step in its own transaction).
 *
 * Returns: functions returning int give 0 on success and -1 on failure with *e filled
 * (e may be NULL). A failed write rolls back: nothing partial is ever left behind.
 *
 * Cost: every query the UI uses returns one bounded window of rows, never the whole table. */
#ifndef LECTERN_STORE_H
#define LECTERN_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lectern/paper.h"
#include "lectern/util.h"

struct store;

enum store_open_flags {
	STORE_READONLY = 1 << 0,   /* never write (also chosen automatically for a read-only file) */
	STORE_NOCREATE = 1 << 1,   /* fail when the file does not exist */
};

/* Opens (creating directories and the file when missing) and migrates. ":memory:" works.
 * Refuses — without modifying the file — a file that is not SQLite, a corrupt one, one that is
 * SQLite but not a lectern database (has tables but no lectern schema), or one whose
 * user_version is newer than this build knows. A read-only file opens read-only. */
struct store *store_open(const char *path, int flags, struct lerr *e);
void store_close(struct store **s);        /* NULL-safe; sets *s = NULL */
/* Keeps the memory SQLite holds for every connection of this process (their page caches above
 * all) near `bytes` (a soft limit: caches are recycled across connections, nothing fails). The
 * reader calls it once, before its first store_open, so its threads' caches share one budget. */
void store_limit_memory(int64_t bytes);
/* Told, before it starts, of a slow one-time upgrade of a cache that holds papers (its search
 * index rebuilt: minutes for a million papers), with what it does and how many papers; NULL
 * tells nothing. Process-wide; set before the first store_open. */
void store_set_upgrade_note(void (*note)(const char *what));
/* While set, a statement running on this connection gives up (an error, SQLITE_INTERRUPT;
 * nothing is changed) as soon as stop(arg) returns true, checked every few thousand SQLite
 * steps; NULL removes it. The reader sets it around its idle-time counts, so they yield to the
 * next key. */
void store_set_interrupt(struct store *s, bool (*stop)(void *arg), void *arg);
/* The error e is such a statement giving up. */
bool store_interrupted(const struct lerr *e);
bool store_is_readonly(const struct store *s);
/* Why a store that was not asked to be read-only is: "the disk is full" (it opened read-only
 * to keep reads working), "the cache is damaged" (SQLITE_CORRUPT was met), else NULL. */
const char *store_readonly_reason(const struct store *s);
const char *store_path(const struct store *s);

/* Default database path: $LECTERN_DB, else $XDG_DATA_HOME/lectern/papers.db
 * (~/.local/share/lectern/papers.db). Caller frees. NULL when none of them is set (no HOME). */
char *store_default_path(void);

/* ---- transactions --------------------------------------------------------------------------
 * store_upsert() and friends run inside an explicit transaction when one is open (the fetch
 * thread opens one per HTTP response), otherwise each call is its own transaction. Inside
 * store_begin(), a failed write fails the whole transaction: later writes return -1 and
 * store_commit() rolls everything back (call store_rollback() to end it early). */
int store_begin(struct store *s, struct lerr *e);
int store_commit(struct store *s, struct lerr *e);
void store_rollback(struct store *s);

/* ---- writing papers -------------------------------------------------------------------------
 * Merges p into the cache, keyed by p->id (required), by one rule for every field (the table
 * merge_fields[] in store_merge.c; lectern(1) "Where the text comes from"), weighing
 * p->source_kind against the kind that gave each stored field:
 * - text (title, abstract, authors, categories, comment, journal ref, DOI, links, organisation,
 *   submitter, AI summary and keywords): a higher kind replaces a lower one (arXiv > Hugging
 *   Face > import > feed > unknown), never the reverse; within arXiv a higher version replaces
 *   and an equal or lower one keeps what is stored; one feed never replaces another feed's text;
 *   other equal kinds replace. A field nobody gave yet is filled by any kind.
 * - authors: the names go by the text rule; an author without an affiliation takes the other
 *   list's author's: the one at the same position when the names agree, else the one whose
 *   paper_name_key() agrees, only where exactly one does (never one of two "J. Smith"s).
 * - upvotes / num_comments / github_stars: the newest known value; version: the text's (the
 *   higher kind's, within a kind the highest); published: the earliest; updated: the latest.
 * Fields p leaves NULL/0/-1 never blank what is stored; user state in p is ignored.
 * `l` (may be NULL: no listing) records that l->source listed the paper on l->day, one row
 * per (paper, source, day) with the kind of source (p->source_kind), the position and type
 * the source gave and its own link; a later fetch of the same listing replaces those.
 * A paper without a publication date is dated (for order and store_row.date) by its earliest
 * listing day, and by the time it was first stored only when no source gave a day.
 * *result (may be NULL) tells whether the paper was new, changed, or unchanged. */
enum store_upsert_result { STORE_UNCHANGED = 0, STORE_INSERTED, STORE_UPDATED };
struct store_listing {
	const char *source;          /* "hf-daily", "arxiv", a configured name; NULL: no listing */
	const char *day;             /* "YYYY-MM-DD": Daily Papers day, announce day; NULL none */
	int64_t position;            /* 0-based order in the source's answer (across pages); -1
	                              * unknown (the day view then orders by upvotes, then newest) */
	enum paper_announce type;    /* how arXiv announced it (paper.h), UNKNOWN elsewhere */
	const char *url;             /* the source's own link to the paper, NULL none */
};
int store_upsert(struct store *s, const struct paper *p, const struct store_listing *l,
                 enum store_upsert_result *result, struct lerr *e);

/* What the last store_upsert() or store_import() on s cut to paper.h's field limits ("title cut
 * from 3145728 to 2048 bytes"), or NULL when it stored the paper whole. Valid until the next
 * upsert. The caller names the paper in its warning. */
const char *store_cut_note(const struct store *s);

/* `lectern import` of one exported paper: store_upsert() once per listing in p->listings
 * ("SOURCE DAY" lines, as store_get() gives them, position and type unknown; none: one
 * upsert without a listing); the source that listed it on p->hf_day is a Daily Papers source,
 * and a p->hf_day no listing names is listed by "hf-daily" that day. All in
 * one transaction. *result is STORE_INSERTED when the paper was new. User state is not merged
 * here (the caller's policy, with the setters below). */
int store_import(struct store *s, const struct paper *p, enum store_upsert_result *result,
                 struct lerr *e);

/* Which source kind gave each field of a paper read by store_get() (`lectern show --sources`):
 * calls cb with each tracked field that has a value, in the merge table's order, with its name
 * ("title", "upvotes"...) and kind; stops at and returns cb's first non-zero return. */
typedef int (*store_field_source_cb)(void *ctx, const char *field, enum paper_source_kind kind);
int store_field_sources(const struct paper *p, store_field_source_cb cb, void *ctx);

/* ---- user state (never lost: kept apart from fetched data, keyed by id) ---------------------- */
int store_set_favourite(struct store *s, const char *id, bool on, struct lerr *e);
/* Makes id a favourite since `when` (unix seconds; <= 0 means now), e.g. when importing one: a
 * paper that already is a favourite keeps the earlier of its time and `when`. */
int store_set_favourite_at(struct store *s, const char *id, int64_t when, struct lerr *e);
int store_toggle_favourite(struct store *s, const char *id, bool *now_on, struct lerr *e);
int store_set_read(struct store *s, const char *id, bool on, struct lerr *e);
int store_set_note(struct store *s, const char *id, const char *note, struct lerr *e);
/* "Not interested": a hidden paper leaves every view and search (store_view.hidden) and is a
 * negative example for the ranker. A favourite cannot be hidden: LERR_USAGE, nothing written;
 * making a paper a favourite unhides it. */
int store_set_hidden(struct store *s, const char *id, bool on, struct lerr *e);
/* How many papers are hidden (one partial-index range); -1 on error. */
int64_t store_count_hidden(struct store *s, struct lerr *e);
int store_set_tags(struct store *s, const char *id, const char *tags, struct lerr *e);

/* ---- reading -------------------------------------------------------------------------------- */

/* One paper in full, including user state and listings. Returns 0, or -1 with e->kind ==
 * LERR_NOTFOUND when absent. `id` may carry a version suffix or URL prefix (it is normalised).
 * The caller owns *out and clears it with paper_clear(). */
int store_get(struct store *s, const char *id, struct paper *out, struct lerr *e);

enum store_filter {
	STORE_VIEW_ALL = 0,
	STORE_VIEW_FAVOURITES,
	STORE_VIEW_UNREAD,
	STORE_VIEW_SOURCE,     /* papers listed by view.source; with view.day, its listing of that
	                        * day (an arXiv announcement day) */
	STORE_VIEW_HF_DAY,     /* papers a Hugging Face Daily Papers source listed on view.day */
	STORE_VIEW_RANKED,     /* the ranker's last list view.list (store_rank_put), best first,
	                        * whatever view.sort says; store_row.why holds each one's reasons */
};
enum store_sort {
	STORE_SORT_DATE = 0,   /* newest first (store_row.date, ties by rowid); a day view (HF_DAY,
	                        * SOURCE with a day): the order its source gave (listings without
	                        * one, from older caches, after them by upvotes, then newest) */
	STORE_SORT_UPVOTES,    /* most upvoted first, then newest */
	STORE_SORT_RELEVANCE,  /* search rank; without a query it behaves as DATE */
};
/* What a list shows. `query` (may be NULL/empty) narrows any filter with the search language
 * of query.h (words, "phrases", prefixes, the fields and flags of query_fields[] and
 * query_flags[], arXiv ids, OR, NOT/-, parentheses); it is parsed by query_parse() and its
 * errors are LERR_USAGE. What the store adds: text fields search title, abstract, authors,
 * organisation and AI summary (abs: also the AI summary; cat:cs is any cs.*); dates apply
 * to store_row.date (after:X and before:X leave the day, month or year X out, since:X and
 * until:X take it in, date:X is X; relative days count from util_now()); an id selects that
 * paper whatever its version; tag: compares whole tags without case. Chinese, Japanese and
 * Korean text is indexed character by character, so a CJK word (`大規模`, `言語モデル`) finds
 * that sequence anywhere, also inside a longer run of CJK text; an emoji (🚀) is a word of
 * its own. A query whose OR or NOT mixes text with flags, dates, tags or ids is ranked by
 * date under STORE_SORT_RELEVANCE. is:new, is:cross and is:replaced read arXiv's announce
 * type of one listing: in a day view that day's, in a source view the source's latest, else
 * the paper's latest listing. A day view shows exactly the papers its source(s) listed that
 * day, each once. Strings are borrowed for the duration of the call. */
enum store_hidden {
	STORE_HIDDEN_OUT = 0,   /* hidden papers are left out, unless the query names is:hidden */
	STORE_HIDDEN_IN,        /* they are listed with the others (list/export --hidden) */
	STORE_HIDDEN_ONLY,      /* only they are (the reader's X) */
};
struct store_view {
	enum store_filter filter;
	enum store_sort sort;
	const char *source;
	const char *day;
	const char *query;
	bool hide_replacements;   /* listing views (HF_DAY, SOURCE) leave out replacements */
	bool rank_all;          /* relevance / upvotes score every match, not a bounded candidate
	                         * set (the CLI's --limit 0); only store_each/store_each_row */
	enum store_hidden hidden;
	int list;               /* STORE_VIEW_RANKED: STORE_LIST_FOR_YOU or STORE_LIST_SIMILAR */
	bool watched;           /* only the papers a watch marks (as is:watched) */
};
enum { STORE_LIST_FOR_YOU = 0, STORE_LIST_SIMILAR = 1 };

/* A position in a view's order. Copy it from a returned row; never build one by hand. */
struct store_key {
	int64_t k1, k2;
	double score;
};

/* One list line: only what the list pane draws. All strings owned by the row. */
struct store_row {
	int64_t rowid;
	char *id;
	char *title;
	char *first_author;     /* NULL when unknown */
	size_t n_authors;
	char *organization;     /* NULL when unknown */
	bool org_submitter;     /* ... the Daily Papers submitter's (paper_org_label) */
	int64_t published;      /* 0 unknown */
	int64_t upvotes;        /* -1 unknown */
	bool favourite, read;
	bool hidden;            /* hidden with x (shown only by is:hidden views) */
	struct store_key key;
	int64_t date;           /* the date to show: published, else the earliest listing day, else
	                         * first seen; the list's date order and date: filters use it */
	bool has_note;          /* the paper has a non-empty note (user state, like favourite) */
	int version;            /* the stored text's arXiv version, 0 unknown */
	bool replaced;          /* the view's listing (see store_view) announced a replacement */
	char *why;              /* STORE_VIEW_RANKED: why it ranks there (NULL elsewhere) */
	bool watched;           /* a watch marks it */
	bool withdrawn;         /* arXiv withdrew the paper (paper.withdrawn) */
};
struct store_rows {
	struct store_row *v;
	size_t n, cap;
};
void store_rows_clear(struct store_rows *r);   /* frees the rows' contents, keeps nothing */
/* Frees one row's strings (NULL-safe) and sets them to NULL; the row itself is not freed (it
 * lives in a store_rows array), so a caller can drop some rows of a window and keep the rest. */
void store_row_clear(struct store_row *r);

/* Up to `limit` rows of `view` after (dir > 0) or before (dir < 0) `anchor`, in view order.
 * anchor NULL: from the start (dir > 0) or up to the end (dir < 0). The rows are appended to
 * *out in view order (first-to-last) whatever dir is. Cost is bounded by `limit` (plus a bounded
 * candidate set for ranked search), never by the cache size. Returns 0 or -1; a malformed query
 * is LERR_USAGE with a message for the user. */
int store_window(struct store *s, const struct store_view *view, const struct store_key *anchor,
                 int dir, size_t limit, struct store_rows *out, struct lerr *e);

/* Number of rows in the view, counting at most `cap` (returns min(count, cap)); pass SIZE_MAX
 * for an exact count. Returns -1 on error. */
int64_t store_count(struct store *s, const struct store_view *view, int64_t cap, struct lerr *e);

/* Full papers of a view (for export / list --format json): calls cb for each, in view order, up
 * to limit (0 = no limit). The paper is borrowed for the duration of the callback. cb returns
 * non-zero to stop. Memory stays bounded whatever the number of papers. */
typedef int (*store_paper_cb)(void *ctx, const struct paper *p);
int store_each(struct store *s, const struct store_view *view, size_t limit, store_paper_cb cb,
               void *ctx, struct lerr *e);

/* The rows of a view in order, from one statement (a rank_all view sorts every match once;
 * SQLite's sorter spills to disk, so memory stays bounded). The row is borrowed for the
 * callback; cb returns non-zero to stop. limit 0 = no limit. */
typedef int (*store_row_cb)(void *ctx, const struct store_row *r);
int store_each_row(struct store *s, const struct store_view *view, size_t limit, store_row_cb cb,
                   void *ctx, struct lerr *e);

/* Whether a view's order scores a bounded candidate set (relevance, or upvotes over a filtered
 * view, without rank_all): then the view holds `candidates` rows — the newest `newest` matches
 * plus, for relevance, older title/author/organisation matches — out of `matches` (each counted
 * up to cap). bounded is true only when matches were left out. Returns 0, or -1 with e set. */
struct store_bound {
	bool ranked;            /* the order scores candidates (else the view is exact) */
	bool bounded;           /* matches > candidates: some matches were never scored */
	int64_t newest;         /* the newest-N part of the candidates (1,000; 250 when the query
	                         * has a long prefix, see lectern(1)) */
	int64_t candidates, matches;
};
int store_bound(struct store *s, const struct store_view *view, int64_t cap,
                struct store_bound *out, struct lerr *e);
/* The prefix that the last search on this connection (a window, count, bound or each) searched
 * in titles, authors and organisations only, folded ("" when none: borrowed, valid until the
 * next search): one that begins more than 48 of the cache's words, searched with nothing else
 * that finds papers by their abstract (store_query.c). More letters or words reach the
 * abstracts; the reader's header and `list` say so. */
const char *store_narrowed(const struct store *s);

/* Days a Daily Papers source listed papers on, relative to `day` (listings, one index seek):
 * the nearest day before (dir < 0) or after (dir > 0) it. Returns 1 and writes "YYYY-MM-DD" to out (n >= 11), 0 when none, -1 error. */
int store_hf_day_step(struct store *s, const char *day, int dir, char *out, size_t n,
                      struct lerr *e);

/* ---- user state of a whole view ---------------------------------------------------------- */
/* Marks every paper of `view` read (catch-up), in one transaction: all or nothing. The papers
 * that were unread are returned in *ids (a malloc'd array of *n_ids malloc'd ids, NULL when none;
 * free with store_ids_free): what undoing it marks unread again (store_set_read inside
 * store_begin/store_commit). Returns the number marked, or -1 with e set (nothing changed). */
int64_t store_view_mark_read(struct store *s, const struct store_view *view, char ***ids,
                             size_t *n_ids, struct lerr *e);
void store_ids_free(char **ids, size_t n);

/* ---- the ranker's reads and writes (rank.c; schema 10) ---------------------------------------- */

/* Calls cb with each token of text as papers_fts indexes it (the "lectern" tokenizer: folded to
 * lower case, diacritics removed, CJK one character a token); cb returns non-zero to stop. The
 * token is borrowed for the call. Returns 0, or -1 when the tokenizer cannot be made. */
typedef int (*store_token_cb)(void *ctx, const char *tok, size_t n);
int store_tokenize(struct store *s, const char *text, size_t n, store_token_cb cb, void *ctx);

/* The text of one paper the ranker reads (borrowed for the callback; any may be NULL). */
struct store_text {
	int64_t pk;
	const char *id, *title, *abstract, *authors, *categories;
	int64_t date;              /* as store_row.date */
	bool favourite;
};
typedef int (*store_text_cb)(void *ctx, const struct store_text *t);
enum store_text_set {
	STORE_TEXT_FAVOURITES,     /* every favourite */
	STORE_TEXT_HIDDEN,         /* every hidden paper */
	STORE_TEXT_SINCE,          /* papers dated at or after unix time n, not hidden, newest first */
	STORE_TEXT_SAMPLE,         /* n papers drawn by seed (arg: the seed as text), not hidden; all
	                            * when the cache has fewer. One scan of an index of pks. */
	STORE_TEXT_MATCH,          /* the n best BM25 matches of the FTS5 expression arg, not hidden */
	STORE_TEXT_ID,             /* the paper arg (any id form), hidden or not */
};
/* Returns 0, or -1 with e set; cb's non-zero return stops the walk (and is not an error). */
int store_texts(struct store *s, enum store_text_set set, const char *arg, int64_t n,
                store_text_cb cb, void *ctx, struct lerr *e);

/* A named blob of the ranker (its model, its document frequencies): *data malloc'd (NULL, *n 0
 * when none). put replaces it, stamped now. */
int store_blob_get(struct store *s, const char *name, void **data, size_t *n, int64_t *when,
                   struct lerr *e);
int store_blob_put(struct store *s, const char *name, const void *data, size_t n, int64_t n_pos,
                   int64_t n_neg, struct lerr *e);

/* The ranked lists the views STORE_VIEW_RANKED show: put replaces list `list` with n papers (by
 * pk) and their scores and reasons, in one transaction. why reads the reasons of paper id in a
 * list (*why malloc'd, NULL when it is not in it). */
int store_rank_put(struct store *s, int list, const int64_t *pk, const double *score,
                   char *const *why, size_t n, struct lerr *e);
int store_rank_why(struct store *s, const char *id, int list, char **why, struct lerr *e);

/* ---- watches ---------------------------------------------------------------------------------
 * A watch marks the papers of an author, with a word (or words, in order) in the title or
 * abstract, or in a category: is:watched finds them, lists mark them. Authors compare by
 * paper_name_key: "Y. Bengio" watches Yoshua Bengio, not Samy Bengio. Watches made with
 * store_watch_add are kept in the cache; the config's are given to each connection
 * (store_watch_config) and cannot be removed here. */
enum store_watch_kind { STORE_WATCH_AUTHOR, STORE_WATCH_WORD, STORE_WATCH_CAT };
struct store_watch {
	enum store_watch_kind kind;
	char *value;
	bool config;               /* from the configuration file */
};
/* "author", "word", "cat" -> the kind; -1 when none. */
int store_watch_kind_parse(const char *s);
const char *store_watch_kind_name(enum store_watch_kind k);
void store_watch_config(struct store *s, enum store_watch_kind kind, const char *value);
int store_watch_add(struct store *s, enum store_watch_kind kind, const char *value,
                    struct lerr *e);
/* LERR_NOTFOUND when there is no such watch; LERR_USAGE for a config one (edit the file). */
int store_watch_remove(struct store *s, enum store_watch_kind kind, const char *value,
                       struct lerr *e);
/* Every watch, the config's first; *out malloc'd (free with store_watches_free). */
int store_watch_list(struct store *s, struct store_watch **out, size_t *n, struct lerr *e);
void store_watches_free(struct store_watch *w, size_t n);

/* ---- per-source state (shown by `lectern sources` and the status line) ---------------------- */
struct store_source_state {
	char *name;
	int64_t last_attempt, last_success;   /* 0 never */
	char *last_error;                     /* NULL when the last attempt succeeded */
	bool in_progress;                     /* a fetch runs now: its process is alive (on this
	                                       * machine) and started < 2 h ago; a fetch whose
	                                       * process died shows last_error "interrupted (...)" */
	int64_t new_count;                    /* new papers in the last successful fetch */
	int64_t total;                        /* papers listed by this source */
};
/* Records that this process (pid and host name) starts fetching `name`. */
int store_source_begin(struct store *s, const char *name, struct lerr *e);
int store_source_finish(struct store *s, const char *name, const char *error /* NULL ok */,
                        int64_t new_count, struct lerr *e);
/* Fills *out (caller frees with store_source_state_clear) or returns 0 with out->name NULL when
 * the source was never fetched. */
int store_source_get(struct store *s, const char *name, struct store_source_state *out,
                     struct lerr *e);
void store_source_state_clear(struct store_source_state *st);
/* The signature a source last succeeded with: an opaque string its fetcher builds from the
 * source's definition (fetch.c), so that a changed definition is noticed. *sig is malloc'd
 * (caller frees), or NULL when none was stored. put with sig NULL or "" forgets it. */
int store_source_signature_get(struct store *s, const char *name, char **sig, struct lerr *e);
int store_source_signature_put(struct store *s, const char *name, const char *sig,
                               struct lerr *e);

/* ---- harvests (OAI-PMH, harvest.c; store_harvest.c) ----------------------------------------- */
/* A harvest source's checkpoint. All strings malloc'd or NULL. */
struct store_harvest {
	char *spec;         /* the definition it belongs to (URL, set, format): another one restarts */
	char *token;        /* the resumptionToken to ask for next; NULL when no list is in progress */
	char *datestamp;    /* "YYYY-MM-DD": the latest record datestamp stored, NULL none yet */
	int64_t updated_at; /* when it was written, 0 never */
};
void store_harvest_clear(struct store_harvest *h);
/* Fills *out (all NULL / 0 when the source has none). */
int store_harvest_get(struct store *s, const char *source, struct store_harvest *out,
                      struct lerr *e);
/* Writes the checkpoint (inside the caller's transaction when one is open: with the page). */
int store_harvest_put(struct store *s, const char *source, const struct store_harvest *h,
                      struct lerr *e);
/* Marks the paper withdrawn (or not). *found (may be NULL) tells whether the cache has it;
 * nothing else about it changes (its text, user state and listings stay). */
int store_set_withdrawn(struct store *s, const char *id, bool on, bool *found, struct lerr *e);

/* ---- HTTP validators for conditional GET -------------------------------------------------- */
/* Either out pointer may be NULL. Strings returned are malloc'd (caller frees) or NULL. */
int store_http_get(struct store *s, const char *url, char **etag, char **last_modified,
                   struct lerr *e);
int store_http_put(struct store *s, const char *url, const char *etag, const char *last_modified,
                   struct lerr *e);

/* ---- search history (newest first) ------------------------------------------------------- */
int store_history_add(struct store *s, const char *query, struct lerr *e);
/* Fills up to n entries into out[] (each malloc'd; caller frees). Returns the count or -1. */
int store_history_list(struct store *s, char **out, size_t n, struct lerr *e);

/* ---- operation log (sync.h writes and reads it; this is the store's half) -------------------
 * Every change of user state made through the setters above (and store_view_mark_read) is an
 * operation: the store gives it a hybrid logical clock (HLC: milliseconds << 16 | a counter,
 * never going back, and past every clock this cache has seen) and this cache's writer id,
 * records that clock as the last writer of its (paper, field) in the same transaction, and hands
 * the operations to the hook when the transaction commits (just before COMMIT: a hook that fails
 * rolls the change back). Setting a value that is already there is no operation. The clocks are
 * kept with or without a hook, so a sync folder set later, or an export, carries them.
 * Fields: "fav", "read", "note", "tag:NAME". */
struct store_clock {
	int64_t hlc;               /* 0: older than any operation (state from before sync) */
	char writer[24];           /* 16 hex digits; "" with hlc 0 */
};
/* -1, 0, 1 as a is older, the same, newer than b: by HLC, then writer id. */
int store_clock_cmp(const struct store_clock *a, const struct store_clock *b);

struct store_op {
	const char *op;            /* "fav" "unfav" "read" "unread" "tag" "untag" "note" */
	const char *id;            /* the paper */
	const char *arg;           /* tag, untag: the tag; note: the text ("" clears it) */
	struct store_clock clock;
	struct store_clock prev;   /* note: the clock of the note this one replaced */
	int64_t when;              /* fav: unix seconds it became a favourite */
	const struct paper *paper; /* fav: the paper as cached (title, authors, links), or NULL */
};
/* write gets the operations of one transaction in order, before it commits; it returns 0, or -1
 * with e set (the transaction is then rolled back). NULL removes the hook. */
typedef int (*store_op_hook)(void *ctx, const struct store_op *ops, size_t n, struct lerr *e);
void store_set_op_hook(struct store *s, store_op_hook write, void *ctx);

/* This cache's writer id (random, made when the schema was created). */
const char *store_writer(struct store *s);

/* Applying an operation that came from elsewhere (a sync folder, an import): last writer wins
 * per (paper, field) by store_clock_cmp; an operation not newer than the field's clock changes
 * nothing (applying twice is harmless) — except a note that lost to a concurrent one (it was
 * not seen by the winner: the winner's prev is not its clock) is appended to the winner as a
 * marked conflict line, once; that merged note is then a change of this cache's own (a clock
 * of its own, whose prev is the winner's, handed to the hook), so every cache ends with the
 * same text. Every applied clock moves this cache's HLC past it. Nothing else goes to the
 * hook. *changed (may be NULL) tells whether the user state changed. A favourite's `paper`
 * (title, authors, links) creates a paper the cache does not know yet (as an import would).
 * Runs in the caller's transaction when one is open. */
int store_apply_op(struct store *s, const struct store_op *op, bool *changed, struct lerr *e);

/* Records that this cache has seen clock hlc (store_apply_op does it for each operation; a
 * batch saves that write per operation by calling this first with its newest clock). */
int store_hlc_seen(struct store *s, int64_t hlc, struct lerr *e);

/* The current user state as operations (a snapshot): one per (paper, field) that has a clock or
 * a value, in (id, field) order, the paper given for favourites. writer non-NULL: only the
 * fields whose last writer it is (a cache's compacted log: every field's newest operation is
 * still in the log of the cache that made it, so the logs together hold the whole state once).
 * cb returns non-zero to stop. */
typedef int (*store_op_cb)(void *ctx, const struct store_op *op);
int store_each_state(struct store *s, const char *writer, store_op_cb cb, void *ctx,
                     struct lerr *e);

/* A value of this cache's sync state by key (sync.h keeps "joined": the folder it last wrote a
 * snapshot to). *val is malloc'd, NULL when unset. */
int store_sync_meta_get(struct store *s, const char *key, char **val, struct lerr *e);
int store_sync_meta_put(struct store *s, const char *key, const char *val, struct lerr *e);

/* How far a file of the sync folder was read (all 0 for a file never read). */
struct store_sync_file {
	int64_t dev, ino;          /* the file's identity when last read */
	char head[64];             /* its first bytes (head_len of them) */
	size_t head_len;
	int64_t offset;            /* bytes read: the start of the first line not yet applied */
	int64_t line;              /* lines before offset */
};
int store_sync_file_get(struct store *s, const char *name, struct store_sync_file *out,
                        struct lerr *e);
int store_sync_file_put(struct store *s, const char *name, const struct store_sync_file *f,
                        struct lerr *e);

/* ---- check and repair (store_check.c) ------------------------------------------------------ */
/* Checks the cache at path without writing to it: SQLite's integrity_check, and lectern's own
 * invariants (the search index holds every paper once and nothing else; listings, authors and
 * sources point at papers). Fills c->problems (empty: sound). Returns 0, or -1 with e set when
 * there is no cache at path. A file that does not open is one problem. */
struct store_check {
	char **problems;
	size_t n;
};
int store_check(const char *path, struct store_check *c, struct lerr *e);
void store_check_clear(struct store_check *c);

/* Builds a new cache at path from what the (damaged) one there still holds: the damaged file is
 * moved aside to r->damaged (PATH.damaged-YYYYmmdd-HHMMSS, with its -wal) and never written;
 * its rows are read through the sqlite3 shell's .recover when the shell is installed, else
 * straight from the file, and copied table by table (a table is read forward and backward
 * around its damage); the search index is rebuilt. The new cache has a new writer id and has
 * read no sync folder yet. r->lines say what was done and what could not be saved. Returns 0,
 * or -1 with e set (then the damaged file is where r->damaged says, when set). */
struct store_repair {
	char *damaged;
	bool recovered;            /* .recover was used */
	int64_t papers, user_states;
	char **lines;
	size_t n;
};
int store_repair(const char *path, struct store_repair *r, struct lerr *e);
void store_repair_clear(struct store_repair *r);

#endif
