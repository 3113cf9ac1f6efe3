#include <netinet/in.h>
#include <netinet/udp.h>
#include <sys/socket.h>

#include "zdtm.h"

/* criu cannot save what waits in a UDP cork and refuses the dump ("Can't dump corked dgram socket"). */
ZDTM_TEST(.doc = "a UDP socket with UDP_CORK and two writes pending in the cork: criu must refuse it; uncorked, they leave as one datagram",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "crfail");

#define PORT 41280

int main(int argc, char **argv)
{
	struct sockaddr_storage a;
	socklen_t len = loopback_addr(AF_INET, PORT, &a);
	int rcv, snd, one = 1, zero = 0;
	char buf[32] = "";

	test_init(argc, argv);
	rcv = socket(AF_INET, SOCK_DGRAM, 0);
	snd = socket(AF_INET, SOCK_DGRAM, 0);
	if (rcv < 0 || snd < 0 || bind(rcv, (struct sockaddr *)&a, len) ||
	    connect(snd, (struct sockaddr *)&a, len))
		return fail_errno("a UDP socket connected to one bound to 127.0.0.1:%d", PORT);
	if (setsockopt(snd, IPPROTO_UDP, UDP_CORK, &one, sizeof(one)) ||
	    send(snd, "first,", 6, 0) != 6 || send(snd, "second", 7, 0) != 7)
		return fail_errno("UDP_CORK and two writes");
	if (recv(rcv, buf, sizeof(buf), MSG_DONTWAIT) != -1)
		return fail("a datagram left the corked socket before C/R: \"%s\"", buf);

	test_daemon();
	test_waitsig();

	if (expect_sockopt("UDP_CORK", snd, IPPROTO_UDP, UDP_CORK, 1))
		return 1;
	if (setsockopt(snd, IPPROTO_UDP, UDP_CORK, &zero, sizeof(zero)))
		return fail_errno("UDP_CORK 0");
	if (recv(rcv, buf, sizeof(buf), MSG_DONTWAIT) < 0)
		return fail_errno("no datagram after uncorking, expected \"first,second\"");
	if (expect_str("the corked datagram", buf, "first,second"))
		return 1;
	return pass();
}
