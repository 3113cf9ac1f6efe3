#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "zdtm.h"

/* criu 4.2 refuses a pidfd of a thread, as the original suite's (noauto) crfail test expects. */
ZDTM_TEST(.doc = "a pidfd of a thread (PIDFD_THREAD) names that thread: criu must refuse it; after, a signal through it reaches the thread",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "crfail");

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif
#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL
#endif

static struct zdtm_waiter *w;   /* 1: the thread is up; 2: C/R over, signal sent; 3: the thread saw it */
static volatile pid_t tid;
static volatile int got;

static void *thread(void *arg)
{
	sigset_t set;
	siginfo_t si;

	(void)arg;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	tid = syscall(SYS_gettid);
	waiter_post(w, 1);
	waiter_wait(w, 2);
	got = sigwaitinfo(&set, &si) == SIGUSR1 && si.si_code == SI_USER;
	waiter_post(w, 3);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t th;
	sigset_t set;
	char buf[64];
	int fd;

	test_init(argc, argv);
	w = waiter_new();
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &set, NULL) || pthread_create(&th, NULL, thread, NULL))
		return fail("block SIGUSR1, pthread_create");
	waiter_wait(w, 1);
	fd = syscall(SYS_pidfd_open, tid, PIDFD_THREAD);
	if (fd < 0)
		return errno == EINVAL ? skip("no PIDFD_THREAD") : fail_errno("pidfd_open(thread)");

	test_daemon();
	test_waitsig();

	if (fdinfo_lines(fd, "Pid:", buf, sizeof(buf)) != 1 || atoi(buf) != tid)
		return fail("fdinfo Pid: \"%s\", expected the thread %d", buf, tid);
	if (syscall(SYS_pidfd_send_signal, fd, SIGUSR1, NULL, 0))
		return fail_errno("pidfd_send_signal to the thread");
	waiter_post(w, 2);
	waiter_wait(w, 3);
	pthread_join(th, NULL);
	if (expect_int("the thread got SIGUSR1 sent through its pidfd", got, 1))
		return 1;
	return pass();
}
