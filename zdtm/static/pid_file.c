#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "fds on /proc/1/status and /proc/1/cmdline (a procfs file of another task, the pid namespace's init) at non-zero offsets: same files, offsets, contents",
	  .flavors = ZDTM_ALL_FLAVORS);

static const char *names[] = { "/proc/1/status", "/proc/1/cmdline" };
#define N 2

int main(int argc, char **argv)
{
	char before[N][64], after[64], link[64], path[64];
	int fd[N], off[N];
	ssize_t n;

	test_init(argc, argv);
	for (int i = 0; i < N; i++) {
		fd[i] = open(names[i], O_RDONLY);
		if (fd[i] < 0)
			return fail_errno("open %s", names[i]);
		off[i] = i ? 1 : 6;     /* into "Name:\t" / past the first byte of argv[0] */
		if (pread(fd[i], before[i], sizeof(before[i]), off[i]) <= 0 || lseek(fd[i], off[i], SEEK_SET) != off[i])
			return fail_errno("read %s", names[i]);
	}

	test_daemon();
	test_waitsig();

	for (int i = 0; i < N; i++) {
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd[i]);
		n = readlink(link, path, sizeof(path) - 1);
		if (n < 0)
			return fail_errno("readlink %s", link);
		path[n] = 0;
		if (expect_str("fd path", path, names[i]) || expect_int("offset", lseek(fd[i], 0, SEEK_CUR), off[i]))
			return 1;
		if (read(fd[i], after, sizeof(after)) <= 0)
			return fail_errno("read %s", names[i]);
		/* status's first line (Name) and cmdline do not change: compare the start */
		if (memcmp(after, before[i], 8))
			return fail("%s at offset %d reads \"%.8s\", expected \"%.8s\"", names[i], off[i], after, before[i]);
	}
	return pass();
}
