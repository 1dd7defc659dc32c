/* store_terms — the search index's vocabulary (schema v14: the table fts_terms): every token of
 * STORE_TERM_MIN bytes or more that papers_fts has indexed.
 *
 * Why: FTS5 answers a prefix that no prefix index holds (papers_fts has none since schema 16;
 * the title index has 2 and 3 letters) by merging the doclists of every word that starts so
 * into one list before it returns the first row (21 ms for `modu*` at 1M papers with the old
 * index, whatever the LIMIT; 160-230 ms for `model*` now). With the words known, `modu*` is
 * searched as ("modular" OR "module" OR …): each word's doclist read lazily, newest first,
 * like any word. fts5vocab would list them too, but it reads every posting of each word to
 * count them (8 ms for `modu`). Shorter prefixes, and those of too many words, are searched
 * in the title index or checked on rows (store_query.c).
 *
 * store.c hands the text of each paper it indexes to store_terms_add(), calls
 * store_terms_flush() in the same transaction, before COMMIT, and store_terms_committed() after
 * it (store_terms_drop() after a rollback); words of papers since changed or deleted stay (a
 * word that matches nothing adds nothing to an OR). The migration to v14 and `lectern repair`
 * fill the table from the index itself (STORE_TERMS_FILL); `lectern check` tells when it misses
 * a word of the index. Memory is bounded whatever the text: the words of a transaction are
 * written out every FRESH_MAX bytes, and at most KNOWN_MAX / KNOWN_BYTES are remembered. Calls
 * store_fts.c only (for the tokenizer). */
#include <stdlib.h>
#include <string.h>

#include "lectern/util.h"
#include "store_int.h"

/* A set of words: open addressing over offsets into one arena of NUL-terminated words. */
struct wset {
	char *arena;
	size_t used, cap;
	struct slot {
		uint32_t hash;            /* the word's hash, cut (slots and compares use no more) */
		uint32_t off;             /* into arena; 0: empty (the arena starts with one byte) */
	} *slots;
	size_t n, nslots;             /* nslots: a power of two, at most 1/2 full */
};

/* The words of this connection's open transaction not known to be in fts_terms yet (fresh),
 * and the words it saw committed there (known, at most KNOWN_MAX: the common words, so that a
 * batch does not look up each of its thousands of words in the table again). */
struct store_termset {
	struct wset fresh, known;
};
enum { KNOWN_MAX = 1 << 18, KNOWN_BYTES = 8 << 20, FRESH_MAX = 4 << 20 };

