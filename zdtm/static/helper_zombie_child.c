#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a zombie (exit 9) left in a session whose leader exited and was reaped, reparented to the test (a subreaper): its sid and pgid name the dead leader, its status holds",
	  .flavors = ZDTM_NS_FLAVORS);   /* h: criu 4.2.1's restore hangs (seen twice, 60 s and 15 s timeouts) */

#define EXIT_CODE 9

static pid_t leader, zombie;

static int check(const char *when)
{
	siginfo_t si = { 0 };

	if (proc_state(zombie) != 'Z')
		return fail("%s: the child (pid %d) is in state %c, expected Z", when, zombie, proc_state(zombie));
	if (waitid(P_PID, zombie, &si, WEXITED | WNOHANG | WNOWAIT) || si.si_code != CLD_EXITED ||
	    si.si_status != EXIT_CODE)
		return fail_errno("%s: waitid on the zombie: code %d status %d, expected CLD_EXITED %d", when,
				  si.si_code, si.si_status, EXIT_CODE);
	return expect_int("the zombie's session", getsid(zombie), leader) ||
	       expect_int("the zombie's process group", getpgid(zombie), leader) ||
	       expect_int("the zombie's parent", proc_stat_field(zombie, 4), getpid());
}

int main(int argc, char **argv)
{
	siginfo_t si;
	int p[2], status;

	test_init(argc, argv);
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) || pipe(p))
		return fail_errno("become a subreaper, pipe");
	leader = fork();
	if (leader < 0)
		return fail_errno("fork");
	if (leader == 0) {
		if (setsid() < 0)
			_exit(100);
		signal(SIGTERM, SIG_DFL);   /* criu gives a zombie default handlers */
		zombie = fork();
		if (zombie == 0)
			_exit(EXIT_CODE);
		if (waitid(P_PID, zombie, &si, WEXITED | WNOWAIT))   /* dead, not reaped */
			_exit(101);
		write_all(p[1], &zombie, sizeof(zombie));
		_exit(0);
	}
	if (read_all(p[0], &zombie, sizeof(zombie)) != sizeof(zombie) || waitpid(leader, &status, 0) != leader ||
	    status)
		return fail("the leader ended with status %#x before it named its zombie child", status);
	while (proc_stat_field(zombie, 4) != getpid())   /* reparented to us */
		usleep(1000);
	if (check("before C/R"))
		return 1;

	test_daemon();
	test_waitsig();

	if (check("after C/R"))
		return 1;
	waitpid(zombie, NULL, 0);
	return pass();
}
