#include "http.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* A response head larger than this is not HTTP we can use (curl's own cap is 100 KB). */
#define MAX_HEAD_BYTES (100 * 1024)

static int write_all(int fd, const char *data, size_t len, struct curl_error *err)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return curl_error_set(err, 55, "Failed sending data to the peer");
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

static const char BASE64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void base64(const char *in, char *out)
{
	size_t len = strlen(in);

	for (size_t i = 0; i < len; i += 3) {
		unsigned v = (unsigned char)in[i] << 16;
		if (i + 1 < len)
			v |= (unsigned char)in[i + 1] << 8;
		if (i + 2 < len)
			v |= (unsigned char)in[i + 2];
		*out++ = BASE64[v >> 18 & 63];
		*out++ = BASE64[v >> 12 & 63];
		*out++ = i + 1 < len ? BASE64[v >> 6 & 63] : '=';
		*out++ = i + 2 < len ? BASE64[v & 63] : '=';
	}
	*out = '\0';
}

/* Whether one of the -H headers names this header (so the default one is left out). */
static bool user_sets(const struct curl_options *opts, const char *name)
{
	size_t len = strlen(name);

	for (int i = 0; i < opts->header_count; i++)
		if (strncasecmp(opts->headers[i], name, len) == 0 &&
		    (opts->headers[i][len] == ':' || opts->headers[i][len] == ';'))
			return true;
	return false;
}

/* Appends a formatted line to the request; out of memory sets *len to FAILED_REQUEST. */
#define FAILED_REQUEST ((size_t)-1)
static void add_line(char **req, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void add_line(char **req, size_t *len, const char *fmt, ...)
{
	char line[8192];
	va_list ap;
	int n;

	if (*len == FAILED_REQUEST)
		return;
	va_start(ap, fmt);
	n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof line)
		n = (int)strlen(line);
	char *bigger = realloc(*req, *len + (size_t)n + 1);
	if (bigger == NULL) {
		*len = FAILED_REQUEST;
		return;
	}
	memcpy(bigger + *len, line, (size_t)n + 1);
	*req = bigger;
	*len += (size_t)n;
}

int http_send_request(int fd, const struct url *url, const char *method,
		      const struct curl_options *opts, const char *body, size_t body_len,
		      struct curl_error *err)
{
	cleanup_free char *req = NULL;
	size_t len = 0;
	char authority[300];

	url_authority(url, authority, sizeof authority);
	add_line(&req, &len, "%s %s HTTP/1.1\r\n", method, url->target);
	if (!user_sets(opts, "Host"))
		add_line(&req, &len, "Host: %s\r\n", authority);
	if (opts->user && !user_sets(opts, "Authorization")) {
		cleanup_free char *encoded = malloc(strlen(opts->user) * 4 / 3 + 8);
		if (encoded == NULL)
			return curl_error_set(err, CURL_FAILED_INIT, "out of memory");
		base64(opts->user, encoded);
		add_line(&req, &len, "Authorization: Basic %s\r\n", encoded);
	}
	if (!user_sets(opts, "User-Agent") && opts->user_agent[0] != '\0')
		add_line(&req, &len, "User-Agent: %s\r\n", opts->user_agent);
	if (!user_sets(opts, "Accept"))
		add_line(&req, &len, "Accept: */*\r\n");
	for (int i = 0; i < opts->header_count; i++) {
		const char *h = opts->headers[i];
		const char *colon = strchr(h, ':'), *semicolon = strchr(h, ';');
		const char *value = colon ? colon + 1 : NULL;
		if (semicolon && (!colon || semicolon < colon) && semicolon[1] == '\0') {
			/* "Name;" sends the header with an empty value. */
			add_line(&req, &len, "%.*s:\r\n", (int)(semicolon - h), h);
			continue;
		}
		if (value == NULL)
			continue;
		while (*value == ' ' || *value == '\t')
			value++;
		/* "Name:" with no value removes the default header and sends nothing. */
		if (*value == '\0')
			continue;
		add_line(&req, &len, "%s\r\n", h);
	}
	if (body != NULL) {
		if (!user_sets(opts, "Content-Length"))
			add_line(&req, &len, "Content-Length: %zu\r\n", body_len);
		if (!user_sets(opts, "Content-Type"))
			add_line(&req, &len, "Content-Type: application/x-www-form-urlencoded\r\n");
	}
	add_line(&req, &len, "\r\n");
	if (len == FAILED_REQUEST)
		return curl_error_set(err, CURL_FAILED_INIT, "out of memory");
	if (opts->verbose) {
		/* "> " before each request line, as curl -v shows them. */
		for (const char *line = req; line < req + len;) {
			const char *eol = strstr(line, "\r\n");
			fprintf(stderr, "> %.*s\n", (int)(eol - line), line);
			line = eol + 2;
		}
	}
	if (write_all(fd, req, len, err) < 0)
		return -1;
	if (body == NULL || body_len == 0)
		return 0;
	/* curl -v notes the body's size unless the terminal shows the transfer. */
	if (opts->verbose && !isatty(STDOUT_FILENO))
		fprintf(stderr, "} [%zu bytes data]\n", body_len);
	return write_all(fd, body, body_len, err);
}

