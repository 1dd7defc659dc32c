/* sync — the operation log in a folder: writing this cache's lines, reading everyone's from where
 * it stopped, compaction, and the same lines as an export (sync.h). The rule that decides
 * between operations is the store's (store_apply_op); this file moves lines. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "lectern/paper.h"
#include "lectern/sync.h"
#include "lectern/text.h"

/* What an operation carries besides its id and clock. */
enum carry { CARRY_NONE, CARRY_PAPER, CARRY_TAG, CARRY_TEXT, CARRY_WATCH };

/* The operations: a new kind is one row (its name, what it carries, how it is applied). */
static const struct kind {
	const char *name;
	enum carry carry;
	int (*apply)(struct store *s, const struct store_op *op, bool *changed, struct lerr *e);
} kinds[] = {
	{"fav", CARRY_PAPER, store_apply_op},
	{"unfav", CARRY_NONE, store_apply_op},
	{"read", CARRY_NONE, store_apply_op},
	{"unread", CARRY_NONE, store_apply_op},
	{"hide", CARRY_NONE, store_apply_op},
	{"unhide", CARRY_NONE, store_apply_op},
	{"tag", CARRY_TAG, store_apply_op},
	{"untag", CARRY_TAG, store_apply_op},
	{"note", CARRY_TEXT, store_apply_op},
	{"watch", CARRY_WATCH, store_apply_op},     /* id "watch"; "kind", "value" */
	{"unwatch", CARRY_WATCH, store_apply_op},
};

static const struct kind *kind_of(const char *name)
{
	for (size_t i = 0; i < ARRAY_LEN(kinds); i++)
		if (!strcmp(name, kinds[i].name))
			return &kinds[i];
	return NULL;
}

struct sync {
	struct store *s;
	char *dir, *own_name, *own_path;
	sync_warn_fn warn;
	void *ctx;
};

