/* export — BibTeX, JSON Lines, CSV and Markdown writers, and the JSON <-> paper mapping. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "lectern/export.h"
#include "lectern/paper.h"
#include "lectern/paper_fields.h"
#include "lectern/text.h"
#include "lectern/util.h"

int export_parse_format(const char *s, enum export_format *out)
{
	static const struct {
		const char *name;
		enum export_format fmt;
	} names[] = {
		{"bibtex", EXPORT_BIBTEX}, {"bib", EXPORT_BIBTEX},   {"json", EXPORT_JSON},
		{"jsonl", EXPORT_JSON},    {"csv", EXPORT_CSV},      {"markdown", EXPORT_MARKDOWN},
		{"md", EXPORT_MARKDOWN},   {"atom", EXPORT_ATOM},
	};

	for (size_t i = 0; s && i < ARRAY_LEN(names); i++) {
		if (strcmp(s, names[i].name) == 0) {
			*out = names[i].fmt;
			return 0;
		}
	}
	return -1;
}

/* ==== JSON ===================================================================================== */

static struct json_object *jstr(const char *s)
{
	return s ? json_object_new_string(s) : NULL;   /* json-c: a NULL member serialises as null */
}

static struct json_object *jcount(int64_t v)
{
	return v >= 0 ? json_object_new_int64(v) : NULL;
}

static struct json_object *jtime(int64_t t, bool date_only)
{
	char buf[32];

	if (t == 0)
		return NULL;
	if (date_only)
		util_fmt_date(t, buf, sizeof buf);
	else
		util_fmt_iso(t, buf, sizeof buf);
	return json_object_new_string(buf);
}

/* Splits s on sep into a JSON array of strings (empty pieces dropped); NULL stays null. */
static struct json_object *jsplit(const char *s, const char *sep)
{
	if (!s)
		return NULL;
	struct json_object *a = json_object_new_array();
	size_t seplen = strlen(sep);
	for (const char *p = s;;) {
		const char *q = strstr(p, sep);
		size_t n = q ? (size_t)(q - p) : strlen(p);
		if (n > 0)
			json_object_array_add(a, json_object_new_string_len(p, (int)n));
		if (!q)
			break;
		p = q + seplen;
	}
	return a;
}

struct json_object *export_paper_json(const struct paper *p)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "id", jstr(p->id));
	json_object_object_add(o, "version", p->version > 0 ? json_object_new_int(p->version) : NULL);
	json_object_object_add(o, "title", jstr(p->title));
	json_object_object_add(o, "abstract", jstr(p->abstract));

	struct json_object *names = json_object_new_array(), *detail = json_object_new_array();
	for (size_t i = 0; i < p->n_authors; i++) {
		json_object_array_add(names, jstr(p->authors[i].name ? p->authors[i].name : ""));
		struct json_object *a = json_object_new_object();
		json_object_object_add(a, "name", jstr(p->authors[i].name ? p->authors[i].name : ""));
		json_object_object_add(a, "affiliation", jstr(p->authors[i].affiliation));
		json_object_array_add(detail, a);
	}
	json_object_object_add(o, "authors", names);
	json_object_object_add(o, "authors_detail", detail);

	json_object_object_add(o, "published", jtime(p->published, true));
	json_object_object_add(o, "published_time", jtime(p->published, false));
	json_object_object_add(o, "updated", jtime(p->updated, false));
	int vn[256];
	int64_t vt[256];
	size_t nv = paper_versions(p->versions, vn, vt, 256);
	struct json_object *vs = nv ? json_object_new_array() : NULL;
	for (size_t i = 0; i < nv; i++) {
		struct json_object *v = json_object_new_object();
		json_object_object_add(v, "version", json_object_new_int(vn[i]));
		json_object_object_add(v, "date", jtime(vt[i], false));
		json_object_array_add(vs, v);
	}
	json_object_object_add(o, "versions", vs);
	json_object_object_add(o, "primary_category", jstr(p->primary_category));
	json_object_object_add(o, "categories", jsplit(p->categories, " "));
	json_object_object_add(o, "comment", jstr(p->comment));
	json_object_object_add(o, "journal_ref", jstr(p->journal_ref));
	json_object_object_add(o, "doi", jstr(p->doi));

	struct json_object *links = json_object_new_object();
	const struct {
		const char *key, *url;
	} l[] = {{"abs", p->url_abs}, {"pdf", p->url_pdf}, {"code", p->url_code},
	         {"project", p->url_project}, {"hf", p->url_hf}};
	for (size_t i = 0; i < ARRAY_LEN(l); i++)
		if (l[i].url)
			json_object_object_add(links, l[i].key, jstr(l[i].url));
	/* The links written in the abstract and comment (paper_links), only when there are any: the
	 * keys above stay as they were (import reads them back; these come from the text). */
	struct paper_link *all = paper_links(p, NULL);
	struct json_object *found = NULL;
	for (struct paper_link *k = all; k->url; k++) {
		if (k->kind != PAPER_LINK_FOUND)
			continue;
		if (!found)
			found = json_object_new_array();
		json_object_array_add(found, jstr(k->url));
	}
	free(all);
	if (found)
		json_object_object_add(links, "found", found);
	json_object_object_add(o, "links", links);

	json_object_object_add(o, "upvotes", jcount(p->upvotes));
	json_object_object_add(o, "num_comments", jcount(p->num_comments));
	json_object_object_add(o, "github_stars", jcount(p->github_stars));
	json_object_object_add(o, "organization", jstr(p->organization));
	if (p->org_submitter)   /* only when set: older readers see what they always saw */
		json_object_object_add(o, "org_submitter", json_object_new_boolean(true));
	json_object_object_add(o, "submitter", jstr(p->submitter));
	json_object_object_add(o, "ai_summary", jstr(p->ai_summary));
	json_object_object_add(o, "ai_keywords", jsplit(p->ai_keywords, ", "));
	json_object_object_add(o, "hf_day", jstr(p->hf_day));
	json_object_object_add(o, "thumbnail", jstr(p->thumbnail));

	json_object_object_add(o, "favourite", json_object_new_boolean(p->favourite));
	json_object_object_add(o, "fav_time", jtime(p->fav_time, false));
	json_object_object_add(o, "read", json_object_new_boolean(p->read));
	if (p->hidden)   /* only when set, like org_submitter */
		json_object_object_add(o, "hidden", json_object_new_boolean(true));
	if (p->withdrawn)   /* arXiv withdrew it (an OAI-PMH deleted record): the same */
		json_object_object_add(o, "withdrawn", json_object_new_boolean(true));
	json_object_object_add(o, "note", jstr(p->note));
	json_object_object_add(o, "tags", jsplit(p->tags, " "));

	struct json_object *ls = json_object_new_array();
	for (const char *s = p->listings; s && *s;) {
		size_t n = strcspn(s, "\n");
		const char *sp = memchr(s, ' ', n);
		struct json_object *e = json_object_new_object();
		size_t srcn = sp ? (size_t)(sp - s) : n;
		json_object_object_add(e, "source", json_object_new_string_len(s, (int)srcn));
		json_object_object_add(e, "day", sp ? json_object_new_string_len(sp + 1, (int)(n - srcn - 1)) : NULL);
		json_object_array_add(ls, e);
		s += n;
		if (*s == '\n')
			s++;
	}
	json_object_object_add(o, "listings", ls);
	return o;
}

