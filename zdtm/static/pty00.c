#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a pty pair (not a controlling terminal) keeps raw termios, c_cc, window size and queued bytes both ways",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "");

/* A pty moves written bytes to the other side's input queue asynchronously (a kernel worker):
 * the state is built only once all of them are there. */
static int wait_queued(int fd, int len)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int inq = 0;

	for (int i = 0; i < 200; i++) {
		if (ioctl(fd, FIONREAD, &inq))
			return -1;
		if (inq >= len)
			return 0;
		poll(&pfd, 1, 10);
	}
	errno = ETIMEDOUT;
	return -1;
}

static int expect_termios(int fd, const struct termios *want)
{
	struct termios t;

	if (tcgetattr(fd, &t))
		return fail_errno("tcgetattr");
	if (expect_int("c_iflag", t.c_iflag, want->c_iflag) || expect_int("c_oflag", t.c_oflag, want->c_oflag) ||
	    expect_int("c_cflag", t.c_cflag, want->c_cflag) || expect_int("c_lflag", t.c_lflag, want->c_lflag) ||
	    expect_int("c_ispeed", cfgetispeed(&t), cfgetispeed(want)) ||
	    expect_int("c_ospeed", cfgetospeed(&t), cfgetospeed(want)))
		return 1;
	for (int i = 0; i < NCCS; i++)
		if (t.c_cc[i] != want->c_cc[i])
			return fail("c_cc[%d] is %u, expected %u", i, t.c_cc[i], want->c_cc[i]);
	return 0;
}

int main(int argc, char **argv)
{
	static char m2s[1000], s2m[700];
	const struct winsize ws = { .ws_row = 33, .ws_col = 77, .ws_xpixel = 5, .ws_ypixel = 9 };
	struct winsize ws_now;
	struct termios t;
	char name[64];
	int ptm, pts, n;

	test_init(argc, argv);
	datagen(m2s, sizeof(m2s), 1);
	datagen(s2m, sizeof(s2m), 2);
	ptm = posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK);
	if (ptm < 0 || grantpt(ptm) || unlockpt(ptm) || ptsname_r(ptm, name, sizeof(name)))
		return fail_errno("posix_openpt");
	pts = open(name, O_RDWR | O_NOCTTY | O_NONBLOCK);
	if (pts < 0 || tcgetattr(pts, &t))
		return fail_errno("open %s", name);
	cfmakeraw(&t);
	t.c_cc[VMIN] = 3;
	t.c_cc[VTIME] = 7;
	t.c_cc[VINTR] = 0x10;
	cfsetspeed(&t, B57600);
	if (tcsetattr(pts, TCSANOW, &t) || ioctl(pts, TIOCSWINSZ, &ws))
		return fail_errno("tcsetattr/TIOCSWINSZ");
	if (write_all(ptm, m2s, sizeof(m2s)) || write_all(pts, s2m, sizeof(s2m)))
		return fail_errno("queue data");
	if (wait_queued(pts, sizeof(m2s)) || wait_queued(ptm, sizeof(s2m)))
		return fail_errno("queued bytes never reached the other side");

	test_daemon();
	test_waitsig();

	if (ioctl(ptm, TIOCGPTN, &n))
		return fail_errno("TIOCGPTN");
	if (expect_int("pty number", n, atoi(name + strlen("/dev/pts/"))) || expect_termios(pts, &t))
		return 1;
	if (ioctl(pts, TIOCGWINSZ, &ws_now))
		return fail_errno("TIOCGWINSZ");
	if (memcmp(&ws_now, &ws, sizeof(ws)))
		return fail("window %ux%u (%ux%u px), expected %ux%u (%ux%u px)", ws_now.ws_row, ws_now.ws_col,
			    ws_now.ws_xpixel, ws_now.ws_ypixel, ws.ws_row, ws.ws_col, ws.ws_xpixel, ws.ws_ypixel);
	if (expect_queued("master -> slave", pts, m2s, sizeof(m2s)) ||
	    expect_queued("slave -> master", ptm, s2m, sizeof(s2m)))
		return 1;
	return pass();
}
