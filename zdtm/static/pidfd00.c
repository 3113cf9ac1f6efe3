#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "two pidfds (one PIDFD_NONBLOCK) of a live child: fdinfo Pid, pidfd_send_signal, waitid(P_PIDFD)",
	  .flavors = ZDTM_ALL_FLAVORS);

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif
#ifndef PIDFD_NONBLOCK
#define PIDFD_NONBLOCK O_NONBLOCK
#endif
#ifndef P_PIDFD
#define P_PIDFD 3
#endif

#define EXIT_CODE 42

/* What the child saw: the signal it waited for, and who sent it. */
struct report {
	int signo, code;
	pid_t sender;
};

/* The "Pid:" of the pidfd's fdinfo, or -1. */
static int fdinfo_pid(int fd)
{
	char buf[64];

	return fdinfo_lines(fd, "Pid:", buf, sizeof(buf)) == 1 ? atoi(buf) : -1;
}

static void child_fn(struct zdtm_waiter *w, int rep)
{
	struct timespec tmo = { .tv_sec = 10 };
	struct report r = { 0 };
	siginfo_t si = { 0 };
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	waiter_post(w, 1);
	waiter_wait(w, 2);
	r.signo = sigtimedwait(&set, &si, &tmo);
	r.code = si.si_code;
	r.sender = si.si_pid;
	_exit(write_all(rep, &r, sizeof(r)) ? 1 : EXIT_CODE);
}

static int check_fds(int fd, int nb, pid_t child)
{
	return expect_int("fdinfo Pid of the pidfd", fdinfo_pid(fd), child) ||
	       expect_int("fdinfo Pid of the nonblocking pidfd", fdinfo_pid(nb), child) ||
	       expect_int("O_NONBLOCK of the pidfd", fcntl(fd, F_GETFL) & O_NONBLOCK, 0) ||
	       expect_int("O_NONBLOCK of the nonblocking pidfd", fcntl(nb, F_GETFL) & O_NONBLOCK, O_NONBLOCK);
}

/* A live child: nothing to reap through the nonblocking pidfd, nothing to read on either. */
static int check_alive(int fd, int nb)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	siginfo_t si = { 0 };

	if (waitid(P_PIDFD, nb, &si, WEXITED) != -1 || errno != EAGAIN)
		return fail_errno("waitid on the nonblocking pidfd of a live child: pid %d, expected EAGAIN",
				  si.si_pid);
	if (poll(&pfd, 1, 0) != 0)
		return fail("the pidfd of a live child polls readable (revents %#x)", pfd.revents);
	return 0;
}

static int check_signal_and_exit(int fd, int nb, pid_t child, int rep, struct zdtm_waiter *w)
{
	struct pollfd pfd = { .fd = nb, .events = POLLIN };
	struct report r = { 0 };
	siginfo_t si = { 0 };

	if (syscall(SYS_pidfd_send_signal, fd, SIGUSR1, NULL, 0))
		return fail_errno("pidfd_send_signal");
	waiter_post(w, 2);
	if (read_all(rep, &r, sizeof(r)) != sizeof(r))
		return fail("the child sent no report");
	if (expect_int("signal the child got", r.signo, SIGUSR1) ||
	    expect_int("its si_code", r.code, SI_USER) || expect_int("its sender", r.sender, getpid()))
		return 1;
	if (poll(&pfd, 1, 10000) != 1)
		return fail("the nonblocking pidfd of the ended child does not poll readable");
	if (waitid(P_PIDFD, fd, &si, WEXITED))
		return fail_errno("waitid(P_PIDFD)");
	if (expect_int("waitid si_pid", si.si_pid, child) || expect_int("waitid si_code", si.si_code, CLD_EXITED) ||
	    expect_int("waitid exit status", si.si_status, EXIT_CODE))
		return 1;
	return 0;
}

int main(int argc, char **argv)
{
	struct zdtm_waiter *w = NULL;   /* 1: child set up; 2: C/R over, signal sent */
	int fd, nb, rep[2];
	pid_t child;

	test_init(argc, argv);
	w = waiter_new();
	if (pipe(rep))
		return fail_errno("pipe");
	child = fork();
	if (child < 0)
		return fail_errno("fork");
	if (child == 0)
		child_fn(w, rep[1]);
	close(rep[1]);
	fd = syscall(SYS_pidfd_open, child, 0);
	nb = syscall(SYS_pidfd_open, child, PIDFD_NONBLOCK);
	if (fd < 0 || nb < 0) {
		kill(child, SIGKILL);
		return skip("pidfd_open: %s", strerror(errno));
	}
	waiter_wait(w, 1);
	if (check_fds(fd, nb, child) || check_alive(fd, nb))
		return 1;

	test_daemon();
	test_waitsig();

	if (check_fds(fd, nb, child) || check_alive(fd, nb) || check_signal_and_exit(fd, nb, child, rep[0], w)) {
		kill(child, SIGKILL);
		return 1;
	}
	return pass();
}
