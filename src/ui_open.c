/* ui_open — links to the browser via posix_spawnp, never a shell (see ui_open.h). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE   /* POSIX_SPAWN_SETSID where the C library has it */
#endif
#include "lectern/ui_open.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lectern/config.h"

extern char **environ;

bool ui_url_allowed(const char *url)
{
	if (!url)
		return false;
	if (strncasecmp(url, "http://", 7) != 0 && strncasecmp(url, "https://", 8) != 0)
		return false;
	for (const unsigned char *p = (const unsigned char *)url; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

char *ui_url_normalise(const char *url)
{
	static const char hex[] = "0123456789ABCDEF";
	struct sbuf b = {0};
	sbuf_add(&b, "", 0);
	for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
		/* RFC 3986 allows unreserved, reserved and "%" HEX HEX; everything else is encoded.
		 * A "%" that starts no escape is itself encoded. */
		bool bad = *p <= 0x20 || *p >= 0x7f || strchr("\"<>`{}|\\^", *p) ||
		           (*p == '%' && !(is_hex((char)p[1]) && is_hex((char)p[2])));
		if (bad) {
			char esc[3] = {'%', hex[*p >> 4], hex[*p & 15]};
			sbuf_add(&b, esc, 3);
		} else {
			sbuf_addc(&b, (char)*p);
		}
	}
	return sbuf_steal(&b);
}

char *ui_browser_command(const char *browser)
{
	if (browser && *browser)
		return xstrdup(browser);
	const char *env = getenv("BROWSER");
	if (env && *env)
		return xstrndup(env, strcspn(env, ":"));
#ifdef __APPLE__
	return xstrdup("open");
#else
	return xstrdup("xdg-open");
#endif
}

char *ui_viewer_command(const char *viewer)
{
	if (viewer && *viewer)
		return xstrdup(viewer);
#ifdef __APPLE__
	return xstrdup("open");
#else
	return xstrdup("xdg-open");
#endif
}

static char *replace_all(const char *word, const char *url, bool *did)
{
	struct sbuf b = {0};
	for (const char *p = word; *p;) {
		const char *hit = strstr(p, "%u");
		if (!hit) {
			sbuf_adds(&b, p);
			break;
		}
		sbuf_add(&b, p, (size_t)(hit - p));
		sbuf_adds(&b, url);
		*did = true;
		p = hit + 2;
	}
	return sbuf_steal(&b);
}

char **ui_open_argv(const char *cmd, const char *url, struct lerr *e)
{
	char **words = NULL;
	int n = config_split(cmd, &words, e);
	if (n <= 0) {
		if (n == 0) {
			config_free_words(words, 0);
			lerr_set(e, LERR_USAGE, 0, "the browser command is empty");
		}
		return NULL;
	}
	char **argv = xcalloc((size_t)n + 2, sizeof *argv);
	bool placed = false;
	/* a link is normalised; the one other target, a PDF lectern wrote, is a path kept as is */
	char *safe = ui_url_allowed(url) ? ui_url_normalise(url) : xstrdup(url);
	for (int i = 0; i < n; i++)
		argv[i] = i == 0 ? xstrdup(words[i]) : replace_all(words[i], safe, &placed);
	if (!placed)
		argv[n] = safe;
	else
		free(safe);
	config_free_words(words, (size_t)n);
	return argv;
}

void ui_argv_free(char **argv)
{
	if (!argv)
		return;
	for (char **p = argv; *p; p++)
		free(*p);
	free(argv);
}

bool ui_browser_is_terminal(const char *argv0)
{
	const char *base = strrchr(argv0, '/');
	base = base ? base + 1 : argv0;
	return strcmp(base, "lynx") == 0 || strcmp(base, "w3m") == 0 ||
	       strcmp(base, "elinks") == 0 || strcmp(base, "links") == 0;
}

/* Starts argv; detached: in its own session with stdio on /dev/null (in_fd >= 0: as its stdin). */
static int spawn(char *const *argv, bool detached, int in_fd, pid_t *pid)
{
	posix_spawnattr_t at;
	posix_spawn_file_actions_t fa;
	sigset_t all, none;
	sigfillset(&all);
	sigemptyset(&none);
	posix_spawnattr_init(&at);
	posix_spawn_file_actions_init(&fa);
	short flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK;
	if (detached) {
#ifdef POSIX_SPAWN_SETSID
		flags |= POSIX_SPAWN_SETSID;
#else
		flags |= POSIX_SPAWN_SETPGROUP;   /* at least out of the terminal's process group */
		posix_spawnattr_setpgroup(&at, 0);
#endif
		for (int fd = 0; fd <= 2; fd++)
			if (fd || in_fd < 0)
				posix_spawn_file_actions_addopen(&fa, fd, "/dev/null", fd ? O_WRONLY : O_RDONLY, 0);
		if (in_fd >= 0)
			posix_spawn_file_actions_adddup2(&fa, in_fd, 0);
	}
	posix_spawnattr_setflags(&at, flags);
	posix_spawnattr_setsigdefault(&at, &all);
	posix_spawnattr_setsigmask(&at, &none);
	int rc = posix_spawnp(pid, argv[0], &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	return rc;
}

pid_t ui_spawn_detached(char *const *argv, struct lerr *e)
{
	pid_t pid;
	int rc = spawn(argv, true, -1, &pid);
	if (rc != 0) {
		lerr_set(e, LERR_IO, rc, "cannot start %s: %s", argv[0], strerror(rc));
		return -1;
	}
	return pid;
}

int ui_run_foreground(char *const *argv, struct lerr *e)
{
	pid_t pid;
	int rc = spawn(argv, false, -1, &pid);
	if (rc != 0) {
		lerr_set(e, LERR_IO, rc, "cannot start %s: %s", argv[0], strerror(rc));
		return -1;
	}
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR) {
			lerr_set(e, LERR_IO, errno, "waiting for %s: %s", argv[0], strerror(errno));
			return -1;
		}
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

/* Runs argv with text on its stdin and waits: 0 when it exited 0, else -1 with e set (ENOENT in
 * e->code: not installed). */
static int pipe_to(char *const *argv, const char *text, struct lerr *e)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0) {
		lerr_set(e, LERR_IO, errno, "pipe: %s", strerror(errno));
		return -1;
	}
	pid_t pid;
	int rc = spawn(argv, true, p[0], &pid);
	close(p[0]);
	if (rc != 0) {
		close(p[1]);
		lerr_set(e, LERR_IO, rc, "cannot start %s: %s", argv[0], strerror(rc));
		return -1;
	}
	/* a few hundred bytes at most: fits the pipe; a tool that quits early gets EPIPE, not us */
	void (*old)(int) = signal(SIGPIPE, SIG_IGN);
	size_t n = strlen(text), off = 0;
	while (off < n) {
		ssize_t w = write(p[1], text + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	close(p[1]);
	signal(SIGPIPE, old);
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR) {
			lerr_set(e, LERR_IO, errno, "waiting for %s: %s", argv[0], strerror(errno));
			return -1;
		}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || off < n) {
		lerr_set(e, LERR_IO, 0, "%s failed", argv[0]);
		return -1;
	}
	return 0;
}

