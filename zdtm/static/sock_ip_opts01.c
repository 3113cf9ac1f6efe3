#include <netinet/in.h>
#include <netinet/ip.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "IP-level options whose defaults are not zero, set to zero (IP_MULTICAST_LOOP, IP_MULTICAST_ALL, IP_MULTICAST_TTL, IP_MTU_DISCOVER DONT; IPV6_MULTICAST_LOOP, IPV6_MULTICAST_HOPS, IPV6_MTU_DISCOVER DONT) on bound UDP sockets",
	  .flavors = ZDTM_ALL_FLAVORS);

enum { UDP4, UDP6, NR_SOCKS };
static const char *const sock_name[NR_SOCKS] = { "UDP", "UDP6" };

static const struct opt {
	int sock;
	const char *name;
	int level, opt;
} opts[] = {
	{ UDP4, "IP_MULTICAST_LOOP", IPPROTO_IP, IP_MULTICAST_LOOP },
	{ UDP4, "IP_MULTICAST_ALL", IPPROTO_IP, IP_MULTICAST_ALL },
	{ UDP4, "IP_MULTICAST_TTL", IPPROTO_IP, IP_MULTICAST_TTL },
	{ UDP4, "IP_MTU_DISCOVER", IPPROTO_IP, IP_MTU_DISCOVER },     /* 0: IP_PMTUDISC_DONT */
	{ UDP6, "IPV6_MULTICAST_LOOP", IPPROTO_IPV6, IPV6_MULTICAST_LOOP },
	{ UDP6, "IPV6_MULTICAST_HOPS", IPPROTO_IPV6, IPV6_MULTICAST_HOPS },
	{ UDP6, "IPV6_MTU_DISCOVER", IPPROTO_IPV6, IPV6_MTU_DISCOVER },
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

/* Every option is 0; the message lists each one that is not. */
static int expect_zero(int sk[NR_SOCKS])
{
	char diff[1024] = "";
	size_t len = 0;

	for (size_t i = 0; i < NR_OPTS; i++) {
		int v = sockopt(sk[opts[i].sock], &opts[i]);

		if (v && len < sizeof(diff))
			len += snprintf(diff + len, sizeof(diff) - len, "%s%s %s %d, expected 0", len ? "; " : "",
					sock_name[opts[i].sock], opts[i].name, v);
	}
	return len ? fail("%s", diff) : 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_storage a;
	socklen_t len;
	int sk[NR_SOCKS], zero = 0;

	test_init(argc, argv);
	for (int s = 0; s < NR_SOCKS; s++) {
		int family = s == UDP4 ? AF_INET : AF_INET6;

		sk[s] = socket(family, SOCK_DGRAM, 0);
		if (sk[s] < 0 && errno == EAFNOSUPPORT)
			return skip("no IPv6 in this kernel");
		len = loopback_addr(family, 0, &a);
		if (sk[s] < 0 || bind(sk[s], (struct sockaddr *)&a, len))
			return errno == EADDRNOTAVAIL ? skip("no IPv6 loopback here") : fail_errno("bind %s", sock_name[s]);
	}
	for (size_t i = 0; i < NR_OPTS; i++) {
		if (sockopt(sk[opts[i].sock], &opts[i]) == 0)
			return fail("%s %s is 0 by default: the test would check nothing", sock_name[opts[i].sock], opts[i].name);
		if (setsockopt(sk[opts[i].sock], opts[i].level, opts[i].opt, &zero, sizeof(zero)))
			return fail_errno("%s: setsockopt %s 0", sock_name[opts[i].sock], opts[i].name);
	}
	if (expect_zero(sk))
		return 1;

	test_daemon();
	test_waitsig();

	return expect_zero(sk) ? 1 : pass();
}
