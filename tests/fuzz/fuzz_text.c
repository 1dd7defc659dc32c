/* libFuzzer target: text cleaning, entities, HTML stripping, TeX accents and the LaTeX renderer. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fuzz_check.h"
#include "lectern/latex.h"
#include "lectern/paper_fields.h"
#include "lectern/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Rendered LaTeX is valid UTF-8 with no control characters but newlines and, when styled, the
 * style markers; nothing text_clean removes (hidden code points) comes back. */
static void check_rendered(const char *s, bool markers)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		unsigned cp;
		size_t len = text_utf8_decode(s + i, n - i, &cp);
		if (cp == 0xFFFD && len == 1 && (unsigned char)s[i] != 0xEF)
			abort();
		bool marker = cp == (unsigned char)LATEX_BOLD_ON || cp == (unsigned char)LATEX_BOLD_OFF ||
		              cp == (unsigned char)LATEX_ITALIC_ON || cp == (unsigned char)LATEX_ITALIC_OFF;
		if ((cp < 0x20 && cp != '\n' && !(markers && marker)) || (cp >= 0x7F && cp <= 0x9F) ||
		    text_cp_hidden(cp))
			abort();
		i += len;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0 || size > (1 << 16))
		return 0;
	int flags = data[0] % 4;
	const char *s = (const char *)data + 1;
	size_t n = size - 1;

	char *c = text_clean(s, n, flags);
	fuzz_check_str(c, !(flags & TEXT_COLLAPSE) || (flags & TEXT_KEEP_PARAS));
	/* Without paragraph marking, cleaning is idempotent. */
	if (!(flags & TEXT_KEEP_PARAS)) {
		char *again = text_clean(c, strlen(c), flags);
		if (strcmp(again, c) != 0)
			abort();
		free(again);
	}
	/* The renderer reads cleaned text: it stays in bounds, and styling never changes the text. */
	char *plain = latex_render(c, LATEX_PLAIN), *styled = latex_render(c, 0);
	check_rendered(plain, false);
	check_rendered(styled, true);
	if (strcmp(latex_strip_markers(styled), plain) != 0)
		abort();
	free(plain);
	free(styled);
	char **urls = latex_urls(c);
	for (char **u = urls; *u; u++)
		if (!**u)
			abort();
	free(urls);
	/* The links found in an abstract and a comment are http(s), each once. */
	struct paper p;
	paper_init(&p);
	p.abstract = c;
	p.comment = c + strlen(c) / 2;
	struct paper_link *links = paper_links(&p, NULL);
	for (struct paper_link *l = links; l->url; l++) {
		if (strncasecmp(l->url, "http", 4) != 0 || !strstr(l->url, "://") || l->kind != PAPER_LINK_FOUND)
			abort();
		for (struct paper_link *k = links; k < l; k++)
			if (strcmp(k->url, l->url) == 0)
				abort();
	}
	free(links);
	free(c);

	char *z = malloc(n + 1);
	memcpy(z, s, n);
	z[n] = '\0';
	char *fns[3] = {text_html_unescape(z), text_strip_html(z), text_tex_accents(z)};
	for (int i = 0; i < 3; i++) {
		char *cl = text_clean(fns[i], strlen(fns[i]), TEXT_COLLAPSE);
		fuzz_check_str(cl, false);
		free(cl);
		free(fns[i]);
	}
	free(z);
	return 0;
}
