#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "flock() LOCK_EX taken by the parent and held only through the fd a child inherited: still held, still the parent's in /proc/locks, released by the child's LOCK_UN",
	  .flavors = ZDTM_ALL_FLAVORS, .opts = "--file-locks");

/* A fresh open of the file (its own open file description) tries op | LOCK_NB: 0 or errno. */
static int try_lock(int op)
{
	int fd = open(test_path("lock"), O_RDONLY), ret;

	if (fd < 0)
		return -1;
	ret = flock(fd, op | LOCK_NB) ? errno : 0;
	close(fd);
	return ret;
}

int main(int argc, char **argv)
{
	struct zdtm_waiter *w = waiter_new();
	char want[128], found[256] = "";
	int fd, peek, status;
	pid_t pid;

	test_init(argc, argv);
	fd = open(test_path("lock"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB))
		return fail_errno("flock LOCK_EX on %s", test_path("lock"));
	snprintf(want, sizeof(want), "FLOCK ADVISORY WRITE %d 0 EOF", getpid());
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0) {   /* holds the lock through its copy of fd until told to drop it */
		waiter_wait(w, 1);
		_exit(flock(fd, LOCK_UN) ? 1 : 0);
	}
	close(fd);

	test_daemon();
	test_waitsig();

	peek = open(test_path("lock"), O_RDONLY);   /* takes no lock: names the file for proc_locks_of */
	if (peek < 0 || proc_locks_of(peek, found, sizeof(found)) < 0)
		return fail_errno("/proc/locks of %s", test_path("lock"));
	if (expect_str("/proc/locks for the file", found, want) ||
	    expect_int("LOCK_SH of a fresh open: errno", try_lock(LOCK_SH), EWOULDBLOCK))
		return 1;
	waiter_post(w, 1);
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	if (expect_int("the child's LOCK_UN: wait status", status, 0))
		return 1;
	if (expect_int("LOCK_EX of a fresh open after the child's LOCK_UN: errno", try_lock(LOCK_EX), 0))
		return 1;
	return pass();
}
