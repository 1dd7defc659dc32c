/* store_merge — the one rule by which a paper arriving from a source merges into the stored one.
 *
 * merge_fields[] says for every field how it merges; the kind of source that gave each tracked
 * field is kept in papers.prov, 3 bits a field (slot = the field's place in the table), so the
 * next arrival can be weighed against it. Text goes by the authority of the source kind
 * (enum paper_source_kind: arXiv > Hugging Face > import > feed > unknown); see text_wins(). */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

enum merge_rule {
	MR_TEXT,      /* authority of the kind; within arXiv the higher version (text_wins) */
	MR_VERSION,   /* the version of the text: the higher kind's, within a kind the highest */
	MR_AUTHORS,   /* the names as MR_TEXT; affiliations matched across the lists */
	MR_COUNTER,   /* a count that changes daily: the newest known value */
	MR_NEWEST,    /* the newest non-empty value (the latest Daily Papers day) */
	MR_EARLIEST,  /* the earliest date any source gives (v1 dates differ by hours) */
	MR_LATEST,    /* the latest date any source gives */
	MR_ORG,       /* MR_TEXT, but the authors' organisation always beats the one the Daily Papers
	               * submitter named (org_submitter), and never the reverse */
	MR_MORE,      /* the list with more entries (a later list of versions holds the earlier's) */
};
enum merge_type { MT_STR, MT_I64, MT_INT, MT_AUTHORS };

struct merge_field {
	const char *name;        /* as `lectern show --sources` prints it */
	enum merge_type type;
	size_t off;              /* of the member in struct paper */
	enum merge_rule rule;
};

#define F(name, type, member, rule) { name, type, offsetof(struct paper, member), rule }
/* The first N_TRACKED fields keep their source kind in papers.prov, their index being their slot
 * (3 bits each): append new tracked fields after them only while they fit, never reorder. */
static const struct merge_field merge_fields[] = {
	F("version", MT_INT, version, MR_VERSION),
	F("title", MT_STR, title, MR_TEXT),
	F("abstract", MT_STR, abstract, MR_TEXT),
	F("authors", MT_AUTHORS, authors, MR_AUTHORS),
	F("primary category", MT_STR, primary_category, MR_TEXT),
	F("categories", MT_STR, categories, MR_TEXT),
	F("comment", MT_STR, comment, MR_TEXT),
	F("journal ref", MT_STR, journal_ref, MR_TEXT),
	F("doi", MT_STR, doi, MR_TEXT),
	F("abstract page", MT_STR, url_abs, MR_TEXT),
	F("pdf", MT_STR, url_pdf, MR_TEXT),
	F("code", MT_STR, url_code, MR_TEXT),
	F("project page", MT_STR, url_project, MR_TEXT),
	F("hugging face page", MT_STR, url_hf, MR_TEXT),
	F("upvotes", MT_I64, upvotes, MR_COUNTER),
	F("comments", MT_I64, num_comments, MR_COUNTER),
	F("github stars", MT_I64, github_stars, MR_COUNTER),
	F("organisation", MT_STR, organization, MR_ORG),
	F("submitter", MT_STR, submitter, MR_TEXT),
	F("ai summary", MT_STR, ai_summary, MR_TEXT),
	F("ai keywords", MT_STR, ai_keywords, MR_TEXT),
	F("thumbnail", MT_STR, thumbnail, MR_TEXT),
	F("daily papers day", MT_STR, hf_day, MR_NEWEST),
	F("published", MT_I64, published, MR_EARLIEST),
	F("updated", MT_I64, updated, MR_LATEST),
	F("versions", MT_STR, versions, MR_MORE),
};
#undef F
enum { SLOT_BITS = 3, SLOT_VERSION = 0, N_TRACKED = 21 };
_Static_assert(PAPER_SRC_KINDS <= 1 << SLOT_BITS, "a kind fits a slot");
_Static_assert(N_TRACKED * SLOT_BITS <= 63, "the slots fit a non-negative SQLite integer");
_Static_assert(N_TRACKED <= ARRAY_LEN(merge_fields), "every slot is a field");

/* The kind p says it is from; a value out of range is taken as unknown (it would spill into
 * the next slot). */
static enum paper_source_kind kind_of(const struct paper *p)
{
	return (unsigned)p->source_kind < PAPER_SRC_KINDS ? p->source_kind : PAPER_SRC_UNKNOWN;
}

static enum paper_source_kind slot_get(uint64_t prov, size_t slot)
{
	return (enum paper_source_kind)((prov >> (slot * SLOT_BITS)) & ((1u << SLOT_BITS) - 1));
}

static void slot_set(uint64_t *prov, size_t slot, enum paper_source_kind k)
{
	uint64_t mask = (uint64_t)((1u << SLOT_BITS) - 1) << (slot * SLOT_BITS);
	*prov = (*prov & ~mask) | ((uint64_t)k << (slot * SLOT_BITS));
}

