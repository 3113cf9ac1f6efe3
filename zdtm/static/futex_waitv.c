#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a thread blocked in futex_waitv() on two futexes across C/R; woken through the second one after",
	  .flavors = ZDTM_ALL_FLAVORS);

#ifndef SYS_futex_waitv
#define SYS_futex_waitv 449
#endif
#ifndef FUTEX2_SIZE_U32
#define FUTEX2_SIZE_U32 0x02
#endif

struct waitv {   /* struct futex_waitv */
	uint64_t val, uaddr;
	uint32_t flags, reserved;
};

static _Atomic uint32_t f[2];
static _Atomic int done;     /* the thread's futex_waitv() returned */
static long result;
static int result_errno;
static _Atomic pid_t tid;

static void *waiter(void *arg)
{
	struct waitv w[2];

	(void)arg;
	for (int i = 0; i < 2; i++)
		w[i] = (struct waitv){ .val = 0, .uaddr = (uintptr_t)&f[i],
				       .flags = FUTEX2_SIZE_U32 | FUTEX_PRIVATE_FLAG };
	tid = gettid();
	result = syscall(SYS_futex_waitv, w, 2, 0, NULL, CLOCK_MONOTONIC);
	result_errno = errno;
	done = 1;
	return NULL;
}

/* The thread sits in futex_waitv (/proc's syscall number), within 10 s. */
static int expect_blocked(void)
{
	char path[64], buf[64];
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", (int)tid);
	for (int i = 0; i < 10000; i++) {
		if (done)
			return fail("futex_waitv returned %ld (errno %d) before any wake-up", result, result_errno);
		fp = fopen(path, "re");
		if (!fp)
			return fail_errno("open %s", path);
		buf[0] = 0;
		if (!fgets(buf, sizeof(buf), fp))
			buf[0] = 0;
		fclose(fp);
		if (atoi(buf) == SYS_futex_waitv && strchr(buf, ' '))
			return 0;
		usleep(1000);
	}
	return fail("the thread is not in futex_waitv (syscall %s), expected %d", buf, SYS_futex_waitv);
}

int main(int argc, char **argv)
{
	pthread_t th;

	test_init(argc, argv);
	if ((errno = pthread_create(&th, NULL, waiter, NULL)))
		return fail_errno("pthread_create");
	while (!tid)
		usleep(100);
	if (expect_blocked()) {
		if (done && result_errno == ENOSYS)
			return skip("no futex_waitv");
		return 1;
	}

	test_daemon();
	test_waitsig();

	if (expect_blocked())
		return 1;
	f[1] = 1;
	syscall(SYS_futex, &f[1], FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	pthread_join(th, NULL);
	if (result < 0)
		return fail("futex_waitv failed with errno %d, expected a wake-up through futex 1", result_errno);
	return expect_int("index of the futex that woke the waiter", result, 1) ? 1 : pass();
}
