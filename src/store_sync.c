/* store_sync — user state as operations: the clocks of local changes, the hook that logs them,
 * last-writer-wins for operations from elsewhere, the snapshot, and how far each file of a sync
 * folder was read (store.h "operation log"). The folder itself is sync.c's.
 *
 * A field's clock lives in sync_clock (schema v11). A user state without a row has the clock 0
 * of writer "", older than any operation. Flags are a table (field, the operation that sets and
 * the one that clears it, the statement writing the column): a new flag is one row there. */
#include <stdio.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store_int.h"

enum {
	SS_META_GET, SS_META_PUT, SS_HLC_SEEN, SS_US_GET, SS_US_FAV, SS_US_READ, SS_US_HIDE, SS_US_NOTE,
	SS_US_TAGS, SS_CLOCK_GET, SS_CLOCK_PUT, SS_CLOCK_ALL, SS_IDS, SS_IDS_OF, SS_FILE_GET, SS_FILE_PUT,
	SS_PAPER_EXISTS, SS_WATCH_ADD, SS_WATCH_DEL, SS_WATCH_HAS, SS_COUNT
};
_Static_assert(SS_COUNT <= 20, "struct store's sync_st is too small");

static const char *const ss_sql[SS_COUNT] = {
	[SS_META_GET] = "SELECT value FROM sync_meta WHERE key = ?1",
	[SS_META_PUT] = "INSERT INTO sync_meta VALUES (?1, ?2)"
	                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
	[SS_HLC_SEEN] = "UPDATE sync_meta SET value = max(value, ?1) WHERE key = 'hlc'",
	[SS_US_GET] = "SELECT favourite, fav_time, read, note, tags, hidden FROM user_state"
	              " WHERE id = ?1",
	/* A favourite is never hidden: making one unhides it (rank.h). */
	[SS_US_FAV] = "INSERT INTO user_state (id, favourite, fav_time) VALUES (?1, ?2, ?3)"
	              " ON CONFLICT (id) DO UPDATE SET favourite = excluded.favourite,"
	              " hidden = CASE WHEN excluded.favourite THEN 0 ELSE hidden END,"
	              " fav_time = excluded.fav_time",
	[SS_US_READ] = "INSERT INTO user_state (id, read) VALUES (?1, ?2)"
	               " ON CONFLICT (id) DO UPDATE SET read = excluded.read",
	[SS_US_HIDE] = "INSERT INTO user_state (id, hidden) VALUES (?1, ?2)"
	               " ON CONFLICT (id) DO UPDATE SET hidden = excluded.hidden",
	[SS_US_NOTE] = "INSERT INTO user_state (id, note) VALUES (?1, ?2)"
	               " ON CONFLICT (id) DO UPDATE SET note = excluded.note",
	[SS_US_TAGS] = "INSERT INTO user_state (id, tags) VALUES (?1, ?2)"
	               " ON CONFLICT (id) DO UPDATE SET tags = excluded.tags",
	[SS_CLOCK_GET] = "SELECT hlc, writer, prev_hlc, prev_writer FROM sync_clock"
	                 " WHERE id = ?1 AND field = ?2",
	[SS_CLOCK_PUT] = "INSERT INTO sync_clock VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
	                 " ON CONFLICT (id, field) DO UPDATE SET hlc = excluded.hlc,"
	                 " writer = excluded.writer, prev_hlc = excluded.prev_hlc,"
	                 " prev_writer = excluded.prev_writer",
	[SS_CLOCK_ALL] = "SELECT field, hlc, writer, prev_hlc, prev_writer FROM sync_clock"
	                 " WHERE id = ?1 ORDER BY field",
	[SS_IDS] = "SELECT id FROM user_state UNION SELECT id FROM sync_clock ORDER BY 1",
	[SS_IDS_OF] = "SELECT DISTINCT id FROM sync_clock WHERE writer = ?1 ORDER BY 1",
	[SS_FILE_GET] = "SELECT dev, ino, head, offset, line FROM sync_files WHERE name = ?1",
	[SS_FILE_PUT] = "INSERT INTO sync_files VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
	                " ON CONFLICT (name) DO UPDATE SET dev = excluded.dev, ino = excluded.ino,"
	                " head = excluded.head, offset = excluded.offset, line = excluded.line",
	[SS_PAPER_EXISTS] = "SELECT 1 FROM papers WHERE id = ?1",
	/* a watch's key is its value as given (store_watch.c finds the paper it matches) */
	[SS_WATCH_ADD] = "INSERT INTO watches (kind, key, value, added) VALUES (?1, ?2, ?2, ?3)"
	                 " ON CONFLICT DO NOTHING",
	[SS_WATCH_DEL] = "DELETE FROM watches WHERE kind = ?1 AND key = ?2",
	[SS_WATCH_HAS] = "SELECT 1 FROM watches WHERE kind = ?1 AND key = ?2",
};

/* The flags: a field, its operations, the statement that writes it, its column in SS_US_GET (a
 * new flag: its column appended to SS_US_GET, a write statement, a row here). */
static const struct flag {
	const char *field, *on_op, *off_op;
	int write, col;
} flags[] = {
	{"fav", "fav", "unfav", SS_US_FAV, 0},
	{"read", "read", "unread", SS_US_READ, 2},
	{"hide", "hide", "unhide", SS_US_HIDE, 5},
};

