/* A running SPAWN stream: its fds in the poll loop, host frames for it, exit and teardown. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "console.h"
#include "log.h"
#include "port.h"
#include "spawn.h"

static int reaper = -1;

/* spawn_ready's arg for the notify pipe (-1: the console socket, 0-2: the channels). */
#define NOTIFY_ARG (-2)

static bool spawn_is_pty(const struct stream *s)
{
	return (s->flags & SPAWN_PTY) || s->console == CONSOLE_ATTACHED;
}

/*
 * Reads what the notify pipe holds: the program's first write is sent as NOTIFY, later ones are
 * dropped (the pipe stays open until every writer closed it, so a second write gets no SIGPIPE).
 */
static void spawn_notify_poll(struct stream *s)
{
	char bytes[64];
	ssize_t n;

	if (s->notify_fd < 0)
		return;
	do
		n = read(s->notify_fd, bytes, sizeof bytes);
	while (n < 0 && errno == EINTR);
	if (n < 0 && errno == EAGAIN)
		return;
	if (n > 0 && !s->notify_sent) {
		port_send_empty(OP_NOTIFY, 0, s->id);
		s->notify_sent = true;
	}
	if (n <= 0)
		closep(&s->notify_fd);
}

/* EXIT once the child is reaped and (unless NO_WAIT_OUTPUT) its outputs ended; free after. */
static void spawn_progress(struct stream *s)
{
	bool pipes_done = s->out[CHAN_STDOUT].done && s->out[CHAN_STDERR].done;
	/* A console pty may outlive crun (crun create/run -d): crun's EXIT waits only for chan 2.
	 */
	bool exit_ready = s->console != CONSOLE_NONE ? s->out[CHAN_STDERR].done : pipes_done;

	if (s->dead || !s->exited)
		return;
	if (!s->exit_sent && (exit_ready || (s->flags & SPAWN_NO_WAIT_OUTPUT))) {
		/* A NOTIFY the program made is told before its EXIT. */
		spawn_notify_poll(s);
		port_send_exit(s->id, s->exit_code, s->exit_signal);
		s->exit_sent = true;
	}
	if (s->exit_sent && pipes_done)
		stream_kill(s, false);
}

static void spawn_out_ended(struct stream *s, int chan)
{
	closep(&s->out[chan].fd);
	s->out[chan].done = true;
	port_send_empty(OP_EOF, (uint8_t)chan, s->id);
	spawn_progress(s);
}

static void spawn_in_result(struct stream *s, enum in_result result)
{
	if (result == IN_ERROR) {
		if (errno != EPIPE)
			log_msg(s->id, "write to chan 0: %s", strerror(errno));
		in_chan_discard(s);
		closep(&s->in.fd);
		if (s->in.eof_requested)
			s->in.done = true;
	} else if (result == IN_DRAINED_EOF) {
		closep(&s->in.fd);
		s->in.done = true;
	}
}

static void spawn_console_attach(struct stream *s, int pty)
{
	struct agent_error err;

	closep(&s->console_conn_fd);
	closep(&s->console_listen_fd);
	s->in.fd = dup_cloexec(pty, &err);
	if (s->in.fd < 0 || set_nonblocking(pty, true, &err) < 0) {
		log_msg(s->id, "console pty: %s", err.message);
		close(pty);
		closep(&s->in.fd);
		s->console = CONSOLE_FAILED;
		s->out[CHAN_STDOUT].done = true;
		return;
	}
	s->console = CONSOLE_ATTACHED;
	s->out[CHAN_STDOUT].fd = pty;
	s->in.done = false;
	port_send_empty(OP_CONSOLE, 0, s->id);
}

static void spawn_console_give_up(struct stream *s)
{
	closep(&s->console_conn_fd);
	closep(&s->console_listen_fd);
	s->console = CONSOLE_FAILED;
	s->out[CHAN_STDOUT].done = true;
}

/* One attempt at accepting the console connection and receiving its pty. */
static void spawn_console_poll(struct stream *s)
{
	int pty;

	if (s->console != CONSOLE_WAITING)
		return;
	if (s->console_conn_fd < 0 && s->console_listen_fd >= 0) {
		s->console_conn_fd = console_accept(s->console_listen_fd);
		if (s->console_conn_fd < 0) {
			if (errno != EAGAIN)
				log_msg(s->id, "console accept: %s", strerror(errno));
			return;
		}
		closep(&s->console_listen_fd);
	}
	if (s->console_conn_fd < 0)
		return;
	pty = console_receive(s->console_conn_fd);
	if (pty >= 0)
		spawn_console_attach(s, pty);
	else if (errno != EAGAIN)
		spawn_console_give_up(s);
}

static void spawn_ready(void *ctx, int arg, short revents)
{
	struct stream *s = ctx;

	(void)revents;
	if (s->dead)
		return;
	if (arg == CHAN_STDIN) {
		if (s->in.fd >= 0)
			spawn_in_result(s, in_chan_flush(s));
		return;
	}
	if (arg == NOTIFY_ARG) {
		spawn_notify_poll(s);
		return;
	}
	if (arg < 0) {
		spawn_console_poll(s);
		return;
	}
	if (s->out[arg].fd < 0)
		return;
	switch (out_chan_pump(s, arg)) {
	case OUT_ERROR:
		log_msg(s->id, "read chan %d: %s", arg, strerror(errno));
		spawn_out_ended(s, arg);
		break;
	case OUT_EOF:
		spawn_out_ended(s, arg);
		break;
	default:
		break;
	}
}

