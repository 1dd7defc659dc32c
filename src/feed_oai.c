/* feed_oai — one OAI-PMH ListRecords page (arXiv's oaipmh.arxiv.org) with libxml2's streaming
 * xmlReader: records in the arXivRaw format (raw TeX, every version with its date, one authors
 * string), the arXiv format (authors as keyname/forenames/suffix) or oai_dc; deleted headers;
 * the resumptionToken; <error> answers. Elements are matched by namespace URI and local name; a
 * record's fields are gathered in reusable buffers and interpreted at its end, so element order
 * never matters and memory stays per record. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/xmlreader.h>

#include "feed_priv.h"
#include "feed_util.h"
#include "lectern/feed.h"
#include "lectern/paper.h"
#include "lectern/text.h"
#include "lectern/util.h"

#define NS_OAI     "http://www.openarchives.org/OAI/2.0/"
#define NS_RAW     "http://arxiv.org/OAI/arXivRaw/"
#define NS_ARXIV   "http://arxiv.org/OAI/arXiv/"
#define NS_OAI_DC  "http://www.openarchives.org/OAI/2.0/oai_dc/"
#define NS_DC      "http://purl.org/dc/elements/1.1/"

/* What a captured element's text is. */
enum ofld {
	O_IDENT, O_DATESTAMP, O_ID, O_TITLE, O_AUTHORS, O_CATS, O_COMMENTS, O_JREF, O_DOI,
	O_ABSTRACT, O_CREATED, O_UPDATED, O_VDATE, O_KEYNAME, O_FORENAMES, O_SUFFIX,
	O_DC_CREATOR, O_DC_DESC, O_DC_DATE, O_DC_ID,
	O_REC_N,
	O_TOKEN = O_REC_N, O_ERROR,
	O_N,
};

/* The record-level elements captured as text, by namespace and local name. */
static const struct { const char *ns, *name; enum ofld f; } fields[] = {
	{ NS_OAI, "identifier", O_IDENT },   { NS_OAI, "datestamp", O_DATESTAMP },
	{ NS_RAW, "id", O_ID },              { NS_RAW, "title", O_TITLE },
	{ NS_RAW, "authors", O_AUTHORS },    { NS_RAW, "categories", O_CATS },
	{ NS_RAW, "comments", O_COMMENTS },  { NS_RAW, "journal-ref", O_JREF },
	{ NS_RAW, "doi", O_DOI },            { NS_RAW, "abstract", O_ABSTRACT },
	{ NS_RAW, "date", O_VDATE },
	{ NS_ARXIV, "id", O_ID },            { NS_ARXIV, "title", O_TITLE },
	{ NS_ARXIV, "categories", O_CATS },  { NS_ARXIV, "comments", O_COMMENTS },
	{ NS_ARXIV, "journal-ref", O_JREF }, { NS_ARXIV, "doi", O_DOI },
	{ NS_ARXIV, "abstract", O_ABSTRACT }, { NS_ARXIV, "created", O_CREATED },
	{ NS_ARXIV, "updated", O_UPDATED },  { NS_ARXIV, "keyname", O_KEYNAME },
	{ NS_ARXIV, "forenames", O_FORENAMES }, { NS_ARXIV, "suffix", O_SUFFIX },
	{ NS_DC, "title", O_TITLE },         { NS_DC, "creator", O_DC_CREATOR },
	{ NS_DC, "description", O_DC_DESC }, { NS_DC, "date", O_DC_DATE },
	{ NS_DC, "identifier", O_DC_ID },
};

struct op {
	xmlTextReaderPtr r;
	feed_paper_cb cb;
	void *ctx;
	struct feed_info *info;
	struct lerr *e;

	bool root_ok;          /* the document element is OAI-PMH */
	int rec_depth;         /* depth of the open <record>, -1 outside */
	bool deleted;          /* its header says status="deleted" */
	int cap_depth;         /* depth of the element whose text is captured, -1 none */
	enum ofld cap;
	char err_code[32];

