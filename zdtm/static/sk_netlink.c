#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a NETLINK_ROUTE socket keeps its port id and multicast groups (bound and added) and still answers a link dump",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "suid");

#ifndef NETLINK_LIST_MEMBERSHIPS
#define NETLINK_LIST_MEMBERSHIPS 9
#endif

#define BIND_GROUPS (RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_ROUTE)
#define ADDED_GROUP RTNLGRP_NSID         /* 28: joined with NETLINK_ADD_MEMBERSHIP */

/* "family 16 protocol 0 port 123 groups 0x..." from getsockname and NETLINK_LIST_MEMBERSHIPS */
static const char *nl_state(int fd, char *buf, size_t len)
{
	struct sockaddr_nl a = { 0 };
	socklen_t alen = sizeof(a), mlen = sizeof(uint32_t), plen = sizeof(int);
	uint32_t members = 0;
	int proto = -1;

	if (getsockname(fd, (struct sockaddr *)&a, &alen))
		return "getsockname failed";
	if (getsockopt(fd, SOL_NETLINK, NETLINK_LIST_MEMBERSHIPS, &members, &mlen))
		return "NETLINK_LIST_MEMBERSHIPS failed";
	if (getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &plen))
		return "SO_PROTOCOL failed";
	snprintf(buf, len, "family %d protocol %d port %u bound groups 0x%x member of 0x%x",
		 a.nl_family, proto, a.nl_pid, a.nl_groups, members);
	return buf;
}

/* Ask for a dump of links: "" when the answer names lo, else what went wrong. */
static const char *link_dump(int fd)
{
	struct {
		struct nlmsghdr nlh;
		struct ifinfomsg ifi;
	} req = {
		.nlh = { .nlmsg_len = sizeof(req), .nlmsg_type = RTM_GETLINK,
			 .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP, .nlmsg_seq = 77 },
		.ifi = { .ifi_family = AF_UNSPEC },
	};
	static char buf[32768];
	bool lo = false;
	ssize_t n;

	if (send(fd, &req, sizeof(req), 0) != sizeof(req))
		return "send of RTM_GETLINK failed";
	while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) {
		struct nlmsghdr *h;

		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			struct ifinfomsg *ifi = NLMSG_DATA(h);

			if (h->nlmsg_seq != 77)
				continue;   /* a multicast notification */
			if (h->nlmsg_type == NLMSG_DONE)
				return lo ? "" : "the dump did not list lo";
			if (h->nlmsg_type == NLMSG_ERROR)
				return "the dump answered with an error";
			if (h->nlmsg_type == RTM_NEWLINK && (ifi->ifi_flags & IFF_LOOPBACK))
				lo = true;
		}
	}
	return "recv failed before the end of the dump";
}

int main(int argc, char **argv)
{
	struct sockaddr_nl a = { .nl_family = AF_NETLINK, .nl_groups = BIND_GROUPS };
	int fd, group = ADDED_GROUP;
	char before[128], now[128];

	test_init(argc, argv);
	fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)))
		return fail_errno("bind a NETLINK_ROUTE socket to groups 0x%x", BIND_GROUPS);
	if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group, sizeof(group)))
		return fail_errno("NETLINK_ADD_MEMBERSHIP %d", group);
	nl_state(fd, before, sizeof(before));
	test_msg("before C/R: %s", before);

	test_daemon();
	test_waitsig();

	if (expect_str("netlink socket", nl_state(fd, now, sizeof(now)), before))
		return 1;
	if (expect_str("RTM_GETLINK dump after C/R", link_dump(fd), ""))
		return 1;
	return pass();
}
