#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

/* scm03-seqpacket.c includes this file with TEST_TYPE SOCK_SEQPACKET and its own declaration. */
#ifndef TEST_TYPE
#define TEST_TYPE SOCK_DGRAM
ZDTM_TEST(.doc = "three SCM_RIGHTS messages queued on a unix datagram pair, each with its own fds (1, 2 and 3 files): received after C/R in order, each with its own files",
	  .flavors = ZDTM_ALL_FLAVORS);
#endif

#define NR_MSGS 3

/* The file of message m, fd k: "m.k" in the work dir, holding its own name. */
static const char *name(int m, int k)
{
	static char suffix[16];

	snprintf(suffix, sizeof(suffix), "%d.%d", m, k);
	return test_path(suffix);
}

/* fd is the file of message m, fd k: the same inode, and it reads its own name. */
static int expect_file(int fd, int m, int k)
{
	char buf[256] = "", what[64];
	struct stat a, b;

	snprintf(what, sizeof(what), "message %d, fd %d", m, k);
	if (fstat(fd, &a) || stat(name(m, k), &b))
		return fail_errno("%s: stat", what);
	if (a.st_ino != b.st_ino)
		return fail("%s is inode %lu, expected %s (inode %lu)", what, (unsigned long)a.st_ino, name(m, k),
			    (unsigned long)b.st_ino);
	if (pread(fd, buf, sizeof(buf) - 1, 0) < 0)
		return fail_errno("%s: read", what);
	return expect_str(what, buf, name(m, k));
}

int main(int argc, char **argv)
{
	int sk[2], fds[NR_MSGS], got[4], nfds;
	char msg[8], buf[8];

	test_init(argc, argv);
	if (socketpair(AF_UNIX, TEST_TYPE, 0, sk))
		return fail_errno("socketpair");
	for (int m = 0; m < NR_MSGS; m++) {
		for (int k = 0; k <= m; k++) {
			fds[k] = open(name(m, k), O_RDWR | O_CREAT | O_TRUNC, 0600);
			if (fds[k] < 0 || write_all(fds[k], name(m, k), strlen(name(m, k))))
				return fail_errno("create %s", name(m, k));
		}
		snprintf(msg, sizeof(msg), "msg%d", m);
		if (scm_send(sk[0], msg, strlen(msg) + 1, fds, m + 1))
			return fail_errno("send message %d", m);
		for (int k = 0; k <= m; k++)
			close(fds[k]);   /* they live only in the messages now */
	}

	test_daemon();
	test_waitsig();

	for (int m = 0; m < NR_MSGS; m++) {
		snprintf(msg, sizeof(msg), "msg%d", m);
		nfds = 4;
		if (scm_recv(sk[1], buf, sizeof(buf), got, &nfds) != (ssize_t)strlen(msg) + 1)
			return fail_errno("message %d: no message or another length", m);
		if (expect_str("message", buf, msg) || expect_int("its fds", nfds, m + 1))
			return 1;
		for (int k = 0; k <= m; k++)
			if (expect_file(got[k], m, k))
				return 1;
	}
	nfds = 4;
	if (scm_recv(sk[1], buf, sizeof(buf), got, &nfds) >= 0 || errno != EAGAIN)
		return fail("a fourth message, expected none");
	return pass();
}