/* Hiding and favourites. A favourite is never hidden, so the hide field is a register of its
 * own whose value the clock row keeps (prev_hlc: 1 hidden, 0 shown; user_state.hidden is what
 * the views see): a paper is hidden when the last hide/unhide is newer than the last
 * fav/unfav, was a hide, and the paper is not a favourite. Both fields are last writer wins,
 * so every cache ends the same whatever order a hide and a favourite made concurrently
 * arrive in, and a favourite is never lost to a hide (a hide newer than the favourite waits
 * behind it: an unfavourite older than the hide then shows it hidden). */
#define HIDE_VALUE(on) (&(struct store_clock){.hlc = (on) ? 1 : 0})

static sqlite3_stmt *ss(struct store *s, int which, struct lerr *e)
{
	if (!s->sync_st[which]) {
		int rc = sqlite3_prepare_v3(s->db, ss_sql[which], -1, SQLITE_PREPARE_PERSISTENT,
		                            &s->sync_st[which], NULL);
		if (rc != SQLITE_OK) {
			store_db_error(s, e, rc, "preparing a sync statement");
			return NULL;
		}
	}
	sqlite3_stmt *st = s->sync_st[which];
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return st;
}

static void bind_str(sqlite3_stmt *st, int i, const char *t)
{
	if (t)
		sqlite3_bind_text(st, i, t, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

/* Steps a write to its end; 0 or -1 with e set. */
static int done(struct store *s, sqlite3_stmt *st, const char *what, struct lerr *e)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_db_error(s, e, rc, what);
}

static bool nonempty(const char *t) { return t && *t; }

int store_clock_cmp(const struct store_clock *a, const struct store_clock *b)
{
	if (a->hlc != b->hlc)
		return a->hlc < b->hlc ? -1 : 1;
	int c = strcmp(a->writer, b->writer);
	return (c > 0) - (c < 0);
}

static void clock_set(struct store_clock *c, int64_t hlc, const char *writer)
{
	c->hlc = hlc;
	snprintf(c->writer, sizeof c->writer, "%s", writer ? writer : "");
}

/* ---- writer id and clock -------------------------------------------------------------------- */

const char *store_writer(struct store *s)
{
	if (!s->writer[0]) {
		sqlite3_stmt *st = ss(s, SS_META_GET, NULL);
		if (st) {
			sqlite3_bind_text(st, 1, "writer", -1, SQLITE_STATIC);
			if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
				snprintf(s->writer, sizeof s->writer, "%s",
				         (const char *)sqlite3_column_text(st, 0));
			sqlite3_reset(st);
		}
	}
	return s->writer;
}

/* Wall-clock milliseconds (util_now()'s second, so LECTERN_NOW pins it too). */
static int64_t wall_ms(void)
{
	int64_t t = util_now();
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return t * 1000 + (ts.tv_sec == t ? ts.tv_nsec / 1000000 : 0);
}

/* The next clock of this cache: past the wall clock's and every clock given or seen. */
static int hlc_tick(struct store *s, struct store_clock *c, struct lerr *e)
{
	sqlite3_stmt *st = ss(s, SS_META_GET, e);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, "hlc", -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	int64_t last = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_error(s, e, rc, "reading the sync clock");
	int64_t h = wall_ms() << 16;
	if (h <= last)
		h = last + 1;
	if (!(st = ss(s, SS_META_PUT, e)))
		return -1;
	sqlite3_bind_text(st, 1, "hlc", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, h);
	if (done(s, st, "saving the sync clock", e) < 0)
		return -1;
	clock_set(c, h, store_writer(s));
	return 0;
}

/* This cache has seen clock h: its next one is later. Batches (sync.c) say so once, with their
 * newest clock, before applying (store_apply_op then skips it for older ones). */
static int hlc_seen(struct store *s, int64_t h, struct lerr *e)
{
	sqlite3_stmt *st = ss(s, SS_HLC_SEEN, e);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, h);
	if (done(s, st, "saving the sync clock", e) < 0)
		return -1;
	if (h > s->hlc_seen)
		s->hlc_seen = h;
	return 0;
}

int store_hlc_seen(struct store *s, int64_t hlc, struct lerr *e)
{
	return hlc > s->hlc_seen ? hlc_seen(s, hlc, e) : 0;
}

static int clock_get(struct store *s, const char *id, const char *field, struct store_clock *c,
                     struct store_clock *prev, struct lerr *e)
{
	sqlite3_stmt *st = ss(s, SS_CLOCK_GET, e);
	if (!st)
		return -1;
	bind_str(st, 1, id);
	bind_str(st, 2, field);
	int rc = sqlite3_step(st);
	clock_set(c, 0, "");
	if (prev)
		clock_set(prev, 0, "");
	if (rc == SQLITE_ROW) {
		clock_set(c, sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1));
		if (prev)
			clock_set(prev, sqlite3_column_int64(st, 2),
			          (const char *)sqlite3_column_text(st, 3));
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_db_error(s, e, rc, "reading a clock");
}

static int clock_put(struct store *s, const char *id, const char *field,
                     const struct store_clock *c, const struct store_clock *prev, struct lerr *e)
{
	sqlite3_stmt *st = ss(s, SS_CLOCK_PUT, e);
	if (!st)
		return -1;
	bind_str(st, 1, id);
	bind_str(st, 2, field);
	sqlite3_bind_int64(st, 3, c->hlc);
	bind_str(st, 4, c->writer);
	sqlite3_bind_int64(st, 5, prev ? prev->hlc : 0);
	bind_str(st, 6, prev ? prev->writer : "");
	return done(s, st, "saving a clock", e);
}

