#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "live children that end after C/R: the parent collects an exact exit code and a killing signal",
	  .flavors = ZDTM_ALL_FLAVORS);

#define EXIT_CODE 123

static struct zdtm_waiter *w;   /* 1: C/R over, exit */

static int check_status(const char *who, pid_t pid, pid_t got, int status, int want)
{
	if (got != pid)
		return fail("waitpid %s (pid %d) returned %d, expected the child", who, pid, got);
	if (status != want)
		return fail("%s: status %#x (exited %d code %d, signaled %d signal %d), expected %#x",
			    who, status, WIFEXITED(status), WEXITSTATUS(status), WIFSIGNALED(status),
			    WIFSIGNALED(status) ? WTERMSIG(status) : 0, want);
	return 0;
}

int main(int argc, char **argv)
{
	int early = 0, st_exit = 0, st_kill = 0;
	pid_t exiting, killed, ended, got_exit, got_kill;

	test_init(argc, argv);
	w = waiter_new();
	exiting = fork();
	if (exiting == 0) {
		waiter_wait(w, 1);
		_exit(EXIT_CODE);
	}
	killed = fork();
	if (killed == 0) {
		for (;;)
			pause();   /* until SIGUSR2, whose default action kills */
	}
	if (exiting < 0 || killed < 0)
		return fail_errno("fork");

	test_daemon();
	test_waitsig();

	ended = waitpid(-1, &early, WNOHANG);   /* 0: both still run */
	waiter_post(w, 1);
	kill(killed, SIGUSR2);
	got_exit = waitpid(exiting, &st_exit, 0);
	got_kill = waitpid(killed, &st_kill, 0);

	if (ended)
		return fail("waitpid(WNOHANG) gave %d with status %#x, expected 0: both children alive",
			    ended, early);
	if (check_status("exiting child", exiting, got_exit, st_exit, EXIT_CODE << 8) ||
	    check_status("killed child", killed, got_kill, st_kill, SIGUSR2))
		return 1;
	if (waitpid(-1, NULL, WNOHANG) >= 0 || errno != ECHILD)
		return fail("a child is left after collecting both, expected none");
	return pass();
}
