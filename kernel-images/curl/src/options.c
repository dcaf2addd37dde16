#include "options.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define VERSION_TEXT                                                                               \
	"curl 7.88.1 (i686-pc-linux-gnu) libcurl/7.88.1 slipway\n"                                 \
	"Release-Date: 2023-02-20\n"                                                               \
	"Protocols: http\n"                                                                        \
	"Features: IPv6 Largefile UnixSockets\n"

#define HELP_TEXT                                                                                  \
	"Usage: curl [options...] <url>\n"                                                         \
	" -d, --data <data>          HTTP POST data\n"                                             \
	"     --data-binary <data>   HTTP POST binary data\n"                                      \
	" -f, --fail                 Fail fast with no output on HTTP errors\n"                    \
	" -H, --header <header>      Pass custom header(s) to server\n"                            \
	" -I, --head                 Show document info only\n"                                    \
	" -i, --include              Include protocol response headers in the output\n"            \
	"     --json <data>          HTTP POST JSON\n"                                             \
	" -L, --location             Follow redirects\n"                                           \
	" -m, --max-time <seconds>   Maximum time allowed for transfer\n"                          \
	" -o, --output <file>        Write to file instead of stdout\n"                            \
	" -O, --remote-name          Write output to a file named as the remote file\n"            \
	" -s, --silent               Silent mode\n"                                                \
	" -S, --show-error           Show error even when -s is used\n"                            \
	"     --unix-socket <path>   Connect through this Unix domain socket\n"                    \
	" -u, --user <user:password> Server user and password\n"                                   \
	" -A, --user-agent <name>    Send User-Agent <name> to server\n"                           \
	" -v, --verbose              Make the operation more talkative\n"                          \
	" -w, --write-out <format>   Use output FORMAT after completion\n"                         \
	" -X, --request <method>     Specify request method to use\n"                              \
	"This curl is Slipway's small HTTP/1.1 client: no TLS, no other protocols.\n"

enum option_id {
	OPT_SILENT,
	OPT_SHOW_ERROR,
	OPT_FAIL,
	OPT_FAIL_WITH_BODY,
	OPT_LOCATION,
	OPT_INCLUDE,
	OPT_HEAD,
	OPT_VERBOSE,
	OPT_REMOTE_NAME,
	OPT_IPV4,
	OPT_IPV6,
	OPT_IGNORED,
	OPT_IGNORED_VALUE,
	OPT_REQUEST,
	OPT_OUTPUT,
	OPT_USER_AGENT,
	OPT_USER,
	OPT_WRITE_OUT,
	OPT_UNIX_SOCKET,
	OPT_MAX_TIME,
	OPT_CONNECT_TIMEOUT,
	OPT_MAX_REDIRS,
	OPT_DATA,
	OPT_DATA_BINARY,
	OPT_DATA_RAW,
	OPT_JSON,
	OPT_HEADER,
	OPT_URL,
	OPT_HELP,
	OPT_VERSION,
};

struct option_spec {
	char letter; /* 0: long form only */
	const char *name;
	bool takes_value;
	enum option_id id;
};

static const struct option_spec OPTIONS[] = {
    {'s', "silent", false, OPT_SILENT},
    {'S', "show-error", false, OPT_SHOW_ERROR},
    {'f', "fail", false, OPT_FAIL},
    {0, "fail-with-body", false, OPT_FAIL_WITH_BODY},
    {'L', "location", false, OPT_LOCATION},
    {'i', "include", false, OPT_INCLUDE},
    {'I', "head", false, OPT_HEAD},
    {'v', "verbose", false, OPT_VERBOSE},
    {'O', "remote-name", false, OPT_REMOTE_NAME},
    {'4', "ipv4", false, OPT_IPV4},
    {'6', "ipv6", false, OPT_IPV6},
    /* Accepted and meaningless here: no TLS, no compression, no meter bar, HTTP/1.1 only. */
    {'k', "insecure", false, OPT_IGNORED},
    {'#', "progress-bar", false, OPT_IGNORED},
    {'N', "no-buffer", false, OPT_IGNORED},
    {'q', "disable", false, OPT_IGNORED},
    {0, "compressed", false, OPT_IGNORED},
    {0, "http1.1", false, OPT_IGNORED},
    {0, "no-progress-meter", false, OPT_IGNORED},
    {0, "retry", true, OPT_IGNORED_VALUE},
    {'X', "request", true, OPT_REQUEST},
    {'o', "output", true, OPT_OUTPUT},
    {'A', "user-agent", true, OPT_USER_AGENT},
    {'u', "user", true, OPT_USER},
    {'w', "write-out", true, OPT_WRITE_OUT},
    {0, "unix-socket", true, OPT_UNIX_SOCKET},
    {'m', "max-time", true, OPT_MAX_TIME},
    {0, "connect-timeout", true, OPT_CONNECT_TIMEOUT},
    {0, "max-redirs", true, OPT_MAX_REDIRS},
    {'d', "data", true, OPT_DATA},
    {0, "data-ascii", true, OPT_DATA},
    {0, "data-binary", true, OPT_DATA_BINARY},
    {0, "data-raw", true, OPT_DATA_RAW},
    {0, "json", true, OPT_JSON},
    {'H', "header", true, OPT_HEADER},
    {0, "url", true, OPT_URL},
    {'h', "help", false, OPT_HELP},
    {'V', "version", false, OPT_VERSION},
};

