/* cli_table — one table of the commands and their long options; getopt arrays and shell
 * completions are made from it. */
#include <stdbool.h>
#include <string.h>

#include "lectern/cli_table.h"
#include "lectern/util.h"

#define END {NULL, 0, 0, CLI_VAL_NONE, NULL}

/* list, export, fav/unfav, read/unread and import: what to select (and list's and export's own). */
static const struct cli_opt view_opts[] = {
	{"favourites", no_argument, OPT_FAV, CLI_VAL_NONE, "only favourites"},
	{"favorites", no_argument, OPT_FAV, CLI_VAL_NONE, "only favourites"},
	{"unread", no_argument, OPT_UNREAD, CLI_VAL_NONE, "only papers not marked read"},
	{"hidden", no_argument, OPT_HIDDEN, CLI_VAL_NONE, "also the papers hidden with x"},
	{"query", required_argument, OPT_QUERY, CLI_VAL_TEXT, "search (see SEARCH SYNTAX in lectern(1))"},
	{"sort", required_argument, OPT_SORT, CLI_VAL_SORT, "date, upvotes or relevance"},
	{"limit", required_argument, OPT_LIMIT, CLI_VAL_TEXT, "at most N papers (0 = all)"},
	{"format", required_argument, OPT_FORMAT, CLI_VAL_FORMAT, "the output format"},
	{"source", required_argument, OPT_SOURCE, CLI_VAL_SOURCE, "papers listed by this source"},
	{"day", required_argument, OPT_DAY, CLI_VAL_DATE, "papers of one day (YYYY-MM-DD, today, -N)"},
	{"output", required_argument, OPT_OUTPUT, CLI_VAL_FILE, "write to FILE (export)"},
	{"help", no_argument, OPT_HELP, CLI_VAL_NONE, "show this command's help"},
	{"syntax-mdoc", no_argument, OPT_SYNTAX_MDOC, CLI_VAL_NONE, NULL},   /* for lectern(1) */
	END,
};

static const struct cli_opt show_opts[] = {
	{"format", required_argument, OPT_FORMAT, CLI_VAL_FORMAT, "text or json"},
	{"sources", no_argument, OPT_SOURCES, CLI_VAL_NONE, "which kind of source gave each field"},
	{"help", no_argument, OPT_HELP, CLI_VAL_NONE, "show this command's help"},
	END,
};

/* note and tag (note ignores --remove). */
static const struct cli_opt user_text_opts[] = {
	{"clear", no_argument, 'c', CLI_VAL_NONE, "clear the note or the tags"},
	{"remove", no_argument, 'r', CLI_VAL_NONE, "remove the tags given (tag)"},
	{"help", no_argument, 'h', CLI_VAL_NONE, "show this command's help"},
	END,
};

/* hide / unhide: the papers are arguments. */
static const struct cli_opt help_opts[] = {
	{"help", no_argument, OPT_HELP, CLI_VAL_NONE, "show this command's help"},
	END,
};

static const struct cli_opt recommend_opts[] = {
	{"since", required_argument, OPT_SINCE, CLI_VAL_DATE, "papers since a day (default: set for-you-days)"},
	{"limit", required_argument, OPT_LIMIT, CLI_VAL_TEXT, "at most N papers (0 = all)"},
	{"format", required_argument, OPT_FORMAT, CLI_VAL_FORMAT, "the output format"},
	{"help", no_argument, OPT_HELP, CLI_VAL_NONE, "show this command's help"},
	END,
};

static const struct cli_opt similar_opts[] = {
	{"limit", required_argument, OPT_LIMIT, CLI_VAL_TEXT, "at most N papers (0 = all)"},
	{"format", required_argument, OPT_FORMAT, CLI_VAL_FORMAT, "the output format"},
	{"help", no_argument, OPT_HELP, CLI_VAL_NONE, "show this command's help"},
	END,
};

