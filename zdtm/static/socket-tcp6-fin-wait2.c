#include <sys/socket.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a half-closed TCP connection over ::1 between two processes whose FIN_WAIT2 end holds unread data its peer sent after the FIN: addresses, states, both queues and the FIN kept, the FIN_WAIT2 end still receives",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "nouser samens", .opts = "--tcp-established");

#define TEST_FAMILY AF_INET6
#define EARLY_LEN 3001
#include "socket_tcp_closewait.c"
