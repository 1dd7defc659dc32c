/* paper_fields — the table of a paper's fields for the detail pane, `lectern show` and the CSV
 * export (see paper_fields.h). The outputs differ in labels, order and some formats (the pane is
 * compact, `show` spells things out, CSV is data); each difference is written here once, in
 * the field's row or formatter. */
#include "lectern/paper_fields.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lectern/latex.h"
#include "lectern/text.h"

void paper_author_list(struct sbuf *b, const struct paper *p, size_t k)
{
	for (size_t i = 0; i < k; i++) {
		if (i)
			sbuf_adds(b, ", ");
		sbuf_adds(b, p->authors[i].name ? p->authors[i].name : "?");
		if (p->authors[i].affiliation && *p->authors[i].affiliation)
			sbuf_printf(b, " (%s)", p->authors[i].affiliation);
	}
}

static char *date_of(int64_t t)
{
	char d[32];
	util_fmt_date(t, d, sizeof d);
	return xstrdup(d);
}

/* ---- formatters --------------------------------------------------------------------------- */

/* Readers get "Name (Affiliation), ..."; CSV the names only, separated by "; ". */
static char *f_authors(const struct paper *p, enum paper_out out, const char **label)
{
	if (!p->n_authors)
		return NULL;
	struct sbuf b = {0};
	if (out == PAPER_OUT_CSV) {
		for (size_t i = 0; i < p->n_authors; i++) {
			if (i)
				sbuf_adds(&b, "; ");
			sbuf_adds(&b, p->authors[i].name ? p->authors[i].name : "");
		}
		return b.s;
	}
	if (p->n_authors == 1)
		*label = out == PAPER_OUT_SHOW ? "author" : "Author";
	paper_author_list(&b, p, p->n_authors);
	return b.s;
}

/* The pane: "date, updated date" (or only the update, when the first version's date is
 * unknown: arXiv RSS replacements and cross-lists); `show` gives the update a line of its own. */
/* "submitted by NVIDIA" where the organisation is the Daily Papers submitter's (CSV: as stored). */
static char *f_organisation(const struct paper *p, enum paper_out out, const char **label)
{
	(void)label;
	if (out == PAPER_OUT_CSV)
		return p->organization ? xstrdup(p->organization) : NULL;
	return paper_org_label(p->organization, p->org_submitter);
}

static char *f_published(const struct paper *p, enum paper_out out, const char **label)
{
	if (out != PAPER_OUT_DETAIL || p->published) {
		if (!p->published)
			return NULL;
		char *d = date_of(p->published);
		if (out != PAPER_OUT_DETAIL || !p->updated || p->updated == p->published)
			return d;
		char *up = date_of(p->updated);
		char *s = strcmp(up, d) != 0 ? xasprintf("%s, updated %s", d, up) : xstrdup(d);
		free(up);
		free(d);
		return s;
	}
	if (!p->updated)
		return NULL;
	*label = "Updated";
	char *d = date_of(p->updated);
	char *s = xasprintf("%s (first published: unknown)", d);
	free(d);
	return s;
}

/* `show` leaves out an update that is the first version; CSV always has the column. */
static char *f_updated(const struct paper *p, enum paper_out out, const char **label)
{
	if (!p->updated || (out == PAPER_OUT_SHOW && p->updated == p->published))
		return NULL;
	return date_of(p->updated);
}

/* Every version's date, when arXiv gave more than one: "v1 1996-02-15 · v2 2023-05-18". */
static char *f_versions(const struct paper *p, enum paper_out out, const char **label)
{
	(void)out;
	(void)label;
	enum { MAX = 256 };
	int v[MAX];
	int64_t t[MAX];
	size_t n = paper_versions(p->versions, v, t, MAX);
	if (n < 2)
		return NULL;
	struct sbuf b = {0};
	for (size_t i = 0; i < n; i++) {
		char d[32];
		util_fmt_date(t[i], d, sizeof d);
		sbuf_printf(&b, "%sv%d %s", i ? " · " : "", v[i], d);
	}
	return sbuf_steal(&b);
}

