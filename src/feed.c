/* feed — the entry point of the parsers: format sniffing, then the parser for the format
 * (feed_xml.c, feed_hf.c). The helpers the parsers share live below them, in feed_util.c. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "feed_priv.h"
#include "feed_util.h"
#include "lectern/feed.h"
#include "lectern/util.h"

void feed_info_clear(struct feed_info *fi)
{
	if (!fi)
		return;
	free(fi->title);
	free(fi->day);
	free(fi->oai_token);
	free(fi->oai_datestamp);
	fi->title = fi->day = fi->oai_token = fi->oai_datestamp = NULL;
	fi->oai_cursor = fi->oai_list_size = -1;
	fi->oai_deleted = 0;
	fi->oai_error[0] = '\0';
	fi->format = FEED_AUTO;
	fi->total_results = fi->start_index = fi->items_per_page = -1;
	fi->n_items = 0;
}

/* ---- dispatch ------------------------------------------------------------------------------- */

/* Skips a UTF-8 BOM and whitespace. */
static size_t skip_lead(const char *buf, size_t len)
{
	size_t i = 0;

	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < len && isspace((unsigned char)buf[i]))
		i++;
	return i;
}

/* True when the document starts like HTML (a doctype or an <html> element before any other). */
static bool looks_like_html(const char *buf, size_t len, size_t *at)
{
	size_t i = skip_lead(buf, len);

	/* Skip an XML declaration and comments: HTML error pages rarely have them, but be safe. */
	while (i + 4 < len && buf[i] == '<' && (buf[i + 1] == '?' || buf[i + 1] == '!')) {
		if (len - i >= 9 && strncasecmp(buf + i, "<!doctype", 9) == 0) {
			size_t j = i + 9;
			while (j < len && isspace((unsigned char)buf[j]))
				j++;
			*at = i;
			return len - j >= 4 && strncasecmp(buf + j, "html", 4) == 0;
		}
		const char *end = memchr(buf + i, '>', len - i);
		if (!end)
			return false;
		i = (size_t)(end - buf) + 1;
		while (i < len && isspace((unsigned char)buf[i]))
			i++;
	}
	*at = i;
	return len - i >= 5 && strncasecmp(buf + i, "<html", 5) == 0 &&
	       (len - i == 5 || !isalnum((unsigned char)buf[i + 5]));
}

int feed_parse(enum feed_format fmt, const char *buf, size_t len, const char *url,
               feed_paper_cb cb, void *ctx, struct feed_info *info, struct lerr *e)
{
	struct feed_info local;
	struct lerr elocal;
	size_t at = 0;

	if (!info)
		info = &local;
	if (!e)
		e = &elocal;
	memset(info, 0, sizeof(*info));
	feed_info_clear(info);
	lerr_clear(e);
	if (!buf)
		len = 0;

	size_t i = skip_lead(buf ? buf : "", len);
	if (i == len) {
		lerr_set(e, LERR_PARSE, 1, "parse error at line %d: empty document",
		         feed_line_at(buf ? buf : "", len, len));
		return -1;
	}
	if (looks_like_html(buf, len, &at)) {
		int line = feed_line_at(buf, len, at);
		lerr_set(e, LERR_PARSE, line,
		         "parse error at line %d: got an HTML page where a feed was expected", line);
		return -1;
	}
	bool json = buf[i] == '[' || buf[i] == '{';
	int rc;
	if (fmt == FEED_HF_DAILY || (fmt == FEED_AUTO && json)) {
		rc = feed_parse_hf(buf, len, cb, ctx, info, e);
	} else if (fmt == FEED_OAI_PMH && !json) {
		rc = feed_parse_oai(buf, len, url, cb, ctx, info, e);
	} else if (json) {
		int line = feed_line_at(buf, len, i);
		lerr_set(e, LERR_PARSE, line,
		         "parse error at line %d: got JSON where an XML feed was expected", line);
		rc = -1;
	} else {
		rc = feed_parse_xml(fmt, buf, len, url, cb, ctx, info, e);
	}
	if (info == &local)
		feed_info_clear(&local);
	return rc;
}
