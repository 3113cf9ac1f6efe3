#include "zdtm.h"

ZDTM_TEST(.doc = "one process holds a dual-stack TCP listener on [::] and a pair it accepted from an IPv4 client (the AF_INET6 end sees v4-mapped addresses), the client end shut down for writing, data queued both ways",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "nouser samens", .opts = "--tcp-established");

#define TEST_FAMILY TCP_4V6
#include "socket_tcp_local.c"
