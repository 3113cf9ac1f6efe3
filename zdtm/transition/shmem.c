#include <linux/futex.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "two processes take turns (futex) on a shared anonymous region, each checking the other's counter and data",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "transition");

#define DATALEN 10000           /* spans three pages */
#define PATIENCE 50             /* 100 ms waits for the other's turn before it is a finding */

/*
 * Process i (0: main, 1: child) holds the turn when turn == i. In its turn it checks
 * count[0] == count[1] + i and that data is what the other wrote, then counts and writes.
 */
struct shared {
	_Atomic int turn;
	_Atomic int stop;               /* main: the last turn was passed */
	unsigned count[2];
	char report[200];               /* the child's finding */
	char data[DATALEN];             /* datagen(writer << 31 | its count) */
};

static struct shared *sh;

static uint32_t seed_of(int writer, unsigned count)
{
	return (uint32_t)writer << 31 | count;
}

static int wait_turn(int i, char *problem, size_t plen)
{
	struct timespec ts = { 0, 100 * 1000 * 1000 };
	int waits = 0;

	while (sh->turn != i && !sh->stop && !sh->report[0] && waits++ < PATIENCE)
		syscall(SYS_futex, &sh->turn, FUTEX_WAIT, 1 - i, &ts, NULL, 0);
	if (sh->turn != i && !sh->stop && !sh->report[0])
		snprintf(problem, plen, "process %d: no turn for %d ms, counts %u and %u", i, PATIENCE * 100,
			 sh->count[0], sh->count[1]);
	return problem[0] || sh->report[0];
}

/* One turn of process i: check the other's work, do its own, hand the turn over. */
static int take_turn(int i, char *problem, size_t plen)
{
	static char want[DATALEN];
	unsigned other = sh->count[1 - i];

	if (sh->count[0] != sh->count[1] + i) {
		snprintf(problem, plen, "process %d in its turn: counts %u and %u, expected count 0 = count 1 + %d",
			 i, sh->count[0], sh->count[1], i);
		return 1;
	}
	datagen(want, DATALEN, seed_of(1 - i, other));
	if (memcmp(sh->data, want, DATALEN)) {
		snprintf(problem, plen, "process %d: data is not what process %d wrote at count %u (CRC stamp %s)",
			 i, 1 - i, other, datachk(sh->data, DATALEN) ? "intact: other data" : "broken");
		return 1;
	}
	sh->count[i]++;
	datagen(sh->data, DATALEN, seed_of(i, sh->count[i]));
	sh->turn = 1 - i;
	syscall(SYS_futex, &sh->turn, FUTEX_WAKE, 1, NULL, NULL, 0);
	return 0;
}

static void child(void)
{
	while (!wait_turn(1, sh->report, sizeof(sh->report)) && !sh->stop &&
	       !take_turn(1, sh->report, sizeof(sh->report)))
		;
	_exit(sh->report[0] != 0);
}

int main(int argc, char **argv)
{
	char problem[300] = "";
	int status;
	pid_t pid;

	test_init(argc, argv);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return fail_errno("mmap");
	datagen(sh->data, DATALEN, seed_of(1, 0));      /* as if the child had written at count 0 */
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0)
		child();

	test_daemon();
	while (test_go() && !wait_turn(0, problem, sizeof(problem)) && !take_turn(0, problem, sizeof(problem)))
		;
	if (!problem[0] && !wait_turn(0, problem, sizeof(problem)))
		take_turn(0, problem, sizeof(problem));         /* after C/R: one more round each */
	if (!problem[0] && !wait_turn(0, problem, sizeof(problem))) {
		sh->stop = 1;
		syscall(SYS_futex, &sh->turn, FUTEX_WAKE, 1, NULL, NULL, 0);
	}
	if (problem[0])
		kill(pid, SIGKILL);
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	test_waitsig();

	if (expect_clean_end(sh->report, problem, status))
		return 1;
	if (expect_int("the child's count", sh->count[1], sh->count[0]))
		return 1;
	test_msg("%u turns each", sh->count[0]);
	return pass();
}
