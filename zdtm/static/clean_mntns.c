#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a child in a mount namespace of its own that unmounted every mount but its root (no /proc, /dev, /dev/pts left): its namespace holds the one root mount, the test's mounts are all there",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

static struct zdtm_waiter *w;   /* 1: the child is set up (or gave up) */
static char *finding, tree[2][32768], mine[2][32768];

/* Unmounts the mount points of mountinfo, the last mounted first, all but "/". */
static void child(void)
{
	static char points[64][PATH_MAX], line[8192];
	FILE *f;
	int n = 0;

	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    !(f = fopen("/proc/self/mountinfo", "r"))) {
		note(finding, "own mount namespace: %s", strerror(errno));
		goto out;
	}
	while (n < 64 && fgets(line, sizeof(line), f))
		if (sscanf(line, "%*d %*d %*u:%*u %*s %4095s", points[n]) == 1 && strcmp(points[n], "/"))
			n++;
	fclose(f);
	while (n--)
		if (umount2(points[n], MNT_DETACH) && errno != EINVAL)   /* EINVAL: gone with its parent */
			note(finding, "umount %s: %s", points[n], strerror(errno));
out:
	waiter_post(w, 1);
	for (;;)
		pause();
}

static int end(pid_t pid, int verdict)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return verdict;
}

int main(int argc, char **argv)
{
	pid_t pid;

	test_init(argc, argv);
	w = waiter_new();
	if (!(finding = finding_new()))
		return fail_errno("mmap");
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0)
		child();
	waiter_wait(w, 1);
	if (finding[0])
		return end(pid, fail("the child: %s", finding));
	if (mountinfo_tree(pid, "/", tree[0], sizeof(tree[0])) != 1 || mountinfo_tree(0, "/", mine[0], sizeof(mine[0])) < 3)
		return end(pid, fail("the child's mounts:\n%s\nexpected its root alone; the test's:\n%s", tree[0], mine[0]));

	test_daemon();
	test_waitsig();

	if (mountinfo_tree(pid, "/", tree[1], sizeof(tree[1])) < 0 || mountinfo_tree(0, "/", mine[1], sizeof(mine[1])) < 0)
		return end(pid, fail_errno("mountinfo"));
	if (expect_lines("the child's mounts", tree[1], tree[0]) || expect_lines("the test's mounts", mine[1], mine[0]))
		return end(pid, 1);
	return end(pid, pass());
}
