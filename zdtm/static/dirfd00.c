#include <dirent.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an fd opened O_RDONLY|O_DIRECTORY on a directory: F_GETFL still shows O_DIRECTORY, same inode, its entries listed",
	  .flavors = ZDTM_ALL_FLAVORS);

int main(int argc, char **argv)
{
	struct stat want, st;
	struct dirent *de;
	int fd, f, found = 0;
	DIR *d;

	test_init(argc, argv);
	if (mkdir(test_path("dir"), 0755))
		return fail_errno("mkdir");
	fd = open(test_path("dir"), O_RDONLY | O_DIRECTORY);
	if (fd < 0 || fstat(fd, &want))
		return fail_errno("open the directory");
	f = openat(fd, "entry", O_CREAT | O_WRONLY, 0644);
	if (f < 0 || close(f))
		return fail_errno("make an entry");

	test_daemon();
	test_waitsig();

	if (expect_int("O_DIRECTORY in F_GETFL", fcntl(fd, F_GETFL) & O_DIRECTORY, O_DIRECTORY))
		return 1;
	if (fstat(fd, &st) || st.st_ino != want.st_ino || !S_ISDIR(st.st_mode))
		return fail("the fd is on inode %lu, expected the directory %lu", (unsigned long)st.st_ino,
			    (unsigned long)want.st_ino);
	d = fdopendir(dup(fd));
	if (!d)
		return fail_errno("fdopendir");
	while ((de = readdir(d)))
		found += !strcmp(de->d_name, "entry");
	closedir(d);
	if (expect_int("\"entry\" listed", found, 1))
		return 1;
	return pass();
}
