/* store_schema — recognising a lectern database without touching it, and migrating the schema.
 * Migrations are numbered by PRAGMA user_version; each runs in its own BEGIN IMMEDIATE
 * transaction and re-checks the version inside it, so two processes opening a new file at
 * the same time both end up with one correctly migrated database. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store_int.h"

/* Version 1. papers.pk is the date-ordered rowid (see store_int.h); `authors` is the authors'
 * names as one text for FTS (the ordered list with affiliations lives in paper_authors). */
static const char schema_v1[] =
	"CREATE TABLE papers ("
	" pk INTEGER PRIMARY KEY,"
	" id TEXT NOT NULL UNIQUE,"
	" version INTEGER NOT NULL DEFAULT 0,"
	" title TEXT, abstract TEXT, authors TEXT,"
	" first_author TEXT, n_authors INTEGER NOT NULL DEFAULT 0,"
	" published INTEGER NOT NULL DEFAULT 0, updated INTEGER NOT NULL DEFAULT 0,"
	" primary_category TEXT, categories TEXT, comment TEXT, journal_ref TEXT, doi TEXT,"
	" url_abs TEXT, url_pdf TEXT, url_code TEXT, url_project TEXT, url_hf TEXT,"
	" upvotes INTEGER NOT NULL DEFAULT -1, num_comments INTEGER NOT NULL DEFAULT -1,"
	" github_stars INTEGER NOT NULL DEFAULT -1,"
	" organization TEXT, submitter TEXT, ai_summary TEXT, ai_keywords TEXT, hf_day TEXT,"
	" thumbnail TEXT,"
	" added INTEGER NOT NULL);"
	"CREATE INDEX papers_upvotes ON papers(upvotes);"            /* + pk: (upvotes, pk) */
	"CREATE INDEX papers_hf_day ON papers(hf_day) WHERE hf_day IS NOT NULL;"
	"CREATE INDEX papers_hf_day_upvotes ON papers(hf_day, upvotes) WHERE hf_day IS NOT NULL;"
	"CREATE TABLE paper_authors ("
	" paper INTEGER NOT NULL REFERENCES papers(pk) ON DELETE CASCADE ON UPDATE CASCADE,"
	" pos INTEGER NOT NULL, name TEXT NOT NULL, affiliation TEXT,"
	" PRIMARY KEY (paper, pos)) WITHOUT ROWID;"
	"CREATE TABLE listings ("
	" paper INTEGER NOT NULL REFERENCES papers(pk) ON DELETE CASCADE ON UPDATE CASCADE,"
	" source TEXT NOT NULL, day TEXT NOT NULL DEFAULT '', seen_at INTEGER NOT NULL,"
	" PRIMARY KEY (paper, source, day)) WITHOUT ROWID;"
	/* Which sources list a paper, once per (source, paper): walking (source, paper DESC) is the
	 * date order of a source's view. */
	"CREATE TABLE sourced ("
	" paper INTEGER NOT NULL REFERENCES papers(pk) ON DELETE CASCADE ON UPDATE CASCADE,"
	" source TEXT NOT NULL,"
	" PRIMARY KEY (paper, source)) WITHOUT ROWID;"
	"CREATE INDEX sourced_source ON sourced(source, paper);"
	/* User state: keyed by the id string, never by pk, and with no foreign key, so nothing that
	 * happens to fetched data (re-fetch, re-keying, removal, import order) can touch it. */
	"CREATE TABLE user_state ("
	" id TEXT PRIMARY KEY,"
	" favourite INTEGER NOT NULL DEFAULT 0, fav_time INTEGER NOT NULL DEFAULT 0,"
	" read INTEGER NOT NULL DEFAULT 0, note TEXT, tags TEXT) WITHOUT ROWID;"
	"CREATE INDEX user_state_fav ON user_state(id) WHERE favourite = 1;"
	"CREATE TABLE sources ("
	" name TEXT PRIMARY KEY, last_attempt INTEGER NOT NULL DEFAULT 0,"
	" last_success INTEGER NOT NULL DEFAULT 0, last_error TEXT,"
	" in_progress INTEGER NOT NULL DEFAULT 0, new_count INTEGER NOT NULL DEFAULT 0,"
	" total INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;"
	"CREATE TABLE http_cache ("
	" url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, stored_at INTEGER NOT NULL)"
	" WITHOUT ROWID;"
	"CREATE TABLE history (query TEXT PRIMARY KEY, used_at INTEGER NOT NULL);"
	"CREATE INDEX history_used ON history(used_at);"
	/* External-content FTS over papers; prefix indexes make `gen*` a single doclist. */
	"CREATE VIRTUAL TABLE papers_fts USING fts5(title, abstract, authors,"
	" content='papers', content_rowid='pk',"
	" tokenize='unicode61 remove_diacritics 2', prefix='2 3');"
	"PRAGMA application_id = 1279480914;";   /* STORE_APP_ID */

