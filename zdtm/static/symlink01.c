#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an O_PATH|O_NOFOLLOW fd on a symlink that was then unlinked: still a symlink with no links, its target text, link name and flags",
	  .flavors = ZDTM_ALL_FLAVORS);

#define TARGET "some/where/that does not exist"

static int check(int fd, const char *link_before, const char *when)
{
	char path[64], link[PATH_MAX] = "", target[PATH_MAX] = "";
	struct stat st;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (fstatat(fd, "", &st, AT_EMPTY_PATH) || readlink(path, link, sizeof(link) - 1) < 0 ||
	    readlinkat(fd, "", target, sizeof(target) - 1) < 0)
		return fail_errno("%s: fstatat, readlink the fd or readlinkat its symlink", when);
	if (expect_int("it is a symlink", S_ISLNK(st.st_mode), 1) || expect_int("its links", st.st_nlink, 0) ||
	    expect_str("its target", target, TARGET) || expect_str("the fd's link", link, link_before) ||
	    expect_int("the fd's flags", fcntl(fd, F_GETFL) & (O_PATH | O_NOFOLLOW | O_ACCMODE), O_PATH | O_NOFOLLOW))
		return 1;
	return 0;
}

int main(int argc, char **argv)
{
	char link[PATH_MAX] = "", path[64];
	const char *name;
	int fd;

	test_init(argc, argv);
	name = test_path("link");
	if (symlink(TARGET, name))
		return fail_errno("symlink %s", name);
	fd = open(name, O_PATH | O_NOFOLLOW);
	if (fd < 0 || unlink(name))
		return fail_errno("open and unlink %s", name);
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
