/* Shared types of the Slipway guest's curl: a small HTTP/1.1 client that answers like curl 7.88
 * (messages, exit codes, -i/-I/-v layouts) for the options tutorials use. No TLS. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* curl's exit codes (libcurl CURLcode values), as the tool returns them. */
enum curl_code {
	CURL_OK = 0,
	CURL_UNSUPPORTED_PROTOCOL = 1,
	CURL_FAILED_INIT = 2,
	CURL_URL_MALFORMAT = 3,
	CURL_COULDNT_RESOLVE_HOST = 6,
	CURL_COULDNT_CONNECT = 7,
	CURL_WEIRD_SERVER_REPLY = 8,
	CURL_PARTIAL_FILE = 18,
	CURL_HTTP_RETURNED_ERROR = 22,
	CURL_WRITE_ERROR = 23,
	CURL_READ_ERROR = 26,
	CURL_OPERATION_TIMEDOUT = 28,
	CURL_TOO_MANY_REDIRECTS = 47,
	CURL_GOT_NOTHING = 52,
	CURL_RECV_ERROR = 56,
};

/* Error out-parameter: curl's exit code and the text after "curl: (N) ". */
struct curl_error {
	int code;
	char message[300];
};

/* Fills err and returns -1, so callers can write `return curl_error_set(err, ...)`. */
int curl_error_set(struct curl_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

void freep(void *p);
void closep(int *fd);
#define cleanup_free __attribute__((cleanup(freep)))
#define cleanup_close __attribute__((cleanup(closep)))

/* Milliseconds on the monotonic clock. */
long long now_ms(void);
