#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a child mount of a shared slave, propagated to the slave's peer but not to its master: the tree and tags; after C/R mounts and umounts propagate as before and the whole tree unmounts",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

/*
 * Under NAME.d (a private tmpfs):
 *   share          a shared tmpfs                       shared:#1
 *   slave1         bind of share, slave, then shared    shared:#2 master:#1
 *   slave1/child   a tmpfs mounted last                 shared:#3
 *   slave2         bind of slave1                       shared:#2 master:#1
 *   slave2/child   slave1/child's propagated copy       shared:#3
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

static const char *const expected =
	"share / shared:#1\n"
	"slave1 / shared:#2 master:#1\n"
	"slave1/child / shared:#3\n"
	"slave2 / shared:#2 master:#1\n"
	"slave2/child / shared:#3";

/* The tree as "POINT-BELOW-TOP ROOT TAGS" lines: mountinfo_tree's without options and sources. */
static void shape(const char *t, char *out, size_t len)
{
	size_t used = 0, n = strlen(top);
	char copy[8192], *save, *line;

	snprintf(copy, sizeof(copy), "%s", t);
	out[0] = 0;
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[16], *s2;
		int k = 0;

		for (char *tok = strtok_r(line, " ", &s2); tok && k < 16; tok = strtok_r(NULL, " ", &s2))
			f[k++] = tok;
		if (k < 3 || strncmp(f[0], top, n) || !f[0][n])
			continue;
		used += snprintf(out + used, used < len ? len - used : 0, "%s%s %s", used ? "\n" : "", f[0] + n + 1, f[1]);
		for (int i = 3; i < k && (strstr(f[i], ":#") || !strcmp(f[i], "unbindable")); i++)
			used += snprintf(out + used, used < len ? len - used : 0, " %s", f[i]);
		used = used < len ? used : len - 1;
	}
}

static int expect_tree(int k)
{
	char found[1024];

	if (mountinfo_tree(0, top, tree[k], sizeof(tree[k])) != 6)
		return fail("mounts under %s:\n%s\nexpected 6", top, tree[k]);
	if (k && expect_lines("the mounts", tree[1], tree[0]))
		return 1;
	shape(tree[k], found, sizeof(found));
	return expect_lines("the mounts' tags", found, expected);
}

static bool mounted(const char *sub)
{
	struct stat a, b;
	char up[PATH_MAX + 8];

	snprintf(up, sizeof(up), "%s/..", at(sub));
	return !stat(at(sub), &a) && !stat(up, &b) && a.st_dev != b.st_dev;
}

static int expect_propagation(void)
{
	if (mkdir(at("share/x"), 0755) || mount("zdtm_x", at("share/x"), "tmpfs", 0, "size=64k") ||
	    mkdir(at("slave2/y"), 0755) || mount("zdtm_y", at("slave2/y"), "tmpfs", 0, "size=64k"))
		return fail_errno("tmpfs on share/x, slave2/y");
	if (!mounted("slave1/x") || !mounted("slave2/x") || !mounted("slave1/y") || mounted("share/y"))
		return fail("slave1/x %d slave2/x %d slave1/y %d share/y %d mounted, expected 1 1 1 0", mounted("slave1/x"),
			    mounted("slave2/x"), mounted("slave1/y"), mounted("share/y"));
	if (umount(at("slave1/child")) || mounted("slave2/child"))
		return fail_errno("umount slave1/child (slave2/child still mounted: %d)", mounted("slave2/child"));
	/* nothing left that keeps a mount busy: the tree unmounts from the top down */
	if (umount(at("share/x")) || umount(at("slave1/y")) || umount(at("slave2")) || umount(at("slave1")) ||
	    umount(at("share")) || umount(top))
		return fail_errno("unmount the tree");
	return 0;
}

int main(int argc, char **argv)
{
	char cwd[PATH_MAX];

	test_init(argc, argv);
	if (!getcwd(cwd, sizeof(cwd)))
		return fail_errno("getcwd");
	snprintf(top, sizeof(top), "%s/%s", cwd, test_path("d"));
	if (mkdir(top, 0755) || mount("zdtm_fs", top, "tmpfs", 0, "size=1m") || mount(NULL, top, NULL, MS_PRIVATE, NULL) ||
	    mkdir(at("share"), 0755) || mkdir(at("slave1"), 0755) || mkdir(at("slave2"), 0755))
		return fail_errno("a private tmpfs on %s", top);
	if (mount("zdtm_share", at("share"), "tmpfs", 0, "size=64k") || mount(NULL, at("share"), NULL, MS_SHARED, NULL) ||
	    mount(at("share"), at("slave1"), NULL, MS_BIND, NULL) || mount(NULL, at("slave1"), NULL, MS_SLAVE, NULL) ||
	    mount(NULL, at("slave1"), NULL, MS_SHARED, NULL) || mount(at("slave1"), at("slave2"), NULL, MS_BIND, NULL))
		return fail_errno("share, slave1, slave2");
	if (mkdir(at("slave1/child"), 0755) || mount("zdtm_child", at("slave1/child"), "tmpfs", 0, "size=64k"))
		return fail_errno("a tmpfs on %s", at("slave1/child"));
	if (expect_tree(0))
		return 1;

	test_daemon();
	test_waitsig();

	return expect_tree(1) || expect_propagation() ? 1 : pass();
}