static const struct option_spec *find_long(const char *name)
{
	for (size_t i = 0; i < sizeof OPTIONS / sizeof OPTIONS[0]; i++)
		if (strcmp(OPTIONS[i].name, name) == 0)
			return &OPTIONS[i];
	return NULL;
}

static const struct option_spec *find_short(char letter)
{
	for (size_t i = 0; i < sizeof OPTIONS / sizeof OPTIONS[0]; i++)
		if (OPTIONS[i].letter == letter)
			return &OPTIONS[i];
	return NULL;
}

/* Reads a whole file ("-" is stdin) for -d @file. */
static int read_data_file(const char *path, char **out, size_t *len, struct curl_error *err)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	size_t cap = 4096, n = 0;
	char *buf;

	if (f == NULL) {
		fprintf(stderr,
			"Warning: Couldn't read data from file \"%s\", this makes an empty POST.\n",
			path);
		*out = NULL;
		*len = 0;
		return 0;
	}
	buf = malloc(cap);
	while (buf != NULL) {
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
		if (n == cap) {
			char *bigger = realloc(buf, cap *= 2);
			if (bigger == NULL)
				free(buf);
			buf = bigger;
		}
	}
	if (f != stdin)
		fclose(f);
	if (buf == NULL)
		return curl_error_set(err, CURL_READ_ERROR, "out of memory reading %s", path);
	*out = buf;
	*len = n;
	return 0;
}

/* Appends one -d part: '&' between parts; @file for --data/--data-binary; --data strips CR/LF
 * from files as curl does. */
static int add_data(struct curl_options *o, const char *value, enum option_id id,
		    struct curl_error *err)
{
	cleanup_free char *file_data = NULL;
	const char *part = value;
	size_t part_len = strlen(value);
	char *joined;

	if (value[0] == '@' && (id == OPT_DATA || id == OPT_DATA_BINARY || id == OPT_JSON)) {
		if (read_data_file(value + 1, &file_data, &part_len, err) < 0)
			return -1;
		if (id == OPT_DATA) {
			size_t kept = 0;
			for (size_t i = 0; i < part_len; i++)
				if (file_data[i] != '\r' && file_data[i] != '\n')
					file_data[kept++] = file_data[i];
			part_len = kept;
		}
		part = file_data ? file_data : "";
	}
	joined = realloc(o->data, o->data_len + 1 + part_len + 1);
	if (joined == NULL)
		return curl_error_set(err, CURL_FAILED_INIT, "out of memory");
	if (o->data != NULL && id != OPT_JSON)
		joined[o->data_len++] = '&';
	memcpy(joined + o->data_len, part, part_len);
	o->data_len += part_len;
	joined[o->data_len] = '\0';
	o->data = joined;
	return 0;
}

static int parse_seconds(const char *text, const char *flag, double *out, struct curl_error *err)
{
	char *end;
	double v = strtod(text, &end);

	if (*text == '\0' || *end != '\0' || v < 0)
		return curl_error_set(err, CURL_FAILED_INIT,
				      "option %s: expected a proper numerical parameter", flag);
	*out = v;
	return 0;
}

