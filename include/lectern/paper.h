/* paper — the in-memory record of one paper, as parsers produce it and the store returns it.
 * Every string is owned by the paper (malloc'd, NUL-terminated, UTF-8) or NULL when unknown.
 * Counters are -1 when unknown. paper_free() releases everything. */
#ifndef LECTERN_PAPER_H
#define LECTERN_PAPER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What kind of source gave a paper (or one of its fields), in increasing authority for text:
 * the store's merge (store_upsert) lets a higher kind's text replace a lower kind's, never the
 * reverse. UNKNOWN is what older caches' rows are migrated as, and what a caller that does not
 * say gets. The values are stored (3 bits a field): never renumber. */
enum paper_source_kind {
	PAPER_SRC_UNKNOWN = 0,
	PAPER_SRC_FEED = 1,     /* a generic RSS / Atom feed (a blog, a journal) */
	PAPER_SRC_IMPORT = 2,   /* `lectern import` of an exported file */
	PAPER_SRC_HF = 3,       /* Hugging Face Daily Papers */
	PAPER_SRC_ARXIV = 4,    /* arXiv: API, OAI-PMH, RSS listings, snapshot */
	PAPER_SRC_KINDS
};

/* How arXiv announced a paper in a listing (RSS arxiv:announce_type). The values are stored in
 * listings.type: never renumber. */
enum paper_announce {
	PAPER_ANN_UNKNOWN = 0,
	PAPER_ANN_NEW = 1,
	PAPER_ANN_CROSS = 2,
	PAPER_ANN_REPLACE = 3,
	PAPER_ANN_REPLACE_CROSS = 4,
};
/* "new", "cross", "replace", "replace-cross" (any case) -> the value; else UNKNOWN. */
enum paper_announce paper_announce_parse(const char *s);

struct author {
	char *name;         /* "Ada Lovelace", TeX accents already decoded */
	char *affiliation;  /* NULL, or several joined with "; " */
};

struct paper {
	/* Identity. For arXiv papers `id` is the bare arXiv id without version ("2501.01234",
	 * "hep-th/9901001"). Papers from other feeds use "doi:<doi>" when they carry a DOI, else
	 * "url:<link>". `version` is 0 when unknown. */
	char *id;
	int version;
	/* Who sent this record (set by the fetcher / importer, or a parser that knows); the store
	 * merges by it. Reading a paper back gives PAPER_SRC_UNKNOWN here; `sources` below then
	 * packs the kind of each stored field (store_field_sources() reads it). */
	enum paper_source_kind source_kind;
	uint64_t sources;

	char *title;        /* LaTeX kept as sent; whitespace collapsed */
	char *abstract;     /* LaTeX kept; paragraph breaks kept as "\n" */
	struct author *authors;
	size_t n_authors;

	int64_t published;  /* first version (v1), unix seconds UTC; 0 when unknown */
	int64_t updated;    /* this version; 0 when unknown */
	/* Every version arXiv dated (OAI arXivRaw, the metadata snapshot): "1:T1 2:T2 ..." (version
	 * number, unix seconds UTC), ascending; NULL when no source listed them
	 * (paper_add_version, paper_versions). */
	char *versions;

	char *primary_category;  /* "cs.LG" */
	char *categories;        /* space-separated, primary first: "cs.LG cs.AI stat.ML" */
	char *comment;
	char *journal_ref;
	char *doi;               /* bare DOI "10.1000/xyz" */

	/* Links: abstract page, PDF, code repository, project page, Hugging Face page. */
	char *url_abs, *url_pdf, *url_code, *url_project, *url_hf;

	/* Hugging Face signals. */
	int64_t upvotes, num_comments, github_stars;   /* -1 unknown */
	char *organization;      /* organisation full name, e.g. "Google DeepMind" */
	bool org_submitter;      /* organization names who submitted it to Daily Papers (HF
	                          * submitterOrganization), not the authors: shown "submitted by" */
	char *submitter;         /* who submitted it to Daily Papers (full name) */
	char *ai_summary;
	char *ai_keywords;       /* comma-and-space separated */
	char *hf_day;            /* Daily Papers day "YYYY-MM-DD" (submittedOnDailyAt) */
	char *thumbnail;
	/* arXiv withdrew the paper (an OAI-PMH deleted record): kept and shown, marked as such. Set
	 * by the store when reading; store_upsert() ignores it (store_set_withdrawn() sets it). */
	bool withdrawn;

	/* User state: filled by the store when reading, ignored by store_upsert(). */
	bool favourite;
	int64_t fav_time;        /* when it became a favourite, 0 if not */
	bool read;
	bool hidden;             /* "not interested" (x): out of every view but is:hidden */
	char *note;
	char *tags;              /* space-separated */

	/* Listings: filled by the store when reading one paper in full ("hf-daily 2025-11-19"...),
	 * newline-separated "SOURCE DAY" pairs, newest first. */
	char *listings;

