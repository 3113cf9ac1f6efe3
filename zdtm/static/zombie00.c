#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "unreaped zombies that exited with distinct codes or were killed by distinct signals",
	  .flavors = ZDTM_ALL_FLAVORS);

/* How each child ends: an exit code (200 uses the 8th bit), or a signal when sig is set. */
static const struct {
	int code, sig;
} ends[] = { { 0, 0 }, { 7, 0 }, { 200, 0 }, { 0, SIGUSR1 }, { 0, SIGKILL } };
#define NCHILDREN (int)(sizeof(ends) / sizeof(ends[0]))

static int wanted_status(int i)
{
	return ends[i].sig ? ends[i].sig : ends[i].code << 8;
}

static void describe(int status, char *buf, size_t len)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "exit code %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "signal %d%s", WTERMSIG(status), WCOREDUMP(status) ? " (core)" : "");
	else
		snprintf(buf, len, "status %#x", status);
}

/* The child is still a zombie, and waitpid() reaps it with the same status. */
static int check_child(int i, pid_t pid)
{
	char found[64], wanted[64];
	char state = proc_state(pid);
	int status;

	if (state != 'Z')
		return fail("child %d (pid %d) is in state %c, expected Z", i, pid, state);
	if (waitpid(pid, &status, WNOHANG) != pid)
		return fail_errno("waitpid child %d (pid %d)", i, pid);
	describe(status, found, sizeof(found));
	describe(wanted_status(i), wanted, sizeof(wanted));
	if (status != wanted_status(i))
		return fail("child %d (pid %d) ended with %s, expected %s", i, pid, found, wanted);
	return 0;
}

int main(int argc, char **argv)
{
	pid_t pids[NCHILDREN];
	siginfo_t si;

	test_init(argc, argv);
	for (int i = 0; i < NCHILDREN; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			return fail_errno("fork");
		if (pids[i] == 0) {
			if (ends[i].sig)
				kill(getpid(), ends[i].sig);
			_exit(ends[i].code);
		}
		/* wait for it to die, but leave it unreaped */
		if (waitid(P_PID, pids[i], &si, WEXITED | WNOWAIT))
			return fail_errno("waitid");
	}

	test_daemon();
	test_waitsig();

	for (int i = 0; i < NCHILDREN; i++)
		if (check_child(i, pids[i])) {
			while (++i < NCHILDREN)   /* end and reap the rest, whatever they are */
				if (!kill(pids[i], SIGKILL))
					waitpid(pids[i], NULL, 0);
			return 1;
		}
	if (waitpid(-1, NULL, WNOHANG) >= 0 || errno != ECHILD)
		return fail("a child is left after reaping all zombies, expected none");
	return pass();
}
