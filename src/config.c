/* config — the configuration file: sources, settings, key bindings and colours.
 * The settings live in one table (name, type, where, description) that drives parsing and the
 * defaults, so adding an option is one line. */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lectern/config.h"

/* OPT_DELAY: a duration or "never" (-1); OPT_WIDTH: N or N% (list_width_pct follows);
 * OPT_VIEW: a start view, a string checked against the views there are. */
enum opt_type { OPT_STRING, OPT_PATH, OPT_DURATION, OPT_INT, OPT_I64, OPT_BOOL, OPT_DELAY, OPT_WIDTH, OPT_VIEW };

struct option_def {
	const char *name;
	enum opt_type type;
	size_t offset;
	const char *def;       /* default as it would be written in the file; NULL: unset */
	long min;              /* for numbers */
};

#define OPT(n, t, field, d, m) {n, t, offsetof(struct config, field), d, m}
static const struct option_def options[] = {
	OPT("hf-url", OPT_STRING, hf_url, "https://huggingface.co", 0),
	OPT("arxiv-api-url", OPT_STRING, arxiv_api_url, "https://export.arxiv.org/api/query", 0),
	OPT("arxiv-rss-url", OPT_STRING, arxiv_rss_url, "https://rss.arxiv.org/rss", 0),
	OPT("arxiv-oai-url", OPT_STRING, arxiv_oai_url, "https://oaipmh.arxiv.org/oai", 0),
	OPT("harvest-budget", OPT_DURATION, harvest_budget, NULL, 0),
	OPT("refresh", OPT_DURATION, refresh, "30m", 60),
	OPT("hf-days", OPT_INT, hf_days, "7", 1),
	OPT("hf-max-pages", OPT_INT, hf_max_pages, "10", 0),
	OPT("arxiv-query-max-pages", OPT_INT, arxiv_query_max_pages, "10", 0),
	OPT("arxiv-delay", OPT_I64, arxiv_delay_ms, "3000", 0),
	OPT("host-delay", OPT_I64, host_delay_ms, "1000", 0),
	OPT("source-deadline", OPT_DURATION, source_deadline, "120", 1),
	OPT("timeout", OPT_DURATION, timeout, "60", 1),
	OPT("max-body", OPT_I64, max_body, "67108864", 1024),
	OPT("max-tries", OPT_INT, max_tries, "4", 1),
	OPT("browser", OPT_STRING, browser, NULL, 0),
	OPT("pdf-dir", OPT_STRING, pdf_dir, NULL, 0),
	OPT("pdf-viewer", OPT_STRING, pdf_viewer, NULL, 0),
	OPT("browser-in-terminal", OPT_BOOL, browser_in_terminal, "no", 0),
	OPT("mouse", OPT_BOOL, mouse, "yes", 0),
	OPT("start-view", OPT_VIEW, start_view, NULL, 0),
	OPT("mark-read-after", OPT_DELAY, mark_read_after, "3", 0),
	OPT("list-width", OPT_WIDTH, list_width, "0", 0),
	OPT("hide-replacements", OPT_BOOL, hide_replacements, "no", 0),
	OPT("sync-dir", OPT_PATH, sync_dir, NULL, 0),
	OPT("for-you-days", OPT_INT, for_you_days, "3", 1),
};

/* The views a session can open on (`source:NAME` names a configured source). */
static const char *const start_views[] = {"daily", "unread", "all", "favourites", "for-you"};

static const char *const type_names[] = {
	[SOURCE_HF_DAILY] = "hf-daily",
	[SOURCE_ARXIV] = "arxiv",
	[SOURCE_ARXIV_QUERY] = "arxiv-query",
	[SOURCE_FEED] = "feed",
	[SOURCE_ARXIV_OAI] = "arxiv-oai",
};

const char *config_source_type_name(enum source_type t) { return type_names[t]; }

