/*
 * Network links of the caller's network namespace over rtnetlink: made (veth, bridge, macvlan,
 * dummy), configured (master, address, MTU, up), moved to another namespace, and described as
 * one line of text that a test compares before and after C/R.
 */
#include <arpa/inet.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zdtm.h"

struct req { struct nlmsghdr h; struct ifinfomsg i; char attrs[512]; };

static struct rtattr *attr(struct req *q, int type, const void *data, int len)
{
	struct rtattr *a = (struct rtattr *)((char *)q + NLMSG_ALIGN(q->h.nlmsg_len));

	a->rta_type = type;
	a->rta_len = RTA_LENGTH(len);
	if (data)
		memcpy(RTA_DATA(a), data, len);
	q->h.nlmsg_len = NLMSG_ALIGN(q->h.nlmsg_len) + RTA_ALIGN(a->rta_len);
	return a;
}

static void end(struct req *q, struct rtattr *nest)
{
	nest->rta_len = (char *)q + q->h.nlmsg_len - (char *)nest;
}

/* Sends q and reads the answer into buf (len bytes): the answer's length, or -1 with errno. */
static ssize_t nl_talk(struct req *q, char *buf, size_t len)
{
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	int nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	ssize_t n;

	q->h.nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	n = nl < 0 || send(nl, q, q->h.nlmsg_len, 0) < 0 ? -1 : recv(nl, buf, len, 0);
	if (nl >= 0)
		close(nl);
	if (n < 0 || !NLMSG_OK(h, n))
		return errno = n < 0 ? errno : EPROTO, -1;
	if (h->nlmsg_type == NLMSG_ERROR && ((struct nlmsgerr *)NLMSG_DATA(h))->error)
		return errno = -((struct nlmsgerr *)NLMSG_DATA(h))->error, -1;
	return n;
}

static struct req new_link(int ifindex)
{
	return (struct req){ .h = { .nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg)),
				    .nlmsg_type = RTM_NEWLINK }, .i = { .ifi_index = ifindex } };
}

int link_add(const char *name, const char *kind, const char *other)
{
	struct req q = new_link(0);
	struct ifinfomsg peer = { 0 };
	struct rtattr *info, *data = NULL, *p;
	char buf[4096];
	int parent = 0;

	q.h.nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	if (!strcmp(kind, "macvlan") && !(parent = if_nametoindex(other ? other : "")))
		return -1;
	attr(&q, IFLA_IFNAME, name, strlen(name) + 1);
	if (parent)
		attr(&q, IFLA_LINK, &parent, sizeof(parent));
	info = attr(&q, IFLA_LINKINFO, NULL, 0);
	attr(&q, IFLA_INFO_KIND, kind, strlen(kind));
	if (!strcmp(kind, "veth") && other) {
		data = attr(&q, IFLA_INFO_DATA, NULL, 0);
		p = attr(&q, VETH_INFO_PEER, &peer, sizeof(peer));
		attr(&q, IFLA_IFNAME, other, strlen(other) + 1);
		end(&q, p);
	} else if (parent) {
		unsigned mode = MACVLAN_MODE_BRIDGE;

		data = attr(&q, IFLA_INFO_DATA, NULL, 0);
		attr(&q, IFLA_MACVLAN_MODE, &mode, sizeof(mode));
	}
	if (data)
		end(&q, data);
	end(&q, info);
	return nl_talk(&q, buf, sizeof(buf)) < 0 ? -1 : 0;
}

int link_move(const char *name, int netns_fd)
{
	struct req q = new_link(if_nametoindex(name));
	char buf[4096];

	if (!q.i.ifi_index)
		return -1;
	attr(&q, IFLA_NET_NS_FD, &netns_fd, sizeof(netns_fd));
	return nl_talk(&q, buf, sizeof(buf)) < 0 ? -1 : 0;
}

static int set_addr(int sk, const char *name, unsigned long req, const char *ip)
{
	struct ifreq r = { 0 };
	struct sockaddr_in sin = { .sin_family = AF_INET };

	snprintf(r.ifr_name, IFNAMSIZ, "%s", name);
	inet_pton(AF_INET, ip, &sin.sin_addr);
	memcpy(&r.ifr_addr, &sin, sizeof(sin));
	return ioctl(sk, req, &r);
}