void export_json_line(FILE *f, const struct paper *p)
{
	struct json_object *o = export_paper_json(p);

	fputs(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE), f);
	fputc('\n', f);
	json_object_put(o);
}

/* ---- JSON -> paper ------------------------------------------------------------------------ */

/* Each getter returns 0 when the key is absent, null or well-typed (setting the output only in the
 * last case), -1 with e set when the type is wrong. */
static int get_str(struct json_object *o, const char *key, char **out, struct lerr *e)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !v)
		return 0;
	if (!json_object_is_type(v, json_type_string)) {
		lerr_set(e, LERR_PARSE, 0, "\"%s\" must be a string or null", key);
		return -1;
	}
	paper_set(out, json_object_get_string(v));
	return 0;
}

static int get_int(struct json_object *o, const char *key, int64_t *out, struct lerr *e)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !v)
		return 0;
	if (!json_object_is_type(v, json_type_int)) {
		lerr_set(e, LERR_PARSE, 0, "\"%s\" must be an integer or null", key);
		return -1;
	}
	errno = 0;
	int64_t n = json_object_get_int64(v);
	if (errno != 0 || n < 0) {
		lerr_set(e, LERR_PARSE, 0, "\"%s\" is out of range", key);
		return -1;
	}
	*out = n;
	return 0;
}

static int get_bool(struct json_object *o, const char *key, bool *out, struct lerr *e)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !v)
		return 0;
	if (!json_object_is_type(v, json_type_boolean)) {
		lerr_set(e, LERR_PARSE, 0, "\"%s\" must be true, false or null", key);
		return -1;
	}
	*out = json_object_get_boolean(v);
	return 0;
}

/* A time: an RFC 3339 string, a "YYYY-MM-DD" day or unix seconds. */
static int get_time(struct json_object *o, const char *key, int64_t *out, struct lerr *e)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !v)
		return 0;
	if (json_object_is_type(v, json_type_int))
		return get_int(o, key, out, e);
	if (json_object_is_type(v, json_type_string) &&
	    util_parse_time(json_object_get_string(v), out) == 0)
		return 0;
	lerr_set(e, LERR_PARSE, 0, "\"%s\" must be a date like \"2025-01-31T12:00:00Z\" or null", key);
	return -1;
}

/* "versions": [{"version": N, "date": "..."}, ...] (as written above) into p->versions. */
static int get_versions(struct json_object *o, struct paper *p, struct lerr *e)
{
	struct json_object *vs;
	if (!json_object_object_get_ex(o, "versions", &vs) || !vs)
		return 0;
	for (size_t i = 0, n = json_object_is_type(vs, json_type_array) ?
	     json_object_array_length(vs) : 0; i < n; i++) {
		struct json_object *v = json_object_array_get_idx(vs, i);
		int64_t version = 0, t = 0;   /* (a missing version stays 0: refused) */
		if (!v || !json_object_is_type(v, json_type_object) || get_int(v, "version", &version, e) < 0 ||
		    get_time(v, "date", &t, e) < 0 || version < 1 || version > INT_MAX) {
			lerr_set(e, LERR_PARSE, 0, "\"versions\" must be a list of {\"version\": N, "
			         "\"date\": \"2025-01-31T12:00:00Z\"}");
			return -1;
		}
		paper_add_version(&p->versions, (int)version, t);
	}
	if (!json_object_is_type(vs, json_type_array)) {
		lerr_set(e, LERR_PARSE, 0, "\"versions\" must be a list or null");
		return -1;
	}
	return 0;
}

/* An array of strings joined with sep (a plain string is taken as already joined). */
static int get_list(struct json_object *o, const char *key, const char *sep, char **out,
                    struct lerr *e)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !v)
		return 0;
	if (json_object_is_type(v, json_type_string))
		return get_str(o, key, out, e);
	if (!json_object_is_type(v, json_type_array)) {
		lerr_set(e, LERR_PARSE, 0, "\"%s\" must be an array of strings or null", key);
		return -1;
	}
	struct sbuf b = {0};
	size_t n = json_object_array_length(v);
	for (size_t i = 0; i < n; i++) {
		struct json_object *it = json_object_array_get_idx(v, i);
		if (!json_object_is_type(it, json_type_string)) {
			lerr_set(e, LERR_PARSE, 0, "\"%s\" must be an array of strings or null", key);
			sbuf_free(&b);
			return -1;
		}
		if (i > 0)
			sbuf_adds(&b, sep);
		sbuf_adds(&b, json_object_get_string(it));
	}
	free(*out);
	*out = sbuf_steal(&b);
	return 0;
}

