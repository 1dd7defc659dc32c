/* test_net_fetch — the fetch worker thread and the synchronous fetch against tests/server.py:
 * events through the wake-up pipe, the database written through the worker's own connection,
 * on-demand Daily Papers days, a prompt stop while a transfer hangs, and query translation. */
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "test_server.h"

#include "lectern/config.h"
#include "lectern/fetch.h"
#include "lectern/store.h"
#include "../src/fetch_int.h"

static pid_t server_pid;
static int server_port;
static char dir[256];
static char log_path[300];   /* the server's request log (one JSON line per request) */

static int start_server(void **state)
{
	(void)state;
	const char *tmp = getenv("TMPDIR_TEST");
	snprintf(dir, sizeof dir, "%s/net-fetch-%d", tmp ? tmp : "/tmp", (int)getpid());
	if (util_mkdir_p(dir, 0700) < 0)
		return -1;
	snprintf(log_path, sizeof log_path, "%s/server.log", dir);
	server_pid = test_server_start(log_path, &server_port);
	return server_pid < 0 ? -1 : 0;
}

static int stop_server(void **state)
{
	(void)state;
	test_server_stop(server_pid);
	return 0;
}

/* A config pointing every base URL at the server (hf_url may carry a /m/MODE prefix). */
static void make_config(struct config *c, const char *hf_prefix, const char *const *lines,
                        size_t n)
{
	char *path = xasprintf("%s/config-%d", dir, rand());
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "set hf-url http://127.0.0.1:%d%s\n", server_port, hf_prefix);
	fprintf(f, "set arxiv-api-url http://127.0.0.1:%d/api/query\n", server_port);
	fprintf(f, "set arxiv-rss-url http://127.0.0.1:%d/rss\n", server_port);
	fprintf(f, "set arxiv-delay 0\nset host-delay 0\nset timeout 20\nset max-tries 1\nset hf-days 1\n");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s\n", lines[i]);
	fclose(f);
	struct lerr e = {0};
	assert_int_equal(config_load(c, path, &e), 0);
	free(path);
}

/* Waits on the wake-up fd and collects events until IDLE (or a generous timeout). */
static size_t wait_idle(struct fetcher *f, struct fetch_event *evs, size_t cap, double timeout)
{
	size_t n = 0;
	double end = util_monotonic() + timeout;
	for (;;) {
		struct pollfd p = { .fd = fetch_wake_fd(f), .events = POLLIN };
		int left = (int)((end - util_monotonic()) * 1000);
		if (left <= 0)
			fail_msg("no IDLE event within %.0f s", timeout);
		if (poll(&p, 1, left) <= 0)
			continue;
		/* Readable means events are queued: no spurious wake-ups. Draining the queue clears
		 * the fd (else the next poll returns at once and this assertion fails). The worker may
		 * queue more at any moment, so "not readable right after draining" is no invariant. */
		struct fetch_event ev;
		assert_true(fetch_next_event(f, &ev));
		do {
			if (ev.kind == FETCH_EV_IDLE)
				return n;
			if (n < cap)
				evs[n++] = ev;
		} while (fetch_next_event(f, &ev));
	}
}

/* Waits (up to a generous timeout) until the server has logged a request containing s. */
static void wait_request(const char *s, double timeout)
{
	double end = util_monotonic() + timeout;
	for (;;) {
		char *log = util_read_file(log_path, NULL, NULL);
		bool seen = log && strstr(log, s);
		free(log);
		if (seen)
			return;
		if (util_monotonic() > end)
			fail_msg("the server saw no request for %s within %.0f s", s, timeout);
		usleep(20 * 1000);
	}
}

static int64_t count_papers(const char *db_path, const char *day)
{
	struct lerr e = {0};
	struct store *s = store_open(db_path, STORE_READONLY, &e);
	assert_non_null(s);
	struct store_view v = { .filter = day ? STORE_VIEW_HF_DAY : STORE_VIEW_ALL, .day = day };
	int64_t n = store_count(s, &v, INT64_MAX, &e);
	store_close(&s);
	return n;
}

