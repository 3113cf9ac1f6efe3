#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "the top 64 fd numbers under RLIMIT_NOFILE (1024), where criu keeps its service fds, taken "
		 "in an fd table shared with a child (CLONE_FILES): each fd's file and offset, the set of open fds, "
		 "the limit, the table still shared",
	  .flavors = ZDTM_ALL_FLAVORS);

#ifndef SYS_kcmp
#define SYS_kcmp 312
#endif
#define KCMP_FILES_ 2

#define LIMIT 1024
#define TOP 64                       /* fds LIMIT - TOP .. LIMIT - 1 */

/* The open fd numbers, '1' at index fd, up to LIMIT. */
static int fd_map(pid_t pid, char *map)
{
	char path[64];
	struct dirent *de;
	DIR *d;

	memset(map, '0', LIMIT);
	map[LIMIT] = 0;
	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	if (!(d = opendir(path)))
		return -1;
	while ((de = readdir(d))) {
		int fd = atoi(de->d_name);

		if (de->d_name[0] != '.' && fd >= 0 && fd < LIMIT && fd != dirfd(d))
			map[fd] = '1';
	}
	closedir(d);
	return 0;
}

/* Each top fd is its own open of the file, at offset fd. */
static int check_fds(const struct stat *file)
{
	struct stat st;

	for (int fd = LIMIT - TOP; fd < LIMIT; fd++) {
		if (fstat(fd, &st))
			return fail_errno("fd %d", fd);
		if (st.st_dev != file->st_dev || st.st_ino != file->st_ino)
			return fail("fd %d is inode %lu, expected the file's %lu", fd, (unsigned long)st.st_ino,
				    (unsigned long)file->st_ino);
		if (expect_int("offset of a top fd (its number)", lseek(fd, 0, SEEK_CUR), fd))
			return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static char before[LIMIT + 1], after[LIMIT + 1], child_map[LIMIT + 1];
	struct rlimit rl = { LIMIT, LIMIT };
	struct zdtm_waiter *w;
	struct stat file;
	int status, ret;
	pid_t pid;

	test_init(argc, argv);
	w = waiter_new();
	if (setrlimit(RLIMIT_NOFILE, &rl))
		return fail_errno("setrlimit RLIMIT_NOFILE %d", LIMIT);
	if (close(open(test_path("file"), O_CREAT | O_WRONLY, 0644)) || stat(test_path("file"), &file))
		return fail_errno("create %s", test_path("file"));
	/* one fd table for both: a raw clone without a new stack */
	pid = syscall(SYS_clone, CLONE_FILES | SIGCHLD, NULL, NULL, NULL, 0);
	if (pid < 0)
		return fail_errno("clone(CLONE_FILES)");
	if (pid == 0) {
		waiter_wait(w, 1);
		_exit(0);
	}
	for (int fd = LIMIT - TOP; fd < LIMIT; fd++) {
		int tmp = open(test_path("file"), O_RDONLY);

		if (tmp < 0 || dup2(tmp, fd) != fd || close(tmp) || lseek(fd, fd, SEEK_SET) != fd)
			return fail_errno("open the file at fd %d", fd);
	}
	if (fd_map(getpid(), before))
		return fail_errno("list /proc/self/fd");

	test_daemon();
	test_waitsig();

	ret = check_fds(&file);
	if (!ret && syscall(SYS_kcmp, getpid(), pid, KCMP_FILES_, 0, 0) != 0)
		ret = fail("kcmp(KCMP_FILES) of the parent and the child is not 0: two fd tables, expected one");
	if (!ret && (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur != LIMIT || rl.rlim_max != LIMIT))
		ret = fail("RLIMIT_NOFILE %lu/%lu, expected %d/%d", (unsigned long)rl.rlim_cur,
			   (unsigned long)rl.rlim_max, LIMIT, LIMIT);
	if (!ret && (fd_map(getpid(), after) || fd_map(pid, child_map)))
		ret = fail_errno("list /proc/PID/fd");
	if (!ret)
		ret = expect_str("open fds (1 = open)", after, before) ||
		      expect_str("the child's open fds", child_map, before);
	waiter_post(w, 1);
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	if (!ret && status != 0)
		return fail("child ended with status %#x, expected exit 0", status);
	return ret ? ret : pass();
}
