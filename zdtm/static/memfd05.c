#include "zdtm.h"

ZDTM_TEST(.doc = "a child whose executable is a memfd it also holds open (fd 20, no close-on-exec): exe, text mapping and fd name one file after C/R",
	  .flavors = ZDTM_ALL_FLAVORS);

#define MEMFD_KEEP_FD 1
#include "memfd04.c"