/* Version 2: FTS5 tuned for bulk loads (measured with tests/bench/bench_store.c, see
 * BENCHMARKS.md). A 16 MB pending-data hash flushes one segment per fetched batch instead of one
 * per MB; merging 16 segments of a level at a time (instead of 4) rewrites the index fewer
 * times. Queries read a few more segments, which stays well inside the latency targets. */
static const char schema_v2[] =
	"INSERT INTO papers_fts (papers_fts, rank) VALUES ('hashsize', 16777216);"
	"INSERT INTO papers_fts (papers_fts, rank) VALUES ('automerge', 16);"
	"INSERT INTO papers_fts (papers_fts, rank) VALUES ('crisismerge', 64);";

/* Version 3: categories in the FTS index, so `cat:cs.LG word` is one FTS query (it was a check
 * on every candidate row). `cats` is a virtual generated column (no space in papers) that turns
 * "cs.LG q-bio.GN" into the tokens "cs0lg q1bio0gn" ('.' -> 0, '-' -> 1, '_' -> 2: arXiv
 * categories have no digits), so a category is one token: cat:cs.LG is the token cs0lg and
 * cat:cs is cs or any token starting cs0. The index is rebuilt; before that, papers without a
 * publication date are re-keyed by their earliest listing day (see store_int.h). */
static const char schema_v3_before[] =
	"DROP TABLE papers_fts;"
	"ALTER TABLE papers ADD COLUMN cats TEXT GENERATED ALWAYS AS"
	" (replace(replace(replace(lower(coalesce(categories, '')), '.', '0'), '-', '1'),"
	" '_', '2')) VIRTUAL;";
static const char schema_v3_after[] =
	"CREATE VIRTUAL TABLE papers_fts USING fts5(title, abstract, authors, cats,"
	" content='papers', content_rowid='pk',"
	" tokenize='unicode61 remove_diacritics 2', prefix='2 3');"
	"INSERT INTO papers_fts (papers_fts, rank) VALUES ('hashsize', 16777216);"
	"INSERT INTO papers_fts (papers_fts, rank) VALUES ('automerge', 16);"
	"INSERT INTO papers_fts (papers_fts, rank) VALUES ('crisismerge', 64);"
	"INSERT INTO papers_fts (papers_fts) VALUES ('rebuild');";

/* Re-keys undated papers by their earliest listing day (they were keyed by first-seen time). */
static int rekey_undated(sqlite3 *db)
{
	sqlite3_stmt *sel = NULL, *max = NULL, *upd = NULL;
	struct { int64_t pk, t; } *v = NULL;
	size_t n = 0, cap = 0;
	int rc = sqlite3_prepare_v2(db,
		"SELECT p.pk, (SELECT min(day) FROM listings l WHERE l.paper = p.pk AND l.day <> '')"
		" FROM papers p WHERE p.published = 0", -1, &sel, NULL);
	while (sel && (rc = sqlite3_step(sel)) == SQLITE_ROW) {
		const char *day = (const char *)sqlite3_column_text(sel, 1);
		int64_t pk = sqlite3_column_int64(sel, 0), t = 0;
		if (!day || !util_valid_date(day) || util_parse_time(day, &t) < 0 || t <= 0 ||
		    t >= (INT64_MAX >> STORE_PK_SHIFT) - 1 || t == pk >> STORE_PK_SHIFT)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			v = xreallocarray(v, cap, sizeof *v);
		}
		v[n].pk = pk;
		v[n++].t = t;
	}
	if (rc == SQLITE_DONE)
		rc = sqlite3_prepare_v2(db, "SELECT max(pk) FROM papers WHERE pk >= ?1 AND pk < ?2", -1,
		                        &max, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, "UPDATE papers SET pk = ?1 WHERE pk = ?2", -1, &upd, NULL);
	for (size_t i = 0; rc == SQLITE_OK && i < n; i++) {
		int64_t base = v[i].t << STORE_PK_SHIFT, end = base + ((int64_t)1 << STORE_PK_SHIFT);
		sqlite3_bind_int64(max, 1, base);
		sqlite3_bind_int64(max, 2, end);
		if ((rc = sqlite3_step(max)) != SQLITE_ROW)
			break;
		int64_t next = sqlite3_column_type(max, 0) == SQLITE_NULL
		               ? base : sqlite3_column_int64(max, 0) + 1;
		sqlite3_reset(max);
		if (next >= end) {   /* a full second: leave this paper where it is */
			rc = SQLITE_OK;
			continue;
		}
		sqlite3_bind_int64(upd, 1, next);
		sqlite3_bind_int64(upd, 2, v[i].pk);
		rc = sqlite3_step(upd);
		sqlite3_reset(upd);
		if (rc == SQLITE_DONE)
			rc = SQLITE_OK;
	}
	sqlite3_finalize(sel);
	sqlite3_finalize(max);
	sqlite3_finalize(upd);
	free(v);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Version 4: which process runs a source's fetch (pid and host name), so a fetch whose process
 * died is not shown as running forever. */
