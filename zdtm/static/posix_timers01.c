#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "posix timers: a SIGEV_THREAD_ID one keeps hitting only its thread; SIGEV_NONE, absolute monotonic and boottime ones keep their times",
	  .flavors = ZDTM_ALL_FLAVORS);

#define NSEC 1000000000LL
#define MSEC 1000000LL
#define SLACK_NS (10 * MSEC)
#define THREAD_SIG (SIGRTMIN + 1)
#define THREAD_VALUE 101

enum { T_THREAD, T_NONE, T_ABS, T_BOOT, NTIMERS };
static struct ptimer {
	const char *name;
	clockid_t clock;
	int notify, sig_off, flags;
	struct itimerspec set;
	timer_t id;
	struct itimerspec before;
} timers[NTIMERS] = {
	[T_THREAD] = { "thread-directed", CLOCK_MONOTONIC, SIGEV_THREAD_ID, 1, 0, { { 0, 50 * MSEC }, { 0, 50 * MSEC } } },
	[T_NONE] = { "no notification", CLOCK_MONOTONIC, SIGEV_NONE, 0, 0, { { 2000, 500 * MSEC }, { 1000, 0 } } },
	/* Its value is set to now + 5000 s when it is armed. */
	[T_ABS] = { "absolute monotonic", CLOCK_MONOTONIC, SIGEV_SIGNAL, 2, TIMER_ABSTIME, { { 0, 0 }, { 5000, 0 } } },
	[T_BOOT] = { "boottime", CLOCK_BOOTTIME, SIGEV_SIGNAL, 3, 0, { { 1500, 250 * MSEC }, { 3000, 0 } } },
};

static volatile pid_t worker_tid;
static volatile int worker_hits, other_hits, other_tid, bad_info, stray[_NSIG];
static struct zdtm_waiter *w;   /* 1: C/R over, the worker may end */

static void on_timer(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (sig != THREAD_SIG) {
		stray[sig]++;
		return;
	}
	if (si->si_code != SI_TIMER || si->si_value.sival_int != THREAD_VALUE ||
	    si->si_timerid != (int)(intptr_t)timers[T_THREAD].id)
		bad_info++;
	if (gettid() == worker_tid)
		worker_hits++;
	else {
		other_hits++;
		other_tid = gettid();
	}
}

static void *worker(void *arg)
{
	(void)arg;
	worker_tid = gettid();
	waiter_wait(w, 1);
	return NULL;
}

static long long ns(struct timespec ts)
{
	return ts.tv_sec * NSEC + ts.tv_nsec;
}

static long long clock_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return ns(ts);
}

static int arm(struct ptimer *t)
{
	struct sigevent se = { .sigev_notify = t->notify, .sigev_signo = SIGRTMIN + t->sig_off,
			       .sigev_value.sival_int = 100 + t->sig_off };

	if (t->notify == SIGEV_THREAD_ID)
		se._sigev_un._tid = worker_tid;
	if (t->flags & TIMER_ABSTIME)
		t->set.it_value.tv_sec += clock_ns(t->clock) / NSEC;
	if (timer_create(t->clock, &se, &t->id) || timer_settime(t->id, t->flags, &t->set, NULL))
		return fail_errno("timer %s", t->name);
	return 0;
}

/*
 * Same interval; the remaining time went down by no more than the time that passed.
 * For the absolute timer the lower bound means "never expires before its set time";
 * it may expire later by the time C/R took: criu 4.2 restores it as a relative timer
 * (the kernel does not show TIMER_ABSTIME).
 */
static int check_timer(const struct ptimer *t, long long elapsed)
{
	long long was = ns(t->before.it_value), now, lowest;
	struct itimerspec cur;

	if (timer_gettime(t->id, &cur))
		return fail_errno("timer_gettime %s", t->name);
	if (ns(cur.it_interval) != ns(t->set.it_interval))
		return fail("timer %s: interval %lld ns, expected %lld", t->name,
			    ns(cur.it_interval), ns(t->set.it_interval));
	if (t == &timers[T_THREAD])
		return 0;   /* its value wraps every 50 ms */
	now = ns(cur.it_value);
	lowest = was - elapsed - SLACK_NS;
	if (now <= 0 || now > was + SLACK_NS || now < lowest)
		return fail("timer %s: %lld ns remain, expected in [%lld, %lld]", t->name, now,
			    lowest > 0 ? lowest : 1, was + SLACK_NS);
	return 0;
}

