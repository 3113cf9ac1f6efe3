#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "per-thread scheduling: main SCHED_OTHER nice 3, threads SCHED_BATCH nice 7 and SCHED_IDLE nice 11",
	  .flavors = ZDTM_ALL_FLAVORS);

/* Raising nice and switching to BATCH or IDLE need no privilege. */
struct sched {
	const char *who;
	int policy, nice;
	pid_t tid;
};

static struct sched want[] = {
	{ "main thread", SCHED_OTHER, 3, 0 },
	{ "batch thread", SCHED_BATCH, 7, 0 },
	{ "idle thread", SCHED_IDLE, 11, 0 },
};
#define NSCHED (int)(sizeof(want) / sizeof(want[0]))

static pthread_barrier_t ready;
static struct zdtm_waiter *w;   /* 1: C/R over, end */
static char thread_err[NSCHED][128];

/* Every thread sets its own policy and nice; sched_setscheduler() keeps the nice value. */
static int set_self(struct sched *s)
{
	struct sched_param p = { 0 };

	s->tid = gettid();
	if (setpriority(PRIO_PROCESS, s->tid, s->nice))
		return -1;
	return sched_setscheduler(s->tid, s->policy, &p);
}

static void *thread_fn(void *arg)
{
	struct sched *s = arg;

	if (set_self(s))
		snprintf(thread_err[s - want], sizeof(thread_err[0]), "%s: set policy %d nice %d: errno %d",
			 s->who, s->policy, s->nice, errno);
	pthread_barrier_wait(&ready);
	waiter_wait(w, 1);
	return NULL;
}

static int check(const struct sched *s)
{
	char what[64];
	int prio;

	snprintf(what, sizeof(what), "%s (tid %d) policy", s->who, s->tid);
	if (expect_int(what, sched_getscheduler(s->tid), s->policy))
		return 1;
	errno = 0;
	prio = getpriority(PRIO_PROCESS, s->tid);
	if (prio == -1 && errno)
		return fail_errno("getpriority(%d)", s->tid);
	snprintf(what, sizeof(what), "%s (tid %d) nice", s->who, s->tid);
	return expect_int(what, prio, s->nice);
}

int main(int argc, char **argv)
{
	pthread_t th[NSCHED];
	int ret = 0;

	test_init(argc, argv);
	w = waiter_new();
	pthread_barrier_init(&ready, NULL, NSCHED);
	if (set_self(&want[0]))
		return fail_errno("main thread: set policy and nice");
	for (int i = 1; i < NSCHED; i++)
		if ((errno = pthread_create(&th[i], NULL, thread_fn, &want[i])))
			return fail_errno("pthread_create");
	pthread_barrier_wait(&ready);
	for (int i = 1; i < NSCHED; i++)
		if (thread_err[i][0])
			return fail("%s", thread_err[i]);
	for (int i = 0; i < NSCHED && !ret; i++)
		ret = check(&want[i]);
	if (ret)
		return ret;

	test_daemon();
	test_waitsig();

	for (int i = 0; i < NSCHED && !ret; i++)
		ret = check(&want[i]);
	waiter_post(w, 1);
	for (int i = 1; i < NSCHED; i++)
		pthread_join(th[i], NULL);
	return ret ? ret : pass();
}
