#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zdtm.h"

/* socket6_udp.c includes this file with TEST_FAMILY AF_INET6 and its own declaration,
 * socket_udplite.c with TEST_PROTO IPPROTO_UDPLITE (its sockets also get checksum coverages). */
#ifndef TEST_FAMILY
#define TEST_FAMILY AF_INET
ZDTM_TEST(.doc = "UDP sockets bound on 127.0.0.1, one connected, keep their addresses and queued datagrams with their senders",
	  .flavors = ZDTM_ALL_FLAVORS);
#endif
#ifndef TEST_PROTO
#define TEST_PROTO IPPROTO_UDP
#endif
#ifndef SOL_UDPLITE
#define SOL_UDPLITE 136
#endif
#ifndef UDPLITE_SEND_CSCOV
#define UDPLITE_SEND_CSCOV 10
#define UDPLITE_RECV_CSCOV 11
#endif
#define SEND_CSCOV(port) (port - 41241 + 20)   /* UDP-Lite: bytes the checksum covers, per socket */
#define RECV_CSCOV(port) (port - 41241 + 12)

#define PORT_A 41241    /* unconnected: two datagrams queued, from B and from C */
#define PORT_B 41242    /* connected to A: one datagram queued, from A */
#define PORT_C 41243    /* unconnected, nothing queued */

/* "127.0.0.1:41241" or "[::1]:41241" */
static const char *port_str(int port)
{
	static char buf[4][64];
	static int i;
	struct sockaddr_storage a;

	loopback_addr(TEST_FAMILY, port, &a);
	return inet_str(&a, buf[i++ % 4], sizeof(buf[0]));
}

/* getsockname (peer false) or getpeername (peer true) of fd, as a string, or the error. */
static const char *name_str(int fd, bool peer)
{
	static char buf[2][64];
	static int i;
	char *p = buf[i++ % 2];

	return inet_name(fd, peer, p, sizeof(buf[0])) ? strerror(errno) : p;
}

static int bound_socket(int port)
{
	struct sockaddr_storage a;
	socklen_t len = loopback_addr(TEST_FAMILY, port, &a);
	int fd = socket(TEST_FAMILY, SOCK_DGRAM, TEST_PROTO), snd = SEND_CSCOV(port), rcv = RECV_CSCOV(port);

	if (fd >= 0 && TEST_PROTO == IPPROTO_UDPLITE &&
	    (setsockopt(fd, SOL_UDPLITE, UDPLITE_SEND_CSCOV, &snd, sizeof(snd)) ||
	     setsockopt(fd, SOL_UDPLITE, UDPLITE_RECV_CSCOV, &rcv, sizeof(rcv)))) {
		close(fd);
		return -1;
	}
	if (fd >= 0 && bind(fd, (struct sockaddr *)&a, len)) {
		close(fd);
		return -1;
	}
	return fd;
}

static int send_to(int fd, const char *msg, int port)
{
	struct sockaddr_storage a;
	socklen_t len = loopback_addr(TEST_FAMILY, port, &a);

	return sendto(fd, msg, strlen(msg), 0, port ? (struct sockaddr *)&a : NULL, port ? len : 0) ==
	       (ssize_t)strlen(msg) ? 0 : -1;
}

/* The next datagram on fd is `want`, sent from `from_port`. */
static int expect_dgram(const char *what, int fd, const char *want, int from_port)
{
	struct sockaddr_storage a = { 0 };
	socklen_t len = sizeof(a);
	char buf[256], from[64];
	ssize_t n;

	n = recvfrom(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT, (struct sockaddr *)&a, &len);
	if (n < 0)
		return fail_errno("%s: no datagram, expected \"%s\"", what, want);
	buf[n] = 0;
	if (expect_str(what, buf, want))
		return 1;
	return expect_str("its sender", inet_str(&a, from, sizeof(from)), port_str(from_port));
}

