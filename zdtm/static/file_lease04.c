#include <fcntl.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a read lease taken by the parent and held only through the fd a child inherited: still active, still the parent's in /proc/locks, released by the child's F_UNLCK",
	  .flavors = ZDTM_ALL_FLAVORS, .opts = "--file-locks");

/* A writer's open without waiting: 0, or errno (EWOULDBLOCK while the lease holds; it starts a break). */
static int writer_open(void)
{
	int fd = open(test_path("leased"), O_WRONLY | O_NONBLOCK);

	if (fd >= 0)
		close(fd);
	return fd < 0 ? errno : 0;
}

int main(int argc, char **argv)
{
	struct zdtm_waiter *w = waiter_new();
	char want[128], found[256] = "";
	int fd, peek, status;
	pid_t pid;

	test_init(argc, argv);
	if (close(open(test_path("leased"), O_WRONLY | O_CREAT | O_TRUNC, 0644)))
		return fail_errno("create %s", test_path("leased"));
	fd = open(test_path("leased"), O_RDONLY);
	if (fd < 0 || fcntl(fd, F_SETLEASE, F_RDLCK))
		return fail_errno("a read lease on %s", test_path("leased"));
	snprintf(want, sizeof(want), "LEASE ACTIVE READ %d 0 EOF", getpid());
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0) {   /* holds the lease through its copy of fd until told to drop it */
		waiter_wait(w, 1);
		_exit(fcntl(fd, F_GETLEASE) != F_RDLCK ? 2 : fcntl(fd, F_SETLEASE, F_UNLCK) ? 3 : 0);
	}
	close(fd);

	test_daemon();
	test_waitsig();

	peek = open(test_path("leased"), O_RDONLY);   /* a reader does not break a read lease */
	if (peek < 0 || proc_locks_of(peek, found, sizeof(found)) < 0)
		return fail_errno("/proc/locks of %s", test_path("leased"));
	close(peek);
	if (expect_str("/proc/locks for the file", found, want))
		return 1;
	waiter_post(w, 1);
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	if (expect_int("the child's F_GETLEASE (exit 2 if not F_RDLCK), F_UNLCK (3): wait status", status, 0) ||
	    expect_int("a writer's open after the child's F_UNLCK: errno", writer_open(), 0))
		return 1;
	return pass();
}