static void test_worker_fetches_and_wakes(void **state)
{
	(void)state;
	const char *lines[] = { "source hf-daily", "source arxiv cs.LG cs.AI cs.CL stat.ML" };
	struct config c;
	make_config(&c, "", lines, 2);
	char *db = xasprintf("%s/worker.db", dir);
	struct lerr e = {0};
	struct fetcher *f = fetch_start(&c, db, true, &e);
	assert_non_null(f);
	struct fetch_event evs[64];
	size_t n = wait_idle(f, evs, 64, 20);
	/* START, PROGRESS, DONE for each source; the RSS listing brought 4 papers */
	int starts = 0, dones = 0;
	long rss_new = -1;
	for (size_t i = 0; i < n; i++) {
		starts += evs[i].kind == FETCH_EV_START;
		if (evs[i].kind == FETCH_EV_DONE) {
			dones++;
			if (!strcmp(evs[i].name, "arxiv"))
				rss_new = evs[i].n_new;
		}
		assert_int_not_equal(evs[i].kind, FETCH_EV_FAILED);
	}
	assert_int_equal(starts, 2);
	assert_int_equal(dones, 2);
	assert_int_equal(rss_new, 4);
	assert_int_equal(count_papers(db, NULL), 4);

	/* A day the user steps to is fetched on demand. */
	fetch_request(f, FETCH_REQ_HF_DAY, "2026-06-12");
	n = wait_idle(f, evs, 64, 20);
	assert_true(n >= 2);
	assert_int_equal(evs[n - 1].kind, FETCH_EV_DONE);
	assert_string_equal(evs[n - 1].name, "hf-daily");
	assert_int_equal(evs[n - 1].n_new, 30);
	assert_int_equal(count_papers(db, "2026-06-12"), 30);
	/* Old data (no submittedOnDailyAt; publishedAt is the UTC day before): the day asked for. */
	fetch_request(f, FETCH_REQ_HF_DAY, "2025-01-27");
	n = wait_idle(f, evs, 64, 20);
	assert_int_equal(evs[n - 1].kind, FETCH_EV_DONE);
	assert_int_equal(evs[n - 1].n_new, 4);
	assert_int_equal(count_papers(db, "2025-01-27"), 4);
	assert_int_equal(count_papers(db, "2025-01-26"), 0);

	/* An unknown source and a bad day are reported, not fatal. */
	fetch_request(f, FETCH_REQ_SOURCE, "nosuch");
	fetch_request(f, FETCH_REQ_HF_DAY, "2026-02-30");
	n = wait_idle(f, evs, 64, 20);
	if (n < 2)   /* the worker may go idle between the two requests */
		n += wait_idle(f, evs + n, 64 - n, 20);
	assert_int_equal(n, 2);
	assert_int_equal(evs[0].kind, FETCH_EV_FAILED);
	assert_int_equal(evs[1].kind, FETCH_EV_FAILED);

	/* Remote search merges into the cache, and says what it found: START carries the query,
	 * DONE the query sent, the results returned (50 asked for), new ones and arXiv's total. */
	fetch_request(f, FETCH_REQ_SEARCH, "testing is:fav");
	n = wait_idle(f, evs, 64, 20);
	assert_int_equal(evs[0].kind, FETCH_EV_START);
	assert_string_equal(evs[0].name, "search");
	assert_string_equal(evs[0].message, "testing is:fav");
	assert_int_equal(evs[n - 1].kind, FETCH_EV_DONE);
	assert_string_equal(evs[n - 1].name, "search");
	assert_string_equal(evs[n - 1].message, "all:testing");
	assert_int_equal(evs[n - 1].n_found, 50);
	assert_int_equal(evs[n - 1].n_new, 50);
	assert_int_equal(evs[n - 1].n_total, 100);   /* the fixture has 100 entries */
	assert_int_equal(count_papers(db, NULL), 38 + 50);
	fetch_request(f, FETCH_REQ_SEARCH, "testing");   /* again: the same 50, none new */
	n = wait_idle(f, evs, 64, 20);
	assert_int_equal(evs[n - 1].kind, FETCH_EV_DONE);
	assert_int_equal(evs[n - 1].n_found, 50);
	assert_int_equal(evs[n - 1].n_new, 0);
	fetch_request(f, FETCH_REQ_SEARCH, "is:fav");   /* nothing arXiv could search for */
	n = wait_idle(f, evs, 64, 20);
	assert_int_equal(evs[n - 1].kind, FETCH_EV_FAILED);
	assert_non_null(strstr(evs[n - 1].message, "nothing to search arXiv for"));

	/* Sources due: all just succeeded, so a DUE request fetches nothing. */
	fetch_request(f, FETCH_REQ_DUE, NULL);
	n = wait_idle(f, evs, 64, 20);
	assert_int_equal(n, 0);

	fetch_stop(&f);
	assert_null(f);
	fetch_stop(&f);   /* NULL-safe */
	free(db);
	config_free(&c);
}