static const struct cli_opt fetch_opts[] = {
	{"date", required_argument, 'd', CLI_VAL_DATE, "fetch the listing of one day"},
	{"since", required_argument, 's', CLI_VAL_DATE, "fetch every day since a day"},
	{"offline", no_argument, 'o', CLI_VAL_NONE, "re-read the cached responses only"},
	{"help", no_argument, 'h', CLI_VAL_NONE, "show this command's help and the sources"},
	END,
};

static const struct cli_opt sources_opts[] = {
	{"names", no_argument, 'n', CLI_VAL_NONE, "only the sources' names, one a line"},
	{"help", no_argument, 'h', CLI_VAL_NONE, "show this command's help"},
	END,
};

static const struct cli_opt search_remote_opts[] = {
	{"max", required_argument, 'm', CLI_VAL_TEXT, "at most N results (1 to 2000)"},
	{"help", no_argument, 'h', CLI_VAL_NONE, "show this command's help"},
	END,
};

static const struct cli_opt ui_opts[] = {
	{"headless", no_argument, 'H', CLI_VAL_NONE, "no terminal: run --keys, write --dump"},
	{"size", required_argument, 's', CLI_VAL_TEXT, "the headless screen, COLSxROWS"},
	{"keys", required_argument, 'k', CLI_VAL_FILE, "a file of keys to play"},
	{"dump", required_argument, 'd', CLI_VAL_FILE, "write the screens to FILE"},
	{"timings", required_argument, 't', CLI_VAL_FILE, "write each key's time to FILE"},
	{"no-fetch", no_argument, 'n', CLI_VAL_NONE, "do not fetch on start"},
	{"fetch", no_argument, 'f', CLI_VAL_NONE, "fetch on start"},
	{"keys-mdoc", no_argument, 'm', CLI_VAL_NONE, NULL},   /* for lectern(1) */
	{"help", no_argument, 'h', CLI_VAL_NONE, "show this command's help"},
	END,
};

static const struct cli_opt sync_opts[] = {
	{"compact", no_argument, 'c', CLI_VAL_NONE, "rewrite this cache's own log as a snapshot"},
	{"help", no_argument, 'h', CLI_VAL_NONE, "show this command's help"},
	END,
};

static const struct cli_opt pdf_opts[] = {
	{"help", no_argument, 'h', CLI_VAL_NONE, "show this command's help"},
	END,
};

static const struct cli_opt completions_opts[] = {
	{"help", no_argument, 'h', CLI_VAL_NONE, "show this command's help"},
	END,
};

/* lectern's own options, before (or after) the command. */
static const struct cli_opt global_opts[] = {
	{"db", required_argument, 'd', CLI_VAL_FILE, "the cache database"},
	{"config", required_argument, 'c', CLI_VAL_FILE, "the configuration file"},
	{"help", no_argument, 'h', CLI_VAL_NONE, "show the help"},
	{"version", no_argument, 'V', CLI_VAL_NONE, "show the version"},
	END,
};

