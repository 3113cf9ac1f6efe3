#include "zdtm.h"

/* ns only: in a user namespace the kernel lets sysfs be mounted only where one is already fully
 * visible in the mount namespace, and the test's root has no /sys (EPERM). */
ZDTM_TEST(.doc = "a sysfs mounted (ro, nosuid, nodev, noexec) in the test's mount namespace: its options; it shows the test's network namespace (lo, no host devices)",
	  .flavors = ZDTM_FLAVOR_NS, .flags = "suid");

#define FS_TYPE "sysfs"
#define FS_OPTS ""
#define FS_FLAGS (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC)
#define FS_MAGIC 0x62656572
#define FS_CHECK(point) expect_netns(point)

#include <dirent.h>
#include <stdio.h>
#include <string.h>

/* class/net lists the devices of the mounter's network namespace: the job's own holds lo only. */
static int expect_netns(const char *point)
{
	char path[4200], names[256] = "";
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "%s/class/net", point);
	if (!(d = opendir(path)))
		return fail_errno("opendir %s", path);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.' && strlen(names) + strlen(de->d_name) + 2 < sizeof(names))
			strcat(strcat(names, names[0] ? " " : ""), de->d_name);
	closedir(d);
	return expect_str("the devices in class/net", names, "lo");
}

#include "mnt_ramfs.c"
