/*
 * slipway-net: Docker's bridge networking for the guest in one process (every fork costs ~50 ms in
 * the emulator, so this is netlink calls instead of a script of `ip` commands).
 *   init [BRIDGE ADDRESS/LEN]   lo up, the bridge (default docker0 172.17.0.1/16), ip_forward=1
 *                               (idempotent: an existing bridge or address is kept)
 *   up NAME --ip ADDRESS/LEN [--gateway ADDRESS] [--mac MAC] [--bridge BRIDGE] [--veth NAME]
 *   up NAME --none              a namespace with only lo (`--network none`)
 *   down NAME [--veth NAME]     removes the host veth and the namespace (missing parts are fine)
 * The namespace is pinned at /run/netns/NAME for crun's {"type":"network","path":...}. Defaults
 * follow Docker: gateway = first address of the subnet, MAC = 02:42 + the four address bytes,
 * host veth = "veth" + 7 hex digits of a hash of NAME.
 */
#include "net_main.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "frame.h"
#include "net_config.h"
#include "net_link.h"
#include "net_ns.h"

#define DEFAULT_BRIDGE "docker0"
#define DEFAULT_BRIDGE_ADDRESS "172.17.0.1/16"
#define CONTAINER_IFNAME "eth0"
#define CONTAINER_IPV6_OFF "/proc/sys/net/ipv6/conf/" CONTAINER_IFNAME "/disable_ipv6"

struct up_options {
	const char *name;
	bool none;
	bool has_ip;
	struct ipv4_prefix ip;
	struct in_addr gateway;
	bool has_gateway;
	uint8_t mac[6];
	bool has_mac;
	const char *bridge;
	char veth[IFNAMSIZ];
};

static int parse_prefix(const char *text, struct ipv4_prefix *out, struct agent_error *err)
{
	char address[INET_ADDRSTRLEN];
	const char *slash = strchr(text, '/');
	char *end;
	long length;

	if (slash == NULL || (size_t)(slash - text) >= sizeof address)
		return agent_error_set(err, EINVAL, "invalid address %s (want ADDRESS/LEN)", text);
	memcpy(address, text, (size_t)(slash - text));
	address[slash - text] = '\0';
	length = strtol(slash + 1, &end, 10);
	if (inet_pton(AF_INET, address, &out->address) != 1 || *end || end == slash + 1 ||
	    length < 1 || length > 30)
		return agent_error_set(err, EINVAL, "invalid address %s (want ADDRESS/LEN)", text);
	out->length = (uint8_t)length;
	return 0;
}

