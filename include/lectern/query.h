/* query — the search language, parsed once into a small tree.
 *
 * One parser serves every consumer: the store compiles the tree to SQL and FTS5 (store_query.c),
 * fetch compiles it to arXiv's search_query (fetch.c), the reader marks the word being typed as
 * a prefix (query_typing), and `lectern list --help`, the man page and completions list the
 * fields and flags from query_fields[] and query_flags[].
 *
 * Syntax: terms separated by spaces all must match (implicit AND; `AND` may be written);
 * `OR` between terms matches either; `NOT term` or `-term` excludes; parentheses group.
 * Precedence: NOT binds tighter than AND, AND tighter than OR (`a b OR c` is `(a b) OR c`).
 * Only upper-case AND, OR, NOT (and arXiv's ANDNOT, = AND NOT) are operators; `or` is a word.
 * A term is a word, a "phrase", a prefix `word*` (two letters at least), `field:value`, or an
 * arXiv id / abs URL. A `name:` that is no field (`C++:`, `note:`) is plain text.
 *
 * Errors are LERR_USAGE with a message starting "search: " (a structural one ends with the
 * byte position, counted from 1: "search: unbalanced '(' at 12"). */
#ifndef LECTERN_QUERY_H
#define LECTERN_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lectern/util.h"

enum query_field {
	QF_TEXT = 0,   /* no field (or all:): title, abstract, authors, organisation, AI summary */
	QF_TI, QF_ABS, QF_AU, QF_ORG,   /* one text column (abs: also the AI summary) */
	QF_CAT,        /* an arXiv category or archive (text: "cs.LG", "hep-th") */
	QF_IS,         /* a flag of user state (flag) */
	QF_HAS,        /* has:note / has:tags (flag) */
	QF_TAG,        /* one user tag (text: lower case, no leading '#') */
	QF_AFTER, QF_BEFORE, QF_SINCE, QF_UNTIL, QF_DATE,   /* dates (lo, hi: the period named) */
	QF_ID,         /* an arXiv id (text: without version) */
};

enum query_flag {
	QFLAG_NONE = 0, QFLAG_FAV, QFLAG_READ, QFLAG_UNREAD, QFLAG_NOTE, QFLAG_TAGS,
	/* arXiv's announce type of a listing (store.h says which listing) */
	QFLAG_NEW, QFLAG_CROSS, QFLAG_REPLACED,
	QFLAG_HIDDEN,    /* hidden with x: the only flag that brings hidden papers back */
	QFLAG_WATCHED,   /* a watch (author, word, category) marks it */
};

/* The one table of fields: the parser reads it, and so do the help texts. */
struct query_field_info {
	const char *name;       /* as written before ':' */
	const char *aliases;    /* other spellings, space-separated ("" none) */
	enum query_field field;
	const char *value;      /* the value's placeholder in help ("name", "date") */
	const char *help;       /* one line */
};
extern const struct query_field_info query_fields[];
extern const size_t query_n_fields;

/* The values of is: and has:. */
struct query_flag_info {
	enum query_field field;   /* QF_IS or QF_HAS */
	const char *name;
	const char *aliases;
	enum query_flag flag;
	const char *help;
};
extern const struct query_flag_info query_flags[];
extern const size_t query_n_flags;

enum query_op { QOP_LEAF, QOP_AND, QOP_OR, QOP_NOT };

struct query_node {
	enum query_op op;
	size_t pos, len;               /* the bytes of the query this node was written as */
	struct query_node **kid;       /* AND, OR: two or more; NOT: one */
	size_t n_kid;
	/* leaves */
	enum query_field field;
	char *text;                    /* see enum query_field; for QF_TEXT..QF_ORG the words as
	                                * written (an unknown field kept as "name:value") */
	bool quoted, prefix;           /* "a phrase"; a prefix (the '*' is not in text) */
	enum query_flag flag;          /* QF_IS, QF_HAS */
	int64_t lo, hi;                /* dates: the period named by the value, [lo, hi) */
};

/* Parses s (NULL or blank: *out = NULL, which matches everything). Returns 0 with *out owned by
 * the caller (query_free), or -1 with e set. Words without anything to search (punctuation
 * only) leave no node. Nested ANDs and ORs are flattened. */
int query_parse(const char *s, struct query_node **out, struct lerr *e);
void query_free(struct query_node *n);   /* NULL-safe; frees the subtree */

/* True for the text fields whose leaves are searched as FTS5 phrases (QF_TEXT..QF_CAT). */
bool query_is_text(enum query_field f);

/* The query to run while the user is still typing `text`: a trailing operator waits for its
 * right-hand side ("neural OR" -> "neural "), the last word becomes a prefix when it is a plain
 * word of two or more letters or digits and the text has no quote ("neural net" -> "neural
 * net*"), and open groups are closed ("(a OR gen" -> "(a OR gen*)"). Returns a malloc'd
 * string. */
char *query_typing(const char *text);

/* The search syntax as plain text for --help (indent: leading spaces), and as an mdoc list for
 * the man page's SEARCH SYNTAX (between its FIELDS-BEGIN/END marks). Appended to b. */
void query_help_text(struct sbuf *b, int indent);
void query_help_mdoc(struct sbuf *b);
/* The same table as one line for the reader's search prompt: operators, then every field
 * ("au:") and flag ("is:fav"): the text fields, the flags, then the others. */
void query_help_line(struct sbuf *b);

#endif
