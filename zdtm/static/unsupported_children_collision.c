#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "children collision: a shared tmpfs with a child mount, a non-recursive peer bind of it, and a mount on the peer's child directory whose propagated copy the kernel tucked under the first child (upstream marks it crfail; criu 4.2 dumps and restores it): the tree, which tmpfs each point shows, and after C/R it unmounts in order",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

/*
 * Under NAME.d (a private tmpfs):
 *   share1          a shared tmpfs
 *   share1/child    child2's propagated copy, tucked under tmpfs child1 that stays on top
 *   share2          a bind of share1 (a peer, without share1's child)
 *   share2/child    tmpfs child2
 */
static char top[PATH_MAX + 64], tree[2][8192];

static const char *at(const char *sub)
{
	static char p[4][PATH_MAX + 128];
	static int k;
	char *s = p[k++ % 4];

	snprintf(s, PATH_MAX + 128, "%s/%s", top, sub);
	return s;
}

/* The tmpfs seen at sub has the file name. */
static int expect_seen(const char *sub, const char *name)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s", sub, name);
	if (access(at(p), F_OK))
		return fail_errno("%s, expected %s's tmpfs seen at %s", at(p), name, sub);
	return 0;
}

static int expect_tree(int k)
{
	if (mountinfo_tree(0, top, tree[k], sizeof(tree[k])) != 6)
		return fail("mounts under %s:\n%s\nexpected 6", top, tree[k]);
	if (k && expect_lines("the mounts", tree[1], tree[0]))
		return 1;
	return expect_seen("share1/child", "child1") || expect_seen("share2/child", "child2");
}

int main(int argc, char **argv)
{
	char cwd[PATH_MAX];

	test_init(argc, argv);
	if (!getcwd(cwd, sizeof(cwd)))
		return fail_errno("getcwd");
	snprintf(top, sizeof(top), "%s/%s", cwd, test_path("d"));
	if (mkdir(top, 0755) || mount("zdtm_fs", top, "tmpfs", 0, "size=1m") || mount(NULL, top, NULL, MS_PRIVATE, NULL) ||
	    mkdir(at("share1"), 0755) || mkdir(at("share2"), 0755))
		return fail_errno("a private tmpfs on %s", top);
	if (mount("zdtm_share", at("share1"), "tmpfs", 0, "size=64k") || mount(NULL, at("share1"), NULL, MS_SHARED, NULL) ||
	    mkdir(at("share1/child"), 0755) || mount("zdtm_child1", at("share1/child"), "tmpfs", 0, "size=64k") ||
	    mknod(at("share1/child/child1"), S_IFREG | 0600, 0))
		return fail_errno("share1 and its child");
	if (mount(at("share1"), at("share2"), NULL, MS_BIND, NULL) ||
	    mount("zdtm_child2", at("share2/child"), "tmpfs", 0, "size=64k") || mknod(at("share2/child/child2"), S_IFREG | 0600, 0))
		return fail_errno("share2 and its child");
	if (expect_tree(0))
		return 1;

	test_daemon();
	test_waitsig();

	if (expect_tree(1))
		return 1;
	/* child2 and its copy (tucked under child1 in share1) go */
	if (umount(at("share2/child")) || expect_seen("share1/child", "child1"))
		return 1;
	if (umount(at("share2")) || umount(at("share1/child")) || umount(at("share1")) || umount(top))
		return fail_errno("unmount the tree");
	return pass();
}
