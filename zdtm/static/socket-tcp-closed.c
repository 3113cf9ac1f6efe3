#include "zdtm.h"

ZDTM_TEST(.doc = "a TCP end in CLOSE after a connection (it closed first, then got the peer's data and FIN) still holds the unread data and the end of the stream",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "nouser samens", .opts = "--tcp-established");

#define TEARDOWN CLOSED
#include "socket-tcp-fin-wait1.c"
