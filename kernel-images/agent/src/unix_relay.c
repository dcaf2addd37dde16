#include "unix_relay.h"

#include <errno.h>
#include <unistd.h>

#include "frame.h"
#include "log.h"
#include "port.h"
#include "stream.h"
#include "unix_socket.h"

/* Connections a client may queue before the host's ACCEPT round trip takes them: as for TCP. */
#define UNIX_BACKLOG 128

void unix_listen_start(uint32_t id, const uint8_t *payload, size_t len)
{
	struct unix_socket_file file = {0};
	struct agent_error err;
	struct frame_reader r;
	cleanup_free char *path = NULL;
	struct stream *s;
	uint32_t mode;
	int sock;

	reader_init(&r, payload, len);
	path = reader_str(&r);
	mode = reader_u32(&r);
	if (r.short_payload) {
		log_msg(id, "UNIX_LISTEN payload too short");
		port_send_error(id, EPROTO, "malformed UNIX_LISTEN payload");
		return;
	}
	if (mode & ~07777u) {
		port_send_error(id, EINVAL, "UNIX_LISTEN mode is not a permission mode");
		return;
	}
	sock = unix_listen(path, (mode_t)mode, UNIX_BACKLOG, &file, &err);
	if (sock < 0) {
		port_send_error(id, err.code, err.message);
		return;
	}
	s = stream_new(id, STREAM_LISTENER);
	if (s == NULL) {
		close(sock);
		unix_socket_file_release(&file);
		port_send_error(id, ENOMEM, "out of memory");
		return;
	}
	s->sock = sock;
	s->unix_file = file;
	writer_u16(port_writer(), 0);
	port_send_built(OP_LISTENING, 0, id);
}
