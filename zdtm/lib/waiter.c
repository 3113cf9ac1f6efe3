/* A stage counter in shared memory, waited on with a futex: no sleeps, no polling. */
#include <linux/futex.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "zdtm.h"

struct zdtm_waiter {
	_Atomic int stage;
};

struct zdtm_waiter *waiter_new(void)
{
	struct zdtm_waiter *w = mmap(NULL, sizeof(*w), PROT_READ | PROT_WRITE,
				     MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (w == MAP_FAILED) {
		perror("waiter mmap");
		abort();
	}
	atomic_store(&w->stage, 0);
	return w;
}

void waiter_post(struct zdtm_waiter *w, int stage)
{
	atomic_store(&w->stage, stage);
	syscall(SYS_futex, &w->stage, FUTEX_WAKE, INT32_MAX, NULL, NULL, 0);
}

void waiter_wait(struct zdtm_waiter *w, int stage)
{
	int cur;

	while ((cur = atomic_load(&w->stage)) < stage)
		syscall(SYS_futex, &w->stage, FUTEX_WAIT, cur, NULL, NULL, 0);
}
