/* paper — the paper record and arXiv id handling. */
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lectern/paper.h"
#include "lectern/text.h"
#include "lectern/util.h"

void paper_init(struct paper *p)
{
	memset(p, 0, sizeof *p);
	p->upvotes = p->num_comments = p->github_stars = -1;
}

enum { MAX_FIELDS = 32 };

/* Every owned string of struct paper, so clear and copy cannot forget one. Fills f, returns the count. */
static size_t string_fields(struct paper *p, char **f[MAX_FIELDS])
{
	size_t i = 0;

	f[i++] = &p->id;
	f[i++] = &p->title;
	f[i++] = &p->abstract;
	f[i++] = &p->primary_category;
	f[i++] = &p->categories;
	f[i++] = &p->comment;
	f[i++] = &p->journal_ref;
	f[i++] = &p->doi;
	f[i++] = &p->url_abs;
	f[i++] = &p->url_pdf;
	f[i++] = &p->url_code;
	f[i++] = &p->url_project;
	f[i++] = &p->url_hf;
	f[i++] = &p->organization;
	f[i++] = &p->submitter;
	f[i++] = &p->ai_summary;
	f[i++] = &p->ai_keywords;
	f[i++] = &p->hf_day;
	f[i++] = &p->thumbnail;
	f[i++] = &p->note;
	f[i++] = &p->tags;
	f[i++] = &p->listings;
	f[i++] = &p->listing_url;
	f[i++] = &p->versions;
	return i;
}

void paper_clear(struct paper *p)
{
	char **f[MAX_FIELDS];
	size_t n = string_fields(p, f);

	for (size_t i = 0; i < n; i++)
		free(*f[i]);
	for (size_t i = 0; i < p->n_authors; i++) {
		free(p->authors[i].name);
		free(p->authors[i].affiliation);
	}
	free(p->authors);
	paper_init(p);
}

void paper_add_author(struct paper *p, const char *name, const char *affiliation)
{
	size_t n = p->n_authors;

	/* Capacity is implied: the array grows to the next power of two when n reaches one, so
	 * papers with hundreds of authors do not reallocate per author. */
	if (n == 0 || (n & (n - 1)) == 0)
		p->authors = xreallocarray(p->authors, n ? n * 2 : 1, sizeof *p->authors);
	p->authors[p->n_authors].name = xstrdup(name ? name : "");
	p->authors[p->n_authors].affiliation = affiliation && *affiliation ? xstrdup(affiliation) : NULL;
	p->n_authors++;
}

size_t paper_versions(const char *list, int *v, int64_t *t, size_t max)
{
	size_t n = 0;
	for (const char *c = list ? list : ""; *c && n < max;) {
		char *end;
		long k = strtol(c, &end, 10);
		if (end > c && *end == ':' && k > 0 && k < INT_MAX) {
			char *e2;
			long long when = strtoll(end + 1, &e2, 10);
			if (e2 > end + 1 && (*e2 == ' ' || !*e2)) {
				v[n] = (int)k;
				t[n++] = (int64_t)when;
			}
		}
		c += strcspn(c, " ");
		c += strspn(c, " ");
	}
	return n;
}

void paper_add_version(char **list, int v, int64_t t)
{
	enum { MAX = 256 };
	int vs[MAX + 1];
	int64_t ts[MAX + 1];
	size_t n = paper_versions(*list, vs, ts, MAX), at = 0;
	if (v <= 0 || n == MAX)
		return;
	while (at < n && vs[at] < v)
		at++;
	if (at < n && vs[at] == v)
		return;
	memmove(vs + at + 1, vs + at, (n - at) * sizeof *vs);
	memmove(ts + at + 1, ts + at, (n - at) * sizeof *ts);
	vs[at] = v;
	ts[at] = t;
	struct sbuf b = {0};
	for (size_t i = 0; i <= n; i++)
		sbuf_printf(&b, "%s%d:%lld", i ? " " : "", vs[i], (long long)ts[i]);
	free(*list);
	*list = sbuf_steal(&b);
}

void paper_set(char **field, const char *s)
{
	char *copy = xstrdup(s);

	free(*field);
	*field = copy;
}

void paper_copy(struct paper *dst, const struct paper *src)
{
	char **f[MAX_FIELDS];

	*dst = *src;
	size_t n = string_fields(dst, f);
	for (size_t i = 0; i < n; i++)
		*f[i] = xstrdup(*f[i]);
	dst->authors = NULL;
	dst->n_authors = 0;
	for (size_t i = 0; i < src->n_authors; i++)
		paper_add_author(dst, src->authors[i].name, src->authors[i].affiliation);
}

/* ---- limits -------------------------------------------------------------------------------- */

