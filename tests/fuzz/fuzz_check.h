/* Shared invariants for the feed fuzzers: every string a parser delivers is valid UTF-8 without
 * control characters or escape sequences (newlines only where paragraphs are allowed). */
#ifndef FUZZ_CHECK_H
#define FUZZ_CHECK_H

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lectern/paper.h"
#include "lectern/text.h"

static void fuzz_check_str(const char *s, bool newlines)
{
	if (!s)
		return;
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		unsigned cp;
		size_t len = text_utf8_decode(s + i, n - i, &cp);
		if (cp == 0xFFFD && len == 1 && (unsigned char)s[i] != 0xEF)
			abort();   /* invalid UTF-8 got through */
		if ((cp < 0x20 && !(newlines && cp == '\n')) || (cp >= 0x7F && cp <= 0x9F))
			abort();   /* a control character or an escape sequence got through */
		i += len;
	}
	if (n && (s[0] == ' ' || s[n - 1] == ' ' || s[n - 1] == '\n'))
		abort();       /* not trimmed */
}

static inline int fuzz_check_paper(void *ctx, const struct paper *p)
{
	(void)ctx;
	if (!p->id || !*p->id)
		abort();
	fuzz_check_str(p->id, false);
	fuzz_check_str(p->title, false);
	fuzz_check_str(p->abstract, true);
	fuzz_check_str(p->ai_summary, true);
	const char *single[] = {
		p->primary_category, p->categories, p->comment, p->journal_ref, p->doi, p->url_abs,
		p->url_pdf, p->url_code, p->url_project, p->url_hf, p->organization, p->submitter,
		p->ai_keywords, p->hf_day, p->thumbnail,
	};
	for (size_t i = 0; i < sizeof(single) / sizeof(single[0]); i++)
		fuzz_check_str(single[i], false);
	for (size_t i = 0; i < p->n_authors; i++) {
		if (!p->authors[i].name || !*p->authors[i].name)
			abort();
		fuzz_check_str(p->authors[i].name, false);
		fuzz_check_str(p->authors[i].affiliation, false);
	}
	return 0;
}

#endif
