/* cli_sync — the commands that keep user state safe: sync (the folder of sync.h), check and
 * repair (store.h). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "lectern/cli.h"
#include "lectern/cli_table.h"
#include "lectern/store.h"
#include "lectern/sync.h"

static void warn_stderr(void *ctx, const char *msg)
{
	(void)ctx;
	app_error("%s", msg);
}

/* Parses a command without arguments of its own: 0 to go on, else the exit status
 * (+1: --help printed, the caller returns EXIT_OK). *compact: --compact, where it exists. */
static int parse(const char *usage, int argc, char **argv, bool *compact, int *exit_status)
{
	const char *cmd = argv[0];
	struct option opts[CLI_MAX_OPTS];
	int c;
	cli_longopts(cmd, opts);
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (c == 'h' || c == OPT_HELP) {
			fputs(usage, stdout);
			*exit_status = EXIT_OK;
			return 1;
		}
		if (c == 'c' && compact) {
			*compact = true;
			continue;
		}
		app_error("%s: unknown option \"%s\"; try `lectern %s --help`", cmd, argv[optind - 1],
		          cmd);
		*exit_status = EXIT_USAGE;
		return 1;
	}
	if (optind < argc) {
		app_error("%s: unexpected argument \"%s\"; try `lectern %s --help`", cmd, argv[optind],
		          cmd);
		*exit_status = EXIT_USAGE;
		return 1;
	}
	return 0;
}

/* Reads the sync folder into the open cache s and says what happened. */
static int run_sync(const struct app *a, struct store *s, bool compact)
{
	struct lerr e = {0};
	struct sync_stats st;
	struct sync *y = sync_open(s, a->cfg->sync_dir, warn_stderr, NULL, &e);
	if (!y || sync_run(y, compact, &st, &e) < 0) {
		app_error("sync: %s", e.msg);
		sync_close(&y);
		return EXIT_RUNTIME;
	}
	sync_close(&y);
	printf("sync: %ld file%s read, %ld operation%s applied, %ld changed this cache", st.files,
	       st.files == 1 ? "" : "s", st.ops, st.ops == 1 ? "" : "s", st.changed);
	if (st.skipped)
		printf(", %ld line%s skipped", st.skipped, st.skipped == 1 ? "" : "s");
	if (st.partial)
		printf(", %ld incomplete last line%s left for next time", st.partial,
		       st.partial == 1 ? "" : "s");
	if (st.conflicts)
		printf(", %ld conflict cop%s merged", st.conflicts, st.conflicts == 1 ? "y" : "ies");
	if (st.compacted)
		printf("; this cache's log was compacted");
	printf("\n");
	return st.skipped ? EXIT_RUNTIME : EXIT_OK;
}

static const char sync_usage[] =
	"usage: lectern sync [--compact]\n"
	"\n"
	"Merges the user state of every cache sharing the sync folder (set sync-dir DIR):\n"
	"reads each DIR/*.jsonl from where this cache stopped and applies the operations by\n"
	"last writer wins per paper and field (lectern(5) SYNC FOLDER). A new cache gets every\n"
	"favourite (with its title), tag, note, read mark, hide and watch back this way.\n"
	"  --compact   rewrite this cache's own file as a snapshot now\n"
	"Malformed lines are reported as FILE:LINE and skipped; the exit status is then 1.\n";

int cmd_sync(const struct app *a, int argc, char **argv)
{
	bool compact = false;
	int rc;
	if (parse(sync_usage, argc, argv, &compact, &rc))
		return rc;
	if (!a->cfg->sync_dir) {
		app_error("sync: no sync folder: add `set sync-dir DIR` to the configuration "
		          "(lectern(5))");
		return EXIT_USAGE;
	}
	struct lerr e = {0};
	struct store *s = store_open(a->db_path, 0, &e);
	if (!s) {
		app_error("cannot open the cache %s: %s", a->db_path, e.msg);
		return EXIT_RUNTIME;
	}
	rc = run_sync(a, s, compact);
	store_close(&s);
	return rc;
}

static const char check_usage[] =
	"usage: lectern check\n"
	"\n"
	"Checks the cache: SQLite's integrity check, and that the search index agrees with the\n"
	"papers and that listings point at papers. Exit status 1 names the damage; then run\n"
	"`lectern repair`.\n";

/* Prints the problems of the cache at path; EXIT_OK when there are none. */
static int check(const char *path, bool quiet_ok)
{
	struct store_check c;
	struct lerr e = {0};
	if (store_check(path, &c, &e) < 0) {
		app_error("check: %s", e.msg);
		return EXIT_RUNTIME;
	}
	for (size_t i = 0; i < c.n; i++)
		app_error("check: %s", c.problems[i]);
	int rc = c.n ? EXIT_RUNTIME : EXIT_OK;
	if (c.n)
		app_error("check: %s is damaged; `lectern repair` builds a new cache from what it holds",
		          path);
	else if (!quiet_ok)
		printf("check: %s is sound\n", path);
	store_check_clear(&c);
	return rc;
}

int cmd_check(const struct app *a, int argc, char **argv)
{
	int rc;
	if (parse(check_usage, argc, argv, NULL, &rc))
		return rc;
	return check(a->db_path, false);
}

static const char repair_usage[] =
	"usage: lectern repair\n"
	"\n"
	"Builds a new cache from what a damaged one still holds. The damaged file is kept beside\n"
	"it (PATH.damaged-DATE); its rows are read with the sqlite3 shell's .recover when it is\n"
	"installed, else table by table; the search index is rebuilt and the sync folder, when\n"
	"there is one, is read again. Says what could not be saved.\n";

int cmd_repair(const struct app *a, int argc, char **argv)
{
	int rc;
	if (parse(repair_usage, argc, argv, NULL, &rc))
		return rc;
	struct store_repair r;
	struct lerr e = {0};
	int ret = store_repair(a->db_path, &r, &e);
	for (size_t i = 0; i < r.n; i++)
		printf("repair: %s\n", r.lines[i]);
	if (ret < 0) {
		app_error("repair: %s", e.msg);
		store_repair_clear(&r);
		return EXIT_RUNTIME;
	}
	printf("repair: %lld papers saved, and the user state of %lld\n", (long long)r.papers,
	       (long long)r.user_states);
	store_repair_clear(&r);
	rc = EXIT_OK;
	if (a->cfg->sync_dir) {
		struct store *s = store_open(a->db_path, 0, &e);
		if (!s) {
			app_error("repair: cannot open the new cache: %s", e.msg);
			return EXIT_RUNTIME;
		}
		rc = run_sync(a, s, false);
		store_close(&s);
	} else {
		printf("repair: no sync folder (set sync-dir): user state on damaged pages is lost\n");
	}
	int c = check(a->db_path, false);
	return rc != EXIT_OK ? rc : c;
}
