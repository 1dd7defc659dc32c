/* fetch_cli — the network commands: fetch, sources, search-remote. */
#include <stdio.h>

#include "lectern/cli.h"
#include "lectern/fetch.h"

int cmd_fetch(const struct app *a, int argc, char **argv)
{
	(void)a; (void)argc; (void)argv;
	cli_error("fetch: not yet implemented");
	return EXIT_RUNTIME;
}

int cmd_sources(const struct app *a, int argc, char **argv)
{
	(void)a; (void)argc; (void)argv;
	cli_error("sources: not yet implemented");
	return EXIT_RUNTIME;
}

int cmd_search_remote(const struct app *a, int argc, char **argv)
{
	(void)a; (void)argc; (void)argv;
	cli_error("search-remote: not yet implemented");
	return EXIT_RUNTIME;
}
