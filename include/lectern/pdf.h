/* pdf — where a paper's PDF lives on disk: the directory (`set pdf-dir`), its file name, and
 * whether it is there.
 *
 * A file is named "<key> <title>.pdf": the key is the arXiv id with its version ("2501.01234v2";
 * "hep-th_9901001v1", the '/' of old ids replaced; no "vN" when the version is unknown), or for a
 * paper without an arXiv id 16 hex digits of a hash (FNV-1a) of its id, which is its DOI or its
 * URL. '/' and control characters become '_'; the name is at most PDF_NAME_MAX bytes, cut on a
 * character boundary. A download in progress is "<name>.part".
 *
 * The key alone identifies the paper, so a title that changes later does not hide the file:
 * pdf_index lists the keys of a directory once and again only when the directory changes (one
 * stat per check), which is what the list's "PDF on disk" mark asks for every row it draws. */
#ifndef LECTERN_PDF_H
#define LECTERN_PDF_H

#include <stdbool.h>
#include <stddef.h>

#include "lectern/config.h"

enum { PDF_NAME_MAX = 200 };

/* The PDF directory: `set pdf-dir` (a leading "~/" is the home directory), else
 * $XDG_DATA_HOME/lectern/pdf. Caller frees; NULL when neither is set nor HOME/XDG_DATA_HOME
 * gives a place (pdf_find and pdf_index_refresh take NULL as "no PDFs"). */
char *pdf_dir(const struct config *cfg);

/* The key of a paper (out: at least 80 bytes). */
void pdf_key(const char *id, int version, char *out, size_t n);

/* The file name (not the path) for a paper. Caller frees. */
char *pdf_file_name(const char *id, int version, const char *title);

/* The path of a file in dir whose key is `key` (any title), NULL when there is none. Reads the
 * directory. Caller frees. */
char *pdf_find(const char *dir, const char *key);

/* The keys of the PDFs in a directory, kept up to date cheaply. */
struct pdf_index {
	char *dir;
	char **keys;            /* sorted */
	size_t n;
	long long mtime_ns;     /* of dir when read, -1 not read */
};
/* Re-reads dir when it changed since the last call (or is another directory). */
void pdf_index_refresh(struct pdf_index *x, const char *dir);
bool pdf_index_has(const struct pdf_index *x, const char *key);
void pdf_index_free(struct pdf_index *x);

#endif
