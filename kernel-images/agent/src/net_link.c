#include "net_link.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int nl_open(struct agent_error *err)
{
	struct sockaddr_nl local = {.nl_family = AF_NETLINK};
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	if (fd < 0)
		return agent_error_set(err, errno, "netlink socket: %s", strerror(errno));
	if (bind(fd, (struct sockaddr *)&local, sizeof local) < 0) {
		int code = errno;

		close(fd);
		return agent_error_set(err, code, "netlink bind: %s", strerror(code));
	}
	return fd;
}

static struct nlmsghdr *nl_header(struct nl_request *req)
{
	return (struct nlmsghdr *)req->buf;
}

static void *nl_reserve(struct nl_request *req, size_t size)
{
	size_t aligned = NLMSG_ALIGN(size);
	void *at = req->buf + req->len;

	if (req->overflow || req->len + aligned > sizeof req->buf) {
		req->overflow = true;
		return NULL;
	}
	memset(at, 0, aligned);
	req->len += aligned;
	return at;
}

void *nl_begin(struct nl_request *req, uint16_t type, uint16_t flags, size_t header_size)
{
	struct nlmsghdr *h;

	req->len = 0;
	req->overflow = false;
	req->depth = 0;
	h = nl_reserve(req, NLMSG_HDRLEN);
	h->nlmsg_type = type;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	h->nlmsg_seq = 1;
	return nl_reserve(req, header_size);
}

void nl_attr(struct nl_request *req, uint16_t type, const void *data, size_t size)
{
	struct rtattr *a = nl_reserve(req, RTA_LENGTH(size));

	if (a == NULL)
		return;
	a->rta_type = type;
	a->rta_len = (unsigned short)RTA_LENGTH(size);
	memcpy(RTA_DATA(a), data, size);
}

void nl_attr_u32(struct nl_request *req, uint16_t type, uint32_t value)
{
	nl_attr(req, type, &value, sizeof value);
}

void nl_attr_str(struct nl_request *req, uint16_t type, const char *value)
{
	nl_attr(req, type, value, strlen(value) + 1);
}

void nl_raw(struct nl_request *req, const void *data, size_t size)
{
	void *at = nl_reserve(req, size);

	if (at)
		memcpy(at, data, size);
}

void nl_nest_begin(struct nl_request *req, uint16_t type)
{
	size_t at = req->len;
	struct rtattr *a = nl_reserve(req, RTA_LENGTH(0));

	if (a == NULL || req->depth == NL_MAX_NEST) {
		req->overflow = true;
		return;
	}
	a->rta_type = type;
	req->nest[req->depth++] = at;
}

void nl_nest_end(struct nl_request *req)
{
	struct rtattr *a;

	if (req->overflow || req->depth == 0)
		return;
	a = (struct rtattr *)(req->buf + req->nest[--req->depth]);
	a->rta_len = (unsigned short)(req->buf + req->len - (uint8_t *)a);
}

int nl_transact(int fd, struct nl_request *req, struct agent_error *err)
{
	struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
	uint8_t reply[4096] __attribute__((aligned(NLMSG_ALIGNTO)));
	ssize_t n;
	int left;

	if (req->overflow || req->depth != 0)
		return agent_error_set(err, EMSGSIZE, "netlink request too large");
	nl_header(req)->nlmsg_len = (uint32_t)req->len;
	if (sendto(fd, req->buf, req->len, 0, (struct sockaddr *)&kernel, sizeof kernel) < 0)
		return agent_error_set(err, errno, "netlink send: %s", strerror(errno));
	for (;;) {
		do
			n = recv(fd, reply, sizeof reply, 0);
		while (n < 0 && errno == EINTR);
		if (n < 0)
			return agent_error_set(err, errno, "netlink receive: %s", strerror(errno));
		left = (int)n;
		for (struct nlmsghdr *h = (struct nlmsghdr *)reply; NLMSG_OK(h, left);
		     h = NLMSG_NEXT(h, left)) {
			const struct nlmsgerr *e = NLMSG_DATA(h);

			if (h->nlmsg_type != NLMSG_ERROR)
				continue;
			if (e->error == 0)
				return 0;
			return agent_error_set(err, -e->error, "%s", strerror(-e->error));
		}
	}
}
