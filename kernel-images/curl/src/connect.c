#include "connect.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* Waits for a non-blocking connect; returns 0, or -1 with errno (ETIMEDOUT at the deadline). */
static int finish_connect(int fd, long long deadline)
{
	struct pollfd p = {.fd = fd, .events = POLLOUT};
	int so_error = 0;
	socklen_t len = sizeof so_error;

	for (;;) {
		int timeout = -1;
		if (deadline) {
			long long left = deadline - now_ms();
			if (left <= 0) {
				errno = ETIMEDOUT;
				return -1;
			}
			timeout = (int)left;
		}
		int n = poll(&p, 1, timeout);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			continue;
		break;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &len) < 0)
		return -1;
	if (so_error != 0) {
		errno = so_error;
		return -1;
	}
	return 0;
}

/* Starts connecting fd and waits; the socket goes back to blocking mode once connected. */
static int connect_socket(int fd, const struct sockaddr *addr, socklen_t len, long long deadline)
{
	int flags = fcntl(fd, F_GETFL);

	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
		return -1;
	if (connect(fd, addr, len) < 0) {
		if (errno != EINPROGRESS)
			return -1;
		if (finish_connect(fd, deadline) < 0)
			return -1;
	}
	return fcntl(fd, F_SETFL, flags);
}

static int failed(const struct url *url, long long started, int saved_errno, struct curl_error *err)
{
	long long elapsed = now_ms() - started;

	if (saved_errno == ETIMEDOUT)
		return curl_error_set(err, CURL_OPERATION_TIMEDOUT,
				      "Connection timed out after %lld milliseconds", elapsed);
	return curl_error_set(
	    err, CURL_COULDNT_CONNECT,
	    "Failed to connect to %s port %d after %lld ms: Couldn't connect to server", url->host,
	    url->port, elapsed);
}

static int connect_unix(const struct url *url, const struct curl_options *opts, long long started,
			long long deadline, int *fd, struct curl_error *err)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	int s;

	if (strlen(opts->unix_socket) >= sizeof addr.sun_path)
		return curl_error_set(err, CURL_COULDNT_CONNECT, "Unix socket path too long");
	strcpy(addr.sun_path, opts->unix_socket);
	if (opts->verbose)
		fprintf(stderr, "*   Trying %s:0...\n", opts->unix_socket);
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0 || connect_socket(s, (struct sockaddr *)&addr, sizeof addr, deadline) < 0) {
		int saved = errno;
		if (s >= 0)
			close(s);
		return failed(url, started, saved, err);
	}
	if (opts->verbose)
		fprintf(stderr, "* Connected to %s (%s) port %d (#0)\n", url->host,
			opts->unix_socket, url->port);
	*fd = s;
	return 0;
}

int connect_to(const struct url *url, const struct curl_options *opts, long long started,
	       long long deadline, int *fd, struct curl_error *err)
{
	/* No AI_ADDRCONFIG: the guest has no default route, which would hide localhost's ::1. */
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM};
	struct addrinfo *addresses = NULL;
	char port[8];
	int saved_errno = ECONNREFUSED;

	if (opts->unix_socket)
		return connect_unix(url, opts, started, deadline, fd, err);
	hints.ai_family = opts->ipv4_only ? AF_INET : opts->ipv6_only ? AF_INET6 : AF_UNSPEC;
	snprintf(port, sizeof port, "%d", url->port);
	if (getaddrinfo(url->host, port, &hints, &addresses) != 0 || addresses == NULL)
		return curl_error_set(err, CURL_COULDNT_RESOLVE_HOST, "Could not resolve host: %s",
				      url->host);
	for (struct addrinfo *a = addresses; a != NULL; a = a->ai_next) {
		char text[INET6_ADDRSTRLEN] = "?";
		const void *raw =
		    a->ai_family == AF_INET6
			? (const void *)&((struct sockaddr_in6 *)a->ai_addr)->sin6_addr
			: (const void *)&((struct sockaddr_in *)a->ai_addr)->sin_addr;
		bool ipv6 = a->ai_family == AF_INET6;
		int s;

		inet_ntop(a->ai_family, raw, text, sizeof text);
		if (opts->verbose)
			fprintf(stderr, "*   Trying %s%s%s:%d...\n", ipv6 ? "[" : "", text,
				ipv6 ? "]" : "", url->port);
		s = socket(a->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (s >= 0 && connect_socket(s, a->ai_addr, a->ai_addrlen, deadline) == 0) {
			int one = 1;
			setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
			if (opts->verbose)
				fprintf(stderr, "* Connected to %s (%s) port %d (#0)\n", url->host,
					text, url->port);
			freeaddrinfo(addresses);
			*fd = s;
			return 0;
		}
		saved_errno = errno;
		if (s >= 0)
			close(s);
		if (saved_errno == ETIMEDOUT)
			break;
	}
	freeaddrinfo(addresses);
	return failed(url, started, saved_errno, err);
}
