#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an fd on /proc/self/ns/net (O_CLOEXEC) still names the task's own network namespace: same inode, net:[N] link, flags",
	  .flavors = ZDTM_ALL_FLAVORS);

/* The fd and the namespace the task is in now: one inode, shown as net:[ino] in /proc/self/fd. */
static int check(int fd, const char *when)
{
	char path[64], link[64] = "", want[64];
	struct stat ns, st;

	if (fstat(fd, &st) || stat("/proc/self/ns/net", &ns))
		return fail_errno("%s: stat the fd or /proc/self/ns/net", when);
	if (st.st_ino != ns.st_ino || st.st_dev != ns.st_dev)
		return fail("%s: fd %d is inode %lu, the task's network namespace %lu: expected one", when, fd,
			    (unsigned long)st.st_ino, (unsigned long)ns.st_ino);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	snprintf(want, sizeof(want), "net:[%lu]", (unsigned long)ns.st_ino);
	if (readlink(path, link, sizeof(link) - 1) < 0)
		return fail_errno("%s: readlink %s", when, path);
	return expect_str(when, link, want) || expect_int("fd flags", fcntl(fd, F_GETFD), FD_CLOEXEC) ||
	       expect_int("file flags", fcntl(fd, F_GETFL) & (O_ACCMODE | O_NONBLOCK), O_RDONLY);
}

int main(int argc, char **argv)
{
	int fd;

	test_init(argc, argv);
	fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail_errno("open /proc/self/ns/net");
	if (check(fd, "before C/R"))
		return 1;

	test_daemon();
	test_waitsig();

	if (check(fd, "after C/R"))
		return 1;
	return pass();
}
