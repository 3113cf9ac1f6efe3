#include "zdtm.h"

/* ns only: mknod of a device node needs real root (EPERM in a user namespace). */
ZDTM_TEST(.doc = "an fd on a device node (1:3, null) in a directory that a tmpfs was then mounted over (its path hidden): criu refuses to dump it; the fd still writes to the device",
	  .flavors = ZDTM_FLAVOR_NS, .flags = "suid crfail");

#define KIND 2
#include "overmount_file.c"
