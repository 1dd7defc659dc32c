/* cli — the cache commands: list, show, fav/unfav, read/unread, export, import.
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "lectern/cli.h"
#include "lectern/cli_table.h"
#include "lectern/export.h"
#include "lectern/feed.h"
#include "lectern/latex.h"
#include "lectern/paper.h"
#include "lectern/paper_fields.h"
#include "lectern/query.h"
#include "lectern/rank.h"
#include "lectern/store.h"
#include "lectern/sync.h"
#include "lectern/text.h"
#include "lectern/util.h"

static const char not_found_hint[] = "(try `lectern fetch` or `lectern search-remote`)";

/* ---- shared helpers ------------------------------------------------------------------------ */


/* One paper in full into *p (paper_init'ed by the caller). store_get normalises the id (versions,
 * URLs) and tells an unknown one apart, which gets the hint. Returns 0, or -1 after printing. */
static int get_paper(struct store *s, const char *cmd, const char *id, struct paper *p)
{
	struct lerr e = {0};

	if (store_get(s, id, p, &e) == 0)
		return 0;
	if (e.kind == LERR_NOTFOUND)
		app_error("no paper %s in the cache %s", id, not_found_hint);
	else
		app_error("%s %s: %s", cmd, id, e.msg);
	return -1;
}

/* getopt_long with our conventions: no message from getopt itself, a usage error from us.
 * Returns the option, or -1 at the end; on a bad option prints the error and returns '?'. */
static int next_opt(const char *cmd, int argc, char **argv, const char *shortopts,
                    const struct option *longopts)
{
	int c = getopt_long(argc, argv, shortopts, longopts, NULL);

	if (c == '?') {
		app_error("%s: unknown option \"%s\"; try `lectern %s --help`", cmd, argv[optind - 1], cmd);
	} else if (c == ':') {
		app_error("%s: option \"%s\" needs a value; try `lectern %s --help`", cmd, argv[optind - 1], cmd);
		c = '?';
	}
	return c;
}

static void reset_getopt(void)
{
	optind = 0;   /* 0: glibc re-initialises, so each command parses from scratch */
	opterr = 0;
}

static int parse_count(const char *cmd, const char *opt, const char *s, long *out)
{
	char *end;

	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0) {
		app_error("%s: %s wants a number of papers (0 = no limit), not \"%s\"", cmd, opt, s);
		return -1;
	}
	*out = v;
	return 0;
}

/* The sync folder of the cache open for writing (set sync-dir): its changes are logged there. */
static struct sync *cache_sync;

static void warn_stderr(void *ctx, const char *msg)
{
	(void)ctx;
	app_error("%s", msg);
}

/* Closes the cache opened by open_cache (and its sync folder first: it holds the hook). */
static void close_cache(struct store **s)
{
	sync_close(&cache_sync);
	store_close(s);
}

/* Opens the cache. Read commands (write == false) open it read-only and report a missing file
 * through *missing (an empty cache, not an error). */
static struct store *open_cache(const struct app *a, bool write, bool create, bool *missing)
{
	struct lerr e = {0};

	if (missing)
		*missing = false;
	if (!create && strcmp(a->db_path, ":memory:") != 0 && access(a->db_path, F_OK) != 0 &&
	    errno == ENOENT) {
		if (missing) {
			*missing = true;
			return NULL;
		}
		app_error("no cache at %s yet (run `lectern fetch` first)", a->db_path);
		return NULL;
	}
	struct store *s = store_open(a->db_path, (write ? 0 : STORE_READONLY) | (create ? 0 : STORE_NOCREATE), &e);
	if (!s) {
		app_error("cannot open the cache %s: %s", a->db_path, e.msg);
		return NULL;
	}
	cli_config_watches(s, a->cfg);
	if (write && store_is_readonly(s)) {
		if (store_readonly_reason(s))
			app_error("cannot save to %s: %s; nothing was changed, and what is stored is kept",
			          a->db_path, store_readonly_reason(s));
		else
			app_error("cannot save to %s: it is read-only (check its permissions)", a->db_path);
		store_close(&s);
	}
	if (s && write && a->cfg->sync_dir &&
	    !(cache_sync = sync_open(s, a->cfg->sync_dir, warn_stderr, NULL, &e))) {
		app_error("%s (set sync-dir); nothing was changed", e.msg);
		store_close(&s);
	}
	return s;
}

/* A cleaned copy of s for the terminal (caller frees); "" for NULL. */
static char *clean(const char *s, int flags)
{
	return text_clean(s ? s : "", s ? strlen(s) : 0, flags);
}

/* Text for people: cleaned, and its LaTeX rendered as Unicode as the reader shows it (JSON,
 * BibTeX and the other exports keep LaTeX as sent). */
static char *rendered(const char *s, int flags)
{
	char *c = clean(s, flags);
	char *r = latex_render(c, LATEX_PLAIN);

	free(c);
	return r;
}

/* Why a write failed, in the words the user looks for. */
static const char *write_error(int err)
{
	return err == ENOSPC ? "the disk is full" : err == EDQUOT ? "the disk quota is used up"
	                                                          : strerror(err);
}

static int finish_output(FILE *f, const char *what)
{
	if (fflush(f) != 0 || ferror(f)) {
		app_error("cannot write %s: %s", what, write_error(errno));
		return EXIT_RUNTIME;
	}
	return EXIT_OK;
}

/* ---- what to list: options shared by list and export ----------------------------------------- */

struct selection {
	bool fav, unread, hidden;
	const char *query, *source, *day;
	char day_buf[16];        /* --day as YYYY-MM-DD (it may be given as today, -3...) */
	int sort;                /* enum store_sort, -1 when not given */
	long limit;              /* -1 when not given */
	struct sbuf q;           /* the query actually used */
};

/* Handles a view option; returns 1 when c was one, 0 when not, -1 on a usage error. */
static int selection_opt(struct selection *sel, const char *cmd, int c, const char *arg)
{
	switch (c) {
	case OPT_FAV: sel->fav = true; return 1;
	case OPT_UNREAD: sel->unread = true; return 1;
	case OPT_HIDDEN: sel->hidden = true; return 1;
	case OPT_QUERY: sel->query = arg; return 1;
	case OPT_SOURCE: sel->source = arg; return 1;
	case OPT_DAY: {
		int64_t start, end;
		if (util_parse_period(arg, &start, &end) < 0 || end - start != 86400) {
			app_error("%s: --day wants a day like 2025-11-19, today, yesterday or -3 (days "
			          "ago), not \"%s\"", cmd, arg);
			return -1;
		}
		util_fmt_date(start, sel->day_buf, sizeof sel->day_buf);
		sel->day = sel->day_buf;
		return 1;
	}
	case OPT_SORT:
		if (!strcmp(arg, "date"))
			sel->sort = STORE_SORT_DATE;
		else if (!strcmp(arg, "upvotes"))
			sel->sort = STORE_SORT_UPVOTES;
		else if (!strcmp(arg, "relevance"))
			sel->sort = STORE_SORT_RELEVANCE;
		else {
			app_error("%s: --sort is date, upvotes or relevance, not \"%s\"", cmd, arg);
			return -1;
		}
		return 1;
	case OPT_LIMIT:
		return parse_count(cmd, "--limit", arg, &sel->limit) < 0 ? -1 : 1;
	default:
		return 0;
	}
}

/* Builds the store view. Only one list filter exists per view, so the other flags become
 * query terms (is:fav, is:unread), which the search syntax supports. */
static int selection_view(struct selection *sel, const struct app *a, const char *cmd,
                          enum store_sort default_sort, struct store_view *v)
{
	memset(v, 0, sizeof *v);
	v->hide_replacements = a->cfg->hide_replacements;
	if (sel->query)
		sbuf_adds(&sel->q, sel->query);
	if (sel->day && !sel->source) {
		v->filter = STORE_VIEW_HF_DAY;
		v->day = sel->day;
	} else if (sel->source) {
		/* A source is selected by its name or its type, as `fetch` does. */
		const struct config_source *src = config_find_source(a->cfg, sel->source);
		if (!src) {
			struct sbuf names = {0};
			for (size_t i = 0; i < a->cfg->n_sources; i++)
				sbuf_printf(&names, "%s%s", i ? ", " : "", a->cfg->sources[i].name);
			app_error("%s: unknown source \"%s\" (configured: %s)", cmd, sel->source,
			          names.s ? names.s : "none");
			sbuf_free(&names);
			return -1;
		}
		v->filter = STORE_VIEW_SOURCE;
		v->source = src->name;
		v->day = sel->day;   /* NULL, or that source's listing of the day */
	} else if (sel->fav) {
		v->filter = STORE_VIEW_FAVOURITES;
		sel->fav = false;
	} else if (sel->unread) {
		v->filter = STORE_VIEW_UNREAD;
		sel->unread = false;
	}
	if (sel->fav)
		sbuf_printf(&sel->q, "%sis:fav", sel->q.len ? " " : "");
	if (sel->unread)
		sbuf_printf(&sel->q, "%sis:unread", sel->q.len ? " " : "");
	v->query = sel->q.len ? sel->q.s : NULL;
	v->hidden = sel->hidden ? STORE_HIDDEN_IN : STORE_HIDDEN_OUT;
	v->sort = sel->sort >= 0 ? (enum store_sort)sel->sort : default_sort;
	return 0;
}

