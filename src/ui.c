/* ui — the interactive reader's main loop: signals through flags and a self-pipe, poll() on the
 * terminal, the signal pipe and the fetcher's wake-up fd; one draw per burst of input. Also the
 * headless mode used by tests and benchmarks: keys from a script, screens dumped as text. */
#include "lectern/cli.h"
#include "lectern/rank_thread.h"
#include "lectern/ui.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lectern/cli_table.h"
#include "lectern/sync.h"
#include "lectern/text.h"
#include "lectern/ui_open.h"
#include "lectern/ui_prompt.h"

enum ui_focus { FOCUS_LIST, FOCUS_DETAIL };
enum ui_layout { LAYOUT_WIDE, LAYOUT_STACKED, LAYOUT_NARROW, LAYOUT_TOO_SMALL };

/* The reader: the panes and what they share. Private to this file: the panes see their own struct
 * and the context lent to them, never this. */
struct ui {
	const struct app *app;
	struct ui_ctx cx;         /* lent to every pane: screen, theme, messages, store */
	struct ui_fetch fetch;    /* the bridge to the fetch thread */

	SCREEN *screen;
	FILE *term_in, *term_out;
	enum ui_layout layout;
	struct ui_rect r_header, r_status, r_sep;   /* the panes keep their own rects */
	bool sep_vertical;
	enum ui_focus focus;
	bool quit;
	bool start_daily;         /* opened on today's Daily Papers for want of a cached day */

	struct ui_keymap keys;
	/* every configuration problem, "FILE:LINE: message" (config.c's and the UI's own) */
	struct ui_msgs config_errors;

	/* the panes */
	struct ui_list list;
	struct ui_detail detail;
	struct ui_search search;
	struct ui_list_mark before_search;   /* where Esc out of a search returns the list */
	struct ui_prompt prompt;
	struct ui_help help;

	/* reading by reading: the paper the detail shows, since when (ui_clock), and whether the
	 * timer is done with it (marked, or its read state set by hand) */
	char *seen_id;
	double seen_at;
	bool seen_done;
	int read_wait;            /* ms until the shown paper is due to be marked read (-1: none) */
	/* the last change to many papers (C), for z: the papers it marked read */
	char **undo_ids;
	size_t n_undo;

	struct ranker *ranker;    /* the ranker's thread, started when first needed */

	pid_t children[32];
	int n_children;
	bool show_osc52;          /* write OSC 52 to the terminal (stdout is a tty) */

	/* the sync folder (set sync-dir): read at start and every UI_SYNC_EVERY seconds on the
	 * UI thread's own connection (never queued behind a fetch); its warnings of one run */
	struct sync *sync;
	double sync_next;         /* util_monotonic() of the next run */
	int sync_warnings;
	char sync_warning[256];
};

enum { UI_SYNC_EVERY = 180 };
#define UI_SQLITE_MEMORY (12 << 20)   /* bytes: see store_limit_memory */

static volatile sig_atomic_t sig_winch, sig_quit, sig_tstp, sig_cont, sig_chld;
static int sig_pipe[2] = {-1, -1};
static struct ui *die_ui;   /* for the die hook, which takes no argument */

static void on_signal(int sig)
{
	int saved = errno;
	switch (sig) {
	case SIGWINCH: sig_winch = 1; break;
	case SIGTSTP: sig_tstp = 1; break;
	case SIGCONT: sig_cont = 1; break;
	case SIGCHLD: sig_chld = 1; break;
	default: sig_quit = 1; break;
	}
	if (sig_pipe[1] >= 0)
		(void)!write(sig_pipe[1], "", 1);
	errno = saved;
}

static void restore_terminal(void)
{
	if (die_ui && die_ui->screen && !isendwin())
		endwin();
}

static void install_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	int sigs[] = {SIGWINCH, SIGINT, SIGTERM, SIGHUP, SIGTSTP, SIGCONT, SIGCHLD};
	for (size_t i = 0; i < ARRAY_LEN(sigs); i++)
		sigaction(sigs[i], &sa, NULL);
}

static void reset_signals(void)
{
	int sigs[] = {SIGWINCH, SIGINT, SIGTERM, SIGHUP, SIGTSTP, SIGCONT, SIGCHLD};
	for (size_t i = 0; i < ARRAY_LEN(sigs); i++)
		signal(sigs[i], SIG_DFL);
}

/* ---- layout ------------------------------------------------------------------------------- */

/* Side by side, the list takes what the detail does not need: the detail keeps 60 columns (an
 * abstract reads well at 60-90), growing to 90 on very wide screens; the titles get the rest.
 * `set list-width N|N%` overrides (the detail keeps 30 columns whatever it says). */
static int list_width(const struct config *cfg, int cols)
{
	int lw;
	if (cfg->list_width > 0) {
		lw = cfg->list_width_pct ? cols * cfg->list_width / 100 : cfg->list_width;
		if (lw > cols - 31)
			lw = cols - 31;
		return lw < 30 ? 30 : lw;
	}
	int dw = cols * 40 / 100;
	dw = dw < 60 ? 60 : dw > 90 ? 90 : dw;
	return cols - 1 - dw;
}

static void layout(struct ui *u)
{
	u->cx.rows = LINES;
	u->cx.cols = COLS;
	int body = u->cx.rows - 2;
	u->r_header = (struct ui_rect){0, 0, 1, u->cx.cols};
	u->r_status = (struct ui_rect){u->cx.rows - 1, 0, 1, u->cx.cols};
	u->r_sep = (struct ui_rect){0, 0, 0, 0};
	if (u->cx.cols < 40 || u->cx.rows < 8) {
		u->layout = LAYOUT_TOO_SMALL;
		u->list.r = u->detail.r = (struct ui_rect){1, 0, 0, 0};
		return;
	}
	if (u->cx.cols >= 140) {
		u->layout = LAYOUT_WIDE;
		int lw = list_width(u->cx.cfg, u->cx.cols);
		u->list.r = (struct ui_rect){1, 0, body, lw};
		u->r_sep = (struct ui_rect){1, lw, body, 1};
		u->detail.r = (struct ui_rect){1, lw + 1, body, u->cx.cols - lw - 1};
		u->sep_vertical = true;
	} else if (u->cx.cols >= 80) {
		u->layout = LAYOUT_STACKED;
		int lh = body * 40 / 100;
		if (lh < 4)
			lh = 4;
		u->list.r = (struct ui_rect){1, 0, lh, u->cx.cols};
		u->r_sep = (struct ui_rect){1 + lh, 0, 1, u->cx.cols};
		u->detail.r = (struct ui_rect){2 + lh, 0, body - lh - 1, u->cx.cols};
		u->sep_vertical = false;
	} else {
		u->layout = LAYOUT_NARROW;
		u->list.r = (struct ui_rect){1, 0, body, u->cx.cols};
		u->detail.r = (struct ui_rect){1, 0, body, u->cx.cols};
	}
}

static void after_resize(struct ui *u)
{
	layout(u);
	if (u->layout != LAYOUT_TOO_SMALL)
		ui_list_scroll_to_sel(&u->list, &u->cx);
}

static void check_size(struct ui *u)
{
	struct winsize ws;
	/* resizeterm() queues a KEY_RESIZE when the size changes; calling it only on a real change
	 * keeps KEY_RESIZE -> check_size -> KEY_RESIZE from looping */
	if (!u->cx.headless && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col &&
	    (ws.ws_row != LINES || ws.ws_col != COLS))
		resizeterm(ws.ws_row, ws.ws_col);
	after_resize(u);
}

/* ---- drawing ------------------------------------------------------------------------------- */

/* C-l: everything drawn again, at the terminal's size now. */
static void redraw(struct ui *u)
{
	clearok(curscr, TRUE);
	check_size(u);
}

static bool detail_visible(const struct ui *u)
{
	return u->layout == LAYOUT_WIDE || u->layout == LAYOUT_STACKED ||
	       (u->layout == LAYOUT_NARROW && u->focus == FOCUS_DETAIL);
}

static void draw_too_small(struct ui *u)
{
	struct ui_ctx *c = &u->cx;
	for (int y = 0; y < c->rows; y++)
		ui_fill(c, y, 0, c->cols, EL_DEFAULT);
	ui_puts(c, c->rows / 2 - 1, 0, c->cols, "Terminal too small", EL_ERROR);
	ui_puts(c, c->rows / 2, 0, c->cols, "(needs 40x8; q quits)", EL_DEFAULT);
}

/* The line between the list and the detail (a label on it when they are stacked). */
static void draw_separator(struct ui *u)
{
	struct ui_rect s = u->r_sep;
	for (int i = 0; i < (u->sep_vertical ? s.h : s.w) && s.h; i++) {
		if (u->sep_vertical)
			ui_puts(&u->cx, s.y + i, s.x, 1, "│", EL_BORDER);
		else
			ui_puts(&u->cx, s.y, s.x + i, 1, "─", EL_BORDER);
	}
	if (!u->sep_vertical && s.h)
		ui_puts(&u->cx, s.y, s.x + 2, s.w - 2,
		        u->focus == FOCUS_DETAIL ? " detail (Tab: list) " : " detail (Tab, Enter) ",
		        EL_BORDER);
}

