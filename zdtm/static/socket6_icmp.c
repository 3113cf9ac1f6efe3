#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an IPv6 ping socket (SOCK_DGRAM, IPPROTO_ICMPV6) bound to ::1 keeps its echo id and still pings ::1",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "suid samens noemptyns");

#define ECHO_ID 0x5a16  /* a ping socket's "port" is the id of its echo requests */
#define PAYLOAD 56
#define RANGE "/proc/sys/net/ipv4/ping_group_range"   /* IPv6 ping sockets obey it too */

/* Ping sockets are for the groups in ping_group_range (default: none); the job's netns is its own. */
static int allow_ping(void)
{
	char range[64];
	int fd, len;

	len = snprintf(range, sizeof(range), "%d %d", (int)getgid(), (int)getgid());
	fd = open(RANGE, O_WRONLY);
	if (fd < 0 || write(fd, range, len) != len)
		return -1;
	return close(fd);
}

/* One echo request with sequence seq to ::1 and its reply: "" when the reply matches. */
static const char *ping(int fd, int seq)
{
	static char why[128];
	struct sockaddr_storage to;
	socklen_t len = loopback_addr(AF_INET6, 0, &to);
	struct {
		struct icmp6_hdr h;
		char data[PAYLOAD];
	} req = { .h = { .icmp6_type = ICMP6_ECHO_REQUEST, .icmp6_seq = htons(seq) } }, rep;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;

	datagen(req.data, sizeof(req.data), seq);
	if (sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&to, len) != sizeof(req))
		return snprintf(why, sizeof(why), "sendto: %s", strerror(errno)), why;
	if (poll(&p, 1, 5000) != 1)
		return "no echo reply within 5 s";
	n = recv(fd, &rep, sizeof(rep), 0);
	if (n != sizeof(rep))
		return snprintf(why, sizeof(why), "reply of %zd bytes, expected %zu", n, sizeof(rep)), why;
	if (rep.h.icmp6_type != ICMP6_ECHO_REPLY || ntohs(rep.h.icmp6_id) != ECHO_ID || ntohs(rep.h.icmp6_seq) != seq)
		return snprintf(why, sizeof(why), "reply type %d id %#x seq %d, expected type %d id %#x seq %d",
				rep.h.icmp6_type, ntohs(rep.h.icmp6_id), ntohs(rep.h.icmp6_seq), ICMP6_ECHO_REPLY,
				ECHO_ID, seq), why;
	if (memcmp(rep.data, req.data, sizeof(req.data)))
		return "the reply's payload differs from the request's";
	return "";
}

static int expect_bound(int fd)
{
	char name[64], want[64];

	snprintf(want, sizeof(want), "[::1]:%d", ECHO_ID);
	if (inet_name(fd, false, name, sizeof(name)))
		return fail_errno("getsockname");
	return expect_str("bound to", name, want) ||
	       expect_sockopt("SO_PROTOCOL", fd, SOL_SOCKET, SO_PROTOCOL, IPPROTO_ICMPV6);
}

int main(int argc, char **argv)
{
	struct sockaddr_storage a;
	socklen_t len = loopback_addr(AF_INET6, ECHO_ID, &a);
	int fd;

	test_init(argc, argv);
	if (allow_ping())
		return skip("cannot open ping sockets to gid %d: write %s: %s", (int)getgid(), RANGE, strerror(errno));
	fd = socket(AF_INET6, SOCK_DGRAM, IPPROTO_ICMPV6);
	if (fd < 0 && (errno == EPROTONOSUPPORT || errno == EACCES || errno == EAFNOSUPPORT))
		return skip("no IPv6 ping sockets: %s", strerror(errno));
	if (fd < 0)
		return fail_errno("socket(AF_INET6, SOCK_DGRAM, IPPROTO_ICMPV6)");
	if (bind(fd, (struct sockaddr *)&a, len))
		return errno == EADDRNOTAVAIL ? skip("::1 is not configured") : fail_errno("bind to ::1 id %#x", ECHO_ID);
	if (expect_bound(fd) || expect_str("ping before C/R", ping(fd, 1), ""))
		return 1;

	test_daemon();
	test_waitsig();

	if (expect_bound(fd) || expect_str("ping after C/R", ping(fd, 2), ""))
		return 1;
	return pass();
}