static void test_stop_is_prompt_and_rolls_back(void **state)
{
	(void)state;
	const char *lines[] = { "source hf-daily" };
	struct config c;
	make_config(&c, "/m/hang", lines, 1);   /* the server never answers */
	char *db = xasprintf("%s/stop.db", dir);
	struct lerr e = {0};
	struct fetcher *f = fetch_start(&c, db, false, &e);
	assert_non_null(f);
	fetch_request(f, FETCH_REQ_ALL, NULL);
	wait_request("/m/hang/api/daily_papers", 20);   /* the transfer is in flight (timeout 20 s) */
	double t0 = util_monotonic();
	fetch_stop(&f);
	/* Prompt: well under the 20 s transfer timeout (generous for a loaded machine). */
	assert_true(util_monotonic() - t0 < 10.0);
	assert_int_equal(count_papers(db, NULL), 0);
	/* The interrupted attempt is recorded as failed, not left in progress. */
	struct store *s = store_open(db, STORE_READONLY, &e);
	assert_non_null(s);
	struct store_source_state st = {0};
	assert_int_equal(store_source_get(s, "hf-daily", &st, &e), 0);
	assert_non_null(st.name);
	assert_false(st.in_progress);
	assert_non_null(st.last_error);
	store_source_state_clear(&st);
	store_close(&s);
	free(db);
	config_free(&c);
}

/* Offline (the reader's first run without network): the Daily Papers source fails at once with
 * the reason, its other days skipped; the other source still runs. */
static void test_worker_offline_fails_fast(void **state)
{
	(void)state;
	const char *lines[] = { "set hf-url http://nonexistent.invalid", "set hf-days 7",
	                        "set max-tries 4", "source hf-daily",
	                        "source arxiv cs.LG cs.AI cs.CL stat.ML" };
	struct config c;
	make_config(&c, "", lines, ARRAY_LEN(lines));
	char *db = xasprintf("%s/offline.db", dir);
	struct lerr e = {0};
	struct fetcher *f = fetch_start(&c, db, true, &e);
	assert_non_null(f);
	struct fetch_event evs[64];
	size_t n = wait_idle(f, evs, 64, 20);
	const struct fetch_event *hf = NULL, *rss = NULL;
	long hf_requests = 0;
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(evs[i].name, "hf-daily") && evs[i].kind == FETCH_EV_PROGRESS)
			hf_requests++;
		if (evs[i].kind == FETCH_EV_FAILED || evs[i].kind == FETCH_EV_DONE)
			*(strcmp(evs[i].name, "hf-daily") ? &rss : &hf) = &evs[i];
	}
	assert_non_null(hf);
	assert_int_equal(hf->kind, FETCH_EV_FAILED);
	assert_non_null(strstr(hf->message, "cannot resolve nonexistent.invalid: are you offline?"));
	assert_non_null(strstr(hf->message, "6 more requests to nonexistent.invalid skipped"));
	assert_int_equal(hf_requests, 1);   /* one request tried, six skipped */
	assert_non_null(rss);
	assert_int_equal(rss->kind, FETCH_EV_DONE);
	assert_int_equal(rss->n_new, 4);
	fetch_stop(&f);
	free(db);
	config_free(&c);
}

