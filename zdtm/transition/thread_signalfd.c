#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "the main thread keeps queueing numbered realtime signals to three threads (rt_tgsigqueueinfo), each reading its own through a signalfd; a window in flight",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "transition");

#define THREADS 3
#define WINDOW 4
#define STOP (-1)

static struct thr {
	pthread_t th;
	int sig;
	pid_t tid;
	unsigned acked;                 /* written by the thread, read by main */
	char problem[160];
} thr[THREADS];

static void *thread(void *arg)
{
	struct thr *t = arg;
	struct signalfd_siginfo si;
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, t->sig);
	fd = signalfd(-1, &set, 0);
	if (fd < 0) {
		snprintf(t->problem, sizeof(t->problem), "signalfd: errno %d", errno);
		return NULL;
	}
	__atomic_store_n(&t->tid, syscall(SYS_gettid), __ATOMIC_SEQ_CST);
	for (unsigned want = 0;; want++) {
		ssize_t n = read(fd, &si, sizeof(si));

		if (n < 0 && errno == EINTR) {  /* SIGTERM's handler ran in this thread */
			want--;
			continue;
		}
		if (n != sizeof(si))
			snprintf(t->problem, sizeof(t->problem), "read of the signalfd: %zd bytes, errno %d", n, errno);
		else if (si.ssi_int == STOP)
			break;
		else if (si.ssi_signo != (unsigned)t->sig || si.ssi_code != SI_QUEUE || si.ssi_pid != (unsigned)getpid() ||
			 (unsigned)si.ssi_int != want)
			snprintf(t->problem, sizeof(t->problem), "signal %u code %d pid %u value %d, expected %d %d %d %u",
				 si.ssi_signo, si.ssi_code, si.ssi_pid, si.ssi_int, t->sig, SI_QUEUE, getpid(), want);
		if (t->problem[0])
			break;
		__atomic_store_n(&t->acked, want + 1, __ATOMIC_SEQ_CST);
	}
	close(fd);
	return NULL;
}

static int send_to(struct thr *t, int value)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	si.si_signo = t->sig;
	si.si_code = SI_QUEUE;
	si.si_pid = getpid();
	si.si_uid = getuid();
	si.si_value.sival_int = value;
	return syscall(SYS_rt_tgsigqueueinfo, getpid(), t->tid, t->sig, &si);
}

int main(int argc, char **argv)
{
	unsigned sent[THREADS] = { 0 }, total = 0;
	char problem[200] = "";
	sigset_t set;

	test_init(argc, argv);
	sigemptyset(&set);
	for (int i = 0; i < THREADS; i++) {
		thr[i].sig = SIGRTMIN + 2 + i;
		sigaddset(&set, thr[i].sig);
	}
	if (sigprocmask(SIG_BLOCK, &set, NULL))         /* inherited by the threads */
		return fail_errno("sigprocmask");
	for (int i = 0; i < THREADS; i++)
		if (pthread_create(&thr[i].th, NULL, thread, &thr[i]))
			return fail("pthread_create");
	for (int i = 0; i < THREADS; i++)
		while (!__atomic_load_n(&thr[i].tid, __ATOMIC_SEQ_CST) && !thr[i].problem[0])
			usleep(1000);

	test_daemon();
	while (test_go() && !problem[0]) {
		int busy = 1;

		for (int i = 0; i < THREADS && !problem[0]; i++) {
			if (thr[i].problem[0])
				snprintf(problem, sizeof(problem), "thread %d: %s", i, thr[i].problem);
			while (!problem[0] && sent[i] - __atomic_load_n(&thr[i].acked, __ATOMIC_SEQ_CST) < WINDOW) {
				if (send_to(&thr[i], sent[i]))
					snprintf(problem, sizeof(problem), "rt_tgsigqueueinfo to thread %d: errno %d", i, errno);
				sent[i]++;
				busy = 0;
			}
		}
		if (busy)
			usleep(50);
	}
	for (int i = 0; i < THREADS; i++) {
		if (!thr[i].problem[0])
			send_to(&thr[i], STOP);
		pthread_join(thr[i].th, NULL);
		if (thr[i].problem[0])          /* the root of a failed send too */
			snprintf(problem, sizeof(problem), "thread %d: %s", i, thr[i].problem);
		if (!problem[0] && thr[i].acked != sent[i])
			snprintf(problem, sizeof(problem), "thread %d took %u signals, expected %u", i, thr[i].acked, sent[i]);
		total += thr[i].acked;
	}
	test_waitsig();

	if (problem[0])
		return fail("%s", problem);
	test_msg("%u signals", total);
	return pass();
}
