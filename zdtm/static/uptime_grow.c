#include <time.h>
#include <unistd.h>

#include "zdtm.h"

/* transition: it reads the clocks all the time, across the dump and the restore. */
ZDTM_TEST(.doc = "CLOCK_MONOTONIC and CLOCK_BOOTTIME, read in a loop across C/R, never go backwards",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "transition");

static const struct {
	clockid_t id;
	const char *name;
} clocks[] = { { CLOCK_MONOTONIC, "CLOCK_MONOTONIC" }, { CLOCK_BOOTTIME, "CLOCK_BOOTTIME" } };
#define NCLOCKS 2

static long long now_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long long last[NCLOCKS], t;
	unsigned long reads = 0;

	test_init(argc, argv);
	for (int i = 0; i < NCLOCKS; i++)
		last[i] = now_ns(clocks[i].id);

	test_daemon();

	while (test_go()) {
		for (int i = 0; i < NCLOCKS; i++) {
			t = now_ns(clocks[i].id);
			if (t < last[i])
				return fail("%s went back from %lld ns to %lld ns (read %lu)", clocks[i].name, last[i],
					    t, reads);
			last[i] = t;
		}
		reads++;
		usleep(1000);
	}
	test_msg("%lu reads", reads);
	return pass();
}
