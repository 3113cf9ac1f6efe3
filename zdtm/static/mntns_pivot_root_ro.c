#include "zdtm.h"

ZDTM_TEST(.doc = "a child in its own mount namespace whose root is a directory it bound, switched to with pivot_root and remounted read-only, running a copy of the binary from there: root, mounts, file and exe kept",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

#define ROOT_RO 1
#include "mntns_pivot_root.c"
