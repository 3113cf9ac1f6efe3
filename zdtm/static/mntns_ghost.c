#include "zdtm.h"

ZDTM_TEST(.doc = "the test holds an fd on an unlinked file (a ghost) of a tmpfs mounted only in a child's own mount namespace: data, offset and the fd's mount (the child's) kept",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

#define GHOST 1
#include "mntns_open.c"
