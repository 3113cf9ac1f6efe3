#include <linux/sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

/* --pre chains dumps whose memory images belong to pids; here a pid stands for another process from
 * one dump to the next. --pre needs soft-dirty tracking (SKIPs where it is missing). */
ZDTM_TEST(.doc = "a child replaced every 20 ms by a new one with the same pid (clone3 set_tid), each with its "
		 "own memory (a generation's data) it keeps checking: after C/R no child sees another's memory",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "suid transition");

#ifndef SYS_clone3
#define SYS_clone3 435
#endif
#define LEN (64 * 1024)

static char mem[LEN], want[LEN];
static char *finding;
static volatile uint32_t *quit;   /* shared: the generation that is to exit now */

static void child(uint32_t gen)
{
	datagen(mem, LEN, gen);
	memcpy(want, mem, LEN);
	for (;;) {
		if (memcmp(mem, want, LEN)) {
			note(finding, "the child of generation %u (pid %d) holds memory of another generation", gen,
			     getpid());
			_exit(1);
		}
		if (*quit == gen)       /* after one more check: it may not have run at all yet */
			_exit(0);
		usleep(2000);
	}
}

/* waitpid() that goes on after a signal (SIGTERM, or a dump interrupting it). */
static pid_t reap(pid_t pid, int *status)
{
	pid_t r;

	while ((r = waitpid(pid, status, 0)) < 0 && errno == EINTR)
		;
	return r;
}

/* A child with pid `pid` (0: any), or -1. */
static pid_t spawn(pid_t pid, uint32_t gen)
{
	struct clone_args args = { .exit_signal = SIGCHLD, .set_tid = (uintptr_t)&pid, .set_tid_size = 1 };
	pid_t got = pid ? syscall(SYS_clone3, &args, sizeof(args)) : fork();

	if (got == 0)
		child(gen);
	return got;
}

int main(int argc, char **argv)
{
	unsigned long reused = 0;
	uint32_t gen = 1;
	pid_t first, cur;
	int status;

	test_init(argc, argv);
	if (!(finding = finding_new()))
		return fail_errno("a finding buffer");
	quit = (volatile uint32_t *)(finding + ZDTM_FINDING_LEN - sizeof(uint32_t));
	first = cur = spawn(0, gen);
	if (cur < 0)
		return fail_errno("fork");

	test_daemon();
	while (test_go() && !finding[0]) {
		usleep(20000);
		/* The child exits by itself when told: a SIGKILL sent to it could be caught pending by a
		 * dump, and the restored child would then die before criu detached from it. */
		*quit = gen;
		if (reap(cur, &status) != cur)
			return fail_errno("waitpid %d", cur);
		if (status) {
			cur = -1;       /* reaped; it found another's memory: its finding says why */
			break;
		}
		gen++;
		cur = spawn(first, gen);
		if (cur < 0)            /* someone else took the pid (h): any pid this round */
			cur = spawn(0, gen);
		else
			reused++;
		if (cur < 0)
			return fail_errno("fork generation %u", gen);
	}
	test_waitsig();

	*quit = gen;                    /* the last child checks its memory once more and exits */
	if (cur > 0 && reap(cur, &status) != cur)
		return fail_errno("waitpid %d", cur);
	if (finding[0])
		return fail("%s", finding);
	test_msg("%u generations, pid %d reused %lu times", gen, first, reused);
	return pass();
}
