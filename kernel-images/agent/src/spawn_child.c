#include "spawn_child.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#define DEFAULT_PATH "/usr/sbin:/usr/bin:/sbin:/bin"

static void child_fail(int report_fd, enum child_stage stage) __attribute__((noreturn));
static void child_fail(int report_fd, enum child_stage stage)
{
	struct child_report report = {.stage = stage, .error = errno};
	ssize_t ignored = write(report_fd, &report, sizeof report);

	(void)ignored;
	_exit(127);
}

static const char *env_path(char **env)
{
	for (char **e = env; e && *e; e++)
		if (strncmp(*e, "PATH=", 5) == 0)
			return *e + 5;
	return DEFAULT_PATH;
}

/* execvpe() semantics against the spawn's own environment: EACCES wins over ENOENT. */
static void exec_search(char **argv, char **env)
{
	const char *dir = env_path(env);
	bool saw_eacces = false;
	char path[PATH_MAX];

	if (strchr(argv[0], '/')) {
		execve(argv[0], argv, env);
		return;
	}
	while (dir) {
		const char *colon = strchr(dir, ':');
		size_t dir_len = colon ? (size_t)(colon - dir) : strlen(dir);

		if (dir_len + 1 + strlen(argv[0]) + 1 <= sizeof path) {
			memcpy(path, dir, dir_len);
			if (dir_len == 0)
				path[dir_len++] = '.';
			path[dir_len] = '/';
			strcpy(path + dir_len + 1, argv[0]);
			execve(path, argv, env);
			if (errno == EACCES)
				saw_eacces = true;
			else if (errno != ENOENT && errno != ENOTDIR)
				return;
		}
		dir = colon ? colon + 1 : NULL;
	}
	errno = saw_eacces ? EACCES : ENOENT;
}

static int child_set_ids(uint32_t uid, uint32_t gid)
{
	if (getuid() == 0) {
		if (setgroups(0, NULL) < 0 || setgid(gid) < 0 || setuid(uid) < 0)
			return -1;
		return 0;
	}
	if (gid != getgid() && setgid(gid) < 0)
		return -1;
	if (uid != getuid() && setuid(uid) < 0)
		return -1;
	return 0;
}

static void reset_oom_score(void)
{
	int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	if (write(fd, "0", 1) < 0) {
		/* Nothing to do about it: the child just keeps the agent's score. */
	}
	close(fd);
}

/*
 * Makes the notify pipe the program's NOTIFY_CHILD_FD (kept across exec); returns the report fd,
 * moved out of the way first if it was that fd. No notify pipe: nothing changes.
 */
static int child_notify_fd(int notify_fd, int report_fd)
{
	if (notify_fd < 0)
		return report_fd;
	if (report_fd == NOTIFY_CHILD_FD) {
		int moved = fcntl(report_fd, F_DUPFD_CLOEXEC, NOTIFY_CHILD_FD + 1);

		if (moved < 0)
			child_fail(report_fd, CHILD_STAGE_NOTIFY);
		report_fd = moved;
	}
	if (notify_fd == NOTIFY_CHILD_FD ? fcntl(notify_fd, F_SETFD, 0) < 0
					 : dup2(notify_fd, NOTIFY_CHILD_FD) < 0)
		child_fail(report_fd, CHILD_STAGE_NOTIFY);
	return report_fd;
}

void child_exec(const struct child_setup *c)
{
	sigset_t none;
	int stdio[3] = {c->stdio[0], c->stdio[1], c->stdio[2]};
	int report_fd = c->report_fd;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	/* /init shields the agent from the OOM killer (-999, as Docker's daemons); what it runs
	 * (shells, crun and so containers) is back to the default 0. */
	reset_oom_score();
	/* Its own session and process group, so CLOSE and pty SIGNALs reach the whole job. */
	setsid();
	if (c->pty_slave) {
		int slave = open(c->pty_slave, O_RDWR);

		if (slave < 0 || ioctl(slave, TIOCSCTTY, 0) < 0)
			child_fail(report_fd, CHILD_STAGE_PTY);
		stdio[0] = stdio[1] = stdio[2] = slave;
	}
	for (int i = 0; i < 3; i++)
		if (dup2(stdio[i], i) < 0)
			child_fail(report_fd, CHILD_STAGE_PTY);
	for (int i = 0; i < 3; i++)
		if (stdio[i] > 2)
			close(stdio[i]);
	report_fd = child_notify_fd(c->notify_fd, report_fd);
	if (child_set_ids(c->uid, c->gid) < 0)
		child_fail(report_fd, CHILD_STAGE_IDS);
	if (c->cwd[0] && chdir(c->cwd) < 0)
		child_fail(report_fd, CHILD_STAGE_CWD);
	exec_search(c->argv, c->env);
	child_fail(report_fd, CHILD_STAGE_EXEC);
}

int pty_open(uint16_t rows, uint16_t cols, char *slave, size_t slave_size, struct agent_error *err)
{
	struct winsize size = {.ws_row = rows, .ws_col = cols};
	cleanup_close int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	int fd;

	if (master < 0)
		return agent_error_set(err, errno, "open /dev/ptmx: %s", strerror(errno));
	if (grantpt(master) < 0 || unlockpt(master) < 0 ||
	    ptsname_r(master, slave, slave_size) != 0)
		return agent_error_set(err, errno, "pty setup: %s", strerror(errno));
	if ((rows || cols) && ioctl(master, TIOCSWINSZ, &size) < 0)
		return agent_error_set(err, errno, "TIOCSWINSZ: %s", strerror(errno));
	fd = master;
	master = -1;
	return fd;
}
