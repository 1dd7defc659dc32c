/* feed_hf — Hugging Face papers JSON with json-c: /api/daily_papers (an array of items, each
 * wrapping a `paper`), the flat shape (an array of paper objects, /api/papers/search) and a single
 * paper object (/api/papers/<id>). The schema changes over time, so every field is optional. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "feed_priv.h"
#include "feed_util.h"
#include "lectern/feed.h"
#include "lectern/paper.h"
#include "lectern/text.h"
#include "lectern/util.h"

/* Member `key` of o when it has type t, else NULL. */
static json_object *get(json_object *o, const char *key, json_type t)
{
	json_object *v;

	if (!o || !json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, key, &v))
		return NULL;
	return json_object_is_type(v, t) ? v : NULL;
}

static const char *get_str(json_object *o, const char *key)
{
	json_object *v = get(o, key, json_type_string);
	const char *s = v ? json_object_get_string(v) : NULL;

	return s && *s ? s : NULL;
}

/* A cleaned copy of the first present string member among objects a and b. */
static char *str2(json_object *a, json_object *b, const char *key, int flags)
{
	const char *s = get_str(a, key);

	if (!s)
		s = get_str(b, key);
	return feed_clean(s, flags);
}

static int64_t get_int(json_object *o, const char *key)
{
	json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v))
		return -1;
	if (json_object_is_type(v, json_type_int)) {   /* json-c saturates at INT64_MAX */
		int64_t n = json_object_get_int64(v);
		return n < 0 ? -1 : n > PAPER_COUNT_MAX ? PAPER_COUNT_MAX : n;
	}
	if (json_object_is_type(v, json_type_double))
		return paper_count_from_double(json_object_get_double(v));
	return -1;
}

/* An organisation's display name: fullname, falling back to name. */
static char *org_name(json_object *org)
{
	const char *s = get_str(org, "fullname");

	return feed_clean(s ? s : get_str(org, "name"), TEXT_COLLAPSE);
}

static char *day_of(const char *s)
{
	char day[11];

	return s && feed_day_of(s, day) == 0 ? xstrdup(day) : NULL;
}

/* Builds a paper from an item ({paper:{...}, ...}) or a flat paper object. Returns false when it
 * has no id (nothing to key it by). */
static bool build(json_object *item, struct paper *p)
{
	json_object *paper = get(item, "paper", json_type_object);
	json_object *top = paper ? item : NULL;   /* item-level fields exist only when wrapped */
	char id[64];
	int v = 0;

	if (!paper)
		paper = item;
	char *raw = feed_clean(get_str(paper, "id"), TEXT_COLLAPSE);
	if (!raw)
		return false;
	if (paper_parse_arxiv_id(raw, id, sizeof(id), &v) == 0) {
		p->id = xstrdup(id);
		p->version = v;
		free(raw);
		p->url_abs = paper_abs_url(p->id);
		p->url_pdf = paper_pdf_url(p->id);
	} else {
		p->id = raw;
	}
	p->url_hf = paper_hf_url(p->id);

	/* 2024 titles keep arXiv's line wraps: collapse. */
	p->title = str2(paper, top, "title", TEXT_COLLAPSE);
	p->abstract = str2(paper, top, "summary", TEXT_COLLAPSE | TEXT_KEEP_PARAS);

	json_object *authors = get(paper, "authors", json_type_array);
	size_t n = authors ? json_object_array_length(authors) : 0;
	for (size_t i = 0; i < n; i++) {
		json_object *a = json_object_array_get_idx(authors, i);
		char *name = feed_clean_name(get_str(a, "name"));
		if (name)
			paper_add_author(p, name, NULL);
		free(name);
	}

	int64_t t;
	const char *pub = get_str(paper, "publishedAt");
	if (pub && util_parse_time(pub, &t) == 0)
		p->published = t;

	p->upvotes = get_int(paper, "upvotes");
	p->num_comments = get_int(top, "numComments");
	if (p->num_comments < 0)
		p->num_comments = get_int(paper, "numComments");
	p->github_stars = get_int(paper, "githubStars");
	p->url_code = str2(paper, top, "githubRepo", TEXT_COLLAPSE);
	p->url_project = str2(paper, top, "projectPage", TEXT_COLLAPSE);

	p->organization = org_name(get(top, "organization", json_type_object));
	if (!p->organization)
		p->organization = org_name(get(paper, "organization", json_type_object));
	if (!p->organization) {   /* some 2025 items name only the submitter's organisation */
		p->organization = org_name(get(top, "submitterOrganization", json_type_object));
		p->org_submitter = p->organization != NULL;
	}

	const char *sub = get_str(get(top, "submittedBy", json_type_object), "fullname");
	if (!sub)
		sub = get_str(get(paper, "submittedOnDailyBy", json_type_object), "fullname");
	p->submitter = feed_clean(sub, TEXT_COLLAPSE);

	p->ai_summary = str2(paper, top, "ai_summary", TEXT_COLLAPSE | TEXT_KEEP_PARAS);
	json_object *kw = get(paper, "ai_keywords", json_type_array);
	if (!kw)
		kw = get(top, "ai_keywords", json_type_array);
	if (kw) {
		struct sbuf b = {0};
		size_t nk = json_object_array_length(kw);
		for (size_t i = 0; i < nk; i++) {
			json_object *k = json_object_array_get_idx(kw, i);
			if (!json_object_is_type(k, json_type_string))
				continue;
			char *c = feed_clean(json_object_get_string(k), TEXT_COLLAPSE);
			if (c) {
				if (b.len)
					sbuf_adds(&b, ", ");
				sbuf_adds(&b, c);
			}
			free(c);
		}
		if (b.len)
			p->ai_keywords = sbuf_steal(&b);
		sbuf_free(&b);
	}

	p->thumbnail = str2(top, paper, "thumbnail", TEXT_COLLAPSE);
	if (!p->thumbnail)   /* 2024 items: a singular mediaUrl holds the social thumbnail */
		p->thumbnail = str2(top, NULL, "mediaUrl", TEXT_COLLAPSE);

	/* The Daily Papers day: submittedOnDailyAt, or for old data the item's publishedAt. */
	p->hf_day = day_of(get_str(paper, "submittedOnDailyAt"));
	if (!p->hf_day)
		p->hf_day = day_of(get_str(top, "publishedAt"));
	return true;
}

