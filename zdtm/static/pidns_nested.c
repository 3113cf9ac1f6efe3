#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a pid namespace nested in the test's: its init (pid 1 inside) and a second task (pid 2): their NSpid lines, the namespace not the test's",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

static struct zdtm_waiter *w;   /* 1: the inner tasks are there (or the child gave up) */
static char *finding;
static pid_t *inner;            /* shared: the inner tasks' pids as the test sees them */

static void child(void)
{
	pid_t init;

	if (unshare(CLONE_NEWPID)) {
		note(finding, "unshare(CLONE_NEWPID): %s", strerror(errno));
		waiter_post(w, 1);
		_exit(1);
	}
	init = fork();
	if (init == 0) {   /* pid 1 of the new namespace */
		if (fork() == 0)
			for (;;)
				pause();
		for (;;)
			pause();
	}
	if (init < 0)
		note(finding, "fork the inner init: %s", strerror(errno));
	waitpid(init, NULL, 0);   /* until the test kills it */
	_exit(0);
}

/* The NSpid lines of the child's children (from /proc/PID/task/PID/children) */
static int describe(pid_t pid, char *out, size_t len)
{
	char path[96], line[256];
	size_t used = 0;
	pid_t kids[2] = { 0, 0 };
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", pid, pid);
	if (!(f = fopen(path, "r")) || fscanf(f, "%d", &kids[0]) != 1)
		return fail_errno("the inner init in %s", path);
	fclose(f);
	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", kids[0], kids[0]);
	if (!(f = fopen(path, "r")) || fscanf(f, "%d", &kids[1]) != 1)
		return fail_errno("the inner init's child in %s", path);
	fclose(f);
	out[0] = 0;
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "/proc/%d/status", kids[i]);
		if (!(f = fopen(path, "r")))
			return fail_errno("open %s", path);
		while (fgets(line, sizeof(line), f))
			if (!strncmp(line, "NSpid:", 6))
				used += snprintf(out + used, len - used, "%s", line);
		fclose(f);
	}
	inner[0] = kids[0];
	return 0;
}

/* The child's child (the inner init) has a child of its own. */
static bool inner_ready(pid_t pid)
{
	char path[96];
	pid_t kid = 0, grandkid = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", pid, pid);
	if ((f = fopen(path, "r"))) {
		if (fscanf(f, "%d", &kid) != 1)
			kid = 0;
		fclose(f);
	}
	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", kid, kid);
	if (kid && (f = fopen(path, "r"))) {
		if (fscanf(f, "%d", &grandkid) != 1)
			grandkid = 0;
		fclose(f);
	}
	return grandkid > 0;
}

static int end(pid_t pid, int verdict)
{
	if (inner[0] > 0)
		kill(inner[0], SIGKILL);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return verdict;
}

int main(int argc, char **argv)
{
	char before[512], after[512], want[64];
	struct stat mine, its;
	pid_t pid;

	test_init(argc, argv);
	w = waiter_new();
	if (!(finding = finding_new()) || !(inner = (pid_t *)finding_new()))
		return fail_errno("mmap");
	inner[0] = 0;
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0)
		child();
	for (int i = 0; i < 200 && !finding[0] && !inner_ready(pid); i++)   /* up to 2 s */
		usleep(10000);
	if (finding[0] || !inner_ready(pid))
		return end(pid, fail("the child: %s", finding[0] ? finding : "no inner tasks after 2 s"));
	if (describe(pid, before, sizeof(before)))
		return end(pid, 1);
	snprintf(want, sizeof(want), "/proc/%d/ns/pid", inner[0]);
	if (stat(want, &its) || stat("/proc/self/ns/pid", &mine) || its.st_ino == mine.st_ino)
		return end(pid, fail("the inner init's pid namespace is the test's"));
	snprintf(want, sizeof(want), "\t1\n");
	if (!strstr(before, want))
		return end(pid, fail("NSpid lines \"%s\", expected pid 1 inside", before));

	test_daemon();
	test_waitsig();

	if (describe(pid, after, sizeof(after)))
		return end(pid, 1);
	return end(pid, expect_str("the inner tasks' NSpid", after, before) ? 1 : pass());
}
