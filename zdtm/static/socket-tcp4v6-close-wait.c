#include "zdtm.h"

ZDTM_TEST(.doc = "a half-closed TCP connection whose CLOSE_WAIT end is the AF_INET6 end (v4-mapped) of a dual-stack listener and whose FIN_WAIT2 end an IPv4 client: addresses, data and FIN kept",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "nouser samens", .opts = "--tcp-established");

#define TEST_FAMILY TCP_4V6
#define V6_END CLOSE_WAIT
#include "socket_tcp_closewait.c"
