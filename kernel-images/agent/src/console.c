#include "console.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int console_listen(const char *path, struct agent_error *err)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	cleanup_close int fd = -1;
	int result;

	if (strlen(path) >= sizeof addr.sun_path)
		return agent_error_set(err, ENAMETOOLONG, "console socket path too long: %s", path);
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return agent_error_set(err, errno, "console socket: %s", strerror(errno));
	unlink(path);
	if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0)
		return agent_error_set(err, errno, "bind %s: %s", path, strerror(errno));
	if (listen(fd, 1) < 0)
		return agent_error_set(err, errno, "listen %s: %s", path, strerror(errno));
	result = fd;
	fd = -1;
	return result;
}

int console_accept(int listen_fd)
{
	int fd;

	do
		fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	return fd;
}

int console_receive(int conn_fd)
{
	char data[256];
	union {
		char buf[CMSG_SPACE(sizeof(int) * 4)];
		struct cmsghdr align;
	} control;
	struct iovec iov = {.iov_base = data, .iov_len = sizeof data};
	struct msghdr msg = {.msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = control.buf,
			     .msg_controllen = sizeof control.buf};
	ssize_t n;
	int received = -1;

	do
		n = recvmsg(conn_fd, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		if (count > 4)
			count = 4;
		int fds[4];

		memcpy(fds, CMSG_DATA(c), count * sizeof(int));
		for (size_t i = 0; i < count; i++) {
			if (received < 0)
				received = fds[i];
			else
				close(fds[i]);
		}
	}
	if (received < 0)
		errno = n == 0 ? 0 : EAGAIN;
	return received;
}
