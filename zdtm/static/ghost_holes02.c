#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an unlinked open file that starts with a 2 MiB hole and has data only at its end: size, offset, data, the leading hole (SEEK_DATA)",
	  .flavors = ZDTM_ALL_FLAVORS);

#define HOLE (2 * 1024 * 1024L)
#define LEN 12288

int main(int argc, char **argv)
{
	static char data[LEN], buf[LEN];
	struct stat st;
	int fd;

	test_init(argc, argv);
	datagen(data, LEN, 77);
	fd = open(test_path("ghost"), O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || pwrite(fd, data, LEN, HOLE) != LEN || lseek(fd, 4097, SEEK_SET) != 4097)
		return fail_errno("write");
	if (lseek(fd, 0, SEEK_DATA) != HOLE)
		return skip("the file system does not report the hole (SEEK_DATA gives %ld)", (long)lseek(fd, 0, SEEK_DATA));
	lseek(fd, 4097, SEEK_SET);
	if (unlink(test_path("ghost")))
		return fail_errno("unlink");

	test_daemon();
	test_waitsig();

	if (fstat(fd, &st))
		return fail_errno("fstat");
	if (expect_int("st_nlink", st.st_nlink, 0) || expect_int("size", st.st_size, HOLE + LEN) ||
	    expect_int("offset", lseek(fd, 0, SEEK_CUR), 4097))
		return 1;
	if (expect_int("first data (SEEK_DATA from 0)", lseek(fd, 0, SEEK_DATA), HOLE) ||
	    expect_int("the hole after it (SEEK_HOLE)", lseek(fd, HOLE, SEEK_HOLE), HOLE + LEN))
		return 1;
	if (pread(fd, buf, LEN, HOLE) != LEN || expect_bytes("data after the hole", buf, data, LEN))
		return 1;
	if (pread(fd, buf, 4096, HOLE - 4096) != 4096)
		return fail_errno("pread the hole");
	for (int i = 0; i < 4096; i++)
		if (buf[i])
			return fail("byte %ld of the hole is %#x, expected 0", HOLE - 4096 + i, buf[i]);
	return pass();
}