static const struct cli_cmd commands[] = {
	{"ui", "open the reader (the default)", ui_opts, NULL, CLI_VAL_NONE},
	{"list", "list cached papers (filter, search, sort; text or JSON Lines)", view_opts,
	 "text json", CLI_VAL_NONE},
	{"show", "show one paper in full", show_opts, "text json", CLI_VAL_NONE},
	{"fav", "mark papers as favourites", view_opts, NULL, CLI_VAL_NONE},
	{"unfav", "remove favourites", view_opts, NULL, CLI_VAL_NONE},
	{"read", "mark papers as read", view_opts, NULL, CLI_VAL_NONE},
	{"unread", "mark papers as unread", view_opts, NULL, CLI_VAL_NONE},
	{"hide", "hide papers: not interested (out of every list but is:hidden)", help_opts,
	 NULL, CLI_VAL_NONE},
	{"unhide", "show hidden papers again", help_opts, NULL, CLI_VAL_NONE},
	{"note", "show or set a paper's note", user_text_opts, NULL, CLI_VAL_NONE},
	{"tag", "show, add or remove a paper's tags", user_text_opts, NULL, CLI_VAL_NONE},
	{"export", "export papers as BibTeX, JSON Lines, CSV, Markdown or Atom", view_opts,
	 "bibtex json csv markdown atom lectern-state", CLI_VAL_NONE},
	{"recommend", "the recent papers ranked for you (from favourites and hidden papers), with why",
	 recommend_opts, "text json atom", CLI_VAL_NONE},
	{"similar", "papers like one paper, with why", similar_opts, "text json atom", CLI_VAL_NONE},
	{"watch", "list the watches, or watch an author, a word or a category", help_opts, NULL,
	 CLI_VAL_TEXT},
	{"unwatch", "stop watching an author, a word or a category", help_opts, NULL, CLI_VAL_TEXT},
	{"import", "merge papers from JSON Lines files (list --format json; arXiv's snapshot)",
	 view_opts, "json arxiv-snapshot", CLI_VAL_FILE},
	{"fetch", "fetch sources once and exit", fetch_opts, NULL, CLI_VAL_SOURCE},
	{"sources", "list sources and their state", sources_opts, NULL, CLI_VAL_NONE},
	{"search-remote", "search arXiv and merge the results into the cache", search_remote_opts,
	 NULL, CLI_VAL_TEXT},
	{"pdf", "download papers' PDFs to pdf-dir (resumable); print their paths", pdf_opts, NULL,
	 CLI_VAL_TEXT},
	{"sync", "merge favourites, read marks, tags, notes, hides, watches through the sync folder", sync_opts,
	 NULL, CLI_VAL_NONE},
	{"check", "check the cache for damage", help_opts, NULL, CLI_VAL_NONE},
	{"repair", "build a new cache from what a damaged one holds", help_opts, NULL,
	 CLI_VAL_NONE},
	{"completions", "print a bash, zsh or fish completion script", completions_opts,
	 "bash zsh fish", CLI_VAL_FORMAT},
};

static const struct cli_cmd global = {"lectern", NULL, global_opts, NULL, CLI_VAL_NONE};

const struct cli_cmd *cli_commands(size_t *n)
{
	*n = ARRAY_LEN(commands);
	return commands;
}

const struct cli_cmd *cli_command(const char *name)
{
	if (!strcmp(name, global.name))
		return &global;
	for (size_t i = 0; i < ARRAY_LEN(commands); i++)
		if (!strcmp(name, commands[i].name))
			return &commands[i];
	return NULL;
}

struct option *cli_longopts(const char *name, struct option out[CLI_MAX_OPTS])
{
	const struct cli_cmd *c = cli_command(name);
	size_t n = 0;

	for (const struct cli_opt *o = c ? c->opts : NULL; o && o->name && n + 1 < CLI_MAX_OPTS; o++)
		out[n++] = (struct option){o->name, o->has_arg, NULL, o->val};
	out[n] = (struct option){0};
	return out;
}

/* ---- completion scripts ---------------------------------------------------------------------- */

/* Writes s inside single quotes for a shell (' becomes '\''); zsh_spec also escapes the
 * characters _arguments gives a meaning to inside a description ([ ] :). */
static void put_quoted(FILE *out, const char *s, bool zsh_spec)
{
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", out);
		else if (zsh_spec && (*s == '[' || *s == ']' || *s == ':'))
			fprintf(out, "\\%c", *s);
		else
			fputc(*s, out);
	}
}

static const char generated[] = "generated by `lectern completions %s` from src/cli_table.c; do not edit";

/* The value words of kind v for command c (bash and fish), or NULL when nothing fixed. */
static const char *fixed_values(const struct cli_cmd *c, enum cli_value v)
{
	switch (v) {
	case CLI_VAL_FORMAT: return c->formats;
	case CLI_VAL_SORT: return CLI_SORTS;
	case CLI_VAL_DATE: return "today yesterday";
	default: return NULL;
	}
}

