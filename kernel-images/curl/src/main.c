/* curl for the Slipway guest: a small HTTP/1.1 client with curl's options, output and exit codes
 * for what tutorials type (see kernel-images/README.md). Debian's curl needs ~20 MB of libraries;
 * this needs libc only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "connect.h"
#include "curl.h"
#include "http.h"
#include "options.h"
#include "progress.h"
#include "url.h"

/* Where the answer goes: stdout, or a file created when its first byte arrives (as curl does). */
struct output {
	const char *path; /* NULL: stdout */
	FILE *file;
	struct transfer_report *report;
	bool counts; /* body bytes count as downloaded; headers do not */
	bool meter;  /* show the progress meter once the URL is understood */
	bool meter_shown;
	bool trace_data; /* -v with the body off the terminal: "{ [N bytes data]" per read */
};

static int output_write(void *ctx, const char *data, size_t len, struct curl_error *err)
{
	struct output *out = ctx;

	if (out->file == NULL) {
		out->file = out->path ? fopen(out->path, "wb") : stdout;
		if (out->file == NULL)
			return curl_error_set(err, CURL_WRITE_ERROR,
					      "Failed to open the file %s: %m", out->path);
	}
	if (len > 0 && fwrite(data, 1, len, out->file) != len)
		return curl_error_set(err, CURL_WRITE_ERROR,
				      "Failure writing output to destination");
	if (out->counts)
		out->report->downloaded += (long long)len;
	if (out->counts && out->trace_data && len > 0)
		fprintf(stderr, "{ [%zu bytes data]\n", len);
	return 0;
}

static void print_head(const struct response *resp)
{
	/* "< " before each response line, CR dropped, as curl -v shows them. */
	for (const char *line = resp->head; *line;) {
		size_t len = strcspn(line, "\n");
		size_t shown = len > 0 && line[len - 1] == '\r' ? len - 1 : len;
		fprintf(stderr, "< %.*s\n", (int)shown, line);
		line += len + (line[len] == '\n');
	}
}

