#include <sys/socket.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "both ends of a unix socketpair in flight in one SCM_RIGHTS message (their only references), one with data queued for the other: received after C/R, they are still a pair",
	  .flavors = ZDTM_ALL_FLAVORS);

int main(int argc, char **argv)
{
	int sk[2], in[2], got[2] = { -1, -1 }, nfds = 2;
	char buf[16] = "";

	test_init(argc, argv);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sk) || socketpair(AF_UNIX, SOCK_STREAM, 0, in))
		return fail_errno("socketpair");
	if (write(in[0], "queued", 6) != 6)
		return fail_errno("queue data in the inner pair");
	if (scm_send(sk[0], "pair", 5, in, 2))
		return fail_errno("send both ends of the inner pair");
	close(in[0]);   /* the pair lives only in the message now */
	close(in[1]);

	test_daemon();
	test_waitsig();

	if (scm_recv(sk[1], buf, sizeof(buf), got, &nfds) != 5 || nfds != 2)
		return fail_errno("the message with the pair: %d fds, expected 2", nfds);
	if (expect_str("message", buf, "pair") || expect_queued("data queued in the pair", got[1], "queued", 6))
		return 1;
	if (write(got[1], "back", 4) != 4)
		return fail_errno("write on the second end");
	if (expect_queued("data sent back after C/R", got[0], "back", 4))
		return 1;
	close(got[1]);
	return expect_int("a read on the first end once the second is closed (EOF)", read(got[0], buf, 1), 0) ? 1 : pass();
}
