/* cli — the sub-commands. main.c parses the global options (--db, --config, --help, --version),
 * loads the configuration and dispatches here. Every command returns an exit status:
 * 0 success, 1 runtime error, 2 usage error; errors go to stderr as "lectern: ..." and say what
 * is wrong and what to do. argv[0] is the command name; options use getopt_long conventions. */
#ifndef LECTERN_CLI_H
#define LECTERN_CLI_H

#include "lectern/app.h"   /* struct app, EXIT_*, app_error: shared with the reader */

/* cli.c: the cache commands */
int cmd_list(const struct app *a, int argc, char **argv);
int cmd_show(const struct app *a, int argc, char **argv);
int cmd_fav(const struct app *a, int argc, char **argv);     /* also "unfav" (argv[0]) */
int cmd_hide(const struct app *a, int argc, char **argv);    /* also "unhide" (argv[0]) */
int cmd_read(const struct app *a, int argc, char **argv);    /* "read" / "unread" */
int cmd_note(const struct app *a, int argc, char **argv);
int cmd_tag(const struct app *a, int argc, char **argv);
int cmd_export(const struct app *a, int argc, char **argv);
int cmd_recommend(const struct app *a, int argc, char **argv);   /* also "similar ID" */
int cmd_watch(const struct app *a, int argc, char **argv);       /* also "unwatch" */
/* Gives a store connection the config's `watch` lines (the reader's too). */
struct store;
void cli_config_watches(struct store *s, const struct config *cfg);
int cmd_import(const struct app *a, int argc, char **argv);
int cmd_completions(const struct app *a, int argc, char **argv);   /* cli_table's scripts */

/* fetch_cli.c: the network commands */
int cmd_fetch(const struct app *a, int argc, char **argv);
int cmd_sources(const struct app *a, int argc, char **argv);
int cmd_search_remote(const struct app *a, int argc, char **argv);
int cmd_pdf(const struct app *a, int argc, char **argv);   /* fetch_cli.c */

/* cli_sync.c: user state's safety */
int cmd_sync(const struct app *a, int argc, char **argv);
int cmd_check(const struct app *a, int argc, char **argv);
int cmd_repair(const struct app *a, int argc, char **argv);

#endif
