#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "SIGCHLD ignored with SA_NOCLDSTOP: the disposition survives and a child that exits is reaped by the kernel",
	  .flavors = ZDTM_ALL_FLAVORS);

#define SA_TESTED (SA_NOCLDSTOP | SA_RESTART)

static int expect_disposition(void)
{
	struct sigaction now;

	if (sigaction(SIGCHLD, NULL, &now))
		return fail_errno("sigaction query");
	if (now.sa_handler != SIG_IGN)
		return fail("SIGCHLD handler is %p, expected SIG_IGN", (void *)now.sa_handler);
	if ((now.sa_flags & (SA_TESTED | SA_SIGINFO | SA_NOCLDWAIT)) != SA_TESTED)
		return fail("SIGCHLD sa_flags %#x, expected SA_NOCLDSTOP|SA_RESTART (%#x) without SA_SIGINFO/SA_NOCLDWAIT",
			    now.sa_flags, SA_TESTED);
	return 0;
}

/* With SIGCHLD ignored the kernel reaps the child itself: waitpid() waits for it to end, then ECHILD. */
static int expect_autoreap(void)
{
	int status = -1;
	pid_t pid = fork(), got;

	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0)
		_exit(3);
	got = waitpid(pid, &status, 0);
	if (got == pid)
		return fail("waitpid collected child %d (status %#x): it was left a zombie, expected ECHILD", pid, status);
	/* ECHILD is the proof: nothing was left to collect. (kill(pid, 0) may still see the child
	 * for a moment while the kernel releases it.) */
	if (got != -1 || errno != ECHILD)
		return fail_errno("waitpid returned %d, expected -1 with ECHILD", got);
	return 0;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = SIG_IGN, .sa_flags = SA_TESTED };

	test_init(argc, argv);
	if (sigaction(SIGCHLD, &sa, NULL))
		return fail_errno("sigaction");
	if (expect_disposition() || expect_autoreap())
		return 1;

	test_daemon();
	test_waitsig();

	if (expect_disposition() || expect_autoreap())
		return 1;
	return pass();
}
