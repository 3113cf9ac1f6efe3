#include <stdio.h>
#include <time.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "CLOCK_MONOTONIC and CLOCK_BOOTTIME of the test's time namespace continue across C/R: never backwards, less than an hour on (a restore in h puts the tree into a time namespace whose offsets make up for the time it was away)",
	  .flavors = ZDTM_ALL_FLAVORS);

#define NSEC 1000000000LL
#define HOUR (3600 * NSEC)

static const struct {
	clockid_t id;
	const char *name;
} clocks[] = { { CLOCK_MONOTONIC, "CLOCK_MONOTONIC" }, { CLOCK_BOOTTIME, "CLOCK_BOOTTIME" } };

static long long now(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec * NSEC + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long long t[2];

	test_init(argc, argv);
	for (int i = 0; i < 2; i++)
		t[i] = now(clocks[i].id);

	test_daemon();
	test_waitsig();

	for (int i = 0; i < 2; i++) {
		long long d = now(clocks[i].id) - t[i];

		if (d < 0 || d > HOUR)
			return fail("%s moved %lld.%09lld s across C/R, expected forward and less than an hour", clocks[i].name,
				    d / NSEC, (d < 0 ? -d : d) % NSEC);
	}
	return pass();
}
