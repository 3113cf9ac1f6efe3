#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an SCM_RIGHTS message in flight whose sending socket is closed: after C/R the receiver still gets the message and its fd, then EOF",
	  .flavors = ZDTM_ALL_FLAVORS);

int main(int argc, char **argv)
{
	int sk[2], p[2], got = -1, nfds = 1;
	struct stat a, b;
	char buf[8] = "";

	test_init(argc, argv);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sk) || pipe(p))
		return fail_errno("socketpair/pipe");
	if (write(p[1], "piped", 5) != 5 || scm_send(sk[0], "fd", 3, &p[0], 1))
		return fail_errno("send the pipe's read end");
	close(p[0]);
	close(sk[0]);   /* the sender is gone; the message stays queued at sk[1] */

	test_daemon();
	test_waitsig();

	if (scm_recv(sk[1], buf, sizeof(buf), &got, &nfds) != 3 || nfds != 1)
		return fail_errno("the message: %d fds, expected 1", nfds);
	if (expect_str("message", buf, "fd"))
		return 1;
	if (fstat(got, &a) || fstat(p[1], &b))
		return fail_errno("fstat");
	if (a.st_ino != b.st_ino)
		return fail("the received fd is inode %lu, expected the pipe (inode %lu)", (unsigned long)a.st_ino,
			    (unsigned long)b.st_ino);
	if (expect_queued("the pipe", got, "piped", 5))
		return 1;
	return expect_int("a read on the receiver after the message (EOF: the sender is closed)",
			  read(sk[1], buf, 1), 0) ? 1 : pass();
}
