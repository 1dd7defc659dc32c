/* ui_keys — the action table, key names and the key map (see ui_keys.h). */
#include "lectern/ui_keys.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lectern/text.h"

static const struct ui_action_info actions[ACT__COUNT] = {
	[ACT_DOWN]            = {"move-down", "j <Down>", "next paper / scroll down"},
	[ACT_UP]              = {"move-up", "k <Up>", "previous paper / scroll up"},
	[ACT_TOP]             = {"move-top", "g <Home>", "first paper / top of the detail"},
	[ACT_BOTTOM]          = {"move-bottom", "G <End>", "last paper / end of the detail"},
	[ACT_PAGE_DOWN]       = {"page-down", "<PgDn>", "one page down"},
	[ACT_PAGE_UP]         = {"page-up", "<PgUp> b", "one page up"},
	[ACT_HALF_DOWN]       = {"half-page-down", "<C-d>", "half a page down"},
	[ACT_HALF_UP]         = {"half-page-up", "<C-u>", "half a page up"},
	[ACT_NEXT_PAPER]      = {"next-paper", "J", "next paper, from the list or the detail (any layout)"},
	[ACT_PREV_PAPER]      = {"prev-paper", "K", "previous paper, from the list or the detail"},
	[ACT_PAGE_OR_NEXT]    = {"page-down-or-next", "<Space>", "one page down; in the detail, at its end the next paper"},
	[ACT_OPEN]            = {"open", "<Enter> l <Right>", "open the detail (marks the paper read at once)"},
	[ACT_BACK]            = {"back", "h <Esc> <Left>", "back to the list"},
	[ACT_SWITCH_PANE]     = {"switch-pane", "<Tab>", "switch between list and detail"},
	[ACT_FAVOURITE]       = {"toggle-favourite", "f", "toggle favourite (saved at once)"},
	[ACT_READ]            = {"toggle-read", "u", "toggle read / unread"},
	[ACT_HIDE]            = {"toggle-hidden", "x", "not interested: hide it from every view (X lists them)"},
	[ACT_CATCH_UP]        = {"catch-up", "C", "mark every paper of the view read (z undoes)"},
	[ACT_UNDO]            = {"undo", "z", "undo the last change to many papers (catch-up)"},
	[ACT_COPY]            = {"copy", "y", "copy the id or URL (wl-copy, xclip, pbcopy, else OSC 52)"},
	[ACT_NOTE]            = {"edit-note", "n", "edit the note (a one-line prompt; empty removes it)"},
	[ACT_AUTHORS]         = {"toggle-authors", "A", "detail: every author of a long list, or the first few"},
	[ACT_TAGS]            = {"edit-tags", "t", "edit the tags (separated by spaces or commas)"},
	[ACT_VIEW_ALL]        = {"view-all", "a", "view: all papers, newest first"},
	[ACT_VIEW_FAVOURITES] = {"view-favourites", "F", "view: favourites"},
	[ACT_VIEW_UNREAD]     = {"view-unread", "U", "view: unread papers"},
	[ACT_VIEW_HIDDEN]     = {"view-hidden", "X", "view: the papers hidden with x (x there shows one again)"},
	[ACT_VIEW_FOR_YOU]    = {"view-for-you", "i", "view: the last days ranked for you, with why (learns from f and x)"},
	[ACT_MORE_LIKE]       = {"more-like-this", "m", "view: papers like this one, with what they share"},
	[ACT_VIEW_WATCHED]    = {"view-watched", "W", "view: the papers your watches mark (◆; lectern watch)"},
	[ACT_VIEW_HF]         = {"view-hf-daily", "H", "view: Hugging Face Daily Papers by day, most upvoted first"},
	[ACT_DAY_PREV]        = {"day-prev", "[", "Daily Papers: the day before (fetched when not cached)"},
	[ACT_DAY_NEXT]        = {"day-next", "]", "Daily Papers: the day after (up to today)"},
	[ACT_DAY_PREV_CACHED] = {"day-prev-cached", "{", "Daily Papers: the previous day with papers in the cache"},
	[ACT_DAY_NEXT_CACHED] = {"day-next-cached", "}", "Daily Papers: the next day with papers in the cache"},
	[ACT_GOTO_DAY]        = {"go-to-day", "D", "Daily Papers: go to a day (YYYY-MM-DD, yesterday, -N)"},
	[ACT_VIEW_SOURCE]     = {"view-source", "v", "view: cycle through the configured sources"},
	[ACT_SORT]            = {"cycle-sort", "s", "sort by date, upvotes (and relevance in a search)"},
	[ACT_SEARCH]          = {"search", "/", "search the cache as you type (Enter keeps, Esc restores)"},
	[ACT_SEARCH_REMOTE]   = {"search-remote", "S", "send the current search to arXiv (C-r in the prompt)"},
	[ACT_REFRESH]         = {"refresh", "r", "refresh the current source"},
	[ACT_REFRESH_ALL]     = {"refresh-all", "R", "refresh every source"},
	[ACT_OPEN_ABS]        = {"open-abstract", "o", "open the abstract page in the browser"},
	[ACT_OPEN_PDF]        = {"open-pdf", "p", "open the PDF: the file on disk (set pdf-viewer), else the web's"},
	[ACT_DOWNLOAD_PDF]    = {"download-pdf", "d", "download the PDF to pdf-dir (resumable; ⇩ in the list)"},
	[ACT_OPEN_CODE]       = {"open-code", "c", "open the code repository"},
	[ACT_OPEN_HF]         = {"open-hf", "w", "open the Hugging Face page"},
	[ACT_OPEN_PROJECT]    = {"open-project", "P", "open the project page"},
	[ACT_LINK_1]          = {"open-link-1", "1", "open link [1] of the detail"},
	[ACT_LINK_2]          = {"open-link-2", "2", "open link [2]"},
	[ACT_LINK_3]          = {"open-link-3", "3", "open link [3]"},
	[ACT_LINK_4]          = {"open-link-4", "4", "open link [4]"},
	[ACT_LINK_5]          = {"open-link-5", "5", "open link [5]"},
	[ACT_LINK_6]          = {"open-link-6", "6", "open link [6]"},
	[ACT_LINK_7]          = {"open-link-7", "7", "open link [7]"},
	[ACT_LINK_8]          = {"open-link-8", "8", "open link [8]"},
	[ACT_LINK_9]          = {"open-link-9", "9", "open link [9]"},
	[ACT_HELP]            = {"help", "? <F1>", "this help"},
	[ACT_MESSAGES]        = {"messages", "M", "recent status messages and errors, newest first"},
	[ACT_REDRAW]          = {"redraw", "<C-l>", "redraw the screen"},
	[ACT_QUIT]            = {"quit", "q", "quit"},
};

