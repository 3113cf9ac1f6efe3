#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a session whose leader is a zombie (exit 7, unreaped) while a member lives on (reparented to the test, a subreaper): sid, pgid, parents, the zombie's status",
	  .flavors = ZDTM_ALL_FLAVORS);

#define EXIT_CODE 7

static pid_t leader, member;

static int check(const char *when)
{
	siginfo_t si = { 0 };

	if (proc_state(leader) != 'Z')
		return fail("%s: the session leader (pid %d) is in state %c, expected Z", when, leader, proc_state(leader));
	if (waitid(P_PID, leader, &si, WEXITED | WNOHANG | WNOWAIT) || si.si_code != CLD_EXITED ||
	    si.si_status != EXIT_CODE)
		return fail_errno("%s: waitid on the zombie leader: code %d status %d, expected CLD_EXITED %d", when,
				  si.si_code, si.si_status, EXIT_CODE);
	return expect_int("the member's session", getsid(member), leader) ||
	       expect_int("the member's process group", getpgid(member), leader) ||
	       expect_int("the member's parent", proc_stat_field(member, 4), getpid()) ||
	       expect_int("the leader's parent", proc_stat_field(leader, 4), getpid());
}

int main(int argc, char **argv)
{
	siginfo_t si;
	int p[2];

	test_init(argc, argv);
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) || pipe(p))
		return fail_errno("become a subreaper, pipe");
	leader = fork();
	if (leader < 0)
		return fail_errno("fork");
	if (leader == 0) {
		if (setsid() < 0)
			_exit(100);
		member = fork();
		if (member == 0)
			for (;;)
				pause();
		write_all(p[1], &member, sizeof(member));
		signal(SIGTERM, SIG_DFL);   /* criu gives a zombie default handlers: nothing a zombie uses */
		_exit(EXIT_CODE);
	}
	if (read_all(p[0], &member, sizeof(member)) != sizeof(member) || member <= 0)
		return fail("the leader sent no member pid");
	if (waitid(P_PID, leader, &si, WEXITED | WNOWAIT))
		return fail_errno("wait for the leader to exit");
	while (proc_stat_field(member, 4) != getpid())   /* reparented to us */
		usleep(1000);
	if (check("before C/R"))
		return 1;

	test_daemon();
	test_waitsig();

	if (check("after C/R"))
		return 1;
	kill(member, SIGKILL);
	waitpid(member, NULL, 0);
	waitpid(leader, NULL, 0);
	return pass();
}
