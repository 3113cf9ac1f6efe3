#include <sys/socket.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a TCP end over ::1 in LAST_ACK (its peer closed first; its own FIN queued behind data the peer has no room for) keeps its address, the data and both FINs",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "nouser samens", .opts = "--tcp-established");

#define TEARDOWN LAST_ACK
#define TEST_FAMILY AF_INET6
#include "socket-tcp-fin-wait1.c"
