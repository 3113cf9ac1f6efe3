#include <sys/socket.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "the AF_INET6 end (v4-mapped) of a connection with an IPv4 client, in FIN_WAIT1 (its FIN queued behind data the peer has no room for), keeps its address, the data and the FIN",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "nouser samens", .opts = "--tcp-established");

#define TEARDOWN FIN_WAIT1
#define TEST_FAMILY TCP_4V6
#include "socket-tcp-fin-wait1.c"
