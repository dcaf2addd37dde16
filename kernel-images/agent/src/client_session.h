/* The thin client's SESSION request (PROTOCOL.md "Client sessions"): argv and env may be as long
 * as Linux lets a program's be, far beyond one frame, so it is encoded whole and sent as SESSION
 * followed by SESSION_MORE frames. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "frame.h"

struct session_request {
	uint32_t flags;
	uint16_t rows;
	uint16_t cols;
	const char *cwd;
	/* Without argv[0] ("docker"). */
	char *const *args;
	size_t arg_count;
	/* The whole environment: only its DOCKER_* and TERM entries are sent. */
	char *const *env;
};

/* -1 with err: E2BIG beyond SESSION_MAX_SIZE, ENOMEM, or the socket's write error. */
int session_request_send(int sock, struct frame_writer *w, const struct session_request *req,
			 struct agent_error *err);
