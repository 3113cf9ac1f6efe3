#include <sys/socket.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an established TCP connection over ::1 between two processes keeps its addresses and the bytes queued both ways",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "nouser samens", .opts = "--tcp-established");

#define TEST_FAMILY AF_INET6
#include "socket_tcp.c"
