#include <sys/socket.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a half-closed TCP connection over ::1 between two processes: the CLOSE_WAIT end keeps its addresses, the data and the FIN, the FIN_WAIT2 end still receives",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "nouser samens", .opts = "--tcp-established");

#define TEST_FAMILY AF_INET6
#include "socket_tcp_closewait.c"
