/* `crun --console-socket`: a unix socket on which crun hands over the container's pty master. */
#pragma once

#include "util.h"

/* Listening, non-blocking, close-on-exec socket at path (replacing a stale one). */
int console_listen(const char *path, struct agent_error *err);
/* Accepts one connection: its fd, -1 with errno EAGAIN when none is pending, or -1 on error. */
int console_accept(int listen_fd);
/* Receives the SCM_RIGHTS fd: the fd, -1 with errno EAGAIN when nothing arrived yet, -1 with
 * errno 0 when the peer closed without sending one, or -1 on error. */
int console_receive(int conn_fd);