/* The pane says which kind of id it is ("arXiv: 2501.01234v2", "Id: doi:..."). */
static char *f_id(const struct paper *p, enum paper_out out, const char **label)
{
	if (!p->id)
		return NULL;
	if (out == PAPER_OUT_CSV)
		return xstrdup(p->id);   /* the version has a column of its own */
	if (out == PAPER_OUT_DETAIL && !paper_is_arxiv_id(p->id)) {
		*label = "Id";
		return xstrdup(p->id);
	}
	return p->version > 0 ? xasprintf("%sv%d", p->id, p->version) : xstrdup(p->id);
}

/* `show` names the primary category when the list does not start with it. */
static char *f_categories(const struct paper *p, enum paper_out out, const char **label)
{
	if (out == PAPER_OUT_SHOW && p->categories && p->primary_category &&
	    strncmp(p->categories, p->primary_category, strlen(p->primary_category)) != 0)
		return xasprintf("%s (primary %s)", p->categories, p->primary_category);
	const char *c = out == PAPER_OUT_SHOW && !p->categories ? p->primary_category : p->categories;
	return c ? xstrdup(c) : NULL;
}

/* The listings ("SOURCE DAY" lines, newest first). The pane: oldest first, a long history cut
 * with a count; `show`: all of them, as stored, separated by commas. */
static char *f_listed(const struct paper *p, enum paper_out out, const char **label)
{
	if (!p->listings || !*p->listings)
		return NULL;
	if (out == PAPER_OUT_SHOW) {
		char *l = xstrdup(p->listings);
		for (char *q = l; *q; q++)
			if (*q == '\n')
				*q = ',';
		return l;
	}
	enum { MAX_SHOWN = 8 };
	const char *lines[64];
	size_t nl = 0, total = 0;
	for (const char *q = p->listings; *q;) {
		size_t len = strcspn(q, "\n");
		if (len && nl < ARRAY_LEN(lines))
			lines[nl++] = q;
		total += len > 0;
		q += len;
		if (*q == '\n')
			q++;
	}
	struct sbuf b = {0};
	size_t shown = 0;
	for (size_t i = nl; i-- > 0 && shown < MAX_SHOWN; shown++) {
		if (shown)
			sbuf_adds(&b, ", ");
		sbuf_add(&b, lines[i], strcspn(lines[i], "\n"));
	}
	if (total > shown)
		sbuf_printf(&b, " (and %zu more)", total - shown);
	return b.s;
}

/* Hugging Face counters; `show` adds the GitHub stars the pane gives a line of their own. */
static char *f_hugging_face(const struct paper *p, enum paper_out out, const char **label)
{
	struct sbuf b = {0};
	if (p->upvotes >= 0)
		sbuf_printf(&b, "%lld upvote%s", (long long)p->upvotes, p->upvotes == 1 ? "" : "s");
	if (p->num_comments >= 0)
		sbuf_printf(&b, "%s%lld comment%s", b.len ? ", " : "", (long long)p->num_comments,
		            p->num_comments == 1 ? "" : "s");
	if (out == PAPER_OUT_SHOW && p->github_stars >= 0)
		sbuf_printf(&b, "%s%lld GitHub star%s", b.len ? ", " : "", (long long)p->github_stars,
		            p->github_stars == 1 ? "" : "s");
	return b.s;
}

/* The pane leaves out the Daily Papers day when the listings already name it. */
static char *f_daily(const struct paper *p, enum paper_out out, const char **label)
{
	if (!p->hf_day || (out == PAPER_OUT_DETAIL && p->listings && strstr(p->listings, p->hf_day)))
		return NULL;
	return xstrdup(p->hf_day);
}

/* A counter as a number, or NULL when unknown (-1). */
static char *count(int64_t v)
{
	return v >= 0 ? xasprintf("%lld", (long long)v) : NULL;
}

static char *f_github(const struct paper *p, enum paper_out out, const char **label)
{
	if (out == PAPER_OUT_CSV)
		return count(p->github_stars);
	return p->github_stars >= 0 ? xasprintf("%lld star%s", (long long)p->github_stars,
	                                        p->github_stars == 1 ? "" : "s") : NULL;
}

static char *f_upvotes(const struct paper *p, enum paper_out out, const char **label)
{
	return count(p->upvotes);
}

static char *f_num_comments(const struct paper *p, enum paper_out out, const char **label)
{
	return count(p->num_comments);
}

static char *f_version(const struct paper *p, enum paper_out out, const char **label)
{
	return p->version > 0 ? xasprintf("%d", p->version) : NULL;
}

