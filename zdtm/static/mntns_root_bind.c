#include <limits.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "zdtm.h"

/* mntns_root_bind02.c includes this file with REC 1 and its own declaration. */
#ifndef REC
#define REC 0
ZDTM_TEST(.doc = "the test's root mount bound (not recursively) on a directory inside itself: the bind, its root, and no submounts under it (its proc is an empty directory)",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");
#endif

#define PROC_SUPER_MAGIC 0x9fa0

static char cwd[PATH_MAX], point[PATH_MAX + 64], tree[2][32768];

/* point/test/NAME.file is our file; point/proc is a proc mount only when the bind is recursive */
static int expect_bind(void)
{
	char path[4 * PATH_MAX];
	struct statfs sf;

	snprintf(path, sizeof(path), "%s%s/%s", point, cwd, test_path("file"));
	if (access(path, F_OK))
		return fail_errno("%s, expected the test's file through the bind", path);
	snprintf(path, sizeof(path), "%s/proc", point);
	if (statfs(path, &sf))
		return fail_errno("statfs %s", path);
	if ((sf.f_type == PROC_SUPER_MAGIC) != REC)
		return fail("%s has f_type %#lx, expected %s", path, (long)sf.f_type,
			    REC ? "proc (a recursive bind)" : "the root's (a plain bind)");
	return 0;
}

int main(int argc, char **argv)
{
	test_init(argc, argv);
	if (!getcwd(cwd, sizeof(cwd)))
		return fail_errno("getcwd");
	snprintf(point, sizeof(point), "%s/%s", cwd, test_path("root"));
	if (mknod(test_path("file"), S_IFREG | 0600, 0) || mkdir(point, 0755))
		return fail_errno("create %s and %s", test_path("file"), point);
	if (mount("/", point, NULL, MS_BIND | (REC ? MS_REC : 0), NULL))
		return fail_errno("bind / on %s", point);
	if (mountinfo_tree(0, point, tree[0], sizeof(tree[0])) < 1 || expect_bind())
		return fail("mounts under %s:\n%s", point, tree[0]);

	test_daemon();
	test_waitsig();

	if (mountinfo_tree(0, point, tree[1], sizeof(tree[1])) < 0)
		return fail_errno("mountinfo");
	if (expect_lines("the mounts under the bind", tree[1], tree[0]) || expect_bind())
		return 1;
	return pass();
}
