#include "net_config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/veth.h>
#include <string.h>
#include <unistd.h>

#include "net_link.h"

int link_up(int nl, int ifindex, struct agent_error *err)
{
	struct nl_request req;
	struct ifinfomsg *ifi = nl_begin(&req, RTM_NEWLINK, 0, sizeof *ifi);

	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	return nl_transact(nl, &req, err);
}

int bridge_create(int nl, const char *name, const uint8_t mac[6], struct agent_error *err)
{
	struct nl_request req;
	struct ifinfomsg *ifi = nl_begin(&req, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, sizeof *ifi);

	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	nl_attr_str(&req, IFLA_IFNAME, name);
	nl_attr(&req, IFLA_ADDRESS, mac, 6);
	nl_nest_begin(&req, IFLA_LINKINFO);
	nl_attr_str(&req, IFLA_INFO_KIND, "bridge");
	nl_nest_end(&req);
	return nl_transact(nl, &req, err);
}

int veth_create(int nl, const char *host_name, int master, const char *peer_name, int peer_ns_fd,
		const uint8_t peer_mac[6], struct agent_error *err)
{
	struct nl_request req;
	struct ifinfomsg *ifi = nl_begin(&req, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, sizeof *ifi);
	struct ifinfomsg peer = {.ifi_family = AF_UNSPEC};

	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	nl_attr_str(&req, IFLA_IFNAME, host_name);
	nl_attr_u32(&req, IFLA_MASTER, (uint32_t)master);
	nl_nest_begin(&req, IFLA_LINKINFO);
	nl_attr_str(&req, IFLA_INFO_KIND, "veth");
	nl_nest_begin(&req, IFLA_INFO_DATA);
	nl_nest_begin(&req, VETH_INFO_PEER);
	nl_raw(&req, &peer, sizeof peer);
	nl_attr_str(&req, IFLA_IFNAME, peer_name);
	nl_attr_u32(&req, IFLA_NET_NS_FD, (uint32_t)peer_ns_fd);
	nl_attr(&req, IFLA_ADDRESS, peer_mac, 6);
	nl_nest_end(&req);
	nl_nest_end(&req);
	nl_nest_end(&req);
	return nl_transact(nl, &req, err);
}

int link_delete(int nl, const char *name, struct agent_error *err)
{
	struct nl_request req;
	struct ifinfomsg *ifi = nl_begin(&req, RTM_DELLINK, 0, sizeof *ifi);

	ifi->ifi_family = AF_UNSPEC;
	nl_attr_str(&req, IFLA_IFNAME, name);
	return nl_transact(nl, &req, err);
}

int address_add(int nl, int ifindex, const struct ipv4_prefix *prefix, struct agent_error *err)
{
	struct nl_request req;
	struct ifaddrmsg *ifa = nl_begin(&req, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, sizeof *ifa);
	uint32_t host_mask = prefix->length ? 0xffffffffu >> prefix->length : 0xffffffffu;
	struct in_addr broadcast = {.s_addr = prefix->address.s_addr | htonl(host_mask)};

	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = prefix->length;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = (uint32_t)ifindex;
	nl_attr(&req, IFA_LOCAL, &prefix->address, sizeof prefix->address);
	nl_attr(&req, IFA_ADDRESS, &prefix->address, sizeof prefix->address);
	if (prefix->length < 31)
		nl_attr(&req, IFA_BROADCAST, &broadcast, sizeof broadcast);
	return nl_transact(nl, &req, err);
}

int default_route_add(int nl, int ifindex, struct in_addr gateway, struct agent_error *err)
{
	struct nl_request req;
	struct rtmsg *rt = nl_begin(&req, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, sizeof *rt);

	rt->rtm_family = AF_INET;
	rt->rtm_table = RT_TABLE_MAIN;
	rt->rtm_protocol = RTPROT_BOOT;
	rt->rtm_scope = RT_SCOPE_UNIVERSE;
	rt->rtm_type = RTN_UNICAST;
	nl_attr(&req, RTA_GATEWAY, &gateway, sizeof gateway);
	nl_attr_u32(&req, RTA_OIF, (uint32_t)ifindex);
	return nl_transact(nl, &req, err);
}

int sysctl_write(const char *path, const char *value, struct agent_error *err)
{
	cleanup_close int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return agent_error_set(err, errno, "%s: %s", path, strerror(errno));
	return write_all(fd, value, strlen(value), err);
}