static int get_authors(struct json_object *o, struct paper *p, struct lerr *e)
{
	struct json_object *v;

	if (json_object_object_get_ex(o, "authors_detail", &v) && v) {
		if (!json_object_is_type(v, json_type_array))
			goto bad_detail;
		size_t n = json_object_array_length(v);
		for (size_t i = 0; i < n; i++) {
			struct json_object *a = json_object_array_get_idx(v, i), *name, *aff = NULL;
			if (!json_object_is_type(a, json_type_object) ||
			    !json_object_object_get_ex(a, "name", &name) ||
			    !json_object_is_type(name, json_type_string))
				goto bad_detail;
			if (json_object_object_get_ex(a, "affiliation", &aff) && aff &&
			    !json_object_is_type(aff, json_type_string))
				goto bad_detail;
			paper_add_author(p, json_object_get_string(name), aff ? json_object_get_string(aff) : NULL);
		}
		return 0;
	}
	if (!json_object_object_get_ex(o, "authors", &v) || !v)
		return 0;
	if (!json_object_is_type(v, json_type_array))
		goto bad_names;
	size_t n = json_object_array_length(v);
	for (size_t i = 0; i < n; i++) {
		struct json_object *a = json_object_array_get_idx(v, i);
		if (!json_object_is_type(a, json_type_string))
			goto bad_names;
		paper_add_author(p, json_object_get_string(a), NULL);
	}
	return 0;
bad_detail:
	lerr_set(e, LERR_PARSE, 0, "\"authors_detail\" must be an array of {\"name\": string, \"affiliation\": string or null}");
	return -1;
bad_names:
	lerr_set(e, LERR_PARSE, 0, "\"authors\" must be an array of strings");
	return -1;
}

static int get_listings(struct json_object *o, struct paper *p, struct lerr *e)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, "listings", &v) || !v)
		return 0;
	if (!json_object_is_type(v, json_type_array))
		goto bad;
	struct sbuf b = {0};
	size_t n = json_object_array_length(v);
	for (size_t i = 0; i < n; i++) {
		struct json_object *l = json_object_array_get_idx(v, i), *src, *day = NULL;
		if (!json_object_is_type(l, json_type_object) ||
		    !json_object_object_get_ex(l, "source", &src) ||
		    !json_object_is_type(src, json_type_string) ||
		    strpbrk(json_object_get_string(src), " \n") ||
		    (json_object_object_get_ex(l, "day", &day) && day &&
		     (!json_object_is_type(day, json_type_string) ||
		      !util_valid_date(json_object_get_string(day))))) {
			sbuf_free(&b);
			goto bad;
		}
		if (b.len)
			sbuf_addc(&b, '\n');
		sbuf_adds(&b, json_object_get_string(src));
		if (day)
			sbuf_printf(&b, " %s", json_object_get_string(day));
	}
	if (b.len) {
		free(p->listings);
		p->listings = sbuf_steal(&b);
	}
	return 0;
bad:
	lerr_set(e, LERR_PARSE, 0, "\"listings\" must be an array of {\"source\": word, \"day\": \"YYYY-MM-DD\" or null}");
	return -1;
}

int export_paper_from_json(struct json_object *o, struct paper *p, struct lerr *e)
{
	paper_init(p);
	lerr_clear(e);
	if (!json_object_is_type(o, json_type_object)) {
		lerr_set(e, LERR_PARSE, 0, "not a JSON object");
		return -1;
	}
	char *id = NULL;
	if (get_str(o, "id", &id, e) < 0)
		return -1;
	if (!id || !*id) {
		free(id);
		lerr_set(e, LERR_PARSE, 0, "missing \"id\"");
		return -1;
	}
	char bare[64];
	int version = 0;
	if (paper_parse_arxiv_id(id, bare, sizeof bare, &version) == 0) {
		p->id = xstrdup(bare);
		free(id);
	} else {
		p->id = id;
	}
	int64_t v = version;
	if (get_int(o, "version", &v, e) < 0 || v > 100000)
		goto bad_version;
	p->version = (int)v;

	struct {
		const char *key;
		char **field;
	} strs[] = {
		{"title", &p->title},
		{"abstract", &p->abstract},
		{"primary_category", &p->primary_category},
		{"comment", &p->comment},
		{"journal_ref", &p->journal_ref},
		{"doi", &p->doi},
		{"organization", &p->organization},
		{"submitter", &p->submitter},
		{"ai_summary", &p->ai_summary},
		{"hf_day", &p->hf_day},
		{"thumbnail", &p->thumbnail},
		{"note", &p->note},
	};
	for (size_t i = 0; i < ARRAY_LEN(strs); i++)
		if (get_str(o, strs[i].key, strs[i].field, e) < 0)
			goto fail;
	if (p->hf_day && !util_valid_date(p->hf_day)) {
		lerr_set(e, LERR_PARSE, 0, "\"hf_day\" must be a date like \"2025-01-31\" or null");
		goto fail;
	}
	if (get_authors(o, p, e) < 0 || get_listings(o, p, e) < 0 || get_versions(o, p, e) < 0)
		goto fail;
	/* published_time carries the time of day that "published" (a day) drops. */
	struct json_object *tmp;
	const char *pubkey = json_object_object_get_ex(o, "published_time", &tmp) && tmp ? "published_time" : "published";
	if (get_time(o, pubkey, &p->published, e) < 0 || get_time(o, "updated", &p->updated, e) < 0 ||
	    get_time(o, "fav_time", &p->fav_time, e) < 0)
		goto fail;
	if (get_list(o, "categories", " ", &p->categories, e) < 0 ||
	    get_list(o, "ai_keywords", ", ", &p->ai_keywords, e) < 0 ||
	    get_list(o, "tags", " ", &p->tags, e) < 0)
		goto fail;
	if (get_int(o, "upvotes", &p->upvotes, e) < 0 || get_int(o, "num_comments", &p->num_comments, e) < 0 ||
	    get_int(o, "github_stars", &p->github_stars, e) < 0)
		goto fail;
	if (get_bool(o, "favourite", &p->favourite, e) < 0 || get_bool(o, "read", &p->read, e) < 0 ||
	    get_bool(o, "hidden", &p->hidden, e) < 0 ||
	    get_bool(o, "org_submitter", &p->org_submitter, e) < 0)
		goto fail;

	struct json_object *links;
	if (json_object_object_get_ex(o, "links", &links) && links) {
		if (!json_object_is_type(links, json_type_object)) {
			lerr_set(e, LERR_PARSE, 0, "\"links\" must be an object");
			goto fail;
		}
		struct {
			const char *key;
			char **field;
		} l[] = {{"abs", &p->url_abs}, {"pdf", &p->url_pdf}, {"code", &p->url_code},
		         {"project", &p->url_project}, {"hf", &p->url_hf}};
		for (size_t i = 0; i < ARRAY_LEN(l); i++) {
			if (get_str(links, l[i].key, l[i].field, e) < 0) {
				lerr_set(e, LERR_PARSE, 0, "\"links.%s\" must be a string or null", l[i].key);
				goto fail;
			}
		}
	}
	return 0;
bad_version:
	if (e && e->kind == LERR_NONE)
		lerr_set(e, LERR_PARSE, 0, "\"version\" is out of range");
fail:
	paper_clear(p);
	return -1;
}

