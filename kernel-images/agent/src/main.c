/* slipway-agent: the guest side of the Slipway host↔guest protocol (see PROTOCOL.md). Started
 * as `docker` it is the thin Docker client instead; as `slipway-net`, container networking; as
 * `slipway-ctr`, a container's rootfs preparation before crun; as `docker-init`, the init process
 * of `docker run --init` containers. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "client.h"
#include "ctr_main.h"
#include "dns.h"
#include "frame.h"
#include "init_main.h"
#include "log.h"
#include "loop.h"
#include "net_main.h"
#include "port.h"
#include "session.h"
#include "spawn.h"

#ifndef AGENT_BUILD_ID
#define AGENT_BUILD_ID "dev"
#endif

struct agent_options {
	const char *port_path;
	int port_fd;
	/* The thin client's socket (not /var/run/docker.sock: the engine serves that one). */
	const char *sock_path;
	/* UDP port of the DNS service (tests use an unprivileged one; 0 = none). */
	uint16_t dns_port;
};

static int parse_options(int argc, char **argv, struct agent_options *opts, struct agent_error *err)
{
	*opts = (struct agent_options){.port_path = DEFAULT_PORT_PATH,
				       .port_fd = -1,
				       .sock_path = DEFAULT_CLIENT_SOCK,
				       .dns_port = DNS_DEFAULT_PORT};
	for (int i = 1; i < argc; i++) {
		const char *value = i + 1 < argc ? argv[i + 1] : NULL;
		char *end;

		if (value == NULL)
			return agent_error_set(err, EINVAL, "%s needs a value", argv[i]);
		if (strcmp(argv[i], "--port") == 0) {
			opts->port_path = value;
		} else if (strcmp(argv[i], "--port-fd") == 0) {
			opts->port_fd = (int)strtol(value, &end, 10);
			if (*end || opts->port_fd < 0)
				return agent_error_set(err, EINVAL, "bad --port-fd %s", value);
		} else if (strcmp(argv[i], "--sock") == 0) {
			opts->sock_path = value;
		} else if (strcmp(argv[i], "--dns-port") == 0) {
			long port = strtol(value, &end, 10);

			if (*end || port < 0 || port > 65535)
				return agent_error_set(err, EINVAL, "bad --dns-port %s", value);
			opts->dns_port = (uint16_t)port;
		} else {
			return agent_error_set(err, EINVAL, "unknown option %s", argv[i]);
		}
		i++;
	}
	return 0;
}

/* Children inherit 0-2; pipes and ptys must never land there by accident. */
static void ensure_std_fds(void)
{
	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) < 0)
			return;
}

static void send_hello(void)
{
	struct frame_writer *w = port_writer();
	struct utsname uts;

	if (uname(&uts) < 0)
		strcpy(uts.release, "unknown");
	writer_u32(w, PROTOCOL_VERSION);
	writer_str(w, AGENT_BUILD_ID);
	writer_str(w, uts.release);
	port_send_built(OP_HELLO, 0, CONTROL_STREAM);
}

static int agent_main(int argc, char **argv)
{
	struct agent_options opts;
	struct agent_error err;
	struct agent_error sock_err = {0};
	struct agent_error dns_err = {0};
	sigset_t chld;
	int sock_result;
	int dns_result;

	if (parse_options(argc, argv, &opts, &err) < 0) {
		fprintf(stderr,
			"slipway-agent: %s\nusage: slipway-agent [--port PATH | --port-fd N] "
			"[--sock PATH] [--dns-port N]\n",
			err.message);
		return 2;
	}
	ensure_std_fds();
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	if (reaper_init(&err) < 0 || loop_init(&err) < 0 ||
	    (opts.port_fd >= 0 ? port_adopt(opts.port_fd, &err) : port_open(opts.port_path, &err)) <
		0) {
		fprintf(stderr, "slipway-agent: %s\n", err.message);
		return 1;
	}
	sock_result = session_server_open(opts.sock_path, &sock_err);
	dns_result = dns_open(opts.dns_port, &dns_err);
	send_hello();
	if (sock_result < 0)
		log_msg(0, "docker client socket unavailable: %s", sock_err.message);
	if (dns_result < 0)
		log_msg(0, "DNS service unavailable: %s", dns_err.message);
	loop_run();
}

int main(int argc, char **argv)
{
	const char *name = argc > 0 ? strrchr(argv[0], '/') : NULL;

	name = name ? name + 1 : (argc > 0 ? argv[0] : "");
	if (strcmp(name, "docker") == 0)
		return client_main(argc, argv);
	if (strcmp(name, "slipway-net") == 0)
		return net_main(argc, argv);
	if (strcmp(name, "slipway-ctr") == 0)
		return ctr_main(argc, argv);
	if (strcmp(name, "docker-init") == 0)
		return init_main(argc, argv);
	return agent_main(argc, argv);
}
