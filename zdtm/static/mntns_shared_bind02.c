#include "zdtm.h"

ZDTM_TEST(.doc = "a shared tmpfs (the root mount left private), a child's mount namespace with a peer of it, a non-root bind made in the child that propagated back, and a tmpfs below both: both trees, the peer groups across the namespaces, mount and umount propagation both ways after C/R",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

#define SHARED_TMPFS 1
#include "mntns_shared_bind.c"
