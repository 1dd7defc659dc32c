/* ui_prompt — the reader's one-line prompts (go to a day, edit a paper's note or tags): the
 * parsing of what is typed (the line editor is ui_edit.h). Nothing here draws or touches curses
 * state; the prompt itself (struct ui_prompt, drawn in the status line) lives in ui.h /
 * ui_prompt.c. */
#ifndef LECTERN_UI_PROMPT_H
#define LECTERN_UI_PROMPT_H

#include <stdbool.h>
#include <stddef.h>

#include "lectern/ui_edit.h"
#include "lectern/util.h"

/* A day typed by the user: "YYYY-MM-DD", "today", "yesterday", "-N" (N days before today, up
 * to 100000), "+N" is refused. `today` is "YYYY-MM-DD". Writes "YYYY-MM-DD" to out (n >= 11).
 * Returns 0, or -1 with e->msg saying what is accepted (also for a day after today). */
int ui_parse_day(const char *s, const char *today, char *out, size_t n, struct lerr *e);


#endif