/* ---- user state ------------------------------------------------------------------------------ */

/* A row of SS_US_GET: its integer columns by position (favourite, fav_time, read; a flag's
 * `col` indexes this), the note and the tags (columns US_NOTE, US_TAGS). */
enum { US_NOTE = 3, US_TAGS = 4, US_COLS = 8 };
struct ustate {
	bool exists;
	int64_t flag[US_COLS];
	char *note, *tags;
};

static void ustate_clear(struct ustate *u)
{
	free(u->note);
	free(u->tags);
	memset(u, 0, sizeof *u);
}

static int ustate_get(struct store *s, const char *id, struct ustate *u, struct lerr *e)
{
	memset(u, 0, sizeof *u);
	sqlite3_stmt *st = ss(s, SS_US_GET, e);
	if (!st)
		return -1;
	bind_str(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		u->exists = true;
		for (int i = 0; i < sqlite3_column_count(st) && i < US_COLS; i++)
			u->flag[i] = sqlite3_column_int64(st, i);
		u->note = xstrdup((const char *)sqlite3_column_text(st, US_NOTE));
		u->tags = xstrdup((const char *)sqlite3_column_text(st, US_TAGS));
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0
	       : store_db_error(s, e, rc, "reading the user state");
}

static int write_flag(struct store *s, const struct flag *f, const char *id, bool on,
                      int64_t when, struct lerr *e)
{
	sqlite3_stmt *st = ss(s, f->write, e);
	if (!st)
		return -1;
	bind_str(st, 1, id);
	sqlite3_bind_int(st, 2, on);
	if (f->write == SS_US_FAV)
		sqlite3_bind_int64(st, 3, on ? (when > 0 ? when : util_now()) : 0);
	return done(s, st, "saving the user state", e);
}

static int write_text(struct store *s, int which, const char *id, const char *text,
                      struct lerr *e)
{
	sqlite3_stmt *st = ss(s, which, e);
	if (!st)
		return -1;
	bind_str(st, 1, id);
	bind_str(st, 2, nonempty(text) ? text : NULL);
	return done(s, st, which == SS_US_NOTE ? "saving the note" : "saving tags", e);
}

static const struct flag *flag_of(const char *name, bool *on)
{
	for (size_t i = 0; i < ARRAY_LEN(flags); i++) {
		if (!strcmp(name, flags[i].field) || !strcmp(name, flags[i].on_op)) {
			if (on)
				*on = true;
			return &flags[i];
		}
		if (!strcmp(name, flags[i].off_op)) {
			if (on)
				*on = false;
			return &flags[i];
		}
	}
	return NULL;
}

/* "tag:" and the tag in lower case: tags compare without case (paper_normalise_tags). */
static char *tag_field(const char *tag)
{
	char *f = xasprintf("tag:%s", tag);
	for (char *c = f + 4; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	return f;
}

/* Whether the space-separated list has the tag (without case). */
static bool has_tag(const char *list, const char *tag, size_t n)
{
	for (const char *w = list ? list : ""; *w;) {
		w += strspn(w, " ");
		size_t k = strcspn(w, " ");
		if (k && k == n && !strncasecmp(w, tag, n))
			return true;
		w += k;
	}
	return false;
}

/* list with the tag added (on) or taken away; a new string. */
static char *tags_with(const char *list, const char *tag, bool on)
{
	struct sbuf b = {0};
	size_t n = strlen(tag);
	sbuf_add(&b, "", 0);
	for (const char *w = list ? list : ""; *w;) {
		w += strspn(w, " ");
		size_t k = strcspn(w, " ");
		if (k && !(k == n && !strncasecmp(w, tag, n)))
			sbuf_printf(&b, "%s%.*s", b.len ? " " : "", (int)k, w);
		w += k;
	}
	if (on)
		sbuf_printf(&b, "%s%s", b.len ? " " : "", tag);
	return sbuf_steal(&b);
}

/* The open transaction, or one of our own (*own). */
static int txn_enter(struct store *s, bool *own, struct lerr *e)
{
	*own = !s->in_txn;
	if (*own)
		return store_begin(s, e);
	if (s->txn_failed) {
		lerr_set(e, LERR_DB, 0, "the transaction was rolled back after an earlier error");
		return -1;
	}
	return 0;
}

static int txn_leave(struct store *s, bool own, int rc, struct lerr *e)
{
	if (rc < 0) {
		if (own) {
			store_rollback(s);
		} else {   /* a failed write fails the whole transaction (store.h) */
			if (!sqlite3_get_autocommit(s->db))
				sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
			s->txn_failed = true;
			store_op_discard(s);
		}
		return -1;
	}
	if (own && store_commit(s, e) < 0) {
		store_rollback(s);
		return -1;
	}
	return 0;
}

/* Sets user_state.hidden from the hide and favourite fields (above); *changed when it did. */
static int settle_hidden(struct store *s, const char *id, bool *changed, struct lerr *e)
{
	struct store_clock hide, value, fav;
	struct ustate u;
	if (clock_get(s, id, "hide", &hide, &value, e) < 0 || clock_get(s, id, "fav", &fav, NULL, e) < 0 ||
	    ustate_get(s, id, &u, e) < 0)
		return -1;
	bool want = hide.hlc && value.hlc && store_clock_cmp(&hide, &fav) > 0 && !u.flag[0];
	int rc = 0;
	if (want != (u.flag[5] != 0)) {
		sqlite3_stmt *st = ss(s, SS_US_HIDE, e);
		if (!st) {
			rc = -1;
		} else {
			bind_str(st, 1, id);
			sqlite3_bind_int(st, 2, want);
			rc = done(s, st, "saving the hidden mark", e);
			*changed = true;
		}
	}
	ustate_clear(&u);
	return rc;
}

static int user_flag(struct store *s, const struct flag *f, const char *id, bool on,
                     int64_t when, struct lerr *e)
{
	struct ustate u;
	struct store_clock c;
	if (ustate_get(s, id, &u, e) < 0)
		return -1;
	bool was = u.flag[f->col] != 0;
	int rc = 0;
	if (was == on) {
		/* an earlier time for an existing favourite (an import) is no operation */
		if (on && f->write == SS_US_FAV && when > 0 && (u.flag[1] <= 0 || when < u.flag[1]))
			rc = write_flag(s, f, id, true, when, e);
	} else if ((rc = hlc_tick(s, &c, e)) == 0 &&
	           (rc = write_flag(s, f, id, on, when, e)) == 0 &&
	           (rc = clock_put(s, id, f->field, &c,
	                           f->write == SS_US_HIDE ? HIDE_VALUE(on) : NULL, e)) == 0) {
		store_op_push(s, on ? f->on_op : f->off_op, id, NULL, &c, NULL,
		              on ? (when > 0 ? when : util_now()) : 0, on && f->write == SS_US_FAV);
	}
	ustate_clear(&u);
	return rc;
}

static int user_note(struct store *s, const char *id, const char *note, struct lerr *e)
{
	struct ustate u;
	struct store_clock c, prev;
	if (ustate_get(s, id, &u, e) < 0)
		return -1;
	const char *was = u.note ? u.note : "", *now = note ? note : "";
	int rc = 0;
	if (strcmp(was, now) != 0 && (rc = clock_get(s, id, "note", &prev, NULL, e)) == 0 &&
	    (rc = hlc_tick(s, &c, e)) == 0 && (rc = write_text(s, SS_US_NOTE, id, now, e)) == 0 &&
	    (rc = clock_put(s, id, "note", &c, &prev, e)) == 0)
		store_op_push(s, "note", id, now, &c, &prev, 0, false);
	ustate_clear(&u);
	return rc;
}


/* One operation per tag of `from` missing in `to` (op "tag" or "untag"). */
static int tag_ops(struct store *s, const char *id, const char *from, const char *to, bool on,
                   struct lerr *e)
{
	for (const char *w = from ? from : ""; *w;) {
		w += strspn(w, " ");
		size_t k = strcspn(w, " ");
		if (k && !has_tag(to, w, k)) {
			char *tag = xstrndup(w, k), *field = tag_field(tag);
			struct store_clock c;
			int rc = hlc_tick(s, &c, e);
			if (rc == 0)
				rc = clock_put(s, id, field, &c, NULL, e);
			if (rc == 0)
				store_op_push(s, on ? "tag" : "untag", id, tag, &c, NULL, 0, false);
			free(tag);
			free(field);
			if (rc < 0)
				return -1;
		}
		w += k;
	}
	return 0;
}

static int user_tags(struct store *s, const char *id, const char *tags, struct lerr *e)
{
	struct ustate u;
	if (ustate_get(s, id, &u, e) < 0)
		return -1;
	int rc = 0;
	if (strcmp(u.tags ? u.tags : "", tags ? tags : "") != 0 &&
	    (rc = tag_ops(s, id, tags, u.tags, true, e)) == 0 &&
	    (rc = tag_ops(s, id, u.tags, tags, false, e)) == 0)
		rc = write_text(s, SS_US_TAGS, id, tags, e);
	ustate_clear(&u);
	return rc;
}


/* ---- watches ---------------------------------------------------------------------------------- */

/* Watches are not a paper's: their operations name the id "watch", their argument is
 * "KIND VALUE" and their field "watch:KIND:VALUE" (last writer wins per watch, like tags). */
static const char watch_id[] = "watch";

static char *watch_field(const char *kind, const char *value)
{
	return xasprintf("watch:%s:%s", kind, value);
}

/* Adds or removes the row; *did: a row changed (the watch list is then made again). */
static int watch_write(struct store *s, const char *kind, const char *value, bool on, bool *did,
                       struct lerr *e)
{
	sqlite3_stmt *st = ss(s, on ? SS_WATCH_ADD : SS_WATCH_DEL, e);
	if (!st)
		return -1;
	bind_str(st, 1, kind);
	bind_str(st, 2, value);
	if (on)
		sqlite3_bind_int64(st, 3, util_now());
	if (done(s, st, on ? "saving the watch" : "removing the watch", e) < 0)
		return -1;
	*did = sqlite3_changes(s->db) > 0;
	if (*did && s->wl && s->wl_free) {   /* store_watch.c's compiled list is stale */
		s->wl_free(s->wl);
		s->wl = NULL;
	}
	return 0;
}

int store_sync_watch(struct store *s, const char *kind, const char *value, bool on, bool *did,
                     struct lerr *e)
{
	bool own;
	*did = false;
	if (s->readonly)
		return store_readonly_error(s, e);
	if (txn_enter(s, &own, e) < 0)
		return -1;
	struct store_clock c;
	char *field = watch_field(kind, value), *arg = xasprintf("%s %s", kind, value);
	int rc = watch_write(s, kind, value, on, did, e);
	if (rc == 0 && *did && (rc = hlc_tick(s, &c, e)) == 0 &&
	    (rc = clock_put(s, watch_id, field, &c, NULL, e)) == 0)
		store_op_push(s, on ? "watch" : "unwatch", watch_id, arg, &c, NULL, 0, false);
	free(field);
	free(arg);
	return txn_leave(s, own, rc, e);
}

static int apply_watch(struct store *s, const struct store_op *op, bool on, bool *changed,
                       struct lerr *e)
{
	const char *sp = strchr(op->arg, ' ');
	char *kind = xstrndup(op->arg, (size_t)(sp - op->arg)), *field = watch_field(kind, sp + 1);
	struct store_clock c;
	bool did = false;
	int rc = clock_get(s, watch_id, field, &c, NULL, e);
	if (rc == 0 && store_clock_cmp(&op->clock, &c) > 0 &&
	    (rc = clock_put(s, watch_id, field, &op->clock, NULL, e)) == 0 &&
	    (rc = watch_write(s, kind, sp + 1, on, &did, e)) == 0)
		*changed = *changed || did;
	free(kind);
	free(field);
	return rc;
}

/* A watch's operation: "watch" or "unwatch" from its clock row (present in the table or not). */
static int emit_watch(struct store *s, const char *field, const struct store_clock *c,
                      store_op_cb cb, void *ctx, int *stop, struct lerr *e)
{
	const char *kind = field + 6, *colon = strchr(kind, ':');
	if (!colon)
		return 0;
	char *k = xstrndup(kind, (size_t)(colon - kind)), *arg = xasprintf("%s %s", k, colon + 1);
	sqlite3_stmt *st = ss(s, SS_WATCH_HAS, e);
	int rc = -1;
	if (st) {
		bind_str(st, 1, k);
		bind_str(st, 2, colon + 1);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
			struct store_op op = {rc == SQLITE_ROW ? "watch" : "unwatch", watch_id, arg, *c,
			                      {0}, 0, NULL};
			*stop = cb(ctx, &op);
			rc = 0;
		} else {
			rc = store_db_error(s, e, rc, "reading the watches");
		}
	}
	free(k);
	free(arg);
	return rc;
}

/* ---- the public setters ------------------------------------------------------------------- */

/* The canonical id of a paper to change (a version or URL taken away). */
static int user_id(struct store *s, const char *id, char *buf, size_t n, struct lerr *e)
{
	if (s->readonly)
		return store_readonly_error(s, e);
	if (!nonempty(id)) {
		lerr_set(e, LERR_USAGE, 0, "no paper id given");
		return -1;
	}
	store_canon_id(id, buf, n);
	return 0;
}

/* What one setter changes: a flag (field, on, when; toggle: the opposite of what it is), or
 * the note or the tags (text). */
struct change {
	const char *field;
	bool on, toggle;
	int64_t when;
	const char *text;
	bool *now_on;
};

static int change_one(struct store *s, const char *id, const struct change *c, struct lerr *e)
{
	if (!strcmp(c->field, "note"))
		return user_note(s, id, c->text, e);
	if (!strcmp(c->field, "tags"))
		return user_tags(s, id, c->text, e);
	const struct flag *f = flag_of(c->field, NULL);
	bool on = c->on;
	if (c->toggle) {
		/* read and write in one transaction: a concurrent toggle elsewhere just wins last */
		struct ustate u;
		if (ustate_get(s, id, &u, e) < 0)
			return -1;
		on = u.flag[f->col] == 0;
		ustate_clear(&u);
	}
	if (c->now_on)
		*c->now_on = on;
	return user_flag(s, f, id, on, c->when, e);
}

/* Every setter: the id made canonical, the change in the open transaction or its own. */
static int local_change(struct store *s, const char *id, const struct change *c, struct lerr *e)
{
	char buf[64];
	bool own;
	if (user_id(s, id, buf, sizeof buf, e) < 0)
		return -1;
	if (!strcmp(c->field, "hide") && c->on) {   /* before the transaction: nothing is failed */
		struct ustate u;
		if (ustate_get(s, buf, &u, e) < 0)
			return -1;
		bool fav = u.flag[0] != 0;
		ustate_clear(&u);
		if (fav) {
			lerr_set(e, LERR_USAGE, 0, "%s is a favourite: a favourite cannot be hidden "
			         "(unmark it with f first)", buf);
			return -1;
		}
	}
	if (txn_enter(s, &own, e) < 0)
		return -1;
	return txn_leave(s, own, change_one(s, buf, c, e), e);
}

int store_set_favourite(struct store *s, const char *id, bool on, struct lerr *e)
{
	return local_change(s, id, &(struct change){.field = "fav", .on = on}, e);
}

int store_set_favourite_at(struct store *s, const char *id, int64_t when, struct lerr *e)
{
	return local_change(s, id, &(struct change){.field = "fav", .on = true,
	                                            .when = when > 0 ? when : util_now()}, e);
}

int store_toggle_favourite(struct store *s, const char *id, bool *now_on, struct lerr *e)
{
	return local_change(s, id, &(struct change){.field = "fav", .toggle = true,
	                                            .now_on = now_on}, e);
}

int store_set_read(struct store *s, const char *id, bool on, struct lerr *e)
{
	return local_change(s, id, &(struct change){.field = "read", .on = on}, e);
}

int store_set_hidden(struct store *s, const char *id, bool on, struct lerr *e)
{
	return local_change(s, id, &(struct change){.field = "hide", .on = on}, e);
}

int store_set_note(struct store *s, const char *id, const char *note, struct lerr *e)
{
	return local_change(s, id, &(struct change){.field = "note", .text = note}, e);
}

int store_set_tags(struct store *s, const char *id, const char *tags, struct lerr *e)
{
	return local_change(s, id, &(struct change){.field = "tags", .text = tags}, e);
}

/* ---- operations from elsewhere --------------------------------------------------------------- */

/* "[conflict: note of WRITER at YYYY-MM-DD HH:MM UTC] TEXT" after base (its own line). */
static char *note_conflict(const char *base, const char *text, const struct store_clock *c)
{
	char when[32] = "";
	if (c->hlc > 0) {
		time_t t = (time_t)((c->hlc >> 16) / 1000);
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(when, sizeof when, " at %Y-%m-%d %H:%M UTC", &tm);
	}
	return xasprintf("%s%s[conflict: note of %s%s] %s", base, *base ? "\n" : "",
	                 c->writer[0] ? c->writer : "an earlier version", when, text);
}

/* A note. The merged text of a conflict is a change of this cache's own (a clock, an operation
 * whose prev is the winner's): a compacted log, which keeps only its writer's fields, then
 * still carries it, and the other caches replace their copy of the same text cleanly. */
static int apply_note(struct store *s, const struct store_op *op, bool *changed, struct lerr *e)
{
	struct store_clock c, prev, mine;
	struct ustate u;
	if (clock_get(s, op->id, "note", &c, &prev, e) < 0 || ustate_get(s, op->id, &u, e) < 0)
		return -1;
	const char *cur = u.note ? u.note : "", *text = op->arg ? op->arg : "";
	int cmp = store_clock_cmp(&op->clock, &c), rc = 0;
	char *now = NULL;
	const struct store_clock *winner = NULL;   /* set when the two were merged */
	if (cmp > 0) {
		/* newer: it wins; what it did not see stays as a conflict line */
		bool seen = !store_clock_cmp(&op->prev, &c);
		if (!seen && *cur && !strstr(text, cur)) {
			now = note_conflict(text, cur, &c);
			winner = &op->clock;
		} else {
			now = xstrdup(text);
		}
		rc = clock_put(s, op->id, "note", &op->clock, &op->prev, e);
	} else if (cmp < 0 && store_clock_cmp(&prev, &op->clock) != 0 && *text && !strstr(cur, text)) {
		now = note_conflict(cur, text, &op->clock);   /* older, concurrent: kept, marked */
		winner = &c;
	}
	if (rc == 0 && now && strcmp(now, cur) != 0) {
		rc = write_text(s, SS_US_NOTE, op->id, now, e);
		*changed = true;
	}
	if (rc == 0 && winner && (rc = hlc_tick(s, &mine, e)) == 0 &&
	    (rc = clock_put(s, op->id, "note", &mine, winner, e)) == 0)
		store_op_push(s, "note", op->id, now, &mine, winner, 0, false);
	free(now);
	ustate_clear(&u);
	return rc;
}

static int apply_tag(struct store *s, const struct store_op *op, bool on, bool *changed,
                     struct lerr *e)
{
	if (!nonempty(op->arg) || strchr(op->arg, ' ')) {
		lerr_set(e, LERR_PARSE, 0, "a tag is one word");
		return -1;
	}
	char *field = tag_field(op->arg);
	struct store_clock c;
	struct ustate u = {0};
	int rc = clock_get(s, op->id, field, &c, NULL, e);
	if (rc == 0 && store_clock_cmp(&op->clock, &c) > 0 &&
	    (rc = clock_put(s, op->id, field, &op->clock, NULL, e)) == 0 &&
	    (rc = ustate_get(s, op->id, &u, e)) == 0 &&
	    has_tag(u.tags, op->arg, strlen(op->arg)) != on) {
		char *t = tags_with(u.tags, op->arg, on);
		rc = write_text(s, SS_US_TAGS, op->id, t, e);
		*changed = true;
		free(t);
	}
	ustate_clear(&u);
	free(field);
	return rc;
}

/* A favourite the cache does not know: its paper from the operation, as an import. */
static int adopt_paper(struct store *s, const struct paper *p, struct lerr *e)
{
	sqlite3_stmt *st = ss(s, SS_PAPER_EXISTS, e);
	if (!st)
		return -1;
	bind_str(st, 1, p->id);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc != SQLITE_DONE)
		return store_db_error(s, e, rc, "looking for the paper");
	struct paper q;
	paper_copy(&q, p);
	q.source_kind = PAPER_SRC_IMPORT;
	rc = store_upsert(s, &q, NULL, NULL, e);
	paper_clear(&q);
	return rc;
}