static const char schema_v4[] =
	"ALTER TABLE sources ADD COLUMN pid INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE sources ADD COLUMN host TEXT;";

/* Version 5: CJK, emoji, the organisation and the AI summary are searchable. The tokenizer
 * "lectern" (store_tok.c) indexes each Han/Kana/Hangul/emoji character as a token, and the
 * index gains the columns organization (searched with the authors' weight; `org:`) and
 * ai_summary (with the abstract's). The index is rebuilt from papers in this migration's
 * transaction; no other table changes. Connections need the tokenizer registered
 * (store_fts_register) before this runs. */
static const char schema_v5[] =
	"DROP TABLE papers_fts;"
	"CREATE VIRTUAL TABLE papers_fts USING fts5(" STORE_FTS_COLS ","
	" content='papers', content_rowid='pk',"
	" tokenize='lectern remove_diacritics 2', prefix='2 3');"
	"INSERT INTO papers_fts (papers_fts, rank) VALUES ('hashsize', 16777216);"
	"INSERT INTO papers_fts (papers_fts, rank) VALUES ('automerge', 16);"
	"INSERT INTO papers_fts (papers_fts, rank) VALUES ('crisismerge', 64);"
	"INSERT INTO papers_fts (papers_fts) VALUES ('rebuild');";

/* Version 6: a source's signature (fetch.c: the definition it last succeeded with) is a column
 * of sources. Lectern 5 kept it in http_cache as the pseudo-URL "lectern:source-signature:NAME"
 * (in the etag column); those rows move to the column and are deleted. */
static const char schema_v6[] =
	"ALTER TABLE sources ADD COLUMN signature TEXT;"
	"INSERT INTO sources (name, signature)"
	" SELECT substr(url, 26), etag FROM http_cache"
	" WHERE substr(url, 1, 25) = 'lectern:source-signature:' AND length(url) > 25"
	" AND etag IS NOT NULL"
	" ON CONFLICT (name) DO UPDATE SET signature = excluded.signature;"
	"DELETE FROM http_cache WHERE substr(url, 1, 25) = 'lectern:source-signature:';";

/* Version 7: the kind of source that gave each field (papers.prov, 3 bits a field, packed as
 * store_merge.c says), so a later arrival is weighed against it. Old rows get 0: every field
 * "unknown", the lowest kind, so the next source's text replaces theirs. An ADD COLUMN with a
 * constant default rewrites no row: old rows read the default and pay nothing; new rows pay
 * 1 to 9 bytes. */
static const char schema_v7[] =
	"ALTER TABLE papers ADD COLUMN prov INTEGER NOT NULL DEFAULT 0;";

/* Version 8: papers.org_submitter — the organisation is the one the Daily Papers submitter named
 * (HF submitterOrganization), not the authors'; shown as "submitted by <org>". Old rows: 0. */
static const char schema_v8[] =
	"ALTER TABLE papers ADD COLUMN org_submitter INTEGER NOT NULL DEFAULT 0;";

/* Version 9: listings drive the listing views (a Daily Papers day, a source's day). Each
 * listing keeps the kind of source that made it (paper_source_kind: the day view reads the
 * Daily Papers ones), the position the source gave it (NULL: unknown, ordered by upvotes then
 * newest), arXiv's announce type (paper_announce: 1 new, 2 cross, 3 replace, 4 replace-cross;
 * NULL unknown) and the source's own link to the paper. listings_kind_day makes a day one index
 * range and the next day one seek. Old rows: a source is Daily Papers when most of its
 * listings are on their paper's hf_day (the day the old views showed; arXiv listings meet it
 * only by chance), and any listing on its paper's hf_day is one. papers.hf_day stays as the
 * paper's Daily Papers day shown in the detail, no longer the key of any view: its indexes go. */
static const char schema_v9[] =
	"ALTER TABLE listings ADD COLUMN kind INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE listings ADD COLUMN position INTEGER;"
	"ALTER TABLE listings ADD COLUMN type INTEGER;"
	"ALTER TABLE listings ADD COLUMN url TEXT;"
	"UPDATE listings SET kind = 3 WHERE source IN (SELECT l.source FROM listings l"
	" JOIN papers p ON p.pk = l.paper GROUP BY l.source"
	" HAVING 2 * sum(l.day = p.hf_day) > count(*))"
	" OR day = (SELECT p.hf_day FROM papers p WHERE p.pk = listings.paper);"
	"CREATE INDEX listings_kind_day ON listings(kind, day, source);"
	"DROP INDEX papers_hf_day;"
	"DROP INDEX papers_hf_day_upvotes;";

/* Version 10: the ranker's state (issue 12), all user state or derived from it:
 * user_state.hidden ("not interested": left out of every view but is:hidden; a negative example),
 * watches (author/word/category watches made with `lectern watch`; config watches are not
 * stored), rank_model (the trained model: weights with their vocabulary, one blob, rank.c) and
 * rank_scores (the last ranking of a list: 0 "for you", 1 "more like this", with each paper's
 * why; ranked views walk rank_scores_order). Old rows: nothing hidden, no watch, no model.
 * Self-contained: renumbering it means changing only its slot below and the version. */
