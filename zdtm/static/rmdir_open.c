#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an O_RDONLY fd on a directory removed after the open: st_nlink 0, the (deleted) path, empty, no new entries possible; the name stays gone",
	  .flavors = ZDTM_ALL_FLAVORS);

int main(int argc, char **argv)
{
	char cwd[PATH_MAX], want[PATH_MAX + 64], link[64], got[PATH_MAX + 64];
	struct stat st, before;
	ssize_t n;
	int fd;

	test_init(argc, argv);
	if (!getcwd(cwd, sizeof(cwd)))
		return fail_errno("getcwd");
	snprintf(want, sizeof(want), "%s/%s (deleted)", cwd, test_path("dir"));
	if (mkdir(test_path("dir"), 0710))
		return fail_errno("mkdir");
	fd = open(test_path("dir"), O_RDONLY);      /* criu drops O_DIRECTORY from any fd: see known-failures */
	if (fd < 0 || fstat(fd, &before) || rmdir(test_path("dir")))
		return fail_errno("open and remove %s", test_path("dir"));

	test_daemon();
	test_waitsig();

	if (fstat(fd, &st))
		return fail_errno("fstat");
	if (!S_ISDIR(st.st_mode) || expect_int("st_nlink", st.st_nlink, 0) ||
	    expect_int("mode", st.st_mode & 07777, 0710))
		return fail("not the removed directory (mode %o)", st.st_mode);
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, got, sizeof(got) - 1);
	if (n < 0)
		return fail_errno("readlink");
	got[n] = 0;
	if (expect_str("fd path", got, want))
		return 1;
	if (openat(fd, "new", O_CREAT | O_WRONLY, 0600) >= 0 || errno != ENOENT)
		return fail("a file could be made in the removed directory (errno %d), expected ENOENT", errno);
	if (access(test_path("dir"), F_OK) == 0)
		return fail("%s exists again", test_path("dir"));
	return pass();
}
