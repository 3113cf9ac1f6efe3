#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "threads keep being created and joined; each checks its thread-local value and data",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "transition");

#define SLOTS 8                 /* threads alive at once besides the main one */
#define ROUNDS 300              /* sched_yield()s each thread lives through */
#define TLSLEN 512
#define DONE 0x5a5a0000u        /* a thread returns n ^ DONE when its checks held */

static __thread uint32_t tls_id;
static __thread char tls_data[TLSLEN];
static char reports[SLOTS][160];        /* slot n % SLOTS: the finding of thread n */

static void *worker(void *arg)
{
	uint32_t n = (uintptr_t)arg;
	char *report = reports[n % SLOTS];
	char want[TLSLEN];

	tls_id = n;
	datagen(tls_data, TLSLEN, n);
	memcpy(want, tls_data, TLSLEN);
	for (int r = 0; r < ROUNDS; r++) {
		sched_yield();
		if (tls_id != n) {
			snprintf(report, sizeof(reports[0]), "thread %u round %d: thread-local id %u", n, r, tls_id);
			return NULL;
		}
		if (memcmp(tls_data, want, TLSLEN)) {
			snprintf(report, sizeof(reports[0]), "thread %u round %d: thread-local data differs", n, r);
			return NULL;
		}
	}
	return (void *)(uintptr_t)(n ^ DONE);
}

static int start(pthread_t *t, uint32_t n, char *problem, size_t plen)
{
	int err = pthread_create(t, NULL, worker, (void *)(uintptr_t)n);

	if (err)
		snprintf(problem, plen, "pthread_create of thread %u: error %d", n, err);
	return err;
}

/* Joins thread n; 1 with the problem when it did not end with its checks held. */
static int join(pthread_t t, uint32_t n, char *problem, size_t plen)
{
	void *ret;
	int err = pthread_join(t, &ret);

	if (err)
		snprintf(problem, plen, "pthread_join of thread %u: error %d", n, err);
	else if ((uintptr_t)ret != (n ^ DONE))
		snprintf(problem, plen, "thread %u returned %#lx, expected %#x: %s", n, (unsigned long)(uintptr_t)ret,
			 n ^ DONE, reports[n % SLOTS]);
	return problem[0] != 0;
}

int main(int argc, char **argv)
{
	pthread_t slots[SLOTS];
	uint32_t n = 0, joined = 0;
	char problem[300] = "";

	test_init(argc, argv);
	tls_id = 0xffffffff;
	for (; n < SLOTS; n++)
		if (start(&slots[n], n, problem, sizeof(problem)))
			return fail("%s", problem);

	test_daemon();
	/* thread `joined` sits in slot joined % SLOTS; its successor there is thread n */
	while (test_go() && !join(slots[joined % SLOTS], joined, problem, sizeof(problem))) {
		joined++;
		if (start(&slots[n % SLOTS], n, problem, sizeof(problem)))
			break;
		n++;
	}
	while (joined < n && !join(slots[joined % SLOTS], joined, problem, sizeof(problem)))
		joined++;
	test_waitsig();

	if (joined < n)
		return fail("%s (%u threads still running, not joined)", problem, n - joined);
	if (problem[0])
		return fail("%s", problem);
	if (expect_int("the main thread's thread-local id", tls_id, 0xffffffff))
		return 1;
	test_msg("%u threads created and joined", n);
	return pass();
}
