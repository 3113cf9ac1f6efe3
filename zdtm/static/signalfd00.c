#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a signalfd keeps its mask, and the blocked signals sent before C/R are read from it after",
	  .flavors = ZDTM_ALL_FLAVORS);

/* The next signal read from fd is signo with code and (for SI_QUEUE) value. */
static int expect_signal(int fd, int signo, int code, int value)
{
	struct signalfd_siginfo si;
	ssize_t n = read(fd, &si, sizeof(si));

	if (n < 0)
		return fail_errno("signalfd has nothing to read, expected signal %d", signo);
	if (n != sizeof(si))
		return fail("signalfd read %zd bytes, expected %zu", n, sizeof(si));
	if (si.ssi_signo != (uint32_t)signo || si.ssi_code != code || si.ssi_pid != (uint32_t)getpid())
		return fail("read signal %u code %d pid %u, expected signal %d code %d pid %d",
			    si.ssi_signo, si.ssi_code, si.ssi_pid, signo, code, getpid());
	if (code == SI_QUEUE && si.ssi_int != value)
		return fail("signal %d carries %d, expected %d", signo, si.ssi_int, value);
	return 0;
}

int main(int argc, char **argv)
{
	const int rt = SIGRTMIN + 2;
	sigset_t blocked, watched, pending;
	struct signalfd_siginfo extra;
	char before[64], after[64];
	int fd;

	test_init(argc, argv);
	sigemptyset(&watched);
	sigaddset(&watched, SIGUSR1);
	sigaddset(&watched, rt);
	blocked = watched;
	sigaddset(&blocked, SIGUSR2);
	if (sigprocmask(SIG_BLOCK, &blocked, NULL))
		return fail_errno("sigprocmask");
	fd = signalfd(-1, &watched, SFD_NONBLOCK);
	if (fd < 0)
		return fail_errno("signalfd");
	if (kill(getpid(), SIGUSR1) || raise(SIGUSR2) ||
	    sigqueue(getpid(), rt, (union sigval){ .sival_int = 1234 }) ||
	    sigqueue(getpid(), rt, (union sigval){ .sival_int = 5678 }))
		return fail_errno("send signals");
	if (fdinfo_lines(fd, "sigmask:", before, sizeof(before)) != 1)
		return fail("no sigmask line in the signalfd's fdinfo");

	test_daemon();
	test_waitsig();

	if (fdinfo_lines(fd, "sigmask:", after, sizeof(after)) != 1 || expect_str("signalfd sigmask", after, before) ||
	    expect_int("signalfd O_NONBLOCK", !!(fcntl(fd, F_GETFL) & O_NONBLOCK), 1))
		return 1;
	if (expect_signal(fd, SIGUSR1, SI_USER, 0) || expect_signal(fd, rt, SI_QUEUE, 1234) ||
	    expect_signal(fd, rt, SI_QUEUE, 5678))
		return 1;
	if (read(fd, &extra, sizeof(extra)) >= 0)
		return fail("signalfd has signal %u after the 3 sent, expected none", extra.ssi_signo);
	if (errno != EAGAIN)
		return fail_errno("read of the empty signalfd, expected EAGAIN");
	/* the signal outside the signalfd's mask stays pending */
	if (sigpending(&pending))
		return fail_errno("sigpending");
	if (expect_int("SIGUSR2 pending", sigismember(&pending, SIGUSR2), 1))
		return 1;
	return pass();
}
