#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "zdtm.h"

/* sockets03-seqpacket.c includes this file with TEST_TYPE SOCK_SEQPACKET and its own declaration. */
#ifndef TEST_TYPE
#define TEST_TYPE SOCK_STREAM
ZDTM_TEST(.doc = "a unix stream client shut down for writing before it connected to a path-bound listener: it cannot write, while its accepted end (no shutdown of its own) sees no EOF and still writes to it",
	  .flavors = ZDTM_ALL_FLAVORS);
#endif

/* The shutdown states: the client's write fails (EPIPE), what the accepted end writes arrives at
 * the client, and the accepted end has nothing to read and no EOF (EAGAIN). */
static int expect_mismatch(int cli, int acc, const char *when)
{
	char c = 0;
	ssize_t n;

	n = send(cli, "x", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
	if (n >= 0 || errno != EPIPE)
		return fail_errno("%s: a write on the client shut down for writing returned %zd, expected EPIPE", when, n);
	if (send(acc, "a", 1, MSG_NOSIGNAL) != 1 || recv(cli, &c, 1, 0) != 1 || c != 'a')
		return fail_errno("%s: accepted end -> client: read '%c', expected 'a'", when, c ? c : '-');
	n = recv(acc, &c, 1, MSG_DONTWAIT);
	if (n >= 0 || errno != EAGAIN)
		return fail_errno("%s: a read on the accepted end returned %zd, expected EAGAIN (no data, no EOF)", when, n);
	return 0;
}

/* The listener still takes a new client. */
static int expect_accepts(int srv, const struct sockaddr_un *addr)
{
	int cli = socket(AF_UNIX, TEST_TYPE, 0), acc;
	char c = 0;

	if (cli < 0 || connect(cli, (const struct sockaddr *)addr, sizeof(*addr)) || (acc = accept(srv, NULL, NULL)) < 0)
		return fail_errno("a new client of the listener after C/R");
	if (send(cli, "n", 1, MSG_NOSIGNAL) != 1 || recv(acc, &c, 1, 0) != 1 || c != 'n')
		return fail_errno("new client -> its accepted end: read '%c', expected 'n'", c ? c : '-');
	return 0;
}

int main(int argc, char **argv)
{
	static char queued[1000];
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int srv, cli, acc;

	test_init(argc, argv);
	datagen(queued, sizeof(queued), 3);
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", test_path("sock"));
	srv = socket(AF_UNIX, TEST_TYPE, 0);
	cli = socket(AF_UNIX, TEST_TYPE, 0);
	if (srv < 0 || cli < 0 || bind(srv, (struct sockaddr *)&addr, sizeof(addr)) || listen(srv, 4))
		return fail_errno("a listener on %s", addr.sun_path);
	if (shutdown(cli, SHUT_WR))     /* before connect: nothing tells the peer */
		return fail_errno("shutdown(SHUT_WR) of the unconnected client");
	if (connect(cli, (struct sockaddr *)&addr, sizeof(addr)) || (acc = accept(srv, NULL, NULL)) < 0)
		return fail_errno("connect and accept");
	if (expect_mismatch(cli, acc, "before C/R") || write_all(acc, queued, sizeof(queued)))
		return 1;

	test_daemon();
	test_waitsig();

	if (expect_queued("accepted end -> client queue", cli, queued, sizeof(queued)) ||
	    expect_accepts(srv, &addr) || expect_mismatch(cli, acc, "after C/R"))
		return 1;
	return pass();
}
