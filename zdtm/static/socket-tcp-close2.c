#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "both ends of a TCP connection torn down in order (each shut down for writing, every FIN acked) sit in CLOSE, dumped and restored with --tcp-close: they come back in CLOSE with their bound addresses, reads see the end, writes fail",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "nouser", .opts = "--tcp-close");

/* "" when fd is a closed end: TCP state CLOSE, a read gives no byte (0, ENOTCONN or ECONNRESET),
 * a write fails with EPIPE or ENOTCONN; else what was found, in buf. */
static const char *closed_end(int fd, char *buf, size_t len)
{
	ssize_t n;
	char c;

	if (strcmp(tcp_state_name(fd), "CLOSE")) {
		snprintf(buf, len, "state %s", tcp_state_name(fd));
		return buf;
	}
	n = recv(fd, &c, 1, MSG_DONTWAIT);
	if (n > 0 || (n < 0 && errno != ENOTCONN && errno != ECONNRESET)) {
		snprintf(buf, len, "a read returned %zd (%s)", n, n < 0 ? strerror(errno) : "a byte");
		return buf;
	}
	n = send(fd, "x", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
	if (n >= 0 || (errno != EPIPE && errno != ENOTCONN)) {
		snprintf(buf, len, "a write returned %zd (%s)", n, n < 0 ? strerror(errno) : "sent");
		return buf;
	}
	return "";
}

/* Waits up to 10 s until fd is in CLOSE: the last FIN and its ACK travel over lo. */
static void wait_closed(int fd)
{
	for (int ms = 0; ms < 10000 && strcmp(tcp_state_name(fd), "CLOSE"); ms++)
		usleep(1000);
}

int main(int argc, char **argv)
{
	char name[2][64], now[64], found[128];
	static const char *const end[2] = { "client end", "server end" };
	static const char *const own[2] = { "client end's own address", "server end's own address" };
	int fd[2];

	test_init(argc, argv);
	if (tcp_pair(AF_INET, 0, fd)) {
		if (errno == EADDRNOTAVAIL)
			return skip("the loopback address is not configured");
		return fail_errno("connect over the loopback");
	}
	/* the client goes FIN_WAIT2, then CLOSE (TIME_WAIT of a socket still open); the server
	 * CLOSE_WAIT, LAST_ACK, CLOSE */
	if (shutdown(fd[0], SHUT_WR) || shutdown(fd[1], SHUT_WR))
		return fail_errno("shutdown(SHUT_WR) of both ends");
	for (int e = 0; e < 2; e++) {
		wait_closed(fd[e]);
		if (expect_str(end[e], closed_end(fd[e], found, sizeof(found)), ""))
			return 1;
		if (inet_name(fd[e], false, name[e], sizeof(name[e])))
			return fail_errno("getsockname of the %s", end[e]);
	}

	test_daemon();
	test_waitsig();

	for (int e = 0; e < 2; e++)
		if (expect_str(end[e], closed_end(fd[e], found, sizeof(found)), ""))
			return 1;
	for (int e = 0; e < 2; e++) {
		if (inet_name(fd[e], false, now, sizeof(now)))
			return fail_errno("getsockname of the %s after C/R", end[e]);
		if (expect_str(own[e], now, name[e]))
			return 1;
	}
	return pass();
}