static char *f_favourite(const struct paper *p, enum paper_out out, const char **label)
{
	return xstrdup(p->favourite ? "yes" : "no");
}

static char *f_read(const struct paper *p, enum paper_out out, const char **label)
{
	return xstrdup(p->read ? "yes" : "no");
}

/* The pane: only what is set ("★ favourite, read"); `show`: always, with the favourite's day. */
static char *f_state(const struct paper *p, enum paper_out out, const char **label)
{
	if (out == PAPER_OUT_DETAIL) {
		if (!p->favourite && !p->read)
			return NULL;
		return xasprintf("%s%s%s", p->favourite ? "★ favourite" : "",
		                 p->favourite && p->read ? ", " : "", p->read ? "read" : "");
	}
	struct sbuf b = {0};
	if (p->favourite) {
		sbuf_adds(&b, "favourite");
		if (p->fav_time) {
			char *d = date_of(p->fav_time);
			sbuf_printf(&b, " since %s", d);
			free(d);
		}
		sbuf_adds(&b, ", ");
	}
	sbuf_adds(&b, p->read ? "read" : "unread");
	return b.s;
}

/* A paper arXiv withdrew (an OAI-PMH deleted record): said, never silently current. */
static char *f_withdrawn(const struct paper *p, enum paper_out out, const char **label)
{
	(void)label;
	if (out == PAPER_OUT_CSV)   /* a column like favourite and read */
		return xstrdup(p->withdrawn ? "yes" : "no");
	if (!p->withdrawn)
		return NULL;
	return xstrdup("by arXiv (its record was deleted); this text is the last arXiv gave");
}

/* ---- the table ---------------------------------------------------------------------------- */

#define MEMBER(m) offsetof(struct paper, m)
#define LINE(label, flags, latex) {label, PAPER_FIELD_LINE, flags, latex}
#define SECTION(label, flags, latex) {label, PAPER_FIELD_SECTION, flags, latex}
#define COLUMN(name) {name, PAPER_FIELD_LINE, 0, false}
#define NONE {NULL, PAPER_FIELD_LINE, 0, false}
#define ROW(id, detail, show, csv, member, format) [id] = {id, {detail, show, csv}, member, format}
enum { C = TEXT_COLLAPSE, P = TEXT_COLLAPSE | TEXT_KEEP_PARAS };

