/* feed_xml — Atom and RSS (2.0 and 1.0/RDF) with libxml2's streaming xmlReader: the arXiv API,
 * the arXiv listing feeds and any other feed. Elements are matched by namespace URI and local
 * name; an entry's fields are gathered in reusable buffers and only interpreted at its end, so
 * element order never matters and memory stays per entry. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/uri.h>
#include <libxml/xmlreader.h>

#include "feed_priv.h"
#include "feed_util.h"
#include "lectern/feed.h"
#include "lectern/paper.h"
#include "lectern/text.h"
#include "lectern/util.h"

#define NS_ATOM    "http://www.w3.org/2005/Atom"
#define NS_ARXIV   "http://arxiv.org/schemas/atom"
#define NS_OPENSEARCH "http://a9.com/-/spec/opensearch/1.1/"
#define NS_DC      "http://purl.org/dc/elements/1.1/"
#define NS_RDF     "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define NS_RSS1    "http://purl.org/rss/1.0/"
#define NS_CONTENT "http://purl.org/rss/1.0/modules/content/"
#define NS_PRISM   "http://prismstandard.org/namespaces/"   /* prefix: several versions */

enum root { ROOT_NONE, ROOT_ATOM, ROOT_RSS, ROOT_RDF };

/* What a captured element's text is. Entry fields first, then feed-level ones. */
enum fld {
	F_ID, F_TITLE, F_SUMMARY, F_CONTENT, F_DESC, F_LINK, F_GUID, F_PUBLISHED, F_UPDATED,
	F_PUBDATE, F_DCDATE, F_COMMENT, F_JREF, F_DOI, F_PRISM_DOI, F_DC_ID, F_ANNOUNCE,
	F_CATEGORY, F_CREATOR, F_RSS_AUTHOR, F_AUTHOR_NAME, F_AFFILIATION,
	/* attribute-derived, never captured as text */
	F_LINK_ALT, F_LINK_PDF, F_PRIMARY, F_CATS, F_CREATORS,
	F_ENTRY_N,
	/* feed level */
	F_FEED_TITLE = F_ENTRY_N, F_FEED_DESC, F_FEED_DATE, F_TOTAL, F_START, F_PER_PAGE,
	F_N,
};

struct xauthor {
	struct sbuf name, aff;
};

struct xp {
	xmlTextReaderPtr r;
	const char *buf;
	size_t len;
	feed_paper_cb cb;
	void *ctx;
	struct feed_info *info;
	struct lerr *e;

	enum root root;
	bool arxiv;            /* opensearch/arxiv elements seen at feed level: the arXiv API */
	bool in_channel;
	int entry_depth;       /* depth of the open entry/item, -1 outside */
	int author_depth;      /* depth of the open Atom author, -1 outside */
	int cap_depth;         /* depth of the element whose text is captured, -1 none */
	int skip_depth;        /* captured xhtml: the open <script>/<style> whose text is dropped */
	int script_depth;      /* captured xhtml: the open <sup>/<sub>, -1 none */
	size_t script_at;      /* ... where its text starts in `text` */
	bool script_sup;
	enum fld cap;
	bool summary_html, content_html, title_html;

	struct sbuf f[F_N];
	struct sbuf text;      /* the capture */
	struct xauthor *au;
	size_t n_au, cap_au;

	struct feed_xml_error xerr;   /* the first libxml2 error (feed_xml_reader) */
	bool failed;           /* e set by us (error feed) or callback stop */
};

/* ---- positions -------------------------------------------------------------------------- */

static int cur_line(struct xp *x)
{
	return feed_xml_line(x->r);
}