static void draw_panes(struct ui *u)
{
	const struct store_row *r = ui_list_selected(&u->list);
	if (detail_visible(u))
		ui_detail_show(&u->detail, &u->cx, r ? r->id : NULL, false);
	if (!(u->layout == LAYOUT_NARROW && u->focus == FOCUS_DETAIL))
		ui_list_draw(&u->list, &u->cx, &u->fetch);
	if (detail_visible(u))
		ui_detail_draw(&u->detail, &u->cx);
	draw_separator(u);
	char view[128];
	ui_list_view_name(&u->list, u->cx.cfg, view, sizeof view);
	ui_status_header(&u->cx, u->r_header, &u->list, view);
	if (u->prompt.kind != PROMPT_NONE)
		ui_prompt_draw(&u->prompt, &u->cx, u->r_status);
	else
		ui_status_line(&u->cx, u->r_status, &u->fetch.st, &u->search);
}

/* A paper shown in the detail pane for `set mark-read-after` seconds is marked read (one write
 * when the time comes), whatever the layout and however it got there (j/k side by side, J/K,
 * Space). Sets u->read_wait to the ms left for the paper shown now (-1: nothing pending). */
static void read_timer(struct ui *u)
{
	u->read_wait = -1;
	int64_t after = u->cx.cfg->mark_read_after;
	struct store_row *r = (struct store_row *)ui_list_selected(&u->list);
	if (after < 0 || !r || u->help.on || u->layout == LAYOUT_TOO_SMALL || !detail_visible(u)) {
		xfree(&u->seen_id);   /* hidden: showing it again starts the time again */
		return;
	}
	double now = ui_clock(&u->cx);
	if (!u->seen_id || strcmp(u->seen_id, r->id) != 0) {
		free(u->seen_id);
		u->seen_id = xstrdup(r->id);
		u->seen_at = now;
		u->seen_done = false;
	}
	if (u->seen_done || r->read)
		return;
	double left = u->seen_at + (double)after - now;
	if (left > 0) {
		u->read_wait = (int)(left * 1000) + 1;
		return;
	}
	u->seen_done = true;
	struct lerr e = {0};
	if (store_set_read(u->cx.store, r->id, true, &e) < 0) {
		ui_msg(&u->cx, true, "Not marked read: %s", e.msg);
		return;
	}
	r->read = true;
	if (u->detail.id)
		ui_detail_show(&u->detail, &u->cx, r->id, true);
}

/* The read state of the paper shown was set by hand (u, Enter, C, z): the timer leaves it. */
static void read_timer_done(struct ui *u)
{
	const struct store_row *r = ui_list_selected(&u->list);
	free(u->seen_id);
	u->seen_id = r ? xstrdup(r->id) : NULL;
	u->seen_done = true;
}

static void draw(struct ui *u)
{
	read_timer(u);
	ui_msg_expire(&u->cx);
	erase();
	if (u->layout == LAYOUT_TOO_SMALL)
		draw_too_small(u);
	else if (u->help.on)
		ui_help_draw(&u->help, &u->cx);
	else
		draw_panes(u);
	if (u->cx.headless) {
		wnoutrefresh(stdscr);
		doupdate();
	} else {
		refresh();
	}
}

/* ---- actions ------------------------------------------------------------------------------ */

static void today(char *buf, size_t n)
{
	const char *now = getenv("LECTERN_NOW");   /* tests pin the clock */
	int64_t t = util_now();
	if (now && *now) {
		int64_t v;
		if (util_parse_time(now, &v) == 0)
			t = v;
		else
			t = strtoll(now, NULL, 10);
	}
	util_fmt_date(t, buf, n);
}

static void day_add(char *day, int delta)
{
	int64_t t;
	if (util_parse_time(day, &t) == 0)
		util_fmt_date(t + (int64_t)delta * 86400, day, 11);
}

/* Entering a view applies its default order: Daily Papers most upvoted first (as on
 * huggingface.co/papers), everything else newest first. Within a view (stepping between days,
 * cycling sources) the order chosen with s stays. */
static void switch_view(struct ui *u, enum ui_view_kind kind)
{
	if (kind != u->list.kind)
		u->list.sort = ui_list_default_sort(kind);
	u->list.kind = kind;
	u->detail.why_list = kind == VIEW_FOR_YOU ? STORE_LIST_FOR_YOU
	                     : kind == VIEW_SIMILAR ? STORE_LIST_SIMILAR : -1;
	if (u->detail.id)
		ui_detail_show(&u->detail, &u->cx, u->detail.id, true);
	ui_list_set_query(&u->list, NULL);
	u->list.count = -1;
	u->focus = FOCUS_LIST;
	ui_list_load_start(&u->list, &u->cx);
}

static void goto_day(struct ui *u, const char *day)
{
	snprintf(u->list.day, sizeof u->list.day, "%s", day);
	switch_view(u, VIEW_HF);
	/* a day with nothing cached is fetched once per session (r fetches it again) */
	if (u->list.rows.n == 0 && u->fetch.fetcher)
		ui_fetch_day(&u->fetch, &u->cx, u->list.day, false);
}

static void view_hf(struct ui *u)
{
	struct lerr e = {0};
	char day[11];
	if (store_hf_day_step(u->cx.store, "9999-12-31", -1, day, sizeof day, &e) != 1)
		today(day, sizeof day);
	goto_day(u, day);
}

/* ---- the ranker --------------------------------------------------------------------------- */

static bool ranker_on(struct ui *u)
{
	if (u->ranker)
		return true;
	struct lerr e = {0};
	u->ranker = rank_start(u->app->db_path, &e);
	if (!u->ranker)
		ui_msg(&u->cx, true, "The ranker cannot run: %s", e.msg);
	return u->ranker != NULL;
}

/* i: "for you" — the last days ranked (in the ranker's thread); the list shows the last ranking
 * until the new one lands. */
static void view_for_you(struct ui *u)
{
	if (!ranker_on(u))
		return;
	int days = u->cx.cfg->for_you_days;
	rank_request(u->ranker, RANK_REQ_FOR_YOU, NULL, util_now() - (int64_t)days * 86400);
	snprintf(u->list.rank_note, sizeof u->list.rank_note, "Ranking the last %d days for you…",
	         days);
	switch_view(u, VIEW_FOR_YOU);
	ui_msg(&u->cx, false, "Ranking the last %d days for you…", days);
}

/* m: papers like the selected one (the view opens when they are found). */
static void more_like(struct ui *u)
{
	const struct store_row *r = ui_list_selected(&u->list);
	if (!r || !ranker_on(u))
		return;
	rank_request(u->ranker, RANK_REQ_SIMILAR, r->id, 0);
	ui_msg(&u->cx, false, "Finding papers like %s…", r->id);
}

static void on_rank_event(struct ui *u, const struct rank_event *ev)
{
	if (!ev->ok) {
		ui_msg(&u->cx, true, "Ranking failed: %s", ev->msg);
		snprintf(u->list.rank_note, sizeof u->list.rank_note, "Ranking failed: %.160s", ev->msg);
		return;
	}
	if (ev->kind == RANK_REQ_SIMILAR) {
		snprintf(u->list.like, sizeof u->list.like, "%s", ev->arg);
		snprintf(u->list.rank_note, sizeof u->list.rank_note, "No paper like %s found",
		         ev->arg);
		switch_view(u, VIEW_SIMILAR);
		ui_msg(&u->cx, false, "%zu papers like %s, most alike first (the detail says what "
		       "they share)", ev->n, ev->arg);
		return;
	}
	int days = u->cx.cfg->for_you_days;
	if (ev->mode == RANK_NO_FAVOURITES) {
		snprintf(u->list.rank_note, sizeof u->list.rank_note, "No favourites yet — mark papers "
		         "with f (and hide what you do not want with x): the ranking learns from them");
		ui_msg(&u->cx, false, "No favourites yet — mark papers with f");
	} else {
		snprintf(u->list.rank_note, sizeof u->list.rank_note, "No papers in the last %d days "
		         "(set for-you-days)", days);
		if (ev->mode == RANK_SIMILARITY)
			ui_msg(&u->cx, false, "%zu papers of the last %d days, by similarity to your %zu "
			       "favourite%s (a model is trained from %d)", ev->n, days, ev->n_pos,
			       ev->n_pos == 1 ? "" : "s", RANK_MIN_MODEL);
		else
			ui_msg(&u->cx, false, "%zu papers of the last %d days ranked for you (learnt from "
			       "%zu favourites and %zu others, %.0f ms)", ev->n, days, ev->n_pos,
			       ev->n_neg, ev->ms);
	}
	if (u->list.kind == VIEW_FOR_YOU) {
		ui_list_load_start(&u->list, &u->cx);
		if (u->detail.id)
			ui_detail_show(&u->detail, &u->cx, ui_list_selected(&u->list)
			               ? ui_list_selected(&u->list)->id : NULL, true);
	}
}

static void rank_drain(struct ui *u)
{
	struct rank_event ev;
	while (rank_next_event(u->ranker, &ev))
		on_rank_event(u, &ev);
}

/* Headless <Wait>: until the ranker has nothing to do (at most max_s seconds). */
static void rank_wait(struct ui *u, double max_s)
{
	double end = util_monotonic() + max_s;
	while (u->ranker && rank_busy(u->ranker) && util_monotonic() < end) {
		struct pollfd p = {rank_wake_fd(u->ranker), POLLIN, 0};
		poll(&p, 1, 50);
		rank_drain(u);
	}
	rank_drain(u);
}

