#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a child with SIGTSTP blocked and pending (sent, not yet acted on): still pending after C/R, and unblocking it stops the child by SIGTSTP",
	  .flavors = ZDTM_ALL_FLAVORS);

/*
 * The child: SIGTSTP blocked; a byte on go (after C/R) tells it to look and unblock. It waits in
 * read(), which leaves the blocked mask alone (sigwaitinfo would change it while it waits).
 * (A stopped child would not do: SIGCONT discards every pending stop signal.)
 */
static void child(int report, int go)
{
	sigset_t set, pending;
	char seen;

	setpgid(0, 0);   /* not in the test's orphaned group, where a SIGTSTP would be discarded */
	sigemptyset(&set);
	sigaddset(&set, SIGTSTP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	write_all(report, "r", 1);
	if (read(go, &seen, 1) != 1)
		_exit(2);
	sigpending(&pending);
	seen = sigismember(&pending, SIGTSTP) ? 'p' : '-';
	write_all(report, &seen, 1);
	sigprocmask(SIG_UNBLOCK, &set, NULL);   /* stops here, by SIGTSTP */
	_exit(3);
}

/* The child waits in read(), not stopped: nothing to report to waitid(WSTOPPED). */
static int expect_waiting(pid_t pid, const char *when)
{
	siginfo_t si = { 0 };

	if (waitid(P_PID, pid, &si, WSTOPPED | WEXITED | WNOHANG | WNOWAIT))
		return fail_errno("%s: waitid", when);
	if (si.si_pid)
		return fail("%s: waitid reports code %d status %d, expected nothing (the child waits)", when,
			    si.si_code, si.si_status);
	return expect_int("the child's state (S: asleep)", proc_state(pid), 'S');
}

int main(int argc, char **argv)
{
	int p[2], go[2], status;
	char c;
	pid_t pid;

	test_init(argc, argv);
	if (pipe(p) || pipe(go))
		return fail_errno("pipe");
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0)
		child(p[1], go[0]);
	setpgid(pid, pid);
	if (read(p[0], &c, 1) != 1 || kill(pid, SIGTSTP))
		return fail_errno("start the child, send it SIGTSTP");
	while (proc_state(pid) != 'S')
		usleep(1000);
	if (expect_waiting(pid, "before C/R"))
		return 1;

	test_daemon();
	test_waitsig();

	if (expect_waiting(pid, "after C/R"))
		return 1;
	if (write(go[1], "g", 1) != 1)
		return fail_errno("wake the child");
	if (read(p[0], &c, 1) != 1)
		return fail("the child sent no report after it was woken");
	if (c != 'p')
		return fail("after C/R the child has no SIGTSTP pending, expected the blocked one");
	if (waitpid(pid, &status, WUNTRACED) != pid || !WIFSTOPPED(status) || WSTOPSIG(status) != SIGTSTP)
		return fail("the child unblocked SIGTSTP: status %#x, expected stopped by SIGTSTP", status);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return pass();
}