/* bash: one `case` arm for the values of a value kind; returns false when nothing to offer. */
static void bash_value(FILE *out, const struct cli_cmd *c, enum cli_value v)
{
	const char *w = fixed_values(c, v);

	if (w)
		fprintf(out, "COMPREPLY=($(compgen -W '%s' -- \"$cur\"))", w);
	else if (v == CLI_VAL_FILE)
		fputs("COMPREPLY=($(compgen -f -- \"$cur\"))", out);
	else if (v == CLI_VAL_SOURCE)
		fputs("COMPREPLY=($(compgen -W \"$(_lectern_sources)\" -- \"$cur\"))", out);
	else
		fputs("COMPREPLY=()", out);
}

static void bash_cmd(FILE *out, const struct cli_cmd *c)
{
	fprintf(out, "    %s)\n        case $prev in\n", c == &global ? "''" : c->name);
	for (const struct cli_opt *o = c->opts; o->name; o++)
		if (o->has_arg && o->help) {
			fprintf(out, "        --%s) ", o->name);
			bash_value(out, c, o->value);
			fputs("; return ;;\n", out);
		}
	fputs("        esac\n        opts='", out);
	for (const struct cli_opt *o = c->opts; o->name; o++)
		if (o->help)
			fprintf(out, "%s--%s", o == c->opts ? "" : " ", o->name);
	fputs("'\n", out);
	if (c == &global) {
		fputs("        args='", out);
		for (size_t i = 0; i < ARRAY_LEN(commands); i++)
			fprintf(out, "%s%s", i ? " " : "", commands[i].name);
		fputs("'\n", out);
	} else if (c->args != CLI_VAL_NONE) {
		fputs("        if [[ $cur != -* ]]; then ", out);
		bash_value(out, c, c->args);
		fputs("; return; fi\n", out);
	}
	fputs("        ;;\n", out);
}

static void bash(FILE *out)
{
	fprintf(out, "# bash completion for lectern(1); ");
	fprintf(out, generated, "bash");
	fputs("\n\n_lectern_sources()\n{\n    lectern sources --names 2>/dev/null\n}\n\n"
	      "_lectern()\n{\n"
	      "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
	      "    local cmd= opts= args= i\n"
	      "    for ((i = 1; i < COMP_CWORD; i++)); do\n"
	      "        case ${COMP_WORDS[i]} in\n"
	      "        --db|--config) ((i++)) ;;\n"
	      "        -*) ;;\n"
	      "        *) cmd=${COMP_WORDS[i]}; break ;;\n"
	      "        esac\n"
	      "    done\n"
	      "    COMPREPLY=()\n"
	      "    case $cmd in\n", out);
	bash_cmd(out, &global);
	for (size_t i = 0; i < ARRAY_LEN(commands); i++)
		bash_cmd(out, &commands[i]);
	fputs("    *) return ;;\n"
	      "    esac\n"
	      "    if [[ $cur == -* || -z $args ]]; then\n"
	      "        COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
	      "    else\n"
	      "        COMPREPLY=($(compgen -W \"$args\" -- \"$cur\"))\n"
	      "    fi\n"
	      "}\n"
	      "complete -F _lectern lectern\n", out);
}

/* zsh: the action of an _arguments spec for value kind v. */
static void zsh_action(FILE *out, const struct cli_cmd *c, enum cli_value v)
{
	const char *w = fixed_values(c, v);

	if (w)
		fprintf(out, "(%s)", w);
	else if (v == CLI_VAL_FILE)
		fputs("_files", out);
	else if (v == CLI_VAL_SOURCE)
		fputs("_lectern_sources", out);
	else
		fputs(" ", out);
}

static void zsh_specs(FILE *out, const struct cli_cmd *c, const char *indent)
{
	for (const struct cli_opt *o = c->opts; o->name; o++) {
		if (!o->help)
			continue;
		fprintf(out, " \\\n%s'--%s[", indent, o->name);
		put_quoted(out, o->help, true);
		fputc(']', out);
		if (o->has_arg) {
			fprintf(out, ":%s:", o->name);
			zsh_action(out, c, o->value);
		}
		fputc('\'', out);
	}
}

