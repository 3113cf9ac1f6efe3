#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an open file unlinked inside a directory that was then removed too (--link-remap): data, offset, st_nlink 0, the (deleted) path; the directory stays gone",
	  .flavors = ZDTM_ALL_FLAVORS, .opts = "--link-remap");

int main(int argc, char **argv)
{
	static char data[2 * 4096 + 77], buf[sizeof(data)];
	char cwd[PATH_MAX], file[256], link[64], expected[PATH_MAX + 300];
	struct stat st;
	ssize_t n;
	int fd;

	test_init(argc, argv);
	datagen(data, sizeof(data), 17);
	if (!getcwd(cwd, sizeof(cwd)))
		return fail_errno("getcwd");
	snprintf(file, sizeof(file), "%s/file", test_path("dir"));
	snprintf(expected, sizeof(expected), "%s/%s (deleted)", cwd, file);
	if (mkdir(test_path("dir"), 0755))
		return fail_errno("mkdir %s", test_path("dir"));
	fd = open(file, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write_all(fd, data, sizeof(data)) || lseek(fd, 333, SEEK_SET) != 333)
		return fail_errno("write %s", file);
	if (unlink(file) || rmdir(test_path("dir")))
		return fail_errno("unlink the file and remove its directory");

	test_daemon();
	test_waitsig();

	if (fstat(fd, &st))
		return fail_errno("fstat");
	if (expect_int("st_nlink", st.st_nlink, 0) || expect_int("size", st.st_size, sizeof(data)) ||
	    expect_int("mode", st.st_mode & 07777, 0600) || expect_int("offset", lseek(fd, 0, SEEK_CUR), 333))
		return 1;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, buf, sizeof(buf) - 1);
	if (n < 0)
		return fail_errno("readlink %s", link);
	buf[n] = 0;
	if (expect_str("fd path", buf, expected))
		return 1;
	if (access(test_path("dir"), F_OK) == 0)
		return fail("%s exists again, expected it gone", test_path("dir"));
	if (pread(fd, buf, sizeof(data), 0) != (ssize_t)sizeof(data) || expect_bytes("data", buf, data, sizeof(data)))
		return fail("data of the unlinked file differ");
	return pass();
}
