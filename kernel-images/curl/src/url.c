#include "url.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define BAD_URL "URL using bad/illegal format or missing URL"

int url_parse(const char *text, struct url *url, struct curl_error *err)
{
	const char *scheme_end = strstr(text, "://");
	const char *authority = text, *rest, *port_text = NULL;
	size_t host_len;

	*url = (struct url){.port = 80};
	if (scheme_end != NULL) {
		size_t scheme_len = (size_t)(scheme_end - text);
		if (scheme_len != 4 || strncasecmp(text, "http", 4) != 0)
			return curl_error_set(
			    err, CURL_UNSUPPORTED_PROTOCOL,
			    "Protocol \"%.*s\" not supported or disabled in libcurl",
			    (int)scheme_len, text);
		authority = scheme_end + 3;
	}
	rest = authority + strcspn(authority, "/?#");
	/* user:password@ in the authority is skipped: -u is the way to send credentials here. */
	for (const char *at = authority; at < rest; at++)
		if (*at == '@')
			authority = at + 1;
	if (*authority == '[') {
		const char *close = memchr(authority, ']', (size_t)(rest - authority));
		if (close == NULL)
			return curl_error_set(err, CURL_URL_MALFORMAT, BAD_URL);
		host_len = (size_t)(close - authority - 1);
		memcpy(url->host, authority + 1, host_len < sizeof url->host ? host_len : 0);
		if (close[1] == ':')
			port_text = close + 2;
		else if (close + 1 != rest)
			return curl_error_set(err, CURL_URL_MALFORMAT, BAD_URL);
	} else {
		const char *colon = memchr(authority, ':', (size_t)(rest - authority));
		host_len = (size_t)((colon ? colon : rest) - authority);
		if (host_len >= sizeof url->host)
			return curl_error_set(err, CURL_URL_MALFORMAT, BAD_URL);
		memcpy(url->host, authority, host_len);
		if (colon)
			port_text = colon + 1;
	}
	if (host_len == 0 || host_len >= sizeof url->host)
		return curl_error_set(err, CURL_URL_MALFORMAT, BAD_URL);
	if (port_text != NULL && port_text < rest) {
		long port = 0;
		for (const char *p = port_text; p < rest; p++) {
			if (!isdigit((unsigned char)*p))
				return curl_error_set(err, CURL_URL_MALFORMAT, BAD_URL);
			port = port * 10 + (*p - '0');
			if (port > 65535)
				return curl_error_set(err, CURL_URL_MALFORMAT, BAD_URL);
		}
		url->port = (int)port;
	}
	/* The fragment stays with the client. */
	size_t target_len = strcspn(rest, "#");
	if (target_len + 2 > sizeof url->target)
		return curl_error_set(err, CURL_URL_MALFORMAT, BAD_URL);
	snprintf(url->target, sizeof url->target, "%s%.*s", *rest == '/' ? "" : "/",
		 (int)target_len, rest);
	return 0;
}

int url_resolve(const struct url *base, const char *location, struct url *out,
		struct curl_error *err)
{
	char authority[300];
	char joined[sizeof out->target + sizeof authority + 16];

	if (strstr(location, "://") != NULL && strcspn(location, "://") < strcspn(location, "/?"))
		return url_parse(location, out, err);
	url_authority(base, authority, sizeof authority);
	if (strncmp(location, "//", 2) == 0) {
		snprintf(joined, sizeof joined, "http:%s", location);
	} else if (location[0] == '/') {
		snprintf(joined, sizeof joined, "http://%s%s", authority, location);
	} else if (location[0] == '?') {
		snprintf(joined, sizeof joined, "http://%s%.*s%s", authority,
			 (int)strcspn(base->target, "?"), base->target, location);
	} else {
		/* Relative to the base's directory. */
		size_t path_len = strcspn(base->target, "?");
		size_t dir_len = path_len;
		while (dir_len > 0 && base->target[dir_len - 1] != '/')
			dir_len--;
		snprintf(joined, sizeof joined, "http://%s%.*s%s", authority, (int)dir_len,
			 base->target, location);
	}
	return url_parse(joined, out, err);
}

void url_authority(const struct url *url, char *out, size_t size)
{
	bool ipv6 = strchr(url->host, ':') != NULL;
	char port[8] = "";

	if (url->port != 80)
		snprintf(port, sizeof port, ":%d", url->port);
	snprintf(out, size, "%s%s%s%s", ipv6 ? "[" : "", url->host, ipv6 ? "]" : "", port);
}

void url_format(const struct url *url, char *out, size_t size)
{
	char authority[300];

	url_authority(url, authority, sizeof authority);
	snprintf(out, size, "http://%s%s", authority, url->target);
}
