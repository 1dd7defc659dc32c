/* test_net — the HTTP layer against tests/server.py on 127.0.0.1 (spawned here). */
#include <errno.h>
#include <fcntl.h>
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
#include <curl/curl.h>

#include "lectern/config.h"
#include "lectern/net.h"
#include "lectern/polite.h"

static pid_t server_pid;
static int server_port;
static char log_path[256];

static char *url(const char *path)
{
	return xasprintf("http://127.0.0.1:%d%s", server_port, path);
}

static int start_server(void **state)
{
	(void)state;
	const char *tmp = getenv("TMPDIR_TEST");
	snprintf(log_path, sizeof log_path, "%s/net-server-%d.log", tmp ? tmp : "/tmp", (int)getpid());
	server_pid = test_server_start(log_path, &server_port);
	return server_pid < 0 ? -1 : 0;
}

static int stop_server(void **state)
{
	(void)state;
	test_server_stop(server_pid);
	unlink(log_path);
	return 0;
}

static struct net *client(long timeout, int64_t max_body)
{
	struct net_limits lim = { .timeout = timeout, .max_body = max_body };
	struct lerr e = {0};
	struct net *n = net_new(&lim, &e);
	assert_non_null(n);
	return n;
}

/* The last line of the server log (one JSON object per request). */
static char *last_log_line(void)
{
	size_t len = 0;
	char *s = util_read_file(log_path, &len, NULL);
	assert_non_null(s);
	while (len && s[len - 1] == '\n')
		s[--len] = '\0';
	char *nl = strrchr(s, '\n');
	char *line = xstrdup(nl ? nl + 1 : s);
	free(s);
	return line;
}

static void test_get_ok_with_validators_and_ua(void **state)
{
	(void)state;
	struct net *n = client(10, 0);
	struct net_response r;
	struct lerr e = {0};
	char *u = url("/api/daily_papers?date=2026-06-12");
	assert_int_equal(net_get(n, u, NULL, NULL, &r, &e), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.reason, "OK");
	assert_true(r.len > 100000);
	assert_int_equal(r.body[0], '[');
	assert_int_equal(strlen(r.body), r.len);
	assert_non_null(r.etag);
	assert_string_equal(r.last_modified, "Fri, 12 Jun 2026 00:00:00 GMT");
	assert_non_null(strstr(r.content_type, "application/json"));
	char *line = last_log_line();
	assert_non_null(strstr(line, "\"ua\": \"lectern/"));
	assert_non_null(strstr(line, "(+https://github.com/lectern-reader/lectern)"));
	assert_non_null(strstr(line, "gzip"));   /* Accept-Encoding offered */
	free(line);

	/* Conditional GET: the validators we got make the server answer 304 with no body. */
	struct net_response r2;
	assert_int_equal(net_get(n, u, r.etag, r.last_modified, &r2, &e), 0);
	assert_int_equal(r2.status, 304);
	assert_int_equal(r2.len, 0);
	line = last_log_line();
	char *bare = xstrndup(r.etag + 1, strlen(r.etag) - 2);   /* the log escapes the quotes */
	assert_non_null(strstr(line, "\"inm\": \"\\\""));
	assert_non_null(strstr(line, bare));
	free(bare);
	free(line);
	net_response_clear(&r2);

	/* Only Last-Modified: If-Modified-Since alone also gives 304. */
	assert_int_equal(net_get(n, u, NULL, r.last_modified, &r2, &e), 0);
	assert_int_equal(r2.status, 304);
	net_response_clear(&r2);
	/* A stale ETag gets the full body. */
	assert_int_equal(net_get(n, u, "\"stale\"", NULL, &r2, &e), 0);
	assert_int_equal(r2.status, 200);
	assert_int_equal(r2.len, r.len);
	net_response_clear(&r2);
	net_response_clear(&r);
	free(u);
	net_free(&n);
	assert_null(n);
}

static void test_gzip_is_decoded(void **state)
{
	(void)state;
	struct net *n = client(10, 0);
	struct net_response plain, gz;
	char *u1 = url("/rss/cs.LG+cs.AI+cs.CL+stat.ML"), *u2 = url("/m/gzip/rss/cs.LG+cs.AI+cs.CL+stat.ML");
	assert_int_equal(net_get(n, u1, NULL, NULL, &plain, NULL), 0);
	assert_int_equal(net_get(n, u2, NULL, NULL, &gz, NULL), 0);
	assert_int_equal(gz.status, 200);
	assert_int_equal(gz.len, plain.len);
	assert_memory_equal(gz.body, plain.body, plain.len);
	net_response_clear(&plain);
	net_response_clear(&gz);
	free(u1);
	free(u2);
	net_free(&n);
}

