#include <sys/socket.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "the AF_INET6 end (v4-mapped) of a connection with an IPv4 client, in CLOSING (simultaneous close; its FIN queued behind data), keeps its address, the data and both FINs",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "nouser samens", .opts = "--tcp-established");

#define TEARDOWN CLOSING
#define TEST_FAMILY TCP_4V6
#include "socket-tcp-fin-wait1.c"