static int apply_flag(struct store *s, const struct flag *f, bool on, const struct store_op *op,
                      bool *changed, struct lerr *e)
{
	struct store_clock c;
	struct ustate u;
	if (clock_get(s, op->id, f->field, &c, NULL, e) < 0)
		return -1;
	if (store_clock_cmp(&op->clock, &c) <= 0)
		return 0;
	bool hide = f->write == SS_US_HIDE;
	if (clock_put(s, op->id, f->field, &op->clock, hide ? HIDE_VALUE(on) : NULL, e) < 0 ||
	    ustate_get(s, op->id, &u, e) < 0)
		return -1;
	int rc = 0;
	if (!hide && (u.flag[f->col] != 0) != on) {
		rc = write_flag(s, f, op->id, on, op->when, e);
		*changed = true;
	}
	if (rc == 0 && (hide || f->write == SS_US_FAV))
		rc = settle_hidden(s, op->id, changed, e);
	if (rc == 0 && on && op->paper && f->write == SS_US_FAV)
		rc = adopt_paper(s, op->paper, e);
	ustate_clear(&u);
	return rc;
}

static int apply(struct store *s, const struct store_op *op, bool *changed, struct lerr *e)
{
	bool on;
	const struct flag *f;
	if (op->clock.hlc > s->hlc_seen && hlc_seen(s, op->clock.hlc, e) < 0)
		return -1;
	if ((f = flag_of(op->op, &on)))
		return apply_flag(s, f, on, op, changed, e);
	if (!strcmp(op->op, "tag") || !strcmp(op->op, "untag"))
		return apply_tag(s, op, op->op[0] == 't', changed, e);
	if (!strcmp(op->op, "note"))
		return apply_note(s, op, changed, e);
	if (!strcmp(op->op, "watch") || !strcmp(op->op, "unwatch"))
		return apply_watch(s, op, op->op[0] == 'w', changed, e);
	lerr_set(e, LERR_PARSE, 0, "unknown operation \"%s\"", op->op);
	return -1;
}

