#include <sys/socket.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a TCP end over ::1 in CLOSE after a connection (it closed first, then got the peer's data and FIN) keeps its bound address, the unread data and the end of the stream",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "nouser samens", .opts = "--tcp-established");

#define TEARDOWN CLOSED
#define TEST_FAMILY AF_INET6
#include "socket-tcp-fin-wait1.c"
