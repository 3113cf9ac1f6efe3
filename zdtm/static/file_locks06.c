#include <fcntl.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an OFD write lock over the whole file (start 0, length 0: to EOF and past it): /proc/locks "
		 "shows 0 EOF, another open file description meets it at offset 0 and far past the end, the "
		 "locking description does not",
	  .flavors = ZDTM_ALL_FLAVORS, .opts = "--file-locks");

#define FAR (1LL << 40)

/* F_OFD_GETLK for a write lock of len bytes at start on fd: the lock in the way, or F_UNLCK. */
static int ask(int fd, off_t start, off_t len, struct flock *fl)
{
	*fl = (struct flock){ .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = start, .l_len = len };
	if (fcntl(fd, F_OFD_GETLK, fl))
		return fail_errno("F_OFD_GETLK on %lld+%lld", (long long)start, (long long)len);
	return 0;
}

static int expect_whole(int fd, off_t start, off_t len)
{
	struct flock fl;

	if (ask(fd, start, len, &fl))
		return 1;
	if (fl.l_type != F_WRLCK || fl.l_start != 0 || fl.l_len != 0 || fl.l_pid != -1)
		return fail("F_OFD_GETLK from another description on %lld+%lld: type %d %lld+%lld pid %d, expected "
			    "the write lock (1) 0+0 pid -1", (long long)start, (long long)len, fl.l_type,
			    (long long)fl.l_start, (long long)fl.l_len, fl.l_pid);
	return 0;
}

int main(int argc, char **argv)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
	char locks[512];
	int fd, other;

	test_init(argc, argv);
	fd = open(test_path("test"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || ftruncate(fd, 4096))
		return fail_errno("create %s", test_path("test"));
	if (fcntl(fd, F_OFD_SETLK, &fl))
		return fail_errno("F_OFD_SETLK");

	test_daemon();
	test_waitsig();

	if (proc_locks_of(fd, locks, sizeof(locks)) < 0)
		return fail_errno("read /proc/locks");
	if (expect_str("the file's /proc/locks lines", locks, "OFDLCK ADVISORY WRITE -1 0 EOF"))
		return 1;
	other = open(test_path("test"), O_RDWR);
	if (other < 0)
		return fail_errno("open %s again", test_path("test"));
	if (expect_whole(other, 0, 1) || expect_whole(other, 4095, 1) || expect_whole(other, FAR, 100) ||
	    expect_whole(other, 0, 0))
		return 1;
	if (ask(fd, FAR, 100, &fl))
		return 1;
	if (fl.l_type != F_UNLCK)
		return fail("F_OFD_GETLK from the locking description: type %d, expected none (2)", fl.l_type);
	close(other);
	return pass();
}