static const char schema_v10[] =
	"ALTER TABLE user_state ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;"
	"CREATE INDEX user_state_hidden ON user_state(id) WHERE hidden = 1;"
	"CREATE TABLE watches (kind TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,"
	" added INTEGER NOT NULL, PRIMARY KEY (kind, key)) WITHOUT ROWID;"
	"CREATE TABLE rank_model (name TEXT PRIMARY KEY, trained_at INTEGER NOT NULL,"
	" n_pos INTEGER NOT NULL, n_neg INTEGER NOT NULL, model BLOB) WITHOUT ROWID;"
	"CREATE TABLE rank_scores (list INTEGER NOT NULL,"
	" paper INTEGER NOT NULL REFERENCES papers(pk) ON DELETE CASCADE ON UPDATE CASCADE,"
	" score REAL NOT NULL, why TEXT, PRIMARY KEY (list, paper)) WITHOUT ROWID;"
	"CREATE INDEX rank_scores_order ON rank_scores(list, score, paper);"
	"CREATE INDEX rank_scores_paper ON rank_scores(paper);";

/* Version 11: the sync folder's state (sync.h, store_sync.c), one self-contained step.
 * sync_meta: this cache's random writer id and its hybrid logical clock (the last HLC it gave
 * or saw). sync_files: how far each file of the sync folder was read, with the file's identity
 * (device, inode, the first bytes) to notice one that shrank or was replaced. sync_clock: the
 * last writer's clock of each (paper, field): "fav", "read", "hide" (its value in prev_hlc: a
 * favourite masks a hide, store_sync.c), "note" (with the clock of the note it replaced, to
 * tell an edit made after seeing another from a concurrent one), "tag:NAME" (a removed tag
 * keeps its row: an older add then loses to it) and, under the id "watch", each kept watch's
 * "watch:KIND:VALUE" (an unwatch keeps its row too). Every existing user state gets
 * a clock of now by this cache's writer (so a snapshot carries it to the other caches); later
 * changes all get one as they are made. */
static const char schema_v11[] =
	"CREATE TABLE sync_meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;"
	"INSERT INTO sync_meta VALUES ('writer', lower(hex(randomblob(8)))), ('hlc', 0);"
	"CREATE TABLE sync_files ("
	" name TEXT PRIMARY KEY, dev INTEGER NOT NULL DEFAULT 0, ino INTEGER NOT NULL DEFAULT 0,"
	" head BLOB, offset INTEGER NOT NULL DEFAULT 0, line INTEGER NOT NULL DEFAULT 0)"
	" WITHOUT ROWID;"
	"CREATE TABLE sync_clock ("
	" id TEXT NOT NULL, field TEXT NOT NULL, hlc INTEGER NOT NULL, writer TEXT NOT NULL,"
	" prev_hlc INTEGER NOT NULL DEFAULT 0, prev_writer TEXT NOT NULL DEFAULT '',"
	" PRIMARY KEY (id, field)) WITHOUT ROWID;"
	"CREATE INDEX sync_clock_writer ON sync_clock(writer, id);"
	"UPDATE sync_meta SET value = CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)"
	" << 16 WHERE key = 'hlc';"
	/* tags are words separated by one space; a tag's field is "tag:" and its ASCII lower case */
	"INSERT INTO sync_clock (id, field, hlc, writer)"
	" WITH RECURSIVE split(id, tag, rest) AS ("
	"  SELECT id, '', tags || ' ' FROM user_state WHERE tags IS NOT NULL AND tags <> ''"
	"  UNION ALL SELECT id, substr(rest, 1, instr(rest, ' ') - 1),"
	"  substr(rest, instr(rest, ' ') + 1) FROM split WHERE rest <> '')"
	" SELECT id, field, (SELECT value FROM sync_meta WHERE key = 'hlc'),"
	" (SELECT value FROM sync_meta WHERE key = 'writer') FROM ("
	"  SELECT id, 'fav' AS field FROM user_state WHERE favourite"
	"  UNION SELECT id, 'read' FROM user_state WHERE read"
	"  UNION SELECT id, 'note' FROM user_state WHERE note IS NOT NULL AND note <> ''"
	"  UNION SELECT id, 'tag:' || lower(tag) FROM split WHERE tag <> '');"
	/* hide keeps its value in prev_hlc (store_sync.c: a favourite masks it) */
	"INSERT INTO sync_clock (id, field, hlc, writer, prev_hlc)"
	" SELECT id, 'hide', (SELECT value FROM sync_meta WHERE key = 'hlc'),"
	" (SELECT value FROM sync_meta WHERE key = 'writer'), 1 FROM user_state WHERE hidden;"
	/* the kept watches (store_sync.c: id "watch", field "watch:KIND:VALUE") */
	"INSERT INTO sync_clock (id, field, hlc, writer)"
	" SELECT 'watch', 'watch:' || kind || ':' || key, (SELECT value FROM sync_meta WHERE"
	" key = 'hlc'), (SELECT value FROM sync_meta WHERE key = 'writer') FROM watches;";