/* Sets one option from its textual value; returns 0 or -1 with a message in e. */
static int set_option(struct config *c, const struct option_def *o, const char *val, struct lerr *e)
{
	void *field = (char *)c + o->offset;
	char *end;
	long long n;
	int64_t d;

	switch (o->type) {
	case OPT_VIEW:
		for (size_t i = 0; i < ARRAY_LEN(start_views); i++)
			if (!strcmp(val, start_views[i]))
				return set_option(c, &(struct option_def){o->name, OPT_STRING, o->offset, NULL, 0},
				                  val, e);
		if (!strncmp(val, "source:", 7) && val[7])   /* the name is checked once sources are read */
			return set_option(c, &(struct option_def){o->name, OPT_STRING, o->offset, NULL, 0},
			                  val, e);
		lerr_set(e, LERR_USAGE, 0, "%s: expected daily, unread, all, favourites or source:NAME, "
		         "got \"%s\"", o->name, val);
		return -1;
	case OPT_DELAY:
		if (!strcmp(val, "never")) {
			*(int64_t *)field = -1;
			return 0;
		}
		d = util_parse_duration(val);
		if (d < 0) {
			lerr_set(e, LERR_USAGE, 0, "%s: expected seconds (0 at once) or never, got \"%s\"",
			         o->name, val);
			return -1;
		}
		*(int64_t *)field = d;
		return 0;
	case OPT_WIDTH:
		errno = 0;
		n = strtoll(val, &end, 10);
		if (errno || end == val || n < 0 || (*end && strcmp(end, "%")) || (*end && n > 90) ||
		    (!*end && n > 1000) || (*end && n < 10)) {
			lerr_set(e, LERR_USAGE, 0, "%s: expected columns (N) or a share of the screen (10%%-90%%), "
			         "got \"%s\"", o->name, val);
			return -1;
		}
		*(int *)field = (int)n;
		c->list_width_pct = *end == '%';
		return 0;
	case OPT_PATH:   /* a leading ~/ is the home directory */
		if (!strncmp(val, "~/", 2) && getenv("HOME")) {
			free(*(char **)field);
			*(char **)field = xasprintf("%s/%s", getenv("HOME"), val + 2);
			return 0;
		}
		/* fall through */
	case OPT_STRING:
		if (strstr(o->name, "-url") && strncmp(val, "http://", 7) && strncmp(val, "https://", 8)) {
			lerr_set(e, LERR_USAGE, 0, "%s: expected an http:// or https:// URL, got \"%s\"",
			         o->name, val);
			return -1;
		}
		free(*(char **)field);
		*(char **)field = val && *val ? xstrdup(val) : NULL;
		return 0;
	case OPT_BOOL:
		if (!strcmp(val, "yes") || !strcmp(val, "true") || !strcmp(val, "on") || !strcmp(val, "1"))
			*(bool *)field = true;
		else if (!strcmp(val, "no") || !strcmp(val, "false") || !strcmp(val, "off") ||
		         !strcmp(val, "0"))
			*(bool *)field = false;
		else {
			lerr_set(e, LERR_USAGE, 0, "%s: expected yes or no, got \"%s\"", o->name, val);
			return -1;
		}
		return 0;
	case OPT_DURATION:
		d = util_parse_duration(val);
		if (d < o->min) {
			lerr_set(e, LERR_USAGE, 0, "%s: expected a duration of at least %lds such as 30m, 2h "
			         "or 1d, got \"%s\"", o->name, o->min, val);
			return -1;
		}
		*(int64_t *)field = d;
		return 0;
	case OPT_INT:
	case OPT_I64:
		errno = 0;
		n = strtoll(val, &end, 10);
		if (errno || end == val || *end || n < o->min || n > (o->type == OPT_INT ? 1000000 : 1LL << 40)) {
			lerr_set(e, LERR_USAGE, 0, "%s: expected a whole number >= %ld, got \"%s\"", o->name,
			         o->min, val);
			return -1;
		}
		if (o->type == OPT_INT)
			*(int *)field = (int)n;
		else
			*(int64_t *)field = n;
		return 0;
	}
	return -1;
}

static void add_source(struct config *c, enum source_type t, const char *const *args, size_t n,
                       const char *name)
{
	struct config_source *s;

	c->sources = xreallocarray(c->sources, c->n_sources + 1, sizeof *c->sources);
	s = &c->sources[c->n_sources++];
	s->type = t;
	s->name = xstrdup(name ? name : type_names[t]);
	s->n_args = n;
	s->args = xcalloc(n + 1, sizeof *s->args);
	for (size_t i = 0; i < n; i++)
		s->args[i] = xstrdup(args[i]);
}