/* The view a session opens on: `set start-view`, else the newest Daily Papers day when an
 * hf-daily source is configured (the morning's reading), else the unread papers. */
static void open_start_view(struct ui *u)
{
	const struct config *cfg = u->cx.cfg;
	const char *v = cfg->start_view;
	if (!v) {
		v = "unread";
		for (size_t i = 0; i < cfg->n_sources; i++)
			if (cfg->sources[i].type == SOURCE_HF_DAILY)
				v = "daily";
	}
	if (!strcmp(v, "daily")) {
		view_hf(u);
		/* nothing cached yet: the first fetch to land picks the newest day (on_fetch_done) */
		u->start_daily = u->list.rows.n == 0;
	} else if (!strncmp(v, "source:", 7)) {
		const struct config_source *src = config_find_source(cfg, v + 7);
		u->list.source = src ? (size_t)(src - cfg->sources) : 0;
		switch_view(u, src ? VIEW_SOURCE : VIEW_UNREAD);
	} else if (!strcmp(v, "for-you")) {
		view_for_you(u);
	} else {
		switch_view(u, !strcmp(v, "all") ? VIEW_ALL
		               : !strcmp(v, "favourites") ? VIEW_FAVOURITES : VIEW_UNREAD);
	}
}

/* [ and ]: the calendar day before / after (never after today), fetched when not cached. */
static void step_day(struct ui *u, int dir)
{
	if (u->list.kind != VIEW_HF) {
		view_hf(u);
		return;
	}
	char day[11], now[16];
	today(now, sizeof now);
	memcpy(day, u->list.day, sizeof day);
	day_add(day, dir);
	if (dir > 0 && strcmp(day, now) > 0) {
		ui_msg(&u->cx, false, "%s is today: there is no later day", u->list.day);
		return;
	}
	goto_day(u, day);
}

/* { and }: the nearest day before / after that has Daily Papers in the cache. */
static void step_cached_day(struct ui *u, int dir)
{
	char day[11];
	struct lerr e = {0};
	const char *from = u->list.kind == VIEW_HF ? u->list.day : dir < 0 ? "9999-12-31" : "0000-01-01";
	int rc = store_hf_day_step(u->cx.store, from, dir, day, sizeof day, &e);
	if (rc < 0)
		ui_msg(&u->cx, true, "%s", e.msg);
	else if (rc == 0)
		ui_msg(&u->cx, false, "No %s day with Daily Papers in the cache ([ ] step day by day)",
		       dir < 0 ? "earlier" : "later");
	else
		goto_day(u, day);
}

static bool goto_day_text(struct ui *u, const char *text)
{
	char now[16], day[11];
	struct lerr e = {0};
	today(now, sizeof now);
	if (ui_parse_day(text, now, day, sizeof day, &e) < 0) {
		ui_msg(&u->cx, true, "%s", e.msg);
		return false;
	}
	goto_day(u, day);
	return true;
}

/* Runs cmd (a browser or the PDF viewer, "%u" the target) on target through argv. */
static void launch(struct ui *u, char *cmd, const char *target, const char *setting,
                   bool in_terminal)
{
	struct lerr e = {0};
	const char *url = target;
	char **argv = ui_open_argv(cmd, url, &e);
	if (!argv) {
		ui_msg(&u->cx, true, "%s '%s': %s", setting, cmd, e.msg);
		free(cmd);
		return;
	}
	if (in_terminal || ui_browser_is_terminal(argv[0])) {
		/* a terminal browser gets the terminal: suspend curses, wait, resume */
		def_prog_mode();
		endwin();
		int rc = ui_run_foreground(argv, &e);
		reset_prog_mode();
		clearok(curscr, TRUE);
		if (rc < 0)
			ui_msg(&u->cx, true, "%s", e.msg);
		else if (rc != 0)
			ui_msg(&u->cx, true, "%s exited with status %d", argv[0], rc);
		else
			ui_msg_clear(&u->cx);   /* a normal return needs no comment */
		check_size(u);
	} else {
		pid_t pid = ui_spawn_detached(argv, &e);
		if (pid < 0) {
			ui_msg(&u->cx, true, "%s", e.msg);
		} else {
			if (u->n_children < (int)ARRAY_LEN(u->children))
				u->children[u->n_children++] = pid;
			ui_msg(&u->cx, false, "Opened %s", url);
		}
	}
	ui_argv_free(argv);
	free(cmd);
}

static void open_url(struct ui *u, const char *url, const char *what)
{
	if (!url || !*url) {
		ui_msg(&u->cx, true, "This paper has no %s link", what);
		return;
	}
	if (!ui_url_allowed(url)) {
		ui_msg(&u->cx, true, "Not opening %s: only http and https links are opened", url);
		return;
	}
	launch(u, ui_browser_command(u->cx.cfg->browser), url, "browser",
	       u->cx.cfg->browser_in_terminal);
}

/* The PDF lectern downloaded for p, opened with `set pdf-viewer` (else xdg-open): the one kind
 * of target that is not an http(s) URL, and only a file pdf_find() found under pdf-dir. Returns
 * false when there is none. */
static bool open_local_pdf(struct ui *u, const struct paper *p)
{
	char key[80];
	pdf_key(p->id, p->version, key, sizeof key);
	char *dir = pdf_dir(u->cx.cfg);
	char *path = pdf_find(dir, key);
	free(dir);
	if (!path)
		return false;
	launch(u, ui_viewer_command(u->cx.cfg->pdf_viewer), path, "pdf-viewer", false);
	free(path);
	return true;
}

/* d: the selected paper's PDF to pdf-dir, on the fetch thread (progress in the status line). */
static void download_pdf(struct ui *u)
{
	const struct store_row *r = ui_list_selected(&u->list);
	if (!r)
		return;
	if (ui_fetch_request_quiet(&u->fetch, &u->cx, FETCH_REQ_PDF, r->id, "PDF"))
		ui_msg(&u->cx, false, "Downloading the PDF of %s…", r->id);
}

static void reap(struct ui *u)
{
	for (int i = 0; i < u->n_children;) {
		int st;
		pid_t r = waitpid(u->children[i], &st, WNOHANG);
		if (r == u->children[i] || (r < 0 && errno == ECHILD))
			u->children[i] = u->children[--u->n_children];
		else
			i++;
	}
}

static void open_link(struct ui *u, enum ui_action a)
{
	const struct store_row *r = ui_list_selected(&u->list);
	if (!r) {
		ui_msg(&u->cx, true, "No paper selected");
		return;
	}
	ui_detail_show(&u->detail, &u->cx, r->id, false);
	struct ui_detail *d = &u->detail;
	if (a >= ACT_LINK_1 && a <= ACT_LINK_9) {
		int i = (int)(a - ACT_LINK_1);
		if (i >= d->n_links)
			ui_msg(&u->cx, true, "No link [%d]", i + 1);
		else
			open_url(u, d->links[i], "numbered");
		return;
	}
	if (!d->loaded)
		return;
	const struct paper *p = &d->p;
	bool arx = paper_is_arxiv_id(p->id);
	char *derived = NULL;
	const char *url = NULL, *what = "";
	switch (a) {
	case ACT_OPEN_ABS:
		what = "abstract";
		url = p->url_abs ? p->url_abs : arx ? (derived = paper_abs_url(p->id)) : NULL;
		break;
	case ACT_OPEN_PDF:
		if (open_local_pdf(u, p))
			return;
		what = "PDF";
		url = p->url_pdf ? p->url_pdf : arx ? (derived = paper_pdf_url(p->id)) : NULL;
		break;
	case ACT_OPEN_CODE: what = "code"; url = p->url_code; break;
	case ACT_OPEN_PROJECT: what = "project"; url = p->url_project; break;
	case ACT_OPEN_HF:
		what = "Hugging Face";
		url = p->url_hf ? p->url_hf : arx ? (derived = paper_hf_url(p->id)) : NULL;
		break;
	default: break;
	}
	open_url(u, url, what);
	free(derived);
}

static void copy_id(struct ui *u)
{
	const struct store_row *r = ui_list_selected(&u->list);
	if (!r)
		return;
	ui_detail_show(&u->detail, &u->cx, r->id, false);
	const char *text = paper_is_arxiv_id(r->id) ? r->id
	                   : (u->detail.loaded && u->detail.p.url_abs ? u->detail.p.url_abs : r->id);
	const char *tool;
	struct lerr e = {0};
	int rc = ui_copy_text(text, &tool, &e);
	if (rc > 0) {
		ui_msg(&u->cx, false, "Copied %s (%s)", text, tool);
		return;
	}
	/* no tool could confirm it: the terminal may or may not honour OSC 52 */
	if (u->show_osc52) {
		char *b64 = ui_base64((const unsigned char *)text, strlen(text));
		char *seq = xasprintf("\033]52;c;%s\a", b64);
		fflush(u->term_out);
		(void)!write(STDOUT_FILENO, seq, strlen(seq));
		free(seq);
		free(b64);
	}
	if (rc < 0)
		ui_msg(&u->cx, true, "%s; asked the terminal to copy %s (OSC 52)", e.msg, text);
	else
		ui_msg(&u->cx, false, "Asked the terminal to copy %s (OSC 52)", text);
}

