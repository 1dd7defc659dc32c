/* paper_fields — the table of a paper's fields for the detail pane and `lectern show` (see
 * paper_fields.h). The two outputs differ in labels, order and some formats (the pane is
 * compact, `show` spells things out); each difference is written here once, per row. */
#include "lectern/paper_fields.h"

#include <stdlib.h>
#include <string.h>

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

static char *f_authors(const struct paper *p, enum paper_out out, const char **label)
{
	if (!p->n_authors)
		return NULL;
	if (p->n_authors == 1)
		*label = out == PAPER_OUT_SHOW ? "author" : "Author";
	struct sbuf b = {0};
	paper_author_list(&b, p, p->n_authors);
	return b.s;
}

/* The pane: "date, updated date" (or only the update, when the first version's date is
 * unknown: arXiv RSS replacements and cross-lists); `show` gives the update a line of its own. */
static char *f_published(const struct paper *p, enum paper_out out, const char **label)
{
	if (out == PAPER_OUT_SHOW || p->published) {
		if (!p->published)
			return NULL;
		char *d = date_of(p->published);
		if (out == PAPER_OUT_SHOW || !p->updated || p->updated == p->published)
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

static char *f_updated(const struct paper *p, enum paper_out out, const char **label)
{
	return p->updated && p->updated != p->published ? date_of(p->updated) : NULL;
}

/* The pane says which kind of id it is ("arXiv: 2501.01234v2", "Id: doi:..."). */
static char *f_id(const struct paper *p, enum paper_out out, const char **label)
{
	if (!p->id)
		return NULL;
	bool arxiv = paper_is_arxiv_id(p->id);
	if (out == PAPER_OUT_DETAIL && !arxiv) {
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
		sbuf_printf(&b, "%lld upvotes", (long long)p->upvotes);
	if (p->num_comments >= 0)
		sbuf_printf(&b, "%s%lld comments", b.len ? ", " : "", (long long)p->num_comments);
	if (out == PAPER_OUT_SHOW && p->github_stars >= 0)
		sbuf_printf(&b, "%s%lld GitHub stars", b.len ? ", " : "", (long long)p->github_stars);
	return b.s;
}

/* The pane leaves out the Daily Papers day when the listings already name it. */
static char *f_daily(const struct paper *p, enum paper_out out, const char **label)
{
	if (!p->hf_day || (out == PAPER_OUT_DETAIL && p->listings && strstr(p->listings, p->hf_day)))
		return NULL;
	return xstrdup(p->hf_day);
}

static char *f_github(const struct paper *p, enum paper_out out, const char **label)
{
	return p->github_stars >= 0 ? xasprintf("%lld stars", (long long)p->github_stars) : NULL;
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

/* ---- the table ---------------------------------------------------------------------------- */

#define MEMBER(m) offsetof(struct paper, m)
#define LINE(label, flags, latex) {label, PAPER_FIELD_LINE, flags, latex}
#define SECTION(label, flags, latex) {label, PAPER_FIELD_SECTION, flags, latex}
#define NONE {NULL, PAPER_FIELD_LINE, 0, false}
enum { C = TEXT_COLLAPSE, P = TEXT_COLLAPSE | TEXT_KEEP_PARAS };

static const struct paper_field table[PF_N] = {
	/*  id                 detail pane                           lectern show                          text */
	[PF_AUTHORS] = {PF_AUTHORS,      {LINE("Authors", C, false),      LINE("authors", C, false)},      0, f_authors},
	[PF_ORGANISATION] = {PF_ORGANISATION, {LINE("Organisation", C, false), LINE("organisation", C, false)}, MEMBER(organization), NULL},
	[PF_PUBLISHED] = {PF_PUBLISHED,    {LINE("Published", C, false),    LINE("published", C, false)},    0, f_published},
	[PF_UPDATED] = {PF_UPDATED,      {NONE,                           LINE("updated", C, false)},      0, f_updated},
	[PF_ID] = {PF_ID,           {LINE("arXiv", C, false),        LINE("id", C, false)},           0, f_id},
	[PF_CATEGORIES] = {PF_CATEGORIES,   {LINE("Categories", C, false),   LINE("categories", C, false)},   0, f_categories},
	[PF_LISTED] = {PF_LISTED,       {LINE("Listed", C, false),       LINE("listed by", C, false)},    0, f_listed},
	[PF_HUGGING_FACE] = {PF_HUGGING_FACE, {LINE("Hugging Face", C, false), LINE("hugging face", C, false)}, 0, f_hugging_face},
	[PF_DAILY] = {PF_DAILY,        {LINE("Daily Papers", C, false), LINE("daily papers", C, false)}, 0, f_daily},
	[PF_SUBMITTER] = {PF_SUBMITTER,    {LINE("Submitted by", C, false), LINE("submitter", C, false)},    MEMBER(submitter), NULL},
	[PF_GITHUB] = {PF_GITHUB,       {LINE("GitHub", C, false),       NONE},                           0, f_github},
	[PF_KEYWORDS] = {PF_KEYWORDS,     {LINE("Keywords", C, false),     LINE("keywords", C, false)},     MEMBER(ai_keywords), NULL},
	[PF_COMMENT] = {PF_COMMENT,      {LINE("Comment", C, true),       LINE("comment", C, false)},      MEMBER(comment), NULL},
	[PF_JOURNAL] = {PF_JOURNAL,      {LINE("Journal ref", C, false),  LINE("journal", C, false)},      MEMBER(journal_ref), NULL},
	[PF_DOI] = {PF_DOI,          {LINE("DOI", C, false),          LINE("doi", C, false)},          MEMBER(doi), NULL},
	[PF_STATE] = {PF_STATE,        {LINE("State", C, false),        LINE("state", C, false)},        0, f_state},
	[PF_TAGS] = {PF_TAGS,         {LINE("Tags", C, false),         LINE("tags", C, false)},         MEMBER(tags), NULL},
	[PF_NOTE] = {PF_NOTE,         {LINE("Note", C, false),         SECTION("note", 0, false)},      MEMBER(note), NULL},
	[PF_AI_SUMMARY] = {PF_AI_SUMMARY,   {SECTION("AI summary", P, true), SECTION("AI summary", C, false)}, MEMBER(ai_summary), NULL},
	/* `show` prints the abstract under no heading */
	[PF_ABSTRACT] = {PF_ABSTRACT,     {SECTION("Abstract", P, true),   SECTION(NULL, 0, true)},         MEMBER(abstract), NULL},
};

/* The order of each output: the pane groups who/when/where first; `show` leads with the id. */
static const struct paper_field *const detail_order[] = {
	&table[PF_AUTHORS], &table[PF_ORGANISATION], &table[PF_PUBLISHED], &table[PF_ID],
	&table[PF_CATEGORIES], &table[PF_LISTED], &table[PF_HUGGING_FACE], &table[PF_DAILY],
	&table[PF_SUBMITTER], &table[PF_GITHUB], &table[PF_KEYWORDS], &table[PF_COMMENT],
	&table[PF_JOURNAL], &table[PF_DOI], &table[PF_STATE], &table[PF_TAGS], &table[PF_NOTE],
	&table[PF_AI_SUMMARY], &table[PF_ABSTRACT],
};
static const struct paper_field *const show_order[] = {
	&table[PF_ID], &table[PF_AUTHORS], &table[PF_PUBLISHED], &table[PF_UPDATED],
	&table[PF_CATEGORIES], &table[PF_COMMENT], &table[PF_JOURNAL], &table[PF_DOI],
	&table[PF_HUGGING_FACE], &table[PF_ORGANISATION], &table[PF_SUBMITTER], &table[PF_DAILY],
	&table[PF_KEYWORDS], &table[PF_STATE], &table[PF_TAGS], &table[PF_LISTED], &table[PF_NOTE],
	&table[PF_ABSTRACT], &table[PF_AI_SUMMARY],
};

const struct paper_field *const *paper_fields(enum paper_out out, size_t *n)
{
	if (out == PAPER_OUT_SHOW) {
		*n = ARRAY_LEN(show_order);
		return show_order;
	}
	*n = ARRAY_LEN(detail_order);
	return detail_order;
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
