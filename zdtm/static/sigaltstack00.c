#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>

#include "zdtm.h"

#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1U << 31)   /* linux/signal.h, 4.7 */
#endif

ZDTM_TEST(.doc = "alternate signal stacks (address, size, flags) of two threads, used by a SA_ONSTACK handler",
	  .flavors = ZDTM_ALL_FLAVORS);

/* What the handler saw, per thread. */
static __thread char *volatile handler_sp;
static __thread volatile int handler_ss_flags;

static struct zdtm_waiter *w;   /* 1: thread ready, 2: C/R over */
static char thread_err[192];

static void on_stack_handler(int sig)
{
	char local;
	stack_t ss;

	(void)sig;
	handler_sp = &local;
	handler_ss_flags = sigaltstack(NULL, &ss) ? -1 : ss.ss_flags;
}

/* The stack is the one set, and a handler runs on it and leaves it as it was. */
static int check_altstack(const char *who, const stack_t *want, char *err, size_t len)
{
	int inside = (unsigned)want->ss_flags & SS_AUTODISARM ? SS_DISABLE : SS_ONSTACK;
	stack_t now;

	for (int round = 0; round < 2; round++) {
		if (sigaltstack(NULL, &now))
			return snprintf(err, len, "%s: sigaltstack: %m", who);
		if (now.ss_sp != want->ss_sp || now.ss_size != want->ss_size || now.ss_flags != want->ss_flags)
			return snprintf(err, len, "%s%s: alt stack %p size %zu flags %#x, expected %p %zu %#x",
					who, round ? " after the handler" : "", now.ss_sp, now.ss_size,
					now.ss_flags, want->ss_sp, want->ss_size, want->ss_flags);
		if (round)
			break;
		handler_sp = NULL;
		pthread_kill(pthread_self(), SIGUSR1);
		if (handler_sp < (char *)want->ss_sp || handler_sp >= (char *)want->ss_sp + want->ss_size)
			return snprintf(err, len, "%s: handler ran with sp %p, expected inside [%p, +%zu)",
					who, (void *)handler_sp, want->ss_sp, want->ss_size);
		if (handler_ss_flags != inside)
			return snprintf(err, len, "%s: inside the handler ss_flags %#x, expected %#x",
					who, handler_ss_flags, inside);
	}
	return 0;
}

static int set_altstack(stack_t *ss, size_t size, int flags)
{
	ss->ss_sp = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ss->ss_size = size;
	ss->ss_flags = flags;
	if (ss->ss_sp == MAP_FAILED || sigaltstack(ss, NULL))
		return -1;
	return 0;
}

static void *thread_fn(void *arg)
{
	stack_t ss;

	(void)arg;
	if (set_altstack(&ss, 48 * 1024, SS_AUTODISARM))
		snprintf(thread_err, sizeof(thread_err), "thread: sigaltstack: %m");
	waiter_post(w, 1);
	waiter_wait(w, 2);
	if (!thread_err[0])
		check_altstack("thread", &ss, thread_err, sizeof(thread_err));
	return NULL;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_stack_handler, .sa_flags = SA_ONSTACK };
	char err[192] = "";
	pthread_t thread;
	stack_t ss;

	test_init(argc, argv);
	w = waiter_new();
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, NULL))
		return fail_errno("sigaction");
	if (set_altstack(&ss, 80 * 1024, 0))
		return fail_errno("sigaltstack");
	if ((errno = pthread_create(&thread, NULL, thread_fn, NULL)))
		return fail_errno("pthread_create");
	waiter_wait(w, 1);

	test_daemon();
	test_waitsig();

	check_altstack("main thread", &ss, err, sizeof(err));
	waiter_post(w, 2);
	pthread_join(thread, NULL);
	if (err[0] || thread_err[0])
		return fail("%s", err[0] ? err : thread_err);
	return pass();
}
