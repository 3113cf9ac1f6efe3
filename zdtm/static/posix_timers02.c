#include <signal.h>
#include <time.h>

#include "zdtm.h"

/*
 * posix_timers01 only checks that an absolute timer never fires early. This one asks for the exact
 * promise of TIMER_ABSTIME: the timer expires at the clock value it was set to, however long C/R
 * took, so the time left is always that value minus now.
 */
ZDTM_TEST(.doc = "an absolute CLOCK_MONOTONIC posix timer keeps its expiry time: after C/R the time left is the set time minus now",
	  .flavors = ZDTM_ALL_FLAVORS);

#define NSEC 1000000000LL
#define SLACK_NS 1000000LL   /* rounding and timer granularity; C/R itself takes far longer */
#define READ_NS 100000LL     /* the clock reads around timer_gettime must be this close */

static long long ns(struct timespec ts)
{
	return ts.tv_sec * NSEC + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	struct sigevent se = { .sigev_notify = SIGEV_NONE };
	struct itimerspec set = { 0 }, cur;
	struct timespec now, before, after;
	long long expiry, left, want;
	timer_t id;

	test_init(argc, argv);
	clock_gettime(CLOCK_MONOTONIC, &now);
	set.it_value.tv_sec = now.tv_sec + 1000;
	expiry = ns(set.it_value);
	if (timer_create(CLOCK_MONOTONIC, &se, &id) || timer_settime(id, TIMER_ABSTIME, &set, NULL))
		return fail_errno("arm an absolute CLOCK_MONOTONIC timer");

	test_daemon();
	test_waitsig();

	/* Bracket the timer read between two clock reads; a preemption in between only means again. */
	do {
		clock_gettime(CLOCK_MONOTONIC, &before);
		if (timer_gettime(id, &cur))
			return fail_errno("timer_gettime");
		clock_gettime(CLOCK_MONOTONIC, &after);
	} while (ns(after) - ns(before) > READ_NS);
	left = ns(cur.it_value);
	want = expiry - ns(before);
	if (left > want + SLACK_NS || left < expiry - ns(after) - SLACK_NS)
		return fail("the absolute timer has %lld ns left, expected %lld (expiry %lld ns on CLOCK_MONOTONIC): "
			    "it moved by %+lld ns", left, want, expiry, left - want);
	return pass();
}
