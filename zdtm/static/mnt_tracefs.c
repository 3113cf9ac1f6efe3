#include "zdtm.h"

/* ns only: tracefs cannot be mounted in a user namespace. */
ZDTM_TEST(.doc = "a tracefs mounted (mode=0750, nosuid, nodev, noexec) in the test's mount namespace: its mount and options",
	  .flavors = ZDTM_FLAVOR_NS, .flags = "suid");

#define FS_TYPE "tracefs"
#define FS_OPTS "mode=0750"
#define FS_FLAGS (MS_NOSUID | MS_NODEV | MS_NOEXEC)
#define FS_MAGIC 0x74726163

#include "mnt_ramfs.c"
