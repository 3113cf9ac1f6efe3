#include <sys/socket.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "SO_BUF_LOCK set alone keeps its lock bits: a socket with the send buffer locked, one with the receive buffer locked, their sizes left to the kernel",
	  .flavors = ZDTM_ALL_FLAVORS);

#ifndef SO_BUF_LOCK
#define SO_BUF_LOCK 72
#endif
#define SNDBUF_LOCK 1
#define RCVBUF_LOCK 2

int main(int argc, char **argv)
{
	int sk[2], lock[2] = { SNDBUF_LOCK, RCVBUF_LOCK };

	test_init(argc, argv);
	for (int i = 0; i < 2; i++) {
		sk[i] = socket(AF_INET, SOCK_STREAM, 0);
		if (sk[i] < 0)
			return fail_errno("socket");
		if (setsockopt(sk[i], SOL_SOCKET, SO_BUF_LOCK, &lock[i], sizeof(lock[i]))) {
			if (errno == ENOPROTOOPT)
				return skip("no SO_BUF_LOCK in this kernel (5.14+)");
			return fail_errno("SO_BUF_LOCK %d", lock[i]);
		}
	}

	test_daemon();
	test_waitsig();

	if (expect_sockopt("SO_BUF_LOCK of the socket with the send buffer locked", sk[0], SOL_SOCKET, SO_BUF_LOCK, SNDBUF_LOCK) ||
	    expect_sockopt("SO_BUF_LOCK of the socket with the receive buffer locked", sk[1], SOL_SOCKET, SO_BUF_LOCK, RCVBUF_LOCK))
		return 1;
	return pass();
}
