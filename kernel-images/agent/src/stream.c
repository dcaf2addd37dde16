#include "stream.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "frame.h"
#include "log.h"
#include "port.h"
#include "session.h"

static struct stream *streams;
static uint32_t last_guest_id = GUEST_STREAM_BIT;

struct stream *stream_new(uint32_t id, enum stream_kind kind)
{
	struct stream *s = calloc(1, sizeof *s);

	if (s == NULL)
		return NULL;
	s->id = id;
	s->kind = kind;
	for (int chan = 0; chan < 3; chan++)
		s->out[chan] = (struct out_chan){.fd = -1, .window = INITIAL_WINDOW, .done = true};
	s->in.fd = -1;
	s->in.done = true;
	s->pid = -1;
	s->console_listen_fd = -1;
	s->console_conn_fd = -1;
	s->notify_fd = -1;
	s->sock = -1;
	s->next = streams;
	streams = s;
	return s;
}

struct stream *stream_find(uint32_t id)
{
	for (struct stream *s = streams; s; s = s->next)
		if (s->id == id && !s->dead)
			return s;
	return NULL;
}

struct stream *stream_list(void)
{
	return streams;
}

void stream_kill(struct stream *s, bool abort)
{
	if (s->dead)
		return;
	s->dead = true;
	if (abort && s->kind == STREAM_SPAWN && s->pid > 0)
		kill(-s->pid, SIGKILL);
	if (s->kind == STREAM_SPAWN) {
		for (int chan = 0; chan < 3; chan++)
			closep(&s->out[chan].fd);
		closep(&s->in.fd);
	}
	closep(&s->sock);
	unix_socket_file_release(&s->unix_file);
	closep(&s->console_listen_fd);
	closep(&s->console_conn_fd);
	closep(&s->notify_fd);
	if (s->console_path) {
		unlink(s->console_path);
		free(s->console_path);
		s->console_path = NULL;
	}
	buffer_clear(&s->in.pending);
}

void stream_reap_dead(void)
{
	struct stream **link = &streams;

	while (*link) {
		struct stream *s = *link;

		if (s->dead) {
			*link = s->next;
			free(s);
		} else {
			link = &s->next;
		}
	}
}

uint32_t stream_next_guest_id(void)
{
	for (;;) {
		last_guest_id =
		    last_guest_id == 0xffffffffu ? GUEST_STREAM_BIT + 1 : last_guest_id + 1;
		if (stream_find(last_guest_id) == NULL && !session_id_in_use(last_guest_id))
			return last_guest_id;
	}
}

enum out_result out_chan_pump(struct stream *s, int chan)
{
	struct out_chan *out = &s->out[chan];
	struct frame_writer *w = port_writer();
	size_t want = out->window < FRAME_MAX_PAYLOAD ? out->window : FRAME_MAX_PAYLOAD;
	ssize_t n;

	if (want == 0)
		return OUT_AGAIN;
	do
		n = read(out->fd, writer_payload(w), want);
	while (n < 0 && errno == EINTR);
	if (n < 0 && errno == EAGAIN)
		return OUT_AGAIN;
	/* A pty master reports EIO once every slave fd is closed: that is its end of file. */
	if (n == 0 || (n < 0 && errno == EIO))
		return OUT_EOF;
	if (n < 0)
		return OUT_ERROR;
	w->len = (size_t)n;
	out->window -= (uint32_t)n;
	port_send_built(OP_DATA, (uint8_t)chan, s->id);
	return OUT_DATA;
}

static void in_chan_credit(struct stream *s, bool force)
{
	if (s->in.unacked >= CREDIT_BATCH || (force && s->in.unacked > 0)) {
		port_send_credit(s->id, CHAN_STDIN, s->in.unacked);
		s->in.unacked = 0;
	}
}

void in_chan_discard(struct stream *s)
{
	s->in.discard = true;
	s->in.unacked += (uint32_t)buffer_used(&s->in.pending);
	buffer_clear(&s->in.pending);
	in_chan_credit(s, true);
}

enum in_result in_chan_flush(struct stream *s)
{
	struct in_chan *in = &s->in;

	while (buffer_used(&in->pending) > 0) {
		ssize_t n = write(in->fd, buffer_head(&in->pending), buffer_used(&in->pending));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n < 0) {
			int saved = errno;

			in_chan_credit(s, true);
			errno = saved;
			return IN_ERROR;
		}
		buffer_consume(&in->pending, (size_t)n);
		in->unacked += (uint32_t)n;
	}
	in_chan_credit(s, buffer_used(&in->pending) == 0);
	if (buffer_used(&in->pending) == 0 && in->eof_requested)
		return IN_DRAINED_EOF;
	return IN_OK;
}

enum in_result in_chan_push(struct stream *s, const uint8_t *data, size_t n)
{
	struct agent_error err;

	if (s->in.done || s->in.eof_requested) {
		log_msg(s->id, "DATA after EOF on chan 0 dropped");
		return IN_OK;
	}
	if (s->in.discard) {
		s->in.unacked += (uint32_t)n;
		in_chan_credit(s, true);
		return IN_OK;
	}
	if (buffer_used(&s->in.pending) + n > INITIAL_WINDOW)
		log_msg(s->id, "host overran the chan 0 window (%zu bytes queued)",
			buffer_used(&s->in.pending) + n);
	if (buffer_append(&s->in.pending, data, n, &err) < 0) {
		log_msg(s->id, "%s", err.message);
		return IN_OK;
	}
	if (s->connecting)
		return IN_OK;
	return in_chan_flush(s);
}
