#include "zdtm.h"

ZDTM_TEST(.doc = "tmpfs mounts whose source names (and points) hold a space, a tab, a backslash, a '#' and a non-ASCII byte: every mount with its source name as mountinfo shows it",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

#define VARIANT 2
#include "mount_paths.c"