/* ==== BibTeX =================================================================================== */

/* ASCII spelling (lower case) of a Latin letter with diacritics, "" for other characters. */
static const char *ascii_fold(unsigned cp)
{
	static const char *const latin1[64] = {
		"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
		"d", "n", "o", "o", "o", "o", "o", "",  "o", "u", "u", "u", "u", "y", "th", "ss",
		"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
		"d", "n", "o", "o", "o", "o", "o", "",  "o", "u", "u", "u", "u", "y", "th", "y",
	};
	/* Latin Extended-A, U+0100..U+017F, as ranges of the same base letter. */
	static const struct {
		unsigned last;
		const char *s;
	} exta[] = {
		{0x105, "a"}, {0x10d, "c"}, {0x111, "d"}, {0x11b, "e"}, {0x123, "g"}, {0x127, "h"},
		{0x131, "i"}, {0x133, "ij"}, {0x135, "j"}, {0x138, "k"}, {0x142, "l"}, {0x14b, "n"},
		{0x151, "o"}, {0x153, "oe"}, {0x159, "r"}, {0x161, "s"}, {0x167, "t"}, {0x173, "u"},
		{0x175, "w"}, {0x178, "y"}, {0x17e, "z"}, {0x17f, "s"},
	};

	if (cp >= 0xc0 && cp <= 0xff)
		return latin1[cp - 0xc0];
	if (cp >= 0x100 && cp <= 0x17f)
		for (size_t i = 0; i < ARRAY_LEN(exta); i++)
			if (cp <= exta[i].last)
				return exta[i].s;
	return "";
}

/* Appends the lower-case ASCII letters and digits of s[0..n) to b, letters with diacritics folded
 * ("Müller" -> "muller"); other characters are dropped. */
static void fold_word(struct sbuf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned cp;
		if (s[i] == '\\' && i + 1 < n && isalpha((unsigned char)s[i + 1])) {
			/* \alpha -> "alpha" is more helpful than nothing; accents (\'e) fall through. */
			i++;
			continue;
		}
		size_t k = text_utf8_decode(s + i, n - i, &cp);
		if (cp < 0x80) {
			if (isalnum((int)cp))
				sbuf_addc(b, (char)tolower((int)cp));
		} else {
			sbuf_adds(b, ascii_fold(cp));
		}
		i += k;
	}
}

static bool is_stopword(const char *w)
{
	static const char *const stop[] = {
		"a", "an", "the", "on", "of", "in", "for", "to", "and", "at", "by", "from", "with",
		"is", "are", "do", "does", "how", "what", "why", "when", "can", "via", "towards", "toward",
	};

	for (size_t i = 0; i < ARRAY_LEN(stop); i++)
		if (strcmp(w, stop[i]) == 0)
			return true;
	return false;
}

static bool is_name_suffix(const char *s, size_t n)
{
	static const char *const suf[] = {"Jr", "Jr.", "Sr", "Sr.", "II", "III", "IV", "jr", "jr."};

	for (size_t i = 0; i < ARRAY_LEN(suf); i++)
		if (strlen(suf[i]) == n && memcmp(s, suf[i], n) == 0)
			return true;
	return false;
}

/* Family name of "First Last" (or "Last, First"): the last word that is not Jr./III... */
static void family_name(struct sbuf *b, const char *name)
{
	const char *comma = strchr(name, ',');
	size_t len = comma ? (size_t)(comma - name) : strlen(name);

	if (comma) {
		fold_word(b, name, len);
		return;
	}
	const char *end = name + len;
	while (end > name) {
		while (end > name && isspace((unsigned char)end[-1]))
			end--;
		const char *start = end;
		while (start > name && !isspace((unsigned char)start[-1]))
			start--;
		if (start == end)
			break;
		if (!is_name_suffix(start, (size_t)(end - start)) || start == name) {
			size_t before = b->len;
			fold_word(b, start, (size_t)(end - start));
			if (b->len > before)
				return;
		}
		end = start;
	}
}

static int paper_year(const struct paper *p)
{
	int64_t t = p->published;
	char buf[16];

	/* A new-style arXiv id starts with the YYMM of its first version, which is the year arXiv's
	 * own BibTeX uses; listings (RSS) only give the day a replacement was announced. */
	if (!t && p->id && paper_is_arxiv_id(p->id) && p->id[4] == '.')
		return 2000 + (p->id[0] - '0') * 10 + (p->id[1] - '0');
	if (!t)
		t = p->updated;
	if (t) {
		util_fmt_date(t, buf, sizeof buf);
		return atoi(buf);
	}
	if (p->hf_day && util_valid_date(p->hf_day))
		return atoi(p->hf_day);
	return 0;
}

char *export_bibtex_base_key(const struct paper *p)
{
	struct sbuf b = {0};

	if (p->n_authors > 0 && p->authors[0].name)
		family_name(&b, p->authors[0].name);
	/* A key must start with a letter (names like "Author 7" fold to digits). */
	if (b.len == 0 || !isalpha((unsigned char)b.s[0])) {
		sbuf_reset(&b);
		sbuf_adds(&b, "anon");
	}
	int year = paper_year(p);
	if (year > 0)
		sbuf_printf(&b, "%d", year);

	const char *t = p->title ? p->title : "";
	struct sbuf w = {0};
	while (*t) {
		t += strspn(t, " \t\n");
		size_t n = strcspn(t, " \t\n");
		if (n == 0)
			break;
		sbuf_reset(&w);
		fold_word(&w, t, n);
		if (w.len > 0 && !is_stopword(w.s)) {
			sbuf_add(&b, w.s, w.len);
			break;
		}
		t += n;
	}
	sbuf_free(&w);
	return sbuf_steal(&b);
}

