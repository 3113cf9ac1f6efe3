#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a file with two hard links, opened through each (O_RDWR, O_RDONLY), both names unlinked: "
		 "one inode for both fds, st_nlink 0, data, offsets and access modes kept",
	  .flavors = ZDTM_ALL_FLAVORS);

#ifndef SYS_kcmp
#define SYS_kcmp 312
#endif
#define KCMP_FILE_ 0

#define OFF_RW 1000
#define OFF_RO 5000

static int check_fd(int fd, int mode, off_t off, off_t size, const char *what)
{
	struct stat st;
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fstat(fd, &st))
		return fail_errno("%s fd %d is gone", what, fd);
	if ((fl & O_ACCMODE) != mode)
		return fail("%s fd %d access mode %d, expected %d", what, fd, fl & O_ACCMODE, mode);
	if (st.st_nlink != 0)
		return fail("%s fd %d: st_nlink %lu, expected 0", what, fd, (unsigned long)st.st_nlink);
	if (st.st_size != size)
		return fail("%s fd %d: size %ld, expected %ld", what, fd, (long)st.st_size, (long)size);
	if (lseek(fd, 0, SEEK_CUR) != off)
		return fail("%s fd %d: offset %ld, expected %ld", what, fd, (long)lseek(fd, 0, SEEK_CUR), (long)off);
	return 0;
}

int main(int argc, char **argv)
{
	static char data[3 * 4096 + 7], buf[sizeof(data)];
	struct stat a, b;
	pid_t me = getpid();
	int rw, ro;

	test_init(argc, argv);
	datagen(data, sizeof(data), 41);
	rw = open(test_path("a"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (rw < 0 || write_all(rw, data, sizeof(data)))
		return fail_errno("write %s", test_path("a"));
	/* the second fd comes through the other name: two open() calls, one inode */
	if (link(test_path("a"), test_path("b")))
		return fail_errno("link");
	ro = open(test_path("b"), O_RDONLY);
	if (ro < 0)
		return fail_errno("open %s", test_path("b"));
	if (lseek(rw, OFF_RW, SEEK_SET) != OFF_RW || lseek(ro, OFF_RO, SEEK_SET) != OFF_RO)
		return fail_errno("lseek");
	if (fstat(rw, &a) || expect_int("st_nlink with two names", a.st_nlink, 2))
		return 1;
	if (unlink(test_path("a")) || unlink(test_path("b")))
		return fail_errno("unlink");

	test_daemon();
	test_waitsig();

	if (check_fd(rw, O_RDWR, OFF_RW, sizeof(data), "O_RDWR") ||
	    check_fd(ro, O_RDONLY, OFF_RO, sizeof(data), "O_RDONLY"))
		return 1;
	if (fstat(rw, &a) || fstat(ro, &b))
		return fail_errno("fstat");
	if (a.st_dev != b.st_dev || a.st_ino != b.st_ino)
		return fail("the fds are inodes %lu and %lu, expected one inode", (unsigned long)a.st_ino,
			    (unsigned long)b.st_ino);
	if (syscall(SYS_kcmp, me, me, KCMP_FILE_, rw, ro) == 0)
		return fail("fds %d and %d are one open file, expected two open() calls", rw, ro);
	if (pread(ro, buf, sizeof(buf), 0) != (ssize_t)sizeof(buf))
		return fail_errno("pread");
	if (expect_bytes("file content", buf, data, sizeof(data)))
		return 1;
	/* a write through one fd shows through the other: they share the data, not a copy */
	if (pwrite(rw, "Z", 1, 0) != 1 || pread(ro, buf, 1, 0) != 1)
		return fail_errno("pwrite/pread");
	if (buf[0] != 'Z')
		return fail("byte 0 through the O_RDONLY fd is 0x%02x after writing 'Z' through the O_RDWR fd",
			    (unsigned char)buf[0]);
	return pass();
}
