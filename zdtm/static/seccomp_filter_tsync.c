#include "zdtm.h"

ZDTM_TEST(.doc = "a seccomp filter installed with TSYNC on all three threads: each keeps it, and a second TSYNC filter installed after C/R reaches them all",
	  .flavors = ZDTM_ALL_FLAVORS);

#define TSYNC 1
#include "seccomp_filter_threads.c"
