#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "empty cgroups (no task in them) below the test's own v1 pids cgroup, one nested, one with pids.max set: all there after C/R, the property kept (the runner removes the cgroups while the test is dumped)",
	  .flavors = ZDTM_FLAVOR_H, .flags = "suid", .opts = "--manage-cgroups");

static const char *const subs[] = { NULL, "empty.a", "empty.b", "empty.b/nested" };

int main(int argc, char **argv)
{
	char dir[256], val[32];

	test_init(argc, argv);
	for (int i = 0; i < 4; i++)
		if (mkdir(cgroup_path("pids", subs[i], dir, sizeof(dir)), 0755))
			return errno == ENOENT ? skip("no cgroup v1 pids hierarchy") : fail_errno("mkdir %s", dir);
	if (cgroup_write(cgroup_path("pids", NULL, dir, sizeof(dir)), "cgroup.procs", "0") ||
	    cgroup_write(cgroup_path("pids", "empty.a", dir, sizeof(dir)), "pids.max", "5"))
		return fail_errno("move into the top cgroup, pids.max 5 in empty.a");

	test_daemon();
	test_waitsig();

	for (int i = 1; i < 4; i++)
		if (access(cgroup_path("pids", subs[i], dir, sizeof(dir)), F_OK))
			return fail_errno("the empty cgroup %s after C/R", dir);
	if (cgroup_read(cgroup_path("pids", "empty.a", dir, sizeof(dir)), "pids.max", val, sizeof(val)))
		return fail_errno("read %s/pids.max", dir);
	if (expect_str("pids.max of empty.a", val, "5") ||
	    cgroup_read(cgroup_path("pids", "empty.b/nested", dir, sizeof(dir)), "cgroup.procs", val, sizeof(val)) ||
	    expect_str("tasks of empty.b/nested", val, ""))
		return 1;
	return pass();
}