/* ---- the key table --------------------------------------------------------------------------
 * A hash set of keys in use plus an id -> entry map. Keys are assigned in export_keys_finish. */
struct key_entry {
	char *id;
	char *base;
	char *key;           /* final key, NULL until assigned */
	int64_t published;
};

struct export_keys {
	struct key_entry *v;
	size_t n, cap;
	size_t *by_id;       /* open-addressing table of indexes + 1 into v, 0 empty */
	size_t id_cap;
	char **used;         /* open-addressing set of keys taken (borrowed from entries) */
	size_t used_n, used_cap;
	bool finished;
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;   /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

struct export_keys *export_keys_new(void)
{
	return xcalloc(1, sizeof(struct export_keys));
}

void export_keys_free(struct export_keys **kp)
{
	struct export_keys *k = kp ? *kp : NULL;

	if (!k)
		return;
	for (size_t i = 0; i < k->n; i++) {
		free(k->v[i].id);
		free(k->v[i].base);
		free(k->v[i].key);
	}
	free(k->v);
	free(k->by_id);
	free(k->used);
	free(k);
	*kp = NULL;
}

static size_t *id_slot(struct export_keys *k, const char *id)
{
	size_t mask = k->id_cap - 1;

	for (size_t i = hash_str(id) & mask;; i = (i + 1) & mask)
		if (k->by_id[i] == 0 || strcmp(k->v[k->by_id[i] - 1].id, id) == 0)
			return &k->by_id[i];
}

static void id_grow(struct export_keys *k)
{
	free(k->by_id);
	k->id_cap = k->id_cap ? k->id_cap * 2 : 64;
	k->by_id = xcalloc(k->id_cap, sizeof *k->by_id);
	for (size_t i = 0; i < k->n; i++)
		*id_slot(k, k->v[i].id) = i + 1;
}

static bool key_used(const struct export_keys *k, const char *key)
{
	if (k->used_cap == 0)
		return false;
	size_t mask = k->used_cap - 1;
	for (size_t i = hash_str(key) & mask; k->used[i]; i = (i + 1) & mask)
		if (strcmp(k->used[i], key) == 0)
			return true;
	return false;
}

static void key_insert(struct export_keys *k, char *key)
{
	if ((k->used_n + 1) * 2 > k->used_cap) {
		char **old = k->used;
		size_t oldcap = k->used_cap;
		k->used_cap = k->used_cap ? k->used_cap * 2 : 64;
		k->used = xcalloc(k->used_cap, sizeof *k->used);
		k->used_n = 0;
		for (size_t i = 0; i < oldcap; i++)
			if (old[i])
				key_insert(k, old[i]);
		free(old);
	}
	size_t mask = k->used_cap - 1;
	size_t i = hash_str(key) & mask;
	while (k->used[i])
		i = (i + 1) & mask;
	k->used[i] = key;
	k->used_n++;
}

static struct key_entry *entry_add(struct export_keys *k, const struct paper *p)
{
	const char *id = p->id ? p->id : "";

