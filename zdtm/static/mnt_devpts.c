#include "zdtm.h"

ZDTM_TEST(.doc = "a second devpts instance (newinstance, gid=5, mode=0600, ptmxmode=0640, max=17, nosuid, noexec) mounted in the test's mount namespace: its options and its ptmx node's mode",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

#define FS_TYPE "devpts"
#define FS_OPTS "newinstance,gid=5,mode=0600,ptmxmode=0640,max=17"
#define FS_FLAGS (MS_NOSUID | MS_NOEXEC)
#define FS_MAGIC 0x1cd1
#define FS_CHECK(point) expect_ptmx(point)

#include <stdio.h>
#include <sys/stat.h>

static int expect_ptmx(const char *point)
{
	char path[4200];
	struct stat st;

	snprintf(path, sizeof(path), "%s/ptmx", point);
	if (stat(path, &st))
		return fail_errno("stat %s", path);
	return expect_int("the ptmx node's mode", st.st_mode & 07777, 0640);
}

#include "mnt_ramfs.c"
