#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a pidfd of the task itself: fdinfo Pid is the task, it does not poll readable, a signal sent through it arrives",
	  .flavors = ZDTM_ALL_FLAVORS);

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

int main(int argc, char **argv)
{
	struct timespec none = { 0, 0 };
	struct pollfd pfd;
	char buf[64];
	sigset_t set;
	siginfo_t si;
	int fd;

	test_init(argc, argv);
	fd = syscall(SYS_pidfd_open, getpid(), 0);
	if (fd < 0)
		return errno == ENOSYS ? skip("no pidfd_open") : fail_errno("pidfd_open(self)");
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return fail_errno("sigprocmask");

	test_daemon();
	test_waitsig();

	if (fdinfo_lines(fd, "Pid:", buf, sizeof(buf)) != 1)
		return fail("no Pid: line in the pidfd's fdinfo");
	if (expect_int("fdinfo Pid", atoi(buf), getpid()))
		return 1;
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	if (poll(&pfd, 1, 0) != 0)
		return fail("the pidfd of a live task polls readable (revents %#x)", pfd.revents);
	if (syscall(SYS_pidfd_send_signal, fd, SIGUSR1, NULL, 0))
		return fail_errno("pidfd_send_signal to itself");
	if (sigtimedwait(&set, &si, &none) != SIGUSR1)
		return fail_errno("SIGUSR1 sent through the pidfd did not arrive");
	if (expect_int("si_code", si.si_code, SI_USER) || expect_int("si_pid", si.si_pid, getpid()))
		return 1;
	return pass();
}
