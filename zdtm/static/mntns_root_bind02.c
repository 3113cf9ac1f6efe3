#include "zdtm.h"

ZDTM_TEST(.doc = "the test's root mount bound recursively (MS_REC: with /proc, /dev, /dev/pts) on a directory inside itself: the bind and every submount copied under it",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

#define REC 1
#include "mntns_root_bind.c"