static char **str_at(const struct paper *p, const struct merge_field *f)
{
	return (char **)(void *)((char *)p + f->off);   /* off is offsetof a char * */
}

static int64_t *i64_at(const struct paper *p, const struct merge_field *f)
{
	return (int64_t *)(void *)((char *)p + f->off);   /* off is offsetof an int64_t */
}

static bool has_value(const struct paper *p, const struct merge_field *f)
{
	switch (f->type) {
	case MT_STR: return *str_at(p, f) && **str_at(p, f);
	case MT_I64: return f->rule == MR_COUNTER ? *i64_at(p, f) >= 0 : *i64_at(p, f) > 0;
	case MT_INT: return p->version > 0;
	case MT_AUTHORS: return p->n_authors > 0;
	}
	return false;
}

/* Whether text of kind `in` (its arXiv version vin) replaces text of kind `have` (vhave).
 * A higher kind wins; within arXiv the higher version wins and an equal one keeps what is
 * stored, so refetching never flips text and an older version never overwrites a newer;
 * one feed never replaces another feed's words (two blogs would take turns); other equal
 * kinds (Hugging Face, import, unknown) replace: their newest word on their own text. */
static bool text_wins(enum paper_source_kind in, int vin, enum paper_source_kind have, int vhave)
{
	if (in != have)
		return in > have;
	if (in == PAPER_SRC_ARXIV)
		return vin > vhave;
	return in != PAPER_SRC_FEED;
}

/* ---- authors ------------------------------------------------------------------------------- */

/* Index in from[] of the author who is to[i], or -1: the same position when the names are
 * compatible (paper_name_keys_compatible), else the one author of from[] whose key is equal
 * (else compatible) when exactly one is and to[] has exactly one author that agrees with it —
 * so "J. Smith" never matches either of two J. Smiths. kt/kf are the lists' name keys. */
static long match_author(char **kt, size_t nt, char **kf, size_t nf, size_t i)
{
	if (i < nf && paper_name_keys_compatible(kt[i], kf[i]))
		return (long)i;
	for (int loose = 0; loose < 2; loose++) {
		long found = -1;
		size_t hits = 0;
		for (size_t j = 0; j < nf; j++)
			if (loose ? paper_name_keys_compatible(kt[i], kf[j]) : !strcmp(kt[i], kf[j])) {
				found = (long)j;
				hits++;
			}
		if (hits > 1)
			return -1;
		if (hits == 1) {
			size_t back = 0;
			for (size_t k = 0; k < nt; k++)
				back += loose ? paper_name_keys_compatible(kt[k], kf[found])
				              : !strcmp(kt[k], kf[found]);
			return back == 1 ? found : -1;
		}
	}
	return -1;
}

static void free_keys(char **k, size_t n)
{
	if (!k)
		return;
	for (size_t i = 0; i < n; i++)
		free(k[i]);
	free(k);
}

static char **name_keys(const struct paper *p)
{
	char **k = xreallocarray(NULL, p->n_authors ? p->n_authors : 1, sizeof *k);
	for (size_t i = 0; i < p->n_authors; i++)
		k[i] = paper_name_key(p->authors[i].name);
	return k;
}

/* out gets names's authors, each with its affiliation, else the matched one of other's. The
 * name keys are made only when a name differs from the one at its position (a refetch of the
 * same list costs no key). */
static void merge_author_lists(const struct paper *names, const struct paper *other,
                               struct paper *out)
{
	char **kn = NULL, **ko = NULL;
	for (size_t i = 0; i < names->n_authors; i++) {
		const char *aff = names->authors[i].affiliation;
		if (!aff && i < other->n_authors &&
		    !strcmp(names->authors[i].name, other->authors[i].name)) {
			aff = other->authors[i].affiliation;
		} else if (!aff) {
			if (!kn) {
				kn = name_keys(names);
				ko = name_keys(other);
			}
			long j = match_author(kn, names->n_authors, ko, other->n_authors, i);
			aff = j >= 0 ? other->authors[j].affiliation : NULL;
		}
		paper_add_author(out, names->authors[i].name, aff);
	}
	free_keys(kn, names->n_authors);
	free_keys(ko, other->n_authors);
}

static bool authors_equal(const struct paper *a, const struct paper *b)
{
	if (a->n_authors != b->n_authors)
		return false;
	for (size_t i = 0; i < a->n_authors; i++)
		if (strcmp(a->authors[i].name, b->authors[i].name) ||
		    !a->authors[i].affiliation != !b->authors[i].affiliation ||
		    (a->authors[i].affiliation &&
		     strcmp(a->authors[i].affiliation, b->authors[i].affiliation)))
			return false;
	return true;
}

