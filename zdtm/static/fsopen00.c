#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an fsopen() fs_context fd of a tmpfs configured (size=1m, mode=0710) but not created yet",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

#define SIZE (1 << 20)
#define MODE 0710

static int expect_fscontext(int fd)
{
	char link[64], target[128];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return fail_errno("readlink %s", link);
	target[n] = 0;
	return expect_str("the fs_context fd", target, "anon_inode:[fscontext]");
}

/* Creating the superblock now gives the tmpfs that was configured before C/R. */
static int expect_created(int fd)
{
	struct statfs sf;
	struct stat st;
	int mnt;

	if (fsconfig(fd, FSCONFIG_CMD_CREATE, NULL, NULL, 0))
		return fail_errno("fsconfig(FSCONFIG_CMD_CREATE)");
	mnt = fsmount(fd, FSMOUNT_CLOEXEC, 0);
	if (mnt < 0)
		return fail_errno("fsmount");
	if (fstatfs(mnt, &sf) || fstat(mnt, &st))
		return fail_errno("fstatfs/fstat of the new mount");
	if (expect_int("f_type", sf.f_type, TMPFS_MAGIC) ||
	    expect_int("size (f_blocks * f_bsize)", sf.f_blocks * sf.f_bsize, SIZE) ||
	    expect_int("root mode", st.st_mode & 07777, MODE))
		return 1;
	return close(mnt);
}

int main(int argc, char **argv)
{
	int fd;

	test_init(argc, argv);
	fd = fsopen("tmpfs", FSOPEN_CLOEXEC);
	if (fd < 0 && errno == ENOSYS)
		return skip("no fsopen");
	if (fd < 0)
		return fail_errno("fsopen(tmpfs)");
	if (fsconfig(fd, FSCONFIG_SET_STRING, "size", "1m", 0) ||
	    fsconfig(fd, FSCONFIG_SET_STRING, "mode", "0710", 0))
		return fail_errno("fsconfig");
	if (expect_fscontext(fd))
		return 1;

	test_daemon();
	test_waitsig();

	return expect_fscontext(fd) || expect_created(fd) ? 1 : pass();
}