static void free_sources(struct config *c)
{
	for (size_t i = 0; i < c->n_sources; i++) {
		free(c->sources[i].name);
		config_free_words(c->sources[i].args, c->sources[i].n_args);
	}
	free(c->sources);
	c->sources = NULL;
	c->n_sources = 0;
}

void config_defaults(struct config *c)
{
	memset(c, 0, sizeof *c);
	for (size_t i = 0; i < ARRAY_LEN(options); i++)
		if (options[i].def)
			set_option(c, &options[i], options[i].def, NULL);
	c->harvest_budget = -1;   /* unset: each caller's default (config.h) */
	c->theme = xstrdup("dark");
}

static void default_sources(struct config *c)
{
	static const char *const cats[] = {"cs.AI", "cs.CL", "cs.CV", "cs.LG"};

	add_source(c, SOURCE_HF_DAILY, NULL, 0, NULL);
	add_source(c, SOURCE_ARXIV, cats, ARRAY_LEN(cats), NULL);
}

/* "#rgb" or "#rrggbb" followed by the end of the word. */
static bool is_hex_colour(const char *p)
{
	size_t n = 1;

	while (isxdigit((unsigned char)p[n]))
		n++;
	return (n == 4 || n == 7) && (p[n] == '\0' || p[n] == ' ' || p[n] == '\t' || p[n] == '\r' ||
	                              p[n] == '\n');
}

int config_split(const char *line, char ***argv, struct lerr *e)
{
	struct sbuf w = {0};
	char **v = NULL;
	size_t n = 0;
	const char *p = line;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		/* '#' starts a comment where a word would start, except a colour such as #ff8800,
		 * so themes need no quotes around colours. */
		if (*p == '\0' || (*p == '#' && !is_hex_colour(p)))
			break;
		sbuf_reset(&w);
		sbuf_add(&w, "", 0);
		while (*p && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n') {
			if (*p == '"') {
				p++;
				while (*p && *p != '"') {
					if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
						p++;
					sbuf_addc(&w, *p++);
				}
				if (*p != '"') {
					lerr_set(e, LERR_PARSE, 0, "unterminated quoted string");
					sbuf_free(&w);
					config_free_words(v, n);
					return -1;
				}
				p++;
			} else {
				sbuf_addc(&w, *p++);
			}
		}
		v = xreallocarray(v, n + 2, sizeof *v);
		v[n++] = xstrdup(w.s);
		v[n] = NULL;
	}
	sbuf_free(&w);
	*argv = v ? v : xcalloc(1, sizeof *v);
	return (int)n;
}

void config_free_words(char **argv, size_t argc)
{
	if (!argv)
		return;
	for (size_t i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
}

static void add_line(struct config_line **lines, size_t *n, char **argv, size_t argc,
                     const char *file, int line)
{
	*lines = xreallocarray(*lines, *n + 1, sizeof **lines);
	(*lines)[*n] = (struct config_line){argv, argc, xstrdup(file), line};
	(*n)++;
}

static bool valid_category(const char *s)
{
	/* "cs.LG", "math", "hep-th", "astro-ph.GA", "q-bio.NC" */
	if (!isalpha((unsigned char)*s))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '.' && *s != '-')
			return false;
	return true;
}

/* An OAI-PMH set spec: "cs", "physics:hep-th", "math:math:NA" (categories joined by ':'). */
static bool valid_set(const char *s)
{
	if (!isalpha((unsigned char)*s))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '.' && *s != '-' && *s != ':')
			return false;
	return s[-1] != ':';
}

