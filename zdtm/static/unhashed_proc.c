#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "the test's cwd is /proc/PID of a child that exited and was reaped: the cwd stays that dead directory (stat: ESRCH), nothing inside it opens",
	  .flavors = ZDTM_ALL_FLAVORS);

static int check(pid_t pid, const char *when)
{
	char link[64] = "", want[64];
	struct stat st;

	snprintf(want, sizeof(want), "/proc/%d (deleted)", pid);
	if (readlink("/proc/self/cwd", link, sizeof(link) - 1) < 0)
		return fail_errno("%s: readlink /proc/self/cwd", when);
	if (expect_str("the cwd", link, want))
		return 1;
	if (stat(".", &st) == 0 || errno != ESRCH)
		return fail_errno("%s: stat of the cwd %s, expected ESRCH (its process is gone)", when, link);
	if (open("stat", O_RDONLY) >= 0)
		return fail("%s: \"stat\" opens in the cwd %s, expected it to fail: the process is gone", when, link);
	if (errno != ENOENT && errno != ESRCH)
		return fail_errno("%s: open \"stat\" in the cwd, expected ENOENT or ESRCH", when);
	return 0;
}

int main(int argc, char **argv)
{
	char path[64];
	int top, ret;
	pid_t pid;

	test_init(argc, argv);
	top = open(".", O_RDONLY);   /* to come back for the verdict's files (no O_DIRECTORY: criu drops it) */
	pid = fork();
	if (top < 0 || pid < 0)
		return fail_errno("open . or fork");
	if (pid == 0)
		for (;;)
			pause();
	snprintf(path, sizeof(path), "/proc/%d", pid);
	if (chdir(path))
		return fail_errno("chdir %s", path);
	kill(pid, SIGKILL);
	if (waitpid(pid, NULL, 0) != pid)
		return fail_errno("waitpid");
	if (check(pid, "before C/R"))
		return fchdir(top), 1;

	test_daemon();
	test_waitsig();

	ret = check(pid, "after C/R");
	if (fchdir(top))
		return fail_errno("fchdir back");
	return ret ?: pass();
}