/* Reads more bytes into r->buf; returns the count, 0 at the end of the stream, -1 on error. */
static ssize_t fill(struct reader *r, struct curl_error *err)
{
	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
	}
	if (r->end == sizeof r->buf)
		return curl_error_set(err, CURL_WEIRD_SERVER_REPLY,
				      "line too long in the response");
	for (;;) {
		if (r->deadline) {
			struct pollfd p = {.fd = r->fd, .events = POLLIN};
			long long left = r->deadline - now_ms();
			int n = left > 0 ? poll(&p, 1, (int)left) : 0;
			if (n < 0 && errno == EINTR)
				continue;
			if (n == 0)
				return curl_error_set(err, CURL_OPERATION_TIMEDOUT,
						      "Operation timed out after %lld milliseconds "
						      "with %lld bytes received",
						      now_ms() - r->started, r->body_bytes);
		}
		ssize_t n = read(r->fd, r->buf + r->end, sizeof r->buf - r->end);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return curl_error_set(err, CURL_RECV_ERROR, "Recv failure: %s",
					      strerror(errno));
		r->end += (size_t)n;
		return n;
	}
}

static void header_value(const char *line, size_t len, const char *name, char *out, size_t size)
{
	size_t name_len = strlen(name);

	if (len <= name_len || strncasecmp(line, name, name_len) != 0 || line[name_len] != ':')
		return;
	line += name_len + 1;
	len -= name_len + 1;
	while (len > 0 && (*line == ' ' || *line == '\t'))
		line++, len--;
	while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == ' '))
		len--;
	snprintf(out, size, "%.*s", (int)len, line);
}

static int parse_head(struct response *resp, struct curl_error *err)
{
	char value[64];
	const char *line = resp->head;

	if (sscanf(resp->head, "HTTP/%*d.%*d %3d", &resp->status) != 1 &&
	    sscanf(resp->head, "HTTP/%*d %3d", &resp->status) != 1)
		return curl_error_set(err, CURL_UNSUPPORTED_PROTOCOL,
				      "Received HTTP/0.9 when not allowed");
	resp->content_length = -1;
	while ((line = strchr(line, '\n')) != NULL && *++line != '\0') {
		size_t len = strcspn(line, "\n");
		value[0] = '\0';
		header_value(line, len, "Content-Length", value, sizeof value);
		if (value[0])
			resp->content_length = strtoll(value, NULL, 10);
		value[0] = '\0';
		header_value(line, len, "Transfer-Encoding", value, sizeof value);
		if (value[0] && strcasestr(value, "chunked"))
			resp->chunked = true;
		value[0] = '\0';
		header_value(line, len, "Connection", value, sizeof value);
		if (value[0] && strcasestr(value, "close"))
			resp->closes = true;
		header_value(line, len, "Location", resp->location, sizeof resp->location);
		header_value(line, len, "Content-Type", resp->content_type,
			     sizeof resp->content_type);
	}
	return 0;
}

