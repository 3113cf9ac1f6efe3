#include <net/if.h>
#include <string.h>
#include <sys/socket.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a UDP socket bound to a device (SO_BINDTODEVICE lo) keeps the binding and still receives",
	  .flavors = ZDTM_ALL_FLAVORS);

#define PORT 41276

int main(int argc, char **argv)
{
	struct sockaddr_storage a;
	socklen_t len = loopback_addr(AF_INET, PORT, &a), dlen;
	char dev[IFNAMSIZ] = "", buf[4] = "";
	int srv, cli;

	test_init(argc, argv);
	srv = socket(AF_INET, SOCK_DGRAM, 0);
	cli = socket(AF_INET, SOCK_DGRAM, 0);
	if (srv < 0 || cli < 0 || setsockopt(srv, SOL_SOCKET, SO_BINDTODEVICE, "lo", 3))
		return fail_errno("a UDP socket bound to the device lo");
	if (bind(srv, (struct sockaddr *)&a, len))
		return fail_errno("bind to 127.0.0.1:%d", PORT);

	test_daemon();
	test_waitsig();

	dlen = sizeof(dev);
	if (getsockopt(srv, SOL_SOCKET, SO_BINDTODEVICE, dev, &dlen))
		return fail_errno("SO_BINDTODEVICE");
	if (expect_str("the bound device", dev, "lo"))
		return 1;
	if (sendto(cli, "hi", 3, 0, (struct sockaddr *)&a, len) != 3 || recv(srv, buf, sizeof(buf), 0) != 3)
		return fail_errno("a datagram to 127.0.0.1:%d after C/R", PORT);
	if (expect_str("the datagram", buf, "hi"))
		return 1;
	return pass();
}
