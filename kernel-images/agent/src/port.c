#include "port.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static int port = -1;
static struct frame_writer writer;

int port_open(const char *path, struct agent_error *err)
{
	const struct timespec pause = {.tv_sec = 0, .tv_nsec = 100 * 1000 * 1000};
	int fd = -1;

	for (int attempt = 0; attempt < 100; attempt++) {
		fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
		if (fd >= 0 || (errno != ENOENT && errno != ENXIO && errno != ENODEV))
			break;
		nanosleep(&pause, NULL);
	}
	if (fd < 0)
		return agent_error_set(err, errno, "open %s: %s", path, strerror(errno));
	return port_adopt(fd, err);
}

int port_adopt(int fd, struct agent_error *err)
{
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0)
		return agent_error_set(err, errno, "port fd %d: %s", fd, strerror(errno));
	/* Reads happen only after poll() reports input; writes must block rather than fail. */
	if (set_nonblocking(fd, false, err) < 0)
		return -1;
	port = fd;
	return 0;
}

int port_fd(void)
{
	return port;
}

struct frame_writer *port_writer(void)
{
	writer_reset(&writer);
	return &writer;
}

void port_send_frame(struct frame_writer *w, uint8_t type, uint8_t chan, uint32_t stream)
{
	struct agent_error err;
	size_t size;

	if (w->overflow) {
		log_msg(stream, "dropping oversized frame of type 0x%02x", type);
		return;
	}
	size = writer_finish(w, type, chan, stream);
	if (write_all(port, w->buf, size, &err) < 0) {
		fprintf(stderr, "slipway-agent: port: %s\n", err.message);
		exit(1);
	}
}

void port_send_built(uint8_t type, uint8_t chan, uint32_t stream)
{
	port_send_frame(&writer, type, chan, stream);
}

void port_send_empty(uint8_t type, uint8_t chan, uint32_t stream)
{
	port_writer();
	port_send_built(type, chan, stream);
}

void port_send_u32(uint8_t type, uint8_t chan, uint32_t stream, uint32_t value)
{
	writer_u32(port_writer(), value);
	port_send_built(type, chan, stream);
}

void port_send_credit(uint32_t stream, uint8_t chan, uint32_t bytes)
{
	port_send_u32(OP_CREDIT, chan, stream, bytes);
}

void port_send_exit(uint32_t stream, int32_t code, int32_t signo)
{
	struct frame_writer *w = port_writer();

	writer_i32(w, code);
	writer_i32(w, signo);
	port_send_built(OP_EXIT, 0, stream);
}

void port_send_error(uint32_t stream, int code, const char *message)
{
	struct frame_writer *w = port_writer();

	writer_i32(w, code);
	writer_str(w, message);
	port_send_built(OP_ERROR, 0, stream);
}