int link_set(const char *name, const char *master, const char *ip, int mtu)
{
	struct req q = new_link(if_nametoindex(name));
	struct ifreq r = { 0 };
	char buf[4096];
	int sk, ret, m = master ? (int)if_nametoindex(master) : 0;

	if (!q.i.ifi_index || (master && !m))
		return -1;
	if (master) {
		attr(&q, IFLA_MASTER, &m, sizeof(m));
		if (nl_talk(&q, buf, sizeof(buf)) < 0)
			return -1;
	}
	sk = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	snprintf(r.ifr_name, IFNAMSIZ, "%s", name);
	ret = sk < 0 || (ip && (set_addr(sk, name, SIOCSIFADDR, ip) ||
				set_addr(sk, name, SIOCSIFNETMASK, "255.255.255.0"))) ||
	      (mtu && (r.ifr_mtu = mtu, ioctl(sk, SIOCSIFMTU, &r))) || ioctl(sk, SIOCGIFFLAGS, &r) ||
	      (r.ifr_flags |= IFF_UP, ioctl(sk, SIOCSIFFLAGS, &r));
	if (sk >= 0)
		close(sk);
	return ret ? -1 : 0;
}

/* Appends the fields of a link's RTM_NEWLINK answer to out. */
static void describe(struct ifinfomsg *i, int len, char *out, size_t size)
{
	char kind[32] = "-", master[IFNAMSIZ] = "-", mac[24] = "-", extra[64] = "";
	int mtu = -1, rest = len;

	for (struct rtattr *a = IFLA_RTA(i); RTA_OK(a, rest); a = RTA_NEXT(a, rest)) {
		unsigned char *d = RTA_DATA(a);

		if (a->rta_type == IFLA_MTU)
			mtu = *(int *)d;
		else if (a->rta_type == IFLA_MASTER && !if_indextoname(*(int *)d, master))
			snprintf(master, sizeof(master), "#%d", *(int *)d);
		else if (a->rta_type == IFLA_ADDRESS && RTA_PAYLOAD(a) == 6)
			snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", d[0], d[1], d[2], d[3], d[4], d[5]);
		else if (a->rta_type == IFLA_LINK_NETNSID)
			snprintf(extra + strlen(extra), sizeof(extra) - strlen(extra), " peer-in-other-netns");
		else if (a->rta_type == IFLA_LINKINFO) {
			int n = RTA_PAYLOAD(a);

			for (struct rtattr *b = RTA_DATA(a); RTA_OK(b, n); b = RTA_NEXT(b, n))
				if (b->rta_type == IFLA_INFO_KIND)
					snprintf(kind, sizeof(kind), "%.*s", (int)RTA_PAYLOAD(b), (char *)RTA_DATA(b));
				else if (b->rta_type == IFLA_INFO_DATA && !strcmp(kind, "macvlan")) {
					int m = RTA_PAYLOAD(b);

					for (struct rtattr *c = RTA_DATA(b); RTA_OK(c, m); c = RTA_NEXT(c, m))
						if (c->rta_type == IFLA_MACVLAN_MODE)
							snprintf(extra + strlen(extra), sizeof(extra) - strlen(extra),
								 " mode %u", *(unsigned *)RTA_DATA(c));
				}
		}
	}
	snprintf(out + strlen(out), size - strlen(out), " kind %s master %s mac %s mtu %d %s%s", kind,
		 master, mac, mtu, i->ifi_flags & IFF_UP ? "up" : "down", extra);
}

const char *link_desc(const char *name, char *out, size_t len)
{
	struct req q = new_link(if_nametoindex(name));
	char buf[8192], addr[INET_ADDRSTRLEN] = "-";
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	struct ifreq r = { 0 };
	ssize_t n;
	int sk;

	snprintf(out, len, "%s", name);
	q.h.nlmsg_type = RTM_GETLINK;
	if (!q.i.ifi_index || (n = nl_talk(&q, buf, sizeof(buf))) < 0 || h->nlmsg_type != RTM_NEWLINK) {
		snprintf(out, len, "%s missing", name);
		return out;
	}
	describe(NLMSG_DATA(h), IFLA_PAYLOAD(h), out, len);
	sk = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	snprintf(r.ifr_name, IFNAMSIZ, "%s", name);
	if (sk >= 0 && !ioctl(sk, SIOCGIFADDR, &r))
		inet_ntop(AF_INET, &((struct sockaddr_in *)&r.ifr_addr)->sin_addr, addr, sizeof(addr));
	if (sk >= 0)
		close(sk);
	snprintf(out + strlen(out), len - strlen(out), " addr %s", addr);
	return out;
}

int link_peer_index(const char *name)
{
	struct req q = new_link(if_nametoindex(name));
	char buf[8192];
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	struct ifinfomsg *i;
	int rest;

	q.h.nlmsg_type = RTM_GETLINK;
	if (!q.i.ifi_index || nl_talk(&q, buf, sizeof(buf)) < 0 || h->nlmsg_type != RTM_NEWLINK)
		return -1;
	i = NLMSG_DATA(h);
	rest = IFLA_PAYLOAD(h);
	for (struct rtattr *a = IFLA_RTA(i); RTA_OK(a, rest); a = RTA_NEXT(a, rest))
		if (a->rta_type == IFLA_LINK)
			return *(int *)RTA_DATA(a);
	return 0;
}
