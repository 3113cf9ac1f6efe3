#include <pthread.h>
#include <signal.h>
#include <stdio.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "distinct blocked signal masks of the main thread and of a second thread",
	  .flavors = ZDTM_ALL_FLAVORS);

/*
 * Both masks under test block SIGTERM, so test_waitsig() runs in a third
 * thread, created before any mask is set: SIGTERM goes to it.
 */
static sigset_t main_mask, thread_mask;
static struct zdtm_waiter *w;   /* 1: masked thread ready, 2: C/R over */
static struct zdtm_waiter *started;   /* 1: the waiting thread runs (its mask is its own) */
static char thread_err[128];

static int diff_mask(const char *who, const sigset_t *want, char *err, size_t len)
{
	sigset_t now;

	if ((errno = pthread_sigmask(SIG_BLOCK, NULL, &now)))
		return snprintf(err, len, "%s: pthread_sigmask: %m", who);
	for (int sig = 1; sig <= SIGRTMAX; sig++)
		if (sigismember(&now, sig) != sigismember(want, sig))
			return snprintf(err, len, "%s: signal %d is %s, expected %s", who, sig,
					sigismember(&now, sig) ? "blocked" : "unblocked",
					sigismember(want, sig) ? "blocked" : "unblocked");
	return 0;
}

static void *masked_thread(void *arg)
{
	(void)arg;
	pthread_sigmask(SIG_SETMASK, &thread_mask, NULL);
	waiter_post(w, 1);
	waiter_wait(w, 2);
	diff_mask("second thread", &thread_mask, thread_err, sizeof(thread_err));
	return NULL;
}

static void *waiting_thread(void *arg)
{
	(void)arg;
	waiter_post(started, 1);
	test_waitsig();
	waiter_post(w, 2);
	return NULL;
}

static void make_masks(void)
{
	const int in_main[] = { SIGTERM, SIGUSR1, SIGPIPE, SIGCHLD, SIGRTMIN + 5, SIGRTMAX };
	const int in_thread[] = { SIGTERM, SIGUSR2, SIGHUP, SIGALRM, SIGRTMIN + 1, SIGRTMAX - 3 };

	sigemptyset(&main_mask);
	sigemptyset(&thread_mask);
	for (size_t i = 0; i < sizeof(in_main) / sizeof(in_main[0]); i++)
		sigaddset(&main_mask, in_main[i]);
	for (size_t i = 0; i < sizeof(in_thread) / sizeof(in_thread[0]); i++)
		sigaddset(&thread_mask, in_thread[i]);
}

int main(int argc, char **argv)
{
	pthread_t masked, waiting;
	char err[128] = "";

	test_init(argc, argv);
	w = waiter_new();
	started = waiter_new();
	make_masks();
	if ((errno = pthread_create(&waiting, NULL, waiting_thread, NULL)))
		return fail_errno("pthread_create");
	if ((errno = pthread_sigmask(SIG_SETMASK, &main_mask, NULL)))
		return fail_errno("pthread_sigmask");
	if ((errno = pthread_create(&masked, NULL, masked_thread, NULL)))
		return fail_errno("pthread_create");
	waiter_wait(w, 1);
	waiter_wait(started, 1);

	test_daemon();
	waiter_wait(w, 2);   /* the waiting thread saw SIGTERM */

	diff_mask("main thread", &main_mask, err, sizeof(err));
	pthread_join(masked, NULL);
	pthread_join(waiting, NULL);
	if (thread_err[0] || err[0])
		return fail("%s", thread_err[0] ? thread_err : err);
	return pass();
}
