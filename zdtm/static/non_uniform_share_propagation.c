#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "two tmpfs mounts in one peer group with different children (a child mount at a/c, none at b/c; b joined a's group with MOVE_MOUNT_SET_GROUP): both, the group, the children; a mount made after C/R propagates",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

#ifndef MOVE_MOUNT_SET_GROUP
#define MOVE_MOUNT_SET_GROUP 0x100
#endif

static char cwd[PATH_MAX], tree[2][16384];

static const char *in(const char *m, const char *name)
{
	static char path[2][PATH_MAX];
	static int k;
	char *p = path[k++ % 2];

	snprintf(p, PATH_MAX, "%s/%s", test_path(m), name);
	return p;
}

static int propagates(void)
{
	if (mkdir(in("a", "new"), 0755) || mount("zdtm_new", in("a", "new"), "tmpfs", 0, "size=64k") ||
	    mknod(in("a", "new/f"), S_IFREG | 0600, 0))
		return fail_errno("a tmpfs on %s", in("a", "new"));
	if (access(in("b", "new/f"), F_OK))
		return fail_errno("%s, expected the mount made on a's peer propagated", in("b", "new/f"));
	return 0;
}

int main(int argc, char **argv)
{
	test_init(argc, argv);
	if (!getcwd(cwd, sizeof(cwd)))
		return fail_errno("getcwd");
	if (mkdir(test_path("a"), 0755) || mkdir(test_path("b"), 0755) ||
	    mount("zdtm_a", test_path("a"), "tmpfs", 0, "size=1m") || mkdir(in("a", "c"), 0755) ||
	    mount(NULL, test_path("a"), NULL, MS_SHARED, NULL) ||
	    mount(test_path("a"), test_path("b"), NULL, MS_BIND, NULL))
		return fail_errno("a shared tmpfs on %s, its peer on %s", test_path("a"), test_path("b"));
	/* a child at a/c (and b/c), then b leaves the group, drops its copy, and comes back */
	if (mount("zdtm_c", in("a", "c"), "tmpfs", 0, "size=64k") || mount(NULL, test_path("b"), NULL, MS_PRIVATE, NULL) ||
	    umount2(in("b", "c"), 0))
		return fail_errno("a child on %s, none on %s", in("a", "c"), in("b", "c"));
	if (syscall(SYS_move_mount, AT_FDCWD, test_path("a"), AT_FDCWD, test_path("b"), MOVE_MOUNT_SET_GROUP)) {
		if (errno == EINVAL || errno == ENOSYS)
			return skip("move_mount(MOVE_MOUNT_SET_GROUP): %s", strerror(errno));
		return fail_errno("move_mount(MOVE_MOUNT_SET_GROUP) from %s to %s", test_path("a"), test_path("b"));
	}
	if (mountinfo_tree(0, cwd, tree[0], sizeof(tree[0])) != 3)
		return fail("mounts under %s:\n%s\nexpected 3", cwd, tree[0]);

	test_daemon();
	test_waitsig();

	if (mountinfo_tree(0, cwd, tree[1], sizeof(tree[1])) < 0)
		return fail_errno("mountinfo");
	if (expect_lines("the mounts under the test's dir", tree[1], tree[0]) || propagates())
		return 1;
	return pass();
}
