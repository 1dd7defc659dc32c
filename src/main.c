/* main — global options, configuration, and dispatch to the sub-commands. */
#include <getopt.h>
#include <stdbool.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lectern/cli.h"
#include "lectern/config.h"
#include "lectern/store.h"
#include "lectern/ui.h"

struct command {
	const char *name;
	int (*run)(const struct app *, int, char **);
	const char *help;
};

static const struct command commands[] = {
	{"ui", cmd_ui, "open the reader (the default)"},
	{"list", cmd_list, "list cached papers (filter, search, sort; text or JSON Lines)"},
	{"show", cmd_show, "show one paper in full"},
	{"fav", cmd_fav, "mark papers as favourites"},
	{"unfav", cmd_fav, "remove favourites"},
	{"read", cmd_read, "mark papers as read"},
	{"unread", cmd_read, "mark papers as unread"},
	{"note", cmd_note, "show or set a paper's note"},
	{"tag", cmd_tag, "show, add or remove a paper's tags"},
	{"export", cmd_export, "export papers as BibTeX, JSON Lines, CSV or Markdown"},
	{"import", cmd_import, "merge papers from JSON Lines files (as list --format json writes)"},
	{"fetch", cmd_fetch, "fetch sources once and exit"},
	{"sources", cmd_sources, "list sources and their state"},
	{"search-remote", cmd_search_remote, "search arXiv and merge the results into the cache"},
};

static void usage(FILE *out)
{
	fprintf(out, "usage: lectern [--db PATH] [--config PATH] [COMMAND [ARGS]]\n\n"
	             "Without a command lectern opens the reader.\n\nCommands:\n");
	for (size_t i = 0; i < ARRAY_LEN(commands); i++)
		fprintf(out, "  %-14s %s\n", commands[i].name, commands[i].help);
	fprintf(out, "\nOptions:\n"
	             "  --db PATH       the cache database (default $LECTERN_DB, else\n"
	             "                  $XDG_DATA_HOME/lectern/papers.db)\n"
	             "  --config PATH   the configuration file (default\n"
	             "                  $XDG_CONFIG_HOME/lectern/config)\n"
	             "  -h, --help      show this help\n"
	             "  -V, --version   show the version\n\n"
	             "Run `lectern COMMAND --help` for a command's options; see lectern(1).\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},
		{"config", required_argument, NULL, 'c'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{0, 0, 0, 0},
	};
	const char *db = NULL, *config_path = NULL;
	int c;

	setlocale(LC_ALL, "");
	opterr = 0;
	/* '+': stop at the command so its own options are left for it. */
	while ((c = getopt_long(argc, argv, "+hV", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'c': config_path = optarg; break;
		case 'h': usage(stdout); return EXIT_OK;
		case 'V': printf("lectern %s\n", LECTERN_VERSION); return EXIT_OK;
		default:
			app_error("\"%s\": unknown option, or it needs a value; try `lectern --help`",
			          argv[optind - 1]);
			return EXIT_USAGE;
		}
	}

	/* --db and --config are also accepted after the command (`lectern list --db x.db`): take
	 * them out before the command parses its own options. A "--" ends the search. */
	int w = optind;
	for (int r = optind; r < argc; r++) {
		bool is_db = !strcmp(argv[r], "--db"), is_cfg = !strcmp(argv[r], "--config");
		if (!strcmp(argv[r], "--")) {
			while (r < argc)
				argv[w++] = argv[r++];
			break;
		}
		if ((is_db || is_cfg) && r + 1 < argc) {
			*(is_db ? &db : &config_path) = argv[++r];
		} else if (!strncmp(argv[r], "--db=", 5)) {
			db = argv[r] + 5;
		} else if (!strncmp(argv[r], "--config=", 9)) {
			config_path = argv[r] + 9;
		} else {
			argv[w++] = argv[r];
		}
	}
	argc = w;
	argv[argc] = NULL;

	const struct command *cmd = &commands[0];
	if (optind < argc) {
		cmd = NULL;
		for (size_t i = 0; i < ARRAY_LEN(commands); i++)
			if (!strcmp(argv[optind], commands[i].name))
				cmd = &commands[i];
		if (!cmd) {
			app_error("unknown command \"%s\"; try `lectern --help`", argv[optind]);
			return EXIT_USAGE;
		}
	}

	struct config cfg;
	struct lerr e = {0};
	char *db_owned = NULL;
	int rc;

	if (config_load(&cfg, config_path, &e) != 0) {
		if (e.kind == LERR_IO) {   /* an explicit --config that cannot be read */
			app_error("%s", e.msg);
			config_free(&cfg);
			return EXIT_RUNTIME;
		}
		if (cmd->run != cmd_ui)
			for (size_t i = 0; i < cfg.n_errors; i++)
				app_error("warning: %s (line ignored)", cfg.errors[i]);
	}
	if (!db || !*db)
		db = db_owned = store_default_path();

	struct app app = {.db_path = db, .cfg = &cfg, .config_error = e.msg[0] ? e.msg : NULL};
	int sub_argc = optind < argc ? argc - optind : 1;
	char *ui_argv[] = {(char *)"ui", NULL};
	char **sub_argv = optind < argc ? argv + optind : ui_argv;

	optind = 0;   /* reset getopt for the command's own parsing */
	rc = cmd->run(&app, sub_argc, sub_argv);
	config_free(&cfg);
	free(db_owned);
	return rc;
}
