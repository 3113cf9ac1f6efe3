#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zdtm.h"

/* socket-tcp6-local.c includes this file with TEST_FAMILY AF_INET6 and its own declaration,
 * socket-tcp4v6-local.c with TCP_4V6: an AF_INET6 listener on [::] (IPV6_V6ONLY 0, any free port)
 * and IPv4 clients, whose accepted ends see v4-mapped addresses. */
#define TCP_4V6 46
#ifndef TEST_FAMILY
#define TEST_FAMILY AF_INET
ZDTM_TEST(.doc = "one process holds a TCP listener on 127.0.0.1 and an accepted pair whose client end is shut down for writing, with data queued both ways",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "nouser samens", .opts = "--tcp-established");
#endif

#define PORT (TEST_FAMILY == AF_INET ? 41261 : TEST_FAMILY == AF_INET6 ? 41262 : 0)
#define CLIENT_FAMILY (TEST_FAMILY == TCP_4V6 ? AF_INET : TEST_FAMILY)
#define C2S_LEN 3333    /* queued at the server end, followed by the client's FIN */
#define S2C_LEN 5555    /* queued at the client end */

/* "local A peer B" of fd */
static const char *ends_str(int fd, char *buf, size_t len)
{
	char local[64], peer[64];

	if (inet_name(fd, false, local, sizeof(local)) || inet_name(fd, true, peer, sizeof(peer)))
		return strerror(errno);
	snprintf(buf, len, "local %s peer %s", local, peer);
	return buf;
}

/* fd holds exactly `len` bytes equal to `want`, then (if eof) the end of the stream. */
static int expect_queue(const char *what, int fd, const char *want, int len, bool eof)
{
	char c;

	if (expect_queued(what, fd, want, len))
		return 1;
	if (eof && recv(fd, &c, 1, MSG_DONTWAIT) != 0)
		return fail_errno("%s: expected the end of the stream after the data", what);
	return 0;
}

/* After the queues: the server end still writes to the client, the client end cannot write. */
static int expect_half_closed(int cli, int acc)
{
	char c = 0;

	if (send(acc, "s", 1, MSG_NOSIGNAL) != 1 || read(cli, &c, 1) != 1 || c != 's')
		return fail_errno("server -> client after C/R: read '%c', expected 's'", c ? c : '-');
	if (send(cli, "c", 1, MSG_NOSIGNAL) != -1 || errno != EPIPE)
		return fail_errno("a write on the client end shut down for writing: expected EPIPE");
	return 0;
}

/* The listener still accepts a new connection. */
static int expect_listening(int srv, struct sockaddr_storage *a, socklen_t len)
{
	int c = socket(CLIENT_FAMILY, SOCK_STREAM, 0), acc;

	if (c < 0 || connect(c, (struct sockaddr *)a, len))
		return fail_errno("connect to the listener after C/R");
	acc = accept(srv, NULL, NULL);
	if (acc < 0)
		return fail_errno("accept after C/R");
	return 0;
}

/* A listener on the loopback at PORT (TCP_4V6: on [::], dual-stack, any free port), and in *a the
 * address its clients connect to. The listener, or -1. */
static int listener(struct sockaddr_storage *a, socklen_t *len)
{
	int srv = socket(TEST_FAMILY == TCP_4V6 ? AF_INET6 : TEST_FAMILY, SOCK_STREAM, 0), zero = 0;
	struct sockaddr_in6 any = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_ANY_INIT };
	struct sockaddr_in6 bound;
	socklen_t blen = sizeof(bound);

	if (srv < 0)
		return -1;
	if (TEST_FAMILY != TCP_4V6) {
		*len = loopback_addr(TEST_FAMILY, PORT, a);
		return bind(srv, (struct sockaddr *)a, *len) || listen(srv, 4) ? -1 : srv;
	}
	if (setsockopt(srv, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero)) ||
	    bind(srv, (struct sockaddr *)&any, sizeof(any)) || listen(srv, 4) ||
	    getsockname(srv, (struct sockaddr *)&bound, &blen))
		return -1;
	*len = loopback_addr(AF_INET, ntohs(bound.sin6_port), a);
	return srv;
}

int main(int argc, char **argv)
{
	static char c2s[C2S_LEN], s2c[S2C_LEN];
	struct sockaddr_storage a;
	socklen_t len;
	char ends[2][160], now[160];
	int srv, cli, acc;

	test_init(argc, argv);
	datagen(c2s, sizeof(c2s), 3);
	datagen(s2c, sizeof(s2c), 4);
	srv = listener(&a, &len);
	if (srv < 0 && errno == EAFNOSUPPORT)
		return skip("no IPv6 in this kernel");
	if (srv < 0)
		return errno == EADDRNOTAVAIL ? skip("no IPv6 loopback here") : fail_errno("listen on port %d", PORT);
	cli = socket(CLIENT_FAMILY, SOCK_STREAM, 0);
	if (cli < 0 || connect(cli, (struct sockaddr *)&a, len))
		return fail_errno("connect");
	acc = accept(srv, NULL, NULL);
	if (acc < 0)
		return fail_errno("accept");
	if (write_all(cli, c2s, sizeof(c2s)) || write_all(acc, s2c, sizeof(s2c)))
		return fail_errno("queue data");
	if (shutdown(cli, SHUT_WR))
		return fail_errno("shutdown(SHUT_WR)");
	while (strcmp(tcp_state_name(acc), "CLOSE_WAIT") || strcmp(tcp_state_name(cli), "FIN_WAIT2"))
		usleep(1000);   /* the FIN and its ACK travel over lo */
	ends_str(cli, ends[0], sizeof(ends[0]));
	ends_str(acc, ends[1], sizeof(ends[1]));
	if (TEST_FAMILY == TCP_4V6 && strncmp(ends[1], "local [::ffff:127.0.0.1]:", 25))
		return fail("the accepted end is %s, expected v4-mapped addresses", ends[1]);

	test_daemon();
	test_waitsig();

	if (expect_str("client end", ends_str(cli, now, sizeof(now)), ends[0]) ||
	    expect_str("server end", ends_str(acc, now, sizeof(now)), ends[1]) ||
	    expect_str("client end state", tcp_state_name(cli), "FIN_WAIT2") ||
	    expect_str("server end state", tcp_state_name(acc), "CLOSE_WAIT") ||
	    expect_str("listener state", tcp_state_name(srv), "LISTEN"))
		return 1;
	if (expect_queue("client -> server queue", acc, c2s, sizeof(c2s), true) ||
	    expect_queue("server -> client queue", cli, s2c, sizeof(s2c), false) ||
	    expect_half_closed(cli, acc) || expect_listening(srv, &a, len))
		return 1;
	return pass();
}