	struct sbuf f[O_N];
	struct sbuf text;
	struct sbuf names;     /* arXiv format: the authors built so far, one a line */
	struct sbuf lists[4];  /* oai_dc creators, descriptions, dates, identifiers: one a line */
	int version;           /* arXivRaw: the <version version="vN"> open, its N */
	int v_first, v_last;   /* the lowest and highest version seen, 0 none */
	char *versions;        /* every version seen with its date (paper.versions) */
	int64_t t_first, t_last;

	struct feed_xml_error xerr;   /* the first libxml2 error (feed_xml_reader) */
	bool failed;
};

static int cur_line(struct op *x)
{
	return feed_xml_line(x->r);
}

static bool is(const xmlChar *ns, const xmlChar *ln, const char *uri, const char *name)
{
	return ns && ln && !strcmp((const char *)ns, uri) && !strcmp((const char *)ln, name);
}

static const char *fs(struct op *x, enum ofld f)
{
	return x->f[f].len ? x->f[f].s : NULL;
}

/* The value of the un-namespaced attribute `name` of the current element (malloc'd), or NULL. */
static char *attr(struct op *x, const char *name)
{
	xmlChar *v = xmlTextReaderGetAttribute(x->r, (const xmlChar *)name);
	char *r = v ? xstrdup((const char *)v) : NULL;
	xmlFree(v);
	return r;
}

static long to_long(const char *s)
{
	char *end;
	if (!s)
		return -1;
	long v = strtol(s, &end, 10);
	return end == s || v < 0 ? -1 : v;
}

static void list_add(struct sbuf *b, const char *s)
{
	if (b->len)
		sbuf_addc(b, '\n');
	for (; *s; s++)
		sbuf_addc(b, *s == '\n' || *s == '\r' ? ' ' : *s);
}

static void reset_record(struct op *x)
{
	for (int i = 0; i < O_REC_N; i++)
		sbuf_reset(&x->f[i]);
	sbuf_reset(&x->names);
	for (size_t i = 0; i < ARRAY_LEN(x->lists); i++)
		sbuf_reset(&x->lists[i]);
	x->deleted = false;
	x->version = x->v_first = x->v_last = 0;
	x->t_first = x->t_last = 0;
	free(x->versions);
	x->versions = NULL;
}

/* ---- building a paper ----------------------------------------------------------------------- */

/* "Last, First" (oai_dc) as "First Last". */
static char *dc_name(const char *s)
{
	const char *comma = strchr(s, ',');
	char *raw = comma ? xasprintf("%s %.*s", comma + 1, (int)(comma - s), s) : xstrdup(s);
	char *name = feed_clean_name(raw);
	free(raw);
	return name;
}

/* Calls fn for each line of a list. */
static void each_line(const struct sbuf *b, void (*fn)(struct paper *, const char *, size_t),
                      struct paper *p)
{
	for (const char *s = b->s; s && *s;) {
		size_t n = strcspn(s, "\n");
		fn(p, s, n);
		s += n + (s[n] ? 1 : 0);
	}
}

static void dc_author(struct paper *p, const char *s, size_t n)
{
	char *one = xstrndup(s, n), *name = dc_name(one);
	if (name)
		paper_add_author(p, name, NULL);
	free(name);
	free(one);
}

static void dc_date(struct paper *p, const char *s, size_t n)
{
	char *one = xstrndup(s, n);
	int64_t t;
	if (util_parse_time(one, &t) == 0) {
		if (!p->published || t < p->published)
			p->published = t;
		if (t > p->updated)
			p->updated = t;
	}
	free(one);
}

static void dc_ident(struct paper *p, const char *s, size_t n)
{
	if (n > 4 && !strncasecmp(s, "doi:", 4) && !p->doi) {
		char *one = xstrndup(s + 4, n - 4);
		p->doi = feed_clean(one, TEXT_COLLAPSE);
		free(one);
	}
}

static void build_dc(struct op *x, struct paper *p)
{
	each_line(&x->lists[0], dc_author, p);
	/* The first description is the abstract; the new server sends the comments as a second. */
	const char *d = x->lists[1].s;
	if (d) {
		char *abs = xstrndup(d, strcspn(d, "\n"));
		p->abstract = feed_clean(abs, TEXT_COLLAPSE | TEXT_KEEP_PARAS);
		free(abs);
	}
	each_line(&x->lists[2], dc_date, p);
	each_line(&x->lists[3], dc_ident, p);
}

