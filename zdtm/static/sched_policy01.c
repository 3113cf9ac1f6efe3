#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

/* Realtime policies need CAP_SYS_NICE of the initial user namespace: not in uns. */
ZDTM_TEST(.doc = "realtime scheduling: a child SCHED_RR priority 7 with SCHED_RESET_ON_FORK, another SCHED_FIFO priority 3",
	  .flavors = ZDTM_FLAVOR_H | ZDTM_FLAVOR_NS, .flags = "suid");

#ifndef SCHED_RESET_ON_FORK
#define SCHED_RESET_ON_FORK 0x40000000
#endif

static const struct {
	int policy, prio;
	const char *name;
} want[] = {
	{ SCHED_RR | SCHED_RESET_ON_FORK, 7, "SCHED_RR|SCHED_RESET_ON_FORK" },
	{ SCHED_FIFO, 3, "SCHED_FIFO" },
};
#define N (int)(sizeof(want) / sizeof(want[0]))

int main(int argc, char **argv)
{
	struct zdtm_waiter *w = waiter_new();   /* stage 1: C/R over */
	struct sched_param sp;
	pid_t pid[N];
	int status, policy;

	test_init(argc, argv);
	for (int i = 0; i < N; i++) {
		pid[i] = fork();
		if (pid[i] < 0)
			return fail_errno("fork");
		if (pid[i] == 0) {
			waiter_wait(w, 1);      /* asleep: it takes no CPU from anyone */
			_exit(0);
		}
		sp.sched_priority = want[i].prio;
		if (sched_setscheduler(pid[i], want[i].policy, &sp))
			return errno == EPERM ? skip("no realtime scheduling here (EPERM)") : fail_errno("sched_setscheduler");
	}

	test_daemon();
	test_waitsig();

	for (int i = 0; i < N; i++) {
		policy = sched_getscheduler(pid[i]);
		if (policy < 0 || sched_getparam(pid[i], &sp))
			return fail_errno("sched_get* of child %d", i);
		if (policy != want[i].policy || sp.sched_priority != want[i].prio)
			return fail("child %d: policy %#x priority %d, expected %s (%#x) priority %d", i, policy,
				    sp.sched_priority, want[i].name, want[i].policy, want[i].prio);
	}
	waiter_post(w, 1);
	for (int i = 0; i < N; i++)
		waitpid(pid[i], &status, 0);
	return pass();
}