/* Re-queries the list around the selection and refreshes the detail (after a write or fetch). */
static void refresh_data(struct ui *u)
{
	const struct store_row *r = ui_list_selected(&u->list);
	char *id = r ? xstrdup(r->id) : NULL;
	ui_list_reload_around(&u->list, &u->cx, id);
	r = ui_list_selected(&u->list);
	if (u->detail.id)
		ui_detail_show(&u->detail, &u->cx, r ? r->id : NULL, true);
	free(id);
}

/* ---- the sync folder ----------------------------------------------------------------------- */

static void on_sync_warning(void *ctx, const char *msg)
{
	struct ui *u = ctx;
	u->sync_warnings++;
	snprintf(u->sync_warning, sizeof u->sync_warning, "%s", msg);
}

/* Reads the sync folder now; what other caches changed is shown at once. */
static void sync_now(struct ui *u)
{
	struct sync_stats st;
	struct lerr e = {0};
	u->sync_next = util_monotonic() + UI_SYNC_EVERY;
	u->sync_warnings = 0;
	if (sync_run(u->sync, false, &st, &e) < 0) {
		ui_msg(&u->cx, true, "Sync: %s", e.msg);
		return;
	}
	if (st.changed)
		refresh_data(u);
	if (u->sync_warnings)
		ui_msg(&u->cx, true, "Sync: %s%s", u->sync_warning,
		       u->sync_warnings > 1 ? " (and more: run `lectern sync`)" : "");
	else if (st.changed)
		ui_msg(&u->cx, false, "Sync: %ld change%s from the sync folder", st.changed,
		       st.changed == 1 ? "" : "s");
}

/* ms until the next sync is due (-1: no sync folder). */
static int sync_wait(const struct ui *u)
{
	if (!u->sync)
		return -1;
	double left = u->sync_next - util_monotonic();
	return left <= 0 ? 0 : (int)(left * 1000) + 1;
}

/* ---- what the panes ask for ---------------------------------------------------------------- */

static void search_open(struct ui *u)
{
	/* remember what Esc goes back to (unless a kept search is being refined) */
	ui_list_mark(&u->list, &u->before_search);
	ui_search_open(&u->search, &u->cx, u->list.qtext);
}

/* Runs the search text when it changed (once per burst of keys, before the next screen). */
static void search_run(struct ui *u)
{
	char *t = ui_search_take(&u->search, u->list.qtext);
	if (!t)
		return;
	if (ui_list_search(&u->list, &u->cx, t) == 0 && u->cx.msg_error)
		ui_msg_clear(&u->cx);
	free(t);
}

/* Sends the query (the prompt's text or the list's) to the remote sources; the list runs what
 * the cache can run of it. */
static void search_remote(struct ui *u)
{
	struct store_view v;
	ui_list_view(&u->list, u->cx.cfg, &v);
	ui_search_remote(&u->search, &u->cx, &u->fetch, &v, u->list.qtext);
}

/* Esc in the list with a kept search or a remote search's view: back to the view before it.
 * False when there is none. */
static bool search_clear(struct ui *u)
{
	if (!u->list.qtext && u->list.kind != VIEW_REMOTE)
		return false;
	struct ui_list_mark *m = &u->before_search;
	/* the state saved when the prompt opened may itself have had a query: drop it */
	if (m->qtext && u->list.qtext && strcmp(m->qtext, u->list.qtext) == 0)
		xfree(&m->qtext);
	ui_list_restore(&u->list, &u->cx, m);
	ui_msg(&u->cx, false, "Search cleared");
	return true;
}

/* n, t: the note or tags of the current paper; D: a day. */
static void prompt_open(struct ui *u, enum ui_prompt_kind kind)
{
	ui_prompt_free(&u->prompt);
	if (kind == PROMPT_DAY) {
		ui_prompt_open(&u->prompt, &u->cx, kind, NULL, NULL);
		return;
	}
	const struct store_row *r = ui_list_selected(&u->list);
	if (!r) {
		ui_msg(&u->cx, true, "No paper selected");
		return;
	}
	ui_detail_show(&u->detail, &u->cx, r->id, false);
	if (!u->detail.loaded) {
		ui_msg(&u->cx, true, "%s", u->detail.err[0] ? u->detail.err : "Cannot load the paper");
		return;
	}
	ui_prompt_open(&u->prompt, &u->cx, kind, r->id, &u->detail.p);
}

/* A note or tags of paper id were written: the list's ✎ (and a has:note / tag: view) comes from
 * the rows, so they are re-read around the selection; the detail too when it shows the paper. */
static void paper_saved(struct ui *u, const char *id)
{
	const struct store_row *sel = ui_list_selected(&u->list);
	char *sel_id = sel ? xstrdup(sel->id) : NULL;
	ui_list_reload_around(&u->list, &u->cx, sel_id);
	free(sel_id);
	if (u->detail.id && strcmp(u->detail.id, id) == 0)
		ui_detail_show(&u->detail, &u->cx, id, true);
}

static void apply(struct ui *u, struct ui_intent it)
{
	switch (it.kind) {
	case UI_DO_NOTHING: break;
	case UI_DO_SEARCH_CANCEL:
		ui_list_restore(&u->list, &u->cx, &u->before_search);
		ui_msg(&u->cx, false, "Search cancelled");
		break;
	case UI_DO_SEARCH_KEEP:
		search_run(u);
		ui_search_keep(&u->search, &u->cx, u->list.qtext, u->list.error);
		break;
	case UI_DO_SEARCH_REMOTE:
		search_run(u);
		search_remote(u);
		break;
	case UI_DO_GOTO_DAY:
		if (!goto_day_text(u, it.text))
			ui_prompt_reopen(&u->prompt, PROMPT_DAY, it.text);
		break;
	case UI_DO_SAVED: paper_saved(u, it.text); break;
	}
	free(it.text);
}

/* A fetch landed (ui_fetch has said what came): re-read what it changed. */
static void on_fetch_done(void *arg, const struct fetch_event *ev)
{
	struct ui *u = arg;
	if (ev->req == FETCH_REQ_SEARCH) {
		ui_search_landed(&u->search, &u->cx, ev);
		if (!ev->n_found || !u->search.remote_q[0])
			return;
		/* The results are a view of their own (the listing of the search): the local query
		 * would filter away what arXiv matched in its own way. The prompt closes; Esc goes
		 * back to the view before the prompt opened (or to the kept search S was sent from). */
		if (u->search.active)
			u->search.active = false;
		else if (u->list.kind != VIEW_REMOTE)
			ui_list_mark(&u->list, &u->before_search);
		free(u->list.remote);
		u->list.remote = fetch_search_source(u->search.remote_q);
		switch_view(u, VIEW_REMOTE);
		const struct store_row *r = ui_list_selected(&u->list);
		if (u->detail.id)
			ui_detail_show(&u->detail, &u->cx, r ? r->id : NULL, true);
		return;
	}
	/* opened on Daily Papers with none cached: the newest day that came, unless the user moved on */
	if (u->start_daily && u->cx.n_keys == 0 && u->list.kind == VIEW_HF && u->list.rows.n == 0) {
		view_hf(u);
		u->start_daily = u->list.rows.n == 0;
		return;
	}
	/* re-queried around the selected paper: new papers never move it (an empty Daily Papers day
	 * is re-read anyway: papers already cached may just have been listed) */
	if (ev->n_new || ev->n_updated || (u->list.kind == VIEW_HF && u->list.rows.n == 0))
		refresh_data(u);
}

static void set_user_state(struct ui *u, bool fav)
{
	struct store_row *r = (struct store_row *)ui_list_selected(&u->list);
	if (!r)
		return;
	struct lerr e = {0};
	if (fav) {
		bool on;
		if (store_toggle_favourite(u->cx.store, r->id, &on, &e) < 0) {
			ui_msg(&u->cx, true, "Favourite not saved: %s", e.msg);
			return;
		}
		r->favourite = on;
		ui_msg(&u->cx, false, on ? "★ Added to favourites" : "Removed from favourites");
	} else {
		if (store_set_read(u->cx.store, r->id, !r->read, &e) < 0) {
			ui_msg(&u->cx, true, "Not saved: %s", e.msg);
			return;
		}
		r->read = !r->read;
		read_timer_done(u);
		ui_msg(&u->cx, false, r->read ? "Marked read" : "Marked unread");
	}
	if (u->detail.id)
		ui_detail_show(&u->detail, &u->cx, r->id, true);
}

/* x: not interested. The paper leaves the view (the selection moves to its neighbour); in the
 * hidden view (X) x shows it again. A favourite is never hidden: the status says so. */
static void hide_paper(struct ui *u)
{
	const struct store_row *r = ui_list_selected(&u->list);
	if (!r)
		return;
	struct lerr e = {0};
	bool on = !r->hidden;
	char *id = xstrdup(r->id);
	if (store_set_hidden(u->cx.store, id, on, &e) < 0) {
		ui_msg(&u->cx, true, e.kind == LERR_USAGE ? "%s" : "Not hidden: %s", e.msg);
		free(id);
		return;
	}
	refresh_data(u);
	ui_msg(&u->cx, false, on ? "Hidden %s (not interested) — X lists hidden papers, x there "
	       "shows it again" : "%s is shown again", id);
	free(id);
}

static void undo_forget(struct ui *u)
{
	store_ids_free(u->undo_ids, u->n_undo);
	u->undo_ids = NULL;
	u->n_undo = 0;
}

