#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a child blocked in flock(LOCK_EX) behind the parent's LOCK_EX: still waiting in /proc/locks after C/R, it gets the lock when the parent unlocks",
	  .flavors = ZDTM_ALL_FLAVORS, .opts = "--file-locks");

int main(int argc, char **argv)
{
	char want[128], found[256] = "";
	int fd, status;
	pid_t pid;

	test_init(argc, argv);
	fd = open(test_path("lock"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB))
		return fail_errno("flock LOCK_EX on %s", test_path("lock"));
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0) {   /* its own open file description: it waits until the parent unlocks */
		int mine = open(test_path("lock"), O_RDWR);

		_exit(mine < 0 || flock(mine, LOCK_EX) ? 1 : 0);
	}
	snprintf(want, sizeof(want), "-> FLOCK ADVISORY WRITE %d 0 EOF; FLOCK ADVISORY WRITE %d 0 EOF", pid, getpid());
	while (proc_locks_of(fd, found, sizeof(found)) < 2)
		usleep(1000);   /* the child opens and blocks */
	if (expect_str("/proc/locks before C/R", found, want))
		return 1;

	test_daemon();
	test_waitsig();

	/* a restored waiter restarts its flock(): give it 2 s to queue up again */
	for (int ms = 0; ms < 2000 && proc_locks_of(fd, found, sizeof(found)) < 2; ms++)
		usleep(1000);
	if (expect_str("/proc/locks for the file", found, want))
		return 1;
	if (expect_int("the child before the unlock: waitpid WNOHANG", waitpid(pid, &status, WNOHANG), 0))
		return 1;
	if (flock(fd, LOCK_UN))
		return fail_errno("LOCK_UN");
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	if (expect_int("the child's flock once unlocked: wait status", status, 0))
		return 1;
	return pass();
}
