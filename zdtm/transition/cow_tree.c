#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "three children forked over one private anonymous region keep rewriting their own slice of it while every process checks that the other slices still hold what was there at fork (copy-on-write)",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "transition");

#define KIDS 3
#define SLICE 16                /* pages */
#define PAGE 4096

static char *region;            /* (KIDS + 1) slices: slice k belongs to child k, the last to the parent */

struct shared {
	int stop;
	unsigned rounds[KIDS];
	char finding[KIDS][160];
};

static int slice_ok(int k, uint32_t seed)
{
	static char want[PAGE];

	for (int p = 0; p < SLICE; p++) {
		datagen(want, PAGE, seed + p);
		if (memcmp(region + ((size_t)k * SLICE + p) * PAGE, want, PAGE))
			return 0;
	}
	return 1;
}

static void fill(int k, uint32_t seed)
{
	for (int p = 0; p < SLICE; p++)
		datagen(region + ((size_t)k * SLICE + p) * PAGE, PAGE, seed + p);
}

/* The seed of slice k as forked. */
static uint32_t orig(int k)
{
	return 1000 * (k + 1);
}

static void child(int me, struct shared *sh)
{
	for (uint32_t round = 1; !__atomic_load_n(&sh->stop, __ATOMIC_SEQ_CST); round++) {
		uint32_t seed = (me + 1) << 20 | round << 5;

		fill(me, seed);
		for (int k = 0; k <= KIDS; k++)
			if (k != me && !slice_ok(k, orig(k)))
				_exit(note(sh->finding[me], "child %d, round %u: slice %d changed", me, round, k));
		if (!slice_ok(me, seed))
			_exit(note(sh->finding[me], "child %d, round %u: its own slice lost its writes", me, round));
		__atomic_store_n(&sh->rounds[me], round, __ATOMIC_SEQ_CST);
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	char problem[200] = "";
	struct shared *sh;
	pid_t pid[KIDS];
	int status;

	test_init(argc, argv);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	region = mmap(NULL, (KIDS + 1) * SLICE * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED || region == MAP_FAILED)
		return fail_errno("mmap");
	for (int k = 0; k <= KIDS; k++)
		fill(k, orig(k));
	for (int k = 0; k < KIDS; k++) {
		pid[k] = fork();
		if (pid[k] < 0)
			return fail_errno("fork");
		if (pid[k] == 0)
			child(k, sh);
	}

	test_daemon();
	while (test_go() && !problem[0])
		for (int k = 0; k <= KIDS; k++)
			if (!slice_ok(k, orig(k)))
				snprintf(problem, sizeof(problem), "the parent's slice %d changed", k);
	__atomic_store_n(&sh->stop, 1, __ATOMIC_SEQ_CST);
	for (int k = 0; k < KIDS; k++) {
		if (waitpid(pid[k], &status, 0) != pid[k])
			return fail_errno("waitpid");
		if (!problem[0] && (sh->finding[k][0] || status))
			snprintf(problem, sizeof(problem), "%s (status %#x)", sh->finding[k], status);
	}
	test_waitsig();

	if (problem[0])
		return fail("%s", problem);
	test_msg("rounds: %u %u %u", sh->rounds[0], sh->rounds[1], sh->rounds[2]);
	return pass();
}
