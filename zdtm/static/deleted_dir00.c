#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "the cwd is a directory removed after chdir: /proc/self/cwd ends in (deleted), st_nlink 0, "
		 "getcwd and file creation fail with ENOENT",
	  .flavors = ZDTM_ALL_FLAVORS);

#define MODE 0710

static int check_cwd(const char *deleted)
{
	char buf[PATH_MAX + 64];
	struct stat st;
	ssize_t n;

	/* the kernel's getcwd refuses an unlinked cwd */
	if (getcwd(buf, sizeof(buf)))
		return fail("getcwd returned \"%s\", expected ENOENT for a removed cwd", buf);
	if (expect_int("getcwd errno", errno, ENOENT))
		return 1;
	n = readlink("/proc/self/cwd", buf, sizeof(buf) - 1);
	if (n < 0)
		return fail_errno("readlink /proc/self/cwd");
	buf[n] = 0;
	if (expect_str("/proc/self/cwd", buf, deleted))
		return 1;
	if (stat(".", &st))
		return fail_errno("stat .");
	if (st.st_mode != (S_IFDIR | MODE))
		return fail("cwd mode 0%o, expected 0%o", st.st_mode, S_IFDIR | MODE);
	if (expect_int("cwd st_nlink", st.st_nlink, 0))
		return 1;
	if (open("file", O_CREAT | O_WRONLY, 0644) >= 0 || errno != ENOENT)
		return fail_errno("creating a file in the removed cwd, expected ENOENT");
	return 0;
}

int main(int argc, char **argv)
{
	char top[PATH_MAX], dir[PATH_MAX + 64], deleted[PATH_MAX + 128];
	int ret;

	test_init(argc, argv);
	if (!getcwd(top, sizeof(top)))
		return fail_errno("getcwd");
	snprintf(dir, sizeof(dir), "%s/%s", top, test_path("test"));
	snprintf(deleted, sizeof(deleted), "%s (deleted)", dir);
	if (mkdir(dir, MODE) || chmod(dir, MODE))
		return fail_errno("mkdir %s", dir);
	if (chdir(dir))
		return fail_errno("chdir %s", dir);
	if (rmdir(dir))
		return fail_errno("rmdir %s", dir);

	test_daemon();
	test_waitsig();

	ret = check_cwd(deleted);
	/* the outfile is named relative to the start directory: return there before exit publishes it */
	if (chdir(top))
		return fail_errno("chdir back to %s", top);
	return ret ? ret : pass();
}
