#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a TCP end whose connection was reset (its peer closed with SO_LINGER 0, sending an RST) keeps its CLOSE state, its bound address and the pending ECONNRESET",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "nouser samens", .opts = "--tcp-established");

int main(int argc, char **argv)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	char before[64], now[64], c;
	int fd[2], err = -1;
	socklen_t len = sizeof(err);

	test_init(argc, argv);
	if (tcp_pair(AF_INET, 0, fd))
		return fail_errno("connect over 127.0.0.1");
	if (setsockopt(fd[1], SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)) || close(fd[1]))
		return fail_errno("close the peer with SO_LINGER 0 (an RST)");
	for (int ms = 0; ms < 5000 && strcmp(tcp_state_name(fd[0]), "CLOSE"); ms++)
		usleep(1000);   /* the RST travels over lo */
	if (expect_str("the reset end's state", tcp_state_name(fd[0]), "CLOSE"))
		return 1;
	inet_name(fd[0], false, before, sizeof(before));

	test_daemon();
	test_waitsig();

	if (expect_str("the reset end's state", tcp_state_name(fd[0]), "CLOSE") ||
	    expect_str("its own address", inet_name(fd[0], false, now, sizeof(now)) ? strerror(errno) : now, before))
		return 1;
	if (getsockopt(fd[0], SOL_SOCKET, SO_ERROR, &err, &len))
		return fail_errno("SO_ERROR");
	if (expect_str("the pending error (SO_ERROR)", strerror(err), strerror(ECONNRESET)))
		return 1;
	if (expect_int("a read after the error (EOF)", read(fd[0], &c, 1), 0) ||
	    expect_int("a write on the reset end", send(fd[0], "x", 1, MSG_NOSIGNAL), -1) ||
	    expect_str("its errno", strerror(errno), strerror(EPIPE)))
		return 1;
	return pass();
}
