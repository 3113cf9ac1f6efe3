#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zdtm.h"

/* sockets01-seqpacket.c includes this file with TEST_TYPE SOCK_SEQPACKET and its own declaration. */
#ifndef TEST_TYPE
#define TEST_TYPE SOCK_STREAM
ZDTM_TEST(.doc = "a unix stream pair with a -> b shut down: b reads the queued bytes then EOF, b -> a still works",
	  .flavors = ZDTM_ALL_FLAVORS);
#endif

int main(int argc, char **argv)
{
	static char ab[1500], ba[700], more[300];
	char c;
	int sk[2], n;

	test_init(argc, argv);
	datagen(ab, sizeof(ab), 1);
	datagen(ba, sizeof(ba), 2);
	datagen(more, sizeof(more), 3);
	if (socketpair(AF_UNIX, TEST_TYPE, 0, sk))
		return fail_errno("socketpair");
	if (write_all(sk[0], ab, sizeof(ab)) || write_all(sk[1], ba, sizeof(ba)))
		return fail_errno("queue data");
	if (shutdown(sk[0], SHUT_WR))
		return fail_errno("shutdown");

	test_daemon();
	test_waitsig();

	/* the shut direction: the queued bytes, then EOF, and a cannot write */
	if (expect_queued("a -> b queue", sk[1], ab, sizeof(ab)))
		return 1;
	n = recv(sk[1], &c, 1, MSG_DONTWAIT);
	if (n != 0)
		return fail_errno("b's read after the queued bytes returned %d, expected 0 (EOF)", n);
	n = send(sk[0], "x", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
	if (n >= 0 || errno != EPIPE)
		return fail_errno("a's write returned %d, expected -1 EPIPE", n);
	/* the open direction: the queued bytes, and new bytes still pass */
	if (expect_queued("b -> a queue", sk[0], ba, sizeof(ba)))
		return 1;
	n = send(sk[1], more, sizeof(more), MSG_NOSIGNAL | MSG_DONTWAIT);
	if (n != (int)sizeof(more))
		return fail_errno("b's write after C/R returned %d, expected %zu", n, sizeof(more));
	if (expect_queued("b -> a after C/R", sk[0], more, sizeof(more)))
		return 1;
	return pass();
}
