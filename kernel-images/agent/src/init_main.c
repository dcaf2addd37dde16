/*
 * docker-init -- COMMAND [ARG...]: PID 1 of a `--init` container. A process that is PID 1 gets
 * no default signal handlers (SIGTERM does nothing) and inherits every orphan; this stands in
 * front of the command, forwarding signals to it and reaping zombies until it exits.
 */
#include "init_main.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int init_main(int argc, char **argv)
{
	sigset_t all, old;
	int first = 1;

	if (argc > 1 && strcmp(argv[1], "--") == 0)
		first = 2;
	if (first >= argc) {
		fputs("usage: docker-init -- COMMAND [ARG...]\n", stderr);
		return 1;
	}
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	pid_t child = fork();
	if (child < 0) {
		fprintf(stderr, "docker-init: fork: %s\n", strerror(errno));
		return 1;
	}
	if (child == 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		setpgid(0, 0);
		execvp(argv[first], argv + first);
		fprintf(stderr, "docker-init: exec %s: %s\n", argv[first], strerror(errno));
		_exit(errno == ENOENT ? 127 : 126);
	}
	for (;;) {
		siginfo_t info;
		struct timespec tick = {.tv_sec = 1};
		int sig = sigtimedwait(&all, &info, &tick);

		if (sig > 0 && sig != SIGCHLD)
			kill(child, sig);
		for (;;) {
			int status;
			pid_t pid = waitpid(-1, &status, WNOHANG);

			if (pid <= 0)
				break;
			if (pid == child)
				return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
		}
	}
}
