#include "zdtm.h"

ZDTM_TEST(.doc = "a listening unix socket holds a connection whose client wrote data and closed, not yet accepted: criu must refuse it; accepted, it reads the data, then the end",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "crfail");

#define DATA_LEN 3333
#include "sk-unix-listen03.c"