	if (k->id_cap && *id_slot(k, id))
		return &k->v[*id_slot(k, id) - 1];
	if ((k->n + 1) * 2 > k->id_cap)
		id_grow(k);
	if (k->n == k->cap) {
		k->cap = k->cap ? k->cap * 2 : 64;
		k->v = xreallocarray(k->v, k->cap, sizeof *k->v);
	}
	struct key_entry *en = &k->v[k->n++];
	en->id = xstrdup(id);
	en->base = export_bibtex_base_key(p);
	en->key = NULL;
	en->published = p->published;
	*id_slot(k, id) = k->n;
	return en;
}

void export_keys_add(struct export_keys *k, const struct paper *p)
{
	entry_add(k, p);
}

/* base + "a".."z", "aa"...: the first suffix not already taken. */
static char *suffixed(struct export_keys *k, const char *base, size_t *next)
{
	for (;;) {
		char suf[16];
		size_t i = (*next)++, len = 0;
		char tmp[16];
		do {   /* bijective base-26: 0 -> a, 25 -> z, 26 -> aa */
			tmp[len++] = (char)('a' + i % 26);
			i = i / 26;
		} while (i-- > 0 && len < sizeof tmp - 1);
		for (size_t j = 0; j < len; j++)
			suf[j] = tmp[len - 1 - j];
		suf[len] = '\0';
		char *key = xasprintf("%s%s", base, suf);
		if (!key_used(k, key))
			return key;
		free(key);
	}
}

static int cmp_entry(const void *a, const void *b)
{
	const struct key_entry *x = *(const struct key_entry *const *)a, *y = *(const struct key_entry *const *)b;
	int c = strcmp(x->base, y->base);

	if (c)
		return c;
	if (x->published != y->published)
		return x->published < y->published ? -1 : 1;
	return strcmp(x->id, y->id);
}

void export_keys_finish(struct export_keys *k)
{
	if (k->finished)
		return;
	k->finished = true;
	struct key_entry **order = xreallocarray(NULL, k->n ? k->n : 1, sizeof *order);
	for (size_t i = 0; i < k->n; i++)
		order[i] = &k->v[i];
	qsort(order, k->n, sizeof *order, cmp_entry);
	/* Unique bases keep their plain key; reserve those first so a suffixed key never takes one. */
	for (size_t i = 0; i < k->n; i++) {
		bool dup = (i > 0 && strcmp(order[i - 1]->base, order[i]->base) == 0) ||
		           (i + 1 < k->n && strcmp(order[i + 1]->base, order[i]->base) == 0);
		if (!dup) {
			order[i]->key = xstrdup(order[i]->base);
			key_insert(k, order[i]->key);
		}
	}
	for (size_t i = 0; i < k->n;) {
		size_t j = i, next = 0;
		while (j < k->n && strcmp(order[j]->base, order[i]->base) == 0)
			j++;
		if (j - i > 1) {
			key_insert(k, order[i]->base);   /* a late paper of this group gets a suffix too */
			for (size_t m = i; m < j; m++) {
				order[m]->key = suffixed(k, order[m]->base, &next);
				key_insert(k, order[m]->key);
			}
		}
		i = j;
	}
	free(order);
}

const char *export_keys_get(struct export_keys *k, const struct paper *p)
{
	struct key_entry *en = entry_add(k, p);

	if (!en->key) {
		/* Not seen by finish (added since): plain if free, else the next free suffix. */
		size_t next = 0;
		en->key = key_used(k, en->base) ? suffixed(k, en->base, &next) : xstrdup(en->base);
		key_insert(k, en->key);
	}
	return en->key;
}

/* ---- TeX escaping ---------------------------------------------------------------------------- */

/* Marks in m[] the braces of s that pair up (BibTeX counts every brace, escaped or not). */
static void match_braces(const char *s, size_t n, bool *m)
{
	size_t *stack = xreallocarray(NULL, n ? n : 1, sizeof *stack), depth = 0;

	for (size_t i = 0; i < n; i++) {
		m[i] = false;
		if (s[i] == '{') {
			stack[depth++] = i;
		} else if (s[i] == '}' && depth > 0) {
			m[i] = true;
			m[stack[--depth]] = true;
		}
	}
	free(stack);
}

/* End (index after the closing delimiter) of a math span opening at s[i], or 0 when none. */
static size_t math_end(const char *s, size_t n, size_t i)
{
	const char *close;
	size_t open;

	if (s[i] == '$') {
		bool dbl = i + 1 < n && s[i + 1] == '$';
		close = dbl ? "$$" : "$";
		open = dbl ? 2 : 1;
	} else if (s[i] == '\\' && i + 1 < n && (s[i + 1] == '(' || s[i + 1] == '[')) {
		close = s[i + 1] == '(' ? "\\)" : "\\]";
		open = 2;
	} else {
		return 0;
	}
	size_t cl = strlen(close);
	for (size_t j = i + open; j + cl <= n; j++) {
		if (s[j] == '\\' && close[0] == '$') {
			j++;   /* \$ inside math is not the end */
			continue;
		}
		if (memcmp(s + j, close, cl) == 0)
			return j > i + open ? j + cl : 0;
	}
	return 0;
}

static bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static bool is_alnum(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

char *export_tex_escape(const char *s, int flags)
{
	if (!s)
		return xstrdup("");
	size_t n = strlen(s);
	bool *matched = xreallocarray(NULL, n ? n : 1, sizeof *matched);
	struct sbuf b = {0};
	bool latex = flags & EXPORT_TEX_LATEX;
	size_t math = 0;   /* end of the math span we are in, 0 outside */
	int depth = 0;     /* depth of kept braces (inside them capitals are already protected) */

	match_braces(s, n, matched);
	for (size_t i = 0; i < n;) {
		char c = s[i];
		if (math && i >= math)
			math = 0;
		if (latex && !math && (c == '$' || c == '\\')) {
			size_t end = math_end(s, n, i);
			if (end) {
				math = end;
				size_t open = (c == '$' && s[i + 1] == '$') || c == '\\' ? 2 : 1;
				sbuf_add(&b, s + i, open);
				i += open;
				continue;
			}
		}
		if (c == '{' || c == '}') {
			if (latex && matched[i]) {
				depth += c == '{' ? 1 : -1;
				sbuf_addc(&b, c);
			} else if (math) {
				sbuf_adds(&b, c == '{' ? "\\lbrace " : "\\rbrace ");
			} else {
				sbuf_adds(&b, c == '{' ? "\\textbraceleft{}" : "\\textbraceright{}");
			}
			i++;
			continue;
		}
		if (c == '\\' && latex) {
			char d = i + 1 < n ? s[i + 1] : '\0';
			if (isalpha((unsigned char)d)) {   /* a control word: \emph, \LaTeX */
				size_t j = i + 1;
				while (j < n && isalpha((unsigned char)s[j]))
					j++;
				sbuf_add(&b, s + i, j - i);
				i = j;
				continue;
			}
			if (d && strchr("$%&#_'`^\"~=.,;!\\", d)) {   /* \$ \% ... and accents \'e */
				sbuf_add(&b, s + i, 2);
				i += 2;
				continue;
			}
			if ((d == '{' || d == '}') && matched[i + 1]) {   /* an escaped brace, paired */
				sbuf_add(&b, s + i, 2);
				i += 2;
				continue;
			}
			if (d == '{' || d == '}') {   /* an unpaired \{ : the brace's replacement says it all */
				i++;
				continue;
			}
		}
		if (math) {
			if ((c == '%' || c == '#' || c == '&') && (i == 0 || s[i - 1] != '\\'))
				sbuf_addc(&b, '\\');
			sbuf_addc(&b, c);
			i++;
			continue;
		}
		switch (c) {
		case '&': case '%': case '$': case '#': case '_':
			sbuf_addc(&b, '\\');
			sbuf_addc(&b, c);
			i++;
			continue;
		case '~':
			sbuf_adds(&b, "\\textasciitilde{}");
			i++;
			continue;
		case '^':
			sbuf_adds(&b, "\\textasciicircum{}");
			i++;
			continue;
		case '\\':
			sbuf_adds(&b, "\\textbackslash{}");
			i++;
			continue;
		default:
			break;
		}
		if ((flags & EXPORT_TEX_PROTECT) && depth == 0 && is_alnum(c) && (i == 0 || !is_alnum(s[i - 1]))) {
			size_t j = i;
			bool inner_cap = false;
			while (j < n && is_alnum(s[j])) {
				if (j > i && is_upper(s[j]))
					inner_cap = true;
				j++;
			}
			if (inner_cap)
				sbuf_addc(&b, '{');
			sbuf_add(&b, s + i, j - i);
			if (inner_cap)
				sbuf_addc(&b, '}');
			i = j;
			continue;
		}
		sbuf_addc(&b, c);
		i++;
	}
	free(matched);
	return sbuf_steal(&b);
}

/* A URL or DOI for a verbatim field: characters that would break the entry are %-encoded. */
static void bib_verbatim(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (strchr("{}\\\" ", *s) || (unsigned char)*s < 0x20)
			fprintf(f, "%%%02X", (unsigned char)*s);
		else
			fputc(*s, f);
	}
}

static bool needs_group(const char *name)
{
	/* BibTeX splits on " and " and reads commas as "Last, First": a name with either (usually
	 * a collaboration) is braced so it stays one name. */
	for (const char *s = name; *s; s++) {
		if (*s == ',')
			return true;
		if ((s == name || isspace((unsigned char)s[-1])) && strncasecmp(s, "and", 3) == 0 &&
		    (s[3] == '\0' || isspace((unsigned char)s[3])))
			return true;
	}
	return false;
}

static void bib_field(FILE *f, const char *name, const char *value, int flags)
{
	if (!value || !*value)
		return;
	char *v = export_tex_escape(value, flags);
	fprintf(f, "  %s={%s},\n", name, v);
	free(v);
}

void export_bibtex_entry(FILE *f, const struct paper *p, const char *key)
{
	fprintf(f, "@misc{%s,\n", key);
	bib_field(f, "title", p->title, EXPORT_TEX_LATEX | EXPORT_TEX_PROTECT);
	if (p->n_authors > 0) {
		fputs("  author={", f);
		for (size_t i = 0; i < p->n_authors; i++) {
			const char *name = p->authors[i].name ? p->authors[i].name : "";
			char *v = export_tex_escape(name, 0);
			bool group = needs_group(name);
			fprintf(f, "%s%s%s%s", i ? " and " : "", group ? "{" : "", v, group ? "}" : "");
			free(v);
		}
		fputs("},\n", f);
	}
	int year = paper_year(p);
	if (year > 0)
		fprintf(f, "  year={%d},\n", year);
	bool arxiv = p->id && paper_is_arxiv_id(p->id);
	char *url = arxiv ? paper_abs_url(p->id) : xstrdup(p->url_abs);
	if (arxiv) {
		bib_field(f, "eprint", p->id, 0);
		fputs("  archivePrefix={arXiv},\n", f);
		bib_field(f, "primaryClass", p->primary_category, 0);
	}
	if (url && *url) {
		fputs("  url={", f);
		bib_verbatim(f, url);
		fputs("},\n", f);
	}
	free(url);
	if (p->doi && *p->doi) {
		fputs("  doi={", f);
		bib_verbatim(f, p->doi);
		fputs("},\n", f);
	}
	bib_field(f, "journal", p->journal_ref, EXPORT_TEX_LATEX);
	bib_field(f, "note", p->comment, EXPORT_TEX_LATEX);
	fputs("}\n\n", f);
}

/* ==== CSV ====================================================================================== */

void export_csv_field(FILE *f, const char *s)
{
	if (!s)
		return;
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* The columns come from the field table (paper_fields.h), in the order files already have. */
void export_csv_header(FILE *f)
{
	size_t n;
	const struct paper_field *const *fs = paper_fields(PAPER_OUT_CSV, &n);
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputc(',', f);
		fputs(fs[i]->view[PAPER_OUT_CSV].label, f);
	}
	fputs("\r\n", f);
}

void export_csv_row(FILE *f, const struct paper *p)
{
	size_t n;
	const struct paper_field *const *fs = paper_fields(PAPER_OUT_CSV, &n);
	for (size_t i = 0; i < n; i++) {
		const char *label;
		char *text = paper_field_text(fs[i], p, PAPER_OUT_CSV, &label);
		if (i)
			fputc(',', f);
		export_csv_field(f, text);
		free(text);
	}
	fputs("\r\n", f);
}

/* ==== Markdown ================================================================================= */

static void md_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (strchr("\\`*_[]<>|#", *s))
			fputc('\\', f);
		fputc(*s == '\n' ? ' ' : *s, f);
	}
}

