#include <signal.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an epoll loop over a 2 ms periodic timerfd and an eventfd a child keeps adding to: the eventfd sums match the child's count, timer ticks never outrun the clock, and the timer is still armed at the end",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "transition");

#define PERIOD_NS 2000000L

struct shared {
	unsigned long added;    /* the child's count, raised before each write */
	int stop;
};

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	struct itimerspec its = { { 0, PERIOD_NS }, { 0, PERIOD_NS } }, cur;
	struct epoll_event e, got[2];
	unsigned long long v, ticks = 0, summed = 0;
	char problem[200] = "";
	struct shared *sh;
	int ep, tfd, efd, status;
	long long start;
	pid_t pid;

	test_init(argc, argv);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ep = epoll_create1(0);
	tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	efd = eventfd(0, EFD_NONBLOCK);
	if (sh == MAP_FAILED || ep < 0 || tfd < 0 || efd < 0)
		return fail_errno("mmap, epoll, timerfd, eventfd");
	e = (struct epoll_event){ .events = EPOLLIN, .data.fd = tfd };
	if (epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &e))
		return fail_errno("epoll_ctl timerfd");
	e = (struct epoll_event){ .events = EPOLLIN, .data.fd = efd };
	if (epoll_ctl(ep, EPOLL_CTL_ADD, efd, &e))
		return fail_errno("epoll_ctl eventfd");
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0) {
		v = 1;
		while (!__atomic_load_n(&sh->stop, __ATOMIC_SEQ_CST)) {
			__atomic_add_fetch(&sh->added, 1, __ATOMIC_SEQ_CST);
			if (write(efd, &v, sizeof(v)) != sizeof(v))
				_exit(1);
			usleep(300);
		}
		_exit(0);
	}
	start = now_ns();
	if (timerfd_settime(tfd, 0, &its, NULL))
		return fail_errno("timerfd_settime");

	test_daemon();
	while (test_go() && !problem[0]) {
		int n = epoll_wait(ep, got, 2, 1000);

		for (int i = 0; i < n && !problem[0]; i++) {
			if (read(got[i].data.fd, &v, sizeof(v)) != sizeof(v))
				continue;       /* EAGAIN: both woke for one */
			if (got[i].data.fd == efd)
				summed += v;
			else
				ticks += v;
		}
		if (summed > __atomic_load_n(&sh->added, __ATOMIC_SEQ_CST))
			snprintf(problem, sizeof(problem), "the eventfd gave %llu, the child added only %lu", summed, sh->added);
		else if (ticks > (unsigned long long)((now_ns() - start) / PERIOD_NS + 1))
			snprintf(problem, sizeof(problem), "%llu timer ticks in %lld ns of %ld ns periods", ticks,
				 now_ns() - start, PERIOD_NS);
	}
	__atomic_store_n(&sh->stop, 1, __ATOMIC_SEQ_CST);
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	if (read(efd, &v, sizeof(v)) == sizeof(v))
		summed += v;
	if (timerfd_gettime(tfd, &cur))
		return fail_errno("timerfd_gettime");
	test_waitsig();

	if (expect_clean_end("", problem, status))
		return 1;
	if (expect_int("eventfd sum", summed, sh->added))
		return 1;
	if (cur.it_interval.tv_sec || cur.it_interval.tv_nsec != PERIOD_NS || (!cur.it_value.tv_sec && !cur.it_value.tv_nsec))
		return fail("timerfd interval %ld.%09ld s value %ld.%09ld s, expected a %ld ns period still armed",
			    cur.it_interval.tv_sec, cur.it_interval.tv_nsec, cur.it_value.tv_sec, cur.it_value.tv_nsec, PERIOD_NS);
	test_msg("%lu eventfd adds, %llu timer ticks", sh->added, ticks);
	return pass();
}
