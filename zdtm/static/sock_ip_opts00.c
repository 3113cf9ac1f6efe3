#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "IP-level options (IP_TOS, IP_TTL, IP_FREEBIND, IP_RECVERR, IP_PKTINFO; IPV6_V6ONLY, IPV6_UNICAST_HOPS, ...) of UDP, TCP and IPv6 UDP sockets",
	  .flavors = ZDTM_ALL_FLAVORS);

#define PORT 41276

enum { UDP4, TCP4, UDP6, NR_SOCKS };
static const char *const sock_name[NR_SOCKS] = { "UDP", "TCP listener", "UDP6" };

static const struct opt {
	int sock;
	const char *name;
	int level, opt, val;    /* val: unusual, none a default */
} opts[] = {
	{ UDP4, "IP_TOS", IPPROTO_IP, IP_TOS, IPTOS_THROUGHPUT },
	{ UDP4, "IP_TTL", IPPROTO_IP, IP_TTL, 39 },
	{ UDP4, "IP_FREEBIND", IPPROTO_IP, IP_FREEBIND, 1 },
	{ UDP4, "IP_RECVERR", IPPROTO_IP, IP_RECVERR, 1 },
	{ UDP4, "IP_PKTINFO", IPPROTO_IP, IP_PKTINFO, 1 },
	{ UDP4, "IP_RECVTTL", IPPROTO_IP, IP_RECVTTL, 1 },
	{ TCP4, "IP_TOS", IPPROTO_IP, IP_TOS, IPTOS_RELIABILITY },
	{ TCP4, "IP_TTL", IPPROTO_IP, IP_TTL, 201 },
	{ TCP4, "IP_FREEBIND", IPPROTO_IP, IP_FREEBIND, 1 },
	{ TCP4, "IP_RECVERR", IPPROTO_IP, IP_RECVERR, 1 },
	{ TCP4, "IP_PKTINFO", IPPROTO_IP, IP_PKTINFO, 1 },
	{ UDP6, "IPV6_V6ONLY", IPPROTO_IPV6, IPV6_V6ONLY, 1 },
	{ UDP6, "IPV6_UNICAST_HOPS", IPPROTO_IPV6, IPV6_UNICAST_HOPS, 17 },
	{ UDP6, "IPV6_TCLASS", IPPROTO_IPV6, IPV6_TCLASS, 0x28 },
	{ UDP6, "IPV6_RECVERR", IPPROTO_IPV6, IPV6_RECVERR, 1 },
	{ UDP6, "IPV6_RECVPKTINFO", IPPROTO_IPV6, IPV6_RECVPKTINFO, 1 },
	{ UDP6, "IPV6_FREEBIND", IPPROTO_IPV6, IPV6_FREEBIND, 1 },
};
#define NR_OPTS (sizeof(opts) / sizeof(opts[0]))

static int sockopt(int fd, const struct opt *o)
{
	int val = -1;
	socklen_t len = sizeof(val);

	if (getsockopt(fd, o->level, o->opt, &val, &len))
		return -errno;
	return val;
}

/* Every option; the message lists each one that differs. */
static int expect_opts(int sk[NR_SOCKS])
{
	char diff[1024] = "";
	size_t len = 0;

	for (size_t i = 0; i < NR_OPTS; i++) {
		const struct opt *o = &opts[i];

		if (sockopt(sk[o->sock], o) != o->val && len < sizeof(diff))
			len += snprintf(diff + len, sizeof(diff) - len, "%s%s %s %d, expected %d", len ? "; " : "",
					sock_name[o->sock], o->name, sockopt(sk[o->sock], o), o->val);
	}
	return len ? fail("%s", diff) : 0;
}

/* The sockets are bound (UDP, UDP6) and listening (TCP): in use, not just created. */
static int make_socks(int sk[NR_SOCKS])
{
	struct sockaddr_in a4 = { .sin_family = AF_INET, .sin_port = htons(PORT),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_port = htons(PORT),
				   .sin6_addr = IN6ADDR_LOOPBACK_INIT };

	sk[UDP4] = socket(AF_INET, SOCK_DGRAM, 0);
	sk[TCP4] = socket(AF_INET, SOCK_STREAM, 0);
	sk[UDP6] = socket(AF_INET6, SOCK_DGRAM, 0);
	if (sk[UDP6] < 0 && errno == EAFNOSUPPORT)
		return skip("no IPv6 in this kernel");
	if (sk[UDP4] < 0 || sk[TCP4] < 0 || sk[UDP6] < 0)
		return fail_errno("socket");
	for (size_t i = 0; i < NR_OPTS; i++)
		if (setsockopt(sk[opts[i].sock], opts[i].level, opts[i].opt, &opts[i].val, sizeof(int)))
			return fail_errno("%s: setsockopt %s", sock_name[opts[i].sock], opts[i].name);
	if (bind(sk[UDP4], (struct sockaddr *)&a4, sizeof(a4)) ||
	    bind(sk[TCP4], (struct sockaddr *)&a4, sizeof(a4)) || listen(sk[TCP4], 1))
		return fail_errno("bind to 127.0.0.1:%d", PORT);
	if (bind(sk[UDP6], (struct sockaddr *)&a6, sizeof(a6)))
		return errno == EADDRNOTAVAIL ? skip("::1 is not configured") : fail_errno("bind to [::1]:%d", PORT);
	return 0;
}

int main(int argc, char **argv)
{
	int sk[NR_SOCKS], ret;

	test_init(argc, argv);
	ret = make_socks(sk);
	if (ret)
		return ret;
	if (expect_opts(sk))
		return 1;

	test_daemon();
	test_waitsig();

	if (expect_opts(sk))
		return 1;
	return pass();
}