/* Only http(s) links are made clickable; characters that would end the link are %-encoded. */
static void md_link(FILE *f, const char *label, const char *url)
{
	if (!url || (strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0))
		return;
	fprintf(f, " · [%s](", label);
	for (const char *s = url; *s; s++) {
		if (strchr("()<> \"", *s) || (unsigned char)*s < 0x20)
			fprintf(f, "%%%02X", (unsigned char)*s);
		else
			fputc(*s, f);
	}
	fputc(')', f);
}

/* paper_links()'s labels as Markdown readers spell them. */
static const char *const md_labels[] = {
	[PAPER_LINK_ABS] = "abstract", [PAPER_LINK_PDF] = "PDF", [PAPER_LINK_CODE] = "code",
	[PAPER_LINK_PROJECT] = "project", [PAPER_LINK_HF] = "Hugging Face", [PAPER_LINK_FOUND] = "link",
};

void export_markdown_item(FILE *f, const struct paper *p, long n)
{
	fprintf(f, "%ld. **", n);
	md_text(f, p->title ? p->title : "(untitled)");
	fputs("**", f);
	if (p->n_authors > 0) {
		fputs(" — ", f);
		size_t shown = p->n_authors > 5 ? 3 : p->n_authors;
		for (size_t i = 0; i < shown; i++) {
			if (i)
				fputs(", ", f);
			md_text(f, p->authors[i].name ? p->authors[i].name : "");
		}
		if (shown < p->n_authors)
			fputs(" et al.", f);
	}
	if (p->published) {
		char d[16];
		util_fmt_date(p->published, d, sizeof d);
		fprintf(f, " (%s)", d);
	}
	fputs("  \n   ", f);
	if (p->id && paper_is_arxiv_id(p->id))
		fputs("arXiv:", f);
	md_text(f, p->id ? p->id : "");
	if (p->primary_category) {
		fputs(" · ", f);
		md_text(f, p->primary_category);
	}
	if (p->upvotes >= 0)
		fprintf(f, " · %lld upvote%s", (long long)p->upvotes, p->upvotes == 1 ? "" : "s");
	struct paper_link *links = paper_links(p, NULL);
	for (struct paper_link *k = links; k->url; k++)
		md_link(f, md_labels[k->kind], k->url);
	free(links);
	if (p->doi) {
		char *doi = xasprintf("https://doi.org/%s", p->doi);
		md_link(f, "DOI", doi);
		free(doi);
	}
	fputs("\n", f);
}