/* Prefixes err's message with `what: ` (the message cannot be formatted from itself). */
static int error_in(struct agent_error *err, const char *what)
{
	struct agent_error cause = *err;

	return agent_error_set(err, cause.code, "%s: %s", what, cause.message);
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Exactly six colon-separated pairs of hex digits. */
static int parse_mac(const char *text, uint8_t mac[6], struct agent_error *err)
{
	if (strlen(text) != 17)
		return agent_error_set(err, EINVAL, "invalid MAC address %s", text);
	for (int i = 0; i < 6; i++) {
		int high = hex_digit(text[3 * i]);
		int low = hex_digit(text[3 * i + 1]);

		if (high < 0 || low < 0 || (i < 5 && text[3 * i + 2] != ':'))
			return agent_error_set(err, EINVAL, "invalid MAC address %s", text);
		mac[i] = (uint8_t)(high << 4 | low);
	}
	return 0;
}

/* Docker's convention: 02:42 followed by the IPv4 address. */
static void mac_of(struct in_addr address, uint8_t mac[6])
{
	mac[0] = 0x02;
	mac[1] = 0x42;
	memcpy(mac + 2, &address, 4);
}

static void default_veth(const char *name, char veth[IFNAMSIZ])
{
	uint32_t hash = frame_fnv1a((const uint8_t *)name, strlen(name));

	snprintf(veth, IFNAMSIZ, "veth%07x", (unsigned)(hash & 0xfffffff));
}

static int parse_up(int argc, char **argv, struct up_options *o, struct agent_error *err)
{
	*o = (struct up_options){.name = argv[0], .bridge = DEFAULT_BRIDGE};
	default_veth(o->name, o->veth);
	for (int i = 1; i < argc; i++) {
		const char *value = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(argv[i], "--none") == 0) {
			o->none = true;
			continue;
		}
		if (value == NULL)
			return agent_error_set(err, EINVAL, "unknown option or missing value: %s",
					       argv[i]);
		i++;
		if (strcmp(argv[i - 1], "--ip") == 0) {
			if (parse_prefix(value, &o->ip, err) < 0)
				return -1;
			o->has_ip = true;
		} else if (strcmp(argv[i - 1], "--gateway") == 0) {
			if (inet_pton(AF_INET, value, &o->gateway) != 1)
				return agent_error_set(err, EINVAL, "invalid gateway %s", value);
			o->has_gateway = true;
		} else if (strcmp(argv[i - 1], "--mac") == 0) {
			if (parse_mac(value, o->mac, err) < 0)
				return -1;
			o->has_mac = true;
		} else if (strcmp(argv[i - 1], "--bridge") == 0) {
			o->bridge = value;
		} else if (strcmp(argv[i - 1], "--veth") == 0) {
			if (strlen(value) == 0 || strlen(value) >= IFNAMSIZ)
				return agent_error_set(err, EINVAL, "invalid veth name %s", value);
			strcpy(o->veth, value);
		} else {
			return agent_error_set(err, EINVAL, "unknown option %s", argv[i - 1]);
		}
	}
	if (!o->none && !o->has_ip)
		return agent_error_set(err, EINVAL, "up needs --ip ADDRESS/LEN or --none");
	if (o->none)
		return 0;
	if (!o->has_gateway) {
		uint32_t mask = 0xffffffffu << (32 - o->ip.length);

		o->gateway.s_addr = htonl((ntohl(o->ip.address.s_addr) & mask) + 1);
	}
	if (!o->has_mac)
		mac_of(o->ip.address, o->mac);
	return 0;
}

/* Everything after the namespace exists; on failure the caller undoes it all. */
static int configure_namespace(const struct up_options *o, int host_nl, int ns_fd, int bridge,
			       struct agent_error *err)
{
	cleanup_close int ns_nl = nl_open(err);
	int eth0;

	if (ns_nl < 0 || link_up(ns_nl, 1, err) < 0)
		return -1;
	if (o->none)
		return 0;
	if (veth_create(host_nl, o->veth, bridge, CONTAINER_IFNAME, ns_fd, o->mac, err) < 0)
		return error_in(err, o->veth);
	eth0 = (int)if_nametoindex(CONTAINER_IFNAME);
	if (eth0 == 0)
		return agent_error_set(err, errno, "eth0 missing in the namespace");
	/* Docker leaves IPv6 off on interfaces of networks without IPv6 (lo keeps ::1). */
	if (sysctl_write(CONTAINER_IPV6_OFF, "1", err) < 0 || link_up(ns_nl, eth0, err) < 0 ||
	    address_add(ns_nl, eth0, &o->ip, err) < 0 ||
	    default_route_add(ns_nl, eth0, o->gateway, err) < 0)
		return -1;
	return 0;
}

