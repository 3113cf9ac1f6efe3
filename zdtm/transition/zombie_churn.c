#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "keeps forking children that exit at once with statuses from their sequence numbers; zombies wait to be reaped",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "transition");

#define WINDOW 24       /* unreaped children at most: most of them are zombies at dump time */

/*
 * Child n exits with code n % 128, or every 7th dies by a signal from a list. Codes >= 128 are
 * left out: criu 4.2.1 restores a zombie's exit code without its top bit (zombie00 records it).
 */
static const int sigs[] = { SIGKILL, SIGHUP, SIGUSR1, SIGALRM, SIGPIPE };

static int expected_status(unsigned n)
{
	if (n % 7 == 6)
		return sigs[n / 7 % 5];                 /* WIFSIGNALED, no core */
	return (n % 128) << 8;
}

static void child(unsigned n)
{
	sigset_t all;

	if (n % 7 != 6)
		_exit(n % 128);
	signal(sigs[n / 7 % 5], SIG_DFL);
	sigfillset(&all);
	sigprocmask(SIG_UNBLOCK, &all, NULL);
	raise(sigs[n / 7 % 5]);
	_exit(0xff);            /* never an expected status */
}

struct slot {
	pid_t pid;
	unsigned n;
};

static char problem[256];

/* Reaps child pid, or any child (-1), and checks how it ended. 0, or nonzero with problem set. */
static int reap(struct slot *win, unsigned *busy, pid_t pid)
{
	int status, i;

	while ((pid = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	if (pid < 0)
		return snprintf(problem, sizeof(problem), "waitpid with %u children unreaped: errno %d", *busy, errno);
	for (i = 0; i < WINDOW && win[i].pid != pid; i++)
		;
	if (i == WINDOW)
		return snprintf(problem, sizeof(problem), "waitpid reaped pid %d, which is no unreaped child", pid);
	if (status != expected_status(win[i].n))
		return snprintf(problem, sizeof(problem), "child %u (pid %d) ended with wait status 0x%x, expected 0x%x",
				win[i].n, pid, status, expected_status(win[i].n));
	win[i].pid = 0;
	(*busy)--;
	return 0;
}

int main(int argc, char **argv)
{
	struct slot win[WINDOW] = { 0 };    /* child n in slot n % WINDOW */
	unsigned n = 0, busy = 0;

	test_init(argc, argv);

	test_daemon();
	/* At least two windows, even when SIGTERM comes at once (--nocr). */
	while ((test_go() || n < 2 * WINDOW) && !problem[0]) {
		struct slot *s = &win[n % WINDOW];

		/* child n - WINDOW is in the way: reap it by pid, or every third time any child until it is gone */
		while (s->pid && !reap(win, &busy, n % 3 ? s->pid : -1))
			;
		if (problem[0])
			break;
		*s = (struct slot){ .pid = fork(), .n = n };
		if (s->pid < 0) {
			snprintf(problem, sizeof(problem), "fork of child %u: errno %d", n, errno);
			break;
		}
		if (s->pid == 0)
			child(n);
		n++, busy++;
		usleep(200);    /* the children of the window have time to become zombies */
	}
	while (busy && !problem[0])
		reap(win, &busy, -1);
	while (busy && waitpid(-1, NULL, 0) > 0)
		busy--;         /* after a difference: end the rest before the verdict */
	test_waitsig();

	if (problem[0])
		return fail("%s", problem);
	if (waitpid(-1, NULL, WNOHANG) != -1 || errno != ECHILD)
		return fail("a child is left after all %u were reaped", n);
	test_msg("%u children forked and reaped", n);
	return pass();
}