/* Version 12: arXiv OAI-PMH harvests. papers.withdrawn marks a paper arXiv withdrew (an OAI
 * deleted record): it is kept with its user state and shown as withdrawn. `harvest` is each
 * harvest source's checkpoint, written with the page it describes (harvest.c): the definition
 * it belongs to (spec), the resumptionToken to ask for next (NULL: no list in progress) and the
 * latest record datestamp stored, which the next list starts from. Old rows: not withdrawn. */
static const char schema_v12[] =
	"ALTER TABLE papers ADD COLUMN withdrawn INTEGER NOT NULL DEFAULT 0;"
	"CREATE TABLE harvest ("
	" source TEXT PRIMARY KEY, spec TEXT NOT NULL, token TEXT, datestamp TEXT,"
	" updated_at INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;";

/* Version 13: the title index. A second FTS
 * index, papers_tfts, of the title, authors and organisation only. Ranked search takes the
 * newest title/author matches from it (store_query.c): FTS5 answers a column filter on
 * papers_fts by reading every position of the words' whole doclists, which for common words at
 * 1M papers cost 35-230 ms a keystroke; the title words' own doclists are ~20x shorter. Its
 * columns are papers_fts's (the same MATCH expression runs on both, and lectern_rank and
 * lectern_pfx see the same column numbers); the others are empty, through the content view.
 * store.c keeps it in step with papers_fts at every commit. */
static const char schema_v13[] =
	"CREATE VIEW papers_tview AS SELECT pk, title, NULL AS abstract, authors, NULL AS cats,"
	" organization, NULL AS ai_summary FROM papers;"
	"CREATE VIRTUAL TABLE papers_tfts USING fts5(" STORE_FTS_COLS ","
	" content='papers_tview', content_rowid='pk',"
	" tokenize='lectern remove_diacritics 2', prefix='2 3');"
	"INSERT INTO papers_tfts (papers_tfts, rank) VALUES ('hashsize', 16777216);"
	"INSERT INTO papers_tfts (papers_tfts, rank) VALUES ('automerge', 16);"
	"INSERT INTO papers_tfts (papers_tfts, rank) VALUES ('crisismerge', 64);"
	"INSERT INTO papers_tfts (papers_tfts) VALUES ('rebuild');";

/* Version 14: the index's vocabulary (store_terms.c): every word of 4 bytes or more (2 since
 * v16, whose migration lists the shorter ones) in
 * papers_fts, so a long prefix is searched as the OR of its words. Filled here from the index
 * (~10 s at 1M papers), then kept at every commit. */
static const char schema_v14[] =
	"CREATE TABLE fts_terms (term TEXT PRIMARY KEY) WITHOUT ROWID;"
	STORE_TERMS_FILL;
_Static_assert(STORE_TERM_MIN == 2 && sizeof STORE_TERM_MIN_SQL == 2,
               "STORE_TERM_MIN_SQL spells STORE_TERM_MIN");

/* Version 15: each FTS index keeps at most 6 MB of a transaction's terms in memory before it
 * writes them out as a segment (was 16 MB): a response is stored in one transaction, and a
 * 100 MB feed's ~39,000 papers held both indexes' 16 MB (about three times that in the heap)
 * until COMMIT: 90.6 MB peak, now 61.5 (bench_ingest). An import's 1,000-paper commits stay
 * under it: ingest CPU unchanged (bench_store, 20k papers); 4 MB cost it 7 %. */
static const char schema_v15[] =
	"INSERT INTO papers_fts (papers_fts, rank) VALUES ('hashsize', 6291456);"
	"INSERT INTO papers_tfts (papers_tfts, rank) VALUES ('hashsize', 6291456);";

/* Version 16: papers_fts without a prefix index, and `cats` with each category's archive.
 * The prefix index (prefix='2 3' on every column) made an import 2.7x as slow and its cache
 * 2.1x as big as a bare FTS5 table of the same papers; without it, 1.2x and 1.4x
 * (bench_ingest, BENCHMARKS.md). Prefixes are searched without it (store_query.c): by their
 * words (fts_terms, v14), in the title index (papers_tfts keeps its prefix index: titles,
 * authors and organisations are a tenth of the text) or checked on the rows the other words
 * find. cat:cs was the prefix cs0*: the index now reads `cats` from the view papers_fview,
 * where lectern_cats() (store_fts.c) adds the archive token "cs" to "cs0lg", so it is a word
 * (fts_terms gets the archives' words, and the words of 2 and 3 bytes, so that a prefix of 2
 * or 3 letters is searched as its words when they are few). The index is rebuilt (minutes for a million papers: the caller is told, store.h). */
