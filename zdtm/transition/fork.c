#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "keeps forking short-lived children that exit with known statuses, reaping and checking each",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "transition");

#define INFLIGHT 8

/* One child at a time per slot: its pid and the way it must end. */
struct slot {
	pid_t pid;
	int status;     /* the wait status the child must produce */
};

static unsigned char mem[8192];    /* inherited memory each child checks */
static char problem[256];          /* the first difference seen; the verdict comes at the end */

/* Child n exits with the low bits of the memory's CRC, or kills itself every 5th time. */
static int expected_status(unsigned n)
{
	if (n % 5 == 4)
		return SIGKILL;                  /* WIFSIGNALED, WTERMSIG == SIGKILL */
	return ((zdtm_crc32(mem, sizeof(mem)) + n) & 0x7f) << 8;
}

static void child(unsigned n)
{
	if (!datachk(mem, sizeof(mem)))
		_exit(0xff);             /* never an expected status: the parent reports it */
	if (n % 5 == 4)
		raise(SIGKILL);
	_exit((zdtm_crc32(mem, sizeof(mem)) + n) & 0x7f);
}

static int spawn(struct slot *s, unsigned n)
{
	s->status = expected_status(n);
	s->pid = fork();
	if (s->pid < 0) {
		snprintf(problem, sizeof(problem), "fork of child %u: errno %d", n, errno);
		return 1;
	}
	if (s->pid == 0)
		child(n);
	return 0;
}

/* Reaps one child (blocking); 0 if it ended as expected or on EINTR, 1 on a difference. */
static int reap(struct slot *slots, int *busy)
{
	int status, i;
	pid_t pid = waitpid(-1, &status, 0);

	if (pid < 0 && errno == EINTR)
		return 0;
	if (pid < 0) {
		snprintf(problem, sizeof(problem), "waitpid with %d children in flight: errno %d",
			 *busy, errno);
		return 1;
	}
	for (i = 0; i < INFLIGHT && slots[i].pid != pid; i++)
		;
	if (i == INFLIGHT) {
		snprintf(problem, sizeof(problem), "waitpid reaped pid %d, which this test never forked", pid);
		return 1;
	}
	if (status != slots[i].status && !problem[0])
		snprintf(problem, sizeof(problem), "child %d ended with wait status 0x%x, expected 0x%x",
			 pid, status, slots[i].status);
	slots[i].pid = 0;
	(*busy)--;
	return problem[0] != 0;
}

int main(int argc, char **argv)
{
	struct slot slots[INFLIGHT] = { 0 };
	unsigned n = 0;
	int busy = 0, stop = 0;

	test_init(argc, argv);
	datagen(mem, sizeof(mem), 7);

	test_daemon();
	/* At least one full round, even when SIGTERM comes at once (--nocr). */
	do {
		for (int i = 0; i < INFLIGHT && !stop; i++)
			if (!slots[i].pid && !(stop = spawn(&slots[i], n)))
				n++, busy++;
		stop = stop || reap(slots, &busy);
	} while (test_go() && !stop);
	while (busy && !problem[0])
		reap(slots, &busy);     /* the children still in flight when SIGTERM came */
	while (busy && waitpid(-1, NULL, 0) > 0)
		busy--;                 /* after a difference: end the rest before the verdict */
	test_waitsig();

	if (problem[0])
		return fail("%s", problem);
	if (waitpid(-1, NULL, WNOHANG) != -1 || errno != ECHILD)
		return fail("a child is left after all %u were reaped", n);
	if (n < INFLIGHT)
		return fail("only %u children were forked, expected at least %d", n, INFLIGHT);
	test_msg("%u children forked and reaped", n);
	return pass();
}
