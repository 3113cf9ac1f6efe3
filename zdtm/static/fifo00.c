#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a named fifo open for reading and writing: its queued bytes, flags and identity with the path",
	  .flavors = ZDTM_ALL_FLAVORS);

#define QUEUED 2000

int main(int argc, char **argv)
{
	static char data[QUEUED], buf[QUEUED + 1];
	struct stat path_st, rs, ws;
	int rfd, wfd, fl, queued;
	char c = 'y';

	test_init(argc, argv);
	datagen(data, sizeof(data), 4);
	if (mkfifo(test_path("test"), 0600))
		return fail_errno("mkfifo %s", test_path("test"));
	/* a non-blocking reader first, so that opening the writer does not block */
	rfd = open(test_path("test"), O_RDONLY | O_NONBLOCK);
	wfd = open(test_path("test"), O_WRONLY);
	if (rfd < 0 || wfd < 0)
		return fail_errno("open %s", test_path("test"));
	if (write_all(wfd, data, sizeof(data)))
		return fail_errno("write");

	test_daemon();
	test_waitsig();

	if (stat(test_path("test"), &path_st) || fstat(rfd, &rs) || fstat(wfd, &ws))
		return fail_errno("stat");
	if (!S_ISFIFO(path_st.st_mode) || (path_st.st_mode & 07777) != 0600)
		return fail("%s has mode 0%o, expected a fifo with 0600", test_path("test"), path_st.st_mode);
	if (rs.st_dev != path_st.st_dev || rs.st_ino != path_st.st_ino ||
	    ws.st_dev != path_st.st_dev || ws.st_ino != path_st.st_ino)
		return fail("fds are inodes %lu and %lu, expected the fifo's inode %lu", (unsigned long)rs.st_ino,
			    (unsigned long)ws.st_ino, (unsigned long)path_st.st_ino);
	fl = fcntl(rfd, F_GETFL);
	if ((fl & (O_ACCMODE | O_NONBLOCK)) != (O_RDONLY | O_NONBLOCK))
		return fail("reader flags 0%o, expected O_RDONLY|O_NONBLOCK", fl);
	fl = fcntl(wfd, F_GETFL);
	if ((fl & (O_ACCMODE | O_NONBLOCK)) != O_WRONLY)
		return fail("writer flags 0%o, expected O_WRONLY without O_NONBLOCK", fl);
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
