#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/kcmp.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "one pipe's read end open twice (reopened through /proc/self/fd), as two open files with different O_NONBLOCK; data queued",
	  .flavors = ZDTM_ALL_FLAVORS);

#define LEN 3000

static int kcmp_file(int a, int b)
{
	pid_t p = getpid();

	return syscall(SYS_kcmp, p, p, KCMP_FILE, a, b);
}

int main(int argc, char **argv)
{
	static char data[LEN];
	struct stat s0, s1;
	char path[64];
	int p[2], again;

	test_init(argc, argv);
	datagen(data, sizeof(data), 7);
	if (pipe(p))
		return fail_errno("pipe");
	snprintf(path, sizeof(path), "/proc/self/fd/%d", p[0]);
	again = open(path, O_RDONLY | O_NONBLOCK);
	if (again < 0)
		return fail_errno("reopen %s", path);
	if (write_all(p[1], data, sizeof(data)))
		return fail_errno("write");

	test_daemon();
	test_waitsig();

	if (fstat(p[0], &s0) || fstat(again, &s1))
		return fail_errno("fstat");
	if (s0.st_ino != s1.st_ino)
		return fail("the reopened end is pipe inode %lu, expected %lu", (unsigned long)s1.st_ino,
			    (unsigned long)s0.st_ino);
	if (kcmp_file(p[0], again) == 0)
		return fail("the two read ends are one open file, expected two");
	if (expect_int("O_NONBLOCK of the first read end", fcntl(p[0], F_GETFL) & O_NONBLOCK, 0) ||
	    expect_int("O_NONBLOCK of the reopened read end", fcntl(again, F_GETFL) & O_NONBLOCK, O_NONBLOCK) ||
	    expect_int("access mode of the reopened end", fcntl(again, F_GETFL) & O_ACCMODE, O_RDONLY))
		return 1;
	if (expect_queued("queued data", again, data, sizeof(data)))
		return 1;
	if (read(again, data, 1) != -1 || errno != EAGAIN)
		return fail("a read of the empty pipe through the non-blocking end did not fail with EAGAIN");
	return pass();
}
