#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a unix datagram socket bound to a path that was unlinked, with datagrams queued from two senders connected to it: queue, name and both connections kept, the path still absent",
	  .flavors = ZDTM_ALL_FLAVORS);

int main(int argc, char **argv)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	char name[sizeof(a)], buf[16];
	int rx, tx[2];
	struct stat st;

	test_init(argc, argv);
	strncpy(a.sun_path, test_path("sock"), sizeof(a.sun_path) - 1);
	rx = socket(AF_UNIX, SOCK_DGRAM, 0);
	tx[0] = socket(AF_UNIX, SOCK_DGRAM, 0);
	tx[1] = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (rx < 0 || tx[0] < 0 || tx[1] < 0 || bind(rx, (struct sockaddr *)&a, sizeof(a)))
		return fail_errno("bind %s", a.sun_path);
	for (int i = 0; i < 2; i++)
		if (connect(tx[i], (struct sockaddr *)&a, sizeof(a)))
			return fail_errno("connect sender %d", i);
	if (send(tx[0], "one", 4, 0) != 4 || send(tx[1], "two", 4, 0) != 4 || send(tx[0], "three", 6, 0) != 6)
		return fail_errno("queue datagrams");
	if (unlink(a.sun_path))
		return fail_errno("unlink %s", a.sun_path);

	test_daemon();
	test_waitsig();

	if (unix_name(rx, false, name, sizeof(name)) || expect_str("the receiver's name", name, a.sun_path))
		return 1;
	if (lstat(a.sun_path, &st) == 0 || errno != ENOENT)
		return fail("%s exists again or cannot be looked up (%s), expected ENOENT", a.sun_path, strerror(errno));
	for (int i = 0; i < 2; i++)
		if (unix_name(tx[i], true, name, sizeof(name)) || expect_str("a sender's peer", name, a.sun_path))
			return 1;
	if (expect_queued("datagram 1", rx, "one", 4) || expect_queued("datagram 2", rx, "two", 4) ||
	    expect_queued("datagram 3", rx, "three", 6))
		return 1;
	if (send(tx[1], "four", 5, 0) != 5)
		return fail_errno("a sender sends after C/R");
	if (expect_queued("datagram after C/R", rx, "four", 5))
		return 1;
	return recv(rx, buf, sizeof(buf), MSG_DONTWAIT) < 0 && errno == EAGAIN ? pass() : fail("more datagrams queued");
}
