#include "zdtm.h"

ZDTM_TEST(.doc = "a TCP end in LAST_ACK (its peer closed first; its own FIN queued behind data the peer has no room for) keeps the data and both FINs",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "nouser samens", .opts = "--tcp-established");

#define TEARDOWN LAST_ACK
#include "socket-tcp-fin-wait1.c"
