#include <sys/socket.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a TCP end over ::1 in FIN_WAIT1 (its FIN queued behind data the peer has no room for) keeps its address, the data and the FIN; the peer still sends",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "nouser samens", .opts = "--tcp-established");

#define TEARDOWN FIN_WAIT1
#define TEST_FAMILY AF_INET6
#include "socket-tcp-fin-wait1.c"
