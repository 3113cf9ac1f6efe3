#include "zdtm.h"

ZDTM_TEST(.doc = "a child in a relative CLOCK_MONOTONIC clock_nanosleep sleeps on across C/R and wakes no earlier than its time",
	  .flavors = ZDTM_ALL_FLAVORS);

#define SLEEP_RELATIVE
#include "sleeping00.c"
