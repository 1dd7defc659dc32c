/* export — writers for the formats `lectern export` produces (BibTeX, JSON Lines, CSV, Markdown)
 * and the JSON mapping of a paper shared by `list --format json`, `show --format json`, export and
 * import (one implementation, so what export writes import reads back without loss).
 *
 * Writers stream: one paper at a time, nothing kept but the BibTeX key table. They write to a
 * FILE* the caller owns; write errors are left in ferror() for the caller to check. */
#ifndef LECTERN_EXPORT_H
#define LECTERN_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <json-c/json.h>

#include "lectern/paper.h"
#include "lectern/util.h"

enum export_format { EXPORT_BIBTEX, EXPORT_JSON, EXPORT_CSV, EXPORT_MARKDOWN, EXPORT_ATOM };

/* "bibtex" (or "bib"), "json" (or "jsonl"), "csv", "markdown" (or "md"), "atom". Returns 0 or
 * -1. */
int export_parse_format(const char *s, enum export_format *out);

/* ---- JSON ------------------------------------------------------------------------------------
 * The object has every field of struct paper: id, version, title,
 * abstract, authors (array of names), authors_detail ([{name, affiliation}]), published
 * ("YYYY-MM-DD"), published_time and updated (RFC 3339 "YYYY-MM-DDTHH:MM:SSZ"), primary_category,
 * categories (array), comment, journal_ref, doi, links {abs, pdf, code, project, hf} (only those
 * known), upvotes, num_comments, github_stars, organization, submitter, ai_summary, ai_keywords
 * (array), hf_day, thumbnail, favourite, fav_time (RFC 3339 or null), read, note, tags (array),
 * listings ([{source, day}]). Unknown values are null. Returns a new reference (json_object_put). */
struct json_object *export_paper_json(const struct paper *p);

/* The inverse, for import: fills *p (paper_init'ed first; the caller clears it) from an object
 * written by export_paper_json (or by hand: every key but "id" is optional, null means unknown).
 * The id may be given with a version or as an arXiv URL; it is normalised. Returns 0, or -1 with
 * e (LERR_PARSE) saying which key is missing or has the wrong type. */
int export_paper_from_json(struct json_object *o, struct paper *p, struct lerr *e);

/* Writes p as one line of JSON Lines ("{...}\n"). */
void export_json_line(FILE *f, const struct paper *p);

/* ---- BibTeX ----------------------------------------------------------------------------------
 * Keys are "<lastname><year><firstword>" (first author's family name, year of first version, first
 * significant word of the title), ASCII-folded and lower-case, e.g. "vaswani2017attention".
 * Papers of one export that would share a key get the suffixes a, b, c... in order of
 * (publication time, id), so the keys do not depend on the order of the export (they do depend
 * on which papers it holds). To do that the key table sees every paper (export_keys_add) before
 * any entry is written; it holds about 100 bytes per paper. */
struct export_keys;
struct export_keys *export_keys_new(void);
void export_keys_free(struct export_keys **k);         /* NULL-safe; sets *k = NULL */
/* Records p's id and base key. Adding the same id twice has no effect. */
void export_keys_add(struct export_keys *k, const struct paper *p);
/* Assigns the final keys; call once after the last add. */
void export_keys_finish(struct export_keys *k);
/* The key of p: the assigned one, or (for a paper never added) a fresh unique one. Borrowed:
 * valid until export_keys_free. */
const char *export_keys_get(struct export_keys *k, const struct paper *p);

/* The base key (caller frees), e.g. for tests. */
char *export_bibtex_base_key(const struct paper *p);
/* Writes one "@misc{key, ...}" entry followed by a blank line. */
void export_bibtex_entry(FILE *f, const struct paper *p, const char *key);
/* TeX-escapes text for a BibTeX field (caller frees). The result always has balanced braces.
 * EXPORT_TEX_LATEX keeps LaTeX as written ($math$, \(..\), control words like \emph, accents,
 * balanced {groups}) and escapes only the rest; without it every special character is escaped
 * (& % $ # _ { } ~ ^ \). EXPORT_TEX_PROTECT also wraps words with a capital after their first
 * letter ("BERT", "ImageNet", "3D") in braces so bibliography styles keep their case.
 * Non-ASCII text is kept as UTF-8. */
enum { EXPORT_TEX_LATEX = 1 << 0, EXPORT_TEX_PROTECT = 1 << 1 };
char *export_tex_escape(const char *s, int flags);

/* ---- CSV (RFC 4180) ---------------------------------------------------------------------------- */
void export_csv_header(FILE *f);
void export_csv_row(FILE *f, const struct paper *p);
/* Writes s as one CSV field (quoted when it holds a comma, quote, CR or LF). NULL is empty. */
void export_csv_field(FILE *f, const char *s);

/* ---- Markdown ---------------------------------------------------------------------------------- */
/* n is the 1-based position in the list. */
void export_markdown_item(FILE *f, const struct paper *p, long n);

/* ---- a writer for any format ------------------------------------------------------------------ */
struct export_writer {
	enum export_format fmt;
	FILE *f;
	struct export_keys *keys;   /* BibTeX only; borrowed, may be NULL (keys made on the fly) */
	long n;                     /* papers written so far */
	/* A ranked list (recommend, similar): set before each export_paper; JSON gains "score",
	 * "why" (array) and "close_to", Atom a "Why:" line in each entry's content. */
	bool ranked;
	double score;
	const char *why;            /* "; "-separated reasons (rank.h), borrowed */
	const char *close;          /* the nearest favourite's title, NULL none */
	const char *title;          /* Atom: the feed's title (NULL "lectern") */
};
/* Atom (RFC 4287): export_begin writes the feed's head, export_paper an entry (id the abs URL,
 * title, authors, categories, published/updated, the abstract as summary), export_end closes
 * it. Text is XML-escaped; characters XML cannot hold are left out. */
void export_begin(struct export_writer *w);             /* CSV header */
void export_paper(struct export_writer *w, const struct paper *p);
void export_end(struct export_writer *w);

#endif
