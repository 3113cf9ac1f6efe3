#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "three generations of processes share anonymous memory made at different levels: a private region of the root (inherited by children and a grandchild), a private region of a child (inherited by the grandchild) and a shared one; each keeps rewriting its own pages and checks that every page it does not own still holds what was there at fork, and that the others' counters in the shared region only grow",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "transition");

#define PAGE 4096
#define PAGES 16
enum { ROOT, CHILD1, CHILD2, GRAND, NPROC };    /* GRAND is CHILD1's child */

static char *a;                 /* the root's private region: page k rewritten by process k */
static char *b;                 /* CHILD1's private region: page 0 by CHILD1, page 1 by GRAND */

static struct shared {
	int stop;
	unsigned rounds[NPROC];
	char finding[NPROC][200];
} *sh;

static uint32_t a_seed(int p) { return 1000 + p; }
static uint32_t b_seed(int p) { return 2000 + p; }

/* Pages [from, to) of region r hold the stamps seed(p) they were made with. */
static int pages_ok(const char *r, int from, int to, uint32_t (*seed)(int))
{
	static char want[PAGE];

	for (int p = from; p < to; p++) {
		datagen(want, PAGE, seed(p));
		if (memcmp(r + (size_t)p * PAGE, want, PAGE))
			return p;
	}
	return -1;
}

/* One round of process me: rewrite its own page(s), check every other page it can see. */
static int round_of(int me, unsigned round, unsigned seen[NPROC])
{
	static char want[PAGE];
	char *own = me == GRAND ? b + PAGE : me == CHILD1 ? b : NULL;
	uint32_t seed = (uint32_t)(me + 1) << 24 | round;
	int bad;

	datagen(a + (size_t)me * PAGE, PAGE, seed);
	if (own)
		datagen(own, PAGE, seed ^ 0x800000);
	for (int k = 0; k < NPROC; k++)
		if (k != me && (bad = pages_ok(a, k, k + 1, a_seed)) >= 0)
			return note(sh->finding[me], "process %d, round %u: page %d of the root's region changed", me, round, bad);
	if ((bad = pages_ok(a, NPROC, PAGES, a_seed)) >= 0)
		return note(sh->finding[me], "process %d, round %u: untouched page %d of the root's region changed", me, round, bad);
	if ((me == CHILD1 || me == GRAND) && (bad = pages_ok(b, 2, PAGES, b_seed)) >= 0)
		return note(sh->finding[me], "process %d, round %u: untouched page %d of the child's region changed", me, round, bad);
	if (me == CHILD1 && (bad = pages_ok(b, 1, 2, b_seed)) >= 0)
		return note(sh->finding[me], "process %d, round %u: the grandchild's page of its region changed here", me, round);
	if (me == GRAND && (bad = pages_ok(b, 0, 1, b_seed)) >= 0)
		return note(sh->finding[me], "process %d, round %u: the child's page of its region changed here", me, round);
	datagen(want, PAGE, seed);
	if (memcmp(a + (size_t)me * PAGE, want, PAGE) || (own && (datagen(want, PAGE, seed ^ 0x800000), memcmp(own, want, PAGE))))
		return note(sh->finding[me], "process %d, round %u: its own page lost its writes", me, round);
	for (int k = 0; k < NPROC; k++) {
		unsigned r = __atomic_load_n(&sh->rounds[k], __ATOMIC_SEQ_CST);

		if (r < seen[k])
			return note(sh->finding[me], "process %d: process %d's round went back from %u to %u", me, k, seen[k], r);
		seen[k] = r;
	}
	__atomic_store_n(&sh->rounds[me], round, __ATOMIC_SEQ_CST);
	return 0;
}

static int loop(int me)
{
	unsigned seen[NPROC] = { 0 };

	for (unsigned round = 1; !__atomic_load_n(&sh->stop, __ATOMIC_SEQ_CST); round++)
		if (round_of(me, round, seen))
			return 1;
	return 0;
}

/* CHILD1: makes region b, forks GRAND over it, loops, then waits for GRAND. */
static int child1(void)
{
	int status;
	pid_t g;

	b = mmap(NULL, PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (b == MAP_FAILED)
		return note(sh->finding[CHILD1], "mmap of the child's region: errno %d", errno);
	for (int p = 0; p < PAGES; p++)
		datagen(b + (size_t)p * PAGE, PAGE, b_seed(p));
	g = fork();
	if (g == 0)
		_exit(loop(GRAND));
	if (g < 0)
		return note(sh->finding[CHILD1], "fork of the grandchild: errno %d", errno);
	if (loop(CHILD1))
		return 1;
	if (waitpid(g, &status, 0) != g || !WIFEXITED(status) || WEXITSTATUS(status))
		return note(sh->finding[CHILD1], "the grandchild ended with status 0x%x", status);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned seen[NPROC] = { 0 }, round = 1;
	pid_t pid[2];
	int status[2];

	test_init(argc, argv);
	a = mmap(NULL, PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (a == MAP_FAILED || sh == MAP_FAILED)
		return fail_errno("mmap");
	for (int p = 0; p < PAGES; p++)
		datagen(a + (size_t)p * PAGE, PAGE, a_seed(p));
	pid[0] = fork();
	if (pid[0] == 0)
		_exit(child1());
	pid[1] = pid[0] < 0 ? -1 : fork();
	if (pid[1] == 0)
		_exit(loop(CHILD2));
	if (pid[1] < 0)
		return fail_errno("fork");
	while (!sh->rounds[GRAND] || !sh->rounds[CHILD1] || !sh->rounds[CHILD2])
		usleep(1000);   /* everyone runs: the grandchild forked over both private regions */

	test_daemon();
	while (test_go() && !round_of(ROOT, round, seen))
		round++;
	__atomic_store_n(&sh->stop, 1, __ATOMIC_SEQ_CST);
	for (int i = 0; i < 2; i++) {
		pid_t r;

		while ((r = waitpid(pid[i], &status[i], 0)) < 0 && errno == EINTR)
			;       /* SIGTERM may come during the wait */
		if (r != pid[i])
			return fail_errno("waitpid");
	}
	test_waitsig();

	for (int k = 0; k < NPROC; k++)
		if (sh->finding[k][0])
			return fail("%s", sh->finding[k]);
	for (int i = 0; i < 2; i++)
		if (!WIFEXITED(status[i]) || WEXITSTATUS(status[i]))
			return fail("child %d ended with status 0x%x", i + 1, status[i]);
	test_msg("rounds: root %u, children %u and %u, grandchild %u", sh->rounds[ROOT], sh->rounds[CHILD1],
		 sh->rounds[CHILD2], sh->rounds[GRAND]);
	return pass();
}
