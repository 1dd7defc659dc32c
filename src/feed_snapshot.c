/* feed_snapshot — one record of arXiv's metadata snapshot (the Kaggle "arxiv-metadata-oai-snapshot"
 * JSON Lines file, json-c) as a paper: id, title and abstract (hard-wrapped in the file: unwrapped
 * here, paragraphs kept), authors_parsed for the names ([last, first, suffix, affiliation...]),
 * the versions and their dates, categories, DOI, journal ref, comments. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "feed_util.h"
#include "lectern/feed.h"
#include "lectern/paper.h"
#include "lectern/text.h"
#include "lectern/util.h"

/* o[key] when it is a non-empty string, else NULL (null, absent and other types alike). */
static const char *str_of(const struct json_object *o, const char *key)
{
	struct json_object *v;
	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	const char *s = json_object_get_string(v);
	return s && *s ? s : NULL;
}

static struct json_object *array_of(const struct json_object *o, const char *key)
{
	struct json_object *v;
	return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_array)
	       ? v : NULL;
}

bool feed_snapshot_is(const struct json_object *o)
{
	return o && json_object_is_type(o, json_type_object) && str_of(o, "id") &&
	       (array_of(o, "authors_parsed") || (array_of(o, "versions") && str_of(o, "update_date")));
}

/* One authors_parsed entry: "First Last Suffix", the elements after the third its affiliations. */
static void add_parsed(struct paper *p, struct json_object *a)
{
	struct sbuf name = {0}, aff = {0};
	size_t n = json_object_array_length(a);
	static const size_t order[] = { 1, 0, 2 };   /* first, last, suffix */
	for (size_t i = 0; i < n; i++) {
		struct json_object *v = json_object_array_get_idx(a, i < 3 ? order[i] : i);
		const char *s = json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
		if (!s || !*s)
			continue;
		struct sbuf *b = i < 3 ? &name : &aff;
		if (b->len)
			sbuf_adds(b, i < 3 ? " " : "; ");
		sbuf_adds(b, s);
	}
	char *clean = feed_clean_name(name.s);
	char *where = feed_clean(aff.s, TEXT_COLLAPSE);
	if (clean)
		paper_add_author(p, clean, where);
	free(clean);
	free(where);
	sbuf_free(&name);
	sbuf_free(&aff);
}

/* versions [{"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"}, ...]: the highest is
 * this text's version and date, v1's date the paper's. */
static void add_versions(struct paper *p, struct json_object *vs)
{
	int first = 0;
	for (size_t i = 0, n = json_object_array_length(vs); i < n; i++) {
		struct json_object *v = json_object_array_get_idx(vs, i);
		const char *name = json_object_is_type(v, json_type_object) ? str_of(v, "version") : NULL;
		const char *created = name ? str_of(v, "created") : NULL;
		int k = name && (name[0] == 'v' || name[0] == 'V') ? atoi(name + 1) : 0;
		int64_t t;
		if (k <= 0 || !created || util_parse_time(created, &t) < 0)
			continue;
		paper_add_version(&p->versions, k, t);
		if (!first || k < first) {
			first = k;
			if (k == 1)
				p->published = t;
		}
		if (k > p->version) {
			p->version = k;
			p->updated = t;
		}
	}
}

int feed_snapshot_paper(const struct json_object *o, struct paper *p, struct lerr *e)
{
	char id[64];
	int v = 0;

	paper_init(p);
	if (!feed_snapshot_is(o)) {
		lerr_set(e, LERR_PARSE, 0, "not an arXiv snapshot record (it needs \"id\" and "
		         "\"authors_parsed\" or \"versions\")");
		return -1;
	}
	if (paper_parse_arxiv_id(str_of(o, "id"), id, sizeof id, &v) < 0) {
		char *shown = feed_clean(str_of(o, "id"), TEXT_COLLAPSE);
		lerr_set(e, LERR_PARSE, 0, "\"id\" \"%.80s\" is not an arXiv id", shown ? shown : "");
		free(shown);
		return -1;
	}
	p->id = xstrdup(id);
	p->source_kind = PAPER_SRC_ARXIV;
	p->title = feed_clean(str_of(o, "title"), TEXT_COLLAPSE);
	p->abstract = feed_clean(str_of(o, "abstract"), TEXT_COLLAPSE | TEXT_KEEP_PARAS);
	struct json_object *ap = array_of(o, "authors_parsed");
	for (size_t i = 0, n = ap ? json_object_array_length(ap) : 0; i < n; i++) {
		struct json_object *a = json_object_array_get_idx(ap, i);
		if (json_object_is_type(a, json_type_array))
			add_parsed(p, a);
	}
	if (!p->n_authors && str_of(o, "authors")) {   /* no parsed names: split the string */
		char *a = feed_clean(str_of(o, "authors"), TEXT_COLLAPSE);
		feed_add_creators(p, a, true);
		free(a);
	}
	struct json_object *vs = array_of(o, "versions");
	if (vs)
		add_versions(p, vs);
	if (!p->version && v)
		p->version = v;
	int64_t t;
	if (!p->updated && str_of(o, "update_date") && util_parse_time(str_of(o, "update_date"), &t) == 0)
		p->updated = t;
	p->categories = feed_clean(str_of(o, "categories"), TEXT_COLLAPSE);
	if (p->categories)   /* arXiv lists the primary category first */
		p->primary_category = xstrndup(p->categories, strcspn(p->categories, " "));
	p->comment = feed_clean(str_of(o, "comments"), TEXT_COLLAPSE);
	p->journal_ref = feed_clean(str_of(o, "journal-ref"), TEXT_COLLAPSE);
	p->doi = feed_clean(str_of(o, "doi"), TEXT_COLLAPSE);
	p->url_abs = paper_abs_url(p->id);
	p->url_pdf = paper_pdf_url(p->id);
	return 0;
}
