#include "zdtm.h"

ZDTM_TEST(.doc = "an fd on a file of a tmpfs that another tmpfs was then mounted over (the fd's own mount hidden): criu refuses to dump it; the fd keeps its data and offset",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid crfail");

#define KIND 3
#include "overmount_file.c"
