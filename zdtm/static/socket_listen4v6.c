#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zdtm.h"

/* socket-tcp4v6.c includes this file with CONNECT_FIRST and its own declaration. */
#ifndef CONNECT_FIRST
ZDTM_TEST(.doc = "a dual-stack TCP listener on [::] (IPV6_V6ONLY 0) keeps its port and mode: an IPv4 client connects after C/R and is seen as ::ffff:127.0.0.1",
	  .flavors = ZDTM_ALL_FLAVORS);
#endif

#define PORT 41275

/* An AF_INET6 socket listening on [::]:PORT that also takes IPv4 connections, or -1. */
static int dual_stack_listener(void)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_ANY_INIT,
				  .sin6_port = htons(PORT) };
	int srv = socket(AF_INET6, SOCK_STREAM, 0), zero = 0, one = 1;

	if (srv < 0 || setsockopt(srv, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero)) ||
	    setsockopt(srv, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(srv, (struct sockaddr *)&a, sizeof(a)) || listen(srv, 4))
		return -1;
	return srv;
}

/* An IPv4 client connected to 127.0.0.1:PORT, accepted by srv as *acc: the client, or -1. */
static int connect4(int srv, int *acc)
{
	struct sockaddr_storage a;
	socklen_t len = loopback_addr(AF_INET, PORT, &a);
	int cli = socket(AF_INET, SOCK_STREAM, 0);

	if (cli < 0 || connect(cli, (struct sockaddr *)&a, len))
		return -1;
	*acc = accept(srv, NULL, NULL);
	return *acc < 0 ? -1 : cli;
}

/* The accepted end is an AF_INET6 socket, V6ONLY 0, whose addresses are the IPv4 client's, mapped. */
static int expect_mapped(int acc, int cli)
{
	struct sockaddr_in c = { 0 };
	socklen_t len = sizeof(c);
	char found[80], want[80];

	if (getsockname(cli, (struct sockaddr *)&c, &len) || inet_name(acc, true, found, sizeof(found)))
		return fail_errno("the client's name, the accepted end's peer");
	snprintf(want, sizeof(want), "[::ffff:127.0.0.1]:%d", ntohs(c.sin_port));
	if (expect_str("the accepted end's peer", found, want))
		return 1;
	if (inet_name(acc, false, found, sizeof(found)))
		return fail_errno("the accepted end's name");
	snprintf(want, sizeof(want), "[::ffff:127.0.0.1]:%d", PORT);
	return expect_str("the accepted end's own address", found, want) ||
	       expect_sockopt("IPV6_V6ONLY of the accepted end", acc, IPPROTO_IPV6, IPV6_V6ONLY, 0);
}

/* One byte each way between the two ends. */
static int expect_traffic(int cli, int acc)
{
	char c = 0;

	if (write(cli, "c", 1) != 1 || read(acc, &c, 1) != 1 || c != 'c')
		return fail_errno("IPv4 client -> IPv6 end: read '%c', expected 'c'", c);
	if (write(acc, "s", 1) != 1 || read(cli, &c, 1) != 1 || c != 's')
		return fail_errno("IPv6 end -> IPv4 client: read '%c', expected 's'", c);
	return 0;
}

#ifndef CONNECT_FIRST
int main(int argc, char **argv)
{
	char found[80];
	int srv, cli, acc;

	test_init(argc, argv);
	srv = dual_stack_listener();
	if (srv < 0 && errno == EAFNOSUPPORT)
		return skip("no IPv6 in this kernel");
	if (srv < 0)
		return fail_errno("a dual-stack listener on [::]:%d", PORT);

	test_daemon();
	test_waitsig();

	if (inet_name(srv, false, found, sizeof(found)))
		return fail_errno("the listener's name");
	if (expect_str("the listener's address", found, "[::]:41275") ||
	    expect_sockopt("IPV6_V6ONLY of the listener", srv, IPPROTO_IPV6, IPV6_V6ONLY, 0))
		return 1;
	cli = connect4(srv, &acc);
	if (cli < 0)
		return fail_errno("an IPv4 client connects to 127.0.0.1:%d after C/R", PORT);
	if (expect_mapped(acc, cli) || expect_traffic(cli, acc))
		return 1;
	return pass();
}
#endif
