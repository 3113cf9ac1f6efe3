#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zdtm.h"

/* socket-dump-tcp-close.c includes this file with its own declaration. */
#ifndef DECLARED
ZDTM_TEST(.doc = "an established TCP connection with data queued both ways, dumped with --tcp-established and restored with --tcp-close: both ends come back closed (CLOSE, no data, reads see the end)",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "nouser samens reqrst",
	  .dopts = "--tcp-established", .ropts = "--tcp-close");
#endif

/* "" when fd is a closed end: TCP state CLOSE, a read gives no byte (0, ECONNRESET or ENOTCONN), a
 * write fails; else what was found. */
static const char *closed_end(int fd, char *buf, size_t len)
{
	char c;
	ssize_t n;

	if (strcmp(tcp_state_name(fd), "CLOSE")) {
		snprintf(buf, len, "state %s", tcp_state_name(fd));
		return buf;
	}
	n = recv(fd, &c, 1, MSG_DONTWAIT);
	if (n > 0 || (n < 0 && errno != ECONNRESET && errno != ENOTCONN)) {
		snprintf(buf, len, "a read returned %zd (%s)", n, n < 0 ? strerror(errno) : "a byte");
		return buf;
	}
	if (send(fd, "x", 1, MSG_NOSIGNAL | MSG_DONTWAIT) >= 0) {
		snprintf(buf, len, "a write went through");
		return buf;
	}
	return "";
}

int main(int argc, char **argv)
{
	char found[2][128];
	int fd[2];

	test_init(argc, argv);
	if (tcp_pair(AF_INET, 0, fd)) {
		if (errno == EADDRNOTAVAIL)
			return skip("the loopback address is not configured");
		return fail_errno("connect over the loopback");
	}
	if (write_all(fd[0], "client data", 11) || write_all(fd[1], "server data", 11))
		return fail_errno("queue data both ways");

	test_daemon();
	test_waitsig();

	if (expect_str("client end", closed_end(fd[0], found[0], sizeof(found[0])), "") ||
	    expect_str("server end", closed_end(fd[1], found[1], sizeof(found[1])), ""))
		return 1;
	return pass();
}
