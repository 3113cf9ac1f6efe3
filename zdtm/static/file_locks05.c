#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "one file flock()ed LOCK_SH by the parent and by a child through their own open files: both held, an exclusive try fails, a shared one succeeds",
	  .flavors = ZDTM_ALL_FLAVORS, .opts = "--file-locks");

/* A fresh open of the file tries op | LOCK_NB: 0 or errno. */
static int try_lock(int op)
{
	int fd = open(test_path("file"), O_RDONLY), ret;

	if (fd < 0)
		return -1;
	ret = flock(fd, op | LOCK_NB) ? errno : 0;
	close(fd);
	return ret;
}

int main(int argc, char **argv)
{
	struct zdtm_waiter *w;  /* 1: the child holds its lock; 2: C/R is over */
	char locks[512], want[512];
	int fd, status;
	pid_t pid;

	test_init(argc, argv);
	w = waiter_new();
	fd = open(test_path("file"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || flock(fd, LOCK_SH | LOCK_NB))
		return fail_errno("flock LOCK_SH");
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0) {
		int cfd = open(test_path("file"), O_RDONLY);

		if (cfd < 0 || flock(cfd, LOCK_SH | LOCK_NB))
			_exit(1);
		waiter_post(w, 1);
		waiter_wait(w, 2);
		_exit(flock(cfd, LOCK_UN) ? 2 : 0);
	}
	waiter_wait(w, 1);
	snprintf(want, sizeof(want), "FLOCK ADVISORY READ %d 0 EOF; FLOCK ADVISORY READ %d 0 EOF",
		 getpid() < pid ? getpid() : pid, getpid() < pid ? pid : getpid());

	test_daemon();
	test_waitsig();

	if (proc_locks_of(fd, locks, sizeof(locks)) < 0)
		return fail_errno("/proc/locks");
	if (expect_str("/proc/locks of the file", locks, want))
		return 1;
	if (expect_int("LOCK_EX|LOCK_NB of a third open file: errno", try_lock(LOCK_EX), EWOULDBLOCK) ||
	    expect_int("LOCK_SH|LOCK_NB of a third open file: errno", try_lock(LOCK_SH), 0))
		return 1;
	waiter_post(w, 2);
	if (waitpid(pid, &status, 0) != pid || expect_int("the child's exit status", status, 0))
		return 1;
	if (flock(fd, LOCK_UN) || expect_int("LOCK_EX|LOCK_NB once both are gone: errno", try_lock(LOCK_EX), 0))
		return 1;
	return pass();
}
