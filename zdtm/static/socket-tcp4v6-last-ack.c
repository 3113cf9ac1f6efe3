#include <sys/socket.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "the AF_INET6 end (v4-mapped) of a connection with an IPv4 client, in LAST_ACK (the client closed first; its own FIN queued behind data), keeps its address, the data and both FINs",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "nouser samens", .opts = "--tcp-established");

#define TEARDOWN LAST_ACK
#define TEST_FAMILY TCP_4V6
#include "socket-tcp-fin-wait1.c"
