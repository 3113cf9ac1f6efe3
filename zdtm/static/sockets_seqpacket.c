#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a unix seqpacket socketpair keeps queued records in both directions, boundaries included",
	  .flavors = ZDTM_ALL_FLAVORS);

enum { NREC = 4 };

/* Record lengths queued a -> b and b -> a. */
static const size_t ab_len[NREC] = { 1, 4096, 17, 3000 };
static const size_t ba_len[NREC] = { 2000, 2, 999, 64 };

static int queue(int fd, char rec[NREC][4096], const size_t *len, uint32_t seed)
{
	for (int i = 0; i < NREC; i++) {
		datagen(rec[i], len[i], seed + i);
		if (send(fd, rec[i], len[i], 0) != (ssize_t)len[i])
			return -1;
	}
	return 0;
}

/* fd holds exactly the NREC records, each whole and in order. */
static int expect_records(const char *dir, int fd, char rec[NREC][4096], const size_t *len)
{
	char buf[8192];
	ssize_t n;

	for (int i = 0; i < NREC; i++) {
		struct iovec iov = { buf, sizeof(buf) };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

		n = recvmsg(fd, &mh, MSG_DONTWAIT);
		if (n < 0)
			return fail_errno("%s record %d of %d: recvmsg", dir, i, NREC);
		if (n != (ssize_t)len[i] || (mh.msg_flags & MSG_TRUNC))
			return fail("%s record %d is %zd bytes (flags 0x%x), expected %zu",
				    dir, i, n, mh.msg_flags, len[i]);
		if (expect_bytes(dir, buf, rec[i], n))
			return 1;
	}
	n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
	if (n >= 0)
		return fail("%s holds a record of %zd bytes after the last one, expected none", dir, n);
	return 0;
}

int main(int argc, char **argv)
{
	static char ab[NREC][4096], ba[NREC][4096];
	char c = 0;
	int sk[2];

	test_init(argc, argv);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sk))
		return fail_errno("socketpair");
	if (queue(sk[0], ab, ab_len, 10) || queue(sk[1], ba, ba_len, 20))
		return fail_errno("queue records");

	test_daemon();
	test_waitsig();

	if (expect_records("a -> b", sk[1], ab, ab_len) || expect_records("b -> a", sk[0], ba, ba_len))
		return 1;
	if (send(sk[0], "xy", 2, 0) != 2 || recv(sk[1], &c, 1, MSG_DONTWAIT) != 1 || c != 'x')
		return fail_errno("a -> b after C/R: read '%c', expected 'x'", c);
	if (recv(sk[1], &c, 1, MSG_DONTWAIT) >= 0)
		return fail("a 1-byte read left the rest of a record behind, expected it discarded");
	return pass();
}
