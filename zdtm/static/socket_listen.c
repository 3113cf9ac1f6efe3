#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zdtm.h"

/* socket_listen6.c includes this file with TEST_FAMILY AF_INET6 and its own declaration. */
#ifndef TEST_FAMILY
#define TEST_FAMILY AF_INET
ZDTM_TEST(.doc = "a TCP socket listening on 127.0.0.1 keeps its port, backlog and SO_REUSEADDR; a client connects after C/R",
	  .flavors = ZDTM_ALL_FLAVORS);
#endif

#define PORT 41231
#define BACKLOG 7

/* The backlog of the TCP socket listening on `port`, as sock_diag reports it, or -1. */
static int listen_backlog(int port)
{
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req_v2 r;
	} req = {
		.nlh = { .nlmsg_len = sizeof(req), .nlmsg_type = SOCK_DIAG_BY_FAMILY,
			 .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP },
		.r = { .sdiag_family = TEST_FAMILY, .sdiag_protocol = IPPROTO_TCP,
		       .idiag_states = 1 << TCP_LISTEN },
	};
	static char buf[16384];
	int fd, found = -1;
	ssize_t n;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd < 0)
		return -1;
	if (send(fd, &req, sizeof(req), 0) != sizeof(req))
		goto out;
	while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) {
		struct nlmsghdr *h;

		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			struct inet_diag_msg *m = NLMSG_DATA(h);

			if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR)
				goto out;
			if (ntohs(m->id.idiag_sport) == port)
				found = m->idiag_wqueue;    /* max backlog for a listener */
		}
	}
out:
	close(fd);
	return found;
}

/* The listener is bound where it was and listens with the same backlog and options. */
static int expect_listener(int srv)
{
	struct sockaddr_storage want;
	char found[80], expected[80];

	loopback_addr(TEST_FAMILY, PORT, &want);
	if (inet_name(srv, false, found, sizeof(found)))
		return fail_errno("getsockname");
	if (expect_str("bound address", found, inet_str(&want, expected, sizeof(expected))))
		return 1;
	if (expect_sockopt("SO_ACCEPTCONN", srv, SOL_SOCKET, SO_ACCEPTCONN, 1) ||
	    expect_sockopt("SO_TYPE", srv, SOL_SOCKET, SO_TYPE, SOCK_STREAM) ||
	    expect_sockopt("SO_REUSEADDR", srv, SOL_SOCKET, SO_REUSEADDR, 1))
		return 1;
	if (TEST_FAMILY == AF_INET6 && expect_sockopt("IPV6_V6ONLY", srv, IPPROTO_IPV6, IPV6_V6ONLY, 1))
		return 1;
	return expect_int("listen backlog (sock_diag)", listen_backlog(PORT), BACKLOG);
}

/* Nothing is pending, a new client connects, and data flows both ways. */
static int expect_accepts(int srv)
{
	struct sockaddr_storage a;
	socklen_t len = loopback_addr(TEST_FAMILY, PORT, &a);
	int cli, acc;
	char c = 0;

	if (set_nonblock(srv, true))
		return fail_errno("O_NONBLOCK on the listener");
	if (accept(srv, NULL, NULL) >= 0 || errno != EAGAIN)
		return fail_errno("accept before connecting: expected EAGAIN");
	cli = socket(TEST_FAMILY, SOCK_STREAM, 0);
	if (cli < 0 || connect(cli, (struct sockaddr *)&a, len))
		return fail_errno("connect to the listener after C/R");
	acc = accept(srv, NULL, NULL);
	if (acc < 0)
		return fail_errno("accept after C/R");
	if (write(cli, "c", 1) != 1 || read(acc, &c, 1) != 1 || c != 'c')
		return fail_errno("client -> server: read '%c', expected 'c'", c);
	if (write(acc, "s", 1) != 1 || read(cli, &c, 1) != 1 || c != 's')
		return fail_errno("server -> client: read '%c', expected 's'", c);
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_storage a;
	socklen_t len = loopback_addr(TEST_FAMILY, PORT, &a);
	int srv, one = 1;

	test_init(argc, argv);
	srv = socket(TEST_FAMILY, SOCK_STREAM, 0);
	if (srv < 0 && errno == EAFNOSUPPORT)
		return skip("no IPv6 in this kernel");
	if (srv < 0 || setsockopt(srv, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)))
		return fail_errno("socket");
	if (TEST_FAMILY == AF_INET6 && setsockopt(srv, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)))
		return fail_errno("IPV6_V6ONLY");
	if (bind(srv, (struct sockaddr *)&a, len)) {
		if (errno == EADDRNOTAVAIL)
			return skip("the loopback address is not configured");
		return fail_errno("bind to port %d", PORT);
	}
	if (listen(srv, BACKLOG))
		return fail_errno("listen");
	if (listen_backlog(PORT) != BACKLOG)
		return fail("sock_diag shows backlog %d before C/R, expected %d", listen_backlog(PORT), BACKLOG);

	test_daemon();
	test_waitsig();

	if (expect_listener(srv) || expect_accepts(srv))
		return 1;
	return pass();
}
