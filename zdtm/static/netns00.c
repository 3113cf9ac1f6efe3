#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "the test's network namespace: lo up with MTU 16000, a second address 127.0.0.2/8 (lo:1), ip_forward 1",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid noemptyns");

#define LO_MTU 16000
#define FORWARD "/proc/sys/net/ipv4/ip_forward"

/* Every IPv4 address of the namespace, in the order SIOCGIFCONF lists them. */
static const struct {
	const char *label, *addr, *mask;
} addrs[] = { { "lo", "127.0.0.1", "255.0.0.0" }, { "lo:1", "127.0.0.2", "255.0.0.0" } };
#define NADDRS (sizeof(addrs) / sizeof(addrs[0]))

static int sk;

static int set_addr(const char *label, unsigned long req, const char *addr)
{
	struct ifreq ifr = { 0 };
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;

	strncpy(ifr.ifr_name, label, IFNAMSIZ - 1);
	sin->sin_family = AF_INET;
	inet_pton(AF_INET, addr, &sin->sin_addr);
	return ioctl(sk, req, &ifr);
}

static const char *get_addr(const char *label, unsigned long req)
{
	static char buf[2][INET_ADDRSTRLEN];
	static int n;
	struct ifreq ifr = { 0 };

	strncpy(ifr.ifr_name, label, IFNAMSIZ - 1);
	if (ioctl(sk, req, &ifr))
		return "(none)";
	n = !n;
	return inet_ntop(AF_INET, &((struct sockaddr_in *)&ifr.ifr_addr)->sin_addr, buf[n], sizeof(buf[n]));
}

static int expect_addrs(void)
{
	struct ifreq list[16];
	struct ifconf ifc = { .ifc_len = sizeof(list), .ifc_req = list };

	if (ioctl(sk, SIOCGIFCONF, &ifc))
		return fail_errno("SIOCGIFCONF");
	if (expect_int("IPv4 addresses in the namespace", ifc.ifc_len / sizeof(list[0]), NADDRS))
		return 1;
	for (size_t i = 0; i < NADDRS; i++)
		if (expect_str("address label", list[i].ifr_name, addrs[i].label) ||
		    expect_str(addrs[i].label, get_addr(addrs[i].label, SIOCGIFADDR), addrs[i].addr) ||
		    expect_str(addrs[i].label, get_addr(addrs[i].label, SIOCGIFNETMASK), addrs[i].mask))
			return 1;
	return 0;
}

static int expect_lo(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	char fwd[8] = "";
	int fd;

	if (ioctl(sk, SIOCGIFFLAGS, &ifr))
		return fail_errno("SIOCGIFFLAGS lo");
	if ((ifr.ifr_flags & (IFF_UP | IFF_RUNNING)) != (IFF_UP | IFF_RUNNING))
		return fail("lo flags %#x, expected IFF_UP and IFF_RUNNING", ifr.ifr_flags);
	if (ioctl(sk, SIOCGIFMTU, &ifr))
		return fail_errno("SIOCGIFMTU lo");
	if (expect_int("lo MTU", ifr.ifr_mtu, LO_MTU))
		return 1;
	fd = open(FORWARD, O_RDONLY);
	if (fd < 0 || read(fd, fwd, sizeof(fwd) - 1) < 0)
		return fail_errno("read %s", FORWARD);
	close(fd);
	fwd[strcspn(fwd, "\n")] = 0;
	return expect_str(FORWARD, fwd, "1");
}

int main(int argc, char **argv)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd;

	test_init(argc, argv);
	sk = socket(AF_INET, SOCK_DGRAM, 0);
	if (sk < 0)
		return fail_errno("socket");
	if (ioctl(sk, SIOCGIFFLAGS, &ifr))
		return fail_errno("SIOCGIFFLAGS lo");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(sk, SIOCSIFFLAGS, &ifr))
		return fail_errno("bring lo up");
	ifr.ifr_mtu = LO_MTU;
	if (ioctl(sk, SIOCSIFMTU, &ifr))
		return fail_errno("SIOCSIFMTU lo %d", LO_MTU);
	for (size_t i = 0; i < NADDRS; i++)
		if (set_addr(addrs[i].label, SIOCSIFADDR, addrs[i].addr) ||
		    set_addr(addrs[i].label, SIOCSIFNETMASK, addrs[i].mask))
			return fail_errno("%s %s/%s", addrs[i].label, addrs[i].addr, addrs[i].mask);
	fd = open(FORWARD, O_WRONLY);
	if (fd < 0 || write_all(fd, "1", 1) || close(fd))
		return fail_errno("write %s", FORWARD);
	if (expect_lo() || expect_addrs())
		return 1;

	test_daemon();
	test_waitsig();

	if (expect_lo() || expect_addrs())
		return 1;
	return pass();
}