static void test_statuses_are_returned(void **state)
{
	(void)state;
	struct net *n = client(10, 0);
	struct net_response r;
	char *u = url("/rss/no-such-category");
	assert_int_equal(net_get(n, u, NULL, NULL, &r, NULL), 0);
	assert_int_equal(r.status, 404);
	assert_string_equal(r.reason, "Not Found");
	net_response_clear(&r);
	free(u);
	u = url("/m/429long/rss/test");
	assert_int_equal(net_get(n, u, NULL, NULL, &r, NULL), 0);
	assert_int_equal(r.status, 429);
	assert_int_equal(r.retry_after, 100000);
	net_response_clear(&r);
	free(u);
	u = url("/m/429date-x/rss/test");   /* Retry-After as an HTTP date, ~2 s ahead */
	assert_int_equal(net_get(n, u, NULL, NULL, &r, NULL), 0);
	assert_int_equal(r.status, 429);
	assert_true(r.retry_after >= 1 && r.retry_after <= 3);
	net_response_clear(&r);
	free(u);
	/* A redirect is followed and the final URL reported. */
	u = url("/m/redir/rss/test");
	assert_int_equal(net_get(n, u, NULL, NULL, &r, NULL), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.final_url, "/rss/test"));
	assert_null(strstr(r.final_url, "/m/redir"));
	net_response_clear(&r);
	free(u);
	net_free(&n);
}

static void test_failures(void **state)
{
	(void)state;
	struct net *n = client(2, 100 * 1024);
	struct net_response r;
	struct lerr e = {0};
	char *u;

	u = url("/m/trunc/rss/cs.LG+cs.AI+cs.CL+stat.ML");
	assert_int_equal(net_get(n, u, NULL, NULL, &r, &e), -1);
	assert_int_equal(e.kind, LERR_NET);
	assert_non_null(strstr(e.msg, "cut off"));
	assert_null(r.body);
	free(u);

	u = url("/m/loop/rss/test");
	assert_int_equal(net_get(n, u, NULL, NULL, &r, &e), -1);
	assert_non_null(strstr(e.msg, "redirects"));
	free(u);

	u = url("/m/oversize/rss/test");
	assert_int_equal(net_get(n, u, NULL, NULL, &r, &e), -1);
	assert_int_equal(e.kind, LERR_IO);
	assert_int_equal(e.code, NET_TOO_BIG);
	assert_non_null(strstr(e.msg, "max-body"));
	free(u);

	/* gzip cannot smuggle a body past the cap: the cap counts decoded bytes. */
	struct net *small = client(5, 5000);
	u = url("/m/gzip/rss/cs.LG+cs.AI+cs.CL+stat.ML");
	assert_int_equal(net_get(small, u, NULL, NULL, &r, &e), -1);
	assert_int_equal(e.code, NET_TOO_BIG);
	free(u);
	net_free(&small);

	/* A server that accepts and never answers fails within the timeout. */
	u = url("/m/hang/rss/test");
	double t0 = util_monotonic();
	assert_int_equal(net_get(n, u, NULL, NULL, &r, &e), -1);
	double took = util_monotonic() - t0;
	assert_int_equal(e.kind, LERR_NET);
	assert_non_null(strstr(e.msg, "timed out"));
	assert_true(took >= 1.5 && took < 15.0);   /* bounded; generous for a loaded machine */
	free(u);

	/* Nobody listening: the host is unreachable (later requests to it are skipped by fetch),
	 * though worth a retry (a server restarting). */
	u = xstrdup("http://127.0.0.1:1/x");
	assert_int_equal(net_get(n, u, NULL, NULL, &r, &e), -1);
	assert_int_equal(e.kind, LERR_NET);
	assert_true(net_unreachable(&e));
	assert_true(net_retryable(&e));
	assert_non_null(strstr(e.msg, "cannot connect to 127.0.0.1: Connection refused"));
	free(u);
	/* A server that answers, even badly, was reached. */
	u = url("/m/trunc/rss/cs.LG+cs.AI+cs.CL+stat.ML");
	assert_int_equal(net_get(n, u, NULL, NULL, &r, &e), -1);
	assert_false(net_unreachable(&e));
	free(u);

	/* Only http(s). */
	assert_int_equal(net_get(n, "file:///etc/passwd", NULL, NULL, &r, &e), -1);
	assert_int_equal(e.kind, LERR_NET);
	net_free(&n);
}

/* A name that does not resolve (.invalid never does, RFC 6761; no network needed: main() bounds
 * the resolver's wait) fails at once, is not retried, and says what is likely wrong. */
