#include <limits.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a shared tmpfs with a shared child mount, and a private bind of that child elsewhere: the groups and the private bind; after C/R a mount under the child reaches the parent's peer but not the private bind",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

static char cwd[PATH_MAX], tree[2][16384];

static const char *in(const char *m, const char *name)
{
	static char path[2][PATH_MAX];
	static int k;
	char *p = path[k++ % 2];

	snprintf(p, PATH_MAX, "%s/%s", test_path(m), name);
	return p;
}

static int propagation(void)
{
	if (mkdir(in("top", "child/new"), 0755) || mount("zdtm_new", in("top", "child/new"), "tmpfs", 0, "size=64k") ||
	    mknod(in("top", "child/new/f"), S_IFREG | 0600, 0))
		return fail_errno("a tmpfs on %s", in("top", "child/new"));
	if (access(in("peer", "child/new/f"), F_OK))
		return fail_errno("%s, expected the mount propagated to the peer", in("peer", "child/new/f"));
	if (!access(in("priv", "new/f"), F_OK))
		return fail("%s is there, expected no propagation to the private bind", in("priv", "new/f"));
	return 0;
}

int main(int argc, char **argv)
{
	test_init(argc, argv);
	if (!getcwd(cwd, sizeof(cwd)))
		return fail_errno("getcwd");
	if (mkdir(test_path("top"), 0755) || mkdir(test_path("peer"), 0755) || mkdir(test_path("priv"), 0755) ||
	    mount("zdtm_top", test_path("top"), "tmpfs", 0, "size=1m") || mkdir(in("top", "child"), 0755) ||
	    mount(NULL, test_path("top"), NULL, MS_SHARED, NULL) ||
	    mount("zdtm_child", in("top", "child"), "tmpfs", 0, "size=64k") ||
	    mount(test_path("top"), test_path("peer"), NULL, MS_BIND | MS_REC, NULL))
		return fail_errno("a shared tmpfs with a child on %s, its peer on %s", test_path("top"), test_path("peer"));
	if (mount(in("top", "child"), test_path("priv"), NULL, MS_BIND, NULL) ||
	    mount(NULL, test_path("priv"), NULL, MS_PRIVATE, NULL))
		return fail_errno("a private bind of %s on %s", in("top", "child"), test_path("priv"));
	if (mountinfo_tree(0, cwd, tree[0], sizeof(tree[0])) != 5)
		return fail("mounts under %s:\n%s\nexpected 5", cwd, tree[0]);

	test_daemon();
	test_waitsig();

	if (mountinfo_tree(0, cwd, tree[1], sizeof(tree[1])) < 0)
		return fail_errno("mountinfo");
	if (expect_lines("the mounts under the test's dir", tree[1], tree[0]) || propagation())
		return 1;
	return pass();
}
