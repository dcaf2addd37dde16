#include "dns.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "frame.h"
#include "log.h"
#include "port.h"

/*
 * Longer queries are dropped: DNS over UDP stays within 512 bytes, or the EDNS size the client
 * offers (1232 is the common default); nothing a resolver sends to a stub server comes near this.
 */
#define DNS_MAX_QUERY 4096
/* Datagrams taken per wakeup, so a burst of queries cannot starve the host port and the streams. */
#define DNS_BURST 16

/*
 * One socket on 0.0.0.0:53 rather than one per gateway: every bridge's gateway address (docker0's
 * 172.17.0.1 now, user networks' later) and 127.0.0.1 (the guest's own resolv.conf, host-network
 * containers) reach it with no rebinding when networks come and go. Containers cannot reach it
 * through other addresses than their gateway: they live in their own network namespaces, and the
 * root namespace has no uplink. IP_PKTINFO tells which address a query was sent to, so the answer
 * leaves from that same address (resolvers drop answers from another one).
 */
static int dns_sock = -1;
static uint32_t dns_next_id = 1;
static uint8_t dns_query[DNS_MAX_QUERY];

int dns_open(uint16_t port, struct agent_error *err)
{
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port)};
	int one = 1;
	cleanup_close int sock = -1;

	if (port == 0)
		return 0;
	sock = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (sock < 0)
		return agent_error_set(err, errno, "dns socket: %s", strerror(errno));
	/* A restarted agent binds again while the old socket may linger in the kernel. */
	setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (setsockopt(sock, IPPROTO_IP, IP_PKTINFO, &one, sizeof one) < 0)
		return agent_error_set(err, errno, "dns IP_PKTINFO: %s", strerror(errno));
	if (bind(sock, (struct sockaddr *)&addr, sizeof addr) < 0)
		return agent_error_set(err, errno, "dns bind 0.0.0.0:%u: %s", port,
				       strerror(errno));
	dns_sock = sock;
	sock = -1;
	return 0;
}

/* Receives one datagram and relays it; false when none is waiting. */
static bool dns_relay_one(void)
{
	uint8_t control[CMSG_SPACE(sizeof(struct in_pktinfo))];
	struct frame_writer *w;
	struct sockaddr_in client;
	struct in_addr server = {0};
	struct iovec iov = {.iov_base = dns_query, .iov_len = sizeof dns_query};
	struct msghdr msg = {
	    .msg_name = &client,
	    .msg_namelen = sizeof client,
	    .msg_iov = &iov,
	    .msg_iovlen = 1,
	    .msg_control = control,
	    .msg_controllen = sizeof control,
	};
	ssize_t n = recvmsg(dns_sock, &msg, 0);

	if (n < 0) {
		if (errno != EAGAIN && errno != EINTR)
			log_msg(0, "dns recvmsg: %s", strerror(errno));
		return false;
	}
	if (msg.msg_flags & MSG_TRUNC) {
		log_msg(0, "dns: query over %d bytes dropped", DNS_MAX_QUERY);
		return true;
	}
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO)
			server = ((struct in_pktinfo *)CMSG_DATA(c))->ipi_addr;
	w = port_writer();
	writer_u32(w, dns_next_id++);
	writer_bytes(w, &client.sin_addr.s_addr, 4);
	writer_u16(w, ntohs(client.sin_port));
	writer_bytes(w, &server.s_addr, 4);
	writer_bytes(w, dns_query, (size_t)n);
	port_send_built(OP_DNS_QUERY, 0, CONTROL_STREAM);
	return true;
}

static void dns_ready(void *ctx, int arg, short revents)
{
	(void)ctx;
	(void)arg;
	(void)revents;
	for (int i = 0; i < DNS_BURST && dns_relay_one(); i++)
		;
}

void dns_collect(struct poll_set *ps)
{
	if (dns_sock >= 0)
		poll_set_add(ps, dns_sock, POLLIN, dns_ready, NULL, 0);
}

void dns_on_host_answer(const uint8_t *payload, size_t len)
{
	uint8_t control[CMSG_SPACE(sizeof(struct in_pktinfo))] = {0};
	struct sockaddr_in client = {.sin_family = AF_INET};
	struct in_pktinfo *info;
	struct frame_reader r;
	struct iovec iov;
	struct msghdr msg = {
	    .msg_name = &client,
	    .msg_namelen = sizeof client,
	    .msg_iov = &iov,
	    .msg_iovlen = 1,
	    .msg_control = control,
	    .msg_controllen = sizeof control,
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	uint32_t id;

	reader_init(&r, payload, len);
	id = reader_u32(&r);
	reader_bytes(&r, &client.sin_addr.s_addr, 4);
	client.sin_port = htons(reader_u16(&r));
	c->cmsg_level = IPPROTO_IP;
	c->cmsg_type = IP_PKTINFO;
	c->cmsg_len = CMSG_LEN(sizeof *info);
	info = (struct in_pktinfo *)CMSG_DATA(c);
	reader_bytes(&r, &info->ipi_spec_dst.s_addr, 4);
	if (r.short_payload) {
		log_msg(0, "DNS_ANSWER payload too short");
		return;
	}
	if (dns_sock < 0)
		return;
	iov.iov_base = (void *)r.p;
	iov.iov_len = r.left;
	/* UDP: a client that is gone, or a full socket buffer, only loses this answer. */
	if (sendmsg(dns_sock, &msg, MSG_DONTWAIT) < 0)
		log_msg(0, "dns answer %u: sendmsg: %s", id, strerror(errno));
}
