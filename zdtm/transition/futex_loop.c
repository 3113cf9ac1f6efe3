#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a ring of threads passes a turn counter with FUTEX_WAIT/FUTEX_WAKE, each step counted exactly once",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "transition");

#define THREADS 4               /* the main thread is thread 0 */
#define DATALEN 5000
#define PATIENCE 50             /* 100 ms futex waits for a turn before it is a finding */

/*
 * Step t belongs to thread t % THREADS: it waits until turn == t, checks the data written at
 * step t - 1, writes its own and increments turn exactly once. The main thread ends the ring
 * at one of its steps by setting stop instead.
 */
static _Atomic unsigned turn;
static _Atomic int stop;
static unsigned steps[THREADS];         /* each thread's own count */
static char data[DATALEN];              /* datagen(step that wrote it) */
static char problems[THREADS][200];

static long futex(_Atomic unsigned *word, int op, unsigned val, const struct timespec *ts)
{
	return syscall(SYS_futex, word, op | FUTEX_PRIVATE_FLAG, val, ts, NULL, 0);
}

/* Waits for step t. 0 in turn, 1 on stop, -1 on a finding. */
static int wait_turn(int i, unsigned t)
{
	struct timespec ts = { 0, 100 * 1000 * 1000 };
	unsigned now;
	int waits = 0;

	while ((now = turn) != t && !stop && waits++ < PATIENCE) {
		if ((int)(now - t) > 0) {
			snprintf(problems[i], sizeof(problems[i]), "thread %d waiting for step %u found turn %u "
				 "already past it", i, t, now);
			return -1;
		}
		futex(&turn, FUTEX_WAIT, now, &ts);     /* EAGAIN, EINTR, ETIMEDOUT: look again */
	}
	if (stop)
		return 1;
	if (turn != t) {
		snprintf(problems[i], sizeof(problems[i]), "thread %d: no step %u for %d ms, turn is %u", i, t,
			 PATIENCE * 100, (unsigned)turn);
		return -1;
	}
	return 0;
}

/* Step t of thread i: check step t - 1's data, write own, pass the turn. */
static int take_turn(int i, unsigned t)
{
	static char want[THREADS][DATALEN];
	unsigned old;

	datagen(want[i], DATALEN, t - 1);
	if (t && memcmp(data, want[i], DATALEN))
		return snprintf(problems[i], sizeof(problems[i]), "thread %d at step %u: data is not step %u's "
				"(CRC stamp %s)", i, t, t - 1, datachk(data, DATALEN) ? "intact: another step" : "broken");
	datagen(data, DATALEN, t);
	steps[i]++;
	if ((old = atomic_fetch_add(&turn, 1)) != t)
		return snprintf(problems[i], sizeof(problems[i]), "thread %d passed turn %u, found it at %u", i, t,
				old);
	futex(&turn, FUTEX_WAKE, INT_MAX, NULL);
	return 0;
}

static void *thread(void *arg)
{
	int i = (int)(long)arg;

	for (unsigned t = i; !wait_turn(i, t) && !take_turn(i, t); t += THREADS)
		;
	if (problems[i][0]) {   /* the others need not wait PATIENCE for it */
		stop = 1;
		futex(&turn, FUTEX_WAKE, INT_MAX, NULL);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	char all[THREADS * 200 + 8] = "";
	pthread_t tids[THREADS];
	unsigned t = 0, total = 0;
	int err;

	test_init(argc, argv);
	for (long i = 1; i < THREADS; i++)
		if ((err = pthread_create(&tids[i], NULL, thread, (void *)i)))
			return errno = err, fail_errno("pthread_create");

	test_daemon();
	/* At least one round, even when SIGTERM comes at once (--nocr). */
	while (!wait_turn(0, t) && (test_go() || t < THREADS) && !take_turn(0, t))
		t += THREADS;
	stop = 1;
	futex(&turn, FUTEX_WAKE, INT_MAX, NULL);
	for (int i = 1; i < THREADS; i++)
		pthread_join(tids[i], NULL);
	test_waitsig();

	/* every finding: the first one's cause shows, the others wait for it in vain */
	for (int i = 0; i < THREADS; i++)
		if (problems[i][0])
			snprintf(all + strlen(all), sizeof(all) - strlen(all), "%s%s", all[0] ? "; " : "", problems[i]);
	if (all[0])
		return fail("%s", all);
	for (int i = 0; i < THREADS; i++) {
		total += steps[i];
		if (steps[i] != steps[0])
			return fail("thread %d took %u steps, thread 0 took %u: the ring stopped at thread 0",
				    i, steps[i], steps[0]);
	}
	if (expect_int("turn counter", turn, total))
		return 1;
	test_msg("%u steps by %d threads", total, THREADS);
	return pass();
}
