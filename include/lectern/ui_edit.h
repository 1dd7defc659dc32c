/* ui_edit — the reader's one line editor, used by the search prompt and the note / tags / day
 * prompts alike: UTF-8 text, a cursor and the editing keys. No curses calls (key codes only). */
#ifndef LECTERN_UI_EDIT_H
#define LECTERN_UI_EDIT_H

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

#endif
