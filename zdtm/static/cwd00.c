#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "the cwd is a directory the test made: same path, same inode, relative names resolve in it",
	  .flavors = ZDTM_ALL_FLAVORS);

/* 0 when the cwd is still dir (inode made), else the FAIL verdict */
static int check_cwd(const char *dir, const struct stat *made)
{
	char now[PATH_MAX + 64];
	struct stat st;
	ssize_t n;

	if (!getcwd(now, sizeof(now)))
		return fail_errno("getcwd");
	if (expect_str("getcwd", now, dir))
		return 1;
	n = readlink("/proc/self/cwd", now, sizeof(now) - 1);
	if (n < 0)
		return fail_errno("readlink /proc/self/cwd");
	now[n] = 0;
	if (expect_str("/proc/self/cwd", now, dir))
		return 1;
	if (stat(".", &st))
		return fail_errno("stat .");
	if (st.st_dev != made->st_dev || st.st_ino != made->st_ino)
		return fail("cwd is inode %lu on dev %lx, expected inode %lu on dev %lx",
			    (unsigned long)st.st_ino, (unsigned long)st.st_dev,
			    (unsigned long)made->st_ino, (unsigned long)made->st_dev);
	if (access("marker", F_OK))
		return fail_errno("relative name \"marker\" does not resolve in the cwd");
	return 0;
}

int main(int argc, char **argv)
{
	char top[PATH_MAX], dir[PATH_MAX + 64];
	struct stat made;
	int ret;

	test_init(argc, argv);
	if (!getcwd(top, sizeof(top)))
		return fail_errno("getcwd");
	snprintf(dir, sizeof(dir), "%s/%s", top, test_path("test"));
	if (mkdir(dir, 0755) || stat(dir, &made))
		return fail_errno("mkdir %s", dir);
	if (chdir(dir))
		return fail_errno("chdir %s", dir);
	/* a marker file: relative lookups must land in this directory */
	if (close(open("marker", O_CREAT | O_WRONLY, 0644)))
		return fail_errno("create marker");

	test_daemon();
	test_waitsig();

	ret = check_cwd(dir, &made);
	/* the outfile is named relative to the start directory: return there before exit publishes it */
	if (chdir(top))
		return fail_errno("chdir back to %s", top);
	return ret ? ret : pass();
}
