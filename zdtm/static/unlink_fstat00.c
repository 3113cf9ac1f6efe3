#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an open file that was unlinked keeps its data, size, offset and st_nlink 0; the name stays gone",
	  .flavors = ZDTM_ALL_FLAVORS);

int main(int argc, char **argv)
{
	static char data[3 * 4096 + 5], buf[sizeof(data)];
	char cwd[PATH_MAX], link[PATH_MAX + 32], expected[PATH_MAX + 32];
	struct stat st;
	ssize_t n;
	int fd;

	test_init(argc, argv);
	datagen(data, sizeof(data), 11);
	if (!getcwd(cwd, sizeof(cwd)))
		return fail_errno("getcwd");
	snprintf(expected, sizeof(expected), "%s/%s (deleted)", cwd, test_path("test"));
	fd = open(test_path("test"), O_RDWR | O_CREAT | O_TRUNC, 0640);
	if (fd < 0)
		return fail_errno("open %s", test_path("test"));
	if (write_all(fd, data, sizeof(data)) || lseek(fd, 100, SEEK_SET) != 100)
		return fail_errno("write");
	if (unlink(test_path("test")))
		return fail_errno("unlink");

	test_daemon();
	test_waitsig();

	if (fstat(fd, &st))
		return fail_errno("fstat");
	if (expect_int("st_nlink", st.st_nlink, 0))
		return 1;
	if (expect_int("file size", st.st_size, sizeof(data)))
		return 1;
	if (expect_int("file mode", st.st_mode, S_IFREG | 0640))
		return 1;
	if (expect_int("file offset", lseek(fd, 0, SEEK_CUR), 100))
		return 1;
	if (pread(fd, buf, sizeof(buf), 0) != (ssize_t)sizeof(buf))
		return fail_errno("pread");
	if (expect_bytes("file content", buf, data, sizeof(data)))
		return 1;
	if (access(test_path("test"), F_OK) == 0)
		return fail("%s exists again, expected it to stay unlinked", test_path("test"));
	if (errno != ENOENT)
		return fail_errno("access %s, expected ENOENT", test_path("test"));
	snprintf(buf, sizeof(buf), "/proc/self/fd/%d", fd);
	n = readlink(buf, link, sizeof(link) - 1);
	if (n < 0)
		return fail_errno("readlink %s", buf);
	link[n] = 0;
	if (expect_str("fd link", link, expected))
		return 1;
	return pass();
}
