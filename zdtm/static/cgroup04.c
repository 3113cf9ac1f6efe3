#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "the test in cgroups of its own in the v1 cpu, memory and pids hierarchies with cpu.shares, cpu.cfs_quota_us, memory.limit_in_bytes, memory.swappiness and pids.max set: same cgroups, same values after C/R (the runner removes the cgroups while the test is dumped)",
	  .flavors = ZDTM_FLAVOR_H, .flags = "suid", .opts = "--manage-cgroups");

static const struct { const char *hier, *file, *val; } props[] = {
	{ "cpu", "cpu.shares", "512" },
	{ "cpu", "cpu.cfs_quota_us", "50000" },
	{ "memory", "memory.limit_in_bytes", "67108864" },
	{ "memory", "memory.swappiness", "17" },
	{ "pids", "pids.max", "77" },
};
#define NPROPS (sizeof(props) / sizeof(props[0]))

/* Our cgroup in hier is the test's own one. */
static int expect_in(const char *hier)
{
	char dir[256], rel[256], found[256];

	cgroup_path(hier, NULL, dir, sizeof(dir));
	snprintf(rel, sizeof(rel), "%s", dir + strlen("/sys/fs/cgroup/") + strlen(hier));
	if (cgroup_of(gettid(), hier, found, sizeof(found)))
		return fail("no %s line in /proc/self/cgroup", hier);
	return expect_str(hier, found, rel);
}

int main(int argc, char **argv)
{
	char dir[256], val[64];

	test_init(argc, argv);
	for (size_t i = 0; i < NPROPS; i++) {
		cgroup_path(props[i].hier, NULL, dir, sizeof(dir));
		if (access(dir, F_OK) && mkdir(dir, 0755))
			return errno == ENOENT ? skip("no cgroup v1 %s hierarchy", props[i].hier)
					       : fail_errno("mkdir %s", dir);
		if (cgroup_write(dir, props[i].file, props[i].val) || cgroup_write(dir, "cgroup.procs", "0"))
			return fail_errno("%s = %s, and move in", props[i].file, props[i].val);
	}

	test_daemon();
	test_waitsig();

	for (size_t i = 0; i < NPROPS; i++) {
		cgroup_path(props[i].hier, NULL, dir, sizeof(dir));
		if (expect_in(props[i].hier))
			return 1;
		if (cgroup_read(dir, props[i].file, val, sizeof(val)))
			return fail_errno("read %s/%s", dir, props[i].file);
		if (expect_str(props[i].file, val, props[i].val))
			return 1;
	}
	return pass();
}
