#include "tcp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"
#include "port.h"

static int tcp_parse_address(const uint8_t *payload, size_t len, struct sockaddr_in *addr)
{
	struct frame_reader r;

	memset(addr, 0, sizeof *addr);
	addr->sin_family = AF_INET;
	reader_init(&r, payload, len);
	reader_bytes(&r, &addr->sin_addr.s_addr, 4);
	addr->sin_port = htons(reader_u16(&r));
	return r.short_payload ? -1 : 0;
}

/* Both directions active: chan 0 writes and chan 1 reads share the socket. */
static struct stream *tcp_stream_new(uint32_t id, int sock, bool connecting)
{
	struct stream *s = stream_new(id, STREAM_SOCKET);

	if (s == NULL)
		return NULL;
	s->sock = sock;
	s->connecting = connecting;
	s->in.fd = sock;
	s->in.done = false;
	s->out[CHAN_STDOUT].fd = sock;
	s->out[CHAN_STDOUT].done = false;
	return s;
}

static void tcp_fail(struct stream *s, int code, const char *what)
{
	port_send_error(s->id, code, what);
	stream_kill(s, false);
}

/* CLOSE once the peer's data reached EOF and the host's EOF was passed on. */
static void tcp_progress(struct stream *s)
{
	if (!s->dead && s->in.done && s->out[CHAN_STDOUT].done) {
		port_send_empty(OP_CLOSE, 0, s->id);
		stream_kill(s, false);
	}
}

static void tcp_in_result(struct stream *s, enum in_result result)
{
	char message[128];

	if (result == IN_ERROR) {
		int code = errno;

		snprintf(message, sizeof message, "send: %s", strerror(code));
		tcp_fail(s, code, message);
	} else if (result == IN_DRAINED_EOF && !s->in.done) {
		shutdown(s->sock, SHUT_WR);
		s->in.done = true;
		tcp_progress(s);
	}
}

static void tcp_connected(struct stream *s)
{
	int error = 0;
	socklen_t size = sizeof error;
	char message[128];

	if (getsockopt(s->sock, SOL_SOCKET, SO_ERROR, &error, &size) < 0)
		error = errno;
	if (error) {
		snprintf(message, sizeof message, "connect: %s", strerror(error));
		tcp_fail(s, error, message);
		return;
	}
	s->connecting = false;
	port_send_empty(OP_CONNECTED, 0, s->id);
	tcp_in_result(s, in_chan_flush(s));
}

