#include <limits.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a shared tmpfs and its peer (a bind), a tmpfs on a directory of it overmounted by another: both stacks in both peers, the peer group, a mount made after C/R propagates",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

static char cwd[PATH_MAX], tree[2][16384];

/* dir/sub/name exists (from the top mount at dir/sub) */
static int expect_file(const char *dir, const char *sub, const char *name, bool there)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s/%s", test_path(dir), sub, name);
	if (!access(path, F_OK) != there)
		return fail("%s %s, expected it %s", path, there ? "is missing" : "is visible",
			    there ? "there" : "hidden");
	return 0;
}

static int tmpfs_at(const char *dir, const char *sub, const char *file)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", test_path(dir), sub);
	if (mount("zdtm_child", path, "tmpfs", 0, "size=64k"))
		return fail_errno("tmpfs on %s", path);
	snprintf(path, sizeof(path), "%s/%s/%s", test_path(dir), sub, file);
	if (mknod(path, S_IFREG | 0600, 0))
		return fail_errno("create %s", path);
	return 0;
}

static int expect_peers(void)
{
	return expect_file("peer", "d", "upper", true) || expect_file("peer", "d", "lower", false) ||
	       expect_file("mnt", "d", "upper", true);
}

int main(int argc, char **argv)
{
	char path[PATH_MAX];

	test_init(argc, argv);
	if (!getcwd(cwd, sizeof(cwd)))
		return fail_errno("getcwd");
	snprintf(path, sizeof(path), "%s/d", test_path("mnt"));
	if (mkdir(test_path("mnt"), 0755) || mkdir(test_path("peer"), 0755) ||
	    mount("zdtm_parent", test_path("mnt"), "tmpfs", 0, "size=1m") ||
	    mount(NULL, test_path("mnt"), NULL, MS_SHARED, NULL) || mkdir(path, 0755) ||
	    mount(test_path("mnt"), test_path("peer"), NULL, MS_BIND, NULL))
		return fail_errno("a shared tmpfs on %s and its peer on %s", test_path("mnt"), test_path("peer"));
	if (tmpfs_at("mnt", "d", "lower") || tmpfs_at("mnt", "d", "upper") || expect_peers())
		return 1;
	if (mountinfo_tree(0, cwd, tree[0], sizeof(tree[0])) != 6)
		return fail("mounts under %s:\n%s\nexpected 6", cwd, tree[0]);

	test_daemon();
	test_waitsig();

	if (mountinfo_tree(0, cwd, tree[1], sizeof(tree[1])) < 0)
		return fail_errno("mountinfo");
	if (expect_lines("the mounts under the test's dir", tree[1], tree[0]) || expect_peers())
		return 1;
	snprintf(path, sizeof(path), "%s/after", test_path("mnt"));
	if (mkdir(path, 0755) || tmpfs_at("mnt", "after", "f") || expect_file("peer", "after", "f", true))
		return 1;
	return pass();
}