/* C: every paper of the view read (one transaction); z can take it back. */
static void catch_up(struct ui *u)
{
	struct store_view v;
	ui_list_view(&u->list, u->cx.cfg, &v);
	char **ids;
	size_t n;
	struct lerr e = {0};
	int64_t rc = store_view_mark_read(u->cx.store, &v, &ids, &n, &e);
	if (rc < 0) {
		ui_msg(&u->cx, true, "Nothing marked read: %s", e.msg);
		return;
	}
	if (rc == 0) {
		ui_msg(&u->cx, false, "Every paper of this view is read already");
		return;
	}
	undo_forget(u);
	u->undo_ids = ids;
	u->n_undo = n;
	read_timer_done(u);
	refresh_data(u);
	ui_msg(&u->cx, false, "Marked %zu paper%s read — z undoes", n, n == 1 ? "" : "s");
}

/* z: the papers the last catch-up marked read are unread again (one transaction). */
static void undo(struct ui *u)
{
	if (!u->n_undo) {
		ui_msg(&u->cx, false, "Nothing to undo");
		return;
	}
	struct lerr e = {0};
	if (store_begin(u->cx.store, &e) < 0) {
		ui_msg(&u->cx, true, "Not undone: %s", e.msg);
		return;
	}
	for (size_t i = 0; i < u->n_undo; i++)
		if (store_set_read(u->cx.store, u->undo_ids[i], false, &e) < 0) {
			store_rollback(u->cx.store);
			ui_msg(&u->cx, true, "Not undone: %s", e.msg);
			return;
		}
	if (store_commit(u->cx.store, &e) < 0) {
		store_rollback(u->cx.store);
		ui_msg(&u->cx, true, "Not undone: %s", e.msg);
		return;
	}
	size_t n = u->n_undo;
	undo_forget(u);
	read_timer_done(u);
	refresh_data(u);
	ui_msg(&u->cx, false, "Undone: %zu paper%s unread again", n, n == 1 ? "" : "s");
}

static void open_detail(struct ui *u)
{
	struct store_row *r = (struct store_row *)ui_list_selected(&u->list);
	if (!r)
		return;
	u->focus = FOCUS_DETAIL;
	if (!r->read) {
		struct lerr e = {0};
		if (store_set_read(u->cx.store, r->id, true, &e) < 0)
			ui_msg(&u->cx, true, "Not marked read: %s", e.msg);
		else
			r->read = true;
	}
	read_timer_done(u);
	ui_detail_show(&u->detail, &u->cx, r->id, true);
}

static long page(const struct ui *u, bool detail)
{
	int h = detail ? u->detail.r.h : u->list.r.h;
	return h > 1 ? h - 1 : 1;
}

/* The movement keys, in the pane that has the focus. */
static bool act_move(struct ui *u, enum ui_action a)
{
	if (a < ACT_DOWN || a > ACT_HALF_UP)   /* the movement actions are contiguous */
		return false;
	bool det = u->focus == FOCUS_DETAIL && detail_visible(u);
	long pg = page(u, det);
	if (det) {
		switch (a) {
		case ACT_DOWN: ui_detail_scroll(&u->detail, 1); break;
		case ACT_UP: ui_detail_scroll(&u->detail, -1); break;
		case ACT_TOP: u->detail.scroll = 0; break;
		case ACT_BOTTOM: ui_detail_scroll_end(&u->detail); break;
		case ACT_PAGE_DOWN: ui_detail_scroll(&u->detail, pg); break;
		case ACT_PAGE_UP: ui_detail_scroll(&u->detail, -pg); break;
		case ACT_HALF_DOWN: ui_detail_scroll(&u->detail, (pg + 1) / 2); break;
		case ACT_HALF_UP: ui_detail_scroll(&u->detail, -(pg + 1) / 2); break;
		default: break;
		}
		return true;
	}
	switch (a) {
	case ACT_DOWN: ui_list_move(&u->list, &u->cx, 1); break;
	case ACT_UP: ui_list_move(&u->list, &u->cx, -1); break;
	case ACT_TOP: ui_list_load_start(&u->list, &u->cx); break;
	case ACT_BOTTOM: ui_list_load_end(&u->list, &u->cx); break;
	case ACT_PAGE_DOWN:
		u->list.top += (size_t)pg;
		ui_list_move(&u->list, &u->cx, pg);
		break;
	case ACT_PAGE_UP:
		u->list.top = u->list.top > (size_t)pg ? u->list.top - (size_t)pg : 0;
		ui_list_move(&u->list, &u->cx, -pg);
		break;
	case ACT_HALF_DOWN: ui_list_move(&u->list, &u->cx, (pg + 1) / 2); break;
	case ACT_HALF_UP: ui_list_move(&u->list, &u->cx, -(pg + 1) / 2); break;
	default: break;
	}
	return true;
}

/* J, K: the next / previous paper whichever pane has the focus; the detail follows the list. */
static bool act_step(struct ui *u, enum ui_action a)
{
	bool det = u->focus == FOCUS_DETAIL && detail_visible(u);
	switch (a) {
	case ACT_NEXT_PAPER: ui_list_move(&u->list, &u->cx, 1); return true;
	case ACT_PREV_PAPER: ui_list_move(&u->list, &u->cx, -1); return true;
	case ACT_PAGE_OR_NEXT:
		/* as in mutt and newsboat: the detail pages through the paper, then goes on to the next */
		if (!det)
			return act_move(u, ACT_PAGE_DOWN);
		if (ui_detail_at_end(&u->detail))
			ui_list_move(&u->list, &u->cx, 1);
		else
			ui_detail_scroll(&u->detail, page(u, true));
		return true;
	default: return false;
	}
}

/* Enter, Esc, Tab: which pane has the keys. */
static bool act_focus(struct ui *u, enum ui_action a)
{
	switch (a) {
	case ACT_OPEN:
		if (u->focus == FOCUS_LIST)
			open_detail(u);
		return true;
	case ACT_BACK:
		if (u->focus == FOCUS_DETAIL)
			u->focus = FOCUS_LIST;
		else
			search_clear(u);
		return true;
	case ACT_SWITCH_PANE:
		if (u->focus == FOCUS_DETAIL)
			u->focus = FOCUS_LIST;
		else if (ui_list_selected(&u->list))
			u->focus = FOCUS_DETAIL;
		return true;
	default: return false;
	}
}

/* Keys on the current paper: marks, note and tags, links. */
static bool act_paper(struct ui *u, enum ui_action a)
{
	switch (a) {
	case ACT_FAVOURITE: set_user_state(u, true); return true;
	case ACT_READ: set_user_state(u, false); return true;
	case ACT_HIDE: hide_paper(u); return true;
	case ACT_CATCH_UP: catch_up(u); return true;
	case ACT_UNDO: undo(u); return true;
	case ACT_COPY: copy_id(u); return true;
	case ACT_NOTE: prompt_open(u, PROMPT_NOTE); return true;
	case ACT_AUTHORS: {
		const struct store_row *r = ui_list_selected(&u->list);
		if (r) {
			ui_detail_show(&u->detail, &u->cx, r->id, false);
			ui_detail_toggle_authors(&u->detail, &u->cx);
		}
		return true;
	}
	case ACT_TAGS: prompt_open(u, PROMPT_TAGS); return true;
	case ACT_DOWNLOAD_PDF: download_pdf(u); return true;
	case ACT_OPEN_ABS: case ACT_OPEN_PDF: case ACT_OPEN_CODE: case ACT_OPEN_HF:
	case ACT_OPEN_PROJECT: case ACT_LINK_1: case ACT_LINK_2: case ACT_LINK_3: case ACT_LINK_4:
	case ACT_LINK_5: case ACT_LINK_6: case ACT_LINK_7: case ACT_LINK_8: case ACT_LINK_9:
		open_link(u, a);
		return true;
	default: return false;
	}
}

/* Keys that change what the list shows: views, days, order, search. */
static bool act_view(struct ui *u, enum ui_action a)
{
	switch (a) {
	case ACT_VIEW_ALL: switch_view(u, VIEW_ALL); return true;
	case ACT_VIEW_FAVOURITES: switch_view(u, VIEW_FAVOURITES); return true;
	case ACT_VIEW_UNREAD: switch_view(u, VIEW_UNREAD); return true;
	case ACT_VIEW_HIDDEN: switch_view(u, VIEW_HIDDEN); return true;
	case ACT_VIEW_FOR_YOU: view_for_you(u); return true;
	case ACT_MORE_LIKE: more_like(u); return true;
	case ACT_VIEW_WATCHED: switch_view(u, VIEW_WATCHED); return true;
	case ACT_VIEW_HF: view_hf(u); return true;
	case ACT_DAY_PREV: step_day(u, -1); return true;
	case ACT_DAY_NEXT: step_day(u, 1); return true;
	case ACT_DAY_PREV_CACHED: step_cached_day(u, -1); return true;
	case ACT_DAY_NEXT_CACHED: step_cached_day(u, 1); return true;
	case ACT_GOTO_DAY: prompt_open(u, PROMPT_DAY); return true;
	case ACT_VIEW_SOURCE:
		if (u->cx.cfg->n_sources == 0) {
			ui_msg(&u->cx, true, "No sources configured");
			return true;
		}
		if (u->list.kind != VIEW_SOURCE) {
			u->list.source = 0;
			switch_view(u, VIEW_SOURCE);
		} else if (u->list.source + 1 < u->cx.cfg->n_sources) {
			u->list.source++;
			switch_view(u, VIEW_SOURCE);
		} else {
			switch_view(u, VIEW_ALL);
		}
		return true;
	case ACT_SORT: {
		u->list.sort = (u->list.sort + 1) % 3;
		/* relevance means something only for a search */
		if (u->list.sort == STORE_SORT_RELEVANCE && !u->list.query)
			u->list.sort = STORE_SORT_DATE;
		ui_list_load_start(&u->list, &u->cx);
		return true;
	}
	case ACT_SEARCH: search_open(u); return true;
	case ACT_SEARCH_REMOTE:
		if (u->list.query)
			search_remote(u);
		else
			search_open(u);
		return true;
	default: return false;
	}
}

