#include "zdtm.h"

ZDTM_TEST(.doc = "a read lease being broken on an open file description two fds share: still breaking after C/R on both, F_UNLCK through the other fd releases it",
	  .flavors = ZDTM_ALL_FLAVORS, .opts = "--file-locks");

#define SHARED_OFD 1
#include "file_lease02.c"