/* A unix peer has no address: ACCEPT reports it as 0.0.0.0:0. */
static void tcp_accept(struct stream *listener)
{
	struct sockaddr_storage peer = {0};
	const struct sockaddr_in *peer_in = (const struct sockaddr_in *)&peer;
	uint8_t no_address[4] = {0};
	socklen_t size = sizeof peer;
	struct frame_writer *w;
	struct stream *s;
	int sock =
	    accept4(listener->sock, (struct sockaddr *)&peer, &size, SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (sock < 0) {
		if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
			log_msg(listener->id, "accept: %s", strerror(errno));
		return;
	}
	s = tcp_stream_new(stream_next_guest_id(), sock, false);
	if (s == NULL) {
		close(sock);
		return;
	}
	w = port_writer();
	writer_u32(w, listener->id);
	if (peer.ss_family == AF_INET) {
		writer_bytes(w, &peer_in->sin_addr.s_addr, 4);
		writer_u16(w, ntohs(peer_in->sin_port));
	} else {
		writer_bytes(w, no_address, 4);
		writer_u16(w, 0);
	}
	port_send_built(OP_ACCEPT, 0, s->id);
}

static void tcp_ready(void *ctx, int arg, short revents)
{
	struct stream *s = ctx;
	char message[128];
	int code;

	(void)revents;
	if (s->dead)
		return;
	if (s->kind == STREAM_LISTENER) {
		tcp_accept(s);
	} else if (s->connecting) {
		tcp_connected(s);
	} else if (arg == CHAN_STDIN) {
		tcp_in_result(s, in_chan_flush(s));
	} else if (!s->out[CHAN_STDOUT].done) {
		switch (out_chan_pump(s, CHAN_STDOUT)) {
		case OUT_ERROR:
			code = errno;
			snprintf(message, sizeof message, "recv: %s", strerror(code));
			tcp_fail(s, code, message);
			break;
		case OUT_EOF:
			s->out[CHAN_STDOUT].done = true;
			port_send_empty(OP_EOF, CHAN_STDOUT, s->id);
			tcp_progress(s);
			break;
		default:
			break;
		}
	}
}

void tcp_collect(struct poll_set *ps, struct stream *s)
{
	if (s->kind == STREAM_LISTENER) {
		poll_set_add(ps, s->sock, POLLIN, tcp_ready, s, 0);
		return;
	}
	if (s->connecting) {
		poll_set_add(ps, s->sock, POLLOUT, tcp_ready, s, CHAN_STDIN);
		return;
	}
	if (!s->out[CHAN_STDOUT].done && s->out[CHAN_STDOUT].window > 0)
		poll_set_add(ps, s->sock, POLLIN, tcp_ready, s, CHAN_STDOUT);
	if (!s->in.done && buffer_used(&s->in.pending) > 0)
		poll_set_add(ps, s->sock, POLLOUT, tcp_ready, s, CHAN_STDIN);
}

static int tcp_socket(uint32_t id)
{
	char message[128];
	int sock = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (sock < 0) {
		int code = errno;

		snprintf(message, sizeof message, "socket: %s", strerror(code));
		port_send_error(id, code, message);
	}
	return sock;
}

void tcp_connect_start(uint32_t id, const uint8_t *payload, size_t len)
{
	struct sockaddr_in addr;
	char message[128];
	struct stream *s;
	int sock;

	if (tcp_parse_address(payload, len, &addr) < 0) {
		log_msg(id, "TCP_CONNECT payload too short");
		port_send_error(id, EPROTO, "malformed TCP_CONNECT payload");
		return;
	}
	sock = tcp_socket(id);
	if (sock < 0)
		return;
	if (connect(sock, (struct sockaddr *)&addr, sizeof addr) < 0 && errno != EINPROGRESS) {
		int code = errno;

		snprintf(message, sizeof message, "connect: %s", strerror(code));
		port_send_error(id, code, message);
		close(sock);
		return;
	}
	s = tcp_stream_new(id, sock, true);
	if (s == NULL) {
		close(sock);
		port_send_error(id, ENOMEM, "out of memory");
	}
}

void tcp_listen_start(uint32_t id, const uint8_t *payload, size_t len)
{
	struct sockaddr_in addr;
	socklen_t size = sizeof addr;
	char message[128];
	struct stream *s;
	int one = 1;
	cleanup_close int sock = -1;

	if (tcp_parse_address(payload, len, &addr) < 0) {
		log_msg(id, "TCP_LISTEN payload too short");
		port_send_error(id, EPROTO, "malformed TCP_LISTEN payload");
		return;
	}
	sock = tcp_socket(id);
	if (sock < 0)
		return;
	setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(sock, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(sock, 128) < 0 ||
	    getsockname(sock, (struct sockaddr *)&addr, &size) < 0) {
		int code = errno;

		snprintf(message, sizeof message, "listen: %s", strerror(code));
		port_send_error(id, code, message);
		return;
	}
	s = stream_new(id, STREAM_LISTENER);
	if (s == NULL) {
		port_send_error(id, ENOMEM, "out of memory");
		return;
	}
	s->sock = sock;
	sock = -1;
	writer_u16(port_writer(), ntohs(addr.sin_port));
	port_send_built(OP_LISTENING, 0, id);
}

void tcp_on_host_frame(struct stream *s, const struct frame_header *h, const uint8_t *payload)
{
	struct frame_reader r;
	uint32_t bytes;

	reader_init(&r, payload, h->len);
	switch (h->type) {
	case OP_DATA:
		if (s->kind == STREAM_SOCKET && h->chan == CHAN_STDIN)
			tcp_in_result(s, in_chan_push(s, payload, h->len));
		break;
	case OP_EOF:
		if (s->kind != STREAM_SOCKET || h->chan != CHAN_STDIN || s->in.done ||
		    s->in.eof_requested)
			break;
		s->in.eof_requested = true;
		if (!s->connecting)
			tcp_in_result(s, in_chan_flush(s));
		break;
	case OP_CREDIT:
		bytes = reader_u32(&r);
		if (r.short_payload) {
			log_msg(s->id, "CREDIT payload too short");
			tcp_fail(s, EPROTO, "malformed CREDIT payload");
		} else if (h->chan == CHAN_STDOUT) {
			uint32_t *window = &s->out[CHAN_STDOUT].window;

			*window = bytes > UINT32_MAX - *window ? UINT32_MAX : *window + bytes;
		}
		break;
	case OP_CLOSE:
		stream_kill(s, false);
		break;
	default:
		log_msg(s->id, "opcode 0x%02x not valid on a socket stream", h->type);
		break;
	}
}