/* Keys that ask the fetcher for work. */
static bool act_fetch(struct ui *u, enum ui_action a)
{
	switch (a) {
	case ACT_REFRESH: {
		const struct config *cfg = u->cx.cfg;
		if (u->list.kind == VIEW_SOURCE && u->list.source < cfg->n_sources) {
			const char *name = cfg->sources[u->list.source].name;
			ui_fetch_request(&u->fetch, &u->cx, FETCH_REQ_SOURCE, name, name);
		} else if (u->list.kind == VIEW_HF) {
			ui_fetch_day(&u->fetch, &u->cx, u->list.day, true);
		} else {
			ui_fetch_request(&u->fetch, &u->cx, FETCH_REQ_ALL, NULL, "every source");
		}
		return true;
	}
	case ACT_REFRESH_ALL:
		ui_fetch_request(&u->fetch, &u->cx, FETCH_REQ_ALL, NULL, "every source");
		return true;
	default: return false;
	}
}

/* Keys on the whole screen: help, messages, redraw, quit. */
static bool act_screen(struct ui *u, enum ui_action a)
{
	switch (a) {
	case ACT_HELP: ui_help_open(&u->help, false); return true;
	case ACT_MESSAGES: ui_help_open(&u->help, true); return true;
	case ACT_REDRAW: redraw(u); return true;
	case ACT_QUIT: u->quit = true; return true;
	default: return false;
	}
}

/* The key dispatcher: each group of actions has its handler, which says whether a is its own. */
static void action(struct ui *u, enum ui_action a)
{
	static bool (*const groups[])(struct ui *, enum ui_action) = {
		act_move, act_step, act_focus, act_paper, act_view, act_fetch, act_screen,
	};
	for (size_t i = 0; i < ARRAY_LEN(groups) && !groups[i](u, a); i++)
		;
}

static void mouse(struct ui *u, int y, int x, int kind /* 0 click, 1 wheel up, 2 wheel down */)
{
	if (u->help.on) {
		if (kind)
			ui_help_scroll(&u->help, &u->cx, kind == 1 ? -3 : 3);
		return;
	}
	bool in_detail = detail_visible(u) && y >= u->detail.r.y &&
	                 y < u->detail.r.y + u->detail.r.h && x >= u->detail.r.x &&
	                 !(u->layout == LAYOUT_NARROW && u->focus == FOCUS_LIST);
	if (kind) {
		int d = kind == 1 ? -3 : 3;
		if (in_detail)
			ui_detail_scroll(&u->detail, d);
		else
			ui_list_move(&u->list, &u->cx, d);
		return;
	}
	if (in_detail) {
		u->focus = FOCUS_DETAIL;
	} else if (ui_list_click(&u->list, y)) {
		u->focus = FOCUS_LIST;
	}
}


static void key(struct ui *u, int k)
{
	if (k == UI_KEY_SPECIAL + KEY_RESIZE) {
		after_resize(u);   /* curses has resized already */
		return;
	}
	/* an error stays on the status line until the next key after it (M lists it later) */
	u->cx.n_keys++;
	if (u->cx.msg_error && u->cx.msg_key < u->cx.n_keys)
		ui_msg_clear(&u->cx);
	if (k == UI_KEY_SPECIAL + KEY_MOUSE) {
		MEVENT me;
		if (getmouse(&me) == OK) {
			if (me.bstate & BUTTON4_PRESSED)
				mouse(u, me.y, me.x, 1);
#ifdef BUTTON5_PRESSED
			else if (me.bstate & BUTTON5_PRESSED)
				mouse(u, me.y, me.x, 2);
#endif
			else if (me.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_RELEASED))
				mouse(u, me.y, me.x, 0);
		}
		return;
	}
	if (u->search.active) {
		apply(u, ui_search_key(&u->search, &u->cx, k));
		return;
	}
	if (u->prompt.kind != PROMPT_NONE) {
		apply(u, ui_prompt_key(&u->prompt, &u->cx, k));
		return;
	}
	enum ui_action a = ui_keymap_lookup(&u->keys, k);
	if (u->help.on) {
		if (a == ACT_REDRAW)
			redraw(u);
		else
			ui_help_key(&u->help, &u->cx, k, a);
		return;
	}
	if (u->layout == LAYOUT_TOO_SMALL && a != ACT_QUIT && a != ACT_REDRAW)
		return;
	if (a == ACT_NONE) {
		char name[32];
		ui_key_name(k, name, sizeof name);
		ui_msg(&u->cx, false, "%s is not bound (? shows the keys)", name);
		return;
	}
	action(u, a);
}

/* ---- set-up ------------------------------------------------------------------------------- */

/* The line of the config file a message is about: "PATH:LINE: ..." gives it; the theme's own
 * problems (in the theme file) belong to the `theme` line. */
static long error_line(const char *m, const struct config *c)
{
	size_t n = c->path ? strlen(c->path) : 0;
	if (n && strncmp(m, c->path, n) == 0 && m[n] == ':')
		return strtol(m + n + 1, NULL, 10);
	return c->theme_line ? c->theme_line : LONG_MAX;
}

/* config.c reports its lines first and the UI checks binds, the theme and colours after it: put
 * them back in the file's order (stable, so one line's messages keep theirs). */
static void sort_by_line(struct ui_msgs *errs, const struct config *c)
{
	for (size_t i = 1; i < errs->n; i++) {
		char *m = errs->v[i];
		long line = error_line(m, c);
		size_t j = i;
		for (; j > 0 && error_line(errs->v[j - 1], c) > line; j--)
			errs->v[j] = errs->v[j - 1];
		errs->v[j] = m;
	}
}

/* Binds, theme and colours from the configuration. Every problem (config.c's own and ours) is
 * kept for the help screen; the status line shows the first with the number of others. */
static void load_config(struct ui *u)
{
	const struct config *c = u->cx.cfg;
	struct ui_msgs *errs = &u->config_errors;
	struct lerr e = {0};
	for (size_t i = 0; i < c->n_errors; i++)
		ui_msgs_add(errs, "%s", c->errors[i]);
	ui_keymap_init(&u->keys);
	for (size_t i = 0; i < c->n_binds; i++) {
		const struct config_line *l = &c->binds[i];
		if (ui_keymap_bind(&u->keys, l->argv, l->argc, &e) < 0)
			ui_msgs_add(errs, "%s:%d: %s", l->file ? l->file : "config", l->line, e.msg);
	}
	const char *theme = c->theme ? c->theme : "dark";
	ui_theme_default(&u->cx.theme);
	if (ui_theme_load_all(&u->cx.theme, theme, &e, errs) < 0 && e.kind != LERR_PARSE) {
		/* not found or not a plain name: say where it was asked for; the dark theme stays */
		if (c->path && c->theme_line)
			ui_msgs_add(errs, "%s:%d: %s; using the dark theme", c->path, c->theme_line, e.msg);
		else
			ui_msgs_add(errs, "%s; using the dark theme", e.msg);
		ui_theme_default(&u->cx.theme);
	}
	for (size_t i = 0; i < c->n_colors; i++) {
		const struct config_line *l = &c->colors[i];
		if (ui_theme_color(&u->cx.theme, l->argv, l->argc, &e) < 0)
			ui_msgs_add(errs, "%s:%d: %s", l->file ? l->file : "config", l->line, e.msg);
	}
	sort_by_line(errs, c);
	/* the count first: a long message is cut at the right edge */
	if (errs->n > 1)
		ui_msg(&u->cx, true, "%zu config errors (? lists them): %s", errs->n, errs->v[0]);
	else if (errs->n)
		ui_msg(&u->cx, true, "%s", errs->v[0]);
	else if (c->n_warnings)   /* an error says more; the warning is repeated by every command */
		ui_msg(&u->cx, true, "warning: %s", c->warnings[0]);
}

static int start_curses(struct ui *u, int rows, int cols)
{
	if (u->cx.headless) {
		u->term_out = fopen("/dev/null", "w");
		u->term_in = fopen("/dev/null", "r");
		if (!u->term_out || !u->term_in)
			return -1;
		u->screen = newterm("xterm-256color", u->term_out, u->term_in);
		if (!u->screen)
			u->screen = newterm("vt100", u->term_out, u->term_in);
		if (!u->screen)
			return -1;
		resizeterm(rows, cols);
	} else {
		u->term_out = stdout;
		u->term_in = stdin;
		u->screen = newterm(NULL, stdout, stdin);
		if (!u->screen)
			return -1;
	}
	die_ui = u;
	util_set_die_hook(restore_terminal);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	if (u->cx.cfg->mouse && !u->cx.headless)
		mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
		          | BUTTON5_PRESSED
#endif
		          , NULL);
	ui_theme_apply(&u->cx);
	layout(u);
	return 0;
}

