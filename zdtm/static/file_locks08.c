#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an OFD write lock (F_OFD_SETLK) held only through the fd a child inherited: still held after C/R, released by the child's F_UNLCK",
	  .flavors = ZDTM_ALL_FLAVORS, .opts = "--file-locks");

#define START 100
#define LEN 400

/* What a fresh open file description meets when it wants to write [start, start + len). */
static int conflict(off_t start, off_t len)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = start, .l_len = len };
	int fd = open(test_path("lock"), O_RDWR), ret;

	ret = fd < 0 || fcntl(fd, F_OFD_GETLK, &fl) ? -1 : fl.l_type;
	close(fd);
	return ret;
}

int main(int argc, char **argv)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = START, .l_len = LEN };
	struct zdtm_waiter *w = waiter_new();
	char found[256] = "";
	int fd, peek, status;
	pid_t pid;

	test_init(argc, argv);
	fd = open(test_path("lock"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || fcntl(fd, F_OFD_SETLK, &fl))
		return fail_errno("an OFD write lock on %s", test_path("lock"));
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0) {   /* holds the lock through its copy of fd until told to drop it */
		waiter_wait(w, 1);
		fl.l_type = F_UNLCK;
		_exit(fcntl(fd, F_OFD_SETLK, &fl) ? 1 : 0);
	}
	close(fd);

	test_daemon();
	test_waitsig();

	peek = open(test_path("lock"), O_RDONLY);   /* takes no lock: names the file for proc_locks_of */
	if (peek < 0 || proc_locks_of(peek, found, sizeof(found)) < 0)
		return fail_errno("/proc/locks of %s", test_path("lock"));
	if (expect_str("/proc/locks for the file", found, "OFDLCK ADVISORY WRITE -1 100 499") ||
	    expect_int("a fresh writer inside the range meets", conflict(START + LEN - 1, 1), F_WRLCK) ||
	    expect_int("a fresh writer just before it meets", conflict(0, START), F_UNLCK))
		return 1;
	waiter_post(w, 1);
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	if (expect_int("the child's F_UNLCK: wait status", status, 0) ||
	    expect_int("a fresh writer after the child's F_UNLCK meets", conflict(START, LEN), F_UNLCK))
		return 1;
	return pass();
}
