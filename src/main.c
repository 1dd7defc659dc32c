/* main — global options, configuration, and dispatch to the sub-commands. */
#include <getopt.h>
#include <stdbool.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lectern/cli.h"
#include "lectern/cli_table.h"
#include "lectern/config.h"
#include "lectern/store.h"
#include "lectern/ui.h"

/* What runs each command of cli_table's table (its names and help are there). */
struct command {
	const char *name;
	int (*run)(const struct app *, int, char **);
};

static const struct command commands[] = {
	{"ui", cmd_ui}, {"list", cmd_list}, {"show", cmd_show}, {"fav", cmd_fav}, {"unfav", cmd_fav},
	{"read", cmd_read}, {"unread", cmd_read}, {"hide", cmd_hide},
	{"unhide", cmd_hide}, {"note", cmd_note}, {"tag", cmd_tag},
	{"export", cmd_export}, {"recommend", cmd_recommend}, {"similar", cmd_recommend},
	{"watch", cmd_watch}, {"unwatch", cmd_watch}, {"import", cmd_import}, {"fetch", cmd_fetch},
	{"sources", cmd_sources}, {"search-remote", cmd_search_remote}, {"pdf", cmd_pdf},
	{"sync", cmd_sync}, {"check", cmd_check}, {"repair", cmd_repair},
	{"completions", cmd_completions},
};

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < ARRAY_LEN(commands); i++)
		if (!strcmp(name, commands[i].name))
			return &commands[i];
	return NULL;
}

static void usage(FILE *out)
{
	fprintf(out, "usage: lectern [--db PATH] [--config PATH] [COMMAND [ARGS]]\n\n"
	             "Without a command lectern opens the reader.\n\nCommands:\n");
	size_t n;
	const struct cli_cmd *t = cli_commands(&n);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "  %-14s %s\n", t[i].name, t[i].help);
	fprintf(out, "\nOptions:\n"
	             "  --db PATH       the cache database (default $LECTERN_DB, else\n"
	             "                  $XDG_DATA_HOME/lectern/papers.db)\n"
	             "  --config PATH   the configuration file (default\n"
	             "                  $XDG_CONFIG_HOME/lectern/config)\n"
	             "  -h, --help      show this help\n"
	             "  -V, --version   show the version\n\n"
	             "Run `lectern COMMAND --help` for a command's options; see lectern(1).\n");
}

static void upgrade_note(const char *what)
{
	app_note("%s…", what);
}

int main(int argc, char **argv)
{
	struct option opts[CLI_MAX_OPTS];
	cli_longopts("lectern", opts);
	const char *db = NULL, *config_path = NULL;
	int c;

	setlocale(LC_ALL, "");
	store_set_upgrade_note(upgrade_note);
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
		cmd = cli_command(argv[optind]) ? find_command(argv[optind]) : NULL;
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
	if (cmd->run != cmd_ui)   /* the reader shows them in its status line */
		for (size_t i = 0; i < cfg.n_warnings; i++)
			app_error("warning: %s", cfg.warnings[i]);
	if (!db || !*db)
		db = db_owned = store_default_path();
	if (!db && cmd->run != cmd_completions) {   /* the one command without a cache */
		app_error("where is the cache? HOME is not set, nor XDG_DATA_HOME: name the file with "
		          "--db PATH or LECTERN_DB, or set XDG_DATA_HOME (lectern never writes under "
		          "the current directory by itself)");
		config_free(&cfg);
		return EXIT_USAGE;
	}
	if (!config_path && cmd->run != cmd_completions) {
		char *dir = util_config_dir();
		if (!dir)
			app_error("warning: HOME is not set, nor XDG_CONFIG_HOME: no configuration file is "
			          "read (--config PATH names one)");
		free(dir);
	}

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