/* Interprets one line's words. Returns 0, 1 when argv was kept (bind/color), -1 on error. */
static int apply(struct config *c, char **argv, size_t argc, bool *have_sources, const char *file,
                 int line, struct lerr *e)
{
	const char *cmd = argv[0];

	if (!strcmp(cmd, "set")) {
		if (argc != 3) {
			lerr_set(e, LERR_USAGE, 0, "usage: set OPTION VALUE");
			return -1;
		}
		for (size_t i = 0; i < ARRAY_LEN(options); i++)
			if (!strcmp(options[i].name, argv[1])) {
				if (options[i].type == OPT_VIEW)
					c->start_view_line = line;
				int r = set_option(c, &options[i], argv[2], e);
				/* the settings that name a program to run */
				bool program = !strcmp(argv[1], "browser") || !strcmp(argv[1], "pdf-viewer");
				char *w = r == 0 && program ? config_shell_warning(argv[1], argv[2]) : NULL;
				if (w) {
					c->warnings = xreallocarray(c->warnings, c->n_warnings + 1,
					                            sizeof *c->warnings);
					c->warnings[c->n_warnings++] = xasprintf("%s:%d: %s", file, line, w);
					free(w);
				}
				return r;
			}
		struct sbuf names = {0};
		for (size_t i = 0; i < ARRAY_LEN(options); i++)
			sbuf_printf(&names, "%s%s", i ? ", " : "", options[i].name);
		lerr_set(e, LERR_USAGE, 0, "unknown option \"%s\" (options: %s)", argv[1], names.s);
		sbuf_free(&names);
		return -1;
	}
	if (!strcmp(cmd, "theme")) {
		if (argc != 2) {
			lerr_set(e, LERR_USAGE, 0, "usage: theme NAME");
			return -1;
		}
		free(c->theme);
		c->theme = xstrdup(argv[1]);
		c->theme_line = line;
		return 0;
	}
	if (!strcmp(cmd, "bind")) {
		if (argc != 3) {
			lerr_set(e, LERR_USAGE, 0, "usage: bind KEY ACTION");
			return -1;
		}
		add_line(&c->binds, &c->n_binds, argv, argc, file, line);
		return 1;
	}
	if (!strcmp(cmd, "watch")) {   /* watch author|word|cat VALUE... (the words joined) */
		if (argc < 3 || (strcmp(argv[1], "author") && strcmp(argv[1], "word") &&
		                 strcmp(argv[1], "cat"))) {
			lerr_set(e, LERR_USAGE, 0, "usage: watch author|word|cat VALUE");
			return -1;
		}
		add_line(&c->watches, &c->n_watches, argv, argc, file, line);
		return 1;
	}
	if (!strcmp(cmd, "color") || !strcmp(cmd, "colour")) {
		if (argc < 4) {
			lerr_set(e, LERR_USAGE, 0, "usage: color ELEMENT FG BG [ATTR...]");
			return -1;
		}
		add_line(&c->colors, &c->n_colors, argv, argc, file, line);
		return 1;
	}
	if (!strcmp(cmd, "source")) {
		const char *name = NULL;
		size_t n = argc;
		enum source_type t;
		size_t i;

		if (argc < 2) {
			lerr_set(e, LERR_USAGE, 0, "usage: source hf-daily|arxiv CAT...|arxiv-query \"Q\"|"
			         "feed URL|arxiv-oai [SET] [name NAME]");
			return -1;
		}
		if (argc >= 4 && !strcmp(argv[argc - 2], "name")) {
			name = argv[argc - 1];
			n = argc - 2;
		}
		for (i = 0; i < ARRAY_LEN(type_names); i++)
			if (!strcmp(argv[1], type_names[i]))
				break;
		if (i == ARRAY_LEN(type_names)) {
			lerr_set(e, LERR_USAGE, 0, "unknown source type \"%s\" (hf-daily, arxiv, arxiv-query, "
			         "feed, arxiv-oai)", argv[1]);
			return -1;
		}
		t = (enum source_type)i;
		char **args = argv + 2;
		size_t nargs = n - 2;
		if (t == SOURCE_HF_DAILY && nargs != 0) {
			lerr_set(e, LERR_USAGE, 0, "source hf-daily takes no arguments");
			return -1;
		}
		if (t == SOURCE_ARXIV) {
			if (nargs == 0) {
				lerr_set(e, LERR_USAGE, 0, "source arxiv needs at least one category, e.g. "
				         "source arxiv cs.LG cs.CL");
				return -1;
			}
			for (size_t k = 0; k < nargs; k++)
				if (!valid_category(args[k])) {
					lerr_set(e, LERR_USAGE, 0, "\"%s\" is not an arXiv category (e.g. cs.LG)",
					         args[k]);
					return -1;
				}
		}
		if ((t == SOURCE_ARXIV_QUERY || t == SOURCE_FEED) && nargs != 1) {
			lerr_set(e, LERR_USAGE, 0, t == SOURCE_FEED ? "usage: source feed URL [name NAME]"
			         : "usage: source arxiv-query \"QUERY\" [name NAME] (quote the query)");
			return -1;
		}
		if (t == SOURCE_ARXIV_OAI && nargs > 1) {
			lerr_set(e, LERR_USAGE, 0, "usage: source arxiv-oai [SET] [name NAME] (one set, "
			         "e.g. cs or physics:hep-th; none: all of arXiv)");
			return -1;
		}
		if (t == SOURCE_ARXIV_OAI && nargs == 1 && !valid_set(args[0])) {
			lerr_set(e, LERR_USAGE, 0, "\"%s\" is not an OAI-PMH set (e.g. cs, math:math:NA, "
			         "physics:hep-th)", args[0]);
			return -1;
		}
		if (t == SOURCE_FEED && strncmp(args[0], "http://", 7) && strncmp(args[0], "https://", 8)) {
			lerr_set(e, LERR_USAGE, 0, "feed URL must start with http:// or https://");
			return -1;
		}
		if (name && !*name) {
			lerr_set(e, LERR_USAGE, 0, "empty source name");
			return -1;
		}
		const char *final = name ? name : type_names[t];
		for (size_t k = 0; k < c->n_sources; k++)
			if (*have_sources && !strcmp(c->sources[k].name, final)) {
				lerr_set(e, LERR_USAGE, 0, "a source named \"%s\" already exists; add "
				         "`name NAME` to tell them apart", final);
				return -1;
			}
		if (!*have_sources) {
			free_sources(c);
			*have_sources = true;
		}
		add_source(c, t, (const char *const *)args, nargs, name);
		return 0;
	}
	lerr_set(e, LERR_USAGE, 0, "unknown command \"%s\" (source, set, bind, theme, color)", cmd);
	return -1;
}

