#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a child in the test's cgroup namespace (rooted at the test's pids cgroup ns/) moved into a cgroup outside that root (stray, its sibling): the child's /proc/self/cgroup shows /../stray, and both stay where they were after C/R",
	  .flavors = ZDTM_FLAVOR_H, .flags = "suid", .opts = "--manage-cgroups");

static struct zdtm_waiter *w;   /* 1: the child is in its cgroup namespace; 2: C/R over */
static char *finding;

static int child(void)
{
	char found[256];

	waiter_post(w, 1);
	waiter_wait(w, 2);
	if (cgroup_of(gettid(), "pids", found, sizeof(found)) || strcmp(found, "/../stray"))
		return note(finding, "the child's pids cgroup is \"%s\", expected /../stray", found);
	return 0;
}

int main(int argc, char **argv)
{
	char problem[ZDTM_FINDING_LEN] = "", top[256], ns[256], stray[256], found[256], pid_s[16];
	int status;
	pid_t pid;

	test_init(argc, argv);
	w = waiter_new();
	finding = finding_new();
	if (mkdir(cgroup_path("pids", NULL, top, sizeof(top)), 0755) ||
	    mkdir(cgroup_path("pids", "ns", ns, sizeof(ns)), 0755) ||
	    mkdir(cgroup_path("pids", "stray", stray, sizeof(stray)), 0755))
		return errno == ENOENT ? skip("no cgroup v1 pids hierarchy") : fail_errno("mkdir %s", stray);
	if (!finding || cgroup_write(ns, "cgroup.procs", "0") || unshare(CLONE_NEWCGROUP))
		return fail_errno("into %s, then a new cgroup namespace", ns);
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0)
		_exit(child());
	waiter_wait(w, 1);
	snprintf(pid_s, sizeof(pid_s), "%d", pid);
	if (cgroup_write(stray, "cgroup.procs", pid_s)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return fail_errno("move the child into %s", stray);
	}

	test_daemon();
	test_waitsig();

	if (cgroup_of(gettid(), "pids", found, sizeof(found)) || strcmp(found, "/"))
		note(problem, "the test's pids cgroup is \"%s\", expected / (its namespace's root)", found);
	if (cgroup_read(stray, "cgroup.procs", found, sizeof(found)) || strcmp(found, pid_s))
		note(problem, "%s holds \"%s\", expected the child %s", stray, found, pid_s);
	waiter_post(w, 2);
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	return expect_clean_end(finding, problem, status) ? 1 : pass();
}
