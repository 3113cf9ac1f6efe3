#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a fifo unlinked while open keeps its queued bytes, both ends and st_nlink 0; the name stays gone",
	  .flavors = ZDTM_ALL_FLAVORS);

#define QUEUED 2500

int main(int argc, char **argv)
{
	static char data[QUEUED], buf[QUEUED + 1];
	struct stat rs, ws;
	int rfd, wfd, queued;
	char c = 'z';

	test_init(argc, argv);
	datagen(data, sizeof(data), 6);
	if (mkfifo(test_path("test"), 0600))
		return fail_errno("mkfifo %s", test_path("test"));
	rfd = open(test_path("test"), O_RDONLY | O_NONBLOCK);
	wfd = open(test_path("test"), O_WRONLY);
	if (rfd < 0 || wfd < 0)
		return fail_errno("open %s", test_path("test"));
	if (write_all(wfd, data, sizeof(data)))
		return fail_errno("write");
	if (unlink(test_path("test")))
		return fail_errno("unlink");

	test_daemon();
	test_waitsig();

	if (access(test_path("test"), F_OK) == 0)
		return fail("%s exists again, expected it to stay unlinked", test_path("test"));
	if (errno != ENOENT)
		return fail_errno("access %s, expected ENOENT", test_path("test"));
	if (fstat(rfd, &rs) || fstat(wfd, &ws))
		return fail_errno("fstat");
	if (!S_ISFIFO(rs.st_mode) || rs.st_dev != ws.st_dev || rs.st_ino != ws.st_ino)
		return fail("ends are inodes %lu and %lu (mode 0%o), expected one fifo",
			    (unsigned long)rs.st_ino, (unsigned long)ws.st_ino, rs.st_mode);
	if (expect_int("st_nlink", rs.st_nlink, 0))
		return 1;
	if (expect_int("reader access mode", fcntl(rfd, F_GETFL) & (O_ACCMODE | O_NONBLOCK),
		       O_RDONLY | O_NONBLOCK) ||
	    expect_int("writer access mode", fcntl(wfd, F_GETFL) & (O_ACCMODE | O_NONBLOCK), O_WRONLY))
		return 1;
	if (ioctl(rfd, FIONREAD, &queued))
		return fail_errno("FIONREAD");
	if (expect_int("queued bytes", queued, QUEUED))
		return 1;
	if (expect_int("bytes read", read(rfd, buf, sizeof(buf)), QUEUED))
		return 1;
	if (expect_bytes("fifo data", buf, data, QUEUED))
		return 1;
	if (read(rfd, buf, 1) != -1 || errno != EAGAIN)
		return fail_errno("read from the drained fifo, expected EAGAIN");
	if (write(wfd, &c, 1) != 1 || read(rfd, buf, 2) != 1 || buf[0] != c)
		return fail_errno("a byte written after C/R did not come out of the reader");
	return pass();
}
