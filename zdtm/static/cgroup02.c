#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

/* h only, as every --manage-cgroups test here: in ns and uns the runner's sandbox owns the cgroups. */
ZDTM_TEST(.doc = "the test in a v1 pids cgroup orig with two empty children (one with pids.max set), restored with --cgroup-root pids:/zdtm-NAME-INO/newroot (the runner adds it, flag cgroup-root): after a restore the test is in newroot with both children under it, empty, pids.max kept; without one (--nocr, --norst) still in orig",
	  .flavors = ZDTM_FLAVOR_H, .flags = "suid cgroup-root", .opts = "--manage-cgroups");

#define PIDS_MAX "42"

/* path ("/zdtm-NAME-INO/where") and dir (its /sys/fs/cgroup/pids one) of the cgroup named where. */
static void named(const char *where, char *path, char *dir, size_t len)
{
	cgroup_path("pids", where, dir, len);
	snprintf(path, len, "%s", dir + strlen("/sys/fs/cgroup/pids"));
}

/* The test is in the cgroup named where, whose children empty1 (with pids.max) and empty2 are empty. */
static int expect_cgroups(const char *where)
{
	char path[512], dir[512], found[512], sub[600], val[64];

	named(where, path, dir, sizeof(dir));
	if (cgroup_of(gettid(), "pids", found, sizeof(found)))
		return fail("no pids line in /proc/self/cgroup");
	if (expect_str("the test's pids cgroup", found, path))
		return 1;
	for (int i = 1; i <= 2; i++) {
		snprintf(sub, sizeof(sub), "%s/empty%d", dir, i);
		if (cgroup_read(sub, "cgroup.procs", val, sizeof(val)))
			return fail_errno("%s/empty%d: cgroup.procs, expected the empty child there", path, i);
		if (val[0])
			return fail("%s/empty%d holds task %s, expected it empty", path, i, val);
	}
	snprintf(sub, sizeof(sub), "%s/empty1", dir);
	if (cgroup_read(sub, "pids.max", val, sizeof(val)))
		return fail_errno("%s/empty1: pids.max", path);
	return expect_str("pids.max of the empty child", val, PIDS_MAX);
}

int main(int argc, char **argv)
{
	char path[512], dir[512], sub[600];
	long started;

	test_init(argc, argv);
	cgroup_path("pids", NULL, dir, sizeof(dir));
	if (mkdir(dir, 0755))
		return errno == ENOENT ? skip("no cgroup v1 pids hierarchy") : fail_errno("mkdir %s", dir);
	named("orig", path, dir, sizeof(dir));
	for (int i = 0; i <= 2; i++) {
		snprintf(sub, sizeof(sub), i ? "%s/empty%d" : "%s", dir, i);
		if (mkdir(sub, 0755))
			return fail_errno("mkdir %s", sub);
	}
	snprintf(sub, sizeof(sub), "%s/empty1", dir);
	if (cgroup_write(sub, "pids.max", PIDS_MAX) || cgroup_write(dir, "cgroup.procs", "0"))
		return fail_errno("pids.max of empty1, and move into %s", path);
	if (expect_cgroups("orig"))
		return 1;
	/* A restored process is a new one: its start time tells whether a restore happened. */
	started = proc_stat_field(getpid(), 22);

	test_daemon();
	test_waitsig();

	if (expect_cgroups(proc_stat_field(getpid(), 22) != started ? "newroot" : "orig"))
		return 1;
	return pass();
}