static bool is_redirect(int status)
{
	return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

/* The -O file name: the URL path's last segment. */
static int remote_name(const struct url *url, char *out, size_t size, struct curl_error *err)
{
	size_t path_len = strcspn(url->target, "?");
	size_t start = path_len;

	while (start > 0 && url->target[start - 1] != '/')
		start--;
	if (start == path_len)
		return curl_error_set(err, CURL_WRITE_ERROR, "Remote file name has no length!");
	snprintf(out, size, "%.*s", (int)(path_len - start), url->target + start);
	return 0;
}

static int transfer(const char *text, const struct curl_options *o, struct output *out,
		    struct transfer_report *report, struct curl_error *err)
{
	const char *method = o->method ? o->method : o->head ? "HEAD" : o->data ? "POST" : "GET";
	const char *body = o->data;
	long long deadline =
	    o->max_time > 0 ? report->started + (long long)(o->max_time * 1000) : 0;
	long long connect_deadline = deadline;
	static char file_name[1024];
	struct url url;

	if (o->connect_timeout > 0) {
		long long limit = report->started + (long long)(o->connect_timeout * 1000);
		if (!connect_deadline || limit < connect_deadline)
			connect_deadline = limit;
	}
	if (url_parse(text, &url, err) < 0)
		return -1;
	if (out->meter) {
		meter_begin();
		out->meter_shown = true;
	}
	if (o->remote_name && out->path == NULL) {
		if (remote_name(&url, file_name, sizeof file_name, err) < 0)
			return -1;
		out->path = file_name;
	}
	for (;;) {
		cleanup_close int fd = -1;
		struct reader *r;
		struct response resp;
		int rc;

		url_format(&url, report->effective_url, sizeof report->effective_url);
		if (connect_to(&url, o, report->started, connect_deadline, &fd, err) < 0)
			return -1;
		report->uploaded = body ? (long long)o->data_len : 0;
		if (http_send_request(fd, &url, method, o, body, body ? o->data_len : 0, err) < 0)
			return -1;
		r = calloc(1, sizeof *r);
		if (r == NULL)
			return curl_error_set(err, CURL_FAILED_INIT, "out of memory");
		*r = (struct reader){.fd = fd, .started = report->started, .deadline = deadline};
		rc = http_read_head(r, &resp, err);
		if (rc == 0) {
			bool follow = o->location && is_redirect(resp.status) && resp.location[0];
			bool has_body = strcmp(method, "HEAD") != 0 && resp.status != 204 &&
					resp.status != 304 && !follow;
			bool failing = (o->fail || o->fail_with_body) && resp.status >= 400;

			report->http_code = resp.status;
			report->expected = resp.content_length;
			snprintf(report->content_type, sizeof report->content_type, "%s",
				 resp.content_type);
			if (o->verbose)
				print_head(&resp);
			if (is_redirect(resp.status) && resp.location[0]) {
				struct url next;
				if (url_resolve(&url, resp.location, &next, err) == 0)
					url_format(&next, report->redirect_url,
						   sizeof report->redirect_url);
			}
			if ((o->include || o->head) && !(o->fail && failing)) {
				out->counts = false;
				rc = output_write(out, resp.head, resp.head_len, err);
				out->counts = true;
			}
			if (rc == 0 && failing && !o->fail_with_body)
				rc = curl_error_set(err, CURL_HTTP_RETURNED_ERROR,
						    "The requested URL returned error: %d",
						    resp.status);
			if (rc == 0)
				rc = http_read_body(r, &resp, has_body, output_write, out, err);
			if (rc == 0 && failing)
				rc = curl_error_set(err, CURL_HTTP_RETURNED_ERROR,
						    "The requested URL returned error: %d",
						    resp.status);
			if (rc == 0 && follow) {
				if (report->redirects == o->max_redirs)
					rc = curl_error_set(err, CURL_TOO_MANY_REDIRECTS,
							    "Maximum (%ld) redirects followed",
							    o->max_redirs);
				else
					rc = url_resolve(&url, resp.location, &url, err);
				if (rc == 0 && o->verbose)
					fprintf(stderr,
						"* Issue another request to this URL: '%s'\n",
						report->redirect_url);
				/* As curl: POST becomes GET after 301, 302 and 303 unless -X chose
				 * it. */
				if (rc == 0 && !o->method && strcmp(method, "POST") == 0 &&
				    resp.status <= 303) {
					method = "GET";
					body = NULL;
				}
				report->redirects++;
			}
			if (rc == 0 && !follow && o->verbose) {
				if (resp.closes)
					fputs("* Closing connection 0\n", stderr);
				else
					fprintf(stderr, "* Connection #0 to host %s left intact\n",
						url.host);
			}
			response_free(&resp);
			free(r);
			if (rc < 0)
				return -1;
			if (!follow)
				return 0;
			continue;
		}
		free(r);
		return -1;
	}
}

int main(int argc, char **argv)
{
	struct curl_options opts;
	struct curl_error err = {0};
	bool exit_now;
	int exit_code = 0;

	if (parse_options(argc, argv, &opts, &exit_now, &err) < 0) {
		fprintf(stderr, "curl: %s\n", err.message);
		if (err.code == CURL_FAILED_INIT)
			fputs("curl: try 'curl --help' or 'curl --manual' for more information\n",
			      stderr);
		return err.code;
	}
	if (exit_now)
		return 0;
	if (opts.verbose && opts.method &&
	    strcmp(opts.method, opts.head   ? "HEAD"
				: opts.data ? "POST"
					    : "GET") == 0)
		fprintf(stderr,
			"Note: Unnecessary use of -X or --request, %s is already inferred.\n",
			opts.method);
	for (int i = 0; i < opts.url_count; i++) {
		struct transfer_report report = {.started = now_ms(), .expected = -1};
		struct output out = {.path = opts.output, .report = &report, .counts = true};
		int rc;

		/* -o names the first URL's file only, as in curl; later ones go to stdout, as
		 * does "-o -". */
		if (i > 0 || (out.path && strcmp(out.path, "-") == 0))
			out.path = NULL;
		err = (struct curl_error){0};
		/* As curl: no meter when the body goes to a terminal. */
		out.meter =
		    !opts.silent && (out.path || opts.remote_name || !isatty(STDOUT_FILENO));
		out.trace_data =
		    opts.verbose && (out.path || opts.remote_name || !isatty(STDOUT_FILENO));
		rc = transfer(opts.urls[i], &opts, &out, &report, &err);
		fflush(stdout);
		if (out.file != NULL && out.file != stdout && fclose(out.file) != 0 && rc == 0)
			rc = curl_error_set(&err, CURL_WRITE_ERROR,
					    "Failure writing output to destination");
		if (out.meter_shown)
			meter_end(&report);
		report.exit_code = rc < 0 ? err.code : 0;
		report.error = rc < 0 ? err.message : NULL;
		if (rc < 0) {
			exit_code = err.code;
			if (!opts.silent || opts.show_error)
				fprintf(stderr, "curl: (%d) %s\n", err.code, err.message);
		}
		if (opts.write_out)
			write_out(stdout, opts.write_out, &report);
	}
	return exit_code;
}
