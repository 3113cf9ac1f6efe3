#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "blocked pending signals: process-wide and per thread, standard and queued real-time with values",
	  .flavors = ZDTM_ALL_FLAVORS);

/* One queued signal as the receiver must see it. */
struct ev {
	int signo, code, value;
};

/* A pending queue: the process's shared one or a thread's private one. */
struct queue {
	int n;
	struct ev ev[8];
};

static struct queue shared_q, thread_q, main_q;
static sigset_t test_sigs;        /* every signal this test sends; all blocked */
static struct zdtm_waiter *w;     /* 1: thread ready, 2: C/R over, verify */
static pid_t thread_tid;
static char thread_err[256];

static void expect_ev(struct queue *q, int signo, int code, int value)
{
	q->ev[q->n++] = (struct ev){ signo, code, value };
}

static void add_queue(sigset_t *set, const struct queue *q)
{
	for (int i = 0; q && i < q->n; i++)
		sigaddset(set, q->ev[i].signo);
}

/* sigpending() of a thread shows its private queue and the shared one. */
static int check_pending(const char *who, const struct queue *own, const struct queue *shared,
			 char *err, size_t len)
{
	sigset_t want, now;

	sigemptyset(&want);
	add_queue(&want, own);
	add_queue(&want, shared);
	if (sigpending(&now))
		return snprintf(err, len, "%s: sigpending: %m", who);
	for (int sig = 1; sig <= SIGRTMAX; sig++)
		if (sigismember(&now, sig) != sigismember(&want, sig))
			return snprintf(err, len, "%s: signal %d is %s, expected %s", who, sig,
					sigismember(&now, sig) ? "pending" : "not pending",
					sigismember(&want, sig) ? "pending" : "not pending");
	return 0;
}

/* Accept signals one by one: first the private queue, then the shared one, each in kernel order. */
static int accept_queue(const char *who, const struct queue *q, char *err, size_t len)
{
	struct timespec zero = { 0, 0 };
	siginfo_t si;

	for (int i = 0; i < q->n; i++) {
		const struct ev *e = &q->ev[i];
		int sig = sigtimedwait(&test_sigs, &si, &zero);

		if (sig < 0)
			return snprintf(err, len, "%s: nothing to accept (%m), expected signal %d", who, e->signo);
		if (sig != e->signo)
			return snprintf(err, len, "%s: accepted signal %d, expected %d", who, sig, e->signo);
		if (si.si_code != e->code || si.si_pid != getpid())
			return snprintf(err, len, "%s: signal %d has si_code %d si_pid %d, expected %d and %d",
					who, sig, si.si_code, si.si_pid, e->code, getpid());
		if (e->code == SI_QUEUE && si.si_value.sival_int != e->value)
			return snprintf(err, len, "%s: signal %d has si_value %d, expected %d (queue order)",
					who, sig, si.si_value.sival_int, e->value);
	}
	return 0;
}

static int accept_all(const char *who, const struct queue *own, char *err, size_t len)
{
	struct timespec zero = { 0, 0 };
	int sig;

	if (accept_queue(who, own, err, len) || accept_queue(who, &shared_q, err, len))
		return 1;
	sig = sigtimedwait(&test_sigs, NULL, &zero);
	if (sig > 0)
		return snprintf(err, len, "%s: signal %d still pending after all expected ones", who, sig);
	return 0;
}

static void *thread_fn(void *arg)
{
	(void)arg;
	thread_tid = gettid();
	waiter_post(w, 1);
	waiter_wait(w, 2);
	if (!check_pending("thread", &thread_q, &shared_q, thread_err, sizeof(thread_err)))
		accept_all("thread", &thread_q, thread_err, sizeof(thread_err));
	return NULL;
}

/* The si_code this kernel gives tgkill() (SI_TKILL, or SI_USER since 6.x): learnt, not assumed. */
static int tgkill_code(void)
{
	siginfo_t si;

	if (tgkill(getpid(), gettid(), SIGUSR2) || sigwaitinfo(&test_sigs, &si) != SIGUSR2)
		return -1000;
	return si.si_code;
}

static int send_signals(pthread_t thread)
{
	pid_t pid = getpid();
	int usr = SIGUSR1, rt = SIGRTMIN, tkill = tgkill_code();

	if (tkill == -1000)
		return fail_errno("tgkill probe");
	if (kill(pid, usr))
		return fail_errno("kill");
	expect_ev(&shared_q, usr, SI_USER, 0);
	for (int v = 101; v <= 103; v++) {
		if (sigqueue(pid, rt + 1, (union sigval){ .sival_int = v }))
			return fail_errno("sigqueue");
		expect_ev(&shared_q, rt + 1, SI_QUEUE, v);
	}
	if (tgkill(pid, thread_tid, SIGUSR2))
		return fail_errno("tgkill");
	expect_ev(&thread_q, SIGUSR2, tkill, 0);
	for (int v = 201; v <= 202; v++) {
		if ((errno = pthread_sigqueue(thread, rt + 2, (union sigval){ .sival_int = v })))
			return fail_errno("pthread_sigqueue");
		expect_ev(&thread_q, rt + 2, SI_QUEUE, v);
	}
	if (tgkill(pid, gettid(), SIGWINCH))
		return fail_errno("tgkill self");
	expect_ev(&main_q, SIGWINCH, tkill, 0);
	if ((errno = pthread_sigqueue(pthread_self(), rt + 3, (union sigval){ .sival_int = 301 })))
		return fail_errno("pthread_sigqueue self");
	expect_ev(&main_q, rt + 3, SI_QUEUE, 301);
	return 0;
}

int main(int argc, char **argv)
{
	char err[256] = "";
	pthread_t thread;

	test_init(argc, argv);
	w = waiter_new();
	sigemptyset(&test_sigs);
	for (int sig = SIGRTMIN + 1; sig <= SIGRTMIN + 3; sig++)
		sigaddset(&test_sigs, sig);
	sigaddset(&test_sigs, SIGUSR1);
	sigaddset(&test_sigs, SIGUSR2);
	sigaddset(&test_sigs, SIGWINCH);
	if (sigprocmask(SIG_BLOCK, &test_sigs, NULL))
		return fail_errno("sigprocmask");
	if ((errno = pthread_create(&thread, NULL, thread_fn, NULL)))
		return fail_errno("pthread_create");
	waiter_wait(w, 1);
	if (send_signals(thread))
		return 1;

	test_daemon();
	test_waitsig();

	check_pending("main thread", &main_q, &shared_q, err, sizeof(err));
	waiter_post(w, 2);
	pthread_join(thread, NULL);
	if (thread_err[0])
		return fail("%s", thread_err);
	if (err[0] || accept_queue("main thread", &main_q, err, sizeof(err)) ||
	    check_pending("main thread after accepting", NULL, NULL, err, sizeof(err)))
		return fail("%s", err);
	return pass();
}
