#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a TCP listener on 127.0.0.1 with a connection in its accept queue (never accepted; its client closed), dumped with --skip-in-flight: the queued connection is dropped, the listener keeps its address and accepts a new connection",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "reqrst", .dopts = "--skip-in-flight");

/* A new client is accepted, and data flows both ways. */
static int expect_accepts(int srv, struct sockaddr_storage *a, socklen_t len)
{
	int cli = socket(AF_INET, SOCK_STREAM, 0), acc;
	char c = 0;

	if (cli < 0 || connect(cli, (struct sockaddr *)a, len))
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
	socklen_t len = sizeof(a);
	char name[64], now[64];
	int srv, cli, acc;

	test_init(argc, argv);
	loopback_addr(AF_INET, 0, &a);
	srv = socket(AF_INET, SOCK_STREAM, 0);
	if (srv < 0 || bind(srv, (struct sockaddr *)&a, sizeof(struct sockaddr_in)) || listen(srv, 4) ||
	    getsockname(srv, (struct sockaddr *)&a, &len) || inet_name(srv, false, name, sizeof(name)))
		return errno == EADDRNOTAVAIL ? skip("the loopback address is not configured") :
						fail_errno("listen on 127.0.0.1");
	cli = socket(AF_INET, SOCK_STREAM, 0);
	if (cli < 0 || connect(cli, (struct sockaddr *)&a, len))   /* the handshake ends in the kernel */
		return fail_errno("connect to the listener");
	close(cli);     /* the queued connection gets the client's FIN and stays queued */

	test_daemon();
	test_waitsig();

	if (expect_str("listener state", tcp_state_name(srv), "LISTEN"))
		return 1;
	if (inet_name(srv, false, now, sizeof(now)))
		return fail_errno("getsockname of the listener after C/R");
	if (expect_str("listener address", now, name) || set_nonblock(srv, true))
		return 1;
	acc = accept(srv, NULL, NULL);
	if (acc >= 0)
		return fail("the accept queue still holds a connection (from %s), expected it dropped by --skip-in-flight",
			    inet_name(acc, true, now, sizeof(now)) ? "?" : now);
	if (errno != EAGAIN)
		return fail_errno("accept from the emptied queue: expected EAGAIN");
	if (set_nonblock(srv, false) || expect_accepts(srv, &a, len))
		return 1;
	return pass();
}
