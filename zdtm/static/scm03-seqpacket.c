#include <sys/socket.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "three SCM_RIGHTS messages queued on a unix seqpacket pair, each with its own fds (1, 2 and 3 files): received after C/R in order, each with its own files",
	  .flavors = ZDTM_ALL_FLAVORS);

#define TEST_TYPE SOCK_SEQPACKET
#include "scm03.c"
