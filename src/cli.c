/* cli — the cache commands: list, show, fav/unfav, read/unread, export, import. */
#include <stdarg.h>
#include <stdio.h>

#include "lectern/cli.h"

/* cli_error() is defined in main.c (lead's file). */

static int not_yet(const char *cmd)
{
	cli_error("%s: not implemented yet", cmd);
	return EXIT_RUNTIME;
}

int cmd_list(const struct app *a, int argc, char **argv) { (void)a; (void)argc; return not_yet(argv[0]); }
int cmd_show(const struct app *a, int argc, char **argv) { (void)a; (void)argc; return not_yet(argv[0]); }
int cmd_fav(const struct app *a, int argc, char **argv) { (void)a; (void)argc; return not_yet(argv[0]); }
int cmd_read(const struct app *a, int argc, char **argv) { (void)a; (void)argc; return not_yet(argv[0]); }
int cmd_export(const struct app *a, int argc, char **argv) { (void)a; (void)argc; return not_yet(argv[0]); }
int cmd_import(const struct app *a, int argc, char **argv) { (void)a; (void)argc; return not_yet(argv[0]); }