static int deliver(json_object *o, feed_paper_cb cb, void *ctx, struct feed_info *info)
{
	struct paper p;
	int stop = 0;

	if (!json_object_is_type(o, json_type_object))
		return 0;
	paper_init(&p);
	if (build(o, &p)) {
		info->n_items++;
		if (!info->day && p.hf_day)
			info->day = xstrdup(p.hf_day);
		if (cb)
			stop = cb(ctx, &p);
	}
	paper_clear(&p);
	return stop;
}

int feed_parse_hf(const char *buf, size_t len, feed_paper_cb cb, void *ctx,
                  struct feed_info *info, struct lerr *e)
{
	json_tokener *tok = json_tokener_new_ex(64);
	json_object *root;
	enum json_tokener_error jerr;
	size_t end;
	int rc = 0;

	if (!tok)
		die("out of memory");
	info->format = FEED_HF_DAILY;
	if (len > INT32_MAX) {
		json_tokener_free(tok);
		lerr_set(e, LERR_PARSE, 0, "parse error: document too large (%zu bytes)", len);
		return -1;
	}
	root = json_tokener_parse_ex(tok, buf, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	if (!root || jerr != json_tokener_success) {
		/* json_tokener_continue: the text stopped in the middle of a value. */
		const char *why = jerr == json_tokener_continue ? "unexpected end of data (truncated?)"
		                                                : json_tokener_error_desc(jerr);
		size_t at = jerr == json_tokener_continue ? len : end;
		int line = feed_line_at(buf, len, at);
		lerr_set(e, LERR_PARSE, line, "parse error at line %d: %s", line, why);
		json_object_put(root);
		json_tokener_free(tok);
		return -1;
	}
	for (size_t i = end; i < len; i++) {
		if (buf[i] != ' ' && buf[i] != '\n' && buf[i] != '\r' && buf[i] != '\t') {
			int line = feed_line_at(buf, len, i);
			lerr_set(e, LERR_PARSE, line, "parse error at line %d: unexpected data after JSON",
			         line);
			json_object_put(root);
			json_tokener_free(tok);
			return -1;
		}
	}
	json_tokener_free(tok);

	json_object *list = json_object_is_type(root, json_type_array) ? root : NULL;
	if (!list)   /* a wrapper some APIs use: {"results": [...]} / {"papers": [...]} */
		list = get(root, "results", json_type_array);
	if (!list)
		list = get(root, "papers", json_type_array);
	if (list) {
		size_t n = json_object_array_length(list);
		for (size_t i = 0; i < n && rc == 0; i++)
			if (deliver(json_object_array_get_idx(list, i), cb, ctx, info))
				rc = -1;
	} else if (json_object_is_type(root, json_type_object)) {
		if (get(root, "error", json_type_string) && !get(root, "id", json_type_string)) {
			/* {"error": "..."}: what the Hub returns with an HTTP error */
			char *msg = feed_clean(get_str(root, "error"), TEXT_COLLAPSE);
			lerr_set(e, LERR_PARSE, 1, "Hugging Face error: %s", msg ? msg : "unspecified");
			free(msg);
			json_object_put(root);
			return -1;
		}
		if (deliver(root, cb, ctx, info))
			rc = -1;
	} else {
		lerr_set(e, LERR_PARSE, 1, "parse error at line 1: expected a JSON array or object");
		json_object_put(root);
		return -1;
	}
	json_object_put(root);
	if (rc)
		lerr_clear(e);
	return rc;
}
