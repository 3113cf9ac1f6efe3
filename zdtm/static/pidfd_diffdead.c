#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "the test and its live child each opened a pidfd of one process that then exited and was reaped: both show Pid -1 and name one pidfs inode",
	  .flavors = ZDTM_ALL_FLAVORS);

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

static struct zdtm_waiter *w;   /* 1: the child opened its pidfd; 2: the dead one is reaped; 3: C/R over */
static char *finding;
static struct stat *child_st;   /* shared: the child's view of its pidfd */

/* fd is a pidfd of a dead process: Pid -1; *st is its inode. */
static int check_pidfd(const char *who, int fd, struct stat *st, char *out)
{
	char pid[32] = "";

	if (fdinfo_lines(fd, "Pid:", pid, sizeof(pid)) != 1 || atoi(pid) != -1)
		return note(out, "%s: its pidfd (fd %d) shows Pid \"%s\", expected -1", who, fd, pid);
	if (fstat(fd, st))
		return note(out, "%s: fstat its pidfd: %s", who, strerror(errno));
	return 0;
}

static int child(pid_t dead)
{
	int fd = syscall(SYS_pidfd_open, dead, 0);

	if (fd < 0)
		note(finding, "child: pidfd_open(%d): %s", dead, strerror(errno));
	waiter_post(w, 1);
	if (fd < 0)
		return 1;
	waiter_wait(w, 2);
	check_pidfd("child before C/R", fd, child_st, finding);
	waiter_post(w, 3);
	waiter_wait(w, 4);
	return finding[0] || check_pidfd("child after C/R", fd, child_st, finding);
}

/* The test's pidfd and the child's (its view in child_st) name one inode. */
static int check_both(const char *when, int fd, char *out)
{
	struct stat st;

	if (check_pidfd(when, fd, &st, out))
		return 1;
	if (st.st_ino != child_st->st_ino || st.st_dev != child_st->st_dev)
		return note(out, "%s: the test's pidfd is inode %lu, the child's %lu: expected one pidfs inode", when,
			    (unsigned long)st.st_ino, (unsigned long)child_st->st_ino);
	return 0;
}

int main(int argc, char **argv)
{
	char problem[ZDTM_FINDING_LEN] = "";
	int status = 0, fd;
	pid_t dead, pid;

	test_init(argc, argv);
	w = waiter_new();
	finding = finding_new();
	child_st = mmap(NULL, sizeof(*child_st), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (!finding || child_st == MAP_FAILED)
		return fail_errno("mmap shared memory");
	dead = fork();
	if (dead == 0)
		for (;;)
			pause();
	pid = dead < 0 ? -1 : fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0)
		_exit(child(dead));
	waiter_wait(w, 1);
	fd = syscall(SYS_pidfd_open, dead, 0);
	if (fd < 0)
		note(problem, "pidfd_open(%d): %s", dead, strerror(errno));
	kill(dead, SIGKILL);
	if (waitpid(dead, NULL, 0) != dead)
		note(problem, "waitpid(%d): %s", dead, strerror(errno));
	waiter_post(w, 2);
	if (!finding[0] && !problem[0]) {
		waiter_wait(w, 3);
		check_both("before C/R", fd, problem);
	}
	if (finding[0] || problem[0]) {
		waiter_post(w, 4);
		waitpid(pid, &status, 0);
		return expect_clean_end(finding, problem, status);
	}

	test_daemon();
	test_waitsig();

	waiter_post(w, 4);
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	if (!finding[0])
		check_both("after C/R", fd, problem);
	return expect_clean_end(finding, problem, status) ? 1 : pass();
}
