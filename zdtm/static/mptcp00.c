#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an established MPTCP connection over 127.0.0.1 (IPPROTO_MPTCP) with data queued in both directions",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "nouser samens", .opts = "--tcp-established");

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif
#define LEN 1000

/* fd[0] connected to fd[1], both MPTCP. */
static int mptcp_pair(int fd[2])
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct timeval tmo = { .tv_sec = 5 };
	socklen_t len = sizeof(a);
	int l = socket(AF_INET, SOCK_STREAM, IPPROTO_MPTCP);

	if (l < 0)
		return -1;
	fd[0] = socket(AF_INET, SOCK_STREAM, IPPROTO_MPTCP);
	if (fd[0] < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 1) ||
	    getsockname(l, (struct sockaddr *)&a, &len) || connect(fd[0], (struct sockaddr *)&a, sizeof(a)))
		return -1;
	fd[1] = accept(l, NULL, NULL);
	close(l);
	if (fd[1] < 0)
		return -1;
	/* a read of data that is not there fails after 5 s instead of hanging */
	for (int i = 0; i < 2; i++)
		if (setsockopt(fd[i], SOL_SOCKET, SO_RCVTIMEO, &tmo, sizeof(tmo)))
			return -1;
	return 0;
}

static int check(int fd[2], const char *a, const char *b)
{
	char buf[LEN];

	for (int i = 0; i < 2; i++)
		if (expect_sockopt("SO_PROTOCOL", fd[i], SOL_SOCKET, SO_PROTOCOL, IPPROTO_MPTCP))
			return 1;
	if (read_all(fd[1], buf, LEN) != LEN || expect_bytes("data from the connecting side", buf, a, LEN))
		return fail_errno("read the connecting side's data");
	if (read_all(fd[0], buf, LEN) != LEN || expect_bytes("data from the accepted side", buf, b, LEN))
		return fail_errno("read the accepted side's data");
	return 0;
}

int main(int argc, char **argv)
{
	char a[LEN], b[LEN];
	int fd[2];

	test_init(argc, argv);
	datagen(a, LEN, 1);
	datagen(b, LEN, 2);
	if (mptcp_pair(fd)) {
		if (errno == EPROTONOSUPPORT || errno == ENOPROTOOPT || errno == EINVAL)
			return skip("no MPTCP: %s", strerror(errno));
		return fail_errno("an MPTCP connection over 127.0.0.1");
	}
	/* one round trip before, the second one queued across C/R */
	if (write_all(fd[0], a, LEN) || write_all(fd[1], b, LEN) || check(fd, a, b))
		return fail_errno("exchange data");
	if (write_all(fd[0], a, LEN) || write_all(fd[1], b, LEN))
		return fail_errno("queue data");

	test_daemon();
	test_waitsig();

	if (check(fd, a, b))
		return 1;
	if (write_all(fd[0], a, LEN) || write_all(fd[1], b, LEN) || check(fd, a, b))
		return fail_errno("exchange data after C/R");
	return pass();
}
