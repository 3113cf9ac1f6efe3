#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "the cwd is a removed directory that an fd also holds open: fd and cwd stay the same inode "
		 "(mode 0710, st_nlink 0), both name it (deleted), fchdir() through the fd lands in it",
	  .flavors = ZDTM_ALL_FLAVORS);

#define MODE 0710

static int expect_link(const char *proc, const char *want)
{
	char buf[PATH_MAX + 64];
	ssize_t n = readlink(proc, buf, sizeof(buf) - 1);

	if (n < 0)
		return fail_errno("readlink %s", proc);
	buf[n] = 0;
	return expect_str(proc, buf, want);
}

static int check(int fd, const char *deleted)
{
	struct stat cwd, dir;
	char proc[64];

	if (stat(".", &cwd) || fstat(fd, &dir))
		return fail_errno("stat the cwd and the fd");
	if (cwd.st_dev != dir.st_dev || cwd.st_ino != dir.st_ino)
		return fail("the cwd is inode %lu, the fd inode %lu: expected one directory",
			    (unsigned long)cwd.st_ino, (unsigned long)dir.st_ino);
	if (dir.st_mode != (S_IFDIR | MODE))
		return fail("the directory's mode 0%o, expected 0%o", dir.st_mode, S_IFDIR | MODE);
	if (expect_int("the directory's st_nlink", dir.st_nlink, 0))
		return 1;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	if (expect_link("/proc/self/cwd", deleted) || expect_link(proc, deleted))
		return 1;
	if (fchdir(fd) || stat(".", &cwd))
		return fail_errno("fchdir to the fd");
	if (cwd.st_ino != dir.st_ino)
		return fail("after fchdir the cwd is inode %lu, expected %lu", (unsigned long)cwd.st_ino,
			    (unsigned long)dir.st_ino);
	return 0;
}

int main(int argc, char **argv)
{
	char top[PATH_MAX], dir[PATH_MAX + 64], deleted[PATH_MAX + 128];
	int fd, ret;

	test_init(argc, argv);
	if (!getcwd(top, sizeof(top)))
		return fail_errno("getcwd");
	snprintf(dir, sizeof(dir), "%s/%s", top, test_path("test"));
	snprintf(deleted, sizeof(deleted), "%s (deleted)", dir);
	if (mkdir(dir, MODE) || chmod(dir, MODE))
		return fail_errno("mkdir %s", dir);
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd < 0 || chdir(dir))
		return fail_errno("open and chdir %s", dir);
	if (rmdir(dir))
		return fail_errno("rmdir %s", dir);

	test_daemon();
	test_waitsig();

	ret = check(fd, deleted);
	/* the outfile is named relative to the start directory: return there before exit publishes it */
	if (chdir(top))
		return fail_errno("chdir back to %s", top);
	return ret ? ret : pass();
}
