#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <arpa/inet.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a TUN device (IFF_TUN | IFF_NO_PI) held through its /dev/net/tun fd, up with 10.10.0.1/24: name, flags and address kept; a datagram routed into it is read from the fd",
	  .flavors = ZDTM_FLAVOR_NS, .flags = "suid noemptyns", .features = "tun");

#define NAME "zdtm-tun0"

/* The ns root's /dev has no net/tun: the test makes the node (10, 200). */
static int tun_open(void)
{
	if (mkdir("/dev/net", 0755) && errno != EEXIST)
		return -1;
	if (mknod("/dev/net/tun", S_IFCHR | 0600, makedev(10, 200)) && errno != EEXIST)
		return -1;
	return open("/dev/net/tun", O_RDWR);
}

static int set_ifreq(int sk, unsigned long req, const char *ip)
{
	struct ifreq r = { .ifr_name = NAME };
	struct sockaddr_in sin = { .sin_family = AF_INET };

	inet_pton(AF_INET, ip, &sin.sin_addr);
	memcpy(&r.ifr_addr, &sin, sizeof(sin));
	return ioctl(sk, req, &r);
}

/* A UDP datagram to 10.10.0.2 leaves through the tun: the fd reads an IPv4 packet to that address. */
static int expect_packet(int tun)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(41282) };
	char buf[1500];
	struct iphdr *ip = (struct iphdr *)buf;
	int sk = socket(AF_INET, SOCK_DGRAM, 0);
	ssize_t n;

	inet_pton(AF_INET, "10.10.0.2", &to.sin_addr);
	if (sk < 0 || sendto(sk, "tun", 4, 0, (struct sockaddr *)&to, sizeof(to)) != 4)
		return fail_errno("a datagram to 10.10.0.2");
	do {   /* skip what else the kernel sends out (IPv6 router solicitations...); 3 s at most */
		struct pollfd p = { .fd = tun, .events = POLLIN };

		n = poll(&p, 1, 3000) == 1 ? read(tun, buf, sizeof(buf)) : -1;
	} while (n > 0 && (ip->version != 4 || ip->daddr != to.sin_addr.s_addr));
	if (n < 0)
		return fail_errno("read the tun fd: no IPv4 packet to 10.10.0.2");
	return expect_int("protocol of the packet read", ip->protocol, IPPROTO_UDP);
}

int main(int argc, char **argv)
{
	struct ifreq r = { .ifr_name = NAME, .ifr_flags = IFF_TUN | IFF_NO_PI };
	int tun, sk;

	test_init(argc, argv);
	tun = tun_open();
	if (tun < 0)
		return errno == EPERM ? skip("cannot make /dev/net/tun here: %s", strerror(errno))
				      : fail_errno("open /dev/net/tun");
	sk = socket(AF_INET, SOCK_DGRAM, 0);
	if (ioctl(tun, TUNSETIFF, &r) || set_ifreq(sk, SIOCSIFADDR, "10.10.0.1") ||
	    set_ifreq(sk, SIOCSIFNETMASK, "255.255.255.0"))
		return fail_errno("TUNSETIFF %s, 10.10.0.1/24", NAME);
	r.ifr_flags = IFF_UP;
	if (ioctl(sk, SIOCSIFFLAGS, &r))
		return fail_errno("%s up", NAME);

	test_daemon();
	test_waitsig();

	memset(&r, 0, sizeof(r));
	if (ioctl(tun, TUNGETIFF, &r))
		return fail_errno("TUNGETIFF");
	if (expect_str("the tun fd's device", r.ifr_name, NAME) ||
	    expect_int("its flags", r.ifr_flags & (IFF_TUN | IFF_TAP | IFF_NO_PI), IFF_TUN | IFF_NO_PI))
		return 1;
	return expect_packet(tun) ? 1 : pass();
}