static void say(sync_warn_fn warn, void *ctx, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void say(sync_warn_fn warn, void *ctx, const char *fmt, ...)
{
	if (!warn)
		return;
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	warn(ctx, msg);
}

/* ---- writing lines ---------------------------------------------------------------------------- */

static void put_str(struct json_object *o, const char *key, const char *v)
{
	if (v)
		json_object_object_add(o, key, json_object_new_string(v));
}

static void line_of(struct sbuf *b, const struct store_op *op)
{
	const struct kind *k = kind_of(op->op);
	struct json_object *o = json_object_new_object();
	put_str(o, "op", op->op);
	put_str(o, "id", op->id);
	json_object_object_add(o, "t", json_object_new_int64(op->clock.hlc));
	put_str(o, "w", op->clock.writer);
	if (k && k->carry == CARRY_TAG) {
		put_str(o, "tag", op->arg ? op->arg : "");
	} else if (k && k->carry == CARRY_WATCH && op->arg && strchr(op->arg, ' ')) {
		char *kind = xstrndup(op->arg, (size_t)(strchr(op->arg, ' ') - op->arg));
		put_str(o, "kind", kind);
		put_str(o, "value", strchr(op->arg, ' ') + 1);
		free(kind);
	} else if (k && k->carry == CARRY_TEXT) {
		put_str(o, "text", op->arg ? op->arg : "");
		json_object_object_add(o, "pt", json_object_new_int64(op->prev.hlc));
		put_str(o, "pw", op->prev.writer);
	} else if (k && k->carry == CARRY_PAPER) {
		if (op->when > 0)
			json_object_object_add(o, "when", json_object_new_int64(op->when));
		const struct paper *p = op->paper;
		if (p) {
			put_str(o, "title", p->title);
			struct json_object *a = json_object_new_array();
			for (size_t i = 0; i < p->n_authors; i++)
				json_object_array_add(a, json_object_new_string(p->authors[i].name));
			json_object_object_add(o, "authors", a);
			struct json_object *l = json_object_new_object();
			put_str(l, "abs", p->url_abs);
			put_str(l, "pdf", p->url_pdf);
			put_str(l, "code", p->url_code);
			put_str(l, "project", p->url_project);
			put_str(l, "hf", p->url_hf);
			json_object_object_add(o, "links", l);
		}
	}
	sbuf_adds(b, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	                                               JSON_C_TO_STRING_NOSLASHESCAPE));
	sbuf_addc(b, '\n');
	json_object_put(o);
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static void fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* This cache's file, opened for appending and locked: when compaction replaced it between the
 * open and the lock, the new one is opened. -1 with e set. */
static int open_own_locked(struct sync *y, int flags, struct lerr *e)
{
	for (int tries = 0; tries < 5; tries++) {
		int fd = open(y->own_path, flags | O_CREAT | O_CLOEXEC, 0644);
		if (fd < 0)
			break;
		struct stat a, b;
		if (flock(fd, LOCK_EX) == 0 && fstat(fd, &a) == 0 && stat(y->own_path, &b) == 0 &&
		    a.st_ino == b.st_ino && a.st_dev == b.st_dev)
			return fd;
		close(fd);
	}
	lerr_set(e, LERR_IO, errno, "%s: %s", y->own_path, strerror(errno));
	return -1;
}

/* The store's hook: the transaction's operations, appended and on disk before it commits. */
static int append_ops(void *ctx, const struct store_op *ops, size_t n, struct lerr *e)
{
	struct sync *y = ctx;
	struct sbuf b = {0};
	for (size_t i = 0; i < n; i++)
		line_of(&b, &ops[i]);
	int fd = open_own_locked(y, O_WRONLY | O_APPEND, e);
	if (fd < 0) {
		sbuf_free(&b);
		return -1;
	}
	int rc = write_all(fd, b.s, b.len) < 0 || fsync(fd) < 0 ? -1 : 0;
	if (rc < 0)
		lerr_set(e, LERR_IO, errno, "cannot write the sync log %s: %s", y->own_path,
		         strerror(errno));
	close(fd);
	sbuf_free(&b);
	return rc;
}

/* ---- reading lines ---------------------------------------------------------------------------- */

/* One operation read from a line, owning its strings. */
struct op_in {
	struct store_op op;
	char *id, *arg, *writer_copy;
	struct paper *paper;
	const char *file;   /* borrowed from the caller's list of names */
	long line;
	size_t seq;
};

static void op_in_free(struct op_in *o)
{
	free(o->id);
	free(o->arg);
	free(o->writer_copy);
	if (o->paper) {
		paper_clear(o->paper);
		free(o->paper);
	}
}

struct ops {
	struct op_in *v;
	size_t n, cap;
};

static void ops_free(struct ops *o)
{
	for (size_t i = 0; i < o->n; i++)
		op_in_free(&o->v[i]);
	free(o->v);
	memset(o, 0, sizeof *o);
}

static const char *get_str(struct json_object *o, const char *key)
{
	struct json_object *v;
	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static bool get_i64(struct json_object *o, const char *key, int64_t *out)
{
	struct json_object *v;
	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_int))
		return false;
	*out = json_object_get_int64(v);
	return true;
}

static bool valid_writer(const char *w, bool empty_ok)
{
	size_t n = strlen(w);
	if (n == 0)
		return empty_ok;
	if (n > 16)
		return false;
	for (; *w; w++)
		if (!((*w >= '0' && *w <= '9') || (*w >= 'a' && *w <= 'f')))
			return false;
	return true;
}

/* Cleaned text (feed text's rules), cut to max bytes at a character boundary (*cut says so). */
static char *clean_text(const char *s, int flags, size_t max, bool *cut)
{
	char *c = text_clean(s, strlen(s), flags);
	size_t n = strlen(c);
	*cut = n > max;
	if (*cut) {
		n = max;
		while (n && ((unsigned char)c[n] & 0xC0) == 0x80)
			n--;
		c[n] = 0;
	}
	return c;
}

static bool http_url(const char *u)
{
	return u && (!strncmp(u, "https://", 8) || !strncmp(u, "http://", 7)) && strlen(u) < 2048;
}

