/* Unit tests of user state as operations (store_sync.c) and of the sync folder (sync.c): last
 * writer wins per field and per tag, concurrent notes converge with both kept, applying twice
 * changes nothing, local changes reach the hook only when they commit, the clock moves past what
 * it saw, a snapshot carries everything, and the migration from schema 9. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lectern/store.h"
#include "lectern/sync.h"
#include "../src/store_int.h"   /* s->db: the schema downgrade */
#include "undo.h"

static char tmpdir[512];

static const char *tmp_path(const char *name)
{
	static char buf[600];
	snprintf(buf, sizeof buf, "%s/%s", tmpdir, name);
	return buf;
}

static struct store *fresh(const char *name)
{
	struct lerr e = {0};
	unlink(tmp_path(name));
	struct store *s = store_open(tmp_path(name), 0, &e);
	if (!s)
		fail_msg("open %s: %s", name, e.msg);
	return s;
}

static void put_paper(struct store *s, const char *id, const char *title)
{
	struct paper p;
	struct lerr e = {0};
	paper_init(&p);
	p.id = xstrdup(id);
	p.title = xstrdup(title);
	p.source_kind = PAPER_SRC_ARXIV;
	paper_add_author(&p, "Ada Lovelace", NULL);
	p.url_abs = xasprintf("https://arxiv.org/abs/%s", id);
	assert_int_equal(store_upsert(s, &p, NULL, NULL, &e), 0);
	paper_clear(&p);
}

/* Applies one operation; returns whether it changed the state. */
static bool apply(struct store *s, const char *op, const char *id, const char *arg, int64_t hlc,
                  const char *w, int64_t phlc, const char *pw)
{
	struct store_op o = {.op = op, .id = id, .arg = arg};
	struct lerr e = {0};
	bool changed = false;
	o.clock.hlc = hlc;
	snprintf(o.clock.writer, sizeof o.clock.writer, "%s", w);
	o.prev.hlc = phlc;
	snprintf(o.prev.writer, sizeof o.prev.writer, "%s", pw ? pw : "");
	if (store_apply_op(s, &o, &changed, &e) < 0)
		fail_msg("apply %s %s: %s", op, id, e.msg);
	return changed;
}

struct user { bool fav, read, hidden; char *note, *tags; };

static struct user get(struct store *s, const char *id)
{
	struct paper p;
	struct lerr e = {0};
	struct user u = {0};
	paper_init(&p);
	if (store_get(s, id, &p, &e) < 0)
		fail_msg("get %s: %s", id, e.msg);
	u.fav = p.favourite;
	u.read = p.read;
	u.hidden = p.hidden;
	u.note = xstrdup(p.note ? p.note : "");
	u.tags = xstrdup(p.tags ? p.tags : "");
	paper_clear(&p);
	return u;
}

static void user_free(struct user *u)
{
	free(u->note);
	free(u->tags);
}

/* A flag: the newer clock wins whatever the order; an older one and a repeat change nothing. */
static void test_lww_flag(void **state)
{
	(void)state;
	struct store *s = fresh("flag.db");
	put_paper(s, "2501.00001", "One");
	assert_true(apply(s, "fav", "2501.00001", NULL, 500, "aa", 0, NULL));
	assert_false(apply(s, "fav", "2501.00001", NULL, 500, "aa", 0, NULL));   /* again */
	assert_false(apply(s, "unfav", "2501.00001", NULL, 300, "bb", 0, NULL)); /* older */
	struct user u = get(s, "2501.00001");
	assert_true(u.fav);
	user_free(&u);
	/* same HLC: the writer id decides ("bb" > "aa") */
	assert_true(apply(s, "unfav", "2501.00001", NULL, 500, "bb", 0, NULL));
	assert_true(apply(s, "read", "2501.00001", NULL, 600, "aa", 0, NULL));
	u = get(s, "2501.00001");
	assert_false(u.fav);
	assert_true(u.read);
	user_free(&u);
	store_close(&s);
}

/* Tags: each tag is its own field, so concurrent adds both survive; a removal wins over older
 * adds and loses to newer ones. */
