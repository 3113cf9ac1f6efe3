#include <sys/socket.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a unix seqpacket end whose peer wrote a record then closed: the queued record, then EOF",
	  .flavors = ZDTM_ALL_FLAVORS);

#define TEST_TYPE SOCK_SEQPACKET
#include "socket_close_data.c"
