#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an fd opened through a symlink (is the target file) and an O_PATH|O_NOFOLLOW fd on the symlink itself",
	  .flavors = ZDTM_ALL_FLAVORS);

static int expect_link(int fd, const char *want)
{
	char proc[64], target[PATH_MAX + 64];
	ssize_t n;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	n = readlink(proc, target, sizeof(target) - 1);
	if (n < 0)
		return fail_errno("readlink %s", proc);
	target[n] = 0;
	return expect_str(proc, target, want);
}

static int expect_inode(const char *what, const struct stat *st, const struct stat *want)
{
	if (st->st_dev != want->st_dev || st->st_ino != want->st_ino || st->st_mode != want->st_mode)
		return fail("%s is inode %lu mode 0%o, expected inode %lu mode 0%o", what, (unsigned long)st->st_ino,
			    st->st_mode, (unsigned long)want->st_ino, want->st_mode);
	return 0;
}

int main(int argc, char **argv)
{
	static char data[3000], buf[sizeof(data) + 1];
	char cwd[PATH_MAX], file[PATH_MAX + 64], sym[PATH_MAX + 64], target[PATH_MAX];
	const char *link_target;
	struct stat file_st, sym_st, st;
	ssize_t n;
	int fd, pfd, fl;

	test_init(argc, argv);
	datagen(data, sizeof(data), 12);
	if (!getcwd(cwd, sizeof(cwd)))
		return fail_errno("getcwd");
	link_target = test_path("test");   /* relative: the symlink says just the file's name */
	snprintf(file, sizeof(file), "%s/%s", cwd, link_target);
	snprintf(sym, sizeof(sym), "%s/%s", cwd, test_path("symlink"));
	fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0640);
	if (fd < 0 || write_all(fd, data, sizeof(data)) || close(fd))
		return fail_errno("write %s", file);
	if (symlink(link_target, sym))
		return fail_errno("symlink %s -> %s", sym, link_target);
	fd = open(sym, O_RDONLY);
	pfd = open(sym, O_PATH | O_NOFOLLOW);
	if (fd < 0 || pfd < 0)
		return fail_errno("open %s", sym);
	if (stat(file, &file_st) || lstat(sym, &sym_st))
		return fail_errno("stat");

	test_daemon();
	test_waitsig();

	/* the fd opened through the symlink is the file */
	if (fstat(fd, &st) || expect_inode("fd opened through the symlink", &st, &file_st) || expect_link(fd, file))
		return 1;
	n = pread(fd, buf, sizeof(buf), 0);
	if (expect_int("bytes read", n, sizeof(data)) || expect_bytes("file content", buf, data, sizeof(data)))
		return 1;
	/* the O_PATH fd is the symlink itself */
	fl = fcntl(pfd, F_GETFL);
	if (fl < 0)
		return fail_errno("F_GETFL");
	if ((fl & (O_PATH | O_ACCMODE)) != O_PATH)
		return fail("O_PATH fd flags 0%o, expected O_PATH (0%o)", fl, O_PATH);
	if (fstat(pfd, &st) || expect_inode("O_PATH fd", &st, &sym_st) || expect_link(pfd, sym))
		return 1;
	n = readlinkat(pfd, "", target, sizeof(target) - 1);
	if (n < 0)
		return fail_errno("readlinkat on the O_PATH fd");
	target[n] = 0;
	if (expect_str("symlink content read through the O_PATH fd", target, link_target))
		return 1;
	return pass();
}