int store_apply_op(struct store *s, const struct store_op *op, bool *changed, struct lerr *e)
{
	bool own, dummy = false;
	if (!changed)
		changed = &dummy;
	*changed = false;
	if (!nonempty(op->id) || !op->op) {
		lerr_set(e, LERR_PARSE, 0, "an operation needs a paper id");
		return -1;
	}
	if (txn_enter(s, &own, e) < 0)
		return -1;
	/* A bad operation (unknown kind, bad tag) fails alone, not the caller's transaction. */
	bool watch = !strcmp(op->op, "watch") || !strcmp(op->op, "unwatch");
	if (!flag_of(op->op, NULL) && strcmp(op->op, "tag") && strcmp(op->op, "untag") &&
	    strcmp(op->op, "note") && !watch) {
		lerr_set(e, LERR_PARSE, 0, "unknown operation \"%s\"", op->op);
		return own ? (store_rollback(s), -1) : -1;
	}
	if ((!strcmp(op->op, "tag") || !strcmp(op->op, "untag")) &&
	    (!nonempty(op->arg) || strchr(op->arg, ' '))) {
		lerr_set(e, LERR_PARSE, 0, "a tag is one word");
		return own ? (store_rollback(s), -1) : -1;
	}
	/* a watch: id "watch", "KIND VALUE" (a kind of letters: sync.c checks it is known) */
	if (watch != !strcmp(op->id, watch_id) ||
	    (watch && (!op->arg || strspn(op->arg, "abcdefghijklmnopqrstuvwxyz") == 0 ||
	               op->arg[strspn(op->arg, "abcdefghijklmnopqrstuvwxyz")] != ' ' ||
	               !op->arg[strspn(op->arg, "abcdefghijklmnopqrstuvwxyz") + 1]))) {
		lerr_set(e, LERR_PARSE, 0, watch ? "a watch is \"KIND VALUE\" of the id \"watch\""
		                                 : "\"watch\" is not a paper");
		return own ? (store_rollback(s), -1) : -1;
	}
	return txn_leave(s, own, apply(s, op, changed, e), e);
}

