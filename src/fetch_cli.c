/* fetch_cli — the network commands: fetch, sources, search-remote. */
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "lectern/cli.h"
#include "lectern/cli_table.h"
#include "lectern/fetch.h"
#include "lectern/store.h"
#include "lectern/text.h"
#include "fetch_int.h"

static void list_sources(const struct config *cfg, FILE *out)
{
	fprintf(out, "configured sources:");
	for (size_t i = 0; i < cfg->n_sources; i++)
		fprintf(out, " %s", cfg->sources[i].name);
	fprintf(out, "%s\n", cfg->n_sources ? "" : " (none)");
}

/* Progress on stderr. Sources run at once, so on a terminal each source gets one final line as
 * it ends, in the order they end ("NAME  N new, M updated (T s)" or "NAME  failed: why"), and one
 * line below them, redrawn in place with \r, says what is still running (cut to the terminal
 * width so it never wraps). Elsewhere only failures and notes, one line each. The summary goes
 * to stdout. */
struct running {
	char name[64];
	double t0;            /* when it started */
	char what[96];        /* its progress, "" none yet */
	bool active;
};
struct progress {
	const struct config *cfg;
	bool tty;
	int name_w;           /* width of the name column */
	size_t shown;         /* columns of the in-place line on screen, 0 when none */
	struct running *v;    /* the sources seen */
	size_t n;
};

static size_t term_cols(void)
{
	struct winsize ws;
	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 10)
		return ws.ws_col;
	return 80;
}

/* Draws text over the in-place line; final lines end with a newline and stay. */
static void draw(struct progress *pr, bool final, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void draw(struct progress *pr, bool final, const char *fmt, ...)
{
	char raw[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof raw, fmt, ap);
	va_end(ap);
	/* source names and server messages are untrusted: cleaned like feed text */
	char *line = text_clean(raw, strlen(raw), 0);   /* 0: the columns' padding stays */
	for (char *q = line; (q = strchr(q, '\n'));)
		*q = ' ';
	int cols;
	size_t bytes = text_fit(line, strlen(line), final ? INT_MAX : (int)term_cols() - 1, &cols);
	fprintf(stderr, "\r%.*s", (int)bytes, line);
	free(line);
	if (pr->shown > (size_t)cols)   /* blank what the previous, longer line left */
		fprintf(stderr, "%*s", (int)(pr->shown - (size_t)cols), "");
	if (final) {
		fputc('\n', stderr);
		pr->shown = 0;
	} else {
		pr->shown = (size_t)cols;
	}
	fflush(stderr);
}

static const char *unit_of(const struct progress *pr, const char *name)
{
	const struct config_source *s = config_find_source(pr->cfg, name);
	return s && s->type == SOURCE_HF_DAILY ? "days" : "requests";
}

static struct running *running_of(struct progress *pr, const char *name)
{
	for (size_t i = 0; i < pr->n; i++)
		if (!strcmp(pr->v[i].name, name))
			return &pr->v[i];
	pr->v = xreallocarray(pr->v, pr->n + 1, sizeof *pr->v);
	struct running *r = &pr->v[pr->n++];
	memset(r, 0, sizeof *r);
	snprintf(r->name, sizeof r->name, "%s", name);
	return r;
}

/* The in-place line: every source still running, with its progress. */
static void draw_running(struct progress *pr)
{
	struct sbuf b = {0};
	for (size_t i = 0; i < pr->n; i++)
		if (pr->v[i].active)
			sbuf_printf(&b, "%s%s %s", b.len ? "; " : "fetching ", pr->v[i].name,
			            pr->v[i].what[0] ? pr->v[i].what : "...");
	if (b.len)
		draw(pr, false, "%s", b.s);
	else if (pr->shown)
		draw(pr, false, "%s", "");
	sbuf_free(&b);
}

static void on_event(void *ctx, const struct fetch_event *ev)
{
	struct progress *pr = ctx;
	int w = pr->name_w;
	struct running *r = ev->kind == FETCH_EV_IDLE ? NULL : running_of(pr, ev->name);
	switch (ev->kind) {
	case FETCH_EV_START:
		r->t0 = util_monotonic();
		r->active = true;
		r->what[0] = '\0';
		break;
	case FETCH_EV_PROGRESS:
		if (ev->total > 1)
			snprintf(r->what, sizeof r->what, "%ld/%ld %s, %ld new", ev->done, ev->total,
			         unit_of(pr, ev->name), ev->n_new);
		else if (ev->total == 0)   /* paging: the number of pages is not known up front */
			snprintf(r->what, sizeof r->what, "page %ld, %ld new", ev->done, ev->n_new);
		break;
	case FETCH_EV_DONE:
		r->active = false;
		if (pr->tty)
			draw(pr, true, "%-*s  %ld new, %ld updated (%.1f s)%s%s", w, ev->name, ev->n_new,
			     ev->n_updated, util_monotonic() - r->t0, ev->message[0] ? "; " : "",
			     ev->message);
		else if (ev->message[0])   /* a cap cut the fetch short: said even to a pipe */
			app_error("%s: %s", ev->name, ev->message);
		break;
	case FETCH_EV_FAILED:
		r->active = false;
		if (pr->tty)
			draw(pr, true, "%-*s  failed: %s", w, ev->name, ev->message);
		else
			app_error("%s: %s", ev->name, ev->message);
		break;
	case FETCH_EV_IDLE:
		break;
	}
	if (pr->tty)
		draw_running(pr);
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
			app_error("%s", e.msg);
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
			app_error("%s", e.msg);
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
		/* The counts describe the last fetch; say when that was of another definition. */
		bool changed = db && st->last_success &&
		               fetch_source_signature_check(db, cfg, s) == FETCH_SIG_CHANGED;
		const char *state = st->in_progress ? "fetching"
		                    : st->last_error ? "failed: "
		                    : changed ? "changed since the last fetch (due now)"
		                    : st->last_attempt ? "ok" : "not fetched yet";
		/* stored by older versions unfiltered, and it may quote a server: clean it */
		char *err = !st->in_progress && st->last_error
		            ? text_clean(st->last_error, strlen(st->last_error), TEXT_COLLAPSE) : NULL;
		fprintf(out, "%-*s  %-*s  %-*s  %-16s  %6lld  %6lld  %s%s\n", wname, s->name, wtype,
		        config_source_type_name(s->type), wargs, rows[i].args, rows[i].last,
		        (long long)st->new_count, (long long)st->total, state, err ? err : "");
		free(err);
		free(rows[i].args);
		store_source_state_clear(&rows[i].st);
	}
	free(rows);
	store_close(&db);
	return rc;
}

