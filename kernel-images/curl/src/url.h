/* http:// URLs: parsing, redirect targets, and the text curl shows for them. */
#pragma once

#include "curl.h"

struct url {
	char host[256]; /* without brackets for IPv6 literals */
	int port;
	char target[4096]; /* path and query: what the request line asks for */
};

/* Parses URL; no scheme means http, as curl guesses; other schemes fail with curl's code 1. */
int url_parse(const char *text, struct url *url, struct curl_error *err);

/* A Location header's target against the URL that answered it. */
int url_resolve(const struct url *base, const char *location, struct url *out,
		struct curl_error *err);

/* "host" or "host:port" (brackets around IPv6), as in the Host header. */
void url_authority(const struct url *url, char *out, size_t size);

/* The whole URL, as %{url_effective} shows it. */
void url_format(const struct url *url, char *out, size_t size);
