/* store_watch — watches (store.h): kept in the watches table (schema 10) or given by the
 * config, compiled once per connection into keys, matched by the SQL function
 * lectern_watched(title, abstract, authors, categories) and found through the index by
 * store_watch_fts() (store_query.c compiles is:watched and the lists' mark with both). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store_int.h"

static const char *const kind_names[] = {
	[STORE_WATCH_AUTHOR] = "author", [STORE_WATCH_WORD] = "word", [STORE_WATCH_CAT] = "cat",
};

int store_watch_kind_parse(const char *s)
{
	for (size_t i = 0; s && i < ARRAY_LEN(kind_names); i++)
		if (!strcmp(s, kind_names[i]))
			return (int)i;
	return -1;
}

const char *store_watch_kind_name(enum store_watch_kind k)
{
	return kind_names[k];
}

struct wkey {
	enum store_watch_kind kind;
	char *key;                 /* author: name key; word: its tokens, space-separated; cat:
	                            * lower case */
};

struct store_wlist {
	struct wkey *v;
	size_t n;
};

static void wl_free(struct store_wlist *wl)
{
	if (!wl)
		return;
	for (size_t i = 0; i < wl->n; i++)
		free(wl->v[i].key);
	free(wl->v);
	free(wl);
}

static int add_token(void *ctx, const char *t, size_t n)
{
	struct sbuf *b = ctx;
	if (b->len)
		sbuf_addc(b, ' ');
	sbuf_add(b, t, n);
	return 0;
}

/* The key a value is compared by (malloc'd; "" when it has none). */
static char *key_of(struct store *s, enum store_watch_kind kind, const char *value)
{
	if (kind == STORE_WATCH_AUTHOR)
		return paper_name_key(value);
	if (kind == STORE_WATCH_CAT) {
		char *k = xstrdup(value);
		for (char *c = k; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		return k;
	}
	struct sbuf b = {0};
	store_tokenize(s, value, strlen(value), add_token, &b);
	return sbuf_steal(&b);
}

static void wl_add(struct store *s, struct store_wlist *wl, enum store_watch_kind kind,
                   const char *value)
{
	char *k = key_of(s, kind, value);
	if (!*k) {
		free(k);
		return;
	}
	wl->v = xreallocarray(wl->v, wl->n + 1, sizeof *wl->v);
	wl->v[wl->n++] = (struct wkey){ kind, k };
}

/* ---- matching ------------------------------------------------------------------------------- */

struct toks {
	char **v;
	size_t n, cap;
};

static int keep_token(void *ctx, const char *t, size_t n)
{
	struct toks *x = ctx;
	if (x->n == x->cap) {
		x->cap = x->cap ? x->cap * 2 : 256;
		x->v = xreallocarray(x->v, x->cap, sizeof *x->v);
	}
	x->v[x->n++] = xstrndup(t, n);
	return 0;
}

/* Whether the tokens hold the key's tokens in a row. */
static bool has_run(const struct toks *t, const char *key)
{
	for (size_t i = 0; i < t->n; i++) {
		const char *k = key;
		size_t j = i;
		while (j < t->n) {
			size_t n = strcspn(k, " ");
			if (strlen(t->v[j]) != n || memcmp(t->v[j], k, n))
				break;
			j++;
			k += n;
			if (!*k)
				return true;
			k++;
		}
	}
	return false;
}

static bool in_list(const char *list, const char *sep, const char *key, bool names)
{
	for (const char *a = list; a && *a;) {
		size_t n = strcspn(a, sep);
		char *item = xstrndup(a, n);
		bool hit;
		if (names) {
			char *k = paper_name_key(item);
			hit = paper_name_keys_compatible(key, k);
			free(k);
		} else {
			hit = strcasecmp(item, key) == 0;
		}
		free(item);
		if (hit)
			return true;
		a += n;
		while (*a && strchr(sep, *a))
			a++;
	}
	return false;
}

static void watched_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct store *s = sqlite3_user_data(ctx);
	const struct store_wlist *wl = s->wl;
	const char *title = (const char *)sqlite3_value_text(argv[0]);
	const char *abstract = (const char *)sqlite3_value_text(argv[1]);
	const char *authors = (const char *)sqlite3_value_text(argv[2]);
	const char *cats = (const char *)sqlite3_value_text(argv[3]);
	(void)argc;
	struct toks t = {0};
	bool text_read = false, hit = false;
	for (size_t i = 0; wl && i < wl->n && !hit; i++) {
		const struct wkey *w = &wl->v[i];
		if (w->kind == STORE_WATCH_CAT) {
			hit = in_list(cats, " ", w->key, false);
		} else if (w->kind == STORE_WATCH_AUTHOR) {
			hit = in_list(authors, ",", w->key, true);
		} else {
			if (!text_read) {   /* tokenized once for every word watch */
				store_tokenize(s, title ? title : "", title ? strlen(title) : 0, keep_token, &t);
				store_tokenize(s, abstract ? abstract : "", abstract ? strlen(abstract) : 0,
				               keep_token, &t);
				text_read = true;
			}
			hit = has_run(&t, w->key);
		}
	}
	for (size_t i = 0; i < t.n; i++)
		free(t.v[i]);
	free(t.v);
	sqlite3_result_int(ctx, hit);
}

