#include "zdtm.h"

ZDTM_TEST(.doc = "an established connection between an IPv4 client and a dual-stack IPv6 end (v4-mapped addresses) keeps its addresses, mode and the bytes queued both ways",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "nouser samens", .opts = "--tcp-established");

#define CONNECT_FIRST
#include "socket_listen4v6.c"

#define C2S_LEN 5003    /* queued at the IPv6 end */
#define S2C_LEN 3001    /* queued at the IPv4 client */

int main(int argc, char **argv)
{
	static char c2s[C2S_LEN], s2c[S2C_LEN];
	int srv, cli, acc;

	test_init(argc, argv);
	datagen(c2s, sizeof(c2s), 41);
	datagen(s2c, sizeof(s2c), 42);
	srv = dual_stack_listener();
	if (srv < 0 && errno == EAFNOSUPPORT)
		return skip("no IPv6 in this kernel");
	cli = srv < 0 ? -1 : connect4(srv, &acc);
	if (cli < 0)
		return fail_errno("an IPv4 client connected to a dual-stack listener on [::]:%d", PORT);
	close(srv);
	if (expect_mapped(acc, cli))
		return 1;
	if (write_all(cli, c2s, sizeof(c2s)) || write_all(acc, s2c, sizeof(s2c)))
		return fail_errno("queue data both ways");

	test_daemon();
	test_waitsig();

	if (expect_mapped(acc, cli) || expect_queued("IPv4 client -> IPv6 end", acc, c2s, sizeof(c2s)) ||
	    expect_queued("IPv6 end -> IPv4 client", cli, s2c, sizeof(s2c)) || expect_traffic(cli, acc))
		return 1;
	return pass();
}
