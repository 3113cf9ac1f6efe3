#include <limits.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "three mounts stacked on one directory: a tmpfs, a bind of another tmpfs over it, a third tmpfs moved (MS_MOVE) on top: the stack in order, the bind's source, the top one visible",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

static char cwd[PATH_MAX], tree[2][16384];

static int expect_files(void)
{
	static const char *const want[][2] = { { "mnt", "t3" }, { "other", "t2" } };
	char path[PATH_MAX];

	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s", test_path(want[i][0]), want[i][1]);
		if (access(path, F_OK))
			return fail_errno("%s, expected the file of the mount there", path);
	}
	snprintf(path, sizeof(path), "%s/t1", test_path("mnt"));
	if (!access(path, F_OK))
		return fail("%s is visible, expected it hidden under two mounts", path);
	return 0;
}

static int tmpfs_with(const char *dir, const char *file, const char *opts)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", test_path(dir), file);
	if (mkdir(test_path(dir), 0755) || mount("zdtm_stack", test_path(dir), "tmpfs", 0, opts) ||
	    mknod(path, S_IFREG | 0600, 0))
		return fail_errno("tmpfs -o %s with %s on %s", opts, file, test_path(dir));
	return 0;
}

int main(int argc, char **argv)
{
	test_init(argc, argv);
	if (!getcwd(cwd, sizeof(cwd)))
		return fail_errno("getcwd");
	if (tmpfs_with("mnt", "t1", "size=1m") || tmpfs_with("other", "t2", "size=2m") ||
	    tmpfs_with("moved", "t3", "size=3m"))
		return 1;
	if (mount(test_path("other"), test_path("mnt"), NULL, MS_BIND, NULL))
		return fail_errno("bind %s over %s", test_path("other"), test_path("mnt"));
	if (mount(test_path("moved"), test_path("mnt"), NULL, MS_MOVE, NULL))
		return fail_errno("move %s onto %s", test_path("moved"), test_path("mnt"));
	if (mountinfo_tree(0, cwd, tree[0], sizeof(tree[0])) != 4 || expect_files())
		return fail("mounts under %s:\n%s\nexpected 4", cwd, tree[0]);

	test_daemon();
	test_waitsig();

	if (mountinfo_tree(0, cwd, tree[1], sizeof(tree[1])) < 0)
		return fail_errno("mountinfo");
	if (expect_lines("the mounts under the test's dir", tree[1], tree[0]) || expect_files())
		return 1;
	return pass();
}
