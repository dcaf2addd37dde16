#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int agent_error_set(struct agent_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
	return -1;
}

void freep(void *p)
{
	free(*(void **)p);
}

void closep(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;
		close(*fd);
		errno = saved;
	}
	*fd = -1;
}

size_t buffer_used(const struct buffer *b)
{
	return b->end - b->start;
}

const uint8_t *buffer_head(const struct buffer *b)
{
	return b->data + b->start;
}

int buffer_append(struct buffer *b, const void *src, size_t n, struct agent_error *err)
{
	if (b->cap - b->end < n && b->start > 0) {
		memmove(b->data, b->data + b->start, b->end - b->start);
		b->end -= b->start;
		b->start = 0;
	}
	if (b->cap - b->end < n) {
		size_t cap = b->cap ? b->cap : 4096;
		uint8_t *grown;

		while (cap - b->end < n)
			cap *= 2;
		grown = realloc(b->data, cap);
		if (grown == NULL)
			return agent_error_set(err, ENOMEM, "buffer of %zu bytes", cap);
		b->data = grown;
		b->cap = cap;
	}
	memcpy(b->data + b->end, src, n);
	b->end += n;
	return 0;
}

void buffer_consume(struct buffer *b, size_t n)
{
	b->start += n;
	if (b->start == b->end)
		b->start = b->end = 0;
}

void buffer_clear(struct buffer *b)
{
	free(b->data);
	b->data = NULL;
	b->start = b->end = b->cap = 0;
}

int set_nonblocking(int fd, bool on, struct agent_error *err)
{
	int flags = fcntl(fd, F_GETFL);

	if (flags < 0)
		return agent_error_set(err, errno, "fcntl F_GETFL: %s", strerror(errno));
	flags = on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK;
	if (fcntl(fd, F_SETFL, flags) < 0)
		return agent_error_set(err, errno, "fcntl F_SETFL: %s", strerror(errno));
	return 0;
}

int write_all(int fd, const void *data, size_t n, struct agent_error *err)
{
	const uint8_t *p = data;

	while (n > 0) {
		ssize_t written = write(fd, p, n);

		if (written < 0 && errno == EINTR)
			continue;
		if (written < 0)
			return agent_error_set(err, errno, "write: %s", strerror(errno));
		p += written;
		n -= (size_t)written;
	}
	return 0;
}

int dup_cloexec(int fd, struct agent_error *err)
{
	int copy = fcntl(fd, F_DUPFD_CLOEXEC, 3);

	if (copy < 0)
		return agent_error_set(err, errno, "dup: %s", strerror(errno));
	return copy;
}
