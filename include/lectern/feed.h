/* feed — parsers for the formats lectern reads. They turn bytes into `struct paper`s and know
 * nothing about HTTP or SQLite. XML is parsed with libxml2's streaming xmlReader, matching
 * elements by namespace URI (never by prefix or order); JSON with json-c.
 *
 * Papers are delivered one at a time through a callback so memory stays bounded for large
 * feeds. The paper is borrowed: valid only during the call (copy what you keep). Text fields are
 * already cleaned (text_clean), titles whitespace-collapsed, TeX accents in author names decoded;
 * LaTeX in titles/abstracts is kept as sent. */
#ifndef LECTERN_FEED_H
#define LECTERN_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lectern/paper.h"
#include "lectern/util.h"

enum feed_format {
	FEED_AUTO = 0,       /* sniff: JSON array -> HF; <feed> Atom (arXiv API if it has opensearch
	                      * or arxiv elements); <rss>/<rdf:RDF> RSS; HTML -> error */
	FEED_ARXIV_API,      /* export.arxiv.org/api/query Atom (both serializations) */
	FEED_RSS,            /* RSS 2.0 / 1.0 (rss.arxiv.org and any other RSS feed) */
	FEED_ATOM,           /* any Atom feed (rss.arxiv.org/atom and others) */
	FEED_HF_DAILY,       /* huggingface.co/api/daily_papers (and /api/papers/search) JSON array */
	FEED_OAI_PMH,        /* an OAI-PMH ListRecords page (arXivRaw, arXiv or oai_dc records):
	                      * only when asked for, never sniffed */
};

/* Facts about the document as a whole. feed_parse() initialises *info (release it with
 * feed_info_clear) and fills each fact as soon as its element has been read, so a callback that
 * can reach the same struct (through its ctx) sees them early: arXiv RSS states the channel
 * pubDate before its items, so `day` is already set when the first paper arrives. */
struct feed_info {
	enum feed_format format;    /* what was actually parsed */
	long total_results;         /* opensearch:totalResults, -1 when absent */
	long start_index;           /* opensearch:startIndex, -1 when absent */
	long items_per_page;        /* opensearch:itemsPerPage, -1 when absent */
	long n_items;               /* papers delivered */
	char *title;                /* feed/channel title (malloc'd, may be NULL) */
	char *day;                  /* listing day "YYYY-MM-DD" when the feed states one (RSS
	                             * channel pubDate / dc:date taken in its own time zone, i.e.
	                             * the announce day; HF: the hf_day of the first item), else NULL */
	/* OAI-PMH only (FEED_OAI_PMH); NULL / -1 / "" otherwise. */
	char *oai_token;            /* the resumptionToken to ask for next, verbatim; NULL when the
	                             * list is complete (an empty <resumptionToken/> or none) */
	long oai_cursor;            /* the token's cursor and completeListSize, -1 when absent */
	long oai_list_size;
	char *oai_datestamp;        /* the latest header datestamp of the page ("YYYY-MM-DD") */
	long oai_deleted;           /* records whose header says status="deleted" */
	char oai_error[32];         /* the OAI error code of an <error> answer, "" none */
};
void feed_info_clear(struct feed_info *fi);

/* OAI-PMH: a record whose header says status="deleted" is delivered as a paper with only `id`
 * and `withdrawn` set. An OAI `noRecordsMatch` error is a success with no papers (oai_error
 * says so); any other OAI error is -1 with LERR_PARSE, e->msg "OAI-PMH error CODE: text" and
 * oai_error set. */

/* Return non-zero to stop parsing (feed_parse then returns -1 with LERR_NONE... see below). */
typedef int (*feed_paper_cb)(void *ctx, const struct paper *p);

/* Parses buf[0..len), the document fetched from url (NULL when unknown): relative links in it
 * resolve against its xml:base, else url. Returns 0 on success (an empty feed is a success with n_items == 0).
 * Returns -1 with *e set on failure: LERR_PARSE for malformed XML/JSON, a truncated body, HTML
 * where a feed was expected, an arXiv API error feed (the entry titled "Error": e->msg carries
 * its message), or an arXiv RSS "Feed error for query" channel; e->code is the 1-based line
 * number where known. When cb stops the parse, returns -1 with e->kind == LERR_NONE.
 * Papers delivered before a failure were delivered: callers that need all-or-nothing wrap the
 * parse in a transaction (the fetch thread does). */
int feed_parse(enum feed_format fmt, const char *buf, size_t len, const char *url,
               feed_paper_cb cb, void *ctx, struct feed_info *info, struct lerr *e);

/* ---- arXiv's metadata snapshot ------------------------------------------------------------------
 * The bulk file arXiv publishes (on Kaggle: arxiv-metadata-oai-snapshot.json), one JSON object a
 * line: id, submitter, authors, title, comments, journal-ref, doi, report-no, categories,
 * license, abstract, versions [{version, created}], update_date, authors_parsed [[last, first,
 * suffix, affiliation...]]. The reader (`lectern import`) reads lines; these map one object. */
struct json_object;
/* Whether o is a snapshot record: an object with "id" and "authors_parsed", or "versions" and
 * "update_date" (lectern's own JSON Lines have neither). */
bool feed_snapshot_is(const struct json_object *o);
/* Fills *p (initialised here; caller clears) from one record: title and abstract unwrapped
 * (paragraphs kept) and cleaned, names from authors_parsed ("First Last Suffix", TeX accents
 * decoded, elements after the third as the affiliation; the authors string split when it is
 * missing), version and updated from the highest version, published from v1, categories
 * (primary first), DOI, journal ref, comments; source kind arXiv. submitter, report-no and
 * license have no field. Returns 0, or -1 with LERR_PARSE when o is no snapshot record or its
 * id is no arXiv id. */
int feed_snapshot_paper(const struct json_object *o, struct paper *p, struct lerr *e);

#endif
