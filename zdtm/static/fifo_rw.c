#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a fifo whose only opener is one O_RDWR fd, and a fifo open O_RDONLY|O_NONBLOCK and O_WRONLY: queued bytes and flags",
	  .flavors = ZDTM_ALL_FLAVORS);

#define QUEUED_RW 1234
#define QUEUED_2 2345

/* fd is the fifo at path, with exactly these access mode and O_NONBLOCK bits. */
static int expect_fd(const char *what, int fd, const char *path, int flags)
{
	struct stat ps, fs;
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0)
		return fail_errno("F_GETFL on %s", what);
	if ((fl & (O_ACCMODE | O_NONBLOCK)) != flags)
		return fail("%s has flags 0%o, expected 0%o", what, fl & (O_ACCMODE | O_NONBLOCK), flags);
	if (stat(path, &ps) || fstat(fd, &fs))
		return fail_errno("stat %s", path);
	if (!S_ISFIFO(ps.st_mode) || ps.st_dev != fs.st_dev || ps.st_ino != fs.st_ino)
		return fail("%s is inode %lu, expected the fifo %s (inode %lu)", what,
			    (unsigned long)fs.st_ino, path, (unsigned long)ps.st_ino);
	return 0;
}

int main(int argc, char **argv)
{
	static char rw_data[QUEUED_RW], data2[QUEUED_2];
	const char *rw_path, *path2;
	int rw, rfd, wfd;
	char c = 0;

	test_init(argc, argv);
	rw_path = test_path("rw");
	path2 = test_path("2");
	datagen(rw_data, sizeof(rw_data), 21);
	datagen(data2, sizeof(data2), 22);
	if (mkfifo(rw_path, 0600) || mkfifo(path2, 0600))
		return fail_errno("mkfifo");
	/* O_RDWR on a fifo never blocks: the fd is both its reader and its writer */
	rw = open(rw_path, O_RDWR);
	rfd = open(path2, O_RDONLY | O_NONBLOCK);
	wfd = open(path2, O_WRONLY);
	if (rw < 0 || rfd < 0 || wfd < 0)
		return fail_errno("open the fifos");
	if (write_all(rw, rw_data, sizeof(rw_data)) || write_all(wfd, data2, sizeof(data2)))
		return fail_errno("queue data");

	test_daemon();
	test_waitsig();

	if (expect_fd("O_RDWR fifo fd", rw, rw_path, O_RDWR) ||
	    expect_fd("reader", rfd, path2, O_RDONLY | O_NONBLOCK) ||
	    expect_fd("writer", wfd, path2, O_WRONLY))
		return 1;
	if (expect_queued("O_RDWR fifo", rw, rw_data, sizeof(rw_data)) ||
	    expect_queued("second fifo", rfd, data2, sizeof(data2)))
		return 1;
	if (read(rfd, &c, 1) != -1 || errno != EAGAIN)
		return fail_errno("read from the drained second fifo, expected EAGAIN");
	/* both fifos still carry new bytes */
	if (write(rw, "a", 1) != 1 || read(rw, &c, 1) != 1 || c != 'a')
		return fail_errno("O_RDWR fifo after C/R: read '%c', expected 'a'", c);
	if (write(wfd, "b", 1) != 1 || read(rfd, &c, 1) != 1 || c != 'b')
		return fail_errno("second fifo after C/R: read '%c', expected 'b'", c);
	return pass();
}
