#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "console.h"
#include "log.h"
#include "port.h"
#include "spawn_child.h"

struct spawn_request {
	uint32_t flags;
	uint32_t uid;
	uint32_t gid;
	uint16_t rows;
	uint16_t cols;
	char *cwd;
	char **argv;
	char **env;
	char *console_socket;
};

static void spawn_request_free(struct spawn_request *req)
{
	free(req->cwd);
	strv_free(req->argv);
	strv_free(req->env);
	free(req->console_socket);
}

static int spawn_request_parse(const uint8_t *payload, size_t len, struct spawn_request *req)
{
	struct frame_reader r;

	memset(req, 0, sizeof *req);
	reader_init(&r, payload, len);
	req->flags = reader_u32(&r);
	req->uid = reader_u32(&r);
	req->gid = reader_u32(&r);
	req->rows = reader_u16(&r);
	req->cols = reader_u16(&r);
	req->cwd = reader_str(&r);
	req->argv = reader_strs(&r);
	req->env = reader_strs(&r);
	req->console_socket = reader_str(&r);
	return r.short_payload ? -1 : 0;
}

static const char *child_stage_name(int stage)
{
	switch (stage) {
	case CHILD_STAGE_PTY:
		return "terminal setup";
	case CHILD_STAGE_IDS:
		return "setuid/setgid";
	case CHILD_STAGE_CWD:
		return "chdir";
	case CHILD_STAGE_NOTIFY:
		return "notify fd";
	default:
		return "exec";
	}
}

/* The child's stdio ends, the parent's ends, and the report pipe; all closed unless taken. */
struct spawn_fds {
	int child[3];
	int parent[3];
	int master;
	int report[2];
	int notify[2];
};

static void spawn_fds_close(struct spawn_fds *f)
{
	for (int i = 0; i < 3; i++) {
		closep(&f->child[i]);
		closep(&f->parent[i]);
	}
	closep(&f->master);
	closep(&f->report[0]);
	closep(&f->report[1]);
	closep(&f->notify[0]);
	closep(&f->notify[1]);
}

static int make_pipe(struct spawn_fds *f, int chan, struct agent_error *err)
{
	int p[2];

	if (pipe2(p, O_CLOEXEC) < 0)
		return agent_error_set(err, errno, "pipe: %s", strerror(errno));
	f->child[chan] = chan == CHAN_STDIN ? p[0] : p[1];
	f->parent[chan] = chan == CHAN_STDIN ? p[1] : p[0];
	return 0;
}

static int spawn_prepare_stdio(struct stream *s, const struct spawn_request *req,
			       struct spawn_fds *f, char *slave, size_t slave_size,
			       struct agent_error *err)
{
	if (req->flags & SPAWN_PTY) {
		f->master = pty_open(req->rows, req->cols, slave, slave_size, err);
		return f->master < 0 ? -1 : 0;
	}
	if (req->flags & SPAWN_CONSOLE_SOCKET) {
		/* crun's own diagnostics (stdout and stderr) arrive on chan 2; the pty carries
		 * chan 1. */
		s->console_listen_fd = console_listen(req->console_socket, err);
		if (s->console_listen_fd < 0)
			return -1;
		s->console_path = strdup(req->console_socket);
		s->console = CONSOLE_WAITING;
		f->child[0] = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (f->child[0] < 0)
			return agent_error_set(err, errno, "/dev/null: %s", strerror(errno));
		if (make_pipe(f, CHAN_STDERR, err) < 0)
			return -1;
		f->child[1] = dup_cloexec(f->child[2], err);
		return f->child[1] < 0 ? -1 : 0;
	}
	for (int chan = 0; chan < 3; chan++)
		if (make_pipe(f, chan, err) < 0)
			return -1;
	return 0;
}

static int spawn_wait_exec(pid_t pid, struct spawn_fds *f, const char *argv0,
			   struct agent_error *err)
{
	struct child_report report;
	ssize_t n;

	closep(&f->report[1]);
	do
		n = read(f->report[0], &report, sizeof report);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof report)
		return 0;
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	return agent_error_set(err, report.error, "%s %s: %s", child_stage_name(report.stage),
			       argv0, strerror(report.error));
}

