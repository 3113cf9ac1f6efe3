#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an fd on the task's own executable, read-only at a non-zero offset, keeps its file, offset and flags",
	  .flavors = ZDTM_ALL_FLAVORS);

#define OFFSET 4099     /* not page-aligned */
#define LEN 64

int main(int argc, char **argv)
{
	char want[LEN], buf[LEN];
	struct stat exe, st;
	int fd, fl;

	test_init(argc, argv);
	fd = open("/proc/self/exe", O_RDONLY);
	if (fd < 0 || fstat(fd, &exe))
		return fail_errno("open /proc/self/exe");
	if (pread(fd, want, LEN, OFFSET) != LEN)
		return fail_errno("pread the binary");
	if (lseek(fd, OFFSET, SEEK_SET) != OFFSET)
		return fail_errno("lseek");

	test_daemon();
	test_waitsig();

	if (fstat(fd, &st))
		return fail_errno("fstat");
	if (st.st_ino != exe.st_ino || st.st_dev != exe.st_dev)
		return fail("the fd is on inode %lu, expected the binary's %lu", (unsigned long)st.st_ino,
			    (unsigned long)exe.st_ino);
	fl = fcntl(fd, F_GETFL);
	if (expect_int("access mode", fl & O_ACCMODE, O_RDONLY) || expect_int("offset", lseek(fd, 0, SEEK_CUR), OFFSET))
		return 1;
	if (read(fd, buf, LEN) != LEN)
		return fail_errno("read at the offset");
	if (expect_bytes("bytes at the offset", buf, want, LEN))
		return 1;
	return pass();
}