/* ---- snapshot -------------------------------------------------------------------------------- */

struct clock_row {
	char *field;
	struct store_clock c, prev;
};

/* The clock row of a field, or the zero clock. */
static void clock_of(const struct clock_row *rows, size_t n, const char *field,
                     const struct store_clock **c, const struct store_clock **prev)
{
	static const struct store_clock zero;
	*c = *prev = &zero;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(rows[i].field, field)) {
			*c = &rows[i].c;
			*prev = &rows[i].prev;
		}
}

/* The state of one paper, as operations (the fields writer wrote last; writer NULL: all). */
static int emit_state(struct store *s, const char *id, const char *writer, store_op_cb cb,
                      void *ctx, int *stop, struct lerr *e)
{
	struct ustate u;
	struct clock_row *rows = NULL;
	size_t n = 0;
	sqlite3_stmt *st = ss(s, SS_CLOCK_ALL, e);
	if (!st)
		return -1;
	bind_str(st, 1, id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		rows = xreallocarray(rows, n + 1, sizeof *rows);
		rows[n].field = xstrdup((const char *)sqlite3_column_text(st, 0));
		clock_set(&rows[n].c, sqlite3_column_int64(st, 1), (const char *)sqlite3_column_text(st, 2));
		clock_set(&rows[n].prev, sqlite3_column_int64(st, 3),
		          (const char *)sqlite3_column_text(st, 4));
		n++;
	}
	sqlite3_reset(st);
	rc = rc != SQLITE_DONE ? store_db_error(s, e, rc, "reading the clocks")
	     : ustate_get(s, id, &u, e);
	if (rc < 0) {
		for (size_t i = 0; i < n; i++)
			free(rows[i].field);
		free(rows);
		return -1;
	}
	#define WANTED(c) (!writer || !strcmp((c)->writer, writer))
	const struct store_clock *c, *pv;
	for (size_t i = 0; !*stop && i < ARRAY_LEN(flags); i++) {
		bool on = u.flag[flags[i].col] != 0;
		clock_of(rows, n, flags[i].field, &c, &pv);
		if (flags[i].write == SS_US_HIDE && c->hlc)
			on = pv->hlc != 0;   /* the register, not what a favourite masks */
		if ((!on && c->hlc == 0) || !WANTED(c))
			continue;
		struct paper p;
		bool with = on && flags[i].write == SS_US_FAV;
		paper_init(&p);
		if (with && store_get(s, id, &p, NULL) < 0)
			with = false;
		struct store_op op = {on ? flags[i].on_op : flags[i].off_op, id, NULL, *c, {0},
		                      on && flags[i].write == SS_US_FAV ? u.flag[1] : 0,
		                      with ? &p : NULL};
		*stop = cb(ctx, &op);
		paper_clear(&p);
	}
	clock_of(rows, n, "note", &c, &pv);
	if (!*stop && (nonempty(u.note) || c->hlc) && WANTED(c)) {
		struct store_op op = {"note", id, u.note ? u.note : "", *c, *pv, 0, NULL};
		*stop = cb(ctx, &op);
	}
	/* tags: each present one, then each removed one that has a clock */
	for (const char *w = u.tags ? u.tags : ""; !*stop && *w;) {
		w += strspn(w, " ");
		size_t k = strcspn(w, " ");
		if (k) {
			char *tag = xstrndup(w, k), *field = tag_field(tag);
			clock_of(rows, n, field, &c, &pv);
			struct store_op op = {"tag", id, tag, *c, {0}, 0, NULL};
			if (WANTED(c))
				*stop = cb(ctx, &op);
			free(tag);
			free(field);
		}
		w += k;
	}
	for (size_t i = 0; !*stop && rc == 0 && i < n; i++)
		if (!strncmp(rows[i].field, "watch:", 6) && WANTED(&rows[i].c))
			rc = emit_watch(s, rows[i].field, &rows[i].c, cb, ctx, stop, e);
	for (size_t i = 0; !*stop && i < n; i++) {
		const char *tag = rows[i].field + 4;
		if (strncmp(rows[i].field, "tag:", 4) || has_tag(u.tags, tag, strlen(tag)) ||
		    !WANTED(&rows[i].c))
			continue;
		struct store_op op = {"untag", id, tag, rows[i].c, {0}, 0, NULL};
		*stop = cb(ctx, &op);
	}
	#undef WANTED
	for (size_t i = 0; i < n; i++)
		free(rows[i].field);
	free(rows);
	ustate_clear(&u);
	return rc;
}

