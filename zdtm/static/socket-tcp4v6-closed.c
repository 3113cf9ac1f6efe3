#include <sys/socket.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "the AF_INET6 end (v4-mapped) of a finished connection with an IPv4 client, in CLOSE (it closed first, then got the data and FIN), keeps its bound address, the unread data and the end of the stream",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "nouser samens", .opts = "--tcp-established");

#define TEARDOWN CLOSED
#define TEST_FAMILY TCP_4V6
#include "socket-tcp-fin-wait1.c"
