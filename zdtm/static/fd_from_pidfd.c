#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an fd the parent copied from its child with pidfd_getfd(): after C/R still one open file in "
		 "both (kcmp), with the O_APPEND flag and the offset they share; the child's write moves the "
		 "parent's offset",
	  .flavors = ZDTM_ALL_FLAVORS);

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif
#ifndef SYS_kcmp
#define SYS_kcmp 312
#endif
#define KCMP_FILE_ 0

#define CHILD_FD 42
#define FIRST 1000
#define MORE 3000

static char data[FIRST + MORE];

static void child(struct zdtm_waiter *w)
{
	int fd = open(test_path("file"), O_RDWR | O_APPEND | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || dup2(fd, CHILD_FD) != CHILD_FD || write_all(CHILD_FD, data, FIRST))
		_exit(1);
	close(fd);
	waiter_post(w, 1);
	waiter_wait(w, 2);
	_exit(write_all(CHILD_FD, data + FIRST, MORE) ? 2 : 0);
}

int main(int argc, char **argv)
{
	static char buf[FIRST + MORE];
	struct zdtm_waiter *w;
	int pidfd, fd, status;
	pid_t pid;

	test_init(argc, argv);
	datagen(data, sizeof(data), 101);
	w = waiter_new();
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0)
		child(w);
	waiter_wait(w, 1);
	pidfd = syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		return fail_errno("pidfd_open");
	fd = syscall(SYS_pidfd_getfd, pidfd, CHILD_FD, 0);
	if (fd < 0)
		return fail_errno("pidfd_getfd of the child's fd %d", CHILD_FD);
	close(pidfd);

	test_daemon();
	test_waitsig();

	if (syscall(SYS_kcmp, getpid(), pid, KCMP_FILE_, fd, CHILD_FD) != 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return fail("kcmp(KCMP_FILE) of the parent's fd %d and the child's fd %d is not 0: two open files, "
			    "expected one", fd, CHILD_FD);
	}
	if (expect_int("O_APPEND in the parent's copy", fcntl(fd, F_GETFL) & O_APPEND, O_APPEND) ||
	    expect_int("offset before the child's write", lseek(fd, 0, SEEK_CUR), FIRST)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return 1;
	}
	waiter_post(w, 2);
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	if (status)
		return fail("the child's write failed: wait status %#x, expected 0", status);
	if (expect_int("the parent's offset after the child's write", lseek(fd, 0, SEEK_CUR), FIRST + MORE))
		return 1;
	if (pread(fd, buf, sizeof(buf), 0) != (ssize_t)sizeof(buf) || expect_bytes("the file", buf, data, sizeof(buf)))
		return 1;
	return pass();
}
