#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "the cwd is a removed directory whose name now belongs to a new empty directory: the cwd "
		 "stays the removed one (st_nlink 0, empty, (deleted)), the new one stays in place",
	  .flavors = ZDTM_ALL_FLAVORS);

/* Names in "." other than . and ..; -1 on error. */
static int count_entries(void)
{
	DIR *d = opendir(".");
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static int check_cwd(const char *deleted, const char *dir, const struct stat *made)
{
	char buf[PATH_MAX + 64];
	struct stat cwd, twin;
	ssize_t n;

	if (stat(".", &cwd))
		return fail_errno("stat .");
	if (cwd.st_dev == made->st_dev && cwd.st_ino == made->st_ino)
		return fail("the cwd is inode %lu, the new directory made after the rmdir, expected the removed one",
			    (unsigned long)cwd.st_ino);
	/* the new directory is nobody's cwd: C/R must leave it alone */
	if (stat(dir, &twin))
		return fail_errno("stat %s, the new directory made after the rmdir", dir);
	if (twin.st_dev != made->st_dev || twin.st_ino != made->st_ino)
		return fail("%s is inode %lu, expected the new directory's inode %lu", dir,
			    (unsigned long)twin.st_ino, (unsigned long)made->st_ino);
	if (expect_int("new directory's st_nlink", twin.st_nlink, 2))
		return 1;
	n = readlink("/proc/self/cwd", buf, sizeof(buf) - 1);
	if (n < 0)
		return fail_errno("readlink /proc/self/cwd");
	buf[n] = 0;
	if (expect_str("/proc/self/cwd", buf, deleted))
		return 1;
	if (expect_int("cwd st_nlink", cwd.st_nlink, 0) || expect_int("entries in the cwd", count_entries(), 0))
		return 1;
	if (getcwd(buf, sizeof(buf)))
		return fail("getcwd returned \"%s\", expected ENOENT for a removed cwd", buf);
	return expect_int("getcwd errno", errno, ENOENT);
}

int main(int argc, char **argv)
{
	char top[PATH_MAX], dir[PATH_MAX + 64], deleted[PATH_MAX + 128];
	struct stat made;
	int ret;

	test_init(argc, argv);
	if (!getcwd(top, sizeof(top)))
		return fail_errno("getcwd");
	snprintf(dir, sizeof(dir), "%s/%s", top, test_path("test"));
	snprintf(deleted, sizeof(deleted), "%s (deleted)", dir);
	if (mkdir(dir, 0755) || chdir(dir) || rmdir(dir))
		return fail_errno("mkdir, chdir and rmdir %s", dir);
	/*
	 * The name lives on as another, empty directory. (With a file in it, criu 4.2.1 refuses to
	 * restore: it recreates the removed cwd under its old name, so here it would meet this one.)
	 */
	if (mkdir(dir, 0755) || stat(dir, &made))
		return fail_errno("mkdir %s again", dir);

	test_daemon();
	test_waitsig();

	ret = check_cwd(deleted, dir, &made);
	/* the outfile is named relative to the start directory: return there before exit publishes it */
	if (chdir(top))
		return fail_errno("chdir back to %s", top);
	return ret ? ret : pass();
}
