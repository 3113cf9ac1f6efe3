#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "timerfds with intervals: a ticking monotonic one and a long realtime one",
	  .flavors = ZDTM_ALL_FLAVORS);

#define NSEC 1000000000LL
#define SLACK_NS (10 * 1000 * 1000LL)

struct tfd {
	const char *name;
	clockid_t clock;
	int flags;                 /* TFD_CLOEXEC, TFD_NONBLOCK */
	struct itimerspec set, before;
	int fd;
};

static struct tfd ticking = { "ticking", CLOCK_MONOTONIC, TFD_CLOEXEC,
			      { { 0, 100000000 }, { 0, 100000000 } }, { { 0, 0 }, { 0, 0 } }, -1 };
static struct tfd slow = { "slow", CLOCK_REALTIME, TFD_NONBLOCK,
			   { { 1000, 500000000 }, { 500, 0 } }, { { 0, 0 }, { 0, 0 } }, -1 };

static long long ns(struct timespec ts)
{
	return ts.tv_sec * NSEC + ts.tv_nsec;
}

static long long mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ns(ts);
}

/* The "clockid:" of the timerfd's fdinfo, or -100. */
static int fdinfo_clockid(int fd)
{
	char buf[64];

	return fdinfo_lines(fd, "clockid:", buf, sizeof(buf)) == 1 ? atoi(buf) : -100;
}

/* The descriptor and its settings: flags, clock, interval, a remaining time no longer than before. */
static int check_settings(const struct tfd *t)
{
	int fl = fcntl(t->fd, F_GETFL), fdfl = fcntl(t->fd, F_GETFD), clock = fdinfo_clockid(t->fd);
	long long was = ns(t->before.it_value), now;
	struct itimerspec cur;

	if (fl < 0 || fdfl < 0 || timerfd_gettime(t->fd, &cur))
		return fail_errno("timerfd %s (fd %d)", t->name, t->fd);
	if (!!(fl & O_NONBLOCK) != !!(t->flags & TFD_NONBLOCK) || !!(fdfl & FD_CLOEXEC) != !!(t->flags & TFD_CLOEXEC))
		return fail("timerfd %s: O_NONBLOCK %d FD_CLOEXEC %d, expected %d and %d", t->name,
			    !!(fl & O_NONBLOCK), !!(fdfl & FD_CLOEXEC),
			    !!(t->flags & TFD_NONBLOCK), !!(t->flags & TFD_CLOEXEC));
	if (clock != t->clock)
		return fail("timerfd %s: clockid %d in fdinfo, expected %d", t->name, clock, t->clock);
	if (ns(cur.it_interval) != ns(t->set.it_interval))
		return fail("timerfd %s: interval %lld ns, expected %lld", t->name,
			    ns(cur.it_interval), ns(t->set.it_interval));
	now = ns(cur.it_value);
	if (now <= 0 || now > was + SLACK_NS)
		return fail("timerfd %s: %lld ns remain, expected in (0, %lld]", t->name, now, was + SLACK_NS);
	return 0;
}

/* Expirations so far fit the time elapsed, and a new one still comes. */
static int check_ticks(long long start)
{
	uint64_t first = 0, second = 0, most;

	if (read(ticking.fd, &first, sizeof(first)) != sizeof(first) ||
	    read(ticking.fd, &second, sizeof(second)) != sizeof(second))
		return fail_errno("read ticking timerfd");
	most = (mono_ns() - start) / ns(ticking.set.it_interval) + 1;
	if (first < 1 || second < 1 || first + second > most)
		return fail("ticking timerfd: %llu then %llu expirations, expected at least 1 each and %llu in all at most",
			    (unsigned long long)first, (unsigned long long)second, (unsigned long long)most);
	return 0;
}

static int check_slow_idle(void)
{
	uint64_t ticks = 0;

	if (read(slow.fd, &ticks, sizeof(ticks)) >= 0)
		return fail("slow timerfd: %llu expirations, expected none", (unsigned long long)ticks);
	if (errno != EAGAIN)
		return fail_errno("slow timerfd: read failed, expected EAGAIN");
	return 0;
}

static int arm(struct tfd *t)
{
	t->fd = timerfd_create(t->clock, t->flags);
	if (t->fd < 0 || timerfd_settime(t->fd, 0, &t->set, NULL))
		return fail_errno("timerfd %s", t->name);
	return 0;
}

int main(int argc, char **argv)
{
	long long start;

	test_init(argc, argv);
	if (arm(&ticking) || arm(&slow))
		return 1;
	start = mono_ns();
	if (timerfd_gettime(ticking.fd, &ticking.before) || timerfd_gettime(slow.fd, &slow.before))
		return fail_errno("timerfd_gettime");

	test_daemon();
	test_waitsig();

	if (check_settings(&slow) || check_slow_idle() || check_settings(&ticking) || check_ticks(start))
		return 1;
	return pass();
}
