/* sync — user state through a folder (Syncthing, Dropbox, Nextcloud, a git repository): each
 * cache appends its operations (store.h "operation log") as JSON lines to DIR/<writer>.jsonl, and
 * reads every *.jsonl of the folder from where it stopped, applying what it finds by the
 * store's last-writer-wins rule. The same lines are `lectern export --format lectern-state`.
 *
 * One line, one operation (lectern(5) "SYNC FOLDER"):
 *   {"op":"fav","id":"2501.01234","t":HLC,"w":"WRITER","when":UNIX,"title":"...",
 *    "authors":["..."],"links":{"abs":"...","pdf":"...","code":"...","project":"...","hf":"..."}}
 *   {"op":"unfav"|"read"|"unread","id":..,"t":..,"w":..}
 *   {"op":"tag"|"untag","id":..,"tag":"WORD","t":..,"w":..}
 *   {"op":"note","id":..,"text":"..." ("" clears),"t":..,"w":..,"pt":HLC,"pw":"WRITER"}
 * An operation kind is one row of the table in sync.c (its name, what it carries, how it is
 * applied); unknown kinds (from a newer lectern) are reported and skipped.
 *
 * Text from the folder is untrusted: cleaned as feed text (text_clean) and bounded (a line of
 * at most SYNC_MAX_LINE bytes, a note of SYNC_MAX_NOTE, a title of SYNC_MAX_TITLE, a watch of
 * SYNC_MAX_WATCH); links are
 * kept only when http(s). Messages for the user (FILE:LINE and what was done) go to the warn
 * callback. Not thread-safe: one struct sync per store, on the thread that owns the store. */
#ifndef LECTERN_SYNC_H
#define LECTERN_SYNC_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "lectern/store.h"
#include "lectern/util.h"

#define SYNC_MAX_LINE (1 << 20)
#define SYNC_MAX_FILE (256LL << 20)       /* new bytes of one file read in one run */
#define SYNC_MAX_NOTE (64 * 1024)
#define SYNC_MAX_TITLE 2000
#define SYNC_MAX_WATCH 500                /* a watch's value (longer: the line is skipped) */
#define SYNC_FUTURE_MS (86400 * 1000LL)   /* clocks further ahead are clamped to now */
#define SYNC_COMPACT_MIN (256 * 1024)     /* a log this big is compacted when half of it is old */

typedef void (*sync_warn_fn)(void *ctx, const char *msg);

struct sync;

/* Uses dir (created when missing) for store s: from now on every change of user state through s
 * is appended to DIR/<writer>.jsonl and fsynced before it commits (store_set_op_hook). The store
 * must outlive the sync. warn (may be NULL) gets the messages of later calls. */
struct sync *sync_open(struct store *s, const char *dir, sync_warn_fn warn, void *ctx,
                       struct lerr *e);
void sync_close(struct sync **y);   /* NULL-safe; removes the hook */

struct sync_stats {
	long files;        /* files read */
	long ops;          /* operations read */
	long changed;      /* operations that changed the user state */
	long skipped;      /* malformed lines (reported) */
	long partial;      /* files ending in an incomplete line (read again next time) */
	long conflicts;    /* sync tools' conflict copies merged */
	bool compacted;    /* this cache's own file was rewritten as a snapshot */
};

/* Reads every *.jsonl of the folder from where this cache stopped (from the start for a file it
 * never read, or one that shrank or was replaced) and applies the operations in clock order, in
 * one transaction with the new positions. Then compacts this cache's own file when it is big and
 * mostly superseded (compact: always). Returns 0, or -1 with e set (nothing applied). */
int sync_run(struct sync *y, bool compact, struct sync_stats *st, struct lerr *e);

/* The user state as operation lines (a snapshot; state from before sync is given clocks
 * first, so the cache must be writable). */
int sync_export(struct store *s, FILE *out, struct lerr *e);

/* Applies the operation lines of one stream (an export, or a file of a sync folder) by the same
 * rules, in one transaction; name is used in messages. Returns 0 or -1. */
int sync_import(struct store *s, FILE *in, const char *name, sync_warn_fn warn, void *ctx,
                struct sync_stats *st, struct lerr *e);

/* Whether a JSON line is an operation line (has "op"), for import's sniffing. */
bool sync_is_op_line(const char *line);

#endif
