#include "zdtm.h"

ZDTM_TEST(.doc = "the test holds an fd on a file of a tmpfs mounted only in a child's own mount namespace, opened by a name since unlinked while a second link keeps the inode (--link-remap): data, offset, one link, the fd's mount kept",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid", .opts = "--link-remap");

#define GHOST 2
#include "mntns_open.c"