static const struct { const char *name; int code; } special[] = {
	{"Down", KEY_DOWN}, {"Up", KEY_UP}, {"Left", KEY_LEFT}, {"Right", KEY_RIGHT},
	{"PgDn", KEY_NPAGE}, {"PgUp", KEY_PPAGE}, {"Home", KEY_HOME}, {"End", KEY_END},
	{"BackTab", KEY_BTAB}, {"Backspace", KEY_BACKSPACE}, {"Del", KEY_DC}, {"Insert", KEY_IC},
	{"Resize", KEY_RESIZE}, {"Mouse", KEY_MOUSE},
};
static const struct { const char *name; int key; } plain[] = {
	{"Enter", '\r'}, {"Esc", 27}, {"Tab", '\t'}, {"Space", ' '}, {"lt", '<'}, {"gt", '>'},
};

const struct ui_action_info *ui_action_info(enum ui_action a)
{
	return (a > ACT_NONE && a < ACT__COUNT) ? &actions[a] : NULL;
}

enum ui_action ui_action_by_name(const char *name)
{
	for (int a = ACT_NONE + 1; a < ACT__COUNT; a++)
		if (strcmp(actions[a].name, name) == 0)
			return (enum ui_action)a;
	return ACT_NONE;
}

static int ctrl_key(const char *s, size_t n, int *key)
{
	if (n != 1)
		return -1;
	char ch = s[0];
	if (ch >= 'a' && ch <= 'z')
		*key = ch - 'a' + 1;
	else if (ch >= 'A' && ch <= 'Z')
		*key = ch - 'A' + 1;
	else if (ch == '[')
		*key = 27;
	else if (ch == '?')
		*key = 127;
	else
		return -1;
	return 0;
}

int ui_key_parse(const char *s, int *key)
{
	size_t n = strlen(s);
	if (n == 0)
		return -1;
	if (s[0] == '^' && n == 2)
		return ctrl_key(s + 1, 1, key);
	if (s[0] == '<' && n > 2 && s[n - 1] == '>') {
		const char *in = s + 1;
		size_t m = n - 2;
		if (m > 2 && (in[0] == 'C' || in[0] == 'c') && in[1] == '-')
			return ctrl_key(in + 2, m - 2, key);
		for (size_t i = 0; i < ARRAY_LEN(special); i++)
			if (strlen(special[i].name) == m && strncasecmp(special[i].name, in, m) == 0) {
				*key = UI_KEY_SPECIAL + special[i].code;
				return 0;
			}
		for (size_t i = 0; i < ARRAY_LEN(plain); i++)
			if (strlen(plain[i].name) == m && strncasecmp(plain[i].name, in, m) == 0) {
				*key = plain[i].key;
				return 0;
			}
		if (m >= 2 && (in[0] == 'F' || in[0] == 'f')) {
			int f = 0;
			for (size_t i = 1; i < m; i++) {
				if (in[i] < '0' || in[i] > '9')
					return -1;
				f = f * 10 + (in[i] - '0');
			}
			if (f < 1 || f > 12)
				return -1;
			*key = UI_KEY_SPECIAL + KEY_F(f);
			return 0;
		}
		return -1;
	}
	unsigned cp;
	size_t len = text_utf8_decode(s, n, &cp);
	if (len != n || cp == 0xFFFD || cp < 0x20 || cp == 0x7F)
		return -1;
	*key = (int)cp;
	return 0;
}

