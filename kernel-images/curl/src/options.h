/* curl's command line, as far as this client understands it. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "curl.h"

#define MAX_HEADERS 64
#define MAX_URLS 16

struct curl_options {
	bool silent;	 /* -s: no meter, no error messages */
	bool show_error; /* -S: error messages even with -s */
	bool fail;	 /* -f: HTTP errors >= 400 fail with 22, body not written */
	bool fail_with_body;
	bool location; /* -L */
	bool include;  /* -i */
	bool head;     /* -I */
	bool verbose;  /* -v */
	bool remote_name;
	bool ipv4_only;
	bool ipv6_only;
	const char *method; /* -X */
	const char *output; /* -o */
	const char *user_agent;
	const char *user; /* -u user:password, sent as Basic */
	const char *write_out;
	const char *unix_socket;
	double max_time;	/* -m, seconds; 0 = none */
	double connect_timeout; /* seconds; 0 = none */
	long max_redirs;
	char *data; /* -d parts joined by '&'; NULL without -d */
	size_t data_len;
	const char *headers[MAX_HEADERS];
	int header_count;
	const char *urls[MAX_URLS];
	int url_count;
};

/* Parses argv. On a usage error err->code is 2 and err->message is curl's text (without the
 * "curl: " prefix); `--help` and `--version` print and set *exit_now. */
int parse_options(int argc, char **argv, struct curl_options *opts, bool *exit_now,
		  struct curl_error *err);