/* `fetch --offline`: what the cache holds, per source, without touching the network. */
static int print_offline(const struct app *a, FILE *out)
{
	const struct config *cfg = a->cfg;
	struct lerr e = {0};
	if (access(a->db_path, F_OK) != 0) {
		fprintf(out, "offline: nothing fetched; there is no cache yet at %s "
		        "(run `lectern fetch` when online)\n", a->db_path);
		return EXIT_OK;
	}
	struct store *db = store_open(a->db_path, STORE_READONLY | STORE_NOCREATE, &e);
	if (!db) {
		app_error("fetch: %s", e.msg);
		return EXIT_RUNTIME;
	}
	int rc = EXIT_OK;
	struct store_view all = { .filter = STORE_VIEW_ALL };
	int64_t total = store_count(db, &all, INT64_MAX, &e);
	if (total < 0) {
		app_error("fetch: %s", e.msg);
		store_close(&db);
		return EXIT_RUNTIME;
	}
	fprintf(out, "offline: nothing fetched; the cache at %s holds %lld paper%s:\n", a->db_path,
	        (long long)total, total == 1 ? "" : "s");
	int w = 4;
	for (size_t i = 0; i < cfg->n_sources; i++) {
		int l = (int)strlen(cfg->sources[i].name);
		if (l > w)
			w = l;
	}
	for (size_t i = 0; i < cfg->n_sources; i++) {
		const struct config_source *s = &cfg->sources[i];
		struct store_source_state st = {0};
		if (store_source_get(db, s->name, &st, &e) < 0) {
			app_error("fetch: %s: %s", s->name, e.msg);
			rc = EXIT_RUNTIME;
			continue;
		}
		fprintf(out, "%-*s  ", w, s->name);
		if (!st.name || (st.total == 0 && st.last_success == 0)) {
			fputs("nothing yet", out);
		} else {
			fprintf(out, "%lld paper%s", (long long)st.total, st.total == 1 ? "" : "s");
			char newest[11], oldest[11];
			if (s->type == SOURCE_HF_DAILY &&
			    store_hf_day_step(db, "9999-12-31", -1, newest, sizeof newest, NULL) == 1 &&
			    store_hf_day_step(db, "0000-00-00", 1, oldest, sizeof oldest, NULL) == 1) {
				if (strcmp(oldest, newest))
					fprintf(out, ", Daily Papers days %s to %s", oldest, newest);
				else
					fprintf(out, ", Daily Papers day %s", newest);
			}
			char last[32];
			fmt_time(st.last_success, last, sizeof last);
			fprintf(out, ", last fetched %s", last);
		}
		if (st.in_progress)
			fputs("; being fetched now", out);
		else if (st.last_error) {
			char *m = text_clean(st.last_error, strlen(st.last_error), TEXT_COLLAPSE);
			fprintf(out, "; the last attempt failed: %s", m);
			free(m);
		}
		fputc('\n', out);
		store_source_state_clear(&st);
	}
	store_close(&db);
	return rc;
}

