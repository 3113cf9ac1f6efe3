#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a process group of two (a child leading it and its own child) stopped by SIGTSTP: both stay stopped, waitid reports the child's stop by SIGTSTP, SIGCONT to the group wakes both",
	  .flavors = ZDTM_ALL_FLAVORS);

/*
 * The group is not orphaned (its leader's parent, the test, is in another group of the same
 * session), so the kernel lets SIGTSTP stop it. The grandchild's pid comes back through a pipe.
 */
static pid_t leader, member;

/* Both stopped (state T), or both out of it. */
static int check_states(const char *when, bool stopped)
{
	const pid_t pids[2] = { leader, member };
	const char *names[2] = { "the group leader", "the other member" };

	for (int i = 0; i < 2; i++) {
		char st = proc_state(pids[i]);

		if ((st == 'T') != stopped)
			return fail("%s: %s (pid %d) is in state %c, expected %s", when, names[i], pids[i], st,
				    stopped ? "T (stopped)" : "running or asleep");
	}
	return 0;
}

/* The leader's stop, still waitable (WNOWAIT), was caused by SIGTSTP. */
static int check_report(const char *when)
{
	siginfo_t si = { 0 };

	if (waitid(P_PID, leader, &si, WSTOPPED | WNOHANG | WNOWAIT))
		return fail_errno("%s: waitid(WSTOPPED) for the group leader", when);
	if (si.si_pid != leader || si.si_code != CLD_STOPPED || si.si_status != SIGTSTP)
		return fail("%s: waitid gives pid %d code %d status %d, expected pid %d CLD_STOPPED (%d) by SIGTSTP (%d)",
			    when, si.si_pid, si.si_code, si.si_status, leader, CLD_STOPPED, SIGTSTP);
	return 0;
}

static int check(const char *when)
{
	return check_states(when, true) || check_report(when);
}

int main(int argc, char **argv)
{
	int p[2], status;
	siginfo_t si;

	test_init(argc, argv);
	if (pipe(p))
		return fail_errno("pipe");
	leader = fork();
	if (leader < 0)
		return fail_errno("fork");
	if (leader == 0) {
		setpgid(0, 0);
		member = fork();
		if (member == 0)
			for (;;)
				pause();
		write_all(p[1], &member, sizeof(member));
		for (;;)
			pause();
	}
	setpgid(leader, leader);
	if (read_all(p[0], &member, sizeof(member)) != sizeof(member) || member <= 0)
		return fail("the group leader did not start the other member");
	if (kill(-leader, SIGTSTP) || waitid(P_PID, leader, &si, WSTOPPED | WNOWAIT))
		return fail_errno("SIGTSTP to the group, wait for the stop");
	while (proc_state(member) != 'T')
		usleep(1000);
	if (check("before C/R"))
		return 1;

	test_daemon();
	test_waitsig();

	if (check("after C/R"))
		return 1;
	if (kill(-leader, SIGCONT) || waitid(P_PID, leader, &si, WCONTINUED))
		return fail_errno("SIGCONT to the group, wait for the leader to continue");
	for (int ms = 0; ms < 2000 && proc_state(member) == 'T'; ms++)   /* not waitable from here */
		usleep(1000);
	if (check_states("after SIGCONT", false))
		return 1;
	kill(-leader, SIGKILL);
	if (waitpid(leader, &status, 0) != leader)
		return fail_errno("waitpid");
	return pass();
}
