/* What curl prints around a transfer: the progress meter on stderr and -w's report. */
#pragma once

#include <stdio.h>

struct transfer_report {
	long long started;
	long long expected; /* Content-Length of the answer, -1 unknown */
	long long downloaded;
	long long uploaded;
	int http_code;
	int redirects;
	int exit_code;
	const char *error;
	char effective_url[4400];
	char redirect_url[4400];
	char content_type[256];
};

/* The meter's two title lines and its first row (curl shows them as a transfer starts). */
void meter_begin(void);
/* The meter's last row: it ends the line, so an error message starts on its own line. */
void meter_end(const struct transfer_report *report);

/* Expands -w's %{variable}s and \n, \r, \t escapes onto out. */
void write_out(FILE *out, const char *format, const struct transfer_report *report);