	/* This delivery's listing, set by a parser (the fetcher records it with the listing, see
	 * store_upsert; never a field of the paper): how arXiv announced it, and the link the feed
	 * itself gave for the entry (NULL when none). When the store reads a paper in full,
	 * listing_url holds every link its listings gave, one per line (paper_links lists them). */
	enum paper_announce announce;
	char *listing_url;
};

/* Initialises all fields to "unknown" (NULL / 0 / -1). */
void paper_init(struct paper *p);
/* Frees the contents (not p itself) and re-initialises it. */
void paper_clear(struct paper *p);
/* Appends an author (strings copied; affiliation may be NULL). */
void paper_add_author(struct paper *p, const char *name, const char *affiliation);
/* Adds version v (>= 1) dated t to the versions list *list (paper.versions), kept ascending (a
 * version given twice keeps its first date; at most 256 versions: arXiv's most revised papers
 * have a few dozen). */
void paper_add_version(char **list, int v, int64_t t);
/* The versions of a versions list (paper.versions) into v[] and t[] (at most max), ascending;
 * returns how many. Entries that do not parse are skipped. */
size_t paper_versions(const char *list, int *v, int64_t *t, size_t max);
/* Replaces *field with a copy of s (NULL allowed). */
void paper_set(char **field, const char *s);
/* Deep copy. */
void paper_copy(struct paper *dst, const struct paper *src);

/* Field limits, applied where papers enter the cache (store_upsert): a longer text is cut at a
 * UTF-8 boundary, authors past the 10,000th are dropped (ATLAS and CMS papers have ~3,000),
 * counts are clamped. Ids longer than PAPER_ID_MAX are refused, not cut (an id is identity). */
enum {
	PAPER_TITLE_MAX = 2048,           /* bytes */
	PAPER_TEXT_MAX = 64 * 1024,       /* the abstract and every other text field (not the
	                                   * user's note and tags: never cut) */
	PAPER_NAME_MAX = 2048,            /* one author's name or affiliation */
	PAPER_AUTHORS_MAX = 10000,
	PAPER_ID_MAX = 2048,
};
#define PAPER_COUNT_MAX INT64_C(1000000000000)   /* upvotes, comments, stars: 10^12 */
/* True when some field of p is over its limit (cheap: lengths only). */
bool paper_over_limits(const struct paper *p);
/* Cuts p to the limits in place. Writes what it cut to what[0..n) ("title cut from 3145728
 * to 2048 bytes, 12000 authors: kept 10000") and returns how many fields it changed. */
int paper_apply_limits(struct paper *p, char *what, size_t n);
/* A JSON or text number as a count: NaN and negatives are unknown (-1), the rest clamped to
 * [0, PAPER_COUNT_MAX] before any conversion (a double out of int64's range is undefined). */
int64_t paper_count_from_double(double d);

/* arXiv ids. Splits "2501.01234v3" / "hep-th/9901001v2" / "http://arxiv.org/abs/2501.01234v3" /
 * "oai:arXiv.org:2501.01234v3" / "arXiv:2501.01234" into the bare id and version (0 when absent).
 * Writes the bare id to out (n >= 64). Returns 0, or -1 when s is not an arXiv id. */
int paper_parse_arxiv_id(const char *s, char *out, size_t n, int *version);
bool paper_is_arxiv_id(const char *id);
/* An id as stored: a bare arXiv id, or "doi:..."/"url:..." without spaces or controls (what an
 * import or a sync folder may name), at most PAPER_ID_MAX bytes. */
bool paper_valid_id(const char *id);

/* Tags as typed ("ml, to-read  ml #survey") -> the stored form: words separated by one space,
 * commas and whitespace as separators, a leading '#' dropped, duplicates (ignoring ASCII case)
 * removed (the first spelling kept),
 * order kept. Returns a malloc'd string ("" when there are none). */
char *paper_normalise_tags(const char *s);

/* "arXiv", "Hugging Face", "import", "feed", "unknown". */
const char *paper_source_kind_name(enum paper_source_kind k);

/* The one key two spellings of an author's name are compared by (affiliation matching across
 * sources; the watch list): lower case, Latin accents folded (é→e, ø→o, ß→ss, ł→l…),
 * combining marks dropped, dots, hyphens and runs of white space made one space, trimmed:
 * "J. Smith", "j smith" and "J.-Smith" all give "j smith"; "Jean-Luc Müller" gives
 * "jean luc muller". Other scripts are kept as written. Returns a malloc'd string. */
char *paper_name_key(const char *name);
/* Whether two name keys may be the same person: equal, or the same last word and first words
 * of which one is the other's initial ("j smith" / "john smith"; not "jane smith" /
 * "john smith"). Middle names are not compared. */
bool paper_name_keys_compatible(const char *a, const char *b);

/* The organisation as shown: "Google DeepMind", or "submitted by NVIDIA" when it is the Daily
 * Papers submitter's (org_submitter). NULL when org is NULL or empty; caller frees. */
char *paper_org_label(const char *org, bool submitter);

/* Canonical links derived from an arXiv id (caller frees). */
char *paper_abs_url(const char *id);
char *paper_pdf_url(const char *id);
char *paper_hf_url(const char *id);

#endif