static struct paper *paper_of(struct json_object *o, const char *id)
{
	struct paper *p = xmalloc(sizeof *p);
	bool cut;
	paper_init(p);
	p->id = xstrdup(id);
	const char *t = get_str(o, "title");
	if (t && *t) {
		char *c = clean_text(t, TEXT_COLLAPSE, SYNC_MAX_TITLE, &cut);
		p->title = *c ? c : (free(c), NULL);
	}
	struct json_object *a, *l;
	if (json_object_object_get_ex(o, "authors", &a) && json_object_is_type(a, json_type_array)) {
		size_t n = json_object_array_length(a);
		for (size_t i = 0; i < n && i < 1000; i++) {
			struct json_object *v = json_object_array_get_idx(a, i);
			if (!json_object_is_type(v, json_type_string))
				continue;
			char *c = clean_text(json_object_get_string(v), TEXT_COLLAPSE, 300, &cut);
			if (*c)
				paper_add_author(p, c, NULL);
			free(c);
		}
	}
	if (json_object_object_get_ex(o, "links", &l) && json_object_is_type(l, json_type_object)) {
		static const char *const keys[] = {"abs", "pdf", "code", "project", "hf"};
		char **f[] = {&p->url_abs, &p->url_pdf, &p->url_code, &p->url_project, &p->url_hf};
		for (size_t i = 0; i < ARRAY_LEN(keys); i++) {
			const char *u = get_str(l, keys[i]);
			if (http_url(u) && !strpbrk(u, " \t\r\n"))
				*f[i] = xstrdup(u);
		}
	}
	return p;
}

/* Parses one line into *out; returns 0, or -1 with msg (the line is then skipped). */
static int parse_op(struct json_tokener *tok, const char *line, size_t len, struct op_in *out,
                    char *msg, size_t msgn, const char *name, long lineno, sync_warn_fn warn,
                    void *ctx)
{
	memset(out, 0, sizeof *out);
	if (len > SYNC_MAX_LINE) {
		snprintf(msg, msgn, "longer than %d bytes", SYNC_MAX_LINE);
		return -1;
	}
	json_tokener_reset(tok);
	struct json_object *o = json_tokener_parse_ex(tok, line, (int)len);
	bool whole = o && json_tokener_get_error(tok) == json_tokener_success &&
	             strspn(line + json_tokener_get_parse_end(tok), " \t\r") ==
	             len - json_tokener_get_parse_end(tok);
	if (!whole || !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		snprintf(msg, msgn, "not a JSON object");
		return -1;
	}
	const char *op = get_str(o, "op"), *id = get_str(o, "id"), *w = get_str(o, "w");
	const struct kind *k = op ? kind_of(op) : NULL;
	int64_t t = 0;
	int rc = -1;
	bool cut = false;
	if (!op)
		snprintf(msg, msgn, "no \"op\"");
	else if (!k)
		snprintf(msg, msgn, "unknown operation \"%.40s\" (from a newer lectern?)", op);
	else if (k->carry == CARRY_WATCH ? !id || strcmp(id, "watch")
	                                 : !id || !paper_valid_id(id) || strlen(id) > 512)
		snprintf(msg, msgn, k->carry == CARRY_WATCH ? "\"id\" of a watch is not \"watch\""
		                                            : "\"id\" is not a paper id");
	else if (!get_i64(o, "t", &t) || t <= 0 || !w || !valid_writer(w, false))
		snprintf(msg, msgn, "no valid clock (\"t\" and \"w\")");
	else
		rc = 0;
	if (rc == 0) {
		out->id = xstrdup(id);
		out->writer_copy = xstrdup(w);
		out->op.op = k->name;
		out->op.id = out->id;
		out->op.clock.hlc = t;
		snprintf(out->op.clock.writer, sizeof out->op.clock.writer, "%s", w);
	}
	if (rc == 0 && k->carry == CARRY_TAG) {
		const char *tag = get_str(o, "tag");
		char *n = paper_normalise_tags(tag ? tag : "");
		if (!*n || strchr(n, ' ') || strlen(n) > 100) {
			snprintf(msg, msgn, "\"tag\" is not one tag");
			free(n);
			rc = -1;
		} else {
			out->arg = n;
		}
	} else if (rc == 0 && k->carry == CARRY_TEXT) {
		const char *text = get_str(o, "text"), *pw = get_str(o, "pw");
		int64_t pt = 0;
		get_i64(o, "pt", &pt);
		if (!text || pt < 0 || (pw && !valid_writer(pw, true))) {
			snprintf(msg, msgn, "no valid \"text\" (or \"pt\", \"pw\")");
			rc = -1;
		} else {
			out->arg = clean_text(text, 0, SYNC_MAX_NOTE, &cut);
			if (cut)
				say(warn, ctx, "%s:%ld: the note is longer than %d bytes; its end was cut",
				    name, lineno, SYNC_MAX_NOTE);
			out->op.prev.hlc = pt;
			snprintf(out->op.prev.writer, sizeof out->op.prev.writer, "%s", pw ? pw : "");
		}
	} else if (rc == 0 && k->carry == CARRY_WATCH) {
		const char *kind = get_str(o, "kind"), *value = get_str(o, "value");
		char *v = value ? clean_text(value, TEXT_COLLAPSE, SYNC_MAX_WATCH, &cut) : NULL;
		if (!kind || store_watch_kind_parse(kind) < 0 || !v || !*v || cut) {
			snprintf(msg, msgn, "no valid \"kind\" (author, word, cat) and \"value\"");
			rc = -1;
		} else {
			out->arg = xasprintf("%s %s", kind, v);
		}
		free(v);
	} else if (rc == 0 && k->carry == CARRY_PAPER) {
		get_i64(o, "when", &out->op.when);
		out->paper = paper_of(o, id);
	}
	json_object_put(o);
	if (rc < 0) {
		op_in_free(out);
		memset(out, 0, sizeof *out);
		return -1;
	}
	out->op.arg = out->arg;
	out->op.paper = out->paper;
	/* a clock far in the future would win over everything made until then */
	int64_t now_ms = util_now() * 1000;
	if ((out->op.clock.hlc >> 16) > now_ms + SYNC_FUTURE_MS) {
		say(warn, ctx, "%s:%ld: its clock is %lld days ahead of this machine's; taken as now",
		    name, lineno, (long long)(((out->op.clock.hlc >> 16) - now_ms) / 86400000));
		out->op.clock.hlc = (now_ms << 16) | (out->op.clock.hlc & 0xffff);
	}
	return 0;
}