static int net_up(int argc, char **argv, struct agent_error *err)
{
	struct up_options o;
	char path[256];
	cleanup_close int host_nl = -1;
	cleanup_close int ns_fd = -1;
	int bridge = 0;

	if (argc < 1)
		return agent_error_set(err, EINVAL, "up needs a NAME");
	if (parse_up(argc, argv, &o, err) < 0 || netns_path(o.name, path, sizeof path, err) < 0)
		return -1;
	if (!o.none && (bridge = (int)if_nametoindex(o.bridge)) == 0)
		return agent_error_set(err, ENODEV, "bridge %s not found", o.bridge);
	host_nl = nl_open(err);
	if (host_nl < 0)
		return -1;
	ns_fd = netns_create_and_enter(path, err);
	if (ns_fd < 0)
		return -1;
	if (configure_namespace(&o, host_nl, ns_fd, bridge, err) < 0) {
		struct agent_error ignored;

		if (!o.none)
			link_delete(host_nl, o.veth, &ignored);
		netns_remove(path, &ignored);
		return -1;
	}
	return 0;
}

static int net_down(int argc, char **argv, struct agent_error *err)
{
	char path[256];
	char veth[IFNAMSIZ];
	cleanup_close int nl = -1;

	if (argc != 1 && !(argc == 3 && strcmp(argv[1], "--veth") == 0))
		return agent_error_set(err, EINVAL, "usage: down NAME [--veth NAME]");
	if (netns_path(argv[0], path, sizeof path, err) < 0)
		return -1;
	if (argc == 3)
		snprintf(veth, sizeof veth, "%s", argv[2]);
	else
		default_veth(argv[0], veth);
	nl = nl_open(err);
	if (nl < 0)
		return -1;
	if (link_delete(nl, veth, err) < 0 && err->code != ENODEV)
		return error_in(err, veth);
	return netns_remove(path, err);
}

static int net_init(int argc, char **argv, struct agent_error *err)
{
	const char *bridge = argc == 2 ? argv[0] : DEFAULT_BRIDGE;
	struct ipv4_prefix address;
	cleanup_close int nl = -1;
	uint8_t mac[6];
	int index;

	if (argc != 0 && argc != 2)
		return agent_error_set(err, EINVAL, "usage: init [BRIDGE ADDRESS/LEN]");
	if (parse_prefix(argc == 2 ? argv[1] : DEFAULT_BRIDGE_ADDRESS, &address, err) < 0)
		return -1;
	mac_of(address.address, mac);
	nl = nl_open(err);
	if (nl < 0 || link_up(nl, 1, err) < 0)
		return -1;
	if (bridge_create(nl, bridge, mac, err) < 0 && err->code != EEXIST)
		return error_in(err, bridge);
	index = (int)if_nametoindex(bridge);
	if (index == 0)
		return agent_error_set(err, errno, "%s missing after creation", bridge);
	if (link_up(nl, index, err) < 0)
		return -1;
	if (address_add(nl, index, &address, err) < 0 && err->code != EEXIST)
		return error_in(err, bridge);
	/* Containers route through the guest; with nothing beyond it, forwarding answers ICMP "net
	 * unreachable" at once, and without rate limiting every attempt gets its answer. */
	return sysctl_write("/proc/sys/net/ipv4/ip_forward", "1", err) < 0 ||
		       sysctl_write("/proc/sys/net/ipv4/icmp_ratelimit", "0", err) < 0
		   ? -1
		   : 0;
}

int net_main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(int argc, char **argv, struct agent_error *err);
	} commands[] = {{"init", net_init}, {"up", net_up}, {"down", net_down}};
	struct agent_error err = {0};

	for (size_t i = 0; argc > 1 && i < sizeof commands / sizeof commands[0]; i++) {
		if (strcmp(argv[1], commands[i].name) != 0)
			continue;
		if (commands[i].run(argc - 2, argv + 2, &err) == 0)
			return 0;
		fprintf(stderr, "slipway-net: %s\n", err.message);
		return 1;
	}
	fputs("usage: slipway-net init [BRIDGE ADDRESS/LEN]\n"
	      "       slipway-net up NAME --ip ADDRESS/LEN [--gateway ADDRESS] [--mac MAC] "
	      "[--bridge BRIDGE] [--veth NAME]\n"
	      "       slipway-net up NAME --none\n"
	      "       slipway-net down NAME [--veth NAME]\n",
	      stderr);
	return 2;
}