static int expect_empty(const char *what, int fd)
{
	char buf[256];
	ssize_t n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);

	if (n >= 0) {
		buf[n] = 0;
		return fail("%s: found datagram \"%s\", expected none", what, buf);
	}
	if (errno != EAGAIN)
		return fail_errno("%s: expected no datagram (EAGAIN)", what);
	return 0;
}

/* The socket's protocol and, for UDP-Lite, its checksum coverages. */
static int expect_proto(const char *what, int fd, int port)
{
	char msg[64];

	snprintf(msg, sizeof(msg), "%s: SO_PROTOCOL", what);
	if (expect_sockopt(msg, fd, SOL_SOCKET, SO_PROTOCOL, TEST_PROTO))
		return 1;
	if (TEST_PROTO != IPPROTO_UDPLITE)
		return 0;
	snprintf(msg, sizeof(msg), "%s: UDPLITE_SEND_CSCOV", what);
	if (expect_sockopt(msg, fd, SOL_UDPLITE, UDPLITE_SEND_CSCOV, SEND_CSCOV(port)))
		return 1;
	snprintf(msg, sizeof(msg), "%s: UDPLITE_RECV_CSCOV", what);
	return expect_sockopt(msg, fd, SOL_UDPLITE, UDPLITE_RECV_CSCOV, RECV_CSCOV(port));
}

/* Names, queues, and then new traffic: B still only hears A. */
static int check(int a, int b, int c)
{
	if (expect_proto("A", a, PORT_A) || expect_proto("B", b, PORT_B) || expect_proto("C", c, PORT_C))
		return 1;
	if (expect_str("A's name", name_str(a, false), port_str(PORT_A)) ||
	    expect_str("B's name", name_str(b, false), port_str(PORT_B)) ||
	    expect_str("C's name", name_str(c, false), port_str(PORT_C)) ||
	    expect_str("A's peer", name_str(a, true), strerror(ENOTCONN)) ||
	    expect_str("B's peer", name_str(b, true), port_str(PORT_A)) ||
	    expect_str("C's peer", name_str(c, true), strerror(ENOTCONN)))
		return 1;
	if (expect_dgram("A's 1st datagram", a, "b-to-a queued", PORT_B) ||
	    expect_dgram("A's 2nd datagram", a, "c-to-a queued", PORT_C) ||
	    expect_empty("A after two datagrams", a) ||
	    expect_dgram("B's datagram", b, "a-to-b queued", PORT_A) ||
	    expect_empty("B after one datagram", b) || expect_empty("C", c))
		return 1;
	if (send_to(b, "b-to-a new", 0) || send_to(c, "c-to-b new", PORT_B) ||
	    send_to(a, "a-to-b new", PORT_B))
		return fail_errno("send after C/R");
	return expect_dgram("A's new datagram", a, "b-to-a new", PORT_B) ||
	       expect_dgram("B's new datagram (C's was filtered out)", b, "a-to-b new", PORT_A) ||
	       expect_empty("B after the new datagram", b);
}

int main(int argc, char **argv)
{
	struct sockaddr_storage peer;
	socklen_t plen = loopback_addr(TEST_FAMILY, PORT_A, &peer);
	int a, b, c;

	test_init(argc, argv);
	a = bound_socket(PORT_A);
	if (a < 0 && (errno == EAFNOSUPPORT || errno == EPROTONOSUPPORT))
		return skip("no IPv6 or no UDP-Lite in this kernel");
	if (a < 0 && errno == EADDRNOTAVAIL)
		return skip("the loopback address is not configured");
	b = bound_socket(PORT_B);
	c = bound_socket(PORT_C);
	if (a < 0 || b < 0 || c < 0)
		return fail_errno("bind UDP sockets");
	if (connect(b, (struct sockaddr *)&peer, plen))
		return fail_errno("connect B to A");
	if (send_to(b, "b-to-a queued", 0) || send_to(c, "c-to-a queued", PORT_A) ||
	    send_to(a, "a-to-b queued", PORT_B))
		return fail_errno("queue datagrams");

	test_daemon();
	test_waitsig();

	if (check(a, b, c))
		return 1;
	return pass();
}
