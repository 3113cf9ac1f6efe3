#include <sched.h>
#include <stdio.h>
#include <string.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a process whose CPU affinity is one CPU (sched_setaffinity), the last one it may use",
	  .flavors = ZDTM_ALL_FLAVORS);

static int expect_mask(const cpu_set_t *want, int cpu)
{
	cpu_set_t got;

	if (sched_getaffinity(0, sizeof(got), &got))
		return fail_errno("sched_getaffinity");
	if (!CPU_EQUAL(&got, want))
		return fail("the affinity holds %d CPUs (CPU %d: %s), expected CPU %d only", CPU_COUNT(&got), cpu,
			    CPU_ISSET(cpu, &got) ? "in" : "out", cpu);
	return expect_int("the CPU it runs on", sched_getcpu(), cpu);
}

int main(int argc, char **argv)
{
	cpu_set_t all, one;
	int cpu = -1;

	test_init(argc, argv);
	if (sched_getaffinity(0, sizeof(all), &all))
		return fail_errno("sched_getaffinity");
	if (CPU_COUNT(&all) < 2)
		return skip("only one CPU allowed: a one-CPU mask would change nothing");
	for (int i = 0; i < CPU_SETSIZE; i++)
		if (CPU_ISSET(i, &all))
			cpu = i;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	if (sched_setaffinity(0, sizeof(one), &one))
		return fail_errno("sched_setaffinity to CPU %d", cpu);
	if (expect_mask(&one, cpu))
		return 1;

	test_daemon();
	test_waitsig();

	return expect_mask(&one, cpu) ? 1 : pass();
}
