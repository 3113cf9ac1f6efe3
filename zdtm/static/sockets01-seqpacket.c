#include <sys/socket.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a unix seqpacket pair with a -> b shut down: b reads the queued records then EOF, b -> a still works",
	  .flavors = ZDTM_ALL_FLAVORS);

#define TEST_TYPE SOCK_SEQPACKET
#include "sockets_shutdown.c"
