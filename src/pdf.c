/* pdf — PDF directory, file names and the index of what is on disk (see pdf.h). */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lectern/paper.h"
#include "lectern/pdf.h"

char *pdf_dir(const struct config *cfg)
{
	const char *d = cfg->pdf_dir;
	if (d && d[0] == '~' && d[1] == '/' && getenv("HOME"))
		return xasprintf("%s/%s", getenv("HOME"), d + 2);
	if (d && *d)
		return xstrdup(d);
	char *data = util_data_dir();
	if (!data)
		return NULL;
	char *r = xasprintf("%s/pdf", data);
	free(data);
	return r;
}

void pdf_key(const char *id, int version, char *out, size_t n)
{
	char aid[64];
	int v = 0;
	/* an arXiv id as such, never its URL form: the key must not hold a '/' or ':' of a URL */
	if (id && strncmp(id, "url:", 4) && strncmp(id, "doi:", 4) &&
	    paper_parse_arxiv_id(id, aid, sizeof aid, &v) == 0) {
		for (char *c = aid; *c; c++)
			if (*c == '/')
				*c = '_';
		if (version > 0)
			snprintf(out, n, "%sv%d", aid, version);
		else
			snprintf(out, n, "%s", aid);
		return;
	}
	uint64_t h = 14695981039346656037ull;   /* FNV-1a 64 */
	for (const unsigned char *c = (const unsigned char *)(id ? id : ""); *c; c++)
		h = (h ^ *c) * 1099511628211ull;
	snprintf(out, n, "%016llx", (unsigned long long)h);
}

char *pdf_file_name(const char *id, int version, const char *title)
{
	char key[80];
	pdf_key(id, version, key, sizeof key);
	struct sbuf b = {0};
	sbuf_adds(&b, key);
	if (title && *title) {
		sbuf_addc(&b, ' ');
		for (const unsigned char *c = (const unsigned char *)title; *c; c++)
			sbuf_addc(&b, *c < 0x20 || *c == 0x7f || *c == '/' ? '_' : (char)*c);
	}
	/* cut to the limit with room for ".pdf", never inside a UTF-8 sequence */
	size_t max = PDF_NAME_MAX - 4;
	if (b.len > max) {
		size_t l = max;
		while (l > 0 && ((unsigned char)b.s[l] & 0xC0) == 0x80)
			l--;
		b.len = l;
		b.s[l] = '\0';
	}
	while (b.len && b.s[b.len - 1] == ' ')
		b.s[--b.len] = '\0';
	sbuf_adds(&b, ".pdf");
	return sbuf_steal(&b);
}

/* The key of a file name: what comes before the first space (or ".pdf"); NULL when it is no
 * finished PDF of ours. */
static char *key_of(const char *name)
{
	size_t l = strlen(name);
	if (l < 5 || strcmp(name + l - 4, ".pdf") || name[0] == '.')
		return NULL;
	size_t k = strcspn(name, " ");
	if (k == l)
		k = l - 4;
	return k ? xstrndup(name, k) : NULL;
}

char *pdf_find(const char *dir, const char *key)
{
	DIR *d = dir ? opendir(dir) : NULL;
	if (!d)
		return NULL;
	char *found = NULL;
	struct dirent *de;
	while (!found && (de = readdir(d))) {
		char *k = key_of(de->d_name);
		if (k && !strcmp(k, key))
			found = xasprintf("%s/%s", dir, de->d_name);
		free(k);
	}
	closedir(d);
	return found;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void index_clear(struct pdf_index *x)
{
	for (size_t i = 0; i < x->n; i++)
		free(x->keys[i]);
	free(x->keys);
	x->keys = NULL;
	x->n = 0;
}

void pdf_index_refresh(struct pdf_index *x, const char *dir)
{
	struct stat st;
	if (!dir) {
		index_clear(x);
		free(x->dir);
		x->dir = NULL;
		return;
	}
	long long m = stat(dir, &st) == 0 ? (long long)st.st_mtim.tv_sec * 1000000000LL +
	                                    st.st_mtim.tv_nsec : -1;
	if (x->dir && !strcmp(x->dir, dir) && m == x->mtime_ns)
		return;
	index_clear(x);
	free(x->dir);
	x->dir = xstrdup(dir);
	x->mtime_ns = m;
	DIR *d = m >= 0 ? opendir(dir) : NULL;
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		char *k = key_of(de->d_name);
		if (!k)
			continue;
		x->keys = xreallocarray(x->keys, x->n + 1, sizeof *x->keys);
		x->keys[x->n++] = k;
	}
	closedir(d);
	if (x->n > 1)
		qsort(x->keys, x->n, sizeof *x->keys, cmp_str);
}

bool pdf_index_has(const struct pdf_index *x, const char *key)
{
	return x->n && bsearch(&key, x->keys, x->n, sizeof *x->keys, cmp_str) != NULL;
}

void pdf_index_free(struct pdf_index *x)
{
	index_clear(x);
	free(x->dir);
	memset(x, 0, sizeof *x);
	x->mtime_ns = -1;
}