static void fail(struct xp *x, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fail(struct xp *x, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	feed_parse_fail(x->e, line, fmt, ap);
	va_end(ap);
	x->failed = true;
}

/* ---- small helpers ------------------------------------------------------------------------ */

static bool ns_is(const xmlChar *ns, const char *uri)
{
	return ns && strcmp((const char *)ns, uri) == 0;
}

static bool name_is(const xmlChar *name, const char *s)
{
	return strcmp((const char *)name, s) == 0;
}

static const char *fs(struct xp *x, enum fld f)
{
	return x->f[f].len ? x->f[f].s : NULL;
}

/* Copies the named (un-namespaced) attributes of the current element into out[]. Values are
 * copied at once: libxml2 may reuse its buffer for the next attribute. */
static void read_attrs(struct xp *x, const char *const *names, struct sbuf *out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sbuf_reset(&out[i]);
	if (xmlTextReaderMoveToFirstAttribute(x->r) != 1)
		return;
	do {
		const xmlChar *ln = xmlTextReaderConstLocalName(x->r);
		if (!ln || xmlTextReaderConstNamespaceUri(x->r))
			continue;
		for (size_t i = 0; i < n; i++) {
			if (name_is(ln, names[i])) {
				const xmlChar *v = xmlTextReaderConstValue(x->r);
				if (v)
					sbuf_adds(&out[i], (const char *)v);
			}
		}
	} while (xmlTextReaderMoveToNextAttribute(x->r) == 1);
	xmlTextReaderMoveToElement(x->r);
}

/* True for Atom text constructs of type "html": escaped markup to strip. ("xhtml" is inline
 * markup: its text is captured directly, block elements becoming paragraph breaks.) */
static bool type_is_html(struct xp *x)
{
	static const char *const names[] = {"type"};
	struct sbuf t = {0};
	bool html;

	read_attrs(x, names, &t, 1);
	html = t.len && (strcasecmp(t.s, "html") == 0 || strcasecmp(t.s, "text/html") == 0);
	sbuf_free(&t);
	return html;
}

/* Appends a value to a list field, one value per line. */
static void list_add(struct sbuf *b, const char *s, size_t n)
{
	if (!n)
		return;
	if (b->len)
		sbuf_addc(b, '\n');
	sbuf_add(b, s, n);
}

static void reset_entry(struct xp *x)
{
	for (int i = 0; i < F_ENTRY_N; i++)
		sbuf_reset(&x->f[i]);
	x->n_au = 0;
	x->summary_html = x->content_html = x->title_html = false;
}

static struct xauthor *new_author(struct xp *x)
{
	if (x->n_au == x->cap_au) {
		size_t old = x->cap_au;
		x->cap_au = old ? old * 2 : 16;
		x->au = xreallocarray(x->au, x->cap_au, sizeof(*x->au));
		memset(x->au + old, 0, (x->cap_au - old) * sizeof(*x->au));
	}
	struct xauthor *a = &x->au[x->n_au++];
	sbuf_reset(&a->name);
	sbuf_reset(&a->aff);
	return a;
}

static void capture(struct xp *x, enum fld f, int depth)
{
	x->cap = f;
	x->cap_depth = depth;
	x->skip_depth = x->script_depth = -1;
	sbuf_reset(&x->text);
}

/* ---- element starts ----------------------------------------------------------------------- */

static void start_root(struct xp *x, const xmlChar *ns, const xmlChar *ln)
{
	if (ns_is(ns, NS_ATOM) && name_is(ln, "feed"))
		x->root = ROOT_ATOM;
	else if (!ns && name_is(ln, "rss"))
		x->root = ROOT_RSS;
	else if (ns_is(ns, NS_RDF) && name_is(ln, "RDF"))
		x->root = ROOT_RDF;
	else if (strcasecmp((const char *)ln, "html") == 0)
		fail(x, cur_line(x), "got an HTML page where a feed was expected");
	else
		fail(x, cur_line(x), "not a feed: the document is <%s>", (const char *)ln);
}

static bool is_item(struct xp *x, const xmlChar *ns, const xmlChar *ln)
{
	switch (x->root) {
	case ROOT_ATOM: return ns_is(ns, NS_ATOM) && name_is(ln, "entry");
	case ROOT_RSS:  return !ns && name_is(ln, "item");
	case ROOT_RDF:  return ns_is(ns, NS_RSS1) && name_is(ln, "item");
	default:        return false;
	}
}

static void start_feed_level(struct xp *x, int depth, const xmlChar *ns, const xmlChar *ln)
{
	if (ns_is(ns, NS_OPENSEARCH)) {
		x->arxiv = true;
		if (name_is(ln, "totalResults"))
			capture(x, F_TOTAL, depth);
		else if (name_is(ln, "startIndex"))
			capture(x, F_START, depth);
		else if (name_is(ln, "itemsPerPage"))
			capture(x, F_PER_PAGE, depth);
		return;
	}
	if (x->root == ROOT_ATOM) {
		if (depth == 1 && ns_is(ns, NS_ATOM) && name_is(ln, "title"))
			capture(x, F_FEED_TITLE, depth);
		else if (depth == 1 && ns_is(ns, NS_ATOM) && name_is(ln, "updated"))
			capture(x, F_FEED_DATE, depth);
		return;
	}
	/* RSS: the channel's own children (not those of <image> or <textinput>). */
	bool plain = x->root == ROOT_RSS ? !ns : ns_is(ns, NS_RSS1);
	if (depth == 1 && plain && name_is(ln, "channel")) {
		x->in_channel = true;
		return;
	}
	if (!x->in_channel || depth != 2)
		return;
	if (plain && name_is(ln, "title"))
		capture(x, F_FEED_TITLE, depth);
	else if (plain && name_is(ln, "description"))
		capture(x, F_FEED_DESC, depth);
	else if ((plain && name_is(ln, "pubDate")) || (ns_is(ns, NS_DC) && name_is(ln, "date")))
		capture(x, F_FEED_DATE, depth);
}

/* Appends href to a list field, resolved against the current element's base URI (its xml:base,
 * else the URL the document was fetched from): feeds may give "/post/1" or "abs/2501.01234". */
static void link_add(struct xp *x, struct sbuf *list, const char *href, size_t n)
{
	while (n > 0 && (*href == ' ' || *href == '\t' || *href == '\n' || *href == '\r'))
		href++, n--;
	while (n > 0 && (href[n - 1] == ' ' || href[n - 1] == '\t' || href[n - 1] == '\n' ||
	                 href[n - 1] == '\r'))
		n--;
	if (n == 0)
		return;
	/* An absolute URI is kept exactly as written (xmlBuildURI re-serialises it). */
	size_t k = 0;
	while (k < n && (isalnum((unsigned char)href[k]) || href[k] == '+' || href[k] == '-' ||
	                 href[k] == '.'))
		k++;
	if (k > 0 && k < n && href[k] == ':' && isalpha((unsigned char)href[0])) {
		list_add(list, href, n);
		return;
	}
	char *h = xstrndup(href, n);
	xmlChar *base = xmlTextReaderBaseUri(x->r);
	xmlChar *abs = base ? xmlBuildURI((const xmlChar *)h, base) : NULL;
	if (abs)
		list_add(list, (const char *)abs, strlen((const char *)abs));
	else
		list_add(list, h, n);
	xmlFree(abs);
	xmlFree(base);
	free(h);
}

static void start_atom_link(struct xp *x)
{
	static const char *const names[] = {"rel", "href", "title", "type"};
	struct sbuf a[4] = {{0}};

	read_attrs(x, names, a, 4);
	if (a[1].len) {
		const char *rel = a[0].len ? a[0].s : "alternate";
		if (a[2].len && strcmp(a[2].s, "pdf") == 0)
			link_add(x, &x->f[F_LINK_PDF], a[1].s, a[1].len);
		else if (a[3].len && strcmp(a[3].s, "application/pdf") == 0)
			link_add(x, &x->f[F_LINK_PDF], a[1].s, a[1].len);
		else if (strcmp(rel, "alternate") == 0)
			link_add(x, &x->f[F_LINK_ALT], a[1].s, a[1].len);
	}
	for (int i = 0; i < 4; i++)
		sbuf_free(&a[i]);
}

static void start_term(struct xp *x, enum fld f)
{
	static const char *const names[] = {"term"};
	struct sbuf t = {0};

	read_attrs(x, names, &t, 1);
	list_add(&x->f[f], t.s, t.len);
	sbuf_free(&t);
}

static void start_in_entry(struct xp *x, int depth, const xmlChar *ns, const xmlChar *ln)
{
	int rel = depth - x->entry_depth;

	if (x->author_depth >= 0) {
		if (depth == x->author_depth + 1) {
			if (ns_is(ns, NS_ATOM) && name_is(ln, "name"))
				capture(x, F_AUTHOR_NAME, depth);
			else if (ns_is(ns, NS_ARXIV) && name_is(ln, "affiliation"))
				capture(x, F_AFFILIATION, depth);
		}
		return;
	}
	if (rel != 1)
		return;
	if (ns_is(ns, NS_ARXIV)) {
		if (name_is(ln, "comment"))
			capture(x, F_COMMENT, depth);
		else if (name_is(ln, "journal_ref") || name_is(ln, "journal_reference"))
			capture(x, F_JREF, depth);
		else if (name_is(ln, "doi") || name_is(ln, "DOI"))
			capture(x, F_DOI, depth);
		else if (name_is(ln, "primary_category"))
			start_term(x, F_PRIMARY);
		else if (name_is(ln, "announce_type"))
			capture(x, F_ANNOUNCE, depth);
		return;
	}
	if (ns_is(ns, NS_DC)) {
		if (name_is(ln, "creator"))
			capture(x, F_CREATOR, depth);
		else if (name_is(ln, "date"))
			capture(x, F_DCDATE, depth);
		else if (name_is(ln, "identifier"))
			capture(x, F_DC_ID, depth);
		else if (name_is(ln, "subject"))
			capture(x, F_CATEGORY, depth);
		return;
	}
	if (ns && strncmp((const char *)ns, NS_PRISM, strlen(NS_PRISM)) == 0) {
		if (name_is(ln, "doi"))
			capture(x, F_PRISM_DOI, depth);
		return;
	}
	if (ns_is(ns, NS_CONTENT)) {
		if (name_is(ln, "encoded")) {
			x->content_html = true;
			capture(x, F_CONTENT, depth);
		}
		return;
	}
	if (x->root == ROOT_ATOM) {
		if (!ns_is(ns, NS_ATOM))
			return;
		if (name_is(ln, "id"))
			capture(x, F_ID, depth);
		else if (name_is(ln, "title")) {
			x->title_html = type_is_html(x);
			capture(x, F_TITLE, depth);
		} else if (name_is(ln, "summary")) {
			x->summary_html = type_is_html(x);
			capture(x, F_SUMMARY, depth);
		} else if (name_is(ln, "content")) {
			x->content_html = type_is_html(x);
			capture(x, F_CONTENT, depth);
		} else if (name_is(ln, "published"))
			capture(x, F_PUBLISHED, depth);
		else if (name_is(ln, "updated"))
			capture(x, F_UPDATED, depth);
		else if (name_is(ln, "link"))
			start_atom_link(x);
		else if (name_is(ln, "category"))
			start_term(x, F_CATS);
		else if (name_is(ln, "author")) {
			new_author(x);
			x->author_depth = depth;
		}
		return;
	}
	bool plain = x->root == ROOT_RSS ? !ns : ns_is(ns, NS_RSS1);
	if (!plain)
		return;
	if (name_is(ln, "title"))
		capture(x, F_TITLE, depth);
	else if (name_is(ln, "link"))
		capture(x, F_LINK, depth);
	else if (name_is(ln, "description"))
		capture(x, F_DESC, depth);
	else if (name_is(ln, "guid"))
		capture(x, F_GUID, depth);
	else if (name_is(ln, "pubDate"))
		capture(x, F_PUBDATE, depth);
	else if (name_is(ln, "category"))
		capture(x, F_CATEGORY, depth);
	else if (name_is(ln, "author"))
		capture(x, F_RSS_AUTHOR, depth);
}

/* ---- building a paper ----------------------------------------------------------------------- */

/* "10.1000/x" from a DOI in any of its spellings, or NULL. */
static char *bare_doi(const char *s)
{
	static const char *const prefixes[] = {
		"doi:", "https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/",
	};

	if (!s)
		return NULL;
	char *c = feed_clean(s, TEXT_COLLAPSE);
	if (!c)
		return NULL;
	const char *p = c;
	for (size_t i = 0; i < ARRAY_LEN(prefixes); i++)
		if (strncasecmp(p, prefixes[i], strlen(prefixes[i])) == 0)
			p += strlen(prefixes[i]);
	char *r = strncmp(p, "10.", 3) == 0 ? xstrdup(p) : NULL;
	free(c);
	return r;
}

static void set_time(int64_t *t, const char *s)
{
	int64_t v;

	if (s && util_parse_time(s, &v) == 0)
		*t = v;
}

/* The space-separated category list: primary first, then the others in order, no duplicates.
 * A term with inner spaces ("Machine Learning") gets '_' so the list stays space-separated.
 * At most MAX_CATEGORIES are kept: real entries have a handful, and the duplicate check is
 * quadratic. */
#define MAX_CATEGORIES 64

static void build_categories(struct paper *p, const char *primary, const char *list)
{
	struct sbuf b = {0};
	const char *lists[2] = {primary, list};
	int kept = 0;

	for (int l = 0; l < 2; l++) {
		const char *s = lists[l];
		while (s && *s && kept < MAX_CATEGORIES) {
			const char *nl = strchr(s, '\n');
			size_t n = nl ? (size_t)(nl - s) : strlen(s);
			char *raw = xstrndup(s, n);
			char *t = feed_clean(raw, TEXT_COLLAPSE);
			free(raw);
			if (t) {
				for (char *c = t; *c; c++)
					if (*c == ' ')
						*c = '_';
				size_t tl = strlen(t);
				bool dup = false;
				for (const char *q = b.s; q && *q;) {
					const char *sp = strchr(q, ' ');
					size_t ql = sp ? (size_t)(sp - q) : strlen(q);
					if (ql == tl && memcmp(q, t, tl) == 0) {
						dup = true;
						break;
					}
					q = sp ? sp + 1 : q + ql;
				}
				if (!dup) {
					if (b.len)
						sbuf_addc(&b, ' ');
					sbuf_add(&b, t, tl);
					kept++;
				}
				free(t);
			}
			s = nl ? nl + 1 : s + n;
		}
	}
	if (b.len) {
		p->categories = sbuf_steal(&b);
		/* The primary category only when the feed names it (arXiv RSS does not). */
		if (primary) {
			size_t n = strcspn(p->categories, " ");
			p->primary_category = xstrndup(p->categories, n);
		}
	}
	sbuf_free(&b);
}

/* First line of a list field. */
static char *first_of(const char *list)
{
	if (!list)
		return NULL;
	size_t n = strcspn(list, "\n");
	char *raw = xstrndup(list, n);
	char *c = feed_clean(raw, TEXT_COLLAPSE);
	free(raw);
	return c;
}

static void add_creators(struct xp *x, struct paper *p, bool arxiv)
{
	const char *list = fs(x, F_CREATORS);
	size_t count = 0;

	for (const char *s = list; s && *s; s += strcspn(s, "\n") + (s[strcspn(s, "\n")] ? 1 : 0))
		count++;
	for (const char *s = list; s && *s;) {
		size_t n = strcspn(s, "\n");
		char *one = xstrndup(s, n);
		if (count == 1 || arxiv) {
			feed_add_creators(p, one, arxiv);
		} else {
			/* One element per author: take it whole. */
			char *name = feed_clean_name(one);
			if (name)
				paper_add_author(p, name, NULL);
			free(name);
		}
		free(one);
		s += n + (s[n] ? 1 : 0);
	}
}

/* Text of a generic feed's HTML-capable field, tags stripped and entities decoded. */
static char *html_text(const char *s, bool html)
{
	if (!s)
		return NULL;
	char *t = html ? text_strip_html(s) : xstrdup(s);
	char *c = feed_clean(t, html ? 0 : TEXT_COLLAPSE | TEXT_KEEP_PARAS);
	free(t);
	return c;
}

/* True when `teaser` only introduces `full`: a prefix of it (whitespace runs compared as one space,
 * a trailing "...", "…", "[...]" or "[…]" ignored) or less than half its length. */
static bool is_teaser(const char *teaser, const char *full)
{
	static const char *const ellipses[] = {"[\xE2\x80\xA6]", "[...]", "\xE2\x80\xA6", "..."};
	size_t n = strlen(teaser), fn = strlen(full);

	if (2 * n < fn)
		return true;
	for (size_t i = 0; i < ARRAY_LEN(ellipses); i++) {
		size_t k = strlen(ellipses[i]);
		if (n >= k && memcmp(teaser + n - k, ellipses[i], k) == 0) {
			n -= k;
			break;
		}
	}
	while (n > 0 && isspace((unsigned char)teaser[n - 1]))
		n--;
	size_t i = 0, j = 0;
	while (i < n && j < fn) {
		bool si = isspace((unsigned char)teaser[i]), sj = isspace((unsigned char)full[j]);
		if (si && sj) {
			while (i < n && isspace((unsigned char)teaser[i]))
				i++;
			while (j < fn && isspace((unsigned char)full[j]))
				j++;
		} else if (!si && !sj && teaser[i] == full[j]) {
			i++, j++;
		} else {
			return false;
		}
	}
	return i == n && n > 0;
}

/* The text of an entry: its summary (Atom) or description (RSS), unless <content> or
 * content:encoded holds more of which that is only a teaser; the content when it is all there is. */
static char *entry_text(struct xp *x)
{
	const char *summary = fs(x, F_SUMMARY), *desc = fs(x, F_DESC);
	char *s = summary ? html_text(summary, x->summary_html)
	        : html_text(desc, true);   /* RSS descriptions are HTML by convention */
	char *c = html_text(fs(x, F_CONTENT), x->content_html);

	if (c && (!s || is_teaser(s, c))) {
		free(s);
		return c;
	}
	free(c);
	return s;
}

/* arXiv API entry or arXiv listing item: the bare id and version. */
static bool arxiv_identity(struct xp *x, struct paper *p, bool *listing)
{
	char id[64];
	int v = 0;
	const char *cand[] = {fs(x, F_ID), fs(x, F_GUID)};

	*listing = false;
	for (size_t i = 0; i < ARRAY_LEN(cand); i++) {
		if (!cand[i])
			continue;
		char *c = feed_clean(cand[i], TEXT_COLLAPSE);
		if (!c)
			continue;
		bool oai = strncasecmp(c, "oai:arXiv.org:", 14) == 0;
		bool abs = strstr(c, "arxiv.org/abs/") != NULL;
		int rc = (oai || abs) ? paper_parse_arxiv_id(c, id, sizeof(id), &v) : -1;
		free(c);
		if (rc == 0) {
			*listing = oai;
			p->id = xstrdup(id);
			p->version = v;
			return true;
		}
	}
	return false;
}

/* Fills p from an arXiv listing item (rss.arxiv.org RSS or Atom). */
static void build_listing(struct xp *x, struct paper *p)
{
	const char *desc = fs(x, F_DESC) ? fs(x, F_DESC) : fs(x, F_SUMMARY);
	const char *abs = desc ? strstr(desc, "\nAbstract: ") : NULL;

	if (abs) {
		p->abstract = feed_clean(abs + 11, TEXT_COLLAPSE | TEXT_KEEP_PARAS);
		if (!fs(x, F_ANNOUNCE)) {   /* "arXiv:<id>vN Announce Type: new \n" */
			const char *at = strstr(desc, "Announce Type: ");
			if (at && at < abs)
				sbuf_add(&x->f[F_ANNOUNCE], at + 15, (size_t)(abs - at - 15));
		}
	} else if (desc) {
		p->abstract = feed_clean(desc, TEXT_COLLAPSE | TEXT_KEEP_PARAS);
	}
	if (p->version == 0 && desc) {
		char id[64];
		int v = 0;
		size_t n = strcspn(desc, " \n");
		char *first = xstrndup(desc, n);
		if (paper_parse_arxiv_id(first, id, sizeof(id), &v) == 0 && strcmp(id, p->id) == 0)
			p->version = v;
		free(first);
	}
	add_creators(x, p, true);
	/* The item date is the announce day: it dates this version, and the paper itself only
	 * when this is its first version. */
	const char *day = fs(x, F_PUBDATE) ? fs(x, F_PUBDATE)
	                : fs(x, F_PUBLISHED) ? fs(x, F_PUBLISHED) : fs(x, F_UPDATED);
	set_time(&p->updated, day);
	char *type = feed_clean(fs(x, F_ANNOUNCE), TEXT_COLLAPSE);
	p->announce = paper_announce_parse(type);
	if (p->version == 1 || (p->version == 0 && p->announce == PAPER_ANN_NEW))
		p->published = p->updated;
	free(type);
	build_categories(p, fs(x, F_PRIMARY),
	                 fs(x, F_CATS) ? fs(x, F_CATS) : fs(x, F_CATEGORY));
	/* arXiv listings name no primary category, but they list it first and the others sorted
	 * (in the recorded feeds a cross-list's first category is outside the requested archives,
	 * and 567 of 1504 items are not in alphabetical order only because of their first one). */
	if (!p->primary_category && p->categories)
		p->primary_category = xstrndup(p->categories, strcspn(p->categories, " "));
}

static void build_api(struct xp *x, struct paper *p)
{
	p->abstract = entry_text(x);
	for (size_t i = 0; i < x->n_au; i++) {
		char *name = feed_clean_name(x->au[i].name.s);
		if (!name)
			continue;
		char *aff = feed_clean(x->au[i].aff.s, TEXT_COLLAPSE);
		paper_add_author(p, name, aff);
		free(name);
		free(aff);
	}
	set_time(&p->published, fs(x, F_PUBLISHED));
	set_time(&p->updated, fs(x, F_UPDATED));
	build_categories(p, fs(x, F_PRIMARY), fs(x, F_CATS));
}

static void build_generic(struct xp *x, struct paper *p)
{
	p->abstract = entry_text(x);
	for (size_t i = 0; i < x->n_au; i++) {
		char *name = feed_clean_name(x->au[i].name.s);
		if (name)
			paper_add_author(p, name, NULL);
		free(name);
	}
	if (x->n_au == 0)
		add_creators(x, p, false);
	if (p->n_authors == 0 && fs(x, F_RSS_AUTHOR)) {
		/* RSS <author> is an e-mail address, often "jdoe@example.com (Jane Doe)". */
		const char *a = fs(x, F_RSS_AUTHOR), *open = strchr(a, '('), *close = strrchr(a, ')');
		char *name = open && close > open ? xstrndup(open + 1, (size_t)(close - open - 1))
		                                   : xstrdup(a);
		char *c = feed_clean_name(name);
		if (c)
			paper_add_author(p, c, NULL);
		free(c);
		free(name);
	}
	const char *pub = fs(x, F_PUBLISHED) ? fs(x, F_PUBLISHED)
	                : fs(x, F_PUBDATE) ? fs(x, F_PUBDATE) : fs(x, F_DCDATE);
	set_time(&p->published, pub ? pub : fs(x, F_UPDATED));
	set_time(&p->updated, fs(x, F_UPDATED));
	build_categories(p, NULL, fs(x, F_CATS) ? fs(x, F_CATS) : fs(x, F_CATEGORY));
}

/* True for the arXiv API's error entry (HTTP 400 body). */
static bool is_api_error(struct xp *x)
{
	const char *id = fs(x, F_ID);
	char *title = feed_clean(fs(x, F_TITLE), TEXT_COLLAPSE);
	bool err = id && (strstr(id, "arxiv.org/api/errors") ||
	                  (title && strcmp(title, "Error") == 0 && strstr(id, "arxiv.org/") &&
	                   !strstr(id, "arxiv.org/abs/")));
	free(title);
	return err;
}

static void end_entry(struct xp *x)
{
	struct paper p;
	bool listing = false;

	if (x->root == ROOT_ATOM && is_api_error(x)) {
		char *msg = feed_clean(fs(x, F_SUMMARY), TEXT_COLLAPSE);
		lerr_set(x->e, LERR_PARSE, cur_line(x), "arXiv API error: %s",
		         msg ? msg : "unspecified");
		x->failed = true;
		free(msg);
		return;
	}
	paper_init(&p);
	bool arxiv = arxiv_identity(x, &p, &listing);
	if (arxiv && !listing)
		x->arxiv = true;

	/* Title: LaTeX stays; only Atom's type="html" titles and generic RSS titles are HTML. */
	const char *title = fs(x, F_TITLE);
	if (title && (x->title_html || (!arxiv && x->root != ROOT_ATOM))) {
		char *t = text_strip_html(title);
		p.title = feed_clean(t, TEXT_COLLAPSE);
		free(t);
	} else {
		p.title = feed_clean(title, TEXT_COLLAPSE);
	}

	if (arxiv && listing)
		build_listing(x, &p);
	else if (arxiv)
		build_api(x, &p);
	else
		build_generic(x, &p);

	char *link = first_of(fs(x, F_LINK_ALT) ? fs(x, F_LINK_ALT) : fs(x, F_LINK));
	char *pdf = first_of(fs(x, F_LINK_PDF));
	p.comment = feed_clean(fs(x, F_COMMENT), TEXT_COLLAPSE);
	p.journal_ref = feed_clean(fs(x, F_JREF), TEXT_COLLAPSE);
	p.doi = bare_doi(fs(x, F_DOI));
	if (!p.doi)
		p.doi = bare_doi(fs(x, F_PRISM_DOI));
	if (!p.doi)
		p.doi = bare_doi(fs(x, F_DC_ID));

	if (!arxiv) {
		/* A generic entry: an arXiv link makes it an arXiv paper, else DOI, link, guid/id. */
		char id[64];
		int v = 0;
		if (link && strstr(link, "arxiv.org/abs/") &&
		    paper_parse_arxiv_id(link, id, sizeof(id), &v) == 0) {
			p.id = xstrdup(id);
			p.version = v;
		} else if (p.doi) {
			p.id = xasprintf("doi:%s", p.doi);
		} else if (link) {
			p.id = xasprintf("url:%s", link);
		} else {
			char *g = feed_clean(fs(x, F_GUID) ? fs(x, F_GUID) : fs(x, F_ID), TEXT_COLLAPSE);
			if (g)
				p.id = xasprintf("url:%s", g);
			free(g);
		}
	}
	if (paper_is_arxiv_id(p.id)) {
		p.url_abs = link && !listing ? xstrdup(link) : paper_abs_url(p.id);
		p.url_pdf = pdf ? xstrdup(pdf) : paper_pdf_url(p.id);
	} else {
		p.url_abs = link ? xstrdup(link) : NULL;
		p.url_pdf = pdf ? xstrdup(pdf) : NULL;
	}
	p.listing_url = link;   /* the feed's own link: kept with the listing (store_upsert) */
	free(pdf);

	if (p.id) {   /* an entry with nothing to identify it cannot be stored: skip it */
		x->info->n_items++;
		if (x->cb && x->cb(x->ctx, &p)) {
			lerr_clear(x->e);
			x->failed = true;
		}
	}
	paper_clear(&p);
}

/* ---- element ends ------------------------------------------------------------------------- */

static void end_capture(struct xp *x)
{
	struct sbuf *t = &x->text;

	x->cap_depth = -1;
	switch (x->cap) {
	case F_CATEGORY:
		list_add(&x->f[F_CATEGORY], t->s, t->len);
		break;
	case F_CREATOR:
		/* The value keeps its own newlines out of the list separator. */
		for (size_t i = 0; i < t->len; i++)
			if (t->s[i] == '\n' || t->s[i] == '\r')
				t->s[i] = ' ';
		list_add(&x->f[F_CREATORS], t->s, t->len);
		break;
	case F_LINK:   /* the end tag has the element's base URI */
		if (x->f[F_LINK].len == 0)
			link_add(x, &x->f[F_LINK], t->s ? t->s : "", t->len);
		break;
	case F_AUTHOR_NAME:
		if (x->n_au)
			sbuf_add(&x->au[x->n_au - 1].name, t->s ? t->s : "", t->len);
		break;
	case F_AFFILIATION:
		if (x->n_au) {
			char *c = feed_clean(t->s, TEXT_COLLAPSE);
			struct sbuf *aff = &x->au[x->n_au - 1].aff;
			if (c) {
				if (aff->len)
					sbuf_adds(aff, "; ");
				sbuf_adds(aff, c);
			}
			free(c);
		}
		break;
	default:
		/* Single-valued: the first occurrence wins. */
		if (x->f[x->cap].len == 0 && t->len)
			sbuf_add(&x->f[x->cap], t->s, t->len);
		break;
	}
}

static long to_long(const char *s)
{
	char *end;
	long v;

	if (!s)
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	while (*end == ' ' || *end == '\n' || *end == '\t' || *end == '\r')
		end++;
	return (errno || end == s || *end || v < 0) ? -1 : v;
}

/* The RSS channel ended: what it says about the listing. */
static void end_feed(struct xp *x)
{
	struct feed_info *fi = x->info;
	char day[11];

	free(fi->title);
	fi->title = feed_clean(fs(x, F_FEED_TITLE), TEXT_COLLAPSE);
	fi->total_results = to_long(fs(x, F_TOTAL));
	fi->start_index = to_long(fs(x, F_START));
	fi->items_per_page = to_long(fs(x, F_PER_PAGE));
	if (x->root != ROOT_ATOM && !fi->day && feed_day_of(fs(x, F_FEED_DATE), day) == 0)
		fi->day = xstrdup(day);
}

/* Inside captured xhtml, block elements separate paragraphs (a blank line for text_clean). */
static void xhtml_block(struct xp *x, const xmlChar *ln)
{
	static const char *const blocks[] = {"p", "div", "br", "li", "blockquote", "pre", "tr"};

	for (size_t i = 0; ln && i < ARRAY_LEN(blocks); i++)
		if (name_is(ln, blocks[i]))
			sbuf_adds(&x->text, "\n\n");
}

/* An element starts inside captured xhtml: what text_strip_html does for escaped HTML. */
static void xhtml_start(struct xp *x, int depth, const xmlChar *ln)
{
	if (x->skip_depth >= 0)
		return;
	if (name_is(ln, "script") || name_is(ln, "style")) {
		x->skip_depth = depth;
	} else if (x->script_depth < 0 && (name_is(ln, "sup") || name_is(ln, "sub"))) {
		x->script_depth = depth;
		x->script_at = x->text.len;
		x->script_sup = name_is(ln, "sup");
	} else {
		xhtml_block(x, ln);
	}
}

static void xhtml_end(struct xp *x, int depth)
{
	if (x->skip_depth >= 0) {
		if (depth == x->skip_depth)
			x->skip_depth = -1;
		return;
	}
	if (depth == x->script_depth) {
		if (x->text.len > x->script_at) {
			char *t = xstrdup(x->text.s + x->script_at);
			x->text.len = x->script_at;
			x->text.s[x->script_at] = '\0';
			text_script_or_mark(t, x->script_sup, &x->text);
			free(t);
		}
		x->script_depth = -1;
		return;
	}
	xhtml_block(x, xmlTextReaderConstLocalName(x->r));
}

static void on_end(struct xp *x, int depth)
{
	if (x->cap_depth >= 0 && depth > x->cap_depth)
		xhtml_end(x, depth);
	if (x->cap_depth == depth) {
		end_capture(x);
		/* Feed facts become visible as soon as they are known (before the first item
		 * when the feed states them first, as arXiv does). */
		if (x->cap >= F_ENTRY_N)
			end_feed(x);
	}
	if (x->author_depth == depth)
		x->author_depth = -1;
	if (x->entry_depth == depth) {
		end_entry(x);
		x->entry_depth = -1;
	}
	if (depth == 1)
		x->in_channel = false;
}

static void on_start(struct xp *x, int depth)
{
	const xmlChar *ln = xmlTextReaderConstLocalName(x->r);
	const xmlChar *ns = xmlTextReaderConstNamespaceUri(x->r);

	if (!ln)
		return;
	if (x->cap_depth >= 0) {   /* markup inside a captured element (xhtml content) */
		xhtml_start(x, depth, ln);
		return;
	}
	if (depth == 0) {
		start_root(x, ns, ln);
		return;
	}
	if (x->entry_depth >= 0) {
		start_in_entry(x, depth, ns, ln);
		return;
	}
	if (is_item(x, ns, ln)) {
		reset_entry(x);
		x->entry_depth = depth;
		x->author_depth = -1;
		return;
	}
	if (x->root == ROOT_ATOM && ns_is(ns, NS_ARXIV))
		x->arxiv = true;
	start_feed_level(x, depth, ns, ln);
}

/* ---- the parse ----------------------------------------------------------------------------- */

static void finish_checks(struct xp *x)
{
	const char *title = fs(x, F_FEED_TITLE);

	/* rss.arxiv.org reports a bad query as a channel titled "Feed error for query: <url>". */
	if (x->root != ROOT_ATOM && title && strstr(title, "Feed error for query")) {
		char *msg = feed_clean(fs(x, F_FEED_DESC), TEXT_COLLAPSE);
		lerr_set(x->e, LERR_PARSE, 1, "arXiv feed error: %s", msg ? msg : title);
		free(msg);
		x->failed = true;
	}
}

int feed_parse_xml(enum feed_format fmt, const char *buf, size_t len, const char *url,
                   feed_paper_cb cb, void *ctx, struct feed_info *info, struct lerr *e)
{
	struct xp x = {
		.buf = buf, .len = len, .cb = cb, .ctx = ctx, .info = info, .e = e,
		.entry_depth = -1, .author_depth = -1, .cap_depth = -1, .skip_depth = -1,
		.script_depth = -1,
	};
	int ret;

	if (!(x.r = feed_xml_reader(buf, len, url, &x.xerr, e)))   /* untrusted: see feed_util.h */
		return -1;

	struct feed_release released = {0};
	while (!x.failed && (ret = xmlTextReaderRead(x.r)) == 1) {
		int type = xmlTextReaderNodeType(x.r);
		int depth = xmlTextReaderDepth(x.r);
		feed_xml_release(x.r, buf, len, &released);

		switch (type) {
		case XML_READER_TYPE_ELEMENT:
			on_start(&x, depth);
			if (!x.failed && xmlTextReaderIsEmptyElement(x.r) == 1)
				on_end(&x, depth);
			break;
		case XML_READER_TYPE_END_ELEMENT:
			on_end(&x, depth);
			break;
		case XML_READER_TYPE_TEXT:
		case XML_READER_TYPE_CDATA:
		case XML_READER_TYPE_WHITESPACE:
		case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
			if (x.cap_depth >= 0 && x.skip_depth < 0) {
				const xmlChar *v = xmlTextReaderConstValue(x.r);
				if (v)
					sbuf_adds(&x.text, (const char *)v);
			}
			break;
		default:
			break;
		}
	}
	if (!x.failed && ret != 0) {
		int line = x.xerr.line ? x.xerr.line : cur_line(&x);
		fail(&x, line, "%s", x.xerr.msg[0] ? x.xerr.msg : "malformed XML");
	}
	if (!x.failed && x.root == ROOT_NONE)
		fail(&x, cur_line(&x), "no document element");
	if (!x.failed)
		finish_checks(&x);
	/* The dialect is recognised from the document itself; fmt only chose XML over JSON. */
	(void)fmt;
	if (x.root != ROOT_NONE)
		info->format = x.root == ROOT_ATOM ? (x.arxiv ? FEED_ARXIV_API : FEED_ATOM)
		                                  : FEED_RSS;

	xmlFreeTextReader(x.r);
	for (int i = 0; i < F_N; i++)
		sbuf_free(&x.f[i]);
	sbuf_free(&x.text);
	for (size_t i = 0; i < x.cap_au; i++) {
		sbuf_free(&x.au[i].name);
		sbuf_free(&x.au[i].aff);
	}
	free(x.au);
	return x.failed ? -1 : 0;
}
