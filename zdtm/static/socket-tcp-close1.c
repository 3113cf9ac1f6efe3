#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a TCP listener on 127.0.0.1 and a connection it accepted, dumped and restored with --tcp-close: the listener keeps listening on its address and accepts a new connection; the accepted one comes back closed",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "nouser reqrst", .opts = "--tcp-close");

int main(int argc, char **argv)
{
	struct sockaddr_storage ss;
	char name[64], after[64];
	socklen_t len = sizeof(ss);
	int lsk, cli, acc, cli2, acc2;

	test_init(argc, argv);
	lsk = socket(AF_INET, SOCK_STREAM, 0);
	cli = socket(AF_INET, SOCK_STREAM, 0);
	loopback_addr(AF_INET, 0, &ss);
	if (lsk < 0 || cli < 0 || bind(lsk, (struct sockaddr *)&ss, sizeof(struct sockaddr_in)) ||
	    listen(lsk, 8) || getsockname(lsk, (struct sockaddr *)&ss, &len))
		return fail_errno("listen on 127.0.0.1");
	if (connect(cli, (struct sockaddr *)&ss, len) || (acc = accept(lsk, NULL, NULL)) < 0)
		return fail_errno("connect to the listener and accept");
	inet_name(lsk, false, name, sizeof(name));

	test_daemon();
	test_waitsig();

	if (expect_str("listener state", tcp_state_name(lsk), "LISTEN") ||
	    expect_str("accepted end state", tcp_state_name(acc), "CLOSE") ||
	    expect_str("client end state", tcp_state_name(cli), "CLOSE"))
		return 1;
	if (inet_name(lsk, false, after, sizeof(after)))
		return fail_errno("getsockname of the listener");
	if (expect_str("listener address", after, name))
		return 1;
	cli2 = socket(AF_INET, SOCK_STREAM, 0);
	if (cli2 < 0 || connect(cli2, (struct sockaddr *)&ss, len))
		return fail_errno("a new connect to the listener at %s", name);
	acc2 = accept(lsk, NULL, NULL);
	if (acc2 < 0)
		return fail_errno("accept a new connection");
	if (write_all(cli2, "hi", 2) || read_all(acc2, after, 2) != 2 || memcmp(after, "hi", 2))
		return fail("the new connection does not carry data");
	return pass();
}