static void test_fetch_run_reports_failures(void **state)
{
	(void)state;
	const char *lines[] = { "source arxiv nosuch.cat name bad", "source arxiv test name empty" };
	struct config c;
	make_config(&c, "", lines, 2);
	char *db = xasprintf("%s/run.db", dir);
	struct fetch_summary sum;
	struct lerr e = {0};
	struct fetch_opts o = {0};
	assert_int_equal(fetch_run(&c, db, &o, &sum, &e), FETCH_RUN_FAILED);
	assert_int_equal(e.kind, LERR_NONE);   /* not a setup failure */
	assert_int_equal(sum.sources, 2);
	assert_int_equal(sum.failed, 1);
	const char *names[] = { "nope" };
	o.sources = names;
	o.n_sources = 1;
	assert_int_equal(fetch_run(&c, db, &o, &sum, &e), FETCH_RUN_NOT_STARTED);
	assert_int_equal(e.kind, LERR_USAGE);
	o.n_sources = 0;
	o.date = "2026-06-31";
	assert_int_equal(fetch_run(&c, db, &o, &sum, &e), FETCH_RUN_NOT_STARTED);
	assert_int_equal(e.kind, LERR_USAGE);
	free(db);
	config_free(&c);
}

/* A source whose definition (type, arguments, base URL) changed since its last success is due at
 * once, though its name is the same and the refresh interval has not passed. */
static void test_changed_source_is_due(void **state)
{
	(void)state;
	char *db = xasprintf("%s/changed.db", dir);
	struct fetch_summary sum;
	struct lerr e = {0};
	struct fetch_opts o = { .only_due = true };
	const char *a_lines[] = { "source arxiv test name arx" };
	const char *b_lines[] = { "source arxiv cs.LG cs.AI cs.CL stat.ML name arx" };
	char *gz = xasprintf("set arxiv-rss-url http://127.0.0.1:%d/m/gzip/rss", server_port);
	const char *c_lines[] = { "source arxiv cs.LG cs.AI cs.CL stat.ML name arx", gz };
	struct config a, b, c;
	make_config(&a, "", a_lines, ARRAY_LEN(a_lines));
	make_config(&b, "", b_lines, ARRAY_LEN(b_lines));
	make_config(&c, "", c_lines, ARRAY_LEN(c_lines));

	assert_int_equal(fetch_run(&a, db, &o, &sum, &e), FETCH_RUN_OK);
	assert_int_equal(sum.sources, 1);
	assert_int_equal(fetch_run(&a, db, &o, &sum, &e), FETCH_RUN_OK);
	assert_int_equal(sum.sources, 0);            /* fresh: not due */
	/* other categories under the same name: due, fetched */
	assert_int_equal(fetch_run(&b, db, &o, &sum, &e), FETCH_RUN_OK);
	assert_int_equal(sum.sources, 1);
	assert_int_equal(sum.n_new, 4);
	assert_int_equal(count_papers(db, NULL), 4);
	assert_int_equal(fetch_run(&b, db, &o, &sum, &e), FETCH_RUN_OK);
	assert_int_equal(sum.sources, 0);
	/* another base URL: due */
	assert_int_equal(fetch_run(&c, db, &o, &sum, &e), FETCH_RUN_OK);
	assert_int_equal(sum.sources, 1);
	/* and back to the first definition: due again */
	assert_int_equal(fetch_run(&a, db, &o, &sum, &e), FETCH_RUN_OK);
	assert_int_equal(sum.sources, 1);

	/* The reader's worker: FETCH_REQ_DUE at start-up fetches the changed source only. */
	const char *d_lines[] = { "source arxiv test name arx",
	                          "source arxiv cs.LG cs.AI cs.CL stat.ML name other" };
	struct config d;
	make_config(&d, "", d_lines, ARRAY_LEN(d_lines));
	assert_int_equal(fetch_run(&d, db, &(struct fetch_opts){0}, &sum, &e), FETCH_RUN_OK);
	assert_int_equal(sum.sources, 2);
	const char *d2_lines[] = { "source arxiv test name arx", "source arxiv test name other" };
	struct config d2;
	make_config(&d2, "", d2_lines, ARRAY_LEN(d2_lines));
	struct fetcher *f = fetch_start(&d2, db, true, &e);
	assert_non_null(f);
	struct fetch_event evs[64];
	size_t n = wait_idle(f, evs, 64, 20);
	int starts = 0;
	for (size_t i = 0; i < n; i++) {
		if (evs[i].kind == FETCH_EV_START) {
			starts++;
			assert_string_equal(evs[i].name, "other");
		}
		assert_int_not_equal(evs[i].kind, FETCH_EV_FAILED);
	}
	assert_int_equal(starts, 1);
	fetch_stop(&f);

	config_free(&a);
	config_free(&b);
	config_free(&c);
	config_free(&d);
	config_free(&d2);
	free(gz);
	free(db);
}