static void test_unresolvable_host(void **state)
{
	(void)state;
	struct net *n = client(20, 0);
	struct net_response r;
	struct lerr e = {0};
	assert_int_equal(net_get(n, "http://nonexistent.invalid/api/x", NULL, NULL, &r, &e), -1);
	assert_int_equal(e.kind, LERR_NET);
	assert_int_equal(e.code, CURLE_COULDNT_RESOLVE_HOST);
	assert_false(net_retryable(&e));
	assert_true(net_unreachable(&e));
	assert_non_null(strstr(e.msg, "cannot resolve nonexistent.invalid: are you offline?"));
	assert_null(r.body);
	struct lerr other = { .kind = LERR_HTTP, .code = CURLE_COULDNT_CONNECT };
	assert_false(net_unreachable(&other));   /* only network failures */
	net_free(&n);
}

static void *abort_later(void *arg)
{
	usleep(300 * 1000);
	net_abort(arg);
	return NULL;
}

static void test_abort_from_another_thread(void **state)
{
	(void)state;
	struct net *n = client(30, 0);
	struct net_response r;
	struct lerr e = {0};
	char *u = url("/m/hang/rss/test");
	pthread_t t;
	pthread_create(&t, NULL, abort_later, n);
	double t0 = util_monotonic();
	assert_int_equal(net_get(n, u, NULL, NULL, &r, &e), -1);
	assert_true(util_monotonic() - t0 < 15.0);   /* far below the 30 s timeout */
	assert_int_equal(e.code, NET_ABORTED);
	pthread_join(t, NULL);
	assert_true(net_aborted(n));
	/* Later calls fail at once; sleeps too. */
	assert_int_equal(net_get(n, u, NULL, NULL, &r, &e), -1);
	assert_int_equal(net_sleep(n, 10), -1);
	free(u);
	net_free(&n);
}

static void test_sleep_is_interruptible(void **state)
{
	(void)state;
	struct net *n = client(30, 0);
	double t0 = util_monotonic();
	assert_int_equal(net_sleep(n, 0.2), 0);
	double took = util_monotonic() - t0;
	assert_true(took >= 0.19 && took < 10.0);
	pthread_t t;
	pthread_create(&t, NULL, abort_later, n);
	t0 = util_monotonic();
	assert_int_equal(net_sleep(n, 20), -1);
	assert_true(util_monotonic() - t0 < 10.0);   /* far below the 20 s asked for */
	pthread_join(t, NULL);
	net_free(&n);
}

static void test_arxiv_host(void **state)
{
	(void)state;
	assert_true(net_is_arxiv_host("https://export.arxiv.org/api/query"));
	assert_true(net_is_arxiv_host("https://rss.arxiv.org/rss/cs.LG"));
	assert_true(net_is_arxiv_host("http://ARXIV.org./abs/1"));
	assert_true(net_is_arxiv_host("https://arxiv.org"));
	assert_false(net_is_arxiv_host("https://notarxiv.org/x"));
	assert_false(net_is_arxiv_host("https://arxiv.org.evil.com/x"));
	assert_false(net_is_arxiv_host("http://127.0.0.1:8080/api/query"));
	assert_false(net_is_arxiv_host("not a url"));
	char *h = net_url_host("HTTP://HuggingFace.CO.:443/api?x=1");
	assert_string_equal(h, "huggingface.co");
	free(h);
	h = net_url_host("http://127.0.0.1:8080/rss");
	assert_string_equal(h, "127.0.0.1");
	free(h);
	assert_null(net_url_host("not a url"));
}

/* Several threads at once on one client: the transfers overlap (each answer is a second late,
 * four of them take about one second, not four). */
struct par { struct net *n; char *u; int rc; long status; };
static void *par_get(void *arg)
{
	struct par *p = arg;
	struct net_response r;
	p->rc = net_get(p->n, p->u, NULL, NULL, &r, NULL);
	p->status = r.status;
	if (p->rc == 0)
		net_response_clear(&r);
	return NULL;
}

