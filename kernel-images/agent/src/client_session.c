#include "client_session.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static bool env_sent(const char *entry)
{
	return strncmp(entry, "DOCKER_", 7) == 0 || strncmp(entry, "TERM=", 5) == 0;
}

static size_t request_size(const struct session_request *req, size_t *env_count)
{
	/* flags, rows, cols, cwd, then the two string counts */
	size_t size = 4 + 2 + 2 + 4 + strlen(req->cwd) + 4 + 4;

	for (size_t i = 0; i < req->arg_count; i++)
		size += 4 + strlen(req->args[i]);
	*env_count = 0;
	for (char *const *e = req->env; *e; e++) {
		if (env_sent(*e)) {
			size += 4 + strlen(*e);
			(*env_count)++;
		}
	}
	return size;
}

static uint8_t *put_u16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	return p + 2;
}

static uint8_t *put_u32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
	return p + 4;
}

static uint8_t *put_str(uint8_t *p, const char *s)
{
	size_t n = strlen(s);

	p = put_u32(p, (uint32_t)n);
	memcpy(p, s, n);
	return p + n;
}

static void request_encode(const struct session_request *req, size_t env_count, uint8_t *p)
{
	p = put_u32(p, req->flags);
	p = put_u16(p, req->rows);
	p = put_u16(p, req->cols);
	p = put_str(p, req->cwd);
	p = put_u32(p, (uint32_t)req->arg_count);
	for (size_t i = 0; i < req->arg_count; i++)
		p = put_str(p, req->args[i]);
	p = put_u32(p, (uint32_t)env_count);
	for (char *const *e = req->env; *e; e++)
		if (env_sent(*e))
			p = put_str(p, *e);
}

int session_request_send(int sock, struct frame_writer *w, const struct session_request *req,
			 struct agent_error *err)
{
	size_t env_count;
	size_t size = request_size(req, &env_count);
	cleanup_free uint8_t *bytes = NULL;
	size_t sent = 0;

	if (size > SESSION_MAX_SIZE)
		return agent_error_set(err, E2BIG, "argument list too long");
	bytes = malloc(size);
	if (bytes == NULL)
		return agent_error_set(err, ENOMEM, "out of memory for %zu bytes of arguments",
				       size);
	request_encode(req, env_count, bytes);
	/* The agent relays each frame as it comes; the host decodes once the last one arrived. */
	do {
		size_t part = size - sent < FRAME_MAX_PAYLOAD ? size - sent : FRAME_MAX_PAYLOAD;
		uint8_t type = sent == 0 ? OP_SESSION : OP_SESSION_MORE;
		uint8_t more = sent + part < size ? SESSION_PART_MORE : SESSION_PART_LAST;

		writer_reset(w);
		writer_bytes(w, bytes + sent, part);
		if (write_all(sock, w->buf, writer_finish(w, type, more, 0), err) < 0)
			return -1;
		sent += part;
	} while (sent < size);
	return 0;
}
