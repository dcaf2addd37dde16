#include "progress.h"

#include <string.h>

#include "curl.h"

/* curl's five-character sizes: bytes, then k, then M. */
static void size5(long long bytes, char out[24])
{
	if (bytes < 100000)
		snprintf(out, 24, "%5lld", bytes);
	else if (bytes < 10000LL * 1024)
		snprintf(out, 24, "%4lldk", bytes / 1024);
	else if (bytes < 100LL * 1024 * 1024)
		snprintf(out, 24, "%2lld.%lldM", bytes / (1024 * 1024),
			 bytes % (1024 * 1024) * 10 / (1024 * 1024));
	else
		snprintf(out, 24, "%4lldM", bytes / (1024 * 1024));
}

static void duration(long long ms, char out[24])
{
	long long s = ms / 1000;

	if (s <= 0)
		snprintf(out, 24, "--:--:--");
	else
		snprintf(out, 24, "%2lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
}

static void row(long long expected, long long downloaded, long long uploaded, long long elapsed)
{
	char total[24], received[24], sent[24], down_speed[24], up_speed[24], spent[24];
	long long seconds_x1000 = elapsed > 0 ? elapsed : 1;
	long long known = expected > 0 ? expected : 0;

	size5(known, total);
	size5(downloaded, received);
	size5(uploaded, sent);
	size5(downloaded * 1000 / seconds_x1000, down_speed);
	size5(uploaded * 1000 / seconds_x1000, up_speed);
	duration(elapsed, spent);
	fprintf(stderr, "\r%3lld %s  %3lld %s  %3lld %s  %s  %s %8s %8s %8s %s",
		known ? downloaded * 100 / known : 0, total, known ? downloaded * 100 / known : 0,
		received, uploaded ? 100LL : 0, sent, down_speed, up_speed, "--:--:--", spent,
		"--:--:--", down_speed);
}

void meter_begin(void)
{
	fputs("  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n"
	      "                                 Dload  Upload   Total   Spent    Left  Speed\n",
	      stderr);
	row(0, 0, 0, 0);
}

void meter_end(const struct transfer_report *report)
{
	row(report->expected, report->downloaded, report->uploaded, now_ms() - report->started);
	fputc('\n', stderr);
}

static void variable(FILE *out, const char *name, size_t len, const struct transfer_report *r)
{
#define IS(text) (len == strlen(text) && strncmp(name, text, len) == 0)
	if (IS("http_code") || IS("response_code"))
		fprintf(out, "%03d", r->http_code);
	else if (IS("url_effective") || IS("url"))
		fputs(r->effective_url, out);
	else if (IS("redirect_url"))
		fputs(r->redirect_url, out);
	else if (IS("content_type"))
		fputs(r->content_type, out);
	else if (IS("size_download"))
		fprintf(out, "%lld", r->downloaded);
	else if (IS("size_upload"))
		fprintf(out, "%lld", r->uploaded);
	else if (IS("num_redirects"))
		fprintf(out, "%d", r->redirects);
	else if (IS("exitcode"))
		fprintf(out, "%d", r->exit_code);
	else if (IS("errormsg"))
		fputs(r->error ? r->error : "", out);
	else if (IS("time_total")) {
		long long ms = now_ms() - r->started;
		fprintf(out, "%lld.%06lld", ms / 1000, ms % 1000 * 1000);
	} else
		fprintf(stderr, "curl: unknown --write-out variable: '%.*s'\n", (int)len, name);
#undef IS
}

void write_out(FILE *out, const char *format, const struct transfer_report *report)
{
	for (const char *p = format; *p; p++) {
		if (p[0] == '%' && p[1] == '{' && strchr(p, '}')) {
			const char *end = strchr(p, '}');
			variable(out, p + 2, (size_t)(end - p - 2), report);
			p = end;
		} else if (p[0] == '%' && p[1] == '%') {
			fputc('%', out);
			p++;
		} else if (p[0] == '\\' && (p[1] == 'n' || p[1] == 'r' || p[1] == 't')) {
			fputc(p[1] == 'n' ? '\n' : p[1] == 'r' ? '\r' : '\t', out);
			p++;
		} else {
			fputc(*p, out);
		}
	}
	fflush(out);
}
