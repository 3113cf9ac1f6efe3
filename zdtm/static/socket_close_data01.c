#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a unix datagram socket bound to a path holds three datagrams from a connected sender that has closed since: they come back in order, the name is kept and a new sender can connect to the path",
	  .flavors = ZDTM_ALL_FLAVORS);

#define NDGRAMS 3

/* Datagram i: 100 * (i + 1) bytes of seed i. */
static void dgram(int i, char *buf)
{
	datagen(buf, 100 * (i + 1), 10 + i);
}

static int expect_dgram(int sk, int i, const char *want, size_t len)
{
	char buf[512], what[64];
	ssize_t n = recv(sk, buf, sizeof(buf), MSG_DONTWAIT);

	snprintf(what, sizeof(what), "datagram %d", i);
	if (n < 0)
		return fail_errno("%s: none queued", what);
	return expect_int(what, n, len) || expect_bytes(what, buf, want, len);
}

int main(int argc, char **argv)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	char buf[512], name[sizeof(a.sun_path)];
	int srv, cli;

	test_init(argc, argv);
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", test_path("sock"));
	srv = socket(AF_UNIX, SOCK_DGRAM, 0);
	cli = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (srv < 0 || cli < 0 || bind(srv, (struct sockaddr *)&a, sizeof(a)) ||
	    connect(cli, (struct sockaddr *)&a, sizeof(a)))
		return fail_errno("a sender connected to a datagram socket on %s", a.sun_path);
	for (int i = 0; i < NDGRAMS; i++) {
		dgram(i, buf);
		if (send(cli, buf, 100 * (i + 1), 0) != 100 * (i + 1))
			return fail_errno("datagram %d", i);
	}
	close(cli);

	test_daemon();
	test_waitsig();

	for (int i = 0; i < NDGRAMS; i++) {
		char want[512];

		dgram(i, want);
		if (expect_dgram(srv, i, want, 100 * (i + 1)))
			return 1;
	}
	if (recv(srv, buf, sizeof(buf), MSG_DONTWAIT) >= 0 || errno != EAGAIN)
		return fail_errno("a datagram more than the %d sent, expected EAGAIN", NDGRAMS);
	if (unix_name(srv, false, name, sizeof(name)) || expect_str("the socket's name", name, a.sun_path))
		return 1;
	cli = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (cli < 0 || connect(cli, (struct sockaddr *)&a, sizeof(a)) || send(cli, "new", 3, 0) != 3)
		return fail_errno("a new sender connected to %s after C/R", a.sun_path);
	return expect_dgram(srv, NDGRAMS, "new", 3) ? 1 : pass();
}
