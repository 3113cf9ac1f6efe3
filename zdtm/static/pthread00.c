#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "threads with their own thread-local data, stack data, blocked mask and tid",
	  .flavors = ZDTM_ALL_FLAVORS);

#define NTHREADS 4

/* What one thread owns, and what it reports to the main thread. */
struct slot {
	pthread_t thread;
	pid_t tid;
	sigset_t mask;
	char err[160];
};

static struct slot slots[NTHREADS];
static __thread struct {
	int id;
	char data[1024];
} tls;
static pthread_barrier_t ready;
static struct zdtm_waiter *w;   /* 1: C/R over, verify */

static void check_self(int id, const char *stack, size_t len)
{
	struct slot *s = &slots[id];
	sigset_t now;

	pthread_sigmask(SIG_BLOCK, NULL, &now);
	if (tls.id != id || !datachk(tls.data, sizeof(tls.data)))
		snprintf(s->err, sizeof(s->err), "thread %d: thread-local data id %d crc %s, expected id %d crc ok",
			 id, tls.id, datachk(tls.data, sizeof(tls.data)) ? "ok" : "bad", id);
	else if (!datachk(stack, len))
		snprintf(s->err, sizeof(s->err), "thread %d: stack data changed", id);
	else if (gettid() != s->tid)
		snprintf(s->err, sizeof(s->err), "thread %d: tid %d, expected %d", id, gettid(), s->tid);
	for (int sig = 1; sig <= SIGRTMAX && !s->err[0]; sig++)
		if (sigismember(&now, sig) != sigismember(&s->mask, sig))
			snprintf(s->err, sizeof(s->err), "thread %d: signal %d is %s, expected %s", id, sig,
				 sigismember(&now, sig) ? "blocked" : "unblocked",
				 sigismember(&s->mask, sig) ? "blocked" : "unblocked");
}

static void *thread_fn(void *arg)
{
	int id = (int)(intptr_t)arg;
	char stack[700];

	tls.id = id;
	datagen(tls.data, sizeof(tls.data), 100 + id);
	datagen(stack, sizeof(stack), 200 + id);
	slots[id].tid = gettid();
	pthread_sigmask(SIG_SETMASK, &slots[id].mask, NULL);
	pthread_barrier_wait(&ready);
	waiter_wait(w, 1);
	check_self(id, stack, sizeof(stack));
	return NULL;
}

/* Thread i blocks SIGRTMIN+i and, if i is even, SIGUSR1 too: no two masks alike. */
static void make_mask(int i, sigset_t *mask)
{
	sigemptyset(mask);
	sigaddset(mask, SIGRTMIN + i);
	if (i % 2 == 0)
		sigaddset(mask, SIGUSR1);
}

/* /proc/self/task lists the main thread and every worker, by the same tids. */
static int check_tasks(void)
{
	DIR *d = opendir("/proc/self/task");
	int n = 0, known = 0;
	struct dirent *de;

	if (!d)
		return fail_errno("/proc/self/task");
	while ((de = readdir(d))) {
		pid_t tid = atoi(de->d_name);

		if (tid <= 0)
			continue;
		n++;
		known += tid == getpid();
		for (int i = 0; i < NTHREADS; i++)
			known += tid == slots[i].tid;
	}
	closedir(d);
	if (n != NTHREADS + 1 || known != n)
		return fail("/proc/self/task lists %d threads, %d of them known, expected %d and %d",
			    n, known, NTHREADS + 1, NTHREADS + 1);
	return 0;
}

int main(int argc, char **argv)
{
	int ret;

	test_init(argc, argv);
	w = waiter_new();
	pthread_barrier_init(&ready, NULL, NTHREADS + 1);
	for (int i = 0; i < NTHREADS; i++) {
		make_mask(i, &slots[i].mask);
		if ((errno = pthread_create(&slots[i].thread, NULL, thread_fn, (void *)(intptr_t)i)))
			return fail_errno("pthread_create");
	}
	pthread_barrier_wait(&ready);

	test_daemon();
	test_waitsig();

	ret = check_tasks();
	waiter_post(w, 1);
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(slots[i].thread, NULL);
	if (ret)
		return ret;
	for (int i = 0; i < NTHREADS; i++)
		if (slots[i].err[0])
			return fail("%s", slots[i].err);
	return pass();
}
