#include <sys/socket.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an established TCP connection over ::1 carries a continuous CRC-stamped stream both ways, every byte checked; its addresses are kept",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "transition nouser samens", .opts = "--tcp-established");

#define TEST_FAMILY AF_INET6
#include "tcp_loop.c"