static const char schema_v16[] =
	"DROP TABLE papers_fts;"
	"CREATE VIEW papers_fview AS SELECT pk, title, abstract, authors,"
	" lectern_cats(categories) AS cats, organization, ai_summary FROM papers;"
	"CREATE VIRTUAL TABLE papers_fts USING fts5(" STORE_FTS_COLS ","
	" content='papers_fview', content_rowid='pk',"
	" tokenize='lectern remove_diacritics 2');"
	"INSERT INTO papers_fts (papers_fts, rank) VALUES ('hashsize', 6291456);"
	"INSERT INTO papers_fts (papers_fts, rank) VALUES ('automerge', 16);"
	"INSERT INTO papers_fts (papers_fts, rank) VALUES ('crisismerge', 64);"
	"INSERT INTO papers_fts (papers_fts) VALUES ('rebuild');"
	STORE_TERMS_FILL;   /* the archives' words */

/* Version 17: every version's date (papers.versions, struct paper: "1:T1 2:T2 ..."), as arXiv's
 * OAI arXivRaw records and the metadata snapshot list them. Old rows: NULL (not listed). */
static const char schema_v17[] =
	"ALTER TABLE papers ADD COLUMN versions TEXT;";

/* One migration: SQL, then an optional step in C, then more SQL (all in one transaction);
 * slow: what it does, told first (store_set_upgrade_note) when it reads every paper. */
static const struct migration {
	const char *sql;
	int (*step)(sqlite3 *db);
	const char *sql_after;
	const char *slow;
} migrations[STORE_SCHEMA_VERSION] = {
	{ schema_v1, NULL, NULL, NULL },
	{ schema_v2, NULL, NULL, NULL },
	{ schema_v3_before, rekey_undated, schema_v3_after, NULL },
	{ schema_v4, NULL, NULL, NULL },
	{ schema_v5, NULL, NULL, "rebuilding the search index" },
	{ schema_v6, NULL, NULL, NULL },
	{ schema_v7, NULL, NULL, NULL },
	{ schema_v8, NULL, NULL, NULL },
	{ schema_v9, NULL, NULL, NULL },
	{ schema_v10, NULL, NULL, NULL },
	{ schema_v11, NULL, NULL, NULL },
	{ schema_v12, NULL, NULL, NULL },
	{ schema_v13, NULL, NULL, "building the title index" },
	{ schema_v14, NULL, NULL, "listing the search index's words" },
	{ schema_v15, NULL, NULL, NULL },
	{ schema_v16, NULL, NULL, "rebuilding the search index without its prefix index" },
	{ schema_v17, NULL, NULL, NULL },
};

_Static_assert(STORE_APP_ID == 1279480914, "application_id literal must match STORE_APP_ID");

static int db_fail(sqlite3 *db, struct lerr *e, int rc, const char *what)
{
	int x = sqlite3_extended_errcode(db);
	if ((rc & 0xff) == SQLITE_NOTADB)
		lerr_set(e, LERR_DB, rc, "%s: not an SQLite database (a lectern cache is one), or its "
		         "header is damaged; it was left untouched", what);
	else if ((rc & 0xff) == SQLITE_CORRUPT)
		lerr_set(e, LERR_DB, rc, "%s: the file is corrupt (%s); it was left untouched", what,
		         sqlite3_errmsg(db));
	else
		lerr_set(e, (rc & 0xff) == SQLITE_FULL || (rc & 0xff) == SQLITE_IOERR ||
		            (rc & 0xff) == SQLITE_CANTOPEN || (rc & 0xff) == SQLITE_READONLY ?
		            LERR_IO : LERR_DB,
		         x, "%s: %s", what, sqlite3_errmsg(db));
	return -1;
}

/* Checks the identity of the database on connection db (read-only statements only). *fresh is
 * set when it is empty (no schema at all: a new file, or one another connection is creating
 * right now), *ver to its user_version. The three facts are read by ONE statement, so from one
 * snapshot: read one by one (each its own read transaction), a database that another process
 * migrates meanwhile looked like "no tables, application_id 0, user_version 2" — not lectern. */
static int verify(sqlite3 *db, bool *fresh, int64_t *ver, struct lerr *e)
{
	sqlite3_stmt *st = NULL;
	int64_t app = 0, n = 0;
	int rc = sqlite3_prepare_v2(db,
		"SELECT (SELECT count(*) FROM sqlite_schema),"
		" (SELECT application_id FROM pragma_application_id),"
		" (SELECT user_version FROM pragma_user_version)", -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		n = sqlite3_column_int64(st, 0);
		app = sqlite3_column_int64(st, 1);
		*ver = sqlite3_column_int64(st, 2);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_OK) {
		const char *name = sqlite3_db_filename(db, "main");
		return db_fail(db, e, rc, name && *name ? name : "cannot read the database");
	}
	*fresh = false;
	if (app == STORE_APP_ID) {
		if (*ver > STORE_SCHEMA_VERSION) {
			lerr_set(e, LERR_DB, 0,
			         "the database was written by a newer lectern (schema %lld, this "
			         "build knows up to %d); it was left untouched: upgrade lectern",
			         (long long)*ver, STORE_SCHEMA_VERSION);
			return -1;
		}
		return 0;
	}
	if (app == 0 && n == 0 && *ver == 0) {
		*fresh = true;
		return 0;
	}
	lerr_set(e, LERR_DB, 0,
	         "this is an SQLite database, but not a lectern one; it was left untouched "
	         "(choose another file with --db)");
	return -1;
}

