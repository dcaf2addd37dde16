/* Links, addresses and routes over rtnetlink: the few operations slipway-net needs. */
#pragma once

#include <netinet/in.h>
#include <stdint.h>

#include "util.h"

struct ipv4_prefix {
	struct in_addr address;
	uint8_t length;
};

/* Sets IFF_UP on a link of the socket's namespace. */
int link_up(int nl, int ifindex, struct agent_error *err);
/*
 * Creates a bridge, up, with no STP (ports forward at once). Its MAC is set, not inherited from
 * its lowest port, so it stays the same while containers come and go (ARP caches stay right).
 */
int bridge_create(int nl, const char *name, const uint8_t mac[6], struct agent_error *err);
/*
 * Creates a veth pair in one request: `host_name` up and attached to `master`, its peer created
 * directly in the namespace `peer_ns_fd` as `peer_name` with MAC `peer_mac`, left down.
 */
int veth_create(int nl, const char *host_name, int master, const char *peer_name, int peer_ns_fd,
		const uint8_t peer_mac[6], struct agent_error *err);
int link_delete(int nl, const char *name, struct agent_error *err);
/* Adds address/length with the subnet's broadcast address, scope global. */
int address_add(int nl, int ifindex, const struct ipv4_prefix *prefix, struct agent_error *err);
int default_route_add(int nl, int ifindex, struct in_addr gateway, struct agent_error *err);
/* Writes a /proc/sys file of the caller's current network namespace. */
int sysctl_write(const char *path, const char *value, struct agent_error *err);
