/* test_net_fetch — the fetch worker thread and the synchronous fetch against tests/server.py:
 * events through the wake-up pipe, the database written through the worker's own connection,
 * on-demand Daily Papers days, a prompt stop while a transfer hangs, and query translation. */
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

#include "lectern/config.h"
#include "lectern/fetch.h"
#include "lectern/store.h"
#include "../src/fetch_int.h"

static pid_t server_pid;
static int server_port;
static char dir[256];

static int start_server(void **state)
{
	(void)state;
	const char *tmp = getenv("TMPDIR_TEST");
	snprintf(dir, sizeof dir, "%s/net-fetch-%d", tmp ? tmp : "/tmp", (int)getpid());
	if (util_mkdir_p(dir, 0700) < 0)
		return -1;
	int fds[2];
	if (pipe(fds) < 0)
		return -1;
	server_pid = fork();
	if (server_pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		execlp("python3", "python3", "tests/server.py", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	FILE *f = fdopen(fds[0], "r");
	if (!f || fscanf(f, "%d", &server_port) != 1)
		return -1;
	fclose(f);
	return 0;
}

static int stop_server(void **state)
{
	(void)state;
	kill(server_pid, SIGTERM);
	waitpid(server_pid, NULL, 0);
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
	fprintf(f, "set arxiv-delay 0\nset timeout 20\nset max-tries 1\nset hf-days 1\n");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s\n", lines[i]);
	fclose(f);
	struct lerr e = {0};
	assert_int_equal(config_load(c, path, &e), 0);
	free(path);
}

/* Waits on the wake-up fd and collects events until IDLE (or a timeout). */
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
		struct fetch_event ev;
		while (fetch_next_event(f, &ev)) {
			if (ev.kind == FETCH_EV_IDLE)
				return n;
			if (n < cap)
				evs[n++] = ev;
		}
		/* drained: the fd must not stay readable */
		p.revents = 0;
		assert_int_equal(poll(&p, 1, 0), 0);
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

	/* Remote search merges into the cache. */
	fetch_request(f, FETCH_REQ_SEARCH, "all:testing");
	n = wait_idle(f, evs, 64, 20);
	assert_int_equal(evs[n - 1].kind, FETCH_EV_DONE);
	assert_string_equal(evs[n - 1].name, "search");
	assert_int_equal(count_papers(db, NULL), 38 + 50);

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
	usleep(300 * 1000);   /* the transfer is in flight (timeout is 20 s) */
	double t0 = util_monotonic();
	fetch_stop(&f);
	assert_true(util_monotonic() - t0 < 1.5);
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
	assert_int_equal(fetch_run(&c, db, &o, &sum, &e), -1);
	assert_int_equal(e.kind, LERR_NONE);   /* not a setup failure */
	assert_int_equal(sum.sources, 2);
	assert_int_equal(sum.failed, 1);
	const char *names[] = { "nope" };
	o.sources = names;
	o.n_sources = 1;
	assert_int_equal(fetch_run(&c, db, &o, &sum, &e), -1);
	assert_int_equal(e.kind, LERR_USAGE);
	o.n_sources = 0;
	o.date = "2026-06-31";
	assert_int_equal(fetch_run(&c, db, &o, &sum, &e), -1);
	assert_int_equal(e.kind, LERR_USAGE);
	free(db);
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
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char *q = fetch_arxiv_query(cases[i][0]);
		assert_string_equal(q, cases[i][1]);
		free(q);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_query_translation),
		cmocka_unit_test(test_fetch_run_reports_failures),
		cmocka_unit_test(test_worker_fetches_and_wakes),
		cmocka_unit_test(test_stop_is_prompt_and_rolls_back),
	};
	return cmocka_run_group_tests(tests, start_server, stop_server);
}