/* Adds the operations of the complete lines of buf[0..len) to *ops; *used is the bytes of the
 * complete lines (an incomplete last line is left for next time), *lines their count. */
static void parse_buf(const char *buf, size_t len, const char *name, long first_line,
                      struct ops *ops, size_t *used, long *lines, struct sync_stats *st,
                      sync_warn_fn warn, void *ctx)
{
	size_t pos = 0;
	long lineno = first_line;
	char msg[256];
	struct json_tokener *tok = json_tokener_new();
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		if (!nl)
			break;
		size_t n = (size_t)(nl - (buf + pos));
		const char *l = buf + pos;
		if (lineno == 1 && n >= 3 && !memcmp(l, "\xEF\xBB\xBF", 3)) {
			l += 3;
			n -= 3;
		}
		if (strspn(l, " \t\r") < n) {
			if (ops->n == ops->cap) {
				ops->cap = ops->cap ? ops->cap * 2 : 256;
				ops->v = xreallocarray(ops->v, ops->cap, sizeof *ops->v);
			}
			struct op_in *o = &ops->v[ops->n];
			if (parse_op(tok, l, n, o, msg, sizeof msg, name, lineno, warn, ctx) == 0) {
				o->file = name;
				o->line = lineno;
				o->seq = ops->n++;
			} else {
				say(warn, ctx, "%s:%ld: %s (line skipped)", name, lineno, msg);
				st->skipped++;
			}
		}
		pos += (size_t)(nl - (buf + pos)) + 1;
		lineno++;
	}
	json_tokener_free(tok);
	if (pos < len)
		st->partial++;
	*used = pos;
	*lines = lineno - first_line;
}

