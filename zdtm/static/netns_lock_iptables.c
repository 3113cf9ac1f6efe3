#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zdtm.h"

#ifndef LOCK
ZDTM_TEST(.doc = "criu's network lock (iptables) on the test's own network namespace is lifted after restore: the ruleset is the test's own again (an inet table dropping 127.0.0.3, nothing of the lock), and traffic flows: data queued both ways on an established TCP connection arrives, new data goes both ways, a listener accepts a new connection, datagrams to 127.0.0.1 and ::1 arrive while 127.0.0.3 stays dropped. ns and uns only: criu locks a network namespace it dumps, and only there is the namespace the test's",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid noemptyns", .opts = "--tcp-established --network-lock iptables");
#define LOCK "iptables"
#endif

#define PORT 41291   /* the listener (TCP) and the datagram socket (UDP) */
#define DROPPED "127.0.0.3"

/* Whether a datagram sent to ip:PORT reaches rx within 300 ms. */
static int arrives(int rx, const char *ip)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(PORT) };
	struct pollfd p = { .fd = rx, .events = POLLIN };
	int tx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), got;
	char c;

	inet_pton(AF_INET, ip, &to.sin_addr);
	if (tx < 0 || sendto(tx, "x", 1, 0, (struct sockaddr *)&to, sizeof(to)) != 1)
		return -1;
	close(tx);
	got = poll(&p, 1, 300) == 1;
	if (got)
		recv(rx, &c, 1, 0);
	return got;
}

/* Whether a datagram sent to [::1]:PORT reaches rx6 within 300 ms (criu locks IPv6 too). */
static int arrives6(int rx6)
{
	struct sockaddr_in6 to = { .sin6_family = AF_INET6, .sin6_port = htons(PORT), .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	struct pollfd p = { .fd = rx6, .events = POLLIN };
	int tx = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0), got;
	char c;

	if (tx < 0 || sendto(tx, "x", 1, 0, (struct sockaddr *)&to, sizeof(to)) != 1)
		return -1;
	close(tx);
	got = poll(&p, 1, 300) == 1;
	if (got)
		recv(rx6, &c, 1, 0);
	return got;
}

/* Whether a new connection to 127.0.0.1:PORT is accepted by lsn within 3 s. */
static int accepted(int lsn)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(PORT) };
	struct pollfd p = { .fd = lsn, .events = POLLIN };
	int sk = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), got, a;

	inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
	if (sk < 0 || (connect(sk, (struct sockaddr *)&to, sizeof(to)) && errno != EINPROGRESS))
		return -1;
	got = poll(&p, 1, 3000) == 1;
	if (got && (a = accept(lsn, NULL, NULL)) >= 0)
		close(a);
	close(sk);
	return got;
}

/* The next strlen(want) bytes of sk (3 s at most) are want. */
static int expect_recv(int sk, const char *want, const char *what)
{
	char buf[64] = "";
	size_t len = strlen(want), got = 0;

	while (got < len) {
		struct pollfd p = { .fd = sk, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, 3000) != 1)
			return fail("%s: %zu bytes \"%.*s\" in 3 s, expected \"%s\"", what, got, (int)got, buf, want);
		n = recv(sk, buf + got, len - got, 0);
		if (n <= 0)
			return fail_errno("%s: recv after %zu bytes, expected \"%s\"", what, got, want);
		got += n;
	}
	return expect_str(what, buf, want);
}

int main(int argc, char **argv)
{
	struct sockaddr_in any = { .sin_family = AF_INET, .sin_port = htons(PORT) };
	char before[2048], after[2048];
	struct sockaddr_in6 any6 = { .sin6_family = AF_INET6, .sin6_port = htons(PORT), .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	int fd[2], lsn, rx, rx6;

	test_init(argc, argv);
	rx = socket(AF_INET, SOCK_DGRAM, 0);
	lsn = socket(AF_INET, SOCK_STREAM, 0);
	rx6 = socket(AF_INET6, SOCK_DGRAM, 0);
	if (rx6 < 0 || bind(rx6, (struct sockaddr *)&any6, sizeof(any6)))
		return fail_errno("a UDP socket at [::1]:%d", PORT);
	if (rx < 0 || bind(rx, (struct sockaddr *)&any, sizeof(any)))
		return fail_errno("a UDP socket at *:%d", PORT);
	if (lsn < 0 || bind(lsn, (struct sockaddr *)&any, sizeof(any)) || listen(lsn, 4))
		return fail_errno("a TCP listener at *:%d", PORT);
	if (tcp_pair(AF_INET, 0, fd))
		return fail_errno("a TCP pair over loopback");
	if (nft_drop_rule(NFPROTO_INET, "zdtm", "in", DROPPED))
		return errno == EPERM || errno == EOPNOTSUPP ? skip("no nf_tables here: %s", strerror(errno))
							     : fail_errno("nf_tables table zdtm chain in");
	if (arrives(rx, DROPPED) != 0 || arrives(rx, "127.0.0.1") != 1 || accepted(lsn) != 1 ||
	    arrives6(rx6) != 1)
		return fail("before C/R: the filter does not work as set (%s dropped, 127.0.0.1 and ::1 open)", DROPPED);
	if (write_all(fd[0], "queued to 1", 11) || write_all(fd[1], "queued to 0", 11))
		return fail_errno("queue data on the connection");
	usleep(200 * 1000);   /* the counters settle: the last ACKs are through */
	if (nft_ruleset(before, sizeof(before)) < 0)
		return fail_errno("read the ruleset");
	test_msg("ruleset before: %s", before);

	test_daemon();
	test_waitsig();

	if (nft_ruleset(after, sizeof(after)) < 0)
		return fail_errno("read the ruleset");
	if (expect_recv(fd[1], "queued to 1", "data queued to end 1 before C/R") ||
	    expect_recv(fd[0], "queued to 0", "data queued to end 0 before C/R"))
		return 1;
	if (write_all(fd[0], "new to 1", 8) || expect_recv(fd[1], "new to 1", "new data to end 1"))
		return 1;
	if (write_all(fd[1], "new to 0", 8) || expect_recv(fd[0], "new to 0", "new data to end 0"))
		return 1;
	if (accepted(lsn) != 1)
		return fail("a new connection to 127.0.0.1:%d was not accepted within 3 s", PORT);
	if (arrives(rx, "127.0.0.1") != 1)
		return fail("a datagram to 127.0.0.1:%d did not arrive", PORT);
	if (arrives6(rx6) != 1)
		return fail("a datagram to [::1]:%d did not arrive", PORT);
	if (arrives(rx, DROPPED) != 0)
		return fail("a datagram to %s:%d arrived: the test's rule does not drop it", DROPPED, PORT);
	if (expect_str("ruleset (criu's " LOCK " lock must be gone)", after, before))   /* read before the traffic */
		return 1;
	return pass();
}
