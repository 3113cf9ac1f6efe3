#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an open character device node (1:5, zero) that was unlinked: same device number, mode, no links, link name, flags, and it still reads zeros",
	  .flavors = ZDTM_FLAVOR_H | ZDTM_FLAVOR_NS, .flags = "suid");   /* mknod: not in a user namespace */

static int check(int fd, const char *link_before, const char *when)
{
	char path[64], link[PATH_MAX] = "", buf[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (fstat(fd, &st) || readlink(path, link, sizeof(link) - 1) < 0)
		return fail_errno("%s: fstat or readlink the fd", when);
	if (expect_int("the node is a character device", S_ISCHR(st.st_mode), 1) ||
	    expect_int("its mode", st.st_mode & 07777, 0620) ||
	    expect_int("its major", major(st.st_rdev), 1) || expect_int("its minor", minor(st.st_rdev), 5) ||
	    expect_int("its links", st.st_nlink, 0) || expect_str("its link", link, link_before) ||
	    expect_int("the fd's flags", fcntl(fd, F_GETFL) & (O_ACCMODE | O_NONBLOCK), O_RDWR | O_NONBLOCK))
		return 1;
	memset(buf, 0x5a, sizeof(buf));
	if (read(fd, buf, sizeof(buf)) != sizeof(buf))
		return fail_errno("%s: read the device", when);
	for (size_t i = 0; i < sizeof(buf); i++)
		if (buf[i])
			return fail("%s: byte %zu read from the device is %#x, expected 0 (1:5 reads zeros)", when, i,
				    (unsigned char)buf[i]);
	return 0;
}

int main(int argc, char **argv)
{
	char link[PATH_MAX] = "", path[64];
	const char *node;
	int fd;

	test_init(argc, argv);
	node = test_path("dev");
	if (mknod(node, S_IFCHR | 0620, makedev(1, 5)) || chmod(node, 0620))   /* past the umask */
		return fail_errno("mknod %s", node);
	fd = open(node, O_RDWR | O_NONBLOCK);
	if (fd < 0 || unlink(node))
		return fail_errno("open and unlink %s", node);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (readlink(path, link, sizeof(link) - 1) < 0)
		return fail_errno("readlink %s", path);
	if (check(fd, link, "before C/R"))
		return 1;

	test_daemon();
	test_waitsig();

	if (check(fd, link, "after C/R"))
		return 1;
	return pass();
}
