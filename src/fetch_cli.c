/* fetch_cli — the network commands: fetch, sources, search-remote. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lectern/cli.h"
#include "lectern/fetch.h"
#include "lectern/store.h"
#include "fetch_int.h"

static void list_sources(const struct config *cfg, FILE *out)
{
	fprintf(out, "configured sources:");
	for (size_t i = 0; i < cfg->n_sources; i++)
		fprintf(out, " %s", cfg->sources[i].name);
	fprintf(out, "%s\n", cfg->n_sources ? "" : " (none)");
}

/* Progress on stderr: per-source lines on a terminal; failures always. */
struct progress {
	bool tty;
};

static void on_event(void *ctx, const struct fetch_event *ev)
{
	const struct progress *pr = ctx;
	switch (ev->kind) {
	case FETCH_EV_START:
		if (pr->tty)
			fprintf(stderr, "%s: fetching...\n", ev->name);
		break;
	case FETCH_EV_PROGRESS:
		if (pr->tty) {
			if (ev->total > 0)
				fprintf(stderr, "%s: %ld/%ld requests, %ld new\n", ev->name, ev->done, ev->total,
				        ev->n_new);
			else
				fprintf(stderr, "%s: %ld pages, %ld new\n", ev->name, ev->done, ev->n_new);
		}
		break;
	case FETCH_EV_DONE:
		if (pr->tty)
			fprintf(stderr, "%s: done, %ld new, %ld updated\n", ev->name, ev->n_new, ev->n_updated);
		break;
	case FETCH_EV_FAILED:
		cli_error("%s: %s", ev->name, ev->message);
		break;
	case FETCH_EV_IDLE:
		break;
	}
}

static void fmt_time(int64_t t, char *buf, size_t n)
{
	if (t <= 0) {
		snprintf(buf, n, "never");
		return;
	}
	char iso[32];
	util_fmt_iso(t, iso, sizeof iso);
	snprintf(buf, n, "%.10s %.5s", iso, iso + 11);
}

/* Prints the state of every configured source (used by `sources` and `fetch --offline`). */
static int print_sources(const struct app *a, FILE *out)
{
	const struct config *cfg = a->cfg;
	struct lerr e = {0};
	struct store *db = NULL;
	if (access(a->db_path, F_OK) == 0) {
		db = store_open(a->db_path, STORE_READONLY | STORE_NOCREATE, &e);
		if (!db) {
			cli_error("%s", e.msg);
			return EXIT_RUNTIME;
		}
	}
	struct row {
		char *args;
		char last[32];
		struct store_source_state st;
	} *rows = xcalloc(cfg->n_sources ? cfg->n_sources : 1, sizeof *rows);
	int wname = 4, wtype = 4, wargs = 4;
	int rc = EXIT_OK;
	for (size_t i = 0; i < cfg->n_sources; i++) {
		const struct config_source *s = &cfg->sources[i];
		struct sbuf b = {0};
		for (size_t j = 0; j < s->n_args; j++) {
			if (j)
				sbuf_addc(&b, ' ');
			sbuf_adds(&b, s->args[j]);
		}
		rows[i].args = b.s ? sbuf_steal(&b) : xstrdup("-");
		if (db && store_source_get(db, s->name, &rows[i].st, &e) < 0) {
			cli_error("%s", e.msg);
			rc = EXIT_RUNTIME;
		}
		fmt_time(rows[i].st.last_success, rows[i].last, sizeof rows[i].last);
		int l;
		if ((l = (int)strlen(s->name)) > wname)
			wname = l;
		if ((l = (int)strlen(config_source_type_name(s->type))) > wtype)
			wtype = l;
		if ((l = (int)strlen(rows[i].args)) > wargs)
			wargs = l;
	}
	fprintf(out, "%-*s  %-*s  %-*s  %-16s  %6s  %6s  %s\n", wname, "NAME", wtype, "TYPE", wargs,
	        "ARGS", "LAST SUCCESS", "NEW", "TOTAL", "STATE");
	for (size_t i = 0; i < cfg->n_sources; i++) {
		const struct config_source *s = &cfg->sources[i];
		const struct store_source_state *st = &rows[i].st;
		const char *state = st->in_progress ? "fetching"
		                    : st->last_error ? "failed: "
		                    : st->last_attempt ? "ok" : "not fetched yet";
		fprintf(out, "%-*s  %-*s  %-*s  %-16s  %6lld  %6lld  %s%s\n", wname, s->name, wtype,
		        config_source_type_name(s->type), wargs, rows[i].args, rows[i].last,
		        (long long)st->new_count, (long long)st->total, state,
		        !st->in_progress && st->last_error ? st->last_error : "");
		free(rows[i].args);
		store_source_state_clear(&rows[i].st);
	}
	free(rows);
	store_close(&db);
	return rc;
}