static int apply(struct curl_options *o, const struct option_spec *spec, const char *flag,
		 const char *value, bool *exit_now, struct curl_error *err)
{
	switch (spec->id) {
	case OPT_SILENT:
		o->silent = true;
		break;
	case OPT_SHOW_ERROR:
		o->show_error = true;
		break;
	case OPT_FAIL:
		o->fail = true;
		break;
	case OPT_FAIL_WITH_BODY:
		o->fail_with_body = true;
		break;
	case OPT_LOCATION:
		o->location = true;
		break;
	case OPT_INCLUDE:
		o->include = true;
		break;
	case OPT_HEAD:
		o->head = true;
		break;
	case OPT_VERBOSE:
		o->verbose = true;
		break;
	case OPT_REMOTE_NAME:
		o->remote_name = true;
		break;
	case OPT_IPV4:
		o->ipv4_only = true;
		break;
	case OPT_IPV6:
		o->ipv6_only = true;
		break;
	case OPT_IGNORED:
	case OPT_IGNORED_VALUE:
		break;
	case OPT_REQUEST:
		o->method = value;
		break;
	case OPT_OUTPUT:
		o->output = value;
		break;
	case OPT_USER_AGENT:
		o->user_agent = value;
		break;
	case OPT_USER:
		o->user = value;
		break;
	case OPT_WRITE_OUT:
		o->write_out = value;
		break;
	case OPT_UNIX_SOCKET:
		o->unix_socket = value;
		break;
	case OPT_MAX_TIME:
		return parse_seconds(value, flag, &o->max_time, err);
	case OPT_CONNECT_TIMEOUT:
		return parse_seconds(value, flag, &o->connect_timeout, err);
	case OPT_MAX_REDIRS:
		o->max_redirs = strtol(value, NULL, 10);
		break;
	case OPT_DATA:
	case OPT_DATA_BINARY:
	case OPT_DATA_RAW:
		return add_data(o, value, spec->id, err);
	case OPT_JSON:
		if (o->header_count + 2 > MAX_HEADERS)
			return curl_error_set(err, CURL_FAILED_INIT, "too many headers");
		if (o->data == NULL) {
			o->headers[o->header_count++] = "Content-Type: application/json";
			o->headers[o->header_count++] = "Accept: application/json";
		}
		return add_data(o, value, spec->id, err);
	case OPT_HEADER:
		if (o->header_count == MAX_HEADERS)
			return curl_error_set(err, CURL_FAILED_INIT, "too many headers");
		o->headers[o->header_count++] = value;
		break;
	case OPT_URL:
		if (o->url_count == MAX_URLS)
			return curl_error_set(err, CURL_FAILED_INIT, "too many URLs");
		o->urls[o->url_count++] = value;
		break;
	case OPT_HELP:
		fputs(HELP_TEXT, stdout);
		*exit_now = true;
		break;
	case OPT_VERSION:
		fputs(VERSION_TEXT, stdout);
		*exit_now = true;
		break;
	}
	return 0;
}

int parse_options(int argc, char **argv, struct curl_options *o, bool *exit_now,
		  struct curl_error *err)
{
	bool options_end = false;
	static const struct option_spec url_spec = {0, "url", true, OPT_URL};

	*o = (struct curl_options){.user_agent = "curl/7.88.1", .max_redirs = 50};
	*exit_now = false;
	for (int i = 1; i < argc && !*exit_now; i++) {
		const char *arg = argv[i];

		if (options_end || arg[0] != '-' || arg[1] == '\0') {
			if (apply(o, &url_spec, "--url", arg, exit_now, err) < 0)
				return -1;
		} else if (strcmp(arg, "--") == 0) {
			options_end = true;
		} else if (arg[1] == '-') {
			const struct option_spec *spec = find_long(arg + 2);
			if (spec == NULL)
				return curl_error_set(err, CURL_FAILED_INIT,
						      "option %s: is unknown", arg);
			if (spec->takes_value && i + 1 >= argc)
				return curl_error_set(err, CURL_FAILED_INIT,
						      "option %s: requires parameter", arg);
			if (apply(o, spec, arg, spec->takes_value ? argv[++i] : NULL, exit_now,
				  err) < 0)
				return -1;
		} else {
			/* A group of short options (-fsSL); one taking a value ends it (-XPOST,
			 * -sLo f). */
			for (const char *p = arg + 1; *p && !*exit_now; p++) {
				const struct option_spec *spec = find_short(*p);
				char flag[3] = {'-', *p, '\0'};
				const char *value = NULL;

				if (spec == NULL)
					return curl_error_set(err, CURL_FAILED_INIT,
							      "option %s: is unknown", arg);
				if (spec->takes_value) {
					if (p[1] != '\0')
						value = p + 1;
					else if (i + 1 < argc)
						value = argv[++i];
					else
						return curl_error_set(
						    err, CURL_FAILED_INIT,
						    "option %s: requires parameter", flag);
				}
				if (apply(o, spec, flag, value, exit_now, err) < 0)
					return -1;
				if (spec->takes_value)
					break;
			}
		}
	}
	if (!*exit_now && o->url_count == 0)
		return curl_error_set(err, CURL_FAILED_INIT, "no URL specified!");
	return 0;
}
