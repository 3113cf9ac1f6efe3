#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "the test in a cgroup namespace of its own, rooted at its own v1 pids cgroup, then moved into a cgroup below: the namespace kept (not the job's), /proc/self/cgroup shows /inner, the task is in that cgroup after C/R",
	  .flavors = ZDTM_FLAVOR_H, .flags = "suid", .opts = "--manage-cgroups");

static int ns_ino(const char *path, unsigned long *ino)
{
	struct stat st;

	if (stat(path, &st))
		return -1;
	*ino = st.st_ino;
	return 0;
}

/* The namespace is our own (not pid 1's, the job's), /proc/self/cgroup shows /inner for pids,
 * and the inner cgroup's cgroup.procs holds us. */
static int check(unsigned long job_ns, const char *inner)
{
	char found[256], procs[64], me[16];
	unsigned long ours;

	if (ns_ino("/proc/self/ns/cgroup", &ours))
		return fail_errno("stat /proc/self/ns/cgroup");
	if (ours == job_ns)
		return fail("the test is in the job's cgroup namespace (inode %lu), expected its own", ours);
	if (cgroup_of(gettid(), "pids", found, sizeof(found)) || expect_str("pids cgroup in the namespace", found, "/inner"))
		return 1;
	snprintf(me, sizeof(me), "%d", getpid());
	if (cgroup_read(inner, "cgroup.procs", procs, sizeof(procs)))
		return fail_errno("read %s/cgroup.procs", inner);
	return expect_str("tasks of the inner cgroup", procs, me);
}

int main(int argc, char **argv)
{
	char top[256], inner[256];
	unsigned long job_ns;

	test_init(argc, argv);
	if (ns_ino("/proc/1/ns/cgroup", &job_ns))
		return fail_errno("stat /proc/1/ns/cgroup");
	if (mkdir(cgroup_path("pids", NULL, top, sizeof(top)), 0755) ||
	    mkdir(cgroup_path("pids", "inner", inner, sizeof(inner)), 0755))
		return errno == ENOENT ? skip("no cgroup v1 pids hierarchy") : fail_errno("mkdir %s", inner);
	if (cgroup_write(top, "cgroup.procs", "0") || unshare(CLONE_NEWCGROUP) ||
	    cgroup_write(inner, "cgroup.procs", "0"))
		return fail_errno("into %s, a new cgroup namespace, then into inner", top);
	if (check(job_ns, inner))
		return 1;

	test_daemon();
	test_waitsig();

	return check(job_ns, inner) ? 1 : pass();
}