int store_each_state(struct store *s, const char *writer, store_op_cb cb, void *ctx,
                     struct lerr *e)
{
	/* its own statement: emit_state re-uses the cached ones while this one steps */
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(s->db, ss_sql[writer ? SS_IDS_OF : SS_IDS], -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_db_error(s, e, rc, "reading the user state");
	if (writer)
		bind_str(st, 1, writer);
	int stop = 0, ret = 0;
	while (!stop && ret == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		char *id = xstrdup((const char *)sqlite3_column_text(st, 0));
		ret = emit_state(s, id, writer, cb, ctx, &stop, e);
		free(id);
	}
	if (ret == 0 && !stop && rc != SQLITE_DONE)
		ret = store_db_error(s, e, rc, "reading the user state");
	sqlite3_finalize(st);
	return ret;
}

int store_sync_meta_get(struct store *s, const char *key, char **val, struct lerr *e)
{
	*val = NULL;
	sqlite3_stmt *st = ss(s, SS_META_GET, e);
	if (!st)
		return -1;
	bind_str(st, 1, key);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*val = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0
	       : store_db_error(s, e, rc, "reading the sync state");
}

int store_sync_meta_put(struct store *s, const char *key, const char *val, struct lerr *e)
{
	sqlite3_stmt *st = ss(s, SS_META_PUT, e);
	if (!st)
		return -1;
	bind_str(st, 1, key);
	bind_str(st, 2, val);
	return done(s, st, "saving the sync state", e);
}

/* ---- how far the folder's files were read ----------------------------------------------------- */

int store_sync_file_get(struct store *s, const char *name, struct store_sync_file *out,
                        struct lerr *e)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = ss(s, SS_FILE_GET, e);
	if (!st)
		return -1;
	bind_str(st, 1, name);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->dev = sqlite3_column_int64(st, 0);
		out->ino = sqlite3_column_int64(st, 1);
		size_t n = (size_t)sqlite3_column_bytes(st, 2);
		out->head_len = n < sizeof out->head ? n : sizeof out->head;
		if (out->head_len)
			memcpy(out->head, sqlite3_column_blob(st, 2), out->head_len);
		out->offset = sqlite3_column_int64(st, 3);
		out->line = sqlite3_column_int64(st, 4);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0
	       : store_db_error(s, e, rc, "reading the sync state");
}

int store_sync_file_put(struct store *s, const char *name, const struct store_sync_file *f,
                        struct lerr *e)
{
	if (s->readonly) {
		lerr_set(e, LERR_IO, 0, "the cache is read-only");
		return -1;
	}
	sqlite3_stmt *st = ss(s, SS_FILE_PUT, e);
	if (!st)
		return -1;
	bind_str(st, 1, name);
	sqlite3_bind_int64(st, 2, f->dev);
	sqlite3_bind_int64(st, 3, f->ino);
	sqlite3_bind_blob(st, 4, f->head, (int)f->head_len, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 5, f->offset);
	sqlite3_bind_int64(st, 6, f->line);
	return done(s, st, "saving the sync state", e);
}
