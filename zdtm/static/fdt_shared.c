#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a child made with clone(CLONE_FILES) still shares the fd table: fds it opens appear in the parent",
	  .flavors = ZDTM_ALL_FLAVORS);

#ifndef SYS_kcmp
#define SYS_kcmp 312
#endif
#define KCMP_FILES_ 2

#define FD_BEFORE 50    /* the child's fd made before C/R */
#define FD_AFTER 60     /* the child's fd made after C/R */

/* to_child 1: C/R over, open the second fd; 2: exit.  to_parent 1: first fd open; 2: second. */
static struct zdtm_waiter *to_child, *to_parent;

static int open_at(const char *suffix, int fd)
{
	int tmp = open(test_path(suffix), O_RDWR | O_CREAT | O_TRUNC, 0644);

	if (tmp < 0 || dup2(tmp, fd) != fd)
		return -1;
	return close(tmp);
}

static int child(void)
{
	int ret = open_at("before", FD_BEFORE) ? 10 : 0;

	waiter_post(to_parent, 1);
	waiter_wait(to_child, 1);
	if (!ret && open_at("after", FD_AFTER))
		ret = 11;
	waiter_post(to_parent, 2);
	waiter_wait(to_child, 2);
	return ret;
}

/* The open fd numbers of pid as a bitmap string of '0'/'1' up to 128 ("1" at index fd). */
static int fd_map(pid_t pid, char *map, size_t len)
{
	char path[64];
	struct dirent *de;
	DIR *d;

	memset(map, '0', len - 1);
	map[len - 1] = 0;
	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	d = opendir(path);
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		int fd = atoi(de->d_name);

		if (de->d_name[0] != '.' && fd >= 0 && (size_t)fd < len - 1 && fd != dirfd(d))
			map[fd] = '1';
	}
	closedir(d);
	return 0;
}

static int expect_fd_is(int fd, const char *suffix)
{
	struct stat st, want;

	if (fstat(fd, &st))
		return fail_errno("fd %d (the child's %s file) in the parent", fd, suffix);
	if (stat(test_path(suffix), &want))
		return fail_errno("stat %s", test_path(suffix));
	if (st.st_dev != want.st_dev || st.st_ino != want.st_ino)
		return fail("fd %d is inode %lu, expected %s's inode %lu", fd, (unsigned long)st.st_ino,
			    test_path(suffix), (unsigned long)want.st_ino);
	return 0;
}

static int check(pid_t pid)
{
	char mine[129], theirs[129];
	pid_t me = getpid();

	if (syscall(SYS_kcmp, me, pid, KCMP_FILES_, 0, 0) != 0)
		return fail("kcmp(KCMP_FILES) of the parent and the child is not 0: two fd tables, expected one");
	if (expect_fd_is(FD_BEFORE, "before"))
		return 1;
	waiter_post(to_child, 1);
	waiter_wait(to_parent, 2);
	if (expect_fd_is(FD_AFTER, "after"))
		return 1;
	if (fd_map(me, mine, sizeof(mine)) || fd_map(pid, theirs, sizeof(theirs)))
		return fail_errno("list /proc/PID/fd");
	return expect_str("the child's fds (1 = open) against the parent's", theirs, mine);
}

int main(int argc, char **argv)
{
	int status, ret;
	pid_t pid;

	test_init(argc, argv);
	to_child = waiter_new();
	to_parent = waiter_new();
	/* fork() with one fd table for both: a raw clone without a new stack */
	pid = syscall(SYS_clone, CLONE_FILES | SIGCHLD, NULL, NULL, NULL, 0);
	if (pid < 0)
		return fail_errno("clone(CLONE_FILES)");
	if (pid == 0)
		_exit(child());
	waiter_wait(to_parent, 1);

	test_daemon();
	test_waitsig();

	ret = check(pid);
	waiter_post(to_child, 2);   /* also past the child's first wait, after an early failure */
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	if (!ret && status != 0)
		return fail("child ended with status %#x, expected exit 0", status);
	return ret ? ret : pass();
}