void ui_key_name(int key, char *buf, size_t n)
{
	if (key >= UI_KEY_SPECIAL) {
		int code = key - UI_KEY_SPECIAL;
		for (size_t i = 0; i < ARRAY_LEN(special); i++)
			if (special[i].code == code) {
				snprintf(buf, n, "<%s>", special[i].name);
				return;
			}
		if (code >= KEY_F(1) && code <= KEY_F(12)) {
			snprintf(buf, n, "<F%d>", code - KEY_F0);
			return;
		}
		snprintf(buf, n, "<key%d>", code);
		return;
	}
	for (size_t i = 0; i < ARRAY_LEN(plain); i++)
		if (plain[i].key == key && key != '<' && key != '>') {
			snprintf(buf, n, "<%s>", plain[i].name);
			return;
		}
	if (key > 0 && key < 27) {
		snprintf(buf, n, "<C-%c>", 'a' + key - 1);
		return;
	}
	if (key == 127) {
		snprintf(buf, n, "<Backspace>");
		return;
	}
	char enc[5] = {0};
	text_utf8_encode((unsigned)key, enc);
	snprintf(buf, n, "%s", enc);
}

static void keymap_set(struct ui_keymap *km, int key, enum ui_action act)
{
	for (size_t i = 0; i < km->n; i++)
		if (km->v[i].key == key) {
			km->v[i].act = act;
			return;
		}
	if (km->n == km->cap) {
		km->cap = km->cap ? km->cap * 2 : 64;
		km->v = xreallocarray(km->v, km->cap, sizeof *km->v);
	}
	km->v[km->n].key = key;
	km->v[km->n].act = act;
	km->n++;
}

void ui_keymap_init(struct ui_keymap *km)
{
	memset(km, 0, sizeof *km);
	for (int a = ACT_NONE + 1; a < ACT__COUNT; a++) {
		char *copy = xstrdup(actions[a].keys);
		for (char *sv, *t = strtok_r(copy, " ", &sv); t; t = strtok_r(NULL, " ", &sv)) {
			int key;
			if (ui_key_parse(t, &key) == 0)
				keymap_set(km, key, (enum ui_action)a);
		}
		free(copy);
	}
	/* terminals send either for Enter and Backspace */
	keymap_set(km, '\n', ACT_OPEN);
	keymap_set(km, UI_KEY_SPECIAL + KEY_ENTER, ACT_OPEN);
}

void ui_keymap_free(struct ui_keymap *km)
{
	xfree(&km->v);
	km->n = km->cap = 0;
}

int ui_keymap_bind(struct ui_keymap *km, char *const *argv, size_t argc, struct lerr *e)
{
	if (argc != 3) {
		lerr_set(e, LERR_USAGE, 0, "bind takes a key and an action (bind KEY ACTION)");
		return -1;
	}
	int key;
	if (ui_key_parse(argv[1], &key) < 0) {
		lerr_set(e, LERR_USAGE, 0, "unknown key '%s' (a character, <Name>, <C-x> or ^x)",
		         argv[1]);
		return -1;
	}
	enum ui_action a = ui_action_by_name(argv[2]);
	if (a == ACT_NONE && strcmp(argv[2], "none") != 0) {
		lerr_set(e, LERR_USAGE, 0, "unknown action '%s' (see the help screen, key ?)", argv[2]);
		return -1;
	}
	keymap_set(km, key, a);
	return 0;
}

enum ui_action ui_keymap_lookup(const struct ui_keymap *km, int key)
{
	for (size_t i = 0; i < km->n; i++)
		if (km->v[i].key == key)
			return km->v[i].act;
	return ACT_NONE;
}

void ui_keymap_keys_of(const struct ui_keymap *km, enum ui_action a, char *buf, size_t n)
{
	size_t len = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < km->n; i++) {
		if (km->v[i].act != a)
			continue;
		int key = km->v[i].key;
		/* the implicit alternates are not worth listing */
		if (key == '\n' || key == UI_KEY_SPECIAL + KEY_ENTER)
			continue;
		char name[32];
		ui_key_name(key, name, sizeof name);
		int w = snprintf(buf + len, n - len, "%s%s", len ? ", " : "", name);
		if (w < 0 || (size_t)w >= n - len)
			break;
		len += (size_t)w;
	}
}
