#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <unistd.h>

#include "zdtm.h"

/* mknod needs CAP_MKNOD of the initial user namespace: not in uns. A ptmx node opens the devpts
 * mounted at "pts" beside it, so the work dir gets DIR/ptmx and a bind mount of /dev/pts at DIR/pts. */
ZDTM_TEST(.doc = "two pty pairs opened through a second ptmx node (c 5:2) made in the work dir, beside a bind mount of /dev/pts: masters keep that node, their pty numbers and queued bytes",
	  .flavors = ZDTM_FLAVOR_H | ZDTM_FLAVOR_NS, .flags = "suid");

#define PAIRS 2
#define LEN 200

int main(int argc, char **argv)
{
	static char data[PAIRS][LEN];
	char cwd[PATH_MAX], want[PATH_MAX + 300], link[64], got[PATH_MAX + 300], ptmx[200], pts_dir[200];
	int ptm[PAIRS], pts[PAIRS], num[PAIRS], n;
	struct termios t;

	test_init(argc, argv);
	if (!getcwd(cwd, sizeof(cwd)))
		return fail_errno("getcwd");
	snprintf(ptmx, sizeof(ptmx), "%s/ptmx", test_path("dev"));
	snprintf(pts_dir, sizeof(pts_dir), "%s/pts", test_path("dev"));
	snprintf(want, sizeof(want), "%s/%s", cwd, ptmx);
	if (mkdir(test_path("dev"), 0755) || mkdir(pts_dir, 0755) || mount("/dev/pts", pts_dir, NULL, MS_BIND, NULL))
		return fail_errno("bind /dev/pts at %s", pts_dir);
	if (mknod(ptmx, S_IFCHR | 0666, makedev(5, 2)))
		return fail_errno("mknod %s", ptmx);
	for (int i = 0; i < PAIRS; i++) {
		char name[64];

		datagen(data[i], LEN, 40 + i);
		ptm[i] = open(ptmx, O_RDWR | O_NOCTTY);
		if (ptm[i] < 0 || ioctl(ptm[i], TIOCGPTN, &num[i]) || unlockpt(ptm[i]))
			return fail_errno("open a pty through %s", ptmx);
		snprintf(name, sizeof(name), "/dev/pts/%d", num[i]);
		pts[i] = open(name, O_RDWR | O_NOCTTY);
		if (pts[i] < 0 || tcgetattr(pts[i], &t))
			return fail_errno("open %s", name);
		cfmakeraw(&t);
		if (tcsetattr(pts[i], TCSANOW, &t) || write_all(ptm[i], data[i], LEN))
			return fail_errno("raw mode, queue bytes");
		for (int k = 0; k < 200 && !ioctl(pts[i], FIONREAD, &n) && n < LEN; k++)
			usleep(10000);
	}

	test_daemon();
	test_waitsig();

	for (int i = 0; i < PAIRS; i++) {
		ssize_t len;

		snprintf(link, sizeof(link), "/proc/self/fd/%d", ptm[i]);
		len = readlink(link, got, sizeof(got) - 1);
		if (len < 0)
			return fail_errno("readlink %s", link);
		got[len] = 0;
		if (expect_str("master's path", got, want))
			return 1;
		if (ioctl(ptm[i], TIOCGPTN, &n) || expect_int("pty number", n, num[i]))
			return 1;
		if (expect_queued("bytes queued for the slave", pts[i], data[i], LEN))
			return 1;
	}
	return pass();
}
