/* One HTTP/1.1 exchange on a connected socket: the request, the response head, the body. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "curl.h"
#include "options.h"
#include "url.h"

/* Buffered reads with the transfer's deadline. */
struct reader {
	int fd;
	long long started;  /* for timeout messages */
	long long deadline; /* 0: none */
	long long body_bytes;
	size_t start, end;
	char buf[16384];
};

struct response {
	int status;
	char *head; /* status line and headers as received, up to the blank line */
	size_t head_len;
	long long content_length; /* -1: not given */
	bool chunked;
	bool closes; /* Connection: close */
	char location[4096];
	char content_type[256];
};

/* Sends the request line, curl's default headers merged with -H ones, and the body. */
int http_send_request(int fd, const struct url *url, const char *method,
		      const struct curl_options *opts, const char *body, size_t body_len,
		      struct curl_error *err);

/* Reads the response head, skipping 1xx interim answers. */
int http_read_head(struct reader *r, struct response *resp, struct curl_error *err);

/* Passes the body's bytes to sink (chunked or not), until its end. */
typedef int (*body_sink)(void *ctx, const char *data, size_t len, struct curl_error *err);
int http_read_body(struct reader *r, const struct response *resp, bool has_body, body_sink sink,
		   void *ctx, struct curl_error *err);

void response_free(struct response *resp);
