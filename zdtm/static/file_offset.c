#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "several fds opened on one file keep their own offsets (one beyond EOF) and the size",
	  .flavors = ZDTM_ALL_FLAVORS);

#define NFDS 5
#define FSIZE (3 * 4096 + 77)

int main(int argc, char **argv)
{
	static char data[FSIZE];
	const off_t offs[NFDS] = { 0, 1, 4095, FSIZE - 1, FSIZE + 1000 };
	struct stat st, st0;
	char c;
	int fd[NFDS];

	test_init(argc, argv);
	datagen(data, sizeof(data), 3);
	for (int i = 0; i < NFDS; i++) {
		fd[i] = open(test_path("test"), O_RDWR | O_CREAT, 0644);
		if (fd[i] < 0)
			return fail_errno("open %s", test_path("test"));
	}
	if (write_all(fd[0], data, sizeof(data)))
		return fail_errno("write");
	for (int i = 0; i < NFDS; i++)
		if (lseek(fd[i], offs[i], SEEK_SET) != offs[i])
			return fail_errno("lseek fd %d to %lld", fd[i], (long long)offs[i]);

	test_daemon();
	test_waitsig();

	/* all offsets first: the reads below move them */
	for (int i = 0; i < NFDS; i++) {
		off_t off = lseek(fd[i], 0, SEEK_CUR);

		if (off != offs[i])
			return fail("fd %d offset is %lld, expected %lld", fd[i], (long long)off,
				    (long long)offs[i]);
	}
	if (fstat(fd[0], &st0))
		return fail_errno("fstat fd %d", fd[0]);
	if (expect_int("file size", st0.st_size, FSIZE))
		return 1;
	for (int i = 0; i < NFDS; i++) {
		ssize_t want = offs[i] < FSIZE ? 1 : 0;
		ssize_t n;

		if (fstat(fd[i], &st))
			return fail_errno("fstat fd %d", fd[i]);
		if (st.st_dev != st0.st_dev || st.st_ino != st0.st_ino)
			return fail("fd %d is inode %lu, expected the file's inode %lu", fd[i],
				    (unsigned long)st.st_ino, (unsigned long)st0.st_ino);
		n = read(fd[i], &c, 1);
		if (n != want)
			return fail("read at fd %d's offset %lld returned %zd, expected %zd", fd[i],
				    (long long)offs[i], n, want);
		if (n == 1 && c != data[offs[i]])
			return fail("fd %d reads byte 0x%02x at %lld, expected 0x%02x", fd[i],
				    (unsigned char)c, (long long)offs[i], (unsigned char)data[offs[i]]);
	}
	return pass();
}
