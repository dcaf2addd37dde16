/* rtnetlink requests for slipway-net: build one message, send it, wait for its ACK. */
#pragma once

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define NL_MAX_NEST 4

struct nl_request {
	size_t len;
	bool overflow;
	int depth;
	size_t nest[NL_MAX_NEST];
	uint8_t buf[1024] __attribute__((aligned(NLMSG_ALIGNTO)));
};

/* A route netlink socket of the caller's current network namespace (it stays bound to it). */
int nl_open(struct agent_error *err);
/* Starts a message; returns the family header of `header_size` bytes (zeroed) to fill in. */
void *nl_begin(struct nl_request *req, uint16_t type, uint16_t flags, size_t header_size);
void nl_attr(struct nl_request *req, uint16_t type, const void *data, size_t size);
void nl_attr_u32(struct nl_request *req, uint16_t type, uint32_t value);
void nl_attr_str(struct nl_request *req, uint16_t type, const char *value);
/* Opens a nested attribute, closed by nl_nest_end. */
void nl_nest_begin(struct nl_request *req, uint16_t type);
/* Appends raw bytes (a nested family header such as a veth peer's ifinfomsg). */
void nl_raw(struct nl_request *req, const void *data, size_t size);
void nl_nest_end(struct nl_request *req);
/* Sends the request and waits for its ACK; a kernel error is returned in err (err->code = errno).
 */
int nl_transact(int fd, struct nl_request *req, struct agent_error *err);
