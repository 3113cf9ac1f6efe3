#include "zdtm.h"

ZDTM_TEST(.doc = "a tree of 12 processes drawn from a fixed seed, as session02, where some (a session leader, "
		 "a group leader) made their children and died: orphans in sessions and groups whose leader is "
		 "gone keep pid, ppid, pgid, sid and subreaper flag",
	  .flavors = ZDTM_ALL_FLAVORS);

#define DYING 1
#include "session02.c"