static void test_lww_tags(void **state)
{
	(void)state;
	struct store *s = fresh("tags.db");
	put_paper(s, "2501.00002", "Two");
	assert_true(apply(s, "tag", "2501.00002", "ml", 100, "aa", 0, NULL));
	assert_true(apply(s, "tag", "2501.00002", "survey", 101, "bb", 0, NULL));
	assert_false(apply(s, "untag", "2501.00002", "ml", 50, "bb", 0, NULL));
	struct user u = get(s, "2501.00002");
	assert_string_equal(u.tags, "ml survey");
	user_free(&u);
	assert_true(apply(s, "untag", "2501.00002", "ML", 200, "bb", 0, NULL));   /* any case */
	assert_false(apply(s, "tag", "2501.00002", "ml", 150, "aa", 0, NULL));    /* older add */
	u = get(s, "2501.00002");
	assert_string_equal(u.tags, "survey");
	user_free(&u);
	struct store_op bad = {.op = "tag", .id = "2501.00002", .arg = "two words"};
	struct lerr e = {0};
	bad.clock.hlc = 999;
	assert_int_equal(store_apply_op(s, &bad, NULL, &e), -1);
	assert_int_equal(e.kind, LERR_PARSE);
	store_close(&s);
}

/* Concurrent notes: both orders give the same text, the later note first and the other as a
 * marked conflict line, once; an edit that saw the current note replaces it cleanly. */