/* The winning list's names, affiliations filled from the other list; replaces m's list when it
 * differs. Returns whether it did. */
static bool merge_authors(struct paper *m, const struct paper *p, bool incoming_wins)
{
	struct paper out;
	paper_init(&out);
	if (incoming_wins)
		merge_author_lists(p, m, &out);
	else
		merge_author_lists(m, p, &out);
	bool changed = !authors_equal(m, &out);
	if (changed) {
		struct author *a = m->authors;
		size_t n = m->n_authors;
		m->authors = out.authors;
		m->n_authors = out.n_authors;
		out.authors = a;
		out.n_authors = n;
	}
	paper_clear(&out);
	return changed;
}

/* ---- one field ----------------------------------------------------------------------------- */

/* Copies p's value of f into m; returns whether it differed. */
static bool take(struct paper *m, const struct paper *p, const struct merge_field *f)
{
	switch (f->type) {
	case MT_STR:
		if (*str_at(m, f) && !strcmp(*str_at(m, f), *str_at(p, f)))
			return false;
		paper_set(str_at(m, f), *str_at(p, f));
		return true;
	case MT_I64:
		if (*i64_at(m, f) == *i64_at(p, f))
			return false;
		*i64_at(m, f) = *i64_at(p, f);
		return true;
	case MT_INT:
		if (m->version == p->version)
			return false;
		m->version = p->version;
		return true;
	case MT_AUTHORS:
		break;
	}
	return false;
}

/* The entries of a space-separated list. */
static size_t entries(const char *s)
{
	size_t n = 0;
	for (s += strspn(s, " "); *s; s += strspn(s, " "), n++)
		s += strcspn(s, " ");
	return n;
}

/* Whether p's value of f should replace m's (both have one). */
static bool wins(const struct paper *m, const struct paper *p, const struct merge_field *f,
                 enum paper_source_kind have, int vhave)
{
	enum paper_source_kind in = kind_of(p);
	switch (f->rule) {
	case MR_ORG:
		if (p->org_submitter != m->org_submitter)
			return !p->org_submitter;
		/* fall through */
	case MR_TEXT:
	case MR_AUTHORS:
		return text_wins(in, p->version, have, vhave);
	case MR_VERSION:
		return in != have ? in > have : p->version > m->version;
	case MR_COUNTER:
	case MR_NEWEST:
		return true;
	case MR_EARLIEST:
		return *i64_at(p, f) < *i64_at(m, f);
	case MR_LATEST:
		return *i64_at(p, f) > *i64_at(m, f);
	case MR_MORE:
		return entries(*str_at(p, f)) > entries(*str_at(m, f));
	}
	return false;
}

unsigned store_merge(struct paper *m, const struct paper *p)
{
	unsigned what = 0;
	uint64_t prov = m->sources;
	/* The version the stored arXiv text is of (0: none known), before this arrival moves it. */
	int vhave = slot_get(prov, SLOT_VERSION) == PAPER_SRC_ARXIV ? m->version : 0;
	for (size_t i = 0; i < ARRAY_LEN(merge_fields); i++) {
		const struct merge_field *f = &merge_fields[i];
		if (!has_value(p, f))
			continue;   /* what a source leaves out never blanks what is stored */
		bool fill = !has_value(m, f);
		enum paper_source_kind have = i < N_TRACKED ? slot_get(prov, i) : PAPER_SRC_UNKNOWN;
		bool win = fill || wins(m, p, f, have, vhave);
		if (f->type == MT_AUTHORS) {
			/* the losing list still lends its affiliations */
			if (merge_authors(m, p, win))
				what |= STORE_MERGE_CHANGED | STORE_MERGE_AUTHORS;
		} else if (win && take(m, p, f)) {
			what |= STORE_MERGE_CHANGED;
		}
		if (f->rule == MR_ORG && win && m->org_submitter != p->org_submitter) {
			m->org_submitter = p->org_submitter;
			what |= STORE_MERGE_CHANGED;
		}
		if (win && i < N_TRACKED && have != kind_of(p)) {
			slot_set(&prov, i, kind_of(p));
			what |= STORE_MERGE_CHANGED;
		}
	}
	m->sources = prov;
	return what;
}

uint64_t store_merge_sources(const struct paper *p)
{
	uint64_t prov = 0;
	for (size_t i = 0; i < N_TRACKED; i++)
		if (has_value(p, &merge_fields[i]))
			slot_set(&prov, i, kind_of(p));
	return prov;
}

int store_field_sources(const struct paper *p, store_field_source_cb cb, void *ctx)
{
	for (size_t i = 0; i < N_TRACKED; i++) {
		const struct merge_field *f = &merge_fields[i];
		if (!has_value(p, f))
			continue;
		int r = cb(ctx, f->name, slot_get(p->sources, i));
		if (r)
			return r;
	}
	return 0;
}