/* Several fetchers creating the same new database at the same moment: SQLite reports the switch
 * to WAL as busy without calling the busy handler, so fetch_env_init must wait and retry. */
struct opener {
	pthread_barrier_t *go;
	const struct config *cfg;
	const char *db;
	int rc;
	struct lerr e;
};

static void *open_env(void *arg)
{
	struct opener *o = arg;
	struct fetch_env env;
	pthread_barrier_wait(o->go);
	o->rc = fetch_env_init(&env, o->cfg, o->db, &o->e);
	if (o->rc == 0)
		fetch_env_fini(&env);
	return NULL;
}

static void test_concurrent_open_of_a_new_database(void **state)
{
	(void)state;
	struct config c;
	make_config(&c, "", NULL, 0);
	enum { THREADS = 4, ROUNDS = 50 };
	for (int round = 0; round < ROUNDS; round++) {
		char *db = xasprintf("%s/fresh-%d.db", dir, round);
		pthread_barrier_t go;
		pthread_barrier_init(&go, NULL, THREADS);
		struct opener o[THREADS];
		pthread_t t[THREADS];
		for (int i = 0; i < THREADS; i++) {
			o[i] = (struct opener){ .go = &go, .cfg = &c, .db = db };
			assert_int_equal(pthread_create(&t[i], NULL, open_env, &o[i]), 0);
		}
		for (int i = 0; i < THREADS; i++) {
			pthread_join(t[i], NULL);
			if (o[i].rc != 0)
				fail_msg("round %d, opener %d: %s", round, i, o[i].e.msg);
		}
		pthread_barrier_destroy(&go);
		free(db);
	}
	config_free(&c);
}

