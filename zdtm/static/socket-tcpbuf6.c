#include <sys/socket.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an established TCP connection over ::1 (both ends in one process) written until EAGAIN both ways: every queued byte (receive and send queues) arrives whole and in order",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "nouser samens", .opts = "--tcp-established");

#define TEST_FAMILY AF_INET6
#include "socket_tcpbuf.c"
