#include <sys/socket.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "UDP sockets bound on ::1, one connected, keep their addresses and queued datagrams with their senders",
	  .flavors = ZDTM_ALL_FLAVORS);

#define TEST_FAMILY AF_INET6
#include "socket_udp.c"