/* Adds "FILE:LINE: msg" to c->errors in line order (a check made after the whole file was read
 * lands among the others); *first is kept as the first of them. */
static void add_error(struct config *c, const char *file, int line, const char *msg,
                      struct lerr *first)
{
	size_t n = strlen(file), at = c->n_errors;
	while (at > 0 && strtol(c->errors[at - 1] + n + 1, NULL, 10) > line)
		at--;
	c->errors = xreallocarray(c->errors, c->n_errors + 1, sizeof *c->errors);
	memmove(c->errors + at + 1, c->errors + at, (c->n_errors - at) * sizeof *c->errors);
	c->errors[at] = xasprintf("%s:%d: %s", file, line, msg);
	c->n_errors++;
	if (at == 0)
		lerr_set(first, LERR_USAGE, line, "%s", c->errors[0]);
}

int config_load(struct config *c, const char *path, struct lerr *e)
{
	char *owned = NULL;
	const char *file = path;
	bool have_sources = false;
	int rc = 0;
	struct lerr first = {0};

	config_defaults(c);
	if (!file) {
		char *dir = util_config_dir();
		if (!dir) {   /* no HOME nor XDG_CONFIG_HOME: no default file to read (main.c says so) */
			default_sources(c);
			return 0;
		}
		owned = xasprintf("%s/config", dir);
		free(dir);
		file = owned;
	}
	FILE *f = fopen(file, "r");
	if (!f) {
		if (errno == ENOENT && !path) {
			default_sources(c);
			free(owned);
			return 0;
		}
		lerr_set(e, LERR_IO, errno, "%s: %s", file, strerror(errno));
		default_sources(c);
		free(owned);
		return -1;
	}
	c->path = xstrdup(file);

	char *buf = NULL;
	size_t cap = 0;
	ssize_t len;
	int lineno = 0;
	while ((len = getline(&buf, &cap, f)) >= 0) {
		char **argv;
		struct lerr le = {0};
		int argc;

		lineno++;
		argc = config_split(buf, &argv, &le);
		if (argc == 0) {
			config_free_words(argv, 0);
			continue;
		}
		int r = argc < 0 ? -1 : apply(c, argv, (size_t)argc, &have_sources, file, lineno, &le);
		if (r != 1 && argc > 0)
			config_free_words(argv, (size_t)argc);
		if (r < 0) {
			add_error(c, file, lineno, le.msg, &first);
			rc = -1;
		}
	}
	free(buf);
	fclose(f);
	if (!have_sources)
		default_sources(c);
	/* source:NAME can name a source defined after it */
	if (c->start_view && !strncmp(c->start_view, "source:", 7) &&
	    !config_find_source(c, c->start_view + 7)) {
		char *msg = xasprintf("start-view: no source named \"%s\"", c->start_view + 7);
		add_error(c, file, c->start_view_line, msg, &first);
		free(msg);
		rc = -1;
		xfree(&c->start_view);
	}
	if (rc < 0 && e)
		*e = first;
	free(owned);
	return rc;
}