int http_read_head(struct reader *r, struct response *resp, struct curl_error *err)
{
	for (;;) {
		char *end = NULL;
		size_t head_len = 0;

		*resp = (struct response){0};
		for (;;) {
			char *blank = memmem(r->buf + r->start, r->end - r->start, "\r\n\r\n", 4);
			char *bare = memmem(r->buf + r->start, r->end - r->start, "\n\n", 2);
			end = blank && (!bare || blank < bare) ? blank + 4 : bare ? bare + 2 : NULL;
			if (end != NULL)
				break;
			if (r->end - r->start >= MAX_HEAD_BYTES)
				return curl_error_set(err, CURL_WEIRD_SERVER_REPLY,
						      "Too large response headers");
			ssize_t n = fill(r, err);
			if (n < 0)
				return -1;
			if (n == 0) {
				if (r->end == r->start)
					return curl_error_set(err, CURL_GOT_NOTHING,
							      "Empty reply from server");
				return curl_error_set(err, CURL_RECV_ERROR,
						      "Recv failure: Connection reset by peer");
			}
		}
		head_len = (size_t)(end - (r->buf + r->start));
		resp->head = malloc(head_len + 1);
		if (resp->head == NULL)
			return curl_error_set(err, CURL_FAILED_INIT, "out of memory");
		memcpy(resp->head, r->buf + r->start, head_len);
		resp->head[head_len] = '\0';
		resp->head_len = head_len;
		r->start += head_len;
		if (parse_head(resp, err) < 0)
			return -1;
		if (resp->status >= 200 || resp->status == 101)
			return 0;
		/* 100 Continue and other interim answers come before the real one. */
		response_free(resp);
	}
}

/* Passes up to `want` bytes (-1: until the end) to sink; returns bytes passed. */
static long long copy_body(struct reader *r, long long want, body_sink sink, void *ctx,
			   struct curl_error *err)
{
	long long done = 0;

	while (want < 0 || done < want) {
		if (r->start == r->end) {
			ssize_t n = fill(r, err);
			if (n < 0)
				return -1;
			if (n == 0)
				break;
		}
		size_t take = r->end - r->start;
		if (want >= 0 && (long long)take > want - done)
			take = (size_t)(want - done);
		r->body_bytes += (long long)take;
		if (sink(ctx, r->buf + r->start, take, err) < 0)
			return -1;
		r->start += take;
		done += (long long)take;
	}
	return done;
}

/* One CRLF-terminated line of chunked framing, without its end. */
static int read_line(struct reader *r, char *out, size_t size, struct curl_error *err)
{
	for (;;) {
		char *eol = memchr(r->buf + r->start, '\n', r->end - r->start);
		if (eol != NULL) {
			size_t len = (size_t)(eol - (r->buf + r->start));
			snprintf(out, size, "%.*s", (int)len, r->buf + r->start);
			r->start += len + 1;
			return 0;
		}
		ssize_t n = fill(r, err);
		if (n < 0)
			return -1;
		if (n == 0)
			return curl_error_set(
			    err, CURL_PARTIAL_FILE,
			    "transfer closed with outstanding read data remaining");
	}
}

int http_read_body(struct reader *r, const struct response *resp, bool has_body, body_sink sink,
		   void *ctx, struct curl_error *err)
{
	if (!has_body)
		return 0;
	if (resp->chunked) {
		char line[256];
		for (;;) {
			if (read_line(r, line, sizeof line, err) < 0)
				return -1;
			long long size = strtoll(line, NULL, 16);
			if (size == 0)
				break;
			long long got = copy_body(r, size, sink, ctx, err);
			if (got < 0)
				return -1;
			if (got < size || read_line(r, line, sizeof line, err) < 0)
				return curl_error_set(
				    err, CURL_PARTIAL_FILE,
				    "transfer closed with outstanding read data remaining");
		}
		/* Trailers, up to the blank line. */
		do {
			if (read_line(r, line, sizeof line, err) < 0)
				return -1;
		} while (line[0] != '\0' && line[0] != '\r');
		return 0;
	}
	long long got = copy_body(r, resp->content_length, sink, ctx, err);
	if (got < 0)
		return -1;
	if (resp->content_length >= 0 && got < resp->content_length)
		return curl_error_set(err, CURL_PARTIAL_FILE,
				      "transfer closed with %lld bytes remaining to read",
				      resp->content_length - got);
	return 0;
}

void response_free(struct response *resp)
{
	free(resp->head);
	resp->head = NULL;
}
