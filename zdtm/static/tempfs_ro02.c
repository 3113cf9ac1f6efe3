#include "zdtm.h"

ZDTM_TEST(.doc = "a tmpfs mounted read-only from the start, never written: ro in mount and super options, its options, no entries, EROFS",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

#define EMPTY 1
#include "tempfs_ro.c"