void spawn_collect(struct poll_set *ps, struct stream *s)
{
	for (int chan = CHAN_STDOUT; chan <= CHAN_STDERR; chan++)
		if (s->out[chan].fd >= 0 && s->out[chan].window > 0)
			poll_set_add(ps, s->out[chan].fd, POLLIN, spawn_ready, s, chan);
	if (s->in.fd >= 0 && buffer_used(&s->in.pending) > 0)
		poll_set_add(ps, s->in.fd, POLLOUT, spawn_ready, s, CHAN_STDIN);
	if (s->console_listen_fd >= 0)
		poll_set_add(ps, s->console_listen_fd, POLLIN, spawn_ready, s, -1);
	if (s->console_conn_fd >= 0)
		poll_set_add(ps, s->console_conn_fd, POLLIN, spawn_ready, s, -1);
	if (s->notify_fd >= 0)
		poll_set_add(ps, s->notify_fd, POLLIN, spawn_ready, s, NOTIFY_ARG);
}

static int spawn_pty_fd(const struct stream *s)
{
	return s->out[CHAN_STDOUT].fd >= 0 ? s->out[CHAN_STDOUT].fd : s->in.fd;
}

static void spawn_malformed(struct stream *s, const char *what)
{
	log_msg(s->id, "%s payload too short", what);
	port_send_error(s->id, EPROTO, what);
	stream_kill(s, true);
}

void spawn_on_host_frame(struct stream *s, const struct frame_header *h, const uint8_t *payload)
{
	struct frame_reader r;

	reader_init(&r, payload, h->len);
	switch (h->type) {
	case OP_DATA:
		if (h->chan != CHAN_STDIN)
			log_msg(s->id, "DATA on chan %u ignored", h->chan);
		else
			spawn_in_result(s, in_chan_push(s, payload, h->len));
		break;
	case OP_EOF:
		if (h->chan != CHAN_STDIN || s->in.done)
			break;
		s->in.eof_requested = true;
		spawn_in_result(s, in_chan_flush(s));
		break;
	case OP_CREDIT: {
		uint32_t bytes = reader_u32(&r);

		if (r.short_payload)
			return spawn_malformed(s, "CREDIT");
		if (h->chan <= CHAN_STDERR) {
			uint32_t *window = &s->out[h->chan].window;

			*window = bytes > UINT32_MAX - *window ? UINT32_MAX : *window + bytes;
		}
		break;
	}
	case OP_RESIZE: {
		struct winsize size = {.ws_row = reader_u16(&r), .ws_col = reader_u16(&r)};

		if (r.short_payload)
			return spawn_malformed(s, "RESIZE");
		if (spawn_is_pty(s) && spawn_pty_fd(s) >= 0 &&
		    ioctl(spawn_pty_fd(s), TIOCSWINSZ, &size) < 0)
			log_msg(s->id, "TIOCSWINSZ: %s", strerror(errno));
		break;
	}
	case OP_SIGNAL: {
		uint32_t signo = reader_u32(&r);

		if (r.short_payload)
			return spawn_malformed(s, "SIGNAL");
		if (!s->exited && kill((s->flags & SPAWN_PTY) ? -s->pid : s->pid, (int)signo) < 0)
			log_msg(s->id, "kill %u: %s", signo, strerror(errno));
		break;
	}
	case OP_CLOSE:
		stream_kill(s, true);
		break;
	default:
		log_msg(s->id, "opcode 0x%02x not valid on a spawn stream", h->type);
		break;
	}
}

static void spawn_child_exited(pid_t pid, int status)
{
	for (struct stream *s = stream_list(); s; s = s->next) {
		if (s->dead || s->kind != STREAM_SPAWN || s->pid != pid || s->exited)
			continue;
		s->exited = true;
		s->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		s->exit_signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
		/* crun sends the pty before exiting; the connection may still sit in the backlog.
		 */
		if (s->console == CONSOLE_WAITING) {
			spawn_console_poll(s);
			if (s->console == CONSOLE_WAITING)
				spawn_console_give_up(s);
		}
		spawn_progress(s);
		return;
	}
}

static void reaper_ready(void *ctx, int arg, short revents)
{
	struct signalfd_siginfo info;
	int status;
	pid_t pid;

	(void)ctx;
	(void)arg;
	(void)revents;
	while (read(reaper, &info, sizeof info) == (ssize_t)sizeof info)
		;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		spawn_child_exited(pid, status);
}

int reaper_init(struct agent_error *err)
{
	sigset_t chld;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	reaper = signalfd(-1, &chld, SFD_NONBLOCK | SFD_CLOEXEC);
	if (reaper < 0)
		return agent_error_set(err, errno, "signalfd: %s", strerror(errno));
	return 0;
}

void reaper_collect(struct poll_set *ps)
{
	poll_set_add(ps, reaper, POLLIN, reaper_ready, NULL, 0);
}
