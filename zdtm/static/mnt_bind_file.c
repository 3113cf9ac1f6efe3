#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a file of a tmpfs bind-mounted (ro) onto a file of the test's own file system: the bind, its root (the file's path in the tmpfs), one inode through both names, the data",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

#define DATA "a file bound onto another"

static char cwd[PATH_MAX], tree[2][8192];

static int expect_bind(void)
{
	char buf[64] = "";
	struct stat a, b;
	int fd = open(test_path("dst"), O_RDONLY);

	if (fd < 0 || read(fd, buf, sizeof(buf) - 1) < 0 || fstat(fd, &a) || close(fd) || stat(test_path("fs/dir/src"), &b))
		return fail_errno("read %s, stat the source", test_path("dst"));
	if (a.st_ino != b.st_ino || a.st_dev != b.st_dev)
		return fail("%s is inode %lu, expected the source's %lu", test_path("dst"), (unsigned long)a.st_ino,
			    (unsigned long)b.st_ino);
	fd = open(test_path("dst"), O_WRONLY);
	if (fd >= 0 || errno != EROFS)
		return fail("open %s for writing: %s, expected EROFS", test_path("dst"), fd >= 0 ? "opened" : strerror(errno));
	return expect_str("the data through the bind", buf, DATA);
}

int main(int argc, char **argv)
{
	int fd;

	test_init(argc, argv);
	if (!getcwd(cwd, sizeof(cwd)))
		return fail_errno("getcwd");
	if (mkdir(test_path("fs"), 0755) || mount("zdtm_bind_file", test_path("fs"), "tmpfs", 0, "size=1m") ||
	    mkdir(test_path("fs/dir"), 0755))
		return fail_errno("tmpfs on %s", test_path("fs"));
	fd = open(test_path("fs/dir/src"), O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0 || write_all(fd, DATA, strlen(DATA)) || close(fd) || mknod(test_path("dst"), S_IFREG | 0600, 0))
		return fail_errno("create the source and %s", test_path("dst"));
	if (mount(test_path("fs/dir/src"), test_path("dst"), NULL, MS_BIND, NULL) ||
	    mount(NULL, test_path("dst"), NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL))
		return fail_errno("bind %s on %s ro", test_path("fs/dir/src"), test_path("dst"));
	if (mountinfo_tree(0, cwd, tree[0], sizeof(tree[0])) != 2 || !strstr(tree[0], " /dir/src ro,") || expect_bind())
		return fail("mounts under %s:\n%s\nexpected the tmpfs and a ro bind of /dir/src", cwd, tree[0]);

	test_daemon();
	test_waitsig();

	if (mountinfo_tree(0, cwd, tree[1], sizeof(tree[1])) < 0)
		return fail_errno("mountinfo");
	if (expect_lines("the mounts under the test's dir", tree[1], tree[0]) || expect_bind())
		return 1;
	return pass();
}
