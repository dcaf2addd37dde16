#include "session.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"
#include "port.h"
#include "stream.h"
#include "unix_socket.h"

/* End-to-end credit bounds DATA; this only guards against a client that stops reading. */
#define CLIENT_BUFFER_LIMIT (4u * 1024 * 1024)

struct client_conn {
	int fd;
	struct frame_decoder decoder;
	struct buffer out;
	/* 0 until the client's SESSION frame arrives. */
	uint32_t stream_id;
	/* The last SESSION part said more follows: only SESSION_MORE may come next. */
	bool session_incomplete;
	bool exit_forwarded;
	/* Close once out is flushed (host CLOSE after EXIT). */
	bool closing;
	bool dead;
	struct client_conn *next;
};

static int listen_fd = -1;
static struct client_conn *clients;
static struct frame_writer relay_writer;

int session_server_open(const char *path, struct agent_error *err)
{
	/* 0666: the guest is one user's machine; `docker` run as another user (sudo -u, su) must
	 * reach the daemon too, which root:docker 0660 gives on a Docker host. */
	listen_fd = unix_listen(path, 0666, 64, NULL, err);
	return listen_fd < 0 ? -1 : 0;
}

static void client_drop(struct client_conn *c, bool tell_host)
{
	if (c->dead)
		return;
	if (tell_host && c->stream_id && !c->exit_forwarded)
		port_send_empty(OP_CLOSE, 0, c->stream_id);
	c->dead = true;
	closep(&c->fd);
	decoder_free(&c->decoder);
	buffer_clear(&c->out);
}

static void client_flush(struct client_conn *c)
{
	while (buffer_used(&c->out) > 0) {
		ssize_t n = write(c->fd, buffer_head(&c->out), buffer_used(&c->out));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n < 0) {
			client_drop(c, true);
			return;
		}
		buffer_consume(&c->out, (size_t)n);
	}
	if (c->closing)
		client_drop(c, false);
}

/* SESSION may be split (SESSION_MORE frames, chan = more follows): nothing else may come
 * between its parts, and no part after the last. The host reassembles; this only keeps order. */
static bool client_frame_in_order(struct client_conn *c, const struct frame_header *h)
{
	if (c->stream_id == 0 && h->type != OP_SESSION) {
		log_msg(0, "client frame 0x%02x before SESSION dropped", h->type);
		return false;
	}
	if (c->stream_id != 0 && h->type == OP_SESSION) {
		log_msg(c->stream_id, "second SESSION from a client dropped");
		return false;
	}
	if (c->session_incomplete && h->type != OP_SESSION_MORE) {
		log_msg(c->stream_id, "client frame 0x%02x inside a split SESSION dropped",
			h->type);
		return false;
	}
	if (!c->session_incomplete && h->type == OP_SESSION_MORE) {
		log_msg(c->stream_id, "SESSION_MORE after the last part of a SESSION dropped");
		return false;
	}
	return true;
}

static void client_forward(struct client_conn *c, const struct frame_header *h,
			   const uint8_t *payload)
{
	struct frame_writer *w;

	if (!client_frame_in_order(c, h))
		return;
	if (c->stream_id == 0)
		c->stream_id = stream_next_guest_id();
	if (h->type == OP_SESSION || h->type == OP_SESSION_MORE)
		c->session_incomplete = h->chan == SESSION_PART_MORE;
	w = port_writer();
	writer_bytes(w, payload, h->len);
	port_send_built(h->type, h->chan, c->stream_id);
}

static void client_ready(void *ctx, int arg, short revents)
{
	struct client_conn *c = ctx;
	struct frame_header h;
	const uint8_t *payload;
	bool malformed;
	ssize_t n;

	(void)arg;
	if (c->dead)
		return;
	if (revents & POLLOUT) {
		client_flush(c);
		if (c->dead)
			return;
	}
	if (!(revents & (POLLIN | POLLHUP | POLLERR)))
		return;
	n = decoder_read(&c->decoder, c->fd);
	if (n < 0 && errno == EAGAIN)
		return;
	if (n <= 0) {
		client_drop(c, true);
		return;
	}
	while (decoder_next(&c->decoder, &h, &payload, &malformed) == 1) {
		if (malformed)
			log_msg(c->stream_id, "malformed frame from a docker client; resyncing");
		client_forward(c, &h, payload);
	}
	if (malformed)
		log_msg(c->stream_id, "malformed frame from a docker client; resyncing");
}

static void listener_ready(void *ctx, int arg, short revents)
{
	struct agent_error err;
	struct client_conn *c;
	int fd;

	(void)ctx;
	(void)arg;
	(void)revents;
	fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0) {
		if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
			log_msg(0, "docker client socket accept: %s", strerror(errno));
		return;
	}
	c = calloc(1, sizeof *c);
	if (c == NULL || decoder_init(&c->decoder, &err) < 0) {
		log_msg(0, "docker client: out of memory");
		free(c);
		close(fd);
		return;
	}
	c->fd = fd;
	c->next = clients;
	clients = c;
}

void session_collect(struct poll_set *ps)
{
	if (listen_fd >= 0)
		poll_set_add(ps, listen_fd, POLLIN, listener_ready, NULL, 0);
	for (struct client_conn *c = clients; c; c = c->next) {
		if (c->dead)
			continue;
		short events = c->closing ? 0 : POLLIN;

		if (buffer_used(&c->out) > 0)
			events |= POLLOUT;
		poll_set_add(ps, c->fd, events, client_ready, c, 0);
	}
}

static struct client_conn *session_find(uint32_t id)
{
	for (struct client_conn *c = clients; c; c = c->next)
		if (!c->dead && c->stream_id == id && id != 0)
			return c;
	return NULL;
}

bool session_id_in_use(uint32_t id)
{
	return session_find(id) != NULL;
}

bool session_on_host_frame(const struct frame_header *h, const uint8_t *payload)
{
	struct client_conn *c = session_find(h->stream);
	struct agent_error err;
	size_t size;

	if (c == NULL)
		return false;
	if (h->type == OP_CLOSE) {
		if (c->exit_forwarded)
			c->closing = true;
		else
			client_drop(c, false);
		return true;
	}
	if (c->closing)
		return true;
	writer_reset(&relay_writer);
	writer_bytes(&relay_writer, payload, h->len);
	size = writer_finish(&relay_writer, h->type, h->chan, 0);
	if (buffer_used(&c->out) + size > CLIENT_BUFFER_LIMIT ||
	    buffer_append(&c->out, relay_writer.buf, size, &err) < 0) {
		log_msg(c->stream_id, "docker client is not reading; dropping it");
		client_drop(c, true);
		return true;
	}
	if (h->type == OP_EXIT)
		c->exit_forwarded = true;
	client_flush(c);
	return true;
}

void session_reap_dead(void)
{
	struct client_conn **link = &clients;

	while (*link) {
		struct client_conn *c = *link;

		if (c->dead) {
			*link = c->next;
			free(c);
		} else {
			link = &c->next;
		}
	}
}