/* ==== any format =============================================================================== */

/* ==== Atom ===================================================================================== */

/* Text as XML character data: & < > " escaped; C0 controls but tab and newline, and malformed
 * UTF-8, left out (XML 1.0 cannot hold them). */
static void xml_text(FILE *f, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	for (size_t i = 0; i < n;) {
		unsigned cp;
		size_t l = text_utf8_decode(s + i, n - i, &cp);
		if (l == 0 || cp == 0xFFFD || cp == 0xFFFE || cp == 0xFFFF) {
			i += l ? l : 1;
			continue;
		}
		if (cp == '&')
			fputs("&amp;", f);
		else if (cp == '<')
			fputs("&lt;", f);
		else if (cp == '>')
			fputs("&gt;", f);
		else if (cp == '"')
			fputs("&quot;", f);
		else if (cp >= 0x20 || cp == '\t' || cp == '\n')
			fwrite(s + i, 1, l, f);
		i += l;
	}
}

static void atom_elem(FILE *f, const char *indent, const char *name, const char *text)
{
	if (!text || !*text)
		return;
	fprintf(f, "%s<%s>", indent, name);
	xml_text(f, text);
	fprintf(f, "</%s>\n", name);
}

static void atom_begin(struct export_writer *w)
{
	char now[32];
	util_fmt_iso(util_now(), now, sizeof now);
	fputs("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	      "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n", w->f);
	atom_elem(w->f, "  ", "title", w->title ? w->title : "lectern");
	fputs("  <id>urn:lectern:feed</id>\n", w->f);
	fprintf(w->f, "  <updated>%s</updated>\n  <generator>lectern</generator>\n", now);
}

static void atom_entry(struct export_writer *w, const struct paper *p)
{
	FILE *f = w->f;
	char t[32];
	char *abs = p->url_abs && *p->url_abs ? xstrdup(p->url_abs)
	            : paper_is_arxiv_id(p->id) ? paper_abs_url(p->id) : NULL;
	fputs("  <entry>\n", f);
	fputs("    <id>", f);
	if (abs)
		xml_text(f, abs);
	else {
		fputs("urn:lectern:", f);
		xml_text(f, p->id);
	}
	fputs("</id>\n", f);
	atom_elem(f, "    ", "title", p->title && *p->title ? p->title : p->id);
	int64_t up = p->updated ? p->updated : p->published ? p->published : util_now();
	util_fmt_iso(up, t, sizeof t);
	fprintf(f, "    <updated>%s</updated>\n", t);
	if (p->published) {
		util_fmt_iso(p->published, t, sizeof t);
		fprintf(f, "    <published>%s</published>\n", t);
	}
	for (size_t i = 0; i < p->n_authors; i++)
		if (p->authors[i].name && *p->authors[i].name) {
			fputs("    <author>", f);
			atom_elem(f, "", "name", p->authors[i].name);
			fputs("</author>\n", f);
		}
	if (!p->n_authors)   /* an entry needs an author when the feed has none */
		fputs("    <author><name>unknown</name></author>\n", f);
	if (abs) {
		fputs("    <link rel=\"alternate\" href=\"", f);
		xml_text(f, abs);
		fputs("\"/>\n", f);
	}
	for (const char *c = p->categories; c && *c;) {
		size_t n = strcspn(c, " ");
		if (n) {
			char *cat = xstrndup(c, n);
			fputs("    <category term=\"", f);
			xml_text(f, cat);
			fputs("\"/>\n", f);
			free(cat);
		}
		c += n + (c[n] == ' ');
	}
	atom_elem(f, "    ", "summary", p->abstract);
	if (w->ranked && ((w->why && *w->why) || w->close)) {
		fputs("    <content type=\"text\">", f);
		if (w->why && *w->why) {
			fputs("Why: ", f);
			xml_text(f, w->why);
		}
		if (w->close) {
			fputs(w->why && *w->why ? " — close to: " : "Close to: ", f);
			xml_text(f, w->close);
		}
		fputs("</content>\n", f);
	}
	fputs("  </entry>\n", f);
	free(abs);
}

/* JSON Lines of a ranked list: the paper's object plus score, why and close_to. */
static void json_ranked(struct export_writer *w, const struct paper *p)
{
	struct json_object *o = export_paper_json(p), *why = json_object_new_array();
	for (const char *s = w->why; s && *s;) {
		size_t n = strcspn(s, ";");
		json_object_array_add(why, json_object_new_string_len(s, (int)n));
		s += n;
		while (*s == ';' || *s == ' ')
			s++;
	}
	json_object_object_add(o, "score", json_object_new_double(w->score));
	json_object_object_add(o, "why", why);
	json_object_object_add(o, "close_to", w->close ? json_object_new_string(w->close) : NULL);
	fputs(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE), w->f);
	fputc('\n', w->f);
	json_object_put(o);
}

/* ==== any format =============================================================================== */

void export_begin(struct export_writer *w)
{
	w->n = 0;
	if (w->fmt == EXPORT_CSV)
		export_csv_header(w->f);
	else if (w->fmt == EXPORT_ATOM)
		atom_begin(w);
}

void export_paper(struct export_writer *w, const struct paper *p)
{
	w->n++;
	switch (w->fmt) {
	case EXPORT_BIBTEX: {
		struct export_keys *own = NULL;
		struct export_keys *k = w->keys ? w->keys : (own = export_keys_new());
		export_bibtex_entry(w->f, p, export_keys_get(k, p));
		export_keys_free(&own);
		break;
	}
	case EXPORT_JSON:
		if (w->ranked)
			json_ranked(w, p);
		else
			export_json_line(w->f, p);
		break;
	case EXPORT_ATOM:
		atom_entry(w, p);
		break;
	case EXPORT_CSV:
		export_csv_row(w->f, p);
		break;
	case EXPORT_MARKDOWN:
		export_markdown_item(w->f, p, w->n);
		break;
	}
}

void export_end(struct export_writer *w)
{
	if (w->fmt == EXPORT_ATOM)
		fputs("</feed>\n", w->f);
	fflush(w->f);
}