int ui_copy_text(const char *text, const char **tool, struct lerr *e)
{
	/* each only where its display server is (wl-copy without Wayland fails, xclip without X) */
	static const struct { const char *env; const char *const argv[4]; } tools[] = {
		{"WAYLAND_DISPLAY", {"wl-copy", NULL}},
		{"DISPLAY", {"xclip", "-selection", "clipboard", NULL}},
		{NULL, {"pbcopy", NULL}},
	};
	int rc = 0;
	for (size_t i = 0; i < ARRAY_LEN(tools); i++) {
		const char *env = tools[i].env ? getenv(tools[i].env) : "-";
		if (!env || !*env)
			continue;
		struct lerr te = {0};
		/* (posix_spawn's argv is char *const[] for history's sake: it is not written to) */
		if (pipe_to((char *const *)tools[i].argv, text, &te) == 0) {
			*tool = tools[i].argv[0];
			return 1;
		}
		if (te.code != ENOENT && rc == 0) {
			*e = te;    /* the first that is there but failed says why */
			rc = -1;
		}
	}
	return rc;
}

char *ui_base64(const unsigned char *d, size_t n)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *out = xmalloc((n + 2) / 3 * 4 + 1), *o = out;
	size_t i = 0;
	for (; i + 2 < n; i += 3) {
		unsigned v = (unsigned)d[i] << 16 | (unsigned)d[i + 1] << 8 | d[i + 2];
		*o++ = tab[v >> 18 & 63];
		*o++ = tab[v >> 12 & 63];
		*o++ = tab[v >> 6 & 63];
		*o++ = tab[v & 63];
	}
	if (i < n) {
		unsigned v = (unsigned)d[i] << 16 | (i + 1 < n ? (unsigned)d[i + 1] << 8 : 0);
		*o++ = tab[v >> 18 & 63];
		*o++ = tab[v >> 12 & 63];
		*o++ = i + 1 < n ? tab[v >> 6 & 63] : '=';
		*o++ = '=';
	}
	*o = '\0';
	return out;
}
