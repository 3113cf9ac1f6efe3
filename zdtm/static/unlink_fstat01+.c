#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an open file that was unlinked and whose name a new file took since: the fd keeps the old file (its data, size, st_nlink 0), the name the new one (its own data and inode)",
	  .flavors = ZDTM_ALL_FLAVORS);

/* The file behind fd: size and st_nlink as expected, content want (len bytes). */
static int check_file(const char *what, int fd, nlink_t nlink, const char *want, size_t len)
{
	char buf[8192];
	struct stat st;

	if (fstat(fd, &st))
		return fail_errno("%s: fstat", what);
	if (expect_int(what, st.st_nlink, nlink) || expect_int("its size", st.st_size, len))
		return 1;
	if (pread(fd, buf, len, 0) != (ssize_t)len)
		return fail_errno("%s: pread", what);
	return expect_bytes("its content", buf, want, len);
}

int main(int argc, char **argv)
{
	static char old[5000], new[3000];
	struct stat st_old, st_new;
	int fd, fd_new;

	test_init(argc, argv);
	datagen(old, sizeof(old), 21);
	datagen(new, sizeof(new), 22);
	fd = open(test_path("file"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write_all(fd, old, sizeof(old)) || unlink(test_path("file")))
		return fail_errno("the first file");
	fd_new = open(test_path("file"), O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd_new < 0 || write_all(fd_new, new, sizeof(new)) || close(fd_new))
		return fail_errno("the second file, under the first one's name");

	test_daemon();
	test_waitsig();

	if (check_file("the unlinked file's st_nlink", fd, 0, old, sizeof(old)))
		return 1;
	fd_new = open(test_path("file"), O_RDONLY);
	if (fd_new < 0)
		return fail_errno("open the name again");
	if (check_file("the file under the name: st_nlink", fd_new, 1, new, sizeof(new)))
		return 1;
	/* Two files, not one name brought back over the other. */
	if (fstat(fd, &st_old) || fstat(fd_new, &st_new))
		return fail_errno("fstat");
	if (st_old.st_ino == st_new.st_ino)
		return fail("the fd and the name are one inode (%lu), expected two files", (unsigned long)st_new.st_ino);
	if (expect_int("the new file's mode", st_new.st_mode, S_IFREG | 0600))
		return 1;
	return pass();
}
