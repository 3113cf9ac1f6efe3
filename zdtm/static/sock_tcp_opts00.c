#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "TCP_CORK on one end of an established connection stays set (the other end stays uncorked); a corked write still arrives once uncorked",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "nouser samens", .opts = "--tcp-established");

int main(int argc, char **argv)
{
	int fd[2], one = 1, zero = 0;

	test_init(argc, argv);
	if (tcp_pair(AF_INET, 0, fd))
		return fail_errno("connect over 127.0.0.1");
	if (setsockopt(fd[0], IPPROTO_TCP, TCP_CORK, &one, sizeof(one)))
		return fail_errno("TCP_CORK");

	test_daemon();
	test_waitsig();

	if (expect_sockopt("TCP_CORK of the corked end", fd[0], IPPROTO_TCP, TCP_CORK, 1) ||
	    expect_sockopt("TCP_CORK of the other end", fd[1], IPPROTO_TCP, TCP_CORK, 0))
		return 1;
	if (write(fd[0], "corked", 7) != 7 || setsockopt(fd[0], IPPROTO_TCP, TCP_CORK, &zero, sizeof(zero)))
		return fail_errno("a write, then TCP_CORK 0");
	if (expect_queued("the write made while corked", fd[1], "corked", 7))
		return 1;
	return pass();
}
