#include "zdtm.h"

ZDTM_TEST(.doc = "a half-closed TCP connection whose FIN_WAIT2 end is the AF_INET6 end (v4-mapped) of a dual-stack listener and whose CLOSE_WAIT end an IPv4 client: addresses kept, the FIN_WAIT2 end still receives",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "nouser samens", .opts = "--tcp-established");

#define TEST_FAMILY TCP_4V6
#define V6_END FIN_WAIT2
#include "socket_tcp_closewait.c"
