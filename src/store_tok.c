/* store_tok — the FTS5 tokenizer "lectern": unicode61 (its arguments passed through, e.g.
 * `remove_diacritics 2`), except that every Han, Hiragana, Katakana, Hangul or emoji character
 * is a token of its own.
 *
 * Why: unicode61 keeps a run of CJK letters as one token (a whole title clause, as CJK writes
 * no spaces), so a word inside it (大規模, 言語モデル) could never be found, and it drops emoji
 * as separators. With one token per character, a CJK word in a query — which FTS5 tokenizes
 * with this same tokenizer — becomes a phrase of its characters, i.e. that exact sequence
 * anywhere in the text; 🚀 is a token like any word. The text stored in `papers` is unchanged
 * (FTS5 'rebuild', 'delete' and integrity-check tokenize it the same way). Every connection
 * that touches papers_fts needs the tokenizer: store_fts_register() adds it. */
#include <string.h>

#include "lectern/text.h"
#include "store_int.h"

struct tok {
	fts5_tokenizer inner;        /* unicode61 */
	Fts5Tokenizer *inst;
};

/* Characters indexed one by one. */
static bool single(unsigned cp)
{
	return (cp >= 0x1100 && cp <= 0x11FF) ||     /* Hangul Jamo */
	       (cp >= 0x2E80 && cp <= 0x2FDF) ||     /* CJK and Kangxi radicals */
	       cp == 0x3005 || cp == 0x3007 ||       /* 々 〇 */
	       (cp >= 0x3040 && cp <= 0x30FF) ||     /* Hiragana, Katakana */
	       (cp >= 0x3130 && cp <= 0x318F) ||     /* Hangul compatibility Jamo */
	       (cp >= 0x31F0 && cp <= 0x31FF) ||     /* Katakana phonetic extensions */
	       (cp >= 0x3400 && cp <= 0x4DBF) ||     /* CJK extension A */
	       (cp >= 0x4E00 && cp <= 0x9FFF) ||     /* CJK unified ideographs */
	       (cp >= 0xA960 && cp <= 0xA97F) ||     /* Hangul Jamo extended A */
	       (cp >= 0xAC00 && cp <= 0xD7FF) ||     /* Hangul syllables, Jamo extended B */
	       (cp >= 0xF900 && cp <= 0xFAFF) ||     /* CJK compatibility ideographs */
	       (cp >= 0xFF66 && cp <= 0xFF9F) ||     /* half-width Katakana */
	       (cp >= 0x20000 && cp <= 0x3134F) ||   /* CJK extensions B-G */
	       (cp >= 0x2600 && cp <= 0x27BF) ||     /* symbols and dingbats (☀ ✨ ❤) */
	       (cp >= 0x1F000 && cp <= 0x1FAFF &&    /* emoji and pictographs (🚀 🤗) ... */
	        !(cp >= 0x1F3FB && cp <= 0x1F3FF));  /* ... not skin-tone modifiers */
}

struct shift {
	void *ctx;
	int (*token)(void *, int, const char *, int, int, int);
	int off;
};

/* unicode61's tokens of a piece of the text, with offsets into the whole text. */
static int shifted(void *p, int flags, const char *t, int n, int start, int end)
{
	struct shift *x = p;
	return x->token(x->ctx, flags, t, n, start + x->off, end + x->off);
}

static int tok_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *text, int n,
                        int (*token)(void *, int, const char *, int, int, int))
{
	struct tok *t = (struct tok *)p;
	const unsigned char *s = (const unsigned char *)text;
	/* Everything indexed singly is at U+1100 or above: a 3- or 4-byte sequence (lead byte
	 * 0xE1 or more). Text without one (nearly every abstract) goes to unicode61 whole. */
	int i = 0;
	while (i < n && s[i] < 0xE1)
		i++;
	if (i == n)
		return t->inner.xTokenize(t->inst, ctx, flags, text, n, token);
	struct shift x = { ctx, token, 0 };
	int seg = 0, rc = SQLITE_OK;
	for (i = 0; i < n && rc == SQLITE_OK;) {
		unsigned cp;   /* malformed bytes give U+FFFD, not indexed singly: unicode61 gets them */
		int len = (int)text_utf8_decode(text + i, (size_t)(n - i), &cp);
		if (!single(cp)) {
			i += len;
			continue;
		}
		if (seg < i) {
			x.off = seg;
			rc = t->inner.xTokenize(t->inst, &x, flags, text + seg, i - seg, shifted);
		}
		if (rc == SQLITE_OK)
			rc = token(ctx, 0, text + i, len, i, i + len);
		i += len;
		seg = i;
	}
	if (rc == SQLITE_OK && seg < n) {
		x.off = seg;
		rc = t->inner.xTokenize(t->inst, &x, flags, text + seg, n - seg, shifted);
	}
	return rc;
}

static int tok_create(void *api_p, const char **argv, int argc, Fts5Tokenizer **out)
{
	fts5_api *api = api_p;
	void *ud = NULL;
	struct tok *t = sqlite3_malloc(sizeof *t);
	if (!t)
		return SQLITE_NOMEM;
	memset(t, 0, sizeof *t);
	int rc = api->xFindTokenizer(api, "unicode61", &ud, &t->inner);
	if (rc == SQLITE_OK)
		rc = t->inner.xCreate(ud, argv, argc, &t->inst);
	if (rc != SQLITE_OK) {
		sqlite3_free(t);
		return rc;
	}
	*out = (Fts5Tokenizer *)t;
	return SQLITE_OK;
}

static void tok_delete(Fts5Tokenizer *p)
{
	struct tok *t = (struct tok *)p;
	if (t && t->inst)
		t->inner.xDelete(t->inst);
	sqlite3_free(t);
}

int store_tok_register(fts5_api *api)
{
	fts5_tokenizer tk = { tok_create, tok_delete, tok_tokenize };
	return api->xCreateTokenizer(api, "lectern", api, &tk, NULL);
}