static const struct paper_field table[PF_N] = {
	/*  field            detail pane                      lectern show
	 *                   CSV column                       text */
	ROW(PF_ID,           LINE("arXiv", C, false),         LINE("id", C, false),
	                     COLUMN("id"),                    0, f_id),
	ROW(PF_VERSION,      NONE,                            NONE,
	                     COLUMN("version"),               0, f_version),
	ROW(PF_TITLE,        NONE,                            NONE,
	                     COLUMN("title"),                 MEMBER(title), NULL),
	ROW(PF_AUTHORS,      LINE("Authors", C, false),       LINE("authors", C, false),
	                     COLUMN("authors"),               0, f_authors),
	ROW(PF_ORGANISATION, LINE("Organisation", C, false),  LINE("organisation", C, false),
	                     COLUMN("organization"),          0, f_organisation),
	ROW(PF_PUBLISHED,    LINE("Published", C, false),     LINE("published", C, false),
	                     COLUMN("published"),             0, f_published),
	ROW(PF_UPDATED,      NONE,                            LINE("updated", C, false),
	                     COLUMN("updated"),               0, f_updated),
	ROW(PF_VERSIONS,     LINE("Versions", C, false),      LINE("versions", C, false),
	                     NONE,                            0, f_versions),
	ROW(PF_PRIMARY,      NONE,                            NONE,
	                     COLUMN("primary_category"),      MEMBER(primary_category), NULL),
	ROW(PF_CATEGORIES,   LINE("Categories", C, false),    LINE("categories", C, false),
	                     COLUMN("categories"),            0, f_categories),
	ROW(PF_LISTED,       LINE("Listed", C, false),        LINE("listed by", C, false),
	                     NONE,                            0, f_listed),
	ROW(PF_HUGGING_FACE, LINE("Hugging Face", C, false),  LINE("hugging face", C, false),
	                     NONE,                            0, f_hugging_face),
	ROW(PF_UPVOTES,      NONE,                            NONE,
	                     COLUMN("upvotes"),               0, f_upvotes),
	ROW(PF_NUM_COMMENTS, NONE,                            NONE,
	                     COLUMN("num_comments"),          0, f_num_comments),
	ROW(PF_DAILY,        LINE("Daily Papers", C, false),  LINE("daily papers", C, false),
	                     NONE,                            0, f_daily),
	ROW(PF_SUBMITTER,    LINE("Submitted by", C, false),  LINE("submitter", C, false),
	                     NONE,                            MEMBER(submitter), NULL),
	ROW(PF_GITHUB,       LINE("GitHub", C, false),        NONE,
	                     COLUMN("github_stars"),          0, f_github),
	ROW(PF_KEYWORDS,     LINE("Keywords", C, false),      LINE("keywords", C, false),
	                     NONE,                            MEMBER(ai_keywords), NULL),
	ROW(PF_COMMENT,      LINE("Comment", C, true),        LINE("comment", C, false),
	                     COLUMN("comment"),               MEMBER(comment), NULL),
	ROW(PF_JOURNAL,      LINE("Journal ref", C, false),   LINE("journal", C, false),
	                     COLUMN("journal_ref"),           MEMBER(journal_ref), NULL),
	ROW(PF_DOI,          LINE("DOI", C, false),           LINE("doi", C, false),
	                     COLUMN("doi"),                   MEMBER(doi), NULL),
	ROW(PF_URL_ABS,      NONE,                            NONE,
	                     COLUMN("url_abs"),               MEMBER(url_abs), NULL),
	ROW(PF_URL_PDF,      NONE,                            NONE,
	                     COLUMN("url_pdf"),               MEMBER(url_pdf), NULL),
	ROW(PF_URL_CODE,     NONE,                            NONE,
	                     COLUMN("url_code"),              MEMBER(url_code), NULL),
	ROW(PF_URL_PROJECT,  NONE,                            NONE,
	                     COLUMN("url_project"),           MEMBER(url_project), NULL),
	ROW(PF_URL_HF,       NONE,                            NONE,
	                     COLUMN("url_hf"),                MEMBER(url_hf), NULL),
	ROW(PF_STATE,        LINE("State", C, false),         LINE("state", C, false),
	                     NONE,                            0, f_state),
	ROW(PF_FAVOURITE,    NONE,                            NONE,
	                     COLUMN("favourite"),             0, f_favourite),
	ROW(PF_READ,         NONE,                            NONE,
	                     COLUMN("read"),                  0, f_read),
	ROW(PF_TAGS,         LINE("Tags", C, false),          LINE("tags", C, false),
	                     COLUMN("tags"),                  MEMBER(tags), NULL),
	ROW(PF_NOTE,         LINE("Note", C, false),          SECTION("note", 0, false),
	                     COLUMN("note"),                  MEMBER(note), NULL),
	ROW(PF_AI_SUMMARY,   SECTION("AI summary", P, true),  SECTION("AI summary", C, false),
	                     NONE,                            MEMBER(ai_summary), NULL),
	/* `show` prints the abstract under no heading */
	ROW(PF_ABSTRACT,     SECTION("Abstract", P, true),    SECTION(NULL, 0, true),
	                     COLUMN("abstract"),              MEMBER(abstract), NULL),
	ROW(PF_WITHDRAWN,    LINE("Withdrawn", C, false),     LINE("withdrawn", C, false),
	                     COLUMN("withdrawn"),             0, f_withdrawn),
};

/* The order of each output: the pane groups who/when/where first; `show` leads with the id;
 * the CSV columns keep the order files already written have. */