int store_schema_verify(sqlite3 *db, struct lerr *e)
{
	bool fresh;
	int64_t ver = 0;
	if (verify(db, &fresh, &ver, e) < 0)
		return -1;
	if (fresh) {
		lerr_set(e, LERR_DB, 0, "the database is empty and cannot be initialised read-only");
		return -1;
	}
	if (ver < STORE_SCHEMA_VERSION) {
		/* This build's queries need the current schema; upgrading needs write access. */
		lerr_set(e, LERR_DB, 0,
		         "the database was written by an older lectern (schema %lld, this build "
		         "needs %d) and is read-only here, so it cannot be upgraded: open it once "
		         "with write access", (long long)ver, STORE_SCHEMA_VERSION);
		return -1;
	}
	return 0;
}

bool store_dir_writable(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return access(".", W_OK) == 0;
	if (slash == path)
		return access("/", W_OK) == 0;
	char *dir = xstrndup(path, (size_t)(slash - path));
	bool ok = access(dir, W_OK) == 0;
	free(dir);
	return ok;
}

/* A writer's WAL state next to the file: a -wal with content and its -shm. */
static bool wal_state_present(const char *path)
{
	struct stat sb;
	char *wal = xasprintf("%s-wal", path), *shm = xasprintf("%s-shm", path);
	bool yes = stat(wal, &sb) == 0 && sb.st_size > 0 && access(shm, F_OK) == 0;
	free(wal);
	free(shm);
	return yes;
}

