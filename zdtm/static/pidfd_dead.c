#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "pidfds of two exited and reaped children (two pidfds of the first): fdinfo Pid -1, readable, ESRCH to signals, one pidfs inode per process",
	  .flavors = ZDTM_ALL_FLAVORS);

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

enum { A1, A2, B, NFDS };
static const char *names[NFDS] = { "the first pidfd of child A", "the second pidfd of child A",
				   "the pidfd of child B" };

/* A child that waits to be killed, with a pidfd open on it. */
static pid_t dead_child(int *fd)
{
	pid_t pid = fork();

	if (pid == 0) {
		for (;;)
			pause();
	}
	if (pid < 0)
		return -1;
	*fd = syscall(SYS_pidfd_open, pid, 0);
	return pid;
}

static int check_fd(int i, int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char pid[32];

	if (fdinfo_lines(fd, "Pid:", pid, sizeof(pid)) != 1)
		return fail("%s (fd %d) has no Pid line in its fdinfo", names[i], fd);
	if (expect_int(names[i], atoi(pid), -1))
		return 1;
	if (poll(&pfd, 1, 0) != 1 || !(pfd.revents & POLLIN))
		return fail("%s does not poll readable (revents %#x), expected POLLIN: the process is gone", names[i],
			    pfd.revents);
	if (syscall(SYS_pidfd_send_signal, fd, 0, NULL, 0) != -1 || errno != ESRCH)
		return fail_errno("pidfd_send_signal(0) through %s, expected ESRCH", names[i]);
	return 0;
}

static int check(const int fd[NFDS])
{
	struct stat st[NFDS];

	for (int i = 0; i < NFDS; i++) {
		if (check_fd(i, fd[i]))
			return 1;
		if (fstat(fd[i], &st[i]))
			return fail_errno("fstat %s", names[i]);
	}
	if (st[A1].st_ino != st[A2].st_ino || st[A1].st_dev != st[A2].st_dev)
		return fail("the pidfds of child A are inodes %lu and %lu, expected one (one pidfs inode per process)",
			    (unsigned long)st[A1].st_ino, (unsigned long)st[A2].st_ino);
	if (st[A1].st_ino == st[B].st_ino)
		return fail("the pidfds of children A and B are both inode %lu, expected two", (unsigned long)st[B].st_ino);
	return 0;
}

int main(int argc, char **argv)
{
	int fd[NFDS];
	pid_t a, b;

	test_init(argc, argv);
	a = dead_child(&fd[A1]);
	b = dead_child(&fd[B]);
	if (a < 0 || b < 0)
		return fail_errno("fork");
	if (fd[A1] < 0 || fd[B] < 0)
		return skip("pidfd_open: %s", strerror(errno));
	fd[A2] = syscall(SYS_pidfd_open, a, 0);
	if (fd[A2] < 0)
		return fail_errno("pidfd_open child A again");
	kill(a, SIGKILL);
	kill(b, SIGKILL);
	if (waitpid(a, NULL, 0) != a || waitpid(b, NULL, 0) != b)
		return fail_errno("waitpid");
	if (check(fd))
		return 1;

	test_daemon();
	test_waitsig();

	if (check(fd))
		return 1;
	return pass();
}
