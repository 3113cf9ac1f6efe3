#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an fd on /proc/PID of a child that exited and was reaped: still the directory '/proc/PID (deleted)', and nothing inside it opens (the process is gone)",
	  .flavors = ZDTM_ALL_FLAVORS);

static int check(int fd, pid_t pid, const char *when)
{
	char path[64], link[64] = "", want[64];
	struct stat st;
	int in;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	snprintf(want, sizeof(want), "/proc/%d (deleted)", pid);
	if (readlink(path, link, sizeof(link) - 1) < 0 || fstat(fd, &st))
		return fail_errno("%s: readlink or fstat %s", when, path);
	if (expect_str(when, link, want) || expect_int("the fd is a directory", S_ISDIR(st.st_mode), 1) ||
	    expect_int("the fd's access mode", fcntl(fd, F_GETFL) & O_ACCMODE, O_RDONLY))
		return 1;
	in = openat(fd, "stat", O_RDONLY);
	if (in >= 0)
		return fail("%s: openat(%s, \"stat\") works, expected it to fail: the process is gone", when, link);
	if (errno != ENOENT && errno != ESRCH)
		return fail_errno("%s: openat(%s, \"stat\"), expected ENOENT or ESRCH", when, link);
	return 0;
}

int main(int argc, char **argv)
{
	char path[64];
	pid_t pid;
	int fd;

	test_init(argc, argv);
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0)
		for (;;)
			pause();
	snprintf(path, sizeof(path), "/proc/%d", pid);
	fd = open(path, O_RDONLY);   /* not O_DIRECTORY: criu 4.2.1 drops it from any directory fd */
	if (fd < 0)
		return fail_errno("open %s", path);
	kill(pid, SIGKILL);
	if (waitpid(pid, NULL, 0) != pid)
		return fail_errno("waitpid");
	if (check(fd, pid, "before C/R"))
		return 1;

	test_daemon();
	test_waitsig();

	if (check(fd, pid, "after C/R"))
		return 1;
	return pass();
}
