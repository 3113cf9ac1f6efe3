#include <sys/socket.h>
#include <sys/un.h>
#include <stdio.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "self-test: a state criu 4.x refuses (crfail): a connection still in a unix listen "
		 "queue with data written to it",
	  .flavors = ZDTM_FLAVOR_H, .flags = "crfail");

int main(int argc, char **argv)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int srv, cli;

	test_init(argc, argv);
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", test_path("sock"));
	srv = socket(AF_UNIX, SOCK_STREAM, 0);
	cli = socket(AF_UNIX, SOCK_STREAM, 0);
	if (srv < 0 || cli < 0 || bind(srv, (void *)&addr, sizeof(addr)) || listen(srv, 4))
		return fail_errno("listening socket");
	if (connect(cli, (void *)&addr, sizeof(addr)) || write(cli, "queued", 6) != 6)
		return fail_errno("connect and write");
	test_daemon();
	test_waitsig();
	return pass();
}
