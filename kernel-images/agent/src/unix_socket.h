/* Listening unix stream sockets at a path: the thin client's socket (session.c) and the host's
 * UNIX_LISTEN (unix_relay.c). */
#pragma once

#include <sys/types.h>

#include "util.h"

/* The socket file a listener bound, remembered so that only that file is ever removed. */
struct unix_socket_file {
	char *path;
	dev_t dev;
	ino_t ino;
};

/*
 * A listening, non-blocking, close-on-exec socket at the absolute path, or -1. Missing parent
 * directories are created (0755); a socket file already there is stale (its listener is gone or
 * is being replaced) and is removed, anything else there is an error (EEXIST). The file gets
 * `mode` before the first connection can arrive. With `file`, the bound file is recorded for
 * unix_socket_file_release.
 */
int unix_listen(const char *path, mode_t mode, int backlog, struct unix_socket_file *file,
		struct agent_error *err);

/* Removes the recorded file unless another listener has replaced it since; forgets it. */
void unix_socket_file_release(struct unix_socket_file *file);
