#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "zdtm.h"

/* ns: the bind mount goes over /dev/console of the test's own mount namespace (in h it would be the
 * host's); the job's /dev (a tmpfs criu takes as external) has no console, so the test makes the
 * mount point there, which needs real root (not uns). */
ZDTM_TEST(.doc = "a pty slave bind-mounted over /dev/console in the test's mount namespace, open through /dev/console: the bind mount, the fd's path and device, and traffic both ways through the pty",
	  .flavors = ZDTM_FLAVOR_NS, .flags = "suid");

#define CONSOLE "/dev/console"

/* The fd reads what the master writes, and the master what the fd writes. */
static int expect_traffic(int ptm, int fd)
{
	char buf[16] = "";

	if (write(ptm, "in\n", 3) != 3 || read(fd, buf, sizeof(buf)) != 3 || memcmp(buf, "in\n", 3))
		return fail_errno("master -> console: read \"%.3s\", expected \"in\\n\"", buf);
	memset(buf, 0, sizeof(buf));
	if (write(fd, "out", 3) != 3 || read(ptm, buf, sizeof(buf)) != 3 || memcmp(buf, "out", 3))
		return fail_errno("console -> master: read \"%.3s\", expected \"out\"", buf);
	return 0;
}

int main(int argc, char **argv)
{
	static char tree[2][4096];
	char name[64], link[PATH_MAX], proc[64];

	struct stat pts, st;
	int ptm, fd;
	ssize_t n;

	test_init(argc, argv);
	ptm = posix_openpt(O_RDWR | O_NOCTTY);
	if (ptm < 0 || grantpt(ptm) || unlockpt(ptm) || ptsname_r(ptm, name, sizeof(name)) || stat(name, &pts))
		return fail_errno("posix_openpt");
	if (stat(CONSOLE, &st) && (errno != ENOENT || mknod(CONSOLE, S_IFREG | 0600, 0)))
		return fail_errno("a mount point at %s", CONSOLE);
	if (mount(name, CONSOLE, NULL, MS_BIND, NULL))
		return fail_errno("bind-mount %s over %s", name, CONSOLE);
	fd = open(CONSOLE, O_RDWR | O_NOCTTY);
	if (fd < 0)
		return fail_errno("open %s", CONSOLE);
	if (mountinfo_tree(0, CONSOLE, tree[0], sizeof(tree[0])) < 1)
		return fail("no mount at %s", CONSOLE);
	{   /* raw mode: bytes go through unchanged */
		struct termios t;

		if (tcgetattr(fd, &t))
			return fail_errno("tcgetattr");
		cfmakeraw(&t);
		if (tcsetattr(fd, TCSANOW, &t))
			return fail_errno("tcsetattr");
	}

	test_daemon();
	test_waitsig();

	if (mountinfo_tree(0, CONSOLE, tree[1], sizeof(tree[1])) < 0)
		return fail_errno("mountinfo");
	if (expect_lines("the mounts at " CONSOLE, tree[1], tree[0]))
		return 1;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	n = readlink(proc, link, sizeof(link) - 1);
	if (n < 0)
		return fail_errno("readlink %s", proc);
	link[n] = 0;
	if (expect_str("the fd's path", link, CONSOLE))
		return 1;
	if (fstat(fd, &st))
		return fail_errno("fstat");
	if (st.st_rdev != pts.st_rdev)
		return fail("the fd is device %#lx, expected %s (%#lx)", (unsigned long)st.st_rdev, name,
			    (unsigned long)pts.st_rdev);
	if (stat(CONSOLE, &st) || st.st_rdev != pts.st_rdev)
		return fail_errno("%s is device %#lx, expected %s (%#lx)", CONSOLE, (unsigned long)st.st_rdev, name,
				  (unsigned long)pts.st_rdev);
	return expect_traffic(ptm, fd) ? 1 : pass();
}
