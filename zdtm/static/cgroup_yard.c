#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "--cgroup-yard: criu uses the cgroup hierarchies the caller mounted (the test, in NAME.yard: one mount per hierarchy it is in, cgroup2 as unified) instead of its own; the test in a pids cgroup of its own with pids.max set: the same cgroup and value after C/R (the runner removes it while the test is dumped), the yard's mounts left in place",
	  .flavors = ZDTM_FLAVOR_H, .flags = "suid",
	  /* criu's cwd is the images directory JOB/img/N; the test's is JOB/test */
	  .opts = "--manage-cgroups --cgroup-yard ../../test/cgroup_yard.yard");

#define MAXH 16

static char names[MAXH][64];
static int nr;

static const char *yard_dir(int i)
{
	static char p[2][PATH_MAX + 128];
	static int k;
	char *s = p[k++ % 2];

	snprintf(s, PATH_MAX + 128, "%s/%s", test_path("yard"), names[i]);
	return s;
}

/* Every hierarchy of /proc/self/cgroup ("N:controllers:/path") mounted at NAME.yard/<name>, where
 * name is the controller list, the name of a named one ("name=systemd": systemd), or "unified"
 * for cgroup2: the layout criu expects of a yard. */
static int make_yard(void)
{
	char line[512], opts[80];
	FILE *f = fopen("/proc/self/cgroup", "re");

	if (!f || mkdir(test_path("yard"), 0755))
		return fail_errno("/proc/self/cgroup, mkdir %s", test_path("yard"));
	while (nr < MAXH && fgets(line, sizeof(line), f)) {
		char *ctl = strchr(line, ':'), *end = ctl ? strchr(ctl + 1, ':') : NULL;

		if (!end)
			continue;
		*end = 0;
		ctl++;
		/* cgroup2 ("0::/") is "unified" in criu's yard */
		snprintf(names[nr], sizeof(names[nr]), "%s", !*ctl ? "unified" : strncmp(ctl, "name=", 5) ? ctl : ctl + 5);
		snprintf(opts, sizeof(opts), "%s%s", strncmp(ctl, "name=", 5) ? "" : "none,", ctl);
		if (mkdir(yard_dir(nr), 0755) ||
		    mount("zdtm_yard", yard_dir(nr), *ctl ? "cgroup" : "cgroup2", 0, *ctl ? opts : NULL)) {
			fclose(f);
			return fail_errno("mount the %s hierarchy on %s", opts, yard_dir(nr));
		}
		nr++;
	}
	fclose(f);
	return nr ? 0 : skip("no cgroup hierarchy");
}

/* Each yard directory is still a mount point; then it goes. */
static int check_and_drop_yard(void)
{
	struct stat top, st;

	if (stat(test_path("yard"), &top))
		return fail_errno("stat %s", test_path("yard"));
	for (int i = 0; i < nr; i++) {
		if (stat(yard_dir(i), &st) || st.st_dev == top.st_dev)
			return fail("%s is no longer a mount point, expected criu to leave the caller's yard alone", yard_dir(i));
		if (umount(yard_dir(i)) || rmdir(yard_dir(i)))
			return fail_errno("umount %s", yard_dir(i));
	}
	return rmdir(test_path("yard")) ? fail_errno("rmdir %s", test_path("yard")) : 0;
}

int main(int argc, char **argv)
{
	char dir[256], found[256], val[32];

	test_init(argc, argv);
	if (make_yard())
		return 1;
	if (mkdir(cgroup_path("pids", NULL, dir, sizeof(dir)), 0755))
		return errno == ENOENT ? skip("no cgroup v1 pids hierarchy") : fail_errno("mkdir %s", dir);
	if (cgroup_write(dir, "pids.max", "77") || cgroup_write(dir, "cgroup.procs", "0"))
		return fail_errno("pids.max 77 in %s, move into it", dir);

	test_daemon();
	test_waitsig();

	if (cgroup_of(gettid(), "pids", found, sizeof(found)))
		return fail("no pids line in /proc/self/cgroup");
	if (expect_str("pids cgroup", found, dir + strlen("/sys/fs/cgroup/pids")))
		return 1;
	if (cgroup_read(dir, "pids.max", val, sizeof(val)) || expect_str("pids.max", val, "77"))
		return val[0] ? 1 : fail_errno("read %s/pids.max", dir);
	return check_and_drop_yard() ? 1 : pass();
}