static void test_note_conflict(void **state)
{
	(void)state;
	struct store *a = fresh("na.db"), *b = fresh("nb.db");
	put_paper(a, "2501.00003", "Three");
	put_paper(b, "2501.00003", "Three");
	int64_t ta = (int64_t)1733300000000 << 16, tb = ta + 1000;
	apply(a, "note", "2501.00003", "from a", ta, "aa", 0, NULL);
	apply(a, "note", "2501.00003", "from b", tb, "bb", 0, NULL);
	apply(b, "note", "2501.00003", "from b", tb, "bb", 0, NULL);
	apply(b, "note", "2501.00003", "from a", ta, "aa", 0, NULL);
	assert_false(apply(b, "note", "2501.00003", "from a", ta, "aa", 0, NULL));   /* once */
	struct user ua = get(a, "2501.00003"), ub = get(b, "2501.00003");
	assert_string_equal(ua.note, ub.note);
	assert_string_equal(ua.note, "from b\n[conflict: note of aa at 2024-12-04 08:13 UTC] from a");
	user_free(&ua);
	user_free(&ub);
	/* the merged note is a's own change now, made after the winner; an edit made after seeing
	 * it (prev = its clock) replaces it cleanly */
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(a->db, "SELECT hlc, writer, prev_hlc, prev_writer"
	                                    " FROM sync_clock WHERE field = 'note'", -1, &st, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int64_t mine = sqlite3_column_int64(st, 0);
	assert_true(mine > tb);
	assert_string_equal((const char *)sqlite3_column_text(st, 1), store_writer(a));
	assert_int_equal(sqlite3_column_int64(st, 2), tb);
	assert_string_equal((const char *)sqlite3_column_text(st, 3), "bb");
	sqlite3_finalize(st);
	assert_true(apply(a, "note", "2501.00003", "merged", mine + 5, "aa", mine, store_writer(a)));
	ua = get(a, "2501.00003");
	assert_string_equal(ua.note, "merged");
	user_free(&ua);
	/* a concurrent clear loses its note to nothing: the edit is kept as the conflict line */
	assert_true(apply(a, "note", "2501.00003", "", mine + 9, "bb", 0, NULL));
	ua = get(a, "2501.00003");
	char want[128];
	time_t secs = (time_t)(((mine + 5) >> 16) / 1000);
	struct tm tm;
	gmtime_r(&secs, &tm);
	strftime(want, sizeof want, "[conflict: note of aa at %Y-%m-%d %H:%M UTC] merged", &tm);
	assert_string_equal(ua.note, want);
	user_free(&ua);
	store_close(&a);
	store_close(&b);
}

struct captured {
	char lines[16][160];
	int64_t clock[16];
	int n;
	bool fail;
};

static int capture(void *ctx, const struct store_op *ops, size_t n, struct lerr *e)
{
	struct captured *c = ctx;
	if (c->fail) {
		lerr_set(e, LERR_IO, 0, "disk full");
		return -1;
	}
	for (size_t i = 0; i < n && c->n < 16; i++) {
		c->clock[c->n] = ops[i].clock.hlc;
		snprintf(c->lines[c->n++], sizeof c->lines[0], "%s %s %s %s", ops[i].op, ops[i].id,
		         ops[i].arg ? ops[i].arg : "-",
		         ops[i].paper && ops[i].paper->title ? ops[i].paper->title : "-");
	}
	return 0;
}

/* Local changes: one operation per real change, handed over at commit (none after a
 * rollback), a failing hook undoes the change, and each clock is newer than all seen. */
static void test_local_ops(void **state)
{
	(void)state;
	struct store *s = fresh("local.db");
	struct captured c = {0};
	struct lerr e = {0};
	put_paper(s, "2501.00004", "Four");
	store_set_op_hook(s, capture, &c);
	assert_int_equal(store_set_favourite(s, "2501.00004v2", true, &e), 0);
	assert_int_equal(store_set_favourite(s, "2501.00004", true, &e), 0);   /* no change */
	assert_int_equal(store_set_tags(s, "2501.00004", "ml survey", &e), 0);
	assert_int_equal(store_set_tags(s, "2501.00004", "survey", &e), 0);
	assert_int_equal(store_set_note(s, "2501.00004", "hello", &e), 0);
	assert_int_equal(c.n, 5);
	assert_string_equal(c.lines[0], "fav 2501.00004 - Four");
	assert_string_equal(c.lines[1], "tag 2501.00004 ml -");
	assert_string_equal(c.lines[2], "tag 2501.00004 survey -");
	assert_string_equal(c.lines[3], "untag 2501.00004 ml -");
	assert_string_equal(c.lines[4], "note 2501.00004 hello -");
	/* a transaction rolled back logs nothing */
	assert_int_equal(store_begin(s, &e), 0);
	assert_int_equal(store_set_read(s, "2501.00004", true, &e), 0);
	store_rollback(s);
	assert_int_equal(c.n, 5);
	/* a hook that fails: the change is not made */
	c.fail = true;
	assert_int_equal(store_set_read(s, "2501.00004", true, &e), -1);
	assert_string_equal(e.msg, "disk full");
	c.fail = false;
	struct user u = get(s, "2501.00004");
	assert_false(u.read);
	user_free(&u);
	/* the clock moves past one seen from elsewhere */
	int64_t far = ((int64_t)4102444800000 << 16);   /* 2100 */
	apply(s, "tag", "2501.00004", "later", far, "ff", 0, NULL);
	struct captured d = {0};
	store_set_op_hook(s, capture, &d);
	assert_int_equal(store_set_read(s, "2501.00004", true, &e), 0);
	store_set_op_hook(s, NULL, NULL);
	struct store_clock rc;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(s->db, "SELECT hlc FROM sync_clock WHERE field = 'read'",
	                                    -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	rc.hlc = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	assert_true(rc.hlc > far);
	store_close(&s);
}

static int count_op(void *ctx, const struct store_op *op)
{
	struct sbuf *b = ctx;
	sbuf_printf(b, "%s %s %s|", op->op, op->id, op->arg ? op->arg : "-");
	return 0;
}

/* A snapshot holds every value and every removal (so an older add elsewhere loses to it). */
static void test_snapshot(void **state)
{
	(void)state;
	struct store *s = fresh("snap.db");
	struct lerr e = {0};
	put_paper(s, "2501.00005", "Five");
	assert_int_equal(store_set_favourite(s, "2501.00005", true, &e), 0);
	assert_int_equal(store_set_tags(s, "2501.00005", "a b", &e), 0);
	assert_int_equal(store_set_tags(s, "2501.00005", "b", &e), 0);
	assert_int_equal(store_set_read(s, "2501.00006", true, &e), 0);
	assert_int_equal(store_set_read(s, "2501.00006", false, &e), 0);
	struct sbuf b = {0};
	assert_int_equal(store_each_state(s, NULL, count_op, &b, &e), 0);
	assert_string_equal(b.s, "fav 2501.00005 -|tag 2501.00005 b|untag 2501.00005 a|"
	                         "unread 2501.00006 -|");
	sbuf_free(&b);
	store_close(&s);
}

/* A schema-10 cache (the sync tables and versions 12-14's taken away again) migrates: a writer id appears, its user
 * state is kept and given clocks of now by that writer (tags one by one), so this cache's
 * snapshot carries it, and the next change is later still. */
static void test_migrate_v10(void **state)
{
	(void)state;
	struct store *s = fresh("v9.db");
	struct lerr e = {0};
	put_paper(s, "2501.00007", "Seven");
	assert_int_equal(store_set_favourite(s, "2501.00007", true, &e), 0);
	assert_int_equal(store_set_note(s, "2501.00007", "kept", &e), 0);
	assert_int_equal(store_set_tags(s, "2501.00007", "ML survey", &e), 0);
	assert_int_equal(store_set_hidden(s, "2501.00008", true, &e), 0);
	assert_int_equal(store_watch_add(s, STORE_WATCH_AUTHOR, "Ada Lovelace", &e), 0);
	assert_int_equal(sqlite3_exec(s->db, UNDO_V11 " PRAGMA user_version = 10;", NULL, NULL,
	                              NULL), SQLITE_OK);
	store_close(&s);
	s = store_open(tmp_path("v9.db"), 0, &e);
	assert_non_null(s);
	assert_int_equal(strlen(store_writer(s)), 16);
	struct user u = get(s, "2501.00007");
	assert_true(u.fav);
	assert_string_equal(u.note, "kept");
	user_free(&u);
	struct sbuf b = {0};
	assert_int_equal(store_each_state(s, store_writer(s), count_op, &b, &e), 0);
	assert_string_equal(b.s, "fav 2501.00007 -|note 2501.00007 kept|tag 2501.00007 ML|"
	                         "tag 2501.00007 survey|hide 2501.00008 -|"
	                         "watch watch author Ada Lovelace|");
	sbuf_free(&b);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(s->db, "SELECT group_concat(field, ' '), min(hlc)"
	                                    " FROM sync_clock", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0),
	                    "fav note tag:ml tag:survey hide watch:author:Ada Lovelace");
	int64_t migrated = sqlite3_column_int64(st, 1);
	sqlite3_finalize(st);
	assert_true(migrated > ((int64_t)1700000000000 << 16));
	struct captured c = {0};
	store_set_op_hook(s, capture, &c);
	assert_int_equal(store_set_read(s, "2501.00007", true, &e), 0);
	store_set_op_hook(s, NULL, NULL);
	assert_int_equal(c.n, 1);
	assert_true(c.clock[0] > migrated);
	store_close(&s);
}

/* The folder: a line appended by one cache reaches another; re-reading changes nothing. */
static void test_folder_roundtrip(void **state)
{
	(void)state;
	struct store *a = fresh("fa.db"), *b = fresh("fb.db");
	struct lerr e = {0};
	struct sync_stats st;
	const char *dir = tmp_path("folder");
	char dirbuf[600];
	snprintf(dirbuf, sizeof dirbuf, "%s", dir);
	put_paper(a, "2501.00008", "Eight: a title");
	struct sync *ya = sync_open(a, dirbuf, NULL, NULL, &e), *yb = sync_open(b, dirbuf, NULL, NULL, &e);
	assert_non_null(ya);
	assert_non_null(yb);
	assert_int_equal(store_set_favourite(a, "2501.00008", true, &e), 0);
	assert_int_equal(sync_run(yb, false, &st, &e), 0);
	assert_int_equal(st.changed, 1);
	struct user u = get(b, "2501.00008");   /* the paper itself came with the favourite */
	assert_true(u.fav);
	user_free(&u);
	assert_int_equal(sync_run(yb, false, &st, &e), 0);
	assert_int_equal(st.changed, 0);
	assert_int_equal(st.ops, 0);   /* nothing new was read */
	sync_close(&ya);
	sync_close(&yb);
	store_close(&a);
	store_close(&b);
}

/* hide against favourite: each is last writer wins, a favourite masks a hide, and the hide
 * decides again after an unfavourite older than it. Every order of arrival ends the same. */
static void test_hide_fav_crossing(void **state)
{
	(void)state;
	static const struct {
		int64_t hide, fav, unfav;
		bool hidden;        /* after all three */
	} cases[] = {
		{500, 400, 450, true},    /* the hide is the newest: hidden once no longer a favourite */
		{400, 500, 600, false},   /* the favourite came after the hide: shown for good */
		{500, 400, 600, false},   /* the unfavourite came after the hide: shown */
	};
	static const int orders[6][3] = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2},
	                                 {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		for (size_t o = 0; o < 6; o++) {
			struct store *s = fresh("cross.db");
			put_paper(s, "2501.00011", "Eleven");
			for (int i = 0; i < 3; i++) {
				int which = orders[o][i];
				if (which == 0)
					apply(s, "hide", "2501.00011", NULL, cases[k].hide, "aa", 0, NULL);
				else if (which == 1)
					apply(s, "fav", "2501.00011", NULL, cases[k].fav, "bb", 0, NULL);
				else
					apply(s, "unfav", "2501.00011", NULL, cases[k].unfav, "bb", 0, NULL);
				struct user u = get(s, "2501.00011");
				assert_false(u.fav && u.hidden);   /* a favourite is never hidden */
				user_free(&u);
			}
			struct user u = get(s, "2501.00011");
			assert_false(u.fav);
			if (u.hidden != cases[k].hidden)
				fail_msg("case %zu, order %zu: hidden %d", k, o, u.hidden);
			user_free(&u);
			/* the snapshot carries the hide itself, not what the favourite masked */
			struct sbuf b = {0};
			struct lerr e = {0};
			assert_int_equal(store_each_state(s, NULL, count_op, &b, &e), 0);
			assert_string_equal(b.s, "unfav 2501.00011 -|hide 2501.00011 -|");
			sbuf_free(&b);
			store_close(&s);
		}
	}
	/* hide and favourite only: the favourite shows, whichever is newer */
	struct store *s = fresh("cross.db");
	put_paper(s, "2501.00011", "Eleven");
	assert_true(apply(s, "fav", "2501.00011", NULL, 400, "bb", 0, NULL));
	assert_false(apply(s, "hide", "2501.00011", NULL, 500, "aa", 0, NULL));
	struct user u = get(s, "2501.00011");
	assert_true(u.fav);
	assert_false(u.hidden);
	user_free(&u);
	store_close(&s);
}

