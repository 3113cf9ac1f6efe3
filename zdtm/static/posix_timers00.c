#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "posix timers on several clocks with distinct intervals and sigevents; a short one keeps firing",
	  .flavors = ZDTM_ALL_FLAVORS);

#define NSEC 1000000000LL
#define SLACK_NS (10 * 1000 * 1000LL)
#define CPU_SLACK_NS NSEC           /* the test burns far less CPU than this */

struct ptimer {
	clockid_t clock;
	const char *name;
	int notify, sig_off;        /* signal: SIGRTMIN + sig_off */
	struct itimerspec set;
	timer_t id;
	struct itimerspec before;
};

/* interval and first expiry, each as seconds + nanoseconds */
#define TIMER(c, n, how, off, is, ins, vs, vns) \
	{ .clock = c, .name = n, .notify = how, .sig_off = off, .set = { { is, ins }, { vs, vns } } }
static struct ptimer timers[] = {
	TIMER(CLOCK_MONOTONIC, "monotonic", SIGEV_SIGNAL, 1, 1000, 250000000, 500, 0),
	TIMER(CLOCK_REALTIME, "realtime", SIGEV_SIGNAL, 2, 2000, 500000000, 600, 0),
	TIMER(CLOCK_PROCESS_CPUTIME_ID, "process cputime", SIGEV_SIGNAL, 3, 3000, 750000000, 700, 0),
	TIMER(CLOCK_BOOTTIME, "boottime, no notification", SIGEV_NONE, 0, 4000, 1, 800, 0),
	TIMER(CLOCK_MONOTONIC, "short monotonic", SIGEV_SIGNAL, 4, 0, 100000000, 0, 100000000),
};
#define NTIMERS (int)(sizeof(timers) / sizeof(timers[0]))
#define SHORT (&timers[NTIMERS - 1])

static long long ns(struct timespec ts)
{
	return ts.tv_sec * NSEC + ts.tv_nsec;
}

static long long mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NSEC + ts.tv_nsec;
}

/* /proc/self/timers: id, signal and value, notification and clock of every timer. */
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

static int check_proc_timers(const char *before)
{
	static char now[4096];
	size_t i = 0, line = 0;

	if (read_proc_timers(now, sizeof(now)) < 0)
		return fail_errno("/proc/self/timers");
	for (; before[i] && before[i] == now[i]; i++)
		if (before[i] == '\n')
			line = i + 1;
	if (!before[i] && !now[i])
		return 0;
	return fail("/proc/self/timers differs: \"%.*s\", expected \"%.*s\"",
		    (int)strcspn(now + line, "\n"), now + line, (int)strcspn(before + line, "\n"), before + line);
}

static int arm(struct ptimer *t)
{
	struct sigevent se = { .sigev_notify = t->notify, .sigev_signo = SIGRTMIN + t->sig_off,
			       .sigev_value.sival_int = 100 + t->sig_off };

	if (timer_create(t->clock, &se, &t->id) || timer_settime(t->id, 0, &t->set, NULL))
		return fail_errno("timer %s", t->name);
	return 0;
}

/* Same interval; the remaining time is below the value before by no more than time allows. */
static int check_timer(const struct ptimer *t, long long elapsed)
{
	long long was = ns(t->before.it_value), now, lowest;
	struct itimerspec cur;

	if (timer_gettime(t->id, &cur))
		return fail_errno("timer_gettime %s", t->name);
	if (ns(cur.it_interval) != ns(t->set.it_interval))
		return fail("timer %s: interval %lld ns, expected %lld", t->name,
			    ns(cur.it_interval), ns(t->set.it_interval));
	if (t == SHORT)
		return 0;   /* its value wraps every 100 ms */
	now = ns(cur.it_value);
	lowest = was - (t->clock == CLOCK_PROCESS_CPUTIME_ID ? CPU_SLACK_NS : elapsed + SLACK_NS);
	if (now <= 0 || now > was + SLACK_NS || now < lowest)
		return fail("timer %s: %lld ns remain, expected in [%lld, %lld]", t->name, now,
			    lowest > 0 ? lowest : 1, was + SLACK_NS);
	return 0;
}

/* The short timer still fires: a new expiry arrives after any one pending from before. */
static int check_fires(const sigset_t *set)
{
	struct timespec zero = { 0, 0 }, wait = { 5, 0 };
	siginfo_t si;

	sigtimedwait(set, &si, &zero);
	if (sigtimedwait(set, &si, &wait) < 0)
		return fail_errno("short timer: no signal %d within 5 s", SIGRTMIN + SHORT->sig_off);
	if (si.si_code != SI_TIMER || si.si_value.sival_int != 100 + SHORT->sig_off)
		return fail("short timer: signal with si_code %d si_value %d, expected %d and %d",
			    si.si_code, si.si_value.sival_int, SI_TIMER, 100 + SHORT->sig_off);
	return 0;
}

/* The short timer's first expiry is queued (blocked) before "ready", so the pending signal is part of
 * the state the runner snapshots instead of arriving during C/R; later expiries only add overruns. */
static int wait_first_expiry(void)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	sigset_t pending;

	for (int i = 0; i < 500; i++) {
		if (sigpending(&pending))
			return fail_errno("sigpending");
		if (sigismember(&pending, SIGRTMIN + SHORT->sig_off))
			return 0;
		nanosleep(&tick, NULL);
	}
	return fail("short timer: no signal %d within 5 s of arming", SIGRTMIN + SHORT->sig_off);
}

int main(int argc, char **argv)
{
	static char proc_before[4096];
	long long start;
	sigset_t set;

	test_init(argc, argv);
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN + SHORT->sig_off);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return fail_errno("sigprocmask");
	for (int i = 0; i < NTIMERS; i++)
		if (arm(&timers[i]))
			return 1;
	start = mono_ns();
	for (int i = 0; i < NTIMERS; i++)
		timer_gettime(timers[i].id, &timers[i].before);
	if (read_proc_timers(proc_before, sizeof(proc_before)) <= 0)
		return fail_errno("/proc/self/timers");
	if (wait_first_expiry())
		return 1;

	test_daemon();
	test_waitsig();

	if (check_proc_timers(proc_before))
		return 1;
	for (int i = 0; i < NTIMERS; i++)
		if (check_timer(&timers[i], mono_ns() - start))
			return 1;
	if (check_fires(&set))
		return 1;
	return pass();
}
