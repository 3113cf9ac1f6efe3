#include "zdtm.h"

ZDTM_TEST(.doc = "an mqueue file system mounted (nosuid, nodev, noexec) in the test's mount namespace, no queue in it: its mount and options",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

#define FS_TYPE "mqueue"
#define FS_OPTS ""
#define FS_FLAGS (MS_NOSUID | MS_NODEV | MS_NOEXEC)
#define FS_MAGIC 0x19800202

#include "mnt_ramfs.c"