/* A search ranks by relevance; a Daily Papers day by upvotes, as huggingface.co/papers does. */
static enum store_sort default_sort(const struct selection *sel)
{
	return sel->query ? STORE_SORT_RELEVANCE
	       : sel->day && !sel->source ? STORE_SORT_UPVOTES : STORE_SORT_DATE;
}

/* store_each's error: a malformed query is the user's (exit 2), anything else a runtime error. */
static int each_failed(const char *cmd, const struct lerr *e)
{
	if (e->kind == LERR_USAGE) {
		app_error("%s: %s", cmd, e->msg);
		return EXIT_USAGE;
	}
	app_error("%s: %s", cmd, e->msg);
	return EXIT_RUNTIME;
}

/* ---- list ------------------------------------------------------------------------------------ */

static const char list_usage[] =
	"usage: lectern list [--favourites] [--unread] [--hidden] [--query Q]\n"
	"                    [--sort date|upvotes|relevance] [--limit N] [--format text|json]\n"
	"                    [--source NAME] [--day YYYY-MM-DD]\n"
	"\n"
	"Lists cached papers, newest first (by relevance with --query).\n"
	"  --favourites      only favourites\n"
	"  --unread          only papers not marked read\n"
	"  --hidden          also the papers hidden with x / lectern hide (only they: is:hidden)\n"
	"  --query Q         search (see SEARCH SYNTAX in lectern(1)), e.g. 'au:hinton cat:cs.LG'\n"
	"  --sort KEY        date, upvotes or relevance\n"
	"  --limit N         at most N papers (default 50 for text, all for json; 0 = all)\n"
	"  --format FMT      text (one line a paper) or json (JSON Lines, as import reads)\n"
	"  --source NAME     papers listed by this source\n"
	"  --day DAY         papers on Hugging Face Daily Papers of DAY (YYYY-MM-DD, today,\n"
	"                    yesterday, -N days ago), most upvoted first; with --source, that\n"
	"                    source's listing of DAY (an arXiv announcement day), in its order\n";

struct list_ctx {
	bool json;
	long n;
};

static int list_json(void *ctx, const struct paper *p)
{
	struct list_ctx *lc = ctx;

	lc->n++;
	export_json_line(stdout, p);
	return ferror(stdout) ? 1 : 0;
}

/* One text line from a list row (row.date: an undated paper shows its listing day). */
static void list_line(const struct store_row *r)
{
	char date[16] = "          ", votes[24] = "";
	if (r->date)
		util_fmt_date(r->date, date, sizeof date);
	if (r->upvotes >= 0)
		snprintf(votes, sizeof votes, "%lld", (long long)r->upvotes);
	char *id = clean(r->id, TEXT_COLLAPSE), *title = rendered(r->title, TEXT_COLLAPSE);
	char *author = r->first_author ? clean(r->first_author, TEXT_COLLAPSE) : NULL;
	char *label = paper_org_label(r->organization, r->org_submitter);
	char *org = label ? clean(label, TEXT_COLLAPSE) : NULL;
	free(label);
	printf("%s %5s %c %-10s  %s%s", date, votes, r->favourite ? '*' : ' ', id,
	       r->withdrawn ? "[withdrawn] " : "", *title ? title : "(untitled)");
	if (author && *author)
		printf(" — %s%s", author, r->n_authors > 1 ? " et al." : "");
	if (org && *org)
		printf(author && *author ? " / %s" : " — %s", org);
	putchar('\n');
	free(id);
	free(title);
	free(author);
	free(org);
}

static int list_row(void *ctx, const struct store_row *r)
{
	struct list_ctx *lc = ctx;
	lc->n++;
	list_line(r);
	return ferror(stdout) ? 1 : 0;
}

