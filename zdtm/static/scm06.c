#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "unix sockets sent over themselves: each end of a pair waits in its own receive queue (SCM_RIGHTS); received after C/R, each is the same socket as the end it came to",
	  .flavors = ZDTM_ALL_FLAVORS);

/* The fd waiting in sk's queue is sk itself: same inode, and the pair still works through it. */
static int expect_self(int sk, int peer, const char *what)
{
	struct stat a, b;
	int got = -1, nfds = 1;
	char buf[8] = "";

	if (scm_recv(sk, buf, sizeof(buf), &got, &nfds) != 4 || nfds != 1)
		return fail_errno("%s: the message with its own fd: %d fds, expected 1", what, nfds);
	if (expect_str(what, buf, "own"))
		return 1;
	if (fstat(got, &a) || fstat(sk, &b))
		return fail_errno("fstat");
	if (a.st_ino != b.st_ino)
		return fail("%s: the fd received is socket inode %lu, expected its own %lu", what,
			    (unsigned long)a.st_ino, (unsigned long)b.st_ino);
	if (write(peer, "x", 1) != 1 || read(got, buf, 1) != 1 || buf[0] != 'x')
		return fail_errno("%s: a byte from the peer, read through the received fd", what);
	return 0;
}

int main(int argc, char **argv)
{
	int sk[2];

	test_init(argc, argv);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sk))
		return fail_errno("socketpair");
	/* a message lands in the other end's queue: each end carries its peer to the peer */
	if (scm_send(sk[1], "own", 4, &sk[0], 1) || scm_send(sk[0], "own", 4, &sk[1], 1))
		return fail_errno("send each end to itself");

	test_daemon();
	test_waitsig();

	if (expect_self(sk[0], sk[1], "first end") || expect_self(sk[1], sk[0], "second end"))
		return 1;
	return pass();
}
