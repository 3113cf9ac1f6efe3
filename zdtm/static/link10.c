#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a file with two hard links, opened through one: st_nlink 2, both names are the fd's inode, fd link, content",
	  .flavors = ZDTM_ALL_FLAVORS);

/* name is the same inode as the fd's */
static int expect_same(const char *name, const struct stat *fst)
{
	struct stat st;

	if (stat(name, &st))
		return fail_errno("stat %s", name);
	if (st.st_dev != fst->st_dev || st.st_ino != fst->st_ino)
		return fail("%s is inode %lu on dev %lx, expected the fd's inode %lu on dev %lx", name,
			    (unsigned long)st.st_ino, (unsigned long)st.st_dev, (unsigned long)fst->st_ino,
			    (unsigned long)fst->st_dev);
	return 0;
}

int main(int argc, char **argv)
{
	static char data[5000], buf[sizeof(data) + 1];
	char cwd[PATH_MAX], path[PATH_MAX + 64], target[sizeof(path)], proc[64];
	const char *second;
	struct stat st;
	ssize_t n;
	int fd;

	test_init(argc, argv);
	datagen(data, sizeof(data), 10);
	if (!getcwd(cwd, sizeof(cwd)))
		return fail_errno("getcwd");
	snprintf(path, sizeof(path), "%s/%s", cwd, test_path("test"));
	second = test_path("link");
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write_all(fd, data, sizeof(data)))
		return fail_errno("write %s", path);
	if (link(path, second))
		return fail_errno("link %s %s", path, second);
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);

	test_daemon();
	test_waitsig();

	if (fstat(fd, &st))
		return fail_errno("fstat");
	if (expect_int("st_nlink", st.st_nlink, 2) || expect_same(path, &st) || expect_same(second, &st))
		return 1;
	n = readlink(proc, target, sizeof(target) - 1);
	if (n < 0)
		return fail_errno("readlink %s", proc);
	target[n] = 0;
	if (expect_str("fd link", target, path))
		return 1;
	if (expect_int("fd offset", lseek(fd, 0, SEEK_CUR), sizeof(data)))
		return 1;
	n = pread(fd, buf, sizeof(buf), 0);
	if (expect_int("bytes read", n, sizeof(data)) || expect_bytes("file content", buf, data, sizeof(data)))
		return 1;
	return pass();
}
