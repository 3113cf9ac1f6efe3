#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a pipe resized to 256 KiB and filled to capacity: its size, fullness and every byte",
	  .flavors = ZDTM_ALL_FLAVORS);

/*
 * 256 KiB is above the 64 KiB default and below the default pipe-max-size
 * (1 MiB), so F_SETPIPE_SZ works without CAP_SYS_RESOURCE.
 */
#define PIPE_SIZE (256 * 1024)

/* Whole-page writes until EAGAIN: every slot of the ring holds a full page. */
static int fill(int wfd, const char *data, size_t len)
{
	size_t done = 0;
	long page = sysconf(_SC_PAGESIZE);

	while (done < len) {
		ssize_t n = write(wfd, data + done, page);

		if (n < 0)
			return fail_errno("write at byte %zu of %zu", done, len);
		done += n;
	}
	if (write(wfd, "x", 1) != -1 || errno != EAGAIN)
		return fail_errno("pipe accepts more than %zu bytes, expected EAGAIN", len);
	return 0;
}

/* Reads until the pipe is empty (EAGAIN); returns the byte count or -1. */
static ssize_t drain(int rfd, char *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = read(rfd, buf + done, len - done);

		if (n < 0 && errno == EAGAIN)
			break;
		if (n <= 0)
			return -1;
		done += n;
	}
	return done;
}

int main(int argc, char **argv)
{
	static char data[PIPE_SIZE], buf[PIPE_SIZE + 1];
	int p[2], size, queued, fl;
	ssize_t n;

	test_init(argc, argv);
	datagen(data, sizeof(data), 11);
	if (pipe(p))
		return fail_errno("pipe");
	size = fcntl(p[1], F_SETPIPE_SZ, PIPE_SIZE);
	if (size < 0)
		return fail_errno("F_SETPIPE_SZ %d", PIPE_SIZE);
	if (expect_int("pipe size set", size, PIPE_SIZE))
		return 1;
	if (set_nonblock(p[1], true) || set_nonblock(p[0], true))
		return fail_errno("O_NONBLOCK");
	if (fill(p[1], data, sizeof(data)))
		return 1;

	test_daemon();
	test_waitsig();

	if (expect_int("pipe size (F_GETPIPE_SZ)", fcntl(p[0], F_GETPIPE_SZ), PIPE_SIZE))
		return 1;
	fl = fcntl(p[1], F_GETFL);
	if ((fl & (O_ACCMODE | O_NONBLOCK)) != (O_WRONLY | O_NONBLOCK))
		return fail("write end flags 0%o, expected O_WRONLY|O_NONBLOCK", fl);
	if (ioctl(p[0], FIONREAD, &queued))
		return fail_errno("FIONREAD");
	if (expect_int("queued bytes", queued, PIPE_SIZE))
		return 1;
	n = write(p[1], "x", 1);
	if (n != -1 || errno != EAGAIN)
		return fail_errno("write to the full pipe returned %zd, expected -1 EAGAIN", n);
	n = drain(p[0], buf, sizeof(buf));
	if (n < 0)
		return fail_errno("read");
	if (expect_int("bytes read", n, PIPE_SIZE))
		return 1;
	if (!datachk(buf, PIPE_SIZE) || expect_bytes("pipe data", buf, data, PIPE_SIZE))
		return fail("pipe data differs from what was written");
	return pass();
}
