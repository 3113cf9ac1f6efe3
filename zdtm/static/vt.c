#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "zdtm.h"

/* mknod needs CAP_MKNOD of the initial user namespace: not in uns. */
ZDTM_TEST(.doc = "an fd on a virtual console node (c 5:1) made in the work dir, opened O_RDWR|O_NOCTTY: same node, device, flags",
	  .flavors = ZDTM_FLAVOR_H | ZDTM_FLAVOR_NS, .flags = "suid");

int main(int argc, char **argv)
{
	struct stat node, st;
	int fd;

	test_init(argc, argv);
	if (mknod(test_path("tty1"), S_IFCHR | 0600, makedev(4, 1)))
		return fail_errno("mknod %s", test_path("tty1"));
	fd = open(test_path("tty1"), O_RDWR | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return skip("no virtual console to open (errno %d)", errno);
	if (stat(test_path("tty1"), &node))
		return fail_errno("stat");

	test_daemon();
	test_waitsig();

	if (fstat(fd, &st))
		return fail_errno("fstat");
	if (!S_ISCHR(st.st_mode) || st.st_rdev != makedev(4, 1))
		return fail("the fd is on device %u:%u (mode %o), expected the virtual console 4:1", major(st.st_rdev),
			    minor(st.st_rdev), st.st_mode);
	if (st.st_ino != node.st_ino || st.st_dev != node.st_dev)
		return fail("the fd is on inode %lu, expected the node %s (%lu)", (unsigned long)st.st_ino,
			    test_path("tty1"), (unsigned long)node.st_ino);
	if (expect_int("flags", fcntl(fd, F_GETFL) & (O_ACCMODE | O_NONBLOCK), O_RDWR | O_NONBLOCK))
		return 1;
	return pass();
}
