#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an fd on /proc/PID/mountinfo of a child that exited and was reaped: same link name, and it still reads the mount table of the test's namespace",
	  .flavors = ZDTM_ALL_FLAVORS);

#define BUF 65536

static char mine[BUF], theirs[BUF];

static int check(int fd, const char *link_before, const char *when)
{
	char path[64], link[128] = "";
	int self = open("/proc/self/mountinfo", O_RDONLY);
	ssize_t n, m;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (self < 0 || readlink(path, link, sizeof(link) - 1) < 0)
		return fail_errno("%s: open /proc/self/mountinfo or readlink %s", when, path);
	if (expect_str(when, link, link_before))
		return 1;
	n = read_all(self, mine, BUF - 1);
	close(self);
	m = pread(fd, theirs, BUF - 1, 0);
	if (n <= 0 || m < 0)
		return fail_errno("%s: read the mount tables (%zd and %zd bytes)", when, n, m);
	mine[n] = theirs[m] = 0;
	return expect_str("the dead child's mountinfo, against the test's own", theirs, mine);
}

int main(int argc, char **argv)
{
	char path[64], link[128] = "";
	pid_t pid;
	int fd;

	test_init(argc, argv);
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0)
		for (;;)
			pause();
	snprintf(path, sizeof(path), "/proc/%d/mountinfo", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return fail_errno("open %s", path);
	kill(pid, SIGKILL);
	if (waitpid(pid, NULL, 0) != pid)
		return fail_errno("waitpid");
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (readlink(path, link, sizeof(link) - 1) < 0)
		return fail_errno("readlink %s", path);
	if (check(fd, link, "before C/R"))
		return 1;

	test_daemon();
	test_waitsig();

	if (check(fd, link, "after C/R"))
		return 1;
	return pass();
}
