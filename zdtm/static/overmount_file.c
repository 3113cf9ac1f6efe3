#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "zdtm.h"

/* overmount_fifo.c, overmount_dev.c and overmounted_file.c include this file with KIND and their own
 * declaration: what the fd is open on. */
#define FILE_UNDER 0   /* a file of the test's own fs, in a directory later overmounted */
#define FIFO_UNDER 1   /* a fifo there, with queued data */
#define DEV_UNDER 2    /* a device node (/dev/null's numbers) there */
#define ON_HIDDEN 3    /* a file of a tmpfs that another tmpfs then hid */
#ifndef KIND
#define KIND FILE_UNDER
ZDTM_TEST(.doc = "an fd on a file in a directory that a tmpfs was then mounted over (its path hidden): criu refuses to dump it; the fd keeps its data and offset",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid crfail");
#endif

#define DATA "data under the overmount"
#define OFF 5

static int expect_fd(int fd)
{
	char buf[64] = "";
	struct stat st;
	int n;

	if (fstat(fd, &st))
		return fail_errno("fstat");
	if (KIND == DEV_UNDER)
		return expect_int("the device", st.st_rdev, makedev(1, 3)) ||
		       expect_int("write to the device", write(fd, "x", 1), 1);
	if (KIND == FIFO_UNDER) {
		if (expect_int("a fifo", S_ISFIFO(st.st_mode), 1))
			return 1;
		return expect_queued("the fifo's data", fd, DATA, strlen(DATA));
	}
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (expect_int("offset", lseek(fd, 0, SEEK_CUR), OFF) || expect_int("bytes", n, strlen(DATA)))
		return 1;
	return expect_str("the file's data", buf, DATA);
}

static int make(const char *path)
{
	int fd;

	if (KIND == FIFO_UNDER) {
		if (mkfifo(path, 0600) || (fd = open(path, O_RDWR | O_NONBLOCK)) < 0 || write_all(fd, DATA, strlen(DATA)))
			return -1;
		return fd;
	}
	if (KIND == DEV_UNDER)
		return mknod(path, S_IFCHR | 0600, makedev(1, 3)) ? -1 : open(path, O_RDWR);
	fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd < 0 || write_all(fd, DATA, strlen(DATA)) || lseek(fd, OFF, SEEK_SET) != OFF)
		return -1;
	return fd;
}

int main(int argc, char **argv)
{
	static char before[4096], after[4096];
	char cwd[PATH_MAX], point[PATH_MAX + 64];
	int fd;

	test_init(argc, argv);
	if (!getcwd(cwd, sizeof(cwd)))
		return fail_errno("getcwd");
	snprintf(point, sizeof(point), "%s/%s", cwd, test_path("dir"));
	if (mkdir(point, 0755) || (KIND == ON_HIDDEN && mount("zdtm_hidden", point, "tmpfs", 0, "size=1m")))
		return fail_errno("mkdir %s", point);
	fd = make(test_path("dir/f"));
	if (fd < 0)
		return fail_errno("make %s", test_path("dir/f"));
	if (mount("zdtm_over", point, "tmpfs", 0, "size=2m"))
		return fail_errno("tmpfs over %s", point);
	if (!access(test_path("dir/f"), F_OK))
		return fail("%s is visible, expected it hidden", test_path("dir/f"));
	if (mountinfo_at(point, before, sizeof(before)) != 1 + (KIND == ON_HIDDEN))
		return fail("mounts at %s: \"%s\"", point, before);

	test_daemon();
	test_waitsig();

	if (mountinfo_at(point, after, sizeof(after)) < 0)
		return fail_errno("mountinfo");
	if (expect_str("the mounts at the directory", after, before) || expect_fd(fd))
		return 1;
	return pass();
}
