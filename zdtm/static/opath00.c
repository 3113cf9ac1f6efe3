#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an O_PATH fd to a file keeps O_PATH, its file (fstat, /proc/self/fd link) and reopens to the data",
	  .flavors = ZDTM_ALL_FLAVORS);

int main(int argc, char **argv)
{
	static char data[4096 + 99], buf[sizeof(data) + 1];
	char cwd[PATH_MAX], path[PATH_MAX + 64], link[sizeof(path)], proc[64];
	struct stat made, st;
	ssize_t n;
	int fd, rfd, fl;

	test_init(argc, argv);
	datagen(data, sizeof(data), 8);
	if (!getcwd(cwd, sizeof(cwd)))
		return fail_errno("getcwd");
	snprintf(path, sizeof(path), "%s/%s", cwd, test_path("test"));
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0640);
	if (fd < 0 || write_all(fd, data, sizeof(data)) || close(fd))
		return fail_errno("write %s", path);
	fd = open(path, O_PATH);
	if (fd < 0 || fstat(fd, &made))
		return fail_errno("open %s with O_PATH", path);
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);

	test_daemon();
	test_waitsig();

	fl = fcntl(fd, F_GETFL);
	if (fl < 0)
		return fail_errno("F_GETFL");
	if ((fl & (O_PATH | O_ACCMODE)) != O_PATH)
		return fail("fd flags 0%o, expected O_PATH (0%o) with access mode O_RDONLY", fl, O_PATH);
	/* an O_PATH fd cannot be read */
	if (read(fd, buf, 1) != -1 || errno != EBADF)
		return fail_errno("read through the O_PATH fd, expected EBADF");
	if (fstat(fd, &st))
		return fail_errno("fstat");
	if (st.st_dev != made.st_dev || st.st_ino != made.st_ino)
		return fail("fd is inode %lu, expected %lu", (unsigned long)st.st_ino, (unsigned long)made.st_ino);
	if (expect_int("file size", st.st_size, sizeof(data)) ||
	    expect_int("file mode", st.st_mode, S_IFREG | 0640) || expect_int("st_nlink", st.st_nlink, 1))
		return 1;
	n = readlink(proc, link, sizeof(link) - 1);
	if (n < 0)
		return fail_errno("readlink %s", proc);
	link[n] = 0;
	if (expect_str("fd link", link, path))
		return 1;
	rfd = open(proc, O_RDONLY);
	if (rfd < 0)
		return fail_errno("reopen %s for reading", proc);
	n = read_all(rfd, buf, sizeof(buf));
	close(rfd);
	if (expect_int("bytes read through the reopened fd", n, sizeof(data)) ||
	    expect_bytes("file content", buf, data, sizeof(data)))
		return 1;
	return pass();
}
