/* test_server — starts tests/server.py (the loopback HTTP server) for a cmocka test binary.
 * Header-only: each test binary is one file. Run from the repository root. */
#ifndef LECTERN_TEST_SERVER_H
#define LECTERN_TEST_SERVER_H

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

/* Starts the server logging requests to log_path; returns its pid and sets *port, or -1.
 * Its stdin is a pipe whose write end only this process holds, so the server exits
 * (--exit-on-eof) whenever this process ends, even by a crash. */
static pid_t test_server_start(const char *log_path, int *port)
{
	int fds[2], life[2];
	if (pipe(fds) < 0 || pipe(life) < 0)
		return -1;
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		dup2(life[0], STDIN_FILENO);
		close(fds[0]);
		close(fds[1]);
		close(life[0]);
		close(life[1]);
		execlp("python3", "python3", "tests/server.py", "--log", log_path, "--exit-on-eof",
		       (char *)NULL);
		_exit(127);
	}
	close(life[0]);
	fcntl(life[1], F_SETFD, FD_CLOEXEC);   /* children of the tests must not keep it alive */
	close(fds[1]);
	FILE *f = fdopen(fds[0], "r");
	int ok = f && fscanf(f, "%d", port) == 1;
	if (f)
		fclose(f);
	return ok ? pid : -1;
}

static void test_server_stop(pid_t pid)
{
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
}

#endif
