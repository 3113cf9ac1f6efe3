#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "the test's network namespace keeps extra addresses on lo (10.7.7.7/32, fd00::7/128) and routes through lo (10.8.0.0/16, fd00:8::/64, metric 77)",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid noemptyns");

#define METRIC 77

static const struct item {
	int family, route;      /* route: 0 an address on lo, 1 a route through lo */
	const char *addr;
	int plen;
} items[] = {
	{ AF_INET, 0, "10.7.7.7", 32 },
	{ AF_INET6, 0, "fd00::7", 128 },
	{ AF_INET, 1, "10.8.0.0", 16 },
	{ AF_INET6, 1, "fd00:8::", 64 },
};
#define NR_ITEMS (sizeof(items) / sizeof(items[0]))

struct nlreq {
	struct nlmsghdr h;
	union {
		struct ifaddrmsg a;
		struct rtmsg r;
	};
	char attrs[128];
};

static int nl, lo;      /* the rtnetlink socket, lo's ifindex */

static void add_attr(struct nlreq *q, int type, const void *data, int len)
{
	struct rtattr *rta = (struct rtattr *)((char *)q + NLMSG_ALIGN(q->h.nlmsg_len));

	rta->rta_type = type;
	rta->rta_len = RTA_LENGTH(len);
	memcpy(RTA_DATA(rta), data, len);
	q->h.nlmsg_len = NLMSG_ALIGN(q->h.nlmsg_len) + RTA_ALIGN(rta->rta_len);
}

/* Sends q and waits for its ack: 0 or -1 with errno set from the kernel's answer. */
static int nl_do(struct nlreq *q)
{
	char buf[4096];
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	ssize_t n;

	q->h.nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	if (send(nl, q, q->h.nlmsg_len, 0) < 0)
		return -1;
	n = recv(nl, buf, sizeof(buf), 0);
	if (n < 0 || !NLMSG_OK(h, n) || h->nlmsg_type != NLMSG_ERROR)
		return errno = EPROTO, -1;
	errno = -((struct nlmsgerr *)NLMSG_DATA(h))->error;
	return errno ? -1 : 0;
}

static int add_item(const struct item *it)
{
	struct nlreq q = { .h = { .nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL } };
	char bin[16];
	int alen = it->family == AF_INET ? 4 : 16, oif = lo, metric = METRIC;

	inet_pton(it->family, it->addr, bin);
	if (!it->route) {
		q.h.nlmsg_type = RTM_NEWADDR;
		q.h.nlmsg_len = NLMSG_LENGTH(sizeof(q.a));
		q.a = (struct ifaddrmsg){ .ifa_family = it->family, .ifa_prefixlen = it->plen,
					  .ifa_scope = RT_SCOPE_UNIVERSE, .ifa_index = lo };
		add_attr(&q, IFA_LOCAL, bin, alen);
		add_attr(&q, IFA_ADDRESS, bin, alen);
	} else {
		q.h.nlmsg_type = RTM_NEWROUTE;
		q.h.nlmsg_len = NLMSG_LENGTH(sizeof(q.r));
		q.r = (struct rtmsg){ .rtm_family = it->family, .rtm_dst_len = it->plen, .rtm_table = RT_TABLE_MAIN,
				      .rtm_protocol = RTPROT_STATIC, .rtm_scope = RT_SCOPE_LINK, .rtm_type = RTN_UNICAST };
		add_attr(&q, RTA_DST, bin, alen);
		add_attr(&q, RTA_OIF, &oif, sizeof(oif));
		add_attr(&q, RTA_PRIORITY, &metric, sizeof(metric));
	}
	return nl_do(&q);
}

/* Marks in seen[] each item that one RTM_NEWADDR or RTM_NEWROUTE message describes. */
static void match(struct nlmsghdr *h, bool *seen)
{
	bool route = h->nlmsg_type == RTM_NEWROUTE;
	struct rtmsg *r = NLMSG_DATA(h);
	struct ifaddrmsg *a = NLMSG_DATA(h);
	int family = route ? r->rtm_family : a->ifa_family, plen = route ? r->rtm_dst_len : a->ifa_prefixlen;
	int len = route ? RTM_PAYLOAD(h) : IFA_PAYLOAD(h), oif = route ? 0 : (int)a->ifa_index, metric = 0;
	struct rtattr *rta = route ? RTM_RTA(r) : IFA_RTA(a);
	char addr[INET6_ADDRSTRLEN] = "";

	for (; RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
		if (rta->rta_type == (route ? RTA_DST : IFA_ADDRESS))
			inet_ntop(family, RTA_DATA(rta), addr, sizeof(addr));
		else if (route && rta->rta_type == RTA_OIF)
			oif = *(int *)RTA_DATA(rta);
		else if (route && rta->rta_type == RTA_PRIORITY)
			metric = *(int *)RTA_DATA(rta);
	}
	for (size_t i = 0; i < NR_ITEMS; i++)
		if (items[i].route == route && items[i].family == family && items[i].plen == plen &&
		    !strcmp(items[i].addr, addr) && oif == lo && (!route || metric == METRIC))
			seen[i] = true;
}

/* Dumps addresses (RTM_GETADDR) or routes (RTM_GETROUTE) of every family into match(). */
static int dump(int type, bool *seen)
{
	struct nlreq q = { .h = { .nlmsg_type = type, .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
				  .nlmsg_len = NLMSG_LENGTH(sizeof(struct rtmsg)) } };
	static char buf[32768];
	ssize_t n;

	if (send(nl, &q, q.h.nlmsg_len, 0) < 0)
		return -1;
	while ((n = recv(nl, buf, sizeof(buf), 0)) > 0)
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
			if (h->nlmsg_type == NLMSG_ERROR)
				return errno = EPROTO, -1;
			match(h, seen);
		}
	return -1;
}

static int expect_items(void)
{
	bool seen[NR_ITEMS] = { 0 };

	if (dump(RTM_GETADDR, seen) || dump(RTM_GETROUTE, seen))
		return fail_errno("rtnetlink dump");
	for (size_t i = 0; i < NR_ITEMS; i++)
		if (!seen[i])
			return fail("%s %s/%d %s lo not found%s", items[i].route ? "route" : "address", items[i].addr,
				    items[i].plen, items[i].route ? "dev" : "on", items[i].route ? " (metric 77)" : "");
	return 0;
}

int main(int argc, char **argv)
{
	test_init(argc, argv);
	lo = if_nametoindex("lo");
	nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (!lo || nl < 0)
		return fail_errno("lo's index or a netlink socket");
	for (size_t i = 0; i < NR_ITEMS; i++)
		if (add_item(&items[i]))
			return fail_errno("add %s %s/%d", items[i].route ? "route" : "address", items[i].addr, items[i].plen);
	if (expect_items())
		return 1;

	test_daemon();
	test_waitsig();

	if (expect_items())
		return 1;
	return pass();
}
