#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "two processes take turns on a counter in a file under a POSIX write lock (F_SETLKW): each turn finds the other's last write and nobody else inside",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "transition", .opts = "--file-locks");

struct counter {
	uint64_t value, last;   /* last: who wrote value (0 parent, 1 child) */
};

struct shared {
	int stop;
	int inside;             /* set while a process holds the lock */
	char finding[200];
};

static int lock(int fd, short type)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET };

	while (fcntl(fd, F_SETLKW, &fl))
		if (errno != EINTR)
			return -1;
	return 0;
}

/* Until SIGTERM (the parent, 0) or the parent's stop (the child, 1): takes the lock; on its turn (value % 2 == me) checks and bumps the counter. Turns taken, or -1. */
static long play(int me, struct shared *sh)
{
	int fd = open(test_path("counter"), O_RDWR);
	struct counter c;
	long turns = 0;

	if (fd < 0)
		return note(sh->finding, "open: errno %d", errno), -1;
	while (me == 0 ? test_go() : !__atomic_load_n(&sh->stop, __ATOMIC_SEQ_CST)) {
		if (lock(fd, F_WRLCK))
			return note(sh->finding, "%d: F_SETLKW: errno %d", me, errno), -1;
		if (__atomic_exchange_n(&sh->inside, 1, __ATOMIC_SEQ_CST))
			return note(sh->finding, "%d: someone else holds the lock too", me), -1;
		if (pread(fd, &c, sizeof(c), 0) != sizeof(c))
			return note(sh->finding, "%d: pread: errno %d", me, errno), -1;
		if (c.value % 2 == (uint64_t)me) {
			if (c.value && c.last != (uint64_t)!me)
				return note(sh->finding, "%d: value %llu last written by %llu, expected %d", me,
					    (unsigned long long)c.value, (unsigned long long)c.last, !me), -1;
			c.value++;
			c.last = me;
			if (pwrite(fd, &c, sizeof(c), 0) != sizeof(c))
				return note(sh->finding, "%d: pwrite: errno %d", me, errno), -1;
			turns++;
		}
		__atomic_store_n(&sh->inside, 0, __ATOMIC_SEQ_CST);
		if (lock(fd, F_UNLCK))
			return note(sh->finding, "%d: unlock: errno %d", me, errno), -1;
		sched_yield();
	}
	close(fd);
	return turns;
}

int main(int argc, char **argv)
{
	struct counter c = { 0, 0 };
	struct shared *sh;
	long mine, theirs;
	int fd, status;
	pid_t pid;

	test_init(argc, argv);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	fd = open(test_path("counter"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (sh == MAP_FAILED || fd < 0 || pwrite(fd, &c, sizeof(c), 0) != sizeof(c))
		return fail_errno("set up");
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0) {
		theirs = play(1, sh);
		_exit(theirs < 0 ? 1 : 0);
	}

	test_daemon();
	mine = play(0, sh);
	__atomic_store_n(&sh->stop, 1, __ATOMIC_SEQ_CST);
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	test_waitsig();

	if (expect_clean_end(mine < 0 ? "" : sh->finding, mine < 0 ? sh->finding : "", status))
		return 1;
	if (pread(fd, &c, sizeof(c), 0) != sizeof(c))
		return fail_errno("pread");
	/* Signed: with no turn of the parent (SIGTERM at once, as with --nocr) the lower bound is -1. */
	if ((long long)c.value < mine * 2 - 1 || (long long)c.value > mine * 2)
		return fail("the counter is %llu after %ld turns of the parent, expected %ld or %ld",
			    (unsigned long long)c.value, mine, mine * 2 - 1, mine * 2);
	test_msg("%llu turns", (unsigned long long)c.value);
	return pass();
}
