#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zdtm.h"

/* socket-tcp6-unconn.c includes this file with TEST_FAMILY AF_INET6 and its own declaration. */
#ifndef TEST_FAMILY
#define TEST_FAMILY AF_INET
ZDTM_TEST(.doc = "a TCP socket bound to 127.0.0.1 but neither listening nor connected, and an unbound one, keep their names and SO_REUSEADDR and can still listen and connect",
	  .flavors = ZDTM_ALL_FLAVORS);
#endif

#define PORT (TEST_FAMILY == AF_INET ? 41271 : 41270)

static int sockopt(int fd, int level, int opt)
{
	int val = -1;
	socklen_t len = sizeof(val);

	if (getsockopt(fd, level, opt, &val, &len))
		return -errno;
	return val;
}

/* Name, SO_REUSEADDR, no SO_ACCEPTCONN, TCP_CLOSE: an idle socket as it was made. */
static int expect_idle(const char *what, int fd, const char *name, int reuse)
{
	char buf[64], msg[80];

	snprintf(msg, sizeof(msg), "%s: getsockname", what);
	if (expect_str(msg, inet_name(fd, false, buf, sizeof(buf)) ? strerror(errno) : buf, name))
		return 1;
	snprintf(msg, sizeof(msg), "%s: SO_REUSEADDR", what);
	if (expect_int(msg, sockopt(fd, SOL_SOCKET, SO_REUSEADDR), reuse))
		return 1;
	snprintf(msg, sizeof(msg), "%s: SO_ACCEPTCONN", what);
	if (expect_int(msg, sockopt(fd, SOL_SOCKET, SO_ACCEPTCONN), 0))
		return 1;
	snprintf(msg, sizeof(msg), "%s: TCP state", what);
	return expect_str(msg, tcp_state_name(fd), "CLOSE");
}

/* The kernel still holds the port for the bound socket: a socket without SO_REUSEADDR cannot take it. */
static int expect_port_taken(struct sockaddr_storage *a, socklen_t len)
{
	int fd = socket(TEST_FAMILY, SOCK_STREAM, 0), ret = 0;

	if (fd < 0)
		return fail_errno("socket");
	if (!bind(fd, (struct sockaddr *)a, len))
		ret = fail("a second bind to the loopback port %d succeeded, expected EADDRINUSE: the port is not held", PORT);
	else if (errno != EADDRINUSE)
		ret = fail_errno("a second bind to the loopback port %d: expected EADDRINUSE", PORT);
	close(fd);
	return ret;
}

/* The bound socket listens, the unbound one connects to it, a byte goes through. */
static int expect_usable(int bound, int unbound, struct sockaddr_storage *a, socklen_t len)
{
	char c = 0;
	int acc;

	if (listen(bound, 1))
		return fail_errno("listen on the bound socket after C/R");
	if (connect(unbound, (struct sockaddr *)a, len))
		return fail_errno("connect the unbound socket after C/R");
	acc = accept(bound, NULL, NULL);
	if (acc < 0)
		return fail_errno("accept after C/R");
	if (write(unbound, "u", 1) != 1 || read(acc, &c, 1) != 1 || c != 'u')
		return fail_errno("a byte over the new connection: read '%c', expected 'u'", c ? c : '-');
	close(acc);
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_storage a;
	socklen_t len = loopback_addr(TEST_FAMILY, PORT, &a);
	const char *any = TEST_FAMILY == AF_INET ? "0.0.0.0:0" : "[::]:0";
	char name[64];
	int bound, unbound, one = 1;

	test_init(argc, argv);
	bound = socket(TEST_FAMILY, SOCK_STREAM, 0);
	unbound = socket(TEST_FAMILY, SOCK_STREAM, 0);
	if ((bound < 0 || unbound < 0) && errno == EAFNOSUPPORT)
		return skip("no IPv6 in this kernel");
	if (bound < 0 || unbound < 0)
		return fail_errno("socket");
	if (setsockopt(bound, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)))
		return fail_errno("SO_REUSEADDR");
	if (bind(bound, (struct sockaddr *)&a, len))
		return errno == EADDRNOTAVAIL ? skip("no IPv6 loopback here") : fail_errno("bind to the loopback port %d", PORT);
	inet_str(&a, name, sizeof(name));
	if (expect_idle("bound socket", bound, name, 1) || expect_idle("unbound socket", unbound, any, 0))
		return 1;

	test_daemon();
	test_waitsig();

	if (expect_idle("bound socket", bound, name, 1) || expect_idle("unbound socket", unbound, any, 0))
		return 1;
	if (expect_port_taken(&a, len) || expect_usable(bound, unbound, &a, len))
		return 1;
	return pass();
}