static void build_record(struct op *x, struct paper *p)
{
	p->source_kind = PAPER_SRC_ARXIV;
	p->title = feed_clean(fs(x, O_TITLE), TEXT_COLLAPSE);
	if (!x->lists[0].len)
		p->abstract = feed_clean(fs(x, O_ABSTRACT), TEXT_COLLAPSE | TEXT_KEEP_PARAS);
	if (fs(x, O_AUTHORS)) {
		/* arXivRaw: "A, B, and C" with TeX accents, as the listings' dc:creator. */
		char *a = feed_clean(fs(x, O_AUTHORS), TEXT_COLLAPSE);
		feed_add_creators(p, a, true);
		free(a);
	} else if (x->names.len) {
		for (const char *s = x->names.s; *s;) {
			size_t n = strcspn(s, "\n");
			char *one = xstrndup(s, n), *name = feed_clean_name(one);
			if (name)
				paper_add_author(p, name, NULL);
			free(name);
			free(one);
			s += n + (s[n] ? 1 : 0);
		}
	}
	p->categories = feed_clean(fs(x, O_CATS), TEXT_COLLAPSE);
	if (p->categories)   /* arXiv lists the primary category first */
		p->primary_category = xstrndup(p->categories, strcspn(p->categories, " "));
	p->comment = feed_clean(fs(x, O_COMMENTS), TEXT_COLLAPSE);
	p->journal_ref = feed_clean(fs(x, O_JREF), TEXT_COLLAPSE);
	p->doi = feed_clean(fs(x, O_DOI), TEXT_COLLAPSE);
	if (x->v_last) {   /* arXivRaw: v1's date is the paper's, the last version's is this text's */
		p->versions = x->versions;
		x->versions = NULL;
		p->version = x->v_last;
		p->updated = x->t_last;
		if (x->v_first == 1)
			p->published = x->t_first;
	} else {
		/* The arXiv format: created is v1's day (the legacy server; the new one may write the
		 * current metadata's, which the store's earliest-published rule then outweighs),
		 * updated the current version's. */
		char *c = feed_clean(fs(x, O_CREATED), TEXT_COLLAPSE);
		char *u = feed_clean(fs(x, O_UPDATED), TEXT_COLLAPSE);
		int64_t t;
		if (c && util_parse_time(c, &t) == 0)
			p->published = p->updated = t;
		if (u && util_parse_time(u, &t) == 0)
			p->updated = t;
		free(c);
		free(u);
	}
	if (x->lists[0].len || x->lists[1].len)
		build_dc(x, p);
	p->url_abs = paper_abs_url(p->id);
	p->url_pdf = paper_pdf_url(p->id);
}

static void end_record(struct op *x)
{
	struct paper p;
	char id[64];
	int v = 0;

	paper_init(&p);
	char *ident = feed_clean(fs(x, O_ID) ? fs(x, O_ID) : fs(x, O_IDENT), TEXT_COLLAPSE);
	if (ident && paper_parse_arxiv_id(ident, id, sizeof id, &v) == 0)
		p.id = xstrdup(id);
	free(ident);
	if (!p.id && fs(x, O_IDENT)) {   /* a header whose identifier is not arXiv's: skip it */
		paper_clear(&p);
		return;
	}
	char *day = feed_clean(fs(x, O_DATESTAMP), TEXT_COLLAPSE);
	if (day && util_valid_date(day) && (!x->info->oai_datestamp ||
	                                    strcmp(day, x->info->oai_datestamp) > 0)) {
		free(x->info->oai_datestamp);
		x->info->oai_datestamp = day;
		day = NULL;
	}
	free(day);
	if (x->deleted) {
		p.withdrawn = true;
		x->info->oai_deleted++;
	} else {
		build_record(x, &p);
	}
	if (p.id) {
		x->info->n_items++;
		if (x->cb && x->cb(x->ctx, &p)) {
			lerr_clear(x->e);
			x->failed = true;
		}
	}
	paper_clear(&p);
}

/* ---- elements ------------------------------------------------------------------------------- */

