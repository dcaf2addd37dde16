#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "port.h"

/* Own writer: a log line may be emitted while port_writer() holds a frame under construction. */
static struct frame_writer log_writer;

void log_msg(uint32_t stream, const char *fmt, ...)
{
	char message[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof message, fmt, ap);
	va_end(ap);
	fprintf(stderr, "slipway-agent: %s\n", message);
	if (port_fd() < 0)
		return;
	writer_reset(&log_writer);
	writer_str(&log_writer, message);
	port_send_frame(&log_writer, OP_LOG, 0, stream);
}