/* Local hides: logged as operations; a favourite cannot be hidden (nothing is logged). */
static void test_hide_local(void **state)
{
	(void)state;
	struct store *s = fresh("hide.db");
	struct captured c = {0};
	struct lerr e = {0};
	put_paper(s, "2501.00012", "Twelve");
	store_set_op_hook(s, capture, &c);
	assert_int_equal(store_set_hidden(s, "2501.00012", true, &e), 0);
	assert_int_equal(store_set_hidden(s, "2501.00012", true, &e), 0);   /* no change */
	assert_int_equal(store_set_favourite(s, "2501.00012", true, &e), 0);   /* unhides */
	struct user u = get(s, "2501.00012");
	assert_true(u.fav);
	assert_false(u.hidden);
	user_free(&u);
	assert_int_equal(store_set_hidden(s, "2501.00012", true, &e), -1);
	assert_int_equal(e.kind, LERR_USAGE);
	assert_non_null(strstr(e.msg, "a favourite cannot be hidden"));
	assert_int_equal(store_set_favourite(s, "2501.00012", false, &e), 0);
	assert_int_equal(store_set_hidden(s, "2501.00012", true, &e), 0);
	assert_int_equal(store_set_hidden(s, "2501.00012", false, &e), 0);
	assert_int_equal(c.n, 5);
	assert_string_equal(c.lines[0], "hide 2501.00012 - -");
	assert_string_equal(c.lines[1], "fav 2501.00012 - Twelve");
	assert_string_equal(c.lines[2], "unfav 2501.00012 - -");
	assert_string_equal(c.lines[3], "hide 2501.00012 - -");
	assert_string_equal(c.lines[4], "unhide 2501.00012 - -");
	store_set_op_hook(s, NULL, NULL);
	store_close(&s);
}