int cmd_fetch(const struct app *a, int argc, char **argv)
{
	struct option opts[CLI_MAX_OPTS];
	cli_longopts("fetch", opts);
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
			app_error("fetch: unknown option; usage: lectern fetch [SOURCE...] "
			          "[--date YYYY-MM-DD | --since YYYY-MM-DD] [--offline]");
			return EXIT_USAGE;
		}
	}
	o.sources = (const char *const *)(argv + optind);
	o.n_sources = (size_t)(argc - optind);
	for (size_t i = 0; i < o.n_sources; i++) {
		if (!config_find_source(a->cfg, o.sources[i])) {
			app_error("fetch: unknown source \"%s\"", o.sources[i]);
			list_sources(a->cfg, stderr);
			return EXIT_USAGE;
		}
	}
	struct progress pr = { .cfg = a->cfg, .tty = isatty(STDERR_FILENO) == 1 };
	/* The name column fits the sources being fetched. */
	for (size_t i = 0; i < (o.n_sources ? o.n_sources : a->cfg->n_sources); i++) {
		const char *n = o.n_sources ? o.sources[i] : a->cfg->sources[i].name;
		int l = text_width(n, strlen(n));
		if (l > pr.name_w)
			pr.name_w = l < 24 ? l : 24;
	}
	o.on_event = on_event;
	o.ctx = &pr;
	struct fetch_summary sum = {0};
	struct lerr e = {0};
	enum fetch_run_result rc = fetch_run(a->cfg, a->db_path, &o, &sum, &e);
	free(pr.v);
	if (sum.note[0])
		app_error("note: %s", sum.note);
	if (rc == FETCH_RUN_NOT_STARTED) {
		app_error("fetch: %s", e.msg);
		return e.kind == LERR_USAGE ? EXIT_USAGE : EXIT_RUNTIME;
	}
	if (o.offline)
		return print_offline(a, stdout);
	printf("%ld source%s: %ld new, %ld updated, %ld failed\n", sum.sources,
	       sum.sources == 1 ? "" : "s", sum.n_new, sum.n_updated, sum.failed);
	return rc == FETCH_RUN_FAILED ? EXIT_RUNTIME : EXIT_OK;
}

int cmd_sources(const struct app *a, int argc, char **argv)
{
	struct option opts[CLI_MAX_OPTS];
	bool names = false, bad = false;
	int c;

	cli_longopts("sources", opts);
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'n': names = true; break;
		case 'h': printf("usage: lectern sources [--names]\n"); return EXIT_OK;
		default: bad = true; break;
		}
	}
	if (bad || optind != argc) {
		app_error("sources takes no arguments; usage: lectern sources [--names]");
		return EXIT_USAGE;
	}
	if (names) {   /* for shell completions: the config only, no cache */
		for (size_t i = 0; i < a->cfg->n_sources; i++)
			printf("%s\n", a->cfg->sources[i].name);
		return EXIT_OK;
	}
	return print_sources(a, stdout);
}

/* Keeps the search's DONE event (counts of new papers and of arXiv's matches). */
static void on_search_event(void *ctx, const struct fetch_event *ev)
{
	if (ev->kind == FETCH_EV_DONE)
		*(struct fetch_event *)ctx = *ev;
}

/* Collects "id\ttitle" lines; printed only once the results are committed. */
static int collect(void *ctx, const struct paper *p)
{
	sbuf_printf(ctx, "%s\t%s\n", p->id, p->title ? p->title : "(no title)");
	return 0;
}

