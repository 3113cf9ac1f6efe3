#include <signal.h>
#include <sys/time.h>
#include <time.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "ITIMER_REAL, ITIMER_VIRTUAL and ITIMER_PROF armed one-shot (no interval) with about an hour "
		 "left: the interval stays 0, the time left only shrinks by what passed, none fires",
	  .flavors = ZDTM_ALL_FLAVORS);

#define USEC 1000000LL
/* Setting an itimer rounds its value up to a jiffy, and every restore sets it again (as itimers00). */
#define SLACK_US (100 * 1000)
#define CPU_SLACK_US USEC      /* the test burns far less CPU than this */

static const struct {
	int which, sig;
	const char *name;
	struct itimerval set;
} timers[] = {
	{ ITIMER_REAL, SIGALRM, "ITIMER_REAL", { { 0, 0 }, { 3600, 0 } } },
	{ ITIMER_VIRTUAL, SIGVTALRM, "ITIMER_VIRTUAL", { { 0, 0 }, { 3500, 250000 } } },
	{ ITIMER_PROF, SIGPROF, "ITIMER_PROF", { { 0, 0 }, { 3400, 500000 } } },
};
#define NTIMERS (int)(sizeof(timers) / sizeof(timers[0]))

static volatile sig_atomic_t fired[_NSIG];

static void on_timer(int sig)
{
	fired[sig]++;
}

static long long usec(struct timeval tv)
{
	return tv.tv_sec * USEC + tv.tv_usec;
}

static long long mono_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * USEC + ts.tv_nsec / 1000;
}

static int check_timer(int i, const struct itimerval *before, long long elapsed)
{
	long long was = usec(before->it_value), now, lowest;
	struct itimerval cur;

	if (getitimer(timers[i].which, &cur))
		return fail_errno("getitimer %s", timers[i].name);
	if (fired[timers[i].sig])
		return fail("%s fired %d times, expected never", timers[i].name, fired[timers[i].sig]);
	if (usec(cur.it_interval) != 0)
		return fail("%s: interval %lld us, expected 0 (one-shot)", timers[i].name, usec(cur.it_interval));
	now = usec(cur.it_value);
	lowest = was - (timers[i].which == ITIMER_REAL ? elapsed + SLACK_US : CPU_SLACK_US);
	if (now <= 0 || now > was + SLACK_US || now < lowest)
		return fail("%s: %lld us remain, expected in [%lld, %lld] (%lld before C/R)",
			    timers[i].name, now, lowest > 0 ? lowest : 1, was + SLACK_US, was);
	return 0;
}

int main(int argc, char **argv)
{
	struct itimerval before[NTIMERS];
	struct sigaction sa = { .sa_handler = on_timer };
	long long start;

	test_init(argc, argv);
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < NTIMERS; i++) {
		if (sigaction(timers[i].sig, &sa, NULL))
			return fail_errno("sigaction");
		if (setitimer(timers[i].which, &timers[i].set, NULL))
			return fail_errno("setitimer %s", timers[i].name);
	}
	start = mono_usec();
	for (int i = 0; i < NTIMERS; i++)
		getitimer(timers[i].which, &before[i]);

	test_daemon();
	test_waitsig();

	for (int i = 0; i < NTIMERS; i++)
		if (check_timer(i, &before[i], mono_usec() - start))
			return 1;
	return pass();
}
