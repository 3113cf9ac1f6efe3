#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a detached mount (open_tree(OPEN_TREE_CLONE) of a tmpfs whose mount point was then unmounted) with a file in it",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

#define LEN 5000

/* The tree holds its file, and nothing is mounted at the old mount point. */
static int check(int tree, const char *data)
{
	char buf[LEN + 1];
	struct statfs sf;
	char mounts[256], cwd[256], point[512];
	int fd, n;

	if (fstatfs(tree, &sf) || expect_int("f_type of the detached mount", sf.f_type, TMPFS_MAGIC))
		return fail_errno("fstatfs of the detached mount");
	fd = openat(tree, "file", O_RDONLY);
	if (fd < 0)
		return fail_errno("openat(tree, file)");
	n = read_all(fd, buf, sizeof(buf));
	close(fd);
	if (expect_int("bytes in the detached mount's file", n, LEN) || expect_bytes("its data", buf, data, LEN))
		return 1;
	if (!getcwd(cwd, sizeof(cwd)))
		return fail_errno("getcwd");
	snprintf(point, sizeof(point), "%s/%s", cwd, test_path("mnt"));
	n = mountinfo_at(point, mounts, sizeof(mounts));
	if (n != 0)
		return fail("%d mounts at the old mount point %s (%s), expected none", n, point, mounts);
	return 0;
}

/* The detached tree can still be attached, and shows the file there. */
static int attach(int tree, const char *data)
{
	char path[512], buf[LEN];
	int fd, n;

	if (move_mount(tree, "", AT_FDCWD, test_path("mnt"), MOVE_MOUNT_F_EMPTY_PATH))
		return fail_errno("move_mount of the detached tree to %s", test_path("mnt"));
	snprintf(path, sizeof(path), "%s/file", test_path("mnt"));
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return fail_errno("open %s", path);
	n = read_all(fd, buf, sizeof(buf));
	close(fd);
	if (expect_int("bytes in the attached file", n, LEN) || expect_bytes("its data", buf, data, LEN))
		return 1;
	return umount2(test_path("mnt"), MNT_DETACH) ? fail_errno("umount %s", test_path("mnt")) : 0;
}

int main(int argc, char **argv)
{
	static char data[LEN], path[512];
	int fd, tree;

	test_init(argc, argv);
	datagen(data, LEN, 13);
	if (mkdir(test_path("mnt"), 0755) || mount("zdtm", test_path("mnt"), "tmpfs", 0, "size=1m"))
		return fail_errno("mount tmpfs on %s", test_path("mnt"));
	snprintf(path, sizeof(path), "%s/file", test_path("mnt"));
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	if (fd < 0 || write_all(fd, data, LEN) || close(fd))
		return fail_errno("write %s", path);
	tree = open_tree(AT_FDCWD, test_path("mnt"), OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	if (tree < 0 && errno == ENOSYS)
		return skip("no open_tree");
	if (tree < 0)
		return fail_errno("open_tree(OPEN_TREE_CLONE)");
	if (umount2(test_path("mnt"), MNT_DETACH))
		return fail_errno("umount %s", test_path("mnt"));
	if (check(tree, data))
		return 1;

	test_daemon();
	test_waitsig();

	return check(tree, data) || attach(tree, data) ? 1 : pass();
}
