#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

#ifndef TMPFILE
ZDTM_TEST(.doc = "an open file named with a quote, a newline, a percent sign and blanks, unlinked inside a directory then made read-only (0500): bytes, size, mode, offset, link name",
	  .flavors = ZDTM_ALL_FLAVORS);
#define TMPFILE 0
#endif

/*
 * unlink_fstat04: a file whose name needs quoting anywhere it is printed, unlinked.
 * unlink_fstat041 (TMPFILE): an O_TMPFILE file, never linked. In both the directory is 0500
 * afterwards, so whoever recreates the file there must do it as its owner would not be allowed to.
 */
#define ODD_NAME "a 'quoted' \"name\"\nwith 100%s and\ta tab"
#define LEN 20000
#define OFFSET 1234

static char data[LEN];

static int check(int fd, const char *dir, const char *link_before, const char *when)
{
	char path[64], link[PATH_MAX] = "", buf[LEN];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (fstat(fd, &st) || readlink(path, link, sizeof(link) - 1) < 0)
		return fail_errno("%s: fstat or readlink the fd", when);
	if (expect_int("links of the file", st.st_nlink, 0) || expect_int("its size", st.st_size, LEN) ||
	    expect_int("its mode", st.st_mode & 07777, 0640) || expect_str("its link", link, link_before) ||
	    expect_int("the fd's offset", lseek(fd, 0, SEEK_CUR), OFFSET))
		return 1;
	if (pread(fd, buf, LEN, 0) != LEN)
		return fail_errno("%s: pread", when);
	if (expect_bytes("the file's bytes", buf, data, LEN))
		return 1;
	if (stat(dir, &st))
		return fail_errno("%s: stat %s", when, dir);
	return expect_int("the directory's mode", st.st_mode & 07777, 0500);
}

/* An O_TMPFILE file opened without O_EXCL can still be given a name (once: it ends the state). */
static int check_linkable(int fd)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (linkat(AT_FDCWD, path, AT_FDCWD, test_path("linked"), AT_SYMLINK_FOLLOW))
		return fail_errno("after C/R: linkat the O_TMPFILE file to %s", test_path("linked"));
	if (stat(test_path("linked"), &st) || unlink(test_path("linked")))
		return fail_errno("stat and unlink %s", test_path("linked"));
	if (expect_int("the size of the file linked after C/R", st.st_size, LEN))
		return 1;
	return pass();
}

int main(int argc, char **argv)
{
	char link[PATH_MAX] = "", path[64], name[PATH_MAX];
	const char *dir;
	int fd;

	test_init(argc, argv);
	dir = test_path("dir");
	snprintf(name, sizeof(name), "%s/%s", dir, ODD_NAME);
	if (mkdir(dir, 0700))
		return fail_errno("mkdir %s", dir);
	fd = TMPFILE ? open(dir, O_TMPFILE | O_RDWR, 0640) : open(name, O_CREAT | O_EXCL | O_RDWR, 0640);
	if (fd < 0)
		return fail_errno("create the file in %s", dir);
	datagen(data, LEN, 41);
	if (fchmod(fd, 0640) || write_all(fd, data, LEN) || lseek(fd, OFFSET, SEEK_SET) != OFFSET ||
	    (!TMPFILE && unlink(name)) || chmod(dir, 0500))
		return fail_errno("fill, unlink the file, chmod the directory");
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (readlink(path, link, sizeof(link) - 1) < 0)
		return fail_errno("readlink %s", path);
	if (check(fd, dir, link, "before C/R"))
		return 1;

	test_daemon();
	test_waitsig();

	if (check(fd, dir, link, "after C/R"))
		return 1;
	if (rmdir(dir))   /* empty: nothing left of the file's recreation */
		return fail_errno("rmdir %s", dir);
	return TMPFILE ? check_linkable(fd) : pass();
}