static uint64_t hash_of(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

static void set_free(struct wset *t)
{
	free(t->arena);
	free(t->slots);
	memset(t, 0, sizeof *t);
}

static void set_grow(struct wset *t)
{
	size_t ns = t->nslots ? t->nslots * 2 : 4096;
	struct slot *sl = xcalloc(ns, sizeof *sl);
	for (size_t i = 0; i < t->nslots; i++) {
		if (!t->slots[i].off)
			continue;
		size_t j = t->slots[i].hash & (ns - 1);
		while (sl[j].off)
			j = (j + 1) & (ns - 1);
		sl[j] = t->slots[i];
	}
	free(t->slots);
	t->slots = sl;
	t->nslots = ns;
}

/* The slot of the word in t, or of the empty slot where it would go. */
static struct slot *set_find(struct wset *t, const char *w, size_t n, uint64_t h)
{
	size_t j = h & (t->nslots - 1);
	for (; t->slots[j].off; j = (j + 1) & (t->nslots - 1))
		if (t->slots[j].hash == (uint32_t)h && !strncmp(t->arena + t->slots[j].off, w, n) &&
		    t->arena[t->slots[j].off + n] == '\0')   /* (strncmp stops at the word's NUL) */
			break;
	return &t->slots[j];
}

/* Adds the word (absent from t) at its slot sl, from set_find. */
static void set_put(struct wset *t, struct slot *sl, const char *w, size_t n, uint64_t h)
{
	if (t->used + n + 1 > t->cap) {
		t->cap = t->cap * 2 > t->used + n + 1 ? t->cap * 2 : t->used + n + 1 + 65536;
		t->arena = xrealloc(t->arena, t->cap);
	}
	if (!t->used)
		t->arena[t->used++] = '\0';
	memcpy(t->arena + t->used, w, n);
	t->arena[t->used + n] = '\0';
	*sl = (struct slot){ .hash = (uint32_t)h, .off = (uint32_t)t->used };
	t->used += n + 1;
	t->n++;
}

static bool set_has(struct wset *t, const char *w, size_t n, uint64_t h)
{
	return t->n && set_find(t, w, n, h)->off;
}

static void set_add(struct wset *t, const char *w, size_t n, uint64_t h)
{
	if (2 * (t->n + 1) > t->nslots)
		set_grow(t);
	struct slot *sl = set_find(t, w, n, h);
	if (!sl->off)
		set_put(t, sl, w, n, h);
}

static int add_token(void *ctx, const char *tok, size_t n)
{
	struct store_termset *t = ctx;
	if (n < STORE_TERM_MIN)
		return 0;
	uint64_t h = hash_of(tok, n);
	if (!set_has(&t->known, tok, n, h))
		set_add(&t->fresh, tok, n, h);
	return 0;
}

int store_terms_add(struct store *s, const char *text, size_t n)
{
	if (!text || !n)
		return SQLITE_OK;
	if (!s->terms)
		s->terms = xcalloc(1, sizeof *s->terms);
	store_tokenize(s, text, n, add_token, s->terms);
	if (s->terms->fresh.used <= FRESH_MAX)
		return SQLITE_OK;
	/* a transaction of many new words (a large feed, hostile text): written now, and not
	 * remembered (they are looked up again next time; a rollback takes them back out) */
	int rc = store_terms_flush(s);
	set_free(&s->terms->fresh);
	return rc;
}

void store_terms_drop(struct store *s)
{
	if (s->terms)
		set_free(&s->terms->fresh);
}

int store_terms_flush(struct store *s)
{
	struct wset *t = s->terms ? &s->terms->fresh : NULL;
	if (!t || !t->n)
		return SQLITE_OK;
	int rc = SQLITE_OK;
	if (!s->terms_ins)
		rc = sqlite3_prepare_v3(s->db, "INSERT OR IGNORE INTO fts_terms (term) VALUES (?1)", -1,
		                        SQLITE_PREPARE_PERSISTENT, &s->terms_ins, NULL);
	for (size_t i = 0; rc == SQLITE_OK && i < t->nslots; i++) {
		if (!t->slots[i].off)
			continue;
		sqlite3_bind_text(s->terms_ins, 1, t->arena + t->slots[i].off, -1, SQLITE_STATIC);
		rc = sqlite3_step(s->terms_ins);
		sqlite3_reset(s->terms_ins);
		if (rc == SQLITE_DONE)
			rc = SQLITE_OK;
	}
	if (s->terms_ins)
		sqlite3_clear_bindings(s->terms_ins);
	return rc;
}

void store_terms_committed(struct store *s)
{
	if (!s->terms)
		return;
	struct wset *f = &s->terms->fresh, *k = &s->terms->known;
	for (size_t i = 0; i < f->nslots && k->n < KNOWN_MAX; i++)
		if (f->slots[i].off) {
			const char *w = f->arena + f->slots[i].off;
			size_t n = strlen(w);
			if (k->used + n < KNOWN_BYTES)
				set_add(k, w, n, f->slots[i].hash);
		}
	set_free(f);
}

int store_terms_prefix(struct store *s, const char *pfx, size_t n, size_t max,
                       struct store_terms *out)
{
	memset(out, 0, sizeof *out);
	if (n < STORE_TERM_MIN || n > STORE_TERM_PFX_MAX)
		return SQLITE_MISUSE;
	/* the words in [pfx, pfx with its last byte + 1): a range of the table's key (valid UTF-8
	 * never has a 0xFF byte, so the bound exists) */
	char hi[STORE_TERM_PFX_MAX + 1];
	memcpy(hi, pfx, n);
	if ((unsigned char)hi[n - 1] == 0xFF)
		return SQLITE_MISUSE;
	hi[n - 1] = (char)((unsigned char)hi[n - 1] + 1);
	int rc = SQLITE_OK;
	if (!s->terms_get)
		rc = sqlite3_prepare_v3(s->db, "SELECT term FROM fts_terms WHERE term >= ?1 AND"
		                        " term < ?2 ORDER BY term LIMIT ?3", -1,
		                        SQLITE_PREPARE_PERSISTENT, &s->terms_get, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(s->terms_get, 1, pfx, (int)n, SQLITE_STATIC);
	sqlite3_bind_text(s->terms_get, 2, hi, (int)n, SQLITE_STATIC);
	sqlite3_bind_int64(s->terms_get, 3, (sqlite3_int64)max + 1);
	while ((rc = sqlite3_step(s->terms_get)) == SQLITE_ROW) {
		if (out->n == max) {   /* one more than max: too many to list */
			out->more = true;
			continue;
		}
		out->v = xreallocarray(out->v, out->n + 1, sizeof *out->v);
		out->v[out->n++] = xstrdup((const char *)sqlite3_column_text(s->terms_get, 0));
	}
	sqlite3_reset(s->terms_get);
	sqlite3_clear_bindings(s->terms_get);
	if (rc != SQLITE_DONE) {
		store_terms_clear(out);
		return rc;
	}
	return SQLITE_OK;
}

void store_terms_clear(struct store_terms *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i]);
	free(t->v);
	memset(t, 0, sizeof *t);
}

void store_terms_free(struct store *s)
{
	if (s->terms) {
		set_free(&s->terms->fresh);
		set_free(&s->terms->known);
	}
	free(s->terms);
	s->terms = NULL;
	sqlite3_finalize(s->terms_ins);
	sqlite3_finalize(s->terms_get);
	s->terms_ins = s->terms_get = NULL;
}
