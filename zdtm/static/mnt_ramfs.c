#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "zdtm.h"

/* mnt_devpts.c, mnt_proc.c, mnt_sysfs.c, mnt_mqueue.c, mnt_tracefs.c and binfmt_misc.c include this
 * file with FS_TYPE, FS_OPTS, FS_FLAGS, FS_MAGIC and their own declaration. */
#ifndef FS_TYPE
#define FS_TYPE "ramfs"
#define FS_OPTS "mode=0710"
#define FS_FLAGS MS_NODEV
#define FS_MAGIC 0x858458f6
/* criu 4.2 has no support for ramfs: it refuses the dump ("mnt: FS mnt ... unsupported"). */
ZDTM_TEST(.doc = "a ramfs (mode=0710, nodev) mounted in the test's mount namespace: criu refuses to dump it; the mount and its options stay",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid crfail");
#endif

/* What the file system must hold after C/R besides its mount (a hook of the including test). */
#ifndef FS_CHECK
#define FS_CHECK(point) 0
#endif
#ifndef FS_SETUP
#define FS_SETUP(point) 0
#endif

static char cwd[PATH_MAX], point[PATH_MAX + 64], tree[2][8192];

static int expect_fs(void)
{
	struct statfs sf;

	if (statfs(point, &sf))
		return fail_errno("statfs %s", point);
	if ((unsigned long)sf.f_type != (unsigned long)FS_MAGIC)
		return fail("%s has f_type %#lx, expected %s (%#lx)", point, (unsigned long)sf.f_type, FS_TYPE,
			    (unsigned long)FS_MAGIC);
	return FS_CHECK(point);
}

int main(int argc, char **argv)
{
	test_init(argc, argv);
	if (!getcwd(cwd, sizeof(cwd)))
		return fail_errno("getcwd");
	snprintf(point, sizeof(point), "%s/%s", cwd, test_path("mnt"));
	if (mkdir(point, 0755))
		return fail_errno("mkdir %s", point);
	if (mount("zdtm_" FS_TYPE, point, FS_TYPE, FS_FLAGS, FS_OPTS)) {
		if (errno == ENODEV || errno == EPERM)
			return skip("mount -t %s here: %s", FS_TYPE, strerror(errno));
		return fail_errno("mount -t %s -o %s on %s", FS_TYPE, FS_OPTS, point);
	}
	if (FS_SETUP(point))
		return 1;
	if (mountinfo_tree(0, point, tree[0], sizeof(tree[0])) != 1 || expect_fs())
		return fail("mounts at %s:\n%s\nexpected one %s", point, tree[0], FS_TYPE);

	test_daemon();
	test_waitsig();

	if (mountinfo_tree(0, point, tree[1], sizeof(tree[1])) < 0)
		return fail_errno("mountinfo");
	if (expect_lines("the mount", tree[1], tree[0]) || expect_fs())
		return 1;
	return pass();
}