static int op_cmp(const void *a, const void *b)
{
	const struct op_in *x = a, *y = b;
	int c = store_clock_cmp(&x->op.clock, &y->op.clock);
	return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

/* Applies the operations in clock order (the caller's transaction). A bad operation is reported
 * and skipped; -1 when the cache could not be written. */
static int apply_ops(struct store *s, struct ops *ops, struct sync_stats *st, sync_warn_fn warn,
                     void *ctx, struct lerr *e)
{
	if (ops->n)
		qsort(ops->v, ops->n, sizeof *ops->v, op_cmp);
	if (ops->n && store_hlc_seen(s, ops->v[ops->n - 1].op.clock.hlc, e) < 0)
		return -1;
	for (size_t i = 0; i < ops->n; i++) {
		struct op_in *o = &ops->v[i];
		bool changed = false;
		struct lerr le = {0};
		if (kind_of(o->op.op)->apply(s, &o->op, &changed, &le) < 0) {
			if (le.kind != LERR_PARSE) {
				*e = le;
				return -1;
			}
			say(warn, ctx, "%s:%ld: %s (line skipped)", o->file, o->line, le.msg);
			st->skipped++;
			continue;
		}
		st->ops++;
		st->changed += changed;
	}
	return 0;
}

/* ---- the folder ------------------------------------------------------------------------------- */

struct sync *sync_open(struct store *s, const char *dir, sync_warn_fn warn, void *ctx,
                       struct lerr *e)
{
	if (store_is_readonly(s)) {
		lerr_set(e, LERR_IO, 0, "the cache is read-only: it cannot take part in a sync folder");
		return NULL;
	}
	const char *w = store_writer(s);
	if (!*w) {
		lerr_set(e, LERR_DB, 0, "the cache has no writer id");
		return NULL;
	}
	if (util_mkdir_p(dir, 0755) < 0) {
		lerr_set(e, LERR_IO, errno, "the sync folder %s: %s", dir, strerror(errno));
		return NULL;
	}
	struct sync *y = xcalloc(1, sizeof *y);
	y->s = s;
	y->dir = xstrdup(dir);
	y->own_name = xasprintf("%s.jsonl", w);
	y->own_path = xasprintf("%s/%s", dir, y->own_name);
	y->warn = warn;
	y->ctx = ctx;
	store_set_op_hook(s, append_ops, y);
	return y;
}

void sync_close(struct sync **yp)
{
	struct sync *y = yp ? *yp : NULL;
	if (!y)
		return;
	store_set_op_hook(y->s, NULL, NULL);
	free(y->dir);
	free(y->own_name);
	free(y->own_path);
	free(y);
	*yp = NULL;
}

/* A sync tool's copy of a file it could not merge (Syncthing, Dropbox, Nextcloud, OneDrive). */
static bool conflict_copy(const char *name)
{
	return strstr(name, ".sync-conflict-") || strstr(name, "conflicted copy") ||
	       strstr(name, "_conflict-") || strstr(name, "-conflict-");
}

static bool is_log(const char *name)
{
	size_t n = strlen(name);
	return name[0] != '.' && name[0] != '~' && n > 6 && !strcmp(name + n - 6, ".jsonl");
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* What was read of one file, saved with the operations. */
struct file_pos {
	char *name;
	struct store_sync_file f;
};

/* Reads the new complete lines of one file. Returns 0 (an unreadable file is reported and
 * skipped), -1 on a cache error. */
static int read_one(struct sync *y, const char *name, struct ops *ops, struct file_pos *fp,
                    struct sync_stats *st, struct lerr *e)
{
	char *path = xasprintf("%s/%s", y->dir, name);
	struct store_sync_file was;
	int rc = 0;
	fp->name = NULL;
	if (store_sync_file_get(y->s, name, &was, e) < 0) {
		free(path);
		return -1;
	}
	/* O_NONBLOCK: a FIFO (or a symlink to a device) put in the folder must not hang us */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	struct stat sb;
	const char *why = fd < 0 || fstat(fd, &sb) < 0 ? strerror(errno)
	                  : !S_ISREG(sb.st_mode) ? "not a regular file"
	                  : sb.st_size - was.offset > SYNC_MAX_FILE ? "more than 256 MiB to read"
	                  : NULL;
	if (why) {
		say(y->warn, y->ctx, "%s: %s (skipped)", path, why);
		if (fd >= 0)
			close(fd);
		free(path);
		return 0;
	}
	struct store_sync_file now = was;
	now.dev = (int64_t)sb.st_dev;
	now.ino = (int64_t)sb.st_ino;
	ssize_t hn = pread(fd, now.head, sizeof now.head, 0);
	now.head_len = hn > 0 ? (size_t)hn : 0;
	bool known = was.offset > 0 || was.head_len > 0;
	size_t cmp = was.head_len < now.head_len ? was.head_len : now.head_len;
	if (known && (was.dev != now.dev || was.ino != now.ino || sb.st_size < was.offset ||
	              now.head_len < was.head_len || memcmp(was.head, now.head, cmp) != 0)) {
		say(y->warn, y->ctx, "%s was replaced or shortened: read again from its start", path);
		now.offset = 0;
		now.line = 0;
	}
	if (conflict_copy(name)) {
		say(y->warn, y->ctx, "%s is a sync tool's conflict copy: merged (it may be deleted)",
		    path);
		st->conflicts++;
	}
	int64_t left = (int64_t)sb.st_size - now.offset;
	if (left > 0) {
		char *buf = xmalloc((size_t)left + 1);
		ssize_t got = pread(fd, buf, (size_t)left, now.offset);
		if (got < 0) {
			say(y->warn, y->ctx, "%s: %s (skipped)", path, strerror(errno));
		} else {
			size_t used;
			long lines;
			long partial = st->partial;
			parse_buf(buf, (size_t)got, name, now.line + 1, ops, &used, &lines, st, y->warn,
			          y->ctx);
			if (st->partial > partial && strcmp(name, y->own_name) != 0)
				say(y->warn, y->ctx, "%s: its last line is incomplete (still being copied?): "
				    "read next time", path);
			now.offset += (int64_t)used;
			now.line += lines;
		}
		free(buf);
	}
	st->files++;
	close(fd);
	free(path);
	fp->name = xstrdup(name);
	fp->f = now;
	return rc;
}

/* The snapshot lines of the cache's state into b. */
static int snap_line(void *ctx, const struct store_op *op)
{
	line_of(ctx, op);
	return 0;
}

/* writer: only the fields it wrote last (a compacted log), NULL: all (an export). */
static int snapshot(struct store *s, const char *writer, struct sbuf *b, struct lerr *e)
{
	sbuf_add(b, "", 0);
	return store_each_state(s, writer, snap_line, b, e);
}

/* Rewrites this cache's file as a snapshot of the state (temp file, fsync, rename), under the
 * file's lock so that no append is lost: the lines appended before are applied first. */
static int compact(struct sync *y, bool force, struct sync_stats *st, struct lerr *e)
{
	int fd = open_own_locked(y, O_RDONLY, e);
	if (fd < 0)
		return -1;
	struct stat sb;
	int rc = fstat(fd, &sb) < 0 ? -1 : 0;
	struct sbuf b = {0};
	char *tmp = NULL;
	struct ops ops = {0};
	if (rc == 0 && !force && sb.st_size < SYNC_COMPACT_MIN)
		goto out;
	if (rc == 0 && sb.st_size > 0) {   /* what was appended since this sync read the file */
		char *buf = xmalloc((size_t)sb.st_size + 1);
		ssize_t got = pread(fd, buf, (size_t)sb.st_size, 0);
		size_t used;
		long lines;
		struct sync_stats dummy = {0};
		if (got > 0)
			parse_buf(buf, (size_t)got, y->own_name, 1, &ops, &used, &lines, &dummy, NULL, NULL);
		free(buf);
		/* without the hook: it would lock this file again (a merged note it makes is in the
		 * snapshot below anyway) */
		store_set_op_hook(y->s, NULL, NULL);
		if ((rc = store_begin(y->s, e)) == 0) {
			rc = apply_ops(y->s, &ops, &dummy, NULL, NULL, e);
			rc = rc == 0 ? store_commit(y->s, e) : (store_rollback(y->s), -1);
		}
		store_set_op_hook(y->s, append_ops, y);
	}
	if (rc == 0)
		rc = snapshot(y->s, store_writer(y->s), &b, e);
	if (rc < 0 || (!force && b.len * 2 > (size_t)sb.st_size) || (b.len == 0 && sb.st_size == 0))
		goto out;
	tmp = xasprintf("%s/.%s.tmp", y->dir, y->own_name);
	int out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0 || write_all(out, b.s, b.len) < 0 || fsync(out) < 0 || close(out) < 0 ||
	    rename(tmp, y->own_path) < 0) {
		lerr_set(e, LERR_IO, errno, "cannot write %s: %s", tmp, strerror(errno));
		if (out >= 0)
			close(out);
		unlink(tmp);
		rc = -1;
		goto out;
	}
	fsync_dir(y->dir);
	st->compacted = true;
	/* its new identity, read to the end: this cache has every line of it */
	struct store_sync_file f = {0};
	struct stat nb;
	if (stat(y->own_path, &nb) == 0) {
		f.dev = (int64_t)nb.st_dev;
		f.ino = (int64_t)nb.st_ino;
		f.head_len = b.len < sizeof f.head ? b.len : sizeof f.head;
		memcpy(f.head, b.s, f.head_len);
		f.offset = (int64_t)b.len;
		for (size_t i = 0; i < b.len; i++)
			f.line += b.s[i] == '\n';
		rc = store_sync_file_put(y->s, y->own_name, &f, e);
	}
out:
	ops_free(&ops);
	free(tmp);
	sbuf_free(&b);
	close(fd);   /* releases the lock */
	return rc;
}

int sync_run(struct sync *y, bool force_compact, struct sync_stats *st, struct lerr *e)
{
	memset(st, 0, sizeof *st);
	DIR *d = opendir(y->dir);
	if (!d) {
		lerr_set(e, LERR_IO, errno, "the sync folder %s: %s", y->dir, strerror(errno));
		return -1;
	}
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!is_log(de->d_name))
			continue;
		names = xreallocarray(names, n + 1, sizeof *names);
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, name_cmp);

	struct ops ops = {0};
	struct file_pos *pos = xcalloc(n ? n : 1, sizeof *pos);
	char *joined = NULL;
	int rc = store_sync_meta_get(y->s, "joined", &joined, e);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = read_one(y, names[i], &ops, &pos[i], st, e);
	if (rc == 0 && (rc = store_begin(y->s, e)) == 0) {
		rc = apply_ops(y->s, &ops, st, y->warn, y->ctx, e);
		for (size_t i = 0; rc == 0 && i < n; i++)
			if (pos[i].name)
				rc = store_sync_file_put(y->s, pos[i].name, &pos[i].f, e);
		rc = rc == 0 ? store_commit(y->s, e) : (store_rollback(y->s), -1);
	}
	/* A cache new to the folder writes what it has (state from before sync included). */
	bool join = rc == 0 && (!joined || strcmp(joined, y->dir) != 0);
	if (rc == 0)
		rc = compact(y, force_compact || join, st, e);
	if (rc == 0 && join)
		rc = store_sync_meta_put(y->s, "joined", y->dir, e);
	free(joined);
	ops_free(&ops);
	for (size_t i = 0; i < n; i++) {
		free(names[i]);
		free(pos[i].name);
	}
	free(names);
	free(pos);
	return rc;
}