/* Three caches, one folder: a hide on A reaches B; a favourite on B crossing a hide on A ends
 * the same in A, B and a cache restored from the folder alone, and so after an unfavourite. */
static void test_hide_folder(void **state)
{
	(void)state;
	struct store *a = fresh("ha.db"), *b = fresh("hb.db"), *c = fresh("hc.db");
	struct lerr e = {0};
	struct sync_stats st;
	char dir[600];
	snprintf(dir, sizeof dir, "%s", tmp_path("hfolder"));
	const char *ids[] = {"2501.00021", "2501.00022"};
	for (size_t i = 0; i < 2; i++) {
		put_paper(a, ids[i], "A paper");
		put_paper(b, ids[i], "A paper");
		put_paper(c, ids[i], "A paper");
	}
	struct sync *ya = sync_open(a, dir, NULL, NULL, &e), *yb = sync_open(b, dir, NULL, NULL, &e);
	assert_non_null(ya);
	assert_non_null(yb);
	assert_int_equal(store_set_hidden(a, ids[0], true, &e), 0);
	assert_int_equal(sync_run(yb, false, &st, &e), 0);
	assert_int_equal(st.changed, 1);
	struct user u = get(b, ids[0]);
	assert_true(u.hidden);
	user_free(&u);
	/* the crossing */
	assert_int_equal(store_set_hidden(a, ids[1], true, &e), 0);
	assert_int_equal(store_set_favourite(b, ids[1], true, &e), 0);
	assert_int_equal(sync_run(ya, false, &st, &e), 0);
	assert_int_equal(sync_run(yb, false, &st, &e), 0);
	struct user ua = get(a, ids[1]), ub = get(b, ids[1]);
	assert_true(ua.fav);   /* a favourite is never lost to a hide */
	assert_true(ub.fav);
	assert_false(ua.hidden);
	assert_false(ub.hidden);
	user_free(&ua);
	user_free(&ub);
	/* B unfavourites after seeing the hide: the unfavourite is newer, so it shows */
	assert_int_equal(store_set_favourite(b, ids[1], false, &e), 0);
	assert_int_equal(sync_run(ya, false, &st, &e), 0);
	assert_int_equal(sync_run(yb, false, &st, &e), 0);
	struct sync *yc = sync_open(c, dir, NULL, NULL, &e);
	assert_non_null(yc);
	assert_int_equal(sync_run(yc, false, &st, &e), 0);
	ua = get(a, ids[1]);
	ub = get(b, ids[1]);
	struct user uc = get(c, ids[1]);
	assert_false(ua.fav);
	assert_false(ub.fav);
	assert_false(uc.fav);
	assert_false(ua.hidden);   /* the unfavourite is newer than the hide */
	assert_false(ub.hidden);
	assert_false(uc.hidden);
	user_free(&ua);
	user_free(&ub);
	user_free(&uc);
	u = get(c, ids[0]);
	assert_true(u.hidden);
	user_free(&u);
	sync_close(&ya);
	sync_close(&yb);
	sync_close(&yc);
	store_close(&a);
	store_close(&b);
	store_close(&c);
}

