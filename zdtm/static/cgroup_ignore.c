#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "--manage-cgroups=ignore: the test in a v1 pids cgroup of its own is restored into the cgroup criu runs in (the job's), not into its old one, which is not made again",
	  .flavors = ZDTM_FLAVOR_H, .flags = "suid nofreezecg", .opts = "--manage-cgroups=ignore");

int main(int argc, char **argv)
{
	char dir[256], job[256], found[256];
	long start;
	FILE *f;

	test_init(argc, argv);
	/* The job's cgroup: pid 1 of the job (its init) runs criu. */
	f = fopen("/proc/1/cgroup", "re");
	while (f && fgets(found, sizeof(found), f))
		if (!strncmp(strchr(found, ':') ? strchr(found, ':') : "", ":pids:", 6))
			snprintf(job, sizeof(job), "%.*s", (int)strcspn(strchr(found, ':') + 6, "\n"), strchr(found, ':') + 6);
	if (f)
		fclose(f);
	if (mkdir(cgroup_path("pids", NULL, dir, sizeof(dir)), 0755))
		return errno == ENOENT ? skip("no cgroup v1 pids hierarchy") : fail_errno("mkdir %s", dir);
	if (cgroup_write(dir, "cgroup.procs", "0"))
		return fail_errno("move into %s", dir);

	start = proc_stat_field(getpid(), 22);

	test_daemon();
	test_waitsig();

	if (cgroup_of(gettid(), "pids", found, sizeof(found)))
		return fail("no pids line in /proc/self/cgroup");
	/* A restored process starts anew (its start time is the restore's); without a restore
	 * (--nocr, --norst) the test stays where it was. */
	if (proc_stat_field(getpid(), 22) == start)
		return expect_str("pids cgroup, not restored", found, dir + strlen("/sys/fs/cgroup/pids")) ? 1 : pass();
	if (expect_str("pids cgroup after the restore (the job's)", found, job))
		return 1;
	return access(dir, F_OK) ? pass() : fail("%s was made again", dir);
}