#define F(id) &table[PF_##id]
static const struct paper_field *const detail_order[] = {
	F(WITHDRAWN), F(AUTHORS), F(ORGANISATION), F(PUBLISHED), F(VERSIONS), F(ID), F(CATEGORIES),
	F(LISTED),
	F(HUGGING_FACE), F(DAILY), F(SUBMITTER), F(GITHUB), F(KEYWORDS), F(COMMENT), F(JOURNAL),
	F(DOI), F(STATE), F(TAGS), F(NOTE), F(AI_SUMMARY), F(ABSTRACT),
};
static const struct paper_field *const show_order[] = {
	F(ID), F(WITHDRAWN), F(AUTHORS), F(PUBLISHED), F(UPDATED), F(VERSIONS), F(CATEGORIES),
	F(COMMENT), F(JOURNAL), F(DOI),
	F(HUGGING_FACE), F(ORGANISATION), F(SUBMITTER), F(DAILY), F(KEYWORDS), F(STATE), F(TAGS),
	F(LISTED), F(NOTE), F(ABSTRACT), F(AI_SUMMARY),
};
static const struct paper_field *const csv_order[] = {
	F(ID), F(VERSION), F(TITLE), F(AUTHORS), F(PUBLISHED), F(UPDATED), F(PRIMARY),
	F(CATEGORIES), F(DOI), F(JOURNAL), F(COMMENT), F(URL_ABS), F(URL_PDF), F(URL_CODE),
	F(URL_PROJECT), F(URL_HF), F(UPVOTES), F(NUM_COMMENTS), F(GITHUB), F(ORGANISATION),
	F(FAVOURITE), F(READ), F(TAGS), F(NOTE), F(ABSTRACT), F(WITHDRAWN),
};
#undef F

const struct paper_field *const *paper_fields(enum paper_out out, size_t *n)
{
	switch (out) {
	case PAPER_OUT_SHOW:
		*n = ARRAY_LEN(show_order);
		return show_order;
	case PAPER_OUT_CSV:
		*n = ARRAY_LEN(csv_order);
		return csv_order;
	default:
		*n = ARRAY_LEN(detail_order);
		return detail_order;
	}
}

char *paper_field_text(const struct paper_field *f, const struct paper *p, enum paper_out out,
                       const char **label)
{
	*label = f->view[out].label;
	if (f->format)
		return f->format(p, out, label);
	const char *s;   /* the member at that offset (memcpy: no cast to a stricter alignment) */
	memcpy(&s, (const char *)p + f->member, sizeof s);
	return s ? xstrdup(s) : NULL;
}

/* ---- links ------------------------------------------------------------------------------- */

static const struct {
	const char *label, *brief;
} link_names[] = {
	[PAPER_LINK_ABS] = {"abstract", "abs"},     [PAPER_LINK_PDF] = {"pdf", "pdf"},
	[PAPER_LINK_CODE] = {"code", "code"},       [PAPER_LINK_PROJECT] = {"project", "project"},
	[PAPER_LINK_HF] = {"hugging face", "hf"},   [PAPER_LINK_FOUND] = {"link", "link"},
};

/* The links gathered so far: kinds and cleaned URLs (owned). */
struct links {
	enum paper_link_kind *kind;
	char **url;
	size_t n, cap, found;
};

/* The part of an http(s) URL after its scheme, or NULL when u is no http(s) URL with a host. */
static const char *http_rest(const char *u)
{
	size_t k = strncasecmp(u, "http://", 7) == 0 ? 7 : strncasecmp(u, "https://", 8) == 0 ? 8 : 0;
	return k && isalnum((unsigned char)u[k]) ? u + k : NULL;
}

/* Two spellings of one link: the scheme and a trailing "/" do not count. */
static bool same_link(const char *a, const char *b)
{
	a = http_rest(a);
	b = http_rest(b);
	size_t na = strlen(a), nb = strlen(b);
	na -= na && a[na - 1] == '/';
	nb -= nb && b[nb - 1] == '/';
	return na == nb && strncmp(a, b, na) == 0;
}

/* Found links kept at most: real papers list a handful, a hostile feed cannot flood the pane
 * (nor make the duplicate check quadratic in the abstract's length). */
enum { FOUND_MAX = 50 };

static void add_link(struct links *l, enum paper_link_kind kind, const char *url, size_t len)
{
	if (!url || (kind == PAPER_LINK_FOUND && l->found == FOUND_MAX))
		return;
	char *c = text_clean(url, len, TEXT_COLLAPSE);
	bool ok = http_rest(c) != NULL;
	for (size_t i = 0; ok && kind == PAPER_LINK_FOUND && i < l->n; i++)
		ok = !same_link(l->url[i], c);
	if (!ok) {
		free(c);
		return;
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 8;
		l->kind = xreallocarray(l->kind, l->cap, sizeof *l->kind);
		l->url = xreallocarray(l->url, l->cap, sizeof *l->url);
	}
	l->kind[l->n] = kind;
	l->url[l->n++] = c;
	l->found += kind == PAPER_LINK_FOUND;
}

