#include "zdtm.h"

ZDTM_TEST(.doc = "a second proc mounted in the test's mount namespace with hidepid=invisible and subset=pid (nosuid, nodev, noexec): its options; it shows the test's pid and no /proc/sys",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

#define FS_TYPE "proc"
#define FS_OPTS "hidepid=invisible,subset=pid"
#define FS_FLAGS (MS_NOSUID | MS_NODEV | MS_NOEXEC)
#define FS_MAGIC 0x9fa0
#define FS_CHECK(point) expect_subset(point)

#include <stdio.h>
#include <unistd.h>

static int expect_subset(const char *point)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/%d/status", point, getpid());
	if (access(path, R_OK))
		return fail_errno("%s, expected the test's own pid directory", path);
	snprintf(path, sizeof(path), "%s/sys", point);
	if (!access(path, F_OK))
		return fail("%s exists, expected subset=pid to hide it", path);
	return 0;
}

#include "mnt_ramfs.c"