static void capture(struct op *x, enum ofld f, int depth)
{
	x->cap = f;
	x->cap_depth = depth;
	sbuf_reset(&x->text);
}

static void on_start(struct op *x, int depth)
{
	const xmlChar *ln = xmlTextReaderConstLocalName(x->r);
	const xmlChar *ns = xmlTextReaderConstNamespaceUri(x->r);

	if (!ln || x->cap_depth >= 0)
		return;
	if (depth == 0) {
		x->root_ok = is(ns, ln, NS_OAI, "OAI-PMH");
		return;
	}
	if (x->rec_depth < 0) {
		if (is(ns, ln, NS_OAI, "record")) {
			reset_record(x);
			x->rec_depth = depth;
		} else if (is(ns, ln, NS_OAI, "resumptionToken")) {
			char *c = attr(x, "cursor"), *n = attr(x, "completeListSize");
			x->info->oai_cursor = to_long(c);
			x->info->oai_list_size = to_long(n);
			free(c);
			free(n);
			capture(x, O_TOKEN, depth);
		} else if (is(ns, ln, NS_OAI, "error")) {
			char *c = attr(x, "code");
			if (!x->err_code[0])
				snprintf(x->err_code, sizeof x->err_code, "%s", c && *c ? c : "unknown");
			free(c);
			capture(x, O_ERROR, depth);
		}
		return;
	}
	if (is(ns, ln, NS_OAI, "header")) {
		char *st = attr(x, "status");
		x->deleted = st && !strcmp(st, "deleted");
		free(st);
		return;
	}
	if (is(ns, ln, NS_RAW, "version")) {
		char *v = attr(x, "version");
		x->version = v && (v[0] == 'v' || v[0] == 'V') ? atoi(v + 1) : 0;
		free(v);
		return;
	}
	if (is(ns, ln, NS_ARXIV, "author")) {
		sbuf_reset(&x->f[O_KEYNAME]);
		sbuf_reset(&x->f[O_FORENAMES]);
		sbuf_reset(&x->f[O_SUFFIX]);
		return;
	}
	for (size_t i = 0; i < ARRAY_LEN(fields); i++)
		if (is(ns, ln, fields[i].ns, fields[i].name)) {
			capture(x, fields[i].f, depth);
			return;
		}
}

/* A version's date: the first and the last version seen. */
static void version_date(struct op *x, const char *s)
{
	int64_t t;
	char *c = feed_clean(s, TEXT_COLLAPSE);
	int rc = c && x->version > 0 ? util_parse_time(c, &t) : -1;
	free(c);
	if (rc < 0)
		return;
	paper_add_version(&x->versions, x->version, t);
	if (!x->v_first || x->version < x->v_first) {
		x->v_first = x->version;
		x->t_first = t;
	}
	if (x->version > x->v_last) {
		x->v_last = x->version;
		x->t_last = t;
	}
}

static void end_capture(struct op *x)
{
	struct sbuf *t = &x->text;
	const char *s = t->s ? t->s : "";

	x->cap_depth = -1;
	switch (x->cap) {
	case O_VDATE:
		version_date(x, s);
		break;
	case O_DC_CREATOR:
	case O_DC_DESC:
	case O_DC_DATE:
	case O_DC_ID:
		if (t->len)
			list_add(&x->lists[x->cap - O_DC_CREATOR], s);
		break;
	case O_TOKEN: {
		char *tok = feed_clean(s, TEXT_COLLAPSE);
		free(x->info->oai_token);
		x->info->oai_token = tok;   /* NULL for <resumptionToken/>: the list is complete */
		break;
	}
	default:
		if (x->f[x->cap].len == 0 && t->len)
			sbuf_add(&x->f[x->cap], t->s, t->len);
		break;
	}
}

