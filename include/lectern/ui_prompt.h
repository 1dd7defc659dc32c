/* ui_prompt — the reader's one-line prompts (go to a day, edit a paper's note or tags): a small
 * line editor and the parsing of what is typed. Nothing here draws or touches curses state; the
 * prompt itself (struct ui_prompt, drawn in the status line) lives in ui.h / ui_prompt.c. */
#ifndef LECTERN_UI_PROMPT_H
#define LECTERN_UI_PROMPT_H

#include <stdbool.h>
#include <stddef.h>

#include "lectern/util.h"

/* A line being edited: UTF-8 text and a cursor (a byte offset on a character boundary). */
struct ui_edit {
	struct sbuf text;
	size_t cur;
};
/* Replaces the text (NULL: empty) and puts the cursor at its end. */
void ui_edit_set(struct ui_edit *ed, const char *s);
void ui_edit_free(struct ui_edit *ed);
/* Applies one key (ui_keys.h codes): a printable character is inserted at the cursor;
 * Backspace/C-h, Del/C-d delete; Left/Right/C-b/C-f, Home/End/C-a/C-e move; C-u clears the line,
 * C-k cuts to its end, C-w deletes the word before the cursor. Returns false for keys it does
 * not handle (Enter, Esc, Up...), which the caller interprets. */
bool ui_edit_key(struct ui_edit *ed, int key);

/* A day typed by the user: "YYYY-MM-DD", "today", "yesterday", "-N" (N days before today, up
 * to 100000), "+N" is refused. `today` is "YYYY-MM-DD". Writes "YYYY-MM-DD" to out (n >= 11).
 * Returns 0, or -1 with e->msg saying what is accepted (also for a day after today). */
int ui_parse_day(const char *s, const char *today, char *out, size_t n, struct lerr *e);


#endif
