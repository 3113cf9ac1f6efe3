#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a shared tmpfs and a slave bind of it: peer group tags, a propagated mount, and propagation after C/R",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

#ifndef TMPFS_MAGIC
#define TMPFS_MAGIC 0x01021994
#endif

static char cwd[PATH_MAX];

struct tags {
	bool found;
	int shared, master;   /* peer group ids, 0 when absent */
};

/* The propagation tags of the top mount at test_path(suffix). */
static struct tags mount_tags(const char *suffix)
{
	static char line[4096];
	char want[2 * PATH_MAX], point[PATH_MAX];
	struct tags t = { 0 };
	FILE *f = fopen("/proc/self/mountinfo", "r");
	int off;

	snprintf(want, sizeof(want), "%s/%s", cwd, test_path(suffix));
	while (f && fgets(line, sizeof(line), f)) {
		/* id parent major:minor root mountpoint options [optional fields] - ... */
		if (sscanf(line, "%*d %*d %*u:%*u %*s %4095s %*s%n", point, &off) != 1 || strcmp(point, want))
			continue;
		t = (struct tags){ .found = true };
		for (char *tok = strtok(line + off, " "); tok && strcmp(tok, "-"); tok = strtok(NULL, " ")) {
			sscanf(tok, "shared:%d", &t.shared);
			sscanf(tok, "master:%d", &t.master);
		}
	}
	if (f)
		fclose(f);
	return t;
}

static int expect_tags(void)
{
	struct tags s = mount_tags("shared"), m = mount_tags("slave");

	if (!s.found || !m.found)
		return fail("mount at %s: %s, at %s: %s, expected both", test_path("shared"),
			    s.found ? "yes" : "none", test_path("slave"), m.found ? "yes" : "none");
	if (!s.shared || s.master)
		return fail("%s tags shared:%d master:%d, expected a shared peer group and no master",
			    test_path("shared"), s.shared, s.master);
	if (m.shared || m.master != s.shared)
		return fail("%s tags shared:%d master:%d, expected no peer group and master:%d",
			    test_path("slave"), m.shared, m.master, s.shared);
	return 0;
}

/* Something is mounted at test_path(top)/<name>: it is a tmpfs other than the one of top. */
static bool mounted(const char *top, const char *name)
{
	char path[PATH_MAX];
	struct statfs sf;
	struct stat t, st;

	snprintf(path, sizeof(path), "%s/%s", test_path(top), name);
	return !stat(test_path(top), &t) && !stat(path, &st) && !statfs(path, &sf) &&
	       sf.f_type == TMPFS_MAGIC && st.st_dev != t.st_dev;
}

/* A tmpfs mounted at shared/<name> is seen at slave/<name> with the same file; one mounted at
 * slave/<name>2 stays there (slaves do not propagate back). */
static int expect_propagation(const char *name, bool mount_now)
{
	char sp[PATH_MAX], mp[PATH_MAX], f[PATH_MAX + 16], b[PATH_MAX + 16];
	struct stat a, c;

	snprintf(sp, sizeof(sp), "%s/%s", test_path("shared"), name);
	snprintf(mp, sizeof(mp), "%s/%s", test_path("slave"), name);
	if (mount_now) {
		if (mkdir(sp, 0755) || mount("zdtm_prop", sp, "tmpfs", 0, "size=64k"))
			return fail_errno("mount tmpfs on %s", sp);
		snprintf(f, sizeof(f), "%s/file", sp);
		if (mknod(f, S_IFREG | 0600, 0))
			return fail_errno("create %s", f);
	}
	if (!mounted("shared", name) || !mounted("slave", name))
		return fail("%s: %s, %s: %s, expected the mount made at the first propagated to the second",
			    sp, mounted("shared", name) ? "mounted" : "not mounted",
			    mp, mounted("slave", name) ? "mounted" : "not mounted");
	snprintf(f, sizeof(f), "%s/file", sp);
	snprintf(b, sizeof(b), "%s/file", mp);
	if (stat(f, &a) || stat(b, &c))
		return fail_errno("stat %s and %s", f, b);
	if (a.st_dev != c.st_dev || a.st_ino != c.st_ino)
		return fail("%s and %s are different files, expected one tmpfs", f, b);
	/* the other way: nothing comes back */
	snprintf(b, sizeof(b), "%s/%s-back", test_path("slave"), name);
	snprintf(f, sizeof(f), "%s/%s-back", test_path("shared"), name);
	if (mount_now && (mkdir(b, 0755) || mount("zdtm_back", b, "tmpfs", 0, "size=64k")))
		return fail_errno("mount tmpfs on %s", b);
	snprintf(sp, sizeof(sp), "%s-back", name);
	if (!mounted("slave", sp))
		return fail("nothing mounted at %s, expected the tmpfs mounted there", b);
	if (mounted("shared", sp))
		return fail("%s is a mount point, expected no propagation from the slave %s", f, b);
	return 0;
}

int main(int argc, char **argv)
{
	test_init(argc, argv);
	if (!getcwd(cwd, sizeof(cwd)))
		return fail_errno("getcwd");
	if (mkdir(test_path("shared"), 0755) || mkdir(test_path("slave"), 0755))
		return fail_errno("mkdir");
	if (mount("zdtm_shared", test_path("shared"), "tmpfs", 0, "size=1m") ||
	    mount(NULL, test_path("shared"), NULL, MS_SHARED, NULL))
		return fail_errno("shared tmpfs on %s", test_path("shared"));
	if (mount(test_path("shared"), test_path("slave"), NULL, MS_BIND, NULL) ||
	    mount(NULL, test_path("slave"), NULL, MS_SLAVE, NULL))
		return fail_errno("slave bind on %s", test_path("slave"));
	if (expect_tags() || expect_propagation("before", true))
		return 1;

	test_daemon();
	test_waitsig();

	if (expect_tags() || expect_propagation("before", false) || expect_propagation("after", true))
		return 1;
	return pass();
}
