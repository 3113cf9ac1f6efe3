#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a listening unix socket keeps a connected, not yet accepted client and its queued bytes",
	  .flavors = ZDTM_ALL_FLAVORS);

static socklen_t make_addr(struct sockaddr_un *a, const char *path)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	strncpy(a->sun_path, path, sizeof(a->sun_path) - 1);
	return offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1;
}

/* The client is still connected to the path and the server end reaches it. */
static int expect_link(int cli, int acc, const char *path)
{
	char name[sizeof(struct sockaddr_un)], c = 0;

	if (unix_name(cli, true, name, sizeof(name)))
		return fail_errno("getpeername of the client");
	if (expect_str("client's peer name", name, path))
		return 1;
	if (write(acc, "r", 1) != 1 || read(cli, &c, 1) != 1 || c != 'r')
		return fail_errno("server -> client after C/R: read '%c', expected 'r'", c);
	return 0;
}

int main(int argc, char **argv)
{
	static char data[3000], buf[sizeof(data) + 1];
	const char *path;
	struct sockaddr_un addr;
	socklen_t len;
	int srv, cli, acc, n;

	test_init(argc, argv);
	path = test_path("test.sock");
	len = make_addr(&addr, path);
	datagen(data, sizeof(data), 7);
	unlink(path);
	srv = socket(AF_UNIX, SOCK_STREAM, 0);
	if (srv < 0 || bind(srv, (struct sockaddr *)&addr, len) || listen(srv, 4))
		return fail_errno("listen on %s", path);
	cli = socket(AF_UNIX, SOCK_STREAM, 0);
	if (cli < 0 || connect(cli, (struct sockaddr *)&addr, len))
		return fail_errno("connect to %s", path);
	if (write_all(cli, data, sizeof(data)))
		return fail_errno("queue data");

	test_daemon();
	test_waitsig();

	if (set_nonblock(srv, true))
		return fail_errno("O_NONBLOCK on the listener");
	acc = accept4(srv, NULL, NULL, SOCK_NONBLOCK);
	if (acc < 0)
		return fail_errno("accept after C/R: no pending connection");
	n = recv(acc, buf, sizeof(buf), MSG_DONTWAIT);
	if (n < 0)
		return fail_errno("recv on the accepted socket");
	if (n != (int)sizeof(data))
		return fail("accepted socket holds %d bytes, expected %zu", n, sizeof(data));
	if (expect_bytes("accepted data", buf, data, sizeof(data)) || expect_link(cli, acc, path))
		return 1;
	if (accept4(srv, NULL, NULL, SOCK_NONBLOCK) >= 0)
		return fail("a second connection was pending, expected only one");
	return pass();
}