static void test_parallel_transfers(void **state)
{
	(void)state;
	struct net *n = client(10, 0);
	struct par p[4];
	pthread_t t[4];
	double t0 = util_monotonic();
	for (int i = 0; i < 4; i++) {
		p[i] = (struct par){ .n = n, .u = url("/m/delay/rss/test") };
		assert_int_equal(pthread_create(&t[i], NULL, par_get, &p[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(p[i].rc, 0);
		assert_int_equal(p[i].status, 200);
		free(p[i].u);
	}
	assert_true(util_monotonic() - t0 < 3.0);
	net_free(&n);
}

/* A body above NET_SPOOL_BYTES comes back mapped from a file, whole and NUL-terminated. */
static void test_large_body_is_spooled(void **state)
{
	(void)state;
	struct net *n = client(10, 0);
	char *u = url("/m/oversize/rss/x");
	struct net_response r;
	assert_int_equal(net_get(n, u, NULL, NULL, &r, NULL), 0);
	assert_true(r.mapped);
	assert_true(r.len > NET_SPOOL_BYTES);
	assert_int_equal(r.body[r.len], '\0');
	assert_memory_equal(r.body + r.len - 17, "</channel></rss>\n", 17);
	net_response_clear(&r);
	free(u);
	net_free(&n);
}

/* Groups: all of arXiv one (also a test server the config names as arXiv's), other hosts by
 * host and port, with their spacing; the schedule is shared through the state file. */
static void test_polite_groups_and_schedule(void **state)
{
	(void)state;
	struct config cfg;
	config_defaults(&cfg);
	struct polite_group g, h;
	polite_group_of(&cfg, "https://export.arxiv.org/api/query", false, &g);
	polite_group_of(&cfg, "https://rss.arxiv.org/rss/cs.LG", false, &h);
	assert_string_equal(g.key, "arxiv");
	assert_string_equal(h.key, "arxiv");
	assert_true(g.spacing >= 3.0);
	cfg.arxiv_delay_ms = 0;
	polite_group_of(&cfg, "https://arxiv.org/pdf/2501.00001", false, &g);
	assert_true(g.spacing >= 3.0);                  /* never lower for arXiv itself */
	polite_group_of(&cfg, "http://127.0.0.1:8080/api/query", true, &g);
	assert_string_equal(g.key, "arxiv");
	assert_true(g.spacing == 0);                    /* a test server may go lower */
	cfg.host_delay_ms = 0;
	polite_group_of(&cfg, "https://huggingface.co/api/daily_papers", false, &g);
	assert_string_equal(g.key, "huggingface.co");
	assert_true(g.spacing >= 1.0);                  /* ≤ 300 per 5 min */
	polite_group_of(&cfg, "http://127.0.0.1:8080/feed", false, &g);
	polite_group_of(&cfg, "http://127.0.0.1:8081/feed", false, &h);
	assert_string_equal(g.key, "127.0.0.1:8080");
	assert_string_equal(h.key, "127.0.0.1:8081");

	char path[300];
	const char *tmp = getenv("TMPDIR_TEST");
	snprintf(path, sizeof path, "%s/polite-%d", tmp ? tmp : "/tmp", (int)getpid());
	unlink(path);
	struct polite *a = polite_open(path), *b = polite_open(path);   /* two "processes" */
	assert_null(polite_warning(a));
	struct polite_group ax = { .key = "arxiv", .spacing = 0.4 };
	double t;
	assert_int_equal(polite_claim(a, &ax, 30, &t), POLITE_GO);
	assert_int_equal(polite_claim(a, &ax, 30, &t), POLITE_WAIT);   /* one connection */
	assert_int_equal(polite_claim(b, &ax, 30, &t), POLITE_WAIT);   /* the lease holds b off */
	assert_true(t > 0 && t <= 0.25);
	polite_release(a, &ax);
	assert_int_equal(polite_claim(b, &ax, 30, &t), POLITE_WAIT);   /* the spacing */
	usleep(450000);
	assert_int_equal(polite_claim(b, &ax, 30, &t), POLITE_GO);
	polite_release(b, &ax);
	/* a Retry-After is remembered for every process, and outlives them */
	polite_block(a, &g, polite_now() + 1000);
	polite_free(&a);
	a = polite_open(path);
	assert_int_equal(polite_claim(a, &g, 30, &t), POLITE_BLOCKED);
	assert_true(t > polite_now() + 990);
	assert_int_equal(polite_claim(b, &h, 30, &t), POLITE_GO);        /* other hosts are free */
	polite_release(b, &h);
	polite_free(&a);
	polite_free(&b);
	unlink(path);
	config_free(&cfg);
}

int main(void)
{
	/* Without a reachable DNS server a lookup can wait for the resolver's timeouts (5 s x 2
	 * by default); bound that so the unresolvable-host case is fast everywhere. */
	setenv("RES_OPTIONS", "timeout:1 attempts:1", 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get_ok_with_validators_and_ua),
		cmocka_unit_test(test_gzip_is_decoded),
		cmocka_unit_test(test_statuses_are_returned),
		cmocka_unit_test(test_failures),
		cmocka_unit_test(test_unresolvable_host),
		cmocka_unit_test(test_abort_from_another_thread),
		cmocka_unit_test(test_sleep_is_interruptible),
		cmocka_unit_test(test_arxiv_host),
		cmocka_unit_test(test_parallel_transfers),
		cmocka_unit_test(test_large_body_is_spooled),
		cmocka_unit_test(test_polite_groups_and_schedule),
	};
	return cmocka_run_group_tests(tests, start_server, stop_server);
}