/* The limit of one string field; user state (note, tags) is the user's and never cut. */
static size_t text_max(const struct paper *p, char *const *f)
{
	return f == &p->title ? PAPER_TITLE_MAX : f == &p->note || f == &p->tags ? SIZE_MAX
	                                                                         : PAPER_TEXT_MAX;
}

bool paper_over_limits(const struct paper *p)
{
	char **f[MAX_FIELDS];
	size_t n = string_fields((struct paper *)p, f);
	for (size_t i = 0; i < n; i++)
		if (*f[i] && strlen(*f[i]) > text_max(p, f[i]))
			return true;
	if (p->n_authors > PAPER_AUTHORS_MAX)
		return true;
	for (size_t i = 0; i < p->n_authors; i++)
		if (strlen(p->authors[i].name) > PAPER_NAME_MAX ||
		    (p->authors[i].affiliation && strlen(p->authors[i].affiliation) > PAPER_NAME_MAX))
			return true;
	return p->upvotes > PAPER_COUNT_MAX || p->num_comments > PAPER_COUNT_MAX ||
	       p->github_stars > PAPER_COUNT_MAX;
}

/* Cuts s to at most max bytes, back to the start of a UTF-8 sequence; returns whether it did. */
static bool cut(char *s, size_t max)
{
	if (!s || strlen(s) <= max)
		return false;
	size_t at = max;
	while (at > 0 && ((unsigned char)s[at] & 0xC0) == 0x80)
		at--;
	s[at] = '\0';
	return true;
}

static const char *field_name(const struct paper *p, char *const *f)
{
	return f == &p->title ? "title" : f == &p->abstract ? "abstract" : f == &p->comment ? "comment"
	       : f == &p->ai_summary ? "AI summary" : f == &p->journal_ref ? "journal ref" : "a field";
}