/* ---- export and import ------------------------------------------------------------------------ */

int sync_export(struct store *s, FILE *out, struct lerr *e)
{
	struct sbuf b = {0};
	int rc = snapshot(s, NULL, &b, e);
	if (rc == 0 && b.len && fwrite(b.s, 1, b.len, out) != b.len) {
		lerr_set(e, LERR_IO, errno, "cannot write: %s", strerror(errno));
		rc = -1;
	}
	sbuf_free(&b);
	return rc;
}

int sync_import(struct store *s, FILE *in, const char *name, sync_warn_fn warn, void *ctx,
                struct sync_stats *st, struct lerr *e)
{
	struct sbuf b = {0};
	char chunk[65536];
	size_t got;
	while ((got = fread(chunk, 1, sizeof chunk, in)) > 0)
		sbuf_add(&b, chunk, got);
	if (ferror(in)) {
		lerr_set(e, LERR_IO, errno, "cannot read %s: %s", name, strerror(errno));
		sbuf_free(&b);
		return -1;
	}
	if (b.len && b.s[b.len - 1] != '\n')
		sbuf_addc(&b, '\n');   /* a file given by hand: its last line is complete */
	struct ops ops = {0};
	size_t used;
	long lines;
	parse_buf(b.s ? b.s : "", b.len, name, 1, &ops, &used, &lines, st, warn, ctx);
	int rc = store_begin(s, e);
	if (rc == 0) {
		rc = apply_ops(s, &ops, st, warn, ctx, e);
		rc = rc == 0 ? store_commit(s, e) : (store_rollback(s), -1);
	}
	ops_free(&ops);
	sbuf_free(&b);
	return rc;
}

bool sync_is_op_line(const char *line)
{
	struct json_object *o = json_tokener_parse(line);
	bool yes = o && json_object_is_type(o, json_type_object) && get_str(o, "op");
	json_object_put(o);
	return yes;
}
