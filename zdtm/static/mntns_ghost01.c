#include "zdtm.h"

ZDTM_TEST(.doc = "an fd opened through a read-only bind of a tmpfs on a file then unlinked (a ghost) through its writable mount: data, offset, no links, the fd's mount (the ro bind)",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

#define RW_BIND 1
#include "ghost_on_rofs.c"