int store_sqlite_open_ro(const char *path, bool immutable, sqlite3 **db)
{
	if (!immutable)
		return sqlite3_open_v2(path, db, SQLITE_OPEN_READONLY, NULL);
	/* Percent-encode the path for the URI. */
	struct sbuf uri = {0};
	sbuf_adds(&uri, "file:");
	for (const char *c = path; *c; c++) {
		if (*c == '?' || *c == '#' || *c == '%')
			sbuf_printf(&uri, "%%%02X", (unsigned char)*c);
		else
			sbuf_addc(&uri, *c);
	}
	sbuf_adds(&uri, "?immutable=1");
	int rc = sqlite3_open_v2(uri.s, db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
	sbuf_free(&uri);
	return rc;
}

int store_sqlite_open_full(const char *path, sqlite3 **db)
{
	/* An empty or missing -wal holds nothing: immutable reads the file exactly, without
	 * locks. Otherwise the WAL's commits must be read, without a -shm: exclusive locking
	 * keeps the WAL index in memory; that lock needs a read-write descriptor, so query_only
	 * makes the connection refuse writes. */
	struct stat sb;
	char *wal = xasprintf("%s-wal", path);
	bool empty = stat(wal, &sb) != 0 || sb.st_size == 0;
	free(wal);
	if (empty)
		return store_sqlite_open_ro(path, true, db);
	int rc = sqlite3_open_v2(path, db, SQLITE_OPEN_READWRITE, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(*db, "PRAGMA locking_mode = EXCLUSIVE; PRAGMA query_only = ON",
		                  NULL, NULL, NULL);
	return rc;
}

int store_schema_check_file(const char *path, struct store_file *out, struct lerr *e)
{
	struct stat sb;
	memset(out, 0, sizeof *out);
	if (stat(path, &sb) < 0)
		return errno == ENOENT ? 0 : (lerr_set(e, LERR_IO, errno, "%s: %s", path,
		                                       strerror(errno)), -1);
	out->exists = true;
	if (!S_ISREG(sb.st_mode)) {
		lerr_set(e, LERR_IO, 0, "%s: not a regular file", path);
		return -1;
	}
	/* WAL needs the file and, for -wal/-shm, its directory writable. A file without any write
	 * permission bit was made read-only on purpose: root (whom access() lets write) reads it
	 * too without changing it. */
	out->readonly = access(path, W_OK) < 0 || !(sb.st_mode & 0222) ||
	                !store_dir_writable(path);
	if (sb.st_size == 0) {
		out->fresh = true;   /* an empty file is a new SQLite database */
		return 0;
	}
	/* The header is not read with open()/close() here: closing ANY descriptor of a file drops
	 * every POSIX lock this process holds on it, so another thread's SQLite connection would
	 * silently lose its locks (seen as lost commits and "database disk image is malformed"
	 * when threads of several processes opened one file at once). SQLite's own VFS keeps such
	 * descriptors open; a read-only connection below reports a file that is not SQLite as
	 * SQLITE_NOTADB, without writing anything. */
	/* Reading a file we may not write must leave nothing behind: a plain read-only open of a
	 * WAL database creates -wal and -shm with the file's mode (0444), which then block every
	 * later writer even after the file is made writable again. Immutable opens create
	 * nothing; they are used unless a writer's WAL state is there to be read (then the files
	 * exist already and SQLite only reads them). The price: a writer starting while an
	 * immutable reader is open is not seen by it. */
	out->immutable = out->readonly && !wal_state_present(path);

	/* Read-only connection: inspecting it can never modify the file. */
	for (;;) {
		sqlite3 *db = NULL;
		struct lerr le = {0};
		int rc = out->full ? store_sqlite_open_full(path, &db)
		                   : store_sqlite_open_ro(path, out->immutable, &db);
		if (rc == SQLITE_OK)
			sqlite3_busy_timeout(db, STORE_BUSY_TIMEOUT_MS);
		bool fresh = false;
		int ret = 0;
		if (rc != SQLITE_OK)
			ret = db_fail(db, &le, rc, path);
		else if (verify(db, &fresh, &out->version, &le) < 0)
			ret = -1;
		out->fresh = fresh;
		int sys = db ? sqlite3_system_errno(db) : 0;
		sqlite3_close(db);
		/* A WAL database in a directory we cannot write (no -shm can be created) only
		 * opens as immutable; retry that way before giving up. */
		int code = le.code & 0xff;
		if (ret < 0 && !out->immutable && !out->full &&
		    (code == SQLITE_CANTOPEN || code == SQLITE_READONLY)) {
			out->readonly = out->immutable = true;
			continue;
		}
		/* A full disk: the -shm cannot grow (SQLite says "disk I/O error"). Reading needs no
		 * space: retry read-only with the WAL index in memory. */
		if (ret < 0 && !out->full && (code == SQLITE_FULL || (code == SQLITE_IOERR && sys == ENOSPC))) {
			out->readonly = out->full = true;
			out->immutable = false;
			continue;
		}
		if (ret < 0 && e)
			*e = le;
		return ret;
	}
}

static void (*upgrade_note)(const char *what);

void store_set_upgrade_note(void (*note)(const char *what))
{
	upgrade_note = note;
}

/* Tells of migration m (to version `to`) when it is slow and the cache holds papers. */
static void tell_slow(sqlite3 *db, const struct migration *m, int64_t to)
{
	sqlite3_stmt *st = NULL;
	if (!upgrade_note || !m->slow ||
	    sqlite3_prepare_v2(db, "SELECT count(*) FROM papers", -1, &st, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return;
	}
	int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	if (n < 10000)   /* (a second or less) */
		return;
	char what[200];
	snprintf(what, sizeof what, "upgrading the cache (schema %lld): %s of %lld papers, once; "
	         "about a minute for 300,000", (long long)to, m->slow, (long long)n);
	upgrade_note(what);
}

int store_schema_migrate(sqlite3 *db, struct lerr *e)
{
	/* Nothing to do for a current schema: check without a write lock, so a cache that another
	 * program is writing to opens at once (its readers are never blocked in WAL mode). */
	bool fresh0 = false;
	int64_t ver0 = 0;
	if (verify(db, &fresh0, &ver0, e) < 0)
		return -1;
	if (!fresh0 && ver0 == STORE_SCHEMA_VERSION)
		return 0;
	for (;;) {
		int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) {
			lerr_set(e, LERR_DB, rc,
			         "cannot upgrade the cache: another program is writing to it; try again "
			         "when it has finished");
			return -1;
		}
		if (rc != SQLITE_OK)
			return db_fail(db, e, rc, "cannot start the schema migration");
		bool fresh = false;
		int64_t ver = 0;
		/* Re-checked under the write lock: another connection may have created or
		 * migrated the file since the check above. */
		if (verify(db, &fresh, &ver, e) < 0) {
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			return -1;
		}
		if (ver >= STORE_SCHEMA_VERSION) {
			sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
			return 0;
		}
		char *err = NULL;
		const struct migration *m = &migrations[ver];
		tell_slow(db, m, ver + 1);
		rc = sqlite3_exec(db, m->sql, NULL, NULL, &err);
		if (rc == SQLITE_OK && m->step)
			rc = m->step(db);
		if (rc == SQLITE_OK && m->sql_after)
			rc = sqlite3_exec(db, m->sql_after, NULL, NULL, &err);
		if (rc == SQLITE_OK) {
			char pragma[64];
			snprintf(pragma, sizeof pragma, "PRAGMA user_version = %lld", (long long)ver + 1);
			rc = sqlite3_exec(db, pragma, NULL, NULL, NULL);
		}
		if (rc == SQLITE_OK)
			rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
		if (rc != SQLITE_OK) {
			lerr_set(e, (rc & 0xff) == SQLITE_FULL ? LERR_IO : LERR_DB, rc,
			         "schema migration %lld -> %lld failed (nothing was changed): %s",
			         (long long)ver, (long long)ver + 1, err ? err : sqlite3_errmsg(db));
			sqlite3_free(err);
			if (!sqlite3_get_autocommit(db))
				sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			return -1;
		}
	}
}