static void zsh(FILE *out)
{
	fputs("#compdef lectern\n# zsh completion for lectern(1); ", out);
	fprintf(out, generated, "zsh");
	fputs("\n\n_lectern_sources() {\n"
	      "  local -a s\n"
	      "  s=(${(f)\"$(lectern sources --names 2>/dev/null)\"})\n"
	      "  compadd -a s\n"
	      "}\n\n"
	      "_lectern() {\n"
	      "  local curcontext=$curcontext state line\n"
	      "  local -a commands\n"
	      "  commands=(\n", out);
	for (size_t i = 0; i < ARRAY_LEN(commands); i++) {
		fprintf(out, "    '%s:", commands[i].name);
		put_quoted(out, commands[i].help, false);
		fputs("'\n", out);
	}
	fputs("  )\n  _arguments -C", out);
	zsh_specs(out, &global, "    ");
	fputs(" \\\n    '1: :->command' \\\n    '*:: :->args' && return\n"
	      "  case $state in\n"
	      "  command) _describe -t commands command commands ;;\n"
	      "  args)\n"
	      "    case $line[1] in\n", out);
	for (size_t i = 0; i < ARRAY_LEN(commands); i++) {
		const struct cli_cmd *c = &commands[i];
		fprintf(out, "    %s)\n      _arguments", c->name);
		zsh_specs(out, c, "        ");
		if (c->args != CLI_VAL_NONE) {
			fputs(" \\\n        '*:argument:", out);
			zsh_action(out, c, c->args);
			fputc('\'', out);
		}
		fputs(" ;;\n", out);
	}
	fputs("    esac ;;\n  esac\n}\n\n_lectern \"$@\"\n", out);
}

/* fish: the flags after -l NAME for value kind v. */
static void fish_value(FILE *out, const struct cli_cmd *c, enum cli_value v)
{
	const char *w = fixed_values(c, v);

	if (w)
		fprintf(out, " -x -a '%s'", w);
	else if (v == CLI_VAL_FILE)
		fputs(" -r -F", out);
	else if (v == CLI_VAL_SOURCE)
		fputs(" -x -a '(__lectern_sources)'", out);
	else
		fputs(" -x", out);
}

static void fish_opts(FILE *out, const struct cli_cmd *c, const char *cond)
{
	for (const struct cli_opt *o = c->opts; o->name; o++) {
		if (!o->help)
			continue;
		fprintf(out, "complete -c lectern -n '%s' -l %s", cond, o->name);
		if (o->has_arg)
			fish_value(out, c, o->value);
		fputs(" -d '", out);
		put_quoted(out, o->help, false);
		fputs("'\n", out);
	}
}

static void fish(FILE *out)
{
	fputs("# fish completion for lectern(1); ", out);
	fprintf(out, generated, "fish");
	fputs("\n\nfunction __lectern_sources\n    lectern sources --names 2>/dev/null\nend\n\n"
	      "complete -c lectern -f\n", out);
	fish_opts(out, &global, "__fish_use_subcommand");
	for (size_t i = 0; i < ARRAY_LEN(commands); i++) {
		fprintf(out, "complete -c lectern -n __fish_use_subcommand -a %s -d '", commands[i].name);
		put_quoted(out, commands[i].help, false);
		fputs("'\n", out);
	}
	for (size_t i = 0; i < ARRAY_LEN(commands); i++) {
		const struct cli_cmd *c = &commands[i];
		char cond[64];
		snprintf(cond, sizeof cond, "__fish_seen_subcommand_from %s", c->name);
		fish_opts(out, c, cond);
		if (c->args != CLI_VAL_NONE) {
			fprintf(out, "complete -c lectern -n '%s'", cond);
			fish_value(out, c, c->args);
			fputc('\n', out);
		}
	}
}

int cli_completions(const char *shell, FILE *out)
{
	if (!strcmp(shell, "bash"))
		bash(out);
	else if (!strcmp(shell, "zsh"))
		zsh(out);
	else if (!strcmp(shell, "fish"))
		fish(out);
	else
		return -1;
	return 0;
}
