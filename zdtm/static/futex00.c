#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "threads blocked in FUTEX_WAIT on distinct shared words stay blocked and wake one by one",
	  .flavors = ZDTM_ALL_FLAVORS);

#define NTHREADS 4
#define WAIT_MS 5000
/* Words on different pages of a shared mapping: each futex has its own key. */
#define STRIDE (4096 / sizeof(uint32_t) + 16 * NTHREADS)

struct slot {
	pthread_t thread;
	_Atomic pid_t tid;
	_Atomic int order;     /* 1 + position in the wake-up order; 0: not awake yet */
};

static struct slot slots[NTHREADS];
static _Atomic int woken;
static uint32_t *words;    /* word i at words[i * STRIDE]; 0: wait, 1: go */

static uint32_t *word(int i)
{
	return &words[i * STRIDE];
}

static long futex(uint32_t *uaddr, int op, uint32_t val)
{
	return syscall(SYS_futex, uaddr, op, val, NULL, NULL, 0);
}

/* Shared (not FUTEX_PRIVATE) waits; spurious returns wait again until the word says go. */
static void *waiter(void *arg)
{
	int i = (int)(intptr_t)arg;

	atomic_store(&slots[i].tid, gettid());
	while (!__atomic_load_n(word(i), __ATOMIC_SEQ_CST))
		futex(word(i), FUTEX_WAIT, 0);
	atomic_store(&slots[i].order, atomic_fetch_add(&woken, 1) + 1);
	return NULL;
}

/* Thread i is asleep (S) inside futex(word(i), FUTEX_WAIT, 0), as /proc/self/task/TID/syscall shows. */
static bool in_futex_wait(int i, char *line, size_t len)
{
	char path[64], want[64], *p;
	int fd, n;

	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", slots[i].tid);
	fd = open(path, O_RDONLY);
	n = fd < 0 ? -1 : read_all(fd, line, len - 1);
	if (fd >= 0)
		close(fd);
	line[n > 0 ? n : 0] = 0;
	if ((p = strchr(line, '\n')))
		*p = 0;
	snprintf(want, sizeof(want), "%d %p 0x%x 0x0 ", SYS_futex, (void *)word(i), FUTEX_WAIT);
	return !strncmp(line, want, strlen(want)) && proc_state(slots[i].tid) == 'S';
}

/* Every thread from `first` on is blocked on its own word, within WAIT_MS (a restored thread
 * may need a moment to re-enter its wait). */
static int check_blocked(int first, const char *when)
{
	char line[256];

	for (int i = first; i < NTHREADS; i++) {
		int ms = 0;

		if (atomic_load(&slots[i].order))
			return fail("%s: thread %d woke (order %d) before its word was woken, expected it blocked",
				    when, i, atomic_load(&slots[i].order));
		while (!in_futex_wait(i, line, sizeof(line)) && ms++ < WAIT_MS)
			usleep(1000);
		if (ms >= WAIT_MS)
			return fail("%s: thread %d (tid %d) not asleep in FUTEX_WAIT on %p: syscall \"%s\"",
				    when, i, slots[i].tid, (void *)word(i), line);
	}
	return 0;
}

/* Wake word i: exactly one waiter is there, and thread i (no other) wakes, as the i-th. */
static int wake_one(int i)
{
	long n;
	int ms = 0;

	__atomic_store_n(word(i), 1, __ATOMIC_SEQ_CST);
	n = futex(word(i), FUTEX_WAKE, 1);
	if (n != 1)
		return fail("FUTEX_WAKE on word %d woke %ld waiters, expected 1", i, n);
	while (!atomic_load(&slots[i].order) && ms++ < WAIT_MS)
		usleep(1000);
	if (atomic_load(&slots[i].order) != i + 1)
		return fail("thread %d wake-up order is %d, expected %d", i, atomic_load(&slots[i].order), i + 1);
	return check_blocked(i + 1, "after a wake-up");
}

static int release_all(int ret)
{
	for (int i = 0; i < NTHREADS; i++) {
		__atomic_store_n(word(i), 1, __ATOMIC_SEQ_CST);
		futex(word(i), FUTEX_WAKE, 1);
		pthread_join(slots[i].thread, NULL);
	}
	return ret;
}

int main(int argc, char **argv)
{
	int ret = 0;

	test_init(argc, argv);
	words = mmap(NULL, NTHREADS * STRIDE * sizeof(uint32_t), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (words == MAP_FAILED)
		return fail_errno("mmap");
	for (int i = 0; i < NTHREADS; i++)
		if ((errno = pthread_create(&slots[i].thread, NULL, waiter, (void *)(intptr_t)i)))
			return fail_errno("pthread_create");
	for (int i = 0; i < NTHREADS; i++)
		while (!atomic_load(&slots[i].tid))
			usleep(1000);
	if (check_blocked(0, "before C/R"))
		return release_all(1);

	test_daemon();
	test_waitsig();

	ret = check_blocked(0, "after C/R");
	for (int i = 0; i < NTHREADS && !ret; i++)
		ret = wake_one(i);
	return release_all(ret) ?: pass();
}
