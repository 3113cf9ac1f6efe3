#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "the test holds /proc/PID/stat of its live child open at an offset: same link, offset, and reading it gives that child's stat",
	  .flavors = ZDTM_ALL_FLAVORS);

#define OFFSET 3L   /* read once before C/R: the position is part of the state */

static int check(int fd, pid_t pid, const char *when)
{
	char path[64], link[64] = "", want[64], buf[512];
	int ppid = 0;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	snprintf(want, sizeof(want), "/proc/%d/stat", pid);
	if (readlink(path, link, sizeof(link) - 1) < 0)
		return fail_errno("%s: readlink %s", when, path);
	if (expect_str(when, link, want) || expect_int("the fd's offset", lseek(fd, 0, SEEK_CUR), OFFSET))
		return 1;
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return fail_errno("%s: pread %s", when, want);
	buf[n] = 0;
	/* pid, comm, then the state (which moves: the child wakes for a moment when criu lets it go),
	 * then the ppid */
	snprintf(want, sizeof(want), "%d (%.15s) ", pid, test_name());
	if (strncmp(buf, want, strlen(want)) || sscanf(buf + strlen(want), "%*c %d", &ppid) != 1 || ppid != getpid())
		return fail("%s: the stat reads \"%.60s\", expected \"%sX %d ...\"", when, buf, want, getpid());
	return 0;
}

int main(int argc, char **argv)
{
	char path[64], c[OFFSET];
	int fd, status;
	pid_t pid;

	test_init(argc, argv);
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0)
		for (;;)
			pause();
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0 || read(fd, c, OFFSET) != OFFSET)
		return fail_errno("open and read %s", path);
	while (proc_state(pid) != 'S')   /* asleep in pause() */
		usleep(1000);
	if (check(fd, pid, "before C/R"))
		return 1;

	test_daemon();
	test_waitsig();

	if (check(fd, pid, "after C/R"))
		return 1;
	kill(pid, SIGKILL);
	if (waitpid(pid, &status, 0) != pid || !WIFSIGNALED(status))
		return fail("the child did not end by SIGKILL (status %#x)", status);
	return pass();
}