static void free_lines(struct config_line *l, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		config_free_words(l[i].argv, l[i].argc);
		free(l[i].file);
	}
	free(l);
}

void config_free(struct config *c)
{
	free_sources(c);
	for (size_t i = 0; i < ARRAY_LEN(options); i++)
		if (options[i].type == OPT_STRING || options[i].type == OPT_PATH ||
		    options[i].type == OPT_VIEW)
			xfree((char *)c + options[i].offset);
	free(c->theme);
	free(c->path);
	free_lines(c->binds, c->n_binds);
	free_lines(c->colors, c->n_colors);
	free_lines(c->watches, c->n_watches);
	config_free_words(c->errors, c->n_errors);
	config_free_words(c->warnings, c->n_warnings);
	memset(c, 0, sizeof *c);
}

/* The shells whose -c runs its argument as a script (basename of the program). */
static bool is_shell(const char *word)
{
	static const char *const shells[] = {"sh", "bash", "dash", "zsh", "ksh", "mksh", "yash",
	                                     "fish", "csh", "tcsh", "ash", "busybox"};
	const char *base = strrchr(word, '/');
	base = base ? base + 1 : word;
	for (size_t i = 0; i < ARRAY_LEN(shells); i++)
		if (!strcmp(base, shells[i]))
			return true;
	return false;
}

char *config_shell_warning(const char *setting, const char *cmd)
{
	char **w = NULL;
	struct lerr e = {0};
	int n = cmd ? config_split(cmd, &w, &e) : 0;
	if (n <= 0) {
		config_free_words(w, 0);
		return NULL;
	}
	size_t i = 0;
	/* env [VAR=x | -opt]... sh: the program env runs */
	const char *b = strrchr(w[0], '/');
	if (!strcmp(b ? b + 1 : w[0], "env"))
		for (i = 1; i < (size_t)n && (w[i][0] == '-' || strchr(w[i], '=')); i++)
			;
	char *out = NULL;
	if (i < (size_t)n && is_shell(w[i])) {
		/* -c, or a cluster holding c (-lc, -ec); busybox needs its applet word first */
		for (size_t j = i + 1; j < (size_t)n && !out; j++)
			if (w[j][0] == '-' && w[j][1] != '-' && strchr(w[j], 'c'))
				out = xasprintf("%s runs a shell (%s %s): a link's characters reach a shell "
				                "that reads them as a script; name the program itself (see "
				                "lectern(5))", setting, w[i], w[j]);
	}
	config_free_words(w, (size_t)n);
	return out;
}

const struct config_source *config_find_source(const struct config *c, const char *name)
{
	for (size_t i = 0; i < c->n_sources; i++)
		if (!strcmp(c->sources[i].name, name))
			return &c->sources[i];
	for (size_t i = 0; i < c->n_sources; i++)
		if (!strcmp(type_names[c->sources[i].type], name))
			return &c->sources[i];
	return NULL;
}
