#include <linux/icmp.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "raw IPv4 and IPv6 sockets of several protocols keep their protocol, bound address, IP_HDRINCL, ICMP_FILTER and ICMPV6_FILTER, and still receive their protocol's packets",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "suid");

#define PROTO_X 253     /* "use for experimentation and testing" (RFC 3692) */

enum { ICMP4, RAW4, X4, X6, ICMP6, NR };
static const struct sk {
	const char *name;
	int family, proto;
	bool bind;
} sks[NR] = {
	[ICMP4] = { "ICMP (ICMP_FILTER)", AF_INET, IPPROTO_ICMP, false },
	[RAW4] = { "IPPROTO_RAW", AF_INET, IPPROTO_RAW, false },
	[X4] = { "IPv4 proto 253 (IP_HDRINCL, bound)", AF_INET, PROTO_X, true },
	[X6] = { "IPv6 proto 253 (bound)", AF_INET6, PROTO_X, true },
	[ICMP6] = { "ICMPv6 (ICMPV6_FILTER)", AF_INET6, IPPROTO_ICMPV6, false },
};
static const struct icmp_filter icmp_filter = { ~((1u << ICMP_ECHO) | (1u << ICMP_TIMESTAMP)) };
static struct icmp6_filter icmp6_filter;

/* "family 2 type 3 proto 253 name 127.0.0.1:0 hdrincl 1 filter 0x..." of one socket */
static const char *sk_str(int fd, int i, char *buf, size_t len)
{
	int type = -1, proto = -1, hdrincl = -1;
	socklen_t l = sizeof(int);
	char name[64] = "-";
	size_t off;

	getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &l);
	getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &l);
	if (sks[i].family == AF_INET)
		getsockopt(fd, IPPROTO_IP, IP_HDRINCL, &hdrincl, &l);
	if (inet_name(fd, false, name, sizeof(name)))
		snprintf(name, sizeof(name), "(%s)", strerror(errno));
	off = snprintf(buf, len, "type %d proto %d name %s hdrincl %d", type, proto, name, hdrincl);
	if (i == ICMP4) {
		struct icmp_filter f = { 0 };
		socklen_t fl = sizeof(f);

		getsockopt(fd, SOL_RAW, ICMP_FILTER, &f, &fl);
		snprintf(buf + off, len - off, " icmp_filter 0x%08x", f.data);
	} else if (i == ICMP6) {
		struct icmp6_filter f = { 0 };
		socklen_t fl = sizeof(f);

		getsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f, &fl);
		snprintf(buf + off, len - off, " icmp6_filter %s",
			 memcmp(&f, &icmp6_filter, sizeof(f)) ? "other" : "as set");
	}
	return buf;
}

static int make(int i)
{
	struct sockaddr_storage a;
	socklen_t len = loopback_addr(sks[i].family, 0, &a);
	int fd = socket(sks[i].family, SOCK_RAW, sks[i].proto), one = 1;

	if (fd < 0)
		return -1;
	if ((i == X4 && setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one))) ||
	    (i == ICMP4 && setsockopt(fd, SOL_RAW, ICMP_FILTER, &icmp_filter, sizeof(icmp_filter))) ||
	    (i == ICMP6 && setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &icmp6_filter, sizeof(icmp6_filter))) ||
	    (sks[i].bind && bind(fd, (struct sockaddr *)&a, len)))
		return -1;
	return fd;
}

/* A packet of protocol 253 sent to the loopback address reaches the bound socket of its family. */
static int expect_receives(int fd, int family)
{
	struct sockaddr_storage a;
	socklen_t len = loopback_addr(family, 0, &a);
	int s = socket(family, SOCK_RAW, PROTO_X);
	char buf[256];
	ssize_t n;

	if (s < 0 || sendto(s, "zdtm-raw", 8, 0, (struct sockaddr *)&a, len) != 8)
		return fail_errno("send a protocol 253 packet to the loopback");
	close(s);
	n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);   /* IPv4: with its header; IPv6: the payload */
	if (n < 8 || memcmp(buf + n - 8, "zdtm-raw", 8))
		return fail_errno("the bound %s socket received %zd bytes, expected the packet sent",
				  family == AF_INET ? "IPv4" : "IPv6", n);
	return 0;
}

int main(int argc, char **argv)
{
	char before[NR][160], now[160];
	int fd[NR];

	test_init(argc, argv);
	ICMP6_FILTER_SETBLOCKALL(&icmp6_filter);
	ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &icmp6_filter);
	ICMP6_FILTER_SETPASS(ND_NEIGHBOR_ADVERT, &icmp6_filter);
	for (int i = 0; i < NR; i++) {
		fd[i] = make(i);
		if (fd[i] < 0 && sks[i].family == AF_INET6 && (errno == EAFNOSUPPORT || errno == EADDRNOTAVAIL))
			return skip("no IPv6 loopback here");
		if (fd[i] < 0)
			return fail_errno("raw socket %s", sks[i].name);
		sk_str(fd[i], i, before[i], sizeof(before[i]));
		test_msg("%s: %s", sks[i].name, before[i]);
	}

	test_daemon();
	test_waitsig();

	for (int i = 0; i < NR; i++)
		if (expect_str(sks[i].name, sk_str(fd[i], i, now, sizeof(now)), before[i]))
			return 1;
	if (expect_receives(fd[X4], AF_INET) || expect_receives(fd[X6], AF_INET6))
		return 1;
	return pass();
}
