#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a pipe with 3000 queued bytes and a non-blocking read end: flags, size, the exact bytes, then EAGAIN",
	  .flavors = ZDTM_ALL_FLAVORS);

#define QUEUED 3000

int main(int argc, char **argv)
{
	static char data[QUEUED], buf[QUEUED + 1];
	struct stat rs, ws;
	int p[2], fl, queued, size;
	char c = 'x';

	test_init(argc, argv);
	datagen(data, sizeof(data), 9);
	if (pipe(p))
		return fail_errno("pipe");
	if (set_nonblock(p[0], true))
		return fail_errno("O_NONBLOCK");
	if (write_all(p[1], data, sizeof(data)))
		return fail_errno("write");
	size = fcntl(p[0], F_GETPIPE_SZ);

	test_daemon();
	test_waitsig();

	fl = fcntl(p[0], F_GETFL);
	if ((fl & (O_ACCMODE | O_NONBLOCK)) != (O_RDONLY | O_NONBLOCK))
		return fail("read end flags 0%o, expected O_RDONLY|O_NONBLOCK", fl);
	fl = fcntl(p[1], F_GETFL);
	if ((fl & (O_ACCMODE | O_NONBLOCK)) != O_WRONLY)
		return fail("write end flags 0%o, expected O_WRONLY without O_NONBLOCK", fl);
	if (fstat(p[0], &rs) || fstat(p[1], &ws))
		return fail_errno("fstat");
	if (!S_ISFIFO(rs.st_mode) || rs.st_ino != ws.st_ino)
		return fail("ends are inodes %lu and %lu (mode 0%o), expected one pipe",
			    (unsigned long)rs.st_ino, (unsigned long)ws.st_ino, rs.st_mode);
	if (expect_int("pipe buffer size", fcntl(p[0], F_GETPIPE_SZ), size))
		return 1;
	if (ioctl(p[0], FIONREAD, &queued))
		return fail_errno("FIONREAD");
	if (expect_int("queued bytes", queued, QUEUED))
		return 1;
	if (expect_int("bytes read", read(p[0], buf, sizeof(buf)), QUEUED))
		return 1;
	if (expect_bytes("pipe data", buf, data, QUEUED))
		return 1;
	if (read(p[0], buf, 1) != -1 || errno != EAGAIN)
		return fail_errno("read from the drained pipe, expected EAGAIN");
	/* the two ends are still connected */
	if (write(p[1], &c, 1) != 1 || read(p[0], buf, 2) != 1 || buf[0] != c)
		return fail_errno("a byte written after C/R did not come out of the read end");
	return pass();
}
