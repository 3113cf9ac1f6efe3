#include "zdtm.h"

ZDTM_TEST(.doc = "an fd on a fifo with queued data in a directory that a tmpfs was then mounted over (its path hidden): criu refuses to dump it; the fifo keeps its data",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid crfail");

#define KIND 1
#include "overmount_file.c"
