#include <sys/socket.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "one process holds a TCP listener on ::1 and an accepted pair whose client end is shut down for writing, with its addresses and data queued both ways",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "nouser samens", .opts = "--tcp-established");

#define TEST_FAMILY AF_INET6
#include "socket_tcp_local.c"