static void say(char *what, size_t n, size_t *used, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void say(char *what, size_t n, size_t *used, const char *fmt, ...)
{
	if (*used >= n)
		return;
	if (*used && *used + 2 < n)
		*used += (size_t)snprintf(what + *used, n - *used, ", ");
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(what + *used, n - *used, fmt, ap);
	va_end(ap);
	*used = k < 0 ? n : *used + (size_t)k;
}

int paper_apply_limits(struct paper *p, char *what, size_t n)
{
	char **f[MAX_FIELDS];
	size_t nf = string_fields(p, f), used = 0;
	int changed = 0;
	if (n)
		what[0] = '\0';
	for (size_t i = 0; i < nf; i++) {
		if (f[i] == &p->id)
			continue;   /* refused by the store, never cut */
		size_t len = *f[i] ? strlen(*f[i]) : 0;
		if (cut(*f[i], text_max(p, f[i]))) {
			say(what, n, &used, "%s cut from %zu to %zu bytes", field_name(p, f[i]), len,
			    strlen(*f[i]));
			changed++;
		}
	}
	if (p->n_authors > PAPER_AUTHORS_MAX) {
		say(what, n, &used, "%zu authors: kept the first %d", p->n_authors, PAPER_AUTHORS_MAX);
		for (size_t i = PAPER_AUTHORS_MAX; i < p->n_authors; i++) {
			free(p->authors[i].name);
			free(p->authors[i].affiliation);
		}
		p->n_authors = PAPER_AUTHORS_MAX;
		changed++;
	}
	size_t names = 0;
	for (size_t i = 0; i < p->n_authors; i++)
		names += cut(p->authors[i].name, PAPER_NAME_MAX) +
		         cut(p->authors[i].affiliation, PAPER_NAME_MAX);
	if (names) {
		say(what, n, &used, "%zu author name%s or affiliation%s cut to %d bytes", names,
		    names == 1 ? "" : "s", names == 1 ? "" : "s", PAPER_NAME_MAX);
		changed++;
	}
	int64_t *counts[] = {&p->upvotes, &p->num_comments, &p->github_stars};
	for (size_t i = 0; i < ARRAY_LEN(counts); i++)
		if (*counts[i] > PAPER_COUNT_MAX) {
			*counts[i] = PAPER_COUNT_MAX;
			say(what, n, &used, "a count over 10^12 clamped");
			changed++;
		}
	return changed;
}

int64_t paper_count_from_double(double d)
{
	if (!(d >= 0))   /* NaN too */
		return -1;
	return d >= (double)PAPER_COUNT_MAX ? PAPER_COUNT_MAX : (int64_t)d;
}

char *paper_org_label(const char *org, bool submitter)
{
	if (!org || !*org)
		return NULL;
	return submitter ? xasprintf("submitted by %s", org) : xstrdup(org);
}

/* ---- arXiv ids ----------------------------------------------------------------------------- */

static const char *skip_prefix(const char *s)
{
	static const char *const prefixes[] = {
		"https://arxiv.org/abs/", "http://arxiv.org/abs/", "https://export.arxiv.org/abs/",
		"http://export.arxiv.org/abs/", "https://arxiv.org/pdf/", "http://arxiv.org/pdf/",
		"https://www.arxiv.org/abs/", "http://www.arxiv.org/abs/",
		"https://huggingface.co/papers/", "oai:arXiv.org:", "arXiv:", "arxiv:",
	};

	for (size_t i = 0; i < ARRAY_LEN(prefixes); i++) {
		size_t n = strlen(prefixes[i]);
		if (strncasecmp(s, prefixes[i], n) == 0)
			return s + n;
	}
	return s;
}

static size_t count_digits(const char *s)
{
	size_t n = 0;

	while (isdigit((unsigned char)s[n]))
		n++;
	return n;
}

/* Length of a bare id at s (without version), or 0. New: YYMM.NNNN(N); old: archive[.SUBJ]/YYMMNNN. */
static size_t id_length(const char *s)
{
	size_t d = count_digits(s);

	if (d == 4 && s[4] == '.') {
		size_t n = count_digits(s + 5);
		int mm = (s[2] - '0') * 10 + (s[3] - '0');
		if ((n == 4 || n == 5) && mm >= 1 && mm <= 12)
			return 5 + n;
		return 0;
	}
	size_t i = 0;
	while (islower((unsigned char)s[i]) || s[i] == '-')
		i++;
	if (i == 0)
		return 0;
	if (s[i] == '.') {
		size_t j = i + 1;
		while (isalpha((unsigned char)s[j]))
			j++;
		if (j == i + 1)
			return 0;
		i = j;
	}
	if (s[i] != '/' || count_digits(s + i + 1) != 7)
		return 0;
	return i + 8;
}

int paper_parse_arxiv_id(const char *s, char *out, size_t n, int *version)
{
	if (!s)
		return -1;
	while (isspace((unsigned char)*s))
		s++;
	s = skip_prefix(s);
	size_t len = id_length(s);
	if (len == 0 || len + 1 > n)
		return -1;
	const char *rest = s + len;
	int v = 0;
	if (*rest == 'v' && isdigit((unsigned char)rest[1])) {
		size_t nd = count_digits(rest + 1);
		if (nd > 4)   /* arXiv versions are small: v12345 is no id (and atoi would overflow) */
			return -1;
		v = atoi(rest + 1);
		rest += 1 + nd;
	}
	if (strncmp(rest, ".pdf", 4) == 0)
		rest += 4;
	while (isspace((unsigned char)*rest) || *rest == '/')
		rest++;
	if (*rest != '\0')
		return -1;
	memcpy(out, s, len);
	out[len] = '\0';
	if (version)
		*version = v;
	return 0;
}

bool paper_is_arxiv_id(const char *id)
{
	return id && id_length(id) == strlen(id);
}

char *paper_abs_url(const char *id) { return xasprintf("https://arxiv.org/abs/%s", id); }
char *paper_pdf_url(const char *id) { return xasprintf("https://arxiv.org/pdf/%s", id); }
char *paper_hf_url(const char *id) { return xasprintf("https://huggingface.co/papers/%s", id); }

bool paper_valid_id(const char *id)
{
	if (!id)
		return false;
	if (paper_is_arxiv_id(id))
		return true;
	if (strncmp(id, "doi:", 4) != 0 && strncmp(id, "url:", 4) != 0)
		return false;
	for (const char *s = id; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == 0x7f)
			return false;
	return strlen(id) > 4 && strlen(id) <= PAPER_ID_MAX;
}

char *paper_normalise_tags(const char *s)
{
	struct sbuf b = {0};
	sbuf_add(&b, "", 0);
	const char *p = s ? s : "";
	while (*p) {
		p += strspn(p, " \t\n,");
		size_t k = strcspn(p, " \t\n,");
		const char *w = p;
		p += k;
		while (k && *w == '#') {
			w++;
			k--;
		}
		if (!k)
			continue;
		/* a duplicate is a whole word already in b */
		bool dup = false;
		for (const char *q = b.s; *q && !dup;) {
			size_t m = strcspn(q, " ");
			dup = m == k && strncasecmp(q, w, k) == 0;   /* tag:ML finds "ml" too */
			q += m;
			q += *q == ' ';
		}
		if (dup)
			continue;
		if (b.len)
			sbuf_addc(&b, ' ');
		sbuf_add(&b, w, k);
	}
	return sbuf_steal(&b);
}

/* ---- source kinds and name keys -------------------------------------------------------------- */

const char *paper_source_kind_name(enum paper_source_kind k)
{
	static const char *const names[PAPER_SRC_KINDS] = {
		[PAPER_SRC_UNKNOWN] = "unknown", [PAPER_SRC_FEED] = "feed",
		[PAPER_SRC_IMPORT] = "import", [PAPER_SRC_HF] = "Hugging Face",
		[PAPER_SRC_ARXIV] = "arXiv",
	};
	return (unsigned)k < PAPER_SRC_KINDS ? names[k] : names[0];
}

/* ASCII folds of U+00C0..U+017F, one letter each; '*' marks the two-letter ones (fold2) and
 * '-' a character kept as written (× ÷). */
static const char fold_latin[] =
	"aaaaaa*ceeeeiiiidnooooo-ouuuuy**"      /* U+00C0 */
	"aaaaaa*ceeeeiiiidnooooo-ouuuuy*y"      /* U+00E0 */
	"aaaaaaccccccccddddeeeeeeeeeegggggggg"  /* U+0100 */
	"hhhhiiiiiiiiii**jjkkkllllllllllnnnnnnnnn"
	"oooooo**rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

static const char *fold2(unsigned cp)
{
	switch (cp) {
	case 0xC6: case 0xE6: return "ae";
	case 0xDE: case 0xFE: return "th";
	case 0xDF: return "ss";
	case 0x132: case 0x133: return "ij";
	default: return "oe";   /* U+0152, U+0153 */
	}
}

_Static_assert(sizeof fold_latin - 1 == 0x180 - 0xC0, "one fold per code point U+00C0..U+017F");

char *paper_name_key(const char *name)
{
	/* written in place (the ranker keys every author of every paper it scores): at most two
	 * bytes for a byte of the name (fold2's), a space for at least one separator */
	size_t n = name ? strlen(name) : 0, k = 0;
	char *b = xmalloc(2 * n + 1);
	bool space = false;
	for (size_t i = 0; i < n;) {
		unsigned cp = (unsigned char)name[i];
		size_t l = 1;
		if (cp >= 0x80) {
			l = text_utf8_decode(name + i, n - i, &cp);
			if (l == 0)
				l = 1, cp = (unsigned char)name[i];
		}
		const char *out = NULL;
		char one[2] = "";
		if (cp < 0x80) {
			if (isspace((int)cp) || cp == '.' || cp == '-') {
				space = k > 0;
				i += l;
				continue;
			}
			one[0] = (char)tolower((int)cp);
			out = one;
		} else if (cp >= 0x300 && cp <= 0x36F) {
			i += l;   /* combining mark (a decomposed accent) */
			continue;
		} else if (cp == 0x2010 || cp == 0x2011 || cp == 0xA0) {
			space = k > 0;   /* Unicode hyphens, no-break space */
			i += l;
			continue;
		} else if (cp >= 0xC0 && cp < 0x180 && fold_latin[cp - 0xC0] != '-') {
			one[0] = fold_latin[cp - 0xC0];
			out = one[0] == '*' ? fold2(cp) : one;
		}
		if (space)
			b[k++] = ' ';
		space = false;
		size_t m = out ? strlen(out) : l;
		memcpy(b + k, out ? out : name + i, m);
		k += m;
		i += l;
	}
	b[k] = 0;
	return b;
}

/* [*w, *w + *n) is the first word of s; the last one with last = true. */
static void word(const char *s, bool last, const char **w, size_t *n)
{
	const char *sp = last ? strrchr(s, ' ') : strchr(s, ' ');
	if (last) {
		*w = sp ? sp + 1 : s;
		*n = strlen(*w);
	} else {
		*w = s;
		*n = sp ? (size_t)(sp - s) : strlen(s);
	}
}

bool paper_name_keys_compatible(const char *a, const char *b)
{
	if (!a || !b || !*a || !*b)
		return false;
	if (!strcmp(a, b))
		return true;
	const char *la, *lb, *fa, *fb;
	size_t nla, nlb, nfa, nfb;
	word(a, true, &la, &nla);
	word(b, true, &lb, &nlb);
	if (la == a || lb == b || nla != nlb || memcmp(la, lb, nla))
		return false;   /* a one-word name only matches itself */
	word(a, false, &fa, &nfa);
	word(b, false, &fb, &nfb);
	if (nfa == nfb)
		return !memcmp(fa, fb, nfa);
	/* an initial and a full first name: the initial is the name's first letter */
	return (nfa == 1 || nfb == 1) && fa[0] == fb[0];
}

enum paper_announce paper_announce_parse(const char *s)
{
	static const char *const names[] = {
		[PAPER_ANN_NEW] = "new", [PAPER_ANN_CROSS] = "cross",
		[PAPER_ANN_REPLACE] = "replace", [PAPER_ANN_REPLACE_CROSS] = "replace-cross",
	};
	for (size_t i = 1; s && i < sizeof names / sizeof names[0]; i++)
		if (strcasecmp(s, names[i]) == 0)
			return (enum paper_announce)i;
	return PAPER_ANN_UNKNOWN;
}