static void test_query_translation(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{ "transformer", "all:transformer" },
		{ "graph neural", "all:graph AND all:neural" },
		{ "au:hinton ti:capsule", "au:hinton AND ti:capsule" },
		{ "\"large language\" models", "all:\"large language\" AND all:models" },
		{ "au:del_maestro ANDNOT (ti:checkerboard OR ti:Pyrochlore)",
		  "au:del_maestro ANDNOT (ti:checkerboard OR ti:Pyrochlore)" },
		{ "cat:cs.LG OR diffusion", "cat:cs.LG OR all:diffusion" },
		{ "  spaced   out  ", "all:spaced AND all:out" },
		{ "", "" },
		/* the local search syntax (store.h) */
		{ "au:hinton diffusion", "au:hinton AND all:diffusion" },
		{ "cat:cs.LG", "cat:cs.LG" },
		{ "title:\"deep learning\" Author:lecun category:cs.CV",
		  "ti:\"deep learning\" AND au:lecun AND cat:cs.CV" },
		{ "is:fav diffusion is:unread", "all:diffusion" },
		{ "is:fav", "" },
		{ "diffusion -video -au:smith", "all:diffusion ANDNOT all:video ANDNOT au:smith" },
		{ "-video diffusion", "all:diffusion ANDNOT all:video" },
		{ "-video", "" },
		/* after:/before: exclude the period they name, since:/until: include it */
		{ "diffusion after:2025-01-31", "all:diffusion AND submittedDate:[202502010000 TO 999912312359]" },
		{ "diffusion before:2025-03-01", "all:diffusion AND submittedDate:[199101010000 TO 202502282359]" },
		{ "after:2024-12-31 before:2025-02-01 diffusion",
		  "all:diffusion AND submittedDate:[202501010000 TO 202501312359]" },
		{ "since:2025-01 until:2025-02 x", "all:x AND submittedDate:[202501010000 TO 202502282359]" },
		{ "after:2024 x", "all:x AND submittedDate:[202501010000 TO 999912312359]" },
		{ "tag:ml has:note x -tag:old", "all:x" },
		{ "diffusion org:nanjing", "all:diffusion" },
		{ "date:2024-02 x", "all:x AND submittedDate:[202402010000 TO 202402292359]" },
		{ "date:2023 x", "all:x AND submittedDate:[202301010000 TO 202312312359]" },
		{ "date:2025-06-11 x", "all:x AND submittedDate:[202506110000 TO 202506112359]" },
		{ "a OR b -c", "all:a OR (all:b ANDNOT all:c)" },   /* NOT > AND > OR, as locally */
		/* the same tree as the local search: precedence, groups, what arXiv cannot say */
		{ "a b OR c", "(all:a AND all:b) OR all:c" },
		{ "a (b OR c) NOT d", "all:a AND (all:b OR all:c) ANDNOT all:d" },
		{ "a -(b c)", "all:a ANDNOT (all:b AND all:c)" },
		{ "a OR is:fav", "" },              /* either side may be any paper: no search */
		{ "x (a OR -b)", "all:x" },         /* arXiv has no NOT of its own */
		{ "gen* jr:nature 2501.01234", "all:gen* AND jr:nature AND id:2501.01234" },
		{ "x OR date:2024", "all:x OR submittedDate:[202401010000 TO 202412312359]" },
		{ "all:x", "all:x" },
	};
	struct lerr e = {0};
	char *bad = fetch_arxiv_query("after:someday x", &e);
	assert_null(bad);   /* what the cache refuses, arXiv is not asked */
	assert_non_null(strstr(e.msg, "after:"));
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char *q = fetch_arxiv_query(cases[i][0], NULL);
		assert_string_equal(q, cases[i][1]);
		free(q);
	}
}

int main(void)
{
	/* Bounds the resolver's wait when no DNS server answers (the offline case needs no network). */
	setenv("RES_OPTIONS", "timeout:1 attempts:1", 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_query_translation),
		cmocka_unit_test(test_fetch_run_reports_failures),
		cmocka_unit_test(test_worker_fetches_and_wakes),
		cmocka_unit_test(test_stop_is_prompt_and_rolls_back),
		cmocka_unit_test(test_worker_offline_fails_fast),
		cmocka_unit_test(test_changed_source_is_due),
		cmocka_unit_test(test_concurrent_open_of_a_new_database),
	};
	return cmocka_run_group_tests(tests, start_server, stop_server);
}