/* Whether the URL at s + i is the argument of \url{ or \href{ (latex_urls reads those). */
static bool tex_url_arg(const char *s, size_t i)
{
	return (i >= 5 && strncmp(s + i - 5, "\\url{", 5) == 0) ||
	       (i >= 6 && strncmp(s + i - 6, "\\href{", 6) == 0);
}

/* The URLs written out in s (the rule in paper_fields.h). */
static void written_urls(struct links *l, const char *s)
{
	struct sbuf u = {0};
	for (size_t i = 0; s[i]; i++) {
		if ((i > 0 && isalnum((unsigned char)s[i - 1])) || strncasecmp(s + i, "http", 4) != 0 ||
		    !http_rest(s + i) || tex_url_arg(s, i))
			continue;
		int paren = 0, brack = 0;
		sbuf_reset(&u);
		for (; s[i]; i++) {
			unsigned char c = (unsigned char)s[i];
			if (c == '\\' && s[i + 1] && strchr("_%&#~$", s[i + 1])) {
				sbuf_addc(&u, s[++i]);
				continue;
			}
			if (c <= ' ' || c >= 0x7f || strchr("\\\"<>{}", c) ||
			    (c == ')' && paren-- == 0) || (c == ']' && brack-- == 0))
				break;
			paren += c == '(';
			brack += c == '[';
			sbuf_addc(&u, (char)c);
		}
		while (u.len && strchr(".,;:!?'*", u.s[u.len - 1]))
			u.len--;
		add_link(l, PAPER_LINK_FOUND, u.s, u.len);
		if (!s[i])
			break;
	}
	sbuf_free(&u);
}

static void found_urls(struct links *l, const char *s)
{
	if (!s)
		return;
	char **tex = latex_urls(s);
	for (char **t = tex; *t; t++)
		add_link(l, PAPER_LINK_FOUND, *t, strlen(*t));
	free(tex);
	written_urls(l, s);
}

struct paper_link *paper_links(const struct paper *p, size_t *n)
{
	struct links l = {0};
	bool arxiv = p->id && paper_is_arxiv_id(p->id);
	char *abs = !p->url_abs && arxiv ? paper_abs_url(p->id) : NULL;
	char *pdf = !p->url_pdf && arxiv ? paper_pdf_url(p->id) : NULL;
	const char *fixed[] = {
		[PAPER_LINK_ABS] = p->url_abs ? p->url_abs : abs,
		[PAPER_LINK_PDF] = p->url_pdf ? p->url_pdf : pdf,
		[PAPER_LINK_CODE] = p->url_code,
		[PAPER_LINK_PROJECT] = p->url_project,
		[PAPER_LINK_HF] = p->url_hf,
	};
	for (size_t k = 0; k < ARRAY_LEN(fixed); k++)
		if (fixed[k])
			add_link(&l, (enum paper_link_kind)k, fixed[k], strlen(fixed[k]));
	free(abs);
	free(pdf);
	found_urls(&l, p->abstract);
	found_urls(&l, p->comment);
	/* the links feeds gave for it (a blog post about it, a journal's page): one per line */
	for (const char *u = p->listing_url; u && *u;) {
		size_t len = strcspn(u, "\n");
		add_link(&l, PAPER_LINK_FOUND, u, len);
		u += len;
		u += *u == '\n';
	}

	/* One allocation: the entries, then the URLs they point to. */
	size_t bytes = 0;
	for (size_t i = 0; i < l.n; i++)
		bytes += strlen(l.url[i]) + 1;
	struct paper_link *v = xmalloc((l.n + 1) * sizeof *v + bytes);
	char *text = (char *)(v + l.n + 1);
	for (size_t i = 0; i < l.n; i++) {
		size_t len = strlen(l.url[i]) + 1;
		v[i] = (struct paper_link){l.kind[i], link_names[l.kind[i]].label,
		                           link_names[l.kind[i]].brief, memcpy(text, l.url[i], len)};
		text += len;
		free(l.url[i]);
	}
	v[l.n] = (struct paper_link){PAPER_LINK_FOUND, NULL, NULL, NULL};
	if (n)
		*n = l.n;
	free(l.kind);
	free(l.url);
	return v;
}
