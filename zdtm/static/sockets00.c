#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "zdtm.h"

/* sockets00-seqpacket.c includes this file with TEST_TYPE SOCK_SEQPACKET and its own declaration. */
#ifndef TEST_TYPE
#define TEST_TYPE SOCK_STREAM
ZDTM_TEST(.doc = "a unix stream listener on a path, a client and its accepted end with data queued both ways",
	  .flavors = ZDTM_ALL_FLAVORS);
#endif

static struct sockaddr_un addr = { .sun_family = AF_UNIX };

/* The name getsockname (peer false) or getpeername (peer true) gives; "" when unnamed. */
static int expect_name(const char *what, int sk, bool peer, const char *want)
{
	char name[sizeof(struct sockaddr_un)];

	if (unix_name(sk, peer, name, sizeof(name)))
		return fail_errno("%s", what);
	return expect_str(what, name, want);
}

static int expect_accepts(int srv)
{
	int cli = socket(AF_UNIX, TEST_TYPE, 0), acc;
	char c = 0;

	if (cli < 0 || connect(cli, (struct sockaddr *)&addr, sizeof(addr)))
		return fail_errno("a new connection to the listener after C/R");
	acc = accept4(srv, NULL, NULL, SOCK_NONBLOCK);
	if (acc < 0)
		return fail_errno("accept after C/R");
	if (write(cli, "n", 1) != 1 || read(acc, &c, 1) != 1 || c != 'n')
		return fail_errno("new connection: read '%c', expected 'n'", c);
	close(acc);
	close(cli);
	return 0;
}

int main(int argc, char **argv)
{
	static char to_srv[3000], to_cli[1500];
	const char *path;
	int srv, cli, acc;

	test_init(argc, argv);
	path = test_path("sock");
	strncpy(addr.sun_path, path, sizeof(addr.sun_path) - 1);
	datagen(to_srv, sizeof(to_srv), 41);
	datagen(to_cli, sizeof(to_cli), 42);
	unlink(path);
	srv = socket(AF_UNIX, TEST_TYPE, 0);
	if (srv < 0 || bind(srv, (struct sockaddr *)&addr, sizeof(addr)) || listen(srv, 4))
		return fail_errno("listen on %s", path);
	cli = socket(AF_UNIX, TEST_TYPE, 0);
	if (cli < 0 || connect(cli, (struct sockaddr *)&addr, sizeof(addr)))
		return fail_errno("connect to %s", path);
	acc = accept(srv, NULL, NULL);
	if (acc < 0)
		return fail_errno("accept");
	if (write_all(cli, to_srv, sizeof(to_srv)) || write_all(acc, to_cli, sizeof(to_cli)))
		return fail_errno("queue data");

	test_daemon();
	test_waitsig();

	if (expect_name("listener's name", srv, false, path) ||
	    expect_name("client's name", cli, false, "") ||
	    expect_name("client's peer", cli, true, path) ||
	    expect_name("accepted end's name", acc, false, path) ||
	    expect_name("accepted end's peer", acc, true, ""))
		return 1;
	if (expect_queued("client -> server", acc, to_srv, sizeof(to_srv)) ||
	    expect_queued("server -> client", cli, to_cli, sizeof(to_cli)) ||
	    expect_accepts(srv))
		return 1;
	return pass();
}
