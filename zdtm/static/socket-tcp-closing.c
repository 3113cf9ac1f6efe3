#include "zdtm.h"

ZDTM_TEST(.doc = "a TCP end in CLOSING (both ends closed; the peer's FIN arrived, its own waits behind data the peer has no room for) keeps the data and both FINs",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "nouser samens", .opts = "--tcp-established");

#define TEARDOWN CLOSING
#include "socket-tcp-fin-wait1.c"
