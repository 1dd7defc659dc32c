/* undo.h — SQL that turns a current cache back into an older schema's (test_store.c,
 * test_sync.c): the cache as an older lectern left it, for the migration tests. Run through a
 * store's connection (it knows the tokenizer "lectern"); then set PRAGMA user_version. */
#ifndef LECTERN_TESTS_UNDO_H
#define LECTERN_TESTS_UNDO_H

#include "../src/store_int.h"

/* Turns a current schema back into version 16's (no versions column). */
#define UNDO_V17 "ALTER TABLE papers DROP COLUMN versions;"

/* Turns a current schema back into version 15's (the index with its prefix index, `cats`
 * without archives). */
#define UNDO_V16                                                                          \
	UNDO_V17 " DROP TABLE papers_fts; DROP VIEW papers_fview;"                                      \
	" CREATE VIRTUAL TABLE papers_fts USING fts5(" STORE_FTS_COLS ","                     \
	" content='papers', content_rowid='pk', tokenize='lectern remove_diacritics 2',"     \
	" prefix='2 3'); INSERT INTO papers_fts (papers_fts) VALUES ('rebuild');"

/* Turns a current schema back into version 13's (before the index's word list). */
#define UNDO_V14 UNDO_V16 " DROP TABLE fts_terms;"

/* Turns a current schema back into version 12's (before the title index). */
#define UNDO_V13 UNDO_V14 " DROP TABLE papers_tfts; DROP VIEW papers_tview;"

/* Turns a current schema back into version 11's (before harvests: no withdrawn, no
 * checkpoints). */
#define UNDO_V12 UNDO_V13 " DROP TABLE harvest; ALTER TABLE papers DROP COLUMN withdrawn;"

/* Turns a current schema back into version 10's (before the sync folder's tables). */
#define UNDO_V11 UNDO_V12 " DROP TABLE sync_meta; DROP TABLE sync_files; DROP TABLE sync_clock;"

/* Turns a current schema back into version 9's (before the ranker's state). */
#define UNDO_V10                                                                           \
	UNDO_V11 " DROP TABLE rank_scores; DROP TABLE rank_model; DROP TABLE watches;"                   \
	" DROP INDEX user_state_hidden; ALTER TABLE user_state DROP COLUMN hidden;"

/* Turns a current schema back into version 8's (before listings drove the views). */
#define UNDO_V9                                                                            \
	UNDO_V10 " DROP INDEX listings_kind_day; ALTER TABLE listings DROP COLUMN kind;"                 \
	" ALTER TABLE listings DROP COLUMN position; ALTER TABLE listings DROP COLUMN type;"  \
	" ALTER TABLE listings DROP COLUMN url;"                                                \
	" CREATE INDEX papers_hf_day ON papers(hf_day) WHERE hf_day IS NOT NULL;"              \
	" CREATE INDEX papers_hf_day_upvotes ON papers(hf_day, upvotes) WHERE hf_day IS NOT NULL;"

#endif
