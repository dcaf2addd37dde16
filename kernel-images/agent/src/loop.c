#include "loop.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dns.h"
#include "frame.h"
#include "log.h"
#include "poll_set.h"
#include "port.h"
#include "session.h"
#include "spawn.h"
#include "stream.h"
#include "tcp.h"
#include "unix_relay.h"

static struct frame_decoder port_decoder;

static bool opcode_known(uint8_t type)
{
	switch (type) {
	case OP_HELLO:
	case OP_PING:
	case OP_PONG:
	case OP_LOG:
	case OP_SPAWN:
	case OP_SPAWNED:
	case OP_EXIT:
	case OP_RESIZE:
	case OP_SIGNAL:
	case OP_DATA:
	case OP_EOF:
	case OP_CREDIT:
	case OP_CLOSE:
	case OP_ERROR:
	case OP_TCP_CONNECT:
	case OP_CONNECTED:
	case OP_TCP_LISTEN:
	case OP_LISTENING:
	case OP_ACCEPT:
	case OP_UNIX_LISTEN:
	case OP_SESSION:
	case OP_CONSOLE:
	case OP_STDIN_OPEN:
	case OP_SESSION_MORE:
	case OP_DNS_QUERY:
	case OP_DNS_ANSWER:
		return true;
	default:
		return false;
	}
}

/* SPAWN, TCP_CONNECT, TCP_LISTEN and UNIX_LISTEN name a new host stream id. */
static bool new_stream_id_ok(const struct frame_header *h)
{
	if (h->stream == CONTROL_STREAM || (h->stream & GUEST_STREAM_BIT)) {
		log_msg(0, "opcode 0x%02x with invalid new stream id 0x%08x", h->type, h->stream);
		return false;
	}
	if (stream_find(h->stream) || session_id_in_use(h->stream)) {
		log_msg(h->stream, "opcode 0x%02x for stream id already in use", h->type);
		return false;
	}
	return true;
}

static void host_unknown_opcode(const struct frame_header *h)
{
	struct stream *s = stream_find(h->stream);

	log_msg(h->stream, "unknown opcode 0x%02x (%u bytes skipped)", h->type, h->len);
	if (s) {
		port_send_error(h->stream, EPROTO, "unknown opcode");
		stream_kill(s, true);
	} else if (session_id_in_use(h->stream)) {
		/* Relay the ERROR to the client instead of the raw unknown frame. */
		struct frame_header close = {.type = OP_CLOSE, .stream = h->stream};

		port_send_error(h->stream, EPROTO, "unknown opcode");
		session_on_host_frame(&close, NULL);
	}
}

static void host_frame(const struct frame_header *h, const uint8_t *payload)
{
	struct frame_reader r;
	struct stream *s;

	if (!opcode_known(h->type))
		return host_unknown_opcode(h);
	switch (h->type) {
	case OP_PING: {
		uint32_t token;

		reader_init(&r, payload, h->len);
		token = reader_u32(&r);
		if (r.short_payload)
			log_msg(h->stream, "PING payload too short");
		else
			port_send_u32(OP_PONG, 0, h->stream, token);
		return;
	}
	case OP_SPAWN:
		if (new_stream_id_ok(h))
			spawn_start(h->stream, payload, h->len);
		return;
	case OP_TCP_CONNECT:
		if (new_stream_id_ok(h))
			tcp_connect_start(h->stream, payload, h->len);
		return;
	case OP_TCP_LISTEN:
		if (new_stream_id_ok(h))
			tcp_listen_start(h->stream, payload, h->len);
		return;
	case OP_UNIX_LISTEN:
		if (new_stream_id_ok(h))
			unix_listen_start(h->stream, payload, h->len);
		return;
	case OP_DNS_ANSWER:
		if (h->stream == CONTROL_STREAM)
			dns_on_host_answer(payload, h->len);
		else
			log_msg(h->stream, "DNS_ANSWER off the control stream dropped");
		return;
	default:
		break;
	}
	if (session_on_host_frame(h, payload))
		return;
	s = stream_find(h->stream);
	if (s == NULL) {
		if (h->type != OP_DATA && h->type != OP_CREDIT && h->type != OP_EOF)
			log_msg(h->stream, "opcode 0x%02x for unknown stream dropped", h->type);
		return;
	}
	if (s->kind == STREAM_SPAWN)
		spawn_on_host_frame(s, h, payload);
	else
		tcp_on_host_frame(s, h, payload);
}

static void port_ready(void *ctx, int arg, short revents)
{
	struct frame_header h;
	const uint8_t *payload;
	bool malformed;
	ssize_t n;

	(void)ctx;
	(void)arg;
	(void)revents;
	n = decoder_read(&port_decoder, port_fd());
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		fprintf(stderr, "slipway-agent: port closed (%s)\n", n == 0 ? "EOF" : "read error");
		exit(0);
	}
	while (decoder_next(&port_decoder, &h, &payload, &malformed) == 1) {
		if (malformed)
			log_msg(0, "malformed frame header from the host; resyncing");
		host_frame(&h, payload);
	}
	if (malformed)
		log_msg(0, "malformed frame header from the host; resyncing");
}

int loop_init(struct agent_error *err)
{
	return decoder_init(&port_decoder, err);
}

void loop_run(void)
{
	struct poll_set ps = {0};

	for (;;) {
		poll_set_reset(&ps);
		poll_set_add(&ps, port_fd(), POLLIN, port_ready, NULL, 0);
		reaper_collect(&ps);
		session_collect(&ps);
		dns_collect(&ps);
		for (struct stream *s = stream_list(); s; s = s->next) {
			if (s->dead)
				continue;
			if (s->kind == STREAM_SPAWN)
				spawn_collect(&ps, s);
			else
				tcp_collect(&ps, s);
		}
		if (poll(ps.fds, ps.count, -1) < 0) {
			if (errno != EINTR)
				log_msg(0, "poll: %s", strerror(errno));
			continue;
		}
		for (size_t i = 0; i < ps.count; i++)
			if (ps.fds[i].revents)
				ps.slots[i].handler(ps.slots[i].ctx, ps.slots[i].arg,
						    ps.fds[i].revents);
		stream_reap_dead();
		session_reap_dead();
	}
}