int cmd_search_remote(const struct app *a, int argc, char **argv)
{
	struct option opts[CLI_MAX_OPTS];
	cli_longopts("search-remote", opts);
	long max = 50;
	int c;
	while ((c = getopt_long(argc, argv, "hm:", opts, NULL)) != -1) {
		switch (c) {
		case 'm': {
			char *end;
			max = strtol(optarg, &end, 10);
			if (*end || max < 1 || max > 2000) {
				app_error("search-remote: --max takes a number from 1 to 2000");
				return EXIT_USAGE;
			}
			break;
		}
		case 'h':
			printf("usage: lectern search-remote [--max N] QUERY...\n"
			       "Plain words and \"phrases\" are searched everywhere (all:WORD); prefixed terms "
			       "(ti: au: abs: cat: ...) and AND/OR/ANDNOT pass through to arXiv; -WORD becomes "
			       "ANDNOT, after:/before:/date: a submittedDate range; is: filters are dropped.\n");
			return EXIT_OK;
		default:
			app_error("search-remote: usage: lectern search-remote [--max N] QUERY...");
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		app_error("search-remote: what should I search for? usage: lectern search-remote QUERY");
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
		app_error("search-remote: %s", e.msg);
		sbuf_free(&q);
		return EXIT_RUNTIME;
	}
	env.on_paper = collect;
	env.paper_ctx = &found;
	struct fetch_event done = { .n_total = -1 };
	env.on_event = on_search_event;
	env.ctx = &done;
	long n = 0;
	int rc = fetch_search_env(&env, q.s, max, &n, &e);
	fetch_env_fini(&env);
	sbuf_free(&q);
	if (rc < 0) {
		app_error("search-remote: %s", e.msg);
		sbuf_free(&found);
		return e.kind == LERR_USAGE ? EXIT_USAGE : EXIT_RUNTIME;
	}
	printf("%ld paper%s found and merged into the cache (%ld new", n, n == 1 ? "" : "s",
	       done.n_new);
	if (done.n_total > n)
		printf("; arXiv has %ld matches, use --max for more", done.n_total);
	printf(")\n");
	if (found.s)
		fputs(found.s, stdout);
	sbuf_free(&found);
	return EXIT_OK;
}

/* `lectern pdf`: progress on stderr when it is a terminal, redrawn in place. */
struct pdf_cli {
	struct progress pr;
};

static void fmt_mb(int64_t n, char *buf, size_t cap)
{
	snprintf(buf, cap, "%.1f MB", (double)n / 1e6);
}

static void on_pdf_event(void *ctx, const struct fetch_event *ev)
{
	struct pdf_cli *pc = ctx;
	if (!pc->pr.tty)
		return;
	char have[32], total[32];
	switch (ev->kind) {
	case FETCH_EV_START:
		draw(&pc->pr, false, "%s  downloading the PDF...", ev->message);
		break;
	case FETCH_EV_PROGRESS:
		fmt_mb(ev->done, have, sizeof have);
		fmt_mb(ev->total, total, sizeof total);
		if (ev->total > 0)
			draw(&pc->pr, false, "%s  %s of %s (%d%%)", ev->message, have, total,
			     (int)(100.0 * (double)ev->done / (double)ev->total));
		else
			draw(&pc->pr, false, "%s  %s", ev->message, have);
		break;
	case FETCH_EV_DONE:
	case FETCH_EV_FAILED:
		if (pc->pr.shown)
			draw(&pc->pr, false, "%s", "");
		fputc('\r', stderr);
		break;
	case FETCH_EV_IDLE:
		break;
	}
}

int cmd_pdf(const struct app *a, int argc, char **argv)
{
	struct option opts[CLI_MAX_OPTS];
	cli_longopts("pdf", opts);
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			printf("usage: lectern pdf ID...\n"
			       "Downloads each paper's PDF to pdf-dir (resuming a cut download) and prints "
			       "its path.\n");
			return EXIT_OK;
		default:
			app_error("pdf: usage: lectern pdf ID...");
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		app_error("pdf: which paper? usage: lectern pdf ID...");
		return EXIT_USAGE;
	}
	struct fetch_env env;
	struct lerr e = {0};
	if (fetch_env_init(&env, a->cfg, a->db_path, &e) < 0) {
		app_error("pdf: %s", e.msg);
		return EXIT_RUNTIME;
	}
	struct pdf_cli pc = { .pr = { .cfg = a->cfg, .tty = isatty(STDERR_FILENO) == 1 } };
	env.on_event = on_pdf_event;
	env.ctx = &pc;
	int rc = EXIT_OK;
	for (int i = optind; i < argc; i++) {
		char *path = NULL;
		lerr_clear(&e);
		if (fetch_pdf(&env, argv[i], &path, &e) < 0) {
			char *id = text_clean(argv[i], strlen(argv[i]), TEXT_COLLAPSE);
			char *msg = text_clean(e.msg, strlen(e.msg), TEXT_COLLAPSE);
			app_error("pdf: %s: %s", id, msg);
			free(id);
			free(msg);
			rc = EXIT_RUNTIME;
			continue;
		}
		printf("%s\n", path);
		fflush(stdout);
		free(path);
	}
	if (polite_warning(env.polite))
		app_error("note: %s", polite_warning(env.polite));
	fetch_env_fini(&env);
	return rc;
}
