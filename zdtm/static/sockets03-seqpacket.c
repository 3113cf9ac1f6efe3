#include <sys/socket.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a unix seqpacket client shut down for writing before it connected to a path-bound listener: it cannot write, while its accepted end (no shutdown of its own) sees no EOF and still writes to it",
	  .flavors = ZDTM_ALL_FLAVORS);

#define TEST_TYPE SOCK_SEQPACKET
#include "sockets03.c"
