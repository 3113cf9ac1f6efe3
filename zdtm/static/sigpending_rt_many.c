#include <signal.h>
#include <time.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "64 queued instances of one blocked real-time signal, each with its own si_value, accepted in order",
	  .flavors = ZDTM_ALL_FLAVORS);

#define NQUEUED 64
#define VALUE(i) (0x5a000 + 7 * (i))

int main(int argc, char **argv)
{
	struct timespec zero = { 0, 0 };
	sigset_t set, pending;
	siginfo_t si;
	int sig, rt;

	test_init(argc, argv);
	rt = SIGRTMIN + 7;
	sigemptyset(&set);
	sigaddset(&set, rt);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return fail_errno("sigprocmask");
	for (int i = 0; i < NQUEUED; i++)
		if (sigqueue(getpid(), rt, (union sigval){ .sival_int = VALUE(i) }))
			return fail_errno("sigqueue #%d", i);

	test_daemon();
	test_waitsig();

	if (sigpending(&pending))
		return fail_errno("sigpending");
	if (expect_int("signal pending", sigismember(&pending, rt), 1))
		return 1;
	for (int i = 0; i < NQUEUED; i++) {
		sig = sigtimedwait(&set, &si, &zero);
		if (sig < 0)
			return fail_errno("only %d of %d queued signals came back", i, NQUEUED);
		if (si.si_code != SI_QUEUE || si.si_pid != getpid())
			return fail("signal #%d: si_code %d si_pid %d, expected SI_QUEUE (%d) and %d",
				    i, si.si_code, si.si_pid, SI_QUEUE, getpid());
		if (si.si_value.sival_int != VALUE(i))
			return fail("signal #%d has si_value %#x, expected %#x (queue order)",
				    i, si.si_value.sival_int, VALUE(i));
	}
	sig = sigtimedwait(&set, &si, &zero);
	if (sig >= 0)
		return fail("signal %d (si_value %#x) still pending after the %d queued ones",
			    sig, si.si_value.sival_int, NQUEUED);
	return pass();
}
