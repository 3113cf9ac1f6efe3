#include <netinet/in.h>
#include <stdio.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an established TCP connection with options criu has no list entry for: TCP_CONGESTION reno, TCP_NOTSENT_LOWAT, TCP_USER_TIMEOUT",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "nouser samens", .opts = "--tcp-established");

#define LOWAT 12345
#define USER_TIMEOUT 7000   /* ms */

/* "TCP_CONGESTION reno, TCP_NOTSENT_LOWAT 12345, TCP_USER_TIMEOUT 7000": all three in one line */
static const char *options(int fd)
{
	static char out[128];
	char ca[16] = "?";
	int lowat = -1, tmo = -1;
	socklen_t len = sizeof(ca), ilen = sizeof(int);

	getsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, ca, &len);
	getsockopt(fd, IPPROTO_TCP, TCP_NOTSENT_LOWAT, &lowat, &ilen);
	ilen = sizeof(int);
	getsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &tmo, &ilen);
	snprintf(out, sizeof(out), "TCP_CONGESTION %.16s, TCP_NOTSENT_LOWAT %d, TCP_USER_TIMEOUT %d", ca, lowat, tmo);
	return out;
}

static int check(int fd[2], const char *want)
{
	char buf[4];

	if (expect_str("options", options(fd[0]), want) || expect_str("state", tcp_state_name(fd[0]), "ESTABLISHED"))
		return 1;
	if (write_all(fd[0], "ping", 4) || read_all(fd[1], buf, 4) != 4)
		return fail_errno("data over the connection");
	return expect_bytes("data over the connection", buf, "ping", 4);
}

int main(int argc, char **argv)
{
	int fd[2], lowat = LOWAT, tmo = USER_TIMEOUT;
	char want[128];

	test_init(argc, argv);
	if (tcp_pair(AF_INET, 0, fd))
		return fail_errno("a TCP connection over 127.0.0.1");
	if (setsockopt(fd[0], IPPROTO_TCP, TCP_CONGESTION, "reno", 4))
		return skip("TCP_CONGESTION reno: %s", strerror(errno));
	if (setsockopt(fd[0], IPPROTO_TCP, TCP_NOTSENT_LOWAT, &lowat, sizeof(lowat)) ||
	    setsockopt(fd[0], IPPROTO_TCP, TCP_USER_TIMEOUT, &tmo, sizeof(tmo)))
		return fail_errno("setsockopt");
	snprintf(want, sizeof(want), "TCP_CONGESTION reno, TCP_NOTSENT_LOWAT %d, TCP_USER_TIMEOUT %d", LOWAT, USER_TIMEOUT);
	if (check(fd, want))
		return 1;

	test_daemon();
	test_waitsig();

	return check(fd, want) ? 1 : pass();
}