/* Adopts the parent ends into the stream (non-blocking). */
static int spawn_adopt(struct stream *s, const struct spawn_request *req, struct spawn_fds *f,
		       struct agent_error *err)
{
	if (req->flags & SPAWN_PTY) {
		s->in.fd = dup_cloexec(f->master, err);
		if (s->in.fd < 0 || set_nonblocking(f->master, true, err) < 0)
			return -1;
		s->out[CHAN_STDOUT].fd = f->master;
		f->master = -1;
		s->out[CHAN_STDOUT].done = false;
		s->in.done = false;
		return 0;
	}
	for (int chan = 0; chan < 3; chan++) {
		if (f->parent[chan] < 0)
			continue;
		if (set_nonblocking(f->parent[chan], true, err) < 0)
			return -1;
		if (chan == CHAN_STDIN) {
			s->in.fd = f->parent[chan];
			s->in.done = false;
		} else {
			s->out[chan].fd = f->parent[chan];
			s->out[chan].done = false;
		}
		f->parent[chan] = -1;
	}
	if (s->console == CONSOLE_WAITING)
		s->out[CHAN_STDOUT].done = false;
	return 0;
}

static int spawn_launch(struct stream *s, const struct spawn_request *req, struct agent_error *err)
{
	__attribute__((cleanup(spawn_fds_close))) struct spawn_fds f = {
	    .child = {-1, -1, -1}, .parent = {-1, -1, -1}, .master = -1, .report = {-1, -1}, .notify = {-1, -1}};
	char slave[128] = "";
	pid_t pid;

	if (req->argv[0] == NULL)
		return agent_error_set(err, EINVAL, "SPAWN with an empty argv");
	if (pipe2(f.report, O_CLOEXEC) < 0)
		return agent_error_set(err, errno, "pipe: %s", strerror(errno));
	if ((req->flags & SPAWN_NOTIFY_FD) && pipe2(f.notify, O_CLOEXEC) < 0)
		return agent_error_set(err, errno, "pipe: %s", strerror(errno));
	if (spawn_prepare_stdio(s, req, &f, slave, sizeof slave, err) < 0)
		return -1;
	pid = fork();
	if (pid < 0)
		return agent_error_set(err, errno, "fork: %s", strerror(errno));
	if (pid == 0) {
		struct child_setup setup = {
		    .stdio = {f.child[0], f.child[1], f.child[2]},
		    .pty_slave = (req->flags & SPAWN_PTY) ? slave : NULL,
		    .uid = req->uid,
		    .gid = req->gid,
		    .cwd = req->cwd,
		    .argv = req->argv,
		    .env = req->env,
		    .report_fd = f.report[1],
		    .notify_fd = f.notify[1],
		};
		child_exec(&setup);
	}
	if (spawn_wait_exec(pid, &f, req->argv[0], err) < 0)
		return -1;
	s->pid = pid;
	s->flags = req->flags;
	if (f.notify[0] >= 0) {
		if (set_nonblocking(f.notify[0], true, err) < 0)
			return -1;
		s->notify_fd = f.notify[0];
		f.notify[0] = -1;
	}
	return spawn_adopt(s, req, &f, err);
}

void spawn_start(uint32_t id, const uint8_t *payload, size_t len)
{
	struct spawn_request req;
	struct agent_error err;
	struct stream *s;

	if (spawn_request_parse(payload, len, &req) < 0) {
		spawn_request_free(&req);
		log_msg(id, "SPAWN payload too short (%zu bytes)", len);
		port_send_error(id, EPROTO, "malformed SPAWN payload");
		return;
	}
	s = stream_new(id, STREAM_SPAWN);
	if (s == NULL) {
		spawn_request_free(&req);
		port_send_error(id, ENOMEM, "out of memory");
		return;
	}
	if (spawn_launch(s, &req, &err) < 0) {
		port_send_error(id, err.code, err.message);
		if (s->pid > 0)
			kill(-s->pid, SIGKILL);
		stream_kill(s, false);
	} else {
		port_send_u32(OP_SPAWNED, 0, id, (uint32_t)s->pid);
	}
	spawn_request_free(&req);
}
