#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "overlapping OFD read locks (F_OFD_SETLK) of two open file descriptions on each of several files: all held, in /proc/locks and against a writer",
	  .flavors = ZDTM_ALL_FLAVORS, .opts = "--file-locks");

#define NFILES 4

static int ofd_lock(int fd, short type, off_t start, off_t len)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len };

	return fcntl(fd, F_OFD_SETLK, &fl);
}

/* What a fresh open file description would meet if it wrote [start, start + len): F_UNLCK, F_RDLCK... */
static int conflict(const char *path, off_t start, off_t len)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = start, .l_len = len };
	int fd = open(path, O_RDWR), ret;

	ret = fd < 0 || fcntl(fd, F_OFD_GETLK, &fl) ? -1 : fl.l_type;
	close(fd);
	return ret;
}

/* File i: one description locks [10i, 10i + 100), the other [10i + 50, 10i + 150). */
static int expect_file(int i, int fd)
{
	char found[256] = "", want[128], what[64], name[8];
	const char *path;
	off_t base = 10 * i;

	snprintf(name, sizeof(name), "%d", i);
	path = test_path(name);

	snprintf(want, sizeof(want), "OFDLCK ADVISORY READ -1 %ld %ld; OFDLCK ADVISORY READ -1 %ld %ld",
		 (long)base, (long)base + 99, (long)base + 50, (long)base + 149);
	if (proc_locks_of(fd, found, sizeof(found)) < 0)
		return fail_errno("/proc/locks of %s", path);
	if (expect_str(path, found, want))
		return 1;
	snprintf(what, sizeof(what), "file %d: a writer at the overlap meets", i);
	if (expect_int(what, conflict(path, base + 60, 10), F_RDLCK))
		return 1;
	snprintf(what, sizeof(what), "file %d: a writer past both locks meets", i);
	return expect_int(what, conflict(path, base + 150, 10), F_UNLCK);
}

int main(int argc, char **argv)
{
	int fd[NFILES][2];
	char name[8];

	test_init(argc, argv);
	for (int i = 0; i < NFILES; i++) {
		snprintf(name, sizeof(name), "%d", i);
		fd[i][0] = open(test_path(name), O_RDWR | O_CREAT | O_TRUNC, 0644);
		fd[i][1] = open(test_path(name), O_RDONLY);
		if (fd[i][0] < 0 || fd[i][1] < 0 || ofd_lock(fd[i][0], F_RDLCK, 10 * i, 100) ||
		    ofd_lock(fd[i][1], F_RDLCK, 10 * i + 50, 100))
			return fail_errno("two OFD read locks on %s", test_path(name));
	}

	test_daemon();
	test_waitsig();

	for (int i = 0; i < NFILES; i++)
		if (expect_file(i, fd[i][0]))
			return 1;
	return pass();
}
