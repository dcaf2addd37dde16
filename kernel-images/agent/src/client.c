#include "client.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "client_session.h"
#include "client_term.h"
#include "frame.h"
#include "session.h"

extern char **environ;

struct client {
	int sock;
	int signals;
	uint32_t flags;
	/* Stdin is untouched until the host's STDIN_OPEN: a script's next lines stay unread. */
	bool stdin_granted;
	bool stdin_open;
	bool raw;
	uint32_t stdin_window;
	uint32_t unacked[3];
	/* stdout/stderr went away (EPIPE): output is dropped but still credited. */
	bool output_broken[3];
	struct frame_decoder decoder;
	struct frame_writer writer;
};

static void client_lost(void)
{
	term_restore();
	fputs("docker: connection to the Slipway engine lost\n", stderr);
	exit(125);
}

static void client_send(struct client *c, uint8_t type, uint8_t chan)
{
	struct agent_error err;
	size_t size = writer_finish(&c->writer, type, chan, 0);

	if (write_all(c->sock, c->writer.buf, size, &err) < 0)
		client_lost();
}

/* The agent may be restarting: retry for up to 2 s before giving up. */
static int client_connect(const char *path)
{
	const struct timespec pause = {.tv_sec = 0, .tv_nsec = 100 * 1000 * 1000};
	struct sockaddr_un addr = {.sun_family = AF_UNIX};

	if (strlen(path) >= sizeof addr.sun_path)
		return -1;
	strcpy(addr.sun_path, path);
	for (int attempt = 0; attempt < 20; attempt++) {
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

		if (fd < 0)
			return -1;
		if (connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0)
			return fd;
		close(fd);
		if (errno != ENOENT && errno != ECONNREFUSED && errno != EAGAIN)
			return -1;
		nanosleep(&pause, NULL);
	}
	return -1;
}

static void client_send_session(struct client *c, int argc, char **argv)
{
	char cwd[PATH_MAX];
	struct session_request req = {
	    .flags = c->flags,
	    .cwd = cwd,
	    .args = argv + 1,
	    .arg_count = argc > 0 ? (size_t)argc - 1 : 0,
	    .env = environ,
	};
	struct agent_error err;

	term_size(&req.rows, &req.cols);
	if (getcwd(cwd, sizeof cwd) == NULL)
		cwd[0] = '\0';
	if (session_request_send(c->sock, &c->writer, &req, &err) == 0)
		return;
	if (err.code != E2BIG && err.code != ENOMEM)
		client_lost();
	/* E2BIG: more than exec() takes at the default stack limit, worded as the kernel's. */
	fprintf(stderr, "docker: %s\n", err.message);
	exit(125);
}

static void client_send_credit(struct client *c, int chan, bool force)
{
	if (c->unacked[chan] >= CREDIT_BATCH || (force && c->unacked[chan] > 0)) {
		writer_reset(&c->writer);
		writer_u32(&c->writer, c->unacked[chan]);
		client_send(c, OP_CREDIT, (uint8_t)chan);
		c->unacked[chan] = 0;
	}
}

static void client_on_stdin_open(struct client *c, uint32_t flags)
{
	if (!c->stdin_granted) {
		c->stdin_granted = true;
		c->stdin_open = true;
		c->stdin_window = INITIAL_WINDOW;
	}
	if ((flags & STDIN_OPEN_RAW) && (c->flags & SESSION_STDIN_TTY) && !c->raw) {
		term_make_raw(STDIN_FILENO);
		c->raw = true;
	}
}

static void client_on_frame(struct client *c, const struct frame_header *h, const uint8_t *payload)
{
	struct frame_reader r;
	struct agent_error err;

	reader_init(&r, payload, h->len);
	switch (h->type) {
	case OP_DATA:
		if (h->chan != CHAN_STDOUT && h->chan != CHAN_STDERR)
			break;
		if (!c->output_broken[h->chan] && write_all(h->chan, payload, h->len, &err) < 0)
			c->output_broken[h->chan] = true;
		c->unacked[h->chan] += h->len;
		client_send_credit(c, h->chan, false);
		break;
	case OP_CREDIT:
		if (h->chan == CHAN_STDIN && c->stdin_granted)
			c->stdin_window += reader_u32(&r);
		break;
	case OP_STDIN_OPEN:
		client_on_stdin_open(c, reader_u32(&r));
		break;
	case OP_EXIT: {
		int32_t code = reader_i32(&r);
		int32_t signo = reader_i32(&r);

		client_exit(signo > 0 ? 128 + signo : code & 0xff);
	}
	case OP_CLOSE:
		client_lost();
	default:
		break;
	}
}

