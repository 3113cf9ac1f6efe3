#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "the test in a cgroup2 cgroup (the unified hierarchy) below one of its own with cgroup.max.descendants and cgroup.max.depth set: the same cgroup and limits after C/R (the runner removes the cgroups while the test is dumped)",
	  .flavors = ZDTM_FLAVOR_H, .flags = "suid nofreezecg", .opts = "--manage-cgroups");

#define HIER "unified"

int main(int argc, char **argv)
{
	char top[256], leaf[256], found[256], val[32], val2[32];

	test_init(argc, argv);
	if (access("/sys/fs/cgroup/" HIER "/cgroup.procs", W_OK))
		return skip("no writable cgroup2 at /sys/fs/cgroup/" HIER);
	if (mkdir(cgroup_path(HIER, NULL, top, sizeof(top)), 0755) ||
	    mkdir(cgroup_path(HIER, "leaf", leaf, sizeof(leaf)), 0755) ||
	    cgroup_write(top, "cgroup.max.descendants", "7") || cgroup_write(top, "cgroup.max.depth", "3") ||
	    cgroup_write(leaf, "cgroup.procs", "0"))
		return fail_errno("cgroup2 %s with limits, the test in leaf", top);

	test_daemon();
	test_waitsig();

	if (cgroup_of(gettid(), "", found, sizeof(found)))
		return fail("no cgroup2 line in /proc/self/cgroup");
	if (expect_str("cgroup2 cgroup", found, leaf + strlen("/sys/fs/cgroup/" HIER)))
		return 1;
	if (cgroup_read(top, "cgroup.max.descendants", val, sizeof(val)) ||
	    cgroup_read(top, "cgroup.max.depth", val2, sizeof(val2)))
		return fail_errno("read the limits of %s", top);
	snprintf(found, sizeof(found), "max.descendants %s max.depth %s", val, val2);
	return expect_str("limits of the top cgroup", found, "max.descendants 7 max.depth 3") ? 1 : pass();
}