/* At least `more` new expiries reach the worker within 5 s, none another thread. */
static int check_hits(const char *when, int more)
{
	long long deadline = clock_ns(CLOCK_MONOTONIC) + 5 * NSEC;
	int want = worker_hits + more;
	struct timespec tick = { 0, 10 * MSEC };

	while (worker_hits < want && clock_ns(CLOCK_MONOTONIC) < deadline)
		nanosleep(&tick, NULL);
	if (other_hits)
		return fail("%s: the thread-directed timer hit thread %d %d times, expected only thread %d",
			    when, other_tid, other_hits, worker_tid);
	if (worker_hits < want)
		return fail("%s: the worker got %d timer signals in 5 s, expected %d", when,
			    worker_hits - want + more, more);
	if (bad_info)
		return fail("%s: %d timer signals with a wrong siginfo, expected si_code SI_TIMER, "
			    "value %d, timer id %d", when, bad_info, THREAD_VALUE, (int)(intptr_t)timers[T_THREAD].id);
	for (int sig = 1; sig < _NSIG; sig++)
		if (stray[sig])
			return fail("%s: signal %d arrived %d times, expected never", when, sig, stray[sig]);
	return 0;
}

static int read_proc_timers(char *buf, size_t len)
{
	int fd = open("/proc/self/timers", O_RDONLY), n;

	if (fd < 0)
		return -1;
	n = read_all(fd, buf, len - 1);
	close(fd);
	if (n >= 0)
		buf[n] = 0;
	return n;
}

int main(int argc, char **argv)
{
	static char proc_before[4096], proc_after[4096];
	/* SA_NODEFER: a thread caught inside the handler by a dump or a /proc snapshot must not show its
	 * signal blocked, which would be a state of the moment, not of the test. */
	struct sigaction sa = { .sa_sigaction = on_timer, .sa_flags = SA_SIGINFO | SA_RESTART | SA_NODEFER };
	pthread_t thread;
	long long start;
	int ret;

	test_init(argc, argv);
	w = waiter_new();
	sigemptyset(&sa.sa_mask);
	for (int i = 1; i <= 3; i++)
		if (sigaction(SIGRTMIN + i, &sa, NULL))
			return fail_errno("sigaction");
	test_volatile((const void *)&worker_hits, sizeof(worker_hits));   /* the 50 ms timer keeps hitting */
	if ((errno = pthread_create(&thread, NULL, worker, NULL)))
		return fail_errno("pthread_create");
	while (!worker_tid)
		;
	for (int i = 0; i < NTIMERS; i++)
		if (arm(&timers[i]))
			return 1;
	start = clock_ns(CLOCK_MONOTONIC);
	for (int i = 0; i < NTIMERS; i++)
		timer_gettime(timers[i].id, &timers[i].before);
	if (read_proc_timers(proc_before, sizeof(proc_before)) <= 0)
		return fail_errno("/proc/self/timers");
	if (check_hits("before C/R", 1))
		return 1;

	test_daemon();
	test_waitsig();

	if (read_proc_timers(proc_after, sizeof(proc_after)) <= 0)
		return fail_errno("/proc/self/timers");
	ret = expect_str("/proc/self/timers", proc_after, proc_before);
	for (int i = 0; i < NTIMERS && !ret; i++)
		ret = check_timer(&timers[i], clock_ns(CLOCK_MONOTONIC) - start);
	if (!ret)
		ret = check_hits("after C/R", 3);
	waiter_post(w, 1);
	pthread_join(thread, NULL);
	return ret ?: pass();
}
