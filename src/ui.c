/* ui — the interactive reader (placeholder entry point while the reader lands). */
#include "lectern/cli.h"

int cmd_ui(const struct app *a, int argc, char **argv)
{
	(void)a; (void)argc; (void)argv;
	cli_error("ui: the interactive reader is not built yet");
	return EXIT_RUNTIME;
}
