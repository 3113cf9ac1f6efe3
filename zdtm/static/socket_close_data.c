#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zdtm.h"

/* sockets02-seqpacket.c includes this file with TEST_TYPE SOCK_SEQPACKET and its own declaration. */
#ifndef TEST_TYPE
#define TEST_TYPE SOCK_STREAM
ZDTM_TEST(.doc = "a unix stream end whose peer wrote data then closed: the queued bytes, then EOF",
	  .flavors = ZDTM_ALL_FLAVORS);
#endif

#define QUEUED 5000

int main(int argc, char **argv)
{
	static char data[QUEUED], buf[QUEUED + 1];
	int sk[2], queued;
	ssize_t n, done = 0;

	test_init(argc, argv);
	datagen(data, sizeof(data), 51);
	if (socketpair(AF_UNIX, TEST_TYPE, 0, sk))
		return fail_errno("socketpair");
	if (write_all(sk[0], data, sizeof(data)))
		return fail_errno("queue data");
	close(sk[0]);   /* the reader's end is now the only one: data, then EOF */

	test_daemon();
	test_waitsig();

	if (ioctl(sk[1], FIONREAD, &queued))
		return fail_errno("FIONREAD");
	if (expect_int("queued bytes", queued, QUEUED))
		return 1;
	while (done < QUEUED) {
		n = recv(sk[1], buf + done, sizeof(buf) - done, MSG_DONTWAIT);
		if (n <= 0)
			return fail_errno("recv returned %zd after %zd bytes, expected %d bytes", n, done, QUEUED);
		done += n;
	}
	if (expect_bytes("queued data", buf, data, QUEUED))
		return 1;
	n = recv(sk[1], buf, 1, MSG_DONTWAIT);
	if (n != 0)
		return fail_errno("recv after the data returned %zd, expected 0 (EOF)", n);
	n = send(sk[1], "x", 1, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (n != -1 || errno != EPIPE)
		return fail_errno("send to the closed peer returned %zd, expected -1 EPIPE", n);
	return pass();
}