static void on_end(struct op *x, int depth, const xmlChar *ns, const xmlChar *ln)
{
	if (x->cap_depth == depth)
		end_capture(x);
	if (x->rec_depth >= 0 && ln && is(ns, ln, NS_ARXIV, "author")) {
		/* "Forenames Keyname Suffix", as the other arXiv sources write a name. */
		struct sbuf *b = &x->names;
		if (b->len)
			sbuf_addc(b, '\n');
		const enum ofld parts[] = { O_FORENAMES, O_KEYNAME, O_SUFFIX };
		bool first = true;
		for (size_t i = 0; i < ARRAY_LEN(parts); i++)
			if (fs(x, parts[i])) {
				if (!first)
					sbuf_addc(b, ' ');
				for (const char *c = fs(x, parts[i]); *c; c++)
					sbuf_addc(b, *c == '\n' ? ' ' : *c);
				first = false;
			}
	}
	if (x->rec_depth == depth) {
		end_record(x);
		x->rec_depth = -1;
	}
}

/* ---- the parse ------------------------------------------------------------------------------ */

static void fail(struct op *x, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fail(struct op *x, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	feed_parse_fail(x->e, line, fmt, ap);
	va_end(ap);
	x->failed = true;
}

int feed_parse_oai(const char *buf, size_t len, const char *url, feed_paper_cb cb, void *ctx,
                   struct feed_info *info, struct lerr *e)
{
	struct op x = { .cb = cb, .ctx = ctx, .info = info, .e = e, .rec_depth = -1, .cap_depth = -1 };
	int ret;

	if (!(x.r = feed_xml_reader(buf, len, url, &x.xerr, e)))
		return -1;
	info->format = FEED_OAI_PMH;

	struct feed_release released = {0};
	while (!x.failed && (ret = xmlTextReaderRead(x.r)) == 1) {
		int depth = xmlTextReaderDepth(x.r);
		feed_xml_release(x.r, buf, len, &released);
		switch (xmlTextReaderNodeType(x.r)) {
		case XML_READER_TYPE_ELEMENT:
			on_start(&x, depth);
			if (!x.root_ok && depth == 0) {
				fail(&x, cur_line(&x), "not an OAI-PMH response (the root element is <%s>)",
				     (const char *)xmlTextReaderConstLocalName(x.r));
				break;
			}
			if (xmlTextReaderIsEmptyElement(x.r) == 1)
				on_end(&x, depth, xmlTextReaderConstNamespaceUri(x.r),
				       xmlTextReaderConstLocalName(x.r));
			break;
		case XML_READER_TYPE_END_ELEMENT:
			on_end(&x, depth, xmlTextReaderConstNamespaceUri(x.r), xmlTextReaderConstLocalName(x.r));
			break;
		case XML_READER_TYPE_TEXT:
		case XML_READER_TYPE_CDATA:
		case XML_READER_TYPE_WHITESPACE:
		case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
			if (x.cap_depth >= 0) {
				const xmlChar *v = xmlTextReaderConstValue(x.r);
				if (v)
					sbuf_adds(&x.text, (const char *)v);
			}
			break;
		default:
			break;
		}
	}
	if (!x.failed && ret != 0)
		fail(&x, x.xerr.line ? x.xerr.line : cur_line(&x), "%s",
		     x.xerr.msg[0] ? x.xerr.msg : "malformed XML");
	if (!x.failed && !x.root_ok)
		fail(&x, cur_line(&x), "no document element");
	if (!x.failed && x.err_code[0]) {
		snprintf(info->oai_error, sizeof info->oai_error, "%s", x.err_code);
		/* noRecordsMatch: the window holds nothing (yet), which is no failure. */
		if (strcmp(x.err_code, "noRecordsMatch") != 0) {
			char *msg = feed_clean(fs(&x, O_ERROR), TEXT_COLLAPSE);
			char *code = feed_clean(x.err_code, TEXT_COLLAPSE);
			lerr_set(e, LERR_PARSE, 0, "OAI-PMH error %s: %s", code ? code : "unknown",
			         msg ? msg : "(no description)");
			free(msg);
			free(code);
			x.failed = true;
		}
	}
	xmlFreeTextReader(x.r);
	for (int i = 0; i < O_N; i++)
		sbuf_free(&x.f[i]);
	sbuf_free(&x.text);
	sbuf_free(&x.names);
	free(x.versions);
	for (size_t i = 0; i < ARRAY_LEN(x.lists); i++)
		sbuf_free(&x.lists[i]);
	return x.failed ? -1 : 0;
}
