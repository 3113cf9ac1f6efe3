#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "connected UDP sockets keep their shutdown: the one shut for writing gets EPIPE, the one shut for reading reads the end at once; each still does the other half",
	  .flavors = ZDTM_ALL_FLAVORS);

#define PORT_WR 41278   /* shut down for writing */
#define PORT_RD 41279   /* shut down for reading */

/* A UDP socket bound to 127.0.0.1:port and connected to 127.0.0.1:peer, or -1. */
static int udp_connected(int port, int peer)
{
	struct sockaddr_storage a;
	socklen_t len = loopback_addr(AF_INET, port, &a);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&a, len))
		return -1;
	len = loopback_addr(AF_INET, peer, &a);
	return connect(fd, (struct sockaddr *)&a, len) ? -1 : fd;
}

int main(int argc, char **argv)
{
	struct timeval tv = { .tv_sec = 2 };   /* a lost SHUT_RD blocks the read: 2 s, then EAGAIN */
	int wr, rd;
	ssize_t n;
	char buf[8] = "";

	test_init(argc, argv);
	wr = udp_connected(PORT_WR, PORT_RD);
	rd = udp_connected(PORT_RD, PORT_WR);
	if (wr < 0 || rd < 0 || shutdown(wr, SHUT_WR) || shutdown(rd, SHUT_RD))
		return fail_errno("two connected UDP sockets, shut down for writing and for reading");

	test_daemon();
	test_waitsig();

	n = send(wr, "w", 2, MSG_NOSIGNAL);
	if (n != -1 || errno != EPIPE)
		return fail("send on the socket shut for writing returned %zd (%s), expected -1 (EPIPE)", n,
			    n < 0 ? strerror(errno) : "sent");
	if (setsockopt(rd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		return fail_errno("SO_RCVTIMEO");
	if (expect_int("recv on the socket shut for reading", recv(rd, buf, sizeof(buf), 0), 0))
		return 1;
	if (send(rd, "r", 2, 0) != 2 || recv(wr, buf, sizeof(buf), MSG_DONTWAIT) != 2)
		return fail_errno("a datagram from the socket shut for reading to the other");
	if (expect_str("the datagram", buf, "r"))
		return 1;
	return pass();
}
