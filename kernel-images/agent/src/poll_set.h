/* The fds one loop iteration waits on, each with the handler that services it. */
#pragma once

#include <poll.h>
#include <stddef.h>

typedef void (*poll_handler)(void *ctx, int arg, short revents);

struct poll_slot {
	poll_handler handler;
	void *ctx;
	int arg;
};

struct poll_set {
	struct pollfd *fds;
	struct poll_slot *slots;
	size_t count;
	size_t cap;
};

void poll_set_reset(struct poll_set *ps);
/* Aborts the agent on allocation failure: without its poll set it cannot do anything. */
void poll_set_add(struct poll_set *ps, int fd, short events, poll_handler handler, void *ctx,
		  int arg);
