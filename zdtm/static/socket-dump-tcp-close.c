#include "zdtm.h"

ZDTM_TEST(.doc = "an established TCP connection with data queued both ways, dumped with --tcp-close (its state not dumped, the connection not locked) and restored with --tcp-close: both ends come back closed (CLOSE, no data, reads see the end)",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "nouser reqrst", .opts = "--tcp-close");

#define DECLARED
#include "socket-tcp-close0.c"