/* ---- the list -------------------------------------------------------------------------------- */

const struct store_wlist *store_watch_compiled(struct store *s, size_t *n)
{
	*n = 0;
	if (!s->wl_fn) {
		if (sqlite3_create_function_v2(s->db, "lectern_watched", 4, SQLITE_UTF8, s, watched_fn,
		                               NULL, NULL, NULL) != SQLITE_OK)
			return NULL;
		s->wl_fn = true;
	}
	if (!s->wl) {
		struct store_wlist *wl = xcalloc(1, sizeof *wl);
		for (size_t i = 0; i < s->n_watch_cfg; i++) {
			char *tab = strchr(s->watch_cfg[i], '\t');
			if (tab) {
				char kind[16];
				snprintf(kind, sizeof kind, "%.*s", (int)(tab - s->watch_cfg[i]), s->watch_cfg[i]);
				int kk = store_watch_kind_parse(kind);
				if (kk >= 0)
					wl_add(s, wl, (enum store_watch_kind)kk, tab + 1);
			}
		}
		sqlite3_stmt *st = store_cached(s, "SELECT kind, value FROM watches ORDER BY added", NULL);
		while (st && sqlite3_step(st) == SQLITE_ROW) {
			int k = store_watch_kind_parse((const char *)sqlite3_column_text(st, 0));
			const char *v = (const char *)sqlite3_column_text(st, 1);
			if (k >= 0 && v)
				wl_add(s, wl, (enum store_watch_kind)k, v);
		}
		if (st)
			sqlite3_reset(st);
		s->wl = wl;
		s->wl_free = wl_free;
	}
	*n = s->wl->n;
	return s->wl;
}

int store_watch_fts(const struct store_wlist *wl, struct sbuf *b)
{
	int np = 0;
	sbuf_addc(b, '(');
	for (size_t i = 0; wl && i < wl->n; i++) {
		const struct wkey *w = &wl->v[i];
		const char *k = w->key;
		if (i)
			sbuf_adds(b, " OR ");
		if (w->kind == STORE_WATCH_AUTHOR) {
			const char *last = strrchr(k, ' ');
			k = last ? last + 1 : k;
		}
		sbuf_adds(b, w->kind == STORE_WATCH_AUTHOR ? "authors : \""
		             : w->kind == STORE_WATCH_WORD ? "{title abstract} : \"" : "cats : \"");
		for (const char *c = k; *c; c++) {
			char ch = *c;
			if (w->kind == STORE_WATCH_CAT)   /* as schema v3 indexes categories */
				ch = ch == '.' ? '0' : ch == '-' ? '1' : ch == '_' ? '2' : ch;
			if (ch == '"')
				sbuf_addc(b, '"');
			sbuf_addc(b, ch);
		}
		sbuf_addc(b, '"');
		np++;
	}
	sbuf_addc(b, ')');
	return np;
}

