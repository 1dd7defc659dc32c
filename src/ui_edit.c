/* ui_edit — the one line editor (ui_edit.h). */
#include "lectern/ui_edit.h"

#include <curses.h>
#include <string.h>

#include "lectern/text.h"
#include "lectern/ui_keys.h"
#include "lectern/text.h"

void ui_edit_set(struct ui_edit *ed, const char *s)
{
	sbuf_reset(&ed->text);
	sbuf_adds(&ed->text, s ? s : "");
	if (!ed->text.s)
		sbuf_add(&ed->text, "", 0);
	ed->cur = ed->text.len;
}

void ui_edit_free(struct ui_edit *ed)
{
	sbuf_free(&ed->text);
	ed->cur = 0;
}

static size_t prev_char(const struct ui_edit *ed, size_t i)
{
	if (i == 0)
		return 0;
	i--;
	while (i > 0 && ((unsigned char)ed->text.s[i] & 0xC0) == 0x80)
		i--;
	return i;
}

static size_t next_char(const struct ui_edit *ed, size_t i)
{
	if (i >= ed->text.len)
		return ed->text.len;
	i++;
	while (i < ed->text.len && ((unsigned char)ed->text.s[i] & 0xC0) == 0x80)
		i++;
	return i;
}

/* Removes bytes [a, b) and leaves the cursor at a. */
static void cut(struct ui_edit *ed, size_t a, size_t b)
{
	if (b <= a)
		return;
	memmove(ed->text.s + a, ed->text.s + b, ed->text.len - b + 1);
	ed->text.len -= b - a;
	ed->cur = a;
}

bool ui_edit_key(struct ui_edit *ed, int key)
{
	if (!ed->text.s)
		ui_edit_set(ed, "");
	if (ed->cur > ed->text.len)
		ed->cur = ed->text.len;
	switch (key) {
	case 127: case 8: case UI_KEY_SPECIAL + KEY_BACKSPACE:
		cut(ed, prev_char(ed, ed->cur), ed->cur);
		return true;
	case 4: case UI_KEY_SPECIAL + KEY_DC:
		cut(ed, ed->cur, next_char(ed, ed->cur));
		return true;
	case 2: case UI_KEY_SPECIAL + KEY_LEFT:
		ed->cur = prev_char(ed, ed->cur);
		return true;
	case 6: case UI_KEY_SPECIAL + KEY_RIGHT:
		ed->cur = next_char(ed, ed->cur);
		return true;
	case 1: case UI_KEY_SPECIAL + KEY_HOME:
		ed->cur = 0;
		return true;
	case 5: case UI_KEY_SPECIAL + KEY_END:
		ed->cur = ed->text.len;
		return true;
	case 21:
		cut(ed, 0, ed->text.len);
		return true;
	case 11:
		cut(ed, ed->cur, ed->text.len);
		return true;
	case 23: {
		size_t i = ed->cur;
		while (i > 0 && ed->text.s[i - 1] == ' ')
			i--;
		while (i > 0 && ed->text.s[i - 1] != ' ')
			i--;
		cut(ed, i, ed->cur);
		return true;
	}
	default: break;
	}
	if (key >= 0x20 && key < UI_KEY_SPECIAL && key != 0x7f && !text_cp_bad((unsigned)key)) {
		char enc[4];
		size_t k = text_utf8_encode((unsigned)key, enc);
		/* insert at the cursor: append, then rotate the tail */
		size_t at = ed->cur;
		sbuf_add(&ed->text, enc, k);
		memmove(ed->text.s + at + k, ed->text.s + at, ed->text.len - k - at);
		memcpy(ed->text.s + at, enc, k);
		ed->cur = at + k;
		return true;
	}
	return false;
}

