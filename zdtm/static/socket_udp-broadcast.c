#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a UDP socket with SO_BROADCAST still sends to the broadcast address 127.255.255.255, which a socket bound to 0.0.0.0 receives; one without it is still refused (EACCES)",
	  .flavors = ZDTM_ALL_FLAVORS);

#define PORT 41277

int main(int argc, char **argv)
{
	struct sockaddr_in any = { .sin_family = AF_INET, .sin_port = htons(PORT) }, bcast = any;
	int rcv, snd, plain, one = 1;
	char buf[8] = "";
	ssize_t n;

	test_init(argc, argv);
	bcast.sin_addr.s_addr = inet_addr("127.255.255.255");
	rcv = socket(AF_INET, SOCK_DGRAM, 0);
	snd = socket(AF_INET, SOCK_DGRAM, 0);
	plain = socket(AF_INET, SOCK_DGRAM, 0);
	if (rcv < 0 || snd < 0 || plain < 0 || bind(rcv, (struct sockaddr *)&any, sizeof(any)))
		return fail_errno("UDP sockets, one bound to 0.0.0.0:%d", PORT);
	if (setsockopt(snd, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one)))
		return fail_errno("SO_BROADCAST");

	test_daemon();
	test_waitsig();

	if (expect_sockopt("SO_BROADCAST of the sender", snd, SOL_SOCKET, SO_BROADCAST, 1) ||
	    expect_sockopt("SO_BROADCAST of the plain socket", plain, SOL_SOCKET, SO_BROADCAST, 0))
		return 1;
	if (sendto(snd, "bc", 3, 0, (struct sockaddr *)&bcast, sizeof(bcast)) != 3)
		return fail_errno("broadcast from the SO_BROADCAST socket");
	if (recv(rcv, buf, sizeof(buf), MSG_DONTWAIT) != 3)
		return fail_errno("the broadcast did not arrive at 0.0.0.0:%d", PORT);
	if (expect_str("the broadcast received", buf, "bc"))
		return 1;
	n = sendto(plain, "no", 3, 0, (struct sockaddr *)&bcast, sizeof(bcast));
	if (n != -1 || errno != EACCES)
		return fail("broadcast from the plain socket returned %zd (%s), expected -1 (EACCES)", n,
			    n < 0 ? strerror(errno) : "sent");
	return pass();
}