static void stop_curses(struct ui *u)
{
	if (u->screen) {
		if (!isendwin())
			endwin();
		delscreen(u->screen);
		u->screen = NULL;
	}
	if (u->cx.headless) {
		if (u->term_out)
			fclose(u->term_out);
		if (u->term_in)
			fclose(u->term_in);
	}
	u->term_out = u->term_in = NULL;   /* idempotent: every exit path ends in teardown() */
	die_ui = NULL;
}

/* ---- headless scripting ------------------------------------------------------------------- */

struct script {
	FILE *dump;
	FILE *timings;
	int dumps;
};

static void dump_screen(struct ui *u, struct script *sc)
{
	if (!sc->dump)
		return;
	struct sbuf b = {0};
	sc->dumps++;
	for (int y = 0; y < u->cx.rows; y++) {
		ui_screen_line(y, &b);
		sbuf_addc(&b, '\n');
	}
	const struct store_row *r = ui_list_selected(&u->list);
	fprintf(sc->dump, "--- screen %d (%dx%d) selected=%s focus=%s\n%s", sc->dumps, u->cx.cols,
	        u->cx.rows, r ? r->id : "-", u->focus == FOCUS_DETAIL ? "detail" : "list", b.s ? b.s : "");
	fflush(sc->dump);
	sbuf_free(&b);
}

/* ms of quiet after which idle_work() runs (-1: nothing to do). */
static int idle_timeout(const struct ui *u)
{
	if (u->list.count < 0)
		return 100;
	if (!u->list.count_exact && !u->list.query)
		return 400;
	return -1;
}

/* A key is waiting on the terminal (the idle count gives way to it). */
static bool key_waiting(void *arg)
{
	(void)arg;
	struct pollfd p = { STDIN_FILENO, POLLIN, 0 };
	return poll(&p, 1, 0) > 0;
}

static void idle_work(struct ui *u)
{
	/* a count reads every match (seconds for a common word at 3M papers): it stops when a key
	 * arrives and is made again at the next pause */
	if (!u->cx.headless)
		store_set_interrupt(u->cx.store, key_waiting, NULL);
	ui_list_count(&u->list, &u->cx, u->list.count >= 0);
	store_set_interrupt(u->cx.store, NULL, NULL);
}

/* The headless equivalent of a pause: every idle step (capped count, then the exact one). */
static void idle_all(struct ui *u)
{
	for (int i = 0; i < 2 && idle_timeout(u) >= 0; i++)
		idle_work(u);
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Runs one script token; returns false when it is not a command (then it is a key). */
static bool script_command(struct ui *u, struct script *sc, const char *tok)
{
	int a, b;
	if (strcmp(tok, "<Dump>") == 0) {
		/* a screen is looked at after a pause: the idle work (counts) has happened */
		idle_all(u);
		draw(u);
		dump_screen(u, sc);
	} else if (strcmp(tok, "<Idle>") == 0) {
		idle_all(u);
	} else if (strcmp(tok, "<Wait>") == 0) {
		ui_fetch_wait_idle(&u->fetch, &u->cx, 30);
		ui_fetch_drain(&u->fetch, &u->cx);
		rank_wait(u, 30);
	} else if (sscanf(tok, "<Sleep %7d>", &a) == 1) {
		sleep_ms(a);
		u->cx.vclock += a / 1000.0;
		ui_fetch_drain(&u->fetch, &u->cx);
		rank_drain(u);
	} else if (sscanf(tok, "<Tick %7d>", &a) == 1) {
		u->cx.vclock += a / 1000.0;   /* time passes for the reader only (no fetch) */
	} else if (sscanf(tok, "<Resize %5dx%5d>", &a, &b) == 2) {
		resizeterm(b, a);
		after_resize(u);
	} else if (sscanf(tok, "<Click %5d %5d>", &a, &b) == 2) {
		mouse(u, a, b, 0);
	} else if (sscanf(tok, "<WheelUp %5d %5d>", &a, &b) == 2) {
		mouse(u, a, b, 1);
	} else if (sscanf(tok, "<WheelDown %5d %5d>", &a, &b) == 2) {
		mouse(u, a, b, 2);
	} else {
		return false;
	}
	return true;
}

static int run_script(struct ui *u, const char *path, struct script *sc)
{
	struct lerr e = {0};
	size_t len;
	char *text = util_read_file(path, &len, &e);
	if (!text) {
		stop_curses(u);
		app_error("ui: %s", e.msg);
		return EXIT_USAGE;
	}
	int rc = EXIT_OK;
	char *p = text;
	while (*p && !u->quit) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (!*p)
			break;
		if (*p == '#' && (p == text || p[-1] == '\n')) {
			p += strcspn(p, "\n");
			continue;
		}
		size_t n = *p == '<' ? strcspn(p, ">") + 1 : strcspn(p, " \t\r\n");
		if (*p == '<' && p[n - 1] != '>')
			n = strcspn(p, " \t\r\n");
		char *tok = xstrndup(p, n);
		p += n;
		double t0 = util_monotonic();
		long w0 = u->cx.n_windows, c0 = u->cx.n_counts;
		if (script_command(u, sc, tok)) {
			if (strcmp(tok, "<Dump>") != 0)
				draw(u);
			if (sc->timings && strcmp(tok, "<Idle>") == 0)
				fprintf(sc->timings, "%s %.3f windows=%ld counts=%ld\n", tok,
				        (util_monotonic() - t0) * 1000.0, u->cx.n_windows - w0, u->cx.n_counts - c0);
			free(tok);
			continue;
		}
		int k;
		if (ui_key_parse(tok, &k) == 0) {
			key(u, k);
		} else if (tok[0] != '<') {
			/* a word: its characters arrive at once, as typed ahead (one query for all) */
			for (size_t i = 0; tok[i] && !u->quit;) {
				unsigned cp;
				i += text_utf8_decode(tok + i, strlen(tok + i), &cp);
				key(u, (int)cp);
			}
		} else {
			stop_curses(u);
			app_error("ui: %s: unknown key '%s'", path, tok);
			free(tok);
			free(text);
			return EXIT_USAGE;
		}
		search_run(u);
		draw(u);
		if (sc->timings)
			fprintf(sc->timings, "%s %.3f windows=%ld counts=%ld\n", tok,
			        (util_monotonic() - t0) * 1000.0, u->cx.n_windows - w0, u->cx.n_counts - c0);
		free(tok);
	}
	free(text);
	return rc;
}

/* ---- the interactive loop ----------------------------------------------------------------- */

static void suspend(struct ui *u)
{
	def_prog_mode();
	endwin();
	signal(SIGTSTP, SIG_DFL);
	raise(SIGSTOP);                       /* stopped here until fg */
	install_signals();
	reset_prog_mode();
	redraw(u);
}

static void loop(struct ui *u)
{
	while (!u->quit) {
		if (sig_quit)
			break;
		if (sig_tstp) {
			sig_tstp = 0;
			suspend(u);
		}
		if (sig_cont) {
			sig_cont = 0;
			redraw(u);
		}
		if (sig_winch) {
			sig_winch = 0;
			check_size(u);
		}
		if (sig_chld) {
			sig_chld = 0;
			reap(u);
		}
		search_run(u);
		draw(u);
		struct pollfd p[4] = {
			{STDIN_FILENO, POLLIN, 0},
			{sig_pipe[0], POLLIN, 0},
			{ui_fetch_fd(&u->fetch), POLLIN, 0},
			{rank_wake_fd(u->ranker), POLLIN, 0},
		};
		/* Counting costs as much as a query (a common prefix: tens of ms on a big cache), so it
		 * never runs per key: only once the keys stop for a moment, capped first; a plain view is
		 * then counted exactly, a search keeps its capped count. */
		int idle = idle_timeout(u), fade = ui_msg_expire(&u->cx);
		if (fade >= 0 && (idle < 0 || fade < idle))
			idle = fade;
		if (u->read_wait >= 0 && (idle < 0 || u->read_wait < idle))
			idle = u->read_wait;   /* wake to mark the shown paper read (draw() does it) */
		int sw = sync_wait(u);
		if (sw == 0) {
			sync_now(u);
			continue;
		}
		if (sw > 0 && (idle < 0 || sw < idle))
			idle = sw;
		int n = poll(p, 4, idle);
		if (n == 0) {
			idle_work(u);
			continue;
		}
		if (n < 0)
			continue;    /* EINTR: a signal; its flag is handled above */
		if (p[1].revents & POLLIN) {
			char buf[64];
			while (read(sig_pipe[0], buf, sizeof buf) > 0)
				;
		}
		if (p[0].revents & (POLLHUP | POLLERR))
			break;   /* the terminal went away */
		if (p[0].revents & POLLIN) {
			wint_t wc;
			int r;
			while ((r = get_wch(&wc)) != ERR) {
				key(u, r == KEY_CODE_YES ? UI_KEY_SPECIAL + (int)wc : (int)wc);
				if (u->quit)
					break;
			}
		}
		if (p[2].revents & POLLIN)
			ui_fetch_drain(&u->fetch, &u->cx);
		if (p[3].revents & POLLIN)
			rank_drain(u);
	}
}

/* The KEYS section of lectern(1), generated from the action table (an e2e test checks the page
 * still matches). Keys are escaped with \& so "[" or "?" are never read as mdoc delimiters. */
