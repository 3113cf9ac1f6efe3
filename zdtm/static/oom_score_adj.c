#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "oom_score_adj 456 in the test and 789 in its child (default 0)",
	  .flavors = ZDTM_ALL_FLAVORS);

/* Raising oom_score_adj needs no privilege; each process has its own value. */
#define ADJ_PARENT 456
#define ADJ_CHILD 789

static int read_adj(pid_t pid)
{
	char path[64], buf[32] = "";
	int fd, n;

	snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -10000;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? atoi(buf) : -10000;
}

static int write_adj(int adj)
{
	char buf[32];
	int fd, n, ret;

	fd = open("/proc/self/oom_score_adj", O_WRONLY);
	if (fd < 0)
		return -1;
	n = snprintf(buf, sizeof(buf), "%d\n", adj);
	ret = write_all(fd, buf, n);
	close(fd);
	return ret;
}

static int check(pid_t child)
{
	return expect_int("test's oom_score_adj", read_adj(getpid()), ADJ_PARENT) ||
	       expect_int("child's oom_score_adj", read_adj(child), ADJ_CHILD);
}

int main(int argc, char **argv)
{
	struct zdtm_waiter *w;   /* 1: child set up; 2: C/R over, exit */
	int ret, status;
	pid_t child;

	test_init(argc, argv);
	w = waiter_new();
	child = fork();
	if (child < 0)
		return fail_errno("fork");
	if (child == 0) {
		int bad = write_adj(ADJ_CHILD) ? 10 : 0;

		waiter_post(w, 1);   /* on failure the check below names the value */
		waiter_wait(w, 2);
		_exit(bad);
	}
	if (write_adj(ADJ_PARENT))
		return fail_errno("write /proc/self/oom_score_adj");
	waiter_wait(w, 1);
	if (check(child)) {
		waiter_post(w, 2);
		return 1;
	}

	test_daemon();
	test_waitsig();

	ret = check(child);
	waiter_post(w, 2);
	if (waitpid(child, &status, 0) != child || status != 0)
		ret = ret ?: fail("child ended with status %#x, expected exit 0", status);
	return ret ? 1 : pass();
}
