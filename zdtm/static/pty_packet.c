#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "two pty masters: one in packet mode with its slave's output stopped (TCOOFF), one with its slave still locked",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "");

/*
 * pair A: master in packet mode (TIOCPKT 1), unlocked, slave open; the slave's output is stopped
 *         with tcflow(TCOOFF) and the TIOCPKT_STOP status was read before the dump.
 * pair B: master not in packet mode, slave locked (TIOCGPTLCK 1), never opened.
 */

/* One read from the master within a second: the pty moves bytes with a kernel worker. */
static ssize_t read_master(int ptm, char *buf, size_t len)
{
	struct pollfd pfd = { .fd = ptm, .events = POLLIN };

	if (poll(&pfd, 1, 1000) != 1) {
		errno = ETIMEDOUT;
		return -1;
	}
	return read(ptm, buf, len);
}

static int expect_packet(int ptm, const char *what, const char *want, size_t len)
{
	char buf[16];
	ssize_t n = read_master(ptm, buf, sizeof(buf));

	if (n < 0)
		return fail_errno("%s: nothing to read on the master, expected %zu bytes", what, len);
	if (n != (ssize_t)len)
		return fail("%s: read %zd bytes (first %#x), expected %zu", what, n, (unsigned char)buf[0], len);
	return expect_bytes(what, buf, want, len);
}

static int expect_modes(int ptm, const char *name, int pkt, int lck)
{
	int v;

	if (ioctl(ptm, TIOCGPKT, &v))
		return fail_errno("TIOCGPKT on %s", name);
	if (v != pkt)
		return fail("%s: packet mode %d, expected %d", name, v, pkt);
	if (ioctl(ptm, TIOCGPTLCK, &v))
		return fail_errno("TIOCGPTLCK on %s", name);
	if (v != lck)
		return fail("%s: slave lock %d, expected %d", name, v, lck);
	return 0;
}

/* The slave's device node keeps its owner and mode. */
static int expect_node(const char *name, const struct stat *want)
{
	struct stat st;

	if (stat(name, &st))
		return fail_errno("stat %s", name);
	if (st.st_uid != want->st_uid || st.st_gid != want->st_gid || st.st_mode != want->st_mode ||
	    st.st_rdev != want->st_rdev)
		return fail("%s: uid %d gid %d mode 0%o rdev %#lx, expected uid %d gid %d mode 0%o rdev %#lx", name,
			    st.st_uid, st.st_gid, st.st_mode, (long)st.st_rdev, want->st_uid, want->st_gid,
			    want->st_mode, (long)want->st_rdev);
	return 0;
}

/* Output is stopped: the slave cannot write; TCOON sends TIOCPKT_START, then data flows in packets. */
static int expect_stopped(int ptm, int pts)
{
	const char start = TIOCPKT_START, data[] = { TIOCPKT_DATA, 'd' };
	ssize_t n = write(pts, "s", 1);

	if (n >= 0)
		return fail("write to the stopped slave wrote %zd bytes, expected EAGAIN (output stopped)", n);
	if (errno != EAGAIN)
		return fail_errno("write to the stopped slave, expected EAGAIN");
	if (tcflow(pts, TCOON))
		return fail_errno("tcflow(TCOON)");
	if (expect_packet(ptm, "status after TCOON", &start, 1))
		return 1;
	if (write(pts, "d", 1) != 1)
		return fail_errno("write to the restarted slave");
	return expect_packet(ptm, "data packet", data, sizeof(data));
}

int main(int argc, char **argv)
{
	const char stop = TIOCPKT_STOP;
	char name[64], name_b[64];
	struct stat node_a, node_b;
	int ptm_a, pts_a, ptm_b, one = 1;

	test_init(argc, argv);
	ptm_a = posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK);
	if (ptm_a < 0 || grantpt(ptm_a) || unlockpt(ptm_a) || ptsname_r(ptm_a, name, sizeof(name)))
		return fail_errno("posix_openpt A");
	pts_a = open(name, O_RDWR | O_NOCTTY | O_NONBLOCK);
	if (pts_a < 0)
		return fail_errno("open %s", name);
	ptm_b = posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK);
	if (ptm_b < 0 || ptsname_r(ptm_b, name_b, sizeof(name_b)))
		return fail_errno("posix_openpt B");
	if (stat(name, &node_a) || stat(name_b, &node_b))
		return fail_errno("stat the slaves");
	if (ioctl(ptm_a, TIOCPKT, &one))
		return fail_errno("TIOCPKT");
	if (tcflow(pts_a, TCOOFF))
		return fail_errno("tcflow(TCOOFF)");
	if (expect_packet(ptm_a, "status after TCOOFF", &stop, 1) ||
	    expect_modes(ptm_a, "master A", 1, 0) || expect_modes(ptm_b, "master B", 0, 1))
		return 1;

	test_daemon();
	test_waitsig();

	if (expect_modes(ptm_a, "master A", 1, 0) || expect_modes(ptm_b, "master B", 0, 1))
		return 1;
	if (expect_node(name, &node_a) || expect_node(name_b, &node_b))
		return 1;
	if (open(name_b, O_RDWR | O_NOCTTY) >= 0 || errno != EIO)
		return fail_errno("open of the locked slave %s, expected EIO", name_b);
	if (expect_stopped(ptm_a, pts_a))
		return 1;
	return pass();
}
