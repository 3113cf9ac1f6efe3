#include <signal.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a child spinning on the CPU keeps running and counting after C/R, with the same pid",
	  .flavors = ZDTM_ALL_FLAVORS);

static int wait_ms = 5000;
ZDTM_OPTION(wait_ms, "how long the counter may take to advance after C/R (ms)");

/* Shared with the child: it counts in a private variable and publishes every step here. */
struct shared {
	_Atomic unsigned long count;
	_Atomic int stop;              /* 1: C/R is over, report and exit */
	unsigned long private_count;   /* the child's own counter at exit */
	pid_t pid;                     /* getpid() in the child at exit */
};

static struct shared *sh;

static void spin(void)
{
	unsigned long n = atomic_load(&sh->count);

	while (!atomic_load_explicit(&sh->stop, memory_order_relaxed))
		atomic_store_explicit(&sh->count, ++n, memory_order_relaxed);
	sh->private_count = n;
	sh->pid = getpid();
	_exit(0);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The counter moves past `from` within wait_ms; returns the value seen, or `from` if it did not. */
static unsigned long advance_from(unsigned long from)
{
	long end = now_ms() + wait_ms;
	unsigned long c;

	while ((c = atomic_load(&sh->count)) == from && now_ms() < end)
		usleep(1000);
	return c;
}

static int stop_child(pid_t pid)
{
	int status;

	atomic_store(&sh->stop, 1);
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid %d", pid);
	if (status != 0)
		return fail("the spinning child ended with status %#x, expected exit 0", status);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long before, at_restore, later;
	pid_t pid;
	int ret;

	test_init(argc, argv);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return fail_errno("mmap");
	test_volatile(&sh->count, sizeof(sh->count));   /* it keeps counting after "ready" */
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0)
		spin();
	before = advance_from(0);
	if (!before) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return fail("the child never counted in %d ms before C/R", wait_ms);
	}

	test_daemon();
	test_waitsig();

	at_restore = atomic_load(&sh->count);
	later = advance_from(at_restore);
	ret = stop_child(pid);
	if (ret)
		return ret;
	if (at_restore < before)
		return fail("counter went back from %lu to %lu across C/R, expected it never to decrease",
			    before, at_restore);
	if (later == at_restore)
		return fail("counter stuck at %lu for %d ms after C/R, expected the child to keep counting",
			    at_restore, wait_ms);
	if (expect_int("pid the child reports", sh->pid, pid))
		return 1;
	if (sh->private_count != atomic_load(&sh->count))
		return fail("child's own counter %lu, shared counter %lu, expected them equal",
			    sh->private_count, atomic_load(&sh->count));
	return pass();
}