int cmd_fetch(const struct app *a, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "date", required_argument, NULL, 'd' },
		{ "since", required_argument, NULL, 's' },
		{ "offline", no_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct fetch_opts o = {0};
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': o.date = optarg; break;
		case 's': o.since = optarg; break;
		case 'o': o.offline = true; break;
		case 'h':
			printf("usage: lectern fetch [SOURCE...] [--date YYYY-MM-DD | --since YYYY-MM-DD] "
			       "[--offline]\n");
			list_sources(a->cfg, stdout);
			return EXIT_OK;
		default:
			cli_error("fetch: unknown option; usage: lectern fetch [SOURCE...] "
			          "[--date YYYY-MM-DD | --since YYYY-MM-DD] [--offline]");
			return EXIT_USAGE;
		}
	}
	o.sources = (const char *const *)(argv + optind);
	o.n_sources = (size_t)(argc - optind);
	for (size_t i = 0; i < o.n_sources; i++) {
		if (!config_find_source(a->cfg, o.sources[i])) {
			cli_error("fetch: unknown source \"%s\"", o.sources[i]);
			list_sources(a->cfg, stderr);
			return EXIT_USAGE;
		}
	}
	struct progress pr = { .tty = isatty(STDERR_FILENO) == 1 };
	o.on_event = on_event;
	o.ctx = &pr;
	struct fetch_summary sum = {0};
	struct lerr e = {0};
	int rc = fetch_run(a->cfg, a->db_path, &o, &sum, &e);
	if (rc < 0 && e.kind != LERR_NONE) {
		/* setup or usage failure: nothing was fetched */
		cli_error("fetch: %s", e.msg);
		return e.kind == LERR_USAGE ? EXIT_USAGE : EXIT_RUNTIME;
	}
	if (o.offline) {
		printf("offline: nothing fetched; the cache has:\n");
		return print_sources(a, stdout);
	}
	printf("%ld source%s: %ld new, %ld updated, %ld failed\n", sum.sources,
	       sum.sources == 1 ? "" : "s", sum.n_new, sum.n_updated, sum.failed);
	return rc < 0 ? EXIT_RUNTIME : EXIT_OK;
}

int cmd_sources(const struct app *a, int argc, char **argv)
{
	if (argc > 1) {
		if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
			printf("usage: lectern sources\n");
			return EXIT_OK;
		}
		cli_error("sources takes no arguments; usage: lectern sources");
		return EXIT_USAGE;
	}
	return print_sources(a, stdout);
}

/* Collects "id\ttitle" lines; printed only once the results are committed. */
static int collect(void *ctx, const struct paper *p)
{
	sbuf_printf(ctx, "%s\t%s\n", p->id, p->title ? p->title : "(no title)");
	return 0;
}

int cmd_search_remote(const struct app *a, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "max", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	long max = 50;
	int c;
	while ((c = getopt_long(argc, argv, "hm:", opts, NULL)) != -1) {
		switch (c) {
		case 'm': {
			char *end;
			max = strtol(optarg, &end, 10);
			if (*end || max < 1 || max > 2000) {
				cli_error("search-remote: --max takes a number from 1 to 2000");
				return EXIT_USAGE;
			}
			break;
		}
		case 'h':
			printf("usage: lectern search-remote [--max N] QUERY...\n"
			       "Plain words are searched everywhere (all:WORD); prefixed terms (ti: au: abs: "
			       "cat: ...) and AND/OR/ANDNOT pass through to arXiv.\n");
			return EXIT_OK;
		default:
			cli_error("search-remote: usage: lectern search-remote [--max N] QUERY...");
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		cli_error("search-remote: what should I search for? usage: lectern search-remote QUERY");
		return EXIT_USAGE;
	}
	struct sbuf q = {0};
	for (int i = optind; i < argc; i++) {
		if (i > optind)
			sbuf_addc(&q, ' ');
		sbuf_adds(&q, argv[i]);
	}
	struct fetch_env env;
	struct lerr e = {0};
	struct sbuf found = {0};
	if (fetch_env_init(&env, a->cfg, a->db_path, &e) < 0) {
		cli_error("search-remote: %s", e.msg);
		sbuf_free(&q);
		return EXIT_RUNTIME;
	}
	env.on_paper = collect;
	env.paper_ctx = &found;
	long n = 0;
	int rc = fetch_search_env(&env, q.s, max, &n, &e);
	fetch_env_fini(&env);
	sbuf_free(&q);
	if (rc < 0) {
		cli_error("search-remote: %s", e.msg);
		sbuf_free(&found);
		return EXIT_RUNTIME;
	}
	printf("%ld paper%s found and merged into the cache\n", n, n == 1 ? "" : "s");
	if (found.s)
		fputs(found.s, stdout);
	sbuf_free(&found);
	return EXIT_OK;
}
