#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a zombie child of the test that sits in another process group than the test's (a group leader's CLONE_PARENT child): pgid and exit status kept",
	  .flavors = ZDTM_ALL_FLAVORS);

#define EXIT_CODE 33

static char stack[64 * 1024] __attribute__((aligned(16)));

static int zombie_fn(void *arg)
{
	(void)arg;
	signal(SIGTERM, SIG_DFL);       /* a zombie's caught-signal mask is zombie00's known failure */
	_exit(EXIT_CODE);
}

int main(int argc, char **argv)
{
	struct zdtm_waiter *w = waiter_new();   /* 1: the zombie is made; 2: C/R over */
	siginfo_t si;
	pid_t leader, *zpid = (pid_t *)finding_new();
	int status;

	test_init(argc, argv);
	if (!zpid)
		return fail_errno("shared memory");
	leader = fork();
	if (leader < 0)
		return fail_errno("fork");
	if (leader == 0) {
		if (setpgid(0, 0))
			_exit(1);
		/* A sibling, not a child: the test is its parent, the leader's group its group. */
		*zpid = clone(zombie_fn, stack + sizeof(stack), CLONE_PARENT | SIGCHLD, NULL);
		if (*zpid < 0)
			_exit(2);
		waiter_post(w, 1);
		waiter_wait(w, 2);
		_exit(0);
	}
	waiter_wait(w, 1);
	for (int i = 0; i < 500 && proc_state(*zpid) != 'Z'; i++)
		usleep(10000);
	if (proc_state(*zpid) != 'Z' || getpgid(*zpid) != leader)
		return fail("no zombie %d in group %d (state %c)", *zpid, leader, proc_state(*zpid));

	test_daemon();
	test_waitsig();

	if (proc_state(*zpid) != 'Z')
		return fail("%d is in state %c, expected a zombie", *zpid, proc_state(*zpid));
	if (expect_int("the zombie's parent", proc_stat_field(*zpid, 4), getpid()) ||
	    expect_int("the zombie's process group", proc_stat_field(*zpid, 5), leader))
		return 1;
	if (waitid(P_PID, *zpid, &si, WEXITED) || expect_int("its exit code", si.si_status, EXIT_CODE) ||
	    expect_int("si_code", si.si_code, CLD_EXITED))
		return 1;
	waiter_post(w, 2);
	if (waitpid(leader, &status, 0) != leader || expect_int("the leader's exit status", status, 0))
		return 1;
	return pass();
}
