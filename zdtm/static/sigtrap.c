#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "zdtm.h"

/* compel refuses: "Can't dump the N thread with a pending SIGTRAP" (the original suite's crfail too). */
ZDTM_TEST(.doc = "a blocked SIGTRAP sent by the task to itself stays pending with its siginfo: criu must refuse it; after, it is still pending",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "crfail");

int main(int argc, char **argv)
{
	struct timespec none = { 0, 0 };
	sigset_t set, pend;
	siginfo_t si;

	test_init(argc, argv);
	sigemptyset(&set);
	sigaddset(&set, SIGTRAP);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return fail_errno("block SIGTRAP");
	if (kill(getpid(), SIGTRAP))
		return fail_errno("kill SIGTRAP");

	test_daemon();
	test_waitsig();

	if (sigpending(&pend))
		return fail_errno("sigpending");
	if (!sigismember(&pend, SIGTRAP))
		return fail("SIGTRAP is not pending, expected pending");
	if (sigtimedwait(&set, &si, &none) != SIGTRAP)
		return fail_errno("sigtimedwait SIGTRAP");
	if (expect_int("si_code", si.si_code, SI_USER) || expect_int("si_pid", si.si_pid, getpid()) ||
	    expect_int("si_uid", si.si_uid, getuid()))
		return 1;
	if (sigtimedwait(&set, &si, &none) != -1)
		return fail("a second SIGTRAP was pending, expected one");
	return pass();
}