static void print_keys_mdoc(void)
{
	struct ui_keymap km;
	ui_keymap_init(&km);
	printf(".Bl -tag -width Ds\n");
	for (int a = ACT_NONE + 1; a < ACT__COUNT; a++) {
		char keys[128];
		ui_keymap_keys_of(&km, (enum ui_action)a, keys, sizeof keys);
		const struct ui_action_info *ai = ui_action_info((enum ui_action)a);
		printf(".It Sy");
		char *copy = xstrdup(keys);
		int i = 0;
		for (char *sv, *t = strtok_r(copy, ", ", &sv); t; t = strtok_r(NULL, ", ", &sv))
			printf("%s \\&%s", i++ ? " ," : "", t);
		free(copy);
		printf("\n%s\n(action\n.Cm %s ) .\n", ai->help, ai->name);
	}
	printf(".El\n.Pp\nThe search prompt opens empty and ranks results by relevance.\n"
	       "In it:\n.Sy Enter\nkeeps the results,\n.Sy Esc\n"
	       "restores the previous view and selection,\n.Sy Up\nand\n.Sy Down\n"
	       "walk the search history (Up first recalls the search kept),\n.Sy C-r\n"
	       "sends the query to arXiv,\n.Sy C-u\nclears it.\n");
	ui_keymap_free(&km);
}

static void usage(void)
{
	fprintf(stderr,
	        "usage: lectern [--db FILE] ui [--no-fetch]\n"
	        "       lectern ui --headless [--size COLSxROWS] [--keys FILE] [--dump FILE]\n"
	        "                  [--timings FILE] [--fetch]\n"
	        "The keys file holds key names (j G / <Down> <PgDn> <C-d> <Enter> <Esc> <Space>),\n"
	        "words (their letters arrive at once, as typed ahead) and commands: <Dump> (the screen,\n"
	        "after the idle-time work), <Idle>, <Wait> (until fetching is done), <Sleep MS>,\n"
	        "<Tick MS> (the reader's clock moves on: messages fade after 5 s, the paper shown is\n"
	        "marked read after mark-read-after seconds),\n"
	        "<Resize COLSxROWS>, <Click Y X>, <WheelUp Y X>, <WheelDown Y X>.\n");
}

/* What the command line asked for. */
struct ui_opts {
	bool headless, no_fetch, want_fetch;
	int cols, rows;
	const char *keys_path, *dump_path, *timings_path;
};

/* Returns -1 to go on, else the exit status (help, the keys' mdoc, or a usage error). */
static int parse_opts(int argc, char **argv, struct ui_opts *o)
{
	struct option opts[CLI_MAX_OPTS];
	cli_longopts("ui", opts);
	*o = (struct ui_opts){.cols = 100, .rows = 30};
	optind = 1;
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'H': o->headless = true; break;
		case 's':
			if (sscanf(optarg, "%4dx%4d", &o->cols, &o->rows) != 2 || o->cols < 1 || o->rows < 1 ||
			    o->cols > 1000 || o->rows > 1000) {
				app_error("ui: --size wants COLSxROWS, e.g. 100x30");
				return EXIT_USAGE;
			}
			break;
		case 'k': o->keys_path = optarg; break;
		case 'd': o->dump_path = optarg; break;
		case 't': o->timings_path = optarg; break;
		case 'n': o->no_fetch = true; break;
		case 'f': o->want_fetch = true; break;
		case 'm': print_keys_mdoc(); return EXIT_OK;
		case 'h': usage(); return EXIT_OK;
		default: usage(); return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		app_error("ui: unexpected argument '%s'", argv[optind]);
		return EXIT_USAGE;
	}
	if (!o->headless && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))) {
		app_error("ui: needs a terminal (or use --headless with --keys for scripting)");
		return EXIT_USAGE;
	}
	if (!o->headless && !ui_term_can_draw())
		return EXIT_USAGE;
	return -1;
}

/* The output files of a headless run, or the signal pipe and handlers of an interactive one. */
static int open_io(struct ui *u, const struct ui_opts *o, struct script *sc)
{
	if (o->headless) {
		if (o->dump_path && !(sc->dump = fopen(o->dump_path, "w"))) {
			app_error("ui: cannot write %s: %s", o->dump_path, strerror(errno));
			return -1;
		}
		if (o->timings_path && !(sc->timings = fopen(o->timings_path, "w"))) {
			app_error("ui: cannot write %s: %s", o->timings_path, strerror(errno));
			return -1;
		}
		return 0;
	}
	if (pipe(sig_pipe) == 0) {
		for (int i = 0; i < 2; i++)
			fcntl(sig_pipe[i], F_SETFL, fcntl(sig_pipe[i], F_GETFL) | O_NONBLOCK);
	}
	/* ours before curses, so ncurses leaves these signals to us */
	install_signals();
	u->show_osc52 = true;
	return 0;
}

/* Everything set up is undone here, whatever point the set-up reached (each step is NULL-safe). */
static void teardown(struct ui *u, struct script *sc)
{
	stop_curses(u);
	ui_fetch_stop(&u->fetch);
	rank_stop(&u->ranker);
	reap(u);
	if (!u->cx.headless)
		reset_signals();
	if (sc->dump)
		fclose(sc->dump);
	if (sc->timings)
		fclose(sc->timings);
	for (int i = 0; i < 2; i++)
		if (sig_pipe[i] >= 0) {
			close(sig_pipe[i]);
			sig_pipe[i] = -1;
		}
	ui_search_free(&u->search);
	ui_list_mark_free(&u->before_search);
	ui_prompt_free(&u->prompt);
	ui_list_free(&u->list);
	ui_detail_free(&u->detail);
	free(u->seen_id);
	undo_forget(u);
	ui_keymap_free(&u->keys);
	ui_msgs_free(&u->config_errors);
	sync_close(&u->sync);   /* before the store: it holds the store's hook */
	store_close(&u->cx.store);
	free(u);
}

/* Runs the reader until it quits (interactive) or the script ends (headless). */
static int run(struct ui *u, const struct ui_opts *o, struct script *sc)
{
	if (!o->headless) {
		loop(u);
		return EXIT_OK;
	}
	int rc = o->keys_path ? run_script(u, o->keys_path, sc) : EXIT_OK;
	if (rc == EXIT_OK && sc->dumps == 0 && sc->dump) {
		idle_all(u);
		draw(u);
		dump_screen(u, sc);
	}
	return rc;
}

int cmd_ui(const struct app *a, int argc, char **argv)
{
	double t_start = util_monotonic();
	struct ui_opts o;
	int rc = parse_opts(argc, argv, &o);
	if (rc >= 0)
		return rc;
	setlocale(LC_ALL, "");

	struct ui *u = xcalloc(1, sizeof *u);
	u->app = a;
	u->cx.cfg = a->cfg;
	u->cx.headless = o.headless;
	ui_list_init(&u->list);
	u->detail.why_list = -1;
	struct script sc = {0};
	struct lerr e = {0};
	/* the reader's connections (this one, fetch, ranker, sync) share one page-cache budget:
	 * each alone may keep 8 MB (store.c) when all are busy at once */
	store_limit_memory(UI_SQLITE_MEMORY);
	u->cx.store = store_open(a->db_path, 0, &e);
	cli_config_watches(u->cx.store, a->cfg);
	if (!u->cx.store) {
		app_error("%s", e.msg);
		teardown(u, &sc);
		return EXIT_RUNTIME;
	}
	load_config(u);
	if (store_is_readonly(u->cx.store) && !u->cx.msg[0])
		ui_msg(&u->cx, true, "The database is read-only%s%s%s: favourites and read marks cannot "
		       "be saved", store_readonly_reason(u->cx.store) ? " (" : "",
		       store_readonly_reason(u->cx.store) ? store_readonly_reason(u->cx.store) : "",
		       store_readonly_reason(u->cx.store) ? ")" : "");
	else if (a->cfg->sync_dir &&
	         !(u->sync = sync_open(u->cx.store, a->cfg->sync_dir, on_sync_warning, u, &e)))
		ui_msg(&u->cx, true, "Sync is off: %s", e.msg);
	if (open_io(u, &o, &sc) < 0) {
		teardown(u, &sc);
		return EXIT_RUNTIME;
	}
	if (start_curses(u, o.rows, o.cols) < 0) {
		stop_curses(u);
		app_error("ui: cannot initialise the terminal (is TERM set?)");
		teardown(u, &sc);
		return EXIT_RUNTIME;
	}
	if ((!o.headless && !o.no_fetch) || (o.headless && o.want_fetch)) {
		if (ui_fetch_start(&u->fetch, u->cx.cfg, a->db_path, !o.headless, &e) < 0)
			ui_msg(&u->cx, true, "Fetching is off: %s", e.msg);
	}
	u->fetch.on_done = on_fetch_done;
	u->fetch.arg = u;
	u->help = (struct ui_help){.keys = &u->keys, .config_errors = &u->config_errors,
	                           .fetching = u->fetch.fetcher != NULL};
	open_start_view(u);
	if (u->sync)
		sync_now(u);   /* what the other caches did since the last run */
	draw(u);
	if (sc.timings)
		fprintf(sc.timings, "startup %.3f\n", (util_monotonic() - t_start) * 1000.0);
	rc = run(u, &o, &sc);
	teardown(u, &sc);
	return rc;
}