static void client_on_signal(struct client *c)
{
	struct signalfd_siginfo info;
	uint16_t rows, cols;

	while (read(c->signals, &info, sizeof info) == (ssize_t)sizeof info) {
		writer_reset(&c->writer);
		if (info.ssi_signo == SIGWINCH) {
			if (!term_size(&rows, &cols))
				continue;
			writer_u16(&c->writer, rows);
			writer_u16(&c->writer, cols);
			client_send(c, OP_RESIZE, 0);
		} else if (c->raw) {
			/* In raw mode ^C arrives as a byte; a signal here means the terminal is
			 * gone. */
			client_exit(128 + (int)info.ssi_signo);
		} else {
			writer_u32(&c->writer, info.ssi_signo);
			client_send(c, OP_SIGNAL, 0);
		}
	}
}

static void client_on_stdin(struct client *c)
{
	size_t want = c->stdin_window < FRAME_MAX_PAYLOAD ? c->stdin_window : FRAME_MAX_PAYLOAD;
	ssize_t n;

	writer_reset(&c->writer);
	do
		n = read(STDIN_FILENO, writer_payload(&c->writer), want);
	while (n < 0 && errno == EINTR);
	if (n < 0 && errno == EAGAIN)
		return;
	if (n <= 0) {
		c->stdin_open = false;
		client_send(c, OP_EOF, CHAN_STDIN);
		return;
	}
	c->writer.len = (size_t)n;
	c->stdin_window -= (uint32_t)n;
	client_send(c, OP_DATA, CHAN_STDIN);
}

static void client_on_socket(struct client *c)
{
	struct frame_header h;
	const uint8_t *payload;
	bool malformed;
	ssize_t n = decoder_read(&c->decoder, c->sock);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0)
		client_lost();
	while (decoder_next(&c->decoder, &h, &payload, &malformed) == 1)
		client_on_frame(c, &h, payload);
	for (int chan = CHAN_STDOUT; chan <= CHAN_STDERR; chan++)
		client_send_credit(c, chan, true);
}

static int client_setup_signals(struct agent_error *err)
{
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGWINCH);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGQUIT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd < 0)
		return agent_error_set(err, errno, "signalfd: %s", strerror(errno));
	return fd;
}

int client_main(int argc, char **argv)
{
	const char *path = getenv("SLIPWAY_DOCKER_SOCK");
	static struct client c;
	struct agent_error err;

	if (path == NULL || path[0] == '\0')
		path = DEFAULT_CLIENT_SOCK;
	c.sock = client_connect(path);
	if (c.sock < 0) {
		fprintf(stderr,
			"docker: Cannot connect to the Docker daemon at unix://%s. Is the docker "
			"daemon "
			"running?\n",
			path);
		return 125;
	}
	c.signals = client_setup_signals(&err);
	if (c.signals < 0 || decoder_init(&c.decoder, &err) < 0) {
		fprintf(stderr, "docker: %s\n", err.message);
		return 125;
	}
	c.flags = (isatty(STDIN_FILENO) ? SESSION_STDIN_TTY : 0) |
		  (isatty(STDOUT_FILENO) ? SESSION_STDOUT_TTY : 0) |
		  (isatty(STDERR_FILENO) ? SESSION_STDERR_TTY : 0);
	client_send_session(&c, argc, argv);
	for (;;) {
		struct pollfd fds[3] = {
		    {.fd = c.sock, .events = POLLIN},
		    {.fd = c.signals, .events = POLLIN},
		    {.fd = c.stdin_open && c.stdin_window > 0 ? STDIN_FILENO : -1,
		     .events = POLLIN},
		};

		if (poll(fds, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			client_lost();
		}
		if (fds[1].revents)
			client_on_signal(&c);
		if (fds[2].revents)
			client_on_stdin(&c);
		if (fds[0].revents)
			client_on_socket(&c);
	}
}