int cmd_list(const struct app *a, int argc, char **argv)
{
	const char *cmd = argv[0];
	struct option opts[CLI_MAX_OPTS];
	struct selection sel = {.sort = -1, .limit = -1};
	bool json = false;
	int c, r;

	cli_longopts(cmd, opts);
	reset_getopt();
	while ((c = next_opt(cmd, argc, argv, ":n:q:", opts)) != -1) {
		if (c == 'n')
			c = OPT_LIMIT;
		else if (c == 'q')
			c = OPT_QUERY;
		if ((r = selection_opt(&sel, cmd, c, optarg)) == 1)
			continue;
		if (r < 0)
			return EXIT_USAGE;
		switch (c) {
		case OPT_HELP:
		case OPT_SYNTAX_MDOC: {
			/* the search syntax comes from the query module's table (query.h) */
			struct sbuf b = {0};
			if (c == OPT_HELP) {
				sbuf_adds(&b, list_usage);
				sbuf_adds(&b, "\nSearch syntax (all terms must match unless OR says otherwise):\n");
				query_help_text(&b, 2);
			} else {
				query_help_mdoc(&b);
			}
			fputs(b.s, stdout);
			sbuf_free(&b);
			return EXIT_OK;
		}
		case OPT_FORMAT:
			if (!strcmp(optarg, "json") || !strcmp(optarg, "jsonl"))
				json = true;
			else if (!strcmp(optarg, "text"))
				json = false;
			else {
				app_error("%s: --format is text or json, not \"%s\"", cmd, optarg);
				return EXIT_USAGE;
			}
			break;
		default:
			if (c != '?')
				app_error("%s: unknown option \"%s\"; try `lectern %s --help`", cmd, argv[optind - 1], cmd);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		app_error("%s: unexpected argument \"%s\" (a search goes in --query)", cmd, argv[optind]);
		return EXIT_USAGE;
	}

	struct store_view v;
	if (selection_view(&sel, a, cmd, default_sort(&sel), &v) < 0) {
		sbuf_free(&sel.q);
		return EXIT_USAGE;
	}
	long limit = sel.limit >= 0 ? sel.limit : json ? 0 : 50;
	v.rank_all = limit == 0;   /* every match, ranked: one sorted pass (store_each_row) */
	bool missing;
	struct store *s = open_cache(a, false, false, &missing);
	if (!s) {
		sbuf_free(&sel.q);
		if (missing && isatty(STDOUT_FILENO))   /* a person, not a script: say what to do */
			app_note("(the cache %s is empty: `lectern fetch` fills it)", a->db_path);
		return missing ? EXIT_OK : EXIT_RUNTIME;   /* no cache yet: nothing to list */
	}
	struct list_ctx lc = {.json = json};
	struct lerr e = {0};
	int rc = EXIT_OK;
	if ((json ? store_each(s, &v, (size_t)limit, list_json, &lc, &e)
	          : store_each_row(s, &v, (size_t)limit, list_row, &lc, &e)) != 0 && e.kind != LERR_NONE)
		rc = each_failed(cmd, &e);
	if (rc == EXIT_OK)
		rc = finish_output(stdout, "the list");
	if (rc == EXIT_OK && lc.n == 0 && !v.query && v.filter == STORE_VIEW_ALL &&
	    isatty(STDOUT_FILENO))
		app_note("(the cache %s is empty: `lectern fetch` fills it)", a->db_path);
	/* A prefix searched in titles only is said (stderr: a pipe's reader sees it too). */
	if (rc == EXIT_OK && *store_narrowed(s))
		app_note("(%s*: searched in titles, authors and organisations only — a prefix that "
		         "begins more than 48 of the cache's words reaches abstracts with more letters "
		         "or beside another word)", store_narrowed(s));
	/* Tell a person (not a pipe) when the default limit hid papers. */
	if (rc == EXIT_OK && !json && sel.limit < 0 && lc.n == limit && isatty(STDOUT_FILENO)) {
		/* Only "more or not": ranked search counts a bounded candidate set, not every match. */
		if (store_count(s, &v, limit + 1, &e) > limit)
			app_note("(the first %ld papers; --limit N or --limit 0 shows more)", limit);
	}
	close_cache(&s);
	sbuf_free(&sel.q);
	return rc;
}

/* ---- show ------------------------------------------------------------------------------------ */

static const char show_usage[] =
	"usage: lectern show ID [--format text|json] [--sources]\n"
	"\n"
	"Shows one cached paper in full. ID is an arXiv id (2501.01234, hep-th/9901001, with or\n"
	"without a version or URL) or another id as `lectern list` prints it.\n"
	"  --sources         which kind of source gave each field instead (\"title: arXiv\")\n";

static int print_field_source(void *ctx, const char *field, enum paper_source_kind kind)
{
	(void)ctx;
	printf("%s: %s\n", field, paper_source_kind_name(kind));
	return 0;
}

/* Writes text word-wrapped to `width` columns from column `indent` (text_wrap's TEXT_WRAP_WORDS):
 * continuation lines start with `indent` spaces, a "\n" in text starts a paragraph after an empty
 * line, words are joined by one space. */
static void wrap(FILE *f, const char *text, int indent, int width)
{
	struct text_line *ls;
	size_t n = text_wrap(text, width - indent, TEXT_WRAP_WORDS, &ls);

	for (size_t k = 0; k < n; k++) {
		if (k)
			fprintf(f, "%s%*s", ls[k].para ? "\n\n" : "\n", indent, "");
		bool sep = false;
		for (const char *p = text + ls[k].start, *e = text + ls[k].end; p < e;) {
			const char *sp = memchr(p, ' ', (size_t)(e - p));
			size_t wl = sp ? (size_t)(sp - p) : (size_t)(e - p);
			if (wl) {
				if (sep)
					fputc(' ', f);
				fwrite(p, 1, wl, f);
				sep = true;
			}
			p += wl ? wl : 1;
		}
	}
	fputc('\n', f);
	free(ls);
}

enum { LABEL_W = 14 };

static void field(const char *label, const char *value, int flags, int width)
{
	if (!value || !*value)
		return;
	char *v = clean(value, flags);
	printf("%-*s", LABEL_W, label);
	wrap(stdout, v, LABEL_W, width);
	free(v);
}

static int terminal_width(void)
{
	struct winsize ws;

	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
		return ws.ws_col > 100 ? 100 : ws.ws_col;
	return 80;
}

/* One row of the field table (paper_fields.h), as `show` prints it: "label  value" wrapped
 * under the value column, or a section (its label, when any, on a line of its own) indented. */
static void show_field(const struct paper_field *f, const struct paper *p, int width)
{
	const struct paper_field_view *v = &f->view[PAPER_OUT_SHOW];
	const char *label;
	char *text = paper_field_text(f, p, PAPER_OUT_SHOW, &label);

	if (v->kind == PAPER_FIELD_LINE) {
		field(label, text, v->clean, width);
	} else if (text && *text) {
		/* each "\n" is a paragraph break; wrap() keeps it */
		char *c = v->latex ? rendered(text, v->clean) : clean(text, v->clean);
		printf("\n%s%s  ", label ? label : "", label ? "\n" : "");
		wrap(stdout, c, 2, width);
		free(c);
	}
	free(text);
}

static void show_text(const struct paper *p)
{
	int width = terminal_width();

	char *title = rendered(p->title ? p->title : "(untitled)", TEXT_COLLAPSE);
	wrap(stdout, title, 0, width);
	free(title);
	putchar('\n');

	size_t nf;
	const struct paper_field *const *fs = paper_fields(PAPER_OUT_SHOW, &nf);
	for (size_t i = 0; i < nf; i++)
		show_field(fs[i], p, width);

	size_t n;
	struct paper_link *links = paper_links(p, &n);
	for (size_t i = 0; i < n; i++)   /* the URLs in one column up to [99] */
		printf("%s  [%zu] %-*s %s\n", i ? "" : "\nlinks\n", i + 1, i + 1 >= 10 ? 12 : 13,
		       links[i].label, links[i].url);
	free(links);
}

int cmd_show(const struct app *a, int argc, char **argv)
{
	const char *cmd = argv[0];
	struct option opts[CLI_MAX_OPTS];
	bool json = false, sources = false;
	int c;

	cli_longopts(cmd, opts);
	reset_getopt();
	while ((c = next_opt(cmd, argc, argv, ":", opts)) != -1) {
		if (c == OPT_HELP) {
			fputs(show_usage, stdout);
			return EXIT_OK;
		}
		if (c == OPT_SOURCES) {
			sources = true;
			continue;
		}
		if (c == OPT_FORMAT && (!strcmp(optarg, "json") || !strcmp(optarg, "text"))) {
			json = !strcmp(optarg, "json");
			continue;
		}
		if (c == OPT_FORMAT)
			app_error("%s: --format is text or json, not \"%s\"", cmd, optarg);
		else if (c != '?')
			app_error("%s: unknown option \"%s\"; try `lectern %s --help`", cmd, argv[optind - 1], cmd);
		return EXIT_USAGE;
	}
	if (argc - optind != 1) {
		app_error("%s: %s; usage: lectern show ID [--format text|json] [--sources]", cmd,
		          argc - optind < 1 ? "which paper? give its id" : "give one id");
		return EXIT_USAGE;
	}
	const char *id = argv[optind];
	bool missing;
	struct store *s = open_cache(a, false, false, &missing);
	if (!s) {
		if (!missing)
			return EXIT_RUNTIME;
		app_error("no paper %s in the cache %s", id, not_found_hint);
		return EXIT_RUNTIME;
	}
	struct paper p;
	int rc = EXIT_OK;
	paper_init(&p);
	if (get_paper(s, cmd, id, &p) != 0) {
		rc = EXIT_RUNTIME;
	} else {
		if (sources)
			store_field_sources(&p, print_field_source, NULL);
		else if (json)
			export_json_line(stdout, &p);
		else
			show_text(&p);
		rc = finish_output(stdout, "the paper");
	}
	paper_clear(&p);
	close_cache(&s);
	return rc;
}

/* ---- fav / unfav / read / unread --------------------------------------------------------------- */

enum user_flag { UF_FAV, UF_READ, UF_HIDE };

static int set_state(const struct app *a, int argc, char **argv, enum user_flag flag)
{
	static const char *const what[][2] = {
		[UF_FAV] = {"Removes papers from the favourites.", "Marks papers as favourites."},
		[UF_READ] = {"Marks papers as unread.", "Marks papers as read."},
		[UF_HIDE] = {"Shows hidden papers again.", "Hides papers (not interested): they leave "
		             "every list and search but is:hidden\n(list --hidden), and teach the "
		             "ranker what you do not want. A favourite cannot be\nhidden."},
	};
	const char *cmd = argv[0];
	struct option opts[CLI_MAX_OPTS];
	bool on = strncmp(cmd, "un", 2) != 0;
	int c;

	cli_longopts(cmd, opts);
	reset_getopt();
	while ((c = next_opt(cmd, argc, argv, ":", opts)) != -1) {
		if (c == OPT_HELP) {
			printf("usage: lectern %s ID...\n\n%s\n", cmd, what[flag][on]);
			return EXIT_OK;
		}
		if (c != '?')
			app_error("%s: unknown option \"%s\"; try `lectern %s --help`", cmd, argv[optind - 1], cmd);
		return EXIT_USAGE;
	}
	if (optind >= argc) {
		app_error("%s: which paper? usage: lectern %s ID...", cmd, cmd);
		return EXIT_USAGE;
	}
	bool missing;
	struct store *s = open_cache(a, true, false, &missing);
	if (!s) {
		if (missing)
			app_error("no paper %s in the cache %s", argv[optind], not_found_hint);
		return EXIT_RUNTIME;
	}
	int rc = EXIT_OK;
	for (int i = optind; i < argc; i++) {
		struct paper p;
		struct lerr e = {0};
		paper_init(&p);
		if (get_paper(s, cmd, argv[i], &p) != 0) {
			rc = EXIT_RUNTIME;
		} else if ((flag == UF_FAV ? store_set_favourite(s, p.id, on, &e)
		            : flag == UF_READ ? store_set_read(s, p.id, on, &e)
		            : store_set_hidden(s, p.id, on, &e)) != 0) {
			if (e.kind == LERR_USAGE)   /* a favourite cannot be hidden: nothing was written */
				app_error("%s: %s", cmd, e.msg);
			else
				app_error("%s %s: cannot save: %s", cmd, argv[i], e.msg);
			rc = EXIT_RUNTIME;
		}
		paper_clear(&p);
	}
	close_cache(&s);
	return rc;
}

int cmd_fav(const struct app *a, int argc, char **argv)
{
	return set_state(a, argc, argv, UF_FAV);
}

int cmd_hide(const struct app *a, int argc, char **argv)
{
	return set_state(a, argc, argv, UF_HIDE);
}

int cmd_read(const struct app *a, int argc, char **argv)
{
	return set_state(a, argc, argv, UF_READ);
}

/* ---- note / tag ------------------------------------------------------------------------------- */

static const char note_usage[] =
	"usage: lectern note ID [TEXT...]\n"
	"       lectern note --clear ID\n"
	"\n"
	"Prints a paper's note, or sets it to TEXT (the words joined by spaces).\n";
static const char tag_usage[] =
	"usage: lectern tag ID [TAG...]\n"
	"       lectern tag --remove ID TAG...\n"
	"       lectern tag --clear ID\n"
	"\n"
	"Prints a paper's tags, or adds TAGs (commas and spaces separate tags, a leading # is\n"
	"dropped); --remove takes them away, --clear removes them all.\n";

/* The words of argv[from..argc) joined by single spaces; NULL when there are none. */
static char *join_words(int argc, char **argv, int from)
{
	struct sbuf b = {0};
	for (int i = from; i < argc; i++)
		sbuf_printf(&b, "%s%s", i > from ? " " : "", argv[i]);
	return b.s;
}

/* Tags of have without the tags of drop (both normalised). */
static char *tags_without(const char *have, const char *drop)
{
	struct sbuf b = {0};
	char *h = xstrdup(have ? have : ""), *save = NULL;
	for (char *w = strtok_r(h, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		bool gone = false;
		for (const char *d = drop; *d && !gone;) {
			size_t m = strcspn(d, " ");
			gone = m == strlen(w) && !strncasecmp(d, w, m);   /* as tag: matches */
			d += m;
			d += *d == ' ';
		}
		if (!gone)
			sbuf_printf(&b, "%s%s", b.len ? " " : "", w);
	}
	free(h);
	return sbuf_steal(&b);
}

/* note and tag: read or change one paper's user state. */
static int user_text(const struct app *a, int argc, char **argv, bool tags)
{
	struct option opts[CLI_MAX_OPTS];
	const char *cmd = argv[0];
	bool clear = false, remove = false;
	int c;

	cli_longopts(cmd, opts);
	reset_getopt();
	while ((c = next_opt(cmd, argc, argv, tags ? "+:cr" : "+:c", opts)) != -1) {
		switch (c) {
		case 'c': clear = true; break;
		case 'r': remove = tags; break;
		case 'h': fputs(tags ? tag_usage : note_usage, stdout); return EXIT_OK;
		default:
			if (c != '?')
				app_error("%s: unknown option \"%s\"; try `lectern %s --help`", cmd,
				          argv[optind - 1], cmd);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc || (clear && optind + 1 < argc) || (remove && optind + 1 >= argc)) {
		app_error("%s: usage: %s", cmd, tags ? "lectern tag [--remove|--clear] ID [TAG...]"
		                                    : "lectern note [--clear] ID [TEXT...]");
		return EXIT_USAGE;
	}
	const char *id = argv[optind];
	char *text = join_words(argc, argv, optind + 1);
	bool change = clear || text;
	bool missing;
	struct store *s = open_cache(a, change, false, &missing);
	if (!s) {
		if (missing)
			app_error("no paper %s in the cache %s", id, not_found_hint);
		free(text);
		return EXIT_RUNTIME;
	}
	struct paper p;
	struct lerr e = {0};
	int rc = EXIT_OK;
	paper_init(&p);
	if (get_paper(s, cmd, id, &p) != 0) {
		rc = EXIT_RUNTIME;
	} else if (!change) {
		char *cur = clean(tags ? p.tags : p.note, 0);
		if (*cur)
			puts(cur);
		free(cur);
		rc = finish_output(stdout, tags ? "the tags" : "the note");
	} else {
		char *val;
		if (!tags) {
			val = xstrdup(clear ? "" : text);
		} else {
			char *given = paper_normalise_tags(text);
			if (!clear && !*given) {
				app_error("%s: \"%s\" holds no tag (tags are words; commas and spaces "
				          "separate them)", cmd, text);
				free(given);
				paper_clear(&p);
				free(text);
				close_cache(&s);
				return EXIT_USAGE;
			}
			if (clear) {
				val = xstrdup("");
			} else if (remove) {
				val = tags_without(p.tags, given);
			} else {
				char *both = xasprintf("%s %s", p.tags ? p.tags : "", given);
				val = paper_normalise_tags(both);
				free(both);
			}
			free(given);
		}
		if ((tags ? store_set_tags(s, p.id, *val ? val : NULL, &e)
		          : store_set_note(s, p.id, *val ? val : NULL, &e)) != 0) {
			app_error("%s %s: cannot save: %s", cmd, id, e.msg);
			rc = EXIT_RUNTIME;
		}
		free(val);
	}
	paper_clear(&p);
	free(text);
	close_cache(&s);
	return rc;
}

int cmd_note(const struct app *a, int argc, char **argv)
{
	return user_text(a, argc, argv, false);
}

int cmd_tag(const struct app *a, int argc, char **argv)
{
	return user_text(a, argc, argv, true);
}

/* ---- export ---------------------------------------------------------------------------------- */

static const char export_usage[] =
	"usage: lectern export --format bibtex|json|csv|markdown|atom|lectern-state\n"
	"                      [-o FILE] [--favourites] [--unread]\n"
	"                      [--query Q] [--sort date|upvotes|relevance] [--limit N]\n"
	"                      [--source NAME] [--day YYYY-MM-DD] [--hidden]\n"
	"\n"
	"Writes the selected papers (all cached papers by default) to standard output or FILE.\n"
	"FILE is replaced atomically: it is either the old file or the complete new one.\n"
	"  --format FMT      bibtex (@misc entries, arXiv style), json (JSON Lines, as import\n"
	"                    reads), csv (RFC 4180, with a header), markdown (a list with links)\n"
	"                    or atom (an Atom feed, for any feed reader); lectern-state: every\n"
	"                    favourite, read mark, tag and note as the lines of a sync folder\n"
	"                    (import merges them by the same rules; lectern(5))\n"
	"  -o, --output FILE write to FILE instead of standard output\n"
	"  other options     select papers as for `lectern list`\n";

static int key_one(void *ctx, const struct paper *p)
{
	export_keys_add(ctx, p);
	return 0;
}

static int export_one(void *ctx, const struct paper *p)
{
	struct export_writer *w = ctx;

	export_paper(w, p);
	return ferror(w->f) ? 1 : 0;
}

/* A temporary file beside path (same file system, so rename is atomic). Caller frees *tmp. */
static FILE *open_temp(const char *path, char **tmp)
{
	const char *slash = strrchr(path, '/');
	int dirlen = slash ? (int)(slash - path + 1) : 0;
	*tmp = xasprintf("%.*s.%s.XXXXXX", dirlen, path, slash ? slash + 1 : path);
	int fd = mkstemp(*tmp);
	if (fd < 0)
		return NULL;
	/* mkstemp makes 0600; give the file the mode a plain create (or the old file) would have. */
	struct stat st;
	mode_t mode;
	if (stat(path, &st) == 0) {
		mode = st.st_mode & 07777;
	} else {
		mode_t mask = umask(0);
		umask(mask);
		mode = 0666 & ~mask;
	}
	if (fchmod(fd, mode) != 0) {
		int err = errno;
		close(fd);
		unlink(*tmp);
		errno = err;
		return NULL;
	}
	FILE *f = fdopen(fd, "w");
	if (!f) {
		int err = errno;
		close(fd);
		unlink(*tmp);
		errno = err;
	}
	return f;
}

int cmd_export(const struct app *a, int argc, char **argv)
{
	const char *cmd = argv[0];
	struct option opts[CLI_MAX_OPTS];
	struct selection sel = {.sort = -1, .limit = -1};
	const char *out_path = NULL;
	enum export_format fmt = EXPORT_JSON;
	bool have_fmt = false, state = false;
	int c, r;

	cli_longopts(cmd, opts);
	reset_getopt();
	while ((c = next_opt(cmd, argc, argv, ":o:n:q:", opts)) != -1) {
		if (c == 'n')
			c = OPT_LIMIT;
		else if (c == 'q')
			c = OPT_QUERY;
		else if (c == 'o')
			c = OPT_OUTPUT;
		if ((r = selection_opt(&sel, cmd, c, optarg)) == 1)
			continue;
		if (r < 0)
			return EXIT_USAGE;
		switch (c) {
		case OPT_HELP:
			fputs(export_usage, stdout);
			return EXIT_OK;
		case OPT_FORMAT:
			state = !strcmp(optarg, "lectern-state");
			if (!state && export_parse_format(optarg, &fmt) != 0) {
				app_error("%s: --format is bibtex, json, csv, markdown, atom or lectern-state, "
				          "not \"%s\"", cmd, optarg);
				return EXIT_USAGE;
			}
			have_fmt = true;
			break;
		case OPT_OUTPUT:
			out_path = optarg;
			break;
		default:
			if (c != '?')
				app_error("%s: unknown option \"%s\"; try `lectern %s --help`", cmd, argv[optind - 1], cmd);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		app_error("%s: unexpected argument \"%s\" (the output file goes in -o)", cmd, argv[optind]);
		return EXIT_USAGE;
	}
	if (!have_fmt) {
		app_error("%s: which format? add --format bibtex, json, csv, markdown or atom", cmd);
		return EXIT_USAGE;
	}
	if (out_path && (!*out_path || !strcmp(out_path, "-")))
		out_path = NULL;

	struct store_view v;
	if (selection_view(&sel, a, cmd, STORE_SORT_DATE, &v) < 0) {
		sbuf_free(&sel.q);
		return EXIT_USAGE;
	}
	size_t limit = sel.limit > 0 ? (size_t)sel.limit : 0;
	v.rank_all = limit == 0;   /* every match, ranked */
	bool missing;
	/* the state export gives clocks to state from before sync: it writes */
	struct store *s = open_cache(a, state, false, &missing);
	if (!s && !missing) {
		sbuf_free(&sel.q);
		return EXIT_RUNTIME;
	}

	struct lerr e = {0};
	struct export_keys *keys = NULL;
	int rc = EXIT_OK;
	/* BibTeX keys are settled over the whole selection first (see export.h). */
	if (s && fmt == EXPORT_BIBTEX) {
		keys = export_keys_new();
		if (store_each(s, &v, limit, key_one, keys, &e) != 0 && e.kind != LERR_NONE)
			rc = each_failed(cmd, &e);
		export_keys_finish(keys);
	}

	char *tmp = NULL;
	FILE *f = stdout;
	bool to_temp = false;   /* f is the temporary file that replaces out_path */
	if (rc == EXIT_OK && out_path) {
		if (!(f = open_temp(out_path, &tmp))) {
			app_error("cannot write %s: %s", out_path, write_error(errno));
			rc = EXIT_RUNTIME;
		}
		to_temp = f != NULL;
	}
	struct export_writer w = {.fmt = fmt, .f = f, .keys = keys};
	if (rc == EXIT_OK && state) {
		if (s && sync_export(s, f, &e) < 0) {
			app_error("%s: %s", cmd, e.msg);
			rc = EXIT_RUNTIME;
		}
	} else if (rc == EXIT_OK) {
		export_begin(&w);
		if (s && store_each(s, &v, limit, export_one, &w, &e) != 0 && e.kind != LERR_NONE)
			rc = each_failed(cmd, &e);
		export_end(&w);
	}
	if (to_temp) {
		bool ok = rc == EXIT_OK && fflush(f) == 0 && !ferror(f) && fsync(fileno(f)) == 0;
		int err = errno;
		if (fclose(f) != 0 && ok) {
			err = errno;
			ok = false;
		}
		if (ok && rename(tmp, out_path) != 0) {
			err = errno;
			ok = false;
		}
		if (!ok) {
			unlink(tmp);
			if (rc == EXIT_OK) {
				app_error("cannot write %s: %s (the old file, if any, is unchanged)", out_path,
				          write_error(err));
				rc = EXIT_RUNTIME;
			}
		} else {
			if (state)
				app_note("exported the user state to %s", out_path);
			else
				app_note("exported %ld paper%s to %s", w.n, w.n == 1 ? "" : "s", out_path);
		}
	} else if (rc == EXIT_OK && !out_path) {
		rc = finish_output(stdout, "the export");
	}
	free(tmp);
	export_keys_free(&keys);
	close_cache(&s);
	sbuf_free(&sel.q);
	return rc;
}

/* ---- recommend / similar --------------------------------------------------------------------- */

static const char recommend_usage[] =
	"usage: lectern recommend [--since DAY|-N] [--limit N] [--format text|json|atom]\n"
	"\n"
	"The papers of the last days (set for-you-days, default 3), ranked for you: a model learns\n"
	"from your favourites (f) and the papers you hid (x); with fewer than 5 favourites the\n"
	"papers most like one of them come first. Each says why: the words, authors and categories\n"
	"that weigh most for it, and the favourite it is closest to.\n"
	"  --since DAY       papers since DAY (YYYY-MM-DD, today, yesterday, -N days ago)\n"
	"  --limit N         at most N papers (default 20 for text, all otherwise; 0 = all)\n"
	"  --format FMT      text, json (JSON Lines as list writes, plus score, why, close_to) or\n"
	"                    atom (a feed)\n";
static const char similar_usage[] =
	"usage: lectern similar ID [--limit N] [--format text|json|atom]\n"
	"\n"
	"Papers like paper ID, most alike first, each with the words, authors and categories it\n"
	"shares with it.\n"
	"  --limit N         at most N papers (default 20; 0 = all the candidates)\n"
	"  --format FMT      text, json (JSON Lines, plus score and why) or atom\n";

static void ranked_text(const struct rank_item *it, const struct paper *p)
{
	char *title = rendered(p->title, TEXT_COLLAPSE), *id = clean(p->id, TEXT_COLLAPSE);
	char *why = clean(it->why, TEXT_COLLAPSE);
	printf("%6.3f  %-10s  %s", it->score, id, *title ? title : "(untitled)");
	if (p->n_authors && p->authors[0].name) {
		char *au = clean(p->authors[0].name, TEXT_COLLAPSE);
		printf(" — %s%s", au, p->n_authors > 1 ? " et al." : "");
		free(au);
	}
	printf("\n        why: %s", *why ? why : "(no shared feature)");
	if (it->close) {
		char *close = rendered(it->close, TEXT_COLLAPSE);
		printf(" · close to: %s", close);
		free(close);
	}
	putchar('\n');
	free(title);
	free(id);
	free(why);
}

int cmd_recommend(const struct app *a, int argc, char **argv)
{
	const char *cmd = argv[0];
	bool similar = !strcmp(cmd, "similar");
	struct option opts[CLI_MAX_OPTS];
	long limit = -1;
	int64_t since = util_now() - (int64_t)a->cfg->for_you_days * 86400;
	int fmt = -1;   /* -1 text, else enum export_format */
	int c;
	cli_longopts(cmd, opts);
	reset_getopt();
	while ((c = next_opt(cmd, argc, argv, ":n:", opts)) != -1) {
		switch (c == 'n' ? OPT_LIMIT : c) {
		case OPT_HELP:
			fputs(similar ? similar_usage : recommend_usage, stdout);
			return EXIT_OK;
		case OPT_LIMIT:
			if (parse_count(cmd, "--limit", optarg, &limit) < 0)
				return EXIT_USAGE;
			break;
		case OPT_SINCE: {
			int64_t end;
			if (util_parse_period(optarg, &since, &end) < 0) {
				app_error("%s: --since wants a day like 2025-11-19, today, yesterday or -3 "
				          "(days ago), not \"%s\"", cmd, optarg);
				return EXIT_USAGE;
			}
			break;
		}
		case OPT_FORMAT: {
			enum export_format f;
			if (!strcmp(optarg, "text"))
				fmt = -1;
			else if (export_parse_format(optarg, &f) == 0 && (f == EXPORT_JSON || f == EXPORT_ATOM))
				fmt = (int)f;
			else {
				app_error("%s: --format is text, json or atom, not \"%s\"", cmd, optarg);
				return EXIT_USAGE;
			}
			break;
		}
		default:
			if (c != '?')
				app_error("%s: unknown option \"%s\"; try `lectern %s --help`", cmd,
				          argv[optind - 1], cmd);
			return EXIT_USAGE;
		}
	}
	if (similar ? optind + 1 != argc : optind != argc) {
		app_error(similar ? "%s: which paper? usage: lectern similar ID" : "%s: unexpected "
		          "argument \"%s\"", cmd, optind < argc ? argv[optind] : "");
		return EXIT_USAGE;
	}
	if (limit < 0)
		limit = fmt < 0 || similar ? 20 : 0;
	struct lerr e = {0};
	/* writable when it can be: the trained model is kept in the cache */
	struct store *s = access(a->db_path, F_OK) == 0 || !strcmp(a->db_path, ":memory:")
	                  ? store_open(a->db_path, STORE_NOCREATE, &e) : NULL;
	if (s)
		cli_config_watches(s, a->cfg);
	if (!s) {
		app_error("%s: cannot open the cache %s: %s", cmd, a->db_path,
		          e.msg[0] ? e.msg : "it does not exist yet (run `lectern fetch` first)");
		return EXIT_RUNTIME;
	}
	struct rank_result r;
	int rc = similar ? rank_similar(s, argv[optind], (size_t)limit, &r, &e)
	         : rank_recommend(s, &(struct rank_opts){ .since = since, .limit = (size_t)limit,
	                                                  .seed = 1 }, &r, &e);
	if (rc < 0) {
		app_error("%s: %s", cmd, e.msg);
		store_close(&s);
		return e.kind == LERR_NOTFOUND ? EXIT_RUNTIME : EXIT_RUNTIME;
	}
	if (r.mode == RANK_NO_FAVOURITES)
		app_error("%s: no favourites yet — mark papers with f (or `lectern fav ID`); the "
		          "ranking learns from them", cmd);
	else if (r.mode == RANK_SIMILARITY)
		fprintf(stderr, "lectern: %s: ranked by similarity to your %zu favourite%s (a model is "
		        "trained from %d)\n", cmd, r.n_pos, r.n_pos == 1 ? "" : "s", RANK_MIN_MODEL);
	struct export_writer w = { .fmt = fmt < 0 ? EXPORT_JSON : (enum export_format)fmt,
	                           .f = stdout, .ranked = true,
	                           .title = similar ? "lectern: similar papers" : "lectern: for you" };
	if (fmt >= 0)
		export_begin(&w);
	for (size_t i = 0; i < r.n; i++) {
		struct paper p;
		paper_init(&p);
		if (store_get(s, r.v[i].id, &p, &e) == 0) {
			w.score = r.v[i].score;
			w.why = r.v[i].why;
			w.close = r.v[i].close;
			if (fmt < 0)
				ranked_text(&r.v[i], &p);
			else
				export_paper(&w, &p);
		}
		paper_clear(&p);
	}
	if (fmt >= 0)
		export_end(&w);
	rank_result_free(&r);
	store_close(&s);
	return finish_output(stdout, "the ranking");
}

/* ---- watch / unwatch ------------------------------------------------------------------------ */

static const char watch_usage[] =
	"usage: lectern watch [author|word|cat VALUE...]\n"
	"       lectern unwatch author|word|cat VALUE...\n"
	"\n"
	"Without arguments lists the watches (those of the configuration file marked so). Watching\n"
	"marks the papers of an author (\"Y. Bengio\" is Yoshua Bengio, not Samy Bengio), with a\n"
	"word or words in a row in the title or abstract, or in a category: the reader marks them\n"
	"in every list, W lists them, and is:watched finds them. `watch KIND VALUE` lines in the\n"
	"configuration file watch too; unwatch cannot remove those (edit the file).\n";

void cli_config_watches(struct store *s, const struct config *cfg)
{
	for (size_t i = 0; s && i < cfg->n_watches; i++) {
		const struct config_line *l = &cfg->watches[i];
		int k = store_watch_kind_parse(l->argv[1]);
		char *v = join_words((int)l->argc, l->argv, 2);
		if (k >= 0 && v)
			store_watch_config(s, (enum store_watch_kind)k, v);
		free(v);
	}
}

int cmd_watch(const struct app *a, int argc, char **argv)
{
	const char *cmd = argv[0];
	bool add = !strcmp(cmd, "watch");
	struct option opts[CLI_MAX_OPTS];
	int c;
	cli_longopts(cmd, opts);
	reset_getopt();
	while ((c = next_opt(cmd, argc, argv, "", opts)) != -1) {
		if (c == OPT_HELP) {
			fputs(watch_usage, stdout);
			return EXIT_OK;
		}
		if (c != '?')
			app_error("%s: unknown option \"%s\"; try `lectern %s --help`", cmd,
			          argv[optind - 1], cmd);
		return EXIT_USAGE;
	}
	int k = optind < argc ? store_watch_kind_parse(argv[optind]) : -1;
	if ((optind < argc || !add) && (k < 0 || optind + 1 >= argc)) {
		app_error("%s: usage: lectern %s author|word|cat VALUE", cmd, cmd);
		return EXIT_USAGE;
	}
	bool listing = optind >= argc;
	struct lerr e = {0};
	bool missing;
	struct store *s = open_cache(a, !listing, !listing, &missing);
	if (!s) {
		if (!missing)
			return EXIT_RUNTIME;
		/* no cache yet: the config's watches are all there are */
		for (size_t i = 0; i < a->cfg->n_watches; i++) {
			char *v = join_words((int)a->cfg->watches[i].argc, a->cfg->watches[i].argv, 2);
			printf("%-7s %s  (config)\n", a->cfg->watches[i].argv[1], v);
			free(v);
		}
		return EXIT_OK;
	}
	int rc = EXIT_OK;
	if (listing) {
		struct store_watch *w;
		size_t n;
		if (store_watch_list(s, &w, &n, &e) < 0) {
			app_error("%s: %s", cmd, e.msg);
			rc = EXIT_RUNTIME;
		} else {
			for (size_t i = 0; i < n; i++) {
				char *v = clean(w[i].value, TEXT_COLLAPSE);
				printf("%-7s %s%s\n", store_watch_kind_name(w[i].kind), v,
				       w[i].config ? "  (config)" : "");
				free(v);
			}
			store_watches_free(w, n);
			rc = finish_output(stdout, "the watches");
		}
	} else {
		char *v = join_words(argc, argv, optind + 1);
		if ((add ? store_watch_add(s, (enum store_watch_kind)k, v, &e)
		         : store_watch_remove(s, (enum store_watch_kind)k, v, &e)) < 0) {
			app_error("%s: %s", cmd, e.msg);
			rc = EXIT_RUNTIME;   /* (a config watch, none such, a word without a token) */
		}
		free(v);
	}
	close_cache(&s);
	return rc;
}

/* ---- import ---------------------------------------------------------------------------------- */

static const char import_usage[] =
	"usage: lectern import [--format json|arxiv-snapshot] FILE...\n"
	"\n"
	"Merges papers from JSON Lines files (as written by `lectern list --format json` or\n"
	"`lectern export --format json`; - reads standard input) into the cache, by id.\n"
	"Favourites and read marks in the file are added; existing ones are never cleared.\n"
	"Notes are kept (a different note is appended) and tags are merged.\n"
	"arXiv's metadata snapshot (arxiv-metadata-oai-snapshot.json, one JSON object a line:\n"
	"xzcat snapshot.json.xz | lectern import -) is recognised by its first line, or named\n"
	"with --format arxiv-snapshot; its papers are arXiv's text.\n"
	"On a terminal, stderr shows the papers read, the rate and (for a file) the time left.\n"
	"Malformed lines are reported and skipped; the exit status is 1 when any was.\n";

/* Lines per transaction, for the snapshot's bulk load too: FTS5 keeps the terms of a
 * transaction in memory until its commit (up to the index's 'hashsize', 16 MiB of data each for
 * papers_fts and papers_tfts, ~3x that in the heap): batches of 20,000 papers peaked at 70 MB
 * for 100k papers, 1,000 at 41 MB, at the same CPU time and a 1 % larger cache (bench_ingest). */
enum {
	IMPORT_BATCH = 1000,
	IMPORT_LINE_MAX = 16 << 20,       /* bytes: a longer line is skipped, and never held whole */
};

/* What a file holds: lectern's JSON Lines or arXiv's snapshot (AUTO: as its first line says). */
enum import_fmt { IMPORT_AUTO, IMPORT_JSON, IMPORT_SNAPSHOT };

/* Progress of a long import on a terminal: papers, rate and, when the input's size is known,
 * the time left. Drawn at most four times a second on one stderr line; silent elsewhere. */
struct import_progress {
	bool on;
	FILE *in;
	int64_t size;            /* bytes of a regular file, 0 unknown (a pipe) */
	double t0, drawn;
	const char *name;
};

static void progress_start(struct import_progress *pr, FILE *in, const char *name)
{
	struct stat sb;
	memset(pr, 0, sizeof *pr);
	pr->on = isatty(STDERR_FILENO);
	pr->in = in;
	pr->name = name;
	pr->size = fstat(fileno(in), &sb) == 0 && S_ISREG(sb.st_mode) ? (int64_t)sb.st_size : 0;
	pr->t0 = pr->drawn = util_monotonic();
}

static void progress_draw(struct import_progress *pr, long papers, bool last)
{
	double now = util_monotonic();
	if (!pr->on || (!last && now - pr->drawn < 0.25))
		return;
	pr->drawn = now;
	double rate = now > pr->t0 ? (double)papers / (now - pr->t0) : 0;
	fprintf(stderr, "\r%s: %ld papers, %.0f/s", pr->name, papers, rate);
	off_t at = pr->size ? ftello(pr->in) : -1;
	if (at > 0 && !last) {
		double left = (now - pr->t0) * (double)(pr->size - at) / (double)at;
		fprintf(stderr, ", %d%%, %.0f s left", (int)(100.0 * (double)at / (double)pr->size), left);
	}
	fputs(last ? "\033[K\n" : "\033[K", stderr);
}

/* Feed-derived text is untrusted wherever it comes from: clean it as the parsers do. */
static void clean_field(char **f, int flags)
{
	if (!*f)
		return;
	char *c = text_clean(*f, strlen(*f), flags);
	free(*f);
	*f = *c ? c : (free(c), NULL);
}

static void clean_paper(struct paper *p)
{
	char **one_line[] = {&p->title, &p->primary_category, &p->categories, &p->comment,
	                     &p->journal_ref, &p->doi, &p->url_abs, &p->url_pdf, &p->url_code,
	                     &p->url_project, &p->url_hf, &p->organization, &p->submitter,
	                     &p->ai_keywords, &p->hf_day, &p->thumbnail, &p->tags};
	char **multi[] = {&p->abstract, &p->ai_summary, &p->note};

	for (size_t i = 0; i < ARRAY_LEN(one_line); i++)
		clean_field(one_line[i], TEXT_COLLAPSE);
	for (size_t i = 0; i < ARRAY_LEN(multi); i++)
		clean_field(multi[i], 0);
	for (size_t i = 0; i < p->n_authors; i++) {
		char *n = clean(p->authors[i].name, TEXT_COLLAPSE);
		free(p->authors[i].name);
		p->authors[i].name = n;
		clean_field(&p->authors[i].affiliation, TEXT_COLLAPSE);
	}
}

static bool has_word(const char *list, const char *w, size_t n)
{
	for (const char *s = list; s && *s;) {
		s += strspn(s, " ");
		size_t k = strcspn(s, " ");
		if (k == n && memcmp(s, w, n) == 0)
			return true;
		s += k;
	}
	return false;
}

/* Adds the file's user state to what the cache has, never taking anything away. */
static int merge_user_state(struct store *s, const struct paper *in, const struct paper *old,
                            struct lerr *e)
{
	/* The file's fav_time is kept (an earlier one wins over the cache's). */
	if (in->favourite && (!old->favourite || (in->fav_time > 0 && in->fav_time < old->fav_time)) &&
	    store_set_favourite_at(s, in->id, in->fav_time, e) != 0)
		return -1;
	if (in->read && !old->read && store_set_read(s, in->id, true, e) != 0)
		return -1;
	/* hidden: unless the paper is (or just became) a favourite, which wins */
	if (in->hidden && !old->hidden && !old->favourite && !in->favourite &&
	    store_set_hidden(s, in->id, true, e) != 0)
		return -1;
	if (in->note && *in->note && !(old->note && strstr(old->note, in->note))) {
		char *note = old->note && *old->note ? xasprintf("%s\n\n%s", old->note, in->note) : xstrdup(in->note);
		int r = store_set_note(s, in->id, note, e);
		free(note);
		if (r != 0)
			return -1;
	}
	if (in->tags && *in->tags) {
		struct sbuf t = {0};
		bool added = false;
		if (old->tags)
			sbuf_adds(&t, old->tags);
		for (const char *w = in->tags; *w;) {
			w += strspn(w, " ");
			size_t n = strcspn(w, " ");
			if (n && !has_word(t.s, w, n)) {
				if (t.len)
					sbuf_addc(&t, ' ');
				sbuf_add(&t, w, n);
				added = true;
			}
			w += n;
		}
		int r = added ? store_set_tags(s, in->id, t.s, e) : 0;
		sbuf_free(&t);
		if (r != 0)
			return -1;
	}
	return 0;
}

/* Stores one paper and its listings (the store merges its text, as from an import) and merges
 * its user state; *inserted tells whether it was new. */
static int import_paper(struct store *s, struct paper *p, bool *inserted, struct lerr *e)
{
	struct paper old;
	enum store_upsert_result res = STORE_UNCHANGED;
	int rc;

	paper_init(&old);
	*inserted = false;
	struct lerr ge = {0};
	if (store_get(s, p->id, &old, &ge) != 0 && ge.kind != LERR_NOTFOUND) {
		*e = ge;
		return -1;
	}
	p->source_kind = PAPER_SRC_IMPORT;
	rc = store_import(s, p, &res, e);
	if (rc == 0) {
		*inserted = res == STORE_INSERTED;
		rc = merge_user_state(s, p, &old, e);
	}
	paper_clear(&old);
	return rc;
}

/* Parses one line into an object; NULL with msg set when it is not exactly one JSON value. */
static struct json_object *parse_line(struct json_tokener *tok, const char *line, size_t len,
                                      char *msg, size_t msgn)
{
	json_tokener_reset(tok);
	struct json_object *o = json_tokener_parse_ex(tok, line, (int)len);
	enum json_tokener_error err = json_tokener_get_error(tok);

	if (!o || err != json_tokener_success) {
		json_object_put(o);
		snprintf(msg, msgn, "not valid JSON: %s",
		         err == json_tokener_continue ? "the line ends inside the object"
		                                      : json_tokener_error_desc(err));
		return NULL;
	}
	for (size_t i = json_tokener_get_parse_end(tok); i < len; i++) {
		if (line[i] != ' ' && line[i] != '\t') {
			json_object_put(o);
			snprintf(msg, msgn, "not valid JSON: unexpected text after the object (one paper a line)");
			return NULL;
		}
	}
	return o;
}

struct import_counts {
	long imported, added, skipped, ops, changed;
};

/* The rest of a lectern-state file (first: its first line, already read), merged by the sync
 * folder's rules (sync.h). */
static int import_state(struct store *s, const char *name, FILE *in, const char *first,
                        struct import_counts *n)
{
	struct sbuf b = {0};
	char chunk[65536];
	size_t got;
	sbuf_printf(&b, "%s\n", first);
	while ((got = fread(chunk, 1, sizeof chunk, in)) > 0)
		sbuf_add(&b, chunk, got);
	if (ferror(in)) {
		app_error("cannot read %s: %s", name, strerror(errno));
		sbuf_free(&b);
		return EXIT_RUNTIME;
	}
	FILE *m = fmemopen(b.s, b.len, "r");
	struct sync_stats st = {0};
	struct lerr e = {0};
	int rc = m && sync_import(s, m, name, warn_stderr, NULL, &st, &e) == 0 ? EXIT_OK : EXIT_RUNTIME;
	if (rc != EXIT_OK)
		app_error("%s: cannot import: %s", name, m ? e.msg : strerror(errno));
	if (m)
		fclose(m);
	sbuf_free(&b);
	n->ops += st.ops;
	n->changed += st.changed;
	n->skipped += st.skipped;
	return rc;
}

/* Imports one JSON Lines file (path "-" is standard input) in batches of IMPORT_BATCH lines.
 * Bad lines are reported as FILE:LINE and counted; returns EXIT_OK or EXIT_RUNTIME when the
 * file cannot be read or saved (what was committed before stays). */
static int import_file(struct store *s, const char *cmd, const char *path, enum import_fmt fmt,
                       struct import_counts *n)
{
	bool from_stdin = !strcmp(path, "-");
	const char *name = from_stdin ? "<stdin>" : path;
	FILE *in = from_stdin ? stdin : fopen(path, "r");
	if (!in) {
		app_error("cannot read %s: %s", path, strerror(errno));
		return EXIT_RUNTIME;
	}

	struct import_progress pr;
	progress_start(&pr, in, name);
	struct json_tokener *tok = json_tokener_new();
	struct sbuf buf = {0};
	size_t whole;
	long lineno = 0, in_batch = 0, batch_new = 0, batch_n = 0, batch_first = 1;
	int rc = EXIT_OK;
	struct lerr e = {0};
	char msg[600];

	while (util_read_line(in, &buf, IMPORT_LINE_MAX, &whole)) {
		lineno++;
		if (whole > IMPORT_LINE_MAX) {
			app_note("%s:%ld: a line of %zu bytes, over the %d MiB a paper may take (line "
			         "skipped)", name, lineno, whole, IMPORT_LINE_MAX >> 20);
			n->skipped++;
			continue;
		}
		char *line = buf.s;
		size_t len = buf.len;
		while (len > 0 && line[len - 1] == '\r')
			line[--len] = '\0';
		char *l = line;
		if (lineno == 1 && len >= 3 && !memcmp(l, "\xEF\xBB\xBF", 3)) {   /* a UTF-8 BOM */
			l += 3;
			len -= 3;
		}
		if (strspn(l, " \t") == len)
			continue;
		if (n->imported == 0 && in_batch == 0 && n->skipped == 0 && sync_is_op_line(l)) {
			rc = import_state(s, name, in, l, n);   /* lectern-state: the sync rules */
			break;
		}
		struct json_object *o = parse_line(tok, l, len, msg, sizeof msg);
		struct paper p;
		paper_init(&p);
		if (o && fmt == IMPORT_AUTO)   /* the first record says what the file is */
			fmt = feed_snapshot_is(o) ? IMPORT_SNAPSHOT : IMPORT_JSON;
		if (o && fmt == IMPORT_SNAPSHOT) {
			if (feed_snapshot_paper(o, &p, &e) != 0) {
				snprintf(msg, sizeof msg, "%s", e.msg);
				json_object_put(o);
				o = NULL;
				paper_clear(&p);
			}
		} else if (o && export_paper_from_json(o, &p, &e) != 0) {
			snprintf(msg, sizeof msg, "%s", e.msg);
			json_object_put(o);
			o = NULL;
		} else if (o && !paper_valid_id(p.id)) {
			if (strlen(p.id) > PAPER_ID_MAX)
				snprintf(msg, sizeof msg, "\"id\" is longer than %d bytes", PAPER_ID_MAX);
			else
				snprintf(msg, sizeof msg, "\"id\" must be an arXiv id (2501.01234, hep-th/9901001) or start with doi: or url:");
			json_object_put(o);
			o = NULL;
			paper_clear(&p);
		}
		if (!o) {
			app_note("%s:%ld: %s (line skipped)", name, lineno, msg);
			n->skipped++;
			continue;
		}
		json_object_put(o);
		if (fmt != IMPORT_SNAPSHOT)   /* the snapshot's mapping cleaned it already */
			clean_paper(&p);

		if (in_batch == 0)
			batch_first = lineno;
		if (in_batch == 0 && store_begin(s, &e) != 0) {
			paper_clear(&p);
			app_error("%s: cannot save: %s", cmd, e.msg);
			rc = EXIT_RUNTIME;
			break;
		}
		bool inserted;
		int r;
		if (fmt == IMPORT_SNAPSHOT) {   /* arXiv's own text; no user state, no listing */
			enum store_upsert_result res = STORE_UNCHANGED;
			r = store_upsert(s, &p, NULL, &res, &e);
			inserted = res == STORE_INSERTED;
		} else {
			r = import_paper(s, &p, &inserted, &e);
		}
		if (r == 0 && store_cut_note(s))
			app_note("%s:%ld: %s: stored, but %s", name, lineno, p.id, store_cut_note(s));
		paper_clear(&p);
		if (r != 0) {
			store_rollback(s);
			app_error("%s:%ld: cannot save: %s; lines %ld-%ld were not imported (lines before "
			          "%ld were)", name, lineno, e.msg, batch_first, lineno, batch_first);
			rc = EXIT_RUNTIME;
			in_batch = 0;
			break;
		}
		in_batch++;
		batch_n++;
		batch_new += inserted;
		progress_draw(&pr, n->imported + batch_n, false);
		if (in_batch == IMPORT_BATCH) {
			if (store_commit(s, &e) != 0) {
				store_rollback(s);
				app_error("%s: cannot save lines up to %ld: %s", name, lineno, e.msg);
				rc = EXIT_RUNTIME;
				in_batch = 0;
				break;
			}
			n->imported += batch_n;
			n->added += batch_new;
			in_batch = batch_n = batch_new = 0;
		}
	}
	if (rc == EXIT_OK && ferror(in)) {
		app_error("cannot read %s: %s", name, strerror(errno));
		rc = EXIT_RUNTIME;
		if (in_batch)
			store_rollback(s);
		in_batch = 0;
	}
	if (in_batch) {
		if (store_commit(s, &e) != 0) {
			store_rollback(s);
			app_error("%s: cannot save: %s", name, e.msg);
			rc = EXIT_RUNTIME;
		} else {
			n->imported += batch_n;
			n->added += batch_new;
		}
	}
	if (n->imported || n->skipped)
		progress_draw(&pr, n->imported, true);
	sbuf_free(&buf);
	json_tokener_free(tok);
	if (!from_stdin)
		fclose(in);
	return rc;
}

int cmd_import(const struct app *a, int argc, char **argv)
{
	const char *cmd = argv[0];
	struct option opts[CLI_MAX_OPTS];
	int c;

	enum import_fmt fmt = IMPORT_AUTO;
	cli_longopts(cmd, opts);
	reset_getopt();
	while ((c = next_opt(cmd, argc, argv, ":", opts)) != -1) {
		if (c == OPT_HELP) {
			fputs(import_usage, stdout);
			return EXIT_OK;
		}
		if (c == OPT_FORMAT && (!strcmp(optarg, "json") || !strcmp(optarg, "arxiv-snapshot"))) {
			fmt = !strcmp(optarg, "json") ? IMPORT_JSON : IMPORT_SNAPSHOT;
			continue;
		}
		if (c == OPT_FORMAT) {
			app_error("%s: --format is json or arxiv-snapshot, not \"%s\"", cmd, optarg);
			return EXIT_USAGE;
		}
		if (c != '?')
			app_error("%s: unknown option \"%s\"; try `lectern %s --help`", cmd, argv[optind - 1], cmd);
		return EXIT_USAGE;
	}
	if (argc - optind < 1) {
		app_error("%s: which file?; usage: lectern import FILE... (- for standard input)", cmd);
		return EXIT_USAGE;
	}
	struct store *s = open_cache(a, true, true, NULL);
	if (!s)
		return EXIT_RUNTIME;

	struct import_counts n = {0};
	int rc = EXIT_OK;
	for (int i = optind; i < argc && rc == EXIT_OK; i++)
		rc = import_file(s, cmd, argv[i], fmt, &n);
	if (n.ops)
		printf("merged %ld operation%s of user state (%ld changed this cache)\n", n.ops,
		       n.ops == 1 ? "" : "s", n.changed);
	if (n.imported || !n.ops)
		printf("imported %ld paper%s (%ld new), %ld line%s skipped\n", n.imported,
		       n.imported == 1 ? "" : "s", n.added, n.skipped, n.skipped == 1 ? "" : "s");
	close_cache(&s);
	if (rc == EXIT_OK && n.skipped > 0)
		rc = EXIT_RUNTIME;
	return rc;
}

/* ---- completions ------------------------------------------------------------------------------ */

static const char completions_usage[] =
	"usage: lectern completions bash|zsh|fish\n"
	"\n"
	"Prints a completion script for the shell, made from lectern's table of commands and options:\n"
	"commands, options, formats and sorts, and source names (`lectern sources --names`).\n";

int cmd_completions(const struct app *a, int argc, char **argv)
{
	const char *cmd = argv[0];
	struct option opts[CLI_MAX_OPTS];
	int c;

	(void)a;
	cli_longopts(cmd, opts);
	reset_getopt();
	while ((c = next_opt(cmd, argc, argv, ":", opts)) != -1) {
		if (c == 'h') {
			fputs(completions_usage, stdout);
			return EXIT_OK;
		}
		return EXIT_USAGE;
	}
	if (optind + 1 != argc || cli_completions(argv[optind], stdout) < 0) {
		app_error("completions: usage: lectern completions bash|zsh|fish");
		return EXIT_USAGE;
	}
	return fflush(stdout) == 0 && !ferror(stdout) ? EXIT_OK : EXIT_RUNTIME;
}
