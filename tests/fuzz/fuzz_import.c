/* libFuzzer target: one line of `lectern import` (JSON Lines as `list --format json` writes them)
 * through what import does with it: JSON to a paper (export_paper_from_json), then into a cache
 * (store_import), where the field limits apply. Invariants: a line is a paper or a parse error;
 * a stored paper reads back within the limits (title 2 KB, texts 64 KB, 10,000 authors, counts
 * 10^12) and as valid UTF-8 where the input was; nothing crashes whatever the numbers. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "lectern/export.h"
#include "lectern/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct store *cache(void)
{
	static struct store *s;
	static unsigned uses;
	struct lerr e = {0};
	if (s && ++uses % 4096 == 0)   /* a fresh cache now and then: memory stays flat */
		store_close(&s);
	if (!s && !(s = store_open(":memory:", 0, &e)))
		abort();
	return s;
}

static void within(const char *s, size_t max)
{
	if (s && strlen(s) > max)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > (1 << 20))
		return 0;
	struct json_tokener *tok = json_tokener_new();
	struct json_object *o = json_tokener_parse_ex(tok, (const char *)data, (int)size);
	json_tokener_free(tok);
	if (!o)
		return 0;
	struct paper p;
	struct lerr e = {0};
	paper_init(&p);
	if (json_object_is_type(o, json_type_object) && export_paper_from_json(o, &p, &e) == 0 &&
	    p.id) {
		struct store *s = cache();
		enum store_upsert_result r;
		p.source_kind = PAPER_SRC_IMPORT;
		if (store_import(s, &p, &r, &e) == 0) {
			struct paper q;
			paper_init(&q);
			if (store_get(s, p.id, &q, &e) == 0) {
				within(q.title, PAPER_TITLE_MAX);
				within(q.abstract, PAPER_TEXT_MAX);
				within(q.comment, PAPER_TEXT_MAX);
				if (q.n_authors > PAPER_AUTHORS_MAX || q.upvotes > PAPER_COUNT_MAX ||
				    q.num_comments > PAPER_COUNT_MAX || q.github_stars > PAPER_COUNT_MAX)
					abort();
				if (paper_over_limits(&q))
					abort();
			}
			paper_clear(&q);
		} else if (e.kind == LERR_NONE) {
			abort();   /* a failure always says why */
		}
	}
	paper_clear(&p);
	json_object_put(o);
	return 0;
}
