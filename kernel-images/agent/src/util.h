/* Small helpers shared by every part of the agent: errors, cleanup attributes, byte buffers. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Error out-parameter: an errno value plus a human-readable message (sent in ERROR frames). */
struct agent_error {
	int code;
	char message[200];
};

/* Fills err and returns -1 so callers can write `return agent_error_set(err, ...)`. */
int agent_error_set(struct agent_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

void freep(void *p);
void closep(int *fd);
#define cleanup_free __attribute__((cleanup(freep)))
#define cleanup_close __attribute__((cleanup(closep)))

/* Growable byte queue: bytes live in data[start, end). */
struct buffer {
	uint8_t *data;
	size_t start;
	size_t end;
	size_t cap;
};

int buffer_append(struct buffer *b, const void *src, size_t n, struct agent_error *err);
size_t buffer_used(const struct buffer *b);
const uint8_t *buffer_head(const struct buffer *b);
void buffer_consume(struct buffer *b, size_t n);
void buffer_clear(struct buffer *b);

int set_nonblocking(int fd, bool on, struct agent_error *err);
/* Writes everything to a blocking fd, retrying on EINTR and short writes. */
int write_all(int fd, const void *data, size_t n, struct agent_error *err);
/* Returns fd or -1; the copy is close-on-exec. */
int dup_cloexec(int fd, struct agent_error *err);
