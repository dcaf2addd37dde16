#include "poll_set.h"

#include <stdio.h>
#include <stdlib.h>

void poll_set_reset(struct poll_set *ps)
{
	ps->count = 0;
}

void poll_set_add(struct poll_set *ps, int fd, short events, poll_handler handler, void *ctx,
		  int arg)
{
	if (ps->count == ps->cap) {
		size_t cap = ps->cap ? ps->cap * 2 : 32;
		struct pollfd *fds = realloc(ps->fds, cap * sizeof *fds);
		struct poll_slot *slots;

		if (fds == NULL) {
			fputs("slipway-agent: out of memory\n", stderr);
			abort();
		}
		ps->fds = fds;
		slots = realloc(ps->slots, cap * sizeof *slots);
		if (slots == NULL) {
			fputs("slipway-agent: out of memory\n", stderr);
			abort();
		}
		ps->slots = slots;
		ps->cap = cap;
	}
	ps->fds[ps->count] = (struct pollfd){.fd = fd, .events = events};
	ps->slots[ps->count] = (struct poll_slot){.handler = handler, .ctx = ctx, .arg = arg};
	ps->count++;
}
