#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

/* A nice value below the inherited one needs CAP_SYS_NICE of the initial user namespace: not in uns. */
ZDTM_TEST(.doc = "processes at the extremes of nice: children at -20, -1 and 19, the test itself at 5",
	  .flavors = ZDTM_FLAVOR_H | ZDTM_FLAVOR_NS, .flags = "suid");

static const int nices[] = { -20, -1, 19 };
#define N (int)(sizeof(nices) / sizeof(nices[0]))
#define SELF_NICE 5

int main(int argc, char **argv)
{
	struct zdtm_waiter *w = waiter_new();   /* stage N: every child has its nice; N + 1: C/R over */
	pid_t pid[N];
	int status;

	test_init(argc, argv);
	for (int i = 0; i < N; i++) {
		pid[i] = fork();
		if (pid[i] < 0)
			return fail_errno("fork");
		if (pid[i] == 0) {
			if (setpriority(PRIO_PROCESS, 0, nices[i]))
				_exit(1);
			waiter_wait(w, i);
			waiter_post(w, i + 1);
			waiter_wait(w, N + 1);
			errno = 0;
			_exit(getpriority(PRIO_PROCESS, 0) == nices[i] && !errno ? 0 : 2);
		}
	}
	waiter_wait(w, N);
	if (setpriority(PRIO_PROCESS, 0, SELF_NICE))
		return fail_errno("setpriority self");

	test_daemon();
	test_waitsig();

	errno = 0;
	if (expect_int("the test's nice", getpriority(PRIO_PROCESS, 0), SELF_NICE))
		return 1;
	for (int i = 0; i < N; i++) {
		errno = 0;
		int got = getpriority(PRIO_PROCESS, pid[i]);

		if (errno)
			return fail_errno("getpriority %d", pid[i]);
		if (got != nices[i])
			return fail("child %d has nice %d, expected %d", i, got, nices[i]);
	}
	waiter_post(w, N + 1);
	for (int i = 0; i < N; i++)
		if (waitpid(pid[i], &status, 0) != pid[i] || expect_int("a child's own check (exit status)", status, 0))
			return 1;
	return pass();
}