/* The watches of a cache as "kind value|..." ("(config)" after one from the config). */
static char *watches(struct store *s)
{
	struct store_watch *w;
	size_t n;
	struct lerr e = {0};
	struct sbuf b = {0};
	assert_int_equal(store_watch_list(s, &w, &n, &e), 0);
	for (size_t i = 0; i < n; i++)
		sbuf_printf(&b, "%s %s%s|", store_watch_kind_name(w[i].kind), w[i].value,
		            w[i].config ? " (config)" : "");
	store_watches_free(w, n);
	return b.s ? b.s : xstrdup("");
}

static void assert_watches(struct store *s, const char *want)
{
	char *got = watches(s);
	assert_string_equal(got, want);
	free(got);
}

/* Watches travel like tags: an add and a removal reach the other caches, concurrent adds both
 * survive, a fresh cache gets them from the folder alone; the config's are never logged. */
static void test_watch_folder(void **state)
{
	(void)state;
	struct store *a = fresh("wa.db"), *b = fresh("wb.db"), *c = fresh("wc.db");
	struct lerr e = {0};
	struct sync_stats st;
	struct captured cap = {0};
	char dir[600];
	snprintf(dir, sizeof dir, "%s", tmp_path("wfolder"));
	store_watch_config(a, STORE_WATCH_WORD, "transformer");   /* A's config: stays A's */
	struct sync *ya = sync_open(a, dir, NULL, NULL, &e), *yb = sync_open(b, dir, NULL, NULL, &e);
	assert_non_null(ya);
	assert_non_null(yb);
	assert_int_equal(store_watch_add(a, STORE_WATCH_AUTHOR, "Yoshua Bengio", &e), 0);
	assert_int_equal(sync_run(yb, false, &st, &e), 0);
	assert_int_equal(st.changed, 1);
	assert_watches(b, "author Yoshua Bengio|");
	/* concurrent adds both survive */
	assert_int_equal(store_watch_add(a, STORE_WATCH_WORD, "diffusion", &e), 0);
	assert_int_equal(store_watch_add(b, STORE_WATCH_CAT, "cs.LG", &e), 0);
	assert_int_equal(sync_run(ya, false, &st, &e), 0);
	assert_int_equal(sync_run(yb, false, &st, &e), 0);
	assert_watches(a, "word transformer (config)|author Yoshua Bengio|cat cs.LG|word diffusion|");
	assert_watches(b, "author Yoshua Bengio|cat cs.LG|word diffusion|");
	/* a removal propagates; applying the folder again changes nothing */
	assert_int_equal(store_watch_remove(b, STORE_WATCH_AUTHOR, "Yoshua Bengio", &e), 0);
	assert_int_equal(sync_run(ya, false, &st, &e), 0);
	assert_int_equal(st.changed, 1);
	assert_int_equal(sync_run(ya, false, &st, &e), 0);
	assert_int_equal(st.changed, 0);
	assert_watches(a, "word transformer (config)|cat cs.LG|word diffusion|");
	/* the config's watch cannot be removed, and nothing about it is logged */
	store_set_op_hook(a, capture, &cap);
	assert_int_equal(store_watch_remove(a, STORE_WATCH_WORD, "transformer", &e), -1);
	assert_int_equal(e.kind, LERR_USAGE);
	assert_int_equal(cap.n, 0);
	store_set_op_hook(a, NULL, NULL);
	sync_close(&ya);   /* (the hook above replaced sync's: A logs nothing more here) */
	/* a fresh cache: everything from the folder alone */
	struct sync *yc = sync_open(c, dir, NULL, NULL, &e);
	assert_non_null(yc);
	assert_int_equal(sync_run(yc, false, &st, &e), 0);
	assert_watches(c, "cat cs.LG|word diffusion|");
	/* and from B's compacted log as well */
	assert_int_equal(sync_run(yb, true, &st, &e), 0);
	struct store *d = fresh("wd.db");
	struct sync *yd = sync_open(d, dir, NULL, NULL, &e);
	assert_non_null(yd);
	assert_int_equal(sync_run(yd, false, &st, &e), 0);
	assert_watches(d, "cat cs.LG|word diffusion|");
	sync_close(&yb);
	sync_close(&yc);
	sync_close(&yd);
	store_close(&a);
	store_close(&b);
	store_close(&c);
	store_close(&d);
}

int main(void)
{
	const char *base = getenv("TMPDIR_TEST");
	snprintf(tmpdir, sizeof tmpdir, "%s/sync-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lww_flag),
		cmocka_unit_test(test_lww_tags),
		cmocka_unit_test(test_note_conflict),
		cmocka_unit_test(test_local_ops),
		cmocka_unit_test(test_snapshot),
		cmocka_unit_test(test_migrate_v10),
		cmocka_unit_test(test_folder_roundtrip),
		cmocka_unit_test(test_hide_fav_crossing),
		cmocka_unit_test(test_hide_local),
		cmocka_unit_test(test_hide_folder),
		cmocka_unit_test(test_watch_folder),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
