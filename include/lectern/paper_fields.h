/* paper_fields — the fields of a paper in one table: for each field its label, how its text is
 * made from a `struct paper`, and how each output shows it. The detail pane (ui_detail.c),
 * `lectern show` (cli.c) and the CSV export (export.c) iterate it instead of each listing the
 * fields.
 *
 * The text is raw (as stored: not cleaned, LaTeX not rendered); each output cleans it with the
 * view's `clean` flags and renders LaTeX where `latex` says, as it draws. A new field is one
 * row in paper_fields.c (and the outputs that show it list it there, in their order). */
#ifndef LECTERN_PAPER_FIELDS_H
#define LECTERN_PAPER_FIELDS_H

#include <stdbool.h>
#include <stddef.h>

#include "lectern/paper.h"
#include "lectern/util.h"

enum paper_out {
	PAPER_OUT_DETAIL,   /* the reader's detail pane */
	PAPER_OUT_SHOW,     /* `lectern show` (text) */
	PAPER_OUT_CSV,      /* the CSV export's columns (labels are the header; text as stored) */
	PAPER_OUT_N,
};

enum paper_field_id {
	PF_ID, PF_VERSION, PF_TITLE, PF_AUTHORS, PF_ORGANISATION, PF_PUBLISHED, PF_UPDATED, PF_VERSIONS,
	PF_PRIMARY, PF_CATEGORIES, PF_LISTED, PF_HUGGING_FACE, PF_UPVOTES, PF_NUM_COMMENTS, PF_DAILY,
	PF_SUBMITTER, PF_GITHUB, PF_KEYWORDS, PF_COMMENT, PF_JOURNAL, PF_DOI, PF_URL_ABS, PF_URL_PDF,
	PF_URL_CODE, PF_URL_PROJECT, PF_URL_HF, PF_STATE, PF_FAVOURITE, PF_READ, PF_TAGS, PF_NOTE,
	PF_AI_SUMMARY, PF_ABSTRACT, PF_WITHDRAWN,
	PF_N,
};

enum paper_field_kind {
	PAPER_FIELD_LINE,      /* "label value", wrapped */
	PAPER_FIELD_SECTION,   /* a block after a blank line and its label (none when NULL) */
};

/* How one output shows a field. */
struct paper_field_view {
	const char *label;            /* the usual label; paper_field_text() may choose another */
	enum paper_field_kind kind;
	int clean;                    /* text_clean() flags for the value (readers; CSV writes the
	                               * text as stored) */
	bool latex;                   /* render the value's LaTeX */
};

struct paper_field {
	enum paper_field_id id;
	struct paper_field_view view[PAPER_OUT_N];
	/* Either a string member of struct paper (its offset) ... */
	size_t member;
	/* ... or, when non-NULL, the formatter: the text for `out` (malloc'd) or NULL; may set
	 * *label to a label that fits this paper ("Author" for one author). */
	char *(*format)(const struct paper *p, enum paper_out out, const char **label);
};

/* The fields `out` shows, in the order it shows them; *n gets their number. Static storage. */
const struct paper_field *const *paper_fields(enum paper_out out, size_t *n);

/* The text of field f of p as `out` shows it: malloc'd (caller frees) and raw, or NULL when p
 * has none. *label gets the label to show with it (the view's, or one that fits this paper;
 * NULL for an unlabelled section). */
char *paper_field_text(const struct paper_field *f, const struct paper *p, enum paper_out out,
                       const char **label);

/* Appends "Name (Affiliation)" of authors [0, k) of p to b, joined by ", " (a missing name as
 * "?", an empty affiliation left out). For outputs that cut long lists to fit. */
void paper_author_list(struct sbuf *b, const struct paper *p, size_t k);

/* ---- links ------------------------------------------------------------------------------------
 * A paper's links as every output lists them (the detail pane's numbered links, `show`'s links
 * block, the exports), so they cannot disagree: first the fixed ones in this order — abstract
 * page, PDF (both derived from an arXiv id when not stored), code, project page, Hugging Face
 * page — then the links written in the abstract, then in the comment: \url{x} and \href{x}{..}
 * (latex_urls), then URLs written out ("code: https://github.com/x/y."), each from "http(s)://"
 * to whitespace, a non-ASCII byte, a quote, <, >, a brace or a backslash that escapes no URL
 * character (\_ \% \& \# \~ \$ stand for the character), less trailing punctuation and a
 * closing bracket it did not open. Only http(s) URLs are links (a javascript: or file: URL, or
 * \url{example.org}, is not listed); the found ones are listed once, and not when a fixed link
 * is the same (http and https, and a trailing "/", do not count); at most the first 50. */
enum paper_link_kind {
	PAPER_LINK_ABS, PAPER_LINK_PDF, PAPER_LINK_CODE, PAPER_LINK_PROJECT, PAPER_LINK_HF,
	PAPER_LINK_FOUND,   /* found in the abstract or the comment */
};

struct paper_link {
	enum paper_link_kind kind;
	const char *label;   /* "abstract", "pdf", "code", "project", "hugging face", "link" */
	const char *brief;   /* for narrow columns: "abs", "pdf", "code", "project", "hf", "link" */
	const char *url;     /* cleaned (text_clean TEXT_COLLAPSE), http(s) */
};

/* The links of p in that order; *n (when n is non-NULL) gets their number. An array ended by an
 * entry whose url is NULL, never NULL, in one allocation: free() it (labels are static). */
struct paper_link *paper_links(const struct paper *p, size_t *n);

#endif
