/* config — the configuration file ($XDG_CONFIG_HOME/lectern/config), a list of commands, one per
 * line; '#' starts a comment (except a colour word such as #ff8800); arguments are words or
 * "double-quoted strings" (\" and \\ escape):
 *
 *   source hf-daily [name NAME]
 *   source arxiv CATEGORY... [name NAME]
 *   source arxiv-query "QUERY" [name NAME]
 *   source feed URL [name NAME]
 *   source arxiv-oai [SET] [name NAME]   (an OAI-PMH harvest: harvest.c)
 *   set OPTION VALUE          (options in the table in config.c)
 *   bind KEY ACTION           (validated by the UI against its action table)
 *   theme NAME
 *   color ELEMENT FG BG [ATTR...]   (overrides the theme; validated by the UI)
 *
 * Defaults are compiled in; a file only overrides. With no `source` line the default sources are
 * `hf-daily` and `arxiv cs.AI cs.CL cs.CV cs.LG`. Errors are reported as "FILE:LINE: message". */
#ifndef LECTERN_CONFIG_H
#define LECTERN_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lectern/util.h"

enum source_type { SOURCE_HF_DAILY, SOURCE_ARXIV, SOURCE_ARXIV_QUERY, SOURCE_FEED,
                   SOURCE_ARXIV_OAI };

struct config_source {
	char *name;            /* explicit name or the type name ("hf-daily", "arxiv", ...) */
	enum source_type type;
	char **args;           /* categories / the query / the URL */
	size_t n_args;
};

/* A line the UI interprets (bind / color). */
struct config_line {
	char **argv;
	size_t argc;
	char *file;
	int line;
};

struct config {
	struct config_source *sources;
	size_t n_sources;

	char *hf_url;              /* set hf-url         default https://huggingface.co */
	char *arxiv_api_url;       /* set arxiv-api-url  default https://export.arxiv.org/api/query */
	char *arxiv_rss_url;       /* set arxiv-rss-url  default https://rss.arxiv.org/rss */
	char *arxiv_oai_url;       /* set arxiv-oai-url  default https://oaipmh.arxiv.org/oai */
	int64_t harvest_budget;    /* set harvest-budget seconds one harvest may run, 0 no bound;
	                            * -1 (unset): none for `lectern fetch`, 10m in the reader */
	int64_t refresh;           /* set refresh        seconds, default 30m */
	int hf_days;               /* set hf-days        days of Daily Papers fetched, default 7 */
	int hf_max_pages;          /* set hf-max-pages   pages of one Daily Papers day, 0 no cap */
	int arxiv_query_max_pages; /* set arxiv-query-max-pages  pages per fetch, 0 no cap */
	int64_t arxiv_delay_ms;    /* set arxiv-delay    ms between arXiv requests, min/default 3000 */
	int64_t host_delay_ms;     /* set host-delay     ms between requests to any other host,
	                            * default 1000 (huggingface.co: at least 1000) */
	int64_t source_deadline;   /* set source-deadline  seconds all tries of one source may take
	                            * in one run, default 120 */
	int64_t timeout;           /* set timeout        seconds a transfer may take, default 60 */
	int64_t max_body;          /* set max-body       bytes, default 64 MiB */
	int max_tries;             /* set max-tries      default 4 */
	char *browser;             /* set browser        NULL: $BROWSER, xdg-open */
	char *pdf_dir;             /* set pdf-dir        NULL: $XDG_DATA_HOME/lectern/pdf */
	char *pdf_viewer;          /* set pdf-viewer     NULL: xdg-open */
	bool browser_in_terminal;  /* set browser-in-terminal */
	char *theme;               /* theme NAME         default "dark" */
	int theme_line;            /* the line of `theme` in `path` (0: the default) */
	bool mouse;                /* set mouse          default yes */
	char *start_view;          /* set start-view     daily|unread|all|favourites|source:NAME;
	                            * NULL: daily when an hf-daily source is configured, else unread */
	int start_view_line;       /* its line in `path` (0: not set) */
	int64_t mark_read_after;   /* set mark-read-after  seconds a paper is shown before it is
	                            * marked read: default 3, 0 at once, -1 never */
	int list_width;            /* set list-width     N columns or N% of the list side by side;
	                            * 0: as the titles need (the detail keeps 60 columns) */
	bool list_width_pct;       /* list_width is a percentage */
	bool hide_replacements;    /* set hide-replacements  listing views leave out arXiv's
	                            * replacements (store_view), default no */
	char *sync_dir;            /* set sync-dir       the folder shared by the caches (sync.h);
	                            * NULL: no sync. A leading ~/ is $HOME */
	int for_you_days;          /* set for-you-days   days "for you" / recommend rank, default 3 */

	struct config_line *binds;
	size_t n_binds;
	struct config_line *colors;
	size_t n_colors;
	struct config_line *watches;   /* watch KIND VALUE... (read-only: lectern unwatch says so) */
	size_t n_watches;

	char *path;                /* file read, NULL when none */

	/* Every bad line, in file order, as "FILE:LINE: message" (the line was ignored). */
	char **errors;
	size_t n_errors;
	/* Lines that were applied but deserve a word at start-up ("FILE:LINE: message"): a browser
	 * or pdf-viewer command that runs a shell (config_shell_warning). */
	char **warnings;
	size_t n_warnings;
};

/* Fills *c with the defaults. */
void config_defaults(struct config *c);
/* Defaults, then the file at path (NULL: $XDG_CONFIG_HOME/lectern/config, ignored when missing;
 * an explicit path that is missing is an error). Returns 0, or -1 with e->msg "FILE:LINE: ..."
 * (the first error; *c then holds defaults plus every valid line, and c->errors lists every bad
 * line). */
int config_load(struct config *c, const char *path, struct lerr *e);
/* Parses one line's text into words (for reuse by the theme loader). Returns the count, or -1
 * with e set (unterminated quote). *argv is malloc'd (free with config_free_words). */
int config_split(const char *line, char ***argv, struct lerr *e);
void config_free_words(char **argv, size_t argc);
void config_free(struct config *c);

/* When cmd — the value of `setting` (browser, pdf-viewer), split like a config line — runs a
 * shell with a command string (sh -c, bash -lc, env dash -c, /bin/zsh -c...): a malloc'd
 * warning saying why that is unsafe (a link's bytes would be read by the shell: lectern(5)),
 * else NULL. config_load() adds it to c->warnings for `browser` and `pdf-viewer`. */
char *config_shell_warning(const char *setting, const char *cmd);

/* Finds a source by name (or by type name when no source is named so). NULL when absent. */
const struct config_source *config_find_source(const struct config *c, const char *name);
const char *config_source_type_name(enum source_type t);

#endif
