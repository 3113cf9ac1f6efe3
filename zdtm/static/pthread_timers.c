#include <dirent.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "zdtm.h"

/* Nothing fires before the check: each expiry starts a thread, which the runner's state diff would see. */
ZDTM_TEST(.doc = "POSIX timers with SIGEV_THREAD notification (glibc's helper thread): a one-shot one with an "
		 "hour left and a periodic one (20 min) with 50 min left; /proc/self/timers unchanged, the times "
		 "left and intervals, then both re-armed short call back with their own value, a new one too",
	  .flavors = ZDTM_ALL_FLAVORS);

#define NS 1000000000LL
#define SLACK_NS (100 * 1000000LL)

static atomic_int calls[3];

static void notify(union sigval v)
{
	atomic_fetch_add(&calls[v.sival_int], 1);
}

static int make_timer(int which, long long value_ns, long long interval_ns, timer_t *t)
{
	struct sigevent ev = { .sigev_notify = SIGEV_THREAD, .sigev_notify_function = notify,
			       .sigev_value.sival_int = which };
	struct itimerspec its = { { interval_ns / NS, interval_ns % NS }, { value_ns / NS, value_ns % NS } };

	if (timer_create(CLOCK_MONOTONIC, &ev, t))
		return fail_errno("timer_create %d", which);
	if (timer_settime(*t, 0, &its, NULL))
		return fail_errno("timer_settime %d", which);
	return 0;
}

/* /proc/self/timers, whole, its lines joined by "; ". */
static int read_timers(char *buf, size_t len)
{
	FILE *f = fopen("/proc/self/timers", "r");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, len - 1, f);
	buf[n] = 0;
	fclose(f);
	while (n && buf[n - 1] == '\n')
		buf[--n] = 0;
	for (char *p = buf; (p = strchr(p, '\n')); p++)
		*p = ';';
	return 0;
}

/* Waits up to 3 s for the count of timer which to pass n. */
static int expect_calls(int which, int n, const char *what)
{
	for (int i = 0; i < 300 && atomic_load(&calls[which]) <= n; i++)
		usleep(10000);
	if (atomic_load(&calls[which]) <= n)
		return fail("%s: %d callbacks, expected more than %d within 3 s", what, atomic_load(&calls[which]), n);
	return 0;
}

static long long mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NS + ts.tv_nsec;
}

/* The timer has an interval of interval_ns and a value not above before (plus slack), and below it by
 * no more than the time passed. */
static int check_left(const char *what, timer_t t, long long before, long long elapsed, long long interval_ns)
{
	struct itimerspec its;
	long long left, interval;

	if (timer_gettime(t, &its))
		return fail_errno("timer_gettime %s", what);
	left = its.it_value.tv_sec * NS + its.it_value.tv_nsec;
	interval = its.it_interval.tv_sec * NS + its.it_interval.tv_nsec;
	if (interval != interval_ns || left <= 0 || left > before + SLACK_NS || left < before - elapsed - SLACK_NS)
		return fail("%s: %lld ns left, interval %lld, expected in [%lld, %lld] and interval %lld", what, left,
			    interval, before - elapsed - SLACK_NS, before + SLACK_NS, interval_ns);
	return 0;
}

static long long left_ns(timer_t t)
{
	struct itimerspec its;

	if (timer_gettime(t, &its))
		return -1;
	return its.it_value.tv_sec * NS + its.it_value.tv_nsec;
}

static int rearm(timer_t t, long long value_ns, long long interval_ns)
{
	struct itimerspec its = { { 0, interval_ns }, { 0, value_ns } };

	return timer_settime(t, 0, &its, NULL);
}

/* glibc starts its helper thread itself, not through libzdtm's pthread_create, so its rseq area and
 * errno (in its thread control block, at the top of its stack mapping) are not in the volatile table:
 * enter the helper's whole stack mapping, found by its stack pointer while it waits for a signal. */
static int helper_volatile(void)
{
	char path[64], line[256], *sp;
	struct zdtm_vma v;
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	pid_t tid = 0;

	if (!d)
		return fail_errno("opendir /proc/self/task");
	while ((e = readdir(d)))
		if (atoi(e->d_name) > 0 && atoi(e->d_name) != getpid())
			tid = atoi(e->d_name);
	closedir(d);
	if (!tid)
		return fail("no helper thread beside the main one after timer_create(SIGEV_THREAD)");
	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", tid);
	for (int i = 0; i < 300; i++) {
		FILE *f = fopen(path, "r");

		line[0] = 0;
		if (f) {
			if (!fgets(line, sizeof(line), f))
				line[0] = 0;
			fclose(f);
		}
		if (line[0] && strncmp(line, "running", 7) && (sp = strrchr(line, ' '))) {
			*sp = 0;
			sp = strrchr(line, ' ');
			if (sp && !vma_find((void *)strtoul(sp + 1, NULL, 16), &v, false)) {
				test_volatile((void *)v.start, v.end - v.start);
				return 0;
			}
		}
		usleep(10000);
	}
	return fail("the helper thread %d did not settle in a system call: \"%s\"", tid, line);
}

int main(int argc, char **argv)
{
	static char before[4096], after[4096];
	long long start, once_left, tick_left, elapsed;
	timer_t once, tick, late;

	test_init(argc, argv);
	if (make_timer(0, 3600 * NS, 0, &once) || make_timer(1, 3000 * NS, 1200 * NS, &tick) || helper_volatile())
		return 1;
	start = mono_ns();
	once_left = left_ns(once);
	tick_left = left_ns(tick);
	if (read_timers(before, sizeof(before)))
		return fail_errno("read /proc/self/timers");

	test_daemon();
	test_waitsig();

	if (read_timers(after, sizeof(after)))
		return fail_errno("read /proc/self/timers");
	if (expect_str("/proc/self/timers", after, before))
		return 1;
	elapsed = mono_ns() - start;
	if (check_left("the one-shot timer", once, once_left, elapsed, 0) ||
	    check_left("the periodic timer", tick, tick_left, elapsed, 1200 * NS))
		return 1;
	if (atomic_load(&calls[0]) || atomic_load(&calls[1]))
		return fail("callbacks %d and %d, expected none before re-arming", atomic_load(&calls[0]),
			    atomic_load(&calls[1]));
	if (rearm(once, 10000000, 0) || rearm(tick, 10000000, 10000000))
		return fail_errno("timer_settime");
	if (expect_calls(0, 0, "the one-shot timer re-armed for 10 ms") ||
	    expect_calls(1, 2, "the periodic timer re-armed for every 10 ms"))
		return 1;
	if (make_timer(2, 10000000, 0, &late) || expect_calls(2, 0, "a timer made after C/R"))
		return 1;
	return pass();
}
