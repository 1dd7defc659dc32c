/* ui_open — opening links in a browser without a shell, and the clipboard encoding.
 *
 * The browser command is `set browser CMD` (split into words like a config line; "%u" in a word
 * is replaced by the URL, else the URL is appended as the last argument), else $BROWSER (its
 * first ':'-separated entry), else xdg-open (open on macOS). Only http:// and https:// URLs are
 * ever passed on. The child never sees a shell: argv goes to posix_spawnp as is. */
#ifndef LECTERN_UI_OPEN_H
#define LECTERN_UI_OPEN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "lectern/util.h"

/* True when url starts with http:// or https:// (any case) and has no control characters. */
bool ui_url_allowed(const char *url);
/* url with every byte RFC 3986 never allows in a URI percent-encoded (space, controls, DEL,
 * non-ASCII bytes, " < > ` { } | \ ^, and a % that starts no %XX escape); reserved characters
 * and existing escapes are kept, so a valid URL comes back unchanged. Caller frees. */
char *ui_url_normalise(const char *url);
/* The command to use: browser (may be NULL) or the fallbacks above. Caller frees. */
char *ui_browser_command(const char *browser);
/* The command that opens a downloaded PDF: `set pdf-viewer` (may be NULL), else xdg-open (open on
 * macOS). Caller frees. The path it gets is one pdf_find() returned under pdf-dir: the one
 * target that is not an http(s) URL. */
char *ui_viewer_command(const char *viewer);
/* Builds the NULL-terminated argv for cmd and url (an http(s) URL is normalised by
 * ui_url_normalise; a file path is passed as is). Returns NULL with e set when cmd is empty or
 * malformed. Free with ui_argv_free(). */
char **ui_open_argv(const char *cmd, const char *url, struct lerr *e);
void ui_argv_free(char **argv);
/* True for browsers that need the terminal (lynx, w3m, elinks, links by basename). */
bool ui_browser_is_terminal(const char *argv0);
/* Starts argv[0] detached (own session, stdio on /dev/null, default signals). Returns the pid
 * (reap it with waitpid(pid, ..., WNOHANG)) or -1 with e set ("cannot start ...: reason"). */
pid_t ui_spawn_detached(char *const *argv, struct lerr *e);
/* Runs argv in the foreground on the terminal and waits. Returns its exit status (0-255), or -1
 * with e set when it could not start. The caller suspends curses around it. */
int ui_run_foreground(char *const *argv, struct lerr *e);

/* Copies text to the clipboard with the first tool there is: wl-copy (under Wayland), xclip
 * (under X), pbcopy, each run through argv with text on its stdin. Returns 1 when one confirmed it
 * (exit status 0; *tool names it), 0 when none is installed, -1 with e set when one failed. */
int ui_copy_text(const char *text, const char **tool, struct lerr *e);

/* Base64 of data[0..n) (malloc'd), for the OSC 52 clipboard sequence. */
char *ui_base64(const unsigned char *data, size_t n);

#endif