static void changed(struct store *s)
{
	if (s->wl && s->wl_free)
		s->wl_free(s->wl);
	s->wl = NULL;
}

void store_watch_config(struct store *s, enum store_watch_kind kind, const char *value)
{
	s->watch_cfg = xreallocarray(s->watch_cfg, s->n_watch_cfg + 1, sizeof *s->watch_cfg);
	s->watch_cfg[s->n_watch_cfg++] = xasprintf("%s\t%s", kind_names[kind], value);
	changed(s);
}

static bool is_config(struct store *s, enum store_watch_kind kind, const char *value)
{
	char *want = xasprintf("%s\t%s", kind_names[kind], value);
	bool yes = false;
	for (size_t i = 0; i < s->n_watch_cfg && !yes; i++)
		yes = !strcmp(s->watch_cfg[i], want);
	free(want);
	return yes;
}

int store_watch_add(struct store *s, enum store_watch_kind kind, const char *value,
                    struct lerr *e)
{
	char *k = key_of(s, kind, value ? value : "");
	bool empty = !*k;
	free(k);
	if (empty) {
		lerr_set(e, LERR_USAGE, 0, "watch %s: \"%s\" has nothing to watch", kind_names[kind],
		         value ? value : "");
		return -1;
	}
	bool did;
	return store_sync_watch(s, kind_names[kind], value, true, &did, e);
}

int store_watch_remove(struct store *s, enum store_watch_kind kind, const char *value,
                       struct lerr *e)
{
	bool did;
	if (store_sync_watch(s, kind_names[kind], value, false, &did, e) < 0)
		return -1;
	if (did)
		return 0;
	if (is_config(s, kind, value))
		lerr_set(e, LERR_USAGE, 0, "watch %s %s is in the configuration file: edit it there",
		         kind_names[kind], value);
	else
		lerr_set(e, LERR_NOTFOUND, 0, "no watch %s %s", kind_names[kind], value);
	return -1;
}

int store_watch_list(struct store *s, struct store_watch **out, size_t *n, struct lerr *e)
{
	*out = NULL;
	*n = 0;
	size_t cap = 0;
	struct store_watch *v = NULL;
	for (size_t i = 0; i < s->n_watch_cfg; i++) {
		char *tab = strchr(s->watch_cfg[i], '\t');
		char kind[16];
		snprintf(kind, sizeof kind, "%.*s", tab ? (int)(tab - s->watch_cfg[i]) : 0,
		         s->watch_cfg[i]);
		int k = store_watch_kind_parse(kind);
		if (k < 0)
			continue;
		if (*n == cap)
			v = xreallocarray(v, cap = cap ? cap * 2 : 8, sizeof *v);
		v[(*n)++] = (struct store_watch){ (enum store_watch_kind)k, xstrdup(tab + 1), true };
	}
	sqlite3_stmt *st = store_cached(s, "SELECT kind, value FROM watches ORDER BY added, kind,"
	                                " value", e);
	int rc = SQLITE_ERROR;
	while (st && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		int k = store_watch_kind_parse((const char *)sqlite3_column_text(st, 0));
		if (k < 0)
			continue;
		if (*n == cap)
			v = xreallocarray(v, cap = cap ? cap * 2 : 8, sizeof *v);
		v[(*n)++] = (struct store_watch){ (enum store_watch_kind)k,
		                                  store_col_text(st, 1), false };
	}
	if (st)
		sqlite3_reset(st);
	*out = v;
	if (rc != SQLITE_DONE) {
		store_watches_free(v, *n);
		*out = NULL;
		*n = 0;
		return st ? store_db_error(s, e, rc, "reading the watches") : -1;
	}
	return 0;
}

void store_watches_free(struct store_watch *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(w[i].value);
	free(w);
}
