#include <sys/socket.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an established TCP connection over ::1, both ends in one process with SO_SNDBUF and SO_RCVBUF set to 32 KiB, written until EAGAIN both ways: the buffer sizes and every queued byte (receive and send queues) come back",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "nouser samens", .opts = "--tcp-established");

#define TEST_FAMILY AF_INET6
#define BUF_SIZE 32768
#include "socket_tcpbuf.c"
