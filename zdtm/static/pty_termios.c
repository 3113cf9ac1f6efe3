#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a pty slave in canonical mode with echo and own editing chars: termios, window size, two lines and a partial one, echo",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "");

/*
 * pty00 covers raw mode. Here the line discipline holds cooked state: what the master typed is
 * two complete lines (one ended by VEOL) and a partial line in which a VERASE removed a byte;
 * its echo and the slave's output (ONLCR) wait on the master side.
 */
#define VEOL_CHAR 0x1e
#define TYPED "first line\nsecond\x1e" "partx\b"
#define LINE1 "first line\n"
#define LINE2 "second\x1e"
#define PARTIAL "part"
#define OUTPUT "out\tput\n"
/* ECHOCTL shows VEOL as ^^, ECHOE erases with backspace-space-backspace, ONLCR adds \r */
#define ECHOED "first line\r\nsecond^^partx\b \b" "out\tput\r\n"

/* buf with control bytes as \xNN, for one-line messages */
static const char *visible(const char *buf, size_t len)
{
	static char out[1024];
	size_t o = 0;

	for (size_t i = 0; i < len && o < sizeof(out) - 5; i++)
		o += snprintf(out + o, sizeof(out) - o, (unsigned char)buf[i] < 0x20 ? "\\x%02x" : "%c", buf[i]);
	out[o] = 0;
	return out;
}

static int inq(int fd)
{
	int n = -1;

	return ioctl(fd, FIONREAD, &n) ? -1 : n;
}

/* The line discipline moves bytes asynchronously, within milliseconds: wait up to 1 s until fd has
 * len readable bytes. */
static int wait_inq(int fd, int len)
{
	for (int i = 0; i < 100 && inq(fd) < len; i++)
		usleep(10000);
	return inq(fd);
}

/* One read() of fd returns exactly want. */
static int expect_read(const char *what, int fd, const char *want)
{
	char buf[256];
	ssize_t n = read(fd, buf, sizeof(buf));

	if (n < 0)
		return fail_errno("read %s, expected \"%s\"", what, want);
	if (n != (ssize_t)strlen(want))
		return fail("read %s: %zd bytes \"%s\", expected %zu", what, n, visible(buf, n), strlen(want));
	return expect_bytes(what, buf, want, n);
}

static int expect_termios(int fd, const struct termios *want)
{
	struct termios t;

	if (tcgetattr(fd, &t))
		return fail_errno("tcgetattr");
	if (expect_int("c_iflag", t.c_iflag, want->c_iflag) || expect_int("c_oflag", t.c_oflag, want->c_oflag) ||
	    expect_int("c_cflag", t.c_cflag, want->c_cflag) || expect_int("c_lflag", t.c_lflag, want->c_lflag) ||
	    expect_int("c_line", t.c_line, want->c_line))
		return 1;
	for (int i = 0; i < NCCS; i++)
		if (t.c_cc[i] != want->c_cc[i])
			return fail("c_cc[%d] is %#x, expected %#x", i, t.c_cc[i], want->c_cc[i]);
	return 0;
}

static int expect_state(int pts, const struct termios *t, const struct winsize *ws)
{
	struct winsize now;

	if (expect_termios(pts, t))
		return 1;
	if (ioctl(pts, TIOCGWINSZ, &now))
		return fail_errno("TIOCGWINSZ");
	if (memcmp(&now, ws, sizeof(now)))
		return fail("window %ux%u (%ux%u px), expected %ux%u (%ux%u px)", now.ws_row, now.ws_col,
			    now.ws_xpixel, now.ws_ypixel, ws->ws_row, ws->ws_col, ws->ws_xpixel, ws->ws_ypixel);
	/* in canonical mode FIONREAD counts complete lines only */
	return expect_int("slave FIONREAD (complete lines)", inq(pts), strlen(LINE1 LINE2));
}

/* Read in this order: the master's queue (before the slave's echo adds to it), the slave's
 * complete lines, then its partial line once ended; the master's is checked last. */
static int expect_data(int ptm, int pts)
{
	char master[256], c;
	ssize_t n = read(ptm, master, sizeof(master));

	if (n < 0)
		return fail_errno("read master, expected \"%s\"", ECHOED);
	if (expect_read("slave line 1", pts, LINE1) || expect_read("slave line 2", pts, LINE2))
		return 1;
	if (read(pts, &c, 1) != -1 || errno != EAGAIN)
		return fail_errno("read slave with only a partial line, expected EAGAIN");
	if (write_all(ptm, "end\n", 4) || wait_inq(pts, strlen(PARTIAL "end\n")) < 0)
		return fail_errno("write the end of the partial line");
	if (expect_read("slave partial line, ended after C/R", pts, PARTIAL "end\n"))
		return 1;
	if (n != (ssize_t)strlen(ECHOED))
		return fail("master held %zd bytes \"%s\", expected %zu (echo and output)", n, visible(master, n),
			    strlen(ECHOED));
	return expect_bytes("master queue (echo and output)", master, ECHOED, n);
}

int main(int argc, char **argv)
{
	const struct winsize ws = { .ws_row = 51, .ws_col = 132, .ws_xpixel = 1056, .ws_ypixel = 816 };
	struct termios t;
	char name[64];
	int ptm, pts;

	test_init(argc, argv);
	ptm = posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK);
	if (ptm < 0 || grantpt(ptm) || unlockpt(ptm) || ptsname_r(ptm, name, sizeof(name)))
		return fail_errno("posix_openpt");
	pts = open(name, O_RDWR | O_NOCTTY | O_NONBLOCK);
	if (pts < 0 || tcgetattr(pts, &t))
		return fail_errno("open %s", name);
	t.c_iflag = ICRNL | IXON | IUTF8;
	t.c_oflag = OPOST | ONLCR;
	t.c_lflag = ICANON | ECHO | ECHOE | ECHOCTL | ECHOKE | ISIG | IEXTEN | NOFLSH;
	t.c_cc[VERASE] = '\b';
	t.c_cc[VKILL] = 0x0b;
	t.c_cc[VEOF] = 0x06;
	t.c_cc[VEOL] = VEOL_CHAR;
	t.c_cc[VINTR] = 0x10;
	cfsetspeed(&t, B4800);
	if (tcsetattr(pts, TCSANOW, &t) || ioctl(ptm, TIOCSWINSZ, &ws))
		return fail_errno("tcsetattr/TIOCSWINSZ");
	if (write_all(ptm, TYPED, strlen(TYPED)) || wait_inq(ptm, strlen(ECHOED) - strlen(OUTPUT "\r")) < 0 ||
	    write_all(pts, OUTPUT, strlen(OUTPUT)) || wait_inq(ptm, strlen(ECHOED)) < 0)
		return fail_errno("queue data");
	if (expect_state(pts, &t, &ws) || expect_int("master FIONREAD (echo and output)", inq(ptm), strlen(ECHOED)))
		return 1;

	test_daemon();
	test_waitsig();

	if (expect_state(pts, &t, &ws) || expect_data(ptm, pts))
		return 1;
	return pass();
}
