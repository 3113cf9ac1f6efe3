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

ZDTM_TEST(.doc = "a child in a mount namespace of its own whose root mount it remounted read-only: its mounts with their options (/ ro), the test's / still rw",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

static struct zdtm_waiter *w;   /* 1: the child is set up (or gave up) */
static char *finding, tree[2][32768];

static void child(void)
{
	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL))
		note(finding, "own mount namespace, / remounted ro: %s", strerror(errno));
	waiter_post(w, 1);
	for (;;)
		pause();
}

/* The child's / is read-only (seen through /proc/PID/root), the test's is not. */
static int expect_ro(pid_t pid)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/proc/%d/root/test/%s", pid, test_path("new"));
	if (!mknod(path, S_IFREG | 0600, 0) || errno != EROFS)
		return fail("create %s: %s, expected EROFS", path, strerror(errno));
	if (mknod(test_path("mine"), S_IFREG | 0600, 0) || unlink(test_path("mine")))
		return fail_errno("create and remove %s in the test's own rw root", test_path("mine"));
	return 0;
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
	if (mountinfo_tree(pid, "/", tree[0], sizeof(tree[0])) < 1 || !strstr(tree[0], " ro,") || expect_ro(pid))
		return end(pid, fail("the child's mounts:\n%s\nexpected / ro", tree[0]));

	test_daemon();
	test_waitsig();

	if (mountinfo_tree(pid, "/", tree[1], sizeof(tree[1])) < 0)
		return end(pid, fail_errno("the child's mountinfo"));
	if (expect_lines("the child's mounts", tree[1], tree[0]) || expect_ro(pid))
		return end(pid, 1);
	return end(pid, pass());
}
