#include <sys/socket.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a unix seqpacket listener on a path, a client and its accepted end with records queued both ways",
	  .flavors = ZDTM_ALL_FLAVORS);

#define TEST_TYPE SOCK_SEQPACKET
#include "sockets00.c"
