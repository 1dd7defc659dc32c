/* cli_table — one table of lectern's commands and their long options.
 *
 * Each command's getopt_long array is built from this table (cli_longopts), and `lectern
 * completions SHELL` generates the shell completion scripts from it, so an option exists in one
 * place. The values an option's getopt_long returns are here too (the CLI_OPT_* codes, or a
 * letter for the commands that switch on one). */
#ifndef LECTERN_CLI_TABLE_H
#define LECTERN_CLI_TABLE_H

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>

/* getopt_long's return values for the options shared by list, export, fav/read and import. */
enum {
	OPT_FAV = 1000, OPT_UNREAD, OPT_QUERY, OPT_SORT, OPT_LIMIT, OPT_FORMAT, OPT_SOURCE, OPT_DAY,
	OPT_OUTPUT, OPT_HELP, OPT_SYNTAX_MDOC, OPT_SOURCES, OPT_HIDDEN, OPT_SINCE,
};

/* What a shell should offer as an option's value. */
enum cli_value {
	CLI_VAL_NONE,     /* the option takes no value */
	CLI_VAL_FILE,     /* a file name */
	CLI_VAL_FORMAT,   /* one of the command's formats */
	CLI_VAL_SORT,     /* one of CLI_SORTS */
	CLI_VAL_SOURCE,   /* a configured source's name */
	CLI_VAL_TAG,      /* a tag */
	CLI_VAL_DATE,     /* a day: YYYY-MM-DD, today, yesterday, -N */
	CLI_VAL_TEXT,     /* free text (a query, a number, a size...) */
};

struct cli_opt {
	const char *name;       /* long name, without "--" */
	int has_arg;            /* no_argument or required_argument */
	int val;                /* what getopt_long returns */
	enum cli_value value;
	const char *help;       /* one line; NULL: not offered by completions (internal) */
};

enum { CLI_MAX_OPTS = 24 };   /* options of one command, its terminator included */

struct cli_cmd {
	const char *name;
	const char *help;             /* one line, as `lectern --help` prints it */
	const struct cli_opt *opts;   /* ends with a {NULL} entry */
	const char *formats;          /* space-separated values of CLI_VAL_FORMAT, or NULL */
	enum cli_value args;          /* what its arguments (after the options) are */
};

#define CLI_SORTS "date upvotes relevance"

/* The commands, in `lectern --help` order; *n gets their number. */
const struct cli_cmd *cli_commands(size_t *n);

/* The command called name, or NULL. */
const struct cli_cmd *cli_command(const char *name);

/* Fills out (CLI_MAX_OPTS entries) with the getopt_long array of command name, terminated by a
 * zero entry. Returns out; an unknown command gets an empty array. */
struct option *cli_longopts(const char *name, struct option out[CLI_MAX_OPTS]);

/* Writes the completion script for shell ("bash", "zsh" or "fish") to out. Returns 0, or -1 for
 * an unknown shell. */
int cli_completions(const char *shell, FILE *out);

#endif
